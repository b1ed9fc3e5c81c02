"""The value modifiers of a detection key (``field|modifier|modifier: value``).

Every modifier is registered once in :data:`MODIFIERS` with its kind, the field types it
applies to and a description (``analyze rules list --modifiers`` prints this table, and
``rules/README.md`` documents it). :func:`compile_item` turns one ``key: value`` item of a
selection into a predicate over events, checking types and compiling patterns at load time so
that a bad rule fails when it is loaded, never while a capture is analysed.

Kinds: a *transform* changes the field's value before the comparison (applied in the order
written), the *operator* is the comparison (at most one; ``eq`` when none is given), a *flag*
changes how the values are used.
"""

from __future__ import annotations

import difflib
import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import re2

from .schema import EventType, Predicate

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Kind = Literal["transform", "operator", "flag"]


class DetectionError(ValueError):
    """A detection item the loader rejects; the loader adds ``file:line``."""


@dataclass(frozen=True, slots=True)
class Modifier:
    """A registered modifier: its YAML name, kind, the field types it applies to, and what it
    does (one sentence, used in the docs and ``rules list --modifiers``)."""

    name: str
    kind: Kind
    applies_to: str
    description: str


MODIFIERS: dict[str, Modifier] = {m.name: m for m in (
    Modifier("eq", "operator", "any",
             "equal to one of the values (the default operator; strings ignore case)"),
    Modifier("ne", "operator", "any",
             "not equal to the value (one value only; for 'none of several' use |not)"),
    Modifier("contains", "operator", "str", "the value occurs in the field"),
    Modifier("startswith", "operator", "str", "the field starts with the value"),
    Modifier("endswith", "operator", "str", "the field ends with the value"),
    Modifier("re", "operator", "str",
             "RE2 regular expression found anywhere in the field (anchor with ^ and $); "
             "linear time, no backreferences or lookaround"),
    Modifier("cidr", "operator", "ip",
             "the address lies in the network (IPv4 or IPv6, e.g. 10.0.0.0/8, fc00::/7)"),
    Modifier("gt", "operator", "int, float", "greater than the value"),
    Modifier("gte", "operator", "int, float", "greater than or equal to the value"),
    Modifier("lt", "operator", "int, float", "less than the value"),
    Modifier("lte", "operator", "int, float", "less than or equal to the value"),
    Modifier("exists", "operator", "any",
             "true: the field is present and not null; false: it is absent or null "
             "(no other modifier allowed)"),
    Modifier("abs", "transform", "int, float", "compare the absolute value of the field"),
    Modifier("len", "transform", "str, list",
             "compare the length of the field (characters, or elements of a list)"),
    Modifier("all", "flag", "any", "every value of the list must match (default: any one)"),
    Modifier("not", "flag", "any",
             "negate the item: true when the comparison fails (a missing field still "
             "never matches)"),
    Modifier("cased", "flag", "str",
             "compare strings case-sensitively (default: case-insensitive)"),
    Modifier("fieldref", "flag", "any",
             "the values are names of other fields of the same event, compared with the "
             "operator (e.g. rst.ttl|fieldref|ne: server.ttl)"),
)}

STRING_OPS = frozenset(("eq", "ne", "contains", "startswith", "endswith", "re"))
NUMERIC_OPS = frozenset(("gt", "gte", "lt", "lte"))
FIELDREF_OPS = frozenset(("eq", "ne", "contains", "startswith", "endswith")) | NUMERIC_OPS
NUMERIC = frozenset(("int", "float"))


class _Bad:
    """Marks a field value that cannot be compared (wrong runtime type)."""


BAD = _Bad()


def _is_num(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


@lru_cache(maxsize=65536)
def _parse_ip(text: str) -> IPAddress | None:
    try:
        return _norm_ip(ipaddress.ip_address(text))
    except ValueError:
        return None


def _norm_ip(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def as_ip(x: object) -> IPAddress | None:
    """An address from a ``str`` or :mod:`ipaddress` object (IPv4-mapped IPv6 as IPv4)."""
    if isinstance(x, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return _norm_ip(x)
    if isinstance(x, str):
        return _parse_ip(x)
    return None


def _prep_for(t: str, cased: bool) -> Callable[[Any], Any]:
    """The runtime normalisation of a field value of scalar type ``t`` (BAD if unusable)."""
    if t == "str":
        if cased:
            return lambda x: x if isinstance(x, str) else BAD
        return lambda x: x.casefold() if isinstance(x, str) else BAD
    if t in NUMERIC:
        return lambda x: x if _is_num(x) else BAD
    if t == "bool":
        return lambda x: x if isinstance(x, bool) else BAD
    return lambda x: ip if (ip := as_ip(x)) is not None else BAD


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: bool(a == b),
    "ne": lambda a, b: bool(a != b),
    "contains": lambda a, b: b in a,
    "startswith": lambda a, b: bool(a.startswith(b)),
    "endswith": lambda a, b: bool(a.endswith(b)),
    "gt": lambda a, b: bool(a > b),
    "gte": lambda a, b: bool(a >= b),
    "lt": lambda a, b: bool(a < b),
    "lte": lambda a, b: bool(a <= b),
}


@dataclass(frozen=True, slots=True)
class CompiledItem:
    """One compiled ``key: value`` item: its predicate and the fields it reads."""

    predicate: Predicate
    fields: frozenset[str]


def _suggest(name: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unknown_field_message(name: str, etype: EventType) -> str:
    allowed = sorted(etype.fields)
    return (f"unknown field '{name}' for event type '{etype.name}'{_suggest(name, allowed)}; "
            f"allowed: {', '.join(allowed) or '(none)'}")


def _typename(v: object) -> str:
    return {bool: "bool", int: "int", float: "float", str: "string"}.get(type(v), "mapping"
                                                                        if isinstance(v, dict)
                                                                        else type(v).__name__)


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in NUMERIC and b in NUMERIC)


def compile_item(key: str, value: Any, etype: EventType) -> CompiledItem:
    """Compile ``key: value`` of a selection for events of ``etype``; raise
    :class:`DetectionError` with a message that names what is allowed."""
    fname, *mods = key.split("|")
    spec = etype.fields.get(fname)
    if spec is None:
        raise DetectionError(unknown_field_message(fname, etype))
    seen: set[str] = set()
    transforms: list[str] = []
    op: str | None = None
    flags: set[str] = set()
    for m in mods:
        mod = MODIFIERS.get(m)
        if mod is None:
            raise DetectionError(f"unknown modifier '{m}' in '{key}'{_suggest(m, list(MODIFIERS))}"
                                 f"; allowed: {', '.join(sorted(MODIFIERS))}")
        if m in seen:
            raise DetectionError(f"modifier '{m}' given twice in '{key}'")
        seen.add(m)
        if mod.kind == "transform":
            transforms.append(m)
        elif mod.kind == "flag":
            flags.add(m)
        elif op is not None:
            raise DetectionError(f"'{key}' has two operators, '{op}' and '{m}'; one at most")
        else:
            op = m
    op = op or "eq"

    t, is_list = spec.scalar, spec.is_list
    steps: list[Callable[[Any], Any]] = []
    for tr in transforms:
        if tr == "len":
            if not (is_list or t == "str"):
                raise DetectionError(f"'len' applies to str and list fields; '{fname}' is "
                                     f"{spec.type}")
            steps.append(lambda v: len(v) if isinstance(v, (str, list, tuple)) else BAD)
            t, is_list = "int", False
        else:  # abs
            if t not in NUMERIC:
                raise DetectionError(f"'abs' applies to int and float fields; '{fname}' is "
                                     f"{spec.type}")
            if is_list:
                steps.append(lambda v: [abs(x) if _is_num(x) else BAD for x in v]
                             if isinstance(v, (list, tuple)) else BAD)
            else:
                steps.append(lambda v: abs(v) if _is_num(v) else BAD)

    if op == "exists":
        if transforms or flags:
            raise DetectionError(f"'exists' takes no other modifier: '{key}'")
        if not isinstance(value, bool):
            raise DetectionError(f"'{key}' needs true or false, not {_typename(value)}")
        want = value
        return CompiledItem(lambda ev: (ev.get(fname) is not None) is want, frozenset([fname]))

    explicit_list = isinstance(value, list)
    values: list[Any] = list(value) if explicit_list else [value]
    if not values:
        raise DetectionError(f"'{key}' has an empty list of values")
    for v in values:
        if v is None:
            raise DetectionError(f"'{key}' has a null value; to test that a field is absent "
                                 f"use '{fname}|exists: false'")
        if isinstance(v, (list, dict)):
            raise DetectionError(f"'{key}' values must be single values, not a "
                                 f"{_typename(v)} (a list means: any of these values)")
    if op == "ne" and explicit_list:
        raise DetectionError(f"'{key}' takes one value; to say 'none of these' write "
                             f"'{fname}|not: [...]'")
    cased = "cased" in flags
    cur = f"list[{t}]" if is_list else t
    what = (f"'{fname}' after |{'|'.join(transforms)} is {cur}" if transforms
            else f"'{fname}' is {spec.type}")
    if cased and not (t == "str" and op in STRING_OPS):
        raise DetectionError("'cased' applies only to string comparisons "
                             f"({', '.join(sorted(STRING_OPS))}); {what}")
    if op in ("contains", "startswith", "endswith", "re") and t != "str":
        raise DetectionError(f"'{op}' applies to str fields; {what}")
    if op == "cidr" and t != "ip":
        raise DetectionError(f"'cidr' applies to ip fields; {what}")
    if op in NUMERIC_OPS and t not in NUMERIC:
        raise DetectionError(f"'{op}' applies to int and float fields; {what}")

    prep = _prep_for(t, cased or op == "re")
    read = {fname}
    checks: list[Callable[[Any, Any], bool]]
    if "fieldref" in flags:
        if op not in FIELDREF_OPS:
            raise DetectionError(f"'fieldref' works with {', '.join(sorted(FIELDREF_OPS))}, "
                                 f"not '{op}': '{key}'")
        checks = []
        for ref in values:
            if not isinstance(ref, str):
                raise DetectionError(f"'{key}' needs field names as values, not "
                                     f"{_typename(ref)}")
            rspec = etype.fields.get(ref)
            if rspec is None:
                raise DetectionError(unknown_field_message(ref, etype))
            if rspec.is_list:
                raise DetectionError(f"'{key}': fieldref to a list field ('{ref}' is "
                                     f"{rspec.type}) is not supported")
            if not _compatible(t, rspec.scalar):
                raise DetectionError(f"'{key}' compares {t} with '{ref}', which is "
                                     f"{rspec.type}")
            read.add(ref)
            checks.append(_fieldref_check(op, ref, _prep_for(rspec.scalar, cased)))
    else:
        checks = [_constant_check(op, t, v, key, cased) for v in values]
        fast = None if transforms or flags else (
            _list_fast(fname, op, t, values) if is_list else _scalar_fast(fname, op, t, values))
        if fast is not None:
            return CompiledItem(fast, frozenset(read))

    combine = all if "all" in flags else any
    negate = "not" in flags
    if len(checks) == 1:
        one = checks[0]

        def test(x: Any, ev: Any) -> bool:
            px = prep(x)
            return px is not BAD and one(px, ev)
    else:
        def test(x: Any, ev: Any) -> bool:
            px = prep(x)
            return px is not BAD and combine(c(px, ev) for c in checks)

    def predicate(ev: Any) -> bool:
        v = ev.get(fname)
        if v is None:
            return False
        for step in steps:
            v = step(v)
            if v is BAD:
                return False
        if is_list:
            if not isinstance(v, (list, tuple)):
                v = (v,)
            result = any(test(x, ev) for x in v)
        else:
            result = test(v, ev)
        return result != negate

    return CompiledItem(predicate, frozenset(read))


def _scalar_fast(fname: str, op: str, t: str, values: list[Any]) -> Predicate | None:
    """The same test as the general predicate, written out for the items most rules are
    made of (a scalar field, no modifier but one comparison; the constants were checked by
    :func:`_constant_check`, so a str field's values are strings):
    they run for every event of their type, and the general path costs five calls each."""
    if t == "bool" and op == "eq" and len(values) == 1:
        want = values[0]
        return lambda ev: ev.get(fname) is want
    if t == "str" and op in ("eq", "ne"):
        if op == "ne":
            if len(values) != 1:
                return None
            c = values[0].casefold()
            return lambda ev: isinstance(x := ev.get(fname), str) and x.casefold() != c
        cs = frozenset(v.casefold() for v in values)
        return lambda ev: isinstance(x := ev.get(fname), str) and x.casefold() in cs
    if t in NUMERIC and len(values) == 1 and (op in NUMERIC_OPS or op in ("eq", "ne")):
        cmp = _COMPARE[op]
        n = values[0]

        def number(ev: Any) -> bool:
            x = ev.get(fname)
            return _is_num(x) and cmp(x, n)
        return number
    return None


def _list_fast(fname: str, op: str, t: str, values: list[Any]) -> Predicate | None:
    """:func:`_scalar_fast` for a list of strings compared for equality (``fp.dns_lists:
    dns-blockpage``): any element equal to any value, case folded."""
    if t != "str" or op != "eq":
        return None
    cs = frozenset(v.casefold() for v in values)

    def any_equal(ev: Any) -> bool:
        v = ev.get(fname)
        if v is None:
            return False
        for x in (v if isinstance(v, (list, tuple)) else (v,)):
            if isinstance(x, str) and x.casefold() in cs:
                return True
        return False
    return any_equal


def _fieldref_check(op: str, ref: str, prep_ref: Callable[[Any], Any]
                    ) -> Callable[[Any, Any], bool]:
    cmp = _COMPARE[op]

    def check(px: Any, ev: Any) -> bool:
        other = ev.get(ref)
        if other is None:
            return False
        po = prep_ref(other)
        return po is not BAD and cmp(px, po)
    return check


def _constant_check(op: str, t: str, v: Any, key: str, cased: bool
                    ) -> Callable[[Any, Any], bool]:
    """A check of a prepared field value against one constant from the rule."""
    if op == "re":
        if not isinstance(v, str):
            raise DetectionError(f"'{key}' needs a string pattern, not {_typename(v)}")
        opts = re2.Options()
        opts.log_errors = False
        opts.case_sensitive = cased
        try:
            pattern = re2.compile(v, opts)
        except re2.error as e:
            detail = e.args[0].decode(errors="replace") if e.args and isinstance(
                e.args[0], bytes) else str(e)
            raise DetectionError(f"invalid regular expression {v!r} in '{key}': {detail}"
                                 " (RE2 syntax: no backreferences or lookaround)") from None
        search = pattern.search
        return lambda px, ev: search(px) is not None
    if op == "cidr":
        if not isinstance(v, str):
            raise DetectionError(f"'{key}' needs a network such as 10.0.0.0/8, not "
                                 f"{_typename(v)}")
        try:
            net = ipaddress.ip_network(v, strict=True)
        except ValueError as e:
            raise DetectionError(f"'{key}': bad network {v!r}: {e}") from None
        return lambda px, ev: px in net
    cmp = _COMPARE[op]
    c: Any
    if t == "str":
        if not isinstance(v, str):
            raise DetectionError(f"'{key}' compares a str field with {_typename(v)} {v!r}; "
                                 "quote the value")
        if op != "eq" and op != "ne" and v == "":
            raise DetectionError(f"'{key}' with an empty string matches everything")
        c = v if cased else v.casefold()
    elif t in NUMERIC:
        if not _is_num(v):
            raise DetectionError(f"'{key}' needs a number, not {_typename(v)} {v!r}")
        c = v
    elif t == "bool":
        if not isinstance(v, bool):
            raise DetectionError(f"'{key}' needs true or false, not {_typename(v)} {v!r}")
        c = v
    else:  # ip
        ip = as_ip(v) if isinstance(v, str) else None
        if ip is None:
            raise DetectionError(f"'{key}' needs an IP address, not {v!r} (networks: "
                                 "use |cidr)")
        c = ip
    return lambda px, ev: cmp(px, c)

