---- MODULE subexpression_selectors ----
Inv == /\ TRUE
       /\ FALSE
A == Inv!2
====
