#!/usr/bin/env python3
"""Deterministic generator of a large, realistic benchmark capture (stdlib only).

usage: gen_bench.py [--packets N] [--seed S] [--force] OUT.pcap

Writes a classic pcap (magic a1b2c3d4, microsecond timestamps, LINKTYPE_ETHERNET) of exactly
N packets (default 1,000,000, about 250 MB), seen from a client-side gateway:

* TLS 1.3 over TCP/443: SYN with MSS/SACK-permitted/timestamps/window-scale (Linux) or
  MSS/WS/SACK-permitted without timestamps (Windows), SYN/ACK, ACK, a ClientHello with SNI in the
  first data segment (Chrome- or Firefox-like extensions, padded), the server flight
  (ServerHello + CCS + encrypted records) MSS-segmented, application data both ways with
  delayed ACKs, then FIN/FIN/ACK or an abrupt RST.
* HTTP/1.1 over TCP/80: GET with Host, 200/301/404 responses, keep-alive, close.
* DNS over UDP/53: A/AAAA/HTTPS(65)/TXT/MX queries with EDNS0, CNAME chains, NXDOMAIN with SOA.
* QUIC-looking UDP/443: version-1 long-header Initial datagrams padded to >= 1200 bytes, server
  Initial/Handshake and short-header (1-RTT) datagrams.
* Interference for a set of "blocked" names: forged early DNS answers (bogus address, odd IP TTL,
  IP-ID and DNS TTL, no EDNS0), RST / RST-ACK bursts injected after the ClientHello or the GET
  (odd TTL/IP-ID), blackholed SYNs (SYN retransmitted at 1/3/7 s, never answered), ClientHellos
  dropped (retransmitted, then given up), HTTP 403 block pages, unanswered QUIC Initials.
* About 1.5 % of TCP data segments are retransmitted; about 10 % of sessions use IPv6.
All IPv4 header, TCP and UDP checksums are valid.  TCP timestamps are consistent (TSecr echoes a
TSval the sender had already received).

The output is reused when OUT.meta.json records the same seed, packet count and generator
source hash and OUT has the recorded size (use --force to regenerate).  The same CPython
version and seed always give a byte-identical file.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import heapq
import json
import os
import random
import struct
import sys
import time

M32 = 0xFFFFFFFF
T0 = 1_717_000_000.0  # capture start (2024-05-29)

IP4 = struct.Struct("!BBHHHBBH4s4s")
IP6 = struct.Struct("!IHBB")
TCPH = struct.Struct("!HHIIHHHH")
UDPH = struct.Struct("!HHHH")
PSEUDO4 = struct.Struct("!xBH")
PSEUDO6 = struct.Struct("!I3xB")
REC = struct.Struct("<IIII")
U16 = struct.Struct("!H")

# TCP flags
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

# printable text for HTTP bodies: map every byte value onto a letter/space/newline
_TEXT = (b'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ<>/=" .,;:-\n0123456789 etaoin') * 4
TEXT_TABLE = bytes(_TEXT[:256])


def cksum(data: bytes) -> int:
    """RFC 1071 Internet checksum.  2**16 == 1 (mod 0xFFFF), so the integer value of the byte
    string modulo 0xFFFF is the ones'-complement sum of its 16-bit words (0 standing for 0xFFFF)."""
    if len(data) & 1:
        data += b"\0"
    s = int.from_bytes(data, "big") % 0xFFFF
    if s == 0:
        s = 0xFFFF if any(data) else 0
    return ~s & 0xFFFF


def dns_name(name: str) -> bytes:
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".") if p) + b"\0"


def varint2(n: int) -> bytes:
    return U16.pack(0x4000 | n)


class Host:
    __slots__ = ("ip", "ipid", "mac", "ts", "ttl", "v6", "windows")

    def __init__(self, mac: bytes, ip: bytes, v6: bool, ttl: int, ipid: int, windows: bool):
        self.mac, self.ip, self.v6, self.ttl, self.ipid, self.windows = (
            mac,
            ip,
            v6,
            ttl,
            ipid,
            windows,
        )
        self.ts = windows is False


class Gen:
    def __init__(self, seed: int):
        r = self.r = random.Random(seed)
        self.heap: list = []
        self.nseq = 0
        self.nflows = 0
        self.floor = 0  # start time (us) of the session being generated: no packet may precede it
        self.gw = bytes.fromhex("0050569c1a01")
        self.stats: dict[str, int] = {}
        self.hosts4 = []
        for i in range(480):
            windows = r.random() < 0.4
            mac = bytes([0x3C, 0x22, 0xFB, r.randrange(256), i >> 8, i & 0xFF])
            self.hosts4.append(
                Host(
                    mac,
                    bytes([192, 168, 1 + i // 200, 10 + i % 200]),
                    False,
                    128 if windows else 64,
                    r.randrange(65536),
                    windows,
                )
            )
        self.hosts6 = []
        for i in range(64):
            windows = r.random() < 0.4
            mac = bytes([0x3C, 0x22, 0xFC, r.randrange(256), i >> 8, i & 0xFF])
            ip = bytes.fromhex("2a0206b8c0a10001") + r.randbytes(8)
            self.hosts6.append(Host(mac, ip, True, 128 if windows else 64, 0, windows))
        self.res4 = [
            (bytes([8, 8, 8, 8]), 118),
            (bytes([1, 1, 1, 1]), 57),
            (bytes([9, 9, 9, 9]), 54),
            (bytes([192, 168, 1, 1]), 64),
        ]
        self.res6 = [
            (bytes.fromhex("20014860486000000000000000008888"), 118),
            (bytes.fromhex("26064700470000000000000000001111"), 57),
        ]
        labels = [
            "www",
            "api",
            "cdn",
            "static",
            "img",
            "m",
            "mail",
            "news",
            "shop",
            "login",
            "video",
            "assets",
            "app",
            "edge",
            "auth",
            "media",
            "blog",
            "docs",
            "status",
            "ws",
        ]
        stems = [
            "example",
            "contoso",
            "acme",
            "globex",
            "initech",
            "umbrella",
            "hooli",
            "vandelay",
            "wayne",
            "stark",
            "tyrell",
            "cyberdyne",
            "soylent",
            "wonka",
            "aperture",
            "nakatomi",
        ]
        tlds = ["com", "net", "org", "io", "de", "fr", "ru", "cn", "ir", "co.uk", "info", "tv"]
        doms = set()
        while len(doms) < 9000:
            lab, stem, num, tld = (
                r.choice(labels),
                r.choice(stems),
                r.randrange(4000),
                r.choice(tlds),
            )
            doms.add(f"{lab}.{stem}{num}.{tld}")
        self.domains = sorted(doms)
        r.shuffle(self.domains)
        famous = [
            "www.wikipedia.org",
            "twitter.com",
            "www.youtube.com",
            "www.bbc.com",
            "signal.org",
            "www.torproject.org",
            "www.google.com",
            "github.com",
            "telegram.org",
            "www.nytimes.com",
            "www.facebook.com",
            "www.instagram.com",
            "www.dw.com",
            "protonvpn.com",
        ]
        # domains[i] has popularity rank i (Zipf-like pick below); famous names sit at ranks 20..400
        for d in famous:
            self.domains.insert(r.randrange(20, 400), d)
        self.blocked = {self.domains.index(d) for d in famous} | set(
            r.sample(range(50, len(self.domains)), 360)
        )
        self.blocked_list = sorted(self.blocked)
        self.servers: dict[int, tuple] = {}

    # ------------------------------------------------------------------ output
    def emit(self, ts: float, frame: bytes, flow: int, kind: str | None = None) -> None:
        us = round(ts * 1e6)
        assert us >= self.floor, "packet before its session start"
        self.nseq += 1
        heapq.heappush(self.heap, (us, self.nseq, frame, flow, kind))

    def new_flow(self) -> int:
        self.nflows += 1
        return self.nflows

    def ip_frame(
        self,
        sip: bytes,
        dst: bytes,
        v6: bool,
        proto: int,
        l4: bytes,
        ttl: int,
        ipid: int,
        smac: bytes,
        dmac: bytes,
        flow_label: int = 0,
    ) -> bytes:
        if v6:
            return (
                dmac
                + smac
                + b"\x86\xdd"
                + IP6.pack(0x60000000 | flow_label, len(l4), proto, ttl)
                + sip
                + dst
                + l4
            )
        h = IP4.pack(0x45, 0, 20 + len(l4), ipid & 0xFFFF, 0x4000, ttl, proto, 0, sip, dst)
        return dmac + smac + b"\x08\x00" + h[:10] + U16.pack(cksum(h)) + h[12:] + l4

    @staticmethod
    def l4_tcp(
        src: bytes,
        dst: bytes,
        v6: bool,
        sport: int,
        dport: int,
        seq: int,
        ack: int,
        flags: int,
        win: int,
        opts: bytes,
        payload: bytes,
    ) -> bytes:
        h = (
            TCPH.pack(
                sport, dport, seq & M32, ack & M32, ((20 + len(opts)) << 10) | flags, win, 0, 0
            )
            + opts
        )
        n = len(h) + len(payload)
        ph = src + dst + (PSEUDO6.pack(n, 6) if v6 else PSEUDO4.pack(6, n))
        return h[:16] + U16.pack(cksum(ph + h + payload)) + h[18:] + payload

    @staticmethod
    def l4_udp(src: bytes, dst: bytes, v6: bool, sport: int, dport: int, payload: bytes) -> bytes:
        n = 8 + len(payload)
        ph = src + dst + (PSEUDO6.pack(n, 17) if v6 else PSEUDO4.pack(17, n))
        c = cksum(ph + UDPH.pack(sport, dport, n, 0) + payload) or 0xFFFF
        return UDPH.pack(sport, dport, n, c) + payload

    def udp_pkt(
        self,
        ts: float,
        flow: int,
        src: bytes,
        dst: bytes,
        v6: bool,
        sport: int,
        dport: int,
        payload: bytes,
        ttl: int,
        ipid: int,
        smac: bytes,
        dmac: bytes,
        kind: str,
    ) -> None:
        l4 = self.l4_udp(src, dst, v6, sport, dport, payload)
        self.emit(
            ts,
            self.ip_frame(src, dst, v6, 17, l4, ttl, ipid, smac, dmac, flow & 0xFFFFF),
            flow,
            kind,
        )

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    # ------------------------------------------------------------------ endpoints
    def server(self, dom: int) -> tuple:
        s = self.servers.get(dom)
        if s is None:
            r = self.r
            ip4 = bytes(
                [
                    r.choice([13, 23, 34, 52, 93, 104, 142, 151, 157, 172, 185, 199]),
                    r.randrange(256),
                    r.randrange(256),
                    r.randrange(1, 255),
                ]
            )
            ip6 = bytes.fromhex("2a0014500001") + r.randbytes(10)
            ttl = r.choice([64, 64, 128, 255]) - r.randrange(6, 22)
            quic = r.random() < 0.35
            s = self.servers[dom] = (ip4, ip6, ttl, quic)
        return s

    # ------------------------------------------------------------------ DNS
    def dns_query(self, qid: int, name: str, qtype: int) -> bytes:
        r = self.r
        opt = b"\x00\x00\x29\x04\xd0\x00\x00" + (b"\x80\x00" if r.random() < 0.2 else b"\x00\x00")
        if r.random() < 0.3:  # EDNS client cookie
            opt += b"\x00\x0c\x00\x0a\x00\x08" + r.randbytes(8)
        else:
            opt += b"\x00\x00"
        return (
            struct.pack("!6H", qid, 0x0100, 1, 0, 0, 1)
            + dns_name(name)
            + struct.pack("!HH", qtype, 1)
            + opt
        )

    def dns_answer(
        self,
        qid: int,
        name: str,
        qtype: int,
        rdatas: list,
        rcode: int = 0,
        cname: str | None = None,
        ttl: int = 300,
        edns: bool = True,
    ) -> bytes:
        qn = dns_name(name)
        q = qn + struct.pack("!HH", qtype, 1)
        body = b""
        an = ns = 0
        owner = b"\xc0\x0c"
        if rcode == 0:
            if cname:
                cn = dns_name(cname)
                body += owner + struct.pack("!HHIH", 5, 1, ttl, len(cn)) + cn
                owner = U16.pack(0xC000 | (12 + len(q) + 12))
                an += 1
            for rd in rdatas:
                body += owner + struct.pack("!HHIH", qtype, 1, ttl, len(rd)) + rd
                an += 1
        elif rcode == 3:  # NXDOMAIN: SOA of the last label (the TLD) in the authority section
            off, parts = 12, name.split(".")
            for p in parts[:-1]:
                off += 1 + len(p)
            tld = parts[-1]
            soa = (
                dns_name("a.nic." + tld)
                + dns_name("hostmaster.nic." + tld)
                + struct.pack("!5I", 2024052901 + self.r.randrange(9), 1800, 900, 604800, 900)
            )
            body += U16.pack(0xC000 | off) + struct.pack("!HHIH", 6, 1, 900, len(soa)) + soa
            ns = 1
        hdr = struct.pack("!6H", qid, 0x8180 | rcode, 1, an, ns, 1 if edns else 0)
        return hdr + q + body + (b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00" if edns else b"")

    def rdata(self, dom: int, qtype: int) -> list:
        r = self.r
        ip4, ip6, _, quic = self.server(dom)
        if qtype == 1:
            out = [ip4]
            if r.random() < 0.3:
                out.append(ip4[:3] + bytes([r.randrange(1, 255)]))
            return out
        if qtype == 28:
            return [ip6]
        if qtype == 65:  # priority 1, target ".", alpn=h2(,h3), ipv4hint
            alpn = b"\x02h3\x02h2" if quic else b"\x02h2"
            return [
                b"\x00\x01\x00"
                + b"\x00\x01"
                + U16.pack(len(alpn))
                + alpn
                + b"\x00\x04\x00\x04"
                + ip4
            ]
        if qtype == 15:  # MX
            return [
                b"\x00\x0a"
                + dns_name(f"mx{r.randrange(3)}.mail.{self.domains[dom].split('.', 1)[1]}")
            ]
        txt = b"v=spf1 include:_spf.google.com ~all"
        return [bytes([len(txt)]) + txt]

    def dns(self, t: float, h: Host, dom: int, qtype: int) -> tuple[float, int]:
        """One query and its answer(s); returns (time the real answer arrives, rcode)."""
        r = self.r
        v6 = h.v6
        res, res_ttl = r.choice(self.res6 if v6 else self.res4)
        name = self.domains[dom]
        flow = self.new_flow()
        sport = r.randrange(1025, 65535)
        qid = r.randrange(65536)
        h.ipid += 1
        q = self.dns_query(qid, name, qtype)
        self.udp_pkt(t, flow, h.ip, res, v6, sport, 53, q, h.ttl, h.ipid, h.mac, self.gw, "dns")
        rtt = r.uniform(0.003, 0.08) if res[0] != 192 else r.uniform(0.0005, 0.003)
        forged = dom in self.blocked and qtype in (1, 28) and r.random() < 0.75
        if forged:  # the on-path injector is faster than the real resolver
            bogus = (
                [bytes.fromhex("2001da80") + r.randbytes(12)]
                if qtype == 28
                else [
                    bytes(
                        [
                            r.choice([31, 37, 46, 59, 203]),
                            r.randrange(256),
                            r.randrange(256),
                            r.randrange(1, 255),
                        ]
                    )
                ]
            )
            for k in range(r.choice([1, 1, 2])):
                a = self.dns_answer(
                    qid, name, qtype, bogus, ttl=r.choice([60, 222, 300]), edns=False
                )
                self.udp_pkt(
                    t + rtt * 0.25 + k * 0.0001,
                    flow,
                    res,
                    h.ip,
                    v6,
                    53,
                    sport,
                    a,
                    r.choice([29, 41, 103, 240]),
                    r.choice([0, 0x3039, r.randrange(65536)]),
                    self.gw,
                    h.mac,
                    "dns_forged",
                )
                self.count("dns_forged")
        rcode = 3 if r.random() < 0.03 else 0
        if not forged or r.random() < 0.8:
            cname = None
            if rcode == 0 and r.random() < 0.25:
                num = r.randrange(300)
                cdn = r.choice(["akamaiedge.net", "cloudfront.net", "fastly.net", "edgekey.net"])
                cname = f"{name.split('.')[0]}.edge{num}.{cdn}"
            if rcode == 0 and qtype == 28 and r.random() < 0.1:
                rd = []  # NODATA
            else:
                rd = self.rdata(dom, qtype)
            a = self.dns_answer(
                qid, name, qtype, rd, rcode, cname, ttl=r.choice([60, 120, 300, 300, 3600])
            )
            self.udp_pkt(
                t + rtt,
                flow,
                res,
                h.ip,
                v6,
                53,
                sport,
                a,
                res_ttl,
                r.randrange(65536),
                self.gw,
                h.mac,
                "dns",
            )
            if rcode == 3:
                self.count("dns_nxdomain")
        return t + rtt, rcode

    # ------------------------------------------------------------------ TLS payloads
    def client_hello(self, sni: str, chrome: bool) -> bytes:
        r = self.r

        def ext(t: int, d: bytes) -> bytes:
            return struct.pack("!HH", t, len(d)) + d

        s = sni.encode()
        grease = 0x0A0A + 0x1010 * r.randrange(16)
        sni_x = ext(0, struct.pack("!HBH", len(s) + 3, 0, len(s)) + s)
        groups = ext(
            10,
            b"\x00\x08" + U16.pack(grease) + bytes.fromhex("001d00170018")
            if chrome
            else bytes.fromhex("000c001d00170018001901000101"),
        )
        shares = struct.pack("!HH", 0x001D, 32) + r.randbytes(32)
        if chrome:
            shares = struct.pack("!HHB", grease, 1, 0) + shares
        key_share = ext(51, U16.pack(len(shares)) + shares)
        alpn = ext(16, bytes.fromhex("000c02683208687474702f312e31"))
        sigalgs = ext(13, bytes.fromhex("0012040308040401050308050501080606010201"))
        versions = ext(
            43,
            (b"\x06" + U16.pack(grease) + b"\x03\x04\x03\x03")
            if chrome
            else b"\x04\x03\x04\x03\x03",
        )
        if chrome:
            exts = [
                ext(grease, b""),
                sni_x,
                ext(23, b""),
                ext(0xFF01, b"\x00"),
                groups,
                ext(11, b"\x01\x00"),
                ext(35, b""),
                alpn,
                ext(5, b"\x01\x00\x00\x00\x00"),
                sigalgs,
                ext(18, b""),
                key_share,
                ext(45, b"\x01\x01"),
                versions,
                ext(27, b"\x02\x00\x02"),
                ext(grease ^ 0x1010, b"\x00"),
            ]
            ciphers = U16.pack(grease) + bytes.fromhex(
                "130113021303c02bc02fc02cc030cca9cca8c013c014009c009d002f0035"
            )
        else:
            exts = [
                sni_x,
                ext(23, b""),
                ext(0xFF01, b"\x00"),
                groups,
                ext(11, b"\x01\x00"),
                ext(35, b""),
                alpn,
                ext(5, b"\x01\x00\x00\x00\x00"),
                key_share,
                versions,
                sigalgs,
                ext(45, b"\x01\x01"),
                ext(28, b"\x40\x01"),
            ]
            ciphers = bytes.fromhex(
                "130113031302c02bc02fcca9cca8c02cc030c00ac009c013c014009c009d002f0035"
            )
        e = b"".join(exts)
        body = (
            b"\x03\x03"
            + r.randbytes(32)
            + b"\x20"
            + r.randbytes(32)
            + U16.pack(len(ciphers))
            + ciphers
            + b"\x01\x00"
        )
        n = 4 + len(body) + 2 + len(e)
        if n < 512:  # padding extension (RFC 7685) up to a 512-byte handshake message
            e += ext(21, bytes(max(0, 512 - n - 4)))
        body += U16.pack(len(e)) + e
        hs = b"\x01" + len(body).to_bytes(3, "big") + body
        return b"\x16\x03\x01" + U16.pack(len(hs)) + hs

    def server_flight(self, sid: bytes) -> bytes:
        r = self.r
        exts = (
            struct.pack("!HHH", 43, 2, 0x0304)
            + struct.pack("!HHHH", 51, 36, 0x001D, 32)
            + r.randbytes(32)
        )
        body = (
            b"\x03\x03"
            + r.randbytes(32)
            + b"\x20"
            + sid
            + b"\x13\x01\x00"
            + U16.pack(len(exts))
            + exts
        )
        hs = b"\x02" + len(body).to_bytes(3, "big") + body
        out = b"\x16\x03\x03" + U16.pack(len(hs)) + hs + b"\x14\x03\x03\x00\x01\x01"
        # encrypted extensions + certificate chain + verify + finished (one or several records)
        return out + self.records(
            r.randrange(1800, 4000) if r.random() < 0.5 else r.randrange(120, 400)
        )

    def records(self, n: int) -> bytes:
        out = []
        while n > 0:
            k = min(n, 16401)
            out.append(b"\x17\x03\x03" + U16.pack(k) + self.r.randbytes(k))
            n -= k
        return b"".join(out)

    def text(self, n: int) -> bytes:
        return self.r.randbytes(n).translate(TEXT_TABLE)

    # ------------------------------------------------------------------ TCP
    def tcp(self, t: float, h: Host, dom: int, port: int) -> None:
        Tcp(self, t, h, dom, port).run()

    # ------------------------------------------------------------------ QUIC
    def quic(self, t: float, h: Host, dom: int) -> None:
        r = self.r
        v6 = h.v6
        sip4, sip6, sttl, _ = self.server(dom)
        sip = sip6 if v6 else sip4
        flow = self.new_flow()
        sport = r.randrange(32768, 61000)
        dcid, scid = r.randbytes(8), r.randbytes(8)
        rtt = r.uniform(0.01, 0.2)
        size = r.choice([1200, 1250, 1252, 1357])

        def initial(first: int, d: bytes, s: bytes, total: int) -> bytes:
            hdr = bytes([first]) + b"\x00\x00\x00\x01" + bytes([len(d)]) + d + bytes([len(s)]) + s
            if first & 0x30 == 0:  # Initial packets carry a (here empty) token
                hdr += b"\x00"
            rest = total - len(hdr) - 2
            return hdr + varint2(rest) + r.randbytes(rest)

        def cli(tt: float, payload: bytes) -> None:
            h.ipid += 1
            self.udp_pkt(
                tt, flow, h.ip, sip, v6, sport, 443, payload, h.ttl, h.ipid, h.mac, self.gw, "quic"
            )

        def srv(tt: float, payload: bytes) -> None:
            self.udp_pkt(
                tt, flow, sip, h.ip, v6, 443, sport, payload, sttl, 0, self.gw, h.mac, "quic"
            )

        if dom in self.blocked and r.random() < 0.7:  # Initials silently dropped
            for _k, dt in enumerate((0.0, 0.3, 0.9, 2.1)):
                cli(t + dt, initial(0xC0 | r.randrange(16), dcid, b"", size))
            self.count("quic_blackholed")
            return
        cli(t, initial(0xC0 | r.randrange(16), dcid, b"", size))
        t += rtt
        srv(t, initial(0xC0 | r.randrange(16), b"", scid, 1200))
        srv(t + 0.0004, initial(0xE0 | r.randrange(16), b"", scid, r.randrange(900, 1200)))
        t += 0.001
        cli(t, initial(0xE0 | r.randrange(16), scid, b"", size))
        for _ in range(r.randrange(2, 24)):
            t += r.expovariate(1 / 0.03)
            if r.random() < 0.6:
                srv(
                    t, bytes([0x40 | r.randrange(64)]) + r.randbytes(r.randrange(30, 1300))
                )  # client CID is empty
            else:
                cli(t, bytes([0x40 | r.randrange(64)]) + scid + r.randbytes(r.randrange(25, 200)))

    # ------------------------------------------------------------------ sessions
    def pick_domain(self) -> int:
        r = self.r
        if r.random() < 0.05:
            return (
                r.choice(self.blocked_list) if r.random() < 0.5 else r.randrange(len(self.domains))
            )
        if r.random() < 0.55:  # Zipf-like popularity
            return min(int(r.paretovariate(0.8)) - 1, len(self.domains) - 1)
        return r.randrange(len(self.domains))

    def session(self, t: float) -> None:
        r = self.r
        self.floor = round(t * 1e6)
        v6 = r.random() < 0.10
        h = r.choice(self.hosts6 if v6 else self.hosts4)
        dom = self.pick_domain()
        k = r.random()
        if k < 0.48:  # resolve (A/AAAA, maybe HTTPS) then TLS
            t1, rc = self.dns(t, h, dom, 28 if v6 else 1)
            if r.random() < 0.35:
                self.dns(t + 0.0002, h, dom, 1 if v6 else 28)
            if r.random() < 0.25:
                self.dns(t + 0.0004, h, dom, 65)
            if rc == 0:
                self.tcp(t1 + 0.0005, h, dom, 443)
                if r.random() < 0.15:  # a second parallel connection
                    self.tcp(t1 + 0.002, h, dom, 443)
        elif k < 0.62:  # cached name
            self.tcp(t, h, dom, 443)
        elif k < 0.69:
            t1, rc = self.dns(t, h, dom, 1 if not v6 else 28)
            if rc == 0:
                self.tcp(t1 + 0.0005, h, dom, 80)
        elif k < 0.96:
            self.dns(t, h, dom, r.choice([1, 1, 1, 28, 28, 65, 16, 15]))
        else:
            t1, rc = self.dns(t, h, dom, 65)
            if rc == 0:
                self.quic(t1 + 0.0005, h, dom)

    def run(self, npackets: int, out: str) -> None:
        r = self.r
        pps = 2000.0
        rate = pps / 21.5  # sessions per second; about 21.5 packets per session
        t = T0
        written = nbytes = 0
        flows: set[int] = set()
        kinds: dict[str, int] = {}
        heap = self.heap
        pop = heapq.heappop
        pack = REC.pack
        tmp = out + ".tmp"
        with open(tmp, "wb", buffering=1 << 20) as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
            w = f.write
            while written < npackets:
                t += r.expovariate(rate)
                self.session(t)
                lim = round(t * 1e6)
                while heap and heap[0][0] < lim:
                    us, _, fr, flow, kind = pop(heap)
                    n = len(fr)
                    w(pack(us // 1_000_000, us % 1_000_000, n, n))
                    w(fr)
                    nbytes += n
                    flows.add(flow)
                    if kind:
                        kinds[kind] = kinds.get(kind, 0) + 1
                    written += 1
                    if written == npackets:
                        break
        os.replace(tmp, out)
        self.stats.update(kinds)
        self.stats.update(
            packets=written,
            frame_bytes=nbytes,
            flows=len(flows),
            duration_s=round((us / 1e6) - T0, 1),
        )


class Tcp:
    """One TCP connection seen from the client-side gateway."""

    def __init__(self, g: Gen, t: float, h: Host, dom: int, port: int):
        r = self.r = g.r
        self.g, self.h, self.dom, self.port, self.t0 = g, h, dom, port, t
        ip4, ip6, sttl, _ = g.server(dom)
        self.v6 = h.v6
        self.sip = ip6 if h.v6 else ip4
        self.sttl = sttl
        self.sport = r.randrange(49152, 65535) if h.windows else r.randrange(32768, 61000)
        self.flow = g.new_flow()
        self.rtt = r.uniform(0.008, 0.25)
        self.gap = 8 / r.choice(
            [8e6, 20e6, 50e6, 100e6, 300e6]
        )  # seconds per byte at the bottleneck
        self.c_nxt, self.s_nxt = r.getrandbits(32), r.getrandbits(32)
        self.ts = h.ts
        self.c_tsb, self.s_tsb = r.getrandbits(32), r.getrandbits(32)
        self.c_times: list[float] = []
        self.s_times: list[float] = []
        self.s_ipid = r.randrange(65536)
        base = 1440 if h.v6 else 1460
        self.mss = base - 12 if self.ts else base
        self.c_win, self.s_win = (513 if h.windows else 502), r.choice([501, 235, 1024])

    # -- options
    def tsopt(self, client: bool, tt: float) -> bytes:
        if not self.ts:
            return b""
        ms = int((tt - self.t0) * 1000)
        if client:
            val = (self.c_tsb + ms) & M32
            bisect.insort(self.c_times, tt)
            peer, lim, pb = self.s_times, tt, self.s_tsb
        else:
            val = (self.s_tsb + ms) & M32
            bisect.insort(self.s_times, tt)
            peer, lim, pb = self.c_times, tt - self.rtt + 1e-6, self.c_tsb
        i = bisect.bisect_right(peer, lim)
        ecr = (pb + int((peer[i - 1] - self.t0) * 1000)) & M32 if i else 0
        return b"\x01\x01\x08\x0a" + struct.pack("!II", val, ecr)

    def syn_opts(self, client: bool, tt: float) -> bytes:
        mss = struct.pack("!BBH", 2, 4, 1440 if self.v6 else 1460)
        if not self.ts:  # Windows: MSS, NOP, WS, NOP, NOP, SACK_PERM
            return mss + b"\x01\x03\x03\x08\x01\x01\x04\x02"
        return (
            mss
            + b"\x04\x02"
            + self.tsopt(client, tt)[2:]
            + (b"\x01\x03\x03\x07" if client else b"\x01\x03\x03\x09")
        )

    # -- packets
    def c(
        self,
        tt: float,
        flags: int,
        payload: bytes = b"",
        opts: bytes | None = None,
        seq: int | None = None,
        kind: str | None = None,
    ) -> None:
        g, h = self.g, self.h
        if opts is None:
            opts = self.tsopt(True, tt)
        h.ipid += 1
        l4 = g.l4_tcp(
            h.ip,
            self.sip,
            self.v6,
            self.sport,
            self.port,
            self.c_nxt if seq is None else seq,
            self.s_nxt if flags & ACK else 0,
            flags,
            64240 if flags & SYN else self.c_win,
            opts,
            payload,
        )
        g.emit(
            tt,
            g.ip_frame(h.ip, self.sip, self.v6, 6, l4, h.ttl, h.ipid, h.mac, g.gw),
            self.flow,
            kind,
        )

    def s(
        self,
        tt: float,
        flags: int,
        payload: bytes = b"",
        opts: bytes | None = None,
        seq: int | None = None,
        ttl: int | None = None,
        ipid: int | None = None,
        kind: str | None = None,
    ) -> None:
        g, h = self.g, self.h
        if opts is None:
            opts = self.tsopt(False, tt)
        if ipid is None:
            self.s_ipid += 1
            ipid = self.s_ipid
        l4 = g.l4_tcp(
            self.sip,
            h.ip,
            self.v6,
            self.port,
            self.sport,
            self.s_nxt if seq is None else seq,
            self.c_nxt if flags & ACK else 0,
            flags,
            65160 if flags & SYN else self.s_win,
            opts,
            payload,
        )
        g.emit(
            tt,
            g.ip_frame(
                self.sip, h.ip, self.v6, 6, l4, self.sttl if ttl is None else ttl, ipid, g.gw, h.mac
            ),
            self.flow,
            kind,
        )

    def send(self, tt: float, client: bool, data: bytes, kind: str | None = None) -> float:
        """data from one side in MSS segments; the peer ACKs every second segment and the last one
        (the client ACKs each of the first 8 segments: Linux quick-ACK mode).
        Returns the capture time of the last segment."""
        r = self.r
        mss = self.mss
        segs = [data[i : i + mss] for i in range(0, len(data), mss)]
        last = len(segs) - 1
        tx = self.c if client else self.s
        for i, sg in enumerate(segs):
            fl = ACK | PSH if i == last else ACK
            seq = self.c_nxt if client else self.s_nxt
            tx(tt, fl, sg, kind=kind if i == 0 else None)
            self.g.count("tcp_data")
            if r.random() < 0.015:  # lost after the gateway (or spurious RTO): resent later
                tx(tt + max(0.2, 2 * self.rtt) + r.uniform(0, 0.1), fl, sg, seq=seq, kind="retrans")
            if client:
                self.c_nxt = (self.c_nxt + len(sg)) & M32
            else:
                self.s_nxt = (self.s_nxt + len(sg)) & M32
            if i % 2 == 1 or i == last or (i < 8 and not client):  # quick-ACK at the start
                if client:
                    self.s(tt + self.rtt, ACK)
                else:
                    self.c(tt + 0.00005, ACK)
            tt += len(sg) * self.gap if not client else 0.00002
        return tt

    # -- connection script
    def run(self) -> None:
        g, r, t, rtt = self.g, self.r, self.t0, self.rtt
        blocked = self.dom in g.blocked
        name = g.domains[self.dom]
        mode = "ok"
        if blocked:
            modes = ["rst", "rst", "rst", "blackhole", "drop", "ok"]
            if self.port == 80:
                modes += ["blockpage", "blockpage"]
            mode = r.choice(modes)
        g.count("tcp_" + mode)
        # handshake
        if mode == "blackhole":
            for dt in (0.0, 1.0, 3.0, 7.0):
                self.c(t + dt, SYN, opts=self.syn_opts(True, t + dt), kind="syn")
            return
        self.c(t, SYN, opts=self.syn_opts(True, t), kind="syn")
        self.c_nxt = (self.c_nxt + 1) & M32
        t += rtt
        self.s(t, SYN | ACK, opts=self.syn_opts(False, t), kind="synack")
        self.s_nxt = (self.s_nxt + 1) & M32
        t += 0.0001
        self.c(t, ACK)
        t += 0.0002
        if self.port == 443:
            chrome = r.random() < 0.65
            first = g.client_hello(name, chrome)
            sid = first[44:76]
            kind = "client_hello"
        else:
            path = r.choice(
                [
                    "/",
                    "/index.html",
                    "/favicon.ico",
                    f"/news/{r.randrange(10**5)}",
                    f"/static/app.{r.getrandbits(32):x}.js",
                ]
            )
            first = (
                "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {}\r\nAccept: */*\r\n"
                "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n".format(
                    path,
                    name,
                    r.choice(
                        [
                            "curl/7.88.1",
                            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
                            "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0 Safari/537.36",
                        ]
                    ),
                )
            ).encode()
            kind = "http_get"
        ch_seq = self.c_nxt
        self.c(t, ACK | PSH, first, kind=kind)
        if mode == "rst":  # on-path injector, closer than the server
            inj_ttl = r.choice([35, 44, 101, 229])
            ipid = r.choice([0, 0x3039, None])
            tt = t + rtt * r.uniform(0.2, 0.45)
            self.c_nxt = (self.c_nxt + len(first)) & M32
            for k in range(r.choice([1, 2, 3, 3])):
                self.s(
                    tt + k * 0.00004,
                    RST | ACK if k % 2 == 0 else RST,
                    opts=b"",
                    ttl=inj_ttl,
                    ipid=r.randrange(65536) if ipid is None else ipid,
                    seq=(self.s_nxt + k * r.choice([0, 1460, 2920])) & M32,
                    kind="rst_injected",
                )
            if r.random() < 0.5:  # the real answer still arrives; the client's socket is gone
                self.s(t + rtt + 0.002, ACK)
                self.c(t + rtt + 0.0021, RST, opts=b"", kind="rst")
            return
        if mode == "drop":  # everything after the handshake is black-holed: retransmit, give up
            tt = t
            for dt in (0.2, 0.4, 0.8, 1.6, 3.2):
                tt += max(dt, 2 * rtt)
                self.c(tt, ACK | PSH, first, seq=ch_seq, kind="retrans")
            self.c_nxt = (self.c_nxt + len(first)) & M32
            self.c(tt + 6.4, RST | ACK, opts=b"", kind="rst")
            return
        if r.random() < 0.015:
            self.c(t + max(0.2, 2 * rtt), ACK | PSH, first, seq=ch_seq, kind="retrans")
        self.c_nxt = (self.c_nxt + len(first)) & M32
        g.count("tcp_data")
        if mode == "blockpage":
            page = (
                b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: 71\r\n"
                b"Connection: close\r\n\r\n"
                b"<html><body><h1>403</h1>Access to this site is restricted.</body></html>"
            )
            tt = t + rtt * 0.3
            self.s(
                tt,
                ACK | PSH | FIN,
                page,
                opts=b"",
                ttl=r.choice([44, 101]),
                ipid=0,
                kind="blockpage",
            )
            self.s_nxt = (self.s_nxt + len(page) + 1) & M32
            self.c(tt + 0.0001, RST | ACK, opts=b"", kind="rst")
            return
        t += rtt
        if self.port == 443:
            t = self.send(t + 0.003, False, g.server_flight(sid), kind="server_hello")
            t += 0.001
            t = self.send(
                t,
                True,
                b"\x14\x03\x03\x00\x01\x01"
                + g.records(r.choice([53, 53, 90]))
                + g.records(r.randrange(60, 700)),
            )
            t += rtt
            t = self.send(
                t, False, g.records(r.choice([0, 250, 500])) + g.records(self.heavy(1.6, 200))
            )
            rounds = r.choice([0, 0, 1, 1, 2, 3, 4, 6, 10])
        else:
            code = r.choices([200, 301, 404], [85, 10, 5])[0]
            t = self.send(t + 0.002, False, self.http_response(code))
            rounds = r.choice([0, 0, 0, 1, 2])
        for _ in range(rounds):
            t += r.expovariate(1 / 1.0)
            if self.port == 443:
                t = self.send(t, True, g.records(r.randrange(40, 400)))
                t += rtt
                t = self.send(t, False, g.records(self.heavy(1.5, 120)))
            else:
                t = self.send(t, True, first)
                t += rtt
                t = self.send(t, False, self.http_response(200))
        t += r.expovariate(1 / 3.0)
        if r.random() < 0.1:  # abrupt close by the client
            self.c(t, RST | ACK, opts=b"", kind="rst")
            return
        if r.random() < 0.6:  # client closes
            self.c(t, FIN | ACK, kind="fin")
            self.c_nxt = (self.c_nxt + 1) & M32
            self.s(t + rtt, FIN | ACK, kind="fin")
            self.s_nxt = (self.s_nxt + 1) & M32
            self.c(t + rtt + 0.0001, ACK)
        else:  # server closes (idle timeout)
            self.s(t, FIN | ACK, kind="fin")
            self.s_nxt = (self.s_nxt + 1) & M32
            self.c(t + 0.0002, FIN | ACK, kind="fin")
            self.c_nxt = (self.c_nxt + 1) & M32
            self.s(t + 0.0002 + rtt, ACK)

    def heavy(self, alpha: float, scale: int, cap: int = 100_000) -> int:
        """heavy-tailed (Pareto) transfer size in bytes"""
        return min(int(self.r.paretovariate(alpha) * scale), cap)

    def http_response(self, code: int) -> bytes:
        if code == 200:
            n = self.heavy(1.5, 400)
            body = self.g.text(n)
            ctype = "text/html; charset=utf-8"
        elif code == 301:
            body = b"<html><body>Moved</body></html>"
            ctype = "text/html"
        else:
            body = b"<html><body>Not Found</body></html>"
            ctype = "text/html"
        reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}[code]
        hdr = (
            f"HTTP/1.1 {code} {reason}\r\nServer: nginx\r\n"
            f"Date: Wed, 29 May 2024 16:00:00 GMT\r\nContent-Type: {ctype}\r\n"
        )
        if code == 301:
            hdr += f"Location: https://{self.g.domains[self.dom]}/\r\n"
        hdr += f"Content-Length: {len(body)}\r\n\r\n"
        return hdr.encode() + body


def source_hash() -> str:
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def up_to_date(out: str, packets: int, seed: int) -> bool:
    try:
        with open(out + ".meta.json") as f:
            meta = json.load(f)
        return (
            meta.get("packets") == packets
            and meta.get("seed") == seed
            and meta.get("generator") == source_hash()
            and os.path.getsize(out) == meta.get("size")
        )
    except (OSError, ValueError):
        return False


def generate(
    out: str, packets: int = 1_000_000, seed: int = 1, force: bool = False, quiet: bool = False
) -> dict:
    """Generate OUT unless an identical one exists; returns the meta dict."""
    if not force and up_to_date(out, packets, seed):
        with open(out + ".meta.json") as f:
            meta = json.load(f)
        if not quiet:
            print(f"{out}: up to date ({packets} packets, seed {seed}), not regenerated")
        return meta
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    t0 = time.perf_counter()
    g = Gen(seed)
    g.run(packets, out)
    el = time.perf_counter() - t0
    meta = {
        "packets": packets,
        "seed": seed,
        "generator": source_hash(),
        "size": os.path.getsize(out),
        "python": sys.version.split()[0],
        "gen_seconds": round(el, 1),
        "stats": dict(sorted(g.stats.items())),
    }
    with open(out + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    if not quiet:
        st = g.stats
        print(
            f"{out}: {packets} packets, {meta['size'] / 1e6:.1f} MB, {st['flows']} flows, "
            f"{st['duration_s']:.0f} s of traffic, generated in {el:.1f} s"
        )
    return meta


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", metavar="OUT.pcap")
    ap.add_argument("--packets", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="regenerate even if OUT is up to date")
    a = ap.parse_args()
    if a.packets < 1:
        ap.error("--packets must be >= 1")
    generate(a.out, a.packets, a.seed, a.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
