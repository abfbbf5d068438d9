---- MODULE FnDefPrimed ----
\* A function definition that reads a variable, used in Init (of the state being built), in an
\* action (f' is of the next state) and in an invariant, as TLC evaluates it.
EXTENDS Naturals
VARIABLES x, y
f[i \in 1..2] == x + i
Init == x = 1 /\ y = f[1]
Next == x < 4 /\ x' = x + 1 /\ y' = f[2] + f'[1]
Inv == /\ f[2] = x + 2
       /\ y = IF x = 1 THEN 2 ELSE 2 * x + 2
       /\ \A a \in 1..2 : \A b \in {a} : f[b] - b = x /\ b = a
====
