---- MODULE RecFnConstDomain ----
\* A recursive function defined in a LET over a domain that the cfg makes a constant set
\* (`Ballot == Nat`, `Ballot = {0, 1, 2}` in the cfg), applied in an expression, as
\* tlaplus/Examples' byzpaxos/VoteProof's SafeAt does.
EXTENDS Integers
VARIABLE x
Ballot == Nat
Init == x = 0
SafeAt(b) == LET SA[bb \in Ballot] == \/ bb = 0
                                      \/ \E c \in -1..(bb - 1) : (c # -1) => SA[c] /\ x >= c
             IN  SA[b]
Next == x < 2 /\ x' = IF SafeAt(x) THEN x + 1 ELSE x + 2
====
