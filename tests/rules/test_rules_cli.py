"""``analyze rules list|check|test`` through Click's test runner, and the guide's examples."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from analyzer import cli_rules
from analyzer.rules import MODIFIERS, EventRegistry, collect_rules, load_rule_text
from analyzer.rules import loader as rules_loader
from analyzer.rules import schema as rules_schema
from click.testing import CliRunner
from rule_registry import DATA, make_registry

ROOT = Path(__file__).resolve().parents[2]

BAD = DATA / "bad"
README = ROOT / "rules" / "README.md"



@pytest.fixture(autouse=True)
def test_events(monkeypatch: pytest.MonkeyPatch) -> EventRegistry:
    """The commands read the process-wide registry and the built-in rules: give them the
    test event types and no built-ins, so these tests do not depend on the real ones."""
    reg = make_registry()
    monkeypatch.setattr(rules_schema, "EVENTS", reg)
    monkeypatch.setattr(rules_loader, "builtin_rule_dirs", lambda: [])
    return reg


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli_rules.rules_group, list(args))


def test_check_bad_dir_prints_file_line_per_error() -> None:
    result = invoke("check", str(BAD))
    assert result.exit_code == 1
    mech = ", ".join(rules_schema.MECHANISMS)
    fields = ", ".join(sorted(make_registry().get("tls.handshake").fields))  # type: ignore
    assert result.stdout.splitlines() == [
        f"{BAD}/bad-mechanism.yaml:4: unknown mechanism 'rst_injection' (did you mean "
        f"'rst-injection'?); allowed: {mech}",
        f"{BAD}/bad-mechanism.yaml:8: unknown modifier 'endwith' in 'tls.sni|endwith' (did "
        f"you mean 'endswith'?); allowed: {', '.join(sorted(MODIFIERS))}",
        f"{BAD}/bad-mechanism.yaml:10: confidence 1.5 is outside 0..1",
        f"{BAD}/bad-mechanism.yaml:11: summary: unknown field '{{tls.sn}}' for event type "
        f"'tls.handshake' (did you mean 'tls.sni'?); allowed: {fields}",
        f"{BAD}/bad-regex.yaml:8: invalid regular expression '(a' in 'tls.sni|re': missing ): "
        "(a (RE2 syntax: no backreferences or lookaround)",
        f"{BAD}/bad-regex.yaml:10: 'server.ip|cidr': bad network '10.0.0.1/8': 10.0.0.1/8 has "
        "host bits set",
        f"{BAD}/bad-regex.yaml:11: condition, column 14: expected ')' to close the '(' at "
        "column 8, got the end of the condition",
        f"{BAD}/duplicate-key.yaml:9: YAML: duplicate key 'sel' (first at line 7)",
        f"{BAD}/extra.yml: rule files end in .yaml, not .yml",
        f"{BAD}/nested/wrong-place.yaml:1: rule id 'wrong-place' does not match the file's "
        f"place: it must be {BAD}/wrong-place.yaml",
        f"{BAD}/unknown-event.yaml:5: unknown event type 'tcp.rst'; allowed: dns.response, "
        "tls.handshake",
        f"{BAD}/unknown-event.yaml:6: unknown key 'severity'; allowed: "
        + ", ".join(rules_loader.TOP_LEVEL_KEYS),
        f"{BAD}/unknown-event.yaml:10: condition, column 9: unknown selection 'missing'; "
        "defined: sel",
    ]
    assert result.stderr.strip() == "13 errors in 6 files"
    assert "Traceback" not in result.output


def test_check_good_dir_exits_0() -> None:
    result = invoke("check", str(DATA / "good"))
    assert (result.exit_code, result.stdout) == (0, "2 rules OK\n")


def test_check_good_and_bad_together_and_a_missing_dir() -> None:
    result = invoke("check", str(DATA / "good"), str(DATA / "nope"))
    assert result.exit_code == 1
    assert result.stdout == f"{DATA / 'nope'}: no such file or directory\n"


def test_check_needs_a_dir() -> None:
    assert invoke("check").exit_code == 2


def test_list_rules_with_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules_loader, "builtin_rule_dirs", lambda: [DATA / "good" / "dns-"
                                                                    "tampering"])
    result = invoke("list", "--rules", str(DATA / "good" / "rst-injection"))
    # the dns rule sits in a directory that is not its id's place: load error, exit 1
    assert result.exit_code == 1
    assert result.stderr.startswith("analyze: error: ")
    assert "does not match the file's place" in result.stderr
    monkeypatch.setattr(rules_loader, "builtin_rule_dirs", lambda: [])
    result = invoke("list", "--rules", str(DATA / "good"))
    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows == [
        ["ID", "MECHANISM", "EVENT", "SOURCE"],
        ["dns-tampering/bogon-answer", "dns-tampering", "dns.response",
         str(DATA / "good" / "dns-tampering" / "bogon-answer.yaml")],
        ["rst-injection/ttl-mismatch-after-sni", "rst-injection", "tls.handshake",
         str(DATA / "good" / "rst-injection" / "ttl-mismatch-after-sni.yaml")],
    ]


def test_list_builtin_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules_loader, "builtin_rule_dirs", lambda: [DATA / "good"])
    result = invoke("list")
    assert result.exit_code == 0
    assert [line.split()[-1] for line in result.stdout.splitlines()[1:]] == ["builtin"] * 2


def test_list_modifiers_and_fields() -> None:
    result = invoke("list", "--modifiers")
    assert result.exit_code == 0
    names = {line.split()[0] for line in result.stdout.splitlines()[1:]}
    assert names == set(MODIFIERS)
    result = invoke("list", "--fields")
    assert result.exit_code == 0
    assert "tls.handshake: one TLS handshake attempt" in result.stdout
    assert re.search(r"^  rst\.ttl_delta +int +rst\.ttl minus server\.ttl \(e\.g\. 134\)$",
                     result.stdout, re.M)


def _rule_with_tests(tmp_path: Path, expect: str, capture: str) -> Path:
    text = (DATA / "good" / "rst-injection" / "ttl-mismatch-after-sni.yaml").read_text()
    rules = tmp_path / "rules"
    path = rules / "rst-injection" / "ttl-mismatch-after-sni.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text + f"tests:\n  - capture: {capture}\n    expect: {expect}\n")
    return rules


class FakeAnalysis:
    def __init__(self, rule_ids: list[str], findings: list[dict[str, Any]]) -> None:
        self.rules = [{"id": i, "version": "1", "source": "x"} for i in rule_ids]
        self.findings = findings
        self.observations: list[dict[str, Any]] = []


def test_rule_tests_compare_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "c.pcap").write_bytes(b"")
    rules = _rule_with_tests(tmp_path, "{findings: 1}", "../../c.pcap")
    rid = "rst-injection/ttl-mismatch-after-sni"
    capture = rules / "rst-injection" / "../../c.pcap"
    monkeypatch.setattr(cli_rules, "_analyze", lambda c, r: FakeAnalysis(
        [rid], [{"rule": rid}, {"rule": "other"}]))
    result = invoke("test", "--rules", str(rules))
    assert (result.exit_code, result.stdout) == (
        0, f"PASS {rid}: {capture}\n1 passed, 0 failed; 0 rules without tests\n")
    monkeypatch.setattr(cli_rules, "_analyze", lambda c, r: FakeAnalysis([rid], []))
    result = invoke("test", "--rules", str(rules))
    assert (result.exit_code, result.stdout) == (
        1, f"FAIL {rid}: {capture}: expected 1 findings, got 0\n"
           "0 passed, 1 failed; 0 rules without tests\n")
    monkeypatch.setattr(cli_rules, "_analyze", lambda c, r: FakeAnalysis([], []))
    result = invoke("test", "--rules", str(rules))
    assert result.exit_code == 1
    assert f"FAIL {rid}: {capture}: the analysis did not run rule {rid}" in result.stdout


def test_rule_tests_run_the_real_analysis(tmp_path: Path) -> None:
    """An honest failure: a test-only event type can never produce this finding."""
    rules = _rule_with_tests(tmp_path, "{findings: 1}",
                             str(ROOT / "captures" / "tcp-rej.pcap"))
    result = invoke("test", "--rules", str(rules))
    assert result.exit_code == 1
    assert result.stdout.startswith("FAIL rst-injection/ttl-mismatch-after-sni: ")
    assert result.stdout.endswith("0 passed, 1 failed; 0 rules without tests\n")


def test_rule_tests_missing_capture(tmp_path: Path) -> None:
    rules = _rule_with_tests(tmp_path, "{findings: 0}", "gone.pcap")
    result = invoke("test", "--rules", str(rules))
    assert result.exit_code == 1
    assert ": capture not found\n" in result.stdout


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_readme_detection_snippets_load(test_events: EventRegistry) -> None:
    blocks = _yaml_blocks(README.read_text())
    detections = [b for b in blocks if b.startswith("detection:")]
    assert detections
    for block in detections:
        text = ("id: x\nversion: 1\ntitle: t\nmechanism: dns-tampering\nevent: dns.response\n"
                f"{block}confidence: 0.5\nsummary: s\n")
        load_rule_text(text, registry=test_events)
    fieldref = next(b for b in blocks if "fieldref|ne" in b)
    body = "".join(f"  {line}\n" for line in fieldref.splitlines())
    load_rule_text("id: x\nversion: 1\ntitle: t\nmechanism: blackhole\nevent: tls.handshake\n"
                   f"detection:\n  sel:\n{body}  condition: sel\nconfidence: 0.5\nsummary: s\n",
                   registry=test_events)


def test_readme_documents_every_modifier_and_mechanism() -> None:
    text = README.read_text()
    table = {m for row in re.findall(r"^\| (`[a-z`, ]+`) \|", text, re.M)
             for m in re.findall(r"`([a-z]+)`", row)}
    assert table >= set(MODIFIERS), set(MODIFIERS) - table
    for mech in rules_schema.MECHANISMS:
        assert f"`{mech}`" in text


def test_good_fixtures_pass_check_in_the_library_too() -> None:
    rules, issues = collect_rules([DATA / "good"])
    assert issues == [] and len(rules) == 2
