#!/usr/bin/env python3
# ruff: noqa: E501
"""Blind test set 10b: benign captures that a naive censorship analyzer could mistake for
throttling, a byte-budget "freeze" (THR-03) or DNS injection.

usage: python blind10_benign.py OUTDIR

Deterministic: fixed seeds and timestamps, no wall clock; identical bytes on every run.
"""
import bisect
import json
import os
import random
import struct
import sys
from collections import deque

from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.packet import Raw

MS = 1_000_000  # ns per ms
US = 1_000  # ns per us
SEC = 1_000_000_000


# ----------------------------------------------------------------------------- writers

def write_pcap(path, frames, linktype, endian="<", nsec=False):
    magic = 0xA1B23C4D if nsec else 0xA1B2C3D4
    out = [struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, 262144, linktype)]
    for ts, _if, data in frames:
        sec, frac = divmod(ts, SEC)
        if not nsec:
            frac //= 1000
        out.append(struct.pack(endian + "IIII", sec, frac, len(data), len(data)))
        out.append(data)
    with open(path, "wb") as f:
        f.write(b"".join(out))


def _opt(code, val):
    pad = (-len(val)) % 4
    return struct.pack("<HH", code, len(val)) + val + b"\0" * pad


def _block(btype, body):
    tot = 12 + len(body)
    return struct.pack("<II", btype, tot) + body + struct.pack("<I", tot)


def write_pcapng(path, frames, ifaces, hardware="x86_64", os_name="Linux 6.1.0-28-amd64",
                 app="Dumpcap (Wireshark) 4.0.17 (Git v4.0.17 packaged as 4.0.17-0+deb12u1)"):
    """ifaces: list of (linktype, name, tsresol_exp)."""
    shb = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
    shb += _opt(2, hardware.encode()) + _opt(3, os_name.encode()) + _opt(4, app.encode()) + _opt(0, b"")
    out = [_block(0x0A0D0D0A, shb)]
    for lt, name, res in ifaces:
        body = struct.pack("<HHI", lt, 0, 262144)
        body += _opt(2, name.encode()) + _opt(9, bytes([res])) + _opt(12, os_name.encode()) + _opt(0, b"")
        out.append(_block(1, body))
    for ts, ifidx, data in frames:
        res = ifaces[ifidx][2]
        units = ts // (10 ** (9 - res))
        pad = (-len(data)) % 4
        body = struct.pack("<IIIII", ifidx, units >> 32, units & 0xFFFFFFFF, len(data), len(data)) + data + b"\0" * pad
        out.append(_block(6, body))
    with open(path, "wb") as f:
        f.write(b"".join(out))


# ----------------------------------------------------------------------------- link layers

def mac(s):
    return bytes.fromhex(s.replace(":", ""))


def eth(dst, src, ip, vlan=None, pad=False):
    et = b"\x86\xdd" if ip[0] >> 4 == 6 else b"\x08\x00"
    hdr = mac(dst) + mac(src)
    if vlan is not None:
        hdr += b"\x81\x00" + struct.pack(">H", vlan) + et
    else:
        hdr += et
    f = hdr + ip
    if pad and len(f) < 60:
        f += b"\0" * (60 - len(f))
    return f


def sll2(ip, outgoing, ifindex, addr):
    et = 0x86DD if ip[0] >> 4 == 6 else 0x0800
    return struct.pack(">HHIHBB", et, 0, ifindex, 1, 4 if outgoing else 0, 6) + mac(addr) + b"\0\0" + ip


# ----------------------------------------------------------------------------- capture

class Capture:
    def __init__(self, base_ts, framer):
        self.base = base_ts  # ns since epoch
        self.framer = framer  # framer(ipbytes, ifidx) -> (ifidx, linkbytes)
        self.items = []  # (t, n, ifidx, bytes, tag)
        self.n = 0

    def add(self, t, ipb, ifidx=0, tag=None):
        ifidx, data = self.framer(ipb, ifidx)
        self.items.append((int(t), self.n, ifidx, data, tag))
        self.n += 1

    def finish(self):
        self.items.sort(key=lambda x: (x[0], x[1]))
        self.tags = {}
        for i, it in enumerate(self.items, 1):
            if it[4] is not None:
                self.tags.setdefault(it[4], []).append(i)
        return [(self.base + t, ifidx, data) for t, _n, ifidx, data, _tag in self.items]

    def f(self, tag, which=0):
        return self.tags[tag][which]

    def fr(self, tag):
        v = self.tags[tag]
        return f"{v[0]}" if len(v) == 1 else f"{v[0]}-{v[-1]}"


def ipid_rand(rng):
    return rng.randrange(1, 65536)


def ip_pkt(src, dst, l4, ttl, ipid=0, df=True, fl=0, tos=0):
    if ":" in src:
        return bytes(IPv6(src=src, dst=dst, hlim=ttl, fl=fl, tc=tos) / l4)
    return bytes(IP(src=src, dst=dst, ttl=ttl, id=ipid, flags="DF" if df else 0, tos=tos) / l4)


# ----------------------------------------------------------------------------- DNS

T_A, T_AAAA, T_CNAME, T_OPT = 1, 28, 5, 41


def dn(name):
    out = b""
    for lab in name.rstrip(".").split("."):
        out += bytes([len(lab)]) + lab.encode()
    return out + b"\0"


def dns_msg(qid, flags, qname, qtype, answers=(), opt=1232, rcode=0):
    """answers: list of (owner, type, ttl, value) with value an IP string or a CNAME target."""
    import ipaddress
    q = dn(qname) + struct.pack(">HH", qtype, 1)
    offs = {qname.lower(): 12}
    body = q
    for owner, typ, ttl, val in answers:
        o = offs.get(owner.lower())
        nm = struct.pack(">H", 0xC000 | o) if o is not None else dn(owner)
        if typ == T_CNAME:
            o2 = offs.get(val.lower())
            rd = struct.pack(">H", 0xC000 | o2) if o2 is not None else dn(val)
            rstart = 12 + len(body) + len(nm) + 10
            offs.setdefault(val.lower(), rstart)
        else:
            rd = ipaddress.ip_address(val).packed
        body += nm + struct.pack(">HHIH", typ, 1, ttl, len(rd)) + rd
    arc = 0
    if opt:
        body += b"\0" + struct.pack(">HHIH", T_OPT, opt, 0, 0)
        arc = 1
    hdr = struct.pack(">HHHHHH", qid, flags | rcode, 1, len(answers), 0, arc)
    return hdr + body


def dns_exchange(cap, rng, t, cli, res, qname, qtype, answers, rtt, cttl=64, rttl=64, ifidx=0,
                 sport=None, qid=None, opt_q=1232, opt_r=1232, tag=None, rcode=0, qflags=0x0100):
    """Client query at t, response at t+rtt. Returns (t_response, sport, qid)."""
    sport = sport or rng.randrange(32768, 61000)
    qid = rng.randrange(65536) if qid is None else qid
    q = dns_msg(qid, qflags, qname, qtype, (), opt=opt_q)
    cap.add(t, ip_pkt(cli, res, UDP(sport=sport, dport=53) / Raw(q), cttl, ipid_rand(rng)), ifidx, tag=tag and tag + "_q")
    if answers is None:
        return t, sport, qid
    r = dns_msg(qid, 0x8180, qname, qtype, answers, opt=opt_r, rcode=rcode)
    tr = t + rtt
    cap.add(tr, ip_pkt(res, cli, UDP(sport=53, dport=sport) / Raw(r), rttl, ipid_rand(rng)), ifidx, tag=tag and tag + "_r")
    return tr, sport, qid


# ----------------------------------------------------------------------------- TLS

def rec(ct, body):
    return bytes([ct, 3, 3 if ct != 0x16 else 1]) + struct.pack(">H", len(body)) + body


def rec3(ct, body):
    return bytes([ct, 3, 3]) + struct.pack(">H", len(body)) + body


def _ext(t, body):
    return struct.pack(">HH", t, len(body)) + body


def _v8(b):
    return bytes([len(b)]) + b


def _v16(b):
    return struct.pack(">H", len(b)) + b


def client_hello(rng, sni, alpn=("h2", "http/1.1"), pad_to=512):
    rnd = rng.randbytes(32)
    sid = rng.randbytes(32)
    suites = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    cs = b"".join(struct.pack(">H", s) for s in suites)
    sn = sni.encode()
    exts = [
        _ext(0x0000, _v16(b"\0" + _v16(sn))),
        _ext(0x0017, b""),
        _ext(0xFF01, b"\0"),
        _ext(0x000A, _v16(struct.pack(">HHHH", 0x001D, 0x0017, 0x0018, 0x0019))),
        _ext(0x000B, _v8(b"\0")),
        _ext(0x0023, b""),
        _ext(0x0010, _v16(b"".join(_v8(a.encode()) for a in alpn))),
        _ext(0x0005, b"\x01\0\0\0\0"),
        _ext(0x000D, _v16(b"".join(struct.pack(">H", s) for s in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)))),
        _ext(0x0012, b""),
        _ext(0x0033, _v16(struct.pack(">HH", 0x001D, 32) + rng.randbytes(32))),
        _ext(0x002D, _v8(b"\x01")),
        _ext(0x002B, _v8(b"\x03\x04\x03\x03")),
        _ext(0x001B, _v8(b"\x00\x02")),
    ]
    e = b"".join(exts)
    body_wo = b"\x03\x03" + rnd + _v8(sid) + _v16(cs) + b"\x01\x00"
    cur = 4 + len(body_wo) + 2 + len(e)
    if cur + 4 < pad_to:
        e += _ext(0x0015, b"\0" * (pad_to - cur - 4))
    body = body_wo + _v16(e)
    hs = b"\x01" + len(body).to_bytes(3, "big") + body
    return rec(0x16, hs), sid


def server_hello(rng, sid, suite=0x1301):
    exts = _ext(0x002B, b"\x03\x04") + _ext(0x0033, struct.pack(">HH", 0x001D, 32) + rng.randbytes(32))
    body = b"\x03\x03" + rng.randbytes(32) + _v8(sid) + struct.pack(">H", suite) + b"\0" + _v16(exts)
    hs = b"\x02" + len(body).to_bytes(3, "big") + body
    return rec3(0x16, hs) + rec3(0x14, b"\x01")


def enc(rng, n):
    return rec3(0x17, rng.randbytes(n))


def server_flight(rng, sid, cert=3900, ecdsa=True):
    """ServerHello + CCS + encrypted EE/Certificate/CertificateVerify/Finished."""
    return (server_hello(rng, sid) + enc(rng, rng.randrange(30, 110)) + enc(rng, cert)
            + enc(rng, rng.choice((96, 97, 98)) if ecdsa else 281) + enc(rng, 53))


def client_finish(rng, req=420):
    return rec3(0x14, b"\x01") + enc(rng, 53) + enc(rng, 79) + enc(rng, req)


def app_stream(rng, n, first_hdr=True):
    """~n bytes of TLS application-data records (16401-byte full records)."""
    out = b""
    if first_hdr:
        out += enc(rng, rng.randrange(150, 320))
    while len(out) < n:
        left = n - len(out) - 5
        out += enc(rng, max(40, min(16401, left)))
    return out


def close_notify(rng):
    return enc(rng, 19)


# ----------------------------------------------------------------------------- TCP

class Conn:
    """A TCP connection seen at the client's vantage point. Times are capture times (ns)."""

    def __init__(self, cap, rng, c, s, cport, sport=443, rtt_ms=30.0, c_ttl=64, s_ttl=52, s_mss=1460,
                 c_mss=1460, c_ws=7, s_ws=7, ifidx=0, s_syn_win=65160, s_win=None, c_win0=502, c_winmax=24000,
                 s_win_field=None):
        self.cap, self.rng, self.c, self.s = cap, rng, c, s
        self.cport, self.sport = cport, sport
        self.v6 = ":" in c
        self.rtt = int(rtt_ms * MS)
        self.owd = self.rtt // 2
        self.c_ttl, self.s_ttl = c_ttl, s_ttl
        self.c_mss, self.s_mss = c_mss, s_mss
        self.c_ws, self.s_ws = c_ws, s_ws
        self.ifidx = ifidx
        self.c_isn = rng.getrandbits(32)
        self.s_isn = rng.getrandbits(32)
        self.cn = self.c_isn
        self.sn = self.s_isn
        self.c_rcv = 0
        self.c_id = rng.randrange(65536)
        self.s_id = rng.randrange(65536)
        self.c_tsb = rng.getrandbits(32)
        self.s_tsb = rng.getrandbits(32)
        self.c_fl = rng.getrandbits(20)
        self.s_fl = rng.getrandbits(20)
        self.t0 = None
        self.chist = []  # (t, cn_after, tsval) for client packets
        self.shist = []  # (t, tsval) for delivered server packets
        self.s_syn_win = s_syn_win
        self.s_winf = s_win_field or 501
        self.c_win0, self.c_winmax = c_win0, c_winmax
        self.c_winf = c_win0
        self.c_got = 0
        self.seg = min(s_mss, c_mss) - 12
        self.cseg = min(s_mss, c_mss) - 12
        self.rwnd_edge = None  # when set, the client advertises exactly up to this sequence number
        self.cwnd = 10

    # --- low level
    def _tsval_c(self, t):
        return (self.c_tsb + (t - self.t0) // MS) & 0xFFFFFFFF

    def _tsval_s(self, t):
        return (self.s_tsb + (t - self.owd - self.t0) // MS) & 0xFFFFFFFF

    def _srv_view(self, t):
        """(ack, tsecr) the server has seen from the client when sending a packet captured at t."""
        i = bisect.bisect_right(self.chist, (t - self.rtt, 1 << 40, 0)) - 1
        if i < 0:
            return 0, 0
        return self.chist[i][1], self.chist[i][2]

    def _cli_tsecr(self, t):
        i = bisect.bisect_left(self.shist, (t, 0)) - 1
        return self.shist[i][1] if i >= 0 else 0

    def emit(self, frm_c, t, flags, payload=b"", seq=None, ack=None, win=None, opts=None, lost=False, tag=None,
             ipid=None):
        t = int(t)
        if self.t0 is None:
            self.t0 = t
        if frm_c:
            src, dst, sp, dp, ttl, fl = self.c, self.s, self.cport, self.sport, self.c_ttl, self.c_fl
            if ipid is None:
                ipid = self.c_id
                self.c_id = (self.c_id + 1) & 0xFFFF
            tsv = self._tsval_c(t)
            if seq is None:
                seq = self.cn
            if ack is None:
                ack = self.c_rcv if "A" in flags else 0
            if win is None:
                win = self.c_winf
                if self.rwnd_edge is not None:
                    win = -(-((self.rwnd_edge - self.c_rcv) & 0xFFFFFFFF) // (1 << self.c_ws))
            tse = self._cli_tsecr(t)
        else:
            src, dst, sp, dp, ttl, fl = self.s, self.c, self.sport, self.cport, self.s_ttl, self.s_fl
            if ipid is None:
                ipid = self.s_id
                self.s_id = (self.s_id + 1) & 0xFFFF
            tsv = self._tsval_s(t)
            sack, tse = self._srv_view(t)
            if seq is None:
                seq = self.sn
            if ack is None:
                ack = sack
            if win is None:
                win = self.s_winf
        if opts is None:
            opts = [("NOP", None), ("NOP", None), ("Timestamp", (tsv, tse))]
        tcp = TCP(sport=sp, dport=dp, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF, flags=flags, window=win, options=opts)
        l4 = tcp / Raw(payload) if payload else tcp
        ipb = ip_pkt(src, dst, l4, ttl, ipid, fl=fl)
        adv = len(payload) + (1 if ("S" in flags or "F" in flags) else 0)
        if frm_c:
            end = (seq + adv) & 0xFFFFFFFF
            if ((end - self.cn) & 0xFFFFFFFF) < 0x80000000:
                self.cn = end
            self.chist.append((t, self.cn, tsv))
            self.chist.sort()
        else:
            end = (seq + adv) & 0xFFFFFFFF
            if ((end - self.sn) & 0xFFFFFFFF) < 0x80000000:
                self.sn = end
            if not lost:
                self.shist.append((t, tsv))
                self.shist.sort()
                if ((end - self.c_rcv) & 0xFFFFFFFF) < 0x80000000 and seq == self.c_rcv:
                    self.c_got += len(payload)
                    self.c_rcv = end
                    self.c_winf = min(self.c_winmax, self.c_win0 + self.c_got // 192)
        if not lost:
            self.cap.add(t, ipb, self.ifidx, tag)
        return t

    # --- high level
    def handshake(self, t, tag=None):
        self.t0 = int(t)
        ws = [("MSS", self.c_mss), ("SAckOK", b""), ("Timestamp", (self._tsval_c(t), 0)), ("NOP", None), ("WScale", self.c_ws)]
        self.emit(True, t, "S", seq=self.c_isn, ack=0, win=64240 if not self.v6 else 64800, opts=ws, tag=tag and tag + "_syn")
        t2 = t + self.rtt
        _a, tse = self._srv_view(t2)
        ws2 = [("MSS", self.s_mss), ("SAckOK", b""), ("Timestamp", (self._tsval_s(t2), tse)), ("NOP", None), ("WScale", self.s_ws)]
        self.emit(False, t2, "SA", seq=self.s_isn, ack=self.c_isn + 1, win=self.s_syn_win, opts=ws2, ipid=0, tag=tag and tag + "_synack")
        self.c_rcv = (self.s_isn + 1) & 0xFFFFFFFF
        t3 = t2 + self.jit(60, 140) * US
        self.emit(True, t3, "A", tag=tag and tag + "_ack")
        return t3

    def jit(self, a, b):
        return self.rng.randrange(a, b)

    def c_send(self, t, data, tag=None, gap_us=(8, 30)):
        segs = [data[i:i + self.cseg] for i in range(0, len(data), self.cseg)]
        for i, p in enumerate(segs):
            self.emit(True, t, "PA" if i == len(segs) - 1 else "A", p, tag=tag)
            if i != len(segs) - 1:
                t += self.jit(*gap_us) * US
        return t

    def s_send(self, t, data, tag=None, gap_us=(90, 260)):
        """Server data arriving back-to-back from t; no client ACKs generated."""
        segs = [data[i:i + self.seg] for i in range(0, len(data), self.seg)]
        for i, p in enumerate(segs):
            self.emit(False, t, "PA" if i == len(segs) - 1 else "A", p, tag=tag)
            if i != len(segs) - 1:
                t += self.jit(*gap_us) * US
        return t

    def c_ack(self, t, tag=None):
        return self.emit(True, t, "A", tag=tag)

    def s_ack(self, t, tag=None):
        return self.emit(False, t, "A", tag=tag)

    def s_bulk(self, t_first, data, rate_bps, cwnd0=10, cwnd_max=300, tag=None, ack_us=(25, 90), ack_tag=None, cut=None):
        """Server sends data limited by slow start and a bottleneck of rate_bps; client ACKs every 2nd segment.
        Returns (t_last_data, t_last_ack). With cut, segments arriving at or after cut are lost (outage) and the
        index of the first lost segment is stored in self.cut_at."""
        segs = [data[i:i + self.seg] for i in range(0, len(data), self.seg)]
        acked, cwnd, allowed = 0, cwnd0, cwnd0
        acks = deque()
        t_rel = int(t_first)
        prev = None
        pend = 0
        ta = t_rel
        for i, p in enumerate(segs):
            while i >= allowed:
                if not acks:  # delayed-ACK timer
                    ta = prev + 40 * MS
                    self.emit(True, ta, "A", tag=ack_tag)
                    acks.append((ta + self.rtt, i))
                    pend = 0
                tr, upto = acks.popleft()
                cwnd = min(cwnd + (upto - acked), cwnd_max)
                self.cwnd = cwnd
                acked = upto
                allowed = acked + cwnd
                t_rel = max(t_rel, tr)
            ser = int((len(p) + 78) * 8 * SEC / rate_bps)
            arr = t_rel if prev is None else max(t_rel, prev + ser)
            if cut is not None and arr >= cut:
                self.cut_at = i
                self.cut_seq = self.sn
                self.cut_t = arr
                self.cut_data = b"".join(segs[i:])
                for j in range(i, min(allowed, len(segs))):
                    self.emit(False, arr, "A", segs[j], lost=True)
                if pend:
                    ta = prev + 40 * MS
                    self.emit(True, ta, "A", tag=ack_tag)
                return prev, ta
            self.emit(False, arr, "PA" if i == len(segs) - 1 else "A", p, tag=tag)
            prev = arr
            pend += 1
            if pend == 2 or i == len(segs) - 1:
                ta = arr + self.jit(*ack_us) * US
                self.emit(True, ta, "A", tag=ack_tag)
                acks.append((ta + self.rtt, i + 1))
                pend = 0
        return prev, ta

    def https_open(self, t, sni, rng, tag=None, cert=3900, alpn=("h2", "http/1.1"), req=420):
        """Handshake + ClientHello + server flight + client Finished/request. Returns time of request."""
        t = self.handshake(t, tag)
        t += self.jit(200, 900) * US
        ch, sid = client_hello(rng, sni, alpn)
        t = self.c_send(t, ch, tag=tag and tag + "_ch")
        t_srv = t + self.rtt + self.jit(300, 1500) * US
        self.s_ack(t_srv - self.jit(100, 300) * US)
        fl = server_flight(rng, sid, cert)
        t_end = self.s_send(t_srv, fl, tag=tag and tag + "_sh")
        self.c_ack(t_end + self.jit(30, 80) * US)
        t = t_end + self.jit(1500, 4000) * US
        return self.c_send(t, client_finish(rng, req), tag=tag and tag + "_req")

    def https_get(self, t_req, rng, size, rate_bps, tag=None, think_us=(3000, 25000)):
        """Server answers the request sent at t_req with session tickets + ~size bytes."""
        t = t_req + self.rtt + self.jit(*think_us) * US
        tk = enc(rng, rng.randrange(230, 260)) + enc(rng, rng.randrange(230, 260))
        t = self.s_send(t, tk)
        self.c_ack(t + self.jit(30, 80) * US)
        t += self.jit(200, 2000) * US
        return self.s_bulk(t, app_stream(rng, size), rate_bps, tag=tag)

    def c_close(self, t, rng, tag=None, notify=True, s_notify=True, s_ack_first_us=None):
        """Client close_notify+FIN, server (ACK then) close_notify+FIN, final client ACK."""
        if notify:
            self.emit(True, t, "FPA", close_notify(rng), tag=tag and tag + "_cfin")
        else:
            self.emit(True, t, "FA", tag=tag and tag + "_cfin")
        t2 = t + self.rtt + self.jit(80, 400) * US
        if s_ack_first_us is not None:
            self.emit(False, t2, "A", tag=tag and tag + "_sack")
            t2 += s_ack_first_us * US
        if s_notify:
            self.emit(False, t2, "FPA", close_notify(rng), tag=tag and tag + "_sfin")
        else:
            self.emit(False, t2, "FA", tag=tag and tag + "_sfin")
        t3 = t2 + self.jit(40, 120) * US
        self.emit(True, t3, "A", tag=tag and tag + "_lastack")
        return t3


def https_session(cap, rng, t, cli, res, name, ip, cport, size, rate, rtt_ms, s_ttl, dns_rtt_ms=12.0, chain=(),
                  other=None, close_after=None, tag=None, ifidx=0, cttl=64, rttl=64, dns_ip_ttl=300, cert=3900, dcli=None, **kw):
    """DNS lookup (A or AAAA by the family of ip, plus the other family when other is given: an address or []
    for NODATA) then an HTTPS GET from cli. DNS goes from dcli (default cli) to res. Returns (conn, t_end)."""
    dcli = dcli or cli

    def rrset(qt, addr):
        out, owner = [], name
        for cn in chain:
            out.append((owner, T_CNAME, 300, cn))
            owner = cn
        if addr:
            out.append((owner, qt, dns_ip_ttl, addr))
        return out
    qt1, qt2 = (T_AAAA, T_A) if ":" in ip else (T_A, T_AAAA)
    dttl = 64 if ":" in dcli else cttl
    t_r, sp, qid = dns_exchange(cap, rng, t, dcli, res, name, qt1, rrset(qt1, ip), int(dns_rtt_ms * MS), cttl=dttl, rttl=rttl, ifidx=ifidx, tag=tag and tag + "_dns")
    if other is not None:
        dns_exchange(cap, rng, t + rng.randrange(40, 200) * US, dcli, res, name, qt2, rrset(qt2, other), int(dns_rtt_ms * MS) + rng.randrange(100, 900) * US,
                     cttl=dttl, rttl=rttl, ifidx=ifidx, sport=sp, qid=(qid + 1) & 0xFFFF)
    t = t_r + rng.randrange(300, 1500) * US
    if ":" in ip:
        kw.setdefault("c_mss", 1440)
        kw.setdefault("s_mss", 1440)
    c = Conn(cap, rng, cli, ip, cport, rtt_ms=rtt_ms, s_ttl=s_ttl, ifidx=ifidx, c_ttl=cttl, **kw)
    t_req = c.https_open(t, name, rng, tag=tag, cert=cert)
    _td, t_a = c.https_get(t_req, rng, size, rate, tag=tag and tag + "_data")
    if close_after is not None:
        t_a = c.c_close(t_a + close_after, rng, tag=tag)
    return c, t_a


# ----------------------------------------------------------------------------- scenarios

def sc1_longpoll(outdir):
    """Server-sent events over HTTPS: ~16 KB then 40 s of silence, client FIN, server FIN/ACK."""
    rng = random.Random(10201)
    cmac, gw = "3c:58:c2:4e:91:07", "38:10:d5:a2:6c:e1"
    CLI, RES = "192.168.178.34", "192.168.178.1"

    def framer(ipb, ifidx):
        out = ipb[12:16] == bytes(map(int, CLI.split("."))) if ipb[0] >> 4 == 4 else False
        return 0, eth(gw, cmac, ipb) if out else eth(cmac, gw, ipb, pad=True)

    cap = Capture(1741943553_120000 * 1000, framer)
    SRV = "116.203.152.41"  # Hetzner-hosted app (both names)
    # ordinary flow first
    t = 0
    https_session(cap, rng, t, CLI, RES, "www.tagesschau.de", "23.52.74.183", 50412, 96000, 80e6, 14.0, 56,
                  chain=("www.tagesschau.de.edgekey.net", "e7641.b.akamaiedge.net"), close_after=4 * SEC)
    # the long-poll connection
    t = 900 * MS
    t_r, sp, qid = dns_exchange(cap, rng, t, CLI, RES, "events.tinyboard.io", T_A, [("events.tinyboard.io", T_A, 120, SRV)], 21 * MS, tag="lp_dns")
    dns_exchange(cap, rng, t + 90 * US, CLI, RES, "events.tinyboard.io", T_AAAA, [], 22 * MS, sport=sp, qid=(qid + 1) & 0xFFFF)
    c = Conn(cap, rng, CLI, SRV, 50418, rtt_ms=31.0, s_ttl=50)
    t_req = c.https_open(t_r + 700 * US, "events.tinyboard.io", rng, tag="lp", cert=2650)
    # text/event-stream: response headers + backlog of events, ~16 KB total from the server
    t = t_req + c.rtt + 9 * MS
    t = c.s_send(t, enc(rng, 251) + enc(rng, 244))
    c.c_ack(t + 60 * US)
    t += 2 * MS
    ev = enc(rng, 180)
    for _ in range(11):
        ev += enc(rng, rng.randrange(900, 1300))
    t_d, _ta = c.s_bulk(t, ev, 60e6, tag="lp_data")
    # a few live events trickle in
    for dt in (2.1, 5.7, 6.3):
        tt = t_d + int(dt * SEC)
        c.s_send(tt, enc(rng, rng.randrange(160, 420)), tag="lp_data")
        c.c_ack(tt + 40 * MS)  # delayed ACK
    t_last = t_d + int(6.3 * SEC)
    c.lp_bytes = c.c_got
    # 40 s of nothing: the client navigates away and closes.
    t_close = t_last + 40 * SEC + 40 * MS + 212 * MS
    c.c_close(t_close, rng, tag="lp")
    # a second name on the same server address: fast download
    t = t_last + 3 * SEC
    c2, t2 = https_session(cap, rng, t, CLI, RES, "static.tinyboard.io", SRV, 50436, 620000, 80e6, 31.0, 50,
                           other=[], close_after=None, tag="fast", cert=2650)
    c2.c_close(t2 + 11 * SEC, rng, tag="fast")
    # another ordinary flow during the quiet period
    https_session(cap, rng, t_last + 17 * SEC, CLI, RES, "fonts.gstatic.com", "142.250.185.99", 50460, 48000, 80e6, 9.5, 118,
                  other="2a00:1450:4001:82b::2003", close_after=None, c_mss=1460, s_mss=1412, s_ws=8)
    frames = cap.finish()
    name = "b10b_sse_longpoll.pcap"
    write_pcap(os.path.join(outdir, name), frames, 1, "<", nsec=False)
    about = (f"Server-sent-events stream to events.tinyboard.io ({SRV}): TLS ClientHello frame {cap.f('lp_ch')}, the server delivers "
             f"about {c.lp_bytes // 1024} KB of backlog and live events (last data frame {cap.tags['lp_data'][-1]}), then both sides are silent for 40 s "
             f"with every client byte already acknowledged and no retransmissions. The client then closes (close_notify+FIN frame {cap.f('lp_cfin')}) and the "
             f"server answers within one RTT with its own close_notify+FIN (frame {cap.f('lp_sfin')}), so the path was never cut; this is an idle long-poll, not a "
             f"THR-03 freeze. static.tinyboard.io on the same address (ClientHello frame {cap.f('fast_ch')}) downloads 620 KB quickly.")
    return name, {"expect": [], "allow": [], "about": about}


def sc2_tabclose(outdir):
    """Browser tab closed after ~18 KB of a download: close_notify+FIN from the client, server ACK then FIN."""
    rng = random.Random(10202)
    cmac, gw = "f0:2f:74:19:a3:5c", "00:1b:21:8e:40:02"
    CLI, RES = "10.44.20.117", "10.44.20.1"
    cip = bytes(map(int, CLI.split(".")))

    def framer(ipb, ifidx):  # SPAN port of an access switch, VLAN 20, both directions padded on the wire
        out = ipb[12:16] == cip
        return 0, eth(gw, cmac, ipb, vlan=20, pad=True) if out else eth(cmac, gw, ipb, vlan=20, pad=True)

    cap = Capture(1742297114_438211907, framer)
    SRV = "164.90.183.27"  # DigitalOcean FRA1
    https_session(cap, rng, 0, CLI, RES, "de.wikipedia.org", "185.15.59.224", 51822, 143000, 60e6, 19.0, 55,
                  chain=("dyna.wikimedia.org",), close_after=None, dns_rtt_ms=2.4)
    # tab 1: media download, user closes the tab after ~18 KB arrived
    t = 2100 * MS
    t_r, _sp, _qid = dns_exchange(cap, rng, t, CLI, RES, "media.lensfolio.com", T_A, [("media.lensfolio.com", T_A, 60, SRV)], int(24.2 * MS), tag="t1_dns")
    c = Conn(cap, rng, CLI, SRV, 51840, rtt_ms=27.0, s_ttl=53)
    t_req = c.https_open(t_r + 800 * US, "media.lensfolio.com", rng, tag="t1", cert=3400)
    t = t_req + c.rtt + 4 * MS
    t = c.s_send(t, enc(rng, 248) + enc(rng, 239))
    c.c_ack(t + 50 * US)
    t += 110 * MS  # dynamic response: headers then the first chunk
    t_d, t_a = c.s_bulk(t, enc(rng, 212) + enc(rng, 6900), 45e6, tag="t1_data")
    t = t_d + 380 * MS
    t_d, t_a = c.s_bulk(t, enc(rng, 7100), 45e6, tag="t1_data")
    c.t1_bytes = c.c_got
    t_close = t_a + 1240 * MS
    c.c_close(t_close, rng, tag="t1", s_ack_first_us=2300)
    # tab 2: same server, completes
    t = t_close + 2600 * MS
    c2, t2 = https_session(cap, rng, t, CLI, RES, "www.lensfolio.com", SRV, 51866, 870000, 45e6, 27.0, 53,
                           dns_rtt_ms=23.0, close_after=None, tag="t2", cert=3400)
    c2.c_close(t2 + 6 * SEC, rng, tag="t2")
    https_session(cap, rng, t2 + 2 * SEC, CLI, RES, "upload.wikimedia.org", "185.15.59.240", 51880, 230000, 60e6, 19.0, 55,
                  close_after=None, dns_rtt_ms=2.1)
    frames = cap.finish()
    name = "b10b_tab_closed.pcap"
    write_pcap(os.path.join(outdir, name), frames, 1, ">", nsec=True)
    about = (f"media.lensfolio.com ({SRV}, ClientHello frame {cap.f('t1_ch')}) receives about {c.t1_bytes // 1024} KB (last server data frame {cap.tags['t1_data'][-1]}); "
             f"the browser tab is then closed: the client itself sends a TLS close_notify with FIN (frame {cap.f('t1_cfin')}), the server ACKs it (frame {cap.f('t1_sack')}) "
             f"and closes with its own close_notify+FIN (frame {cap.f('t1_sfin')}). Nothing the client sent went unanswered and there is no retransmission, so "
             f"the stop at ~{c.t1_bytes // 1024} KB is the client's decision, not a THR-03 byte-budget freeze. A second tab to the same address (www.lensfolio.com, ClientHello frame "
             f"{cap.f('t2_ch')}) downloads 870 KB at full speed.")
    return name, {"expect": [], "allow": [], "about": about}


def sc3_mobile_stall(outdir):
    """Flaky mobile link: every flow stalls at the same moment for 25 s, then everything recovers."""
    rng = random.Random(10203)
    CLI, CLI6 = "10.167.43.218", "2a02:3032:20b:4c1e:8d3f:29a0:71c4:e5b2"
    RES = "10.74.210.210"

    def framer(ipb, ifidx):  # rmnet_data0 on the phone: raw IP
        return 0, ipb

    cap = Capture(1743580921_004118530, framer)
    T = 9 * SEC  # outage starts
    R = T + 25 * SEC  # link back
    RATE = 9e6
    # F4: chat app connection (IPv6), idle after its first exchange
    V6S = "2a05:d014:9c4:3e01:6f1a:90b2:4d3:a1c7"
    dns_exchange(cap, rng, 0, CLI, RES, "chat-edge.pingpal.im", T_A, [("chat-edge.pingpal.im", T_A, 60, "18.197.84.12")], 38 * MS)
    t_r, _sp, _q = dns_exchange(cap, rng, 180 * US, CLI, RES, "chat-edge.pingpal.im", T_AAAA, [("chat-edge.pingpal.im", T_AAAA, 60, V6S)], 41 * MS, tag="f4_dns")
    c4 = Conn(cap, rng, CLI6, V6S, 41022, rtt_ms=47.0, s_ttl=47, c_mss=1440, s_mss=1440, s_ws=9)
    t = c4.https_open(t_r + 2 * MS, "chat-edge.pingpal.im", rng, tag="f4", cert=2900)
    c4.https_get(t, rng, 5200, RATE)
    # F1: video segments (IPv6, Akamai)
    VS = "2a02:26f0:d8:5a7::1b2e"
    t_r, sp, qid = dns_exchange(cap, rng, 350 * MS, CLI, RES, "vod.flimmer.tv", T_AAAA,
                                [("vod.flimmer.tv", T_CNAME, 3600, "vod.flimmer.tv.edgesuite.net"), ("vod.flimmer.tv.edgesuite.net", T_CNAME, 21600, "a1887.dscb.akamai.net"), ("a1887.dscb.akamai.net", T_AAAA, 20, VS)], 44 * MS, tag="f1_dns")
    dns_exchange(cap, rng, 350 * MS + 150 * US, CLI, RES, "vod.flimmer.tv", T_A,
                 [("vod.flimmer.tv", T_CNAME, 3600, "vod.flimmer.tv.edgesuite.net"), ("vod.flimmer.tv.edgesuite.net", T_CNAME, 21600, "a1887.dscb.akamai.net"), ("a1887.dscb.akamai.net", T_A, 20, "23.32.29.146"), ("a1887.dscb.akamai.net", T_A, 20, "23.32.29.153")], 45 * MS, sport=sp + 1)
    c1 = Conn(cap, rng, CLI6, VS, 41036, rtt_ms=52.0, s_ttl=56, c_mss=1440, s_mss=1440, s_ws=7)
    t = c1.https_open(t_r + 1500 * US, "vod.flimmer.tv", rng, tag="f1", cert=4300)
    _td, t = c1.https_get(t, rng, 420000, RATE)
    for k, t_req in enumerate((4300 * MS, 8600 * MS)):
        c1.c_send(t_req, enc(rng, rng.randrange(90, 130)), tag="f1_req")
        if k == 0:
            c1.s_bulk(t_req + c1.rtt + 6 * MS, app_stream(rng, 455000), RATE, cwnd0=40)
        else:
            c1.s_bulk(t_req + c1.rtt + 6 * MS, app_stream(rng, 455000), RATE, cwnd0=40, cut=T, tag="f1_pre")
    # F3: weather API, finished fetch, connection idle (IPv4, AWS)
    W = "3.120.177.53"
    c3, t = https_session(cap, rng, 1200 * MS, CLI, RES, "api.wetterfrosch.app", W, 44870, 21000, RATE, 49.0, 231, dns_rtt_ms=37.0,
                          chain=("wf-api-prod-1530847726.eu-central-1.elb.amazonaws.com",), other=[], tag="f3", cert=4100)
    # F2: sync blob download (IPv4, Hetzner), starts just before the outage: ~19 KB arrive, then nothing
    S2 = "5.75.201.88"
    t_r, sp, qid = dns_exchange(cap, rng, T - 420 * MS, CLI, RES, "sync.notely.app", T_A, [("sync.notely.app", T_A, 300, S2)], 36 * MS, tag="f2_dns")
    dns_exchange(cap, rng, T - 420 * MS + 120 * US, CLI, RES, "sync.notely.app", T_AAAA, [], 37 * MS, sport=sp, qid=(qid + 1) & 0xFFFF)
    c2 = Conn(cap, rng, CLI, S2, 44902, rtt_ms=55.0, s_ttl=51)
    c2.https_open(t_r + 900 * US, "sync.notely.app", rng, tag="f2", cert=4300)
    tk = enc(rng, 244) + enc(rng, 244)
    c2.s_send(T - 62 * MS, tk)
    c2.c_ack(T - 62 * MS + 300 * US)
    c2.s_bulk(T - 34 * MS, app_stream(rng, 310000), RATE, cut=T, tag="f2_pre")
    f2_bytes = c2.c_got
    # --- outage: client FINs go unanswered and are retransmitted with backoff
    fin_payload = close_notify(rng)
    tf = T + 8900 * MS
    fseq = c3.cn
    c3.emit(True, tf, "FPA", fin_payload, seq=fseq, tag="f3_fin")
    rto, tt = 260 * MS, tf
    while True:
        tt += rto
        rto *= 2
        c3.emit(True, tt, "FPA", fin_payload, seq=fseq, tag="f3_fin")
        if tt > R:
            break
    t2 = tt + c3.rtt + 300 * US
    c3.emit(False, t2, "FPA", close_notify(rng), tag="f3_sfin")
    c3.emit(True, t2 + 80 * US, "A")
    tf = T + 14200 * MS
    fseq = c4.cn
    fp4 = close_notify(rng)
    c4.emit(True, tf, "FPA", fp4, seq=fseq, tag="f4_fin")
    rto, tt = 240 * MS, tf
    while True:
        tt += rto
        rto *= 2
        c4.emit(True, tt, "FPA", fp4, seq=fseq, tag="f4_fin")
        if tt > R:
            break
    t2 = tt + c4.rtt + 250 * US
    c4.emit(False, t2, "FPA", close_notify(rng), tag="f4_sfin")
    c4.emit(True, t2 + 70 * US, "A")
    # DNS lookup during the outage: retried, answered once the link is back
    qn = "config.flimmer.tv"
    qid = rng.randrange(65536)
    sp = rng.randrange(32768, 61000)
    for k, tq in enumerate((T + 17500 * MS, T + 22500 * MS)):
        dns_exchange(cap, rng, tq, CLI, RES, qn, T_A, None, 0, sport=sp, qid=qid, tag="dns_out" if k == 0 else None)
    # --- recovery: servers' backed-off retransmissions get through, transfers resume in slow start
    for c, first_rto in ((c1, 205 * MS), (c2, 200 * MS)):
        t0 = c.cut_t - c.owd
        k, tr = 0, t0
        while tr + c.owd < R:
            tr = t0 + first_rto * ((1 << (k + 1)) - 1)
            k += 1
            c.s_id = (c.s_id + 1) & 0xFFFF
        c.sn = c.c_rcv
        c.post_t = tr + c.owd
    # the transfers resume in slow start with the first lost segment
    c1.s_bulk(c1.post_t, c1.cut_data, RATE, cwnd0=1, tag="f1_post")
    c2.s_bulk(c2.post_t, c2.cut_data, RATE, cwnd0=1, tag="f2_post")
    tq = T + 27500 * MS
    tr_, _sp, _q = dns_exchange(cap, rng, tq, CLI, RES, qn, T_A, [(qn, T_CNAME, 300, "d3k81ch9hvuctc.cloudfront.net"), ("d3k81ch9hvuctc.cloudfront.net", T_A, 60, "18.66.102.41")],
                                39 * MS, sport=sp, qid=qid, tag="dns_ok")
    c5 = Conn(cap, rng, CLI, "18.66.102.41", 44950, rtt_ms=41.0, s_ttl=245)
    t = c5.https_open(tr_ + 1 * MS, qn, rng, tag="new", cert=4900)
    c5.https_get(t, rng, 38000, RATE)
    https_session(cap, rng, T + 29800 * MS, CLI, RES, "www.spiegel.de", "151.101.2.86", 44966, 185000, RATE, 44.0, 57, dns_rtt_ms=40.0,
                  chain=("spiegel.map.fastly.net",), other=[], tag="new2")
    frames = cap.finish()
    name = "b10b_mobile_stall.pcap"
    write_pcap(os.path.join(outdir, name), frames, 101, "<", nsec=True)
    about = (f"Phone on a mobile link (raw-IP capture). After frames {cap.tags['f1_pre'][-1]} and {cap.tags['f2_pre'][-1]} every flow goes silent at the same moment "
             f"for 25 s: the video download (vod.flimmer.tv over IPv6), the sync download (sync.notely.app, stalled after {f2_bytes // 1024} KB), and the client's FINs on two idle "
             f"connections to other servers (frames {cap.fr('f3_fin')} and {cap.fr('f4_fin')}) and a DNS query (frame {cap.f('dns_out_q')}, retried) go unanswered. "
             f"Then everything recovers: the servers' backed-off retransmissions arrive (frames {cap.f('f1_post')}, {cap.f('f2_post')}), both transfers complete, the FINs are answered "
             f"(frames {cap.f('f3_sfin')}, {cap.f('f4_sfin')}), the DNS retry is answered (frame {cap.f('dns_ok_r')}) and new connections work (ClientHello frame {cap.f('new_ch')}); an outage hitting all servers, names and protocols alike is the link, not censorship.")
    return name, {"expect": [], "allow": [], "about": about}


def dns_reply(cap, rng, t, res, cli, sport, qid, qname, qtype, answers, rttl=64, opt=1232, tag=None, ifidx=0):
    r = dns_msg(qid, 0x8180, qname, qtype, answers, opt=opt)
    cap.add(t, ip_pkt(res, cli, UDP(sport=53, dport=sport) / Raw(r), rttl, ipid_rand(rng)), ifidx, tag=tag)
    return r


def sc4_dns64_forwarder(outdir):
    """Home router forwarding one AAAA query to two upstreams and relaying both answers (DNS64 + native)."""
    from scapy.layers.inet6 import ICMPv6DestUnreach
    rng = random.Random(10204)
    cmac, rmac = "8c:8d:28:3b:f1:6a", "e0:28:6d:91:0c:5e"
    CLI6, RTR6 = "2a02:8109:b6c0:1a00:5d2e:8c1f:3a90:7be4", "2a02:8109:b6c0:1a00::1"
    CLI4 = "192.168.0.57"
    mine = {bytes(map(int, CLI4.split(".")))}
    import ipaddress
    mine6 = ipaddress.ip_address(CLI6).packed

    def framer(ipb, ifidx):
        out = ipb[8:24] == mine6 if ipb[0] >> 4 == 6 else ipb[12:16] in mine
        return 0, eth(rmac, cmac, ipb) if out else eth(cmac, rmac, ipb, pad=True)

    cap = Capture(1744802207_551902000, framer)
    # ordinary: heise.de over IPv6
    https_session(cap, rng, 0, CLI6, RTR6, "www.heise.de", "2a02:2e0:3fe:1001:302::", 53110, 210000, 95e6, 16.0, 57, dns_rtt_ms=9.0,
                  other="193.99.144.85", close_after=None, tag="heise")
    # the trick: AAAA for shop.kettlebrook.de, two relayed answers
    qn = "shop.kettlebrook.de"
    V4 = "49.12.120.7"
    SYN6 = "64:ff9b::310c:7807"  # RFC 6052 well-known prefix + 49.12.120.7
    NAT6 = "2a01:4f8:c17:9d3::1"
    t = 2400 * MS
    sp = 47311
    qa, q6 = 0x5F12, 0x5F13
    cap.add(t, ip_pkt(CLI6, RTR6, UDP(sport=sp, dport=53) / Raw(dns_msg(qa, 0x0100, qn, T_A, (), opt=1232)), 64), tag="q_a")
    cap.add(t + 61 * US, ip_pkt(CLI6, RTR6, UDP(sport=sp, dport=53) / Raw(dns_msg(q6, 0x0100, qn, T_AAAA, (), opt=1232)), 64), tag="q_aaaa")
    dns_reply(cap, rng, t + 17310 * US, RTR6, CLI6, sp, qa, qn, T_A, [(qn, T_A, 3600, V4)], tag="r_a")
    dns_reply(cap, rng, t + 18020 * US, RTR6, CLI6, sp, q6, qn, T_AAAA, [(qn, T_AAAA, 600, SYN6)], tag="r_dns64")
    t2 = t + 31480 * US
    late = dns_reply(cap, rng, t2, RTR6, CLI6, sp, q6, qn, T_AAAA, [(qn, T_AAAA, 3600, NAT6)], tag="r_native")
    # the stub already closed its socket: port unreachable for the late copy
    inner = IPv6(src=RTR6, dst=CLI6, hlim=64) / UDP(sport=53, dport=sp) / Raw(late)
    cap.add(t2 + 95 * US, bytes(IPv6(src=CLI6, dst=RTR6, hlim=64) / ICMPv6DestUnreach(code=4) / inner), tag="icmp")
    # connect to the first (DNS64) address: via the ISP's NAT64, TLS completes
    c = Conn(cap, rng, CLI6, SYN6, 53126, rtt_ms=24.0, s_ttl=50, c_mss=1440, s_mss=1420)
    t_req = c.https_open(t + 18020 * US + 1900 * US, qn, rng, tag="shop", cert=3100)
    _td, t_a = c.https_get(t_req, rng, 164000, 95e6, tag="shop_data")
    t_req = c.c_send(t_a + 1800 * MS, enc(rng, 96) + enc(rng, 210))
    _td, t_a = c.https_get(t_req, rng, 52000, 95e6, tag="shop_data")
    c.c_close(t_a + 14 * SEC, rng, tag="shop")
    # more ordinary traffic
    https_session(cap, rng, 5300 * MS, CLI4, RTR6, "api.github.com", "140.82.121.6", 40944, 36000, 95e6, 21.0, 52, dns_rtt_ms=14.0,
                  other=[], close_after=6 * SEC, tag="gh", dcli=CLI6, s_ws=10)
    https_session(cap, rng, 7900 * MS, CLI6, RTR6, "www.dwd.de", "2a00:1398:4:2a03::e9", 53140, 122000, 95e6, 18.0, 54, dns_rtt_ms=21.0,
                  other="141.38.3.181", close_after=None, tag="dwd")
    frames = cap.finish()
    name = "b10b_dns64_forwarder.pcapng"
    write_pcapng(os.path.join(outdir, name), frames, [(1, "wlp2s0", 6)])
    about = (f"The home router (dnsmasq, {RTR6}) forwards the AAAA query for {qn} (frame {cap.f('q_aaaa')}) to two upstream resolvers and relays both answers: "
             f"frame {cap.f('r_dns64')} carries the DNS64-synthesised {SYN6} (RFC 6052 prefix + the site's A record {V4}, frame {cap.f('r_a')}) and frame {cap.f('r_native')} "
             f"the native AAAA {NAT6}. Both come from the router's address with the same hop limit, the same ID and question, complete and with EDNS echoed; the "
             f"client's stub has already closed the socket (ICMPv6 port unreachable, frame {cap.f('icmp')}). The client connects to the first address through NAT64 and "
             f"TLS completes (ClientHello frame {cap.f('shop_ch')}, ServerHello frame {cap.f('shop_sh')}), so this is benign DNS64 divergence, not DNS injection.")
    return name, {"expect": [], "allow": [], "about": about}


def sc5_zero_window(outdir):
    """A progressive video download paced by the player: receive window repeatedly zero, low average rate."""
    rng = random.Random(10205)
    cmac, gw = "b4:2e:99:6d:20:f3", "74:83:c2:1e:a8:40"
    CLI, RES = "192.168.1.140", "192.168.1.1"
    cip = bytes(map(int, CLI.split(".")))

    def framer(ipb, ifidx):  # tcpdump -i any: Linux cooked v2, interface index 2 (enp3s0)
        out = ipb[12:16] == cip
        return 0, sll2(ipb, out, 2, cmac if out else gw)

    cap = Capture(1745311802_067314000, framer)
    SRV = "94.130.61.212"
    https_session(cap, rng, 0, CLI, RES, "www.ardmediathek.de", "23.55.160.202", 39812, 260000, 100e6, 13.0, 57, dns_rtt_ms=11.0,
                  chain=("www.ardmediathek.de.edgekey.net", "e11342.a.akamaiedge.net"), other=[], tag="ard")
    # the player opens the media URL; it reads from the socket only as fast as it plays
    t = 1400 * MS
    t_r, sp, qid = dns_exchange(cap, rng, t, CLI, RES, "vod.streamcrate.net", T_A, [("vod.streamcrate.net", T_A, 300, SRV)], 28 * MS, tag="vod_dns")
    dns_exchange(cap, rng, t + 70 * US, CLI, RES, "vod.streamcrate.net", T_AAAA, [], int(28.4 * MS), sport=sp, qid=(qid + 1) & 0xFFFF)
    c = Conn(cap, rng, CLI, SRV, 39830, rtt_ms=34.0, s_ttl=51)
    t_req = c.https_open(t_r + 600 * US, "vod.streamcrate.net", rng, tag="vod", cert=2950, alpn=("http/1.1",), req=350)
    t = t_req + c.rtt + 3 * MS
    t = c.s_send(t, enc(rng, 249) + enc(rng, 249))
    c.c_ack(t + 40 * US)
    unit = 181 << c.c_ws  # 16 full segments
    c.rwnd_edge = (c.c_rcv + 12 * unit) & 0xFFFFFFFF
    t_first = t + 2 * MS
    chunks = [12, 5, 6, 4, 5, 6, 5, 4]  # window openings, in units of 16 segments
    zero_for = [0.94, 1.71, 0.62, 2.93, 1.37, 1.12, 2.2]  # how long the player leaves the window closed
    c.zw = []
    total = 0
    for k, n in enumerate(chunks):
        data = app_stream(rng, n * unit, first_hdr=(k == 0))[: n * unit]
        total += len(data)
        _td, ta = c.s_bulk(t_first, data, 60e6, cwnd0=10, tag="vod_data")
        if k == len(chunks) - 1:
            break
        # receive window is now zero; the server's persist timer probes, the client answers with win=0
        c.zw.append(cap.n)
        tz = ta
        t_open = tz + int(zero_for[k] * SEC)
        rto, tp = 214 * MS, tz + c.rtt
        while True:
            tp += rto
            rto *= 2
            if tp + 2 * MS >= t_open:
                break
            c.emit(False, tp, "A", seq=(c.sn - 1) & 0xFFFFFFFF, tag="zwp")
            c.emit(True, tp + rng.randrange(30, 70) * US, "A", tag="zwp_ack")
        c.rwnd_edge = (c.rwnd_edge + chunks[k + 1] * unit) & 0xFFFFFFFF
        c.emit(True, t_open, "A", tag="wupd")
        t_first = t_open + c.rtt + rng.randrange(100, 300) * US
    c.vod_total = total
    c.vod_t = (ta - t_req) / SEC
    c.rwnd_edge = None
    c.c_winf = 2172
    c.c_close(ta + 2600 * MS, rng, tag="vod")
    # thumbnails from the same server under another name: small and fast
    c2, t2 = https_session(cap, rng, t_req + 2100 * MS, CLI, RES, "img.streamcrate.net", SRV, 39846, 21500, 60e6, 34.0, 51, dns_rtt_ms=27.0,
                           other=[], tag="img", cert=2950)
    c2.c_close(t2 + 4 * SEC, rng, tag="img")
    https_session(cap, rng, t_req + 5300 * MS, CLI, RES, "www.tagesschau.de", "23.52.74.183", 39870, 88000, 100e6, 13.5, 56, dns_rtt_ms=12.0,
                  chain=("www.tagesschau.de.edgekey.net", "e7641.b.akamaiedge.net"), other=[], tag="ts")
    frames = cap.finish()
    name = "b10b_rwnd_zero.pcap"
    write_pcap(os.path.join(outdir, name), frames, 276, ">", nsec=False)
    about = (f"A video player streams vod.streamcrate.net ({SRV}, ClientHello frame {cap.f('vod_ch')}) and reads only as fast as it plays: the client's own "
             f"receive window falls to zero {len(chunks) - 1} times (zero-window probes from the server at frames {', '.join(str(x) for x in cap.tags['zwp'][:4])}..., each answered "
             f"with win=0), and each window update (first at frame {cap.f('wupd')}) is followed immediately by a fast burst. {c.vod_total // 1024} KB arrive over "
             f"{c.vod_t:.1f} s, a low average rate caused by the receiver, not the network; img.streamcrate.net on the same address (ClientHello frame {cap.f('img_ch')}, under 30 KB) "
             f"is fast. No throttling: there is no loss, no retransmission, and the sender is never limited by anything but the advertised window.")
    return name, {"expect": [], "allow": [], "about": about}


def sc6_corp_proxy(outdir):
    """HTTPS through a corporate HTTP proxy (CONNECT on 3128) that caps every tunnel at the same rate."""
    rng = random.Random(10206)
    cmac, gw = "c8:5b:76:a1:3e:29", "00:08:e3:ff:fd:90"
    CLI, DNS1, PROXY = "10.20.30.45", "10.20.0.53", "10.20.0.8"
    cip = bytes(map(int, CLI.split(".")))

    def framer(ipb, ifidx):  # interface 0: enp0s31f6 (Ethernet), interface 1: lo
        if ifidx == 1:
            return 1, eth("00:00:00:00:00:00", "00:00:00:00:00:00", ipb)
        out = ipb[12:16] == cip
        return 0, eth(gw, cmac, ipb) if out else eth(cmac, gw, ipb, pad=True)

    cap = Capture(1746003331_870412000, framer)

    def lookup(t, name, qtype, answers, up_ms, tag=None):
        """glibc -> systemd-resolved (127.0.0.53 on lo) -> corporate DNS on enp0s31f6."""
        sp, qid = rng.randrange(32768, 61000), rng.randrange(65536)
        q = dns_msg(qid, 0x0100, name, qtype, (), opt=None)
        cap.add(t, ip_pkt("127.0.0.1", "127.0.0.53", UDP(sport=sp, dport=53) / Raw(q), 64, ipid_rand(rng)), 1, tag=tag and tag + "_lq")
        t1 = t + rng.randrange(90, 250) * US
        tr, _s, _q = dns_exchange(cap, rng, t1, CLI, DNS1, name, qtype, answers, int(up_ms * MS), rttl=63, qflags=0x0100, tag=tag)
        r = dns_msg(qid, 0x8180, name, qtype, answers, opt=None)
        t2 = tr + rng.randrange(60, 160) * US
        cap.add(t2, ip_pkt("127.0.0.53", "127.0.0.1", UDP(sport=53, dport=sp) / Raw(r), 64, ipid_rand(rng)), 1, tag=tag and tag + "_lr")
        return t2

    PN = "proxy.acme-corp.internal"
    t = lookup(0, PN, T_A, [(PN, T_A, 3600, PROXY)], 1.1, tag="pdns")
    lookup(80 * US, PN, T_AAAA, [], 1.2)
    CAP_BPS = 1.0e6  # squid delay_pools: every tunnel gets the same 1 Mbit/s
    UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36"
    res = {}

    def tunnel(t, host, cport, size, up_rtt_ms, tag):
        c = Conn(cap, rng, CLI, PROXY, cport, sport=3128, rtt_ms=0.62, s_ttl=63, s_ws=7)
        t = c.handshake(t, tag)
        t += rng.randrange(150, 400) * US
        req = (f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\nProxy-Connection: keep-alive\r\nUser-Agent: {UA}\r\n\r\n").encode()
        t = c.c_send(t, req, tag=tag + "_connect")
        c.s_ack(t + c.rtt + rng.randrange(40, 160) * US)
        up = int(up_rtt_ms * MS)
        t = c.s_send(t + up + rng.randrange(500, 3000) * US, b"HTTP/1.1 200 Connection established\r\n\r\n", tag=tag + "_200")
        t += rng.randrange(200, 500) * US
        ch, sid = client_hello(rng, host)
        t = c.c_send(t, ch, tag=tag + "_ch")
        c.s_ack(t + c.rtt + rng.randrange(40, 160) * US)
        _td, ta = c.s_bulk(t + up + rng.randrange(1000, 4000) * US, server_flight(rng, sid, rng.randrange(2600, 4200)), CAP_BPS, cwnd0=10, tag=tag + "_sh")
        t = c.c_send(ta + rng.randrange(1500, 3500) * US, client_finish(rng, rng.randrange(380, 520)), tag=tag + "_req")
        c.s_ack(t + c.rtt + rng.randrange(40, 160) * US)
        t1 = t + up + rng.randrange(15, 60) * MS
        tk = enc(rng, rng.randrange(230, 260)) + enc(rng, rng.randrange(230, 260))
        _td, ta = c.s_bulk(t1, tk + app_stream(rng, size), CAP_BPS, cwnd0=10, tag=tag + "_data")
        c.t_req, c.t_done, c.size = t1, _td, c.c_got
        res[tag] = c
        return c, ta

    # several tunnels, several names (two of them on throttling lists elsewhere), all held to the same rate
    specs = [(1200, "abs.twimg.com", 51440, 180000, 31.0, "tw"),
             (1900, "download.docker.com", 51452, 300000, 19.0, "dk"),
             (5200, "rr4---sn-4g5e6nsz.googlevideo.com", 51478, 420000, 23.0, "gv"),
             (6100, "www.bbc.co.uk", 51490, 130000, 17.0, "bbc")]
    ends = {}
    for t_ms, host, cport, size, up, tag in specs:
        c, ta = tunnel(t + t_ms * MS, host, cport, size, up, tag)
        ends[tag] = (c, ta)
    for tag, (c, ta) in ends.items():
        c.c_close(ta + rng.randrange(4000, 9000) * MS, rng, tag=tag, notify=True, s_notify=False)
    # intranet, no proxy: fast
    WN = "wiki.acme-corp.internal"
    tr = lookup(3400 * MS, WN, T_A, [(WN, T_A, 3600, "10.20.4.10")], 0.9, tag="wdns")
    lookup(3400 * MS + 70 * US, WN, T_AAAA, [], 1.0)
    cw = Conn(cap, rng, CLI, "10.20.4.10", 51466, rtt_ms=0.8, s_ttl=63)
    t_req = cw.https_open(tr + 400 * US, WN, rng, tag="wiki", cert=2400)
    _td, ta = cw.https_get(t_req, rng, 240000, 900e6, tag="wiki_data", think_us=(2000, 6000))
    cw.c_close(ta + 3 * SEC, rng, tag="wiki")
    frames = cap.finish()
    name = "b10b_corp_proxy.pcapng"
    write_pcapng(os.path.join(outdir, name), frames, [(1, "enp0s31f6", 6), (1, "lo", 6)])
    rates = []
    for tag in ("tw", "dk", "gv", "bbc"):
        c = res[tag]
        rates.append(f"{tag}={c.size * 8 / ((c.t_done - c.t_req) / SEC) / 1e6:.2f}")
    about = (f"A corporate desktop reaches the web only through squid at {PROXY}:3128 ({PN} resolved via systemd-resolved on lo, frames {cap.f('pdns_lq')}-{cap.f('pdns_lr')}). "
             f"Four HTTPS tunnels (CONNECT frames {cap.f('tw_connect')}, {cap.f('dk_connect')}, {cap.f('gv_connect')}, {cap.f('bbc_connect')}; inner SNIs abs.twimg.com, download.docker.com, "
             f"rr4---sn-4g5e6nsz.googlevideo.com, www.bbc.co.uk) all run at the same ~1 Mbit/s ({', '.join(rates)} Mbit/s): the proxy's per-tunnel cap, smooth pacing with no loss or retransmission, "
             f"independent of the name. All flows share the same server (the proxy), so no innocuous fast flow to that server exists; the direct intranet download "
             f"(wiki.acme-corp.internal, ClientHello frame {cap.f('wiki_ch')}) is fast. Uniform bandwidth management, not SNI throttling.")
    return name, {"expect": [], "allow": [], "about": about}


SCENARIOS = [sc1_longpoll, sc2_tabclose, sc3_mobile_stall, sc4_dns64_forwarder, sc5_zero_window, sc6_corp_proxy]


def main():
    if len(sys.argv) != 2:
        print("usage: python blind10_benign.py OUTDIR", file=sys.stderr)
        sys.exit(2)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    exp = {}
    for sc in SCENARIOS:
        name, e = sc(outdir)
        exp[name] = e
    with open(os.path.join(outdir, "expect.json"), "w") as f:
        json.dump(exp, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
