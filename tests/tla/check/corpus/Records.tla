---- MODULE Records ----
\* Records, record sets [a : S], field access and a set of records.
EXTENDS Naturals, FiniteSets
VARIABLES msg, log
Msgs == [kind : {"req", "ack"}, n : 0..1]
Init == msg \in Msgs /\ log = {}
Next == /\ Cardinality(log) < 2 \/ TRUE
        /\ log' = log \cup {msg}
        /\ msg' \in {m \in Msgs : m.kind # msg.kind}
TypeOK == msg \in Msgs /\ log \subseteq Msgs
====
