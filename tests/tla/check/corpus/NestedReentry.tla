---- MODULE NestedReentry ----
\* An operator entered again through its own operator argument, nested, not recursive
\* (KeyValueStore's ClientCentric: ReduceSeq(LAMBDA o, s : ... effects(...) ..., ...), where
\* effects uses ReduceSeq too). E211 "defined in terms of itself" before.
EXTENDS Naturals, Sequences
RECURSIVE Fold(_, _, _)
Fold(op(_, _), seq, acc) == IF seq = <<>> THEN acc ELSE Fold(op, Tail(seq), op(Head(seq), acc))
Reduce(op(_, _), seq, acc) == Fold(op, seq, acc)
Sum(seq) == Reduce(LAMBDA a, b : a + b, seq, 0)
SumOfSums(seqs) == Reduce(LAMBDA s, b : Sum(s) + b, seqs, 0)
VARIABLE x
Init == x = 0
Next == x < 3 /\ x' = x + SumOfSums(<< <<1>>, <<>> >>)
Inv == x <= 3
====
