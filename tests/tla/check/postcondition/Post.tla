---- MODULE Post ----
EXTENDS Naturals, TLC
VARIABLE x
Init == x = 0
Next == x < 3 /\ x' = x + 1
Stats == PrintT(TLCGet("stats"))
PostOK == TLCGet("stats").distinct = 4
PostFalse == TLCGet("stats").generated = 99
PostBad == x = 1
====
