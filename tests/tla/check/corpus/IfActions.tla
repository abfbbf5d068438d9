---- MODULE IfActions ----
\* IF/THEN/ELSE choosing between assignments inside an action.
EXTENDS Naturals
VARIABLES x, dir
Init == x = 0 /\ dir = "up"
Next == IF dir = "up"
          THEN IF x = 3 THEN dir' = "down" /\ x' = x ELSE x' = x + 1 /\ UNCHANGED dir
          ELSE IF x = 0 THEN dir' = "up" /\ x' = x ELSE x' = x - 1 /\ UNCHANGED dir
Inv == x \in 0..3
====
