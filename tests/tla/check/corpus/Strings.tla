---- MODULE Strings ----
\* Strings with escapes, STRING membership, strings as record fields.
EXTENDS Naturals
VARIABLE w
Words == {"a", "b\"q", "tab\t"}
Init == w \in Words
Next == \E v \in Words : v # w /\ w' = v
Inv == w \in STRING /\ w # "c"
====
