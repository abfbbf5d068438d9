---- MODULE Projected ----
\* Operators kept across states by the part of msgs they read (code.Projection): HasA reads
\* the "a" messages, NoB and Bs the "b" messages, Both the two, Late all of msgs (its field
\* test is not first) and Size all of msgs (Cardinality). Inv compares each with the same
\* expression written out (its field test last, so read whole): a key of the wrong part, or
\* a part where the whole is read, gives another answer there (and for a guard of Next).
EXTENDS Naturals, FiniteSets
VARIABLES msgs, n, k
Vals == 0..2
HasA(v) == \E m \in msgs : m.type = "a" /\ m.v = v
NoB(v) == \A m \in msgs : (m.type = "b" /\ m.v > 0) => m.v # v
Bs(v) == {m \in msgs : m.type = "b" /\ m.v >= v}
Both(v) == HasA(v) /\ \E m \in msgs : "b" = m.type /\ m.v = v
Late(v) == \E m \in msgs : m.v = v /\ m.type = "c"
Size(v) == \E m \in msgs : m.type = "a" /\ Cardinality(msgs) > v + m.v
Init == msgs = {} /\ n = 0 /\ k = 0
Send(m) == n < 6 /\ msgs' = msgs \cup {m} /\ n' = n + 1 /\ UNCHANGED k
SendA(v) == ~HasA(v) /\ Send([type |-> "a", v |-> v])
SendB(v) == NoB(v) /\ Cardinality(Bs(v)) < 2 /\ Send([type |-> "b", v |-> v])
SendC(v) == Both(v) /\ ~Late(v) /\ Send([type |-> "c", v |-> v])
Drop(v) == Size(v) /\ \E m \in msgs : m.v = v /\ msgs' = msgs \ {m} /\ n' = n + 1 /\ n < 6 /\ UNCHANGED k
Tick == k < 3 /\ k' = k + 1 /\ UNCHANGED <<msgs, n>>
Next == Tick \/ \E v \in Vals : SendA(v) \/ SendB(v) \/ SendC(v) \/ Drop(v)
Inv == \A v \in Vals :
         /\ HasA(v) = \E m \in msgs : m.v = v /\ m.type = "a"
         /\ NoB(v) = \A m \in msgs : m.v > 0 /\ m.type = "b" => m.v # v
         /\ Bs(v) = {m \in msgs : m.v >= v /\ m.type = "b"}
         /\ Both(v) = (HasA(v) /\ \E m \in msgs : m.v = v /\ m.type = "b")
         /\ Size(v) = \E m \in msgs : Cardinality(msgs) > v + m.v /\ m.type = "a"
====
