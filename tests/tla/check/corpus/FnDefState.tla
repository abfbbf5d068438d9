---- MODULE FnDefState ----
\* A function definition that reads a variable (rebuilt per state) beside a recursive constant one.
EXTENDS Naturals
VARIABLE x
f[i \in 1..3] == x + i
g[i \in 0..3] == IF i = 0 THEN 0 ELSE g[i - 1] + i
Init == x = 0
Next == x < 3 /\ x' = f[1] + g[0]
Inv == f[2] = x + 2 /\ g[3] = 6
====
