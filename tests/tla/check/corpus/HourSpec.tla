---- MODULE HourSpec ----
\* The abstract clock: the hour advances, and under weak fairness it keeps advancing.
EXTENDS Naturals
VARIABLE hr
Init == hr \in 1..3
Next == hr' = IF hr = 3 THEN 1 ELSE hr + 1
Spec == Init /\ [][Next]_hr /\ WF_hr(Next)
====
