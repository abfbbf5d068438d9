---- MODULE ForallExists ----
\* \A in an action whose body is an \E (Paxos' Phase2a: \A a \in Q : \E m \in Q1b : m.acc = a):
\* TLC enumerates each element's \E as an action, so an element that holds for two m gives
\* two ways, and the successors are the product of the elements' ways (duplicates, counted
\* as generated).  The \E's set reads the state and the element.
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\ y = 0
Next == /\ x < 4
        /\ \E q \in 0..1 :
              /\ \A a \in {1, 2} : \E m \in {x, x + 1, a + q} : m >= a /\ (m > x \/ q = 0)
              /\ x' = x + 1
              /\ y' = q
====
