---- MODULE AssumeEvalError ----
\* An ASSUME whose evaluation fails: TLC 2.20 prints Evaluating assumption line 6, col 8 to
\* line 6, col 35 of module AssumeEvalError failed, and exits 10 (as SmokeEWD998_SC's).
EXTENDS Integers
VARIABLE x
ASSUME \E r \in [a : Int] : r.a = 1
Init == x = 0
Next == UNCHANGED x
====
