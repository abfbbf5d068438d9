---- MODULE precedence_sets ----
CONSTANTS S, T, U
A == S \cup T \cup U
B == x \in S \cup T
C == SUBSET S \ T
D == UNION S \cup T
E == S \X T \X U
F == (S \X T) \X U
G == S \subseteq T /\ S \notin U
H == DOMAIN S .. 3
x == 1
====
