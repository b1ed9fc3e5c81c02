#!/usr/bin/env python3
# ruff: noqa: E501, B007, B905, F841, RUF005, RUF015, RUF059
"""Blind round 17 (benign): innocent traffic whose names and protocol encodings vary in ways
that resemble documented censorship signatures.  Deterministic: every random choice comes from
a random.Random seeded per capture, and no wall-clock time is used.

    python3 blind17_benign.py OUTDIR      (needs scapy + cryptography; imports blind_kit.py and generate.py)

Writes six captures and OUTDIR/expect.json.
"""
import ipaddress
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import blind_kit as K
from blind_kit import (
    Cap,
    Ctx,
    Flow,
    app_rec,
    epoch,
    ext,
    html_body,
    mac,
    mk_ip,
    server_flight,
    u16,
    x25519_pub,
)
from generate import protect, quic_initial_keys
from scapy.all import ICMP, IP, UDP, ICMPv6DestUnreach, IPv6, Raw, raw

# ----------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------


def varint(n, size=None):
    if size is None:
        size = 1 if n < 64 else 2 if n < 16384 else 4 if n < 2**30 else 8
    if size == 1:
        return bytes([n])
    if size == 2:
        return struct.pack("!H", 0x4000 | n)
    if size == 4:
        return struct.pack("!I", 0x80000000 | n)
    return struct.pack("!Q", (0xC0 << 56) | n)


def case20(rng, name):
    """DNS 0x20: flip the case of each letter at random."""
    return "".join(ch.upper() if ch.isalpha() and rng.getrandbits(1) else ch.lower() for ch in name)


# ----------------------------------------------------------------------------
# DNS with all sections, SOA, SVCB/HTTPS, EDNS
# ----------------------------------------------------------------------------

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33, "OPT": 41, "SVCB": 64, "HTTPS": 65}


class DnsW:
    def __init__(self):
        self.b = bytearray()
        self.tab = {}

    def name(self, n, compress=True):
        n = n.rstrip(".")
        if not n:
            self.b.append(0)
            return
        labels = n.split(".")
        for i in range(len(labels)):
            suf = ".".join(labels[i:]).lower()
            if compress and suf in self.tab:
                self.b += struct.pack("!H", 0xC000 | self.tab[suf])
                return
            if compress and len(self.b) < 0x3FFF:
                self.tab[suf] = len(self.b)
            lb = labels[i].encode("utf-8")
            self.b += bytes([len(lb)]) + lb
        self.b.append(0)

    def rr(self, r):
        n, ty, ttl, rd = r[:4]
        self.name(n)
        self.b += struct.pack("!HHI", TYPES[ty], 1, ttl)
        pos = len(self.b)
        self.b += b"\0\0"
        if ty == "A":
            self.b += ipaddress.IPv4Address(rd).packed
        elif ty == "AAAA":
            self.b += ipaddress.IPv6Address(rd).packed
        elif ty in ("CNAME", "NS", "PTR"):
            self.name(rd)
        elif ty == "SOA":
            mname, rname, serial, refresh, retry, expire, minimum = rd
            self.name(mname)
            self.name(rname)
            self.b += struct.pack("!IIIII", serial, refresh, retry, expire, minimum)
        elif ty in ("HTTPS", "SVCB"):
            prio, target, params = rd
            self.b += struct.pack("!H", prio)
            self.name(target, compress=False)  # RFC 9460 2.2: TargetName is not compressed
            for key, val in sorted(params):
                self.b += struct.pack("!HH", key, len(val)) + val
        else:
            self.b += rd
        struct.pack_into("!H", self.b, pos, len(self.b) - pos - 2)


def svc_params(alpn=None, port=None, ipv4hint=None, ipv6hint=None, ech=None, no_default_alpn=False):
    p = []
    if alpn:
        p.append((1, b"".join(bytes([len(a)]) + a.encode() for a in alpn)))
    if no_default_alpn:
        p.append((2, b""))
    if port:
        p.append((3, struct.pack("!H", port)))
    if ipv4hint:
        p.append((4, b"".join(ipaddress.IPv4Address(a).packed for a in ipv4hint)))
    if ech:
        p.append((5, ech))
    if ipv6hint:
        p.append((6, b"".join(ipaddress.IPv6Address(a).packed for a in ipv6hint)))
    return p


def dns(txid, flags, qname, qtype, an=(), ns=(), ar=(), edns=None):
    """edns: None or dict(size=, do=, opts=[(code, bytes)])."""
    w = DnsW()
    w.b += struct.pack("!HHHHHH", txid, flags, 1, len(an), len(ns), len(ar) + (1 if edns else 0))
    w.name(qname)
    w.b += struct.pack("!HH", TYPES[qtype], 1)
    for r in list(an) + list(ns) + list(ar):
        w.rr(r)
    if edns:
        opts = b"".join(struct.pack("!HH", c, len(v)) + v for c, v in edns.get("opts", ()))
        w.b += b"\x00" + struct.pack("!HHIH", 41, edns.get("size", 1232), (0x8000 if edns.get("do") else 0), len(opts)) + opts
    return bytes(w.b)


def soa(zone, mname, rname, serial, minimum=300, ttl=None):
    return (zone, "SOA", ttl if ttl is not None else minimum, (mname, rname, serial, 7200, 3600, 1209600, minimum))


# ----------------------------------------------------------------------------
# QUIC (RFC 9000/9001, v2 RFC 9369): correctly protected Initial packets
# ----------------------------------------------------------------------------

QV1, QV2 = 0x00000001, 0x6B3343CF
QSALT = {QV1: bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"), QV2: bytes.fromhex("0dede3def700a6db819381be6e269dcbf9bd2ed9")}
QTYPE = {QV1: {"initial": 0, "0rtt": 1, "handshake": 2, "retry": 3}, QV2: {"initial": 1, "0rtt": 2, "handshake": 3, "retry": 0}}


def initial_keys(version, odcid, server):
    """(key, iv, hp) of one side's Initial packets (RFC 9001 5.2, RFC 9369 3.3; generate.py)."""
    return quic_initial_keys(odcid, version)["server" if server else "client"]


def long_packet(version, ptype, dcid, scid, pn, payload, keys=None, rng=None, token=b"", pnlen=2):
    """A long-header packet; with keys it is really protected (Initial), without keys the
    protected part is random bytes of the right size (Handshake/0-RTT whose keys a capture
    cannot know)."""
    first = 0xC0 | (QTYPE[version][ptype] << 4) | (pnlen - 1)
    hdr = bytes([first]) + struct.pack("!I", version) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    if ptype == "initial":
        hdr += varint(len(token)) + token
    hdr += varint(pnlen + len(payload) + 16, 2)
    pn_off = len(hdr)
    hdr += pn.to_bytes(pnlen, "big")
    if keys:
        return protect(hdr, pn, pnlen, payload, keys)
    pkt = bytearray(hdr + rng.randbytes(len(payload) + 16))
    mask = rng.randbytes(5)
    pkt[0] ^= mask[0] & 0x0F
    for i in range(pnlen):
        pkt[pn_off + i] ^= mask[1 + i]
    return bytes(pkt)


def long_overhead(dcid, scid, ptype, token=b"", pnlen=2):
    return 1 + 4 + 1 + len(dcid) + 1 + len(scid) + (len(varint(len(token))) + len(token) if ptype == "initial" else 0) + 2 + pnlen + 16


def short_packet(rng, dcid, size):
    """1-RTT packet of `size` bytes (keys unknown to the capture: random protected bytes)."""
    first = 0x40 | rng.getrandbits(6)
    return bytes([first]) + dcid + rng.randbytes(size - 1 - len(dcid))


def vn_packet(rng, dcid, scid, versions):
    return bytes([0x80 | rng.getrandbits(7)]) + b"\0\0\0\0" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + b"".join(struct.pack("!I", v) for v in versions)


def f_crypto(offset, data):
    return b"\x06" + varint(offset) + varint(len(data)) + data


def f_ack(largest, delay=0, first_range=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(first_range)


def tp(params):
    out = b""
    for pid, val in params:
        out += varint(pid) + varint(len(val)) + val
    return out


def tp_int(pid, v):
    return (pid, varint(v))


def quic_client_hello(rng, sni, scid, alpn=("h3",), versions_info=None, profile="chrome"):
    """TLS ClientHello handshake message (no record header) for QUIC."""
    pub = x25519_pub(rng)
    alpn_b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    params = [tp_int(0x01, 30000), tp_int(0x03, 1472), tp_int(0x04, 15728640), tp_int(0x05, 6291456), tp_int(0x06, 6291456), tp_int(0x07, 6291456),
              tp_int(0x08, 100), tp_int(0x09, 103), (0x0F, scid)]
    if versions_info:
        params.append((0x11, b"".join(struct.pack("!I", v) for v in versions_info)))
    if profile == "chrome":
        g = rng.choice(K.GREASE)
        params.append((0x1A * 31 + 27 + 31 * rng.randrange(1, 1000), rng.randbytes(rng.randrange(1, 8))))  # GREASE transport parameter (31*N+27)
        exts = [ext(g, b""), ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()), ext(10, u16(6) + u16(0x1D) + u16(0x17) + u16(0x18)),
                ext(16, u16(len(alpn_b)) + alpn_b), ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
                ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(45, b"\x01\x01"), ext(43, b"\x02" + u16(0x0304)), ext(27, b"\x02\x00\x02"),
                ext(0x39, tp(params)), ext(g ^ 0x1010, b"")]
        suites = [0x1301, 0x1302, 0x1303]
    else:
        exts = [ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()), ext(10, u16(8) + u16(0x1D) + u16(0x17) + u16(0x18) + u16(0x19)),
                ext(16, u16(len(alpn_b)) + alpn_b), ext(13, u16(12) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0804, 0x0805, 0x0401, 0x0501))),
                ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(45, b"\x01\x01"), ext(43, b"\x02" + u16(0x0304)), ext(0x39, tp(params))]
        suites = [0x1301, 0x1302, 0x1303]
    el = b"".join(exts)
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def quic_server_hello(rng):
    pub = x25519_pub(rng)
    exts = ext(43, u16(0x0304)) + ext(51, u16(0x1D) + u16(32) + pub)
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(0x1301) + b"\x00" + u16(len(exts)) + exts
    return b"\x02" + struct.pack("!I", len(body))[1:] + body


# ----------------------------------------------------------------------------
# the per-capture client
# ----------------------------------------------------------------------------

PROFILES17 = dict(K.PROFILES)
PROFILES17["win"] = dict(synwin=64240, ws=8, ts=False, win0=1026)
PROFILES17["winsrv"] = dict(synwin=65535, ws=8, ts=False, win0=1026)


class Flow17(Flow):
    profiles = PROFILES17

    def _opts(self, out, t, flags, sack=None):
        if out and "S" in flags and self.ctx.cos == "win":  # Windows 10/11 SYN: MSS,NOP,WS,NOP,NOP,SACK_PERM
            return [("MSS", self.cmss), ("NOP", None), ("WScale", 8), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
        if not out and "S" in flags and not self.ts and self.sos_linux:  # Linux SYN/ACK to a peer without timestamps
            return [("MSS", self.smss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", self.sp["ws"])]
        return super()._opts(out, t, flags, sack)

    def __init__(self, ctx, sip, dport, rtt, sttl, sos="linuxsrv", **kw):
        super().__init__(ctx, sip, dport, rtt, sttl, sos=sos, **kw)
        self.sos_linux = sos in ("linux", "linuxsrv", "cdn")


class Ctx17(Ctx):
    """capkit's Ctx plus raw UDP, flexible DNS exchanges and QUIC connections."""

    flow_class = Flow17

    def __init__(self, cap, seed, **kw):
        self.quic_ipid = kw.pop("quic_ipid", "inc")
        self.q_ipid = kw.pop("q_ipid", "counter")
        self.global_ipid = kw.pop("global_ipid", None)  # Windows: one counter for every packet
        super().__init__(cap, seed, **kw)
        self.udp_ids = {}

    port_range = (32768, 61000)

    def port(self):
        while True:
            p = self.rng.randrange(*self.port_range)
            if p not in self.used:
                self.used.add(p)
                return p

    def ipid(self, fl):
        if self.global_ipid is not None:
            v = self.global_ipid
            self.global_ipid = (v + 1) & 0xFFFF
            return v
        return super().ipid(fl)

    def https(self, t, sip, sni, rtt, sttl, **kw):
        if ":" in sip:
            kw.setdefault("smss", 1440)
        return super().https(t, sip, sni, rtt, sttl, **kw)

    def http(self, t, sip, host, rtt, sttl, **kw):
        return super().http(t, sip, host, rtt, sttl, **kw)

    def src_for(self, dst):
        return self.cip6 if ":" in dst else self.cip

    def c_udp_id(self, key):
        if self.global_ipid is not None:
            return self.ipid(None)
        if key not in self.udp_ids:
            self.udp_ids[key] = self.rng.randrange(1, 65536)
        v = self.udp_ids[key]
        self.udp_ids[key] = (v + 1) & 0xFFFF
        return v

    def udp(self, t, src, dst, sport, dport, payload, ttl, ipid, df, out, iface=None, tag=None, fl=0, tos=0):
        iface = self.iface if iface is None else iface
        pkt = mk_ip(src, dst, ttl, ipid, df, fl, tos) / UDP(sport=sport, dport=dport) / Raw(payload)
        self.cap.add(t, pkt, out, iface, tag)
        return pkt

    # -- DNS ------------------------------------------------------------------
    def dnsx(self, t, server, qname, qtype, rtt, sttl, an=(), ns=(), ar=(), rcode=0, qflags=None, rflags=None, qedns="ctx", redns="ctx",
             resp_qname=None, sport=None, txid=None, iface=None, tag=None, r_ipid=None, r_df=False, q_df=None, answer=True, extra_delay=0.0, fl=0):
        """One query and (unless answer=False) its response. Returns (arrival, sport, txid, query bytes)."""
        rng = self.rng
        src = self.src_for(server)
        sport = sport or self.port()
        txid = rng.randrange(65536) if txid is None else txid
        qflags = self.qflags if qflags is None else qflags
        qe = self.edns if qedns == "ctx" else qedns
        re_ = self.edns if redns == "ctx" else redns
        q = dns(txid, qflags, qname, qtype, edns=qe)
        qid = self.c_udp_id(("dns", src)) if self.q_ipid == "counter" else rng.randrange(65536)
        self.last_query_pkt = self.udp(t, src, server, sport, 53, q, self.cttl, qid, True if q_df is None else q_df, True, iface, tag and tag + "q", fl)
        ta = t + rtt * rng.uniform(0.92, 1.12) + extra_delay
        if answer:
            rflags = (0x8180 if qflags & 0x0100 else 0x8400) if rflags is None else rflags
            r = dns(txid, rflags | rcode, resp_qname or qname, qtype, an, ns, ar, edns=re_)
            ipid = rng.randrange(65536) if r_ipid is None else r_ipid
            self.last_resp_pkt = self.udp(ta, server, src, 53, sport, r, sttl, ipid, r_df, False, iface, tag and tag + "r")
        return ta, sport, txid, q

    # -- QUIC -----------------------------------------------------------------
    def quic(self, t, sip, sni, rtt, sttl, version=QV1, resp=40000, rate=40e6, iface=None, tag=None, sport=None, dgram=1250, srv_dgram=1252,
             profile="chrome", versions_info=None, server_version=None, odcid=None, close=True, s_ipid="zero", think=0.012, alpn=("h3",)):
        """A complete QUIC connection (Initial/Handshake/1-RTT). server_version != version:
        compatible version negotiation (RFC 9368): the server answers in server_version."""
        rng = self.rng
        iface = self.iface if iface is None else iface
        src = self.src_for(sip)
        sport = sport or self.port()
        owd = rtt / 2
        sv = server_version or version
        odcid = odcid or rng.randbytes(8)
        scid_c = b"" if profile == "chrome" else rng.randbytes(8)  # Chrome uses a zero-length client CID
        scid_s = rng.randbytes(8)
        ckeys = initial_keys(version, odcid, False)
        skeys = initial_keys(sv, odcid, True)  # RFC 9368: after a compatible switch both sides use the new version's Initial keys
        ckeys2 = initial_keys(sv, odcid, False)
        cid_id = ("quic", sport)
        s_id = [rng.randrange(65536)]

        def cs(tt, payload, tg=None):
            self.udp(tt, src, sip, sport, 443, payload, self.cttl, self.c_udp_id(cid_id) if self.quic_ipid == "inc" else 0, True, True, iface, tg)

        def ss(tt, payload, tg=None):
            if s_ipid == "zero":
                ipid = 0
            else:
                ipid = s_id[0]
                s_id[0] = (s_id[0] + 1) & 0xFFFF
            self.udp(tt, sip, src, 443, sport, payload, sttl, ipid, True, False, iface, tg)

        # client Initial: CRYPTO(ClientHello) + PADDING to the datagram size
        ch = quic_client_hello(rng, sni, scid_c, alpn, versions_info, profile)
        frames = f_crypto(0, ch)
        pad = dgram - long_overhead(odcid, scid_c, "initial") - len(frames)
        cs(t, long_packet(version, "initial", odcid, scid_c, 0, frames + b"\0" * pad, ckeys), tag and tag + "ini")
        # server flight: Initial(ACK, ServerHello) + Handshake ..., up to 3x amplification
        ta = t + rtt + rng.uniform(0.0006, 0.003)
        sh = quic_server_hello(rng)
        sframes = f_ack(0, rng.randrange(0, 40)) + f_crypto(0, sh)
        ini = long_packet(sv, "initial", scid_c, scid_s, 0, sframes, skeys)
        hs_fill = srv_dgram - len(ini) - long_overhead(scid_c, scid_s, "handshake")
        d1 = ini + long_packet(sv, "handshake", scid_c, scid_s, 0, b"\0" * hs_fill, None, rng)
        ss(ta, d1, tag and tag + "sini")
        cert = rng.randrange(2600, 3900)
        left = cert - hs_fill
        hpn = 1
        while left > 0:
            ta += (srv_dgram + 48) * 8 / rate + rng.uniform(0.00001, 0.00006)
            n = min(left, srv_dgram - long_overhead(scid_c, scid_s, "handshake"))
            ss(ta, long_packet(sv, "handshake", scid_c, scid_s, hpn, b"\0" * n, None, rng), tag and tag + f"shs{hpn}")
            left -= n
            hpn += 1
        # client: Initial(ACK) + Handshake(ACK, Finished), padded; then 1-RTT request
        tc = ta + rng.uniform(0.0008, 0.0025)
        cini = long_packet(sv, "initial", scid_s, scid_c, 1, f_ack(0) + b"\0" * 24, ckeys2)
        chs_len = 58
        cpad = dgram - len(cini) - long_overhead(scid_s, scid_c, "handshake") - chs_len
        cini = long_packet(sv, "initial", scid_s, scid_c, 1, f_ack(0) + b"\0" * (24 + max(cpad, 0)), ckeys2)
        cs(tc, cini + long_packet(sv, "handshake", scid_s, scid_c, 0, b"\0" * chs_len, None, rng), tag and tag + "cfin")
        tc += rng.uniform(0.00003, 0.0001)
        cs(tc, short_packet(rng, scid_s, rng.randrange(60, 90)))  # SETTINGS / control streams
        tc += rng.uniform(0.00002, 0.00008)
        cs(tc, short_packet(rng, scid_s, rng.randrange(120, 420)), tag and tag + "req")  # HEADERS
        # server: HANDSHAKE_DONE etc, then the response in 1-RTT packets, client ACKs every 2nd
        ts_ = tc + rtt + think
        ss(ts_ - think + 0.0004, short_packet(rng, scid_c, rng.randrange(140, 260)))
        seg = srv_dgram - 30
        npk = max(1, -(-resp // seg))
        cwnd, sent, tnow = 10, 0, ts_
        last = ts_
        while sent < npk:
            burst = min(cwnd, npk - sent)
            for i in range(burst):
                size = seg if sent + 1 < npk else max(60, resp - seg * (npk - 1) + 30)
                tnow += (size + 48) * 8 / rate
                ss(tnow, short_packet(rng, scid_c, min(size, srv_dgram)), tag and (tag + "data" if sent == 0 else None))
                sent += 1
                if sent % 2 == 0 or sent == npk:
                    cs(tnow + rng.uniform(0.00003, 0.0002), short_packet(rng, scid_s, rng.randrange(34, 44)))
                last = tnow
            tnow += rtt
            cwnd *= 2
        tend = last + 0.0003
        if close:
            tend = last + rng.uniform(0.8, 3.5)
            cs(tend, short_packet(rng, scid_s, rng.randrange(40, 60)))  # CONNECTION_CLOSE
        return tend

    def quic_initial(self, t, sip, sni, version, iface=None, tag=None, sport=None, dgram=1250, profile="other", versions_info=None):
        """A lone client Initial (first flight). Returns (scapy packet, sport, odcid, scid)."""
        rng = self.rng
        iface = self.iface if iface is None else iface
        src = self.src_for(sip)
        sport = sport or self.port()
        odcid = rng.randbytes(8)
        scid_c = b"" if profile == "chrome" else rng.randbytes(8)
        ch = quic_client_hello(rng, sni, scid_c, ("h3",), versions_info, profile)
        frames = f_crypto(0, ch)
        pad = dgram - long_overhead(odcid, scid_c, "initial") - len(frames)
        pkt = self.udp(t, src, sip, sport, 443, long_packet(version, "initial", odcid, scid_c, 0, frames + b"\0" * pad, initial_keys(version, odcid, False)),
                       self.cttl, self.c_udp_id(("quic", sport)), True, True, iface, tag and tag + "ini")
        return pkt, sport, odcid, scid_c

    def quic_vn(self, t, sip, sni, rtt, sttl, version, offered, iface=None, tag=None, sport=None, dgram=1250, profile="other", versions_info=None):
        """Client Initial in a version the server does not speak; the server answers with a
        Version Negotiation packet. Returns (arrival time of the VN, sport)."""
        rng = self.rng
        iface = self.iface if iface is None else iface
        _, sport, odcid, scid_c = self.quic_initial(t, sip, sni, version, iface, tag, sport, dgram, profile, versions_info)
        ta = t + rtt + rng.uniform(0.0002, 0.0009)
        self.udp(ta, sip, self.src_for(sip), 443, sport, vn_packet(rng, scid_c, odcid, offered), sttl, 0, True, False, iface, tag and tag + "vn")
        return ta, sport

    # -- ICMP -------------------------------------------------------------------
    def icmp_unreach(self, t, frm, to, quoted, ttl, out, iface=None, tag=None, ipid=None):
        """Port unreachable, quoting `quoted` (scapy packet) like Linux: up to 576 bytes (v4) / 1280 (v6)."""
        qb = raw(quoted)
        iface = self.iface if iface is None else iface
        ipid = self.rng.randrange(65536) if ipid is None else ipid
        if ":" in frm:
            pkt = IPv6(src=frm, dst=to, hlim=ttl) / ICMPv6DestUnreach(code=4) / Raw(qb[:1280 - 48])
        else:
            pkt = IP(src=frm, dst=to, ttl=ttl, id=ipid, flags=0, tos=0xC0) / ICMP(type=3, code=3) / Raw(qb[:576 - 28])
        self.cap.add(t, pkt, out, iface, tag)


def frame_of(cap, tag):
    return cap.frame(tag)


def trel(cap, tag):
    """time of a tagged packet relative to the first packet of the capture, in seconds"""
    recs = cap.sorted()
    t0 = recs[0][0]
    for r in recs:
        if r[4] == tag:
            return (r[0] - t0) / 1e9
    raise KeyError(tag)


def trel_abs(cap, tag):
    """time of a tagged packet in the capture's own clock (seconds after cap.base)"""
    for r in cap.recs:
        if r[4] == tag:
            return (r[0] - cap.base * 1_000_000_000) / 1e9
    raise KeyError(tag)


def http_resp(status, headers, body=b""):
    return f"HTTP/1.1 {status}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers) + b"\r\n" + body


CAPTURES = []


def capture(fn):
    CAPTURES.append(fn)
    return fn


# ============================================================================
# 1. DNS 0x20 at an iterative resolver: timeout-retry to a second authoritative
#    server, both answers arrive (different case, different CDN edge), plus a
#    server that does not preserve case (caps fallback with identical answers)
# ============================================================================


@capture
def cap_dns0x20():
    fname = "dns0x20_retry_two_cdn_answers_sll2.pcap"
    ifaces = [dict(link="sll2", ifindex=2, cmac=mac("52:54:00:3a:91:0e"), gmac=mac("f0:b0:14:62:2c:81"), name="eth0")]
    cap = Cap(fname, epoch(2025, 3, 14, 19, 42, 7), ifaces, fmt="pcap")
    ctx = Ctx17(cap, 1701, cip="192.168.50.10", cip6="2a02:8108:1c0:5e00:5054:ff:fe3a:910e", cos="linux", cttl=64,
                q_ipid="random", edns=dict(size=1232, do=True), qflags=0x0000)
    rng = ctx.rng
    RE = dict(size=1232, do=True)
    NS = {  # authoritative servers: address, IP TTL as seen here, RTT
        "hz1": ("213.133.100.98", 56, 0.019), "hz2": ("88.198.229.192", 55, 0.021), "r53": ("205.251.196.77", 245, 0.011),
        "cf": ("173.245.58.119", 58, 0.009), "cf6": ("2803:f800:50::6ca2:c074", 58, 0.009), "ak1": ("23.61.199.64", 55, 0.014),
        "ak2": ("95.100.168.133", 57, 0.016), "ek": ("184.85.248.65", 56, 0.013), "ms": ("81.169.163.106", 56, 0.018),
        "ps1": ("217.160.81.144", 55, 0.022), "ps2": ("217.160.82.144", 54, 0.024), "gg": ("216.239.34.10", 120, 0.010),
    }
    SOA = {
        "akamaiedge.net": soa("akamaiedge.net", "n0dscb.akamaiedge.net", "hostmaster.akamai.com", 1741981327, 180, 180),
        "hz": lambda z: soa(z, "ns1.your-server.de", "postmaster.your-server.de", 2025021401, 86400, 3600),
        "cf": lambda z: soa(z, "ns3.cloudflare.com", "dns.cloudflare.com", 2366871912, 1800, 1800),
        "r53": lambda z: soa(z, "ns-1101.awsdns-09.org", "awsdns-hostmaster.amazon.com", 1, 86400, 900),
    }

    def ub(t, nskey, name, qtype, an=(), nsec=(), tag=None, late=0.0, answer=True, case=None, resp_case=None):
        """unbound (use-caps-for-id: yes) asks an authoritative server: RD=0, EDNS 1232 DO."""
        ip, ttl, rtt = NS[nskey]
        qn = case20(rng, name) if case is None else case
        r = ctx.dnsx(t, ip, qn, qtype, rtt, ttl, an=an, ns=nsec, rflags=0x8400, redns=RE, resp_qname=resp_case or qn,
                     tag=tag, extra_delay=late, answer=answer, q_df=False)
        return r[0], qn

    def resolve(t, name, nskey, A, AAAA, soa_rr, ttl=300, chain=()):
        """A and AAAA for `name` (the CNAMEs of `chain` already cached: ask the last zone)."""
        target = chain[-1] if chain else name
        ta, _ = ub(t, nskey, target, "A", [(target, "A", ttl, a) for a in A])
        tb, _ = ub(t + rng.uniform(0.00003, 0.0001), nskey, target, "AAAA", [(target, "AAAA", ttl, a) for a in AAAA], [] if AAAA else [soa_rr])
        return max(ta, tb) + rng.uniform(0.0001, 0.0004)

    notes = {}
    visits = [
        # name, ns, A, AAAA, zone-SOA, chain, server, rtt, ttl, proto, size
        ("www.stadtbibliothek-online.de", "hz1", ["136.243.12.77"], ["2a01:4f8:171:2a1f::2"], SOA["hz"]("stadtbibliothek-online.de"), (), 0.019, 57, "tcp", 38000),
        ("www.reisebuero-nord.de", "ak1", ["23.205.104.12"], [], SOA["akamaiedge.net"], ("e9120.b.akamaiedge.net",), 0.012, 57, "tcp", 64000),
        ("cdn.fahrplan-info.de", "cf", ["104.21.56.190", "172.67.142.11"], ["2606:4700:3034::6815:38be"], SOA["cf"]("fahrplan-info.de"), (), 0.009, 58, "quic", 52000),
        ("static.vereinsheim-app.de", "r53", ["18.66.122.41", "18.66.122.93"], [], SOA["r53"]("vereinsheim-app.de"), (), 0.011, 245, "tcp", 21000),
        ("www.kochrezepte-archiv.de", "hz2", ["95.217.40.210"], ["2a01:4f9:c010:91c2::1"], SOA["hz"]("kochrezepte-archiv.de"), (), 0.028, 53, "tcp", 90000),
        ("api.fahrplan-info.de", "cf6", ["172.67.142.11", "104.21.56.190"], ["2606:4700:3031::ac43:8e0b"], SOA["cf"]("fahrplan-info.de"), (), 0.009, 58, "quic", 9000),
        ("fonts.gstatic.com", "gg", ["142.250.185.99"], ["2a00:1450:4001:82b::2003"], None, (), 0.010, 119, "quic", 31000),
        ("www.handwerkskammer-sued.de", "hz1", ["78.46.97.183"], [], SOA["hz"]("handwerkskammer-sued.de"), (), 0.020, 56, "tcp", 44000),
        ("img.vereinsheim-app.de", "r53", ["18.66.122.41", "18.66.122.93"], [], SOA["r53"]("vereinsheim-app.de"), (), 0.011, 245, "tcp", 160000),
        ("www.kinoprogramm-ost.de", "hz2", ["116.203.5.44"], ["2a01:4f8:c2c:5a0e::1"], SOA["hz"]("kinoprogramm-ost.de"), (), 0.024, 55, "tcp", 57000),
        ("shop.fahrplan-info.de", "cf", ["104.21.56.190", "172.67.142.11"], ["2606:4700:3034::6815:38be"], SOA["cf"]("fahrplan-info.de"), (), 0.009, 58, "tcp", 72000),
        ("www.gstatic.com", "gg", ["142.250.186.35"], ["2a00:1450:4001:830::2003"], None, (), 0.010, 119, "quic", 12000),
        ("www.wanderwege-harz.de", "hz1", ["136.243.90.8"], ["2a01:4f8:212:3b05::8"], SOA["hz"]("wanderwege-harz.de"), (), 0.019, 57, "tcp", 230000),
        ("media.kinoprogramm-ost.de", "hz2", ["116.203.5.45"], [], SOA["hz"]("kinoprogramm-ost.de"), (), 0.024, 55, "tcp", 400000),
    ]

    def visit(t, v, tag=None):
        name, nskey, A, AAAA, soa_rr, chain, rtt, sttl, proto, size = v
        t = resolve(t, name, nskey, A, AAAA, soa_rr, chain=chain)
        sip = AAAA[0] if AAAA else A[0]
        if proto == "quic":
            return ctx.quic(t + 0.0003, sip, name, rtt, sttl, resp=size, profile="other", srv_dgram=1252, dgram=1357 if ":" not in sip else 1337, tag=tag)
        return ctx.https(t + 0.0003, sip, name, rtt, sttl, resp=size, tag=tag)[1]

    t = 0.0
    for v in visits[:4]:
        visit(t, v)
        t += rng.uniform(2.5, 4.5)

    # ---- trap A: www.mediathek-stadt.de -> edgekey -> e4271.a.akamaiedge.net, timeout-retry
    t = 18.2
    t0 = t
    cn1 = [("www.mediathek-stadt.de", "CNAME", 300, "www.mediathek-stadt.de.edgekey.net")]
    ta, _ = ub(t, "ms", "www.mediathek-stadt.de", "A", cn1, tag="A_zone_A")
    tb, _ = ub(t + 0.00006, "ms", "www.mediathek-stadt.de", "AAAA", cn1, tag="A_zone_AAAA")
    t = max(ta, tb) + 0.0002
    cn2 = [("www.mediathek-stadt.de.edgekey.net", "CNAME", 21600, "e4271.a.akamaiedge.net")]
    ta, _ = ub(t, "ek", "www.mediathek-stadt.de.edgekey.net", "A", cn2, tag="A_ek_A")
    tb, _ = ub(t + 0.00005, "ek", "www.mediathek-stadt.de.edgekey.net", "AAAA", cn2, tag="A_ek_AAAA")
    t = max(ta, tb) + 0.0002
    edge = "e4271.a.akamaiedge.net"
    # AAAA: this edge hostname is IPv4-only -> NODATA from n2 (ak2)
    ub(t + 0.00004, "ak2", edge, "AAAA", [], [SOA["akamaiedge.net"]], tag="A_edge_AAAA")
    # A to ak1: its answer comes back only after 441 ms; unbound gives up at 376 ms and asks ak2
    tq1 = t
    _, case1 = ub(tq1, "ak1", edge, "A", [(edge, "A", 20, "23.205.111.183")], tag="A_q1", late=0.441 - NS["ak1"][2] * 1.0)
    late_pkt = ctx.last_resp_pkt
    tq2 = tq1 + 0.376
    ta2, case2 = ub(tq2, "ak2", edge, "A", [(edge, "A", 20, "23.205.107.47")], tag="A_q2")
    # the late answer reaches a port unbound already closed: the kernel answers port unreachable
    late_t = [r[0] for r in cap.recs if r[4] == "A_q1r"][0] / 1e9 - cap.base
    ctx.icmp_unreach(late_t + 0.000045, ctx.cip, NS["ak1"][0], late_pkt, 64, True, tag="A_icmp")
    _, tend = ctx.https(ta2 + 0.0004, "23.205.107.47", "www.mediathek-stadt.de", 0.0125, 57, resp=180000, tag="A_tls1")
    t = max(t0 + 6.0, tend + 1.0)
    for v in visits[4:8]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # ---- trap A, part 2: 27 s later the 20 s A record has expired; ak1 answers at once now
    t = max(t, t0 + 27.0)
    tA2, case3 = ub(t, "ak1", edge, "A", [(edge, "A", 20, "23.205.111.183")], tag="A_q3")
    _, tend = ctx.https(tA2 + 0.0004, "23.205.111.183", "www.mediathek-stadt.de", 0.0131, 57, resp=95000, tag="A_tls2")
    t = tend + rng.uniform(1.5, 3.0)

    # ---- trap B: a name server that lower-cases the question; unbound's caps fallback
    tB = t
    name = "docs.printservice-gmbh.de"
    A = [(name, "A", 3600, "217.160.0.201")]
    Q6 = [(name, "AAAA", 3600, "2001:8d8:100f:f000::2c5")]
    ta, caseB1 = ub(t, "ps1", name, "A", A, tag="B_q1", resp_case=name)
    tb, caseB2 = ub(t + 0.00007, "ps1", name, "AAAA", Q6, tag="B_q1b", resp_case=name)
    # fallback: the query without 0x20 to every server of the zone, one after the other, answers compared
    ta, _ = ub(ta + 0.00015, "ps1", name, "A", A, tag="B_fa1", case=name)
    ta, _ = ub(ta + 0.00012, "ps2", name, "A", A, tag="B_fa2", case=name)
    tb, _ = ub(tb + 0.00015, "ps1", name, "AAAA", Q6, tag="B_fb1", case=name)
    tb, _ = ub(tb + 0.00012, "ps2", name, "AAAA", Q6, tag="B_fb2", case=name)
    _, tend = ctx.https(max(ta, tb) + 0.0004, "2001:8d8:100f:f000::2c5", name, 0.022, 55, resp=26000, tag="B_tls")
    t = tend + 1.2
    for v in visits[8:]:
        visit(t, v)
        t += rng.uniform(2.0, 5.0)

    path = os.path.join(OUT, fname)
    cap.write(path)
    F = cap.frame
    note = (
        f"Linux home server running a validating iterative resolver (unbound, use-caps-for-id) plus its own browser traffic; Linux SLL2, "
        f"{len(cap.recs)} frames, 14 ordinary visits (TLS over TCP v4/v6 and QUIC). Every upstream query is RD=0 to an authoritative server with "
        f"DNS 0x20 mixed case; every answer (flags 0x8400, AA) echoes its own query's case. "
        f"TRAP A (t={trel(cap, 'A_q1q'):.3f}s): {edge} A asked at Akamai server 23.61.199.64 as '{case1}' (frame {F('A_q1q')}, txid/port of its own); "
        f"no answer within unbound's 376 ms timeout, so at frame {F('A_q2q')} it asks 95.100.168.133 as '{case2}' (new port, new txid); that answer "
        f"(frame {F('A_q2r')}, A 23.205.107.47, TTL 20) arrives first, then the slow server's answer to the first query (frame {F('A_q1r')}, "
        f"{(trel(cap, 'A_q1r') - trel(cap, 'A_q2r')) * 1000:.0f} ms later, A 23.205.111.183, TTL 20), which hits a closed port: the host returns ICMP port "
        f"unreachable quoting it (frame {F('A_icmp')}). Looks like a raced/forged DNS answer (two answers for one name, different addresses, "
        f"different case). Not censorship: the two responses answer two different queries (different resolver ports, txids, server addresses, each "
        f"echoing its own 0x20 case exactly), both are AA with EDNS, IP TTL 55 of 23.61.199.64 equals its TTL on an earlier normal answer "
        f"(www.reisebuero-nord.de chain), both addresses are in the same Akamai 23.205.0.0/16 edge range with the same 20 s TTL; TLS to "
        f"23.205.107.47 with SNI www.mediathek-stadt.de completes with a 180 kB response (frames {F('A_tls1syn')}ff.), and after the 20 s TTL "
        f"expired the same slow server answers a fresh query at once (frame {F('A_q3q')}/{F('A_q3r')}) with 23.205.111.183, where TLS for the same "
        f"name also succeeds (frames {F('A_tls2syn')}ff.). "
        f"TRAP B (t={trel(cap, 'B_q1q'):.3f}s): docs.printservice-gmbh.de A/AAAA asked at 217.160.81.144 in mixed case (frames {F('B_q1q')}, "
        f"{F('B_q1bq')}); that server lower-cases the question in its answers (frames {F('B_q1r')}, {F('B_q1br')}), so unbound falls back and asks "
        f"both zone servers again without 0x20 (frames {min(cap.frames('B_f'))}-{max(cap.frames('B_f'))}): six answers for two queries whose question case differs "
        f"from the query. Not censorship: all six carry the same RRset (A 217.160.0.201 / AAAA 2001:8d8:100f:f000::2c5, TTL 3600), the same "
        f"server TTLs, and TLS over IPv6 to that address succeeds (frames {F('B_tlssyn')}ff.). No bogon, no NXDOMAIN anywhere. " + "The only RSTs in the capture are the client's own kernel answering a server's close_notify+FIN that arrives after the client already closed a finished connection (outbound, win 0)."
    )
    return fname, {"expect": [], "allow": [], "observations_ok": True, "note": note}


# ============================================================================
# 2. HTTPS (type 65) answers with ipv4hint/ipv6hint and A/AAAA in the Additional
#    section, AAAA NODATA for IPv4-only names, CNAME + NODATA
# ============================================================================


@capture
def cap_https_rr():
    fname = "https_rr_hints_aaaa_nodata_eth.pcapng"
    ifaces = [dict(link="eth", cmac=mac("3c:52:82:4e:19:d7"), gmac=mac("38:10:d5:a2:63:10"), name="\\Device\\NPF_{6F1C0C5E-2B7A-4D1E-9C44-1A0F3E5D8B21}",
                   tsresol=6, os="64-bit Windows 10 (22H2), build 19045")]
    shb = dict(hw="Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz (with SSE4.2)", os="64-bit Windows 10 (22H2), build 19045",
               app="Dumpcap (Wireshark) 4.2.5 (v4.2.5-0-g4aa814ac25a1)")
    cap = Cap(fname, epoch(2025, 4, 2, 8, 15, 41), ifaces, fmt="pcapng", shb=shb)
    ctx = Ctx17(cap, 1702, cip="192.168.0.23", cip6="2a02:3102:4c2f:a700:e51d:3f0a:8b12:6c4e", cos="win", cttl=128, global_ipid=0x5A31,
                edns=None, qflags=0x0100, resolver="192.168.0.1")
    ctx.port_range = (49152, 65535)
    rng = ctx.rng
    RES = "192.168.0.1"

    def zone_of(name):
        return ".".join(name.split(".")[-2:])

    SOAS = {
        "cf": lambda z: soa(z, "adam.ns.cloudflare.com", "dns.cloudflare.com", 2369104417, 1800, 1800),
        "hz": lambda z: soa(z, "ns1.your-server.de", "postmaster.your-server.de", 2025031102, 86400, 3600),
        "kas": lambda z: soa(z, "ns5.kasserver.com", "root.kasserver.com", 2025021903, 86400, 3600),
        "goog": lambda z: soa(z, "ns1.google.com", "dns-admin.google.com", 743118245, 60, 60),
        "r53": lambda z: soa(z, "ns-541.awsdns-03.net", "awsdns-hostmaster.amazon.com", 1, 86400, 900),
    }

    def lookup(t, name, A, AAAA, HTTPS, rtt, tag=None):
        """Chrome's resolver: A, AAAA and HTTPS from three sockets to the router."""
        arr = []
        tq = t
        for qt, spec in (("A", A), ("AAAA", AAAA), ("HTTPS", HTTPS)):
            r = ctx.dnsx(tq, RES, name, qt, rtt * rng.uniform(0.9, 1.4), 64, an=spec.get("an", ()), ns=spec.get("ns", ()),
                         ar=spec.get("ar", ()), r_ipid=0, r_df=True, q_df=False, tag=tag and f"{tag}{qt}")
            arr.append(r[0])
            tq += rng.uniform(0.00004, 0.00015)
        return max(arr) + rng.uniform(0.0002, 0.0009)

    def site(name, kind, v4, v6, chain=None, ttl=300):
        z = zone_of(name)
        owner = chain or name
        cn = [(name, "CNAME", 300, chain)] if chain else []
        sz = SOAS[kind](zone_of(owner))
        A = dict(an=cn + [(owner, "A", ttl, a) for a in v4])
        AAAA = dict(an=cn + [(owner, "AAAA", ttl, a) for a in v6]) if v6 else dict(an=cn, ns=[sz])
        if kind == "cf":  # Cloudflare publishes HTTPS RRs; this resolver adds the target's addresses as Additional records
            h4 = list(v4)
            rng.shuffle(h4)
            h6 = list(v6)
            rng.shuffle(h6)
            HTTPS = dict(an=cn + [(owner, "HTTPS", 300, (1, ".", svc_params(alpn=["h3", "h2"], ipv4hint=h4, ipv6hint=h6)))],
                         ar=[(owner, "A", ttl, a) for a in v4] + [(owner, "AAAA", ttl, a) for a in v6])
        else:
            HTTPS = dict(an=cn, ns=[sz])
        del z
        return A, AAAA, HTTPS

    visits = [
        # name, kind, v4, v6, rtt(dns), server rtt, server ttl, proto, size
        ("www.google.com", "goog", ["142.250.185.100"], ["2a00:1450:4001:81c::2004"], 0.014, 0.011, 118, "quic", 46000),
        ("www.gstatic.com", "goog", ["142.250.186.67"], ["2a00:1450:4001:829::2003"], 0.012, 0.011, 118, "quic", 28000),
        ("www.kleingarten-verein.de", "hz", ["78.47.155.21"], ["2a01:4f8:c0c:8f20::1"], 0.031, 0.019, 55, "tcp", 61000),
        ("www.fahrradwerkstatt-ost.de", "cf", ["104.21.75.201", "172.67.204.139"], ["2606:4700:3030::6815:4bc9", "2606:4700:3035::ac43:cc8b"], 0.024, 0.012, 57, "quic", 88000),
        ("static.stadtwiki-nord.de", "r53", ["3.165.102.17", "3.165.102.88", "3.165.102.102"], [], 0.027, 0.014, 245, "tcp", 43000),
        ("www.tierheim-sued.de", "kas", ["85.13.163.49"], [], 0.034, 0.022, 56, "tcp", 120000),
        ("fonts.googleapis.com", "goog", ["142.250.181.234"], ["2a00:1450:4001:80e::200a"], 0.013, 0.011, 118, "quic", 9000),
        ("cdn.vereinsportal-app.de", "cf", ["104.21.9.166", "172.67.161.58"], ["2606:4700:3033::6815:9a6", "2606:4700:3036::ac43:a13a"], 0.022, 0.012, 57, "quic", 140000),
        ("www.musikschule-lindenau.de", "hz", ["195.201.18.230"], ["2a01:4f8:1c1c:7e41::1"], 0.029, 0.021, 54, "tcp", 47000),
        ("www.youtube.com", "goog", ["142.250.186.110"], ["2a00:1450:4001:82f::200e"], 0.015, 0.011, 118, "quic", 310000),
        ("api.vereinsportal-app.de", "cf", ["172.67.161.58", "104.21.9.166"], ["2606:4700:3036::ac43:a13a", "2606:4700:3033::6815:9a6"], 0.021, 0.012, 57, "tcp", 6000),
        ("www.bauernmarkt-heute.de", "kas", ["85.13.137.201"], [], 0.033, 0.023, 56, "tcp", 52000),
        ("i.ytimg.com", "goog", ["142.250.185.214"], ["2a00:1450:4001:82a::2016"], 0.013, 0.011, 118, "quic", 190000),
        ("www.segelclub-am-see.de", "hz", ["168.119.38.74"], ["2a01:4f8:242:5c12::2"], 0.030, 0.020, 55, "tcp", 73000),
    ]

    def visit(t, v, tag=None, chain=None):
        name, kind, v4, v6, drtt, rtt, sttl, proto, size = v
        A, AAAA, HTTPS = site(name, kind, v4, v6, chain)
        t = lookup(t, name, A, AAAA, HTTPS, drtt, tag)
        sip = v6[0] if v6 else v4[0]
        if proto == "quic":
            return ctx.quic(t + 0.0004, sip, name, rtt, sttl, resp=size, profile="chrome", dgram=1250, srv_dgram=1252 if ":" not in sip else 1232, tag=tag and tag + "c")
        return ctx.https(t + 0.0004, sip, name, rtt, sttl, resp=size, profile="chrome", tag=tag and tag + "c")[1]

    t = 0.0
    for v in visits[:3]:
        visit(t, v)
        t += rng.uniform(1.5, 4.0)
    # T1: Cloudflare-hosted name: HTTPS RR with hints + A/AAAA in the Additional section; QUIC follows
    t1 = t
    T1 = ("www.radsport-forum.de", "cf", ["104.21.48.133", "172.67.181.22"], ["2606:4700:3036::6815:3085", "2606:4700:3034::ac43:b516"], 0.026, 0.012, 57, "quic", 210000)
    t = visit(t, T1, tag="T1") + rng.uniform(2.0, 3.5)
    for v in visits[3:6]:
        visit(t, v)
        t += rng.uniform(1.5, 4.0)
    # T2: IPv4-only name: AAAA and HTTPS are NOERROR with no answer (SOA in Authority)
    t2 = t
    T2 = ("www.gemeinde-lindenau.de", "kas", ["85.13.143.20"], [], 0.035, 0.023, 56, "tcp", 96000)
    t = visit(t, T2, tag="T2") + rng.uniform(2.0, 3.5)
    for v in visits[6:10]:
        visit(t, v)
        t += rng.uniform(1.5, 4.0)
    # T3: CNAME to an IPv4-only ticketing CDN: AAAA/HTTPS answers hold only the CNAME
    t3 = t
    T3 = ("tickets.stadthalle-nord.de", "r53", ["18.185.72.140", "3.120.41.17"], [], 0.038, 0.015, 244, "tcp", 150000)
    t = visit(t, T3, tag="T3", chain="stadthalle-nord.ticketbox-cdn.net") + rng.uniform(2.0, 3.5)
    for v in visits[10:]:
        visit(t, v)
        t += rng.uniform(1.5, 4.0)

    cap.write(os.path.join(OUT, fname))
    F = cap.frame
    cf_https = [F(x) for x in ("T1HTTPSr",)]
    note = (
        f"Windows 10 laptop, Chrome, Ethernet pcapng, {len(cap.recs)} frames. For every page Chrome's own resolver sends A, AAAA and HTTPS (type 65) "
        f"queries from three sockets to the home router 192.168.0.1 (answers: IP TTL 64, DF, IP ID 0 like every Linux DNS forwarder reply); "
        f"14 ordinary visits over TLS/TCP and QUIC (Google, Cloudflare-hosted and small German hosters). "
        f"T1 (t={trel(cap, 'T1HTTPSq'):.3f}s): the HTTPS query for www.radsport-forum.de (frame {F('T1HTTPSq')}) is answered (frame {cf_https[0]}) with "
        f"'HTTPS 1 . alpn=h3,h2 ipv4hint=... ipv6hint=...' and the resolver's additional-section processing (RFC 9460 sec. 4, as PowerDNS Recursor "
        f"does) puts the name's two A and two AAAA records in the Additional section; the same happens for every Cloudflare-hosted name in the "
        f"capture. A careless parser sees A records in the answer to a non-A query (the DNS-02 'any QTYPE gets an A record' forgery tell) and a "
        f"second answer with the hint addresses in another order. Not tampering: the A/AAAA are in ARCOUNT, not ANCOUNT, the answer section holds a "
        f"proper HTTPS RR, the addresses are identical to the A/AAAA answers for the same name (frames {F('T1Ar')}, {F('T1AAAAr')}), one response "
        f"per query, and Chrome's QUIC connection to 2606:4700:3036::6815:3085 (frames {F('T1cini')}ff., Initial decrypts, ServerHello returned) "
        f"completes with a 210 kB response. "
        f"T2 (t={trel(cap, 'T2Aq'):.3f}s): www.gemeinde-lindenau.de is IPv4-only: AAAA (frame {F('T2AAAAr')}) and HTTPS (frame {F('T2HTTPSr')}) are "
        f"NOERROR with ANCOUNT 0 and the zone SOA in Authority (NODATA), a look-alike of 'no answer' DNS tampering; the A answer (frame {F('T2Ar')}, "
        f"85.13.143.20) arrives from the same resolver at the same time and TLS to it succeeds (frames {F('T2csyn')}ff.). "
        f"T3 (t={trel(cap, 'T3Aq'):.3f}s): tickets.stadthalle-nord.de is a CNAME to stadthalle-nord.ticketbox-cdn.net, which has no IPv6: the AAAA "
        f"and HTTPS answers (frames {F('T3AAAAr')}, {F('T3HTTPSr')}) contain only the CNAME plus the target zone's SOA, the A answer (frame "
        f"{F('T3Ar')}) the CNAME plus two A records; TLS to 18.185.72.140 succeeds (frames {F('T3csyn')}ff.). No bogons, no NXDOMAIN, no "
        f"duplicate responses. " + "The only RSTs in the capture are the client's own kernel answering a server's close_notify+FIN that arrives after the client already closed a finished connection (outbound, win 0)."
    )
    return fname, {"expect": [], "allow": [], "observations_ok": True, "note": note}


# ============================================================================
# 3. SNI spellings: a raw UTF-8 (non-IDNA) SNI refused by nginx with an
#    unrecognized_name alert, a trailing-dot SNI reset by an Envoy ingress's own
#    kernel, an upper-case SNI that simply works; each retried successfully
# ============================================================================


def client_hello_raw(rng, sni_bytes, alpn=("h2", "http/1.1"), profile="firefox"):
    """capkit's ClientHello with an arbitrary byte string as server_name."""
    ph = "q" * len(sni_bytes)
    rec, sid = K.client_hello(rng, ph, alpn, profile)
    i = rec.index(ph.encode())
    return rec[:i] + sni_bytes + rec[i + len(sni_bytes):], sid


@capture
def cap_sni_spelling():
    fname = "sni_idn_trailing_dot_alert_rst_vlan.pcap"
    ifaces = [dict(link="vlan", vlan=120, pcp=0, cmac=mac("8c:16:45:2e:7a:03"), gmac=mac("00:1c:73:a4:5e:01"), name="eno1")]
    cap = Cap(fname, epoch(2025, 5, 20, 9, 3, 12), ifaces, fmt="pcap", endian=">", nsec=True)
    ctx = Ctx17(cap, 1703, cip="10.50.12.44", cip6="2a00:1398:4:120::2c", cos="linux", cttl=64, q_ipid="random",
                edns=dict(size=1232), qflags=0x0100, resolver="10.50.0.53")
    rng = ctx.rng
    RES = "10.50.0.53"
    IDN_U = "www.bücher-kiste.de"
    IDN_A = "www." + "bücher-kiste".encode("idna").decode() + ".de"

    def lookup(t, name, v4, v6, zsoa, rtt=0.0009, tag=None):
        """systemd-resolved: A and AAAA from two sockets to the office resolver."""
        ta = ctx.dnsx(t, RES, name, "A", rtt, 64, an=[(name, "A", 300, a) for a in v4], r_ipid=0, r_df=True, tag=tag and tag + "A")[0]
        an6 = [(name, "AAAA", 300, a) for a in v6]
        tb = ctx.dnsx(t + rng.uniform(0.00003, 0.0001), RES, name, "AAAA", rtt * 1.1, 64, an=an6, ns=[] if v6 else [zsoa], r_ipid=0, r_df=True,
                      tag=tag and tag + "AAAA")[0]
        return max(ta, tb) + rng.uniform(0.0001, 0.0005)

    def zsoa(name, m="ns1.example-dns.de"):
        z = ".".join(name.split(".")[-2:])
        return soa(z, m, "hostmaster." + z, 2025051301, 3600, 3600)

    visits = [
        ("www.tageszeitung-ost.de", ["91.198.174.77"], [], 0.018, 56, "tcp", 120000),
        ("www.zahlungsdienst-beispiel.de", ["162.55.180.23"], [], 0.019, 53, "tcp", 64000),
        ("fonts.gstatic.com", ["142.250.74.195"], ["2a00:1450:4005:802::2003"], 0.009, 119, "quic", 24000),
        ("www.stadtwerke-hafen.de", ["185.26.156.41"], [], 0.024, 55, "tcp", 52000),
        ("docs.python-lernen.de", ["104.21.66.30", "172.67.172.61"], ["2606:4700:3037::6815:421e"], 0.011, 57, "quic", 91000),
        ("wiki.firmenintern-test.de", ["195.201.88.12"], ["2a01:4f8:1c1c:b3a1::1"], 0.021, 54, "tcp", 33000),
        ("www.bahnauskunft-beispiel.de", ["23.57.12.140"], [], 0.012, 57, "tcp", 150000),
        ("github-assets.example-mirror.de", ["5.9.112.70"], ["2a01:4f8:162:43d3::2"], 0.020, 56, "tcp", 210000),
        ("www.gstatic.com", ["142.250.74.227"], ["2a00:1450:4005:80b::2003"], 0.009, 119, "quic", 15000),
        ("status.zahlungsdienst-beispiel.de", ["162.55.180.23"], [], 0.019, 53, "tcp", 8000),
        ("www.wetterdienst-nord.de", ["151.101.2.49", "151.101.66.49"], [], 0.013, 58, "tcp", 70000),
        ("cdn.lernplattform-beispiel.de", ["13.32.99.104"], ["2600:9000:2250:1200:1c:8e12:a640:93a1"], 0.014, 244, "tcp", 260000),
    ]

    def visit(t, v, tag=None, sni=None):
        name, v4, v6, rtt, sttl, proto, size = v
        t = lookup(t, name, v4, v6, zsoa(name), tag=tag and tag + "d")
        sip = v6[0] if v6 else v4[0]
        if proto == "quic":
            return ctx.quic(t + 0.0003, sip, sni or name, rtt, sttl, resp=size, profile="other", dgram=1357 if ":" not in sip else 1337, tag=tag)
        return ctx.https(t + 0.0003, sip, sni or name, rtt, sttl, resp=size, tag=tag)[1]

    t = 0.0
    for v in visits[:4]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # X1: the name resolved in its IDNA form, but the ClientHello carries the raw UTF-8 U-label
    x1ip, x1rtt, x1ttl = "185.26.156.40", 0.024, 55
    tx1 = t
    t = lookup(t, IDN_A, [x1ip], [], zsoa(IDN_A), tag="X1d")
    fl = ctx.flow_class(ctx, x1ip, 443, x1rtt, x1ttl)
    t = fl.handshake(t + 0.0002, tag="X1")
    ch, _ = client_hello_raw(rng, IDN_U.encode("utf-8"), alpn=("http/1.1",))
    t = fl.send_c(t + 0.0004, ch, tag="X1ch")
    ts = t + x1rtt + 0.00021  # nginx (ssl_reject_handshake on): fatal unrecognized_name, then close
    fl.s(ts, "PA", b"\x15\x03\x03\x00\x02\x02\x70", tag="X1alert")
    fl.s(ts + 0.000018, "FA", tag="X1fin")
    fl.c_rcv = fl.snxt
    fl.c(ts + 0.00006, "A")
    fl.c(ts + 0.00041, "FA", tag="X1cfin")
    fl.s_rcv = fl.cnxt
    fl.s(ts + 0.00041 + x1rtt, "A", tag="X1lastack")
    # the user opens the same address in Firefox a few seconds later: IDNA SNI, works
    t = ts + rng.uniform(5.0, 7.0)
    t = lookup(t, IDN_A, [x1ip], [], zsoa(IDN_A), tag="X1bd")
    _, t = ctx.https(t + 0.0003, x1ip, IDN_A, x1rtt, x1ttl, resp=88000, tag="X1b")
    t += rng.uniform(1.5, 3.0)
    for v in visits[4:7]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # X2: curl with an absolute name: SNI keeps the trailing dot; the Envoy ingress has no filter chain
    # for it and closes the socket with the ClientHello unread (only peeked): its kernel sends RST
    x2ip, x2rtt, x2ttl = "162.55.180.23", 0.019, 53
    tx2 = t
    name2 = "api.zahlungsdienst-beispiel.de"
    t = lookup(t, name2, [x2ip], [], zsoa(name2, "ns1.your-server.de"), tag="X2d")
    fl = ctx.flow_class(ctx, x2ip, 443, x2rtt, x2ttl)
    t = fl.handshake(t + 0.0002, tag="X2")
    ch, _ = K.client_hello(rng, name2 + ".", ("h2", "http/1.1"), "firefox")
    t = fl.send_c(t + 0.0003, ch, tag="X2ch")
    fl.s(t + x2rtt + 0.00017, "RA", tag="X2rst")
    # curl run again without the dot: same address, same port, succeeds (resolved's cache: no new DNS query)
    t = t + x2rtt + rng.uniform(3.0, 5.0)
    _, t = ctx.https(t, x2ip, name2, x2rtt, x2ttl, resp=2400, tag="X2b", think=0.03)
    t += rng.uniform(1.5, 3.0)
    for v in visits[7:10]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # X3: an upper-case SNI (typed that way into a script): case-insensitive server, normal handshake
    tx3 = t
    x3 = ("www.fotoclub-hafen.de", ["185.26.156.44"], [], 0.024, 55, "tcp", 41000)
    t = visit(t, x3, tag="X3", sni="WWW.Fotoclub-Hafen.DE") + rng.uniform(1.5, 3.0)
    for v in visits[10:]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    cap.write(os.path.join(OUT, fname))
    F = cap.frame
    del tx1, tx2, tx3
    note = (
        f"Linux workstation on an office VLAN (802.1Q id 120, big-endian nanosecond pcap), {len(cap.recs)} frames; Firefox browsing plus two "
        f"command-line clients; 12 ordinary visits (TLS/TCP and QUIC) via the office resolver 10.50.0.53. "
        f"X1 (t={trel(cap, 'X1syn'):.3f}s): a client that IDNA-encodes the host for DNS ({IDN_A}, frames {F('X1dAq')}-{F('X1dAAAAr')}) but "
        f"puts the raw UTF-8 U-label '{IDN_U}' into the SNI (ClientHello frame {F('X1ch')}). The nginx server (default server with "
        f"ssl_reject_handshake) answers one RTT later (frame {F('X1alert')}) with a plaintext TLS alert fatal/unrecognized_name(112) and closes "
        f"(FIN frame {F('X1fin')}); the client closes too. Looks like SNI-triggered interference (handshake killed right after the ClientHello). "
        f"Not censorship: alert and FIN carry the server's IP TTL 55 and the next IP IDs after its SYN/ACK, arrive {(trel(cap, 'X1alert') - trel(cap, 'X1ch')) * 1000:.1f} ms (RTT 24 ms) after the "
        f"ClientHello, the alert is well-formed with the standard 112 code that OONI maps to ssl_invalid_hostname (expected when a server does "
        f"not host the name sent); one RST-free, orderly close, and {trel(cap, 'X1bsyn') - trel(cap, 'X1alert'):.1f} s later Firefox opens the same name with the IDNA SNI to the same "
        f"185.26.156.40:443 and the handshake and an 88 kB page complete (frames {F('X1bsyn')}ff.). "
        f"X2 (t={trel(cap, 'X2syn'):.3f}s): curl given the absolute name '{name2}.' sends the SNI with its trailing dot (ClientHello frame "
        f"{F('X2ch')}); the Envoy ingress at {x2ip} has no filter chain for that string and closes the socket while the ClientHello is "
        f"still unread, so its kernel sends one RST+ACK (frame {F('X2rst')}). Looks like an SNI-triggered RST. Not censorship: the RST has the "
        f"server's TTL {x2ttl} (as on its SYN/ACK), the IP ID right after its SYN/ACK, DF, a TCP timestamp option continuing the server's clock and echoing the client's, "
        f"seq = server ISN+1 and ack = end of the ClientHello, and arrives {(trel(cap, 'X2rst') - trel(cap, 'X2ch')) * 1000:.1f} ms (the RTT) after the ClientHello; one RST only; "
        f"the same ingress served www.zahlungsdienst-beispiel.de before and status.zahlungsdienst-beispiel.de after, and "
        f"the curl rerun without the dot {trel(cap, 'X2bsyn') - trel(cap, 'X2rst'):.1f} s later to the same address and port completes "
        f"(frames {F('X2bsyn')}ff.), so there is no residual blocking either. "
        f"X3 (t={trel(cap, 'X3dAq'):.3f}s): SNI 'WWW.Fotoclub-Hafen.DE' in upper/mixed case (frame {F('X3ch')}) is accepted normally: a "
        f"control showing that odd SNI spellings are not blocked here. Apart from X2's RST, " + "the only RSTs in the capture are the client's own kernel answering a server's close_notify+FIN that arrives after the client already closed a finished connection (outbound, win 0)."
    )
    return fname, {"expect": [], "allow": [], "observations_ok": True, "note": note}


# ============================================================================
# 4. Explicit proxy (Squid): absolute-form requests, Host with port, pipelined
#    apt requests, 407 then authenticated retry, 403 ERR_ACCESS_DENIED for a
#    CONNECT to a non-SSL port followed by a working CONNECT to 443
# ============================================================================

def make_png(rng, w, h):
    import zlib

    def chunk(ty, data):
        return struct.pack("!I", len(data)) + ty + data + struct.pack("!I", zlib.crc32(ty + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + rng.randbytes(w * 3) for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack("!IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


FF_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def tls_on(ctx, fl, t, sni, resp, extra=0.0, cert=3300, req=430, think=0.015, tag=None, profile="firefox", rate=30e6, close=True):
    """The TLS part of capkit's Ctx.https on an already open flow (e.g. a CONNECT tunnel);
    `extra` is the time the proxy needs to reach the origin and back."""
    rng = ctx.rng
    ch, sid = K.client_hello(rng, sni, ("h2", "http/1.1"), profile)
    t = fl.send_c(t, ch, tag and tag + "ch")
    t = fl.bulk(t + fl.owd + extra + rng.uniform(0.0004, 0.002), server_flight(rng, sid, cert), rate, None, 1e9, tag and tag + "sh", final_ack=False)
    t = max(t, fl.last_arr + rng.uniform(0.001, 0.004))
    t = fl.send_c(t, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, req), tag and tag + "req")
    srv = b"".join(app_rec(rng, rng.randrange(230, 260)) for _ in range(2)) + K.app_stream(rng, resp)
    t = fl.bulk(t + fl.owd + extra + think, srv, rate, None, 1e9, tag and tag + "resp")
    if close:
        t = fl.close_client(t + rng.uniform(0.5, 3.0))
    return t


def squid_page(eid, title_h2, err_html, url, when, host="proxy01", admin="helpdesk@corp-example.com"):
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n<html><head>\n'
        '<meta type="copyright" content="Copyright (C) 1996-2022 The Squid Software Foundation and contributors">\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        f'<title>ERROR: {title_h2}</title>\n<style type="text/css"><!--\n'
        ' body{font-family:verdana,sans-serif}\n #titles h1{color:#000000}\n #titles h2{color:#000000}\n #content{padding:10px;background:#ffffff}\n'
        ' #error p,h3,b{font-size:11px}\n #footer{font-size:9px;padding-left:10px}\n--></style>\n'
        f'</head><body id="{eid}">\n<div id="titles">\n<h1>ERROR</h1>\n<h2>{title_h2}</h2>\n</div>\n<hr>\n\n<div id="content">\n'
        f'<p>The following error was encountered while trying to retrieve the URL: <a href="{url}">{url}</a></p>\n\n'
        f'{err_html}\n\n<p>Your cache administrator is <a href="mailto:{admin}?subject=CacheErrorInfo%20-%20{eid}">{admin}</a>.</p>\n<br>\n</div>\n\n'
        f'<hr>\n<div id="footer">\n<p>Generated {when} by {host} (squid/5.7)</p>\n<!-- {eid} -->\n</div>\n</body></html>\n'
    ).encode()


@capture
def cap_proxy():
    import base64
    from email.utils import formatdate
    fname = "proxy_absolute_form_407_403_rawip.pcap"
    ifaces = [dict(link="raw", name="tun0")]
    base = epoch(2025, 6, 10, 7, 41, 3)
    cap = Cap(fname, base, ifaces, fmt="pcap")
    ctx = Ctx17(cap, 1704, cip="10.8.0.6", cos="linux", cttl=64, q_ipid="random", edns=dict(size=1232), qflags=0x0100, resolver="10.20.0.2")
    rng = ctx.rng
    PROXY, PRTT, PTTL = "10.20.0.8", 0.0183, 63
    AUTH = "Basic " + base64.b64encode(b"m.krueger:Sommer2025!").decode()

    def date(t):
        return formatdate(base + t, usegmt=True)

    def conn(t, tag=None):
        fl = ctx.flow_class(ctx, PROXY, 3128, PRTT * rng.uniform(0.97, 1.06), PTTL)
        return fl, fl.handshake(t, tag)

    def send(fl, t, text, tag=None):
        return fl.send_c(t, text.encode() if isinstance(text, str) else text, tag)

    def reply(fl, t_req_sent, data, proc, tag=None, final_ack=True):
        return fl.bulk(t_req_sent + fl.owd + proc, data, 60e6, None, 1e9, tag, final_ack=final_ack)

    def squid_hdrs(t, ctype, clen, extra=(), cache="MISS", url_host="-"):
        h = [("Server", "squid/5.7"), ("Mime-Version", "1.0"), ("Date", date(t)), ("Content-Type", ctype), ("Content-Length", str(clen))]
        h += list(extra)
        h += [("X-Cache", f"{cache} from proxy01"), ("X-Cache-Lookup", f"{cache} from proxy01:3128"), ("Via", "1.1 proxy01 (squid/5.7)"), ("Connection", "keep-alive")]
        return h

    def origin_resp(t, status, ctype, body, extra=(), cache="MISS"):
        h = [("Date", date(t)), ("Server", "nginx"), ("Content-Type", ctype), ("Content-Length", str(len(body)))] + list(extra)
        h += [("X-Cache", f"{cache} from proxy01"), ("X-Cache-Lookup", f"{cache} from proxy01:3128"), ("Via", "1.1 proxy01 (squid/5.7)"), ("Connection", "keep-alive")]
        return http_resp(status, h, body)

    def get_abs(url, host, extra=(), ua=FF_UA, auth=True):
        lines = [f"GET {url} HTTP/1.1", f"Host: {host}", f"User-Agent: {ua}", "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                 "Accept-Language: de,en-US;q=0.7,en;q=0.3", "Accept-Encoding: gzip, deflate", "Connection: keep-alive"]
        if auth:
            lines.append(f"Proxy-Authorization: {AUTH}")
        lines += list(extra) + ["Upgrade-Insecure-Requests: 1", "Priority: u=0, i"]
        return "\r\n".join(lines) + "\r\n\r\n"

    def connect_req(hostport, ua=FF_UA):
        return (f"CONNECT {hostport} HTTP/1.1\r\nUser-Agent: {ua}\r\nProxy-Connection: keep-alive\r\nConnection: keep-alive\r\n"
                f"Host: {hostport}\r\nProxy-Authorization: {AUTH}\r\n\r\n")

    def tunnel(t, host, size, ort, tag=None, port=443, ua=FF_UA):
        fl, t = conn(t, tag)
        t = send(fl, t + rng.uniform(0.0002, 0.0006), connect_req(f"{host}:{port}", ua), tag and tag + "connect")
        t = reply(fl, t, b"HTTP/1.1 200 Connection established\r\n\r\n", ort + rng.uniform(0.001, 0.02), tag and tag + "200", final_ack=False)
        t = fl.last_arr + rng.uniform(0.0003, 0.001)
        return tls_on(ctx, fl, t, host, size, extra=ort, tag=tag)

    # DNS for the PAC file and the proxy itself (nothing else is resolved locally with an explicit proxy)
    def lookup(t, name, a, tag=None):
        ta = ctx.dnsx(t, "10.20.0.2", name, "A", 0.019, 63, an=[(name, "A", 3600, a)], r_ipid=0, r_df=True, tag=tag and tag + "A")[0]
        tb = ctx.dnsx(t + 0.00005, "10.20.0.2", name, "AAAA", 0.019, 63, an=[],
                      ns=[soa("corp-example.com", "dc01.corp-example.com", "hostmaster.corp-example.com", 48213, 3600)], r_ipid=0, r_df=True)[0]
        return max(ta, tb) + 0.0003

    t = lookup(0.0, "wpad.corp-example.com", "10.20.0.15")
    pac = (b'function FindProxyForURL(url, host) {\n  if (isPlainHostName(host) || dnsDomainIs(host, ".corp.local")) return "DIRECT";\n'
           b'  if (isInNet(host, "127.0.0.0", "255.0.0.0")) return "DIRECT";\n  return "PROXY proxy01.corp-example.com:3128";\n}\n')
    fl = ctx.flow_class(ctx, "10.20.0.15", 80, 0.0191, 63)
    t = fl.handshake(t + 0.0003)
    t = send(fl, t + 0.0003, "GET /wpad.dat HTTP/1.1\r\nHost: wpad.corp-example.com\r\nUser-Agent: " + FF_UA + "\r\nAccept: */*\r\nAccept-Language: de,en-US;q=0.7,en;q=0.3\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n")
    t = reply(fl, t, http_resp("200 OK", [("Date", date(t)), ("Server", "Apache/2.4.62 (Debian)"), ("Last-Modified", "Mon, 03 Feb 2025 10:12:40 GMT"),
                                          ("Content-Length", str(len(pac))), ("Content-Type", "application/x-ns-proxy-autoconfig")], pac), 0.0006)
    fl.close_client(t + 0.05, alert=False)
    t = lookup(t + 0.06, "proxy01.corp-example.com", PROXY)

    # P1: first request, no credentials yet: 407; the same connection repeats it with Proxy-Authorization
    p1 = t + 0.001
    fl, t = conn(p1, "P1")
    url = "http://www.nahverkehr-beispiel.de/"
    t = send(fl, t + 0.0004, get_abs(url, "www.nahverkehr-beispiel.de", auth=False), "P1get")
    body407 = squid_page("ERR_CACHE_ACCESS_DENIED", "Cache Access Denied.",
                         "<blockquote id=\"error\">\n<p><b>Cache Access Denied.</b></p>\n</blockquote>\n\n<p>Sorry, you are not currently allowed to request "
                         f"{url} from this cache until you have authenticated yourself.</p>\n\n<p>Please contact the <a href=\"mailto:helpdesk@corp-example.com\">cache administrator</a> "
                         "if you have difficulties authenticating yourself.</p>", url, date(t))
    r407 = http_resp("407 Proxy Authentication Required", squid_hdrs(t, "text/html;charset=utf-8", len(body407), [
        ("X-Squid-Error", "ERR_CACHE_ACCESS_DENIED 0"), ("Vary", "Accept-Language"), ("Content-Language", "en"),
        ("Proxy-Authenticate", 'Basic realm="CORP Internet-Proxy"')], cache="NONE"), body407)
    t = reply(fl, t, r407, 0.0009, "P1r407")
    t = send(fl, t + rng.uniform(0.002, 0.006), get_abs(url, "www.nahverkehr-beispiel.de"), "P1get2")
    page = html_body(rng, 38000, "Nahverkehr Beispielstadt - Fahrplan und Tickets")
    t = reply(fl, t, origin_resp(t, "200 OK", "text/html; charset=utf-8", page, [("Cache-Control", "max-age=60")]), 0.046, "P1r200")
    # images of the same page on a second host, absolute-form with an explicit port in URL and Host
    t = send(fl, t + 0.02, get_abs("http://img.nahverkehr-beispiel.de:8080/static/logo-2025.png", "img.nahverkehr-beispiel.de:8080",
                                   ["Referer: http://www.nahverkehr-beispiel.de/"]).replace("Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Accept: image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"), "P1img")
    png = make_png(rng, 120, 40)
    t = reply(fl, t, origin_resp(t, "200 OK", "image/png", png, [("Cache-Control", "max-age=86400")]), 0.051, "P1imgr")
    t = fl.close_client(t + 4.0, alert=False)

    plan = [("www.bankverbund-beispiel.de", 61000, 0.021), ("fonts.gstatic.com", 24000, 0.011), ("www.krankenkasse-nord.de", 87000, 0.024),
            ("outlook.office365.com", 140000, 0.016), ("www.wikipedia.org", 73000, 0.029), ("upload.wikimedia.org", 210000, 0.029),
            ("teams.microsoft.com", 96000, 0.017), ("www.bundesanzeiger-beispiel.de", 45000, 0.022)]
    t += 1.0
    for host, size, ort in plan[:3]:
        tunnel(t, host, size, ort)
        t += rng.uniform(1.5, 4.0)

    # P2: apt through the proxy: three pipelined absolute-form requests on one connection
    p2 = t
    fl, t = conn(p2, "P2")
    ims = ["Sat, 07 Jun 2025 09:27:44 GMT", "Tue, 10 Jun 2025 02:14:09 GMT", "Mon, 09 Jun 2025 20:11:31 GMT"]
    paths = ["bookworm/InRelease", "bookworm-updates/InRelease", "bookworm-backports/InRelease"]
    reqs = "".join(f"GET http://deb.debian.org/debian/dists/{p} HTTP/1.1\r\nHost: deb.debian.org\r\nCache-Control: max-age=0\r\nIf-Modified-Since: {d}\r\n"
                   f"Proxy-Authorization: {AUTH}\r\nUser-Agent: Debian APT-HTTP/1.3 (2.6.1) non-interactive\r\n\r\n" for p, d in zip(paths, ims))
    t = send(fl, t + 0.0003, reqs, "P2get")
    via = [("Via", "1.1 proxy01 (squid/5.7)"), ("Connection", "keep-alive")]
    inrel = (b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Debian Backports\nLabel: Debian Backports\nSuite: bookworm-backports\n"
             b"Codename: bookworm-backports\nDate: Tue, 10 Jun 2025 08:13:52 UTC\n") + html_body(rng, 52000, "x")[200:]
    pipe = (http_resp("304 Not Modified", [("Date", date(t)), ("Via", "1.1 varnish, 1.1 proxy01 (squid/5.7)"), ("Age", "0"), ("X-Cache", "MISS from proxy01"), ("Connection", "keep-alive")])
            + http_resp("304 Not Modified", [("Date", date(t)), ("Via", "1.1 varnish, 1.1 proxy01 (squid/5.7)"), ("Age", "0"), ("X-Cache", "MISS from proxy01"), ("Connection", "keep-alive")])
            + http_resp("200 OK", [("Date", date(t)), ("Server", "Apache"), ("Last-Modified", "Tue, 10 Jun 2025 08:14:01 GMT"), ("Content-Type", "text/plain"),
                                   ("Content-Length", str(len(inrel))), ("X-Cache", "MISS from proxy01")] + via, inrel))
    t = reply(fl, t, pipe, 0.038, "P2resp")
    t = fl.close_client(t + 0.9, alert=False)
    t += rng.uniform(1.0, 2.0)

    # P3: intranet application through the proxy: Host carries a non-default port
    fl, t = conn(t, "P3")
    t = send(fl, t + 0.0004, get_abs("http://intranet-wiki.corp-example.com:8080/Start", "intranet-wiki.corp-example.com:8080"), "P3get")
    page = html_body(rng, 29000, "Start - Intranet-Wiki")
    t = reply(fl, t, origin_resp(t, "200 OK", "text/html;charset=UTF-8", page, [("Cache-Control", "private, no-cache")]), 0.012, "P3resp")
    t = fl.close_client(t + 3.0, alert=False)
    t += rng.uniform(1.0, 2.5)
    for host, size, ort in plan[3:5]:
        tunnel(t, host, size, ort)
        t += rng.uniform(1.5, 4.0)

    # P4: a chat client asks for CONNECT to port 5222; Squid's default 'http_access deny CONNECT !SSL_ports' -> 403
    ua_chat = "TeamRaum-Desktop/3.14.2 (Linux x86_64)"
    p4 = t
    fl, t = conn(p4, "P4")
    hp = "chat.teamraum-beispiel.de:5222"
    t = send(fl, t + 0.0003, f"CONNECT {hp} HTTP/1.1\r\nHost: {hp}\r\nUser-Agent: {ua_chat}\r\nProxy-Authorization: {AUTH}\r\n\r\n", "P4connect")
    body403 = squid_page("ERR_ACCESS_DENIED", "The requested URL could not be retrieved",
                         "<blockquote id=\"error\">\n<p><b>Access Denied.</b></p>\n</blockquote>\n\n<p>Access control configuration prevents your request from "
                         "being allowed at this time. Please contact your service provider if you feel this is incorrect.</p>", hp, date(t))
    r403 = http_resp("403 Forbidden", squid_hdrs(t, "text/html;charset=utf-8", len(body403), [("X-Squid-Error", "ERR_ACCESS_DENIED 0"), ("Vary", "Accept-Language"),
                                                                                            ("Content-Language", "en")], cache="NONE"), body403)
    t = reply(fl, t, r403, 0.0007, "P4r403")
    t = fl.close_client(t + 0.0015, alert=False)
    # ... and falls back to its TLS port 443 through the proxy, which works
    t = tunnel(t + rng.uniform(0.8, 1.6), "chat.teamraum-beispiel.de", 18000, 0.019, tag="P5", ua=ua_chat)
    t += rng.uniform(1.5, 3.0)
    for host, size, ort in plan[5:]:
        tunnel(t, host, size, ort)
        t += rng.uniform(1.5, 4.0)

    cap.write(os.path.join(OUT, fname))
    F = cap.frame
    note = (
        f"Linux laptop on a corporate VPN (raw-IP tun0 capture, pcap), {len(cap.recs)} frames. The browser's PAC file (fetched from "
        f"wpad.corp-example.com, frames 1ff.) sends everything to the explicit proxy 10.20.0.8:3128 (Squid 5.7, reached through the VPN "
        f"concentrator: IP TTL 63, per-connection incrementing IP IDs, RTT 18 ms); 8 HTTPS sites through CONNECT tunnels, plain HTTP in absolute form. "
        f"P1 (t={trel(cap, 'P1syn'):.3f}s): 'GET http://www.nahverkehr-beispiel.de/' without credentials (frame {F('P1get')}) gets "
        f"'407 Proxy Authentication Required' with a Squid ERR_CACHE_ACCESS_DENIED page (starting at frame {F('P1r407data')}); the browser repeats it on the "
        f"same connection with Proxy-Authorization (frame {F('P1get2')}) and gets 200 (starting at frame {F('P1r200data')}), then fetches "
        f"'http://img.nahverkehr-beispiel.de:8080/...' with 'Host: img.nahverkehr-beispiel.de:8080' (frame {F('P1img')}). "
        f"P2 (t={trel(cap, 'P2syn'):.3f}s): apt sends three pipelined absolute-form GETs for deb.debian.org in one segment (frame {F('P2get')}); the "
        f"proxy answers 304, 304, 200 back to back in one stream (frames {F('P2respdata')}ff.). P3: 'GET http://intranet-wiki.corp-example.com:8080/Start' "
        f"with the port in Host, 200. "
        f"P4 (t={trel(cap, 'P4syn'):.3f}s): a chat client asks 'CONNECT chat.teamraum-beispiel.de:5222' (frame {F('P4connect')}); Squid's default rule "
        f"'http_access deny CONNECT !SSL_ports' answers '403 Forbidden' with its ERR_ACCESS_DENIED page (title 'ERROR: The requested URL could not be "
        f"retrieved', 'Access Denied.', X-Squid-Error: ERR_ACCESS_DENIED 0; starting at frame {F('P4r403data')}); {trel(cap, 'P5syn') - trel(cap, 'P4r403data'):.1f} s "
        f"later the client falls back to 'CONNECT chat.teamraum-beispiel.de:443' (frame {F('P5connect')}), gets 200 and a complete TLS session "
        f"(ClientHello SNI chat.teamraum-beispiel.de, frame {F('P5ch')}). What looks like censorship: HTTP 403 'Access Denied' and 407 pages, "
        f"responses for many different Host names all coming from one address that is not any of those hosts, Host/URL names carrying ports. "
        f"Why it is not: the client addressed the proxy explicitly (destination 10.20.0.8:3128, absolute-form request targets, CONNECT), every "
        f"response comes once, from the endpoint the client connected to, with that connection's TTL 63 and next IP ID, one proxy RTT plus "
        f"origin time after the request, and no competing response; the 407 is ordinary proxy authentication that succeeds on retry; the 403 "
        f"is the proxy's port policy (5222 is not an SSL port), and the same host through the same proxy on 443 works immediately. " + "The only RSTs in the capture are the client's own kernel answering a tunnelled close_notify and the proxy's FIN that arrives after the client already closed a finished connection (outbound, win 0)."
    )
    allow = [{"mechanism": "blockpage", "domain": "chat.teamraum-beispiel.de"}]
    return fname, {"expect": [], "allow": allow, "observations_ok": True,
                   "note": note + " Allowed: a 'blockpage' finding for chat.teamraum-beispiel.de only, because the 403 body is literally Squid's "
                                  "access-denied page (a filtering device's denial); it is a local port policy of the user's own proxy, not censorship."}


# ============================================================================
# 5. QUIC versions: v2 Initial answered by Version Negotiation then v1, v2
#    end to end, compatible negotiation v1->v2, and a stale Alt-Svc whose
#    QUIC Initial draws an ICMPv6 port unreachable, then TCP
# ============================================================================


@capture
def cap_quic_versions():
    fname = "quic_v2_vn_fallback_icmp_eth.pcap"
    ifaces = [dict(link="eth", cmac=mac("f4:6b:8c:19:e2:5a"), gmac=mac("2c:91:ab:7e:04:c1"), name="wlp0s20f3")]
    cap = Cap(fname, epoch(2025, 7, 3, 17, 26, 50), ifaces, fmt="pcap", nsec=False)
    ctx = Ctx17(cap, 1705, cip="192.168.178.34", cip6="2a02:810d:4b3f:e600:8d3c:11a9:6e0f:2b47", cos="linux", cttl=64, q_ipid="random",
                edns=dict(size=1232), qflags=0x0100, resolver="fd00::2e91:abff:fe7e:4c1", resolver6="fd00::2e91:abff:fe7e:4c1")
    rng = ctx.rng
    RES = "fd00::2e91:abff:fe7e:4c1"

    def lookup(t, name, v4, v6, tag=None):
        z = ".".join(name.split(".")[-2:])
        zs = soa(z, "ns1." + z, "hostmaster." + z, 2025070101, 300, 300)
        ta = ctx.dnsx(t, RES, name, "A", 0.0011, 64, an=[(name, "A", 60, a) for a in v4], r_ipid=0, r_df=True, tag=tag and tag + "A")[0]
        tb = ctx.dnsx(t + rng.uniform(0.00003, 0.0001), RES, name, "AAAA", 0.0012, 64, an=[(name, "AAAA", 60, a) for a in v6], ns=[] if v6 else [zs],
                      r_ipid=0, r_df=True, tag=tag and tag + "AAAA")[0]
        return max(ta, tb) + rng.uniform(0.0001, 0.0005)

    visits = [
        ("www.google.de", ["142.250.185.67"], ["2a00:1450:4001:827::2003"], 0.012, 118, "quic", 52000),
        ("www.radioprogramm-west.de", ["88.99.24.12"], ["2a01:4f8:10a:1e0c::2"], 0.021, 55, "tcp", 66000),
        ("cdn.fahrradkarte-beispiel.de", ["104.21.33.140", "172.67.155.23"], ["2606:4700:3033::6815:218c"], 0.010, 57, "quic", 180000),
        ("www.youtube.com", ["142.250.186.78"], ["2a00:1450:4001:80b::200e"], 0.012, 118, "quic", 260000),
        ("www.heimwerker-forum-beispiel.de", ["78.46.41.230"], [], 0.022, 55, "tcp", 48000),
        ("fonts.gstatic.com", ["142.250.186.99"], ["2a00:1450:4001:82b::2003"], 0.011, 118, "quic", 21000),
        ("api.wetterstation-beispiel.de", ["172.67.201.9", "104.21.91.55"], ["2606:4700:3031::ac43:c909"], 0.010, 57, "quic", 7000),
        ("www.stadtbuecherei-west.de", ["91.195.240.13"], [], 0.025, 56, "tcp", 59000),
        ("i.ytimg.com", ["142.250.185.118"], ["2a00:1450:4001:831::2016"], 0.012, 118, "quic", 140000),
        ("www.kleinanzeigen-beispiel.de", ["18.66.147.20", "18.66.147.88"], ["2600:9000:2251:a800:1e:1c2b:e5c0:93a1"], 0.013, 244, "tcp", 120000),
        ("static.fahrradkarte-beispiel.de", ["104.21.33.140", "172.67.155.23"], ["2606:4700:3033::6815:218c"], 0.010, 57, "quic", 95000),
        ("www.gstatic.com", ["142.250.185.227"], ["2a00:1450:4001:830::2003"], 0.011, 118, "quic", 16000),
    ]

    def visit(t, v, tag=None):
        name, v4, v6, rtt, sttl, proto, size = v
        t = lookup(t, name, v4, v6, tag)
        sip = v6[0] if v6 else v4[0]
        if proto == "quic":
            return ctx.quic(t + 0.0003, sip, name, rtt, sttl, resp=size, profile="other", dgram=1357 if ":" not in sip else 1337,
                            srv_dgram=1252 if ":" not in sip else 1232, tag=tag)
        return ctx.https(t + 0.0003, sip, name, rtt, sttl, resp=size, tag=tag)[1]

    t = 0.0
    for v in visits[:3]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # Q1: ngtcp2-based client preferring QUIC v2 -> v1-only server answers Version Negotiation -> v1 works
    q1ip, q1rtt, q1ttl, q1name = "2a01:4f8:c17:3a2e::1", 0.019, 55, "h3.paketdienst-beispiel.de"
    t = lookup(t, q1name, ["159.69.14.201"], [q1ip], tag="Q1d")
    tvn, sp = ctx.quic_vn(t + 0.0003, q1ip, q1name, q1rtt, q1ttl, QV2, [0x3A4A5A6A, QV1, 0xFF00001D], dgram=1200, tag="Q1", versions_info=[QV2, QV2, QV1])
    t = ctx.quic(tvn + 0.00025, q1ip, q1name, q1rtt, q1ttl, version=QV1, sport=sp, dgram=1200, srv_dgram=1232, profile="other",
                 versions_info=[QV1, QV2, QV1], resp=36000, tag="Q1b", s_ipid="zero")
    t += rng.uniform(2.0, 3.0)
    for v in visits[3:5]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # Q2: the same client to a v2-capable server: QUIC v2 end to end (Initial type bits 01, Handshake 11)
    q2ip, q2rtt, q2ttl, q2name = "116.203.91.7", 0.021, 54, "quic-test.hochschule-beispiel.de"
    t = lookup(t, q2name, [q2ip], [], tag="Q2d")
    t = ctx.quic(t + 0.0003, q2ip, q2name, q2rtt, q2ttl, version=QV2, dgram=1200, srv_dgram=1252, profile="other", versions_info=[QV2, QV2, QV1],
                 resp=44000, tag="Q2")
    t += rng.uniform(2.0, 3.0)
    for v in visits[5:7]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # Q3: compatible version negotiation (RFC 9368): client starts in v1 offering v2, server switches to v2
    q3ip, q3rtt, q3ttl, q3name = "116.203.91.8", 0.021, 54, "www.hochschule-beispiel.de"
    t = lookup(t, q3name, [q3ip], [], tag="Q3d")
    t = ctx.quic(t + 0.0003, q3ip, q3name, q3rtt, q3ttl, version=QV1, server_version=QV2, dgram=1200, srv_dgram=1252, profile="other",
                 versions_info=[QV1, QV2, QV1], resp=83000, tag="Q3")
    t += rng.uniform(2.0, 3.0)
    for v in visits[7:9]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # Q4: Firefox has an Alt-Svc h3 entry from an earlier visit, but the site's new host has UDP/443 closed:
    # its kernel answers ICMPv6 port unreachable; Firefox falls back to TCP at once
    q4ip, q4rtt, q4ttl, q4name = "2a01:4f8:1c0c:6b2d::1", 0.020, 56, "www.ferienwohnung-ostsee-beispiel.de"
    t = lookup(t, q4name, ["49.13.88.102"], [q4ip], tag="Q4d")
    pkt, sp, _, _ = ctx.quic_initial(t + 0.0003, q4ip, q4name, QV1, dgram=1337, tag="Q4")
    ti = t + 0.0003 + q4rtt + rng.uniform(0.00005, 0.0002)
    ctx.icmp_unreach(ti, q4ip, ctx.cip6, pkt, q4ttl, False, tag="Q4icmp")
    _, t = ctx.https(ti + rng.uniform(0.0002, 0.0008), q4ip, q4name, q4rtt, q4ttl, resp=130000, tag="Q4tcp")
    t += rng.uniform(2.0, 3.0)
    for v in visits[9:]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    cap.write(os.path.join(OUT, fname))
    F = cap.frame
    note = (
        f"Linux laptop on home Wi-Fi (Ethernet-framed pcap), dual stack, DNS via the router's ULA fd00::2e91:abff:fe7e:4c1 (IP ID 0/DF answers), "
        f"{len(cap.recs)} frames; 12 ordinary visits by Firefox (QUIC v1 and TLS/TCP) plus an ngtcp2-based client configured to prefer QUIC v2. "
        f"All client Initials are correctly protected (keys from the client's Destination Connection ID, RFC 9001 / RFC 9369 salts and labels); "
        f"tshark decrypts them and the servers' Initials (ServerHello). "
        f"Q1 (t={trel(cap, 'Q1ini'):.3f}s): a QUIC v2 (0x6b3343cf) Initial to {q1name} [{q1ip}] (frame {F('Q1ini')}) is answered one RTT later by a "
        f"Version Negotiation packet (version 0, frame {F('Q1vn')}) listing 0x3a4a5a6a (GREASE), 0x00000001 and 0xff00001d; the client starts over "
        f"in v1 from the same socket (frame {F('Q1bini')}, version_information chosen=v1, available=v2,v1) and the handshake and a 36 kB response "
        f"complete (server Initial frame {F('Q1bsini')}). Look-alike: a QUIC Initial 'without a handshake reply' or an unauthenticated packet "
        f"aborting it. Not censorship: the VN echoes the client's connection IDs, has the server's hop limit 55 like all its later packets, and "
        f"the same server completes v1 at once. "
        f"Q2 (t={trel(cap, 'Q2ini'):.3f}s): the same client speaks QUIC v2 end to end with {q2name} [{q2ip}] (frames {F('Q2ini')}, "
        f"{F('Q2sini')}ff.); a v1-only parser reads v2's Initial type bits (01) as 0-RTT and v2 Handshake (11) as Retry and may conclude the "
        f"Initial was never answered. It was: server Initial+Handshake one RTT later, then 1-RTT data (44 kB). "
        f"Q3 (t={trel(cap, 'Q3ini'):.3f}s): compatible version negotiation (RFC 9368): the client sends a v1 Initial offering v2 (frame "
        f"{F('Q3ini')}) and {q3name} answers with v2 packets (frame {F('Q3sini')}); the client continues in v2; 83 kB delivered. "
        f"Q4 (t={trel(cap, 'Q4ini'):.3f}s): Firefox's QUIC v1 Initial to {q4name} [{q4ip}] (stale Alt-Svc; frame {F('Q4ini')}) draws an ICMPv6 "
        f"port unreachable from that host itself (frame {F('Q4icmp')}, hop limit 56 = the hop limit of its TCP SYN/ACK) and Firefox immediately "
        f"connects over TCP/TLS to the same address (frames {F('Q4tcpsyn')}ff., 130 kB). Look-alike: QUIC blocked / host unreachable. Not "
        f"censorship: port (not host/network) unreachable from the destination, the TCP fallback to the same IP works without delay. "
        f"Every QUIC Initial in the capture is answered (VN, Initial, or ICMP). " + "The only RSTs in the capture are the client's own kernel answering a server's close_notify+FIN that arrives after the client already closed a finished connection (outbound, win 0)."
    )
    return fname, {"expect": [], "allow": [], "observations_ok": True, "note": note}


# ============================================================================
# 6. Names that legitimately resolve to private/CGNAT space (corporate split
#    DNS via Tailscale, *.ts.net, plex.direct) and big-company names whose real
#    addresses lie in the ranges GFW poison pools are drawn from
# ============================================================================


def add_wireguard(cap, ctx, ts_if, eth_if, lan_ip, peers, extra=(), skip=("100.100.100.100", "fd7a:115c:a1e0::53")):
    """Mirror every tailscale0 packet (except MagicDNS, answered inside tailscaled) as a WireGuard
    transport message on the LAN interface: out = after encryption, in = before decryption.
    extra: (t, out, inner length, remote) for tunnel packets that never appear on tailscale0
    (tailscaled forwarding a MagicDNS query to a resolver behind a subnet router)."""
    rng = ctx.rng
    ev = []
    for tns, _, ifc, b, _ in cap.sorted():
        if ifc != ts_if:
            continue
        v6 = b[0] >> 4 == 6
        src = str(ipaddress.ip_address(b[8:24] if v6 else b[12:16]))
        dst = str(ipaddress.ip_address(b[24:40] if v6 else b[16:20]))
        out = src in (ctx.ts_ip, ctx.ts_ip6)
        remote = dst if out else src
        if remote in skip:
            continue
        ev.append(((tns - cap.base * 1_000_000_000) / 1e9, out, len(b), remote))
    ev += list(extra)
    ev.sort()
    state = {}
    for t, out, inner, remote in ev:
        key = next(k for k in peers if remote.startswith(k))
        ep, ep_ttl = peers[key]
        st = state.setdefault((ep, out), dict(ctr=0, idx=rng.getrandbits(32)))
        enc = inner + (-inner % 16) + 16
        wg = b"\x04\x00\x00\x00" + struct.pack("<IQ", st["idx"], st["ctr"]) + rng.randbytes(enc)
        st["ctr"] += 1
        if out:
            cap.add(t + 0.000035, IP(src=lan_ip, dst=ep, ttl=64, id=0, flags="DF") / UDP(sport=41641, dport=41641) / Raw(wg), True, eth_if)
        else:
            cap.add(t - 0.000045, IP(src=ep, dst=lan_ip, ttl=ep_ttl, id=0, flags="DF") / UDP(sport=41641, dport=41641) / Raw(wg), False, eth_if)


@capture
def cap_private_names():
    fname = "cname_private_cgnat_cdnpool_eth_tun.pcapng"
    ifaces = [dict(link="eth", cmac=mac("3c:7c:3f:20:9b:11"), gmac=mac("2c:91:ab:7e:04:c1"), name="enp5s0", tsresol=9, os="Linux 6.12.30-1-lts"),
              dict(link="raw", name="tailscale0", tsresol=9, os="Linux 6.12.30-1-lts")]
    shb = dict(hw="AMD Ryzen 7 5700G with Radeon Graphics (with SSE4.2)", os="Linux 6.12.30-1-lts", app="Dumpcap (Wireshark) 4.4.6 (Git v4.4.6 packaged as 4.4.6-1)")
    cap = Cap(fname, epoch(2025, 8, 21, 20, 4, 33), ifaces, fmt="pcapng", shb=shb)
    ctx = Ctx17(cap, 1706, cip="192.168.178.57", cip6="2a02:8070:c98:7e00:3e7c:3fff:fe20:9b11", cos="linux", cttl=64, q_ipid="random",
                edns=dict(size=1232), qflags=0x0100, resolver="192.168.178.1")
    ctx.ts_ip, ctx.ts_ip6 = "100.87.112.9", "fd7a:115c:a1e0::b501:7009"
    rng = ctx.rng
    RTR = "192.168.178.1"
    MDNS = "100.100.100.100"
    LAN = dict(cip=ctx.cip, cip6=ctx.cip6, mss4=1460, mss6=1440, iface=0)
    TS = dict(cip=ctx.ts_ip, cip6=ctx.ts_ip6, mss4=1240, mss6=1220, iface=1)

    def on(side):
        for k, v in side.items():
            setattr(ctx, k, v)

    def lookup(t, name, an_a, an_aaaa, soa6=None, server=RTR, rtt=0.0009, ttl=64, tag=None, r_ipid=0, r_df=True):
        ta = ctx.dnsx(t, server, name, "A", rtt, ttl, an=an_a, r_ipid=r_ipid, r_df=r_df, tag=tag and tag + "A")[0]
        tb = ctx.dnsx(t + rng.uniform(0.00003, 0.0001), server, name, "AAAA", rtt * 1.08, ttl, an=an_aaaa, ns=[soa6] if soa6 else [],
                      r_ipid=r_ipid, r_df=r_df, tag=tag and tag + "AAAA")[0]
        return max(ta, tb) + rng.uniform(0.0001, 0.0004)

    def zsoa(z, m=None):
        return soa(z, m or ("ns1." + z), "hostmaster." + z, 2025080401, 300, 300)

    visits = [
        ("www.google.de", ["142.250.185.99"], ["2a00:1450:4001:82b::2003"], 0.011, 118, "quic", 48000),
        ("www.tagesnachrichten-beispiel.de", ["23.46.197.120"], [], 0.012, 57, "tcp", 140000),
        ("www.gstatic.com", ["142.250.186.163"], ["2a00:1450:4001:80e::2003"], 0.011, 118, "quic", 18000),
        ("forum.modellbahn-beispiel.de", ["88.198.60.12"], ["2a01:4f8:d0a:2066::2"], 0.020, 55, "tcp", 61000),
        ("www.wikipedia.org", ["185.15.59.224"], ["2a02:ec80:300:ed1a::1"], 0.021, 56, "tcp", 72000),
        ("upload.wikimedia.org", ["185.15.59.240"], ["2a02:ec80:300:ed1a::2:b"], 0.021, 56, "tcp", 240000),
        ("i.ytimg.com", ["142.250.185.86"], ["2a00:1450:4001:829::2016"], 0.011, 118, "quic", 90000),
        ("www.reiseblog-beispiel.de", ["104.21.5.119", "172.67.133.45"], ["2606:4700:3032::6815:577"], 0.009, 57, "quic", 110000),
        ("www.stadtradeln-beispiel.de", ["81.169.145.71"], ["2a01:238:20a:202:1071::"], 0.018, 56, "tcp", 39000),
        ("www.youtube.com", ["142.250.186.46"], ["2a00:1450:4001:811::200e"], 0.011, 118, "quic", 210000),
    ]

    def visit(t, v, tag=None):
        name, v4, v6, rtt, sttl, proto, size = v
        t = lookup(t, name, [(name, "A", 300, a) for a in v4], [(name, "AAAA", 300, a) for a in v6], None if v6 else zsoa(".".join(name.split(".")[-2:])), tag=tag)
        sip = v6[0] if v6 else v4[0]
        if proto == "quic":
            return ctx.quic(t + 0.0003, sip, name, rtt, sttl, resp=size, profile="other", dgram=1357 if ":" not in sip else 1337, srv_dgram=1252 if ":" not in sip else 1232)
        return ctx.https(t + 0.0003, sip, name, rtt, sttl, resp=size, tag=tag and tag + "c")[1]

    t = 0.0
    for v in visits[:2]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # C1: corporate split DNS through Tailscale MagicDNS: CNAME chain to an RFC 1918 address behind a subnet router
    on(TS)
    c1 = "wiki.corp-example.com"
    tgt = "wiki-prod.int.corp-example.com"
    tc1 = t
    t = lookup(t, c1, [(c1, "CNAME", 300, tgt), (tgt, "A", 300, "10.31.4.17")], [(c1, "CNAME", 300, tgt)],
               soa("int.corp-example.com", "dc01.int.corp-example.com", "hostmaster.corp-example.com", 90211, 300), server=MDNS, rtt=0.0214, r_ipid=0, r_df=False, tag="C1")
    _, t = ctx.https(t + 0.0003, "10.31.4.17", c1, 0.0209, 63, resp=92000, tag="C1c", smss=1240, iface=1)
    on(LAN)
    t += rng.uniform(2.0, 3.0)
    for v in visits[2:4]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # C2: a tailnet host name: CGNAT 100.64/10 and the tailnet ULA
    on(TS)
    c2 = "grafana.tail4a2c9.ts.net"
    tc2 = t
    t = lookup(t, c2, [(c2, "A", 600, "100.101.7.33")], [(c2, "AAAA", 600, "fd7a:115c:a1e0::d601:721")], server=MDNS, rtt=0.00018, r_ipid=0, r_df=False, tag="C2")
    _, t = ctx.https(t + 0.0003, "fd7a:115c:a1e0::d601:721", c2, 0.0118, 64, resp=160000, tag="C2c", smss=1220, iface=1)
    t += rng.uniform(3.0, 5.0)
    _, t = ctx.https(t, "100.101.7.33", c2, 0.0117, 64, resp=12000, tag="C2d", smss=1240, iface=1)  # a script, IPv4, same host
    on(LAN)
    t += rng.uniform(2.0, 3.0)

    # C3: Plex: a public name that encodes a LAN address (answer from the home router's resolver)
    c3 = "192-168-178-20.5f3c9a1e7b2d4c8e9f0a1b2c3d4e5f60.plex.direct"
    tc3 = t
    t = lookup(t, c3, [(c3, "A", 3600, "192.168.178.20")], [], zsoa("plex.direct", "ns1.plex.direct"), rtt=0.019, tag="C3")
    fl = ctx.flow_class(ctx, "192.168.178.20", 32400, 0.0006, 64)
    t = fl.handshake(t + 0.0003, "C3c")
    t = tls_on(ctx, fl, t + 0.0004, c3, 64000, tag="C3c", think=0.004)
    t += rng.uniform(2.0, 3.0)
    for v in visits[4:6]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # C4-C6: names whose genuine addresses lie in ranges the GFW's forged answers are drawn from
    tc4 = t
    fb = "www.facebook.com"
    sm = "star-mini.c10r.facebook.com"
    t = lookup(t, fb, [(fb, "CNAME", 3379, sm), (sm, "A", 60, "157.240.223.35")], [(fb, "CNAME", 3379, sm), (sm, "AAAA", 60, "2a03:2880:f145:82:face:b00c:0:25de")],
               rtt=0.016, tag="C4")
    _, t = ctx.https(t + 0.0003, "2a03:2880:f145:82:face:b00c:0:25de", fb, 0.0139, 56, resp=230000, tag="C4c", sos="cdn")
    fc = "static.xx.fbcdn.net"
    t = lookup(t + 0.05, fc, [(fc, "CNAME", 3600, "scontent.xx.fbcdn.net"), ("scontent.xx.fbcdn.net", "A", 60, "31.13.84.4")],
               [(fc, "CNAME", 3600, "scontent.xx.fbcdn.net"), ("scontent.xx.fbcdn.net", "AAAA", 60, "2a03:2880:f245:1c6:face:b00c:0:3")], rtt=0.015, tag="C4f")
    _, t = ctx.https(t + 0.0003, "2a03:2880:f245:1c6:face:b00c:0:3", fc, 0.0142, 56, resp=310000, tag="C4fc", sos="cdn")
    t += rng.uniform(2.0, 3.0)
    tc5 = t
    db = "www.dropbox.com"
    env = "www-env.dropbox-dns.com"
    t = lookup(t, db, [(db, "CNAME", 60, env), (env, "A", 60, "162.125.66.18")], [(db, "CNAME", 60, env), (env, "AAAA", 60, "2620:100:6022:18::a27d:4212")],
               rtt=0.021, tag="C5")
    _, t = ctx.https(t + 0.0003, "2620:100:6022:18::a27d:4212", db, 0.0185, 55, resp=180000, tag="C5c")
    t += rng.uniform(2.0, 3.0)
    tc6 = t
    xc = "x.com"
    t = lookup(t, xc, [(xc, "A", 1800, "104.244.42.129"), (xc, "A", 1800, "104.244.42.1")], [], zsoa("x.com", "a.r06.twtrdns.net"), rtt=0.024, tag="C6")
    _, t = ctx.https(t + 0.0003, "104.244.42.129", xc, 0.0241, 52, resp=150000, tag="C6c")
    t += rng.uniform(2.0, 3.0)
    for v in visits[6:]:
        visit(t, v)
        t += rng.uniform(2.0, 4.0)

    # tailscaled forwards the two corp-example.com queries to the office resolver 10.31.0.2 through the tunnel
    fwd = []
    for qt in ("A", "AAAA"):
        tq = trel_abs(cap, f"C1{qt}q")
        tr = trel_abs(cap, f"C1{qt}r")
        fwd += [(tq + 0.00012, True, 20 + 8 + 50 + 11, "10.31."), (tr - 0.00009, False, 20 + 8 + (118 if qt == "A" else 150), "10.31.")]
    add_wireguard(cap, ctx, 1, 0, "192.168.178.57", {"10.31.": ("213.61.140.18", 52), "100.101.7.33": ("49.12.77.201", 55),
                                                     "fd7a:115c:a1e0::d601:721": ("49.12.77.201", 55)}, extra=fwd)
    cap.write(os.path.join(OUT, fname))
    F = cap.frame
    del tc1, tc2, tc3, tc4, tc5, tc6
    note = (
        f"Linux desktop at home (pcapng with two interfaces: enp5s0 Ethernet and tailscale0 raw IP), {len(cap.recs)} frames; 10 ordinary visits "
        f"over the LAN (DNS from the home router 192.168.178.1), Tailscale traffic on tailscale0 with its WireGuard-encapsulated copy (UDP 41641) "
        f"on enp5s0. "
        f"C1 (t={trel(cap, 'C1Aq'):.3f}s, tailscale0): Tailscale MagicDNS (100.100.100.100) answers wiki.corp-example.com with CNAME "
        f"wiki-prod.int.corp-example.com -> A 10.31.4.17 (frame {F('C1Ar')}; AAAA: CNAME + NODATA, frame {F('C1AAAAr')}): a public-looking name "
        f"resolving to RFC 1918 space, the DNS-05 'private address for a public name' pattern. Not tampering: corporate split DNS delivered "
        f"only on the VPN interface by the user's own tailnet resolver; TLS to 10.31.4.17 (behind the subnet router, TTL 63) with SNI "
        f"wiki.corp-example.com completes with 92 kB (frames {F('C1csyn')}ff.). "
        f"C2 (t={trel(cap, 'C2Aq'):.3f}s): grafana.tail4a2c9.ts.net -> A 100.101.7.33 (CGNAT 100.64/10) and AAAA fd7a:115c:a1e0::d601:721 "
        f"(ULA) from MagicDNS (frames {F('C2Ar')}, {F('C2AAAAr')}); HTTPS to both addresses succeeds (frames {F('C2csyn')}ff., {F('C2dsyn')}ff.). "
        f"C3 (t={trel(cap, 'C3Aq'):.3f}s, LAN): the public name {c3} resolves through the normal resolver to 192.168.178.20 (frame {F('C3Ar')}; Plex "
        f"encodes the LAN address in the name and holds a wildcard certificate for it); TLS to 192.168.178.20:32400 on the LAN completes "
        f"(frames {F('C3csyn')}ff.). "
        f"C4-C6: www.facebook.com -> star-mini.c10r.facebook.com -> 157.240.223.35 / 2a03:2880:f145:82:face:b00c:0:25de (frames {F('C4Ar')}, "
        f"{F('C4AAAAr')}), static.xx.fbcdn.net -> 31.13.84.4 / ...:face:b00c:0:3, www.dropbox.com -> www-env.dropbox-dns.com -> "
        f"162.125.66.18 / 2620:100:6022:18::a27d:4212 (frames {F('C5Ar')}, {F('C5AAAAr')}), x.com -> 104.244.42.129, 104.244.42.1 (frame "
        f"{F('C6Ar')}): addresses inside the /16s (157.240, 31.13, 162.125, 104.244) and the Facebook ':face:b00c:0:25de' IPv6 form that GFW "
        f"forged answers are drawn from. Not tampering: they are these companies' own addresses for their own names, each reached through "
        f"their own CNAME chain, one answer per query from the home router (IP TTL 64, DF, ID 0 like all its answers), and TLS with the matching "
        f"SNI completes to each (frames {F('C4csyn')}ff., {F('C4fcsyn')}ff., {F('C5csyn')}ff., {F('C6csyn')}ff.). No injected or duplicate DNS "
        f"answers, no block pages. " + "The only RSTs in the capture are the client's own kernel answering a server's close_notify+FIN that arrives after the client already closed a finished connection (outbound, win 0)."
    )
    return fname, {"expect": [], "allow": [], "observations_ok": True, "note": note}


OUT = None


def main():
    global OUT
    if len(sys.argv) < 2:
        print("usage: blind17_benign.py OUTDIR [N...]", file=sys.stderr)
        sys.exit(2)
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    only = [int(x) for x in sys.argv[2:]]
    expect = {}
    for i, fn in enumerate(CAPTURES, 1):
        if only and i not in only:
            continue
        name, entry = fn()
        expect[name] = entry
    if not only:
        with open(os.path.join(OUT, "expect.json"), "w") as fh:
            json.dump(expect, fh, indent=2, sort_keys=True)
            fh.write("\n")
    else:
        print(json.dumps(expect, indent=2))


if __name__ == "__main__":
    main()
