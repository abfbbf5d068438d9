\* Issue 14: a construct that was an error in tlacheck, pinned to TLC 2.20.
---- MODULE TuplePatternFn ----
EXTENDS Naturals
VARIABLE x
sc[<<a, b>> \in (0..2) \X (0..2)] == a * 3 + b
sd[<<a, b>> \in (0..2) \X (0..2), c \in {0, 1}] == a + b + c
Init == x = 0
Next == \E a, b \in 0..2 : x' = sc[<<a, b>>] + LET f[<<u, v>> \in {<<1, 2>>} ] == u + v IN f[<<1, 2>>] + sd[<<a, b>>, 1]
Inv == x < 20
====
