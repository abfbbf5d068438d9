"""Errors a user can cause, each carrying what is needed to explain it.

- ``SpecError``: a malformed spec or cfg (code, span, hint); printed as
  ``file:line:col: error[E204]: message``, the source line and ``^^^``.
- ``ConfigError``: a ``SpecError`` about the cfg (exit 151, TLC's config error).
- ``ModelError``: a Python model or spec that fails while being explored
  (an exception in ``next_steps``, a trace that cannot be replayed).
- ``UsageError``: a mistake on the command line (exit 2).

``CODES`` is the registry of error codes: every code a ``SpecError`` may carry, with its
exit code; a ``SpecError`` takes its exit code from there unless it is given one.

A property violation is never an exception: it is a result of the engine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

MAX_INT_DIGITS = 4_300
"""The longest integer that a spec, a cfg or an ITF file may write (Python's own bound on
reading and printing decimal integers; TLC's integers have 32 bits)."""
MAX_INT_BITS = 14_284
"""About ``MAX_INT_DIGITS`` decimal digits: the bound on a computed integer (``2^(2^40)``)."""
MAX_NESTING = 500
"""How deep a cfg value or an ITF value may nest (brackets within brackets)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file; 1-based lines and columns, end exclusive."""

    file: str
    line: int
    col: int
    end_line: int
    end_col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class TlacheckError(Exception):
    """Base of every error that the CLI reports without a traceback."""

    exit_code = 75


class SpecError(TlacheckError):
    """A spec (or cfg) that cannot be read or has no meaning. Exit 150 (cfg: 151)."""

    exit_code = 150

    def __init__(
        self,
        code: str,
        message: str,
        span: Span | None = None,
        hint: str | None = None,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code
        elif code in CODES:
            self.exit_code = CODES[code].exit_code

    def render(self, source: str | None = None) -> str:
        """``file:line:col: error[CODE]: message``, the source line, carets, hint."""
        where = f"{self.span}: " if self.span else ""
        lines = [f"{where}error[{self.code}]: {self.message}"]
        if self.span is not None:
            text = source
            if text is None:
                try:
                    text = Path(self.span.file).read_text(encoding="utf-8", errors="replace")
                except OSError:
                    text = None
            if text is not None:
                src_lines = text.splitlines()
                if 1 <= self.span.line <= len(src_lines):
                    line = src_lines[self.span.line - 1]
                    width = (
                        self.span.end_col - self.span.col
                        if self.span.end_line == self.span.line
                        else len(line) - self.span.col + 1
                    )
                    lines.append(f"  {line}")
                    lines.append("  " + " " * (self.span.col - 1) + "^" * max(1, width))
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


class ConfigError(SpecError):
    """A mistake in the cfg (or a name the cfg gives that the spec lacks). Exit 151."""

    exit_code = 151

    def __init__(self, code: str, message: str, span: Span | None = None, hint: str | None = None) -> None:
        super().__init__(code, message, span, hint, exit_code=151)


class SpecErrors(TlacheckError):
    """Several spec errors collected before stopping."""

    exit_code = 150

    def __init__(self, errors: list[SpecError]) -> None:
        super().__init__("\n".join(e.message for e in errors))
        self.errors = errors
        self.exit_code = errors[0].exit_code if errors else 150

    def __str__(self) -> str:
        return "\n".join(e.render() for e in self.errors)


class ModelError(TlacheckError):
    """A model that fails while being explored; the message is a full paragraph.

    ``trace`` is the behaviour that led to the state where it failed (a
    ``checker.engine.Trace``, set by the engine), printed after the message as TLC does.
    """

    exit_code = 75
    trace: object | None = None


class UsageError(TlacheckError):
    """A mistake on the command line that argparse cannot see (exit 2, ours, not TLC's)."""

    exit_code = 2


class InternalError(TlacheckError):
    """A fault of tlacheck itself. Exit 153."""

    exit_code = 153


# ---------------------------------------------------------------------------------------------
# The error codes: every code a SpecError may carry, with its exit code (TLC's: 150 for a spec
# that cannot be parsed or has no meaning, 151 for a mistake in the cfg). A code not listed
# here is a fault (tests/test_error_codes.py checks every code the sources use).

SPEC = 150
CONFIG = 151
USAGE = 2
EVAL = 75  # TLC's code for a failure while evaluating
EVAL_INVARIANT = 76  # ... while evaluating an invariant
TLC_GENERAL = 255  # TLC's code for an error it has no other code for


@dataclasses.dataclass(frozen=True, slots=True)
class ErrorCode:
    code: str
    exit_code: int
    about: str


def _codes(exit_code: int, about: str, *codes: str) -> dict[str, ErrorCode]:
    return {c: ErrorCode(c, exit_code, about) for c in codes}


CODES: Mapping[str, ErrorCode] = MappingProxyType(
    {
        **_codes(
            SPEC, "reading the spec's text", "E100", "E101", "E102", "E103", "E104", "E105", "E106", "E107"
        ),
        **_codes(SPEC, "syntax", "E110", "E111", "E112", "E113", "E114", "E120", "E121", "E122", "E123"),
        **_codes(
            SPEC, "names and modules", "E201", "E202", "E203", "E204", "E205", "E206", "E207", "E208", "E209"
        ),
        **_codes(SPEC, "operators and expressions", "E210", "E211", "E212", "E213", "E214", "E220"),
        **_codes(SPEC, "what a model checker cannot evaluate", "E230", "E231", "E232", "E299"),
        **_codes(
            CONFIG,
            "the cfg file",
            "E300",
            "E301",
            "E302",
            "E303",
            "E304",
            "E305",
            "E306",
            "E307",
            "E308",
            "E309",
        ),
        **_codes(SPEC, "prove: the spec and the candidate", "E600", "E601", "E611"),
        **_codes(SPEC, "infer: the type invariant", "E620"),
        **_codes(CONFIG, "prove: the cfg", "E610", "E612", "E614", "E616", "E617"),
        **_codes(SPEC, "loading: files and modules", "E700", "E702", "E703", "E742"),
        **_codes(CONFIG, "loading: the cfg", "E701", "E740", "E741", "E743", "E744", "E745", "E746", "E747", "E748", "E749"),
        **_codes(CONFIG, "SYMMETRY", "E730", "E731", "E732", "E733"),
        **_codes(CONFIG, "PROPERTY that cannot be checked", "E750"),
        **_codes(SPEC, "temporal formulas", "E751", "E754"),
        # TLC 2.20 stops with "TLC cannot handle the temporal formula ..." and exit code 255.
        **_codes(TLC_GENERAL, "a temporal formula TLC cannot handle either", "E752"),
        # A cfg entry of the wrong kind: TLC rejects it with an evaluation exit code, not 151.
        **_codes(EVAL_INVARIANT, "an action or temporal formula named as INVARIANT", "E760"),
        **_codes(EVAL, "an action named as CONSTRAINT or VIEW, a temporal ACTION_CONSTRAINT", "E761"),
    }
)
"""Every error code, with its exit code."""


def exit_code_of(code: str) -> int:
    """The exit code of an error code (150 for one not registered)."""
    known = CODES.get(code)
    return known.exit_code if known is not None else SPEC
