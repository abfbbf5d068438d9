---- MODULE LiveDeadlockEval ----
\* A deadlock (at x = 9), and a state generated before it is explored where the temporal
\* property cannot be evaluated (x = 2: a division by zero). TLC evaluates a state's liveness
\* checks when its parent's successors are all generated: the evaluation error comes first.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == \/ x = 0 /\ x' = 1
        \/ x = 0 /\ x' = 9
        \/ x = 1 /\ x' = 2
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Prop == <>(4 \div (2 - x) = 0)
====
