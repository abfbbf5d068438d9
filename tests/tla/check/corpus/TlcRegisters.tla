\* Issue 14: a construct that was an error in tlacheck, pinned to TLC 2.20.
---- MODULE TlcRegisters ----
EXTENDS Naturals, TLC
VARIABLE x
ASSUME TLCSet(3, 10)
ASSUME TLCGet(3) = 10
ASSUME TLCGet("config").mode = "bfs"
ASSUME TLCGet("config").deadlock = TRUE
ASSUME TLCGet("config").worker = 1
Init == x = 0 /\ TLCSet(1, 0)
Next == x < 4 /\ x' = x + 1 /\ TLCSet(1, TLCGet(1) + 1) /\ TLCGet(3) = 10
Inv == TLCGet(1) < 3
====
