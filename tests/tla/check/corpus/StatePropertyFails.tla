---- MODULE StatePropertyFails ----
(* The same spec; []P violated: a PROPERTY is reported as TLC reports an invariant. *)
EXTENDS StateProperty
====
