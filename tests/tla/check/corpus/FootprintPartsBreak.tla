---- MODULE FootprintPartsBreak ----
\* The second conjunct of a part of two (one footprint: log) fails after the first held on
\* the same log in an earlier state; the whole invariant is then evaluated, in order.
EXTENDS Naturals, FiniteSets, Sequences
VARIABLES log, n
Range(s) == {s[i] : i \in 1..Len(s)}
Big == {x \in Range(log) : x > 0}
Init == log = <<>> /\ n = 0
Next == \/ /\ Len(log) < 4
           /\ \E v \in 0..2 : log' = Append(log, v)
           /\ UNCHANGED n
        \/ /\ n < 2
           /\ n' = n + 1
           /\ UNCHANGED log
Inv == /\ n <= 2
       /\ Len(log) <= 4
       /\ Cardinality(Big) < 2
       /\ n + Len(log) >= 0
====
