---- MODULE HigherOrder ----
\* Operator parameters, LAMBDA, user-defined infix operators.
EXTENDS Naturals
VARIABLE x
Apply(F(_), v) == F(v)
Twice(F(_), v) == F(F(v))
a \oplus b == (a + b) % 5
Init == x = 0
Next == x' = Twice(LAMBDA v : v \oplus 2, x)
Inv == Apply(LAMBDA v : v < 5, x)
====
