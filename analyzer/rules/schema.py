"""The rule model: vocabularies, the event-type registry, summary templates and :class:`Rule`.

Rules match over *events*: flat records of one event type whose keys are dotted field names
(``tls.sni``, ``rst.ttl``). Each event type is registered once, with every field's type,
description and an example (:func:`register_event_type`); the loader rejects a rule that
names an unregistered event type or a field its event type does not document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path
from typing import Any

#: The contract's mechanism vocabulary (CONTRACT.md, "mechanism is one of").
MECHANISMS: tuple[str, ...] = (
    "dns-injection", "dns-tampering", "rst-injection", "packet-injection", "blockpage",
    "tls-mitm", "blackhole", "throttling", "residual-blocking",
)

#: Types a field can be declared with. ``ip`` values are IPv4/IPv6 addresses (``str`` or
#: :mod:`ipaddress` objects); a ``list[...]`` field matches when any element matches.
SCALAR_TYPES: tuple[str, ...] = ("str", "int", "float", "bool", "ip")
FIELD_TYPES: tuple[str, ...] = SCALAR_TYPES + tuple(f"list[{t}]" for t in SCALAR_TYPES)

#: Event type and field names: dotted lower-case words.
NAME_RE = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*\Z")

#: A rule id: lower-case words joined by ``-``, segments joined by ``/``.
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*\Z")

Event = Mapping[str, Any]
Predicate = Callable[[Event], bool]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One documented event field."""

    type: str
    description: str
    example: Any = None

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"unknown field type {self.type!r}; allowed: "
                             + ", ".join(FIELD_TYPES))

    @property
    def scalar(self) -> str:
        """The element type (``list[int]`` -> ``int``)."""
        return self.type[5:-1] if self.is_list else self.type

    @property
    def is_list(self) -> bool:
        return self.type.startswith("list[")


@dataclass(frozen=True, slots=True)
class EventType:
    """An event type: its name, what one event of it stands for, and its fields."""

    name: str
    fields: Mapping[str, FieldSpec]
    description: str = ""


class EventRegistry:
    """Event types by name. The process-wide one is :data:`EVENTS`."""

    def __init__(self) -> None:
        self._types: dict[str, EventType] = {}

    def register(self, name: str, fields: Mapping[str, FieldSpec],
                 description: str = "") -> EventType:
        """Register an event type. Registering the same definition again is a no-op; a
        different definition under a registered name is a :class:`ValueError`."""
        if not NAME_RE.match(name):
            raise ValueError(f"bad event type name {name!r}: dotted lower-case words")
        for fname, spec in fields.items():
            if not NAME_RE.match(fname):
                raise ValueError(f"{name}: bad field name {fname!r}: dotted lower-case words")
            if not isinstance(spec, FieldSpec):
                raise TypeError(f"{name}.{fname}: expected a FieldSpec")
        et = EventType(name, dict(fields), description)
        old = self._types.get(name)
        if old is not None and (dict(old.fields), old.description) != (dict(fields),
                                                                        description):
            raise ValueError(f"event type {name!r} is already registered differently")
        self._types.setdefault(name, et)
        return self._types[name]

    def get(self, name: str) -> EventType | None:
        return self._types.get(name)

    def names(self) -> list[str]:
        return sorted(self._types)

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[EventType]:
        return iter(self._types[n] for n in self.names())


#: The process-wide registry the loader uses unless given another one.
EVENTS = EventRegistry()


def register_event_type(name: str, fields: Mapping[str, FieldSpec],
                        description: str = "") -> EventType:
    """Register an event type in the process-wide registry (see :class:`EventRegistry`)."""
    return EVENTS.register(name, fields, description)


# ---------------------------------------------------------------------------------------------
# Templates: "{dotted.name}" placeholders filled from the event, "{{" and "}}" for braces.

MISSING = "?"
MAX_VALUE_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class TemplateError(ValueError):
    """A template that cannot be parsed; ``column`` is 1-based within the template."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


def format_value(value: Any) -> str:
    """A field value as summary text: ``true``/``false``, floats without noise (``21.5``,
    ``0.923``), lists joined by ``, ``, control characters escaped, long text cut."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.6g}"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(format_value(v) for v in value)
    elif isinstance(value, (bytes, bytearray)):
        text = bytes(value[:MAX_VALUE_CHARS]).hex()
    elif isinstance(value, (str, IPv4Address, IPv6Address)):
        text = str(value)
    else:
        text = repr(value)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if len(text) > MAX_VALUE_CHARS:
        text = text[:MAX_VALUE_CHARS] + "…"
    return text


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed ``{field}`` template. Rendering is one pass over pre-split parts, so a value
    that contains ``{`` is copied as text, never expanded again."""

    text: str
    parts: tuple[str | tuple[str], ...]

    @classmethod
    def parse(cls, text: str) -> Template:
        parts: list[str | tuple[str]] = []
        buf: list[str] = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "{" and text.startswith("{{", i):
                buf.append("{")
                i += 2
            elif c == "}" and text.startswith("}}", i):
                buf.append("}")
                i += 2
            elif c == "{":
                end = text.find("}", i + 1)
                if end < 0 or "{" in text[i + 1:end]:
                    raise TemplateError("'{' is not closed (write '{{' for a brace)", i + 1)
                name = text[i + 1:end]
                if not NAME_RE.match(name):
                    raise TemplateError(f"bad placeholder '{{{name}}}': expected a dotted "
                                        "field name such as {tls.sni}", i + 1)
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append((name,))
                i = end + 1
            elif c == "}":
                raise TemplateError("'}' without '{' (write '}}' for a brace)", i + 1)
            else:
                buf.append(c)
                i += 1
        if buf:
            parts.append("".join(buf))
        return cls(text, tuple(parts))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(p[0] for p in self.parts if isinstance(p, tuple))

    def render(self, event: Event) -> str:
        """Fill the placeholders from ``event``; a missing (or null) field renders as ``?``."""
        return "".join(p if isinstance(p, str) else format_value(event.get(p[0]))
                       for p in self.parts)


# ---------------------------------------------------------------------------------------------
# Locations and the rule itself.

@dataclass(frozen=True, slots=True)
class RuleIssue:
    """One problem in a rule file, printed as ``path:line: message``."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else \
            f"{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class RuleTest:
    """One of a rule's own test captures and the counts its analysis must produce.

    ``capture`` is resolved against the rule file's directory. ``findings`` and
    ``observations`` count the items carrying this rule's id; None means "not checked".
    """

    capture: Path
    findings: int | None
    observations: int | None
    description: str
    line: int


def _never(event: Event) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class Rule:
    """A loaded, validated and compiled rule. ``matches(event)`` runs the compiled
    detection; it expects an event of type :attr:`event`."""

    id: str
    version: int
    title: str
    mechanism: str
    event: str
    condition: str
    confidence: float
    summary: Template
    trigger: Template | None = None
    observation_only: bool = False
    description: str = ""
    references: tuple[str, ...] = ()
    falsepositives: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    """Fields whose values a finding lists as its evidence (default: every field the
    detection and summary read)."""
    tests: tuple[RuleTest, ...] = ()
    selections: tuple[str, ...] = ()
    fields: frozenset[str] = frozenset()
    path: Path | None = None
    line: int = 1
    source: str = ""
    matcher: Predicate = field(default=_never, repr=False, compare=False)

    def matches(self, event: Event) -> bool:
        return self.matcher(event)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.path else f"<rule {self.id}>"
