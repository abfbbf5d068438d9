---- MODULE TraceOp ----
\* TLCExt's Trace: the behaviour BFS found to the state examined (TLC 2.20 agrees on every
\* state: Inv holds; Bad is violated with 4 states, 9 generated / 8 distinct / depth 4).
EXTENDS Naturals, Sequences, TLC, TLCExt
VARIABLES x, y
Init == x = 0 /\ y = 0
Next == \/ x < 3 /\ x' = x + 1 /\ UNCHANGED y
        \/ y < 2 /\ y' = y + 1 /\ UNCHANGED x
\* The trace to the current state has as many states as its level; it starts at Init.
Inv == /\ Len(Trace) = TLCGet("level")
       /\ Trace[1] = [x |-> 0, y |-> 0]
       /\ Trace[Len(Trace)] = [x |-> x, y |-> y]
       /\ \A i \in 1..Len(Trace) - 1 : Trace[i+1].x + Trace[i+1].y = Trace[i].x + Trace[i].y + 1
Bad == ~(x = 2 /\ y = 1 /\ Trace[3] = [x |-> 2, y |-> 0])
====
