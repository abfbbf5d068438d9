---- MODULE IntArith ----
\* Int, negative numbers, \div and % (floor semantics), ^ and unary minus.
EXTENDS Integers
VARIABLE x
Init == x = -3
Next == x < 3 /\ x' = x + 1
Inv == /\ x \in Int
       /\ (x \div 2) * 2 + (x % 2) = x
       /\ x % 2 \in {0, 1}
       /\ -x = 0 - x
       /\ 2 ^ 3 = 8
       /\ (x >= 0) = (x \in Nat)
====
