------------------------------ MODULE TwoPhase ------------------------------
(***************************************************************************)
(* The two-phase commit protocol.                                          *)
(*                                                                         *)
(* A transaction manager (TM) and a set RM of resource managers agree on   *)
(* whether a distributed transaction commits or aborts.  Each RM is        *)
(* "working", then "prepared" (it has voted to commit), then "committed"   *)
(* or "aborted".  The TM collects Prepared messages; once every RM has     *)
(* prepared, it may decide to commit; it may decide to abort at any time   *)
(* before that.  It broadcasts its decision, and RMs follow it.  A working *)
(* RM may also abort on its own.  Messages are never lost: the set msgs    *)
(* only grows.  The property checked is TCConsistent: no RM has committed  *)
(* while another has aborted.                                              *)
(*                                                                         *)
(* Jim Gray, "Notes on Data Base Operating Systems" (1978); this is the    *)
(* specification of Jim Gray and Leslie Lamport, "Consensus on Transaction *)
(* Commit", ACM TODS 31(1), 2006, written anew for tlacheck.               *)
(***************************************************************************)
CONSTANT RM   \* the resource managers

VARIABLES
  rmState,    \* rmState[r]: the state of resource manager r
  tmState,    \* "init", "committed" or "aborted"
  tmPrepared, \* the RMs from which the TM has received Prepared
  msgs        \* every message ever sent

vars == <<rmState, tmState, tmPrepared, msgs>>

Messages ==
  [type : {"Prepared"}, rm : RM]  \cup  [type : {"Commit", "Abort"}]

TPTypeOK ==
  /\ rmState \in [RM -> {"working", "prepared", "committed", "aborted"}]
  /\ tmState \in {"init", "committed", "aborted"}
  /\ tmPrepared \subseteq RM
  /\ msgs \subseteq Messages

TPInit ==
  /\ rmState = [r \in RM |-> "working"]
  /\ tmState = "init"
  /\ tmPrepared = {}
  /\ msgs = {}

TMRcvPrepared(r) ==
  /\ tmState = "init"
  /\ [type |-> "Prepared", rm |-> r] \in msgs
  /\ tmPrepared' = tmPrepared \cup {r}
  /\ UNCHANGED <<rmState, tmState, msgs>>

TMCommit ==
  /\ tmState = "init"
  /\ tmPrepared = RM
  /\ tmState' = "committed"
  /\ msgs' = msgs \cup {[type |-> "Commit"]}
  /\ UNCHANGED <<rmState, tmPrepared>>

TMAbort ==
  /\ tmState = "init"
  /\ tmState' = "aborted"
  /\ msgs' = msgs \cup {[type |-> "Abort"]}
  /\ UNCHANGED <<rmState, tmPrepared>>

RMPrepare(r) ==
  /\ rmState[r] = "working"
  /\ rmState' = [rmState EXCEPT ![r] = "prepared"]
  /\ msgs' = msgs \cup {[type |-> "Prepared", rm |-> r]}
  /\ UNCHANGED <<tmState, tmPrepared>>

RMChooseToAbort(r) ==
  /\ rmState[r] = "working"
  /\ rmState' = [rmState EXCEPT ![r] = "aborted"]
  /\ UNCHANGED <<tmState, tmPrepared, msgs>>

RMRcvCommitMsg(r) ==
  /\ [type |-> "Commit"] \in msgs
  /\ rmState' = [rmState EXCEPT ![r] = "committed"]
  /\ UNCHANGED <<tmState, tmPrepared, msgs>>

RMRcvAbortMsg(r) ==
  /\ [type |-> "Abort"] \in msgs
  /\ rmState' = [rmState EXCEPT ![r] = "aborted"]
  /\ UNCHANGED <<tmState, tmPrepared, msgs>>

TPNext ==
  \/ TMCommit \/ TMAbort
  \/ \E r \in RM :
       TMRcvPrepared(r) \/ RMPrepare(r) \/ RMChooseToAbort(r)
         \/ RMRcvCommitMsg(r) \/ RMRcvAbortMsg(r)

TPSpec == TPInit /\ [][TPNext]_vars

TCConsistent ==
  \A r1, r2 \in RM : ~ /\ rmState[r1] = "aborted"
                       /\ rmState[r2] = "committed"

(* A decision, once taken, is never revoked: an action property. *)
TMDecisionStable ==
  [][tmState # "init" => tmState' = tmState]_vars
=============================================================================
