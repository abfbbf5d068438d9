---- MODULE postfix_prime ----
VARIABLES x, f
A == x' = x
B == f'[1] = f[1]'
C == (x + 1)' = x' + 1
====
