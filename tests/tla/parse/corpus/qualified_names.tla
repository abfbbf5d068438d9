---- MODULE qualified_names ----
VARIABLES x, y
C == INSTANCE Counter WITH count <- x, Max <- 3
P(v) == INSTANCE Counter WITH count <- v, Max <- 3
A == C!Init
B == C!Step(1)
D == P(y)!Init
====
