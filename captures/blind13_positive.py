#!/usr/bin/env python3
# ruff: noqa: B905, E402, E501, E731, F841, RUF021, RUF046, RUF059, UP017
"""blind13_positive.py OUTDIR -- six blind positive captures (censorship mechanisms hidden in long,
noisy sessions with real capture artifacts) plus OUTDIR/expect.json.  Deterministic: seeded RNGs,
fixed epochs.  Part 1 is a capture kit (pcap/pcapng writers, TCP flow builder, TLS, DNS, QUIC, X.509
builders); part 2 the six cases."""
import json
import os
import random
import struct
import sys

import blind_kit as kit
from cryptography.hazmat.primitives.serialization import Encoding
from scapy.all import TCP, UDP, Raw, raw

# ----------------------------------------------------------------------------
# capture container and writers
# ----------------------------------------------------------------------------


class Cap(kit.Cap):
    """The kit's Cap with the methods this round changed."""

    def __init__(self, fname, base, ifaces, fmt="pcap", endian="<", nsec=False, shb=None, snaplen=262144, csum0=False):
        self.fname, self.base, self.ifaces = fname, base, ifaces
        self.fmt, self.endian, self.nsec, self.shb = fmt, endian, nsec, shb or {}
        self.snaplen = snaplen    # frames longer than this are cut (caplen < len)
        self.csum0 = csum0        # checksum offload: outgoing TCP/UDP checksums left at zero
        self.recs = []
        self._sorted = None

    def add(self, t, pkt, out, iface=0, tag=None):
        ipb = pkt if isinstance(pkt, bytes) else raw(pkt)
        if out and self.csum0:
            ipb = zero_l4_csum(ipb)
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        self.recs.append((tns, len(self.recs), iface, self.link(iface, ipb, out), tag))
        self._sorted = None

    def sorted(self):
        """capture order; packets before t=0 happened before the capture started"""
        if self._sorted is None:
            t0 = self.base * 1_000_000_000

            def pos(r):  # an interface whose ring buffer is drained in batches lands in the file late
                fl = int(self.ifaces[r[2]].get("flush", 0) * 1e9)
                return (-(-r[0] // fl) * fl if fl else r[0], r[1])
            self._sorted = sorted((r for r in self.recs if r[0] >= t0), key=pos)
        return self._sorted

    def span_dup(self, rng, pred=lambda r: True, dmin=4e-6, dmax=3.5e-5):
        """SPAN port mirroring two switch ports: every matching frame is seen a second time."""
        for r in list(self.recs):
            if pred(r):
                self.recs.append((r[0] + int(rng.uniform(dmin, dmax) * 1e9), len(self.recs), r[2], r[3], r[4] and "dup:" + r[4]))
        self._sorted = None

    def write(self, path):
        E = self.endian
        out = bytearray()
        recs = self.sorted()
        if self.fmt == "pcap":
            lt = LINKTYPE[self.ifaces[0]["link"]]
            out += struct.pack(E + "IHHiIII", 0xA1B23C4D if self.nsec else 0xA1B2C3D4, 2, 4, 0, 0, self.snaplen, lt)
            for tns, _, _, b, _ in recs:
                sec, frac = divmod(tns, 1_000_000_000)
                if not self.nsec:
                    frac //= 1000
                cl = min(len(b), self.snaplen)
                out += struct.pack(E + "IIII", sec, frac, cl, len(b)) + b[:cl]
        else:
            def opt(code, val):
                return struct.pack(E + "HH", code, len(val)) + val + b"\0" * (-len(val) % 4)

            def blk(bt, body):
                body += b"\0" * (-len(body) % 4)
                n = len(body) + 12
                return struct.pack(E + "II", bt, n) + body + struct.pack(E + "I", n)

            so = b"".join(opt(c, v.encode()) for c, v in ((2, self.shb.get("hw", "")), (3, self.shb.get("os", "")), (4, self.shb.get("app", ""))) if v)
            out += blk(0x0A0D0D0A, struct.pack(E + "IHHq", 0x1A2B3C4D, 1, 0, -1) + so + struct.pack(E + "HH", 0, 0))
            for f in self.ifaces:
                io = opt(2, f["name"].encode()) + opt(9, bytes([f.get("tsresol", 6)]))
                if f.get("os"):
                    io += opt(12, f["os"].encode())
                out += blk(1, struct.pack(E + "HHI", LINKTYPE[f["link"]], 0, self.snaplen) + io + struct.pack(E + "HH", 0, 0))
            for tns, _, ifc, b, _ in recs:
                res = self.ifaces[ifc].get("tsresol", 6)
                tns += int(self.ifaces[ifc].get("skew", 0) * 1e9)  # each interface stamps with its own clock
                ts = tns if res == 9 else tns // 1000
                cl = min(len(b), self.snaplen)
                out += blk(6, struct.pack(E + "IIIII", ifc, ts >> 32, ts & 0xFFFFFFFF, cl, len(b)) + b[:cl])
        with open(path, "wb") as fh:
            fh.write(bytes(out))


# ----------------------------------------------------------------------------
# IP / TCP
# ----------------------------------------------------------------------------


def zero_l4_csum(ipb):
    """What a capture taken on the sending host shows when the NIC computes checksums."""
    b = bytearray(ipb)
    if b[0] >> 4 == 4:
        off, proto = (b[0] & 15) * 4, b[9]
    else:
        off, proto = 40, b[6]
    if proto == 6:
        b[off + 16:off + 18] = b"\0\0"
    elif proto == 17 and b[0] >> 4 == 4:
        b[off + 6:off + 8] = b"\0\0"
    return bytes(b)


class Flow(kit.Flow):
    """The kit's Flow with the methods this round changed."""

    def send_c(self, t, data, tag=None):
        """Client sends data (small: a request); segments of self.seg bytes."""
        off = 0
        step = self.seg * getattr(self.ctx, "tso", 1)   # segmentation offload: the capture sees the unsplit write
        while off < len(data):
            chunk = data[off:off + step]
            off += len(chunk)
            self.c(t, "PA" if off >= len(data) else "A", chunk, tag=tag if off >= len(data) else None)
            t += 0.000012
        self.s_rcv = self.cnxt
        return t

    def bulk(self, t0, data, rate=50e6, drop=None, t_limit=60.0, tag=None, final_ack=True):
        if getattr(self.ctx, "gro", False) and drop is None and len(data) > 3 * self.seg and not self.v6:
            t = gro_bulk(self, t0 + self.owd, data, tag=tag)   # receive offload: the capture sees super-segments
            self.done_t = self.last_arr = t
            self.delivered = len(data)
            return t
        return bulk(self, t0, data, rate, drop, t_limit, tag, final_ack)


# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------


def client_hello(rng, sni, alpn=("h2", "http/1.1"), profile="firefox", extra=(), pad=True, pq=False, hs_only=False):
    """A well-formed TLS 1.3 ClientHello record; returns (record bytes, session id).
    extra: more extensions (e.g. QUIC transport parameters); pq: X25519MLKEM768 key share
    (makes the hello ~1.8 kB); hs_only: the handshake message without the record header."""
    rnd, sid = rng.randbytes(32), (b"" if hs_only else rng.randbytes(32))
    alpn_b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    sni_ext = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()) if sni else b""
    pub = x25519_pub(rng)
    if profile == "chrome":
        g1, g2, g3 = rng.sample(GREASE, 3)
        suites = [g1, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        exts = [
            ext(g2, b""), sni_ext, ext(23, b""), ext(0xFF01, b"\x00"),
            ext(10, u16(8) + u16(g1) + u16(0x1D) + u16(0x17) + u16(0x18)), ext(11, b"\x01\x00"), ext(35, b""),
            ext(16, u16(len(alpn_b)) + alpn_b), ext(5, b"\x01\x00\x00\x00\x00"),
            ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
            ext(18, b""), (ext(51, u16(5 + 4 + 1216 + 4 + 32) + u16(g1) + u16(1) + b"\x00" + u16(0x11EC) + u16(1216) + rng.randbytes(1184) + pub + u16(0x1D) + u16(32) + pub)
                           if pq else ext(51, u16(32 + 4 + 5) + u16(g1) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + pub)),
            ext(45, b"\x01\x01"), ext(43, b"\x06" + u16(g3) + u16(0x0304) + u16(0x0303)),
            ext(27, b"\x02\x00\x02"), ext(17513, b"\x00\x03\x02h2"), ext(g3 ^ 0x1010, b"\x00"),
        ]
    else:
        suites = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A, 0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        exts = [
            sni_ext, ext(23, b""), ext(0xFF01, b"\x00"),
            ext(10, u16(14) + b"".join(u16(x) for x in (0x1D, 0x17, 0x18, 0x19, 0x100, 0x101, 0x102))), ext(11, b"\x01\x00"),
            ext(35, b""), ext(16, u16(len(alpn_b)) + alpn_b), ext(5, b"\x01\x00\x00\x00\x00"), ext(34, u16(8) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0203))),
            ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(43, b"\x04" + u16(0x0304) + u16(0x0303)),
            ext(13, u16(22) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201))),
            ext(45, b"\x01\x01"), ext(28, b"\x40\x01"),
        ]
    if pq and profile == "chrome":
        exts[4] = ext(10, u16(10) + u16(g1) + u16(0x11EC) + u16(0x1D) + u16(0x17) + u16(0x18))
    exts = [e for e in exts if e] + list(extra)
    body = b"\x03\x03" + rnd + bytes([len(sid)]) + sid + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00"
    el = b"".join(exts)
    hlen = len(body) + 2 + len(el)
    if pad and hlen < 508:  # pad like browsers do so the ClientHello is at least 512 bytes
        pad = 508 - hlen - 4
        el += ext(21, b"\x00" * max(pad, 0))
    body += u16(len(el)) + el
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    if hs_only:
        return hs, sid
    return b"\x16\x03\x01" + u16(len(hs)) + hs, sid


# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# per-case context and composite helpers
# ----------------------------------------------------------------------------


class Ctx(kit.Ctx):
    """The kit's Ctx with the methods this round changed."""

    flow_class = Flow
    make_client_hello = staticmethod(client_hello)

    def https(self, t, sip, sni, rtt, sttl, resp=20000, rate=30e6, cert=3200, req=420, think=0.015, close="client",
              profile="firefox", sos="linuxsrv", iface=None, smss=1460, alpn=("h2", "http/1.1"), tag=None, drop=None, t_limit=1e9):
        """A complete HTTPS exchange. Returns (flow, time of last packet)."""
        rng = self.rng
        fl = Flow(self, sip, 443, rtt, sttl, sos=sos, iface=iface, smss=smss)
        t = fl.handshake(t, tag)
        t += rng.uniform(0.0002, 0.0012)
        ch, sid = client_hello(rng, sni, alpn, profile)
        t = fl.send_c(t, ch, tag and tag + "ch")
        t = fl.bulk(t + fl.owd + rng.uniform(0.0004, 0.002), server_flight(rng, sid, cert), rate, drop, t_limit, tag and tag + "sh", final_ack=False)
        if fl.done_t is None:  # the flight never completed (censored): caller takes over
            return fl, t
        t = max(t, fl.last_arr + rng.uniform(0.001, 0.004))
        t = fl.send_c(t, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_stream(rng, req), tag and tag + "req")
        srv = b"".join(app_rec(rng, rng.randrange(230, 260)) for _ in range(2)) + app_stream(rng, resp)
        t = fl.bulk(t + fl.owd + think, srv, rate, drop, t_limit, tag and tag + "resp")
        if fl.done_t is None:
            return fl, t
        if close == "client":
            t = fl.close_client(t + rng.uniform(0.05, 2.5))
        elif close == "server":
            t = fl.close_server(t + rng.uniform(0.5, 5.0))
        return fl, t



# ----------------------------------------------------------------------------
# QUIC (RFC 9000/9001, RFC 9369 v2, draft-29): real Initial protection, so the
# ClientHello and ServerHello decrypt; Handshake/1-RTT payloads are opaque bytes
# ----------------------------------------------------------------------------

import hashlib
import hmac

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

QUIC_V = {  # version: (initial salt, label prefix, long-header type codes Initial/0RTT/Handshake/Retry)
    0x00000001: ("38762cf7f55934b34d179ae6a4c80cadccbb7f0a", "quic ", (0, 1, 2, 3)),
    0x6B3343CF: ("0dede3def700a6db819381be6e269dcbf9bd2ed9", "quicv2 ", (1, 2, 3, 0)),
    0xFF00001D: ("afbfec289993d24c9e9786f19c6111e04390a899", "quic ", (0, 1, 2, 3)),
}


def hkdf_label(secret, label, n):
    lb = b"tls13 " + label.encode()
    info = struct.pack("!H", n) + bytes([len(lb)]) + lb + b"\0"
    out, blk, i = b"", b"", 1
    while len(out) < n:
        blk = hmac.new(secret, blk + info + bytes([i]), hashlib.sha256).digest()
        out += blk
        i += 1
    return out[:n]


def quic_keys(version, odcid, server):
    salt, pre, _ = QUIC_V[version]
    init = hmac.new(bytes.fromhex(salt), odcid, hashlib.sha256).digest()
    sec = hkdf_label(init, "server in" if server else "client in", 32)
    return hkdf_label(sec, pre + "key", 16), hkdf_label(sec, pre + "iv", 12), hkdf_label(sec, pre + "hp", 16)


def vint(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return struct.pack("!H", 0x4000 | n)
    return struct.pack("!I", 0x80000000 | n)


def q_crypto(off, data):
    return b"\x06" + vint(off) + vint(len(data)) + data


def q_ack(largest, delay=0, first=0):
    return b"\x02" + vint(largest) + vint(delay) + b"\x00" + vint(first)


def quic_initial(version, odcid, dcid, scid, pn, frames, server=False, size=None):
    """A protected Initial packet; padded with PADDING frames to `size` bytes when given."""
    key, iv, hp = quic_keys(version, odcid, server)
    pnl = 2
    hdr0 = 0xC0 | (QUIC_V[version][2][0] << 4) | (pnl - 1)
    tok = b"\x00"
    pre = struct.pack("!BI", hdr0, version) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + tok
    if size:
        base = len(pre) + 2 + pnl + len(frames) + 16
        frames += b"\0" * max(0, size - base)
    plen = pnl + len(frames) + 16
    hdr = pre + struct.pack("!H", 0x4000 | plen) + struct.pack("!H", pn)
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, frames, hdr)
    sample = ct[4 - pnl:4 - pnl + 16]
    mask = Cipher(algorithms.AES(hp), modes.ECB()).encryptor().update(sample)
    h = bytearray(hdr)
    h[0] ^= mask[0] & 0x0F
    for i in range(pnl):
        h[len(h) - pnl + i] ^= mask[1 + i]
    return bytes(h) + ct


def quic_long_opaque(rng, version, dcid, scid, n, kind=2):
    """A Handshake (kind=2) long-header packet whose protected payload is n opaque bytes."""
    ty = QUIC_V[version][2][kind]
    return (bytes([0xC0 | (ty << 4) | rng.randrange(4)]) + struct.pack("!I", version) + bytes([len(dcid)]) + dcid
            + bytes([len(scid)]) + scid + struct.pack("!H", 0x4000 | n) + rng.randbytes(n))


def quic_short(rng, dcid, n):
    return bytes([0x40 | rng.randrange(64)]) + dcid + rng.randbytes(n)


def quic_tp(rng, scid, version):
    p = lambda i, v: vint(i) + vint(len(v)) + v
    vi = p(0x11, struct.pack("!III", version, version, 1)) if version != 0xFF00001D else b""
    return ext(0x39 if version != 0xFF00001D else 0xFFA5, p(0x01, vint(30000)) + p(0x04, vint(15728640)) + p(0x05, vint(6291456)) + p(0x06, vint(6291456))
               + p(0x07, vint(6291456)) + p(0x08, vint(100)) + p(0x09, vint(103)) + p(0x0F, scid)
               + p(0x0E, vint(8)) + p(0x20, vint(65536)) + vi)


def quic_client_initials(rng, version, sni, odcid, scid, pq=False, profile="chrome"):
    """CRYPTO frame payloads of the client's first flight: one, or two when the hello is split."""
    ch, _ = client_hello(rng, sni, ("h3",), profile, extra=[quic_tp(rng, scid, version)], pad=False, pq=pq, hs_only=True)
    room = 1140
    return [ch[i:i + room] for i in range(0, len(ch), room)], ch


def server_hello_hs(rng):
    pub = x25519_pub(rng)
    exts = ext(43, u16(0x0304)) + ext(51, u16(0x1D) + u16(32) + pub)
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(0x1301) + b"\x00" + u16(len(exts)) + exts
    return b"\x02" + struct.pack("!I", len(body))[1:] + body


class QuicFlow:
    """One QUIC connection seen from the client (IPv4/UDP)."""

    def __init__(self, ctx, sip, rtt, sttl, sni, version=1, sport=None, dport=443, iface=None, pq=False):
        rng = ctx.rng
        self.ctx, self.cap, self.rng = ctx, ctx.cap, rng
        self.sip, self.rtt, self.sttl, self.sni, self.version, self.dport = sip, rtt, sttl, sni, version, dport
        self.sport = sport or ctx.port()
        self.iface = ctx.iface if iface is None else iface
        self.odcid, self.cscid, self.sscid = rng.randbytes(8), b"", rng.randbytes(8)
        self.cid, self.sid = rng.randrange(65536), 0
        self.cpn, self.spn = 0, 0
        self.pq = pq

    def c(self, t, payload, tag=None):
        cip = self.ctx.cip6 if ":" in self.sip else self.ctx.cip
        ip = mk_ip(cip, self.sip, self.ctx.cttl, self.cid, True)
        self.cid = (self.cid + 1) & 0xFFFF
        self.cap.add(t, ip / UDP(sport=self.sport, dport=self.dport) / Raw(payload), True, self.iface, tag)

    def s(self, t, payload, tag=None):
        cip = self.ctx.cip6 if ":" in self.sip else self.ctx.cip
        ip = mk_ip(self.sip, cip, self.sttl, self.sid, True)
        self.cap.add(t, ip / UDP(sport=self.dport, dport=self.sport) / Raw(payload), False, self.iface, tag)

    def client_first(self, t, tag=None):
        """The client's Initial(s) carrying the ClientHello; returns the time after them."""
        parts, self.ch = quic_client_initials(self.rng, self.version, self.sni, self.odcid, self.cscid, self.pq)
        self.ch_parts = parts
        off = 0
        for i, p in enumerate(parts):
            pkt = quic_initial(self.version, self.odcid, self.odcid, self.cscid, self.cpn, q_crypto(off, p), size=1250)
            self.c(t, pkt, tag and f"{tag}init{i}")
            off += len(p)
            self.cpn += 1
            t += self.rng.uniform(0.00002, 0.00008)
        return t

    def retransmit(self, t, tag=None):
        off = 0
        for i, p in enumerate(self.ch_parts):
            pkt = quic_initial(self.version, self.odcid, self.odcid, self.cscid, self.cpn, q_crypto(off, p), size=1250)
            self.c(t, pkt, tag and f"{tag}{i}")
            off += len(p)
            self.cpn += 1
            t += 0.00003
        return t

    def unanswered(self, t, tag=None, giveup=10.0, pto=0.3):
        """Client flight, then PTO retransmissions doubling until the handshake times out."""
        t0 = t
        t = self.client_first(t, tag)
        k = 0
        while True:
            t = t0 + pto * (2 ** (k + 1) - 1)
            if t - t0 > giveup:
                break
            self.retransmit(t, tag and f"{tag}rtx{k}_")
            k += 1
        return t0 + giveup

    def session(self, t, resp=40000, tag=None, close=True):
        """A complete, answered connection; returns the time of its last packet."""
        rng, V = self.rng, self.version
        t = self.client_first(t, tag)
        t += self.rtt
        sh = server_hello_hs(rng)
        si = quic_initial(V, self.odcid, self.cscid, self.sscid, 0, q_ack(self.cpn - 1, first=self.cpn - 1) + q_crypto(0, sh), server=True)
        first = si + quic_long_opaque(rng, V, self.cscid, self.sscid, 1200 - len(si) - 30)
        self.s(t, first, tag and tag + "sinit")
        for _ in range(2):
            t += 0.0002
            self.s(t, quic_long_opaque(rng, V, self.cscid, self.sscid, rng.randrange(900, 1200)))
        t += rng.uniform(0.0005, 0.002)
        hs = quic_long_opaque(rng, V, self.sscid, self.cscid, 80)
        ci = quic_initial(V, self.odcid, self.sscid, self.cscid, self.cpn, q_ack(0), size=1250 - len(hs))
        self.cpn += 1
        self.c(t, ci + hs)
        t += 0.0001
        self.c(t, quic_short(rng, self.sscid, rng.randrange(60, 90)))
        t += 0.00005
        self.c(t, quic_short(rng, self.sscid, rng.randrange(120, 300)), tag and tag + "req")
        t += self.rtt + rng.uniform(0.003, 0.02)
        self.s(t, quic_short(rng, b"", rng.randrange(40, 120)))
        n = 0
        while resp > 0:
            k = min(resp, 1200)
            t += rng.uniform(0.0001, 0.0006)
            self.s(t, quic_short(rng, b"", k + 25))
            resp -= k
            n += 1
            if n % 2 == 0 or resp <= 0:
                self.c(t + 0.00005, quic_short(rng, self.sscid, rng.randrange(30, 40)))
        if close:
            t += rng.uniform(1.0, 8.0)
            self.c(t, quic_short(rng, self.sscid, rng.randrange(30, 45)))
        return t


# ----------------------------------------------------------------------------
# X.509 (deterministic: seeded RSA primes, EC keys from seeded scalars, RSA
# PKCS#1 v1.5 signatures) and the TLS 1.2 handshake that shows certificates
# ----------------------------------------------------------------------------

import datetime

from blind_kit import (  # the capture-writing kit the round was written with
    GREASE,
    LINKTYPE,
    app_rec,
    app_stream,
    bulk,
    chain,
    dns_msg,
    epoch,
    ext,
    html_body,
    mac,
    mk_ip,
    server_flight,
    u16,
    x25519_pub,
)
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SMALLP = [p for p in range(3, 2000) if all(p % q for q in range(2, int(p ** 0.5) + 1))]


def _prime(rng, bits):
    while True:
        c = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if any(c % p == 0 for p in SMALLP):
            continue
        d, r = c - 1, 0
        while d % 2 == 0:
            d, r = d // 2, r + 1
        for _ in range(24):
            x = pow(rng.randrange(2, c - 2), d, c)
            if x in (1, c - 1):
                continue
            for _ in range(r - 1):
                x = pow(x, 2, c)
                if x == c - 1:
                    break
            else:
                break
        else:
            return c


def rsa_key(seed, bits=2048):
    rng = random.Random(seed)
    e = 65537
    while True:
        p, q = _prime(rng, bits // 2), _prime(rng, bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and phi % e:
            break
    d = pow(e, -1, phi)
    return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q)).private_key()


def ec_key(seed):
    return ec.derive_private_key(random.Random(seed).getrandbits(250) + 1, ec.SECP256R1())


def dn(**kw):
    oid = dict(C=NameOID.COUNTRY_NAME, ST=NameOID.STATE_OR_PROVINCE_NAME, L=NameOID.LOCALITY_NAME,
               O=NameOID.ORGANIZATION_NAME, OU=NameOID.ORGANIZATIONAL_UNIT_NAME, CN=NameOID.COMMON_NAME)
    return x509.Name([x509.NameAttribute(oid[k], v) for k, v in kw.items()])


def mkcert(subject, issuer, pub, signer, serial, nb, na, sans=None, ca=False, pathlen=None, ikey=None):
    """nb/na: (y, m, d); signer: the issuer's RSA private key; ikey: its public key (for the AKI)."""
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub).serial_number(serial)
         .not_valid_before(datetime.datetime(*nb, tzinfo=datetime.timezone.utc))
         .not_valid_after(datetime.datetime(*na, 23, 59, 59, tzinfo=datetime.timezone.utc))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen if ca else None), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False))
    if ca:
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
    else:
        b = (b.add_extension(x509.KeyUsage(True, False, not isinstance(pub, ec.EllipticCurvePublicKey), False, False, False, False, False, False), critical=True)
              .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False))
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), critical=False)
    if ikey is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ikey), critical=False)
    return b.sign(signer, hashes.SHA256()).public_bytes(Encoding.DER)


def hs_msg(typ, body):
    return bytes([typ]) + struct.pack("!I", len(body))[1:] + body


def tls12_server_flight(rng, chain, suite=0xC02F, alpn=b"h2", ecdsa=False):
    """ServerHello (TLS 1.2) + Certificate (cleartext) + ServerKeyExchange + ServerHelloDone, one record."""
    exts = ext(0xFF01, b"\x00") + ext(11, b"\x01\x00") + ext(23, b"") + ext(35, b"")
    if alpn:
        exts += ext(16, u16(len(alpn) + 1) + bytes([len(alpn)]) + alpn)
    sh = hs_msg(2, b"\x03\x03" + rng.randbytes(32) + b"\x20" + rng.randbytes(32) + u16(suite) + b"\x00" + u16(len(exts)) + exts)
    cl = b"".join(struct.pack("!I", len(c))[1:] + c for c in chain)
    cert = hs_msg(11, struct.pack("!I", len(cl))[1:] + cl)
    sig = (b"\x04\x03" + u16(72) + b"\x30\x46\x02\x21\x00" + rng.randbytes(32) + b"\x02\x21\x00" + rng.randbytes(32)) if ecdsa \
        else (b"\x08\x04" + u16(256) + rng.randbytes(256))
    ske = hs_msg(12, b"\x03\x00\x1d\x20" + x25519_pub(rng) + sig)
    body = sh + cert + ske + hs_msg(14, b"")
    out = b""
    for i in range(0, len(body), 16384):
        part = body[i:i + 16384]
        out += b"\x16\x03\x03" + u16(len(part)) + part
    return out


def tls12_session(ctx, t, sip, sni, chain, rtt, sttl, resp=30000, rate=30e6, ecdsa=False, suite=None, alpn=b"h2",
                  sos="linuxsrv", profile=None, tag=None, close="client", iface=None, reject=None):
    """A full TLS 1.2 exchange whose Certificate message is in the clear.  reject=alert code: the client
    refuses the certificate (fatal alert, then FIN) instead of going on."""
    profile = profile or getattr(ctx, "profile", "firefox")
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, rtt, sttl, sos=sos, iface=iface)
    t = fl.handshake(t, tag)
    t += rng.uniform(0.0002, 0.0012)
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), profile)
    t = fl.send_c(t, ch, tag and tag + "ch")
    flight = tls12_server_flight(rng, chain, suite or (0xC02B if ecdsa else 0xC02F), alpn, ecdsa)
    t = fl.bulk(t + fl.owd + rng.uniform(0.0005, 0.003), flight, rate, None, 1e9, tag and tag + "cert", final_ack=False)
    t = max(t, fl.last_arr + rng.uniform(0.002, 0.006))
    if reject is not None:
        t = fl.send_c(t, b"\x15\x03\x03\x00\x02\x02" + bytes([reject]), tag and tag + "alert")
        fl.c(t + 0.00003, "FA", tag=tag and tag + "fin")
        fl.s_rcv = fl.cnxt
        fl.s(t + fl.rtt, "FA")
        fl.c_rcv = fl.snxt
        fl.c(t + fl.rtt + 0.00005, "A")
        return fl, t + fl.rtt
    cke = b"\x16\x03\x03\x00\x25" + hs_msg(16, b"\x20" + x25519_pub(rng))
    t = fl.send_c(t, cke + b"\x14\x03\x03\x00\x01\x01" + b"\x16\x03\x03\x00\x28" + rng.randbytes(40), tag and tag + "cke")
    tick = hs_msg(4, struct.pack("!I", 100800) + u16(192) + rng.randbytes(192))
    fin = b"\x16\x03\x03" + u16(len(tick)) + tick + b"\x14\x03\x03\x00\x01\x01" + b"\x16\x03\x03\x00\x28" + rng.randbytes(40)
    t = fl.bulk(t + fl.owd + rng.uniform(0.0003, 0.002), fin, rate, None, 1e9, None, final_ack=False)
    t = max(t, fl.last_arr + rng.uniform(0.0005, 0.002))
    t = fl.send_c(t, app_rec(rng, rng.randrange(300, 520)), tag and tag + "req")
    t = fl.bulk(t + fl.owd + rng.uniform(0.01, 0.06), app_stream(rng, resp), rate, None, 1e9, tag and tag + "resp")
    if close == "client":
        t = fl.close_client(t + rng.uniform(0.3, 3.0))
    return fl, t


# ----------------------------------------------------------------------------
# ordinary traffic: sites, DNS (UDP or TCP), browsing, telemetry, GRO transfers
# ----------------------------------------------------------------------------


def site(name, ip, rtt, ttl, kind="https", ip6=None, cn=(), resp=(6000, 90000), sos="linuxsrv", chain=None, path="/"):
    return dict(name=name, ip=ip, rtt=rtt, ttl=ttl, kind=kind, ip6=ip6, cn=list(cn), resp=resp, sos=sos, chain=chain, path=path)


def dns_tcp_lookup(ctx, t, qname, ans_a, ans_aaaa, tag=None, rtt=None):
    """glibc with `options use-vc`: A and AAAA written together on one TCP connection."""
    rng = ctx.rng
    fl = Flow(ctx, ctx.resolver, 53, rtt or ctx.dns_rtt, ctx.rttl, sos="linuxsrv")
    t = fl.handshake(t, tag)
    ids = [rng.randrange(65536), rng.randrange(65536)]
    q = b"".join(u16(len(m)) + m for m in (dns_msg(ids[0], ctx.qflags, qname, "A", edns=ctx.edns), dns_msg(ids[1], ctx.qflags, qname, "AAAA", edns=ctx.edns)))
    t = fl.send_c(t + rng.uniform(0.00005, 0.0003), q, tag and tag + "q")
    fl.qids = ids
    resp = b"".join(u16(len(m)) + m for m in (dns_msg(ids[0], 0x8180, qname, "A", ans_a, edns=ctx.edns), dns_msg(ids[1], 0x8180, qname, "AAAA", ans_aaaa, edns=ctx.edns)))
    return fl, t, resp


def dns_tcp_finish(ctx, fl, t, resp, tag=None):
    t = fl.bulk(t, resp, 50e6, None, 1e9, tag, final_ack=False)
    t += ctx.rng.uniform(0.0001, 0.0006)
    fl.c(t, "FA")
    fl.s_rcv = fl.cnxt
    fl.s(t + fl.rtt, "FA")
    fl.c_rcv = fl.snxt
    fl.c(t + fl.rtt + 0.00004, "A")
    return t + fl.rtt


def resolve(ctx, t, s, tag=None):
    ttl = ctx.rng.choice((60, 120, 300, 600, 3600))
    a = chain(s["name"], s["cn"], [s["ip"]], ttl, ttl)
    aaaa = chain(s["name"], s["cn"], [s["ip6"]] if s["ip6"] else [], ttl, ttl, "AAAA")
    if getattr(ctx, "dns_tcp", False):
        fl, t2, resp = dns_tcp_lookup(ctx, t, s["name"], a, aaaa, tag)
        return dns_tcp_finish(ctx, fl, t2 + fl.owd + ctx.rng.uniform(0.001, 0.02), resp)
    return ctx.lookup(t, s["name"], a, aaaa, tag=tag)


def browse(ctx, t, s, dns=True, tag=None, resp=None):
    """Look the site up and fetch from it with its protocol; returns the time of the last packet."""
    rng = ctx.rng
    if dns:
        t = resolve(ctx, t, s, tag and tag + "dns") + rng.uniform(0.0005, 0.004)
    n = resp or rng.randrange(*s["resp"])
    k = s["kind"]
    if k == "https":
        return ctx.https(t, s["ip"], s["name"], s["rtt"], s["ttl"], resp=n, sos=s["sos"], profile=getattr(ctx, "profile", "firefox"), tag=tag)[1]
    if k == "tls12":
        return tls12_session(ctx, t, s["ip"], s["name"], s["chain"], s["rtt"], s["ttl"], resp=n, ecdsa=s.get("ecdsa", False), sos=s["sos"], tag=tag)[1]
    if k == "http":
        body = html_body(rng, n, s["name"])
        hd = [("Server", "nginx"), ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), ("Connection", "close")]
        return ctx.http(t, s["ip"], s["name"], s["rtt"], s["ttl"], path=s["path"], headers=hd, body=body, sos=s["sos"], tag=tag)[1]
    if k.startswith("quic"):
        v = {"quic": 1, "quicv2": 0x6B3343CF, "quic29": 0xFF00001D}[k]
        return QuicFlow(ctx, s["ip"], s["rtt"], s["ttl"], s["name"], version=v, pq=getattr(ctx, "pq", False)).session(t, n, tag)
    raise ValueError(k)


def background(ctx, t0, t1, sites, n, weights=None):
    """n ordinary visits spread over [t0, t1]; returns [(start, site name)]."""
    rng = ctx.rng
    times = sorted(rng.uniform(t0, t1) for _ in range(n))
    out = []
    for t in times:
        s = rng.choices(sites, weights)[0]
        browse(ctx, t, s)
        out.append((t, s["name"]))
    return out


def telemetry(ctx, t0, t1, s, period=60.0):
    """A background agent that posts a small report every `period` seconds (jittered)."""
    t = t0
    while t < t1:
        browse(ctx, t, s, dns=ctx.rng.random() < 0.5, resp=ctx.rng.randrange(300, 900))
        t += period * ctx.rng.uniform(0.85, 1.15)


def gro_bulk(fl, t, data, chunk_segs=(2, 12), gap=0.0004, tag=None):
    """Server->client transfer as the receiving host's GRO hands it to the capture: super-segments of
    several MSS in one frame (IP total length > MTU); one ACK per super-segment."""
    rng = fl.ctx.rng
    off = 0
    while off < len(data):
        n = min(len(data) - off, fl.seg * rng.randrange(*chunk_segs))
        fl.s(t, "PA" if off + n >= len(data) else "A", data[off:off + n], tag=tag and off == 0 and tag + "data" or None)
        off += n
        fl.c_rcv = fl.snxt
        fl.c(t + rng.uniform(0.00002, 0.00008), "A")
        t += gap * n / fl.seg * rng.uniform(0.8, 1.3)
    return t


# ============================================================================
# part 2: the cases
# ============================================================================

ETH = lambda name, c, g: dict(link="eth", name=name, cmac=mac(c), gmac=mac(g))


def kz_pki():
    """Genuine chains (2020) and the state interception root of the 2020-12 drill."""
    D = lambda **k: dn(**k)
    gs = rsa_key(101)
    gs_dn = D(OU="GlobalSign Root CA - R2", O="GlobalSign", CN="GlobalSign")
    gts, gts_dn = rsa_key(102), D(C="US", O="Google Trust Services", CN="GTS CA 1O1")
    gts_c = mkcert(gts_dn, gs_dn, gts.public_key(), gs, 0x01E3B49AA18D8AA981256950B8, (2017, 6, 15), (2021, 12, 15), ca=True, pathlen=0, ikey=gs.public_key())
    g_sub = D(C="US", ST="California", L="Mountain View", O="Google LLC", CN="www.google.com")
    g_leaf = mkcert(g_sub, gts_dn, ec_key(103).public_key(), gts, 0x7A1F9C1E2B3D4C5E06000000008A2B1C, (2020, 11, 10), (2021, 2, 2), ["www.google.com"], ikey=gts.public_key())
    gw_sub = D(C="US", ST="California", L="Mountain View", O="Google LLC", CN="*.google.com")
    gw_leaf = mkcert(gw_sub, gts_dn, ec_key(104).public_key(), gts, 0x4C3D2E1F0A9B8C7D0800000000812C3D, (2020, 11, 10), (2021, 2, 2),
                     ["*.google.com", "*.android.com", "*.appengine.google.com", "*.cloud.google.com", "*.gstatic.com", "*.googleapis.com", "*.gvt1.com", "google.com", "android.com"], ikey=gts.public_key())
    dr, dr_dn = rsa_key(111), D(C="US", O="DigiCert Inc", OU="www.digicert.com", CN="DigiCert High Assurance EV Root CA")
    dh, dh_dn = rsa_key(112), D(C="US", O="DigiCert Inc", OU="www.digicert.com", CN="DigiCert SHA2 High Assurance Server CA")
    dh_c = mkcert(dh_dn, dr_dn, dh.public_key(), dr, 0x04E1E7A4DC5CF2F36DC02B42B85D159F, (2013, 10, 22), (2028, 10, 22), ca=True, pathlen=0, ikey=dr.public_key())
    fb_sub = D(C="US", ST="California", L="Menlo Park", O="Facebook, Inc.", CN="*.facebook.com")
    fb_sans = ["*.facebook.com", "*.facebook.net", "*.fbcdn.net", "*.fbsbx.com", "*.m.facebook.com", "*.messenger.com", "*.xx.fbcdn.net", "*.xy.fbcdn.net", "*.xz.fbcdn.net", "facebook.com", "messenger.com"]
    fb_leaf = mkcert(fb_sub, dh_dn, ec_key(113).public_key(), dh, 0x0A1B2C3D4E5F60718293A4B5C6D7E8F9, (2020, 11, 3), (2021, 2, 1), fb_sans, ikey=dh.public_key())
    ix, ix_dn = rsa_key(121, 4096), D(C="US", O="Internet Security Research Group", CN="ISRG Root X1")
    r3, r3_dn = rsa_key(122), D(C="US", O="Let's Encrypt", CN="R3")
    r3_c = mkcert(r3_dn, ix_dn, r3.public_key(), ix, 0x912B084ACF0C18A753F6D62E25A75F5A, (2020, 9, 4), (2025, 9, 15), ca=True, pathlen=0, ikey=ix.public_key())
    nur = mkcert(D(CN="www.nur.kz"), r3_dn, ec_key(123).public_key(), r3, 0x03F1A2B3C4D5E6F708192A3B4C5D6E7F8091, (2020, 11, 20), (2021, 2, 18), ["nur.kz", "www.nur.kz"], ikey=r3.public_key())
    dg, dg_dn = rsa_key(131), D(C="US", O="DigiCert Inc", OU="www.digicert.com", CN="DigiCert Global Root CA")
    geo, geo_dn = rsa_key(132), D(C="US", O="DigiCert Inc", OU="www.digicert.com", CN="GeoTrust RSA CA 2018")
    geo_c = mkcert(geo_dn, dg_dn, geo.public_key(), dg, 0x0546FE1823F7E1941DA39FCE14C46173, (2017, 11, 6), (2027, 11, 6), ca=True, pathlen=0, ikey=dg.public_key())
    kaspi = mkcert(D(C="KZ", L="Almaty", O="Kaspi Bank JSC", CN="kaspi.kz"), geo_dn, rsa_key(133).public_key(), geo, 0x0C6D7E8F90A1B2C3D4E5F60718293A4B,
                   (2020, 3, 12), (2022, 3, 17), ["kaspi.kz", "*.kaspi.kz"], ikey=geo.public_key())
    # the interception root (crt.sh: valid 2020-02-28 -> 2050-02-28) and the box's one leaf key
    kz, kz_dn = rsa_key(141), D(C="KZ", CN="Information Security Certification Authority CA")
    kz_root = mkcert(kz_dn, kz_dn, kz.public_key(), kz, 0x2E6B8D41A7C3F0915D28, (2020, 2, 28), (2050, 2, 28), ca=True)
    box = rsa_key(142).public_key()
    forged_g = mkcert(g_sub, kz_dn, box, kz, 0x5F3A91C2E07B, (2020, 11, 10), (2021, 2, 2), ["www.google.com"], ikey=kz.public_key())
    forged_fb = mkcert(fb_sub, kz_dn, box, kz, 0x5F3A91C2E0A4, (2020, 11, 3), (2021, 2, 1), fb_sans, ikey=kz.public_key())
    return dict(google=[gw_leaf, gts_c], fbcdn=[fb_leaf, dh_c], nur=[nur, r3_c], kaspi=[kaspi, geo_c],
                mitm_google=[forged_g, kz_root], mitm_fb=[forged_fb, kz_root], g_leaf=g_leaf)


def case1(outdir):
    """TLS-04: Kazakhstan 2020-12 drill, TLS 1.2 with cleartext chain rooted at the state CA."""
    fn = "b13p_kz_tls12_mitm_drill.pcap"
    cap = Cap(fn, epoch(2020, 12, 7, 4, 12, 5), [ETH("eth0", "a4:5e:60:d1:22:7b", "e4:8d:8c:3a:91:0f")])
    ctx = Ctx(cap, 1301, cip="192.168.0.104", cttl=64, resolver="192.168.0.1", rttl=64, dns_rtt=0.011)
    ctx.profile = "chrome"
    P = kz_pki()
    G = dict(rtt=0.048, ttl=117)
    S = [site("yandex.kz", "5.255.255.77", 0.021, 55, sos="linuxsrv"),
         site("mail.ru", "217.69.139.200", 0.072, 53),
         site("vk.com", "87.240.190.78", 0.069, 54),
         site("tengrinews.kz", "185.22.66.73", 0.006, 59),
         site("www.youtube.com", "173.194.222.91", kind="quic29", resp=(60000, 400000), **G),
         site("fonts.gstatic.com", "173.194.222.94", kind="quic29", resp=(20000, 80000), **G),
         site("www.google.com", "173.194.222.104", kind="quic29", resp=(30000, 90000), **G),
         site("www.nur.kz", "195.210.46.76", 0.005, 60, kind="tls12", chain=P["nur"]),
         site("kaspi.kz", "194.187.247.152", 0.004, 60, kind="tls12", chain=P["kaspi"]),
         site("static.xx.fbcdn.net", "157.240.9.19", 0.086, 54, kind="tls12", chain=P["fbcdn"]),
         site("clients2.google.com", "173.194.222.100", kind="tls12", chain=P["google"], **G),
         site("ocsp.digicert.com", "93.184.220.29", 0.061, 55, kind="http", path="/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ50otx%2Fh0Ztl%2Bz8SiPI7wEWVxDlQQUTiJUIBiV5uNu5g%2F6%2BrkS7QYXjzkCEAo1dbnIzl%2FU4QOcD9fkM0U%3D", resp=(300, 500))]
    for k in ("www.nur.kz", "static.xx.fbcdn.net", "clients2.google.com"):
        next(s for s in S if s["name"] == k)["ecdsa"] = True
    # the capture starts inside a video download that began 6 s earlier (no handshake in the file)
    ctx.https(-6.3, "173.194.188.7", "r4---sn-4g5e6nsz.googlevideo.com", 0.047, 117, resp=2_600_000, rate=2.2e6, tag="mid")
    background(ctx, 1.0, 290.0, S, 34, [4, 3, 3, 3, 3, 3, 4, 2, 2, 2, 1, 1])
    telemetry(ctx, 12.0, 300.0, site("update.googleapis.com", "173.194.222.95", kind="https", **G), period=75)
    # the two intercepted handshakes: the DNS answers are genuine, the TLS 1.2 answer is the box's
    gs = site("www.google.com", "173.194.222.104", 0.031, 61, kind="tls12", chain=P["mitm_google"])
    t = resolve(ctx, 96.2, gs, "g_dns") + 0.002
    tls12_session(ctx, t, gs["ip"], gs["name"], gs["chain"], gs["rtt"], gs["ttl"], tag="g_", reject=48)
    fs = site("www.facebook.com", "157.240.9.35", 0.027, 61, kind="tls12", chain=P["mitm_fb"])
    t = resolve(ctx, 211.7, fs, "f_dns") + 0.003
    tls12_session(ctx, t, fs["ip"], fs["name"], fs["chain"], fs["rtt"], fs["ttl"], tag="f_", reject=48)
    cap.write(os.path.join(outdir, fn))
    F = cap.frame
    about = (f"Chrome 87 in Kazakhstan during the 2020-12 interception drill; 5 min, ~40 flows. The file begins mid-connection "
             f"(frames 1.. are a googlevideo.com TLS 1.3 download whose handshake predates the capture). "
             f"www.google.com: DNS A answered genuinely (frames {F('g_dnsqA')}/{F('g_dnsrA')}), TCP to 173.194.222.104:443 "
             f"(SYN {F('g_syn')}), ClientHello SNI www.google.com (frame {F('g_ch')}); the answer is TLS 1.2 with a cleartext "
             f"Certificate starting at frame {F('g_certdata')}: leaf CN=www.google.com / O=Google LLC copied from the genuine "
             f"certificate but issued by 'C=KZ, CN=Information Security Certification Authority CA' with an RSA key, the root itself "
             f"sent as the 2nd certificate; the client answers alert unknown_ca (frame {F('g_alert')}). Same for www.facebook.com: "
             f"SNI frame {F('f_ch')}, forged *.facebook.com chain from frame {F('f_certdata')}, alert frame {F('f_alert')}. "
             f"Controls: static.xx.fbcdn.net and clients2.google.com, kaspi.kz, www.nur.kz get TLS 1.2 genuine chains "
             f"(DigiCert / GTS CA 1O1 / GeoTrust / Let's Encrypt R3; the fbcdn leaf has the same *.facebook.com subject as the forged one); "
             f"Google over QUIC draft-29 is untouched. Both intercepted flows have server TTL 61 vs 117 from Google and 54 from Facebook.")
    return fn, dict(expect=[dict(mechanism="tls-mitm", domain="www.google.com"), dict(mechanism="tls-mitm", domain="www.facebook.com")],
                    allow=[], about=about)


def case2(outdir):
    """DNS-01 over TCP: a forged DNS message lands at the resolver's sequence numbers before the real one."""
    fn = "b13p_cn_dns_tcp_race_span.pcap"
    ifc = dict(ETH("span0", "00:50:56:a1:3e:07", "70:3a:0e:5c:11:d2"), link="vlan", vlan=120)
    cap = Cap(fn, epoch(2024, 5, 14, 1, 47, 33), [ifc], nsec=True)
    ctx = Ctx(cap, 2402, cip="10.20.31.57", cttl=64, resolver="9.9.9.9", rttl=54, dns_rtt=0.071)
    ctx.dns_tcp = True   # resolv.conf "options use-vc": every lookup is a TCP connection to 9.9.9.9:53
    S = [site("www.baidu.com", "110.242.68.66", 0.028, 52, cn=["www.a.shifen.com"]),
         site("www.qq.com", "121.14.77.201", 0.031, 53, cn=["ins-r23tsuuf.ias.tencent-cloud.net"], ip6="240e:97c:2f:3003::77"),
         site("www.zhihu.com", "118.89.204.198", 0.035, 51, cn=["zhihu-web-analysis.zhihu.com"]),
         site("github.com", "20.205.243.166", 0.092, 108, resp=(20000, 150000)),
         site("pypi.org", "151.101.0.223", 0.158, 49, ip6="2a04:4e42::223"),
         site("cdn.jsdelivr.net", "104.16.85.20", 0.171, 50, cn=["cdn.jsdelivr.net.cdn.cloudflare.net"]),
         site("g.alicdn.com", "42.81.208.227", 0.024, 54, kind="quic", cn=["g.alicdn.com.danuoyi.alicdn.com"], resp=(30000, 200000)),
         site("i0.hdslb.com", "112.65.200.34", 0.033, 53, kind="quic", cn=["i0.hdslb.com.w.kunlunsl.com"], resp=(40000, 300000)),
         site("mirrors.aliyun.com", "116.211.168.225", 0.036, 52, kind="http", path="/ubuntu/dists/jammy-updates/InRelease", resp=(60000, 130000)),
         site("www.bilibili.com", "120.92.78.97", 0.030, 52, cn=["a.w.bilicdn1.com"])]
    background(ctx, 0.4, 262.0, S, 30, [3, 2, 2, 3, 1, 2, 2, 2, 1, 2])
    telemetry(ctx, 7.0, 265.0, site("incoming.telemetry.mozilla.org", "34.120.208.123", 0.183, 111, cn=["telemetry-incoming.r53-2.services.mozilla.com"]), period=64)
    # the lookup of www.bbc.com over TCP
    t = 133.52
    bbc = ["151.101.0.81", "151.101.64.81", "151.101.128.81", "151.101.192.81"]
    ans_a = chain("www.bbc.com", ["www.bbc.com.pri.bbc.com", "bbc.map.fastly.net"], bbc, 300, 30)
    ans_6 = chain("www.bbc.com", ["www.bbc.com.pri.bbc.com", "bbc.map.fastly.net"], ["2a04:4e42::81", "2a04:4e42:200::81", "2a04:4e42:400::81", "2a04:4e42:600::81"], 300, 30, "AAAA")
    fl, t, resp = dns_tcp_lookup(ctx, t, "www.bbc.com", ans_a, ans_6, tag="bbc_")
    # GFW-style forgery: question copied, flags 0x8180, one A record from the poison pool, no AA/NS/AR, no options
    forged = dns_msg(fl.qids[0], 0x8180, "www.bbc.com", "A", [("www.bbc.com", "A", 234, "31.13.94.10")])
    ti = t + 0.0213
    ip = mk_ip("9.9.9.9", ctx.cip, 97, 0x4D3A, False)
    cap.add(ti, ip / TCP(sport=53, dport=fl.sport, seq=fl.snxt, ack=fl.cnxt, flags="PA", window=4128) / Raw(u16(len(forged)) + forged), False, 0, "bbc_inj")
    fl.c(ti + 0.00004, "A", ack=fl.snxt + 2 + len(forged), tag="bbc_injack")
    dns_tcp_finish(ctx, fl, t + 0.0712 + 0.0034, resp, "bbc_gen")
    # the browser goes to the forged address: SYNs never answered
    f2 = Flow(ctx, "31.13.94.10", 443, 0.1, 50)
    for k, dt in enumerate((0.0021, 1.03, 3.07, 7.15)):
        f2.c(ti + dt, "S", seq=f2.ciss, tag=f"bbc_syn{k}")
    # SPAN session mirrors the access port and the uplink: every frame is captured twice
    cap.span_dup(random.Random(2403))
    cap.write(os.path.join(outdir, fn))
    F = cap.frame
    about = (f"Office Linux host with resolv.conf 'options use-vc': every lookup is DNS over TCP to 9.9.9.9 (A+AAAA written in one segment); "
             f"4.5 min, ~40 flows, captured from a SPAN session (802.1Q VLAN 120) that mirrors two ports, so every frame appears twice a few us apart "
             f"(identical duplicates). www.bbc.com: handshake SYN {F('bbc_syn')}, queries frame {F('bbc_q')} (dup {F('dup:bbc_q')}); 21 ms later frame "
             f"{F('bbc_inj')} (dup {F('dup:bbc_inj')}) claims to come from 9.9.9.9:53 with TCP seq = the resolver's next seq: a DNS message answering only the A "
             f"query with A 31.13.94.10 (TTL 234, flags 0x8180, AN=1, no TCP options, IP TTL 97, IP ID 0x4d3a, DF=0, vs the resolver's IP TTL 54 and "
             f"timestamps); the client ACKs it (frame {F('bbc_injack')}). The genuine resolver segment arrives at frame {F('bbc_gendata')} "
             f"(dup {F('dup:bbc_gendata')}) at the SAME sequence number with different bytes: A+AAAA responses, CNAME www.bbc.com.pri.bbc.com -> "
             f"bbc.map.fastly.net -> 151.101.x.81. The host then sends SYNs to 31.13.94.10:443 (frames {F('bbc_syn0')}, {F('bbc_syn1')}, "
             f"{F('bbc_syn2')}, {F('bbc_syn3')}) that are never answered. Every other TCP DNS exchange has one answer per query.")
    return fn, dict(expect=[dict(mechanism="dns-injection", domain="www.bbc.com")],
                    allow=[dict(mechanism="packet-injection", domain="www.bbc.com"), dict(mechanism="dns-tampering", domain="www.bbc.com"),
                           dict(mechanism="blackhole", domain="www.bbc.com")], about=about)


def case3(outdir):
    """QUIC-01: GFW SNI-based QUIC blocking, Chrome's ClientHello split over two Initial packets."""
    fn = "b13p_cn_quic_split_ch_residual.pcapng"
    ifc = dict(ETH("wlp2s0", "f4:26:79:5b:0c:e1", "50:64:2b:8f:3a:19"), os="Linux 6.8.0-51-generic")
    cap = Cap(fn, epoch(2025, 1, 20, 12, 3, 41), [ifc], fmt="pcapng", shb=dict(os="Linux 6.8.0-51-generic", app="Dumpcap (Wireshark) 4.2.2"), csum0=True)
    ctx = Ctx(cap, 3131, cip="192.168.31.88", cttl=64, resolver="192.168.31.1", rttl=64, dns_rtt=0.009)
    ctx.profile, ctx.pq = "chrome", True   # Chrome 132: X25519MLKEM768, so every QUIC ClientHello spans two Initials
    S = [site("www.baidu.com", "110.242.68.66", 0.027, 52, cn=["www.a.shifen.com"]),
         site("www.bilibili.com", "120.92.78.97", 0.030, 52, kind="quic", cn=["a.w.bilicdn1.com"], resp=(40000, 200000)),
         site("i0.hdslb.com", "112.65.200.34", 0.033, 53, kind="quic", cn=["i0.hdslb.com.w.kunlunsl.com"], resp=(50000, 400000)),
         site("g.alicdn.com", "42.81.208.227", 0.024, 54, kind="quic", cn=["g.alicdn.com.danuoyi.alicdn.com"], resp=(30000, 160000)),
         site("www.taobao.com", "140.205.94.189", 0.029, 51, kind="quic", cn=["www.taobao.com.danuoyi.tbcache.com"]),
         site("www.jd.com", "111.13.149.108", 0.026, 53, cn=["www.jd.com.gslb.qianxun.com"]),
         site("github.com", "20.205.243.166", 0.095, 108, resp=(20000, 150000)),
         site("www.zhihu.com", "118.89.204.198", 0.035, 51, cn=["zhihu-web-analysis.zhihu.com"]),
         site("www.douyin.com", "123.6.28.36", 0.031, 53, cn=["www.douyin.com.a.bytecdn.cn"])]
    background(ctx, 1.0, 300.0, S, 30, [3, 3, 3, 2, 2, 2, 2, 2, 2])
    telemetry(ctx, 4.0, 305.0, site("log.mmstat.com", "203.119.169.31", 0.029, 52, cn=["log.mmstat.com.gds.alibabadns.com"], resp=(300, 600)), period=47)
    SRV, rtt, ttl = "104.18.22.213", 0.162, 50
    dw = site("www.dw.com", SRV, rtt, ttl, cn=[])
    cf = site("cdnjs.cloudflare.com", SRV, rtt, ttl)
    # 1) t=31: a client that sends a dummy datagram first (the published evasion) reaches www.dw.com over QUIC
    t = resolve(ctx, 31.0, dw, "a_dns") + 0.002
    q = QuicFlow(ctx, SRV, rtt, ttl, "www.dw.com", pq=True)
    q.c(t, ctx.rng.randbytes(10), "a_dummy")
    q.session(t + 0.0051, 180000, "a_")
    # 2) t=118: Chrome opens a fresh QUIC connection to www.dw.com: both Initials leave, nothing ever comes back
    t = resolve(ctx, 118.37, dw, "b_dns") + 0.0015
    qb = QuicFlow(ctx, SRV, rtt, ttl, "www.dw.com", pq=True)
    qb.unanswered(t, "b_", giveup=9.0)
    # ... and the TCP race it starts 300 ms later succeeds with the same SNI on the same address
    ctx.https(t + 0.301, SRV, "www.dw.com", rtt, ttl, resp=240000, profile="chrome", tag="c_")
    # 3) t=176 (58 s later): a new port, innocuous SNI, same server:443 -- still dropped
    t = resolve(ctx, 176.2, cf, "d_dns") + 0.0013
    QuicFlow(ctx, SRV, rtt, ttl, "cdnjs.cloudflare.com", pq=True).unanswered(t, "d_", giveup=9.0)
    ctx.https(t + 0.302, SRV, "cdnjs.cloudflare.com", rtt, ttl, resp=60000, profile="chrome", tag="e_")
    # 4) t=303 (185 s after the trigger): QUIC to the same server is answered again
    QuicFlow(ctx, SRV, rtt, ttl, "cdnjs.cloudflare.com", pq=True).session(303.4, 45000, "g_")
    cap.write(os.path.join(outdir, fn))
    F = cap.frame
    about = (f"Chrome 132 on Linux in China, 5 min, ~45 flows; capture on the sending host with checksum offload (all outgoing TCP/UDP "
             f"checksums are 0). Every Chrome QUIC ClientHello carries an X25519MLKEM768 share and spans two Initial packets (two 1250-byte "
             f"datagrams, CRYPTO offsets 0 and 1140; the SNI is in the first). Server 104.18.22.213:443. "
             f"t=31 s: a client sends a 10-byte dummy datagram (frame {F('a_dummy')}) before its Initials (frames {F('a_init0')}, {F('a_init1')}, "
             f"SNI www.dw.com) and is answered (server Initial frame {F('a_sinit')}), full HTTP/3 transfer. "
             f"TRIGGER: Initials with SNI www.dw.com from a new port at frames {F('b_init0')}, {F('b_init1')}; PTO retransmissions "
             f"{F('b_rtx0_0')}/{F('b_rtx0_1')}, {F('b_rtx1_0')}, {F('b_rtx2_0')}, {F('b_rtx3_0')}; no datagram ever comes back on that 4-tuple. "
             f"TCP to the same address with the same SNI works (SYN {F('c_syn')}, ClientHello {F('c_ch')}, server flight {F('c_shdata')}). "
             f"Residual: 58 s later QUIC from another port with SNI cdnjs.cloudflare.com (frames {F('d_init0')}, {F('d_init1')}, retransmissions "
             f"from {F('d_rtx0_0')}) is also unanswered while TCP to it works (SYN {F('e_syn')}); 185 s after the trigger QUIC is answered again "
             f"(Initial {F('g_init0')}, server Initial {F('g_sinit')}). All other QUIC servers answer split-hello Initials normally.")
    return fn, dict(expect=[dict(mechanism="blackhole", domain="www.dw.com")],
                    allow=[dict(mechanism="residual-blocking", domain="www.dw.com"), dict(mechanism="residual-blocking", domain="cdnjs.cloudflare.com"),
                           dict(mechanism="blackhole", domain="cdnjs.cloudflare.com")], about=about)


RT_BLOCK = ("<html><head><meta charset=\"utf-8\"><title>Доступ ограничен</title></head><body><div class=\"rt\"><h1>Доступ к ресурсу ограничен</h1>"
            "<p>Доступ к информационному ресурсу ограничен на основании Федерального закона от 27 июля 2006 г. № 149-ФЗ «Об информации, "
            "информационных технологиях и о защите информации».</p><p>Проверить наличие ресурса в Едином реестре можно на сайте "
            "<a href=\"https://eais.rkn.gov.ru/\">eais.rkn.gov.ru</a></p></div><div class=\"logo\">Ростелеком</div></body></html>\n")


def case4(outdir):
    """HTTP-01: a passive DPI box races a 302 + FIN to warning.rt.ru against the server, on pipelined requests."""
    fn = "b13p_ru_pipelined_302_race_gro.pcap"
    cap = Cap(fn, epoch(2023, 6, 8, 16, 20, 11), [ETH("Ethernet", "d8:bb:c1:4a:70:2e", "cc:2d:e0:19:5f:a4")])
    ctx = Ctx(cap, 4242, cip="192.168.1.35", cos="nots", cttl=128, resolver="192.168.1.1", rttl=64, dns_rtt=0.014)
    ctx.gro, ctx.tso = True, 8   # Windows host with receive and send offload: frames above the MTU both ways
    S = [site("ya.ru", "77.88.55.242", 0.011, 58), site("vk.com", "87.240.132.72", 0.013, 57),
         site("mail.ru", "217.69.139.202", 0.012, 57), site("dzen.ru", "62.217.160.2", 0.012, 58),
         site("www.ozon.ru", "185.73.194.82", 0.014, 56), site("habr.com", "178.248.237.68", 0.016, 56),
         site("yandex.ru", "5.255.255.242", 0.011, 58, kind="quic", resp=(30000, 150000)),
         site("www.youtube.com", "173.194.73.91", 0.031, 117, kind="quic", resp=(100000, 600000)),
         site("fonts.gstatic.com", "173.194.73.94", 0.031, 117, kind="quic", resp=(20000, 60000)),
         site("www.kinopoisk.ru", "213.180.204.242", 0.012, 58, resp=(40000, 200000)),
         site("lib.ru", "81.176.66.163", 0.009, 52, kind="http", path="/PROZA/", resp=(20000, 50000)),
         site("www.msftconnecttest.com", "23.48.219.69", 0.024, 55, kind="http", path="/connecttest.txt", resp=(22, 23))]
    background(ctx, 0.5, 280.0, S, 30, [3, 3, 3, 2, 2, 2, 3, 3, 2, 2, 2, 1])
    telemetry(ctx, 3.0, 290.0, site("mc.yandex.ru", "87.250.251.119", 0.011, 58), period=44)
    up = ctx.https(41.3, "213.180.193.239", "cloud-api.yandex.net", 0.012, 58, req=92000, resp=900, tag="up_")  # upload: TSO super-segments
    LIB, rtt, sttl = "81.176.66.163", 0.009, 52
    # control at t=63: a plain visit to lib.ru, served normally with the server's TTL 52
    ctl = site("lib.ru", LIB, rtt, sttl, kind="http", path="/", resp=(9000, 9001))
    browse(ctx, 63.2, ctl, tag="k_")
    # t=174.6: an e-book client pipelines two GETs on one connection; the second names a URL on the registry
    t = resolve(ctx, 174.6, ctl, "p_dns") + 0.001
    fl = Flow(ctx, LIB, 80, rtt, sttl, sos="linuxsrv")
    t = fl.handshake(t, "p_")
    bad = "/POLITIKA/memo_2012.txt"
    hdr = "Host: lib.ru\r\nUser-Agent: CoolReader/3.2.59 (Windows NT 10.0)\r\nAccept: */*\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n"
    t = fl.send_c(t + 0.0004, f"GET /PROZA/SHUKSHIN/ HTTP/1.1\r\n{hdr}".encode(), "p_req1")
    t = fl.send_c(t + 0.00003, f"GET {bad} HTTP/1.1\r\n{hdr}".encode(), "p_req2")
    S0 = fl.snxt
    loc = f"http://warning.rt.ru/?id=17&st=0&dt={LIB}&rs=lib.ru{bad.replace('/', '%2F')}"
    inj = f"HTTP/1.1 302 Moved Temporarily\r\nLocation: {loc}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".encode()
    ti = t + 0.0031
    cap.add(ti, mk_ip(LIB, ctx.cip, 62, 0x0000, False) / TCP(sport=80, dport=fl.sport, seq=S0, ack=fl.cnxt, flags="FPA", window=2100) / Raw(inj), False, 0, "p_inj")
    fl.c(ti + 0.00006, "A", ack=S0 + len(inj) + 1, tag="p_injack")
    fl.c(ti + 0.00071, "FA", ack=S0 + len(inj) + 1, tag="p_fin")
    # the real answers to both requests, from the server's own stack, at the sequence numbers the 302 already used
    body1 = html_body(ctx.rng, 31000, "Шукшин Василий Макарович")
    r1 = f"HTTP/1.1 200 OK\r\nServer: Apache/1.3.42 (Unix) rus/PL30.22\r\nContent-Type: text/html; charset=koi8-r\r\nContent-Length: {len(body1)}\r\n\r\n".encode() + body1
    tg = t + rtt + 0.0042
    fl.s(tg, "A", r1[:fl.seg * 9], seq=S0, tag="p_gen")
    fl.stack_rst(tg + 0.00004, fl.cnxt, tag="p_rst")
    fl.s(tg + 0.0009, "PA", r1[fl.seg * 9:fl.seg * 18], seq=S0 + fl.seg * 9, tag="p_gen2")
    fl.stack_rst(tg + 0.00094, fl.cnxt, tag="p_rst2")
    # the client follows the redirect to the block page
    w = site("warning.rt.ru", "212.48.138.9", 0.018, 57, kind="http")
    tw = resolve(ctx, ti + 0.0024, w, "w_dns") + 0.001
    body = RT_BLOCK.encode()
    ctx.http(tw, w["ip"], "warning.rt.ru", w["rtt"], w["ttl"], path=loc[len("http://warning.rt.ru"):], body=body, tag="w_",
             headers=[("Server", "nginx"), ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), ("Connection", "close")])
    cap.write(os.path.join(outdir, fn))
    F = cap.frame
    about = (f"Windows 10 host in Russia (Rostelecom-style DPI), 4.8 min, ~45 flows; the capture host has receive and send offload: "
             f"server data arrives as GRO super-segments up to ~16 kB per frame and the client's upload to cloud-api.yandex.net leaves in "
             f"TSO super-segments (e.g. frame {F('up_req')}). Control: lib.ru (81.176.66.163, TTL 52) serves GET / normally (frames {F('k_syn')}-"
             f"{F('k_respdata')}). TRIGGER connection (SYN {F('p_syn')}): a client pipelines GET /PROZA/SHUKSHIN/ (frame {F('p_req1')}) and "
             f"GET {bad} (frame {F('p_req2')}), Host lib.ru. 3 ms later, well under the 9 ms RTT, frame {F('p_inj')} arrives 'from' lib.ru: "
             f"HTTP/1.1 302 to {loc} with FIN+PSH, IP TTL 62, IP ID 0, DF=0, window 2100, at the sequence number where the answer to the FIRST request "
             f"must start. The client ACKs it (frame {F('p_injack')}) and closes (FIN frame {F('p_fin')}). The real server's answer "
             f"(HTTP/1.1 200, Apache, TTL 52) then arrives at the SAME sequence number (frames {F('p_gen')}, {F('p_gen2')}, GRO super-segments) "
             f"and the client's stack answers each with RST ({F('p_rst')}, {F('p_rst2')}). The client then follows the redirect: DNS "
             f"warning.rt.ru (frame {F('w_dnsqA')}), GET frame {F('w_get')}, 200 block page 'Доступ ограничен' (frame {F('w_respdata')}).")
    return fn, dict(expect=[dict(mechanism="packet-injection", domain="lib.ru"), dict(mechanism="blockpage", domain="lib.ru")],
                    allow=[dict(mechanism="blockpage", domain="warning.rt.ru"), dict(mechanism="rst-injection", domain="lib.ru")], about=about)


def case5(outdir):
    """RST-04/RST-03: Host filtering defeats a Host-splitting evasion tool (GFW reassembles), type-II resets."""
    fn = "b13p_cn_http_host_split_typeII_snap256.pcap"
    cap = Cap(fn, epoch(2024, 3, 19, 13, 6, 52), [ETH("\\Device\\NPF_{7A1C}", "10:7b:44:90:2f:63", "50:64:2b:8f:3a:19")], endian=">", snaplen=256)
    ctx = Ctx(cap, 5511, cip="192.168.3.17", cos="nots", cttl=128, resolver="192.168.3.1", rttl=64, dns_rtt=0.019)
    rng = ctx.rng
    UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0"

    def split_get(t, ip, host, path, rtt, ttl, tag, cut=7, body=None):
        """GoodbyeDPI-style request: the first segment ends `cut` bytes into the Host value."""
        fl = Flow(ctx, ip, 80, rtt, ttl, sos="linuxsrv")
        t = fl.handshake(t, tag)
        req = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {UA}\r\nAccept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"
               "Accept-Language: zh-CN,zh;q=0.8,en-US;q=0.5\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()
        k = req.index(b"Host: ") + 6 + cut
        t = fl.send_c(t + 0.0004, req[:k], tag + "seg1")
        t = fl.send_c(t + 0.00005, req[k:], tag + "seg2")
        if body is not None:
            resp = f"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
            t = fl.bulk(t + fl.owd + rng.uniform(0.003, 0.02), resp, 20e6, None, 1e9, tag + "resp")
            t = fl.close_client(t + rng.uniform(2, 6), alert=False)
        return fl, t

    S = [site("www.baidu.com", "110.242.68.66", 0.027, 52, cn=["www.a.shifen.com"]),
         site("www.qq.com", "121.14.77.201", 0.031, 53, cn=["ins-r23tsuuf.ias.tencent-cloud.net"]),
         site("www.bilibili.com", "120.92.78.97", 0.030, 52, kind="quic", cn=["a.w.bilicdn1.com"], resp=(40000, 200000)),
         site("i0.hdslb.com", "112.65.200.34", 0.033, 53, kind="quic", cn=["i0.hdslb.com.w.kunlunsl.com"], resp=(50000, 300000)),
         site("www.163.com", "183.131.119.86", 0.029, 52, cn=["www.163.com.163jiasu.com"]),
         site("www.weibo.com", "123.125.104.196", 0.030, 51), site("github.com", "20.205.243.166", 0.095, 108),
         site("www.jd.com", "111.13.149.108", 0.026, 53, cn=["www.jd.com.gslb.qianxun.com"])]
    background(ctx, 0.8, 270.0, S, 28, [3, 2, 3, 2, 2, 2, 2, 2])
    telemetry(ctx, 9.0, 280.0, site("v10.events.data.microsoft.com", "20.189.173.1", 0.171, 109, cn=["global.asimov.events.data.trafficmanager.net"], resp=(300, 500)), period=52)
    # plain-HTTP sites visited with the same splitting: answered normally
    for t0, (h, ip, rt, tt, pth) in zip((22.4, 57.9, 96.1, 141.7, 236.5), [
            ("www.people.com.cn", "111.13.108.156", 0.026, 53, "/"), ("news.sina.com.cn", "123.126.45.205", 0.028, 52, "/china/"),
            ("www.gov.cn", "120.221.84.160", 0.027, 53, "/zhengce/"), ("www.xinhuanet.com", "202.108.119.193", 0.025, 52, "/politics/"),
            ("www.people.com.cn", "111.13.108.156", 0.026, 53, "/GB/index.html")]):
        t1 = resolve(ctx, t0, site(h, ip, rt, tt)) + 0.001
        split_get(t1, ip, h, pth, rt, tt, f"n{int(t0)}_", cut=rng.randrange(3, 8), body=html_body(rng, rng.randrange(20000, 70000), h))
    # www.rfa.org (address from the hosts file, no DNS): Host split "www.rf" | "a.org"
    RFA, rtt, sttl = "23.217.138.110", 0.165, 48
    fl, t = split_get(188.34, RFA, "www.rfa.org", "/mandarin/", rtt, sttl, "r_", cut=6)

    def type2(t, fl, tag):
        ttl0, win = rng.randrange(96, 110), rng.randrange(2000, 9000)
        for k in range(3):   # three RST+ACK: same seq/ack/window, DF set, TTL going up, IP ID 0x00a3-0xfe5f
            ip = mk_ip(fl.sip, ctx.cip, ttl0 + k, rng.randrange(0x00A3, 0xFE60), True)
            cap.add(t + k * 0.00011, ip / TCP(sport=80, dport=fl.sport, seq=fl.snxt, ack=fl.cnxt, flags="RA", window=win), False, 0, f"{tag}rst{k}")

    type2(t + 0.0179, fl, "r_")
    # the user reloads 4 s later: new connection to the same address:80, reset again right after the handshake
    fl2 = Flow(ctx, RFA, 80, rtt, sttl, sos="linuxsrv")
    t2 = fl2.handshake(192.51, "s_")
    type2(t2 + 0.0183, fl2, "s_")
    req = f"GET /mandarin/ HTTP/1.1\r\nHost: www.rfa.org\r\nUser-Agent: {UA}\r\n".encode()
    fl2.send_c(t2 + 0.0004, req[:22], "s_seg1")
    cap.write(os.path.join(outdir, fn))
    F = cap.frame
    about = (f"Windows 10 in China running a GoodbyeDPI-style tool that splits every plain-HTTP request inside the Host header; "
             f"4.6 min, ~45 flows. Big-endian pcap with snap length 256: every frame longer than 256 bytes is cut (caplen < len). "
             f"Controls: five split requests to Chinese news sites are answered normally (e.g. frames {F('n22_seg1')}/{F('n22_seg2')} -> "
             f"{F('n22_respdata')}). TRIGGER: www.rfa.org from the hosts file (no DNS), 23.217.138.110:80, server TTL 48 (SYN/ACK frame "
             f"{F('r_synack')}): segment 1 'GET /mandarin/ HTTP/1.1 Host: www.rf' (frame {F('r_seg1')}) and segment 2 'a.org ...' "
             f"(frame {F('r_seg2')}); 18 ms later three RST+ACK 'from' the server (frames {F('r_rst0')}, {F('r_rst1')}, {F('r_rst2')}): same seq/ack/"
             f"window, DF=1, IP TTLs consecutive around 100 (vs 48), random IP IDs: GFW type II; no HTTP answer ever comes. "
             f"Reload 4 s later (SYN {F('s_syn')}): the handshake completes (frame {F('s_synack')}) and three more type-II RST+ACK arrive "
             f"18 ms after the client's ACK (frames {F('s_rst0')}-{F('s_rst2')}), before any request content could match (residual penalty).")
    return fn, dict(expect=[dict(mechanism="rst-injection", domain="www.rfa.org")],
                    allow=[dict(mechanism="residual-blocking", domain="www.rfa.org")], about=about)


def wg_outer(cap, rng, tun, wl, inner_src, cl, srv, t_end):
    """Every packet on the WireGuard interface also crosses the Wi-Fi interface as an encrypted
    transport-data datagram (type 4); plus handshakes every 2 minutes and keepalives."""
    src4 = bytes(int(x) for x in inner_src.split("."))
    ctr = [0, 0]
    ids = [rng.getrandbits(32), rng.getrandbits(32)]
    ipid = [rng.randrange(65536), 0]

    def dgram(t, out, payload):
        a, b = (cl, srv) if out else (srv, cl)
        ip = mk_ip(a[0], b[0], 64 if out else 51, ipid[0] if out else 0, True)
        if out:
            ipid[0] = (ipid[0] + 1) & 0xFFFF
        cap.add(t, ip / UDP(sport=a[1], dport=b[1]) / Raw(payload), out, wl)

    for r in [r for r in cap.recs if r[2] == tun]:
        t = (r[0] - cap.base * 1_000_000_000) / 1e9
        out = r[3][12:16] == src4
        n = len(r[3]) + (-len(r[3]) % 16) + 16
        k = 0 if out else 1
        hdr = b"\x04\x00\x00\x00" + struct.pack("<IQ", ids[1 - k], ctr[k])
        ctr[k] += 1
        dgram(t + 0.000041 if out else t - 0.000063, out, hdr + rng.randbytes(n))
    t = 0.05
    while t < t_end:
        dgram(t, True, b"\x01\x00\x00\x00" + struct.pack("<I", ids[0]) + rng.randbytes(140))
        dgram(t + 0.118, False, b"\x02\x00\x00\x00" + struct.pack("<II", ids[1], ids[0]) + rng.randbytes(80))
        t += 120.0 + rng.uniform(0.0, 2.0)


def case6(outdir):
    """DNS-05: AAAA answers rewritten to the national redirection address d0::11, A answers genuine; pcapng with a WireGuard tunnel."""
    fn = "b13p_ir_aaaa_only_d0_11_wg_tunnel.pcapng"
    wl = dict(ETH("wlp0s20f3", "8c:17:59:3e:a0:c4", "00:e0:4c:68:01:9a"), os="Linux 6.1.0-18-amd64")
    tn = dict(link="raw", name="wg0", tsresol=9, flush=0.004)   # read in 4 ms batches: its frames land late in the file
    cap = Cap(fn, epoch(2023, 2, 14, 15, 31, 8), [wl, tn], fmt="pcapng", shb=dict(os="Linux 6.1.0-18-amd64", app="Dumpcap (Wireshark) 4.0.11 (Git v4.0.11)"))
    w = Ctx(cap, 6601, cip="192.168.1.101", cip6="2a01:5ec0:1010:8a3c:5d1e:77ff:fe30:2b41", cttl=64, resolver6="2a01:5ec0:ffff::10", rttl=61, dns_rtt=0.012, iface=0)
    v = Ctx(cap, 6602, cip="10.64.0.7", cttl=64, mss4=1380, iface=1)   # WireGuard: every IPv4 route goes through the tunnel
    rng = w.rng
    N6 = {"www.google.com": ("2a00:1450:4017:80f::2004", "172.217.18.4", 0.071, 116, "quic"),
          "fonts.gstatic.com": ("2a00:1450:4017:80e::2003", "172.217.18.3", 0.071, 116, "quic"),
          "www.wikipedia.org": ("2a02:ec80:600:ed1a::1", "185.15.59.224", 0.094, 52, "https"),
          "www.cloudflare.com": ("2606:4700::6810:7b60", "104.16.123.96", 0.083, 55, "https")}
    N4 = {"github.com": ("140.82.121.4", 0.118, 48), "stackoverflow.com": ("151.101.1.69", 0.109, 50),
          "www.digikala.com": ("185.147.178.11", 0.141, 44), "www.aparat.com": ("185.147.176.28", 0.139, 45),
          "www.varzesh3.com": ("5.160.218.164", 0.146, 44), "www.reddit.com": ("151.101.129.140", 0.109, 50)}

    def visit(t, name, tag=None, a=None, aaaa=None):
        ttl = rng.choice((60, 300, 1800))
        if name in N6:
            six, four, rtt, sttl, kind = N6[name]
            t = w.lookup(t, name, chain(name, [], [four], ttl, ttl), chain(name, [], [six], ttl, ttl, "AAAA"), v6=True) + 0.001
            if kind == "quic":
                return QuicFlow(w, six, rtt, sttl, name).session(t, rng.randrange(20000, 150000))
            return w.https(t, six, name, rtt, sttl, resp=rng.randrange(15000, 120000))[1]
        four, rtt, sttl = N4.get(name, (a, 0.12, 50))
        t = w.lookup(t, name, a or chain(name, [], [four], ttl, ttl), aaaa or [], v6=True, tag=tag) + 0.001
        return v.https(t, four, name, rtt + 0.004, sttl, resp=rng.randrange(15000, 150000))[1]

    names = list(N6) + list(N4)
    for t in sorted(rng.uniform(1.0, 235.0) for _ in range(34)):
        visit(t, rng.choice(names))
    # the two blocked names: A genuine, AAAA = d0::11; Firefox tries IPv6 first, then IPv4 (through the tunnel) after 250 ms
    for tg, t0, name, cn, four in (("i_", 97.3, "www.instagram.com", ["z-p42-instagram.c10r.instagram.com"], "157.240.202.174"),
                                   ("x_", 183.9, "twitter.com", [], "104.244.42.65")):
        a = chain(name, cn, [four], 300, 60)
        aaaa = [(name, "AAAA", 300, "d0::11")]
        t = w.lookup(t0, name, a, aaaa, v6=True, tag=tg) + 0.0008
        f6 = Flow(w, "d0::11", 443, 0.05, 60)
        f6.c(t, "S", tag=tg + "syn6")
        f6.c(t + 1.02, "S", seq=f6.ciss, tag=tg + "syn6r")
        v.https(t + 0.2503, four, name, 0.138, 52, resp=rng.randrange(60000, 200000), tag=tg + "v4")
    wg_outer(cap, random.Random(6603), 1, 0, "10.64.0.7", ("192.168.1.101", 38624), ("45.32.151.7", 51820), 240.0)
    cap.write(os.path.join(outdir, fn))
    F = cap.frame
    about = (f"Linux laptop on an Iranian mobile-broadband link (native IPv6) with an IPv4-only WireGuard full tunnel; 4 min, ~40 flows. "
             f"pcapng, interface 0 = wlp0s20f3 (Ethernet framing: DNS over IPv6 to the ISP resolver 2a01:5ec0:ffff::10, native IPv6 "
             f"HTTPS/QUIC, and the WireGuard UDP datagrams to 45.32.151.7:51820), interface 1 = wg0 (raw IP, ns timestamps) carrying all IPv4 "
             f"browsing. wg0 is read in 4 ms batches, so its frames sit later in the file than wlp0s20f3 frames with later time stamps "
             f"(time stamps go backwards across interfaces). www.instagram.com: AAAA query frame {F('i_qAAAA')}, answer frame {F('i_rAAAA')} = "
             f"d0::11 (Iran's national block address, no CNAME), while the A answer (frame {F('i_rA')}) is the genuine CNAME "
             f"z-p42-instagram.c10r.instagram.com -> 157.240.202.174; the IPv6 SYN to [d0::11]:443 (frames {F('i_syn6')}, {F('i_syn6r')}) is "
             f"never answered and IPv4 through wg0 works (SYN frame {F('i_v4syn')}). twitter.com: AAAA answer frame {F('x_rAAAA')} = d0::11, A "
             f"answer frame {F('x_rA')} = 104.244.42.65, SYN to d0::11 frame {F('x_syn6')}, wg0 SYN frame {F('x_v4syn')}. Every other AAAA "
             f"answer is either the real address (Google, Wikipedia, Cloudflare, used over native IPv6) or empty (names without IPv6).")
    return fn, dict(expect=[dict(mechanism="dns-tampering", domain="www.instagram.com"), dict(mechanism="dns-tampering", domain="twitter.com")],
                    allow=[dict(mechanism="blackhole", domain="www.instagram.com"), dict(mechanism="blackhole", domain="twitter.com")], about=about)


CASES = [case1, case2, case3, case4, case5, case6]


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(outdir, exist_ok=True)
    exp = {}
    for c in CASES:
        fn, e = c(outdir)
        exp[fn] = e
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(exp, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
