---- MODULE numbers_bases ----
A == \b1010
B == \o17
C == \hFF
D == \B11 + \O7 + \Ha
E == 42
====
