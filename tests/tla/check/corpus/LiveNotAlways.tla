---- MODULE LiveNotAlways ----
\* ~[]P: P fails at some point; x never leaves 0 when it may stutter.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = 1 - x
Spec == Init /\ [][Next]_x
Prop == ~[](x = 0)
====
