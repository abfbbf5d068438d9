---- MODULE LiveSymmetry ----
\* A token passes between two servers but only s1 is fairly scheduled to pass it back:
\* every server gets the token infinitely often only if both are fair. Under SYMMETRY
\* the states with the token at s1 and at s2 are one state, and TLC misses the violation.
EXTENDS TLC
CONSTANT Servers
VARIABLE holder
Init == holder \in Servers
Pass(s) == holder = s /\ holder' \in Servers \ {s}
Next == \E s \in Servers : Pass(s)
Spec == Init /\ [][Next]_holder /\ \A s \in Servers : WF_holder(Pass(s))
Perms == Permutations(Servers)
EachGetsIt == \A s \in Servers : []<>(holder = s)
====
