---- MODULE Footprint ----
\* Incremental invariant checking (checker/tla/model.py): the second conjunct of TypeOK reads y
\* only through an operator, a LET and a function definition; a step that changes y and leaves
\* x as it was must still evaluate it. TLC 2.20: TypeOK violated, trace of 3 states.
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\ y = 0
Next == \/ x < 2 /\ x' = x + 1 /\ y' = y
        \/ y < 3 /\ y' = y + 1 /\ x' = x
Double[i \in 0..5] == 2 * i
Low(v) == LET w == v IN w < 3
TypeOK == /\ x \in 0..2
          /\ Low(Double[y])
====
