---- MODULE RecFnAction ----
\* A recursive function applied in an action whose body has \/ and \E branches (VoteProof's
\* SafeAt): TLC's getNextStates enumerates each branch, at every level of the recursion, so
\* equal successors are generated once per way the body holds (E299 before).
EXTENDS Integers
VARIABLES x, n
Ok(b) ==
  LET R[i \in 0..3] ==
        \/ i = 0
        \/ \E j \in 0..(i-1) : /\ (j # 0) => R[j]
                               /\ j < x + 2
  IN R[b]
Init == x = 0 /\ n = 0
Next == \E b \in 0..3 : /\ Ok(b)
                        /\ x' = (x + b) % 3
                        /\ n' = IF n < 2 THEN n + 1 ELSE n
====
