---- MODULE prefix_operators ----
VARIABLES x, S
A == SUBSET S
B == UNION S
C == DOMAIN x
D == ENABLED (x' = x)
E == UNCHANGED <<x, S>>
F == [](x = 1)
G == <>(x = 1)
H == []<>(x = 1)
I == ~ x
====
