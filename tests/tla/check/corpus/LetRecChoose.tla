---- MODULE LetRecChoose ----
\* A constant CHOOSE whose predicate holds a LET-defined recursive function that reads the
\* bound r (Utils' IsSimpleCycle, EWD998ChanID): the CHOOSE is a constant, so the recursive
\* function nat2node built from it is one too (E213 "reads state variables" before).
EXTENDS Integers, FiniteSets, Sequences
CONSTANT Node
VARIABLE x
N == Cardinality(Node)
Range(f) == { f[a] : a \in DOMAIN f }
IsSimpleCycle(S, r) ==
  LET F[ i \in 1..Cardinality(S) ] ==
        IF i = 1 THEN << CHOOSE s \in S : TRUE >>
        ELSE << r[Head(F[i-1])] >> \o F[i-1]
  IN Range(F[Cardinality(S)]) = S
Ring == CHOOSE r \in [Node -> Node] : IsSimpleCycle(Node, r)
Back == [t \in Node |-> CHOOSE s \in Node : Ring[s] = t]
Initiator == CHOOSE n \in Node : TRUE
nat2node[ i \in 0..N-1 ] == IF i = 0 THEN Initiator ELSE Back[nat2node[i-1]]
Init == x = 0
Next == x < N - 1 /\ x' = x + 1
Inv == {nat2node[i] : i \in 0..x} \subseteq Node /\ Cardinality({nat2node[i] : i \in 0..x}) = x + 1
====
