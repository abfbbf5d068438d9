---- MODULE DoneSpec ----
VARIABLE d
Init == d \in BOOLEAN
Detect == ~d /\ d' = TRUE
Spec == Init /\ [][Detect]_d /\ WF_d(Detect)
====
