#!/usr/bin/env python3
# ruff: noqa: B905, E501, RUF005, RUF046, UP031
"""Blind holdout round 6 (DNS / TLS / QUIC area): BENIGN false-positive traps.

Writes eight deterministic captures of ordinary, uncensored traffic plus expect.json
into OUTDIR.  Every capture nevertheless carries a surface feature that a naive
censorship detector could mistake for dns-injection, dns-tampering, tls-mitm,
blackhole or residual-blocking.  A correct analyzer must report no finding for any
of them (observations are fine).

    python blind6_benign_dns.py OUTDIR

All randomness comes from fixed seeds; two runs give byte-identical files.
Checksums and lengths are left to scapy.  QUIC Initial packets are genuinely
protected with the RFC 9001 v1 Initial keys (so Wireshark can decrypt them and read
the SNI) and the Retry packet carries a valid RFC 9001 integrity tag; later QUIC and
TLS 1.3 records are opaque random bytes of realistic size (their keys would come
from an ECDHE exchange that is not reproduced).  The one certificate in clear
(TLS 1.2, LAN router) is a well-formed self-signed X.509 built with `cryptography`
from a deterministically generated RSA-2048 key.
"""

import calendar
import datetime
import hashlib
import hmac
import ipaddress
import json
import os
import random
import struct
import sys
from decimal import Decimal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.utils import PcapNgWriter, PcapWriter

# ---------------------------------------------------------------------------
# Common addresses
# ---------------------------------------------------------------------------

CLIENT_IP = "192.168.1.23"
CLIENT_MAC = "3c:22:fb:8e:41:07"   # laptop
ROUTER_IP = "192.168.1.1"
ROUTER_MAC = "04:d9:f5:6a:10:c8"   # home router (also the default gateway)


def utc(y, mo, d, h, mi, s):
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))


# ---------------------------------------------------------------------------
# Capture container
# ---------------------------------------------------------------------------

class Capture:
    """Collects frames with absolute timestamps (integer microseconds)."""

    def __init__(self, base_epoch):
        self.base_us = base_epoch * 1_000_000
        self.frames = []
        self._n = 0

    def add(self, t, pkt):
        t_us = self.base_us + int(round(t * 1_000_000))
        self.frames.append((t_us, self._n, pkt))
        self._n += 1

    def write(self, path, pcapng=False):
        frames = sorted(self.frames, key=lambda f: (f[0], f[1]))
        last = -1
        for t_us, _, pkt in frames:
            assert t_us >= last
            last = t_us
            pkt.time = Decimal(t_us) / Decimal(1_000_000)
        if pcapng:
            w = PcapNgWriter(path)
        else:
            w = PcapWriter(path, linktype=1, sync=True)
        for _, _, pkt in frames:
            w.write(pkt)
        w.close()
        return len(frames)


class IPIdCounter:
    def __init__(self, rng):
        self.ids = {}
        self.rng = rng

    def next(self, ip):
        if ip not in self.ids:
            self.ids[ip] = self.rng.randrange(0x0400, 0xF000)
        self.ids[ip] = (self.ids[ip] + 1) & 0xFFFF
        return self.ids[ip]


def l2(src_ip, dst_ip):
    """Ethernet header as seen on the client's LAN segment."""
    if src_ip == CLIENT_IP:
        return Ether(src=CLIENT_MAC, dst=ROUTER_MAC)
    return Ether(src=ROUTER_MAC, dst=CLIENT_MAC)


def udp_pkt(ipid, src, dst, sport, dport, payload, ttl, df=True):
    return (l2(src, dst) / IP(src=src, dst=dst, ttl=ttl, id=ipid.next(src), flags="DF" if df else 0)
            / UDP(sport=sport, dport=dport) / Raw(payload))


# ---------------------------------------------------------------------------
# TCP flow helper (client-side vantage, Linux-like options)
# ---------------------------------------------------------------------------

class TCPFlow:
    def __init__(self, cap, ipid, rng, srv, cport, sport, s_ttl, rtt, *, c_ttl=64,
                 s_mss=1460, s_win=65535, s_ws=9, c_win_est=502, s_win_est=1050):
        self.cap, self.ipid, self.rng = cap, ipid, rng
        self.cli, self.srv, self.cport, self.sport = CLIENT_IP, srv, cport, sport
        self.c_ttl, self.s_ttl, self.rtt = c_ttl, s_ttl, rtt
        self.cseq = rng.getrandbits(32)
        self.sseq = rng.getrandbits(32)
        self.c_ts0 = rng.getrandbits(31)
        self.s_ts0 = rng.getrandbits(31)
        self.c_last_ts = 0
        self.s_last_ts = 0
        self.s_mss, self.s_win, self.s_ws = s_mss, s_win, s_ws
        self.c_win_est, self.s_win_est = c_win_est, s_win_est
        self.seg = 1448  # MSS minus timestamp option
        self.cwnd = 10   # server congestion window in segments (IW10, slow start)

    def _ts(self, from_client, t):
        if from_client:
            v = (self.c_ts0 + int(t * 1000)) & 0xFFFFFFFF
            self.c_last_ts = v
            return [("NOP", None), ("NOP", None), ("Timestamp", (v, self.s_last_ts))]
        v = (self.s_ts0 + int(t * 1000)) & 0xFFFFFFFF
        self.s_last_ts = v
        # the server can only echo a client timestamp sent at least one RTT earlier
        ecr = min(self.c_last_ts, (self.c_ts0 + int((t - self.rtt) * 1000)) & 0xFFFFFFFF)
        return [("NOP", None), ("NOP", None), ("Timestamp", (v, ecr))]

    def _emit(self, t, from_client, flags, payload=b"", options=None, window=None):
        if from_client:
            src, dst, sp, dp, ttl = self.cli, self.srv, self.cport, self.sport, self.c_ttl
            seq, ack = self.cseq, self.sseq
            win = self.c_win_est if window is None else window
        else:
            src, dst, sp, dp, ttl = self.srv, self.cli, self.sport, self.cport, self.s_ttl
            seq, ack = self.sseq, self.cseq
            win = self.s_win_est if window is None else window
        if options is None:
            options = self._ts(from_client, t)
        tcp = TCP(sport=sp, dport=dp, flags=flags, seq=seq, ack=ack if "A" in flags else 0,
                  window=win, options=options)
        pkt = l2(src, dst) / IP(src=src, dst=dst, ttl=ttl, id=self.ipid.next(src), flags="DF") / tcp
        if payload:
            pkt = pkt / Raw(payload)
        self.cap.add(t, pkt)

    def handshake(self, t):
        c_ts = (self.c_ts0 + int(t * 1000)) & 0xFFFFFFFF
        self.c_last_ts = c_ts
        syn_opts = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (c_ts, 0)), ("NOP", None), ("WScale", 7)]
        self._emit(t, True, "S", options=syn_opts, window=64240)
        self.cseq = (self.cseq + 1) & 0xFFFFFFFF
        t2 = t + self.rtt
        s_ts = (self.s_ts0 + int(t2 * 1000)) & 0xFFFFFFFF
        self.s_last_ts = s_ts
        sa_opts = [("MSS", self.s_mss), ("SAckOK", b""), ("Timestamp", (s_ts, c_ts)), ("NOP", None), ("WScale", self.s_ws)]
        self._emit(t2, False, "SA", options=sa_opts, window=self.s_win)
        self.sseq = (self.sseq + 1) & 0xFFFFFFFF
        t3 = t2 + 0.000045
        self._emit(t3, True, "A")
        return t3

    def c_send(self, t, data, gap=0.000012):
        """Client sends data; returns time of last segment."""
        off = 0
        while off < len(data):
            chunk = data[off:off + self.seg]
            self._emit(t, True, "PA" if off + len(chunk) >= len(data) else "A", chunk)
            self.cseq = (self.cseq + len(chunk)) & 0xFFFFFFFF
            off += len(chunk)
            if off < len(data):
                t += gap
        return t

    def s_send(self, t, data, gap=0.000110, ack_every=2, ack_delay=0.000060):
        """Server data arriving at the client; the client ACKs every `ack_every` segments."""
        off = 0
        n = 0
        in_flight = 0
        while off < len(data):
            if in_flight >= self.cwnd:
                # window exhausted: the next burst leaves the server when the ACKs reach it
                t += self.rtt - gap
                self.cwnd = min(self.cwnd * 2, 80)
                in_flight = 0
            chunk = data[off:off + self.seg]
            last = off + len(chunk) >= len(data)
            self._emit(t, False, "PA" if last else "A", chunk)
            self.sseq = (self.sseq + len(chunk)) & 0xFFFFFFFF
            off += len(chunk)
            n += 1
            in_flight += 1
            if n % ack_every == 0 or last:
                self._emit(t + ack_delay, True, "A")
            t += gap
        return t - gap + ack_delay

    def s_ack(self, t):
        self._emit(t, False, "A")
        return t

    def c_ack(self, t):
        self._emit(t, True, "A")
        return t

    def close_by_client(self, t):
        self._emit(t, True, "FA")
        self.cseq = (self.cseq + 1) & 0xFFFFFFFF
        t2 = t + self.rtt
        self._emit(t2, False, "FA")
        self.sseq = (self.sseq + 1) & 0xFFFFFFFF
        self._emit(t2 + 0.000040, True, "A")
        return t2 + 0.000040


# ---------------------------------------------------------------------------
# DNS message encoder (own encoder: exact control of bytes, name compression)
# ---------------------------------------------------------------------------

T_A, T_NS, T_CNAME, T_SOA, T_AAAA, T_OPT, T_HTTPS = 1, 2, 5, 6, 28, 41, 65


class DNSBuilder:
    def __init__(self):
        self.buf = bytearray()
        self.names = {}

    def name(self, name, compress=True):
        labels = [x for x in name.rstrip(".").split(".") if x]
        out = bytearray()
        for i in range(len(labels)):
            suffix = ".".join(labels[i:]).lower()
            if compress and suffix in self.names:
                out += struct.pack("!H", 0xC000 | self.names[suffix])
                self.buf += out
                return
            pos = len(self.buf) + len(out)
            if pos < 0x3FFF:
                self.names.setdefault(suffix, pos)
            out += bytes([len(labels[i])]) + labels[i].encode()
        out += b"\x00"
        self.buf += out


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def dns_message(txid, flags, questions, answers=(), authority=(), additional=()):
    """questions: [(name, qtype)]; RRs: (name, type, ttl, rdata) where rdata is bytes, or
    ('name', target) for CNAME/NS, or a callable(builder) appending rdata itself.
    An OPT RR is given as ('', T_OPT, (udp_size, ttl_field), options_bytes)."""
    b = DNSBuilder()
    b.buf += struct.pack("!HHHHHH", txid, flags, len(questions), len(answers), len(authority), len(additional))
    for qn, qt in questions:
        b.name(qn)
        b.buf += struct.pack("!HH", qt, 1)
    for rr in list(answers) + list(authority) + list(additional):
        name, rtype, ttl, rdata = rr
        if rtype == T_OPT:
            b.buf += b"\x00" + struct.pack("!HHI", T_OPT, ttl[0], ttl[1])
            b.buf += struct.pack("!H", len(rdata)) + rdata
            continue
        b.name(name)
        b.buf += struct.pack("!HHI", rtype, 1, ttl)
        lenpos = len(b.buf)
        b.buf += b"\x00\x00"
        if isinstance(rdata, tuple) and rdata[0] == "name":
            b.name(rdata[1])
        elif callable(rdata):
            rdata(b)
        else:
            b.buf += rdata
        rdlen = len(b.buf) - lenpos - 2
        b.buf[lenpos:lenpos + 2] = struct.pack("!H", rdlen)
    return bytes(b.buf)


def a_rr(name, ttl, addr):
    return (name, T_A, ttl, ip4(addr))


# ---------------------------------------------------------------------------
# TLS encoding helpers
# ---------------------------------------------------------------------------

def u8(n):
    return struct.pack("!B", n)


def u16(n):
    return struct.pack("!H", n)


def u24(n):
    return struct.pack("!I", n)[1:]


def vec8(b):
    return u8(len(b)) + b


def vec16(b):
    return u16(len(b)) + b


def ext(etype, data):
    return u16(etype) + vec16(data)


def hs_msg(mtype, body):
    return u8(mtype) + u24(len(body)) + body


def record(ctype, body, ver=0x0303):
    return u8(ctype) + u16(ver) + vec16(body)


def sni_ext(name):
    n = name.encode()
    return ext(0, vec16(b"\x00" + vec16(n)))


def alpn_ext(protos):
    return ext(16, vec16(b"".join(vec8(p.encode()) for p in protos)))


SIG_ALGS = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201]


def client_hello(rng, sni, *, alpn=("h2", "http/1.1"), key_shares=None, groups=(0x001D, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101),
                 session_id=None, random_bytes=None, quic_tp=None, ech=None, tls12_ok=True, pad_to=None, cookie=None):
    """A Firefox-like TLS 1.3 ClientHello handshake message (no record header)."""
    rnd = random_bytes if random_bytes is not None else rng.randbytes(32)
    sid = session_id if session_id is not None else rng.randbytes(32)
    if quic_tp is not None:
        suites = [0x1301, 0x1303, 0x1302]
    else:
        suites = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A, 0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    if key_shares is None:
        key_shares = [(0x001D, rng.randbytes(32))]
    exts = b""
    if sni is not None:
        exts += sni_ext(sni)
    if quic_tp is None:
        exts += ext(23, b"")                       # extended_master_secret
        exts += ext(0xFF01, b"\x00")               # renegotiation_info
    exts += ext(10, vec16(b"".join(u16(g) for g in groups)))
    if quic_tp is None:
        exts += ext(11, vec8(b"\x00"))              # ec_point_formats
        exts += ext(35, b"")                       # session_ticket
    if alpn:
        exts += alpn_ext(alpn)
    exts += ext(5, b"\x01\x00\x00\x00\x00")        # status_request
    exts += ext(34, vec16(b"".join(u16(s) for s in (0x0403, 0x0503, 0x0603, 0x0203))))  # delegated_credentials
    exts += ext(51, vec16(b"".join(u16(g) + vec16(k) for g, k in key_shares)))
    versions = [0x0304, 0x0303] if (tls12_ok and quic_tp is None) else [0x0304]
    exts += ext(43, vec8(b"".join(u16(v) for v in versions)))
    exts += ext(13, vec16(b"".join(u16(s) for s in SIG_ALGS)))
    exts += ext(45, vec8(b"\x01"))                 # psk_key_exchange_modes: psk_dhe_ke
    exts += ext(28, u16(0x4001))                   # record_size_limit
    if cookie is not None:
        exts += ext(44, vec16(cookie))
    if quic_tp is not None:
        exts += ext(0x39, quic_tp)
    if ech is not None:
        exts += ext(0xFE0D, ech)
    body = u16(0x0303) + rnd + vec8(sid) + vec16(b"".join(u16(s) for s in suites)) + vec8(b"\x00")
    if pad_to is not None:
        cur = len(body) + 2 + len(exts) + 4
        if cur + 4 < pad_to:
            exts += ext(21, b"\x00" * (pad_to - cur - 4))
    body += vec16(exts)
    return hs_msg(1, body)


HRR_RANDOM = hashlib.sha256(b"HelloRetryRequest").digest()   # RFC 8446 4.1.3 special value


def server_hello13(rng, session_id, *, group=0x001D, key=None, random_bytes=None, psk_identity=None, hrr_group=None, cookie=None, suite=0x1301):
    rnd = random_bytes if random_bytes is not None else rng.randbytes(32)
    exts = ext(43, u16(0x0304))
    if hrr_group is not None:
        rnd = HRR_RANDOM
        exts += ext(51, u16(hrr_group))
        if cookie is not None:
            exts += ext(44, vec16(cookie))
    else:
        if key is None:
            key = rng.randbytes(32 if group == 0x001D else 65)
        exts += ext(51, u16(group) + vec16(key))
        if psk_identity is not None:
            exts += ext(41, u16(psk_identity))
    body = u16(0x0303) + rnd + vec8(session_id) + u16(suite) + b"\x00" + vec16(exts)
    return hs_msg(2, body)


def opaque_app_records(rng, plain_len, max_plain=16384):
    """TLS 1.3 ApplicationData records carrying `plain_len` bytes of encrypted content."""
    out = b""
    while plain_len > 0:
        n = min(plain_len, max_plain)
        out += record(23, rng.randbytes(n + 1 + 16))
        plain_len -= n
    return out


CCS = record(20, b"\x01")


def tls13_over_tcp(flow, rng, t, ch_msg, *, server_flight_len, resp_len, req_len=420, srv_proc=0.004,
                   sh_msg=None, tickets=2, idle_after=None, close=True):
    """Full TLS 1.3 handshake + one request/response on an established TCP flow.
    Returns the time of the last packet."""
    sid = ch_msg[4 + 2 + 32 + 1:4 + 2 + 32 + 1 + ch_msg[4 + 2 + 32]]
    t = flow.c_send(t, record(22, ch_msg, ver=0x0301))
    if sh_msg is None:
        sh_msg = server_hello13(rng, sid)
    srv_first = record(22, sh_msg) + CCS + opaque_app_records(rng, server_flight_len)
    t = flow.s_send(t + flow.rtt + srv_proc, srv_first)
    # client CCS + Finished + HTTP request
    cfin = CCS + record(23, rng.randbytes(32 + 1 + 16))
    t = flow.c_send(t + 0.0009, cfin + opaque_app_records(rng, req_len))
    # server: session tickets, then the response
    srv = b"".join(record(23, rng.randbytes(rng.randrange(230, 260))) for _ in range(tickets))
    srv += opaque_app_records(rng, resp_len)
    t = flow.s_send(t + flow.rtt + 0.012, srv)
    if close:
        t = t + (idle_after if idle_after is not None else 1.5)
        t = flow.c_send(t, record(23, rng.randbytes(2 + 1 + 16)))   # close_notify
        t = flow.close_by_client(t + 0.00002)
    return t


# ---------------------------------------------------------------------------
# QUIC v1 Initial protection (RFC 9001)
# ---------------------------------------------------------------------------

QUIC_V1_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")
RETRY_KEY = bytes.fromhex("be0c690b9f66575a1d766b54e368c84e")
RETRY_NONCE = bytes.fromhex("461599d35d632bf2239825bb")


def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand_label(secret, label, length, ctx=b""):
    full = b"tls13 " + label
    info = u16(length) + vec8(full) + vec8(ctx)
    out, blk, i = b"", b"", 1
    while len(out) < length:
        blk = hmac.new(secret, blk + info + bytes([i]), hashlib.sha256).digest()
        out += blk
        i += 1
    return out[:length]


def initial_keys(dcid, side):
    init = hkdf_extract(QUIC_V1_SALT, dcid)
    sec = hkdf_expand_label(init, b"client in" if side == "client" else b"server in", 32)
    return (hkdf_expand_label(sec, b"quic key", 16), hkdf_expand_label(sec, b"quic iv", 12),
            hkdf_expand_label(sec, b"quic hp", 16))


def varint(v):
    if v < 0x40:
        return u8(v)
    if v < 0x4000:
        return u16(0x4000 | v)
    if v < 0x40000000:
        return struct.pack("!I", 0x80000000 | v)
    return struct.pack("!Q", 0xC000000000000000 | v)


def quic_initial(key_cid, side, dcid, scid, pn, frames, token=b"", pad_payload_to=None):
    """Build one protected Initial packet. key_cid = the client's DCID the keys derive from."""
    key, iv, hp = initial_keys(key_cid, side)
    pn_len = 2
    payload = frames
    if pad_payload_to is not None and len(payload) < pad_payload_to:
        payload += b"\x00" * (pad_payload_to - len(payload))
    first = 0xC0 | (0 << 4) | (pn_len - 1)
    hdr = u8(first) + struct.pack("!I", 1) + vec8(dcid) + vec8(scid) + varint(len(token)) + token
    length = pn_len + len(payload) + 16
    hdr += struct.pack("!H", 0x4000 | length)
    pn_off = len(hdr)
    hdr += struct.pack("!H", pn)
    nonce = bytes(a ^ b for a, b in zip(iv, b"\x00" * 4 + struct.pack("!Q", pn)))
    ct = AESGCM(key).encrypt(nonce, payload, hdr)
    sample = ct[4 - pn_len:4 - pn_len + 16]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(hdr)
    h[0] ^= mask[0] & 0x0F
    for i in range(pn_len):
        h[pn_off + i] ^= mask[1 + i]
    return bytes(h) + ct


def quic_opaque_long(rng, ptype, dcid, scid, total):
    """A Handshake (ptype 2) long-header packet of `total` bytes with opaque protected content."""
    first = 0xC0 | (ptype << 4) | rng.randrange(16)
    hdr = u8(first) + struct.pack("!I", 1) + vec8(dcid) + vec8(scid)
    body_len = total - len(hdr) - 2
    assert body_len >= 24
    return hdr + struct.pack("!H", 0x4000 | body_len) + rng.randbytes(body_len)


def quic_handshake_fill(rng, dcid, scid, used, target=1200):
    """Opaque Handshake packet that pads a coalesced datagram to `target` bytes."""
    return quic_opaque_long(rng, 2, dcid, scid, target - used)


def quic_short(rng, dcid, total):
    """A 1-RTT short-header packet of `total` bytes with opaque protected content."""
    body_len = total - 1 - len(dcid)
    assert body_len >= 21
    first = 0x40 | (rng.randrange(64) & 0x1F) | (rng.randrange(2) << 5)
    return u8(first) + dcid + rng.randbytes(body_len)


def quic_retry(odcid, dcid, scid, token, unused_bits):
    pkt = u8(0xF0 | unused_bits) + struct.pack("!I", 1) + vec8(dcid) + vec8(scid) + token
    pseudo = vec8(odcid) + pkt
    tag = AESGCM(RETRY_KEY).encrypt(RETRY_NONCE, b"", pseudo)
    return pkt + tag


def crypto_frame(data, offset=0):
    return u8(0x06) + varint(offset) + varint(len(data)) + data


def ack_frame(largest, delay=0, first_range=0):
    return u8(0x02) + varint(largest) + varint(delay) + varint(0) + varint(first_range)


def quic_transport_params(scid):
    def tp(i, v):
        return varint(i) + varint(len(v)) + v
    p = b""
    p += tp(0x01, varint(30000))          # max_idle_timeout
    p += tp(0x03, varint(1472))           # max_udp_payload_size
    p += tp(0x04, varint(12582912))       # initial_max_data
    p += tp(0x05, varint(1048576))        # initial_max_stream_data_bidi_local
    p += tp(0x06, varint(1048576))        # initial_max_stream_data_bidi_remote
    p += tp(0x07, varint(1048576))        # initial_max_stream_data_uni
    p += tp(0x08, varint(100))            # initial_max_streams_bidi
    p += tp(0x09, varint(103))            # initial_max_streams_uni
    p += tp(0x0E, varint(8))              # active_connection_id_limit
    p += tp(0x0F, scid)                   # initial_source_connection_id
    return p


def quic_client_hello(rng, sni, scid):
    return client_hello(rng, sni, alpn=("h3",), session_id=b"", groups=(0x001D, 0x0017, 0x0018, 0x0019),
                        quic_tp=quic_transport_params(scid))


def quic_server_hello(rng):
    return server_hello13(rng, b"")


# ---------------------------------------------------------------------------
# Deterministic RSA key + self-signed certificate
# ---------------------------------------------------------------------------

SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


def is_probable_prime(n, rng, rounds=40):
    for p in SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = rng.randrange(2, n - 2)
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


def det_prime(rng, bits, e=65537):
    while True:
        c = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if c % e != 1 and is_probable_prime(c, rng):
            return c


def det_rsa_key(seed, bits=2048):
    rng = random.Random(seed)
    e = 65537
    while True:
        p = det_prime(rng, bits // 2)
        q = det_prime(rng, bits // 2)
        if p != q and (p * q).bit_length() == bits:
            break
    if p < q:
        p, q = q, p
    d = pow(e, -1, (p - 1) * (q - 1))
    nums = rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q),
                                 rsa.rsa_crt_iqmp(p, q), rsa.RSAPublicNumbers(e, p * q))
    return nums.private_key()


def router_certificate(key):
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ASUSTeK Computer Inc."),
        x509.NameAttribute(NameOID.COMMON_NAME, "router.asus.com"),
    ])
    b = (x509.CertificateBuilder()
         .subject_name(name).issuer_name(name)
         .public_key(key.public_key())
         .serial_number(0x5F3A9C21)
         .not_valid_before(datetime.datetime(2023, 6, 14, 17, 2, 41, tzinfo=datetime.UTC))
         .not_valid_after(datetime.datetime(2033, 6, 11, 17, 2, 41, tzinfo=datetime.UTC))
         .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=False)
         .add_extension(x509.SubjectAlternativeName([
             x509.DNSName("router.asus.com"), x509.DNSName("www.asusrouter.com"),
             x509.IPAddress(ipaddress.ip_address("192.168.1.1"))]), critical=False)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    cert = b.sign(key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


# ---------------------------------------------------------------------------
# Scenario 1: DNS over UDP truncated (TC=1) -> same query over TCP, longer answer
# ---------------------------------------------------------------------------

# Public addresses used as Bitcoin peers: hosting / residential blocks, none bogon,
# none from published GFW poison pools.
PEER_PREFIXES = ["88.99", "95.216", "135.181", "65.21", "51.38", "54.36", "137.74", "134.209",
                 "159.89", "167.99", "84.112", "73.93", "24.18", "86.140", "178.62", "94.130",
                 "185.216", "82.64", "91.198", "213.239", "46.4", "5.9", "23.88", "45.33"]


def gen_dns_truncated_tcp(path):
    """BENIGN: an ordinary stub resolver (glibc, no EDNS) asks the home router's DNS
    forwarder for A seed.bitcoin.sipa.be, the DNS seed Bitcoin Core queries on first
    start.  The seed returns a large round-robin RRset.  The UDP answer does not fit in
    512 bytes, so the forwarder returns as many A records as fit (29) and sets TC=1.
    glibc then repeats the very same query (same transaction ID) over TCP and gets all
    37 records.  The client then connects to three peers, two of which appear only
    in the TCP answer; all three complete the Bitcoin version/verack exchange.

    A naive detector keyed on (txid, qname) sees two responses to one query with
    different answer sets and calls it dns-injection (an 'early' short answer raced by
    a 'late' long one).  An expert sees: the first response has TC set, the second
    arrives over TCP from the same resolver, same IP TTL, same DNS TTL, the UDP set is
    a strict subset of the TCP set, and the peers answer.  Normal RFC 1035/7766
    truncation fallback, no interference."""
    rng = random.Random(0xB6D1)
    ipid = IPIdCounter(rng)
    cap = Capture(utc(2025, 3, 11, 8, 14, 3))
    qname = "seed.bitcoin.sipa.be"
    addrs = []
    while len(addrs) < 37:
        a = "%s.%d.%d" % (rng.choice(PEER_PREFIXES), rng.randrange(1, 255), rng.randrange(2, 254))
        if a not in addrs:
            addrs.append(a)
    txid = 0x6C3E
    q = dns_message(txid, 0x0100, [(qname, T_A)])
    t = 0.0
    cport = 46721
    cap.add(t, udp_pkt(ipid, CLIENT_IP, ROUTER_IP, cport, 53, q, 64))
    udp_ans = []
    for a in addrs:
        trial = dns_message(txid, 0x8380, [(qname, T_A)], [a_rr(qname, 60, x) for x in udp_ans + [a]])
        if len(trial) > 512:
            break
        udp_ans.append(a)
    assert len(udp_ans) < len(addrs)
    r_udp = dns_message(txid, 0x8380, [(qname, T_A)], [a_rr(qname, 60, x) for x in udp_ans])
    assert len(r_udp) <= 512
    t += 0.0234
    cap.add(t, udp_pkt(ipid, ROUTER_IP, CLIENT_IP, 53, cport, r_udp, 64))
    # TCP retry (same query bytes, same ID), answer served from the forwarder's cache
    flow = TCPFlow(cap, ipid, rng, ROUTER_IP, 39881, 53, s_ttl=64, rtt=0.00042, s_win=28960, s_ws=7, s_win_est=227)
    t = flow.handshake(t + 0.00071)
    t = flow.c_send(t + 0.00003, u16(len(q)) + q)
    flow.s_ack(t + 0.00035)
    r_tcp = dns_message(txid, 0x8180, [(qname, T_A)], [a_rr(qname, 60, x) for x in addrs])
    t = flow.s_send(t + 0.00112, u16(len(r_tcp)) + r_tcp, ack_every=1)
    t = flow.close_by_client(t + 0.00021)
    # Bitcoin Core opens outbound connections to peers from the full list
    magic = bytes.fromhex("f9beb4d9")

    def btc_msg(cmd, payload):
        chk = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
        return magic + cmd.encode().ljust(12, b"\x00") + struct.pack("<I", len(payload)) + chk + payload

    def version_payload(ts, dst, ua, height):
        def netaddr(ip, port):
            return struct.pack("<Q", 0) + b"\x00" * 10 + b"\xff\xff" + ip4(ip) + struct.pack("!H", port)
        return (struct.pack("<iQq", 70016, 0x0C09, ts) + netaddr(dst, 8333) + netaddr("0.0.0.0", 0)
                + struct.pack("<Q", rng.getrandbits(64)) + vec8(ua.encode()) + struct.pack("<i?", height, True))

    peers = [addrs[len(udp_ans) + 1], addrs[len(udp_ans) + 4], addrs[3]]
    t += 0.35
    for i, peer in enumerate(peers):
        rtt = [0.0318, 0.0874, 0.0452][i]
        f = TCPFlow(cap, ipid, rng, peer, 49152 + rng.randrange(12000), 8333, s_ttl=[52, 47, 55][i], rtt=rtt,
                    s_ws=[7, 8, 9][i], s_win_est=[501, 249, 128][i])
        tt = f.handshake(t + i * 0.0021)
        now = cap.base_us // 1_000_000 + int(tt)
        tt = f.c_send(tt + 0.0003, btc_msg("version", version_payload(now, peer, "/Satoshi:27.0.0/", 0)))
        tt = f.s_send(tt + rtt + 0.0012, btc_msg("version", version_payload(now, "192.168.1.23", "/Satoshi:26.1.0/", 885432 + i)) + btc_msg("verack", b""), ack_every=1)
        tt = f.c_send(tt + 0.0002, btc_msg("verack", b""))
        f.s_ack(tt + rtt)
    return cap.write(path)


# ---------------------------------------------------------------------------
# Scenario 2: retransmitted query with a NEW id, round-robin rotation, both answered
# ---------------------------------------------------------------------------

def ntp_ts(unix_s):
    sec = int(unix_s)
    frac = int((unix_s - sec) * (1 << 32)) & 0xFFFFFFFF
    return struct.pack("!II", sec + 2208988800, frac)


def gen_dns_retry_newid_rotation(path):
    """BENIGN: chronyd resolves 2.debian.pool.ntp.org through 1.1.1.1.  The first
    query (ID 0x3f0a) gets no answer within 1 s (upstream authoritative slow), so the
    stub re-sends on the same socket with a fresh random ID (0xa417).  Both attempts
    are eventually answered, each exactly once, 9 ms apart.  The NTP pool's
    authoritative servers hand out 4 different servers per query and the two attempts
    were resolved by different cache instances of the anycast resolver, so the two
    A sets are disjoint (pool rotation, TTL 130 on both).  chronyd then talks NTP to
    the servers and they all answer.

    A naive detector grouping responses by (client port, qname) sees two answers for
    one name on one socket within 10 ms with disjoint addresses and reports
    dns-injection.  An expert matches responses by transaction ID: each ID has exactly
    one response, same IP TTL (57) and DNS TTL, from the real resolver, and every
    returned address is a working NTP server.  No interference."""
    rng = random.Random(0xB6D2)
    ipid = IPIdCounter(rng)
    base = utc(2025, 3, 12, 6, 2, 17)
    cap = Capture(base)
    qname = "2.debian.pool.ntp.org"
    res = "1.1.1.1"
    set1 = ["185.232.69.65", "94.16.114.254", "162.159.200.1", "78.46.87.46"]
    set2 = ["213.209.109.44", "5.45.97.204", "144.76.76.107", "195.201.20.16"]
    cport = 51034
    id1, id2 = 0x3F0A, 0xA417
    t = 0.0
    cap.add(t, udp_pkt(ipid, CLIENT_IP, res, cport, 53, dns_message(id1, 0x0100, [(qname, T_A)]), 64))
    t2 = 1.0003
    cap.add(t2, udp_pkt(ipid, CLIENT_IP, res, cport, 53, dns_message(id2, 0x0100, [(qname, T_A)]), 64))
    cap.add(1.0617, udp_pkt(ipid, res, CLIENT_IP, 53, cport, dns_message(id1, 0x8180, [(qname, T_A)], [a_rr(qname, 130, a) for a in set1]), 57))
    cap.add(1.0709, udp_pkt(ipid, res, CLIENT_IP, 53, cport, dns_message(id2, 0x8180, [(qname, T_A)], [a_rr(qname, 130, a) for a in set2]), 57))
    # chronyd (iburst) polls the servers from the answer it accepted (the first one to
    # arrive) and, after its next re-resolution, a server from the second set.
    srv_ttl = {a: rng.choice([50, 52, 54, 55, 56, 57, 58]) for a in set1 + set2}
    srv_rtt = {a: rng.uniform(0.009, 0.031) for a in set1 + set2}
    t = 1.0781
    for burst in range(4):
        for k, a in enumerate(set1):
            ts = t + burst * 2.0 + k * 0.00031
            tx = base + ts
            req = b"\x23\x00\x06\xe7" + b"\x00" * 12 + b"\x00" * 24 + ntp_ts(tx + rng.random() * 0.5)
            cap.add(ts, udp_pkt(ipid, CLIENT_IP, a, 123, 123, req, 64))
            rx = base + ts + srv_rtt[a] / 2
            resp = (b"\x24\x02\x06\xe9" + struct.pack("!II", 0x00000120 + k, 0x00000310 + burst)
                    + ip4(["192.53.103.108", "131.188.3.222", "129.69.253.1", "194.58.202.20"][k])
                    + ntp_ts(tx - 40.5) + req[40:48] + ntp_ts(rx) + ntp_ts(rx + 0.000021))
            cap.add(ts + srv_rtt[a], udp_pkt(ipid, a, CLIENT_IP, 123, 123, resp, srv_ttl[a], df=False))
    a = set2[1]
    ts = 9.4
    req = b"\x23\x00\x06\xe7" + b"\x00" * 36 + ntp_ts(base + ts + 0.271)
    cap.add(ts, udp_pkt(ipid, CLIENT_IP, a, 123, 123, req, 64))
    rx = base + ts + srv_rtt[a] / 2
    resp = b"\x24\x02\x06\xe9" + struct.pack("!II", 0x1A0, 0x2F0) + ip4("192.53.103.104") + ntp_ts(rx - 61.2) + req[40:48] + ntp_ts(rx) + ntp_ts(rx + 0.000018)
    cap.add(ts + srv_rtt[a], udp_pkt(ipid, a, CLIENT_IP, 123, 123, resp, srv_ttl[a], df=False))
    return cap.write(path)


# ---------------------------------------------------------------------------
# Scenario 3: low-TTL CDN answer, re-query 5 minutes later returns other addresses
# ---------------------------------------------------------------------------

def gen_dns_lowttl_requery(path):
    """BENIGN: a browser resolves www.amazon.com (CNAME chain ending on a CloudFront
    name with a 60 s TTL) and fetches the page over TLS 1.3 from the first edge.  318 s
    later, after the 60 s TTL expired, the same name is resolved again through the same
    resolver: the cached CNAMEs come back with decremented TTLs, the CloudFront name
    now maps to four addresses of a different edge site.  A second TLS 1.3 connection
    to the new edge succeeds as well.

    A naive detector comparing answers for one name inside one capture sees two
    disjoint address sets (no overlap, different /16) and reports dns-tampering, or
    treats the first edge never being contacted again as residual blocking.  An expert
    notes the short TTL, the identical CNAME chain whose TTLs count down consistently
    (1800 -> 1482), both sets inside CloudFront space, and two successful handshakes
    with the same SNI.  Ordinary CDN load steering, no interference."""
    rng = random.Random(0xB6D3)
    ipid = IPIdCounter(rng)
    cap = Capture(utc(2025, 3, 13, 19, 41, 52))
    name = "www.amazon.com"
    c1 = "tp.47cf2c8c9-frontier.amazon.com"
    c2 = "d3ag4hukkh62yn.cloudfront.net"
    set1 = ["18.66.147.12", "18.66.147.44", "18.66.147.97", "18.66.147.130"]
    set2 = ["108.157.60.8", "108.157.60.35", "108.157.60.61", "108.157.60.117"]

    def lookup(t, txid, cport, ttl1, ttl2, addrs):
        q = dns_message(txid, 0x0100, [(name, T_A)], additional=[("", T_OPT, (1232, 0), b"")])
        cap.add(t, udp_pkt(ipid, CLIENT_IP, ROUTER_IP, cport, 53, q, 64))
        ans = [(name, T_CNAME, ttl1, ("name", c1)), (c1, T_CNAME, ttl2, ("name", c2))] + [a_rr(c2, 60, a) for a in addrs]
        r = dns_message(txid, 0x8180, [(name, T_A)], ans, additional=[("", T_OPT, (1232, 0), b"")])
        cap.add(t + 0.0187, udp_pkt(ipid, ROUTER_IP, CLIENT_IP, 53, cport, r, 64))
        return t + 0.0187

    t = lookup(0.0, 0x2B71, 40211, 1800, 60, set1)
    f = TCPFlow(cap, ipid, rng, set1[1], 44318, 443, s_ttl=246, rtt=0.0114, s_mss=1440, s_ws=9, s_win_est=283)
    f.seg = 1428
    t = f.handshake(t + 0.0006)
    t = tls13_over_tcp(f, rng, t + 0.0001, client_hello(rng, name, pad_to=512), server_flight_len=5071, resp_len=61234, idle_after=42.7)
    t = lookup(318.2114, 0x91D4, 58702, 1482, 60, set2)
    f = TCPFlow(cap, ipid, rng, set2[1], 44377, 443, s_ttl=245, rtt=0.0172, s_mss=1440, s_ws=9, s_win_est=283)
    f.seg = 1428
    t = f.handshake(t + 0.0006)
    tls13_over_tcp(f, rng, t + 0.0001, client_hello(rng, name, pad_to=512), server_flight_len=5071, resp_len=48211, idle_after=35.1)
    return cap.write(path, pcapng=True)


# ---------------------------------------------------------------------------
# Scenario 4: TLS 1.3 HelloRetryRequest, then a normal handshake
# ---------------------------------------------------------------------------

def gen_tls13_hrr(path):
    """BENIGN: the client (OpenSSL 3.0 defaults) sends a single X25519 key share.  The
    server's TLS stack only allows NIST P-256 (e.g. a FIPS-mode load balancer) and
    answers with a HelloRetryRequest (a ServerHello whose random is the fixed
    SHA-256("HelloRetryRequest") value, selecting group secp256r1) plus a
    middlebox-compatibility ChangeCipherSpec.  The client sends a second ClientHello
    with the same SNI and a P-256 share, and the handshake and an HTTP/2 exchange
    complete.

    A naive detector may read the tiny 'ServerHello' with a constant random as an
    injected/forged server response, or count two ClientHellos for the same SNI in
    one connection as 'first ClientHello went unanswered' (blackhole) or as a
    handshake restart forced by a middlebox.  An expert knows RFC 8446 §4.1.4: HRR is
    the server's own message, from the server's IP TTL, answered in one RTT; the
    connection completes and carries data.  No interference."""
    rng = random.Random(0xB6D4)
    ipid = IPIdCounter(rng)
    cap = Capture(utc(2025, 3, 14, 14, 7, 30))
    name = "www.ssa.gov"
    srv = "137.200.39.18"
    q = dns_message(0x5E02, 0x0100, [(name, T_A)])
    cap.add(0.0, udp_pkt(ipid, CLIENT_IP, ROUTER_IP, 35001, 53, q, 64))
    r = dns_message(0x5E02, 0x8180, [(name, T_A)], [a_rr(name, 300, srv)])
    cap.add(0.0291, udp_pkt(ipid, ROUTER_IP, CLIENT_IP, 53, 35001, r, 64))
    f = TCPFlow(cap, ipid, rng, srv, 52740, 443, s_ttl=49, rtt=0.0683, s_mss=1380, s_ws=8, s_win_est=514)
    f.seg = 1368
    t = f.handshake(0.0305)
    rnd = rng.randbytes(32)
    sid = rng.randbytes(32)
    groups = (0x001D, 0x0017, 0x001E, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104)
    ch1 = client_hello(rng, name, alpn=("h2", "http/1.1"), random_bytes=rnd, session_id=sid, groups=groups,
                       key_shares=[(0x001D, rng.randbytes(32))])
    t = f.c_send(t + 0.0002, record(22, ch1, ver=0x0301))
    f.s_ack(t + f.rtt)
    cookie = rng.randbytes(64)
    hrr = server_hello13(rng, sid, hrr_group=0x0017, cookie=cookie)
    t = f.s_send(t + f.rtt + 0.0021, record(22, hrr) + CCS)
    p256 = b"\x04" + rng.randbytes(64)
    ch2 = client_hello(rng, name, alpn=("h2", "http/1.1"), random_bytes=rnd, session_id=sid, groups=groups,
                       key_shares=[(0x0017, p256)], cookie=cookie)
    sh = server_hello13(rng, sid, group=0x0017, key=b"\x04" + rng.randbytes(64))
    # the client's CCS precedes the second ClientHello (RFC 8446 D.4)
    f.c_send(t + 0.0004, CCS + record(22, ch2))
    t = t + 0.0004
    srv_first = record(22, sh) + opaque_app_records(rng, 4410)
    t = f.s_send(t + f.rtt + 0.0058, srv_first)
    t = f.c_send(t + 0.0011, record(23, rng.randbytes(32 + 1 + 16)) + opaque_app_records(rng, 388))
    srv2 = record(23, rng.randbytes(249)) + record(23, rng.randbytes(249)) + opaque_app_records(rng, 23719)
    t = f.s_send(t + f.rtt + 0.041, srv2)
    t = f.c_send(t + 2.5, record(23, rng.randbytes(19)))
    f.close_by_client(t + 0.00002)
    return cap.write(path)


# ---------------------------------------------------------------------------
# Scenario 5: LAN router admin page with its own self-signed certificate
# ---------------------------------------------------------------------------

def gen_lan_router_selfsigned(path):
    """BENIGN: the user opens https://router.asus.com:8443/ to reach the admin page of
    their own ASUS router.  The router's DNS forwarder (dnsmasq) answers this vendor
    name locally with its own LAN address 192.168.1.1 (TTL 0, local data) and no AAAA.
    The browser then does TLS 1.2 with the router, which presents the self-signed
    certificate it generated at first boot (issuer = subject = router.asus.com,
    ASUSTeK), and the admin page is fetched.

    A naive detector sees (a) a private address in the answer for a name under a
    public domain, reported as dns-tampering, and (b) an untrusted self-signed issuer
    for the requested SNI, reported as tls-mitm.  An expert sees that the resolver,
    the answer and the TLS server are all the same LAN device at 192.168.1.1, the
    traffic never leaves the home network (no gateway hop, TTL 64), and the
    certificate is the device's own default; that is how consumer routers expose
    their admin UI.  No interference."""
    rng = random.Random(0xB6D5)
    ipid = IPIdCounter(rng)
    cap = Capture(utc(2025, 3, 15, 10, 22, 4))
    name = "router.asus.com"
    qa = dns_message(0x1D07, 0x0100, [(name, T_A)])
    qaaaa = dns_message(0x4E88, 0x0100, [(name, T_AAAA)])
    cap.add(0.0, udp_pkt(ipid, CLIENT_IP, ROUTER_IP, 48870, 53, qa, 64))
    cap.add(0.000061, udp_pkt(ipid, CLIENT_IP, ROUTER_IP, 48870, 53, qaaaa, 64))
    cap.add(0.000598, udp_pkt(ipid, ROUTER_IP, CLIENT_IP, 53, 48870, dns_message(0x1D07, 0x8580, [(name, T_A)], [a_rr(name, 0, ROUTER_IP)]), 64))
    cap.add(0.000702, udp_pkt(ipid, ROUTER_IP, CLIENT_IP, 53, 48870, dns_message(0x4E88, 0x8580, [(name, T_AAAA)]), 64))
    key = det_rsa_key(0xA5A5B6D5)
    cert = router_certificate(key)
    f = TCPFlow(cap, ipid, rng, ROUTER_IP, 50122, 8443, s_ttl=64, rtt=0.00061, s_win=28960, s_ws=4, s_win_est=1825)
    t = f.handshake(0.0011)
    c_rand = rng.randbytes(32)
    ch = client_hello(rng, name, alpn=("h2", "http/1.1"), random_bytes=c_rand, pad_to=512)
    t = f.c_send(t + 0.0001, record(22, ch, ver=0x0301))
    f.s_ack(t + 0.0004)
    s_rand = rng.randbytes(32)   # TLS 1.2-only server: no downgrade sentinel
    s_sid = rng.randbytes(32)
    sh_exts = ext(0xFF01, b"\x00") + ext(11, vec8(b"\x00\x01\x02")) + ext(23, b"")
    sh = hs_msg(2, u16(0x0303) + s_rand + vec8(s_sid) + u16(0xC02F) + b"\x00" + vec16(sh_exts))
    certmsg = hs_msg(11, u24(len(cert) + 3) + u24(len(cert)) + cert)
    ecdh_pub = rng.randbytes(32)
    params = b"\x03" + u16(0x001D) + vec8(ecdh_pub)
    sig = key.sign(c_rand + s_rand + params, padding.PKCS1v15(), hashes.SHA256())
    ske = hs_msg(12, params + u16(0x0401) + vec16(sig))
    shd = hs_msg(14, b"")
    flight = record(22, sh + certmsg + ske + shd)
    t = f.s_send(t + 0.0187, flight, gap=0.00004)   # RSA signing on a small router CPU
    cke = hs_msg(16, vec8(rng.randbytes(32)))
    t = f.c_send(t + 0.0008, record(22, cke) + CCS + record(22, rng.randbytes(40)))
    ticket = hs_msg(4, struct.pack("!I", 300) + vec16(rng.randbytes(176)))
    t = f.s_send(t + 0.0031, record(22, ticket) + CCS + record(22, rng.randbytes(40)), gap=0.00004)
    req = record(23, rng.randbytes(8 + 512 + 16))
    t = f.c_send(t + 0.0004, req)
    f.s_ack(t + 0.0005)
    resp = b"".join(record(23, rng.randbytes(8 + n + 16)) for n in (4096, 4096, 4096, 1731))
    t = f.s_send(t + 0.0143, resp, gap=0.00004)
    t = f.c_send(t + 0.0302, record(23, rng.randbytes(8 + 498 + 16)))
    t = f.s_send(t + 0.0098, record(23, rng.randbytes(8 + 2210 + 16)), gap=0.00004)
    t = f.c_send(t + 4.8, record(21, rng.randbytes(8 + 2 + 16)))
    f.close_by_client(t + 0.00002)
    return cap.write(path)


# ---------------------------------------------------------------------------
# Scenario 6: QUIC Initial answered with a Retry, then the handshake completes
# ---------------------------------------------------------------------------

def quic_completion(cap, ipid, rng, t, srv, cport, s_ttl, rtt, dcid_srv, scid_cli, key_cid, c_pn_next,
                    resp_datagrams):
    """Server Initial+Handshake flight, client finishes, short-header exchange, close."""
    sh = quic_server_hello(rng)
    s_init = quic_initial(key_cid, "server", scid_cli, dcid_srv, 0, ack_frame(c_pn_next - 1) + crypto_frame(sh))
    hs1 = quic_handshake_fill(rng, scid_cli, dcid_srv, len(s_init))
    t += rtt
    cap.add(t, udp_pkt(ipid, srv, CLIENT_IP, 443, cport, s_init + hs1, s_ttl, df=False))
    for n in (1200, 1200, 987):
        t += 0.00004
        cap.add(t, udp_pkt(ipid, srv, CLIENT_IP, 443, cport, quic_opaque_long(rng, 2, scid_cli, dcid_srv, n), s_ttl, df=False))
    # client: Initial ACK (padded) + Handshake ACK
    t += 0.0011
    c_init = quic_initial(key_cid, "client", dcid_srv, scid_cli, c_pn_next, ack_frame(0), pad_payload_to=1162)
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, c_init, 64))
    t += 0.00007
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_opaque_long(rng, 2, dcid_srv, scid_cli, 79), 64))
    # client Finished (Handshake) + first 1-RTT packets (SETTINGS, request)
    t += 0.0041
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_opaque_long(rng, 2, dcid_srv, scid_cli, 112), 64))
    for n in (70, 52, 331):
        t += 0.00006
        cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_short(rng, dcid_srv, n), 64))
    # server: HANDSHAKE_DONE etc, then the response
    t += rtt + 0.0093
    for n in resp_datagrams:
        cap.add(t, udp_pkt(ipid, srv, CLIENT_IP, 443, cport, quic_short(rng, scid_cli, n), s_ttl, df=False))
        t += 0.00005
        if rng.random() < 0.4:
            cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_short(rng, dcid_srv, 46), 64))
            t += 0.00003
    t += 0.0004
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_short(rng, dcid_srv, 48), 64))
    # idle, then the client closes (CONNECTION_CLOSE in a 1-RTT packet)
    t += 3.2
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_short(rng, dcid_srv, 55), 64))
    return t


def gen_quic_retry(path):
    """BENIGN: an HTTP/3 client connects to cloudflare-quic.com.  The server validates
    the client address by answering the first Initial with a Retry packet (valid RFC
    9001 integrity tag, new connection ID, 56-byte token).  The client re-sends its
    ClientHello (same SNI) in a new Initial carrying the token and addressed to the
    Retry's connection ID; the server then sends its Initial and Handshake packets, the
    handshake completes and an HTTP/3 response is received.

    A naive detector sees the first Initial (SNI cloudflare-quic.com) not followed by a
    server Initial/Handshake on that connection ID and reports a QUIC blackhole, or
    treats the short server packet without TLS content as injected.  An expert
    recognises the Retry (long-header type 3, from the server's address with its usual
    TTL, 1 RTT later) and sees the connection succeed.  No interference."""
    rng = random.Random(0xB6D6)
    ipid = IPIdCounter(rng)
    cap = Capture(utc(2025, 3, 16, 21, 33, 9))
    name = "cloudflare-quic.com"
    srv = "104.18.29.137"
    q = dns_message(0x0C55, 0x0100, [(name, T_A)])
    cap.add(0.0, udp_pkt(ipid, CLIENT_IP, ROUTER_IP, 41730, 53, q, 64))
    r = dns_message(0x0C55, 0x8180, [(name, T_A)], [a_rr(name, 300, srv), a_rr(name, 300, "104.18.28.137")])
    cap.add(0.0153, udp_pkt(ipid, ROUTER_IP, CLIENT_IP, 53, 41730, r, 64))
    cport = 61244
    odcid = rng.randbytes(8)
    scid = rng.randbytes(8)
    ch = quic_client_hello(rng, name, scid)
    rtt = 0.0143
    t = 0.0161
    init1 = quic_initial(odcid, "client", odcid, scid, 0, crypto_frame(ch), pad_payload_to=1162)
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, init1, 64))
    retry_scid = rng.randbytes(20)
    token = rng.randbytes(56)
    t += rtt
    cap.add(t, udp_pkt(ipid, srv, CLIENT_IP, 443, cport, quic_retry(odcid, scid, retry_scid, token, rng.randrange(16)), 58, df=False))
    t += 0.00021
    init2 = quic_initial(retry_scid, "client", retry_scid, scid, 1, crypto_frame(ch), token=token, pad_payload_to=1162 - len(token) - 1)
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, init2, 64))
    quic_completion(cap, ipid, rng, t, srv, cport, 58, rtt, retry_scid, scid, retry_scid, 2,
                    [1200] * 12 + [871, 64])
    return cap.write(path)


# ---------------------------------------------------------------------------
# Scenario 7: first QUIC Initial lost, second one (same SNI) answered
# ---------------------------------------------------------------------------

def gen_quic_initial_lost(path):
    """BENIGN: Chrome opens an HTTP/3 connection to www.google.com.  The first Initial
    datagram is lost on a congested Wi-Fi hop; after its probe timeout (~300 ms, no RTT
    sample yet) the client retransmits the ClientHello in a new Initial (same
    connection IDs, same SNI, packet number 1).  The server answers that one within
    one RTT and the connection completes and carries data.

    A naive detector flags 'QUIC Initial with SNI www.google.com unanswered' as a
    blackhole, or the retransmission with identical SNI as the start of residual
    blocking.  An expert sees that the retransmitted Initial is answered, on the same
    connection, and the flow completes; one lost datagram is ordinary loss.  No
    interference."""
    rng = random.Random(0xB6D7)
    ipid = IPIdCounter(rng)
    cap = Capture(utc(2025, 3, 17, 7, 55, 48))
    name = "www.google.com"
    srv = "142.250.185.100"
    q = dns_message(0x7AB3, 0x0100, [(name, T_A)])
    cap.add(0.0, udp_pkt(ipid, CLIENT_IP, ROUTER_IP, 57311, 53, q, 64))
    r = dns_message(0x7AB3, 0x8180, [(name, T_A)], [a_rr(name, 300, srv)])
    cap.add(0.0122, udp_pkt(ipid, ROUTER_IP, CLIENT_IP, 53, 57311, r, 64))
    cport = 55892
    dcid = rng.randbytes(8)
    scid = b""          # Chrome uses a zero-length source connection ID
    ch = quic_client_hello(rng, name, scid)
    t = 0.0131
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_initial(dcid, "client", dcid, scid, 0, crypto_frame(ch), pad_payload_to=1220), 64))
    t += 0.3002
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_initial(dcid, "client", dcid, scid, 1, crypto_frame(ch), pad_payload_to=1220), 64))
    srv_cid = rng.randbytes(8)
    # server Initial acknowledges packet number 1 only (it never saw number 0)
    rtt = 0.0187
    sh = quic_server_hello(rng)
    s_init = quic_initial(dcid, "server", scid, srv_cid, 0, ack_frame(1) + crypto_frame(sh))
    t += rtt
    cap.add(t, udp_pkt(ipid, srv, CLIENT_IP, 443, cport, s_init + quic_handshake_fill(rng, scid, srv_cid, len(s_init)), 118, df=False))
    for n in (1200, 1200, 604):
        t += 0.00003
        cap.add(t, udp_pkt(ipid, srv, CLIENT_IP, 443, cport, quic_opaque_long(rng, 2, scid, srv_cid, n), 118, df=False))
    t += 0.0009
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_initial(dcid, "client", srv_cid, scid, 2, ack_frame(0), pad_payload_to=1220), 64))
    t += 0.0031
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_opaque_long(rng, 2, srv_cid, scid, 91), 64))
    for n in (60, 42, 410):
        t += 0.00005
        cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_short(rng, srv_cid, n), 64))
    t += rtt + 0.0214
    for i in range(18):
        n = 1200 if i < 16 else (703 if i == 16 else 57)
        cap.add(t, udp_pkt(ipid, srv, CLIENT_IP, 443, cport, quic_short(rng, b"", n), 118, df=False))
        t += 0.00004
        if i % 2 == 1:
            cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_short(rng, srv_cid, 31), 64))
            t += 0.00002
    t += 0.0003
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_short(rng, srv_cid, 34), 64))
    # a second request on the open connection 4 s later
    t += 4.07
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_short(rng, srv_cid, 197), 64))
    t += rtt + 0.0331
    for n in (1200, 1200, 1200, 512):
        cap.add(t, udp_pkt(ipid, srv, CLIENT_IP, 443, cport, quic_short(rng, b"", n), 118, df=False))
        t += 0.00004
    t += 0.0002
    cap.add(t, udp_pkt(ipid, CLIENT_IP, srv, cport, 443, quic_short(rng, srv_cid, 33), 64))
    return cap.write(path)


# ---------------------------------------------------------------------------
# Scenario 8: ECH connection, outer SNI cloudflare-ech.com
# ---------------------------------------------------------------------------

def gen_tls_ech(path):
    """BENIGN: a browser with ECH enabled visits crypto.cloudflare.com (Cloudflare's
    own ECH test page).  It asks the resolver for A and HTTPS records; the HTTPS
    record carries an ECHConfigList whose public_name is cloudflare-ech.com.  The TLS
    1.3 ClientHello therefore shows the outer SNI cloudflare-ech.com and an
    encrypted_client_hello (0xfe0d) extension; the real name is inside.  Cloudflare
    accepts ECH, the handshake completes and the page and a follow-up request load.

    A naive detector sees an SNI (cloudflare-ech.com) that differs from the name just
    resolved (crypto.cloudflare.com) and reports tls-mitm / name mismatch, or treats
    the ECH extension (like ESNI 0xffce, which China blocks) as a trigger and calls the
    later, new connection to the same IP residual blocking.  An expert knows ECH: the
    outer name is the provider's public name advertised in the site's own HTTPS
    record, the server is in Cloudflare space with a normal TTL, and every connection
    completes.  No interference."""
    rng = random.Random(0xB6D8)
    ipid = IPIdCounter(rng)
    cap = Capture(utc(2025, 3, 18, 16, 12, 40))
    name = "crypto.cloudflare.com"
    outer = "cloudflare-ech.com"
    addrs = ["162.159.137.85", "162.159.138.85"]
    v6 = ["2606:4700:7::a29f:8955", "2606:4700:7::a29f:8a55"]
    ech_pub = rng.randbytes(32)
    cfg_id = rng.randrange(256)
    ech_contents = (u8(cfg_id) + u16(0x0020) + vec16(ech_pub) + vec16(u16(0x0001) + u16(0x0001))
                    + u8(0) + vec8(outer.encode()) + vec16(b""))
    ech_config_list = vec16(u16(0xFE0D) + vec16(ech_contents))

    def https_rdata(b):
        b.buf += u16(1)
        b.buf += b"\x00"                 # TargetName "." (uncompressed root)
        params = b""
        params += u16(1) + vec16(vec8(b"h3") + vec8(b"h2"))
        params += u16(4) + vec16(b"".join(ip4(a) for a in addrs))
        params += u16(5) + vec16(ech_config_list)
        params += u16(6) + vec16(b"".join(ipaddress.ip_address(a).packed for a in v6))
        b.buf += params

    opt = [("", T_OPT, (1232, 0), b"")]
    qa = dns_message(0x33A0, 0x0100, [(name, T_A)], additional=opt)
    qh = dns_message(0x8F1C, 0x0100, [(name, T_HTTPS)], additional=opt)
    cap.add(0.0, udp_pkt(ipid, CLIENT_IP, ROUTER_IP, 60388, 53, qa, 64))
    cap.add(0.000084, udp_pkt(ipid, CLIENT_IP, ROUTER_IP, 60389, 53, qh, 64))
    cap.add(0.0141, udp_pkt(ipid, ROUTER_IP, CLIENT_IP, 53, 60388, dns_message(0x33A0, 0x8180, [(name, T_A)], [a_rr(name, 300, a) for a in addrs], additional=opt), 64))
    cap.add(0.0152, udp_pkt(ipid, ROUTER_IP, CLIENT_IP, 53, 60389, dns_message(0x8F1C, 0x8180, [(name, T_HTTPS)], [(name, T_HTTPS, 300, https_rdata)], additional=opt), 64))

    def ech_ext():
        enc = rng.randbytes(32)
        payload = rng.randbytes(rng.choice([239, 271]))
        return u8(0) + u16(0x0001) + u16(0x0001) + u8(cfg_id) + vec16(enc) + vec16(payload)

    t = 0.0158
    for k, (cport, gap) in enumerate([(43512, 0.0), (43530, 11.84)]):
        t += gap
        f = TCPFlow(cap, ipid, rng, addrs[0], cport, 443, s_ttl=58, rtt=0.0097, s_mss=1400, s_ws=13, s_win_est=8)
        f.seg = 1388
        t = f.handshake(t)
        ch = client_hello(rng, outer, alpn=("h2", "http/1.1"), ech=ech_ext(),
                          key_shares=[(0x001D, rng.randbytes(32)), (0x0017, b"\x04" + rng.randbytes(64))])
        t = tls13_over_tcp(f, rng, t + 0.0002, ch, server_flight_len=3391, resp_len=[14874, 2210][k],
                           idle_after=[6.2, 3.4][k])
    return cap.write(path, pcapng=True)


# ---------------------------------------------------------------------------

CAPTURES = [
    ("b6d_dns_truncated_tcp.pcap", gen_dns_truncated_tcp,
     "Two responses with the same ID and name carry different A sets (29 vs 37 records), but the first is a UDP answer with TC=1 and the second the RFC 7766 TCP retry to the same resolver, its superset: normal truncation fallback, not a racing forged answer."),
    ("b6d_dns_retry_newid_rotation.pcap", gen_dns_retry_newid_rotation,
     "Two answers with disjoint A sets for 2.debian.pool.ntp.org arrive 9 ms apart on one client socket, but they answer two different transaction IDs (a 1 s retry with a fresh ID), each exactly once, from the real resolver with the same TTLs; NTP pool rotation, not injection."),
    ("b6d_dns_lowttl_requery.pcapng", gen_dns_lowttl_requery,
     "www.amazon.com resolves to disjoint CloudFront address sets 318 s apart, but the CloudFront TTL is 60 s, the cached CNAME chain counts down consistently and TLS to both edges succeeds; CDN load steering, not DNS tampering or residual blocking."),
    ("b6d_tls13_hello_retry.pcap", gen_tls13_hrr,
     "The first ClientHello is answered only by a short HelloRetryRequest with a constant random and the client sends a second ClientHello, which can look like a forged server reply or an unanswered ClientHello, but HRR is the server's own RFC 8446 group negotiation and the handshake and data transfer complete."),
    ("b6d_lan_router_selfsigned.pcap", gen_lan_router_selfsigned,
     "router.asus.com resolves to 192.168.1.1 and the TLS server presents a self-signed certificate, which looks like bogon DNS tampering plus an untrusted-issuer MITM, but resolver, answer and server are the user's own router on the LAN serving its admin UI with its default certificate."),
    ("b6d_quic_retry.pcap", gen_quic_retry,
     "The first QUIC Initial (SNI cloudflare-quic.com) gets no server Initial on its connection ID, which looks like a QUIC blackhole, but the server answered it with a valid Retry and the retried Initial completes the handshake and HTTP/3 exchange."),
    ("b6d_quic_initial_lost.pcap", gen_quic_initial_lost,
     "A QUIC Initial with SNI www.google.com goes unanswered, which looks like SNI blackholing, but it is a single lost datagram: the PTO retransmission 300 ms later on the same connection is answered in one RTT and the connection carries data."),
    ("b6d_tls_ech_cloudflare.pcapng", gen_tls_ech,
     "The ClientHello SNI cloudflare-ech.com differs from the resolved name crypto.cloudflare.com and carries an ECH extension, which looks like a name mismatch or an ESNI-style trigger, but it is standard ECH with the public name from the site's own HTTPS record and both connections complete."),
]


def main():
    if len(sys.argv) != 2:
        print("usage: blind6_benign_dns.py OUTDIR", file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    expect = {}
    for fname, gen, why in CAPTURES:
        n = gen(os.path.join(out, fname))
        expect[fname] = {"expect": [], "why": why}
        print("%-40s %5d frames" % (fname, n))
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=1, sort_keys=False)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
