---------------------------- MODULE RaftInductive ----------------------------
(***************************************************************************)
(* An inductive invariant for the atomic Raft of Raft.tla: the lemmas that *)
(* make LeaderCompleteness and StateMachineSafety inductive.               *)
(*                                                                         *)
(* The argument is the one of the Raft paper (Ongaro and Ousterhout, 2014, *)
(* section 5.4.3) and of Ongaro's thesis (2014, chapter 8), cut into       *)
(* one-step lemmas: terms only grow; an entry of term T anywhere, or a     *)
(* leader of term T, implies that a quorum has reached term >= T (so two   *)
(* leaders of one term, or a commit in a term that a later election has    *)
(* overtaken, would need two disjoint quorums); the leader of term T holds *)
(* every entry of term T, with the same prefix; a committed entry is held  *)
(* by a quorum and lies below every entry of a later term in every log,    *)
(* so every later leader, being at least as up to date as one member of    *)
(* that quorum, holds it.  CommitRule states the current-term rule of      *)
(* section 5.4.2: with GhostCommit = TRUE (the bug) it is the conjunct     *)
(* that a CommitEntry step breaks.                                         *)
(*                                                                         *)
(*   tlacheck prove specs/raft/RaftInductive.tla --inv IndInv              *)
(***************************************************************************)
EXTENDS Raft

Entry(s, k, t) == k <= Len(log[s]) /\ log[s][k] = t

\* TypeOK is Raft.tla's.

(* Terms and logs. *)
LeaderTerm == \A l \in Server : state[l] = "Leader" => currentTerm[l] >= 1

EntryTermBound ==
  \A s \in Server : \A m \in 1..MaxLogLen : m <= Len(log[s]) => log[s][m] <= currentTerm[s]

SortedLogs ==
  \A s \in Server : \A m \in 1..MaxLogLen : m < Len(log[s]) => log[s][m] <= log[s][m + 1]

(* An entry of term T in any log implies a quorum has reached term >= T;  *)
(* so does a leader of term T.                                            *)
QuorumForEntry ==
  \A s \in Server : \A m \in 1..MaxLogLen :
     m <= Len(log[s]) => \E Q \in Quorums : \A q \in Q : currentTerm[q] >= log[s][m]

QuorumForLeader ==
  \A l \in Server : state[l] = "Leader" => \E Q \in Quorums : \A q \in Q : currentTerm[q] >= currentTerm[l]

(* The leader of a term holds every entry of that term, with its prefix.  *)
LeaderHasTermEntries ==
  \A l, s \in Server : \A m \in 1..MaxLogLen :
     (state[l] = "Leader" /\ Entry(s, m, currentTerm[l])) =>
        /\ m <= Len(log[l])
        /\ \A p \in 1..MaxLogLen : p <= m => log[s][p] = log[l][p]

(* Commitment. *)
CommitRule == \A c \in committed : c[2] = c[3]

CommittedQuorum ==
  \A c \in committed : \E Q \in Quorums : \A q \in Q : currentTerm[q] >= c[3] /\ Entry(q, c[1], c[2])

CommittedBelowLaterEntries ==
  \A c \in committed : \A s \in Server : \A m \in 1..MaxLogLen :
     (m <= Len(log[s]) /\ (log[s][m] > c[3] \/ (log[s][m] = c[3] /\ m >= c[1]))) => Entry(s, c[1], c[2])

LeaderHasCommitted ==
  \A c \in committed : \A l \in Server :
     (state[l] = "Leader" /\ currentTerm[l] >= c[3]) => Entry(l, c[1], c[2])

IndInv == /\ TypeOK
          /\ LeaderTerm
          /\ EntryTermBound
          /\ SortedLogs
          /\ QuorumForEntry
          /\ QuorumForLeader
          /\ ElectionSafety
          /\ LeaderHasTermEntries
          /\ LogMatching
          /\ CommitRule
          /\ CommittedQuorum
          /\ CommittedBelowLaterEntries
          /\ LeaderHasCommitted
          /\ LeaderCompleteness
          /\ StateMachineSafety

(* For TLC's check of inductiveness on a small instance: every state of   *)
(* IndInv as an initial state (TypeOK written so that TLC can enumerate).  *)
IndInit ==
  /\ currentTerm \in [Server -> 0..MaxTerm]
  /\ state \in [Server -> {"Follower", "Leader"}]
  /\ log \in [Server -> UNION {[1..n -> 1..MaxTerm] : n \in 0..MaxLogLen}]
  /\ committed \in SUBSET ((1..MaxLogLen) \X (1..MaxTerm) \X (1..MaxTerm))
  /\ IndInv
=============================================================================
