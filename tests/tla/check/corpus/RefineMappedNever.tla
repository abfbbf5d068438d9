\* Issue 14: as RefineMapped, with d mapped to FALSE (x # x). ENABLED <<Detect>>_d is false in
\* every state if computed after substituting ((x # x)' = TRUE never holds), but TLC 2.20 computes
\* it before, with d' free: enabled, never taken, so violated (3 states then stuttering), as here.
---- MODULE RefineMappedNever ----
EXTENDS Naturals
VARIABLES x
Init == x = 0
Next == x < 2 /\ x' = x + 1
NoFair == Init /\ [][Next]_x
never == x # x
D == INSTANCE DoneSpec WITH d <- never
DSpec == D!Spec
====
