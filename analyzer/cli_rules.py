"""``analyze rules list|check|test``: the rule commands, a thin layer over
:mod:`analyzer.rules`. Registered into the main group by ``main.add_command(rules_group)``.

Exit codes as for ``analyze pcap``: 0 done, 1 rule error or failed rule test (one line each,
no traceback), 2 usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from .errors import AnalyzerError
from .rules import schema
from .rules.engine import RuleSet
from .rules.loader import collect_rules, load_rules
from .rules.modifiers import MODIFIERS
from .rules.schema import Rule, RuleTest

KIND_ORDER = {"operator": 0, "transform": 1, "flag": 2}


def _fail(msg: str) -> NoReturn:
    click.echo(f"analyze: error: {msg}", err=True)
    sys.exit(1)


def _table(rows: Sequence[Sequence[str]]) -> None:
    """Print rows as left-aligned columns (the last column is not padded)."""
    if not rows:
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        head = "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False))
        click.echo(f"{head}  {r[-1]}".rstrip())


def _load(rule_dirs: Sequence[str]) -> RuleSet:
    try:
        return load_rules(rule_dirs)
    except AnalyzerError as e:
        _fail(str(e))


@click.group("rules", context_settings={"help_option_names": ["-h", "--help"]})
def rules_group() -> None:
    """List, check and test detection rules (YAML; see rules/README.md)."""


@rules_group.command("list")
@click.option("--rules", "rule_dirs", multiple=True, metavar="DIR",
              help="Directory of user rules, next to the built-in ones. Repeatable.")
@click.option("--modifiers", "show_modifiers", is_flag=True,
              help="List the value modifiers instead of the rules.")
@click.option("--fields", "show_fields", is_flag=True,
              help="List the event types and their fields instead of the rules.")
def list_cmd(rule_dirs: tuple[str, ...], show_modifiers: bool, show_fields: bool) -> None:
    """List the built-in and user rules: id, mechanism, event type, source."""
    if show_modifiers:
        _table([("MODIFIER", "KIND", "APPLIES TO", "MEANING")]
               + [(m.name, m.kind, m.applies_to, m.description)
                  for m in sorted(MODIFIERS.values(), key=lambda m: (KIND_ORDER[m.kind], m.name))])
    if show_fields:
        if show_modifiers:
            click.echo()
        types = list(schema.EVENTS)
        if not types:
            click.echo("no event types are registered")
        for et in types:
            click.echo(f"{et.name}: {et.description}".rstrip(": "))
            _table([(f"  {name}", spec.type, spec.description
                     + (f" (e.g. {spec.example})" if spec.example is not None else ""))
                    for name, spec in sorted(et.fields.items())])
    if show_modifiers or show_fields:
        return
    rules = _load(rule_dirs)
    if not len(rules):
        click.echo("no rules")
        return
    _table([("ID", "MECHANISM", "EVENT", "SOURCE")]
           + [(r.id, r.mechanism, r.event, r.source) for r in rules])


@rules_group.command("check")
@click.argument("paths", nargs=-1, required=True, metavar="DIR...")
def check_cmd(paths: tuple[str, ...]) -> None:
    """Validate every rule file (*.yaml) under DIR...; print each problem as file:line."""
    rules, issues = collect_rules(paths)
    for issue in issues:
        click.echo(str(issue))
    if issues:
        files = len({i.path for i in issues})
        click.echo(f"{len(issues)} error{'s' if len(issues) != 1 else ''} in {files} "
                   f"file{'s' if files != 1 else ''}", err=True)
        sys.exit(1)
    click.echo(f"{len(rules)} rule{'s' if len(rules) != 1 else ''} OK")


def _analyze(capture: Path, rules: RuleSet) -> Any:
    """Analyse one test capture with ``rules``."""
    from .analysis import analyze
    return analyze(str(capture), rules=rules)


def _count(items: Any, rule_id: str) -> int:
    return sum(1 for f in items or () if isinstance(f, dict)
               and (f.get("rule") == rule_id or rule_id in (f.get("rules") or ())))


def _run_test(rule: Rule, test: RuleTest, result: Any) -> str | None:
    """None when the test passes, else why it failed."""
    ran = {r.get("id") for r in getattr(result, "rules", ()) if isinstance(r, dict)}
    if rule.id not in ran:
        return f"the analysis did not run rule {rule.id}"
    problems = []
    for kind, want in (("findings", test.findings), ("observations", test.observations)):
        if want is not None:
            got = _count(getattr(result, kind, ()), rule.id)
            if got != want:
                problems.append(f"expected {want} {kind}, got {got}")
    return "; ".join(problems) or None


@rules_group.command("test")
@click.option("--rules", "rule_dirs", multiple=True, metavar="DIR",
              help="Directory of user rules, next to the built-in ones. Repeatable.")
def test_cmd(rule_dirs: tuple[str, ...]) -> None:
    """Run each rule's own test captures and compare the counts of its findings and
    observations with the rule's 'expect'."""
    rules = _load(rule_dirs)
    results: dict[Path, Any] = {}
    passed = failed = untested = skipped = 0
    for rule in rules:
        if not rule.tests:
            untested += 1
            continue
        for test in rule.tests:
            where = f"{rule.id}: {test.capture}"
            if rule.source == "builtin" and not test.capture.is_file():
                # the built-in rules' captures are in the source tree's tests/, which an
                # installed package does not carry: not a failure of the rule
                skipped += 1
                continue
            if test.capture not in results:
                if not test.capture.is_file():
                    results[test.capture] = AnalyzerError("capture not found")
                else:
                    try:
                        results[test.capture] = _analyze(test.capture, rules)
                    except AnalyzerError as e:
                        results[test.capture] = e
            result = results[test.capture]
            why = str(result) if isinstance(result, AnalyzerError) else \
                _run_test(rule, test, result)
            if why is None:
                passed += 1
                click.echo(f"PASS {where}")
            else:
                failed += 1
                click.echo(f"FAIL {where}: {why}")
    if skipped:
        click.echo(f"{skipped} tests of built-in rules skipped: their captures come with the "
                   "source tree (tests/scenarios), not with an installed package")
    click.echo(f"{passed} passed, {failed} failed; {untested} rule"
               f"{'s' if untested != 1 else ''} without tests")
    if failed:
        sys.exit(1)
