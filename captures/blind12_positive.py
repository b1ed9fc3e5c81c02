#!/usr/bin/env python3
# ruff: noqa: B905, E501, E731, F841, RUF005, RUF059, UP012
"""blind12_positive: six censorship captures (positive cases) + expect.json.  usage: python blind12_positive.py OUTDIR
Kit pieces used unchanged come from blind_kit.py; the adapted ones are here."""
import json
import os
import struct
import sys

from blind_kit import (  # the capture-writing kit the round was written with
    GREASE,
    QT,
    TokenBucket,
    app_rec,
    app_stream,
    chain,
    epoch,
    ext,
    html_body,
    mac,
    mk_ip,
    u16,
    x25519_pub,
)
from scapy.all import TCP, UDP, Raw

# ----------------------------------------------------------------------------
# capture container and writers
# ----------------------------------------------------------------------------

LINKTYPE = {"eth": 1, "vlan": 1, "qinq": 1, "sll2": 276, "sll": 113, "raw": 101, "null": 0}


import blind_kit as kit  # noqa: E402  (its classes, extended below)


class Cap(kit.Cap):
    """The kit's Cap with the methods this round changed."""

    linktypes = LINKTYPE

    def link(self, iface, ipb, out):
        f = self.ifaces[iface]
        et = 0x86DD if ipb[0] >> 4 == 6 else 0x0800
        k = f["link"]
        if k == "raw":
            return ipb
        if k == "sll2":
            addr = f["cmac"] if out else f["gmac"]
            return struct.pack("!HHIHBB", et, 0, f["ifindex"], 1, 4 if out else 0, 6) + addr + b"\0\0" + ipb
        if k == "sll":  # Linux cooked v1 ("any" device); loopback copies carry ARPHRD_LOOPBACK
            if f.get("lo"):
                return struct.pack("!HHH", 4 if out else 0, 772, 6) + b"\0" * 8 + struct.pack("!H", et) + ipb
            addr = f["cmac"] if out else f["gmac"]
            return struct.pack("!HHH", 4 if out else 0, 1, 6) + addr + b"\0\0" + struct.pack("!H", et) + ipb
        if k == "null":  # BSD loopback-style header: address family in the writer's byte order
            af = f.get("af6", 28) if et == 0x86DD else 2
            return struct.pack(f.get("afend", self.endian) + "I", af) + ipb
        src, dst = (f["cmac"], f["gmac"]) if out else (f["gmac"], f["cmac"])
        if k == "eth":
            fr = dst + src + struct.pack("!H", et) + ipb
        elif k == "qinq":  # 802.1ad service tag outside an 802.1Q customer tag
            fr = dst + src + struct.pack("!HHHHH", 0x88A8, f["svlan"], 0x8100, (f.get("pcp", 0) << 13) | f["vlan"], et) + ipb
        else:
            fr = dst + src + struct.pack("!HHH", 0x8100, (f.get("pcp", 0) << 13) | f["vlan"], et) + ipb
        if not out and len(fr) < 60:  # frames received from the wire arrive padded
            fr += b"\0" * (60 - len(fr))
        return fr



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
    "android": dict(synwin=65535, ws=9, ts=True, win0=1369),
}


class Flow(kit.Flow):
    """The kit's Flow with the methods this round changed."""

    profiles = PROFILES

    def __init__(self, ctx, sip, dport, rtt, sttl, sport=None, sos="linuxsrv", cmss=None, smss=1460, iface=None, s_df=True, s_ipid="inc"):
        self.ctx, self.cap, rng = ctx, ctx.cap, ctx.rng
        self.iface = ctx.iface if iface is None else iface
        self.v6 = ":" in sip
        self.cip = ctx.cip6 if self.v6 else ctx.cip
        self.sip, self.dport, self.rtt, self.owd, self.sttl = sip, dport, rtt, rtt / 2, sttl
        self.sport = sport or ctx.port()
        self.cp, self.sp = PROFILES[ctx.cos], PROFILES[sos]
        self.ts = self.cp["ts"] and self.sp["ts"]
        cmss = cmss or (ctx.mss6 if self.v6 else ctx.mss4)
        self.cmss, self.smss = cmss, smss
        self.seg = min(cmss, smss) - (12 if self.ts else 0)
        self.ciss, self.siss = rng.getrandbits(32), rng.getrandbits(32)
        self.cnxt, self.snxt = self.ciss, self.siss
        self.c_rcv, self.s_rcv = 0, 0
        self.cid, self.sid = rng.randrange(1, 65536), rng.randrange(1, 65536)
        self.s_df, self.s_ipid = s_df, s_ipid
        self.cts, self.sts = rng.getrandbits(31), rng.getrandbits(31)
        self.cfl, self.sfl = rng.getrandbits(20), rng.getrandbits(20)
        if ctx.cos == "win":  # Windows leaves the IPv6 flow label at zero
            self.cfl = 0
        self.last_cts, self.last_sts = 0, 0
        self.c_got, self.s_got, self.s_tx = 0, 0, 0
        self.cwnd, self.ssthresh = 10.0, 1e9

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
            if not out and self.sp is PROFILES["win"]:
                return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
            if not out and not self.ts:  # Linux SYN/ACK to a peer that offered no timestamps
                return [("MSS", mss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", p["ws"])]
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


def client_hello(rng, sni, alpn=("h2", "http/1.1"), profile="firefox", sni_late=False):
    """A well-formed TLS 1.3 ClientHello record; returns (record bytes, session id)."""
    rnd, sid = rng.randbytes(32), rng.randbytes(32)
    alpn_b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    sni_ext = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()) if sni else b""
    pub = x25519_pub(rng)
    if profile == "chrome_pq":  # Chrome 131+: X25519MLKEM768 key share, ECH GREASE, permuted extensions
        g1, g2, g3 = rng.sample(GREASE, 3)
        suites = [g1, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        ks = u16(g1) + u16(1) + b"\x00" + u16(0x11EC) + u16(1216) + rng.randbytes(1184) + pub + u16(0x1D) + u16(32) + x25519_pub(rng)
        el_ = rng.choice((144, 176, 208, 240))
        ech = ext(0xFE0D, b"\x00" + u16(1) + u16(1) + bytes([rng.randrange(256)]) + u16(32) + rng.randbytes(32) + u16(el_) + rng.randbytes(el_))
        keyshare = ext(51, u16(len(ks)) + ks)
        perm = [ext(23, b""), ext(0xFF01, b"\x00"), ext(10, u16(10) + b"".join(u16(x) for x in (g1, 0x11EC, 0x1D, 0x17, 0x18))),
                ext(11, b"\x01\x00"), ext(35, b""), ext(16, u16(len(alpn_b)) + alpn_b), ext(5, b"\x01\x00\x00\x00\x00"),
                ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
                ext(18, b""), ext(45, b"\x01\x01"), ext(43, b"\x06" + u16(g3) + u16(0x0304) + u16(0x0303)),
                ext(27, b"\x02\x00\x02"), ext(0x44CD, b"\x00\x03\x02h2")]
        rng.shuffle(perm)
        if sni_late:  # this connection's permutation put key_share and ECH in front of server_name
            perm = perm[:3] + [keyshare, ech] + perm[3:6] + [sni_ext] + perm[6:]
        else:
            perm = perm[:2] + [sni_ext] + perm[2:5] + [keyshare] + perm[5:9] + [ech] + perm[9:]
        exts = [ext(g2, b"")] + perm + [ext(g3 ^ 0x1010 if (g3 ^ 0x1010) != g2 else g3, b"\x00")]
    elif profile == "chrome":
        g1, g2, g3 = rng.sample(GREASE, 3)
        suites = [g1, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        exts = [
            ext(g2, b""), sni_ext, ext(23, b""), ext(0xFF01, b"\x00"),
            ext(10, u16(8) + u16(g1) + u16(0x1D) + u16(0x17) + u16(0x18)), ext(11, b"\x01\x00"), ext(35, b""),
            ext(16, u16(len(alpn_b)) + alpn_b), ext(5, b"\x01\x00\x00\x00\x00"),
            ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
            ext(18, b""), ext(51, u16(32 + 4 + 5) + u16(g1) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + pub),
            ext(45, b"\x01\x01"), ext(43, b"\x06" + u16(g3) + u16(0x0304) + u16(0x0303)),
            ext(27, b"\x02\x00\x02"), ext(17513, b"\x00\x03\x02h2"), ext(g3 ^ 0x1010, b"\x00"),
        ]
    elif profile == "openssl":  # OpenSSL 1.1.1 default (e.g. inside OpenVPN): no SNI, no ALPN, no padding
        suites = [0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8, 0xCCAA, 0xC02B, 0xC02F, 0x009E, 0xC024, 0xC028, 0x006B, 0xC023, 0xC027, 0x0067, 0xC00A, 0xC014, 0x0039, 0xC009, 0xC013, 0x0033, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F, 0x00FF]
        exts = [
            sni_ext, ext(11, b"\x03\x00\x01\x02"), ext(10, u16(10) + b"".join(u16(x) for x in (0x1D, 0x17, 0x1E, 0x19, 0x18))),
            ext(35, b""), ext(22, b""), ext(23, b""),
            ext(13, u16(30) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080A, 0x080B, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303))),
            ext(43, b"\x04" + u16(0x0304) + u16(0x0303)), ext(45, b"\x01\x01"), ext(51, u16(36) + u16(0x1D) + u16(32) + pub),
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
    if not alpn:  # e.g. OpenSSL inside a VPN client: no ALPN extension at all
        exts = [e for e in exts if e[:2] != b"\x00\x10"]
    exts = [e for e in exts if e]
    body = b"\x03\x03" + rnd + b"\x20" + sid + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00"
    el = b"".join(exts)
    hlen = len(body) + 2 + len(el)
    if hlen < 508 and profile != "openssl":  # pad like browsers do so the ClientHello is at least 512 bytes
        pad = 508 - hlen - 4
        el += ext(21, b"\x00" * max(pad, 0))
    body += u16(len(el)) + el
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + u16(len(hs)) + hs, sid


def server_flight(rng, sid, cert_len, pq=False):
    """ServerHello + ChangeCipherSpec + encrypted handshake (random bytes)."""
    pub = x25519_pub(rng)
    if pq:  # X25519MLKEM768: ML-KEM ciphertext (1088) + X25519 share (32)
        exts = ext(43, u16(0x0304)) + ext(51, u16(0x11EC) + u16(1120) + rng.randbytes(1088) + pub)
    else:
        exts = ext(43, u16(0x0304)) + ext(51, u16(0x1D) + u16(32) + pub)
    body = b"\x03\x03" + rng.randbytes(32) + b"\x20" + sid + u16(0x1301) + b"\x00" + u16(len(exts)) + exts
    hs = b"\x02" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x03" + u16(len(hs)) + hs + b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, cert_len)


# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------


def dns_msg(txid, flags, qname, qtype, answers=(), edns=None, ar_override=None, do=False):
    """answers: (name, type, ttl, rdata) with full name compression."""
    out = bytearray(struct.pack("!HHHHHH", txid, flags, 1, len(answers), 0, (1 if edns else 0) if ar_override is None else ar_override))
    table = {}

    def name(n):
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
    for n, ty, ttl, rd in answers:
        name(n)
        out.extend(struct.pack("!HHI", QT[ty], 1, ttl))
        if ty == "A":
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
        out.extend(b"\x00" + struct.pack("!HHIH", 41, edns, 0x8000 if do else 0, 0))
    return bytes(out)


# ----------------------------------------------------------------------------
# per-case context and composite helpers
# ----------------------------------------------------------------------------


class Ctx(kit.Ctx):
    """The kit's Ctx with the methods this round changed."""

    flow_class = Flow
    make_client_hello = staticmethod(client_hello)
    make_dns = staticmethod(dns_msg)

    def ipid(self, fl):
        if self.cos == "win":  # one global counter for the whole host
            self.gid = (getattr(self, "gid", self.rng.randrange(4000, 60000)) + 1) & 0xFFFF
            return self.gid
        if self.cos == "mac":
            return self.rng.randrange(65536)
        v = fl.cid
        fl.cid = (fl.cid + 1) & 0xFFFF
        return v

    def https(self, t, sip, sni, rtt, sttl, resp=20000, rate=30e6, cert=3200, req=420, think=0.015, close="client",
              profile="firefox", sos="linuxsrv", iface=None, smss=1460, alpn=("h2", "http/1.1"), tag=None, drop=None, t_limit=1e9, sni_late=False):
        """A complete HTTPS exchange. Returns (flow, time of last packet)."""
        rng = self.rng
        fl = Flow(self, sip, 443, rtt, sttl, sos=sos, iface=iface, smss=smss)
        t = fl.handshake(t, tag)
        t += rng.uniform(0.0002, 0.0012)
        ch, sid = client_hello(rng, sni, alpn, profile, sni_late=sni_late)
        t = fl.send_c(t, ch, tag and tag + "ch")
        t = fl.bulk(t + fl.owd + rng.uniform(0.0004, 0.002), server_flight(rng, sid, cert, pq=profile == "chrome_pq"), rate, drop, t_limit, tag and tag + "sh", final_ack=False)
        if fl.done_t is None:  # the flight never completed (censored): caller takes over
            return fl, t
        t = max(t, fl.last_arr + rng.uniform(0.001, 0.004))
        t = fl.send_c(t, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, req), tag and tag + "req")
        srv = b"".join(app_rec(rng, rng.randrange(230, 260)) for _ in range(2)) + app_stream(rng, resp)
        t = fl.bulk(t + fl.owd + think, srv, rate, drop, t_limit, tag and tag + "resp")
        if fl.done_t is None:
            return fl, t
        if close == "client":
            t = fl.close_client(t + rng.uniform(0.05, 2.5))
        elif close == "server":
            t = fl.close_server(t + rng.uniform(0.5, 5.0))
        return fl, t

    def http(self, t, sip, host, rtt, sttl, path="/", status="200 OK", headers=(), body=b"", ua=None, sos="linuxsrv", iface=None, rate=20e6, tag=None, close="server",
             port=80, req=None):
        rng = self.rng
        fl = Flow(self, sip, port, rtt, sttl, sos=sos, iface=iface)
        t = fl.handshake(t, tag)
        ua = ua or "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        req = req or (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {ua}\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
               "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()
        t = fl.send_c(t + rng.uniform(0.0002, 0.001), req, tag and tag + "get")
        resp = f"HTTP/1.1 {status}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers) + b"\r\n" + body
        t = fl.bulk(t + fl.owd + rng.uniform(0.002, 0.03), resp, rate, None, 1e9, tag and tag + "resp")
        if close == "server":
            t = fl.close_server(t + rng.uniform(0.0001, 0.002))
        elif close == "client":
            t = fl.close_client(t + rng.uniform(1.0, 4.0), alert=False)
        return fl, t


# ============================================================================
# shared helpers for the six cases
# ============================================================================


def rto_schedule(t0, rto, n):
    """Times of n retransmissions with exponential backoff after a send at t0."""
    out, t = [], t0
    for i in range(n):
        t += rto * (2 ** i)
        out.append(t)
    return out


def resolved_lookup(ctx, t, qname, ans_a=(), ans_aaaa=(), up_rtt=0.004, lo=1, tag=None):
    """Ubuntu: glibc asks the systemd-resolved stub on 127.0.0.53 (seen twice on 'any':
    outgoing + incoming copy), resolved asks the home router upstream with EDNS0."""
    rng, cap = ctx.rng, ctx.cap
    sport = ctx.port()
    loc = [("A", ans_a), ("AAAA", ans_aaaa)]
    qids = [rng.randrange(65536) for _ in loc]
    ipid = rng.randrange(65536)
    tq = t
    for (qt, _), txid in zip(loc, qids):
        q = mk_ip("127.0.0.1", "127.0.0.53", 64, ipid, True) / UDP(sport=sport, dport=53) / Raw(dns_msg(txid, 0x0120, qname, qt, edns=1200))
        cap.add(tq, q, True, lo)
        cap.add(tq + 0.000004, q, False, lo)
        ipid += 1
        tq += rng.uniform(0.00004, 0.00009)
    tu = tq + 0.00018
    done = tu
    for (qt, ans), txid in zip(loc, qids):
        up_port, up_id = ctx.port(), rng.randrange(65536)
        q = dns_msg(up_id, 0x0100, qname, qt, edns=1200)
        cap.add(tu, mk_ip(ctx.cip, ctx.resolver, 64, rng.randrange(65536), True) / UDP(sport=up_port, dport=53) / Raw(q), True, 0, tag and f"{tag}q{qt}")
        ta = tu + up_rtt * rng.uniform(0.9, 1.4)
        r = dns_msg(up_id, 0x8180, qname, qt, ans, edns=1232)
        cap.add(ta, mk_ip(ctx.resolver, ctx.cip, 64, rng.randrange(65536), False) / UDP(sport=53, dport=up_port) / Raw(r), False, 0, tag and f"{tag}r{qt}")
        ts = ta + rng.uniform(0.0001, 0.0003)
        s = mk_ip("127.0.0.53", "127.0.0.1", 64, rng.randrange(65536), True) / UDP(sport=53, dport=sport) / Raw(dns_msg(txid, 0x8180, qname, qt, ans, edns=65494))
        cap.add(ts, s, True, lo)
        cap.add(ts + 0.000004, s, False, lo)
        done = max(done, ts)
        tu += rng.uniform(0.00003, 0.00008)
    return done + 0.0002


# ============================================================================
# case 1: Iran protocol filter (PF-02) on TCP/80, OpenVPN-over-TCP, Linux "any"
# ============================================================================


def ovpn(opcode, sid, pid, ts, acks=(), remote=None, msg_pid=None, payload=b"", rng=None):
    """OpenVPN TCP control packet with tls-auth (HMAC-SHA1): 2-byte length prefix."""
    b = bytes([opcode << 3]) + sid + rng.randbytes(20) + struct.pack("!II", pid, ts)
    b += bytes([len(acks)]) + b"".join(struct.pack("!I", a) for a in acks) + (remote if acks else b"")
    if msg_pid is not None:
        b += struct.pack("!I", msg_pid)
    b += payload
    return u16(len(b)) + b


def case1():
    base = epoch(2020, 4, 14, 14, 52, 7)
    cap = Cap("c1_ir_pf02_openvpn_tcp80_sll.pcap", base, [
        dict(link="sll", cmac=mac("3c:6a:a7:1e:52:9d"), gmac=mac("c8:3a:35:0b:71:e4")),
        dict(link="sll", lo=True)])
    ctx = Ctx(cap, 1201, cip="192.168.1.34", cos="linux", cttl=64, resolver="192.168.1.1", mss4=1460)
    rng = ctx.rng
    dg, ap, gh, vz = "185.143.233.120", "185.147.178.13", "140.82.121.4", "185.147.176.97"
    vpn = "5.199.174.61"
    t = resolved_lookup(ctx, 0.0, "www.digikala.com", chain("www.digikala.com", [], [dg], 0, 120))
    _, t = ctx.https(t, dg, "www.digikala.com", 0.009, 57, resp=180000, profile="firefox")
    t = resolved_lookup(ctx, t + 1.3, "www.aparat.com", chain("www.aparat.com", [], [ap], 0, 300))
    _, t = ctx.https(t, ap, "www.aparat.com", 0.011, 58, resp=64000)
    # the VPN client resolves its server and connects on TCP/80
    t = resolved_lookup(ctx, t + 2.4, "de-fra.tunnelbox.net", chain("de-fra.tunnelbox.net", [], [vpn], 0, 600), tag="vdns")
    fl = Flow(ctx, vpn, 80, 0.094, 47)
    t = fl.handshake(t + 0.0006, tag="v")
    csid, ssid = rng.randbytes(8), rng.randbytes(8)
    now = base + int(t)
    seg1 = ovpn(7, csid, 1, now, msg_pid=0, rng=rng)
    t1 = t + 0.0009
    fl.send_c(t1, seg1, tag="vseg1")
    fl.s(t1 + fl.rtt, "A", tag="vack1")  # seg1 reached the server: quick ACK
    srv = ovpn(8, ssid, 1, now, acks=(0,), remote=csid, msg_pid=0, rng=rng)
    ts0 = t1 + fl.rtt + 0.00021
    sseq = fl.snxt
    fl.s(ts0, "PA", srv, tag="vsrv")
    fl.c_rcv = fl.snxt
    ch, _ = client_hello(rng, None, alpn=(), profile="openssl")
    seg2 = ovpn(4, csid, 2, now, acks=(0,), remote=ssid, msg_pid=1, payload=ch, rng=rng)
    t2 = ts0 + 0.0011
    cseq, got, ecr = fl.cnxt, fl.s_got, fl.last_cts
    fl.c(t2, "PA", seg2, tag="vseg2")  # dropped by the filter (never ACKed)
    ev = [(x, "c", i) for i, x in enumerate(rto_schedule(t2, 0.296, 7))]
    ev += [(x + fl.owd, "s", i) for i, x in enumerate(rto_schedule(ts0 - fl.owd, 0.301, 7))]
    for x, who, i in sorted(ev):
        if who == "c":
            fl.c(x, "PA", seg2, seq=cseq, tag=f"vcrtx{i + 1}")
        else:  # the server never saw anything after seg1: same window, same TSecr
            fl.s_got, fl.last_cts = got, ecr
            fl.s(x, "PA", srv, seq=sseq, ack=cseq, tag=f"vsrtx{i + 1}")
            fl.c(x + rng.uniform(0.00003, 0.00008), "A", seq=cseq + len(seg2), sack=[(sseq, sseq + len(srv))], tag=f"vdsack{i + 1}")
    # ordinary browsing while the tunnel hangs: plain HTTP on port 80 works, HTTPS works
    t = resolved_lookup(ctx, t2 + 3.1, "www.varzesh3.com", chain("www.varzesh3.com", [], [vz], 0, 300))
    _, t = ctx.http(t, vz, "www.varzesh3.com", 0.012, 58, status="301 Moved Permanently", tag="h80",
                    headers=(("Server", "nginx"), ("Date", "Tue, 14 Apr 2020 14:52:21 GMT"), ("Content-Type", "text/html"),
                             ("Content-Length", "162"), ("Connection", "keep-alive"), ("Location", "https://www.varzesh3.com/")),
                    body=b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
    _, t = ctx.https(t + 0.05, vz, "www.varzesh3.com", 0.012, 58, resp=95000)
    t = resolved_lookup(ctx, t + 4.0, "github.com", chain("github.com", [], [gh], 0, 60))
    _, t = ctx.https(t, gh, "github.com", 0.158, 49, resp=240000, rate=8e6)
    _, t = ctx.https(t + 6.5, dg, "www.digikala.com", 0.009, 57, resp=52000)
    f = cap.frame
    about = (f"Ubuntu laptop in Iran, Linux 'any' capture (SLL v1, DNS via systemd-resolved stub seen twice on lo). "
             f"de-fra.tunnelbox.net -> {vpn} (frames {f('vdnsqA')}/{f('vdnsrA')}). OpenVPN over TCP/80: handshake frames "
             f"{f('vsyn')}-{f('vsyn') + 2}; first client data = OpenVPN P_CONTROL_HARD_RESET_CLIENT_V2 (frame {f('vseg1')}) is "
             f"ACKed (frame {f('vack1')}) and answered by P_CONTROL_HARD_RESET_SERVER_V2 (frame {f('vsrv')}); the second client "
             f"segment (P_CONTROL_V1 + TLS ClientHello, frame {f('vseg2')}) is never ACKed: retransmitted in frames "
             f"{', '.join(str(x) for x in cap.frames('vcrtx'))}; the server's packets keep arriving (retransmissions "
             f"{', '.join(str(x) for x in cap.frames('vsrtx'))}, ACK number frozen after seg1), each answered by a client "
             f"D-SACK ACK that is dropped too. Plain HTTP on port 80 to another host works (frames {f('h80syn')}-{f('h80respdata')}).")
    exp = {"expect": [{"mechanism": "blackhole", "domain": "de-fra.tunnelbox.net"}], "allow": [], "about": about}
    return cap, exp


# ============================================================================
# case 2: India (Jio) SNI blackholing over IPv6, Chrome post-quantum ClientHello
# ============================================================================


def win_lookup(ctx, t, qname, ans_a=(), ans_aaaa=(), rtt=0.003, tag=None):
    """Windows DNS client over IPv6: AAAA and A from separate sockets, no EDNS."""
    rng = ctx.rng
    out = []
    for i, (qt, ans) in enumerate((("AAAA", ans_aaaa), ("A", ans_a))):
        sp, txid = ctx.port(), rng.randrange(65536)
        tq = t + i * rng.uniform(0.0002, 0.0006)
        ctx.cap.add(tq, mk_ip(ctx.cip6, ctx.resolver6, 128, 0, True, 0) / UDP(sport=sp, dport=53) / Raw(dns_msg(txid, 0x0100, qname, qt)), True, ctx.iface, tag and f"{tag}q{qt}")
        ta = tq + rtt * rng.uniform(0.9, 1.6)
        ctx.cap.add(ta, mk_ip(ctx.resolver6, ctx.cip6, 64, 0, True, rng.getrandbits(20)) / UDP(sport=53, dport=sp) / Raw(dns_msg(txid, 0x8180, qname, qt, ans)), False, ctx.iface, tag and f"{tag}r{qt}")
        out.append(ta)
    return max(out) + rng.uniform(0.0003, 0.001)


def syncthing_poll(lctx, fl, t, first):
    """Chrome tab polling the local Syncthing GUI on 127.0.0.1:8384 (Npcap loopback)."""
    rng = lctx.rng
    if first:
        t = fl.handshake(t)
    req = ("GET /rest/system/status HTTP/1.1\r\nHost: 127.0.0.1:8384\r\nConnection: keep-alive\r\nX-API-Key: 7tHnQ2pMcY4rVwKsE9aZfLbD3uXgJ6oN\r\n"
           "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36\r\n"
           "Accept: application/json, text/plain, */*\r\nReferer: http://127.0.0.1:8384/\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n\r\n").encode()
    fl.send_c(t, req)
    body = json.dumps({"alloc": 48213456 + rng.randrange(9999999), "connectionServiceStatus": {}, "cpuPercent": 0, "goroutines": 101 + rng.randrange(20),
                       "myID": "K3QZ7FD-2WNP4XA-ULR6J3C-H5TQ0BE-MV8YDKS-9GAC2RT-P4XNJ7E-WQ6LZSB", "pathSeparator": "\\", "startTime": "2025-02-18T20:37:02+05:30",
                       "sys": 77310992, "uptime": 2050 + int(t)}).encode()
    resp = (f"HTTP/1.1 200 OK\r\nCache-Control: max-age=0, no-cache, no-store\r\nContent-Type: application/json; charset=utf-8\r\n"
            f"Date: Tue, 18 Feb 2025 15:41:{12 + int(t):02d} GMT\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    fl.s(t + 0.0004, "PA", resp)
    fl.c_rcv = fl.snxt
    fl.c(t + 0.0004 + rng.uniform(0.00002, 0.00006), "A")


def case2():
    base = epoch(2025, 2, 18, 15, 41, 12)
    cap = Cap("c2_in_jio_tls_blackhole_ipv6_pq.pcapng", base, [
        dict(link="eth", name="\\Device\\NPF_{6A1E3C52-9B47-4F0E-8D21-7C5E0B93A4F1}", cmac=mac("f4:6b:8c:21:9a:3e"), gmac=mac("a8:da:0c:5e:71:c2"), os="64-bit Windows 11 (23H2), build 22631"),
        dict(link="null", name="\\Device\\NPF_Loopback", afend="<")],
        fmt="pcapng", shb=dict(hw="Intel(R) Core(TM) i5-1235U", os="64-bit Windows 11 (23H2), build 22631", app="Dumpcap (Wireshark) 4.4.3 (v4.4.3-0-g6b0e2a51cd57)"))
    ctx = Ctx(cap, 2202, cip="192.168.29.57", cip6="2405:201:5c0f:e0b8:a1d4:39f2:6c1e:8b07", cos="win", cttl=128, mss6=1440,
              resolver6="2405:201:5c0f:e0b8::c0a8:1d01")
    lctx = Ctx(cap, 2203, cip="127.0.0.1", cos="win", cttl=128, mss4=65495, iface=1)
    rng = ctx.rng
    cf1, cf2 = "2606:4700:3036::ac43:8a3f", "2606:4700:3037::6815:2b7d"
    goog, yt, fk = "2404:6800:4009:82b::2004", "2404:6800:4009:831::200e", "163.53.78.110"
    st = Flow(lctx, "127.0.0.1", 8384, 0.00009, 128, sos="win", smss=65495)
    syncthing_poll(lctx, st, 0.42, True)
    t = win_lookup(ctx, 0.05, "www.google.com", chain("www.google.com", [], ["142.250.183.228"], 0, 300), chain("www.google.com", [], [goog], 0, 300, "AAAA"))
    _, t = ctx.https(t, goog, "www.google.com", 0.014, 58, resp=60000, profile="chrome_pq", sos="cdn", smss=1440, close=None)
    t = win_lookup(ctx, t + 0.9, "www.flipkart.com", chain("www.flipkart.com", [], [fk], 0, 60), ())
    _, t = ctx.https(t, fk, "www.flipkart.com", 0.021, 55, resp=140000, profile="chrome_pq", close=None)
    # 1337x.to on Cloudflare: the ClientHello is never answered
    tb = win_lookup(ctx, 3.02, "1337x.to", chain("1337x.to", [], ["104.21.43.125", "172.67.138.63"], 0, 300),
                    chain("1337x.to", [], [cf1, cf2], 0, 300, "AAAA"), tag="bdns")
    about = []
    for k, (t0, late) in enumerate(((tb, False), (9.61, True))):
        tg = f"b{k}"
        fl = Flow(ctx, cf1, 443, 0.034, 59, sos="cdn", smss=1440)
        t1 = fl.handshake(t0, tag=tg) + rng.uniform(0.0003, 0.0009)
        ch, _ = client_hello(rng, "1337x.to", profile="chrome_pq", sni_late=late)
        s1, s2 = ch[:1440], ch[1440:]
        q1 = fl.cnxt
        fl.c(t1, "A", s1, tag=tg + "s1")
        q2 = fl.cnxt
        fl.c(t1 + 0.000011, "PA", s2, tag=tg + "s2")
        if late:  # server_name sits in segment 2: segment 1 passes and is ACKed, segment 2 and all later are dropped
            fl.s_rcv = q2
            fl.s(t1 + fl.rtt, "A", tag=tg + "ack1")
            rq, rp = q2, s2
        else:  # server_name in segment 1: nothing from the client gets through after the handshake
            rq, rp = q1, s1
        rt = rto_schedule(t1, 0.3, 6)
        for i, x in enumerate(rt[:5]):
            fl.c(x, "A" if rp is s1 else "PA", rp, seq=rq, tag=f"{tg}rtx{i + 1}")
        fl.c(rt[5], "RA", seq=fl.cnxt, tag=tg + "rst")  # TcpMaxDataRetransmissions exhausted
        about.append((tg, late))
    _, t = ctx.https(5.2, yt, "www.youtube.com", 0.016, 58, resp=350000, profile="chrome_pq", sos="cdn", smss=1440, close=None)
    syncthing_poll(lctx, st, 10.43, False)
    _, t = ctx.https(14.1, goog, "www.google.com", 0.014, 58, resp=42000, profile="chrome_pq", sos="cdn", smss=1440, close=None)
    syncthing_poll(lctx, st, 20.44, False)
    # control: a mirror name on the same Cloudflare address, same post-quantum ClientHello size, answers at once
    t = win_lookup(ctx, 30.8, "1337x.st", chain("1337x.st", [], ["104.21.43.125", "172.67.138.63"], 0, 300),
                   chain("1337x.st", [], [cf1, cf2], 0, 300, "AAAA"), tag="cdns")
    _, t = ctx.https(t, cf1, "1337x.st", 0.034, 59, resp=88000, cert=2600, profile="chrome_pq", sos="cdn", smss=1440, close=None, tag="c", sni_late=True)
    syncthing_poll(lctx, st, 30.45, False)
    f, fr = cap.frame, cap.frames
    b0, b1 = (lambda g: (f(g + "syn"), f(g + "s1"), f(g + "s2"), [f(f"{g}rtx{i}") for i in range(1, 6)], f(g + "rst")))("b0"), None
    b1 = (lambda g: (f(g + "syn"), f(g + "s1"), f(g + "s2"), f(g + "ack1"), [f(f"{g}rtx{i}") for i in range(1, 6)], f(g + "rst")))("b1")
    txt = (f"Windows 11 on JioFiber (IPv6), pcapng with two interfaces (Ethernet + Npcap loopback carrying a Syncthing GUI poll). "
           f"AAAA 1337x.to -> {cf1} (frames {f('bdnsqAAAA')}/{f('bdnsrAAAA')}). Attempt 1: handshake from frame {b0[0]}; Chrome X25519MLKEM768 "
           f"ClientHello split over frames {b0[1]}+{b0[2]} (server_name in the first segment); nothing after the SYN/ACK ever comes back; "
           f"segment 1 retransmitted in {', '.join(map(str, b0[3]))}, RST+ACK after 5 retries in frame {b0[4]}. Attempt 2 (reload): handshake from frame {b1[0]}, "
           f"ClientHello in frames {b1[1]}+{b1[2]} (permutation put server_name in segment 2 at offset >1440); segment 1 is ACKed (frame {b1[3]}) "
           f"but segment 2 never is: retransmitted in {', '.join(map(str, b1[4]))}, RST+ACK frame {b1[5]}; no ServerHello, RST or FIN from the server in either. "
           f"Control: 1337x.st on the same address {cf1} with a same-size two-segment ClientHello (frames {f('csyn')}, {f('cch')}) gets its "
           f"ServerHello at frame {f('cshdata')}. Other HTTPS (google, youtube, flipkart over IPv4) works throughout.")
    exp = {"expect": [{"mechanism": "blackhole", "domain": "1337x.to"}], "allow": [], "about": txt}
    return cap, exp


# ============================================================================
# case 3: Iran, Host-triggered injected block page racing the genuine response
# ============================================================================

IR_BLOCK = ("HTTP/1.1 403 Forbidden\r\nConnection:close\r\n\r\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\">"
            "<title>M1-6\n</title></head><body><iframe src=\"http://10.10.34.34?type=Invalid Site&policy=MainPolicy \" style=\"width: 100%; height: 100%\" "
            "scrolling=\"no\" marginwidth=\"0\" marginheight=\"0\" frameborder=\"0\" vspace=\"0\" hspace=\"0\"></iframe></body></html>").encode()
SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.1.1 Safari/605.1.15"


def fwd_lookup(ctx, t, qname, ans_a=(), ans_aaaa=(), rtt=0.018, tag=None):
    """pfSense Unbound forwarding to the ISP resolvers, seen on the WAN: DO bit set, one port per query."""
    rng = ctx.rng
    done = t
    for i, (qt, ans) in enumerate((("A", ans_a), ("AAAA", ans_aaaa))):
        sp, txid = ctx.port(), rng.randrange(65536)
        tq = t + i * rng.uniform(0.00005, 0.0002)
        ctx.cap.add(tq, mk_ip(ctx.cip, ctx.resolver, 64, rng.randrange(65536), False) / UDP(sport=sp, dport=53) / Raw(dns_msg(txid, 0x0100, qname, qt, edns=1232, do=True)), True, 0, tag and f"{tag}q{qt}")
        ta = tq + rtt * rng.uniform(0.9, 1.3)
        ctx.cap.add(ta, mk_ip(ctx.resolver, ctx.cip, ctx.rttl, rng.randrange(65536), False) / UDP(sport=53, dport=sp) / Raw(dns_msg(txid, 0x8180, qname, qt, ans, edns=4096, do=True)), False, 0, tag and f"{tag}r{qt}")
        done = max(done, ta)
    return done + 0.0015  # macOS stub on the LAN gets its answer from pfSense


def case3():
    base = epoch(2021, 6, 9, 7, 12, 40)
    cap = Cap("c3_ir_http_blockpage_race_pppoe_null.pcap", base, [dict(link="null")])
    ctx = Ctx(cap, 3303, cip="2.186.112.57", cos="mac", cttl=63, mss4=1452, resolver="217.218.155.155", rttl=61)
    rng = ctx.rng
    ig, gg, irna, blog = "157.240.20.174", "216.58.206.68", "217.25.48.64", "142.250.186.161"
    host = "alone-persian-man.blogspot.com"
    t = fwd_lookup(ctx, 0.0, "www.instagram.com", chain("www.instagram.com", ["z-p42-instagram.c10r.instagram.com"], [ig], 3600, 60), ())
    _, t = ctx.https(t, ig, "www.instagram.com", 0.071, 54, resp=310000, profile="chrome", sos="cdn", close=None)
    t = fwd_lookup(ctx, t + 2.2, host, chain(host, ["blogspot.l.googleusercontent.com"], [blog], 3600, 300), (), tag="bdns")
    fl = Flow(ctx, blog, 80, 0.086, 117, sos="cdn", smss=1412)
    t = fl.handshake(t, tag="b") + rng.uniform(0.0004, 0.001)
    req = (f"GET / HTTP/1.1\r\nHost: {host}\r\nUpgrade-Insecure-Requests: 1\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
           f"User-Agent: {SAFARI}\r\nAccept-Language: fa-ir\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n").encode()
    cseq = fl.cnxt
    t = fl.send_c(t, req, tag="bget")
    cend, sseq = fl.cnxt, fl.snxt
    ti = t + 0.0117  # injector a few hops away: no TCP options, DF clear, foreign TTL
    cap.add(ti, mk_ip(blog, ctx.cip, 60, 0, False) / TCP(sport=80, dport=fl.sport, seq=sseq, ack=cend, flags="FPA", window=1460) / Raw(IR_BLOCK), False, 0, "binj")
    fl.c_rcv = sseq + len(IR_BLOCK) + 1
    fl.c(ti + 0.00021, "A", tag="backi")
    fl.c(ti + 0.0093, "FA", tag="bfin")  # Safari renders the 403 and closes
    real_body = (f"<HTML>\n<HEAD>\n<TITLE>Moved Permanently</TITLE>\n</HEAD>\n<BODY BGCOLOR=\"#FFFFFF\" TEXT=\"#000000\">\n<H1>Moved Permanently</H1>\n"
                 f"The document has moved <A HREF=\"https://{host}/\">here</A>.\n</BODY>\n</HTML>\n").encode()
    real = ("HTTP/1.1 301 Moved Permanently\r\nLocation: https://" + host + "/\r\nContent-Type: text/html; charset=UTF-8\r\n"
            "Date: Wed, 09 Jun 2021 07:12:47 GMT\r\nExpires: Wed, 09 Jun 2021 07:12:47 GMT\r\nCache-Control: private, max-age=0\r\n"
            "X-Content-Type-Options: nosniff\r\nX-XSS-Protection: 1; mode=block\r\nServer: GSE\r\nAccept-Ranges: none\r\nVary: Accept-Encoding\r\n"
            f"Content-Length: {len(real_body)}\r\n\r\n").encode() + real_body
    assert len(real) > len(IR_BLOCK) + 1
    tr = t + fl.rtt + 0.0021
    fl.s(tr, "PA", real, seq=sseq, ack=cend, tag="breal")  # genuine answer, same sequence numbers, different bytes
    fl.stack_rst(tr + 0.00009, cend, tag="brst1")  # new data on a closed socket: macOS answers RST
    fl.s(ti + 0.0093 + fl.rtt, "FA", seq=sseq + len(real), ack=cend + 1, tag="bsfin")
    fl.stack_rst(ti + 0.0093 + fl.rtt + 0.00008, cend + 1, tag="brst2")
    # the iframe of the block page: Safari loads the national block-page server
    pey = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>\u067e\u06cc\u0648\u0646\u062f\u0647\u0627</title></head>"
           "<body style=\"margin:0\"><a href=\"https://peyvandha.ir\"><img src=\"/images/peyvandha.jpg\" width=\"100%\"></a></body></html>").encode()
    _, t = ctx.http(tr + 0.03, "10.10.34.34", "10.10.34.34", 0.007, 62, path="/?type=Invalid%20Site&policy=MainPolicy", ua=SAFARI, tag="p", sos="linuxsrv",
                    headers=(("Server", "nginx"), ("Date", "Wed, 09 Jun 2021 07:12:47 GMT"), ("Content-Type", "text/html"), ("Content-Length", str(len(pey))), ("Connection", "close")),
                    body=pey)
    _, t = ctx.https(t + 1.4, gg, "www.google.com", 0.092, 115, resp=90000, profile="chrome", sos="cdn", close=None)
    t = fwd_lookup(ctx, t + 3.0, "www.irna.ir", chain("www.irna.ir", [], [irna], 0, 600), ())
    _, t = ctx.http(t, irna, "www.irna.ir", 0.013, 57, ua=SAFARI, tag="c", status="200 OK", close="client",
                    headers=(("Server", "nginx"), ("Date", "Wed, 09 Jun 2021 07:12:58 GMT"), ("Content-Type", "text/html; charset=utf-8"), ("Connection", "keep-alive")),
                    body=html_body(rng, 26000, "IRNA"))
    f = cap.frame
    about = (f"pfSense PPPoE WAN capture (BSD NULL link type, NAT: macOS/Safari client behind it, TTL 63, MSS clamped to 1452). "
             f"{host} resolved by the ISP resolver (frames {f('bdnsqA')}/{f('bdnsrA')}) to {blog}; handshake frames {f('bsyn')}-{f('bsyn') + 2}; "
             f"GET with Host {host} frame {f('bget')}. Frame {f('binj')}: FIN+PSH+ACK '403 Forbidden' with the Iranian iframe to 10.10.34.34 arrives "
             f"11.7 ms after the GET (RTT 86 ms), TTL 60 vs the server's 117, DF clear, IP ID 0, no TCP options (server uses timestamps); client ACKs "
             f"it (frame {f('backi')}) and closes (FIN frame {f('bfin')}). Frame {f('breal')}: the genuine 301 from GSE at the same sequence number with "
             f"different bytes; client stack RSTs (frames {f('brst1')}, {f('brst2')} after the server FIN frame {f('bsfin')}). The iframe is then "
             f"fetched from 10.10.34.34 (frames {f('psyn')}-{f('prespdata')}). Plain HTTP to www.irna.ir works (frames {f('csyn')}-{f('crespdata')}).")
    exp = {"expect": [{"mechanism": "blockpage", "domain": host}],
           "allow": [{"mechanism": "packet-injection", "domain": host}, {"mechanism": "blockpage", "ip": "10.10.34.34"}], "about": about}
    return cap, exp


# ============================================================================
# case 4: GFW DNS injection (A and AAAA) on IPv6 transport, QinQ WAN mirror
# ============================================================================


def gfw_forge(query, qtype, ttl, addr):
    """Injector-3 style forgery: the query copied up to QNAME+QTYPE/QCLASS, flags 0x8180,
    AN=1 NS=0 AR=0 (the OPT record is not echoed), one answer with a compression pointer."""
    import ipaddress
    end = 12
    while query[end]:
        end += query[end] + 1
    end += 5
    hdr = query[:2] + struct.pack("!HHHHH", 0x8180, 1, 1, 0, 0)
    if qtype == "AAAA":
        rr = struct.pack("!HHHIH", 0xC00C, 28, 1, ttl, 16) + ipaddress.IPv6Address(addr).packed
    else:
        rr = struct.pack("!HHHIH", 0xC00C, 1, 1, ttl, 4) + bytes(int(x) for x in addr.split("."))
    return hdr + query[12:end] + rr


def v6_lookup(ctx, t, qname, ans_a, ans_aaaa, rtt, forge=None, tag=None):
    """systemd-resolved asking Google Public DNS over IPv6 (A then AAAA, EDNS0 1200, own port each).
    forge: {qtype: [(delay, hop limit, answer ttl, address), ...]} packets injected on the path."""
    rng, cap = ctx.rng, ctx.cap
    done = t
    for i, (qt, ans) in enumerate((("A", ans_a), ("AAAA", ans_aaaa))):
        sp, txid, flq = ctx.port(), rng.randrange(65536), rng.getrandbits(20)
        tq = t + i * rng.uniform(0.00004, 0.00012)
        q = dns_msg(txid, 0x0100, qname, qt, edns=1200)
        cap.add(tq, mk_ip(ctx.cip6, ctx.resolver6, 63, 0, True, flq) / UDP(sport=sp, dport=53) / Raw(q), True, 0, tag and f"{tag}q{qt}")
        for k, (dly, hl, attl, addr) in enumerate((forge or {}).get(qt, ())):
            cap.add(tq + dly, mk_ip(ctx.resolver6, ctx.cip6, hl, 0, False, 0) / UDP(sport=53, dport=sp) / Raw(gfw_forge(q, qt, attl, addr)), False, 0, tag and f"{tag}f{k}{qt}")
        ta = tq + rtt * rng.uniform(0.97, 1.08)
        cap.add(ta, mk_ip(ctx.resolver6, ctx.cip6, 57, 0, False, rng.getrandbits(20)) / UDP(sport=53, dport=sp) / Raw(dns_msg(txid, 0x8180, qname, qt, ans, edns=512)), False, 0, tag and f"{tag}r{qt}")
        done = max(done, ta if not forge else tq + forge[qt][0][0])
    return done + 0.0003


def case4():
    base = epoch(2025, 6, 21, 12, 3, 15)
    cap = Cap("c4_cn_gfw_dns_injection_v6_qinq.pcap", base, [dict(link="qinq", svlan=1021, vlan=45, cmac=mac("9c:9d:7e:41:0a:b6"), gmac=mac("00:e0:fc:3a:81:5d"))],
              endian=">")
    ctx = Ctx(cap, 4404, cip="101.86.214.37", cip6="240e:38a:6c41:9d00:8e1f:53a2:b7c4:1d09", cos="linux", cttl=63, mss4=1460, mss6=1440,
              resolver6="2001:4860:4860::8888")
    rng = ctx.rng
    bd6, qq4, bl6 = "240e:ff:e020:9ae:0:ff:b014:8e8b", "121.14.77.221", "240e:f7:a070:342::7"
    gdns = 0.163
    t = v6_lookup(ctx, 0.0, "www.baidu.com", chain("www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66"], 1200, 300),
                  chain("www.baidu.com", ["www.a.shifen.com", "www.wshifen.com"], [bd6], 1200, 300, "AAAA"), gdns)
    _, t = ctx.https(t, bd6, "www.baidu.com", 0.027, 52, resp=210000, profile="firefox", close=None)
    t = v6_lookup(ctx, t + 1.6, "www.bilibili.com", chain("www.bilibili.com", ["a.w.bilicdn1.com"], ["139.159.241.37"], 300, 60),
                  chain("www.bilibili.com", ["a.w.bilicdn1.com"], [bl6], 300, 60, "AAAA"), gdns)
    _, t = ctx.https(t, bl6, "www.bilibili.com", 0.019, 55, resp=460000, profile="firefox", close=None)
    # the censored name: two injectors answer each query long before Google Public DNS does
    w = "zh.wikipedia.org"
    fa6, fa4, fb6, fb4 = "2a03:2880:f10c:283:face:b00c:0:25de", "31.13.94.49", "2001::1f0d:4a11", "199.59.148.97"
    forge = {"A": [(0.0238, 63, 234, fa4), (0.0262, 47, 162, fb4)], "AAAA": [(0.0241, 63, 234, fa6), (0.0259, 47, 162, fb6)]}
    t = v6_lookup(ctx, t + 2.9, w, chain(w, ["dyna.wikimedia.org"], ["103.102.166.224"], 86400, 600),
                  chain(w, ["dyna.wikimedia.org"], ["2001:df2:e500:ed1a::1"], 86400, 600, "AAAA"), gdns, forge=forge, tag="w")
    # Firefox uses the first (forged) answers: IPv6 then, after 250 ms, IPv4; neither SYN is answered
    f6 = Flow(ctx, fa6, 443, 0.05, 50)
    f6.c(t + 0.0008, "S", tag="ws6")
    for i, x in enumerate(rto_schedule(t + 0.0008, 1.0, 2)):
        f6.c(x, "S", seq=f6.ciss, tag=f"ws6r{i}")
    f4 = Flow(ctx, fa4, 443, 0.05, 50)
    f4.c(t + 0.2508, "S", tag="ws4")
    for i, x in enumerate(rto_schedule(t + 0.2508, 1.0, 2)):
        f4.c(x, "S", seq=f4.ciss, tag=f"ws4r{i}")
    t = v6_lookup(ctx, t + 1.3, "www.qq.com", chain("www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], [qq4], 300, 60), (), gdns)
    _, t = ctx.https(t, qq4, "www.qq.com", 0.031, 53, resp=380000, profile="firefox", close=None)
    _, t = ctx.https(t + 2.2, bd6, "www.baidu.com", 0.027, 52, resp=64000, profile="firefox", close=None)
    f = cap.frame
    fr = lambda p: ", ".join(str(x) for x in cap.frames(p))
    about = (f"Linux desktop behind a home router, mirror of the router's QinQ WAN handoff (S-VLAN 1021, C-VLAN 45), big-endian pcap. "
             f"systemd-resolved asks Google Public DNS 2001:4860:4860::8888 over IPv6. Query A {w} frame {f('wqA')}: forged answers frames "
             f"{f('wf0A')} (A {fa4}, answer TTL 234, hop limit 63 = the query's own) and {f('wf1A')} (A {fb4}, hop limit 47), then the genuine "
             f"answer frame {f('wrA')} ~163 ms later (CNAME dyna.wikimedia.org, A 103.102.166.224, hop limit 57, with OPT). Query AAAA frame "
             f"{f('wqAAAA')}: forged frames {f('wf0AAAA')} ({fa6}) and {f('wf1AAAA')} (Teredo {fb6}), genuine frame {f('wrAAAA')}. The forgeries "
             f"copy the question, AN=1, AR=0 (no OPT echoed), flow label 0. The browser then tries the forged addresses: SYNs to {fa6} frames "
             f"{fr('ws6')} and to {fa4} frames {fr('ws4')}, none answered. Other names (baidu, bilibili, qq) get a single answer each.")
    exp = {"expect": [{"mechanism": "dns-injection", "domain": w}],
           "allow": [{"mechanism": "dns-tampering", "domain": w}, {"mechanism": "blackhole", "domain": w}], "about": about}
    return cap, exp


# ============================================================================
# case 5: GFW Host-keyword RSTs on TCP/8080 and the 90 s penalty box, Android rmnet (raw IP)
# ============================================================================

ANDROID_UA = "Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36"


def android_req(host, path="/"):
    return (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nUser-Agent: {ANDROID_UA}\r\n"
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7\r\n"
            "Accept-Encoding: gzip, deflate\r\nAccept-Language: zh-CN,zh;q=0.9,en-US;q=0.8,en;q=0.7\r\n\r\n").encode()


def bionic_lookup(ctx, t, qname, ans_a, rtt=0.041, tag=None):
    """Android netd: A and AAAA on separate sockets, no EDNS; this carrier gives no IPv6 (empty AAAA)."""
    rng, done = ctx.rng, t
    for i, (qt, ans) in enumerate((("A", ans_a), ("AAAA", ()))):
        sp, txid = ctx.port(), rng.randrange(65536)
        tq = t + i * rng.uniform(0.0001, 0.0004)
        ctx.cap.add(tq, mk_ip(ctx.cip, ctx.resolver, 64, rng.randrange(65536), True) / UDP(sport=sp, dport=53) / Raw(dns_msg(txid, 0x0100, qname, qt)), True, 0, tag and f"{tag}q{qt}")
        ta = tq + rtt * rng.uniform(0.85, 1.5)
        ctx.cap.add(ta, mk_ip(ctx.resolver, ctx.cip, 59, rng.randrange(65536), False) / UDP(sport=53, dport=sp) / Raw(dns_msg(txid, 0x8180, qname, qt, ans)), False, 0, tag and f"{tag}r{qt}")
        done = max(done, ta)
    return done + 0.001


def gfw_rst_burst(fl, t, seq, ack, tag, type1=False):
    """Type II: three RST+ACK, DF set, identical but for the TTL; type I: one bare RST, IP ID 0, DF clear."""
    rng = fl.ctx.rng
    win, ttl0, ipid = rng.randrange(1000, 9000), rng.randrange(60, 70), rng.randrange(0xA3, 0xFE5F)
    k = 0
    if type1:
        fl.forged(t, "R", seq, 0, rng.randrange(80, 110), 0, False, rng.randrange(1000, 9000), tag=f"{tag}{k}")
        k += 1
    for i in range(3):
        fl.forged(t + 0.00004 * (i + 1) + 0.0002 * type1, "RA", seq, ack, ttl0 + i, ipid, True, win, tag=f"{tag}{k}")
        k += 1
    return ttl0


def case5():
    base = epoch(2024, 3, 5, 13, 20, 11)
    cap = Cap("c5_cn_gfw_residual_8080_android_rawip.pcap", base, [dict(link="raw")])
    ctx = Ctx(cap, 5505, cip="10.142.87.213", cos="android", cttl=64, mss4=1400, resolver="211.136.112.50")
    rng = ctx.rng
    vps, zh, wb = "139.162.104.19", "118.89.204.198", "123.125.104.50"
    trig, inno = "epochtimes.sakura-relay.net", "rss.sakura-relay.net"
    t = bionic_lookup(ctx, 0.0, "www.zhihu.com", chain("www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], [zh], 600, 60))
    _, t = ctx.https(t, zh, "www.zhihu.com", 0.047, 51, resp=260000, profile="chrome", close=None)
    t = bionic_lookup(ctx, t + 1.4, trig, chain(trig, ["vps.sakura-relay.net"], [vps], 3600, 3600), tag="tdns")
    # trigger: the Host header of the first request
    fl = Flow(ctx, vps, 8080, 0.096, 46)
    t = fl.handshake(t, tag="t") + rng.uniform(0.0003, 0.0008)
    t = fl.send_c(t, android_req(trig + ":8080"), tag="tget")
    ttl0 = gfw_rst_burst(fl, t + 0.0437, fl.snxt, fl.cnxt, "trst", type1=True)
    page = b"HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: Tue, 05 Mar 2024 13:20:13 GMT\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"
    first = page + html_body(rng, 1400, "\u5927\u7eaa\u5143")[:1388 - len(page)]
    ts = t + fl.rtt + 0.0009
    fl.s(ts, "A", first, tag="treal")  # the server answered before the reset reached it
    fl.stack_rst(ts + 0.00005, fl.cnxt, tag="tcrst")
    about = []
    # penalty box: innocuous requests to the same ip:port within 90 s
    for k, (dt, get_first) in enumerate(((11.2, False), (38.6, True), (71.9, False))):
        g = f"r{k}"
        tk = bionic_lookup(ctx, t + dt, inno, chain(inno, ["vps.sakura-relay.net"], [vps], 3600, 3600)) if k == 0 else t + dt
        r = Flow(ctx, vps, 8080, rng.uniform(0.088, 0.12), 46)
        r.c(tk, "S", tag=g + "syn")
        r.c_rcv, r.s_rcv = r.siss + 1, r.ciss + 1
        r.s(tk + r.rtt, "SA", tag=g + "synack")
        ta = tk + r.rtt + rng.uniform(0.00004, 0.0001)
        r.c(ta, "A")
        if get_first:
            r.send_c(ta + 0.0004, android_req(inno + ":8080"), tag=g + "get")
        gfw_rst_burst(r, tk + r.rtt + (0.0009 if get_first else 0.00035), r.siss + 1, r.cnxt, g + "rst")
        # the server was reset too: the client's ACK (and GET) reach a closed port, it answers with RST
        r.forged(ta + r.rtt, "R", r.siss + 1, 0, 46, 0, True, 0, tag=g + "srst")  # Linux reset: no options, IP ID 0
        if get_first:
            r.forged(ta + 0.0004 + r.rtt, "R", r.siss + 1, 0, 46, 0, True, 0, tag=g + "srsu")
        about.append(g)
    # after the 90 s window the same ip:port serves the same innocuous request
    _, t2 = ctx.http(t + 127.4, vps, inno + ":8080", 0.097, 46, port=8080, req=android_req(inno + ":8080"), tag="c", close=None,
                     headers=(("Server", "nginx/1.24.0"), ("Date", "Tue, 05 Mar 2024 13:22:21 GMT"), ("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", "31873"), ("Connection", "keep-alive")), body=html_body(rng, 31873, "RSS")[:31873])
    t = bionic_lookup(ctx, t + 60.3, "api.weibo.cn", chain("api.weibo.cn", ["weibo.cn.sina.com.cn"], [wb], 60, 60))
    _, t = ctx.https(t, wb, "api.weibo.cn", 0.039, 50, resp=48000, profile="chrome", close=None)
    t = bionic_lookup(ctx, t + 4.1, "github.com", chain("github.com", [], ["20.205.243.166"], 0, 60))
    _, t = ctx.https(t, "20.205.243.166", "github.com", 0.283, 101, resp=150000, rate=4e6, profile="chrome", close=None)
    f, fr = cap.frame, lambda p: ", ".join(str(x) for x in cap.frames(p))
    rr = [(f(g + "syn"), f(g + "synack"), fr(g + "rst"), f(g + "srst")) for g in about]
    txt = (f"Android phone on China Mobile LTE, tcpdump on rmnet_data0 (raw IP). {trig} -> {vps} (frames {f('tdnsqA')}/{f('tdnsrA')}). "
           f"Trigger flow to :8080: handshake frames {f('tsyn')}-{f('tsyn') + 2}, GET with Host {trig}:8080 frame {f('tget')}; 44 ms later "
           f"one bare RST (IP ID 0, DF clear) + three identical RST+ACK with TTL {ttl0}-{ttl0 + 2} (server TTL 46), frames {fr('trst')}; the genuine "
           f"response still arrives at frame {f('treal')} and the client stack RSTs it (frame {f('tcrst')}). Penalty box, innocuous "
           f"Host {inno}:8080 on the same ip:port: attempt at +11 s SYN {rr[0][0]}, SYN/ACK {rr[0][1]}, forged RST+ACKs {rr[0][2]}, late server "
           f"RST {rr[0][3]}; at +39 s SYN {rr[1][0]}, SYN/ACK {rr[1][1]}, GET {f('r1get')}, forged {rr[1][2]}, server RSTs {rr[1][3]}, {f('r1srsu')}; at +72 s SYN "
           f"{rr[2][0]}, forged {rr[2][2]}, server RST {rr[2][3]} (the server RSTs come one RTT later, TTL 46, win 0: the server's own "
           f"answer to packets of a connection the forged RST already killed). At +127 s (window over) the same request works: frames {f('csyn')}-{f('crespdata')} (200 OK).")
    exp = {"expect": [{"mechanism": "residual-blocking", "domain": trig}, {"mechanism": "rst-injection", "domain": trig}],
           "allow": [{"mechanism": "residual-blocking", "domain": inno}, {"mechanism": "rst-injection", "domain": inno}], "about": txt}
    return cap, exp


# ============================================================================
# case 6: Russia (TSPU) Twitter throttling over IPv6, policer with drops, nanosecond pcap
# ============================================================================


def mdns_lookup(ctx, t, qname, ans_a, ans_aaaa, rtt=0.0024, tag=None):
    """macOS mDNSResponder: A and AAAA over IPv4 to the home router, one socket each."""
    rng, done = ctx.rng, t
    for i, (qt, ans) in enumerate((("AAAA", ans_aaaa), ("A", ans_a))):
        sp, txid = ctx.port(), rng.randrange(65536)
        tq = t + i * rng.uniform(0.00002, 0.0001)
        ctx.cap.add(tq, mk_ip(ctx.cip, ctx.resolver, 64, rng.randrange(65536), False) / UDP(sport=sp, dport=53) / Raw(dns_msg(txid, 0x0100, qname, qt)), True, 0, tag and f"{tag}q{qt}")
        ta = tq + rtt * rng.uniform(0.9, 6.0)
        ctx.cap.add(ta, mk_ip(ctx.resolver, ctx.cip, 64, rng.randrange(65536), False) / UDP(sport=53, dport=sp) / Raw(dns_msg(txid, 0x8180, qname, qt, ans)), False, 0, tag and f"{tag}r{qt}")
        done = max(done, ta)
    return done + 0.0004


def flow_rate(cap, fl):
    """server->client payload bytes and duration (first to last data segment) of one flow"""
    from scapy.all import IP as _IP
    from scapy.all import IPv6 as _IPv6
    segs, t0, t1 = {}, None, None
    for tns, _, _, b, _ in cap.sorted():
        ipb = b[14:]
        pkt = _IPv6(ipb) if ipb[0] >> 4 == 6 else _IP(ipb)
        if TCP in pkt and pkt[TCP].sport == fl.dport and pkt[TCP].dport == fl.sport and len(pkt[TCP].payload):
            segs[pkt[TCP].seq] = len(pkt[TCP].payload)  # distinct bytes, retransmissions counted once
            t0 = tns if t0 is None else t0
            t1 = tns
    return sum(segs.values()), (t1 - t0) / 1e9


def case6():
    base = epoch(2021, 3, 11, 9, 14, 2)
    cap = Cap("c6_ru_twitter_throttle_ipv6_nsec.pcap", base, [dict(link="eth", cmac=mac("a4:83:e7:5c:19:02"), gmac=mac("e8:9f:80:21:3d:c4"))], nsec=True)
    ctx = Ctx(cap, 6606, cip="192.168.0.103", cip6="2a02:2698:6c24:1b3e:c5d:9f13:a62b:71e4", cos="mac", cttl=64, mss6=1440, resolver="192.168.0.1")
    rng = ctx.rng
    fast6, fast4, tw4, ya6 = "2a04:4e42:1d::159", "151.101.84.159", "104.244.42.129", "2a02:6b8:a::a"
    py_a = chain("www.python.org", ["dualstack.python.map.fastly.net"], [fast4], 21600, 30)
    py_6 = chain("www.python.org", ["dualstack.python.map.fastly.net"], [fast6], 21600, 30, "AAAA")
    t = mdns_lookup(ctx, 0.0, "www.python.org", py_a, py_6, tag="pdns")
    c1, t = ctx.https(t, fast6, "www.python.org", 0.029, 55, resp=1800000, rate=45e6, profile="chrome", sos="cdn", tag="p1", close=None)
    t = mdns_lookup(ctx, t + 1.1, "yandex.ru", chain("yandex.ru", [], ["77.88.55.60"], 0, 600), chain("yandex.ru", [], [ya6], 0, 600, "AAAA"))
    _, t = ctx.https(t, ya6, "yandex.ru", 0.006, 59, resp=380000, rate=80e6, profile="chrome", close=None)
    # Twitter: SNI-triggered policing to ~150 kbit/s by dropping, both for twitter.com (IPv4 only) and the static CDN over IPv6
    t = mdns_lookup(ctx, t + 0.8, "twitter.com", chain("twitter.com", [], [tw4, "104.244.42.1"], 0, 1800), ())
    tw, _ = ctx.https(t, tw4, "twitter.com", 0.057, 53, resp=90000, rate=150e3 * 60, profile="chrome", sos="linuxsrv", tag="w",
                      drop=TokenBucket(150e3, 9000), close=None)
    ta = mdns_lookup(ctx, t + 0.35, "abs.twimg.com", chain("abs.twimg.com", ["dualstack.twimg.twitter.map.fastly.net"], [fast4], 300, 30),
                     chain("abs.twimg.com", ["dualstack.twimg.twitter.map.fastly.net"], [fast6], 300, 30, "AAAA"), tag="adns")
    thr, tend = ctx.https(ta, fast6, "abs.twimg.com", 0.029, 55, resp=420000, rate=45e6, profile="chrome", sos="cdn", tag="a",
                          drop=TokenBucket(150e3, 12000), close=None)
    # the same Fastly address keeps serving python.org at full speed while abs.twimg.com crawls
    c2, t = ctx.https(ta + 9.7, fast6, "www.python.org", 0.029, 55, resp=2400000, rate=45e6, profile="chrome", sos="cdn", tag="p2", close=None)
    f = cap.frame
    (n_a, d_a), (n_c1, d_c1), (n_c2, d_c2) = flow_rate(cap, thr), flow_rate(cap, c1), flow_rate(cap, c2)
    rt = cap.frames("arespr") + cap.frames("ashr")
    about = (f"MacBook (Chrome) on a Russian home ISP with IPv6, Ethernet, nanosecond pcap; DNS over IPv4 to the router. abs.twimg.com -> "
             f"dualstack.twimg.twitter.map.fastly.net -> {fast6} (frames {f('adnsqAAAA')}/{f('adnsrAAAA')}); www.python.org resolves to the same "
             f"Fastly address (frames {f('pdnsqAAAA')}/{f('pdnsrAAAA')}). abs.twimg.com flow: SYN frame {f('asyn')}, ClientHello {f('ach')}, "
             f"first data {f('ashdata')}; {n_a} distinct bytes in {d_a:.1f} s = {n_a * 8 / d_a / 1e3:.0f} kbit/s. The policer drops segments before the "
             f"capture point: the client SACKs the holes and the server's retransmissions fill them (frames {', '.join(str(x) for x in sorted(rt)[:12])}"
             f"{' ...' if len(rt) > 12 else ''}; {len(rt)} retransmitted segments in all), with a ~0.26 s RTO stall every 0.5-1 s. "
             f"Same address, SNI www.python.org: before (SYN frame {f('p1syn')}) {n_c1} bytes in {d_c1:.2f} s = {n_c1 * 8 / d_c1 / 1e6:.1f} Mbit/s, and "
             f"during (SYN frame {f('p2syn')}) {n_c2} bytes in {d_c2:.2f} s = {n_c2 * 8 / d_c2 / 1e6:.1f} Mbit/s. twitter.com over IPv4 "
             f"(SYN frame {f('wsyn')}) is policed the same way but has no same-server control.")
    exp = {"expect": [{"mechanism": "throttling", "domain": "abs.twimg.com"}], "allow": [{"mechanism": "throttling", "domain": "twitter.com"}], "about": about}
    return cap, exp


CASES = [case1, case2, case3, case4, case5, case6]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    expect = {}
    for fn in CASES:
        cap, exp = fn()
        cap.write(os.path.join(out, cap.fname))
        expect[cap.fname] = exp
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
