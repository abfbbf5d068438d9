"""Parse TLA+ text into the syntax tree of ``checker.tla.syntax``.

This module owns the parser driver and the tree builder:

- ``parse_module(text, filename)`` and ``parse_file(path)``: the outermost module of
  a file, or ``SpecErrors`` listing every error found (never a lark traceback).
- ``parse_expr(text)``: one expression (tests, the REPL-like helpers of other stages).

How it works. ``checker.tla.lexer`` gives tokens; the lark LALR parser
(``grammar.lark``) is fed one token at a time through lark's public
``InteractiveParser`` (``feed_token``, ``choices``, ``feed_eof``), so the driver can
see the parser state. That is how junction lists get exactly TLA+'s rule: a ``/\\`` or ``\\/``
where an expression may start opens a list at its column; a bullet of the same
kind in that column starts the next item; any token left of or at the column
(or that the grammar cannot take inside the list, like a closing bracket or
``THEN``) ends the list. Infix expressions come out of the grammar flat and are
nested here by TLA+'s precedence ranges (``syntax.INFIX_OPERATORS``); operators
whose ranges overlap need parentheses (``E120``).

After a syntax error the driver skips to the next line that starts a unit and
parses on, so several errors are reported at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import functools
import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import lark
from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedToken
from lark.lexer import Lexer

from checker.errors import Span, SpecError, SpecErrors
from checker.tla import syntax
from checker.tla.lexer import fold_proofs, is_step_label, lex, starts_unit

MAX_ERRORS = 20

_BRACKETS = MappingProxyType({"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE", "LTUP": "RTUP"})
_CLOSERS = MappingProxyType(
    {
        "RPAR": "LPAR",
        "RSQB": "LSQB",
        "RSQB_SUB": "LSQB",
        "RBRACE": "LBRACE",
        "RTUP": "LTUP",
        "RTUP_SUB": "LTUP",
    }
)
_UNIT_START = frozenset(
    {"CONSTANT", "VARIABLE", "ASSUME", "LOCAL", "INSTANCE", "RECURSIVE", "THEOREM", "DASHES", "EQUALS_LINE"}
)
_TOKEN_WORDS = MappingProxyType(
    {
        "NAME": "a name",
        "NUMBER": "a number",
        "STRING": "a string",
        "DEFEQ": "'=='",
        "EQ": "'='",
        "LPAR": "'('",
        "RPAR": "')'",
        "LSQB": "'['",
        "RSQB": "']'",
        "LBRACE": "'{'",
        "RBRACE": "'}'",
        "LTUP": "'<<'",
        "RTUP": "'>>'",
        "COMMA": "','",
        "COLON": "':'",
        "MAPSTO": "'|->'",
        "ARROW": "'->'",
        "THEN": "THEN",
        "ELSE": "ELSE",
        "LETIN": "IN",
        "EQUALS_LINE": "'===='",
        "$END": "the end of the file",
        "JEND": "the end of a bulleted list",
    }
)


class _NoLexer(Lexer):
    """Lark insists on a lexer; ours runs before the parser (``checker.tla.lexer``)."""

    __future_interface__ = 2

    def __init__(self, conf: Any) -> None:
        pass

    def lex(self, lexer_state: Any, parser_state: Any) -> Any:
        return iter(())


@functools.cache
def _builder() -> _Build:
    """The tree builder lark calls on every reduction; ``_Build.reset`` readies it for one parse."""
    return _Build()


@functools.cache
def _lark() -> Lark:
    grammar = (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")
    table = _table_cache(grammar)
    # A table built here is written to a file of this process's own, then renamed into place,
    # so that a process reading the table never sees one half written by another.
    private = table.with_name(f"{table.name}.{os.getpid()}.tmp") if table and not table.exists() else None
    parser = Lark(
        grammar,
        parser="lalr",
        lexer=_NoLexer,
        start=["start", "units_rest"],
        keep_all_tokens=True,
        transformer=_builder(),
        cache=str(private or table) if table else False,
    )
    if private is not None and table is not None:
        with contextlib.suppress(OSError):
            os.replace(private, table)
    return parser


def _table_cache(grammar: str) -> Path | None:
    """Where lark keeps the LALR tables it computes from the grammar (about 0.4 s of CPU, paid
    by every process otherwise): a file of the user's own cache folder, named by the grammar
    and lark's version (lark checks both before it uses the file, and builds the tables again
    when the file is stale or unreadable). Not lark's default of a file in the shared temporary
    folder, whose name anyone could take first. None (no cache) when the folder cannot be made."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "tlacheck"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    key = hashlib.sha256(f"{lark.__version__}\n{grammar}".encode()).hexdigest()[:16]
    return folder / f"grammar-{key}.lark"


# One parse at a time: the builder lark calls back into holds the state of the parse under way.
_PARSING = threading.Lock()


class _Machine:
    """Lark's LALR automaton for one parse, through its public ``InteractiveParser``.

    Never raises on a syntax error: ``feed`` and ``finish`` say whether the grammar took
    the token. The column rule for junction lists needs to know, before feeding a bullet,
    whether the current state can take it (``accepts``); that is the current state's row
    of the parse table, which ``InteractiveParser.choices()`` gives. (Lark's own
    ``InteractiveParser.accepts()`` answers a different question, whether the token can
    be taken after reductions, by trial-feeding a copy of the parser for each terminal:
    far too slow to ask at every bullet.)
    """

    __slots__ = ("parser",)

    def __init__(self, start: str) -> None:
        self.parser = _lark().parse_interactive(start=start)

    def accepts(self, terminal: str) -> bool:
        """Whether the current state has an action for ``terminal`` (before any reduction)."""
        return terminal in self.parser.choices()  # type: ignore[no-untyped-call]  # lark 1.3 leaves it untyped

    def expected(self) -> set[str]:
        return set(self.parser.choices())  # type: ignore[no-untyped-call]

    def feed(self, tok: Token) -> bool:
        """Shift ``tok`` (after the reductions it calls for); False if the grammar cannot take it.

        A token the grammar cannot take leaves the reductions made before it was refused:
        the driver relies on that when it ends a junction list instead.
        """
        try:
            self.parser.feed_token(tok)
        except UnexpectedToken:
            return False
        return True

    def finish(self, last: Token) -> tuple[bool, Any]:
        """Feed the end of input: (True, the start symbol's value) or (False, None)."""
        try:
            return True, self.parser.feed_eof(last)  # type: ignore[no-untyped-call]
        except UnexpectedToken:
            return False, None


# ---------------------------------------------------------------------------------------------
# Entry points


def parse_file(path: str | Path) -> syntax.Module:
    """Parse the outermost module of a ``.tla`` file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SpecErrors([SpecError("E100", f"cannot read {p}: {e}", None)]) from None
    return parse_module(text, str(p))


def parse_module(text: str, filename: str = "<string>") -> syntax.Module:
    """Parse the outermost module in ``text``; raise ``SpecErrors`` with every error found."""
    errors: list[SpecError] = []
    tokens = fold_proofs(lex(text, filename, errors))
    if errors:
        # Report lexical errors alone: the parse errors they cause would only repeat them.
        raise SpecErrors(_sorted(errors))
    with _PARSING:
        builder = _builder()
        builder.reset(filename, text, errors)
        try:
            module = _Driver(text, filename, tokens, errors).run()
        finally:
            builder.reset("<string>", "", [])  # keep no file's text alive between parses
    if errors:
        raise SpecErrors(_sorted(errors))
    assert isinstance(module, syntax.Module)
    return module


def parse_expr(text: str, filename: str = "<expr>") -> syntax.Expr:
    """Parse one expression (written as it would appear after ``Op ==`` in column 1)."""
    prefix = "---- MODULE Expr ----\nE__ == "
    module = parse_module(prefix + text.replace("\n", "\n       ") + "\n====\n", filename)
    unit = module.units[0]
    assert isinstance(unit, syntax.OpDef)
    return unit.body


_PROOF_WORDS = frozenset({"PROOF", "BY", "OBVIOUS", "OMITTED"})


def parse_theorem_statement(theorem: syntax.Theorem) -> syntax.Expr | None:
    """The statement of a named theorem (``LEMMA Reachable0 == e``), which TLA+ lets a spec use
    as the formula ``e``; None when it is not an expression (``ASSUME ... PROVE``) or does not
    parse. The proof is left out; spans are those of the theorem's file."""
    sp = theorem.span
    if theorem.name is None or sp is None or sp.line < 2:
        return None
    # The theorem's text where it stands in its file (after a module header on line 1), so that
    # tokens and errors keep their places.
    text = "---- MODULE T ----" + "\n" * (sp.line - 1) + " " * (sp.col - 1) + theorem.text
    errors: list[SpecError] = []
    tokens = lex(text, sp.file, errors)
    first = next((i for i, t in enumerate(tokens) if t.line == sp.line), None)
    if errors or first is None or first + 3 >= len(tokens):
        return None
    if tokens[first + 2].type != "DEFEQ" or tokens[first + 3].type == "ASSUME":
        return None
    end = len(tokens)
    for k in range(first + 3, len(tokens)):
        t = tokens[k]
        if t.type in ("EQUALS_LINE", "DASHES") or (t.type == "NAME" and t.value in _PROOF_WORDS):
            end = k
            break
        if t.value == "<" and is_step_label(tokens, k):
            end = k
            break
    if end == first + 3:
        return None
    # Up to the statement's end, with the keyword (LEMMA) blanked out: `Reachable0 == e`.
    start, stop, cut = tokens[first].start_pos, tokens[first].end_pos, tokens[end - 1].end_pos
    assert start is not None and stop is not None and cut is not None
    text = text[:start] + " " * (stop - start) + text[stop:cut]
    try:
        module = parse_module(text + "\n====\n", sp.file)
    except SpecErrors:
        return None
    unit = module.units[0] if len(module.units) == 1 else None
    return unit.body if isinstance(unit, syntax.OpDef) and not unit.params else None


def _sorted(errors: list[SpecError]) -> list[SpecError]:
    def key(e: SpecError) -> tuple[int, int]:
        return (e.span.line, e.span.col) if e.span else (0, 0)

    return sorted(errors, key=key)


# ---------------------------------------------------------------------------------------------
# The driver: feeds tokens, decides junction bullets, recovers from errors


@dataclasses.dataclass(slots=True)
class _Junction:
    col: int
    kind: str  # "AND" or "OR"
    line: int


def _ln(t: Token) -> int:
    return t.line or 1


def _cl(t: Token) -> int:
    return t.column or 1


def _eln(t: Token) -> int:
    return t.end_line or _ln(t)


def _ecl(t: Token) -> int:
    return t.end_column or _cl(t)


class _Driver:
    """One parse of one file (mutable, short-lived)."""

    def __init__(self, text: str, filename: str, tokens: list[Token], errors: list[SpecError]) -> None:
        self.text = text
        self.filename = filename
        self.tokens = tokens
        self.errors = errors
        self.at = 0  # index of the token being fed, for error messages

    def span(self, tok: Token) -> Span:
        return _tok_span(self.filename, tok)

    def run(self) -> syntax.Module | None:
        start = "start"
        i = 0
        result: syntax.Module | None = None
        recovering = False
        while True:
            outcome, i, value = self._parse_from(i, start)
            if outcome == "ok":
                if not recovering:
                    result = value
                return result
            recovering = True
            if len(self.errors) >= MAX_ERRORS:
                return None
            i = self._recovery_point(i)
            if i >= len(self.tokens):
                return None
            start = "units_rest"

    def _recovery_point(self, i: int) -> int:
        """The next token after ``i`` that starts a line in column 1 and can start a unit."""
        toks = self.tokens
        j = i + 1
        while j < len(toks):
            t = toks[j]
            if _cl(t) == 1 and _eln(toks[j - 1]) < _ln(t) and starts_unit(toks, j, lenient=True):
                return j
            j += 1
        return j

    def _parse_from(self, i: int, start: str) -> tuple[str, int, Any]:
        state = _Machine(start)
        junctions: list[_Junction] = []
        brackets: list[Token] = []
        closed: list[_Junction] = []
        toks = self.tokens
        prev: Token | None = toks[i - 1] if i > 0 else None
        n = len(toks)
        while i < n:
            tok = toks[i]
            self.at = i
            # 1. The column rule: a token left of or at an open list's column ends it,
            #    unless it is a bullet of that list, which starts the next item.
            while junctions:
                top = junctions[-1]
                if _cl(tok) > top.col or _ln(tok) == top.line:
                    break
                if _cl(tok) == top.col and tok.type == top.kind:
                    break
                if not self._feed(state, self._synth("JEND", prev or tok), tok, brackets, junctions):
                    return "error", i, None
                closed.append(junctions.pop())
            kind = tok.type
            if kind in ("AND", "OR"):
                if junctions and _cl(tok) == junctions[-1].col and kind == junctions[-1].kind:
                    tok = _retype(tok, "JSEP")
                elif state.accepts("J" + kind):
                    junctions.append(_Junction(_cl(tok), kind, _ln(tok)))
                    tok = _retype(tok, "J" + kind)
            # 2. Feed; a token the list cannot take ends the innermost list (a closing
            #    bracket, THEN, a comma...).
            # (A failed feed may have made reductions first; they are the ones JEND needs.)
            while not state.feed(tok):
                if junctions and state.accepts("JEND"):
                    state.feed(self._synth("JEND", prev or tok))
                    closed.append(junctions.pop())
                    continue
                self._syntax_error(tok, prev, state, brackets, closed)
                return "error", i, None
            if kind in _BRACKETS:
                brackets.append(tok)
            elif kind in _CLOSERS and brackets:
                brackets.pop()
            prev = tok
            i += 1
        while junctions and state.feed(self._synth("JEND", prev or toks[-1])):
            junctions.pop()
        done, value = state.finish(prev or toks[-1])
        if not done:
            self._eof_error(prev, brackets)
            return "error", n, None
        if start == "start":
            return "ok", n, value
        return "ok", n, None

    def _feed(
        self,
        state: _Machine,
        tok: Token,
        at: Token,
        brackets: list[Token],
        junctions: list[_Junction],
    ) -> bool:
        if state.feed(tok):
            return True
        # The token is left of (or at) the list's column, so it ends the list, but the
        # current item is not complete: for a bullet, the usual cause is a misalignment.
        top = junctions[-1]
        if at.type in ("AND", "OR"):
            self.errors.append(
                SpecError(
                    "E114",
                    f"misaligned bullet: '{at.value}' in column {_cl(at)} ends the list whose bullets "
                    f"are in column {top.col}, in the middle of an item",
                    self.span(at),
                    hint=f"align the bullet with column {top.col}, or finish the item above",
                )
            )
        else:
            self._syntax_error(at, None, state, brackets, [])
        return False

    def _synth(self, kind: str, after: Token) -> Token:
        """A token the driver adds (JEND, $END), placed at the end of ``after``."""
        line = _eln(after) or _ln(after)
        col = _ecl(after) or _cl(after)
        pos = after.end_pos or 0
        return Token(kind, "", pos, line, col, line, col, pos)

    def _syntax_error(
        self,
        tok: Token,
        prev: Token | None,
        state: _Machine,
        brackets: list[Token],
        closed: list[_Junction],
    ) -> None:
        expected = state.expected()
        span = self.span(tok)
        shown = tok.value if tok.type != "$END" else ""
        what = f"'{shown}'" if shown else _TOKEN_WORDS.get(tok.type, tok.type)
        k = self.at
        toks = self.tokens
        # ``Init = x = 0`` reads as the start of an infix definition ``Init = x == ...`` and
        # ``C = 3`` as nothing: either way the '=' to point at follows a name in column 1.
        eq_at = None
        if k >= 2 and toks[k - 1].type == "EQ" and toks[k - 2].type == "NAME" and _cl(toks[k - 2]) == 1:
            eq_at = toks[k - 1]
        elif k >= 3 and tok.type == "EQ" and toks[k - 2].type == "EQ" and _cl(toks[k - 3]) == 1:
            eq_at = toks[k - 2]
        if eq_at is not None or (tok.type == "EQ" and "DEFEQ" in expected):
            if eq_at is not None:
                span = self.span(eq_at)
            self.errors.append(
                SpecError(
                    "E113",
                    "'=' where a definition needs '=='",
                    span,
                    hint="a definition is written 'Name == expression'; '=' is equality",
                )
            )
            return
        if tok.type in _CLOSERS:
            opener = brackets[-1] if brackets else None
            if opener is None or opener.type != _CLOSERS[tok.type]:
                why = (
                    f"'{opener.value}' opened at {_ln(opener)}:{_cl(opener)} is still open"
                    if opener is not None
                    else "there is no opening bracket for it"
                )
                self.errors.append(
                    SpecError("E112", f"unbalanced bracket: unexpected {what}", span, hint=why)
                )
                return
        first_on_line = prev is None or _eln(prev) < _ln(tok)
        if tok.type in ("AND", "OR", "JSEP", "JAND", "JOR") and first_on_line:
            near = [j for j in closed if abs(j.col - _cl(tok)) <= 4]
            if near:
                j = near[-1]
                self.errors.append(
                    SpecError(
                        "E114",
                        f"misaligned bullet: '{tok.value}' in column {_cl(tok)}",
                        span,
                        hint=f"the list above has its bullets in column {j.col}; align this one with them",
                    )
                )
                return
        exp = sorted({_TOKEN_WORDS[e] for e in expected if e in _TOKEN_WORDS})
        hint: str | None = None
        if tok.type == "$END":
            self._eof_error(prev, brackets)
            return
        if exp and len(exp) <= 6:
            hint = "expected " + ", ".join(exp)
        if first_on_line and brackets:
            opener = brackets[-1]
            hint = f"'{opener.value}' opened at {_ln(opener)}:{_cl(opener)} is not closed"
            self.errors.append(SpecError("E112", f"unbalanced bracket: unexpected {what}", span, hint=hint))
            return
        self.errors.append(SpecError("E110", f"syntax error: unexpected {what}", span, hint=hint))

    def _eof_error(self, prev: Token | None, brackets: list[Token]) -> None:
        last_line = self.text.count("\n") + 1
        at = (
            Span(self.filename, _eln(prev), _ecl(prev), _eln(prev), _ecl(prev) + 1)
            if prev is not None
            else Span(self.filename, last_line, 1, last_line, 2)
        )
        if brackets:
            opener = brackets[-1]
            self.errors.append(
                SpecError(
                    "E112",
                    f"unbalanced bracket: '{opener.value}' is never closed",
                    self.span(opener),
                    hint=f"add the matching '{_CLOSE_TEXT[opener.type]}'",
                )
            )
            return
        if prev is None or prev.type != "EQUALS_LINE":
            self.errors.append(
                SpecError(
                    "E111",
                    "the module does not end: missing '===='",
                    at,
                    hint="end the module with a line of four or more '=' ('====')",
                )
            )
            return
        self.errors.append(SpecError("E110", "syntax error: unexpected end of the file", at))


_CLOSE_TEXT = MappingProxyType({"LPAR": ")", "LSQB": "]", "LBRACE": "}", "LTUP": ">>"})


def _retype(tok: Token, kind: str) -> Token:
    return Token(
        kind, tok.value, tok.start_pos, tok.line, tok.column, tok.end_line, tok.end_column, tok.end_pos
    )


def _tok_span(filename: str, tok: Token) -> Span:
    line = tok.line or 1
    col = tok.column or 1
    end_line = tok.end_line or line
    end_col = tok.end_column or col + 1
    return Span(filename, line, col, end_line, max(end_col, col + 1) if end_line == line else end_col)


# ---------------------------------------------------------------------------------------------
# The tree builder (lark callbacks, bottom-up, no recursion)


@dataclasses.dataclass(frozen=True, slots=True)
class _Term:
    prefix: tuple[Token, ...]
    operand: syntax.Expr
    span: Span


@dataclasses.dataclass(frozen=True, slots=True)
class _Lhs:
    name: str
    params: tuple[syntax.Decl, ...]
    span: Span


@dataclasses.dataclass(frozen=True, slots=True)
class _Step:
    name: str
    args: tuple[syntax.Expr, ...]
    span: Span


@dataclasses.dataclass(frozen=True, slots=True)
class _Names:
    names: tuple[str, ...]
    span: Span


@dataclasses.dataclass(frozen=True, slots=True)
class _MapItem:
    kind: str  # "", "|->" or ":"
    lhs: syntax.Expr
    rhs: syntax.Expr | None
    span: Span


@dataclasses.dataclass(frozen=True, slots=True)
class _ChooseBound:
    names: tuple[str, ...]
    domain: syntax.Expr | None
    tuple_pattern: bool
    span: Span


@dataclasses.dataclass(frozen=True, slots=True)
class _Extends:
    names: tuple[str, ...]
    spans: tuple[Span, ...]
    span: Span


@dataclasses.dataclass(frozen=True, slots=True)
class _Separator:
    span: Span


def _infix_name(tok: Token) -> str:
    """The canonical name of an infix operator token."""
    if tok.type == "IN":
        return "\\in"
    if tok.type in ("AND", "JAND", "JSEP"):
        return "/\\" if tok.value in ("/\\", "\\land") else "\\/"
    if tok.type in ("OR", "JOR"):
        return "\\/"
    return str(tok.value)


def _prefix_name(tok: Token) -> str:
    if tok.type == "MINUS":
        return "-."
    return str(tok.value)


class _Build(Transformer[Token, Any]):
    """Lark callbacks that build ``checker.tla.syntax`` nodes.

    Lark takes its callbacks once, when the parser is built (``Lark(transformer=...)``), so
    one instance serves every parse: ``reset`` gives it the file of the parse under way.
    """

    def __init__(self) -> None:
        super().__init__()
        self.reset("<string>", "", [])

    def reset(self, filename: str, text: str, errors: list[SpecError]) -> None:
        self.filename = filename
        self.text = text
        self.errors = errors
        # Nodes written in parentheses, by id (held, so that no later node gets the address of
        # one dropped): ``{(x \in S) : y \in T}`` is a map, not a filter.
        self.parenthesized: dict[int, syntax.Expr] = {}

    # -- spans
    def sp(self, first: Any, last: Any = None) -> Span:
        last = first if last is None else last
        # Tokens are read directly (no Span per token): spans are built for every node.
        if type(first) is Token:
            line, col = first.line or 1, first.column or 1
        else:
            a = first.span if hasattr(first, "span") else self.edge(first, False)
            line, col = a.line, a.col
        if type(last) is Token:
            end_line, end_col = last.end_line or line, last.end_column or col + 1
        else:
            b = last.span if hasattr(last, "span") else self.edge(last, True)
            end_line, end_col = b.end_line, b.end_col
        return Span(self.filename, line, col, end_line, end_col)

    def edge(self, x: Any, last: bool) -> Span:
        """The span of a child: a token, a node, or a list/pair of them (first or last part)."""
        if isinstance(x, Token):
            return _tok_span(self.filename, x)
        if isinstance(x, list | tuple):
            parts = [p for p in x if not isinstance(p, str) or isinstance(p, Token)]
            return self.edge(parts[-1] if last else parts[0], last)
        span: Span = x.span
        return span

    def spc(self, c: Sequence[Any]) -> Span:
        return self.sp(c[0], c[-1])

    def error(self, code: str, message: str, span: Span, hint: str | None = None) -> None:
        self.errors.append(SpecError(code, message, span, hint=hint))

    # -- module structure
    def start(self, c: list[Any]) -> syntax.Module:
        m: syntax.Module = c[0]
        return m

    def units_rest(self, c: list[Any]) -> None:
        return None

    def module(self, c: list[Any]) -> syntax.Module:
        name = str(c[2])
        rest = c[4:-1]
        ext: _Extends | None = None
        if rest and isinstance(rest[0], _Extends):
            ext = rest[0]
            rest = rest[1:]
        units = tuple(u for u in rest if isinstance(u, syntax.Unit))
        return syntax.Module(
            name,
            ext.names if ext else (),
            units,
            ext.spans if ext else (),
            span=self.spc(c),
        )

    def extends(self, c: list[Any]) -> _Extends:
        names = [t for t in c[1:] if t.type == "NAME"]
        return _Extends(
            tuple(str(t) for t in names), tuple(_tok_span(self.filename, t) for t in names), self.spc(c)
        )

    def separator(self, c: list[Any]) -> _Separator:
        return _Separator(self.spc(c))

    def theorem(self, c: list[Any]) -> syntax.Theorem:
        t: Token = c[0]
        kind, _, name = str(t.value).partition(" ")
        text = self.text[t.start_pos : t.end_pos] if t.end_pos else ""
        return syntax.Theorem(kind, name or None, text, span=self.spc(c))

    def decl(self, c: list[Any]) -> syntax.Decl:
        sp = self.spc(c)
        first = c[0]
        if len(c) == 1:
            return syntax.Decl(str(first), 0, span=sp)
        if first.type == "NAME":
            return syntax.Decl(
                str(first), sum(1 for t in c if isinstance(t, Token) and t.type == "UNDERSCORE"), span=sp
            )
        if len(c) == 3:
            return syntax.Decl(_infix_name(c[1]), 2, span=sp)
        if first.type == "UNDERSCORE":
            return syntax.Decl(str(c[1].value), 1, span=sp)
        return syntax.Decl(_prefix_name(first), 1, span=sp)

    def constants(self, c: list[Any]) -> syntax.Constants:
        return syntax.Constants(tuple(d for d in c if isinstance(d, syntax.Decl)), span=self.spc(c))

    def recursive(self, c: list[Any]) -> syntax.Recursive:
        return syntax.Recursive(tuple(d for d in c if isinstance(d, syntax.Decl)), span=self.spc(c))

    def variables(self, c: list[Any]) -> syntax.Variables:
        decls = tuple(
            syntax.Decl(str(t), 0, span=_tok_span(self.filename, t)) for t in c[1:] if t.type == "NAME"
        )
        return syntax.Variables(decls, span=self.spc(c))

    def assume(self, c: list[Any]) -> syntax.Assume:
        if len(c) == 4:
            return syntax.Assume(c[3], str(c[1]), span=self.spc(c))
        return syntax.Assume(c[1], span=self.spc(c))

    def instance(self, c: list[Any]) -> syntax.Instance:
        subs = tuple(x for x in c[3:] if isinstance(x, tuple))
        return syntax.Instance(str(c[1]), subs, span=self.spc(c))

    def subst(self, c: list[Any]) -> tuple[str, syntax.Expr]:
        lhs = c[0]
        name = str(lhs) if lhs.type == "NAME" else _infix_name(lhs)
        if lhs.type in ("PREFIX", "BOX", "DIAMOND"):
            name = _prefix_name(lhs)
        return (name, c[2])

    def any_infix(self, c: list[Any]) -> Token:
        t: Token = c[0]
        return t

    prefix_word = any_infix
    infix_op = any_infix
    prefix_op = any_infix

    def local(self, c: list[Any]) -> syntax.Unit:
        u = c[1]
        return dataclasses.replace(u, local=True, span=self.spc(c))  # type: ignore[no-any-return]

    def def_lhs(self, c: list[Any]) -> _Lhs:
        sp = self.spc(c)
        if len(c) == 1:
            return _Lhs(str(c[0]), (), sp)
        if isinstance(c[1], Token) and c[1].type == "LPAR":
            return _Lhs(str(c[0]), tuple(d for d in c if isinstance(d, syntax.Decl)), sp)
        if len(c) == 3:
            a, b = c[0], c[2]
            return _Lhs(
                _infix_name(c[1]),
                (
                    syntax.Decl(str(a), span=_tok_span(self.filename, a)),
                    syntax.Decl(str(b), span=_tok_span(self.filename, b)),
                ),
                sp,
            )
        if c[0].type == "NAME":
            return _Lhs(str(c[1].value), (syntax.Decl(str(c[0]), span=_tok_span(self.filename, c[0])),), sp)
        return _Lhs(_prefix_name(c[0]), (syntax.Decl(str(c[1]), span=_tok_span(self.filename, c[1])),), sp)

    def opdef(self, c: list[Any]) -> syntax.OpDef:
        lhs: _Lhs = c[0]
        return syntax.OpDef(lhs.name, lhs.params, c[2], span=self.spc(c))

    def fndef(self, c: list[Any]) -> syntax.FnDef:
        return syntax.FnDef(str(c[0]), tuple(c[2]), c[5], span=self.spc(c))

    def moduledef(self, c: list[Any]) -> syntax.ModuleDef:
        lhs: _Lhs = c[0]
        return syntax.ModuleDef(lhs.name, lhs.params, c[2], span=self.spc(c))

    def let_def(self, c: list[Any]) -> syntax.Unit:
        u: syntax.Unit = c[0]
        return u

    # -- expressions
    def expr(self, c: list[Any]) -> syntax.Expr:
        e: syntax.Expr = c[0]
        return e

    def term(self, c: list[Any]) -> _Term:
        return _Term(tuple(c[:-1]), c[-1], self.spc(c))

    def opseq(self, c: list[Any]) -> syntax.Expr:
        if len(c) == 1 and not c[0].prefix:
            e: syntax.Expr = c[0].operand
            return e
        return _resolve(c, self)

    def fnapp(self, c: list[Any]) -> syntax.FnApp:
        return syntax.FnApp(c[0], tuple(c[2]), span=self.spc(c))

    def field(self, c: list[Any]) -> syntax.Field:
        return syntax.Field(c[0], str(c[2]), span=self.spc(c))

    def postfix(self, c: list[Any]) -> syntax.OpApp:
        return syntax.OpApp(str(c[1].value), (c[0],), span=self.spc(c))

    def number(self, c: list[Any]) -> syntax.Num:
        return syntax.Num(int(c[0]), span=self.spc(c))

    def decimal(self, c: list[Any]) -> syntax.Decimal:
        return syntax.Decimal(str(c[0]), span=self.spc(c))

    def string(self, c: list[Any]) -> syntax.Str:
        return syntax.Str(str(c[0]), span=self.spc(c))

    def boolean(self, c: list[Any]) -> syntax.Bool:
        return syntax.Bool(str(c[0]) == "TRUE", span=self.spc(c))

    def at(self, c: list[Any]) -> syntax.At:
        return syntax.At(span=self.spc(c))

    def paren(self, c: list[Any]) -> syntax.Expr:
        e: syntax.Expr = c[1]
        self.parenthesized[id(e)] = e
        return e

    def setenum(self, c: list[Any]) -> syntax.SetEnum:
        elems = tuple(c[1]) if len(c) == 3 else ()
        return syntax.SetEnum(elems, span=self.spc(c))

    def setcolon(self, c: list[Any]) -> syntax.Expr:
        lhs: syntax.Expr = c[1]
        rhs: list[syntax.Expr] = c[3]
        sp = self.spc(c)
        if len(rhs) == 1:
            bound = _as_bound(lhs) if self.parenthesized.get(id(lhs)) is not lhs else None
            if bound is not None and len(bound.names) == 1 or (bound is not None and bound.tuple_pattern):
                assert bound is not None
                return syntax.SetFilter(bound, rhs[0], span=sp)
        bounds = self.bounds_of(rhs, sp)
        return syntax.SetMap(lhs, bounds, span=sp)

    def bounds_of(self, items: Sequence[syntax.Expr], sp: Span) -> tuple[syntax.Bound, ...]:
        """``x, y \\in S, <<a, b>> \\in T`` parsed as expressions, read back as bounds."""
        out: list[syntax.Bound] = []
        pending: list[syntax.Name] = []
        for item in items:
            if isinstance(item, syntax.Name):
                pending.append(item)
                continue
            b = _as_bound(item)
            if b is None or (b.tuple_pattern and pending):
                self.error(
                    "E122",
                    "expected a bound like 'x \\in S' or '<<x, y>> \\in S'",
                    item.span,
                    hint="a set or function constructor binds names: {e : x \\in S}, [x \\in S |-> e]",
                )
                return tuple(out) or (syntax.Bound(("_",), item, span=item.span),)
            names = tuple(p.name for p in pending) + b.names
            out.append(
                syntax.Bound(
                    names, b.domain, b.tuple_pattern, span=self.sp(pending[0] if pending else item, item)
                )
            )
            pending = []
        if pending:
            self.error("E122", f"'{pending[-1].name}' has no '\\in S' after it", pending[-1].span)
        return tuple(out)

    def tuple_(self, c: list[Any]) -> syntax.Tuple:
        elems = tuple(c[1]) if len(c) == 3 else ()
        return syntax.Tuple(elems, span=self.spc(c))

    def angle_action(self, c: list[Any]) -> syntax.AngleAction:
        return syntax.AngleAction(c[1], c[3], span=self.spc(c))

    def box_action(self, c: list[Any]) -> syntax.BoxAction:
        return syntax.BoxAction(c[1], c[3], span=self.spc(c))

    def fairness(self, c: list[Any]) -> syntax.Fairness:
        return syntax.Fairness(str(c[0].value), c[1], c[3], span=self.spc(c))

    def fnset(self, c: list[Any]) -> syntax.FnSet:
        return syntax.FnSet(c[1], c[3], span=self.spc(c))

    def except_(self, c: list[Any]) -> syntax.Except:
        ups = tuple(u for u in c[3:-1] if isinstance(u, syntax.ExceptUpdate))
        return syntax.Except(c[1], ups, span=self.spc(c))

    def except_upd(self, c: list[Any]) -> syntax.ExceptUpdate:
        path = tuple(x for x in c[1:-2] if isinstance(x, syntax.ExceptIndex | syntax.ExceptField))
        return syntax.ExceptUpdate(path, c[-1], span=self.spc(c))

    def except_step(self, c: list[Any]) -> syntax.ExceptIndex | syntax.ExceptField:
        if c[0].type == "DOT":
            return syntax.ExceptField(str(c[1]), span=self.spc(c))
        return syntax.ExceptIndex(tuple(c[1]), span=self.spc(c))

    def map_item(self, c: list[Any]) -> _MapItem:
        if len(c) == 1:
            return _MapItem("", c[0], None, self.spc(c))
        return _MapItem(str(c[1].value), c[0], c[2], self.spc(c))

    def bracket(self, c: list[Any]) -> syntax.Expr:
        items: list[_MapItem] = [x for x in c if isinstance(x, _MapItem)]
        sp = self.spc(c)
        kinds = {i.kind for i in items}
        if kinds == {"|->"} and all(isinstance(i.lhs, syntax.Name) for i in items):
            return syntax.Record(tuple((i.lhs.name, i.rhs) for i in items), span=sp)  # type: ignore[attr-defined,misc]
        if kinds == {":"} and all(isinstance(i.lhs, syntax.Name) for i in items):
            return syntax.RecordSet(tuple((i.lhs.name, i.rhs) for i in items), span=sp)  # type: ignore[attr-defined,misc]
        last = items[-1]
        if last.kind == "|->" and all(i.kind == "" for i in items[:-1]):
            bounds = self.bounds_of([i.lhs for i in items], sp)
            assert last.rhs is not None
            return syntax.FnCons(bounds, last.rhs, span=sp)
        self.error(
            "E121",
            "cannot read this '[...]'",
            sp,
            hint="the bracket forms are [a |-> 1, b |-> 2], [a : S], [x \\in S |-> e], [S -> T], "
            "[f EXCEPT ![i] = e], [A]_v",
        )
        return syntax.Record((), span=sp)

    def app_step(self, c: list[Any]) -> _Step:
        args = tuple(a for a in c[2:] if not isinstance(a, Token))
        return _Step(str(c[0]), args, self.spc(c))

    def app(self, c: list[Any]) -> syntax.Expr:
        steps = [x if isinstance(x, _Step) else self.selector(x) for x in c if not _is_bang(x)]
        sp = self.spc(c)
        last = steps[-1]
        if len(steps) == 1:
            if not last.args:
                return syntax.Name(last.name, span=sp)
            return syntax.OpApp(last.name, last.args, span=sp)
        path = tuple(syntax.InstanceStep(st.name, st.args, span=st.span) for st in steps[:-1])
        return syntax.Qualified(path, last.name, last.args, span=sp)

    def op_step(self, c: list[Any]) -> _Step:
        """``R!+(a, b)``: an operator symbol reached through an instance."""
        op = c[0]
        name = _infix_name(op) if len(c) > 4 else _prefix_name(op)
        if op.type == "POSTFIX":
            name = str(op.value)
        return _Step(name, tuple(a for a in c[2:] if not isinstance(a, Token)), self.spc(c))

    def selector(self, tok: Token) -> _Step:
        """``Inv!2``, ``Op!:``: a positional subexpression selector, kept as a step named by it."""
        return _Step(str(tok.value), (), _tok_span(self.filename, tok))

    def arg(self, c: list[Any]) -> syntax.Expr:
        e: syntax.Expr = c[0]
        return e

    def op_arg(self, c: list[Any]) -> syntax.Name:
        return syntax.Name(_infix_name(c[0]), span=self.spc(c))

    def sub(self, c: list[Any]) -> syntax.Expr:
        sp = self.spc(c)
        first = c[0]
        if first.type == "NAME":
            names = [str(t) for t in c if t.type == "NAME"]
            if len(names) == 1:
                return syntax.Name(names[0], span=sp)
            return syntax.Qualified(tuple(syntax.InstanceStep(n) for n in names[:-1]), names[-1], span=sp)
        if first.type == "LTUP":
            return syntax.Tuple(tuple(c[1]), span=sp)
        e: syntax.Expr = c[1]
        return e

    def junction(self, c: list[Any]) -> syntax.Junction:
        items = tuple(x for x in c if not isinstance(x, Token))
        op = "/\\" if c[0].type == "JAND" else "\\/"
        return syntax.Junction(op, items, span=self.sp(c[0], items[-1]))

    def quant(self, c: list[Any]) -> syntax.Quant:
        return syntax.Quant(str(c[0].value), tuple(c[1]), c[3], span=self.spc(c))

    def quant_unbounded(self, c: list[Any]) -> syntax.QuantUnbounded:
        return syntax.QuantUnbounded(str(c[0].value), c[1].names, c[3], span=self.spc(c))

    def choose(self, c: list[Any]) -> syntax.Choose:
        b: _ChooseBound = c[1]
        return syntax.Choose(b.names, b.domain, c[3], b.tuple_pattern, span=self.spc(c))

    def choose_bound(self, c: list[Any]) -> _ChooseBound:
        sp = self.spc(c)
        if c[0].type == "NAME":
            return _ChooseBound((str(c[0]),), c[2] if len(c) == 3 else None, False, sp)
        names: _Names = c[1]
        return _ChooseBound(names.names, c[4] if len(c) == 5 else None, True, sp)

    def if_(self, c: list[Any]) -> syntax.If:
        return syntax.If(c[1], c[3], c[5], span=self.spc(c))

    def let(self, c: list[Any]) -> syntax.Let:
        defs = tuple(d for d in c[1:-2] if isinstance(d, syntax.Unit))
        return syntax.Let(defs, c[-1], span=self.spc(c))

    def lambda_(self, c: list[Any]) -> syntax.Lambda:
        return syntax.Lambda(c[1].names, c[3], span=self.spc(c))

    def case(self, c: list[Any]) -> syntax.Case:
        arms = tuple(a for a in c if isinstance(a, syntax.CaseArm))
        other = c[-1] if isinstance(c[-2], Token) and c[-2].type == "ARROW" else None
        return syntax.Case(arms, other, span=self.spc(c))

    def case_arm(self, c: list[Any]) -> syntax.CaseArm:
        return syntax.CaseArm(c[0], c[2], span=self.spc(c))

    def label(self, c: list[Any]) -> syntax.Expr:
        head = c[0]
        if isinstance(head, syntax.Name):
            return syntax.Label(head.name, c[2], span=self.spc(c))
        if isinstance(head, syntax.OpApp) and all(isinstance(a, syntax.Name) for a in head.args):
            params = tuple(a.name for a in head.args if isinstance(a, syntax.Name))
            return syntax.Label(head.name, c[2], params, span=self.spc(c))
        self.error("E123", "a label is a name, or a name with parameters: 'L::' or 'L(x, y)::'", head.span)
        body: syntax.Expr = c[2]
        return body

    def bounds(self, c: list[Any]) -> list[syntax.Bound]:
        return [b for b in c if isinstance(b, syntax.Bound)]

    def bound(self, c: list[Any]) -> syntax.Bound:
        if isinstance(c[0], _Names):
            return syntax.Bound(c[0].names, c[2], span=self.spc(c))
        return syntax.Bound(c[1].names, c[4], True, span=self.spc(c))

    def names(self, c: list[Any]) -> _Names:
        if len(c) == 1:
            return _Names((str(c[0]),), self.spc(c))
        prev: _Names = c[0]
        return _Names((*prev.names, str(c[2])), self.spc(c))

    def expr_list(self, c: list[Any]) -> list[syntax.Expr]:
        return [e for e in c if not isinstance(e, Token)]


def _is_bang(x: Any) -> bool:
    return isinstance(x, Token) and x.type == "BANG"


def _as_bound(e: syntax.Expr) -> syntax.Bound | None:
    """``x \\in S`` or ``<<x, y>> \\in S`` read as a bound, else None."""
    if isinstance(e, syntax.OpApp) and e.name == "\\in" and len(e.args) == 2:
        lhs, dom = e.args
        if isinstance(lhs, syntax.Name):
            return syntax.Bound((lhs.name,), dom, span=e.span)
        if isinstance(lhs, syntax.Tuple) and lhs.elems and all(isinstance(x, syntax.Name) for x in lhs.elems):
            return syntax.Bound(tuple(x.name for x in lhs.elems), dom, True, span=e.span)  # type: ignore[attr-defined]
    return None


# ---------------------------------------------------------------------------------------------
# Precedence


@dataclasses.dataclass(slots=True)
class _Op:
    info: syntax.OpInfo
    tok: Token
    prefix: bool


def _resolve(c: list[Any], b: _Build) -> syntax.Expr:
    """Nest a flat ``term (op term)*`` sequence by TLA+'s precedence ranges."""
    operands: list[syntax.Expr] = []
    ops: list[_Op] = []
    fresh_x: dict[int, syntax.Expr] = {}  # by id, held: \X applications built here (not parenthesised), which extend

    def reduce() -> None:
        op = ops.pop()
        if op.prefix:
            arg = operands.pop()
            sp = b.sp(op.tok, arg)
            operands.append(syntax.OpApp(op.info.name, (arg,), span=sp))
            return
        right = operands.pop()
        left = operands.pop()
        sp = b.sp(left, right)
        if op.info.name == "\\X" and isinstance(left, syntax.OpApp) and fresh_x.get(id(left)) is left:
            node = syntax.OpApp("\\X", (*left.args, right), span=sp)
        else:
            node = syntax.OpApp(op.info.name, (left, right), span=sp)
        if op.info.name == "\\X":
            fresh_x[id(node)] = node
        operands.append(node)

    def conflict(a: _Op, o: _Op) -> None:
        b.error(
            "E120",
            f"'{a.tok.value}' and '{o.tok.value}' need parentheses: their precedences overlap",
            _tok_span(b.filename, o.tok),
            hint=f"write (a {a.tok.value} b) {o.tok.value} c or a {a.tok.value} (b {o.tok.value} c)",
        )

    for idx, item in enumerate(c):
        if idx % 2 == 0:
            term: _Term = item
            for ptok in term.prefix:
                name = _prefix_name(ptok)
                ops.append(_Op(syntax.PREFIX_OPERATORS[name], ptok, True))
            operands.append(term.operand)
            continue
        tok: Token = item
        info = syntax.INFIX_OPERATORS[_infix_name(tok)]
        o = _Op(info, tok, False)
        while ops:
            t = ops[-1]
            if t.prefix:
                # SANY (checked with TLC 2.20) applies a prefix operator first when its lowest
                # precedence reaches the infix operator's highest: ``SUBSET S \ T`` is
                # ``(SUBSET S) \ T`` and ``DOMAIN f .. 3`` is ``(DOMAIN f) .. 3``; it rejects
                # other overlaps, such as ``[]a = b`` and ``-a \cdot b``.
                if t.info.low >= info.high:
                    reduce()
                    continue
                if info.low > t.info.high:
                    break
                conflict(t, o)
                reduce()
                continue
            if t.info.low > info.high:
                reduce()
                continue
            if not t.prefix and t.info.name == info.name and (t.info.left_assoc or info.name == "\\X"):
                reduce()
                continue
            if info.low > t.info.high:
                break
            conflict(t, o)
            reduce()
        ops.append(o)
    while ops:
        reduce()
    assert len(operands) == 1
    return operands[0]


def did_you_mean(name: str, candidates: Sequence[str]) -> str | None:
    """``did you mean 'x'?`` for the closest candidate, or None."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


__all__ = ["parse_expr", "parse_file", "parse_module", "did_you_mean"]
