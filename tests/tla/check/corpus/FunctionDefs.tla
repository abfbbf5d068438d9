---- MODULE FunctionDefs ----
\* Function constructors, multi-argument functions f[x, y], DOMAIN, and function-valued variables.
EXTENDS Naturals
VARIABLE g
add[x \in 0..2, y \in 0..2] == x + y
Init == g = [x \in 0..1, y \in 0..1 |-> add[x, y]]
Next == \E k \in DOMAIN g : g[k] < 3 /\ g' = [g EXCEPT ![k] = @ + 1]
Inv == \A x, y \in 0..1 : g[x, y] >= add[x, y]
====
