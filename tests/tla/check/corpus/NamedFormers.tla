---- MODULE NamedFormers ----
\* Shapes that issue 23 made fast, with TLC's answers: membership in a named set filter that
\* reads the state (tested as TLC does, not built: Big has 20^20 candidates, Parts 2^16); a
\* constant definition used in several places (evaluated once); CHOOSE x \in S : TRUE (the
\* least element in TLC's order); a function definition that reads the state, applied several
\* times per state; equality with a constant record set.
EXTENDS Integers
VARIABLES x, p

Big == {f \in [1..20 -> 1..20] : f[1] = x}
Parts == {P \in SUBSET SUBSET (1..4) : UNION P = 1..x}
Within(k) == {s \in SUBSET (1..k) : x \in s}
Sorted == {s \in [1..3 -> 1..3] : s[1] <= s[2] /\ s[2] <= s[3]}
Pairs == {<<a, b>> : a \in 1..3, b \in 1..3}
Msgs == [type : {"t"}, v : 1..2]
sc[q \in Pairs] == IF q[1] = x THEN 1 ELSE 0

RECURSIVE Sum(_, _)
Sum(f, S) == IF S = {} THEN 0
             ELSE LET y == CHOOSE y \in S : TRUE IN f[y] + Sum(f, S \ {y})

Init == x = 1 /\ p \in Sorted
Next == x < 3 /\ x' = x + 1 /\ p' \in Sorted

Inv == /\ p \in Sorted
       /\ [i \in 1..20 |-> x] \in Big
       /\ [i \in 1..20 |-> 1] \notin Big \/ x = 1
       /\ {1..x} \in Parts
       /\ {{1}} \notin Parts \/ x = 1
       /\ {x} \in Within(3)
       /\ {} \notin Within(3)
       /\ Sum(sc, Pairs) = 3
       /\ Sum(sc, {<<x, 1>>, <<x, 3>>}) = 2
       /\ (CHOOSE q \in {<<2, 1, 1>>, <<3, 3>>, <<1, 5>>, <<3, 2>>} : TRUE) = <<1, 5>>
       /\ (CHOOSE q \in {<<x, 1>>, <<0, 7>>} : TRUE) = <<0, 7>>
       /\ (CHOOSE s \in {"b", "a", "c"} : TRUE) = "a"
       /\ {[type |-> "t", v |-> i] : i \in 1..2} = Msgs
       /\ ({[type |-> "t", v |-> i] : i \in 1..x} = Msgs) = (x = 2)
====
