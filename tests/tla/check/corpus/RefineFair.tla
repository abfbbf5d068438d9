---- MODULE RefineFair ----
\* No fairness: the minute hand may stop, and then the hour stops, violating WF_hr(Next).
EXTENDS Naturals
VARIABLES h, m
vars == <<h, m>>
Init == h = 1 /\ m = 0
Tick == m' = (m + 1) % 2 /\ h' = IF m = 1 THEN (IF h = 3 THEN 1 ELSE h + 1) ELSE h
Spec == Init /\ [][Tick]_vars
Hour == INSTANCE HourSpec WITH hr <- h
Refines == Hour!Spec
====
