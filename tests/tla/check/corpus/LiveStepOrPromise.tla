---- MODULE LiveStepOrPromise ----
\* []<><<A>>_v \/ <>P: an action recurrence beside a promise (the tableau and the step check together).
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x < 2 /\ x' = x + 1
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Prop == []<><<Next>>_x \/ <>(x = 3)
====
