#!/usr/bin/env python3
# ruff: noqa: B007, E501, E741, F841, I001, RUF005, RUF015, RUF046, RUF059, RUF100, SIM114, UP031, UP033
"""Blind round 16b: benign look-alikes captured somewhere other than the user's own machine.

usage: python blind16_benign.py OUTDIR

Writes six captures and OUTDIR/expect.json.  None of the captures contains censorship; each is
taken at a vantage point (a web server, a home router, an ISP mirror port, a corporate gateway,
a Kubernetes node, a phone changing networks) where ordinary network behaviour looks odd.

Self-contained: its own IPv4/IPv6/TCP/UDP/ICMP builders (valid checksums), pcap and pcapng
writers (Ethernet, 802.1Q, Linux SLL, SLL2, raw IP), a TCP connection model that can be observed
at several points at once (NAT, routing hops, mirror copies), TLS, DNS and real RFC 9001 QUIC v1
Initial packets.  Every random choice comes from a seeded random.Random: two runs are
byte-identical.
"""
import functools
import ipaddress
import json
import os
import random
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blind_kit import epoch, mac  # noqa: E402  (the capture kit's helpers)
from generate import protect, quic_initial_keys  # noqa: E402  (RFC 9001, once)

M32 = 0xFFFFFFFF


# ----------------------------------------------------------------------------
# IP / TCP / UDP / ICMP with real checksums
# ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def pton(a):
    return ipaddress.ip_address(a).packed


def is6(a):
    return ":" in a


def csum16(b):
    if len(b) & 1:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def pseudo(src, dst, proto, ln):
    s, d = pton(src), pton(dst)
    if len(s) == 4:
        return s + d + struct.pack("!BBH", 0, proto, ln)
    return s + d + struct.pack("!I3xB", ln, proto)


FLAGBITS = {"F": 1, "S": 2, "R": 4, "P": 8, "A": 16, "U": 32, "E": 64, "C": 128}


def tcp_opts(opts):
    out = bytearray()
    for k, v in opts:
        if k == "NOP":
            out += b"\x01"
        elif k == "EOL":
            out += b"\x00"
        elif k == "MSS":
            out += struct.pack("!BBH", 2, 4, v)
        elif k == "WS":
            out += struct.pack("!BBB", 3, 3, v)
        elif k == "SACKOK":
            out += b"\x04\x02"
        elif k == "TS":
            out += struct.pack("!BBII", 8, 10, v[0] & M32, v[1] & M32)
        elif k == "SACK":
            out += struct.pack("!BB", 5, 2 + 8 * len(v)) + b"".join(struct.pack("!II", a & M32, b & M32) for a, b in v)
    out += b"\0" * (-len(out) % 4)
    return bytes(out)


def tcp_seg(src, dst, sport, dport, seq, ack, flags, win, opts=(), payload=b""):
    ob = tcp_opts(opts)
    fl = sum(FLAGBITS[c] for c in flags)
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & M32, ack & M32, ((20 + len(ob)) // 4) << 4, fl, win & 0xFFFF, 0, 0) + ob
    seg = hdr + payload
    c = csum16(pseudo(src, dst, 6, len(seg)) + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def udp_dgram(src, dst, sport, dport, payload):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = csum16(pseudo(src, dst, 17, len(seg)) + seg) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def icmp4(typ, code, rest, data):
    b = struct.pack("!BBHI", typ, code, 0, rest) + data
    return b[:2] + struct.pack("!H", csum16(b)) + b[4:]


def icmp6(src, dst, typ, code, rest, data):
    b = struct.pack("!BBHI", typ, code, 0, rest) + data
    c = csum16(pseudo(src, dst, 58, len(b)) + b)
    return b[:2] + struct.pack("!H", c) + b[4:]


def ip_pkt(src, dst, proto, l4, ttl, ipid=0, df=True, tos=0, fl=0):
    if is6(src):
        return struct.pack("!IHBB", (6 << 28) | (tos << 20) | (fl & 0xFFFFF), len(l4), proto, ttl) + pton(src) + pton(dst) + l4
    h = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(l4), ipid & 0xFFFF, 0x4000 if df else 0, ttl, proto, 0, pton(src), pton(dst))
    return h[:10] + struct.pack("!H", csum16(h)) + h[12:] + l4


def udp_pkt(src, dst, sport, dport, payload, ttl, ipid=0, df=False, fl=0, tos=0):
    return ip_pkt(src, dst, 17, udp_dgram(src, dst, sport, dport, payload), ttl, ipid, df, tos, fl)


def ttl_dec(ipb, n):
    """The same packet after n more routers (IPv4 header checksum fixed)."""
    if n == 0:
        return ipb
    b = bytearray(ipb)
    if b[0] >> 4 == 6:
        b[7] -= n
        return bytes(b)
    b[8] -= n
    b[10:12] = b"\0\0"
    b[10:12] = struct.pack("!H", csum16(bytes(b[:20])))
    return bytes(b)


# ----------------------------------------------------------------------------
# capture container: pcap / pcapng, several link types
# ----------------------------------------------------------------------------

LINKTYPE = {"eth": 1, "sll": 113, "sll2": 276, "raw": 101}


class Cap:
    """Packets of one capture.  t is seconds after `base` (an epoch); each record is
    framed by its interface's link type with the l2 dict given to add()."""

    def __init__(self, base, ifaces, fmt="pcap", endian="<", nsec=False, shb=None):
        self.base, self.ifaces, self.fmt, self.endian, self.nsec = base, ifaces, fmt, endian, nsec
        self.shb = shb or {}
        self.recs = []

    def frame_link(self, f, ipb, l2):
        et = 0x86DD if ipb[0] >> 4 == 6 else 0x0800
        k = f["link"]
        if k == "raw":
            return ipb
        if k == "sll":
            addr = l2.get("addr", b"")
            return struct.pack("!HHH", l2.get("pkttype", 0), l2.get("hatype", 1), len(addr)) + (addr + b"\0" * 8)[:8] + struct.pack("!H", et) + ipb
        if k == "sll2":
            addr = l2.get("addr", b"")
            return struct.pack("!HHIHBB", et, 0, l2["ifindex"], l2.get("hatype", 1), l2.get("pkttype", 0), len(addr)) + (addr + b"\0" * 8)[:8] + ipb
        hdr = l2["dst"] + l2["src"]
        for vid in l2.get("vlans", ()):
            pcp = 0
            if isinstance(vid, tuple):
                vid, pcp = vid
            hdr += struct.pack("!HH", 0x8100, (pcp << 13) | vid)
        fr = hdr + struct.pack("!H", et) + ipb
        if l2.get("pad") and len(fr) < 60:
            fr += b"\0" * (60 - len(fr))
        return fr

    def add(self, t, ipb, iface=0, l2=None, tag=None, flags=None):
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        fr = self.frame_link(self.ifaces[iface], ipb, l2 or {})
        self.recs.append((tns, len(self.recs), iface, fr, tag, flags))

    def sorted(self):
        return sorted(self.recs, key=lambda r: (r[0], r[1]))

    def frames(self, tag):
        return [i + 1 for i, r in enumerate(self.sorted()) if r[4] == tag]

    def write(self, path):
        E = self.endian
        out = bytearray()
        recs = self.sorted()
        if self.fmt == "pcap":
            lt = LINKTYPE[self.ifaces[0]["link"]]
            out += struct.pack(E + "IHHiIII", 0xA1B23C4D if self.nsec else 0xA1B2C3D4, 2, 4, 0, 0, 262144, lt)
            for tns, _, _, b, _, _ in recs:
                sec, frac = divmod(tns, 1_000_000_000)
                if not self.nsec:
                    frac //= 1000
                out += struct.pack(E + "IIII", sec, frac, len(b), len(b)) + b
        else:
            def opt(code, val):
                return struct.pack(E + "HH", code, len(val)) + val + b"\0" * (-len(val) % 4)

            def blk(bt, body):
                body += b"\0" * (-len(body) % 4)
                n = len(body) + 12
                return struct.pack(E + "II", bt, n) + body + struct.pack(E + "I", n)

            so = b"".join(opt(c, self.shb[k].encode()) for c, k in ((2, "hw"), (3, "os"), (4, "app")) if self.shb.get(k))
            out += blk(0x0A0D0D0A, struct.pack(E + "IHHq", 0x1A2B3C4D, 1, 0, -1) + so + struct.pack(E + "HH", 0, 0))
            for f in self.ifaces:
                io = opt(2, f["name"].encode())
                if f.get("desc"):
                    io += opt(3, f["desc"].encode())
                io += opt(9, bytes([f.get("tsresol", 6)]))
                if f.get("os"):
                    io += opt(12, f["os"].encode())
                out += blk(1, struct.pack(E + "HHI", LINKTYPE[f["link"]], 0, 262144) + io + struct.pack(E + "HH", 0, 0))
            for tns, _, ifc, b, _, fl in recs:
                res = self.ifaces[ifc].get("tsresol", 6)
                ts = tns // (10 ** (9 - res))
                body = struct.pack(E + "IIIII", ifc, ts >> 32, ts & M32, len(b), len(b)) + b + b"\0" * (-len(b) % 4)
                if fl is not None:
                    body += opt(2, struct.pack(E + "I", fl)) + struct.pack(E + "HH", 0, 0)
                out += blk(6, body)
        with open(path, "wb") as fh:
            fh.write(bytes(out))


# ----------------------------------------------------------------------------
# hosts, views and connections
# ----------------------------------------------------------------------------

OS = {
    # ttl: initial TTL; synwin/ws: SYN window and shift; lay: SYN option layout; win0/wcap: raw window
    # after the handshake and its ceiling; ipid: conn (Linux per-socket counter, 0 on SYN/ACK and
    # socketless RSTs), global (Windows host counter), rand (Apple); hz: TSval clock.
    "linux": dict(ttl=64, synwin=64240, ws=7, ts=True, sack=True, lay="linux", win0=502, wcap=3100, ipid="conn", hz=1000),
    "linuxsrv": dict(ttl=64, synwin=65160, ws=7, ts=True, sack=True, lay="linux", win0=509, wcap=3100, ipid="conn", hz=1000),
    "android": dict(ttl=64, synwin=65535, ws=9, ts=True, sack=True, lay="linux", win0=128, wcap=900, ipid="conn", hz=1000),
    "win": dict(ttl=128, synwin=64240, ws=8, ts=False, sack=True, lay="win", win0=513, wcap=1026, ipid="global", hz=0),
    "winsrv": dict(ttl=128, synwin=65535, ws=8, ts=False, sack=True, lay="win", win0=1026, wcap=2052, ipid="global", hz=0),
    "mac": dict(ttl=64, synwin=65535, ws=6, ts=True, sack=True, lay="mac", win0=2058, wcap=2058, ipid="rand", hz=1000),
    "bsd": dict(ttl=64, synwin=65535, ws=6, ts=True, sack=True, lay="mac", win0=1027, wcap=1027, ipid="rand", hz=1000),
    "cdn": dict(ttl=64, synwin=65535, ws=9, ts=True, sack=True, lay="linux", win0=128, wcap=512, ipid="conn", hz=1000),
}


class Host:
    def __init__(self, rng, os="linux", ttl=None, **kw):
        self.rng, self.os = rng, os
        self.p = dict(OS[os])
        self.p.update(kw)
        self.ttl = ttl or self.p["ttl"]
        self.gid = rng.randrange(65536)
        self.clock = rng.getrandbits(31)

    def next_gid(self):
        v = self.gid
        self.gid = (v + 1) & 0xFFFF
        return v


class View:
    """One place the packets of a connection are captured.  l2[x]: link-layer fields for packets
    sent by side x; hops[x]: routers between x and this point; dt[x]: extra delay after the
    reference point; show[x]: whether x's packets pass here; nat: (ip, port) -> (ip, port)."""

    def __init__(self, iface=0, l2a=None, l2b=None, hops_a=0, hops_b=0, dt_a=0.0, dt_b=0.0, show_a=True, show_b=True, nat=None, dup=0.0, dup_dt=(2e-6, 2e-5), pkflags=None):
        self.iface = iface
        self.l2 = {"a": l2a or {}, "b": l2b or {}}
        self.hops = {"a": hops_a, "b": hops_b}
        self.dt = {"a": dt_a, "b": dt_b}
        self.show = {"a": show_a, "b": show_b}
        self.nat = nat or {}
        self.dup, self.dup_dt = dup, dup_dt
        self.pkflags = pkflags or {}


class EP:
    def __init__(self, host, ip, port, mss, rng):
        self.host, self.ip, self.port, self.mss = host, ip, port, mss
        self.p = host.p
        self.iss = rng.getrandbits(32)
        self.nxt = self.iss
        self.rcv = 0
        self.idc = rng.randrange(65536)
        self.fl = rng.getrandbits(20)
        self.got = 0
        self.ts_recent = 0
        self.peer_ws = None


def other(x):
    return "b" if x == "a" else "a"


class Pair:
    """Two endpoints and the views that see their packets."""

    def __init__(self, cap, rng, a, b, views, da=0.0, db=0.0, mss_a=1460, mss_b=1460):
        self.cap, self.rng, self.views = cap, rng, views
        self.ep = {"a": EP(a[0], a[1], a[2], mss_a, rng), "b": EP(b[0], b[1], b[2], mss_b, rng)}
        self.d = {"a": da, "b": db}

    def put(self, t, frm, build, tag=None, views=None, ttl0=None):
        """build(src, sport, dst, dport, ttl) -> IP bytes; emitted once per view that sees frm."""
        s, r = self.ep[frm], self.ep[other(frm)]
        for v in (views if views is not None else self.views):
            if not v.show[frm]:
                continue
            src = v.nat.get((s.ip, s.port), (s.ip, s.port))
            dst = v.nat.get((r.ip, r.port), (r.ip, r.port))
            ttl = (ttl0 or s.host.ttl) - v.hops[frm]
            ipb = build(src[0], src[1], dst[0], dst[1], ttl)
            tt = t + v.dt[frm]
            self.cap.add(tt, ipb, v.iface, v.l2[frm], tag, v.pkflags.get(frm))
            if v.dup and self.rng.random() < v.dup:
                self.cap.add(tt + self.rng.uniform(*v.dup_dt), ipb, v.iface, v.l2[frm], None, v.pkflags.get(frm))

    def ipid(self, frm, kind=None):
        e = self.ep[frm]
        mode = e.p["ipid"]
        if kind == "zero" or (mode == "conn" and kind in ("synack", "ctl")):
            return 0
        if mode == "conn":
            v = e.idc
            e.idc = (v + 1) & 0xFFFF
            return v
        if mode == "global":
            return e.host.next_gid()
        if mode == "zero":
            return 0
        return self.rng.randrange(65536)

    def udp(self, t, frm, payload, ipid=None, df=None, tag=None, views=None, ttl0=None, tos=0):
        e = self.ep[frm]
        iid = self.ipid(frm) if ipid is None else ipid
        dff = (e.p["ipid"] != "global") if df is None else df
        self.put(t, frm, lambda s, sp, d, dp, ttl: udp_pkt(s, d, sp, dp, payload, ttl, iid, dff, e.fl, tos), tag, views, ttl0)


class Conn(Pair):
    """A TCP connection.  Times are at the reference point (the first view unless a view says
    otherwise); d[x] is the one-way delay between side x and the reference point."""

    def __init__(self, cap, rng, a, b, views, da=0.0, db=0.0, mss_a=1460, mss_b=1460):
        super().__init__(cap, rng, a, b, views, da, db, mss_a, mss_b)
        A, B = self.ep["a"], self.ep["b"]
        self.ts_on = A.p["ts"] and B.p["ts"]
        self.sack_on = A.p["sack"] and B.p["sack"]

    def win(self, e):
        return min(e.p["win0"] + (e.got >> e.p["ws"]) // 2, e.p["wcap"])

    def tsval(self, frm, t):
        e = self.ep[frm]
        return (e.host.clock + int((t - self.d[frm]) * e.p["hz"])) & M32

    def syn_opts(self, frm, t, synack):
        e, r = self.ep[frm], self.ep[other(frm)]
        p = e.p
        ts = p["ts"] and (not synack or r.p["ts"])
        sack = p["sack"] and (not synack or r.p["sack"])
        tsv = (self.tsval(frm, t), r.ts_recent if synack else 0)
        if p["lay"] == "win":
            o = [("MSS", e.mss), ("NOP", None), ("WS", p["ws"])]
            if ts:
                o += [("SACKOK", None), ("TS", tsv)] if synack else [("NOP", None), ("NOP", None), ("TS", tsv), ("NOP", None), ("NOP", None), ("SACKOK", None)]
            else:
                o += [("SACKOK", None)] if synack else [("NOP", None), ("NOP", None), ("SACKOK", None)]
            return o
        if p["lay"] == "mac" and not synack:
            return [("MSS", e.mss), ("NOP", None), ("WS", p["ws"]), ("NOP", None), ("NOP", None), ("TS", tsv), ("SACKOK", None), ("EOL", None)]
        if ts:
            return [("MSS", e.mss), ("SACKOK", None) if sack else ("NOP", None), ("TS", tsv), ("NOP", None), ("WS", p["ws"])]
        return [("MSS", e.mss), ("NOP", None), ("NOP", None), ("SACKOK", None) if sack else ("NOP", None), ("NOP", None), ("WS", p["ws"])]

    def emit(self, t, frm, flags, payload=b"", seq=None, ack=None, win=None, opts=None, ipid=None, df=True,
             advance=True, tag=None, views=None, ctl=False, sack=None, ttl0=None, deliver=True):
        e, r = self.ep[frm], self.ep[other(frm)]
        seq = e.nxt if seq is None else seq
        if ack is None:
            ack = e.rcv if "A" in flags else 0
        synack = "S" in flags and "A" in flags
        if opts is None:
            if ctl:
                opts = []
            elif "S" in flags:
                opts = self.syn_opts(frm, t, synack)
            else:
                opts = []
                if self.ts_on:
                    opts = [("NOP", None), ("NOP", None), ("TS", (self.tsval(frm, t), e.ts_recent))]
                if sack:
                    opts += [("NOP", None), ("NOP", None), ("SACK", sack)]
        for k, v in opts:
            if k == "TS":
                r.ts_recent = v[0]
        if win is None:
            if "S" in flags and e.host.os in ("linux", "linuxsrv"):
                m = e.mss - (12 if synack and self.ts_on else 0)
                win = (65535 // m) * m  # tcp_select_initial_window: whole segments
            elif "S" in flags:
                win = e.p["synwin"]
            elif ctl or ("R" in flags and e.p["lay"] == "win"):
                win = 0
            else:
                win = self.win(e)
        if ipid is None:
            ipid = self.ipid(frm, "ctl" if ctl else ("synack" if synack else None))
        fl = 0 if ctl else e.fl
        self.put(t, frm, lambda s, sp, d, dp, ttl: ip_pkt(s, d, 6, tcp_seg(s, d, sp, dp, seq, ack, flags, win, opts, payload), ttl, ipid, df, 0, fl), tag, views, ttl0)
        if advance:
            n = len(payload) + ("S" in flags) + ("F" in flags)
            if seq == e.nxt:
                e.nxt = (e.nxt + n) & M32
            if deliver:
                r.got += len(payload)
                end = (seq + n) & M32
                if r.rcv == 0 or ((end - r.rcv) & M32) < 0x80000000:
                    r.rcv = end
        return seq

    # -- composite steps (times at the reference point)
    def handshake(self, t, proc=0.00003, tag=None):
        self.emit(t, "a", "S", tag=tag and tag + "syn")
        self.ep["b"].rcv = (self.ep["a"].iss + 1) & M32
        t1 = t + 2 * self.d["b"] + proc
        self.emit(t1, "b", "SA", ack=self.ep["b"].rcv, tag=tag and tag + "synack")
        t2 = t1 + 2 * self.d["a"] + self.rng.uniform(0.00002, 0.0001)
        self.emit(t2, "a", "A")
        return t2

    def segsize(self, frm):
        e, r = self.ep[frm], self.ep[other(frm)]
        return min(e.mss, r.mss) - (12 if self.ts_on else 0)

    def send(self, t, frm, data, tag=None, gap=0.000012):
        """A small write (a request): segments back to back, PSH on the last."""
        seg = self.segsize(frm)
        off = 0
        while off < len(data):
            c = data[off:off + seg]
            off += len(c)
            last = off >= len(data)
            self.emit(t, frm, "PA" if last else "A", c, tag=tag if last else None)
            t += gap
        return t - gap

    def ack(self, t, frm, **kw):
        self.emit(t, frm, "A", **kw)
        return t

    def xfer(self, t0, frm, data, rate=50e6, cwnd=10, tag=None, ack_every=2, cut=None, final_ack=True):
        """Bulk transfer from frm; the peer ACKs every second segment.  cut: index of the first
        segment whose ACK never comes (the peer vanished).  Returns (last data time, last time)."""
        to = other(frm)
        s, r = self.ep[frm], self.ep[to]
        seg = self.segsize(frm)
        chunks = [data[i:i + seg] for i in range(0, len(data), seg)]
        ds, dr = self.d[frm], self.d[to]
        gap = (seg + 66) * 8 / rate
        i, tr, tlast, tdata = 0, t0, t0, t0
        base = s.nxt
        while i < len(chunks):
            n = min(cwnd, len(chunks) - i)
            first_ack = None
            pend = []
            for k in range(n):
                idx = i + k
                tk = tr + k * gap
                c = chunks[idx]
                last = idx == len(chunks) - 1
                psh = last or (idx % 22 == 21)
                self.emit(tk, frm, "PA" if psh else "A", c, tag=(tag + "data") if tag and idx == 0 else None)
                tdata = tlast = max(tlast, tk)
                end = s.nxt
                if cut is not None and idx >= cut:
                    continue
                pend.append(end)
                if len(pend) >= ack_every or last:
                    ta = tk + 2 * dr + self.rng.uniform(0.00002, 0.00008)
                    if len(pend) < ack_every and last:
                        if not final_ack:
                            pend = []
                            continue
                        ta += 0.04 if n > 2 else 0.0
                    self.emit(ta, to, "A", ack=end, deliver=False)
                    r.rcv = end
                    tlast = max(tlast, ta)
                    if first_ack is None:
                        first_ack = ta
                    pend = []
            i += n
            if cut is not None and i > cut:
                break
            if first_ack is None:
                break
            tr = max(first_ack + 2 * ds, tk + gap)
            cwnd = min(cwnd * 2, 90)
        r.rcv = r.rcv if cut is not None else (base + len(data)) & M32
        return tdata, tlast

    def close(self, t, frm, gap=0.0003):
        """frm closes (FIN); the peer's FIN follows; frm sends the last ACK."""
        to = other(frm)
        self.emit(t, frm, "FA")
        t2 = t + 2 * self.d[to] + gap
        self.emit(t2, to, "FA")
        t3 = t2 + 2 * self.d[frm] + self.rng.uniform(0.00002, 0.00008)
        self.emit(t3, frm, "A")
        return t3

    def abort(self, t, frm, tag=None, **kw):
        """Application abort (SO_LINGER 0 / close with unread data): RST+ACK from the socket."""
        e = self.ep[frm]
        win = 0 if e.p["lay"] == "win" else None
        return self.emit(t, frm, "RA", win=win, tag=tag, **kw)

    def ctl_rst(self, t, frm, seq, ack=None, tag=None, **kw):
        """RST from a kernel that has no socket for the segment (RFC 9293 reset generation)."""
        return self.emit(t, frm, "RA" if ack is not None else "R", seq=seq, ack=ack or 0, ctl=True, advance=False, tag=tag, **kw)


def split(data, n):
    return [data[i:i + n] for i in range(0, len(data), n)]


# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------


def u16(n):
    return struct.pack("!H", n)


def u24(n):
    return struct.pack("!I", n)[1:]


def ext(code, body):
    return u16(code) + u16(len(body)) + body


def x25519_pub(rng):
    k = X25519PrivateKey.from_private_bytes(rng.randbytes(32))
    return k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


GREASE = [0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A, 0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A, 0xAAAA, 0xBABA, 0xCACA, 0xDADA, 0xEAEA, 0xFAFA]
SIGALGS_CHROME = (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)


def sni_ext(sni):
    return ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode())


def alpn_ext(alpn):
    if not alpn:
        return b""
    b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    return ext(16, u16(len(b)) + b)


def client_hello(rng, sni, alpn=("h2", "http/1.1"), profile="chrome", quic_tp=None):
    """A TLS 1.3 ClientHello handshake message (no record header).  quic_tp: QUIC transport
    parameters, which also drop the legacy session id and the TLS 1.2 suites as QUIC stacks do."""
    rnd = rng.randbytes(32)
    sid = b"" if quic_tp is not None else rng.randbytes(32)
    pub = x25519_pub(rng)
    if profile == "chrome":
        g1, g2, g3 = rng.sample(GREASE, 3)
        suites = [g1, 0x1301, 0x1302, 0x1303] + ([] if quic_tp is not None else [0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035])
        exts = [ext(g2, b""), sni_ext(sni), ext(23, b"") if quic_tp is None else b"", ext(0xFF01, b"\x00") if quic_tp is None else b"",
                ext(10, u16(8) + u16(g1) + u16(0x1D) + u16(0x17) + u16(0x18)), ext(11, b"\x01\x00") if quic_tp is None else b"",
                ext(35, b"") if quic_tp is None else b"", alpn_ext(alpn), ext(5, b"\x01\x00\x00\x00\x00"),
                ext(13, u16(16) + b"".join(u16(x) for x in SIGALGS_CHROME)), ext(18, b""),
                ext(51, u16(32 + 4 + 5) + u16(g1) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + pub),
                ext(45, b"\x01\x01"), ext(43, (b"\x04" + u16(g3) + u16(0x0304)) if quic_tp is not None else (b"\x06" + u16(g3) + u16(0x0304) + u16(0x0303))),
                ext(27, b"\x02\x00\x02"), ext(17513, b"\x00\x03\x02h2") if quic_tp is None else ext(17513, b"\x00\x03\x02h3"),
                ext(0x39, quic_tp) if quic_tp is not None else b"", ext(g3 ^ 0x1010, b"\x00")]
        order = list(range(1, len(exts) - 1))
        rng.shuffle(order)  # Chrome permutes its extensions
        exts = [exts[0]] + [exts[i] for i in order] + [exts[-1]]
    elif profile == "okhttp":  # Android platform TLS (BoringSSL via Conscrypt)
        suites = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02C, 0xCCA9, 0xC02F, 0xC030, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        exts = [sni_ext(sni), ext(23, b""), ext(0xFF01, b"\x00"), ext(10, u16(6) + u16(0x1D) + u16(0x17) + u16(0x18)), ext(11, b"\x01\x00"),
                ext(35, b""), alpn_ext(alpn), ext(5, b"\x01\x00\x00\x00\x00"), ext(13, u16(16) + b"".join(u16(x) for x in SIGALGS_CHROME)),
                ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(45, b"\x01\x01"), ext(43, b"\x04" + u16(0x0304) + u16(0x0303))]
    elif profile == "go":  # Go crypto/tls client
        suites = [0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC009, 0xC013, 0xC00A, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035, 0x1301, 0x1302, 0x1303]
        exts = [sni_ext(sni), ext(5, b"\x01\x00\x00\x00\x00"), ext(10, u16(8) + u16(0x1D) + u16(0x17) + u16(0x18) + u16(0x19)), ext(11, b"\x01\x00"),
                ext(13, u16(20) + b"".join(u16(x) for x in (0x0804, 0x0403, 0x0807, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0503, 0x0603))),
                ext(0xFF01, b"\x00"), ext(18, b""), alpn_ext(alpn), ext(43, b"\x04" + u16(0x0304) + u16(0x0303)),
                ext(51, u16(36) + u16(0x1D) + u16(32) + pub)]
    else:  # firefox
        suites = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A, 0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        exts = [sni_ext(sni), ext(23, b""), ext(0xFF01, b"\x00"), ext(10, u16(14) + b"".join(u16(x) for x in (0x1D, 0x17, 0x18, 0x19, 0x100, 0x101, 0x102))),
                ext(11, b"\x01\x00"), ext(35, b""), alpn_ext(alpn), ext(5, b"\x01\x00\x00\x00\x00"),
                ext(34, u16(8) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0203))), ext(51, u16(36) + u16(0x1D) + u16(32) + pub),
                ext(43, b"\x04" + u16(0x0304) + u16(0x0303)), ext(13, u16(22) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201))),
                ext(45, b"\x01\x01"), ext(28, b"\x40\x01")]
    exts = [x for x in exts if x]
    body = b"\x03\x03" + rnd + bytes([len(sid)]) + sid + u16(2 * len(suites)) + b"".join(u16(x) for x in suites) + b"\x01\x00"
    el = b"".join(exts)
    if quic_tp is None and profile in ("chrome", "firefox", "okhttp"):
        hlen = len(body) + 2 + len(el)
        if hlen < 508:
            el += ext(21, b"\x00" * max(508 - hlen - 4, 0))
    body += u16(len(el)) + el
    return b"\x01" + u24(len(body)) + body


def tls_record(ctype, payload, ver=0x0301):
    return bytes([ctype]) + u16(ver) + u16(len(payload)) + payload


def ch_record(rng, sni, alpn=("h2", "http/1.1"), profile="chrome"):
    m = client_hello(rng, sni, alpn, profile)
    return tls_record(0x16, m), m[39:39 + m[38]]


def server_hello(rng, sid, quic=False):
    pub = x25519_pub(rng)
    exts = ext(43, u16(0x0304)) + ext(51, u16(0x1D) + u16(32) + pub)
    body = b"\x03\x03" + rng.randbytes(32) + bytes([len(sid)]) + sid + u16(0x1301) + b"\x00" + u16(len(exts)) + exts
    return b"\x02" + u24(len(body)) + body


def app_rec(rng, n):
    return b"\x17\x03\x03" + u16(n + 17) + rng.randbytes(n + 17)


def app_stream(rng, n, first=16384):
    out = bytearray()
    while n > 0:
        k = min(n, first, 16384)
        out += app_rec(rng, k)
        n -= k
    return bytes(out)


def server_flight(rng, sid, cert_len):
    """ServerHello + ChangeCipherSpec + the encrypted rest of the TLS 1.3 flight."""
    return tls_record(0x16, server_hello(rng, sid), 0x0303) + b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, cert_len)


def alert_plain(desc, level=2, ver=0x0303):
    return tls_record(0x15, bytes([level, desc]), ver)


def client_finish(rng, req):
    return b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, req)


# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------

QT = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33, "OPT": 41, "HTTPS": 65}


class DNSW:
    def __init__(self):
        self.out = bytearray()
        self.table = {}

    def name(self, n):
        labels = [x for x in n.rstrip(".").split(".") if x]
        for i in range(len(labels)):
            suf = ".".join(labels[i:]).lower()
            if suf in self.table:
                self.out += struct.pack("!H", 0xC000 | self.table[suf])
                return
            if len(self.out) < 0x3FFF:
                self.table[suf] = len(self.out)
            lb = labels[i].encode()
            self.out += bytes([len(lb)]) + lb
        self.out.append(0)

    def rr(self, n, ty, ttl, rd):
        self.name(n)
        self.out += struct.pack("!HHI", QT[ty], 1, ttl)
        pos = len(self.out)
        self.out += b"\0\0"
        if ty == "A":
            self.out += pton(rd)
        elif ty == "AAAA":
            self.out += pton(rd)
        elif ty in ("CNAME", "PTR", "NS"):
            self.name(rd)
        elif ty == "SOA":
            mname, rname, serial, refresh, retry, expire, minimum = rd
            self.name(mname)
            self.name(rname)
            self.out += struct.pack("!IIIII", serial, refresh, retry, expire, minimum)
        elif ty == "MX":
            self.out += u16(rd[0])
            self.name(rd[1])
        elif ty == "HTTPS":
            self.out += rd
        struct.pack_into("!H", self.out, pos, len(self.out) - pos - 2)


def dns_msg(txid, flags, qname, qtype, an=(), ns=(), edns=None, cookie=None):
    """an/ns: (name, type, ttl, rdata).  edns: UDP payload size of an OPT record (or None)."""
    w = DNSW()
    w.out += struct.pack("!HHHHHH", txid, flags, 1, len(an), len(ns), 1 if edns else 0)
    w.name(qname)
    w.out += struct.pack("!HH", QT[qtype], 1)
    for r in an:
        w.rr(*r)
    for r in ns:
        w.rr(*r)
    if edns:
        opt = b""
        if cookie:
            opt = u16(10) + u16(len(cookie)) + cookie
        w.out += b"\x00" + struct.pack("!HHIH", 41, edns, 0, len(opt)) + opt
    return bytes(w.out)


def chain(qname, cnames, addrs, ttl_c, ttl_a, qtype="A"):
    ans, cur = [], qname
    for c in cnames:
        ans.append((cur, "CNAME", ttl_c, c))
        cur = c
    for a in addrs:
        ans.append((cur, qtype, ttl_a, a))
    return ans


# ----------------------------------------------------------------------------
# QUIC v1 (RFC 9000 / 9001): real Initial packet protection
# ----------------------------------------------------------------------------

def varint(n):
    if n < 0x40:
        return bytes([n])
    if n < 0x4000:
        return u16(0x4000 | n)
    if n < 0x40000000:
        return struct.pack("!I", 0x80000000 | n)
    return struct.pack("!Q", 0xC000000000000000 | n)


def quic_initial(side, odcid, dcid, scid, pn, frames, pad_to=None, token=b""):
    """One protected Initial packet.  odcid: the client's first DCID (keys derive from it)."""
    keys = quic_initial_keys(odcid)[side]
    pnl = 2 if pn > 0xFF else 1
    pnb = pn.to_bytes(pnl, "big")
    hdr0 = bytes([0xC0 | (pnl - 1)]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(len(token)) + token
    plain = frames
    if pad_to:
        # the Length varint is 2 bytes for any Initial of this size
        fixed = len(hdr0) + 2 + pnl + 16
        if fixed + len(plain) < pad_to:
            plain += b"\x00" * (pad_to - fixed - len(plain))
    if len(plain) < 4:
        plain += b"\x00" * (4 - len(plain))
    length = pnl + len(plain) + 16
    hdr = hdr0 + u16(0x4000 | length) + pnb
    return protect(hdr, pn, pnl, plain, keys)


def quic_long_opaque(rng, ptype, dcid, scid, size):
    """A Handshake (ptype 2) or 0-RTT (1) packet whose protected part is opaque to an observer."""
    first = 0xC0 | (ptype << 4) | rng.randrange(16)
    hdr = bytes([first]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    body = max(size - len(hdr) - 2, 24)
    return hdr + u16(0x4000 | body) + rng.randbytes(body)


def quic_short(rng, dcid, size):
    body = rng.randbytes(max(size - 1 - len(dcid), 20))
    if not dcid and body[0] == 0x04:  # keep tshark's CLTP heuristic from claiming a random payload
        body = b"\x05" + body[1:]
    return bytes([0x40 | rng.randrange(0x40) & 0x3F]) + dcid + body


def crypto_frame(off, data):
    return b"\x06" + varint(off) + varint(len(data)) + data


def ack_frame(largest, delay=0, first_range=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(first_range)


def quic_tp_chrome(rng, scid):
    def tp(k, v):
        return varint(k) + varint(len(v)) + v
    return b"".join([
        tp(0x01, varint(30000)), tp(0x04, varint(15728640)), tp(0x05, varint(6291456)), tp(0x06, varint(6291456)),
        tp(0x07, varint(6291456)), tp(0x08, varint(100)), tp(0x09, varint(103)), tp(0x0F, scid),
        tp(0x03, varint(1472)), tp(0x0E, varint(2)), tp(0x20, varint(65536)),
        tp(0x11, struct.pack("!I", 1) + struct.pack("!II", 1, 0x6B3343CF)),
        tp(rng.choice([0x1B, 0x3A, 0x59, 0x78]) + 31 * rng.randrange(1000, 9000), b""),
    ])


# ----------------------------------------------------------------------------
# shared helpers
# ----------------------------------------------------------------------------


def eph(rng, host, used=None):
    lo, hi = (49152, 65535) if host.os in ("win", "winsrv", "mac", "bsd") else (32768, 60999)
    while True:
        p = rng.randrange(lo, hi)
        if used is None or p not in used:
            if used is not None:
                used.add(p)
            return p


def rand_public_v4(rng):
    while True:
        a = ipaddress.IPv4Address(rng.getrandbits(32))
        if a.is_global and not a.is_multicast and int(a) >> 24 not in (0, 100, 127, 169, 172, 192, 198, 203) and int(a) >> 28 < 14:
            return str(a)


def rt(c, t, responder, proc):
    """Time at the reference point of `responder`'s answer to a packet seen there at t."""
    return t + 2 * c.d[responder] + proc


def tls_session(c, t, sni, profile="chrome", alpn=("h2", "http/1.1"), cert=2800, reqs=((450, 18000, 0.02),), rate=50e6,
                close="keep", tag=None, gap=(0.05, 1.5)):
    """A complete TLS 1.3 exchange on Conn c (a = client).  reqs: (request size, response size,
    server think time).  Returns the time of the last packet."""
    rng = c.rng
    t = c.handshake(t, tag=tag)
    rec, sid = ch_record(rng, sni, alpn, profile)
    t = c.send(t + rng.uniform(0.0002, 0.0009), "a", rec, tag=tag and tag + "ch")
    tfl = rt(c, t, "b", rng.uniform(0.0003, 0.0012))
    tdata, _ = c.xfer(tfl, "b", server_flight(rng, sid, cert), rate, final_ack=False, tag=tag and tag + "sh")
    t = rt(c, tdata, "a", rng.uniform(0.0008, 0.003))
    first = True
    for req, resp, think in reqs:
        if first:
            t = c.send(t, "a", client_finish(rng, req))
            body = b"".join(app_rec(rng, rng.randrange(230, 260)) for _ in range(2)) + app_stream(rng, resp)
            first = False
        else:
            t = c.send(t, "a", app_rec(rng, req))
            body = app_stream(rng, resp)
        tdata, tl = c.xfer(rt(c, t, "b", think), "b", body, rate)
        t = max(tdata, tl)
        if (req, resp, think) != reqs[-1]:
            t = rt(c, tdata, "a", rng.uniform(*gap))
    if close == "fin":
        t = c.close(t + rng.uniform(0.3, 3.0), "a")
    elif close == "alert":
        t += rng.uniform(0.3, 3.0)
        c.emit(t, "a", "PA", app_rec(rng, 2))
        c.emit(t + 0.00002, "a", "FA")
        ts = rt(c, t, "b", 0.0002)
        c.emit(ts, "b", "FPA", app_rec(rng, 2))
        a = c.ep["a"]
        t = rt(c, ts, "a", 0.00003)
        c.ctl_rst(t, "a", a.nxt)
    elif close == "srvfin":
        t = c.close(t + rng.uniform(5.0, 12.0), "b")
    return t


def raw_tcp(cap, t, iface, l2, src, dst, sport, dport, seq, ack, flags, win, opts, ttl, ipid, df=True, payload=b"", tag=None, fl=0):
    cap.add(t, ip_pkt(src, dst, 6, tcp_seg(src, dst, sport, dport, seq, ack, flags, win, opts, payload), ttl, ipid, df, 0, fl), iface, l2, tag)


# ============================================================================
# 1. a web server's own capture
# ============================================================================


def case_webserver(path):
    rng = random.Random(0x16B01)
    base = epoch(2025, 3, 11, 14, 2, 17)
    cap = Cap(base, [{"link": "eth", "name": "eth0"}], fmt="pcap", nsec=True)
    SRV, GW = mac("96:00:02:1a:7c:3e"), mac("d2:74:7f:6e:37:e3")
    IN, OUT = dict(src=GW, dst=SRV, pad=True), dict(src=SRV, dst=GW)
    S = Host(rng, "linuxsrv")
    S4, S6 = "88.198.53.117", "2a01:4f8:c012:3e0a::1"
    used = set()

    def view(hops):
        return [View(0, l2a=IN, l2b=OUT, hops_a=hops)]

    def conn(host, cip, hops, rtt, port=443, mss=1460):
        sip = S6 if is6(cip) else S4
        return Conn(cap, rng, (host, cip, eph(rng, host, used)), (S, sip, port), view(hops), da=rtt / 2, db=0.000015,
                    mss_a=mss, mss_b=1440 if is6(cip) else 1460)

    # ordinary visitors all through the capture: (os, address, hops, rtt, mss)
    visitors = [
        ("win", "91.64.213.77", 11, 0.024, 1460), ("mac", "2a02:8108:1c0:5e4a:5c21:9b1e:d3f0:1a7c", 13, 0.019, 1440),
        ("android", "176.2.101.58", 16, 0.061, 1400), ("linux", "185.86.151.20", 9, 0.011, 1460),
        ("win", "84.162.44.191", 12, 0.027, 1452), ("mac", "2003:e4:7f2b:a900:1d5:99c2:6a3e:408b", 12, 0.022, 1440),
        ("android", "2a01:598:b18a:1f3d:8c4e:12ff:fe6b:27a1", 17, 0.058, 1380), ("win", "213.162.73.9", 14, 0.035, 1460),
        ("mac", "80.187.112.63", 15, 0.049, 1400), ("linux", "5.146.201.12", 10, 0.016, 1460),
    ]
    hosts = [Host(rng, o) for o, *_ in visitors]
    snis = ["www.bergkaffee.de", "shop.bergkaffee.de", "www.bergkaffee.de", "static.bergkaffee.de"]
    t = 0.35
    k = 0
    while t < 84.0:
        i = k % len(visitors)
        o, ip, hops, rtt, mss = visitors[i]
        h = hosts[i]
        c = conn(h, ip, hops, rtt, mss=mss)
        prof = {"win": "chrome", "mac": "chrome", "android": "okhttp", "linux": "firefox"}[o]
        reqs = tuple((rng.randrange(300, 700), rng.randrange(4000, 90000), rng.uniform(0.002, 0.03)) for _ in range(rng.randrange(1, 4)))
        tls_session(c, t, rng.choice(snis), prof, cert=rng.choice((2600, 3100)), reqs=reqs, rate=rng.choice((20e6, 60e6, 120e6)),
                    close=rng.choice(("keep", "fin", "alert", "keep")))
        t += rng.uniform(1.2, 4.5)
        k += 1

    # a plain-HTTP visitor redirected to HTTPS
    for t0, i in ((6.8, 4), (58.3, 9)):
        o, ip, hops, rtt, mss = visitors[i]
        c = conn(hosts[i], ip, hops, rtt, port=80, mss=mss)
        t1 = c.handshake(t0)
        req = b"GET / HTTP/1.1\r\nHost: bergkaffee.de\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate\r\nAccept-Language: de-DE,de;q=0.9\r\nUpgrade-Insecure-Requests: 1\r\nConnection: keep-alive\r\n\r\n"
        t1 = c.send(t1 + 0.0005, "a", req)
        body = b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        resp = (b"HTTP/1.1 301 Moved Permanently\r\nServer: nginx\r\nDate: Tue, 11 Mar 2025 14:02:%02d GMT\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: keep-alive\r\nLocation: https://www.bergkaffee.de/\r\n\r\n" % (int(17 + t0) % 60, len(body))) + body
        t2 = rt(c, t1, "b", 0.00015)
        c.emit(t2, "b", "PA", resp)
        c.ack(rt(c, t2, "a", 0.04), "a")
        tls_session(conn(hosts[i], ip, hops, rtt, mss=mss), rt(c, t2, "a", 0.003), "www.bergkaffee.de", "chrome", reqs=((520, 31000, 0.01),))

    # health checks: a half-open TCP monitor (SYN, SYN/ACK, RST) and an HTTP check that ends with the checker's RST
    lb1 = Host(rng, "linux", ttl=255)
    lb1.p["ipid"] = "rand"
    lb2 = Host(rng, "linux")
    t = 1.1
    while t < 88:
        c = conn(lb1, "185.12.64.21", 7, 0.0021)
        c.emit(t, "a", "S")
        c.ep["b"].rcv = c.ep["a"].iss + 1
        t1 = rt(c, t, "b", 0.00002)
        c.emit(t1, "b", "SA")
        c.emit(rt(c, t1, "a", 0.00003), "a", "R", seq=c.ep["a"].iss + 1, win=0, opts=[], advance=False)
        t += 5.0 + rng.uniform(-0.004, 0.004)
    t = 3.6
    lb2_req = b"GET /healthz HTTP/1.1\r\nhost: www.bergkaffee.de\r\nuser-agent: HAProxy-healthcheck\r\nconnection: close\r\n\r\n"
    while t < 88:
        c = conn(lb2, "78.46.170.2", 2, 0.0006, port=80)
        t1 = c.handshake(t)
        t1 = c.send(t1 + 0.00002, "a", lb2_req)
        body = b"ok\n"
        resp = (b"HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Tue, 11 Mar 2025 14:%02d:%02d GMT\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\n" % (2 + int(17 + t) // 60, int(17 + t) % 60)) + body
        t2 = rt(c, t1, "b", 0.00009)
        c.emit(t2, "b", "PA", resp)
        c.emit(t2 + 0.000012, "b", "FA")
        c.abort(rt(c, t2, "a", 0.00004), "a")
        t += 5.0 + rng.uniform(-0.004, 0.004)

    # a TLS probe with an SNI this server does not host: nginx rejects the handshake (alert 112)
    gob = Host(rng, "linux")
    for t0 in (19.42, 66.07):
        c = conn(gob, "138.199.23.41", 10, 0.0124)
        t1 = c.handshake(t0)
        m = client_hello(rng, "autodiscover.bergkaffee.de", ("http/1.1",), "go")
        t1 = c.send(t1 + 0.0001, "a", tls_record(0x16, m))
        t2 = rt(c, t1, "b", 0.0002)
        c.emit(t2, "b", "PA", alert_plain(112))
        c.emit(t2 + 0.00001, "b", "FA")
        t3 = rt(c, t2, "a", 0.0001)
        c.emit(t3, "a", "A")
        c.emit(t3 + 0.00005, "a", "FA")
        c.ack(rt(c, t3 + 0.00005, "b", 0.00001), "b")

    # SYN flood from spoofed sources (hping3-style: win 64, no options, TTL 64 at the sender)
    tf = 31.0
    nq = 0
    for n in range(230):
        ts = tf + n * 0.0041 + rng.uniform(0, 0.0015)
        src = rand_public_v4(rng)
        sp = rng.randrange(1024, 65535)
        sq = rng.getrandbits(32)
        raw_tcp(cap, ts, 0, IN, src, S4, sp, 443, sq, 0, "S", 64, [], 51, rng.randrange(65536), df=False)
        iss = rng.getrandbits(32)
        tsa = ts + rng.uniform(0.000008, 0.00003)
        cookie = nq >= 48
        raw_tcp(cap, tsa, 0, OUT, S4, src, 443, sp, iss, sq + 1, "SA", 64240, [("MSS", 1460)], 64, 0)
        fate = rng.random()
        rtt = rng.uniform(0.02, 0.25)
        if fate < 0.12:  # the spoofed address is a live host: its kernel resets the unexpected SYN/ACK
            o = rng.choice(("linux", "linux", "win"))
            ttl = (64 if o == "linux" else 128) - rng.randrange(8, 22)
            raw_tcp(cap, tsa + rtt, 0, IN, src, S4, sp, 443, sq + 1, 0, "R", 0, [], ttl, 0 if o == "linux" else rng.randrange(65536), df=o == "linux")
            if not cookie:
                nq += 1
            continue
        if fate < 0.16:  # nobody there: a router says so
            rtr = rand_public_v4(rng)
            quoted = ip_pkt(S4, src, 6, tcp_seg(S4, src, 443, sp, iss, sq + 1, "SA", 64240, [("MSS", 1460)]), 64 - rng.randrange(9, 16), 0)
            cap.add(tsa + rtt, ip_pkt(rtr, S4, 1, icmp4(3, 1, 0, quoted[:28]), 255 - rng.randrange(8, 16), rng.randrange(65536), False), 0, IN)
        if not cookie:  # a real request socket: SYN/ACK retransmitted at 1, 3, 7, 15, 31 s
            nq += 1
            for back in (1, 3, 7, 15, 31):
                tr = tsa + back + rng.uniform(0.0, 0.004)
                if tr < 95:
                    raw_tcp(cap, tr, 0, OUT, S4, src, 443, sp, iss, sq + 1, "SA", 64240, [("MSS", 1460)], 64, 0)

    # an nmap SYN scan: random TTL per probe (37-59 at the sender), win 1024, MSS only
    scan = "194.180.49.117"
    sport = 41937
    seq = rng.getrandbits(32)
    ports = [21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 993, 995, 1723, 3306, 3389, 5432, 5900, 8080, 8443]
    rng.shuffle(ports)
    t = 45.2
    for p in ports:
        for attempt in range(2 if p in (22, 3389) else 1):
            ta = t + attempt * 1.02
            raw_tcp(cap, ta, 0, IN, scan, S4, sport, p, seq, 0, "S", 1024, [("MSS", 1460)], rng.randrange(37, 60) - 14, rng.randrange(65536), df=False)
        if p in (22, 3389):  # nftables drops them: nothing comes back
            t += rng.uniform(0.0002, 0.0009)
            continue
        tr = t + rng.uniform(0.000008, 0.00002)
        if p in (80, 443):
            iss = rng.getrandbits(32)
            raw_tcp(cap, tr, 0, OUT, S4, scan, p, sport, iss, seq + 1, "SA", 64240, [("MSS", 1460)], 64, 0)
            raw_tcp(cap, tr + 0.0318, 0, IN, scan, S4, sport, p, seq + 1, 0, "R", 0, [], 50, 0)
        else:
            raw_tcp(cap, tr, 0, OUT, S4, scan, p, sport, 0, seq + 1, "RA", 0, [], 64, 0)
        t += rng.uniform(0.0002, 0.0009)

    # a phone that vanishes mid-download (tunnel): unanswered retransmissions, nginx gives up with
    # RST (reset_timedout_connection), then the phone's late packet draws the kernel's RST
    ph = Host(rng, "android")
    c = conn(ph, "2a01:598:a98c:4d1e:25e7:c0f1:9b3a:6d02", 15, 0.071, mss=1380)
    t = 52.4
    t = c.handshake(t)
    rec, sid = ch_record(rng, "shop.bergkaffee.de", ("h2", "http/1.1"), "okhttp")
    t = c.send(t + 0.0004, "a", rec)
    tdata, _ = c.xfer(rt(c, t, "b", 0.0006), "b", server_flight(rng, sid, 2900), 80e6, final_ack=False)
    t = c.send(rt(c, tdata, "a", 0.004), "a", client_finish(rng, 190))
    a, b = c.ep["a"], c.ep["b"]
    body = b"".join(app_rec(rng, 240) for _ in range(2)) + app_stream(rng, 420000)
    seg = c.segsize("b")
    una = (b.nxt + 14 * seg) & M32  # the first byte the phone never acknowledges
    tdata, tl = c.xfer(rt(c, t, "b", 0.012), "b", body, 80e6, cut=14)
    rto = 0.276
    tr = tdata + rto
    for _ in range(6):
        c.emit(tr, "b", "A", body[14 * seg:15 * seg], seq=una, advance=False)
        rto *= 2
        tr += rto
    tabort = tdata + 20.003
    c.abort(tabort, "b")
    t_back = tabort + 3.41
    c.emit(t_back, "a", "PA", app_rec(rng, 21), ack=una)
    c.ctl_rst(rt(c, t_back, "b", 0.00001), "b", una)

    cap.write(path)
    return cap



def quic_session(p, t, sni, resp=60000, tag=None, scid_c=b"", cid_len=8, server_first=0.0004, req=90, rate=40e6, cutoff=None):
    """A Chrome-style HTTP/3 connection on Pair p (a = client): a real protected client Initial
    (1250 bytes) carrying the ClientHello, the server's Initial (ServerHello) coalesced with
    Handshake packets, then 1-RTT short-header traffic.  Returns (state dict, last time)."""
    rng = p.rng
    odcid = rng.randbytes(8)
    scid_s = rng.randbytes(cid_len)
    tp = quic_tp_chrome(rng, scid_c)
    ch = client_hello(rng, sni, ("h3",), "chrome", quic_tp=tp)
    p.udp(t, "a", quic_initial("client", odcid, odcid, scid_c, 1, crypto_frame(0, ch), pad_to=1250), tag=tag)
    st = dict(odcid=odcid, scid_s=scid_s, scid_c=scid_c, ch_t=t)
    if cutoff is not None and cutoff <= t:
        return st, t
    t2 = rt(p, t, "b", server_first)
    sinit = quic_initial("server", odcid, scid_c, scid_s, 0, ack_frame(1) + crypto_frame(0, server_hello(rng, b"", quic=True)))
    p.udp(t2, "b", sinit + quic_long_opaque(rng, 2, scid_c, scid_s, 1252 - len(sinit)), tag=tag and tag + "sinit")
    gap = 1300 * 8 / rate
    p.udp(t2 + gap, "b", quic_long_opaque(rng, 2, scid_c, scid_s, 1252))
    h3 = quic_long_opaque(rng, 2, scid_c, scid_s, rng.randrange(600, 900))
    p.udp(t2 + 2 * gap, "b", h3 + quic_short(rng, scid_c, rng.randrange(180, 260)))
    t3 = rt(p, t2 + 2 * gap, "a", rng.uniform(0.0015, 0.004))
    cinit = quic_initial("client", odcid, scid_s, scid_c, 2, ack_frame(0))
    p.udp(t3, "a", cinit + quic_long_opaque(rng, 2, scid_s, scid_c, 1250 - len(cinit)))
    p.udp(t3 + 0.00004, "a", quic_short(rng, scid_s, req))
    t = quic_bulk(p, rt(p, t3, "b", rng.uniform(0.004, 0.02)), st, resp, rate)
    return st, t


def quic_bulk(p, t, st, nbytes, rate=40e6, size=1252, frm="b"):
    """Short-header packets from frm, ACK-only packets back every second one."""
    rng = p.rng
    to = other(frm)
    dc_to = st["scid_c"] if to == "a" else st["scid_s"]
    dc_frm = st["scid_s"] if to == "a" else st["scid_c"]
    n = max(1, (nbytes + size - 40) // (size - 40))
    gap = (size + 28) * 8 / rate
    tl = t
    for i in range(n):
        tk = t + i * gap
        p.udp(tk, frm, quic_short(rng, dc_to, size if i < n - 1 else rng.randrange(300, size)))
        if i % 2 == 1 or i == n - 1:
            ta = rt(p, tk, to, rng.uniform(0.0001, 0.0006) if i < n - 1 else 0.02)
            p.udp(ta, to, quic_short(rng, dc_frm, rng.randrange(38, 48)))
            tl = max(tl, ta)
    return tl


# ============================================================================
# 2. a home router capturing on its LAN bridge and its WAN port at once (NAT)
# ============================================================================


def case_router(path):
    rng = random.Random(0x16B02)
    base = epoch(2025, 2, 23, 19, 41, 5)
    cap = Cap(base, [{"link": "eth", "name": "br-lan", "desc": "LAN bridge", "tsresol": 9, "os": "Linux 6.6.73 OpenWrt 24.10.0"},
                     {"link": "eth", "name": "wan", "desc": "WAN port (VLAN 7)", "tsresol": 9, "os": "Linux 6.6.73 OpenWrt 24.10.0"}],
              fmt="pcapng", shb={"hw": "GL.iNet GL-MT6000", "os": "Linux 6.6.73", "app": "tcpdump 4.99.5 / pcapng via dumpcap 4.4.3"})
    R_LAN, R_WAN, BNG = mac("94:83:c4:3a:11:70"), mac("94:83:c4:3a:11:71"), mac("00:31:46:0d:22:a1")
    LAPTOP, PHONE = mac("a4:c3:f0:5e:21:9d"), mac("e2:9a:4b:71:0c:5f")
    R4, R6LAN = "192.168.1.1", "fd5e:2a41:9b07::1"
    W4 = "79.200.114.38"
    FWD = 0.000061  # forwarding delay through the router
    router = Host(rng, "linux")
    lap = Host(rng, "win")
    pho = Host(rng, "android")
    L4, L6 = "192.168.1.23", "2003:ee:4f3d:7e00:9c1d:2b7a:41e6:8f05"
    P4 = "192.168.1.41"
    wan_used = set()
    client_mac = {L4: LAPTOP, L6: LAPTOP, P4: PHONE}

    def views(cip, cport, shops, wport=None):
        cm = client_mac[cip]
        nat = {} if is6(cip) else {(cip, cport): (W4, wport or cport)}
        wan_used.add(wport or cport)
        return [View(0, l2a=dict(src=cm, dst=R_LAN), l2b=dict(src=R_LAN, dst=cm), hops_a=0, hops_b=shops + 1, dt_a=0.0, dt_b=FWD, pkflags={"a": 1, "b": 2}),
                View(1, l2a=dict(src=R_WAN, dst=BNG, vlans=(7,)), l2b=dict(src=BNG, dst=R_WAN, vlans=(7,), pad=True), hops_a=1, hops_b=shops, dt_a=FWD, dt_b=0.0, nat=nat, pkflags={"a": 2, "b": 1})]

    def tcp(host, cip, sip, dport, shops, wifi, srtt, sh=None, sport=None, wport=None, mss=None, smss=1460):
        sh = sh or Host(rng, "linuxsrv")
        sport = sport or eph(rng, host)
        return Conn(cap, rng, (host, cip, sport), (sh, sip, dport), views(cip, sport, shops, wport), da=wifi, db=srtt / 2,
                    mss_a=mss or (1440 if is6(cip) else 1460), mss_b=smss)

    def udpflow(host, cip, sip, dport, shops, wifi, srtt, sh=None, sport=None):
        sh = sh or Host(rng, "linuxsrv")
        sport = sport or eph(rng, host)
        return Pair(cap, rng, (host, cip, sport), (sh, sip, dport), views(cip, sport, shops), da=wifi, db=srtt / 2)

    # --- dnsmasq: LAN side answers, WAN side upstream queries (new port, new id, EDNS added)
    RES = ["217.237.150.51", "217.237.148.22"]
    resolver = Host(rng, "linuxsrv", ttl=64)
    cache = {}

    def lan_dns(t, host, cip, qname, qtype, answer, rcode=0, ns=(), local=False, edns=None, tag=None):
        """One client query to dnsmasq; forwarded upstream unless cached or local."""
        dst = R6LAN if is6(cip) else R4
        cm = client_mac[cip]
        q = Pair(cap, rng, (host, cip, eph(rng, host)), (router, dst, 53),
                 [View(0, l2a=dict(src=cm, dst=R_LAN), l2b=dict(src=R_LAN, dst=cm), pkflags={"a": 1, "b": 2})], da=0.0021, db=0.0)
        txid = rng.randrange(65536)
        q.udp(t, "a", dns_msg(txid, 0x0100, qname, qtype, edns=edns), tag=tag and tag + "q")
        key = (qname, qtype)
        ta = t + 0.00025
        if local:
            ans = answer
        elif key in cache and cache[key][0] + min([r[2] for r in cache[key][1]] or [0]) > t:
            t0, ans0 = cache[key]
            ans = [(n, ty, ttl - int(t - t0), rd) for n, ty, ttl, rd in ans0]
        else:
            up = Pair(cap, rng, (router, W4, eph(rng, router, wan_used)), (resolver, RES[len(cache) % 2], 53),
                      [View(1, l2a=dict(src=R_WAN, dst=BNG, vlans=(7,)), l2b=dict(src=BNG, dst=R_WAN, vlans=(7,), pad=True), hops_b=3, pkflags={"a": 2, "b": 1})],
                      da=0.0, db=0.0042)
            uid = rng.randrange(65536)
            tu = t + 0.00018
            up.udp(tu, "a", dns_msg(uid, 0x0100, qname, qtype, edns=1232), ipid=0)
            tr = tu + 0.0084 + rng.uniform(0.0, 0.012)
            up.udp(tr, "b", dns_msg(uid, 0x8180 | rcode, qname, qtype, answer, ns, edns=1232), ipid=rng.randrange(65536), df=False)
            ans = answer
            cache[key] = (tr, answer)
            ta = tr + 0.00009
        flags = (0x8580 if local else 0x8180) | rcode
        q.udp(ta, "b", dns_msg(txid, flags, qname, qtype, ans, ns if not local else (), edns=edns), ipid=rng.randrange(65536))
        return ta

    # --- the router's own NTP (WAN only, TTL 64 as it leaves)
    for t0, srv in ((0.21, "162.159.200.123"), (0.2103, "85.214.38.116"), (64.2, "162.159.200.123")):
        n = Pair(cap, rng, (router, W4, 123), (resolver, srv, 123),
                 [View(1, l2a=dict(src=R_WAN, dst=BNG, vlans=(7,)), l2b=dict(src=BNG, dst=R_WAN, vlans=(7,), pad=True), hops_b=9, pkflags={"a": 2, "b": 1})], db=0.007)
        ntp = bytes([0x23, 0, 6, 0x20]) + b"\0" * 36 + rng.randbytes(8)
        n.udp(t0, "a", ntp, ipid=0)
        n.udp(t0 + 0.0141, "b", bytes([0x24, 3, 6, 0xE7]) + rng.randbytes(44), ipid=rng.randrange(65536), df=False)

    # --- laptop: Wikipedia over IPv6 (routed, not NATed: same addresses on both sides, hop limit one lower)
    wiki6, wiki4 = "2a02:ec80:300:ed1a::1", "185.15.59.224"
    up6, up4 = "2a02:ec80:300:ed1a::2:b", "185.15.59.240"
    t = lan_dns(0.84, lap, L4, "de.wikipedia.org", "A", chain("de.wikipedia.org", ["dyna.wikimedia.org"], [wiki4], 86400, 600))
    lan_dns(0.8402, lap, L4, "de.wikipedia.org", "AAAA", chain("de.wikipedia.org", ["dyna.wikimedia.org"], [wiki6], 86400, 600, "AAAA"))
    wm = Host(rng, "linuxsrv")
    c = tcp(lap, L6, wiki6, 443, 13, 0.0023, 0.0192, sh=wm, smss=1440)
    t = tls_session(c, t + 0.02, "de.wikipedia.org", "chrome", cert=3900, reqs=((560, 84000, 0.03), (610, 22000, 0.02), (590, 9000, 0.01)), rate=120e6, gap=(0.2, 2.0))
    lan_dns(3.9, lap, L4, "upload.wikimedia.org", "A", chain("upload.wikimedia.org", [], [up4], 0, 600))
    lan_dns(3.9002, lap, L4, "upload.wikimedia.org", "AAAA", chain("upload.wikimedia.org", [], [up6], 0, 600, "AAAA"))
    # a large image download the user abandons: Windows aborts with RST (TTL 128 on br-lan, 127 on wan)
    c = tcp(lap, L6, up6, 443, 13, 0.0023, 0.0188, sh=wm, smss=1440)
    t = c.handshake(3.95)
    rec, sid = ch_record(rng, "upload.wikimedia.org", ("h2", "http/1.1"), "chrome")
    t = c.send(t + 0.0004, "a", rec)
    td, _ = c.xfer(rt(c, t, "b", 0.0007), "b", server_flight(rng, sid, 3900), 120e6, final_ack=False)
    t = c.send(rt(c, td, "a", 0.002), "a", client_finish(rng, 700))
    body = app_stream(rng, 2_400_000)
    seg = c.segsize("b")
    b0 = c.ep["b"].nxt
    td, tl = c.xfer(rt(c, t, "b", 0.02), "b", body[: 260 * seg], 120e6)
    tab = tl + 0.35
    c.abort(tab, "a", tag="lap_abort")
    # segments already in flight arrive after the abort; the closed socket answers one of them with a RST
    for k in range(3):
        c.emit(tab + 0.0011 + k * 0.00012, "b", "A", body[(260 + k) * seg:(261 + k) * seg], seq=b0 + (260 + k) * seg, advance=False, deliver=False)
    c.emit(tab + 0.0011 + 0.0023 * 2 + 0.00002, "a", "R", seq=c.ep["a"].nxt, ack=0, ctl=True, advance=False)

    # --- phone: a push channel opened long before the capture; the server forgot it, so the
    # heartbeat draws a RST (seen on wan then br-lan, TTL one lower); the phone reconnects
    mt = Host(rng, "linuxsrv", ttl=128)
    mt4 = "142.250.102.188"
    c = tcp(pho, P4, mt4, 5228, 9, 0.0031, 0.0154, sh=mt)
    a, b = c.ep["a"], c.ep["b"]
    a.rcv = b.nxt = (b.iss + 912_337) & M32
    a.nxt = (a.iss + 48_211) & M32
    a.got = 900_000
    b.ts_recent = 0
    a.ts_recent = (mt.clock + 8_812_000) & M32
    b.idc = 0
    t = 15.31
    c.emit(t, "a", "PA", app_rec(rng, 2), tag="push_hb")
    c.ctl_rst(rt(c, t, "b", 0.00003), "b", a.rcv, tag="push_rst")
    tdn = lan_dns(15.52, pho, P4, "mtalk.google.com", "A", chain("mtalk.google.com", ["mobile-gtalk.l.google.com"], ["142.250.102.188"], 86400, 300))
    lan_dns(15.5201, pho, P4, "mtalk.google.com", "AAAA", [], ns=[("google.com", "SOA", 60, ("ns1.google.com", "dns-admin.google.com", 727400000, 900, 900, 1800, 60))])
    c = tcp(pho, P4, mt4, 5228, 9, 0.0031, 0.0154, sh=mt)
    t = tls_session(c, tdn + 0.004, "mtalk.google.com", "okhttp", alpn=("http/1.1",), cert=2400, reqs=((220, 180, 0.05), (40, 0, 0.04)), rate=60e6)

    # --- laptop: Chrome over QUIC (UDP through NAT), then the same site over TCP for a websocket
    g4 = "142.250.185.100"
    t = lan_dns(22.02, lap, L4, "www.google.com", "A", chain("www.google.com", [], [g4], 0, 300))
    lan_dns(22.0202, lap, L4, "www.google.com", "AAAA", chain("www.google.com", [], ["2a00:1450:4001:82b::2004"], 0, 300, "AAAA"))
    gh = Host(rng, "linuxsrv", ttl=128)
    q = udpflow(lap, L4, g4, 443, 10, 0.0022, 0.0131, sh=gh)
    st, t = quic_session(q, t + 0.003, "www.google.com", resp=140000, tag="quic_g")
    quic_bulk(q, t + 1.7, st, 30000)

    # --- port collision: laptop and phone pick the same source port towards the same CDN address;
    # the router keeps the first and remaps the second
    rd4 = "151.101.1.140"
    fast = Host(rng, "linuxsrv")
    lan_dns(29.9, lap, L4, "www.reddit.com", "A", chain("www.reddit.com", ["reddit.map.fastly.net"], [rd4, "151.101.65.140", "151.101.129.140", "151.101.193.140"], 10800, 30))
    lan_dns(30.04, pho, P4, "www.reddit.com", "A", chain("www.reddit.com", ["reddit.map.fastly.net"], [rd4, "151.101.65.140", "151.101.129.140", "151.101.193.140"], 10800, 30))
    c1 = tcp(lap, L4, rd4, 443, 11, 0.0024, 0.0098, sh=fast, sport=55172)
    tls_session(c1, 29.93, "www.reddit.com", "chrome", cert=3300, reqs=((700, 61000, 0.03), (520, 12000, 0.02)), gap=(0.4, 1.2))
    c2 = tcp(pho, P4, rd4, 443, 11, 0.0031, 0.0098, sh=fast, sport=55172, wport=eph(rng, router, wan_used))
    tls_session(c2, 30.07, "www.reddit.com", "okhttp", cert=3300, reqs=((480, 33000, 0.02),))

    # --- local names: dnsmasq answers them itself (authoritative NXDOMAIN / PTR from the leases)
    lan_dns(41.3, lap, L4, "wpad.lan", "A", [], rcode=3, local=True)
    lan_dns(41.31, lap, L4, "wpad.lan", "AAAA", [], rcode=3, local=True)
    lan_dns(41.5, lap, L4, "1.1.168.192.in-addr.arpa", "PTR", [("1.1.168.192.in-addr.arpa", "PTR", 0, "OpenWrt.lan")], local=True)
    lan_dns(41.52, lap, L4, "17.1.168.192.in-addr.arpa", "PTR", [], rcode=3, local=True)

    # --- later visits: answers from dnsmasq's cache (no upstream query, TTL counted down)
    t = lan_dns(52.4, lap, L4, "de.wikipedia.org", "A", None)
    lan_dns(52.4002, lap, L4, "de.wikipedia.org", "AAAA", None)
    c = tcp(lap, L6, wiki6, 443, 13, 0.0023, 0.0192, sh=wm, smss=1440)
    tls_session(c, t + 0.01, "de.wikipedia.org", "chrome", cert=3900, reqs=((540, 41000, 0.02),), close="fin")
    lan_dns(60.8, pho, P4, "api.openweathermap.org", "A", chain("api.openweathermap.org", [], ["37.139.20.5", "188.166.16.132"], 0, 600))
    t = lan_dns(60.8001, pho, P4, "api.openweathermap.org", "AAAA", [], ns=[("openweathermap.org", "SOA", 300, ("ns1.digitalocean.com", "hostmaster.openweathermap.org", 1700000000, 10800, 3600, 604800, 1800))])
    c = tcp(pho, P4, "37.139.20.5", 443, 14, 0.0031, 0.0274)
    tls_session(c, t + 0.002, "api.openweathermap.org", "okhttp", alpn=("http/1.1",), cert=4100, reqs=((310, 2100, 0.06),), close="srvfin")
    st2, t = quic_session(udpflow(lap, L4, g4, 443, 10, 0.0022, 0.0131, sh=gh), 71.9, "www.google.com", resp=52000)
    cap.write(path)
    return cap



# ============================================================================
# 3. an ISP's mirror port (SPAN) on one member of an upstream link bundle, outside the CGNAT
# ============================================================================


def case_isp_tap(path):
    rng = random.Random(0x16B03)
    base = epoch(2025, 4, 2, 20, 17, 44)
    cap = Cap(base, [{"link": "eth", "name": "span0"}], fmt="pcap", endian=">", nsec=False)
    CGN, UPR = mac("00:1c:73:a9:10:01"), mac("84:b8:02:5c:33:e0")
    TAG = 310

    def l2(vlan=TAG):
        return dict(src=CGN, dst=UPR, vlans=(vlan,), pad=True), dict(src=UPR, dst=CGN, vlans=(vlan,), pad=True)

    # subscribers: CGNAT pool address + port block, stack, hops to the mirror, access delay
    subs = {
        "win10": ("185.53.156.10", 1024, Host(rng, "win"), 3, 0.0061),
        "andr10": ("185.53.156.10", 2048, Host(rng, "android"), 3, 0.0094),
        "mac11": ("185.53.156.11", 5120, Host(rng, "mac"), 3, 0.0052),
        "linux11": ("185.53.156.11", 6144, Host(rng, "linux"), 3, 0.0071),
        "ios12": ("185.53.156.12", 3072, Host(rng, "mac"), 3, 0.0083),
        "win12": ("185.53.156.12", 7168, Host(rng, "win"), 3, 0.0066),
        "v6win": ("2a0a:a545:1f21:4b00:5d1c:e2a7:9f13:6b40", None, Host(rng, "win"), 2, 0.0058),
        "v6andr": ("2a0a:a545:1f37:c200:18a2:7bff:fe3c:91d4", None, Host(rng, "android"), 2, 0.0089),
    }
    nextport = {k: v[1] + rng.randrange(5, 40) if v[1] else None for k, v in subs.items()}

    def sport(k):
        if nextport[k] is None:
            return eph(rng, subs[k][2])
        nextport[k] += rng.randrange(1, 4)
        return nextport[k]

    def views(k, up=True, down=True, dup=0.0):
        a, b = l2()
        vs = [View(0, l2a=a, l2b=b, hops_a=subs[k][3], hops_b=0, show_a=up, show_b=down)]
        if subs[k][0] == "185.53.156.12":  # this pool's traffic also crosses a second mirrored port
            a2, b2 = l2(312)
            vs.append(View(0, l2a=a2, l2b=b2, hops_a=subs[k][3], hops_b=0, dt_a=rng.uniform(6e-6, 9e-6), dt_b=rng.uniform(6e-6, 9e-6), show_a=up, show_b=down))
        if dup:
            vs[0].dup = dup
        return vs

    servers = {}

    def srv(ip, hops, os="linuxsrv", ttl=None):
        if ip not in servers:
            servers[ip] = (Host(rng, os, ttl=ttl), hops)
        return servers[ip]

    def conn(k, sip, dport, shops, srtt, up=True, down=True, os="linuxsrv", ttl=None, smss=1460, dup=0.0):
        h, hops = srv(sip, shops, os, ttl)
        cip, _, host, _, acc = subs[k]
        vs = views(k, up, down, dup)
        for v in vs:
            v.hops["b"] = hops
        return Conn(cap, rng, (host, cip, sport(k)), (h, sip, dport), vs, da=acc, db=srtt / 2,
                    mss_a=1440 if is6(cip) else (1452 if host.os != "win" else 1460), mss_b=smss if not is6(sip) else 1440)

    def dns(t, k, res, qname, qtype, an, ns=(), rcode=0, up=True, down=True, rtt=0.0023, rttl=59, edns=None, tag=None):
        cip, _, host, _, acc = subs[k]
        rh = srv(res, 4, "linuxsrv", 64)[0]
        vs = views(k, up, down)
        for v in vs:
            v.hops["b"] = 64 - rttl
        q = Pair(cap, rng, (host, cip, sport(k)), (rh, res, 53), vs, da=acc, db=rtt / 2)
        txid = rng.randrange(65536)
        q.udp(t, "a", dns_msg(txid, 0x0100, qname, qtype, edns=edns), tag=tag)
        ta = rt(q, t, "b", rng.uniform(0.0002, 0.004))
        q.udp(ta, "b", dns_msg(txid, 0x8180 | rcode, qname, qtype, an, ns, edns=edns and 1232), ipid=rng.randrange(65536), df=False)
        return ta + q.d["a"] * 2

    fastly = "151.101.0.81"
    cf = "104.16.132.229"
    # -- 1. fully visible sessions of several subscribers sharing CGNAT addresses
    t = dns(0.31, "win10", "8.8.8.8", "www.imdb.com", "A", chain("www.imdb.com", ["imdb.map.fastly.net"], [fastly, "151.101.64.81", "151.101.128.81"], 300, 30))
    tls_session(conn("win10", fastly, 443, 9, 0.0034), t, "www.imdb.com", "chrome", cert=3400, reqs=((620, 72000, 0.02), (540, 18000, 0.01)), gap=(0.3, 0.9))
    t = dns(1.02, "andr10", "8.8.8.8", "discord.com", "A", chain("discord.com", [], [cf, "162.159.135.232", "162.159.128.233"], 0, 300))
    tls_session(conn("andr10", cf, 443, 7, 0.0029, ttl=64), t, "discord.com", "okhttp", cert=2700, reqs=((430, 9000, 0.03),))
    t = dns(1.44, "mac11", "1.1.1.1", "www.bbc.com", "A", chain("www.bbc.com", ["www.bbc.com.pri.bbc.com", "uk.www.bbc.com.pri.bbc.com"], ["151.101.0.81"], 300, 30))
    # -- 2. the same Fastly address, another subscriber on another pool address: return path not mirrored
    #    (the bundle hashes each flow's return traffic onto another member); the client's own ACKs
    #    acknowledge a server flight and responses this mirror never carries
    c = conn("mac11", fastly, 443, 9, 0.0034, down=False)
    tls_session(c, t, "www.bbc.com", "chrome", cert=3400, reqs=((640, 96000, 0.02), (600, 41000, 0.01), (580, 7000, 0.01)), gap=(0.6, 2.0), tag="asym_bbc")
    # the same subscriber's next connection to that address hashes onto the mirrored member
    tls_session(conn("mac11", fastly, 443, 9, 0.0034), 6.8, "www.bbc.com", "chrome", cert=3400, reqs=((590, 28000, 0.02),))
    # -- 3. a resolver answer that returns over the other member: the client uses it regardless
    t = dns(8.1, "linux11", "9.9.9.9", "github.com", "A", chain("github.com", [], ["140.82.121.4"], 0, 60), down=False, tag="dns_asym")
    tls_session(conn("linux11", "140.82.121.4", 443, 11, 0.0219), t, "github.com", "firefox", cert=3100, reqs=((540, 61000, 0.05),), close="fin")
    t = dns(8.1001, "linux11", "9.9.9.9", "github.com", "AAAA", [], ns=[("github.com", "SOA", 900, ("dns1.p08.nsone.net", "hostmaster.nsone.net", 1656468023, 43200, 7200, 1209600, 3600))])
    # -- 4. traffic of pool .12 is mirrored twice (two monitored ports): every packet twice, identical
    #    IP bytes, VLAN 312 on the copy; among them an app abort and a DNS answer
    t = dns(11.3, "ios12", "1.1.1.1", "www.netflix.com", "A", chain("www.netflix.com", ["www.dradis.netflix.com", "www.eu-west-1.internal.dradis.netflix.com", "apiproxy-website-nlb-prod-1-bcf28d21f4bbcf2c.elb.eu-west-1.amazonaws.com"], ["52.48.221.112", "54.155.246.232", "18.200.8.190"], 300, 60))
    c = conn("ios12", "52.48.221.112", 443, 14, 0.0296)
    tls_session(c, t, "www.netflix.com", "chrome", cert=4300, reqs=((710, 110000, 0.04),))
    c = conn("win12", "52.48.221.112", 443, 14, 0.0296)
    t = c.handshake(13.9)
    rec, sid = ch_record(rng, "www.netflix.com", ("h2", "http/1.1"), "chrome")
    t = c.send(t + 0.0005, "a", rec)
    td, _ = c.xfer(rt(c, t, "b", 0.0011), "b", server_flight(rng, sid, 4300), 80e6, final_ack=False)
    t = c.send(rt(c, td, "a", 0.002), "a", client_finish(rng, 650))
    td, tl = c.xfer(rt(c, t, "b", 0.03), "b", app_stream(rng, 190000), 80e6)
    c.abort(tl + 0.21, "a", tag="abort_dup")
    # -- 5. other CDN edges for the same name from another resolver (ECS / geo-DNS): genuine differences
    t = dns(16.2, "win10", "8.8.8.8", "www.netflix.com", "A", chain("www.netflix.com", ["www.dradis.netflix.com", "www.eu-central-1.internal.dradis.netflix.com", "apiproxy-website-nlb-prod-3-7e1a0b8f4c2d9e55.elb.eu-central-1.amazonaws.com"], ["3.124.150.93", "18.157.191.21", "3.69.112.60"], 300, 60))
    tls_session(conn("win10", "3.124.150.93", 443, 12, 0.0121), t, "www.netflix.com", "chrome", cert=4300, reqs=((690, 84000, 0.04),))
    # -- 6. a QUIC video fetch whose server half takes the other member: the Initial "goes unanswered"
    #    here, yet the client sends Handshake packets and thousands of ACK-only short packets
    gv = "173.194.182.134"
    t = dns(19.4, "andr10", "8.8.8.8", "rr4---sn-4g5lznez.googlevideo.com", "A", chain("rr4---sn-4g5lznez.googlevideo.com", ["rr4.sn-4g5lznez.googlevideo.com"], [gv], 1800, 1800))
    gh = srv(gv, 10, "linuxsrv", 128)[0]
    vs = views("andr10", True, False)
    for v in vs:
        v.hops["b"] = 10
    q = Pair(cap, rng, (subs["andr10"][2], subs["andr10"][0], sport("andr10")), (gh, gv, 443), vs, da=subs["andr10"][4], db=0.0061)
    st, t = quic_session(q, t, "rr4---sn-4g5lznez.googlevideo.com", resp=2_600_000, tag="quic_asym", rate=30e6)
    # a fully visible QUIC flow from another subscriber to the same server, for comparison
    vs = views("v6andr")
    for v in vs:
        v.hops["b"] = 10
    q2 = Pair(cap, rng, (subs["v6andr"][2], subs["v6andr"][0], eph(rng, subs["v6andr"][2])), (gh, "2a00:1450:4001:2a::6", 443), vs, da=subs["v6andr"][4], db=0.0058)
    t = dns(20.3, "v6andr", "2001:4860:4860::8888", "rr2---sn-4g5lznez.googlevideo.com", "AAAA", chain("rr2---sn-4g5lznez.googlevideo.com", ["rr2.sn-4g5lznez.googlevideo.com"], ["2a00:1450:4001:2a::6"], 1800, 1800, "AAAA"))
    quic_session(q2, t, "rr2---sn-4g5lznez.googlevideo.com", resp=900_000, rate=30e6)
    # -- 7. flows seen downstream only (the subscriber's upstream leaves by the other member)
    c = conn("linux11", "185.199.108.133", 443, 11, 0.0204, up=False)
    tls_session(c, 27.4, "raw.githubusercontent.com", "firefox", cert=3900, reqs=((520, 140000, 0.03),), close="fin", tag="downonly")
    # -- 8. IPv6 subscribers (no CGNAT), with an occasional mirror duplicate
    t = dns(30.2, "v6win", "2606:4700:4700::1111", "www.wikipedia.org", "AAAA", chain("www.wikipedia.org", ["dyna.wikimedia.org"], ["2a02:ec80:300:ed1a::1"], 86400, 600, "AAAA"))
    tls_session(conn("v6win", "2a02:ec80:300:ed1a::1", 443, 13, 0.0171, dup=0.01), t, "www.wikipedia.org", "chrome", cert=3900, reqs=((560, 45000, 0.02), (580, 120000, 0.02)), gap=(0.5, 1.5))
    c = conn("v6andr", "2a00:1450:4001:82f::200e", 443, 10, 0.0112, up=True, down=False, ttl=128)
    tls_session(c, 33.6, "www.youtube.com", "okhttp", cert=5100, reqs=((450, 60000, 0.03),), tag="asym_v6")
    # -- 9. background: more subscribers, more services, some asymmetric
    bg = [("win10", "www.microsoft.com", "23.52.170.59", 12, 0.009, True), ("andr10", "graph.instagram.com", "157.240.252.63", 9, 0.0118, False),
          ("mac11", "www.apple.com", "17.253.144.10", 8, 0.0071, True), ("win12", "login.live.com", "20.190.159.68", 13, 0.0143, True),
          ("ios12", "api.spotify.com", "35.186.224.24", 10, 0.0108, True), ("linux11", "deb.debian.org", "151.101.2.132", 9, 0.0034, True),
          ("v6win", "www.google.com", "2a00:1450:4001:831::2004", 10, 0.0109, True), ("win10", "www.ebay.de", "23.40.187.143", 11, 0.0088, False)]
    t = 36.0
    for k, sni, ip, hops, srtt, full in bg:
        tls_session(conn(k, ip, 443, hops, srtt, down=full or rng.random() < 0.3), t, sni,
                    "okhttp" if "andr" in k else ("firefox" if "linux" in k else "chrome"), cert=rng.choice((2900, 3500, 4100)),
                    reqs=tuple((rng.randrange(400, 800), rng.randrange(5000, 90000), 0.02) for _ in range(rng.randrange(1, 3))))
        t += rng.uniform(1.5, 3.0)
    cap.write(path)
    return cap



# ============================================================================
# 4. a corporate gateway capturing on "any" (SLL2): NAT, port policies, a transparent proxy,
#    DNS redirection, a guest captive portal
# ============================================================================


def case_corp_gateway(path):
    rng = random.Random(0x16B04)
    base = epoch(2025, 1, 29, 8, 52, 31)
    cap = Cap(base, [{"link": "sll2", "name": "any", "desc": "Pseudo-device that captures on all interfaces", "tsresol": 6, "os": "Linux 6.1.0-28-amd64"}],
              fmt="pcapng", shb={"hw": "Supermicro SYS-5019C-MR", "os": "Linux 6.1.0-28-amd64", "app": "Dumpcap (Wireshark) 4.0.17"})
    GW_LANM, GW_WANM, GW_GSTM, UPM = mac("3c:ec:ef:42:9a:10"), mac("3c:ec:ef:42:9a:11"), mac("3c:ec:ef:42:9a:12"), mac("00:00:5e:00:01:2a")
    IF_WAN, IF_LAN, IF_GST = 2, 3, 4
    GW_LAN, GW_GST, WAN = "10.40.12.1", "10.99.0.1", "212.18.219.66"
    FWD = 0.000048
    gw = Host(rng, "linux")
    cm = {}

    def lan_l2(cip):
        ifx, gm = (IF_GST, GW_GSTM) if cip.startswith("10.99.") else (IF_LAN, GW_LANM)
        return dict(ifindex=ifx, pkttype=0, addr=cm[cip]), dict(ifindex=ifx, pkttype=4, addr=gm)

    WOUT, WIN = dict(ifindex=IF_WAN, pkttype=4, addr=GW_WANM), dict(ifindex=IF_WAN, pkttype=0, addr=UPM)

    def fwd_views(cip, cport, shops, wport=None):
        a, b = lan_l2(cip)
        return [View(0, l2a=a, l2b=b, hops_a=0, hops_b=shops + 1, dt_b=FWD),
                View(0, l2a=WOUT, l2b=WIN, hops_a=1, hops_b=shops, dt_a=FWD, nat={(cip, cport): (WAN, wport or cport)})]

    def lan_only(cip):
        a, b = lan_l2(cip)
        return [View(0, l2a=a, l2b=b)]

    servers = {}

    def srv(ip, os="linuxsrv", ttl=None):
        if ip not in servers:
            servers[ip] = Host(rng, os, ttl=ttl)
        return servers[ip]

    def fconn(host, cip, sip, dport, shops, srtt, lanrtt=0.0011, ttl=None, os="linuxsrv"):
        sp = eph(rng, host)
        return Conn(cap, rng, (host, cip, sp), (srv(sip, os, ttl), sip, dport), fwd_views(cip, sp, shops), da=lanrtt / 2, db=srtt / 2)

    def fpair(host, cip, sip, dport, shops, srtt, lanrtt=0.0011, ttl=None):
        sp = eph(rng, host)
        return Pair(cap, rng, (host, cip, sp), (srv(sip, "linuxsrv", ttl), sip, dport), fwd_views(cip, sp, shops), da=lanrtt / 2, db=srtt / 2)

    def lan_out(t, ipb, cip):
        cap.add(t, ipb, 0, lan_l2(cip)[1])

    def reject_tcp(t, cip, sip, sport, dport, iss):
        """iptables REJECT --reject-with tcp-reset: built by the gateway, sent back on the LAN."""
        lan_out(t, ip_pkt(sip, cip, 6, tcp_seg(sip, cip, dport, sport, 0, iss + 1, "RA", 0), 64, 0, True), cip)

    def reject_icmp(t, cip, orig):
        """iptables REJECT --reject-with icmp-admin-prohibited (type 3 code 13), first 548 bytes quoted."""
        src = GW_GST if cip.startswith("10.99.") else GW_LAN
        lan_out(t, ip_pkt(src, cip, 1, icmp4(3, 13, 0, orig[:548]), 64, rng.randrange(65536), False, 0xC0), cip)

    def quic_refused(t, host, cip, sip, sni, sttl):
        """A QUIC Initial that the FORWARD chain rejects: seen on the LAN side only, answered by
        ICMP administratively-prohibited quoting the packet as the FORWARD hook saw it (TTL - 1)."""
        p = Pair(cap, rng, (host, cip, eph(rng, host)), (srv(sip, "linuxsrv", sttl), sip, 443), lan_only(cip), da=0.0005, db=0.0)
        tag = "quic_refused_%d" % len(cap.recs)
        quic_session(p, t, sni, cutoff=t, tag=tag)
        orig = [r for r in cap.recs if r[4] == tag][0][3][20:]
        reject_icmp(t + rng.uniform(0.000035, 0.00005), cip, ttl_dec(orig, 1))

    # --- the gateway's own resolver (unbound) forwards over DNS-over-TLS to 9.9.9.9 from the WAN address
    quad9 = srv("9.9.9.9", "linuxsrv", 64)
    dot = Conn(cap, rng, (gw, WAN, eph(rng, gw)), (quad9, "9.9.9.9", 853), [View(0, l2a=WOUT, l2b=WIN, hops_b=7)], da=0.0, db=0.0021)
    t = dot.handshake(0.118)
    rec, sid = ch_record(rng, "dns.quad9.net", ("dot",), "go")
    t = dot.send(t + 0.0002, "a", rec)
    td, _ = dot.xfer(rt(dot, t, "b", 0.0004), "b", server_flight(rng, sid, 2500), 200e6, final_ack=False)
    dot.send(rt(dot, td, "a", 0.0006), "a", client_finish(rng, 0)[:-22])
    cache = {}

    def dns(t, host, cip, qname, qtype, answer, ns=(), rcode=0, server=None, tag=None):
        """A client query to the gateway resolver (or redirected to it); cache misses go out over DoT."""
        srvip = server or (GW_GST if cip.startswith("10.99.") else GW_LAN)
        q = Pair(cap, rng, (host, cip, eph(rng, host)), (gw, srvip, 53), lan_only(cip), da=0.0005, db=0.0)
        txid = rng.randrange(65536)
        q.udp(t, "a", dns_msg(txid, 0x0100, qname, qtype, edns=1232 if host.os != "win" else None), tag=tag)
        ta = t + 0.00021
        if (qname, qtype) not in cache:
            tq = t + 0.00012
            dot.emit(tq, "a", "PA", app_rec(rng, len(qname) + 30))
            tr = rt(dot, tq, "b", rng.uniform(0.0008, 0.02))
            dot.emit(tr, "b", "PA", app_rec(rng, len(qname) + 30 + 16 * len(answer)))
            dot.ack(tr + 0.00003, "a")
            ta = tr + 0.00009
            cache[(qname, qtype)] = ta
        q.udp(ta, "b", dns_msg(txid, 0x8180 | rcode, qname, qtype, answer, ns, edns=1232 if host.os != "win" else None), ipid=0, df=True)
        return ta

    # --- hosts
    ws = Host(rng, "win")
    WS = "10.40.12.57"
    dev = Host(rng, "linux")
    DEV = "10.40.13.20"
    andr = Host(rng, "android")
    AND = "10.40.14.88"
    guest = Host(rng, "mac")
    GST = "10.99.0.23"
    cm.update({WS: mac("f4:6b:8c:2e:71:03"), DEV: mac("8c:16:45:d0:3b:77"), AND: mac("ca:5e:91:07:e4:2b"), GST: mac("7a:31:0c:b9:52:e6")})

    # --- 1. Chrome on a Windows workstation: every QUIC attempt is refused with ICMP
    #        administratively-prohibited (policy: no UDP/443), Chrome falls back to TCP, which works
    sites = [("www.google.com", "142.250.186.36", 9, 0.0071, 128), ("www.youtube.com", "142.250.185.206", 9, 0.0073, 128),
             ("fonts.gstatic.com", "142.250.184.195", 9, 0.0069, 128), ("cdn.jsdelivr.net", "104.16.85.20", 8, 0.0052, 64)]
    t = 1.3
    for sni, ip, hops, srtt, sttl in sites:
        t = dns(t, ws, WS, sni, "A", chain(sni, [], [ip], 0, 300))
        dns(t - 0.0002, ws, WS, sni, "HTTPS", [])
        quic_refused(t + 0.0009, ws, WS, ip, sni, sttl)
        c = fconn(ws, WS, ip, 443, hops, srtt, ttl=sttl)
        tls_session(c, t + 0.0011, sni, "chrome", cert=rng.choice((3300, 4100)), reqs=((600, rng.randrange(9000, 70000), 0.01), (540, rng.randrange(3000, 30000), 0.01)), gap=(0.1, 0.6))
        t += rng.uniform(2.5, 4.0)

    # --- 2. a Debian laptop: its mail script's SMTP to three MX hosts is rejected with RSTs made by
    #        the gateway (policy: no outbound 25), submission on 587 works; resolved's DNS-over-TLS
    #        to public resolvers is rejected the same way, its plain DNS to 1.1.1.1 is redirected to
    #        the gateway resolver
    mx = [("gmail-smtp-in.l.google.com", "142.251.9.27"), ("mx01.mail.icloud.com", "17.57.154.6"), ("mx00.gmx.net", "212.227.15.9")]
    t = 16.2
    for name, ip in mx:
        t = dns(t, dev, DEV, name, "A", chain(name, [], [ip], 0, 300))
        sp = eph(rng, dev)
        c = Conn(cap, rng, (dev, DEV, sp), (srv(ip), ip, 25), lan_only(DEV), da=0.0005, db=0.0)
        c.emit(t + 0.0003, "a", "S", tag="smtp_syn")
        reject_tcp(t + 0.0003 + 0.000037, DEV, ip, sp, 25, c.ep["a"].iss)
        t += 0.012
    # submission port 587 to Gmail works (banner, EHLO, STARTTLS, TLS)
    t = dns(t + 0.2, dev, DEV, "smtp.gmail.com", "A", chain("smtp.gmail.com", [], ["142.251.9.108"], 0, 300))
    c = fconn(dev, DEV, "142.251.9.108", 587, 9, 0.0081, ttl=128)
    t = c.handshake(t + 0.0004)
    ts = rt(c, t, "b", 0.004)
    c.emit(ts, "b", "PA", b"220 smtp.gmail.com ESMTP 5b1f17b1804b1-43b5e2d7a1fsm1187725e9.12 - gsmtp\r\n")
    t = c.send(rt(c, ts, "a", 0.0003), "a", b"EHLO build-07.gerlach-logistik.de\r\n")
    ts = rt(c, t, "b", 0.0011)
    c.emit(ts, "b", "PA", b"250-smtp.gmail.com at your service, [212.18.219.66]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n")
    t = c.send(rt(c, ts, "a", 0.0002), "a", b"STARTTLS\r\n")
    ts = rt(c, t, "b", 0.0009)
    c.emit(ts, "b", "PA", b"220 2.0.0 Ready to start TLS\r\n")
    rec, sid = ch_record(rng, "smtp.gmail.com", (), "firefox")
    t = c.send(rt(c, ts, "a", 0.0004), "a", rec)
    td, _ = c.xfer(rt(c, t, "b", 0.0012), "b", server_flight(rng, sid, 4200), 100e6, final_ack=False)
    t = c.send(rt(c, td, "a", 0.002), "a", client_finish(rng, 90))
    td, tl = c.xfer(rt(c, t, "b", 0.03), "b", app_stream(rng, 120), 100e6)
    c.send(tl + 0.001, "a", app_rec(rng, 3900))
    # systemd-resolved: DNS-over-TLS to 1.1.1.1 and 9.9.9.9 is rejected, then plain DNS to 1.1.1.1 is
    # answered by the gateway's resolver in its name (DNAT): TTL 64, a fraction of a millisecond
    t = 24.7
    for ip in ("1.1.1.1", "9.9.9.9", "1.1.1.1"):
        sp = eph(rng, dev)
        c = Conn(cap, rng, (dev, DEV, sp), (srv(ip, "linuxsrv", 64), ip, 853), lan_only(DEV), da=0.0005, db=0.0)
        c.emit(t, "a", "S", tag="dot_syn")
        reject_tcp(t + 0.000035, DEV, ip, sp, 853, c.ep["a"].iss)
        t += 0.0021
    t = dns(t + 0.004, dev, DEV, "deb.debian.org", "A", chain("deb.debian.org", ["debian.map.fastly.net"], ["151.101.2.132", "151.101.66.132", "151.101.130.132", "151.101.194.132"], 300, 30), server="1.1.1.1", tag="dns_redirect")
    dns(t - 0.0002, dev, DEV, "deb.debian.org", "AAAA", chain("deb.debian.org", ["debian.map.fastly.net"], ["2a04:4e42::644", "2a04:4e42:200::644"], 300, 30, "AAAA"), server="1.1.1.1")

    # --- 3. the transparent web proxy (squid, intercept): the LAN side of every port-80 connection is
    #        answered by the gateway itself (TTL 64, Linux SYN/ACK), the WAN side is squid's own connection
    squid = Host(rng, "linux")

    def proxied(t, host, cip, sip, shops, srtt, req, resp_hdrs, body, sttl=None):
        sp = eph(rng, host)
        a, b = lan_l2(cip)
        lanc = Conn(cap, rng, (host, cip, sp), (squid, sip, 80), [View(0, l2a=a, l2b=b)], da=0.00055, db=0.00003)
        t = lanc.handshake(t)
        t = lanc.send(t + 0.0002, "a", req, tag="proxy_req")
        up = Conn(cap, rng, (squid, WAN, eph(rng, squid)), (srv(sip, "linuxsrv", sttl), sip, 80), [View(0, l2a=WOUT, l2b=WIN, hops_b=shops)], da=0.00003, db=srtt / 2)
        tu = up.handshake(t + 0.00041)
        lines = req.decode().split("\r\n")
        keep = [x for x in lines[:-2] if not x.lower().startswith("connection:")]
        fwd = "\r\n".join(keep + ["Via: 1.1 fw01 (squid/5.7)", "X-Forwarded-For: " + cip, "Cache-Control: max-age=259200" if "cache-control" not in req.decode().lower() else "", "Connection: keep-alive", "", ""]).replace("\r\n\r\nConnection", "\r\nConnection").encode()
        tu = up.send(tu + 0.0001, "a", fwd)
        head = resp_hdrs + b"\r\n"
        tdu, tlu = up.xfer(rt(up, tu, "b", 0.004), "b", head + body, 100e6)
        rh = resp_hdrs.replace(b"Connection: close\r\n", b"")
        if b"\r\nVia: " in rh:
            i = rh.index(b"\r\nVia: ")
            j = rh.index(b"\r\n", i + 2)
            rh = rh[:j] + b", 1.1 fw01 (squid/5.7)" + rh[j:]
            via = b""
        else:
            via = b"Via: 1.1 fw01 (squid/5.7)\r\n"
        outh = rh + b"X-Cache: MISS from fw01\r\nX-Cache-Lookup: MISS from fw01:3128\r\n" + via + b"Connection: keep-alive\r\n\r\n"
        tdl, tll = lanc.xfer(tdu + 0.00025, "b", outh + body, 900e6)
        return max(tll, tlu), lanc, up

    apt_ua = "Debian APT-HTTP/1.3 (2.6.1)"
    req = ("GET /debian/dists/bookworm/InRelease HTTP/1.1\r\nHost: deb.debian.org\r\nCache-Control: max-age=0\r\nIf-Modified-Since: Sat, 11 Jan 2025 10:24:11 GMT\r\nUser-Agent: %s\r\n\r\n" % apt_ua).encode()
    t, lanc, up = proxied(t + 0.003, dev, DEV, "151.101.2.132", 9, 0.0046, req,
                          b"HTTP/1.1 304 Not Modified\r\nDate: Wed, 29 Jan 2025 08:52:58 GMT\r\nVia: 1.1 varnish, 1.1 varnish\r\nCache-Control: public, max-age=120\r\nAge: 0\r\nX-Served-By: cache-ams21080-AMS, cache-fra-eddf8230125-FRA\r\nX-Cache: HIT, MISS\r\n", b"", sttl=64)
    # the same Fastly address over HTTPS is not proxied: forwarded, with the server's real TTL
    c = fconn(dev, DEV, "151.101.2.132", 443, 9, 0.0046, ttl=64)
    tls_session(c, t + 0.05, "deb.debian.org", "firefox", alpn=("http/1.1",), cert=3600, reqs=((260, 48000, 0.01),))
    # Windows' connectivity probe goes through the same proxy
    t = dns(31.1, ws, WS, "www.msftconnecttest.com", "A", chain("www.msftconnecttest.com", ["ncsi-geo.trafficmanager.net", "www.msftncsi.com.edgesuite.net", "a1961.g2.akamai.net"], ["2.16.186.8", "2.16.186.24"], 300, 20))
    proxied(t + 0.002, ws, WS, "2.16.186.8", 10, 0.0062,
            b"GET /connecttest.txt HTTP/1.1\r\nConnection: Close\r\nUser-Agent: Microsoft NCSI\r\nHost: www.msftconnecttest.com\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 22\r\nDate: Wed, 29 Jan 2025 08:53:02 GMT\r\nConnection: close\r\nContent-Type: text/plain\r\nCache-Control: max-age=30, must-revalidate\r\n", b"Microsoft Connect Test", sttl=64)

    # --- 4. an Android phone probes DNS-over-TLS on the DHCP resolver itself; nothing listens there
    sp = eph(rng, andr)
    c = Conn(cap, rng, (andr, AND, sp), (gw, GW_LAN, 853), lan_only(AND), da=0.0019, db=0.0)
    c.emit(35.02, "a", "S")
    c.ep["b"].rcv = c.ep["a"].iss + 1
    c.ctl_rst(35.02 + 0.00002, "b", 0, ack=c.ep["a"].iss + 1)
    t = dns(35.04, andr, AND, "www.whatsapp.com", "A", chain("www.whatsapp.com", ["mmx-ds.cdn.whatsapp.net"], ["157.240.223.60"], 3600, 60))
    tls_session(fconn(andr, AND, "157.240.223.60", 443, 10, 0.0094, lanrtt=0.0038), t, "www.whatsapp.com", "okhttp", cert=2900, reqs=((480, 12000, 0.02),))

    # --- 5. the guest network: the captive portal answers the phone's probe in the probe server's
    #        name until the guest accepts the terms; afterwards the real server answers
    cap_ip = "17.253.144.10"
    portal = Host(rng, "linux")
    t = dns(40.2, guest, GST, "captive.apple.com", "A", chain("captive.apple.com", ["captive-cdn.origin-apple.com.akadns.net", "captive.g.aaplimg.com"], [cap_ip, "17.253.144.12"], 300, 15))
    sp = eph(rng, guest)
    a, b = lan_l2(GST)
    pc = Conn(cap, rng, (guest, GST, sp), (portal, cap_ip, 80), [View(0, l2a=a, l2b=b)], da=0.0024, db=0.00003)
    t = pc.handshake(t + 0.002)
    preq = b"GET /hotspot-detect.html HTTP/1.0\r\nHost: captive.apple.com\r\nConnection: close\r\nUser-Agent: CaptiveNetworkSupport-491.60.2 wispr\r\n\r\n"
    t = pc.send(t + 0.0001, "a", preq, tag="portal_req")
    loc = "https://wifi-guest.gerlach-logistik.de/login?client=7a310cb952e6&url=http%3A%2F%2Fcaptive.apple.com%2Fhotspot-detect.html"
    presp = ("HTTP/1.1 302 Found\r\nServer: nginx\r\nDate: Wed, 29 Jan 2025 08:53:12 GMT\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\nLocation: %s\r\nCache-Control: no-cache, no-store\r\n\r\n" % loc).encode()
    ts = rt(pc, t, "b", 0.0004)
    pc.emit(ts, "b", "PA", presp, tag="portal_302")
    pc.emit(ts + 0.00001, "b", "FA")
    t = rt(pc, ts, "a", 0.0002)
    pc.emit(t, "a", "A")
    pc.emit(t + 0.0002, "a", "FA")
    pc.ack(rt(pc, t + 0.0002, "b", 0.00002), "b")
    t = dns(t + 0.05, guest, GST, "wifi-guest.gerlach-logistik.de", "A", chain("wifi-guest.gerlach-logistik.de", [], [GW_GST], 0, 60))
    pt = Conn(cap, rng, (guest, GST, eph(rng, guest)), (portal, GW_GST, 443), [View(0, l2a=a, l2b=b)], da=0.0024, db=0.00003)
    tls_session(pt, t + 0.001, "wifi-guest.gerlach-logistik.de", "chrome", cert=2600, reqs=((510, 14000, 0.003), (690, 900, 0.002), (620, 3100, 0.002)), gap=(3.0, 9.0))
    # after acceptance: forwarded like any other traffic
    t = 58.4
    c = fconn(guest, GST, cap_ip, 80, 8, 0.0088, lanrtt=0.0048, ttl=64)
    t = c.handshake(t)
    t = c.send(t + 0.0001, "a", preq)
    body = b"<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>\n"
    ts = rt(c, t, "b", 0.0009)
    c.emit(ts, "b", "PA", b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 68\r\nDate: Wed, 29 Jan 2025 08:53:30 GMT\r\nConnection: close\r\nCache-Control: max-age=300\r\n\r\n" + body, tag="real_204")
    c.close(ts + 0.00002, "b")
    # the guest's apps: QUIC is refused on the guest network too; TCP works
    t = dns(59.3, guest, GST, "www.google.com", "A", chain("www.google.com", [], ["142.250.186.36"], 0, 300))
    quic_refused(t + 0.0005, guest, GST, "142.250.186.36", "www.google.com", 128)
    tls_session(fconn(guest, GST, "142.250.186.36", 443, 9, 0.0071, lanrtt=0.0048, ttl=128), t + 0.0012, "www.google.com", "chrome", cert=3300, reqs=((580, 38000, 0.01),))
    cap.write(path)
    return cap



# ============================================================================
# 5. a Kubernetes worker node, tcpdump -i any (Linux cooked v1: no interface index)
# ============================================================================


def case_k8s(path):
    rng = random.Random(0x16B05)
    base = epoch(2025, 5, 14, 11, 26, 3)
    cap = Cap(base, [{"link": "sll", "name": "any"}], fmt="pcap", nsec=True)
    NODE, NODEM, VPCGW = "10.0.3.15", mac("0a:5f:3c:11:8e:27"), mac("0a:1b:22:9c:44:01")
    CALI = mac("ee:ee:ee:ee:ee:ee")
    NODE22M, NODE09M = mac("0a:84:d1:07:3a:5b"), mac("0a:c2:19:6e:f0:13")
    FWD = 0.000023
    node = Host(rng, "linux")
    POD, PODM = "10.244.2.17", mac("5a:2c:8e:91:0b:3f")
    PAY, PAYM = "10.244.2.31", mac("b6:07:4d:e2:19:a8")
    podh = Host(rng, "linux")  # Go service "checkout"
    payh = Host(rng, "linux")  # "payments" with an Istio sidecar (Envoy)
    pmac = {POD: PODM, PAY: PAYM}

    def vin(pip):
        return dict(pkttype=0, hatype=1, addr=pmac[pip])

    VOUT = dict(pkttype=4, hatype=1, addr=CALI)
    EOUT = dict(pkttype=4, hatype=1, addr=NODEM)

    def ein(m):
        return dict(pkttype=0, hatype=1, addr=m)

    def pod_views(pip, pport, shops, nexthop, svc=None, sip=None, sport=None, masq=False):
        """veth copy (pre-NAT) and eth0 copy (post-NAT) of a pod's connection."""
        vnat = {(sip, sport): svc} if svc else {}
        enat = {(pip, pport): (NODE, pport)} if masq else {}
        return [View(0, l2a=vin(pip), l2b=VOUT, hops_a=0, hops_b=shops + 1, dt_b=FWD, nat=vnat),
                View(0, l2a=EOUT, l2b=ein(nexthop), hops_a=1, hops_b=shops, dt_a=FWD, nat=enat)]

    servers = {}

    def srv(ip, os="linuxsrv", ttl=None):
        if ip not in servers:
            servers[ip] = Host(rng, os, ttl=ttl)
        return servers[ip]

    def pconn(h, pip, sip, sport, shops, srtt, nexthop, svc=None, masq=False, sh=None):
        pp = eph(rng, h)
        return Conn(cap, rng, (h, pip, pp), (sh or srv(sip), sip, sport), pod_views(pip, pp, shops, nexthop, svc, sip, sport, masq),
                    da=0.00002, db=srtt / 2, mss_a=8949, mss_b=8949 if sip.startswith("10.") else 1460)

    # --- node-local DNS cache: pods ask 169.254.20.10; misses for cluster.local go to CoreDNS over TCP
    #     (force_tcp), other names to the VPC resolver over UDP
    coredns = srv("10.244.1.5")
    vpcdns = srv("10.0.0.2", ttl=255)
    nl = Host(rng, "linux")
    nl_cache = {}
    CL_SOA = ("cluster.local", "SOA", 30, ("ns.dns.cluster.local", "hostmaster.cluster.local", 1747221600, 7200, 1800, 86400, 30))

    pool = []  # CoreDNS forward: one in-flight query per pooled TCP connection, idle ones expire after 10 s

    def coredns_conn(t):
        for c in pool:
            if c.busy < t and c.last + 10.0 > t:
                return c, False
        sp = eph(rng, nl)
        c = Conn(cap, rng, (nl, NODE, sp), (coredns, "10.244.1.5", 53), [View(0, l2a=EOUT, l2b=ein(NODE22M), hops_b=1)], da=0.0, db=0.00022, mss_a=8949, mss_b=8949)
        pool.append(c)
        return c, True

    def upstream(t, qname, qtype, answer, ns, rcode, flags):
        """node-local forwards a miss; returns the time the answer is back."""
        if qname.endswith("cluster.local"):
            c, new = coredns_conn(t)
            c.busy = 1e9
            if new:
                t = c.handshake(t)
            uid = rng.randrange(65536)
            q = dns_msg(uid, 0x0100, qname, qtype, edns=1232)
            c.send(t + 0.00003, "a", u16(len(q)) + q)
            tr = rt(c, t + 0.00003, "b", rng.uniform(0.00008, 0.0003))
            r = dns_msg(uid, flags | rcode, qname, qtype, answer, ns, edns=1232)
            c.emit(tr, "b", "PA", u16(len(r)) + r)
            c.ack(tr + 0.00004, "a")
            c.busy = c.last = tr + 0.00004
            return tr + 0.00005
        up = Pair(cap, rng, (nl, NODE, eph(rng, nl)), (vpcdns, "10.0.0.2", 53), [View(0, l2a=EOUT, l2b=ein(VPCGW), hops_b=0)], da=0.0, db=0.00035)
        uid = rng.randrange(65536)
        up.udp(t, "a", dns_msg(uid, 0x0100, qname, qtype, edns=1232), ipid=0)
        tr = rt(up, t, "b", rng.uniform(0.0002, 0.0011 if rcode == 0 else 0.0005))
        up.udp(tr, "b", dns_msg(uid, 0x8180 | rcode, qname, qtype, answer, ns, edns=1232), ipid=0, df=True)
        return tr + 0.00004

    def resolve(t, pip, name, fqdn, a_rrs, aaaa_rrs=(), tag=None,
                search=("shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "eu-central-1.compute.internal")):
        """glibc with ndots:5: walks the search list (A and AAAA in parallel, one socket per name)
        until a name exists (fqdn), then stops."""
        h = podh if pip == POD else payh
        names = [name + "." + sfx for sfx in search] + [name]
        for n in names:
            p = Pair(cap, rng, (h, pip, eph(rng, h)), (nl, "169.254.20.10", 53), [View(0, l2a=vin(pip), l2b=VOUT)], da=0.00002, db=0.00001)
            ids = [rng.randrange(65536), rng.randrange(65536)]
            p.udp(t, "a", dns_msg(ids[0], 0x0100, n, "A"), tag=tag and tag + "qA")
            p.udp(t + 0.000021, "a", dns_msg(ids[1], 0x0100, n, "AAAA"))
            done = t
            for qt, txid, dt in (("A", ids[0], 0.0), ("AAAA", ids[1], 0.000021)):
                if n == fqdn:
                    ans = list(a_rrs) if qt == "A" else list(aaaa_rrs)
                    rc = 0
                    if n.endswith("cluster.local"):
                        fl, ns = 0x8580, ([] if ans else [CL_SOA])
                    else:
                        fl, ns = 0x8180, ([] if ans else [(".".join(n.split(".")[-2:]), "SOA", 60, ("ns-705.awsdns-24.net", "awsdns-hostmaster.amazon.com", 1, 7200, 900, 1209600, 86400))])
                elif n.endswith("cluster.local"):
                    ans, ns, rc, fl = [], [CL_SOA], 3, 0x8580
                else:
                    ans, ns, rc, fl = [], [("eu-central-1.compute.internal", "SOA", 60, ("ns.eu-central-1.compute.internal", "hostmaster.amazon.com", 1, 3600, 900, 604800, 60))], 3, 0x8180
                key = (n, qt)
                if key in nl_cache and nl_cache[key] > t:
                    ta = t + dt + rng.uniform(0.00004, 0.0001)
                    fl &= ~0x0400
                else:
                    ta = upstream(t + dt + 0.00003, n, qt, ans, ns, rc, fl)
                    nl_cache[key] = ta + 30
                p.udp(ta, "b", dns_msg(txid, fl | rc, n, qt, ans, ns, edns=None), ipid=0)
                done = max(done, ta)
            t = done + rng.uniform(0.00003, 0.0001)
            if n == fqdn:
                break
        return t

    # --- kubelet readiness probes to both pods (node -> pod on the veth; FIN close)
    for pip, port, path_, t0 in ((POD, 8080, "/healthz", 0.77), (PAY, 15021, "/healthz/ready", 2.91)):
        t = t0
        while t < 66:
            h = podh if pip == POD else payh
            c = Conn(cap, rng, (node, NODE, eph(rng, node)), (h, pip, port), [View(0, l2a=VOUT, l2b=vin(pip))], da=0.0, db=0.00002, mss_a=8949, mss_b=8949)
            t1 = c.handshake(t)
            t1 = c.send(t1 + 0.00004, "a", ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: kube-probe/1.31\r\nAccept: */*\r\nConnection: close\r\n\r\n" % (path_, pip, port)).encode())
            t2 = rt(c, t1, "b", 0.00011)
            body = b"ok" if port == 8080 else b""
            c.emit(t2, "b", "PA", b"HTTP/1.1 200 OK\r\nDate: Wed, 14 May 2025 11:26:%02d GMT\r\nContent-Length: %d\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" % (int(3 + t) % 60, len(body)) + body)
            c.emit(t2 + 0.000008, "b", "FA")
            t3 = rt(c, t2, "a", 0.00003)
            c.emit(t3, "a", "A")
            c.emit(t3 + 0.00006, "a", "FA")
            c.ack(rt(c, t3 + 0.00006, "b", 0.00001), "b")
            t += 10.0 + rng.uniform(-0.002, 0.002)

    # --- 1. the checkout pod resolves api.stripe.com: four NXDOMAINs from the search list first
    stripe = ["54.187.174.169", "54.187.205.235", "54.187.216.72"]
    t = resolve(0.412, POD, "api.stripe.com", "api.stripe.com", chain("api.stripe.com", [], stripe, 0, 60), tag="dns_stripe")
    c = pconn(podh, POD, stripe[0], 443, 13, 0.158, VPCGW, masq=True, sh=srv(stripe[0], ttl=255))
    tls_session(c, t + 0.0001, "api.stripe.com", "go", alpn=("h2", "http/1.1"), cert=3300, reqs=((820, 1900, 0.21), (760, 2300, 0.19), (790, 1700, 0.23)), gap=(2.0, 6.0))

    # --- 2. inventory service (ClusterIP 10.96.141.22:3000 -> pod 10.244.1.23 on node .22), Node.js with
    #        keepAliveTimeout 5 s: a pooled connection reused just as the server closes it
    INV_SVC, INV = ("10.96.141.22", 3000), "10.244.1.23"
    inv = srv(INV, "linuxsrv")
    resolve(0.9, POD, "inventory", "inventory.shop.svc.cluster.local", chain("inventory.shop.svc.cluster.local", [], ["10.96.141.22"], 0, 30))

    def inv_conn():
        return pconn(podh, POD, INV, 3000, 1, 0.00045, NODE22M, svc=INV_SVC, sh=inv)

    def get(path_):
        return ("GET %s HTTP/1.1\r\nHost: inventory.shop.svc.cluster.local:3000\r\nUser-Agent: Go-http-client/1.1\r\nAccept: application/json\r\nX-Request-Id: %s\r\nAccept-Encoding: gzip\r\n\r\n" % (path_, "%08x-%04x-4%03x-a%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48)))).encode()

    def ok(tnow):
        body = ('{"sku":"AX-%d","available":%d,"warehouse":"fra-2"}' % (rng.randrange(1000, 9999), rng.randrange(0, 400))).encode()
        return (b"HTTP/1.1 200 OK\r\nX-Powered-By: Express\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\nETag: W/\"%x-%s\"\r\nDate: Wed, 14 May 2025 11:%02d:%02d GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n" % (len(body), len(body), rng.randbytes(8).hex().encode(), 26 + int(3 + tnow) // 60, int(3 + tnow) % 60)) + body

    def request(c, t, path_):
        t = c.send(t, "a", get(path_))
        ts = rt(c, t, "b", rng.uniform(0.0006, 0.003))
        c.emit(ts, "b", "PA", ok(ts))
        return c.ack(rt(c, ts, "a", 0.00003), "a")

    def race(c, t_last, path_, tag):
        """Node closes the idle connection after 5 s; Go writes the next request before it reads the
        FIN; the server's kernel resets it (RST, no ACK, seq = the request's ACK, IP ID 0, no options)."""
        tfin = t_last + 5.0 + rng.uniform(0.0005, 0.002)
        c.emit(tfin, "b", "FA")
        tack = rt(c, tfin, "a", 0.000012)
        c.emit(tack, "a", "A")
        treq = tack + rng.uniform(0.000015, 0.00006)
        c.send(treq, "a", get(path_), tag=tag + "req")
        trst = rt(c, treq, "b", 0.000006)
        c.ctl_rst(trst, "b", c.ep["a"].rcv, tag=tag + "rst")
        return trst + c.d["a"] * 2 + rng.uniform(0.00015, 0.0004)  # Go sees ECONNRESET, dials again

    c = inv_conn()
    t = c.handshake(1.2)
    t = request(c, t + 0.0001, "/v1/stock/AX-4471")
    t = request(c, t + 1.7, "/v1/stock/AX-1180")
    t = race(c, t, "/v1/stock/AX-2093", "race1")
    c2 = inv_conn()  # Go retries the idempotent GET on a fresh connection: same service, same answer
    t = c2.handshake(t)
    t = request(c2, t + 0.00005, "/v1/stock/AX-2093")
    t = request(c2, t + 2.3, "/v1/stock/AX-5521")
    t = race(c2, t, "/v1/stock/AX-7730", "race2")
    c3 = inv_conn()
    t = c3.handshake(t)
    t = request(c3, t + 0.00005, "/v1/stock/AX-7730")

    # --- 3. rolling update: a SYN reaches a terminating endpoint (port already closed, kernel RST+ACK),
    #        the retry lands on a new replica behind the same ClusterIP
    old_ep = "10.244.0.18"
    oldh = srv(old_ep, "linuxsrv")
    t = 24.15
    cr = pconn(podh, POD, old_ep, 3000, 1, 0.00052, NODE09M, svc=INV_SVC, sh=oldh)
    cr.emit(t, "a", "S", tag="refused_syn")
    cr.ep["b"].rcv = cr.ep["a"].iss + 1
    cr.ctl_rst(rt(cr, t, "b", 0.000008), "b", 0, ack=cr.ep["a"].iss + 1, tag="refused_rst")
    new_ep = "10.244.0.27"
    cn = pconn(podh, POD, new_ep, 3000, 1, 0.00049, NODE09M, svc=INV_SVC, sh=srv(new_ep))
    t = cn.handshake(t + 0.0009)
    t = request(cn, t + 0.00005, "/v1/stock/AX-3318")

    # --- 4. a request the client gives up on (context deadline 2 s): Go closes, the late response hits
    #        a closed socket and the pod's kernel answers RST (seen on the veth with TTL 64, on eth0 63)
    REC_SVC, REC = ("10.96.77.140", 8080), "10.244.1.40"
    resolve(29.0, POD, "recommendations", "recommendations.shop.svc.cluster.local", chain("recommendations.shop.svc.cluster.local", [], ["10.96.77.140"], 0, 30))
    cs = pconn(podh, POD, REC, 8080, 1, 0.00047, NODE22M, svc=REC_SVC, sh=srv(REC))
    t = cs.handshake(29.01)
    t = cs.send(t + 0.00005, "a", b"GET /v2/recommendations?user=84112&limit=12 HTTP/1.1\r\nHost: recommendations.shop.svc.cluster.local:8080\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n\r\n")
    cs.ack(rt(cs, t, "b", 0.04), "b")
    tclose = t + 2.0
    cs.emit(tclose, "a", "FA")
    cs.ack(rt(cs, tclose, "b", 0.00002), "b")
    tresp = tclose + 0.734
    body = b'{"items":[' + b",".join(b'{"sku":"AX-%d","score":0.%d}' % (rng.randrange(1000, 9999), rng.randrange(10, 99)) for _ in range(12)) + b"]}"
    cs.emit(tresp, "b", "PA", b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body, tag="late_resp")
    cs.ctl_rst(rt(cs, tresp, "a", 0.000006), "a", cs.ep["a"].nxt, tag="late_rst")

    # --- 5. the payments pod's sidecar (Envoy) talks mTLS to the ledger service in another node:
    #        SNI is the mesh's cluster name, ALPN istio; one pooled connection, several requests
    LED = "10.244.0.44"
    t = 33.7
    ce = pconn(payh, PAY, LED, 8080, 1, 0.00051, NODE09M, sh=srv(LED))
    t = ce.handshake(t)
    m = client_hello(rng, "outbound_.8080_._.ledger.payments.svc.cluster.local", ("istio-peer-exchange", "istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"), "go")
    t = ce.send(t + 0.0001, "a", tls_record(0x16, m))
    td, _ = ce.xfer(rt(ce, t, "b", 0.0007), "b", server_flight(rng, b"", 2100), 5e9, final_ack=False)
    t = ce.send(rt(ce, td, "a", 0.0006), "a", b"\x17\x03\x03" + u16(1200) + rng.randbytes(1200))
    for k in range(5):
        ts = rt(ce, t, "b", rng.uniform(0.002, 0.02))
        ce.emit(ts, "b", "PA", app_rec(rng, rng.randrange(300, 900)))
        t = ce.ack(rt(ce, ts, "a", 0.00003), "a")
        if k < 4:
            t = ce.send(t + rng.uniform(1.0, 5.0), "a", app_rec(rng, rng.randrange(400, 1100)))

    # --- 6. the same name again 21 s later, now from node-local's cache (no upstream traffic)
    t = resolve(21.3, POD, "api.stripe.com", "api.stripe.com", chain("api.stripe.com", [], stripe, 0, 60))
    c = pconn(podh, POD, stripe[1], 443, 13, 0.158, VPCGW, masq=True, sh=srv(stripe[1], ttl=255))
    tls_session(c, t + 0.0001, "api.stripe.com", "go", alpn=("h2", "http/1.1"), cert=3300, reqs=((840, 2100, 0.2),))
    for c in pool:  # the forward plugin closes connections idle for 10 s
        if c.last + 10.0 < 66:
            c.close(c.last + 10.0 + rng.uniform(0.0, 0.5), "a")
    cap.write(path)
    return cap



# ============================================================================
# 6. a phone's own capture (PCAPdroid, root mode, raw IP): Wi-Fi drops, IPv6-only cellular takes over
# ============================================================================


def case_mobile(path):
    rng = random.Random(0x16B06)
    base = epoch(2025, 6, 7, 17, 48, 12)
    cap = Cap(base, [{"link": "raw", "name": "any"}], fmt="pcap", nsec=False)
    ph = Host(rng, "android")
    W4, W6 = "192.168.178.34", "2a02:8109:b6c0:4f00:6d1e:3fa2:c8b5:91e4"
    C6 = "2a01:599:a1c:5e2f:1a7d:34ff:fe09:b2c1"
    WDNS = "192.168.178.1"
    CDNS = "2a01:598:7ff:0:10:74:210:221"
    V = [View(0)]
    T_LOSS, T_CELL = 17.3, 19.62  # last packet that reached Wi-Fi peers; cellular default network up

    servers = {}

    def srv(ip, ttl=None, os="linuxsrv"):
        if ip not in servers:
            servers[ip] = Host(rng, os, ttl=ttl)
        return servers[ip]

    def conn(cip, sip, hops, rtt, port=443, ttl=None, mss=None, smss=None):
        return Conn(cap, rng, (ph, cip, eph(rng, ph)), (srv(sip, ttl), sip, port), [View(0, hops_b=hops)], da=0.0, db=rtt / 2,
                    mss_a=mss or (1440 if is6(cip) else 1460), mss_b=smss or (1440 if is6(sip) else 1460))

    dnsh = Host(rng, "linuxsrv")

    def dns(t, cip, res, qname, a_rrs, aaaa_rrs, aaaa_ns=(), rtt=0.0061, hops=1, answered=True, tag=None):
        """Android's resolver: A and AAAA in parallel from one socket."""
        p = Pair(cap, rng, (ph, cip, eph(rng, ph)), (dnsh, res, 53), [View(0, hops_b=hops)], da=0.0, db=rtt / 2)
        ids = (rng.randrange(65536), rng.randrange(65536))
        p.udp(t, "a", dns_msg(ids[0], 0x0100, qname, "A"), tag=tag and tag + "A")
        p.udp(t + 0.00031, "a", dns_msg(ids[1], 0x0100, qname, "AAAA"), tag=tag and tag + "AAAA")
        if not answered:
            return p, ids
        ta = rt(p, t, "b", rng.uniform(0.0002, 0.006))
        tb = rt(p, t + 0.00031, "b", rng.uniform(0.0002, 0.006))
        p.udp(ta, "b", dns_msg(ids[0], 0x8180, qname, "A", a_rrs), ipid=rng.randrange(65536), df=False)
        p.udp(tb, "b", dns_msg(ids[1], 0x8180, qname, "AAAA", aaaa_rrs, aaaa_ns), ipid=rng.randrange(65536), df=False)
        return max(ta, tb)

    GH4, GH64 = "140.82.121.4", "64:ff9b::8c52:7904"
    GU4, GU6 = "151.101.1.111", "2a04:4e42::367"
    GV6 = "2a00:1450:4001:1d::d"
    gv_name = "rr3---sn-uxax4vopj5qx-q0nl.googlevideo.com"
    GH_SOA = [("github.com", "SOA", 900, ("dns1.p08.nsone.net", "hostmaster.nsone.net", 1656468023, 43200, 7200, 1209600, 3600))]

    # ---------------- on Wi-Fi ----------------
    t = dns(0.31, W4, WDNS, gv_name, chain(gv_name, ["rr3.sn-uxax4vopj5qx-q0nl.googlevideo.com"], ["173.194.182.8"], 1800, 1800),
            chain(gv_name, ["rr3.sn-uxax4vopj5qx-q0nl.googlevideo.com"], [GV6], 1800, 1800, "AAAA"))
    gvh = srv(GV6, ttl=64)
    video = Pair(cap, rng, (ph, W6, eph(rng, ph)), (gvh, GV6, 443), [View(0, hops_b=11)], da=0.0, db=0.0094)
    st, t = quic_session(video, t + 0.004, gv_name, resp=700_000, tag="quic_video", rate=60e6)
    tv = t + 2.2
    while tv < T_LOSS - 1.0:  # the player fetches a segment every few seconds
        video.udp(tv, "a", quic_short(rng, st["scid_s"], rng.randrange(70, 120)))
        tv = quic_bulk(video, rt(video, tv, "b", rng.uniform(0.01, 0.04)), st, rng.randrange(250_000, 500_000), 60e6) + rng.uniform(3.0, 4.5)

    t = dns(1.02, W4, WDNS, "www.theguardian.com", chain("www.theguardian.com", ["dualstack.guardian.map.fastly.net"], [GU4], 3600, 30),
            chain("www.theguardian.com", ["dualstack.guardian.map.fastly.net"], [GU6], 3600, 30, "AAAA"))
    tls_session(conn(W6, GU6, 12, 0.0188), t + 0.002, "www.theguardian.com", "okhttp", cert=3400, reqs=((610, 88000, 0.03), (540, 26000, 0.02)), gap=(0.4, 1.6))

    t = dns(4.4, W4, WDNS, "github.com", chain("github.com", [], [GH4], 0, 60), [], GH_SOA)
    gh_old = conn(W4, GH4, 14, 0.0271, ttl=64)
    tls_session(gh_old, t + 0.002, "github.com", "okhttp", cert=3900, reqs=((720, 24000, 0.08), (680, 9000, 0.05)), gap=(1.0, 3.0))

    # ---- signal fades: a new article request gets its SYN/ACK (slowly), then nothing
    t = dns(16.62, W4, WDNS, "www.theguardian.com", chain("www.theguardian.com", ["dualstack.guardian.map.fastly.net"], [GU4], 3571, 30),
            chain("www.theguardian.com", ["dualstack.guardian.map.fastly.net"], [GU6], 3571, 30, "AAAA"), rtt=0.082)
    c = conn(W6, GU6, 12, 0.214)
    t = c.handshake(t + 0.002)
    rec, sid = ch_record(rng, "www.theguardian.com", ("h2", "http/1.1"), "okhttp")
    tch = t + 0.0009
    c.send(tch, "a", rec, tag="wifi_ch")
    rto = 0.43
    for k in range(4):  # the ClientHello is retransmitted into a dead link
        tch += rto
        if tch > T_CELL - 0.2:
            break
        c.emit(tch, "a", "PA", rec, seq=c.ep["a"].iss + 1, advance=False, tag="wifi_ch_rtx")
        rto *= 2
    # the video connection's ACKs and PINGs on Wi-Fi get no answer either
    for k in range(5):
        tp = T_LOSS + 0.08 + 0.31 * (2 ** k - 1)
        if tp < T_CELL - 0.2:
            video.udp(tp, "a", quic_short(rng, st["scid_s"], rng.randrange(38, 60)))
    # a DNS lookup on Wi-Fi that never comes back (the local router is unreachable too)
    dq, _ = dns(18.05, W4, WDNS, "i.guim.co.uk", None, None, answered=False, tag="wifi_dns")
    dq.udp(19.05, "a", dns_msg(rng.randrange(65536), 0x0100, "i.guim.co.uk", "A"))

    # ---------------- on cellular (IPv6-only, DNS64 / NAT64 64:ff9b::/96) ----------------
    # the video connection migrates: PATH_CHALLENGE from the new address with a fresh connection ID
    new_cid = rng.randbytes(8)
    vid2 = Pair(cap, rng, (ph, C6, eph(rng, ph)), (gvh, GV6, 443), [View(0, hops_b=13)], da=0.0, db=0.0211)
    vid2.ep["b"].host = gvh
    tm = T_CELL + 0.14
    vid2.udp(tm, "a", quic_short(rng, new_cid, 1252), tag="quic_migrate")
    tpr = rt(vid2, tm, "b", 0.0005)
    vid2.udp(tpr, "b", quic_short(rng, b"", 1252))
    vid2.udp(rt(vid2, tpr, "a", 0.0004), "a", quic_short(rng, new_cid, 62))
    st2 = dict(st)
    st2["scid_s"] = new_cid
    tv = quic_bulk(vid2, rt(vid2, tpr, "a", 0.001) + 0.002, st2, 450_000, 25e6)
    while tv < 56:
        vid2.udp(tv + 3.9, "a", quic_short(rng, new_cid, rng.randrange(70, 120)))
        tv = quic_bulk(vid2, rt(vid2, tv + 3.9, "b", 0.03), st2, rng.randrange(250_000, 450_000), 25e6) + rng.uniform(0.5, 1.5)

    # the article again: DNS from the carrier resolver, native IPv6 this time; same SNI, same CDN, works
    t = dns(T_CELL + 0.35, C6, CDNS, "www.theguardian.com", chain("www.theguardian.com", ["dualstack.guardian.map.fastly.net"], ["151.101.65.111"], 3600, 30),
            chain("www.theguardian.com", ["dualstack.guardian.map.fastly.net"], ["2a04:4e42:200::367"], 3600, 30, "AAAA"), rtt=0.034, hops=4)
    tls_session(conn(C6, "2a04:4e42:200::367", 13, 0.0412, mss=1400), t + 0.003, "www.theguardian.com", "okhttp", cert=3400,
                reqs=((640, 94000, 0.03), (560, 31000, 0.02)), gap=(0.3, 1.0), tag="cell_guardian")

    # github.com has no AAAA: DNS64 synthesizes one from the A record; the app reaches it through NAT64
    t = dns(23.9, C6, CDNS, "github.com", chain("github.com", [], ["140.82.121.3"], 0, 60), chain("github.com", [], ["64:ff9b::8c52:7903"], 0, 60, "AAAA"), rtt=0.036, hops=4, tag="dns64")
    # the NAT64 gateway clamps the MSS and carries the IPv4 TTL over into the hop limit
    tls_session(conn(C6, "64:ff9b::8c52:7903", 16, 0.0519, ttl=64, mss=1400, smss=1420), t + 0.002, "github.com", "okhttp", cert=3900,
                reqs=((760, 26000, 0.08), (700, 14000, 0.05), (650, 3000, 0.04)), gap=(1.0, 4.0))
    t = dns(31.4, C6, CDNS, "avatars.githubusercontent.com", chain("avatars.githubusercontent.com", [], ["185.199.108.133", "185.199.109.133"], 0, 3600),
            chain("avatars.githubusercontent.com", [], ["2606:50c0:8000::154", "2606:50c0:8001::154"], 0, 3600, "AAAA"), rtt=0.035, hops=4)
    tls_session(conn(C6, "2606:50c0:8000::154", 12, 0.0389, mss=1400), t + 0.002, "avatars.githubusercontent.com", "okhttp", cert=3100, reqs=((520, 61000, 0.02),))
    # a new QUIC connection on cellular
    t = dns(36.2, C6, CDNS, "youtubei.googleapis.com", chain("youtubei.googleapis.com", [], ["142.250.185.202"], 0, 300),
            chain("youtubei.googleapis.com", [], ["2a00:1450:4001:82f::200a"], 0, 300, "AAAA"), rtt=0.033, hops=4)
    yt = Pair(cap, rng, (ph, C6, eph(rng, ph)), (srv("2a00:1450:4001:82f::200a", 64), "2a00:1450:4001:82f::200a", 443), [View(0, hops_b=13)], da=0.0, db=0.0204)
    quic_session(yt, t + 0.003, "youtubei.googleapis.com", resp=48000, rate=25e6)
    cap.write(path)
    return cap



NOTES = {
    "webserver_own_capture.pcap": (
        [],
        "tcpdump on the web server itself (eth0 of 88.198.53.117 / 2a01:4f8:c012:3e0a::1, Ethernet, nanosecond pcap): the 'server' "
        "is the local host, its packets carry the untouched TTL 64, the clients are remote SYN senders. Traps: a 3-second SYN flood from "
        "spoofed sources (hping3-style: window 64, no options, constant TTL 51) whose SYN/ACKs are never acknowledged - retransmitted at "
        "1/3/7/15/31 s until the queue overflows and SYN cookies take over - with backscatter RSTs from unrelated live hosts and ICMP "
        "host-unreachable from routers; an nmap SYN scan with a random TTL per probe, the server's own RST+ACKs on closed ports (IP ID 0, "
        "window 0, TTL 64), the scanner kernel's RSTs after the SYN/ACKs of 80/443 and SYNs to 22/3389 dropped by the host firewall; a "
        "half-open health monitor (SYN, SYN/ACK, RST every 5 s) and an HAProxy HTTP check that ends every exchange with its own RST+ACK; a "
        "Go TLS probe for autodiscover.bergkaffee.de refused by nginx with alert 112 (unrecognized_name); an Android client on a mobile "
        "IPv6 network that vanishes mid-download: the server retransmits into silence, nginx gives up with RST+ACK "
        "(reset_timedout_connection), and the phone's late packet draws a second, socketless kernel RST whose sequence number is lower than "
        "the first. Not censorship: each RST is either the server's own stack (TTL 64 at the host, matching its SYN/ACKs) or a client, "
        "scanner or checker closing its own connection; the unanswered packets demonstrably reached the host (this is the host's capture); "
        "the same SNIs succeed throughout.",
    ),
    "home_router_lan_wan.pcapng": (
        [],
        "Two-interface pcapng from an OpenWrt home router: br-lan (LAN bridge) and wan (802.1Q VLAN 7 uplink), nanosecond stamps, EPB "
        "direction flags. Every forwarded packet appears twice ~60 us apart: on the LAN with private addresses and on the WAN after NAT "
        "(IPv4 192.168.1.x -> 79.200.114.38; one source port remapped after two clients picked the same port towards the same Fastly "
        "address) or unchanged (IPv6, routed), with the TTL/hop limit one lower on the far side. Traps: the same RST twice with different "
        "TTLs within microseconds - the laptop's own abort of a Wikimedia download (hop limit 128 on br-lan, 127 on wan) plus its kernel "
        "RST for data still in flight, and a Google push-channel server resetting a connection it had forgotten (TTL 119 on wan, 118 on "
        "br-lan) - resembles the 'several RSTs with different TTLs' injector signature; TLS and QUIC handshakes (SNI) appear twice; "
        "dnsmasq at 192.168.1.1 answers the LAN from a private address with transaction IDs and ports unrelated to its upstream queries, "
        "later answers from its cache with counted-down TTLs and no upstream query, and answers local names itself (authoritative "
        "NXDOMAIN for wpad.lan and for an unknown private PTR). Not censorship: the pairs are one packet seen at two interfaces of one box, "
        "the LAN answers equal the upstream answers, the RSTs come from the endpoints (the phone reconnects to the same push server and "
        "it works), nothing is dropped.",
    ),
    "isp_span_port_cgnat.pcap": (
        [],
        "Big-endian microsecond pcap from an ISP's SPAN port on one member of an upstream link bundle, outside the CGNAT (802.1Q VLAN "
        "310; traffic of pool address 185.53.156.12 is mirrored a second time from another port as VLAN 312). Several subscribers share "
        "each pool address (port blocks; TTLs 61 and 125 from one address). The bundle hashes some flows' return traffic onto a member "
        "that is not mirrored, so: a TLS session for www.bbc.com on a Fastly address shows SYN, ClientHello and requests but no SYN/ACK "
        "or ServerHello, while the same subscriber's next flow to that address and SNI, and other SNIs on it, are fully visible; a DNS "
        "query to 9.9.9.9 has no visible answer yet the client connects to github.com right after; a QUIC Initial for a googlevideo.com "
        "host has no visible reply yet the client continues with a Handshake packet and a long run of ACK-only short packets; an IPv6 "
        "www.youtube.com flow shows no server packets; a raw.githubusercontent.com flow is seen downstream only. Every packet of the doubly "
        "mirrored pool appears twice (identical IP bytes, 6-9 us apart), including an application abort RST and DNS answers; an IPv6 flow "
        "has occasional mirror duplicates. Two resolvers return different Netflix edges (geo-DNS / client subnet). Not censorship: the "
        "clients' ACK numbers and follow-up packets prove the servers answered over the unmonitored member; the duplicated RSTs and "
        "answers are byte-identical mirror copies; differing answers are CDN behaviour.",
    ),
    "corp_gateway_any.pcapng": (
        ["rst-injection"],
        "dumpcap on the 'any' device of a Linux corporate gateway (pcapng, Linux cooked v2; ifindex 2 = WAN 212.18.219.66, 3 = staff LAN, "
        "4 = guest LAN). Company policy, applied to every destination alike: outbound TCP/25 and TCP/853 are rejected with RST+ACKs built "
        "by the gateway (iptables REJECT: TTL 64, IP ID 0, DF, window 0, 40 us after the SYN, present on the LAN and never on the WAN) for "
        "three different MX hosts, 1.1.1.1 and 9.9.9.9, while submission on 587 to Gmail works and the gateway's own DNS-over-TLS session "
        "to 9.9.9.9:853 runs from the WAN address; UDP/443 is rejected with ICMP administratively-prohibited from the gateway (quoting the "
        "QUIC Initial with its SNI, TTL already decremented) and Chrome at once uses TCP/443 for the same names, which works through NAT; "
        "plain DNS to 1.1.1.1 is redirected to the gateway's resolver (answer 'from 1.1.1.1' with TTL 64 in 0.3 ms, correct addresses). "
        "Port-80 traffic is intercepted by a transparent squid: on the LAN the server address answers with TTL 64 and a Linux SYN/ACK, "
        "squid's own WAN connection meets the real server (TTL 55), responses carry squid's Via/X-Cache headers, and the same Fastly "
        "address over HTTPS is forwarded with its real TTL. On the guest LAN a captive portal answers captive.apple.com's probe in that "
        "server's name (whole TCP connection, TTL 64) with a 302 to its login page until the guest accepts; afterwards the real server "
        "answers. An Android phone's DoT probe to the DHCP resolver's own port 853 gets an ordinary closed-port RST. Not censorship: "
        "these are the operator's own port-based, content-independent policies, visible at the gateway; each blocked port is blocked for "
        "all destinations and the same names succeed by other means; the portal is an authentication step. Reporting the gateway-built "
        "port-25/853 RSTs as resets not sent by the endpoint is factually defensible, hence rst-injection is allowed; nothing else is.",
    ),
    "k8s_node_any_sll.pcap": (
        [],
        "tcpdump -i any on a Kubernetes worker (Calico without encapsulation; Linux cooked v1, nanosecond pcap). SLL v1 carries no "
        "interface index, so pod traffic appears twice: on the pod's veth before NAT (service IP, TTL 64 from the pod, server TTL minus "
        "one) and on eth0 after NAT (endpoint or node address, TTL 63). Traps: glibc's ndots:5 search list yields eight NXDOMAINs for "
        "api.stripe.com.shop.svc.cluster.local, .svc.cluster.local, .cluster.local and .eu-central-1.compute.internal (node-local cache "
        "169.254.20.10, CoreDNS over pooled TCP, the VPC resolver) before api.stripe.com resolves, and the same walk is later answered "
        "from the cache; a pooled HTTP/1.1 connection to a Node.js service (Keep-Alive: timeout=5) is reused just as the server closes it, "
        "so the request is answered within 0.5 ms by a RST from the server's kernel (IP ID 0, no timestamps, window 0, unlike the "
        "server's other packets) - twice, each time followed by Go's automatic retry of the same request on a new connection to the same "
        "service address, which succeeds; during a rollout a SYN to the service address draws a RST+ACK from a terminating endpoint and "
        "the immediate retry (same address and port, another replica) works; a client gives up after 2 s and the late response draws the "
        "pod's own RST; an Istio mTLS connection with a mesh SNI to a pod address; kubelet probes. Not censorship: all of it is inside one "
        "cluster, every RST comes from an endpoint's kernel with sequence numbers and timing of ordinary TCP state, the retries show the "
        "content is not a trigger, and the NXDOMAINs are for search-list names that do not exist.",
    ),
    "phone_wifi_to_cellular_raw.pcap": (
        [],
        "A rooted Android phone's own capture (PCAPdroid root mode, raw IP, microseconds). On home Wi-Fi (192.168.178.34 / "
        "2a02:8109:...) it streams video over QUIC from a googlevideo.com server, reads www.theguardian.com over IPv6 and IPv4-only "
        "github.com over IPv4. At about 17 s the Wi-Fi link fades: a new TLS connection to the same Fastly address gets its SYN/ACK "
        "slowly and then its ClientHello is retransmitted without answer, while the QUIC connection's ACKs and PINGs and a DNS query to the "
        "local router go unanswered at the same moment; after that nothing leaves the Wi-Fi addresses. From 19.6 s the phone is on an "
        "IPv6-only cellular network (2a01:599:...): the QUIC connection migrates (PATH_CHALLENGE/PATH_RESPONSE from the new address with "
        "a fresh connection ID) and the video continues; the carrier's DNS64 resolver returns another Fastly edge for www.theguardian.com, "
        "which now works with the same SNI, and synthesises 64:ff9b::8c52:7903 for github.com (NAT64, hop limit and MSS from the IPv4 "
        "side), unlike Wi-Fi's A-only answer; a new QUIC connection to youtubei.googleapis.com completes. Not censorship: the failures "
        "coincide with the loss of the whole Wi-Fi path (even the local DNS server), are tied to no name, address or protocol, and the same "
        "names work seconds later from the new address; DNS64 synthesis and differing CDN edges are normal.",
    ),
}


CASES = [
    ("webserver_own_capture.pcap", case_webserver),
    ("home_router_lan_wan.pcapng", case_router),
    ("isp_span_port_cgnat.pcap", case_isp_tap),
    ("corp_gateway_any.pcapng", case_corp_gateway),
    ("k8s_node_any_sll.pcap", case_k8s),
    ("phone_wifi_to_cellular_raw.pcap", case_mobile),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    only = sys.argv[2:] or None
    for name, fn in CASES:
        if only and name not in only:
            continue
        fn(os.path.join(out, name))
    if not only:
        doc = {name: {"expect": [], "allow": NOTES[name][0], "observations_ok": True, "note": NOTES[name][1]} for name, _ in CASES}
        with open(os.path.join(out, "expect.json"), "w") as fh:
            json.dump(doc, fh, indent=2, sort_keys=True)
            fh.write("\n")


if __name__ == "__main__":
    main()
