---------------------------- MODULE RaftMessages ----------------------------
(***************************************************************************)
(* Raft's safety core with its messages: RequestVote and AppendEntries as  *)
(* requests and responses in a bounded set of messages in flight.          *)
(*                                                                         *)
(* The same protocol as Raft.tla (read it first), taken apart into the     *)
(* sends and receipts of section 5 and Figure 2: a server times out and    *)
(* asks every other server for its vote; a voter in a lower term adopts    *)
(* the candidate's term and grants its vote if the candidate's log is at   *)
(* least as up-to-date as its own; a candidate with a majority of votes    *)
(* becomes leader; the leader sends each follower the entry after what it  *)
(* knows the follower holds (matchIndex), the follower accepts it if it    *)
(* holds the entry before it, and answers with its match index; the       *)
(* leader commits an entry held by a majority.  GhostCommit = TRUE lets a  *)
(* leader commit entries of older terms by counting replicas: the bug of   *)
(* Figure 8, found here with a longer trace than in Raft.tla.              *)
(*                                                                         *)
(*   D. Ongaro and J. Ousterhout, "In Search of an Understandable          *)
(*   Consensus Algorithm", USENIX ATC 2014, section 5.4.2 and Figure 8.    *)
(*                                                                         *)
(* Simplifications (each documented in raft_model/messages.py, of which    *)
(* this module is the twin): a server votes only for a term above its own  *)
(* (so at most once per term, without votedFor); rejections are not        *)
(* answered; the leader probes from matchIndex, not nextIndex, and sends   *)
(* no empty heartbeats; votesGranted and matchIndex are cleared when a     *)
(* server stops being candidate or leader; at most MaxMsgs messages are in *)
(* flight, and receiving a message removes it (a stale one is dropped).    *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS Server, MaxTerm, MaxLogLen, MaxMsgs, GhostCommit

VARIABLES
    currentTerm,   \* currentTerm[s]: the latest term s has seen
    state,         \* state[s]: "Follower", "Candidate" or "Leader"
    votesGranted,  \* votesGranted[s]: who voted for candidate s in its term
    log,           \* log[s]: a sequence of entry terms
    matchIndex,    \* matchIndex[s][t]: how much of t's log leader s knows matches its own
    committed,     \* the set of <<index, term, commit term>> committed so far
    msgs           \* the set of messages in flight

vars == <<currentTerm, state, votesGranted, log, matchIndex, committed, msgs>>

Zero == [t \in Server |-> 0]

LastTerm(l) == IF l = <<>> THEN 0 ELSE l[Len(l)]

Init ==
    /\ currentTerm = [s \in Server |-> 0]
    /\ state = [s \in Server |-> "Follower"]
    /\ votesGranted = [s \in Server |-> {}]
    /\ log = [s \in Server |-> <<>>]
    /\ matchIndex = [s \in Server |-> Zero]
    /\ committed = {}
    /\ msgs = {}

\* s becomes a follower in term t, forgetting its votes and match indexes.
StepDown(s, t) ==
    /\ currentTerm' = [currentTerm EXCEPT ![s] = t]
    /\ state' = [state EXCEPT ![s] = "Follower"]
    /\ votesGranted' = [votesGranted EXCEPT ![s] = {}]
    /\ matchIndex' = [matchIndex EXCEPT ![s] = Zero]

Timeout(i) ==
    /\ state[i] /= "Leader"
    /\ currentTerm[i] < MaxTerm
    /\ Cardinality(msgs) + Cardinality(Server) - 1 <= MaxMsgs
    /\ currentTerm' = [currentTerm EXCEPT ![i] = @ + 1]
    /\ state' = [state EXCEPT ![i] = "Candidate"]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = Zero]
    /\ msgs' = msgs \cup {[mtype |-> "RequestVoteRequest", mterm |-> currentTerm[i] + 1,
                           msource |-> i, mdest |-> j,
                           mlastLogTerm |-> LastTerm(log[i]), mlastLogIndex |-> Len(log[i])] :
                          j \in Server \ {i}}
    /\ UNCHANGED <<log, committed>>

HandleRequestVoteRequest(m) ==
    /\ m.mtype = "RequestVoteRequest"
    /\ LET j == m.mdest
           grant == \/ m.mlastLogTerm > LastTerm(log[j])
                    \/ m.mlastLogTerm = LastTerm(log[j]) /\ m.mlastLogIndex >= Len(log[j])
           vote == [mtype |-> "RequestVoteResponse", mterm |-> m.mterm, msource |-> j, mdest |-> m.msource]
       IN /\ IF m.mterm > currentTerm[j]
                THEN /\ StepDown(j, m.mterm)
                     /\ msgs' = (msgs \ {m}) \cup (IF grant THEN {vote} ELSE {})
                ELSE /\ msgs' = msgs \ {m}
                     /\ UNCHANGED <<currentTerm, state, votesGranted, matchIndex>>
          /\ UNCHANGED <<log, committed>>

HandleRequestVoteResponse(m) ==
    /\ m.mtype = "RequestVoteResponse"
    /\ LET i == m.mdest
       IN /\ votesGranted' = IF state[i] = "Candidate" /\ m.mterm = currentTerm[i]
                                THEN [votesGranted EXCEPT ![i] = @ \cup {m.msource}]
                                ELSE votesGranted
          /\ msgs' = msgs \ {m}
          /\ UNCHANGED <<currentTerm, state, log, matchIndex, committed>>

BecomeLeader(i) ==
    /\ state[i] = "Candidate"
    /\ 2 * Cardinality(votesGranted[i]) > Cardinality(Server)
    /\ state' = [state EXCEPT ![i] = "Leader"]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = Zero]
    /\ UNCHANGED <<currentTerm, log, committed, msgs>>

ClientRequest(i) ==
    /\ state[i] = "Leader"
    /\ Len(log[i]) < MaxLogLen
    /\ log' = [log EXCEPT ![i] = Append(@, currentTerm[i])]
    /\ UNCHANGED <<currentTerm, state, votesGranted, matchIndex, committed, msgs>>

AppendEntries(i, j) ==
    LET prev == matchIndex[i][j]
        m == [mtype |-> "AppendEntriesRequest", mterm |-> currentTerm[i], msource |-> i, mdest |-> j,
              mprevLogIndex |-> prev, mprevLogTerm |-> IF prev > 0 THEN log[i][prev] ELSE 0,
              mentries |-> <<log[i][prev + 1]>>]
    IN /\ i /= j
       /\ state[i] = "Leader"
       /\ prev < Len(log[i])
       /\ Cardinality(msgs) < MaxMsgs
       /\ m \notin msgs
       /\ msgs' = msgs \cup {m}
       /\ UNCHANGED <<currentTerm, state, votesGranted, log, matchIndex, committed>>

HandleAppendEntriesRequest(m) ==
    /\ m.mtype = "AppendEntriesRequest"
    /\ LET j == m.mdest
           prev == m.mprevLogIndex
           k == prev + 1
           ok == prev = 0 \/ (prev <= Len(log[j]) /\ log[j][prev] = m.mprevLogTerm)
           \* A conflicting entry at k goes, with all that follow it (Figure 2).
           kept == IF k <= Len(log[j]) /\ log[j][k] /= m.mentries[1] THEN SubSeq(log[j], 1, prev) ELSE log[j]
           new == IF Len(kept) < k THEN kept \o m.mentries ELSE kept
           ack == [mtype |-> "AppendEntriesResponse", mterm |-> m.mterm, msource |-> j, mdest |-> m.msource,
                   mmatchIndex |-> k]
       IN /\ IF m.mterm >= currentTerm[j]
                THEN /\ StepDown(j, m.mterm)
                     /\ log' = IF ok THEN [log EXCEPT ![j] = new] ELSE log
                     /\ msgs' = (msgs \ {m}) \cup (IF ok THEN {ack} ELSE {})
                ELSE /\ msgs' = msgs \ {m}
                     /\ UNCHANGED <<currentTerm, state, votesGranted, matchIndex, log>>
          /\ UNCHANGED committed

HandleAppendEntriesResponse(m) ==
    /\ m.mtype = "AppendEntriesResponse"
    /\ LET i == m.mdest
       IN /\ matchIndex' = IF state[i] = "Leader" /\ m.mterm = currentTerm[i]
                                 /\ matchIndex[i][m.msource] < m.mmatchIndex
                              THEN [matchIndex EXCEPT ![i][m.msource] = m.mmatchIndex]
                              ELSE matchIndex
          /\ msgs' = msgs \ {m}
          /\ UNCHANGED <<currentTerm, state, votesGranted, log, committed>>

CommitEntry(i, k) ==
    /\ state[i] = "Leader"
    /\ k <= Len(log[i])
    /\ ~GhostCommit => log[i][k] = currentTerm[i]  \* not a disjunction: TLC would branch on it
    /\ <<k, log[i][k], currentTerm[i]>> \notin committed
    /\ 2 * Cardinality({i} \cup {j \in Server : matchIndex[i][j] >= k}) > Cardinality(Server)
    /\ committed' = committed \cup {<<k, log[i][k], currentTerm[i]>>}
    /\ UNCHANGED <<currentTerm, state, votesGranted, log, matchIndex, msgs>>

Next ==
    \/ \E i \in Server : Timeout(i)
    \/ \E m \in msgs : HandleRequestVoteRequest(m)
    \/ \E m \in msgs : HandleRequestVoteResponse(m)
    \/ \E m \in msgs : HandleAppendEntriesRequest(m)
    \/ \E m \in msgs : HandleAppendEntriesResponse(m)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server : ClientRequest(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i \in Server, k \in 1..MaxLogLen : CommitEntry(i, k)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* The invariants of Raft.tla. *)

ElectionSafety ==
    \A i, j \in Server :
        (i /= j /\ state[i] = "Leader" /\ state[j] = "Leader") => currentTerm[i] /= currentTerm[j]

LogMatching ==
    \A i, j \in Server :
        \A k \in 1..Len(log[i]) :
            (k <= Len(log[j]) /\ log[i][k] = log[j][k]) => SubSeq(log[i], 1, k) = SubSeq(log[j], 1, k)

LeaderCompleteness ==
    \A c \in committed : \A l \in Server :
        (state[l] = "Leader" /\ currentTerm[l] > c[3]) => (c[1] <= Len(log[l]) /\ log[l][c[1]] = c[2])

StateMachineSafety ==
    \A c, d \in committed : c[1] = d[1] => c[2] = d[2]
=============================================================================
