"""Z3 induction checks: is a candidate invariant inductive on the finite instance a cfg fixes?

Start reading at ``induction.py`` (the three conditions), then ``encode.py`` (the syntax tree
as Z3 terms), ``symbolic.py`` (the values those terms make up) and ``types.py`` (the shape
of each variable). Only this package imports ``z3``.
"""
