---- MODULE SymmetryRows ----
\* SYMMETRY over five model values (120 permutations) where the servers occur as the domain of
\* functions to integers, strings and sequences of integers (tlacheck sorts their rows), and,
\* while one of them is the owner, as a value too (tlacheck's general canonicaliser).
EXTENDS Naturals, Sequences, TLC
CONSTANT P
VARIABLES n, mode, hist, owner, total
Init == /\ n = [p \in P |-> 0]
        /\ mode = [p \in P |-> "idle"]
        /\ hist = [p \in P |-> <<>>]
        /\ owner = "none"
        /\ total = 0
Step(p) == /\ n[p] < 1
           /\ n' = [n EXCEPT ![p] = @ + 1]
           /\ hist' = [hist EXCEPT ![p] = Append(@, total)]
           /\ total' = (total + 1) % 3
           /\ UNCHANGED <<mode, owner>>
Take(p) == /\ owner = "none"
           /\ owner' = p
           /\ mode' = [mode EXCEPT ![p] = "busy"]
           /\ UNCHANGED <<n, hist, total>>
Give(p) == /\ owner = p
           /\ owner' = "none"
           /\ mode' = [mode EXCEPT ![p] = "idle"]
           /\ hist' = [hist EXCEPT ![p] = <<>>]
           /\ n' = [n EXCEPT ![p] = 0]
           /\ UNCHANGED total
Next == \E p \in P : Step(p) \/ Take(p) \/ Give(p)
Sym == Permutations(P)
Inv == total \in 0..2
====
