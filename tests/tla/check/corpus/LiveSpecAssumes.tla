---- MODULE LiveSpecAssumes ----
\* A temporal conjunct of the SPECIFICATION other than fairness ([]<>(x = 1)): an assumption
\* of every property (the counter must move on, so it reaches 2), as TLC takes it.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x /\ []<>(x = 1)
Live == <>(x = 2)
Leads == (x = 1) ~> (x = 0)
====
