---- MODULE StepMemo ----
\* A buffer refining a log through an INSTANCE whose variable is substituted by an expression
\* (read primed in every disjunct of the abstract Next), with action properties quantified over
\* a set of records of functions, and successors reached by several actions (braf's shape).
EXTENDS Naturals, Sequences
VARIABLES buf, n
Sym == {"a", "b"}
Arr(T, k) == [elems : [1..k -> T]]
Init == buf = <<>> /\ n = 0
Write(d) == /\ Len(buf) + Len(d.elems) <= 3
            /\ buf' = buf \o d.elems
            /\ n' = n
WriteOne(d) == /\ Len(buf) < 3
               /\ buf' = Append(buf, d.elems[1])
               /\ n' = n
Flush == n < Len(buf) /\ n' = Len(buf) /\ buf' = buf
Next == \/ \E k \in 1..2 : \E d \in Arr(Sym, k) : Write(d) \/ WriteOne(d)
        \/ Flush
Pending == SubSeq(buf, n + 1, Len(buf))
A == INSTANCE StepMemoLog WITH log <- Pending
Refines == A!Spec
WriteCorrect == [][\A k \in 1..2 : \A d \in Arr(Sym, k) : Write(d) => A!Add(d.elems)]_<<buf, n>>
FlushCorrect == [][Flush => A!Clear]_<<buf, n>>
====

---- MODULE StepMemoLog ----
EXTENDS Naturals, Sequences
VARIABLE log
Init == log = <<>>
Add(s) == log' = log \o s
Clear == log # <<>> /\ log' = <<>>
Next == \/ \E k \in 1..2 : \E s \in [1..k -> {"a", "b"}] : Add(s)
        \/ Clear
Spec == Init /\ [][Next]_log
====
