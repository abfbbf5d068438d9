"""Z3 induction checks: is a candidate invariant inductive on the finite instance a cfg fixes?

    tlacheck prove SPEC.tla --inv IndInv [--config SPEC.cfg] [--reach-depth N]

Start reading at ``induction.py`` (the three conditions: IndInit, IndNext per action,
IndProp), then ``encode.py`` (the syntax tree as Z3 terms, Next split into actions),
``symbolic.py`` (the values those terms make up), ``types.py`` (the shape of each variable,
from TypeOK). ``load.py`` reads the spec and the cfg; ``crosscheck.py`` replays every
counterexample with the explicit evaluator and searches for it by BFS; ``report.py`` runs
the whole command and renders the result as text. Only this package imports ``z3``.

Known gaps, written down here rather than hidden:

- Where TLC would stop with an evaluation error (a function applied outside its domain to
  a symbolic argument, a sequence indexed past its bound, CHOOSE with no candidate), the
  encoding picks some value instead; this only matters in states where a guard of the
  spec already excludes the expression, which is how specs are written, but it is not
  checked. Every CTI is replayed by the explicit evaluator, which would catch the effect.
- Not supported (an error naming the construct and its span): ENABLED and temporal
  operators inside the formulas, INSTANCE and M!Op, unbounded quantifiers and CHOOSE,
  recursive functions and operators over the state, SUBSET/UNION/\\X of sets that depend
  on the state, intervals a..b whose bounds depend on the state (except up to Len of a
  bounded sequence).
- CONSTRAINT, SYMMETRY and VIEW do not change what is proved (induction covers every
  state of IndInv) and are ignored, which the report says.
"""
