---- MODULE comments_nested ----
(* a comment (* with a nested one *) still a comment *)
A == 1 \* a line comment
(***************************************************************************)
(* A boxed comment, as the pretty-printer writes them.                    *)
(***************************************************************************)
B == (* inline *) 2
====
