---- MODULE Kinds ----
(* Wrong-kind cfg entries, evaluation errors and ALIAS, each compared with TLC 2.20 *)
(* (test_cfg_kinds.py names the cfg and what TLC printed).                          *)
EXTENDS Naturals, TLC
VARIABLE x, y
Init == x = 0 /\ y = "a"
Next == x < 3 /\ x' = x + 1 /\ y' = y
Inv == x < 2
Num == 3
Const == 7
BadInv == x < 2 \/ (x = 2 /\ y[1] = 0)
Alias == [xx |-> x, double |-> 2 * x, nxt |-> x']
BadAlias == [xx |-> x, bad |-> IF x = 2 THEN y[1] ELSE 0]
BadLive == <>(10 \div (2 - x) = 0)
AssertNext == x < 3 /\ x' = x + 1 /\ y' = y /\ Assert(x < 2, "x too big")
BadNext == x < 3 /\ x' = x + 1 /\ y' = IF x = 2 THEN y[1] ELSE y
====
