"""TLC's model configuration files (``.cfg``): ``parse_cfg(text, filename)`` -> ``Cfg``.

This module owns the cfg grammar of shared/DESIGN.md §4, which is TLC's:
``SPECIFICATION``, ``INIT``, ``NEXT``, ``CONSTANT(S)`` (``N = 3``, model values
``p = p``, sets of model values ``Procs = {p1, p2}``, substitutions ``Op <- Other``,
and the module-scoped ``c <- [Mod] Other`` and ``c = [Mod] value``), ``INVARIANT(S)``, ``PROPERTY``/``PROPERTIES``,
``CONSTRAINT(S)``, ``ACTION_CONSTRAINT(S)``, ``SYMMETRY``, ``VIEW``,
``CHECK_DEADLOCK``, ``ALIAS`` (kept; it only changes how traces print) and ``POSTCONDITION``
(evaluated after the search, as TLC does).
Comments are TLA+'s (``\\*`` and nested ``(* *)``).

Errors are ``SpecError`` with exit code 151 (TLC's config error), collected and
raised together as ``SpecErrors``. A keyword TLC knows and we do not
(``TYPE``...) is an error naming it; an unknown word where a keyword is
expected is an error with a did-you-mean hint.

Values are ``checker.values`` values: ``int``, ``str``, ``bool``, ``ModelValue``,
``frozenset`` and ``tuple`` of those.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path
from types import MappingProxyType

from checker.errors import MAX_INT_DIGITS, MAX_NESTING, ConfigError, Span, SpecError, SpecErrors
from checker.values import ModelValue, Value

_SINGLE = MappingProxyType(
    {
        "SPECIFICATION": "specification",
        "INIT": "init",
        "NEXT": "next",
        "SYMMETRY": "symmetry",
        "VIEW": "view",
        "ALIAS": "alias",
        "POSTCONDITION": "postcondition",
    }
)
_LISTS = MappingProxyType(
    {
        "INVARIANT": "invariants",
        "INVARIANTS": "invariants",
        "PROPERTY": "properties",
        "PROPERTIES": "properties",
        "CONSTRAINT": "constraints",
        "CONSTRAINTS": "constraints",
        "ACTION_CONSTRAINT": "action_constraints",
        "ACTION_CONSTRAINTS": "action_constraints",
    }
)
_CONSTANT_WORDS = frozenset({"CONSTANT", "CONSTANTS"})
_UNSUPPORTED = frozenset({"TYPE", "TYPE_CONSTRAINT"})
KEYWORDS = frozenset(set(_SINGLE) | set(_LISTS) | _CONSTANT_WORDS | {"CHECK_DEADLOCK"})

_TOKEN_RE = re.compile(
    r"""(?P<space>[ \t\r\f]+)
      | (?P<newline>\n)
      | (?P<comment>\\\*[^\n]*)
      | (?P<string>"(?:[^"\\\n]|\\.)*")
      | (?P<number>-?[0-9]+(?![A-Za-z_]))
      | (?P<sym><-|<<|>>|[{}=,\[\]])
      | (?P<word>[A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*(?:!\w+)*)
    """,
    re.VERBOSE,
)


@dataclasses.dataclass(frozen=True, slots=True)
class CfgConstant:
    """One assignment under CONSTANT(S).

    ``N = 3`` has ``value``; ``p = p`` and ``Procs = {p1, p2}`` have model values in
    ``value``; ``Op <- Other`` has ``target`` (and ``module`` for ``Op <- [Mod] Other``).
    """

    name: str
    value: Value = None
    target: str | None = None
    module: str | None = None
    span: Span | None = dataclasses.field(default=None, compare=False)


@dataclasses.dataclass(frozen=True, slots=True)
class Cfg:
    """What a cfg file says; names are as written, spans point into the cfg."""

    file: str = ""
    constants: tuple[CfgConstant, ...] = ()
    specification: str | None = None
    init: str | None = None
    next: str | None = None
    invariants: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    action_constraints: tuple[str, ...] = ()
    symmetry: str | None = None
    view: str | None = None
    alias: str | None = None
    postcondition: str | None = None
    check_deadlock: bool = True
    spans: tuple[tuple[str, Span], ...] = dataclasses.field(default=(), compare=False)
    """(name, span) for every name the cfg mentions, so later stages can point at it."""

    entries: tuple[tuple[str, str, Span], ...] = dataclasses.field(default=(), compare=False)
    """(field, name, span) for each name under a keyword (``("invariants", "Inv", span)``)."""

    def span_in(self, field: str, name: str) -> Span | None:
        """Where ``name`` is given under the keyword of ``field`` (``invariants``, ``view``...)."""
        for f, n, sp in self.entries:
            if f == field and n == name:
                return sp
        return self.span_of(name)

    def span_of(self, name: str) -> Span | None:
        """Where ``name`` is first mentioned in the cfg."""
        for n, sp in self.spans:
            if n == name:
                return sp
        return None


@dataclasses.dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # string, number, sym, word, end
    text: str
    span: Span


def parse_cfg_file(path: str | Path) -> Cfg:
    """Read and parse a cfg file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")  # a BOM is skipped, as in a spec
    except (OSError, UnicodeDecodeError) as e:
        raise SpecErrors([ConfigError("E300", f"cannot read the cfg {p}: {e}")]) from None
    return parse_cfg(text, str(p))


def parse_cfg(text: str, filename: str = "<cfg>") -> Cfg:
    """Parse the text of a TLC cfg file; raise ``SpecErrors`` (exit 151) listing every error."""
    errors: list[SpecError] = []
    toks = _lex(text.removeprefix("\ufeff"), filename, errors)
    parser = _CfgParser(toks, filename, errors)
    cfg = parser.run()
    if errors:
        raise SpecErrors(errors)
    return cfg


def _err(code: str, message: str, span: Span | None, hint: str | None = None) -> SpecError:
    return ConfigError(code, message, span, hint=hint)


def _lex(text: str, filename: str, errors: list[SpecError]) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    line = 1
    line_start = 0
    n = len(text)
    while pos < n:
        if text.startswith("(*", pos):
            depth = 0
            i = pos
            start_line, start_col = line, pos - line_start + 1
            while i < n:
                if text.startswith("(*", i):
                    depth += 1
                    i += 2
                elif text.startswith("*)", i):
                    depth -= 1
                    i += 2
                    if depth == 0:
                        break
                else:
                    if text[i] == "\n":
                        line += 1
                        line_start = i + 1
                    i += 1
            if depth:
                errors.append(
                    _err(
                        "E301",
                        "unterminated comment",
                        Span(filename, start_line, start_col, start_line, start_col + 2),
                    )
                )
            pos = i
            continue
        m = _TOKEN_RE.match(text, pos)
        col = pos - line_start + 1
        if m is None:
            errors.append(
                _err("E301", f"unexpected character {text[pos]!r}", Span(filename, line, col, line, col + 1))
            )
            pos += 1
            continue
        kind = m.lastgroup or ""
        value = m.group()
        if kind == "newline":
            line += 1
            line_start = m.end()
        elif kind not in ("space", "comment"):
            out.append(_Tok(kind, value, Span(filename, line, col, line, col + len(value))))
        pos = m.end()
    end_col = pos - line_start + 1
    out.append(_Tok("end", "", Span(filename, line, end_col, line, end_col + 1)))
    return out


class _CfgParser:
    """A recursive-descent reader over the cfg tokens (mutable, one per parse)."""

    def __init__(self, toks: list[_Tok], filename: str, errors: list[SpecError]) -> None:
        self.toks = toks
        self.pos = 0
        self.filename = filename
        self.errors = errors
        self.single: dict[str, str] = {}
        self.lists: dict[str, list[str]] = {v: [] for v in _LISTS.values()}
        self.constants: list[CfgConstant] = []
        self.check_deadlock = True
        self.spans: list[tuple[str, Span]] = []
        self.entries: list[tuple[str, str, Span]] = []

    def peek(self) -> _Tok:
        return self.toks[self.pos]

    def take(self) -> _Tok:
        t = self.toks[self.pos]
        if t.kind != "end":
            self.pos += 1
        return t

    def is_keyword(self, t: _Tok) -> bool:
        """A keyword, or a misspelt one: an all-caps word starting a line, close to a keyword.

        (``MAXVAL = 3`` in column 1 is still a constant: it is followed by '=' and
        resembles no keyword.)
        """
        if t.kind != "word":
            return False
        if t.text in KEYWORDS or t.text in _UNSUPPORTED:
            return True
        if t.span.col != 1 or len(t.text) <= 3 or not t.text.replace("_", "").isupper():
            return False
        i = self.toks.index(t)
        if i + 1 < len(self.toks) and self.toks[i + 1].text in ("=", "<-"):
            return False
        return bool(difflib.get_close_matches(t.text, sorted(KEYWORDS), n=1, cutoff=0.8))

    def run(self) -> Cfg:
        while self.peek().kind != "end":
            t = self.take()
            if t.kind == "word" and t.text in _UNSUPPORTED:
                self.errors.append(_err("E303", f"the cfg keyword {t.text} is not supported", t.span))
                self.skip_section()
            elif t.kind == "word" and t.text in _CONSTANT_WORDS:
                self.constant_section()
            elif t.kind == "word" and t.text in _SINGLE:
                self.single_section(t)
            elif t.kind == "word" and t.text in _LISTS:
                self.list_section(t)
            elif t.kind == "word" and t.text == "CHECK_DEADLOCK":
                v = self.take()
                if v.kind == "word" and v.text in ("TRUE", "FALSE"):
                    self.check_deadlock = v.text == "TRUE"
                else:
                    self.errors.append(_err("E304", "CHECK_DEADLOCK takes TRUE or FALSE", v.span))
            else:
                close = difflib.get_close_matches(t.text.upper(), sorted(KEYWORDS), n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "the cfg keywords are " + ", ".join(sorted(KEYWORDS))
                )
                self.errors.append(_err("E302", f"unknown cfg keyword '{t.text}'", t.span, hint))
                self.skip_section()
            if len(self.errors) >= 20:
                break
        return Cfg(
            file=self.filename,
            constants=tuple(self.constants),
            specification=self.single.get("specification"),
            init=self.single.get("init"),
            next=self.single.get("next"),
            invariants=tuple(self.lists["invariants"]),
            properties=tuple(self.lists["properties"]),
            constraints=tuple(self.lists["constraints"]),
            action_constraints=tuple(self.lists["action_constraints"]),
            symmetry=self.single.get("symmetry"),
            view=self.single.get("view"),
            alias=self.single.get("alias"),
            postcondition=self.single.get("postcondition"),
            check_deadlock=self.check_deadlock,
            spans=tuple(self.spans),
            entries=tuple(self.entries),
        )

    def skip_section(self) -> None:
        while self.peek().kind != "end" and not self.is_keyword(self.peek()):
            self.take()

    def name(self, what: str) -> _Tok | None:
        t = self.peek()
        if t.kind != "word" or self.is_keyword(t):
            self.errors.append(_err("E305", f"{what} needs a name here", t.span))
            return None
        self.take()
        self.spans.append((t.text, t.span))
        return t

    def single_section(self, kw: _Tok) -> None:
        t = self.name(kw.text)
        if t is None:
            self.skip_section()
            return
        key = _SINGLE[kw.text]
        self.entries.append((key, t.text, t.span))
        if key in self.single and self.single[key] != t.text:
            self.errors.append(
                _err("E306", f"{kw.text} is given twice ({self.single[key]} and {t.text})", t.span)
            )
        self.single[key] = t.text
        extra = self.peek()
        if extra.kind != "end" and not self.is_keyword(extra):
            self.errors.append(_err("E305", f"{kw.text} takes one name", extra.span))
            self.skip_section()

    def list_section(self, kw: _Tok) -> None:
        # TLC accepts an empty list (``PROPERTIES`` followed by the next keyword).
        while self.peek().kind != "end" and not self.is_keyword(self.peek()):
            t = self.name(kw.text)
            if t is None:
                self.skip_section()
                return
            self.lists[_LISTS[kw.text]].append(t.text)
            self.entries.append((_LISTS[kw.text], t.text, t.span))

    def constant_section(self) -> None:
        while self.peek().kind != "end" and not self.is_keyword(self.peek()):
            t = self.name("CONSTANT")
            if t is None:
                self.skip_section()
                return
            op = self.take()
            if op.text == "=":
                module = None
                if self.peek().text == "[":  # ``c = [Mod] value``: the value in module Mod only
                    self.take()
                    m = self.name("a module override")
                    close = self.take()
                    if m is None or close.text != "]":
                        self.errors.append(_err("E307", "write 'c = [Module] value'", close.span))
                        self.skip_section()
                        return
                    module = m.text
                value = self.value()
                if value is _BAD:
                    self.skip_section()
                    return
                self.constants.append(CfgConstant(t.text, value=value, module=module, span=t.span))
            elif op.text == "<-":
                module = None
                if self.peek().text == "[":
                    self.take()
                    m = self.name("a module override")
                    close = self.take()
                    if m is None or close.text != "]":
                        self.errors.append(_err("E307", "write 'c <- [Module] Definition'", close.span))
                        self.skip_section()
                        return
                    module = m.text
                target = self.name(f"'{t.text} <-'")
                if target is None:
                    self.skip_section()
                    return
                self.constants.append(CfgConstant(t.text, target=target.text, module=module, span=t.span))
            else:
                self.errors.append(
                    _err(
                        "E307",
                        f"the constant {t.text} needs '= value' or '<- Definition'",
                        op.span,
                        hint=f"for example '{t.text} = 3', '{t.text} = {{a, b}}' or '{t.text} <- Def'",
                    )
                )
                self.skip_section()
                return

    def value(self, depth: int = 0) -> object:
        t = self.take()
        if t.kind == "number":
            if t.text.startswith("-"):
                # TLC 2.20's cfg reader takes no sign: `N = -1` is its ConfigFileException.
                name = "Minus" + t.text[1:]
                message = "TLC does not accept a negative number in a cfg"
                hint = f"define it in the spec ({name} == {t.text}) and write '<- {name}'"
                self.errors.append(_err("E308", message, t.span, hint=hint))
                return _BAD
            digits = len(t.text)
            if digits > MAX_INT_DIGITS:
                message = f"this number has {digits:,} digits; tlacheck reads integers of at most {MAX_INT_DIGITS:,}"
                self.errors.append(_err("E309", message, t.span))
                return _BAD
            return int(t.text)
        if t.kind == "string":
            return _unescape(t.text[1:-1])
        if t.kind == "word" and t.text in ("TRUE", "FALSE"):
            return t.text == "TRUE"
        if t.kind == "word" and not self.is_keyword(t) and "!" not in t.text:
            return ModelValue(t.text)
        if t.text in ("{", "<<"):
            if depth >= MAX_NESTING:
                message = f"this value nests more than {MAX_NESTING} levels deep"
                self.errors.append(_err("E309", message, t.span, hint="a model needs shallow values"))
                return _BAD
            close = "}" if t.text == "{" else ">>"
            items: list[Value] = []
            if self.peek().text == close:
                self.take()
                return frozenset() if close == "}" else ()
            while True:
                v = self.value(depth + 1)
                if v is _BAD:
                    return _BAD
                items.append(v)
                sep = self.take()
                if sep.text == close:
                    break
                if sep.text != ",":
                    self.errors.append(_err("E308", f"expected ',' or '{close}' in the cfg value", sep.span))
                    return _BAD
            return frozenset(items) if close == "}" else tuple(items)
        what = "the end of the file" if t.kind == "end" else f"'{t.text}'"
        self.errors.append(
            _err(
                "E308",
                f"expected a value, found {what}",
                t.span,
                hint="cfg values are numbers, strings, TRUE/FALSE, model values and {sets} of them",
            )
        )
        return _BAD


_BAD = object()
_ESCAPES = MappingProxyType({"n": "\n", "t": "\t", "r": "\r", "f": "\f", '"': '"', "\\": "\\"})


def _unescape(body: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)
