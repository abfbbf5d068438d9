---- MODULE TlcLevel ----
\* Issue 14: TLCGet("level"), the BFS level of the state being examined (0 in Init), pinned to TLC 2.20.
EXTENDS Naturals, TLC
VARIABLES x, y
Init == x = 0 /\ y = TLCGet("level")
Next == \/ x' = x + 1 /\ y' = TLCGet("level")
        \/ x' = x + 2 /\ y' = y
Bounded == TLCGet("level") < 5
Inv == y < TLCGet("level") /\ x <= 2 * (TLCGet("level") - 1)
====
