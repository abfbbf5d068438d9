---- MODULE unicode_free_long_names ----
VARIABLES msgs_sent_1, _underscored, x2y
1st == 1
A == msgs_sent_1 = {} /\ _underscored = x2y /\ 1st = 1
====
