--------------------------- MODULE VotingInductive ---------------------------
(***************************************************************************)
(* TLC's check that Voting's IndInv is inductive: start from every state   *)
(* satisfying TypeOK /\ IndInv and take one step of Next; IndInv must hold  *)
(* again (run TLC with -depth 2 or let it explore; every state satisfies   *)
(* IndInv anyway when IndInv is inductive).                                 *)
(***************************************************************************)
EXTENDS Voting

IndInit == TypeOK /\ IndInv
=============================================================================
