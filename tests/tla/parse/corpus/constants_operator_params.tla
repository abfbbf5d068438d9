---- MODULE constants_operator_params ----
CONSTANTS N, F(_, _), G(_), _ \prec _
VARIABLES x, y
CONSTANT Procs
====
