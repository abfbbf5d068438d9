---- MODULE SeqQueue ----
\* A bounded FIFO queue: Append, Head, Tail, Len, SubSeq, \o, SelectSeq, Seq(S).
EXTENDS Naturals, Sequences
VARIABLES q, out
Init == q = <<>> /\ out = <<>>
Send(v) == Len(q) < 2 /\ q' = Append(q, v) /\ UNCHANGED out
Recv == q # <<>> /\ q' = Tail(q) /\ out' = SubSeq(out \o <<Head(q)>>, 1, Len(out) + 1) /\ TRUE
Next == (\E v \in {0, 1} : Send(v)) \/ (Recv /\ Len(out) < 2)
Evens(s) == SelectSeq(s, LAMBDA x : x % 2 = 0)
Inv == /\ q \in Seq({0, 1})
       /\ Len(Evens(q)) <= Len(q)
       /\ Len(out) <= 2
====
