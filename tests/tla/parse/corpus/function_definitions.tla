---- MODULE function_definitions ----
EXTENDS Naturals
fact[n \in Nat] == IF n = 0 THEN 1 ELSE n * fact[n - 1]
sum[i \in 1..3, j \in 1..3] == i + j
LOCAL hidden[x \in {1}] == x
====
