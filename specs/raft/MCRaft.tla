------------------------------- MODULE MCRaft -------------------------------
(* Raft (Raft.tla) with its servers as model values, so that TLC's SYMMETRY *)
(* can permute them; Server is set in the .cfg ({s1, s2, s3} or five).      *)
EXTENDS Raft, TLC

CONSTANTS s1, s2, s3, s4, s5

Symmetry == Permutations(Server)
=============================================================================
