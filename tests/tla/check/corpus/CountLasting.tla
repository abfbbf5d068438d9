---- MODULE CountLasting ----
\* A counted \A whose body reads a variable through an operator (From reads msgs) and the
\* bound names p and q: its counts are kept across states per the identity of msgs's value
\* (the search interns values that recur) and the values of p and q, so a key without msgs
\* would give other counts (generated) once msgs changes; Ready's body reads no variable.
EXTENDS Naturals, FiniteSets
VARIABLES msgs, seen, n
Proc == {"p", "q", "r"}
From(p) == {m \in msgs : m.dst = p}
Ready(p) == \A q \in Proc : q # p \/ p \in Proc
Send(p, q) == /\ n < 4 /\ p # q
              /\ msgs' = msgs \cup {[src |-> p, dst |-> q, k |-> n % 2]}
              /\ n' = n + 1
              /\ UNCHANGED seen
Drop == \E m \in msgs : msgs' = msgs \ {m} /\ UNCHANGED <<seen, n>>
Tally(p) == /\ Ready(p)
            /\ \A q \in Proc \ {p} : \E m \in From(p) : m.src = q
            /\ seen' = seen \cup {<<p, Cardinality(From(p))>>}
            /\ UNCHANGED <<msgs, n>>
Init == msgs = {} /\ seen = {} /\ n = 0
Next == Drop \/ \E p, q \in Proc : Send(p, q) \/ Tally(p)
====
