---- MODULE prefix_postfix_definitions ----
-. a == a
a ^+ == a
a (+) b == a
A == -. 1
B == 1 (+) 2
====
