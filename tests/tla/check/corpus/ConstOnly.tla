---- MODULE ConstOnly ----
\* A model of constants only: no variables, and a cfg without INIT, NEXT or SPECIFICATION
\* (tlaplus/Examples' CarTalkPuzzle models). TLC checks the ASSUMEs and reports no state.
EXTENDS Naturals
CONSTANT N
ASSUME N > 2
====
