---- MODULE LetInstance ----
\* Issue 14: LET M == INSTANCE N WITH ..., and named assumptions, also through an instance.
EXTENDS Naturals
VARIABLES x, y
ASSUME Positive == 3 > 0
I == INSTANCE InstInner WITH Limit <- 3, c <- x
ASSUME Positive /\ I!InnerAssume
Init == x = 0 /\ y = 0
Next == \/ I!Step /\ UNCHANGED y
        \/ \E k \in 1..2 : LET J == INSTANCE InstInner WITH Limit <- k, c <- y
                           IN J!Step /\ UNCHANGED x
Inv == I!Ok /\ y <= 2 /\ LET J == INSTANCE InstInner WITH Limit <- 2, c <- y IN J!Ok
====
