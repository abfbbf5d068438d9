---- MODULE ActionImplies ----
\* Inside an action, A => B with a true A makes B an action: its \E branches, one successor
\* per witness, as TLC's getNextStates does. And a conjunct after an operator whose body
\* loops with \E must not overwrite that operator's bound names (both regressions).
EXTENDS Integers
VARIABLES votes
VotedFor(a, b, v) == <<b, v>> \in votes[a]
S(Q, b, v) == \E c \in -1..(b-1) : (c /= -1) => \E a \in Q : VotedFor(a, c, v)
Init == votes = [a \in {1, 2} |-> {}]
Next == \E a \in {1, 2}, b \in 0..1 :
  /\ \E Q \in {{1, 2}, {2}} : S(Q, b, 7)
  /\ votes' = [votes EXCEPT ![a] = votes[a] \cup {<<b, 7>>}]
====
