\* Issue 14: a named theorem stands for its statement: `Pos!:`, `L(x)!Small` through an instance
\* with a parameter, `\A b \in S : L(b)!Small` in an ASSUME (tlaplus/Examples' Paxos/MCVoting and
\* MisraReachability tests; E204 before). TLC 2.20: invariant Inv violated, 5 states.
---- MODULE TheoremRef ----
EXTENDS Naturals
VARIABLE x
L(b) == INSTANCE TheoremLib WITH Bound <- b
THEOREM Pos == \A n \in {1, 2} : n > 0
ASSUME Pos!:
ASSUME \A b \in 0..3 : L(b)!Small /\ L(b)!Named
Init == x = 0
Next == x < 5 /\ x' = x + 1
Inv == L(x)!Small /\ Pos
====
