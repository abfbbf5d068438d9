---- MODULE let_recursive ----
EXTENDS Naturals
A == LET RECURSIVE fact(_)
         fact(n) == IF n = 0 THEN 1 ELSE n * fact(n - 1)
     IN  fact(5)
RECURSIVE Sum(_)
Sum(S) == IF S = {} THEN 0 ELSE LET x == CHOOSE y \in S : TRUE IN x + Sum(S \ {x})
====
