---- MODULE ActionLabels_TTrace_1795759834 ----
EXTENDS ActionLabels_TEConstants, Sequences, TLCExt, Toolbox, Naturals, TLC, ActionLabels

_expression ==
    LET ActionLabels_TEExpression == INSTANCE ActionLabels_TEExpression
    IN ActionLabels_TEExpression!expression
----

_trace ==
    LET ActionLabels_TETrace == INSTANCE ActionLabels_TETrace
    IN ActionLabels_TETrace!trace
----

_inv ==
    ~(
        TLCGet("level") = Len(_TETrace)
        /\
        at = ((p1 :> 3 @@ p2 :> 3))
    )
----

_init ==
    /\ at = _TETrace[1].at
----

_next ==
    /\ \E i,j \in DOMAIN _TETrace:
        /\ \/ /\ j = i + 1
              /\ i = TLCGet("level")
        /\ at  = _TETrace[i].at
        /\ at' = _TETrace[j].at

\* Uncomment the ASSUME below to write the states of the error trace
\* to the given file in Json format. Note that you can pass any tuple
\* to `JsonSerialize`. For example, a sub-sequence of _TETrace.
    \* ASSUME
    \*     LET J == INSTANCE Json
    \*         IN J!JsonSerialize("ActionLabels_TTrace_1795759834.json", _TETrace)

=============================================================================

 Note that you can extract this module `ActionLabels_TEExpression`
  to a dedicated file to reuse `expression` (the module in the 
  dedicated `ActionLabels_TEExpression.tla` file takes precedence 
  over the module `ActionLabels_TEExpression` below).

---- MODULE ActionLabels_TEExpression ----
EXTENDS ActionLabels_TEConstants, Sequences, TLCExt, Toolbox, Naturals, TLC, ActionLabels

expression == 
    [
        \* To hide variables of the `ActionLabels` spec from the error trace,
        \* remove the variables below.  The trace will be written in the order
        \* of the fields of this record.
        at |-> at
        
        \* Put additional constant-, state-, and action-level expressions here:
        \* ,_stateNumber |-> _TEPosition
        \* ,_atUnchanged |-> at = at'
        
        \* Format the `at` variable as Json value.
        \* ,_atJson |->
        \*     LET J == INSTANCE Json
        \*     IN J!ToJson(at)
        
        \* Lastly, you may build expressions over arbitrary sets of states by
        \* leveraging the _TETrace operator.  For example, this is how to
        \* count the number of times a spec variable changed up to the current
        \* state in the trace.
        \* ,_atModCount |->
        \*     LET F[s \in DOMAIN _TETrace] ==
        \*         IF s = 1 THEN 0
        \*         ELSE IF _TETrace[s].at # _TETrace[s-1].at
        \*             THEN 1 + F[s-1] ELSE F[s-1]
        \*     IN F[_TEPosition - 1]
    ]

=============================================================================



Parsing and semantic processing can take forever if the trace below is long.
 In this case, it is advised to uncomment the module below to deserialize the
 trace from a generated binary file.

\*
\*---- MODULE ActionLabels_TETrace ----
\*EXTENDS ActionLabels_TEConstants, IOUtils, TLC, ActionLabels
\*
\*trace == IODeserialize("ActionLabels_TTrace_1795759834.bin", TRUE)
\*
\*=============================================================================
\*

---- MODULE ActionLabels_TETrace ----
EXTENDS ActionLabels_TEConstants, TLC, ActionLabels

trace == 
    <<
    ([at |-> (p1 :> 0 @@ p2 :> 0)]),
    ([at |-> (p1 :> 1 @@ p2 :> 0)]),
    ([at |-> (p1 :> 1 @@ p2 :> 1)]),
    ([at |-> (p1 :> 3 @@ p2 :> 1)]),
    ([at |-> (p1 :> 3 @@ p2 :> 3)])
    >>
----


=============================================================================

---- MODULE ActionLabels_TEConstants ----
EXTENDS ActionLabels

CONSTANTS p1, p2

=============================================================================

---- CONFIG ActionLabels_TTrace_1795759834 ----
CONSTANTS
    Procs = { p1 , p2 }
    p2 = p2
    p1 = p1

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
\* Generated on Fri Nov 27 06:10:37 UTC 2026