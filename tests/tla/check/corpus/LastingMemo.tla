---- MODULE LastingMemo ----
\* Operators kept across states per their arguments and the identity of the values of the
\* variables they read (Pending reads msgs and a; Sent reads msgs only; Has takes a set,
\* Flag a boolean): a value that recurs is one object (the search interns them),
\* so a key without one of the variables read would give another answer after Tick.
EXTENDS Naturals, FiniteSets
VARIABLES a, msgs, done
Proc == {"p", "q"}
Pending(p) == {m \in msgs : m.dst = p /\ m.n = a}
Sent(p) == {m \in msgs : m.dst = p}
Has(s) == \E m \in msgs : m.dst \in s
Flag(b) == \E m \in msgs : (m.n = 0) = b
Init == a = 0 /\ msgs = {} /\ done = {}
Send(p) == /\ a < 3 /\ Cardinality(Sent(p)) < 3
           /\ msgs' = msgs \cup {[dst |-> p, n |-> a]}
           /\ UNCHANGED <<a, done>>
Tick == a < 3 /\ a' = a + 1 /\ UNCHANGED <<msgs, done>>
Recv(p) == \E m \in Pending(p) :
             /\ msgs' = msgs \ {m}
             /\ done' = done \cup {<<p, m.n, Has({p}), Flag(TRUE), Flag(a = 1)>>}
             /\ UNCHANGED a
Next == Tick \/ \E p \in Proc : Send(p) \/ Recv(p)
Inv == \A p \in Proc : Cardinality(Pending(p)) <= 3 /\ (Has(Proc) \/ msgs = {})
====
