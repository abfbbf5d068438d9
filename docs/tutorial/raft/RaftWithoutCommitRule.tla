------------------------ MODULE RaftWithoutCommitRule ------------------------
(***************************************************************************)
(* docs/tutorial/current-term-commit.md: the inductive invariant of        *)
(* specs/raft/RaftInductive.tla without its CommitRule conjunct (every     *)
(* committed entry is of the term in which it was committed).  With the    *)
(* ghost-commit bug, prove shows what goes wrong without that lemma.       *)
(*                                                                         *)
(*   tlacheck prove docs/tutorial/raft/RaftWithoutCommitRule.tla           *)
(*       --inv IndInvWithoutCommitRule --lib specs/raft                    *)
(***************************************************************************)
EXTENDS RaftInductive

IndInvWithoutCommitRule ==
  /\ TypeOK
  /\ LeaderTerm
  /\ EntryTermBound
  /\ SortedLogs
  /\ QuorumForEntry
  /\ QuorumForLeader
  /\ ElectionSafety
  /\ LeaderHasTermEntries
  /\ LogMatching
  /\ CommittedQuorum
  /\ CommittedBelowLaterEntries
  /\ LeaderHasCommitted
  /\ LeaderCompleteness
  /\ StateMachineSafety
=============================================================================
