---- MODULE ActionProperty_TTrace_1795759838 ----
EXTENDS Sequences, TLCExt, ActionProperty, Toolbox, Naturals, TLC

_expression ==
    LET ActionProperty_TEExpression == INSTANCE ActionProperty_TEExpression
    IN ActionProperty_TEExpression!expression
----

_trace ==
    LET ActionProperty_TETrace == INSTANCE ActionProperty_TETrace
    IN ActionProperty_TETrace!trace
----

_inv ==
    ~(
        TLCGet("level") = Len(_TETrace)
        /\
        x = (0)
    )
----

_init ==
    /\ x = _TETrace[1].x
----

_next ==
    /\ \E i,j \in DOMAIN _TETrace:
        /\ \/ /\ j = i + 1
              /\ i = TLCGet("level")
        /\ x  = _TETrace[i].x
        /\ x' = _TETrace[j].x

\* Uncomment the ASSUME below to write the states of the error trace
\* to the given file in Json format. Note that you can pass any tuple
\* to `JsonSerialize`. For example, a sub-sequence of _TETrace.
    \* ASSUME
    \*     LET J == INSTANCE Json
    \*         IN J!JsonSerialize("ActionProperty_TTrace_1795759838.json", _TETrace)

=============================================================================

 Note that you can extract this module `ActionProperty_TEExpression`
  to a dedicated file to reuse `expression` (the module in the 
  dedicated `ActionProperty_TEExpression.tla` file takes precedence 
  over the module `ActionProperty_TEExpression` below).

---- MODULE ActionProperty_TEExpression ----
EXTENDS Sequences, TLCExt, ActionProperty, Toolbox, Naturals, TLC

expression == 
    [
        \* To hide variables of the `ActionProperty` spec from the error trace,
        \* remove the variables below.  The trace will be written in the order
        \* of the fields of this record.
        x |-> x
        
        \* Put additional constant-, state-, and action-level expressions here:
        \* ,_stateNumber |-> _TEPosition
        \* ,_xUnchanged |-> x = x'
        
        \* Format the `x` variable as Json value.
        \* ,_xJson |->
        \*     LET J == INSTANCE Json
        \*     IN J!ToJson(x)
        
        \* Lastly, you may build expressions over arbitrary sets of states by
        \* leveraging the _TETrace operator.  For example, this is how to
        \* count the number of times a spec variable changed up to the current
        \* state in the trace.
        \* ,_xModCount |->
        \*     LET F[s \in DOMAIN _TETrace] ==
        \*         IF s = 1 THEN 0
        \*         ELSE IF _TETrace[s].x # _TETrace[s-1].x
        \*             THEN 1 + F[s-1] ELSE F[s-1]
        \*     IN F[_TEPosition - 1]
    ]

=============================================================================



Parsing and semantic processing can take forever if the trace below is long.
 In this case, it is advised to uncomment the module below to deserialize the
 trace from a generated binary file.

\*
\*---- MODULE ActionProperty_TETrace ----
\*EXTENDS IOUtils, ActionProperty, TLC
\*
\*trace == IODeserialize("ActionProperty_TTrace_1795759838.bin", TRUE)
\*
\*=============================================================================
\*

---- MODULE ActionProperty_TETrace ----
EXTENDS ActionProperty, TLC

trace == 
    <<
    ([x |-> 0]),
    ([x |-> 1]),
    ([x |-> 2]),
    ([x |-> 3]),
    ([x |-> 0])
    >>
----


=============================================================================

---- CONFIG ActionProperty_TTrace_1795759838 ----

INVARIANT
    _inv

CHECK_DEADLOCK
    \* CHECK_DEADLOCK off because of PROPERTY or INVARIANT above.
    FALSE

INIT
    _init

NEXT
    _next

CONSTANT
    _TETrace <- _trace

ALIAS
    _expression
=============================================================================
\* Generated on Fri Nov 27 06:10:40 UTC 2026