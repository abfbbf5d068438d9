---- MODULE temporal ----
VARIABLES x, y
vars == <<x, y>>
Next == x' = y /\ y' = x
Spec == (x = 0) /\ [][Next]_vars /\ WF_vars(Next) /\ SF_<<x, y>>(Next)
Live == (x = 0) ~> (x = 1)
Prop == <><<Next>>_vars
Guar == (x = 0) -+-> (y = 0)
TQ == \EE t : t = x
UQ == \AA t : t = x
====
