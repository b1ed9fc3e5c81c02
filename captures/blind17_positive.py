#!/usr/bin/env python3
# ruff: noqa: E501, B007, RUF059
"""Blind round 17, positive captures: documented censorship mechanisms where the names and the
protocol encodings vary (0x20 mixed-case DNS names, poison inside a CNAME chain, a ClientHello
split over TCP segments, Host with a port number, a QUIC ClientHello split over two Initial
packets, a throttling trigger matched by substring).

    python3 blind17_positive.py OUTDIR

writes six captures and OUTDIR/expect.json.  Deterministic: every random choice comes from a
seeded random.Random, timestamps are fixed."""
import ipaddress
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from blind_kit import (
    GREASE,
    Cap,
    Ctx,
    Flow,
    TokenBucket,
    chain,
    client_hello,
    epoch,
    ext,
    html_body,
    mac,
    mk_ip,
    quic_server_hello,
    server_flight,
    u16,
    x25519_pub,
)
from generate import protect, quic_initial_keys
from scapy.all import ICMP, IP, UDP, Raw, raw

# ----------------------------------------------------------------------------
# DNS: case-preserving names, SOA / HTTPS records, authority section
# ----------------------------------------------------------------------------

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "AAAA": 28, "OPT": 41, "HTTPS": 65}


class DnsW:
    def __init__(self):
        self.b = bytearray()
        self.tab = {}

    def name(self, n):
        """write a name; the case is kept as given, compression reuses only an identical earlier
        suffix (servers that compress case-insensitively would leak the 0x20 case into other
        names); dns_message writes owner names equal to the question with the question's
        case, so they become a pointer to the question."""
        n = n.rstrip(".")
        labels = n.split(".") if n else []
        for i in range(len(labels)):
            suf = ".".join(labels[i:])
            if suf in self.tab:
                self.b += struct.pack("!H", 0xC000 | self.tab[suf])
                return
            if len(self.b) < 0x3FFF:
                self.tab[suf] = len(self.b)
            lb = labels[i].encode("ascii")
            self.b += bytes([len(lb)]) + lb
        self.b.append(0)

    def rr(self, owner, ty, ttl, rd):
        self.name(owner)
        self.b += struct.pack("!HHI", TYPES[ty], 1, ttl)
        pos = len(self.b)
        self.b += b"\0\0"
        if ty == "A":
            self.b += ipaddress.IPv4Address(rd).packed
        elif ty == "AAAA":
            self.b += ipaddress.IPv6Address(rd).packed
        elif ty in ("CNAME", "NS"):
            self.name(rd)
        elif ty == "SOA":
            mname, rname, serial, refresh, retry, expire, minimum = rd
            self.name(mname)
            self.name(rname)
            self.b += struct.pack("!IIIII", serial, refresh, retry, expire, minimum)
        elif ty == "HTTPS":
            prio, target, params = rd
            self.b += struct.pack("!H", prio)
            self.b += b"\0" if target == "." else b"".join(bytes([len(x)]) + x.encode() for x in target.split(".")) + b"\0"
            for k, v in params:
                self.b += struct.pack("!HH", k, len(v)) + v
        struct.pack_into("!H", self.b, pos, len(self.b) - pos - 2)


def dns_message(txid, flags, qname, qtype, an=(), ns=(), edns=None):
    """edns: None or (udp size, DO bit)"""
    w = DnsW()
    w.b += struct.pack("!HHHHHH", txid, flags, 1, len(an), len(ns), 1 if edns else 0)
    w.name(qname)
    w.b += struct.pack("!HH", TYPES[qtype], 1)
    for r in list(an) + list(ns):
        w.rr(qname if r[0].lower().rstrip(".") == qname.lower().rstrip(".") else r[0], *r[1:])
    if edns:
        w.b += b"\x00" + struct.pack("!HHBBHH", 41, edns[0], 0, 0, 0x8000 if edns[1] else 0, 0)
    return bytes(w.b)


def gfw_forge(query, qtype_code, addr, ttl):
    """The GFW injector's reply (DNS-02): the query's bytes up to the end of QNAME + QTYPE/QCLASS,
    flags 0x8180 for RD=1 (0x8400 for RD=0), QD=1 AN=1 NS=0 AR=0 (the OPT record is not echoed),
    then one record with a pointer to the question.  AAAA queries get an AAAA, anything else an A."""
    i = 12
    while query[i]:
        i += 1 + query[i]
    q = query[12:i + 5]
    rd = query[2] & 1
    hdr = query[:2] + struct.pack("!HHHHH", 0x8180 if rd else 0x8400, 1, 1, 0, 0)
    if qtype_code == 28:
        rr = b"\xc0\x0c\x00\x1c\x00\x01" + struct.pack("!IH", ttl, 16) + ipaddress.IPv6Address(addr).packed
    else:
        rr = b"\xc0\x0c\x00\x01\x00\x01" + struct.pack("!IH", ttl, 4) + ipaddress.IPv4Address(addr).packed
    return hdr + q + rr


def caps20(rng, name):
    """dns-0x20 (draft-vixie-dnsext-dns0x20): every letter's case chosen at random."""
    return "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c.lower() for c in name)


# ----------------------------------------------------------------------------
# QUIC v1 Initial protection (RFC 9001 section 5)
# ----------------------------------------------------------------------------

def initial_keys(odcid, server, version=1):
    """(key, iv, hp) of one side's Initial packets (RFC 9001 5.2, from generate.py)."""
    return quic_initial_keys(odcid, version)["server" if server else "client"]


def varint(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return struct.pack("!H", 0x4000 | n)
    if n < 2 ** 30:
        return struct.pack("!I", 0x80000000 | n)
    return struct.pack("!Q", 0xC000000000000000 | n)


def initial_packet(keys, dcid, scid, pn, frames, pad_to=None, pn_len=2, version=1):
    """One protected Initial packet.  pad_to: pad with PADDING frames so that the packet is
    exactly that long (a client's Initial datagram must be >= 1200 bytes)."""
    first = 0xC0 | (0 << 4) | (pn_len - 1)
    hdr0 = bytes([first]) + struct.pack("!I", version) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(0)
    payload = frames
    if pad_to:
        need = pad_to - (len(hdr0) + 2 + pn_len + len(frames) + 16)
        payload = frames + b"\x00" * max(need, 0)
    if len(payload) + pn_len < 4:  # header protection needs a 16-byte sample 4 bytes after the PN
        payload += b"\x00" * (4 - pn_len - len(payload))
    hdr = hdr0 + struct.pack("!H", 0x4000 | (pn_len + len(payload) + 16))
    hdr += pn.to_bytes(pn_len, "big")
    return protect(hdr, pn, pn_len, payload, keys)


def opaque_long(rng, ptype, dcid, scid, size, version=1):
    """A Handshake (ptype 2) packet whose keys no observer has: random-looking protected bytes."""
    hdr = bytes([0xC0 | (ptype << 4) | rng.randrange(16)]) + struct.pack("!I", version) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    body = size - len(hdr) - 2
    return hdr + struct.pack("!H", 0x4000 | body) + rng.randbytes(body)


def opaque_short(rng, dcid, size, spin=0):
    return bytes([0x40 | (spin << 5) | rng.randrange(32)]) + dcid + rng.randbytes(size - 1 - len(dcid))


def crypto_frame(off, data):
    return b"\x06" + varint(off) + varint(len(data)) + data


def ack_frame(largest, delay=0, first_range=None):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(largest if first_range is None else first_range)


def quic_client_hello(rng, sni, profile="chrome", scid=b"", mlkem=True, version=1, kem=0x11EC):
    """TLS 1.3 ClientHello handshake message as carried in QUIC CRYPTO frames (no record layer,
    empty legacy session id, TLS 1.3 suites only, ALPN h3, quic_transport_parameters)."""
    rnd = rng.randbytes(32)
    pub = x25519_pub(rng)
    sni_ext = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode())
    tp = b""
    for k, v in ((0x01, varint(30000)), (0x03, varint(1472)), (0x04, varint(15728640)), (0x05, varint(6291456)),
                 (0x06, varint(6291456)), (0x07, varint(6291456)), (0x08, varint(100)), (0x09, varint(103)),
                 (0x0F, scid), (0x20, varint(65536))):
        tp += varint(k) + varint(len(v)) + v
    alpn = ext(16, u16(3) + b"\x02h3") if version == 1 else ext(16, u16(6) + b"\x05h3-29")
    tpcode = 0x39 if version == 1 else 0xFFA5
    sigs = ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)))
    if profile == "chrome":
        g1, g2, g3 = rng.sample(GREASE, 3)
        suites = [g1, 0x1301, 0x1302, 0x1303]
        tp += varint(0x1A2A * 31 + 27) + varint(0)  # a GREASE transport parameter
        if mlkem:
            ks = u16(g1) + u16(1) + b"\x00" + u16(kem) + u16(1216) + rng.randbytes(1216) + u16(0x1D) + u16(32) + pub
            groups = [g1, kem, 0x1D, 0x17, 0x18]
        else:
            ks = u16(g1) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + pub
            groups = [g1, 0x1D, 0x17, 0x18]
        # Chrome permutes its extensions; this order puts server_name early (it lands in the first Initial)
        exts = [ext(g2, b""), sni_ext, ext(45, b"\x01\x01"), ext(43, b"\x04" + u16(g3) + u16(0x0304)),
                ext(10, u16(2 * len(groups)) + b"".join(u16(x) for x in groups)), alpn, sigs,
                ext(27, b"\x02\x00\x02"), ext(tpcode, tp), ext(51, u16(len(ks)) + ks), ext(17613, b"\x00\x03\x02h3") if version == 1 else ext(17513, b"\x00\x06\x05h3-29"), ext(g3 ^ 0x1010, b"\x00")]
    else:  # firefox (neqo)
        suites = [0x1301, 0x1303, 0x1302]
        ks = u16(0x1D) + u16(32) + pub + u16(0x17) + u16(65) + b"\x04" + rng.randbytes(64)
        exts = [sni_ext, ext(10, u16(8) + b"".join(u16(x) for x in (0x1D, 0x17, 0x18, 0x19))), alpn,
                ext(51, u16(len(ks)) + ks), ext(43, b"\x02" + u16(0x0304)), sigs, ext(45, b"\x01\x01"),
                ext(28, b"\x40\x01"), ext(tpcode, tp)]
    el = b"".join(exts)
    body = b"\x03\x03" + rnd + b"\x00" + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


# ----------------------------------------------------------------------------
# per-capture context with the visits of this round
# ----------------------------------------------------------------------------


class Ctx17(Ctx):
    def __init__(self, cap, seed, **kw):
        self.unbound = kw.pop("unbound", False)  # local validating forwarder with use-caps-for-id
        self.quic_dgram = kw.pop("quic_dgram", 1250)
        self.quic_version = kw.pop("quic_version", 1)
        self.mlkem = kw.pop("mlkem", True)  # Chrome >= 124 sends a post-quantum hybrid key share
        self.kem = kw.pop("kem", 0x11EC)  # X25519MLKEM768 (Chrome >= 131); 0x6399 X25519Kyber768Draft00 before
        self.ua = kw.pop("ua", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36")
        self.lang = kw.pop("lang", "zh-CN,zh;q=0.9,en;q=0.8")
        super().__init__(cap, seed, **kw)

    def http(self, t, sip, host, rtt, sttl, path="/", status="200 OK", headers=(), body=b"", ua=None, sos="linuxsrv", iface=None, rate=20e6, tag=None, close="server", port=80):
        """HTTP/1.1 GET as Chrome writes it (header order Host, Connection, Upgrade-Insecure-Requests,
        User-Agent, Accept, Accept-Encoding, Accept-Language)."""
        rng = self.rng
        fl = self.flow_class(self, sip, port, rtt, sttl, sos=sos, iface=iface)
        t = fl.handshake(t, tag)
        req = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nUser-Agent: {ua or self.ua}\r\n"
               "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9\r\n"
               f"Accept-Encoding: gzip, deflate\r\nAccept-Language: {self.lang}\r\n\r\n").encode()
        t = fl.send_c(t + rng.uniform(0.0002, 0.001), req, tag and tag + "get")
        resp = f"HTTP/1.1 {status}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers) + b"\r\n" + body
        t = fl.bulk(t + fl.owd + rng.uniform(0.002, 0.03), resp, rate, None, 1e9, tag and tag + "resp")
        if close == "server":
            t = fl.close_server(t + rng.uniform(0.0001, 0.002))
        elif close == "client":
            t = fl.close_client(t + rng.uniform(1.0, 4.0), alert=False)
        return fl, t

    def port(self):
        lo, hi = (49152, 65535) if self.cos == "mac" else (32768, 61000)
        while True:
            p = self.rng.randrange(lo, hi)
            if p not in self.used:
                self.used.add(p)
                return p

    # -- DNS
    def dns_query(self, t, qname, qtype, v6=False, tag=None, sport=None, edns=None, flags=None):
        rng = self.rng
        src, dst = (self.cip6, self.resolver6) if v6 else (self.cip, self.resolver)
        sport = sport or self.port()
        txid = rng.randrange(65536)
        q = dns_message(txid, self.qflags if flags is None else flags, qname, qtype, edns=edns if edns is not None else self.edns)
        self.cap.add(t, mk_ip(src, dst, self.cttl, rng.randrange(65536), True, rng.getrandbits(20)) / UDP(sport=sport, dport=53) / Raw(q), True, self.iface, tag)
        return dict(txid=txid, sport=sport, q=q, qname=qname, qtype=qtype, v6=v6, src=src, dst=dst)

    def dns_answer(self, t, qi, an=(), ns=(), rflags=0x8180, tag=None, redns=None, raw_msg=None, ttl=None, ipid=None, df=False):
        msg = raw_msg if raw_msg is not None else dns_message(qi["txid"], rflags, qi["qname"], qi["qtype"], an, ns, edns=redns)
        ip = mk_ip(qi["dst"], qi["src"], ttl or self.rttl, self.resp_ipid() if ipid is None else ipid, df)
        pkt = raw(ip / UDP(sport=53, dport=qi["sport"]) / Raw(msg))
        self.cap.add(t, pkt, False, self.iface, tag)
        return pkt

    def port_unreachable(self, t, pkt, tag=None):
        """the client kernel's answer to a datagram for a socket already closed (Linux: TOS 0xc0,
        the offending datagram quoted whole up to 576 bytes)"""
        src = ".".join(str(x) for x in pkt[12:16])
        ip = IP(src=self.cip, dst=src, ttl=64, id=self.rng.randrange(65536), flags=0, tos=0xC0)
        self.cap.add(t, ip / ICMP(type=3, code=3) / Raw(pkt[:548]), True, self.iface, tag)

    def resolve(self, t, name, a_ans, aaaa_ans, aaaa_ns=(), rtt=None, v6=False, tag=None, want_aaaa=True):
        """A and AAAA; with self.unbound each goes out from its own port with 0x20 case and an
        EDNS OPT (1232, DO); otherwise glibc style from one socket without EDNS."""
        rng = self.rng
        rtt = rtt or self.dns_rtt
        out = []
        sport = None if self.unbound else self.port()
        for k, (qt, ans, ns) in enumerate((("A", a_ans, ()), ("AAAA", aaaa_ans, aaaa_ns))):
            if qt == "AAAA" and not want_aaaa:
                continue
            qn = caps20(rng, name) if self.unbound else name
            tq = t + k * rng.uniform(0.00003, 0.0002)
            qi = self.dns_query(tq, qn, qt, v6=v6, tag=tag and f"{tag}q{qt}", sport=sport,
                                edns=(1232, True) if self.unbound else None)
            ta = tq + rtt * rng.uniform(0.92, 1.2)
            self.dns_answer(ta, qi, ans, ns, tag=tag and f"{tag}r{qt}", redns=(1232, True) if self.unbound else None)
            out.append(ta)
        return max(out)

    # -- QUIC
    def quic_visit(self, t, sip, sni, rtt, sttl, resp=60000, profile="chrome", mlkem=True, tag=None, dgram=None, version=None):
        """A complete HTTP/3 exchange; the client's Initial is decryptable, the rest is opaque."""
        rng, cap = self.rng, self.cap
        v6 = ":" in sip
        cip = self.cip6 if v6 else self.cip
        sport = self.port()
        dgram = dgram or self.quic_dgram
        version = version or self.quic_version
        odcid = rng.randbytes(8)
        cscid = b"" if profile == "chrome" else rng.randbytes(rng.choice((3, 8)))
        sscid = rng.randbytes(8)
        ck, sk = initial_keys(odcid, False, version), initial_keys(odcid, True, version)
        ch = quic_client_hello(rng, sni, profile, cscid, mlkem, version, self.kem)
        cfl, sfl = rng.getrandbits(20), rng.getrandbits(20)
        cid = [rng.randrange(65536)]
        sid = [rng.randrange(65536)]

        def c(tt, payload, tg=None):
            ip = mk_ip(cip, sip, self.cttl, cid[0], True, cfl)
            cid[0] = (cid[0] + 1) & 0xFFFF
            cap.add(tt, ip / UDP(sport=sport, dport=443) / Raw(payload), True, self.iface, tg)

        def s(tt, payload, tg=None):
            ip = mk_ip(sip, cip, sttl, sid[0], False, sfl)
            sid[0] = (sid[0] + 1) & 0xFFFF
            cap.add(tt, ip / UDP(sport=443, dport=sport) / Raw(payload), False, self.iface, tg)

        # client Initials: the ClientHello in CRYPTO frames, as many datagrams as needed
        room = dgram - (1 + 4 + 1 + len(odcid) + 1 + len(cscid) + 1 + 2 + 2 + 16) - 8
        pn, off = 0, 0
        while off < len(ch):
            chunk = ch[off:off + room]
            c(t, initial_packet(ck, odcid, cscid, pn, crypto_frame(off, chunk), pad_to=dgram, version=version), tag and f"{tag}ini{pn}")
            off += len(chunk)
            pn += 1
            t += rng.uniform(0.00002, 0.00008)
        ta = t + rtt + rng.uniform(0.0005, 0.002)
        sh = quic_server_hello(rng)
        ini = initial_packet(sk, cscid, sscid, 0, ack_frame(pn - 1, rng.randrange(0, 40)) + crypto_frame(0, sh), version=version)
        s(ta, ini + opaque_long(rng, 2, cscid, sscid, 1252 - len(ini), version), tag and f"{tag}sini")
        ta += 0.00012
        s(ta, opaque_long(rng, 2, cscid, sscid, 1252, version))
        ta += 0.00012
        s(ta, opaque_long(rng, 2, cscid, sscid, rng.randrange(500, 900), version) + opaque_short(rng, cscid, rng.randrange(60, 120)))
        # client: Initial ACK + Handshake (ACK, Finished), then the request in 1-RTT
        tc = ta + rng.uniform(0.0005, 0.0015)
        hs = opaque_long(rng, 2, sscid, cscid, rng.randrange(80, 100), version)
        c(tc, initial_packet(ck, sscid, cscid, pn, ack_frame(0, 0), pad_to=dgram - len(hs), version=version) + hs)
        tc += 0.00005
        c(tc, opaque_short(rng, sscid, rng.randrange(250, 420)), tag and f"{tag}req")
        # server: HANDSHAKE_DONE + response; client ACKs every second datagram
        ts = tc + rtt + rng.uniform(0.005, 0.03)
        left = resp
        n = 0
        while left > 0:
            size = min(1252, left + 30)
            s(ts, opaque_short(rng, cscid, size))
            left -= size - 30
            n += 1
            if n % 2 == 0 or left <= 0:
                c(ts + rng.uniform(0.0002, 0.001), opaque_short(rng, sscid, rng.randrange(33, 45)))
            ts += size * 8 / 40e6 + rng.uniform(0.00001, 0.0001)
        return ts

    # -- whole visits
    def visit(self, t, site, tag=None):
        """site: dict(name, cn, a, aaaa, kind, rtt, ttl, resp[, soa]) -> end time"""
        rng = self.rng
        name = site["name"]
        a_ans = chain(name, site.get("cn", []), site["a"], site.get("ttl_c", 600), site.get("ttl_a", 60))
        aaaa = site.get("aaaa", [])
        zone = site.get("zone") or ((site.get("cn") or [name])[-1].split(".", 1)[-1])
        if aaaa:
            aaaa_ans, soa = chain(name, site.get("cn", []), aaaa, site.get("ttl_c", 600), site.get("ttl_a", 60), "AAAA"), ()
        else:  # NODATA: the CNAME chain, then the SOA of the last name's zone
            aaaa_ans = chain(name, site.get("cn", []), [], site.get("ttl_c", 600), 0)
            soa = ((zone, "SOA", 600, ("ns1." + zone, "hostmaster." + zone, 2025061001, 3600, 600, 86400, 600)),)
        t = self.resolve(t, name, a_ans, aaaa_ans, aaaa_ns=soa, tag=tag)
        use6 = bool(aaaa) and self.cip6 is not None
        sip = aaaa[0] if use6 else site["a"][0]
        t += rng.uniform(0.0003, 0.002)
        kind = site["kind"]
        if kind == "tls":
            _, t = self.https(t, sip, name, site["rtt"], site["ttl"], resp=site.get("resp", rng.randrange(15000, 90000)),
                              profile=site.get("profile", "chrome"), sos=site.get("sos", "linuxsrv"), tag=tag)
        elif kind == "http":
            body = html_body(rng, site.get("resp", 9000), site.get("title", name))
            _, t = self.http(t, sip, name, site["rtt"], site["ttl"], path=site.get("path", "/"),
                             headers=(("Server", site.get("server", "nginx")), ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), ("Connection", "close")),
                             body=body, sos=site.get("sos", "linuxsrv"), tag=tag)
        elif kind == "quic":
            t = self.quic_visit(t, sip, name, site["rtt"], site["ttl"], resp=site.get("resp", 60000), profile=site.get("profile", "chrome"), mlkem=self.mlkem, tag=tag)
        return t


# ----------------------------------------------------------------------------
# ordinary browsing
# ----------------------------------------------------------------------------

CN_SITES = [
    dict(name="www.baidu.com", cn=["www.a.shifen.com"], a=["180.101.50.188", "180.101.50.242"], kind="tls", rtt=0.029, ttl=52, zone="a.shifen.com"),
    dict(name="www.qq.com", cn=["ins-r23tsuuf.ias.tencent-cloud.net"], a=["121.14.77.221", "121.14.77.201"], aaaa=["240e:97c:2f:1::5c"], kind="tls", rtt=0.034, ttl=53),
    dict(name="www.bilibili.com", cn=["a.w.bilicdn1.com"], a=["119.3.70.188", "139.159.241.37"], kind="tls", rtt=0.031, ttl=51),
    dict(name="www.zhihu.com", cn=["www.zhihu.com.ipv6.dsa.dnsv1.com"], a=["118.89.204.198"], aaaa=["2402:4e00:1900:1400:0:9554:1e25:82c"], kind="tls", rtt=0.036, ttl=50),
    dict(name="github.com", a=["20.205.243.166"], kind="tls", rtt=0.078, ttl=109, sos="nots", zone="github.com"),
    dict(name="www.jd.com", cn=["www.jd.com.gslb.qianxun.com", "www.jdcdn.com.cdn20.com"], a=["111.13.149.108"], kind="tls", rtt=0.033, ttl=53),
    dict(name="www.163.com", cn=["www.163.com.163jiasu.com", "www.163.com.w.kunluncan.com"], a=["121.12.53.60"], kind="tls", rtt=0.027, ttl=54),
    dict(name="www.taobao.com", cn=["www.taobao.com.danuoyi.tbcache.com"], a=["183.2.172.42"], aaaa=["240e:97d:2014:3:3::3fa"], kind="quic", rtt=0.025, ttl=53, resp=140000),
    dict(name="g.alicdn.com", cn=["g.alicdn.com.danuoyi.alicdn.com"], a=["119.147.156.236"], kind="quic", rtt=0.024, ttl=54, resp=180000),
    dict(name="www.csdn.net", a=["39.106.226.142"], kind="tls", rtt=0.041, ttl=50, zone="csdn.net"),
    dict(name="www.douban.com", a=["81.70.124.99"], kind="tls", rtt=0.038, ttl=51, zone="douban.com"),
    dict(name="news.sina.com.cn", cn=["spool.grid.sinaedge.com"], a=["123.126.45.205"], kind="http", rtt=0.037, ttl=52, title="新浪新闻"),
    dict(name="www.gov.cn", cn=["www.gov.cn.bsgslb.cn", "zgovweb.v.bsgslb.cn"], a=["58.49.248.109"], kind="http", rtt=0.032, ttl=54, title="中国政府网"),
    dict(name="www.microsoft.com", cn=["www.microsoft.com-c-3.edgekey.net", "www.microsoft.com-c-3.edgekey.net.globalredir.akadns.net", "e13678.dscb.akamaiedge.net"], a=["23.40.45.207"], aaaa=["2600:1406:3a00:293::356e"], kind="tls", rtt=0.055, ttl=55),
    dict(name="www.apple.com.cn", cn=["www.apple.com.cn.edgekey.net", "e6858.dscx.akamaiedge.net"], a=["23.48.168.114"], kind="tls", rtt=0.049, ttl=56),
    dict(name="cn.bing.com", cn=["china.bing123.com", "cn-bing-com.cn.a-0001.a-msedge.net"], a=["202.89.233.101"], kind="tls", rtt=0.043, ttl=116, sos="nots"),
]


def browse(ctx, t, sites, tag, gap=(1.0, 7.0)):
    """visit each site in turn; returns (end time, number of visits)"""
    for i, s in enumerate(sites):
        t = ctx.visit(t, s, tag=f"{tag}{i}_") + ctx.rng.uniform(*gap)
    return t, len(sites)


def pick(rng, sites, n, exclude=()):
    pool = [s for s in sites if s["name"] not in exclude]
    return rng.sample(pool, n)


def ffr(cap, tags):
    return sorted(cap.frame(t) for t in tags)


# ----------------------------------------------------------------------------
# 1. dns-injection: 0x20 mixed-case query names
# ----------------------------------------------------------------------------


def cap_dns_injection(outdir):
    fname = "dns-injection_0x20-mixed-case.pcapng"
    cap = Cap(fname, epoch(2025, 6, 18, 1, 14, 3), [dict(name="enp3s0", link="eth", cmac=mac("b4:2e:99:5a:0c:71"), gmac=mac("c8:3a:35:1d:62:e0"), tsresol=6)],
              fmt="pcapng", shb=dict(hw="Intel(R) Core(TM) i5-10400 CPU @ 2.90GHz (with SSE4.2)", os="Linux 6.8.0-60-generic", app="Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"))
    ctx = Ctx17(cap, 1701, cip="192.168.1.105", cip6="240e:3b4:3a2c:1f60:a1d3:5e2f:7c81:4b09", resolver="8.8.8.8", rttl=116, dns_rtt=0.047, unbound=True)
    rng = ctx.rng
    sites = pick(rng, CN_SITES, 14)
    t, n1 = browse(ctx, 0.8, sites[:8], "a")

    # the censored lookup: unbound (use-caps-for-id) forwards A and AAAA for www.twitter.com
    t0 = t
    qA = ctx.dns_query(t0, caps20(rng, "www.twitter.com"), "A", edns=(1232, True), tag="blk_qA")
    qAAAA = ctx.dns_query(t0 + 0.00014, caps20(rng, "www.twitter.com"), "AAAA", edns=(1232, True), tag="blk_qAAAA")
    inj = [  # (delay, IP TTL, DF, IP ID, answer TTL, A, AAAA)
        (0.0121, 47, True, None, 234, "31.13.94.37", "2a03:2880:f10c:283:face:b00c:0:25de"),
        (0.0133, 101, False, 0, 60, "162.125.32.13", "2001::1f0d:5b2c"),
    ]
    for k, (d, ttl, df, ipid, attl, a4, a6) in enumerate(inj):
        for qi, code, addr, off in ((qA, 1, a4, 0.0), (qAAAA, 28, a6, 0.00016)):
            ta = t0 + d + off + rng.uniform(0, 0.0002)
            pk = ctx.dns_answer(ta, qi, raw_msg=gfw_forge(qi["q"], code, addr, attl), ttl=ttl, df=df,
                                ipid=rng.randrange(65536) if ipid is None else ipid, tag=f"blk_inj{k}{'A' if code == 1 else 'AAAA'}")
            if k == 1:  # unbound took the first matching reply and closed that query's port
                ctx.port_unreachable(ta + rng.uniform(0.00002, 0.00005), pk)
    tg = t0 + 0.0512
    pk = ctx.dns_answer(tg, qA, [("www.twitter.com", "CNAME", 1781, "twitter.com"), ("twitter.com", "A", 1781, "104.244.42.129"), ("twitter.com", "A", 1781, "104.244.42.1")],
                        redns=(1232, True), tag="blk_genA")
    ctx.port_unreachable(tg + rng.uniform(0.00002, 0.00005), pk, tag="blk_icmpA")
    pk = ctx.dns_answer(tg + 0.0009, qAAAA, [("www.twitter.com", "CNAME", 1781, "twitter.com")],
                        [("twitter.com", "SOA", 1800, ("a.r06.twtrdns.net", "noc.twitter.com", 2007122021, 3600, 600, 604800, 1800))], redns=(1232, True), tag="blk_genAAAA")
    ctx.port_unreachable(tg + 0.0009 + rng.uniform(0.00002, 0.00005), pk, tag="blk_icmpAAAA")
    # the browser got the forged addresses first: happy eyeballs to both, nothing answers
    f6 = Flow(ctx, inj[0][6], 443, 0.2, 50)
    f4 = Flow(ctx, inj[0][5], 443, 0.2, 50)
    ts = t0 + 0.0135
    for fl, t1 in ((f6, ts), (f4, ts + 0.3)):
        fl.c(t1, "S", tag="blk_syn6" if fl is f6 else "blk_syn4")
        for k, back in enumerate((1.0, 3.0, 7.0, 15.0)):
            fl.c(t1 + back + rng.uniform(0.0005, 0.004), "S", seq=fl.ciss)
    t = ts + 16.5 + rng.uniform(1, 3)
    t, n2 = browse(ctx, t, sites[8:], "b")
    cap.write(os.path.join(outdir, fname))

    fr = lambda tg: cap.frame(tg)  # noqa: E731
    note = (
        f"Linux desktop in China (China Telecom, 2025-06-18) running a local unbound forwarder with use-caps-for-id: every query to 8.8.8.8 "
        f"carries a dns-0x20 random-case name and an EDNS OPT (1232, DO). {n1 + n2} ordinary visits (A+AAAA lookups, then TLS, HTTP/1.1 or QUIC) "
        f"all resolve cleanly. For www.twitter.com unbound sends A (frame {fr('blk_qA')}, qname {qA['qname']}) and AAAA (frame {fr('blk_qAAAA')}, qname {qAAAA['qname']}). "
        f"Each query draws two forged replies ~12-14 ms later (frames {fr('blk_inj0A')}, {fr('blk_inj0AAAA')} and {fr('blk_inj1A')}, {fr('blk_inj1AAAA')}) "
        f"built like the GFW injector (DNS-02): the question echoed byte for byte with the querier's mixed case, flags 0x8180, AN=1, AR=0 although the "
        f"query had an OPT, one record c00c...; injector 1: IP TTL 47, DF, answer TTL 234, A 31.13.94.37 / AAAA 2a03:2880:f10c:283:face:b00c:0:25de "
        f"(Facebook pool); injector 2: IP TTL 101, no DF, IP ID 0, answer TTL 60, A 162.125.32.13 / AAAA in Teredo 2001::/32. The genuine replies from "
        f"8.8.8.8 arrive ~51 ms after the queries (frames {fr('blk_genA')}, {fr('blk_genAAAA')}; IP TTL 116 like every other 8.8.8.8 reply, OPT echoed): "
        f"CNAME twitter.com + A 104.244.42.129/104.244.42.1, and for AAAA a CNAME with NODATA (SOA), so the forged AAAA answers a name that has none. "
        f"unbound had already accepted the first (forged, case-matching) reply and closed those ports, so the client kernel answers the second injector's "
        f"replies and the genuine ones with ICMP port unreachable (e.g. frames {fr('blk_icmpA')}, {fr('blk_icmpAAAA')}). "
        f"The twist is the 0x20 case: the qname must be compared case-insensitively (the forged and genuine replies echo the case of their own query, "
        f"and A and AAAA use different case patterns); 0x20 does not defeat an on-path injector that copies the question. The browser then tries the "
        f"forged addresses (SYN to [2a03:2880:...] frame {fr('blk_syn6')}, SYN to 31.13.94.37 frame {fr('blk_syn4')}, retransmitted 1/3/7/15 s, never answered).")
    return fname, dict(expect=[dict(mechanism="dns-injection", domain="www.twitter.com")],
                       allow=[dict(mechanism="dns-tampering", domain="www.twitter.com"), dict(mechanism="blackhole", domain="www.twitter.com")],
                       note=note)



# ----------------------------------------------------------------------------
# 2. dns-tampering: the block-page address sits at the end of a CNAME chain
# ----------------------------------------------------------------------------

ID_SITES = [
    dict(name="www.google.co.id", a=["172.217.194.94"], aaaa=["2404:6800:4003:c00::5e"], kind="tls", rtt=0.021, ttl=119, sos="nots", zone="google.co.id"),
    dict(name="www.detik.com", a=["203.190.242.69"], kind="tls", rtt=0.014, ttl=58, zone="detik.com"),
    dict(name="www.kompas.com", cn=["www.kompas.com.cdn.cloudflare.net"], a=["104.18.23.238", "104.18.22.238"], aaaa=["2606:4700::6812:17ee", "2606:4700::6812:16ee"], kind="tls", rtt=0.017, ttl=56, sos="cdn"),
    dict(name="www.tokopedia.com", cn=["www.tokopedia.com.edgekey.net", "e8372.a.akamaiedge.net"], a=["23.201.99.231"], kind="tls", rtt=0.012, ttl=59),
    dict(name="shopee.co.id", a=["143.92.88.1"], kind="tls", rtt=0.024, ttl=52, zone="shopee.co.id"),
    dict(name="id.wikipedia.org", cn=["dyna.wikimedia.org"], a=["103.102.166.224"], aaaa=["2001:df2:e500:ed1a::1"], kind="tls", rtt=0.019, ttl=57, zone="wikimedia.org"),
    dict(name="www.youtube.com", cn=["youtube-ui.l.google.com"], a=["172.217.194.93", "172.217.194.136"], aaaa=["2404:6800:4003:c03::5d"], kind="tls", rtt=0.021, ttl=119, sos="nots", zone="google.com"),
    dict(name="www.instagram.com", cn=["z-p42-instagram.c10r.instagram.com"], a=["157.240.15.174"], aaaa=["2a03:2880:f22f:c5:face:b00c:0:4420"], kind="tls", rtt=0.023, ttl=56, sos="cdn"),
    dict(name="www.kaskus.co.id", a=["103.6.117.2"], kind="tls", rtt=0.016, ttl=57, zone="kaskus.co.id"),
    dict(name="www.tribunnews.com", cn=["www.tribunnews.com.cdn.cloudflare.net"], a=["104.18.4.60"], aaaa=["2606:4700::6812:43c"], kind="tls", rtt=0.018, ttl=56, sos="cdn"),
    dict(name="www.bmkg.go.id", a=["202.90.198.40"], kind="http", rtt=0.013, ttl=58, zone="bmkg.go.id", title="BMKG | Badan Meteorologi, Klimatologi, dan Geofisika", server="Apache"),
    dict(name="web.whatsapp.com", cn=["mmx-ds.cdn.whatsapp.net"], a=["157.240.15.53"], aaaa=["2a03:2880:f22f:c5:face:b00c:0:167"], kind="tls", rtt=0.023, ttl=56, sos="cdn"),
    dict(name="www.bukalapak.com", cn=["www.bukalapak.com.cdn.cloudflare.net"], a=["104.17.98.41"], kind="tls", rtt=0.018, ttl=56, sos="cdn"),
    dict(name="www.liputan6.com", cn=["www.liputan6.com.edgekey.net", "e11847.x.akamaiedge.net"], a=["23.201.99.52"], kind="http", rtt=0.012, ttl=59, title="Liputan6.com - Berita Terkini Hari Ini", server="AkamaiNetStorage"),
]


def cap_dns_tampering(outdir):
    fname = "dns-tampering_blockpage-in-cname-chain.pcap"
    cap = Cap(fname, epoch(2020, 3, 29, 8, 52, 17), [dict(name="wwan0", link="raw")], fmt="pcap")
    ctx = Ctx17(cap, 1702, cip="10.47.211.86", resolver="116.206.15.41", rttl=61, dns_rtt=0.031,
                lang="id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.149 Safari/537.36")
    rng = ctx.rng
    sites = pick(rng, ID_SITES, 13)
    t, n1 = browse(ctx, 0.4, sites[:6], "a", gap=(1.5, 9.0))

    # vimeo.com through the operator's resolver: a CNAME to the block host, then its address
    t0 = t
    q_a = ctx.dns_query(t0, "vimeo.com", "A", tag="blk_qA")
    q_aaaa = ctx.dns_query(t0 + 0.00007, "vimeo.com", "AAAA", tag="blk_qAAAA", sport=q_a["sport"])
    ctx.dns_answer(t0 + 0.0284, q_a, [("vimeo.com", "CNAME", 300, "restricted.tri.co.id"), ("restricted.tri.co.id", "A", 300, "116.206.10.31")], tag="blk_rA")
    ctx.dns_answer(t0 + 0.0297, q_aaaa, [("vimeo.com", "CNAME", 300, "restricted.tri.co.id")],
                   [("tri.co.id", "SOA", 300, ("ns1.tri.co.id", "hostmaster.tri.co.id", 2020031801, 10800, 3600, 604800, 300))], tag="blk_rAAAA")
    body = (
        b"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        b"<title>Situs Diblokir | 3 Indonesia</title>\n</head>\n<body>\n<div class=\"container\">\n"
        b"<h1>Maaf, situs yang Anda tuju tidak dapat diakses</h1>\n"
        b"<p>Situs ini termasuk dalam daftar situs bermuatan negatif sesuai dengan Peraturan Menteri Kominfo No. 19 Tahun 2014 "
        b"tentang Penanganan Situs Internet Bermuatan Negatif.</p>\n"
        b"<p>Jika Anda merasa situs ini tidak termasuk dalam kategori tersebut, silakan hubungi <a href=\"https://trustpositif.kominfo.go.id\">trustpositif.kominfo.go.id</a>.</p>\n"
        b"</div>\n</body>\n</html>\n")
    t1 = t0 + 0.0301 + rng.uniform(0.0005, 0.002)
    _, t = ctx.http(t1, "116.206.10.31", "vimeo.com", 0.009, 62,
                    headers=(("Server", "nginx"), ("Date", "Sun, 29 Mar 2020 08:53:09 GMT"), ("Content-Type", "text/html"), ("Content-Length", str(len(body))), ("Connection", "close")),
                    body=body, tag="blk_http")
    t += rng.uniform(3.0, 8.0)
    t, n2 = browse(ctx, t, sites[6:], "b", gap=(1.5, 9.0))
    cap.write(os.path.join(outdir, fname))
    fr = cap.frame
    note = (
        f"Laptop on a 3 Indonesia (Tri, AS45727) LTE modem, 2020-03-29, captured on the raw-IP interface wwan0 (LINKTYPE_RAW, IPv4, CGNAT address). "
        f"{n1 + n2} ordinary visits (glibc A+AAAA lookups from one socket to the operator's resolver 116.206.15.41, then TLS or HTTP) resolve to the "
        f"sites' real CDN addresses. For vimeo.com (frames {fr('blk_qA')}/{fr('blk_qAAAA')}) the same resolver answers once, no race, ~28 ms later: "
        f"A reply (frame {fr('blk_rA')}) = 'vimeo.com CNAME restricted.tri.co.id' followed by 'restricted.tri.co.id A 116.206.10.31'; AAAA reply "
        f"(frame {fr('blk_rAAAA')}) = the same CNAME and NODATA with the SOA of tri.co.id. Both the CNAME target and the address are documented "
        f"Tri block-page fingerprints (ooni/blocking-fingerprints ooni.id_41 restricted.tri.co.id, ooni.id_42 116.206.10.31; DNS-05 Indonesia CNAMEs). "
        f"The twist: the block address is not an answer for the queried name itself but the tail of a CNAME chain (RPZ-style rewrite to a walled-garden "
        f"host), so a rule that only reads address records owned by the qname finds nothing but a CNAME. The browser then fetches http://vimeo.com/ from "
        f"116.206.10.31 (frames {fr('blk_httpsyn')}..; GET frame {fr('blk_httpget')}, response frame {fr('blk_httprespdata')}) and receives the operator's "
        f"'Situs Diblokir' page citing the Kominfo negative-content regulation.")
    return fname, dict(expect=[dict(mechanism="dns-tampering", domain="vimeo.com")],
                       allow=[dict(mechanism="blockpage", domain="vimeo.com")], note=note)


# ----------------------------------------------------------------------------
# 3. rst-injection: the ClientHello split over three TCP segments, SNI cut in two
# ----------------------------------------------------------------------------


def cap_rst_split(outdir):
    fname = "rst-injection_sni-split-tcp-segments.pcap"
    cap = Cap(fname, epoch(2024, 6, 12, 12, 3, 41), [dict(name="any", link="sll2", cmac=mac("f4:6b:8c:21:7d:0e"), gmac=mac("50:64:2b:9a:13:c2"), ifindex=3)], fmt="pcap")
    ctx = Ctx17(cap, 1703, cip="192.168.31.23", resolver="192.168.31.1", rttl=64, dns_rtt=0.019, kem=0x6399,
                ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36")
    rng = ctx.rng
    sites = pick(rng, CN_SITES, 15)
    t, n1 = browse(ctx, 0.6, sites[:7], "a")
    sip, rtt, sttl = "151.101.193.164", 0.171, 47
    notes = []
    for attempt in range(2):
        tg = f"blk{attempt}_"
        fl = Flow(ctx, sip, 443, rtt, sttl, sos="cdn")
        t = fl.handshake(t, tag=tg)
        t += rng.uniform(0.0003, 0.0009)
        ch, sid = client_hello(rng, "www.nytimes.com", profile="chrome")
        i = ch.index(b"www.nytimes.com")
        parts = [ch[:2], ch[2:i + 6], ch[i + 6:]]  # 2 bytes | ... "www.ny" | "times.com" ...
        for k, part in enumerate(parts):
            fl.c(t, "PA", part, tag=f"{tg}seg{k}")
            t += rng.uniform(0.00003, 0.00008)
        fl.s_rcv = fl.cnxt
        # GFW type II: three RST+ACK, identical but for the TTL, DF set, IP ID in the type-II band
        tr = t + rng.uniform(0.016, 0.021)
        base_ttl = rng.randrange(96, 110)
        for k in range(3):
            fl.forged(tr + k * rng.uniform(0.00002, 0.00006), "RA", fl.snxt, fl.cnxt, base_ttl + k, rng.randrange(0x00A3, 0xFE5F), True, 2053, tag=f"{tg}rst{k}")
        # the real server got the ClientHello before the RST aimed at it: its flight still arrives
        ts = t + rtt + rng.uniform(0.001, 0.003)
        flight = server_flight(rng, sid, 2950)
        off = 0
        k = 0
        while off < len(flight) and k < 3:
            seg = flight[off:off + fl.seg]
            fl.s(ts, "A" if off + len(seg) < len(flight) and k < 2 else "PA", seg, seq=fl.snxt + off, tag=f"{tg}sh{k}")
            fl.stack_rst(ts + rng.uniform(0.00002, 0.00006), fl.cnxt, tag=f"{tg}crst{k}")
            off += len(seg)
            k += 1
            ts += len(seg) * 8 / 50e6 + 0.00002
        notes.append((tg, base_ttl))
        t = ts + (rng.uniform(3.0, 5.0) if attempt == 0 else rng.uniform(4.0, 9.0))
    t, n2 = browse(ctx, t, sites[7:], "b")
    cap.write(os.path.join(outdir, fname))
    fr = cap.frame
    d = [f"attempt {a + 1}: SYN frame {fr(tg + 'syn')}, SYN/ACK TTL {sttl} frame {fr(tg + 'synack')}, ClientHello segments frames "
         f"{fr(tg + 'seg0')}/{fr(tg + 'seg1')}/{fr(tg + 'seg2')}, RST+ACK frames {fr(tg + 'rst0')}-{fr(tg + 'rst2')} TTL {b}-{b + 2}, "
         f"server flight frames {fr(tg + 'sh0')}.. each answered by a client kernel RST" for a, (tg, b) in enumerate(notes)]
    note = (
        f"Linux laptop in China (home broadband behind a Xiaomi router, 2024-06-12), captured with tcpdump -i any (LINKTYPE_LINUX_SLL2), IPv4. "
        f"{n1 + n2} ordinary visits (lookups through the router's DNS forwarder, then TLS, HTTP/1.1 or QUIC). www.nytimes.com is pinned in the hosts file "
        f"(no DNS query, so the only place the name appears is the SNI) and a segmentation tool splits every ClientHello into three TCP segments: "
        f"2 bytes | up to 'www.ny' | 'times.com'..., so no single segment carries the whole name. The GFW reassembles TCP (RST-03 'does TCP reassembly'; "
        f"only TLS-record fragmentation evades) and ~16-21 ms after the last segment injects GFW type-II resets: three RST+ACK with identical seq/ack "
        f"and window 2053, DF set, IP IDs in the type-II band, TTLs consecutive (~96-111) versus the server's TTL {sttl}. The genuine server never saw a "
        f"RST in time: its ServerHello flight arrives one RTT ({int(rtt * 1000)} ms) after the ClientHello, and the client kernel answers each segment with "
        f"a RST (race evidence RST_SEQ_DATA). A reload a few seconds later is reset the same way. " + "; ".join(d) + ".")
    return fname, dict(expect=[dict(mechanism="rst-injection", domain="www.nytimes.com")],
                       allow=[dict(mechanism="residual-blocking", domain="www.nytimes.com")], note=note)


# ----------------------------------------------------------------------------
# 4. packet-injection: "anti-fraud" redirect injected for Host: name:8080
# ----------------------------------------------------------------------------


def cap_http_hostport(outdir):
    fname = "packet-injection_http-host-with-port.pcap"
    cap = Cap(fname, epoch(2022, 6, 18, 3, 27, 55), [dict(name="eth0", link="vlan", vlan=20, cmac=mac("3c:7c:3f:a8:15:4d"), gmac=mac("e8:68:19:b2:07:31"))], fmt="pcap")
    ctx = Ctx17(cap, 1704, cip="10.20.8.117", resolver="202.106.0.20", rttl=59, dns_rtt=0.009, cos="linux", mlkem=False,
                ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/102.0.5005.115 Safari/537.36")
    rng = ctx.rng
    sites = pick(rng, CN_SITES, 13)
    t, n1 = browse(ctx, 0.3, sites[:6], "a")
    host, sip, rtt, sttl = "www.hg3088.vip", "154.39.71.18", 0.048, 46
    t = ctx.resolve(t, host, chain(host, [], [sip], 600, 600), chain(host, [], [], 600, 0),
                    aaaa_ns=(("hg3088.vip", "SOA", 600, ("ns1.dnsowl.com", "hostmaster.dnsowl.com", 2022052301, 10800, 3600, 604800, 600)),), tag="blk_dns")
    t += rng.uniform(0.0005, 0.002)
    fl = Flow(ctx, sip, 8080, rtt, sttl, sos="linuxsrv")
    t = fl.handshake(t, tag="blk_")
    req = ("GET / HTTP/1.1\r\nHost: www.hg3088.vip:8080\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n"
           f"User-Agent: {ctx.ua}\r\n"
           "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9\r\n"
           f"Accept-Encoding: gzip, deflate\r\nAccept-Language: {ctx.lang}\r\n\r\n").encode()
    t = fl.send_c(t + rng.uniform(0.0003, 0.001), req, tag="blk_get")
    t_get = t
    # in-path box 3.1 ms later: 302 to the China Unicom anti-fraud page, with FIN, from the server's address
    inj = (b"HTTP/1.1 302 Found\r\nLocation: http://39.102.194.95/\r\nContent-Length: 0\r\nConnection: close\r\nCache-Control: no-cache\r\n\r\n")
    ti = t + rng.uniform(0.0029, 0.0034)
    s0 = fl.snxt
    ip = mk_ip(sip, ctx.cip, 251, 0x2A1F, False)
    from scapy.all import TCP
    cap.add(ti, ip / TCP(sport=8080, dport=fl.sport, seq=s0, ack=fl.cnxt, flags="FPA", window=8192) / Raw(inj), False, 0, "blk_inj")
    fl.c_rcv = s0 + len(inj) + 1
    fl.c(ti + 0.00005, "A", tag="blk_injack")
    fl.c(ti + rng.uniform(0.0005, 0.0012), "FA", tag="blk_cfin")
    # the genuine reply (same sequence numbers) arrives one RTT after the request
    body = html_body(rng, 5200, "皇冠体育 - 官方网站")
    gen = ("HTTP/1.1 200 OK\r\nServer: nginx/1.20.1\r\nDate: Sat, 18 Jun 2022 03:28:41 GMT\r\nContent-Type: text/html; charset=utf-8\r\n"
           f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n").encode() + body
    tg = t + rtt + rng.uniform(0.003, 0.006)
    off, k = 0, 0
    while off < len(gen) and k < 3:
        seg = gen[off:off + fl.seg]
        fl.s(tg, "PA" if off + len(seg) >= len(gen) else "A", seg, seq=s0 + off, ack=fl.cnxt - 1, tag=f"blk_gen{k}")  # sent before our FIN reached it
        fl.stack_rst(tg + rng.uniform(0.00002, 0.00005), fl.cnxt, tag=f"blk_crst{k}")
        off += len(seg)
        k += 1
        tg += len(seg) * 8 / 100e6 + 0.00001
    # the browser follows the redirect
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>国家反诈中心提醒您</title></head><body>"
            "<div class=\"warn\"><h2>您访问的网站/网页存在诈骗风险，请注意个人信息和财产安全</h2>"
            "<p>该网站涉嫌诈骗，已被依法拦截。如有疑问请拨打96110。</p>"
            "<p>国家反诈中心 · 工业和信息化部 · 中国联通</p></div></body></html>").encode()
    _, t = ctx.http(tg + rng.uniform(0.002, 0.01), "39.102.194.95", "39.102.194.95", 0.027, 51,
                    headers=(("Server", "nginx"), ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page))), ("Connection", "close")),
                    body=page, tag="blk_bp")
    t += rng.uniform(4.0, 9.0)
    t, n2 = browse(ctx, t, sites[6:], "b")
    cap.write(os.path.join(outdir, fname))
    fr = cap.frame
    note = (
        f"Office Linux PC (Chrome 102) on a China Unicom line, 2022-06-18, captured on a mirror port with 802.1Q VLAN 20 tags, IPv4. {n1 + n2} ordinary visits "
        f"(Unicom resolver 202.106.0.20, TLS, HTTP/1.1, QUIC). The user opens a gambling link http://www.hg3088.vip:8080/ (DNS frames "
        f"{fr('blk_dnsqA')}/{fr('blk_dnsrA')} give the real address 154.39.71.18; handshake frames {fr('blk_syn')}-{fr('blk_synack')}, server TTL {sttl}, "
        f"RTT {int(rtt * 1000)} ms). The GET (frame {fr('blk_get')}) carries 'Host: www.hg3088.vip:8080' - the twist: the name comes with a port and the "
        f"server port is 8080, not 80. {(ti - t_get) * 1000:.1f} ms later, far below the RTT, frame {fr('blk_inj')} arrives 'from' 154.39.71.18:8080 with "
        f"FIN+PSH+ACK, IP TTL 251, IP ID 0x2a1f, no DF, window 8192, no TCP options: 'HTTP/1.1 302 Found' with Location http://39.102.194.95/ (the China "
        f"Unicom anti-fraud block page, HTTP-01 / net4people#354). The genuine 200 OK from the server then arrives one RTT after the GET at the same "
        f"sequence numbers (frames {fr('blk_gen0')}..{fr('blk_gen2')}, TTL {sttl}) and the client, which already closed, answers with RSTs: conflicting "
        f"data at the same seq = injected response. The browser follows the redirect (frames {fr('blk_bpsyn')}.., GET {fr('blk_bpget')}) and gets "
        f"the '国家反诈中心提醒您' warning page.")
    return fname, dict(expect=[dict(mechanism="packet-injection", domain="www.hg3088.vip")],
                       allow=[dict(mechanism="blockpage", domain="www.hg3088.vip")], note=note)



# ----------------------------------------------------------------------------
# 5. blackhole: QUIC Initials with a ClientHello split over two packets, TCP works
# ----------------------------------------------------------------------------


def cap_quic_split(outdir):
    fname = "blackhole_quic-clienthello-two-initials.pcapng"
    cap = Cap(fname, epoch(2025, 5, 20, 13, 41, 8), [dict(name="en0", link="eth", cmac=mac("a4:83:e7:5c:19:2b"), gmac=mac("24:cf:24:8e:4a:90"), tsresol=9)],
              fmt="pcapng", shb=dict(hw="Mac14,2", os="Mac OS X 14.5, build 23F79 (Darwin 23.5.0)", app="Dumpcap (Wireshark) 4.2.5 (v4.2.5-0-g4aa814ac25a1)"))
    ctx = Ctx17(cap, 1705, cip="192.168.1.7", resolver="211.136.192.6", rttl=58, dns_rtt=0.011, cos="mac",
                ua="Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36")
    rng = ctx.rng
    quic = [x for x in CN_SITES if x["kind"] == "quic"]  # working HTTP/3 to other servers
    sites = pick(rng, [x for x in CN_SITES if x["kind"] != "quic"], 11) + quic
    rng.shuffle(sites)
    t, n1 = browse(ctx, 0.5, sites[:7], "a")

    name, sip, rtt, sttl = "www.notion.so", "104.18.22.110", 0.176, 51
    a_ans = chain(name, [], ["104.18.22.110", "104.18.23.110"], 300, 300)
    aaaa_ans = chain(name, [], ["2606:4700::6812:166e", "2606:4700::6812:176e"], 300, 300, "AAAA")
    t = ctx.resolve(t, name, a_ans, aaaa_ans, tag="blk_dns") + rng.uniform(0.0005, 0.002)
    # QUIC first (alt-svc h3 remembered from an earlier visit): Chrome's ClientHello with an
    # X25519MLKEM768 key share is ~1.8 kB, so it goes out in two Initial packets; nothing comes back
    sport = ctx.port()
    odcid = rng.randbytes(8)
    ck = initial_keys(odcid, False)
    ch = quic_client_hello(rng, name, "chrome", b"", True)
    room = 1250 - (1 + 4 + 1 + 8 + 1 + 0 + 1 + 2 + 2 + 16) - 8
    chunks = [(0, ch[:room]), (room, ch[room:])]
    cfl = rng.getrandbits(20)
    pn = 0
    tq = t

    def send(tt, payload, tg):
        cap.add(tt, mk_ip(ctx.cip, sip, ctx.cttl, rng.randrange(65536), True, cfl) / UDP(sport=sport, dport=443) / Raw(payload), True, 0, tg)

    for rnd, delay in enumerate((0.0, 0.3, 0.9, 2.1, 4.5)):
        for k, (off, chunk) in enumerate(chunks):
            send(tq + delay + k * rng.uniform(0.00002, 0.00006), initial_packet(ck, odcid, b"", pn, crypto_frame(off, chunk), pad_to=1250), f"blk_q{rnd}_{k}")
            pn += 1
    # the TCP job starts 300 ms later and the page loads over TLS from the same address
    fl, t2 = ctx.https(tq + 0.3 + rng.uniform(0.001, 0.004), sip, name, rtt, sttl, resp=310000, rate=25e6, profile="chrome", sos="cdn", tag="blk_tcp")
    t = max(t2, tq + 5.0) + rng.uniform(2.0, 5.0)
    t, n2 = browse(ctx, t, sites[7:10], "b")
    # a second page of the same site, later: TCP again (QUIC is marked broken for this origin)
    fl2, t = ctx.https(t, sip, name, rtt, sttl, resp=120000, rate=25e6, profile="chrome", sos="cdn", tag="blk_tcp2")
    t += rng.uniform(1.5, 4.0)
    t, n3 = browse(ctx, t, sites[10:], "c")
    cap.write(os.path.join(outdir, fname))
    fr = cap.frame
    nq = sum(1 for x in sites if x["kind"] == "quic")
    note = (
        f"MacBook (Chrome) on China Mobile broadband, 2025-05-20, Wireshark pcapng with nanosecond timestamps, IPv4. {n1 + n2 + n3} ordinary visits, "
        f"{nq} of them HTTP/3 (QUIC v1) that complete normally; every Chrome Initial in this capture carries a ~1.8 kB ClientHello (X25519MLKEM768 "
        f"key share) and is therefore split over two Initial datagrams - the twist: a parser must decrypt the Initials (RFC 9001 keys from the client's "
        f"DCID) and reassemble CRYPTO frames across packets; the server_name extension lies in the first packet's part. For www.notion.so "
        f"(DNS frames {fr('blk_dnsqA')}-{fr('blk_dnsrA')}, 104.18.22.110) the client sends its two Initials from UDP port {sport} to 443 (frames "
        f"{fr('blk_q0_0')}/{fr('blk_q0_1')}, sport > dport) and retransmits them at +0.3, +0.9, +2.1 and +4.5 s (last pair frames "
        f"{fr('blk_q4_0')}/{fr('blk_q4_1')}); no UDP datagram ever comes back from 104.18.22.110. Meanwhile the TCP job to the same address and the same "
        f"SNI succeeds (SYN frame {fr('blk_tcpsyn')}, ClientHello frame {fr('blk_tcpch')}, ServerHello frame {fr('blk_tcpshdata')}, ~310 kB delivered), and "
        f"a second page load over TCP later works too (frame {fr('blk_tcp2syn')}). Consistent with QUIC-01 (GFW SNI-based QUIC censorship: the first "
        f"Initial of the flow is decrypted, the SNI matched, and the flow dropped). The name is illustrative: the GFW's QUIC blocklist is distinct from its "
        f"TLS blocklist, which is why TCP/TLS with the same SNI passes.")
    return fname, dict(expect=[dict(mechanism="blackhole", domain="www.notion.so")], allow=[], note=note)


# ----------------------------------------------------------------------------
# 6. throttling: the "*t.co*" substring rule catches www.reddit.com
# ----------------------------------------------------------------------------

RU_SITES = [
    dict(name="yandex.ru", a=["77.88.55.88", "5.255.255.70"], aaaa=["2a02:6b8:a::a"], kind="tls", rtt=0.009, ttl=58, zone="yandex.ru"),
    dict(name="vk.com", a=["87.240.190.78", "93.186.225.208"], kind="tls", rtt=0.011, ttl=57, zone="vk.com"),
    dict(name="mail.ru", a=["94.100.180.201", "217.69.139.202"], aaaa=["2a00:1148:db00:0:b0b0::1"], kind="tls", rtt=0.010, ttl=56, zone="mail.ru"),
    dict(name="www.ozon.ru", a=["185.73.193.68"], kind="tls", rtt=0.013, ttl=55, zone="ozon.ru"),
    dict(name="www.avito.ru", a=["146.158.48.5"], kind="tls", rtt=0.012, ttl=56, zone="avito.ru"),
    dict(name="www.wildberries.ru", a=["185.62.200.160"], kind="tls", rtt=0.014, ttl=55, zone="wildberries.ru"),
    dict(name="habr.com", a=["178.248.237.68"], kind="tls", rtt=0.012, ttl=57, zone="habr.com"),
    dict(name="lenta.ru", a=["81.19.72.32"], kind="tls", rtt=0.010, ttl=57, zone="lenta.ru"),
    dict(name="ria.ru", a=["178.248.233.32"], kind="tls", rtt=0.011, ttl=57, zone="ria.ru"),
    dict(name="www.kinopoisk.ru", a=["213.180.199.63"], aaaa=["2a02:6b8::2:242"], kind="tls", rtt=0.009, ttl=58, zone="kinopoisk.ru"),
    dict(name="www.google.ru", a=["142.250.74.35"], aaaa=["2a00:1450:400f:80c::2003"], kind="quic", rtt=0.031, ttl=117, resp=70000, zone="google.com"),
    dict(name="www.youtube.com", cn=["youtube-ui.l.google.com"], a=["142.250.74.46"], aaaa=["2a00:1450:400f:801::200e"], kind="quic", rtt=0.031, ttl=117, resp=240000, zone="google.com"),
    dict(name="pikabu.ru", a=["91.228.155.90"], kind="tls", rtt=0.013, ttl=56, zone="pikabu.ru"),
    dict(name="www.cbr.ru", a=["62.76.179.114"], kind="http", rtt=0.010, ttl=56, zone="cbr.ru", title="Банк России", server="Microsoft-IIS/10.0", sos="nots"),
    dict(name="www.pogoda.spb.ru", a=["91.215.153.45"], kind="http", rtt=0.008, ttl=58, zone="spb.ru", title="Погода в Санкт-Петербурге"),
]


def cap_throttle(outdir):
    fname = "throttling_sni-substring-match.pcap"
    cap = Cap(fname, epoch(2021, 3, 10, 14, 6, 30), [dict(name="br-lan", link="eth", cmac=mac("70:85:c2:4e:d1:09"), gmac=mac("e4:8d:8c:31:a2:7f"))],
              fmt="pcap", endian=">", nsec=True)
    ctx = Ctx17(cap, 1706, cip="192.168.1.64", cip6="2a02:2698:2c21:5f3a:6d1e:9b44:c8f0:3a17", resolver="192.168.1.1", rttl=64, dns_rtt=0.006,
                quic_version=0xFF00001D, quic_dgram=1350, mlkem=False, lang="ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7",
                ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.82 Safari/537.36")
    rng = ctx.rng
    sites = pick(rng, RU_SITES, 13)
    for s in sites:  # Chrome 89 (March 2021): no post-quantum key share, HTTP/3 draft-29
        s.setdefault("profile", "chrome")
    t, n1 = browse(ctx, 0.7, sites[:6], "a")

    sip, rtt, sttl = "151.101.1.140", 0.041, 57
    fastly = ["151.101.1.140", "151.101.65.140", "151.101.129.140", "151.101.193.140"]
    t = ctx.resolve(t, "www.reddit.com", chain("www.reddit.com", ["reddit.map.fastly.net"], fastly, 300, 30), chain("www.reddit.com", ["reddit.map.fastly.net"], [], 300, 0),
                    aaaa_ns=(("fastly.net", "SOA", 30, ("ns1.fastly.net", "hostmaster.fastly.com", 2017052201, 3600, 600, 604800, 30)),), tag="thr_dns")
    t_thr = t + rng.uniform(0.0005, 0.0015)
    policer = TokenBucket(140e3, 9000)
    fl_thr, t_thr_end = ctx.https(t_thr, sip, "www.reddit.com", rtt, sttl, resp=330000, rate=60e6, profile="chrome", sos="cdn", drop=policer, tag="thr_")
    # sub-resources from the same Fastly address under other names, while the page is still crawling in
    tc = t_thr + rng.uniform(1.2, 1.8)
    tc = ctx.resolve(tc, "www.redditstatic.com", chain("www.redditstatic.com", ["reddit.map.fastly.net"], fastly, 300, 30),
                     chain("www.redditstatic.com", ["reddit.map.fastly.net"], [], 300, 0),
                     aaaa_ns=(("fastly.net", "SOA", 30, ("ns1.fastly.net", "hostmaster.fastly.com", 2017052201, 3600, 600, 604800, 30)),), tag="ctl_dns")
    fl_ctl, tce = ctx.https(tc + rng.uniform(0.0005, 0.0015), sip, "www.redditstatic.com", rtt, sttl, resp=1250000, rate=60e6, profile="chrome", sos="cdn", tag="ctl_")
    tc2 = tce + rng.uniform(0.3, 0.9)
    tc2 = ctx.resolve(tc2, "i.redd.it", chain("i.redd.it", ["reddit.map.fastly.net"], fastly[1:] + fastly[:1], 300, 30), chain("i.redd.it", ["reddit.map.fastly.net"], [], 300, 0),
                      aaaa_ns=(("fastly.net", "SOA", 30, ("ns1.fastly.net", "hostmaster.fastly.com", 2017052201, 3600, 600, 604800, 30)),), tag="ctl2_dns")
    fl_ctl2, tce2 = ctx.https(tc2 + rng.uniform(0.0005, 0.0015), "151.101.65.140", "i.redd.it", 0.042, 57, resp=880000, rate=60e6, profile="chrome", sos="cdn", tag="ctl2_")
    t = max(t_thr_end, tce2) + rng.uniform(2.0, 6.0)
    t, n2 = browse(ctx, t, sites[6:], "b")
    cap.write(os.path.join(outdir, fname))
    fr = cap.frame

    def rate(fl, t0):
        return fl.delivered * 8 / (fl.last_arr - t0) / 1e3

    r_thr = rate(fl_thr, t_thr)
    r_ctl = rate(fl_ctl, tc)
    r_ctl2 = rate(fl_ctl2, tc2)
    note = (
        f"Linux PC behind a home router in Russia (Moscow, 2021-03-10 ~17:06 MSK, the day the TSPU began throttling Twitter), tcpdump on the router's "
        f"br-lan, big-endian pcap with nanosecond timestamps, IPv4 and IPv6. {n1 + n2} ordinary visits (TLS, HTTP/1.1, and HTTP/3 with QUIC draft-29 as "
        f"Chrome 89 spoke it) run at full speed. The user opens www.reddit.com (DNS frames {fr('thr_dnsqA')}-{fr('thr_dnsrA')}, Fastly 151.101.1.140, "
        f"RTT {int(rtt * 1000)} ms): from the ClientHello (frame {fr('thr_ch')}) on, server-to-client packets above ~140 kbit/s are dropped by a policer, so "
        f"the response crawls in with repeated retransmissions (first server data frame {fr('thr_shdata')}; ~{r_thr:.0f} kbit/s goodput over "
        f"{fl_thr.last_arr - t_thr:.0f} s for {fl_thr.delivered // 1000} kB). While it crawls, the same server address 151.101.1.140 serves "
        f"www.redditstatic.com (ClientHello frame {fr('ctl_ch')}) at ~{r_ctl / 1000:.0f} Mbit/s ({fl_ctl.delivered // 1000} kB) and i.redd.it "
        f"(151.101.65.140, frame {fr('ctl2_ch')}) at ~{r_ctl2 / 1000:.0f} Mbit/s: THR-01 - per-flow policing keyed on the SNI, not the address. The twist is "
        f"the name: the throttled SNI is not a Twitter name; the TSPU rule '*t.co*' was a substring match, and 'www.reddi[t.co]m' contains it (reddit.com, "
        f"microsoft.com and rt.com were throttled until 2021-03-11 ~08:00 UTC) - a rule keyed on the list of Twitter names would miss this flow; "
        f"the names that do not contain 't.co' (www.redditstatic.com, i.redd.it) on the same Fastly addresses are fast.")
    return fname, dict(expect=[dict(mechanism="throttling", domain="www.reddit.com")], allow=[], note=note)


CAPTURES = [cap_dns_injection, cap_dns_tampering, cap_rst_split, cap_http_hostport, cap_quic_split, cap_throttle]


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for fn in CAPTURES:
        name, e = fn(outdir)
        expect[name] = e
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
