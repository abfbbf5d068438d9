---- MODULE precedence_arith ----
EXTENDS Integers
A == 1 + 2 * 3
B == 1 - 2 - 3
C == 2 ^ (3 ^ 2)
D == -2 ^ 2
E == 1 + 2 - 3
F == (7 \div 2) + (7 % 2)
G == - 1 + 2
====
