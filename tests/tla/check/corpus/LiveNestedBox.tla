---- MODULE LiveNestedBox ----
\* [](P => <>[]P) (Specifying Systems' RealTime ErrorTemporal): x leaves 2 again.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Prop == [](x = 2 => <>[](x = 2))
====
