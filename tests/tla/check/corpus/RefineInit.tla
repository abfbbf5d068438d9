---- MODULE RefineInit ----
\* Starts at hour 0, which HourSpec's Init does not allow.
EXTENDS Naturals
VARIABLES h, m
vars == <<h, m>>
Init == h = 0 /\ m = 0
Tick == m' = (m + 1) % 2 /\ h' = IF m = 1 THEN (IF h = 3 THEN 1 ELSE h + 1) ELSE h
Spec == Init /\ [][Tick]_vars /\ WF_vars(Tick)
Hour == INSTANCE HourSpec WITH hr <- h
Refines == Hour!Spec
====
