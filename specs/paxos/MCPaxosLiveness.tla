---- MODULE MCPaxosLiveness ----
(* Liveness of Paxos: is a value eventually chosen?                                 *)
(*                                                                                   *)
(* FairSpec makes every action weakly fair except Phase2a: proposers keep starting   *)
(* ballots and acceptors keep answering and voting, but a proposer need not finish   *)
(* phase 2. Then a higher ballot can preempt a proposal (its acceptors promise the   *)
(* higher ballot before voting) and the higher ballot's proposer never proposes: no  *)
(* value is chosen, the shadow, in a model with finitely many ballots, of the        *)
(* livelock of dueling proposers (FLP: no deterministic consensus protocol is live   *)
(* in an asynchronous system with failures). With Phase2a fair too (AllFairSpec), the *)
(* highest ballot cannot be preempted, so its proposal is chosen.                    *)
EXTENDS MCPaxos
FairSpec == /\ Spec
            /\ WF_vars(\E b \in Ballot : Phase1a(b))
            /\ WF_vars(\E a \in Acceptor : Phase1b(a))
            /\ WF_vars(\E a \in Acceptor : Phase2b(a))
AllFairSpec == FairSpec /\ WF_vars(\E b \in Ballot, v \in Value : Phase2a(b, v))
ValueChosen == <>(\E v \in Value : Chosen(v))
====
