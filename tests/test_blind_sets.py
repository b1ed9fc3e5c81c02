"""Blind sets: captures written by someone who saw neither the analyzer nor its rules.

``captures/blind_positive.py`` (18 captures, every mechanism in other shapes: link types,
IPv6, TTLs, timings, ports, mixed with ordinary browsing) and ``captures/blind_benign.py``
(24 benign look-alikes of the catalogue's false-positive traps) were written from
``CONTRACT.md`` and the fingerprints catalogue alone, to find where detection does not
generalise. Their first run found three misses and one false positive (see CHANGELOG); the
reviewed expectations are in ``tests/blind/expect.json`` (``note`` says why a label differs
from the generator's, or why an extra finding is right).

The generators run once per session into a temporary folder (about 30 s, both at once).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from analyzer import analyze
from analyzer.fingerprints import Fingerprints
from analyzer.rules import load_rules

from test_scenarios import matches

ROOT = Path(__file__).resolve().parents[1]
SPEC = json.loads((ROOT / "tests" / "blind" / "expect.json").read_text())
POSITIVE: dict[str, dict[str, Any]] = SPEC["positive"]
BENIGN: list[str] = SPEC["benign"]


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("blind")
    runs = {kind: subprocess.Popen(
        [sys.executable, str(ROOT / "captures" / f"blind_{kind}.py"), str(out / kind)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for kind in ("positive", "benign")}
    for kind, proc in runs.items():
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"blind_{kind}.py failed: {err[-2000:]}"
    return {kind: out / kind for kind in runs}


@pytest.fixture(scope="module")
def setup() -> tuple[Any, Fingerprints]:
    return load_rules(), Fingerprints.load(())


def test_the_generators_write_the_reviewed_sets(sets: dict[str, Path]) -> None:
    for kind, names in (("positive", set(POSITIVE)), ("benign", set(BENIGN))):
        written = json.loads((sets[kind] / "expect.json").read_text())
        assert set(written) == names, kind
        assert all((sets[kind] / n).is_file() for n in names), kind


@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_positive(name: str, sets: dict[str, Path], setup: tuple[Any, Fingerprints]) -> None:
    spec = POSITIVE[name]
    rules, fp = setup
    result = analyze(str(sets["positive"] / name), rules=rules, fingerprints=fp)
    got = [(f["mechanism"], f["target"]["domain"], f["target"]["ip"], f["rule"])
           for f in result.findings]
    for label in spec["expect"]:
        assert any(matches(label, f) for f in result.findings), f"missed {label}: {got}"
    extra = [g for f, g in zip(result.findings, got, strict=True)
             if not any(matches(lab, f) for lab in spec["expect"] + spec["allow"])]
    assert not extra, f"unexpected findings: {extra}"
    for mech in spec.get("observations", []):
        assert any(o["mechanism"] == mech for o in result.observations), mech


@pytest.mark.parametrize("name", BENIGN)
def test_benign(name: str, sets: dict[str, Path], setup: tuple[Any, Fingerprints]) -> None:
    rules, fp = setup
    result = analyze(str(sets["benign"] / name), rules=rules, fingerprints=fp)
    assert not result.findings, [(f["mechanism"], f["target"], f["rule"], f["summary"])
                                 for f in result.findings]
