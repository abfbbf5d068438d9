---- MODULE instance_with ----
CONSTANT N
VARIABLES x, y
INSTANCE Counter WITH count <- x, Max <- N
C == INSTANCE Counter WITH count <- y, Max <- N + 1
P(v) == INSTANCE Counter WITH count <- v, Max <- 3
LOCAL INSTANCE Naturals
====
