-------------------------- MODULE TwoPhaseInductive --------------------------
(***************************************************************************)
(* An inductive invariant for two-phase commit (TwoPhase.tla).             *)
(*                                                                         *)
(* TCConsistent (no RM committed while another aborted) is not inductive   *)
(* by itself: a state where r1 is prepared, r2 aborted and the TM has a    *)
(* Commit message in flight satisfies it, and one step breaks it.  IndInv  *)
(* adds what each message and each decision means, which is what an        *)
(* inductive proof of two-phase commit needs (the invariant of Gray and    *)
(* Lamport, "Consensus on Transaction Commit", 2006, section 3, and of the *)
(* two-phase commit example of mypyvy and Apalache).                       *)
(*                                                                         *)
(*   tlacheck prove specs/twophase/TwoPhaseInductive.tla --inv IndInv      *)
(***************************************************************************)
EXTENDS TwoPhase

Prepared(r) == [type |-> "Prepared", rm |-> r]

(* A Commit message is sent only by a TM that decided to commit, and an   *)
(* Abort message only by one that decided to abort.                       *)
CommitMsgMeaning == [type |-> "Commit"] \in msgs => tmState = "committed"
AbortMsgMeaning == [type |-> "Abort"] \in msgs => tmState = "aborted"

(* The TM commits only once every RM has prepared.                        *)
TMCommitMeaning == tmState = "committed" => tmPrepared = RM

(* The TM counts an RM as prepared only on its Prepared message.          *)
TMPreparedMeaning == \A r \in tmPrepared : Prepared(r) \in msgs

(* An RM sends Prepared only when it leaves "working".                    *)
PreparedMsgMeaning == \A r \in RM : Prepared(r) \in msgs => rmState[r] /= "working"

(* An RM commits only on a Commit message, and, once prepared, aborts     *)
(* only on an Abort message.                                              *)
RMCommitMeaning == \A r \in RM : rmState[r] = "committed" => [type |-> "Commit"] \in msgs
RMAbortMeaning ==
  \A r \in RM : (rmState[r] = "aborted" /\ Prepared(r) \in msgs) => [type |-> "Abort"] \in msgs

IndInv == /\ TPTypeOK
          /\ CommitMsgMeaning
          /\ AbortMsgMeaning
          /\ TMCommitMeaning
          /\ TMPreparedMeaning
          /\ PreparedMsgMeaning
          /\ RMCommitMeaning
          /\ RMAbortMeaning
          /\ TCConsistent

(* For TLC's check of inductiveness: every state of IndInv as an initial     *)
(* state (TPTypeOK written so that TLC can enumerate it).                    *)
IndInit == /\ rmState \in [RM -> {"working", "prepared", "committed", "aborted"}]
           /\ tmState \in {"init", "committed", "aborted"}
           /\ tmPrepared \in SUBSET RM
           /\ msgs \in SUBSET Messages
           /\ IndInv
=============================================================================
