---- MODULE GuardMemo ----
\* Guards of a generated action that read fewer bound names than the loops around them bind:
\* their values are kept per state and per the names' values (integers here; not BOOLEAN's
\* TRUE, which Python takes for 1, nor the sets T), also inside a counted \A.
EXTENDS Naturals
VARIABLES f, g, n
S == {1, 2, 3}
Init == f = [i \in S |-> 0] /\ g = [i \in S |-> 0] /\ n = 0
Bump(i, j, b, T) ==
    /\ n < 4
    /\ f[i] < 2
    /\ i \in T
    /\ b => g[j] < 2
    /\ f[i] + g[j] < 3
    /\ \A x \in T : f[x] <= 2
    /\ g[i] <= f[j] + 1
    /\ n # 3 \/ f[j] > 0
    /\ f' = [f EXCEPT ![i] = @ + 1]
    /\ g' = [g EXCEPT ![j] = @ + (IF b THEN 1 ELSE 0)]
    /\ n' = n + 1
Next == \E i \in S, j \in S, b \in BOOLEAN, T \in {{1, 2}, {2, 3}, {1, 2, 3}} : Bump(i, j, b, T)
Inv == n <= 4
====
