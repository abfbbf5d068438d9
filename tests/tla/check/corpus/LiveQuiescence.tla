---- MODULE LiveQuiescence ----
\* [](P => []P): once terminated, x stays terminated (tlaplus/Examples ewd840).
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x < 3 /\ x' = x + 1
Spec == Init /\ [][Next]_x /\ WF_x(Next)
Quiescence == [](x = 3 => [](x = 3))
Live == <>[](x = 3)
====
