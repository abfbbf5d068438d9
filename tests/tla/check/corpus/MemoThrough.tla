---- MODULE MemoThrough ----
\* Operators of their arguments only, kept across states (issue 23) where they loop only in
\* the operators they call (Check), hold a LET operator of their parameter (Reads), or fold
\* an EXCEPT (Final): the shapes of ClientCentric's SnapshotIsolation, with TLC's answers.
EXTENDS Integers, Sequences, TLC
VARIABLES log, n
Keys == {"a", "b"}
Apply(st, op) == IF op[1] = "w" THEN [st EXCEPT ![op[2]] = op[3]] ELSE st
Final(seq) ==
  LET it[i \in 0..Len(seq)] == IF i = 0 THEN [k \in Keys |-> 0] ELSE Apply(it[i - 1], seq[i])
  IN it[Len(seq)]
Reads(seq, k) ==
  LET Vals(s) == {s[i][3] : i \in {j \in DOMAIN s : s[j][2] = k}}
  IN Vals(seq) \cup {0}
Holds(seq) == \A k \in Keys : Final(seq)[k] \in Reads(seq, k)
Check(seq) == Holds(seq)
Mixed(t) == \E e \in {t[i] : i \in DOMAIN t} : ToString(e) = "TRUE"
Init == log = <<>> /\ n = 0
Next == /\ n < 4
        /\ \E k \in Keys, v \in {1, 2} : log' = Append(log, <<"w", k, v>>)
        /\ n' = n + 1
Inv == /\ Check(log)
       /\ Mixed(IF n % 2 = 0 THEN <<TRUE>> ELSE <<1>>) = (n % 2 = 0)
       /\ Final(log)["a"] \in 0..2
====
