-------------------------- MODULE MCRaftMessages ---------------------------
(* RaftMessages (RaftMessages.tla) with model-value servers and SYMMETRY.  *)
EXTENDS RaftMessages, TLC

CONSTANTS s1, s2, s3

Symmetry == Permutations(Server)
=============================================================================
