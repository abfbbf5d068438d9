---- MODULE synonyms_infix ----
CONSTANTS S, T, a, b
A == <<S \union T, S \intersect T, S \cup T, S \cap T>>
B == <<a =< b, a \leq b, a <= b, a >= b, a \geq b>>
C == <<S \times T, S \X T>>
D == <<S \setminus T, S \ T>>
E == <<a \o b, a \circ b>>
F == <<\neg a, \lnot a, ~a>>
====
