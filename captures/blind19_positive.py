#!/usr/bin/env python3
# ruff: noqa: E501, RUF059
"""Blind round 19, positive captures: flow identity and reassembly at the edges.

Usage: python blind19_positive.py OUTDIR

Writes six captures of documented censorship (one mechanism each, each with one twist that
makes the proving packets hard to put together) and OUTDIR/expect.json.  Deterministic: every
random choice comes from a seeded random.Random, timestamps from fixed epochs.
"""
import json
import os
import random
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
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from generate import protect
from generate import quic_initial_keys as _initial_keys
from scapy.all import ICMP, IP, TCP, UDP, Raw, raw

# ----------------------------------------------------------------------------
# small extensions of the kit
# ----------------------------------------------------------------------------


class Ctx2(Ctx):
    """Ctx whose whole-visit helpers accept a fixed source port / an existing flow."""

    def https(self, t, sip, sni, rtt, sttl, resp=20000, rate=30e6, cert=3200, req=420, think=0.015, close="client",
              profile="firefox", sos="linuxsrv", iface=None, smss=1460, alpn=("h2", "http/1.1"), tag=None, drop=None,
              t_limit=1e9, sport=None, ch=None):
        rng = self.rng
        fl = self.flow_class(self, sip, 443, rtt, sttl, sport=sport, sos=sos, iface=iface, smss=smss)
        t = fl.handshake(t, tag)
        t += rng.uniform(0.0002, 0.0012)
        if ch is None:
            ch, sid = self.make_client_hello(rng, sni, alpn, profile)
        else:
            ch, sid = ch
        t = fl.send_c(t, ch, tag and tag + "ch")
        t = fl.bulk(t + fl.owd + rng.uniform(0.0004, 0.002), server_flight(rng, sid, cert), rate, drop, t_limit, tag and tag + "sh", final_ack=False)
        t = max(t, fl.last_arr + rng.uniform(0.001, 0.004))
        t = fl.send_c(t, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, req), tag and tag + "req")
        srv = b"".join(app_rec(rng, rng.randrange(230, 260)) for _ in range(2)) + app_stream(rng, resp)
        t = fl.bulk(t + fl.owd + think, srv, rate, drop, t_limit, tag and tag + "resp")
        if close == "client":
            t = fl.close_client(t + rng.uniform(0.05, 2.5))
        elif close == "server":
            t = fl.close_server(t + rng.uniform(0.5, 5.0))
        return fl, t


# ----------------------------------------------------------------------------
# QUIC v1 (RFC 9000/9001): correctly protected Initial packets
# ----------------------------------------------------------------------------

def quic_initial_keys(odcid, server):
    """(key, iv, hp) of one side's QUIC v1 Initial packets (RFC 9001 5.2; generate.py)."""
    return _initial_keys(odcid)["server" if server else "client"]


def varint(n, size=None):
    if size is None:
        size = 1 if n < 64 else 2 if n < 16384 else 4 if n < 2**30 else 8
    code = {1: 0, 2: 1, 4: 2, 8: 3}[size]
    return (n | (code << (8 * size - 2))).to_bytes(size, "big")


def quic_initial(odcid, dcid, scid, pn, frames, server, token=b"", pad_to=None, pn_len=2):
    """One protected Initial packet. pad_to: grow with PADDING so the packet is that long."""
    keys = quic_initial_keys(odcid, server)
    hdr0 = b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(len(token)) + token
    payload = frames
    if pad_to:
        over = 1 + len(hdr0) + 2 + pn_len + len(payload) + 16
        if over < pad_to:
            payload += b"\x00" * (pad_to - over)
    first = 0xC0 | (0 << 4) | (pn_len - 1)
    hdr = bytes([first]) + hdr0 + varint(pn_len + len(payload) + 16, 2) + pn.to_bytes(pn_len, "big")
    return protect(hdr, pn, pn_len, payload, keys)


def quic_opaque_long(rng, ptype, dcid, scid, length):
    """A Handshake/0-RTT packet whose keys the capture does not have: protected bytes only."""
    first = 0xC0 | (ptype << 4) | rng.randrange(16)
    hdr = bytes([first]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    return hdr + varint(length, 2) + rng.randbytes(length)


def quic_short(rng, dcid, length):
    return bytes([0x40 | rng.randrange(64)]) + dcid + rng.randbytes(length)


def crypto_frame(off, data):
    return b"\x06" + varint(off) + varint(len(data)) + data


def ack_frame(largest, delay=0):
    return b"\x02" + varint(largest) + varint(delay) + b"\x00" + b"\x00"


def quic_client_hello(rng, sni, scid, alpn=("h3",)):
    """TLS 1.3 ClientHello handshake message (no record header) as a QUIC client sends it."""
    rnd = rng.randbytes(32)
    alpn_b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    sni_ext = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode())
    pub = x25519_pub(rng)

    def tp(i, v):
        return varint(i) + varint(len(v)) + v

    tps = (tp(0x01, varint(30000)) + tp(0x03, varint(1472)) + tp(0x04, varint(15728640)) + tp(0x05, varint(6291456))
           + tp(0x06, varint(6291456)) + tp(0x07, varint(6291456)) + tp(0x08, varint(100)) + tp(0x09, varint(103))
           + tp(0x0F, scid) + tp(0x0E, varint(4)))
    exts = [
        sni_ext, ext(10, u16(6) + u16(0x1D) + u16(0x17) + u16(0x18)), ext(16, u16(len(alpn_b)) + alpn_b),
        ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
        ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(45, b"\x01\x01"), ext(43, b"\x02\x03\x04"),
        ext(0x39, tps),
    ]
    el = b"".join(exts)
    body = b"\x03\x03" + rnd + b"\x00" + u16(6) + u16(0x1301) + u16(0x1302) + u16(0x1303) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


class QuicConn:
    """A QUIC v1 connection attempt seen at the client."""

    def __init__(self, ctx, sip, rtt, sttl, sport=None, dport=443, scid_len=8, sscid_len=8, iface=None):
        self.ctx, self.rng = ctx, ctx.rng
        self.v6 = ":" in sip
        self.cip = ctx.cip6 if self.v6 else ctx.cip
        self.sip, self.rtt, self.sttl, self.dport = sip, rtt, sttl, dport
        self.sport = sport or ctx.port()
        self.iface = ctx.iface if iface is None else iface
        self.odcid = self.rng.randbytes(8)
        self.scid = self.rng.randbytes(scid_len)
        self.sscid = self.rng.randbytes(sscid_len)
        self.cpn = 0
        self.cid_ip = self.rng.randrange(65536)
        self.sid_ip = self.rng.randrange(65536)
        self.fl = self.rng.getrandbits(20)

    def cdg(self, t, data, tag=None):
        ip = mk_ip(self.cip, self.sip, self.ctx.cttl, self.cid_ip, True, self.fl)
        self.cid_ip = (self.cid_ip + 1) & 0xFFFF
        self.ctx.cap.add(t, ip / UDP(sport=self.sport, dport=self.dport) / Raw(data), True, self.iface, tag)

    def sdg(self, t, data, tag=None):
        ip = mk_ip(self.sip, self.cip, self.sttl, self.sid_ip, True, self.fl)
        self.sid_ip = (self.sid_ip + 1) & 0xFFFF
        self.ctx.cap.add(t, ip / UDP(sport=self.dport, dport=self.sport) / Raw(data), False, self.iface, tag)

    def client_initial(self, t, sni, tag=None, ch=None):
        self.ch = ch or quic_client_hello(self.rng, sni, self.scid)
        self.sni = sni
        pkt = quic_initial(self.odcid, self.odcid, self.scid, self.cpn, crypto_frame(0, self.ch), False, pad_to=1250)
        self.cpn += 1
        self.cdg(t, pkt, tag)

    def retransmit_initial(self, t, tag=None):
        pkt = quic_initial(self.odcid, self.odcid, self.scid, self.cpn, crypto_frame(0, self.ch), False, pad_to=1250)
        self.cpn += 1
        self.cdg(t, pkt, tag)

    def complete(self, t0, resp=30000, tag=None, close=True):
        """Server answers the Initial sent at t0; handshake, one request, `resp` bytes back."""
        rng = self.rng
        t = t0 + self.rtt + rng.uniform(0.0005, 0.002)
        sh = K.quic_server_hello(rng)
        sinit = quic_initial(self.odcid, self.scid, self.sscid, 0, ack_frame(0, rng.randrange(5, 40)) + crypto_frame(0, sh), True)
        hs1 = quic_opaque_long(rng, 2, self.scid, self.sscid, 1230 - len(sinit) - 40)
        self.sdg(t, sinit + hs1, tag and tag + "sinit")
        t += 0.00012
        self.sdg(t, quic_opaque_long(rng, 2, self.scid, self.sscid, 1180), None)
        t += 0.00011
        self.sdg(t, quic_opaque_long(rng, 2, self.scid, self.sscid, rng.randrange(600, 1100)) + quic_short(rng, self.scid, rng.randrange(60, 140)), None)
        # client: Initial ACK + Handshake (Finished) in one padded datagram, then the request
        tc = t + rng.uniform(0.0008, 0.003)
        cinit = quic_initial(self.odcid, self.sscid, self.scid, self.cpn, ack_frame(0, 1), False)
        self.cpn += 1
        hs = quic_opaque_long(rng, 2, self.sscid, self.scid, rng.randrange(60, 80))
        pad = 1250 - len(cinit) - len(hs)
        cinit = quic_initial(self.odcid, self.sscid, self.scid, self.cpn - 1, ack_frame(0, 1), False, pad_to=len(cinit) + pad)
        self.cdg(tc, cinit + hs, tag and tag + "cfin")
        tc += 0.00005
        self.cdg(tc, quic_short(rng, self.sscid, rng.randrange(90, 260)), tag and tag + "req")
        t = tc + self.rtt + rng.uniform(0.003, 0.02)
        left = resp
        n = 0
        while left > 0:
            k = min(left, 1200)
            self.sdg(t, quic_short(rng, self.scid, k + 20), None)
            left -= k
            n += 1
            t += 1290 * 8 / 40e6 + rng.uniform(0, 0.00003)
            if n % 2 == 0:
                self.cdg(t + 0.00004, quic_short(rng, self.sscid, rng.randrange(24, 34)), None)
        t += rng.uniform(0.001, 0.01)
        self.cdg(t, quic_short(rng, self.sscid, rng.randrange(24, 34)), None)
        if close:
            t += rng.uniform(0.3, 3.0)
            self.cdg(t, quic_short(rng, self.sscid, rng.randrange(30, 45)), tag and tag + "close")
        return t


# ----------------------------------------------------------------------------
# DNS helpers beyond the kit (TXT rdata, raw OPT with DO)
# ----------------------------------------------------------------------------


def dns_name(n):
    return b"".join(bytes([len(x)]) + x.encode() for x in n.rstrip(".").split(".")) + b"\x00"


def txt_rdata(strings):
    out = b""
    for s in strings:
        b = s.encode()
        while b:
            out += bytes([min(255, len(b))]) + b[:255]
            b = b[255:]
    return out


def dns_query(txid, flags, qname, qtype, edns=None):
    out = struct.pack("!HHHHHH", txid, flags, 1, 0, 0, 1 if edns else 0) + dns_name(qname) + struct.pack("!HH", qtype, 1)
    if edns:
        out += b"\x00" + struct.pack("!HHIH", 41, edns, 0, 0)
    return out


# ----------------------------------------------------------------------------
# ordinary visits
# ----------------------------------------------------------------------------


def visit(ctx, t, site, kind=None, dns=True, v6=False):
    """DNS lookup (A+AAAA) then an HTTPS, HTTP or QUIC exchange with the site. Returns end time."""
    rng = ctx.rng
    name, a4, a6, ttl, rtt, sos = site["name"], site["v4"], site.get("v6"), site["ttl"], site["rtt"], site.get("sos", "linuxsrv")
    kind = kind or site.get("kind", "https")
    if dns:
        cn = site.get("cname", [])
        t = ctx.lookup(t, name, chain(name, cn, [a4], 300, rng.choice([60, 120, 300, 600])),
                       chain(name, cn, [a6], 300, 300, "AAAA") if a6 else (chain(name, cn, [], 300, 300) if cn else ()), v6=v6)
        t += rng.uniform(0.0005, 0.004)
    sip = a6 if (v6 and a6) else a4
    if kind == "https":
        _, t = ctx.https(t, sip, name, rtt, ttl, resp=rng.randrange(6000, 42000), cert=rng.randrange(2400, 4200), sos=sos,
                         profile=site.get("profile", "firefox"), close=rng.choice(["client", "server", None]))
    elif kind == "http":
        body = html_body(rng, rng.randrange(1500, 9000), site.get("title", name))
        _, t = ctx.http(t, sip, name, rtt, ttl, path=site.get("path", "/"), headers=(("Server", site.get("server", "nginx")), ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))), body=body, sos=sos)
    else:
        q = QuicConn(ctx, sip, rtt, ttl)
        q.client_initial(t, name)
        t = q.complete(t, resp=rng.randrange(8000, 40000))
    return t


def fillers(ctx, sites, times, v6frac=0.0):
    ends = []
    for t, i in times:
        s = sites[i % len(sites)]
        ends.append(visit(ctx, t, s, v6=bool(s.get("v6")) and ctx.rng.random() < v6frac))
    return max(ends) if ends else 0


def spread(rng, t0, t1, n, nsites, avoid=()):
    """n visit start times in [t0, t1], none inside the (a, b) windows of avoid."""
    out = []
    i = 0
    while len(out) < n:
        t = round(rng.uniform(t0, t1), 6)
        if any(a <= t <= b for a, b in avoid):
            continue
        out.append((t, i))
        i += 1
    return sorted(out)


def eth(c, g, **kw):
    return dict(link="eth", cmac=mac(c), gmac=mac(g), **kw)


def ts(cap, tag):
    """seconds since the first frame of the packet tagged `tag` (as tshark's frame.time_relative)"""
    recs = cap.sorted()
    for r in recs:
        if r[4] == tag:
            return round((r[0] - recs[0][0]) / 1e9, 6)
    raise KeyError(tag)


def plain(fl, t, flags, seq, ack=0, win=0, tag=None, ttl=None):
    """A packet from the server's own stack without TCP options (e.g. the RST a closed socket answers with)."""
    ipid = fl.sid
    fl.sid = (fl.sid + 1) & 0xFFFF
    ip = mk_ip(fl.sip, fl.cip, ttl or fl.sttl, ipid, fl.s_df, fl.sfl)
    tcp = TCP(sport=fl.dport, dport=fl.sport, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF if "A" in flags else 0, flags=flags, window=win)
    fl.cap.add(t, ip / tcp, False, fl.iface, tag)


# sites reachable from mainland China (addresses as those names resolved in 2024, TTLs as seen
# from a Beijing broadband line)
CN_SITES = [
    dict(name="www.baidu.com", v4="110.242.68.66", ttl=52, rtt=0.011, cname=["www.a.shifen.com"]),
    dict(name="www.qq.com", v4="121.14.77.221", v6="240e:97c:2f:3003::77", ttl=53, rtt=0.029, cname=["ins-r23tsuuf.ias.tencent-cloud.net"]),
    dict(name="www.bilibili.com", v4="119.3.70.188", ttl=51, rtt=0.024, kind="quic", cname=["a.w.bilicdn1.com"]),
    dict(name="mirrors.tuna.tsinghua.edu.cn", v4="101.6.15.130", v6="2402:f000:1:400::2", ttl=57, rtt=0.004, kind="http",
         path="/debian/dists/bookworm/InRelease", title="Index of /debian"),
    dict(name="github.com", v4="20.205.243.166", ttl=108, rtt=0.086, sos="linuxsrv"),
    dict(name="www.zhihu.com", v4="118.89.204.198", ttl=50, rtt=0.027),
    dict(name="www.jd.com", v4="111.13.149.108", ttl=53, rtt=0.013, cname=["www.jd.com.gslb.qianxun.com"]),
    dict(name="www.taobao.com", v4="140.205.94.189", ttl=51, rtt=0.031, kind="quic", cname=["www.taobao.com.danuoyi.tbcache.com"]),
    dict(name="www.apple.com.cn", v4="23.49.60.160", ttl=55, rtt=0.035, cname=["www.apple.com.cn.edgekey.net"], sos="cdn"),
    dict(name="www.163.com", v4="123.126.96.210", ttl=54, rtt=0.009, kind="http", title="NetEase", server="Tengine"),
    dict(name="cn.bing.com", v4="202.89.233.101", ttl=116, rtt=0.038, sos="nots", cname=["china.bing123.com"]),
    dict(name="www.douban.com", v4="81.70.124.99", ttl=51, rtt=0.019),
    dict(name="www.sohu.com", v4="123.125.116.28", ttl=54, rtt=0.008, kind="http", title="Sohu", server="SWS"),
]


# ----------------------------------------------------------------------------
# 1. residual-blocking: five connections on one 5-tuple
# ----------------------------------------------------------------------------


def gfw_resets(fl, t, seq, ack, rng, tag, ttl1=68, ttl2=103):
    """GFW type I (RST, IPID 0, DF 0) and three type II (RST+ACK, DF, TTL +1 each) toward the client."""
    fl.forged(t, "R", seq, 0, ttl1, 0, False, rng.randrange(1000, 60000), tag + "rst1")
    win = rng.randrange(1000, 60000)
    for i in range(3):
        fl.forged(t + 0.00021 + i * 0.000015, "RA", seq, ack, ttl2 + i, rng.randrange(0x00A3, 0xFE5F), True, win, f"{tag}rst2_{i}")


def case_residual(out):
    fname = "residual-blocking_reused-5tuple.pcap"
    cap = Cap(fname, epoch(2024, 11, 14, 13, 2, 11), [eth("3c:7c:3f:1e:a2:41", "f4:2a:7d:10:6e:01")])
    ctx = Ctx2(cap, 1901, cip="192.168.1.23", resolver="192.168.1.1", rttl=64, dns_rtt=0.006)
    rng = ctx.rng
    S, RTT, STTL, P = "151.101.64.81", 0.072, 50, 50713
    ctx.used.add(P)
    T0, T1 = 19.4, 41.3
    T2, T3, T4 = T1 + 2.61, T1 + 31.72, T1 + 214.05
    # 0: control before the trigger, same 5-tuple, innocuous SNI, completes
    ctx.https(T0, S, "www.python.org", RTT, STTL, sos="cdn", sport=P, resp=48000, close="client", tag="c0")
    # 1: trigger: ClientHello with SNI www.bbc.com -> GFW type I + type II resets; genuine flight races in
    f1 = Flow(ctx, S, 443, RTT, STTL, sport=P, sos="cdn")
    t = f1.handshake(T1, tag="t1")
    ch, sid = K.client_hello(rng, "www.bbc.com")
    tch = f1.send_c(t + 0.00041, ch, tag="t1ch")
    gfw_resets(f1, tch + 0.0187, f1.siss + 1, f1.cnxt, rng, "t1")
    flight = server_flight(rng, sid, 3400)
    ta = tch + RTT + 0.00052
    for k, off in enumerate(range(0, 2 * f1.seg, f1.seg)):
        f1.s(ta + k * 0.00012, "A" if k == 0 else "PA", flight[off:off + f1.seg], tag=f"t1gen{k}")
        f1.stack_rst(ta + k * 0.00012 + 0.00003, f1.cnxt, tag=f"t1crst{k}")
    # 2, 3: same 5-tuple (SO_REUSEADDR, fixed bind), innocuous SNI: reset right after the SYN/ACK
    for tag, T in (("r2", T2), ("r3", T3)):
        fl = Flow(ctx, S, 443, RTT, STTL, sport=P, sos="cdn")
        t = fl.handshake(T, tag=tag)
        ch2, _ = K.client_hello(rng, "www.python.org")
        tc = fl.send_c(t + 0.00029, ch2, tag=tag + "ch")
        gfw_resets(fl, T + RTT + 0.0021, fl.siss + 1, fl.ciss + 1, rng, tag, ttl1=rng.choice([66, 68, 71]), ttl2=rng.choice([97, 103, 110]))
        plain(fl, tc + RTT + 0.0003, "R", fl.siss + 1, tag=tag + "srvrst")
    # 4: after the residual window, same 5-tuple, innocuous SNI again: completes
    ctx.https(T4, S, "www.python.org", RTT, STTL, sos="cdn", sport=P, resp=31000, close="client", tag="c4")
    avoid = [(T1 - 0.3, T1 + 3.5), (T3 - 0.3, T3 + 0.5)]
    fillers(ctx, CN_SITES, spread(rng, 0.0, T4 + 9.0, 17, len(CN_SITES), avoid))
    cap.write(os.path.join(out, fname))
    F = cap.frame
    note = (
        f"Ethernet/IPv4 pcap from a Linux client 192.168.1.23 in China (Beijing broadband). A measurement script binds "
        f"source port {P} (SO_REUSEADDR) for every connection to {S}:443 (Fastly), so five TCP connections share ONE 5-tuple "
        f"192.168.1.23:{P} <-> {S}:443, told apart only by SYNs/ISNs. Genuine server packets have IP TTL {STTL}, RTT {int(RTT*1000)} ms. "
        f"(0) t={ts(cap, 'c0syn')}s frame {F('c0syn')}: SNI www.python.org completes normally (control before the trigger). "
        f"(1) t={ts(cap, 't1syn')}s SYN frame {F('t1syn')}, ClientHello SNI www.bbc.com frame {F('t1ch')}; {round(0.0187*1000, 1)} ms later GFW resets: "
        f"type I RST frame {F('t1rst1')} (flags R only, IP ID 0, DF 0, TTL 68, window != 0) and type II RST+ACK x3 frames {F('t1rst2_0')}-{F('t1rst2_2')} "
        f"(identical seq/ack/window, DF set, TTL 103/104/105); then the genuine ServerHello flight arrives (frames {F('t1gen0')}, {F('t1gen1')}, TTL {STTL}) and the "
        f"client kernel answers each with a RST (frames {F('t1crst0')}, {F('t1crst1')}, win 0): data after RST = race, so the resets were forged -> rst-injection for www.bbc.com. "
        f"(2) t={ts(cap, 'r2syn')}s frame {F('r2syn')}, 2.6 s later, the SAME 5-tuple, SNI www.python.org: genuine SYN/ACK (frame {F('r2synack')}, TTL {STTL}), "
        f"then 2.1 ms after the SYN/ACK - before the ClientHello (frame {F('r2ch')}) could reach any box on the path - forged type I + type II resets "
        f"(frames {F('r2rst1')}, {F('r2rst2_0')}-{F('r2rst2_2')}); the server itself, already reset by the censor, answers the ClientHello with a plain RST "
        f"(frame {F('r2srvrst')}, TTL {STTL}, seq = ISN+1, 1 RTT later). (3) t={ts(cap, 'r3syn')}s frame {F('r3syn')}: same again 31.7 s after the trigger. "
        f"(4) t={ts(cap, 'c4syn')}s frame {F('c4syn')}, 214 s after the trigger (>180 s GFW residual window after the last hit), the same 5-tuple with SNI "
        f"www.python.org completes. Connections 2-3 are residual blocking of (client, {S}, 443) triggered by the www.bbc.com ClientHello, proven by "
        f"connections 0 and 4 on the identical 5-tuple. 17 ordinary visits (DNS, HTTPS, HTTP, QUIC) to Chinese sites are interleaved; the name of the "
        f"blocked host was not resolved in the capture (the script has the address)."
    )
    return fname, dict(
        expect=[dict(mechanism="residual-blocking", domain="www.bbc.com"), dict(mechanism="rst-injection", domain="www.bbc.com")],
        allow=[dict(mechanism="residual-blocking", domain="www.python.org"), dict(mechanism="rst-injection", domain="www.python.org")],
        note=note)



# ----------------------------------------------------------------------------
# 2. dns-injection: the genuine answer only exists as IPv4 fragments
# ----------------------------------------------------------------------------


def ipv4_fragments(src, dst, ttl, ipid, l4, mtu=1500):
    """Split an IPv4 datagram carrying the bytes l4 (a complete UDP segment) into fragments."""
    step = (mtu - 20) // 8 * 8
    out = []
    for off in range(0, len(l4), step):
        chunk = l4[off:off + step]
        mf = off + step < len(l4)
        out.append(IP(src=src, dst=dst, ttl=ttl, id=ipid, flags="MF" if mf else 0, frag=off // 8, proto=17) / Raw(chunk))
    return out


def token(rng, n, alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"):
    return "".join(rng.choice(alphabet) for _ in range(n))


def verification_txts(rng, spf):
    hx = "0123456789abcdef"
    return [
        spf,
        "google-site-verification=" + token(rng, 43),
        "google-site-verification=" + token(rng, 43),
        "MS=ms" + token(rng, 8, "0123456789"),
        "atlassian-domain-verification=" + token(rng, 64, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"),
        "docusign=" + "-".join(token(rng, k, hx) for k in (8, 4, 4, 4, 12)),
        "facebook-domain-verification=" + token(rng, 30, "abcdefghijklmnopqrstuvwxyz0123456789"),
        "apple-domain-verification=" + token(rng, 16),
        "adobe-idp-site-verification=" + token(rng, 64, hx),
        "globalsign-domain-verification=" + token(rng, 42),
        "stripe-verification=" + token(rng, 64, hx),
        "onetrust-domain-verification=" + token(rng, 32, hx),
        "ZOOM_verify_" + token(rng, 32),
        "miro-verification=" + token(rng, 40, hx),
        "slack-domain-verification=" + token(rng, 40),
        "smartsheet-site-validation=" + token(rng, 32),
        "asv=" + token(rng, 32, hx),
        "webexdomainverification.8YX6G=" + "-".join(token(rng, k, hx) for k in (8, 4, 4, 4, 12)),
        "cisco-ci-domain-verification=" + token(rng, 64, hx),
        "citrix-verification-code=" + "-".join(token(rng, k, hx) for k in (8, 4, 4, 4, 12)),
        "amazonses:" + token(rng, 44, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"),
        "yandex-verification: " + token(rng, 16, hx),
        "pardot" + token(rng, 6, "0123456789") + "=" + token(rng, 64, hx),
        "mongodb-site-verification=" + token(rng, 32),
    ]


def txt_response(txid, flags, qname, strings, ttl, edns):
    out = struct.pack("!HHHHHH", txid, flags, 1, len(strings), 0, 1 if edns else 0) + dns_name(qname) + struct.pack("!HH", 16, 1)
    for s in strings:
        rd = txt_rdata([s])
        out += b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, ttl, len(rd)) + rd
    if edns:
        out += b"\x00" + struct.pack("!HHIH", 41, edns, 0, 0)
    return out


def gfw_forged(query, ip, ttl):
    """Wallbleed 'Injector 3' construction: query up to QNAME+4, flags 0x8180 (RD=1), AN=1, no OPT,
    and an A record whatever the QTYPE."""
    end = 12
    while query[end]:
        end += query[end] + 1
    end += 5
    return query[:2] + b"\x81\x80" + b"\x00\x01\x00\x01\x00\x00\x00\x00" + query[12:end] + b"\xc0\x0c\x00\x01\x00\x01" + struct.pack("!I", ttl) + b"\x00\x04" + bytes(int(x) for x in ip.split("."))


def case_dnsfrag(out):
    fname = "dns-injection_fragmented-genuine.pcap"
    cap = Cap(fname, epoch(2025, 6, 17, 2, 40, 5), [dict(link="sll2", cmac=mac("48:2c:a0:5e:91:3d"), gmac=mac("88:c3:97:41:0a:7e"), ifindex=2)], nsec=True)
    R, RTTL, RRTT = "139.162.107.44", 47, 0.0741
    ctx = Ctx2(cap, 1902, cip="192.168.31.120", resolver=R, rttl=RTTL, dns_rtt=RRTT)
    rng = ctx.rng
    C = ctx.cip
    names = {}

    def txt_lookup(t, qname, strings, tag, forged=()):
        sport = ctx.port()
        txid = rng.randrange(1, 65536)
        q = dns_query(txid, 0x0100, qname, 16, edns=4096)
        cap.add(t, mk_ip(C, R, 64, rng.randrange(65536), True) / UDP(sport=sport, dport=53) / Raw(q), True, 0, tag + "q")
        for k, (dt, ip, ipttl, df, dnsttl) in enumerate(forged):
            cap.add(t + dt, mk_ip(R, C, ipttl, rng.randrange(65536) if df else 0, df) / UDP(sport=53, dport=sport) / Raw(gfw_forged(q, ip, dnsttl)), False, 0, f"{tag}f{k}")
        resp = txt_response(txid, 0x8180, qname, strings, rng.choice([300, 600, 3600]), 4096)
        udp = raw(IP(src=R, dst=C, proto=17) / UDP(sport=53, dport=sport) / Raw(resp))[20:]
        ta = t + RRTT * rng.uniform(0.98, 1.04)
        frs = ipv4_fragments(R, C, RTTL, rng.randrange(65536), udp)
        for k, fr in enumerate(frs):
            cap.add(ta + k * 0.000013, fr, False, 0, f"{tag}g{k}")
        names[tag] = (qname, len(resp), len(frs))
        return ta + 0.0001

    TB = 88.2
    # natural controls: other TXT look-ups with EDNS 4096, one of them large enough to be fragmented too
    txt_lookup(31.7, "microsoft.com", verification_txts(rng, "v=spf1 include:_spf-a.microsoft.com include:_spf-b.microsoft.com include:_spf-c.microsoft.com include:_spf-ssg-a.msft.net include:spf-a.hotmail.com include:_spf1-meo.microsoft.com -all")[:22], "ms")
    txt_lookup(52.4, "qq.com", ["v=spf1 include:spf.mail.qq.com -all", "google-site-verification=" + token(rng, 43)], "qq")
    txt_lookup(TB - 6.3, "baidu.com", ["v=spf1 include:spf1.baidu.com include:spf2.baidu.com include:spf3.baidu.com include:spf4.baidu.com a mx ptr -all",
                                        "google-site-verification=" + token(rng, 43), "_globalsign-domain-verification=" + token(rng, 42)], "bd")
    # the blocked exchange: two forged A answers to a TXT query, genuine TXT RRset in 2 fragments
    txt_lookup(TB, "dropbox.com", verification_txts(rng, "v=spf1 ip4:199.47.216.0/22 ip4:108.160.160.0/20 ip4:162.125.0.0/16 include:_spf.google.com include:mail.zendesk.com include:sendgrid.net include:servers.mcsv.net -all"),
               "db", forged=((0.00962, "31.13.94.37", 86, False, 147), (0.01015, "108.160.166.57", 54, True, 147)))
    txt_lookup(TB + 47.5, "github.com", ["v=spf1 ip4:192.30.252.0/22 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com include:spf.protection.outlook.com include:mail.zendesk.com include:_spf.salesforce.com include:servers.mcsv.net ip4:166.78.69.169 ip4:166.78.69.170 ip4:166.78.71.131 ip4:167.89.101.2 ip4:167.89.101.192/28 ip4:192.254.112.60 ip4:192.254.112.98/31 ip4:192.254.113.10 ip4:192.254.113.101 ip4:192.254.114.176 ip4:62.253.227.114 ~all",
                                     "MS=ms" + token(rng, 8, "0123456789"), "docusign=" + token(rng, 36)], "gh")
    fillers(ctx, CN_SITES, spread(rng, 0.0, 170.0, 16, len(CN_SITES), [(TB - 0.5, TB + 0.8)]))
    cap.write(os.path.join(out, fname))
    F = cap.frame
    qn, ln, nf = names["db"]
    mqn, mln, mnf = names["ms"]
    note = (
        f"Linux SLL2 pcap (nanosecond), IPv4, client 192.168.31.120 in China whose resolver is a recursive resolver on a Tokyo VPS ({R}, IP TTL {RTTL}, "
        f"RTT {round(RRTT*1000, 1)} ms) answering with EDNS up to 4096 B. A measurement tool sends TXT queries with EDNS0 payload 4096 and keeps the socket open "
        f"to collect every answer. t={ts(cap, 'dbq')}s frame {F('dbq')}: TXT dropbox.com (RD=1). Frames {F('dbf0')} (+9.6 ms, IP TTL 86, DF=0, IP ID 0) and "
        f"{F('dbf1')} (+10.2 ms, IP TTL 54, DF=1): two forged answers in the GFW 'Injector 3' shape - flags 0x8180, AN=1, AR=0 although the query had an OPT RR, "
        f"and an A record (31.13.94.37 / 108.160.166.57, Facebook / Dropbox space from the GFW pool) answering a TXT query. The genuine answer ({ln} B of DNS, "
        f"{len(verification_txts(random.Random(0), ''))} TXT strings + OPT) arrives 74 ms after the query only as {nf} IPv4 fragments: frame {F('dbg0')} "
        f"(offset 0, MF, UDP header + first 1472 B) and frame {F('dbg1')} (offset 1480, last fragment); no unfragmented copy exists, so the race "
        f"(three responses, same txid/port, different RDATA) is only visible after IP reassembly -> dns-injection for dropbox.com. Controls: TXT microsoft.com "
        f"(t={ts(cap, 'msq')}s, frames {F('msq')}, {F('msg0')}-{F('msg1')}) also comes back as {mnf} fragments with no competing answer, TXT qq.com / baidu.com / "
        f"github.com are answered once, unfragmented. 16 ordinary visits (A/AAAA look-ups via the same resolver, HTTPS, HTTP, QUIC) are interleaved."
    )
    return fname, dict(expect=[dict(mechanism="dns-injection", domain="dropbox.com")],
                       allow=[dict(mechanism="dns-tampering", domain="dropbox.com")], note=note)


# ----------------------------------------------------------------------------
# 3. packet-injection: injected response overlapping the genuine one, genuine partly first
# ----------------------------------------------------------------------------

IN_SITES = [
    dict(name="www.google.co.in", v4="142.250.183.3", v6="2404:6800:4009:82a::2003", ttl=118, rtt=0.0121, kind="quic"),
    dict(name="www.flipkart.com", v4="163.53.78.110", ttl=52, rtt=0.0183),
    dict(name="www.wikipedia.org", v4="103.102.166.224", v6="2001:df2:e500:ed1a::1", ttl=55, rtt=0.0524, sos="cdn"),
    dict(name="neverssl.com", v4="34.223.124.45", ttl=41, rtt=0.2291, kind="http", server="Apache", title="NeverSSL - Connecting ..."),
    dict(name="www.ndtv.com", v4="23.57.97.193", ttl=57, rtt=0.0094, cname=["www.ndtv.com.edgekey.net", "e10376.dscb.akamaiedge.net"], sos="cdn"),
    dict(name="www.amazon.in", v4="52.95.120.37", ttl=235, rtt=0.0168, sos="nots"),
    dict(name="www.youtube.com", v4="142.250.192.78", v6="2404:6800:4009:80b::200e", ttl=118, rtt=0.0117, kind="quic", cname=["youtube-ui.l.google.com"]),
    dict(name="www.irctc.co.in", v4="23.15.253.72", ttl=56, rtt=0.0101, sos="cdn", cname=["www.irctc.co.in.edgekey.net"]),
    dict(name="www.rediff.com", v4="202.137.234.29", ttl=53, rtt=0.0207, kind="http", server="Apache", title="Rediff.com"),
    dict(name="www.thehindu.com", v4="151.101.1.137", ttl=58, rtt=0.0089, sos="cdn"),
    dict(name="www.cricbuzz.com", v4="104.18.20.141", ttl=57, rtt=0.0135, sos="cdn"),
    dict(name="archive.ubuntu.com", v4="91.189.91.83", ttl=46, rtt=0.1881, kind="http", server="Apache/2.4.29 (Ubuntu)", path="/ubuntu/dists/noble/InRelease", title="Index of /ubuntu"),
]


def case_overlap(out):
    fname = "packet-injection_overlap-race.pcapng"
    ifc = dict(link="vlan", vlan=20, cmac=mac("d8:bb:c1:6e:20:4f"), gmac=mac("00:1b:21:8c:11:02"), name="eth1.20 (mirror, VLAN 20)", tsresol=9, os="Linux 6.1.0-25-amd64")
    cap = Cap(fname, epoch(2024, 9, 3, 9, 15, 2), [ifc], fmt="pcapng", shb=dict(hw="x86_64", os="Linux 6.1.0-25-amd64", app="Dumpcap (Wireshark) 4.0.17"))
    ctx = Ctx2(cap, 1903, cip="10.20.5.77", resolver="10.20.0.1", rttl=64, dns_rtt=0.0042)
    rng = ctx.rng
    S, RTT, STTL, HOST = "162.159.137.6", 0.0142, 57, "thepiratebay.org"
    TB = 63.8
    ctx.lookup(TB - 0.9, HOST, chain(HOST, [], [S, "162.159.136.6"], 300, 300), chain(HOST, [], ["2606:4700:7::a29f:8906", "2606:4700:7::a29f:8806"], 300, 300, "AAAA"), tag="dns")
    fl = Flow(ctx, S, 80, RTT, STTL, sos="cdn")
    t = fl.handshake(TB, tag="b")
    req = (f"GET /search.php?q=ubuntu+24.04&cat=0 HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0\r\n"
           "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n"
           "Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nPriority: u=0, i\r\n\r\n").encode()
    tg = fl.send_c(t + 0.00052, req, tag="bget")
    s1 = fl.siss + 1
    body = html_body(rng, 3900, "ubuntu 24.04 - TPB")
    gen = (b"HTTP/1.1 200 OK\r\nDate: Tue, 03 Sep 2024 09:16:06 GMT\r\nContent-Type: text/html; charset=UTF-8\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n"
           b"Vary: Accept-Encoding\r\nCF-Cache-Status: DYNAMIC\r\nServer: cloudflare\r\nCF-RAY: 8bd5b07e4c1c4a3e-BOM\r\n\r\n"
           + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
    seg = fl.seg
    A, B, C = gen[:seg], gen[seg:2 * seg], gen[2 * seg:]
    inj = b"HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    L = len(inj)
    tB, tI, tA, tC = tg + 0.01462, tg + 0.01627, tg + 0.01914, tg + 0.01931
    # genuine second segment overtakes the first; the client dup-ACKs it with SACK
    fl.s(tB, "A", B, seq=s1 + seg, tag="bgenB")
    fl.c(tB + 0.00004, "A", ack=s1, sack=[(s1 + seg, s1 + 2 * seg)], tag="bsack")
    # the injected 403 + FIN at the start of the server's sequence space (no TCP options, TTL 250, IP ID 0)
    ip = mk_ip(S, ctx.cip, 250, 0, False)
    cap.add(tI, ip / TCP(sport=80, dport=fl.sport, seq=s1, ack=fl.cnxt, flags="FPA", window=8192) / Raw(inj), False, 0, "binj")
    fl.c_rcv = s1 + L + 1
    fl.c(tI + 0.00003, "A", sack=[(s1 + seg, s1 + 2 * seg)], tag="binjack")
    # browser reads the 403 and closes
    fl.c(tI + 0.00031, "FA", tag="bfin")
    # the genuine first segment (same sequence numbers as the injected data, different bytes), then the third
    fl.s(tA, "A", A, seq=s1, ack=fl.s_rcv, tag="bgenA")
    fl.stack_rst(tA + 0.00003, fl.s_rcv, tag="bcrstA")
    fl.s(tC, "PA", C, seq=s1 + 2 * seg, ack=fl.s_rcv, tag="bgenC")
    fl.stack_rst(tC + 0.00003, fl.s_rcv, tag="bcrstC")
    # the server's ACK of the client's FIN: its sequence number is past the whole genuine response
    fl.s(tI + 0.00031 + RTT + 0.0002, "A", seq=s1 + len(gen), ack=fl.cnxt, tag="bsrvack")
    fl.stack_rst(tI + 0.00031 + RTT + 0.00023, fl.cnxt, tag="bcrst3")
    fillers(ctx, IN_SITES, spread(rng, 0.0, 150.0, 18, len(IN_SITES), [(TB - 1.2, TB + 0.5)]))
    cap.write(os.path.join(out, fname))
    F = cap.frame
    note = (
        f"pcapng, one interface (802.1Q VLAN 20, nanosecond), IPv4, Linux client 10.20.5.77 on an Indian broadband network; HTTP to {HOST} ({S}, Cloudflare, "
        f"server TTL {STTL}, RTT {RTT*1000:.1f} ms, TCP timestamps on every genuine segment). t={ts(cap, 'bget')}s frame {F('bget')}: GET /search.php?q=ubuntu+24.04 "
        f"Host: {HOST}. The genuine 200 response is 3 segments; segment 2 overtakes segment 1: frame {F('bgenB')} (+14.6 ms, seq rel {seg+1}) and the client "
        f"dup-ACKs it with SACK (frame {F('bsack')}). Frame {F('binj')} (+16.3 ms): injected 'HTTP/1.1 403 Forbidden / Connection: close / Content-Length: 0' "
        f"({L} B) with FIN, at rel seq 1 - the same sequence numbers the genuine first segment will carry - IP TTL 250, IP ID 0, DF 0, no TCP options, window 8192. "
        f"The client accepts it (ACK of the FIN, frame {F('binjack')}) and closes (FIN frame {F('bfin')}): the injected data won. Frame {F('bgenA')} (+19.1 ms, TTL {STTL}): "
        f"the genuine first segment, 'HTTP/1.1 200 OK ... Server: cloudflare', covering rel seq 1-{seg} = conflicting bytes at the same sequence numbers and data "
        f"beyond the injected FIN; the client kernel answers with RST (frame {F('bcrstA')}), likewise for segment 3 (frames {F('bgenC')}, {F('bcrstC')}); the server's "
        f"ACK of the client FIN (frame {F('bsrvack')}) has seq rel {len(gen)+1}, past the genuine response, contradicting the injected FIN at rel seq {L+1}. "
        f"The injected response is a bare 403 (no known block-page text), so the mechanism is on-path packet injection (race / conflicting data), not a "
        f"fingerprinted block page. 18 ordinary visits (DNS, HTTPS, HTTP incl. neverssl.com and an apt InRelease, QUIC to Google) are interleaved."
    )
    return fname, dict(expect=[dict(mechanism="packet-injection", domain=HOST)],
                       allow=[dict(mechanism="blockpage", domain=HOST)], note=note)


# ----------------------------------------------------------------------------
# 4. rst-injection: ClientHello re-segmented after ICMP fragmentation-needed
# ----------------------------------------------------------------------------


def chrome_pq_ch_sni_at(rng, sni, boundary):
    """Chrome 131-style ClientHello with an X25519MLKEM768 key share whose extension order puts the SNI host name across byte
    `boundary` of the record (at least 3 bytes on either side). Returns (record, sid, name offset)."""
    rnd, sid = rng.randbytes(32), rng.randbytes(32)
    g1, g2, g3 = rng.sample(K.GREASE, 3)
    pub = x25519_pub(rng)
    mlkem = rng.randbytes(1184) + pub
    ks = u16(g1) + u16(1) + b"\x00" + u16(0x11EC) + u16(len(mlkem)) + mlkem + u16(0x1D) + u16(32) + pub
    alpn_b = b"\x02h2\x08http/1.1"
    sni_ext = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode())
    suites = [g1, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    small = [ext(23, b""), ext(0xFF01, b"\x00"), ext(45, b"\x01\x01"), ext(18, b""), ext(11, b"\x01\x00"), ext(35, b""),
             ext(10, u16(10) + u16(g1) + u16(0x11EC) + u16(0x1D) + u16(0x17) + u16(0x18)), ext(5, b"\x01\x00\x00\x00\x00"),
             ext(27, b"\x02\x00\x02"), ext(43, b"\x06" + u16(g3) + u16(0x0304) + u16(0x0303))]
    rest_fixed = [ext(16, u16(len(alpn_b)) + alpn_b),
                  ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
                  ext(17613, b"\x00\x03\x02h2"), ext(g3 ^ 0x1010, b"\x00")]
    head_len = 5 + 4 + 2 + 32 + 1 + 32 + 2 + 2 * len(suites) + 2 + 2
    import itertools
    for n in range(len(small) + 1):
        for combo in itertools.combinations(range(len(small)), n):
            pre = [ext(g2, b""), ext(51, u16(len(ks)) + ks)] + [small[i] for i in combo]
            off = head_len + sum(len(e) for e in pre) + 9
            if off + 3 <= boundary <= off + len(sni) - 3:
                post = [small[i] for i in range(len(small)) if i not in combo] + rest_fixed
                el = b"".join(pre) + sni_ext + b"".join(post)
                body = b"\x03\x03" + rnd + b"\x20" + sid + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00" + u16(len(el)) + el
                hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
                rec = b"\x16\x03\x01" + u16(len(hs)) + hs
                assert rec[off:off + len(sni)] == sni.encode()
                return rec, sid, off
    raise RuntimeError("no extension order puts the SNI across the boundary")


def case_reseg(out):
    fname = "rst-injection_pmtu-resegmented-clienthello.pcap"
    cap = Cap(fname, epoch(2025, 3, 2, 12, 20, 7), [dict(link="raw")], nsec=True)
    ctx = Ctx2(cap, 1904, cip="10.143.22.87", cip6="2408:8456:3e21:7a10:5d3c:9b1e:4f27:81a6", resolver="10.143.0.1",
               resolver6="2408:8888::8", rttl=62, dns_rtt=0.0164)
    rng = ctx.rng
    S, RTT, STTL, SNI = "151.101.1.164", 0.0634, 52, "www.nytimes.com"
    GW, PMTU = "10.143.0.1", 1400
    TB = 71.2
    # the browser resolved the name over DoH (doh.opendns.com) just before
    t = ctx.lookup(TB - 2.4, "doh.opendns.com", chain("doh.opendns.com", [], ["146.112.41.2"], 300, 300),
                   chain("doh.opendns.com", [], ["2620:119:fc::2"], 300, 300, "AAAA"), v6=True)
    ctx.https(t + 0.002, "146.112.41.2", "doh.opendns.com", 0.0712, 53, resp=900, cert=2900, profile="chrome", sos="linuxsrv", close=None, tag="doh")
    fl = Flow(ctx, S, 443, RTT, STTL, sos="cdn", smss=1460)
    t = fl.handshake(TB, tag="b")
    seg = fl.seg  # 1448 with timestamps
    ch, sid, noff = chrome_pq_ch_sni_at(rng, SNI, seg)
    base = fl.cnxt
    tA = t + 0.00061
    fl.c(tA, "A", ch[:seg], tag="bA")
    rawA = cap.recs[-1][3]
    fl.c(tA + 0.000012, "PA", ch[seg:], tag="bB")
    fl.s_rcv = fl.cnxt
    # the mobile core cannot carry 1500-byte packets: ICMP fragmentation needed (DF set), MTU 1400,
    # quoting the RFC 792 minimum (IP header + 8 bytes)
    tP = tA + 0.00191
    cap.add(tP, IP(src=GW, dst=ctx.cip, ttl=254, id=rng.randrange(65536), flags=0) / ICMP(type=3, code=4, nexthopmtu=PMTU) / Raw(rawA[:28]), False, 0, "bptb")
    # the kernel re-sends the lost first segment at the new MSS (1348 B); the remainder of it is
    # collapsed with the not-yet-acknowledged second segment (tcp_retrans_try_collapse), so the
    # second retransmission overlaps frame bB with different boundaries
    nseg = PMTU - 20 - 20 - 12
    tR = tP + 0.000043
    fl.c(tR, "A", ch[:nseg], seq=base, tag="bR1")
    fl.c(tR + 0.000012, "PA", ch[nseg:], seq=base + nseg, tag="bR2")
    # GFW (reassembles B + R1 + R2 out of order): type I + three type II resets
    tX = tR + 0.000012 + 0.0203
    fl.forged(tX, "R", fl.siss + 1, 0, 71, 0, False, rng.randrange(1000, 60000), "brst1")
    w = rng.randrange(1000, 60000)
    for i in range(3):
        fl.forged(tX + 0.00019 + i * 0.000013, "RA", fl.siss + 1, fl.cnxt, 96 + i, rng.randrange(0x00A3, 0xFE5F), True, w, f"brst2_{i}")
    # the server's dup-ACK for B (SACK), then its ACK + ServerHello flight, race in after the resets
    sack_ip = mk_ip(S, ctx.cip, STTL, fl.sid, True)
    fl.sid += 1
    o = fl._opts(False, tA + RTT, "A")
    o += [("NOP", None), ("NOP", None), ("SAck", ((base + seg) & 0xFFFFFFFF, fl.cnxt & 0xFFFFFFFF))]
    cap.add(tA + 0.000012 + RTT, sack_ip / TCP(sport=443, dport=fl.sport, seq=fl.siss + 1, ack=base, flags="A", window=fl.swin(), options=o), False, 0, "bsack")
    fl.stack_rst(tA + 0.000012 + RTT + 0.00003, base, tag="bcrst0")
    flight = server_flight(rng, sid, 3600)
    tS = tR + 0.000012 + RTT + 0.00061
    for k in range(3):
        part = flight[k * seg:(k + 1) * seg]
        fl.s(tS + k * 0.00011, "PA" if k == 2 else "A", part, seq=fl.siss + 1 + k * seg, ack=fl.cnxt, tag=f"bsh{k}")
        fl.stack_rst(tS + k * 0.00011 + 0.00003, fl.cnxt, tag=f"bcrst{k+1}")
    fillers(ctx, CN_SITES, spread(rng, 0.0, 160.0, 15, len(CN_SITES), [(TB - 3.0, TB + 0.6)]), v6frac=0.8)
    cap.write(os.path.join(out, fname))
    F = cap.frame
    note = (
        f"Raw-IP pcap (LINKTYPE_RAW, nanosecond) from the wwan0 interface of a Linux laptop on China Unicom mobile (CGNAT IPv4 + IPv6). Chrome has "
        f"resolved {SNI} over DoH (doh.opendns.com, frames from {F('dohsyn')}) and connects to {S}:443 (Fastly; genuine server TTL {STTL}, RTT {RTT*1000:.1f} ms) "
        f"at t={ts(cap, 'bsyn')}s frame {F('bsyn')}. Its ClientHello carries an X25519MLKEM768 key share ({len(ch)} B) and goes out as two segments: frame "
        f"{F('bA')} (rel seq 1-{seg}, DF) and frame {F('bB')} (rel seq {seg+1}-{len(ch)}); the host name '{SNI}' sits at record bytes {noff}-{noff+len(SNI)-1}, "
        f"ACROSS that segment boundary. The 1500-byte first segment never gets past the mobile core: frame {F('bptb')} is ICMP 3/4 fragmentation needed "
        f"(next-hop MTU {PMTU}) from {GW}, quoting only the IP header + 8 bytes; the kernel re-sends the same bytes re-segmented for the new MSS as frames "
        f"{F('bR1')} (rel 1-{nseg}) and {F('bR2')} (rel {nseg+1}-{len(ch)}: the rest of the first segment collapsed with the unacknowledged second one, so it "
        f"overlaps frame {F('bB')} with different boundaries). The censor saw the tail of the name (frame {F('bB')}) BEFORE the head (frames {F('bR1')}/{F('bR2')}) "
        f"and still reacted: 20 ms after the retransmission come a GFW type I RST (frame {F('brst1')}, TTL 71, IP ID 0, DF 0, flags R only, window != 0) and "
        f"three type II RST+ACK (frames {F('brst2_0')}-{F('brst2_2')}, identical seq/ack/window, DF, TTL 96/97/98). The genuine server answers after the "
        f"resets: its dup-ACK with SACK for the early tail (frame {F('bsack')}, TTL {STTL}) and its ACK of the whole ClientHello with the ServerHello flight "
        f"(frames {F('bsh0')}-{F('bsh2')}), each answered by the client kernel with a RST (win 0) because the socket is gone -> forged resets racing genuine "
        f"data, TTLs 19-46 above the server's: rst-injection for {SNI}. 15 ordinary visits (DNS via the carrier resolvers, HTTPS, HTTP, QUIC, some over "
        f"IPv6) are interleaved."
    )
    return fname, dict(expect=[dict(mechanism="rst-injection", domain=SNI)], allow=[], note=note)


# ----------------------------------------------------------------------------
# 5. blackhole: QUIC Initials for a blocked name unanswered, retried with a new connection ID
#    from the same UDP port
# ----------------------------------------------------------------------------

CN6_SITES = [
    dict(name="www.baidu.com", v4="110.242.68.66", v6="240e:ff:e020:9ae:0:ff:b014:8e8b", ttl=52, rtt=0.012, cname=["www.a.shifen.com"]),
    dict(name="www.qq.com", v4="121.14.77.221", v6="240e:97c:2f:3003::77", ttl=53, rtt=0.029, cname=["ins-r23tsuuf.ias.tencent-cloud.net"]),
    dict(name="www.bilibili.com", v4="119.3.70.188", v6="240e:f7:a010:201::24", ttl=51, rtt=0.024, kind="quic", cname=["a.w.bilicdn1.com"]),
    dict(name="mirrors.tuna.tsinghua.edu.cn", v4="101.6.15.130", v6="2402:f000:1:400::2", ttl=57, rtt=0.031, kind="http",
         path="/ubuntu/dists/noble-updates/InRelease", title="Index of /ubuntu"),
    dict(name="www.jd.com", v4="111.13.149.108", v6="240e:928:1400:105::27", ttl=53, rtt=0.019, cname=["www.jd.com.gslb.qianxun.com"]),
    dict(name="www.taobao.com", v4="140.205.94.189", v6="240e:f7:a093:101:3::3e6", ttl=51, rtt=0.033, kind="quic", cname=["www.taobao.com.danuoyi.tbcache.com"]),
    dict(name="www.zhihu.com", v4="118.89.204.198", ttl=50, rtt=0.027),
    dict(name="cn.bing.com", v4="202.89.233.101", v6="2620:1ec:33:1::10", ttl=116, rtt=0.041, sos="nots", cname=["china.bing123.com"]),
    dict(name="www.douyin.com", v4="117.23.61.233", v6="240e:978:1503::240", ttl=54, rtt=0.022, kind="quic", cname=["www.douyin.com.w.cdngslb.com"]),
    dict(name="www.163.com", v4="123.126.96.210", v6="240e:940:603:4:0:ff:b01b:589a", ttl=54, rtt=0.015, kind="http", title="NetEase", server="Tengine"),
    dict(name="gitee.com", v4="180.76.198.77", ttl=51, rtt=0.028),
]


def case_quic(out):
    fname = "blackhole_quic-new-cid-same-port.pcapng"
    ifc = dict(link="eth", cmac=mac("a8:a1:59:3c:0e:72"), gmac=mac("d4:6e:0e:9a:31:c0"), name="enp3s0", tsresol=6, os="Linux 6.8.0-45-generic")
    cap = Cap(fname, epoch(2024, 10, 21, 6, 11, 40), [ifc], fmt="pcapng", shb=dict(hw="x86_64", os="Linux 6.8.0-45-generic", app="Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"))
    ctx = Ctx2(cap, 1905, cip="192.168.2.61", cip6="240e:3b4:38e4:a50:6d2f:9c1e:3b07:e4d1", resolver="192.168.2.1", resolver6="240e:3b4:38e4:a50::1", rttl=64, dns_rtt=0.0071)
    rng = ctx.rng
    S, RTT, STTL, SNI, CTRL = "2606:4700::6812:1a4e", 0.1528, 55, "discord.com", "www.cloudflare.com"
    TC, TB = 18.6, 61.3
    P = 52113
    ctx.used.add(P)
    # control before: the same server address answers QUIC for another name
    qc = QuicConn(ctx, S, RTT, STTL, sscid_len=20)
    qc.client_initial(TC, CTRL, tag="ctl")
    qc.complete(TC, resp=24000, tag="ctl")
    # blocked: quic-go Transport on UDP port P; Initial + PTO probes, 5 s handshake idle timeout,
    # then a new Dial on the same Transport: new DCID/SCID, same 4-tuple
    ptos = [0.3, 0.9, 2.1, 4.5]
    for k, T in enumerate([TB, TB + 5.0004]):
        q = QuicConn(ctx, S, RTT, STTL, sport=P)
        q.client_initial(T, SNI, tag=f"b{k}")
        for i, dt in enumerate(ptos):
            q.retransmit_initial(T + dt + rng.uniform(0.0, 0.002), tag=f"b{k}p{i}")
        if k == 0:
            dcids = [q.odcid.hex()]
        else:
            dcids.append(q.odcid.hex())
    # control after the 180 s window: the same name-independent path works again
    qa = QuicConn(ctx, S, RTT, STTL, sscid_len=20)
    qa.client_initial(TB + 211.7, CTRL, tag="ctla")
    qa.complete(TB + 211.7, resp=18000, tag="ctla")
    fillers(ctx, CN6_SITES, spread(rng, 0.0, TB + 225.0, 18, len(CN6_SITES), [(TB - 0.5, TB + 10.5)]), v6frac=0.75)
    cap.write(os.path.join(out, fname))
    F = cap.frame
    note = (
        f"pcapng (Ethernet, microsecond), dual-stack Linux host on China Telecom (240e:3b4:38e4:a50:6d2f:9c1e:3b07:e4d1). Server {S} (Cloudflare), "
        f"hop limit {STTL}, RTT {RTT*1000:.0f} ms. Control: t={ts(cap, 'ctl')}s frame {F('ctl')} a QUIC v1 Initial with SNI {CTRL} to the same address is "
        f"answered (server Initial/ServerHello frame {F('ctlsinit')}) and the connection carries data. Blocked: a Go HTTP/3 client (quic-go Transport, one UDP "
        f"socket, source port {P} > 443) sends an Initial with SNI {SNI} at t={ts(cap, 'b0')}s (frame {F('b0')}, DCID {dcids[0]}) and PTO probes (frames "
        f"{', '.join(str(F(f'b0p{i}')) for i in range(4))}: same CRYPTO data, packet numbers 1-4); nothing comes back. After the 5 s handshake-idle timeout the "
        f"client dials again on the SAME socket: frame {F('b1')} (t={ts(cap, 'b1')}s) is a new Initial with a NEW DCID {dcids[1]} and new SCID/ClientHello from "
        f"the same UDP 4-tuple, with probes {', '.join(str(F(f'b1p{i}')) for i in range(4))}; again no datagram from {S} at all. Two connection attempts share one "
        f"UDP 4-tuple and are separable only by DCID (all Initials decrypt with RFC 9001 keys). This is the GFW's SNI-based QUIC filtering (Zohaib et al. 2025: "
        f"decrypts the Initial, sport > dport, then drops the 3-tuple for 180 s). t={ts(cap, 'ctla')}s frame {F('ctla')}: 212 s later a QUIC handshake with SNI "
        f"{CTRL} to the same address succeeds again. 18 ordinary visits (DNS A/AAAA, HTTPS, HTTP, QUIC; over IPv4 and IPv6) are interleaved; the tool was given the "
        f"address, so {SNI} is not looked up in the capture."
    )
    return fname, dict(expect=[dict(mechanism="blackhole", domain=SNI)],
                       allow=[dict(mechanism="residual-blocking", domain=SNI)], note=note)


# ----------------------------------------------------------------------------
# 6. tls-mitm: capture starts mid-connection; the interception certificate is complete
# ----------------------------------------------------------------------------

SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


def probable_prime(n, rng):
    for p in SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(24):
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


def det_rsa_key(rng, bits=2048):
    """An RSA key made from a seeded generator (cryptography's own key generation is not reproducible)."""
    import math

    def prime(b):
        while True:
            c = rng.getrandbits(b) | (3 << (b - 2)) | 1
            if probable_prime(c, rng):
                return c

    e = 65537
    while True:
        p, q = prime(bits // 2), prime(bits // 2)
        if p == q or math.gcd(e, (p - 1) * (q - 1)) != 1:
            continue
        n = p * q
        if n.bit_length() != bits:
            continue
        d = pow(e, -1, (p - 1) * (q - 1))
        return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, n)).private_key()


def kz_chain(rng):
    import datetime as dt
    utc = dt.UTC
    root_key, leaf_key = det_rsa_key(rng), det_rsa_key(rng)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Qaznet Trust Network")])
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name).public_key(root_key.public_key())
            .serial_number(0x5B2A3C1D9E7F40118C3D).not_valid_before(dt.datetime(2019, 6, 26, 9, 14, 2, tzinfo=utc))
            .not_valid_after(dt.datetime(2049, 6, 26, 9, 14, 2, tzinfo=utc))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    # subject and names copied from the genuine Facebook certificate (DigiCert-issued in 2019)
    subj = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"), x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "California"),
                      x509.NameAttribute(NameOID.LOCALITY_NAME, "Menlo Park"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Facebook, Inc."),
                      x509.NameAttribute(NameOID.COMMON_NAME, "*.facebook.com")])
    sans = ["*.facebook.com", "*.facebook.net", "*.fbcdn.net", "*.fbsbx.com", "*.m.facebook.com", "*.messenger.com", "*.xx.fbcdn.net",
            "*.xy.fbcdn.net", "*.xz.fbcdn.net", "facebook.com", "messenger.com"]
    leaf = (x509.CertificateBuilder().subject_name(subj).issuer_name(root_name).public_key(leaf_key.public_key())
            .serial_number(0x0F3C8A6E21D94B7702A5).not_valid_before(dt.datetime(2019, 7, 18, 0, 0, 0, tzinfo=utc))
            .not_valid_after(dt.datetime(2019, 10, 16, 12, 0, 0, tzinfo=utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH, x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
            .sign(root_key, hashes.SHA256()))
    return leaf.public_bytes(Encoding.DER), root.public_bytes(Encoding.DER), leaf_key


def hs_msg(t, body):
    return bytes([t]) + struct.pack("!I", len(body))[1:] + body


def tls12_flight(rng, client_random, certs, key):
    from cryptography.hazmat.primitives.asymmetric import padding
    srand = rng.randbytes(32)
    exts = ext(0xFF01, b"\x00") + ext(11, b"\x01\x00") + ext(23, b"") + ext(16, u16(9) + b"\x08http/1.1")
    sh = hs_msg(2, b"\x03\x03" + srand + b"\x20" + rng.randbytes(32) + u16(0xC02F) + b"\x00" + u16(len(exts)) + exts)
    cl = b"".join(struct.pack("!I", len(c))[1:] + c for c in certs)
    cert = hs_msg(11, struct.pack("!I", len(cl))[1:] + cl)
    params = b"\x03" + u16(0x1D) + b"\x20" + x25519_pub(rng)
    sig = key.sign(client_random + srand + params, padding.PKCS1v15(), hashes.SHA256())
    ske = hs_msg(12, params + u16(0x0401) + u16(len(sig)) + sig)
    shd = hs_msg(14, b"")
    return b"".join(b"\x16\x03\x03" + u16(len(m)) + m for m in (sh, cert, ske, shd))


KZ_SITES = [
    dict(name="yandex.kz", v4="5.255.255.77", ttl=55, rtt=0.0391),
    dict(name="mail.ru", v4="94.100.180.200", ttl=54, rtt=0.0652),
    dict(name="vk.com", v4="87.240.190.72", ttl=53, rtt=0.0618),
    dict(name="www.google.kz", v4="173.194.222.94", ttl=117, rtt=0.0447),
    dict(name="kolesa.kz", v4="185.235.236.14", ttl=58, rtt=0.0094),
    dict(name="www.nur.kz", v4="104.18.12.71", ttl=57, rtt=0.0381, sos="cdn"),
    dict(name="krisha.kz", v4="185.235.236.55", ttl=58, rtt=0.0097),
    dict(name="egov.kz", v4="195.12.113.21", ttl=59, rtt=0.0071, kind="http", title="eGov.kz", server="nginx"),
    dict(name="kaspi.kz", v4="194.187.247.10", ttl=57, rtt=0.0088),
    dict(name="ru.wikipedia.org", v4="91.198.174.192", ttl=52, rtt=0.0829, sos="cdn", cname=["dyna.wikimedia.org"]),
    dict(name="www.olx.kz", v4="52.84.150.41", ttl=241, rtt=0.0472, sos="nots", cname=["d3b9sw0rc9y1yx.cloudfront.net"]),
    dict(name="tengrinews.kz", v4="185.22.67.74", ttl=57, rtt=0.0112, kind="http", title="Tengrinews.kz", server="nginx/1.14.0"),
]


def case_mitm(out):
    fname = "tls-mitm_midstream-capture.pcap"
    cap = Cap(fname, epoch(2019, 7, 20, 14, 32, 5), [eth("70:85:c2:4b:19:e6", "e4:8d:8c:a1:57:30")], endian=">")
    ctx = Ctx2(cap, 1906, cip="192.168.0.105", resolver="192.168.0.1", rttl=64, dns_rtt=0.0123)
    rng = ctx.rng
    S, STTL, SNI = "157.240.205.35", 61, "www.facebook.com"
    leaf, root, lkey = kz_chain(rng)
    # the connection was opened ~10 ms before tcpdump started: no SYN, SYN/ACK or handshake ACK in the capture
    fl = Flow(ctx, S, 443, 0.0081, STTL, sos="linuxsrv")
    fl.cnxt, fl.snxt = fl.ciss + 1, fl.siss + 1
    fl.c_rcv, fl.s_rcv = fl.siss + 1, fl.ciss + 1
    fl.last_sts = (fl.sts - 5) & 0xFFFFFFFF
    fl.last_cts = (fl.cts - 9) & 0xFFFFFFFF
    t = 0.0
    ch, sid = K.client_hello(rng, SNI)
    fl.c(t, "PA", ch, tag="mch")
    fl.s_rcv = fl.cnxt
    fl.s(t + fl.rtt + 0.0002, "A", tag="mack")
    # the interception box fetched the real certificate first (~70 ms), then sends its own chain (TLS 1.2)
    flight = tls12_flight(rng, ch[11:43], [leaf, root], lkey)
    tf = t + 0.0734
    segs = [flight[i:i + fl.seg] for i in range(0, len(flight), fl.seg)]
    for k, part in enumerate(segs):
        fl.s(tf + k * 0.00009, "PA" if k == len(segs) - 1 else "A", part, tag=f"mf{k}")
        if k % 2 == 1 or k == len(segs) - 1:
            fl.c_rcv = fl.snxt
            fl.c(tf + k * 0.00009 + 0.00003, "A")
    tc = tf + (len(segs) - 1) * 0.00009 + 0.0024
    fl.c(tc, "PA", b"\x15\x03\x03\x00\x02\x02\x30", tag="malert")  # fatal unknown_ca
    fl.c(tc + 0.00005, "FA", tag="mfin")
    fl.s_rcv = fl.cnxt
    fl.s(tc + 0.00005 + fl.rtt, "FA", tag="msfin")
    fl.c_rcv = fl.snxt
    fl.c(tc + 0.00005 + fl.rtt + 0.00004, "A")
    fillers(ctx, KZ_SITES, spread(rng, 1.2, 150.0, 17, len(KZ_SITES)))
    cap.write(os.path.join(out, fname))
    F = cap.frame
    note = (
        f"Big-endian Ethernet pcap (microsecond), Linux/Firefox client 192.168.0.105 on Kazakhtelecom (AS9198), 2019-07-20, inside the documented "
        f"interception window (2019-07-17..26). tcpdump started ~10 ms after the browser opened a connection to {S}:443: the capture begins mid-connection, "
        f"frame {F('mch')} (t=0) is that connection's ClientHello (SNI {SNI}); no SYN, SYN/ACK or DNS look-up of this flow is in the file. The answering side "
        f"(IP TTL {STTL}) ACKs at once (frame {F('mack')}) and, 73 ms later, sends a TLS 1.2 flight (ECDHE-RSA-AES128-GCM-SHA256) in frames "
        f"{F('mf0')}-{F(f'mf{len(segs)-1}')} (the Certificate message starts in frame {F('mf0')} and is completed in frame {F(f'mf{len(segs)-1}')}, so it must be "
        f"reassembled): ServerHello, Certificate with leaf subject 'C=US, ST=California, L=Menlo Park, O=Facebook, Inc., CN=*.facebook.com' "
        f"(SAN *.facebook.com, facebook.com, ...; names copied from the genuine certificate) issued by 'CN=Qaznet Trust Network', plus that self-signed root "
        f"'Qaznet Trust Network' itself, ServerKeyExchange signed with the leaf key, ServerHelloDone. The client rejects it: fatal alert unknown_ca (frame "
        f"{F('malert')}) and FIN (frame {F('mfin')}). Issuer = the Kazakh state interception CA (Raman et al. IMC 2020) -> tls-mitm for {SNI}. 17 ordinary "
        f"visits (DNS, TLS 1.3, HTTP) to Kazakh/Russian sites follow; no QUIC v1 existed in 2019."
    )
    return fname, dict(expect=[dict(mechanism="tls-mitm", domain=SNI)], allow=[], note=note)


CASES = [case_residual, case_dnsfrag, case_overlap, case_reseg, case_quic, case_mitm]


def main():
    if len(sys.argv) != 2:
        print("usage: blind19_positive.py OUTDIR", file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    exp = {}
    for case in CASES:
        fname, e = case(out)
        exp[fname] = e
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(exp, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
