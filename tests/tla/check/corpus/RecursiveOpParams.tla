\* Issue 14: a construct that was an error in tlacheck, pinned to TLC 2.20.
---- MODULE RecursiveOpParams ----
EXTENDS Naturals, Sequences
VARIABLE x
RECURSIVE MapSeq(_, _)
MapSeq(F(_), s) == IF s = <<>> THEN <<>> ELSE <<F(Head(s))>> \o MapSeq(F, Tail(s))
RECURSIVE Fold(_, _, _)
Fold(Op(_, _), acc, s) == IF s = <<>> THEN acc ELSE Fold(Op, Op(acc, Head(s)), Tail(s))
Add(a, b) == a + b
Double(n) == 2 * n
Init == x = <<1, 2>>
Next == Fold(Add, 0, x) < 20 /\ x' = MapSeq(Double, x) \o MapSeq(LAMBDA n : n + x[1], <<1>>)
Inv == Len(x) < 5
====
