---- MODULE UnchangedSubstInner ----
VARIABLES c, d
Keep == UNCHANGED <<c, d>>
====
