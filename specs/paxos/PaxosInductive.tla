--------------------------- MODULE PaxosInductive ---------------------------
(***************************************************************************)
(* An inductive invariant for single-decree Paxos (Paxos.tla), Lamport    *)
(* style: the type, maxBal >= maxVBal, the meaning of each message kind,   *)
(* one value per ballot, and safe-at for every 2a message.  It follows    *)
(* the invariant of Lamport's Paxos.tla in the TLA+ Examples and of its    *)
(* TLAPS proof, with the Voting-level notions read off the 2b messages    *)
(* (no INSTANCE): a 1b message for ballot b with last vote mbal also says *)
(* that its acceptor did not vote in any ballot strictly between mbal and *)
(* b (without it, prove finds Phase2a steps from states where a 1b        *)
(* message hides a vote), and 2a messages are safe in Voting's            *)
(* ShowsSafeAt sense, which is what the Phase2a step establishes.         *)
(*                                                                         *)
(*   tlacheck prove specs/paxos/PaxosInductive.tla --inv IndInv            *)
(***************************************************************************)
EXTENDS Paxos

DidNotVoteIn(a, b) == \A v \in Value : ~ VotedForIn(a, v, b)

(* Voting's ShowsSafeAt: the quorum Q has promised b, and c is the last    *)
(* ballot below b in which one of them voted, for v (or none voted).       *)
ShowsSafeAt(Q, b, v) ==
  /\ \A a \in Q : maxBal[a] >= b
  /\ \E c \in -1..(b - 1) :
      /\ (c /= -1) => \E a \in Q : VotedForIn(a, v, c)
      /\ \A d \in Ballot : (c < d /\ d < b) => \A a \in Q : DidNotVoteIn(a, d)

MaxBalBound == \A a \in Acceptor : maxBal[a] >= maxVBal[a]

MaxVoteMeaning ==
  \A a \in Acceptor :
     /\ (maxVBal[a] = -1) <=> (maxVal[a] = None)
     /\ (maxVBal[a] /= -1) => VotedForIn(a, maxVal[a], maxVBal[a])
     /\ \A c \in Ballot : c > maxVBal[a] => DidNotVoteIn(a, c)

Msg1bMeaning ==
  \A m \in msgs : m.type = "1b" =>
     /\ maxBal[m.acc] >= m.bal
     /\ m.mbal < m.bal
     /\ (m.mbal = -1) <=> (m.mval = None)
     /\ (m.mbal /= -1) => VotedForIn(m.acc, m.mval, m.mbal)
     /\ \A c \in Ballot : (m.mbal < c /\ c < m.bal) => DidNotVoteIn(m.acc, c)

Msg2aSafe ==
  \A m \in msgs : m.type = "2a" => \E Q \in Quorum : ShowsSafeAt(Q, m.bal, m.val)

Msg2aUnique ==
  \A m1, m2 \in msgs : (m1.type = "2a" /\ m2.type = "2a" /\ m1.bal = m2.bal) => m1.val = m2.val

Msg2bMeaning ==
  \A m \in msgs : m.type = "2b" =>
     /\ maxVBal[m.acc] >= m.bal
     /\ [type |-> "2a", bal |-> m.bal, val |-> m.val] \in msgs

(* Voting's invariant, on the votes the 2b messages record. *)
VotesSafe == \A a \in Acceptor, b \in Ballot, v \in Value : VotedForIn(a, v, b) => SafeAt(v, b)

OneValuePerBallot ==
  \A a1, a2 \in Acceptor, b \in Ballot, v1, v2 \in Value :
     VotedForIn(a1, v1, b) /\ VotedForIn(a2, v2, b) => (v1 = v2)

IndInv == /\ TypeOK
          /\ MaxBalBound
          /\ MaxVoteMeaning
          /\ Msg1bMeaning
          /\ Msg2aSafe
          /\ Msg2aUnique
          /\ Msg2bMeaning
          /\ VotesSafe
          /\ OneValuePerBallot
=============================================================================
