---- MODULE ScopedOverride ----
(* The cfg may replace a definition inside one module, as TLC allows:           *)
(* `Limit <- [ScopedCounter] MyLimit` and `Step = [ScopedCounter] 2` change the  *)
(* instance's Limit and Step, not the root's Limit. Without them the counter     *)
(* stops at 2 (3 distinct states); with them it counts 0, 2, 4, 6.               *)
EXTENDS Naturals
VARIABLE x
Limit == 1
MyLimit == 6
C == INSTANCE ScopedCounter
Init == C!Init
Next == C!Next
RootLimit == Limit = 1
====
