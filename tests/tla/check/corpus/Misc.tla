---- MODULE Misc ----
\* <<A>>_v and [A]_v inside Next, labels (lbl::), \b \o \h numbers, a nested module and its instance.
EXTENDS Naturals, Sequences

---- MODULE Inner ----
VARIABLE z
Bump == z' = (z + 1) % 3
====

VARIABLES x, z
I == INSTANCE Inner
Init == x = \b0 /\ z = \o0
Move == x' = (x + \h1) % 4 /\ UNCHANGED z
Next == \/ <<Move>>_x
        \/ [I!Bump /\ UNCHANGED x]_<<x, z>>
        \/ lbl:: (x = 3 /\ x' = 0 /\ z' = z)
Inv == x \in 0..3 /\ z \in 0..2
====
