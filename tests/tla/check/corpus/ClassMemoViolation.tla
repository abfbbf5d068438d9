------------------------- MODULE ClassMemoViolation -------------------------
(* ClassMemo with Limit = 4: Bounded fails on the first state (in the      *)
(* search's order) of a class not met before, as TLC reports it.            *)
EXTENDS ClassMemo
=============================================================================
