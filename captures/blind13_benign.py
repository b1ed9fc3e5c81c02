#!/usr/bin/env python3
# ruff: noqa: B007, B905, E402, E501, E731, RUF005, RUF046, RUF059, UP017
"""Capture-writing kit: pcap/pcapng writers, TCP flow builder, TLS and DNS message builders."""
import json
import os
import random
import struct
import sys

import blind_kit as kit
from cryptography.hazmat.primitives.serialization import Encoding
from scapy.all import IP, UDP, Raw, raw

# ----------------------------------------------------------------------------
# capture container and writers
# ----------------------------------------------------------------------------


class Cap(kit.Cap):
    """The kit's Cap with the methods this round changed."""

    def link(self, iface, ipb, out):
        f = self.ifaces[iface]
        et = 0x86DD if ipb[0] >> 4 == 6 else 0x0800
        k = f["link"]
        if k == "raw":
            return ipb
        if k == "sll2":
            addr = f["cmac"] if out else f["gmac"]
            return struct.pack("!HHIHBB", et, 0, f["ifindex"], 1, 4 if out else 0, 6) + addr + b"\0\0" + ipb
        src, dst = (f["cmac"], f["gmac"]) if out else (f["gmac"], f["cmac"])
        vid = f.get("vlan")
        if vid is None:
            vid = f.get("vlan_out") if out else f.get("vlan_in")
        if vid is None:
            fr = dst + src + struct.pack("!H", et) + ipb
        else:
            fr = dst + src + struct.pack("!HHH", 0x8100, (f.get("pcp", 0) << 13) | vid, et) + ipb
        if not out and len(fr) < 60:  # frames received from the wire arrive padded
            fr += b"\0" * (60 - len(fr))
        return fr

    def add(self, t, pkt, out, iface=0, tag=None):
        ipb = pkt if isinstance(pkt, bytes) else raw(pkt)
        if out and self.ifaces[iface].get("csum0"):
            ipb = zero_l4_csum(ipb)
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        self.recs.append((tns, len(self.recs), iface, self.link(iface, ipb, out), tag))
        self._sorted = None
        return len(self.recs) - 1

    def span(self, rng, prob, pred=None, dmin=1e-6, dmax=8e-6):
        """SPAN/mirror-port duplicates: some packets appear twice, microseconds apart."""
        extra = []
        for r in list(self.recs):
            if (pred is None or pred(r)) and rng.random() < prob:
                extra.append((r[0] + int(rng.uniform(dmin, dmax) * 1e9), r[2], r[3]))
        for tns, ifc, b in extra:
            self.recs.append((tns, len(self.recs), ifc, b, None))
        self._sorted = None
        return len(extra)

    def cut(self, t):
        """The capture was started t seconds after the first packet was built."""
        lim = self.base * 1_000_000_000 + int(t * 1e9)
        self.recs = [r for r in self.recs if r[0] >= lim]
        self._sorted = None

    def _wkey(self, r):
        fl = self.ifaces[r[2]].get("flush")
        if not fl:
            return (r[0], r[0], r[1])
        q = int(fl * 1e9)
        return ((r[0] // q + 1) * q + self.ifaces[r[2]].get("flush_ofs", 0), r[0], r[1])

    def sorted(self):
        if self._sorted is None:
            self._sorted = sorted(self.recs, key=self._wkey)
        return self._sorted

    def write(self, path):
        E = self.endian
        out = bytearray()
        recs = self.sorted()
        if self.fmt == "pcap":
            lt = LINKTYPE[self.ifaces[0]["link"]]
            snap = self.ifaces[0].get("snap", 262144)
            out += struct.pack(E + "IHHiIII", 0xA1B23C4D if self.nsec else 0xA1B2C3D4, 2, 4, 0, 0, snap, lt)
            for tns, _, _, b, _ in recs:
                sec, frac = divmod(tns, 1_000_000_000)
                if not self.nsec:
                    frac //= 1000
                out += struct.pack(E + "IIII", sec, frac, min(len(b), snap), len(b)) + b[:snap]
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
                out += blk(1, struct.pack(E + "HHI", LINKTYPE[f["link"]], 0, f.get("snap", 262144)) + io + struct.pack(E + "HH", 0, 0))
            for tns, _, ifc, b, _ in recs:
                res = self.ifaces[ifc].get("tsresol", 6)
                snap = self.ifaces[ifc].get("snap", 262144)
                ts = tns if res == 9 else tns // 1000
                out += blk(6, struct.pack(E + "IIIII", ifc, ts >> 32, ts & 0xFFFFFFFF, min(len(b), snap), len(b)) + b[:snap])
        with open(path, "wb") as fh:
            fh.write(bytes(out))
        return len(recs)


def zero_l4_csum(ipb):
    """Checksum offload: the host hands the NIC TCP/UDP segments with the checksum unset."""
    b = bytearray(ipb)
    if b[0] >> 4 == 4:
        off, proto = (b[0] & 15) * 4, b[9]
    else:
        off, proto = 40, b[6]
    if proto == 6 and len(b) >= off + 18:
        b[off + 16:off + 18] = b"\0\0"
    elif proto == 17 and len(b) >= off + 8:
        b[off + 6:off + 8] = b"\0\0"
    return bytes(b)


# ----------------------------------------------------------------------------
# IP / TCP
# ----------------------------------------------------------------------------


PROFILES = {
    # syn window, window scale, ts, SYN option layout
    "linux": dict(synwin=64240, ws=7, ts=True, win0=502),
    "linuxsrv": dict(synwin=65160, ws=7, ts=True, win0=509),
    "mac": dict(synwin=65535, ws=6, ts=True, win0=2058),
    "cdn": dict(synwin=65535, ws=9, ts=True, win0=128),
    "nots": dict(synwin=65535, ws=8, ts=False, win0=1026),
    "win": dict(synwin=64240, ws=8, ts=False, win0=1026),
}


class Flow(kit.Flow):
    """The kit's Flow with the methods this round changed."""

    profiles = PROFILES

    def _opts(self, out, t, flags, sack=None):
        if out:
            tsv = (self.cts + int(t * 1000)) & 0xFFFFFFFF
            ecr = self.last_sts
        else:
            tsv = (self.sts + int((t - self.owd) * 1000)) & 0xFFFFFFFF
            ecr = self.last_cts
        if "S" in flags:
            p = self.cp if out else self.sp
            mss = self.cmss if out else self.smss
            if out:
                self.last_cts = tsv
            else:
                self.last_sts = tsv
            if out and self.ctx.cos == "win":
                return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
            if out and self.ctx.cos == "mac":
                return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("NOP", None), ("NOP", None), ("Timestamp", (tsv, 0)), ("SAckOK", b""), ("EOL", None)]
            if not p["ts"] or (not out and not self.ts):
                if out:
                    return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("SAckOK", b""), ("Timestamp", (tsv, 0))]
                return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("SAckOK", b""), ("EOL", None)]
            return [("MSS", mss), ("SAckOK", b""), ("Timestamp", (tsv, ecr if not out else 0)), ("NOP", None), ("WScale", p["ws"])]
        o = []
        if self.ts:
            o = [("NOP", None), ("NOP", None), ("Timestamp", (tsv, ecr))]
            if out:
                self.last_cts = tsv
            else:
                self.last_sts = tsv
        if sack:
            o += [("NOP", None), ("NOP", None), ("SAck", tuple(x & 0xFFFFFFFF for blk in sack for x in blk))]
        return o


# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------

QT = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "TXT": 16, "AAAA": 28, "OPT": 41, "DS": 43, "RRSIG": 46, "DNSKEY": 48, "HTTPS": 65}


def dns_msg(txid, flags, qname, qtype, answers=(), edns=None, ar_override=None, auth=(), do=False, opt=b""):
    """answers/auth: (name, type, ttl, rdata) with full name compression; rdata is a
    dotted address (A), text address (AAAA), a name (CNAME/NS) or raw bytes (anything)."""
    nar = (1 if edns else 0) if ar_override is None else ar_override
    out = bytearray(struct.pack("!HHHHHH", txid, flags, 1, len(answers), len(auth), nar))
    table = {}

    def name(n):
        if n.rstrip(".") == "":
            out.append(0)
            return
        labels = n.rstrip(".").split(".")
        for i in range(len(labels)):
            suf = ".".join(labels[i:]).lower()
            if suf in table:
                out.extend(struct.pack("!H", 0xC000 | table[suf]))
                return
            if len(out) < 0x3FFF:
                table[suf] = len(out)
            lb = labels[i].encode()
            out.extend(bytes([len(lb)]) + lb)
        out.append(0)

    name(qname)
    out.extend(struct.pack("!HH", QT[qtype], 1))
    for n, ty, ttl, rd in list(answers) + list(auth):
        name(n)
        out.extend(struct.pack("!HHI", QT[ty], 1, ttl))
        if isinstance(rd, (bytes, bytearray)):
            out.extend(struct.pack("!H", len(rd)) + rd)
        elif ty == "A":
            out.extend(struct.pack("!H", 4) + bytes(int(x) for x in rd.split(".")))
        elif ty == "AAAA":
            import ipaddress
            out.extend(struct.pack("!H", 16) + ipaddress.IPv6Address(rd).packed)
        else:
            pos = len(out)
            out.extend(b"\0\0")
            name(rd)
            struct.pack_into("!H", out, pos, len(out) - pos - 2)
    if edns:
        out.extend(b"\x00" + struct.pack("!HHIH", 41, edns, 0x8000 if do else 0, len(opt)) + opt)
    return bytes(out)


def wire_name(n):
    return b"".join(bytes([len(x)]) + x.encode() for x in n.rstrip(".").split(".")) + b"\0"


def rrsig(rng, covered, labels, ttl, signer, inception, keytag=None):
    """RRSIG rdata, ECDSAP256SHA256 (alg 13); the signature bytes are opaque here."""
    keytag = keytag if keytag is not None else rng.randrange(1, 65536)
    return (struct.pack("!HBBIIIH", QT[covered], 13, labels, ttl, inception + 14 * 86400, inception, keytag)
            + wire_name(signer) + rng.randbytes(64))


# ----------------------------------------------------------------------------
# per-case context and composite helpers
# ----------------------------------------------------------------------------


class Ctx(kit.Ctx):
    """The kit's Ctx with the methods this round changed."""

    flow_class = Flow
    make_dns = staticmethod(dns_msg)

    def __init__(self, cap, seed, cip=None, cip6=None, cos="linux", cttl=64, mss4=1460, mss6=1440, iface=0,
                 resolver=None, resolver6=None, rttl=60, dns_rtt=0.02, edns=None, qflags=0x0100):
        self.cap, self.rng = cap, random.Random(seed)
        self.cip, self.cip6, self.cos, self.cttl = cip, cip6, cos, cttl
        self.mss4, self.mss6, self.iface = mss4, mss6, iface
        self.resolver, self.resolver6, self.rttl, self.dns_rtt = resolver, resolver6, rttl, dns_rtt
        self.edns, self.qflags = edns, qflags
        self.used = set()
        self.r_ipid = None  # None: random per response; int: consecutive counter
        self.pub = None  # public address behind NAT (STUN answers)





# ----------------------------------------------------------------------------
# kit extensions: GRO / TSO super-segments, UDP media, QUIC v1
# ----------------------------------------------------------------------------

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def gro_recv(fl, t, data, per=16, rate=80e6, tag=None):
    """Server->client data captured after GRO: each captured frame is several MSS-sized
    segments merged by the receive path (IP total length up to ~64 KB). One ACK each."""
    rng, off, first = fl.ctx.rng, 0, True
    while off < len(data):
        k = 2 if first else rng.randint(max(2, per // 3), per)
        n = min(len(data) - off, fl.seg * k)
        t += n * 8 / rate
        fl.s(t, "PA" if off + n >= len(data) else "A", data[off:off + n], tag=tag if first else None)
        off += n
        first = False
        fl.c_rcv = fl.snxt
        fl.c(t + rng.uniform(0.00002, 0.00008), "A")
    return t + 0.0001


def tso_send(fl, t, data, per=20, rate=40e6, tag=None):
    """Client->server upload captured before TSO: the stack hands the NIC frames of up to
    `per` MSS; the server ACKs every frame one RTT later."""
    rng, evs, off, dep = fl.ctx.rng, [], 0, t
    base = fl.cnxt
    while off < len(data):
        n = min(len(data) - off, fl.seg * rng.randint(max(2, per // 2), per))
        evs.append((dep, 0, off, n))
        dep += n * 8 / rate
        evs.append((dep + fl.rtt, 1, off, n))
        off += n
    tl = t
    for tt, kind, o, n in sorted(evs):
        if kind == 0:
            fl.c(tt, "PA" if o + n >= len(data) else "A", data[o:o + n], tag=tag if o == 0 else None)
        else:
            fl.s(tt, "A", ack=base + o + n)
        tl = tt
    fl.s_rcv = fl.cnxt
    return tl


def udp_pkt(src, dst, sport, dport, ttl, payload, ipid=0, df=True):
    return mk_ip(src, dst, ttl, ipid, df) / UDP(sport=sport, dport=dport) / Raw(payload)


def stun(rng, kind, tid=None, xaddr=None):
    """STUN Binding request (0x0001) / success response (0x0101) with the magic cookie."""
    tid = tid or rng.randbytes(12)
    attrs = b""
    if xaddr:
        ip, port = xaddr
        xp = port ^ 0x2112
        xi = bytes(a ^ b for a, b in zip(bytes(int(x) for x in ip.split(".")), b"\x21\x12\xa4\x42"))
        attrs = struct.pack("!HHBBH", 0x0020, 8, 0, 1, xp) + xi
    else:
        attrs = struct.pack("!HH", 0x0006, 12) + b"a8Fq:Zx3Lw9b" + struct.pack("!HH", 0x0024, 4) + struct.pack("!I", 0x6E7F1EFF)
    return struct.pack("!HHI", kind, len(attrs), 0x2112A442) + tid + attrs, tid


def dtls_rec(rng, ctype, epoch_, seq, n):
    return struct.pack("!BHH", ctype, 0xFEFD, epoch_) + seq.to_bytes(6, "big") + u16(n) + rng.randbytes(n)


def media_call(ctx, t0, t1, sip, sport, dport, sttl, rtt, iface=None, vrate=25, arate=50):
    """WebRTC-style call to an SFU: STUN check, DTLS-SRTP handshake, then audio (Opus,
    20 ms) and video (RTP, ~25 pps) both ways. Returns the number of packets."""
    rng, cap, cip = ctx.rng, ctx.cap, ctx.cip
    iface = ctx.iface if iface is None else iface
    n = 0

    def out(t, p):
        cap.add(t, udp_pkt(cip, sip, sport, dport, ctx.cttl, p, rng.randrange(65536)), True, iface)

    def inn(t, p):
        cap.add(t, udp_pkt(sip, cip, dport, sport, sttl, p, 0, True), False, iface)

    q, tid = stun(rng, 0x0001)
    out(t0, q)
    inn(t0 + rtt, stun(rng, 0x0101, tid, (ctx.pub or cip, sport))[0])
    t = t0 + rtt + 0.002
    out(t, dtls_rec(rng, 22, 0, 0, 180))
    inn(t + rtt, dtls_rec(rng, 22, 0, 0, 90) + dtls_rec(rng, 22, 0, 1, 420) + dtls_rec(rng, 22, 0, 2, 110))
    out(t + rtt + 0.003, dtls_rec(rng, 22, 0, 1, 250) + dtls_rec(rng, 20, 0, 2, 1) + dtls_rec(rng, 22, 1, 0, 40))
    inn(t + 2 * rtt + 0.003, dtls_rec(rng, 20, 0, 3, 1) + dtls_rec(rng, 22, 1, 0, 40))
    t = t + 2 * rtt + 0.01
    streams = []
    for direction in (0, 1):
        streams.append(dict(d=direction, pt=111, ssrc=rng.getrandbits(32), seq=rng.randrange(65536), ts=rng.getrandbits(32), iv=1 / arate, sz=(60, 140), step=960))
        streams.append(dict(d=direction, pt=96, ssrc=rng.getrandbits(32), seq=rng.randrange(65536), ts=rng.getrandbits(32), iv=1 / vrate, sz=(500, 1150), step=3600))
    evs = []
    for s in streams:
        tt = t + rng.uniform(0, 0.02)
        while tt < t1:
            evs.append((tt, id(s), s))
            tt += s["iv"] * rng.uniform(0.85, 1.15)
    evs.sort(key=lambda e: e[0])
    for tt, _, s in evs:
        hdr = struct.pack("!BBHII", 0x90 if s["pt"] == 96 else 0x80, s["pt"] | (0x80 if rng.random() < 0.1 else 0), s["seq"] & 0xFFFF, s["ts"] & 0xFFFFFFFF, s["ssrc"])
        s["seq"] += 1
        s["ts"] += s["step"]
        p = hdr + rng.randbytes(rng.randrange(*s["sz"]))
        (out if s["d"] == 0 else inn)(tt + (rtt / 2 if s["d"] else 0), p)
        n += 1
    return n


QUIC_V1_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def _hkdf_extract(salt, ikm):
    h = hmac.HMAC(salt, hashes.SHA256())
    h.update(ikm)
    return h.finalize()


def _hkdf_expand_label(secret, label, length):
    full = b"tls13 " + label.encode()
    info = u16(length) + bytes([len(full)]) + full + b"\x00"
    out, prev, i = b"", b"", 1
    while len(out) < length:
        h = hmac.HMAC(secret, hashes.SHA256())
        h.update(prev + info + bytes([i]))
        prev = h.finalize()
        out += prev
        i += 1
    return out[:length]


def quic_initial_keys(odcid, server):
    init = _hkdf_extract(QUIC_V1_SALT, odcid)
    sec = _hkdf_expand_label(init, "server in" if server else "client in", 32)
    return (_hkdf_expand_label(sec, "quic key", 16), _hkdf_expand_label(sec, "quic iv", 12), _hkdf_expand_label(sec, "quic hp", 16))


def varint(v):
    if v < 64:
        return bytes([v])
    if v < 16384:
        return u16(0x4000 | v)
    return struct.pack("!I", 0x80000000 | v)


def quic_long(ptype, dcid, scid, pn, frames, keys=None, rng=None, token=b"", pn_len=2):
    """Long-header packet (0 Initial, 2 Handshake). With keys: real Initial protection
    (RFC 9001); without: opaque bytes of the right length (keys we do not have)."""
    first = 0xC0 | (ptype << 4) | (pn_len - 1)
    hdr = bytes([first]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    if ptype == 0:
        hdr += varint(len(token)) + token
    plen = len(frames) + 16 if isinstance(frames, (bytes, bytearray)) else frames + 16
    hdr += u16(0x4000 | (pn_len + plen))
    pnb = pn.to_bytes(pn_len, "big")
    if keys is None:
        body = rng.randbytes(pn_len + plen)
        return bytes([0xC0 | (ptype << 4) | rng.randrange(16)]) + hdr[1:] + body
    key, iv, hp = keys
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, bytes(frames), hdr + pnb)
    sample = ct[4 - pn_len:20 - pn_len]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    b0 = first ^ (mask[0] & 0x0F)
    pnp = bytes(a ^ b for a, b in zip(pnb, mask[1:1 + pn_len]))
    return bytes([b0]) + hdr[1:] + pnp + ct


def quic_short(rng, dcid, n):
    """1-RTT packet: fixed bit, protected bits random, DCID, opaque payload (n bytes total)."""
    return bytes([0x40 | rng.randrange(64)]) + dcid + rng.randbytes(max(n - 1 - len(dcid), 24))


def quic_client_hello(rng, sni, scid, alpn=("h3",)):
    """TLS 1.3 ClientHello handshake message for QUIC (no record layer)."""
    alpn_b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    tp = b"".join(varint(k) + varint(len(v)) + v for k, v in (
        (0x01, varint(30000)), (0x03, varint(1472)), (0x04, varint(15728640)), (0x05, varint(6291456)),
        (0x06, varint(6291456)), (0x07, varint(6291456)), (0x08, varint(100)), (0x09, varint(103)),
        (0x0F, scid), (0x20, varint(65536))))
    g1, g2 = rng.sample(GREASE, 2)
    exts = [ext(g1, b""), ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
            ext(10, u16(6) + u16(g2) + u16(0x1D) + u16(0x17)), ext(16, u16(len(alpn_b)) + alpn_b),
            ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
            ext(51, u16(32 + 4 + 5) + u16(g2) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + x25519_pub(rng)),
            ext(45, b"\x01\x01"), ext(43, b"\x02\x03\x04"), ext(27, b"\x02\x00\x02"), ext(0x39, tp), ext(g1 ^ 0x1010, b"\x00")]
    suites = [0x1301, 0x1302, 0x1303]
    el = b"".join(exts)
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(6) + b"".join(u16(s) for s in suites) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def quic_server_hello(rng):
    exts = ext(43, u16(0x0304)) + ext(51, u16(0x1D) + u16(32) + x25519_pub(rng))
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(0x1301) + b"\x00" + u16(len(exts)) + exts
    return b"\x02" + struct.pack("!I", len(body))[1:] + body


def crypto_frame(data, off=0):
    return b"\x06" + varint(off) + varint(len(data)) + data


class Quic:
    """One QUIC v1 connection seen from the client: 4-tuple may change (NAT rebinding,
    handover) while the connection IDs carry it on."""

    def __init__(self, ctx, sip, sni, rtt, sttl, sport=None, iface=None, cip=None):
        self.ctx, self.rng = ctx, ctx.rng
        self.sip, self.sni, self.rtt, self.sttl = sip, sni, rtt, sttl
        self.sport = sport or ctx.port()
        self.iface = ctx.iface if iface is None else iface
        self.cip = cip or (ctx.cip6 if ":" in sip else ctx.cip)
        self.odcid, self.scid, self.srv_cid = self.rng.randbytes(8), self.rng.randbytes(8), self.rng.randbytes(8)
        self.cpn, self.spn = 0, 0
        self.ttl_c = ctx.cttl

    def out(self, t, payload, tag=None):
        self.ctx.cap.add(t, udp_pkt(self.cip, self.sip, self.sport, 443, self.ttl_c, payload, self.ctx.rng.randrange(65536)), True, self.iface, tag)

    def inn(self, t, payload, tag=None):
        self.ctx.cap.add(t, udp_pkt(self.sip, self.cip, 443, self.sport, self.sttl, payload, 0), False, self.iface, tag)

    def handshake(self, t, tag=None):
        rng = self.rng
        ck, sk = quic_initial_keys(self.odcid, False), quic_initial_keys(self.odcid, True)
        ch = crypto_frame(quic_client_hello(rng, self.sni, self.scid))
        self.out(t, quic_long(0, self.odcid, self.scid, 0, ch + b"\x00" * (1206 - len(ch)), ck), tag and tag + "ini")
        sh = b"\x02\x00\x00\x00\x00" + crypto_frame(quic_server_hello(rng))
        p1 = quic_long(0, self.scid, self.srv_cid, 0, sh, sk)
        p2 = quic_long(2, self.scid, self.srv_cid, 0, 1200 - len(p1) - 28, rng=rng)
        ta = t + self.rtt + rng.uniform(0.0005, 0.002)
        self.inn(ta, p1 + p2, tag and tag + "sini")
        self.inn(ta + 0.0002, quic_long(2, self.scid, self.srv_cid, 1, 1180, rng=rng))
        self.inn(ta + 0.0004, quic_long(2, self.scid, self.srv_cid, 2, rng.randrange(300, 900), rng=rng))
        tc = ta + 0.0006 + rng.uniform(0.001, 0.003)
        hs = quic_long(2, self.srv_cid, self.scid, 0, 60, rng=rng)
        ack_ini = quic_long(0, self.srv_cid, self.scid, 1, b"\x02\x00\x00\x00\x00" + b"\x00" * (1250 - len(hs) - 44 - 5), ck)
        self.out(tc, ack_ini + hs)
        self.cpn, self.spn = 2, 1
        return tc

    def exchange(self, t, up=1, down=30000, rate=20e6, tag=None):
        """Client sends `up` request packets, server streams `down` bytes in ~1250-byte
        datagrams, client ACKs every second one. Returns time of the last packet."""
        rng = self.rng
        for i in range(up):
            self.out(t, quic_short(rng, self.srv_cid, rng.randrange(80, 300)), tag if i == 0 else None)
            t += 0.0003
        ta = t + self.rtt + rng.uniform(0.002, 0.02)
        k = 0
        while down > 0:
            n = min(1252, down + 40)
            down -= n - 40
            self.inn(ta, quic_short(rng, self.scid, n))
            k += 1
            if k % 2 == 0 or down <= 0:
                self.out(ta + rng.uniform(0.0001, 0.0005), quic_short(rng, self.srv_cid, rng.randrange(35, 45)))
            ta += n * 8 / rate
        return ta + 0.0005

    def close(self, t):
        self.out(t, quic_short(self.rng, self.srv_cid, self.rng.randrange(40, 60)))
        return t


def ntp(ctx, t, server, sttl, rtt=0.02, iface=None):
    rng, iface = ctx.rng, ctx.iface if iface is None else iface
    sp = 123 if rng.random() < 0.5 else ctx.port()
    q = b"\x23\x00\x06\x20" + b"\0" * 36 + rng.randbytes(8)
    r = b"\x24\x02\x03\xe8" + rng.randbytes(12) + rng.randbytes(8) + q[40:48] + rng.randbytes(16)
    ctx.cap.add(t, udp_pkt(ctx.cip, server, sp, 123, ctx.cttl, q, rng.randrange(65536)), True, iface)
    ctx.cap.add(t + rtt, udp_pkt(server, ctx.cip, 123, sp, sttl, r, rng.randrange(65536), False), False, iface)
    return t + rtt


def https_gro(ctx, t, sip, sni, rtt, sttl, resp, per=16, rate=150e6, profile="firefox", tag=None, iface=None):
    """HTTPS download whose server data was merged by GRO before the capture point."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, rtt, sttl, iface=iface)
    t = fl.handshake(t, tag)
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), profile)
    t = fl.send_c(t + rng.uniform(0.0002, 0.001), ch, tag and tag + "ch")
    t = gro_recv(fl, t + rtt, server_flight(rng, sid, 3000), per=3, rate=rate)
    t = fl.send_c(t + 0.002, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 380))
    t = gro_recv(fl, t + rtt + 0.01, app_stream(rng, resp), per=per, rate=rate, tag=tag and tag + "gro")
    t = fl.close_client(t + rng.uniform(0.5, 3.0))
    return fl, t


def https_upload(ctx, t, sip, sni, rtt, sttl, size, per=20, tag=None, iface=None):
    """HTTPS upload whose client data was captured before TSO split it (super-segments)."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, rtt, sttl, iface=iface)
    t = fl.handshake(t, tag)
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), "chrome")
    t = fl.send_c(t + 0.0005, ch, tag and tag + "ch")
    t = fl.bulk(t + fl.owd + 0.001, server_flight(rng, sid, 2800), 50e6, None, 1e9, None, final_ack=False)
    t = fl.send_c(fl.last_arr + 0.002, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 520))
    t = tso_send(fl, t + 0.001, app_stream(rng, size), per=per, tag=tag and tag + "tso")
    t = fl.bulk(t + 0.03, app_rec(rng, 310), 50e6, None, 1e9, None)
    return fl, t


# ----------------------------------------------------------------------------
# kit extensions: X.509 chains (deterministic ECDSA) and TLS 1.2 handshakes in clear
# ----------------------------------------------------------------------------

import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def ec_key(rng):
    return ec.derive_private_key(rng.getrandbits(250) | 1 << 250, ec.SECP256R1())


def x509_name(cn, o=None, c=None, ou=None):
    parts = ([x509.NameAttribute(NameOID.COUNTRY_NAME, c)] if c else []) + ([x509.NameAttribute(NameOID.ORGANIZATION_NAME, o)] if o else []) \
        + ([x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou)] if ou else []) + [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    return x509.Name(parts)


def mk_cert(rng, subject, key, issuer, ikey, nb, na, ca=False, sans=(), crl=None, aia=None, pathlen=None):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(rng.getrandbits(120) | 1 << 120).not_valid_before(nb).not_valid_after(na)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ikey.public_key()), False))
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=pathlen), True).add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
    else:
        b = (b.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
             .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
             .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), False))
    if crl:
        b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint([x509.UniformResourceIdentifier(crl)], None, None, None)]), False)
    if aia:
        b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(aia))]), False)
    return b.sign(ikey, hashes.SHA256(), ecdsa_deterministic=True)


def der(c):
    return c.public_bytes(Encoding.DER)


def hs_msg(typ, body):
    return bytes([typ]) + struct.pack("!I", len(body))[1:] + body


def tls_records(ctype, data, maxlen=16384):
    out = b""
    for i in range(0, len(data), maxlen):
        ch = data[i:i + maxlen]
        out += bytes([ctype]) + b"\x03\x03" + u16(len(ch)) + ch
    return out


def tls12_server_flight(rng, client_random, chain_certs, leaf_key, alpn="h2"):
    """ServerHello (TLS 1.2, ECDHE-ECDSA-AES128-GCM) + Certificate + ServerKeyExchange
    (signed with the leaf key over the real randoms) + ServerHelloDone."""
    srand = rng.randbytes(32)
    exts = ext(0xFF01, b"\x00") + ext(11, b"\x01\x00") + ext(23, b"") + ext(35, b"")
    if alpn:
        exts += ext(16, u16(len(alpn) + 1) + bytes([len(alpn)]) + alpn.encode())
    sh = hs_msg(2, b"\x03\x03" + srand + b"\x20" + rng.randbytes(32) + u16(0xC02B) + b"\x00" + u16(len(exts)) + exts)
    cl = b"".join(struct.pack("!I", len(der(c)))[1:] + der(c) for c in chain_certs)
    cert = hs_msg(11, struct.pack("!I", len(cl))[1:] + cl)
    params = b"\x03" + u16(0x001D) + b"\x20" + x25519_pub(rng)
    sig = leaf_key.sign(client_random + srand + params, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    ske = hs_msg(12, params + u16(0x0403) + u16(len(sig)) + sig)
    return tls_records(22, sh + cert + ske + hs_msg(14, b""))


def tls12_client_finish(rng):
    return tls_records(22, hs_msg(16, b"\x20" + x25519_pub(rng))) + b"\x14\x03\x03\x00\x01\x01" + b"\x16\x03\x03\x00\x28" + rng.randbytes(40)


def tls12_server_finish(rng):
    nst = hs_msg(4, struct.pack("!I", 7200) + u16(192) + rng.randbytes(192))
    return tls_records(22, nst) + b"\x14\x03\x03\x00\x01\x01" + b"\x16\x03\x03\x00\x28" + rng.randbytes(40)


def app12(rng, n):
    """TLS 1.2 AES-GCM application data: 8-byte explicit nonce + data + 16-byte tag."""
    out = b""
    while n > 0:
        k = min(n, 16000)
        out += b"\x17\x03\x03" + u16(k + 24) + rng.randbytes(k + 24)
        n -= k
    return out


def https12(ctx, t, sip, sni, rtt, sttl, chain_certs, leaf_key, resp=30000, req=400, sos="linuxsrv", profile="chrome", tag=None, close="client", rate=40e6):
    """Complete TLS 1.2 exchange with the certificate chain visible on the wire."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, rtt, sttl, sos=sos)
    t = fl.handshake(t, tag)
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), profile)
    t = fl.send_c(t + rng.uniform(0.0002, 0.001), ch, tag and tag + "ch")
    t = fl.bulk(t + fl.owd + rng.uniform(0.001, 0.004), tls12_server_flight(rng, ch[11:43], chain_certs, leaf_key), rate, None, 1e9, tag and tag + "cert", final_ack=False)
    t = fl.send_c(fl.last_arr + rng.uniform(0.001, 0.003), tls12_client_finish(rng))
    t = fl.bulk(t + fl.owd + 0.0005, tls12_server_finish(rng), rate, None, 1e9, None, final_ack=False)
    t = fl.send_c(fl.last_arr + 0.0003, app12(rng, req), tag and tag + "req")
    t = fl.bulk(t + fl.owd + rng.uniform(0.005, 0.05), app12(rng, resp), rate, None, 1e9, tag and tag + "resp")
    if close == "client":
        t = fl.close_client(t + rng.uniform(0.1, 3.0), alert=False)
    elif close == "server":
        t = fl.close_server(t + rng.uniform(0.5, 5.0))
    return fl, t


# ----------------------------------------------------------------------------
# case 1: an ordinary morning at home (browsing, updates, a video call)
# host capture, tcpdump -s 128: snap length 128, TSO/GRO super-segments, zero checksums out
# ----------------------------------------------------------------------------

def case1(outdir):
    gw, me = mac("a0:63:91:2c:5e:01"), mac("3c:58:c2:9f:14:7b")
    cap = Cap("b13_home_morning.pcapng", epoch(2025, 3, 11, 7, 42, 10),
              [dict(name="wlp2s0", link="eth", cmac=me, gmac=gw, snap=128, csum0=True, tsresol=6, os="Linux 6.8.0-51-generic")],
              fmt="pcapng", shb=dict(os="Linux 6.8.0-51-generic", app="tcpdump 4.99.4 (libpcap 1.10.4)"))
    ctx = Ctx(cap, 1301, cip="192.168.1.23", cip6="2a02:8109:b6c0:4e00:5d1c:8a2f:31e7:9b40", resolver="192.168.1.1",
              rttl=64, dns_rtt=0.012, edns=1232)
    ctx.pub = "84.142.37.201"
    rng = ctx.rng
    L = ctx.lookup
    # -- boot-ish background: NTP, connectivity checks (HTTP 204 / "success")
    t = ntp(ctx, 0.35, "185.125.190.56", 52, 0.031)
    t = L(1.1, "connectivity-check.ubuntu.com", [("connectivity-check.ubuntu.com", "A", 60, "35.224.170.84")], [], tag="c1")
    ctx.http(t + 0.001, "35.224.170.84", "connectivity-check.ubuntu.com", 0.108, 55, path="/", status="204 No Content",
             headers=[("Date", "Tue, 11 Mar 2025 07:42:11 GMT"), ("Connection", "close"), ("X-NetworkManager-Status", "online")], ua="NetworkManager/1.46.0", tag="ncsi")
    t = L(2.4, "detectportal.firefox.com", chain("detectportal.firefox.com", ["detectportal.prod.mozaws.net", "prod.detectportal.prod.cloudops.mozgcp.net"], ["34.107.221.82"], 60, 60),
          chain("detectportal.firefox.com", ["detectportal.prod.mozaws.net", "prod.detectportal.prod.cloudops.mozgcp.net"], ["2600:1901:0:38d7::"], 60, 60, "AAAA"))
    ctx.http(t + 0.001, "34.107.221.82", "detectportal.firefox.com", 0.021, 119, path="/canonical.html", status="200 OK",
             headers=[("Content-Type", "text/html"), ("Content-Length", "90"), ("Cache-Control", "public,must-revalidate,max-age=0,s-maxage=3600"), ("Via", "1.1 google")],
             body=b'<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>', sos="cdn", tag="portal", close="client")
    # -- the morning's browsing: (start, name, v4, v6 or None, rtt, ttl, bytes)
    sites = [
        (4.0, "www.google.com", "142.250.186.68", "2a00:1450:4001:82f::2004", 0.014, 118, 60000),
        (9.5, "en.wikipedia.org", "185.15.59.224", "2a02:ec80:300:ed1a::1", 0.019, 57, 90000),
        (15.2, "upload.wikimedia.org", "185.15.59.240", "2a02:ec80:300:ed1a::2:b", 0.019, 57, 240000),
        (22.8, "www.theguardian.com", "151.101.65.111", None, 0.011, 59, 150000),
        (31.0, "i.guim.co.uk", "151.101.1.111", None, 0.011, 59, 400000),
        (40.3, "mail.google.com", "142.250.185.101", "2a00:1450:4001:80b::2005", 0.014, 118, 120000),
        (47.9, "github.com", "140.82.121.4", None, 0.029, 52, 80000),
        (52.1, "avatars.githubusercontent.com", "185.199.108.133", None, 0.012, 59, 30000),
        (58.5, "meet.google.com", "142.250.185.110", "2a00:1450:4001:830::200e", 0.014, 118, 70000),
        (246.0, "www.bbc.co.uk", "151.101.0.81", None, 0.011, 59, 110000),
        (259.4, "www.yr.no", "151.101.193.91", None, 0.012, 59, 45000),
        (268.8, "docs.python.org", "151.101.128.223", None, 0.011, 59, 35000),
        (277.5, "incoming.telemetry.mozilla.org", "34.120.208.123", None, 0.022, 119, 900),
    ]
    for i, (ts, name, a4, a6, rtt, ttl, size) in enumerate(sites):
        ans6 = [(name, "AAAA", 300, a6)] if a6 else []
        te = L(ts, name, [(name, "A", 300, a4)], ans6, tag=f"d{i}")
        if a6:
            ctx.https(te + 0.001, a6, name, rtt, ttl - (ttl > 64) * 60 + 0, resp=size, profile="firefox", tag=f"s{i}")
        else:
            ctx.https(te + 0.001, a4, name, rtt, ttl, resp=size, profile="firefox", sos="cdn" if ttl > 55 else "linuxsrv", tag=f"s{i}")
    # typo in the address bar: NXDOMAIN from the home router, then the search engine
    L(70.2, "wikipedia.ogr", [], [], rflags=0x8183, tag="nx")
    # -- video call: Google Meet media over UDP 19305 from t=62 s to t=232 s
    ncall = media_call(ctx, 62.0, 232.0, "74.125.250.129", ctx.port(), 19305, 117, 0.016, vrate=15)
    # -- YouTube over QUIC during the call (background tab)
    te = L(90.3, "www.youtube.com", chain("www.youtube.com", ["youtube-ui.l.google.com"], ["142.250.186.46"], 1800, 300), [])
    q = Quic(ctx, "142.250.186.46", "www.youtube.com", 0.014, 118)
    t = q.handshake(te + 0.001, tag="yt")
    t = q.exchange(t + 0.001, up=3, down=180000, tag="ytreq")
    te = L(t + 0.2, "rr3---sn-4g5lzner.googlevideo.com", chain("rr3---sn-4g5lzner.googlevideo.com", ["rr3.sn-4g5lzner.googlevideo.com"], ["173.194.160.8"], 1800, 1800), [])
    q2 = Quic(ctx, "173.194.160.8", "rr3---sn-4g5lzner.googlevideo.com", 0.009, 58)
    t = q2.handshake(te + 0.001, tag="gv")
    for k in range(6):
        t = q2.exchange(t + rng.uniform(4.0, 9.0), up=1, down=rng.randrange(300000, 600000))
    # -- apt update over HTTP, received through GRO (super-segments of up to 16 MSS)
    te = L(150.0, "archive.ubuntu.com", [("archive.ubuntu.com", "A", 60, "91.189.91.81")], [("archive.ubuntu.com", "AAAA", 60, "2620:2d:4000:1::101")], tag="apt")
    fl = Flow(ctx, "91.189.91.81", 80, 0.034, 51)
    t = fl.handshake(te + 0.001, tag="deb")
    t = fl.send_c(t + 0.0003, b"GET /ubuntu/pool/main/f/firefox/firefox_136.0%2bbuild3-0ubuntu0.24.04.1_amd64.deb HTTP/1.1\r\nHost: archive.ubuntu.com\r\nUser-Agent: Debian APT-HTTP/1.3 (2.7.14build2)\r\nAccept: text/*\r\n\r\n", "debget")
    hdr = b"HTTP/1.1 200 OK\r\nServer: Apache/2.4.29 (Ubuntu)\r\nContent-Length: 1800000\r\nContent-Type: application/vnd.debian.binary-package\r\nLast-Modified: Fri, 07 Mar 2025 10:11:12 GMT\r\n\r\n"
    t = gro_recv(fl, t + 0.034, hdr + b"!<arch>\ndebian-binary   " + rng.randbytes(1800000 - 24), per=16, tag="debgro")
    t = fl.close_client(t + 0.2, alert=False)
    # -- a photo uploaded to cloud storage: TSO super-segments outbound
    te = L(185.0, "content.dropboxapi.com", chain("content.dropboxapi.com", ["content.dropboxapi-env.dropbox-dns.com"], ["162.125.66.14"], 300, 60), [])
    https_upload(ctx, te + 0.001, "162.125.66.14", "content.dropboxapi.com", 0.024, 54, 1400000, tag="up")
    # -- large HTTPS download via GRO
    te = L(205.0, "dl.google.com", [("dl.google.com", "A", 300, "142.250.185.238")], [])
    https_gro(ctx, te + 0.001, "142.250.185.238", "dl.google.com", 0.014, 118, 2500000, tag="gdl")
    # -- ordinary failure: the browser closes a tab mid-download (client RST after data)
    te = L(238.0, "static.xx.fbcdn.net", chain("static.xx.fbcdn.net", ["scontent.xx.fbcdn.net"], ["157.240.27.19"], 3600, 60), [], tag="abort")
    fl, t = ctx.https(te + 0.001, "157.240.27.19", "static.xx.fbcdn.net", 0.017, 55, resp=200000, close=None, tag="ab")
    fl.c(t + 0.3, "RA", tag="abrst")
    # -- periodic background: push service keep-alive, NTP again
    push = Flow(ctx, "34.117.65.55", 443, 0.021, 119)
    t = push.handshake(3.2)
    ch, sid = client_hello(rng, "push.services.mozilla.com", ("http/1.1",))
    t = push.send_c(t + 0.001, ch)
    t = push.bulk(t + push.owd, server_flight(rng, sid, 2600), 50e6, None, 1e9, None, final_ack=False)
    t = push.send_c(push.last_arr + 0.002, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 240))
    for tt in (63.0, 123.0, 183.0, 243.0):
        push.send_c(tt, app_rec(rng, 2))
        push.bulk(tt + push.owd, app_rec(rng, 2), 50e6, None, 1e9, None)
    ntp(ctx, 262.0, "185.125.190.57", 52, 0.030)
    p = os.path.join(outdir, cap.fname)
    n = cap.write(p)
    about = (f"Home laptop, one Wi-Fi interface, tcpdump -s 128 (every frame cut to 128 bytes; original lengths kept), checksum offload "
             f"(outgoing TCP/UDP checksums are 0) and GRO/TSO (super-segments). {n} frames, ~280 s. Nothing is wrong. "
             f"Connectivity checks succeed (HTTP 204 frame {cap.frame('ncsirespdata')}, Firefox portal check 200 frame {cap.frame('portalrespdata')}, both normal answers, not block pages). "
             f"{len(sites)} HTTPS sites complete over IPv4 and IPv6 (e.g. Wikipedia ClientHello frame {cap.frame('s1ch')}). "
             f"A typo 'wikipedia.ogr' gets a genuine NXDOMAIN (frame {cap.frame('nxrA')}): .ogr is no TLD. "
             f"Google Meet media (STUN/DTLS/SRTP, UDP 19305, {ncall} media packets) runs 62-232 s. YouTube over QUIC completes (Initial frame {cap.frame('ytini')}, server Initial {cap.frame('ytsini')}). "
             f"apt downloads a .deb over HTTP with GRO super-segments of up to 16 MSS (first frame {cap.frame('debgro')}); "
             f"a Dropbox upload shows TSO super-segments outbound (frame {cap.frame('uptso')}); dl.google.com GRO download (frame {cap.frame('gdlgro')}). "
             f"The browser aborts a fbcdn download by closing the tab: client RST+ACK frame {cap.frame('abrst')} (sent by us, not forged). "
             f"Server close_notify after our FIN draws a kernel RST from our side at the end of each TLS flow (normal).")
    return cap.fname, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 2: corporate laptop behind a trusted TLS-inspecting firewall, split-horizon DNS
# SPAN port of the access switch: SPAN duplicates, VLAN tag only on frames toward the laptop
# ----------------------------------------------------------------------------

def case2(outdir):
    cap = Cap("b13_corp_inspection.pcap", epoch(2025, 4, 2, 9, 15, 0),
              [dict(name="span0", link="eth", cmac=mac("f4:ee:08:31:a9:5c"), gmac=mac("00:1b:17:00:01:14"), vlan_in=120, pcp=0)], fmt="pcap")
    ctx = Ctx(cap, 1302, cip="10.20.34.57", cos="win", cttl=128, resolver="10.20.0.53", rttl=127, dns_rtt=0.0011)
    rng = ctx.rng
    L = ctx.lookup
    crng = random.Random(91302)
    nb, na = datetime.datetime(2024, 1, 10, tzinfo=datetime.timezone.utc), datetime.datetime(2034, 1, 10, tzinfo=datetime.timezone.utc)
    rk, ik, sk = ec_key(crng), ec_key(crng), ec_key(crng)
    root = mk_cert(crng, x509_name("Contoso Corp Root CA", "Contoso Ltd", "US"), rk, x509_name("Contoso Corp Root CA", "Contoso Ltd", "US"), rk, nb, na, ca=True)
    insp = mk_cert(crng, x509_name("Contoso Corp Inspection CA", "Contoso Ltd", "US", "IT Security"), ik, root.subject, rk, nb, na, ca=True, pathlen=0,
                   crl="http://pki.contoso.com/crl/ContosoRootCA.crl")
    issu = mk_cert(crng, x509_name("Contoso Corp Issuing CA 01", "Contoso Ltd", "US"), sk, root.subject, rk, nb, na, ca=True, pathlen=0,
                   crl="http://pki.contoso.com/crl/ContosoRootCA.crl")
    lnb = datetime.datetime(2025, 3, 30, tzinfo=datetime.timezone.utc)

    def leaf(ca, cakey, cn, sans, days=14, crl="http://pki.contoso.com/crl/ContosoInspectionCA.crl", aia="http://pki.contoso.com/aia/ContosoInspectionCA.crt"):
        k = ec_key(crng)
        c = mk_cert(crng, x509_name(cn), k, ca.subject, cakey, lnb, lnb + datetime.timedelta(days=days), sans=sans, crl=crl, aia=aia)
        return [c, ca], k

    # -- Windows start-of-day: NCSI, WPAD (NXDOMAIN), CTL update over HTTP
    t = L(0.4, "www.msftconnecttest.com", chain("www.msftconnecttest.com", ["www.msftconnecttest.com.edgesuite.net", "a1961.g2.akamai.net"], ["23.52.168.67"], 30, 20), [], tag="ncsidns")
    ctx.http(t + 0.001, "23.52.168.67", "www.msftconnecttest.com", 0.009, 58, path="/connecttest.txt", ua="Microsoft NCSI",
             headers=[("Content-Type", "text/plain"), ("Content-Length", "22"), ("Cache-Control", "max-age=30, must-revalidate")], body=b"Microsoft Connect Test", tag="ncsi")
    L(1.2, "wpad.contoso.com", [], [], rflags=0x8583, tag="wpad")
    # -- split horizon: internal names answered with the company's private addresses
    internal = [(2.0, "intranet.contoso.com", "10.20.8.15"), (30.5, "wiki.corp.contoso.com", "10.20.8.22"), (95.0, "jira.corp.contoso.com", "10.20.8.23"),
                (170.0, "hr.contoso.com", "10.20.8.31"), (231.0, "intranet.contoso.com", "10.20.8.15")]
    for i, (ts, name, addr) in enumerate(internal):
        te = L(ts, name, [(name, "A", 3600, addr)], [], rflags=0x8580, tag=f"int{i}")
        ch_, k_ = leaf(issu, sk, name, [name], days=365, crl="http://pki.contoso.com/crl/ContosoIssuingCA01.crl", aia="http://pki.contoso.com/aia/ContosoIssuingCA01.crt")
        https12(ctx, te + 0.0005, addr, name, 0.0009, 127, ch_, k_, resp=rng.randrange(40000, 160000), sos="nots", tag=f"i{i}")
    # the CA's CRL, fetched by CryptoAPI over plain HTTP from the internal PKI server
    crlb = x509.CertificateRevocationListBuilder().issuer_name(insp.subject).last_update(lnb).next_update(lnb + datetime.timedelta(days=7))
    for k in range(3):
        crlb = crlb.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(crng.getrandbits(120)).revocation_date(lnb - datetime.timedelta(days=k + 1)).build())
    crl = crlb.sign(ik, hashes.SHA256(), ecdsa_deterministic=True).public_bytes(Encoding.DER)
    te = L(3.5, "pki.contoso.com", [("pki.contoso.com", "A", 3600, "10.20.8.40")], [], rflags=0x8580)
    ctx.http(te + 0.0005, "10.20.8.40", "pki.contoso.com", 0.0009, 127, path="/crl/ContosoInspectionCA.crl", ua="Microsoft-CryptoAPI/10.0", sos="nots",
             headers=[("Content-Type", "application/pkix-crl"), ("Content-Length", str(len(crl))), ("Server", "Microsoft-IIS/10.0")], body=crl, tag="crl")
    # -- public sites through the inspecting firewall: TLS 1.2, leaf re-signed by Contoso Corp Inspection CA
    pub = [(8.0, "www.nytimes.com", "151.101.1.164", ["www.nytimes.com", "nytimes.com"]), (21.0, "stackoverflow.com", "104.18.32.7", ["stackoverflow.com", "*.stackoverflow.com"]),
           (44.0, "www.google.com", "142.250.185.68", ["www.google.com"]), (52.0, "api.github.com", "140.82.121.6", ["*.github.com", "github.com"]),
           (67.0, "www.reddit.com", "151.101.129.140", ["*.reddit.com", "reddit.com"]), (110.0, "news.ycombinator.com", "209.216.230.207", ["news.ycombinator.com"]),
           (128.0, "www.amazon.com", "18.66.57.119", ["www.amazon.com", "amazon.com"]), (150.0, "www.wikipedia.org", "185.15.59.224", ["*.wikipedia.org", "wikipedia.org"]),
           (189.0, "pypi.org", "151.101.64.223", ["pypi.org", "www.pypi.org"]), (205.0, "www.nytimes.com", "151.101.1.164", ["www.nytimes.com", "nytimes.com"]),
           (250.0, "stackoverflow.com", "104.18.32.7", ["stackoverflow.com", "*.stackoverflow.com"])]
    for i, (ts, name, addr, sans) in enumerate(pub):
        te = L(ts, name, [(name, "A", 300, addr)], [], tag=f"pd{i}")
        ch_, k_ = leaf(insp, ik, sans[0].lstrip("*."), sans)
        https12(ctx, te + 0.0005, addr, name, rng.uniform(0.008, 0.03), 63, ch_, k_, resp=rng.randrange(30000, 250000), sos="linuxsrv", tag=f"p{i}")
    # -- exempt from decryption (Microsoft 365, banking): end-to-end TLS 1.3 from the real servers
    ex = [(15.0, "login.microsoftonline.com", "20.190.159.0", 0.021, 111), (60.0, "outlook.office365.com", "52.97.211.226", 0.018, 113),
          (140.0, "secure.chase.com", "159.53.224.21", 0.094, 237), (215.0, "v10.events.data.microsoft.com", "20.42.65.92", 0.087, 106)]
    for i, (ts, name, addr, rtt, ttl) in enumerate(ex):
        te = L(ts, name, [(name, "A", 60, addr)], [], tag=f"xd{i}")
        ctx.https(te + 0.0005, addr, name, rtt, ttl, resp=rng.randrange(8000, 90000), profile="chrome", tag=f"x{i}")
    # -- QUIC allowed for video; Teams media over UDP 3478
    te = L(75.0, "i.ytimg.com", [("i.ytimg.com", "A", 300, "142.250.185.118")], [])
    q = Quic(ctx, "142.250.185.118", "i.ytimg.com", 0.012, 117)
    t = q.handshake(te + 0.0005, tag="q")
    q.exchange(t + 0.001, up=2, down=220000)
    ncall = media_call(ctx, 160.0, 200.0, "52.112.142.27", ctx.port(), 3478, 113, 0.019, vrate=12)
    # -- ordinary failures: printer port closed (RST to SYN), decommissioned server (no answer)
    fl = Flow(ctx, "10.20.12.5", 9100, 0.0012, 64, sos="nots")
    fl.c(84.0, "S", tag="prsyn")
    fl.s(84.0012, "RA", seq=0, ack=fl.ciss + 1, win=0, tag="prrst")
    te = L(120.0, "buildsrv07.corp.contoso.com", [("buildsrv07.corp.contoso.com", "A", 3600, "10.20.9.77")], [], rflags=0x8580)
    fl = Flow(ctx, "10.20.9.77", 445, 0.001, 128)
    for k, dt in enumerate((0.0, 1.0, 3.0, 7.0)):
        fl.c(te + 0.001 + dt, "S", seq=fl.ciss, tag=f"deadsyn{k}")
    nd = cap.span(random.Random(71302), 0.14)
    p = os.path.join(outdir, cap.fname)
    n = cap.write(p)
    about = (f"Windows 11 laptop on a corporate LAN, captured on a switch SPAN port: {nd} frames appear twice a few microseconds apart (mirror of ingress and egress), "
             f"and only frames toward the laptop carry an 802.1Q tag (VLAN 120). {n} frames, ~250 s. The corporate firewall inspects TLS: for public sites it terminates TCP and TLS itself "
             f"(IP TTL 63 from every inspected site, TLS 1.2) and presents a leaf re-signed by 'Contoso Corp Inspection CA', which chains to 'Contoso Corp Root CA' installed on every company machine "
             f"(e.g. nytimes Certificate frame {cap.frame('p0certdata')}, stackoverflow {cap.frame('p1certdata')}); the laptop fetches that CA's CRL from the internal PKI (frame {cap.frame('crlget')}). "
             f"Microsoft 365 and banking are exempt and show end-to-end TLS 1.3 from the real servers (frame {cap.frame('x0ch')}). "
             f"The internal resolver 10.20.0.53 answers company names with RFC 1918 addresses (split horizon, AA set; e.g. frame {cap.frame('int0rA')} intranet.contoso.com -> 10.20.8.15), and HTTPS to them works with the internal PKI "
             f"(Contoso Corp Issuing CA 01). WPAD gets NXDOMAIN (frame {cap.frame('wpadrA')}). Ordinary failures: the printer refuses TCP 9100 (RST+ACK frame {cap.frame('prrst')} from the printer itself), "
             f"a decommissioned build server never answers its SYNs (frames {cap.frame('deadsyn0')}-{cap.frame('deadsyn3')}). QUIC to i.ytimg.com works (Initial {cap.frame('qini')}); Teams media on UDP 3478 ({ncall} packets).")
    return cap.fname, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 3: a phone on a train (train Wi-Fi, then cellular with handovers and a tunnel)
# pcapng with wlan0 (Ethernet) and rmnet_data1 (raw IP); rmnet packets reach the file in
# late batches (time stamps go backwards between interfaces); capture starts mid-connection
# ----------------------------------------------------------------------------

def case3(outdir):
    cap = Cap("b13_train_phone.pcapng", epoch(2025, 5, 16, 6, 58, 20),
              [dict(name="wlan0", link="eth", cmac=mac("62:1f:8a:33:c0:9e"), gmac=mac("00:0e:8e:7a:11:02"), tsresol=6),
               dict(name="rmnet_data1", link="raw", tsresol=9, flush=1.5)],
              fmt="pcapng", shb=dict(hw="aarch64", os="Android 14 (Linux 5.15.153)", app="Dumpcap (Wireshark) 4.2.5"))
    W = Ctx(cap, 1303, cip="10.160.23.14", resolver="10.160.0.1", rttl=64, dns_rtt=0.085, iface=0)
    C = Ctx(cap, 2303, cip="100.72.15.201", resolver="10.74.210.210", rttl=61, dns_rtt=0.048, iface=1)
    rng = W.rng
    CUT, TUN0, TUN1 = 3.4, 181.0, 192.0  # capture start; no coverage in the tunnel

    def tunnel(t, size, end):
        return TUN0 <= t <= TUN1

    # -- already running when the capture starts: push channel on cellular, music stream and YouTube QUIC on Wi-Fi
    mt = Flow(C, "142.250.102.188", 5228, 0.052, 116)
    t = mt.handshake(0.4)
    ch, sid = client_hello(C.rng, "mtalk.google.com", ("h2",), "chrome")
    t = mt.send_c(t + 0.001, ch)
    t = mt.bulk(t + mt.owd, server_flight(C.rng, sid, 2900), 20e6, None, 1e9, None, final_ack=False)
    mt.send_c(mt.last_arr + 0.002, b"\x14\x03\x03\x00\x01\x01" + app_rec(C.rng, 36) + app_rec(C.rng, 180))
    for k, tt in enumerate((41.0, 96.5, 157.0, 231.0, 288.0)):
        if tt > 130.0:  # the same cell handovers move every cellular flow
            mt.rtt, mt.owd, mt.sttl = (0.083, 0.0415, 114) if tt < 205.0 else (0.039, 0.0195, 117)
        mt.bulk(tt, app_rec(C.rng, C.rng.randrange(60, 900)), 20e6, tunnel, 1e9, f"mtpush{k}")
        mt.send_c(tt + 0.3, app_rec(C.rng, 2))
    W.https(1.2, "35.186.224.25", "audio-ak.spotifycdn.com", 0.094, 55, resp=1500000, rate=5e6, tag="spot")
    yt = Quic(W, "142.250.186.110", "www.youtube.com", 0.088, 117)
    t = yt.handshake(3.0, tag="yt")
    t = yt.exchange(t + 0.001, up=2, down=250000, rate=6e6)
    # -- Wi-Fi phase: browsing and news
    sites = [(14.0, "www.spiegel.de", "128.65.210.8", 54, 300000), (27.5, "www.bahn.de", "81.200.198.6", 53, 180000),
             (40.0, "www.tagesschau.de", "23.36.77.181", 57, 240000), (55.5, "de.wikipedia.org", "185.15.59.224", 56, 120000),
             (71.0, "www.google.com", "142.250.186.68", 117, 60000), (84.0, "app-measurement.com", "142.250.185.110", 117, 900)]
    for i, (ts, name, addr, ttl, size) in enumerate(sites):
        te = W.lookup(ts, name, [(name, "A", 300, addr)], [], tag=f"wd{i}")
        W.https(te + 0.001, addr, name, rng.uniform(0.07, 0.13), ttl, resp=size, rate=8e6, profile="chrome", tag=f"w{i}")
    for k in range(3):
        t = yt.exchange(22.0 + 25 * k, up=1, down=rng.randrange(150000, 300000), rate=6e6)
    te = W.lookup(60.0, "connectivitycheck.gstatic.com", [("connectivitycheck.gstatic.com", "A", 300, "142.250.185.99")], [])
    W.http(te + 0.001, "142.250.185.99", "connectivitycheck.gstatic.com", 0.09, 117, path="/generate_204", status="204 No Content", ua="Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/AP2A.240805.005)",
           headers=[("Content-Length", "0"), ("Date", "Fri, 16 May 2025 06:59:20 GMT")], tag="c204")
    # -- t=99.8: the train Wi-Fi drops; a request in flight dies, the app retries on cellular
    te = W.lookup(99.2, "api.bahn.de", [("api.bahn.de", "A", 60, "81.200.198.20")], [])
    dead = Flow(W, "81.200.198.20", 443, 0.11, 53)
    t = dead.handshake(te + 0.001, tag="dead")
    dch = client_hello(rng, "api.bahn.de", ("h2", "http/1.1"), "chrome")[0]
    for k, dt in enumerate((0.0, 0.32, 0.98)):
        dead.c(t + 0.0005 + dt, "PA", dch, seq=dead.ciss + 1, tag=f"deadch{k}")
    te = C.lookup(102.3, "api.bahn.de", [("api.bahn.de", "A", 60, "81.200.198.20")], [], tag="retryd")
    f2, t = C.https(te + 0.001, "81.200.198.20", "api.bahn.de", 0.061, 52, resp=45000, profile="chrome", tag="retry")
    # YouTube's QUIC connection migrates to cellular: new address and interface, same connection IDs
    yt.cip, yt.iface, yt.sport, yt.sttl, yt.rtt = C.cip, 1, C.port(), 114, 0.058
    t = yt.exchange(103.0, up=1, down=300000, rate=9e6, tag="ytmig")
    # -- cellular phase: a podcast download across two handovers (RTT and TTL change mid-flow)
    te = C.lookup(120.0, "traffic.megaphone.fm", chain("traffic.megaphone.fm", ["dualstack.megaphone-ssl.map.fastly.net"], ["151.101.2.79"], 300, 30), [], tag="podd")
    pod = Flow(C, "151.101.2.79", 443, 0.046, 58, sos="cdn")
    t = pod.handshake(te + 0.001, tag="pod")
    ch, sid = client_hello(C.rng, "traffic.megaphone.fm", ("h2", "http/1.1"), "chrome")
    t = pod.send_c(t + 0.001, ch, "podch")
    t = pod.bulk(t + pod.owd, server_flight(C.rng, sid, 3100), 30e6, None, 1e9, None, final_ack=False)
    t = pod.send_c(pod.last_arr + 0.002, b"\x14\x03\x03\x00\x01\x01" + app_rec(C.rng, 36) + app_rec(C.rng, 420))
    hand = {130.0: (0.083, 56, "ho1"), 205.0: (0.039, 59, "ho2")}
    tt, k = t + 0.02, 0
    while tt < 262.0:
        for th, (rtt, ttl, tg) in list(hand.items()):
            if tt >= th:
                pod.rtt, pod.owd, pod.sttl = rtt, rtt / 2, ttl
                hand.pop(th)
                pod.ho = getattr(pod, "ho", []) + [(tg, len(cap.recs))]
        if TUN0 - 4.0 <= tt <= TUN1 and not hasattr(pod, "stall"):
            tt = TUN0 - 0.12  # this chunk is in flight when coverage goes
            pod.stall = len(cap.recs)  # index of the request about to be added
        pod.send_c(tt, app_rec(C.rng, 60))
        drop = tunnel
        if getattr(pod, "stall", None) == len(cap.recs) - 1:  # segments still queued in the radio network when coverage goes are lost
            drop = (lambda t, size, end, lim=pod.s_tx + 90000: t <= TUN1 and end > lim)
        tt = pod.bulk(tt + pod.owd + 0.02, app_stream(C.rng, 200000), 12e6, drop, 1e9, f"podchunk{k}") + C.rng.uniform(7.0, 11.0)
        k += 1
    pod.close_client(tt)
    # -- in the tunnel: a new connection's SYNs go unanswered until coverage returns; DNS times out once
    sy = Flow(W, "157.240.27.35", 443, 0.091, 55)
    for k, dt in enumerate((0.0, 1.0, 3.0, 7.0)):
        sy.c(183.5 + dt, "S", seq=sy.ciss, tag=f"tsyn{k}")
    sy.c_rcv, sy.s_rcv = sy.siss + 1, sy.ciss + 1
    sy.cnxt = sy.ciss + 1
    sy.s(190.5 + 1.651, "SA", tag="tsynack")
    sy.c(190.5 + 1.652, "A")
    ch, sid = client_hello(W.rng, "graph.instagram.com", ("h2", "http/1.1"), "chrome")
    t = sy.send_c(192.16, ch, "tch")
    t = sy.bulk(t + sy.owd, server_flight(W.rng, sid, 2800), 20e6, None, 1e9, None, final_ack=False)
    t = sy.send_c(sy.last_arr + 0.002, b"\x14\x03\x03\x00\x01\x01" + app_rec(W.rng, 36) + app_rec(W.rng, 350))
    t = sy.bulk(t + sy.owd + 0.03, app_stream(W.rng, 90000), 15e6, None, 1e9, None)
    sy.close_client(t + 1.0)
    qname, sp = "i.instagram.com", W.port()
    q1 = dns_msg(0x5a11, 0x0100, qname, "A")
    cap.add(185.2, udp_pkt(W.cip, W.resolver, sp, 53, 64, q1, 0x1201), True, 0, "dnsto")
    q2 = dns_msg(0x9c47, 0x0100, qname, "A")
    cap.add(190.2, udp_pkt(W.cip, W.resolver, sp, 53, 64, q2, 0x1202), True, 0, "dnsretry")
    a2 = dns_msg(0x9c47, 0x8180, qname, "A", chain(qname, ["z-p42-instagram.c10r.instagram.com"], ["157.240.27.174"], 3600, 60))
    cap.add(192.26, udp_pkt(W.resolver, W.cip, 53, sp, 64, a2, 0x3e00, False), False, 0, "dnsans")
    W.https(192.3, "157.240.27.174", "i.instagram.com", 0.09, 55, resp=160000, profile="chrome", tag="ig")
    # the QUIC connection probes during the tunnel, then Chrome moves it to a new source port
    for k in range(4):
        yt.out(182.0 + 0.6 * 2 ** k, quic_short(rng, yt.srv_cid, 42))
    old = yt.sport
    yt.sport, yt.rtt, yt.sttl = C.port(), 0.041, 114
    t = yt.exchange(196.0, up=1, down=300000, rate=9e6, tag="ytport")
    for k in range(3):
        if t > 205.0:
            yt.rtt, yt.sttl = 0.036, 117
        t = yt.exchange(t + rng.uniform(15, 25), up=1, down=rng.randrange(150000, 300000), rate=9e6)
    # more cellular browsing
    for i, (ts, name, addr, ttl) in enumerate([(226.0, "www.zeit.de", "194.77.156.12", 52), (248.0, "www.reddit.com", "151.101.1.140", 58),
                                              (266.0, "de.wikipedia.org", "185.15.59.224", 55), (281.0, "www.bahn.de", "81.200.198.6", 52)]):
        te = W.lookup(ts, name, [(name, "A", 300, addr)], [], tag=f"cd{i}")
        W.https(te + 0.001, addr, name, rng.uniform(0.08, 0.12), ttl, resp=rng.randrange(60000, 250000), profile="chrome", tag=f"c{i}")
    # Android re-validates the train Wi-Fi: probes unanswered while its backhaul is down, answered at 150 s
    for k, ts in enumerate((112.0, 131.0)):
        q = dns_msg(rng.randrange(65536), 0x0100, "connectivitycheck.gstatic.com", "A")
        cap.add(ts, udp_pkt(W.cip, W.resolver, W.port(), 53, 64, q, rng.randrange(65536)), True, 0, f"probe{k}")
    te = W.lookup(150.0, "connectivitycheck.gstatic.com", [("connectivitycheck.gstatic.com", "A", 300, "142.250.185.99")], [], tag="probeok")
    W.http(te + 0.001, "142.250.185.99", "connectivitycheck.gstatic.com", 0.09, 117, path="/generate_204", status="204 No Content", ua="Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/AP2A.240805.005)",
           headers=[("Content-Length", "0"), ("Date", "Fri, 16 May 2025 07:00:50 GMT")], tag="c204b")
    cap.cut(CUT)
    p = os.path.join(outdir, cap.fname)
    n = cap.write(p)
    hos = [cap.fno(idx) for _, idx in pod.ho] if hasattr(pod, "ho") else []
    about = (f"Android phone on a train, dumpcap on wlan0 (train Wi-Fi) and rmnet_data1 (cellular, raw IP); rmnet packets reach the file in 1.5 s batches, so time stamps go backwards "
             f"where the two interfaces interleave. {n} frames, ~285 s. The capture starts mid-connection: the mtalk push channel (TCP 5228), a Spotify download and a YouTube QUIC connection "
             f"were already open, so their handshakes are missing. At ~100 s the train Wi-Fi loses its backhaul: a ClientHello to api.bahn.de on wlan0 is retransmitted into the void "
             f"(frames {cap.frame('deadch0')}, {cap.frame('deadch1')}, {cap.frame('deadch2')}) and the app retries over cellular and succeeds (ClientHello frame {cap.frame('retrych')}); "
             f"the YouTube QUIC connection migrates to the cellular address with the same connection IDs (frame {cap.frame('ytmig')}). Android's Wi-Fi probes go unanswered "
             f"(frames {cap.frame('probe0')}, {cap.frame('probe1')}) until the backhaul returns at 150 s (frame {cap.frame('probeokrA')}, HTTP 204). "
             f"Cellular handovers change RTT and server TTL mid-flow for every cellular flow (podcast 58 -> 56 -> 59 near frames {', '.join(map(str, hos))}; mtalk 116 -> 114 -> 117). A tunnel from {TUN0:.0f} to {TUN1:.0f} s cuts every flow on both "
             f"interfaces at once (the train Wi-Fi rides on cellular too): SYNs to Instagram go unanswered (frames {cap.frame('tsyn0')}-{cap.frame('tsyn3')}) until the SYN/ACK arrives after the tunnel "
             f"(frame {cap.frame('tsynack')}); a DNS query times out (frame {cap.frame('dnsto')}) and its retry is answered (frames {cap.frame('dnsretry')}, {cap.frame('dnsans')}); "
             f"the podcast chunk in flight stalls and recovers by RTO retransmission after the tunnel (near frame {cap.fno(pod.stall)}). After the tunnel Chrome moves the QUIC connection to a new source port ({old} -> {yt.sport}, frame {cap.frame('ytport')}) "
             f"with the same connection IDs. No interference: what fails fails together with everything else, on every server, and recovers.")
    return cap.fname, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 4: university network with a transparent Squid cache on port 80
# campus SPAN port (duplicates), capture started mid-connection, big-endian nanosecond pcap
# ----------------------------------------------------------------------------

SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Safari/605.1.15"


def http_session(ctx, t, sip, rtt, sttl, reqs, sos="linuxsrv", tag=None, close="client", rate=40e6, s_ipid="inc"):
    """One HTTP/1.1 connection carrying several requests. reqs: dicts with host, path,
    status, headers (list), body, think (server time before the response), method, rh (extra
    request headers), data (request body). Returns (flow, time)."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 80, rtt, sttl, sos=sos, s_ipid=s_ipid)
    t = fl.handshake(t, tag)
    for i, r in enumerate(reqs):
        tg = tag and f"{tag}{i}"
        rh = "".join(f"{k}: {v}\r\n" for k, v in r.get("rh", ()))
        body = r.get("data", b"")
        q = (f"{r.get('method', 'GET')} {r['path']} HTTP/1.1\r\nHost: {r['host']}\r\n{rh}User-Agent: {r.get('ua', SAFARI)}\r\n"
             "Accept: */*\r\nAccept-Language: en-GB,en;q=0.9\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n").encode() + body
        t = fl.send_c(t + rng.uniform(0.0002, 0.002), q, tg and tg + "req")
        resp = f"HTTP/1.1 {r['status']}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in r["headers"]) + b"\r\n" + r.get("body", b"")
        t = fl.bulk(t + fl.owd + r.get("think", 0.002), resp, rate, None, 1e9, tg and tg + "resp")
        t += r.get("gap", rng.uniform(0.05, 1.5))
    if close == "client":
        t = fl.close_client(t, alert=False)
    elif close == "server":
        t = fl.close_server(t)
    return fl, t


def squid_hdrs(kind, ctype, n, extra=(), age=None, px="proxy2.campus.uni-hohenberg.de"):
    h = [("Date", "Wed, 22 Oct 2025 10:14:03 GMT"), ("Content-Type", ctype), ("Content-Length", str(n))] + list(extra)
    if age is not None:
        h.append(("Age", str(age)))
    return h + [("X-Cache", f"{kind} from {px}"), ("X-Cache-Lookup", f"{kind} from {px}:3128"), ("Via", f"1.1 {px} (squid/6.6)"), ("Connection", "keep-alive")]


def squid_error_page(url, ip, px="proxy2.campus.uni-hohenberg.de"):
    return ("<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html><head>\n"
            "<meta type=\"copyright\" content=\"Copyright (C) 1996-2023 The Squid Software Foundation and contributors\">\n"
            "<meta http-equiv=\"Content-Type\" CONTENT=\"text/html; charset=utf-8\">\n<title>ERROR: The requested URL could not be retrieved</title>\n"
            "</head><body id=ERR_CONNECT_FAIL>\n<div id=\"titles\">\n<h1>ERROR</h1>\n<h2>The requested URL could not be retrieved</h2>\n</div>\n<hr>\n"
            f"<div id=\"content\">\n<p>The following error was encountered while trying to retrieve the URL: <a href=\"{url}\">{url}</a></p>\n"
            f"<blockquote id=\"error\">\n<p><b>Connection to {ip} failed.</b></p>\n</blockquote>\n"
            "<p id=\"sysmsg\">The system returned: <i>(110) Connection timed out</i></p>\n"
            "<p>The remote host or network may be down. Please try the request again.</p>\n"
            "<p>Your cache administrator is <a href=\"mailto:noc@uni-hohenberg.de?subject=CacheErrorInfo%20-%20ERR_CONNECT_FAIL\">noc@uni-hohenberg.de</a>.</p>\n"
            f"<br>\n</div>\n<hr>\n<div id=\"footer\">\n<p>Generated Wed, 22 Oct 2025 10:16:41 GMT by {px} (squid/6.6)</p>\n<!-- ERR_CONNECT_FAIL -->\n</div>\n</body></html>\n").encode()


def ocsp_pair(rng, leaf_cn, ca_cn, when):
    """A real OCSP request and a signed 'good' response (Ed25519 keeps the bytes deterministic)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.x509 import ocsp
    cak = Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
    nb, na = when - datetime.timedelta(days=400), when + datetime.timedelta(days=3000)
    ca = (x509.CertificateBuilder().subject_name(x509_name(ca_cn, "DigiCert Inc", "US")).issuer_name(x509_name(ca_cn, "DigiCert Inc", "US"))
          .public_key(cak.public_key()).serial_number(rng.getrandbits(120)).not_valid_before(nb).not_valid_after(na)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), True).sign(cak, None))
    lk = ec_key(rng)
    leaf = (x509.CertificateBuilder().subject_name(x509_name(leaf_cn)).issuer_name(ca.subject).public_key(lk.public_key())
            .serial_number(rng.getrandbits(120)).not_valid_before(when - datetime.timedelta(days=30)).not_valid_after(when + datetime.timedelta(days=300))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(leaf_cn)]), False).sign(cak, None))
    req = ocsp.OCSPRequestBuilder().add_certificate(leaf, ca, hashes.SHA1()).build().public_bytes(Encoding.DER)
    resp = bytearray(ocsp.OCSPResponseBuilder().add_response(leaf, ca, hashes.SHA1(), ocsp.OCSPCertStatus.GOOD, when, when + datetime.timedelta(days=7), None, None)
                     .responder_id(ocsp.OCSPResponderEncoding.HASH, ca).sign(cak, None).public_bytes(Encoding.DER))
    # the library stamps producedAt with the wall clock: pin it and re-sign so the bytes are reproducible

    def tlv(pos):
        ln, h = resp[pos + 1], 2
        if ln & 0x80:
            k = ln & 0x7F
            ln, h = int.from_bytes(resp[pos + 2:pos + 2 + k], "big"), 2 + k
        return pos + h, ln  # content start, content length

    c, _ = tlv(0)                      # OCSPResponse
    c, _ = tlv(c + 3)                  # skip responseStatus (0a 01 00) -> [0]
    c, _ = tlv(c)                      # ResponseBytes
    o, ol = tlv(c)                     # responseType OID
    c, _ = tlv(o + ol)                 # OCTET STRING
    c, _ = tlv(c)                      # BasicOCSPResponse
    tbs0 = c
    tc, tl = tlv(tbs0)
    tbs_end = tc + tl
    k = resp.index(b"\x18\x0f", tbs0)  # producedAt, the first GeneralizedTime in tbsResponseData
    resp[k + 2:k + 17] = when.strftime("%Y%m%d%H%M%SZ").encode()
    sig = cak.sign(bytes(resp[tbs0:tbs_end]))
    s = resp.index(b"\x03\x41\x00", tbs_end)
    resp[s + 3:s + 67] = sig
    return req, bytes(resp)


def case4(outdir):
    cap = Cap("b13_campus_squid.pcap", epoch(2025, 10, 22, 10, 12, 30),
              [dict(name="span", link="eth", cmac=mac("a4:83:e7:5b:20:c1"), gmac=mac("00:08:e3:ff:fd:90"))], fmt="pcap", endian=">", nsec=True)
    ctx = Ctx(cap, 1304, cip="10.42.117.88", cos="mac", cttl=64, resolver="10.42.0.2", rttl=63, dns_rtt=0.0018)
    rng = ctx.rng
    L = ctx.lookup
    CUT, SQ, SQRTT = 5.0, 63, 0.0016  # Squid sits one routed hop away on campus
    html = lambda n, title: html_body(rng, n, title)
    # -- already running when the capture starts
    ctx.https(0.4, "17.253.53.207", "updates.cdn-apple.com", 0.011, 57, resp=3000000, rate=4e6, profile="firefox", tag="pre1")
    pre = [dict(host="example.com", path="/", status="200 OK", headers=squid_hdrs("HIT", "text/html; charset=UTF-8", 1256, [("Last-Modified", "Mon, 13 Jan 2025 20:11:20 GMT"), ("ETag", '"84238dfc8092e5d9c0dac8ef93371a07:1736799080.121134"')], age=2204),
                body=html(1256, "Example Domain")[:1256], think=0.0004, gap=2.0),
           dict(host="example.com", path="/favicon.ico", status="404 Not Found", headers=squid_hdrs("MISS", "text/html", 0), think=0.094, gap=4.5),
           dict(host="example.com", path="/", status="304 Not Modified", headers=squid_hdrs("HIT", "text/html; charset=UTF-8", 0, age=2211)[:1] + squid_hdrs("HIT", "", 0, age=2211)[3:],
                rh=[("If-None-Match", '"84238dfc8092e5d9c0dac8ef93371a07:1736799080.121134"')], think=0.0003, gap=3.0)]
    http_session(ctx, 1.0, "23.192.228.80", SQRTT, SQ, pre, tag="pre2")
    gq = Quic(ctx, "142.250.185.196", "www.google.com", 0.009, 118)
    t = gq.handshake(2.0, tag="preq")
    for k in range(4):
        t = gq.exchange(t + rng.uniform(8, 20), up=1, down=rng.randrange(20000, 90000))
    # -- Squid answers from its cache (HIT) and fetches misses; everything on port 80 of intercepted sites comes from Squid (TTL 63, ~1.6 ms)
    te = L(12.0, "mesu.apple.com", chain("mesu.apple.com", ["mesu-cdn.apple.com.akadns.net", "mesu.g.aaplimg.com"], ["17.253.73.203"], 3600, 15), [], tag="mesud")
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>Assets</key><array>' + rng.randbytes(30000).hex().encode()[:60000] + b"</array></dict></plist>\n"
    http_session(ctx, te + 0.0004, "17.253.73.203", SQRTT, SQ, [dict(host="mesu.apple.com", path="/assets/macos/com_apple_MobileAsset_MacSoftwareUpdate/com_apple_MobileAsset_MacSoftwareUpdate.xml",
                 status="200 OK", headers=squid_hdrs("HIT", "application/xml", len(xml), [("Last-Modified", "Tue, 21 Oct 2025 18:02:11 GMT")], age=5921), body=xml,
                 ua="com.apple.MobileAsset.MobileAssetBrain/1 CFNetwork/1568.300.101 Darwin/24.3.0", think=0.0005)], tag="mesu", rate=400e6)
    te = L(20.5, "www.bbc.co.uk", chain("www.bbc.co.uk", ["www.bbc.co.uk.pri.bbc.co.uk", "uk.www.bbc.co.uk.pri.bbc.co.uk"], ["151.101.0.81"], 300, 60), [], tag="bbcd")
    http_session(ctx, te + 0.0004, "151.101.0.81", SQRTT, SQ, [dict(host="www.bbc.co.uk", path="/news", status="301 Moved Permanently",
                 headers=squid_hdrs("HIT", "text/html", 0, [("Location", "https://www.bbc.co.uk/news"), ("Server", "BBC-GTM")], age=412), think=0.0003, gap=0.01)], tag="bbc301", close="client")
    ctx.https(te + 0.03, "151.101.0.81", "www.bbc.co.uk", 0.0092, 57, resp=210000, profile="firefox", sos="cdn", tag="bbcs")
    te = L(38.0, "neverssl.com", [("neverssl.com", "A", 60, "34.223.124.45")], [], tag="nsd")
    page = html(2900, "NeverSSL - Connecting ...")
    http_session(ctx, te + 0.0004, "34.223.124.45", SQRTT, SQ, [dict(host="neverssl.com", path="/", status="200 OK", headers=squid_hdrs("MISS", "text/html", len(page), [("Server", "Apache/2.4.62 ()"), ("Cache-Control", "max-age=600")]), body=page, think=0.162),
                                                                  dict(host="neverssl.com", path="/online/", status="200 OK", headers=squid_hdrs("MISS", "text/html", len(page), [("Server", "Apache/2.4.62 ()")]), body=page, think=0.158)], tag="ns1")
    http_session(ctx, 131.0, "34.223.124.45", SQRTT, SQ, [dict(host="neverssl.com", path="/", status="200 OK", headers=squid_hdrs("HIT", "text/html", len(page), [("Server", "Apache/2.4.62 ()"), ("Cache-Control", "max-age=600")], age=93), body=page, think=0.0004)], tag="ns2")
    te = L(55.0, "swcdn.apple.com", chain("swcdn.apple.com", ["swcdn.apple.com.akadns.net", "swcdn.g.aaplimg.com"], ["17.253.73.205"], 3600, 15), [])
    pkg = b"xar!" + rng.randbytes(1500000)
    http_session(ctx, te + 0.0004, "17.253.73.205", SQRTT, SQ, [dict(host="swcdn.apple.com", path="/content/downloads/11/42/062-91523-A_7TQ2E1VX3M/x6l9pymb0qvth5d3nkx0z3a8j1p/SafariTechPreview.pkg", status="200 OK",
                 headers=squid_hdrs("HIT", "application/octet-stream", len(pkg), [("Accept-Ranges", "bytes")], age=18233), body=pkg, ua="softwareupdated/9.0 CFNetwork/1568.300.101 Darwin/24.3.0", think=0.0006)], tag="pkg", rate=600e6)
    te = L(74.0, "httpforever.com", [("httpforever.com", "A", 300, "146.190.62.39")], [])
    page2 = html(5200, "HTTP Forever")
    http_session(ctx, te + 0.0004, "146.190.62.39", SQRTT, SQ, [dict(host="httpforever.com", path="/", status="200 OK", headers=squid_hdrs("MISS", "text/html", len(page2), [("Server", "nginx/1.18.0 (Ubuntu)")]), body=page2, think=0.188)], tag="hf")
    # an origin that is down: Squid gives up after its connect timeout and returns its own ERR_CONNECT_FAIL page; HTTPS to it fails too
    te = L(96.0, "www.mathe-archiv.org", [("www.mathe-archiv.org", "A", 3600, "85.13.151.77")], [], tag="downd")
    err = squid_error_page("http://www.mathe-archiv.org/skripte/", "85.13.151.77")
    http_session(ctx, te + 0.0004, "85.13.151.77", SQRTT, SQ, [dict(host="www.mathe-archiv.org", path="/skripte/", status="503 Service Unavailable",
                 headers=[("Server", "squid/6.6"), ("Mime-Version", "1.0"), ("Date", "Wed, 22 Oct 2025 10:16:41 GMT"), ("Content-Type", "text/html;charset=utf-8"), ("Content-Length", str(len(err))),
                          ("X-Squid-Error", "ERR_CONNECT_FAIL 110"), ("Vary", "Accept-Language"), ("Content-Language", "en")] + squid_hdrs("MISS", "", 0)[3:-1] + [("Connection", "close")],
                 body=err, think=60.0)], tag="down", close="server")
    dn = Flow(ctx, "85.13.151.77", 443, 0.03, 52)
    for k, dt in enumerate((0.0, 1.0, 2.0, 4.0, 8.0)):
        dn.c(160.5 + dt, "S", seq=dn.ciss, tag=f"downsyn{k}")
    # -- not intercepted: bypass list (captive check, OCSP) goes straight to the origin
    te = L(9.0, "captive.apple.com", chain("captive.apple.com", ["captive-cdn.origin-apple.com.akadns.net", "captive.g.aaplimg.com"], ["17.253.53.202"], 3600, 15), [])
    ok = b"<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>\n"
    http_session(ctx, te + 0.0004, "17.253.53.202", 0.011, 57, [dict(host="captive.apple.com", path="/hotspot-detect.html", status="200 OK", ua="CaptiveNetworkSupport-481.60.2 wispr",
                 headers=[("Content-Type", "text/html"), ("Content-Length", str(len(ok))), ("Cache-Control", "max-age=300")], body=ok, think=0.002)], tag="cap")
    te = L(27.0, "ocsp.digicert.com", chain("ocsp.digicert.com", ["ocsp.edge.digicert.com"], ["192.229.211.108"], 3600, 60), [])
    oreq, oresp = ocsp_pair(random.Random(81304), "www.nature.com", "DigiCert Global G2 TLS RSA SHA256 2020 CA1", datetime.datetime(2025, 10, 21, 12, 0, tzinfo=datetime.timezone.utc))
    http_session(ctx, te + 0.0004, "192.229.211.108", 0.014, 56, [dict(host="ocsp.digicert.com", path="/", method="POST", status="200 OK", rh=[("Content-Type", "application/ocsp-request"), ("Content-Length", str(len(oreq)))],
                 data=oreq, headers=[("Content-Type", "application/ocsp-response"), ("Content-Length", str(len(oresp))), ("Server", "ECAcc (lhd/35A3)")], body=oresp, think=0.004)], tag="ocsp")
    # -- ordinary HTTPS and QUIC browsing around it
    sites = [(16.0, "www.apple.com", "23.38.123.216", 0.008, 58), (45.0, "github.com", "140.82.121.3", 0.024, 53), (62.0, "moodle.uni-hohenberg.de", "141.70.14.20", 0.0019, 62),
             (83.0, "scholar.google.com", "142.250.185.110", 0.009, 118), (110.0, "www.nature.com", "151.101.0.95", 0.009, 57), (140.0, "arxiv.org", "151.101.3.42", 0.009, 57),
             (171.0, "www.bbc.co.uk", "151.101.0.81", 0.0092, 57), (189.0, "en.wikipedia.org", "185.15.59.224", 0.016, 56), (205.0, "moodle.uni-hohenberg.de", "141.70.14.20", 0.0019, 62),
             (221.0, "outlook.office.com", "52.98.207.66", 0.018, 112)]
    for i, (ts, name, addr, rtt, ttl) in enumerate(sites):
        te = L(ts, name, [(name, "A", 300, addr)], [], tag=f"sd{i}")
        ctx.https(te + 0.0004, addr, name, rtt, ttl, resp=rng.randrange(40000, 260000), profile="firefox", tag=f"s{i}")
    te = L(120.0, "www.youtube.com", chain("www.youtube.com", ["youtube-ui.l.google.com"], ["142.250.186.46"], 300, 300), [])
    yq = Quic(ctx, "142.250.186.46", "www.youtube.com", 0.009, 118)
    t = yq.handshake(te + 0.0004, tag="yq")
    t = yq.exchange(t, up=2, down=400000, rate=40e6)
    L(150.0, "moodle.uni-hohenberg.dee", [], [], rflags=0x8183, tag="nx")
    push = Flow(ctx, "17.57.146.52", 5223, 0.02, 52)
    t = push.handshake(47.0)
    ch, sid = client_hello(rng, "courier.push.apple.com", ("apns-security-v3",))
    t = push.send_c(t + 0.001, ch)
    t = push.bulk(t + push.owd, server_flight(rng, sid, 3400), 50e6, None, 1e9, None, final_ack=False)
    push.send_c(push.last_arr + 0.002, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 300))
    for tt in (107.0, 167.0, 227.0):
        push.bulk(tt, app_rec(rng, rng.randrange(40, 300)), 50e6, None, 1e9, None)
    ntp(ctx, 33.0, "17.253.34.125", 56, 0.012)
    cap.cut(CUT)
    nd = cap.span(random.Random(71304), 0.10)
    p = os.path.join(outdir, cap.fname)
    n = cap.write(p)
    about = (f"MacBook on a university network, captured on a campus SPAN port ({nd} frames duplicated a few microseconds apart); big-endian nanosecond pcap; the capture starts "
             f"mid-connection (an HTTPS download, an HTTP keep-alive connection and a QUIC connection were already open). {n} frames, ~225 s. The campus runs a transparent Squid cache "
             f"on port 80: intercepted connections are terminated by Squid, so every packet of them, SYN/ACK included, comes from Squid (IP TTL 63, ~1.6 ms RTT) although it carries the "
             f"origin's address, while HTTPS to the same addresses shows the origin's TTL (bbc 151.101.0.81: TTL 63 on port 80, 57 on 443). Squid answers cache hits itself "
             f"(X-Cache: HIT, Age, Via: 1.1 proxy2.campus.uni-hohenberg.de (squid/6.6); e.g. frames {cap.frame('mesu0respdata')}, {cap.frame('pkg0respdata')}, {cap.frame('ns20respdata')}), "
             f"including the BBC's own cached 301 to https://www.bbc.co.uk/news (frame {cap.frame('bbc3010respdata')}), and fetches misses from the origin (X-Cache: MISS, e.g. frame {cap.frame('ns10respdata')}). "
             f"Bypassed destinations (captive.apple.com frame {cap.frame('cap0respdata')}, OCSP frame {cap.frame('ocsp0respdata')}) come straight from the origin. "
             f"One origin, www.mathe-archiv.org, is down: Squid waits 60 s and returns its standard ERR_CONNECT_FAIL 503 page (frame {cap.frame('down0respdata')}), and the browser's "
             f"HTTPS SYNs to that host go unanswered too (frames {cap.frame('downsyn0')}-{cap.frame('downsyn4')}): a dead server, not a block page. "
             f"A typo gets NXDOMAIN (frame {cap.frame('nxrA')}). QUIC to YouTube works (Initial frame {cap.frame('yqini')}).")
    return cap.fname, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 5: BitTorrent client, OpenVPN over TCP 443 and ordinary browsing on one Linux host
# tcpdump -s 96 on eno1; VLAN tag visible only on outgoing frames (rx VLAN offload strips
# the tag of received frames); TSO super-segments on uploads
# ----------------------------------------------------------------------------

from blind_kit import (  # the capture-writing kit the round was written with
    GREASE,
    LINKTYPE,
    app_rec,
    app_stream,
    chain,
    client_hello,
    epoch,
    ext,
    html_body,
    mac,
    mk_ip,
    server_flight,
    u16,
    x25519_pub,
)
from scapy.all import ICMP

PUBNETS = [24, 31, 37, 46, 62, 77, 78, 79, 82, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 109, 176, 178, 185, 188, 212, 213, 217]


def pub_ip(rng):
    return f"{rng.choice(PUBNETS)}.{rng.randrange(1, 255)}.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"


def ip_of(rec):
    b = rec[3]
    off = 18 if b[12:14] == b"\x81\x00" else 14
    ipb = b[off:]
    n = struct.unpack("!H", ipb[2:4])[0] if ipb[0] >> 4 == 4 else 40 + struct.unpack("!H", ipb[4:6])[0]
    return ipb[:n]


def icmp_unreach(cap, t, router, me, orig_ip, code, ttl, hops, iface=0, tag=None):
    """ICMP destination unreachable quoting the packet as the router saw it (TTL lowered)."""
    q = bytearray(orig_ip[:28])
    q[8] = max(1, q[8] - hops)
    q[10:12] = b"\0\0"
    s = sum(struct.unpack("!10H", bytes(q[:20])))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    q[10:12] = struct.pack("!H", ~s & 0xFFFF)
    pkt = IP(src=router, dst=me, ttl=ttl, id=cap_rng_id(t), flags=0) / ICMP(type=3, code=code) / Raw(bytes(q))
    return cap.add(t, pkt, False, iface, tag)


def cap_rng_id(t):
    return int(t * 7919) & 0xFFFF


def bencode(x):
    if isinstance(x, int):
        return b"i%de" % x
    if isinstance(x, (bytes, str)):
        x = x.encode() if isinstance(x, str) else x
        return b"%d:" % len(x) + x
    if isinstance(x, list):
        return b"l" + b"".join(bencode(i) for i in x) + b"e"
    return b"d" + b"".join(bencode(k) + bencode(v) for k, v in sorted(x.items())) + b"e"


def bt_handshake(info_hash, peer_id):
    return b"\x13BitTorrent protocol" + bytes.fromhex("0000000000100005") + info_hash + peer_id


def bt_msg(mid, payload=b""):
    return struct.pack("!IB", len(payload) + 1, mid) + payload


def ovpn(op, body):
    """OpenVPN over TCP: 2-byte length, opcode<<3 | key id, body."""
    return u16(len(body) + 1) + bytes([op << 3]) + body


def case5(outdir):
    cap = Cap("b13_torrent_vpn.pcap", epoch(2025, 2, 8, 20, 31, 5),
              [dict(name="eno1", link="eth", cmac=mac("d8:bb:c1:4a:07:e2"), gmac=mac("7c:5a:1c:9e:33:f0"), vlan_out=20, snap=96)], fmt="pcap")
    ctx = Ctx(cap, 1305, cip="192.168.20.14", resolver="192.168.20.1", rttl=64, dns_rtt=0.016, edns=1232)
    rng = ctx.rng
    L = ctx.lookup
    me, BTP = ctx.cip, 51413
    ih, pid = bytes.fromhex("6d5b2d7b0e2f3b8e0cd53a4f1c3d8b9a2e7f6c51"), b"-qB5010-" + rng.randbytes(12)
    # -- OpenVPN over TCP 443 (not TLS on the wire; works for the whole capture)
    te = L(1.0, "ams-2.tcp.myvpn-service.net", [("ams-2.tcp.myvpn-service.net", "A", 300, "185.213.155.70")], [], tag="vpnd")
    vpn = Flow(ctx, "185.213.155.70", 443, 0.028, 52)
    t = vpn.handshake(te + 0.001, tag="vpn")
    sid = rng.randbytes(8)
    t = vpn.send_c(t + 0.0005, ovpn(7, sid + rng.randbytes(20) + struct.pack("!II", 1, 1738946000) + b"\x00" + struct.pack("!I", 0)), tag="vpnreset")
    t = vpn.bulk(t + vpn.owd + 0.001, ovpn(8, rng.randbytes(8) + rng.randbytes(20) + struct.pack("!II", 1, 1738946000) + b"\x01" + struct.pack("!I", 0) + sid + struct.pack("!I", 0)), 50e6, None, 1e9, "vpnsreset")
    for k in range(4):  # TLS inside the control channel
        t = vpn.send_c(t + 0.002, ovpn(4, rng.randbytes(rng.randrange(300, 1100))))
        t = vpn.bulk(t + vpn.owd + 0.002, b"".join(ovpn(4, rng.randbytes(rng.randrange(900, 1250))) for _ in range(rng.randrange(1, 4))), 50e6, None, 1e9, None)
    peer = b"\x00\x00\x07"
    data = lambda n: b"".join(ovpn(9, peer + rng.randbytes(rng.randrange(90, 1380))) for _ in range(n))
    tt = t + 0.5
    while tt < 232.0:
        if rng.random() < 0.4:
            tt = tso_send(vpn, tt, data(rng.randrange(200, 500)), per=20, rate=40e6, tag=None if hasattr(vpn, "tso1") else "vpntso") + 0.01
            vpn.tso1 = True
        vpn.send_c(tt, data(1))
        tt = vpn.bulk(tt + vpn.owd + 0.01, data(rng.randrange(30, 900)), 60e6, None, 1e9, None) + rng.uniform(2.0, 9.0)
    # -- trackers: the Debian HTTP tracker answers; one UDP tracker is dead; one tracker name no longer exists
    te = L(3.0, "bttracker.debian.org", [("bttracker.debian.org", "A", 300, "130.239.18.158")], [], tag="trd")
    peers_ok = [pub_ip(rng) for _ in range(5)]
    tresp = bencode({"complete": 412, "incomplete": 37, "interval": 900, "peers": b"".join(bytes(int(x) for x in a.split(".")) + u16(rng.randrange(10000, 65000)) for a in peers_ok)})
    http_session(ctx, te + 0.001, "130.239.18.158", 0.031, 50, [dict(host="bttracker.debian.org:6969", path="/announce?info_hash=m%5b-%7b%0e%2f%3b%8e%0c%d5%3aO%1c%3d%8b%9a.%7fl%51&peer_id=-qB5010-&port=51413&uploaded=0&downloaded=0&left=661651456&corrupt=0&event=started&numwant=200&compact=1&no_peer_id=1",
                 status="200 OK", ua="qBittorrent/5.0.1", headers=[("Content-Type", "text/plain"), ("Content-Length", str(len(tresp))), ("Pragma", "no-cache")], body=tresp, think=0.004)], tag="tr", close="server")
    L(3.2, "tracker.openbittorrent.com", [], [], rflags=0x8183, tag="trnx")
    te = L(3.4, "tracker.torrent.eu.org", [("tracker.torrent.eu.org", "A", 3600, "51.159.54.68")], [])
    usp = ctx.port()
    for k, dt in enumerate((0.0, 15.0, 45.0)):
        cap.add(te + 0.001 + dt, udp_pkt(me, "51.159.54.68", usp, 451, 64, struct.pack("!QII", 0x41727101980, 0, rng.getrandbits(32)), rng.randrange(65536)), True, 0, f"udptr{k}")
    # -- DHT: some nodes answer, some are gone (silence), some send ICMP port unreachable
    nid = rng.randbytes(20)
    for k in range(12):
        node, nport, tt = pub_ip(rng), rng.randrange(1024, 65000), 4.0 + k * rng.uniform(1.5, 4.0)
        tid = rng.randbytes(2)
        q = bencode({"a": {"id": nid, "info_hash": ih}, "q": "get_peers", "t": tid, "y": "q"})
        ix = cap.add(tt, udp_pkt(me, node, BTP, nport, 64, q, rng.randrange(65536)), True, 0, f"dht{k}")
        kind = k % 4
        if kind in (0, 1):
            r = bencode({"r": {"id": rng.randbytes(20), "nodes": rng.randbytes(208), "token": rng.randbytes(8)}, "t": tid, "y": "r"})
            cap.add(tt + rng.uniform(0.03, 0.2), udp_pkt(node, me, nport, BTP, rng.randrange(40, 56), r, rng.randrange(65536), False), False, 0)
        elif kind == 2:
            icmp_unreach(cap, tt + rng.uniform(0.03, 0.15), node, me, ip_of(cap.recs[ix]), 3, rng.randrange(44, 56), 12, tag=f"dhticmp{k}")
    # -- peers: dead, closed, unreachable, refusing the torrent, and working ones
    kinds = ["dead", "closed", "dead", "icmp_host", "ok", "nohash", "dead", "closed", "mse", "admin", "dead", "icmp_host", "ok", "nohash", "closed", "dead"]
    tt = 6.0
    for k, kind in enumerate(kinds):
        pip = peers_ok.pop() if kind in ("ok", "mse") and peers_ok else pub_ip(rng)
        pttl = rng.choice([rng.randrange(44, 58), rng.randrange(108, 120)])
        fl = Flow(ctx, pip, rng.randrange(10000, 65000), rng.uniform(0.03, 0.16), pttl, sos=rng.choice(["linuxsrv", "nots"]))
        g = f"p{k}{kind}"
        tt += rng.uniform(1.0, 9.0)
        if kind == "dead":
            for j, dt in enumerate((0.0, 1.0, 3.0)):
                fl.c(tt + dt, "S", seq=fl.ciss, tag=f"{g}syn{j}")
        elif kind == "closed":
            fl.c(tt, "S", tag=f"{g}syn")
            fl.forged(tt + fl.rtt, "RA", 0, fl.ciss + 1, pttl, 0, True, 0, tag=f"{g}rst")  # the peer's kernel: port closed
        elif kind in ("icmp_host", "admin"):
            for j, dt in enumerate((0.0, 1.0) if kind == "icmp_host" else (0.0,)):
                fl.c(tt + dt, "S", seq=fl.ciss, tag=f"{g}syn{j}")
                orig = ip_of(cap.recs[-1])
                if kind == "icmp_host":
                    rtr = ".".join(pip.split(".")[:3] + ["1"])
                    icmp_unreach(cap, tt + dt + fl.rtt * 0.9, rtr, me, orig, 1, 243, 13, tag=f"{g}icmp{j}")
                else:
                    icmp_unreach(cap, tt + dt + fl.rtt, pip, me, orig, 13, pttl, 14, tag=f"{g}icmp{j}")
        else:
            t = fl.handshake(tt, g)
            if kind == "mse":
                t = fl.send_c(t + 0.001, rng.randbytes(96 + rng.randrange(0, 512)), f"{g}mse")
                t = fl.bulk(t + fl.owd + 0.002, rng.randbytes(96 + rng.randrange(0, 512)), 20e6, None, 1e9, None)
                t = fl.send_c(t + 0.002, rng.randbytes(rng.randrange(120, 400)))
                t = fl.bulk(t + fl.owd + 0.01, rng.randbytes(rng.randrange(300000, 700000)), 25e6, None, 1e9, None)
                fl.close_client(t + 1.0, alert=False)
                continue
            t = fl.send_c(t + 0.001, bt_handshake(ih, pid), f"{g}hs")
            if kind == "nohash":  # the peer does not have this torrent: its own stack resets the connection
                fl.s(t + fl.rtt + 0.0004, "RA", win=0, tag=f"{g}rst")
                continue
            t = fl.bulk(t + fl.owd + 0.002, bt_handshake(ih, b"-TR4060-" + rng.randbytes(12)) + bt_msg(5, b"\xff" * 158) + bt_msg(1), 20e6, None, 1e9, None)
            t = fl.send_c(t + 0.001, bt_msg(2) + b"".join(bt_msg(6, struct.pack("!III", 600 + k, o * 16384, 16384)) for o in range(16)))
            t = fl.bulk(t + fl.owd + 0.003, b"".join(bt_msg(7, struct.pack("!II", 600 + k, o * 16384) + rng.randbytes(16384)) for o in range(16)), 25e6, None, 1e9, f"{g}piece")
            t = tso_send(fl, t + 0.05, b"".join(bt_msg(7, struct.pack("!II", 100 + o, 0) + rng.randbytes(16384)) for o in range(12)), per=16, rate=30e6, tag=f"{g}tso")
            fl.close_client(t + rng.uniform(2.0, 6.0), alert=False)
    # -- ordinary browsing and a QUIC connection
    sites = [(12.0, "www.reddit.com", "151.101.1.140", 0.012, 58), (48.0, "www.debian.org", "130.89.148.77", 0.019, 51), (77.0, "cdimage.debian.org", "194.71.11.173", 0.034, 52),
             (121.0, "github.com", "140.82.121.4", 0.028, 52), (170.0, "www.twitch.tv", "151.101.66.167", 0.012, 58), (205.0, "news.ycombinator.com", "209.216.230.207", 0.094, 49)]
    for i, (ts, name, addr, rtt, ttl) in enumerate(sites):
        te = L(ts, name, [(name, "A", 300, addr)], [], tag=f"sd{i}")
        ctx.https(te + 0.001, addr, name, rtt, ttl, resp=rng.randrange(40000, 200000), profile="firefox", tag=f"s{i}")
    te = L(95.0, "www.youtube.com", chain("www.youtube.com", ["youtube-ui.l.google.com"], ["142.250.186.46"], 300, 300), [])
    yq = Quic(ctx, "142.250.186.46", "www.youtube.com", 0.012, 117)
    t = yq.handshake(te + 0.001, tag="yq")
    for k in range(3):
        t = yq.exchange(t + rng.uniform(0.5, 6.0), up=1, down=rng.randrange(100000, 300000))
    p = os.path.join(outdir, cap.fname)
    n = cap.write(p)
    F = cap.frame
    about = (f"Linux desktop running qBittorrent (Debian ISO torrent), an OpenVPN client over TCP 443 and a browser; tcpdump -s 96 on eno1, so every frame is cut to 96 bytes; "
             f"outgoing frames carry an 802.1Q tag (VLAN 20) and received ones do not (the NIC strips received tags); uploads appear as TSO super-segments. {n} frames, ~225 s. "
             f"OpenVPN over TCP 443 sends no TLS records on the wire (2-byte length + opcode; P_CONTROL_HARD_RESET_CLIENT_V2 frame {F('vpnreset')}) and works for the whole capture "
             f"(TSO upload frame {F('vpntso')}). BitTorrent peers fail in ordinary ways: dead peers never answer their SYNs (e.g. frames {F('p0deadsyn0')}, {F('p0deadsyn1')}, {F('p0deadsyn2')}), "
             f"closed ports answer RST+ACK from the peer itself (frame {F('p1closedrst')}), unreachable hosts draw ICMP host unreachable from their ISP's router (frame {F('p3icmp_hosticmp0')}), "
             f"one peer's firewall answers ICMP administratively prohibited (frame {F('p9adminicmp0')}), and peers that do not have the torrent reset right after our BitTorrent handshake "
             f"(frames {F('p5nohashhs')}->{F('p5nohashrst')}, {F('p13nohashhs')}->{F('p13nohashrst')}: peer's own TTL, window 0, in sequence). Working peers exchange pieces "
             f"(frame {F('p4okpiecedata')}; our upload as TSO super-segments frame {F('p4oktso')}), one over MSE/PE encryption (random-looking bytes, frame {F('p8msemse')}). "
             f"DHT queries: half answered, some silent, some ICMP port unreachable (frame {F('dhticmp2')}). A dead UDP tracker never answers (frames {F('udptr0')}, {F('udptr1')}, {F('udptr2')}); "
             f"a defunct tracker name gets NXDOMAIN (frame {F('trnxrA')}); the Debian HTTP tracker answers (frame {F('tr0respdata')}). Browsing over HTTPS and QUIC works (QUIC Initial frame {F('yqini')}).")
    return cap.fname, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 6: a busy DNS day through systemd-resolved (lo) and Quad9 (eth0)
# pcapng with lo and eth0; lo packets reach the file in late batches (time stamps go
# backwards between interfaces); zero TCP/UDP checksums on outgoing eth0 packets (offload)
# ----------------------------------------------------------------------------

def soa(zone, rng):
    return ("." if zone == "." else zone, "SOA", 900, wire_name(zone if zone != "." else "a.root-servers.net") + wire_name("nstld.verisign-grs.com" if zone == "." else "hostmaster." + zone)
            + struct.pack("!IIIII", rng.randrange(2025010100, 2025123199), 1800, 900, 604800, 86400))


def signed(ans, zones, rng, inception):
    """Append an RRSIG after every RRset whose owner lies in a signed zone."""
    out, i = [], 0
    while i < len(ans):
        j = i
        while j < len(ans) and ans[j][:2] == ans[i][:2]:
            j += 1
        out += ans[i:j]
        name, ty, ttl = ans[i][0], ans[i][1], ans[i][2]
        z = next((z for z in zones if name == z or name.endswith("." + z)), None)
        if z:
            out.append((name, "RRSIG", ttl, rrsig(rng, ty, len(name.split(".")), ttl, z, inception)))
        i = j
    return out


class Stub:
    """systemd-resolved: applications ask 127.0.0.53 on lo; cache misses go upstream on eth0
    (EDNS, DO=1) to Quad9, which validates (AD) and includes RRSIGs for signed zones."""

    def __init__(self, cap, rng, cip, lo=1, up=0, servers=("9.9.9.9", "149.112.112.112"), rtt=0.011, inception=0):
        self.cap, self.rng, self.cip, self.lo, self.up, self.servers, self.rtt = cap, rng, cip, lo, up, servers, rtt
        self.cache, self.inception, self.used = {}, inception, set()

    def _port(self):
        while True:
            p = self.rng.randrange(32768, 61000)
            if p not in self.used:
                self.used.add(p)
                return p

    def _lo(self, t, src, dst, sp, dp, payload, tag=None):
        self.cap.add(t, udp_pkt(src, dst, sp, dp, 64, payload, self.rng.randrange(65536)), True, self.lo, tag)

    def ask(self, t, qname, qtype, ans=(), zones=(), rcode=0, auth=(), servfail_first=False, dup=False, fail_all=False, tag=None):
        rng, key = self.rng, (qname, qtype)
        aport, atx = self._port(), rng.randrange(65536)
        self._lo(t, "127.0.0.1", "127.0.0.53", aport, 53, dns_msg(atx, 0x0100, qname, qtype), tag and tag + "lq")
        c = self.cache.get(key)
        if c and c[0] > t:
            age = int(t - c[1])
            cans = [(n, ty, max(ttl - age, 1), rd) for n, ty, ttl, rd in c[2]]
            self._lo(t + 0.00012, "127.0.0.53", "127.0.0.1", 53, aport, dns_msg(atx, 0x8180, qname, qtype, cans), tag and tag + "la")
            return t + 0.00012
        tries = [self.servers[0]] + ([self.servers[1]] if servfail_first or fail_all else [])
        tu = t + 0.00015
        for k, srv in enumerate(tries):
            up, utx = self._port(), rng.randrange(65536)
            self.cap.add(tu, udp_pkt(self.cip, srv, up, 53, 64, dns_msg(utx, 0x0100, qname, qtype, edns=1232, do=True), rng.randrange(65536)), True, self.up, tag and f"{tag}uq{k}")
            ta = tu + self.rtt * rng.uniform(0.9, 1.3) + (0.35 if servfail_first and k == 0 else 0)
            bad = fail_all or (servfail_first and k == 0)
            if bad:
                r = dns_msg(utx, 0x8182, qname, qtype, edns=1232, do=True, opt=(u16(15) + u16(2) + u16(6)) if fail_all else (u16(15) + u16(2) + u16(22)))
            else:
                sa = signed(list(ans), zones, rng, self.inception)
                sau = signed(list(auth), zones, rng, self.inception)
                r = dns_msg(utx, 0x8180 | (0x20 if zones and (sa or sau) else 0) | rcode, qname, qtype, sa, edns=1232, do=True, auth=sau)
            self.cap.add(ta, udp_pkt(srv, self.cip, 53, up, 58 if srv == "9.9.9.9" else 57, r, rng.randrange(65536), False), False, self.up, tag and f"{tag}ua{k}")
            if dup and not bad:
                self.cap.add(ta + rng.uniform(0.0001, 0.0006), udp_pkt(srv, self.cip, 53, up, 58, r, rng.randrange(65536), False), False, self.up, tag and f"{tag}dup")
            tu = ta + 0.0002
        rc = 2 if fail_all else rcode
        self._lo(tu, "127.0.0.53", "127.0.0.1", 53, aport, dns_msg(atx, 0x8180 | rc, qname, qtype, [] if fail_all else list(ans), auth=[] if fail_all else list(auth)), tag and tag + "la")
        if ans and not fail_all and min(a[2] for a in ans) > 0:
            self.cache[key] = (t + min(a[2] for a in ans), t, list(ans))
        return tu


def case6(outdir):
    z = mac("00:00:00:00:00:00")
    cap = Cap("b13_dns_day.pcapng", epoch(2025, 6, 3, 13, 20, 0),
              [dict(name="eth0", link="eth", cmac=mac("10:7b:44:92:6e:0d"), gmac=mac("b0:be:76:51:2a:c8"), csum0=True, tsresol=6),
               dict(name="lo", link="eth", cmac=z, gmac=z, tsresol=6, flush=1.0)],
              fmt="pcapng", shb=dict(os="Linux 6.12.21-amd64", app="Dumpcap (Wireshark) 4.4.6"))
    ctx = Ctx(cap, 1306, cip="192.168.1.50", cip6=None, iface=0)
    rng = ctx.rng
    S = Stub(cap, random.Random(2306), ctx.cip, inception=epoch(2025, 5, 28, 0, 0, 0))
    nodata = lambda zone: [soa(zone, S.rng)]

    def both(t, name, a4, a6=(), zones=(), **kw):
        t1 = S.ask(t, name, "A", a4, zones, auth=() if a4 else nodata(name.split(".", 1)[1]), **kw)
        kw.pop("dup", None)
        kw.pop("servfail_first", None)
        t2 = S.ask(t + 0.00008, name, "AAAA", a6, zones, auth=() if a6 else nodata(name.split(".", 1)[1]), tag=kw.get("tag") and kw["tag"] + "6")
        return max(t1, t2)

    # DNSSEC-signed names (AD + RRSIG upstream), followed by the connections they were for
    ietf = chain("www.ietf.org", ["www.ietf.org.cdn.cloudflare.net"], ["104.16.44.99", "104.16.45.99"], 1800, 300)
    te = both(2.0, "www.ietf.org", ietf, chain("www.ietf.org", ["www.ietf.org.cdn.cloudflare.net"], ["2606:4700::6810:2c63", "2606:4700::6810:2d63"], 1800, 300, "AAAA"), ("ietf.org", "cloudflare.net"), tag="ietf")
    ctx.https(te + 0.001, "104.16.44.99", "www.ietf.org", 0.009, 58, resp=90000, sos="cdn", tag="ietfs")
    hrr = u16(1) + b"\x00" + u16(1) + u16(6) + b"\x02h3\x02h2" + u16(4) + u16(8) + bytes([104, 16, 132, 229, 104, 16, 133, 229])
    S.ask(6.0, "cloudflare.com", "HTTPS", [("cloudflare.com", "HTTPS", 300, hrr)], ("cloudflare.com",), tag="hrr")
    te = both(6.0002, "cloudflare.com", [("cloudflare.com", "A", 300, "104.16.132.229"), ("cloudflare.com", "A", 300, "104.16.133.229")],
              [("cloudflare.com", "AAAA", 300, "2606:4700::6810:84e5"), ("cloudflare.com", "AAAA", 300, "2606:4700::6810:85e5")], ("cloudflare.com",))
    q = Quic(ctx, "104.16.132.229", "cloudflare.com", 0.009, 58)
    t = q.handshake(te + 0.001, tag="cfq")
    q.exchange(t, up=2, down=120000)
    te = both(31.0, "www.isc.org", [("www.isc.org", "A", 3600, "151.101.2.217"), ("www.isc.org", "A", 3600, "151.101.66.217")], [], ("isc.org",), tag="isc")
    ctx.https(te + 0.001, "151.101.2.217", "www.isc.org", 0.010, 58, resp=60000, sos="cdn")
    # a long CNAME chain into a CDN (unsigned)
    ms = chain("www.microsoft.com", ["www.microsoft.com-c-3.edgekey.net", "www.microsoft.com-c-3.edgekey.net.globalredir.akadns.net", "e13678.dscb.akamaiedge.net"], ["23.51.224.59"], 3600, 20)
    te = both(12.0, "www.microsoft.com", ms, chain("www.microsoft.com", ["www.microsoft.com-c-3.edgekey.net", "www.microsoft.com-c-3.edgekey.net.globalredir.akadns.net", "e13678.dscb.akamaiedge.net"], ["2a02:26f0:3500:a8b::356e", "2a02:26f0:3500:a96::356e"], 3600, 20, "AAAA"), tag="ms")
    ctx.https(te + 0.001, "23.51.224.59", "www.microsoft.com", 0.008, 58, resp=150000, profile="chrome")
    ap = chain("www.apple.com", ["www.apple.com.edgekey.net", "www.apple.com.edgekey.net.globalredir.akadns.net", "e6858.dscx.akamaiedge.net"], ["23.38.123.216"], 600, 20)
    te = both(75.0, "www.apple.com", ap, [], tag="apple", dup=True)  # Quad9 delivers the A answer twice (identical)
    ctx.https(te + 0.001, "23.38.123.216", "www.apple.com", 0.008, 58, resp=120000)
    # load-balancer rotation: the same name, different addresses seconds apart (TTL 20)
    for k, ts in enumerate((18.0, 40.0, 66.0, 200.0)):
        ip = ["35.186.224.25", "35.186.224.47", "35.186.224.53", "35.186.224.24"][k]
        te = S.ask(ts, "api.spotify.com", "A", chain("api.spotify.com", ["edge-web.dual-gslb.spotify.com"], [ip], 300, 20), tag=f"spot{k}")
        ctx.https(te + 0.001, ip, "api.spotify.com", 0.011, 117, resp=rng.randrange(4000, 30000), profile="chrome", tag=f"spots{k}")
    for k, ts in enumerate((25.0, 160.0)):
        ips = [["162.159.200.1", "5.9.110.236", "78.46.102.180", "185.232.69.65"], ["213.209.109.44", "94.130.49.186", "162.159.200.123", "144.76.59.37"]][k]
        te = S.ask(ts, "2.debian.pool.ntp.org", "A", [("2.debian.pool.ntp.org", "A", 130, a) for a in ips], tag=f"pool{k}")
        ntp(ctx, te + 0.001, ips[0], 56, 0.012)
    # TTL 0: never cached, asked upstream every time
    wt = chain("api.weather.com", ["api-weather-com.gslb.twc.net"], ["23.212.250.144"], 300, 0)
    for k, ts in enumerate((44.0, 45.3, 47.9)):
        te = S.ask(ts, "api.weather.com", "A", wt, tag=f"w0{k}")
    ctx.https(te + 0.001, "23.212.250.144", "api.weather.com", 0.01, 57, resp=18000, tag="wx")
    te = S.ask(101.0, "myhome.dynv6.net", "A", [("myhome.dynv6.net", "A", 0, "91.64.77.203")], tag="dyn")
    ssh = Flow(ctx, "91.64.77.203", 22, 0.021, 55)
    t = ssh.handshake(te + 0.001, tag="ssh")
    t = ssh.send_c(t + 0.0004, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u5\r\n")
    t = ssh.bulk(t + ssh.owd + 0.002, b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.8\r\n", 20e6, None, 1e9, None)
    for k in range(8):
        t = ssh.send_c(t + rng.uniform(0.2, 3.0), rng.randbytes(rng.randrange(36, 200)))
        t = ssh.bulk(t + ssh.owd + 0.001, rng.randbytes(rng.randrange(36, 1400)), 20e6, None, 1e9, None)
    ssh.close_client(t + 2.0, alert=False)
    # failures: a deliberately broken DNSSEC zone (SERVFAIL + EDE 6 from both servers), a transient SERVFAIL then success, a typo
    S.ask(52.0, "dnssec-failed.org", "A", fail_all=True, tag="bogus")
    te = both(58.0, "www.nic.cz", [("www.nic.cz", "A", 1800, "217.31.205.50")], [("www.nic.cz", "AAAA", 1800, "2001:1488:0:3::2")], ("nic.cz",), servfail_first=True, tag="niccz")
    ctx.https(te + 0.001, "217.31.205.50", "www.nic.cz", 0.018, 56, resp=70000, tag="nicczs")
    S.ask(95.0, "gihtub.comm", "A", [], rcode=3, auth=[soa(".", S.rng)], zones=(".",), tag="nx")
    # more ordinary names, repeats served from the cache (lo only, TTL counting down)
    te = both(70.0, "deb.debian.org", chain("deb.debian.org", ["debian.map.fastly.net"], ["151.101.2.132", "151.101.66.132"], 300, 30), [], tag="deb")
    http_session(ctx, te + 0.001, "151.101.2.132", 0.009, 58, [dict(host="deb.debian.org", path="/debian/dists/bookworm/InRelease", status="304 Not Modified", ua="Debian APT-HTTP/1.3 (2.6.1)",
                 rh=[("If-Modified-Since", "Sat, 15 Mar 2025 09:55:37 GMT")], headers=[("Server", "Apache"), ("Via", "1.1 varnish"), ("X-Served-By", "cache-fra-etou8220041-FRA"), ("X-Cache", "HIT")], think=0.002)], tag="apt")
    for k, (ts, ip) in enumerate(((90.0, "140.82.121.4"), (152.0, "140.82.121.3"))):
        te = S.ask(ts, "github.com", "A", [("github.com", "A", 60, ip)], tag=f"gh{k}")
        ctx.https(te + 0.001, ip, "github.com", 0.027, 52, resp=80000)
    both(110.0, "www.ripe.net", [("www.ripe.net", "A", 300, "193.0.11.51")], [("www.ripe.net", "AAAA", 300, "2001:67c:2e8:22::c100:68b")], ("ripe.net",), tag="ripe")
    ctx.https(110.1, "193.0.11.51", "www.ripe.net", 0.016, 56, resp=50000)
    both(120.0, "www.ietf.org", ietf, [], ("ietf.org", "cloudflare.net"), tag="ietfc")
    te = S.ask(150.0, "www.reddit.com", "A", chain("www.reddit.com", ["reddit.map.fastly.net"], ["151.101.1.140", "151.101.65.140", "151.101.129.140", "151.101.193.140"], 300, 300), dup=True, tag="reddit")
    ctx.https(te + 0.001, "151.101.65.140", "www.reddit.com", 0.010, 58, resp=140000)
    both(170.0, "www.internetsociety.org", [("www.internetsociety.org", "A", 300, "104.18.17.166")], [], ("internetsociety.org",))
    te = both(185.0, "www.wikipedia.org", chain("www.wikipedia.org", ["dyna.wikimedia.org"], ["185.15.59.224"], 86400, 600), chain("www.wikipedia.org", ["dyna.wikimedia.org"], ["2a02:ec80:300:ed1a::1"], 86400, 600, "AAAA"))
    ctx.https(te + 0.001, "185.15.59.224", "www.wikipedia.org", 0.016, 56, resp=70000)
    te = S.ask(221.0, "incoming.telemetry.mozilla.org", "A", chain("incoming.telemetry.mozilla.org", ["telemetry-incoming.r53-2.services.mozilla.com"], ["34.120.208.123"], 60, 60))
    ctx.https(te + 0.001, "34.120.208.123", "incoming.telemetry.mozilla.org", 0.021, 119, resp=900)
    p = os.path.join(outdir, cap.fname)
    n = cap.write(p)
    F = cap.frame
    about = (f"Linux desktop with systemd-resolved; dumpcap on eth0 and lo. lo packets reach the file in 1 s batches, so time stamps go backwards between the two interfaces; "
             f"outgoing eth0 TCP/UDP checksums are 0 (offload). {n} frames, ~225 s. Every lookup appears twice: the application's query to 127.0.0.53 on lo and, on a cache miss, "
             f"resolved's own query to Quad9 on eth0 with other transaction IDs (and the lo answer carries fewer records and counts TTLs down when served from the cache, e.g. "
             f"www.ietf.org again at frame {F('ietfclq')}). Signed zones come back with AD and RRSIGs (www.ietf.org frame {F('ietfua0')}, www.nic.cz, www.ripe.net); HTTPS RR for cloudflare.com "
             f"(frame {F('hrrua0')}); a four-step CNAME chain into Akamai for www.microsoft.com (frame {F('msua0')}). api.spotify.com (TTL 20) rotates through four addresses across four lookups "
             f"(frames {F('spot0ua0')}, {F('spot1ua0')}, {F('spot2ua0')}, {F('spot3ua0')}), pool.ntp.org and github.com answer differently after their TTLs expire: load balancing, each answer then works. "
             f"api.weather.com has TTL 0, so it is asked upstream three times within 4 s (frames {F('w00ua0')}, {F('w01ua0')}, {F('w02ua0')}). Quad9 sends two answers identical byte for byte "
             f"(www.apple.com frames {F('appleua0')}/{F('appledup')}, www.reddit.com {F('redditua0')}/{F('redditdup')}): a duplicate, not a race. www.nic.cz gets SERVFAIL (EDE 22) from 9.9.9.9 "
             f"(frame {F('nicczua0')}) and the retry to 149.112.112.112 succeeds (frame {F('nicczua1')}); dnssec-failed.org, a deliberately broken test zone, gets SERVFAIL with EDE 6 (DNSSEC bogus) "
             f"from both servers (frames {F('bogusua0')}, {F('bogusua1')}); a typo gets NXDOMAIN (frame {F('nxua0')}). HTTPS, QUIC (frame {F('cfqini')}), HTTP (apt 304) and SSH all work.")
    return cap.fname, {"expect": [], "allow": [], "about": about}


CASES = [case1, case2, case3, case4, case5, case6]


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(outdir, exist_ok=True)
    exp = {}
    for c in CASES:
        name, info = c(outdir)
        exp[name] = info
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(exp, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
