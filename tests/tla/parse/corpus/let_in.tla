---- MODULE let_in ----
EXTENDS Naturals
A == LET a == 1
         b(x) == x + a
     IN  b(2)
B == LET f[n \in Nat] == IF n = 0 THEN 0 ELSE f[n - 1] IN f[3]
====
