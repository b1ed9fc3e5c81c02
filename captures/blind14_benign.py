#!/usr/bin/env python3
# ruff: noqa: B905, E501, E741, I001, RUF005, RUF021, RUF046, RUF059, RUF100
"""Blind round 14b: six captures of benign traffic that look like censorship to a naive tool.

usage: python blind14_benign.py OUTDIR

Every capture is deterministic (seeded RNGs, fixed epochs).  No interference in any of them:
a correct analyzer reports no findings.  OUTDIR/expect.json says, per file, which catalogue
signature a naive tool would match and why the traffic is benign (with frame numbers).
"""
import ipaddress
import json
import os
import struct
import sys
import time
from email.utils import formatdate

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.all import ARP, BOOTP, DHCP, ICMPv6ND_RA, ICMPv6ND_RS, ICMPv6NDOptPrefixInfo, ICMPv6NDOptSrcLLAddr, IP, UDP, Ether, IPv6, Raw, raw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blind_kit import (  # noqa: E402  (the capture kit the round was written with)
    Cap, Ctx, Flow, app_rec, app_stream, chain, client_hello, epoch, ext, html_body, mac, mk_ip, server_flight, u16, x25519_pub,
)
from blind_kit import dns_full  # noqa: E402
from blind_kit import quic_server_hello  # noqa: E402

# ----------------------------------------------------------------------------
# site catalogue for the ordinary visits (addresses in the real operators' space,
# none in a published poison pool, none bogon)
# ----------------------------------------------------------------------------

# name: (ipv4, ipv6 or None, ttl4, hlim6, rtt, cname chain, server profile)
SITES = {
    "www.wikipedia.org": ("185.15.59.224", "2a02:ec80:300:ed1a::1", 55, 55, 0.029, ("dyna.wikimedia.org",), "linuxsrv"),
    "en.wikipedia.org": ("185.15.59.224", "2a02:ec80:300:ed1a::1", 55, 55, 0.029, ("dyna.wikimedia.org",), "linuxsrv"),
    "upload.wikimedia.org": ("185.15.59.240", "2a02:ec80:300:ed1a::2:b", 55, 55, 0.029, (), "linuxsrv"),
    "github.com": ("140.82.121.4", None, 53, 0, 0.034, (), "linuxsrv"),
    "avatars.githubusercontent.com": ("185.199.111.133", "2606:50c0:8003::154", 58, 58, 0.012, (), "cdn"),
    "news.ycombinator.com": ("209.216.230.207", None, 49, 0, 0.148, (), "nots"),
    "stackoverflow.com": ("104.18.32.7", "2606:4700::6812:2007", 57, 57, 0.013, (), "cdn"),
    "docs.python.org": ("151.101.36.223", "2a04:4e42:9::223", 58, 58, 0.011, ("dualstack.python.map.fastly.net",), "cdn"),
    "www.debian.org": ("130.89.148.77", "2001:67c:2564:a119::77", 52, 52, 0.022, (), "linuxsrv"),
    "www.openstreetmap.org": ("184.104.179.132", "2001:470:1:fa1::b", 53, 53, 0.031, (), "linuxsrv"),
    "tile.openstreetmap.org": ("151.101.2.217", "2a04:4e42::729", 58, 58, 0.011, ("dualstack.n.sni.global.fastly.net",), "cdn"),
    "www.heise.de": ("193.99.144.85", "2a02:2e0:3fe:1001:7777:772e:2:85", 54, 54, 0.019, (), "linuxsrv"),
    "www.spiegel.de": ("128.65.210.8", None, 56, 0, 0.017, (), "linuxsrv"),
    "lwn.net": ("66.228.37.147", "2600:3c03::f03c:91ff:fe61:5c5b", 47, 47, 0.104, (), "linuxsrv"),
    "www.kernel.org": ("139.178.84.217", "2604:1380:4641:c500::1", 52, 52, 0.027, (), "linuxsrv"),
    "arxiv.org": ("151.101.195.42", "2a04:4e42:600::298", 58, 58, 0.011, (), "cdn"),
    "www.theguardian.com": ("151.101.1.111", "2a04:4e42::367", 58, 58, 0.011, ("dualstack.guardian.map.fastly.net",), "cdn"),
    "www.bbc.co.uk": ("151.101.128.81", "2a04:4e42:200::81", 58, 58, 0.012, ("www.bbc.co.uk.pri.bbc.co.uk", "uk.www.bbc.co.uk.pri.bbc.co.uk"), "cdn"),
    "duckduckgo.com": ("40.114.177.156", None, 113, 0, 0.024, (), "nots"),
    "www.google.com": ("142.250.185.100", "2a00:1450:4001:82a::2004", 117, 117, 0.009, (), "cdn"),
    "fonts.gstatic.com": ("142.250.186.35", "2a00:1450:4001:827::2003", 117, 117, 0.009, (), "cdn"),
    "www.youtube.com": ("142.250.184.238", "2a00:1450:4001:813::200e", 117, 117, 0.009, ("youtube-ui.l.google.com",), "cdn"),
    "www.mozilla.org": ("34.149.163.185", "2600:1901:0:7c5d::", 56, 56, 0.014, ("www.mozilla.org.cdn.cloudflare.net",), "cdn"),
    "codeberg.org": ("217.197.84.140", "2a0a:4580:103f:c0de::2", 51, 51, 0.026, (), "linuxsrv"),
    "www.tagesschau.de": ("23.62.46.171", None, 57, 0, 0.010, ("www.tagesschau.de.edgekey.net", "e15019.a.akamaiedge.net"), "cdn"),
    "pypi.org": ("151.101.64.223", "2a04:4e42:200::223", 58, 58, 0.011, (), "cdn"),
    "files.pythonhosted.org": ("151.101.65.63", "2a04:4e42:200::319", 58, 58, 0.011, ("dualstack.r.ssl.global.fastly.net",), "cdn"),
    "www.reddit.com": ("151.101.193.140", "2a04:4e42:600::396", 58, 58, 0.012, ("reddit.map.fastly.net",), "cdn"),
    "matrix.org": ("104.20.20.91", "2606:4700:10::6814:145b", 57, 57, 0.013, (), "cdn"),
    "www.arte.tv": ("2.18.241.214", None, 57, 0, 0.011, ("www.arte.tv.edgekey.net", "e7032.a.akamaiedge.net"), "cdn"),
}


# ----------------------------------------------------------------------------
# DNS: full encoder (answer + authority sections), lookups with resolver fingerprints
# ----------------------------------------------------------------------------

def dns_encode(txid, flags, qname, qtype, answers=(), authority=(), edns=None):
    return dns_full(txid, flags, qname, qtype, answers, authority, edns)

def rrs(qname, cnames, addrs, qtype, ttl_c, ttl_a):
    return chain(qname, cnames, addrs, ttl_c, ttl_a, qtype)


class Resolver:
    """How one resolver's answers look on the wire: address, observed TTL, IP ID habit, DF."""

    def __init__(self, addr, ttl, rtt, idmode="zero", df=True, edns=None, rng=None):
        self.addr, self.ttl, self.rtt, self.idmode, self.df, self.edns = addr, ttl, rtt, idmode, df, edns
        self.rng = rng
        self.ctr = rng.randrange(65536) if rng else 1

    def ipid(self):
        if self.idmode == "zero":
            return 0
        if self.idmode == "rand":
            return self.rng.randrange(65536)
        self.ctr = (self.ctr + 1) & 0xFFFF
        return self.ctr


def lookup(ctx, res, t, qname, a=None, aaaa=None, rcode=0, authority=(), tag=None, qedns=None, retransmit=None, rtt=None,
           iface=None, src=None, types=("A", "AAAA"), answer=True):
    """glibc-style parallel A+AAAA from one UDP socket.  a/aaaa: answer lists (rrs()).
    retransmit: seconds after which the stub resends both queries byte-identically and the
    resolver (which had them both pending) answers each copy.  Returns arrival of last answer."""
    rng = ctx.rng
    iface = ctx.iface if iface is None else iface
    v6 = ":" in res.addr
    src = src or (ctx.cip6 if v6 else ctx.cip)
    sport = ctx.port()
    ipid = rng.randrange(1, 65536)
    flbl = rng.getrandbits(20)
    rflbl = rng.getrandbits(20)
    rtt = rtt or res.rtt
    qs = []
    tq = t
    for qt in types:
        txid = rng.randrange(65536)
        q = dns_encode(txid, 0x0100, qname, qt, edns=qedns)
        qs.append((qt, txid, q, tq))
        tq += rng.uniform(0.00003, 0.0001)

    def send_q(tt, qt, q, k):
        nonlocal ipid
        ctx.cap.add(tt, mk_ip(src, res.addr, ctx.cttl, ipid, True, flbl) / UDP(sport=sport, dport=53) / Raw(q), True, iface,
                    tag and f"{tag}q{qt}{k}")
        ipid += 1

    for qt, _txid, q, tt in qs:
        send_q(tt, qt, q, 0)
    if not answer:
        return tq
    resp = []
    for qt, txid, _q, _tt in qs:
        ans = (a if qt == "A" else aaaa) or []
        body = dns_encode(txid, 0x8180 | rcode, qname, qt, ans, authority if (rcode or not ans) else (), edns=res.edns if qedns else None)
        resp.append((qt, body))
    last = t
    if retransmit is None:
        arr = sorted((t + rtt * rng.uniform(0.92, 1.12), i) for i in range(len(resp)))
        for ta, i in arr:
            qt, body = resp[i]
            ctx.cap.add(ta, mk_ip(res.addr, src, res.ttl, res.ipid(), res.df, rflbl) / UDP(sport=53, dport=sport) / Raw(body), False, iface,
                        tag and f"{tag}r{qt}0")
            last = max(last, ta)
        return last
    # resend after `retransmit`; the slow upstream answer then satisfies both copies of each query
    tr = t + retransmit
    for qt, _txid, q, tt in qs:
        send_q(tr + (tt - t), qt, q, 1)
    ta = tr + rtt * rng.uniform(0.9, 1.3)
    for qt, body in resp:
        for k in (0, 1):
            ctx.cap.add(ta, mk_ip(res.addr, src, res.ttl, res.ipid(), res.df, rflbl) / UDP(sport=53, dport=sport) / Raw(body), False, iface,
                        tag and f"{tag}r{qt}{k}")
            ta += rng.uniform(0.00004, 0.00012)
    return ta


def site_answers(name, ttl_a=None, rng=None):
    v4, v6, *_ , cn, _os = SITES[name]
    ta = ttl_a if ttl_a is not None else (rng.choice([60, 120, 300, 600, 1800, 3600]) if rng else 300)
    a = rrs(name, cn, [v4], "A", 300, ta)
    aaaa = rrs(name, cn, [v6] if v6 else [], "AAAA", 300, ta)
    return a, aaaa


# ----------------------------------------------------------------------------
# TCP/TLS helpers on top of capkit.Flow
# ----------------------------------------------------------------------------


def tls_open(ctx, t, sip, sni, rtt, ttl, sos="linuxsrv", cert=3200, profile="firefox", smss=1460, tag=None, rate=90e6, port=443):
    """TCP handshake + TLS 1.3 ClientHello + server flight + client Finished.  Returns (flow, t)."""
    rng = ctx.rng
    fl = Flow(ctx, sip, port, rtt, ttl, sos=sos, smss=smss)
    t = fl.handshake(t, tag)
    t += rng.uniform(0.0002, 0.0012)
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), profile)
    t = fl.send_c(t, ch, tag and tag + "ch")
    t = fl.bulk(t + fl.owd + rng.uniform(0.0004, 0.002), server_flight(rng, sid, cert), rate, None, 1e9, tag and tag + "sh", final_ack=False)
    t = max(t, fl.last_arr + rng.uniform(0.001, 0.004))
    t = fl.send_c(t, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36), tag and tag + "fin")
    return fl, t


def tls_exchange(fl, t, req, resp, think=0.015, rate=90e6, tag=None):
    """One request (encrypted) and its response over an open TLS flow."""
    rng = fl.ctx.rng
    t = fl.send_c(t, app_rec(rng, req), tag and tag + "req")
    srv = app_rec(rng, rng.randrange(120, 260)) + app_stream(rng, resp)
    t = fl.bulk(t + fl.owd + think, srv, rate, None, 1e9, tag and tag + "resp")
    return t


def visit(ctx, res, t, name, n_req=2, size=(20000, 160000), rate=None, dns=True, v6=None, tag=None, close=True, profile=None, rtt_add=0.0, ttl_add=0):
    """An ordinary page visit: DNS, one TLS connection, a few requests, client close."""
    rng = ctx.rng
    v4, v6a, ttl4, hl6, rtt, cn, sos = SITES[name]
    if dns:
        a, aaaa = site_answers(name, rng=rng)
        t = lookup(ctx, res, t, name, a, aaaa, tag=tag and tag + "dns") + rng.uniform(0.0005, 0.003)
    use6 = (v6 if v6 is not None else (ctx.cip6 is not None and v6a is not None)) and v6a
    sip, ttl = (v6a, hl6 + ttl_add) if use6 else (v4, ttl4 + ttl_add)
    rate = rate or rng.choice([40e6, 60e6, 85e6])
    fl, t = tls_open(ctx, t, sip, name, rtt * rng.uniform(0.95, 1.08) + rtt_add, ttl, sos=sos, profile=profile or ctx.profile,
                     smss=1440 if use6 else 1460, tag=tag, rate=rate)
    for i in range(n_req):
        t = tls_exchange(fl, t + rng.uniform(0.001, 0.2), rng.randrange(300, 700), rng.randrange(*size), think=rng.uniform(0.004, 0.06),
                         rate=rate, tag=tag and f"{tag}x{i}")
    if close:
        t = fl.close_client(t + rng.uniform(0.5, 3.0))
    return fl, t


def background(ctx, res, t, names, gap=(0.4, 4.0), **kw):
    """Visit each name in turn; returns the time after the last visit."""
    for n in names:
        _, t = visit(ctx, res, t, n, **kw)
        t += ctx.rng.uniform(*gap)
    return t


def paced(fl, t0, data, rate_Bps, period, link=95e6, tag=None):
    """Server-side application pacing (e.g. nginx limit_rate): every `period` the server
    writes rate*period bytes, which leave at line rate; no loss.  The client ACKs every
    second segment and a lone trailing segment after its 40 ms delayed-ACK timer."""
    rng = fl.ctx.rng
    mss = fl.seg
    off = 0
    tb = t0
    base = fl.snxt
    nb = 0
    last_client = t0
    while off < len(data):
        chunk = int(rate_Bps * period * rng.uniform(0.97, 1.03))
        end = min(len(data), off + chunk)
        ta = tb + fl.owd
        pend = 0
        while off < end:
            n = min(mss, end - off)
            psh = off + n >= end
            fl.s(ta, "PA" if psh else "A", data[off:off + n], seq=base + off, tag=tag and nb == 0 and off == 0 and tag + "first" or None)
            off += n
            fl.c_rcv = base + off
            pend += 1
            if pend >= 2:
                fl.c(ta + rng.uniform(0.00002, 0.00008), "A")
                last_client = ta
                pend = 0
            ta += (n + 66) * 8 / link
        if pend:
            fl.c(ta + 0.04, "A")
            last_client = ta + 0.04
        nb += 1
        tb += period * rng.uniform(0.995, 1.005)
    fl.snxt = base + len(data)
    fl.c_rcv = fl.snxt
    fl.paced_end = ta
    return last_client


# ----------------------------------------------------------------------------
# QUIC v1 (RFC 9000/9001): real Initial protection, opaque Handshake and 1-RTT packets
# ----------------------------------------------------------------------------

QUIC_SALT_V1 = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")
GREASE16 = [0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A, 0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A, 0xAAAA, 0xBABA, 0xCACA, 0xDADA, 0xEAEA, 0xFAFA]


def _hkdf_extract(salt, ikm):
    h = hmac.HMAC(salt, hashes.SHA256())
    h.update(ikm)
    return h.finalize()


def _hkdf_expand_label(secret, label, length):
    full = b"tls13 " + label
    info = struct.pack("!H", length) + bytes([len(full)]) + full + b"\x00"
    out, blk, i = b"", b"", 1
    while len(out) < length:
        h = hmac.HMAC(secret, hashes.SHA256())
        h.update(blk + info + bytes([i]))
        blk = h.finalize()
        out += blk
        i += 1
    return out[:length]


def quic_initial_keys(odcid):
    ini = _hkdf_extract(QUIC_SALT_V1, odcid)
    keys = []
    for lab in (b"client in", b"server in"):
        sec = _hkdf_expand_label(ini, lab, 32)
        keys.append((_hkdf_expand_label(sec, b"quic key", 16), _hkdf_expand_label(sec, b"quic iv", 12), _hkdf_expand_label(sec, b"quic hp", 16)))
    return keys


def qv(n, size=None):
    if size is None:
        size = 1 if n < 0x40 else 2 if n < 0x4000 else 4 if n < 0x40000000 else 8
    b = bytearray(n.to_bytes(size, "big"))
    b[0] |= {1: 0x00, 2: 0x40, 4: 0x80, 8: 0xC0}[size]
    return bytes(b)


def quic_long_protected(ptype, dcid, scid, pn, payload, keys, pn_len=2, token=b""):
    key, iv, hp = keys
    first = 0xC0 | (ptype << 4) | (pn_len - 1)
    hdr = b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    if ptype == 0:
        hdr += qv(len(token)) + token
    hdr += qv(pn_len + len(payload) + 16, 2)
    pnb = pn.to_bytes(pn_len, "big")
    aad = bytes([first]) + hdr + pnb
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, payload, aad)
    sample = ct[4 - pn_len:20 - pn_len]
    mask = Cipher(algorithms.AES(hp), modes.ECB()).encryptor().update(sample)
    first ^= mask[0] & 0x0F
    pnb = bytes(a ^ b for a, b in zip(pnb, mask[1:1 + pn_len]))
    return bytes([first]) + hdr + pnb + ct


def quic_long_opaque(rng, ptype, dcid, scid, total):
    """A Handshake packet as an observer without the handshake keys sees it."""
    hdr = bytes([0xC0 | (ptype << 4) | rng.randrange(16)]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    n = total - len(hdr) - 2
    return hdr + qv(n, 2) + rng.randbytes(n)


def quic_short(rng, dcid, total):
    return bytes([0x40 | rng.randrange(0x40)]) + dcid + rng.randbytes(total - 1 - len(dcid))


def quic_transport_params(rng, scid):
    gid = 31 * rng.randrange(1, 2000) + 27
    tps = [(0x01, qv(30000)), (0x03, qv(1472)), (0x04, qv(15728640)), (0x05, qv(6291456)), (0x06, qv(6291456)), (0x07, qv(6291456)),
           (0x08, qv(100)), (0x09, qv(103)), (0x0F, scid), (0x20, qv(65536)), (0x11, b"\x00\x00\x00\x01\x00\x00\x00\x01\x6b\x33\x43\xcf"),
           (gid, rng.randbytes(rng.randrange(1, 16)))]
    return b"".join(qv(i) + qv(len(v)) + v for i, v in tps)


def quic_client_hello(rng, sni, scid):
    g1, g2, g3 = rng.sample(GREASE16, 3)
    pub = x25519_pub(rng)
    sigs = (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)
    exts = [
        ext(g1, b""),
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(10, u16(8) + u16(g2) + u16(0x1D) + u16(0x17) + u16(0x18)),
        ext(16, u16(3) + b"\x02h3"),
        ext(13, u16(2 * len(sigs)) + b"".join(u16(x) for x in sigs)),
        ext(51, u16(5 + 36) + u16(g2) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + pub),
        ext(45, b"\x01\x01"),
        ext(43, b"\x04" + u16(g3) + u16(0x0304)),
        ext(0x39, quic_transport_params(rng, scid)),
        ext(27, b"\x02\x00\x02"),
        ext(17513, b"\x00\x03\x02h3"),
        ext(g3 ^ 0x1010 if (g3 ^ 0x1010) != g1 else g1 ^ 0x2020, b"\x00"),
    ]
    el = b"".join(exts)
    body = u16(0x0303) + rng.randbytes(32) + b"\x00" + u16(8) + u16(g1) + u16(0x1301) + u16(0x1302) + u16(0x1303) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


class Quic:
    """One QUIC connection seen from the client (Chrome-like: empty client CID, 1250-byte Initials)."""

    def __init__(self, ctx, sip, sni, rtt, ttl, cip=None, sport=None, iface=0, srv_ipid="zero"):
        rng = ctx.rng
        self.ctx, self.cap, self.rng = ctx, ctx.cap, rng
        self.sip, self.sni, self.rtt, self.ttl = sip, sni, rtt, ttl
        self.v6 = ":" in sip
        self.cip = cip or (ctx.cip6 if self.v6 else ctx.cip)
        self.sport = sport or ctx.port()
        self.iface = iface
        self.odcid = rng.randbytes(8)
        self.scid = b""
        self.srv_cid = rng.randbytes(8)
        self.ck, self.sk = quic_initial_keys(self.odcid)
        self.cpn = {"i": 0, "h": 0, "a": 0}
        self.spn = {"i": 0, "h": 0, "a": 0}
        self.cid_ip = rng.randrange(1, 65536)
        self.cfl, self.sfl = rng.getrandbits(20), rng.getrandbits(20)
        self.srv_ipid = srv_ipid
        self.sid_ip = rng.randrange(1, 65536)
        self.ch = quic_client_hello(rng, sni, self.scid)
        self.dcid_now = self.odcid
        self.bytes_in = 0

    def _udp(self, t, payload, out, tag=None):
        if out:
            ip = mk_ip(self.cip, self.sip, self.ctx.cttl, self.cid_ip, True, self.cfl)
            self.cid_ip = (self.cid_ip + 1) & 0xFFFF
            pkt = ip / UDP(sport=self.sport, dport=443) / Raw(payload)
        else:
            if self.srv_ipid == "zero":
                ipid = 0
            else:
                ipid = self.sid_ip
                self.sid_ip = (self.sid_ip + 1) & 0xFFFF
            ip = mk_ip(self.sip, self.cip, self.ttl, ipid, True, self.sfl)
            pkt = ip / UDP(sport=443, dport=self.sport) / Raw(payload)
        self.cap.add(t, pkt, out, self.iface, tag)

    def client_initial(self, t, tag=None):
        """The first Initial (or a PTO retransmission of it: new packet number, same CRYPTO data)."""
        pn = self.cpn["i"]
        self.cpn["i"] += 1
        crypto = b"\x06" + qv(0) + qv(len(self.ch), 2) + self.ch
        frames = (b"\x01" if pn else b"") + crypto
        hdr_len = 1 + 4 + 1 + 8 + 1 + 0 + 1 + 2 + 2
        pad = 1250 - hdr_len - 16 - len(frames)
        pkt = quic_long_protected(0, self.odcid, self.scid, pn, frames + b"\x00" * pad, self.ck)
        assert len(pkt) == 1250, len(pkt)
        self._udp(t, pkt, True, tag)

    def connect(self, t, tag=None):
        """Client Initial, server flight (Initial with the ServerHello coalesced with Handshake packets),
        client Finished.  Returns the time of the client's last packet."""
        rng = self.rng
        self.client_initial(t, tag and tag + "init")
        ta = t + self.rtt + rng.uniform(0.0003, 0.0012)
        sh = quic_server_hello(rng)
        payload = b"\x02" + qv(self.cpn["i"] - 1) + qv(rng.randrange(0, 40)) + qv(0) + qv(0) + b"\x06" + qv(0) + qv(len(sh)) + sh
        init = quic_long_protected(0, self.scid, self.srv_cid, self.spn["i"], payload, self.sk)
        self.spn["i"] += 1
        hs1 = quic_long_opaque(rng, 2, self.scid, self.srv_cid, 1250 - len(init))
        self._udp(ta, init + hs1, False, tag and tag + "sinit")
        self._udp(ta + 0.00011, quic_long_opaque(rng, 2, self.scid, self.srv_cid, 1250), False)
        self._udp(ta + 0.00022, quic_long_opaque(rng, 2, self.scid, self.srv_cid, rng.randrange(620, 900)), False)
        self._udp(ta + 0.00031, quic_short(rng, self.scid, rng.randrange(180, 260)), False)
        self.dcid_now = self.srv_cid
        tc = ta + 0.00031 + rng.uniform(0.0008, 0.002)
        # client: Initial ACK + Handshake (Finished) in one padded datagram, then its first 1-RTT packet
        ack = b"\x02" + qv(0) + qv(rng.randrange(0, 20)) + qv(0) + qv(0)
        hs = quic_long_opaque(rng, 2, self.srv_cid, self.scid, rng.randrange(80, 110))
        hdr_len = 1 + 4 + 1 + 8 + 1 + 1 + 2 + 2
        ini = quic_long_protected(0, self.srv_cid, self.scid, self.cpn["i"], ack + b"\x00" * (1250 - len(hs) - hdr_len - 16 - len(ack)), self.ck)
        self.cpn["i"] += 1
        self._udp(tc, ini + hs, True, tag and tag + "cfin")
        self._udp(tc + 0.00005, quic_short(rng, self.dcid_now, rng.randrange(60, 90)), True)
        self._udp(tc + self.rtt + 0.0002, quic_short(rng, self.scid, rng.randrange(40, 60)), False)
        return tc + 0.00005

    def request(self, t, resp, rate=45e6, req=None, tag=None, mtu=1350):
        """HTTP/3 request (one small 1-RTT packet) and a paced response; client ACKs every 2nd packet."""
        rng = self.rng
        self._udp(t, quic_short(rng, self.dcid_now, req or rng.randrange(90, 320)), True, tag and tag + "req")
        ta = t + self.rtt + rng.uniform(0.003, 0.02)
        n = max(1, -(-resp // (mtu - 40)))
        k = 0
        for i in range(n):
            size = mtu if i < n - 1 else max(60, resp - (mtu - 40) * (n - 1) + 40)
            self._udp(ta, quic_short(rng, self.scid, size), False, tag and i == 0 and tag + "resp" or None)
            self.bytes_in += size
            k += 1
            if k == 2 or i == n - 1:
                self._udp(ta + rng.uniform(0.0002, 0.001), quic_short(rng, self.dcid_now, rng.randrange(36, 48)), True)
                k = 0
            ta += size * 8 / rate
        return ta + 0.001

    def probe(self, t, size=None, tag=None):
        self._udp(t, quic_short(self.rng, self.dcid_now, size or self.rng.randrange(40, 120)), True, tag)

    def close(self, t):
        self._udp(t, quic_short(self.rng, self.dcid_now, self.rng.randrange(40, 60)), True)


# ----------------------------------------------------------------------------
# capture writer variant: raw frames (ARP, DHCP), gateway MAC that changes with the network
# ----------------------------------------------------------------------------


class Cap2(Cap):
    def __init__(self, *a, gw_by_prefix=None, **kw):
        super().__init__(*a, **kw)
        self.gw_by_prefix = gw_by_prefix or []

    def link(self, iface, ipb, out):
        if self.gw_by_prefix and self.ifaces[iface]["link"] == "eth":
            if ipb[0] >> 4 == 4:
                me = ipaddress.IPv4Address(ipb[12:16] if out else ipb[16:20])
            else:
                me = ipaddress.IPv6Address(ipb[8:24] if out else ipb[24:40])
            f = dict(self.ifaces[iface])
            for net, gm in self.gw_by_prefix:
                if me in net:
                    f["gmac"] = gm
            saved = self.ifaces[iface]
            self.ifaces[iface] = f
            try:
                return super().link(iface, ipb, out)
            finally:
                self.ifaces[iface] = saved
        return super().link(iface, ipb, out)

    def add_frame(self, t, frame, iface=0, tag=None, out=True):
        if not out and len(frame) < 60:  # frames received from the wire arrive padded
            frame = frame + b"\0" * (60 - len(frame))
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        self.recs.append((tns, len(self.recs), iface, frame, tag))
        self._sorted = None


def cap_info(cap, path):
    return {"frames": len(cap.recs), "size": os.path.getsize(path)}
# ----------------------------------------------------------------------------
# case 1: a mirror's per-vhost application rate limit next to a fast vhost on the same IP
# ----------------------------------------------------------------------------


def case1(outdir):
    fname = "bn1_vhost_rate_limit.pcap"
    ifc = [{"link": "eth", "name": "enp3s0", "cmac": mac("3c:7c:3f:1e:a4:62"), "gmac": mac("e4:8d:8c:5a:11:f0")}]
    cap = Cap(fname, epoch(2024, 10, 14, 19, 42, 7), ifc, fmt="pcap", endian="<")
    ctx = Ctx(cap, 1401, cip="192.168.0.23", cos="linux")
    ctx.profile = "firefox"
    rng = ctx.rng
    router = Resolver("192.168.0.1", 64, 0.0009, "zero", True, rng=rng)
    SRV, TTL, RTT = "88.99.208.237", 53, 0.0241
    t = 0.21
    t = background(ctx, router, t, ["www.wikipedia.org", "www.heise.de", "lwn.net", "www.debian.org", "codeberg.org"], gap=(0.8, 3.5))
    # the project page on the www vhost (fast)
    a = rrs("www.fossarchive.org", [], [SRV], "A", 0, 3600)
    t = lookup(ctx, router, t, "www.fossarchive.org", a, [], tag="wwwdns") + 0.001
    www, t = tls_open(ctx, t, SRV, "www.fossarchive.org", RTT, TTL, tag="www")
    t = tls_exchange(www, t + 0.002, 520, 48000, think=0.006, tag="wwwp")
    t = tls_exchange(www, t + 0.01, 480, 21000, think=0.002)
    t += 3.7
    # the ISO on the downloads vhost: same address, nginx limit_rate_after 1m; limit_rate 256k
    a = rrs("downloads.fossarchive.org", [], [SRV], "A", 0, 3600)
    t = lookup(ctx, router, t, "downloads.fossarchive.org", a, [], tag="dldns") + 0.001
    dl, t = tls_open(ctx, t, SRV, "downloads.fossarchive.org", RTT, TTL, tag="dl")
    t = dl.send_c(t + 0.001, app_rec(rng, 560), "dlreq")
    hdr = app_rec(rng, 210)
    fast_part = hdr + app_stream(rng, 1 << 20)
    t_dl0 = t + dl.owd + 0.004
    dl.bulk(t_dl0, fast_part, 95e6, None, 1e9, "dlfast", final_ack=True)
    fast_end = dl.last_arr
    # paced phase: two 16 KiB records every 125 ms (= 256 KiB/s)
    nbursts = 118
    slow = b"".join(app_stream(rng, 2 * 16384) for _ in range(nbursts))
    p0 = fast_end - dl.owd + 0.125
    t_last_ack = paced(dl, p0, slow, 2 * 16406 / 0.125, 0.125, tag="dlslow")
    t_paced_end = dl.paced_end
    t_cancel_req = t_last_ack + 0.021
    # meanwhile (4.8 s into the slow phase) the user fetches the tarball from the www vhost: fast
    tt = fast_end + 4.8
    www_req_t = tt
    tt = tls_exchange(www, tt, 540, 3_200_000, think=0.003, rate=92e6, tag="tar")
    tar_end = www.last_arr
    # the user cancels the ISO: h2 RST_STREAM (one small record); the server stops writing
    dl.c(t_cancel_req, "PA", app_rec(rng, 13), tag="dlcancel")
    dl.s_rcv = dl.cnxt
    dl.s(t_cancel_req + RTT, "A")
    t = max(t_cancel_req + RTT, tar_end) + 2.0
    t = www.close_client(t + 1.1)
    t = dl.close_client(t + 0.4)
    t = background(ctx, router, t + 1.5, ["docs.python.org", "pypi.org", "files.pythonhosted.org", "github.com", "avatars.githubusercontent.com",
                                          "stackoverflow.com", "news.ycombinator.com", "www.theguardian.com", "arxiv.org"], gap=(0.6, 4.0))
    path = os.path.join(outdir, fname)
    cap.write(path)
    f = cap.frame
    slow_bytes = len(slow)
    slow_secs = t_paced_end - (p0 + dl.owd)
    fast_secs = fast_end - (t_dl0 + dl.owd)
    tar_secs = tar_end - (www_req_t + RTT)
    info = dict(
        ch_dl=f("dlch"), ch_www=f("wwwch"), dl_req=f("dlreq"), dl_first=f("dlfastdata"), slow_first=f("dlslowfirst"),
        cancel=f("dlcancel"), tar_req=f("tarreq"), tar_first=f("tarrespdata"), syn_dl=f("dlsyn"), synack_dl=f("dlsynack"),
        synack_www=f("wwwsynack"),
        fast_mbps=8 * len(fast_part) / fast_secs / 1e6, slow_mbps=8 * slow_bytes / slow_secs / 1e6, tar_mbps=8 * 3_200_000 / tar_secs / 1e6,
    )
    trap = (
        f"THR-01/THR-02 shape: two TLS flows to the same address {SRV}:443 in parallel, SNI downloads.fossarchive.org (ClientHello frame {info['ch_dl']}) "
        f"crawls at ~{info['slow_mbps']:.1f} Mbit/s while SNI www.fossarchive.org (ClientHello frame {info['ch_www']}; tarball request frame {info['tar_req']}, "
        f"first data frame {info['tar_first']}) runs at ~{info['tar_mbps']:.0f} Mbit/s at the same time, so a naive 'same server, other SNI is fast' "
        "comparison calls it SNI throttling. Benign: it is the server's own application-level limit (nginx limit_rate_after 1m + limit_rate 256k on that vhost). "
        f"The download starts at full speed (first 1 MiB from frame {info['dl_first']} at ~{info['fast_mbps']:.0f} Mbit/s) and only then drops to exactly "
        f"256 KiB/s from frame {info['slow_first']}: two whole 16 KiB TLS records every 125 ms, sent back-to-back at line rate, then idle. "
        "There is no loss at all in the slow phase: no retransmission, no duplicate ACK, no SACK block, the client's receive window is never the limit, "
        "and the upstream (client ACKs, the cancel record) is not slowed. Every slow-phase packet carries the server's TTL 53 and continues that socket's "
        f"IP ID sequence from the SYN/ACK (frame {info['synack_dl']}), the same TTL as the fast www flow (SYN/ACK frame {info['synack_www']}). "
        "THR-01 (Twitter, Russia) and THR-02 (googlevideo) police by dropping packets above ~130-150 kbit/s from the ClientHello on, in both directions, "
        "with periodic loss and retransmissions; a volume cap (THR-03) would stop delivery, not pace it. Here the server keeps a clean on/off "
        f"clock until the user cancels the stream (frame {info['cancel']}), after which it stops at once."
    )
    return fname, {"expect": [], "trap": trap, "shape": "Ethernet (DLT_EN10MB), pcap little-endian microsecond, IPv4 only; Linux/Firefox client behind a home router (dnsmasq at 192.168.0.1, TTL 64, IP ID 0); 14 ordinary visits around it"}, info, path, cap


# ----------------------------------------------------------------------------
# case 2: a DDoS-protection JavaScript challenge (HTTP 503) from the real edge, then the page
# ----------------------------------------------------------------------------

CHROME_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.77 Safari/537.36"


def http_req(method, path, host, extra=(), body=b"", ua=CHROME_MAC, accept="text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9"):
    h = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    if method == "POST":
        h += [f"Content-Length: {len(body)}", "Cache-Control: max-age=0", f"Origin: http://{host}", "Content-Type: application/x-www-form-urlencoded"]
    h += ["Upgrade-Insecure-Requests: 1", f"User-Agent: {ua}", f"Accept: {accept}"]
    h += list(extra)
    h += ["Accept-Encoding: gzip, deflate", "Accept-Language: en-GB,en-US;q=0.9,en;q=0.8"]
    return ("\r\n".join(h) + "\r\n\r\n").encode() + body


def http_resp(status, headers, body):
    h = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers] + [f"Content-Length: {len(body)}"]
    return ("\r\n".join(h) + "\r\n\r\n").encode() + body


def iuam_page(host, ray, rng, ts):
    import base64

    def b64(x):
        return base64.b64encode(x.encode()).decode()

    tok = rng.randbytes(20).hex()
    vc = rng.randbytes(16).hex()
    pw = f"{rng.randrange(10**9, 10**10)}.{rng.randrange(100, 999)}-{rng.randbytes(8).hex()}"
    r = rng.randbytes(120).hex()
    js = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=()[]!") for _ in range(2600))
    return f"""<!DOCTYPE HTML>
<html lang="en-US">
<head>
  <meta charset="UTF-8" />
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
  <meta http-equiv="X-UA-Compatible" content="IE=Edge,chrome=1" />
  <meta name="robots" content="noindex, nofollow" />
  <meta name="viewport" content="width=device-width,initial-scale=1" />
  <title>Please Wait... | Cloudflare</title>
  <style type="text/css">
    html, body {{width: 100%; height: 100%; margin: 0; padding: 0;}}
    body {{background-color: #ffffff; color: #000000; font-family:-apple-system, system-ui, BlinkMacSystemFont, "Segoe UI", Roboto, Oxygen, Ubuntu, "Helvetica Neue",Arial, sans-serif; font-size: 16px; line-height: 1.7em;-webkit-font-smoothing: antialiased;}}
    h1 {{ text-align: center; font-weight:700; margin: 16px 0; font-size: 32px; color:#000000; line-height: 1.25;}}
    p {{font-size: 20px; font-weight: 400; margin: 8px 0;}}
    p, .attribution, {{text-align: center;}}
    #spinner {{margin: 0 auto 30px auto; display: block;}}
    .attribution {{margin-top: 32px;}}
    @keyframes fader     {{ 0% {{opacity: 0.2;}} 50% {{opacity: 1.0;}} 100% {{opacity: 0.2;}} }}
    .bubbles {{ background-color: #f58220; width:20px; height: 20px; margin:2px; border-radius:100%; display:inline-block; }}
    a {{ color: #2c7cb0; text-decoration: none; -moz-transition: color 0.15s ease; -o-transition: color 0.15s ease; -webkit-transition: color 0.15s ease; transition: color 0.15s ease; }}
    a:hover{{color: #f4a15d}}
    .attribution{{font-size: 16px; line-height: 1.5;}}
    .ray_id{{display: block; margin-top: 8px;}}
    #cf-wrapper #challenge-form {{ padding-top:25px; padding-bottom:25px; }}
    #cf-hcaptcha-container {{ text-align:center;}}
    #cf-hcaptcha-container iframe {{ display: inline-block;}}
  </style>
  <meta http-equiv="refresh" content="12">
  <script>
    //<![CDATA[
    (function(){{
      window._cf_chl_opt={{
        cvId: "2",
        cType: "non-interactive",
        cNounce: "{rng.randrange(10000, 99999)}",
        cRay: "{ray}",
        cHash: "{rng.randbytes(8).hex()}",
        cFPWv: "b",
        cTTimeMs: "4000",
        cRq: {{ ru: "{b64(f"http://{host}/")}", ra: "{b64(CHROME_MAC)}", rm: "R0VU", d: "{js[:400]}", t: "{b64(f"{ts:.6f}")}", m: "{js[400:444]}", i1: "{js[444:468]}", i2: "{js[468:492]}", uh: "{js[492:536]}", hh: "{js[536:580]}" }}
      }}
      window._cf_chl_enter = function(){{window._cf_chl_opt.p=1}};
    }})();
    //]]>
  </script>
</head>
<body>
  <table width="100%" height="100%" cellpadding="20">
    <tr>
      <td align="center" valign="middle">
          <div class="cf-browser-verification cf-im-under-attack">
  <noscript>
    <h1 data-translate="turn_on_js" style="color:#bd2426;">Please turn JavaScript on and reload the page.</h1>
  </noscript>
  <div id="cf-content" style="display:none">
    <div id="cf-bubbles">
      <div class="bubbles"></div>
      <div class="bubbles"></div>
      <div class="bubbles"></div>
    </div>
    <h1><span data-translate="checking_browser">Checking your browser before accessing</span> {host}.</h1>
    <div id="no-cookie-warning" class="cookie-warning" data-translate="turn_on_cookies" style="display:none">
      <p data-translate="turn_on_cookies" style="color:#bd2426;">Please enable Cookies and reload the page.</p>
    </div>
    <p data-translate="process_is_automatic">This process is automatic. Your browser will redirect to your requested content shortly.</p>
    <p data-translate="allow_5_secs" id="cf-spinner-allow-5-secs" >Please allow up to 5 seconds&hellip;</p>
  </div>
  <form class="challenge-form" id="challenge-form" action="/?__cf_chl_jschl_tk__={tok}" method="POST" enctype="application/x-www-form-urlencoded">
    <input type="hidden" name="r" value="{r}"/>
    <input type="hidden" value="{vc}" id="jschl-vc" name="jschl_vc"/>
    <input type="hidden" name="pass" value="{pw}"/>
    <input type="hidden" id="jschl-answer" name="jschl_answer"/>
  </form>
  <script type="text/javascript">
    //<![CDATA[
    (function(){{
        var a = document.getElementById('cf-content');
        a.style.display = 'block';
        var isIE = /(MSIE|Trident\\/|Edge\\/)/i.test(window.navigator.userAgent);
        var trkjs = isIE ? new Image() : document.createElement('img');
        trkjs.setAttribute("src", "/cdn-cgi/images/trace/jsch/js/transparent.gif?ray={ray}");
        trkjs.id = "trk_jschal_js";
        trkjs.setAttribute("alt", "");
        document.body.appendChild(trkjs);
        var cpo=document.createElement('script');
        cpo.type='text/javascript';
        cpo.src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1?ray={ray}";
        document.getElementsByTagName('head')[0].appendChild(cpo);
      }}());
    //]]>
  </script>
          <div id="trk_jschal_nojs" style="background-image:url('/cdn-cgi/images/trace/jsch/nojs/transparent.gif?ray={ray}')"> </div>
</div>

          <div class="attribution">
            <a href="https://www.cloudflare.com/5xx-error-landing/" target="_blank">DDoS protection by Cloudflare</a>
            <br />
            <span class="ray_id">Ray ID: <code>{ray}</code></span>
          </div>
      </td>

    </tr>
  </table>
</body>
</html>
""".encode(), tok, vc, pw, r


def httpdate(ts):
    return formatdate(int(ts), usegmt=True)


def cookiedate(ts, yy=True):
    return time.strftime("%a, %d-%b-%y %H:%M:%S GMT" if yy else "%a, %d-%b-%Y %H:%M:%S GMT", time.gmtime(int(ts)))


def cf_headers(date, ray, ctype="text/html; charset=UTF-8", extra=()):
    return [("Date", date), ("Content-Type", ctype), ("Connection", "keep-alive")] + list(extra) + [("Server", "cloudflare"), ("CF-RAY", ray)]


def case2(outdir):
    fname = "bn2_ddos_challenge.pcapng"
    ifc = [{"link": "vlan", "vlan": 20, "pcp": 0, "name": "en0", "cmac": mac("a4:83:e7:2b:90:1c"), "gmac": mac("00:0d:b9:5e:22:a1"), "tsresol": 6,
            "os": "Darwin 20.5.0"}]
    cap = Cap(fname, epoch(2021, 6, 9, 10, 13, 52), ifc, fmt="pcapng", endian="<",
              shb={"hw": "MacBookPro16,1", "os": "Darwin 20.5.0", "app": "tcpdump version 4.9.3 -- Apple version 100"})
    ctx = Ctx(cap, 1402, cip="10.20.0.57", cos="mac")
    ctx.profile = "chrome"
    rng = ctx.rng
    res = Resolver("10.20.0.53", 64, 0.0011, "rand", False, rng=rng)
    HOST = "forum.kayakclub.net"
    SRV, SRV2, TTL, RTT = "172.67.141.19", "104.21.53.88", 57, 0.0128
    t = 0.37
    t = background(ctx, res, t, ["www.google.com", "fonts.gstatic.com", "www.bbc.co.uk", "www.wikipedia.org", "github.com", "www.spiegel.de"], gap=(0.7, 3.0))
    # http://forum.kayakclub.net/ (old bookmark, plain HTTP): the edge answers the JS challenge
    a = rrs(HOST, [], [SRV, SRV2], "A", 0, 300)
    aaaa = rrs(HOST, [], [], "AAAA", 0, 300)
    t = lookup(ctx, res, t, HOST, a, aaaa, tag="cfdns") + 0.0013
    fl = Flow(ctx, SRV, 80, RTT, TTL, sos="cdn", smss=1400)
    t = fl.handshake(t, "cf")
    t = fl.send_c(t + 0.0004, http_req("GET", "/", HOST), "cfget1")
    ray = f"{rng.randbytes(8).hex()}-FRA"
    B0 = cap.base
    date = httpdate(B0 + t + fl.owd)
    page, tok, vc, pw, r = iuam_page(HOST, ray.split("-")[0], rng, B0 + t + fl.owd)
    resp503 = http_resp("503 Service Temporarily Unavailable", cf_headers(date, ray, extra=[
        ("X-Frame-Options", "SAMEORIGIN"),
        ("Permissions-Policy", "accelerometer=(),autoplay=(),camera=(),clipboard-read=(),clipboard-write=(),fullscreen=(),geolocation=(),gyroscope=(),hid=(),interest-cohort=(),magnetometer=(),microphone=(),payment=(),publickey-credentials-get=(),screen-wake-lock=(),serial=(),sync-xhr=(),usb=()"),
        ("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0"),
        ("Expires", "Thu, 01 Jan 1970 00:00:01 GMT"),
        ("Expect-CT", 'max-age=604800, report-uri="https://report-uri.cloudflare.com/cdn-cgi/beacon/expect-ct"'),
        ("Report-To", '{"endpoints":[{"url":"https:\\/\\/a.nel.cloudflare.com\\/report\\/v2?s=' + rng.randbytes(40).hex() + '"}],"group":"cf-nel","max_age":604800}'),
        ("NEL", '{"success_fraction":0,"report_to":"cf-nel","max_age":604800}'),
        ("Vary", "Accept-Encoding")]), page)
    t = fl.bulk(t + fl.owd + 0.0061, resp503, 80e6, None, 1e9, "cf503")
    i503 = fl.last_s_idx
    # the challenge script, same connection
    t = fl.send_c(t + 0.021, http_req("GET", f"/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1?ray={ray.split('-')[0]}", HOST,
                                      extra=[f"Referer: http://{HOST}/"], accept="*/*"), "cfjs")
    jsbody = ("window._cf_chl_opt.cOgUHash=location.hash;(function(){var " + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789_$=+(){};,.") for _ in range(23800)) + "})();\n").encode()
    t = fl.bulk(t + fl.owd + 0.0034, http_resp("200 OK", cf_headers(httpdate(B0 + t + fl.owd), f"{rng.randbytes(8).hex()}-FRA", "application/javascript; charset=UTF-8",
                                                                     [("Cache-Control", "max-age=7200, public"), ("Vary", "Accept-Encoding")]), jsbody), 80e6, None, 1e9, "cfjsr")
    # about four seconds later the browser posts the solved challenge and gets the clearance cookie
    form = f"r={r}&jschl_vc={vc}&pass={pw}&jschl_answer={rng.randrange(10**5, 10**6)}.{rng.randrange(10**9, 10**10)}".encode()
    t = fl.send_c(t + 4.137, http_req("POST", f"/?__cf_chl_jschl_tk__={tok}", HOST, extra=[f"Referer: http://{HOST}/"], body=form), "cfpost")
    clear = f"cf_clearance={rng.randbytes(20).hex()}-{rng.randrange(10**9, 10**10)}-0-150"
    r302 = http_resp("302 Found", cf_headers(httpdate(B0 + t + fl.owd), f"{rng.randbytes(8).hex()}-FRA", extra=[
        ("Location", "/"), ("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0"),
        ("Expires", "Thu, 01 Jan 1970 00:00:01 GMT"),
        ("Set-Cookie", f"{clear}; path=/; expires={cookiedate(B0 + t + fl.owd + 1800)}; domain=.kayakclub.net; HttpOnly; SameSite=None")]), b"")
    t = fl.bulk(t + fl.owd + 0.0088, r302, 80e6, None, 1e9, "cf302")
    # the real page from the origin, through the same edge, same connection
    t = fl.send_c(t + 0.003, http_req("GET", "/", HOST, extra=[f"Referer: http://{HOST}/?__cf_chl_jschl_tk__={tok}", f"Cookie: {clear}"]), "cfget2")
    forum = html_body(rng, 61000, "Kayak Club Forum - Board index")
    r200 = http_resp("200 OK", cf_headers(httpdate(B0 + t + fl.owd + 0.1), f"{rng.randbytes(8).hex()}-FRA", extra=[
        ("Vary", "Accept-Encoding"), ("Set-Cookie", f"phpbb3_kc_u=1; expires={cookiedate(B0 + t + fl.owd + 31536000, False)}; path=/; domain=forum.kayakclub.net; HttpOnly"),
        ("Cache-Control", "private, no-cache=\"set-cookie\""), ("Expires", "0"), ("Pragma", "no-cache"), ("CF-Cache-Status", "DYNAMIC"),
        ("Report-To", '{"endpoints":[{"url":"https:\\/\\/a.nel.cloudflare.com\\/report\\/v2?s=' + rng.randbytes(40).hex() + '"}],"group":"cf-nel","max_age":604800}'),
        ("NEL", '{"success_fraction":0,"report_to":"cf-nel","max_age":604800}')]), forum)
    t_get2 = t
    t = fl.bulk(t + fl.owd + 0.131, r200, 80e6, None, 1e9, "cf200")
    i200 = fl.last_s_idx
    # stylesheet and script on a second connection (cookie already set)
    fl2 = Flow(ctx, SRV, 80, RTT * 1.03, TTL, sos="cdn", smss=1400)
    t2 = fl2.handshake(t_get2 + 0.145 + 0.004, "cfb")
    for i, (p, n, ct) in enumerate([("/styles/prosilver/theme/stylesheet.css?assets_version=112", 38000, "text/css"), ("/assets/javascript/core.js?assets_version=112", 54000, "application/javascript")]):
        t2 = fl2.send_c(t2 + 0.002, http_req("GET", p, HOST, extra=[f"Referer: http://{HOST}/", f"Cookie: {clear}"], accept="*/*"), f"cfb{i}")
        body = ("/* kayakclub */\n" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz {}:;#.-0123456789\n") for _ in range(n))).encode()
        t2 = fl2.bulk(t2 + fl2.owd + 0.004, http_resp("200 OK", cf_headers(httpdate(B0 + t2 + fl2.owd), f"{rng.randbytes(8).hex()}-FRA", ct + "; charset=UTF-8",
                                                                            [("Cache-Control", "max-age=14400"), ("CF-Cache-Status", "HIT"), ("Age", str(rng.randrange(100, 9000)))]), body), 80e6, None, 1e9, f"cfb{i}r")
    t = max(t, t2) + 2.1
    t = background(ctx, res, t, ["www.reddit.com", "www.theguardian.com", "duckduckgo.com", "stackoverflow.com", "matrix.org", "www.openstreetmap.org",
                                 "tile.openstreetmap.org", "www.mozilla.org"], gap=(0.5, 3.5))
    # the user leaves the forum tab open; Chrome closes the idle keep-alive connections later
    t = fl2.close_client(t + 1.2, alert=False)
    t = fl.close_client(t + 0.0003, alert=False)
    t = background(ctx, res, t + 2.0, ["www.youtube.com", "en.wikipedia.org", "upload.wikimedia.org"], gap=(0.5, 2.0))
    path = os.path.join(outdir, fname)
    cap.write(path)
    f = cap.frame
    info = dict(syn=f("cfsyn"), synack=f("cfsynack"), get1=f("cfget1"), r503=f("cf503data"), js=f("cfjs"), post=f("cfpost"), r302=f("cf302data"),
                get2=f("cfget2"), r200=f("cf200data"), b_synack=f("cfbsynack"), r503_last=cap.fno(i503), r200_last=cap.fno(i200))
    trap = (
        f"HTTP-01 block-page look-alike: GET http://{HOST}/ (frame {info['get1']}) is answered by HTTP 503 (segments {info['r503']}-{info['r503_last']}) whose title is "
        "'Please Wait... | Cloudflare' (a pattern listed as an Indian product block page in ooni/blocking-fingerprints) with 'Checking your browser before "
        "accessing', an interstitial a naive body matcher calls a block page. Benign: it is Cloudflare's 'I'm Under Attack' JavaScript challenge from the "
        f"site's real edge {SRV}: it arrives one RTT plus ~6 ms after the request, after the full handshake (SYN/ACK frame {info['synack']}), with the same "
        f"TTL 57 and the next IP IDs of that socket as the SYN/ACK, DF set, segments sized to the SYN/ACK's MSS 1400; nothing races it (no second response at the same "
        f"sequence numbers, no RST or FIN), the connection stays open, the challenge script is fetched on it (frame {info['js']}), the solved form is POSTed "
        f"(frame {info['post']}), the edge answers 302 with a cf_clearance cookie (frame {info['r302']}) and the same connection then delivers the forum "
        f"page 200 OK (request frame {info['get2']}, response segments {info['r200']}-{info['r200_last']}) and a second connection loads the assets. A provider-side challenge "
        "is in the false-positive list of §9/§13, not a censor's page."
    )
    return fname, {"expect": [], "trap": trap, "shape": "802.1Q VLAN 20 over Ethernet (DLT_EN10MB), pcapng little-endian, microsecond tsresol, IPv4 only; macOS Chrome 91 client (random IP IDs), office Unbound resolver; 17 ordinary HTTPS visits around one plain-HTTP challenge exchange"}, info, path, cap

# ----------------------------------------------------------------------------
# case 3: IPv6-only mobile network: DNS64 synthesis, a typo's genuine NXDOMAIN, a slow
# upstream answered twice after the stub's retransmission
# ----------------------------------------------------------------------------

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def nat64(v4):
    return str(ipaddress.IPv6Address(int(NAT64.network_address) | int(ipaddress.IPv4Address(v4))))


def answers64(name, rng, ttl=None):
    v4, v6, _t4, _h6, _rtt, cn, _os = SITES[name]
    ta = ttl or rng.choice([60, 120, 300, 600, 1800, 3600])
    return rrs(name, cn, [v4], "A", 300, ta), rrs(name, cn, [v6 or nat64(v4)], "AAAA", 300, ta)


def visit64(ctx, res, t, name, n_req=2, size=(15000, 120000), tag=None, dns=True, retransmit=None):
    rng = ctx.rng
    v4, v6, ttl4, hl6, rtt, cn, sos = SITES[name]
    if dns:
        a, aaaa = answers64(name, rng)
        t = lookup(ctx, res, t, name, a, aaaa, tag=tag and tag + "dns", retransmit=retransmit) + rng.uniform(0.0005, 0.003)
    if v6:
        sip, hl, smss = v6, hl6 - 3, 1440
    else:  # through the carrier's NAT64; it clamps the MSS
        sip, hl, smss = nat64(v4), ttl4 - 4, 1420
    rate = rng.choice([18e6, 26e6, 34e6])
    fl, t = tls_open(ctx, t, sip, name, rtt + rng.uniform(0.026, 0.034), hl, sos=sos, profile="firefox", smss=smss, tag=tag, rate=rate)
    for i in range(n_req):
        t = tls_exchange(fl, t + rng.uniform(0.001, 0.2), rng.randrange(300, 700), rng.randrange(*size), think=rng.uniform(0.004, 0.06),
                         rate=rate, tag=tag and f"{tag}x{i}")
    t = fl.close_client(t + rng.uniform(0.5, 3.0))
    return fl, t


def case3(outdir):
    fname = "bn3_dns64_nxdomain.pcapng"
    ifc = [{"link": "sll2", "ifindex": 4, "name": "any", "cmac": mac("02:5e:1b:7a:c0:33"), "gmac": mac("46:b1:0e:92:6d:08"), "tsresol": 6,
            "os": "Linux 6.8.0-45-generic"}]
    cap = Cap(fname, epoch(2024, 9, 27, 16, 5, 41), ifc, fmt="pcapng", endian=">",
              shb={"os": "Linux 6.8.0-45-generic", "app": "Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"})
    ctx = Ctx(cap, 1403, cip6="2607:fb90:9b3a:61c2:8d1e:4a7f:2c35:90b1", cos="linux")
    ctx.profile = "firefox"
    rng = ctx.rng
    res = Resolver("fd00:976a::9", 62, 0.041, rng=rng)
    t = 0.52
    for n in ["www.wikipedia.org", "www.debian.org", "www.kernel.org", "www.heise.de", "www.spiegel.de"]:
        _, t = visit64(ctx, res, t, n)
        t += rng.uniform(0.8, 3.2)
    # the user types github.comm: the TLD does not exist, the root's SOA comes back in the authority section
    soa = [("", "SOA", 86391, ("a.root-servers.net", "nstld.verisign-grs.com", 2024092701, 1800, 900, 604800, 86400))]
    t = lookup(ctx, res, t, "github.comm", [], [], rcode=3, authority=soa, tag="typo")
    # ... notices, corrects it: github.com has no AAAA, the DNS64 resolver synthesizes one from the A record
    t += 2.83
    a, aaaa = answers64("github.com", rng, ttl=60)
    t = lookup(ctx, res, t, "github.com", a, aaaa, tag="gh") + 0.0011
    v4, _, ttl4, _, rtt, _, _ = SITES["github.com"]
    gh, t = tls_open(ctx, t, nat64(v4), "github.com", rtt + 0.029, ttl4 - 4, smss=1420, tag="gh", rate=30e6)
    for i in range(3):
        t = tls_exchange(gh, t + rng.uniform(0.01, 0.3), rng.randrange(400, 800), rng.randrange(30000, 140000), rate=30e6, tag=f"gh{i}")
    _, t = visit64(ctx, res, t + 0.05, "avatars.githubusercontent.com")
    t = gh.close_client(t + 2.4)
    t += 3.1
    for n in ["lwn.net", "docs.python.org", "www.tagesschau.de"]:
        _, t = visit64(ctx, res, t, n)
        t += rng.uniform(0.8, 3.2)
    # a slow authoritative: glibc resends both queries unchanged after its 5 s timeout; the
    # resolver, which had both copies pending, answers each copy with the same RRset
    _, t = visit64(ctx, res, t, "news.ycombinator.com", tag="hn", retransmit=5.0)
    t += 1.4
    for n in ["www.openstreetmap.org", "tile.openstreetmap.org", "codeberg.org", "pypi.org", "www.arte.tv", "stackoverflow.com", "www.mozilla.org",
              "arxiv.org"]:
        _, t = visit64(ctx, res, t, n)
        t += rng.uniform(0.8, 3.2)
    path = os.path.join(outdir, fname)
    cap.write(path)
    f = cap.frame
    info = dict(typo_qa=f("typoqA0"), typo_qaaaa=f("typoqAAAA0"), typo_ra=f("typorA0"), typo_raaaa=f("typorAAAA0"),
                gh_qa=f("ghqA0"), gh_raaaa=f("ghrAAAA0"), gh_ra=f("ghrA0"), gh_syn=f("ghsyn"), gh_synack=f("ghsynack"), gh_sh=f("ghshdata"),
                hn_q=[f("hndnsqA0"), f("hndnsqAAAA0")], hn_q2=[f("hndnsqA1"), f("hndnsqAAAA1")],
                hn_r=[f("hndnsrA0"), f("hndnsrA1"), f("hndnsrAAAA0"), f("hndnsrAAAA1")], hn_synack=f("hnsynack"))
    trap = (
        "DNS-07/DNS-05 and DNS-01 look-alikes on an IPv6-only mobile network whose resolver (fd00:976a::9) does DNS64. "
        f"(1) NXDOMAIN: 'github.comm' (queries frames {info['typo_qa']}/{info['typo_qaaaa']}) gets NXDOMAIN for A and AAAA (frames {min(info['typo_ra'], info['typo_raaaa'])}/{max(info['typo_ra'], info['typo_raaaa'])}), "
        "which a naive tool reads as ISP NXDOMAIN blocking; but the name is a typo under a TLD that does not exist: the authority section carries the "
        "root zone's SOA (a.root-servers.net / nstld.verisign-grs.com), the answers come at the resolver's normal RTT with its usual hop limit 62, one "
        f"answer per query, and the corrected name github.com resolves at once (frames {info['gh_qa']}-{max(info['gh_ra'], info['gh_raaaa'])}). "
        f"(2) DNS64: the AAAA for github.com (frame {info['gh_raaaa']}) is 64:ff9b::8c52:7904, which differs from every published address of github.com and is not "
        "in its ASN; it is the RFC 6052 well-known-prefix synthesis of the A answer 140.82.121.4 (same resolver, same response time), and TLS to it through "
        f"the carrier's NAT64 completes (SYN/ACK frame {info['gh_synack']}, ServerHello frame {info['gh_sh']}); the same happens for every IPv4-only site here, while sites "
        f"with real AAAA records get them unchanged. (3) Duplicate answers: news.ycombinator.com's A and AAAA queries (frames {info['hn_q'][0]}/{info['hn_q'][1]}) are resent "
        f"byte-identically 5 s later by glibc (frames {info['hn_q2'][0]}/{info['hn_q2'][1]}) and the resolver answers each copy (frames {', '.join(map(str, info['hn_r']))}): two answers per "
        "txid and 5-tuple, but with identical RRsets, TTLs, flags and hop limit, arriving together after the slow upstream and not before the resolver's RTT "
        "(§15 trap 4: resolver retransmission, not a race)."
    )
    return fname, {"expect": [], "trap": trap, "shape": "Linux cooked v2 (DLT_LINUX_SLL2, 'any' capture), pcapng big-endian, microsecond tsresol, IPv6 only (no IPv4 on the client); DNS64 resolver fd00:976a::9 and NAT64 64:ff9b::/96; 19 ordinary HTTPS visits, native IPv6 and via NAT64"}, info, path, cap

# ----------------------------------------------------------------------------
# case 4: servers refusing old TLS clients with a fatal alert, while other clients/SNIs work
# ----------------------------------------------------------------------------


def legacy_client_hello(rng, sni, rec_ver, cli_ver, suites, exts):
    sni_ext = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode())
    el = sni_ext + b"".join(exts)
    body = u16(cli_ver) + rng.randbytes(32) + b"\x00" + u16(2 * len(suites)) + b"".join(u16(x) for x in suites) + b"\x01\x00" + u16(len(el)) + el
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16" + u16(rec_ver) + u16(len(hs)) + hs


def openssl101_tls10_hello(rng, sni):
    """OpenSSL 1.0.1 client built with TLSv1 only (the vendor's bundled updater)."""
    suites = [0xC014, 0xC00A, 0x0039, 0x0038, 0x0088, 0x0087, 0xC00F, 0xC005, 0x0035, 0x0084, 0xC012, 0xC008, 0x0016, 0x0013, 0xC00D, 0xC003, 0x000A,
              0xC013, 0xC009, 0x0033, 0x0032, 0x009A, 0x0099, 0x0045, 0x0044, 0xC00E, 0xC004, 0x002F, 0x0096, 0x0041, 0x0007, 0xC011, 0xC007,
              0xC00C, 0xC002, 0x0005, 0x0004, 0x00FF]
    exts = [ext(11, b"\x03\x00\x01\x02"), ext(10, u16(6) + u16(23) + u16(25) + u16(24)), ext(35, b""), ext(15, b"\x01")]
    return legacy_client_hello(rng, sni, 0x0301, 0x0301, suites, exts)


def java_rsa_only_hello(rng, sni):
    """A Java agent whose configuration leaves only RSA key-exchange suites (no ECDHE, no supported_groups)."""
    suites = [0x003D, 0x003C, 0x0035, 0x002F, 0x009D, 0x009C, 0x000A, 0x00FF]
    sigs = [0x0603, 0x0601, 0x0503, 0x0501, 0x0403, 0x0401, 0x0303, 0x0301, 0x0203, 0x0201]
    exts = [ext(13, u16(2 * len(sigs)) + b"".join(u16(x) for x in sigs)), ext(23, b"")]
    return legacy_client_hello(rng, sni, 0x0303, 0x0303, suites, exts)


def refused_tls(ctx, t, sip, ttl, rtt, hello, alert_ver, desc, tag, think=0.00031, sos="linuxsrv"):
    """Connect, send the ClientHello, the server answers with one fatal alert and closes."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, rtt, ttl, sos=sos, smss=1440 if ":" in sip else 1460)
    t = fl.handshake(t, tag)
    t = fl.send_c(t + rng.uniform(0.0001, 0.0004), hello, tag + "ch")
    ta = t + fl.rtt + think
    fl.s(ta, "PA", b"\x15" + u16(alert_ver) + b"\x00\x02\x02" + bytes([desc]), tag=tag + "alert")
    fl.s(ta + 0.000021, "FA", tag=tag + "fin")
    fl.c_rcv = fl.snxt
    fl.c(ta + 0.000021 + rng.uniform(0.00003, 0.00008), "A")
    tc = ta + rng.uniform(0.0004, 0.0019)
    fl.c(tc, "FA", tag=tag + "cfin")
    fl.s_rcv = fl.cnxt
    fl.s(tc + fl.rtt, "A")
    return fl, tc + fl.rtt


def case4(outdir):
    fname = "bn4_tls_fatal_alerts.pcap"
    ifc = [{"link": "raw", "name": "wg-lan"}]
    cap = Cap(fname, epoch(2025, 2, 3, 8, 31, 12), ifc, fmt="pcap", endian=">", nsec=True)
    ctx = Ctx(cap, 1404, cip="192.168.10.42", cip6="2a02:8071:5e1:9c00:d4a3:7bff:fe10:3e2a", cos="linux")
    ctx.profile = "firefox"
    rng = ctx.rng
    router = Resolver("192.168.10.1", 64, 0.0007, "zero", True, rng=rng)
    V4, V6, TTL, RTT = "212.227.84.61", "2001:8d8:100f:f000::2c1", 54, 0.0187
    ALB, ATTL, ARTT = "3.121.54.180", 49, 0.0153
    t = 0.33
    t = background(ctx, router, t, ["www.heise.de", "www.tagesschau.de", "www.wikipedia.org", "docs.python.org"], gap=(0.8, 3.0))
    # the vendor's old updater (OpenSSL 1.0.1, TLS 1.0 only) at login: protocol_version from the server
    a = rrs("update.lindenhof-software.de", [], [V4], "A", 0, 3600)
    aaaa = rrs("update.lindenhof-software.de", [], [V6], "AAAA", 0, 3600)
    t = lookup(ctx, router, t, "update.lindenhof-software.de", a, aaaa, tag="updns") + 0.0009
    up1, t = refused_tls(ctx, t, V6, TTL, RTT, openssl101_tls10_hello(rng, "update.lindenhof-software.de"), 0x0301, 70, "up1")
    t = background(ctx, router, t + 1.3, ["github.com", "lwn.net"], gap=(0.5, 2.0))
    # the Java payroll sync agent: no common cipher suite with the ALB's policy -> handshake_failure, three tries
    a = rrs("sync.acme-payroll.com", ["acme-prod-alb-1189231754.eu-central-1.elb.amazonaws.com"], [ALB, "18.197.12.33"], "A", 300, 60)
    aaaa = rrs("sync.acme-payroll.com", ["acme-prod-alb-1189231754.eu-central-1.elb.amazonaws.com"], [], "AAAA", 300, 60)
    t = lookup(ctx, router, t, "sync.acme-payroll.com", a, aaaa, tag="sydns") + 0.0012
    sy = []
    for k in range(3):
        fl, t = refused_tls(ctx, t, ALB, ATTL, ARTT, java_rsa_only_hello(rng, "sync.acme-payroll.com"), 0x0303, 40, f"sy{k}", think=0.00052)
        sy.append(fl)
        t += [2.0, 4.0, 0][k] + rng.uniform(0.001, 0.01)
    # the user opens the payroll portal in the browser: same ALB address, TLS 1.3, works
    a = rrs("portal.acme-payroll.com", ["acme-prod-alb-1189231754.eu-central-1.elb.amazonaws.com"], [ALB, "18.197.12.33"], "A", 300, 60)
    aaaa = rrs("portal.acme-payroll.com", ["acme-prod-alb-1189231754.eu-central-1.elb.amazonaws.com"], [], "AAAA", 300, 60)
    t = lookup(ctx, router, t + 6.2, "portal.acme-payroll.com", a, aaaa, tag="podns") + 0.001
    po, t = tls_open(ctx, t, ALB, "portal.acme-payroll.com", ARTT, ATTL, tag="po")
    for i in range(3):
        t = tls_exchange(po, t + rng.uniform(0.02, 0.4), rng.randrange(400, 900), rng.randrange(20000, 90000), tag=f"po{i}")
    t = background(ctx, router, t + 1.0, ["stackoverflow.com", "www.mozilla.org"], gap=(0.5, 2.5))
    t = po.close_client(t + 0.8)
    # the updater's 30-second retry: same answer
    t = lookup(ctx, router, t + 3.0, "update.lindenhof-software.de", a=rrs("update.lindenhof-software.de", [], [V4], "A", 0, 3600),
               aaaa=rrs("update.lindenhof-software.de", [], [V6], "AAAA", 0, 3600), tag="updns2") + 0.0008
    up2, t = refused_tls(ctx, t, V6, TTL, RTT, openssl101_tls10_hello(rng, "update.lindenhof-software.de"), 0x0301, 70, "up2")
    # the user looks at the vendor's site and the very same update host in Firefox (TLS 1.3): both fine
    a = rrs("www.lindenhof-software.de", [], [V4], "A", 0, 3600)
    aaaa = rrs("www.lindenhof-software.de", [], [V6], "AAAA", 0, 3600)
    t = lookup(ctx, router, t + 4.4, "www.lindenhof-software.de", a, aaaa, tag="wwdns") + 0.001
    ww, t = tls_open(ctx, t, V6, "www.lindenhof-software.de", RTT, TTL, smss=1440, tag="ww")
    for i in range(2):
        t = tls_exchange(ww, t + rng.uniform(0.02, 0.3), rng.randrange(400, 700), rng.randrange(30000, 110000), tag=f"ww{i}")
    uf, t2 = tls_open(ctx, t + 2.7, V6, "update.lindenhof-software.de", RTT, TTL, smss=1440, tag="uf")
    t2 = tls_exchange(uf, t2 + 0.003, 610, 41000, tag="uf0")
    t = max(t, t2)
    t = background(ctx, router, t + 1.5, ["www.openstreetmap.org", "tile.openstreetmap.org", "www.kernel.org", "www.debian.org", "pypi.org",
                                          "files.pythonhosted.org", "duckduckgo.com", "www.bbc.co.uk"], gap=(0.5, 3.0))
    t = ww.close_client(t + 0.5)
    t = uf.close_client(t + 0.01)
    path = os.path.join(outdir, fname)
    cap.write(path)
    f = cap.frame
    info = dict(up1=[f("up1syn"), f("up1synack"), f("up1ch"), f("up1alert"), f("up1fin")], up2=[f("up2synack"), f("up2ch"), f("up2alert"), f("up2fin")],
                sy=[[f(f"sy{k}synack"), f(f"sy{k}ch"), f(f"sy{k}alert"), f(f"sy{k}fin")] for k in range(3)],
                po=[f("posynack"), f("poch"), f("poshdata")], ww=[f("wwch"), f("wwshdata")], uf=[f("ufch"), f("ufshdata")])
    trap = (
        "TLS-01 / TLS-05 shape: a ClientHello answered within one RTT by a close and no ServerHello, for one SNI, while another SNI on the same address "
        "completes (OONI would call it ssl_failed_handshake / eof). Benign: each server refuses an outdated client itself with a plaintext fatal alert. "
        f"(1) update.lindenhof-software.de over IPv6 (SYN/ACK frame {info['up1'][1]}): the vendor's bundled updater sends a TLS 1.0-only ClientHello (record and "
        f"client_version 0x0301, no supported_versions; frame {info['up1'][2]}); the server answers alert level fatal, protocol_version(70) in a 0x0301 record "
        f"(frame {info['up1'][3]}) followed by its FIN (frame {info['up1'][4]}), 19 ms after the ClientHello (the server's 18.7 ms RTT plus 0.3 ms), with the hop limit 54 and flow label "
        f"of its SYN/ACK; the 30-s retry gets the same (ClientHello {info['up2'][1]}, alert {info['up2'][2]}). Firefox then reaches the very same SNI on the same "
        f"address with a TLS 1.3 ClientHello (frame {info['uf'][0]}, ServerHello frame {info['uf'][1]}) and www.lindenhof-software.de too (ServerHello frame {info['ww'][1]}). "
        f"(2) sync.acme-payroll.com on an AWS ALB ({ALB}): a Java agent offering only RSA key-exchange suites (no ECDHE, no supported_groups) gets alert "
        f"fatal handshake_failure(40) and a FIN at the ALB's RTT, three times in a row (ClientHello/alert frames "
        + ", ".join(f"{x[1]}/{x[2]}" for x in info['sy'])
        + "); each alert carries TTL 49 and the IP ID right after that connection's SYN/ACK (SYN/ACK frames "
        + ", ".join(str(x[0]) for x in info['sy'])
        + f"), DF set, and the FIN the next one. portal.acme-payroll.com on the same ALB address works in the browser (ClientHello frame {info['po'][1]}, ServerHello "
        f"frame {info['po'][2]}). The alerts are exactly what the ClientHellos ask for; no RST, no TTL or IP ID step, no early arrival, deterministic on every try."
    )
    return fname, {"expect": [], "trap": trap, "shape": "raw IP (LINKTYPE_RAW 101, captured on a tunnel-style interface), pcap big-endian nanosecond, dual-stack IPv4 + IPv6; Linux client; 16 ordinary visits"}, info, path, cap

# ----------------------------------------------------------------------------
# case 5: the laptop's Wi-Fi drops and it re-joins another network (phone hotspot): for ~3 s
# nothing is answered, QUIC included, then DHCP/RA on the new network and everything resumes
# ----------------------------------------------------------------------------


def dhcp_frames(rng, cmac_b, srv_mac, yiaddr, srv, mask, hostname):
    xid = rng.getrandbits(32)
    cm = cmac_b
    bc = b"\xff" * 6
    prl = [1, 2, 6, 12, 15, 26, 28, 121, 3, 33, 40, 41, 42, 119, 249, 252, 17]

    def bootp(op, ciaddr="0.0.0.0", yi="0.0.0.0", si="0.0.0.0", secs=0):
        return BOOTP(op=op, xid=xid, secs=secs, flags=0, ciaddr=ciaddr, yiaddr=yi, siaddr=si, chaddr=cm + b"\0" * 10)

    disc = Ether(src=cm, dst=bc) / IP(src="0.0.0.0", dst="255.255.255.255", ttl=64, id=0, flags=0, tos=0x10) / UDP(sport=68, dport=67) / bootp(1) / DHCP(
        options=[("message-type", "discover"), ("client_id", b"\x01" + cm), ("param_req_list", prl), ("max_dhcp_size", 576), ("hostname", hostname), "end"])
    lease = [("server_id", srv), ("lease_time", 85536), ("renewal_time", 42768), ("rebinding_time", 74844), ("subnet_mask", mask), ("router", srv),
             ("name_server", srv), "end"]
    offer = Ether(src=srv_mac, dst=cm) / IP(src=srv, dst=yiaddr, ttl=255, id=rng.randrange(65536), flags=0) / UDP(sport=67, dport=68) / BOOTP(
        op=2, xid=xid, yiaddr=yiaddr, siaddr=srv, chaddr=cm + b"\0" * 10) / DHCP(options=[("message-type", "offer")] + lease)
    req = Ether(src=cm, dst=bc) / IP(src="0.0.0.0", dst="255.255.255.255", ttl=64, id=0, flags=0, tos=0x10) / UDP(sport=68, dport=67) / bootp(1, secs=0) / DHCP(
        options=[("message-type", "request"), ("client_id", b"\x01" + cm), ("param_req_list", prl), ("max_dhcp_size", 576), ("server_id", srv),
                 ("requested_addr", yiaddr), ("hostname", hostname), "end"])
    ack = Ether(src=srv_mac, dst=cm) / IP(src=srv, dst=yiaddr, ttl=255, id=rng.randrange(65536), flags=0) / UDP(sport=67, dport=68) / BOOTP(
        op=2, xid=xid, yiaddr=yiaddr, siaddr=srv, chaddr=cm + b"\0" * 10) / DHCP(options=[("message-type", "ack")] + lease)
    return [raw(disc), raw(offer), raw(req), raw(ack)]


def case5(outdir):
    fname = "bn5_wifi_network_change.pcapng"
    CM, FRITZ, IPHONE = mac("f4:4e:e3:8a:21:7c"), mac("3c:a6:2f:41:0b:9e"), mac("ca:2b:96:0e:51:64")
    ifc = [{"link": "eth", "name": "wlp0s20f3", "cmac": CM, "gmac": FRITZ, "tsresol": 9, "os": "Linux 6.6.13-1-lts"}]
    HOME4, HOME6 = ipaddress.IPv4Network("192.168.178.0/24"), ipaddress.IPv6Network("2a02:810d:4b40:5a00::/64")
    HOT4, HOT6 = ipaddress.IPv4Network("172.20.10.0/28"), ipaddress.IPv6Network("2a01:598:b1a0:4c2e::/64")
    cap = Cap2(fname, epoch(2024, 3, 16, 14, 2, 26), ifc, fmt="pcapng", endian="<",
               shb={"hw": "Intel(R) Core(TM) i7-1260P (with SSE4.2)", "os": "Linux 6.6.13-1-lts", "app": "Dumpcap (Wireshark) 4.2.3 (Git v4.2.3 packaged as 4.2.3-1)"},
               gw_by_prefix=[(HOME4, FRITZ), (HOME6, FRITZ), (HOT4, IPHONE), (HOT6, IPHONE)])
    ctx = Ctx(cap, 1405, cip="192.168.178.34", cip6="2a02:810d:4b40:5a00:9d2c:41e7:3b58:c016", cos="linux")
    ctx.profile = "chrome"
    rng = ctx.rng
    fritz = Resolver("192.168.178.1", 64, 0.0016, "zero", True, rng=rng)
    phone = Resolver("172.20.10.1", 64, 0.0049, "rand", False, rng=rng)
    G6, GV6 = "2a00:1450:4001:82a::2004", "2a00:1450:4001:80e::e"
    YT6 = SITES["www.youtube.com"][1]
    t = 0.41
    # --- at home
    t = background(ctx, fritz, t, ["www.heise.de", "github.com"], gap=(0.6, 2.0))
    a, aaaa = site_answers("www.google.com", 300)
    t = lookup(ctx, fritz, t, "www.google.com", a, aaaa) + 0.001
    gq = Quic(ctx, G6, "www.google.com", 0.0094, 117)
    t = gq.connect(t, "g0")
    for _ in range(3):
        t = gq.request(t + rng.uniform(0.05, 0.9), rng.randrange(20000, 80000), rate=60e6)
    gq.close(t + 0.4)
    t = background(ctx, fritz, t + 1.0, ["www.spiegel.de", "stackoverflow.com"], gap=(0.6, 2.0))
    a, aaaa = site_answers("www.youtube.com", 300)
    t = lookup(ctx, fritz, t, "www.youtube.com", a, aaaa) + 0.001
    yq = Quic(ctx, YT6, "www.youtube.com", 0.0097, 117)
    t = yq.connect(t, "yt")
    for _ in range(4):
        t = yq.request(t + rng.uniform(0.01, 0.3), rng.randrange(15000, 120000), rate=60e6)
    vname = "rr4---sn-4g5lznes.googlevideo.com"
    t = lookup(ctx, fritz, t + 0.05, vname, rrs(vname, ["rr4.sn-4g5lznes.googlevideo.com"], ["173.194.182.41"], "A", 1800, 1800),
               rrs(vname, ["rr4.sn-4g5lznes.googlevideo.com"], [GV6], "AAAA", 1800, 1800), tag="gvdns") + 0.001
    vq = Quic(ctx, GV6, vname, 0.0121, 119)
    t = vq.connect(t, "gv")
    tv = t
    chunks = []
    while tv < 41.5:
        tv = vq.request(tv + 0.01, rng.randrange(150000, 260000), rate=70e6, tag=f"gvc{len(chunks)}")
        chunks.append(tv)
        tv += rng.uniform(3.5, 5.0)
    # reading Wikipedia while the video plays; the keep-alive connection stays open
    wk, tw = visit(ctx, fritz, t + 1.2, "en.wikipedia.org", n_req=3, close=False, tag="wk")
    tw = background(ctx, fritz, tw + 1.0, ["www.kernel.org", "lwn.net", "codeberg.org"], gap=(0.8, 3.0))
    T = max(tw, chunks[-1]) + 1.1
    # --- T: the home Wi-Fi stops carrying frames (signal lost); the laptop keeps sending into it
    vq.probe(T + 0.31, 230, tag="gvlost")  # next video chunk request
    pto = 0.055
    tp = T + 0.31
    k = 0
    while tp + pto < T + 3.1:
        tp += pto
        vq.probe(tp, rng.randrange(45, 90), tag=f"gvpto{k}")
        pto *= 2
        k += 1
    # the user clicks a link in Wikipedia: the request and its retransmissions
    seq = wk.cnxt
    req = app_rec(rng, 540)
    wk.c(T + 0.74, "PA", req, tag="wklost")
    rto = 0.236
    tr = T + 0.74
    k = 0
    while tr + rto < T + 3.1:
        tr += rto
        wk.c(tr, "PA", req, seq=seq, tag=f"wkrtx{k}")
        rto *= 2
        k += 1
    # a new tab: www.openstreetmap.org needs DNS (Chrome's resolver retries once on a new port)
    lookup(ctx, fritz, T + 1.18, "www.openstreetmap.org", answer=False, tag="osm0")
    lookup(ctx, fritz, T + 2.19, "www.openstreetmap.org", answer=False, tag="osm1")
    # and a Google search: a new QUIC connection (Initial + PTOs), TCP raced 300 ms later
    gq2 = Quic(ctx, G6, "www.google.com", 0.0094, 117)
    gq2.client_initial(T + 1.52, "gq2init")
    for k, dt in enumerate((0.29, 0.87)):
        gq2.client_initial(T + 1.52 + dt, f"gq2pto{k}")
    gt = Flow(ctx, G6, 443, 0.0094, 117, sos="cdn", smss=1440)
    gt.c(T + 1.83, "S", tag="gtsyn")
    gt.c(T + 2.86, "S", seq=gt.ciss, tag="gtsynrtx")
    T_off = T + 3.14
    # --- the laptop gives up on the home network and joins the phone's hotspot
    d = dhcp_frames(rng, CM, IPHONE, "172.20.10.4", "172.20.10.1", "255.255.255.240", "lena-x1")
    td = T_off + 0.412
    cap.add_frame(td, d[0], tag="dhcpdisc")
    cap.add_frame(td + 0.0061, d[1], out=False, tag="dhcpoffer")
    cap.add_frame(td + 0.0074, d[2], tag="dhcpreq")
    cap.add_frame(td + 0.0129, d[3], out=False, tag="dhcpack")
    LL, PLL = "fe80::5bd1:7a60:e2f4:9c11", "fe80::c82b:96ff:fe0e:5164"
    rs = Ether(src=CM, dst=mac("33:33:00:00:00:02")) / IPv6(src=LL, dst="ff02::2", hlim=255) / ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr="f4:4e:e3:8a:21:7c")
    ra = Ether(src=IPHONE, dst=mac("33:33:00:00:00:01")) / IPv6(src=PLL, dst="ff02::1", hlim=255) / ICMPv6ND_RA(chlim=64, M=0, O=0, routerlifetime=1800) / \
        ICMPv6NDOptSrcLLAddr(lladdr="ca:2b:96:0e:51:64") / ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1, validlifetime=3600, preferredlifetime=3600, prefix="2a01:598:b1a0:4c2e::")
    cap.add_frame(td + 0.0021, raw(rs), tag="rs")
    cap.add_frame(td + 0.0098, raw(ra), out=False, tag="ra")
    arpq = Ether(src=CM, dst=b"\xff" * 6) / ARP(op=1, hwsrc="f4:4e:e3:8a:21:7c", psrc="172.20.10.4", hwdst="00:00:00:00:00:00", pdst="172.20.10.1")
    arpr = Ether(src=IPHONE, dst=CM) / ARP(op=2, hwsrc="ca:2b:96:0e:51:64", psrc="172.20.10.1", hwdst="f4:4e:e3:8a:21:7c", pdst="172.20.10.4")
    cap.add_frame(td + 0.0212, raw(arpq), tag="arpq")
    cap.add_frame(td + 0.0241, raw(arpr), out=False, tag="arpr")
    ctx.cip, ctx.cip6 = "172.20.10.4", "2a01:598:b1a0:4c2e:71a3:f0c8:92e4:1d57"
    MOB = 0.034
    t = td + 0.1
    # --- everything resumes.  Desktop Chrome does not migrate QUIC sessions on a network change: it drops
    # them and the player fetches the pending chunk over a new connection to the same video server
    vq2 = Quic(ctx, GV6, vname, 0.0121 + MOB, 116)
    t = vq2.connect(t, "gvnew")
    tv = vq2.request(t + 0.002, rng.randrange(150000, 260000), rate=24e6, tag="gvafter")
    # the search again: new QUIC connection from the new address, same SNI, same server address
    gq3 = Quic(ctx, G6, "www.google.com", 0.0094 + MOB, 115)
    t3 = gq3.connect(t + 0.004, "gq3")
    for i in range(2):
        t3 = gq3.request(t3 + rng.uniform(0.02, 0.3), rng.randrange(20000, 60000), rate=24e6, tag=f"gq3r{i}")
    # the OpenStreetMap tab: DNS through the phone, then TCP/TLS
    _, t4 = visit(ctx, phone, t + 0.011, "www.openstreetmap.org", tag="osm", rate=22e6, rtt_add=MOB, ttl_add=-2)
    # the Wikipedia click is retried on a new connection
    a, aaaa = site_answers("en.wikipedia.org", 600)
    t5 = lookup(ctx, phone, t + 0.06, "en.wikipedia.org", a, aaaa, tag="wk2dns") + 0.001
    wk2, t5 = tls_open(ctx, t5, SITES["en.wikipedia.org"][1], "en.wikipedia.org", SITES["en.wikipedia.org"][4] + MOB, 53, smss=1440, tag="wk2", rate=22e6)
    t5 = tls_exchange(wk2, t5 + 0.002, 560, 74000, rate=22e6, tag="wk2x")
    t = max(tv, t3, t4, t5) + 1.2
    while tv < t + 20:
        tv = vq2.request(tv + rng.uniform(3.5, 5.0), rng.randrange(150000, 260000), rate=24e6)
    t = background(ctx, phone, t, ["tile.openstreetmap.org", "www.theguardian.com", "news.ycombinator.com", "www.bbc.co.uk", "docs.python.org"],
                   gap=(0.5, 2.5), rtt_add=MOB, ttl_add=-2, rate=22e6)
    t = wk2.close_client(max(t, tv) + 0.7)
    path = os.path.join(outdir, fname)
    cap.write(path)
    f = cap.frame
    # last frame received before the outage, first received after it
    srt = cap.sorted()
    t_ns = cap.base * 1_000_000_000 + int(round(T * 1e9))
    last_in = max(i + 1 for i, r in enumerate(srt) if r[0] < t_ns and r[3][6:12] != CM)
    first_in = min(i + 1 for i, r in enumerate(srt) if r[0] > t_ns and r[3][6:12] != CM)
    info = dict(last_in=last_in, first_in=first_in, gv_lost=f("gvlost"), gv_pto=cap.frames("gvpto"), wk_lost=f("wklost"), wk_rtx=cap.frames("wkrtx"),
                osm_q=[f("osm0qA0"), f("osm1qA0")], gq2=[f("gq2init")] + cap.frames("gq2pto"), gt=[f("gtsyn"), f("gtsynrtx")],
                dhcp=[f("dhcpdisc"), f("dhcpoffer"), f("dhcpreq"), f("dhcpack")], ra=f("ra"), arp=f("arpr"),
                gv_new=[f("gvnewinit"), f("gvnewsinit")], gq3=[f("gq3init"), f("gq3sinit")], osm_ok=f("osmsynack"), wk2=f("wk2synack"),
                gv_first=f("gvinit"), yt=f("ytinit"), g0=[f("g0init"), f("g0sinit")], outage_s=T_off - T)
    def ftime(fr):
        return (srt[fr - 1][0] - srt[0][0]) / 1e9

    info["silence"] = ftime(info["dhcp"][1]) - ftime(info["gv_lost"])
    trap = (
        "QUIC-01/QUIC-03, TLS-02, IP-01 and RES-01 shapes at once: after frame "
        f"{info['last_in']} (the last packet received on the home network) the laptop keeps sending for {info['silence']:.1f} s and nothing comes back. "
        f"An established QUIC connection to the googlevideo.com server (its request frame {info['gv_lost']}, PTO probes {', '.join(map(str, info['gv_pto']))}) "
        f"stops being answered; a new QUIC Initial with SNI www.google.com (frame {info['gq2'][0]}, retransmitted {', '.join(map(str, info['gq2'][1:]))}; tshark "
        f"decrypts the SNI) gets no reply from a server that completed a QUIC handshake earlier (Initial {info['g0'][0]}, server Initial {info['g0'][1]}); the raced "
        f"TCP SYN to the same address is retransmitted unanswered ({info['gt'][0]}, {info['gt'][1]}); the open Wikipedia connection's request is retransmitted "
        f"({info['wk_lost']}, then {', '.join(map(str, info['wk_rtx']))}); DNS queries go unanswered ({info['osm_q'][0]}, {info['osm_q'][1]}). A naive tool calls "
        "it QUIC/SNI blackholing, perhaps with residual blocking. Benign: the silence is the client's own link (Wi-Fi signal lost). It hits every destination "
        "at the same instant, QUIC, TCP and UDP/53, including the home router's own resolver one hop away, and the lost packets have no trigger in common. "
        f"The capture then shows the laptop joining another network: DHCP DISCOVER/OFFER/REQUEST/ACK for 172.20.10.4 from a phone hotspot (frames "
        f"{'/'.join(map(str, info['dhcp']))}; the OFFER is the first frame received after the silence), a router advertisement for a new IPv6 prefix "
        f"(frame {info['ra']}), ARP for the new gateway (reply frame {info['arp']}) and a new gateway MAC. Traffic resumes at once from the new addresses: "
        f"desktop Chrome drops the old QUIC sessions and the player reconnects to the same video server with the same SNI, answered at once (Initial "
        f"{info['gv_new'][0]}, server Initial {info['gv_new'][1]}) and streaming continues; a new QUIC Initial for www.google.com to the very same address is answered (frames {info['gq3'][0]}/{info['gq3'][1]}); "
        f"OpenStreetMap (SYN/ACK frame {info['osm_ok']}) and Wikipedia (SYN/ACK frame {info['wk2']}) work. There is no 180 s residual window. "
        "After the switch the servers' TTLs, hop limits and RTTs differ because the path now runs through the mobile network."
    )
    return fname, {"expect": [], "trap": trap, "shape": "Ethernet (Wi-Fi as seen by the host, DLT_EN10MB), pcapng little-endian, nanosecond tsresol; dual-stack IPv4+IPv6, QUIC v1 over IPv6 with real Initial protection (SNI decryptable), DHCP/ARP/ICMPv6 RA frames; Linux Chrome; 15 ordinary visits plus QUIC sessions to Google/YouTube"}, info, path, cap

# ----------------------------------------------------------------------------
# case 6: an idle SSH session killed by the home router's expired NAT entry, and an HTTP
# keep-alive race with a server's keepalive_timeout; fresh connections work
# ----------------------------------------------------------------------------


def ssh_pkt(rng, payload, block=8):
    pad = block - ((5 + len(payload)) % block)
    if pad < 4:
        pad += block
    return struct.pack("!IB", 1 + len(payload) + pad, pad) + payload + rng.randbytes(pad)


def ssh_str(b):
    b = b if isinstance(b, bytes) else b.encode()
    return struct.pack("!I", len(b)) + b


def ssh_kexinit(rng, kex, hk, ciph, macs, comp):
    return ssh_pkt(rng, b"\x14" + rng.randbytes(16) + b"".join(ssh_str(x) for x in (kex, hk, ciph, ciph, macs, macs, comp, comp, "", "")) + b"\x00" + b"\0\0\0\0")


def ssh_enc(rng, payload_len):
    """chacha20-poly1305@openssh.com packet: encrypted length, body padded to 8, 16-byte tag."""
    body = 1 + payload_len
    pad = 8 - (body % 8)
    if pad < 4:
        pad += 8
    return rng.randbytes(4 + body + pad + 16)


def srv_send(fl, t, data, tag=None, link=95e6):
    off = 0
    first = True
    while off < len(data):
        n = min(fl.seg, len(data) - off)
        fl.s(t, "PA" if off + n >= len(data) else "A", data[off:off + n], tag=tag if first else None)
        first = False
        off += n
        t += (n + 66) * 8 / link
    fl.c_rcv = fl.snxt
    return t


class SshSession:
    """An OpenSSH client session.  Client segments go through cs(), which first emits a pending
    delayed ACK if its 40 ms timer fired before, otherwise lets the data carry the ACK."""

    def __init__(self, ctx, sip, rtt, ttl, tag):
        self.ctx, self.rng, self.tag = ctx, ctx.rng, tag
        self.fl = Flow(ctx, sip, 22, rtt, ttl, sos="linuxsrv")
        self.pend = None

    def flush(self, t):
        if self.pend is not None and self.pend <= t:
            self.fl.c(self.pend, "A")
        self.pend = None

    def cs(self, t, data, tag=None):
        self.flush(t)
        return self.fl.send_c(t, data, tag)

    def s(self, t, data, tag=None):
        """server data arriving at t: two or more segments are ACKed at once, one after 40 ms."""
        fl = self.fl
        self.flush(t)
        nseg = -(-len(data) // fl.seg)
        te = srv_send(fl, t, data, tag)
        if nseg > 1:
            fl.c(te + self.rng.uniform(0.00002, 0.00008), "A")
            self.pend = None
        else:
            self.pend = te + 0.04
        return te

    def open(self, t):
        rng, fl, tag = self.rng, self.fl, self.tag
        t = fl.handshake(t, tag)
        # sshd greets first; the client answers with its banner and, at once, its KEXINIT
        tb = self.s(t + fl.rtt / 2 + 0.0021, b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5\r\n", tag + "sbanner")
        t = self.cs(tb + 0.00005, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", tag + "cbanner")
        t_cb = t
        ckex = ssh_kexinit(rng,
                           "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
                           "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,ext-info-c,"
                           "kex-strict-c-v00@openssh.com",
                           "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
                           "ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
                           "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
                           "ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
                           "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
                           "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,"
                           "umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1", "none,zlib@openssh.com,zlib")
        t = self.cs(t + 0.0004, ckex, tag + "ckex")
        # sshd sends its KEXINIT once it has read the client's banner
        skex = ssh_kexinit(rng, "curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,kex-strict-s-v00@openssh.com",
                           "rsa-sha2-512,rsa-sha2-256,ssh-ed25519", "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr",
                           "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,umac-128-etm@openssh.com", "none,zlib@openssh.com")
        te = self.s(t_cb + fl.rtt + 0.00021, skex, tag + "skex")
        t = self.cs(te + 0.0009, ssh_pkt(rng, b"\x1e" + ssh_str(x25519_pub(rng))), tag + "ecdhinit")
        hostkey = ssh_str("ssh-ed25519") + ssh_str(rng.randbytes(32))
        reply = ssh_pkt(rng, b"\x1f" + ssh_str(hostkey) + ssh_str(x25519_pub(rng)) + ssh_str(ssh_str("ssh-ed25519") + ssh_str(rng.randbytes(64))))
        newkeys = ssh_pkt(rng, b"\x15")
        te = self.s(t + fl.rtt + 0.0013, reply + newkeys, tag + "ecdhreply")
        t = self.cs(te + 0.0011, newkeys, tag + "cnewkeys")
        # encrypted: service request / ext-info + accept, publickey probe / PK_OK, signed request / success,
        # channel open + no-more-sessions / confirmation + hostkeys, pty + env + shell / motd and prompt
        steps = [(ssh_enc(rng, 17), [ssh_enc(rng, 236), ssh_enc(rng, 17)]), (ssh_enc(rng, 110), [ssh_enc(rng, 71)]),
                 (ssh_enc(rng, 206), [ssh_enc(rng, 1)]),
                 (ssh_enc(rng, 24) + ssh_enc(rng, 33), [ssh_enc(rng, 598), ssh_enc(rng, 17)]),
                 (ssh_enc(rng, 307) + ssh_enc(rng, 31) + ssh_enc(rng, 14), [ssh_enc(rng, 13), ssh_enc(rng, 5), ssh_enc(rng, 5), ssh_enc(rng, 1412), ssh_enc(rng, 73)])]
        for k, (cd, sd) in enumerate(steps):
            t = self.cs(t + (0.0006 if k else 0.0002), cd)
            te = self.s(t + fl.rtt + 0.0004 + (0.008 if k == 2 else 0), b"".join(sd))
            t = te + 0.0001
        return te + 0.05

    def typing(self, t, text, out_sizes=()):
        """keystrokes echoed one by one; Enter brings the command output."""
        rng, fl = self.rng, self.fl
        for _ch in text:
            self.cs(t, ssh_enc(rng, 10))
            self.s(t + fl.rtt + 0.00012, ssh_enc(rng, 10))
            t += rng.uniform(0.09, 0.28)
        self.cs(t, ssh_enc(rng, 10))
        out = b"".join(ssh_enc(rng, n) for n in out_sizes) + ssh_enc(rng, 73)
        te = self.s(t + fl.rtt + rng.uniform(0.002, 0.03), out)
        self.flush(te + 1.0)
        return te + 0.04


def case6(outdir):
    fname = "bn6_idle_state_resets.pcap"
    ifc = [{"link": "vlan", "vlan": 10, "pcp": 0, "name": "eth0.10", "cmac": mac("d8:bb:c1:52:7e:03"), "gmac": mac("44:fe:3b:19:a6:c2")}]
    cap = Cap(fname, epoch(2024, 11, 26, 20, 4, 18), ifc, fmt="pcap", endian=">")
    ctx = Ctx(cap, 1406, cip="192.168.1.50", cos="linux")
    ctx.profile = "firefox"
    rng = ctx.rng
    router = Resolver("192.168.1.1", 64, 0.00041, "zero", True, rng=rng)
    SSH, STTL, SRTT = "95.216.147.23", 51, 0.0274
    API, ATTL, ARTT = "185.52.1.119", 56, 0.0212
    t = 0.62
    t = background(ctx, router, t, ["www.bbc.co.uk", "www.wikipedia.org", "github.com"], gap=(0.8, 3.0))
    # --- the SSH session
    a = rrs("build.lindqvist.dev", [], [SSH], "A", 0, 3600)
    t = lookup(ctx, router, t + 2.0, "build.lindqvist.dev", a, [], tag="sshdns") + 0.0006
    ss = SshSession(ctx, SSH, SRTT, STTL, "ssh1")
    t = ss.open(t)
    for cmd, outs in [("uptime", [61]), ("cd src/fw && git pull", [180, 420, 96]), ("make -j8", [260] * 6 + [1400] * 3 + [310]), ("ls -l build", [900, 300]),
                      ("tmux attach", [1400, 1400, 380])]:
        t = ss.typing(t + rng.uniform(1.2, 6.0), cmd, outs)
    t_ssh_last = t
    t = background(ctx, router, t + 4.0, ["stackoverflow.com", "docs.python.org"], gap=(1.0, 4.0))
    # --- the weather integration polls a plain-HTTP API every 75 s; nginx keepalive_timeout is 75 s too
    t = 1804.3
    a = rrs("api.meteodata.net", [], [API], "A", 0, 300)
    t = lookup(ctx, router, t, "api.meteodata.net", a, [], tag="apidns") + 0.0005
    UA = "HomeAssistant/2024.11.3 aiohttp/3.10.10 Python/3.12"

    def api_get(fl, t, tag):
        req = (f"GET /v2/current?lat=59.3293&lon=18.0686&units=metric HTTP/1.1\r\nHost: api.meteodata.net\r\nUser-Agent: {UA}\r\n"
               "Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nX-Api-Key: 4c1e9b7f0a2d6e83\r\n\r\n").encode()
        return fl.send_c(t, req, tag)

    def api_resp(fl, t, tag, date):
        body = ('{"lat":59.3293,"lon":18.0686,"time":"' + date + '","temperature":' + f"{rng.uniform(-3, 4):.1f}" + ',"humidity":' + str(rng.randrange(70, 95))
                + ',"pressure":' + str(rng.randrange(995, 1025)) + ',"wind_speed":' + f"{rng.uniform(1, 9):.1f}" + ',"wind_dir":' + str(rng.randrange(0, 360))
                + ',"cloud_cover":' + str(rng.randrange(0, 100)) + ',"condition":"overcast","source":"meteodata-nowcast-v2"}').encode()
        r = (f"HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: {date}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
             "Connection: keep-alive\r\nCache-Control: max-age=60\r\n\r\n").encode() + body
        te = srv_send(fl, t, r, tag)
        fl.c(te + 0.04, "A")
        return te

    fa = Flow(ctx, API, 80, ARTT, ATTL)
    t = fa.handshake(t, "apiA")
    t = api_get(fa, t + 0.0003, "apiAget1")
    t_resp1 = t + ARTT + 0.0046
    api_resp(fa, t_resp1, "apiAresp1", httpdate(cap.base + t_resp1))
    # 75 s later nginx closes the idle connection; the integration's next poll crosses the FIN on the wire
    t_fin = t_resp1 + 75.0002  # arrival of the server's FIN at the client
    t_get2 = t_fin - 0.0016
    get_seq = fa.cnxt
    t = api_get(fa, t_get2, "apiAget2")
    fa.s_rcv = get_seq  # the FIN was sent before the request arrived: it does not acknowledge it
    fa.s(t_fin, "FA", tag="apiAfin")
    fin_seq = fa.snxt - 1
    fa.c_rcv = fa.snxt
    fa.c(t_fin + 0.000031, "A", tag="apiAfinack")
    # the server's kernel answers each of the two client segments with a reset (seq = their ACK field)
    fa.forged(t_get2 + ARTT, "R", fin_seq, 0, ATTL, 0, True, 0, tag="apiArst1")
    fa.forged(t_fin + 0.000031 + ARTT, "R", fin_seq + 1, 0, ATTL, 0, True, 0, tag="apiArst2")
    # the integration retries at once on a new connection: fine
    fb = Flow(ctx, API, 80, ARTT, ATTL)
    t = fb.handshake(t_fin + 0.000031 + ARTT + 0.0032, "apiB")
    t = api_get(fb, t + 0.0003, "apiBget")
    t = api_resp(fb, t + ARTT + 0.0041, "apiBresp", httpdate(cap.base + t + ARTT))
    t_b = t
    # next poll reuses the connection (70 s < 75 s)
    t = api_get(fb, t_b + 70.2, "apiBget2")
    t = api_resp(fb, t + ARTT + 0.0039, "apiBresp2", httpdate(cap.base + t + ARTT))
    # the poll after that is skipped (integration reloaded); nginx closes the idle connection cleanly
    t = fb.close_server(t + 75.0)
    t = background(ctx, router, t + 40.0, ["www.theguardian.com", "www.openstreetmap.org", "tile.openstreetmap.org", "lwn.net"], gap=(2.0, 9.0))
    # --- back at the desk after 1 h 37 min: one keystroke in the idle SSH session
    fl = ss.fl
    t_key = t_ssh_last + 5826.4
    ss.cs(t_key, ssh_enc(rng, 10), "ssh1key")
    # the home router's conntrack entry expired (its TCP established timeout is 1 h): it rejects the
    # mid-stream segment with its own TCP reset (Linux nf_reject: TTL 64, IP ID 0, DF, window 0)
    fl.forged(t_key + 0.00029, "R", fl.c_rcv, 0, 64, 0, True, 0, tag="ssh1rst")
    # "Connection reset by peer"; the user reconnects: same server, same port, works
    a = rrs("build.lindqvist.dev", [], [SSH], "A", 0, 3600)
    t = lookup(ctx, router, t_key + 4.71, "build.lindqvist.dev", a, [], tag="sshdns2") + 0.0006
    s2 = SshSession(ctx, SSH, SRTT, STTL, "ssh2")
    t = s2.open(t)
    for cmd, outs in [("tmux attach", [1400, 1400, 1400, 600]), ("git log --oneline -5", [420])]:
        t = s2.typing(t + rng.uniform(1.0, 4.0), cmd, outs)
    t = background(ctx, router, t + 3.0, ["www.heise.de", "codeberg.org", "www.kernel.org", "pypi.org", "files.pythonhosted.org"], gap=(1.0, 5.0))
    t = s2.typing(t + 2.0, "exit", [40])
    path = os.path.join(outdir, fname)
    cap.write(path)
    f = cap.frame
    info = dict(ssh_synack=f("ssh1synack"), ssh_banner=f("ssh1sbanner"), ssh_key=f("ssh1key"), ssh_rst=f("ssh1rst"), ssh2_synack=f("ssh2synack"),
                ssh2_banner=f("ssh2sbanner"), dns_r=f("sshdnsrA0"), api_synack=f("apiAsynack"), api_resp1=f("apiAresp1"), api_get2=f("apiAget2"),
                api_fin=f("apiAfin"), api_finack=f("apiAfinack"), api_rst=[f("apiArst1"), f("apiArst2")], apiB_synack=f("apiBsynack"), apiB_resp=f("apiBresp"),
                idle_min=(t_key - t_ssh_last) / 60)
    trap = (
        "RST-01/RST-03/RST-04 shapes, twice. (a) SSH to build.lindqvist.dev: after the session has been idle for "
        f"{info['idle_min']:.0f} minutes, one keystroke (frame {info['ssh_key']}) is answered 0.3 ms later by a RST (frame {info['ssh_rst']}) that claims "
        f"to come from the server but has TTL 64 while the server's packets arrive with TTL 51 (SYN/ACK frame {info['ssh_synack']}), IP ID 0, flags RST only, "
        "and arrives 90 times faster than the server's 27 ms RTT: TTL-delta, IP ID 0 and RST-type-I heuristics call it on-path injection. Benign: it is the "
        "user's own home router (the first hop) whose NAT/conntrack entry for the connection expired during the idle hour and which rejects the mid-stream "
        "segment with its own reset (Linux nf_reject: TTL 64, IP ID 0, DF, window 0, seq = the client's ACK field, exactly in window). That fingerprint "
        f"matches the router's other packets: its DNS answers (e.g. frame {info['dns_r']}) also arrive with TTL 64, IP ID 0 and DF. There is no trigger "
        "(an encrypted one-byte keystroke 97 minutes into a session), one RST, no data after it, and a new SSH connection to the same server and port five "
        f"seconds later works (SYN/ACK frame {info['ssh2_synack']}, banner frame {info['ssh2_banner']}). "
        f"(b) HTTP GET to api.meteodata.net (frame {info['api_get2']}) with a Host header, followed one RTT later by two RSTs with different sequence numbers "
        f"(frames {info['api_rst'][0]} and {info['api_rst'][1]}), IP ID 0 and flags RST only: a naive RST_SEQ_CHANGE / Host-keyword match. Benign: nginx closed the "
        f"idle keep-alive connection at its 75 s keepalive_timeout (FIN frame {info['api_fin']}, 75.0 s after the previous response, frame {info['api_resp1']}) "
        "while the client's next poll was already on the wire. The server's kernel answers each late client segment with a reset whose seq is that "
        f"segment's ACK field: the GET (ack = FIN seq) and the client's ACK of the FIN (frame {info['api_finack']}, ack = FIN seq + 1). Both RSTs carry the "
        "server's TTL 56, window 0 and IP ID 0 as Linux resets do. No data follows them, and the client's immediate retry on a new connection gets its 200 "
        f"(SYN/ACK frame {info['apiB_synack']}, response frame {info['apiB_resp']}); the next connection ends with an ordinary FIN exchange."
    )
    srt = cap.sorted()
    dur = (srt[-1][0] - srt[0][0]) / 1e9
    shape = (f"802.1Q VLAN 10 over Ethernet (DLT_EN10MB), pcap big-endian microsecond, IPv4 only; Linux desktop behind an ISP CPE (router 192.168.1.1); "
             f"{int(dur // 3600)} h {int(dur % 3600 // 60)} min long with 14 ordinary visits, two SSH sessions and a plain-HTTP API poller")
    return fname, {"expect": [], "trap": trap, "shape": shape}, info, path, cap


CASES = {"1": case1, "2": case2, "3": case3, "4": case4, "5": case5, "6": case6}


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        sys.exit(2)
    outdir = sys.argv[1]
    only = sys.argv[2:] or sorted(CASES)
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for k in only:
        fname, entry, info, path, cap = CASES[k](outdir)
        expect[fname] = entry
        if os.environ.get("BLIND_DEBUG"):
            print(fname, len(cap.recs), os.path.getsize(path), json.dumps(info), file=sys.stderr)
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
