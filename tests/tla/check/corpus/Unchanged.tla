---- MODULE Unchanged ----
\* UNCHANGED of a tuple, of a single variable, of a defined tuple; [Next]_vars stuttering.
EXTENDS Naturals
VARIABLES a, b, c
vars == <<a, b, c>>
Init == a = 0 /\ b = 0 /\ c = 0
IncA == a < 2 /\ a' = a + 1 /\ UNCHANGED <<b, c>>
IncB == b < 1 /\ b' = b + 1 /\ UNCHANGED a /\ UNCHANGED c
Reset == a = 2 /\ b = 1 /\ c' = 1 - c /\ UNCHANGED <<a, b>>
Next == IncA \/ IncB \/ Reset
Spec == Init /\ [][Next]_vars
====
