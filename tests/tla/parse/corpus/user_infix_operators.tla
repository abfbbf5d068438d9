---- MODULE user_infix_operators ----
EXTENDS Naturals
a \prec b == a < b
a ++ b == a + b
A == 1 \prec 2
B == 1 ++ 2 ++ 3
====
