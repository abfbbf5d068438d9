---- MODULE TlcModule ----
\* The TLC module: :>, @@, Permutations, SortSeq, ToString, Assert, TLCSet/TLCGet.
EXTENDS Naturals, Sequences, TLC
VARIABLE f
Init == f = (1 :> "a") @@ (2 :> "b")
Next == \E g \in Permutations({1, 2}) :
          /\ Assert(g[1] \in {1, 2}, "bad permutation")
          /\ f' = [i \in {1, 2} |-> f[g[i]]]
Inv == /\ SortSeq(<<3, 1, 2>>, LAMBDA x, y : x < y) = <<1, 2, 3>>
       /\ ToString(3) = "3"
       /\ DOMAIN f = {1, 2}
       /\ TLCSet(1, 7)
       /\ TLCGet(1) = 7
====
