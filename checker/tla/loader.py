"""From files to a Model: find and parse the spec, its modules and its cfg, then compile.

Owns ``load_spec_model(spec, config, libs)``, the one entry point the CLI calls.
Modules named by EXTENDS and INSTANCE are looked up beside the spec, then in each
``--lib`` folder, then in the folders of ``TLACHECK_LIB`` (``os.pathsep``
separated); the standard modules (Naturals, Sequences, TLC, ...) are built in.

The cfg is read by ``checker.tla.cfg.parse_cfg`` when that module exists; until
then by a small reader here that knows TLC's keywords (see ``_read_cfg``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from checker.errors import Span, SpecError
from checker.tla import syntax as ast
from checker.tla.model import CfgConstant, ModelConfig, SpecModel, build_model
from checker.values import ModelValue, Value

STANDARD = frozenset(
    {
        "Naturals",
        "Integers",
        "Sequences",
        "FiniteSets",
        "TLC",
        "Bags",
        "TLAPS",
        "Reals",
        "TLCExt",
        "Randomization",
    }
)


def load_spec_model(spec: Path, config: Path | None, libs: list[Path]) -> SpecModel:
    """The Model of ``spec`` checked as ``config`` (default: the .cfg beside the spec) says."""
    from checker.tla.parser import parse_file

    if not spec.is_file():
        raise SpecError("E700", f"cannot read the spec {spec}: no such file")
    cfg_path = config if config is not None else spec.with_suffix(".cfg")
    if not cfg_path.is_file():
        raise SpecError(
            "E701",
            f"cannot read the cfg {cfg_path}: no such file",
            hint="give one with --config FILE.cfg",
            exit_code=151,
        )
    root = parse_file(spec)
    folders = [spec.parent, *libs, *_env_libs()]
    cache: dict[str, ast.Module] = {root.name: root}

    def load(name: str, span: Span | None) -> ast.Module:
        if name in cache:
            return cache[name]
        for folder in folders:
            path = folder / f"{name}.tla"
            if path.is_file():
                module = parse_file(path)
                cache[name] = module
                return module
        for unit in root.units:  # nested modules of the spec
            if isinstance(unit, ast.Module) and unit.name == name:
                cache[name] = unit
                return unit
        raise SpecError(
            "E702",
            f"cannot find the module {name}",
            span,
            hint="put it beside the spec or in a folder given with --lib",
        )

    cfg = read_cfg(cfg_path)
    model = build_model(root, cfg, load)
    return model


def _env_libs() -> list[Path]:
    raw = os.environ.get("TLACHECK_LIB", "")
    return [Path(p) for p in raw.split(os.pathsep) if p]


def read_cfg(path: Path) -> ModelConfig:
    text = path.read_text(encoding="utf-8", errors="replace")
    return _read_cfg(text, str(path))


# ---------------------------------------------------------------------------
# A small reader of TLC's cfg files (until checker.tla.cfg lands).

_TOKEN = re.compile(
    r"""\s+|\\\*[^\n]*|\(\*.*?\*\)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+)|(?P<op><-|<<|>>|[{}=,\[\]])|(?P<word>[A-Za-z_0-9!@$]+)|(?P<bad>.)""",
    re.DOTALL,
)

_KEYWORDS = {
    "CONSTANT": "constants",
    "CONSTANTS": "constants",
    "INIT": "init",
    "NEXT": "next",
    "SPECIFICATION": "specification",
    "INVARIANT": "invariants",
    "INVARIANTS": "invariants",
    "PROPERTY": "properties",
    "PROPERTIES": "properties",
    "CONSTRAINT": "constraints",
    "CONSTRAINTS": "constraints",
    "ACTION_CONSTRAINT": "action_constraints",
    "ACTION_CONSTRAINTS": "action_constraints",
    "SYMMETRY": "symmetry",
    "VIEW": "view",
    "CHECK_DEADLOCK": "check_deadlock",
    "POSTCONDITION": "unsupported",
    "ALIAS": "alias",
}


def _tokens(text: str, file: str) -> list[tuple[str, str, Span]]:
    out: list[tuple[str, str, Span]] = []
    line, col0 = 1, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        start = m.start()
        line = text.count("\n", 0, start) + 1
        col0 = start - (text.rfind("\n", 0, start) + 1)
        span = Span(file, line, col0 + 1, line, col0 + 1 + len(m.group(0)))
        if kind is None:
            continue
        if kind == "bad":
            raise SpecError("E750", f"unexpected character {m.group(0)!r} in the cfg", span, exit_code=151)
        out.append((kind, m.group(0), span))
    return out


def _read_cfg(text: str, file: str) -> ModelConfig:
    toks = _tokens(text, file)
    pos = 0
    fields: dict[str, Any] = {
        "constants": [],
        "invariants": [],
        "properties": [],
        "constraints": [],
        "action_constraints": [],
    }
    section: str | None = None

    def peek() -> tuple[str, str, Span] | None:
        return toks[pos] if pos < len(toks) else None

    def value() -> Value:
        nonlocal pos
        kind, text_, span = toks[pos]
        pos += 1
        if kind == "num":
            return int(text_)
        if kind == "str":
            return bytes(text_[1:-1], "utf-8").decode("unicode_escape")
        if text_ == "{" or text_ == "<<":
            close = "}" if text_ == "{" else ">>"
            items: list[Value] = []
            while pos < len(toks) and toks[pos][1] != close:
                items.append(value())
                if pos < len(toks) and toks[pos][1] == ",":
                    pos += 1
            if pos >= len(toks):
                raise SpecError("E751", f"unclosed {text_} in the cfg", span, exit_code=151)
            pos += 1
            return frozenset(items) if close == "}" else tuple(items)
        if kind == "word":
            if text_ == "TRUE":
                return True
            if text_ == "FALSE":
                return False
            return ModelValue(text_)
        raise SpecError("E751", f"expected a value in the cfg, found {text_!r}", span, exit_code=151)

    while pos < len(toks):
        kind, word, span = toks[pos]
        if kind == "word" and word in _KEYWORDS:
            section = _KEYWORDS[word]
            pos += 1
            if section == "unsupported":
                raise SpecError("E752", f"the cfg keyword {word} is not supported yet", span, exit_code=151)
            if section == "check_deadlock":
                v = value()
                if type(v) is not bool:
                    raise SpecError("E751", "CHECK_DEADLOCK takes TRUE or FALSE", span, exit_code=151)
                fields["check_deadlock"] = v
                section = None
            continue
        if section is None:
            raise SpecError("E752", f"unknown cfg keyword {word!r}", span, exit_code=151)
        if kind != "word":
            raise SpecError("E751", f"unexpected {word!r} in the cfg", span, exit_code=151)
        pos += 1
        if section == "constants":
            nxt = peek()
            if nxt is not None and nxt[1] == "=":
                pos += 1
                fields["constants"].append(CfgConstant(word, value=value(), span=span))
            elif nxt is not None and nxt[1] == "<-":
                pos += 1
                target = peek()
                if target is None or target[0] != "word":
                    raise SpecError(
                        "E751", f"`{word} <-` needs the name of a definition", span, exit_code=151
                    )
                pos += 1
                fields["constants"].append(CfgConstant(word, target=target[1], span=span))
            else:
                raise SpecError(
                    "E751", f"the constant {word} needs `= value` or `<- Definition`", span, exit_code=151
                )
        elif section in ("invariants", "properties", "constraints", "action_constraints"):
            fields[section].append(word)
        elif section == "alias":
            continue  # ALIAS changes only how TLC prints traces
        else:
            if section in fields:
                raise SpecError("E753", f"{section.upper()} is given twice in the cfg", span, exit_code=151)
            fields[section] = word
    for key in ("constants", "invariants", "properties", "constraints", "action_constraints"):
        fields[key] = tuple(fields[key])
    return ModelConfig(file=file, **fields)
