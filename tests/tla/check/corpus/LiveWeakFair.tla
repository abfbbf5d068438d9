---- MODULE LiveWeakFair ----
\* Grab is enabled only while the light is on; Toggle keeps switching it off.
\* Weak fairness of Grab is not enough: Grab is never continuously enabled.
EXTENDS Naturals
VARIABLES light, got
vars == <<light, got>>
Init == light = 0 /\ got = FALSE
Toggle == light' = 1 - light /\ UNCHANGED got
Grab == light = 1 /\ ~got /\ got' = TRUE /\ UNCHANGED light
Spec == Init /\ [][Toggle \/ Grab]_vars /\ WF_vars(Toggle) /\ WF_vars(Grab)
Gets == <>got
====
