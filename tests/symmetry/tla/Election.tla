------------------------------ MODULE Election ------------------------------
(* A toy leader election, written for the symmetry tests of tlacheck: a     *)
(* server times out into a new term and asks for votes; a server grants at  *)
(* most one vote per term (unless OneVote is FALSE, the bug); a server with *)
(* votes from a majority becomes leader of its term.  Its Python twin is    *)
(* tests/symmetry/election.py: same variables, values and actions.          *)
EXTENDS Naturals, FiniteSets, TLC
CONSTANTS Server, Nil, MaxTerm, OneVote
VARIABLES term, votedFor, msgs, leaders
vars == <<term, votedFor, msgs, leaders>>

Init ==
    /\ term = [s \in Server |-> 0]
    /\ votedFor = [s \in Server |-> Nil]
    /\ msgs = {}
    /\ leaders = {}

Timeout(s) ==
    /\ term[s] < MaxTerm
    /\ term' = [term EXCEPT ![s] = @ + 1]
    /\ votedFor' = [votedFor EXCEPT ![s] = s]
    /\ msgs' = msgs \cup {[type |-> "req", src |-> s, term |-> term[s] + 1]}
    /\ UNCHANGED leaders

Grant(v, m) ==
    /\ m.type = "req"
    /\ m.term >= term[v]
    /\ m.src /= v
    /\ \/ m.term > term[v]
       \/ ~OneVote
       \/ votedFor[v] = Nil
    /\ term' = [term EXCEPT ![v] = m.term]
    /\ votedFor' = [votedFor EXCEPT ![v] = m.src]
    /\ msgs' = msgs \cup {[type |-> "vote", src |-> v, dst |-> m.src, term |-> m.term]}
    /\ UNCHANGED leaders

Win(s) ==
    /\ votedFor[s] = s
    /\ 2 * (1 + Cardinality({m \in msgs : m.type = "vote" /\ m.dst = s /\ m.term = term[s]}))
         > Cardinality(Server)
    /\ <<s, term[s]>> \notin leaders
    /\ leaders' = leaders \cup {<<s, term[s]>>}
    /\ UNCHANGED <<term, votedFor, msgs>>

Next ==
    \/ \E s \in Server : Timeout(s)
    \/ \E v \in Server, m \in msgs : Grant(v, m)
    \/ \E s \in Server : Win(s)

OneLeaderPerTerm == \A a, b \in leaders : a[2] = b[2] => a[1] = b[1]

Perms == Permutations(Server)
=============================================================================
