#!/usr/bin/env python3
# ruff: noqa: E501, B007, B905, I001, RUF005, UP012, UP017
"""Blind test set 9, positive cases: 8 client-side captures, one censorship mechanism each.

usage: python blind9_positive.py OUTDIR

Deterministic: every random value comes from a seeded random.Random, timestamps are fixed
epochs plus computed offsets, certificates use keys derived from fixed seeds and RFC 6979
deterministic ECDSA.  Running twice gives byte-identical files.
"""
import calendar
import hashlib
import hmac
import json
import os
import socket
import struct
import sys
import datetime as _dt

from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.packet import Raw

from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

import random


def epoch(y, mo, d, h, mi, s):
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


# ----------------------------------------------------------------------------------------
# capture container and file writers
# ----------------------------------------------------------------------------------------
LT = {"eth": 1, "vlan": 1, "raw": 101, "sll2": 276}


class Cap:
    """Packets are stored as layer-3 bytes plus interface/direction; framed at write time."""

    def __init__(self, fname, base, ifaces, fmt="pcap", endian="<", nsec=False):
        self.fname, self.base, self.ifaces = fname, base, ifaces
        self.fmt, self.endian, self.nsec = fmt, endian, nsec
        self.pk = []
        self.done = False
        self.jit = random.Random(hash_seed(fname))


    def add(self, t, pkt, out, iface=0, tag=None):
        """Incoming packets get 0-9 us of arrival jitter, outgoing 0-0.9 us (smaller than any causal gap used below)."""
        assert t >= 0, t
        ns = round(t * 1e9) + self.jit.randrange(0, 900 if out else 9000)
        self.pk.append((self.base * 10**9 + ns, len(self.pk), iface, out, bytes(pkt), tag))

    def finalize(self):
        if not self.done:
            if self.fmt == "pcap" and not self.nsec:
                self.pk = [(p[0] // 1000 * 1000,) + p[1:] for p in self.pk]
            self.pk.sort(key=lambda p: (p[0], p[1]))
            self.done = True

    def fr(self, tag):
        self.finalize()
        return [i + 1 for i, p in enumerate(self.pk) if p[5] == tag]

    def frame(self, iface, out, l3):
        f = self.ifaces[iface]
        lt = f["lt"]
        et = 0x86DD if (l3[0] >> 4) == 6 else 0x0800
        if lt in ("eth", "vlan"):
            src, dst = (f["mac"], f["gw"]) if out else (f["gw"], f["mac"])
            if lt == "vlan":
                hdr = dst + src + struct.pack(">HHH", 0x8100, (f.get("pcp", 0) << 13) | f["vlan"], et)
            else:
                hdr = dst + src + struct.pack(">H", et)
            fr = hdr + l3
            if not out and len(fr) < 60:
                fr += b"\x00" * (60 - len(fr))
            return fr
        if lt == "raw":
            return l3
        if lt == "sll2":
            addr = f["mac"] if out else f["gw"]
            return struct.pack(">HHIHBB", et, 0, f["ifindex"], 1, 4 if out else 0, 6) + addr + b"\x00\x00" + l3
        raise ValueError(lt)

    def write(self, outdir):
        self.finalize()
        path = os.path.join(outdir, self.fname)
        recs = [(p[0], p[2], self.frame(p[2], p[3], p[4])) for p in self.pk]
        if self.fmt == "pcap":
            e = self.endian
            magic = 0xA1B23C4D if self.nsec else 0xA1B2C3D4
            out = [struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, 262144, LT[self.ifaces[0]["lt"]])]
            for tns, _i, data in recs:
                sec, frac = divmod(tns, 10**9)
                if not self.nsec:
                    frac //= 1000
                out.append(struct.pack(e + "IIII", sec, frac, len(data), len(data)) + data)
        else:
            out = [pcapng_shb()]
            for f in self.ifaces:
                out.append(pcapng_idb(LT[f["lt"]], f["name"], f.get("tsresol", 6)))
            for tns, i, data in recs:
                units = tns // (10 ** (9 - self.ifaces[i].get("tsresol", 6)))
                body = struct.pack("<IIIII", i, units >> 32, units & 0xFFFFFFFF, len(data), len(data)) + pad4(data)
                out.append(pcapng_block(6, body))
        with open(path, "wb") as fh:
            fh.write(b"".join(out))
        return path


def pad4(b):
    return b + b"\x00" * (-len(b) % 4)


def pcapng_opt(code, val):
    return struct.pack("<HH", code, len(val)) + pad4(val)


def pcapng_block(btype, body):
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng_shb():
    opts = pcapng_opt(2, b"x86_64") + pcapng_opt(3, b"Linux 6.1.0-21-amd64") + pcapng_opt(4, b"Dumpcap (Wireshark) 4.0.17 (Git v4.0.17 packaged as 4.0.17-0+deb12u1)") + b"\x00" * 4
    return pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + opts)


def pcapng_idb(lt, name, tsresol):
    opts = pcapng_opt(2, name.encode()) + pcapng_opt(9, bytes([tsresol])) + b"\x00" * 4
    return pcapng_block(1, struct.pack("<HHI", lt, 0, 262144) + opts)


# ----------------------------------------------------------------------------------------
# IP / TCP helpers
# ----------------------------------------------------------------------------------------
def mk_ip(src, dst, ttl, ipid=0, df=True, fl=0):
    if ":" in src:
        return IPv6(src=src, dst=dst, hlim=ttl, fl=fl)
    return IP(src=src, dst=dst, ttl=ttl, id=ipid & 0xFFFF, flags="DF" if df else 0)


def chunks(b, n):
    return [b[i:i + n] for i in range(0, len(b), n)] or [b""]


class Flow:
    """One TCP connection seen from the client.  Times are client-side capture times."""

    def __init__(self, cap, rng, c, cp, sv, sp, rtt, *, s_ttl=52, iface=0, ts=True, s_ws=9,
                 s_mss=None, s_synwin=None, s_win=None, c_ttl=64, synack_id0=True, c_synwin=None):
        self.cap, self.rng, self.c, self.cp, self.sv, self.sp, self.rtt = cap, rng, c, cp, sv, sp, rtt
        self.v6 = ":" in c
        self.iface, self.ts, self.s_ttl, self.c_ttl, self.s_ws = iface, ts, s_ttl, c_ttl, s_ws
        self.cisn, self.sisn = rng.getrandbits(32), rng.getrandbits(32)
        self.cn, self.sn = self.cisn, self.sisn
        self.ca = self.sa = 0
        self.cid, self.sid = rng.randrange(1, 65535), rng.randrange(1, 65535)
        self.cfl, self.sfl = rng.getrandbits(20), rng.getrandbits(20)
        self.cts0, self.sts0 = rng.getrandbits(31), rng.getrandbits(31)
        self.tsc, self.tss = [], []
        self.c_mss = 1440 if self.v6 else 1460
        self.s_mss = s_mss or self.c_mss
        self.s_synwin = s_synwin or (64800 if self.v6 else 65160)
        self.s_win = s_win or max(1, self.s_synwin >> s_ws)
        self.synack_id0 = synack_id0
        self.c_synwin = c_synwin or (64800 if self.v6 else 64240)
        self.rcvd = 0
        self.cwnd = 10
        self.state_open = True

    # payload per segment in each direction
    @property
    def s_pay(self):
        return min(self.c_mss, self.s_mss) - (12 if self.ts else 0)

    @property
    def c_pay(self):
        return min(self.c_mss, self.s_mss) - (12 if self.ts else 0)

    def _tsv(self, t, fromc):
        base = self.cts0 if fromc else self.sts0
        v = (base + int(t * 1000)) & 0xFFFFFFFF
        other = self.tss if fromc else self.tsc
        lim = t if fromc else t - self.rtt + 0.0003
        ecr = 0
        for tt, vv in other:
            if tt <= lim:
                ecr = vv
        (self.tsc if fromc else self.tss).append((t, v))
        return v, ecr

    def tsopt(self, t, fromc):
        if not self.ts:
            return []
        v, e = self._tsv(t, fromc)
        return [("NOP", None), ("NOP", None), ("Timestamp", (v, e))]

    def cwin(self):
        return min(((self.c_synwin + 127) >> 7) + self.rcvd // 700, 12000)

    def p(self, t, fromc, flags, seq, ack, data=b"", win=None, opts=None, ttl=None, ipid=None, df=True, tag=None):
        if fromc:
            src, dst, sport, dport = self.c, self.sv, self.cp, self.sp
            if ipid is None:
                ipid = self.cid
                self.cid += 1
            ttl = ttl or self.c_ttl
            fl = self.cfl
            win = self.cwin() if win is None else win
        else:
            src, dst, sport, dport = self.sv, self.c, self.sp, self.cp
            if ipid is None:
                ipid = self.sid
                self.sid += 1
            ttl = ttl or self.s_ttl
            fl = self.sfl
            win = self.s_win if win is None else win
        if opts is None:
            opts = self.tsopt(t, fromc)
        tcp = TCP(sport=sport, dport=dport, seq=seq & 0xFFFFFFFF, ack=(ack & 0xFFFFFFFF) if "A" in flags else 0,
                  flags=flags, window=win, options=opts)
        pkt = mk_ip(src, dst, ttl, ipid, df, fl) / tcp
        if data:
            pkt = pkt / Raw(data)
        self.cap.add(t, pkt, fromc, self.iface, tag)

    def syn(self, t, tag=None):
        o = [("MSS", self.c_mss), ("SAckOK", b"")]
        if True:
            v, _ = self._tsv(t, True)
            o += [("Timestamp", (v, 0))]
        o += [("NOP", None), ("WScale", 7)]
        self.p(t, True, "S", self.cisn, 0, win=self.c_synwin, opts=o, tag=tag)

    def synack(self, t, tag=None, ttl=None, ipid=None):
        o = [("MSS", self.s_mss), ("SAckOK", b"")]
        if self.ts:
            v, e = self._tsv(t, False)
            o += [("Timestamp", (v, e))]
        else:
            o = [("MSS", self.s_mss), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
        o += [("NOP", None), ("WScale", self.s_ws)]
        if ipid is None and self.synack_id0:
            ipid = 0
        self.p(t, False, "SA", self.sisn, self.cisn + 1, win=self.s_synwin, opts=o, tag=tag, ttl=ttl, ipid=ipid)

    def handshake(self, t, tag=None):
        self.syn(t, tag=tag)
        self.synack(t + self.rtt)
        self.cn, self.sn = self.cisn + 1, self.sisn + 1
        self.ca, self.sa = self.sn, self.cn
        t2 = t + self.rtt + 0.000052
        self.p(t2, True, "A", self.cn, self.ca)
        return t2

    def c_data(self, t, data, fin=False, tag=None, gap=0.000015):
        segs = chunks(data, self.c_pay)
        for i, seg in enumerate(segs):
            last = i == len(segs) - 1
            fl = "PA" if last and seg else "A"
            if fin and last:
                fl = "FPA" if seg else "FA"
            self.p(t, True, fl, self.cn, self.ca, seg, tag=tag)
            self.cn += len(seg) + (1 if fin and last else 0)
            if not last:
                t += gap
        self.sa = self.cn
        return t

    def c_ack(self, t, sack=None, tag=None):
        o = self.tsopt(t, True)
        if sack:
            o = o + [("NOP", None), ("NOP", None), ("SAck", sack)]
        self.p(t, True, "A", self.cn, self.ca, opts=o, tag=tag)

    def s_ack(self, t, tag=None):
        self.p(t, False, "A", self.sn, self.sa, tag=tag)

    def s_data(self, t, data, bw=40e6, tag=None, fin=False, ack_every=2, stop_after=None):
        """Server data arriving from t on, slow-start rounds, client ACKs every ack_every segments."""
        segs = chunks(data, self.s_pay)
        i, tr, n_un, ta = 0, t, 0, t
        while i < len(segs):
            burst = min(self.cwnd, len(segs) - i)
            ta = tr
            for j in range(burst):
                seg = segs[i]
                last = i == len(segs) - 1
                fl = "PA" if last else "A"
                if fin and last:
                    fl = "FPA"
                self.p(ta, False, fl, self.sn, self.sa, seg, tag=tag)
                self.sn += len(seg) + (1 if fin and last else 0)
                self.ca = self.sn
                self.rcvd += len(seg)
                n_un += 1
                i += 1
                if n_un >= ack_every or last or j == burst - 1:
                    self.c_ack(ta + 0.000041)
                    n_un = 0
                if not last:
                    ta += (len(seg) + 78) * 8 / bw
            self.cwnd = min(self.cwnd * 2, 700)
            tr = max(tr + self.rtt, ta + 0.0001)
        return ta + 0.000041

    def close(self, t, c_data=b"", s_data=b""):
        """client close_notify+FIN, server close_notify+FIN, client ACK"""
        self.c_data(t, c_data, fin=True)
        t2 = t + self.rtt
        self.p(t2, False, "FPA" if s_data else "FA", self.sn, self.sa, s_data)
        self.sn += len(s_data) + 1
        self.ca = self.sn
        self.p(t2 + 0.00005, True, "A", self.cn, self.ca)
        return t2 + 0.00005


# ----------------------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------------------
class DnsW:
    def __init__(self):
        self.b = bytearray(12)
        self.comp = {}

    def name(self, name):
        labels = [x for x in name.rstrip(".").split(".") if x]
        for i in range(len(labels)):
            suf = ".".join(labels[i:]).lower()
            if suf in self.comp:
                self.b += struct.pack(">H", 0xC000 | self.comp[suf])
                return
            if len(self.b) < 0x3FFF:
                self.comp[suf] = len(self.b)
            self.b += bytes([len(labels[i])]) + labels[i].encode()
        self.b += b"\x00"


def dns_msg(txid, flags, qname, qtype, answers=(), auth=(), edns=None, edns_opt=b""):
    w = DnsW()
    w.name(qname)
    w.b += struct.pack(">HH", qtype, 1)
    for sec in (answers, auth):
        for name, typ, ttl, val in sec:
            w.name(name)
            w.b += struct.pack(">HHI", typ, 1, ttl)
            pos = len(w.b)
            w.b += b"\x00\x00"
            if typ == 1:
                w.b += socket.inet_aton(val)
            elif typ == 28:
                w.b += socket.inet_pton(socket.AF_INET6, val)
            elif typ == 5:
                w.name(val)
            elif typ == 6:
                w.name(val[0])
                w.name(val[1])
                w.b += struct.pack(">IIIII", *val[2:])
            struct.pack_into(">H", w.b, pos, len(w.b) - pos - 2)
    ar = 0
    if edns:
        w.b += b"\x00" + struct.pack(">HHIH", 41, edns, 0, len(edns_opt)) + edns_opt
        ar = 1
    struct.pack_into(">HHHHHH", w.b, 0, txid, flags, 1, len(answers), len(auth), ar)
    return bytes(w.b)


class Host:
    """The capturing client: addresses, interface and its resolver."""

    def __init__(self, cap, rng, ip4=None, ip6=None, res4=None, res6=None, res_rtt=0.02, res_ttl=64, res_df=True, iface=0, aaaa=True, edns=None):
        self.cap, self.rng = cap, rng
        self.ip4, self.ip6, self.res4, self.res6 = ip4, ip6, res4, res6
        self.res_rtt, self.res_ttl, self.res_df, self.iface, self.aaaa, self.edns = res_rtt, res_ttl, res_df, iface, aaaa, edns
        self.ports = set()

    def port(self, lo=32768, hi=60999):
        while True:
            p = self.rng.randrange(lo, hi)
            if p not in self.ports:
                self.ports.add(p)
                return p

    def udp(self, t, src, dst, sport, dport, payload, out, ttl=64, ipid=None, df=True, tag=None, fl=0):
        ipid = self.rng.getrandbits(16) if ipid is None else ipid
        if ":" in src and out and not fl:
            fl = self.rng.getrandbits(20)
        self.cap.add(t, mk_ip(src, dst, ttl, ipid, df, fl) / UDP(sport=sport, dport=dport) / Raw(payload), out, self.iface, tag)

    def resolve(self, t, name, a=(), aaaa=(), cname=None, ttl=300, v6res=False, qtag=None, rtag=None, rtt=None):
        """A (+AAAA) lookup from one socket; returns time of the last answer."""
        c = self.ip6 if v6res else self.ip4
        r = self.res6 if v6res else self.res4
        rtt = rtt or self.res_rtt
        sport = self.port()
        qs = [(1, a)] + ([(28, aaaa)] if self.aaaa else [])
        tend = t
        for k, (qt, vals) in enumerate(qs):
            txid = self.rng.getrandbits(16)
            tq = t + k * 0.000047
            self.udp(tq, c, r, sport, 53, dns_msg(txid, 0x0100, name, qt, edns=self.edns), True, tag=qtag)
            ans = []
            owner = name
            if cname and vals:
                ans.append((name, 5, ttl, cname))
                owner = cname
            for v in vals:
                ans.append((owner, qt, ttl, v))
            auth = ()
            if not vals:
                zone = ".".join(name.split(".")[-2:])
                auth = ((zone, 6, 600, ("ns1." + zone, "hostmaster." + zone, 2024010101, 7200, 3600, 1209600, 300)),)
            tr = tq + rtt + k * 0.00031
            self.udp(tr, r, c, 53, sport, dns_msg(txid, 0x8180, name, qt, ans, auth, edns=self.edns and 1232), False,
                     ttl=self.res_ttl, df=self.res_df, tag=rtag)
            tend = max(tend, tr)
        return tend


# ----------------------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------------------
def rb(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def u16(n):
    return struct.pack(">H", n)


def u24(n):
    return struct.pack(">I", n)[1:]


def ext(t, d):
    return u16(t) + u16(len(d)) + d


def rec(ct, d, ver=0x0303):
    return bytes([ct]) + u16(ver) + u16(len(d)) + d


def appdata(rng, sizes):
    return b"".join(rec(0x17, rb(rng, n)) for n in sizes)


CCS = rec(0x14, b"\x01")
GREASE = [0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A, 0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A, 0xAAAA, 0xBABA, 0xCACA, 0xDADA, 0xEAEA, 0xFAFA]


def client_hello(rng, sni, alpn=("h2", "http/1.1"), style="chrome", quic_tp=None):
    """style: chrome (TLS 1.3, GREASE, padding), firefox (TLS 1.3), tls12 (2014 Chrome-like), quic"""
    sid = b"" if style in ("quic", "tls12") else rb(rng, 32)
    g1, g2, g3 = rng.choice(GREASE), rng.choice(GREASE), rng.choice(GREASE)
    if style == "tls12":
        suites = [0xC02B, 0xC02F, 0x009E, 0xCC14, 0xCC13, 0xC00A, 0xC009, 0xC013, 0xC014, 0x0039, 0x0033, 0x009C, 0x0035, 0x002F, 0x000A]
    elif style == "quic":
        suites = [0x1301, 0x1302, 0x1303]
    elif style == "firefox":
        suites = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A, 0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    else:
        suites = [g1, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    sn = sni.encode()
    e_sni = ext(0, u16(len(sn) + 3) + b"\x00" + u16(len(sn)) + sn)
    al = b"".join(bytes([len(x)]) + x.encode() for x in (alpn or ()))
    e_alpn = ext(16, u16(len(al)) + al) if alpn else b""
    sigalgs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]
    e_sig = ext(13, u16(2 * len(sigalgs)) + b"".join(u16(x) for x in sigalgs))
    ks = rb(rng, 32)
    exts = []
    if style == "chrome":
        groups = [g2, 0x001D, 0x0017, 0x0018]
        exts += [ext(g3, b""), e_sni, ext(23, b""), ext(0xFF01, b"\x00"),
                 ext(10, u16(2 * len(groups)) + b"".join(u16(x) for x in groups)), ext(11, b"\x01\x00"),
                 ext(35, b""), e_alpn, ext(5, b"\x01\x00\x00\x00\x00"), e_sig, ext(18, b""),
                 ext(51, u16(5 + 36) + u16(g2) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + ks),
                 ext(45, b"\x01\x01"), ext(43, b"\x06" + u16(rng.choice(GREASE)) + b"\x03\x04\x03\x03"),
                 ext(27, b"\x02\x00\x02"), ext(rng.choice(GREASE), b"\x00")]
    elif style == "firefox":
        groups = [0x001D, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101]
        exts += [e_sni, ext(23, b""), ext(0xFF01, b"\x00"), ext(10, u16(2 * len(groups)) + b"".join(u16(x) for x in groups)),
                 ext(11, b"\x01\x00"), ext(35, b""), e_alpn, ext(5, b"\x01\x00\x00\x00\x00"),
                 ext(34, b"\x00\x08\x04\x03\x05\x03\x06\x03\x02\x03"),
                 ext(51, u16(36) + u16(0x1D) + u16(32) + ks), ext(43, b"\x04\x03\x04\x03\x03"), e_sig,
                 ext(45, b"\x01\x01"), ext(28, b"\x40\x01")]
    elif style == "quic":
        groups = [0x001D, 0x0017, 0x0018]
        exts += [e_sni, ext(10, u16(2 * len(groups)) + b"".join(u16(x) for x in groups)), e_alpn, e_sig,
                 ext(51, u16(36) + u16(0x1D) + u16(32) + ks), ext(45, b"\x01\x01"), ext(43, b"\x02\x03\x04"),
                 ext(27, b"\x02\x00\x02"), ext(57, quic_tp)]
    else:  # tls12, Chrome 36 (2014)
        groups = [0x0017, 0x0018, 0x0019]
        exts += [ext(0xFF01, b"\x00"), e_sni, ext(23, b""), ext(35, b""),
                 ext(13, u16(16) + b"\x06\x01\x06\x03\x05\x01\x05\x03\x04\x01\x04\x03\x02\x01\x02\x03"),
                 ext(5, b"\x01\x00\x00\x00\x00"), ext(13172, b""), e_alpn, ext(0x7550, b"\x00"), ext(18, b""),
                 ext(11, b"\x01\x00"), ext(10, u16(2 * len(groups)) + b"".join(u16(x) for x in groups))]

    crand = rb(rng, 32)

    def body(exb):
        return (b"\x03\x03" + crand + bytes([len(sid)]) + sid + u16(2 * len(suites))
                + b"".join(u16(x) for x in suites) + b"\x01\x00" + u16(len(exb)) + exb)

    exb = b"".join(x for x in exts if x)
    if style == "chrome":
        ln = len(body(exb)) + 4
        if ln < 512:
            padn = max(512 - ln - 4, 1)
            exb += ext(21, b"\x00" * padn)
    hs = b"\x01" + u24(len(body(exb))) + body(exb)
    if style == "quic":
        return hs
    return rec(0x16, hs, 0x0301)


def hash_seed(s):
    return int.from_bytes(hashlib.sha256(s.encode()).digest()[:8], "big")


def server_hello(rng, sid, style="tls13", alpn=None, cipher=None):
    if style == "tls12":
        ex = ext(0xFF01, b"\x00") + ext(11, b"\x03\x00\x01\x02") + ext(35, b"")
        if alpn:
            ex += ext(16, u16(len(alpn) + 1) + bytes([len(alpn)]) + alpn.encode())
        cipher = cipher or 0xC02B
        sid = rb(rng, 32)
    else:
        ex = ext(43, b"\x03\x04") + ext(51, u16(0x1D) + u16(32) + rb(rng, 32))
        cipher = cipher or 0x1301
    b = b"\x03\x03" + rb(rng, 32) + bytes([len(sid)]) + sid + u16(cipher) + b"\x00" + u16(len(ex)) + ex
    return b"\x02" + u24(len(b)) + b


def ch_sid(ch_record):
    # record(5) + hs hdr(4) + version(2) + random(32) -> sid len
    n = ch_record[43]
    return ch_record[44:44 + n]


# ---- certificates (TLS 1.2 sessions of the 2014 capture send them in clear) ----
P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_CERTS = {}


def dkey(label):
    v = int.from_bytes(hashlib.sha256(b"blind9 key " + label.encode()).digest(), "big") % (P256_N - 1) + 1
    return ec.derive_private_key(v, ec.SECP256R1())


def xname(cn, o=None, c=None):
    a = []
    if c:
        a.append(x509.NameAttribute(NameOID.COUNTRY_NAME, c))
    if o:
        a.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    a.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(a)


def cert_chain(names, ca, nb, na):
    """leaf for names (first is CN) + intermediate `ca`=(cn, o, c); root key is derived from the CA name."""
    key = (tuple(names), ca)
    if key in _CERTS:
        return _CERTS[key]
    ikey, rkey, lkey = dkey("int " + ca[0]), dkey("root " + ca[1]), dkey("leaf " + names[0])
    root = xname(ca[1] + " Root", ca[1], ca[2])
    iname = xname(*ca)
    inter = (x509.CertificateBuilder().subject_name(iname).issuer_name(root).public_key(ikey.public_key())
             .serial_number(hash_seed(ca[0]) >> 1).not_valid_before(_dt.datetime(2012, 5, 1, tzinfo=_dt.timezone.utc))
             .not_valid_after(_dt.datetime(2022, 5, 1, tzinfo=_dt.timezone.utc))
             .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
             .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
             .sign(rkey, hashes.SHA256(), ecdsa_deterministic=True))
    leaf = (x509.CertificateBuilder().subject_name(xname(names[0])).issuer_name(iname).public_key(lkey.public_key())
            .serial_number(hash_seed(names[0]) >> 1).not_valid_before(nb).not_valid_after(na)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(ikey, hashes.SHA256(), ecdsa_deterministic=True))
    der = [c.public_bytes(serialization.Encoding.DER) for c in (leaf, inter)]
    _CERTS[key] = der
    return der


def der_sig(rng):
    r, s = b"\x00" + bytes([0x80 | rng.getrandbits(7)]) + rb(rng, 31), bytes([rng.getrandbits(7) | 1]) + rb(rng, 31)
    body = b"\x02" + bytes([len(r)]) + r + b"\x02" + bytes([len(s)]) + s
    return b"\x30" + bytes([len(body)]) + body


def tls12_server_flight(rng, chain, alpn):
    sh = server_hello(rng, b"", "tls12", alpn)
    cl = b"".join(u24(len(c)) + c for c in chain)
    cert = b"\x0b" + u24(len(cl) + 3) + u24(len(cl)) + cl
    sig = der_sig(rng)
    ske_b = b"\x03\x00\x17\x41\x04" + rb(rng, 64) + b"\x04\x03" + u16(len(sig)) + sig
    ske = b"\x0c" + u24(len(ske_b)) + ske_b
    return rec(0x16, sh) + rec(0x16, cert) + rec(0x16, ske) + rec(0x16, b"\x0e\x00\x00\x00")


def tls_session(fl, t, sni, *, style="chrome", alpn=("h2", "http/1.1"), req=(420,), resp=20000, think=0.012, bw=40e6,
                idle=0.8, close=True, chain=None, ch_tag=None, tag=None):
    """Full TLS session over an existing Flow object; returns end time."""
    rng = fl.rng
    t = fl.handshake(t, tag=tag)
    ch = client_hello(rng, sni, alpn, style)
    t = fl.c_data(t + 0.00031, ch, tag=ch_tag)
    if style == "tls12":
        flight = tls12_server_flight(rng, chain, alpn[0] if alpn else None)
        t = fl.s_data(t + fl.rtt + 0.0021, flight, bw)
        ckx = rec(0x16, b"\x10\x00\x00\x42\x41\x04" + rb(rng, 64)) + CCS + rec(0x16, rb(rng, 40))
        t = fl.c_data(t + 0.0012, ckx)
        t = fl.s_data(t + fl.rtt + 0.0008, rec(0x16, b"\x04\x00\x00\xaa" + b"\x00\x00\x1c\x20\x00\xa4" + rb(rng, 164)) + CCS + rec(0x16, rb(rng, 40)), bw)
        t = fl.c_data(t + 0.0009, appdata(rng, list(req)))
        t = fl.s_data(t + fl.rtt + think, appdata(rng, split_records(resp)), bw)
    else:
        sid = ch_sid(ch)
        flight = rec(0x16, server_hello(rng, sid)) + CCS + appdata(rng, [rng.randrange(2600, 4300)])
        t = fl.s_data(t + fl.rtt + 0.0017, flight, bw)
        t = fl.c_data(t + 0.0011, CCS + appdata(rng, [53]) + appdata(rng, list(req)))
        t = fl.s_data(t + fl.rtt + think, appdata(rng, [rng.randrange(230, 260), rng.randrange(230, 260)] + split_records(resp)), bw)
    if close:
        t = fl.close(t + idle, appdata(rng, [19]) if style != "tls12" else rec(0x15, rb(rng, 26)),
                     appdata(rng, [19]) if style != "tls12" else rec(0x15, rb(rng, 26)))
    return t


def split_records(n, mx=16401):
    out = []
    while n > 0:
        k = min(n, mx)
        out.append(k)
        n -= k + 5
    return [max(x, 17) for x in out]


# ----------------------------------------------------------------------------------------
# QUIC v1 (RFC 9000/9001)
# ----------------------------------------------------------------------------------------
QUIC_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def hkdf_label(secret, label, length):
    full = b"tls13 " + label
    info = u16(length) + bytes([len(full)]) + full + b"\x00"
    return HKDFExpand(hashes.SHA256(), length, info).derive(secret)


def quic_keys(dcid, server):
    init = hmac.new(QUIC_SALT, dcid, hashlib.sha256).digest()
    sec = hkdf_label(init, b"server in" if server else b"client in", 32)
    return hkdf_label(sec, b"quic key", 16), hkdf_label(sec, b"quic iv", 12), hkdf_label(sec, b"quic hp", 16)


_k = quic_keys(bytes.fromhex("8394c8f03e515708"), False)
assert _k[0].hex() == "1f369613dd76d5467730efcbe3b1a22d" and _k[1].hex() == "fa044b2f42a3fd3b46fb255c" and _k[2].hex() == "9f50449e04a0e810283a1e9933adedd2", "RFC 9001 A.1 vector"


def vi(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return struct.pack(">H", 0x4000 | n)
    if n < 2**30:
        return struct.pack(">I", 0x80000000 | n)
    return struct.pack(">Q", 0xC000000000000000 | n)


def quic_long(ptype, dcid, scid, pn, frames, keys, pn_len=2, total=None):
    """ptype 0 Initial, 2 Handshake.  If total is given, PADDING is appended so the packet is that long."""
    key, iv, hp = keys
    first = 0xC0 | (ptype << 4) | (pn_len - 1)
    hdr = bytes([first]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    if ptype == 0:
        hdr += b"\x00"
    if total is not None:
        frames = frames + b"\x00" * (total - (len(hdr) + 2 + pn_len + len(frames) + 16))
    length = pn_len + len(frames) + 16
    hdr += struct.pack(">H", 0x4000 | length)
    pn_off = len(hdr)
    hdr += pn.to_bytes(pn_len, "big")
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, frames, hdr)
    sample = ct[4 - pn_len:20 - pn_len]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(hdr)
    h[0] ^= mask[0] & 0x0F
    for i in range(pn_len):
        h[pn_off + i] ^= mask[1 + i]
    return bytes(h) + ct


def quic_short(rng, dcid, n):
    return bytes([0x40 | rng.getrandbits(6)]) + dcid + rb(rng, n - 1 - len(dcid))


def crypto_frame(off, data):
    return b"\x06" + vi(off) + vi(len(data)) + data


def ack_frame(largest, delay=0, first_range=0):
    return b"\x02" + vi(largest) + vi(delay) + b"\x00" + vi(first_range)


def quic_tp(rng, scid):
    def tp(i, v):
        return vi(i) + vi(len(v)) + v
    return (tp(0x01, vi(30000)) + tp(0x03, vi(1472)) + tp(0x04, vi(15728640)) + tp(0x05, vi(6291456)) + tp(0x06, vi(6291456))
            + tp(0x07, vi(6291456)) + tp(0x08, vi(100)) + tp(0x09, vi(103)) + tp(0x0E, vi(4)) + tp(0x0F, scid)
            + tp(0x20, vi(65536)))


# ----------------------------------------------------------------------------------------
# shared scenario helpers
# ----------------------------------------------------------------------------------------
def site(name, a, rtt, ttl, **kw):
    return dict(name=name, a=a, rtt=rtt, ttl=ttl, **kw)


def bg(h, t, s):
    """DNS lookup, then a complete TLS session to an unrelated site (the ordinary background)."""
    v6 = s.get("v6", False)
    t = h.resolve(t, s["name"], s.get("a", []), s.get("aaaa", []), s.get("cname"), ttl=s.get("dttl", 300),
                  v6res=s.get("v6res", False)) + 0.0003 + h.rng.random() * 0.002
    ip = s["aaaa"][0] if v6 else s["a"][0]
    fl = Flow(h.cap, h.rng, h.ip6 if v6 else h.ip4, h.port(), ip, s.get("port", 443), s["rtt"], s_ttl=s["ttl"],
              iface=h.iface, ts=s.get("ts", True), s_ws=s.get("ws", 9), s_mss=s.get("mss"), s_synwin=s.get("synwin"),
              s_win=s.get("win"), c_synwin=s.get("csyn"))
    return tls_session(fl, t, s.get("sni", s["name"]), style=s.get("style", "chrome"), alpn=s.get("alpn", ("h2", "http/1.1")),
                       resp=s.get("resp", 30000), req=s.get("req", (h.rng.randrange(300, 700),)), bw=s.get("bw", 40e6),
                       idle=s.get("idle", 1.0), chain=s.get("chain"), think=s.get("think", 0.01))


def run_bg(h, sites, times):
    for s, t in zip(sites, times):
        bg(h, t + h.rng.random() * 0.4, s)


def icmp_port_unreach(h, t, late):
    """Linux answers a DNS reply that reaches an already closed socket with ICMP port unreachable."""
    from scapy.layers.inet import ICMP
    src = IP(late).src
    pkt = IP(src=h.ip4, dst=src, ttl=64, tos=0xC0, id=h.rng.getrandbits(16), flags=0) / ICMP(type=3, code=3) / Raw(late[:548])
    h.cap.add(t, pkt, True, h.iface, "icmp")


def forged_dns(txid, qname, qtype, rdata_ip, ttl, flags=0x8180, query_tail=b""):
    """Injector-style answer: echo header+question, append c00c A record, no EDNS echo."""
    q = dns_msg(txid, flags, qname, qtype)
    return q[:6] + b"\x00\x01\x00\x00\x00\x00" + q[12:] + query_tail + b"\xc0\x0c\x00\x01\x00\x01" + struct.pack(">I", ttl) + b"\x00\x04" + socket.inet_aton(rdata_ip)


def fmt_frames(fs):
    return ", ".join(str(x) for x in fs)


# ----------------------------------------------------------------------------------------
# 1. THR-03: ~16 KB freeze towards a foreign hosting IP, same-IP control runs at full speed
# ----------------------------------------------------------------------------------------
def s1_throttle():
    rng = random.Random(91001)
    cap = Cap("b9p_thr03_freeze.pcap", epoch(2025, 6, 14, 7, 22, 5),
              [dict(lt="eth", name="eth0", mac=mac("3c:52:82:1f:6a:e0"), gw=mac("0c:96:e6:5b:21:40"))], "pcap", "<", False)
    h = Host(cap, rng, ip4="192.168.8.100", res4="192.168.8.1", res_rtt=0.028, res_ttl=64, res_df=True, aaaa=True)
    SRV, CTL, THR = "95.217.12.40", "static.hostpanel.eu", "media.novayagazeta-mirror.eu"
    sites = [
        site("ya.ru", ["5.255.255.242", "77.88.55.242"], 0.011, 58, aaaa=["2a02:6b8::2:242"]),
        site("vk.com", ["87.240.132.67", "87.240.137.164"], 0.014, 57, resp=120000),
        site("www.ozon.ru", ["185.73.194.82"], 0.016, 56, resp=80000),
        site("mail.ru", ["217.69.139.200", "94.100.180.200"], 0.012, 57),
        site("imap.yandex.ru", ["77.88.21.125"], 0.011, 58, port=993, alpn=("imap",), resp=6000, style="firefox"),
        site("www.gosuslugi.ru", ["213.59.254.7"], 0.019, 55, resp=60000),
        site("www.avito.ru", ["146.158.48.2"], 0.013, 57, resp=90000),
        site("sso.kinopoisk.ru", ["213.180.204.242"], 0.012, 58),
        site("www.sberbank.ru", ["194.54.14.168"], 0.017, 56, resp=45000),
    ]
    run_bg(h, sites, [0.21, 1.05, 2.4, 5.6, 7.9, 12.3, 16.8, 21.4, 24.0])

    # control: same server IP, innocuous SNI, ~480 KB
    t = h.resolve(3.1374, CTL, [SRV]) + 0.0004
    fl = Flow(cap, rng, h.ip4, h.port(), SRV, 443, 0.047, s_ttl=50)
    c_start = t
    c_end = tls_session(fl, t, CTL, resp=486000, bw=28e6, ch_tag="ctl_ch", close=False)
    fl.close(c_end + 0.3512, appdata(rng, [19]), appdata(rng, [19]))
    c_bytes = fl.rcvd

    # the frozen download
    t = h.resolve(9.4183, THR, [SRV]) + 0.0004
    fl = Flow(cap, rng, h.ip4, h.port(), SRV, 443, 0.047, s_ttl=50)
    t = fl.handshake(t)
    ch = client_hello(rng, THR)
    t = fl.c_data(t + 0.0003, ch, tag="thr_ch")
    t = fl.s_data(t + fl.rtt + 0.0018, rec(0x16, server_hello(rng, ch_sid(ch))) + CCS + appdata(rng, [2291]))
    t = fl.c_data(t + 0.0011, CCS + appdata(rng, [53]) + appdata(rng, [91, 64]))
    last_ecr = fl.tsc[-1][1]
    body = appdata(rng, [241, 237, 187]) + appdata(rng, [16401] * 3)
    flight = body[:10 * fl.s_pay]
    fl.cwnd = 10
    t0 = t + fl.rtt + 0.0093
    seq0 = fl.sn
    fl.s_data(t0, flight, bw=28e6, tag="thr_data")
    total = fl.rcvd
    # from here on nothing the client sends reaches the server: the server keeps retransmitting
    # the first segment of the flight with exponential backoff, the client keeps dup-ACKing it.
    seg0 = flight[:fl.s_pay]
    tr = t0
    for k in range(6):
        tr += 0.254 * (2 ** k)
        o = [("NOP", None), ("NOP", None), ("Timestamp", ((fl.sts0 + int(tr * 1000)) & 0xFFFFFFFF, last_ecr))]
        fl.p(tr, False, "A", seq0, fl.sa, seg0, opts=o, tag="thr_rtx")
        fl.c_ack(tr + 0.000044, sack=(seq0, seq0 + len(seg0)), tag="thr_dup")
    tf = t0 + 20.0
    fl.c_data(tf, b"", fin=True, tag="thr_fin")
    for d in (0.252, 0.756, 1.764, 3.78):
        fl.p(tf + d, True, "FA", fl.cn - 1, fl.ca, tag="thr_fin")

    cap.finalize()
    dur = c_end - c_start  # SYN to last data segment
    about = (f"Two TLS connections from 192.168.8.100 to the same Hetzner address {SRV}:443. The control with SNI {CTL} "
             f"(ClientHello frame {cap.fr('ctl_ch')[0]}) receives {c_bytes // 1024} KB within {dur:.2f} s of its SYN. The download with SNI {THR} "
             f"(ClientHello frame {cap.fr('thr_ch')[0]}) stops after {total} bytes server-to-client (last new data in frame {cap.fr('thr_data')[-1]}): "
             f"from then on the server only retransmits the already-acknowledged segment at seq {seq0 - fl.sisn} (frames {fmt_frames(cap.fr('thr_rtx'))}) "
             f"although the client ACKs and D-SACKs it each time (frames {fmt_frames(cap.fr('thr_dup'))}), i.e. the client's packets no longer reach the server, "
             f"with no RST or FIN; the client gives up with unanswered FINs (frames {fmt_frames(cap.fr('thr_fin'))}). "
             "A THR-03 style freeze after ~16 KB on one connection while the same server delivers ~480 KB at full speed to an innocuous SNI.")
    return cap, {"expect": [{"mechanism": "throttling", "domain": THR}], "allow": [{"mechanism": "blackhole", "domain": THR}], "about": about}


# ----------------------------------------------------------------------------------------
# 2. RST-07: edge device resets copying the server's TTL, window 0, faster than the RTT
# ----------------------------------------------------------------------------------------
CN_SITES_2023 = [
    site("www.baidu.com", ["110.242.68.66", "110.242.68.3"], 0.028, 52, cname="www.a.shifen.com", resp=90000),
    site("www.qq.com", ["121.14.77.201"], 0.033, 53, resp=110000),
    site("www.bilibili.com", ["139.159.241.37"], 0.036, 51, resp=150000),
    site("www.zhihu.com", ["103.41.167.234"], 0.031, 52, resp=70000),
    site("www.jd.com", ["111.13.149.108"], 0.025, 54, resp=60000),
    site("www.apple.com.cn", ["23.57.87.198"], 0.041, 55, cname="www.apple.com.cn.edgekey.net", resp=50000),
    site("courier.push.apple.com", ["17.57.144.85"], 0.118, 47, port=5223, alpn=("apns-security-v3",), resp=900),
    site("gitee.com", ["212.64.63.190"], 0.034, 51, resp=40000),
]


def s2_edge_rst():
    rng = random.Random(91002)
    cap = Cap("b9p_edge_rst.pcap", epoch(2023, 5, 17, 13, 41, 10),
              [dict(lt="vlan", vlan=20, pcp=0, name="eth0", mac=mac("a8:a1:59:3e:02:c7"), gw=mac("50:64:2b:7d:11:e8"))], "pcap", ">", True)
    h = Host(cap, rng, ip4="192.168.31.105", res4="192.168.31.1", res_rtt=0.019, res_ttl=64, res_df=True, aaaa=True)
    run_bg(h, CN_SITES_2023, [0.3, 1.4, 2.9, 4.1, 9.6, 11.2, 13.0, 14.7])
    DOM = "theinitium.com"
    A4 = ["151.101.2.133", "151.101.66.133", "151.101.130.133", "151.101.194.133"]
    rtt = 0.168
    for k, t in enumerate([5.2461, 8.1127]):
        if k == 0:
            t = h.resolve(t, DOM, A4)
        fl = Flow(cap, rng, h.ip4, h.port(), A4[0], 443, rtt, s_ttl=51)
        t = fl.handshake(t + 0.0005, tag=f"syn{k}")
        ch = client_hello(rng, DOM)
        tch = t + 0.00028
        fl.c_data(tch, ch, tag=f"ch{k}")
        for j in range(2):
            fl.p(tch + 0.0061 + j * 0.000013, False, "RA", fl.sn, fl.cn, win=0, opts=[], ttl=51, ipid=0, df=True, tag=f"rst{k}")
        flight = rec(0x16, server_hello(rng, ch_sid(ch))) + CCS + appdata(rng, [rng.randrange(2700, 3300)])
        ta, sq = tch + rtt + 0.0016, fl.sn
        segs = chunks(flight, fl.s_pay)
        for j, seg in enumerate(segs):
            tj = ta + j * 0.00011
            fl.p(tj, False, "PA" if j == len(segs) - 1 else "A", sq, fl.cn, seg, tag=f"late{k}")
            fl.p(tj + 0.000031, True, "R", fl.cn, 0, win=0, opts=[], ipid=0, tag=f"crst{k}")
            sq += len(seg)
    cap.finalize()
    f = cap.fr
    about = (f"Two connections to {A4[0]}:443 for {DOM} (SYN/SYN-ACK RTT {rtt * 1000:.0f} ms, server TTL 51). After each ClientHello "
             f"(frames {f('ch0')[0]}, {f('ch1')[0]}) two RST+ACK arrive only 6 ms later (frames {fmt_frames(f('rst0') + f('rst1'))}), "
             "with TTL 51 exactly like the server's, IP ID 0, window 0 and no options, i.e. indistinguishable from a stack reset except by timing. "
             f"The genuine server's ServerHello flight still arrives one RTT later (frames {fmt_frames(f('late0') + f('late1'))}) and the client, "
             f"whose socket was already torn down, answers it with RSTs (frames {fmt_frames(f('crst0') + f('crst1'))}). The race proves the resets were forged "
             "on the path near the client (RST-07, 'GFW at the edge', copies TTL and uses win=0).")
    return cap, {"expect": [{"mechanism": "rst-injection", "domain": DOM}], "allow": [], "about": about}


# ----------------------------------------------------------------------------------------
# 3. DNS-06: Turkmenistan naive injector (A 127.0.0.1, TTL 300), genuine answer follows
# ----------------------------------------------------------------------------------------
def s3_tm_dns():
    rng = random.Random(91003)
    cap = Cap("b9p_tm_dns.pcap", epoch(2023, 3, 9, 6, 15, 30), [dict(lt="raw", name="wwan0")], "pcap", "<", True)
    h = Host(cap, rng, ip4="95.85.113.47", res4="8.8.8.8", res_rtt=0.094, res_ttl=116, res_df=False, aaaa=False)
    sites = [
        site("yandex.ru", ["77.88.55.242", "5.255.255.242"], 0.071, 54, resp=70000),
        site("mail.ru", ["217.69.139.200"], 0.069, 53),
        site("www.turkmenportal.com", ["95.85.116.70"], 0.009, 61, resp=90000),
        site("orient.tm", ["217.174.227.40"], 0.008, 60, resp=60000),
        site("www.google.com", ["142.250.185.100"], 0.092, 116, resp=40000),
        site("www.microsoft.com", ["23.45.229.137"], 0.052, 56, cname="www.microsoft.com-c-3.edgekey.net"),
        site("imap.mail.ru", ["217.69.139.74"], 0.07, 53, port=993, alpn=("imap",), style="firefox", resp=5000),
        site("www.gismeteo.ru", ["185.20.226.167"], 0.068, 54, resp=50000),
    ]
    run_bg(h, sites, [0.4, 1.7, 3.1, 6.2, 8.3, 11.0, 15.6, 19.2])
    cookie = rb(rng, 8)
    cases = [
        (4.0318, "twitter.com", [("twitter.com", 1, 1542, x) for x in ("104.244.42.1", "104.244.42.65", "104.244.42.129", "104.244.42.193")], True),
        (9.5573, "api.twitter.com", [("api.twitter.com", 5, 300, "tpop-api.twitter.com"), ("tpop-api.twitter.com", 1, 300, "104.244.42.66"), ("tpop-api.twitter.com", 1, 300, "104.244.42.194")], True),
        (13.2194, "abs.twimg.com", [("abs.twimg.com", 5, 2873, "cs196.wac.edgecastcdn.net"), ("cs196.wac.edgecastcdn.net", 1, 1781, "192.229.233.50")], False),
    ]
    for i, (t, qn, ans, inj) in enumerate(cases):
        sport, txid = h.port(), rng.getrandbits(16)
        q = dns_msg(txid, 0x0120, qn, 1, edns=1232, edns_opt=struct.pack(">HH", 10, 8) + cookie)
        h.udp(t, h.ip4, "8.8.8.8", sport, 53, q, True, tag=f"q{i}")
        gen = dns_msg(txid, 0x8180, qn, 1, ans, edns=512)
        tg = t + 0.0941 + i * 0.0013
        if inj:
            h.udp(t + 0.0068, "8.8.8.8", h.ip4, 53, sport, forged_dns(txid, qn, 1, "127.0.0.1", 300), False, ttl=58, ipid=0, df=False, tag=f"f{i}")
        late = bytes(mk_ip("8.8.8.8", h.ip4, 116, rng.getrandbits(16), False) / UDP(sport=53, dport=sport) / Raw(gen))
        cap.add(tg, IP(late), False, 0, f"g{i}")
        if inj:
            icmp_port_unreach(h, tg + 0.000021, late)
    cap.finalize()
    f = cap.fr
    about = (f"dig-style A queries (RD+AD, EDNS0 with cookie) to 8.8.8.8 for twitter.com (frame {f('q0')[0]}) and api.twitter.com (frame {f('q1')[0]}) "
             f"are each answered twice: first, 7 ms after the query, by a forged reply (frames {f('f0')[0]}, {f('f1')[0]}) with A 127.0.0.1, answer TTL 300, "
             "flags 0x8180, no EDNS OPT echoed although the query had one, IP TTL 58 and IP ID 0; then, one real RTT later, by the genuine Google answer "
             f"(frames {f('g0')[0]}, {f('g1')[0]}) with Twitter's 104.244.42.x addresses, IP TTL 116 and an OPT record, which hits the already closed socket (ICMP port "
             f"unreachable frames {fmt_frames(f('icmp'))}). abs.twimg.com (frame {f('q2')[0]}) gets only the genuine answer. This is the DNS-06 Turkmenistan *twitter.com* injector racing the resolver.")
    return cap, {"expect": [{"mechanism": "dns-injection", "domain": "twitter.com"}, {"mechanism": "dns-injection", "domain": "api.twitter.com"}],
                 "allow": [{"mechanism": "dns-tampering", "domain": "twitter.com"}, {"mechanism": "dns-tampering", "domain": "api.twitter.com"}], "about": about}


# ----------------------------------------------------------------------------------------
# 4. QUIC-01: SNI-based QUIC blocking over IPv6, same-server QUIC control, TCP fallback works
# ----------------------------------------------------------------------------------------
def quic_udp(h, t, out, payload, sport, srv, fl, tag=None, hl=52):
    if out:
        pkt = IPv6(src=h.ip6, dst=srv, hlim=64, fl=fl) / UDP(sport=sport, dport=443) / Raw(payload)
    else:
        pkt = IPv6(src=srv, dst=h.ip6, hlim=hl, fl=fl) / UDP(sport=443, dport=sport) / Raw(payload)
    h.cap.add(t, pkt, out, h.iface, tag)


def s4_quic_v6():
    rng = random.Random(91004)
    cap = Cap("b9p_quic_v6.pcapng", epoch(2024, 9, 12, 12, 3, 44),
              [dict(lt="eth", name="enp3s0", mac=mac("b4:2e:99:c1:07:5d"), gw=mac("9c:9d:7e:42:a0:13"), tsresol=6)], "pcapng")
    h = Host(cap, rng, ip4="192.168.1.7", ip6="2408:8207:2470:61d0:b84f:e3c2:5a17:9e04", res4="223.5.5.5", res6="2400:3200::1",
             res_rtt=0.011, res_ttl=56, res_df=False, aaaa=True)
    sites = [
        site("www.baidu.com", ["110.242.68.66"], 0.027, 52, aaaa=["240e:ff:e020:966:0:ff:b042:f296"], cname="www.a.shifen.com", v6=True, v6res=True, resp=90000),
        site("www.taobao.com", ["140.205.94.189"], 0.031, 51, aaaa=["240e:f7:a090:200:3::3f1"], v6=True, v6res=True, resp=120000),
        site("mirrors.tuna.tsinghua.edu.cn", ["101.6.15.130"], 0.038, 53, aaaa=["2402:f000:1:400::2"], v6=True, v6res=True, resp=240000),
        site("www.bilibili.com", ["139.159.241.37"], 0.035, 51, aaaa=["240e:e9:6002:1ac:0:ff:b07e:36c5"], v6=True, v6res=True, resp=150000),
        site("www.zhihu.com", ["103.41.167.234"], 0.031, 52, resp=70000),
        site("dns.alidns.com", ["223.5.5.5", "223.6.6.6"], 0.011, 56, port=853, alpn=("dot",), style="firefox", resp=2400),
        site("www.jd.com", ["111.13.149.108"], 0.025, 54, resp=60000),
        site("www.qq.com", ["121.14.77.201"], 0.033, 53, aaaa=["240e:97c:2f:3003::77"], v6=True, v6res=True, resp=110000),
    ]
    run_bg(h, sites, [0.2, 1.1, 3.3, 4.6, 9.4, 10.8, 12.5, 14.1])
    QSRV, CTL, BLK = "2606:4700:3031::ac43:8d2f", "static.szcdn-assets.com", "www.rfa-mirror.net"
    rtt, hl = 0.172, 52

    # --- control QUIC connection, same server address, innocuous SNI ---
    t = h.resolve(2.0427, CTL, ["172.67.141.47"], [QSRV], v6res=True) + 0.0006
    sport, flc, fls = h.port(49152, 65535), rng.getrandbits(20), rng.getrandbits(20)
    dcid, scid, scid_s = rb(rng, 8), rb(rng, 8), rb(rng, 8)
    ch = client_hello(rng, CTL, ("h3",), "quic", quic_tp(rng, scid))
    ck, sk = quic_keys(dcid, False), quic_keys(dcid, True)
    hc, hs = (rb(rng, 16), rb(rng, 12), rb(rng, 16)), (rb(rng, 16), rb(rng, 12), rb(rng, 16))
    quic_udp(h, t, True, quic_long(0, dcid, scid, 0, crypto_frame(0, ch), ck, total=1200), sport, QSRV, flc, "q_ctl_init")
    si = quic_long(0, scid, scid_s, 0, ack_frame(0, 7) + crypto_frame(0, server_hello(rng, b"")), sk)
    ts = t + rtt + 0.0024
    quic_udp(h, ts, False, si + quic_long(2, scid, scid_s, 0, rb(rng, 40), hs, total=1232 - len(si)), sport, QSRV, fls, "q_ctl_resp", hl)
    quic_udp(h, ts + 0.00041, False, quic_long(2, scid, scid_s, 1, rb(rng, 40), hs, total=1232), sport, QSRV, fls, "q_ctl_resp", hl)
    quic_udp(h, ts + 0.00079, False, quic_long(2, scid, scid_s, 2, rb(rng, 40), hs, total=611), sport, QSRV, fls, "q_ctl_resp", hl)
    hsc = quic_long(2, scid_s, scid, 0, rb(rng, 58), hc)
    tc = ts + 0.0019
    quic_udp(h, tc, True, quic_long(0, scid_s, scid, 1, ack_frame(0, 1), ck, total=1200 - len(hsc)) + hsc, sport, QSRV, flc)
    quic_udp(h, tc + 0.0002, True, quic_short(rng, scid_s, 72), sport, QSRV, flc)
    quic_udp(h, tc + 0.0004, True, quic_short(rng, scid_s, 163), sport, QSRV, flc)
    ta = tc + rtt + 0.006
    quic_udp(h, ta, False, quic_short(rng, scid, 214), sport, QSRV, fls, hl=hl)
    n, burst, k = 46, 10, 0
    while k < n:
        for j in range(min(burst, n - k)):
            ta += 0.00049
            quic_udp(h, ta, False, quic_short(rng, scid, 1232 if k < n - 1 else 517), sport, QSRV, fls, "q_ctl_data", hl)
            k += 1
            if k % 2 == 0 or k == n:
                quic_udp(h, ta + 0.00006, True, quic_short(rng, scid_s, 33), sport, QSRV, flc)
        burst *= 2
        ta += rtt * 0.8
    quic_udp(h, ta + 1.3, True, quic_short(rng, scid_s, 41), sport, QSRV, flc)

    # --- blocked SNI over QUIC: Initials never answered ---
    t = h.resolve(6.5761, BLK, ["172.67.141.47"], [QSRV], v6res=True) + 0.0005
    sport2, fl2 = h.port(49152, 65535), rng.getrandbits(20)
    dcid2, scid2 = rb(rng, 8), rb(rng, 8)
    ch2 = client_hello(rng, BLK, ("h3",), "quic", quic_tp(rng, scid2))
    ck2 = quic_keys(dcid2, False)
    for k, d in enumerate((0.0, 0.3, 0.9, 2.1)):
        fr = crypto_frame(0, ch2) + (b"\x01" if k else b"")
        quic_udp(h, t + d, True, quic_long(0, dcid2, scid2, k, fr, ck2, total=1200), sport2, QSRV, fl2, "q_blk")
    # --- TCP/TLS fallback for the same name and address works ---
    fl = Flow(cap, rng, h.ip6, h.port(), QSRV, 443, rtt, s_ttl=hl, s_mss=1380, s_synwin=65535, s_ws=13, s_win=8)
    tls_session(fl, t + 0.31, BLK, resp=85000, ch_tag="tcp_ch", idle=2.5)
    cap.finalize()
    f = cap.fr
    about = (f"Client 2408:8207:...:9e04 talks QUIC v1 to {QSRV} port 443 (UDP source ports above 443). With SNI {CTL} the Initial (frame {f('q_ctl_init')[0]}) "
             f"is answered one RTT ({rtt * 1000:.0f} ms) later by server Initial+Handshake datagrams (frames {fmt_frames(f('q_ctl_resp'))}) and the HTTP/3 transfer completes. "
             f"A few seconds later the Initial with SNI {BLK} to the same address (frames {fmt_frames(f('q_blk'))}: original and PTO retransmissions) gets no response at all, "
             f"while the TCP/TLS fallback for the same name and address (ClientHello frame {f('tcp_ch')[0]}) succeeds. "
             "Only the QUIC Initial carrying that SNI is dropped: GFW SNI-based QUIC blocking (QUIC-01), over IPv6.")
    return cap, {"expect": [{"mechanism": "blackhole", "domain": BLK}], "allow": [], "about": about}


# ----------------------------------------------------------------------------------------
# 5. Case file KakaoTalk/LINE (China, July 2014): injected DNS replies for LINE domains
# ----------------------------------------------------------------------------------------
def s5_line2014():
    rng = random.Random(91005)
    cap = Cap("b9p_line2014.pcapng", epoch(2014, 7, 3, 1, 12, 20),
              [dict(lt="eth", name="eth0", mac=mac("00:23:54:8a:3c:11"), gw=mac("c8:3a:35:0e:92:f8")),
               dict(lt="raw", name="wwan0")], "pcapng")
    h0 = Host(cap, rng, ip4="192.168.1.102", res4="8.8.8.8", res_rtt=0.0712, res_ttl=44, res_df=False, aaaa=False, iface=0)
    h1 = Host(cap, rng, ip4="10.186.44.201", res4="211.136.192.6", res_rtt=0.024, res_ttl=60, res_df=False, aaaa=False, iface=1)
    nb, na = _dt.datetime(2014, 1, 15, tzinfo=_dt.timezone.utc), _dt.datetime(2015, 1, 15, 23, 59, 59, tzinfo=_dt.timezone.utc)
    CO = ("COMODO ECC Domain Validation Secure Server CA 2", "COMODO CA Limited", "GB")
    SY = ("Symantec Class 3 ECC 256 bit SSL CA - G2", "Symantec Corporation", "US")

    def s14(name, a, rtt, ttl, ca, alts=(), **kw):
        return site(name, a, rtt, ttl, style="tls12", alpn=kw.pop("alpn", ("spdy/3.1", "http/1.1")), csyn=14600,
                    chain=cert_chain([name] + list(alts), ca, nb, na), **kw)

    eth_sites = [
        s14("github.com", ["192.30.252.130"], 0.212, 47, SY, ["www.github.com"], resp=60000),
        s14("mail.qq.com", ["14.17.42.40"], 0.031, 54, SY, resp=80000),
        s14("www.alipay.com", ["110.75.142.111"], 0.036, 52, SY, ["alipay.com"], resp=50000),
        s14("www.apple.com", ["23.213.160.15"], 0.058, 55, SY, ["apple.com"], cname="www.apple.com.edgekey.net", resp=70000),
        s14("login.taobao.com", ["140.205.230.3"], 0.034, 52, CO, resp=30000),
        s14("courier.push.apple.com", ["17.172.232.12"], 0.161, 46, SY, alpn=("apns-security-v2",), port=5223, resp=700),
        s14("passport.baidu.com", ["220.181.111.41"], 0.029, 53, CO, resp=25000),
    ]
    wwan_sites = [
        s14("api.weibo.com", ["180.149.135.176"], 0.046, 53, CO, resp=20000),
        s14("mail.163.com", ["123.58.180.8"], 0.041, 54, CO, resp=40000),
        s14("cn.bing.com", ["202.89.233.100"], 0.052, 112, SY, resp=60000),
    ]
    run_bg(h0, eth_sites, [0.3, 1.9, 3.4, 9.6, 12.1, 15.0, 22.7])
    run_bg(h1, wwan_sites, [2.6, 11.4, 20.3])
    # LINE: two injected answers race the genuine one from 8.8.8.8
    cases = [(6.0388, "gd2.line.naver.jp", [("37.61.54.158", 79, 236, 0x8180, False), ("8.7.198.45", 103, 60, 0x8580, True)], ["203.104.150.13"], 443),
             (16.4521, "line.naver.jp", [("46.82.174.68", 79, 236, 0x8180, False), ("93.46.8.89", 103, 60, 0x8580, True)], ["125.209.222.141"], 80)]
    for i, (t, qn, forged, real, port) in enumerate(cases):
        sport, txid = h0.port(), rng.getrandbits(16)
        h0.udp(t, h0.ip4, "8.8.8.8", sport, 53, dns_msg(txid, 0x0100, qn, 1), True, tag=f"q{i}")
        for j, (ip, ittl, attl, flags, df) in enumerate(forged):
            raw = bytes(mk_ip("8.8.8.8", h0.ip4, ittl, rng.getrandbits(16), df) / UDP(sport=53, dport=sport) / Raw(forged_dns(txid, qn, 1, ip, attl, flags)))
            tf = t + 0.0243 + j * 0.0015
            cap.add(tf, IP(raw), False, 0, f"f{i}")
            if j:
                icmp_port_unreach(h0, tf + 0.00002, raw)
        gen = dns_msg(txid, 0x8180, qn, 1, [(qn, 1, 1800, x) for x in real])
        raw = bytes(mk_ip("8.8.8.8", h0.ip4, 44, rng.getrandbits(16), False) / UDP(sport=53, dport=sport) / Raw(gen))
        tg = t + 0.0712
        cap.add(tg, IP(raw), False, 0, f"g{i}")
        icmp_port_unreach(h0, tg + 0.00002, raw)
        # the client takes the first (forged) answer and gets nowhere
        fl = Flow(cap, rng, h0.ip4, h0.port(), forged[0][0], port, 0.2, c_synwin=14600)
        for d in (0.0, 1.0, 3.0, 7.0):
            fl.syn(t + 0.0247 + d, tag=f"syn{i}")
    cap.finalize()
    f = cap.fr
    about = ("LINE lookups from 192.168.1.102 (eth0) to 8.8.8.8 in July 2014: the A query for gd2.line.naver.jp "
             f"(frame {f('q0')[0]}) gets two forged answers 24-26 ms later (frames {fmt_frames(f('f0'))}: 37.61.54.158 and 8.7.198.45, different IP TTLs 79/103, "
             f"answer TTLs 236/60, one with the AA bit) before the genuine answer 203.104.150.13 arrives at 71 ms (frame {f('g0')[0]}); the same for line.naver.jp "
             f"(query {f('q1')[0]}, forged {fmt_frames(f('f1'))}: 46.82.174.68 and 93.46.8.89, genuine {f('g1')[0]}). All four forged addresses are classic GFW "
             f"lie IPs. The client uses the first answer and its SYNs to the forged addresses go unanswered (frames {fmt_frames(f('syn0') + f('syn1'))}). "
             "Citizen Lab (2014) found injected DNS replies to be the primary mechanism behind the LINE/KakaoTalk disruption.")
    return cap, {"expect": [{"mechanism": "dns-injection", "domain": "gd2.line.naver.jp"}, {"mechanism": "dns-injection", "domain": "line.naver.jp"}],
                 "allow": [{"mechanism": "dns-tampering", "domain": "gd2.line.naver.jp"}, {"mechanism": "dns-tampering", "domain": "line.naver.jp"},
                           {"mechanism": "blackhole", "domain": "gd2.line.naver.jp"}, {"mechanism": "blackhole", "domain": "line.naver.jp"}], "about": about}


# ----------------------------------------------------------------------------------------
# 6. Case file Clubhouse (China, 2021-02-08): GFW type II resets on the SNI
# ----------------------------------------------------------------------------------------
def s6_clubhouse():
    rng = random.Random(91006)
    cap = Cap("b9p_clubhouse.pcap", epoch(2021, 2, 8, 12, 18, 3),
              [dict(lt="sll2", name="any", ifindex=3, mac=mac("dc:a6:32:4b:90:1e"), gw=mac("14:75:90:c3:5e:02"))], "pcap", ">", False)
    h = Host(cap, rng, ip4="192.168.0.104", res4="223.5.5.5", res_rtt=0.0094, res_ttl=116, res_df=False, aaaa=True)
    CF = dict(mss=1400, synwin=65535, ws=13, win=8)
    CF1, CF2 = "104.18.26.218", "104.18.27.218"
    sites = [
        site("pypi.org", ["151.101.0.223", "151.101.64.223"], 0.163, 50, resp=40000),
        site("files.pythonhosted.org", ["151.101.109.63"], 0.161, 50, resp=260000),
        site("www.baidu.com", ["110.242.68.66"], 0.028, 52, cname="www.a.shifen.com", resp=90000),
        site("www.zhihu.com", ["103.41.167.234"], 0.031, 52, resp=70000),
        site("api.agora.io", ["47.74.211.17"], 0.071, 48, resp=4000),
        site("clubhouse.pubnub.com", ["54.249.82.171"], 0.096, 41, resp=3000, alpn=("http/1.1",), style="firefox"),
        site("www.bilibili.com", ["139.159.241.37"], 0.035, 51, resp=150000),
        site("www.notion.so", [CF1, CF2], 0.178, 53, resp=180000, **CF),
    ]
    run_bg(h, sites, [0.2, 1.3, 3.9, 5.1, 12.6, 13.4, 15.8, 6.2])
    DOM = "www.clubhouseapi.com"
    for k, (t, ip) in enumerate([(9.0716, CF1), (13.9443, CF2)]):
        t = h.resolve(t, DOM, [CF1, CF2] if k == 0 else [CF2, CF1]) + 0.0007
        fl = Flow(cap, rng, h.ip4, h.port(), ip, 443, 0.178, s_ttl=53, s_mss=1400, s_synwin=65535, s_ws=13, s_win=8)
        t = fl.handshake(t, tag=f"syn{k}")
        tch = t + 0.0006
        fl.c_data(tch, client_hello(rng, DOM, ("http/1.1",), "firefox"), tag=f"ch{k}")
        ipid, win = 0x00A3 + rng.randrange(0xFD00), rng.randrange(1000, 4000)
        for j in range(3):
            fl.p(tch + 0.0194 + j * 0.000011, False, "RA", fl.sn, fl.cn, win=win, opts=[], ttl=97 + j, ipid=ipid, df=True, tag=f"rst{k}")
    cap.finalize()
    f = cap.fr
    about = (f"Linux host 192.168.0.104 (capture on 'any', SLL2) running a Clubhouse API client on 2021-02-08 ~20:18 CST. {DOM} resolves normally to Cloudflare "
             f"{CF1}/{CF2}; both TCP handshakes complete (RTT 178 ms, server TTL 53) but 19 ms after each ClientHello with SNI {DOM} (frames {f('ch0')[0]}, {f('ch1')[0]}) "
             f"come three RST+ACK that are identical except TTL 97/98/99, DF set, same IP ID, non-zero window, no TCP options (frames {fmt_frames(f('rst0') + f('rst1'))}): "
             f"GFW type II resets, far faster than the RTT and with TTLs unlike the server's. A www.notion.so session to the same address {CF1} earlier in the capture "
             "completes normally. This is the 'SSL error' users saw: SNI-triggered reset injection (RST-03).")
    return cap, {"expect": [{"mechanism": "rst-injection", "domain": DOM}], "allow": [], "about": about}


# ----------------------------------------------------------------------------------------
# 7. DNS-04: poisoned answer (GFW lie IP), the GFW completes the handshake and resets the ClientHello
# ----------------------------------------------------------------------------------------
def s7_poison_handshake():
    rng = random.Random(91007)
    cap = Cap("b9p_gfw_poison_hs.pcapng", epoch(2020, 11, 21, 3, 30, 12), [dict(lt="raw", name="wwan0", tsresol=9)], "pcapng")
    h = Host(cap, rng, ip4="10.47.192.18", res4="211.136.192.6", res_rtt=0.0131, res_ttl=59, res_df=False, aaaa=False)
    sites = [
        site("www.baidu.com", ["110.242.68.66"], 0.031, 52, cname="www.a.shifen.com", resp=90000),
        site("www.taobao.com", ["140.205.94.189"], 0.034, 51, resp=120000),
        site("m.weibo.cn", ["123.125.22.241"], 0.037, 53, resp=60000),
        site("www.douyin.com", ["122.14.229.127"], 0.029, 52, resp=80000),
        site("www.163.com", ["59.111.160.244"], 0.036, 53, resp=70000),
        site("www.mi.com", ["111.13.141.211"], 0.024, 54, resp=50000),
        site("apple.com.cn", ["17.253.144.10"], 0.041, 55, resp=20000),
    ]
    run_bg(h, sites, [0.5, 1.8, 3.0, 7.6, 9.9, 12.2, 14.0])
    DOM, POISON = "www.facebook.com", "93.46.8.89"
    t_dns = h.resolve(5.0632, DOM, [POISON], ttl=193, qtag="q", rtag="ans")
    for k, t in enumerate([t_dns + 0.0003, t_dns + 1.21]):
        fl = Flow(cap, rng, h.ip4, h.port(), POISON, 443, 0.0114, ts=False, s_ttl=46, s_ws=7, s_synwin=29200, synack_id0=False)
        fl.syn(t, tag=f"syn{k}")
        fl.synack(t + 0.0114, tag=f"synack{k}", ipid=rng.getrandbits(16))
        fl.cn, fl.sn = fl.cisn + 1, fl.sisn + 1
        fl.ca, fl.sa = fl.sn, fl.cn
        fl.p(t + 0.01146, True, "A", fl.cn, fl.ca, win=502)
        tch = t + 0.0118
        fl.c_data(tch, client_hello(rng, DOM), tag=f"ch{k}")
        fl.p(tch + 0.0089, False, "R", fl.sn, 0, win=rng.randrange(1500, 9000), opts=[], ttl=47, ipid=0, df=False, tag=f"rst{k}")
        ipid, win = rng.randrange(0xA3, 0xFE5F), rng.randrange(1000, 4000)
        for j in range(3):
            fl.p(tch + 0.0093 + j * 0.000012, False, "RA", fl.sn, fl.cn, win=win, opts=[], ttl=43 + j, ipid=ipid, df=True, tag=f"rst{k}")
    cap.finalize()
    f = cap.fr
    about = (f"The China Mobile resolver 211.136.192.6 answers the A query for {DOM} (frame {f('q')[0]}) with a single record {POISON} (frame {f('ans')[0]}), "
             f"a documented GFW poison address (Fastweb, Italy), not a Facebook address. The client connects to it: the SYN/ACK comes back in 11 ms "
             f"(frames {fmt_frames(f('synack0') + f('synack1'))}), impossible for a host in Italy, because the GFW itself answers the handshake (DNS-04); "
             f"the ClientHellos (frames {f('ch0')[0]}, {f('ch1')[0]}) are then answered by one type I RST and three type II RST+ACK with varying TTLs "
             f"(frames {fmt_frames(f('rst0') + f('rst1'))}). The completed handshake does not validate the DNS answer; the primary finding is the poisoned DNS reply.")
    return cap, {"expect": [{"mechanism": "dns-tampering", "domain": DOM}],
                 "allow": [{"mechanism": "dns-injection", "domain": DOM}, {"mechanism": "rst-injection", "domain": DOM}], "about": about}


# ----------------------------------------------------------------------------------------
# 8. HTTP-01: Iranian block page injected on plain HTTP over IPv6, genuine response races it
# ----------------------------------------------------------------------------------------
def s8_iran_v6():
    rng = random.Random(91008)
    base = epoch(2022, 10, 4, 15, 47, 21)
    cap = Cap("b9p_ir_v6_blockpage.pcap", base,
              [dict(lt="vlan", vlan=101, pcp=0, name="eth0", mac=mac("f4:8c:50:2d:e1:77"), gw=mac("48:8f:5a:19:6c:b2"))], "pcap", "<", False)
    h = Host(cap, rng, ip4="192.168.88.23", ip6="2a01:5ec0:5803:9f1b:3d2e:81a4:6c0f:22d9", res4="192.168.88.1", res6="2a01:5ec0:5803:9f1b::1",
             res_rtt=0.031, res_ttl=64, res_df=True, aaaa=True)
    sites = [
        site("www.google.com", ["142.250.185.100"], 0.098, 117, aaaa=["2a00:1450:4001:82b::2004"], v6=True, v6res=True, resp=50000),
        site("www.wikipedia.org", ["185.15.58.224"], 0.109, 51, aaaa=["2a02:ec80:300:ed1a::1"], v6=True, v6res=True, resp=60000),
        site("www.cloudflare.com", ["104.16.124.96"], 0.087, 55, aaaa=["2606:4700::6810:7b60"], v6=True, v6res=True, resp=90000, mss=1380, synwin=65535, ws=13, win=8),
        site("imap.gmail.com", ["142.250.110.108"], 0.099, 117, aaaa=["2a00:1450:400c:c06::6c"], v6=True, v6res=True, port=993, alpn=("imap",), style="firefox", resp=6000),
        site("www.digikala.com", ["185.147.178.11"], 0.012, 58, resp=140000, style="firefox"),
        site("www.aparat.com", ["185.211.58.213"], 0.014, 57, resp=90000, style="firefox"),
        site("divar.ir", ["185.143.233.120"], 0.011, 58, resp=70000, style="firefox"),
        site("eitaa.com", ["185.143.232.253"], 0.013, 58, resp=30000, style="firefox"),
    ]
    run_bg(h, sites, [0.3, 1.6, 3.2, 4.4, 8.8, 10.5, 12.3, 14.2])
    DOM, SRV = "www.bbc.com", "2a04:4e42:600::81"
    t = h.resolve(6.0284, DOM, ["151.101.0.81", "151.101.64.81"], [SRV, "2a04:4e42::81"], cname="bbc.map.fastly.net", v6res=True) + 0.0005
    rtt = 0.094
    fl = Flow(cap, rng, h.ip6, h.port(), SRV, 80, rtt, s_ttl=55, s_synwin=65535, s_ws=9, s_win=128)
    t = fl.handshake(t)
    get = ("GET / HTTP/1.1\r\nHost: www.bbc.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:105.0) Gecko/20100101 Firefox/105.0\r\n"
           "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\n"
           "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()
    tg = t + 0.00041
    fl.c_data(tg, get, tag="get")
    s0 = fl.sn
    block = (b"HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n"
             b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><title>M1-6\r\n</title></head><body>'
             b'<iframe src="http://[d0:0:0:0:0:0:0:11:80]" style="width: 100%; height: 100%" scrolling="no" marginwidth="0" marginheight="0" '
             b'frameborder="0" vspace="0" hspace="0"></iframe></body></html>\r\n\r\n')
    ti = tg + 0.0042
    fl.p(ti, False, "FPA", s0, fl.cn, block, win=8192, opts=[], ttl=61, tag="inj")
    fl.ca = s0 + len(block) + 1
    fl.rcvd += len(block)
    fl.c_ack(ti + 0.000043)
    tfin = ti + 0.00093
    fl.c_data(tfin, b"", fin=True, tag="cfin")
    date = _dt.datetime.fromtimestamp(base + int(tg + rtt / 2), _dt.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
    real = ("HTTP/1.1 301 Moved Permanently\r\nConnection: keep-alive\r\nContent-Length: 0\r\nServer: Varnish\r\nRetry-After: 0\r\n"
            "Location: https://www.bbc.com/\r\nAccept-Ranges: bytes\r\nDate: " + date + "\r\nVia: 1.1 varnish\r\nX-Served-By: cache-fra-eddf8230061-FRA\r\n"
            "X-Cache: HIT\r\nX-Cache-Hits: 0\r\nStrict-Transport-Security: max-age=0\r\nVary: Accept-Encoding\r\n\r\n").encode()
    tr = tg + rtt + 0.00035
    fl.p(tr, False, "PA", s0, fl.sa - 1, real, tag="real")
    fl.c_ack(tr + 0.000038, sack=(s0, s0 + len(real)), tag="dup")
    # the server sees ACKs for data it never sent: it answers with bare ACKs and later retransmits its 301
    fl.p(ti + rtt + 0.0001, False, "A", s0 + len(real), fl.sa - 1, tag="srv_ack")
    fl.p(tfin + rtt + 0.0001, False, "A", s0 + len(real), fl.sa - 1, tag="srv_ack")
    fl.p(tr + 0.302, False, "PA", s0, fl.sa - 1, real, tag="real_rtx")
    fl.c_ack(tr + 0.302 + 0.00004, sack=(s0, s0 + len(real)), tag="dup")
    for d in (0.296, 0.888):
        fl.p(tfin + d, True, "FA", fl.cn - 1, fl.ca, tag="cfin")
        fl.p(tfin + d + rtt + 0.0001, False, "A", s0 + len(real), fl.sa - 1, tag="srv_ack")
    cap.finalize()
    f = cap.fr
    about = (f"Plain-HTTP GET for {DOM} over IPv6 to [{SRV}]:80 (frame {f('get')[0]}, handshake RTT {rtt * 1000:.0f} ms, server hop limit 55). "
             f"4 ms later a response arrives from the server's address (frame {f('inj')[0]}): HTTP 403 with FIN, hop limit 61, no TCP options, "
             "whose body is the Iranian national block page (<title>M1-6, iframe src=\"http://[d0:0:0:0:0:0:0:11:80]\"). "
             f"The genuine Fastly/Varnish 301 arrives a full RTT later at the very same sequence number (frame {f('real')[0]}, retransmitted in {f('real_rtx')[0]}) and the client "
             f"D-SACKs it as old data (frames {fmt_frames(f('dup'))}). Injected block page racing the real server (HTTP-01).")
    return cap, {"expect": [{"mechanism": "blockpage", "domain": DOM}], "allow": [{"mechanism": "packet-injection", "domain": DOM}], "about": about}


# ----------------------------------------------------------------------------------------
def main(argv):
    if len(argv) != 2:
        print("usage: python blind9_positive.py OUTDIR", file=sys.stderr)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for fn in (s1_throttle, s2_edge_rst, s3_tm_dns, s4_quic_v6, s5_line2014, s6_clubhouse, s7_poison_handshake, s8_iran_v6):
        cap, e = fn()
        cap.write(outdir)
        expect[cap.fname] = e
        print(f"{cap.fname}: {len(cap.pk)} packets")
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
