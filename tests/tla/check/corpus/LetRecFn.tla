---- MODULE LetRecFn ----
(* A recursive function defined in LET, over the LET's surroundings: the folds *)
(* of the community modules (Folds.tla, FiniteSetsExt) are written this way.   *)
EXTENDS Naturals, FiniteSets
CONSTANT Procs
VARIABLE c
Sum(f, S) ==
  LET sum[T \in SUBSET S] ==
        IF T = {} THEN 0
        ELSE LET x == CHOOSE y \in T : TRUE
             IN  f[x] + sum[T \ {x}]
  IN  sum[S]
Pairs(n) == LET p[i \in 0..n, j \in 0..n] == IF i = 0 THEN j ELSE p[i - 1, j] + 1 IN p[n, n]
Init == c = [p \in Procs |-> 0]
Next == \E p \in Procs : c[p] < 2 /\ Sum(c, Procs) < 3 /\ c' = [c EXCEPT ![p] = @ + 1]
Inv == /\ Sum(c, Procs) <= 3
       /\ Sum(c, Procs) = Sum(c, {p \in Procs : c[p] > 0})
       /\ Pairs(Sum(c, Procs)) = 2 * Sum(c, Procs)
====
