---- MODULE PrimedUse ----
\* A primed variable used after it has been assigned in the same action.
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\ y = 0
Next == /\ x' \in {(x + 1) % 3, (x + 2) % 3}
        /\ y' = x' * 2
        /\ y' # 4 \/ x' = 2
Inv == y = 2 * x
====
