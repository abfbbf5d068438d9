---- MODULE ByName ----
\* Operator arguments are passed by name, as TLC passes them (substitution): a parameter
\* that is primed, assigned or read while primed variables change means the argument's text
\* in that place. Each operator below gives another answer if its argument is passed by value.
EXTENDS Naturals, Sequences
VARIABLES x, q, m, n

MyInit(v, w) == v = 0 /\ w \in {<<1, 2>>, <<3>>}              \* assigns x and q
Init == MyInit(x, q) /\ m = <<>> /\ n = 0

Drop(s) == s # <<>> /\ s' = Tail(s)
Outer(s) == Drop(s)                                             \* passed on, still by name
Send(d, old, new) == new = Append(old, d)                       \* as Send(p, d, memInt, memInt')
Pick(v) == (x' = 1 \/ x' = 2 \/ x' = 3) /\ v > 1                \* v changes with each x'
Both(s) == LET Cut(t) == t' = Tail(t) IN s # <<>> /\ Cut(s)     \* through a LET operator

RECURSIVE AllSmall(_)
AllSmall(s) == IF s = <<>> THEN TRUE ELSE Head(s) < 4 /\ AllSmall(Tail(s))

A == Outer(q) /\ UNCHANGED <<x, m, n>>
B == Len(m) < 2 /\ Send(x, m, m') /\ UNCHANGED <<x, q, n>>
C == n = 0 /\ Pick(x' + 0) /\ n' = x' /\ UNCHANGED <<q, m>>
D == Both(m) /\ AllSmall(m') /\ UNCHANGED <<x, q, n>>
Next == A \/ B \/ C \/ D

CanDrop == (ENABLED Drop(q)) <=> q # <<>>
Small == AllSmall(m) /\ n \in {0, 2, 3}
====
