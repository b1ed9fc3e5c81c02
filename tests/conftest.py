"""Shared fixtures for the capture, decoder, flow and malformed-input tests.

* ``run(*captures)`` analyses captures (a bare name means ``captures/<name>``) and returns a
  :class:`Run`: the :class:`analyzer.Analysis`, its JSON document (round-tripped through
  ``json`` so only what the contract can carry is seen) and look-ups for flows and
  anomalies.
* ``gen``: the capture generator ``captures/generate.py`` as a module, for its writers
  (``gen.pcap``, ``gen.ng_epb`` ...) and the constants the crafted captures were built from.
* ``frames(path)``: what the reader yields per frame: ``(caplen, wirelen, ts, linktype)``.
* ``streams(path)``: the reassembled TCP streams and UDP payloads of every flow, taken from
  the flow table before the analysis releases them.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import analyzer
import pytest
from analyzer.anomalies import AnomalyLog
from analyzer.capture import read_capture
from analyzer.decode import Decoder
from analyzer.flows import Flow, FlowTable
from analyzer.report import jsondoc

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "captures"
REALWORLD = ROOT.parent / "shared" / "realworld"


def capture_path(name: str | Path) -> Path:
    """``captures/<name>`` for a bare file name, else the path itself; it must exist."""
    p = Path(name)
    if not p.is_absolute() and len(p.parts) == 1:
        p = CAPTURES / p
    assert p.exists(), f"{p} is missing: run `python captures/generate.py`"
    return p


def _load_generator() -> ModuleType:
    mod = sys.modules.get("captures_generate")
    if mod is not None:
        return mod
    spec = importlib.util.spec_from_file_location("captures_generate", CAPTURES / "generate.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["captures_generate"] = mod
    spec.loader.exec_module(mod)
    return mod


@dataclass
class Run:
    """One analysis and look-ups into its JSON document."""

    analysis: analyzer.Analysis
    doc: dict[str, Any]

    @property
    def input(self) -> dict[str, Any]:
        """The JSON summary of the first (usually only) input."""
        return self.doc["inputs"][0]

    @property
    def stats(self) -> dict[str, Any]:
        """The statistics of the first input."""
        return self.doc["stats"]["per_input"][0]

    def flows(self, transport: str | None = None) -> list[dict[str, Any]]:
        return [f for f in self.doc["flows"] if transport in (None, f["transport"])]

    def flow(self, id_or_port: str | int, transport: str = "tcp") -> dict[str, Any]:
        """The one flow with this id, or the one ``transport`` flow whose originator port is
        ``id_or_port``."""
        if isinstance(id_or_port, str):
            got = [f for f in self.doc["flows"] if f["id"] == id_or_port]
        else:
            got = [f for f in self.flows(transport) if f["orig_port"] == id_or_port]
        assert len(got) == 1, f"{len(got)} flows match {id_or_port!r}: " + ", ".join(
            f["id"] for f in self.doc["flows"])
        return got[0]

    def packets(self, flow: dict[str, Any]) -> list[dict[str, Any]]:
        """The kept packets of a flow row as dicts (the document may give them as rows
        under ``packet_columns``)."""
        detail = flow["detail"]
        assert detail is not None, f"{flow['id']} has no detail"
        cols = self.doc.get("packet_columns")
        return [p if isinstance(p, dict) else dict(zip(cols, p, strict=True))
                for p in detail["packets"]]

    def flow_obj(self, flow_id: str) -> Flow:
        """The library's flow object (for facts the JSON row carries only for notable
        flows, such as TCP options)."""
        got = [f for f in self.analysis.flows if f.id == flow_id]
        assert len(got) == 1, flow_id
        return got[0]

    def anomaly(self, name: str) -> dict[str, Any] | None:
        got = [a for a in self.doc["anomalies"] if a["name"] == name]
        assert len(got) <= 1
        return got[0] if got else None

    def count(self, name: str) -> int:
        a = self.anomaly(name)
        return a["count"] if a else 0

    def anomaly_frames(self, name: str) -> list[int | None]:
        a = self.anomaly(name)
        return [e["frame"] for e in a["examples"]] if a else []

    @property
    def anomaly_counts(self) -> dict[str, int]:
        return {a["name"]: a["count"] for a in self.doc["anomalies"]}


@pytest.fixture
def run() -> Callable[..., Run]:
    def _run(*captures: str | Path) -> Run:
        result = analyzer.analyze([str(capture_path(c)) for c in captures])
        doc = json.loads(json.dumps(jsondoc.document(result)))
        return Run(result, doc)
    return _run


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    return _load_generator()


def read_frames(path: str | Path) -> list[tuple[int, int, float, int]]:
    """Every frame the reader yields: (caplen, wirelen, ts, linktype)."""
    _info, batches = read_capture(str(capture_path(path)), AnomalyLog())
    return [(cap, wire, ts, lt) for _buf, recs in batches for _o, cap, wire, ts, lt in recs]


@pytest.fixture
def frames() -> Callable[[str | Path], list[tuple[int, int, float, int]]]:
    return read_frames


class Datagram(NamedTuple):
    frame: int
    ts: float
    direction: int
    payload: bytes
    ttl: int


@dataclass
class Streams:
    """What the flow table held for one flow when it finished."""

    orig: bytes
    resp: bytes
    datagrams: list[Datagram]
    """UDP payloads of both directions in capture order."""

    def payloads(self) -> list[tuple[int, bytes]]:
        return [(d.frame, d.payload) for d in self.datagrams]


def read_streams(path: str | Path) -> dict[str, Streams]:
    out: dict[str, Streams] = {}

    def sink(fl: Flow) -> None:
        o, r = fl.h
        dgrams = sorted(Datagram(d[0], d[1], i, bytes(d[2]), d[3])
                        for i, side in enumerate(fl.datagrams) for d in side)
        out[fl.id] = Streams(bytes(o.stream), bytes(r.stream), dgrams)

    log = AnomalyLog()
    _info, batches = read_capture(str(capture_path(path)), log)
    table = FlowTable(sink, log)
    decoder = Decoder(table, log)
    decoder.run(batches)
    decoder.close()
    table.close()
    return out


@pytest.fixture
def streams() -> Callable[[str | Path], dict[str, Streams]]:
    return read_streams
