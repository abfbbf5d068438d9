"""Z3 induction checks: is a candidate invariant inductive on the finite instance a cfg fixes?

    tlacheck prove SPEC.tla --inv IndInv [--config SPEC.cfg] [--reach-depth N]

Start reading at ``induction.py`` (the three conditions: IndInit, IndNext per action,
IndProp), then ``encode.py`` (the syntax tree as Z3 terms, Next split into actions),
``symbolic.py`` (the values those terms make up), ``types.py`` (the shape of each variable,
from TypeOK). ``load.py`` reads the spec and the cfg; ``crosscheck.py`` replays every
counterexample with the explicit evaluator and searches for it by BFS; ``report.py`` runs
the whole command and renders the result as text. Only this package imports ``z3``.
"""
