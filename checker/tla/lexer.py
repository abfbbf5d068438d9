"""The TLA+ lexer: text to lark tokens, with lines and columns.

It owns the lexical rules: where a module starts and ends (text outside the
outermost ``---- MODULE M ----`` ... ``====`` is ignored), ``\\*`` and nested
``(* *)`` comments, strings with escapes, numbers (``42``, ``\\b101``, ``\\o17``,
``\\hFF``, ``1.5``), identifiers (which may start with digits), keywords, and
every spelling of every operator (ASCII and Unicode, ``∧`` ``≜`` ``∈`` ...), each
mapped to its canonical name (``checker.tla.syntax.INFIX_SYNONYMS``).

Junction bullets are *not* decided here: ``/\\`` comes out as ``AND`` and the
parser driver (``checker.tla.parser``) turns it into a bullet or an infix
operator from the parser state and the columns. Theorems and proofs are folded
into one opaque ``THEOREM`` token (``fold_proofs``), as TLC ignores them.

A spec is untrusted input: the lexer only slices and classifies text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from lark import Token

from checker.errors import MAX_INT_BITS, MAX_INT_DIGITS, Span, SpecError
from checker.tla.syntax import INFIX_SYNONYMS, PREFIX_SYNONYMS

KEYWORDS: Mapping[str, str] = MappingProxyType(
    {
        "MODULE": "MODULE",
        "EXTENDS": "EXTENDS",
        "CONSTANT": "CONSTANT",
        "CONSTANTS": "CONSTANT",
        "VARIABLE": "VARIABLE",
        "VARIABLES": "VARIABLE",
        "ASSUME": "ASSUME",
        "ASSUMPTION": "ASSUME",
        "AXIOM": "ASSUME",
        "LOCAL": "LOCAL",
        "INSTANCE": "INSTANCE",
        "WITH": "WITH",
        "RECURSIVE": "RECURSIVE",
        "LET": "LET",
        "IN": "LETIN",
        "IF": "IF",
        "THEN": "THEN",
        "ELSE": "ELSE",
        "CASE": "CASE",
        "OTHER": "OTHER",
        "CHOOSE": "CHOOSE",
        "LAMBDA": "LAMBDA",
        "EXCEPT": "EXCEPT",
        "TRUE": "BOOL",
        "FALSE": "BOOL",
        "DOMAIN": "PREFIX",
        "SUBSET": "PREFIX",
        "UNION": "PREFIX",
        "ENABLED": "PREFIX",
        "UNCHANGED": "PREFIX",
    }
)
"""Reserved words with a role in the grammar; value -> terminal name."""

PROOF_STARTS = frozenset({"THEOREM", "LEMMA", "COROLLARY", "PROPOSITION", "USE", "HIDE", "PROOF"})
PROOF_WORDS = frozenset(
    {"BY", "OBVIOUS", "OMITTED", "QED", "PROOF", "DEF", "DEFS", "HAVE", "TAKE", "WITNESS", "PICK", "SUFFICES"}
    | {"PROVE", "NEW", "DEFINE", "ACTION", "STATE", "TEMPORAL", "ONLY", "USE", "HIDE", "CONSTANT", "ASSUME"}
)

# Punctuation and symbolic operators, longest first; value -> (terminal, canonical value).
_symbols: dict[str, tuple[str, str]] = {
    "(": ("LPAR", "("),
    ")": ("RPAR", ")"),
    "[": ("LSQB", "["),
    "]_": ("RSQB_SUB", "]_"),
    "]": ("RSQB", "]"),
    "{": ("LBRACE", "{"),
    "}": ("RBRACE", "}"),
    "<<": ("LTUP", "<<"),
    ">>_": ("RTUP_SUB", ">>_"),
    ">>": ("RTUP", ">>"),
    ",": ("COMMA", ","),
    "::": ("DCOLON", "::"),
    ":": ("COLON", ":"),
    "==": ("DEFEQ", "=="),
    "|->": ("MAPSTO", "|->"),
    "->": ("ARROW", "->"),
    "<-": ("LARROW", "<-"),
    "!": ("BANG", "!"),
    ".": ("DOT", "."),
    "@": ("AT", "@"),
    "_": ("UNDERSCORE", "_"),
    "[]": ("BOX", "[]"),
    "<>": ("DIAMOND", "<>"),
    "=": ("EQ", "="),
    "-": ("MINUS", "-"),
    "/\\": ("AND", "/\\"),
    "\\/": ("OR", "\\/"),
    "~": ("PREFIX", "~"),
    "-.": ("PREFIX", "-."),
    "'": ("POSTFIX", "'"),
    "^+": ("POSTFIX", "^+"),
    "^*": ("POSTFIX", "^*"),
    "^#": ("POSTFIX", "^#"),
}
for _spelling, _canon in INFIX_SYNONYMS.items():
    if not _spelling[:1].isalpha() and not (_spelling.startswith("\\") and _spelling[1:2].isalpha()):
        _symbols.setdefault(_spelling, ("INFIX", _canon))
_symbols["/\\"] = ("AND", "/\\")
_symbols["\\/"] = ("OR", "\\/")
_symbols["-"] = ("MINUS", "-")
_symbols["="] = ("EQ", "=")
del _spelling, _canon

# Backslash words: \in, \A, \cup, ...; value -> (terminal, canonical value).
_backslash_words: dict[str, tuple[str, str]] = {
    "\\A": ("FORALL", "\\A"),
    "\\E": ("EXISTS", "\\E"),
    "\\AA": ("TFORALL", "\\AA"),
    "\\EE": ("TEXISTS", "\\EE"),
    "\\in": ("IN", "\\in"),
    "\\land": ("AND", "/\\"),
    "\\lor": ("OR", "\\/"),
}
for _spelling, _canon in INFIX_SYNONYMS.items():
    if _spelling.startswith("\\") and _spelling[1:2].isalpha():
        _backslash_words.setdefault(_spelling, ("INFIX", _canon))
for _spelling, _canon in PREFIX_SYNONYMS.items():
    if _spelling.startswith("\\"):
        _backslash_words[_spelling] = ("PREFIX", _canon)
del _spelling, _canon

# TLA+'s Unicode spellings (SANY accepts them; checked with TLC 2.20), mapped to ASCII.
_SYMBOLS: Mapping[str, tuple[str, str]] = MappingProxyType(_symbols)
_BACKSLASH_WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(_backslash_words)

UNICODE: Mapping[str, str] = MappingProxyType(
    {
        "≜": "==",
        "∧": "/\\",
        "∨": "\\/",
        "¬": "~",
        "⇒": "=>",
        "≡": "<=>",
        "⇔": "<=>",
        "∀": "\\A",
        "∃": "\\E",
        "∈": "\\in",
        "∉": "\\notin",
        "≠": "/=",
        "≤": "<=",
        "≥": ">=",
        "∪": "\\cup",
        "∩": "\\cap",
        "⊆": "\\subseteq",
        "⊂": "\\subset",
        "⊇": "\\supseteq",
        "⊃": "\\supset",
        "×": "\\X",
        "⟨": "<<",
        "⟩": ">>",
        "↦": "|->",
        "→": "->",
        "←": "<-",
        "□": "[]",
        "◇": "<>",
        "↝": "~>",
        "⇸": "-+->",
        "‥": "..",
        "…": "...",
        "∘": "\\o",
        "⋅": "\\cdot",
        "÷": "\\div",
        "⊕": "\\oplus",
        "⊖": "\\ominus",
        "⊙": "\\odot",
        "⊗": "\\otimes",
        "⊘": "\\oslash",
        "≺": "\\prec",
        "≼": "\\preceq",
        "≻": "\\succ",
        "≽": "\\succeq",
        "⊏": "\\sqsubset",
        "⊑": "\\sqsubseteq",
        "⊐": "\\sqsupset",
        "⊒": "\\sqsupseteq",
        "⊓": "\\sqcap",
        "⊔": "\\sqcup",
        "≪": "\\ll",
        "≫": "\\gg",
        "≈": "\\approx",
        "≍": "\\asymp",
        "≅": "\\cong",
        "≐": "\\doteq",
        "∼": "\\sim",
        "≃": "\\simeq",
        "∝": "\\propto",
        "⊎": "\\uplus",
        "≀": "\\wr",
        "⋆": "\\star",
        "●": "\\bullet",
        "◯": "\\bigcirc",
        "⊢": "|-",
        "⊣": "-|",
        "⊨": "|=",
        "⫤": "=|",
        "≔": ":=",
        "⩴": "::=",
        "‖": "||",
    }
)

_SYMBOL_RE = re.compile("|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True)))
_IDENT_RE = re.compile(r"[0-9_]*[A-Za-z][A-Za-z0-9_]*")
_NUMBER_RE = re.compile(r"[0-9]+(\.[0-9]+)?")
_BASED_RE = re.compile(r"\\([bB][01]+|[oO][0-7]+|[hH][0-9a-fA-F]+)(?![A-Za-z0-9_])")
_BACKSLASH_RE = re.compile(r"\\[A-Za-z]+")
_SPACE_RE = re.compile(r"[ \t\r\f]+")
_DASHES_RE = re.compile(r"-{4,}")
_EQUALS_RE = re.compile(r"={4,}")
_MODULE_START_RE = re.compile(r"-{4,}[ \t]*MODULE\b")
_ESCAPES = MappingProxyType({"n": "\n", "t": "\t", "r": "\r", "f": "\f", '"': '"', "\\": "\\"})


def lex(text: str, filename: str, errors: list[SpecError]) -> list[Token]:
    """The tokens of the first module in ``text``; lexical errors are appended to ``errors``."""
    return list(_lex(text, filename, errors))


def _lex(text: str, filename: str, errors: list[SpecError]) -> Iterator[Token]:
    start = _MODULE_START_RE.search(text)
    if start is None:
        errors.append(
            SpecError(
                "E101",
                "no module header: a TLA+ file must contain '---- MODULE Name ----'",
                Span(filename, 1, 1, 1, 2),
                hint="start the spec with a line like '---- MODULE Name ----' and end it with '===='",
            )
        )
        return
    pos = start.start()
    line = text.count("\n", 0, pos) + 1
    line_start = text.rfind("\n", 0, pos) + 1
    n = len(text)
    depth = 0
    expect_module_word = False

    def span(a: int, b: int) -> Span:
        return Span(filename, line, a - line_start + 1, line, b - line_start + 1)

    tab_line = [-1, 0]  # [line_start checked, offset of its first tab or -1]

    def token(kind: str, value: str, a: int, b: int) -> Token:
        col = a - line_start + 1
        if tab_line[0] != line_start:
            tab_line[0] = line_start
            tab_line[1] = text.find("\t", line_start, a)
        if tab_line[1] >= 0 and tab_line[1] < a:
            col = _visual_column(text, line_start, a)
        return Token(kind, value, a, line, col, line, col + (b - a), b)

    while pos < n:
        c = text[pos]
        if c == "\n":
            pos += 1
            line += 1
            line_start = pos
            continue
        if c in " \t\r\f":
            m = _SPACE_RE.match(text, pos)
            assert m is not None
            pos = m.end()
            continue
        if text.startswith("(*", pos):
            end, lines, last_nl = _skip_comment(text, pos)
            if end < 0:
                errors.append(
                    SpecError(
                        "E102",
                        "unterminated comment",
                        span(pos, pos + 2),
                        hint="every '(*' needs a matching '*)' (comments nest)",
                    )
                )
                return
            if lines:
                line += lines
                line_start = last_nl + 1
            pos = end
            continue
        if text.startswith("\\*", pos):
            nl = text.find("\n", pos)
            pos = n if nl < 0 else nl
            continue
        if c == '"':
            tok, end = _string(text, pos, span, errors)
            if tok is None:
                pos = end
                continue
            yield token("STRING", tok, pos, end)
            pos = end
            continue
        if c.isalnum() or c == "_":
            m = _IDENT_RE.match(text, pos)
            if m is not None:
                word = m.group()
                if (word.startswith("WF_") or word.startswith("SF_")) and len(word) > 3:
                    yield token("FAIR", word[:2], pos, pos + 3)
                    pos += 3
                    continue
                if word in ("WF_", "SF_"):
                    yield token("FAIR", word[:2], pos, pos + 3)
                    pos += 3
                    continue
                kind = KEYWORDS.get(word, "NAME")
                if expect_module_word and word == "MODULE":
                    depth += 1
                expect_module_word = False
                yield token(kind, word, pos, m.end())
                pos = m.end()
                continue
            m = _NUMBER_RE.match(text, pos)
            if m is not None:
                if len(m.group()) > MAX_INT_DIGITS:
                    errors.append(_too_many_digits(span(pos, m.end()), len(m.group())))
                    yield token("NUMBER", "0", pos, m.end())
                    pos = m.end()
                    continue
                yield token("DECIMAL" if m.group(1) else "NUMBER", m.group(), pos, m.end())
                pos = m.end()
                continue
        if c == "-":
            m = _DASHES_RE.match(text, pos)
            if m is not None:
                expect_module_word = True
                yield token("DASHES", m.group(), pos, m.end())
                pos = m.end()
                continue
        if c == "=":
            m = _EQUALS_RE.match(text, pos)
            if m is not None:
                yield token("EQUALS_LINE", m.group(), pos, m.end())
                pos = m.end()
                depth -= 1
                if depth <= 0:
                    return
                continue
        expect_module_word = False
        if c == "\\":
            m = _BASED_RE.match(text, pos)
            if m is not None:
                digits = m.group(1)
                base = {"b": 2, "o": 8, "h": 16}[digits[0].lower()]
                number = int(digits[1:], base)  # linear in a power-of-two base
                if number.bit_length() > MAX_INT_BITS:
                    errors.append(_too_many_digits(span(pos, m.end()), len(digits) - 1))
                    number = 0
                yield token("NUMBER", str(number), pos, m.end())
                pos = m.end()
                continue
            m = _BACKSLASH_RE.match(text, pos)
            if m is not None:
                word = m.group()
                known = _BACKSLASH_WORDS.get(word)
                if known is not None:
                    yield token(known[0], known[1], pos, m.end())
                    pos = m.end()
                    continue
                # ``\/`` and ``\`` alone are symbols; a backslash word we do not know is an error.
                close = difflib.get_close_matches(word, list(_BACKSLASH_WORDS), n=1)
                errors.append(
                    SpecError(
                        "E103",
                        f"unknown operator '{word}'",
                        span(pos, m.end()),
                        hint=f"did you mean '{close[0]}'?" if close else None,
                    )
                )
                pos = m.end()
                continue
        ascii_ = UNICODE.get(c)
        if ascii_ is not None:
            known = _BACKSLASH_WORDS.get(ascii_) or _SYMBOLS.get(ascii_)
            if known is not None:
                yield token(known[0], known[1], pos, pos + 1)
                pos += 1
                continue
        m = _SYMBOL_RE.match(text, pos)
        if m is not None:
            kind, value = _SYMBOLS[m.group()]
            yield token(kind, value, pos, m.end())
            pos = m.end()
            continue
        errors.append(SpecError("E104", f"unexpected character {c!r}", span(pos, pos + 1)))
        pos += 1


TAB_STOP = 8


def _visual_column(text: str, line_start: int, pos: int) -> int:
    """The 1-based column of ``pos`` with tab stops every 8 columns, as SANY counts.

    Checked with TLC 2.20: a bullet after one tab is in column 9 for the junction rule.
    """
    col = 0
    for ch in text[line_start:pos]:
        col = (col // TAB_STOP + 1) * TAB_STOP if ch == "\t" else col + 1
    return col + 1


_COMMENT_MARK_RE = re.compile(r"\(\*|\*\)|\n")


def _skip_comment(text: str, pos: int) -> tuple[int, int, int]:
    """End of the (nested) comment at ``pos``, newlines inside, offset of the last one (-1 if open).

    One left-to-right scan of the marks (linear: 50,000 nested comments take a blink)."""
    depth = 0
    lines = 0
    last_nl = -1
    for m in _COMMENT_MARK_RE.finditer(text, pos):
        mark = m.group()
        if mark == "\n":
            lines += 1
            last_nl = m.start()
        elif mark == "(*":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.end(), lines, last_nl
    return -1, lines, last_nl


def _too_many_digits(where: Span, digits: int) -> SpecError:
    return SpecError(
        "E107",
        f"this number has {digits:,} digits; tlacheck reads integers of at most {MAX_INT_DIGITS:,} digits",
        where,
        hint="TLC's integers have 32 bits; a model needs small numbers",
    )


def _string(text: str, pos: int, span: object, errors: list[SpecError]) -> tuple[str | None, int]:
    """The decoded string literal at ``pos`` and the offset after it (None on error)."""
    out: list[str] = []
    i = pos + 1
    n = len(text)
    make_span = span  # a closure (a, b) -> Span on the current line
    while i < n:
        c = text[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\n":
            break
        if c == "\\":
            e = text[i + 1 : i + 2]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                i += 2
                continue
            errors.append(
                SpecError(
                    "E105",
                    f"unknown escape '\\{e}' in a string",
                    make_span(i, i + 2),  # type: ignore[operator]
                    hint='the escapes are \\" \\\\ \\n \\t \\r \\f',
                )
            )
            i += 2
            continue
        out.append(c)
        i += 1
    errors.append(
        SpecError(
            "E106",
            "unterminated string",
            make_span(pos, i),  # type: ignore[operator]
            hint="a string ends with '\"' on the same line",
        )
    )
    return None, i


def fold_proofs(tokens: list[Token]) -> list[Token]:
    """Fold each theorem with its proof (and each USE/HIDE) into one opaque ``THEOREM`` token.

    The token's value is the keyword, then the theorem's name if it has one
    (``"THEOREM Safety"``).

    A block runs from its keyword to the next token in column 1 that does not
    continue a proof (a step label ``<1>2.``, ``QED``, ``BY``, ...). Top-level units
    start in column 1 in practice; this is the rule TLC users' specs follow.
    """
    out: list[Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not (tok.type == "NAME" and tok.value in PROOF_STARTS):
            out.append(tok)
            i += 1
            continue
        j = i + 1
        while j < n:
            t = tokens[j]
            if t.column == 1 and t.line != tok.line and starts_unit(tokens, j):
                break
            if t.type in ("EQUALS_LINE", "DASHES"):
                break
            j += 1
        last = tokens[j - 1]
        value = tok.value
        if i + 2 < j and tokens[i + 1].type == "NAME" and tokens[i + 2].type == "DEFEQ":
            value = f"{tok.value} {tokens[i + 1].value}"
        out.append(
            Token(
                "THEOREM",
                value,
                tok.start_pos,
                tok.line,
                tok.column,
                last.end_line,
                last.end_column,
                last.end_pos,
            )
        )
        i = j
    return out


_UNIT_KEYWORDS = frozenset({"CONSTANT", "VARIABLE", "LOCAL", "INSTANCE", "RECURSIVE", "THEOREM"})
_OPENERS = MappingProxyType({"LPAR": "RPAR", "LSQB": "RSQB"})


def starts_unit(tokens: list[Token], j: int, lenient: bool = False) -> bool:
    """Whether ``tokens[j]`` looks like the start of a module unit (a definition or a keyword).

    Used to find where an opaque proof ends and (``lenient``) where to resume after a
    syntax error.
    """
    t = tokens[j]
    n = len(tokens)
    if t.type in _UNIT_KEYWORDS or t.type in ("DASHES", "EQUALS_LINE"):
        return True
    if t.type == "NAME" and t.value in PROOF_STARTS:
        return True
    if t.type == "ASSUME":
        return j == 0 or tokens[j - 1].type != "DEFEQ"
    if t.type != "NAME" or j + 1 >= n:
        return t.type == "PREFIX" and j + 2 < n and tokens[j + 2].type == "DEFEQ"
    nxt = tokens[j + 1]
    if nxt.type == "DEFEQ" or (lenient and nxt.type == "EQ"):
        return True  # (leniently, ``Name = ...`` too: a definition with '=' for '==')
    if nxt.type in _OPENERS:
        depth = 0
        for k in range(j + 1, min(n, j + 200)):
            kind = tokens[k].type
            if kind in ("LPAR", "LSQB"):
                depth += 1
            elif kind in ("RPAR", "RSQB"):
                depth -= 1
                if depth == 0:
                    return k + 1 < n and tokens[k + 1].type == "DEFEQ"
        return False
    if nxt.type in ("INFIX", "EQ", "MINUS", "AND", "OR", "IN") and j + 3 < n:
        return tokens[j + 2].type == "NAME" and tokens[j + 3].type == "DEFEQ"
    return nxt.type == "POSTFIX" and j + 2 < n and tokens[j + 2].type == "DEFEQ"


def is_step_label(tokens: list[Token], i: int) -> bool:
    """``<1>2.`` or ``<1>.`` or ``<*>``: a proof step label starting at ``tokens[i]`` (``<``)."""
    if i + 2 >= len(tokens):
        return False
    a, b = tokens[i + 1], tokens[i + 2]
    return (
        a.type in ("NUMBER", "INFIX")
        and (a.type == "NUMBER" or a.value in ("*", "+"))
        and b.type == "INFIX"
        and b.value == ">"
        and a.line == tokens[i].line
        and a.start_pos == tokens[i].end_pos
    )
