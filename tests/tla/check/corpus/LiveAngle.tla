---- MODULE LiveAngle ----
\* []<><<A>>_v: Inc happens infinitely often only if it is fair; here only Dec is.
EXTENDS Naturals
VARIABLE x
Inc == x < 2 /\ x' = x + 1
Dec == x > 0 /\ x' = x - 1
Init == x = 0
Spec == Init /\ [][Inc \/ Dec]_x /\ WF_x(Dec)
IncForever == []<><<Inc>>_x
====
