\* Issue 14: WF_d(Detect) of a refined spec whose variable d is mapped to an expression (EWD840's
\* TD!Spec). TLC 2.20 computes ENABLED <<Detect>>_d before substituting: d' is a variable of its
\* own there, so ENABLED holds at x = 1, where the behaviour may stutter for ever without
\* fairness (NoFair: violated, 2 states then stuttering) and cannot with it (Spec: no error, 3/3/3).
---- MODULE RefineMapped ----
EXTENDS Naturals
VARIABLES x
Init == x = 0
Next == x < 2 /\ x' = x + 1
Spec == Init /\ [][Next]_x /\ WF_x(Next)
NoFair == Init /\ [][Next]_x
done == x = 2
D == INSTANCE DoneSpec WITH d <- done
DSpec == D!Spec
====
