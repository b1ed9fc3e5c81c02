#!/usr/bin/env python3
# ruff: noqa: B905, E501, E741, F401, F841, I001, RUF034, RUF059, RUF100
"""Blind round 14, positive captures: six less common censorship mechanisms, each mixed into an
ordinary browsing session.  Usage: python blind14_positive.py OUTDIR

Writes OUTDIR/<case>.pcap[ng] and OUTDIR/expect.json.  Deterministic: every random choice comes
from a seeded random.Random, so two runs give byte-identical files."""
import ipaddress
import json
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.all import ICMP, UDP, IPv6, Raw, raw
from scapy.layers.inet6 import ICMPv6DestUnreach

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blind_kit as K  # noqa: E402  (the capture kit the round was written with)
from blind_kit import quic_server_hello  # noqa: E402
from blind_kit import Cap, Ctx, Flow, TokenBucket, app_rec, app_stream, chain, client_hello, dns_msg, epoch, ext, mac, mk_ip, server_flight, u16, x25519_pub  # noqa: E402, F401

# ----------------------------------------------------------------------------
# ordinary browsing
# ----------------------------------------------------------------------------


def site(name, a=(), aaaa=(), cn=(), rtt=0.03, ttl=56, sos="linuxsrv", resp=30000, cert=3000, kind="https", ttl_a=300, ttl_c=300, path="/", http_body=None, http_status="200 OK", http_headers=None):
    return dict(name=name, a=list(a), aaaa=list(aaaa), cn=list(cn), rtt=rtt, ttl=ttl, sos=sos, resp=resp, cert=cert, kind=kind,
                ttl_a=ttl_a, ttl_c=ttl_c, path=path, http_body=http_body, http_status=http_status, http_headers=http_headers)


def visit(ctx, t, s, v6=False, dns=True, profile="firefox", rate=None, close="client", lookup_kw=None, https_kw=None):
    """DNS lookup (A+AAAA) then one HTTPS or HTTP exchange. Returns the end time."""
    rng = ctx.rng
    if dns:
        ans_a = chain(s["name"], s["cn"], s["a"], s["ttl_c"], s["ttl_a"]) if s["a"] else []
        ans_6 = chain(s["name"], s["cn"], s["aaaa"], s["ttl_c"], s["ttl_a"], "AAAA") if s["aaaa"] else (chain(s["name"], s["cn"], [], s["ttl_c"], s["ttl_a"]) if s["cn"] else [])
        t = ctx.lookup(t, s["name"], ans_a, ans_6, **(lookup_kw or {})) + rng.uniform(0.0003, 0.002)
    ip = s["aaaa"][0] if (v6 and s["aaaa"]) else s["a"][0]
    rate = rate or rng.choice([18e6, 30e6, 45e6, 80e6])
    if s["kind"] == "http":
        body = s["http_body"] if s["http_body"] is not None else K.html_body(rng, s["resp"], s["name"])
        hdrs = s["http_headers"] or [("Server", "nginx"), ("Date", "Mon, 01 Jan 2024 00:00:00 GMT"), ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), ("Connection", "close")]
        hdrs = [(k, str(len(body)) if k == "Content-Length" else v) for k, v in hdrs]
        _, t = ctx.http(t, ip, s["name"], s["rtt"], s["ttl"], path=s["path"], status=s["http_status"], headers=hdrs, body=body, sos=s["sos"], rate=rate)
    else:
        _, t = ctx.https(t, ip, s["name"], s["rtt"], s["ttl"], resp=s["resp"], cert=s["cert"], rate=rate, profile=profile, sos=s["sos"], close=close, **(https_kw or {}))
    return t


def browse(ctx, t, sites, gap=(0.8, 6.0), v6=False, **kw):
    for s in sites:
        t = visit(ctx, t, s, v6=v6 and bool(s["aaaa"]), **kw) + ctx.rng.uniform(*gap)
    return t


def date_hdr(ts):
    import email.utils
    return email.utils.formatdate(ts, usegmt=True)


# ----------------------------------------------------------------------------
# DNS helpers beyond capkit
# ----------------------------------------------------------------------------


def qname_wire(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.rstrip(".").split(".")) + b"\0"


def dig_query(txid, qname, qtype=1, cookie=b""):
    """dig 9.18 default query: RD+AD, EDNS0 udp 1232 with a client COOKIE option."""
    opt_rd = (struct.pack("!HH", 10, len(cookie)) + cookie) if cookie else b""
    return (struct.pack("!HHHHHH", txid, 0x0120, 1, 0, 0, 1) + qname_wire(qname) + struct.pack("!HH", qtype, 1)
            + b"\0" + struct.pack("!HHIH", 41, 1232, 0, len(opt_rd)) + opt_rd)


def dig_answer(txid, qname, addrs, ttl, flags=0x8180, cookie=b"", qtype=1):
    """Genuine public-resolver answer with EDNS echoed (and cookie echoed + server cookie)."""
    out = struct.pack("!HHHHHH", txid, flags, 1, len(addrs), 0, 1) + qname_wire(qname) + struct.pack("!HH", qtype, 1)
    for a in addrs:
        out += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, ttl, 4) + ipaddress.IPv4Address(a).packed
    opt_rd = (struct.pack("!HH", 10, len(cookie)) + cookie) if cookie else b""
    out += b"\0" + struct.pack("!HHIH", 41, 1232 if not cookie else 1232, 0, len(opt_rd)) + opt_rd
    return out


def tm_injected(query):
    """Turkmenistan naive injector, behaviour since 2022-11 (DNS-06): copy the header id and the
    first question only, flags 0x8180, QD=1 AN=1 NS=0 AR=0, answer c00c A IN TTL 300 127.0.0.1."""
    txid = query[:2]
    i = 12
    while query[i]:
        i += query[i] + 1
    q = query[12:i + 5]
    return txid + bytes.fromhex("8180 0001 0001 0000 0000".replace(" ", "")) + q + bytes.fromhex("c00c 0001 0001 0000012c 0004 7f000001".replace(" ", ""))


# ----------------------------------------------------------------------------
# QUIC v1 (RFC 9000/9001) packet protection
# ----------------------------------------------------------------------------

INITIAL_SALT_V1 = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def hkdf_extract(salt, ikm):
    h = hmac.HMAC(salt, hashes.SHA256())
    h.update(ikm)
    return h.finalize()


def hkdf_expand(prk, info, length):
    out, t, i = b"", b"", 1
    while len(out) < length:
        h = hmac.HMAC(prk, hashes.SHA256())
        h.update(t + info + bytes([i]))
        t = h.finalize()
        out += t
        i += 1
    return out[:length]


def hkdf_expand_label(secret, label, context, length):
    full = b"tls13 " + label
    info = struct.pack("!H", length) + bytes([len(full)]) + full + bytes([len(context)]) + context
    return hkdf_expand(secret, info, length)


def initial_keys(odcid, server):
    init = hkdf_extract(INITIAL_SALT_V1, odcid)
    sec = hkdf_expand_label(init, b"server in" if server else b"client in", b"", 32)
    return (hkdf_expand_label(sec, b"quic key", b"", 16), hkdf_expand_label(sec, b"quic iv", b"", 12), hkdf_expand_label(sec, b"quic hp", b"", 16))


def random_keys(rng):
    return (rng.randbytes(16), rng.randbytes(12), rng.randbytes(16))


def varint(n, size=None):
    if size is None:
        size = 1 if n < 64 else 2 if n < 16384 else 4 if n < 2**30 else 8
    pref = {1: 0, 2: 0x40, 4: 0x80, 8: 0xC0}[size]
    b = bytearray(n.to_bytes(size, "big"))
    b[0] |= pref
    return bytes(b)


def _protect(hdr, b0_mask_bits, pn, pn_len, payload, keys):
    key, iv, hp = keys
    pnb = (pn & ((1 << (8 * pn_len)) - 1)).to_bytes(pn_len, "big")
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, payload, hdr + pnb)
    sample = ct[4 - pn_len:4 - pn_len + 16]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(hdr)
    h[0] ^= mask[0] & b0_mask_bits
    pn_prot = bytes(x ^ y for x, y in zip(pnb, mask[1:1 + pn_len]))
    return bytes(h) + pn_prot + ct


def long_packet(ptype, dcid, scid, pn, payload, keys, pn_len=2, token=b""):
    """ptype 0 Initial, 2 Handshake.  payload = plaintext frames."""
    b0 = 0xC0 | (ptype << 4) | (pn_len - 1)
    hdr = bytes([b0]) + (1).to_bytes(4, "big") + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    if ptype == 0:
        hdr += varint(len(token)) + token
    hdr += varint(pn_len + len(payload) + 16, 2)
    return _protect(hdr, 0x0F, pn, pn_len, payload, keys)


def long_overhead(ptype, dcid, scid, pn_len=2, token=b""):
    n = 1 + 4 + 1 + len(dcid) + 1 + len(scid) + 2 + pn_len + 16
    if ptype == 0:
        n += len(varint(len(token))) + len(token)
    return n


def short_packet(dcid, pn, payload, keys, pn_len=2, kp=0, spin=0):
    b0 = 0x40 | (spin << 5) | (kp << 2) | (pn_len - 1)
    return _protect(bytes([b0]) + dcid, 0x1F, pn, pn_len, payload, keys)


def f_crypto(off, data):
    return b"\x06" + varint(off) + varint(len(data)) + data


def f_ack(largest, first_range=0, delay=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(first_range)


def quic_client_hello(rng, sni, scid, alpn=(b"h3",), chrome=True):
    """TLS 1.3 ClientHello handshake message (no record layer) as carried in QUIC CRYPTO frames."""
    pub = x25519_pub(rng)
    alpn_b = b"".join(bytes([len(a)]) + a for a in alpn)

    def tp(i, v):
        return varint(i) + varint(len(v)) + v

    params = (tp(0x01, varint(30000)) + tp(0x03, varint(1472)) + tp(0x04, varint(15728640)) + tp(0x05, varint(6291456))
              + tp(0x06, varint(6291456)) + tp(0x07, varint(6291456)) + tp(0x08, varint(100)) + tp(0x09, varint(103))
              + tp(0x0F, scid) + tp(0x0E, varint(8 if chrome else 2)))
    if chrome:
        params += tp(0x20, varint(65536)) + tp(0x11, b"\x00\x00\x00\x01" + b"\x00\x00\x00\x01" + b"\x6b\x33\x43\xcf")
    exts = [
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(10, u16(6) + u16(0x1D) + u16(0x17) + u16(0x18)),
        ext(16, u16(len(alpn_b)) + alpn_b),
        ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
        ext(51, u16(36) + u16(0x1D) + u16(32) + pub),
        ext(45, b"\x01\x01"),
        ext(43, b"\x02\x03\x04"),
        ext(57, params),
    ]
    if chrome:
        exts.insert(1, ext(27, b"\x02\x00\x02"))
        exts.append(ext(17513, b"\x00\x03\x02h3"))
    suites = [0x1301, 0x1302, 0x1303]
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(6) + b"".join(u16(s) for s in suites) + b"\x01\x00"
    el = b"".join(exts)
    body += u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


class Quic:
    """One QUIC connection seen from the client; packets go into ctx.cap."""

    def __init__(self, ctx, sip, rtt, sttl, sport=None, dport=443, cid_len=8, scid_len=8, dgram=1250, iface=None, chrome=True):
        rng = ctx.rng
        self.ctx, self.cap, self.rng = ctx, ctx.cap, rng
        self.sip, self.rtt, self.sttl, self.dport = sip, rtt, sttl, dport
        self.sport = sport or ctx.port()
        self.iface = ctx.iface if iface is None else iface
        self.v6 = ":" in sip
        self.cip = ctx.cip6 if self.v6 else ctx.cip
        self.odcid = rng.randbytes(cid_len)
        self.cscid = rng.randbytes(scid_len)
        self.sscid = rng.randbytes(8)
        self.ckeys, self.skeys = initial_keys(self.odcid, False), initial_keys(self.odcid, True)
        self.chs_keys, self.shs_keys = random_keys(rng), random_keys(rng)
        self.c1rtt, self.s1rtt = random_keys(rng), random_keys(rng)
        self.dgram = dgram
        self.chrome = chrome
        self.cpn = {"i": 0 if not chrome else 1, "h": 0, "a": 0}
        self.spn = {"i": 0, "h": 0, "a": 0}
        self.cid = rng.randrange(65536)
        self.fl4 = rng.getrandbits(20)

    def _c(self, t, payload, tag=None):
        ip = mk_ip(self.cip, self.sip, self.ctx.cttl, self.cid, True, self.fl4)
        self.cid = (self.cid + 1) & 0xFFFF
        self.cap.add(t, ip / UDP(sport=self.sport, dport=self.dport) / Raw(payload), True, self.iface, tag)

    def _s(self, t, payload, tag=None):
        ip = mk_ip(self.sip, self.cip, self.sttl, 0, True, 0)
        self.cap.add(t, ip / UDP(sport=self.dport, dport=self.sport) / Raw(payload), False, self.iface, tag)

    def client_initial(self, t, ch, tag=None):
        pn = self.cpn["i"]
        self.cpn["i"] += 1
        frames = f_crypto(0, ch)
        over = long_overhead(0, self.odcid, self.cscid)
        pad = self.dgram - over - len(frames)
        pkt = long_packet(0, self.odcid, self.cscid, pn, frames + b"\0" * max(pad, 0), self.ckeys)
        self._c(t, pkt, tag)

    def attempt_blocked(self, t, sni, ptos, tag=None):
        """Initial (and its PTO retransmissions) that nothing ever answers."""
        ch = quic_client_hello(self.rng, sni, self.cscid, chrome=self.chrome)
        for i, d in enumerate(ptos):
            self.client_initial(t + d, ch, tag and (tag + ("init" if i == 0 else f"pto{i}")))
        return t + ptos[-1]

    def connect(self, t, sni, resp=60000, rate=20e6, req=350, tag=None, close=True, cert=2600):
        rng = self.rng
        ch = quic_client_hello(rng, sni, self.cscid, chrome=self.chrome)
        self.client_initial(t, ch, tag and tag + "init")
        # server flight: Initial(ACK + ServerHello) coalesced with Handshake, then more Handshake
        ta = t + self.rtt + rng.uniform(0.0005, 0.002)
        sh = quic_server_hello(rng)
        ipl = f_ack(self.cpn["i"] - 1) + f_crypto(0, sh)
        p_init = long_packet(0, self.cscid, self.sscid, self.spn["i"], ipl, self.skeys)
        self.spn["i"] += 1
        # anti-amplification (RFC 9000 8.1): at most 3x the client's first datagram before it is validated
        hs_total = min(cert + 900, 3 * self.dgram - len(p_init) - 3 * (long_overhead(2, self.cscid, self.sscid) + 4) - 40)
        first = True
        off = 0
        dg = 1200
        while off < hs_total:
            room = dg - (len(p_init) if first else 0) - long_overhead(2, self.cscid, self.sscid) - 4
            n = min(room, hs_total - off)
            hp = long_packet(2, self.cscid, self.sscid, self.spn["h"], f_crypto(off, rng.randbytes(n)), self.shs_keys)
            self.spn["h"] += 1
            self._s(ta, (p_init if first else b"") + hp, tag and first and tag + "sinit")
            first = False
            off += n
            ta += (dg + 28) * 8 / rate + 0.00002
        # client: Initial ACK + Handshake(ACK, Finished) in one padded datagram, then 1-RTT request
        tc = ta + rng.uniform(0.0008, 0.003)
        ci = long_packet(0, self.sscid, self.cscid, self.cpn["i"], f_ack(self.spn["i"] - 1), self.ckeys)
        self.cpn["i"] += 1
        hfr = f_ack(self.spn["h"] - 1, self.spn["h"] - 1) + f_crypto(0, rng.randbytes(52))
        room = self.dgram - len(ci) - long_overhead(2, self.sscid, self.cscid)
        hfr += b"\0" * max(0, room - len(hfr))
        ch2 = long_packet(2, self.sscid, self.cscid, self.cpn["h"], hfr, self.chs_keys)
        self.cpn["h"] += 1
        self._c(tc, ci + ch2)
        tc += 0.00005
        self._c(tc, short_packet(self.sscid, self.cpn["a"], rng.randbytes(req), self.c1rtt), tag and tag + "req")
        self.cpn["a"] += 1
        # server: HANDSHAKE_DONE + response in 1-RTT datagrams, client ACKs every 2nd
        ts = tc + self.rtt + rng.uniform(0.002, 0.02)
        off = 0
        n_since = 0
        while off < resp:
            n = min(1200, resp - off)
            self._s(ts, short_packet(self.cscid, self.spn["a"], rng.randbytes(n), self.s1rtt), tag and off == 0 and tag + "data")
            self.spn["a"] += 1
            off += n
            n_since += 1
            if n_since >= 2 or off >= resp:
                self._c(ts + rng.uniform(0.00003, 0.0002), short_packet(self.sscid, self.cpn["a"], rng.randbytes(rng.randrange(12, 24)), self.c1rtt))
                self.cpn["a"] += 1
                n_since = 0
            ts += (n + 60) * 8 / rate
        t_end = ts
        if close:
            t_end = ts + rng.uniform(0.3, 1.5)
            self._c(t_end, short_packet(self.sscid, self.cpn["a"], rng.randbytes(rng.randrange(18, 30)), self.c1rtt), tag and tag + "close")
            self.cpn["a"] += 1
        return t_end


# ----------------------------------------------------------------------------
# expectations bookkeeping
# ----------------------------------------------------------------------------

EXPECT = {}


def rng_ip6(rng, prefix):
    net = ipaddress.IPv6Network(prefix)
    return str(net.network_address + rng.getrandbits(64))


def fr(cap, *tags):
    return [cap.frame(x) for x in tags]


# ============================================================================
# case 1: DNS-06 Turkmenistan naive injector, raced by the genuine answer
# ============================================================================


def dig_race(ctx, t, qname, resolver, r_rtt, r_ttl, genuine, gttl, inj_delay, inj_ttl, tag, srv_cookie=False):
    """dig A qname @resolver: the border injector's 127.0.0.1 arrives first; dig prints it and
    exits, so the genuine answer that follows hits a closed port (ICMP port unreachable)."""
    rng, cap = ctx.rng, ctx.cap
    sport = ctx.port()
    txid = rng.randrange(65536)
    cookie = rng.randbytes(8)
    q = dig_query(txid, qname, 1, cookie)
    cap.add(t, mk_ip(ctx.cip, resolver, ctx.cttl, rng.randrange(65536), True) / UDP(sport=sport, dport=53) / Raw(q), True, ctx.iface, tag + "q")
    inj = tm_injected(q)
    t_inj = t + inj_delay
    cap.add(t_inj, mk_ip(resolver, ctx.cip, inj_ttl, rng.randrange(65536), False) / UDP(sport=53, dport=sport) / Raw(inj), False, ctx.iface, tag + "inj")
    gen = dig_answer(txid, qname, genuine, gttl, cookie=(cookie + rng.randbytes(16)) if srv_cookie else b"")
    t_gen = t + r_rtt * rng.uniform(0.97, 1.06)
    gpkt = mk_ip(resolver, ctx.cip, r_ttl, rng.randrange(65536), False) / UDP(sport=53, dport=sport) / Raw(gen)
    cap.add(t_gen, gpkt, False, ctx.iface, tag + "gen")
    icmp = mk_ip(ctx.cip, resolver, 64, rng.randrange(65536), False) / ICMP(type=3, code=3) / Raw(raw(gpkt))
    cap.add(t_gen + rng.uniform(0.00002, 0.00006), icmp, True, ctx.iface, tag + "icmp")
    return t_gen + 0.0001


def case_dns06(outdir):
    name = "dns06_tm_twitter_race.pcap"
    cap = Cap(name, epoch(2024, 3, 14, 6, 41, 7), [dict(link="sll2", cmac=mac("3c:52:82:6e:19:a4"), gmac=mac("00:1e:58:b2:0c:71"), ifindex=2)],
              fmt="pcap", endian="<")
    ctx = Ctx(cap, 1401, cip="192.168.1.104", cos="linux", cttl=64, resolver="8.8.8.8", rttl=117, dns_rtt=0.071, edns=1232)
    rng = ctx.rng
    S = [
        site("connectivity-check.ubuntu.com", a=["185.125.190.17"], aaaa=["2620:2d:4000:1::2a"], rtt=0.079, ttl=50, kind="http", path="/",
             http_body=b"", http_status="204 No Content", http_headers=[("Date", date_hdr(cap.base + 1)), ("Server", "nginx"), ("X-NetworkManager-Status", "online"), ("Connection", "close")], ttl_a=60),
        site("turkmenportal.com", a=["95.85.116.38"], rtt=0.006, ttl=61, resp=61000, cert=2900, ttl_a=3600),
        site("www.google.com", a=["142.250.186.100"], aaaa=["2a00:1450:4001:82f::2004"], rtt=0.072, ttl=116, sos="cdn", resp=48000, cert=4100, ttl_a=161),
        site("www.gstatic.com", a=["142.250.185.99"], aaaa=["2a00:1450:4001:80e::2003"], rtt=0.071, ttl=116, sos="cdn", resp=22000, cert=4100, ttl_a=277),
        site("yandex.ru", a=["77.88.55.88", "5.255.255.77"], aaaa=["2a02:6b8:a::a"], rtt=0.058, ttl=55, resp=95000, cert=3300, ttl_a=600),
        site("orient.tm", a=["95.85.117.9"], rtt=0.005, ttl=62, kind="http", resp=38000, ttl_a=3600),
        site("www.wikipedia.org", a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cn=["dyna.wikimedia.org"], rtt=0.083, ttl=54, resp=74000, cert=3900, ttl_a=600, ttl_c=86400),
        site("en.wikipedia.org", a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cn=["dyna.wikimedia.org"], rtt=0.083, ttl=54, resp=152000, cert=3900, ttl_a=600, ttl_c=86400),
        site("mail.ru", a=["217.69.139.200", "94.100.180.200"], rtt=0.061, ttl=53, resp=120000, cert=3600, ttl_a=140),
        site("github.com", a=["140.82.121.4"], rtt=0.091, ttl=49, resp=180000, cert=3100, ttl_a=60),
        site("stackoverflow.com", a=["104.18.32.7", "172.64.155.249"], rtt=0.076, ttl=57, sos="cdn", resp=110000, cert=2700, ttl_a=300),
        site("www.ozon.ru", a=["185.73.193.66"], rtt=0.064, ttl=54, resp=90000, cert=3400, ttl_a=120),
        site("habr.com", a=["178.248.237.68"], rtt=0.066, ttl=52, resp=130000, cert=3000, ttl_a=300),
        site("www.bbc.co.uk", a=["151.101.0.81"], cn=["www.bbc.co.uk.pri.bbc.co.uk", "uk.www.bbc.co.uk.pri.bbc.co.uk"], rtt=0.088, ttl=56, sos="cdn", resp=85000, cert=3800, ttl_a=300, ttl_c=240),
        site("kun.uz", a=["185.196.214.24"], rtt=0.034, ttl=57, resp=70000, cert=2900, ttl_a=300),
        site("docs.python.org", a=["151.101.0.223"], cn=["dualstack.python.map.fastly.net"], rtt=0.087, ttl=56, sos="cdn", resp=60000, cert=3500, ttl_a=30, ttl_c=86400),
        site("pypi.org", a=["151.101.128.223"], rtt=0.087, ttl=56, sos="cdn", resp=40000, cert=3500, ttl_a=86400),
    ]
    t = 0.31
    t = browse(ctx, t, S[:6], gap=(0.6, 4.0))
    # researcher: dig twitter.com @8.8.8.8 (A, RD+AD, EDNS with a client cookie)
    tw = ["104.244.42.1", "104.244.42.129"]
    t = dig_race(ctx, t + 2.4, "twitter.com", "8.8.8.8", 0.073, 117, tw, 1268, 0.0041, 59, "d1")
    t = browse(ctx, t + 3.1, S[6:8], gap=(1.0, 3.0))
    t = dig_race(ctx, t + 1.7, "mobile.twitter.com", "8.8.8.8", 0.072, 117, ["104.244.42.65", "104.244.42.193"], 1799, 0.0039, 59, "d2")
    t = browse(ctx, t + 2.2, S[8:11], gap=(0.8, 3.5))
    # the same question to Quad9: the same injector answers first again
    t = dig_race(ctx, t + 4.6, "twitter.com", "9.9.9.9", 0.094, 55, ["104.244.42.193", "104.244.42.65"], 1200, 0.0043, 59, "d3", srv_cookie=True)
    t = browse(ctx, t + 5.0, S[11:], gap=(0.7, 5.0))
    cap.write(os.path.join(outdir, name))
    f = {k: cap.frame(k) for k in ("d1q", "d1inj", "d1gen", "d1icmp", "d2q", "d2inj", "d2gen", "d2icmp", "d3q", "d3inj", "d3gen", "d3icmp")}
    EXPECT[name] = {
        "expect": [{"mechanism": "dns-injection", "domain": "twitter.com"}, {"mechanism": "dns-injection", "domain": "mobile.twitter.com"}],
        "allow": [{"mechanism": "dns-tampering", "reason": "the early forged answer is A 127.0.0.1 (loopback) for a public name; a tool may also report the forged reply as tampering"}],
        "why": (f"DNS-06 (Turkmenistan naive injector, post-2022-11 behaviour). dig A twitter.com @8.8.8.8 (frame {f['d1q']}, flags 0x0120, EDNS+cookie): "
                f"frame {f['d1inj']} arrives 4.1 ms later with flags 0x8180, AN=1 AR=0 (OPT not echoed), answer c00c A IN TTL 300 127.0.0.1, IP TTL 59; "
                f"the genuine answer (104.244.42.1/.129, TTL 1268, OPT echoed, IP TTL 117) follows at frame {f['d1gen']} ~73 ms after the query and hits the port dig already closed (ICMP port unreachable frame {f['d1icmp']}). "
                f"Same race for mobile.twitter.com @8.8.8.8 (query {f['d2q']}, forged {f['d2inj']}, genuine {f['d2gen']}, ICMP {f['d2icmp']}) and for twitter.com @9.9.9.9 "
                f"(query {f['d3q']}, forged {f['d3inj']} IP TTL 59 vs Quad9's genuine {f['d3gen']} IP TTL 55, ICMP {f['d3icmp']}). All other lookups (systemd-resolved to 8.8.8.8) get one normal answer."),
        "shape": "pcap (little-endian, microsecond), LINKTYPE_LINUX_SLL2 (tcpdump -i any), IPv4 only; ~17 ordinary visits (DNS, HTTPS, HTTP connectivity check and one plain-HTTP site)",
    }


# ============================================================================
# case 2: a fatal TLS alert forged from the path right after the ClientHello
# ============================================================================


def alert_injected(ctx, t, sip, sni, rtt, sttl, inj_ttl, inj_delay, tag, profile="firefox", cert=2600, inj_win=8192):
    """ClientHello(sni) -> an on-path box answers first with `15 03 03 00 02 02 28` (fatal
    handshake_failure) + FIN, no TCP options, foreign TTL, IP ID 0.  The client closes; the real
    ServerHello flight arrives one RTT after the ClientHello at the same sequence numbers and the
    client's kernel answers each genuine segment with a RST."""
    rng, cap = ctx.rng, ctx.cap
    fl = Flow(ctx, sip, 443, rtt, sttl, sos="cdn")
    t = fl.handshake(t, tag)
    t += rng.uniform(0.0003, 0.0011)
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), profile)
    t = fl.send_c(t, ch, tag + "ch")
    tch = t
    s0, cend = fl.snxt, fl.cnxt
    alert = b"\x15\x03\x03\x00\x02\x02\x28"
    ti = tch + inj_delay
    ip = mk_ip(sip, fl.cip, inj_ttl, 0, False, 0)
    cap.add(ti, ip / K.TCP(sport=443, dport=fl.sport, seq=s0, ack=cend, flags="FPA", window=inj_win) / Raw(alert), False, fl.iface, tag + "inj")
    fl.c_rcv = s0 + len(alert) + 1
    fl.c(ti + rng.uniform(0.00003, 0.00008), "A")
    tf = ti + rng.uniform(0.0004, 0.0009)
    fl.c(tf, "FA", tag=tag + "cfin")
    # the genuine flight (sent when the ClientHello reached the server)
    fl.s_rcv = cend
    flight = server_flight(rng, sid, cert)
    ta = tch + rtt + rng.uniform(0.0009, 0.0022)
    off, k = 0, 0
    while off < len(flight):
        n = min(fl.seg, len(flight) - off)
        last = off + n >= len(flight)
        fl.s(ta, "PA" if last else "A", flight[off:off + n], seq=s0 + off, tag=tag + ("sh" if k == 0 else f"sh{k}"))
        fl.stack_rst(ta + rng.uniform(0.00002, 0.00005), cend, tag=tag + ("rst" if k == 0 else f"rst{k}"))
        off += n
        k += 1
        ta += (n + 66) * 8 / 100e6
    # the server's ACK of the client's FIN (it has not seen the RSTs yet)
    tfa = tf + rtt + rng.uniform(0.0001, 0.0004)
    fl.s_rcv = cend + 1
    fl.s(max(tfa, ta + 0.0001), "A", seq=s0 + len(flight))
    fl.stack_rst(max(tfa, ta + 0.0001) + 0.00003, cend + 1)
    return max(tfa, ta) + 0.001, fl


def alert112_genuine(ctx, t, sip, sni, rtt, sttl, tag):
    """Benign look-alike: nginx with ssl_reject_handshake answers an unknown SNI with a fatal
    unrecognized_name alert, one RTT after the ClientHello, from the server's own stack."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, rtt, sttl, sos="linuxsrv")
    t = fl.handshake(t, tag)
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), "firefox")
    t = fl.send_c(t + rng.uniform(0.0003, 0.001), ch, tag + "ch")
    ta = t + rtt + rng.uniform(0.0003, 0.0009)
    fl.s(ta, "PA", b"\x15\x03\x03\x00\x02\x02\x70", tag=tag + "alert")
    fl.s(ta + 0.00002, "FA")
    fl.c_rcv = fl.snxt
    fl.c(ta + 0.00006, "A")
    tf = ta + rng.uniform(0.0005, 0.001)
    fl.c(tf, "FA")
    fl.s_rcv = fl.cnxt
    fl.s(tf + rtt, "A")
    return tf + rtt


def case_tls05(outdir):
    name = "tls05_alert_injection.pcapng"
    cap = Cap(name, epoch(2024, 9, 23, 17, 4, 52), [dict(link="eth", name="enp0s31f6", cmac=mac("54:e1:ad:3f:70:0b"), gmac=mac("e0:28:6d:41:9a:c2"), tsresol=9, os="Linux 6.8.0-45-generic")],
              fmt="pcapng", endian=">", shb=dict(hw="Intel(R) Core(TM) i7-8665U", os="Linux 6.8.0-45-generic", app="Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"))
    ctx = Ctx(cap, 1402, cip="192.168.0.42", cip6="2a02:8109:b62d:4f00:7c3e:91ff:fe0a:5d21", cos="linux", cttl=64, resolver="192.168.0.1", rttl=64, dns_rtt=0.011, edns=None)
    rng = ctx.rng
    S = [
        site("www.google.com", a=["142.250.185.68"], aaaa=["2a00:1450:4001:82a::2004"], rtt=0.012, ttl=118, sos="cdn", resp=52000, cert=4100, ttl_a=121),
        site("www.youtube.com", a=["142.250.186.46"], aaaa=["2a00:1450:4001:829::200e"], cn=["youtube-ui.l.google.com"], rtt=0.012, ttl=118, sos="cdn", resp=160000, cert=4300, ttl_a=201, ttl_c=1617),
        site("www.heise.de", a=["193.99.144.85"], aaaa=["2a02:2e0:3fe:1001:7777:772e:2:85"], rtt=0.009, ttl=57, resp=140000, cert=3300, ttl_a=3600),
        site("www.spiegel.de", a=["128.65.210.8"], aaaa=["2a00:1158:3:1::8"], rtt=0.010, ttl=56, resp=190000, cert=3500, ttl_a=300),
        site("detectportal.firefox.com", a=["34.107.221.82"], aaaa=["2600:1901:0:38d7::"], cn=["detectportal.prod.mozaws.net", "prod.detectportal.prod.cloudops.mozgcp.net"], rtt=0.013, ttl=120, kind="http", path="/canonical.html",
             http_body=b'<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>', http_headers=[("Content-Type", "text/html"), ("Content-Length", "0"), ("Date", date_hdr(cap.base)), ("Cache-Control", "public,must-revalidate,max-age=0,s-maxage=3600"), ("Age", "1722"), ("Via", "1.1 google")], ttl_a=60, ttl_c=60),
        site("en.wikipedia.org", a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cn=["dyna.wikimedia.org"], rtt=0.016, ttl=56, resp=150000, cert=3900, ttl_a=600, ttl_c=86400),
        site("github.com", a=["140.82.121.3"], rtt=0.019, ttl=52, resp=170000, cert=3100, ttl_a=60),
        site("www.reddit.com", a=["151.101.1.140"], aaaa=["2a04:4e42::396"], cn=["reddit.map.fastly.net"], rtt=0.011, ttl=58, sos="cdn", resp=210000, cert=3700, ttl_a=30, ttl_c=300),
        site("news.ycombinator.com", a=["209.216.230.207"], rtt=0.152, ttl=49, resp=36000, cert=3000, ttl_a=1),
        site("www.tagesschau.de", a=["23.36.162.186"], aaaa=["2a02:26f0:d8:39f::9f4"], cn=["www.tagesschau.de.edgekey.net", "e9547.dscb.akamaiedge.net"], rtt=0.008, ttl=58, sos="cdn", resp=170000, cert=3600, ttl_a=20, ttl_c=300),
        site("www.bahn.de", a=["81.200.198.6"], rtt=0.013, ttl=55, resp=120000, cert=3800, ttl_a=3600),
        site("www.dwd.de", a=["141.38.2.58"], rtt=0.014, ttl=53, kind="http", resp=30000, ttl_a=3600),
        site("www.openstreetmap.org", a=["184.104.179.132"], aaaa=["2001:470:1:fa1::c"], rtt=0.017, ttl=54, resp=60000, cert=3000, ttl_a=300),
        site("stackoverflow.com", a=["104.18.32.7", "172.64.155.249"], aaaa=["2606:4700::6812:2007"], rtt=0.010, ttl=57, sos="cdn", resp=120000, cert=2700, ttl_a=300),
        site("duckduckgo.com", a=["52.142.124.215"], rtt=0.024, ttl=113, resp=45000, cert=3400, ttl_a=60),
        site("www.theguardian.com", a=["151.101.1.111"], aaaa=["2a04:4e42::367"], cn=["dualstack.guardian.map.fastly.net"], rtt=0.011, ttl=58, sos="cdn", resp=230000, cert=3700, ttl_a=30, ttl_c=60),
    ]
    CF4, CF6 = "104.21.45.12", "2606:4700:3030::6815:2d0c"
    t = 0.42
    t = browse(ctx, t, S[:6], gap=(0.6, 4.0), v6=True)
    # researcher: curl -v https://thepiratebay.org/ (resolved by the router: Cloudflare)
    t = ctx.lookup(t + 3.2, "thepiratebay.org", chain("thepiratebay.org", [], [CF4, "172.67.161.98"], 0, 300), chain("thepiratebay.org", [], [CF6, "2606:4700:3034::ac43:a162"], 0, 300, "AAAA"), tag="tpbdns")
    t, _ = alert_injected(ctx, t + 0.0009, CF6, "thepiratebay.org", 0.0104, 57, 250, 0.0021, "a6", profile="firefox")
    # curl -4 with the same IPv4 address
    t, _ = alert_injected(ctx, t + 5.3, CF4, "thepiratebay.org", 0.0109, 57, 250, 0.0023, "a4", profile="firefox")
    # control: the same Cloudflare address, another name (curl --resolve www.cloudflare.com:443:104.21.45.12)
    _, t = ctx.https(t + 6.1, CF4, "www.cloudflare.com", 0.0107, 57, resp=140000, cert=2600, sos="cdn", tag="c4")
    _, t = ctx.https(t + 3.4, CF6, "www.cloudflare.com", 0.0102, 57, resp=140000, cert=2600, sos="cdn", tag="c6")
    t = browse(ctx, t + 2.0, S[6:10], gap=(0.7, 4.0), v6=True)
    # benign look-alike: an nginx vhost that rejects an unknown SNI with alert 112 after a full RTT
    t = ctx.lookup(t + 1.5, "cdn.lindenhof-verlag.de", chain("cdn.lindenhof-verlag.de", [], ["88.198.23.140"], 0, 3600), [], tag="lvdns")
    t = alert112_genuine(ctx, t + 0.001, "88.198.23.140", "cdn.lindenhof-verlag.de", 0.0131, 54, "b112")
    t = browse(ctx, t + 2.5, S[10:], gap=(0.7, 5.0), v6=True)
    cap.write(os.path.join(outdir, name))
    g = {k: cap.frame(k) for k in ("a6ch", "a6inj", "a6cfin", "a6sh", "a6rst", "a4ch", "a4inj", "a4cfin", "a4sh", "a4rst", "c4ch", "c4shdata", "c6ch", "c6shdata", "b112ch", "b112alert")}
    EXPECT[name] = {
        "expect": [{"mechanism": "packet-injection", "domain": "thepiratebay.org"}],
        "allow": [],
        "why": (f"TLS-05 shape (a forged fatal alert; the catalogue notes no documented national censor does this, so the finding rests on race evidence, not on the alert). "
                f"IPv6 flow to Cloudflare {CF6}: ClientHello SNI thepiratebay.org frame {g['a6ch']}; frame {g['a6inj']} arrives 2.1 ms later (RTT 10.4 ms) with FIN+PSH+ACK and the 7-byte record 15 03 03 00 02 02 28 (fatal handshake_failure), hop limit 250 vs the server's 57, no TCP options (the server's segments all carry timestamps); "
                f"the client ACKs and closes (FIN frame {g['a6cfin']}); the genuine ServerHello flight then arrives at the SAME sequence numbers (frame {g['a6sh']} onward, hop limit 57, timestamps) and the client kernel answers each segment with a RST (frame {g['a6rst']} onward): conflicting data at one sequence number = on-path injection. "
                f"Same over IPv4 to {CF4}: ClientHello {g['a4ch']}, forged alert+FIN {g['a4inj']} (TTL 250, IP ID 0, DF=0 vs server TTL 57, DF=1), client FIN {g['a4cfin']}, genuine ServerHello {g['a4sh']}, client RST {g['a4rst']}. "
                f"Control: the same addresses complete TLS for www.cloudflare.com (IPv4 ClientHello {g['c4ch']}, ServerHello {g['c4shdata']}; IPv6 ClientHello {g['c6ch']}, ServerHello {g['c6shdata']}). "
                f"Benign look-alike, must not be reported: cdn.lindenhof-verlag.de at 88.198.23.140, ClientHello {g['b112ch']}, alert 112 unrecognized_name {g['b112alert']} from the server itself one full RTT later with the server's TTL, IP ID sequence and timestamps, then an ordinary FIN exchange."),
        "shape": "pcapng, big-endian section, one Ethernet interface with if_tsresol 9 (nanosecond), IPv4 and IPv6; ~16 ordinary visits, v6 preferred where the site has AAAA",
    }


# ============================================================================
# case 3: QUIC-01 GFW SNI-based QUIC censorship with 180 s residual drop
# ============================================================================


def case_quic01(outdir):
    name = "quic01_gfw_quic_sni.pcap"
    cap = Cap(name, epoch(2024, 11, 6, 13, 20, 18), [dict(link="raw")], fmt="pcap", endian="<", nsec=True)
    ctx = Ctx(cap, 1403, cip="192.168.31.87", cos="linux", cttl=64, resolver="223.5.5.5", rttl=116, dns_rtt=0.009, edns=None)
    rng = ctx.rng
    S = [
        site("www.baidu.com", a=["110.242.68.66", "110.242.68.3"], cn=["www.a.shifen.com"], rtt=0.029, ttl=52, resp=90000, cert=4400, ttl_a=300, ttl_c=1200),
        site("www.zhihu.com", a=["58.49.88.219"], cn=["www.zhihu.com.ipv6.dsa.dnsv1.com"], rtt=0.021, ttl=54, resp=140000, cert=3600, ttl_a=60, ttl_c=600),
        site("www.bilibili.com", a=["120.240.95.37"], cn=["a.w.bilicdn1.com"], rtt=0.024, ttl=53, resp=200000, cert=3900, ttl_a=300, ttl_c=300),
        site("www.jd.com", a=["111.13.149.108"], cn=["www.jd.com.gslb.qianxun.com", "www.jdcdn.com"], rtt=0.027, ttl=52, resp=160000, cert=3900, ttl_a=120, ttl_c=120),
        site("news.sina.com.cn", a=["123.126.45.205"], cn=["spool.grid.sinaedge.com"], rtt=0.031, ttl=51, kind="http", resp=60000, ttl_a=60, ttl_c=60),
        site("www.163.com", a=["183.204.209.11"], cn=["www.163.com.163jiasu.com"], rtt=0.026, ttl=53, resp=120000, cert=3300, ttl_a=60, ttl_c=600),
        site("github.com", a=["20.205.243.166"], rtt=0.071, ttl=107, resp=170000, cert=3100, ttl_a=60),
        site("www.csdn.net", a=["39.106.226.142"], rtt=0.033, ttl=49, resp=150000, cert=3300, ttl_a=300),
        site("gitee.com", a=["180.76.198.225"], rtt=0.028, ttl=50, resp=90000, cert=3000, ttl_a=300),
        site("www.douban.com", a=["140.143.177.206"], rtt=0.025, ttl=51, resp=80000, cert=3400, ttl_a=300),
        site("www.apple.com.cn", a=["23.36.64.98"], cn=["www.apple.com.cn.edgekey.net", "e6858.dscx.akamaiedge.net"], rtt=0.044, ttl=54, sos="cdn", resp=180000, cert=3900, ttl_a=20, ttl_c=300),
        site("pypi.tuna.tsinghua.edu.cn", a=["101.6.15.130"], rtt=0.033, ttl=55, resp=40000, cert=3000, ttl_a=600),
    ]
    CF = "104.16.124.96"
    RTT = 0.163
    t = 0.27
    t = browse(ctx, t, S[:3], gap=(0.6, 3.0))
    # QUIC to an ordinary server (Alibaba CDN speaks HTTP/3) while browsing
    t = ctx.lookup(t + 1.1, "g.alicdn.com", chain("g.alicdn.com", ["g.alicdn.com.danuoyi.alicdn.com"], ["122.228.72.233"], 300, 60), [], tag=None) + 0.001
    t = Quic(ctx, "122.228.72.233", 0.018, 53).connect(t, "g.alicdn.com", resp=140000, rate=40e6)
    # (1) HTTP/3 to Cloudflare with an innocuous name works
    t = ctx.lookup(t + 2.3, "www.cloudflare.com", chain("www.cloudflare.com", [], [CF, "104.16.123.96"], 0, 300), chain("www.cloudflare.com", [], ["2606:4700::6810:7c60", "2606:4700::6810:7b60"], 0, 300, "AAAA"), tag="cfdns") + 0.0005
    q1 = Quic(ctx, CF, RTT, 50, chrome=False, dgram=1200)
    t = q1.connect(t, "www.cloudflare.com", resp=90000, rate=12e6, tag="q1")
    t = browse(ctx, t + 2.0, S[3:5], gap=(0.6, 3.0))
    # (2) TCP/TLS to the same server with the blocked name works (the QUIC blocklist is not the TLS one)
    _, t = ctx.https(t + 3.0, CF, "www.quora.com", RTT, 50, resp=120000, cert=2600, sos="cdn", rate=12e6, tag="tq")
    t = browse(ctx, t + 1.5, S[5:6], gap=(0.6, 3.0))
    # (3) the trigger: curl --http3-only --connect-to www.quora.com:443:104.16.124.96:443, sport > 443
    T = t + 4.0
    q2 = Quic(ctx, CF, RTT, 50, chrome=False, dgram=1200)
    q2.attempt_blocked(T, "www.quora.com", [0.0, 1.0, 3.0, 7.0], tag="q2")
    t = T + 10.2
    t = browse(ctx, t, S[6:8], gap=(0.6, 3.0))
    # (4) +35 s: the browser opens www.cloudflare.com; QUIC (innocuous SNI, new port) is dropped, TCP wins the race
    T4 = T + 35.0
    t = ctx.lookup(T4 - 0.012, "www.cloudflare.com", chain("www.cloudflare.com", [], [CF, "104.16.123.96"], 0, 300), chain("www.cloudflare.com", [], ["2606:4700::6810:7c60", "2606:4700::6810:7b60"], 0, 300, "AAAA"))
    q3 = Quic(ctx, CF, RTT, 50, chrome=True, dgram=1250)
    q3.attempt_blocked(T4, "www.cloudflare.com", [0.0, 0.3, 0.9, 2.1, 4.5], tag="q3")
    _, t = ctx.https(T4 + 0.3, CF, "www.cloudflare.com", RTT, 50, resp=150000, cert=2600, sos="cdn", rate=12e6, profile="chrome", tag="tfb")
    t = browse(ctx, max(t, T4 + 5) + 2.0, S[8:10], gap=(0.6, 3.0))
    # (5) +95 s: curl --http3-only https://www.cloudflare.com/ : still dropped
    T5 = T + 95.0
    q4 = Quic(ctx, CF, RTT, 50, chrome=False, dgram=1200)
    q4.attempt_blocked(T5, "www.cloudflare.com", [0.0, 1.0, 3.0, 7.0], tag="q4")
    t = browse(ctx, T5 + 12.0, S[10:11], gap=(0.6, 3.0))
    # (6) +200 s (past the 180 s window): the same curl works again
    T6 = T + 200.0
    q5 = Quic(ctx, CF, RTT, 50, chrome=False, dgram=1200)
    t = q5.connect(T6, "www.cloudflare.com", resp=90000, rate=12e6, tag="q5")
    t = browse(ctx, t + 2.0, S[11:], gap=(0.6, 3.0))
    cap.write(os.path.join(outdir, name))
    g = {k: cap.frame(k) for k in ("q1init", "q1sinit", "q1data", "tqch", "tqshdata", "q2init", "q2pto1", "q2pto3", "q3init", "q3pto4", "tfbsyn", "tfbch", "tfbshdata", "q4init", "q4pto3", "q5init", "q5sinit")}
    EXPECT[name] = {
        "expect": [{"mechanism": "blackhole", "domain": "www.quora.com"}, {"mechanism": "residual-blocking", "ip": CF}],
        "allow": [{"mechanism": "blackhole", "ip": CF, "domain": "www.cloudflare.com", "reason": "the innocuous-SNI QUIC Initials dropped inside the 180 s window are the residual effect; a tool may also file them as blackholing of the address / of www.cloudflare.com over QUIC"}],
        "why": (f"QUIC-01. All QUIC Initials are real v1 packets (RFC 9001 keys from the DCID, AES-128-GCM, header protection), so the SNI is readable. "
                f"Control before the trigger: QUIC to {CF}:443 with SNI www.cloudflare.com (Initial frame {g['q1init']}, server Initial+Handshake {g['q1sinit']}, 1-RTT data from {g['q1data']}); "
                f"TCP/TLS to the same address with SNI www.quora.com completes (ClientHello {g['tqch']}, ServerHello {g['tqshdata']}). "
                f"Trigger: QUIC Initial SNI www.quora.com, UDP sport>dport, frame {g['q2init']}; PTO retransmissions {g['q2pto1']}..{g['q2pto3']} (t+1, +3, +7 s) never answered. "
                f"Residual on (client, {CF}, UDP 443) with the innocuous SNI and new source ports: +35 s Chrome Initial {g['q3init']}..{g['q3pto4']} unanswered while its TCP fallback to the same address works (SYN {g['tfbsyn']}, ClientHello {g['tfbch']}, ServerHello {g['tfbshdata']}); "
                f"+95 s curl Initial {g['q4init']}..{g['q4pto3']} unanswered; +200 s (past the 180 s window) the same QUIC request works again (Initial {g['q5init']}, server reply {g['q5sinit']}). "
                f"QUIC to g.alicdn.com (another server) works throughout."),
        "shape": "pcap, little-endian, nanosecond magic (a1b23c4d), LINKTYPE_RAW (101, IPv4 without link header), IPv4; resolver 223.5.5.5; ~12 ordinary visits incl. one plain-HTTP site and one HTTP/3 session to another server",
    }


# ============================================================================
# case 4: RST-08 SNI-triggered reset in Iran (MCI mobile), over IPv6, two-interface pcapng
# ============================================================================


def go_client_hello(rng, sni):
    """crypto/tls ClientHello of Go 1.14-1.16 (what OONI Probe sent): 19 suites, no ALPN, no padding."""
    suites = [0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC009, 0xC013, 0xC00A, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035, 0xC012, 0x000A, 0x1301, 0x1302, 0x1303]
    sid = rng.randbytes(32)
    exts = [
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(5, b"\x01\x00\x00\x00\x00"),
        ext(10, u16(8) + u16(0x1D) + u16(0x17) + u16(0x18) + u16(0x19)),
        ext(11, b"\x01\x00"),
        ext(35, b""),
        ext(13, u16(24) + b"".join(u16(x) for x in (0x0804, 0x0403, 0x0807, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0503, 0x0603, 0x0201, 0x0203))),
        ext(0xFF01, b"\x00"),
        ext(18, b""),
        ext(43, b"\x08" + u16(0x0304) + u16(0x0303) + u16(0x0302) + u16(0x0301)),
        ext(51, u16(36) + u16(0x1D) + u16(32) + x25519_pub(rng)),
    ]
    body = b"\x03\x03" + rng.randbytes(32) + b"\x20" + sid + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00"
    el = b"".join(exts)
    body += u16(len(el)) + el
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + u16(len(hs)) + hs, sid


def tls_only(ctx, t, sip, sni, rtt, sttl, tag, cert=3300, sos="linuxsrv", iface=None):
    """OONI-style control: TCP connect, Go ClientHello, full server flight, client Finished, close."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, rtt, sttl, sos=sos, iface=iface)
    t = fl.handshake(t, tag)
    ch, sid = go_client_hello(rng, sni)
    t = fl.send_c(t + rng.uniform(0.0002, 0.0008), ch, tag + "ch")
    t = fl.bulk(t + fl.owd + rng.uniform(0.0005, 0.002), server_flight(rng, sid, cert), 30e6, None, 1e9, tag + "sh", final_ack=False)
    t = fl.send_c(t + rng.uniform(0.0008, 0.002), b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36), tag + "fin")
    t = fl.close_client(t + rng.uniform(0.0005, 0.002))
    return t


def sni_reset(ctx, t, sip, sni, rtt, sttl, inj_hlim, inj_delay, tag, iface=None):
    """OONI sni_blocking attempt: Go ClientHello with the blocked SNI; ~25 ms later (well under one
    RTT) a RST+ACK claiming to be the server arrives with a foreign hop limit; nothing else."""
    rng, cap = ctx.rng, ctx.cap
    fl = Flow(ctx, sip, 443, rtt, sttl, sos="linuxsrv", iface=iface)
    t = fl.handshake(t, tag)
    ch, _ = go_client_hello(rng, sni)
    t = fl.send_c(t + rng.uniform(0.0002, 0.0008), ch, tag + "ch")
    tr = t + inj_delay
    ip = IPv6(src=sip, dst=fl.cip, hlim=inj_hlim, fl=0) if fl.v6 else mk_ip(sip, fl.cip, inj_hlim, 0, False)
    cap.add(tr, ip / K.TCP(sport=443, dport=fl.sport, seq=fl.snxt, ack=fl.cnxt, flags="RA", window=0), False, fl.iface, tag + "rst")
    return tr, len(ch)


def case_rst08(outdir):
    name = "rst08_iran_mci_sni_reset.pcapng"
    cap = Cap(name, epoch(2023, 5, 17, 8, 3, 44), [
        dict(link="eth", name="wlp2s0", cmac=mac("a4:c3:f0:85:1d:6e"), gmac=mac("c8:3a:35:0b:44:e0"), tsresol=6, os="Linux 5.15.0-71-generic"),
        dict(link="raw", name="wwan0", tsresol=6, os="Linux 5.15.0-71-generic"),
    ], fmt="pcapng", endian="<", shb=dict(os="Linux 5.15.0-71-generic", app="Dumpcap (Wireshark) 3.6.2 (Git v3.6.2 packaged as 3.6.2-2)"))
    wifi = Ctx(cap, 1404, cip="192.168.1.35", cos="linux", cttl=64, resolver="192.168.1.1", rttl=64, dns_rtt=0.021, iface=0)
    mob = Ctx(cap, 14041, cip="10.169.47.212", cip6="2a01:5ec0:580a:83f1:9d3c:2b7a:6e10:44d1", cos="linux", cttl=64, resolver="10.202.10.10",
              resolver6="2a01:5ec0:1000::1", rttl=61, dns_rtt=0.048, iface=1)
    W = [
        site("www.digikala.com", a=["185.143.233.120"], rtt=0.014, ttl=57, sos="cdn", resp=180000, cert=3700, ttl_a=120),
        site("www.aparat.com", a=["185.143.234.235"], rtt=0.015, ttl=57, sos="cdn", resp=160000, cert=3700, ttl_a=120),
        site("www.google.com", a=["142.250.186.132"], rtt=0.104, ttl=112, sos="cdn", resp=50000, cert=4100, ttl_a=300),
        site("www.varzesh3.com", a=["94.182.182.28"], rtt=0.012, ttl=58, resp=150000, cert=3300, ttl_a=600),
        site("divar.ir", a=["185.143.233.3"], rtt=0.015, ttl=57, sos="cdn", resp=120000, cert=3700, ttl_a=120),
        site("www.isna.ir", a=["185.147.178.11"], rtt=0.018, ttl=57, kind="http", resp=55000, ttl_a=3600),
        site("github.com", a=["140.82.121.4"], rtt=0.118, ttl=46, resp=170000, cert=3100, ttl_a=60),
        site("torob.com", a=["185.143.235.201"], rtt=0.014, ttl=57, sos="cdn", resp=90000, cert=3700, ttl_a=120),
        site("stackoverflow.com", a=["104.18.32.7"], rtt=0.121, ttl=51, sos="cdn", resp=110000, cert=2700, ttl_a=300),
        site("en.wikipedia.org", a=["185.15.59.224"], cn=["dyna.wikimedia.org"], rtt=0.109, ttl=50, resp=140000, cert=3900, ttl_a=600, ttl_c=86400),
        site("snapp.ir", a=["185.143.233.200"], rtt=0.015, ttl=57, sos="cdn", resp=70000, cert=3700, ttl_a=120),
        site("www.tgju.org", a=["185.143.234.125"], rtt=0.016, ttl=57, sos="cdn", resp=130000, cert=3700, ttl_a=120),
    ]
    M = [
        site("www.google.com", a=["142.250.186.68"], aaaa=["2a00:1450:4001:811::2004"], rtt=0.097, ttl=113, sos="cdn", resp=48000, cert=4100, ttl_a=300),
        site("www.digikala.com", a=["185.143.233.120"], rtt=0.041, ttl=58, sos="cdn", resp=150000, cert=3700, ttl_a=120),
        site("www.youtube.com", a=["142.250.185.142"], aaaa=["2a00:1450:4001:82b::200e"], cn=["youtube-ui.l.google.com"], rtt=0.098, ttl=113, sos="cdn", resp=40000, cert=4300, ttl_a=300, ttl_c=21600),
    ]
    EC6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
    t = 0.35
    t = browse(wifi, t, W[:4], gap=(0.7, 4.0))
    # the mobile uplink comes up; a little traffic over it, IPv6 preferred
    tm = browse(mob, 6.2, M[:1], v6=True, gap=(0.5, 1.5))
    t = browse(wifi, max(t, tm) + 1.0, W[4:6], gap=(0.7, 3.0))
    # ooniprobe run sni_blocking bound to wwan0: resolve example.com (the test helper), then one
    # connection per input with the blocked SNI and one with the control SNI
    t = mob.lookup(t + 2.1, "example.com", chain("example.com", [], ["93.184.216.34"], 0, 3051), chain("example.com", [], [EC6], 0, 3051, "AAAA"), v6=True, tag="exdns")
    tr1, n1 = sni_reset(mob, t + 0.002, EC6, "scontent.cdninstagram.com", 0.0921, 50, 61, 0.0254, "r1")
    t = tls_only(mob, tr1 + 0.05, EC6, "example.com", 0.0924, 50, "k1")
    tr2, n2 = sni_reset(mob, t + 1.3, EC6, "www.instagram.com", 0.0918, 50, 61, 0.0249, "r2")
    t = tls_only(mob, tr2 + 0.05, EC6, "example.com", 0.0919, 50, "k2")
    t = browse(wifi, t + 2.0, W[6:9], gap=(0.7, 3.0))
    # second run a minute later: identical behaviour (and no residual effect on the control)
    tr3, n3 = sni_reset(mob, t + 9.0, EC6, "scontent.cdninstagram.com", 0.0931, 50, 61, 0.0262, "r3")
    t = tls_only(mob, tr3 + 0.05, EC6, "example.com", 0.0926, 50, "k3")
    t = browse(mob, t + 1.5, M[1:], v6=True, gap=(0.5, 2.0))
    t = browse(wifi, t + 1.0, W[9:], gap=(0.7, 4.0))
    assert n1 == 281, n1
    cap.write(os.path.join(outdir, name))
    g = {k: cap.frame(k) for k in ("r1syn", "r1synack", "r1ch", "r1rst", "k1ch", "k1shdata", "r2syn", "r2ch", "r2rst", "k2ch", "k2shdata", "r3syn", "r3ch", "r3rst", "k3ch", "k3shdata")}
    EXPECT[name] = {
        "expect": [{"mechanism": "rst-injection", "domain": "scontent.cdninstagram.com"}, {"mechanism": "rst-injection", "domain": "www.instagram.com"}],
        "allow": [],
        "why": (f"RST-08 (OONI sni_blocking from MCI, AS197207, over IPv6 on wwan0; test helper example.com [{EC6}]). "
                f"SYN frame {g['r1syn']}, SYN/ACK {g['r1synack']} (hop limit 50, RTT 92 ms), the 281-byte Go ClientHello with SNI scontent.cdninstagram.com frame {g['r1ch']}, "
                f"then RST+ACK frame {g['r1rst']} 25 ms later (~118 ms after connect, far less than one RTT) with hop limit 61, flow label 0, window 0, no options; no ServerHello. "
                f"Control on the same address and interface right after: SNI example.com completes (ClientHello {g['k1ch']}, ServerHello {g['k1shdata']}). "
                f"Same for SNI www.instagram.com (SYN {g['r2syn']}, ClientHello {g['r2ch']}, RST {g['r2rst']}; control ClientHello {g['k2ch']}, ServerHello {g['k2shdata']}) and a repeat run "
                f"(SYN {g['r3syn']}, ClientHello {g['r3ch']}, RST {g['r3rst']}; control {g['k3ch']}/{g['k3shdata']}). Blocking is SNI-only: the server is example.com's, not Instagram's. No residual effect (each control right after the reset succeeds)."),
        "shape": "pcapng (little-endian) with two interfaces: 0 = wlp2s0 Ethernet (home Wi-Fi, IPv4, ordinary browsing), 1 = wwan0 LINKTYPE_RAW (MCI LTE, IPv4 CGNAT + IPv6); the censorship is on interface 1 over IPv6",
    }


# ============================================================================
# case 5: THR-02 googlevideo.com throttling (Russia, TSPU) with an SNI-less control
# ============================================================================


def case_thr02(outdir):
    name = "thr02_ru_googlevideo_throttle.pcap"
    cap = Cap(name, epoch(2024, 8, 7, 16, 12, 33), [dict(link="vlan", vlan=10, pcp=0, cmac=mac("f0:2f:74:1c:52:9a"), gmac=mac("48:8f:5a:6e:21:07"))], fmt="pcap", endian=">")
    ctx = Ctx(cap, 1405, cip="192.168.88.23", cos="linux", cttl=64, resolver="192.168.88.1", rttl=64, dns_rtt=0.004, edns=None)
    rng = ctx.rng
    S = [
        site("yandex.ru", a=["5.255.255.77", "77.88.55.88"], rtt=0.009, ttl=57, resp=110000, cert=3300, ttl_a=600),
        site("vk.com", a=["87.240.132.72", "93.186.225.194"], rtt=0.011, ttl=56, resp=150000, cert=3600, ttl_a=300),
        site("www.ozon.ru", a=["185.73.193.66"], rtt=0.008, ttl=57, resp=170000, cert=3400, ttl_a=120),
        site("habr.com", a=["178.248.237.68"], rtt=0.010, ttl=56, resp=140000, cert=3000, ttl_a=300),
        site("www.gosuslugi.ru", a=["213.59.254.7"], rtt=0.012, ttl=55, resp=90000, cert=3800, ttl_a=300),
        site("www.wildberries.ru", a=["185.62.202.2"], rtt=0.010, ttl=56, resp=160000, cert=3500, ttl_a=60),
        site("lenta.ru", a=["81.19.72.32"], rtt=0.009, ttl=56, resp=130000, cert=3300, ttl_a=300),
        site("github.com", a=["140.82.121.4"], rtt=0.047, ttl=51, resp=170000, cert=3100, ttl_a=60),
        site("www.kinopoisk.ru", a=["213.180.204.244"], rtt=0.009, ttl=57, resp=120000, cert=3300, ttl_a=300),
        site("meduza.io", a=["104.22.4.195"], rtt=0.041, ttl=57, sos="cdn", resp=90000, cert=2700, ttl_a=300),
        site("www.rbc.ru", a=["80.68.253.9"], rtt=0.010, ttl=56, kind="http", resp=40000, ttl_a=300),
        site("mail.ru", a=["217.69.139.200"], rtt=0.008, ttl=57, resp=120000, cert=3600, ttl_a=140),
        site("stackoverflow.com", a=["104.18.32.7"], rtt=0.039, ttl=57, sos="cdn", resp=110000, cert=2700, ttl_a=300),
        site("www.avito.ru", a=["146.158.48.2"], rtt=0.010, ttl=56, resp=150000, cert=3500, ttl_a=300),
        site("dzen.ru", a=["62.217.160.2"], rtt=0.009, ttl=57, resp=100000, cert=3400, ttl_a=300),
    ]
    GV = "74.125.168.198"
    GVN = "rr3---sn-n8v7kn7k.googlevideo.com"
    GRTT, GTTL = 0.047, 116
    t = 0.51
    t = browse(ctx, t, S[:5], gap=(0.6, 4.0))
    # YouTube: the page and thumbnails are fast
    t = visit(ctx, t + 2.0, site("www.youtube.com", a=["142.250.74.46"], cn=["youtube-ui.l.google.com"], rtt=0.046, ttl=116, sos="cdn", resp=420000, cert=4300, ttl_a=300, ttl_c=21600), rate=45e6)
    t = visit(ctx, t + 0.3, site("i.ytimg.com", a=["142.250.74.150"], rtt=0.046, ttl=116, sos="cdn", resp=260000, cert=4300, ttl_a=300), rate=45e6)
    # video segments from the googlevideo cache: policed to ~150 kbit/s right after the ClientHello
    t = ctx.lookup(t + 0.2, GVN, chain(GVN, [], [GV], 0, 1800), [], tag="gvdns") + 0.0007
    f1, ta = ctx.https(t, GV, GVN, GRTT, GTTL, resp=720000, cert=4300, sos="cdn", rate=45e6, drop=TokenBucket(150e3, 16000), tag="v1", close="client")
    f2, tb = ctx.https(t + 3.7, GV, GVN, GRTT, GTTL, resp=380000, cert=4300, sos="cdn", rate=45e6, drop=TokenBucket(150e3, 16000), tag="v2", close="client")
    t = browse(ctx, t + 12.0, S[5:8], gap=(1.0, 4.0))
    t = max(t, ta, tb)
    # control: the same cache node, same video URL, TLS without SNI (curl -k --resolve-less, Host header only)
    fc, t = ctx.https(t + 4.0, GV, None, GRTT, GTTL, resp=2400000, cert=4300, sos="cdn", rate=45e6, tag="ctl", profile="chrome")
    t = browse(ctx, t + 2.0, S[8:], gap=(0.8, 4.0))
    cap.write(os.path.join(outdir, name))

    g = {k: cap.frame(k) for k in ("v1syn", "v1ch", "v1shdata", "v1respdata", "v2syn", "v2ch", "v2respdata", "ctlsyn", "ctlch", "ctlrespdata")}
    g["v1rtx"] = len(cap.frames("v1resprtx"))
    g["v2rtx"] = len(cap.frames("v2resprtx"))
    return cap, g, (f1, f2, fc)


def _thr_expect(name, cap, g, thr):
    EXPECT[name] = {
        "expect": [{"mechanism": "throttling", "domain": "rr3---sn-n8v7kn7k.googlevideo.com"}],
        "allow": [],
        "why": (f"THR-02 (Russia TSPU, SNI *.googlevideo.com). Two HTTPS connections to the googlevideo cache 74.125.168.198 with SNI rr3---sn-n8v7kn7k.googlevideo.com "
                f"(SYN {g['v1syn']}, ClientHello {g['v1ch']}, first response data {g['v1respdata']}; SYN {g['v2syn']}, ClientHello {g['v2ch']}, first response data {g['v2respdata']}) "
                f"are policed by dropping: goodput {thr['v1']:.0f} and {thr['v2']:.0f} kbit/s over {thr['v1d']:.0f} s and {thr['v2d']:.0f} s, with {g['v1rtx']} and {g['v2rtx']} server retransmissions of segments the policer dropped (Wireshark shows them as retransmissions, out-of-order segments or fills after 'previous segment not captured' gaps, with duplicate ACKs/SACK from the client). "
                f"Control on the SAME address about 45 s later, TLS without SNI (ClientHello {g['ctlch']}, response from {g['ctlrespdata']}): {thr['ctl']/1000:.1f} Mbit/s, no loss. "
                f"www.youtube.com and i.ytimg.com (other Google addresses, SNI not matching) are fast too."),
        "shape": "pcap, big-endian, microsecond, Ethernet with 802.1Q tag (VLAN 10), IPv4 only; ~15 ordinary visits incl. one plain-HTTP site",
    }


def case_thr02_full(outdir):
    cap, g, (f1, f2, fc) = case_thr02(outdir)
    recs = cap.sorted()

    def goodput(tag, fl):
        first = cap.frame(tag + "respdata")
        t0 = recs[first - 1][0] / 1e9
        t1 = fl.done_t + cap.base
        return fl.delivered * 8 / (t1 - t0) / 1000, t1 - t0
    v1, v1d = goodput("v1", f1)
    v2, v2d = goodput("v2", f2)
    c, _ = goodput("ctl", fc)
    _thr_expect("thr02_ru_googlevideo_throttle.pcap", cap, g, dict(v1=v1, v2=v2, v1d=v1d, v2d=v2d, ctl=c))


# ============================================================================
# case 6: PF-03 Iran DNS-over-TLS endpoint blocking (1.1.1.1:853), any SNI
# ============================================================================


def dot_blocked(ctx, t, sip, sni, rtt, sttl, give_up, until, tag, profile="firefox", ch=None):
    """TCP to sip:853 completes; the ClientHello is never acknowledged or answered.  Linux
    retransmits it on RTO (RTT + 200 ms, doubling); the application gives up after `give_up` s.
    With the ClientHello still unacknowledged and cwnd 1, the FIN cannot go out on its own: it is
    collapsed into the next retransmission.  Retransmissions stop at `until`."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 853, rtt, sttl, sos="cdn")
    t = fl.handshake(t, tag)
    if ch is None:
        ch, _ = client_hello(rng, sni, ("dot",), profile)
    t = fl.send_c(t + rng.uniform(0.0002, 0.0009), ch, tag + "ch")
    t0 = t
    seq0 = fl.ciss + 1
    rto = rtt + 0.2
    k, tt, closed = 1, t0 + rto, False
    while tt <= t0 + until:
        fin = tt >= t0 + give_up
        fl.c(tt, "FPA" if fin else "PA", ch, seq=seq0, tag=f"{tag}rtx{k}")
        closed = closed or fin
        k += 1
        rto *= 2
        tt += rto
    return t0 + min(until, give_up), k - 1


def kdig_udp(ctx, t, qname, addrs, ttl, tag):
    """kdig @1.1.1.1 qname (plain UDP), EDNS, answered by the same server."""
    rng, cap = ctx.rng, ctx.cap
    sport = ctx.port()
    txid = rng.randrange(65536)
    q = dig_query(txid, qname, 1, b"")
    cap.add(t, mk_ip(ctx.cip, ctx.resolver, ctx.cttl, rng.randrange(65536), True) / UDP(sport=sport, dport=53) / Raw(q), True, ctx.iface, tag + "q")
    ta = t + ctx.dns_rtt * rng.uniform(0.97, 1.05)
    cap.add(ta, mk_ip(ctx.resolver, ctx.cip, ctx.rttl, rng.randrange(65536), False) / UDP(sport=53, dport=sport) / Raw(dig_answer(txid, qname, addrs, ttl, flags=0x81a0)), False, ctx.iface, tag + "r")
    return ta


def case_pf03(outdir):
    name = "pf03_iran_dot_block.pcapng"
    cap = Cap(name, epoch(2023, 10, 2, 10, 47, 5), [dict(link="sll2", name="any", cmac=mac("08:97:98:5d:c1:3a"), gmac=mac("a0:f3:c1:77:10:2b"), ifindex=3, tsresol=6, os="Linux 6.5.0-1-amd64")],
              fmt="pcapng", endian="<", shb=dict(hw="", os="Linux 6.5.0-1-amd64", app="Dumpcap (Wireshark) 4.0.10 (Git v4.0.10 packaged as 4.0.10-1)"))
    ctx = Ctx(cap, 1406, cip="192.168.43.61", cos="linux", cttl=64, resolver="1.1.1.1", rttl=55, dns_rtt=0.118, edns=1232)
    rng = ctx.rng
    CF, RTT, TTL = "1.1.1.1", 0.117, 55
    S = [
        site("www.digikala.com", a=["185.143.233.120"], rtt=0.022, ttl=57, sos="cdn", resp=180000, cert=3700, ttl_a=120),
        site("www.varzesh3.com", a=["94.182.182.28"], rtt=0.019, ttl=58, resp=150000, cert=3300, ttl_a=600),
        site("www.google.com", a=["142.250.186.132"], rtt=0.109, ttl=112, sos="cdn", resp=50000, cert=4100, ttl_a=300),
        site("www.aparat.com", a=["185.143.234.235"], rtt=0.023, ttl=57, sos="cdn", resp=160000, cert=3700, ttl_a=120),
        site("www.isna.ir", a=["185.147.178.11"], rtt=0.025, ttl=57, kind="http", resp=55000, ttl_a=3600),
        site("github.com", a=["140.82.121.4"], rtt=0.124, ttl=46, resp=170000, cert=3100, ttl_a=60),
        site("divar.ir", a=["185.143.233.3"], rtt=0.022, ttl=57, sos="cdn", resp=120000, cert=3700, ttl_a=120),
        site("www.irna.ir", a=["185.79.96.21"], rtt=0.026, ttl=56, resp=130000, cert=3300, ttl_a=600),
        site("stackoverflow.com", a=["104.18.32.7"], rtt=0.127, ttl=51, sos="cdn", resp=110000, cert=2700, ttl_a=300),
        site("en.wikipedia.org", a=["185.15.59.224"], cn=["dyna.wikimedia.org"], rtt=0.113, ttl=50, resp=140000, cert=3900, ttl_a=600, ttl_c=86400),
        site("www.tgju.org", a=["185.143.234.125"], rtt=0.021, ttl=57, sos="cdn", resp=130000, cert=3700, ttl_a=120),
        site("snapp.ir", a=["185.143.233.200"], rtt=0.022, ttl=57, sos="cdn", resp=70000, cert=3700, ttl_a=120),
        site("docs.python.org", a=["151.101.0.223"], cn=["dualstack.python.map.fastly.net"], rtt=0.101, ttl=52, sos="cdn", resp=60000, cert=3500, ttl_a=30, ttl_c=86400),
        site("www.khabaronline.ir", a=["185.188.104.10"], rtt=0.024, ttl=57, resp=140000, cert=3300, ttl_a=600),
    ]
    # systemd-resolved, DNS=1.1.1.1#cloudflare-dns.com, DNSOverTLS=opportunistic: first DoT, then plain UDP
    t, n1 = dot_blocked(ctx, 0.412, CF, "cloudflare-dns.com", RTT, TTL, 4.9, 11.0, "a1", profile="firefox")
    t = browse(ctx, t + 0.01, S[:4], gap=(0.7, 3.5))
    # researcher: kdig over TLS with three different names (and none), all to 1.1.1.1:853
    t = kdig_udp(ctx, t + 3.0, "example.org", ["93.184.215.14"], 3600, "u1")
    t2, n2 = dot_blocked(ctx, t + 2.6, CF, "one.one.one.one", RTT, TTL, 5.0, 12.0, "a2", profile="firefox")
    t = browse(ctx, t2 + 1.5, S[4:6], gap=(0.7, 3.0))
    t3, n3 = dot_blocked(ctx, max(t, t2 + 8.0) + 1.0, CF, None, RTT, TTL, 5.0, 12.0, "a3", profile="firefox")
    t = browse(ctx, t3 + 1.0, S[6:8], gap=(0.7, 3.0))
    t4, n4 = dot_blocked(ctx, max(t, t3 + 8.0) + 1.2, CF, "dns.cloudflare.com", RTT, TTL, 5.0, 12.0, "a4", profile="firefox")
    # control: DNS-over-HTTPS on the same address, port 443 (curl https://1.1.1.1/dns-query?...), no SNI
    _, t = ctx.https(max(t4, t4) + 2.0, CF, None, RTT, TTL, resp=900, cert=2900, sos="cdn", rate=20e6, tag="doh", close="client")
    t = kdig_udp(ctx, t + 2.2, "example.org", ["93.184.215.14"], 3581, "u2")
    t = browse(ctx, t + 1.5, S[8:], gap=(0.7, 4.0))
    cap.write(os.path.join(outdir, name))
    g = {k: cap.frame(k) for k in ("a1syn", "a1synack", "a1ch", "a1rtx1", f"a1rtx{n1}", "a2syn", "a2synack", "a2ch", f"a2rtx{n2}", "a3syn", "a3ch", f"a3rtx{n3}",
                                    "a4syn", "a4ch", f"a4rtx{n4}", "dohsyn", "dohch", "dohshdata", "u1q", "u1r", "u2q", "u2r")}
    EXPECT[name] = {
        "expect": [{"mechanism": "blackhole", "ip": CF}],
        "allow": [],
        "why": (f"PF-03 (Iran: TLS to 1.1.1.1:853 blocked whatever the SNI). Four DoT attempts to 1.1.1.1:853: the TCP handshake completes every time (SYN/ACK TTL 55, RTT 117 ms) "
                f"but the ClientHello is never ACKed or answered and is retransmitted on RTO with doubling, the FIN riding on a retransmission once the client gives up: "
                f"systemd-resolved SNI cloudflare-dns.com (SYN {g['a1syn']}, SYN/ACK {g['a1synack']}, ClientHello {g['a1ch']}, retransmissions {g['a1rtx1']}..{g['a1rtx'+str(n1)]}); "
                f"kdig SNI one.one.one.one (SYN {g['a2syn']}, ClientHello {g['a2ch']} .. last retransmission {g['a2rtx'+str(n2)]}); kdig without SNI (SYN {g['a3syn']}, ClientHello {g['a3ch']} .. {g['a3rtx'+str(n3)]}); "
                f"SNI dns.cloudflare.com (SYN {g['a4syn']}, ClientHello {g['a4ch']} .. {g['a4rtx'+str(n4)]}). "
                f"The same address answers otherwise throughout: plain DNS on UDP 53 (every lookup of the session after resolved's fallback, e.g. kdig {g['u1q']}/{g['u1r']} and {g['u2q']}/{g['u2r']}) "
                f"and DNS-over-HTTPS on TCP 443 (SYN {g['dohsyn']}, ClientHello {g['dohch']}, ServerHello {g['dohshdata']}). Endpoint (IP:port) blocking, not SNI filtering: no name ever completes on 853."),
        "shape": "pcapng (little-endian), one interface 'any' with LINKTYPE_LINUX_SLL2, IPv4; ~14 ordinary visits resolved over plain UDP by 1.1.1.1 itself",
    }


# ============================================================================


def main():
    if len(sys.argv) != 2:
        print("usage: python blind14_positive.py OUTDIR", file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    EXPECT.clear()
    case_dns06(out)
    case_tls05(out)
    case_quic01(out)
    case_rst08(out)
    case_thr02_full(out)
    case_pf03(out)
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(EXPECT, fh, indent=2, sort_keys=True)
        fh.write("\n")
    for k in sorted(EXPECT):
        print(f"{k}: {os.path.getsize(os.path.join(out, k))} bytes")


if __name__ == "__main__":
    main()
