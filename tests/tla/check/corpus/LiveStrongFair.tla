---- MODULE LiveStrongFair ----
\* As LiveWeakFair, with strong fairness of Grab: it is enabled infinitely often, so it happens.
EXTENDS Naturals
VARIABLES light, got
vars == <<light, got>>
Init == light = 0 /\ got = FALSE
Toggle == light' = 1 - light /\ UNCHANGED got
Grab == light = 1 /\ ~got /\ got' = TRUE /\ UNCHANGED light
Spec == Init /\ [][Toggle \/ Grab]_vars /\ WF_vars(Toggle) /\ SF_vars(Grab)
Gets == <>got
====
