---- MODULE tuples_records ----
A == <<>>
B == <<1, "two", TRUE>>
C == [a |-> 1, b |-> "x"]
D == [a : {1, 2}, b : BOOLEAN]
E == C.a + 1
F == C.b
====
