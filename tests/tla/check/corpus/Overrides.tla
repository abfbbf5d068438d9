---- MODULE Overrides ----
(* The cfg may replace a definition, as TLC allows: NoVal = NoVal makes an     *)
(* unevaluable CHOOSE a model value, and Limit <- MyLimit changes a bound.    *)
(* Without the second, the spec has 4 distinct states, not 7.                 *)
EXTENDS Naturals
CONSTANT Val
VARIABLE x
NoVal == CHOOSE v : v \notin Val
Limit == 2
MyLimit == 5
Init == x = NoVal
Next == x' = IF x = NoVal THEN 0 ELSE IF x < Limit THEN x + 1 ELSE x
====
