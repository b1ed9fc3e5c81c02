#!/usr/bin/env python3
# ruff: noqa: E501, E741, RUF005, RUF046, RUF059
"""Blind round 19, benign set: "flow identity and reassembly at the edges".

Six captures of innocent traffic in which packets of different connections, or different
copies of the same data, are easy to confuse.  Run:  python blind19_benign.py OUTDIR
Writes the six captures and OUTDIR/expect.json.  Deterministic: fixed seeds, fixed epochs.
"""
import heapq
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
    app_stream,
    chain,
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
from scapy.all import IP, TCP, UDP, IPv6, IPv6ExtHdrFragment, Raw, fragment, fragment6, raw
from scapy.layers.dhcp import BOOTP, DHCP

# ----------------------------------------------------------------------------
# small extensions of the kit
# ----------------------------------------------------------------------------

PROFILES = dict(K.PROFILES)
PROFILES.update({
    "win": dict(synwin=64240, ws=8, ts=False, win0=1026),
    "lwip": dict(synwin=5744, ws=0, ts=False, win0=5744),
    "android": dict(synwin=65535, ws=9, ts=True, win0=343),
    "fbsd": dict(synwin=65535, ws=6, ts=True, win0=1026),
})


class Cap2(Cap):
    """Cap with raw link-layer frames (DHCP broadcasts) next to IP packets."""

    def add_frame(self, t, frame, iface=0, tag=None):
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        self.recs.append((tns, len(self.recs), iface, frame, tag))
        self._sorted = None

    def tstr(self, tag):
        """capture-relative time (s) of a tagged frame, for the notes"""
        recs = self.sorted()
        t0 = recs[0][0]
        for r in recs:
            if r[4] == tag:
                return f"{(r[0] - t0) / 1e9:.3f}"
        raise KeyError(tag)

    def rel(self, tag):
        recs = self.sorted()
        for r in recs:
            if r[4] == tag:
                return (r[0] - recs[0][0]) / 1e9
        raise KeyError(tag)


class Flow2(Flow):
    profiles = PROFILES

    def _opts(self, out, t, flags, sack=None):
        if self.ctx.cos == "win":  # Windows: no timestamps; SACK-permitted and window scaling only
            if "S" in flags:
                if out:
                    return [("MSS", self.cmss), ("NOP", None), ("WScale", 8), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
                return [("MSS", self.smss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", self.sp["ws"])]
            if sack:
                return [("NOP", None), ("NOP", None), ("SAck", tuple(x & 0xFFFFFFFF for blk in sack for x in blk))]
            return []
        if not out and "S" in flags and self.sp is PROFILES["fbsd"] and self.ts:
            o = super()._opts(out, t, flags, sack)  # keeps the timestamp bookkeeping
            tsopt = [x for x in o if x[0] == "Timestamp"]
            return [("MSS", self.smss), ("NOP", None), ("WScale", 6), ("SAckOK", b""), *tsopt]
        return super()._opts(out, t, flags, sack)

    def swin(self):
        if not self.cp["ws"]:  # peer did not offer window scaling: unscaled byte count
            return min(64240 + (self.s_got // 1448) * 1448, 65160)
        return super().swin()


class Ctx2(Ctx):
    flow_class = Flow2

    def __init__(self, *a, ports=None, global_id=None, **kw):
        super().__init__(*a, **kw)
        self.port_range = ports or (32768, 61000)
        self.gid = global_id  # Windows-style: one IP-ID counter for the whole host

    def ipid(self, fl):
        if self.gid is None:
            return super().ipid(fl)
        self.gid = (self.gid + 1) & 0xFFFF
        return self.gid

    def port(self):
        lo, hi = self.port_range
        while True:
            p = self.rng.randrange(lo, hi)
            if p not in self.used:
                self.used.add(p)
                return p


# ----------------------------------------------------------------------------
# QUIC v1 Initial protection (RFC 9001 section 5)
# ----------------------------------------------------------------------------

def initial_keys(dcid):
    """{'c'|'s': (key, iv, hp)} of QUIC v1 Initial packets (RFC 9001 5.2; generate.py)."""
    keys = quic_initial_keys(dcid)
    return {"c": keys["client"], "s": keys["server"]}


def vint(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return struct.pack("!H", 0x4000 | n)
    if n < 2 ** 30:
        return struct.pack("!I", 0x80000000 | n)
    return struct.pack("!Q", 0xC000000000000000 | n)


def protect_initial(keys, dcid, scid, pn, frames, pad_to=None, pnlen=2):
    """A protected QUIC v1 Initial packet; pad_to pads the packet (PADDING frames) to that size."""

    def header(plen):
        return (bytes([0xC0 | (pnlen - 1)]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
                + b"\x00" + struct.pack("!H", 0x4000 | (pnlen + plen + 16)) + pn.to_bytes(pnlen, "big"))

    payload = frames
    if pad_to:
        need = pad_to - len(header(len(payload))) - len(payload) - 16
        if need > 0:
            payload += b"\x00" * need
    return protect(header(len(payload)), pn, pnlen, payload, keys)


def opaque_long(rng, ptype, dcid, scid, size):
    """A Handshake (type 2) long-header packet whose protected part is opaque to an observer."""
    body = size - (1 + 4 + 1 + len(dcid) + 1 + len(scid) + 2)
    return (bytes([0xC0 | (ptype << 4) | rng.randrange(16)]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid
            + bytes([len(scid)]) + scid + struct.pack("!H", 0x4000 | body) + rng.randbytes(body))


def short_pkt(rng, dcid, size):
    return bytes([0x40 | rng.randrange(32)]) + dcid + rng.randbytes(size - 1 - len(dcid))


def tp(pid, val):
    return vint(pid) + vint(len(val)) + val


def quic_client_hello(rng, sni, scid, profile="chrome"):
    rnd = rng.randbytes(32)
    pub = x25519_pub(rng)
    params = (tp(0x01, vint(30000)) + tp(0x03, vint(1472)) + tp(0x04, vint(15728640)) + tp(0x05, vint(6291456))
              + tp(0x06, vint(6291456)) + tp(0x07, vint(6291456)) + tp(0x08, vint(100)) + tp(0x09, vint(103))
              + tp(0x0F, scid) + tp(0x0E, vint(4)))
    if profile == "chrome":
        params += tp(0x20, vint(65536))
    alpn = b"\x02h3"
    exts = [
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(10, u16(6) + u16(0x1D) + u16(0x17) + u16(0x18)),
        ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
        ext(16, u16(len(alpn)) + alpn),
        ext(45, b"\x01\x01"),
        ext(51, u16(36) + u16(0x1D) + u16(32) + pub),
        ext(43, b"\x02\x03\x04"),
        ext(0x39, params),
    ]
    if profile == "chrome":
        exts = [exts[i] for i in (3, 0, 6, 1, 5, 7, 2, 4)]
    el = b"".join(exts)
    body = b"\x03\x03" + rnd + b"\x00" + u16(6) + u16(0x1301) + u16(0x1302) + u16(0x1303) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def quic_visit(ctx, t, sip, sni, rtt, sttl, resp=60000, iface=None, tag=None, profile="chrome", s_df=False):
    """An HTTP/3 page load: client Initial (ClientHello, padded to 1250), server Initial+Handshake
    flight, client Initial ACK + Handshake, 1-RTT request/response, CONNECTION_CLOSE."""
    rng = ctx.rng
    iface = ctx.iface if iface is None else iface
    v6 = ":" in sip
    cip = ctx.cip6 if v6 else ctx.cip
    sport = ctx.port()
    dcid, scid, srv_cid = rng.randbytes(8), rng.randbytes(8), rng.randbytes(8)
    keys = initial_keys(dcid)
    owd = rtt / 2
    cid_ip = rng.randrange(65536)
    sfl, cfl = rng.getrandbits(20), rng.getrandbits(20)

    def cpk(tt, payload, tg=None):
        nonlocal cid_ip
        ip = mk_ip(cip, sip, ctx.cttl, cid_ip, True, cfl)
        cid_ip += 1
        ctx.cap.add(tt, ip / UDP(sport=sport, dport=443) / Raw(payload), True, iface, tg)

    def spk(tt, payload, tg=None):
        ip = mk_ip(sip, cip, sttl, 0 if s_df else rng.randrange(65536), s_df, sfl)
        ctx.cap.add(tt, ip / UDP(sport=443, dport=sport) / Raw(payload), False, iface, tg)

    ch = quic_client_hello(rng, sni, scid, profile)
    crypto = b"\x06" + vint(0) + vint(len(ch)) + ch
    cpk(t, protect_initial(keys["c"], dcid, scid, 0, crypto, pad_to=1250), tag and tag + "ini")
    ta = t + rtt + rng.uniform(0.0003, 0.0015)
    sh = K.quic_server_hello(rng)
    sframes = b"\x02" + vint(0) + vint(rng.randrange(0, 30)) + b"\x00" + vint(0) + b"\x06" + vint(0) + vint(len(sh)) + sh
    sinit = protect_initial(keys["s"], scid, srv_cid, 0, sframes, pnlen=2)
    d1 = sinit + opaque_long(rng, 2, scid, srv_cid, 1200 - len(sinit))
    spk(ta, d1, tag and tag + "sini")
    ta2 = ta + 0.00005
    spk(ta2, opaque_long(rng, 2, scid, srv_cid, 1200))
    ta3 = ta2 + 0.00005
    spk(ta3, opaque_long(rng, 2, scid, srv_cid, rng.randrange(700, 1100)))
    tc = ta3 + rng.uniform(0.002, 0.006)
    cack = b"\x02" + vint(0) + vint(rng.randrange(0, 20)) + b"\x00" + vint(0)
    hs = opaque_long(rng, 2, srv_cid, scid, 90)
    cini = protect_initial(keys["c"], srv_cid, scid, 1, cack, pad_to=1250 - len(hs), pnlen=2)
    cpk(tc, cini + hs)
    tc += 0.0002
    cpk(tc, short_pkt(rng, srv_cid, rng.randrange(60, 140)))
    tc += 0.00005
    cpk(tc, short_pkt(rng, srv_cid, rng.randrange(300, 520)), tag and tag + "req")
    ts_ = tc + rtt + rng.uniform(0.005, 0.03)
    spk(ts_ - 0.004, short_pkt(rng, scid, rng.randrange(40, 60)))  # HANDSHAKE_DONE + NEW_TOKEN
    left, n = resp, 0
    while left > 0:
        sz = min(1252, left + 40)
        spk(ts_, short_pkt(rng, scid, sz))
        left -= sz - 40
        n += 1
        ts_ += 1350 * 8 / 40e6
        if n % 2 == 0:
            cpk(ts_ + owd * 0 + 0.00003, short_pkt(rng, srv_cid, rng.randrange(34, 44)))
    tend = ts_ + rng.uniform(0.3, 2.5)
    cpk(tend, short_pkt(rng, srv_cid, rng.randrange(30, 50)), tag and tag + "close")
    return tend


# ----------------------------------------------------------------------------
# ordinary visits
# ----------------------------------------------------------------------------

SITES = {
    "en.wikipedia.org": dict(a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cn=["dyna.wikimedia.org"], ttl=(52, 52), kind="https"),
    "github.com": dict(a=["140.82.121.4"], aaaa=[], ttl=(51, 51), kind="https"),
    "www.google.com": dict(a=["142.250.185.100"], aaaa=["2a00:1450:4001:82b::2004"], ttl=(117, 58), kind="quic"),
    "www.youtube.com": dict(a=["142.250.186.78"], aaaa=["2a00:1450:4001:831::200e"], cn=["youtube-ui.l.google.com"], ttl=(117, 58), kind="quic"),
    "fonts.gstatic.com": dict(a=["142.250.185.195"], aaaa=["2a00:1450:4001:829::2003"], ttl=(117, 58), kind="quic"),
    "www.bbc.co.uk": dict(a=["151.101.0.81", "151.101.64.81"], aaaa=["2a04:4e42::81"], cn=["www.bbc.co.uk.pri.bbc.co.uk", "uk.www.bbc.co.uk.pri.bbc.co.uk"], ttl=(57, 57), kind="https"),
    "www.reddit.com": dict(a=["151.101.1.140", "151.101.65.140"], aaaa=["2a04:4e42:200::396"], cn=["reddit.map.fastly.net"], ttl=(57, 57), kind="https"),
    "stackoverflow.com": dict(a=["104.18.32.7", "172.64.155.249"], aaaa=["2606:4700:4400::6812:2007"], ttl=(56, 56), kind="https"),
    "news.ycombinator.com": dict(a=["209.216.230.207"], aaaa=[], ttl=(48, 48), kind="https"),
    "www.debian.org": dict(a=["130.89.148.77"], aaaa=["2001:67c:2564:a119::77"], ttl=(53, 53), kind="https"),
    "duckduckgo.com": dict(a=["40.114.177.156"], aaaa=[], ttl=(110, 110), kind="https"),
    "www.theguardian.com": dict(a=["151.101.1.111"], aaaa=["2a04:4e42::367"], cn=["dualstack.guardian.map.fastly.net"], ttl=(57, 57), kind="https"),
    "www.openstreetmap.org": dict(a=["130.117.76.9"], aaaa=["2001:978:2:2c::172:a"], ttl=(50, 50), kind="https"),
    "docs.python.org": dict(a=["151.101.192.223"], aaaa=["2a04:4e42:600::223"], cn=["dualstack.python.map.fastly.net"], ttl=(57, 57), kind="https"),
    "www.mozilla.org": dict(a=["34.149.100.209"], aaaa=[], ttl=(119, 119), kind="https"),
    "neverssl.com": dict(a=["34.223.124.45"], aaaa=[], ttl=(39, 39), kind="http"),
    "detectportal.firefox.com": dict(a=["34.107.221.82"], aaaa=["2600:1901:0:38d7::"], cn=["detectportal.prod.mozaws.net", "prod.detectportal.prod.cloudops.mozgcp.net"], ttl=(119, 119), kind="http"),
    "www.lemonde.fr": dict(a=["151.101.2.217"], aaaa=["2a04:4e42::729"], cn=["lemonde.map.fastly.net"], ttl=(57, 57), kind="https"),
    "www.cloudflare.com": dict(a=["104.16.124.96", "104.16.123.96"], aaaa=["2606:4700::6810:7c60"], ttl=(56, 56), kind="quic"),
    "api.weather.gov": dict(a=["23.56.108.236"], aaaa=[], cn=["api.weather.gov.edgekey.net", "e8624.dscb.akamaiedge.net"], ttl=(55, 55), kind="https"),
    "www.heise.de": dict(a=["193.99.144.85"], aaaa=["2a02:2e0:3fe:1001:7777:772e:2:85"], ttl=(245, 59), kind="https"),
    "packages.ubuntu.com": dict(a=["185.125.188.57"], aaaa=[], ttl=(50, 50), kind="https"),
}


def visit(ctx, t, name, v6=False, kind=None, rtt=None, resp=None, tag=None, iface=None, profile="firefox", dns=True):
    """DNS lookup (A + AAAA) then the page over HTTPS, HTTP/3 or plain HTTP.  Returns end time."""
    rng = ctx.rng
    s = SITES[name]
    kind = kind or s["kind"]
    rtt = rtt or rng.uniform(0.012, 0.045)
    if dns:
        ttl_a = rng.choice([60, 120, 300, 600, 3600])
        ans_a = chain(name, s.get("cn", []), s["a"], ttl_a, min(ttl_a, 60))
        ans_6 = chain(name, s.get("cn", []), s["aaaa"], ttl_a, min(ttl_a, 60), "AAAA") if s["aaaa"] else chain(name, s.get("cn", []), [], ttl_a, 60)
        t = ctx.lookup(t, name, ans_a, ans_6, iface=iface) + rng.uniform(0.0005, 0.003)
    use6 = v6 and s["aaaa"] and ctx.cip6
    sip = s["aaaa"][0] if use6 else s["a"][0]
    sttl = s["ttl"][1] if use6 else s["ttl"][0]
    if kind == "quic":
        return quic_visit(ctx, t, sip, name, rtt, sttl, resp=resp or rng.randrange(30000, 140000), iface=iface, tag=tag)
    if kind == "http":
        body = html_body(rng, resp or rng.randrange(600, 6000), name)
        hdrs = [("Date", "Tue, 18 Mar 2025 09:41:07 GMT"), ("Server", "nginx"), ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))), ("Cache-Control", "no-cache")]
        fl, t2 = ctx.http(t, sip, name, rtt, sttl, headers=hdrs, body=body, iface=iface, tag=tag, close=rng.choice(["server", "client"]))
        return t2
    fl, t2 = ctx.https(t, sip, name, rtt, sttl, resp=resp or rng.randrange(8000, 90000), iface=iface, tag=tag,
                       close=rng.choice(["client", "client", "server"]), profile=profile, cert=rng.randrange(2400, 4200))
    return t2


def background(ctx, t0, t1, names, n, v6frac=0.0, iface=None, profile="firefox"):
    """n ordinary visits at random moments in [t0, t1)."""
    rng = ctx.rng
    times = sorted(rng.uniform(t0, t1) for _ in range(n))
    for i, t in enumerate(times):
        nm = names[i % len(names)]
        visit(ctx, t, nm, v6=rng.random() < v6frac, iface=iface, profile=profile)
    return n


def check_names(names):
    for n in names:
        assert n in SITES, n


# ----------------------------------------------------------------------------
# capture 1: a fixed-start ephemeral port after an IoT reboot reuses the old 5-tuple
# ----------------------------------------------------------------------------


class LwipFlow(Flow2):
    """Client side as an embedded lwIP stack: MSS-only SYN, no window scaling / SACK /
    timestamps, a fixed 5744-byte window, IP TTL 255, DF clear, one global IP-ID counter."""

    def cwin(self):
        return 5744

    def _opts(self, out, t, flags, sack=None):
        if "S" in flags:
            return [("MSS", self.cmss if out else self.smss)]
        return []

    def c(self, t, flags, payload=b"", seq=None, ack=None, win=None, sack=None, tag=None, opts=True):
        adv = seq is None
        seq = self.cnxt if seq is None else seq
        ack = self.c_rcv if ack is None else ack
        ip = IP(src=self.cip, dst=self.sip, ttl=self.ctx.cttl, id=self.ctx.next_id(), flags=0)
        tcp = TCP(sport=self.sport, dport=self.dport, seq=seq & 0xFFFFFFFF, ack=(ack & 0xFFFFFFFF) if "A" in flags else 0,
                  flags=flags, window=5744 if win is None else win, options=self._opts(True, t, flags))
        self.cap.add(t, ip / tcp / Raw(payload) if payload else ip / tcp, True, self.iface, tag)
        if adv:
            self.cnxt += len(payload) + ("S" in flags) + ("F" in flags)
        self.s_got += len(payload)


class LwipCtx(Ctx2):
    flow_class = LwipFlow

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.gid = 0

    def next_id(self):
        v = self.gid
        self.gid = (self.gid + 1) & 0xFFFF
        return v

    def ipid(self, fl):
        return self.next_id()

    def lookup(self, t, qname, ans_a=(), ans_aaaa=(), tag=None, **kw):
        """lwIP DNS client: one A query, random source port, DF clear, global IP ID."""
        sport = self.port()
        txid = self.rng.randrange(65536)
        q = K.dns_msg(txid, 0x0100, qname, "A")
        self.cap.add(t, IP(src=self.cip, dst=self.resolver, ttl=self.cttl, id=self.next_id(), flags=0) / UDP(sport=sport, dport=53) / Raw(q), True, self.iface, tag and tag + "q")
        ta = t + self.dns_rtt * self.rng.uniform(0.9, 1.2)
        r = K.dns_msg(txid, 0x8180, qname, "A", ans_a)
        self.cap.add(ta, IP(src=self.resolver, dst=self.cip, ttl=self.rttl, id=self.rng.randrange(65536), flags="DF") / UDP(sport=53, dport=sport) / Raw(r), False, self.iface, tag and tag + "r")
        return ta


def embedded_client_hello(rng, sni):
    """mbedTLS-3-style TLS 1.3 ClientHello (no GREASE, one key share, compat session id)."""
    rnd, sid = rng.randbytes(32), rng.randbytes(32)
    pub = x25519_pub(rng)
    exts = [
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(10, u16(4) + u16(0x1D) + u16(0x17)),
        ext(13, u16(8) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0503, 0x0401))),
        ext(43, b"\x02\x03\x04"),
        ext(45, b"\x01\x01"),
        ext(51, u16(36) + u16(0x1D) + u16(32) + pub),
    ]
    el = b"".join(exts)
    body = b"\x03\x03" + rnd + b"\x20" + sid + u16(4) + u16(0x1301) + u16(0x1303) + b"\x01\x00" + u16(len(el)) + el
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + u16(len(hs)) + hs, sid


def dhcp_frames(cam_mac, router_mac, xid, ip, router_ip, ipid0, host):
    bc = b"\xff" * 6
    opts_common = [("hostname", host.encode()), ("param_req_list", [1, 3, 28, 6, 15, 44, 46, 47, 31, 33, 121, 43])]
    out = []
    disc = IP(src="0.0.0.0", dst="255.255.255.255", ttl=255, id=ipid0, flags=0) / UDP(sport=68, dport=67) / BOOTP(
        chaddr=cam_mac + b"\0" * 10, xid=xid, flags=0) / DHCP(options=[("message-type", "discover")] + opts_common + [("max_dhcp_size", 1500), "end"])
    offer = IP(src=router_ip, dst=ip, ttl=64, id=0, flags=0) / UDP(sport=67, dport=68) / BOOTP(
        op=2, yiaddr=ip, siaddr=router_ip, chaddr=cam_mac + b"\0" * 10, xid=xid) / DHCP(options=[
            ("message-type", "offer"), ("server_id", router_ip), ("lease_time", 86400), ("renewal_time", 43200), ("rebinding_time", 75600),
            ("subnet_mask", "255.255.255.0"), ("broadcast_address", "192.168.1.255"), ("router", router_ip), ("name_server", router_ip), ("domain", b"lan"), "end"])
    req = IP(src="0.0.0.0", dst="255.255.255.255", ttl=255, id=ipid0 + 1, flags=0) / UDP(sport=68, dport=67) / BOOTP(
        chaddr=cam_mac + b"\0" * 10, xid=xid) / DHCP(options=[("message-type", "request"), ("requested_addr", ip), ("server_id", router_ip)] + opts_common + [("max_dhcp_size", 1500), "end"])
    ack = IP(src=router_ip, dst=ip, ttl=64, id=0, flags=0) / UDP(sport=67, dport=68) / BOOTP(
        op=2, yiaddr=ip, siaddr=router_ip, chaddr=cam_mac + b"\0" * 10, xid=xid) / DHCP(options=[
            ("message-type", "ack"), ("server_id", router_ip), ("lease_time", 86400), ("renewal_time", 43200), ("rebinding_time", 75600),
            ("subnet_mask", "255.255.255.0"), ("broadcast_address", "192.168.1.255"), ("router", router_ip), ("name_server", router_ip), ("domain", b"lan"), "end"])
    for p, src, dst in ((disc, cam_mac, bc), (offer, router_mac, cam_mac), (req, cam_mac, bc), (ack, router_mac, cam_mac)):
        fr = dst + src + b"\x08\x00" + raw(p)
        if len(fr) < 60:
            fr += b"\0" * (60 - len(fr))
        out.append(fr)
    return out


def cap1_tuple_reuse(outdir):
    fname = "tuple_reuse_iot_reboot_challenge_ack_eth.pcap"
    router = mac("3c:37:86:5e:11:a0")
    ifaces = [
        dict(link="eth", cmac=mac("f4:8c:50:2b:9e:13"), gmac=router),  # 0 laptop
        dict(link="eth", cmac=mac("8a:1f:37:c2:5d:07"), gmac=router),  # 1 phone (private MAC)
        dict(link="eth", cmac=mac("24:0a:c4:7d:3e:91"), gmac=router),  # 2 camera
    ]
    cap = Cap2(fname, epoch(2025, 3, 18, 9, 40, 11), ifaces, fmt="pcap")
    laptop = Ctx2(cap, 1901, cip="192.168.1.34", cip6="2a02:8108:1a80:3c00:5d2e:91ff:4c07:a3e1", cos="linux", cttl=64, iface=0,
                  resolver="192.168.1.1", rttl=64, dns_rtt=0.011)
    phone = Ctx2(cap, 1902, cip="192.168.1.41", cos="mac", cttl=64, iface=1, resolver="192.168.1.1", rttl=64, dns_rtt=0.013)
    cam = LwipCtx(cap, 1903, cip="192.168.1.50", cos="lwip", cttl=255, iface=2, resolver="192.168.1.1", rttl=64, dns_rtt=0.009,
                  mss4=1436, ports=(1024, 65535))
    rng = cam.rng
    CAM_SNI = "ingest.eu.vistacam-cloud.com"
    CAM_IP = "3.120.181.40"
    STTL, RTT = 47, 0.0312

    # ---- camera, first boot session: the capture starts with the camera already up
    cam.gid = 1187  # IP-ID counter of a stack that has been up for a while
    t = 2.214
    ta = cam.lookup(t, CAM_SNI, chain(CAM_SNI, [], [CAM_IP], 60, 60), aaaa=False, tag="camdnsA")
    A = LwipFlow(cam, CAM_IP, 443, RTT, STTL, sport=49153, sos="linuxsrv", cmss=1436)
    t = A.handshake(ta + 0.004, "camA")
    ch, sid = embedded_client_hello(rng, CAM_SNI)
    t = A.send_c(t + 0.0021, ch, "camAch")
    t = A.bulk(t + A.owd + 0.0012, server_flight(rng, sid, 2950), rate=40e6, t_limit=1e9, tag="camAsh", final_ack=True)
    t = A.send_c(t + 0.0183, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36), "camAfin")
    A.s(t + RTT, "A")
    # periodic status reports and one motion clip upload
    tt = t + 0.9
    for k in range(5):
        if k == 3:
            data = app_stream(rng, 14200, first=4096)
            tt2 = tt
            off = 0
            while off < len(data):  # window-limited: 4 segments, wait for the ACK
                for _ in range(4):
                    if off >= len(data):
                        break
                    chunk = data[off:off + A.seg]
                    A.c(tt2, "PA" if off + len(chunk) >= len(data) else "A", chunk)
                    off += len(chunk)
                    tt2 += 0.00035
                A.s_rcv = A.cnxt
                A.s(tt2 + RTT - 0.0003, "A")
                tt2 += RTT + 0.0004
            A.s(tt2 + 0.03, "PA", app_rec(rng, 61))  # server's JSON ack of the clip
            A.c_rcv = A.snxt
            A.c(tt2 + 0.03 + 0.0004, "A")
        else:
            A.send_c(tt, app_rec(rng, rng.randrange(180, 240)), f"camAstat{k}")
            A.s(tt + RTT + 0.0002, "A")
        tt += rng.uniform(9.6, 10.4)
    # the cloud pushes a config command the camera acknowledges
    A.s(tt - 4.1, "PA", app_rec(rng, 103), tag="camAcmd")
    A.c_rcv = A.snxt
    A.c(tt - 4.1 + 0.0005, "A")
    t_boot = tt - 3.2  # watchdog reboot: the stack vanishes without a FIN or RST
    # the cloud pushes a second command into the void; Linux RTO backoff
    tpush = t_boot + 2.31
    push = app_rec(rng, 73)
    seq_push = A.snxt
    A.s(tpush, "PA", push, tag="camApush")
    rto = 0.232
    tr = tpush
    for i in range(4):
        tr += rto
        A.s(tr, "PA", push, seq=seq_push, tag=f"camArtx{i}")
        rto *= 2
    # ---- camera boots again: DHCP, DNS, and the SYN from the same first ephemeral port
    tb = tr + 0.86
    cam.gid = 0
    for i, fr in enumerate(dhcp_frames(mac("24:0a:c4:7d:3e:91"), router, 0x5A3C07E2, "192.168.1.50", "192.168.1.1", 0, "ipcam-7d3e91")):
        cap.add_frame(tb + [0, 0.0041, 0.0085, 0.0118][i], fr, 2, f"camdhcp{i}")
        if i in (0, 2):
            cam.next_id()
    tb += 0.52
    ta = cam.lookup(tb, CAM_SNI, chain(CAM_SNI, [], [CAM_IP], 60, 60), aaaa=False, tag="camdnsB")
    B = LwipFlow(cam, CAM_IP, 443, RTT, STTL, sport=49153, sos="linuxsrv", cmss=1436)
    tsyn = ta + 0.0035
    B.c(tsyn, "S", tag="camBsyn1")
    # the server still holds connection A in ESTABLISHED: RFC 5961 4.2 challenge ACK on A's numbers
    A.s(tsyn + RTT, "A", tag="camAchallenge")
    # lwIP in SYN-SENT answers an unacceptable ACK with RST (seq = its ack field), window TCP_WND
    B.c(tsyn + RTT + 0.00021, "RA", seq=A.s_rcv, ack=A.snxt, win=5744, tag="camBrst")
    # lwIP's initial RTO is 3 s: the SYN is sent again; connection A is gone, the server answers
    B.c(tsyn + 3.0, "S", seq=B.ciss, tag="camBsyn2")
    B.c_rcv = B.siss + 1
    B.s_rcv = B.ciss + 1
    B.s(tsyn + 3.0 + RTT, "SA", tag="camBsynack")
    t = tsyn + 3.0 + RTT + 0.0002
    B.c(t, "A")
    ch, sid = embedded_client_hello(rng, CAM_SNI)
    t = B.send_c(t + 0.0024, ch, "camBch")
    t = B.bulk(t + B.owd + 0.0011, server_flight(rng, sid, 2950), rate=40e6, t_limit=1e9, tag="camBsh", final_ack=True)
    t = B.send_c(t + 0.0179, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36), "camBfin")
    B.s(t + RTT, "A")
    tt = t + 0.7
    for k in range(3):
        B.send_c(tt, app_rec(rng, rng.randrange(180, 260)), f"camBstat{k}")
        B.s(tt + RTT + 0.0002, "A")
        if k == 0:
            B.s(tt + RTT + 0.041, "PA", app_rec(rng, 73), tag="camBcmd")  # the pending command is re-sent on the new session
            B.c_rcv = B.snxt
            B.c(tt + RTT + 0.0415, "A")
        tt += rng.uniform(9.6, 10.4)
    t_end = tt

    # ---- ordinary visits by the laptop and the phone
    names_l = ["en.wikipedia.org", "github.com", "www.google.com", "www.bbc.co.uk", "stackoverflow.com", "news.ycombinator.com",
               "docs.python.org", "www.debian.org", "fonts.gstatic.com", "neverssl.com", "www.openstreetmap.org"]
    names_p = ["www.reddit.com", "www.youtube.com", "www.theguardian.com", "duckduckgo.com", "www.lemonde.fr", "api.weather.gov"]
    check_names(names_l + names_p)
    n = background(laptop, 1.0, t_end - 3, names_l, 11, v6frac=0.4)
    n += background(phone, 3.0, t_end - 3, names_p, 6, profile="chrome")

    cap.write(os.path.join(outdir, fname))
    F = cap.frame
    note = (
        f"Home-router LAN capture (Ethernet) with a laptop (192.168.1.34), a phone (192.168.1.41) and an IP camera "
        f"(192.168.1.50, Espressif MAC 24:0a:c4:7d:3e:91, lwIP-style stack: TTL 255, DF clear, MSS-only SYN, 5744-byte window, one "
        f"global IP-ID counter). {n} ordinary visits (DNS, HTTPS, HTTP/3, HTTP) by laptop and phone all complete. "
        f"The camera holds a TLS session to {CAM_SNI} ({CAM_IP}:443) from source port 49153 (SYN frame {F('camAsyn')}, "
        f"SYN/ACK TTL {STTL}, ClientHello frame {F('camAch')}, status records, a clip upload, a command at frame {F('camAcmd')}). The camera then reboots "
        f"silently (watchdog; no FIN/RST): the server's next command (frame {F('camApush')}) is retransmitted 4 times with Linux RTO "
        f"backoff (frames {F('camArtx0')}-{F('camArtx3')}) and never ACKed. The camera comes back: DHCP DISCOVER/OFFER/REQUEST/ACK "
        f"(frames {F('camdhcp0')}-{F('camdhcp3')}, hostname ipcam-7d3e91, IP ID restarted at 0), a DNS lookup of {CAM_SNI} "
        f"(same answer {CAM_IP}), and a SYN (frame {F('camBsyn1')}) from the SAME first ephemeral port 49153 - an identical 5-tuple. "
        f"The server still has the old connection ESTABLISHED, so it answers the SYN with an RFC 5961 section 4.2 challenge ACK "
        f"(frame {F('camAchallenge')}) whose seq/ack are exactly the old connection's numbers (seq = end of the unacknowledged "
        f"command, ack = the camera's last byte) and whose IP ID continues the old connection's server counter, TTL {STTL}. The camera, "
        f"in SYN-SENT, answers that unacceptable ACK with RST+ACK (frame {F('camBrst')}, from the camera's MAC, TTL 255, "
        f"seq = the challenge ACK's ack, window 5744 as lwIP does), which tears down the stale server connection. lwIP's 3 s "
        f"initial RTO re-sends the same SYN (frame {F('camBsyn2')}, same ISN), the server answers (frame {F('camBsynack')}, "
        f"TTL {STTL}), the same SNI handshake completes (ClientHello frame {F('camBch')}) and the camera reports normally until the end. "
        f"What looks like censorship: a per-5-tuple tracker merges two connections: a ClientHello for {CAM_SNI}, data "
        f"retransmitted unanswered for ~3.5 s (blackhole look-alike), a second SYN answered by a bare ACK whose numbers do not match "
        f"it, a RST, a 3 s SYN gap, then data again after the RST (RST-then-data race look-alike). Why it is not: every packet "
        f"claiming to be the server carries TTL {STTL} and a consistent IP-ID sequence; the only RST comes from the camera's own "
        f"MAC/TTL 255 and matches RFC 793/5961 half-open recovery; the DHCP exchange and IP-ID reset prove the reboot; the same "
        f"name and server work right after. No injection, no blocking.")
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)


# ----------------------------------------------------------------------------
# capture 2: several subscribers behind one CGNAT address; one gets its own idle-timeout RST
# ----------------------------------------------------------------------------


def persistent_tls(ctx, t, sip, sni, rtt, sttl, tag, profile="chrome", sport=None):
    """A push/chat connection: handshake, ClientHello, server flight, client Finished + HTTP/2
    preface/SETTINGS/subscribe request, server reply.  Returns (flow, time)."""
    rng = ctx.rng
    fl = ctx.flow_class(ctx, sip, 443, rtt, sttl, sport=sport)
    t = fl.handshake(t, tag)
    ch, sid = K.client_hello(rng, sni, ("h2", "http/1.1"), profile)
    t = fl.send_c(t + rng.uniform(0.0004, 0.0012), ch, tag + "ch")
    t = fl.bulk(t + fl.owd + 0.0011, server_flight(rng, sid, 3300), rate=60e6, t_limit=1e9, tag=tag + "sh", final_ack=False)
    t = fl.send_c(max(t, fl.last_arr) + 0.0026, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 63) + app_rec(rng, 310), tag + "req")
    fl.s_rcv = fl.cnxt
    t = fl.bulk(t + fl.owd + 0.021, app_rec(rng, 230) + app_rec(rng, 38) + app_rec(rng, 1450), rate=60e6, t_limit=1e9, tag=tag + "resp")
    return fl, t


def server_push(fl, t, n, tag=None):
    """The server pushes one small record; the client ACKs it (delayed ACK)."""
    fl.s(t, "PA", app_rec(fl.ctx.rng, n), tag=tag)
    fl.c_rcv = fl.snxt
    fl.c(t + 0.04, "A")
    return t + 0.04


def client_msg(fl, t, n, tag=None):
    fl.send_c(t, app_rec(fl.ctx.rng, n), tag)
    fl.s(t + fl.rtt + 0.0001, "A")
    return t + fl.rtt


def cap2_cgnat(outdir):
    fname = "cgnat_shared_addr_nlb_idle_rst_vlan.pcapng"
    ifaces = [dict(link="vlan", vlan=3001, pcp=0, cmac=mac("00:1b:21:d4:7a:30"), gmac=mac("84:b8:02:6c:11:c5"), name="enp65s0f1", tsresol=6,
                   os="Linux 6.1.0-28-amd64")]
    cap = Cap2(fname, epoch(2025, 4, 2, 18, 12, 40), ifaces, fmt="pcapng", shb=dict(hw="x86_64", os="Linux 6.1.0-28-amd64", app="Dumpcap (Wireshark) 4.0.17"))
    PUB = "185.76.9.130"
    RES = "80.69.96.12"
    # subscribers sharing PUB: port blocks, TTL after the CGNAT hop (and a tethering NAT for the laptop)
    s1 = Ctx2(cap, 2901, cip=PUB, cos="linux", cttl=63, resolver=RES, rttl=61, dns_rtt=0.006, ports=(20480, 20992), mss4=1400)
    s2 = Ctx2(cap, 2902, cip=PUB, cos="mac", cttl=63, resolver=RES, rttl=61, dns_rtt=0.006, ports=(33792, 34304), mss4=1400)
    s3 = Ctx2(cap, 2903, cip=PUB, cos="win", cttl=126, resolver=RES, rttl=61, dns_rtt=0.006, ports=(47104, 47616), mss4=1360, global_id=31877)
    s4 = Ctx2(cap, 2904, cip=PUB, cos="linux", cttl=63, resolver="8.8.8.8", rttl=121, dns_rtt=0.009, ports=(52224, 52736), mss4=1400)
    SNI, SIP, STTL, RTT = "push.orbitchat.io", "52.29.113.18", 45, 0.0284
    ans = chain(SNI, ["orbitchat-push-nlb-3f1c7e.elb.eu-central-1.amazonaws.com"], [SIP, "18.192.40.211"], 300, 60)
    rng = s1.rng

    # subscriber 1 (Android): long-lived push connection
    t = s1.lookup(4.112, SNI, ans, chain(SNI, ["orbitchat-push-nlb-3f1c7e.elb.eu-central-1.amazonaws.com"], [], 300, 60), tag="s1dns")
    A, t = persistent_tls(s1, t + 0.002, SIP, SNI, RTT, STTL, "s1A")
    t = server_push(A, t + 11.37, 190)
    t = client_msg(A, t + 4.2, 120)
    t = server_push(A, t + 0.7, 410)
    t_last = t
    t_hb = t_last + 360.43  # next heartbeat after Doze: 360 s of silence on this 5-tuple
    # subscriber 3 (Windows laptop behind the phone's hotspot) opens its own connection to the same service
    C, tC = persistent_tls(s3, t_hb - 0.0091, SIP, SNI, RTT + 0.0031, STTL, "s3C", profile="chrome")
    # the heartbeat; the NLB forgot the flow after its 350 s idle timeout and answers with a RST
    A.send_c(t_hb, app_rec(rng, 21), "s1Ahb")
    rst = IP(src=SIP, dst=PUB, ttl=STTL, id=0, flags="DF") / TCP(sport=443, dport=A.sport, seq=A.c_rcv & 0xFFFFFFFF, ack=0, flags="R", window=0)
    cap.add(t_hb + RTT + 0.00012, rst, False, 0, "s1Arst")
    # the app reconnects at once from a new port of the same block: works
    B, t = persistent_tls(s1, t_hb + RTT + 0.21, SIP, SNI, RTT, STTL, "s1B")
    t = server_push(B, t + 2.6, 260, "s1Bpush")
    t = client_msg(B, t + 1.9, 140)
    t = server_push(C, tC + 5.3, 300)
    t = client_msg(C, t + 3.3, 95)
    # subscriber 2 (iPhone) uses the same service in the middle of the capture
    t = s2.lookup(181.4, SNI, ans, [], tag="s2dns")
    D, t = persistent_tls(s2, t + 0.002, SIP, SNI, RTT - 0.0012, STTL, "s2D", profile="firefox")
    t = server_push(D, t + 8.1, 170)
    t = client_msg(D, t + 20.4, 88)
    t_end = t_hb + 14.0
    D.close_client(t + 14.2)

    names1 = ["www.youtube.com", "www.google.com", "www.reddit.com", "fonts.gstatic.com"]
    names2 = ["www.bbc.co.uk", "en.wikipedia.org", "api.weather.gov", "www.theguardian.com"]
    names3 = ["github.com", "stackoverflow.com", "docs.python.org", "www.mozilla.org", "duckduckgo.com", "www.heise.de"]
    names4 = ["www.lemonde.fr", "news.ycombinator.com", "www.cloudflare.com", "neverssl.com"]
    check_names(names1 + names2 + names3 + names4)
    n = background(s1, 20.0, t_end - 5, names1, 4, profile="chrome")
    n += background(s2, 8.0, t_end - 5, names2, 4)
    n += background(s3, 30.0, t_end - 5, names3, 6, profile="chrome")
    n += background(s4, 12.0, t_end - 5, names4, 4, profile="chrome")
    cap.write(os.path.join(outdir, fname))
    F = cap.frame
    idle = t_hb - t_last
    gap = cap.rel("s1Arst") - cap.rel("s3Cch")
    note = (
        f"Capture on the outside VLAN (802.1Q 3001, pcapng) of a mobile carrier's CGNAT: every subscriber appears as {PUB}. "
        f"Four subscribers are distinguishable by port block and stack: 20480-20991 Android (TTL 63, TCP timestamps), 33792-34303 "
        f"iPhone (TTL 63, mac-style options, random IP IDs), 47104-47615 a Windows laptop tethered to a phone (TTL 126, no "
        f"timestamps, one global IP-ID counter), 52224-52735 another Android using 8.8.8.8. {n} ordinary visits plus several "
        f"connections to {SNI} ({SIP}, an AWS Network Load Balancer: the DNS answer CNAMEs to *.elb.eu-central-1.amazonaws.com), "
        f"all with server TTL {STTL}. Subscriber 1 opens a push connection at {cap.tstr('s1Asyn')} s (frame {F('s1Asyn')}, "
        f"ClientHello frame {F('s1Ach')}), exchanges a few records, then stays silent for {idle:.1f} s (Android Doze) - longer than "
        f"the NLB's fixed 350 s TCP idle timeout, after which the NLB silently forgets the flow. The next heartbeat record "
        f"(frame {F('s1Ahb')}, t={cap.tstr('s1Ahb')} s) is answered one RTT later by a single RST (frame {F('s1Arst')}): "
        f"flags R only, seq = exactly the ack number of the heartbeat (RFC 793 reset for a segment of an unknown connection), "
        f"window 0, TTL {STTL} like every other packet from {SIP}, no data before or after it. AWS documents this behaviour "
        f"(a client that sends after the idle timeout receives a TCP RST). Subscriber 1's app reconnects from a new port of its "
        f"block 0.21 s later (SYN frame {F('s1Bsyn')}, ClientHello frame {F('s1Bch')}, same SNI) and works for the rest of the capture. "
        f"What looks like censorship: seen per address pair ({PUB} <-> {SIP}:443), a ClientHello for {SNI} at frame {F('s3Cch')} "
        f"(subscriber 3, a different host that opened its own connection 9 ms before the heartbeat) is followed {gap * 1000:.1f} ms later by a "
        f"RST from the server address, while other connections to the same server succeed - the classic SNI-RST-with-control "
        f"shape; a tracker keyed on (client IP, server IP, port) also sees a RST followed by new traffic. Why it is not: the RST "
        f"belongs to subscriber 1's {(cap.rel('s1Arst') - cap.rel('s1Asyn')) / 60:.0f}-minute-old 5-tuple (port {A.sport}), follows that flow's own data after 360 s of silence, "
        f"matches the heartbeat's ack exactly, has the server's TTL and win 0; subscriber 3's connection on port {C.sport} is "
        f"never reset and completes its handshake (ServerHello right after); the same SNI succeeds from the same public address "
        f"before and after, with no residual effect. No injection, no blocking.")
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)


# ----------------------------------------------------------------------------
# capture 3: large DNS answers as IPv4 / IPv6 fragments; a truncated UDP answer retried over TCP
# ----------------------------------------------------------------------------

QTN = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "TXT": 16, "AAAA": 28, "RRSIG": 46, "DNSKEY": 48}


def dnsb(txid, flags, qname, qtype, an=(), ns=(), ar=(), edns=None, do=False):
    """DNS message with compression.  rdata: bytes (raw), ("name", n) for CNAME/NS, ("a", ip),
    ("aaaa", ip), ("rrsig", covered, alg, labels, ottl, exp, inc, tag, signer, sig)."""
    hdr = struct.pack("!HHHHHH", txid, flags, 1, len(an), len(ns), len(ar) + (1 if edns else 0))
    out = bytearray(hdr)
    table = {}

    def name(n, compress=True):
        labels = n.rstrip(".").split(".")
        for i in range(len(labels)):
            suf = ".".join(labels[i:]).lower()
            if compress and suf in table:
                out.extend(struct.pack("!H", 0xC000 | table[suf]))
                return
            if len(out) < 0x3FFF:
                table.setdefault(suf, len(out))
            lb = labels[i].encode()
            out.extend(bytes([len(lb)]) + lb)
        out.append(0)

    name(qname)
    out.extend(struct.pack("!HH", QTN[qtype], 1))
    for sec in (an, ns, ar):
        for n, ty, ttl, rd in sec:
            name(n)
            out.extend(struct.pack("!HHI", QTN[ty], 1, ttl))
            pos = len(out)
            out.extend(b"\0\0")
            if isinstance(rd, bytes):
                out.extend(rd)
            elif rd[0] == "name":
                name(rd[1])
            elif rd[0] == "a":
                out.extend(ipaddress.IPv4Address(rd[1]).packed)
            elif rd[0] == "aaaa":
                out.extend(ipaddress.IPv6Address(rd[1]).packed)
            elif rd[0] == "soa":
                name(rd[1])
                name(rd[2])
                out.extend(struct.pack("!IIIII", *rd[3:8]))
            elif rd[0] == "rrsig":
                _, cov, alg, labels, ottl, exp, inc, tag, signer, sig = rd
                out.extend(struct.pack("!HBBIIIH", QTN[cov], alg, labels, ottl, exp, inc, tag))
                name(signer, compress=False)
                out.extend(sig)
            struct.pack_into("!H", out, pos, len(out) - pos - 2)
    if edns:
        out.extend(b"\x00" + struct.pack("!HHIH", 41, edns, 0x8000 if do else 0, 0))
    return bytes(out)


def txt_rd(*strings):
    out = b""
    for st in strings:
        b = st.encode()
        out += bytes([len(b)]) + b
    return out


def rsa_dnskey(rng, flags):
    mod = bytes([rng.randrange(0x80, 0x100)]) + rng.randbytes(255)
    return struct.pack("!HBB", flags, 3, 8) + b"\x03\x01\x00\x01" + mod


def cap3_dns_frag(outdir):
    fname = "dns_large_answers_fragments_tc_tcp_retry_sll2.pcap"
    ifaces = [dict(link="sll2", cmac=mac("52:54:00:3a:9c:17"), gmac=mac("00:0c:29:8e:41:02"), ifindex=2)]
    cap = Cap2(fname, epoch(2025, 5, 6, 14, 3, 27), ifaces, fmt="pcap", nsec=True)
    CIP, CIP6 = "10.44.7.23", "2a0a:e5c0:12:7::23"
    RES, RES6 = "10.44.0.53", "2a0a:e5c0:12::53"
    ctx = Ctx2(cap, 3901, cip=CIP, cip6=CIP6, cos="linux", cttl=64, resolver=RES, resolver6=RES6, rttl=63, dns_rtt=0.0009)
    rng = ctx.rng
    ZONE = "nordwind-logistik.de"
    t0 = epoch(2025, 5, 6, 0, 0, 0)  # signature validity anchored near the capture date
    exp, inc = t0 + 14 * 86400, t0 - 16 * 86400
    ktag_zsk, ktag_ksk, ktag_zsk2 = 40213, 11752, 6120
    notes = {}

    def udp_exchange(t, v6, qmsg, rmsg, tag, frag=None, sport=None, owd=0.00045):
        src, dst = (CIP6, RES6) if v6 else (CIP, RES)
        sport = sport or ctx.port()
        fl = rng.getrandbits(20)
        q = mk_ip(src, dst, 64, rng.randrange(65536), True, fl) / UDP(sport=sport, dport=53) / Raw(qmsg)
        cap.add(t, q, True, 0, tag + "q")
        ta = t + 2 * owd + rng.uniform(0.0001, 0.0004)
        if not frag:
            r = mk_ip(dst, src, 63, rng.randrange(65536), False, rng.getrandbits(20)) / UDP(sport=53, dport=sport) / Raw(rmsg)
            cap.add(ta, r, False, 0, tag + "r")
            return ta, sport
        if v6:
            r = IPv6(src=dst, dst=src, hlim=63, fl=0) / IPv6ExtHdrFragment(id=rng.getrandbits(32)) / UDP(sport=53, dport=sport) / Raw(rmsg)
            frs = fragment6(r, 1280)
        else:
            r = IP(src=dst, dst=src, ttl=63, id=rng.randrange(65536), flags=0) / UDP(sport=53, dport=sport) / Raw(rmsg)
            frs = fragment(r, fragsize=1480)
        for i, f in enumerate(frs):
            cap.add(ta + i * 0.000012, f, False, 0, f"{tag}r{i}")
        return ta + 0.000012 * (len(frs) - 1), sport

    # ---- E1: dig (BIND 9.11, EDNS 4096, DO) TXT for a domain with many verification strings; IPv4 answer in 2 fragments
    txts = [
        "v=spf1 ip4:91.198.174.0/24 ip4:185.23.96.0/22 include:_spf.google.com include:spf.protection.outlook.com include:mail.zendesk.com include:servers.mcsv.net include:_spf.salesforce.com -all",
        "google-site-verification=6QzTxbm0Rk3v1Y2eHn8cJpWq4uLdA7sGfKoE9iBVhXM",
        "google-site-verification=Yh1Lw9cNq2x5TbR8uMz3VjK0pDsE6aFgHiOtYrWnCe4",
        "MS=ms48207315",
        "docusign=3b2f7a1c-88e4-4d0b-9c61-5e7f2a9d0b14",
        "atlassian-domain-verification=Qb7c1nVxZ2LkT9pR4sWm6yJ0dHfE3gA8uKoIiN5/tXcYvB1rM7qS2wL9eD0jF4h",
        "facebook-domain-verification=k3n9x0w7q2v5z8b1m4c6l0p3r7t2y9",
        "apple-domain-verification=Rq4mZ8tY1wXk5NbV",
        "adobe-idp-site-verification=7f3e9c2a-51d8-4b6e-a0f4-2c8d1e9b7a63",
        "globalsign-domain-verification=Jx2_kQ8nVr5mT1wZ9pLc3bYf6sHd0uEa4gRiOtKyN7",
        "stripe-verification=0d7e4b2c9a1f3e8d5c6b7a0f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d",
        "zoom-domain-verification=a41c7e2f-90b3-4d58-8e6a-1f2c3b4d5e6f",
        "cisco-ci-domain-verification=9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d",
        "onetrust-domain-verification=1e9f4c7a2b5d48e0a3c6f1b4d7e0a2c5",
        "teamviewer-sso-verification=5c2e8f1a7b4d4c9e8a3f6b1d0e7c2a94",
        "miro-verification=0f3a6c9e2b5d8f1a4c7e0b3d6f9a2c5e8b1d4f7a",
    ]
    an = [(ZONE, "TXT", 3600, txt_rd(x)) for x in txts]
    sig1 = rng.randbytes(256)
    an.append((ZONE, "RRSIG", 3600, ("rrsig", "TXT", 8, 2, 3600, exp, inc, ktag_zsk, ZONE, sig1)))
    txid = rng.randrange(65536)
    q1 = dnsb(txid, 0x0120, ZONE, "TXT", edns=4096, do=True)
    r1 = dnsb(txid, 0x81A0, ZONE, "TXT", an=an, edns=4096, do=True)
    t, _ = udp_exchange(3.412, False, q1, r1, "e1", frag=True)
    notes["e1len"] = len(r1)
    # ---- E2: the same tool over IPv6, DNSKEY during a ZSK rollover (three RSA keys + 2 RRSIGs); BIND fragments at 1280
    an = [(ZONE, "DNSKEY", 3600, rsa_dnskey(rng, 257)), (ZONE, "DNSKEY", 3600, rsa_dnskey(rng, 256)), (ZONE, "DNSKEY", 3600, rsa_dnskey(rng, 256)),
          (ZONE, "RRSIG", 3600, ("rrsig", "DNSKEY", 8, 2, 3600, exp, inc, ktag_ksk, ZONE, rng.randbytes(256))),
          (ZONE, "RRSIG", 3600, ("rrsig", "DNSKEY", 8, 2, 3600, exp, inc, ktag_zsk2, ZONE, rng.randbytes(256)))]
    txid = rng.randrange(65536)
    q2 = dnsb(txid, 0x0120, ZONE, "DNSKEY", edns=4096, do=True)
    r2 = dnsb(txid, 0x81A0, ZONE, "DNSKEY", an=an, edns=4096, do=True)
    t, _ = udp_exchange(9.877, True, q2, r2, "e2", frag=True)
    notes["e2len"] = len(r2)

    # ---- E3: glibc (no EDNS, 512-byte limit) A+AAAA for a round-robin name; A answer truncated, retried over TCP
    NAME = "downloads.mirrorpool.net"
    CN = "rr-eu.mirrorpool-geo.net"
    addrs = [f"195.201.{x}.{y}" for x, y in sorted({(rng.choice([68, 69, 70]), rng.randrange(2, 250)) for _ in range(29)})][:28]
    addrs6 = [f"2a01:4f8:13b:{rng.randrange(0x1000, 0xffff):x}::{rng.randrange(2, 0xfff):x}" for _ in range(4)]
    full_a = [(NAME, "CNAME", 300, ("name", CN))] + [(CN, "A", 60, ("a", a)) for a in addrs]
    full_6 = [(NAME, "CNAME", 300, ("name", CN))] + [(CN, "AAAA", 60, ("aaaa", a)) for a in addrs6]
    ida, id6 = rng.randrange(65536), rng.randrange(65536)
    qa, q6 = dnsb(ida, 0x0100, NAME, "A"), dnsb(id6, 0x0100, NAME, "AAAA")
    ra_full, r6_full = dnsb(ida, 0x8180, NAME, "A", an=full_a), dnsb(id6, 0x8180, NAME, "AAAA", an=full_6)
    assert len(ra_full) > 512 and len(r6_full) <= 512
    ra_tc = dnsb(ida, 0x8380, NAME, "A", an=full_a[:1])  # TC: only the CNAME RRset fits
    notes.update(alen=len(ra_full), tclen=len(ra_tc), na=len(addrs))
    tq = 14.203
    sport = ctx.port()
    qid = rng.randrange(65536)
    cap.add(tq, IP(src=CIP, dst=RES, ttl=64, id=qid, flags="DF") / UDP(sport=sport, dport=53) / Raw(qa), True, 0, "e3qA")
    cap.add(tq + 0.000041, IP(src=CIP, dst=RES, ttl=64, id=qid + 1, flags="DF") / UDP(sport=sport, dport=53) / Raw(q6), True, 0, "e3qAAAA")
    cap.add(tq + 0.00097, IP(src=RES, dst=CIP, ttl=63, id=rng.randrange(65536), flags=0) / UDP(sport=53, dport=sport) / Raw(r6_full), False, 0, "e3rAAAA")
    cap.add(tq + 0.00104, IP(src=RES, dst=CIP, ttl=63, id=rng.randrange(65536), flags=0) / UDP(sport=53, dport=sport) / Raw(ra_tc), False, 0, "e3rAtc")
    # glibc switches to TCP and re-sends both queries (same IDs) on one connection
    fl = ctx.flow_class(ctx, RES, 53, 0.0009, 63, sos="linuxsrv")
    t = fl.handshake(tq + 0.00121, "e3tcp")
    t = fl.send_c(t + 0.00002, u16(len(qa)) + qa + u16(len(q6)) + q6, "e3tcpq")
    t += fl.owd + 0.0003
    fl.s(t, "PA", u16(len(ra_full)) + ra_full, tag="e3tcprA")
    fl.s(t + 0.00004, "PA", u16(len(r6_full)) + r6_full, tag="e3tcprAAAA")
    fl.c_rcv = fl.snxt
    fl.c(t + 0.00006, "A")
    t = fl.close_client(t + 0.00011, alert=False)
    # the download from the first address works
    fl2, t = ctx.https(t + 0.0009, addrs[0], NAME, 0.0213, 54, resp=640000, rate=80e6, tag="e3dl", cert=3900)
    notes["dlip"] = addrs[0]

    # ---- E4: a second TXT lookup of the same name 40 s later, answered from cache; again two fragments
    txid = rng.randrange(65536)
    q4 = dnsb(txid, 0x0120, ZONE, "TXT", edns=4096, do=True)
    an = [(ZONE, "TXT", 3559, txt_rd(x)) for x in txts]
    an.append((ZONE, "RRSIG", 3559, ("rrsig", "TXT", 8, 2, 3600, exp, inc, ktag_zsk, ZONE, sig1)))
    r4 = dnsb(txid, 0x81A0, ZONE, "TXT", an=an, edns=4096, do=True)
    udp_exchange(44.52, False, q4, r4, "e4", frag=True)

    names = ["en.wikipedia.org", "github.com", "www.google.com", "docs.python.org", "www.debian.org", "packages.ubuntu.com",
             "stackoverflow.com", "www.openstreetmap.org", "fonts.gstatic.com", "www.heise.de", "neverssl.com", "www.cloudflare.com"]
    check_names(names)
    n = background(ctx, 1.0, 58.0, names, 12, v6frac=0.5)
    cap.write(os.path.join(outdir, fname))
    F = cap.frame
    note = (
        f"Linux workstation (capture 'any' device, Linux SLL2, nanosecond pcap) using the office resolver {RES} / {RES6} "
        f"(a BIND 9.11-era server, IP TTL/hop limit 63, EDNS and max-udp-size 4096). {n} ordinary visits (glibc A+AAAA lookups, "
        f"HTTPS, HTTP/3, HTTP) complete. Three ordinary large-answer cases: "
        f"(1) frames {F('e1q')}-{F('e1r1')}: dig from BIND 9.11 (EDNS 4096, DO and AD set) asks TXT {ZONE}; the validated answer "
        f"(flags 0x81a0, 16 TXT strings - SPF and SaaS verification tokens - plus their RRSIG) is {notes['e1len']} bytes of DNS, so "
        f"the resolver's kernel sends it as two IPv4 fragments (frames {F('e1r0')} MF=1 offset 0, {F('e1r1')} offset 1480, same IP ID, "
        f"DF clear, TTL 63); the same query repeated at frames {F('e4q')}-{F('e4r1')} is again two fragments with decremented "
        f"record TTLs (cache). (2) frames {F('e2q')}-{F('e2r1')}: the same tool over IPv6 asks DNSKEY {ZONE} during a ZSK rollover "
        f"(3 RSA keys, 2 RRSIGs, {notes['e2len']} bytes); BIND uses the IPv6 minimum MTU, so the answer arrives as two fragments "
        f"with a Fragment header (first fragment 1280 bytes on the wire). (3) frames {F('e3qA')}-{F('e3tcprAAAA')}: glibc's stub "
        f"(no EDNS, 512-byte limit) sends A and AAAA for {NAME} from one UDP socket; the AAAA answer fits, the A answer "
        f"({notes['alen']} bytes with {notes['na']} A records) does not, so the resolver returns TC=1 with only the CNAME RRset "
        f"(frame {F('e3rAtc')}, {notes['tclen']} bytes, no A record); glibc re-sends both queries with the SAME IDs over TCP to "
        f"the same resolver (SYN frame {F('e3tcpsyn')}) and gets the CNAME plus all {notes['na']} A records (frame {F('e3tcprA')}); "
        f"the HTTPS download from {notes['dlip']} (ClientHello frame {F('e3dlch')}) succeeds. What looks like censorship: a "
        f"non-reassembling reader sees a truncated DNS message and an orphan UDP fragment (or a query with no answer); a "
        f"per-txid matcher sees two answers to one A query for {NAME} with different contents (the first without any address) "
        f"- the DNS-race / injection shape - and a NODATA-looking first answer. Why it is not: the fragments reassemble with a "
        f"valid UDP checksum into one well-formed answer from the resolver; the first A answer has the TC bit set and is a strict "
        f"prefix of the TCP answer (same CNAME, same resolver address and TTL 63, ~1 ms apart), exactly RFC 1035/7766 truncation "
        f"and TCP retry. No forged or altered answer anywhere.")
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)


# ----------------------------------------------------------------------------
# capture 4: retransmissions re-packetized by a BSD stack; reordering over a multipath tunnel
# ----------------------------------------------------------------------------

def xfer(fl, t0, data, start=0, rate=60e6, iw=10, delay=None, spurious=(), tag=None, psh_every=65536):
    """Server->client transfer of data[start:] (offsets relative to fl.snxt - start).
    delay: {segment index: extra one-way delay} (reordering on the path); spurious: indices
    whose late arrival makes the sender fast-retransmit them (3 SACKed dupacks seen before the
    hole filled).  The receiver ACKs every second in-order segment, immediately with SACK when
    out of order, and with a D-SACK block for a duplicate.  Returns (end time, info)."""
    rng = fl.ctx.rng
    delay = delay or {}
    base = fl.snxt - start
    mss = fl.seg
    segs = []
    off = start
    while off < len(data):
        n = min(mss, len(data) - off)
        segs.append((off, n))
        off += n
    deps, i, r, tr = [], 0, 0, t0
    while i < len(segs):
        n = min(iw * 2 ** r, 400)
        acc = 0.0
        for _ in range(n):
            if i >= len(segs):
                break
            deps.append(tr + acc)
            acc += (segs[i][1] + 80) * 8 / rate
            i += 1
        tr += max(fl.rtt, acc)
        r += 1
    ev = []
    for i, d in enumerate(deps):
        heapq.heappush(ev, (d + fl.owd + delay.get(i, 0.0), 0, i, False))
    rcv = start
    ooo = []
    pend = 0
    info = dict(rtx=[], dsack=[], ooo_acks=[], first=None, last=None)
    dup = {k: 0 for k in spurious}
    fired = set()
    last_t = t0
    seq_cnt = 1

    def ack(t, blocks=None):
        fl.c_rcv = base + rcv
        fl.c(t, "A", seq=fl.cnxt, ack=base + rcv, sack=[(base + a, base + b) for a, b in blocks] if blocks else None)

    while ev:
        t, _, i, is_rtx = heapq.heappop(ev)
        l, n = segs[i]
        rr = l + n
        psh = rr == len(data) or (l // psh_every != rr // psh_every)
        tg = None
        if tag:
            tg = f"{tag}rtx{i}" if is_rtx else (f"{tag}seg{i}" if i in delay or i == 0 else None)
        fl.s(t, "PA" if psh else "A", data[l:rr], seq=base + l, tag=tg)
        if info["first"] is None:
            info["first"] = t
        last_t = t
        ta = t + rng.uniform(0.00002, 0.00006)
        if rr <= rcv or any(a <= l and rr <= b for a, b in ooo):
            blocks = [(l, rr)] + [tuple(x) for x in ooo][:2]
            ack(ta, blocks)
            info["dsack"].append(i)
            pend = 0
        elif l == rcv:
            had = bool(ooo)
            rcv = rr
            while ooo and ooo[0][0] <= rcv:
                rcv = max(rcv, ooo.pop(0)[1])
            if had:
                ack(ta, [tuple(x) for x in ooo][:3] or None)
                pend = 0
            else:
                pend += 1
                if pend >= 2 or rcv == len(data):
                    ack(ta if pend >= 2 else t + 0.04)
                    pend = 0
        else:
            ooo.append([l, rr])
            ooo.sort()
            merged = []
            for b in ooo:
                if merged and b[0] <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b[1])
                else:
                    merged.append(list(b))
            ooo = merged
            recent = [b for b in ooo if b[0] <= l < b[1]]
            others = [tuple(b) for b in ooo if b not in recent]
            ack(ta, [tuple(x) for x in recent] + others[:2])
            info["ooo_acks"].append(i)
            pend = 0
            for k in dup:
                if k not in fired and segs[k][0] == rcv:
                    dup[k] += 1
                    if dup[k] == 3:  # third SACKed dupack: the sender marks k lost (no reordering seen yet)
                        fired.add(k)
                        info["rtx"].append(k)
                        heapq.heappush(ev, (ta + fl.rtt + rng.uniform(0.0001, 0.0004), seq_cnt, k, True))
                        seq_cnt += 1
    fl.snxt = base + len(data)
    fl.c_rcv = base + rcv
    info["last"] = last_t
    return last_t + 0.04, info


def deb_body(rng, n):
    hdr = b"!<arch>\ndebian-binary   1745321410  0     0     100644  4         `\n2.0\ncontrol.tar.xz  1745321410  0     0     100644  3676      `\n"
    return hdr + b"\xfd7zXZ\x00\x00" + rng.randbytes(n - len(hdr) - 6)


def cap4_repacketize(outdir):
    fname = "tcp_repacketized_rtx_multipath_reorder_wg_raw.pcap"
    ifaces = [dict(link="raw")]
    cap = Cap2(fname, epoch(2025, 6, 11, 20, 47, 3), ifaces, fmt="pcap", endian=">")
    CIP, CIP6 = "10.68.213.44", "fc00:bbbb:bbbb:bb01::5:d52b"
    ctx = Ctx2(cap, 4901, cip=CIP, cip6=CIP6, cos="linux", cttl=64, resolver="10.64.0.1", rttl=64, dns_rtt=0.019, mss4=1380, mss6=1360)
    rng = ctx.rng
    notes = {}

    # ---- H: apt fetches a .deb over plain HTTP from a FreeBSD mirror; RTO retransmission re-packetized
    HOST, HIP, HTTL, HRTT = "mirror.fosshost-eu.net", "194.15.36.210", 51, 0.0346
    t = ctx.lookup(2.318, HOST, chain(HOST, [], [HIP], 3600, 3600), chain(HOST, [], [], 3600, 3600), tag="hdns")
    H = Flow2(ctx, HIP, 80, HRTT, HTTL, sos="fbsd")
    t = H.handshake(t + 0.0011, "H")
    path = "/debian/pool/main/f/firefox-esr/firefox-esr_128.11.0esr-1~deb12u1_amd64.deb"
    req = (f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: Debian APT-HTTP/1.3 (2.6.1) non-interactive\r\n\r\n").encode()
    t = H.send_c(t + 0.0003, req, "Hget")
    get_ts = H.last_cts
    body = deb_body(rng, 412_337)
    hdr = (f"HTTP/1.1 200 OK\r\nServer: nginx/1.26.2\r\nDate: Wed, 11 Jun 2025 18:47:06 GMT\r\nContent-Type: application/vnd.debian.binary-package\r\n"
           f"Content-Length: {len(body)}\r\nLast-Modified: Tue, 22 Apr 2025 11:30:10 GMT\r\nConnection: keep-alive\r\nETag: \"68077de2-64ab1\"\r\n"
           f"Accept-Ranges: bytes\r\n\r\n").encode()
    resp = hdr + body
    base = H.snxt
    mss = H.seg
    # first flight: nginx writes the header block, then sendfile(): the header leaves as its own segment
    flight = [(0, len(hdr))] + [(len(hdr) + k * mss, mss) for k in range(9)]
    ts0 = t + H.owd + 0.0127 + H.owd
    for k, (l, n) in enumerate(flight):
        H.s(ts0 + k * (n + 80) * 8 / 50e6, "PA" if k == 0 else "A", resp[l:l + n], seq=base + l, tag=f"Hf{k}")
    fend = flight[-1][0] + flight[-1][1]
    # the client ACKs every second segment; these ACKs are lost on the uplink (the client's Wi-Fi
    # stalls while the laptop roams between access points), so none reaches the server
    for k in (1, 3, 5, 7, 9):
        l, n = flight[k]
        ta = ts0 + k * (n + 80) * 8 / 50e6 + 0.00004
        H.c(ta, "A", seq=H.cnxt, ack=base + l + n, tag=f"Hack{k}")
    # FreeBSD's retransmission timer fires; its byte-stream send buffer re-packetizes from snd_una:
    # one full-MSS segment carrying the header block and the first body bytes
    trto = ts0 + 0.2317
    H.last_cts = get_ts  # none of the client's ACKs arrived: the echoed timestamp is still the GET's
    H.s(trto, "A", resp[0:mss], seq=base, tag="Hrtx")
    # the client already has those bytes: immediate ACK with a D-SACK block (RFC 2883)
    H.c(trto + 0.00004, "A", seq=H.cnxt, ack=base + fend, sack=[(base, base + mss)], tag="Hdsack")
    H.snxt = base + fend
    H.s_rcv = H.cnxt
    notes["H"] = dict(hlen=len(hdr), mss=mss, fend=fend, rto=0.2317)
    t, _ = xfer(H, trto + H.rtt + 0.0002, resp, start=fend, rate=45e6, iw=2, tag=None)
    t = H.close_server(t + 4.93)  # apt keeps the connection open; the mirror's 5 s keepalive_timeout closes it

    # ---- T: IPv6 TLS download over the tunnel whose outer packets take two paths: reordering,
    # one spurious fast retransmit (identical bytes, answered with D-SACK), later reorders tolerated
    TN, TIP, TTTL, TRTT = "dl.static-assets.eu", "2a02:6ea0:c700::12", 55, 0.0221
    t = ctx.lookup(t + 1.7, TN, chain(TN, ["static-assets.b-cdn.net"], ["185.93.1.244"], 300, 300),
                   chain(TN, ["static-assets.b-cdn.net"], [TIP], 300, 300, "AAAA"), tag="tdns")
    T = Flow2(ctx, TIP, 443, TRTT, TTTL, sos="linuxsrv")
    t = T.handshake(t + 0.0009, "T")
    ch, sid = K.client_hello(rng, TN, ("h2", "http/1.1"), "chrome")
    t = T.send_c(t + 0.0006, ch, "Tch")
    t = T.bulk(t + T.owd + 0.0013, server_flight(rng, sid, 3700), rate=80e6, t_limit=1e9, final_ack=False)
    t = T.send_c(max(t, T.last_arr) + 0.0024, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 460), "Treq")
    T.s_rcv = T.cnxt
    data = b"".join(app_rec(rng, rng.randrange(230, 260)) for _ in range(2)) + app_stream(rng, 880_000)
    delay = {5: 0.00019, 23: 0.00052, 61: 0.00016, 140: 0.00047, 233: 0.00018, 402: 0.00044}
    t, info = xfer(T, t + T.owd + 0.0185, data, rate=95e6, delay=delay, spurious=(23,), tag="Tx")
    notes["T"] = dict(delay=delay, info=info)
    t = T.close_client(t + 0.8)

    # ---- Q: HTTP/3 whose first Initial is lost upstream: the client's PTO re-sends the same CRYPTO data
    t = quic_visit_pto(ctx, t + 2.1, "142.250.185.110", "www.gstatic.com", 0.0188, 117, tag="Q")

    names = ["en.wikipedia.org", "github.com", "www.google.com", "www.bbc.co.uk", "stackoverflow.com", "www.theguardian.com",
             "docs.python.org", "www.debian.org", "fonts.gstatic.com", "neverssl.com", "www.openstreetmap.org", "duckduckgo.com",
             "www.cloudflare.com", "www.lemonde.fr"]
    check_names(names)
    n = background(ctx, 0.5, t + 5, names, 14, v6frac=0.35, profile="chrome")
    cap.write(os.path.join(outdir, fname))
    F = cap.frame
    h = notes["H"]
    ti = notes["T"]["info"]
    k = ti["rtx"][0]
    note = (
        f"Capture on a laptop's WireGuard interface (wg0, LINKTYPE_RAW, big-endian pcap; commercial-VPN-style inner addresses "
        f"{CIP} and {CIP6}, tunnel MTU 1420, so MSS 1380/1360). {n} ordinary visits complete. Three kinds of innocent "
        f"'same bytes twice' traffic: "
        f"(H) apt downloads a .deb over plain HTTP from {HOST} ({HIP}, a FreeBSD/nginx mirror, TTL {HTTL}, sequential IP IDs). nginx "
        f"writes the header block and then uses sendfile(), so the response starts with a {h['hlen']}-byte segment holding only "
        f"'HTTP/1.1 200 OK...' (frame {F('Hf0')}) followed by full segments. The client's ACKs for that first flight (frames "
        f"{F('Hack1')}, {F('Hack3')}, ... {F('Hack9')}) are lost on its Wi-Fi uplink, so {h['rto'] * 1000:.0f} ms later the server's "
        f"retransmission timer fires and the BSD stack, which keeps a byte stream rather than packet boundaries, re-sends from "
        f"snd_una one full {h['mss']}-byte segment (frame {F('Hrtx')}): it starts at the same sequence number and with the same "
        f"'HTTP/1.1 200 OK' but is longer, spanning the old header segment and part of the first body segment (repacketization is "
        f"allowed by RFC 1122 4.2.2.15 / RFC 9293). Every overlapping byte is identical; the client answers at once with a D-SACK "
        f"(frame {F('Hdsack')}, SACK block below the cumulative ACK, RFC 2883) and the download continues and completes. "
        f"(T) an IPv6 TLS download from {TN} ({TIP}, hop limit {TTTL}): the tunnel's outer UDP packets are spread over two paths, "
        f"so a few segments arrive 0.16-0.52 ms late, behind their successors (segment indices {sorted(notes['T']['delay'])} of the "
        f"response, e.g. frame {F('Txseg23')}); the client SACKs each hole (Wireshark labels the late originals 'Out-Of-Order' or "
        f"'Fast Retransmission'). The first deep reorder (segment {k}) happens before the sender has seen "
        f"any reordering, so three SACKed duplicate ACKs trigger a fast retransmission of that segment (frame {F(f'Txrtx{k}')}) "
        f"that arrives ~1 RTT after the late original: identical bytes at the same sequence number, answered with a D-SACK; later "
        f"reorders do not trigger retransmissions (the sender widened its reordering window). (Q) an HTTP/3 visit to "
        f"www.gstatic.com whose first client Initial (frame {F('Qini')}) gets no answer because it was lost upstream; the client's "
        f"probe timeout re-sends the same ClientHello in a new Initial (frame {F('Qini2')}, same connection IDs, packet number 1) "
        f"and the server answers that one (frame {F('Qsini')}). What looks like censorship: two different-length HTTP responses "
        f"'at the same sequence number' (packet-injection look-alike), duplicate TLS data at one sequence number, SACK holes and "
        f"retransmissions on one flow (throttling/interference look-alike), a QUIC Initial with SNI left unanswered (blackhole "
        f"look-alike). Why it is not: overlapping bytes are identical and come from the same server (same TTL, IP-ID sequence, "
        f"TCP timestamps), each duplicate is acknowledged with a D-SACK, all transfers finish at full speed, and the QUIC server "
        f"answers the retransmitted Initial for the same name 0.3 s later. No injection, no blocking.")
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)


def quic_visit_pto(ctx, t, sip, sni, rtt, sttl, tag):
    """HTTP/3 connection whose first Initial is lost: after the PTO the client sends a second
    Initial (packet number 1) with the same CRYPTO frame; the server answers the second."""
    rng = ctx.rng
    cip = ctx.cip6 if ":" in sip else ctx.cip
    sport = ctx.port()
    dcid, scid, srv_cid = rng.randbytes(8), rng.randbytes(8), rng.randbytes(8)
    keys = initial_keys(dcid)
    ipid = rng.randrange(65536)

    def cpk(tt, payload, tg=None):
        nonlocal ipid
        ctx.cap.add(tt, mk_ip(cip, sip, ctx.cttl, ipid, True) / UDP(sport=sport, dport=443) / Raw(payload), True, ctx.iface, tg)
        ipid += 1

    def spk(tt, payload, tg=None):
        ctx.cap.add(tt, mk_ip(sip, cip, sttl, rng.randrange(65536), False) / UDP(sport=443, dport=sport) / Raw(payload), False, ctx.iface, tg)

    ch = quic_client_hello(rng, sni, scid)
    crypto = b"\x06" + vint(0) + vint(len(ch)) + ch
    cpk(t, protect_initial(keys["c"], dcid, scid, 0, crypto, pad_to=1250), tag + "ini")
    t2 = t + 0.3
    cpk(t2, protect_initial(keys["c"], dcid, scid, 1, crypto, pad_to=1250), tag + "ini2")
    ta = t2 + rtt + 0.0009
    sh = K.quic_server_hello(rng)
    sframes = b"\x02" + vint(1) + vint(3) + b"\x00" + vint(0) + b"\x06" + vint(0) + vint(len(sh)) + sh
    sinit = protect_initial(keys["s"], scid, srv_cid, 0, sframes)
    spk(ta, sinit + opaque_long(rng, 2, scid, srv_cid, 1200 - len(sinit)), tag + "sini")
    spk(ta + 0.00004, opaque_long(rng, 2, scid, srv_cid, 1200))
    spk(ta + 0.00008, opaque_long(rng, 2, scid, srv_cid, 812))
    tc = ta + 0.0041
    hs = opaque_long(rng, 2, srv_cid, scid, 90)
    cpk(tc, protect_initial(keys["c"], srv_cid, scid, 2, b"\x02" + vint(0) + vint(2) + b"\x00" + vint(0), pad_to=1250 - len(hs)) + hs)
    cpk(tc + 0.0002, short_pkt(rng, srv_cid, 96))
    cpk(tc + 0.00025, short_pkt(rng, srv_cid, 410), tag + "req")
    ts_ = tc + rtt + 0.012
    spk(ts_ - 0.003, short_pkt(rng, scid, 51))
    for i in range(34):
        spk(ts_ + i * 0.00012, short_pkt(rng, scid, 1252))
        if i % 2:
            cpk(ts_ + i * 0.00012 + 0.00003, short_pkt(rng, srv_cid, 38))
    te = ts_ + 1.3
    cpk(te, short_pkt(rng, srv_cid, 41), tag + "close")
    return te


# ----------------------------------------------------------------------------
# capture 5: a SPAN session mirroring both VLANs of a router: every packet twice, TTL - 1;
# an HTTP keep-alive race ends one connection with two ordinary RSTs
# ----------------------------------------------------------------------------


class MirrorCap(Cap2):
    """SPAN destination port fed with both the client VLAN (10) and the uplink VLAN (20) of a
    router: each routed packet is captured on its ingress VLAN and again, 1 hop later (TTL or
    hop limit - 1, router MACs), on its egress VLAN.  Records before t_start are dropped
    (the SPAN session starts while connections are already open)."""

    def __init__(self, *a, hosts=None, r10=None, r20=None, fw=None, local=None, t_start=0.0, **kw):
        super().__init__(*a, **kw)
        self.hosts, self.r10, self.r20, self.fw, self.local = hosts, r10, r20, fw, local or {}
        self.t_start = t_start

    @staticmethod
    def _ttl(ipb, delta):
        b = bytearray(ipb)
        if b[0] >> 4 == 6:
            b[7] = (b[7] + delta) & 0xFF
            return bytes(b)
        b[8] = (b[8] + delta) & 0xFF
        b[10:12] = b"\0\0"
        ihl = (b[0] & 0x0F) * 4
        sm = sum(struct.unpack(f"!{ihl // 2}H", bytes(b[:ihl])))
        while sm >> 16:
            sm = (sm & 0xFFFF) + (sm >> 16)
        b[10:12] = struct.pack("!H", (~sm) & 0xFFFF)
        return bytes(b)

    @staticmethod
    def _addrs(ipb):
        if ipb[0] >> 4 == 6:
            return str(ipaddress.IPv6Address(ipb[8:24])), str(ipaddress.IPv6Address(ipb[24:40])), 0x86DD
        return str(ipaddress.IPv4Address(ipb[12:16])), str(ipaddress.IPv4Address(ipb[16:20])), 0x0800

    def _frame(self, dst, src, vlan, et, ipb):
        fr = dst + src + struct.pack("!HHH", 0x8100, vlan, et) + ipb
        return fr + b"\0" * max(0, 64 - len(fr))

    def add(self, t, pkt, out, iface=0, tag=None):
        ipb = pkt if isinstance(pkt, bytes) else raw(pkt)
        src, dst, et = self._addrs(ipb)
        client, far = (src, dst) if out else (dst, src)
        cmac = self.hosts[client]
        fmac = self.local.get(far, self.fw)
        hop = 0.0000052 + len(ipb) * 8 / 1e9  # store-and-forward at 1 Gbit/s plus lookup
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        dns_ = int(round(hop * 1e9))
        if out:
            a = self._frame(self.r10, cmac, 10, et, ipb)
            b = self._frame(fmac, self.r20, 20, et, self._ttl(ipb, -1))
        else:
            a = self._frame(self.r20, fmac, 20, et, self._ttl(ipb, +1))
            b = self._frame(cmac, self.r10, 10, et, ipb)
            tns -= dns_  # the uplink copy was seen before the router forwarded it
        self.recs.append((tns, len(self.recs), 0, a, tag))
        self.recs.append((tns + dns_, len(self.recs), 0, b, tag and tag + "~m"))
        self._sorted = None

    def sorted(self):
        if self._sorted is None:
            lim = self.base * 1_000_000_000 + int(round(self.t_start * 1e9))
            self._sorted = sorted((r for r in self.recs if r[0] >= lim), key=lambda r: (r[0], r[1]))
        return self._sorted


def png_body(rng, n):
    """A structurally valid 256x256 RGBA PNG (IHDR, one IDAT of opaque bytes, IEND) of n bytes."""
    import zlib

    def chunk(ty, data):
        return struct.pack("!I", len(data)) + ty + data + struct.pack("!I", zlib.crc32(ty + data) & 0xFFFFFFFF)
    ihdr = chunk(b"IHDR", struct.pack("!IIBBBBB", 256, 256, 8, 6, 0, 0, 0))
    iend = chunk(b"IEND", b"")
    k = n - 8 - len(ihdr) - len(iend) - 12
    return b"\x89PNG\r\n\x1a\n" + ihdr + chunk(b"IDAT", b"\x78\xda" + rng.randbytes(k - 2)) + iend


def cap5_span(outdir):
    fname = "span_double_mirror_ttl_pairs_keepalive_race_vlan.pcapng"
    hosts = {"10.10.0.21": mac("d8:9e:f3:41:07:2c"), "10.10.0.37": mac("3c:ec:ef:02:9a:61"), "2a02:1210:5e0:a10::37": mac("3c:ec:ef:02:9a:61"),
             "10.10.0.44": mac("f0:18:98:6e:3b:d4")}
    R10, R20, FW = mac("00:1e:7a:10:00:01"), mac("00:1e:7a:20:00:01"), mac("00:50:56:aa:20:01")
    DNS, DNSMAC = "10.20.0.53", mac("00:50:56:aa:20:35")
    ifaces = [dict(link="eth", name="eno2", tsresol=9, os="Linux 6.12.22")]
    cap = MirrorCap(fname, epoch(2025, 7, 1, 7, 58, 12), ifaces, fmt="pcapng", shb=dict(os="Linux 6.12.22", app="tcpdump 4.99.5 (libpcap 1.10.5)"),
                    hosts=hosts, r10=R10, r20=R20, fw=FW, local={DNS: DNSMAC}, t_start=0.0)
    win = Ctx2(cap, 5901, cip="10.10.0.21", cos="win", cttl=128, resolver=DNS, rttl=63, dns_rtt=0.0007, global_id=20117, ports=(49152, 65535))
    lin = Ctx2(cap, 5902, cip="10.10.0.37", cip6="2a02:1210:5e0:a10::37", cos="linux", cttl=64, resolver=DNS, rttl=63, dns_rtt=0.0008)
    mbp = Ctx2(cap, 5903, cip="10.10.0.44", cos="mac", cttl=64, resolver=DNS, rttl=63, dns_rtt=0.0008, ports=(49152, 65535))
    rng = lin.rng
    notes = {}

    # ---- a macOS update download that started before the SPAN session (capture starts mid-stream)
    UP, UPIP = "swcdn.apple.com", "17.253.53.207"
    M = Flow2(mbp, UPIP, 443, 0.0112, 57, sos="cdn")
    tt = M.handshake(-1.1, "M")
    ch, sid = K.client_hello(mbp.rng, UP, ("http/1.1",), "firefox")
    tt = M.send_c(tt + 0.0008, ch)
    tt, inf = xfer(M, tt + M.owd + 0.0009, server_flight(mbp.rng, sid, 4100), rate=300e6)  # (kit bulk assumes t >= 0)
    tt = M.send_c(inf["last"] + 0.002, b"\x14\x03\x03\x00\x01\x01" + app_rec(mbp.rng, 36) + app_rec(mbp.rng, 390))
    M.s_rcv = M.cnxt
    big = app_rec(mbp.rng, 380) + app_stream(mbp.rng, 6_000_000)
    tt, _ = xfer(M, tt + M.owd + 0.004, big, rate=30e6, iw=10, tag="Mx")
    tt = M.close_client(tt + 0.11)
    notes["M_end"] = tt

    # ---- QGIS on the Linux desktop pulls map tiles over one HTTP/1.1 keep-alive connection
    HOST, HIP, STTL, RTT = "tiles.geoportal-nord.de", "193.175.92.38", 54, 0.0187
    t = lin.lookup(1.204, HOST, chain(HOST, [], [HIP], 3600, 3600), chain(HOST, [], [], 3600, 3600), tag="kdns")
    Kf = Flow2(lin, HIP, 80, RTT, STTL, sos="linuxsrv")
    t = Kf.handshake(t + 0.0008, "K")
    ua = "Mozilla/5.0 QGIS/33414/Debian GNU/Linux 12 (bookworm)"

    def tile_get(fl, t, z, x, y, tag):
        req = (f"GET /wmts/topplus_open/default/WEBMERCATOR/{z}/{y}/{x}.png HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: {ua}\r\n"
               f"Connection: keep-alive\r\nAccept-Encoding: gzip, deflate\r\nAccept-Language: de-DE,en,*\r\n\r\n").encode()
        return fl.send_c(t, req, tag)

    def tile_resp(fl, t, tag):
        body = png_body(rng, rng.randrange(6000, 24000))
        hdr = (f"HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Tue, 01 Jul 2025 05:58:{int(t) % 60:02d} GMT\r\nContent-Type: image/png\r\n"
               f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\nCache-Control: max-age=86400\r\nAccess-Control-Allow-Origin: *\r\n\r\n").encode()
        return fl.bulk(t + fl.owd + rng.uniform(0.002, 0.006), hdr + body, rate=90e6, t_limit=1e9, tag=tag)

    x0, y0 = 34652, 21197
    for i in range(6):
        t = tile_get(Kf, t + rng.uniform(0.0003, 0.004), 16, x0 + i % 3, y0 + i // 3, f"Kget{i}")
        t = tile_resp(Kf, t, f"Kresp{i}")
    t_idle0 = Kf.last_arr
    # 5 s later nginx's keepalive_timeout closes the idle connection; at the same moment the user pans
    # the map and QGIS sends the next request on the connection it still believes is open
    t_fin_arr = t_idle0 + RTT / 2 + 5.0 + RTT / 2
    t_get = t_fin_arr - 0.00061
    S = Kf.snxt
    tile_get(Kf, t_get, 16, x0 + 3, y0, "Kget6")
    Kf.s(t_fin_arr, "FA", tag="Kfin")
    Kf.c_rcv = Kf.snxt
    tcf = t_fin_arr + 0.00009
    Kf.c(tcf, "FA", tag="Kcfin")  # EOF on the socket: QGIS closes it (FIN acknowledges the server's FIN)
    # the request reached a socket nginx had already closed: RFC 1122 4.2.2.13 reset, seq = the request's ack
    rst1 = IP(src=HIP, dst="10.10.0.37", ttl=STTL, id=0, flags="DF") / TCP(sport=80, dport=Kf.sport, seq=S, flags="R", window=0)
    cap.add(t_get + RTT + 0.00003, rst1, False, 0, "Krst1")
    # the client's FIN then finds no socket at all: second reset, seq = that FIN's ack (S + 1)
    rst2 = IP(src=HIP, dst="10.10.0.37", ttl=STTL, id=0, flags="DF") / TCP(sport=80, dport=Kf.sport, seq=S + 1, flags="R", window=0)
    cap.add(tcf + RTT + 0.00002, rst2, False, 0, "Krst2")
    # Qt re-sends the idempotent request on a fresh connection: works
    K2 = Flow2(lin, HIP, 80, RTT, STTL, sos="linuxsrv")
    t = K2.handshake(tcf + 0.0004, "K2")
    t = tile_get(K2, t + 0.0002, 16, x0 + 3, y0, "K2get6")
    t = tile_resp(K2, t, "K2resp6")
    for i in range(7, 12):
        t = tile_get(K2, t + rng.uniform(0.0003, 0.004), 16, x0 + i % 4, y0 + 1 + i // 4, f"K2get{i}")
        t = tile_resp(K2, t, f"K2resp{i}")
    notes.update(S=S, idle=t_fin_arr - RTT / 2 - (t_idle0 + RTT / 2))

    names_w = ["github.com", "stackoverflow.com", "www.mozilla.org", "duckduckgo.com", "www.heise.de", "en.wikipedia.org"]
    names_l = ["www.debian.org", "docs.python.org", "www.openstreetmap.org", "www.google.com", "news.ycombinator.com"]
    names_m = ["www.youtube.com", "www.bbc.co.uk", "www.theguardian.com", "fonts.gstatic.com"]
    check_names(names_w + names_l + names_m)
    n = background(win, 0.3, 16.0, names_w, 6, profile="chrome")
    n += background(lin, 0.6, 16.0, names_l, 5, v6frac=0.6)
    n += background(mbp, 3.5, 16.0, names_m, 4, profile="chrome")
    cap.write(os.path.join(outdir, fname))
    F = cap.frame

    def fr(tag):
        return f"{F(tag)}/{F(tag + '~m')}"
    note = (
        f"SPAN capture (pcapng, ns timestamps, one interface) whose session mirrors BOTH VLANs of the office's routing switch: "
        f"client VLAN 10 (desktops 10.10.0.21 Windows TTL 128, 10.10.0.37 Linux TTL 64 + IPv6, 10.10.0.44 macOS) and uplink "
        f"VLAN 20 (firewall, internal resolver {DNS}). Every routed packet therefore appears twice, 5-20 us apart: on the ingress "
        f"VLAN and again on the egress VLAN with the router's MACs and IP TTL / hop limit one lower; IP ID, ports, sequence "
        f"numbers, payload and TCP/UDP checksums are identical (client packets: TTL 64 on VLAN 10 then 63 on VLAN 20; server "
        f"packets: e.g. TTL {STTL + 1} on VLAN 20 then {STTL} on VLAN 10; DNS answers TTL 64 then 63). {n} ordinary visits, each "
        f"doubled, complete. The session also starts in the middle of a large macOS update download from {UP} ({UPIP}): the first "
        f"frames are mid-stream TLS data with no handshake or SNI in the capture, ending with a normal close_notify/FIN. "
        f"The trap: QGIS on 10.10.0.37 fetches map tiles from {HOST} ({HIP}, nginx, TTL {STTL} on VLAN 10) over one HTTP/1.1 "
        f"keep-alive connection (SYN frames {fr('Ksyn')}, six GET/200 image/png exchanges). After {notes['idle']:.3f} s of "
        f"idleness nginx's keepalive_timeout closes the connection (FIN frames {fr('Kfin')}) at the same moment the user pans the "
        f"map: the next GET /wmts/... with Host {HOST} (frames {fr('Kget6')}) leaves the client 0.6 ms before that FIN arrives, "
        f"i.e. the two crossed in flight. QGIS sees EOF and closes (FIN+ACK frames {fr('Kcfin')}); one RTT after the GET the "
        f"server's kernel answers the request that hit its closed socket with RST seq=S (frames {fr('Krst1')}, RFC 1122 "
        f"4.2.2.13), and then the client's FIN, which finds no socket at all, with RST seq=S+1 (frames {fr('Krst2')}); both "
        f"flags R, window 0, IP ID 0 with DF (Linux stack resets), TTL {STTL + 1}/{STTL} like the server's other packets. Qt "
        f"immediately re-sends the idempotent request on a new connection (SYN frames {fr('K2syn')}) and gets the tile and "
        f"five more. What looks like censorship: an HTTP GET carrying a Host header followed within one RTT by a FIN and RSTs "
        f"from the server address; the RSTs have two different sequence numbers (RST_SEQ_CHANGE) and, because of the double "
        f"mirror, each appears twice with TTLs differing by 1 (the INTANG 'several RST/ACKs with different TTLs' pattern; the "
        f"same TTL pairs on every DNS answer look like a DNS race). Why it is not: every duplicate is byte-identical apart from "
        f"MACs, VLAN tag, TTL and IP checksum, and the TTL step is the same for every packet in the capture (one router hop); "
        f"the server's FIN left it before the GET could have arrived (exactly after the keepalive idle time), the RSTs follow "
        f"RFC 793 reset generation (seq = the ack of the segment answered) with the server's TTL, and the retried request for the "
        f"same Host succeeds at once. No injection, no blocking.")
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)


# ----------------------------------------------------------------------------
# capture 6: an anycast catchment change moves live connections to a PoP without their state
# ----------------------------------------------------------------------------


def resume_client_hello(rng, sni, ticket, age):
    """Firefox-style TLS 1.3 ClientHello offering a session ticket (pre_shared_key last)."""
    rnd, sid = rng.randbytes(32), rng.randbytes(32)
    pub = x25519_pub(rng)
    alpn = b"\x02h2\x08http/1.1"
    exts = [
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()), ext(23, b""), ext(0xFF01, b"\x00"),
        ext(10, u16(14) + b"".join(u16(x) for x in (0x1D, 0x17, 0x18, 0x19, 0x100, 0x101, 0x102))), ext(11, b"\x01\x00"),
        ext(35, b""), ext(16, u16(len(alpn)) + alpn), ext(5, b"\x01\x00\x00\x00\x00"),
        ext(34, u16(8) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0203))),
        ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(43, b"\x04" + u16(0x0304) + u16(0x0303)),
        ext(13, u16(22) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201))),
        ext(45, b"\x01\x01"), ext(28, b"\x40\x01"),
    ]
    ident = u16(len(ticket)) + ticket + struct.pack("!I", age)
    binders = b"\x20" + rng.randbytes(32)
    psk = ext(41, u16(len(ident)) + ident + u16(len(binders)) + binders)
    suites = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A, 0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    body = b"\x03\x03" + rnd + b"\x20" + sid + u16(2 * len(suites)) + b"".join(u16(x) for x in suites) + b"\x01\x00"
    el = b"".join(exts) + psk
    body += u16(len(el)) + el
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + u16(len(hs)) + hs, sid


def resume_server_flight(rng, sid):
    pub = x25519_pub(rng)
    exts = ext(43, u16(0x0304)) + ext(51, u16(0x1D) + u16(32) + pub) + ext(41, u16(0))
    body = b"\x03\x03" + rng.randbytes(32) + b"\x20" + sid + u16(0x1301) + b"\x00" + u16(len(exts)) + exts
    hs = b"\x02" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x03" + u16(len(hs)) + hs + b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 58)


def stateless_rst(cap, t, fl, seq, tag, ttl):
    """RST from a host that has no state for the connection: seq = the ack of the segment answered."""
    ip = mk_ip(fl.sip, fl.cip, ttl, 0, True, 0)
    cap.add(t, ip / TCP(sport=fl.dport, dport=fl.sport, seq=seq & 0xFFFFFFFF, flags="R", window=0), False, fl.iface, tag)


def cap6_anycast(outdir):
    fname = "anycast_catchment_shift_stateless_rst_eth.pcapng"
    ifaces = [dict(link="eth", cmac=mac("a4:c3:f0:5b:72:1e"), gmac=mac("e0:28:6d:91:4c:0b"), name="wlp0s20f3", tsresol=6, os="Linux 6.8.0-60-generic")]
    cap = Cap2(fname, epoch(2025, 8, 14, 19, 22, 5), ifaces, fmt="pcapng", shb=dict(os="Linux 6.8.0-60-generic", app="Dumpcap (Wireshark) 4.2.2"))
    ctx = Ctx2(cap, 6901, cip="192.168.178.23", cip6="2003:e5:df2f:8a00:2c41:77ff:fe0b:91d3", cos="linux", cttl=64,
               resolver="192.168.178.1", rttl=64, dns_rtt=0.0121)
    rng = ctx.rng
    AC6, AC4 = "2606:4700:3033::ac43:b2d1", "172.67.178.209"
    OLD6, OLD4, NEW6, NEW4 = 58, 57, 53, 52
    RTT_OLD, RTT_NEW = 0.0093, 0.0168
    T_SHIFT = 61.4
    notes = {}

    def anycast_dns(t, name, tag=None):
        return ctx.lookup(t, name, chain(name, [], [AC4, "104.21.41.77"], 300, 300), chain(name, [], [AC6, "2606:4700:3036::6815:294d"], 300, 300, "AAAA"), tag=tag)

    def h2_exchange(fl, t, req, resp, tag=None):
        fl.send_c(t, app_rec(rng, req), tag)
        fl.s_rcv = fl.cnxt
        t2, _ = xfer(fl, t + fl.rtt + rng.uniform(0.004, 0.02), b"".join(app_rec(rng, x) for x in resp))
        return t2

    # ---- before the shift: the page loads, app.notesync.io (IPv6) keeps an HTTP/2 connection open,
    # static.notesync.io (IPv4, other client path) idles after the page's assets are fetched
    t = anycast_dns(3.118, "app.notesync.io", "Adns")
    A, t = ctx.https(t + 0.001, AC6, "app.notesync.io", RTT_OLD, OLD6, resp=48000, close=None, sos="cdn", tag="A", cert=3300)
    t = anycast_dns(t + 0.02, "static.notesync.io", "Bdns")
    B, t = ctx.https(t + 0.001, AC4, "static.notesync.io", RTT_OLD + 0.0004, OLD4, resp=210000, close=None, sos="cdn", tag="B", cert=3300)
    tt = t + 20.3
    while tt < T_SHIFT - 2:
        tt = h2_exchange(A, tt, rng.randrange(90, 180), [rng.randrange(120, 900)]) + rng.uniform(14.0, 19.0)
    notes["A_last_old"] = tt
    # other names on the same anycast addresses before the shift
    t = anycast_dns(22.7, "api.parcel-tracker.eu")
    ctx.https(t + 0.001, AC4, "api.parcel-tracker.eu", RTT_OLD + 0.0002, OLD4, resp=14000, sos="cdn", tag="P1", close="client")
    # ---- T_SHIFT: the ISP's route to the anycast prefixes changes; from now on every packet from
    # AC4/AC6 comes from another PoP: more hops (TTL/hop limit 5 lower) and a longer RTT
    # A: the next API call reaches a server that has never seen this connection
    tA = T_SHIFT + 8.83
    A.send_c(tA, app_rec(rng, 171), "Acall")
    stateless_rst(cap, tA + RTT_NEW + 0.00008, A, A.c_rcv, "Arst", NEW6)
    # Firefox reconnects at once, resuming the TLS session with its ticket (the PoPs share ticket keys)
    A2 = Flow2(ctx, AC6, 443, RTT_NEW, NEW6, sos="cdn")
    t = A2.handshake(tA + RTT_NEW + 0.0012, "A2")
    ch, sid = resume_client_hello(rng, "app.notesync.io", rng.randbytes(192), 66_911_227)
    t = A2.send_c(t + 0.0004, ch, "A2ch")
    t, inf = xfer(A2, t + RTT_NEW + 0.0007, resume_server_flight(rng, sid))
    t = A2.send_c(inf["last"] + 0.0011, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 171), "A2req")
    A2.s_rcv = A2.cnxt
    t, _ = xfer(A2, t + RTT_NEW + 0.012, app_rec(rng, 210) + app_rec(rng, 2400))
    tt = t + 11.0
    for _ in range(3):
        tt = h2_exchange(A2, tt, rng.randrange(90, 180), [rng.randrange(120, 900)]) + rng.uniform(14.0, 19.0)
    # B: Firefox closes the idle IPv4 connection: close_notify and FIN each draw a RST from the new PoP
    tB = T_SHIFT + 31.27
    B.c(tB, "PA", b"\x17\x03\x03\x00\x13" + rng.randbytes(19), tag="Bcn")
    B.c(tB + 0.00004, "FA", tag="Bfin")
    stateless_rst(cap, tB + RTT_NEW + 0.00011, B, B.c_rcv, "Brst1", NEW4)
    stateless_rst(cap, tB + RTT_NEW + 0.00015, B, B.c_rcv, "Brst2", NEW4)
    # other names on the same anycast addresses after the shift: new PoP, all fine
    t = anycast_dns(T_SHIFT + 14.2, "www.birdwatch-forum.org")
    ctx.https(t + 0.001, AC6, "www.birdwatch-forum.org", RTT_NEW, NEW6, resp=95000, sos="cdn", tag="W", close="client")
    t = anycast_dns(T_SHIFT + 40.6, "api.parcel-tracker.eu")
    ctx.https(t + 0.001, AC4, "api.parcel-tracker.eu", RTT_NEW + 0.0002, NEW4, resp=15000, sos="cdn", tag="P2", close="client")
    t_end = tt

    names = ["en.wikipedia.org", "github.com", "www.google.com", "www.youtube.com", "www.bbc.co.uk", "www.reddit.com", "stackoverflow.com",
             "docs.python.org", "www.heise.de", "fonts.gstatic.com", "neverssl.com", "www.lemonde.fr", "detectportal.firefox.com",
             "www.theguardian.com", "duckduckgo.com"]
    check_names(names)
    n = background(ctx, 1.0, t_end - 4, names, 15, v6frac=0.6)
    cap.write(os.path.join(outdir, fname))
    F = cap.frame
    note = (
        f"Home laptop on Wi-Fi (Ethernet-encapsulated pcapng), dual-stack. {n} ordinary visits complete. Several names are served "
        f"by one CDN's anycast addresses {AC6} and {AC4}. Until t={cap.rel('Acall') - 8.83:.1f} s every packet from those "
        f"addresses arrives with hop limit {OLD6} / TTL {OLD4} and handshake RTT ~{RTT_OLD * 1000:.0f} ms (one PoP); afterwards the "
        f"ISP's route to the anycast prefixes changes and every packet from them - in every connection and for every name - "
        f"arrives with hop limit {NEW6} / TTL {NEW4} and RTT ~{RTT_NEW * 1000:.0f} ms (another PoP). Connections open across the "
        f"change land on a server that has no state for them: (1) Firefox's HTTP/2 connection to app.notesync.io over IPv6 "
        f"(SYN frame {F('Asyn')}, ClientHello frame {F('Ach')}, periodic API calls at hop limit {OLD6}) sends its next request "
        f"(frame {F('Acall')}); {RTT_NEW * 1000:.1f} ms later (the new RTT) a single RST arrives (frame {F('Arst')}): flags R only, "
        f"seq = exactly that request's ack number, window 0, hop limit {NEW6}. Firefox reconnects at once (SYN frame {F('A2syn')}, "
        f"SYN/ACK hop limit {NEW6}) and resumes the TLS session with its ticket (ClientHello with pre_shared_key, frame "
        f"{F('A2ch')}; the ServerHello selects PSK identity 0, no certificate sent - the PoPs share ticket keys); the API calls "
        f"continue. (2) the idle IPv4 connection to static.notesync.io is closed by Firefox later: its close_notify and FIN "
        f"(frames {F('Bcn')}, {F('Bfin')}) each draw a stateless RST from the new PoP (frames {F('Brst1')}, {F('Brst2')}, both "
        f"seq = the client's ack, window 0, TTL {NEW4}, one RTT later). Other names on the same addresses work before and after the "
        f"change: api.parcel-tracker.eu (IPv4, ClientHello frames {F('P1ch')} at TTL {OLD4} and {F('P2ch')} at TTL {NEW4}) and "
        f"www.birdwatch-forum.org (IPv6, ClientHello frame {F('Wch')}, hop limit {NEW6}). What looks like censorship: RSTs whose "
        f"TTL/hop limit differs by 5 from the rest of their connection, right after client data on TLS connections with known SNI "
        f"(TTL-delta forged-RST shape), two identical RSTs in a burst, and a per-address comparison in which two notesync names "
        f"are reset while other names on the same IP succeed. Why it is not: the new TTL/hop limit is the same for every later "
        f"packet from those addresses, including SYN/ACKs and data of healthy connections for the same and other names; the RSTs "
        f"come one new-PoP RTT after the packet they answer (no faster than the real server, unlike an on-path injector), are "
        f"plain stateless RFC 793 resets (seq = the answered segment's ack, window 0), the reset name reconnects at once on the "
        f"same address and resumes its TLS session, and nothing fails afterwards. No injection, no blocking.")
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)


# ----------------------------------------------------------------------------

def main():
    if len(sys.argv) != 2:
        print("usage: blind19_benign.py OUTDIR", file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    expect = {}
    for fn in CAPTURES:
        name, ent = fn(out)
        expect[name] = ent
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True)
        fh.write("\n")


CAPTURES = [cap1_tuple_reuse, cap2_cgnat, cap3_dns_frag, cap4_repacketize, cap5_span, cap6_anycast]

if __name__ == "__main__":
    main()
