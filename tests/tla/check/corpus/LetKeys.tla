---- MODULE LetKeys ----
\* Each action's LET definition i is a binding made while the action is compiled, computed
\* once per state (it reads the state alone): bindings freed and made again must not share
\* their values (a new one at a freed one's address read the old one's value).
EXTENDS Naturals
VARIABLES a, b, c, d, slot
Ring == INSTANCE LetKeysRing WITH Size <- 4
Put(i, v) == slot' = [slot EXCEPT ![i] = v]
Init == a = 0 /\ b = 1 /\ c = 2 /\ d = 3 /\ slot = [i \in 0..3 |-> 0]
IncA == LET i == Ring!Idx(a) IN /\ a < 3 /\ a' = a + 1 /\ Put(i, 1) /\ UNCHANGED <<b, c, d>>
IncB == LET i == Ring!Idx(b) IN /\ b < 3 /\ b' = b + 1 /\ Put(i, 2) /\ UNCHANGED <<a, c, d>>
IncC == LET i == Ring!Idx(c) IN /\ c < 3 /\ c' = c + 1 /\ Put(i, 3) /\ UNCHANGED <<a, b, d>>
IncD == LET i == Ring!Idx(d) IN /\ d < 4 /\ d' = d + 1 /\ Put(i, 4) /\ UNCHANGED <<a, b, c>>
Next == IncA \/ IncB \/ IncC \/ IncD
====
