---- MODULE lambda_higher_order ----
EXTENDS Naturals
Apply(F(_), x) == F(x)
Twice(F(_, _), a) == F(a, a)
A == Apply(LAMBDA x : x + 1, 2)
B == Twice(LAMBDA x, y : x * y, 3)
Inc(x) == x + 1
C == Apply(Inc, 3)
====
