"""Loading rule files: every kind of error is reported with its exact file:line and, where
there is a vocabulary, the allowed values."""

from __future__ import annotations

from pathlib import Path

import pytest
from analyzer.errors import RuleError
from analyzer.rules import (
    MECHANISMS,
    MODIFIERS,
    EventRegistry,
    FieldSpec,
    collect_rules,
    load_rule_file,
    load_rules,
)
from analyzer.rules.loader import TOP_LEVEL_KEYS, check_rule_text
from rule_registry import DATA, make_registry

REG = make_registry()
HANDSHAKE_FIELDS = ", ".join(sorted(REG.get("tls.handshake").fields))  # type: ignore[union-attr]

BASE = """\
id: rst-injection/ttl-mismatch-after-sni
version: 1
title: RSTs after a ClientHello whose TTL differs
description: A test rule.
mechanism: rst-injection
event: tls.handshake
detection:
  trigger:
    tls.sni|endswith: .example.org
  forged:
    rst.ttl|fieldref|ne: server.ttl
    tcp.rst.count|gte: 1
  benign:
    flow.server_rst_in_window: true
  condition: trigger and forged and not benign
confidence: 0.9
trigger: tls-sni
summary: "{tcp.rst.count} RST for {tls.sni}; TTL {rst.ttl} vs {server.ttl}"
"""


def write_rule(root: Path, text: str, rule_id: str = "rst-injection/ttl-mismatch-after-sni"
               ) -> Path:
    path = root / f"{rule_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def issues_of(tmp_path: Path, text: str) -> tuple[Path, list[str]]:
    path = write_rule(tmp_path, text)
    rules, issues = collect_rules([tmp_path], registry=REG)
    assert not rules or not issues
    return path, [str(i) for i in issues]


def test_base_rule_is_valid(tmp_path: Path) -> None:
    path, issues = issues_of(tmp_path, BASE)
    assert issues == []
    rule = load_rule_file(path, root=tmp_path, registry=REG)
    assert rule.id == "rst-injection/ttl-mismatch-after-sni"
    assert rule.mechanism == "rst-injection" and rule.event == "tls.handshake"
    assert rule.confidence == 0.9 and rule.version == 1
    assert rule.selections == ("trigger", "forged", "benign")
    assert rule.fields >= {"tls.sni", "rst.ttl", "server.ttl", "tcp.rst.count",
                           "flow.server_rst_in_window"}


CASES = [
    # (name, old text, new text, expected line, expected message)
    ("duplicate key", "    tcp.rst.count|gte: 1\n",
     "    tcp.rst.count|gte: 1\n    tcp.rst.count|gte: 2\n", 13,
     "YAML: duplicate key 'tcp.rst.count|gte' (first at line 12)"),
    ("unknown field", "tcp.rst.count|gte", "tcp.rst.cont|gte", 12,
     "unknown field 'tcp.rst.cont' for event type 'tls.handshake' (did you mean "
     f"'tcp.rst.count'?); allowed: {HANDSHAKE_FIELDS}"),
    ("unknown modifier", "tls.sni|endswith", "tls.sni|endwith", 9,
     "unknown modifier 'endwith' in 'tls.sni|endwith' (did you mean 'endswith'?); "
     f"allowed: {', '.join(sorted(MODIFIERS))}"),
    ("unknown mechanism", "mechanism: rst-injection", "mechanism: rst_injection", 5,
     "unknown mechanism 'rst_injection' (did you mean 'rst-injection'?); allowed: "
     "dns-injection, dns-tampering, rst-injection, packet-injection, blockpage, tls-mitm, "
     "blackhole, throttling, residual-blocking"),
    ("bad regex", "tls.sni|endswith: .example.org", 'tls.sni|re: "(a"', 9,
     "invalid regular expression '(a' in 'tls.sni|re': missing ): (a (RE2 syntax: no "
     "backreferences or lookaround)"),
    ("lookaround is not RE2", "tls.sni|endswith: .example.org", "tls.sni|re: '(?=a)b'", 9,
     "invalid regular expression '(?=a)b' in 'tls.sni|re': invalid perl operator: (?= "
     "(RE2 syntax: no backreferences or lookaround)"),
    ("condition syntax", "condition: trigger and forged and not benign",
     "condition: trigger and (forged or not benign", 15,
     "condition, column 34: expected ')' to close the '(' at column 13, got the end of the "
     "condition"),
    ("condition stray token", "condition: trigger and forged and not benign",
     "condition: trigger and forged benign", 15,
     "condition, column 20: expected 'and', 'or' or the end of the condition, got 'benign'"),
    ("unknown selection", "condition: trigger and forged and not benign",
     "condition: trigger and forgd and not benign", 15,
     "condition, column 13: unknown selection 'forgd'; defined: benign, forged, trigger"),
    ("confidence", "confidence: 0.9", "confidence: 1.5", 16, "confidence 1.5 is outside 0..1"),
    ("confidence type", "confidence: 0.9", "confidence: high", 16,
     "'confidence' must be a number from 0 to 1, not a string"),
    ("unknown top-level key", "version: 1\n", "version: 1\nseverity: high\n", 3,
     f"unknown key 'severity'; allowed: {', '.join(TOP_LEVEL_KEYS)}"),
    ("unknown event type", "event: tls.handshake", "event: tls.handshak", 6,
     "unknown event type 'tls.handshak' (did you mean 'tls.handshake'?); allowed: "
     "dns.response, tls.handshake"),
    ("summary field", "{tls.sni};", "{tls.sn};", 18,
     "summary: unknown field '{tls.sn}' for event type 'tls.handshake' (did you mean "
     f"'tls.sni'?); allowed: {HANDSHAKE_FIELDS}"),
    ("summary brace", "{tls.sni};", "{tls.sni;", 18,
     "summary, column 25: '{' is not closed (write '{{' for a brace)"),
    ("trigger field", "trigger: tls-sni", "trigger: '{trigger.knd}'", 17,
     "trigger: unknown field '{trigger.knd}' for event type 'tls.handshake' (did you mean "
     f"'trigger.kind'?); allowed: {HANDSHAKE_FIELDS}"),
    ("missing key", "confidence: 0.9\n", "", 1, "missing required key 'confidence'"),
    ("version", "version: 1", "version: 0", 2, "'version' must be an integer >= 1, not 0"),
    ("bad network", "tls.sni|endswith: .example.org", "server.ip|cidr: 10.0.0.1/8", 9,
     "'server.ip|cidr': bad network '10.0.0.1/8': 10.0.0.1/8 has host bits set"),
    ("str field, int value", "tls.sni|endswith: .example.org", "tls.sni: 443", 9,
     "'tls.sni' compares a str field with int 443; quote the value"),
    ("numeric op on str", "tls.sni|endswith: .example.org", "tls.sni|gt: 3", 9,
     "'gt' applies to int and float fields; 'tls.sni' is str"),
    ("ne with a list", "rst.ttl|fieldref|ne: server.ttl", "rst.ttl|ne: [1, 2]", 11,
     "'rst.ttl|ne' takes one value; to say 'none of these' write 'rst.ttl|not: [...]'"),
    ("two operators", "tcp.rst.count|gte: 1", "tcp.rst.count|gte|lt: 1", 12,
     "'tcp.rst.count|gte|lt' has two operators, 'gte' and 'lt'; one at most"),
    ("fieldref to unknown field", "fieldref|ne: server.ttl", "fieldref|ne: server.tll", 11,
     "unknown field 'server.tll' for event type 'tls.handshake' (did you mean "
     f"'server.ttl'?); allowed: {HANDSHAKE_FIELDS}"),
    ("fieldref type", "fieldref|ne: server.ttl", "fieldref|ne: tls.sni", 11,
     "'rst.ttl|fieldref|ne' compares int with 'tls.sni', which is str"),
    ("null value", "tcp.rst.count|gte: 1", "tcp.rst.count:", 12,
     "'tcp.rst.count' has a null value; to test that a field is absent use "
     "'tcp.rst.count|exists: false'"),
    ("unused selection", "  benign:\n", "  unused:\n    tls.sni: x\n  benign:\n", 13,
     "selection 'unused' is not used by the condition"),
    ("alias", "trigger: tls-sni", "trigger: &t tls-sni", 17,
     "YAML: anchors and aliases (& and *) are not allowed in rule files"),
    ("yaml syntax", "title: RSTs after", "title: [RSTs after", 4,
     "YAML: while parsing a flow sequence; expected ',' or ']', but got ':'"),
    ("bad id", "id: rst-injection/ttl-mismatch-after-sni", "id: RST_injection", 1,
     "bad rule id 'RST_injection': lower-case letters, digits and '-', segments separated "
     "by '/' (e.g. rst-injection/ttl-mismatch-after-sni)"),
]


@pytest.mark.parametrize(("old", "new", "line", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_error_has_file_line_and_allowed_values(tmp_path: Path, old: str, new: str,
                                                line: int, message: str) -> None:
    assert old in BASE
    path, issues = issues_of(tmp_path, BASE.replace(old, new, 1))
    assert issues == [f"{path}:{line}: {message}"]


def test_all_errors_of_a_file_are_collected(tmp_path: Path) -> None:
    text = (BASE.replace("mechanism: rst-injection", "mechanism: rst_injection")
            .replace("confidence: 0.9", "confidence: 1.5")
            .replace("tcp.rst.count|gte", "tcp.rst.cont|gte"))
    path, issues = issues_of(tmp_path, text)
    assert [i.split(": ", 1)[0] for i in issues] == [f"{path}:5", f"{path}:12", f"{path}:16"]


def test_fail_fast_raises_the_first_error(tmp_path: Path) -> None:
    text = BASE.replace("mechanism: rst-injection", "mechanism: rst_injection").replace(
        "confidence: 0.9", "confidence: 1.5")
    path = write_rule(tmp_path, text)
    with pytest.raises(RuleError) as err:
        load_rules([tmp_path], builtin=False, registry=REG)
    assert str(err.value).startswith(f"{path}:5: unknown mechanism 'rst_injection'")


def test_id_must_match_the_file_place(tmp_path: Path) -> None:
    path = write_rule(tmp_path, BASE, "rst-injection/other-name")
    _, issues = collect_rules([tmp_path], registry=REG)
    expected = tmp_path / "rst-injection" / "ttl-mismatch-after-sni.yaml"
    assert [str(i) for i in issues] == [
        f"{path}:1: rule id 'rst-injection/ttl-mismatch-after-sni' does not match the file's "
        f"place: it must be {expected}"]


def test_a_file_named_directly_must_end_with_its_id(tmp_path: Path) -> None:
    good = write_rule(tmp_path / "a", BASE)
    assert load_rule_file(good, registry=REG).id == "rst-injection/ttl-mismatch-after-sni"
    bad = tmp_path / "ttl-mismatch-after-sni.yaml"
    bad.write_text(BASE)
    with pytest.raises(RuleError, match=r"must be DIR/rst-injection/ttl-mismatch-after-sni"):
        load_rule_file(bad, registry=REG)


def test_duplicate_id_across_dirs_names_both_files(tmp_path: Path) -> None:
    first = write_rule(tmp_path / "one", BASE)
    second = write_rule(tmp_path / "two", BASE)
    rules, issues = collect_rules([tmp_path / "one", tmp_path / "two"], registry=REG)
    assert len(rules) == 1
    assert [str(i) for i in issues] == [
        f"{second}:1: duplicate rule id 'rst-injection/ttl-mismatch-after-sni' (also defined "
        f"in {first}:1)"]
    with pytest.raises(RuleError, match="duplicate rule id"):
        load_rules([tmp_path / "one", tmp_path / "two"], builtin=False, registry=REG)


def test_test_captures_resolve_next_to_the_rule(tmp_path: Path) -> None:
    text = BASE + ("tests:\n  - capture: cases/hit.pcap\n    expect: {findings: 1}\n"
                   "  - capture: cases/none.pcap\n    expect: {findings: 0, observations: 2}\n")
    path = write_rule(tmp_path, text)
    (path.parent / "cases").mkdir()
    (path.parent / "cases" / "hit.pcap").write_bytes(b"")
    _, issues = collect_rules([tmp_path], registry=REG)
    assert [str(i) for i in issues] == [
        f"{path}:22: test capture not found: {path.parent / 'cases' / 'none.pcap'}"]
    rule = load_rule_file(path, root=tmp_path, registry=REG)  # analysis does not check
    assert [(t.capture, t.findings, t.observations) for t in rule.tests] == [
        (path.parent / "cases" / "hit.pcap", 1, None),
        (path.parent / "cases" / "none.pcap", 0, 2)]


def test_bad_test_entries(tmp_path: Path) -> None:
    text = BASE + ("tests:\n  - capture: x.pcap\n    expect: {finding: 1}\n"
                   "  - capture: x.pcap\n    expect: {findings: -1}\n    when: now\n")
    (tmp_path / "rst-injection").mkdir()
    (tmp_path / "rst-injection" / "x.pcap").write_bytes(b"")
    path, issues = issues_of(tmp_path, text)
    assert issues == [
        f"{path}:21: unknown expect key 'finding' (did you mean 'findings'?); allowed: "
        "findings, observations",
        f"{path}:23: 'findings' must be a count >= 0, not -1",
        f"{path}:24: unknown test key 'when'; allowed: capture, expect, description"]


def test_yml_extension_and_missing_dir(tmp_path: Path) -> None:
    (tmp_path / "rule.yml").write_text(BASE)
    _, issues = collect_rules([tmp_path, tmp_path / "nope"], registry=REG)
    assert [str(i) for i in issues] == [
        f"{tmp_path / 'rule.yml'}: rule files end in .yaml, not .yml",
        f"{tmp_path / 'nope'}: no such file or directory"]


def test_not_a_mapping_and_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- just\n- a list\n")
    (tmp_path / "b.yaml").write_bytes(b"id: x\ntitle: \xff\n")
    _, issues = collect_rules([tmp_path], registry=REG)
    assert [str(i) for i in issues] == [
        f"{tmp_path / 'a.yaml'}:1: a rule file holds one mapping (id:, title:, mechanism: "
        "...), not a list",
        f"{tmp_path / 'b.yaml'}:2: not UTF-8 text"]


def test_good_fixture_dir_loads() -> None:
    rules = load_rules([DATA / "good"], builtin=False, registry=REG)
    assert sorted(r.id for r in rules) == ["dns-tampering/bogon-answer",
                                           "rst-injection/ttl-mismatch-after-sni"]
    bogon = rules.get("dns-tampering/bogon-answer")
    assert bogon is not None and bogon.observation_only and bogon.version == 2
    assert all(r.source.endswith(f"{r.id}.yaml") for r in rules)


def test_builtin_source_and_mechanisms_vocabulary(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.rules import loader
    monkeypatch.setattr(loader, "builtin_rule_dirs", lambda: [DATA / "good"])
    rules = load_rules([], registry=REG)
    assert {r.source for r in rules} == {"builtin"}
    assert len(MECHANISMS) == 9 and "residual-blocking" in MECHANISMS


def test_check_rule_text_without_a_file() -> None:
    rule, issues = check_rule_text(BASE, registry=REG)
    assert issues == [] and rule is not None and rule.path is None
    _, issues = check_rule_text(BASE.replace("0.9", "2"), registry=REG)
    assert [str(i) for i in issues] == ["<string>:16: confidence 2 is outside 0..1"]


def test_registry_rejects_conflicting_definitions() -> None:
    reg = EventRegistry()
    spec = {"a.b": FieldSpec("int", "x", 1)}
    reg.register("ev", spec)
    reg.register("ev", dict(spec))  # same definition again: fine
    with pytest.raises(ValueError, match="already registered"):
        reg.register("ev", {"a.b": FieldSpec("str", "x")})
    with pytest.raises(ValueError, match="unknown field type 'integer'"):
        FieldSpec("integer", "x")


def _located(x: object) -> object:
    """A parsed document with the lines its containers remember."""
    from analyzer.rules.loader import LocatedDict, LocatedList

    if isinstance(x, LocatedDict):
        return ("map", x.line, x.lines, {k: _located(v) for k, v in x.items()})
    if isinstance(x, LocatedList):
        return ("seq", x.line, x.lines, [_located(v) for v in x])
    return (type(x).__name__, x)


def test_libyaml_loader_reads_every_rule_file_as_the_python_one_does() -> None:
    from analyzer.rules import loader

    if loader._C_LOADER is None:
        pytest.skip("PyYAML without libyaml: only the pure-Python loader exists")
    files = sorted((Path(__file__).resolve().parents[2] / "rules").glob("*/*.yaml"))
    assert len(files) >= 36
    for f in files:
        text = f.read_text()
        fast = loader._C_LOADER(text)
        slow = loader.RuleYAMLLoader(text)
        try:
            assert _located(fast.get_single_data()) == _located(slow.get_single_data()), f
        finally:
            fast.dispose()
            slow.dispose()


@pytest.mark.parametrize(("text", "message"), [
    ("a: &x 1\nb: *x\n", "anchors and aliases"),
    ("a: 1\na: 2\n", "duplicate key 'a' (first at line 1)"),
    ("a: [1\n", "while parsing a flow sequence"),
])
def test_yaml_errors_are_worded_by_the_python_loader(text: str, message: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.rules import loader

    data, issues = loader.parse_yaml(text, "r.yaml")
    monkeypatch.setattr(loader, "_C_LOADER", None)
    data2, issues2 = loader.parse_yaml(text, "r.yaml")
    assert data is data2 is None
    assert issues == issues2 and message in issues[0].message
