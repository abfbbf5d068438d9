------------------------------- MODULE Voting -------------------------------
(***************************************************************************)
(* The voting algorithm that underlies Paxos, after Lamport's Voting.tla   *)
(* (TLA+ Examples, specifications/Paxos/Voting.tla, and "Byzantizing       *)
(* Paxos by Refinement", 2011). Acceptors vote for values in numbered      *)
(* ballots; an acceptor votes at most once per ballot, never below its     *)
(* maxBal, and only for a value that a quorum shows to be safe. A value is *)
(* chosen when a quorum votes for it in one ballot.                        *)
(*                                                                         *)
(* Ballots are 0..MaxBallot so that the instance is finite; the rest       *)
(* follows Lamport.  IndInv is the inductive invariant: `tlacheck prove    *)
(* Voting.tla --inv IndInv` checks it with Z3, and VotingInductive.cfg     *)
(* lets TLC check it by starting from every state that satisfies it.      *)
(***************************************************************************)
EXTENDS Integers, FiniteSets

CONSTANTS Value, Acceptor, Quorum, MaxBallot

ASSUME QuorumAssumption == /\ \A Q \in Quorum : Q \subseteq Acceptor
                           /\ \A Q1, Q2 \in Quorum : Q1 \cap Q2 /= {}

Ballot == 0..MaxBallot

VARIABLES votes, maxBal
vars == <<votes, maxBal>>

TypeOK == /\ votes \in [Acceptor -> SUBSET (Ballot \X Value)]
          /\ maxBal \in [Acceptor -> Ballot \cup {-1}]

VotedFor(a, b, v) == <<b, v>> \in votes[a]

ChosenAt(b, v) == \E Q \in Quorum : \A a \in Q : VotedFor(a, b, v)

chosen == {v \in Value : \E b \in Ballot : ChosenAt(b, v)}

DidNotVoteAt(a, b) == \A v \in Value : ~ VotedFor(a, b, v)

CannotVoteAt(a, b) == /\ maxBal[a] > b
                      /\ DidNotVoteAt(a, b)

NoneOtherChoosableAt(b, v) ==
   \E Q \in Quorum : \A a \in Q : VotedFor(a, b, v) \/ CannotVoteAt(a, b)

SafeAt(b, v) == \A c \in 0..(b-1) : NoneOtherChoosableAt(c, v)

ShowsSafeAt(Q, b, v) ==
  /\ \A a \in Q : maxBal[a] >= b
  /\ \E c \in -1..(b-1) :
      /\ (c /= -1) => \E a \in Q : VotedFor(a, c, v)
      /\ \A d \in (c+1)..(b-1) : \A a \in Q : DidNotVoteAt(a, d)

Init == /\ votes = [a \in Acceptor |-> {}]
        /\ maxBal = [a \in Acceptor |-> -1]

IncreaseMaxBal(a, b) ==
  /\ b > maxBal[a]
  /\ maxBal' = [maxBal EXCEPT ![a] = b]
  /\ UNCHANGED votes

VoteFor(a, b, v) ==
  /\ maxBal[a] =< b
  /\ \A vt \in votes[a] : vt[1] /= b
  /\ \A c \in Acceptor \ {a} :
        \A vt \in votes[c] : (vt[1] = b) => (vt[2] = v)
  /\ \E Q \in Quorum : ShowsSafeAt(Q, b, v)
  /\ votes' = [votes EXCEPT ![a] = votes[a] \cup {<<b, v>>}]
  /\ maxBal' = [maxBal EXCEPT ![a] = b]

Next == \E a \in Acceptor, b \in Ballot :
            \/ IncreaseMaxBal(a, b)
            \/ \E v \in Value : VoteFor(a, b, v)

Spec == Init /\ [][Next]_vars

(* The safety property: at most one value is chosen. *)
Consistency == \A v, w \in chosen : v = w

VotesSafe == \A a \in Acceptor, b \in Ballot, v \in Value :
                 VotedFor(a, b, v) => SafeAt(b, v)

OneVote == \A a \in Acceptor, b \in Ballot, v, w \in Value :
              VotedFor(a, b, v) /\ VotedFor(a, b, w) => (v = w)

OneValuePerBallot ==
    \A a1, a2 \in Acceptor, b \in Ballot, v1, v2 \in Value :
       VotedFor(a1, b, v1) /\ VotedFor(a2, b, v2) => (v1 = v2)

(* Lamport's inductive invariant: it implies Consistency. *)
IndInv == TypeOK /\ VotesSafe /\ OneValuePerBallot
=============================================================================
