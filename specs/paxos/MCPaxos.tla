------------------------------ MODULE MCPaxos ------------------------------
(***************************************************************************)
(* The bounds tlacheck and TLC check Paxos with: three acceptors, two      *)
(* values, ballots 0..MaxBallot (1 in the cfg files), the same bounds as   *)
(* paxos_model's factories.  One cfg per variant:                          *)
(*                                                                         *)
(*   MCPaxos.cfg                   correct, Agreement and Inv              *)
(*   MCPaxos_symmetry.cfg          the same, with SYMMETRY                 *)
(*   MCPaxos_<bug>.cfg             a bug variant, Agreement only           *)
(*   MCPaxos_<bug>_inv.cfg         a bug variant, Lamport's Inv only       *)
(***************************************************************************)
EXTENDS Paxos, FiniteSets, TLC

CONSTANTS a1, a2, a3, v1, v2

MCAcceptor == {a1, a2, a3}
MCValue == {v1, v2}

(* Majority quorums: every set of just over half of the acceptors (for   *)
(* three acceptors, the three pairs).  Larger supersets add nothing to     *)
(* safety, but they would add duplicate Phase2a successors (one per       *)
(* satisfying quorum), so TLC's generated count depends on this choice.   *)
MCMajorities == {Q \in SUBSET Acceptor : Cardinality(Q) = Cardinality(Acceptor) \div 2 + 1}

(* The minority_quorums bug: every set of half the acceptors, rounded down *)
(* (single acceptors, out of three); two such sets can be disjoint.        *)
MCMinorities == {Q \in SUBSET Acceptor : Cardinality(Q) = Cardinality(Acceptor) \div 2}

(* Every permutation of the acceptors combined with every permutation of   *)
(* the values: the product group, which is what tlacheck's symmetry        *)
(* quotients by.  (With the usual Permutations(Acceptor) \cup              *)
(* Permutations(Value), not a group, TLC 2.20 gives the same figures on    *)
(* these bounds: 2,697 generated, 443 distinct, depth 17.)                 *)
MCSymmetry == {p @@ q : p \in Permutations(Acceptor), q \in Permutations(Value)}
=============================================================================
