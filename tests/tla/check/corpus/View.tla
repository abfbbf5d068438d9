---- MODULE View ----
\* VIEW: states are identified by the view, here ignoring the step counter t.
EXTENDS Naturals
VARIABLES x, t
Init == x = 0 /\ t = 0
Next == \/ x' = (x + 1) % 3 /\ t' = t + 1
        \/ x' = x /\ t' = t + 1
V == x
====
