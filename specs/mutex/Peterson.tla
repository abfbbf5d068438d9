------------------------------ MODULE Peterson ------------------------------
(***************************************************************************)
(* Peterson's mutual exclusion algorithm for two processes.                *)
(*                                                                         *)
(* Each process p in {0, 1} loops: it raises its flag, gives the turn to   *)
(* the other process, waits until the other's flag is down or the turn is *)
(* its own, enters the critical section, and lowers its flag on leaving.   *)
(*                                                                         *)
(*     a1: flag[p] := TRUE;                                                *)
(*     a2: turn := 1 - p;                                                  *)
(*     a3: await ~flag[1 - p] \/ turn = p;                                 *)
(*     cs: critical section;                                               *)
(*     a4: flag[p] := FALSE; goto a1                                       *)
(*                                                                         *)
(* MutualExclusion says both are never in the critical section together.   *)
(* PetersonBroken.cfg checks the variant that skips giving away the turn   *)
(* (Broken == TRUE), which lets both processes in.                         *)
(*                                                                         *)
(* G. L. Peterson, "Myths About the Mutual Exclusion Problem", Information *)
(* Processing Letters 12(3), 1981.                                          *)
(***************************************************************************)
EXTENDS Naturals

CONSTANT Broken   \* TRUE: a process does not give the turn away

VARIABLES flag, turn, pc

vars == <<flag, turn, pc>>

Proc == {0, 1}
Other(p) == 1 - p

TypeOK ==
  /\ flag \in [Proc -> BOOLEAN]
  /\ turn \in Proc
  /\ pc \in [Proc -> {"a1", "a2", "a3", "cs", "a4"}]

Init ==
  /\ flag = [p \in Proc |-> FALSE]
  /\ turn \in Proc
  /\ pc = [p \in Proc |-> "a1"]

Goto(p, from, to) ==
  /\ pc[p] = from
  /\ pc' = [pc EXCEPT ![p] = to]

RaiseFlag(p) ==
  /\ Goto(p, "a1", "a2")
  /\ flag' = [flag EXCEPT ![p] = TRUE]
  /\ UNCHANGED turn

GiveTurn(p) ==
  /\ Goto(p, "a2", "a3")
  /\ turn' = IF Broken THEN turn ELSE Other(p)
  /\ UNCHANGED flag

Enter(p) ==
  /\ Goto(p, "a3", "cs")
  /\ ~flag[Other(p)] \/ turn = p
  /\ UNCHANGED <<flag, turn>>

Exit(p) ==
  /\ Goto(p, "cs", "a4")
  /\ UNCHANGED <<flag, turn>>

LowerFlag(p) ==
  /\ Goto(p, "a4", "a1")
  /\ flag' = [flag EXCEPT ![p] = FALSE]
  /\ UNCHANGED turn

Next == \E p \in Proc :
          \/ RaiseFlag(p)
          \/ GiveTurn(p)
          \/ Enter(p)
          \/ Exit(p)
          \/ LowerFlag(p)

Spec == Init /\ [][Next]_vars /\ WF_vars(Next)

MutualExclusion == ~(pc[0] = "cs" /\ pc[1] = "cs")

(* Liveness: each process that raises its flag eventually enters.  Not     *)
(* checked by tlacheck yet (reported as such).                             *)
StarvationFree == \A p \in Proc : pc[p] = "a2" ~> pc[p] = "cs"
=============================================================================
