"""Write a syntax tree back as TLA+ text, so that ``parse(print(t)) == t``.

This module owns the concrete layout of printed TLA+: ``print_module``,
``print_unit`` and ``print_expr``. Two things make it more than string joins:

- **Columns.** A junction list means what its bullet columns say, so every
  printing function is told the column it starts at, and a multi-line child is
  indented to its own column. A bulleted list is always printed one item per line.
- **Parentheses.** The tree has no parenthesis node; the printer adds exactly the
  parentheses that TLA+'s precedence ranges require (``syntax.INFIX_OPERATORS``),
  and always puts them around an operand that is a junction list or an open
  construct (IF, CASE, LET, quantifiers, CHOOSE, LAMBDA, labels).

A known limit, shared with the parser: the domain of a bound in ``{e : x \\in S}``,
``{x \\in S : P}`` and ``[x \\in S |-> e]`` is printed in parentheses when its top
operator binds no tighter than ``\\in``.
"""

from __future__ import annotations

from types import MappingProxyType

from checker.tla import syntax

_OPEN = (
    syntax.If,
    syntax.Case,
    syntax.Let,
    syntax.Quant,
    syntax.QuantUnbounded,
    syntax.Choose,
    syntax.Lambda,
    syntax.Label,
)
_WORD_PREFIX = frozenset({"DOMAIN", "SUBSET", "UNION", "ENABLED", "UNCHANGED"})
_ESCAPES = MappingProxyType({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f"})


def print_module(m: syntax.Module) -> str:
    """The module as TLA+ text, ending with a newline."""
    return _module(m) + "\n"


def print_unit(u: syntax.Unit) -> str:
    """One unit (a definition, a declaration...) as TLA+ text starting in column 1."""
    return _unit(u, 0)


def print_expr(e: syntax.Expr, col: int = 0) -> str:
    """An expression as TLA+ text, laid out as if it started at 0-based column ``col``."""
    return _expr(e, col)


def _after(col: int, text: str) -> int:
    """The column after writing ``text`` starting at ``col``."""
    nl = text.rfind("\n")
    return col + len(text) if nl < 0 else len(text) - nl - 1


def _module(m: syntax.Module) -> str:
    lines = [f"---- MODULE {m.name} ----"]
    if m.extends:
        lines.append("EXTENDS " + ", ".join(m.extends))
    for u in m.units:
        lines.append(_unit(u, 0))
    lines.append("====")
    return "\n".join(lines)


def _decl(d: syntax.Decl) -> str:
    if d.arity == 0:
        return d.name
    if d.name in syntax.INFIX_OPERATORS and d.arity == 2:
        return f"_ {d.name} _"
    if d.name in syntax.PREFIX_OPERATORS and d.arity == 1:
        return f"{d.name} _"
    if d.name in syntax.POSTFIX_OPERATORS and d.arity == 1:
        return f"_{d.name}"
    return f"{d.name}({', '.join('_' for _ in range(d.arity))})"


def _lhs(name: str, params: tuple[syntax.Decl, ...]) -> str:
    if not params:
        return name
    if name in syntax.INFIX_OPERATORS and len(params) == 2 and all(p.arity == 0 for p in params):
        return f"{params[0].name} {name} {params[1].name}"
    if name in syntax.PREFIX_OPERATORS and len(params) == 1 and params[0].arity == 0:
        return f"{name} {params[0].name}"
    if name in syntax.POSTFIX_OPERATORS and len(params) == 1 and params[0].arity == 0:
        return f"{params[0].name}{name}"
    return f"{name}({', '.join(_decl(p) for p in params)})"


def _unit(u: syntax.Unit, col: int) -> str:
    local = "LOCAL " if getattr(u, "local", False) else ""
    if isinstance(u, syntax.Module):
        return _module(u)
    if isinstance(u, syntax.Constants):
        return "CONSTANTS " + ", ".join(_decl(d) for d in u.decls)
    if isinstance(u, syntax.Variables):
        return "VARIABLES " + ", ".join(d.name for d in u.decls)
    if isinstance(u, syntax.Recursive):
        return "RECURSIVE " + ", ".join(_decl(d) for d in u.decls)
    if isinstance(u, syntax.OpDef):
        head = f"{local}{_lhs(u.name, u.params)} == "
        return head + _expr(u.body, _after(col, head))
    if isinstance(u, syntax.FnDef):
        head = f"{local}{u.name}[{_bounds(u.bounds, col)}] == "
        return head + _expr(u.body, _after(col, head))
    if isinstance(u, syntax.Instance):
        return local + _instance(u, col + len(local))
    if isinstance(u, syntax.ModuleDef):
        head = f"{local}{_lhs(u.name, u.params)} == "
        return head + _instance(u.instance, _after(col, head))
    if isinstance(u, syntax.Assume):
        head = f"ASSUME {u.name} == " if u.name else "ASSUME "
        return head + _expr(u.expr, _after(col, head))
    if isinstance(u, syntax.Theorem):
        return u.text or (u.kind + (f" {u.name} == TRUE" if u.name else " TRUE"))
    raise TypeError(f"cannot print unit {type(u).__name__}")


def _instance(i: syntax.Instance, col: int) -> str:
    text = f"INSTANCE {i.module}"
    if i.subs:
        text += " WITH "
        parts: list[str] = []
        for name, e in i.subs:
            head = f"{name} <- "
            body = _expr(e, _after(col, text + ", ".join(parts) + head))
            parts.append(head + body)
        text += ", ".join(parts)
    return text


# ---------------------------------------------------------------------------------------------
# Expressions


def _is_infix(e: syntax.Expr) -> bool:
    return (
        isinstance(e, syntax.OpApp)
        and e.name in syntax.INFIX_OPERATORS
        and (len(e.args) == 2 or (e.name == "\\X" and len(e.args) > 2))
    )


def _is_prefix(e: syntax.Expr) -> bool:
    return isinstance(e, syntax.OpApp) and e.name in syntax.PREFIX_OPERATORS and len(e.args) == 1


def _is_postfix(e: syntax.Expr) -> bool:
    return isinstance(e, syntax.OpApp) and e.name in syntax.POSTFIX_OPERATORS and len(e.args) == 1


def _is_operator(e: syntax.Expr) -> bool:
    return _is_infix(e) or _is_prefix(e)


def _paren(e: syntax.Expr, col: int) -> str:
    return "(" + _expr(e, col + 1) + ")"


def _tight(e: syntax.Expr, col: int) -> str:
    """``e`` where only a postfixed expression may stand (before ``[x]``, ``.a``, ``'``)."""
    if _is_operator(e) or isinstance(e, (syntax.Junction, *_OPEN)):
        return _paren(e, col)
    return _expr(e, col)


def _operand(e: syntax.Expr, col: int, parent: syntax.OpInfo, side: str) -> str:
    """``e`` as an operand of the infix operator ``parent`` (``side`` is "left" or "right")."""
    if isinstance(e, (syntax.Junction, *_OPEN)):
        return _paren(e, col)
    if _is_infix(e):
        assert isinstance(e, syntax.OpApp)
        info = syntax.INFIX_OPERATORS[e.name]
        same_left = side == "left" and info.name == parent.name and info.left_assoc and info.name != "\\X"
        if info.low > parent.high or same_left:
            return _expr(e, col)
        return _paren(e, col)
    if _is_prefix(e):
        assert isinstance(e, syntax.OpApp)
        info = syntax.PREFIX_OPERATORS[e.name]
        if info.low > parent.high:
            return _expr(e, col)
        return _paren(e, col)
    return _expr(e, col)


def _prefix_operand(e: syntax.Expr, col: int, parent: syntax.OpInfo) -> str:
    if isinstance(e, (syntax.Junction, *_OPEN)):
        return _paren(e, col)
    if _is_infix(e):
        assert isinstance(e, syntax.OpApp)
        if syntax.INFIX_OPERATORS[e.name].low > parent.high:
            return _expr(e, col)
        return _paren(e, col)
    return _expr(e, col)


def _join(items: list[syntax.Expr], col: int, sep: str = ", ") -> str:
    out = ""
    for i, e in enumerate(items):
        if i:
            out += sep
        out += _expr(e, _after(col, out))
    return out


def _domain(e: syntax.Expr, col: int) -> str:
    """A bound's set in a set or function constructor (see the module docstring)."""
    if isinstance(e, syntax.Junction) or (_is_infix(e) and syntax.INFIX_OPERATORS[e.name].low <= 5):  # type: ignore[attr-defined]
        return _paren(e, col)
    return _expr(e, col)


def _bound(b: syntax.Bound, col: int, constructor: bool = False) -> str:
    names = ", ".join(b.names)
    head = f"<<{names}>> \\in " if b.tuple_pattern else f"{names} \\in "
    c = _after(col, head)
    return head + (_domain(b.domain, c) if constructor else _expr(b.domain, c))


def _bounds(bounds: tuple[syntax.Bound, ...], col: int, constructor: bool = False) -> str:
    out = ""
    for i, b in enumerate(bounds):
        if i:
            out += ", "
        out += _bound(b, _after(col, out), constructor)
    return out


def _sub(e: syntax.Expr, col: int) -> str:
    """The subscript of ``[A]_v``, ``<<A>>_v``, ``WF_v(A)``."""
    if isinstance(e, syntax.Name) or isinstance(e, syntax.Tuple):
        return _expr(e, col)
    if isinstance(e, syntax.Qualified) and not e.args and all(not st.args for st in e.path):
        return _expr(e, col)
    return _paren(e, col)


def _string(v: str) -> str:
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in v) + '"'


def _expr(e: syntax.Expr, col: int) -> str:
    if isinstance(e, syntax.Name):
        return e.name
    if isinstance(e, syntax.Num):
        return str(e.value)
    if isinstance(e, syntax.Decimal):
        return e.text
    if isinstance(e, syntax.Str):
        return _string(e.value)
    if isinstance(e, syntax.Bool):
        return "TRUE" if e.value else "FALSE"
    if isinstance(e, syntax.At):
        return "@"
    if isinstance(e, syntax.OpApp):
        return _opapp(e, col)
    if isinstance(e, syntax.Qualified):
        out = ""
        for st in e.path:
            out += st.name
            if st.args:
                out += "(" + _join(list(st.args), _after(col, out + "(")) + ")"
            out += "!"
        out += e.name
        if e.args:
            out += "(" + _join(list(e.args), _after(col, out + "(")) + ")"
        return out
    if isinstance(e, syntax.SetEnum):
        return "{" + _join(list(e.elems), col + 1) + "}"
    if isinstance(e, syntax.SetFilter):
        head = "{" + _bound(e.bound, col + 1, True) + " : "
        return head + _expr(e.pred, _after(col, head)) + "}"
    if isinstance(e, syntax.SetMap):
        first = e.expr
        if _is_infix(first) and first.name == "\\in":  # type: ignore[attr-defined]
            head = "{" + _paren(first, col + 1) + " : "
        else:
            head = "{" + _expr(first, col + 1) + " : "
        return head + _bounds(e.bounds, _after(col, head), True) + "}"
    if isinstance(e, syntax.Tuple):
        return "<<" + _join(list(e.elems), col + 2) + ">>"
    if isinstance(e, syntax.Record | syntax.RecordSet):
        arrow = " |-> " if isinstance(e, syntax.Record) else " : "
        out = "["
        for i, (name, v) in enumerate(e.fields):
            if i:
                out += ", "
            out += name + arrow
            out += _expr(v, _after(col, out))
        return out + "]"
    if isinstance(e, syntax.FnCons):
        head = "[" + _bounds(e.bounds, col + 1, True) + " |-> "
        return head + _expr(e.body, _after(col, head)) + "]"
    if isinstance(e, syntax.FnSet):
        head = "[" + _expr(e.domain, col + 1) + " -> "
        return head + _expr(e.codomain, _after(col, head)) + "]"
    if isinstance(e, syntax.Except):
        out = "[" + _expr(e.fn, col + 1) + " EXCEPT "
        for i, u in enumerate(e.updates):
            if i:
                out += ", "
            out += "!"
            for step in u.path:
                if isinstance(step, syntax.ExceptField):
                    out += "." + step.name
                else:
                    out += "[" + _join(list(step.args), _after(col, out + "[")) + "]"
            out += " = "
            out += _expr(u.value, _after(col, out))
        return out + "]"
    if isinstance(e, syntax.FnApp):
        head = _tight(e.fn, col)
        return head + "[" + _join(list(e.args), _after(col, head + "[")) + "]"
    if isinstance(e, syntax.Field):
        return _tight(e.record, col) + "." + e.name
    if isinstance(e, syntax.If):
        out = "IF "
        out += _expr(e.cond, _after(col, out))
        out += " THEN "
        out += _expr(e.then, _after(col, out))
        out += " ELSE "
        return out + _expr(e.else_, _after(col, out))
    if isinstance(e, syntax.Case):
        out = "CASE "
        for i, arm in enumerate(e.arms):
            if i:
                out += " [] "
            out += _case_part(arm.guard, _after(col, out))
            out += " -> "
            out += _case_part(arm.body, _after(col, out))
        if e.other is not None:
            out += " [] OTHER -> "
            out += _case_part(e.other, _after(col, out))
        return out
    if isinstance(e, syntax.Let):
        out = "LET "
        for i, d in enumerate(e.defs):
            if i:
                out += "\n" + " " * (col + 4)
            out += _unit(d, _after(col, out))
        out += "\n" + " " * col + "IN  "
        return out + _expr(e.body, col + 4)
    if isinstance(e, syntax.Quant):
        out = f"{e.kind} " + _bounds(e.bounds, col + len(e.kind) + 1) + " : "
        return out + _expr(e.body, _after(col, out))
    if isinstance(e, syntax.QuantUnbounded):
        out = f"{e.kind} {', '.join(e.names)} : "
        return out + _expr(e.body, _after(col, out))
    if isinstance(e, syntax.Choose):
        names = ", ".join(e.names)
        out = "CHOOSE " + (f"<<{names}>>" if e.tuple_pattern else names)
        if e.domain is not None:
            out += " \\in "
            out += _expr(e.domain, _after(col, out))
        out += " : "
        return out + _expr(e.body, _after(col, out))
    if isinstance(e, syntax.Lambda):
        out = f"LAMBDA {', '.join(e.params)} : "
        return out + _expr(e.body, _after(col, out))
    if isinstance(e, syntax.BoxAction):
        out = "[" + _expr(e.action, col + 1) + "]_"
        return out + _sub(e.sub, _after(col, out))
    if isinstance(e, syntax.AngleAction):
        out = "<<" + _expr(e.action, col + 2) + ">>_"
        return out + _sub(e.sub, _after(col, out))
    if isinstance(e, syntax.Fairness):
        out = f"{e.kind}_" + _sub(e.sub, col + 3)
        return out + "(" + _expr(e.action, _after(col, out) + 1) + ")"
    if isinstance(e, syntax.Junction):
        lines = []
        for item in e.items:
            lines.append(f"{e.op} " + _expr(item, col + 3))
        return ("\n" + " " * col).join(lines)
    if isinstance(e, syntax.Label):
        out = e.name + (f"({', '.join(e.params)})" if e.params else "") + ":: "
        return out + _expr(e.body, _after(col, out))
    raise TypeError(f"cannot print expression {type(e).__name__}")


def _case_part(e: syntax.Expr, col: int) -> str:
    """A guard or value inside CASE, in parentheses if it is open to the right.

    A CASE nested anywhere at the right end of an arm (``... ELSE CASE ...``, the
    last item of a list) would take our next ``[]`` arms as its own.
    """
    if isinstance(e, (syntax.Junction, *_OPEN)):
        return _paren(e, col)
    return _expr(e, col)


def _opapp(e: syntax.OpApp, col: int) -> str:
    if _is_infix(e):
        info = syntax.INFIX_OPERATORS[e.name]
        if e.name == "\\X" and len(e.args) > 2:
            out = ""
            for i, a in enumerate(e.args):
                if i:
                    out += " \\X "
                out += _operand(a, _after(col, out), info, "left" if i == 0 else "right")
            return out
        left = _operand(e.args[0], col, info, "left")
        mid = f" {e.name} "
        return left + mid + _operand(e.args[1], _after(col, left + mid), info, "right")
    if _is_prefix(e):
        info = syntax.PREFIX_OPERATORS[e.name]
        sym = "-" if e.name == "-." else e.name
        arg = e.args[0]
        if sym in _WORD_PREFIX:
            head = sym + " "
        else:
            head = sym
        body = _prefix_operand(arg, col + len(head), info)
        if head == sym and not (body[:1].isalnum() or body[:1] in '([{"<\\'):
            head = sym + " "
            body = _prefix_operand(arg, col + len(head), info)
        if sym == "-" and body[:1] == "-":
            head = "- "
            body = _prefix_operand(arg, col + 2, info)
        return head + body
    if _is_postfix(e):
        return _tight(e.args[0], col) + e.name
    if not e.args:
        return e.name
    head = e.name + "("
    return head + _join(list(e.args), col + len(head)) + ")"
