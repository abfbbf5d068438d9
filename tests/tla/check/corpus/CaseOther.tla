---- MODULE CaseOther ----
\* CASE with and without OTHER, in expressions and in actions.
EXTENDS Naturals
VARIABLES light, ticks
Init == light = "red" /\ ticks = 0
Next == /\ ticks < 7
        /\ ticks' = ticks + 1
        /\ CASE light = "red"    -> light' = "green"
             [] light = "green"  -> light' = "yellow"
             [] OTHER            -> light' = "red"
Stop == CASE light = "red" -> TRUE [] light = "yellow" -> TRUE [] light = "green" -> FALSE
Inv == Stop \/ light = "green"
====
