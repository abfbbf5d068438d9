"""Errors a user can cause, each carrying what is needed to explain it.

- ``SpecError``: a malformed spec or cfg (code, span, hint); printed as
  ``file:line:col: error[E204]: message``, the source line and ``^^^``.
- ``ModelError``: a Python model or spec that fails while being explored
  (an exception in ``next_steps``, a trace that cannot be replayed).

A property violation is never an exception: it is a result of the engine.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

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
    """A model that fails while being explored; the message is a full paragraph."""

    exit_code = 75


class InternalError(TlacheckError):
    """A fault of tlacheck itself. Exit 153."""

    exit_code = 153
