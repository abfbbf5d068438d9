------------------------------ MODULE DieHard ------------------------------
(***************************************************************************)
(* The Die Hard jugs puzzle.                                               *)
(*                                                                         *)
(* In the film "Die Hard with a Vengeance", John McClane and Zeus must put *)
(* exactly 4 gallons of water on a scale, using only a 3-gallon and a      *)
(* 5-gallon jug and a fountain.  A state is the water in each jug; a step  *)
(* fills a jug, empties it, or pours one jug into the other until the      *)
(* source is empty or the destination is full.  To solve the puzzle, ask   *)
(* the model checker to check the invariant NotSolved == big # 4: the      *)
(* counterexample it prints is the shortest solution (DieHardSolve.cfg).   *)
(*                                                                         *)
(* After Leslie Lamport, "The TLA+ Video Course", lecture 4, and           *)
(* "Specifying Systems" (Addison-Wesley, 2002).                           *)
(***************************************************************************)
EXTENDS Naturals

VARIABLES small, big

TypeOK == /\ small \in 0..3
          /\ big   \in 0..5

Init == /\ big = 0
        /\ small = 0

FillSmall == /\ small' = 3
             /\ big' = big

FillBig == /\ big' = 5
           /\ small' = small

EmptySmall == /\ small' = 0
              /\ big' = big

EmptyBig == /\ big' = 0
            /\ small' = small

Min(m, n) == IF m < n THEN m ELSE n

SmallToBig == /\ big'   = Min(big + small, 5)
              /\ small' = small - (big' - big)

BigToSmall == /\ small' = Min(big + small, 3)
              /\ big'   = big - (small' - small)

Next == \/ FillSmall
        \/ FillBig
        \/ EmptySmall
        \/ EmptyBig
        \/ SmallToBig
        \/ BigToSmall

Spec == Init /\ [][Next]_<<small, big>>

NotSolved == big # 4
=============================================================================
