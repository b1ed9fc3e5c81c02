#!/usr/bin/env python3
"""A crafted capture full of hostile strings, for the report writers, byte for byte.

    python captures/scenarios_hostile.py            # writes tests/scenarios/hostile-strings/
    python captures/scenarios_hostile.py --check    # exits 1 if a file on disk differs

Every string the analyzer reports comes from the packets, so whoever controls a packet
controls that text: a DNS label may hold any byte, a TLS SNI any printable one, an HTTP
response whatever a middlebox likes. The HTML report must show such strings as text and never
run or link them. This capture makes the analyzer produce *real findings* (dns-injection,
rst-injection, packet-injection, blockpage) whose targets, summaries and evidence carry
markup, quotes and a ``javascript:`` URL, so the strings reach the report's finding sections
and not only its raw tables. Each hostile string carries a marker
``document.body.dataset.pwned='<where>'``: if a report ever executed one, the page's
``<body>`` would gain a ``data-pwned`` attribute, which the browser tests
(``tests/test_report_browser.py``) look for; they also check that every marker is visible as
text. ``MARKERS`` lists them.

The censorship itself follows scenarios already in ``tests/scenarios/`` (a raced DNS answer
as in ``dns-injection-race-gfw``, a GFW type-I reset as in ``rst-gfw-type1-sni``, injected
HTTP responses with a FIN as in ``http-injected-blockpage-race`` and
``http-injected-redirect-kr``); only the names and the injected bytes are hostile.

The capture is *crafted*: no packet was ever on a network. Time stamps, sequence numbers,
IP IDs and "random" bytes come from fixed values and a fixed seed, so every run writes the
same bytes. The TCP simulation (``Sim``, ``Client``), the HTTP message builders and the link
layer come from ``captures/scenarios_tcp.py``; DNS messages, UDP packets and the pcap writer
from ``captures/generate.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from generate import MS, US, client_hello, dns_answer, dns_query, pcap, udp4  # noqa: E402
from scenarios_tcp import (  # noqa: E402  (captures/ is not a package)
    FIREFOX,
    Client,
    Sim,
    at,
    date_hdr,
    eth_link,
    fmt_line,
    http_200,
    http_get,
)

OUT = HERE.parent / "tests" / "scenarios"
SCRIPT = "captures/scenarios_hostile.py"
NAME = "hostile-strings"

# ============================================================================ the strings

#: the DNS name: markup in its labels (split at the dots; every label is under 63 bytes)
DNS_NAME = "<script>document.body.dataset.pwned='dns'</script>.example.com"
#: the SNI: printable bytes only (the TLS parser shows others as \\xNN), no spaces, so it
#: breaks out of a double-quoted attribute and opens an <img> with an onerror handler
SNI = "\"><img/src=\"x\"/onerror=\"document.body.dataset.pwned='sni'\">.example.com"
#: in the injected block page's body, before the block-page text
BODY_SCRIPT = "<script>document.body.dataset.pwned='body'</script>"
#: a response header with both kinds of quotes and a tag (the analyzer keeps the Server
#: header; X-Note carries the same value)
HEADER = "\"quoted\" 'single' <b>bold</b>"
#: the injected redirect's target
JS_LOCATION = "javascript:document.body.dataset.pwned='href'"

#: what a report must show as text: each marker is in one of the strings above
MARKERS: dict[str, str] = {
    "dns": "document.body.dataset.pwned='dns'",
    "sni": "document.body.dataset.pwned='sni'",
    "body": "document.body.dataset.pwned='body'",
    "header": "\"quoted\" 'single' <b>bold</b>",
    "href": "javascript:document.body.dataset.pwned='href'",
}

IN_HOST = "www.example-video.in"
KR_HOST = "www.example-torrent.kr"
DOT_TEXT = ("The URL has been blocked as per the instructions of the DoT in compliance to the "
            "orders of Court of Law")


# ============================================================================ output


@dataclass
class Built:
    """The scenario as written to disk."""

    sim: Sim
    data: bytes
    about: str
    shows: str
    expected: str
    expect: list[dict[str, str]]
    allow: list[dict[str, str]] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    capture: str = "capture.pcap"

    def expect_json(self) -> bytes:
        doc = {"about": self.about, "expect": self.expect, "allow": self.allow,
               "observations": self.observations}
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()

    def readme(self) -> bytes:
        return (
            f"# {NAME}\n\n"
            f"Crafted by `{SCRIPT}`, function `hostile_strings`; no packet was ever on a "
            f"network. Regenerate with `python {SCRIPT}` (byte-identical output; `--check` "
            f"compares with the files on disk).\n\n"
            f"**Capture:** {fmt_line(self.sim, self.capture, 'pcap, Ethernet, µs')}\n\n"
            "## Why\n\n"
            "Every string in a report comes from the packets, and whoever sends a packet "
            "chooses its bytes. This capture puts markup, quotes and a `javascript:` URL into "
            "the names and responses that the analyzer's findings quote, so that the report "
            "writers (HTML above all) can be tested against them: each string must appear "
            "as text, never run, never become a link. Each carries a marker "
            "`document.body.dataset.pwned='<where>'`; a report that ran one would give its "
            "`<body>` a `data-pwned` attribute. `tests/test_report_browser.py` renders the "
            "HTML report of this capture in headless Chromium and checks both. The "
            "censorship around the strings is ordinary and detected as in the scenarios "
            "named below; only the names and the injected bytes are hostile.\n\n"
            "The hostile strings, as they are in the packets:\n\n"
            f"- DNS name: `{DNS_NAME}`\n"
            f"- TLS SNI: `{SNI}`\n"
            f"- block-page body: `{BODY_SCRIPT}` before the block-page text\n"
            f"- response header (`Server` and `X-Note`): `{HEADER}`\n"
            f"- redirect target (`Location`): `{JS_LOCATION}`\n\n"
            f"## What the capture shows\n\n{self.shows.strip()}\n\n"
            f"## Expected result\n\n{self.expected.strip()}\n\n"
            "## References\n\n" + "".join(f"- {r}\n" for r in self.refs)).encode()

    def files(self) -> dict[str, bytes]:
        return {self.capture: self.data, "expect.json": self.expect_json(),
                "README.md": self.readme()}


# ============================================================================ the scenario

WIKI = [("www.wikipedia.org", "CNAME", 21_542, "dyna.wikimedia.org"),
        ("dyna.wikimedia.org", "A", 426, "185.15.59.224")]


def hostile_strings() -> Built:
    """Ordinary TLS to www.wikipedia.org; a raced forged DNS answer for a name with a
    <script> in its labels; a GFW type-I reset after a ClientHello whose SNI breaks out of an
    attribute; an injected block page (Indian DoT text) with a <script> in its body and quotes
    in its headers, raced ahead of the server's 301; an injected 302 to a javascript: URL
    whose body names warning.or.kr, raced ahead of the server's 301."""
    cl = Client("192.168.1.77", mac="70:85:c2:4b:19:e6")
    resolver = "8.8.8.8"
    sim = Sim(at("2024-03-05T10:20:30"), 0x4057_11E, cl, resolver=resolver, resolver_ttl=117,
              gw_mac="18:e8:29:a0:33:5c")
    rnd = sim.rnd

    # ---- ordinary browsing: the resolver's TTL (117) and a working TLS session
    t = sim.lookup(0, "www.wikipedia.org", WIKI, 21_318 * US, label="wiki:dns")
    k = sim.tcp("185.15.59.224", 443, ttl=54, ws=9)
    t = sim.handshake(k, t + 1_100 * US, 26_310 * US, label="wiki")
    t = sim.tls(k, t, 26_290 * US, "www.wikipedia.org", resp=(1380, 9100), label="wiki")
    sim.close(k, t + 420 * MS, 26_310 * US, label="wiki:end")

    # ---- DNS: one query, a forged answer 3.9 ms later, the resolver's 38.6 ms later
    t += 1_830 * MS
    txid = rnd.getrandbits(16)
    sport = rnd.randrange(33_000, 60_999)
    sim.add(t, udp4(cl.ip, sport, resolver, 53, dns_query(txid, DNS_NAME), ttl=64,
                    ipid=rnd.getrandbits(16), df=True), True, "dns:q")
    sim.add(t + 3_870 * US,
            udp4(resolver, 53, cl.ip, sport,
                 dns_answer(txid, DNS_NAME, [(DNS_NAME, "A", 234, "108.160.169.178")]),
                 ttl=83, ipid=0xB3C0, df=False), False, "dns:forged")
    sim.add(t + 38_640 * US,
            udp4(resolver, 53, cl.ip, sport,
                 dns_answer(txid, DNS_NAME, [(DNS_NAME, "A", 3600, "93.184.215.14")]),
                 ttl=117, ipid=rnd.getrandbits(16), df=False), False, "dns:genuine")

    # ---- TLS: a ClientHello with the hostile SNI, a forged RST 17.9 ms later
    k = sim.tcp("151.101.64.81", 443, ttl=49, ws=9, win=285)
    t = sim.handshake(k, t + 2_410 * MS, 186_204 * US, label="sni")
    t += 240 * US
    k.pkt("c", t, "PA", client_hello(SNI, rnd), label="sni:ch")
    t += 17_923 * US
    k.inject(t, "R", ttl=96, ipid=0, df=False, win=7983, label="sni:rst")

    # ---- HTTP: an injected block page with a script and quoted headers, then the genuine 301
    srv = "185.199.108.153"
    t = sim.lookup(t + 3_120 * MS, IN_HOST, [(IN_HOST, "A", 300, srv)], 18_210 * US,
                   label="in:dns")
    rtt = 80_310 * US
    k = sim.tcp(srv, 80, ttl=52, ws=7, win=502)
    t = sim.handshake(k, t + 1_040 * US, rtt, label="in")
    t += 210 * US
    t_get = t
    k.pkt("c", t, "PA", http_get(IN_HOST, "/", FIREFOX), label="in:get")
    c_end = k.c.seq
    base = k.s.seq
    page = (f"<html><head><title>Blocked</title>{BODY_SCRIPT}</head><body><p style=\"font-"
            f"family:Arial;font-size:18px\">{DOT_TEXT}</p></body></html>").encode()
    fake = http_200(page, "text/html", [("Server", HEADER), ("X-Note", HEADER),
                                        ("Connection", "close")])
    k.inject(t + 3_012 * US, "PA", fake, ttl=59, ipid=0x04D2, win=65535, label="in:inj")
    k.inject(t + 3_049 * US, "FA", seq=base + len(fake), ttl=59, ipid=0x04D2, win=65535,
             label="in:injfin")
    got = base + len(fake) + 1
    k.pkt("c", t + 3_092 * US, "A", ack=got, label="in:cack")
    k.pkt("c", t + 9_415 * US, "FA", ack=got, label="in:cfin")
    real = (b"HTTP/1.1 301 Moved Permanently\r\nServer: nginx\r\nDate: "
            + date_hdr(sim, t).encode() + b"\r\nContent-Type: text/html\r\nContent-Length: 162"
            b"\r\nConnection: keep-alive\r\nLocation: https://" + IN_HOST.encode()
            + b"/\r\nX-Frame-Options: SAMEORIGIN\r\nVary: User-Agent\r\nStrict-Transport-"
            b"Security: max-age=31536000\r\n\r\n<html>\r\n<head><title>301 Moved Permanently"
            b"</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>"
            b"\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
    assert len(real) > len(fake) + 1
    tg = t_get + rtt + 880 * US
    k.pkt("s", tg, "PA", real, seq=base, ack=c_end, advance=False, label="in:real")
    k.pkt("c", tg + 35 * US, "A", ack=got, sack=[(base, got)], label="in:dsack")
    k.s.seq = base + len(real)
    tf = t_get + 9_415 * US + rtt + 400 * US
    k.pkt("s", tf, "FA", label="in:sfin")
    k.pkt("s", tf + 221 * MS, "FA", seq=base + len(real), label="in:sfin2")
    k.stack_rst("c", tf + 221 * MS + 30 * US, k.c.seq, label="in:crst")

    # ---- HTTP: an injected 302 to a javascript: URL (one FIN+PSH+ACK), then the genuine 301
    srv2 = "172.67.181.20"
    t = sim.lookup(tf + 2_740 * MS, KR_HOST, [(KR_HOST, "A", 300, srv2)], 5_074 * US,
                   label="kr:dns")
    rtt = 38_620 * US
    k = sim.tcp(srv2, 80, ttl=56, mss=1400, ws=13, win=8)
    t = sim.handshake(k, t + 800 * US, rtt, label="kr")
    t += 190 * US
    t_get = t
    k.pkt("c", t, "PA", http_get(KR_HOST, "/", FIREFOX), label="kr:get")
    c_end = k.c.seq
    base = k.s.seq
    body = b"<html><body><a href=\"http://warning.or.kr/\">http://warning.or.kr</a></body></html>"
    fake = http_200(body, "text/html", [("Location", JS_LOCATION), ("Connection", "close")],
                    status="302 Found")
    k.inject(t + 1_183 * US, "FPA", fake, ttl=251, ipid=0x0100, win=8192, label="kr:inj")
    got = base + len(fake) + 1
    k.pkt("c", t + 1_230 * US, "A", ack=got, label="kr:cack")
    k.pkt("c", t + 2_011 * US, "FA", ack=got, label="kr:cfin")
    real = (b"HTTP/1.1 301 Moved Permanently\r\nDate: " + date_hdr(sim, t).encode()
            + b"\r\nContent-Length: 0\r\nConnection: keep-alive\r\nCache-Control: max-age=3600"
            b"\r\nLocation: https://" + KR_HOST.encode() + b"/\r\nServer: cloudflare\r\n"
            b"CF-RAY: 85f3c1b8ee3a30c2-ICN\r\nalt-svc: h3=\":443\"; ma=86400\r\n\r\n")
    assert len(real) > len(fake) + 1
    tg = t_get + rtt + 510 * US
    k.pkt("s", tg, "PA", real, seq=base, ack=c_end, advance=False, label="kr:real")
    k.pkt("c", tg + 31 * US, "A", ack=got, sack=[(base, got)], label="kr:dsack")
    k.s.seq = base + len(real)
    tf = t_get + 2_011 * US + rtt + 300 * US
    k.pkt("s", tf, "FA", label="kr:sfin")
    k.pkt("s", tf + 204 * MS, "FA", seq=base + len(real), label="kr:sfin2")
    k.stack_rst("c", tf + 204 * MS + 27 * US, k.c.seq, label="kr:crst")
    sim.finish()

    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A deliberately hostile capture for the report writers: every name and injected "
        "response the findings quote holds markup, quotes or a javascript: URL, each with a "
        "marker document.body.dataset.pwned='...'. A Linux client (192.168.1.77) loads "
        "www.wikipedia.org normally. Its DNS query (resolver 8.8.8.8, IP TTL 117) for the name "
        f"{DNS_NAME} gets a forged answer after 3.9 ms (A 108.160.169.178, IP TTL 83) and the "
        "resolver's answer after 38.6 ms (A 93.184.215.14, IP TTL 117): dns-injection. A "
        f"ClientHello with SNI {SNI} to 151.101.64.81:443 (SYN/ACK TTL 49) is answered 17.9 ms "
        "later by a bare RST with TTL 96, IP ID 0, no DF and window 7983 (GFW type I): "
        f"rst-injection. GET http://{IN_HOST}/ gets, 3.0 ms later with TTL 59 (server: 52, "
        "RTT 80 ms), a 200 block page with the Indian DoT text and a <script> in its body, "
        f"Server and X-Note headers {HEADER}, and a FIN; the server's genuine 301 arrives "
        "one RTT later at the same sequence numbers: packet-injection and blockpage. GET "
        f"http://{KR_HOST}/ gets, 1.2 ms later with TTL 251 (server: 56), a FIN+PSH+ACK "
        f"302 with Location {JS_LOCATION} and a body linking http://warning.or.kr/; the "
        "server's genuine 301 follows at the same sequence numbers: packet-injection and "
        "blockpage.")
    shows = f"""
Client 192.168.1.77 (Linux, TTL 64, TCP timestamps), Google Public DNS 8.8.8.8 as resolver
(its answers arrive with IP TTL 117). pcap with microsecond time stamps, Ethernet.

- {sim.fr("wiki:dns", "wiki:dns:ans")}, {sim.span("wiki")}: DNS and TLS 1.3 to
  www.wikipedia.org (185.15.59.224). Ordinary traffic; it shows the resolver's IP TTL.
- {sim.fr("dns:q")}: DNS query A for the hostile name (RD=1). Its labels are
  `<script>document`, `body`, `dataset`, `pwned='dns'</script>`, `example`, `com`.
- {sim.fr("dns:forged")}: **the forged answer**, {sim.ms("dns:q", "dns:forged")} after the
  query: A 108.160.169.178, IP TTL 83 (the resolver's: 117), IP ID 0xB3C0, no DF.
- {sim.fr("dns:genuine")}: the resolver's answer, {sim.ms("dns:q", "dns:genuine")} after the
  query, same id and ports: A 93.184.215.14, IP TTL 117.
- {sim.fr("sni:syn", "sni:synack", "sni:ack")}: handshake with 151.101.64.81:443 (no DNS
  lookup: the address came from a cache). SYN/ACK after {sim.ms("sni:syn", "sni:synack")},
  TTL 49, IP ID 0, DF.
- {sim.fr("sni:ch")}: ClientHello with the hostile SNI.
- {sim.fr("sni:rst")}: **the forged RST**, {sim.ms("sni:ch", "sni:rst")} after the
  ClientHello: flags exactly `R`, IP ID 0, DF=0, window 7983, TTL 96 (server: 49), no
  options, seq = the server's next sequence number. Nothing else comes from the server.
- {sim.fr("in:dns", "in:dns:ans")}: DNS {IN_HOST} → 185.199.108.153 (one answer).
- {sim.fr("in:syn", "in:synack", "in:ack")}: handshake to port 80; SYN/ACK TTL 52, RTT
  {sim.ms("in:syn", "in:synack")}.
- {sim.fr("in:get")}: `GET / HTTP/1.1`, `Host: {IN_HOST}`.
- {sim.fr("in:inj")}: **the injected block page**, {sim.ms("in:get", "in:inj")} after the
  GET: TTL 59, IP ID 1234, DF=0, window 65535, no options. `HTTP/1.1 200 OK` with
  `Server: {HEADER}` and `X-Note: {HEADER}`; the body starts with
  `{BODY_SCRIPT}` in its `<head>` and carries the Department of Telecommunications text.
- {sim.fr("in:injfin")}: the injected FIN (same TTL and IP ID). {sim.fr("in:cack")},
  {sim.fr("in:cfin")}: the client ACKs the page and the FIN, then closes.
- {sim.fr("in:real")}: **the genuine response**, {sim.ms("in:get", "in:real")} after the GET,
  TTL 52, with timestamps: nginx `301 Moved Permanently` to https, at the same sequence
  numbers as the injected page with different bytes. {sim.fr("in:dsack")}: the client's
  D-SACK. {sim.fr("in:sfin")}, {sim.fr("in:sfin2")}: the server's FIN and its
  retransmission, which the client resets ({sim.fr("in:crst")}).
- {sim.fr("kr:dns", "kr:dns:ans")}: DNS {KR_HOST} → 172.67.181.20 (one answer).
- {sim.fr("kr:syn", "kr:synack", "kr:ack")}: handshake to port 80; SYN/ACK TTL 56, RTT
  {sim.ms("kr:syn", "kr:synack")}.
- {sim.fr("kr:get")}: `GET / HTTP/1.1`, `Host: {KR_HOST}`.
- {sim.fr("kr:inj")}: **the injected redirect**, {sim.ms("kr:get", "kr:inj")} after the GET,
  one packet with FIN+PSH+ACK: TTL 251, IP ID 0x0100, DF=0, window 8192, no options.
  `HTTP/1.1 302 Found`, `Location: {JS_LOCATION}`; its body links to
  `http://warning.or.kr/` (a known block-page fingerprint).
- {sim.fr("kr:cack")}, {sim.fr("kr:cfin")}: the client ACKs it and closes.
- {sim.fr("kr:real")}: **the genuine response** (TTL 56, timestamps),
  {sim.ms("kr:get", "kr:real")} after the GET: Cloudflare `301` to https at the same
  sequence numbers, different bytes. {sim.fr("kr:dsack")}: the client's D-SACK.
  {sim.fr("kr:sfin")}, {sim.fr("kr:sfin2")}: the server's FIN and its retransmission, reset
  by the client ({sim.fr("kr:crst")}).
"""
    expected = f"""
These findings, each carrying a hostile string in its target, summary or evidence:

- `dns-injection` for the DNS name (target.domain `{DNS_NAME}`; rule
  `dns-injection/race-different-answers`): two different answers to one query.
- `rst-injection` for the SNI (target.domain `{SNI}`; rules
  `rst-injection/ttl-mismatch-after-trigger`, `gfw-type1`, `faster-than-rtt`): the GFW
  type-I reset, TTL 96 against the server's 49.
- `packet-injection` and `blockpage` for `{IN_HOST}` (rules
  `packet-injection/conflicting-data`, `injected-data-after-trigger`,
  `blockpage/known-blockpage` with fingerprint `curated.in_dot_court_order`). The script
  is in the response's body (`http[].body_prefix` in the JSON document), the quoted header
  in `http[].server_header`.
- `packet-injection` and `blockpage` for `{KR_HOST}` (the blockpage finding matches
  fingerprint `ooni.kr_1` in the body; its evidence `http.location` is `{JS_LOCATION}`).
- No observation, nothing else.

The HTML report must show every one of these strings as text: no `data-pwned` attribute on
the rendered page, no link to a `javascript:` URL.
"""
    return Built(sim, data, about, shows, expected,
                 [{"mechanism": "dns-injection", "domain": DNS_NAME},
                  {"mechanism": "rst-injection", "domain": SNI},
                  {"mechanism": "packet-injection", "domain": IN_HOST},
                  {"mechanism": "blockpage", "domain": IN_HOST},
                  {"mechanism": "packet-injection", "domain": KR_HOST},
                  {"mechanism": "blockpage", "domain": KR_HOST}],
                 refs=["`tests/scenarios/dns-injection-race-gfw`, "
                       "`tests/scenarios/rst-gfw-type1-sni`, "
                       "`tests/scenarios/http-injected-blockpage-race`, "
                       "`tests/scenarios/http-injected-redirect-kr` (the same mechanisms "
                       "with ordinary names)",
                       "OWASP Cross Site Scripting Prevention Cheat Sheet (output encoding "
                       "per context; `javascript:` URLs in links)",
                       "`../shared/CONTRACT.md` (the JSON fields the strings end up in)"])


# ============================================================================ the index

SCENARIOS: dict[str, Callable[[], Built]] = {NAME: hostile_strings}


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
        print(f"{name:36} {b.capture:15} {b.sim.count():4} frames {len(b.data):8} bytes")
    if differ:
        print("differ from the generator: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
