---- MODULE LetRecursive ----
\* LET with several definitions, a RECURSIVE operator and a recursive function.
EXTENDS Naturals
VARIABLE n
RECURSIVE Fact(_)
Fact(k) == IF k = 0 THEN 1 ELSE k * Fact(k - 1)
fib[i \in 0..10] == IF i < 2 THEN i ELSE fib[i - 1] + fib[i - 2]
Init == n = 0
Next == LET m == n + 1
            sq(a) == a * a
            RECURSIVE Sum(_)
            Sum(k) == IF k = 0 THEN 0 ELSE k + Sum(k - 1)
        IN /\ m <= 6
           /\ n' = m
Inv == /\ Fact(n) >= 1
       /\ fib[n] <= 8
       /\ LET s == n * n IN s >= n
====
