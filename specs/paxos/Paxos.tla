------------------------------- MODULE Paxos -------------------------------
(***************************************************************************)
(* Single-decree Paxos: a set of acceptors agree on one value, even when   *)
(* messages are lost, duplicated or delayed and processes stop and restart.*)
(*                                                                         *)
(* Proposals are numbered by ballots.  A leader of ballot b runs two       *)
(* phases:                                                                 *)
(*                                                                         *)
(*  1. It asks the acceptors to join ballot b (a "1a" message).  An        *)
(*     acceptor that has not yet promised a higher ballot promises b and   *)
(*     answers with the highest ballot it voted in and the value of that   *)
(*     vote (a "1b" message); -1 and None if it never voted.               *)
(*  2. Once a quorum of acceptors answered for b, the leader proposes a    *)
(*     value (a "2a" message): the value of the highest-ballot vote that   *)
(*     the quorum reported, or any value if they reported none.  An        *)
(*     acceptor that has not promised a higher ballot votes for it (a "2b" *)
(*     message).                                                           *)
(*                                                                         *)
(* A value is chosen when a quorum voted for it in one ballot.  Any two    *)
(* quorums share an acceptor, so a leader of a later ballot always hears   *)
(* of a value chosen earlier, and proposes that value again: at most one   *)
(* value is ever chosen (Agreement).                                       *)
(*                                                                         *)
(* The set msgs of messages only grows: a message that is sent stays       *)
(* available for ever, which models loss (it is never received),          *)
(* duplication (it is received again) and reordering at no cost.  Leaders *)
(* are not modelled: anyone may send a 1a or 2a message for any ballot, as *)
(* long as the rules above hold.                                           *)
(*                                                                         *)
(* References: Leslie Lamport, "Paxos Made Simple", ACM SIGACT News 32(4), *)
(* 2001; and his TLA+ specification of Paxos (the Paxos example of the     *)
(* TLA+ distribution), whose variables, actions and invariant this module  *)
(* follows.  This text is written anew for tlacheck; the Python twin is    *)
(* paxos_model/ and the two must stay in step (same variables, actions,    *)
(* bounds and enumeration of existentials, so TLC's counts agree).         *)
(*                                                                         *)
(* Variant selects the correct protocol or one of four bugs, each breaking *)
(* one rule (see paxos_model's factories for why each rule matters):       *)
(*   "any_value"        Phase2a ignores the votes reported in 1b messages; *)
(*   "two_proposals"    a ballot may send 2a messages for two values;      *)
(*   "accept_lower"     Phase2b votes for a ballot below the promise;      *)
(*   "minority_quorums" quorums need not intersect (set by the cfg).       *)
(* Every switch is an IF, never a disjunction, because TLC enumerates each *)
(* true disjunct of an action as its own successor.                        *)
(***************************************************************************)
EXTENDS Integers

CONSTANTS Value,     \* the values that may be proposed
          Acceptor,  \* the acceptors
          Quorum,    \* a set of sets of acceptors
          MaxBallot, \* ballots are 0..MaxBallot
          None,      \* a model value: "no value" (Lamport: CHOOSE v : v \notin Value)
          Variant    \* "correct" or the name of a bug

Variants == {"correct", "any_value", "two_proposals", "accept_lower", "minority_quorums"}

ASSUME /\ Variant \in Variants
       /\ None \notin Value
       /\ MaxBallot \in Nat
       /\ \A Q \in Quorum : Q \subseteq Acceptor
       \* The assumption the minority_quorums bug drops:
       /\ Variant # "minority_quorums" => \A Q1, Q2 \in Quorum : Q1 \cap Q2 # {}

Ballot == 0..MaxBallot

Message ==
       [type : {"1a"}, bal : Ballot]
  \cup [type : {"1b"}, acc : Acceptor, bal : Ballot,
        mbal : Ballot \cup {-1}, mval : Value \cup {None}]
  \cup [type : {"2a"}, bal : Ballot, val : Value]
  \cup [type : {"2b"}, acc : Acceptor, bal : Ballot, val : Value]

VARIABLES maxBal,   \* maxBal[a]: the highest ballot acceptor a promised (-1: none)
          maxVBal,  \* maxVBal[a]: the highest ballot a voted in (-1: none)
          maxVal,   \* maxVal[a]: the value a voted for in ballot maxVBal[a] (None: none)
          msgs      \* every message sent so far

vars == <<maxBal, maxVBal, maxVal, msgs>>

TypeOK == /\ maxBal \in [Acceptor -> Ballot \cup {-1}]
          /\ maxVBal \in [Acceptor -> Ballot \cup {-1}]
          /\ maxVal \in [Acceptor -> Value \cup {None}]
          /\ msgs \subseteq Message

Init == /\ maxBal = [a \in Acceptor |-> -1]
        /\ maxVBal = [a \in Acceptor |-> -1]
        /\ maxVal = [a \in Acceptor |-> None]
        /\ msgs = {}

Send(m) == msgs' = msgs \cup {m}

(* Phase 1a: a leader asks the acceptors to join ballot b. *)
Phase1a(b) == /\ Send([type |-> "1a", bal |-> b])
              /\ UNCHANGED <<maxBal, maxVBal, maxVal>>

(* Phase 1b: acceptor a answers a 1a message of a ballot above its promise *)
(* with its last vote, and promises that ballot.                           *)
Phase1b(a) ==
  /\ \E m \in msgs :
        /\ m.type = "1a"
        /\ m.bal > maxBal[a]
        /\ maxBal' = [maxBal EXCEPT ![a] = m.bal]
        /\ Send([type |-> "1b", acc |-> a, bal |-> m.bal,
                 mbal |-> maxVBal[a], mval |-> maxVal[a]])
  /\ UNCHANGED <<maxVBal, maxVal>>

(* Phase 2a: with 1b messages of ballot b from a whole quorum Q, propose v *)
(* if it is the value of the highest vote they report, or if they report   *)
(* no vote; only once per ballot.                                          *)
Phase2a(b, v) ==
  /\ IF Variant = "two_proposals"
       THEN TRUE
       ELSE ~ \E m \in msgs : m.type = "2a" /\ m.bal = b
  /\ \E Q \in Quorum :
        LET Q1b  == {m \in msgs : /\ m.type = "1b"
                                  /\ m.acc \in Q
                                  /\ m.bal = b}
            Q1bv == {m \in Q1b : m.mbal >= 0}
        IN  /\ \A a \in Q : \E m \in Q1b : m.acc = a
            /\ IF Variant = "any_value"
                 THEN TRUE
                 ELSE \/ Q1bv = {}
                      \/ \E m \in Q1bv :
                            /\ m.mval = v
                            /\ \A mm \in Q1bv : m.mbal >= mm.mbal
  /\ Send([type |-> "2a", bal |-> b, val |-> v])
  /\ UNCHANGED <<maxBal, maxVBal, maxVal>>

(* Phase 2b: acceptor a votes for a proposal of a ballot not below its     *)
(* promise.                                                                *)
Phase2b(a) ==
  \E m \in msgs :
     /\ m.type = "2a"
     /\ IF Variant = "accept_lower" THEN TRUE ELSE m.bal >= maxBal[a]
     /\ maxBal' = [maxBal EXCEPT ![a] = m.bal]
     /\ maxVBal' = [maxVBal EXCEPT ![a] = m.bal]
     /\ maxVal' = [maxVal EXCEPT ![a] = m.val]
     /\ Send([type |-> "2b", acc |-> a, bal |-> m.bal, val |-> m.val])

Next == \/ \E b \in Ballot : \/ Phase1a(b)
                             \/ \E v \in Value : Phase2a(b, v)
        \/ \E a \in Acceptor : Phase1b(a) \/ Phase2b(a)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Agreement: a value is chosen when a quorum voted for it in one ballot,  *)
(* and at most one value is ever chosen (Lamport calls it Consistency).    *)

VotedForIn(a, v, b) == \E m \in msgs : /\ m.type = "2b"
                                       /\ m.acc = a
                                       /\ m.bal = b
                                       /\ m.val = v

ChosenIn(v, b) == \E Q \in Quorum : \A a \in Q : VotedForIn(a, v, b)

Chosen(v) == \E b \in Ballot : ChosenIn(v, b)

Agreement == \A v1, v2 \in Value : Chosen(v1) /\ Chosen(v2) => v1 = v2

-----------------------------------------------------------------------------
(* Lamport's inductive invariant: it holds initially, every step keeps it, *)
(* and it implies Agreement (given that quorums intersect).                *)

(* a has not voted in ballot b and never will: it promised a higher one. *)
WontVoteIn(a, b) == /\ \A v \in Value : ~ VotedForIn(a, v, b)
                    /\ maxBal[a] > b

(* No value other than v has been or can be chosen in any ballot below b. *)
SafeAt(v, b) ==
  \A c \in 0..(b - 1) :
     \E Q \in Quorum : \A a \in Q : VotedForIn(a, v, c) \/ WontVoteIn(a, c)

(* What each acceptor's variables say. *)
AccInv ==
  \A a \in Acceptor :
     /\ (maxVal[a] = None) <=> (maxVBal[a] = -1)
     /\ maxVBal[a] =< maxBal[a]
     /\ (maxVBal[a] >= 0) => VotedForIn(a, maxVal[a], maxVBal[a])
     /\ \A c \in Ballot : c > maxVBal[a] => ~ \E v \in Value : VotedForIn(a, v, c)

(* What each message implies. *)
MsgInv ==
  \A m \in msgs :
     /\ (m.type = "1b") =>
           /\ m.bal =< maxBal[m.acc]
           /\ \/ /\ m.mval \in Value
                 /\ m.mbal \in Ballot
                 /\ VotedForIn(m.acc, m.mval, m.mbal)
              \/ /\ m.mval = None
                 /\ m.mbal = -1
           \* ... and it did not vote between its last vote and m.bal: without
           \* this conjunct (added to Lamport's invariant for its TLAPS proof)
           \* Inv holds on every reachable state but is not inductive.
           /\ \A c \in (m.mbal + 1)..(m.bal - 1) :
                 ~ \E v \in Value : VotedForIn(m.acc, v, c)
     /\ (m.type = "2a") =>
           /\ SafeAt(m.val, m.bal)
           /\ \A ma \in msgs : (ma.type = "2a" /\ ma.bal = m.bal) => ma = m
     /\ (m.type = "2b") =>
           /\ \E ma \in msgs : /\ ma.type = "2a"
                              /\ ma.bal = m.bal
                              /\ ma.val = m.val
           /\ m.bal =< maxVBal[m.acc]

Inv == TypeOK /\ AccInv /\ MsgInv
=============================================================================
