"""The same mechanism in another shape gives the same findings (metamorphic tests).

Every crafted scenario (tests/scenarios/<name>/) is rewritten at the byte level
(tests/metamorphic.py) and analysed again; the conclusions must not move:

* another link layer (raw IP, Linux SLL2, Ethernet with an 802.1Q tag), another date, every
  TTL / hop limit moved down by 7 or up by 9, TCP 443 and 80 moved to 8443 and 8080: the
  same findings, rule by rule, citing the same frames;
* mixed with a benign scenario's traffic (time-shifted onto it, no shared address but the
  busiest one): the same (mechanism, domain, address) set;
* IPv4 rewritten as IPv6 (NAT64-style addresses): the same mechanisms. Where a finding's name
  or corroboration comes from a DNS A answer (an IPv4 address that the IPv6 flows can no
  longer match), the name may go; those scenarios are listed in ``V6_DNS_LINKED``.

Three deliberate exceptions: a rule bound to the ports a censor filters loses its finding when
the ports move (``PORT_BOUND``); a certificate is judged at the time of the capture, so a
substitute certificate that has expired by the later date reads as a site's own stale one
(``DATE_BOUND``); and a benign reading that rests on QUIC failing to every
server in the capture does not survive mixing with real browsing whose QUIC was answered
(``QUIC_NOWHERE``): that answer is the control that makes the failures look targeted.

The benign look-alikes are included: they must stay without findings in every shape.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from analyzer import analyze
from analyzer.fingerprints import Fingerprints
from analyzer.rules import load_rules

import metamorphic as m

HERE = Path(__file__).resolve().parent / "scenarios"
SCENARIOS = sorted(p for p in HERE.iterdir() if (p / "expect.json").is_file()) \
    if HERE.is_dir() else []
BENIGN = [p for p in SCENARIOS if p.name.startswith("benign-")]

Transform = Callable[[list[m.Packet]], list[m.Packet]]
#: name -> (rewrite, link type written, VLAN id)
SAME_FRAMES: dict[str, tuple[Transform, int, int]] = {
    "raw-ip": (lambda p: p, m.RAW, 0),
    "sll2": (lambda p: p, m.SLL2, 0),
    "vlan": (lambda p: p, m.ETHERNET, 100),
    "later-date": (lambda p: m.shift_time(p, 400 * 86400.0 + 0.123457), m.RAW, 0),
    "ttl-minus-7": (lambda p: m.shift_ttl(p, -7), m.RAW, 0),
    "ttl-plus-9": (lambda p: m.shift_ttl(p, 9), m.RAW, 0),
    "ports-8443-8080": (lambda p: m.move_tcp_ports(p, {443: 8443, 80: 8080}), m.ETHERNET, 0),
}

#: Scenarios whose name or corroboration comes from a DNS A answer: under the IPv6 rewrite
#: the answer (still IPv4) no longer matches the flows' addresses, so the blackhole is an
#: uncorroborated observation and a reset's name is unknown.
V6_DNS_LINKED = {"blackhole-ip-dns-corroborated": {"blackhole"}}

#: Rules bound to the ports of the filter they describe (Iran's protocol filter acts on 53,
#: 80 and 443 only): with the ports moved, their findings must go (an observation remains).
PORT_BOUND = {"blackhole-protocol-filter-iran": {"blackhole/protocol-filter-drop"}}

#: Scenarios whose substitute certificate (valid for a year) has expired by the later date:
#: tls-mitm/untrusted-certificate then reads it as the site's own stale certificate (an
#: interception box mints certificates valid at the time), and the finding must go.
DATE_BOUND = {"tls-mitm-untrusted-selfsigned-public": {"tls-mitm/untrusted-certificate"}}

#: Benign scenarios read as a network dropping all QUIC because no QUIC handshake in the
#: capture was answered (rule blackhole/quic-unanswered-tcp-works).
QUIC_NOWHERE = {"benign-quic-udp443-blocked-network"}


def _capture(d: Path) -> Path:
    return sorted(d.glob("capture.pcap*"))[0]


@pytest.fixture(scope="module")
def setup() -> tuple[Any, Fingerprints]:
    return load_rules(), Fingerprints.load(())


def _findings(path: Path, setup: tuple[Any, Fingerprints]) -> list[dict[str, Any]]:
    rules, fp = setup
    return analyze(str(path), rules=rules, fingerprints=fp).findings


def _by_rule(fs: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((f["mechanism"], f["rule"], f["target"]["domain"] or "",
                   f["target"]["ip"] or "", tuple(f["frames"])) for f in fs)


def _targets(fs: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(f["mechanism"], f["target"]["domain"] or "", f["target"]["ip"] or "")
            for f in fs}


def _packet_count(path: Path) -> int:
    from analyzer.anomalies import AnomalyLog
    from analyzer.capture import read_capture
    return sum(len(recs) for _, recs in read_capture(str(path), AnomalyLog())[1])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_same_findings_in_other_shapes(scenario: Path, setup: tuple[Any, Fingerprints],
                                       tmp_path: Path) -> None:
    cap = _capture(scenario)
    base = _findings(cap, setup)
    pkts = m.read_ip_packets(cap)
    every_frame = len(pkts) == _packet_count(cap)  # no non-IP frame dropped
    for name, (rewrite, linktype, vlan) in SAME_FRAMES.items():
        out = tmp_path / f"{name}.pcap"
        m.write_pcap(out, rewrite(pkts), linktype, vlan)
        got = _findings(out, setup)
        want = base
        if name.startswith("ports-"):
            want = [f for f in base if f["rule"] not in PORT_BOUND.get(scenario.name, ())]
        if name == "later-date":
            want = [f for f in base if f["rule"] not in DATE_BOUND.get(scenario.name, ())]
        if every_frame:
            assert _by_rule(got) == _by_rule(want), f"{name}: {_by_rule(got)}"
        else:
            assert _targets(got) == _targets(want), f"{name}: {_targets(got)}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_same_mechanisms_over_ipv6(scenario: Path, setup: tuple[Any, Fingerprints],
                                   tmp_path: Path) -> None:
    cap = _capture(scenario)
    out = tmp_path / "ipv6.pcap"
    m.write_pcap(out, m.to_ipv6(m.read_ip_packets(cap)), m.ETHERNET)
    want = {f["mechanism"] for f in _findings(cap, setup)}
    want -= V6_DNS_LINKED.get(scenario.name, set())
    assert {f["mechanism"] for f in _findings(out, setup)} == want


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_same_findings_mixed_with_benign_traffic(scenario: Path,
                                                 setup: tuple[Any, Fingerprints],
                                                 tmp_path: Path) -> None:
    cap = _capture(scenario)
    pkts = m.read_ip_packets(cap)
    for other in BENIGN:
        if other == scenario:
            continue
        more = m.read_ip_packets(_capture(other))
        if len(m.endpoints(pkts) & m.endpoints(more)) <= 1:
            break
    else:
        pytest.fail("no benign scenario without shared addresses to mix with")
    out = tmp_path / "mixed.pcap"
    m.write_pcap(out, m.mix(pkts, m.shift_time(more, pkts[0].ts - more[0].ts - 0.25)),
                 m.RAW)
    assert _targets(_findings(out, setup)) == _targets(_findings(cap, setup)), other.name


REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
#: real captures of ordinary traffic (labelled without findings in labels.json)
REAL_BENIGN = ("zeek/firefox-102.13.0esr-blog-cloudflare-com.pcap",
               "chrissanders-packets/dns_isp_hijack.pcapng",
               "chrissanders-packets/http_ip4and6.pcapng")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_same_findings_mixed_with_real_browsing(scenario: Path,
                                                setup: tuple[Any, Fingerprints],
                                                tmp_path: Path) -> None:
    missing = [n for n in REAL_BENIGN if not (REALWORLD / n).is_file()]
    if missing:
        pytest.skip(f"the real captures are not here ({REALWORLD}/{missing[0]} is absent)")
    cap = _capture(scenario)
    pkts = m.read_ip_packets(cap)
    want = _targets(_findings(cap, setup))
    for name in REAL_BENIGN:
        if scenario.name in QUIC_NOWHERE and any(
                q.server_answered for q in analyze(str(REALWORLD / name)).quic):
            continue
        more = m.read_ip_packets(REALWORLD / name)
        out = tmp_path / "mixed.pcap"
        m.write_pcap(out, m.mix(pkts, m.shift_time(more, pkts[0].ts - more[0].ts - 0.3)),
                     m.RAW)
        assert _targets(_findings(out, setup)) == want, name
