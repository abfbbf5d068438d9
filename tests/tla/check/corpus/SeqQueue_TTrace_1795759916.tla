---- MODULE SeqQueue_TTrace_1795759916 ----
EXTENDS Sequences, TLCExt, SeqQueue, Toolbox, Naturals, TLC

_expression ==
    LET SeqQueue_TEExpression == INSTANCE SeqQueue_TEExpression
    IN SeqQueue_TEExpression!expression
----

_trace ==
    LET SeqQueue_TETrace == INSTANCE SeqQueue_TETrace
    IN SeqQueue_TETrace!trace
----

_inv ==
    ~(
        TLCGet("level") = Len(_TETrace)
        /\
        q = (<<0>>)
        /\
        out = (<<>>)
    )
----

_init ==
    /\ out = _TETrace[1].out
    /\ q = _TETrace[1].q
----

_next ==
    /\ \E i,j \in DOMAIN _TETrace:
        /\ \/ /\ j = i + 1
              /\ i = TLCGet("level")
        /\ out  = _TETrace[i].out
        /\ out' = _TETrace[j].out
        /\ q  = _TETrace[i].q
        /\ q' = _TETrace[j].q

\* Uncomment the ASSUME below to write the states of the error trace
\* to the given file in Json format. Note that you can pass any tuple
\* to `JsonSerialize`. For example, a sub-sequence of _TETrace.
    \* ASSUME
    \*     LET J == INSTANCE Json
    \*         IN J!JsonSerialize("SeqQueue_TTrace_1795759916.json", _TETrace)

=============================================================================

 Note that you can extract this module `SeqQueue_TEExpression`
  to a dedicated file to reuse `expression` (the module in the 
  dedicated `SeqQueue_TEExpression.tla` file takes precedence 
  over the module `SeqQueue_TEExpression` below).

---- MODULE SeqQueue_TEExpression ----
EXTENDS Sequences, TLCExt, SeqQueue, Toolbox, Naturals, TLC

expression == 
    [
        \* To hide variables of the `SeqQueue` spec from the error trace,
        \* remove the variables below.  The trace will be written in the order
        \* of the fields of this record.
        out |-> out
        ,q |-> q
        
        \* Put additional constant-, state-, and action-level expressions here:
        \* ,_stateNumber |-> _TEPosition
        \* ,_outUnchanged |-> out = out'
        
        \* Format the `out` variable as Json value.
        \* ,_outJson |->
        \*     LET J == INSTANCE Json
        \*     IN J!ToJson(out)
        
        \* Lastly, you may build expressions over arbitrary sets of states by
        \* leveraging the _TETrace operator.  For example, this is how to
        \* count the number of times a spec variable changed up to the current
        \* state in the trace.
        \* ,_outModCount |->
        \*     LET F[s \in DOMAIN _TETrace] ==
        \*         IF s = 1 THEN 0
        \*         ELSE IF _TETrace[s].out # _TETrace[s-1].out
        \*             THEN 1 + F[s-1] ELSE F[s-1]
        \*     IN F[_TEPosition - 1]
    ]

=============================================================================



Parsing and semantic processing can take forever if the trace below is long.
 In this case, it is advised to uncomment the module below to deserialize the
 trace from a generated binary file.

\*
\*---- MODULE SeqQueue_TETrace ----
\*EXTENDS IOUtils, SeqQueue, TLC
\*
\*trace == IODeserialize("SeqQueue_TTrace_1795759916.bin", TRUE)
\*
\*=============================================================================
\*

---- MODULE SeqQueue_TETrace ----
EXTENDS SeqQueue, TLC

trace == 
    <<
    ([q |-> <<>>,out |-> <<>>]),
    ([q |-> <<0>>,out |-> <<>>])
    >>
----


=============================================================================

---- CONFIG SeqQueue_TTrace_1795759916 ----

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
\* Generated on Fri Nov 27 06:11:59 UTC 2026