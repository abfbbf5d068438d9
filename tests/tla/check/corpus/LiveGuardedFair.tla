---- MODULE LiveGuardedFair ----
\* Fairness under a constant guard, as Specifying Systems' InnerSerial writes it
\* (`\A oi, oj \in S : (oi # oj) => WF_v(A)`): TLC evaluates the guard, so Slow (p2) gets no
\* fairness and may never finish. The property quantifies over a record set built from
\* an interval (InnerSerial's `[proc : Proc, idx : Nat]` with `Nat <- 0..MaxQLen`).
EXTENDS Naturals
CONSTANT Procs, Slow
VARIABLE done
Init == done = [p \in Procs |-> FALSE]
Finish(p) == ~done[p] /\ done' = [done EXCEPT ![p] = TRUE]
Next == \E p \in Procs : Finish(p)
Spec == Init /\ [][Next]_done /\ \A p, q \in Procs : (p # q /\ p # Slow) => WF_done(Finish(p))
AllFinish == \A r \in [proc : Procs, idx : 0..1] : <>done[r.proc]
====
