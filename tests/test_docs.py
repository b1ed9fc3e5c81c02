"""The documentation is generated from the code and must stay in sync with it."""

from __future__ import annotations

import re
from pathlib import Path

import analyzer
from analyzer import fieldref
from analyzer.anomalies import CATALOGUE
from analyzer.report import jsondoc

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "captures"


def test_fields_md_is_current() -> None:
    assert (ROOT / "docs" / "fields.md").read_text() == fieldref.markdown(), (
        "docs/fields.md is stale: run `python -m analyzer.fieldref > docs/fields.md`")


def _any_capture() -> Path:
    caps = sorted(CAPTURES.glob("*.pcap*"))
    assert caps, "captures/ holds no capture"
    return caps[0]


def test_every_written_key_is_documented() -> None:
    result = analyzer.analyze(str(_any_capture()))
    doc = jsondoc.document(result)
    for inp in doc["inputs"]:
        assert set(inp) == set(fieldref.INPUT_FIELDS)
    assert doc["flows"], "the capture should hold flows"
    details = 0
    for row in doc["flows"]:
        assert set(row) == set(fieldref.FLOW_FIELDS)
        if row["detail"] is not None:
            details += 1
            d = row["detail"]
            documented = {k.removeprefix("detail.") for k in fieldref.DETAIL_FIELDS}
            assert set(d) - {"orig", "resp"} == documented - {"orig / detail.resp"}
            assert set(d["orig"]) == set(fieldref.DIRECTION_FIELDS)
    for an in doc["anomalies"]:
        assert set(an) == set(fieldref.ANOMALY_FIELDS)


def test_every_anomaly_name_in_code_is_catalogued() -> None:
    pattern = re.compile(r'\.add(?:_count)?\(\s*"([a-z0-9_]+)"')
    used: set[str] = set()
    for path in (ROOT / "analyzer").rglob("*.py"):
        used |= set(pattern.findall(path.read_text()))
    assert used, "no anomaly names found: the pattern is wrong"
    missing = used - set(CATALOGUE)
    assert not missing, f"anomalies used but not catalogued: {sorted(missing)}"
