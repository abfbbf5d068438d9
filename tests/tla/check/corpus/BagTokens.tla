---- MODULE BagTokens ----
\* A bag of tokens: (+), (-), CopiesIn, BagToSet, BagCardinality, SetToBag.
EXTENDS Naturals, Bags
VARIABLE b
Init == b = SetToBag({"x"})
Next == \/ BagCardinality(b) < 3 /\ \E t \in {"x", "y"} : b' = b (+) SetToBag({t})
        \/ BagIn("y", b) /\ b' = b (-) SetToBag({"y"})
Inv == /\ IsABag(b)
       /\ CopiesIn("x", b) >= 1
       /\ BagToSet(b) \subseteq {"x", "y"}
====
