---- MODULE junction_comments_between ----
VARIABLES a, b, c
A == /\ a \* first
     (* a comment line between the items *)
     /\ b
        \* a comment left of nothing
     /\ c
====
