#!/usr/bin/env python3
# ruff: noqa: E501, F841, RUF015, RUF034, RUF059
"""Blind round 20, positive captures: censorship as it hits apps and protocols other than the
web browser (messaging apps, DoT stub resolvers, circumvention proxies, app media hosts,
app update checks).  Run:  python blind20_positive.py OUTDIR

Writes six captures and OUTDIR/expect.json.  Fully deterministic (every random choice comes
from a seeded random.Random; no wall-clock input)."""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import blind_kit as capkit
from blind_kit import (
    GREASE,
    PROFILES,
    Cap,
    Ctx,
    Flow,
    TokenBucket,
    app_rec,
    app_stream,
    chain,
    dns_full,
    epoch,
    ext,
    mac,
    mk_ip,
    quic_server_hello,
    server_flight,
    u16,
    x25519_pub,
)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from generate import protect, quic_initial_keys
from scapy.all import TCP, UDP, Raw

# ----------------------------------------------------------------------------
# TLS ClientHellos of non-browser stacks
# ----------------------------------------------------------------------------

SIGALGS_BORING = (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)
SIGALGS_OPENSSL = (0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080A, 0x080B, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602)


def _sni_ext(sni):
    return ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()) if sni else b""


def _alpn_ext(alpn):
    if not alpn:
        return b""
    b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    return ext(16, u16(len(b)) + b)


def app_hello_body(rng, sni, alpn, profile, quic_tp=None):
    """ClientHello handshake message (type 1 + 3-byte length + body) of a non-browser stack.
    profile: okhttp (Android Conscrypt/BoringSSL, also libsignal's boring), openssl (OpenSSL 3
    as used by stub resolvers), quic-chrome (Chromium's QUIC ClientHello), plus capkit's
    firefox/chrome profiles (those go through capkit.client_hello)."""
    rnd = rng.randbytes(32)
    pub = x25519_pub(rng)
    sid = b"" if profile.startswith("quic") else rng.randbytes(32)
    if profile == "okhttp":
        suites = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02C, 0xCCA9, 0xC02F, 0xC030, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        exts = [
            _sni_ext(sni), ext(23, b""), ext(0xFF01, b"\x00"),
            ext(10, u16(6) + u16(0x1D) + u16(0x17) + u16(0x18)), ext(11, b"\x01\x00"), ext(35, b""),
            _alpn_ext(alpn), ext(5, b"\x01\x00\x00\x00\x00"),
            ext(13, u16(2 * len(SIGALGS_BORING)) + b"".join(u16(x) for x in SIGALGS_BORING)),
            ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(45, b"\x01\x01"),
            ext(43, b"\x04" + u16(0x0304) + u16(0x0303)),
        ]
        pad = "boring"
    elif profile == "openssl":
        suites = [0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8, 0xCCAA, 0xC02B, 0xC02F, 0x009E, 0xC024, 0xC028, 0x006B, 0xC023, 0xC027, 0x0067, 0xC00A, 0xC014, 0x0039, 0xC009, 0xC013, 0x0033, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F, 0x00FF]
        exts = [
            _sni_ext(sni), ext(11, b"\x03\x00\x01\x02"),
            ext(10, u16(22) + b"".join(u16(x) for x in (0x1D, 0x17, 0x1E, 0x19, 0x18, 0x100, 0x101, 0x102, 0x103, 0x104, 0x11EC)[:11])),
            ext(35, b""), _alpn_ext(alpn), ext(22, b""), ext(23, b""),
            ext(13, u16(2 * len(SIGALGS_OPENSSL)) + b"".join(u16(x) for x in SIGALGS_OPENSSL)),
            ext(43, b"\x04" + u16(0x0304) + u16(0x0303)), ext(45, b"\x01\x01"),
            ext(51, u16(36) + u16(0x1D) + u16(32) + pub),
        ]
        pad = None
    elif profile in ("quic-chrome", "quic-chrome-d29"):
        g1, g2 = rng.sample(GREASE, 2)
        suites = [0x1301, 0x1302, 0x1303]
        exts = [
            ext(g1, b""), _sni_ext(sni), ext(10, u16(6) + u16(g1) + u16(0x1D) + u16(0x17)),
            ext(13, u16(2 * len(SIGALGS_BORING)) + b"".join(u16(x) for x in SIGALGS_BORING)),
            _alpn_ext(alpn), ext(45, b"\x01\x01"), ext(0xFFA5 if profile == "quic-chrome-d29" else 0x39, quic_tp),
            ext(51, u16(41) + u16(g1) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + pub),
            ext(43, b"\x02" + u16(0x0304)), ext(27, b"\x02\x00\x02"), ext(g2, b"\x00"),
        ]
        pad = None
    else:
        raise ValueError(profile)
    exts = [e for e in exts if e]
    body = b"\x03\x03" + rnd + bytes([len(sid)]) + sid + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00"
    el = b"".join(exts)
    if pad == "boring":  # BoringSSL pads a ClientHello of 256..511 bytes to 512 (F5 bug workaround)
        n = len(body) + 2 + len(el) + 4
        if 0xFF < n < 0x200:
            p = 0x200 - n
            p = p - 4 if p >= 5 else 1
            el += ext(21, b"\x00" * p)
    body += u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body, sid


def make_hello(rng, sni, alpn=("h2", "http/1.1"), profile="firefox"):
    if profile in ("firefox", "chrome"):
        return capkit.client_hello(rng, sni, alpn, profile)
    hs, sid = app_hello_body(rng, sni, alpn, profile)
    return b"\x16\x03\x01" + u16(len(hs)) + hs, sid


# ----------------------------------------------------------------------------
# DNS with authority sections and raw RDATA
# ----------------------------------------------------------------------------

def dns2(txid, flags, qname, qtype, answers=(), authority=(), edns=None, edns_do=False):
    return dns_full(txid, flags, qname, qtype, answers, authority, edns, edns_do)

def udp(src, dst, sport, dport, payload, ttl, ipid=0, df=True, fl=0):
    return mk_ip(src, dst, ttl, ipid, df, fl) / UDP(sport=sport, dport=dport) / Raw(payload)


# ----------------------------------------------------------------------------
# QUIC v1 Initial protection (RFC 9001 section 5)
# ----------------------------------------------------------------------------

def initial_keys(dcid, side, version=1):
    """(key, iv, hp) of one side's Initial packets, QUIC v1 or draft-29 (RFC 9001 5.2;
    generate.py)."""
    return quic_initial_keys(dcid, version)[side]


def varint(v):
    if v < 0x40:
        return bytes([v])
    if v < 0x4000:
        return struct.pack("!H", 0x4000 | v)
    if v < 0x40000000:
        return struct.pack("!I", 0x80000000 | v)
    return struct.pack("!Q", 0xC000000000000000 | v)


def crypto_frame(off, data):
    return b"\x06" + varint(off) + varint(len(data)) + data


def ack_frame(largest, delay=0, first=None):
    return b"\x02" + varint(largest) + varint(delay) + b"\x00" + varint(largest if first is None else first)


def quic_initial(keys, dcid, scid, pn, frames, token=b"", pad_to=None, pnlen=2, version=1):
    """A protected Initial packet.  pad_to: total packet size to reach with PADDING frames."""
    first = 0xC0 | (pnlen - 1)
    pre = bytes([first]) + struct.pack("!I", version) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(len(token)) + token
    payload = frames
    if pad_to:
        over = len(pre) + 2 + pnlen + len(payload) + 16
        if over < pad_to:
            payload = payload + b"\x00" * (pad_to - over)
    length = pnlen + len(payload) + 16
    hdr = pre + struct.pack("!H", 0x4000 | length) + pn.to_bytes(pnlen, "big")
    return protect(hdr, pn, pnlen, payload, keys)


def quic_long_opaque(rng, ptype, dcid, scid, size, version=1):
    """A Handshake (ptype 2) packet whose keys the capture does not hold: correct long header,
    opaque protected payload."""
    first = 0xC0 | (ptype << 4) | rng.randrange(4)
    pre = bytes([first]) + struct.pack("!I", version) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    body = size - len(pre) - 2
    return pre + struct.pack("!H", 0x4000 | body) + rng.randbytes(body)


def quic_short(rng, dcid, size):
    return bytes([0x40 | rng.randrange(0x40)]) + dcid + rng.randbytes(size - 1 - len(dcid))


def chrome_tp(rng, scid, version=1):
    def tp(i, v):
        return varint(i) + varint(len(v)) + v
    return (tp(0x01, varint(30000)) + tp(0x03, varint(1472)) + tp(0x04, varint(15728640)) + tp(0x05, varint(6291456))
            + tp(0x06, varint(6291456)) + tp(0x07, varint(6291456)) + tp(0x08, varint(100)) + tp(0x09, varint(103))
            + tp(0x0F, scid) + tp(0x20, varint(65536))
            + ((tp(0x11, struct.pack("!I", 1) + struct.pack("!I", 1) + bytes.fromhex("6b3343cf")) + tp(0x6AB2, varint(0))) if version == 1 else b"")
            + tp(0x4752, struct.pack("!I", version)))


def pb_varint(n):
    v = b""
    while True:
        b = n & 0x7F
        n >>= 7
        v += bytes([b | (0x80 if n else 0)])
        if not n:
            return v


def pb_bytes(field, data):
    """protobuf length-delimited field"""
    return pb_varint((field << 3) | 2) + pb_varint(len(data)) + data


def wa_frame(b):
    return struct.pack("!I", len(b))[1:] + b


def wa_client_hello(rng, ver=b"\x04\x00"):
    """WhatsApp chat (g.whatsapp.net, 443/5222): 'WA' + version prologue, then a 3-byte
    length-framed Noise HandshakeMessage{clientHello{ephemeral, static, payload}}."""
    ch = pb_bytes(1, x25519_pub(rng)) + pb_bytes(2, rng.randbytes(48)) + pb_bytes(3, rng.randbytes(rng.randrange(180, 260)))
    return b"WA" + ver + wa_frame(pb_bytes(2, ch))


def wa_server_hello(rng):
    sh = pb_bytes(1, x25519_pub(rng)) + pb_bytes(2, rng.randbytes(48)) + pb_bytes(3, rng.randbytes(rng.randrange(120, 180)))
    return wa_frame(pb_bytes(3, sh))


def mtproto_obf2_init(rng, tag=b"\xee\xee\xee\xee", dc=2):
    """Telegram's obfuscated2 transport header: 64 random bytes (with the documented
    exclusions), protocol tag and DC id at 56..62, bytes 56..64 sent AES-256-CTR encrypted
    under key init[8:40], iv init[40:56]."""
    while True:
        init = bytearray(rng.randbytes(64))
        if init[0] == 0xEF or bytes(init[:4]) in (b"HEAD", b"POST", b"GET ", b"OPTI", b"\x16\x03\x01\x02", b"\xdd\xdd\xdd\xdd", b"\xee\xee\xee\xee") or init[4:8] == b"\0\0\0\0":
            continue
        break
    init[56:60] = tag
    init[60:62] = struct.pack("<h", dc)
    enc = Cipher(algorithms.AES(bytes(init[8:40])), modes.CTR(bytes(init[40:56]))).encryptor()
    e = enc.update(bytes(init)) + enc.finalize()
    return bytes(init[:56]) + e[56:64]


class AppCtx(Ctx):
    """Ctx with the app ClientHellos, per-OS ephemeral ports, Android/Windows style DNS
    (A and AAAA on separate sockets) and QUIC visits."""

    make_client_hello = staticmethod(make_hello)
    port_range = (32768, 61000)

    def port(self):
        lo, hi = self.port_range
        while True:
            p = self.rng.randrange(lo, hi)
            if p not in self.used:
                self.used.add(p)
                return p

    def lookup2(self, t, qname, ans_a=(), ans_aaaa=(), auth_a=(), auth_aaaa=(), v6=False, rtt=None, tag=None, rflags=0x8180, aaaa=True, redns="same", rttl=None, qtypes=None):
        """A and AAAA from two sockets (Android netd, Windows DNS client).  Returns (last
        answer time, {qtype: (sport, txid)})."""
        rng = self.rng
        rtt = rtt or self.dns_rtt
        src, dst = (self.cip6, self.resolver6) if v6 else (self.cip, self.resolver)
        qs = qtypes or ([("A", ans_a, auth_a)] + ([("AAAA", ans_aaaa, auth_aaaa)] if aaaa else []))
        last = t
        info = {}
        tq = t
        rs = []
        for qt, ans, auth in qs:
            sport, txid = self.port(), rng.randrange(65536)
            info[qt] = (sport, txid, tq)
            q = dns2(txid, self.qflags, qname, qt, edns=self.edns)
            self.cap.add(tq, udp(src, dst, sport, 53, q, self.cttl, self.ipid_udp(), True, rng.getrandbits(20)), True, self.iface, tag and f"{tag}q{qt}")
            ta = tq + rtt * rng.uniform(0.9, 1.2)
            e = self.edns if redns == "same" else redns
            r = dns2(txid, rflags, qname, qt, ans, auth, edns=e)
            rs.append((ta, udp(dst, src, 53, sport, r, rttl or self.rttl, self.resp_ipid(), False), f"{tag}r{qt}" if tag else None))
            tq += rng.uniform(0.0002, 0.0012)
        for ta, p, tg in rs:
            self.cap.add(ta, p, False, self.iface, tg)
            last = max(last, ta)
        return last, info

    def ipid_udp(self):
        if self.cos in ("mac",):
            return self.rng.randrange(65536)
        if getattr(self, "gipid", None) is not None:
            self.gipid = (self.gipid + self.rng.randrange(1, 4)) & 0xFFFF
            return self.gipid
        return self.rng.randrange(65536)

    def quic(self, t, sip, sni, rtt, sttl, resp=60000, rate=40e6, tag=None, alpn=None, req=380, close=False, s_df=False, version=1):
        """Chromium HTTP/3 visit: protected client Initial, server Initial (ServerHello)
        coalesced with Handshake, client Initial ACK + Handshake, then 1-RTT."""
        rng = self.rng
        v6 = ":" in sip
        cip = self.cip6 if v6 else self.cip
        sport = self.port()
        dcid, scid_c, scid_s = rng.randbytes(8), b"", rng.randbytes(8)
        ck, sk = initial_keys(dcid, "client", version), initial_keys(dcid, "server", version)
        tp = chrome_tp(rng, scid_c, version)
        alpn = alpn or (("h3",) if version == 1 else ("h3-29",))
        ch, _ = app_hello_body(rng, sni, alpn, "quic-chrome" if version == 1 else "quic-chrome-d29", quic_tp=tp)
        fl = rng.getrandbits(20)
        sfl = rng.getrandbits(20)
        ipid = [rng.randrange(65536)]

        def cpkt(tt, payload, tg=None):
            ipid[0] = (ipid[0] + 1) & 0xFFFF
            self.cap.add(tt, udp(cip, sip, sport, 443, payload, self.cttl, ipid[0] if not v6 else 0, True, fl), True, self.iface, tg)

        def spkt(tt, payload, tg=None):
            self.cap.add(tt, udp(sip, cip, 443, sport, payload, sttl, 0 if s_df else rng.randrange(65536), s_df, sfl), False, self.iface, tg)

        udp_max = 1250 - (48 if v6 else 28)
        cpkt(t, quic_initial(ck, dcid, scid_c, 1, crypto_frame(0, ch), pad_to=udp_max, version=version), tag and tag + "init")
        ta = t + rtt + rng.uniform(0.0005, 0.003)
        sh = quic_server_hello(rng)
        si = quic_initial(sk, scid_c, scid_s, 0, ack_frame(1) + crypto_frame(0, sh), version=version)
        spkt(ta, si + quic_long_opaque(rng, 2, scid_c, scid_s, 1200 - len(si), version), tag and tag + "sinit")
        ta2 = ta + 0.00012
        spkt(ta2, quic_long_opaque(rng, 2, scid_c, scid_s, 1200, version))
        ta3 = ta2 + 0.00011
        spkt(ta3, quic_long_opaque(rng, 2, scid_c, scid_s, rng.randrange(700, 1100), version))
        tc = ta3 + rng.uniform(0.0015, 0.004)
        hs = quic_long_opaque(rng, 2, scid_s, scid_c, 90, version)
        # pad the datagram carrying an Initial to 1200+ bytes (PADDING inside the Initial)
        ci2 = quic_initial(ck, scid_s, scid_c, 2, ack_frame(0), pad_to=udp_max - len(hs), version=version)  # client switched to the server-chosen DCID
        cpkt(tc, ci2 + hs)
        cpkt(tc + 0.00005, quic_short(rng, scid_s, req), tag and tag + "req")
        # 1-RTT response
        tt = tc + rtt + 0.004 + rng.uniform(0.002, 0.02)
        n = max(1, resp // 1200)
        per = 1252 * 8 / rate
        acked = 0
        for i in range(n):
            spkt(tt, quic_short(rng, b"", 1200 if i < n - 1 else rng.randrange(300, 1200)))
            acked += 1
            if acked >= 2 or i == n - 1:
                cpkt(tt + rng.uniform(0.0001, 0.0006), quic_short(rng, scid_s, rng.randrange(38, 52)))
                acked = 0
            tt += per
        if close:
            tt += rng.uniform(0.5, 3.0)
            cpkt(tt, quic_short(rng, scid_s, rng.randrange(40, 60)))
        return tt

    def ntp(self, t, sip, rtt, sttl, tag=None, refid=b"\x64\x6b\x06\x58", sport=None):
        """SNTP client request (mode 3) and a stratum-2 server reply (mode 4)."""
        rng = self.rng
        v6 = ":" in sip
        cip = self.cip6 if v6 else self.cip
        sport = sport or self.port()

        def ts(x):
            x += 2208988800
            sec = int(x)
            return struct.pack("!II", sec & 0xFFFFFFFF, int((x - sec) * 4294967296) & 0xFFFFFFFF)

        wall = self.cap.base + t
        xmt = ts(wall + rng.uniform(-0.02, 0.02))
        q = bytes([0x23, 0, 0, 0x20]) + b"\0" * 8 + b"\0" * 4 + b"\0" * 24 + xmt
        self.cap.add(t, udp(cip, sip, sport, 123, q, self.cttl, self.ipid_udp(), True), True, self.iface, tag)
        ta = t + rtt
        srv = wall + rtt / 2 + rng.uniform(-0.004, 0.004)
        r = bytes([0x24, 2, 3, 0xE9]) + struct.pack("!II", 0x00000120, 0x00000A10) + refid + ts(srv - 312.5) + xmt + ts(srv) + ts(srv + 0.000021)
        self.cap.add(ta, udp(sip, cip, 123, sport, r, sttl, rng.randrange(65536), False), False, self.iface, tag and tag + "r")
        return ta


# ----------------------------------------------------------------------------
# other OS stacks
# ----------------------------------------------------------------------------

MY_PROFILES = dict(PROFILES)
MY_PROFILES["win"] = dict(synwin=64240, ws=8, ts=False, win0=1026)
MY_PROFILES["android"] = dict(synwin=65535, ws=9, ts=True, win0=343)


class AppFlow(Flow):
    profiles = MY_PROFILES

    def _opts(self, out, t, flags, sack=None):
        if out and self.ctx.cos == "win":
            o = []
            if "S" in flags:
                o = [("MSS", self.cmss), ("NOP", None), ("WScale", self.cp["ws"]), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
            if sack:
                o += [("NOP", None), ("NOP", None), ("SAck", tuple(x & 0xFFFFFFFF for blk in sack for x in blk))]
            return o
        if (not out) and self.ctx.cos == "win" and "S" in flags:
            p = self.sp
            return [("MSS", self.smss), ("NOP", None), ("WScale", p["ws"]), ("SAckOK", b""), ("EOL", None)]
        return super()._opts(out, t, flags, sack)

    def cwin(self):
        if self.ctx.cos == "win":
            return 1026
        return super().cwin()


class WinCtx(AppCtx):
    flow_class = AppFlow
    port_range = (49152, 65535)

    def ipid(self, fl):
        self.gipid = (self.gipid + self.rng.randrange(1, 3)) & 0xFFFF
        return self.gipid


class LinCtx(AppCtx):
    flow_class = AppFlow


class MacCtx(AppCtx):
    flow_class = AppFlow
    port_range = (49152, 65535)


# ----------------------------------------------------------------------------
# small app-protocol payloads
# ----------------------------------------------------------------------------


def http_get(path, host, headers):
    return (f"GET {path} HTTP/1.1\r\nHost: {host}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n").encode()


def tls_exchange(ctx, fl, t, sni, profile, alpn, cert, reqs, think=0.02, rate=30e6, tag=None):
    """Handshake already done: ClientHello, server flight, then a list of (request bytes,
    response bytes) application-data exchanges.  Returns time of the last packet."""
    rng = ctx.rng
    ch, sid = make_hello(rng, sni, alpn, profile)
    t = fl.send_c(t, ch, tag and tag + "ch")
    t = fl.bulk(t + fl.owd + rng.uniform(0.0004, 0.002), server_flight(rng, sid, cert), rate, None, 1e9, tag and tag + "sh", final_ack=False)
    t = max(t, fl.last_arr + rng.uniform(0.001, 0.004))
    first = True
    for rq, rs in reqs:
        data = (b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) if first else b"") + app_rec(rng, rq)
        first = False
        t = fl.send_c(t, data)
        t = fl.bulk(t + fl.owd + think, app_stream(rng, rs), rate, None, 1e9)
        t += rng.uniform(0.05, 0.6)
    return t


def trel(cap, tag):
    """time of the tagged packet relative to the capture's first packet (as Wireshark shows)"""
    recs = cap.sorted()
    for r in recs:
        if r[4] == tag:
            return (r[0] - recs[0][0]) / 1e9
    raise KeyError(tag)


# ============================================================================
# capture 1: rst-injection, Signal Desktop, chat.signal.org, GFW type-II resets (SLL2)
# ============================================================================


def cap_signal(outdir):
    fname = "rst-injection_signal-chat-sni_sll2.pcap"
    ifs = [dict(link="sll2", cmac=mac("a4:c3:f0:5e:21:9b"), gmac=mac("48:7d:2e:11:c0:04"), ifindex=3, name="wlp2s0")]
    cap = Cap(fname, epoch(2024, 5, 14, 12, 31, 7), ifs)
    ctx = LinCtx(cap, 2001, cip="192.168.1.23", cip6="2408:8207:2470:8a50:5c1e:9d3f:e2a1:7b40", cos="linux", cttl=64,
                 resolver="192.168.1.1", rttl=64, dns_rtt=0.019, edns=1232)
    rng = ctx.rng
    visits = []

    def lk(t, name, a, aaaa=(), cn=(), ttl=300, tag=None):
        return ctx.lookup(t, name, chain(name, cn, a, ttl, ttl), chain(name, cn, aaaa, ttl, ttl, "AAAA") if aaaa else (chain(name, cn, [], ttl, ttl) if cn else []), tag=tag, redns=1232)

    # NetworkManager connectivity check (plain HTTP, 204)
    t = lk(0.412, "connectivity-check.ubuntu.com", ["185.125.190.49", "185.125.190.48"], ["2620:2d:4000:1::2a"])
    fl, t1 = ctx.http(t + 0.0006, "185.125.190.49", "connectivity-check.ubuntu.com", 0.218, 44, path="/", status="204 No Content",
                      headers=(("Date", "Tue, 14 May 2024 12:31:07 GMT"), ("Server", "nginx"), ("X-NetworkManager-Status", "online"), ("Connection", "close")),
                      ua="NetworkManager/1.46.0")
    visits.append(("connectivity-check.ubuntu.com", fl))
    # NTP (systemd-timesyncd) to a domestic server
    t = lk(0.95, "ntp.aliyun.com", ["203.107.6.88"], cn=["ntp.aliyun.com.gds.alibabadns.com"], ttl=120)
    ctx.ntp(t + 0.001, "203.107.6.88", 0.031, 52)
    # apt over https to the Tsinghua mirror
    t = lk(1.62, "mirrors.tuna.tsinghua.edu.cn", ["101.6.15.130"], ["2402:f000:1:400::2"])
    fl, _ = ctx.https(t + 0.0005, "2402:f000:1:400::2", "mirrors.tuna.tsinghua.edu.cn", 0.034, 53, resp=186000, rate=60e6, profile="openssl", alpn=("http/1.1",), close="client")
    visits.append(("mirrors.tuna.tsinghua.edu.cn", fl))
    # snapd refresh
    t = lk(2.9, "api.snapcraft.io", ["185.125.188.58", "185.125.188.59"], ["2620:2d:4000:1::25"])
    fl, _ = ctx.https(t + 0.0004, "185.125.188.58", "api.snapcraft.io", 0.226, 45, resp=9400, profile="openssl", alpn=("http/1.1",))
    visits.append(("api.snapcraft.io", fl))
    # Firefox: baidu (IPv4) + bilibili over HTTP/3
    t = lk(4.31, "www.baidu.com", ["110.242.68.3", "110.242.68.4"], cn=["www.a.shifen.com"], ttl=600)
    fl, _ = ctx.https(t + 0.0005, "110.242.68.3", "www.baidu.com", 0.029, 52, resp=98000, profile="firefox")
    visits.append(("www.baidu.com", fl))
    t = lk(4.52, "dss0.bdstatic.com", ["111.206.208.36"], cn=["sslbdstatic.jomodns.com"])
    fl, _ = ctx.https(t + 0.0005, "111.206.208.36", "dss0.bdstatic.com", 0.027, 54, resp=143000, profile="firefox")
    visits.append(("dss0.bdstatic.com", fl))
    t = lk(6.05, "i0.hdslb.com", ["61.147.236.38"], ["240e:97d:2000:200::34"], cn=["i0.hdslb.com.w.kunlunsl.com"], ttl=60)
    ctx.quic(t + 0.0007, "240e:97d:2000:200::34", "i0.hdslb.com", 0.026, 55, resp=240000, rate=50e6, tag="q1")
    visits.append(("i0.hdslb.com", "quic"))
    # VS Code update check and GitHub API
    t = lk(7.7, "update.code.visualstudio.com", ["13.107.246.45"], cn=["update-code-visualstudio.azurefd.net"], ttl=60)
    fl, _ = ctx.https(t + 0.0006, "13.107.246.45", "update.code.visualstudio.com", 0.052, 116, sos="cdn", resp=2400, profile="chrome")
    visits.append(("update.code.visualstudio.com", fl))
    t = lk(8.1, "api.github.com", ["20.205.243.168"], ttl=60)
    fl, _ = ctx.https(t + 0.0004, "20.205.243.168", "api.github.com", 0.067, 108, resp=5600, profile="chrome")
    visits.append(("api.github.com", fl))
    # WeChat for Linux (long connection and a CDN fetch)
    t = lk(9.4, "long.weixin.qq.com", ["183.3.234.107"], ttl=300)
    fl, _ = ctx.https(t + 0.0005, "183.3.234.107", "long.weixin.qq.com", 0.041, 53, resp=3100, profile="okhttp", alpn=("http/1.1",), close="none")
    visits.append(("long.weixin.qq.com", fl))
    t = lk(10.2, "wx.qlogo.cn", ["58.251.121.72"], cn=["wx.qlogo.cn.cdn.dnsv1.com"], ttl=120)
    fl, _ = ctx.https(t + 0.0005, "58.251.121.72", "wx.qlogo.cn", 0.038, 54, resp=41000, profile="okhttp", alpn=("h2", "http/1.1"))
    visits.append(("wx.qlogo.cn", fl))

    # ---------------- Signal Desktop: chat.signal.org ----------------
    sig_ips = ["13.248.212.111", "76.223.92.165"]
    t = lk(13.184, "chat.signal.org", sig_ips, [], ttl=60, tag="sigdns")
    info = {}
    t_try = t + 0.0009
    attempts = []
    for k, (sip, rtt, sttl, delay, ttls) in enumerate([(sig_ips[0], 0.0712, 41, 0.0191, (101, 102, 103)), (sig_ips[1], 0.0748, 42, 0.0226, (88, 89, 90))]):
        tg = f"sig{k + 1}"
        fl = AppFlow(ctx, sip, 443, rtt, sttl, sos="cdn")
        tt = fl.handshake(t_try, tg)
        tt += rng.uniform(0.0003, 0.0009)
        ch, sid = make_hello(rng, "chat.signal.org", ("http/1.1",), "okhttp")
        t_ch = tt
        fl.send_c(tt, ch, tg + "ch")
        # three RST+ACK from the path, 19-23 ms after the ClientHello: identical seq/ack/window,
        # IP TTL rising by one, DF set, scattered IP IDs (GFW type II)
        win = rng.randrange(2000, 9000)
        for j in range(3):
            fl.forged(t_ch + delay + 0.000011 * j, "RA", fl.snxt, fl.cnxt, ttls[j], rng.randrange(0x00A3, 0xFE5F), True, win, tag=f"{tg}rst{j + 1}")
        # the genuine server flight still arrives one RTT after the ClientHello (TTL = SYN/ACK's);
        # the client's socket is gone, its kernel answers each segment with a bare RST
        sf = server_flight(rng, sid, 3900)
        ts = t_ch + rtt + rng.uniform(0.0006, 0.0015)
        segs = [sf[:fl.seg], sf[fl.seg:2 * fl.seg]]
        for j, sg in enumerate(segs):
            fl.s(ts + j * 0.00009, "A" if j == 0 else "PA", sg, tag=f"{tg}sh{j + 1}")
            fl.stack_rst(ts + j * 0.00009 + 0.000035, fl.cnxt, tag=f"{tg}crst{j + 1}")
        attempts.append(dict(ip=sip, tag=tg, rtt=rtt, sttl=sttl, ttls=ttls, delay=delay, win=win))
        info[tg] = fl
        t_try = ts + rng.uniform(1.2, 1.6)
    t_after = t_try

    # more ordinary traffic after the failure
    t = lk(t_after + 0.8, "www.bilibili.com", ["119.3.70.188"], ["2409:8c54:1050:10::31"], cn=["a.w.bilicdn1.com"], ttl=300)
    ctx.quic(t + 0.0006, "2409:8c54:1050:10::31", "www.bilibili.com", 0.024, 55, resp=120000, tag="q2")
    t = lk(t_after + 2.3, "open.weixin.qq.com", ["109.244.216.15"], ttl=300)
    fl, _ = ctx.https(t + 0.0005, "109.244.216.15", "open.weixin.qq.com", 0.036, 53, resp=14000, profile="okhttp")
    t = lk(t_after + 3.4, "api.snapcraft.io", ["185.125.188.58", "185.125.188.59"], ["2620:2d:4000:1::25"])
    fl, t_end = ctx.https(t + 0.0005, "185.125.188.59", "api.snapcraft.io", 0.224, 45, resp=3300, profile="openssl", alpn=("http/1.1",))

    cap.write(os.path.join(outdir, fname))
    a1, a2 = attempts
    fr = cap.frame
    note = (
        "Linux desktop (Linux cooked v2, tcpdump -i any) in China, 2024-05-14, Signal Desktop starting up among 14 ordinary flows plus their DNS lookups "
        "(NetworkManager connectivity check over HTTP, NTP, apt over HTTPS to the Tsinghua mirror on IPv6, snapd, Firefox to baidu/bdstatic, "
        "two HTTP/3 QUIC visits to bilibili hosts on IPv6, VS Code update check, GitHub API, WeChat hosts), all of which complete. "
        f"chat.signal.org resolves normally (frames {fr('sigdnsrA')}/{fr('sigdnsrAAAA')}: A {sig_ips[0]}, {sig_ips[1]}; no AAAA). "
        f"Attempt 1: TCP handshake to {a1['ip']}:443 completes (SYN/ACK frame {fr('sig1synack')}, IP TTL {a1['sttl']}); "
        f"the ClientHello with SNI chat.signal.org and ALPN http/1.1 (frame {fr('sig1ch')}) is followed {a1['delay'] * 1000:.1f} ms later "
        f"(well under the {a1['rtt'] * 1000:.0f} ms RTT) by three RST+ACK (frames {fr('sig1rst1')}-{fr('sig1rst3')}) with identical seq/ack and window {a1['win']}, "
        f"IP TTL {a1['ttls'][0]}/{a1['ttls'][1]}/{a1['ttls'][2]} (rising by one; the server's packets have {a1['sttl']}), DF set, scattered IP IDs: the GFW type-II reset fingerprint. "
        f"The real server's ServerHello flight still arrives one RTT after the ClientHello with TTL {a1['sttl']} (frames {fr('sig1sh1')}, {fr('sig1sh2')}) and the client kernel, whose socket the forged RSTs killed, "
        f"answers each with a bare RST win=0 (frames {fr('sig1crst1')}, {fr('sig1crst2')}): the race proves the resets were not sent by the server. "
        f"Attempt 2 (Signal retries the second address) to {a2['ip']}:443: SYN/ACK TTL {a2['sttl']} (frame {fr('sig2synack')}), ClientHello frame {fr('sig2ch')}, "
        f"three RST+ACK {a2['delay'] * 1000:.1f} ms later (frames {fr('sig2rst1')}-{fr('sig2rst3')}, TTL {a2['ttls'][0]}-{a2['ttls'][2]}), then the genuine ServerHello (frames {fr('sig2sh1')}, {fr('sig2sh2')}) and client RSTs. "
        "Capture ends before Signal's next retry, so no residual-window behaviour is shown."
    )
    return fname, dict(expect=[dict(mechanism="rst-injection", domain="chat.signal.org")], allow=[], note=note)


# ============================================================================
# capture 2: blackhole, systemd-resolved DNS-over-TLS to 1.1.1.1/1.0.0.1:853 (802.1Q)
# ============================================================================


def cap_dot(outdir):
    fname = "blackhole_dot-853-resolver_vlan.pcap"
    ifs = [dict(link="vlan", cmac=mac("3c:52:82:6a:0f:d1"), gmac=mac("00:0c:42:9e:71:b8"), vlan=20, pcp=0)]
    cap = Cap(fname, epoch(2021, 6, 8, 6, 12, 44), ifs)
    ctx = LinCtx(cap, 2002, cip="192.168.100.34", cos="linux", cttl=64, resolver="1.0.0.1", rttl=56, dns_rtt=0.0835, edns=1232)
    rng = ctx.rng
    sni = "cloudflare-dns.com"
    dots = []

    def dot_attempt(t0, sip, rtt, sttl, tg, t_giveup, t_end):
        """resolved opens TCP to sip:853; the handshake completes, the ClientHello is never
        acknowledged; the kernel retransmits it with exponential backoff; resolved gives up
        (close -> FIN, also never acknowledged) and the orphaned socket keeps retransmitting."""
        fl = AppFlow(ctx, sip, 853, rtt, sttl, sos="cdn", s_ipid="zero")
        t = fl.handshake(t0, tg)
        t += rng.uniform(0.0004, 0.0011)
        ch, _ = make_hello(rng, sni, (), "openssl")
        fl.send_c(t, ch, tg + "ch")
        seq0 = fl.cnxt - len(ch)
        rto = 0.2 + rtt + 0.006
        tr, k, fin_sent = t, 0, False
        while True:
            tr += rto
            if not fin_sent and tr > t_giveup:
                fl.c(t_giveup, "FA", tag=tg + "fin")
                fin_sent = True
            if tr > t_end:
                break
            k += 1
            fl.c(tr, "PA", ch, seq=seq0, tag=f"{tg}rtx{k}")
            rto *= 2
        dots.append(dict(ip=sip, tag=tg, rtt=rtt, sttl=sttl, nrtx=k, t_ch=t))
        return fl

    # systemd-resolved (DNSOverTLS=opportunistic, DNS=1.1.1.1#cloudflare-dns.com 1.0.0.1#cloudflare-dns.com)
    dot_attempt(0.5012, "1.1.1.1", 0.0829, 56, "dot1", 5.52, 44.0)
    dot_attempt(5.5231, "1.0.0.1", 0.0838, 56, "dot2", 10.55, 44.0)
    # ... then it downgrades to plain DNS over UDP to the same servers, which answers at once
    t0 = 10.5561

    def lk(t, name, a, aaaa=(), cn=(), ttl=300, tag=None, res=None):
        if res:
            ctx.resolver = res
        r = ctx.lookup(t, name, chain(name, cn, a, ttl, ttl), chain(name, cn, aaaa, ttl, ttl, "AAAA") if aaaa else (chain(name, cn, [], ttl, ttl) if cn else []), tag=tag, redns=1232)
        ctx.resolver = "1.0.0.1"
        return r

    t = lk(t0, "mirrors.fedoraproject.org", ["152.19.134.198", "38.145.60.21", "140.211.169.196"], ["2600:2701:4000:5211:dead:beef:fe:fed3"], cn=["wildcard.fedoraproject.org"], ttl=60, tag="udp1")
    fl, _ = ctx.https(t + 0.0004, "152.19.134.198", "mirrors.fedoraproject.org", 0.212, 47, resp=7400, profile="openssl", alpn=("h2", "http/1.1"))
    t = lk(t + 0.61, "mirror.aminidc.com", ["185.4.28.110"], ttl=3600)
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">\n  <revision>1623101722</revision>\n' + b"".join(b'  <data type="' + k.encode() + b'">\n    <checksum type="sha256">' + rng.randbytes(32).hex().encode() + b'</checksum>\n    <location href="repodata/' + rng.randbytes(32).hex().encode() + b"-" + k.encode() + b'.xml.gz"/>\n    <timestamp>1623101700</timestamp>\n  </data>\n' for k in ("primary", "filelists", "other", "primary_db", "filelists_db", "other_db", "updateinfo", "group", "modules")) + b"</repomd>\n"
    fl, _ = ctx.http(t + 0.0005, "185.4.28.110", "mirror.aminidc.com", 0.0061, 61, path="/fedora/updates/34/Everything/x86_64/repodata/repomd.xml",
                     headers=(("Server", "nginx"), ("Date", "Tue, 08 Jun 2021 06:12:56 GMT"), ("Content-Type", "text/xml"), ("Content-Length", str(len(body))), ("Last-Modified", "Mon, 07 Jun 2021 21:35:22 GMT"), ("Connection", "keep-alive"), ("Accept-Ranges", "bytes")),
                     body=body, ua="libdnf (Fedora 34; workstation; Linux.x86_64)", close="client")
    t = lk(11.9, "2.fedora.pool.ntp.org", ["94.182.146.123", "5.160.24.41"], ttl=150)
    ctx.ntp(t + 0.0008, "94.182.146.123", 0.0092, 59)
    t = lk(13.2, "odrs.gnome.org", ["209.132.180.180"], cn=["wildcard.gnome.org"], ttl=300)
    fl, _ = ctx.https(t + 0.0005, "209.132.180.180", "odrs.gnome.org", 0.231, 46, resp=48000, profile="openssl", alpn=("http/1.1",))
    # Firefox
    t = lk(16.4, "www.google.com", ["142.250.186.68"], ["2a00:1450:4001:82b::2004"], ttl=300)
    ctx.quic(t + 0.0006, "142.250.186.68", "www.google.com", 0.0712, 117, resp=82000, tag="q1")
    t = lk(16.9, "fonts.gstatic.com", ["142.250.185.227"], ["2a00:1450:4001:82f::2003"], cn=["gstaticadssl.l.google.com"], ttl=300)
    ctx.quic(t + 0.0005, "142.250.185.227", "fonts.gstatic.com", 0.0705, 117, resp=36000, tag="q2")
    t = lk(18.6, "www.digikala.com", ["185.147.179.11"], ttl=120)
    fl, _ = ctx.https(t + 0.0005, "185.147.179.11", "www.digikala.com", 0.0112, 59, resp=160000, profile="firefox")
    t = lk(19.3, "dkstatics-public.digikala.com", ["185.147.179.14"], ttl=120)
    fl, _ = ctx.https(t + 0.0004, "185.147.179.14", "dkstatics-public.digikala.com", 0.0115, 59, resp=210000, profile="firefox")
    t = lk(21.7, "www.aparat.com", ["185.143.233.120"], ttl=120)
    fl, _ = ctx.https(t + 0.0006, "185.143.233.120", "www.aparat.com", 0.0138, 57, resp=95000, profile="firefox")
    # the user checks the resolver's own site: same address 1.1.1.1, TCP 443, completes
    t = lk(26.2, "one.one.one.one", ["1.1.1.1", "1.0.0.1"], ["2606:4700:4700::1111", "2606:4700:4700::1001"], ttl=300, tag="ooo")
    fl, _ = ctx.https(t + 0.0005, "1.1.1.1", "one.one.one.one", 0.0827, 56, sos="cdn", resp=31000, profile="firefox", tag="ctl443", close="none")
    ctl = fl
    t = lk(29.3, "www.bing.com", ["13.107.21.200"], cn=["www-www.bing.com.trafficmanager.net", "dual-a-0001.a-msedge.net"], ttl=60)
    fl, _ = ctx.https(t + 0.0004, "13.107.21.200", "www.bing.com", 0.0931, 115, resp=70000, profile="firefox")
    t = lk(33.1, "gitlab.gnome.org", ["209.132.180.185"], cn=["wildcard.gnome.org"], ttl=300)
    fl, _ = ctx.https(t + 0.0004, "209.132.180.185", "gitlab.gnome.org", 0.229, 46, resp=26000, profile="openssl", alpn=("h2", "http/1.1"))
    ctx.ntp(36.2, "5.160.24.41", 0.0107, 58)
    t = lk(38.4, "www.varzesh3.com", ["185.143.234.97"], ttl=120)
    fl, _ = ctx.https(t + 0.0004, "185.143.234.97", "www.varzesh3.com", 0.0127, 57, resp=120000, profile="firefox")

    cap.write(os.path.join(outdir, fname))
    fr = cap.frame
    d1, d2 = dots
    note = (
        "Fedora 34 laptop in Iran (capture from the office switch trunk, 802.1Q VLAN 20), 2021-06-08. systemd-resolved is configured with "
        "DNS=1.1.1.1#cloudflare-dns.com 1.0.0.1#cloudflare-dns.com and DNSOverTLS=opportunistic. "
        f"DoT attempt 1: TCP to 1.1.1.1:853, SYN/ACK arrives (frame {fr('dot1synack')}, IP TTL {d1['sttl']}, RTT {d1['rtt'] * 1000:.0f} ms), "
        f"the OpenSSL ClientHello with SNI {sni} (no ALPN, frame {fr('dot1ch')}) is never acknowledged; the kernel retransmits it "
        f"{d1['nrtx']} times with exponential backoff (frames {fr('dot1rtx1')}..{fr('dot1rtx' + str(d1['nrtx']))}), resolved gives up after ~5 s (FIN frame {fr('dot1fin')}, also never acknowledged). "
        f"No ServerHello, no RST, no FIN from the server. DoT attempt 2 to 1.0.0.1:853 is identical (SYN/ACK frame {fr('dot2synack')}, ClientHello frame {fr('dot2ch')}, "
        f"{d2['nrtx']} retransmissions, FIN frame {fr('dot2fin')}). resolved then downgrades to plain DNS: the UDP query to 1.0.0.1:53 "
        f"(frame {fr('udp1qA')}) is answered in 84 ms with IP TTL 56 (frame {fr('udp1rA')}), and all later lookups work over UDP 53. "
        f"Control on the very same address: Firefox opens https://one.one.one.one/ and its TLS connection to 1.1.1.1:443 completes (SYN/ACK {fr('ctl443synack')}, "
        f"ClientHello {fr('ctl443ch')}, ServerHello {fr('ctl443shdata')}). The 13 other flows (dnf mirror list over HTTPS, repomd.xml over plain HTTP, NTP, "
        "GNOME ODRS, Google/gstatic over HTTP/3 QUIC, Iranian sites, Bing, GitLab) all complete. Reading: endpoint blocking of DNS-over-TLS (ip:853) "
        "by dropping the ClientHello while the servers answer SYNs, UDP 53 and TCP 443 (fingerprints PF-03 / TLS-02)."
    )
    return fname, dict(expect=[dict(mechanism="blackhole", domain=sni)], allow=[], note=note)


# ============================================================================
# capture 3: residual-blocking, Shadowsocks (AEAD) proxy, GFW fully-encrypted-traffic filter
# ============================================================================


def printable(b):
    return 0x20 <= b <= 0x7E


def fet_exempt(p):
    """gfw-report usenixsecurity23 detect.py exemptions Ex1-Ex5: True if the GFW would let
    this first packet pass."""
    pc = sum(bin(x).count("1") for x in p) / len(p)
    if pc <= 3.4 or pc >= 4.6:
        return True
    if all(printable(x) for x in p[:6]):
        return True
    if sum(printable(x) for x in p) > len(p) / 2:
        return True
    run = best = 0
    for x in p:
        run = run + 1 if printable(x) else 0
        best = max(best, run)
    if best > 20:
        return True
    if p[:1] in (b"\x16", b"\x17") and p[1:2] == b"\x03" and p[2] <= 9:
        return True
    return p[:4] in (b"GET ", b"PUT ", b"POST", b"HEAD")


def ss_first(rng, n):
    while True:
        p = rng.randbytes(n)
        if not fet_exempt(p):
            return p


def ssh_pkt(rng, payload, block=8):
    pad = block - ((5 + len(payload)) % block)
    if pad < 4:
        pad += block
    return struct.pack("!IB", 1 + len(payload) + pad, pad) + payload + rng.randbytes(pad)


def ssh_str(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack("!I", len(b)) + b


def ssh_kexinit(rng, client):
    kex = "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256" + (",ext-info-c" if client else "")
    hk = "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256" if client else "rsa-sha2-512,rsa-sha2-256,ssh-rsa,ecdsa-sha2-nistp256,ssh-ed25519"
    enc = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com"
    mac_ = "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1"
    comp = "none,zlib@openssh.com" if client else "none,zlib@openssh.com"
    body = b"\x14" + rng.randbytes(16) + b"".join(ssh_str(x) for x in (kex, hk, enc, enc, mac_, mac_, comp, comp, "", "")) + b"\x00" + b"\0\0\0\0"
    return ssh_pkt(rng, body)


def cap_ss(outdir):
    fname = "residual-blocking_shadowsocks-fet_macos.pcapng"
    ifs = [dict(link="eth", cmac=mac("f4:d4:88:7c:1a:e2"), gmac=mac("c8:3a:35:0d:4b:70"), name="en0", tsresol=6)]
    cap = Cap(fname, epoch(2022, 8, 23, 13, 5, 41), ifs, fmt="pcapng",
              shb=dict(hw="MacBookPro18,3", os="Mac OS X 12.5.1, build 21G83 (Darwin 21.6.0)", app="Dumpcap (Wireshark) 3.6.7 (v3.6.7-0-g4a304d7ec222)"))
    ctx = MacCtx(cap, 2003, cip="192.168.2.107", cip6="240e:3a1:4c53:a7b0:1c5b:6e2f:93d4:8a11", cos="mac", cttl=64,
                 resolver="192.168.2.1", rttl=64, dns_rtt=0.0125)
    rng = ctx.rng
    SIP, SPORT, RTT, STTL = "45.77.180.36", 8388, 0.0934, 47
    ok_flows, dead = [], []

    def lk(t, name, a, aaaa=(), cn=(), ttl=300, tag=None):
        return ctx.lookup(t, name, chain(name, cn, a, ttl, ttl), chain(name, cn, aaaa, ttl, ttl, "AAAA") if aaaa else (chain(name, cn, [], ttl, ttl) if cn else []), tag=tag)

    def ss_conn(t, first_len, exchanges, tag):
        """A working Shadowsocks-AEAD connection: random-looking first packet (salt +
        encrypted target address + the browser's first bytes), then opaque chunks."""
        fl = AppFlow(ctx, SIP, SPORT, RTT, STTL, sos="linuxsrv")
        t = fl.handshake(t, tag)
        t = fl.send_c(t + rng.uniform(0.0002, 0.0009), ss_first(rng, first_len), tag + "d1")
        t = fl.bulk(t + fl.owd + rng.uniform(0.03, 0.12), rng.randbytes(exchanges[0]), 40e6, None, 1e9, tag + "r1")
        for rq, rs in exchanges[1:]:
            t = fl.send_c(t + rng.uniform(0.002, 0.02), rng.randbytes(rq))
            t = fl.bulk(t + fl.owd + rng.uniform(0.02, 0.08), rng.randbytes(rs), 40e6, None, 1e9)
        t = fl.close_client(t + rng.uniform(0.3, 4.0), alert=False)
        ok_flows.append(tag)
        return fl, t

    def syn_dead(t, tag, n=6):
        """Connection attempt whose SYNs are all dropped (XNU SYN backoff 1,1,1,1,1 s)."""
        fl = AppFlow(ctx, SIP, SPORT, RTT, STTL)
        fl.c(t, "S", tag=tag + "syn")
        for k in range(1, n):
            fl.c(t + k * 1.0 + rng.uniform(0.0, 0.004), "S", seq=fl.ciss, tag=f"{tag}syn{k + 1}")
        dead.append((tag, t))
        return t + (n - 1)

    # ---- direct (PAC "direct") domestic and Apple traffic
    t = lk(0.31, "courier.push.apple.com", ["17.57.146.52"], cn=["courier-push-apple.com.akadns.net", "cn-courier.push-apple.com.akadns.net"], ttl=60)
    fl = AppFlow(ctx, "17.57.146.52", 5223, 0.0412, 50, sos="linuxsrv")  # APNs push connection, TLS on 5223
    tls_exchange(ctx, fl, fl.handshake(t + 0.0004, "apns") + 0.0003, "courier.push.apple.com", "okhttp", (), 2900, [(310, 120), (90, 420)], tag="apns")
    t = lk(1.02, "time.apple.com", ["17.253.84.253"], cn=["time.g.aaplimg.com"], ttl=300)
    ctx.ntp(t + 0.0005, "17.253.84.253", 0.0331, 55)
    t = lk(1.88, "www.baidu.com", ["180.101.50.242", "180.101.50.188"], cn=["www.a.shifen.com"], ttl=600)
    ctx.https(t + 0.0004, "180.101.50.242", "www.baidu.com", 0.0091, 53, resp=110000, profile="chrome")
    # ---- Chrome through the PAC proxy: ss-local -> 45.77.180.36:8388
    ss_conn(2.41, 603, [14200, (190, 48000), (120, 9000)], "ss1")
    ss_conn(2.73, 611, [4300, (160, 31000)], "ss2")
    ss_conn(3.02, 598, [5100, (220, 86000)], "ss3")
    t = lk(5.4, "g.alicdn.com", ["101.89.125.236"], ["240e:96c:6400:a00::3e1"], cn=["g.alicdn.com.danuoyi.alicdn.com"], ttl=120)
    ctx.https(t + 0.0004, "240e:96c:6400:a00::3e1", "g.alicdn.com", 0.0087, 55, resp=260000, profile="chrome")
    ss_conn(9.87, 589, [3900, (180, 22000)], "ss4")
    t = lk(12.1, "i0.hdslb.com", ["101.91.140.18"], ["240e:97d:2000:200::34"], cn=["i0.hdslb.com.w.kunlunsl.com"], ttl=60)
    ctx.quic(t + 0.0005, "240e:97d:2000:200::34", "i0.hdslb.com", 0.0114, 55, resp=180000, tag="q1")
    ss_conn(17.35, 617, [4700, (240, 130000)], "ss5")
    t = lk(21.5, "gateway.icloud.com", ["17.248.176.68"], cn=["gateway.icloud.com.akadns.net"], ttl=60)
    ctx.https(t + 0.0004, "17.248.176.68", "gateway.icloud.com", 0.0472, 50, resp=6200, profile="okhttp", alpn=("h2", "http/1.1"))
    ss_conn(26.9, 596, [5400, (210, 64000), (150, 12000)], "ss6")
    # ---- the connection after which the server's ip:port goes dark
    T = 41.263
    fl = AppFlow(ctx, SIP, SPORT, RTT, STTL, sos="linuxsrv")
    t = fl.handshake(T, "ss7")
    d1 = ss_first(rng, 604)
    t = fl.send_c(t + 0.0005, d1, "ss7d1")
    t_trig = t
    # the server got the first packet and answers; from here on nothing from the client reaches it
    r1 = rng.randbytes(2 * fl.seg + 700)
    base = fl.snxt
    ts0 = t + RTT + 0.041
    segs = [(base, r1[:fl.seg]), (base + fl.seg, r1[fl.seg:2 * fl.seg]), (base + 2 * fl.seg, r1[2 * fl.seg:])]
    for j, (sq, pl) in enumerate(segs):
        fl.s(ts0 + j * 0.00011, "PA" if j == 2 else "A", pl, seq=sq, tag=f"ss7r{j + 1}")
    fl.snxt = base + len(r1)
    fl.c_rcv = fl.snxt
    fl.c(ts0 + 0.00035, "A", tag="ss7ack")
    req_seq = fl.cnxt
    d2 = rng.randbytes(173)
    fl.c(ts0 + 0.0031, "PA", d2, tag="ss7d2")
    # server RTO retransmissions of its first segment (its ACK never came), client dup-ACKs with D-SACK
    rto_s = 0.2 + RTT + 0.02
    tr = ts0
    for k in range(4):
        tr += rto_s * (2 ** k)
        fl.s(tr, "A", segs[0][1], seq=segs[0][0], ack=req_seq, tag=f"ss7srtx{k + 1}")
        fl.c(tr + 0.00004, "A", seq=fl.cnxt, sack=[(segs[0][0], segs[0][0] + len(segs[0][1]))])
    # client retransmits its request; nothing acknowledges it
    tc = ts0 + 0.0031
    rto_c = 0.31
    for k in range(5):
        tc += rto_c * (2 ** k)
        fl.c(tc, "PA", d2, seq=req_seq, tag=f"ss7crtx{k + 1}")
    fl.c(tc + 0.7, "FA", tag="ss7fin")
    # ---- new connections to the same ip:port: SYNs unanswered
    syn_dead(44.02, "dead1")
    syn_dead(44.35, "dead2")
    t = lk(47.3, "www.taobao.com", ["140.205.94.189"], ["240e:e1:a800:1:3::3fa"], cn=["www.taobao.com.danuoyi.tbcache.com"], ttl=60)
    ctx.https(t + 0.0004, "240e:e1:a800:1:3::3fa", "www.taobao.com", 0.0095, 54, resp=150000, profile="chrome")
    syn_dead(58.7, "dead3")
    syn_dead(71.9, "dead4")
    # the user checks the server: ICMP echo answers ...
    from scapy.all import ICMP
    pid = 0x6E21
    for k in range(4):
        tp = 83.114 + k * 1.0003
        cap.add(tp, mk_ip(ctx.cip, SIP, 64, rng.randrange(65536), False) / ICMP(type=8, id=pid, seq=k) / Raw(struct.pack("!II", int(cap.base + tp), int((tp % 1) * 1e6)) + bytes(range(8, 56))), True, 0, f"ping{k}")
        cap.add(tp + RTT + rng.uniform(-0.001, 0.002), mk_ip(SIP, ctx.cip, STTL, rng.randrange(65536), False) / ICMP(type=0, id=pid, seq=k) / Raw(struct.pack("!II", int(cap.base + tp), int((tp % 1) * 1e6)) + bytes(range(8, 56))), False, 0, f"pong{k}")
    # ... and SSH to port 22 of the same server works
    sf = AppFlow(ctx, SIP, 22, RTT, STTL)
    t = sf.handshake(88.402, "ssh")
    sf.c(t + 0.0003, "PA", b"SSH-2.0-OpenSSH_8.6\r\n", tag="sshbanner")
    sf.s_rcv = sf.cnxt
    t = t + RTT + 0.0009
    sf.s(t, "PA", b"SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5\r\n", tag="sshsbanner")
    sf.c_rcv = sf.snxt
    t = sf.send_c(t + 0.00008, ssh_kexinit(rng, True))
    t = sf.bulk(t + 0.00005 + sf.owd, ssh_kexinit(rng, False), 40e6, None, 1e9)
    t = sf.send_c(t + 0.0006, ssh_pkt(rng, b"\x1e" + ssh_str(x25519_pub(rng))))
    hostkey = ssh_str(ssh_str("ssh-ed25519") + ssh_str(rng.randbytes(32)))
    sig = ssh_str(ssh_str("ssh-ed25519") + ssh_str(rng.randbytes(64)))
    reply = ssh_pkt(rng, b"\x1f" + hostkey + ssh_str(x25519_pub(rng)) + sig) + ssh_pkt(rng, b"\x15")
    t = sf.bulk(t + sf.owd + 0.0021, reply, 40e6, None, 1e9)
    t = sf.send_c(t + 0.0009, ssh_pkt(rng, b"\x15") + rng.randbytes(68))
    for rq, rs in ((44, 44), (68, 68), (412, 52), (108, 36), (36, 652), (36, 36)):
        t = sf.send_c(t + rng.uniform(0.05, 0.4), rng.randbytes(rq))
        t = sf.bulk(t + sf.owd + rng.uniform(0.002, 0.03), rng.randbytes(rs), 40e6, None, 1e9)
    for _ in range(24):  # interactive: keystrokes and echoes
        t = sf.send_c(t + rng.uniform(0.12, 0.9), rng.randbytes(36))
        t = sf.bulk(t + sf.owd + 0.0006, rng.randbytes(36 if rng.random() < 0.8 else rng.randrange(100, 1400)), 40e6, None, 1e9)
    t_ssh_end = t
    syn_dead(96.4, "dead5")
    t = lk(104.2, "szextshort.weixin.qq.com", ["58.251.111.105"], ttl=300)
    ctx.https(t + 0.0004, "58.251.111.105", "szextshort.weixin.qq.com", 0.0291, 52, resp=4200, profile="okhttp", alpn=("http/1.1",))
    syn_dead(118.8, "dead6")
    syn_dead(139.5, "dead7")
    t = lk(150.2, "www.bilibili.com", ["119.3.70.188"], ["2409:8c54:1050:10::31"], cn=["a.w.bilicdn1.com"], ttl=300)
    ctx.quic(t + 0.0006, "2409:8c54:1050:10::31", "www.bilibili.com", 0.0262, 54, resp=96000, tag="q2")
    syn_dead(163.1, "dead8")
    syn_dead(189.6, "dead9")
    syn_dead(212.4, "dead10")
    # ---- ~3 minutes after the trigger the port answers again
    ss_conn(T + 186.9, 593, [4100, (200, 57000)], "ss8")
    ss_conn(T + 187.2, 608, [3600, (170, 24000)], "ss9")
    t = lk(T + 192.0, "api.m.taobao.com", ["140.205.94.201"], cn=["api.m.taobao.com.danuoyi.tbcache.com"], ttl=60)
    ctx.https(t + 0.0004, "140.205.94.201", "api.m.taobao.com", 0.0102, 53, resp=12000, profile="chrome")

    cap.write(os.path.join(outdir, fname))
    fr = cap.frame
    d_syns = [fr(tg + "syn") for tg, _ in dead]
    note = (
        "macOS laptop in China (pcapng, en0, Ethernet), 2022-08-23, i.e. inside the Nov 2021 - Mar 2023 period of the GFW's dynamic blocking of fully "
        f"encrypted traffic. ShadowsocksX-NG in PAC mode proxies foreign sites to a Shadowsocks-AEAD server {SIP}:{SPORT}; domestic and Apple traffic goes direct. "
        f"Six proxy connections work (ss1-ss6: SYN/ACK TTL {STTL}, RTT {RTT * 1000:.0f} ms); each first client payload is ~600 random-looking bytes "
        "(popcount/byte ~4, <50% printable, no printable run >20, no TLS/HTTP prefix: none of the GFW's exemptions). "
        f"Connection ss7 (SYN frame {fr('ss7syn')} at t={trel(cap, 'ss7syn'):.2f} s) sends its first packet (frame {fr('ss7d1')}) and the server's reply still arrives "
        f"(frames {fr('ss7r1')}-{fr('ss7r3')}), but from then on nothing from the client reaches the server: the server retransmits its first segment 4 times "
        f"(frames {fr('ss7srtx1')}..{fr('ss7srtx4')}) because the client's ACK (frame {fr('ss7ack')}) never arrived, and the client's request (frame {fr('ss7d2')}) is retransmitted "
        f"5 times unacknowledged. Every new connection to {SIP}:{SPORT} during the next ~3 minutes gets no SYN/ACK: 10 attempts, 6 SYNs each "
        f"(first SYN frames {', '.join(str(x) for x in d_syns)}). During that window the same server answers ICMP echo (frames {fr('ping0')}/{fr('pong0')}...) and an SSH "
        f"session to {SIP}:22 completes its handshake and runs interactively (SYN/ACK frame {fr('sshsynack')}, TTL {STTL}). At t={trel(cap, 'ss8syn'):.2f} s, {trel(cap, 'ss8syn') - trel(cap, 'ss7d1'):.0f} s after the trigger "
        f"(frames {fr('ss8syn')}/{fr('ss8synack')}), new connections to :{SPORT} are answered again and work. 10 direct flows (APNs on 5223, NTP, Baidu, Alicdn and Taobao over IPv6, "
        "bilibili over HTTP/3 QUIC on IPv6 twice, iCloud, WeChat, Taobao API) all work, as do the 8 working proxy connections. Reading: fully-encrypted-traffic detection (fingerprints PF-01) followed by residual blocking "
        "of server ip:port for ~180 s (RES-01); the server identity is an address only (no DNS name, no SNI)."
    )
    return fname, dict(expect=[dict(mechanism="residual-blocking", domain=None, ip=SIP)],
                       allow=[dict(mechanism="blackhole", domain=None, ip=SIP)], note=note)


# ============================================================================
# capture 4: dns-injection, LINE on an Android phone in China (raw IP)
# ============================================================================


def cap_line(outdir):
    fname = "dns-injection_line-app-gfw_rawip.pcap"
    ifs = [dict(link="raw")]
    cap = Cap(fname, epoch(2025, 6, 20, 3, 14, 22), ifs)
    ctx = AppCtx(cap, 2004, cip="192.168.31.57", cip6="2409:8a1e:6a31:c2e0:8d4b:1f2e:73a6:5c09", cos="android", cttl=64,
                 resolver="8.8.8.8", rttl=116, dns_rtt=0.0642, edns=1232)
    ctx.flow_class = AppFlow
    rng = ctx.rng
    inj = []

    def lk(t, name, a, aaaa=(), cn=(), ttl=300, tag=None, soa=None):
        auth6 = [(soa[0], "SOA", 300, soa[1])] if (soa and not aaaa) else []
        return ctx.lookup2(t, name, chain(name, cn, a, ttl, ttl), chain(name, cn, aaaa, ttl, ttl, "AAAA") if aaaa else chain(name, cn, [], ttl, ttl),
                           auth_aaaa=auth6, tag=tag, redns=512)[0]

    def injected_lookup(t, name, gen_a, gen_aaaa, forged_a, forged_aaaa, tag, soa=None, cn=(), ttl=300):
        """Android asks A and AAAA on two sockets; the GFW's injectors answer first (flags
        0x8180, one answer, no OPT although the query had one), 8.8.8.8's real answers follow."""
        last, info = ctx.lookup2(t, name, chain(name, cn, gen_a, ttl, ttl), chain(name, cn, gen_aaaa, ttl, ttl, "AAAA"),
                                 auth_aaaa=[(soa[0], "SOA", 300, soa[1])] if (soa and not gen_aaaa) else [], tag=tag, redns=512)
        for qt, forged in (("A", forged_a), ("AAAA", forged_aaaa)):
            sport, txid, tq = info[qt]
            for k, (dly, addr, ittl, df, attl) in enumerate(forged):
                r = dns2(txid, 0x8180, name, qt, [(name, qt, attl, addr)])
                cap.add(tq + dly, udp("8.8.8.8", ctx.cip, 53, sport, r, ittl, rng.randrange(65536), df), False, 0, f"{tag}f{qt}{k + 1}")
                inj.append(dict(name=name, qt=qt, addr=addr, ttl=ittl, df=df, tag=f"{tag}f{qt}{k + 1}"))
        return last

    # ---- ordinary phone traffic
    t = lk(0.188, "connect.rom.miui.com", ["110.43.0.83"], cn=["connect.rom.miui.com.w.cdngslb.com"], ttl=60)
    ctx.http(t + 0.0004, "110.43.0.83", "connect.rom.miui.com", 0.0211, 52, path="/generate_204", status="204 No Content",
             headers=(("Server", "Tengine"), ("Date", "Fri, 20 Jun 2025 03:14:22 GMT"), ("Content-Length", "0"), ("Connection", "close")),
             ua="Dalvik/2.1.0 (Linux; U; Android 14; 23078RKD5C Build/UKQ1.230804.001)")
    t = lk(0.91, "ntp.aliyun.com", ["203.107.6.88"], cn=["ntp.aliyun.com.gds.alibabadns.com"], ttl=120)
    ctx.ntp(t + 0.0004, "203.107.6.88", 0.0285, 52)
    t = lk(1.64, "resolver.msg.xiaomi.net", ["111.13.141.211"], ttl=300)
    ctx.https(t + 0.0004, "111.13.141.211", "resolver.msg.xiaomi.net", 0.0262, 51, resp=1800, profile="okhttp", alpn=("http/1.1",), close="none")
    t = lk(2.35, "dns.weixin.qq.com", ["183.47.98.174"], ttl=300)
    ctx.https(t + 0.0004, "183.47.98.174", "dns.weixin.qq.com", 0.0304, 52, resp=2600, profile="okhttp", alpn=("http/1.1",))
    t = lk(3.02, "mobilegw.alipay.com", ["110.76.44.150"], cn=["mobilegw.alipay.com.gds.alipaydns.com"], ttl=60)
    ctx.https(t + 0.0004, "110.76.44.150", "mobilegw.alipay.com", 0.0298, 50, resp=9100, profile="okhttp", alpn=("h2", "http/1.1"))
    t = lk(3.77, "acs.m.taobao.com", ["140.205.174.1"], ["240e:e1:aa00:4000::1e5"], cn=["acs.m.taobao.com.gds.alibabadns.com"], ttl=60)
    ctx.https(t + 0.0004, "240e:e1:aa00:4000::1e5", "acs.m.taobao.com", 0.0287, 53, resp=14800, profile="okhttp", alpn=("h2", "http/1.1"))

    # ---- LINE starts: legy.line-apps.com (the app's API/push host) and obs.line-scdn.net
    soa_line = ("line-apps.com", ("ns1.line-apps.com", "dl_dns_admin.linecorp.com", 2025061301, 3600, 900, 1209600, 300))
    soa_scdn = ("line-scdn.net", ("ns1.line-scdn.net", "dl_dns_admin.linecorp.com", 2025051902, 3600, 900, 1209600, 300))
    t1 = injected_lookup(5.402, "legy.line-apps.com", ["147.92.252.41", "147.92.252.42"], [],
                         [(0.0213, "31.13.94.49", 50, False, 213), (0.0221, "199.59.148.209", 104, True, 97)],
                         [(0.0216, "2a03:2880:f10d:83:face:b00c:0:25de", 50, False, 213)],
                         "legy1", soa=soa_line, ttl=231)
    # the app connects to the first address getaddrinfo returns (the forged AAAA), then the forged A
    fl6 = AppFlow(ctx, "2a03:2880:f10d:83:face:b00c:0:25de", 443, 0.05, 50)
    ts = t1 + 0.0021
    fl6.c(ts, "S", tag="c6syn")
    for k, d in enumerate((1.0, 3.0, 7.0)):
        fl6.c(ts + d + rng.uniform(0, 0.003), "S", seq=fl6.ciss, tag=f"c6syn{k + 2}")
    fl4 = AppFlow(ctx, "31.13.94.49", 443, 0.05, 50)
    ts4 = ts + 10.0021
    fl4.c(ts4, "S", tag="c4syn")
    for k, d in enumerate((1.0, 3.0)):
        fl4.c(ts4 + d + rng.uniform(0, 0.003), "S", seq=fl4.ciss, tag=f"c4syn{k + 2}")
    t2 = injected_lookup(6.118, "obs.line-scdn.net", ["147.92.244.140"], [],
                         [(0.0209, "31.13.94.50", 50, False, 188), (0.0217, "162.125.6.1", 104, True, 61)],
                         [(0.0211, "2a03:2880:f11c:82:face:b00c:0:25de", 50, False, 188)],
                         "obs1", soa=soa_scdn, ttl=287)
    del t2
    # other apps keep working meanwhile
    t = lk(7.1, "restapi.amap.com", ["106.11.248.144"], cn=["restapi.amap.com.gds.alibabadns.com"], ttl=60)
    ctx.https(t + 0.0004, "106.11.248.144", "restapi.amap.com", 0.0319, 51, resp=22000, profile="okhttp", alpn=("h2", "http/1.1"))
    t = lk(8.4, "api.bilibili.com", ["119.3.238.64"], ["2409:8c54:1050:10::25"], cn=["a.w.bilicdn1.com"], ttl=300)
    ctx.quic(t + 0.0005, "2409:8c54:1050:10::25", "api.bilibili.com", 0.0251, 54, resp=26000, tag="q1")
    t = lk(9.6, "i0.hdslb.com", ["101.91.140.18"], ["240e:97d:2000:200::34"], cn=["i0.hdslb.com.w.kunlunsl.com"], ttl=60)
    ctx.quic(t + 0.0005, "240e:97d:2000:200::34", "i0.hdslb.com", 0.0118, 55, resp=210000, tag="q2")
    # LINE retries the name ~12 s later: injected again (the cyclic injector has moved on in its pool)
    t3 = injected_lookup(17.93, "legy.line-apps.com", ["147.92.252.41", "147.92.252.42"], [],
                         [(0.0208, "31.13.94.51", 50, False, 213), (0.0219, "104.244.46.85", 104, True, 143)],
                         [(0.0212, "2a03:2880:f12a:83:face:b00c:0:25de", 50, False, 213)],
                         "legy2", soa=soa_line, ttl=219)
    fl6b = AppFlow(ctx, "2a03:2880:f10d:83:face:b00c:0:25de", 443, 0.05, 50)
    fl6b.c(t3 + 0.0019, "S", tag="c6bsyn")
    fl6b.c(t3 + 1.0031, "S", seq=fl6b.ciss)
    t = lk(19.2, "szshort.weixin.qq.com", ["183.3.226.35"], ttl=300)
    ctx.https(t + 0.0004, "183.3.226.35", "szshort.weixin.qq.com", 0.0296, 52, resp=5600, profile="okhttp", alpn=("http/1.1",))
    t = lk(20.5, "api5-normal-c-lq.amemv.com", ["123.6.25.3"], cn=["api5-normal-c-lq.amemv.com.bytetcc.com"], ttl=60)
    ctx.https(t + 0.0004, "123.6.25.3", "api5-normal-c-lq.amemv.com", 0.0242, 53, resp=38000, profile="okhttp", alpn=("h2", "http/1.1"))
    t = lk(22.2, "p3-sign.douyinpic.com", ["116.177.238.36"], cn=["p3-sign.douyinpic.com.bytecdn.cn"], ttl=60)
    ctx.https(t + 0.0004, "116.177.238.36", "p3-sign.douyinpic.com", 0.0231, 54, resp=160000, profile="okhttp", alpn=("h2", "http/1.1"))
    t = lk(24.0, "www.baidu.com", ["110.242.68.66"], cn=["www.a.shifen.com"], ttl=600)
    ctx.https(t + 0.0004, "110.242.68.66", "www.baidu.com", 0.0275, 52, resp=64000, profile="okhttp", alpn=("h2", "http/1.1"))

    cap.write(os.path.join(outdir, fname))
    fr = cap.frame

    def desc(tag):
        x = [i for i in inj if i["tag"] == tag][0]
        return f"frame {fr(tag)} ({x['qt']} {x['addr']}, IP TTL {x['ttl']}, DF={int(x['df'])})"

    note = (
        "Android 14 phone (Xiaomi) in China, 2025-06-20, raw-IP capture (PCAPdroid-style, LINKTYPE_RAW). The Wi-Fi hands out 8.8.8.8 as resolver; "
        "Android asks A and AAAA on separate sockets with an EDNS0 OPT record. Ordinary lookups through 8.8.8.8 get exactly one answer each "
        "(IP TTL 116, OPT echoed, ~64 ms) and 13 other app flows work (MIUI generate_204 over HTTP, NTP, Xiaomi push, WeChat, Alipay, Taobao over IPv6, Amap, "
        "bilibili over HTTP/3 QUIC on IPv6, Douyin API and images, Baidu). "
        f"LINE's API host legy.line-apps.com: A query frame {fr('legy1qA')}, AAAA query frame {fr('legy1qAAAA')}. ~21 ms later (a third of the resolver RTT) "
        f"forged answers arrive: {desc('legy1fA1')}, {desc('legy1fA2')}, {desc('legy1fAAAA1')}; all with flags 0x8180, exactly one answer record "
        "(compressed pointer c00c), no authority and no OPT although the query carried one, answer addresses from the GFW's Facebook/Twitter/Dropbox pools. "
        f"The genuine 8.8.8.8 replies follow at ~64 ms (A frame {fr('legy1rA')}: 147.92.252.41/.42, LINE's AS; AAAA frame {fr('legy1rAAAA')}: NOERROR with no answer, SOA in "
        "authority, OPT echoed, IP TTL 116): two or three different responses to one query, the early ones forged. "
        f"The app connects to the forged AAAA first (SYN frame {fr('c6syn')} + 3 retransmissions, no answer) and then the forged A 31.13.94.49 (frame {fr('c4syn')}, no answer). "
        f"obs.line-scdn.net (LINE's object storage CDN) is injected the same way: {desc('obs1fA1')}, {desc('obs1fA2')}, {desc('obs1fAAAA1')}, genuine A at frame {fr('obs1rA')}. "
        f"A retry of legy.line-apps.com at t={trel(cap, 'legy2qA'):.1f} s is injected again ({desc('legy2fA1')}, {desc('legy2fA2')}) with the genuine reply at frame {fr('legy2rA')}. "
        "Reading: on-path DNS injection (fingerprints DNS-01/02/03), the two LINE names are the blocked ones; the unanswered SYNs are the consequence."
    )
    return fname, dict(expect=[dict(mechanism="dns-injection", domain="legy.line-apps.com"), dict(mechanism="dns-injection", domain="obs.line-scdn.net")],
                       allow=[dict(mechanism="dns-tampering", domain="legy.line-apps.com"), dict(mechanism="dns-tampering", domain="obs.line-scdn.net"),
                              dict(mechanism="blackhole", domain="legy.line-apps.com")], note=note)


# ============================================================================
# capture 5: throttling, Twitter app's video host video.twimg.com, Russia March 2021
# ============================================================================


def cap_twitter(outdir):
    fname = "throttling_twitter-video-sni_ethns.pcap"
    ifs = [dict(link="eth", cmac=mac("9c:5c:f9:31:e0:7a"), gmac=mac("14:cc:20:5b:9e:02"))]
    cap = Cap(fname, epoch(2021, 3, 16, 9, 21, 5), ifs, endian=">", nsec=True)
    ctx = AppCtx(cap, 2005, cip="192.168.1.139", cip6="2a02:2698:2c:7e1b:d5a1:44f0:9b3e:1c27", cos="android", cttl=64,
                 resolver="192.168.1.1", rttl=64, dns_rtt=0.0094, edns=None)
    ctx.flow_class = AppFlow
    rng = ctx.rng
    FASTLY = "151.101.244.158"

    def lk(t, name, a, aaaa=(), cn=(), ttl=300, tag=None):
        return ctx.lookup2(t, name, chain(name, cn, a, ttl, ttl), chain(name, cn, aaaa, ttl, ttl, "AAAA") if aaaa else chain(name, cn, [], ttl, ttl), tag=tag, redns=None)[0]

    def h2_session(t, sip, sni, rtt, sttl, reqs, rate=30e6, drop=None, tag=None, sos="cdn", cert=3400, t_limit=1e9):
        """okhttp HTTP/2 session: ClientHello, server flight, then request/response pairs, each
        response a server->client transfer through `drop` (the policer, if any)."""
        fl = AppFlow(ctx, sip, 443, rtt, sttl, sos=sos)
        t = fl.handshake(t, tag)
        ch, sid = make_hello(rng, sni, ("h2", "http/1.1"), "okhttp")
        t = fl.send_c(t + rng.uniform(0.0003, 0.001), ch, tag and tag + "ch")
        t = fl.bulk(t + fl.owd + 0.0012, server_flight(rng, sid, cert), rate, drop, t_limit, tag and tag + "sh", final_ack=False)
        t = max(t, fl.last_arr + rng.uniform(0.001, 0.003))
        first = True
        marks = []
        for k, (rq, rs) in enumerate(reqs):
            data = (b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 60) if first else b"") + app_rec(rng, rq)
            first = False
            t = fl.send_c(t, data, tag and f"{tag}req{k + 1}")
            t0 = t + fl.owd + rng.uniform(0.004, 0.02)
            t = fl.bulk(t0, app_stream(rng, rs), rate, drop, t_limit, tag and f"{tag}resp{k + 1}")
            marks.append((t0 - fl.owd, fl.last_arr, rs))
            t += rng.uniform(0.01, 0.25)
        return fl, t, marks

    # ---- the phone's other traffic
    t = lk(0.112, "connectivitycheck.gstatic.com", ["142.250.74.3"], ["2a00:1450:4010:c0e::5e"], ttl=300)
    ctx.http(t + 0.0004, "142.250.74.3", "connectivitycheck.gstatic.com", 0.0198, 116, path="/generate_204", status="204 No Content",
             headers=(("Content-Length", "0"), ("Date", "Tue, 16 Mar 2021 09:21:05 GMT")), ua="Dalvik/2.1.0 (Linux; U; Android 11; SM-A515F Build/RP1A.200720.012)", sos="cdn")
    t = lk(0.53, "mtalk.google.com", ["64.233.162.188"], ["2a00:1450:4010:c05::bc"], cn=["mobile-gtalk.l.google.com"], ttl=300)
    fl = AppFlow(ctx, "2a00:1450:4010:c05::bc", 5228, 0.0201, 118, sos="cdn")  # FCM push, TLS on 5228
    tls_exchange(ctx, fl, fl.handshake(t + 0.0004, "fcm") + 0.0004, "mtalk.google.com", "okhttp", (), 2600, [(180, 96), (40, 40)], tag="fcm")
    t = lk(1.06, "g.whatsapp.net", ["157.240.205.60"], ["2a03:2880:f26e:c6:face:b00c:0:167"], ttl=60)
    fl = AppFlow(ctx, "157.240.205.60", 5222, 0.0312, 56, sos="cdn")  # WhatsApp chat: Noise over TCP 5222
    tt = fl.handshake(t + 0.0005, "wa")
    tt = fl.send_c(tt + 0.0003, wa_client_hello(rng), "wach")
    tt = fl.bulk(tt + fl.owd + 0.004, wa_server_hello(rng), 30e6, None, 1e9)
    for rq, rs in ((97, 402), (61, 1250), (38, 38)):
        tt = fl.send_c(tt + rng.uniform(0.02, 0.3), wa_frame(rng.randbytes(rq)))
        tt = fl.bulk(tt + fl.owd + 0.003, wa_frame(rng.randbytes(rs)), 30e6, None, 1e9)
    fl = AppFlow(ctx, "149.154.167.51", 443, 0.0528, 54, sos="linuxsrv")  # Telegram DC2, MTProto obfuscated2
    tt = fl.handshake(1.71, "tg")
    tt = fl.send_c(tt + 0.0004, mtproto_obf2_init(rng) + rng.randbytes(4 + 168), "tginit")
    for rq, rs in ((0, 248), (136, 520), (88, 1720), (72, 96)):
        if rq:
            tt = fl.send_c(tt + rng.uniform(0.01, 0.4), rng.randbytes(rq))
        tt = fl.bulk(tt + fl.owd + 0.002, rng.randbytes(rs), 30e6, None, 1e9)
    t = lk(2.24, "api.vk.com", ["87.240.129.133"], ttl=300)
    ctx.https(t + 0.0004, "87.240.129.133", "api.vk.com", 0.0085, 58, resp=14000, profile="okhttp", alpn=("h2", "http/1.1"))
    t = lk(2.62, "sun9-47.userapi.com", ["95.142.206.163"], ttl=300)
    ctx.https(t + 0.0004, "95.142.206.163", "sun9-47.userapi.com", 0.0091, 57, resp=420000, rate=60e6, profile="okhttp", alpn=("h2", "http/1.1"))

    # ---- Twitter app: API calls (small), images, then a video
    TW_API = "104.244.42.66"
    t = lk(3.41, "api.twitter.com", [TW_API, "104.244.42.130"], ttl=300, tag="apidns")
    _, _, _ = h2_session(t + 0.0005, TW_API, "api.twitter.com", 0.0623, 52, [(420, 7800), (310, 5200)], sos="linuxsrv", tag="api")
    t = lk(3.98, "pbs.twimg.com", ["151.101.244.159"], ["2a04:4e42:3a::159"], cn=["dualstack.twimg.twitter.map.fastly.net"], ttl=300)
    _, _, _ = h2_session(t + 0.0005, "151.101.244.159", "pbs.twimg.com", 0.0301, 57, [(120, 4100), (80, 3900)], tag="pbs")
    t = lk(5.22, "video.twimg.com", [FASTLY], ["2a04:4e42:3a::158"], cn=["dualstack.video.twitter.map.fastly.net"], ttl=300, tag="viddns")
    pol = TokenBucket(148e3, 9000)
    vfl, tv_end, vmarks = h2_session(t + 0.0006, FASTLY, "video.twimg.com", 0.0304, 57, [(160, 2900), (140, 228000), (140, 241000)], rate=60e6, drop=pol, tag="vid")
    # meanwhile: other traffic, including a fast transfer from the very same Fastly edge under another name
    t = lk(9.37, "www.youtube.com", ["173.194.222.190"], ["2a00:1450:4010:c08::be"], cn=["youtube-ui.l.google.com"], ttl=300)
    ctx.quic(t + 0.0005, "173.194.222.190", "www.youtube.com", 0.0214, 117, resp=62000, tag="q1", version=0xFF00001D)
    t = lk(11.84, "media.giphy.com", [FASTLY], ["2a04:4e42:3a::158"], cn=["giphy.map.fastly.net"], ttl=300, tag="gifdns")
    cfl, tc_end, cmarks = h2_session(t + 0.0005, FASTLY, "media.giphy.com", 0.0302, 57, [(130, 1450000), (120, 820000)], rate=60e6, tag="ctl")
    t = lk(14.6, "i.ytimg.com", ["173.194.222.119"], ["2a00:1450:4010:c0e::77"], ttl=300)
    ctx.quic(t + 0.0005, "2a00:1450:4010:c0e::77", "i.ytimg.com", 0.0207, 118, resp=140000, tag="q2", version=0xFF00001D)
    t = lk(17.9, "yandex.ru", ["77.88.55.88"], ["2a02:6b8:a::a"], ttl=300)
    ctx.https(t + 0.0004, "2a02:6b8:a::a", "yandex.ru", 0.0098, 57, resp=98000, profile="okhttp", alpn=("h2", "http/1.1"))
    t = lk(22.3, "api.vk.com", ["87.240.129.133"], ttl=300)
    ctx.https(t + 0.0004, "87.240.129.133", "api.vk.com", 0.0086, 58, resp=6100, profile="okhttp", alpn=("h2", "http/1.1"))

    cap.write(os.path.join(outdir, fname))
    fr = cap.frame
    (v0a, v0b, v0n), (v1a, v1b, v1n), (v2a, v2b, v2n) = vmarks
    seg_bytes = v1n + v2n
    seg_dur = v2b - v1a
    c_bytes = sum(m[2] for m in cmarks)
    c_dur = cmarks[-1][1] - cmarks[0][0]
    nrtx = len(cap.frames("vidresp2rtx")) + len(cap.frames("vidresp3rtx"))
    kbps = seg_bytes * 8 / seg_dur / 1e3
    ckbps = c_bytes * 8 / c_dur / 1e3
    note = (
        "Android 11 phone on home Wi-Fi in Russia, 2021-03-16 (the Twitter throttling that began 2021-03-10; the over-broad *t.co* rule was fixed on 03-11), "
        "captured on the OpenWrt router's LAN bridge (Ethernet, big-endian nanosecond pcap). "
        f"The Twitter app fetches a video from video.twimg.com -> {FASTLY} (Fastly; DNS frame {fr('viddnsrA')}): TLS ClientHello with SNI video.twimg.com (frame {fr('vidch')}), "
        f"playlist then two HLS segments over HTTP/2 (requests frames {fr('vidreq2')}, {fr('vidreq3')}). The {seg_bytes // 1000} kB of segments take {seg_dur:.1f} s, "
        f"i.e. ~{kbps:.0f} kbit/s of goodput at an RTT of 30 ms; {nrtx} segments only arrive after retransmission (a ~148 kbit/s policer upstream of the capture point drops what exceeds the rate: gaps, SACK duplicate ACKs, fast retransmits and RTOs are visible). "
        f"Control on the same server address: at t={trel(cap, 'ctlsyn'):.1f} s another app fetches media.giphy.com, which resolves to the same Fastly edge {FASTLY} "
        f"(frame {fr('gifdnsrA')}); its connection (ClientHello frame {fr('ctlch')}) receives {c_bytes / 1e6:.2f} MB in {c_dur:.2f} s (~{ckbps / 1000:.0f} Mbit/s) without loss, "
        "during the throttled download. Other traffic is fast as well (VK images ~400 kB in well under a second, Yandex over IPv6, YouTube/ytimg over QUIC draft-29, "
        "FCM on 5228, WhatsApp Noise on 5222, Telegram MTProto obfuscated2 to 149.154.167.51:443). The app's api.twitter.com and pbs.twimg.com calls are small "
        "(<10 kB per response) and fit within the policer's burst, so they show no measurable slowdown. Reading: SNI-triggered throttling (fingerprints THR-01)."
    )
    return fname, dict(expect=[dict(mechanism="throttling", domain="video.twimg.com")],
                       allow=[dict(mechanism="throttling", domain="pbs.twimg.com"), dict(mechanism="throttling", domain="api.twitter.com")], note=note)


# ============================================================================
# capture 6: blockpage, VLC's plain-HTTP update check on Airtel (India), Windows pcapng
# ============================================================================


def cap_vlc(outdir):
    fname = "blockpage_vlc-update-check_airtel.pcapng"
    ifs = [dict(link="eth", cmac=mac("70:a6:cc:4e:92:1d"), gmac=mac("e4:c3:2a:71:08:5f"), name="\\Device\\NPF_{5B2C3E41-8F0A-4D9B-9E12-6A7C0D3F1B84}", tsresol=6, os="64-bit Windows 10 (21H2), build 19044")]
    cap = Cap(fname, epoch(2022, 5, 17, 10, 16, 32), ifs, fmt="pcapng",
              shb=dict(hw="Intel(R) Core(TM) i5-1135G7 @ 2.40GHz (with SSE4.2)", os="64-bit Windows 10 (21H2), build 19044", app="Dumpcap (Wireshark) 3.6.5 (v3.6.5-0-gf1f8f2b4e0a2)"))
    ctx = WinCtx(cap, 2006, cip="192.168.1.5", cip6="2401:4900:1c3a:7b12:4d1:9e3f:a8b2:6c01", cos="win", cttl=128,
                 resolver="192.168.1.1", rttl=64, dns_rtt=0.0061, edns=None, mss4=1460, mss6=1440)
    ctx.gipid = 0x5A31
    rng = ctx.rng

    def lk(t, name, a, aaaa=(), cn=(), ttl=300, tag=None, soa=None):
        auth6 = [(soa[0], "SOA", 300, soa[1])] if (soa and not aaaa) else []
        return ctx.lookup2(t, name, chain(name, cn, a, ttl, ttl), chain(name, cn, aaaa, ttl, ttl, "AAAA") if aaaa else chain(name, cn, [], ttl, ttl),
                           auth_aaaa=auth6, tag=tag, redns=None)[0]

    # ---- Windows NCSI probes (DNS + plain HTTP: a benign HTTP exchange on this network)
    t = lk(0.203, "www.msftconnecttest.com", ["13.107.4.52"], cn=["v4ncsi.msedge.net"], ttl=60,
           soa=("msedge.net", ("ns1.msedge.net", "msnhst.microsoft.com", 2022051701, 1800, 900, 2419200, 240)))
    ctx.http(t + 0.0004, "13.107.4.52", "www.msftconnecttest.com", 0.0281, 117, path="/connecttest.txt", status="200 OK",
             headers=(("Cache-Control", "no-store, no-cache"), ("Content-Length", "22"), ("Content-Type", "text/plain"), ("Last-Modified", "Fri, 04 Mar 2022 17:51:04 GMT"), ("Date", "Tue, 17 May 2022 10:16:32 GMT")),
             body=b"Microsoft Connect Test", ua="Microsoft NCSI", sos="cdn", tag="ncsi")
    t = lk(0.52, "dns.msftncsi.com", ["131.107.255.255"], ["fd3e:4f5a:5b81::1"], ttl=30)
    ctx.ntp(0.86, "20.101.57.9", 0.1324, 108, refid=b"\\x19\\x41\\x2c\\x62", sport=123)
    # ---- apps at login
    t = lk(1.37, "apresolve.spotify.com", ["35.186.224.25"], ttl=60)
    ctx.https(t + 0.0004, "35.186.224.25", "apresolve.spotify.com", 0.0318, 116, resp=900, profile="chrome", sos="cdn")
    t = lk(1.82, "ap-gew4.spotify.com", ["104.199.65.124"], ttl=60)
    fl = AppFlow(ctx, "104.199.65.124", 4070, 0.1318, 107, sos="linuxsrv")  # Spotify access point, own protocol on 4070
    tt = fl.handshake(t + 0.0004, "spap")
    hello = pb_bytes(10, b"\x08\xc0\x02\x10\x00\x18\xf6\xc6\xd4\x02\x20\x00") + pb_bytes(30, b"\x00") + pb_bytes(50, pb_bytes(10, pb_bytes(10, rng.randbytes(96)) + b"\x10\x01")) + pb_bytes(60, rng.randbytes(16)) + pb_bytes(70, b"\x1e")
    tt = fl.send_c(tt + 0.0004, b"\x00\x04" + struct.pack("!I", len(hello) + 6) + hello, "spapch")
    for rq, rs in ((0, 536), (300, 0), (220, 1880), (96, 640)):
        if rq:
            tt = fl.send_c(tt + rng.uniform(0.003, 0.2), rng.randbytes(rq))
        if rs:
            tt = fl.bulk(tt + fl.owd + 0.004, rng.randbytes(rs), 30e6, None, 1e9)
    t = lk(2.41, "gateway.discord.gg", ["162.159.135.234", "162.159.133.234"], ttl=300)
    ctx.https(t + 0.0004, "162.159.135.234", "gateway.discord.gg", 0.0224, 57, resp=8600, profile="chrome", sos="cdn", alpn=("http/1.1",), close="none")
    t = lk(2.77, "web.whatsapp.com", ["157.240.192.52"], ["2a03:2880:f22d:c5:face:b00c:0:167"], cn=["mmx-ds.cdn.whatsapp.net"], ttl=60)
    ctx.https(t + 0.0004, "2a03:2880:f22d:c5:face:b00c:0:167", "web.whatsapp.com", 0.0262, 56, resp=31000, profile="chrome", sos="cdn", alpn=("http/1.1",), close="none")
    fl = AppFlow(ctx, "149.154.167.51", 443, 0.1642, 51, sos="linuxsrv")  # Telegram Desktop, MTProto obfuscated2
    tt = fl.handshake(3.12, "tg")
    tt = fl.send_c(tt + 0.0004, mtproto_obf2_init(rng, b"\xdd\xdd\xdd\xdd") + rng.randbytes(212), "tginit")
    for rq, rs in ((0, 664), (148, 1204), (76, 96)):
        if rq:
            tt = fl.send_c(tt + rng.uniform(0.01, 0.3), rng.randbytes(rq))
        tt = fl.bulk(tt + fl.owd + 0.002, rng.randbytes(rs), 30e6, None, 1e9)

    # ---- VLC starts and checks for updates over plain HTTP
    soa_v = ("videolan.org", ("ns1.videolan.org", "hostmaster.videolan.org", 2022041201, 10800, 3600, 604800, 3600))
    t = lk(6.118, "update.videolan.org", ["213.36.253.2"], [], ttl=3600, tag="vlcdns", soa=soa_v)
    SIP, RTT, STTL = "213.36.253.2", 0.1487, 48
    fl = AppFlow(ctx, SIP, 80, RTT, STTL, sos="linuxsrv")
    tt = fl.handshake(t + 0.0009, "vlc")
    req = http_get("/vlc/status-win-x64", "update.videolan.org", (("Accept", "*/*"), ("Accept-Language", "en_US"), ("User-Agent", "VLC/3.0.17.4 LibVLC/3.0.17.4"), ("Range", "bytes=0-")))
    tt = fl.send_c(tt + 0.0011, req, "vlcget")
    t_get = tt
    url = "http%3a%2f%2fupdate%2evideolan%2eorg%2fvlc%2fstatus-win-x64"
    body = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"/><meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0"/>'
            '<style>body{margin:0px;padding:0px;}iframe{width:100%;height:100%}</style></head><body>'
            '<iframe src="http://www.airtel.in/dot/?dpid=1&dpruleid=3&cat=107&ttl=0&groupname=Airtel_Active_DNS&policyname=dot&username=-&userip=122.161.48.207'
            f'&connectionip=1.0.0.127&nsphostname=policy03-Mumbai&protocol=nsef&dplanguage=-&url={url}" width="100%" height="100%" frameborder="0"></iframe></body></html>').encode()
    resp = (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n") + body
    # the filter sits a few hops away: answers 9 ms after the GET (RTT to the server: 149 ms), own TTL/IP ID/window,
    # then closes the connection with a FIN of its own; the GET never reaches the server
    ti = t_get + 0.0093
    BOX_TTL = 60
    bid = rng.randrange(0x1000, 0xF000)
    p = mk_ip(SIP, ctx.cip, BOX_TTL, bid, False) / TCP(sport=80, dport=fl.sport, seq=fl.snxt, ack=fl.cnxt, flags="PA", window=8192) / Raw(resp)
    cap.add(ti, p, False, 0, "vlcblock")
    p = mk_ip(SIP, ctx.cip, BOX_TTL, bid + 1, False) / TCP(sport=80, dport=fl.sport, seq=fl.snxt + len(resp), ack=fl.cnxt, flags="FA", window=8192)
    cap.add(ti + 0.000021, p, False, 0, "vlcboxfin")
    fl.snxt += len(resp) + 1
    fl.c_rcv = fl.snxt
    fl.c(ti + 0.00021, "A", tag="vlcack")
    fl.c(ti + 0.0013, "FA", tag="vlcfin")
    # the real server never saw the GET; the client's FIN reaches it out of sequence and its stack resets
    fl.s(ti + 0.0013 + RTT, "R", seq=fl.siss + 1, ack=0, win=0, tag="vlcsrst")
    vlc = dict(ip=SIP, rtt=RTT, sttl=STTL, box_ttl=BOX_TTL, dt=ti - t_get)

    # ---- more ordinary traffic
    t = lk(8.35, "www.youtube.com", ["142.250.183.14"], ["2404:6800:4009:82a::200e"], cn=["youtube-ui.l.google.com"], ttl=300)
    ctx.quic(t + 0.0005, "2404:6800:4009:82a::200e", "www.youtube.com", 0.0231, 118, resp=88000, tag="q1")
    t = lk(9.7, "cdn.discordapp.com", ["162.159.129.233"], ttl=300)
    ctx.https(t + 0.0004, "162.159.129.233", "cdn.discordapp.com", 0.0221, 57, resp=74000, profile="chrome", sos="cdn")
    t = lk(11.2, "api.steampowered.com", ["23.56.48.163"], cn=["api.steampowered.com.edgekey.net", "e7396.dscb.akamaiedge.net"], ttl=60)
    ctx.https(t + 0.0004, "23.56.48.163", "api.steampowered.com", 0.0192, 57, resp=5200, profile="chrome", sos="cdn")
    t = lk(13.9, "www.hotstar.com", ["104.94.125.21"], cn=["www.hotstar.com.edgekey.net", "e10413.dscb.akamaiedge.net"], ttl=60)
    ctx.https(t + 0.0004, "104.94.125.21", "www.hotstar.com", 0.0176, 58, resp=156000, profile="chrome", sos="cdn")
    t = lk(14.6, "www.google.com", ["142.250.192.100"], ["2404:6800:4009:826::2004"], ttl=300)
    ctx.quic(t + 0.0005, "142.250.192.100", "www.google.com", 0.0247, 117, resp=54000, tag="q2")
    t = lk(17.1, "teams.microsoft.com", ["52.113.194.132"], cn=["teams.office.com", "s-0005.s-msedge.net"], ttl=60)
    ctx.https(t + 0.0004, "52.113.194.132", "teams.microsoft.com", 0.0318, 112, resp=43000, profile="chrome", sos="cdn")
    t = lk(18.9, "spclient.wg.spotify.com", ["35.186.224.47"], ["2600:1901:1:c36::"], cn=["edge-web.dual-gslb.spotify.com"], ttl=60)
    ctx.https(t + 0.0004, "2600:1901:1:c36::", "spclient.wg.spotify.com", 0.0337, 117, resp=22000, profile="chrome", sos="cdn")

    cap.write(os.path.join(outdir, fname))
    fr = cap.frame
    note = (
        "Windows 10 laptop on Airtel broadband, India, 2022-05-17 (pcapng, Ethernet). VLC 3.0.17.4 starts and runs its update check over plain HTTP: "
        f"update.videolan.org resolves normally (frame {fr('vlcdnsrA')}: {SIP}); TCP handshake to {SIP}:80 (SYN/ACK frame {fr('vlcsynack')}, IP TTL {STTL}, RTT {RTT * 1000:.0f} ms); "
        f"GET /vlc/status-win-x64 with User-Agent VLC/3.0.17.4 (frame {fr('vlcget')}). {vlc['dt'] * 1000:.1f} ms later - far below the RTT - an 'HTTP/1.1 200 OK' arrives from {SIP} "
        f"(frame {fr('vlcblock')}) with IP TTL {BOX_TTL} (server: {STTL}), DF clear, window 8192, whose body is Airtel's block page: an <iframe src=\"http://www.airtel.in/dot/?dpid=1&dpruleid=3...\"> "
        "(the ooni/blocking-fingerprints Airtel pattern 'http://www.airtel.in/dot/?dpid='), followed by a FIN from the same box (frame "
        f"{fr('vlcboxfin')}). The client ACKs and closes (frames {fr('vlcack')}, {fr('vlcfin')}); the real server, which never received the GET, answers the client's "
        f"FIN with a bare RST with its own TTL {STTL} one RTT later (frame {fr('vlcsrst')}). A plain-HTTP control on the same network works normally "
        f"(Windows NCSI GET http://www.msftconnecttest.com/connecttest.txt -> 'Microsoft Connect Test', frame {fr('ncsiresp' + 'data')}), as do 13 other app flows "
        "(NTP, Spotify apresolve + access point on TCP 4070, Discord gateway/CDN, WhatsApp Desktop over IPv6, Telegram Desktop MTProto, Steam, Hotstar, Teams, "
        "YouTube/Google over HTTP/3 QUIC). Reading: HTTP block page injected by the ISP for a non-browser client (fingerprints HTTP-01)."
    )
    return fname, dict(expect=[dict(mechanism="blockpage", domain="update.videolan.org")],
                       allow=[dict(mechanism="packet-injection", domain="update.videolan.org")], note=note)


CAPTURES = [cap_signal, cap_dot, cap_ss, cap_line, cap_twitter, cap_vlc]


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "out"
    os.makedirs(outdir, exist_ok=True)
    only = sys.argv[2:] if len(sys.argv) > 2 else None
    exp = {}
    for fn in CAPTURES:
        if only and fn.__name__ not in only:
            continue
        name, e = fn(outdir)
        exp[name] = e
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(exp, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
