"""Damaged bytes through the whole pipeline: every crafted capture and scenario, with random
bytes flipped after the file header, goes through ``analyze pcap`` with every output on
(JSON, Markdown, HTML, evidence pcapng, flow graph; some with ``--anonymize``).

The parsers have their own mutation tests (DNS, QUIC, X.509); this one holds the promise at
the top: a damaged packet is a named anomaly or an odd fact, never a crash, whatever stage
(decoding, flows, events, detection, reports) meets it first. The mutations are seeded, so a
failure names a reproducible input (written next to the test's temporary files).
"""

from __future__ import annotations

import random
import traceback
from pathlib import Path

import pytest
from analyzer.capture import PCAP_MAGICS
from analyzer.cli import main
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
INPUTS = sorted(
    p for p in [*ROOT.glob("captures/*.pcap"), *ROOT.glob("captures/*.pcapng"),
                *ROOT.glob("tests/scenarios/*/capture.pcap*")]
    if p.stat().st_size < 400_000
)
VARIANTS = 3


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """Flip or overwrite 1-64 bytes past the file header (a pcapng's first block stays)."""
    out = bytearray(data)
    start = 24 if data[:4] in PCAP_MAGICS else 28
    for _ in range(rng.choice((1, 2, 4, 16, 64))):
        i = rng.randrange(start, len(out))
        r = rng.random()
        if r < 0.6:
            out[i] ^= 1 << rng.randrange(8)
        elif r < 0.8:
            out[i] = rng.choice((0, 0x7F, 0x80, 0xFF))
        else:
            out[i] = rng.randrange(256)
    return bytes(out)


def test_inputs_found() -> None:
    assert len(INPUTS) > 50


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_damaged_capture_never_crashes(path: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYZER_DEBUG", "1")  # an unexpected exception propagates
    rng = random.Random(f"{path.relative_to(ROOT)}")
    raw = path.read_bytes()
    runner = CliRunner()
    for k in range(VARIANTS):
        damaged = tmp_path / f"damaged-{k}{path.suffix}"
        damaged.write_bytes(_mutate(raw, rng))
        out = tmp_path / f"out-{k}"
        args = ["pcap", str(damaged), "-q", "--json", f"{out}.json", "--md", f"{out}.md",
                "--html", f"{out}.html", "--evidence", f"{out}.pcapng",
                "--graph", f"{out}.graphml"] + (["--anonymize"] if k == 2 else [])
        res = runner.invoke(main, args, catch_exceptions=True)
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            tb = "".join(traceback.format_exception(res.exception))
            pytest.fail(f"{damaged} (kept) crashed the analyzer:\n{tb}")
        assert res.exit_code in (0, 1), res.output
        if res.exit_code == 1:  # an unreadable file: one line, no traceback
            err = res.stderr.strip()
            assert len(err.splitlines()) == 1 and err.startswith("analyze: error: "), err
        else:
            assert Path(f"{out}.json").stat().st_size > 0
