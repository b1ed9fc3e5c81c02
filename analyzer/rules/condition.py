"""The ``condition`` of a detection: a small recursive-descent parser and a compiler to
closures (no ``eval``).

Grammar (keywords are lower case; ``not`` binds tighter than ``and``, which binds tighter
than ``or``)::

    expr     := and_expr ("or" and_expr)*
    and_expr := unary ("and" unary)*
    unary    := "not" unary | primary
    primary  := "(" expr ")" | quantity "of" target | NAME
    quantity := "1" | "all"
    target   := "them" | PATTERN          (PATTERN: a name with "*" wildcards, e.g. sel_*)

``1 of X`` is true when any selection named by X is, ``all of X`` when every one is.
``them`` means every selection whose name does not start with ``_`` (Sigma's convention).
Errors carry the 1-based column of the offending token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from .schema import Predicate

KEYWORDS = frozenset(("and", "or", "not", "of", "them", "all"))
SELECTION_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOKEN_RE = re.compile(r"\s*(?:(?P<paren>[()])|(?P<word>[A-Za-z0-9_*]+)|(?P<bad>\S))")


class ConditionError(ValueError):
    """A condition that cannot be parsed or names an unknown selection."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column

    def __str__(self) -> str:
        return f"{self.args[0]} at column {self.column}"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    column: int


# --- AST -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Name:
    name: str
    column: int


@dataclass(frozen=True, slots=True)
class Of:
    every: bool
    pattern: str  # "them" or a name pattern
    column: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]


Node = Name | Of | Not | And | Or


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while True:
        m = _TOKEN_RE.match(text, pos)
        if m is None:  # only trailing white space left
            return tokens
        kind = m.lastgroup
        assert kind is not None
        start = m.start(kind)
        if kind == "bad":
            raise ConditionError(f"unexpected character {m.group(kind)!r}", start + 1)
        tokens.append(Token(m.group(kind), start + 1))
        pos = m.end()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def next(self) -> Token | None:
        tok = self.peek()
        self.i += 1
        return tok

    def end_column(self) -> int:
        return len(self.text.rstrip()) + 1

    def fail(self, tok: Token | None, expected: str) -> ConditionError:
        if tok is None:
            return ConditionError(f"expected {expected}, got the end of the condition",
                                  self.end_column())
        return ConditionError(f"expected {expected}, got '{tok.text}'", tok.column)

    def parse(self) -> Node:
        if not self.tokens:
            raise ConditionError("the condition is empty", 1)
        node = self.expr()
        tok = self.peek()
        if tok is not None:
            raise self.fail(tok, "'and', 'or' or the end of the condition")
        return node

    def expr(self) -> Node:
        operands = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.text == "or":
            self.i += 1
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_expr(self) -> Node:
        operands = [self.unary()]
        while (tok := self.peek()) is not None and tok.text == "and":
            self.i += 1
            operands.append(self.unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def unary(self) -> Node:
        tok = self.peek()
        if tok is not None and tok.text == "not":
            self.i += 1
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        expected = "a selection name, 'not', '(', '1 of' or 'all of'"
        tok = self.next()
        if tok is None:
            raise self.fail(None, expected)
        if tok.text == "(":
            node = self.expr()
            close = self.next()
            if close is None or close.text != ")":
                raise self.fail(close, f"')' to close the '(' at column {tok.column}")
            return node
        if tok.text in ("1", "all"):
            of = self.next()
            if of is None or of.text != "of":
                raise self.fail(of, f"'of' after '{tok.text}'")
            target = self.next()
            if target is None or target.text in KEYWORDS - {"them"} or target.text in ("(", ")"):
                raise self.fail(target, "'them' or a selection name pattern such as sel_*")
            return Of(tok.text == "all", target.text, target.column)
        if tok.text.isdigit():
            raise ConditionError(f"'{tok.text} of' is not supported; use '1 of' or 'all of'",
                                 tok.column)
        if tok.text in KEYWORDS or tok.text == ")":
            raise self.fail(tok, expected)
        if "*" in tok.text:
            raise ConditionError(f"wildcard in '{tok.text}' is allowed only after '1 of' or "
                                 "'all of'", tok.column)
        return Name(tok.text, tok.column)


def parse(text: str) -> Node:
    """Parse a condition; raise :class:`ConditionError` with the column of the problem."""
    return _Parser(text).parse()


def resolve(node: Node, selections: Sequence[str]) -> tuple[Node, frozenset[str]]:
    """Replace ``1 of``/``all of`` by plain ``or``/``and`` over the selections they name and
    check every name; return the resolved tree and the selections it uses."""
    known = set(selections)
    used: set[str] = set()
    defined = ", ".join(sorted(selections)) or "(none)"

    def walk(n: Node) -> Node:
        if isinstance(n, Name):
            if n.name not in known:
                raise ConditionError(f"unknown selection '{n.name}'; defined: {defined}",
                                     n.column)
            used.add(n.name)
            return n
        if isinstance(n, Of):
            if n.pattern == "them":
                names = [s for s in selections if not s.startswith("_")]
            else:
                names = [s for s in selections if fnmatchcase(s, n.pattern)]
            if not names:
                raise ConditionError(f"'{n.pattern}' matches no selection; defined: "
                                     f"{defined}", n.column)
            used.update(names)
            parts = tuple(Name(s, n.column) for s in names)
            if len(parts) == 1:
                return parts[0]
            return And(parts) if n.every else Or(parts)
        if isinstance(n, Not):
            return Not(walk(n.operand))
        if isinstance(n, And):
            return And(tuple(walk(o) for o in n.operands))
        return Or(tuple(walk(o) for o in n.operands))

    return walk(node), frozenset(used)


def compile_condition(node: Node, predicates: Mapping[str, Predicate]) -> Predicate:
    """Turn a resolved tree into one closure that short-circuits like Python's and/or."""
    if isinstance(node, Name):
        return predicates[node.name]
    if isinstance(node, Of):  # pragma: no cover - resolve() removes these
        raise ValueError("unresolved 'of' expression")
    if isinstance(node, Not):
        inner = compile_condition(node.operand, predicates)
        return lambda ev: not inner(ev)
    parts = [compile_condition(o, predicates) for o in node.operands]
    return all_of(parts) if isinstance(node, And) else any_of(parts)


def all_of(preds: Sequence[Predicate]) -> Predicate:
    """One predicate true when every one of ``preds`` is (short-circuit, in order). Here, in a
    compiled module, so a selection's items are not joined by an interpreted closure."""
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        a, b = preds
        return lambda ev: a(ev) and b(ev)
    items = tuple(preds)
    return lambda ev: all(p(ev) for p in items)


def any_of(preds: Sequence[Predicate]) -> Predicate:
    """One predicate true when any of ``preds`` is (short-circuit, in order)."""
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        a, b = preds
        return lambda ev: a(ev) or b(ev)
    items = tuple(preds)
    return lambda ev: any(p(ev) for p in items)


def compile_text(text: str, predicates: Mapping[str, Predicate]
                 ) -> tuple[Predicate, frozenset[str]]:
    """Parse, resolve and compile ``text`` over named selection predicates."""
    node, used = resolve(parse(text), list(predicates))
    return compile_condition(node, predicates), used

