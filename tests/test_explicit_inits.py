"""The frozen dataclasses that write their ``__init__`` out (``init=False``, for speed once
compiled) must behave as the generated one would: parameters named and ordered as the fields
(defaults included), every field set to its argument, and the instance still frozen.

A field added to one of these classes without its line in ``__init__`` fails here.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import pytest
from analyzer import events, extract
from analyzer.protocols import dns

ROOT = Path(__file__).resolve().parent.parent
EXPLICIT = [
    events.DnsAnswer, events.DnsResponse, events.DnsTransaction, events.TlsCertificateInfo,
    events.TlsAlertInfo, events.TlsHandshakeEvent, events.HttpExchange,
    events.QuicHandshakeEvent, events.FirstPayload, dns.DnsQuestion, dns.DnsRecord, dns.Edns,
    dns.DnsMessage,
    extract._DnsParsed,
]


def _explicit_classes() -> set[type]:
    """Every frozen dataclass of these modules declared with init=False."""
    found = set()
    for mod in (events, extract, dns):
        for obj in vars(mod).values():
            if isinstance(obj, type) and dataclasses.is_dataclass(obj) \
                    and obj.__module__ == mod.__name__ \
                    and not obj.__dataclass_params__.init:  # type: ignore[attr-defined]
                found.add(obj)
    return found


def test_the_list_is_complete() -> None:
    assert _explicit_classes() == set(EXPLICIT)


@pytest.mark.parametrize("cls", EXPLICIT, ids=lambda c: c.__name__)
def test_init_sets_every_field_in_order(cls: type) -> None:
    fields = dataclasses.fields(cls)
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    if [p.kind for p in params] != [inspect.Parameter.VAR_POSITIONAL,
                                    inspect.Parameter.VAR_KEYWORD]:  # (compiled: opaque)
        assert [p.name for p in params] == [f.name for f in fields]
        for p, f in zip(params, fields, strict=True):
            want = f.default if f.default is not dataclasses.MISSING else inspect.Parameter.empty
            assert p.default == want, f.name
    # distinct values per field (the compiled classes check types: give each its own kind)
    sample = {f.name: _value_for(cls, f.name) for f in fields}
    obj = cls(*sample.values())
    assert {f.name: getattr(obj, f.name) for f in fields} == sample
    with pytest.raises(TypeError):  # every field is a required parameter, no more
        cls(*sample.values(), None)
    assert obj == cls(**sample)
    assert hash(obj) == hash(cls(**sample))
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, fields[0].name, sample[fields[0].name])


_SOURCES = {events: "events.py", extract: "extract.py", dns: "protocols/dns.py"}


def _annotations(cls: type) -> dict[str, str]:
    """The field annotations as written in the source (compiled classes keep other forms)."""
    mod = next(m for m in _SOURCES if m.__name__ == cls.__module__)
    tree = ast.parse((ROOT / "analyzer" / _SOURCES[mod]).read_text())
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
    return {st.target.id: ast.unparse(st.annotation) for st in node.body
            if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name)}


def _value_for(cls: type, name: str) -> object:
    """A value of the field's type that no other field of the sample shares."""
    text = _annotations(cls)[name]
    salt = sum(map(ord, name))
    if text in ("bool", "bool | None"):
        return salt % 2 == 0
    if text in ("int", "int | None"):
        return salt
    if text in ("float", "float | None"):
        return salt + 0.5
    if text in ("str", "str | None"):
        return f"v-{name}"
    if text == "bytes":
        return name.encode()
    if text.startswith("tuple"):
        return (salt,) if text == "tuple[int, ...]" else ()
    if text == "Edns | None":
        return None
    if text == "dnsp.DnsMessage":
        return dns.DnsMessage(*[_value_for(dns.DnsMessage, f.name)
                                for f in dataclasses.fields(dns.DnsMessage)])
    raise AssertionError(f"no sample value for {cls.__name__}.{name}: {text}")
