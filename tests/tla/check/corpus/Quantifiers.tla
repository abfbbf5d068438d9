---- MODULE Quantifiers ----
\* \A and \E with several bounds and tuple patterns.
EXTENDS Naturals
VARIABLE p
Pairs == {<<a, b>> : a \in 0..2, b \in 0..2}
Init == p \in {<<0, 0>>}
Next == \E <<a, b>> \in Pairs : /\ a + b = p[1] + p[2] + 1
                                /\ p' = <<a, b>>
Inv == /\ \A <<a, b>> \in {p} : a <= 2 /\ b <= 2
       /\ \E a, b \in 0..2 : p = <<a, b>>
       /\ \A x \in {} : FALSE
====
