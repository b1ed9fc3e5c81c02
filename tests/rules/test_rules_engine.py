"""Engine semantics: selections, modifiers, conditions, summary rendering."""

from __future__ import annotations

import ipaddress
import itertools
import time
from typing import Any

import pytest
from analyzer.rules import (
    Rule,
    RuleSet,
    Template,
    evaluate,
    load_rule_text,
)
from analyzer.rules.condition import ConditionError, compile_text, parse
from analyzer.rules.schema import TemplateError, format_value
from rule_registry import make_registry

REG = make_registry()


def rule(detection: str, event: str = "tls.handshake", summary: str = "x",
         rule_id: str = "test-rule") -> Rule:
    body = "\n".join("  " + line for line in detection.strip("\n").splitlines())
    text = (f"id: {rule_id}\nversion: 1\ntitle: t\nmechanism: blackhole\nevent: {event}\n"
            f"detection:\n{body}\nconfidence: 0.5\nsummary: '{summary}'\n")
    return load_rule_text(text, registry=REG)


def one(key_value: str, event: str = "tls.handshake") -> Rule:
    return rule(f"sel:\n  {key_value}\ncondition: sel", event)


# --- values and modifiers --------------------------------------------------------------------

def test_list_value_is_or() -> None:
    r = one("tls.sni: [a.example.org, b.example.org]")
    assert r.matches({"tls.sni": "a.example.org"})
    assert r.matches({"tls.sni": "b.example.org"})
    assert not r.matches({"tls.sni": "c.example.org"})


def test_all_modifier_makes_the_list_and() -> None:
    r = one("tls.sni|contains|all: [foo, bar]")
    assert r.matches({"tls.sni": "foo.bar.org"})
    assert not r.matches({"tls.sni": "foo.org"})
    assert one("tls.sni|contains: [foo, bar]").matches({"tls.sni": "foo.org"})


@pytest.mark.parametrize(("key", "hit", "miss"), [
    ("tls.sni: WWW.Example.ORG", "www.example.org", "www.example.com"),
    ("tls.sni|contains: EXAMPLE", "www.example.org", "www.exampl.org"),
    ("tls.sni|startswith: WWW.", "www.example.org", "ww.example.org"),
    ("tls.sni|endswith: .ORG", "www.example.org", "www.example.orgx"),
    ("tls.sni|re: '^www\\.EXAMPLE\\.'", "WWW.example.org", "xwww.example.org"),
])
def test_string_compare_ignores_case_by_default(key: str, hit: str, miss: str) -> None:
    r = one(key)
    assert r.matches({"tls.sni": hit})
    assert not r.matches({"tls.sni": miss})


@pytest.mark.parametrize(("key", "hit", "miss"), [
    ("tls.sni|cased: Example.org", "Example.org", "example.org"),
    ("tls.sni|cased|contains: EXAMPLE", "www.EXAMPLE.org", "www.example.org"),
    ("tls.sni|startswith|cased: WWW", "WWW.a", "www.a"),
    ("tls.sni|endswith|cased: .ORG", "a.ORG", "a.org"),
    ("tls.sni|re|cased: '^WWW'", "WWW.a", "www.a"),
])
def test_cased_compares_exactly(key: str, hit: str, miss: str) -> None:
    r = one(key)
    assert r.matches({"tls.sni": hit})
    assert not r.matches({"tls.sni": miss})


def test_re_is_re2_linear_time() -> None:
    r = one("tls.sni|re: '(a+)+$'")
    hostile = "a" * 100_000 + "!"
    t0 = time.perf_counter()
    assert not r.matches({"tls.sni": hostile})
    assert r.matches({"tls.sni": "a" * 100_000})
    assert time.perf_counter() - t0 < 0.5


def test_re_searches_anywhere_unless_anchored() -> None:
    assert one("tls.sni|re: 'ample'").matches({"tls.sni": "www.example.org"})
    assert not one("tls.sni|re: '^ample'").matches({"tls.sni": "www.example.org"})


@pytest.mark.parametrize(("value", "expected"), [
    ("10.1.2.3", True),
    (ipaddress.ip_address("10.255.0.1"), True),
    ("fd00::1", True),
    ("::ffff:10.0.0.1", True),  # IPv4-mapped IPv6 is the IPv4 address
    ("8.8.8.8", False),
    ("2001:db8::1", False),
    ("not-an-address", False),
    (167837953, False),  # wrong runtime type: no match, no error
])
def test_cidr_v4_and_v6(value: Any, expected: bool) -> None:
    r = one("server.ip|cidr: [10.0.0.0/8, 'fc00::/7']")
    assert r.matches({"server.ip": value}) is expected


def test_ip_equality_and_list_fields() -> None:
    assert one("server.ip: 2001:db8::1").matches({"server.ip": "2001:DB8:0::1"})
    r = one("dns.answers|cidr: 10.0.0.0/8", "dns.response")
    assert r.matches({"dns.answers": ["8.8.8.8", "10.10.34.35"]})  # any element
    assert not r.matches({"dns.answers": ["8.8.8.8"]})
    assert not r.matches({"dns.answers": []})


@pytest.mark.parametrize(("op", "results"), [
    ("gt", (False, False, True)),
    ("gte", (False, True, True)),
    ("lt", (True, False, False)),
    ("lte", (True, True, False)),
])
def test_numeric_comparisons(op: str, results: tuple[bool, bool, bool]) -> None:
    r = one(f"tcp.rst.count|{op}: 2")
    assert tuple(r.matches({"tcp.rst.count": v}) for v in (1, 2, 3)) == results
    f = one(f"rst.delay_ms|{op}: 20")
    assert tuple(f.matches({"rst.delay_ms": v}) for v in (19.5, 20.0, 20.5)) == results


def test_numeric_ignores_wrong_runtime_types() -> None:
    r = one("tcp.rst.count|gte: 1")
    assert not r.matches({"tcp.rst.count": "3"})
    assert not r.matches({"tcp.rst.count": True})


def test_exists() -> None:
    yes, no = one("rst.ttl|exists: true"), one("rst.ttl|exists: false")
    assert yes.matches({"rst.ttl": 0}) and not no.matches({"rst.ttl": 0})
    assert not yes.matches({}) and no.matches({})
    assert not yes.matches({"rst.ttl": None}) and no.matches({"rst.ttl": None})


def test_fieldref() -> None:
    ne = one("rst.ttl|fieldref|ne: server.ttl")
    assert ne.matches({"rst.ttl": 185, "server.ttl": 51})
    assert not ne.matches({"rst.ttl": 51, "server.ttl": 51})
    assert not ne.matches({"rst.ttl": 185})  # missing reference: no claim
    gt = one("rst.ttl|gt|fieldref: server.ttl")  # flags go anywhere
    assert gt.matches({"rst.ttl": 52, "server.ttl": 51})
    assert not gt.matches({"rst.ttl": 51, "server.ttl": 51})
    ips = one("client.ip|fieldref: server.ip")
    assert ips.matches({"client.ip": "::ffff:1.2.3.4", "server.ip": "1.2.3.4"})
    s = one("tls.sni|fieldref: trigger.kind")
    assert s.matches({"tls.sni": "ABC", "trigger.kind": "abc"})
    assert not one("tls.sni|fieldref|cased: trigger.kind").matches(
        {"tls.sni": "ABC", "trigger.kind": "abc"})


def test_abs_and_len_transforms() -> None:
    r = one("rst.ttl_delta|abs|gte: 10")
    assert r.matches({"rst.ttl_delta": -134}) and r.matches({"rst.ttl_delta": 10})
    assert not r.matches({"rst.ttl_delta": -9})
    n = one("dns.answers|len|gte: 2", "dns.response")
    assert n.matches({"dns.answers": ["1.1.1.1", "2.2.2.2"]})
    assert not n.matches({"dns.answers": ["1.1.1.1"]})
    assert one("tls.sni|len|gt: 3").matches({"tls.sni": "abcd"})


def test_not_and_ne() -> None:
    r = one("tls.sni|not|endswith: [a.org, b.org]")
    assert r.matches({"tls.sni": "c.org"})
    assert not r.matches({"tls.sni": "x.b.org"})
    assert not r.matches({})  # a missing field never matches, even negated
    ne = one("trigger.kind|ne: tls-sni")
    assert ne.matches({"trigger.kind": "http-host"}) and not ne.matches(
        {"trigger.kind": "TLS-SNI"})


def test_bool_field() -> None:
    r = one("flow.server_rst_in_window: true")
    assert r.matches({"flow.server_rst_in_window": True})
    assert not r.matches({"flow.server_rst_in_window": False})
    assert not r.matches({"flow.server_rst_in_window": 1})


def test_selection_map_is_and_list_of_maps_is_or() -> None:
    both = rule("sel:\n  tls.sni: a.org\n  tcp.rst.count|gte: 1\ncondition: sel")
    assert both.matches({"tls.sni": "a.org", "tcp.rst.count": 1})
    assert not both.matches({"tls.sni": "a.org", "tcp.rst.count": 0})
    either = rule("sel:\n  - tls.sni: a.org\n  - tcp.rst.count|gte: 1\ncondition: sel")
    assert either.matches({"tls.sni": "a.org", "tcp.rst.count": 0})
    assert either.matches({"tls.sni": "b.org", "tcp.rst.count": 1})
    assert not either.matches({"tls.sni": "b.org", "tcp.rst.count": 0})


# --- conditions ------------------------------------------------------------------------------

SELS = "a:\n  tls.sni: a\nb:\n  rst.ttl: 1\nc:\n  server.ttl: 1\n"


def _event(a: bool, b: bool, c: bool) -> dict[str, Any]:
    return {"tls.sni": "a" if a else "x", "rst.ttl": 1 if b else 0,
            "server.ttl": 1 if c else 0}


@pytest.mark.parametrize(("condition", "truth"), [
    ("a or b and not c", lambda a, b, c: a or (b and not c)),
    ("not a and b or c", lambda a, b, c: ((not a) and b) or c),
    ("not (a or b) and c", lambda a, b, c: (not (a or b)) and c),
    ("a and (b or c)", lambda a, b, c: a and (b or c)),
    ("not not (a or b or c)", lambda a, b, c: a or b or c),
    ("1 of them", lambda a, b, c: a or b or c),
    ("all of them", lambda a, b, c: a and b and c),
    ("a and not 1 of them", lambda a, b, c: False),
])
def test_condition_precedence(condition: str, truth: Any) -> None:
    r = rule(SELS + f"condition: {condition}")
    for a, b, c in itertools.product((False, True), repeat=3):
        assert r.matches(_event(a, b, c)) is bool(truth(a, b, c)), (a, b, c)


def test_of_with_patterns_and_underscore() -> None:
    sels = ("sel_a:\n  tls.sni: a\nsel_b:\n  rst.ttl: 1\n_filter:\n  server.ttl: 1\n")
    any_sel = rule(sels + "condition: 1 of sel_* and not _filter")
    every = rule(sels + "condition: all of sel* and not _filter")
    # `them` leaves out _filter (the tautology only marks _filter as used)
    them = rule(sels + "condition: all of them and (_filter or not _filter)")
    ev = _event(True, False, False)
    assert any_sel.matches(ev) and not every.matches(ev) and not them.matches(ev)
    ev = _event(True, True, False)
    assert every.matches(ev) and them.matches(ev)
    ev = _event(True, True, True)
    assert not every.matches(ev) and them.matches(ev)
    assert not them.matches(_event(True, False, True))


@pytest.mark.parametrize(("text", "column", "message"), [
    ("", 1, "the condition is empty"),
    ("a and", 6, "expected a selection name, 'not', '(', '1 of' or 'all of', got the end"),
    ("a b", 3, "expected 'and', 'or' or the end of the condition, got 'b'"),
    ("(a or b", 8, "expected ')' to close the '(' at column 1"),
    ("a or b)", 7, "expected 'and', 'or' or the end of the condition, got ')'"),
    ("2 of them", 1, "'2 of' is not supported; use '1 of' or 'all of'"),
    ("1 them", 3, "expected 'of' after '1', got 'them'"),
    ("all of (a)", 8, "expected 'them' or a selection name pattern"),
    ("a* or b", 1, "wildcard in 'a*' is allowed only after '1 of' or 'all of'"),
    ("a and $b", 7, "unexpected character '$'"),
    ("a and or", 7, "expected a selection name, 'not', '(', '1 of' or 'all of', got 'or'"),
])
def test_condition_syntax_errors(text: str, column: int, message: str) -> None:
    with pytest.raises(ConditionError) as err:
        parse(text)
    assert err.value.column == column
    assert err.value.args[0].startswith(message)


def test_condition_resolution_errors() -> None:
    preds = {"sel": lambda ev: True, "other": lambda ev: False}
    with pytest.raises(ConditionError) as err:
        compile_text("sel and nope", preds)
    assert (err.value.column, err.value.args[0]) == (
        9, "unknown selection 'nope'; defined: other, sel")
    with pytest.raises(ConditionError, match="'x_\\*' matches no selection"):
        compile_text("1 of x_*", preds)
    fn, used = compile_text("sel or other", preds)
    assert fn({}) and used == {"sel", "other"}


# --- evaluation and summaries ----------------------------------------------------------------

def test_evaluate_picks_rules_by_event_type() -> None:
    tls = rule("sel:\n  tls.sni|exists: true\ncondition: sel", rule_id="tls-rule",
               summary="{tls.sni}")
    dns = rule("sel:\n  dns.qname|exists: true\ncondition: sel", event="dns.response",
               rule_id="dns-rule")
    rules = RuleSet([tls, dns])
    assert rules.for_event("tls.handshake") == (tls,)
    matches = evaluate(rules, "tls.handshake", {"tls.sni": "a.org"})
    assert [(m.rule.id, m.event_type, m.summary()) for m in matches] == [
        ("tls-rule", "tls.handshake", "a.org")]
    assert evaluate(rules, "dns.response", {"tls.sni": "a.org"}) == []
    assert evaluate(rules, "nope", {"tls.sni": "a.org"}) == []
    assert [m.rule.id for m in evaluate([tls, dns], "dns.response", {"dns.qname": "x"})] == [
        "dns-rule"]
    assert matches[0].is_finding and matches[0].trigger() is None


def test_summary_missing_fields_and_formatting() -> None:
    tpl = Template.parse("{tcp.rst.count} RST {rst.delay_ms} ms for {tls.sni}; alpn {tls.alpn}"
                         " {flow.server_rst_in_window} {{literal}} {server.ip}")
    ev = {"tcp.rst.count": 3, "rst.delay_ms": 21.0, "tls.alpn": ["h2", "http/1.1"],
          "flow.server_rst_in_window": False, "server.ip": ipaddress.ip_address("::1")}
    assert tpl.render(ev) == "3 RST 21 ms for ?; alpn h2, http/1.1 false {literal} ::1"
    assert tpl.render({}) == "? RST ? ms for ?; alpn ? ? {literal} ?"


def test_summary_hostile_values_are_text() -> None:
    tpl = Template.parse("{tls.sni} / {trigger.kind}")
    ev = {"tls.sni": "{trigger.kind}{0.__class__}", "trigger.kind": "a\nb\x1b[31m"}
    assert tpl.render(ev) == "{trigger.kind}{0.__class__} / a\\x0ab\\x1b[31m"
    # a placeholder is a plain key look-up, never attribute access or formatting
    assert Template.parse("{0.__class__}").render({"0": object()}) == "?"
    long = tpl.render({"tls.sni": "x" * 1000})
    assert long == "x" * 200 + "… / ?"


@pytest.mark.parametrize(("text", "column", "message"), [
    ("{tls.sni", 1, "'{' is not closed"),
    ("a } b", 3, "'}' without '{'"),
    ("{}", 1, "bad placeholder '{}'"),
    ("{tls.sni!r}", 1, "bad placeholder '{tls.sni!r}'"),
    ("{tls.SNI}", 1, "bad placeholder '{tls.SNI}'"),
])
def test_template_syntax_errors(text: str, column: int, message: str) -> None:
    with pytest.raises(TemplateError) as err:
        Template.parse(text)
    assert err.value.column == column and str(err.value).startswith(message)


def test_format_value() -> None:
    assert format_value(0.923456789) == "0.923457"
    assert format_value(None) == "?"
    assert format_value(True) == "true"
    assert format_value(b"\x01\xff") == "01ff"


@pytest.mark.parametrize("key", [
    "flow.server_rst_in_window: true", "flow.server_rst_in_window: false",
    "tls.sni: WWW.Example.ORG", "tls.sni: [a.example.org, B.example.org]",
    "tls.sni|ne: www.example.org",
    "tcp.rst.count|gt: 2", "tcp.rst.count|gte: 2", "tcp.rst.count|lt: 2",
    "tcp.rst.count|lte: 2", "rst.delay_ms|lte: 20", "rst.delay_ms|gt: 20.5",
    "tls.alpn: H2", "tls.alpn: [h2, http/1.1]", "tcp.rst.count|ne: 2", "tcp.rst.count: 2",
    "rst.delay_ms: 20",
])
def test_scalar_fast_path_agrees_with_the_general_one(key: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.rules import modifiers

    field = key.split("|")[0].split(":")[0]
    values: list[Any] = [None, True, False, 0, 1, 2, 3, -1, 19.5, 20.0, 20.5, float("nan"),
                         float("inf"), "2", "", "www.example.org", "WWW.EXAMPLE.ORG",
                         "a.example.org", "b.example.org", "c.example.org", ["a.example.org"],
                         {"x": 1}, ipaddress.ip_address("192.0.2.1"), "h2", "H2", [], ["h2"],
                         ("x", "HTTP/1.1"), [None, 3, "h2"], ["h3"]]
    fast = one(key)
    monkeypatch.setattr(modifiers, "_scalar_fast", lambda *a: None)
    general = one(key)
    assert fast.matcher is not general.matcher
    for v in values:
        ev = {field: v}
        assert fast.matches(ev) == general.matches(ev), (key, v)
    assert fast.matches({}) is general.matches({}) is False
