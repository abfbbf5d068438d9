\* Issue 14: TLCGet("-Dname") is the Java system property `name`, or the key itself when it is not
\* set (MCCRDT's `TLCGet("-Dtlc2.tool.impl.Tool.cdot") = "true"` is false in TLC run without that
\* flag); TLCSet("-Dname", v) sets it to v as TLC prints v. TLC 2.20: no error, 2 / 1 / 1.
---- MODULE JavaProperty ----
EXTENDS TLC
ASSUME TLCSet("-Dmy.key", "bar")
ASSUME TLCGet("-Dmy.key") = "\"bar\""
ASSUME TLCSet("-Dmy.key", <<1, "a">>) /\ TLCGet("-Dmy.key") = "<<1, \"a\">>"
ASSUME TLCGet("-Dtlc2.tool.impl.Tool.cdot") = "-Dtlc2.tool.impl.Tool.cdot"
VARIABLE x
Init == x = 0
Next == UNCHANGED x
====
