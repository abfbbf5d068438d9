---- MODULE EnabledStuck ----
(* ENABLED Next as an invariant: violated where the spec stops. *)
EXTENDS Naturals
VARIABLES x, y, z
Init == x = 0 /\ y = 0 /\ z = 0
A == x < 3 /\ x' = x + 1 /\ UNCHANGED <<y, z>>
B == ~ENABLED A /\ y < 2 /\ y' = y + 1 /\ UNCHANGED <<x, z>>
C(n) == z + n <= 2 /\ z' = z + n /\ UNCHANGED <<x, y>>
D == ENABLED (\E n \in {1, 2} : C(n)) /\ x = 3 /\ z' = z + 1 /\ UNCHANGED <<x, y>>
Next == A \/ B \/ D
Inv == ENABLED Next
Partial == ENABLED (x' = x)
====
