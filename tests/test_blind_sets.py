"""Blind sets: captures written by someone who saw neither the analyzer nor its rules.

Twenty rounds of positive and benign generators in ``captures/``:
``blind_positive.py`` (18 captures), ``blind2_positive.py`` (17) and ``blind3_positive.py``
(14): every mechanism in other shapes (link types, IPv6, TTLs, timings, ports, DNS over TCP,
QUIC v2, split ClientHellos, mixed with ordinary browsing; in round 3 with the artifacts of
real captures: mid-session starts, offload, SPAN duplicates, snap lengths, clock skew);
``blind_benign.py`` (24), ``blind2_benign.py`` (18) and ``blind3_benign.py`` (20): the
catalogue's false-positive traps, ordinary noise and capture artifacts; a mixed round,
``blind4_mixed.py`` (6 positive, 6 benign), which passed on its first run; and a fifth,
``blind5_positive.py`` (8: SLL, NULL and big-endian pcaps, nanosecond pcapng with two link
types, DNS over TCP and IPv6, a split ClientHello) and ``blind5_benign.py`` (8: a router's
LAN and WAN in one file, a local Pi-hole, 0x20 resolver retries, multi-SAN certificates,
keep-alive probes, a client-limited download, a port filtered from the start), where one
benign capture (keep-alive probes) drew a finding on the first run; and a sixth, benign only:
``blind6_benign_dns.py`` (8 DNS, TLS and QUIC traps: TC=1 then TCP, a retry with a new id,
HelloRetryRequest, QUIC Retry, ECH ...) and ``blind6_benign_tcp.py`` (8: browser aborts, a
SYN proxy's TTL, pipelining after close, PMTUD, 429/503, paced video, a SYN-proxy challenge,
an hour-long WebSocket), where the SYN-proxy challenge drew a finding on the first run; and a
seventh, written after those fixes, ``blind7_positive.py`` (8 mechanisms hidden in 4-6 minute
sessions of 18-39 ordinary flows) and ``blind7_benign.py`` (8: a VPN and obfuscated SSH, a
Wi-Fi to LTE switch, rate-limited range requests, split DNS on a router, an expired
certificate, redirects, a mistyped port, traceroutes), all right on the first run, as was an
eighth, ``blind8_benign_isp.py`` (8 operator and enterprise networks: a transparent mobile TCP
proxy, a satellite PEP's early ACKs, CGNAT expiring an idle QUIC mapping, a forum page quoting
block pages, DNSSEC SERVFAIL, GeoDNS rotation, a slow API, plex.direct) and
``blind8_positive.py`` (6: NXDOMAIN injection, a block page on port 8080 over IPv6, residual
blocking after a Host over IPv6, a poison address, an Iranian SNI drop, throttling in a
two-interface pcapng); and a ninth, ``blind9_positive.py`` (8 catalogue entries easy to
overlook: the 2025 Russian 15-20 KB freeze, edge resets copying the server's TTL, a
Turkmen DNS injector, SNI-based QUIC blocking over IPv6, the LINE 2014 and Clubhouse 2021
case files, the GFW answering a poison address's handshake, an Iranian block page over IPv6)
and ``blind9_benign.py`` (8: a router relaying two upstreams' answers, TCP Fast Open, 0-RTT,
a port scan, a mobile handover's TTL change, QUIC rebinding ...), where the freeze was missed
(no rule yet) and the handover drew a finding on the first run; and a tenth,
``blind10_positive.py`` (6: the freeze over IPv6, THR-01, a relayed DNS injection, type II
resets, DNS redirection to a block page, residual blocking), all found on the first run, and
``blind10_benign.py`` (6 look-alikes of the freeze, throttling and relayed answers), where a
router relaying a DNS64 and a native answer over IPv6 drew a finding on the first run; and an
eleventh, ``blind11_positive.py`` (6, aimed at catalogue entries that had no rule: Iran's
protocol filter, the TSPU's drop after the first TLS packets, ESNI blocking; and RST-06,
PF-01 over IPv6, RST-02) and ``blind11_benign.py`` (6: zero window, OpenVPN on 443, a lossy
uplink, a stalled TLS terminator, Happy Eyeballs over a dead IPv6 path, a hotel dropping all
UDP/443), where the ESNI drop and the protocol filter were missed and the hotel drew
findings on the first run; and a twelfth, ``blind12_positive.py`` (6 in other shapes: the
protocol filter on port 80 in SLL v1, a split post-quantum ClientHello dropped over IPv6, an
Iranian block page on a PPPoE NULL capture, DNS injection over IPv6 and QinQ, residual resets
on port 8080, throttling under a policer) and ``blind12_benign.py`` (6: a fail2ban ban, a
mobile PEP, a CDN's unrecognized_name alert, parallel resolvers, an app-paced download, a
server refusing one virtual host with its own reset), where the policed download drew an
extra finding (a reassembly bug) and the virtual host a false positive on the first run;
and a thirteenth, ``blind13_positive.py`` (6 mechanisms in long, noisy sessions with capture
artifacts: TSO/GRO super-segments, SPAN duplicates, mid-connection starts, snap lengths,
offloaded checksums, time stamps out of order across interfaces) and ``blind13_benign.py``
(6 such sessions: a home morning, a corporate inspection proxy with split-horizon DNS, a
train, a campus Squid cache, BitTorrent next to a VPN, a busy DNS day), where the
corporate proxy, whose CA is in no product list, drew findings on the first run; and a
fourteenth, ``blind14_positive.py`` (6 less common catalogue entries: DNS-06, a forged TLS
alert, QUIC-01, RST-08, THR-02, PF-03) and ``blind14_benign.py`` (6: a virtual host's own
rate limit, a Cloudflare browser check, DNS64, servers' own fatal alerts, a network switch,
NAT and keep-alive resets), where DNS over TLS blocked on one port and throttling with an
SNI-less control were missed, Iran's SNI resets drew an extra residual finding and the
Cloudflare check a block-page finding on the first run; and a fifteenth,
``blind15_positive.py`` (6 in captures taken by measurement platforms: OONI Web
Connectivity, a Hyperquack echo scan, a Satellite resolver scan, urlgetter QUIC versus TCP, a
ZMap scan with a VPN control path, a replay throttling test) and ``blind15_benign.py`` (6
innocent measurement traffic: a SYN scan, a resolver benchmark, an echo scan, sites down, an
HTTP/3 probe of servers without QUIC, a CenTrace-style TTL-limited probe), where IP blocking
with the VPN as the control was missed, and the TTL-limited probe (its own lowered-TTL RSTs,
ClientHellos that expired in transit) and a site's own expired self-signed certificate drew
findings on the first run; and a sixteenth, ``blind16_positive.py`` and ``blind16_benign.py``
(6 + 6 captured elsewhere than on the user's machine: routers' two sides, ISP taps and SPAN
ports, a server's own capture, a gateway, a Kubernetes node, a phone), where PPPoE frames
were not decoded, an injected block page was hidden by the genuine response appended past
its FIN, and a server's capture drew a throttling finding from two clients' downloads on the
first run; and a seventeenth, ``blind17_positive.py`` and ``blind17_benign.py`` (6 + 6 where
names and protocol encodings vary: 0x20 mixed-case DNS names, poison inside a CNAME chain, a
ClientHello split inside its SNI, Host with a port, a QUIC ClientHello over two Initials, an
SNI matched by substring; HTTPS records with hints, IDN and trailing-dot SNIs, absolute-form
proxy requests, QUIC v2 and version negotiation, private and CGNAT answers), where every
positive was found and a server's reset of an SNI with a trailing dot drew a finding on the
first run; and an eighteenth, ``blind18_positive.py`` and ``blind18_benign.py`` (6 + 6 with
timings and distances at the edges: a single Henan reset from a server 332 ms away, a slow DNS
injector with the genuine answer 2.4 s late, residual failures 150-176 s after the trigger,
throttling of short flows, QUIC retried for 31 s before the fallback, a block page from an
in-country edge 3 hops away; a satellite link, a resolver retry answered seconds apart, a
server rebooted after a request, a route change, receiver- and sender-limited transfers, QUIC
through a tunnel outage), all right on the first run; and a nineteenth,
``blind19_positive.py`` and ``blind19_benign.py`` (6 + 6 where the packets of a flow are hard
to put together: five connections on one reused 5-tuple, a genuine DNS answer in IPv4
fragments, an injected response overlapping the genuine one, a ClientHello re-segmented after
a fragmentation-needed, QUIC retried with a new connection ID from the same port, a capture
that starts at the ClientHello; a camera reconnecting from the same port, CGNAT subscribers
sharing an address, fragmented and truncated DNS answers, re-packetized retransmissions, a
doubly mirrored SPAN port, an anycast catchment shift), where QUIC dropped for one name while
the same server answered QUIC for another gave only an observation on the first run; and a
twentieth, ``blind20_positive.py`` and ``blind20_benign.py`` (6 + 6 with apps and protocols
other than the browser: Signal's SNI reset, DNS over TLS blocked on both resolver addresses,
a Shadowsocks server's residual window, LINE's DNS injected, Twitter video throttled, VLC's
update check given a block page; certificate pinning behind an inspection proxy, push
connections reset by a carrier NAT, a WireGuard relay down, Android's DoT probes, fully
encrypted protocols closed on idle, a smart TV's retired cloud), where DNS over TLS tried once
on each of two addresses gave only an observation on the first run. They
were written from ``CONTRACT.md`` and the fingerprints catalogue alone, to find where
detection does not generalise; what they found is in the CHANGELOG. The reviewed
expectations are in ``tests/blind/expect.json`` (``note`` says why a label differs from
the generator's, or why an extra finding is right).

The generators run once per session into a temporary folder (about a minute, two at once).
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
SETS: dict[str, dict[str, dict[str, Any]]] = json.loads(
    (ROOT / "tests" / "blind" / "expect.json").read_text())["sets"]
CASES = [(s, name) for s, files in SETS.items() for name in sorted(files)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("blind")
    pending = list(SETS)
    while pending:  # two generators at a time (the machine has two cores)
        batch, pending = pending[:2], pending[2:]
        runs = {s: subprocess.Popen([sys.executable, str(ROOT / "captures" / f"{s}.py"),
                                     str(out / s)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True) for s in batch}
        for s, proc in runs.items():
            _, err = proc.communicate(timeout=900)
            assert proc.returncode == 0, f"captures/{s}.py failed: {err[-2000:]}"
    return out


@pytest.fixture(scope="module")
def setup() -> tuple[Any, Fingerprints]:
    return load_rules(), Fingerprints.load(())


def test_the_generators_write_the_reviewed_sets(generated: Path) -> None:
    for s, files in SETS.items():
        written = json.loads((generated / s / "expect.json").read_text())
        assert set(written) == set(files), s
        assert all((generated / s / n).is_file() for n in files), s


@pytest.mark.parametrize(("blind_set", "name"), CASES, ids=[f"{s}/{n}" for s, n in CASES])
def test_blind_capture(blind_set: str, name: str, generated: Path,
                       setup: tuple[Any, Fingerprints]) -> None:
    spec = SETS[blind_set][name]
    rules, fp = setup
    result = analyze(str(generated / blind_set / name), rules=rules, fingerprints=fp)
    got = [(f["mechanism"], f["target"]["domain"], f["target"]["ip"], f["rule"])
           for f in result.findings]
    for label in spec["expect"]:
        assert any(matches(label, f) for f in result.findings), f"missed {label}: {got}"
    extra = [g for f, g in zip(result.findings, got, strict=True)
             if not any(matches(lab, f) for lab in spec["expect"] + spec["allow"])]
    assert not extra, f"unexpected findings: {extra}"
    for mech in spec.get("observations", []):
        assert any(o["mechanism"] == mech for o in result.observations), mech
