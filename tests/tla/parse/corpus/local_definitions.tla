---- MODULE local_definitions ----
LOCAL Helper(x) == x
Public == Helper(1)
====
