\* Issue 14: labels and subexpression references (Inv!2, Op(x)!lbl, Pos!:), pinned to TLC 2.20.
---- MODULE Subexpressions ----
EXTENDS Naturals
VARIABLE x
ASSUME Pos == 2 > 1
ASSUME Pos!:
Init == /\ x \in 0..3
        /\ x # 2
Inv == /\ x < 10
       /\ lbl :: x # 7
Op(a) == a > 0 /\ here :: a < 9
Next == /\ x < 8
        /\ x' = x + 1
        /\ Init!2
        /\ Op(x)!here
        /\ Op(x)!1
Check == Inv!2 /\ Inv!lbl /\ Init!1 /\ Op(x)!2
====
