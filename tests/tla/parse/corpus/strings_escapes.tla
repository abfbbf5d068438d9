---- MODULE strings_escapes ----
A == "plain"
B == "quote \" backslash \\ newline \n tab \t"
C == <<"", "a", "(* not a comment *)", "\\* nor this">>
====
