\* Issue 14: a LET name and a definition that stand for a variable, passed to a parameter that is
\* primed or primed directly, assign the variable (TLC 2.20: invariant violated, 2 states).
---- MODULE ByNameLet ----
EXTENDS Sequences
VARIABLES a, b
Drop(q) == q # <<>> /\ q' = Tail(q)
B == b
Init == a = <<1, 2>> /\ b = <<3>>
Next == LET s == a IN Drop(s) /\ B' = b
Inv == Len(a) = 2
====
