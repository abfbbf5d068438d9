---------------------------- MODULE MCTwoPhase ----------------------------
(* TwoPhase with its resource managers declared interchangeable: TLC then  *)
(* explores one state per class of states that differ only by a renaming   *)
(* of the RMs.                                                             *)
EXTENDS TwoPhase, TLC

Perms == Permutations(RM)
=============================================================================
