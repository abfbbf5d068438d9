---- MODULE UnchangedSubst ----
\* UNCHANGED of a tuple that holds an INSTANCE substitution (d <- x + y): TLC takes it
\* element by element, so c is assigned even though d is an expression.
EXTENDS Integers
VARIABLES c, x, y
I == INSTANCE UnchangedSubstInner WITH d <- x + y
Init == c = 0 /\ x = 0 /\ y = 0
Next == \/ x < 2 /\ x' = x + 1 /\ y' = y - 1 /\ I!Keep
        \/ c < 1 /\ c' = c + 1 /\ UNCHANGED <<x, y>>
Sum == x + y = 0
====
