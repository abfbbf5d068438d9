---- MODULE nested_modules ----
CONSTANT S
A == S
---- MODULE Inner ----
VARIABLE t
B == t = A
====
I == INSTANCE Inner WITH t <- S
====
