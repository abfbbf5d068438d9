---- MODULE LiveLeadsToUnfair ----
\* Request ~> acknowledgement: with fairness on Reset only, a request may wait forever.
VARIABLES req, ack
vars == <<req, ack>>
Init == req = FALSE /\ ack = FALSE
Request == ~req /\ req' = TRUE /\ ack' = FALSE
Ack == req /\ ~ack /\ ack' = TRUE /\ UNCHANGED req
Reset == ack /\ req' = FALSE /\ ack' = FALSE
Next == Request \/ Ack \/ Reset
Spec == Init /\ [][Next]_vars /\ WF_vars(Request) /\ WF_vars(Reset)
Answered == req ~> ack
====
