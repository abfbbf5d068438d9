"""Single-decree Paxos as a Python model: the correct protocol and four bugs (see ``variants``)."""

from paxos_model.paxos import Message, Paxos
from paxos_model.variants import (
    accept_lower,
    any_value,
    correct,
    eventually_chosen,
    eventually_chosen_fair,
    minority_quorums,
    two_proposals,
)

__all__ = [
    "Message",
    "Paxos",
    "accept_lower",
    "any_value",
    "correct",
    "eventually_chosen",
    "eventually_chosen_fair",
    "minority_quorums",
    "two_proposals",
]
