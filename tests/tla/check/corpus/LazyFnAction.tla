---- MODULE LazyFnAction ----
\* f[a] as a conjunct of an action, where TLC keeps f lazy: TLC's getNextStates
\* enumerates f's body as an action, one successor per \/ branch that holds (so the
\* generated count grows; the distinct states do not). A function defined in a LET, one
\* that reads the state, and [y \in S |-> e] are lazy; a constant function definition of
\* the module is computed before the search, so g[x] is a predicate.
EXTENDS Integers
VARIABLE x
Init == x = 0
g[y \in 0..3] == y = 0 \/ y < 5
h[y \in 0..3] == y = 0 \/ x < 5
Next == /\ x < 2
        /\ LET gg[y \in 0..3] == y = 0 \/ y < 5 IN gg[x]
        /\ g[x]
        /\ h[x]
        /\ [y \in 0..3 |-> y = 0 \/ y < 5][x]
        /\ x' = x + 1
====
