---- MODULE RandomConst ----
\* A constant definition that draws with RandomElement: TLC evaluates it once, before the
\* search, so every use sees the same value (tlaplus/Examples' SpanTreeRandom draws its
\* graph this way). Re-drawn at each use, Inv would fail and x would take 3 values.
EXTENDS Naturals, TLC
VARIABLE x
Pick == RandomElement({1, 2, 3})
Init == x = Pick
Next == x' = Pick
Inv == x = Pick
====
