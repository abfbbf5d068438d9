---- MODULE ExceptMany ----
\* Several updates in one EXCEPT, some under the same argument, some at other depths, one
\* outside the domain: applied in their order (issue 23 groups them by argument), as TLC.
EXTENDS Integers, Sequences
VARIABLES f, s
Init == f = [a |-> [x |-> 1, y |-> <<1, 2>>], b |-> 0] /\ s = <<1, 2, 3>>
Next == /\ f.b < 3
        /\ f' = [f EXCEPT !.a.x = @ + 1, !.a.y[2] = @ * 2, !.a = [@ EXCEPT !.x = @ + 10], !.b = @ + 1, !.a.y[1] = f.b, !.zz = 5]
        /\ s' = [s EXCEPT ![2] = @ + f.b, ![1] = @ + 1, ![2] = @ * 3, ![9] = 0]
Inv == f.b = 3 => (f.a.x = 34 /\ f.a.y = <<2, 16>> /\ s = <<4, 69, 3>>)
====
