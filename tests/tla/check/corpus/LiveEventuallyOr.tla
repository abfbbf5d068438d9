---- MODULE LiveEventuallyOr ----
\* <>P \/ []<>Q: a disjunction mixing a promise and a recurrence.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == \/ x < 2 /\ x' = x + 1
        \/ x = 2 /\ x' = 1
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Prop == <>(x = 5) \/ []<>(x = 0)
====
