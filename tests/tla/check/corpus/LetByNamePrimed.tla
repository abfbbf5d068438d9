\* Issue 14: a LET definition, or an argument held as a value, given to a parameter that is primed
\* stands for its text (s' is q'[1]; it was error E212), and so does a LET name primed directly
\* (t' is q'[2] + 1, not t: a silent wrong answer before). TLC 2.20: 19 / 10 / 2.
---- MODULE LetByNamePrimed ----
EXTENDS Naturals
VARIABLES q, y, z
Grows(v) == v' > v
Twice(w) == LET u == w IN Grows(u)
Init == q = <<0, 0>> /\ y = 0 /\ z = 0
Next == /\ q' \in [1..2 -> 0..3]
        /\ LET s == q[1] IN Grows(s)
        /\ Twice(q[2] + 0)
        /\ LET t == q[2] + 1 IN y' = t'
        /\ LET vs == <<z>> IN UNCHANGED vs
Inv == y <= 4
====
