#!/usr/bin/env python3
# ruff: noqa: E501, B023, B905, RUF015, RUF046, RUF059, UP017
"""Blind test set 9b: eight BENIGN captures that look like censorship to a naive tool.

usage: python blind9_benign.py OUTDIR

Deterministic: every random value comes from a seeded random.Random, timestamps are
fixed integers (ns), certificates use fixed EC scalars and deterministic ECDSA.
"""
import datetime
import hashlib
import hmac
import ipaddress
import json
import os
import random
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.packet import Raw

# ----------------------------------------------------------------------------
# capture writer (pcap LE/BE, usec/nsec; pcapng with several interfaces)
# ----------------------------------------------------------------------------
LT = {"en10mb": 1, "raw": 101, "sll": 113, "sll2": 276}


class Iface:
    def __init__(self, link, name="eth0", tsresol=6, macs=None, gw=None, vlan=None,
                 local=(), ifindex=2, arphrd=1, snaplen=262144, pad=None):
        self.link, self.name, self.tsresol = link, name, tsresol
        self.pad = pad  # which Ethernet frames arrive from the wire padded to 60 bytes: "from_gw", "from_hosts", "all"
        self.macs = macs or {}
        self.gw = gw
        self.vlan = vlan
        self.local = set(local)
        self.ifindex, self.arphrd, self.snaplen = ifindex, arphrd, snaplen


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


class Cap:
    def __init__(self, fmt, ifaces, seed):
        self.fmt = fmt  # ("pcap", "<"|">", 6|9) or ("pcapng",)
        self.ifaces = ifaces
        self.items = []
        self.rng = random.Random(seed)
        self.marks = {}

    def emit(self, t, ipb, ifidx=0):
        ifc = self.ifaces[ifidx]
        v6 = (ipb[0] >> 4) == 6
        if v6:
            src, dst = ipb[8:24], ipb[24:40]
            src, dst = str(ipaddress.IPv6Address(src)), str(ipaddress.IPv6Address(dst))
        else:
            src, dst = ".".join(map(str, ipb[12:16])), ".".join(map(str, ipb[16:20]))
        et = b"\x86\xdd" if v6 else b"\x08\x00"
        if ifc.link == "en10mb":
            smac, dmac = ifc.macs.get(src, ifc.gw), ifc.macs.get(dst, ifc.gw)
            hdr = mac(dmac) + mac(smac)
            if ifc.vlan is not None:
                hdr += b"\x81\x00" + struct.pack("!H", ifc.vlan)
            fr = hdr + et + ipb
            if len(fr) < 60 and (ifc.pad == "all" or (ifc.pad == "from_gw" and smac == ifc.gw) or (ifc.pad == "from_hosts" and smac != ifc.gw)):
                fr += b"\x00" * (60 - len(fr))
        elif ifc.link in ("sll", "sll2"):
            out = src in ifc.local
            ptype = 4 if out else 0
            if ifc.arphrd == 1:
                a = mac(ifc.macs.get(src, ifc.gw))
            else:
                a = b""
            addr = a + b"\x00" * (8 - len(a))
            if ifc.link == "sll":
                fr = struct.pack("!HHH", ptype, ifc.arphrd, len(a)) + addr + et + ipb
            else:
                fr = et + b"\x00\x00" + struct.pack("!IHBB", ifc.ifindex, ifc.arphrd, ptype, len(a)) + addr + ipb
        else:
            fr = ipb
        ts = int(round(t * 1e9))
        h = len(self.items)
        self.items.append((ts, h, ifidx, fr))
        return h

    def finalize(self):
        self.items.sort(key=lambda x: (x[0], x[1]))
        self.fno = {it[1]: i + 1 for i, it in enumerate(self.items)}

    def f(self, h):
        return self.fno[h]

    def write(self, path):
        self.finalize()
        out = bytearray()
        if self.fmt[0] == "pcap":
            _, e, res = self.fmt
            magic = 0xA1B2C3D4 if res == 6 else 0xA1B23C4D
            ifc = self.ifaces[0]
            out += struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, ifc.snaplen, LT[ifc.link])
            for ts, _h, _i, fr in self.items:
                sec, ns = divmod(ts, 1_000_000_000)
                sub = ns // 1000 if res == 6 else ns
                out += struct.pack(e + "IIII", sec, sub, len(fr), len(fr)) + fr
        else:
            def opt(code, val):
                return struct.pack("<HH", code, len(val)) + val + b"\x00" * (-len(val) % 4)

            def block(bt, body):
                ln = 12 + len(body)
                return struct.pack("<II", bt, ln) + body + struct.pack("<I", ln)
            shbo = opt(2, b"x86_64") + opt(3, b"Linux 6.1.0-26-amd64") + opt(4, b"Dumpcap (Wireshark) 4.0.17 (Git v4.0.17 packaged as 4.0.17-0+deb12u1)") + b"\x00\x00\x00\x00"
            out += block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + shbo)
            for ifc in self.ifaces:
                o = opt(2, ifc.name.encode()) + opt(9, bytes([ifc.tsresol])) + opt(12, b"Linux 6.1.0-26-amd64") + b"\x00\x00\x00\x00"
                out += block(1, struct.pack("<HHI", LT[ifc.link], 0, ifc.snaplen) + o)
            for ts, _h, i, fr in self.items:
                tsv = ts // 1000 if self.ifaces[i].tsresol == 6 else ts
                body = struct.pack("<IIIII", i, tsv >> 32, tsv & 0xFFFFFFFF, len(fr), len(fr)) + fr + b"\x00" * (-len(fr) % 4)
                out += block(6, body)
        with open(path, "wb") as fh:
            fh.write(bytes(out))


# ----------------------------------------------------------------------------
# IP / UDP / TCP helpers
# ----------------------------------------------------------------------------
def ipl(src, dst, l4, ttl, ipid=0, df=True, fl=0, tos=0):
    if ":" in src:
        return bytes(IPv6(src=src, dst=dst, hlim=ttl, fl=fl, tc=tos) / l4)
    return bytes(IP(src=src, dst=dst, ttl=ttl, id=ipid & 0xFFFF, flags="DF" if df else 0, tos=tos) / l4)


class Host:
    """An IP endpoint: observed TTL at the capture point and its IP ID generator."""

    def __init__(self, ip, ttl, rng, idmode="inc"):
        self.ip, self.ttl, self.idmode = ip, ttl, idmode
        self.rng = rng
        self.id = rng.randrange(1, 65535)

    def next_id(self):
        if self.idmode == "zero":
            return 0
        if self.idmode == "rand":
            return self.rng.randrange(1, 65535)
        self.id = (self.id + 1) & 0xFFFF
        return self.id


def udp(cap, t, a, b, sport, dport, payload, ipid=None, df=True, ttl=None, iface=0, fl=0):
    l4 = UDP(sport=sport, dport=dport) / Raw(payload)
    return cap.emit(t, ipl(a.ip, b.ip, l4, a.ttl if ttl is None else ttl, a.next_id() if ipid is None else ipid, df, fl), iface)


def syn_opts(kind, tsval=0, mss=1460, ws=7, tfo=None):
    if kind == "linux":
        o = [("MSS", mss), ("SAckOK", b""), ("Timestamp", (tsval, 0)), ("NOP", None), ("WScale", ws)]
        if tfo is not None:
            o += [(34, tfo), ("NOP", None), ("NOP", None)]
        return o
    if kind == "windows":
        return [("MSS", mss), ("NOP", None), ("WScale", ws), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
    if kind == "linux_nots":  # Linux SYN/ACK to a SYN without timestamps (e.g. from Windows)
        return [("MSS", mss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", ws)]
    if kind == "nmap":
        return [("MSS", 1460)]
    raise ValueError(kind)


class Tcp:
    """One TCP connection seen from a capture point near the client."""

    def __init__(self, cap, c, s, sport, dport, rng, *, cwin=502, swin=501, ts=True, iface=0, fl_c=0, fl_s=0, hostid=()):
        self.hostid = set(hostid)  # sides whose IP ID comes from a host-global counter (Windows)
        self.cap, self.h, self.iface, self.ts = cap, {"c": c, "s": s}, iface, ts
        self.port = {"c": sport, "s": dport}
        self.nxt = {"c": rng.getrandbits(32), "s": rng.getrandbits(32)}
        self.isn = dict(self.nxt)
        self.tsv0 = {"c": rng.getrandbits(32), "s": rng.getrandbits(32)}
        self.last_tsv = {"c": 0, "s": 0}
        self.win = {"c": cwin, "s": swin}
        self.fl = {"c": fl_c, "s": fl_s}
        self.ipid = {"c": rng.randrange(1, 65535), "s": rng.randrange(1, 65535)}

    def tsval(self, side, t):
        return (self.tsv0[side] + int(t * 1000)) & 0xFFFFFFFF

    def send(self, t, side, flags="A", data=b"", *, seq=None, ack=None, win=None, opts=None,
             ttl=None, ipid=None, df=True, dport=None):
        o = "s" if side == "c" else "c"
        seq = self.nxt[side] if seq is None else seq
        if ack is None:
            ack = self.nxt[o] if "A" in flags else 0
        tv = self.tsval(side, t)
        if opts is None:
            opts = [("NOP", None), ("NOP", None), ("Timestamp", (tv, self.last_tsv[o]))] if self.ts else []
        elif opts == "none":
            opts = []
        if any(x[0] == "Timestamp" for x in opts if isinstance(x[0], str)):
            self.last_tsv[side] = tv
        l4 = TCP(sport=self.port[side], dport=self.port[o] if dport is None else dport, seq=seq & 0xFFFFFFFF,
                 ack=ack & 0xFFFFFFFF, flags=flags, window=self.win[side] if win is None else win, options=opts)
        if data:
            l4 = l4 / Raw(data)
        hst = self.h[side]
        if ipid is None and side in self.hostid:
            ipid = hst.next_id()
        elif ipid is None:
            self.ipid[side] = (self.ipid[side] + 1) & 0xFFFF
            ipid = self.ipid[side]
        hd = self.cap.emit(t, ipl(hst.ip, self.h[o].ip, l4, hst.ttl if ttl is None else ttl, ipid, df, self.fl[side]), self.iface)
        end = (seq + len(data) + ("S" in flags) + ("F" in flags)) & 0xFFFFFFFF
        if ((end - self.nxt[side]) & 0xFFFFFFFF) < 0x80000000:
            self.nxt[side] = end
        return hd

    def connect(self, t, rtt, kind="linux", skind="linux", cmss=1460, smss=1460, cws=7, sws=9,
                syn_data=b"", tfo=None, synack_tfo=None, accept_data=True, synwin=None, ssynwin=None):
        tv = self.tsval("c", t)
        h1 = self.send(t, "c", "S", syn_data, ack=0, win=synwin or (64240 if cmss == 1460 else 64800),
                       opts=syn_opts(kind, tv, cmss, cws, tfo))
        if syn_data and not accept_data:
            self.nxt["c"] = (self.isn["c"] + 1) & 0xFFFFFFFF
        sv = self.tsval("s", t + rtt)
        o = syn_opts(skind, sv, smss, sws, synack_tfo)
        if skind == "linux":
            o[2] = ("Timestamp", (sv, tv))
        t2 = t + rtt
        h2 = self.send(t2, "s", "SA", ack=self.nxt["c"], win=ssynwin or 65160, opts=o, ipid=0 if skind.startswith("linux") else None)
        self.last_tsv["s"] = sv
        h3 = self.send(t2 + 0.000071, "c", "A")
        return h1, h2, h3, t2 + 0.000071

    def bulk(self, t, side, data, *, rtt, mss=1448, cwnd=10, rate=None, rwnd=None, ack_every=2,
             stalls=(), ttl_change=None, maxcwnd=400, acks=True):
        """Transfer data from side to the other; capture at the receiver (side='s').
        Returns time of last ACK."""
        o = "s" if side == "c" else "c"
        base = self.nxt[side]
        segs, off = [], 0
        while off < len(data):
            segs.append((off, data[off:off + mss]))
            off += mss
        prev = t
        cw = cwnd * mss
        ack_events = [(t - rtt, 0, cw)]  # (time ack sent, bytes acked, cwnd once the server has it)
        stall_map = dict(stalls)
        unacked, ai = 0, 0
        events = []
        for i, (off, chunk) in enumerate(segs):
            end = off + len(chunk)
            tt = prev + (len(chunk) + 52) * 8 / (rate or 250e6)

            def ok(ev):
                return ev[1] >= end - (min(ev[2], rwnd) if rwnd else ev[2])
            while ai < len(ack_events) - 1 and not ok(ack_events[ai]):
                ai += 1
            tt = max(tt, ack_events[ai][0] + rtt)
            for so, pause in stall_map.items():
                if off <= so < end:
                    tt += pause
            if i == 0:
                tt = t
            prev = tt
            events.append((tt, 0, off, chunk))
            unacked += 1
            last = i == len(segs) - 1
            if acks and (unacked >= ack_every or last):
                at = tt + (0.000045 if not last else 0.0004)
                cw = min(cw + unacked * mss, maxcwnd * mss)
                ack_events.append((at, end, cw))
                events.append((at, 1, end, None))
                unacked = 0
        events.sort(key=lambda e: (e[0], e[1]))
        last_t = t
        ttl = self.h[side].ttl
        for et, kind, off, chunk in events:
            if kind == 0:
                if ttl_change and off >= ttl_change[0] and ttl != ttl_change[1]:
                    ttl = ttl_change[1]
                    self.ttl_change_t = et
                self.send(et, side, "PA" if off + len(chunk) == len(data) or (off // mss) % 44 == 43 else "A", chunk, seq=base + off, ttl=ttl)
            else:
                self.send(et, o, "A", ack=base + off, win=(rwnd >> 7) if (rwnd and o == "c") else None)
            last_t = et
        self.nxt[side] = (base + len(data)) & 0xFFFFFFFF
        self.h[side].ttl = ttl
        return last_t


# ----------------------------------------------------------------------------
# DNS (with name compression)
# ----------------------------------------------------------------------------
QT = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "AAAA": 28, "HTTPS": 65}


def dns_msg(txid, flags, qname, qtype, an=(), ns=(), edns=True, do=False):
    out = bytearray(struct.pack("!HHHHHH", txid, flags, 1, len(an), len(ns), 1 if edns else 0))
    comp = {}

    def name(n):
        labels = n.rstrip(".").split(".")
        b = bytearray()
        for i in range(len(labels)):
            suf = ".".join(labels[i:]).lower()
            if suf in comp:
                b += struct.pack("!H", 0xC000 | comp[suf])
                return bytes(b)
            if len(out) + len(b) < 0x3FFF:
                comp[suf] = len(out) + len(b)
            lab = labels[i].encode()
            b += bytes([len(lab)]) + lab
        return bytes(b + b"\x00")
    out += name(qname) + struct.pack("!HH", QT[qtype], 1)
    for sect in (an, ns):
        for rn, rt, ttl, rd in sect:
            out += name(rn) + struct.pack("!HHI", QT[rt], 1, ttl)
            pos = len(out)
            out += b"\x00\x00"
            if rt == "A":
                rdb = ipaddress.IPv4Address(rd).packed
            elif rt == "AAAA":
                rdb = ipaddress.IPv6Address(rd).packed
            elif rt in ("CNAME", "PTR", "NS"):
                out += name(rd)
                rdb = None
            elif rt == "SOA":
                mname, rname, serial = rd
                out += name(mname)
                out += name(rname)
                rdb = struct.pack("!IIIII", serial, 1800, 900, 604800, 60)
                out += rdb
                rdb = None
            if rdb is not None:
                out += rdb
            struct.pack_into("!H", out, pos, len(out) - pos - 2)
    if edns:
        out += b"\x00" + struct.pack("!HHBBHH", 41, 1232, 0, 0, 0x8000 if do else 0, 0)
    return bytes(out)


def dns_q(txid, qname, qtype, edns=True):
    return dns_msg(txid, 0x0100, qname, qtype, edns=edns)


def lookup(cap, t, cli, res, sport, txid, qname, qtype, an, rtt, ns=(), flags=0x8180, iface=0, edns=True):
    h1 = udp(cap, t, cli, res, sport, 53, dns_q(txid, qname, qtype, edns), iface=iface)
    h2 = udp(cap, t + rtt, res, cli, 53, sport, dns_msg(txid, flags, qname, qtype, an, ns, edns=edns), iface=iface)
    return h1, h2


# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------
def u8(x):
    return bytes([x])


def u16(x):
    return struct.pack("!H", x)


def u24(x):
    return struct.pack("!I", x)[1:]


def v8(b):
    return u8(len(b)) + b


def v16(b):
    return u16(len(b)) + b


def v24(b):
    return u24(len(b)) + b


def ext(t, body=b""):
    return u16(t) + v16(body)


def rec(ct, body, ver=0x0303):
    return u8(ct) + u16(ver) + v16(body)


CIPHERS = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]


def client_hello(rng, sni, alpn=(b"h2", b"http/1.1"), *, tls13=True, psk=None, early=False, quic_tp=None,
                 tp_code=0x39, pad=True, grease=True):
    quic = quic_tp is not None
    g = [0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A, 0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A, 0xAAAA, 0xBABA, 0xCACA, 0xDADA, 0xEAEA, 0xFAFA]
    gc, ge1, ge2 = rng.choice(g), rng.choice(g), rng.choice(g)
    while ge2 == ge1:
        ge2 = rng.choice(g)
    exts = []
    if grease:
        exts.append(ext(ge1))
    exts.append(ext(0, v16(u8(0) + v16(sni.encode()))))
    if not quic:
        exts += [ext(23), ext(0xFF01, b"\x00")]
    exts.append(ext(10, v16(b"".join(u16(x) for x in ([gc] if grease else []) + [0x001D, 0x0017, 0x0018]))))
    if not quic:
        exts += [ext(11, v8(b"\x00")), ext(35)]
    exts.append(ext(16, v16(b"".join(v8(p) for p in alpn))))
    exts.append(ext(5, b"\x01\x00\x00\x00\x00"))
    exts.append(ext(13, v16(b"".join(u16(x) for x in SIGALGS))))
    exts.append(ext(18))
    if tls13:
        ks = (u16(gc) + v16(b"\x00") if grease else b"") + u16(0x001D) + v16(rng.randbytes(32))
        exts.append(ext(51, v16(ks)))
        exts.append(ext(45, v8(b"\x01")))
        vers = ([gc] if grease else []) + ([0x0304] if quic else [0x0304, 0x0303])
        exts.append(ext(43, v8(b"".join(u16(x) for x in vers))))
    exts.append(ext(27, v8(u16(2))))
    if early:
        exts.append(ext(42))
    if quic:
        exts.append(ext(tp_code, quic_tp))
    if grease:
        exts.append(ext(ge2, b"\x00"))
    pskx = b""
    if psk is not None:
        ident, age = psk
        pskx = ext(41, v16(v16(ident) + struct.pack("!I", age)) + v16(v8(rng.randbytes(32))))
    ciphers = ([gc] if grease else []) + (CIPHERS if tls13 else CIPHERS[3:])
    sid = b"" if quic else rng.randbytes(32)
    head = u16(0x0303) + rng.randbytes(32) + v8(sid) + v16(b"".join(u16(c) for c in ciphers)) + v8(b"\x00")
    body_len = len(head) + 2 + sum(len(e) for e in exts) + len(pskx)
    if pad and not quic and body_len + 4 < 512:
        n = 512 - (body_len + 4) - 4
        exts.append(ext(21, b"\x00" * max(n, 1)))
    body = head + v16(b"".join(exts) + pskx)
    return b"\x01" + v24(body), sid


def server_hello13(rng, sid, cipher=0x1301, psk=False):
    e = ext(43, u16(0x0304)) + ext(51, u16(0x001D) + v16(rng.randbytes(32)))
    if psk:
        e += ext(41, u16(0))
    body = u16(0x0303) + rng.randbytes(32) + v8(sid) + u16(cipher) + b"\x00" + v16(e)
    return b"\x02" + v24(body)


def tls13_server_flight(rng, sid, enc_len, psk=False):
    return rec(0x16, server_hello13(rng, sid, psk=psk)) + rec(0x14, b"\x01") + rec(0x17, rng.randbytes(enc_len))


def appdata(rng, n, maxrec=16401):
    """n bytes of plaintext worth of TLS 1.3 application_data records."""
    out = bytearray()
    while n > 0:
        k = min(n, maxrec - 17)
        out += rec(0x17, rng.randbytes(k + 17))
        n -= k
    return bytes(out)


def appdata12(rng, n):
    out = bytearray()
    while n > 0:
        k = min(n, 16384)
        out += rec(0x17, rng.randbytes(8 + k + 16))
        n -= k
    return bytes(out)


def client_finish13(rng, req_len):
    return rec(0x14, b"\x01") + rec(0x17, rng.randbytes(53)) + rec(0x17, rng.randbytes(req_len))


# ----------------------------------------------------------------------------
# certificates (deterministic: fixed scalars, deterministic ECDSA)
# ----------------------------------------------------------------------------
def _key(label, curve):
    n = int.from_bytes(hashlib.sha512(b"blind9b-key-" + label.encode()).digest(), "big")
    order = {"p256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
             "p384": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973}[curve]
    return ec.derive_private_key(n % (order - 1) + 1, ec.SECP256R1() if curve == "p256" else ec.SECP384R1())


def _name(cn, o=None, c=None):
    a = []
    if c:
        a.append(x509.NameAttribute(NameOID.COUNTRY_NAME, c))
    if o:
        a.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))
    a.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(a)


def dt(s):
    return datetime.datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)


def le_chain(domain, sans, nb, na, serial):
    """Leaf (P-256) <- 'E5'-style intermediate (P-384) <- 'ISRG Root X2'-style root; returns DER list leaf, inter."""
    root_k, int_k, leaf_k = _key("root-x2", "p384"), _key("int-e5", "p384"), _key("leaf-" + domain, "p256")
    root_n = _name("ISRG Root X2", "Internet Security Research Group", "US")
    int_n = _name("E5", "Let's Encrypt", "US")
    pol = x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.2.1"), None)])
    ib = (x509.CertificateBuilder().subject_name(int_n).issuer_name(root_n).public_key(int_k.public_key())
          .serial_number(0x8C4D9A3E1F6B2C7D5E0A1B2C3D4E5F60).not_valid_before(dt("2024-03-13 00:00:00"))
          .not_valid_after(dt("2027-03-12 23:59:59"))
          .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), True)
          .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]), False)
          .add_extension(x509.BasicConstraints(True, 0), True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(int_k.public_key()), False)
          .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_k.public_key()), False)
          .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier("http://x2.i.lencr.org/"))]), False)
          .add_extension(pol, False)
          .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint([x509.UniformResourceIdentifier("http://x2.c.lencr.org/")], None, None, None)]), False))
    inter = ib.sign(root_k, hashes.SHA384(), ecdsa_deterministic=True)
    lb = (x509.CertificateBuilder().subject_name(_name(domain)).issuer_name(int_n).public_key(leaf_k.public_key())
          .serial_number(serial).not_valid_before(dt(nb)).not_valid_after(dt(na))
          .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), True)
          .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), False)
          .add_extension(x509.BasicConstraints(False, None), True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_k.public_key()), False)
          .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(int_k.public_key()), False)
          .add_extension(x509.AuthorityInformationAccess([
              x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier("http://e5.o.lencr.org")),
              x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier("http://e5.i.lencr.org/"))]), False)
          .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), False)
          .add_extension(x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.2.1"), None)]), False))
    leaf = lb.sign(int_k, hashes.SHA384(), ecdsa_deterministic=True)
    return [leaf.public_bytes(serialization.Encoding.DER), inter.public_bytes(serialization.Encoding.DER)], leaf_k


# ----------------------------------------------------------------------------
# QUIC (RFC 9001 Initial protection; draft-29 for the version-negotiation case)
# ----------------------------------------------------------------------------
SALT = {1: bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
        0xFF00001D: bytes.fromhex("afbfec289993d24c9e9786f19c6111e04390a899")}


def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand_label(secret, label, length):
    lab = b"tls13 " + label.encode()
    info = u16(length) + v8(lab) + v8(b"")
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(secret, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def initial_keys(dcid, version, server):
    init = hkdf_extract(SALT[version], dcid)
    sec = hkdf_expand_label(init, "server in" if server else "client in", 32)
    return (hkdf_expand_label(sec, "quic key", 16), hkdf_expand_label(sec, "quic iv", 12), hkdf_expand_label(sec, "quic hp", 16))


def varint(v):
    if v < 0x40:
        return u8(v)
    if v < 0x4000:
        return u16(0x4000 | v)
    if v < 0x40000000:
        return struct.pack("!I", 0x80000000 | v)
    return struct.pack("!Q", 0xC000000000000000 | v)


def crypto_frame(off, data):
    return b"\x06" + varint(off) + varint(len(data)) + data


def ack_frame(largest, delay=0, first=None):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(largest if first is None else first)


def quic_initial(version, dcid, scid, pn, frames, keydcid, server, pad_to=None, token=b""):
    key, iv, hp = initial_keys(keydcid, version, server)
    pnlen = 2
    hdr0 = u8(0xC0 | (pnlen - 1)) + struct.pack("!I", version) + v8(dcid) + v8(scid) + varint(len(token)) + token
    payload = frames
    if pad_to:
        hl = len(hdr0) + 2 + pnlen
        need = pad_to - hl - len(payload) - 16
        if need > 0:
            payload += b"\x00" * need
    length = pnlen + len(payload) + 16
    hdr = hdr0 + u16(0x4000 | length) + struct.pack("!H", pn)
    nonce = bytes(a ^ b for a, b in zip(iv, b"\x00" * 4 + struct.pack("!Q", pn)))
    ct = AESGCM(key).encrypt(nonce, payload, hdr)
    pn_off = len(hdr) - pnlen
    sample = ct[4 - pnlen:4 - pnlen + 16]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(hdr)
    h[0] ^= mask[0] & 0x0F
    for i in range(pnlen):
        h[pn_off + i] ^= mask[1 + i]
    return bytes(h) + ct


def quic_long_opaque(rng, version, ptype, dcid, scid, size):
    """A Handshake (ptype 2) or 0-RTT (1) packet whose protected payload we cannot (and need not) decrypt."""
    hdr = u8(0xC0 | (ptype << 4) | rng.randrange(16)) + struct.pack("!I", version) + v8(dcid) + v8(scid)
    body = size - len(hdr) - 2
    return hdr + u16(0x4000 | body) + rng.randbytes(body)


def quic_short(rng, dcid, size, spin=0):
    return u8(0x40 | (spin << 5) | rng.randrange(32)) + dcid + rng.randbytes(size - 1 - len(dcid))


def quic_tp(rng, scid, draft=False):
    def p(i, v):
        return varint(i) + v8(v)
    tp = p(0x01, varint(30000)) + p(0x04, varint(15728640)) + p(0x05, varint(6291456)) + p(0x06, varint(6291456)) + p(0x07, varint(6291456)) + p(0x08, varint(100)) + p(0x09, varint(103)) + p(0x03, varint(1472))
    if not draft:
        tp += p(0x0F, scid)
    tp += p(0x20, varint(65536))  # max_datagram_frame_size
    return tp


# ----------------------------------------------------------------------------
# helpers for the scenarios
# ----------------------------------------------------------------------------
def http_req(method, host, path, ua, extra=""):
    return (f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {ua}\r\nAccept: */*\r\n{extra}\r\n").encode()


def http_resp(code, reason, headers, body=b""):
    h = f"HTTP/1.1 {code} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return h.encode() + body


def tls13_session(c, t, rtt, rng, sni, *, req=420, resp=9000, sflight=3100, alpn=(b"h2", b"http/1.1"), close=True,
                  server_think=0.004, mss=1448, sid=None, bulk_kw=None):
    """ClientHello .. response .. optional close (client close_notify+FIN). Returns (handles, t_end).
    If sid is given the ClientHello was already sent (e.g. in a TFO SYN) and t is when it left."""
    marks = {}
    if sid is None:
        ch, sid = client_hello(rng, sni, alpn)
        marks["ch"] = c.send(t, "c", "PA", rec(0x16, ch, 0x0301))
    t1 = t + rtt + server_think
    flight = tls13_server_flight(rng, sid, sflight)
    marks["sh"] = c.send(t1, "s", "A", flight[:mss])
    k = 1
    for i in range(mss, len(flight), mss):
        c.send(t1 + 0.00005 * k, "s", "PA" if i + mss >= len(flight) else "A", flight[i:i + mss])
        k += 1
    t2 = t1 + 0.00005 * k + 0.0003
    c.send(t2, "c", "A")
    t3 = t2 + 0.0021
    c.send(t3, "c", "PA", client_finish13(rng, req))
    t4 = t3 + rtt + 0.003
    c.send(t4, "s", "PA", rec(0x17, rng.randbytes(270)) + rec(0x17, rng.randbytes(270)))
    marks["body_start"] = t4 + 0.004
    te = c.bulk(t4 + 0.004, "s", appdata(rng, resp), rtt=rtt, mss=mss, **(bulk_kw or {}))
    marks["body_end"] = te
    if close:
        te += 0.8
        c.send(te, "c", "FPA", rec(0x17, rng.randbytes(19)))
        c.send(te + rtt, "s", "FPA", rec(0x17, rng.randbytes(19)))
        c.send(te + rtt + 0.00005, "c", "A")
        te += rtt
    return marks, te


def write_all(outdir, caps):
    exp = {}
    for fn, cap, about in caps:
        cap.write(os.path.join(outdir, fn))
        exp[fn] = {"expect": [], "allow": [], "about": about(cap)}
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(exp, fh, indent=2, sort_keys=True)
        fh.write("\n")


UA_FF = "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0"
UA_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"


# ============================================================================
# 1. home-router DNS forwarder relays two upstream answers (geo-DNS), TLS 1.2 ok
# ============================================================================
def s1_dns_geo():
    T = 1729017727.0  # 2024-10-15 18:42:07 UTC
    mc, mr = "3c:58:c2:9a:41:0e", "2c:91:ab:73:5d:10"
    ifc = Iface("en10mb", "wlp2s0", macs={"192.168.1.23": mc, "192.168.1.1": mr}, gw=mr, pad="from_gw")
    cap = Cap(("pcap", "<", 6), [ifc], 101)
    rng = cap.rng
    cli = Host("192.168.1.23", 64, rng)
    rtr = Host("192.168.1.1", 64, rng)
    rtr.id = 0x5A2E
    m = cap.marks
    # --- ordinary: NetworkManager connectivity check, both upstream answers identical (round-robin order differs)
    cc = "connectivity-check.ubuntu.com"
    a1 = ["185.125.190.17", "185.125.190.18", "185.125.190.48", "185.125.190.49"]
    a2 = ["185.125.190.48", "185.125.190.49", "185.125.190.17", "185.125.190.18"]
    six = ["2620:2d:4000:1::2a", "2620:2d:4000:1::2b", "2620:2d:4002:1::196", "2620:2d:4002:1::197"]
    sp, ta, tq = 41227, 0x8D1F, 0x3C55
    t = T
    udp(cap, t, cli, rtr, sp, 53, dns_q(ta, cc, "A"))
    udp(cap, t + 0.00004, cli, rtr, sp, 53, dns_q(tq, cc, "AAAA"))
    m["cc_a1"] = udp(cap, t + 0.01213, rtr, cli, 53, sp, dns_msg(ta, 0x8180, cc, "A", [(cc, "A", 60, x) for x in a1]))
    udp(cap, t + 0.01288, rtr, cli, 53, sp, dns_msg(tq, 0x8180, cc, "AAAA", [(cc, "AAAA", 60, x) for x in six]))
    m["cc_a2"] = udp(cap, t + 0.01671, rtr, cli, 53, sp, dns_msg(ta, 0x8180, cc, "A", [(cc, "A", 47, x) for x in a2]))
    udp(cap, t + 0.01744, rtr, cli, 53, sp, dns_msg(tq, 0x8180, cc, "AAAA", [(cc, "AAAA", 47, x) for x in six]))
    srv = Host("185.125.190.17", 51, rng)
    c = Tcp(cap, cli, srv, 53614, 80, rng)
    *_, t1 = c.connect(t + 0.0125, 0.0381)
    c.send(t1 + 0.0001, "c", "PA", b"GET / HTTP/1.1\r\nHost: connectivity-check.ubuntu.com\r\nAccept: */*\r\nConnection: close\r\n\r\n")
    c.send(t1 + 0.0384, "s", "A")
    c.send(t1 + 0.0386, "s", "PA", http_resp(204, "No Content", [("Date", "Tue, 15 Oct 2024 18:42:07 GMT"), ("Connection", "close"), ("X-NetworkManager-Status", "online")]))
    c.send(t1 + 0.0387, "s", "FA")
    c.send(t1 + 0.0388, "c", "A")
    c.send(t1 + 0.0392, "c", "FA")
    c.send(t1 + 0.0775, "s", "A")
    # --- the tricky part: one query, two relayed answers with different CDN addresses
    t = T + 2.3147
    name, cn = "cdn.tandemreisen.de", "tandemreisen.b-cdn.net"
    sp, ta, tq = 52809, 0xB41C, 0x67E0
    m["q_a"] = udp(cap, t, cli, rtr, sp, 53, dns_q(ta, name, "A"))
    m["q_aaaa"] = udp(cap, t + 0.00005, cli, rtr, sp, 53, dns_q(tq, name, "AAAA"))
    soa = [("b-cdn.net", "SOA", 30, ("coco.bunny.net", "hostmaster.bunny.net", 2024101501))]
    udp(cap, t + 0.0150, rtr, cli, 53, sp, dns_msg(tq, 0x8180, name, "AAAA", [(name, "CNAME", 3600, cn)], soa))
    udp(cap, t + 0.0161, rtr, cli, 53, sp, dns_msg(tq, 0x8180, name, "AAAA", [(name, "CNAME", 2871, cn)], soa))
    m["ans1"] = udp(cap, t + 0.0184, rtr, cli, 53, sp, dns_msg(ta, 0x8180, name, "A", [(name, "CNAME", 3600, cn), (cn, "A", 30, "89.187.162.180")]))
    m["ans2"] = udp(cap, t + 0.0236, rtr, cli, 53, sp, dns_msg(ta, 0x8180, name, "A", [(name, "CNAME", 2871, cn), (cn, "A", 17, "169.150.247.37")]))
    edge = Host("89.187.162.180", 56, rng)
    c = Tcp(cap, cli, edge, 46198, 443, rng)
    rtt = 0.0142
    m["syn"], m["synack"], _, t1 = c.connect(t + 0.0187, rtt)
    ch, _ = client_hello(rng, name)
    m["ch"] = c.send(t1 + 0.0009, "c", "PA", rec(0x16, ch, 0x0301))
    ders, lk = le_chain(name, [name], "2024-09-21 07:12:44", "2024-12-20 07:12:43", 0x04A1F3C2D95E7B1830C6A92E5F8D7B41E2C3)
    crand, srand = ch[6:38], rng.randbytes(32)
    sh = b"\x02" + v24(u16(0x0303) + srand + v8(rng.randbytes(32)) + u16(0xC02B) + b"\x00" + v16(ext(0xFF01, b"\x00") + ext(11, v8(b"\x00\x01\x02")) + ext(35) + ext(16, v16(v8(b"h2"))) + ext(23)))
    cert = b"\x0b" + v24(v24(b"".join(v24(d) for d in ders)))
    params = b"\x03" + u16(0x1D) + v8(rng.randbytes(32))
    sig = lk.sign(crand + srand + params, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    flight = rec(0x16, sh + cert + b"\x0c" + v24(params + u16(0x0403) + v16(sig)) + b"\x0e\x00\x00\x00")
    t2 = t1 + 0.0009 + rtt + 0.0011
    hs = []
    for i in range(0, len(flight), 1448):
        hs.append(c.send(t2 + 0.00005 * (i // 1448), "s", "PA" if i + 1448 >= len(flight) else "A", flight[i:i + 1448]))
    m["cert"] = hs[0]
    t3 = t2 + 0.0002
    c.send(t3, "c", "A")
    t3 += 0.0017
    c.send(t3, "c", "PA", rec(0x16, b"\x10" + v24(v8(rng.randbytes(32)))) + rec(0x14, b"\x01") + rec(0x16, rng.randbytes(40)))
    t4 = t3 + rtt + 0.0004
    c.send(t4, "s", "PA", rec(0x16, b"\x04" + v24(struct.pack("!I", 86400) + v16(rng.randbytes(192)))) + rec(0x14, b"\x01") + rec(0x16, rng.randbytes(40)))
    c.send(t4 + 0.0003, "c", "PA", appdata12(rng, 24 + 27 + 13) + appdata12(rng, 236))
    c.send(t4 + rtt + 0.0003, "s", "PA", appdata12(rng, 45))
    m["resp"] = c.send(t4 + rtt + 0.0005, "c", "A")
    te = c.bulk(t4 + rtt + 0.0061, "s", appdata12(rng, 9) + appdata12(rng, 48213), rtt=rtt)
    c.send(te + 0.21, "c", "PA", appdata12(rng, 212))
    te = c.bulk(te + 0.21 + rtt + 0.0023, "s", appdata12(rng, 31877), rtt=rtt)
    # --- ordinary: API on a single-address origin, both upstream answers identical
    t = T + 3.1044
    api = "api.tandemreisen.de"
    sp, ta, tq = 39004, 0x1E77, 0xF203
    udp(cap, t, cli, rtr, sp, 53, dns_q(ta, api, "A"))
    udp(cap, t + 0.00004, cli, rtr, sp, 53, dns_q(tq, api, "AAAA"))
    udp(cap, t + 0.0218, rtr, cli, 53, sp, dns_msg(ta, 0x8180, api, "A", [(api, "A", 300, "5.75.232.41")]))
    udp(cap, t + 0.0226, rtr, cli, 53, sp, dns_msg(tq, 0x8180, api, "AAAA", [(api, "AAAA", 300, "2a01:4f8:c012:9d3c::1")]))
    udp(cap, t + 0.0247, rtr, cli, 53, sp, dns_msg(ta, 0x8180, api, "A", [(api, "A", 300, "5.75.232.41")]))
    udp(cap, t + 0.0251, rtr, cli, 53, sp, dns_msg(tq, 0x8180, api, "AAAA", [(api, "AAAA", 300, "2a01:4f8:c012:9d3c::1")]))
    o = Host("5.75.232.41", 52, rng)
    c2 = Tcp(cap, cli, o, 46214, 443, rng)
    *_, t1 = c2.connect(t + 0.0228, 0.0191)
    tls13_session(c2, t1 + 0.0006, 0.0191, rng, api, req=380, resp=2300, sflight=2650)
    # close the CDN connection after idle
    te = T + 14.8812
    c.send(te, "c", "FPA", rec(0x15, rng.randbytes(26)))
    c.send(te + rtt, "s", "FPA", rec(0x15, rng.randbytes(26)))
    c.send(te + rtt + 0.00006, "c", "A")

    def about(cp):
        f = lambda k: cp.f(m[k])  # noqa: E731
        return (f"A laptop behind a home router whose DNS forwarder relays the replies of two upstream resolvers to every query: the A query for cdn.tandemreisen.de (frame {f('q_a')}) gets two answers, frames {f('ans1')} and {f('ans2')}, both from 192.168.1.1 with IP TTL 64, consecutive IP IDs and DF, both with the same CNAME to tandemreisen.b-cdn.net and EDNS, differing only in the geo-DNS A record (89.187.162.180 vs 169.150.247.37, same CDN) and the cached TTLs. "
                f"The same forwarder doubles every other reply too (identical or reordered RRsets, e.g. frames {f('cc_a1')}/{f('cc_a2')}). "
                f"The client connects to the first address (SYN frame {f('syn')}) and a TLS 1.2 handshake completes with a Let's Encrypt-style chain for cdn.tandemreisen.de (Certificate from frame {f('cert')}) and content is served, so this is geo-DNS behind a doubling forwarder, not DNS injection.")
    return "b9b_dns_geo_fwd.pcap", cap, about


# ============================================================================
# 2. TCP Fast Open: data in the SYN accepted; and a server that ignores it
# ============================================================================
def s2_tfo():
    T = 1729265161.0  # 2024-10-18 15:26:01 UTC
    me, mr = "a4:bb:6d:10:2e:8f", "2c:91:ab:73:5d:10"
    cip, rip = "2a02:8108:1c40:5e00:8d2f:6b1a:3e07:91c4", "2a02:8108:1c40:5e00::1"
    ifc = Iface("sll", "any", macs={cip: me, rip: mr}, gw=mr, local=[cip])
    cap = Cap(("pcap", ">", 9), [ifc], 202)
    rng = cap.rng
    cli, rtr = Host(cip, 64, rng), Host(rip, 64, rng)
    m = cap.marks
    fa, fb, fc = "files.nordkraft.io", "www.lindenbaum-verlag.de", "api.nordkraft.io"
    a6, b6, c6 = "2a04:4e42:1a::645", "2a01:4f8:1c1b:72a3::1", "2a04:4e42:1a::646"

    def resolve(t, name, v6addr, v4addr, sp, txa, txq, rtt, ttl=300):
        udp(cap, t, cli, rtr, sp, 53, dns_q(txa, name, "A"), fl=rng.getrandbits(20))
        udp(cap, t + 0.00003, cli, rtr, sp, 53, dns_q(txq, name, "AAAA"), fl=rng.getrandbits(20))
        udp(cap, t + rtt, rtr, cli, 53, sp, dns_msg(txa, 0x8180, name, "A", [(name, "A", ttl, v4addr)]))
        return udp(cap, t + rtt + 0.0004, rtr, cli, 53, sp, dns_msg(txq, 0x8180, name, "AAAA", [(name, "AAAA", ttl, v6addr)]))

    def conn(srv, sport):
        return Tcp(cap, cli, srv, sport, 443, rng, fl_c=rng.getrandbits(20), fl_s=rng.getrandbits(20))

    sa, sb, sc = Host(a6, 57, rng), Host(b6, 52, rng), Host(c6, 57, rng)
    ra, rb = 0.0093, 0.0228
    cookie_a = rng.randbytes(8)
    # A0: first contact, cookie request (empty TFO option), cookie in SYN/ACK
    t = T
    resolve(t, fa, a6, "151.101.194.132", 38817, 0x4F0B, 0xA7C3, 0.0143)
    c = conn(sa, 51470)
    m["a0_syn"], m["a0_synack"], _, t1 = c.connect(t + 0.0151, ra, cmss=1440, smss=1440, tfo=b"", synack_tfo=cookie_a)
    tls13_session(c, t1 + 0.0004, ra, rng, fa, req=510, resp=18200, sflight=2900, mss=1428)
    # A1: 31 s later, same server with the cookie: ClientHello rides in the SYN, SYN/ACK acknowledges it
    t = T + 31.4406
    resolve(t, fa, a6, "151.101.194.132", 44105, 0x1D92, 0x66E8, 0.0011, 269)
    c = conn(sa, 51502)
    ch, sid = client_hello(rng, fa)
    syn_data = rec(0x16, ch, 0x0301)
    m["a1_syn"], m["a1_synack"], _, t1 = c.connect(t + 0.0016, ra, cmss=1440, smss=1440, syn_data=syn_data, tfo=cookie_a)
    tls13_session(c, t + 0.0016, ra, rng, fa, req=480, resp=64300, sflight=2900, sid=sid, mss=1428)
    # B: a server whose TFO key was rotated: SYN data ignored, fresh cookie, client resends the ClientHello
    t = T + 33.9127
    m["b_dns"] = resolve(t, fb, b6, "159.69.204.77", 50336, 0x8A40, 0x3B1F, 0.0314, 3600)
    c = conn(sb, 51534)
    ch, sid = client_hello(rng, fb)
    syn_data = rec(0x16, ch, 0x0301)
    m["b_syn"], m["b_synack"], m["b_ack"], t1 = c.connect(t + 0.0322, rb, cmss=1440, smss=1440, syn_data=syn_data,
                                                            tfo=rng.randbytes(8), synack_tfo=rng.randbytes(8), accept_data=False)
    m["b_retx"] = c.send(t1 + 0.00011, "c", "PA", syn_data)
    tls13_session(c, t1 + 0.00011, rb, rng, fb, req=620, resp=41500, sflight=3300, sid=sid, mss=1428)
    # ordinary flow without TFO to a sibling host
    t = T + 35.2018
    resolve(t, fc, c6, "151.101.194.133", 36021, 0xC05A, 0x0E71, 0.0127)
    c = conn(sc, 51552)
    *_, t1 = c.connect(t + 0.0135, ra, cmss=1440, smss=1440)
    tls13_session(c, t1 + 0.0004, ra, rng, fc, req=350, resp=3100, sflight=2900, mss=1428)

    def about(cp):
        f = lambda k: cp.f(m[k])  # noqa: E731
        return (f"Linux client (cooked capture, IPv6) using TCP Fast Open. Frame {f('a0_syn')} requests a TFO cookie, the SYN/ACK (frame {f('a0_synack')}) returns it; 31 s later the ClientHello for files.nordkraft.io rides in the SYN with that cookie (frame {f('a1_syn')}) and the SYN/ACK (frame {f('a1_synack')}) acknowledges SYN+data, after which TLS proceeds normally. "
                f"To www.lindenbaum-verlag.de the server ignores the SYN data (SYN/ACK frame {f('b_synack')} acks only the SYN and carries a new cookie), so the client retransmits the identical ClientHello after the handshake (frame {f('b_retx')}) and the exchange completes. "
                f"The 'unanswered' SYN payload and the duplicate ClientHello are standard RFC 7413 fallback, not interference.")
    return "b9b_tfo.pcap", cap, about


# ============================================================================
# 3. HTTP/1.1 keep-alive: idle FIN after 60 s, reuse -> stack RST, reconnect ok
# ============================================================================
def ntp_pair(cap, t, cli, srv, sport, rtt, rng, T):
    def ts(x):
        sec = int(x) + 2208988800
        return struct.pack("!II", sec, int((x % 1) * 2**32))
    req = bytes([0x23, 0, 6, 0xE9]) + b"\x00" * 8 + b"\x00" * 4 + b"\x00" * 24 + rng.randbytes(8)
    rx = T + t + rtt / 2
    resp = (bytes([0x24, 2, 6, 0xE8]) + struct.pack("!II", 0x0000021F, 0x00000330) + bytes([192, 53, 103, 108])
            + ts(rx - 412.77) + req[40:48] + ts(rx) + ts(rx + 0.000021))
    udp(cap, T + t, cli, srv, sport, 123, req)
    udp(cap, T + t + rtt, srv, cli, 123, sport, resp)


def rss_body(rng, n, stamp):
    items = []
    i = 0
    while sum(len(x) for x in items) < n:
        i += 1
        items.append(f"<item><title>Meldung {i}: Verkehr und Wetter am Morgen</title><link>https://www.tagesradio.de/nachrichten/{stamp}-{i:03d}</link><guid isPermaLink=\"false\">tr-{stamp}-{i:03d}</guid><pubDate>Mon, 21 Oct 2024 07:{i % 60:02d}:00 +0200</pubDate><description>Kurzmeldung der Redaktion, Nummer {i}.</description></item>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Tagesradio Nachrichten</title>\n' + "".join(items) + "</channel></rss>\n").encode()


def s3_keepalive():
    T = 1729497492.0  # 2024-10-21 07:58:12 UTC
    mc, mg = "18:66:da:4c:0b:71", "00:1b:54:c2:88:41"
    cip, dns_ip, ntp_ip = "10.20.30.44", "10.20.0.53", "10.20.0.1"
    ifc = Iface("en10mb", "ens1f1", tsresol=6, macs={cip: mc}, gw=mg, vlan=120, pad="all")
    cap = Cap(("pcapng",), [ifc], 303)
    rng = cap.rng
    cli, dns, ntp = Host(cip, 64, rng), Host(dns_ip, 64, rng), Host(ntp_ip, 255, rng)
    m = cap.marks
    host, ip = "feeds.tagesradio.de", "46.4.119.82"
    srv = Host(ip, 53, rng)
    soa = [("tagesradio.de", "SOA", 300, ("ns1.first-ns.de", "dns.hetzner.com", 2024101402))]
    ua = "python-requests/2.31.0"
    base = "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
    rtt = 0.0214

    def resolve(t, sp, ta, tq, an_ttl=300):
        udp(cap, T + t, cli, dns, sp, 53, dns_q(ta, host, "A"))
        udp(cap, T + t + 0.00002, cli, dns, sp, 53, dns_q(tq, host, "AAAA"))
        udp(cap, T + t + 0.0009, dns, cli, 53, sp, dns_msg(ta, 0x8180, host, "A", [(host, "A", an_ttl, ip)]))
        udp(cap, T + t + 0.0011, dns, cli, 53, sp, dns_msg(tq, 0x8180, host, "AAAA", [], soa))
        return t + 0.0012

    def get(c, t, etag=None, status=200, body=b"", new_etag=None, lastmod="Mon, 21 Oct 2024 07:55:03 GMT"):
        extra = base + (f"If-None-Match: {etag}\r\n" if etag else "")
        hq = c.send(T + t, "c", "PA", http_req("GET", host, "/rss/news.xml", ua, extra))
        hdr = [("Server", "nginx"), ("Date", time_str(T + t + rtt / 2)), ("Content-Type", "application/rss+xml; charset=utf-8")]
        if status == 200:
            hdr += [("Content-Length", str(len(body))), ("Connection", "keep-alive"), ("Last-Modified", lastmod), ("ETag", new_etag), ("Accept-Ranges", "bytes")]
            te = c.bulk(T + t + rtt + 0.0006, "s", http_resp(200, "OK", hdr, body), rtt=rtt)
        else:
            hdr = [h for h in hdr if h[0] != "Content-Type"] + [("Last-Modified", lastmod), ("Connection", "keep-alive"), ("ETag", etag)]
            c.send(T + t + rtt + 0.0004, "s", "PA", http_resp(304, "Not Modified", hdr))
            te = T + t + rtt + 0.0004 + 0.04
            c.send(te, "c", "A")
        return hq, te - T

    ntp_pair(cap, 0.0, cli, ntp, 51623, 0.00041, rng, T)
    t = resolve(0.4102, 48290, 0x21C6, 0x7A05)
    c = Tcp(cap, cli, srv, 40718, 80, rng)
    m["syn1"], *_, t1 = c.connect(T + t, rtt)
    e1 = '"6715f8a7-2e43"'
    m["get1"], te = get(c, t1 - T + 0.0002, body=rss_body(rng, 11800, "1021a"), new_etag=e1)
    m["get2"], te = get(c, 30.4391, etag=e1, status=304)
    # nginx keepalive_timeout 60s: server closes the idle connection
    t_fin = 30.4391 + rtt + 0.0004 + 60.0007
    m["sfin"] = c.send(T + t_fin, "s", "FA")
    m["cack"] = c.send(T + t_fin + 0.000052, "c", "A")
    # 35 s later the client's pool reuses the half-closed socket; server stack (FIN_WAIT2, socket closed) answers RST
    t_re = 125.8817
    m["get3"] = c.send(T + t_re, "c", "PA", http_req("GET", host, "/rss/news.xml", ua, base + f"If-None-Match: {e1}\r\n"))
    m["rst"] = c.send(T + t_re + rtt, "s", "R", seq=c.nxt["s"], ack=0, win=0, opts="none", ipid=0)
    # urllib3 retries on a fresh connection
    t = resolve(t_re + rtt + 0.0011, 33571, 0x5B93, 0xE41D)
    c2 = Tcp(cap, cli, srv, 40742, 80, rng)
    m["syn2"], *_, t1 = c2.connect(T + t + 0.0001, rtt)
    e2 = '"6715fb12-2f0a"'
    m["get4"], te = get(c2, t1 - T + 0.0002, body=rss_body(rng, 12040, "1021b"), new_etag=e2, lastmod="Mon, 21 Oct 2024 08:00:02 GMT")
    # unrelated HTTPS next to it
    t = 47.2206
    pyp = "pypi.org"
    udp(cap, T + t, cli, dns, 56112, 53, dns_q(0x0C3E, pyp, "A"))
    udp(cap, T + t + 0.0123, dns, cli, 53, 56112, dns_msg(0x0C3E, 0x8180, pyp, "A", [(pyp, "A", 60, "151.101.128.223"), (pyp, "A", 60, "151.101.192.223"), (pyp, "A", 60, "151.101.0.223"), (pyp, "A", 60, "151.101.64.223")]))
    cp = Tcp(cap, cli, Host("151.101.128.223", 58, rng), 35990, 443, rng)
    *_, t1 = cp.connect(T + t + 0.0125, 0.0087)
    tls13_session(cp, t1 + 0.0003, 0.0087, rng, pyp, alpn=(b"http/1.1",), req=260, resp=5400, sflight=3900)
    ntp_pair(cap, 64.0003, cli, ntp, 51623, 0.00039, rng, T)
    m["get5"], te = get(c2, 156.0917, etag=e2, status=304, lastmod="Mon, 21 Oct 2024 08:00:02 GMT")
    ntp_pair(cap, 128.0004, cli, ntp, 51623, 0.00043, rng, T)

    def about(cp_):
        f = lambda k: cp_.f(m[k])  # noqa: E731
        return (f"A python-requests poller on VLAN 120 fetching http://feeds.tagesradio.de/rss/news.xml over HTTP/1.1 keep-alive (requests in frames {f('get1')} and {f('get2')}). "
                f"After 60 s idle nginx closes the connection with FIN (frame {f('sfin')}, ACKed in frame {f('cack')}); 35 s later the client reuses the half-closed socket (GET frame {f('get3')}) and the server's kernel answers with a bare RST (frame {f('rst')}): same TTL 53 as the server's other packets, seq exactly the server's next sequence number after its FIN, window 0, IP ID 0 with DF like every Linux stack reset. "
                f"The client reconnects (SYN frame {f('syn2')}) and the same request succeeds (frame {f('get4')}, 200 OK), and a later reuse of the new connection gets 304 (frame {f('get5')}), so this is an ordinary stale keep-alive socket, not RST injection.")
    return "b9b_keepalive_rst.pcapng", cap, about


def time_str(ts):
    return datetime.datetime.fromtimestamp(int(ts), datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")


# ============================================================================
# 4. TLS 1.3 resumption with rejected 0-RTT; HTTP/2 GOAWAY then client RST
# ============================================================================
def s4_zero_rtt():
    T = 1729703050.0  # 2024-10-23 17:04:10 UTC
    c4, c6 = "10.64.0.5", "fc00:bbbb:bbbb:bb01::1:4"
    ifc = Iface("raw", "wg0-mullvad", local=[c4, c6])
    cap = Cap(("pcap", "<", 9), [ifc], 404)
    rng = cap.rng
    cli4, cli6, dns = Host(c4, 64, rng), Host(c6, 64, rng), Host("10.64.0.1", 64, rng)
    m = cap.marks
    shop, shop6 = "shop.eulenspiegel-buecher.de", "2a05:d014:8f3:2c00:71b5:6e0c:d4a9:3b12"
    cdn, cdn4 = "app.flohmarkt-portal.at", "3.64.118.207"
    sv6, sv4 = Host(shop6, 47, rng), Host(cdn4, 45, rng)

    def resolve(t, name, sp, ta, tq, a=None, aaaa=None, rtt=0.0242):
        udp(cap, T + t, cli4, dns, sp, 53, dns_q(ta, name, "A"))
        udp(cap, T + t + 0.00003, cli4, dns, sp, 53, dns_q(tq, name, "AAAA"))
        an4 = [(name, "A", 60, a)] if a else []
        soa = [("flohmarkt-portal.at", "SOA", 900, ("ns-1322.awsdns-37.org", "awsdns-hostmaster.amazon.com", 1))]
        an6 = [(name, "AAAA", 60, aaaa)] if aaaa else []
        udp(cap, T + t + rtt, dns, cli4, 53, sp, dns_msg(ta, 0x8180, name, "A", an4 or [(name, "A", 60, "3.73.40.19")]))
        udp(cap, T + t + rtt + 0.0003, dns, cli4, 53, sp, dns_msg(tq, 0x8180, name, "AAAA", an6, [] if an6 else soa))
        return t + rtt + 0.0004

    rtt6 = 0.0311
    # A: full handshake, tickets issued
    t = resolve(0.0, shop, 51877, 0x3E21, 0xC6B0, a="3.73.40.19", aaaa=shop6)
    c = Tcp(cap, cli6, sv6, 39466, 443, rng, fl_c=rng.getrandbits(20))
    m["a_syn"], *_, t1 = c.connect(T + t, rtt6, cmss=1360, smss=1440, synwin=65280)
    hh, te = tls13_session(c, t1 + 0.0005, rtt6, rng, shop, req=460, resp=38100, sflight=3400, mss=1348)
    m["a_ch"] = hh["ch"]
    # B: 42 s later, resumption with early data; server accepts the PSK but rejects 0-RTT
    t = resolve(42.3308, shop, 60212, 0x90AF, 0x1B4C, a="3.73.40.19", aaaa=shop6, rtt=0.0231)
    c = Tcp(cap, cli6, sv6, 39512, 443, rng, fl_c=rng.getrandbits(20))
    m["b_syn"], *_, t1 = c.connect(T + t, rtt6, cmss=1360, smss=1440, synwin=65280)
    ch, sid = client_hello(rng, shop, psk=(rng.randbytes(192), rng.getrandbits(32)), early=True)
    early = rec(0x17, rng.randbytes(410))
    m["b_ch"] = c.send(t1 + 0.0004, "c", "PA", rec(0x16, ch, 0x0301) + early)
    t2 = t1 + 0.0004 + rtt6 + 0.0021
    m["b_sh"] = c.send(t2, "s", "PA", rec(0x16, server_hello13(rng, sid, psk=True)) + rec(0x14, b"\x01") + rec(0x17, rng.randbytes(6 + 36 + 17)))
    t3 = t2 + 0.0009
    m["b_resend"] = c.send(t3, "c", "PA", rec(0x14, b"\x01") + rec(0x17, rng.randbytes(53)) + rec(0x17, rng.randbytes(410)))
    t4 = t3 + rtt6 + 0.0035
    c.send(t4, "s", "PA", rec(0x17, rng.randbytes(270)))
    m["b_resp"] = c.send(t4 + 0.0002, "s", "PA", appdata(rng, 1210))
    te = c.bulk(t4 + 0.0061, "s", appdata(rng, 22800), rtt=rtt6, mss=1348)
    c.send(te + 1.8, "c", "FPA", rec(0x17, rng.randbytes(19)))
    c.send(te + 1.8 + rtt6, "s", "FPA", rec(0x17, rng.randbytes(19)))
    c.send(te + 1.8 + rtt6 + 0.00005, "c", "A")
    # C: HTTP/2 API connection: GOAWAY from the server, client closes with unread data -> RST/ACK
    rtt4 = 0.0287
    t = resolve(44.1022, cdn, 43008, 0xD513, 0x6A7E, a=cdn4)
    c = Tcp(cap, cli4, sv4, 52246, 443, rng)
    m["c_syn"], *_, t1 = c.connect(T + t, rtt4, cmss=1380, synwin=64860)
    hh, te = tls13_session(c, t1 + 0.0004, rtt4, rng, cdn, req=390, resp=4100, sflight=3600, close=False, mss=1368)
    for k in range(3):
        tq = te + 2.5 + k * 4.1
        c.send(tq, "c", "PA", rec(0x17, rng.randbytes(95 + 7 * k)))
        c.send(tq + rtt4 + 0.006, "s", "PA", appdata(rng, 640 + 110 * k))
        c.send(tq + rtt4 + 0.006 + 0.04, "c", "A")
    tg = te + 2.5 + 2 * 4.1 + 30.0 + rtt4 + 0.006
    m["goaway"] = c.send(tg, "s", "PA", rec(0x17, rng.randbytes(17 + 17)))
    m["sfin"] = c.send(tg + 0.00007, "s", "FPA", rec(0x17, rng.randbytes(19)))
    c.send(tg + 0.00011, "c", "A")
    m["crst"] = c.send(tg + 0.00093, "c", "RA")
    # D: ordinary lookup + connection afterwards
    t = resolve(tg - T + 3.3012, "static.flohmarkt-portal.at", 47731, 0x4477, 0xAB12, a="3.64.9.162")
    c = Tcp(cap, cli4, Host("3.64.9.162", 45, rng), 52290, 443, rng)
    *_, t1 = c.connect(T + t, rtt4, cmss=1380, synwin=64860)
    tls13_session(c, t1 + 0.0004, rtt4, rng, "static.flohmarkt-portal.at", req=330, resp=51200, sflight=3600, mss=1368)

    def about(cp):
        f = lambda k: cp.f(m[k])  # noqa: E731
        return (f"Raw-IP capture on a WireGuard tunnel. A first TLS 1.3 connection to shop.eulenspiegel-buecher.de (SYN frame {f('a_syn')}) completes and yields session tickets; 42 s later the client resumes with a PSK ClientHello carrying early_data plus a 0-RTT record (frame {f('b_ch')}). "
                f"The server accepts the PSK (short ServerHello flight, frame {f('b_sh')}) but rejects 0-RTT, so the client re-sends its request after its Finished (frame {f('b_resend')}) and the response flows normally (from frame {f('b_resp')}). "
                f"On the HTTP/2 API connection to app.flohmarkt-portal.at the server sends GOAWAY (frame {f('goaway')}) and then close_notify with FIN (frame {f('sfin')}); the client, closing with unread data, aborts with its own RST/ACK (frame {f('crst')}, client-side TTL, in sequence). Nothing here is injected or blocked.")
    return "b9b_zero_rtt_goaway.pcap", cap, about


# ============================================================================
# 5. corporate egress: internal port scanner gets closed-port RSTs; browsing ok
# ============================================================================
TOP100 = [7, 9, 13, 21, 22, 23, 25, 26, 37, 53, 79, 80, 81, 88, 106, 110, 111, 113, 119, 135, 139, 143, 144, 179, 199, 389, 427, 443, 444, 445, 465, 513, 514, 515, 543, 544, 548, 554, 587, 631, 646, 873, 990, 993, 995, 1025, 1026, 1027, 1028, 1029, 1110, 1433, 1720, 1723, 1755, 1900, 2000, 2001, 2049, 2121, 2717, 3000, 3128, 3306, 3389, 3986, 4899, 5000, 5009, 5051, 5060, 5101, 5190, 5357, 5432, 5631, 5666, 5800, 5900, 6000, 6001, 6646, 7070, 8000, 8008, 8009, 8080, 8081, 8443, 8888, 9100, 9999, 10000, 32768, 49152, 49153, 49154, 49155, 49156, 49157]


def s5_scan():
    from scapy.layers.inet import ICMP
    T = 1730113395.0  # 2024-10-28 11:03:15 UTC
    scan_ip, user_ip, dns_ip = "10.1.50.9", "10.1.20.31", "10.1.0.10"
    if0 = Iface("en10mb", "ens224", tsresol=6, macs={scan_ip: "00:50:56:a1:3c:07"}, gw="00:09:0f:09:00:12", pad="from_hosts")
    if1 = Iface("en10mb", "ens256", tsresol=9, macs={user_ip: "54:e1:ad:3f:6b:90"}, gw="00:09:0f:09:00:13", pad="from_hosts")
    cap = Cap(("pcapng",), [if0, if1], 505)
    rng = cap.rng
    m = cap.marks
    dom = "northwind-logistics.com"
    www_n, portal_n = "www." + dom, "portal." + dom
    tg = {"185.87.112.10": (www_n, {22, 80, 443}), "185.87.112.11": (portal_n, {80, 443})}
    tgt = {ip: Host(ip, 57, rng, "zero") for ip in tg}
    scanner = Host(scan_ip, 64, rng, "rand")
    user = Host(user_ip, 128, rng)
    dns0, dns1 = Host(dns_ip, 127, rng), Host(dns_ip, 127, rng)
    rtt = 0.0118
    soa = [(dom, "SOA", 3600, ("ns1.northwind-logistics.com", "hostmaster.northwind-logistics.com", 2024100701))]

    def user_resolve(t, name, ip, sp, ta, tq):
        udp(cap, T + t, user, dns1, sp, 53, dns_q(tq, name, "AAAA", edns=False), iface=1)
        udp(cap, T + t + 0.00021, user, dns1, sp + 1, 53, dns_q(ta, name, "A", edns=False), iface=1)
        udp(cap, T + t + 0.0011, dns1, user, 53, sp, dns_msg(tq, 0x8180, name, "AAAA", [], soa, edns=False), iface=1)
        return udp(cap, T + t + 0.0013, dns1, user, 53, sp + 1, dns_msg(ta, 0x8180, name, "A", [(name, "A", 3600, ip)], edns=False), iface=1)

    def user_conn(ip, sport):
        return Tcp(cap, user, tgt[ip], sport, 443, rng, cwin=1026, ts=False, iface=1, hostid={"c"})
    www_ip, portal_ip = "185.87.112.10", "185.87.112.11"
    # ---- normal browsing from a Windows workstation (interface 1)
    m["u_dns"] = user_resolve(0.5013, www_n, www_ip, 58231, 0x7C11, 0x5E2A)
    c80 = Tcp(cap, user, Host(www_ip, 57, rng), 50112, 80, rng, cwin=1026, ts=False, iface=1, hostid={"c"})
    m["u_syn80"], *_, t1 = c80.connect(T + 0.5028, rtt, kind="windows", skind="linux_nots", cws=8, sws=7)
    c80.send(t1 + 0.0002, "c", "PA", http_req("GET", www_n, "/", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0", "Accept: text/html,application/xhtml+xml\r\nAccept-Language: de-DE,de;q=0.9,en;q=0.8\r\nUpgrade-Insecure-Requests: 1\r\n"))
    m["u_301"] = c80.send(t1 + rtt + 0.0009, "s", "PA", http_resp(301, "Moved Permanently", [("Server", "nginx"), ("Date", time_str(T + 0.52)), ("Content-Type", "text/html"), ("Content-Length", "162"), ("Connection", "keep-alive"), ("Location", "https://www.northwind-logistics.com/")],
                                                                b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
    c80.send(t1 + rtt + 0.0009 + 0.011, "c", "A")
    cw = user_conn(www_ip, 50114)
    m["u_syn443"], *_, t1 = cw.connect(t1 + rtt + 0.0031, rtt, kind="windows", skind="linux_nots", cws=8, sws=7)
    hh, _ = tls13_session(cw, t1 + 0.0003, rtt, rng, www_n, req=610, resp=88400, sflight=3900, close=False)
    m["u_ch"] = hh["ch"]
    for k, tq in enumerate((4.9127, 7.3381, 11.0264)):
        cw.send(T + tq, "c", "PA", rec(0x17, rng.randbytes(140 + 31 * k)))
        cw.bulk(T + tq + rtt + 0.0052, "s", appdata(rng, 9000 + 6100 * k), rtt=rtt)
    m["u_dns2"] = user_resolve(6.1186, portal_n, portal_ip, 58240, 0x1A93, 0xC2F4)
    cpo = user_conn(portal_ip, 50131)
    m["u_syn_portal"], *_, t1 = cpo.connect(T + 6.1201, rtt, kind="windows", skind="linux_nots", cws=8, sws=7)
    tls13_session(cpo, t1 + 0.0003, rtt, rng, portal_n, req=590, resp=41800, sflight=3700, close=False)
    # ---- nmap -sS -F from the vulnerability scanner (interface 0)
    t = 5.0021
    m["ping"] = None
    icmp_id = rng.randrange(65536)
    for k, ip in enumerate(tg):
        h = tgt[ip]
        tt = t + 0.00009 * k
        e = cap.emit(T + tt, ipl(scan_ip, ip, ICMP(type=8, id=icmp_id, seq=0), rng.randrange(37, 60), rng.randrange(65536), False), 0)
        m["ping"] = m["ping"] or e
        ts_probe = ipl(scan_ip, ip, ICMP(type=13, id=icmp_id + 1, seq=0, ts_ori=0, ts_rx=0, ts_tx=0), rng.randrange(37, 60), rng.randrange(65536), False)
        cap.emit(T + tt + 0.00003, ts_probe, 0)
        sp = 61507
        syn443 = TCP(sport=sp, dport=443, seq=rng.getrandbits(32), flags="S", window=1024, options=[("MSS", 1460)])
        cap.emit(T + tt + 0.00005, ipl(scan_ip, ip, syn443, rng.randrange(37, 60), rng.randrange(65536), False), 0)
        ack80 = TCP(sport=sp, dport=80, seq=rng.getrandbits(32), ack=rng.getrandbits(32), flags="A", window=1024)
        cap.emit(T + tt + 0.00007, ipl(scan_ip, ip, ack80, rng.randrange(37, 60), rng.randrange(65536), False), 0)
        tr = tt + rtt
        cap.emit(T + tr, ipl(ip, scan_ip, ICMP(type=0, id=icmp_id, seq=0), 57, rng.randrange(65536), False), 0)
        ms = int(((T + tr) % 86400) * 1000)
        cap.emit(T + tr + 0.00002, ipl(ip, scan_ip, ICMP(type=14, id=icmp_id + 1, seq=0, ts_ori=0, ts_rx=ms, ts_tx=ms), 57, rng.randrange(65536), False), 0)
        cap.emit(T + tr + 0.00004, ipl(ip, scan_ip, TCP(sport=443, dport=sp, seq=rng.getrandbits(32), ack=syn443.seq + 1, flags="SA", window=64240, options=[("MSS", 1460)]), 57, 0), 0)
        cap.emit(T + tr + 0.00009, ipl(scan_ip, ip, TCP(sport=sp, dport=443, seq=syn443.seq + 1, flags="R", window=0), 64, 0), 0)
        cap.emit(T + tr + 0.00006, ipl(ip, scan_ip, TCP(sport=80, dport=sp, seq=ack80.ack, flags="R", window=0), 57, 0), 0)
    # reverse DNS for both targets
    t = 5.0188
    for k, ip in enumerate(tg):
        rev = ".".join(reversed(ip.split("."))) + ".in-addr.arpa"
        txid, sp = rng.randrange(65536), 40817
        udp(cap, T + t + 0.00005 * k, scanner, dns0, sp, 53, dns_q(txid, rev, "PTR", edns=False), df=False)
        udp(cap, T + t + 0.0009 + 0.00005 * k, dns0, scanner, 53, sp, dns_msg(txid, 0x8580, rev, "PTR", [(rev, "PTR", 3600, tg[ip][0])], edns=False))
    # SYN scan, both hosts in parallel, random port order
    t = 5.0413
    order = [(ip, p) for p in TOP100 for ip in tg]
    rng.shuffle(order)
    sp = 61523
    n_rst = 0
    first_rst = None
    for k, (ip, port) in enumerate(order):
        tt = t + k * 0.00021 + rng.random() * 0.00004
        seq = rng.getrandbits(32)
        cap.emit(T + tt, ipl(scan_ip, ip, TCP(sport=sp, dport=port, seq=seq, flags="S", window=1024, options=[("MSS", 1460)]), rng.randrange(37, 60), rng.randrange(65536), False), 0)
        tr = tt + rtt + rng.random() * 0.0006
        if port in tg[ip][1]:
            cap.emit(T + tr, ipl(ip, scan_ip, TCP(sport=port, dport=sp, seq=rng.getrandbits(32), ack=seq + 1, flags="SA", window=64240, options=[("MSS", 1460)]), 57, 0), 0)
            cap.emit(T + tr + 0.00006, ipl(scan_ip, ip, TCP(sport=sp, dport=port, seq=seq + 1, flags="R", window=0), 64, 0), 0)
        else:
            h = cap.emit(T + tr, ipl(ip, scan_ip, TCP(sport=port, dport=sp, seq=0, ack=seq + 1, flags="RA", window=0), 57, 0), 0)
            n_rst += 1
            first_rst = first_rst if first_rst is not None else h
    m["scan_first_rst"] = first_rst
    cap.n_rst = n_rst

    def about(cp):
        f = lambda k: cp.f(m[k])  # noqa: E731
        return (f"Two inside interfaces of a corporate egress firewall. On ens224 a vulnerability scanner runs an nmap SYN scan (-F, top 100 ports) against the company's own hosts www and portal.northwind-logistics.com (host discovery from frame {f('ping')}); the {cp.n_rst} SYNs to closed ports are answered by RST/ACK (first frame {f('scan_first_rst')}) with seq 0, ack = probe+1, window 0 and the same TTL 57 the targets use on their open ports, whose SYN/ACKs the scanner's own kernel resets. "
                f"At the same time a Windows workstation on ens256 browses the same hosts normally: DNS (frame {f('u_dns')}), an HTTP 301 to https on the same name (frame {f('u_301')}), TLS to www (SYN frame {f('u_syn443')}) and to portal (SYN frame {f('u_syn_portal')}) all succeed. Closed-port refusals to a scanner are not censorship.")
    return "b9b_egress_scan.pcapng", cap, about


# ============================================================================
# 6. mobile handover: server TTL drops by 6 mid-download, data continues, FIN close
# ============================================================================
def s6_mobile():
    T = 1730461322.0  # 2024-11-01 11:42:02 UTC
    ph = "10.117.42.9"
    ifc = Iface("sll2", "any", local=[ph], arphrd=519, ifindex=19)
    cap = Cap(("pcap", ">", 6), [ifc], 606)
    rng = cap.rng
    m = cap.marks
    phone, dns = Host(ph, 64, rng), Host("10.177.0.34", 62, rng)
    push_n, push_ip = "chat.pushpost.eu", "52.29.187.44"
    pod_n, img_n, fst_n, fst_ip = "audio.radiokiosk.fm", "img.radiokiosk.fm", "radiokiosk.map.fastly.net", "146.75.121.10"
    push, pod = Host(push_ip, 46, rng), Host(fst_ip, 57, rng)

    def resolve(t, name, sp, ta, tq, an4, an6, rtt=0.041):
        udp(cap, T + t, phone, dns, sp, 53, dns_q(ta, name, "A"))
        udp(cap, T + t + 0.00011, phone, dns, sp + 7, 53, dns_q(tq, name, "AAAA"))
        h = udp(cap, T + t + rtt, dns, phone, 53, sp, dns_msg(ta, 0x8180, name, "A", an4))
        udp(cap, T + t + rtt + 0.0021, dns, phone, 53, sp + 7, dns_msg(tq, 0x8180, name, "AAAA", an6))
        return h, t + rtt + 0.0022

    _, t = resolve(0.0, push_n, 37715, 0x0F3A, 0x9D51, [(push_n, "A", 60, push_ip)], [(push_n, "AAAA", 60, "2a05:d014:e2b:e702:3c1a:99f0:6d21:4be8")])
    cp = Tcp(cap, phone, push, 44126, 443, rng, cwin=1369)
    rp = 0.0537
    *_, t1 = cp.connect(T + t + 0.0004, rp)
    tls13_session(cp, t1 + 0.0004, rp, rng, push_n, alpn=(b"http/1.1",), req=310, resp=420, sflight=2800, close=False)
    m["dns_pod"], t = resolve(1.2261, pod_n, 41090, 0x6E02, 0x22B7, [(pod_n, "CNAME", 300, fst_n), (fst_n, "A", 30, fst_ip)], [(pod_n, "CNAME", 300, fst_n), (fst_n, "AAAA", 30, "2a04:4e42:84::266")])
    c = Tcp(cap, phone, pod, 44138, 443, rng, cwin=1369)
    rtt = 0.0482
    m["syn"], m["synack"], _, t1 = c.connect(T + t + 0.0003, rtt)
    data = 3_150_000
    hh, te = tls13_session(c, t1 + 0.0004, rtt, rng, pod_n, alpn=(b"h2", b"http/1.1"), req=520, resp=data, sflight=3200, close=False,
                           bulk_kw={"rate": 7.2e6, "stalls": [(1_402_416, 0.114)], "ttl_change": (1_402_416, 51)})
    m["ch"] = hh["ch"]
    tchg = c.ttl_change_t
    m["first51"] = [h for (ts, h, _i, _f) in cap.items if abs(ts - int(round(tchg * 1e9))) < 2][0]
    # heartbeats on the push connection every 5 s: TTL 46 before the handover, 40 after
    for k in range(6):
        tb = T + 5.117 + 5.0 * k
        if tb > tchg:
            push.ttl = 40
        cp.send(tb, "c", "PA", rec(0x17, rng.randbytes(31)))
        hb = cp.send(tb + rp, "s", "PA", rec(0x17, rng.randbytes(31)))
        if push.ttl == 40 and "push40" not in m:
            m["push40"] = hb
        cp.send(tb + rp + 0.0002, "c", "A")
    # client done with the episode: close_notify + FIN both ways, server side at the new TTL
    tc = te + 0.6
    m["cfin"] = c.send(tc, "c", "FPA", rec(0x17, rng.randbytes(19)))
    m["sfin"] = c.send(tc + rtt, "s", "FPA", rec(0x17, rng.randbytes(19)))
    c.send(tc + rtt + 0.0001, "c", "A")
    # a new connection after the handover sees TTL 51 from the start
    _, t = resolve(tc - T + 0.31, img_n, 41102, 0xA1C9, 0x37E4, [(img_n, "CNAME", 300, fst_n), (fst_n, "A", 30, fst_ip)], [(img_n, "CNAME", 300, fst_n), (fst_n, "AAAA", 30, "2a04:4e42:84::266")], rtt=0.038)
    c2 = Tcp(cap, phone, pod, 44150, 443, rng, cwin=1369)
    m["syn2"], *_, t1 = c2.connect(T + t + 0.0003, rtt)
    tls13_session(c2, t1 + 0.0004, rtt, rng, img_n, req=480, resp=61000, sflight=3200, close=True, bulk_kw={"rate": 7.0e6})

    def about(cp_):
        f = lambda k: cp_.f(m[k])  # noqa: E731
        return (f"Android phone on LTE (rmnet, cooked v2 capture) downloading a podcast from audio.radiokiosk.fm (SYN frame {f('syn')}, ClientHello frame {f('ch')}). Midway through the 3 MB body a handover moves the phone to a different gateway: after a ~110 ms gap the server's TTL changes from 57 to 51 (first such segment frame {f('first51')}) and in-sequence data continues at the same rate, "
                f"the unrelated push connection to chat.pushpost.eu is shifted by the same 6 hops (TTL 46 in its handshake, 40 from its next heartbeat, frame {f('push40')}), the download finishes and both sides close normally with close_notify and FIN (frames {f('cfin')}, {f('sfin')}), and a fresh connection afterwards (SYN frame {f('syn2')}) sees TTL 51 from its SYN/ACK on. A route change, not an injector.")
    return "b9b_mobile_ttl.pcap", cap, about


# ============================================================================
# 7. QUIC: NAT rebinding mid-connection (old path probes unanswered); VN then v1
# ============================================================================
class QuicConn:
    """A QUIC connection seen on the router's WAN side (client = NATed LAN host)."""

    def __init__(self, cap, rng, cli, srv, sport, rtt, iface=0, mtu=1252):
        self.cap, self.rng, self.cli, self.srv, self.sport, self.rtt, self.iface, self.mtu = cap, rng, cli, srv, sport, rtt, iface, mtu
        self.cscid, self.sscid = rng.randbytes(8), rng.randbytes(8)
        self.fl_c, self.fl_s = rng.getrandbits(20), rng.getrandbits(20)

    def c(self, t, payload, sport=None):
        return udp(self.cap, t, self.cli, self.srv, sport or self.sport, 443, payload, iface=self.iface, fl=self.fl_c)

    def s(self, t, payload, dport=None):
        return udp(self.cap, t, self.srv, self.cli, 443, dport or self.sport, payload, iface=self.iface, fl=self.fl_s)

    def initial(self, t, version, sni, alpn):
        rng = self.rng
        self.odcid = rng.randbytes(8)
        tp = quic_tp(rng, self.cscid, draft=version != 1)
        ch, _ = client_hello(rng, sni, alpn=(alpn,), quic_tp=tp, tp_code=0x39 if version == 1 else 0xFFA5)
        self.version = version
        return self.c(t, quic_initial(version, self.odcid, self.cscid, 0, crypto_frame(0, ch), self.odcid, False, pad_to=1250))

    def handshake(self, t):
        """Server Initial+Handshake flight, client Initial ACK + Handshake Finished, first 1-RTT. Returns (server_initial_handle, t)."""
        rng, v, r = self.rng, self.version, self.rtt
        sh = server_hello13(rng, b"")
        init = quic_initial(v, self.cscid, self.sscid, 0, ack_frame(0) + crypto_frame(0, sh), self.odcid, True)
        t1 = t + r + 0.0012
        h = self.s(t1, init + quic_long_opaque(rng, v, 2, self.cscid, self.sscid, 1200 - len(init)))
        self.s(t1 + 0.00004, quic_long_opaque(rng, v, 2, self.cscid, self.sscid, 1200))
        self.s(t1 + 0.00008, quic_long_opaque(rng, v, 2, self.cscid, self.sscid, 811))
        t2 = t1 + 0.0009
        hs = quic_long_opaque(rng, v, 2, self.sscid, self.cscid, 87)
        self.c(t2, quic_initial(v, self.sscid, self.cscid, 1, ack_frame(0), self.odcid, False, pad_to=1250 - len(hs)) + hs)
        self.c(t2 + 0.0003, quic_short(rng, self.sscid, 271))
        t3 = t2 + r
        self.s(t3, quic_short(rng, self.cscid, 312))
        return h, t3

    def download(self, t, nbytes, rate=60e6, sport=None, first_handle=False):
        rng, r = self.rng, self.rtt
        n = max(1, nbytes // (self.mtu - 30))
        tt = t
        first = None
        for i in range(n):
            tt = t + i * self.mtu * 8 / rate + (r * (i // 64))
            h = self.s(tt, quic_short(rng, self.cscid, self.mtu), dport=sport)
            first = first or h
            if i % 2 == 1 or i == n - 1:
                self.c(tt + 0.00005 + (0.0 if i % 2 else 0.024), quic_short(rng, self.sscid, 44 + rng.randrange(0, 6)), sport=sport)
        return first, tt + 0.025


def s7_quic():
    T = 1730809611.0  # 2024-11-05 12:26:51 UTC
    wan4, lan6 = "84.17.45.10", "2a02:8109:b6c0:1e00:5d3a:92ff:fe14:7b1"
    rmac, gmac = "2c:91:ab:73:5d:11", "00:31:46:0d:5e:01"
    ifc = Iface("en10mb", "wan0", tsresol=9, macs={wan4: rmac, lan6: rmac}, gw=gmac, pad="from_gw")
    cap = Cap(("pcapng",), [ifc], 707)
    rng = cap.rng
    m = cap.marks
    router = Host(wan4, 64, rng, "zero")
    natc = Host(wan4, 63, rng)  # LAN client after NAT: TTL-1, its own socket's IP ID counter
    c6 = Host(lan6, 63, rng)
    q9, q9b = Host("9.9.9.9", 57, rng), Host("149.112.112.112", 57, rng)
    soa_n = [("nordlicht-video.de", "SOA", 300, ("ns1.your-server.de", "postmaster.your-server.de", 2024110401))]

    def fwd(t, name, qtype, an, ns=(), srv=q9, rtt=0.0131):
        sp, tx = rng.randrange(20000, 60000), rng.randrange(65536)
        udp(cap, t, router, srv, sp, 53, dns_q(tx, name, qtype))
        return udp(cap, t + rtt, srv, router, 53, sp, dns_msg(tx, 0x8180, name, qtype, an, ns))

    # --- flow M: QUIC to quic.nordlicht-video.de over IPv4 through NAT, rebinding after idle
    name, sip = "quic.nordlicht-video.de", "49.12.76.201"
    t = T
    m["dns_m"] = fwd(t, name, "A", [(name, "A", 300, sip)])
    fwd(t + 0.00004, name, "AAAA", [], soa_n)
    srv = Host(sip, 55, rng, "zero")
    q = QuicConn(cap, rng, natc, srv, 51344, 0.0236)
    m["m_init"] = q.initial(t + 0.0142, 1, name, b"h3")
    m["m_sinit"], t3 = q.handshake(t + 0.0142)
    _, te = q.download(t3 + 0.019, 183000)
    q.c(te + 0.9, quic_short(rng, q.sscid, 96))
    m["m_last_old"], te = q.download(te + 0.9 + q.rtt + 0.012, 96000)
    # 21.7 s idle: the NAT mapping expires; the next client packet leaves from a new port
    tn = te + 21.7
    newp = 62077
    m["m_new"] = q.c(tn, quic_short(rng, q.sscid, 88), sport=newp)
    tr = tn + q.rtt
    m["m_chal_new"] = q.s(tr, quic_short(rng, q.cscid, 248), dport=newp)  # PATH_CHALLENGE, amplification-limited
    m["m_probe_old"] = q.s(tr + 0.00003, quic_short(rng, q.cscid, 1200))  # PATH_CHALLENGE on the old path (RFC 9000 9.3.3)
    q.c(tr + 0.0004, quic_short(rng, q.sscid, 1250), sport=newp)  # PATH_RESPONSE, padded
    for d in (0.071, 0.213):
        h = q.s(tr + 0.00003 + d, quic_short(rng, q.cscid, 1200))  # probe retransmissions to the dead mapping
        m["m_probe_old_last"] = h
    m["m_new_data"], te = q.download(tr + 0.0004 + q.rtt, 121000, sport=newp)
    q.c(te + 6.2, quic_short(rng, q.sscid, 91), sport=newp)
    _, te = q.download(te + 6.2 + q.rtt + 0.011, 88000, sport=newp)
    m["m_close"] = q.c(te + 3.1, quic_short(rng, q.sscid, 49), sport=newp)  # CONNECTION_CLOSE
    # --- ordinary NATed TCP/TLS flow
    t = T + 5.1733
    nm2 = "www.fjordpost.no"
    fwd(t, nm2, "A", [(nm2, "CNAME", 3600, "fjordpost.map.fastly.net"), ("fjordpost.map.fastly.net", "A", 30, "151.101.86.133")], srv=q9b, rtt=0.0142)
    c = Tcp(cap, natc, Host("151.101.86.133", 58, rng), 40112, 443, rng)
    *_, t1 = c.connect(t + 0.0146, 0.0095)
    tls13_session(c, t1 + 0.0004, 0.0095, rng, nm2, req=540, resp=74200, sflight=3300)
    # --- flow V: IPv6 client tries draft-29, server answers Version Negotiation, client retries with v1
    t = T + 9.8125
    nm3, s6ip = "static.fjordpost.no", "2a04:4e42:8e::313"
    fwd(t, nm3, "A", [(nm3, "CNAME", 3600, "fjordpost.map.fastly.net"), ("fjordpost.map.fastly.net", "A", 30, "151.101.86.133")])
    m["dns_v"] = fwd(t + 0.00004, nm3, "AAAA", [(nm3, "CNAME", 3600, "fjordpost.map.fastly.net"), ("fjordpost.map.fastly.net", "AAAA", 30, s6ip)])
    s6 = Host(s6ip, 57, rng)
    v = QuicConn(cap, rng, c6, s6, 57308, 0.0102, mtu=1232)
    t = t + 0.0139
    m["v_init29"] = v.initial(t, 0xFF00001D, nm3, b"h3-29")
    vn = u8(0x80 | rng.randrange(128)) + b"\x00\x00\x00\x00" + v8(v.cscid) + v8(v.odcid) + struct.pack("!II", 0x00000001, 0x3A4A5A6A)
    m["v_vn"] = v.s(t + v.rtt, vn)
    m["v_init1"] = v.initial(t + v.rtt + 0.0003, 1, nm3, b"h3")
    m["v_sinit"], t3 = v.handshake(t + v.rtt + 0.0003)
    _, te = v.download(t3 + 0.006, 64000, rate=80e6)
    v.c(te + 2.4, quic_short(rng, v.sscid, 47))

    def about(cp):
        f = lambda k: cp.f(m[k])  # noqa: E731
        return (f"Home router WAN capture. A LAN client's HTTP/3 connection to quic.nordlicht-video.de (v1 Initial frame {f('m_init')}, server Initial frame {f('m_sinit')}) downloads normally from NAT port 51344; after 21.7 s idle the NAT mapping has expired and the client's next packet leaves from port 62077 (frame {f('m_new')}, same connection IDs, same IP ID sequence). "
                f"The server validates the new path (PATH_CHALLENGE frame {f('m_chal_new')}) and keeps serving there (from frame {f('m_new_data')}), while its probes to the old address/port (frames {f('m_probe_old')}-{f('m_probe_old_last')}) go unanswered because that mapping no longer exists; the client later closes the connection itself (frame {f('m_close')}). "
                f"Separately an IPv6 client's draft-29 Initial (frame {f('v_init29')}) gets a Version Negotiation offering version 1 (frame {f('v_vn')}) and the v1 retry (frame {f('v_init1')}) completes. Migration and version negotiation, not QUIC blocking.")
    return "b9b_quic_migrate_vn.pcapng", cap, about


# ============================================================================
# 8. big slow downloads from a slow, far server (both SNIs equally slow), fast one elsewhere
# ============================================================================
def s8_slow():
    T = 1731162447.0  # 2024-11-09 14:27:27 UTC
    cip, rip = "192.168.178.50", "192.168.178.1"
    ifc = Iface("en10mb", "enp5s0", macs={cip: "b4:2e:99:6a:07:d3", rip: "3c:a6:2f:41:9e:20"}, gw="3c:a6:2f:41:9e:20", pad="from_gw")
    cap = Cap(("pcap", "<", 6), [ifc], 808)
    rng = cap.rng
    m = cap.marks
    cli, rtr = Host(cip, 64, rng), Host(rip, 64, rng)
    mir_ip, fast_ip = "119.252.190.37", "46.23.85.130"
    n1, n2, nf = "downloads.southernmirror.net", "iso.southernmirror.net", "dl.fastbyte-cdn.net"

    def resolve(t, name, ip, sp, ta, tq, rtt):
        udp(cap, T + t, cli, rtr, sp, 53, dns_q(ta, name, "A"))
        udp(cap, T + t + 0.00003, cli, rtr, sp, 53, dns_q(tq, name, "AAAA"))
        h = udp(cap, T + t + rtt, rtr, cli, 53, sp, dns_msg(ta, 0x8180, name, "A", [(name, "A", 3600, ip)]))
        udp(cap, T + t + rtt + 0.0002, rtr, cli, 53, sp, dns_msg(tq, 0x8180, name, "AAAA", [], [(name.split(".", 1)[1], "SOA", 3600, ("ns1." + name.split(".", 1)[1], "hostmaster." + name.split(".", 1)[1], 2024110901))]))
        return h, t + rtt + 0.0003

    rtt = 0.2914
    size = 1_050_000
    stalls = [(180_000, 0.62), (455_000, 0.87), (760_000, 0.55)]
    flows = []
    for k, (nm, sp, port) in enumerate(((n1, 50014, 41562), (n2, 50022, 41570))):
        h, t = resolve(0.0 + 0.2071 * k, nm, mir_ip, sp, rng.randrange(65536), rng.randrange(65536), 0.0187 if k == 0 else 0.0009)
        m[f"dns{k}"] = h
        c = Tcp(cap, cli, Host(mir_ip, 46, rng), port, 443, rng, cwin=256)
        m[f"syn{k}"], *_, t1 = c.connect(T + t + 0.0002, rtt, synwin=32120)
        hh, _ = tls13_session(c, t1 + 0.0004, rtt, rng, nm, alpn=(b"http/1.1",), req=230, resp=size, sflight=4100, server_think=0.021,
                               bulk_kw={"rwnd": 32768, "rate": 1.9e6, "stalls": stalls})
        m[f"ch{k}"] = hh["ch"]
        flows.append(size * 8 / (hh["body_end"] - hh["body_start"]) / 1e6)
    h, t = resolve(3.8836, nf, fast_ip, 50031, 0x92D4, 0x0B6E, 0.0163)
    m["dnsf"] = h
    c = Tcp(cap, cli, Host(fast_ip, 56, rng), 41588, 443, rng)
    m["synf"], *_, t1 = c.connect(T + t + 0.0002, 0.0108)
    hh, _ = tls13_session(c, t1 + 0.0004, 0.0108, rng, nf, alpn=(b"h2", b"http/1.1"), req=310, resp=4_200_000, sflight=3500,
                            bulk_kw={"rate": 92e6, "rwnd": 3_145_728})
    m["chf"] = hh["ch"]
    fast = 4_200_000 * 8 / (hh["body_end"] - hh["body_start"]) / 1e6

    def about(cp):
        f = lambda k: cp.f(m[k])  # noqa: E731
        return (f"Two parallel HTTPS downloads (~1 MB each) from the same far-away mirror 119.252.190.37 (RTT ~290 ms) with different SNIs, downloads.southernmirror.net (ClientHello frame {f('ch0')}) and iso.southernmirror.net (frame {f('ch1')}), both crawl at {flows[0]:.2f} and {flows[1]:.2f} Mbit/s: the client advertises a fixed 32 KB receive window, the server never has more than that in flight and pauses for the same disk stalls on both flows. "
                f"Meanwhile a 4 MB download from dl.fastbyte-cdn.net (46.23.85.130, ClientHello frame {f('chf')}) averages {fast:.0f} Mbit/s. The slow flows are equally slow whatever the SNI, limited by window/RTT and the server itself, with no loss pattern; comparing against a different, nearby server is not a throttling control.")
    return "b9b_slow_mirror.pcap", cap, about


def main():
    if len(sys.argv) != 2:
        print("usage: blind9_benign.py OUTDIR", file=sys.stderr)
        sys.exit(2)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    write_all(outdir, [s() for s in SCENARIOS])


SCENARIOS = [s1_dns_geo, s2_tfo, s3_keepalive, s4_zero_rtt, s5_scan, s6_mobile, s7_quic, s8_slow]

if __name__ == "__main__":
    main()
