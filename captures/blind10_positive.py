#!/usr/bin/env python3
# ruff: noqa: E501, B905, E741, RUF046
"""Blind positive test set (batch 10): six client-side captures, one censorship mechanism each.

usage: python blind10_positive.py OUTDIR

Deterministic: every random choice comes from per-case seeded generators and every
timestamp from a fixed per-case epoch, so repeated runs write identical bytes.
"""
import calendar
import heapq
import itertools
import json
import os
import random
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from scapy.all import IP, TCP, UDP, IPv6, Raw, raw

# ----------------------------------------------------------------------------
# capture container and writers
# ----------------------------------------------------------------------------

LINKTYPE = {"eth": 1, "vlan": 1, "sll2": 276, "raw": 101}


def mac(s):
    return bytes.fromhex(s.replace(":", ""))


def epoch(y, mo, d, h, mi, s):
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))


class Cap:
    """Packets of one capture: (time ns, insertion no, interface, link-layer bytes, tag)."""

    def __init__(self, fname, base, ifaces, fmt="pcap", endian="<", nsec=False, shb=None):
        self.fname, self.base, self.ifaces = fname, base, ifaces
        self.fmt, self.endian, self.nsec, self.shb = fmt, endian, nsec, shb or {}
        self.recs = []
        self._sorted = None

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
        if k == "eth":
            fr = dst + src + struct.pack("!H", et) + ipb
        else:
            fr = dst + src + struct.pack("!HHH", 0x8100, (f.get("pcp", 0) << 13) | f["vlan"], et) + ipb
        if not out and len(fr) < 60:  # frames received from the wire arrive padded
            fr += b"\0" * (60 - len(fr))
        return fr

    def add(self, t, pkt, out, iface=0, tag=None):
        ipb = pkt if isinstance(pkt, bytes) else raw(pkt)
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        self.recs.append((tns, len(self.recs), iface, self.link(iface, ipb, out), tag))
        self._sorted = None

    def sorted(self):
        if self._sorted is None:
            self._sorted = sorted(self.recs, key=lambda r: (r[0], r[1]))
        return self._sorted

    def frame(self, tag):
        for i, r in enumerate(self.sorted()):
            if r[4] == tag:
                return i + 1
        raise KeyError(tag)

    def fno(self, idx):
        """frame number of the packet added as the idx-th record"""
        for i, r in enumerate(self.sorted()):
            if r[1] == idx:
                return i + 1
        raise KeyError(idx)

    def frames(self, prefix):
        return [i + 1 for i, r in enumerate(self.sorted()) if r[4] and r[4].startswith(prefix)]

    def write(self, path):
        E = self.endian
        out = bytearray()
        recs = self.sorted()
        if self.fmt == "pcap":
            lt = LINKTYPE[self.ifaces[0]["link"]]
            out += struct.pack(E + "IHHiIII", 0xA1B23C4D if self.nsec else 0xA1B2C3D4, 2, 4, 0, 0, 262144, lt)
            for tns, _, _, b, _ in recs:
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

            so = b"".join(opt(c, v.encode()) for c, v in ((2, self.shb.get("hw", "")), (3, self.shb.get("os", "")), (4, self.shb.get("app", ""))) if v)
            out += blk(0x0A0D0D0A, struct.pack(E + "IHHq", 0x1A2B3C4D, 1, 0, -1) + so + struct.pack(E + "HH", 0, 0))
            for f in self.ifaces:
                io = opt(2, f["name"].encode()) + opt(9, bytes([f.get("tsresol", 6)]))
                if f.get("os"):
                    io += opt(12, f["os"].encode())
                out += blk(1, struct.pack(E + "HHI", LINKTYPE[f["link"]], 0, 262144) + io + struct.pack(E + "HH", 0, 0))
            for tns, _, ifc, b, _ in recs:
                res = self.ifaces[ifc].get("tsresol", 6)
                ts = tns if res == 9 else tns // 1000
                out += blk(6, struct.pack(E + "IIIII", ifc, ts >> 32, ts & 0xFFFFFFFF, len(b), len(b)) + b)
        with open(path, "wb") as fh:
            fh.write(bytes(out))


# ----------------------------------------------------------------------------
# IP / TCP
# ----------------------------------------------------------------------------


def mk_ip(src, dst, ttl, ipid=0, df=True, fl=0, tos=0):
    if ":" in src:
        return IPv6(src=src, dst=dst, hlim=ttl, fl=fl, tc=tos)
    return IP(src=src, dst=dst, ttl=ttl, id=ipid & 0xFFFF, flags="DF" if df else 0, tos=tos)


PROFILES = {
    # syn window, window scale, ts, SYN option layout
    "linux": dict(synwin=64240, ws=7, ts=True, win0=502),
    "linuxsrv": dict(synwin=65160, ws=7, ts=True, win0=509),
    "mac": dict(synwin=65535, ws=6, ts=True, win0=2058),
    "cdn": dict(synwin=65535, ws=9, ts=True, win0=128),
    "nots": dict(synwin=65535, ws=8, ts=False, win0=1026),
}


class Flow:
    """One TCP connection seen from the client. Client packets are stamped when sent,
    server packets when they arrive; owd = rtt/2 each way."""

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
        self.last_cts, self.last_sts = 0, 0
        self.c_got, self.s_got, self.s_tx = 0, 0, 0
        self.cwnd, self.ssthresh = 10.0, 1e9

    # -- windows
    def cwin(self):
        if self.ctx.cos == "mac":
            return 2058
        inorder = (self.c_rcv - self.siss) & 0xFFFFFFFF if self.c_rcv else 0
        return min(self.cp["win0"] + inorder // 512, 24500)

    def swin(self):
        return min(self.sp["win0"] + self.s_got // 512, 4000)

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

    def c(self, t, flags, payload=b"", seq=None, ack=None, win=None, sack=None, tag=None, opts=True):
        adv = seq is None
        seq = self.cnxt if seq is None else seq
        ack = self.c_rcv if ack is None else ack
        if win is None:
            win = self.cp["synwin"] if flags == "S" else self.cwin()
        o = self._opts(True, t, flags, sack) if opts else []
        ip = mk_ip(self.cip, self.sip, self.ctx.cttl, self.ctx.ipid(self), True, self.cfl)
        tcp = TCP(sport=self.sport, dport=self.dport, seq=seq & 0xFFFFFFFF, ack=(ack & 0xFFFFFFFF) if "A" in flags else 0, flags=flags, window=win, options=o)
        self.cap.add(t, ip / tcp / Raw(payload) if payload else ip / tcp, True, self.iface, tag)
        if adv:
            self.cnxt += len(payload) + ("S" in flags) + ("F" in flags)
        self.s_got += len(payload)

    def s(self, t, flags, payload=b"", seq=None, ack=None, win=None, tag=None, ttl=None):
        adv = seq is None
        seq = self.snxt if seq is None else seq
        ack = self.s_rcv if ack is None else ack
        if win is None:
            win = self.sp["synwin"] if "S" in flags else self.swin()
        o = self._opts(False, t, flags)
        if self.s_ipid == "inc":
            ipid = self.sid
            self.sid = (self.sid + 1) & 0xFFFF
        elif self.s_ipid == "zero":
            ipid = 0
        else:
            ipid = self.ctx.rng.randrange(65536)
        ip = mk_ip(self.sip, self.cip, ttl or self.sttl, ipid, self.s_df, self.sfl)
        tcp = TCP(sport=self.dport, dport=self.sport, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF, flags=flags, window=win, options=o)
        self.cap.add(t, ip / tcp / Raw(payload) if payload else ip / tcp, False, self.iface, tag)
        if payload:
            self.last_s_idx = len(self.cap.recs) - 1
        if adv:
            self.snxt += len(payload) + ("S" in flags) + ("F" in flags)
        self.c_got += len(payload)

    def stack_rst(self, t, seq, tag=None):
        """RST the client kernel sends for a segment of a connection it no longer has."""
        ip = mk_ip(self.cip, self.sip, self.ctx.cttl, self.ctx.rng.randrange(65536) if self.ctx.cos == "mac" else 0, True, self.cfl)
        self.cap.add(t, ip / TCP(sport=self.sport, dport=self.dport, seq=seq & 0xFFFFFFFF, flags="R", window=0), True, self.iface, tag)

    def forged(self, t, flags, seq, ack, ttl, ipid, df, win, tag=None):
        """A packet that claims to come from the server but was made by a box on the path."""
        ip = mk_ip(self.sip, self.cip, ttl, ipid, df, self.sfl)
        tcp = TCP(sport=self.dport, dport=self.sport, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF if "A" in flags else 0, flags=flags, window=win)
        self.cap.add(t, ip / tcp, False, self.iface, tag)

    # -- composite steps
    def handshake(self, t, tag=None):
        self.c(t, "S", tag=tag and tag + "syn")
        self.c_rcv = self.siss + 1
        self.s_rcv = self.ciss + 1
        ta = t + self.rtt
        self.s(ta, "SA", tag=tag and tag + "synack")
        t2 = ta + self.ctx.rng.uniform(0.00003, 0.00012)
        self.c(t2, "A")
        return t2

    def send_c(self, t, data, tag=None):
        """Client sends data (small: a request); segments of self.seg bytes."""
        off = 0
        while off < len(data):
            chunk = data[off:off + self.seg]
            off += len(chunk)
            self.c(t, "PA" if off >= len(data) else "A", chunk, tag=tag if off >= len(data) else None)
            t += 0.000012
        self.s_rcv = self.cnxt
        return t

    def bulk(self, t0, data, rate=50e6, drop=None, t_limit=60.0, tag=None, final_ack=True):
        return bulk(self, t0, data, rate, drop, t_limit, tag, final_ack)

    def close_client(self, t, alert=True, fin_answer=True):
        """Client sends close_notify (if TLS) and FIN; server answers with its own."""
        rng = self.ctx.rng
        if alert:
            self.c(t, "PA", b"\x17\x03\x03\x00\x13" + rng.randbytes(19))
            t += 0.00003
        self.c(t, "FA")
        if not fin_answer:
            return t
        ts = t + self.rtt
        self.s_rcv = self.cnxt
        if alert:  # the peer's close_notify reaches a socket already closed: the kernel answers RST
            self.s(ts, "FPA", b"\x17\x03\x03\x00\x13" + rng.randbytes(19))
            self.stack_rst(ts + 0.00004, self.cnxt)
            return ts + 0.00004
        self.s(ts, "FA")
        self.c_rcv = self.snxt
        self.c(ts + 0.00004, "A")
        return ts + 0.00004

    def close_server(self, t):
        """Server closes first (HTTP/1.1 Connection: close); client FIN follows."""
        self.s(t, "FA")
        self.c_rcv = self.snxt
        t2 = t + self.ctx.rng.uniform(0.0002, 0.002)
        self.c(t2, "FA")
        self.s_rcv = self.cnxt
        self.s(t2 + self.rtt, "A")
        return t2 + self.rtt


class TokenBucket:
    def __init__(self, rate_bps, depth):
        self.r, self.depth, self.tok, self.t = rate_bps / 8.0, depth, float(depth), None

    def __call__(self, t, size, end):
        if self.t is not None:
            self.tok = min(self.depth, self.tok + (t - self.t) * self.r)
        self.t = t
        if self.tok >= size:
            self.tok -= size
            return False
        return True


class Budget:
    """Drop every server segment past `limit` payload bytes of the connection."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, t, size, end):
        return end > self.limit


def bulk(fl, t0, data, rate, drop, t_limit, tag, final_ack=True):
    """Server->client transfer with slow start, SACK loss recovery and RTO.
    t0: departure of the first segment from the server (client clock).  Client
    ACKs every second segment (40 ms delayed ACK), immediately with SACK when out
    of order.  Returns the time of the last client-side packet."""
    rng = fl.ctx.rng
    owd, mss = fl.owd, fl.seg
    segs = []
    off = 0
    while off < len(data):
        n = min(mss, len(data) - off)
        segs.append([off, n, "new", 0])
        off += n
    N = len(segs)
    base = fl.snxt
    conn0 = fl.s_tx
    ev, cnt = [], itertools.count()

    def push(t, kind, x):
        heapq.heappush(ev, (t, next(cnt), kind, x))

    st = dict(link=0.0, srv=t0, una=0, nxt=0, inrec=False, recpt=0, rto_gen=0, rto_on=False, backoff=1,
              rcv=0, ooo=[], pend=0, dgen=0, last=t0, recent=None, maxsent=0)
    rto = max(0.2 + fl.rtt, 0.21)

    def pipe():
        return sum(1 for i in range(st["una"], st["nxt"]) if segs[i][2] == "out")

    def arm(now):
        st["rto_gen"] += 1
        st["rto_on"] = True
        push(now + rto * st["backoff"], "rto", st["rto_gen"])

    def send(now):
        rwnd = max(2, (fl.cwin() << fl.cp["ws"]) // mss)
        while pipe() < min(int(fl.cwnd), rwnd):
            lost = [i for i in range(st["una"], st["nxt"]) if segs[i][2] == "lost"]
            if lost:
                i = lost[0]
                segs[i][3] += 1
            elif st["nxt"] < N:
                i = st["nxt"]
                st["nxt"] += 1
            else:
                break
            segs[i][2] = "out"
            dep = max(now, st["srv"])
            st["srv"] = dep + (segs[i][1] + 80) * 8 / 1e9
            size = segs[i][1] + 52
            end = segs[i][0] + segs[i][1]
            st["maxsent"] = max(st["maxsent"], end)
            if not st["rto_on"]:
                arm(now)
            if drop and drop(dep + owd * 0.8, size, conn0 + end):
                continue
            start = max(dep + owd, st["link"])
            st["link"] = start + size * 8 / rate
            push(st["link"], "arr", i)

    def client_ack(t, sack=False):
        blocks = []
        if sack and st["ooo"]:
            rec = st["recent"]
            order = sorted(st["ooo"], key=lambda b: 0 if rec and b[0] <= rec[0] < b[1] else 1)
            blocks = [(base + b[0], base + b[1]) for b in order[:3]]
        fl.c_rcv = base + st["rcv"]
        fl.c(t, "A", seq=fl.cnxt, sack=blocks or None)
        push(t + owd, "ackarr", (st["rcv"], [tuple(b) for b in st["ooo"]]))
        st["pend"] = 0
        st["last"] = t

    send(t0)
    done_t = None
    while ev:
        t, _, kind, x = heapq.heappop(ev)
        if t > t_limit:
            break
        if kind == "arr":
            i = x
            l, n = segs[i][0], segs[i][1]
            r = l + n
            last_seg = i == N - 1
            psh = last_seg or (l // 32768 != r // 32768)
            stag = None
            if tag and segs[i][3] == 0 and i == 0:
                stag = tag + "data"
            elif tag and segs[i][3] > 0:
                st["nrtx"] = st.get("nrtx", 0) + 1
                stag = f"{tag}rtx{st['nrtx']}"
            fl.s(t, "PA" if psh else "A", data[l:r], seq=base + l, tag=stag)
            st["last"] = st["last_arr"] = t
            ta = t + rng.uniform(0.00002, 0.00009)
            if r <= st["rcv"] or any(b[0] <= l and r <= b[1] for b in st["ooo"]):
                client_ack(ta, True)
            elif l == st["rcv"]:
                had = bool(st["ooo"])
                st["rcv"] = r
                while st["ooo"] and st["ooo"][0][0] <= st["rcv"]:
                    st["rcv"] = max(st["rcv"], st["ooo"].pop(0)[1])
                if st["rcv"] >= len(data):  # everything is in
                    if had or st["pend"] + 1 >= 2:
                        client_ack(ta, had)
                    elif final_ack:
                        client_ack(t + 0.04)
                    done_t = t
                    break
                if had:
                    client_ack(ta, True)
                else:
                    st["pend"] += 1
                    if st["pend"] >= 2 or (psh and st["pend"] and rng.random() < 0.3):
                        client_ack(ta)
                    else:
                        st["dgen"] += 1
                        push(t + 0.04, "dack", st["dgen"])
            else:
                st["ooo"].append([l, r])
                st["ooo"].sort()
                merged = []
                for b in st["ooo"]:
                    if merged and b[0] <= merged[-1][1]:
                        merged[-1][1] = max(merged[-1][1], b[1])
                    else:
                        merged.append(list(b))
                st["ooo"] = merged
                st["recent"] = (l, r)
                client_ack(ta, True)
        elif kind == "dack":
            if x == st["dgen"] and st["pend"]:
                client_ack(t)
        elif kind == "ackarr":
            cum, blocks = x
            old_una = st["una"]
            for i in range(st["una"], st["nxt"]):
                if segs[i][0] + segs[i][1] <= cum:
                    segs[i][2] = "acked"
            while st["una"] < N and segs[st["una"]][2] == "acked":
                st["una"] += 1
            newly = st["una"] - old_una
            for i in range(st["una"], st["nxt"]):
                if segs[i][2] in ("out", "lost") and any(b[0] <= segs[i][0] and segs[i][0] + segs[i][1] <= b[1] for b in blocks):
                    segs[i][2] = "sacked"
            for _ in range(newly):
                if st["inrec"]:
                    break
                fl.cwnd += 1.0 if fl.cwnd < fl.ssthresh else 1.0 / fl.cwnd
            sacked_above = 0
            newloss = False
            for i in range(st["nxt"] - 1, st["una"] - 1, -1):
                if segs[i][2] == "sacked":
                    sacked_above += 1
                elif segs[i][2] == "out" and sacked_above >= 3 and segs[i][3] == 0:
                    segs[i][2] = "lost"
                    newloss = True
            if newloss and not st["inrec"]:
                st["inrec"], st["recpt"] = True, st["nxt"]
                fl.ssthresh = max(2.0, fl.cwnd * 0.7)
                fl.cwnd = fl.ssthresh
            if st["inrec"] and st["una"] >= st["recpt"]:
                st["inrec"] = False
            if newly:
                st["backoff"] = 1
                st["rto_on"] = False
                if st["una"] < st["nxt"]:
                    arm(t)
            if st["una"] >= N:
                st["rto_on"] = False
                st["rto_gen"] += 1
                done_t = t
                continue
            send(t)
        elif kind == "rto":
            if x != st["rto_gen"] or st["una"] >= N:
                continue
            st["rto_on"] = False
            for i in range(st["una"], st["nxt"]):
                if segs[i][2] == "out":
                    segs[i][2] = "lost"
            fl.ssthresh = max(2.0, fl.cwnd * 0.7)
            fl.cwnd = 1.0
            st["inrec"] = False
            st["backoff"] *= 2
            send(t)
    fl.snxt = base + st["maxsent"]
    fl.s_tx = conn0 + st["maxsent"]
    fl.c_rcv = base + st["rcv"]
    fl.done_t = done_t
    fl.delivered = st["rcv"]
    fl.last_arr = st.get("last_arr", t0)
    return st["last"]


# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------


def u16(n):
    return struct.pack("!H", n)


def ext(code, body):
    return u16(code) + u16(len(body)) + body


def x25519_pub(rng):
    k = X25519PrivateKey.from_private_bytes(rng.randbytes(32))
    return k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


GREASE = [0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A, 0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A, 0xAAAA, 0xBABA, 0xCACA, 0xDADA, 0xEAEA, 0xFAFA]


def client_hello(rng, sni, alpn=("h2", "http/1.1"), profile="firefox"):
    """A well-formed TLS 1.3 ClientHello record; returns (record bytes, session id)."""
    rnd, sid = rng.randbytes(32), rng.randbytes(32)
    alpn_b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    sni_ext = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()) if sni else b""
    pub = x25519_pub(rng)
    if profile == "chrome":
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
    exts = [e for e in exts if e]
    body = b"\x03\x03" + rnd + b"\x20" + sid + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00"
    el = b"".join(exts)
    hlen = len(body) + 2 + len(el)
    if hlen < 508:  # pad like browsers do so the ClientHello is at least 512 bytes
        pad = 508 - hlen - 4
        el += ext(21, b"\x00" * max(pad, 0))
    body += u16(len(el)) + el
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + u16(len(hs)) + hs, sid


def server_flight(rng, sid, cert_len):
    """ServerHello + ChangeCipherSpec + encrypted handshake (random bytes)."""
    pub = x25519_pub(rng)
    exts = ext(43, u16(0x0304)) + ext(51, u16(0x1D) + u16(32) + pub)
    body = b"\x03\x03" + rng.randbytes(32) + b"\x20" + sid + u16(0x1301) + b"\x00" + u16(len(exts)) + exts
    hs = b"\x02" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x03" + u16(len(hs)) + hs + b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, cert_len)


def app_rec(rng, n):
    return b"\x17\x03\x03" + u16(n + 17) + rng.randbytes(n + 17)


def app_stream(rng, n, first=16384):
    out = bytearray()
    while n > 0:
        k = min(n, first, 16384)
        out += app_rec(rng, k)
        n -= k
    return bytes(out)


# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------

QT = {"A": 1, "AAAA": 28, "CNAME": 5, "OPT": 41}


def dns_msg(txid, flags, qname, qtype, answers=(), edns=None, ar_override=None):
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
        out.extend(b"\x00" + struct.pack("!HHIH", 41, edns, 0, 0))
    return bytes(out)


def chain(qname, cnames, addrs, ttl_c, ttl_a, qtype="A"):
    """Answer section: qname -> cname1 -> ... -> addresses."""
    ans, cur = [], qname
    for c in cnames:
        ans.append((cur, "CNAME", ttl_c, c))
        cur = c
    for a in addrs:
        ans.append((cur, qtype, ttl_a, a))
    return ans


# ----------------------------------------------------------------------------
# per-case context and composite helpers
# ----------------------------------------------------------------------------


class Ctx:
    def __init__(self, cap, seed, cip=None, cip6=None, cos="linux", cttl=64, mss4=1460, mss6=1440, iface=0,
                 resolver=None, resolver6=None, rttl=60, dns_rtt=0.02, edns=None, qflags=0x0100):
        self.cap, self.rng = cap, random.Random(seed)
        self.cip, self.cip6, self.cos, self.cttl = cip, cip6, cos, cttl
        self.mss4, self.mss6, self.iface = mss4, mss6, iface
        self.resolver, self.resolver6, self.rttl, self.dns_rtt = resolver, resolver6, rttl, dns_rtt
        self.edns, self.qflags = edns, qflags
        self.used = set()
        self.r_ipid = None  # None: random per response; int: consecutive counter

    def port(self):
        while True:
            p = self.rng.randrange(32768, 61000)
            if p not in self.used:
                self.used.add(p)
                return p

    def ipid(self, fl):
        if self.cos == "mac":
            return self.rng.randrange(65536)
        v = fl.cid
        fl.cid = (fl.cid + 1) & 0xFFFF
        return v

    def resp_ipid(self):
        if self.r_ipid is None:
            return self.rng.randrange(65536)
        v = self.r_ipid
        self.r_ipid = (self.r_ipid + 1) & 0xFFFF
        return v

    def lookup(self, t, qname, ans_a=(), ans_aaaa=(), v6=False, iface=None, rtt=None, rflags=0x8180, tag=None, aaaa=True, redns=None):
        """glibc-style A + AAAA from one connected UDP socket; answers are lists for
        dns_msg (use chain()). Returns the time the last answer arrived."""
        rng = self.rng
        iface = self.iface if iface is None else iface
        rtt = rtt or self.dns_rtt
        src, dst = (self.cip6, self.resolver6) if v6 else (self.cip, self.resolver)
        sport = self.port()
        qid = rng.randrange(1, 65536)
        fl = rng.getrandbits(20)
        qs = [("A", ans_a)] + ([("AAAA", ans_aaaa)] if aaaa else [])
        tq = t
        ids = []
        for qt, _ in qs:
            txid = rng.randrange(65536)
            ids.append(txid)
            q = dns_msg(txid, self.qflags, qname, qt, edns=self.edns)
            self.cap.add(tq, mk_ip(src, dst, self.cttl, qid, True, fl) / UDP(sport=sport, dport=53) / Raw(q), True, iface, tag and f"{tag}q{qt}")
            qid += 1
            tq += rng.uniform(0.00003, 0.0001)
        rs = []
        for (qt, ans), txid in zip(qs, ids):
            ta = t + rtt * rng.uniform(0.9, 1.15)
            rs.append((ta, qt, dns_msg(txid, rflags, qname, qt, ans, edns=redns if redns is not None else self.edns)))
        for ta, qt, r in sorted(rs):
            self.cap.add(ta, mk_ip(dst, src, self.rttl, self.resp_ipid(), False) / UDP(sport=53, dport=sport) / Raw(r), False, iface, tag and f"{tag}r{qt}")
        return max(max(r[0] for r in rs), t + rtt)

    def https(self, t, sip, sni, rtt, sttl, resp=20000, rate=30e6, cert=3200, req=420, think=0.015, close="client",
              profile="firefox", sos="linuxsrv", iface=None, smss=1460, alpn=("h2", "http/1.1"), tag=None, drop=None, t_limit=1e9):
        """A complete HTTPS exchange. Returns (flow, time of last packet)."""
        rng = self.rng
        fl = Flow(self, sip, 443, rtt, sttl, sos=sos, iface=iface, smss=smss)
        t = fl.handshake(t, tag)
        t += rng.uniform(0.0002, 0.0012)
        ch, sid = client_hello(rng, sni, alpn, profile)
        t = fl.send_c(t, ch, tag and tag + "ch")
        t = fl.bulk(t + fl.owd + rng.uniform(0.0004, 0.002), server_flight(rng, sid, cert), rate, drop, t_limit, tag and tag + "sh", final_ack=False)
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

    def http(self, t, sip, host, rtt, sttl, path="/", status="200 OK", headers=(), body=b"", ua=None, sos="linuxsrv", iface=None, rate=20e6, tag=None, close="server"):
        rng = self.rng
        fl = Flow(self, sip, 80, rtt, sttl, sos=sos, iface=iface)
        t = fl.handshake(t, tag)
        ua = ua or "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        req = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {ua}\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
               "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()
        t = fl.send_c(t + rng.uniform(0.0002, 0.001), req, tag and tag + "get")
        resp = f"HTTP/1.1 {status}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers) + b"\r\n" + body
        t = fl.bulk(t + fl.owd + rng.uniform(0.002, 0.03), resp, rate, None, 1e9, tag and tag + "resp")
        if close == "server":
            t = fl.close_server(t + rng.uniform(0.0001, 0.002))
        elif close == "client":
            t = fl.close_client(t + rng.uniform(1.0, 4.0), alert=False)
        return fl, t


def html_body(rng, n, title):
    words = ["news", "weather", "sport", "market", "update", "report", "local", "city", "photo", "video", "science", "travel", "health", "music"]
    out = [f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"]
    size = len(out[0])
    while size < n:
        s = "<p>" + " ".join(rng.choice(words) for _ in range(rng.randrange(8, 20))) + "</p>\n"
        out.append(s)
        size += len(s)
    out.append("</body></html>\n")
    return "".join(out).encode()


# ----------------------------------------------------------------------------
# case 1: THR-03 freeze toward a foreign data-centre IPv6 address
# ----------------------------------------------------------------------------


def case_thr03(outdir):
    ifaces = [
        dict(link="eth", name="eth0", cmac=mac("54:e1:ad:3c:91:07"), gmac=mac("e8:9f:80:61:2a:d4"), tsresol=6),
        dict(link="raw", name="wwan0", tsresol=9),
    ]
    cap = Cap("b10p_thr03_freeze_v6.pcapng", epoch(2025, 6, 18, 17, 14, 3), ifaces, fmt="pcapng", endian="<",
              shb=dict(hw="Intel(R) Core(TM) i5-10310U CPU @ 1.70GHz (with SSE4.2)", os="Linux 6.8.0-60-generic", app="Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"))
    ctx = Ctx(cap, 1001, cip="192.168.0.42", cip6="2a00:1fa1:c2d4:58e0:9d3a:41f6:e2b7:c19", mss6=1440, iface=1,
              resolver="192.168.0.1", resolver6="2a00:1fa0:42d8::2", rttl=61, dns_rtt=0.031, edns=None)
    rng = ctx.rng
    WW, ETH = 1, 0
    target, tip = "cloud.kaiser-it.de", "2a01:4f8:c012:7e21::1"
    tip4 = "49.13.88.214"

    def lk6(t, name, a, aaaa, rtt=None, tag=None):
        return ctx.lookup(t, name, a, aaaa, v6=True, iface=WW, rtt=rtt, tag=tag)

    def lk4(t, name, a, aaaa):
        ctx.rttl = 64
        r = ctx.lookup(t, name, a, aaaa, v6=False, iface=ETH, rtt=0.0009)
        ctx.rttl = 61
        return r

    # background over wwan0 (IPv6, same mobile path) and eth0 (IPv4 LAN uplink)
    t = lk6(0.412, "ya.ru", chain("ya.ru", [], ["5.255.255.242", "77.88.44.242"], 0, 600), chain("ya.ru", [], ["2a02:6b8::2:242"], 0, 600, "AAAA"))
    ctx.https(t + 0.0004, "2a02:6b8::2:242", "ya.ru", 0.0142, 57, resp=61000, rate=38e6, cert=3900, profile="chrome", iface=WW, close=None)
    t = lk4(1.903, "www.gosuslugi.ru", chain("www.gosuslugi.ru", [], ["213.59.254.7"], 0, 300), [])
    ctx.https(t + 0.0003, "213.59.254.7", "www.gosuslugi.ru", 0.0113, 54, resp=38000, rate=60e6, cert=4800, profile="chrome", iface=ETH)
    t = lk6(3.117, "yastatic.net", chain("yastatic.net", [], ["178.154.131.215"], 0, 3600), chain("yastatic.net", [], ["2a02:6b8:20::215"], 0, 3600, "AAAA"))
    ctx.https(t + 0.0005, "2a02:6b8:20::215", "yastatic.net", 0.0139, 57, resp=84000, rate=38e6, cert=3900, profile="chrome", iface=WW, close=None)

    # the target: three connections, each frozen after 15-20 KB from the server
    tl = lk6(5.804, target, chain(target, [], [tip4], 0, 3600), chain(target, [], [tip], 0, 3600, "AAAA"), tag="tdns")
    budgets = [17216, 15872, 18944]
    t = tl + 0.0006
    conns = []
    for k, b in enumerate(budgets):
        tag = f"c{k + 1}"
        fl, tf = ctx.https(t, tip, target, 0.0583, 50, resp=4_000_000, rate=35e6, cert=3350, req=390, think=0.021, close=None,
                           profile="chrome", iface=WW, tag=tag, drop=Budget(b), t_limit=t + 12.0)
        conns.append((fl, tf, b))
        # nothing arrives any more; after 20 s the client gives up: close_notify + FIN, retransmitted, unanswered
        tc = tf + 20.0 + rng.uniform(0.0, 0.3)
        alert = b"\x17\x03\x03\x00\x13" + rng.randbytes(19)
        alert_seq = fl.cnxt
        fl.c(tc, "PA", alert, tag=f"{tag}alert")
        fl.c(tc + 0.00004, "FA", tag=f"{tag}fin")
        rto, tr = 0.0583 + 0.2, tc
        for n in range(6):  # Linux retransmits the head segment, collapsed with the FIN
            tr += rto * (2 ** n)
            fl.c(tr, "FPA", alert, seq=alert_seq, tag=f"{tag}rtx{n}")
        t = tc + 0.0009 + rng.uniform(0.0, 0.002)  # the application retries right away on a new connection
        if k == 0:
            # other traffic keeps working while connection 1 is frozen
            tx = lk6(tf + 2.2, "sun9-74.userapi.com", chain("sun9-74.userapi.com", [], ["95.142.206.74"], 0, 300), chain("sun9-74.userapi.com", [], ["2a00:bdc0:3:103:1:0:403:74"], 0, 300, "AAAA"))
            ctx.https(tx + 0.0004, "2a00:bdc0:3:103:1:0:403:74", "sun9-74.userapi.com", 0.0171, 56, resp=412000, rate=32e6, cert=4100, profile="chrome", iface=WW)
            tx = lk4(tf + 6.4, "dzen.ru", chain("dzen.ru", [], ["62.217.160.2"], 0, 300), [])
            ctx.https(tx + 0.0003, "62.217.160.2", "dzen.ru", 0.0124, 55, resp=52000, rate=60e6, cert=3700, profile="chrome", iface=ETH)
        if k == 1:
            tx = lk6(tf + 4.1, "vk.com", chain("vk.com", [], ["87.240.132.72", "93.186.225.194"], 0, 300), chain("vk.com", [], ["2a00:bdc0:3:103:1:0:403:901"], 0, 300, "AAAA"))
            ctx.https(tx + 0.0004, "2a00:bdc0:3:103:1:0:403:901", "vk.com", 0.0168, 56, resp=96000, rate=32e6, cert=4100, profile="chrome", iface=WW)
            tx = lk6(tf + 9.7, "www.google.com", chain("www.google.com", [], ["142.250.74.100"], 0, 300), chain("www.google.com", [], ["2a00:1450:4010:c0e::63"], 0, 300, "AAAA"))
            ctx.https(tx + 0.0004, "2a00:1450:4010:c0e::63", "www.google.com", 0.0241, 116, resp=46000, rate=32e6, cert=3600, profile="chrome", iface=WW, sos="cdn")
    f = cap.frame
    last = [cap.fno(c[0].last_s_idx) for c in conns]
    about = (f"IPv6 over wwan0 (raw IP; eth0 is a second, Ethernet interface). {target} resolves to Hetzner {tip} (frames {f('tdnsqA')}-{f('tdnsrAAAA')}). "
             f"Three TLS connections to it (SYNs {f('c1syn')}, {f('c2syn')}, {f('c3syn')}) each complete the handshake and then receive server data only up to "
             f"{conns[0][0].c_got}, {conns[1][0].c_got}, {conns[2][0].c_got} bytes (last server segments {last[0]}, {last[1]}, {last[2]}); after that nothing from the server arrives, "
             f"no RST, and the client's close_notify+FIN (e.g. {f('c1alert')}-{f('c1fin')}) is retransmitted unanswered ({f('c1rtx0')}..{f('c1rtx5')}). "
             "Each new connection restarts the ~15-20 KB budget and freezes again, while Russian IPv6 services over the same wwan0 path (yastatic.net, sun9-74.userapi.com 412 KB, vk.com) download normally: the TSPU 'freeze' toward foreign hosting (THR-03).")
    info = {"expect": [{"mechanism": "throttling", "domain": target}],
            "allow": [{"mechanism": "blackhole", "domain": target}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 2: THR-01 SNI-based throttling of abs.twimg.com (Russia, March 2021), Linux SLL2
# ----------------------------------------------------------------------------


def case_thr01(outdir):
    ifaces = [dict(link="sll2", name="any", ifindex=3, cmac=mac("3c:58:c2:9e:0d:41"), gmac=mac("d8:07:b6:5a:c1:2e"))]
    cap = Cap("b10p_thr01_twimg_sll2.pcap", epoch(2021, 3, 16, 9, 41, 27), ifaces, fmt="pcap", endian="<", nsec=False)
    ctx = Ctx(cap, 2002, cip="192.168.1.34", resolver="192.168.1.1", rttl=64, dns_rtt=0.0041, edns=None)
    rng = ctx.rng
    cdn = "72.21.91.70"
    tw, ctl = "abs.twimg.com", "ajax.aspnetcdn.com"
    ans_tw = chain(tw, ["cs196.wac.edgecastcdn.net"], [cdn], 1712, 2410)
    ans_ctl = chain(ctl, ["mscomajax.vo.msecnd.net", "cs9.wac.phicdn.net"], [cdn], 3377, 1906)

    def bg(t, name, ip, rtt, ttl, resp, cnames=(), v6=None, **kw):
        ta = ctx.lookup(t, name, chain(name, list(cnames), [ip], 300, 300), chain(name, list(cnames), [v6], 300, 300, "AAAA") if v6 else chain(name, list(cnames), [], 300, 300, "AAAA"))
        return ctx.https(ta + rng.uniform(0.0002, 0.0009), ip, name, rtt, ttl, resp=resp, **kw)

    bg(0.151, "yandex.ru", "5.255.255.77", 0.0093, 55, 58000, rate=45e6, cert=3900, close=None)
    bg(1.433, "habr.com", "178.248.237.68", 0.0118, 56, 74000, rate=45e6, cert=3300)
    # control before: same Edgecast address, another SNI, fast
    t = ctx.lookup(3.012, ctl, ans_ctl, chain(ctl, ["mscomajax.vo.msecnd.net", "cs9.wac.phicdn.net"], [], 3377, 1906, "AAAA"), tag="ctldns")
    c1, _ = ctx.https(t + 0.0004, cdn, ctl, 0.0362, 53, resp=352000, rate=42e6, cert=2900, req=310, sos="cdn", tag="ctl1", close="client")
    bg(4.871, "github.com", "140.82.121.4", 0.0467, 49, 41000, rate=40e6, cert=2600)
    # throttled: SNI abs.twimg.com to the very same address
    t = ctx.lookup(7.504, tw, ans_tw, chain(tw, ["cs196.wac.edgecastcdn.net"], [], 1712, 2410, "AAAA"), tag="twdns")
    pol = TokenBucket(140e3, 15000)
    th, tend = ctx.https(t + 0.0005, cdn, tw, 0.0362, 53, resp=268000, rate=42e6, cert=2900, req=340, sos="cdn", tag="thr", drop=pol, close="client")
    bg(9.310, "vk.com", "87.240.190.78", 0.0152, 56, 88000, rate=45e6, cert=4100)
    bg(14.92, "mail.ru", "94.100.180.200", 0.0107, 56, 61000, rate=45e6, cert=3500)
    # control after: same address, other SNI, fast again (no congestion on the path)
    t = ctx.lookup(tend + 3.4, ctl, ans_ctl, chain(ctl, ["mscomajax.vo.msecnd.net", "cs9.wac.phicdn.net"], [], 3377, 1906, "AAAA"))
    c2, _ = ctx.https(t + 0.0004, cdn, ctl, 0.0362, 53, resp=287000, rate=42e6, cert=2900, req=310, sos="cdn", tag="ctl2", close="client")
    f = cap.frame

    def rate_of(fl, tagp):
        t0 = cap.sorted()[f(tagp + "ch") - 1][0] / 1e9 - cap.base
        return fl.c_got * 8 / (fl.last_arr - t0) / 1000

    rtx = cap.frames("thrresprtx")
    about = (f"Linux cooked (SLL2) capture, Russia, March 2021. {ctl} and {tw} both resolve to Edgecast {cdn} (frames {f('ctldnsrA')}, {f('twdnsrA')}). "
             f"With SNI {ctl} (ClientHello {f('ctl1ch')}, again {f('ctl2ch')} after the throttled transfer) the server delivers {c1.c_got // 1000} KB and {c2.c_got // 1000} KB at "
             f"~{rate_of(c1, 'ctl1') / 1000:.0f} and ~{rate_of(c2, 'ctl2') / 1000:.0f} Mbit/s; with SNI {tw} (ClientHello {f('thrch')}) the same address delivers {th.c_got // 1000} KB at only ~{rate_of(th, 'thr'):.0f} kbit/s, "
             f"because a policer drops whatever exceeds the rate: {len(rtx)} of its data segments are retransmissions (e.g. frames {rtx[0]}, {rtx[5]}, {rtx[10]}), with 'previous segment not captured' gaps and SACK duplicate ACKs. Same IP, same RTT, only the SNI differs: TSPU SNI throttling of *.twimg.com (THR-01).")
    info = {"expect": [{"mechanism": "throttling", "domain": tw}], "allow": [], "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 3: DNS-01 injection relayed by a home router (both answers from 192.168.1.1)
# ----------------------------------------------------------------------------


def case_dnsinj_router(outdir):
    ifaces = [dict(link="eth", name="enp0s31f6", cmac=mac("8c:16:45:2b:7e:93"), gmac=mac("cc:81:da:44:0f:19"))]
    cap = Cap("b10p_dnsinj_router_be.pcap", epoch(2024, 11, 5, 13, 22, 41), ifaces, fmt="pcap", endian=">", nsec=True)
    ctx = Ctx(cap, 3003, cip="192.168.1.100", resolver="192.168.1.1", rttl=64, dns_rtt=0.036, edns=1232)
    ctx.r_ipid = 0x3A17  # the router's own replies to us: one incrementing IP ID counter, DF clear
    rng = ctx.rng

    def bg(t, name, cn, ips, rtt, ttl, resp, v6=(), **kw):
        ta = ctx.lookup(t, name, chain(name, cn, ips, 600, 300), chain(name, cn, list(v6), 600, 300, "AAAA"), rtt=rng.uniform(0.012, 0.045))
        return ctx.https(ta + rng.uniform(0.0003, 0.001), ips[0], name, rtt, ttl, resp=resp, profile="chrome", **kw)

    bg(0.208, "www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66", "110.242.69.21"], 0.0284, 52, 96000, rate=80e6, cert=4300)
    bg(2.117, "www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], ["183.2.143.112"], 0.0319, 52, 71000, rate=80e6, cert=3600)
    bg(4.406, "s.taobao.com", ["s.taobao.com.danuoyi.tbcache.com"], ["223.109.148.179", "223.109.148.180"], 0.0251, 53, 42000, rate=80e6, cert=3900)

    # the injected lookup: systemd-resolved asks the router for A and AAAA (EDNS, RD)
    name, forged4, forged6 = "www.bbc.com", "31.13.94.49", "2a03:2880:f10c:83:face:b00c:0:25de"
    real_cn = ["bbc.map.fastly.net"]
    real4 = ["151.101.0.81", "151.101.64.81", "151.101.128.81", "151.101.192.81"]
    real6 = ["2a04:4e42::81", "2a04:4e42:200::81", "2a04:4e42:400::81", "2a04:4e42:600::81"]
    t = 6.913
    qs = []
    sport, ipid = ctx.port(), rng.randrange(65536)
    for k, qt in enumerate(("A", "AAAA")):
        txid = rng.randrange(65536)
        cap.add(t + k * 0.000061, mk_ip(ctx.cip, ctx.resolver, 64, ipid, True) / UDP(sport=sport, dport=53) / Raw(dns_msg(txid, 0x0100, name, qt, edns=1232)), True, 0, f"q{qt}")
        ipid += 1
        qs.append((qt, sport, txid))

    def relay(tr, qt, sport, txid, msg, tag):
        cap.add(tr, mk_ip(ctx.resolver, ctx.cip, 64, ctx.resp_ipid(), False) / UDP(sport=53, dport=sport) / Raw(msg), False, 0, tag)

    # forged answers race ahead: flags 0x8180, AN=1, AR=0 although the query carried EDNS, TTL 234
    relay(t + 0.0207, "A", qs[0][1], qs[0][2], dns_msg(qs[0][2], 0x8180, name, "A", [(name, "A", 234, forged4)]), "fA")
    relay(t + 0.0211, "AAAA", qs[1][1], qs[1][2], dns_msg(qs[1][2], 0x8180, name, "AAAA", [(name, "AAAA", 234, forged6)]), "fAAAA")
    # genuine answers from the upstream resolver follow, relayed too
    relay(t + 0.1874, "A", qs[0][1], qs[0][2], dns_msg(qs[0][2], 0x8180, name, "A", chain(name, real_cn, real4, 299, 30), edns=1232), "gA")
    relay(t + 0.1902, "AAAA", qs[1][1], qs[1][2], dns_msg(qs[1][2], 0x8180, name, "AAAA", chain(name, real_cn, real6, 299, 30, "AAAA"), edns=1232), "gAAAA")

    # the browser uses the first answer it got: SYNs to the forged address go unanswered
    fl = Flow(ctx, forged4, 443, 0.2, 50)
    ts = t + 0.0216
    for n, d in enumerate((0.0, 1.0, 2.0, 4.0)):
        ts += d
        fl.c(ts, "S", seq=fl.ciss, tag=f"fsyn{n}")

    bg(9.871, "www.bilibili.com", ["a.w.bilicdn1.com"], ["120.232.150.3", "120.232.150.4"], 0.0217, 53, 133000, rate=80e6, cert=3100)
    bg(13.32, "weibo.com", [], ["123.125.106.92"], 0.0371, 51, 58000, rate=80e6, cert=2800)
    bg(15.704, "www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], ["183.194.238.19"], 0.0299, 52, 64000, rate=80e6, cert=3400)
    f = cap.frame
    ids = [cap.sorted()[f(x) - 1][3][14 + 4:14 + 6].hex() for x in ("fA", "fAAAA", "gA", "gAAAA")]
    about = (f"Ethernet, client 192.168.1.100 resolving through its home router 192.168.1.1. The A and AAAA queries for {name} (frames {f('qA')}, {f('qAAAA')}, EDNS0) each get two answers "
             f"relayed by the router with the same TXID: frames {f('fA')}/{f('fAAAA')} after ~21 ms carry {forged4} (a Facebook address) and {forged6} with the DNS-02 injector shape "
             f"(flags 0x8180, AN=1, AR=0 despite the query's OPT record, TTL 234), then frames {f('gA')}/{f('gAAAA')} after ~188 ms carry the genuine CNAME {real_cn[0]} and Fastly addresses with the OPT record echoed. "
             f"All four come from the router (IP TTL 64, consecutive IP IDs 0x{ids[0]}..0x{ids[3]}), so TTL comparison is impossible; the race with different RDATA and the injector fingerprint are the evidence. "
             f"The client then tries the forged address: SYNs {f('fsyn0')}-{f('fsyn3')} to {forged4}:443 go unanswered.")
    info = {"expect": [{"mechanism": "dns-injection", "domain": name}],
            "allow": [{"mechanism": "blackhole", "domain": name}, {"mechanism": "dns-tampering", "domain": name}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 4: RST-03 GFW type II resets after an HTTP Host header, 802.1Q
# ----------------------------------------------------------------------------

SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15"


def case_rst_type2(outdir):
    ifaces = [dict(link="vlan", vlan=30, name="en0", cmac=mac("f8:4d:89:71:c3:0a"), gmac=mac("00:1e:bd:5c:7a:41"))]
    cap = Cap("b10p_gfw_type2_http_vlan.pcap", epoch(2024, 3, 12, 3, 18, 9), ifaces, fmt="pcap", endian="<", nsec=True)
    ctx = Ctx(cap, 4004, cip="10.30.12.57", cos="mac", resolver="10.30.0.53", rttl=63, dns_rtt=0.0183, edns=None)
    rng = ctx.rng

    def bg(t, name, cn, ips, rtt, ttl, resp, **kw):
        ta = ctx.lookup(t, name, chain(name, cn, ips, 600, 300), chain(name, cn, [], 600, 300, "AAAA"), rtt=rng.uniform(0.004, 0.03))
        return ctx.https(ta + rng.uniform(0.0003, 0.001), ips[0], name, rtt, ttl, resp=resp, profile="chrome", **kw)

    bg(0.331, "www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66"], 0.0312, 52, 88000, rate=90e6, cert=4300)
    bg(1.876, "www.163.com", ["www.163.com.163jiasu.com"], ["58.215.106.1"], 0.0223, 53, 121000, rate=90e6, cert=3800)
    host, hip = "www.hrw.org", "104.18.20.212"
    tl = ctx.lookup(4.402, host, chain(host, [], [hip, "104.18.21.212"], 0, 300), chain(host, [], ["2606:4700::6812:14d4"], 0, 300, "AAAA"), tag="hdns")
    body301 = b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
    rstinfo = []
    t = tl + 0.0006
    for k, (ttls, win, ray) in enumerate((((103, 104, 105), 2573, "8627c3e8dd5b6251"), ((98, 99, 100), 3618, "8627c40c1f2e6251"))):
        tag = f"h{k + 1}"
        fl = Flow(ctx, hip, 80, 0.1781, 52, sos="cdn", s_ipid="zero")
        t = fl.handshake(t, tag)
        req = (f"GET / HTTP/1.1\r\nHost: {host}\r\nUpgrade-Insecure-Requests: 1\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
               f"User-Agent: {SAFARI}\r\nAccept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n").encode()
        tg = fl.send_c(t + rng.uniform(0.0003, 0.0008), req, tag + "get")
        # three RST+ACK copies ~18 ms later: DF set, one IP ID, window != 0, TTLs differ from the server's 52
        tr = tg + rng.uniform(0.0171, 0.0196)
        ipid = rng.randrange(0x00A3, 0xFE5F)
        for j, ttl in enumerate(ttls):
            fl.forged(tr + j * rng.uniform(0.000018, 0.00004), "RA", fl.c_rcv, fl.cnxt, ttl, ipid, True, win, tag=f"{tag}rst{j}")
        # the genuine answer still arrives one RTT after the request; the client has no connection any more
        resp = (f"HTTP/1.1 301 Moved Permanently\r\nDate: Tue, 12 Mar 2024 03:18:{13 + 3 * k:02d} GMT\r\nContent-Type: text/html\r\nContent-Length: {len(body301)}\r\nConnection: keep-alive\r\n"
                f"Cache-Control: max-age=3600\r\nExpires: Tue, 12 Mar 2024 04:18:{13 + 3 * k:02d} GMT\r\nLocation: https://{host}/\r\nServer: cloudflare\r\nCF-RAY: {ray}-LAX\r\n\r\n").encode() + body301
        ts = tg + fl.rtt + rng.uniform(0.0008, 0.0016)
        fl.s(ts, "PA", resp, tag=tag + "resp")
        fl.stack_rst(ts + rng.uniform(0.00003, 0.00008), fl.cnxt, tag=tag + "crst")
        rstinfo.append((ttls, win, ipid))
        t = ts + 3.1 + rng.uniform(0, 0.4)  # the user reloads
    # control: another plain-HTTP site works from the same client at the same time
    tn = ctx.lookup(t + 2.3, "neverssl.com", chain("neverssl.com", [], ["34.223.124.45"], 0, 60), [], tag="ndns")
    ctx.http(tn + 0.0005, "34.223.124.45", "neverssl.com", 0.2052, 45, ua=SAFARI, status="200 OK",
             headers=(("Date", "Tue, 12 Mar 2024 03:18:24 GMT"), ("Content-Type", "text/html"), ("Content-Length", "3961"), ("Connection", "keep-alive"), ("Last-Modified", "Wed, 20 Sep 2023 18:22:11 GMT"), ("ETag", '"f79-605cf11bb7f6e"'), ("Accept-Ranges", "bytes")),
             body=html_body(random.Random(44), 3961, "NeverSSL - Connecting ...")[:3961], tag="ctl", close="client")
    bg(t + 5.9, "www.bilibili.com", ["a.w.bilicdn1.com"], ["120.232.150.3"], 0.0219, 53, 140000, rate=90e6, cert=3100)
    bg(t + 8.8, "www.jd.com", ["www.jd.com.gslb.qianxun.com"], ["111.13.149.108"], 0.0264, 52, 76000, rate=90e6, cert=3300)
    bg(t + 11.4, "www.douyin.com", ["www.douyin.com.volcgslb.com"], ["122.14.229.4"], 0.0243, 52, 99000, rate=90e6, cert=3500)
    f = cap.frame
    about = (f"802.1Q (VLAN 30), macOS client in China. Plain-HTTP GET with Host: {host} to {hip}:80 (frame {f('h1get')}, after handshake {f('h1syn')}-{f('h1synack')}) is followed ~18 ms later by three RST+ACK "
             f"(frames {f('h1rst0')}-{f('h1rst2')}) with identical IP ID 0x{rstinfo[0][2]:04x}, DF set, window {rstinfo[0][1]} and TTLs {rstinfo[0][0][0]}-{rstinfo[0][0][2]}, whereas the server's packets have TTL 52, IP ID 0 and arrive ~178 ms after the client's. "
             f"The genuine 301 from the server still arrives one RTT later (frame {f('h1resp')}) and the client kernel answers it with RST (frame {f('h1crst')}). "
             f"The reload repeats the pattern (GET {f('h2get')}, RSTs {f('h2rst0')}-{f('h2rst2')}, TTLs {rstinfo[1][0][0]}-{rstinfo[1][0][2]}), while HTTP to neverssl.com works (frame {f('ctlget')}): GFW type II Host filtering (RST-03).")
    info = {"expect": [{"mechanism": "rst-injection", "domain": host}],
            "allow": [{"mechanism": "residual-blocking", "domain": host}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 5: DNS-05 Iranian DNS redirection to the national block page, raw IP
# ----------------------------------------------------------------------------


def case_dns_redirect(outdir):
    ifaces = [dict(link="raw", name="ppp0")]
    cap = Cap("b10p_dns_redirect_blockpage_raw.pcap", epoch(2023, 9, 20, 8, 5, 52), ifaces, fmt="pcap", endian=">", nsec=False)
    ctx = Ctx(cap, 5005, cip="2.183.104.57", mss4=1452, resolver="217.218.127.127", rttl=59, dns_rtt=0.0114, edns=None)
    rng = ctx.rng

    def bg(t, name, cn, ips, rtt, ttl, resp, **kw):
        ta = ctx.lookup(t, name, chain(name, cn, ips, 600, 300), chain(name, cn, [], 600, 300, "AAAA"), rtt=rng.uniform(0.009, 0.05))
        return ctx.https(ta + rng.uniform(0.0003, 0.001), ips[0], name, rtt, ttl, resp=resp, **kw)

    bg(0.118, "www.digikala.com", [], ["185.147.178.11"], 0.0143, 58, 102000, rate=16e6, cert=4100)
    bg(2.271, "www.aparat.com", [], ["185.147.178.23"], 0.0149, 58, 77000, rate=16e6, cert=3900)
    bg(4.087, "www.google.com", [], ["142.250.186.36"], 0.0862, 113, 52000, rate=16e6, cert=3600, sos="cdn")
    name, bp = "www.radiofarda.com", "10.10.34.36"
    tl = ctx.lookup(6.552, name, chain(name, [], [bp], 0, 1800), chain(name, [], ["d0::11"], 0, 1800, "AAAA"), rtt=0.0117, tag="rdns")
    page = (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><title>M1-6\n</title></head><body>'
            b'<iframe src="http://10.10.34.34?type=Invalid Site&policy=MainPolicy " style="width: 100%; height: 100%" scrolling="no" marginwidth="0" marginheight="0" frameborder="0" vspace="0" hspace="0"></iframe></body></html>\r\n\r\n')
    ctx.http(tl + 0.0007, bp, name, 0.0094, 61, status="403 Forbidden", headers=(("Connection", "close"),), body=page,
             ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36", tag="bp", close="server")
    bg(9.604, "www.varzesh3.com", [], ["185.143.233.120"], 0.0177, 57, 131000, rate=16e6, cert=3200)
    bg(12.03, "www.isna.ir", [], ["185.143.232.200"], 0.0161, 57, 69000, rate=16e6, cert=3000)
    bg(14.77, "divar.ir", [], ["185.143.234.235"], 0.0168, 57, 58000, rate=16e6, cert=3400)
    f = cap.frame
    about = (f"Raw-IP capture on a PPPoE link in Iran (resolver 217.218.127.127). The A query for {name} (frame {f('rdnsqA')}) is answered with {bp} (frame {f('rdnsrA')}) "
             f"and the AAAA query with d0::11 (frame {f('rdnsrAAAA')}): RFC 1918 / bogus addresses for a public name, both known Iranian block-page addresses, while the same resolver gives public addresses for every other name. "
             f"The browser then fetches http://{name}/ from {bp} (GET frame {f('bpget')}) and gets 'HTTP/1.1 403 Forbidden' with the national iframe block page pointing at http://10.10.34.34?type=Invalid Site (frame {f('bprespdata')}): DNS redirection to a block page (DNS-05).")
    info = {"expect": [{"mechanism": "dns-tampering", "domain": name}],
            "allow": [{"mechanism": "blockpage", "domain": name}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 6: RES-01 residual blocking after an SNI-triggered reset (GFW, 180 s), pcapng big-endian
# ----------------------------------------------------------------------------


def case_residual(outdir):
    ifaces = [dict(link="eth", name="enp3s0", cmac=mac("b4:2e:99:0c:57:e8"), gmac=mac("50:64:2b:d7:19:a2"), tsresol=6, os="Linux 6.1.0-21-amd64")]
    cap = Cap("b10p_residual_sni_be.pcapng", epoch(2024, 5, 21, 12, 40, 17), ifaces, fmt="pcapng", endian=">",
              shb=dict(hw="AMD Ryzen 5 5600G with Radeon Graphics", os="Linux 6.1.0-21-amd64", app="Dumpcap (Wireshark) 4.0.11 (Git v4.0.11 packaged as 4.0.11-1~deb12u1)"))
    ctx = Ctx(cap, 6006, cip="192.168.31.88", cip6="2408:8207:2461:5a20:6d1e:93b4:2f0a:c51d", resolver="192.168.31.1", rttl=64, dns_rtt=0.0216, edns=None)
    rng = ctx.rng

    def bg(t, name, cn, ips, ip6s, rtt, ttl, resp, **kw):
        ta = ctx.lookup(t, name, chain(name, cn, ips, 600, 300), chain(name, cn, ip6s, 600, 300, "AAAA"), rtt=rng.uniform(0.01, 0.04))
        ip = ip6s[0] if ip6s else ips[0]
        return ctx.https(ta + rng.uniform(0.0003, 0.001), ip, name, rtt, ttl, resp=resp, profile="chrome", **kw)

    bg(0.402, "www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66"], ["240e:ff:e020:9ae:0:ff:b014:8e8b"], 0.0301, 52, 91000, rate=90e6, cert=4300)
    bg(2.655, "www.bilibili.com", ["a.w.bilicdn1.com"], ["120.232.150.3"], [], 0.0219, 53, 118000, rate=90e6, cert=3100)
    name, sip = "www.nytimes.com", "151.101.1.164"
    cn = ["nytimes.map.fastly.net"]
    tl = ctx.lookup(4.913, name, chain(name, cn, [sip, "151.101.65.164", "151.101.129.164", "151.101.193.164"], 300, 30), chain(name, cn, [], 300, 30, "AAAA"), tag="ndns")
    RTT, STTL = 0.1624, 50
    # trigger: ClientHello with SNI www.nytimes.com, one forged RST (type I: flags R, IP ID 0, DF clear, window != 0)
    fl = Flow(ctx, sip, 443, RTT, STTL, sos="cdn")
    t = fl.handshake(tl + 0.0006, "t")
    ch, sid = client_hello(rng, name, ("h2", "http/1.1"), "chrome")
    t = fl.send_c(t + 0.0009, ch, "tch")
    tr = t + 0.0176
    fl.forged(tr, "R", fl.c_rcv, 0, 91, 0, False, 4133, tag="trst")
    # the server's genuine flight still arrives; the dead socket answers each segment with RST
    flight = server_flight(rng, sid, 3300)
    ts = t + RTT + 0.0011
    off = 0
    while off < len(flight):
        seg = flight[off:off + fl.seg]
        fl.s(ts, "PA" if off + len(seg) >= len(flight) else "A", seg, seq=fl.snxt + off, tag=f"tfl{off}")
        fl.stack_rst(ts + 0.00004, fl.cnxt, tag=f"tcr{off}")
        off += len(seg)
        ts += 0.00012
    t_trig = tr
    # residual: new connections to the same address and port fail at the SYN, no SNI sent at all
    res = []
    for k, dt in enumerate((1.02, 2.05, 4.2, 13.7, 37.5, 71.9)):
        g = Flow(ctx, sip, 443, RTT, STTL, sos="cdn")
        tsyn = t_trig + dt
        g.c(tsyn, "S", tag=f"r{k}syn")
        g.forged(tsyn + rng.uniform(0.0168, 0.0189), "RA", 0, g.ciss + 1, rng.choice((89, 90, 91, 92)), 0, False, 4133, tag=f"r{k}rst")
        if k % 2 == 0:  # the server's SYN/ACK races in afterwards and is refused by the client kernel
            g.c_rcv, g.s_rcv = g.siss + 1, g.ciss + 1
            g.s(tsyn + RTT, "SA", tag=f"r{k}synack")
            g.stack_rst(tsyn + RTT + 0.00004, g.ciss + 1, tag=f"r{k}crst")
        res.append(tsyn)
        if k == 3:
            # meanwhile port 80 on the same server works normally
            ctx.http(tsyn + 6.3, sip, sip, RTT, STTL, status="500 Domain Not Found", sos="cdn", tag="p80",
                     ua="curl/7.88.1",
                     headers=(("Connection", "keep-alive"), ("Content-Length", "221"), ("Server", "Varnish"), ("Retry-After", "0"), ("content-type", "text/html"), ("Cache-Control", "private, no-cache"),
                              ("X-Served-By", "cache-hkg17933-HKG"), ("Accept-Ranges", "bytes"), ("Date", "Tue, 21 May 2024 12:41:09 GMT"), ("Via", "1.1 varnish")),
                     body=b"<html>\n<head>\n<title>Fastly error: unknown domain 151.101.1.164</title>\n</head>\n<body>\n<p>Fastly error: unknown domain: 151.101.1.164. Please check that this domain has been added to a service.</p>\n<p>Details: cache-hkg17933-HKG</p></body></html>"[:221],
                     close="client")
            bg(tsyn + 9.5, "www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], ["183.2.143.112"], ["240e:97c:2f:2::4c"], 0.0322, 52, 64000, rate=90e6, cert=3600)
    bg(t_trig + 88.4, "www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], ["183.194.238.19"], ["240e:97c:2f:1::5c"], 0.0301, 52, 72000, rate=90e6, cert=3400)
    bg(t_trig + 131.7, "www.jd.com", ["www.jd.com.gslb.qianxun.com"], ["111.13.149.108"], ["240e:97c:2f:3::b"], 0.0278, 52, 83000, rate=90e6, cert=3300)
    # after the 180 s window the same address and port answer again (IP-literal test, no SNI)
    ctx.https(t_trig + 196.3, sip, None, RTT, STTL, resp=230, cert=3300, sos="cdn", profile="chrome", alpn=("h2", "http/1.1"), tag="late", close="client")
    f = cap.frame
    about = (f"Ethernet, China. The ClientHello with SNI {name} to {sip}:443 (frame {f('tch')}) draws one forged RST 18 ms later (frame {f('trst')}: IP ID 0, DF clear, window 4133, TTL 91 vs the server's {STTL}); "
             f"the genuine ServerHello flight still arrives (frames {f('tfl0')}..) and is refused by the client. For the next ~72 s every new connection to {sip}:443 fails at the SYN, before any SNI is sent: "
             f"SYNs {', '.join(str(f(f'r{k}syn')) for k in range(6))} each get an RST+ACK ~17 ms later (e.g. {f('r0rst')}, TTL 89-92, IP ID 0) and, where it arrives, the real SYN/ACK (e.g. {f('r0synack')}) comes one RTT later and is reset by the client. "
             f"Port 80 on the same server works meanwhile (handshake {f('p80syn')}, HTTP reply {f('p80respdata')}), and 196 s after the trigger 443 works again (SYN {f('latesyn')}, ServerHello {f('latesh' + 'data')}): GFW residual censorship keyed on (client, server, port) (RES-01).")
    info = {"expect": [{"mechanism": "residual-blocking", "domain": name}],
            "allow": [{"mechanism": "rst-injection", "domain": name}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        sys.exit(2)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for fn in CASES:
        cap, info = fn(outdir)
        cap.write(os.path.join(outdir, cap.fname))
        expect[cap.fname] = info
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True)
        fh.write("\n")


CASES = [case_thr03, case_thr01, case_dnsinj_router, case_rst_type2, case_dns_redirect, case_residual]

if __name__ == "__main__":
    main()
