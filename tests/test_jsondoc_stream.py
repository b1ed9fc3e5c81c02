"""The streamed JSON writer against the plain encoding of the same document.

``jsondoc.write`` writes the flow rows (and may write other tables) without building the
dicts of :func:`jsondoc.document`, and the event tables with orjson; its output must stay
byte-identical to ``json.dumps(document(a))`` with the writer's separators, on captures that
exercise every kind of row: notable flows with a detail object, IPv6 ids, ICMP errors,
fragments, port reuse, every protocol event table, and unusual values (NaN or infinite
numbers, non-ASCII text).
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import replace
from pathlib import Path

import analyzer
import pytest
from analyzer.report import jsondoc

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = [
    "captures/demo-clubhouse-2021.pcapng",
    "captures/icmp-errors-quoting-tcp.pcap",
    "captures/ipv6-extension-headers-fragments.pcap",
    "captures/ipv4-fragments-overlap.pcap",
    "captures/tcp-port-reuse.pcap",
    "captures/tcp-out-of-order.pcap",
    "captures/tcp-rst-then-data.pcap",
    "captures/malformed-headers.pcap",
    "tests/scenarios/tls-mitm-kazakhstan",
    "tests/scenarios/http-injected-blockpage-race",
    "tests/scenarios/quic-blackhole-tcp-works",
]


def _plain(a: analyzer.model.Analysis) -> str:
    return json.dumps(jsondoc.document(a), ensure_ascii=False, separators=(",", ":")) + "\n"


def _streamed(a: analyzer.model.Analysis) -> str:
    out = io.StringIO()
    jsondoc.write(a, out)
    return out.getvalue()


@pytest.mark.parametrize("rel", CAPTURES)
def test_streamed_document_is_the_plain_encoding(rel: str) -> None:
    path = ROOT / rel
    if path.is_dir():  # a scenario: its capture.pcap or capture.pcapng
        path = next(path.glob("capture.pcap*"))
    a = analyzer.analyze(str(path))
    assert a.flows, "a capture without flows tests nothing here"
    got = _streamed(a)
    assert got == _plain(a)
    assert json.loads(got)["flows"][0]["id"] == a.flows[0].id


def test_odd_values_are_written_as_json_writes_them() -> None:
    a = analyzer.analyze(str(ROOT / "captures/demo-clubhouse-2021.pcapng"))
    notable = next(f for f in a.flows if jsondoc.is_notable(f))
    plain = next(f for f in a.flows if not jsondoc.is_notable(f))
    for fl in (notable, plain):
        # not values the reader produces, but the writer must not differ from json on them
        fl.first_ts = math.inf
        fl.last_ts = math.nan
        fl.hist = 'S "\u00e9\u2028\\\x01'
        fl.h[0].pkts = 2**70
        fl.h[1].rst = [1, 2**65]
    assert _streamed(a) == _plain(a)
    assert '"detail":null}' in _streamed(a)


def test_event_tables_on_odd_values() -> None:
    """The event tables go through orjson: on what orjson refuses (an integer beyond 64 bits)
    the slice falls back to the standard encoder and stays byte-identical; a non-finite
    float, which no parser produces, is written null (json writes -Infinity)."""
    a = analyzer.analyze(str(ROOT / "tests/scenarios/tls-mitm-kazakhstan/capture.pcap"))
    assert a.dns and a.tls and any(t.certificates for t in a.tls)
    tx = a.dns[0]
    odd = 'é "\u2028\\\x00\U0001f600'
    a.dns.append(replace(tx, qname=odd, query_ts=math.nan, id=2**70,
                         responses=(*tx.responses, *tx.responses)))
    a.tls.append(replace(a.tls[0], sni=odd, rst_ms=-math.inf, cipher_suites=(), alpn=(odd,)))
    got = _streamed(a)
    plain = _plain(a)
    assert f'"id":{2**70}' in got and "NaN" in got and "\u2028" in got
    assert plain.count('"rst_ms":-Infinity') == 1
    assert got == plain.replace('"rst_ms":-Infinity', '"rst_ms":null')


def _edge_values() -> list[float]:
    import random
    rng = random.Random(7)
    vals = [0.0, -0.0, 1e-9, -1e-9, 4e-7, 5e-7, 5.000001e-7, 1e-6, 4.9e-5, 5e-5, 9.99e-5,
            0.0001, 0.00011, 0.000105, 0.5, 0.0000005, 1.0000005, 2.5e-6, 123.4565,
            1612780800.123456, 1612780800.1234565, 3999999999.9999995, 4.0e9, 2.0**32,
            1e12, 4.0e12 - 0.0005, 1e16, 1e17, math.inf, -math.inf, math.nan, 2.675, 1.0005,
            -1612780800.9999996]
    for _ in range(20000):
        scale = rng.choice([1e-7, 1e-5, 1e-3, 1.0, 1e3, 1e9, 4e9, 1e12, 1e15])
        vals.append(rng.uniform(-scale, scale))
    return vals


def test_rounded_floats_are_written_as_json_writes_them() -> None:
    # the short way (one "%.6f" / "%.3f" conversion) against round() then repr()
    for v in _edge_values():
        assert jsondoc._r6(v) == jsondoc._jfloat(round(v, 6)), v
        assert jsondoc._r3(v) == jsondoc._jfloat(round(v, 3)), v
        assert jsondoc._r6(v) == json.dumps(round(v, 6)), v
