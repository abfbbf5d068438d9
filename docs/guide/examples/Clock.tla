------------------------------- MODULE Clock -------------------------------
(* An hour clock (Lamport, Specifying Systems, chapter 2), with a bound on *)
(* the hours as a constant and an invariant that fails at midnight.        *)
EXTENDS Naturals

CONSTANT Hours           \* 12 on a wall clock
VARIABLE hr

Init == hr = 1
Next == hr' = IF hr = Hours THEN 1 ELSE hr + 1
Spec == Init /\ [][Next]_hr
FairSpec == Spec /\ WF_hr(Next)  \* the clock never stops

TypeOK == hr \in 1..Hours
NotMidnight == hr /= Hours  \* fails: the clock reaches Hours
Midnight == <>(hr = Hours)   \* a liveness property: needs FairSpec
=============================================================================
