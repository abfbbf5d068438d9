"""Names: find the modules a spec uses and check every name it mentions.

This module owns:

- the module search path: a module named by EXTENDS or INSTANCE is looked up
  among the nested modules of the file, then beside the spec, then in each
  ``--lib`` folder, then in the folders of the ``TLACHECK_PATH`` environment
  variable (``os.pathsep``-separated), then among the built-in standard modules;
- which standard module (``checker.tla.builtins.STANDARD_MODULES``) a name comes from;
- the checks SANY makes on names, reported together with did-you-mean hints:
  unknown modules (E201), unknown names (E202), wrong arity (E203), names defined
  twice or bound twice (E204), circular EXTENDS (E205), INSTANCE substitutions that
  do not fit (E206), ``@`` outside EXCEPT (E207), a file whose module has another
  name (E208), expressions nested thousands deep (E209).

It reads the syntax tree only; it never changes it.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from checker.errors import Span, SpecError, SpecErrors
from checker.tla import syntax
from checker.tla.builtins import OPERATORS, STANDARD_MODULES
from checker.tla.parser import parse_file, parse_module

ENV_PATH = "TLACHECK_PATH"

# ---------------------------------------------------------------------------------------------
# Standard modules


THEOREM_MODULES = frozenset(
    {
        "FiniteSetTheorems",
        "NaturalsInduction",
        "SequenceTheorems",
        "WellFoundedInduction",
        "BagsTheorems",
        "FunctionTheorems",
        "FiniteSetsExtTheorems",
        "FoldsTheorems",
        "SequencesExtTheorems",
        "GraphTheorems",
        "QuorumTheorems",
    }
)
"""Theorem modules of the TLAPS and community libraries: EXTENDS of one not on the path is
accepted as an empty module (its proofs are not what tlacheck reads)."""


# ---------------------------------------------------------------------------------------------
# Search path


COMMUNITY_MODULES = frozenset(
    {
        "BagsExt", "Bitwise", "CSV", "Combinatorics", "DifferentialEquations", "DyadicRationals",
        "FiniteSetsExt", "Folds", "Functions", "GraphViz", "Graphs", "HTML", "IOUtils", "Json",
        "Relation", "SVG", "SequencesExt", "ShiViz", "Statistics", "UndirectedGraphs", "VectorClocks",
    }
)  # fmt: skip
"""Modules of tlaplus/CommunityModules (TLC users have them on TLC's library path)."""
TLAPS_MODULES = frozenset(
    {
        "TLAPS", "NaturalsInduction", "WellFoundedInduction", "FiniteSetTheorems", "SequenceTheorems",
        "BagsTheorems", "RealTime", "FunctionTheorems", "FiniteSetsExtTheorems", "FoldsTheorems",
        "SequencesExtTheorems", "GraphTheorems", "QuorumTheorems",
    }
)  # fmt: skip
"""Modules of the TLA+ proof system's library and theorem modules (often on TLC's library path)."""


@dataclasses.dataclass(frozen=True, slots=True)
class SearchPath:
    """Folders searched for ``M.tla``, in order (beside the spec, --lib, TLACHECK_PATH)."""

    folders: tuple[Path, ...] = ()

    def find(self, name: str) -> Path | None:
        for folder in self.folders:
            p = folder / f"{name}.tla"
            try:
                if p.is_file():
                    return p
            except OSError:  # a name the file system refuses (too long, say): not there
                continue
        return None


def search_path(
    spec: str | Path | None, libs: Sequence[str | Path] = (), environ: Mapping[str, str] | None = None
) -> SearchPath:
    """The search path for a spec: its folder, the ``--lib`` folders, then ``TLACHECK_PATH``."""
    env = os.environ if environ is None else environ
    folders: list[Path] = []
    if spec is not None:
        folders.append(Path(spec).resolve().parent)
    folders += [Path(p) for p in libs]
    folders += [Path(p) for p in env.get(ENV_PATH, "").split(os.pathsep) if p]
    return SearchPath(tuple(folders))


# ---------------------------------------------------------------------------------------------
# Result


@dataclasses.dataclass(frozen=True, slots=True)
class Symbol:
    """A name in scope: its arity (-1: any), what it is, and where it was defined."""

    name: str
    arity: int
    kind: str  # constant, variable, operator, function, instance, builtin, bound, param, recursive
    span: Span | None = None
    module: str = ""
    node: object = dataclasses.field(default=None, compare=False, repr=False)
    """The defining unit; SANY tolerates a duplicate definition whose text is the same."""


@dataclasses.dataclass(frozen=True, slots=True)
class ResolvedSpec:
    """A root module with every module it uses, all names checked."""

    root: syntax.Module
    modules: Mapping[str, syntax.Module]
    """Every user module reachable from the root (the root, EXTENDS, INSTANCE, nested), by name."""
    standard: frozenset[str]
    """The standard modules used (built in)."""
    files: Mapping[str, str]
    """Module name -> the file it was read from."""
    exports: Mapping[str, Mapping[str, Symbol]]
    """Module name -> the names it exports (definitions, constants, variables, imports)."""


_MODULE_HEADER = re.compile(r"^-{4,}\s*MODULE\s+(\w+)\s*-{4,}", re.M)


def resolve_file(
    path: str | Path, libs: Sequence[str | Path] = (), environ: Mapping[str, str] | None = None
) -> ResolvedSpec:
    """Parse a spec file and resolve it (raise ``SpecErrors`` with every error found)."""
    root = parse_file(path)
    return resolve_module(root, search_path(path, libs, environ), str(path))


def resolve_module(
    root: syntax.Module, search: SearchPath = SearchPath(), filename: str = ""
) -> ResolvedSpec:
    """Load the modules ``root`` uses through ``search`` and check its names."""
    r = _Resolver(search, filename or root.span.file)
    try:
        r.check_root(root)
    except RecursionError:
        # The walk is recursive; thousands of nested brackets exhaust Python's stack.
        raise SpecErrors(
            [
                SpecError(
                    "E209", "expressions nested too deeply to analyse", root.span, hint="split the definition"
                )
            ]
        ) from None
    if r.errors:
        raise SpecErrors(
            sorted(r.errors, key=lambda e: (e.span.file, e.span.line, e.span.col) if e.span else ("", 0, 0))
        )
    return ResolvedSpec(
        root,
        MappingProxyType(dict(r.modules)),
        frozenset(r.standard_used),
        MappingProxyType(dict(r.files)),
        MappingProxyType({k: MappingProxyType(v) for k, v in r.exports.items()}),
    )


def _hint(name: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, [c for c in candidates if c[:1].isalpha()], n=1, cutoff=0.7)
    return f"did you mean '{close[0]}'?" if close else None


Scope = dict[str, Symbol]


class _Resolver:
    """One resolution (mutable, short-lived)."""

    def __init__(self, search: SearchPath, filename: str) -> None:
        self.search = search
        self.filename = filename
        self.errors: list[SpecError] = []
        self.modules: dict[str, syntax.Module] = {}
        self.files: dict[str, str] = {}
        self.exports: dict[str, dict[str, Symbol]] = {}
        self.params: dict[str, dict[str, Symbol]] = {}  # module -> its constants and variables
        self.standard_used: set[str] = set()
        self.loading: list[str] = []
        # Nested modules seen so far, with the scope of the enclosing module where they appear
        # (a nested module sees the definitions above it).
        self.nested: dict[str, tuple[syntax.Module, Scope]] = {}
        # Modules written after the first module of a file read so far: (file, offset, line).
        self.later_modules: dict[str, tuple[str, int, int]] = {}
        # Modules that use a module we could not load: their unknown names are not reported,
        # since they may come from the missing module (one error, not a cascade).
        self.incomplete: set[str] = set()
        self.current: list[str] = []
        # Per module being analysed: its top-level definitions, to explain a use before them.
        self.later: list[dict[str, Span]] = []

    def error(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        if len(self.errors) < 50:
            self.errors.append(SpecError(code, message, span, hint=hint))

    # -- modules
    def check_root(self, root: syntax.Module) -> None:
        self.files[root.name] = self.filename
        if self.filename:
            self.note_later_modules(root, self.filename)
        self.module_exports(root, root.span)

    def load(self, name: str, span: Span | None) -> str | None:
        """Make sure module ``name`` is loaded and analysed; None if it cannot be found."""
        if name in self.exports:
            return name
        if name in self.loading:
            cycle = " -> ".join([*self.loading[self.loading.index(name) :], name])
            self.error("E205", f"circular EXTENDS/INSTANCE: {cycle}", span)
            return None
        if name in self.nested:
            nested, base = self.nested[name]
            self.module_exports(nested, span, base)
            return name
        path = self.search.find(name)
        if path is not None:
            try:
                module = parse_file(path)
            except SpecErrors as e:
                self.errors.extend(e.errors)
                return None
            if module.name != name:
                self.error(
                    "E208",
                    f"{path} holds module {module.name}, not {name}",
                    module.span,
                    hint=f"a module named {name} must be in {name}.tla",
                )
                return None
            self.files[name] = str(path)
            self.note_later_modules(module, str(path))
            self.module_exports(module, span)
            return name
        if name in self.later_modules:
            return self.load_later_module(name, span)
        if name in STANDARD_MODULES:
            self.standard_exports(name)
            return name
        if name in THEOREM_MODULES:
            # A TLAPS library module that is not on the path: only its theorems matter to
            # the prover, and a model checker ignores them; its definitions are not known
            # (using one is an unknown name, whose hint names the library).
            self.module_exports(syntax.Module(name=name, span=span or Span(self.filename, 0, 0, 0, 0)), span)
            return name
        known = [*STANDARD_MODULES, *self.nested]
        where = f"put {name}.tla beside the spec, or give its folder with --lib DIR or {ENV_PATH}"
        if name in COMMUNITY_MODULES:
            where = (
                f"{name} is one of the CommunityModules (github.com/tlaplus/CommunityModules): "
                f"give the folder of its modules/ with --lib DIR or {ENV_PATH}"
            )
        elif name in TLAPS_MODULES:
            where = (
                f"{name} is in the TLA+ proof system's library (github.com/tlaplus/tlapm): "
                f"give the folder of its library/ with --lib DIR or {ENV_PATH}"
            )
        elif (close := _hint(name, known)) is not None:
            where = close
        self.error("E201", f"cannot find module {name}", span, hint=where)
        return None

    def note_later_modules(self, module: syntax.Module, path: str) -> None:
        """Remember the modules written after ``module`` in its file (after its ``====``), as
        SANY reads them: a module of that name in a file of its own comes first."""
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        for m in _MODULE_HEADER.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            if line > module.span.end_line:
                self.later_modules.setdefault(m.group(1), (path, m.start(), line))

    def load_later_module(self, name: str, span: Span | None) -> str | None:
        path, start, line = self.later_modules[name]
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        try:
            # Blank lines in front keep every line number of the file.
            module = parse_module("\n" * (line - 1) + text[start:], path)
        except SpecErrors as e:
            self.errors.extend(e.errors)
            return None
        self.files[name] = path
        self.note_later_modules(module, path)
        self.module_exports(module, span)
        return name

    def standard_exports(self, name: str) -> dict[str, Symbol]:
        if name in self.exports:
            return self.exports[name]
        std = STANDARD_MODULES[name]
        out: dict[str, Symbol] = {}
        for ext in std.extends:
            out.update(self.standard_exports(ext))
        for op, arity in std.ops.items():
            out[op] = Symbol(op, arity, "operator", None, name)
        self.exports[name] = out
        self.params[name] = {}
        self.standard_used.add(name)
        return out

    def module_exports(
        self, m: syntax.Module, span: Span | None, base: Scope | None = None
    ) -> dict[str, Symbol]:
        """Analyse module ``m`` (checking its names) and record what it exports."""
        self.loading.append(m.name)
        self.modules[m.name] = m
        scope: Scope = dict(base or {})
        exported: dict[str, Symbol] = {}
        params: dict[str, Symbol] = {}
        ext_spans = m.extends_spans or tuple(m.span for _ in m.extends)
        self.current.append(m.name)
        self.later.append(
            {
                u.name: u.span
                for u in m.units
                if isinstance(u, syntax.OpDef | syntax.FnDef | syntax.ModuleDef) and u.span.line
            }
        )
        for ext, ext_span in zip(m.extends, ext_spans, strict=False):
            got = self.load(ext, ext_span)
            if got is None or got in self.incomplete:
                self.incomplete.add(m.name)
            if got is None:
                continue
            params.update(self.params.get(got, {}))
            for sym in self.exports[got].values():
                self.declare(scope, sym, ext_span, imported=True)
                exported[sym.name] = sym
        saved_nested = dict(self.nested)
        for u in m.units:
            self.unit(u, scope, exported, params, m)
        self.nested = saved_nested
        self.exports[m.name] = exported
        self.params[m.name] = params
        self.loading.pop()
        self.current.pop()
        self.later.pop()
        return exported

    # -- units
    def declare(self, scope: Scope, sym: Symbol, span: Span | None, imported: bool = False) -> None:
        old = scope.get(sym.name)
        if old is not None:
            if imported and old.module == sym.module and old.arity == sym.arity:
                return  # the same definition reached twice (diamond EXTENDS)
            if old.node is not None and old.node == sym.node and old.arity == sym.arity:
                return  # SANY accepts a duplicate whose definition is the same (spans aside)
            if old.kind == "recursive" and sym.kind in ("operator", "function") and not imported:
                if old.arity != sym.arity:
                    self.error(
                        "E203",
                        f"{sym.name} is declared RECURSIVE with {old.arity} arguments but defined with {sym.arity}",
                        span,
                    )
                scope[sym.name] = sym
                return
            where = (
                f" (first at {old.span})"
                if old.span
                else f" (from module {old.module})"
                if old.module
                else ""
            )
            self.error("E204", f"'{sym.name}' is defined twice{where}", span, hint="pick another name")
            return
        scope[sym.name] = sym

    def unit(
        self,
        u: syntax.Unit,
        scope: Scope,
        exported: dict[str, Symbol],
        params: dict[str, Symbol],
        m: syntax.Module,
    ) -> None:
        mod = m.name
        if isinstance(u, syntax.Constants | syntax.Variables):
            kind = "constant" if isinstance(u, syntax.Constants) else "variable"
            for d in u.decls:
                sym = Symbol(d.name, d.arity, kind, d.span, mod, d)
                self.declare(scope, sym, d.span)
                exported[d.name] = sym
                params[d.name] = sym
        elif isinstance(u, syntax.Recursive):
            for d in u.decls:
                self.declare(scope, Symbol(d.name, d.arity, "recursive", d.span, mod), d.span)
        elif isinstance(u, syntax.OpDef):
            inner = dict(scope)
            for p in u.params:
                self.bind(inner, Symbol(p.name, p.arity, "param", p.span, mod), p.span)
            self.expr(u.body, inner, False)
            sym = Symbol(u.name, len(u.params), "operator", u.span, mod, dataclasses.replace(u, local=False))
            self.declare(scope, sym, u.span)
            if not u.local:
                exported[u.name] = sym
        elif isinstance(u, syntax.FnDef):
            sym = Symbol(u.name, 0, "function", u.span, mod, dataclasses.replace(u, local=False))
            inner = dict(scope)
            inner[u.name] = sym  # a function definition may be recursive
            self.bounds(u.bounds, inner, scope, False)
            self.expr(u.body, inner, False)
            self.declare(scope, sym, u.span)
            if not u.local:
                exported[u.name] = sym
        elif isinstance(u, syntax.Instance):
            got = self.instance(u, scope, mod)
            if got is not None:
                for sym in self.exports[got].values():
                    if sym.kind in ("constant", "variable"):
                        continue
                    self.declare(scope, sym, u.span, imported=True)
                    if not u.local:
                        exported[sym.name] = sym
        elif isinstance(u, syntax.ModuleDef):
            inner = dict(scope)
            for p in u.params:
                self.bind(inner, Symbol(p.name, p.arity, "param", p.span, mod), p.span)
            got = self.instance(u.instance, inner, mod)
            sym = Symbol(u.name, len(u.params), "instance", u.span, got or "")
            self.declare(scope, sym, u.span)
            if not u.local:
                exported[u.name] = sym
        elif isinstance(u, syntax.Assume):
            self.expr(u.expr, scope, False)
            if u.name:
                sym = Symbol(u.name, 0, "operator", u.span, mod)
                self.declare(scope, sym, u.span)
                exported[u.name] = sym
        elif isinstance(u, syntax.Theorem):
            if u.name:
                sym = Symbol(u.name, 0, "theorem", u.span, mod)
                self.declare(scope, sym, u.span)
                exported[u.name] = sym
        elif isinstance(u, syntax.Module):
            self.nested[u.name] = (u, dict(scope))

    def instance(self, i: syntax.Instance, scope: Scope, mod: str) -> str | None:
        got = self.load(i.module, i.span)
        if got is None or got in self.incomplete:
            if self.current:
                self.incomplete.add(self.current[-1])
        if got is None:
            return None
        params = self.params.get(got, {})
        for name, e in i.subs:
            if name not in params:
                self.error(
                    "E206",
                    f"INSTANCE {i.module} WITH {name} <- ...: {i.module} has no constant or variable {name}",
                    e.span if e.span.line else i.span,
                    hint=_hint(name, params),
                )
            self.expr(e, scope, False, True)
        given = {n for n, _ in i.subs}
        for name, sym in params.items():
            if name not in given and name not in scope:
                self.error(
                    "E206",
                    f"INSTANCE {i.module} needs a value for its {sym.kind} {name}",
                    i.span,
                    hint=f"add 'WITH {name} <- ...' or declare {name} here",
                )
        return got

    # -- expressions
    def bind(self, scope: Scope, sym: Symbol, span: Span | None) -> None:
        old = scope.get(sym.name)
        if old is not None and old.kind not in ("builtin",):
            where = f" (already defined at {old.span})" if old.span else ""
            self.error("E204", f"'{sym.name}' is already defined{where}; TLA+ does not allow shadowing", span)
            return
        scope[sym.name] = sym

    def bounds(self, bounds: Iterable[syntax.Bound], inner: Scope, outer: Scope, in_except: bool) -> None:
        for b in bounds:
            self.expr(b.domain, outer, in_except)
        for b in bounds:
            for n in b.names:
                self.bind(inner, Symbol(n, 0, "bound", b.span), b.span)

    def lookup(self, name: str, scope: Scope) -> Symbol | None:
        sym = scope.get(name)
        if sym is not None:
            return sym
        arity = OPERATORS.get(name)
        if arity is not None:
            return Symbol(name, arity, "builtin")
        return None

    def use(self, name: str, nargs: int, span: Span, scope: Scope, as_arg: bool) -> None:
        sym = self.lookup(name, scope)
        if sym is None:
            if self.current and self.current[-1] in self.incomplete:
                return
            self.error(
                "E202",
                f"unknown name '{name}'",
                span,
                hint=self.later_hint(name) or _hint(name, [*scope, *OPERATORS]) or _std_hint(name),
            )
            return
        if sym.arity < 0 or sym.kind == "theorem":
            return
        if nargs == 0 and as_arg:
            return  # an operator passed to a higher-order operator
        if sym.kind in ("bound", "function") and nargs == 0:
            return
        if sym.arity != nargs:
            what = (
                "no arguments" if sym.arity == 0 else f"{sym.arity} argument" + ("s" if sym.arity > 1 else "")
            )
            self.error("E203", f"'{name}' takes {what}, not {nargs}", span)

    def later_hint(self, name: str) -> str | None:
        span = self.later[-1].get(name) if self.later else None
        if span is None:
            return None
        return f"'{name}' is defined below, at line {span.line}: TLA+ needs a definition before its use"

    def expr(self, e: syntax.Expr, scope: Scope, in_except: bool, as_arg: bool = False) -> None:
        if isinstance(e, syntax.Name):
            self.use(e.name, 0, e.span, scope, as_arg)
        elif isinstance(e, syntax.OpApp):
            self.use(e.name, len(e.args), e.span, scope, as_arg)
            for a in e.args:
                self.expr(a, scope, in_except, True)
        elif isinstance(e, syntax.Qualified):
            self.qualified(e, scope, in_except)
        elif isinstance(e, syntax.At):
            if not in_except:
                self.error(
                    "E207",
                    "'@' outside an EXCEPT value",
                    e.span,
                    hint="'@' means the old value in [f EXCEPT ![x] = @ + 1]",
                )
        elif isinstance(e, syntax.Num | syntax.Str | syntax.Bool | syntax.Decimal):
            return
        elif isinstance(e, syntax.Quant | syntax.FnCons):
            inner = dict(scope)
            self.bounds(e.bounds, inner, scope, in_except)
            self.expr(e.body, inner, in_except)
        elif isinstance(e, syntax.SetFilter):
            inner = dict(scope)
            self.bounds((e.bound,), inner, scope, in_except)
            self.expr(e.pred, inner, in_except)
        elif isinstance(e, syntax.SetMap):
            inner = dict(scope)
            self.bounds(e.bounds, inner, scope, in_except)
            self.expr(e.expr, inner, in_except)
        elif isinstance(e, syntax.QuantUnbounded | syntax.Lambda):
            names = e.names if isinstance(e, syntax.QuantUnbounded) else e.params
            inner = dict(scope)
            for n in names:
                self.bind(inner, Symbol(n, 0, "bound", e.span), e.span)
            self.expr(e.body, inner, in_except)
        elif isinstance(e, syntax.Choose):
            if e.domain is not None:
                self.expr(e.domain, scope, in_except)
            inner = dict(scope)
            for n in e.names:
                self.bind(inner, Symbol(n, 0, "bound", e.span), e.span)
            self.expr(e.body, inner, in_except)
        elif isinstance(e, syntax.Except):
            self.expr(e.fn, scope, in_except)
            for u in e.updates:
                for step in u.path:
                    if isinstance(step, syntax.ExceptIndex):
                        for a in step.args:
                            self.expr(a, scope, in_except)
                self.expr(u.value, scope, True)
        elif isinstance(e, syntax.Let):
            inner = dict(scope)
            for d in e.defs:
                self.unit(d, inner, {}, {}, syntax.Module(""))
            self.expr(e.body, inner, in_except)
        elif isinstance(e, syntax.Case):
            for arm in e.arms:
                self.expr(arm.guard, scope, in_except)
                self.expr(arm.body, scope, in_except)
            if e.other is not None:
                self.expr(e.other, scope, in_except)
        elif isinstance(e, syntax.Record | syntax.RecordSet):
            for _, v in e.fields:
                self.expr(v, scope, in_except)
        else:
            for child in syntax.children(e):
                if isinstance(child, syntax.Expr):
                    self.expr(child, scope, in_except)

    def qualified(self, e: syntax.Qualified, scope: Scope, in_except: bool) -> None:
        for st in e.path:
            for a in st.args:
                self.expr(a, scope, in_except, True)
        for a in e.args:
            self.expr(a, scope, in_except, True)
        head = self.lookup(e.path[0].name, scope)
        if head is None:
            if self.current and self.current[-1] in self.incomplete:
                return
            self.error(
                "E202",
                f"unknown name '{e.path[0].name}'",
                e.path[0].span or e.span,
                hint=_hint(e.path[0].name, scope),
            )
            return
        if head.kind != "instance":
            return  # a subexpression selector (Inv!2, Op!:): not checked
        module = head.module
        for st in e.path[1:]:
            sym = self.exports.get(module, {}).get(st.name)
            if sym is None or sym.kind != "instance":
                return
            module = sym.module
        exports = self.exports.get(module)
        if exports is None:
            return
        if e.name[:1].isdigit() or e.name in (":", "<<", ">>", "@"):
            return
        sym = exports.get(e.name)
        if sym is None:
            self.error(
                "E202",
                f"module {module} (instance {e.path[-1].name}) has no definition '{e.name}'",
                e.span,
                hint=_hint(e.name, exports),
            )
            return
        if sym.arity >= 0 and sym.arity != len(e.args) and sym.kind not in ("function",):
            self.error(
                "E203", f"'{e.path[-1].name}!{e.name}' takes {sym.arity} arguments, not {len(e.args)}", e.span
            )


def _std_hint(name: str) -> str | None:
    for m in STANDARD_MODULES.values():
        if name in m.ops:
            return f"'{name}' is defined in the standard module {m.name}: add it to EXTENDS"
    return None
