---- MODULE FilterLasting ----
\* What an action computes kept across states (Compiler.kept): its set filters, and the sets
\* it assigns as x' = S \cup T or S \ T, per the identities of the values of the variables
\* they read (msgs and chosen; msgs through To(p)) and the values of the bound names they read
\* (p, q, and Drop's m, a record kept by identity). A key without chosen, or without p, gives
\* other counts once one changes; Mix's records [v |-> 1] and [v |-> TRUE] are == in Python,
\* so keyed by value they would be one; Put's set is kept per place (m is a constant there).
\* Choose's filter is bound to a set s (computed as written).
EXTENDS Naturals, FiniteSets
VARIABLES msgs, chosen, out, log
Proc == {"p", "q", "r"}
To(p) == {m \in msgs : m.dst = p}
Init == msgs = {} /\ chosen = [p \in Proc |-> {}] /\ out = 0 /\ log = {}
Send(p, q) == /\ Cardinality({m \in msgs : m.src = "p"}) + Cardinality(msgs) < 3 /\ p # q
              /\ msgs' = msgs \cup {[src |-> p, dst |-> q]}
              /\ UNCHANGED <<chosen, out>>
Choose(p) == /\ \E s \in SUBSET (Proc \ {p}) :
                 /\ Cardinality(s) = 1
                 /\ Cardinality({m \in msgs : m.src \in s}) < 2
                 /\ chosen' = [chosen EXCEPT ![p] = s]
             /\ UNCHANGED <<msgs, out>>
Tally(p) == LET got == {m \in To(p) : m.src \in chosen[p]} IN
            /\ got # {}
            /\ out' = (out + Cardinality(got)) % 2
            /\ msgs' = msgs \ {m \in msgs : m.dst = p /\ m.src \in chosen[p]}
            /\ chosen' = [chosen EXCEPT ![p] = {}]
Drop == /\ out = 1
        /\ \E m \in msgs : msgs' = msgs \ {m} /\ UNCHANGED <<chosen, out>>
Seq == <<[v |-> 1], [v |-> TRUE]>>
Put(m) == log' = log \cup {m}
Mix == /\ msgs = {} /\ out = 0 /\ log = {}
       /\ \/ \E i \in 1..2 : \E m \in {Seq[i]} : log' = log \cup {m}
          \/ Put([v |-> 2]) \/ Put([v |-> 3])
       /\ UNCHANGED <<msgs, chosen, out>>
Next == \/ /\ log = {}
           /\ \/ \E p \in Proc : Tally(p) \/ Choose(p) \/ \E q \in Proc : Send(p, q)
              \/ Drop
           /\ UNCHANGED log
        \/ Mix
====
