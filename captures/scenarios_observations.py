#!/usr/bin/env python3
"""Crafted test scenarios for the observation-only rules, byte for byte.

    python captures/scenarios_observations.py              # writes tests/scenarios/<name>/
    python captures/scenarios_observations.py --check      # exits 1 if a file on disk differs
    python captures/scenarios_observations.py NAME...      # only the named scenarios

Each scenario is a directory ``tests/scenarios/<name>/`` holding ``capture.pcap``,
``expect.json`` (no finding; the observation a detector must make) and ``README.md``
(provenance, what the key frames show, references). All three are written by this script,
so the frame numbers in the texts always match the file.

The rules exercised here are marked ``observation_only`` in ``rules/``: weak signals that the
contract (``../shared/CONTRACT.md``) sends to ``observations``, never to ``findings``. Each
capture shows exactly the situation a rule describes and nothing that would turn it into a
finding: a ClientHello never answered with no control (``blackhole``), a vague blocking word
in a server's own 403 page (``blockpage``), a private address for a public name from a
split-horizon resolver (``dns-tampering``), a reset with a mismatched TTL on an SSH session
that named no site, and a genuine-looking server reset right after an SNI with no control
(``rst-injection``). Ordinary traffic (a DNS lookup and a TLS 1.3 visit to another server)
surrounds each event.

Every capture is *crafted*: no packet was ever on a network. Time stamps, sequence numbers,
IP IDs and "random" bytes come from fixed values and a fixed seed per scenario, so every run
writes the same bytes. Packets are built with scapy (checksums computed by scapy); the TCP
connection state (:class:`Conn`, :class:`Side`), the TLS records, DNS messages and the pcap
writer come from ``captures/generate.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from generate import (  # noqa: E402  (captures/ is not a package)
    MS,
    NS,
    US,
    Conn,
    Rec,
    Side,
    app_data,
    client_hello,
    dns_answer,
    dns_query,
    ether,
    pcap,
    segments,
    server_flight,
    session_id_of,
    udp4,
)

OUT = HERE.parent / "tests" / "scenarios"
SCRIPT = "captures/scenarios_observations.py"
FINGERPRINTS = "`../shared/research/fingerprints.md`"


def at(iso: str) -> int:
    """Seconds since the epoch of an ISO-8601 UTC time (a fixed capture date)."""
    return int(datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp())


# ============================================================================ the scene


class Scene:
    """Collects the packets of one capture (any order), then numbers them by time; packets
    may carry a label, so the texts can name their frames."""

    def __init__(self, start: int, seed: int, client: str, resolver: str, *,
                 resolver_ttl: int = 64, resolver_ipid: int | None = None,
                 client_mac: str = "3c:22:fb:5a:10:23",
                 gw_mac: str = "c8:3a:35:0e:41:01") -> None:
        self.start = start
        self.rnd = random.Random(seed)
        self.client = client
        self.resolver = resolver
        self.resolver_ttl = resolver_ttl
        #: None: the resolver sends IP ID 0 with DF (Linux, unconnected UDP); else a counter
        self.resolver_ipid = resolver_ipid
        self.client_mac = client_mac
        self.gw_mac = gw_mac
        self._pk: list[tuple[int, int, bytes, bool, str | None]] = []
        self.recs: list[Rec] = []
        self.frames: dict[str, list[int]] = {}

    def add(self, t: int, ip: bytes, out: bool, label: str | None = None) -> None:
        self._pk.append((t, len(self._pk), ip, out, label))

    def link(self, ip: bytes, out: bool) -> bytes:
        if out:
            return ether(ip, self.client_mac, self.gw_mac)
        return ether(ip, self.gw_mac, self.client_mac, pad=True)

    def finish(self) -> bytes:
        """Number the packets by time (stable for equal times); the pcap file (µs)."""
        self.recs, self.frames = [], {}
        for n, (t, _, ip, out, label) in enumerate(sorted(self._pk), 1):
            self.recs.append(Rec(self.start * NS + t, self.link(ip, out)))
            if label:
                self.frames.setdefault(label, []).append(n)
        return pcap(self.recs, 1)

    def fr(self, *labels: str) -> str:
        """'frame 7' / 'frames 7-9' / 'frames 3, 8, 12' for the packets of the labels."""
        nums = sorted(n for lb in labels for n in self.frames[lb])
        if len(nums) == 1:
            return f"frame {nums[0]}"
        if nums == list(range(nums[0], nums[-1] + 1)):
            return f"frames {nums[0]}-{nums[-1]}"
        return "frames " + ", ".join(map(str, nums))

    def span(self, first: str, last: str) -> str:
        """'frames a-b' from the first frame of one label to the last frame of another."""
        return f"frames {self.frames[first][0]}-{self.frames[last][-1]}"

    def ms(self, a: str, b: str) -> str:
        """Milliseconds between the first packets of two labels, for the texts."""
        ta = self.recs[self.frames[a][0] - 1].ts
        tb = self.recs[self.frames[b][0] - 1].ts
        return f"{(tb - ta) / MS:.1f} ms"

    # --------------------------------------------------------------- DNS

    def lookup(self, t: int, name: str, answers: Sequence[tuple[str, str, int, str]],
               rtt: int, *, aa: int = 0, label: str | None = None) -> int:
        """A query from the client and the resolver's single answer ``rtt`` later (labels
        ``label`` and ``label:ans``). Returns the time of the answer."""
        rnd = self.rnd
        txid = rnd.getrandbits(16)
        sport = rnd.randrange(33_000, 60_999)
        self.add(t, udp4(self.client, sport, self.resolver, 53, dns_query(txid, name),
                         ipid=rnd.getrandbits(16), df=True), True, label)
        if self.resolver_ipid is None:
            ipid, df = 0, True
        else:
            self.resolver_ipid = (self.resolver_ipid + rnd.randint(1, 40)) & 0xFFFF
            ipid, df = self.resolver_ipid, False
        self.add(t + rtt, udp4(self.resolver, 53, self.client, sport,
                               dns_answer(txid, name, answers, aa=aa),
                               ttl=self.resolver_ttl, ipid=ipid, df=df), False,
                 label and label + ":ans")
        return t + rtt

    # --------------------------------------------------------------- TCP

    def conn(self, server: str, port: int, *, sttl: int, mss: int = 1460, ws: int = 9) -> Conn:
        """A TCP connection from the (Linux) client to a Linux server; both use timestamps
        and count their IP IDs per connection from a random start."""
        rnd = self.rnd
        c = Side(self.client, rnd.randrange(33_000, 60_999), rnd.getrandbits(32), 64,
                 rnd.getrandbits(16), 64240,
                 [("MSS", 1460), ("SAckOK", b""), ("Timestamp", None), ("NOP", None),
                  ("WScale", 7)], rnd.getrandbits(32), win_after_syn=502)
        s = Side(server, port, rnd.getrandbits(32), sttl, rnd.getrandbits(16), 65160,
                 [("MSS", mss), ("SAckOK", b""), ("Timestamp", None), ("NOP", None),
                  ("WScale", ws)], rnd.getrandbits(32), win_after_syn=509)
        return Conn(c, s)

    def tcp(self, k: Conn, who: str, t: int, flags: str, payload: bytes = b"",
            label: str | None = None, **kw: object) -> int:
        self.add(t, k.pkt(who, t, flags, payload, **kw), who == "c", label)  # type: ignore[arg-type]
        return t

    def handshake(self, k: Conn, t: int, rtt: int, label: str | None = None) -> int:
        self.tcp(k, "c", t, "S", label=label and label + ":syn")
        self.tcp(k, "s", t + rtt, "SA", label=label and label + ":synack")
        t += rtt + 110 * US
        return self.tcp(k, "c", t, "A", label=label and label + ":ack")

    def send(self, k: Conn, who: str, t: int, data: bytes, *, gap: int = 40 * US,
             label: str | None = None) -> int:
        """Data from one side in MSS-sized segments (1448 bytes with timestamps)."""
        segs = segments(data, min(s.syn_opts[0][1] for s in k.side.values()) - 12)  # type: ignore[operator]
        for i, seg in enumerate(segs):
            self.tcp(k, who, t, "PA" if i == len(segs) - 1 else "A", seg,
                     label=label if i == 0 else None)
            t += gap
        return t - gap

    def close(self, k: Conn, t: int, rtt: int, label: str | None = None) -> int:
        """FIN from the client, FIN from the server, the last ACK."""
        self.tcp(k, "c", t, "FA", label=label)
        self.tcp(k, "s", t + rtt, "FA", label=label)
        return self.tcp(k, "c", t + rtt + 70 * US, "A", label=label)

    def tls13(self, k: Conn, t: int, rtt: int, sni: str, response: int,
              label: str | None = None) -> int:
        """A browser's TLS 1.3 session: ClientHello, ServerHello + CCS + encrypted flight,
        the client's Finished and request, the server's response."""
        rnd = self.rnd
        ch = client_hello(sni, rnd)
        t = self.tcp(k, "c", t + 250 * US, "PA", ch, label=label and label + ":ch")
        t = self.tcp(k, "s", t + rtt, "A")
        t = self.send(k, "s", t + 900 * US, server_flight(rnd, session_id_of(ch), 2980),
                      label=label and label + ":sh")
        t = self.tcp(k, "c", t + 300 * US, "A")
        t = self.tcp(k, "c", t + 2 * MS, "PA", b"\x14\x03\x03\x00\x01\x01" + app_data(rnd, 53))
        t = self.tcp(k, "c", t + 150 * US, "PA", app_data(rnd, 185 + rnd.randrange(60)))
        t = self.tcp(k, "s", t + rtt, "A")
        sizes = [16401] * (response // 16401) + ([response % 16401] if response % 16401 else [])
        t = self.send(k, "s", t + 2 * MS, app_data(rnd, 226, 226, *sizes))
        return self.tcp(k, "c", t + 250 * US, "A")

    def browse(self, t: int, name: str, answers: Sequence[tuple[str, str, int, str]],
               dns_rtt: int, *, sttl: int, rtt: int, response: int, label: str,
               mss: int = 1460, ws: int = 9, close_after: int = 400 * MS) -> int:
        """An ordinary HTTPS visit: the lookup (labels ``label:dns``, ``label:dns:ans``),
        a TLS 1.3 session to the answer's last address (packets labelled ``label`` from the
        SYN to the last ACK), closed by the client after a pause."""
        t = self.lookup(t, name, answers, dns_rtt, label=label + ":dns")
        k = self.conn(answers[-1][3], 443, sttl=sttl, mss=mss, ws=ws)
        t = self.handshake(k, t + 1_100 * US, rtt, label=label)
        t = self.tls13(k, t, rtt, name, response, label=label)
        return self.close(k, t + close_after, rtt, label=label + ":end")


# ============================================================================ output


@dataclass
class Built:
    """One scenario as written to disk."""

    name: str
    fn: Callable[[], Built]
    sc: Scene
    data: bytes
    about: str
    shows: str
    observation: str       # the mechanism
    rule: str              # the rule that must produce it
    expected: str
    refs: list[str] = field(default_factory=list)
    capture: str = "capture.pcap"

    def expect_json(self) -> bytes:
        doc = {"about": self.about, "expect": [], "allow": [],
               "observations": [self.observation]}
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()

    def readme(self) -> bytes:
        when = datetime.fromtimestamp(self.sc.start, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return (
            f"# {self.name}\n\n"
            f"Crafted by `{SCRIPT}`, function `{self.fn.__name__}`; no packet was ever on a "
            f"network. Regenerate with `python {SCRIPT} {self.name}` (byte-identical "
            f"output).\n\n"
            f"**Capture:** `{self.capture}`, pcap, Ethernet, µs; {len(self.sc.recs)} frames; "
            f"starts {when}.\n\n"
            f"## What the capture shows\n\n{self.shows.strip()}\n\n"
            f"## Expected result\n\n"
            f"- No finding at all (`\"expect\": []`, `\"allow\": []`).\n"
            f"- A `{self.observation}` observation (rule `{self.rule}`) must appear in "
            f"`observations` {self.expected.strip()}\n\n"
            "## References\n\n" + "".join(f"- {r}\n" for r in self.refs)).encode()

    def files(self) -> dict[str, bytes]:
        return {self.capture: self.data, "expect.json": self.expect_json(),
                "README.md": self.readme()}


REF_CONTRACT = ("`../shared/CONTRACT.md` (findings vs observations: weak signals go to "
                "`observations`, never to `findings`)")
REF_TRAP_RST = f"{FINGERPRINTS} §15 trap 1 (legitimate / middlebox RSTs)"
REF_TRAP_TTL = f"{FINGERPRINTS} §15 trap 2 (TTL/IP-ID heuristics are fragile)"
REF_TRAP_DNS = f"{FINGERPRINTS} §15 trap 3 (split-horizon DNS)"
REF_TRAP_TIMEOUT = f"{FINGERPRINTS} §15 trap 6 (timeouts that are not blocking: need a control)"
REF_TRAP_PAGE = f"{FINGERPRINTS} §15 trap 7 (block-page look-alikes, generic titles)"


# ============================================================================ scenarios


WIKI = [("www.wikipedia.org", "CNAME", 21_542, "dyna.wikimedia.org"),
        ("dyna.wikimedia.org", "A", 426, "185.15.59.224")]


def obs_client_hello_unanswered() -> Built:
    """The handshake with one server completes, the ClientHello (SNI www.example-news.org)
    is retransmitted 3 times over 3 s and never acknowledged or answered, no RST or FIN;
    no other connection to that server."""
    sc = Scene(at("2022-05-17T08:41:12"), 0x0B5_0001, "192.168.0.23", "192.168.0.1",
               client_mac="9c:b6:d0:4e:21:7a", gw_mac="dc:39:6f:12:80:c4")
    rnd = sc.rnd
    t = sc.browse(0, "www.wikipedia.org", WIKI, 17_420 * US, sttl=54, rtt=26_310 * US,
                  response=9000, label="wiki")
    name, srv = "www.example-news.org", "185.230.61.94"
    t = sc.lookup(t + 2_870 * MS, name, [(name, "A", 300, srv)], 21_930 * US, label="dns")
    k = sc.conn(srv, 443, sttl=51, ws=8)
    t = sc.handshake(k, t + 1_200 * US, 62_180 * US, label="news")
    ch = client_hello(name, rnd)
    seq = k.side["c"].seq
    t_ch = sc.tcp(k, "c", t + 240 * US, "PA", ch, label="ch")
    for delay in (430, 1_290, 3_010):          # RTO 430 ms, doubling
        sc.tcp(k, "c", t_ch + delay * MS, "PA", ch, seq=seq, label="retx")
    data = sc.finish()
    about = (
        "A Linux client loads www.wikipedia.org normally over TLS 1.3. It then resolves "
        "www.example-news.org (one answer, 185.230.61.94) and opens TCP to port 443: the "
        "handshake completes (RTT 62 ms, server TTL 51). The client sends its ClientHello "
        "with SNI www.example-news.org and retransmits it after 0.43, 1.29 and 3.01 s. "
        "The server never acknowledges it and never sends anything else: no ServerHello, "
        "no RST, no FIN, until the capture ends. This is how SNI blackholing looks "
        "(TLS-02), but also how a server that hangs after accepting connections, or an MTU "
        "black hole for the ClientHello's size, looks. There is no other connection to "
        "185.230.61.94 in the capture, so no control shows the server working for another "
        "name. Per the contract, a timeout with nothing to compare against is an "
        "observation, not a finding. Expected: no finding, and a blackhole observation for "
        "www.example-news.org.")
    shows = f"""
Client 192.168.0.23 (Linux, TTL 64, TCP timestamps), home router 192.168.0.1 as DNS
forwarder. pcap with microsecond time stamps, Ethernet.

- {sc.fr("wiki:dns", "wiki:dns:ans")}, {sc.span("wiki:syn", "wiki:end")}: DNS and TLS 1.3 to
  www.wikipedia.org (185.15.59.224). Ordinary traffic.
- {sc.fr("dns", "dns:ans")}: DNS A www.example-news.org -> 185.230.61.94, one answer.
- {sc.fr("news:syn")}, {sc.fr("news:synack")}, {sc.fr("news:ack")}: handshake with
  185.230.61.94:443. SYN/ACK after {sc.ms("news:syn", "news:synack")}, TTL 51.
- {sc.fr("ch")}: ClientHello, SNI **www.example-news.org**.
- {sc.fr("retx")}: the same ClientHello retransmitted (same sequence number, same bytes)
  0.43, 1.29 and 3.01 s after the first. None is acknowledged.
- Nothing ever comes back from 185.230.61.94 after its SYN/ACK: no ACK, no data, no RST,
  no FIN, until the capture ends with the last retransmission.
- No other flow to 185.230.61.94 in the capture (no control).
"""
    return Built("obs-client-hello-unanswered", obs_client_hello_unanswered, sc, data, about,
                 shows, "blackhole", "blackhole/client-hello-unanswered",
                 " (for www.example-news.org, 185.230.61.94:443).",
                 [f"{FINGERPRINTS} §4 TLS-02 (SNI-triggered blackholing, \"handshake "
                  "timeout\")", REF_TRAP_TIMEOUT, REF_CONTRACT])


# ---------------------------------------------------------------------------- HTTP


UA = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"


def http_get(host: str, path: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", f"User-Agent: {UA}",
             "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
             "Accept-Language: en-US,en;q=0.5", "Accept-Encoding: gzip, deflate",
             "Connection: keep-alive", "Upgrade-Insecure-Requests: 1"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def http_response(status: str, body: bytes, headers: Sequence[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers),
             f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def date_hdr(sc: Scene, t: int) -> str:
    return datetime.fromtimestamp(sc.start + t // NS, UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


FIREWALL_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Blocked</title>
<style>body{font-family:sans-serif;margin:4em;color:#333}code{background:#eee}</style>
</head>
<body>
<h1>Request blocked</h1>
<p>Your request to this web site was blocked by its security rules.</p>
<p>If you think this is a mistake, write to webmaster@example-outdoor.com and quote
the reference <code>REF-7f3a91c2</code>.</p>
</body>
</html>
"""


def obs_http_vague_blocking_word() -> Built:
    """A site's own firewall answers GET / with a genuine 403 whose title is "Blocked":
    after a normal RTT, with the server's TTL, IP ID and DF, no race; connection closed
    normally."""
    sc = Scene(at("2023-03-02T19:06:47"), 0x0B5_0002, "192.168.178.34", "192.168.178.1",
               client_mac="48:51:c5:0a:7d:33", gw_mac="3c:a6:2f:55:19:e0")
    t = sc.browse(0, "www.openstreetmap.org",
                  [("www.openstreetmap.org", "A", 3600, "184.104.226.105")], 23_610 * US,
                  sttl=53, rtt=88_040 * US, response=21000, label="osm")
    name, srv = "www.example-outdoor.com", "46.101.137.20"
    t = sc.lookup(t + 4_120 * MS, name, [(name, "A", 600, srv)], 19_840 * US, label="dns")
    rtt = 31_270 * US
    k = sc.conn(srv, 80, sttl=50, ws=7)
    t = sc.handshake(k, t + 1_000 * US, rtt, label="http")
    t = sc.tcp(k, "c", t + 190 * US, "PA", http_get(name, "/"), label="get")
    resp = http_response("403 Forbidden", FIREWALL_PAGE,
                         [("Server", "nginx"), ("Date", date_hdr(sc, t + rtt)),
                          ("Content-Type", "text/html; charset=utf-8"),
                          ("Connection", "keep-alive"), ("Cache-Control", "no-store")])
    t = sc.tcp(k, "s", t + rtt + 1_840 * US, "PA", resp, label="403")
    t = sc.tcp(k, "c", t + 60 * US, "A")
    sc.close(k, t + 2_400 * MS, rtt, label="end")
    data = sc.finish()
    about = (
        "A Linux client loads www.openstreetmap.org normally over TLS 1.3, then resolves "
        "www.example-outdoor.com (one answer, 46.101.137.20) and sends GET / over HTTP. "
        "The server's own nginx answers 403 Forbidden with an HTML page titled "
        "\"Blocked\" (the site's web application firewall refused the request). The response "
        "comes 33 ms after the request, one RTT plus the server's processing time, with "
        "the TTL of the server's SYN/ACK (50), its DF bit and the next IP ID of its counter. "
        "Nothing races it, and the connection closes normally with FINs. <title>Blocked</title> "
        "is in the block-page fingerprints only as a vague blocking word (scope vbw, "
        "cp.f_gen_blocked_37): many benign pages say so. Expected: no finding, and a "
        "blockpage observation for www.example-outdoor.com.")
    shows = f"""
Client 192.168.178.34 (Linux, TTL 64, TCP timestamps), home router 192.168.178.1 as DNS
forwarder. pcap with microsecond time stamps, Ethernet.

- {sc.fr("osm:dns", "osm:dns:ans")}, {sc.span("osm:syn", "osm:end")}: DNS and TLS 1.3 to
  www.openstreetmap.org (184.104.226.105). Ordinary traffic.
- {sc.fr("dns", "dns:ans")}: DNS A www.example-outdoor.com -> 46.101.137.20, one answer.
- {sc.fr("http:syn")}, {sc.fr("http:synack")}, {sc.fr("http:ack")}: handshake with
  46.101.137.20:80. SYN/ACK after {sc.ms("http:syn", "http:synack")}, TTL 50, DF.
- {sc.fr("get")}: `GET / HTTP/1.1`, Host **www.example-outdoor.com**.
- {sc.fr("403")}: `HTTP/1.1 403 Forbidden`, `Server: nginx`, an HTML page with
  `<title>Blocked</title>` ("Request blocked ... by its security rules"), in one segment
  {sc.ms("get", "403")} after the request. TTL 50 (as the SYN/ACK), DF, the server's next IP
  ID and sequence number, TCP timestamps: the server's own stack. No other response.
- {sc.fr("end")}: the client closes the idle connection 2.4 s later (FIN, FIN, ACK).
"""
    return Built("obs-http-vague-blocking-word", obs_http_vague_blocking_word, sc, data, about,
                 shows, "blockpage", "blockpage/vague-blocking-word",
                 " (for www.example-outdoor.com; pattern `<title>Blocked</title>`, scope "
                 "vbw).",
                 [f"{FINGERPRINTS} §9 HTTP-01 (block page injected by an in-path box: "
                  "faster than the RTT, TTL differing from the server's; none of it here)",
                  f"{FINGERPRINTS} §13 ooni/blocking-fingerprints (scope vbw: vague blocking "
                  "words)", REF_TRAP_PAGE, REF_CONTRACT])


# ---------------------------------------------------------------------------- DNS


INTRANET_PAGE = b"""<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Example Corp intranet</title></head>
<body>
<h1>Example Corp intranet</h1>
<ul>
<li><a href="/hr/">HR and holidays</a></li>
<li><a href="/it/">IT service desk</a></li>
<li><a href="/wiki/">Team wiki</a></li>
</ul>
</body>
</html>
"""


def obs_dns_private_for_public() -> Built:
    """Split-horizon DNS: the corporate resolver answers intranet.example-corp.com with
    10.20.30.40 (one normal answer), and HTTP to it works."""
    sc = Scene(at("2024-01-23T09:14:05"), 0x0B5_0003, "10.8.4.57", "10.8.0.53",
               resolver_ttl=127, resolver_ipid=0x31C2, client_mac="8c:8c:aa:e1:04:5f",
               gw_mac="00:1b:17:00:01:12")
    t = sc.browse(0, "www.wikipedia.org", WIKI, 24_810 * US, sttl=53, rtt=29_940 * US,
                  response=12000, label="wiki")
    name, srv = "intranet.example-corp.com", "10.20.30.40"
    t = sc.lookup(t + 3_640 * MS, name, [(name, "A", 3600, srv)], 1_230 * US, aa=1,
                  label="dns")
    rtt = 2_140 * US
    k = sc.conn(srv, 80, sttl=62, ws=7)
    t = sc.handshake(k, t + 800 * US, rtt, label="http")
    t = sc.tcp(k, "c", t + 160 * US, "PA", http_get(name, "/"), label="get")
    resp = http_response("200 OK", INTRANET_PAGE,
                         [("Server", "Apache/2.4.57 (Debian)"), ("Date", date_hdr(sc, t + rtt)),
                          ("Content-Type", "text/html; charset=UTF-8"),
                          ("Keep-Alive", "timeout=5, max=100"), ("Connection", "Keep-Alive")])
    t = sc.tcp(k, "s", t + rtt + 730 * US, "PA", resp, label="200")
    t = sc.tcp(k, "c", t + 50 * US, "A")
    sc.close(k, t + 1_900 * MS, rtt, label="end")
    data = sc.finish()
    about = (
        "A Linux laptop on a company network (10.8.4.57) uses the company's resolver "
        "10.8.0.53. www.wikipedia.org resolves to its public address and loads over TLS 1.3. "
        "Then the resolver answers intranet.example-corp.com, a name under the company's "
        "public domain, with 10.20.30.40, a private (RFC 1918) address: split-horizon DNS, "
        "the internal view of the zone (one authoritative answer, TTL 3600, 1.2 ms, no "
        "second response). The client then loads http://intranet.example-corp.com/ from "
        "10.20.30.40 and gets the intranet's 200 OK page. A private address for a public name "
        "is also what some national DNS censors answer (DNS-05), so the analyzer records it, "
        "but without a race, a fingerprinted address or a failure it stays an observation. "
        "Expected: no finding, and a dns-tampering observation for "
        "intranet.example-corp.com.")
    shows = f"""
Client 10.8.4.57 (Linux, TTL 64, TCP timestamps), the company's resolver 10.8.0.53 (one hop
away, TTL 127, IP IDs from a counter). pcap with microsecond time stamps, Ethernet.

- {sc.fr("wiki:dns", "wiki:dns:ans")}, {sc.span("wiki:syn", "wiki:end")}: DNS and TLS 1.3 to
  www.wikipedia.org (185.15.59.224). Ordinary traffic.
- {sc.fr("dns")}: DNS A **intranet.example-corp.com**.
- {sc.fr("dns:ans")}: the single answer, {sc.ms("dns", "dns:ans")} later: AA set,
  intranet.example-corp.com A **10.20.30.40**, TTL 3600 (the internal view of the zone).
- {sc.fr("http:syn")}, {sc.fr("http:synack")}, {sc.fr("http:ack")}: handshake with
  10.20.30.40:80 (RTT {sc.ms("http:syn", "http:synack")}, TTL 62).
- {sc.fr("get")}, {sc.fr("200")}: `GET /` with Host intranet.example-corp.com, answered
  `200 OK` by Apache with the intranet's home page.
- {sc.fr("end")}: the client closes the connection (FIN, FIN, ACK).
"""
    return Built("obs-dns-private-for-public", obs_dns_private_for_public, sc, data, about,
                 shows, "dns-tampering", "dns-tampering/private-address-for-public-name",
                 " (intranet.example-corp.com resolved to the private address 10.20.30.40).",
                 [f"{FINGERPRINTS} §3 DNS-05 (national/ISP redirection to block-page servers "
                  "or bogons)", REF_TRAP_DNS, "RFC 1918 (private address space)", REF_CONTRACT])


# ---------------------------------------------------------------------------- SSH + RST


def ssh_packet(rnd: random.Random, payload: bytes, block: int = 8) -> bytes:
    """An unencrypted SSH binary packet (RFC 4253 §6): length, padding length, payload,
    random padding (at least 4 bytes, total a multiple of ``block``)."""
    pad = block - (5 + len(payload)) % block
    if pad < 4:
        pad += block
    return struct.pack("!IB", 1 + len(payload) + pad, pad) + payload + rnd.randbytes(pad)


def ssh_string(b: bytes) -> bytes:
    return struct.pack("!I", len(b)) + b


def name_list(*names: str) -> bytes:
    return ssh_string(",".join(names).encode())


def kexinit(rnd: random.Random, server: bool) -> bytes:
    """SSH_MSG_KEXINIT (RFC 4253 §7.1) as OpenSSH sends it."""
    kex = ["curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256",
           "diffie-hellman-group16-sha512", "diffie-hellman-group14-sha256"]
    kex.append("kex-strict-s-v00@openssh.com" if server else "ext-info-c")
    hostkey = (["rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256", "ssh-ed25519"] if server
               else ["ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", "ecdsa-sha2-nistp256",
                     "rsa-sha2-512", "rsa-sha2-256"])
    ciphers = ["chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr",
               "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"]
    macs = ["umac-64-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
            "hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com", "umac-64@openssh.com",
            "hmac-sha2-256", "hmac-sha2-512"]
    comp = ["none", "zlib@openssh.com"]
    body = (b"\x14" + rnd.randbytes(16) + name_list(*kex) + name_list(*hostkey)
            + name_list(*ciphers) * 2 + name_list(*macs) * 2 + name_list(*comp) * 2
            + name_list() * 2 + b"\x00" + b"\x00\x00\x00\x00")
    return ssh_packet(rnd, body)


def obs_rst_ttl_no_trigger() -> Built:
    """An SSH session (port 22): banners, key exchange, encrypted packets; then a RST+ACK
    in the server's name whose TTL is 9 above the server's SYN/ACK TTL, no FIN before it
    and nothing naming a site in the connection."""
    sc = Scene(at("2023-09-08T15:30:22"), 0x0B5_0004, "192.168.1.64", "192.168.1.1",
               client_mac="f4:8c:50:2b:9e:07", gw_mac="e8:48:b8:c0:31:6a")
    rnd = sc.rnd
    t = sc.browse(0, "www.debian.org", [("www.debian.org", "A", 300, "130.89.148.77")],
                  15_930 * US, sttl=50, rtt=24_680 * US, response=14000, label="deb")
    name, srv = "build.example-lab.net", "178.62.195.33"
    t = sc.lookup(t + 5_210 * MS, name, [(name, "A", 3600, srv)], 18_770 * US, label="dns")
    rtt = 38_420 * US
    k = sc.conn(srv, 22, sttl=53, ws=7)
    t = sc.handshake(k, t + 700 * US, rtt, label="ssh")
    # banners: the server speaks first (RFC 4253 §4.2)
    t = sc.tcp(k, "s", t + rtt + 3_100 * US, "PA",
               b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1\r\n", label="banner-s")
    t = sc.tcp(k, "c", t + 40 * US, "PA", b"SSH-2.0-OpenSSH_9.3\r\n", label="banner-c")
    t = sc.send(k, "c", t + 310 * US, kexinit(rnd, False), label="kexinit-c")
    t = sc.send(k, "s", t + rtt + 200 * US, kexinit(rnd, True), label="kexinit-s")
    # SSH_MSG_KEX_ECDH_INIT: the client's X25519 public key
    t = sc.tcp(k, "c", t + 420 * US, "PA",
               ssh_packet(rnd, b"\x1e" + ssh_string(rnd.randbytes(32))),
               label="ecdh-init")
    # SSH_MSG_KEX_ECDH_REPLY (host key, server key, signature) + SSH_MSG_NEWKEYS
    hostkey = ssh_string(b"ssh-ed25519") + ssh_string(rnd.randbytes(32))
    sig = ssh_string(b"ssh-ed25519") + ssh_string(rnd.randbytes(64))
    reply = ssh_packet(rnd, b"\x1f" + ssh_string(hostkey) + ssh_string(rnd.randbytes(32))
                       + ssh_string(sig)) + ssh_packet(rnd, b"\x15")
    t = sc.tcp(k, "s", t + rtt + 2_900 * US, "PA", reply, label="ecdh-reply")
    # NEWKEYS, then encrypted packets (chacha20-poly1305: 4-byte length, data, 16-byte tag)
    t = sc.tcp(k, "c", t + 900 * US, "PA", ssh_packet(rnd, b"\x15") + rnd.randbytes(44),
               label="enc")
    # service accept; user authentication; its success with the session's first output;
    # one keystroke and its echo
    for who, size, gap in [("s", 44, rtt), ("c", 148, 5_600 * US),
                           ("s", 1012, rtt + 6_800 * US), ("c", 36, 1_340 * MS),
                           ("s", 36, rtt)]:
        t = sc.tcp(k, who, t + gap, "PA", rnd.randbytes(size),
                   label="enc" if who == "c" else "enc-s")
    t = sc.tcp(k, "c", t + 40 * MS, "A", label="last")
    # the reset, in the server's name: RST+ACK, next sequence number, no options, window 0,
    # IP ID 0 without DF, TTL 62 where the server's packets carry 53
    sc.tcp(k, "s", t + 11_760 * MS, "RA", ttl=62, ipid=0, df=False, win=0, opts=[],
           advance=False, label="rst")
    data = sc.finish()
    about = (
        "A Linux client loads www.debian.org normally over TLS 1.3, then resolves "
        "build.example-lab.net (one answer, 178.62.195.33) and opens an SSH session to port "
        "22. The server sends its banner, both sides exchange KEXINIT, the ECDH key exchange "
        "and NEWKEYS, then encrypted packets of an interactive session. 11.8 s after the "
        "last packet a RST+ACK arrives in the server's name: its sequence number is exactly "
        "the server's next one and it acknowledges everything the client sent, but its TTL "
        "is 62 where every packet of the server, from the SYN/ACK on, carries 53 (9 hops "
        "off), with IP ID 0, no DF and no TCP options. No FIN preceded it. The TTL says a device "
        "on the path sent it (a firewall or NAT closing the idle session, or a censor), but "
        "nothing the client sent named a site (no SNI, no Host: SSH only), so nothing ties "
        "it to censorship of a name. Per the contract, a TTL mismatch with no trigger is an "
        "observation. Expected: no finding, and an rst-injection observation for "
        "178.62.195.33:22.")
    shows = f"""
Client 192.168.1.64 (Linux, TTL 64, TCP timestamps), home router 192.168.1.1 as DNS
forwarder. pcap with microsecond time stamps, Ethernet.

- {sc.fr("deb:dns", "deb:dns:ans")}, {sc.span("deb:syn", "deb:end")}: DNS and TLS 1.3 to
  www.debian.org (130.89.148.77). Ordinary traffic.
- {sc.fr("dns", "dns:ans")}: DNS A build.example-lab.net -> 178.62.195.33, one answer.
- {sc.fr("ssh:syn")}, {sc.fr("ssh:synack")}, {sc.fr("ssh:ack")}: handshake with
  178.62.195.33:22. SYN/ACK after {sc.ms("ssh:syn", "ssh:synack")}, **TTL 53**, DF.
- {sc.fr("banner-s")}, {sc.fr("banner-c")}: the SSH banners
  (`SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1`, `SSH-2.0-OpenSSH_9.3`).
- {sc.fr("kexinit-c")}, {sc.fr("kexinit-s")}: SSH_MSG_KEXINIT from each side (binary
  packets); {sc.fr("ecdh-init")}, {sc.fr("ecdh-reply")}: the ECDH key exchange and NEWKEYS.
- {sc.fr("enc")} (client) and {sc.fr("enc-s")} (server): encrypted SSH packets, every
  server packet with TTL 53, DF and the server's IP ID counter.
- {sc.fr("last")}: the client's last ACK.
- {sc.fr("rst")}: **RST+ACK** in the server's name, 11.76 s later: TTL **62**
  (server: 53, delta +9), IP ID 0, DF clear, window 0, no options; seq = the server's next
  sequence number, ack = the client's next. No FIN from either side before it, nothing after.
"""
    return Built("obs-rst-ttl-no-trigger", obs_rst_ttl_no_trigger, sc, data, about, shows,
                 "rst-injection", "rst-injection/header-mismatch-without-trigger",
                 " (for 178.62.195.33:22; TTL 62 against the server's 53, no named request).",
                 [f"{FINGERPRINTS} §2 RST-01 (generic forged-RST detection: TTL and IP ID "
                  "against the sender's)", REF_TRAP_RST, REF_TRAP_TTL, REF_CONTRACT])


def obs_reset_after_name_no_control() -> Built:
    """A ClientHello for www.example-blocked.net answered by one RST+ACK 1.2 RTT later that
    looks like the server's own stack (its TTL, DF, next IP ID, next sequence number,
    window 0); no server data before it and no other connection to that server."""
    sc = Scene(at("2024-06-11T21:52:38"), 0x0B5_0005, "192.168.1.102", "192.168.1.1",
               client_mac="a8:6d:aa:71:3c:d2", gw_mac="b0:95:75:1e:62:08")
    rnd = sc.rnd
    t = sc.browse(0, "www.gnu.org", [("www.gnu.org", "A", 300, "209.51.188.116")],
                  20_460 * US, sttl=49, rtt=97_210 * US, response=16000, label="gnu")
    name, srv = "www.example-blocked.net", "94.130.182.9"
    t = sc.lookup(t + 2_480 * MS, name, [(name, "A", 900, srv)], 16_350 * US, label="dns")
    rtt = 48_160 * US
    k = sc.conn(srv, 443, sttl=55, ws=7)
    t = sc.handshake(k, t + 1_000 * US, rtt, label="blk")
    t = sc.tcp(k, "c", t + 230 * US, "PA", client_hello(name, rnd), label="ch")
    # the server's kernel resets: RST+ACK, its TTL and DF, the next IP ID of its counter,
    # seq = its next sequence number, ack = past the ClientHello, window 0, no options
    sc.tcp(k, "s", t + rtt * 12 // 10, "RA", win=0, opts=[], advance=False, label="rst")
    sc.browse(t + 3_170 * MS, "www.eff.org", [("www.eff.org", "A", 300, "151.101.2.201")],
              12_030 * US, sttl=57, rtt=14_820 * US, response=11000, label="eff", ws=7)
    data = sc.finish()
    about = (
        "A Linux client loads www.gnu.org normally over TLS 1.3, then resolves "
        "www.example-blocked.net (one answer, 94.130.182.9) and opens TCP to port 443 (RTT "
        "48 ms, server TTL 55). It sends a ClientHello with SNI www.example-blocked.net; "
        "57.8 ms later (1.2 RTT) one RST+ACK arrives from the server's side. It looks "
        "exactly like the server's own kernel: the TTL of its SYN/ACK (55), DF set, the "
        "next IP ID of its counter, window 0, sequence number exactly the server's next one, "
        "acknowledging the ClientHello. The server sent no data before it, and nothing comes "
        "after it. That fits SNI filtering that resets in the server's name, and equally a "
        "server (or its load balancer) that refuses connections for that name. No other "
        "connection to 94.130.182.9 is in the capture, so no control shows the server "
        "working for another name, and nothing in the reset's headers shows it forged. "
        "Afterwards www.eff.org loads normally. Expected: no finding, and an rst-injection "
        "observation for www.example-blocked.net.")
    shows = f"""
Client 192.168.1.102 (Linux, TTL 64, TCP timestamps), home router 192.168.1.1 as DNS
forwarder. pcap with microsecond time stamps, Ethernet.

- {sc.fr("gnu:dns", "gnu:dns:ans")}, {sc.span("gnu:syn", "gnu:end")}: DNS and TLS 1.3 to
  www.gnu.org (209.51.188.116). Ordinary traffic.
- {sc.fr("dns", "dns:ans")}: DNS A www.example-blocked.net -> 94.130.182.9, one answer.
- {sc.fr("blk:syn")}, {sc.fr("blk:synack")}, {sc.fr("blk:ack")}: handshake with
  94.130.182.9:443. SYN/ACK after {sc.ms("blk:syn", "blk:synack")}, TTL 55, DF.
- {sc.fr("ch")}: ClientHello, SNI **www.example-blocked.net**.
- {sc.fr("rst")}: **RST+ACK** from the server's side, {sc.ms("ch", "rst")} after the
  ClientHello (1.2 RTT): TTL 55 (as the SYN/ACK), DF, IP ID = the SYN/ACK's + 1, window 0,
  no options, seq = the server's next sequence number, ack = just past the ClientHello.
  No server data before it, nothing from either side after it.
- {sc.fr("eff:dns", "eff:dns:ans")}, {sc.span("eff:syn", "eff:end")}: DNS and TLS 1.3 to
  www.eff.org (151.101.2.201). Ordinary traffic.
- No other flow to 94.130.182.9 in the capture (no control).
"""
    return Built("obs-reset-after-name-no-control", obs_reset_after_name_no_control, sc, data,
                 about, shows, "rst-injection", "rst-injection/reset-after-name",
                 " (for www.example-blocked.net, 94.130.182.9:443).",
                 [f"{FINGERPRINTS} §4 TLS-01 (SNI-triggered RST; natural control: same IP, "
                  "other SNI)", f"{FINGERPRINTS} §2 RST-01 (generic forged-RST detection)",
                  REF_TRAP_RST, REF_CONTRACT])


# ============================================================================ the index

SCENARIOS: dict[str, Callable[[], Built]] = {
    "obs-client-hello-unanswered": obs_client_hello_unanswered,
    "obs-http-vague-blocking-word": obs_http_vague_blocking_word,
    "obs-dns-private-for-public": obs_dns_private_for_public,
    "obs-rst-ttl-no-trigger": obs_rst_ttl_no_trigger,
    "obs-reset-after-name-no-control": obs_reset_after_name_no_control,
}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="scenarios to write (default: all)")
    ap.add_argument("--check", action="store_true",
                    help="compare with the files on disk instead of writing them")
    ap.add_argument("--out", type=Path, default=OUT, help="the tests/scenarios directory")
    args = ap.parse_args(argv)
    unknown = [n for n in args.names if n not in SCENARIOS]
    if unknown:
        ap.error("unknown scenario(s): " + ", ".join(unknown))
    differ = []
    for name in args.names or SCENARIOS:
        b = SCENARIOS[name]()
        assert b.name == name, (b.name, name)
        d = args.out / name
        files = b.files()
        if args.check:
            for fname, content in files.items():
                p = d / fname
                if not p.exists() or p.read_bytes() != content:
                    differ.append(f"{name}/{fname}")
            continue
        d.mkdir(parents=True, exist_ok=True)
        for fname, content in files.items():
            (d / fname).write_bytes(content)
        print(f"{name:36} {b.capture:15} {len(b.sc.recs):4} frames {len(b.data):8} bytes")
    if differ:
        print("differ from the generator: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
