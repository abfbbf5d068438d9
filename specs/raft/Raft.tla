-------------------------------- MODULE Raft --------------------------------
(***************************************************************************)
(* Raft's safety core, one atomic step per protocol event.                 *)
(*                                                                         *)
(* Raft keeps a replicated log consistent across a cluster of servers.     *)
(* Time is divided into terms; in each term at most one server is elected  *)
(* leader by a majority of voters, and only a server whose log is at least *)
(* as up-to-date as each voter's (last entry's term first, then length)    *)
(* can win.  The leader appends client requests to its log, replicates    *)
(* them with AppendEntries, and marks an entry committed once a majority   *)
(* stores it.  A server that sees a higher term adopts it and steps down.  *)
(*                                                                         *)
(* One rule decides safety: a leader commits an entry by counting replicas *)
(* only if the entry is from its current term.  Without it a leader can    *)
(* commit an entry of an older term that a later leader, elected without   *)
(* it, then overwrites: a "ghost" commit.  GhostCommit = TRUE drops the    *)
(* rule and the checker finds that scenario.                               *)
(*                                                                         *)
(*   D. Ongaro and J. Ousterhout, "In Search of an Understandable          *)
(*   Consensus Algorithm", USENIX ATC 2014, section 5.4.2 and Figure 8.    *)
(*                                                                         *)
(* The steps are atomic: BecomeLeader(i, Q) stands for a whole election    *)
(* (i times out, sends RequestVote, the voters in Q grant their votes);    *)
(* AppendEntries(i, j) for one request/response exchange that moves j's    *)
(* log one entry closer to leader i's; CommitEntry(i, Q, k) for the leader *)
(* learning from Q's responses that they store entry k.  Commitment is     *)
(* kept as a history: committed holds <<index, term, commit term>> for     *)
(* every entry a leader ever committed (the commit term is the leader's    *)
(* term when it committed; Leader Completeness is stated against it).      *)
(*                                                                         *)
(* This module is kept in step with raft_model/atomic.py: same variables,  *)
(* values, actions, parameters and bounds, so both encodings give the same *)
(* state counts and traces.                                                *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Server,       \* the servers (model values, so SYMMETRY can permute them)
    MaxTerm,      \* no election beyond this term
    MaxLogLen,    \* no log longer than this
    GhostCommit   \* TRUE: commit entries of any term by counting replicas (the bug)

VARIABLES
    currentTerm,  \* currentTerm[s]: the latest term s has seen
    state,        \* state[s]: "Follower" or "Leader"
    log,          \* log[s]: a sequence of entry terms (one client value, so an entry is its term)
    committed     \* the set of <<index, term, commit term>> committed so far

vars == <<currentTerm, state, log, committed>>

Quorums == {Q \in SUBSET Server : 2 * Cardinality(Q) > Cardinality(Server)}

LastTerm(l) == IF l = <<>> THEN 0 ELSE l[Len(l)]

\* Voting rule (section 5.4.1): i's log is at least as up-to-date as v's.
UpToDate(i, v) ==
    \/ LastTerm(log[i]) > LastTerm(log[v])
    \/ /\ LastTerm(log[i]) = LastTerm(log[v])
       /\ Len(log[i]) >= Len(log[v])

IsPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s

\* The variables' types (tlacheck infer reads them; RaftInductive.tla's invariant starts with it).
TypeOK ==
  /\ currentTerm \in [Server -> 0..MaxTerm]
  /\ state \in [Server -> {"Follower", "Leader"}]
  /\ log \in [Server -> Seq(1..MaxTerm)]
  /\ \A s \in Server : Len(log[s]) <= MaxLogLen
  /\ committed \subseteq (1..MaxLogLen) \X (1..MaxTerm) \X (1..MaxTerm)

Init ==
    /\ currentTerm = [s \in Server |-> 0]
    /\ state = [s \in Server |-> "Follower"]
    /\ log = [s \in Server |-> <<>>]
    /\ committed = {}

\* i wins the election for term currentTerm[i] + 1 with the votes of Q.
BecomeLeader(i, Q) ==
    /\ i \in Q
    /\ currentTerm[i] < MaxTerm
    /\ \A v \in Q : currentTerm[v] <= currentTerm[i] /\ UpToDate(i, v)
    /\ currentTerm' = [s \in Server |-> IF s \in Q THEN currentTerm[i] + 1 ELSE currentTerm[s]]
    /\ state' = [s \in Server |-> IF s = i THEN "Leader" ELSE IF s \in Q THEN "Follower" ELSE state[s]]
    /\ UNCHANGED <<log, committed>>

\* Leader i appends a client request: an entry of its term.
ClientRequest(i) ==
    /\ state[i] = "Leader"
    /\ Len(log[i]) < MaxLogLen
    /\ log' = [log EXCEPT ![i] = Append(@, currentTerm[i])]
    /\ UNCHANGED <<currentTerm, state, committed>>

\* Leader i brings j's log one step closer to its own: j, which adopts i's
\* term, either gets the next entry of i's log (when j's log is a prefix of
\* i's) or drops its last entry (when it is not).
AppendEntries(i, j) ==
    /\ i /= j
    /\ state[i] = "Leader"
    /\ currentTerm[j] <= currentTerm[i]
    /\ \/ /\ IsPrefix(log[j], log[i])
          /\ Len(log[j]) < Len(log[i])
          /\ log' = [log EXCEPT ![j] = Append(@, log[i][Len(log[j]) + 1])]
       \/ /\ ~IsPrefix(log[j], log[i])
          /\ log' = [log EXCEPT ![j] = SubSeq(@, 1, Len(@) - 1)]
    /\ currentTerm' = [currentTerm EXCEPT ![j] = currentTerm[i]]
    /\ state' = [state EXCEPT ![j] = "Follower"]
    /\ UNCHANGED committed

\* Leader i commits its entry at index k: every member of Q is in i's term
\* and holds that entry.  The rule of section 5.4.2: the entry must be of
\* i's current term, unless GhostCommit.
CommitEntry(i, Q, k) ==
    /\ state[i] = "Leader"
    /\ i \in Q
    /\ k <= Len(log[i])
    /\ ~GhostCommit => log[i][k] = currentTerm[i]  \* not a disjunction: TLC would branch on it
    /\ \A j \in Q : /\ currentTerm[j] = currentTerm[i]
                    /\ k <= Len(log[j])
                    /\ log[j][k] = log[i][k]
    /\ <<k, log[i][k], currentTerm[i]>> \notin committed
    /\ committed' = committed \cup {<<k, log[i][k], currentTerm[i]>>}
    /\ UNCHANGED <<currentTerm, state, log>>

\* j learns i's higher term (from any message) and steps down.
UpdateTerm(i, j) ==
    /\ currentTerm[i] > currentTerm[j]
    /\ currentTerm' = [currentTerm EXCEPT ![j] = currentTerm[i]]
    /\ state' = [state EXCEPT ![j] = "Follower"]
    /\ UNCHANGED <<log, committed>>

Next ==
    \/ \E i \in Server, Q \in Quorums : BecomeLeader(i, Q)
    \/ \E i \in Server : ClientRequest(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i \in Server, Q \in Quorums, k \in 1..MaxLogLen : CommitEntry(i, Q, k)
    \/ \E i, j \in Server : UpdateTerm(i, j)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* The four safety properties of Figure 3. *)

\* At most one leader per term.
ElectionSafety ==
    \A i, j \in Server :
        (i /= j /\ state[i] = "Leader" /\ state[j] = "Leader") => currentTerm[i] /= currentTerm[j]

\* Two logs that hold an entry of the same index and term agree on every
\* entry up to that index.
LogMatching ==
    \A i, j \in Server :
        \A k \in 1..Len(log[i]) :
            (k <= Len(log[j]) /\ log[i][k] = log[j][k]) => SubSeq(log[i], 1, k) = SubSeq(log[j], 1, k)

\* An entry committed in a term is in the log of every leader of a later term.
LeaderCompleteness ==
    \A c \in committed : \A l \in Server :
        (state[l] = "Leader" /\ currentTerm[l] > c[3]) => (c[1] <= Len(log[l]) /\ log[l][c[1]] = c[2])

\* No two different entries are committed at one index.
StateMachineSafety ==
    \A c, d \in committed : c[1] = d[1] => c[2] = d[2]
=============================================================================
