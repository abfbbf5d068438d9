"""Mutations for the fuzz test: byte-level, and grammar-aware for TLA+ specs, cfgs and ITF traces.

Each mutator takes a ``random.Random`` and the text, and returns a new text; ``mutate_*`` apply
one to three of them. The grammar-aware ones know just enough of each language to make inputs
that get past the lexer (swapped operators, renamed names, deeper nesting, huge numbers,
cut-and-pasted lines), where most bugs hide; the byte-level ones find what the lexers miss.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from typing import Any

Mutator = Callable[[random.Random, str], str]

# Text that has broken something once, or might: big and odd numbers, deep nesting, comments,
# strings with quotes and markup, Unicode, control characters.
NASTY = [
    "9" * 5_000,
    "2^(2^40)",
    "\\h" + "F" * 40,
    "-0",
    "(" * 300 + "1" + ")" * 300,
    "{" * 300 + "}" * 300,
    "<<" * 200 + ">>" * 200,
    "(*" * 1_000 + "*)" * 1_000,
    "(*",
    "*)",
    '"<b> URL=\\"javascript:x\\" </script><!--"',
    '"\\"',
    "\u00e9\u2200\u2227\u225c",
    "\x00",
    "\ufeff",
    "\t",
    "\r\n",
    "1..1000000000",
    "Cardinality(1..10^9)",
    "SUBSET SUBSET SUBSET (1..20)",
    "CHOOSE x \\in {} : TRUE",
    "LET F[n \\in Nat] == F[n] IN F[3]",
    "[x \\in Nat |-> x]",
    "A" * 300,
]
TLA_TOKENS = [
    "/\\", "\\/", "=", "#", "/=", "\\in", "\\notin", "+", "-", "*", "\\div", "%", "^", "..", "<", "<=",
    "\\subseteq", "\\cup", "\\cap", "\\", "=>", "<=>", "~", "'", "UNCHANGED", "ENABLED", "DOMAIN",
    "SUBSET", "UNION", "IF", "THEN", "ELSE", "CASE", "[]", "->", "OTHER", "LET", "IN", "CHOOSE",
    "\\A", "\\E", "EXCEPT", "!", "@", "|->", "[", "]", "(", ")", "{", "}", "<<", ">>", ",", ":",
    "==", "TRUE", "FALSE", "Nat", "Int", "BOOLEAN", "STRING", "Seq", "Len", "Append", "Cardinality",
    "RECURSIVE", "INSTANCE", "WITH", "<-", "LAMBDA", "ASSUME", "CONSTANT", "VARIABLE", "MODULE",
    "----", "====", "0", "1", "3", "-1", "x", "self", "\\o", ":>", "@@", "Print", "Assert",
]  # fmt: skip
TLA_SWAPS = [("/\\", "\\/"), ("=", "#"), ("\\in", "\\notin"), ("+", "*"), ("<", ">"), ("\\cup", "\\cap"),
             ("TRUE", "FALSE"), ("..", "+"), ("'", ""), ("\\A", "\\E"), ("[", "{"), ("]", "}")]  # fmt: skip
CFG_WORDS = [
    "INIT", "NEXT", "SPECIFICATION", "INVARIANT", "INVARIANTS", "PROPERTY", "CONSTANT", "CONSTANTS",
    "CONSTRAINT", "ACTION_CONSTRAINT", "SYMMETRY", "VIEW", "CHECK_DEADLOCK", "ALIAS", "POSTCONDITION",
    "=", "<-", "{", "}", "<<", ">>", ",", "[", "]", "TRUE", "FALSE", "0", "-1", "\\*", "(*", "*)",
]  # fmt: skip
_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# -- byte level ---------------------------------------------------------------------------


def flip_char(rng: random.Random, text: str) -> str:
    if not text:
        return chr(rng.randrange(256))
    i = rng.randrange(len(text))
    return text[:i] + chr(rng.randrange(1, 256)) + text[i + 1 :]


def delete_span(rng: random.Random, text: str) -> str:
    if not text:
        return text
    i = rng.randrange(len(text))
    return text[:i] + text[i + rng.randrange(1, 40) :]


def duplicate_span(rng: random.Random, text: str) -> str:
    if not text:
        return text
    i = rng.randrange(len(text))
    j = min(len(text), i + rng.randrange(1, 200))
    k = rng.randrange(len(text) + 1)
    return text[:k] + text[i:j] * rng.choice([1, 2, 50]) + text[k:]


def truncate(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(len(text) + 1)]


def insert_nasty(rng: random.Random, text: str) -> str:
    k = rng.randrange(len(text) + 1)
    return text[:k] + rng.choice(NASTY) + text[k:]


BYTE_MUTATORS: list[Mutator] = [flip_char, delete_span, duplicate_span, truncate, insert_nasty]


# -- TLA+ ---------------------------------------------------------------------------------


def swap_operator(rng: random.Random, text: str) -> str:
    a, b = rng.choice(TLA_SWAPS)
    if rng.random() < 0.5:
        a, b = b, a
    places = [m.start() for m in re.finditer(re.escape(a), text)]
    if not places:
        return text
    k = rng.choice(places)
    return text[:k] + b + text[k + len(a) :]


def insert_token(rng: random.Random, text: str) -> str:
    k = rng.randrange(len(text) + 1)
    return text[:k] + " " + rng.choice(TLA_TOKENS) + " " + text[k:]


def rename_word(rng: random.Random, text: str) -> str:
    words = list(_WORD_RE.finditer(text))
    if len(words) < 2:
        return text
    old, new = rng.choice(words), rng.choice(words).group()
    return text[: old.start()] + new + text[old.end() :]


def move_line(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    if len(lines) < 3:
        return text
    line = lines.pop(rng.randrange(len(lines)))
    if rng.random() < 0.5:  # moved, or copied with a shifted indentation (junction lists)
        lines.insert(rng.randrange(len(lines) + 1), line)
    else:
        lines.insert(rng.randrange(len(lines) + 1), " " * rng.randrange(8) + line)
        lines.insert(rng.randrange(len(lines) + 1), line)
    return "\n".join(lines)


def wrap_expression(rng: random.Random, text: str) -> str:
    """An expression after ``==`` nested in parentheses, a set, a tuple or an IF."""
    places = [m.end() for m in re.finditer("==", text)]
    if not places:
        return text
    k = rng.choice(places)
    end = text.find("\n", k)
    end = len(text) if end < 0 else end
    body = text[k:end]
    depth = rng.choice([1, 5, 100])
    left, right = rng.choice([("(", ")"), ("{", "}"), ("<<", ">>"), ("IF TRUE THEN ", " ELSE 0")])
    return text[:k] + " " + left * depth + body + right * depth + text[end:]


TLA_MUTATORS: list[Mutator] = [
    swap_operator,
    insert_token,
    rename_word,
    move_line,
    wrap_expression,
    insert_nasty,
]


def mutate_spec(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        mutators = TLA_MUTATORS if rng.random() < 0.75 else BYTE_MUTATORS
        text = rng.choice(mutators)(rng, text)
    return text


# -- cfg ----------------------------------------------------------------------------------


def cfg_insert(rng: random.Random, text: str, spec_words: list[str]) -> str:
    k = rng.randrange(len(text) + 1)
    pool = CFG_WORDS + spec_words + NASTY[:8]
    return text[:k] + " " + " ".join(rng.choice(pool) for _ in range(rng.randint(1, 3))) + " " + text[k:]


def mutate_cfg(rng: random.Random, text: str, spec_words: list[str]) -> str:
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        if r < 0.5:
            text = cfg_insert(rng, text, spec_words)
        elif r < 0.7:
            text = rename_word(rng, text)
        elif r < 0.8:
            text = "\ufeff" + text
        else:
            text = rng.choice(BYTE_MUTATORS)(rng, text)
    return text


# -- ITF ----------------------------------------------------------------------------------

_HOSTILE_VALUES: list[Any] = [
    "<b> URL=\"javascript:x\" x=<i>", "</script><!--<script>", 'a"b\\', "\\N\\G", "\x01\x1b[31m", "",
    10**30, -(10**30), 2**53, {"#bigint": "-" + "9" * 4_000}, {"#set": ["<i>", "</script>"]},
    {"#map": [["<b>", {"#tup": ["&amp;", 1]}]]}, {"#unserializable": "<m>"}, {"f<": "\"", "g": []},
]  # fmt: skip
"""Valid ITF values with hostile contents: they must render, escaped."""
_NASTY_VALUES: list[Any] = [
    "<b> URL=\"javascript:x\" x=<i>", "</script><!--", 'a"b\\', "\x01", 10**30, -(10**30), 2**53,
    1.5, None, True, [], {}, {"#bigint": "12x"}, {"#bigint": "9" * 5_000}, {"#set": 3}, {"#map": [[1]]},
    {"#tup": [{"#tup": []}]}, {"#unserializable": "m"}, {"#weird": 1}, {"": 1}, {"#meta": {}},
]  # fmt: skip


def _nodes(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _nodes(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _nodes(v, (*path, i))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in doc.items()}
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(doc)]


def mutate_itf(rng: random.Random, text: str) -> str:
    if rng.random() < 0.25:
        return rng.choice(BYTE_MUTATORS)(rng, text)
    try:
        return _mutate_itf_doc(rng, json.loads(text))
    except (RecursionError, json.JSONDecodeError):  # too deep for these helpers: nest the text
        k = rng.randrange(len(text) + 1)
        return text[:k] + '{"#tup": [' * 2_000 + text[k:]


def _mutate_itf_doc(rng: random.Random, doc: Any) -> str:
    for _ in range(rng.randint(1, 3)):
        nodes = _nodes(doc)
        values = [p for p in nodes if len(p) >= 3 and p[0] == "states" and p[2] != "#meta"]
        path = rng.choice(values if values and rng.random() < 0.6 else nodes)
        r = rng.random()
        if r < 0.35:
            value = rng.choice(_HOSTILE_VALUES)
        elif r < 0.6:
            value = rng.choice(_NASTY_VALUES)
        elif r < 0.8:  # nest what is there
            value = doc
            for p in path:
                value = value[p]
            for _ in range(rng.choice([2, 50, 300])):
                value = {"#tup": [value]}
        else:  # a key renamed or deleted
            value = rng.choice(_NASTY_VALUES)
            path = path[:-1] if path else path
        doc = _replace(doc, path, value)
    return json.dumps(doc)
