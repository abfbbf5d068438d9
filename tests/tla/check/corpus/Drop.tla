---- MODULE Drop ----
EXTENDS Sequences
VARIABLES a, b
Drop(q) == q # <<>> /\ q' = Tail(q)
Init == a = <<1, 2>> /\ b = 0
Next == Drop(a) /\ UNCHANGED b
Inv == Len(a) = 2
====
