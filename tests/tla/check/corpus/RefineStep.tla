---- MODULE RefineStep ----
\* The hour skips from 1 to 3: not a step of HourSpec.
EXTENDS Naturals
VARIABLES h, m
vars == <<h, m>>
Init == h = 1 /\ m = 0
Tick == m' = (m + 1) % 2 /\ h' = IF m = 1 THEN (IF h = 3 THEN 1 ELSE IF h = 1 THEN 3 ELSE h + 1) ELSE h
Spec == Init /\ [][Tick]_vars /\ WF_vars(Tick)
Hour == INSTANCE HourSpec WITH hr <- h
Refines == Hour!Spec
====
