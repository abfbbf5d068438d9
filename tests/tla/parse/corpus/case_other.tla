---- MODULE case_other ----
EXTENDS Naturals
VARIABLE x
A == CASE x = 1 -> "one"
       [] x = 2 -> "two"
       [] OTHER -> "many"
B == CASE x > 0 -> 1 [] x < 0 -> -1
C == CASE x = 0 -> (CASE x = 0 -> 1 [] OTHER -> 2) [] OTHER -> 3
====
