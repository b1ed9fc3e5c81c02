#!/usr/bin/env python3
# ruff: noqa: B905, E501, RUF005
"""Blind holdout round 5, positive set: eight deterministic client-side captures of censorship.

Usage:  python blind5_positive.py OUTDIR

Writes eight captures plus OUTDIR/expect.json.  Each capture shows one censorship mechanism
from the analyzer contract (a second one only where the packets genuinely show it too),
mixed with ordinary background traffic (normal DNS lookups, full TLS handshakes to other
servers).  Every byte is derived from fixed seeds, so two runs give identical files.

Shapes (file formats deliberately varied):
  1 dns-injection      Linux cooked (SLL v1) pcap; China; three forged UDP answers from three
                       injectors (different IP TTL / IP ID / DNS TTL / answer) race the
                       genuine 8.8.8.8 answer, for an A and an AAAA query.
  2 dns-tampering      big-endian pcap, IPv6-only transport; Iran; the ISP resolver answers
                       10.10.34.36 / d0::11 for blocked names, over UDP and over TCP port 53.
  3 rst-injection      DLT_NULL (macOS utun) pcap; China; the ClientHello (post-quantum key
                       share) is split over two TCP segments with the SNI in the second one;
                       three RST+ACK with TTL/IP-ID/DF unlike the server's; a control SNI to
                       the same address works.
  4 packet-injection   pcapng, nanosecond if_tsresol, two interfaces (Ethernet + raw-IP wg0);
    + blockpage        South Korea; an injected 302 to www.warning.or.kr, then the genuine
                       200 OK arrives later at the same sequence numbers.
  5 tls-mitm           pcapng; Kazakhstan; TLS 1.2 chain in cleartext issued by a made-up
                       corporate-looking CA (full chain incl. self-signed root), leaf subject
                       copied from the real site; other TLS sessions are not intercepted.
  6 blackhole          pcap with nanosecond magic; Russia; properly encrypted QUIC v1 Initials
                       (SNI www.youtube.com) never answered, twice, while TCP/443 to the same
                       address and name completes.
  7 throttling         pcapng, IPv6; Russia (Twitter throttling, 2021); SNI abs.twimg.com gets
                       ~18 kB/s with policer drops and retransmissions; an innocuous SNI to the
                       same server address gets megabytes per second.
  8 residual-blocking  pcap; China; HTTP Host www.rfa.org on port 80 triggers RST bursts (RST
    + rst-injection    only, sequence numbers base/+1460/+4380); new innocuous connections to the
                       same ip:80 are reset for 90 s while ip:443 works; port 80 works again
                       after the window.
"""

import datetime
import hashlib
import hmac
import json
import math
import os
import random
import socket
import struct
import sys
from typing import ClassVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from scapy.all import IP, TCP, UDP, IPv6, Raw, raw

M32 = 0xFFFFFFFF


# ----------------------------------------------------------------------------------------
# byte helpers
# ----------------------------------------------------------------------------------------

def u8(v):
    return struct.pack("!B", v)


def u16(v):
    return struct.pack("!H", v)


def u24(v):
    return struct.pack("!I", v)[1:]


def u32(v):
    return struct.pack("!I", v)


def v8(b):
    return u8(len(b)) + b


def v16(b):
    return u16(len(b)) + b


def v24(b):
    return u24(len(b)) + b


def macb(s):
    return bytes.fromhex(s.replace(":", ""))


def rbytes(rng, n):
    return rng.getrandbits(8 * n).to_bytes(n, "big") if n else b""


def chunks(data, n):
    return [data[i:i + n] for i in range(0, len(data), n)]


def epoch_ns(y, mo, d, h, mi, s, us=0):
    dt = datetime.datetime(y, mo, d, h, mi, s, tzinfo=datetime.UTC)
    return int(dt.timestamp()) * 10**9 + us * 1000


# ----------------------------------------------------------------------------------------
# capture container and file writers
# ----------------------------------------------------------------------------------------

LINKTYPE = {"null": 0, "ether": 1, "raw": 101, "sll": 113}


class Capture:
    """Collects IP packets with client-side timestamps; frames them per interface link type."""

    def __init__(self, base_ns, ifaces):
        self.base = base_ns
        self.ifaces = ifaces  # list of dicts: link, name, cmac, gmac
        self.items = []

    def add(self, t, ipb, out, iface=0):
        self.items.append((self.base + round(t * 1e9), len(self.items), iface, out, ipb))

    def frame(self, iface, out, ipb):
        d = self.ifaces[iface]
        v6 = (ipb[0] >> 4) == 6
        et = 0x86DD if v6 else 0x0800
        link = d["link"]
        if link == "ether":
            src, dst = (d["cmac"], d["gmac"]) if out else (d["gmac"], d["cmac"])
            return macb(dst) + macb(src) + u16(et) + ipb
        if link == "sll":
            addr = macb(d["cmac"] if out else d["gmac"])
            return struct.pack("!HHH", 4 if out else 0, 1, 6) + addr + b"\x00\x00" + u16(et) + ipb
        if link == "null":
            return struct.pack("<I", 30 if v6 else 2) + ipb
        if link == "raw":
            return ipb
        raise ValueError(link)

    def frames(self):
        return [(ts, ifc, self.frame(ifc, out, ipb)) for ts, _, ifc, out, ipb in sorted(self.items, key=lambda x: (x[0], x[1]))]


def write_pcap(path, cap, *, nano=False, big_endian=False, snaplen=262144):
    e = ">" if big_endian else "<"
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = [struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, LINKTYPE[cap.ifaces[0]["link"]])]
    for ts, _ifc, data in cap.frames():
        sec, frac = divmod(ts, 10**9)
        if not nano:
            frac //= 1000
        out.append(struct.pack(e + "IIII", sec, frac, len(data), len(data)) + data)
    with open(path, "wb") as fh:
        fh.write(b"".join(out))


def _opt(code, val):
    pad = (-len(val)) % 4
    return u16(code) + u16(len(val)) + val + b"\x00" * pad


def _block(btype, body):
    blen = 12 + len(body)
    return struct.pack("<II", btype, blen) + body + struct.pack("<I", blen)


def _lopt(code, val):
    pad = (-len(val)) % 4
    return struct.pack("<HH", code, len(val)) + val + b"\x00" * pad


def write_pcapng(path, cap, *, tsresol=9, userappl=b"Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)",
                 os_name=b"Linux 6.8.0-45-generic", hardware=b"x86_64"):
    shb_opts = _lopt(2, hardware) + _lopt(3, os_name) + _lopt(4, userappl) + _lopt(0, b"")
    out = [_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + shb_opts)]
    for d in cap.ifaces:
        opts = _lopt(2, d["name"].encode()) + _lopt(9, bytes([tsresol]))
        if d["link"] == "ether":
            opts += _lopt(6, macb(d["cmac"]))
        opts += _lopt(0, b"")
        out.append(_block(1, struct.pack("<HHI", LINKTYPE[d["link"]], 0, 262144) + opts))
    div = 10 ** (9 - tsresol)
    for ts, ifc, data in cap.frames():
        tsu = ts // div
        pad = (-len(data)) % 4
        body = struct.pack("<IIIII", ifc, tsu >> 32, tsu & M32, len(data), len(data)) + data + b"\x00" * pad
        out.append(_block(6, body))
    with open(path, "wb") as fh:
        fh.write(b"".join(out))


# ----------------------------------------------------------------------------------------
# IP / TCP / UDP packet construction (scapy computes lengths and checksums)
# ----------------------------------------------------------------------------------------

def ipwrap(src, dst, l4, ttl, ipid=0, df=True, fl=0, tos=0):
    if ":" in src:
        p = IPv6(src=src, dst=dst, hlim=ttl, fl=fl, tc=tos) / l4
    else:
        p = IP(src=src, dst=dst, ttl=ttl, id=ipid & 0xFFFF, flags=("DF" if df else 0), tos=tos) / l4
    return raw(p)


class IdGen:
    """IP ID source: 'inc' counter (optionally shared between flows) or 'rand' per packet."""

    def __init__(self, rng, mode="inc", start=None):
        self.rng = rng
        self.mode = mode
        self.v = rng.randrange(1, 65536) if start is None else start

    def __call__(self):
        if self.mode == "rand":
            return self.rng.randrange(1, 65536)
        v = self.v & 0xFFFF
        self.v += 1
        return v


def udp_pkt(cap, t, src, dst, sport, dport, payload, ttl, ipid, df, out, iface=0, fl=0):
    cap.add(t, ipwrap(src, dst, UDP(sport=sport, dport=dport) / Raw(payload), ttl, ipid, df, fl=fl), out, iface)


class TCPFlow:
    """One TCP connection seen from the client.  Client packets are stamped when sent,
    server packets when they arrive.  Acks are tracked assuming in-order delivery unless a
    scenario drives the fields by hand."""

    SYN_WIN: ClassVar[dict] = {"linux": 64240, "linux6": 64800, "windows": 64240, "macos": 65535}
    EST_WIN: ClassVar[dict] = {"linux": 502, "linux6": 507, "windows": 1026, "macos": 2058}

    def __init__(self, cap, rng, cip, sip, cport, sport, rtt, *, c_ttl=64, s_ttl=52, iface=0,
                 c_os="linux", c_mss=1460, s_mss=1460, c_ids=None, s_ids=None, s_win=501,
                 s_synwin=65160, s_synack_id0=True):
        self.cap, self.rng = cap, rng
        self.cip, self.sip, self.cport, self.sport, self.rtt = cip, sip, cport, sport, rtt
        self.iface = iface
        self.v6 = ":" in cip
        self.c_ttl, self.s_ttl = c_ttl, s_ttl
        self.c_os = c_os
        self.ts = c_os != "windows"
        self.cisn, self.sisn = rng.getrandbits(32), rng.getrandbits(32)
        self.cseq, self.sseq = self.cisn, self.sisn
        self.c_rcv = 0  # ack value the client sends
        self.s_rcv = 0  # ack value the server sends
        self.c_ids = c_ids or IdGen(rng, "rand" if c_os == "macos" else "inc")
        self.s_ids = s_ids or IdGen(rng)
        self.cts0, self.sts0 = rng.getrandbits(31), rng.getrandbits(31)
        self.c_tsecr = self.s_tsecr = 0
        self.c_mss, self.s_mss = c_mss, s_mss
        opt = 12 if self.ts else 0
        self.seg_c = s_mss - opt
        self.seg_s = c_mss - opt
        key = c_os + ("6" if self.v6 and c_os == "linux" else "")
        self.c_synwin = self.SYN_WIN[key]
        self.c_win = self.EST_WIN[key]
        self.s_win, self.s_synwin = s_win, s_synwin
        self.s_synack_id0 = s_synack_id0
        self.fl_c, self.fl_s = rng.getrandbits(20), rng.getrandbits(20)

    # -- low level
    def emit(self, t, from_client, flags, seq, ack, payload=b"", opts=None, win=None, ttl=None, ipid=None, df=True):
        if from_client:
            src, dst, sp, dp = self.cip, self.sip, self.cport, self.sport
            ttl = self.c_ttl if ttl is None else ttl
            ipid = self.c_ids() if ipid is None else ipid
            win = self.c_win if win is None else win
            fl = self.fl_c
        else:
            src, dst, sp, dp = self.sip, self.cip, self.sport, self.cport
            ttl = self.s_ttl if ttl is None else ttl
            ipid = self.s_ids() if ipid is None else ipid
            win = self.s_win if win is None else win
            fl = self.fl_s
        tcp = TCP(sport=sp, dport=dp, seq=seq & M32, ack=(ack & M32) if "A" in flags else 0, flags=flags,
                  window=win, options=opts or [])
        if payload:
            tcp = tcp / Raw(payload)
        self.cap.add(t, ipwrap(src, dst, tcp, ttl, ipid, df, fl=fl), from_client, self.iface)

    def tsopt(self, t, from_client, sack=None):
        if not self.ts:
            o = []
        elif from_client:
            v = (self.cts0 + int(t * 1000)) & M32
            o = [("NOP", None), ("NOP", None), ("Timestamp", (v, self.c_tsecr))]
            self.s_tsecr = v
        else:
            v = (self.sts0 + int(t * 1000)) & M32
            o = [("NOP", None), ("NOP", None), ("Timestamp", (v, self.s_tsecr))]
            self.c_tsecr = v
        if sack:
            o += [("NOP", None), ("NOP", None), ("SAck", tuple(x & M32 for x in sack))]
        return o

    # -- handshake
    def syn(self, t):
        v = (self.cts0 + int(t * 1000)) & M32
        if self.c_os == "windows":
            opts = [("MSS", self.c_mss), ("NOP", None), ("WScale", 8), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
        elif self.c_os == "macos":
            opts = [("MSS", self.c_mss), ("NOP", None), ("WScale", 6), ("NOP", None), ("NOP", None),
                    ("Timestamp", (v, 0)), ("SAckOK", b""), ("EOL", None)]
        else:
            opts = [("MSS", self.c_mss), ("SAckOK", b""), ("Timestamp", (v, 0)), ("NOP", None), ("WScale", 7)]
        self.s_tsecr = v
        self.emit(t, True, "S", self.cisn, 0, opts=opts, win=self.c_synwin)
        self.cseq = self.cisn + 1

    def synack(self, t):
        v = (self.sts0 + int(t * 1000)) & M32
        if self.ts:
            opts = [("MSS", self.s_mss), ("SAckOK", b""), ("Timestamp", (v, self.s_tsecr)), ("NOP", None), ("WScale", 7)]
        else:
            opts = [("MSS", self.s_mss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", 7)]
        self.c_tsecr = v
        self.emit(t, False, "SA", self.sisn, self.cisn + 1, opts=opts, win=self.s_synwin,
                  ipid=0 if self.s_synack_id0 else None)
        self.sseq = self.sisn + 1
        self.s_rcv = self.cisn + 1
        self.c_rcv = self.sisn + 1

    def handshake(self, t):
        self.syn(t)
        self.synack(t + self.rtt)
        t2 = t + self.rtt + 0.000047
        self.c_ack(t2)
        return t2

    # -- data
    def c_ack(self, t, sack=None):
        self.emit(t, True, "A", self.cseq, self.c_rcv, opts=self.tsopt(t, True, sack))

    def s_ack(self, t):
        self.emit(t, False, "A", self.sseq, self.s_rcv, opts=self.tsopt(t, False))

    def c_data(self, t, data, gap=0.000021):
        segs = chunks(data, self.seg_c)
        for i, seg in enumerate(segs):
            self.emit(t, True, "PA" if i == len(segs) - 1 else "A", self.cseq, self.c_rcv, seg, opts=self.tsopt(t, True))
            self.cseq += len(seg)
            self.s_rcv = self.cseq
            if i < len(segs) - 1:
                t += gap
        return t

    def s_bulk(self, t, data, cwnd=10, gap=0.00012, ack_delay=0.000031, final_ack=True):
        """Server->client transfer with slow start and no loss; client acks every 2nd segment."""
        segs = chunks(data, self.seg_s)
        i, tr, cnt, last = 0, t, 0, t
        while i < len(segs):
            k = min(cwnd, len(segs) - i)
            for j in range(k):
                ta = tr + j * gap
                seg = segs[i + j]
                self.emit(ta, False, "PA" if i + j == len(segs) - 1 else "A", self.sseq, self.s_rcv, seg, opts=self.tsopt(ta, False))
                self.sseq += len(seg)
                self.c_rcv = self.sseq
                cnt += 1
                last = ta
                if cnt % 2 == 0 and (i + j < len(segs) - 1 or final_ack):
                    self.c_ack(ta + ack_delay)
                    last = ta + ack_delay
            i += k
            if i < len(segs):
                tr = max(tr + self.rtt, tr + k * gap)
                cwnd *= 2
        if cnt % 2 == 1 and final_ack:
            last += ack_delay
            self.c_ack(last)
        return last

    def c_fin(self, t):
        self.emit(t, True, "FA", self.cseq, self.c_rcv, opts=self.tsopt(t, True))
        self.cseq += 1
        self.s_rcv = self.cseq

    def s_fin(self, t, data=b""):
        self.emit(t, False, "FPA" if data else "FA", self.sseq, self.s_rcv, data, opts=self.tsopt(t, False))
        self.sseq += len(data) + 1
        self.c_rcv = self.sseq

    def c_rst(self, t, seq=None):
        self.emit(t, True, "R", self.cseq if seq is None else seq, 0, win=0)

    def inject(self, t, *, flags, seq, ack, payload=b"", ttl, ipid, df, win, to_client=True, opts=None):
        """A forged packet that claims to come from the other endpoint (no state change)."""
        self.emit(t, not to_client, flags, seq, ack, payload, opts=opts, win=win, ttl=ttl, ipid=ipid, df=df)

    def close_by_client(self, t, tls=True):
        if tls:
            t = self.c_data(t, tls_record(23, rbytes(self.rng, 19)))
            t += 0.000015
        self.c_fin(t)
        t += self.rtt
        self.s_fin(t, tls_record(23, rbytes(self.rng, 19)) if tls else b"")
        self.c_ack(t + 0.000036)
        return t + 0.000036


# ----------------------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------------------

GREASE = [0x0A0A + 0x1010 * i for i in range(16)]


def tls_record(ct, body, ver=0x0303):
    return u8(ct) + u16(ver) + v16(body)


def hs_msg(t, body):
    return u8(t) + v24(body)


def ext(t, body):
    return u16(t) + v16(body)


def client_hello(rng, sni, *, style="chrome", alpn=(b"h2", b"http/1.1"), pq=False, order=None, quic_tp=None):
    """Returns (handshake message bytes, info).  style: chrome (GREASE, permuted extensions)
    or openssl (curl).  quic_tp: transport parameters -> QUIC ClientHello (TLS 1.3 only)."""
    grease = style == "chrome"
    quic = quic_tp is not None

    def g():
        return rng.choice(GREASE)

    crandom = rbytes(rng, 32)
    sid = b"" if quic else rbytes(rng, 32)
    if quic:
        ciphers = [0x1301, 0x1302, 0x1303]
    elif style == "openssl":
        ciphers = [0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8, 0xCCAA, 0xC02B, 0xC02F, 0x009E,
                   0xC024, 0xC028, 0x006B, 0xC023, 0xC027, 0x0067, 0xC00A, 0xC014, 0x0039, 0xC009, 0xC013, 0x0033,
                   0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F, 0x00FF]
    else:
        ciphers = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014,
                   0x009C, 0x009D, 0x002F, 0x0035]
    if grease:
        ciphers = [g()] + ciphers
    e = {}
    e["sni"] = ext(0x0000, v16(u8(0) + v16(sni.encode())))
    e["ems"] = ext(0x0017, b"")
    e["reneg"] = ext(0xFF01, b"\x00")
    groups = ([g()] if grease else []) + ([0x11EC] if pq else []) + [0x001D, 0x0017, 0x0018]
    if style == "openssl":
        groups = [0x001D, 0x0017, 0x001E, 0x0019, 0x0018]
    e["groups"] = ext(0x000A, v16(b"".join(u16(x) for x in groups)))
    e["ecpf"] = ext(0x000B, v8(b"\x00" if style != "openssl" else b"\x00\x01\x02"))
    e["ticket"] = ext(0x0023, b"")
    e["alpn"] = ext(0x0010, v16(b"".join(v8(a) for a in alpn)))
    e["status"] = ext(0x0005, b"\x01\x00\x00\x00\x00")
    sigalgs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]
    if style == "openssl":
        sigalgs = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080A, 0x080B, 0x0804, 0x0805, 0x0806,
                   0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602]
    e["sigalgs"] = ext(0x000D, v16(b"".join(u16(x) for x in sigalgs)))
    e["sct"] = ext(0x0012, b"")
    shares = b""
    if grease:
        shares += u16(g()) + v16(b"\x00")
    if pq:
        shares += u16(0x11EC) + v16(rbytes(rng, 1216))
    shares += u16(0x001D) + v16(rbytes(rng, 32))
    e["keyshare"] = ext(0x0033, v16(shares))
    e["pskmodes"] = ext(0x002D, v8(b"\x01"))
    vers = ([g()] if grease else []) + [0x0304] + ([] if quic else [0x0303])
    e["versions"] = ext(0x002B, v8(b"".join(u16(v) for v in vers)))
    e["compress"] = ext(0x001B, v8(u16(2)))
    e["etm"] = ext(0x0016, b"")
    if quic:
        e["quic_tp"] = ext(0x0039, quic_tp)
    if style == "openssl":
        names = ["sni", "ecpf", "groups", "ticket", "alpn", "etm", "ems", "sigalgs", "versions", "pskmodes", "keyshare"]
    else:
        names = ["sni", "ems", "reneg", "groups", "ecpf", "ticket", "alpn", "status", "sigalgs", "sct",
                 "keyshare", "pskmodes", "versions", "compress"] + (["quic_tp"] if quic else [])
        if quic:
            names = [n for n in names if n not in ("reneg", "ecpf", "ticket", "sct", "status")]
        if order is None:
            rng.shuffle(names)
        else:
            names = list(order)
    body_exts = b"".join(e[n] for n in names)
    if grease:
        body_exts = ext(g(), b"") + body_exts + ext(g(), b"\x00")
    body = u16(0x0303) + crandom + v8(sid) + v16(b"".join(u16(c) for c in ciphers)) + v8(b"\x00") + v16(body_exts)
    return hs_msg(1, body), {"random": crandom, "sid": sid}


def server_hello13(rng, sid, cipher=0x1301):
    exts = ext(0x002B, u16(0x0304)) + ext(0x0033, u16(0x001D) + v16(rbytes(rng, 32)))
    return hs_msg(2, u16(0x0303) + rbytes(rng, 32) + v8(sid) + u16(cipher) + b"\x00" + v16(exts))


def appdata_stream(rng, nbytes, maxrec=16401):
    out = []
    left = nbytes
    while left > 0:
        n = min(maxrec, left)
        out.append(tls_record(23, rbytes(rng, n)))
        left -= n
    return b"".join(out)


def https_fetch(cap, rng, t, cip, sip, sni, *, rtt, s_ttl, cport, iface=0, c_os="linux", c_ttl=64,
                resp=24000, style="chrome", pq=False, c_mss=1460, s_mss=1460, c_ids=None, think=0.004):
    """A complete, ordinary TLS 1.3 session: handshake, one request/response, orderly close."""
    f = TCPFlow(cap, rng, cip, sip, cport, 443, rtt, c_ttl=c_ttl, s_ttl=s_ttl, iface=iface, c_os=c_os,
                c_mss=c_mss, s_mss=s_mss, c_ids=c_ids)
    t = f.handshake(t)
    ch, info = client_hello(rng, sni, style=style, pq=pq)
    t = f.c_data(t + 0.00021, tls_record(22, ch, 0x0301))
    flight = tls_record(22, server_hello13(rng, info["sid"])) + tls_record(20, b"\x01") + tls_record(23, rbytes(rng, rng.randrange(2600, 4700)))
    t = f.s_bulk(t + rtt + 0.0012, flight)
    t = f.c_data(t + think, tls_record(20, b"\x01") + tls_record(23, rbytes(rng, 53)) + tls_record(23, rbytes(rng, rng.randrange(180, 560))))
    t = f.s_bulk(t + rtt + 0.0031, tls_record(23, rbytes(rng, 249)) + tls_record(23, rbytes(rng, 249)) + appdata_stream(rng, resp))
    t = f.close_by_client(t + 0.35 + rng.random() * 0.2)
    return t, f


# ----------------------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------------------

T_A, T_NS, T_CNAME, T_SOA, T_AAAA, T_OPT = 1, 2, 5, 6, 28, 41


class DNSBuf:
    def __init__(self):
        self.buf = bytearray()
        self.names = {}

    def name(self, n):
        labels = [x for x in n.rstrip(".").split(".") if x]
        for i in range(len(labels)):
            suffix = ".".join(labels[i:]).lower()
            if suffix in self.names:
                self.buf += u16(0xC000 | self.names[suffix])
                return
            if len(self.buf) < 0x3FFF:
                self.names[suffix] = len(self.buf)
            lab = labels[i].encode()
            self.buf += u8(len(lab)) + lab
        self.buf += b"\x00"

    def rr(self, name, rtype, ttl, rdata):
        self.name(name)
        self.buf += u16(rtype) + u16(1) + u32(ttl)
        pos = len(self.buf)
        self.buf += b"\x00\x00"
        if rtype == T_A:
            self.buf += socket.inet_pton(socket.AF_INET, rdata)
        elif rtype == T_AAAA:
            self.buf += socket.inet_pton(socket.AF_INET6, rdata)
        elif rtype in (T_CNAME, T_NS):
            self.name(rdata)
        elif rtype == T_SOA:
            mname, rname, serial, refresh, retry, expire, minimum = rdata
            self.name(mname)
            self.name(rname)
            self.buf += struct.pack("!IIIII", serial, refresh, retry, expire, minimum)
        else:
            self.buf += rdata
        struct.pack_into("!H", self.buf, pos, len(self.buf) - pos - 2)


def dns_message(txid, flags, qname, qtype, answers=(), authority=(), edns=None):
    d = DNSBuf()
    d.buf += struct.pack("!HHHHHH", txid, flags, 1, len(answers), len(authority), 1 if edns else 0)
    d.name(qname)
    d.buf += u16(qtype) + u16(1)
    for a in answers:
        d.rr(*a)
    for a in authority:
        d.rr(*a)
    if edns:
        size, opts = edns
        d.buf += b"\x00" + u16(T_OPT) + u16(size) + b"\x00\x00\x00\x00" + v16(opts)
    return bytes(d.buf)


def dns_query(txid, qname, qtype, *, ad=True, edns=1232, cookie=None):
    flags = 0x0100 | (0x0020 if ad else 0)
    opts = (u16(10) + v16(cookie)) if cookie else b""
    return dns_message(txid, flags, qname, qtype, edns=(edns, opts) if edns else None)


def gfw_forged(query, rtype, ttl, addr):
    """Forged answer as built by the GFW injectors: the query up to the end of the question,
    flags 0x8180, AN=1, NS=AR=0 (the query's OPT record is not echoed), one answer c00c."""
    qend = 12
    while query[qend] != 0:
        qend += 1 + query[qend]
    qend += 1 + 4
    hdr = query[:2] + u16(0x8180) + u16(1) + u16(1) + u16(0) + u16(0)
    if rtype == T_A:
        rd = socket.inet_pton(socket.AF_INET, addr)
    else:
        rd = socket.inet_pton(socket.AF_INET6, addr)
    return hdr + query[12:qend] + b"\xc0\x0c" + u16(rtype) + u16(1) + u32(ttl) + v16(rd)


class Resolver:
    """A DNS resolver the client talks to over UDP/53 (stable TTL, own IP ID behaviour)."""

    def __init__(self, cap, rng, cip, rip, *, ttl, rtt, iface=0, c_ttl=64, r_df=False, c_ids=None, r_id_mode="rand"):
        self.cap, self.rng, self.cip, self.rip = cap, rng, cip, rip
        self.ttl, self.rtt, self.iface, self.c_ttl = ttl, rtt, iface, c_ttl
        self.r_df = r_df
        self.c_ids = c_ids or IdGen(rng, "rand")
        self.r_ids = IdGen(rng, r_id_mode)
        self.fl = rng.getrandbits(20)

    def query(self, t, qname, qtype, answers, *, authority=(), rcode=0, ad=True, edns=1232, sport=None, txid=None,
              resp_dt=None, aa=False):
        sport = sport or self.rng.randrange(32768, 61000)
        txid = self.rng.getrandbits(16) if txid is None else txid
        q = dns_query(txid, qname, qtype, ad=ad, edns=edns)
        udp_pkt(self.cap, t, self.cip, self.rip, sport, 53, q, self.c_ttl, self.c_ids(), True, True, self.iface, fl=self.fl)
        flags = 0x8180 | (0x0400 if aa else 0) | rcode
        r = dns_message(txid, flags, qname, qtype, answers, authority, edns=(edns, b"") if edns else None)
        ta = t + (self.rtt if resp_dt is None else resp_dt)
        udp_pkt(self.cap, ta, self.rip, self.cip, 53, sport, r, self.ttl, self.r_ids(), self.r_df, False, self.iface, fl=self.fl ^ 0x5A5A5)
        return ta, q, sport, txid


# ----------------------------------------------------------------------------------------
# deterministic RSA keys and X.509 (for the TLS 1.2 interception chain)
# ----------------------------------------------------------------------------------------

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % q for q in range(2, int(p ** 0.5) + 1))]


def _probable_prime(n):
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53):
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def det_rsa_key(rng, bits=2048):
    e = 65537
    while True:
        ps = []
        while len(ps) < 2:
            c = rng.getrandbits(bits // 2) | (3 << (bits // 2 - 2)) | 1
            if _probable_prime(c) and math.gcd(e, c - 1) == 1:
                ps.append(c)
        p, q = ps
        if p == q or (p * q).bit_length() != bits:
            continue
        if p < q:
            p, q = q, p
        d = pow(e, -1, (p - 1) * (q - 1))
        pub = rsa.RSAPublicNumbers(e, p * q)
        return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), pub).private_key()


def _name(*pairs):
    return x509.Name([x509.NameAttribute(oid, val) for oid, val in pairs])


def _ski(key):
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key())


def build_mitm_chain(rng):
    """Made-up corporate-looking interception PKI (not in any browser root store) and a
    leaf whose subject/SAN are copied from the genuine www.facebook.com certificate."""
    root_k, int_k, leaf_k = det_rsa_key(rng), det_rsa_key(rng), det_rsa_key(rng)
    dt = datetime.datetime
    utc = datetime.UTC
    root_n = _name((NameOID.COUNTRY_NAME, "KZ"), (NameOID.ORGANIZATION_NAME, "Trusted Network Services LLP"),
                   (NameOID.ORGANIZATIONAL_UNIT_NAME, "TNS PKI"), (NameOID.COMMON_NAME, "TNS Root Certification Authority R1"))
    int_n = _name((NameOID.COUNTRY_NAME, "KZ"), (NameOID.LOCALITY_NAME, "Astana"),
                  (NameOID.ORGANIZATION_NAME, "Trusted Network Services LLP"),
                  (NameOID.ORGANIZATIONAL_UNIT_NAME, "Secure Gateway Services"), (NameOID.COMMON_NAME, "TNS Secure Gateway CA 2"))
    leaf_n = _name((NameOID.COUNTRY_NAME, "US"), (NameOID.STATE_OR_PROVINCE_NAME, "California"),
                   (NameOID.LOCALITY_NAME, "Menlo Park"), (NameOID.ORGANIZATION_NAME, "Meta Platforms, Inc."),
                   (NameOID.COMMON_NAME, "*.facebook.com"))
    sha = hashes.SHA256()
    root = (x509.CertificateBuilder().subject_name(root_n).issuer_name(root_n).public_key(root_k.public_key())
            .serial_number(int.from_bytes(rbytes(rng, 16), "big") >> 1)
            .not_valid_before(dt(2019, 6, 3, 0, 0, 0, tzinfo=utc)).not_valid_after(dt(2044, 6, 3, 0, 0, 0, tzinfo=utc))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(_ski(root_k), critical=False)
            .sign(root_k, sha))
    inter = (x509.CertificateBuilder().subject_name(int_n).issuer_name(root_n).public_key(int_k.public_key())
             .serial_number(int.from_bytes(rbytes(rng, 16), "big") >> 1)
             .not_valid_before(dt(2021, 1, 15, 0, 0, 0, tzinfo=utc)).not_valid_after(dt(2031, 1, 15, 0, 0, 0, tzinfo=utc))
             .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
             .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
             .add_extension(_ski(int_k), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_k.public_key()), critical=False)
             .sign(root_k, sha))
    sans = ["*.facebook.com", "*.facebook.net", "*.fbcdn.net", "*.fbsbx.com", "*.m.facebook.com", "*.messenger.com",
            "*.xx.fbcdn.net", "*.xy.fbcdn.net", "*.xz.fbcdn.net", "facebook.com", "messenger.com"]
    leaf = (x509.CertificateBuilder().subject_name(leaf_n).issuer_name(int_n).public_key(leaf_k.public_key())
            .serial_number(int.from_bytes(rbytes(rng, 16), "big") >> 1)
            .not_valid_before(dt(2024, 2, 27, 0, 0, 0, tzinfo=utc)).not_valid_after(dt(2024, 5, 27, 23, 59, 59, tzinfo=utc))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(int_k.public_key()), critical=False)
            .sign(int_k, sha))
    return [c.public_bytes(Encoding.DER) for c in (leaf, inter, root)], leaf_k


# ----------------------------------------------------------------------------------------
# QUIC v1 Initial (RFC 9000 / 9001)
# ----------------------------------------------------------------------------------------

INITIAL_SALT_V1 = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def hkdf_expand_label(secret, label, ctx, length):
    info = u16(length) + v8(b"tls13 " + label) + v8(ctx)
    out, blk, i = b"", b"", 1
    while len(out) < length:
        blk = hmac.new(secret, blk + info + bytes([i]), hashlib.sha256).digest()
        out += blk
        i += 1
    return out[:length]


def quic_client_initial_keys(dcid):
    init = hmac.new(INITIAL_SALT_V1, dcid, hashlib.sha256).digest()
    cs = hkdf_expand_label(init, b"client in", b"", 32)
    return hkdf_expand_label(cs, b"quic key", b"", 16), hkdf_expand_label(cs, b"quic iv", b"", 12), hkdf_expand_label(cs, b"quic hp", b"", 16)


def qvarint(v):
    if v < 0x40:
        return u8(v)
    if v < 0x4000:
        return u16(0x4000 | v)
    if v < 0x40000000:
        return u32(0x80000000 | v)
    return struct.pack("!Q", 0xC000000000000000 | v)


def quic_initial(dcid, scid, pn, frames, *, datagram=1250, pn_len=2):
    key, iv, hp = quic_client_initial_keys(dcid)
    head = bytes([0xC0 | (pn_len - 1)]) + u32(1) + v8(dcid) + v8(scid) + qvarint(0)
    hlen = len(head) + 2 + pn_len
    pt_len = datagram - hlen - 16
    plaintext = frames + b"\x00" * (pt_len - len(frames))
    hdr = head + u16(0x4000 | (pn_len + pt_len + 16)) + pn.to_bytes(pn_len, "big")
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, plaintext, hdr)
    pn_off = len(head) + 2
    sample = ct[4 - pn_len:4 - pn_len + 16]
    mask = Cipher(algorithms.AES(hp), modes.ECB()).encryptor().update(sample)
    h = bytearray(hdr)
    h[0] ^= mask[0] & 0x0F
    for i in range(pn_len):
        h[pn_off + i] ^= mask[1 + i]
    return bytes(h) + ct


def quic_tp_params(scid):
    def p(pid, val):
        return qvarint(pid) + v8(qvarint(val))
    return (p(0x01, 30000) + p(0x03, 1472) + p(0x04, 15728640) + p(0x05, 6291456) + p(0x06, 6291456)
            + p(0x07, 6291456) + p(0x08, 100) + p(0x09, 103) + qvarint(0x0F) + v8(scid) + qvarint(0x0C) + b"\x00")


# ----------------------------------------------------------------------------------------
# HTTP helpers
# ----------------------------------------------------------------------------------------

NGINX_WELCOME = (b"<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\n"
                 b"body { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n"
                 b"<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\n"
                 b"working. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n"
                 b"<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n"
                 b"<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n")


def curl_get(host, path="/", ua="curl/8.5.0"):
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {ua}\r\nAccept: */*\r\n\r\n".encode()


def http_plain_fetch(cap, rng, t, cip, sip, host, *, rtt, s_ttl, cport, body, date, iface=0, server="nginx/1.24.0 (Ubuntu)"):
    f = TCPFlow(cap, rng, cip, sip, cport, 80, rtt, s_ttl=s_ttl, iface=iface)
    t = f.handshake(t)
    t = f.c_data(t + 0.00009, curl_get(host))
    resp = (f"HTTP/1.1 200 OK\r\nServer: {server}\r\nDate: {date}\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n"
            f"Last-Modified: Tue, 02 Jul 2024 08:11:37 GMT\r\nConnection: keep-alive\r\nETag: \"6683b5b9-267\"\r\nAccept-Ranges: bytes\r\n\r\n").encode() + body
    ta = t + rtt
    f.s_ack(ta - 0.0004)
    t = f.s_bulk(ta, resp)
    t = f.close_by_client(t + 0.0003, tls=False)
    return t, f


# ----------------------------------------------------------------------------------------
# capture 1: dns-injection, Linux cooked capture (SLL v1)
# ----------------------------------------------------------------------------------------

def cap_dns_injection(outdir):
    # China (GFW DNS injection).  A measurement laptop inside China asks 8.8.8.8 for
    # www.nytimes.com (blocked in China since 2012).  The query crosses the border, three
    # GFW injectors each race a forged answer (Twitter/Facebook/Dropbox addresses from the
    # documented pool) about 21-23 ms after the query; the genuine Google Public DNS answer
    # (CNAME to Fastly) arrives ~160 ms later with the IP TTL that 8.8.8.8 shows in every
    # other answer of the capture.  Captured with `tcpdump -i any` (Linux cooked v1).
    rng = random.Random("blind5-dns-injection")
    cip = "192.168.3.47"
    cap = Capture(epoch_ns(2025, 6, 12, 1, 14, 3, 118204),
                  [{"link": "sll", "name": "any", "cmac": "8c:8c:aa:31:0e:42", "gmac": "78:60:5b:d2:1a:07"}])
    dns = Resolver(cap, rng, cip, "8.8.8.8", ttl=113, rtt=0.1583)
    c_ids = dns.c_ids
    t, *_ = dns.query(0.0, "www.baidu.com", T_A, [("www.baidu.com", T_CNAME, 1141, "www.a.shifen.com"),
                                                   ("www.a.shifen.com", T_A, 205, "110.242.68.66"),
                                                   ("www.a.shifen.com", T_A, 205, "110.242.68.3")])
    dns.query(0.0004, "www.baidu.com", T_AAAA, [("www.baidu.com", T_CNAME, 1141, "www.a.shifen.com")],
              authority=[("a.shifen.com", T_SOA, 600, ("ns1.a.shifen.com", "baidu_dns_master.baidu.com", 2506120017, 5, 5, 2592000, 3600))],
              resp_dt=0.1601)
    t, _ = https_fetch(cap, rng, t + 0.0011, cip, "110.242.68.66", "www.baidu.com", rtt=0.0307, s_ttl=52, cport=41226, resp=61000)

    def injected_race(t0, qname, qtype, forged, genuine_answers, gen_dt):
        sport = rng.randrange(32768, 61000)
        txid = rng.getrandbits(16)
        q = dns_query(txid, qname, qtype, edns=1232, cookie=rbytes(rng, 8))
        udp_pkt(cap, t0, cip, "8.8.8.8", sport, 53, q, 64, c_ids(), True, True)
        for dt, ttl, ipid, df, dttl, addr in forged:
            udp_pkt(cap, t0 + dt, "8.8.8.8", cip, 53, sport, gfw_forged(q, qtype, dttl, addr), ttl, ipid, df, False)
        r = dns_message(txid, 0x8180, qname, qtype, genuine_answers, edns=(512, b""))
        udp_pkt(cap, t0 + gen_dt, "8.8.8.8", cip, 53, sport, r, 113, dns.r_ids(), False, False)
        return t0 + gen_dt

    t = injected_race(t + 1.412, "www.nytimes.com", T_A,
                      [(0.02131, 68, 0xA37C, False, 234, "199.59.148.229"),
                       (0.02174, 105, 0x0000, False, 60, "157.240.10.32"),
                       (0.02302, 226, 0x5E19, True, 142, "108.160.170.45")],
                      [("www.nytimes.com", T_CNAME, 3385, "nytimes.map.fastly.net"),
                       ("nytimes.map.fastly.net", T_A, 30, "151.101.1.164"), ("nytimes.map.fastly.net", T_A, 30, "151.101.65.164"),
                       ("nytimes.map.fastly.net", T_A, 30, "151.101.129.164"), ("nytimes.map.fastly.net", T_A, 30, "151.101.193.164")],
                      0.16247)
    t = injected_race(t + 1.318, "www.nytimes.com", T_AAAA,
                      [(0.02088, 68, 0x1E4B, False, 234, "2a03:2880:f12c:83:face:b00c:0:25de"),
                       (0.02163, 105, 0x0000, False, 60, "2001::c633:64b2"),
                       (0.02297, 226, 0x5E1A, True, 142, "2a03:2880:f127:83:face:b00c:0:25de")],
                      [("www.nytimes.com", T_CNAME, 3383, "nytimes.map.fastly.net"),
                       ("nytimes.map.fastly.net", T_AAAA, 30, "2a04:4e42::644"), ("nytimes.map.fastly.net", T_AAAA, 30, "2a04:4e42:200::644"),
                       ("nytimes.map.fastly.net", T_AAAA, 30, "2a04:4e42:400::644"), ("nytimes.map.fastly.net", T_AAAA, 30, "2a04:4e42:600::644")],
                      0.15918)
    t, *_ = dns.query(t + 0.914, "www.qq.com", T_A, [("www.qq.com", T_CNAME, 280, "ins-r23tsuuf.ias.tencent-cloud.net"),
                                                      ("ins-r23tsuuf.ias.tencent-cloud.net", T_A, 60, "121.14.77.221"),
                                                      ("ins-r23tsuuf.ias.tencent-cloud.net", T_A, 60, "121.14.77.201")])
    https_fetch(cap, rng, t + 0.0009, cip, "121.14.77.221", "www.qq.com", rtt=0.0262, s_ttl=53, cport=41240, resp=88000)
    name = "b5p_dns_injection_triple_sll.pcap"
    write_pcap(os.path.join(outdir, name), cap)
    return name, {"expect": [{"mechanism": "dns-injection", "domain": "www.nytimes.com", "ip": "8.8.8.8"}],
                  "why": "For both the A and the AAAA query of www.nytimes.com three forged answers (GFW-pool Twitter/Facebook/Dropbox/Teredo addresses, flags 0x8180, AN=1, no OPT, IP TTLs 68/105/226 and IP IDs unlike 8.8.8.8's constant TTL 113) arrive ~21 ms after the query, before the genuine Fastly answer at ~160 ms."}


# ----------------------------------------------------------------------------------------
# capture 2: dns-tampering over IPv6 transport, big-endian pcap
# ----------------------------------------------------------------------------------------

def cap_dns_tampering(outdir):
    # Iran: the ISP's recursive resolver (reached over IPv6) answers blocked names with the
    # national block-page addresses 10.10.34.36 (A) and d0::11 (AAAA) instead of the real
    # records; there is no race, the resolver itself lies.  twitter.com (blocked in Iran
    # since 2009) over UDP, www.instagram.com (blocked since 2022) over TCP port 53
    # (dig +tcp).  The same resolver answers other names normally.  Big-endian pcap.
    rng = random.Random("blind5-dns-tampering")
    cip = "2a01:5ec0:80ad:4d27:3c1e:9b2f:61d4:a08e"
    rip = "2a01:5ec0:1000::53"
    cap = Capture(epoch_ns(2023, 2, 21, 7, 42, 19, 551870),
                  [{"link": "ether", "name": "eth0", "cmac": "f4:8e:38:9a:c2:11", "gmac": "cc:2d:e0:47:8b:6e"}])
    dns = Resolver(cap, rng, cip, rip, ttl=60, rtt=0.0142)
    t, *_ = dns.query(0.0, "www.google.com", T_AAAA, [("www.google.com", T_AAAA, 247, "2a00:1450:4019:80a::2004")], edns=1232)
    dns.query(0.00031, "www.google.com", T_A, [("www.google.com", T_A, 247, "142.250.185.100")], edns=1232, resp_dt=0.0139)
    t, _ = https_fetch(cap, rng, t + 0.0008, cip, "2a00:1450:4019:80a::2004", "www.google.com", rtt=0.0781, s_ttl=56,
                       cport=50318, resp=47000, c_mss=1440, s_mss=1440)
    # blocked name over UDP (dig twitter.com A / AAAA)
    t, *_ = dns.query(t + 1.204, "twitter.com", T_A, [("twitter.com", T_A, 10, "10.10.34.36")], edns=1232, resp_dt=0.0047)
    t, *_ = dns.query(t + 0.338, "twitter.com", T_AAAA, [("twitter.com", T_AAAA, 10, "d0::11")], edns=1232, resp_dt=0.0051)
    # blocked name over TCP port 53 (dig +tcp www.instagram.com)
    t += 1.62
    f = TCPFlow(cap, rng, cip, rip, 39117, 53, 0.0140, s_ttl=60, c_mss=1440, s_mss=1440, s_synwin=64800)
    t = f.handshake(t)
    txid = rng.getrandbits(16)
    q = dns_query(txid, "www.instagram.com", T_A, edns=1232, cookie=rbytes(rng, 8))
    t = f.c_data(t + 0.00012, v16(q))
    r = dns_message(txid, 0x8180, "www.instagram.com", T_A, [("www.instagram.com", T_A, 10, "10.10.34.36")], edns=(1232, b""))
    t = f.s_bulk(t + 0.0049, v16(r))
    t = f.close_by_client(t + 0.0006, tls=False)
    # ordinary names from the same resolver
    tq = t + 1.91
    t, *_ = dns.query(tq, "www.digikala.com", T_A, [("www.digikala.com", T_A, 300, "185.147.178.11"),
                                                     ("www.digikala.com", T_A, 300, "185.147.178.12")], ad=False, edns=None)
    dns.query(tq + 0.00027, "www.digikala.com", T_AAAA, [],
              authority=[("digikala.com", T_SOA, 3600, ("ns1.digikala.com", "hostmaster.digikala.com", 2023022001, 7200, 3600, 1209600, 3600))],
              ad=False, edns=None, resp_dt=0.0143)
    t, *_ = dns.query(t + 0.842, "www.cloudflare.com", T_AAAA, [("www.cloudflare.com", T_AAAA, 300, "2606:4700::6810:7b60"),
                                                                 ("www.cloudflare.com", T_AAAA, 300, "2606:4700::6810:7c60")], ad=False, edns=None)
    https_fetch(cap, rng, t + 0.0006, cip, "2606:4700::6810:7b60", "www.cloudflare.com", rtt=0.0913, s_ttl=57,
                cport=50344, resp=128000, c_mss=1440, s_mss=1440)
    name = "b5p_dns_tampering_ipv6_tcp53_be.pcap"
    write_pcap(os.path.join(outdir, name), cap, big_endian=True)
    return name, {"expect": [{"mechanism": "dns-tampering", "domain": "twitter.com", "ip": rip},
                             {"mechanism": "dns-tampering", "domain": "www.instagram.com", "ip": rip}],
                  "why": "The IPv6 resolver answers twitter.com with A 10.10.34.36 and AAAA d0::11 and www.instagram.com (over TCP/53) with 10.10.34.36, Iran's national block-page addresses (private/bogon for public names), while it answers other names with real public addresses."}


# ----------------------------------------------------------------------------------------
# capture 3: rst-injection, DLT_NULL (macOS utun), ClientHello split over two segments
# ----------------------------------------------------------------------------------------

def cap_rst_injection(outdir):
    # China: Wikipedia (all languages) is blocked by SNI since 2019.  The researcher's Mac
    # uses a WireGuard tunnel to a vantage point in Beijing (capture on utun4, DLT_NULL).
    # Chrome 131 sends a ClientHello with an X25519MLKEM768 key share, 1.9 kB, split into two
    # TCP segments; the permuted extension order puts the SNI in the second segment, so only
    # a reassembling censor sees it.  18.7 ms later: three RST+ACK (GFW "type II": DF set,
    # random IP IDs, window != 0, TTL 101-103) although every genuine packet of the server
    # has TTL 49 and incrementing IP IDs; the genuine server ACK arrives afterwards and the
    # client, whose socket is gone, answers it with its own RST.  Before the test, the same
    # address with an innocuous SNI completes a normal TLS 1.3 session.
    rng = random.Random("blind5-rst-injection")
    cip = "10.66.66.2"
    wiki = "103.102.166.224"
    cap = Capture(epoch_ns(2024, 11, 5, 6, 31, 52, 904311), [{"link": "null", "name": "utun4"}])
    ids = IdGen(rng, "rand")
    dns = Resolver(cap, rng, cip, "114.114.114.114", ttl=86, rtt=0.0412, c_ids=ids)
    kw = {"c_os": "macos", "c_mss": 1380, "s_mss": 1380, "c_ids": ids}
    t, *_ = dns.query(0.0, "www.baidu.com", T_A, [("www.baidu.com", T_CNAME, 601, "www.a.shifen.com"),
                                                   ("www.a.shifen.com", T_A, 123, "110.242.68.3"), ("www.a.shifen.com", T_A, 123, "110.242.68.66")],
                      ad=False, edns=None)
    t, _ = https_fetch(cap, rng, t + 0.0013, cip, "110.242.68.3", "www.baidu.com", rtt=0.0477, s_ttl=50, cport=52811, resp=71000, pq=True, **kw)
    t, *_ = dns.query(t + 0.612, "www.sina.com.cn", T_A, [("www.sina.com.cn", T_CNAME, 60, "spool.grid.sinaedge.com"),
                                                           ("spool.grid.sinaedge.com", T_A, 60, "123.126.45.205")], ad=False, edns=None)
    t, _ = https_fetch(cap, rng, t + 0.0011, cip, "123.126.45.205", "www.sina.com.cn", rtt=0.0452, s_ttl=51, cport=52814, resp=93000, pq=True, **kw)
    # control: same Wikimedia address, innocuous SNI, completes
    t, _ = https_fetch(cap, rng, t + 1.377, cip, wiki, "www.example.com", rtt=0.0936, s_ttl=49, cport=52820, resp=9000, pq=True, **kw)
    # test: SNI zh.wikipedia.org in the second segment of the ClientHello
    t += 2.486
    f = TCPFlow(cap, rng, cip, wiki, 52826, 443, 0.0941, s_ttl=49, **kw)
    t = f.handshake(t)
    order = ["versions", "ecpf", "sigalgs", "alpn", "keyshare", "groups", "status", "sni", "ems", "ticket", "reneg", "sct", "pskmodes", "compress"]
    ch, _ = client_hello(rng, "zh.wikipedia.org", pq=True, order=order)
    rec = tls_record(22, ch, 0x0301)
    assert len(rec) > f.seg_c and rec.find(b"zh.wikipedia.org") > f.seg_c, "SNI must sit in the second segment"
    t = f.c_data(t + 0.00024, rec, gap=0.000019)
    after_ch = f.cseq
    for k, (ttl, ipid) in enumerate([(101, 0x4B1D), (102, 0xC60E), (103, 0x1F93)]):
        f.inject(t + 0.01873 + k * 0.000041, flags="RA", seq=f.sisn + 1, ack=after_ch, ttl=ttl, ipid=ipid, df=True, win=2869)
    # genuine server ACK (server saw the ClientHello before the reset) -> client RST
    ta = t + f.rtt + 0.0002
    f.emit(ta, False, "A", f.sseq, after_ch, opts=f.tsopt(ta, False))
    f.c_rst(ta + 0.00003, seq=after_ch)
    name = "b5p_rst_injection_split_clienthello_null.pcap"
    write_pcap(os.path.join(outdir, name), cap)
    return name, {"expect": [{"mechanism": "rst-injection", "domain": "zh.wikipedia.org", "ip": wiki}],
                  "why": "Three RST+ACK claiming to be 103.102.166.224 arrive 19 ms after a two-segment ClientHello whose SNI zh.wikipedia.org is only in the second segment, with TTL 101-103, DF and random IP IDs while all genuine packets from that server have TTL 49, and the server's genuine ACK still arrives afterwards; the same address with another SNI works."}


# ----------------------------------------------------------------------------------------
# capture 4: packet-injection (+ blockpage), pcapng nanoseconds, Ethernet + raw-IP interfaces
# ----------------------------------------------------------------------------------------

def cap_packet_injection(outdir):
    # South Korea: KCNA (North Korean state news, www.kcna.kp) is blocked under the National
    # Security Act.  A plain-HTTP GET is answered 2.8 ms later by an injected
    # "302 -> http://www.warning.or.kr" (FIN set, TTL 253, IP ID 0, no TCP options, DF clear)
    # that claims to come from the server 118 ms away; the genuine "200 OK" (TTL 47, TCP
    # timestamps, incrementing IP IDs) arrives a round trip later at the same sequence numbers
    # and the client, already closed, resets.  Two interfaces in one pcapng with nanosecond
    # resolution: enp3s0 (Ethernet) and wg0 (raw IP, a WireGuard tunnel used for background).
    rng = random.Random("blind5-packet-injection")
    cip = "192.168.0.23"
    srv = "175.45.176.71"
    cap = Capture(epoch_ns(2024, 9, 10, 4, 2, 47, 230918),
                  [{"link": "ether", "name": "enp3s0", "cmac": "04:7c:16:5e:a9:30", "gmac": "00:08:9f:71:d2:c4"},
                   {"link": "raw", "name": "wg0"}])
    dns = Resolver(cap, rng, cip, "168.126.63.1", ttl=60, rtt=0.0041)
    t, *_ = dns.query(0.0, "www.naver.com", T_A, [("www.naver.com", T_CNAME, 1021, "www.naver.com.nheos.com"),
                                                   ("www.naver.com.nheos.com", T_A, 30, "223.130.200.219"),
                                                   ("www.naver.com.nheos.com", T_A, 30, "223.130.200.236")], ad=False, edns=None)
    t, _ = https_fetch(cap, rng, t + 0.0007, cip, "223.130.200.219", "www.naver.com", rtt=0.0061, s_ttl=55, cport=47210, resp=152000)
    wcip = "10.7.0.2"
    wdns = Resolver(cap, rng, wcip, "10.7.0.1", ttl=64, rtt=0.0338, iface=1)
    t1, *_ = wdns.query(t + 0.42, "github.com", T_A, [("github.com", T_A, 60, "20.200.245.247")], ad=False, edns=None)
    https_fetch(cap, rng, t1 + 0.0009, wcip, "20.200.245.247", "github.com", rtt=0.0371, s_ttl=51, cport=58402,
                resp=64000, iface=1, c_mss=1380, s_mss=1380)
    t, *_ = dns.query(t + 2.71, "www.kcna.kp", T_A, [("www.kcna.kp", T_A, 3600, srv)], ad=False, edns=None, resp_dt=0.0043)
    f = TCPFlow(cap, rng, cip, srv, 43866, 80, 0.1182, s_ttl=47, s_synwin=29200, s_win=229)
    t = f.handshake(t + 0.0006)
    t = f.c_data(t + 0.00011, curl_get("www.kcna.kp"))
    inj = b"HTTP/1.1 302 Found\r\nLocation: http://www.warning.or.kr\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    base = f.sseq
    ack_get = f.cseq  # what the genuine server acknowledges (it answers before the client's FIN arrives)
    ti = t + 0.00283
    f.inject(ti, flags="FPA", seq=base, ack=f.cseq, payload=inj, ttl=253, ipid=0, df=False, win=16384)
    f.c_rcv = base + len(inj) + 1
    f.c_ack(ti + 0.000044)
    f.c_fin(ti + 0.00061)  # curl prints the redirect and closes
    body = (b"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\r\n"
            b"<html xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\r\n"
            b"<title>KCNA Watch | Korean Central News Agency</title>\r\n<link rel=\"stylesheet\" href=\"/css/main.css\" type=\"text/css\" />\r\n"
            b"<script type=\"text/javascript\" src=\"/js/jquery-1.11.1.min.js\"></script>\r\n</head>\r\n<body>\r\n<div id=\"wrap\">\r\n"
            + b"".join(b"<div class=\"article-item\"><a href=\"/en/article/q/%08x.kcmsf\">Article %d</a></div>\r\n" % (rng.getrandbits(32), i) for i in range(24))
            + b"</div>\r\n</body>\r\n</html>\r\n")
    genuine = (b"HTTP/1.1 200 OK\r\nDate: Tue, 10 Sep 2024 04:02:50 GMT\r\nServer: Apache\r\nX-Powered-By: PHP/5.4.16\r\n"
               b"Content-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    tg = t + f.rtt + 0.0009
    segs = chunks(genuine, f.seg_s)
    seq = base
    for k, seg in enumerate(segs):
        tk = tg + k * 0.00012
        f.emit(tk, False, "PA" if k == len(segs) - 1 else "A", seq, ack_get, seg, opts=f.tsopt(tk, False))
        seq += len(seg)
        f.emit(tk + 0.000029, True, "R", f.cseq, 0, win=0)
    name = "b5p_packet_injection_302_race_2if.pcapng"
    write_pcapng(os.path.join(outdir, name), cap, tsresol=9)
    return name, {"expect": [{"mechanism": "packet-injection", "domain": "www.kcna.kp", "ip": srv},
                             {"mechanism": "blockpage", "domain": "www.kcna.kp", "ip": srv}],
                  "why": "A 302 to http://www.warning.or.kr (South Korea's block page) arrives 2.8 ms after the GET for www.kcna.kp from a server 118 ms away, with TTL 253/IP ID 0/no TCP options unlike the server's TTL 47 packets, and the genuine 200 OK later occupies the same sequence numbers."}


# ----------------------------------------------------------------------------------------
# capture 5: tls-mitm, TLS 1.2 certificate chain in cleartext, pcapng
# ----------------------------------------------------------------------------------------

def cap_tls_mitm(outdir):
    # Kazakhstan: an in-path interception box (Kazakhtelecom path) terminates TLS for selected
    # SNIs.  Chrome (Windows 10) offers TLS 1.3 but the box answers with TLS 1.2 (no
    # downgrade sentinel), so the forged chain is visible: leaf subject/SANs copied from the
    # genuine *.facebook.com certificate but an RSA key, no SCTs, issued by "TNS Secure
    # Gateway CA 2" under a self-signed "TNS Root Certification Authority R1" that is in no
    # browser or OS root store.  Chrome aborts with alert unknown_ca.  The other TLS sessions
    # of the capture (google.kz, kaspi.kz) are not intercepted (TLS 1.3 from the real servers).
    rng = random.Random("blind5-tls-mitm")
    cip = "192.168.1.64"
    fb = "157.240.241.35"
    cap = Capture(epoch_ns(2024, 3, 18, 9, 26, 5, 640112),
                  [{"link": "ether", "name": "\\Device\\NPF_{5C1F3E2A-8D47-4B9E-A1C3-2E7B0D9F6A14}", "cmac": "3c:52:82:6e:19:d4", "gmac": "d8:0d:17:42:a5:9b"}])
    ids = IdGen(rng, "inc", start=0x5A21)  # Windows: one global IP ID counter
    dns = Resolver(cap, rng, cip, "195.210.46.195", ttl=59, rtt=0.0069, c_ttl=128, c_ids=ids)
    kw = {"c_os": "windows", "c_ttl": 128, "c_ids": ids}
    t, *_ = dns.query(0.0, "www.google.kz", T_A, [("www.google.kz", T_A, 300, "173.194.220.94")], ad=False, edns=None)
    t, _ = https_fetch(cap, rng, t + 0.0016, cip, "173.194.220.94", "www.google.kz", rtt=0.0521, s_ttl=57, cport=61804, resp=58000, **kw)
    t, *_ = dns.query(t + 1.03, "www.facebook.com", T_A, [("www.facebook.com", T_CNAME, 3600, "star-mini.c10r.facebook.com"),
                                                           ("star-mini.c10r.facebook.com", T_A, 60, fb)], ad=False, edns=None)
    f = TCPFlow(cap, rng, cip, fb, 61811, 443, 0.0213, s_ttl=60, s_synwin=29200, s_win=237, s_synack_id0=False, **kw)
    t = f.handshake(t + 0.0014)
    ch, info = client_hello(rng, "www.facebook.com")
    t = f.c_data(t + 0.00031, tls_record(22, ch, 0x0301))
    certs, leaf_k = build_mitm_chain(rng)
    srandom = rbytes(rng, 32)
    sh_exts = ext(0xFF01, b"\x00") + ext(0x000B, v8(b"\x00")) + ext(0x0017, b"") + ext(0x0010, v16(v8(b"http/1.1")))
    sh = hs_msg(2, u16(0x0303) + srandom + v8(rbytes(rng, 32)) + u16(0xC02F) + b"\x00" + v16(sh_exts))
    cert_msg = hs_msg(11, v24(b"".join(v24(c) for c in certs)))
    params = u8(3) + u16(0x001D) + v8(rbytes(rng, 32))
    sig = leaf_k.sign(info["random"] + srandom + params, padding.PKCS1v15(), hashes.SHA256())
    ske = hs_msg(12, params + u16(0x0401) + v16(sig))
    shd = hs_msg(14, b"")
    t = f.s_bulk(t + f.rtt + 0.0017, tls_record(22, sh + cert_msg + ske + shd))
    t = f.c_data(t + 0.0043, tls_record(21, b"\x02\x30"))  # fatal unknown_ca
    t += 0.00012
    f.c_fin(t)
    t += f.rtt
    f.s_fin(t)
    f.c_ack(t + 0.00004)
    t, *_ = dns.query(t + 2.21, "kaspi.kz", T_A, [("kaspi.kz", T_A, 300, "194.187.247.163")], ad=False, edns=None)
    https_fetch(cap, rng, t + 0.0013, cip, "194.187.247.163", "kaspi.kz", rtt=0.0094, s_ttl=58, cport=61829, resp=212000, **kw)
    name = "b5p_tls_mitm_tls12_chain.pcapng"
    write_pcapng(os.path.join(outdir, name), cap, tsresol=6, userappl=b"Dumpcap (Wireshark) 4.2.3 (v4.2.3-0-ga15d7331476c)",
                 os_name=b"64-bit Windows 10 (22H2), build 19045", hardware=b"Intel(R) Core(TM) i5-8265U CPU @ 1.60GHz (with SSE4.2)")
    return name, {"expect": [{"mechanism": "tls-mitm", "domain": "www.facebook.com", "ip": fb}],
                  "why": "For SNI www.facebook.com the server answers TLS 1.2 with a *.facebook.com leaf (copied subject, RSA key, no SCTs) issued by 'TNS Secure Gateway CA 2' chaining to a self-signed 'TNS Root Certification Authority R1' that no browser trusts, and the client aborts with alert unknown_ca, while other TLS sessions in the capture are untouched."}


# ----------------------------------------------------------------------------------------
# capture 6: blackhole of QUIC Initials, pcap with nanosecond magic
# ----------------------------------------------------------------------------------------

def cap_blackhole_quic(outdir):
    # Russia (March 2022, TSPU): HTTP/3 to foreign sites dropped while TCP passes.  An
    # HTTP/3-only client sends properly encrypted QUIC v1 Initials (SNI www.youtube.com, UDP
    # source port > 443) that are never answered; retransmissions follow the PTO back-off,
    # and a second attempt from a new port with a new DCID fails the same way.  Right after,
    # TCP/443 to the same address with the same SNI completes a TLS 1.3 session.
    rng = random.Random("blind5-blackhole-quic")
    cip = "192.168.88.245"
    yt = "142.250.74.46"
    cap = Capture(epoch_ns(2022, 3, 9, 11, 7, 33, 41560),
                  [{"link": "ether", "name": "wlp2s0", "cmac": "48:e7:da:2b:90:5f", "gmac": "64:d1:54:8c:3e:02"}])
    dns = Resolver(cap, rng, cip, "192.168.88.1", ttl=64, rtt=0.0083, r_df=True)
    t, *_ = dns.query(0.0, "ya.ru", T_A, [("ya.ru", T_A, 600, "5.255.255.242"), ("ya.ru", T_A, 600, "77.88.55.242")], ad=False, edns=None)
    t, _ = https_fetch(cap, rng, t + 0.0006, cip, "5.255.255.242", "ya.ru", rtt=0.0064, s_ttl=58, cport=35114, resp=96000)
    t += 0.713
    ta, *_ = dns.query(t, "www.youtube.com", T_A, [("www.youtube.com", T_CNAME, 21600, "youtube-ui.l.google.com"),
                                                   ("youtube-ui.l.google.com", T_A, 300, yt), ("youtube-ui.l.google.com", T_A, 300, "142.250.74.78"),
                                                   ("youtube-ui.l.google.com", T_A, 300, "142.250.74.110"), ("youtube-ui.l.google.com", T_A, 300, "142.250.74.142")],
                       ad=False, edns=None)
    dns.query(t + 0.00018, "www.youtube.com", T_AAAA, [("www.youtube.com", T_CNAME, 21600, "youtube-ui.l.google.com"),
                                                       ("youtube-ui.l.google.com", T_AAAA, 300, "2a00:1450:400f:803::200e")],
              ad=False, edns=None, resp_dt=0.0091)
    t = ta + 0.0011
    c_ids = IdGen(rng, "inc")

    def quic_attempt(t0, sport, backoff):
        dcid = rbytes(rng, 8)
        ch, _ = client_hello(rng, "www.youtube.com", alpn=(b"h3",), quic_tp=quic_tp_params(b""))
        frames = u8(0x06) + qvarint(0) + qvarint(len(ch)) + ch
        for pn, dt in enumerate(backoff):
            udp_pkt(cap, t0 + dt, cip, yt, sport, 443, quic_initial(dcid, b"", pn, frames), 64, c_ids(), True, True)
        return t0 + backoff[-1]

    t = quic_attempt(t, 51357, [0.0, 0.3003, 0.9011, 2.1027, 4.5048])
    t = quic_attempt(t + 5.512, 43688, [0.0, 0.3001, 0.9004, 2.1013])
    t += 5.87
    t, _ = https_fetch(cap, rng, t, cip, yt, "www.youtube.com", rtt=0.0412, s_ttl=56, cport=35140, resp=412000, style="openssl")
    t, *_ = dns.query(t + 1.4, "vk.com", T_A, [("vk.com", T_A, 300, "87.240.132.78"), ("vk.com", T_A, 300, "87.240.137.164")], ad=False, edns=None)
    https_fetch(cap, rng, t + 0.0008, cip, "87.240.132.78", "vk.com", rtt=0.0018, s_ttl=59, cport=35152, resp=134000)
    name = "b5p_blackhole_quic_initial_ns.pcap"
    write_pcap(os.path.join(outdir, name), cap, nano=True)
    return name, {"expect": [{"mechanism": "blackhole", "domain": "www.youtube.com", "ip": yt}],
                  "why": "Nine encrypted QUIC v1 Initials for SNI www.youtube.com to 142.250.74.46:443 from two source ports get no datagram back at all, while a TCP/443 TLS 1.3 session to the same address with the same SNI completes seconds later."}


# ----------------------------------------------------------------------------------------
# capture 7: throttling over IPv6, pcapng
# ----------------------------------------------------------------------------------------

def policed_download(f, t0, data, *, rate, bucket, gap, cwnd=10, per_pkt=72):
    """Server->client bulk transfer through a token-bucket policer that drops excess packets.
    Only delivered packets are recorded (client side); the client answers with SACK dup
    ACKs, the server retransmits (fast retransmit or tail-loss probe / RTO)."""
    segs = chunks(data, f.seg_s)
    n = len(segs)
    offs = [0]
    for s in segs:
        offs.append(offs[-1] + len(s))
    base = f.sseq
    delivered = [False] * n
    tokens, tlast = bucket, t0
    nxt, retx, ssthresh = 0, [], 10**9
    tr = t0
    since_ack = 0
    last = t0
    rtt = f.rtt
    while not all(delivered):
        batch = retx[:cwnd]
        retx = retx[cwnd:]
        while len(batch) < cwnd and nxt < n:
            batch.append(nxt)
            nxt += 1
        got = False
        spacing = max(gap, 0.8 * rtt / max(1, len(batch)))  # ack-clocked: a window is spread over the RTT
        for k, i in enumerate(batch):
            ta = tr + k * spacing + f.rng.random() * 0.25 * spacing
            tokens = min(bucket, tokens + (ta - tlast) * rate)
            tlast = ta
            size = len(segs[i]) + per_pkt
            if tokens < size:
                continue
            tokens -= size
            delivered[i] = True
            got = True
            f.emit(ta, False, "PA" if i == n - 1 else "A", base + offs[i], f.s_rcv, segs[i], opts=f.tsopt(ta, False))
            last = ta
            ack_i = next((j for j in range(n) if not delivered[j]), n)
            f.c_rcv = base + offs[ack_i]
            blocks, j = [], ack_i
            while j < n:
                if delivered[j]:
                    s0 = j
                    while j < n and delivered[j]:
                        j += 1
                    blocks.append((base + offs[s0], base + offs[j]))
                else:
                    j += 1
            holes = bool(blocks)
            since_ack += 1
            retrans_fill = any(delivered[j] for j in range(i + 1, n))
            if holes or retrans_fill or since_ack >= 2 or ack_i == n:
                # most recently received block first (RFC 2018)
                blocks.sort(key=lambda b: not (b[0] <= base + offs[i] < b[1]))
                sack = [x for b in blocks[:3] for x in b] if holes else None
                f.c_ack(ta + 0.000033, sack=sack)
                last = ta + 0.000033
                since_ack = 0
        lost = [i for i in batch if not delivered[i] and any(delivered[j] for j in range(i + 1, n))]
        tail = [i for i in batch if not delivered[i] and i not in lost]
        end = tr + max(0, len(batch) - 1) * spacing
        if lost or tail:
            ssthresh = max(2, cwnd // 2)
            cwnd = ssthresh
        else:
            cwnd = min(cwnd * 2 if cwnd < ssthresh else cwnd + 1, 120)
        retx = sorted(set(lost + tail + retx))
        if not got:
            tr = end + max(0.2, 4 * rtt)
            cwnd = 2
        elif tail and not lost:
            tr = end + 2 * rtt
        else:
            tr = max(tr + rtt, end + gap)
    if since_ack:
        f.c_rcv = base + offs[n]
        last += 0.040
        f.c_ack(last)
    f.sseq = base + offs[n]
    return last


def cap_throttling(outdir):
    # Russia, 12 March 2021: Roskomnadzor's TSPU boxes police TLS flows whose SNI matches
    # Twitter names (*.twimg.com ...) to ~130-150 kbit/s by dropping excess packets.  On an
    # IPv6 mobile connection the download of a script from abs.twimg.com crawls at ~18 kB/s
    # with drops, SACK dup-ACKs and retransmissions.  The researcher then opens a second TLS
    # connection to the very same CDN edge address with an innocuous SNI (www.python.org,
    # also served by that CDN) and receives 1.6 MB at several MB/s.
    rng = random.Random("blind5-throttling")
    cip = "2a00:1fa0:4a3:9e1d:6c41:1f2:ab34:e7c2"
    edge = "2a04:4e42:600::159"
    cap = Capture(epoch_ns(2021, 3, 12, 10, 21, 44, 318007),
                  [{"link": "ether", "name": "enp0s31f6", "cmac": "54:e1:ad:0f:3b:7a", "gmac": "e4:8d:8c:22:61:b0"}])
    dns = Resolver(cap, rng, cip, "2a00:1fa0:c41::53", ttl=61, rtt=0.0218)
    v6 = {"c_mss": 1440, "s_mss": 1440}
    t, *_ = dns.query(0.0, "ya.ru", T_AAAA, [("ya.ru", T_AAAA, 600, "2a02:6b8::2:242")], ad=False, edns=None)
    t, _ = https_fetch(cap, rng, t + 0.0007, cip, "2a02:6b8::2:242", "ya.ru", rtt=0.0114, s_ttl=57, cport=44810, resp=84000, **v6)
    t, *_ = dns.query(t + 0.96, "abs.twimg.com", T_AAAA, [("abs.twimg.com", T_CNAME, 300, "dualstack.twimg.twitter.map.fastly.net"),
                                                          ("dualstack.twimg.twitter.map.fastly.net", T_AAAA, 30, edge)], ad=False, edns=None)
    # throttled flow
    f = TCPFlow(cap, rng, cip, edge, 44822, 443, 0.0472, s_ttl=55, s_synwin=65535, s_win=1024, **v6)
    t = f.handshake(t + 0.0009)
    ch, info = client_hello(rng, "abs.twimg.com")
    t = f.c_data(t + 0.0002, tls_record(22, ch, 0x0301))
    flight = tls_record(22, server_hello13(rng, info["sid"])) + tls_record(20, b"\x01") + tls_record(23, rbytes(rng, 3127))
    t = f.s_bulk(t + f.rtt + 0.0009, flight)
    t = f.c_data(t + 0.0031, tls_record(20, b"\x01") + tls_record(23, rbytes(rng, 53)) + tls_record(23, rbytes(rng, 402)))
    t = policed_download(f, t + f.rtt + 0.0008, tls_record(23, rbytes(rng, 249)) + appdata_stream(rng, 152000),
                         rate=18750.0, bucket=9000.0, gap=0.00012)
    t = f.close_by_client(t + 0.21)
    # control: same address, innocuous SNI
    t, _ = https_fetch(cap, rng, t + 1.63, cip, edge, "www.python.org", rtt=0.0469, s_ttl=55, cport=44836, resp=1600000, **v6)
    t, *_ = dns.query(t + 1.1, "mail.ru", T_AAAA, [("mail.ru", T_AAAA, 60, "2a00:1148:db00:0:b0b0::1")], ad=False, edns=None)
    https_fetch(cap, rng, t + 0.0008, cip, "2a00:1148:db00:0:b0b0::1", "mail.ru", rtt=0.0127, s_ttl=57, cport=44850, resp=143000, **v6)
    name = "b5p_throttling_ipv6_sni.pcapng"
    write_pcapng(os.path.join(outdir, name), cap, tsresol=6, os_name=b"Linux 5.10.0-4-amd64",
                 userappl=b"Dumpcap (Wireshark) 3.4.3 (Git v3.4.3 packaged as 3.4.3-1)")
    return name, {"expect": [{"mechanism": "throttling", "domain": "abs.twimg.com", "ip": edge}],
                  "why": "The TLS flow with SNI abs.twimg.com to 2a04:4e42:600::159 delivers ~155 kB at about 18 kB/s with policer drops, SACK dup-ACKs and retransmissions, while a flow to the same address with SNI www.python.org right after delivers 1.6 MB at about 2 MB/s or more (two orders of magnitude faster)."}


# ----------------------------------------------------------------------------------------
# capture 8: residual-blocking (+ rst-injection), HTTP Host trigger, 90 s
# ----------------------------------------------------------------------------------------

def cap_residual(outdir):
    # China: the GFW's HTTP Host filter (www.rfa.org, Radio Free Asia, blocked since the
    # 1990s) with its 90 s "penalty box" on (client IP, server IP, port).  Test server: the
    # researcher's own VPS in Singapore running nginx on 80 and 443.  An innocuous GET
    # works; the GET with Host www.rfa.org draws three plain RSTs (no ACK flag, IP ID 0,
    # DF clear, window 4104, TTL 96 vs the server's 47) with sequence numbers base, +1460 and
    # +4380; for the next 90 s every new port-80 connection with an innocuous Host completes
    # its handshake and is then reset the same way, while TLS on port 443 of the same VPS
    # works; after the window port 80 answers normally again.
    rng = random.Random("blind5-residual")
    cip = "192.168.31.120"
    vps = "139.180.140.27"
    cap = Capture(epoch_ns(2024, 10, 22, 13, 48, 9, 705233),
                  [{"link": "ether", "name": "eth0", "cmac": "2c:f0:5d:8a:17:e3", "gmac": "50:64:2b:19:cc:40"}])
    dns = Resolver(cap, rng, cip, "223.5.5.5", ttl=117, rtt=0.0061)
    t, *_ = dns.query(0.0, "www.baidu.com", T_A, [("www.baidu.com", T_CNAME, 1200, "www.a.shifen.com"),
                                                   ("www.a.shifen.com", T_A, 300, "110.242.68.3")], ad=False, edns=None)
    t, _ = https_fetch(cap, rng, t + 0.0011, cip, "110.242.68.3", "www.baidu.com", rtt=0.0288, s_ttl=52, cport=40112, resp=77000)
    t, *_ = dns.query(t + 0.44, "www.taobao.com", T_A, [("www.taobao.com", T_CNAME, 60, "www.taobao.com.danuoyi.tbcache.com"),
                                                         ("www.taobao.com.danuoyi.tbcache.com", T_A, 60, "59.82.122.115")], ad=False, edns=None)
    https_fetch(cap, rng, t + 0.0009, cip, "59.82.122.115", "www.taobao.com", rtt=0.0214, s_ttl=53, cport=40118, resp=118000)
    rtt, s_ttl = 0.0713, 47
    ports = iter(range(40126, 40400, 2))

    def fetch_ok(t0, date):
        return http_plain_fetch(cap, rng, t0, cip, vps, "www.example.com", rtt=rtt, s_ttl=s_ttl, cport=next(ports), body=NGINX_WELCOME, date=date)[0]

    def reset_flow(t0, host):
        f = TCPFlow(cap, rng, cip, vps, next(ports), 80, rtt, s_ttl=s_ttl)
        t1 = f.handshake(t0)
        t1 = f.c_data(t1 + 0.00008, curl_get(host))
        for k, off in enumerate((0, 1460, 4380)):
            f.inject(t1 + 0.01762 + k * 0.000036, flags="R", seq=f.sseq + off, ack=0, ttl=96, ipid=0, df=False, win=4104)
        return t1

    def j():
        return rng.random() * 0.4

    fetch_ok(3.0 + j(), "Tue, 22 Oct 2024 13:48:12 GMT")
    trig = 6.0 + j()
    reset_flow(trig, "www.rfa.org")
    for dt in (8.2, 23.8, 38.5, 57.1, 75.7):
        reset_flow(trig + dt + j(), "www.example.com")
    for dt in (15.4, 46.9):
        https_fetch(cap, rng, trig + dt + j(), cip, vps, "www.example.com", rtt=rtt, s_ttl=s_ttl, cport=next(ports), resp=640, style="openssl")
    fetch_ok(trig + 102.3 + j(), "Tue, 22 Oct 2024 13:49:58 GMT")
    fetch_ok(trig + 121.6 + j(), "Tue, 22 Oct 2024 13:50:17 GMT")
    name = "b5p_residual_http_host_90s.pcap"
    write_pcap(os.path.join(outdir, name), cap)
    return name, {"expect": [{"mechanism": "residual-blocking", "domain": "www.rfa.org", "ip": vps},
                             {"mechanism": "rst-injection", "domain": "www.rfa.org", "ip": vps}],
                  "why": "After the GET with Host www.rfa.org is hit by three forged RSTs (TTL 96, IP ID 0, seq +0/+1460/+4380 vs the server's TTL 47), five new innocuous port-80 connections to the same server within 90 s are reset identically while port 443 of that server works, and port 80 works again ~100 s after the trigger."}


# ----------------------------------------------------------------------------------------

def main(argv):
    if len(argv) != 2:
        print("usage: blind5_positive.py OUTDIR", file=sys.stderr)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for fn in (cap_dns_injection, cap_dns_tampering, cap_rst_injection, cap_packet_injection,
               cap_tls_mitm, cap_blackhole_quic, cap_throttling, cap_residual):
        name, exp = fn(outdir)
        expect[name] = exp
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
