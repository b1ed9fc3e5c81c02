"""Detection end to end: events are documented, findings have the contract's shape and are
grouped per (mechanism, target), user rules and fingerprint lists plug in, and the real-world
captures (../shared/realworld, when present) give every labelled finding and no other."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from analyzer import analyze
from analyzer.detect import input_events
from analyzer.detect.context import InputContext, initial_ttl, is_public_name
from analyzer.detect.fields import EVENT_TYPES
from analyzer.detect.proto import dns64_split, expired_days, same_hops, same_stack
from analyzer.detect.tcp import _alive_finder
from analyzer.events import DnsAnswer, DnsResponse
from analyzer.fieldref import FINDING_FIELDS
from analyzer.fingerprints import Fingerprints
from analyzer.flows import Flow
from analyzer.rules import RuleSet, load_rules

from test_events_extract import ACK, FIN, PSH, Capture
from test_scenarios import SCENARIOS, matches

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realworld"
DEMO = ROOT / "captures" / "demo-clubhouse-2021.pcapng"
CAPTURES = sorted(p for p in (ROOT / "captures").glob("*.pcap*"))


def _events(path: Path) -> list[dict[str, Any]]:
    r = analyze(str(path), rules=RuleSet([]))
    ctx = InputContext(r.flows, r.dns, r.tls, r.http, r.quic)
    return list(input_events(ctx, Fingerprints.builtin()))


@pytest.mark.parametrize("path", CAPTURES + [s / "capture.pcap" for s in SCENARIOS
                                             if (s / "capture.pcap").exists()],
                         ids=lambda p: p.parent.name if p.name.startswith("capture.")
                         else p.name)
def test_every_event_field_is_registered(path: Path) -> None:
    for ev in _events(path):
        spec = EVENT_TYPES[ev["event"]][1]
        unknown = sorted(set(ev) - set(spec))
        assert not unknown, f"{ev['event']}: undocumented fields {unknown}"


def test_demo_findings_shape_and_grouping() -> None:
    r = analyze(str(DEMO))
    assert r.findings, "the demo capture shows DNS injection and RST injection"
    for f in r.findings + r.observations:
        assert set(f) == set(FINDING_FIELDS), sorted(set(f) ^ set(FINDING_FIELDS))
        assert f["rule"] in f["rules"]
        assert 0 < f["confidence"] <= 1
        assert set(f["target"]) == {"domain", "ip", "port", "transport"}
    keys = [(f["mechanism"], f["target"]["domain"], f["target"]["ip"]) for f in r.findings]
    assert len(keys) == len(set(keys)), "one finding per (mechanism, target)"
    rst = [f for f in r.findings if f["mechanism"] == "rst-injection"]
    assert rst and len(rst[0]["flows"]) >= 2 and "seen on" in rst[0]["summary"]
    assert {"id", "version", "source"} <= set(r.rules[0])
    assert all(x["source"] == "builtin" for x in r.rules)
    # the contract's example fields, with frames that exist
    assert all(1 <= n <= r.inputs[0].packets for f in r.findings for n in f["frames"])


def test_names_and_ttls() -> None:
    assert is_public_name("www.example.org")
    assert not is_public_name("printer.local")
    assert not is_public_name("router.home.arpa")
    assert not is_public_name("localhost")
    assert not is_public_name("10.0.0.1")
    assert [initial_ttl(t) for t in (1, 49, 64, 65, 120, 129, 255)] == \
        [32, 64, 64, 128, 128, 255, 255]


def _resp(ip_id: int | None, ttl: int = 64, df: bool | None = False,
          answers: tuple[DnsAnswer, ...] = ()) -> DnsResponse:
    return DnsResponse(frame=1, ts=0.0, delay_ms=1.0, rcode=0, rcode_name="NOERROR", aa=False,
                       tc=False, ra=True, answers=answers, authority=(), addresses=(),
                       edns=True, ip_ttl=ttl, ip_id=ip_id, df=df, anomalies=())


def test_same_stack_reads_one_ip_id_counter() -> None:
    assert same_stack((_resp(0x2E10), _resp(0x2E11)))
    assert same_stack((_resp(0xFFFE), _resp(0x0003), _resp(0x0040)))  # wraps, steps <= 64
    assert not same_stack((_resp(0x2E10),))  # one response
    assert not same_stack((_resp(0x2E10), _resp(0x2E10)))  # equal ids: no counter (e.g. 0)
    assert not same_stack((_resp(0, df=True), _resp(0, df=True)))
    assert not same_stack((_resp(0x2E10), _resp(0x2E10 + 65)))  # too far apart
    assert not same_stack((_resp(0x2E11), _resp(0x2E10)))  # backwards
    assert not same_stack((_resp(0x2E10), _resp(0x2E11, ttl=63)))  # another TTL
    assert not same_stack((_resp(0x2E10), _resp(0x2E11, df=True)))  # another DF bit
    assert not same_stack((_resp(None), _resp(None)))  # IPv6: no IP ID


def test_same_hops_reads_one_path() -> None:
    v6 = _resp(None, ttl=64)
    assert same_hops((v6, v6), None)  # an initial TTL: sent from the client's own link
    assert same_hops((_resp(0, ttl=255, df=True), _resp(0, ttl=255, df=True)), None)
    assert not same_hops((v6,), 64)  # one response
    assert not same_hops((_resp(None, ttl=57), _resp(None, ttl=57)), None)  # routed, no usual
    assert same_hops((_resp(None, ttl=57), _resp(None, ttl=57)), 57)  # the resolver's usual
    assert same_hops((_resp(0, ttl=57, df=True), _resp(0, ttl=57, df=True)), 57)  # IP ID 0
    # routed and an IP ID counter to follow: same_stack decides, not the TTL
    assert not same_hops((_resp(0x2E10, ttl=57), _resp(0x9A02, ttl=57)), 57)
    assert not same_hops((_resp(None, ttl=64), _resp(None, ttl=61)), 64)  # another TTL
    assert not same_hops((_resp(0, ttl=64, df=True), _resp(0, ttl=64)), 64)  # another DF bit


def test_expired_days() -> None:
    t = 1_612_785_600.0  # 2021-02-08T12:00:00Z
    assert expired_days("2019-03-14T00:00:00Z", t) == 697.5
    assert expired_days("2022-01-29T00:00:00Z", t) == -354.5  # still valid
    assert expired_days("", t) is None
    assert expired_days("2019-03-14T00:00:00Z", None) is None
    assert expired_days("not a date", t) is None


def test_ttl_expired_flows_are_not_unanswered_handshakes() -> None:
    """In a TTL-limited probe, the ClientHellos that drew an ICMP time-exceeded expired in
    transit: the unanswered-ClientHello observation cites only the flows at the silent hop."""
    cap = ROOT / "tests" / "scenarios" / "benign-ttl-limited-probe" / "capture.pcap"
    r = analyze(str(cap))
    expired = {fl.id for fl in r.flows if fl.icmp}
    silent = {fl.id for fl in r.flows if fl.proto == 6 and not fl.icmp
              and fl.conn_state != "SF" and fl.h[1].payload == 0}
    assert expired and silent
    obs = [o for o in r.observations if o["rule"] == "blackhole/client-hello-unanswered"]
    assert obs and all(set(o["flows"]) <= silent for o in obs)
    assert not r.findings


def _aaaa(*addrs: str) -> DnsResponse:
    return _resp(None, answers=tuple(DnsAnswer(name="a.example", type="AAAA", ttl=300, value=a)
                                     for a in addrs))


def test_dns64_split_needs_synthesised_and_native_answers() -> None:
    assert dns64_split((_aaaa("64:ff9b::310c:7807"), _aaaa("2a01:4f8:c17:9d3::1")))
    assert dns64_split((_aaaa("2a01:4f8::1"), _aaaa("64:ff9b:1:ab::c0a8:1")))  # RFC 8215
    assert not dns64_split((_aaaa("2a01:4f8::1"), _aaaa("2001::53aa:64c")))  # Teredo: forged
    assert not dns64_split((_aaaa("64:ff9b::1"), _aaaa("64:ff9b::2")))
    assert not dns64_split((_aaaa("64:ff9b::1", "2a01::1"), _aaaa("2a01::2")))  # mixed
    assert not dns64_split((_aaaa("64:ff9b::1"),))


def test_fin_with_data_after_a_route_change_is_not_an_injected_answer(tmp_path: Path) -> None:
    """A plain exchange keeps only its SYN, FIN and RST packets: the server's last segment
    (data with FIN) after a route change must not be taken for the first answer."""
    cap = Capture()
    c = cap.conv(sport=80)
    c.handshake()  # the server's SYN/ACK: TTL 52
    c.client(b"GET /big HTTP/1.1\r\nHost: www.example.org\r\n\r\n")
    c.send(False, PSH | ACK, b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + bytes(1000))
    c.send(True, ACK)
    c.send(False, ACK, bytes(1000), ttl=46)  # the route changed: 6 hops more
    c.send(False, FIN | PSH | ACK, bytes(1000), ttl=46)
    c.send(True, FIN | ACK)
    c.send(False, ACK, ttl=46)
    path = cap.write(tmp_path)
    assert analyze(path).findings == []
    # the same server answering with its first segment from 6 hops away, and FIN: flagged
    cap = Capture()
    c = cap.conv(sport=80)
    c.handshake()
    c.client(b"GET / HTTP/1.1\r\nHost: www.example.org\r\n\r\n")
    c.send(False, FIN | PSH | ACK, b"HTTP/1.1 302 Found\r\nLocation: http://block.example/"
           b"\r\nContent-Length: 0\r\n\r\n", ttl=46, dt=0.001)
    c.send(True, FIN | ACK)
    c.send(False, ACK)
    found = analyze(cap.write(tmp_path, "inj.pcap")).findings
    assert [f["rule"] for f in found] == ["packet-injection/injected-data-after-trigger"]


def test_alive_finder_scan_and_index_agree() -> None:
    """The control "another flow received data while this one waited" gives the same flow
    whether it scans (few stalls) or bisects an index (many)."""
    rnd = random.Random(7)
    flows = []
    for i in range(300):
        fl = Flow(f"tcp:f{i}", (b"\x0a\0\0\1", i, b"\x0a\0\0\2", 443, 6), b"\x0a\0\0\1", i,
                  b"\x0a\0\0\2", 443, 6, float(rnd.randrange(100)))
        fl.h[1].payload = rnd.choice((0, 1, 500))
        fl.h[1].new_ts = fl.first_ts + rnd.randrange(60)
        flows.append(fl)
    ctx = InputContext(flows, [], [], [], [])
    scan, index = _alive_finder(ctx, 1), _alive_finder(ctx, 1000)
    for _ in range(400):
        since, until = rnd.randrange(170), rnd.randrange(170)
        assert scan(since, until) is index(since, until)


USER_RULE = """\
id: local/any-dns-answer
version: 1
title: Every DNS transaction with an answer (a test rule)
mechanism: dns-tampering
event: dns.transaction
observation_only: true
detection:
  answered:
    dns.addresses|len|gte: 1
  condition: answered
confidence: 0.1
summary: "{dns.qname} -> {dns.addresses}"
"""


def test_user_rules_and_fingerprints_via_cli(tmp_path: Path) -> None:
    rules = tmp_path / "my-rules" / "local"
    rules.mkdir(parents=True)
    (rules / "any-dns-answer.yaml").write_text(USER_RULE)
    pool = tmp_path / "pool.txt"
    pool.write_text("104.18.24.37\n")
    out = tmp_path / "out.json"
    cmd = [sys.executable, "-m", "analyzer", "pcap", str(DEMO), "--rules",
           str(tmp_path / "my-rules"), "--fingerprints", str(pool), "--json", str(out)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    doc = json.loads(out.read_text())
    assert any(r["id"] == "local/any-dns-answer" and r["source"] != "builtin"
               for r in doc["rules"])
    assert any(o["rule"] == "local/any-dns-answer" for o in doc["observations"])
    # the user pool turns the genuine Cloudflare answer into an injector-pool match
    assert any("dns-tampering/injector-pool-address" in f["rules"] for f in doc["findings"])


def test_bad_user_inputs_fail_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("this is not a fingerprint list\tx\n")
    rules = tmp_path / "r"
    (rules / "x").mkdir(parents=True)
    (rules / "x" / "y.yaml").write_text(textwrap.dedent(USER_RULE).replace(
        "local/any-dns-answer", "x/y").replace("dns-tampering", "dns-tamper"))
    for extra in (["--fingerprints", str(bad)], ["--rules", str(rules)]):
        p = subprocess.run([sys.executable, "-m", "analyzer", "pcap", str(DEMO), "-q", *extra],
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 1, (extra, p.stderr)
        assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr, p.stderr


def _labels() -> dict[str, Any]:
    doc = json.loads((REAL / "labels.json").read_text())
    return {k: v for k, v in doc["files"].items()}


@pytest.mark.skipif(not (REAL / "labels.json").is_file(),
                    reason="../shared/realworld is absent: the real-world captures are not "
                    "redistributable with this repository")
@pytest.mark.parametrize("name", sorted(_labels()) if (REAL / "labels.json").is_file() else [])
def test_realworld_labels(name: str) -> None:
    lab = _labels()[name]
    r = analyze(str(REAL / name), rules=load_rules())
    for label in lab["expect"]:
        assert any(matches(label, f) for f in r.findings), \
            (label, [(f["mechanism"], f["target"]) for f in r.findings])
    allowed = lab["expect"] + lab.get("allow", [])
    extra = [(f["mechanism"], f["target"], f["rule"]) for f in r.findings
             if not any(matches(a, f) for a in allowed)]
    assert not extra, extra



def test_readme_worked_example_is_valid(tmp_path: Path) -> None:
    """The worked example in rules/README.md loads against the real event types, and its own
    test passes on the bundled demo capture (through the real CLI). ``rules test`` also runs
    every built-in rule's own tests (a positive scenario and benign look-alikes each), so
    this is the test of the built-in catalogue too."""
    text = (ROOT / "rules" / "README.md").read_text()
    block = text.split("## A worked example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    d = tmp_path / "repo"
    (d / "captures").mkdir(parents=True)
    (d / "captures" / DEMO.name).write_bytes(DEMO.read_bytes())
    (d / "my-rules" / "rst-injection").mkdir(parents=True)
    (d / "my-rules" / "rst-injection" / "henan-style-ttl.yaml").write_text(block)
    for sub in (["check", str(d / "my-rules")], ["test", "--rules", str(d / "my-rules")]):
        p = subprocess.run([sys.executable, "-m", "analyzer", "rules", *sub],
                           capture_output=True, text=True, timeout=900)
        assert p.returncode == 0, (sub, p.stdout, p.stderr)
        assert "henan-style-ttl" in p.stdout or sub[0] == "check", p.stdout
    assert "0 failed; 0 rules without tests" in p.stdout, p.stdout
