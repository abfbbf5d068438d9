---- MODULE LetKeysRing ----
\* The operator of an instance, so that a LET definition using it is read as possibly primed.
EXTENDS Naturals
CONSTANT Size
Idx(n) == n % Size
====
