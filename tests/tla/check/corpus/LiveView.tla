---- MODULE LiveView ----
\* A counter x with a parity n that the VIEW ignores: states that differ only in n are one
\* state, so the graph is the cycle of x alone and its state x = 0 has n = 0. Live holds
\* (x = 0 /\ n = 1 every sixth step), but TLC 2.20 checks the reduced graph and reports a
\* "violation" whose last step does not really go back to state 1; tlacheck does the same,
\* with a warning.
EXTENDS Naturals
VARIABLES x, n
Init == x = 0 /\ n = 0
Next == x' = (x + 1) % 3 /\ n' = (n + 1) % 2
Spec == Init /\ [][Next]_<<x, n>> /\ WF_<<x, n>>(Next)
View == x
Live == []<>(x = 0 /\ n = 1)
====
