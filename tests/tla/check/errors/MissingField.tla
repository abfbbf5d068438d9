---- MODULE MissingField ----
EXTENDS Naturals
VARIABLE r
Init == r = [a |-> 1]
Next == r' = [a |-> r.b]
====
