---- MODULE UnchangedEnabledInner ----
EXTENDS Naturals
VARIABLES c, d
Init == c = 0 /\ d = 0
A == c < 2 /\ c' = c + 1 /\ UNCHANGED d
Next == A \/ (d' = d + 1 /\ UNCHANGED c)
Spec == Init /\ [][Next]_<<c, d>> /\ WF_<<c, d>>(A)
====
