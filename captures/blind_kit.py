#!/usr/bin/env python3
# ruff: noqa: E501, B905, E741, RUF046
"""The capture-writing kit blind rounds 10-13 were written with: pcap/pcapng writers, a TCP
flow builder, TLS and DNS message builders. Each round's generator imports the pieces it used
unchanged and keeps its own variants."""
import calendar
import heapq
import ipaddress
import itertools
import random
import struct

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

    linktypes = LINKTYPE  # a round with more link types sets its own table

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
            lt = self.linktypes[self.ifaces[0]["link"]]
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
                out += blk(1, struct.pack(E + "HHI", self.linktypes[f["link"]], 0, 262144) + io + struct.pack(E + "HH", 0, 0))
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

    profiles = PROFILES  # a round with other stacks sets its own table

    def __init__(self, ctx, sip, dport, rtt, sttl, sport=None, sos="linuxsrv", cmss=None, smss=1460, iface=None, s_df=True, s_ipid="inc"):
        self.ctx, self.cap, rng = ctx, ctx.cap, ctx.rng
        self.iface = ctx.iface if iface is None else iface
        self.v6 = ":" in sip
        self.cip = ctx.cip6 if self.v6 else ctx.cip
        self.sip, self.dport, self.rtt, self.owd, self.sttl = sip, dport, rtt, rtt / 2, sttl
        self.sport = sport or ctx.port()
        self.cp, self.sp = self.profiles[ctx.cos], self.profiles[sos]
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


def quic_server_hello(rng):
    """A QUIC server's TLS 1.3 ServerHello handshake message (X25519 key share, TLS 1.3 in
    supported_versions, TLS_AES_128_GCM_SHA256) for the CRYPTO frame of its Initial."""
    pub = x25519_pub(rng)
    exts = ext(51, u16(0x1D) + u16(32) + pub) + ext(43, u16(0x0304))
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(0x1301) + b"\x00" + u16(len(exts)) + exts
    return b"\x02" + struct.pack("!I", len(body))[1:] + body


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


DNS_TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28,
             "SRV": 33, "OPT": 41, "HTTPS": 65}


def dns_full(txid, flags, qname, qtype, an=(), ns=(), edns=None, do=False, edns_opts=b""):
    """A DNS message with answer and authority sections and full name compression. Records
    are (name, type, ttl, rdata); rdata is raw bytes, an address (A, AAAA), a SOA tuple
    (mname, rname, serial, refresh, retry, expire, minimum), a string (TXT) or a name.
    edns: the OPT record's UDP payload size (None: no OPT), with the DO bit and options."""
    out = bytearray(struct.pack("!HHHHHH", txid, flags, 1, len(an), len(ns), 1 if edns else 0))
    table = {}

    def name(n):
        labels = [x for x in n.rstrip(".").split(".") if x]
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
    out.extend(struct.pack("!HH", DNS_TYPES[qtype], 1))
    for n, ty, ttl, rd in list(an) + list(ns):
        name(n)
        out.extend(struct.pack("!HHI", DNS_TYPES[ty], 1, ttl))
        pos = len(out)
        out.extend(b"\0\0")
        if isinstance(rd, bytes):
            out.extend(rd)
        elif ty == "A":
            out.extend(ipaddress.IPv4Address(rd).packed)
        elif ty == "AAAA":
            out.extend(ipaddress.IPv6Address(rd).packed)
        elif ty == "SOA":
            name(rd[0])
            name(rd[1])
            out.extend(struct.pack("!IIIII", *rd[2:]))
        elif ty == "TXT":
            out.extend(bytes([len(rd)]) + rd.encode())
        else:
            name(rd)
        struct.pack_into("!H", out, pos, len(out) - pos - 2)
    if edns:
        out.extend(b"\x00" + struct.pack("!HHIH", 41, edns, 0x8000 if do else 0, len(edns_opts))
                   + edns_opts)
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
    """One capture's client: addresses, ports, IP IDs, the resolver, and whole visits."""

    # what the visits are built with: a round with its own variants sets these
    flow_class = Flow
    make_client_hello = staticmethod(client_hello)
    make_dns = staticmethod(dns_msg)

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
            q = self.make_dns(txid, self.qflags, qname, qt, edns=self.edns)
            self.cap.add(tq, mk_ip(src, dst, self.cttl, qid, True, fl) / UDP(sport=sport, dport=53) / Raw(q), True, iface, tag and f"{tag}q{qt}")
            qid += 1
            tq += rng.uniform(0.00003, 0.0001)
        rs = []
        for (qt, ans), txid in zip(qs, ids):
            ta = t + rtt * rng.uniform(0.9, 1.15)
            rs.append((ta, qt, self.make_dns(txid, rflags, qname, qt, ans, edns=redns if redns is not None else self.edns)))
        for ta, qt, r in sorted(rs):
            self.cap.add(ta, mk_ip(dst, src, self.rttl, self.resp_ipid(), False) / UDP(sport=53, dport=sport) / Raw(r), False, iface, tag and f"{tag}r{qt}")
        return max(max(r[0] for r in rs), t + rtt)

    def https(self, t, sip, sni, rtt, sttl, resp=20000, rate=30e6, cert=3200, req=420, think=0.015, close="client",
              profile="firefox", sos="linuxsrv", iface=None, smss=1460, alpn=("h2", "http/1.1"), tag=None, drop=None, t_limit=1e9):
        """A complete HTTPS exchange. Returns (flow, time of last packet)."""
        rng = self.rng
        fl = self.flow_class(self, sip, 443, rtt, sttl, sos=sos, iface=iface, smss=smss)
        t = fl.handshake(t, tag)
        t += rng.uniform(0.0002, 0.0012)
        ch, sid = self.make_client_hello(rng, sni, alpn, profile)
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
        fl = self.flow_class(self, sip, 80, rtt, sttl, sos=sos, iface=iface)
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


