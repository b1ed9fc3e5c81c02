#!/usr/bin/env python3
# ruff: noqa: E501, B007, RUF059, UP031
"""Blind round 18, positive captures: timing and distance at the edges.

Usage: python blind18_positive.py OUTDIR

Writes six captures of real censorship, each mixed with ordinary browsing, plus
OUTDIR/expect.json.  Deterministic: every random choice comes from a seeded
random.Random, no wall-clock time is read.  Builds on blind_kit.py and takes QUIC Initial protection from generate.py (same folder).
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import blind_kit as capkit
from blind_kit import (
    PROFILES,
    Cap,
    Ctx,
    Flow,
    TokenBucket,
    chain,
    client_hello,
    epoch,
    ext,
    html_body,
    mac,
    mk_ip,
    quic_server_hello,
    server_flight,
    u16,
    x25519_pub,
)
from generate import protect
from generate import quic_initial_keys as _initial_keys
from scapy.all import UDP, ICMPv6DestUnreach, IPv6, Raw, raw

# ----------------------------------------------------------------------------
# TCP stacks: add a Windows client (no TCP timestamps, SYN options MSS,NOP,WS,NOP,NOP,SACK_PERM)
# ----------------------------------------------------------------------------

PROFILES18 = dict(PROFILES)
PROFILES18["win"] = dict(synwin=64240, ws=8, ts=False, win0=1026)
PROFILES18["cf"] = dict(synwin=65535, ws=13, ts=True, win0=8)   # Cloudflare-like edge
PROFILES18["iis"] = dict(synwin=65535, ws=8, ts=False, win0=1026)


class Flow18(Flow):
    profiles = PROFILES18

    def _opts(self, out, t, flags, sack=None):
        if "S" in flags and out and self.ctx.cos == "win":
            return [("MSS", self.cmss), ("NOP", None), ("WScale", 8), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
        if "S" in flags and not out and not self.ts:
            # Linux answering a SYN without timestamps: MSS, NOP, NOP, SACK_PERM, NOP, WS
            return [("MSS", self.smss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", self.sp["ws"])]
        return super()._opts(out, t, flags, sack)

    def cwin(self):
        if self.ctx.cos == "win":
            return 1026
        return super().cwin()

    def stack_rst(self, t, seq, tag=None):
        self.client_rst(t, seq, tag)

    def client_rst(self, t, seq, tag=None, ack=None):
        """The client kernel answering a segment for a connection it has already torn down."""
        ipid = self.ctx.ipid(self) if self.ctx.cos == "win" else (self.ctx.rng.randrange(65536) if self.ctx.cos == "mac" else 0)
        ip = mk_ip(self.cip, self.sip, self.ctx.cttl, ipid, True, self.cfl)
        flags = "R" if ack is None else "RA"
        tcp = capkit.TCP(sport=self.sport, dport=self.dport, seq=seq & 0xFFFFFFFF, ack=(ack or 0) & 0xFFFFFFFF, flags=flags, window=0)
        self.cap.add(t, ip / tcp, True, self.iface, tag)

    def inject(self, t, flags, seq, ack, ttl, ipid, df, win, payload=b"", tag=None, to_server=False):
        """A packet made by a box on the path, claiming to be the server (or, with to_server, the client)."""
        if to_server:
            ip = mk_ip(self.cip, self.sip, ttl, ipid, df, self.cfl)
            tcp = capkit.TCP(sport=self.sport, dport=self.dport, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF if "A" in flags else 0, flags=flags, window=win)
        else:
            ip = mk_ip(self.sip, self.cip, ttl, ipid, df, self.sfl)
            tcp = capkit.TCP(sport=self.dport, dport=self.sport, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF if "A" in flags else 0, flags=flags, window=win)
        pkt = ip / tcp / Raw(payload) if payload else ip / tcp
        self.cap.add(t, pkt, to_server, self.iface, tag)


# ----------------------------------------------------------------------------
# QUIC v1 (RFC 9000/9001): Initial packets protected with keys from the client's DCID
# ----------------------------------------------------------------------------

def quic_initial_keys(odcid, server):
    """(key, iv, hp) of one side's QUIC v1 Initial packets (RFC 9001 5.2)."""
    return _initial_keys(odcid)["server" if server else "client"]


def varint(v):
    if v < 0x40:
        return bytes([v])
    if v < 0x4000:
        return struct.pack("!H", 0x4000 | v)
    if v < 0x40000000:
        return struct.pack("!I", 0x80000000 | v)
    return struct.pack("!Q", 0xC000000000000000 | v)


def quic_initial(keys, dcid, scid, pn, frames, pnlen=2, min_len=None, token=b""):
    """One protected Initial packet; frames are padded with PADDING so that the packet is min_len bytes."""
    first = 0xC0 | (pnlen - 1)
    hdr0 = bytes([first]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(len(token)) + token
    payload = frames
    if min_len is not None:
        # header + 2-byte length + pn + payload + 16 tag
        need = min_len - (len(hdr0) + 2 + pnlen + len(payload) + 16)
        if need > 0:
            payload += b"\x00" * need
    if len(payload) + pnlen < 4:  # sample needs 4 bytes after the pn start
        payload += b"\x00" * (4 - pnlen - len(payload))
    length = pnlen + len(payload) + 16
    hdr = hdr0 + struct.pack("!H", 0x4000 | length) + pn.to_bytes(pnlen, "big")
    return protect(hdr, pn, pnlen, payload, keys)


def quic_longhdr_opaque(rng, ptype, dcid, scid, size):
    """A long-header packet (Handshake: ptype 2) whose protected payload we cannot (and need not) produce: random bytes."""
    first = 0xC0 | (ptype << 4) | rng.randrange(16)
    hdr = bytes([first]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    body = rng.randbytes(max(size - len(hdr) - 2, 24))
    return hdr + struct.pack("!H", 0x4000 | len(body)) + body


def quic_short(rng, dcid, size):
    return bytes([0x40 | rng.randrange(32)]) + dcid + rng.randbytes(max(size - 1 - len(dcid), 22))


def frame_crypto(data, off=0):
    return b"\x06" + varint(off) + varint(len(data)) + data


def frame_ack(largest, delay=0, first=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(first)


def tp(pid, val):
    return varint(pid) + varint(len(val)) + val


def quic_client_hello(rng, sni, scid, profile="chrome"):
    """TLS 1.3 ClientHello handshake message (no record layer) as carried in QUIC CRYPTO frames."""
    rnd = rng.randbytes(32)
    pub = x25519_pub(rng)
    params = (tp(0x01, varint(30000)) + tp(0x03, varint(1472)) + tp(0x04, varint(15728640)) + tp(0x05, varint(6291456))
              + tp(0x06, varint(6291456)) + tp(0x07, varint(6291456)) + tp(0x08, varint(100)) + tp(0x09, varint(103))
              + tp(0x0F, scid))
    if profile == "chrome":
        params += tp(0x20, varint(65536)) + tp(0x2AB2, b"")
    alpn = b"\x02h3"
    exts = [
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(10, u16(4) + u16(0x1D) + u16(0x17)),
        ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
        ext(16, u16(len(alpn)) + alpn),
        ext(45, b"\x01\x01"),
        ext(51, u16(36) + u16(0x1D) + u16(32) + pub),
        ext(43, b"\x02" + u16(0x0304)),
        ext(57, params),
    ]
    if profile == "chrome":
        exts.insert(4, ext(27, b"\x02\x00\x02"))
        rng.shuffle(exts)
    el = b"".join(exts)
    body = b"\x03\x03" + rnd + b"\x00" + u16(6) + u16(0x1301) + u16(0x1302) + u16(0x1303) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


class Ctx18(Ctx):
    flow_class = Flow18

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.g_ipid = self.rng.randrange(1, 65536)  # Windows: one IP ID counter for the host

    def ipid(self, fl):
        if self.cos == "win":
            v = self.g_ipid
            self.g_ipid = (self.g_ipid + 1) & 0xFFFF
            return v
        return super().ipid(fl)

    def udp(self, t, src, dst, sport, dport, ttl, payload, out, ipid=0, df=True, tag=None, fl=0):
        ip = mk_ip(src, dst, ttl, ipid, df, fl)
        self.cap.add(t, ip / UDP(sport=sport, dport=dport) / Raw(payload), out, self.iface, tag)

    def _cid(self, n=8):
        return self.rng.randbytes(n)

    def quic(self, t, sip, sni, rtt, sttl, resp=30000, rate=40e6, cert=2800, tag=None, profile="chrome", s_df=False, close=True):
        """A complete, successful HTTP/3 exchange.  Returns the time of the last packet."""
        rng = self.rng
        v6 = ":" in sip
        cip = self.cip6 if v6 else self.cip
        sport = self.port()
        dcid, scid, srv_cid = self._cid(8), (b"" if profile == "chrome" else self._cid(8)), self._cid(8)
        ck = quic_initial_keys(dcid, False)
        sk = quic_initial_keys(dcid, True)
        cfl = rng.getrandbits(20)

        def c_send(tt, payload, tg=None):
            self.udp(tt, cip, sip, sport, 443, self.cttl, payload, True, ipid=self.ipid(None) if self.cos == "win" else 0, df=True, tag=tg, fl=cfl)

        s_ip = [rng.randrange(65536)]

        def s_send(tt, payload, tg=None):
            s_ip[0] = (s_ip[0] + 1) & 0xFFFF
            self.udp(tt, sip, cip, 443, sport, sttl, payload, False, ipid=s_ip[0] if not s_df else 0, df=s_df, tag=tg)

        ch = quic_client_hello(rng, sni, scid, profile)
        size = 1250 if profile == "chrome" else 1252
        c_send(t, quic_initial(ck, dcid, scid, 1 if profile == "chrome" else 0, frame_crypto(ch), pnlen=1 if profile == "chrome" else 2, min_len=size - 8), tag and tag + "init")
        # server first flight: Initial(ACK+ServerHello) + Handshake, then more Handshake
        ta = t + rtt + rng.uniform(0.0003, 0.0015)
        sh = quic_server_hello(rng)
        si = quic_initial(sk, scid, srv_cid, 0, frame_ack(1 if profile == "chrome" else 0) + frame_crypto(sh), pnlen=2)
        hs1 = quic_longhdr_opaque(rng, 2, scid, srv_cid, 1200 - len(si))
        s_send(ta, si + hs1, tag and tag + "sinit")
        rem = cert + 300
        k = 0
        while rem > 0:
            n = min(rem, 1200)
            ta += 1252 * 8 / rate + rng.uniform(0.00002, 0.00008)
            s_send(ta, quic_longhdr_opaque(rng, 2, scid, srv_cid, n))
            rem -= n
            k += 1
        # client: Initial ACK + Handshake (Finished), then the request
        tc = ta + rng.uniform(0.0005, 0.004)
        ci2 = quic_initial(ck, srv_cid, scid, 2 if profile == "chrome" else 1, frame_ack(0), pnlen=1 if profile == "chrome" else 2)
        ch2 = quic_longhdr_opaque(rng, 2, srv_cid, scid, 90)
        pad = max(0, size - 8 - len(ci2) - len(ch2))
        ci2 = quic_initial(ck, srv_cid, scid, 2 if profile == "chrome" else 1, frame_ack(0), pnlen=1 if profile == "chrome" else 2, min_len=len(ci2) + pad) if pad else ci2
        c_send(tc, ci2 + ch2)
        tc += rng.uniform(0.00005, 0.0003)
        c_send(tc, quic_short(rng, srv_cid, rng.randrange(90, 180)), tag and tag + "req")
        tc += rng.uniform(0.00002, 0.0001)
        c_send(tc, quic_short(rng, srv_cid, rng.randrange(40, 70)))
        # response
        ts = tc + rtt + rng.uniform(0.002, 0.02)
        s_send(ts, quic_short(rng, scid, rng.randrange(60, 120)))
        left, npk = resp, 0
        while left > 0:
            n = min(left, 1200)
            ts += 1252 * 8 / rate + rng.uniform(0.00001, 0.00005)
            s_send(ts, quic_short(rng, scid, n + 30), tag and npk == 0 and tag + "data")
            left -= n
            npk += 1
            if npk % 2 == 0 or left <= 0:
                c_send(ts + rng.uniform(0.0001, 0.0004), quic_short(rng, srv_cid, rng.randrange(36, 50)))
        t_end = ts + 0.0005
        if close:
            t_end = ts + rng.uniform(1.5, 6.0)
            c_send(t_end, quic_short(rng, srv_cid, rng.randrange(36, 48)))
        return t_end

    def quic_blocked(self, t, sip, sni, gaps, tag=None, profile="quicgo", sport=None):
        """Client Initials with the same DCID retransmitted after each gap in gaps; nothing comes back."""
        rng = self.rng
        v6 = ":" in sip
        cip = self.cip6 if v6 else self.cip
        sport = sport or self.port()
        dcid, scid = self._cid(8), (b"" if profile == "chrome" else self._cid(8))
        ck = quic_initial_keys(dcid, False)
        ch = quic_client_hello(rng, sni, scid, profile)
        size = 1250 if profile == "chrome" else 1252
        cfl = rng.getrandbits(20)
        times = [t]
        for g in gaps:
            times.append(times[-1] + g + rng.uniform(0.0001, 0.003))
        for i, tt in enumerate(times):
            pkt = quic_initial(ck, dcid, scid, i, frame_crypto(ch), pnlen=2, min_len=size - 8)
            self.udp(tt, cip, sip, sport, 443, self.cttl, pkt, True, ipid=self.ipid(None) if self.cos == "win" else 0, df=True, tag=tag and f"{tag}{i}", fl=cfl)
        return times, sport, dcid


# ----------------------------------------------------------------------------
# ordinary browsing
# ----------------------------------------------------------------------------


def S(name, kind, ip, rtt, ttl, size=20000, a=None, aaaa=(), cn=(), dns=True, **kw):
    """One ordinary visit: kind https|http|quic; ip is the address connected to."""
    if a is None:
        a = [ip] if ":" not in ip else []
    return dict(name=name, kind=kind, ip=ip, rtt=rtt, ttl=ttl, size=size, a=list(a), aaaa=list(aaaa), cn=list(cn), dns=dns, kw=kw)


def visit(ctx, t, s, v6dns=False, dns_rtt=None, tag=None):
    rng = ctx.rng
    if s["dns"]:
        ans_a = chain(s["name"], s["cn"], s["a"], rng.choice([60, 120, 300, 600]), rng.choice([30, 60, 300])) if s["a"] else (chain(s["name"], s["cn"], [], 300, 300) if s["cn"] else [])
        ans_aaaa = chain(s["name"], s["cn"], s["aaaa"], 300, 300, "AAAA") if s["aaaa"] else (chain(s["name"], s["cn"], [], 300, 300) if s["cn"] else [])
        t = ctx.lookup(t, s["name"], ans_a, ans_aaaa, v6=v6dns, rtt=dns_rtt or s["kw"].get("dns_rtt"), tag=tag and tag + "dns") + rng.uniform(0.0003, 0.002)
    kw = dict(s["kw"])
    kw.pop("dns_rtt", None)
    if s["kind"] == "https":
        _, t = ctx.https(t, s["ip"], s["name"], s["rtt"], s["ttl"], resp=s["size"], tag=tag, **kw)
    elif s["kind"] == "http":
        path = kw.pop("path", "/")
        body = kw.pop("body", None) or html_body(rng, s["size"], s["name"])
        headers = kw.pop("headers", None) or (("Server", "nginx"), ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))))
        _, t = ctx.http(t, s["ip"], s["name"], s["rtt"], s["ttl"], path=path, body=body, headers=headers, tag=tag, **kw)
    elif s["kind"] == "quic":
        t = ctx.quic(t, s["ip"], s["name"], s["rtt"], s["ttl"], resp=s["size"], tag=tag, **kw)
    return t


def browse(ctx, t, sites, gap=(0.8, 6.0), **kw):
    for s in sites:
        t = visit(ctx, t, s, **kw) + ctx.rng.uniform(*gap)
    return t


def iface(link, cmac_s, gmac_s, name, **kw):
    d = dict(link=link, cmac=mac(cmac_s), gmac=mac(gmac_s), name=name, ifindex=kw.pop("ifindex", 2))
    d.update(kw)
    return d


class Cap18(Cap):
    pass


EXPECT = {}


def fr(cap, tag):
    return cap.frame(tag)


def frs(cap, prefix):
    return cap.frames(prefix)


# ============================================================================
# 1. rst-injection: Henan firewall, one RST with payload, server ~330 ms away
# ============================================================================


def case_henan(outdir):
    fname = "rst-injection_henan_single_rst_far_server.pcap"
    cap = Cap18(fname, epoch(2024, 5, 14, 13, 21, 40), [iface("eth", "a4:c3:f0:5e:21:9b", "30:fc:68:a1:7c:02", "Ethernet")])
    ctx = Ctx18(cap, 1801, cip="192.168.1.105", cos="win", cttl=128, resolver="202.102.224.68", rttl=59, dns_rtt=0.0085)
    rng = ctx.rng
    BLOCK, BIP, BRTT, BTTL = "180graus.com", "186.202.153.158", 0.3315, 43
    t = 0.0
    # Windows network connectivity probe
    t = visit(ctx, t, S("www.msftconnecttest.com", "http", "23.40.79.146", 0.031, 55, body=b"Microsoft Connect Test", path="/connecttest.txt",
                        cn=["www.msftconnecttest.com.edgekey.net", "e8021.dscb.akamaiedge.net"],
                        headers=(("Content-Length", "22"), ("Content-Type", "text/plain"), ("Cache-Control", "max-age=30, must-revalidate")), close="client")) + 1.7
    chrome = dict(profile="chrome")
    before = [
        S("www.baidu.com", "https", "110.242.68.3", 0.0142, 53, 68000, cn=["www.a.shifen.com"], **chrome),
        S("www.bing.com", "https", "202.89.233.100", 0.0318, 51, 41000, cn=["china.bing123.com", "cn-bing-com.cn.a-0001.a-msedge.net"], **chrome),
        S("news.163.com", "https", "42.236.37.81", 0.0061, 56, 152000, cn=["news.163.com.163jiasu.com"], sos="nots", **chrome),
        S("g.alicdn.com", "quic", "61.136.167.253", 0.0098, 55, 56000, cn=["g.alicdn.com.danuoyi.alicdn.com"]),
        S("www.zhihu.com", "https", "42.236.95.250", 0.0072, 56, 98000, cn=["www.zhihu.com.ipv6.dsa.dnsv1.com"], **chrome),
        S("github.com", "https", "20.205.243.166", 0.0815, 44, 212000, **chrome),
        S("avatars.githubusercontent.com", "https", "185.199.110.133", 0.1902, 47, 34000, **chrome),
    ]
    t = browse(ctx, t, before, gap=(1.2, 7.5))
    # ---- the blocked visit: 180graus.com (Teresina, Brazil) from Zhengzhou, Henan ----
    ans = chain(BLOCK, [], [BIP], 3600, 3600)
    t = ctx.lookup(t, BLOCK, ans, [], tag="b_dns") + 0.0011
    attempts = []
    for k in range(2):
        fl = ctx.flow_class(ctx, BIP, 443, BRTT, BTTL, sos="linuxsrv")
        tag = f"b{k}_"
        t = fl.handshake(t, tag)
        t += rng.uniform(0.0004, 0.0011)
        ch, sid = client_hello(rng, BLOCK, ("h2", "http/1.1"), "chrome")
        t_ch = t
        fl.send_c(t, ch, tag + "ch")
        # one RST+ACK to the client only: TTL 58, IP ID 1, DF clear, 10-byte payload
        t_rst = t_ch + rng.uniform(0.0024, 0.0031)
        fl.inject(t_rst, "RA", fl.snxt, fl.cnxt, 58, 1, False, 4096, bytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 0]), tag + "rst")
        # the genuine server got the ClientHello and answers one RTT later; the client has no socket: RSTs
        flight = server_flight(rng, sid, 3650)
        ts = t_ch + BRTT + rng.uniform(0.0006, 0.0016)
        off, n = 0, 0
        while off < len(flight):
            chunk = flight[off:off + fl.seg]
            off += len(chunk)
            fl.s(ts, "PA" if off >= len(flight) else "A", chunk, tag=f"{tag}srv{n}")
            fl.client_rst(ts + rng.uniform(0.00004, 0.00012), fl.cnxt, tag=f"{tag}crst{n}")
            ts += (len(chunk) + 54) * 8 / 40e6 + rng.uniform(0.00001, 0.00004)
            n += 1
        attempts.append((fl, t_ch, t_rst, n))
        t = ts + (rng.uniform(6.5, 9.0) if k == 0 else rng.uniform(3.0, 5.0))
    # natural control: another site on the same shared-hosting address, other SNI, works
    ctrl = S("www.meionorte.com", "https", BIP, BRTT, BTTL, 96000, profile="chrome")
    t = visit(ctx, t, ctrl, tag="ctl_") + rng.uniform(2.0, 5.0)
    after = [
        S("www.bilibili.com", "https", "61.147.236.52", 0.0231, 52, 187000, cn=["a.w.bilicdn1.com"], **chrome),
        S("i0.hdslb.com", "https", "61.147.236.59", 0.0234, 52, 265000, cn=["i0.hdslb.com.w.kunlunsl.com"], **chrome),
        S("www.taobao.com", "quic", "61.136.167.240", 0.0101, 55, 121000, cn=["www.taobao.com.danuoyi.tbcache.com"]),
        S("www.jd.com", "https", "42.236.13.129", 0.0066, 56, 134000, cn=["www.jd.com.gslb.qianxun.com", "www.jdcdn.com"], **chrome),
        S("www.qq.com", "https", "123.151.137.18", 0.0262, 52, 88000, cn=["ins-r23tsuuf.ias.tencent-cloud.net"], **chrome),
        S("mp.weixin.qq.com", "https", "182.254.116.117", 0.0298, 51, 42000, **chrome),
        S("www.msn.cn", "http", "202.89.235.103", 0.0309, 51, 9000, status="301 Moved Permanently", headers=(("Location", "https://www.msn.cn/zh-cn"), ("Content-Length", "0")), body=b" ", close="server"),
        S("www.msn.cn", "https", "202.89.235.103", 0.0309, 51, 77000, dns=False, **chrome),
        S("www.douyin.com", "https", "42.236.74.236", 0.0081, 56, 143000, cn=["www.douyin.com.bytefcdn-oversea.com"], **chrome),
    ]
    t = browse(ctx, t, after, gap=(1.0, 6.0))
    cap.write(os.path.join(outdir, fname))

    (f0, tch0, trst0, n0), (f1, tch1, trst1, n1) = attempts
    note = (
        f"Windows 11 / Chrome client 192.168.1.105 in Zhengzhou (China Unicom Henan, resolver 202.102.224.68). "
        f"DNS for {BLOCK} is answered normally (frame {fr(cap, 'b_dnsrA')}) with {BIP}, a shared-hosting server in Brazil. "
        f"Two HTTPS attempts to it: SYN/ACK arrives {BRTT*1000:.0f} ms after the SYN (server TTL {BTTL}, initial 64, ~21 hops), "
        f"so the path RTT is ~{BRTT*1000:.0f} ms. The ClientHello (SNI {BLOCK}; frames {fr(cap, 'b0_ch')} and {fr(cap, 'b1_ch')}) is sent in a segment "
        f"with a 20-byte TCP header (Windows sends no TCP timestamps). A single RST+ACK claiming to come from the server arrives only "
        f"{(trst0-tch0)*1000:.1f} ms / {(trst1-tch1)*1000:.1f} ms later (frames {fr(cap, 'b0_rst')}, {fr(cap, 'b1_rst')}): IP TTL 58 vs the server's {BTTL}, "
        f"IP ID 0x0001, DF clear, 10-byte payload 01 02 03 04 05 06 07 08 09 00 -- the Henan provincial firewall (RST-05, Wu et al. S&P 2025). "
        f"It cannot be the server: it comes ~{BRTT*1000 - (trst0-tch0)*1000:.0f} ms before any packet from Brazil could. Race evidence: one RTT after the ClientHello the genuine "
        f"ServerHello flight (TTL {BTTL}, frames {', '.join(str(x) for x in frs(cap, 'b0_srv'))} and {', '.join(str(x) for x in frs(cap, 'b1_srv'))}) still arrives and the client's "
        f"kernel answers each segment with a RST (window 0, TTL 128) because the socket was already reset. The Henan box resets only the client and "
        f"keeps no residual state, so the reload {tch1 - tch0:.1f} s later is reset in exactly the same way. Control: www.meionorte.com on the same address {BIP}:443 "
        f"(frame {fr(cap, 'ctl_ch')} ClientHello) completes normally. "
        f"Twist: the injector is ~2 ms from the client while the real server is ~330 ms away, and there is ONE RST (not a GFW burst), "
        f"so a tool expecting a 3-RST burst, RST-to-both-sides, or a forged-RST latency tied to a national-gateway distance misses it. "
        f"The RST window (4096) is not documented by the paper and was chosen here. About 18 ordinary visits (DNS, TLS, HTTP, QUIC to Alibaba CDN) surround it."
    )
    EXPECT[fname] = dict(expect=[dict(mechanism="rst-injection", domain=BLOCK)], allow=[], note=note)


# ============================================================================
# 2. dns-injection: a slow injector (~290 ms) and a genuine answer 2 s later
# ============================================================================


def icmp6_port_unreach(ctx, t, orig_pkt, tag=None):
    """Linux answering a UDP datagram for a closed port (the stub already took the first answer)."""
    ob = raw(orig_pkt)
    ip6 = IPv6(src=ctx.cip6, dst=orig_pkt[IPv6].src, hlim=64)
    ctx.cap.add(t, ip6 / ICMPv6DestUnreach(code=4) / Raw(ob[:1232]), True, ctx.iface, tag)


def case_dns_slow(outdir):
    fname = "dns-injection_slow_injector_late_genuine.pcapng"
    ifs = [iface("eth", "d8:bb:c1:4e:07:3a", "50:64:2b:91:0c:e6", "enp3s0", tsresol=9, os="Linux 6.8.0-45-generic")]
    cap = Cap18(fname, epoch(2024, 11, 6, 12, 3, 11), ifs, fmt="pcapng", shb=dict(hw="x86_64", os="Linux 6.8.0-45-generic", app="Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"))
    R6 = "2606:4700:4700::1111"
    ctx = Ctx18(cap, 1802, cip="192.168.31.120", cip6="240e:3a1:4c62:b1c0:5c1e:8a3f:2b47:d906", cos="linux", cttl=64,
                resolver="192.168.31.1", resolver6=R6, rttl=47, dns_rtt=0.166, edns=1232)
    rng = ctx.rng
    BLOCK = "www.bbc.com"
    v6 = dict(v6dns=True)
    sites1 = [
        S("www.baidu.com", "https", "240e:ff:e020:9ae:0:ff:b014:8e8b", 0.0212, 53, 71000, a=["110.242.68.4"], aaaa=["240e:ff:e020:9ae:0:ff:b014:8e8b"], cn=["www.a.shifen.com"]),
        S("www.qq.com", "https", "240e:97c:2f:2::4c", 0.0158, 55, 93000, a=["101.91.42.232"], aaaa=["240e:97c:2f:2::4c"], cn=["ins-r23tsuuf.ias.tencent-cloud.net"], dns_rtt=0.41),
        S("www.taobao.com", "quic", "240e:f7:a000:2201:3::3e4", 0.0139, 54, 143000, a=["111.13.104.120"], aaaa=["240e:f7:a000:2201:3::3e4"], cn=["www.taobao.com.danuoyi.tbcache.com"], profile="quicgo", dns_rtt=0.173),
        S("www.douban.com", "https", "81.70.124.99", 0.0086, 56, 64000, dns_rtt=0.62),
        S("www.zhihu.com", "https", "240e:e9:6002:15a:0:ff:b05c:1278", 0.0121, 55, 118000, a=["103.41.167.234"], aaaa=["240e:e9:6002:15a:0:ff:b05c:1278"], cn=["www.zhihu.com.ipv6.dsa.dnsv1.com"], dns_rtt=0.168),
        S("www.ithome.com", "https", "240e:e9:5c00:3::4", 0.0173, 54, 88000, a=["117.149.203.50"], aaaa=["240e:e9:5c00:3::4"], cn=["www.ithome.com.cdn.dnsv1.com"], dns_rtt=0.91),
        S("mirrors.tuna.tsinghua.edu.cn", "https", "2402:f000:1:400::2", 0.0031, 59, 1900000, a=["101.6.15.130"], aaaa=["2402:f000:1:400::2"], dns_rtt=0.169, rate=300e6),
    ]
    t = browse(ctx, 0.0, sites1, gap=(1.0, 6.0), **v6) + 0.8
    # ---- the blocked lookup ----
    sport = ctx.port()
    t_q = t
    qids = {}
    for qt in ("A", "AAAA"):
        txid = rng.randrange(65536)
        qids[qt] = txid
        q = capkit.dns_msg(txid, 0x0100, BLOCK, qt, edns=1232)
        ctx.udp(t, ctx.cip6, R6, sport, 53, 64, q, True, tag=f"b_q{qt}", fl=rng.getrandbits(20))
        t += rng.uniform(0.00003, 0.00008)
    # forged: flags 0x8180, one answer, no OPT although the query had one, hop limit unlike the resolver's
    f_a = capkit.dns_msg(qids["A"], 0x8180, BLOCK, "A", [(BLOCK, "A", 234, "93.46.8.89")], edns=None)
    f_aaaa = capkit.dns_msg(qids["AAAA"], 0x8180, BLOCK, "AAAA", [(BLOCK, "AAAA", 234, "2a03:2880:f12d:83:face:b00c:0:25de")], edns=None)
    tf = t_q + rng.uniform(0.284, 0.292)
    ctx.udp(tf, R6, ctx.cip6, 53, sport, 109, f_a, False, tag="b_fA")
    ctx.udp(tf + rng.uniform(0.0003, 0.0011), R6, ctx.cip6, 53, sport, 109, f_aaaa, False, tag="b_fAAAA")
    # genuine, after the resolver's own upstream retries
    cn = ["www.bbc.com.pri.bbc.com", "uk.www.bbc.co.uk.pri.bbc.co.uk"]
    g_a = capkit.dns_msg(qids["A"], 0x8180, BLOCK, "A", chain(BLOCK, cn, ["151.101.0.81", "151.101.64.81", "151.101.128.81", "151.101.192.81"], 300, 244), edns=1232)
    g_aaaa = capkit.dns_msg(qids["AAAA"], 0x8180, BLOCK, "AAAA", chain(BLOCK, cn, ["2a04:4e42::81", "2a04:4e42:200::81", "2a04:4e42:400::81", "2a04:4e42:600::81"], 300, 244, "AAAA"), edns=1232)
    tg = t_q + rng.uniform(2.40, 2.43)
    for k, (lbl, msg) in enumerate((("A", g_a), ("AAAA", g_aaaa))):
        pkt = mk_ip(R6, ctx.cip6, 47, 0, False, rng.getrandbits(20)) / UDP(sport=53, dport=sport) / Raw(msg)
        cap.add(tg, pkt, False, ctx.iface, f"b_g{lbl}")
        icmp6_port_unreach(ctx, tg + rng.uniform(0.00003, 0.00008), pkt, f"b_icmp{lbl}")
        tg += rng.uniform(0.006, 0.03)
    t = tg + rng.uniform(4.0, 9.0)
    sites2 = [
        S("www.bilibili.com", "https", "240e:e9:1101:100::3", 0.0148, 55, 176000, a=["120.92.78.97"], aaaa=["240e:e9:1101:100::3"], cn=["a.w.bilicdn1.com"], dns_rtt=0.164),
        S("www.csdn.net", "https", "39.106.226.142", 0.0245, 51, 132000, dns_rtt=0.47),
        S("g.alicdn.com", "quic", "240e:f7:a000:2201:3::3f1", 0.0137, 54, 61000, a=["111.13.104.112"], aaaa=["240e:f7:a000:2201:3::3f1"], cn=["g.alicdn.com.danuoyi.alicdn.com"], profile="quicgo", dns_rtt=0.171),
        S("www.sohu.com", "https", "123.125.244.100", 0.0094, 56, 97000, cn=["gs.a.sohu.com"], dns_rtt=0.35),
        S("www.apple.com.cn", "https", "240e:e9:5c00:1::25", 0.0177, 54, 152000, a=["23.59.248.66"], aaaa=["240e:e9:5c00:1::25"], cn=["www.apple.com.cn.edgekey.net", "e6858.dscx.akamaiedge.net"], dns_rtt=0.168),
        S("pypi.org", "https", "2a04:4e42::223", 0.187, 49, 41000, a=["151.101.0.223"], aaaa=["2a04:4e42::223"], dns_rtt=0.167, sos="cdn"),
        S("www.163.com", "http", "240e:96c:6100:1200:3::3fc", 0.0111, 55, 2000, a=["125.77.138.59"], aaaa=["240e:96c:6100:1200:3::3fc"], cn=["www.163.com.163jiasu.com"], dns_rtt=0.169,
          status="301 Moved Permanently", headers=(("Server", "nginx"), ("Location", "https://www.163.com/"), ("Content-Length", "0")), body=b" "),
        S("www.163.com", "https", "240e:96c:6100:1200:3::3fc", 0.0111, 55, 205000, dns=False),
        S("www.weibo.com", "https", "180.149.153.216", 0.0109, 55, 58000, cn=["weibo.com"], dns_rtt=0.52),
    ]
    t = browse(ctx, t, sites2, gap=(1.0, 6.0), **v6)
    cap.write(os.path.join(outdir, fname))
    recs = cap.sorted()

    def tt(tag):
        return recs[cap.frame(tag) - 1][0] / 1e9

    note = (
        f"Linux desktop in China (2024-11) resolving through Cloudflare's public resolver {R6} over IPv6 (EDNS0, UDP/1232). "
        f"The resolver's normal answers take 150-190 ms when cached and 0.3-1.05 s when not (exactly one answer per query, hop limit 47). "
        f"For {BLOCK} the client sends A and AAAA from one socket (frames {fr(cap, 'b_qA')}, {fr(cap, 'b_qAAAA')}). "
        f"First come forged replies {1000*(tt('b_fA')-tt('b_qA')):.0f} ms after the query (frames {fr(cap, 'b_fA')}, {fr(cap, 'b_fAAAA')}): "
        f"flags 0x8180, ANCOUNT 1, ARCOUNT 0 (the query's OPT is not echoed), answer A 93.46.8.89 (a published GFW poison address) and "
        f"AAAA 2a03:2880:f12d:83:face:b00c:0:25de (Facebook, the current injector AAAA pool), answer TTL 234, IPv6 hop limit 109. "
        f"The genuine replies (same txids/ports, CNAME www.bbc.com.pri.bbc.com -> Fastly 151.101.x.81 / 2a04:4e42::81, OPT echoed, hop limit 47) "
        f"arrive {tt('b_gA')-tt('b_qA'):.2f} s after the query (frames {fr(cap, 'b_gA')}, {fr(cap, 'b_gAAAA')}), after the resolver's own upstream retries; "
        f"the stub has already accepted the forged answer and closed its socket, so the kernel answers each with ICMPv6 port unreachable "
        f"(frames {fr(cap, 'b_icmpA')}, {fr(cap, 'b_icmpAAAA')}). Two responses per query with different RDATA = on-path injection (DNS-01/02). "
        f"Twist: the injector is slow -- its answer comes ~290 ms after the query, LATER than the resolver's usual cached answer (~166 ms), "
        f"and the genuine answer trails the forged one by ~2.1 s, so a tool that requires the forged reply to be faster than the path RTT, or "
        f"that only pairs responses within ~1 s, misses it. No connection to the forged addresses is attempted. "
        f"Around it: 16 ordinary visits (DNS over IPv6, TLS over IPv4/IPv6, HTTP redirect, QUIC)."
    )
    EXPECT[fname] = dict(expect=[dict(mechanism="dns-injection", domain=BLOCK)], allow=[dict(mechanism="dns-tampering", domain=BLOCK)], note=note)


# ============================================================================
# 3. residual-blocking: GFW SNI trigger, follow-ups 151-176 s later, success at 187 s
# ============================================================================


def gfw_type2(fl, t, seq, ack, rng, tag, ttl0):
    """GFW type II: three RST+ACK, DF set, IP ID from a wide range, same seq/ack/window, TTL rising."""
    win = 3263
    for k in range(3):
        fl.inject(t + k * rng.uniform(0.00002, 0.00006), "RA", seq, ack, ttl0 + k, rng.randrange(0x00A3, 0xFE5F), True, win, tag=f"{tag}{k}")


def case_residual(outdir):
    fname = "residual-blocking_gfw_late_window.pcap"
    ifs = [iface("vlan", "f0:18:98:3a:c2:51", "00:1e:49:7b:20:c1", "en0", vlan=10)]
    cap = Cap18(fname, epoch(2024, 9, 24, 2, 14, 5), ifs, fmt="pcap", endian=">", nsec=True)
    ctx = Ctx18(cap, 1803, cip="10.20.4.37", cos="mac", cttl=64, resolver="10.20.0.53", rttl=63, dns_rtt=0.0016)
    rng = ctx.rng
    BLOCK, OTHER = "www.docker.com", "www.npmjs.com"
    CF4 = ["104.18.42.174", "172.64.145.82"]
    SIP, RTT, STTL = CF4[0], 0.1903, 52
    mac_ = dict(profile="chrome")
    cf_cn = lambda n: [n + ".cdn.cloudflare.net"]  # noqa: E731

    def cf_lookup(t, name, tag=None):
        return ctx.lookup(t, name, chain(name, cf_cn(name), CF4, 300, 300), chain(name, cf_cn(name), [], 300, 300), tag=tag) + rng.uniform(0.0004, 0.0015)

    pre = [
        S("www.baidu.com", "https", "180.101.50.188", 0.0081, 55, 69000, cn=["www.a.shifen.com"], **mac_),
        S("www.bing.com", "https", "202.89.233.101", 0.0271, 51, 44000, cn=["china.bing123.com"], **mac_),
        S("mirrors.aliyun.com", "https", "101.226.26.145", 0.0052, 56, 380000, cn=["mirrors.aliyun.com.w.alikunlun.com"], **mac_),
    ]
    t = browse(ctx, 0.0, pre, gap=(1.0, 5.0))
    # before the trigger: the same Cloudflare address serves www.npmjs.com fine
    t = cf_lookup(t, OTHER, "pre_")
    _, t = ctx.https(t, SIP, OTHER, RTT, STTL, resp=142000, sos="cf", profile="chrome", tag="pre_")
    t += rng.uniform(3.0, 7.0)
    t = browse(ctx, t, [S("www.zhihu.com", "https", "101.226.28.233", 0.0063, 56, 91000, **mac_),
                        S("developer.apple.com", "https", "17.253.144.10", 0.0374, 50, 120000, cn=["developer.apple.com.edgekey.net"], **mac_)], gap=(1.0, 4.0))
    # ---- trigger: ClientHello with SNI www.docker.com to the same address ----
    t = cf_lookup(t, BLOCK, "trg_")
    fl = ctx.flow_class(ctx, SIP, 443, RTT, STTL, sos="cf")
    t = fl.handshake(t, "trg_")
    t += rng.uniform(0.0003, 0.0009)
    ch, sid = client_hello(rng, BLOCK, ("h2", "http/1.1"), "chrome")
    T0 = t
    fl.send_c(t, ch, "trg_ch")
    gfw_type2(fl, T0 + rng.uniform(0.0158, 0.0178), fl.snxt, fl.cnxt, rng, "trg_rst", 97)
    flight = server_flight(rng, sid, 2900)
    ts = T0 + RTT + rng.uniform(0.0004, 0.0012)
    off, n = 0, 0
    while off < len(flight):
        chunk = flight[off:off + fl.seg]
        off += len(chunk)
        fl.s(ts, "PA" if off >= len(flight) else "A", chunk, tag=f"trg_srv{n}")
        fl.client_rst(ts + rng.uniform(0.00003, 0.0001), fl.cnxt, tag=f"trg_crst{n}")
        ts += (len(chunk) + 66) * 8 / 100e6
        n += 1
    t = ts + rng.uniform(2.0, 4.0)
    # unrelated browsing during the window (other servers, all fine)
    mid = [
        S("www.qq.com", "https", "121.14.77.221", 0.0114, 54, 82000, cn=["ins-r23tsuuf.ias.tencent-cloud.net"], **mac_),
        S("www.bilibili.com", "https", "101.91.140.147", 0.0071, 56, 169000, cn=["a.w.bilicdn1.com"], **mac_),
        S("gitee.com", "https", "180.76.198.77", 0.0202, 52, 104000, **mac_),
        S("www.jianshu.com", "https", "139.196.216.238", 0.0066, 56, 73000, **mac_),
        S("www.oschina.net", "https", "124.236.24.184", 0.0187, 53, 61000, **mac_),
        S("registry.npmmirror.com", "https", "115.238.192.236", 0.0059, 56, 520000, cn=["registry.npmmirror.com.w.cdngslb.com"], **mac_),
    ]
    t = browse(ctx, t, mid, gap=(3.0, 12.0))
    assert t < T0 + 148, t

    def residual_attempt(t, tag):
        fl = ctx.flow_class(ctx, SIP, 443, RTT, STTL, sos="cf")
        t_syn = t
        t = fl.handshake(t, tag)
        t_sa = t_syn + RTT
        t += rng.uniform(0.0002, 0.0006)
        ch, _ = client_hello(rng, OTHER, ("h2", "http/1.1"), "chrome")
        fl.send_c(t, ch, tag + "ch")
        # the GFW reacts to the SYN/ACK: RSTs reach the client ~1.5 ms after it; ack = client ISN + 1
        gfw_type2(fl, t_sa + rng.uniform(0.0013, 0.0019), fl.siss + 1, fl.ciss + 1, rng, tag + "rst", 97)
        # the server was reset by the GFW before the ClientHello reached it: its kernel answers with a plain RST
        fl.inject(t + RTT + rng.uniform(0.0002, 0.0008), "R", fl.siss + 1, 0, STTL, 0, True, 0, tag=tag + "srst")
        return t + RTT + 0.001

    t = T0 + rng.uniform(151.0, 151.8)
    t = cf_lookup(t, OTHER, "r1_")
    t = residual_attempt(t, "r1_")
    # port 80 on the same address is not affected
    t = T0 + rng.uniform(158.0, 158.6)
    hfl, t = ctx.http(t, SIP, OTHER, RTT, STTL, status="301 Moved Permanently", headers=(("Date", "Tue, 24 Sep 2024 02:20:51 GMT"), ("Content-Length", "0"), ("Connection", "close"), ("Location", "https://www.npmjs.com/"), ("Server", "cloudflare"), ("CF-RAY", "8c84f1e5ad3b0b1a-LAX")), body=b"", sos="cf", tag="p80_")
    t += rng.uniform(0.0005, 0.002)
    t = residual_attempt(t, "r2_")
    t = browse(ctx, t + rng.uniform(2.0, 4.0), [S("www.csdn.net", "https", "39.106.226.142", 0.0241, 51, 121000, **mac_)], gap=(1.0, 2.0))
    t = max(t + 1.0, T0 + rng.uniform(175.7, 176.3))
    t = residual_attempt(t, "r3_")
    # window over: the same 3-tuple works again
    t = T0 + rng.uniform(186.6, 187.3)
    _, t = ctx.https(t, SIP, OTHER, RTT, STTL, resp=138000, sos="cf", profile="chrome", tag="post_")
    t += rng.uniform(2.0, 5.0)
    post = [
        S("www.douyin.com", "https", "58.216.20.233", 0.0089, 55, 133000, **mac_),
        S("www.taobao.com", "quic", "101.227.32.30", 0.0061, 56, 117000, cn=["www.taobao.com.danuoyi.tbcache.com"], profile="chrome"),
        S("www.apple.com.cn", "https", "23.59.248.66", 0.0412, 50, 98000, cn=["www.apple.com.cn.edgekey.net", "e6858.dscx.akamaiedge.net"], **mac_),
    ]
    t = browse(ctx, t, post, gap=(1.0, 5.0))
    cap.write(os.path.join(outdir, fname))
    recs = cap.sorted()

    def tt(tag):
        return recs[cap.frame(tag) - 1][0] / 1e9

    t0 = tt("trg_ch")
    note = (
        f"macOS/Chrome client 10.20.4.37 (802.1Q VLAN 10) in China, 2024-09. {BLOCK} and {OTHER} both resolve to the shared Cloudflare pair {CF4[0]}/{CF4[1]}; "
        f"the client always connects to {SIP}:443 (RTT {RTT*1000:.0f} ms, server TTL {STTL}). "
        f"Before any trigger, {OTHER} loads fine on that address (ClientHello frame {fr(cap, 'pre_ch')}). "
        f"Trigger at frame {fr(cap, 'trg_ch')} (t={t0 - recs[0][0]/1e9:.1f} s): ClientHello SNI {BLOCK}; {1000*(tt('trg_rst0')-t0):.1f} ms later three RST+ACK "
        f"claiming to be the server arrive (frames {', '.join(str(x) for x in frs(cap, 'trg_rst'))}): DF set, random IP IDs, identical seq/ack/window 3263, TTL 97/98/99 vs the server's {STTL} "
        f"-- GFW type II (RST-03); the genuine ServerHello still arrives one RTT later (frames {', '.join(str(x) for x in frs(cap, 'trg_srv'))}) and the client's kernel RSTs it. "
        f"Residual phase (GFW TLS-SNI residual 180 s on client IP, server IP, port 443): new connections with the innocuous SNI {OTHER} at "
        f"t0+{tt('r1_syn')-t0:.1f} s, t0+{tt('r2_syn')-t0:.1f} s and t0+{tt('r3_syn')-t0:.1f} s (SYNs frames {fr(cap, 'r1_syn')}, {fr(cap, 'r2_syn')}, {fr(cap, 'r3_syn')}) each complete the handshake "
        f"(genuine SYN/ACK TTL {STTL}) and are torn down ~1.5 ms after the SYN/ACK by three forged RST+ACK (TTL 97-99, seq = server ISN+1, ack = client ISN+1, i.e. triggered by the SYN/ACK, "
        f"frames {', '.join(str(x) for x in frs(cap, 'r1_rst') + frs(cap, 'r2_rst') + frs(cap, 'r3_rst'))}); one RTT later the real server, already reset by the GFW, answers the ClientHello with a plain RST "
        f"(TTL {STTL}, win 0; frames {fr(cap, 'r1_srst')}, {fr(cap, 'r2_srst')}, {fr(cap, 'r3_srst')}). Port 80 on the same address works inside the window (GET frame {fr(cap, 'p80_get')}, HTTP 301 frame {fr(cap, 'p80_respdata')}). "
        f"At t0+{tt('post_syn')-t0:.1f} s, after the 180 s window, the same 3-tuple works again (frame {fr(cap, 'post_ch')}). "
        f"Twist: every failing follow-up falls late in the window (151-176 s after the trigger, after more than two minutes of unrelated traffic), "
        f"so a tool that only links follow-ups within 60-120 s of a trigger misses the residual effect. 15 unrelated ordinary visits (TLS, one QUIC) surround the controls and attempts."
    )
    EXPECT[fname] = dict(
        expect=[dict(mechanism="residual-blocking", domain=BLOCK), dict(mechanism="rst-injection", domain=BLOCK)],
        allow=[dict(mechanism="residual-blocking", domain=OTHER), dict(mechanism="rst-injection", domain=OTHER)],
        note=note)


# ============================================================================
# 4. throttling: short Twitter flows (~100-310 kB) policed to ~145 kbit/s, fast controls on the same address
# ============================================================================


def case_throttle(outdir):
    fname = "throttling_short_flow_same_ip_control.pcapng"
    ifs = [dict(link="sll2", cmac=mac("3c:22:fb:6e:10:8d"), gmac=mac("e4:8d:8c:2a:91:44"), name="any", ifindex=3, tsresol=9, os="Linux 5.10.0-21-amd64")]
    cap = Cap18(fname, epoch(2021, 3, 19, 9, 42, 18), ifs, fmt="pcapng", shb=dict(hw="x86_64", os="Linux 5.10.0-21-amd64", app="Dumpcap (Wireshark) 3.4.4 (Git v3.4.4 packaged as 3.4.4-1)"))
    ctx = Ctx18(cap, 1804, cip="192.168.0.103", cip6="2a02:2698:6c24:1f0e:8d1a:33c5:e04b:91f2", cos="linux", cttl=64,
                resolver="192.168.0.1", resolver6="2a02:6b8::feed:ff", rttl=58, dns_rtt=0.0112)
    rng = ctx.rng
    FIP, FRTT, FTTL = "2a04:4e42:48::159", 0.0312, 53
    FIP4 = "151.101.84.159"
    fx = dict(sos="cdn", profile="firefox")
    v6 = dict(v6dns=True)
    pre = [
        S("yandex.ru", "https", "2a02:6b8:a::a", 0.0047, 60, 118000, a=["77.88.55.88"], aaaa=["2a02:6b8:a::a"], **fx),
        S("vk.com", "https", "87.240.132.72", 0.0061, 59, 143000, **fx),
        S("mail.ru", "https", "2a00:1148:db00:0:b0b0::1", 0.0058, 59, 97000, a=["217.69.139.200"], aaaa=["2a00:1148:db00:0:b0b0::1"], **fx),
        S("habr.com", "https", "178.248.237.68", 0.0072, 58, 211000, **fx),
    ]
    t = browse(ctx, 0.0, pre, gap=(1.5, 7.0), **v6)
    # control 1: same Fastly address, other SNI, fast
    t = ctx.lookup(t, "docs.python.org", chain("docs.python.org", ["dualstack.python.map.fastly.net"], [FIP4], 3600, 30),
                   chain("docs.python.org", ["dualstack.python.map.fastly.net"], [FIP], 3600, 30, "AAAA"), v6=True, tag="c1dns") + 0.001
    c1, t = ctx.https(t, FIP, "docs.python.org", FRTT, FTTL, resp=2150000, rate=60e6, tag="c1_", **fx)
    t += rng.uniform(4.0, 9.0)
    t = browse(ctx, t, [S("lenta.ru", "https", "81.19.72.32", 0.0069, 58, 186000, **fx)], gap=(0.3, 0.6), **v6)
    # ---- the embedded tweet: abs.twimg.com (widgets.js) and pbs.twimg.com (a photo), both throttled ----
    t = ctx.lookup(t, "abs.twimg.com", chain("abs.twimg.com", ["cs2-wac.apr-8315.edgecastdns.net", "dualstack.twimg.twitter.map.fastly.net"], [FIP4], 300, 30),
                   chain("abs.twimg.com", ["cs2-wac.apr-8315.edgecastdns.net", "dualstack.twimg.twitter.map.fastly.net"], [FIP], 300, 30, "AAAA"), v6=True, tag="tw1dns") + 0.0008
    t_abs = t
    fa, ta_end = ctx.https(t, FIP, "abs.twimg.com", FRTT, FTTL, resp=98000, rate=60e6, drop=TokenBucket(145e3, 12000), t_limit=t + 120, tag="tw1_", close="client", **fx)
    t = t_abs + 1.9
    t = ctx.lookup(t, "pbs.twimg.com", chain("pbs.twimg.com", ["cs196.wac.edgecastcdn.net", "dualstack.twimg.twitter.map.fastly.net"], [FIP4], 300, 30),
                   chain("pbs.twimg.com", ["cs196.wac.edgecastcdn.net", "dualstack.twimg.twitter.map.fastly.net"], [FIP], 300, 30, "AAAA"), v6=True, tag="tw2dns") + 0.0008
    t_pbs = t
    fp, tp_end = ctx.https(t, FIP, "pbs.twimg.com", FRTT, FTTL, resp=312000, rate=60e6, drop=TokenBucket(145e3, 12000), t_limit=t + 200, tag="tw2_", close="client", **fx)
    # while the photo crawls in, the user opens other tabs
    t = t_pbs + 3.0
    during = [
        S("www.kinopoisk.ru", "https", "2a02:6b8::2:242", 0.0051, 60, 164000, a=["213.180.199.34"], aaaa=["2a02:6b8::2:242"], **fx),
        S("www.python.org", "https", FIP, FRTT, FTTL, 1320000, a=[FIP4], aaaa=[FIP], cn=["dualstack.python.map.fastly.net"], rate=60e6, **fx),
    ]
    t = browse(ctx, t, during, gap=(1.0, 3.0), **v6)
    t = max(t, tp_end, ta_end) + rng.uniform(2.0, 5.0)
    post = [
        S("www.ozon.ru", "https", "185.73.194.82", 0.0064, 58, 244000, **fx),
        S("www.youtube.com", "quic", "2a00:1450:4010:c02::5b", 0.0151, 57, 188000, a=["173.194.222.91"], aaaa=["2a00:1450:4010:c02::5b"], cn=["youtube-ui.l.google.com"], profile="chrome"),
        S("i.ytimg.com", "quic", "2a00:1450:4010:c0e::77", 0.0149, 57, 96000, a=["64.233.161.119"], aaaa=["2a00:1450:4010:c0e::77"], profile="chrome"),
        S("www.gosuslugi.ru", "https", "213.59.254.7", 0.0083, 57, 133000, **fx),
        S("ria.ru", "https", "178.248.233.32", 0.0071, 58, 198000, **fx),
        S("www.wikipedia.org", "https", "2a02:ec80:300:ed1a::1", 0.0412, 54, 76000, a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cn=["dyna.wikimedia.org"], **fx),
    ]
    t = browse(ctx, t, post, gap=(1.0, 6.0), **v6)
    cap.write(os.path.join(outdir, fname))
    recs = cap.sorted()

    def tt(tag):
        return recs[cap.frame(tag) - 1][0] / 1e9

    d_abs = fa.done_t - (tt("tw1_ch") - cap.base)
    d_pbs = fp.done_t - (tt("tw2_ch") - cap.base)
    d_c1 = c1.done_t - (tt("c1_ch") - cap.base)
    rt_abs = sum(1 for _ in frs(cap, "tw1_resprtx")) + sum(1 for _ in frs(cap, "tw1_shrtx"))
    rt_pbs = sum(1 for _ in frs(cap, "tw2_resprtx")) + sum(1 for _ in frs(cap, "tw2_shrtx"))
    note = (
        f"Linux/Firefox client on a Russian fixed-line ISP, 2021-03-19 (after the 2021-03-10 start of Twitter throttling, THR-01), capture on 'any' (Linux SLL2). "
        f"All flows below go to one Fastly address {FIP} (RTT {FRTT*1000:.0f} ms, hop limit {FTTL}). "
        f"Controls on the same address with other SNIs are fast: docs.python.org delivers ~2.2 MB in {d_c1:.2f} s from its ClientHello (frame {fr(cap, 'c1_ch')}), "
        f"www.python.org ~1.3 MB likewise. The embedded tweet's resources, SNI abs.twimg.com (~98 kB, ClientHello frame {fr(cap, 'tw1_ch')}) and "
        f"pbs.twimg.com (~312 kB photo, ClientHello frame {fr(cap, 'tw2_ch')}), are policed right after the ClientHello: "
        f"the first ~12 kB pass, then server segments are dropped whenever a ~145 kbit/s token bucket is empty, so the client sees gaps, SACKs and "
        f"retransmissions ({rt_abs} and {rt_pbs} retransmitted segments) and the transfers take {d_abs:.1f} s and {d_pbs:.1f} s "
        f"(goodput ~{98000*8/d_abs/1000:.0f} and ~{312000*8/d_pbs/1000:.0f} kbit/s vs ~{2150000*8/d_c1/1e6:.0f} Mbit/s for the control). "
        f"Twist: the throttled flows are short -- a few hundred kB over under 20 s -- so a detector that only judges flows above ~1 MB or ~30 s, "
        f"or that needs a long steady plateau, misses them; the controls on the very same IP make it unambiguous. ~14 ordinary visits (TLS over IPv4/IPv6, QUIC to Google) surround it."
    )
    EXPECT[fname] = dict(expect=[dict(mechanism="throttling", domain="pbs.twimg.com")],
                         allow=[dict(mechanism="throttling", domain="abs.twimg.com")], note=note)


# ============================================================================
# 5. blackhole: QUIC Initial to a foreign host dropped; RFC 9002 default PTO (1 s, doubling) for 31 s, then TCP works
# ============================================================================


def case_quic_blackhole(outdir):
    fname = "blackhole_quic_long_pto_fallback.pcap"
    ifs = [dict(link="raw", cmac=b"", gmac=b"", name="rmnet_data1")]
    cap = Cap18(fname, epoch(2022, 4, 12, 15, 8, 51), ifs, fmt="pcap")
    ctx = Ctx18(cap, 1805, cip="10.172.58.93", cos="linux", cttl=64, resolver="83.149.32.2", rttl=60, dns_rtt=0.038, mss4=1400)
    rng = ctx.rng
    BLOCK, BIP, BRTT, BTTL = "discord.com", "162.159.135.232", 0.0612, 55
    cfq = dict(profile="quicgo")
    pre = [
        S("yandex.ru", "quic", "77.88.55.88", 0.0402, 59, 131000, **cfq),
        S("vk.com", "https", "87.240.190.78", 0.0431, 58, 122000, profile="chrome"),
        S("sun9-12.userapi.com", "https", "95.142.206.2", 0.0447, 58, 402000, profile="chrome"),
        S("www.avito.ru", "https", "146.158.48.7", 0.0398, 58, 167000, profile="chrome"),
        S("dzen.ru", "quic", "62.217.160.2", 0.0415, 59, 98000, **cfq),
    ]
    t = browse(ctx, 0.0, pre, gap=(1.0, 6.0))
    # ---- HTTP/3 first: Initials to discord.com, none answered ----
    t = ctx.lookup(t, BLOCK, chain(BLOCK, [], [BIP, "162.159.136.232", "162.159.137.232", "162.159.138.232", "162.159.128.233"], 300, 300), [], aaaa=True, tag="b_dns") + 0.0009
    gaps = [1.0, 2.0, 4.0, 8.0, 16.0]  # RFC 9002: initial RTT 333 ms -> PTO ~1 s, doubled after each expiry
    times, qport, dcid = ctx.quic_blocked(t, BIP, BLOCK, gaps, tag="b_ini", profile="quicgo")
    # other apps keep working meanwhile
    tb = times[0] + rng.uniform(2.0, 2.6)
    tb = visit(ctx, tb, S("mail.ru", "https", "217.69.139.202", 0.0419, 58, 84000, profile="chrome")) + rng.uniform(1.0, 2.0)
    tb = visit(ctx, tb, S("yastatic.net", "quic", "178.154.131.215", 0.0406, 59, 211000, **cfq)) + rng.uniform(1.0, 3.0)
    tb = visit(ctx, tb, S("www.gismeteo.ru", "https", "185.73.194.24", 0.0452, 57, 93000, profile="chrome"))
    assert tb < times[-1] - 1, (tb, times)
    # the client gives up on QUIC (idle timeout after the last probe) and falls back to TCP+TLS
    t_fb = times[-1] + rng.uniform(2.0, 2.4)
    fb, t = ctx.https(t_fb, BIP, BLOCK, BRTT, BTTL, resp=186000, sos="cf", profile="chrome", tag="fb_", alpn=("h2", "http/1.1"))
    t += rng.uniform(2.0, 5.0)
    post = [
        S("cdn.discordapp.com", "https", "162.159.129.233", 0.0608, 55, 320000, profile="chrome", sos="cf"),
        S("ok.ru", "https", "217.20.155.13", 0.0424, 58, 144000, profile="chrome"),
        S("music.yandex.ru", "quic", "213.180.204.18", 0.0399, 59, 356000, **cfq),
        S("www.wildberries.ru", "https", "185.62.200.98", 0.0411, 58, 201000, profile="chrome"),
        S("lenta.ru", "https", "81.19.72.33", 0.0433, 58, 176000, profile="chrome"),
    ]
    t = browse(ctx, t, post, gap=(1.0, 5.0))
    cap.write(os.path.join(outdir, fname))
    recs = cap.sorted()
    t0 = recs[0][0] / 1e9
    ini = frs(cap, "b_ini")
    note = (
        f"Android phone on a Russian mobile network (raw-IP capture on rmnet_data1, 2022-04, when HTTP/3 to foreign hosts was dropped on several ISPs, QUIC-02). "
        f"The app tries HTTP/3 first to {BLOCK} ({BIP}, Cloudflare): a correctly protected QUIC v1 Initial (1252-byte datagram, SNI {BLOCK}, DCID {dcid.hex()}, "
        f"source port {qport} > 443) at frame {ini[0]} (t={recs[ini[0]-1][0]/1e9 - t0:.1f} s) and the same Initial re-sent with new packet numbers at "
        f"+1, +3, +7, +15 and +31 s (frames {', '.join(str(x) for x in ini[1:])}) -- RFC 9002 default PTO with a 333 ms initial RTT (~1 s), doubling after each expiry. "
        f"Not one UDP datagram from {BIP} ever arrives. ~2 s after the last probe the client falls back to TCP to the SAME address and SNI: handshake "
        f"(SYN/ACK after {BRTT*1000:.0f} ms, TTL {BTTL}) and TLS complete and ~186 kB are delivered (ClientHello frame {fr(cap, 'fb_ch')}), so the server is up and "
        f"reachable; QUIC to domestic servers (yandex.ru, dzen.ru, yastatic.net, music.yandex.ru) is answered normally throughout. "
        f"Twist: the client's retransmission schedule is slow and long (6 Initials over 31 s instead of a browser's sub-second race), so a tool "
        f"that expects several unanswered Initials within a few seconds, or that closes the UDP flow after a short idle timeout (e.g. 10-30 s) and "
        f"splits it, sees too few probes per flow. ~14 ordinary visits surround it, three of them while the probes are outstanding."
    )
    EXPECT[fname] = dict(expect=[dict(mechanism="blackhole", domain=BLOCK)], allow=[], note=note)


# ============================================================================
# 6. blockpage: injected Airtel (India) iframe page; the real server is an in-country edge 3 hops away
# ============================================================================


def case_blockpage(outdir):
    fname = "blockpage_close_cdn_small_ttl_delta.pcapng"
    ifs = [iface("eth", "b4:2e:99:f1:0d:6c", "cc:d4:2e:70:13:a8", "wlp2s0", tsresol=6, os="Linux 6.1.0-18-amd64")]
    cap = Cap18(fname, epoch(2023, 7, 18, 16, 2, 37), ifs, fmt="pcapng", shb=dict(hw="x86_64", os="Linux 6.1.0-18-amd64", app="Dumpcap (Wireshark) 4.0.11 (Git v4.0.11 packaged as 4.0.11-1~deb12u1)"))
    ctx = Ctx18(cap, 1806, cip="192.168.1.7", cos="linux", cttl=64, resolver="192.168.1.1", rttl=64, dns_rtt=0.0031)
    rng = ctx.rng
    BLOCK, BIP, BRTT, BTTL = "1337x.to", "172.67.170.162", 0.00241, 61
    PUB = "122.171.84.19"
    ch = dict(profile="chrome")
    pre = [
        S("timesofindia.indiatimes.com", "https", "23.57.197.35", 0.0039, 60, 244000, cn=["timesofindia.indiatimes.com.edgekey.net", "e1792.dscx.akamaiedge.net"], **ch),
        S("www.google.com", "quic", "142.250.183.100", 0.0046, 59, 61000),
        S("www.flipkart.com", "https", "163.53.78.128", 0.0085, 57, 172000, **ch),
        S("www.indianrail.gov.in", "http", "203.176.113.83", 0.0298, 51, 14000, close="server"),
        S("en.wikipedia.org", "https", "103.102.166.224", 0.0338, 54, 118000, cn=["dyna.wikimedia.org"], **ch),
        S("www.ndtv.com", "https", "23.57.198.136", 0.0041, 60, 191000, cn=["www.ndtv.com.edgekey.net", "e5678.dscx.akamaiedge.net"], **ch),
    ]
    t = browse(ctx, 0.0, pre, gap=(1.0, 6.0))
    ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/115.0.0.0 Safari/537.36"

    def req_for(host, path="/"):
        return (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nUser-Agent: {ua}\r\n"
                "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7\r\n"
                "Accept-Encoding: gzip, deflate\r\nAccept-Language: en-IN,en-GB;q=0.9,en-US;q=0.8,en;q=0.7,hi;q=0.6\r\n\r\n").encode()

    dp_url = f"http://www.airtel.in/dot/?dpid=1&dpruleid=3&cat=107&ttl=0&groupname=Airtel_Default&policyname=dotpolicy&clientip={PUB}&url=http%3a%2f%2f{BLOCK}%2f"
    inj_body = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body style="margin:0px;">'
                f'<iframe src="{dp_url}" width="100%" height="100%" frameborder="0" style="position:absolute;top:0;left:0;"></iframe></body></html>')
    inj = ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\nCache-Control: no-cache\r\n"
           f"Content-Length: {len(inj_body)}\r\n\r\n{inj_body}").encode()

    t = ctx.lookup(t, BLOCK, chain(BLOCK, [], [BIP, "104.21.25.86"], 300, 300), chain(BLOCK, [], ["2606:4700:3034::ac43:aaa2", "2606:4700:3030::6815:1956"], 300, 300, "AAAA"), tag="b_dns") + 0.0007
    inj_t = []
    for k in range(2):
        tag = f"b{k}_"
        fl = ctx.flow_class(ctx, BIP, 80, BRTT, BTTL, sos="cf")
        t = fl.handshake(t, tag)
        t_get = t + rng.uniform(0.0003, 0.0007)
        fl.send_c(t_get, req_for(BLOCK), tag + "get")
        s0 = fl.snxt
        ti = t_get + rng.uniform(0.00085, 0.00098)
        fl.inject(ti, "FPA", s0, fl.cnxt, 62, rng.randrange(65536), False, 2048, inj, tag + "inj")
        fl.c_rcv = s0 + len(inj) + 1
        fl.c(ti + rng.uniform(0.00003, 0.00007), "A")
        tfin = ti + rng.uniform(0.0002, 0.0004)
        fl.c(tfin, "FA", tag=tag + "cfin")
        # the real edge answered the GET (cached redirect to HTTPS) before anything else reached it
        ray = "%016x" % rng.getrandbits(64)
        gen = ("HTTP/1.1 301 Moved Permanently\r\nDate: Tue, 18 Jul 2023 16:03:%02d GMT\r\nContent-Length: 0\r\nConnection: keep-alive\r\n"
               "Cache-Control: max-age=3600\r\nExpires: Tue, 18 Jul 2023 17:03:%02d GMT\r\nLocation: https://1337x.to/\r\n"
               "Server: cloudflare\r\nCF-RAY: %s-BOM\r\nalt-svc: h3=\":443\"; ma=86400\r\n\r\n") % (int(t_get) % 60, int(t_get) % 60, ray[:16])
        tg = t_get + BRTT + rng.uniform(0.0001, 0.0002)
        fl.s(tg, "PA", gen.encode(), seq=s0, tag=tag + "gen")
        fl.c(tg + rng.uniform(0.00003, 0.00006), "A", sack=[(s0, s0 + len(gen))], tag=tag + "dsack")
        # then the edge's kernel answers the client's ACK and FIN with RSTs: its side of the connection is gone
        fl.inject(ti + BRTT + rng.uniform(0.0001, 0.0003), "R", s0 + len(inj) + 1, 0, BTTL, 0, True, 0, tag=tag + "srst0")
        fl.inject(tfin + BRTT + rng.uniform(0.0001, 0.0003), "R", s0 + len(inj) + 1, 0, BTTL, 0, True, 0, tag=tag + "srst1")
        inj_t.append((t_get, ti, tg))
        t = tfin + 0.01
        # the browser renders the iframe: Airtel's own block page server
        if k == 0:
            t += rng.uniform(0.02, 0.05)
            bp = (b'<!DOCTYPE html><html><head><title>Airtel</title><meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
                  b'<div class="container"><img src="/dot/images/airtel-logo.png" alt="Airtel"><h2>This website/URL has been blocked until further notice either pursuant to Court orders '
                  b'or on the Directions issued by the Department of Telecommunications.</h2></div></body></html>')
            t = ctx.lookup(t, "www.airtel.in", chain("www.airtel.in", ["www.airtel.in.edgekey.net", "e11134.dscb.akamaiedge.net"], ["23.212.110.78"], 300, 20), [], tag="ap_dns") + 0.0005
            _, t = ctx.http(t, "23.212.110.78", "www.airtel.in", 0.0044, 60, path=dp_url[len("http://www.airtel.in"):], body=bp,
                            headers=(("Server", "AkamaiGHost"), ("Content-Type", "text/html;charset=UTF-8"), ("Content-Length", str(len(bp))), ("Cache-Control", "no-store")), tag="ap_", close="client")
            t += rng.uniform(5.0, 8.0)   # the user reloads
    t += rng.uniform(3.0, 6.0)
    post = [
        S("www.hotstar.com", "https", "13.227.150.29", 0.0052, 59, 215000, cn=["d1u3dg66w8z8m5.cloudfront.net"], **ch),
        S("www.youtube.com", "quic", "142.250.199.142", 0.0047, 59, 233000),
        S("www.amazon.in", "https", "52.95.120.38", 0.0061, 58, 302000, cn=["tp.c95e7e602-frontier.amazon.in", "d1elgm1ww0d6wo.cloudfront.net"], **ch),
        S("www.irctc.co.in", "https", "23.57.200.43", 0.0043, 60, 166000, cn=["www.irctc.co.in.edgekey.net", "e3794.a.akamaiedge.net"], **ch),
        S("github.com", "https", "20.207.73.82", 0.0259, 51, 208000, **ch),
        S("news.ycombinator.com", "https", "209.216.230.240", 0.2471, 47, 39000, **ch),
        S("www.rediff.com", "http", "202.137.235.12", 0.0118, 56, 61000, close="server"),
        S("www.cricbuzz.com", "https", "104.18.38.187", 0.0023, 61, 187000, cn=["www.cricbuzz.com.cdn.cloudflare.net"], sos="cf", **ch),
    ]
    t = browse(ctx, t, post, gap=(1.0, 6.0))
    cap.write(os.path.join(outdir, fname))
    (g0, i0, r0), (g1, i1, r1) = inj_t
    note = (
        f"Linux/Chrome client 192.168.1.7 behind an Airtel (India) home router, 2023-07. {BLOCK} resolves normally to Cloudflare {BIP}, served from the "
        f"in-country edge: SYN/ACK after {BRTT*1000:.1f} ms, TTL {BTTL} (3 hops). Two plain-HTTP GETs for http://{BLOCK}/ (frames {fr(cap, 'b0_get')}, {fr(cap, 'b1_get')}). "
        f"{(i0-g0)*1000:.2f} ms after each GET a response claiming to be the server arrives (frames {fr(cap, 'b0_inj')}, {fr(cap, 'b1_inj')}): FIN+PSH+ACK, TTL 62 (the server's is {BTTL}), "
        f"DF clear (server sets DF), no TCP timestamp option although the connection negotiated it, window 2048; an 'HTTP/1.1 200 OK, Connection: close' page whose only content is "
        f"<iframe src=\"http://www.airtel.in/dot/?dpid=1&dpruleid=3...&url=http%3a%2f%2f{BLOCK}%2f\"> -- the Airtel/DoT block page (ooni/blocking-fingerprints body "
        f"'http://www.airtel.in/dot/?dpid=', IN). The genuine edge response, a Cloudflare 301 to https with Server: cloudflare and CF-RAY ...-BOM, arrives "
        f"{(r0-g0)*1000:.2f} ms after the GET at the SAME sequence number (frames {fr(cap, 'b0_gen')}, {fr(cap, 'b1_gen')}); the client, which already took the injected page, "
        f"answers with a duplicate ACK carrying a D-SACK (frames {fr(cap, 'b0_dsack')}, {fr(cap, 'b1_dsack')}) and then receives RSTs (TTL {BTTL}) from the edge, whose side of the connection "
        f"is gone (consistent with the injecting box also resetting the server side). The browser then loads the iframe target from www.airtel.in (frame {fr(cap, 'ap_get')}), "
        f"which serves the DoT blocking notice. "
        f"Twist: the server is an in-country edge only 3 hops / 2.4 ms away, so the injected page beats the genuine answer by only ~{(r0-i0)*1000:.1f} ms and its TTL differs by "
        f"just 1 (62 vs {BTTL}); a tool that wants a large TTL delta or a forged packet far faster than the RTT misses it, though the content fingerprint, the race and the "
        f"conflicting data at one sequence number are all there. ~15 ordinary visits (HTTPS, HTTP, QUIC; Akamai/Cloudflare/CloudFront edges 2-6 ms away and some far servers) surround it."
    )
    EXPECT[fname] = dict(expect=[dict(mechanism="blockpage", domain=BLOCK)],
                         allow=[dict(mechanism="packet-injection", domain=BLOCK), dict(mechanism="blockpage", domain="www.airtel.in")], note=note)


CASES = [case_henan, case_dns_slow, case_residual, case_throttle, case_quic_blackhole, case_blockpage]


def main():
    if len(sys.argv) != 2:
        print("usage: blind18_positive.py OUTDIR", file=sys.stderr)
        sys.exit(2)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    only = os.environ.get("B18_ONLY")
    for c in CASES:
        if only and c.__name__ != only:
            continue
        c(outdir)
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(EXPECT, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
