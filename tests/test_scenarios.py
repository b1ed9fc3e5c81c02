"""Every crafted scenario (tests/scenarios/<name>/): its capture, analysed with the built-in
rules, yields exactly the findings its expect.json names (plus allowed ones), nothing else,
and the observations it requires.

expect.json: {"about": ..., "expect": [{"mechanism", "domain"|"ip"}], "allow": [...],
"observations": [mechanism, ...]}; matching as ../shared/tools/score.py does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from analyzer import analyze
from analyzer.fingerprints import Fingerprints
from analyzer.rules import load_rules

HERE = Path(__file__).resolve().parent / "scenarios"
SCENARIOS = sorted(p for p in HERE.iterdir() if (p / "expect.json").is_file()) \
    if HERE.is_dir() else []


def _capture(d: Path) -> Path:
    caps = sorted(d.glob("capture.pcap*"))
    assert caps, f"{d.name}: no capture.pcap(ng)"
    return caps[0]


def matches(label: dict[str, Any], finding: dict[str, Any]) -> bool:
    if label.get("mechanism") != finding.get("mechanism"):
        return False
    tgt = finding.get("target") or {}
    if "domain" in label:
        return (tgt.get("domain") or "").lower().rstrip(".") == label["domain"].lower()
    if "ip" in label:
        return tgt.get("ip") == label["ip"]
    return True


@pytest.fixture(scope="module")
def setup() -> tuple[Any, Fingerprints]:
    return load_rules(), Fingerprints.load(())


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_scenario(scenario: Path, setup: tuple[Any, Fingerprints]) -> None:
    rules, fp = setup
    spec = json.loads((scenario / "expect.json").read_text())
    result = analyze(str(_capture(scenario)), rules=rules, fingerprints=fp)
    findings = result.findings
    got = [(f["mechanism"], f["target"]["domain"], f["target"]["ip"], f["rule"])
           for f in findings]
    for label in spec["expect"]:
        assert any(matches(label, f) for f in findings), \
            f"expected {label}, got {got}"
    allowed = spec["expect"] + spec.get("allow", [])
    extra = [g for f, g in zip(findings, got, strict=True)
             if not any(matches(lab, f) for lab in allowed)]
    assert not extra, f"false positives: {extra}"
    for mech in spec.get("observations", []):
        assert any(o["mechanism"] == mech for o in result.observations) or any(
            f["mechanism"] == mech for f in findings), \
            f"expected an observation of {mech}, got " \
            f"{[(o['mechanism'], o['rule']) for o in result.observations]}"
    # every finding traces back to frames of its input, in range
    packets = result.inputs[0].packets
    for f in findings + result.observations:
        assert f["frames"], f
        assert all(1 <= n <= packets for n in f["frames"]), f


@pytest.mark.slow
@pytest.mark.parametrize("script", ["generate.py", "scenarios_tcp.py", "scenarios_dns_tls.py",
                                    "scenarios_observations.py", "scenarios_hostile.py"])
def test_generators_reproduce_the_files(script: str) -> None:
    """Every crafted capture (and scenario expectation) is what its generator writes."""
    import subprocess
    import sys

    gen = Path(__file__).resolve().parents[1] / "captures" / script
    p = subprocess.run([sys.executable, str(gen), "--check"], capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
