---- MODULE OutsideDomain ----
EXTENDS Naturals
VARIABLE x
f == [i \in 1..2 |-> i * 10]
Init == x = 0
Next == x' = f[x + 1]
====
