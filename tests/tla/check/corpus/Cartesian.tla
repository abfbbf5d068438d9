---- MODULE Cartesian ----
\* \X products and tuples as states.
EXTENDS Naturals
VARIABLE pos
Grid == (0..2) \X (0..1)
Init == pos \in Grid
Next == \E d \in {<<1, 0>>, <<0, 1>>} :
          /\ <<pos[1] + d[1], pos[2] + d[2]>> \in Grid
          /\ pos' = <<pos[1] + d[1], pos[2] + d[2]>>
Inv == pos \in Grid
====
