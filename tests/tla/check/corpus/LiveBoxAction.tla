---- MODULE LiveBoxAction ----
\* <>[][A]_v: a wrapping counter never stops decreasing now and then.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ WF_x(Next)
EventuallyGrows == <>[][x' > x]_x
====
