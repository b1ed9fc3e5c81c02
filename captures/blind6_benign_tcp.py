#!/usr/bin/env python3
# ruff: noqa: E501, RUF005
"""Blind holdout set 6, TCP/HTTP area: BENIGN captures that look like censorship.

Writes eight captures of ordinary, uncensored traffic into OUTDIR, plus
OUTDIR/expect.json.  Every capture contains something a naive censorship
detector could mistake for rst-injection, packet-injection, blockpage,
throttling, blackhole or residual-blocking; a careful analyst, reading the
packets, would say there is no interference.  A correct tool reports no
finding for any of them (observations are fine).

    .venv/bin/python captures/blind6_benign_tcp.py OUTDIR

The output is deterministic: fixed random seeds, integer microsecond
timestamps, and hand-written pcap / pcapng writers (no wall-clock time,
no float rounding), so two runs give identical bytes.  Checksums and lengths
are computed by scapy.
"""

import bisect
import calendar
import email.utils
import json
import os
import random
import struct
import sys
import time

from scapy.all import DNS, DNSQR, DNSRR, ICMP, IP, TCP, UDP, Ether, Raw

GW_MAC = "e4:8d:8c:31:7a:02"


# ---------------------------------------------------------------------------
# capture container and writers
# ---------------------------------------------------------------------------

def utc_us(stamp):
    """'YYYY-mm-dd HH:MM:SS' (UTC) -> integer microseconds since the epoch."""
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%d %H:%M:%S")) * 1_000_000


class Capture:
    def __init__(self, fname, start_utc, client_mac, ifname="eth0"):
        self.fname = fname
        self.t0 = utc_us(start_utc)
        self.client_mac = client_mac
        self.ifname = ifname
        self.frames = []
        self.global_ipid = {}     # source IP -> first IP ID of a host-wide counter


    def add(self, t_us, ip_pkt, outbound):
        """t_us: microseconds relative to capture start (capture point = client NIC)."""
        if outbound:
            eth = Ether(src=self.client_mac, dst=GW_MAC)
        else:
            eth = Ether(src=GW_MAC, dst=self.client_mac)
        self.frames.append((int(t_us), len(self.frames), bytes(eth / ip_pkt)))

    def epoch_s(self, t_us):
        return (self.t0 + int(t_us)) // 1_000_000

    def write(self, outdir):
        frames = sorted(self.frames)
        if self.global_ipid:
            frames = _renumber_ipid(frames, dict(self.global_ipid))
        path = os.path.join(outdir, self.fname)
        with open(path, "wb") as f:
            if self.fname.endswith(".pcapng"):
                _write_pcapng(f, frames, self.t0, self.ifname)
            else:
                _write_pcap(f, frames, self.t0)
        return path, len(frames)


def _ip_checksum(hdr):
    s = sum(struct.unpack(f"!{len(hdr) // 2}H", hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def _renumber_ipid(frames, counters):
    """Hosts with one IP ID counter for all sockets (Windows): number their
    packets in capture order, and fix the IPv4 header checksum."""
    out = []
    for t, k, data in frames:
        if data[12:14] == b"\x08\x00":
            src = ".".join(str(x) for x in data[26:30])
            if src in counters:
                ihl = (data[14] & 0x0F) * 4
                hdr = bytearray(data[14:14 + ihl])
                hdr[4:6] = struct.pack("!H", counters[src])
                counters[src] = (counters[src] + 1) & 0xFFFF
                hdr[10:12] = b"\x00\x00"
                hdr[10:12] = struct.pack("!H", _ip_checksum(bytes(hdr)))
                data = data[:14] + bytes(hdr) + data[14 + ihl:]
        out.append((t, k, data))
    return out


def _write_pcap(f, frames, t0):
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    for t, _, data in frames:
        ts = t0 + t
        f.write(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(data), len(data)))
        f.write(data)


def _pad4(b):
    return b + b"\x00" * ((-len(b)) % 4)


def _block(btype, body):
    body = _pad4(body)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def _write_pcapng(f, frames, t0, ifname):
    f.write(_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
    name = ifname.encode()
    opts = struct.pack("<HH", 2, len(name)) + _pad4(name)          # if_name
    opts += struct.pack("<HHB", 9, 1, 6) + b"\x00" * 3              # if_tsresol = 10^-6
    opts += struct.pack("<HH", 0, 0)
    f.write(_block(1, struct.pack("<HHI", 1, 0, 262144) + opts))
    for t, _, data in frames:
        ts = t0 + t
        body = struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data)) + _pad4(data)
        f.write(_block(6, body))


# ---------------------------------------------------------------------------
# TCP machinery
# ---------------------------------------------------------------------------

class IdGen:
    """IP ID source: a per-socket counter (Linux, DF) or a host-wide one (Windows)."""

    def __init__(self, start):
        self.v = start & 0xFFFF

    def next(self):
        v = self.v
        self.v = (self.v + 1) & 0xFFFF
        return v


class Ep:
    """One side of a TCP connection as seen from the client's capture point."""

    def __init__(self, ip, port, *, ttl, isn, local, ids, stack="linux", win=65535,
                 wscale=7, mss=1460, ts=True, tsbase=0, syn_win=None):
        self.ip, self.port, self.ttl, self.isn = ip, port, ttl, isn
        self.local, self.ids, self.stack = local, ids, stack
        self.win, self.wscale, self.mss, self.ts, self.tsbase = win, wscale, mss, ts, tsbase
        self.syn_win = syn_win if syn_win is not None else (64240 if local else 65160)
        self.nxt = isn
        self.hist_t, self.hist_v = [], []     # cumulative delivered seq, by capture time
        self.tsh_t, self.tsh_v = [], []       # TSval sent, by capture time


class Conn:
    def __init__(self, cap, c, s, rtt_us):
        self.cap, self.c, self.s, self.rtt = cap, c, s, int(rtt_us)
        self.ts_ok = c.ts and s.ts

    def ends(self, frm):
        return (self.c, self.s) if frm == "c" else (self.s, self.c)

    def smss(self, frm):
        _, b = self.ends(frm)
        return b.mss - (12 if self.ts_ok else 0)

    # what `frm` knows about its peer at capture time t
    def _horizon(self, frm, t):
        return t if frm == "c" else t - self.rtt

    def seen(self, frm, t):
        _, b = self.ends(frm)
        i = bisect.bisect_right(b.hist_t, self._horizon(frm, t)) - 1
        return b.hist_v[i] if i >= 0 else None

    def tsecr(self, frm, t):
        _, b = self.ends(frm)
        i = bisect.bisect_right(b.tsh_t, self._horizon(frm, t)) - 1
        return b.tsh_v[i] if i >= 0 else 0

    def tsval(self, a, t):
        t_send = t if a.local else t - self.rtt // 2
        return (a.tsbase + max(0, t_send) // 1000) & 0xFFFFFFFF

    def mark(self, frm, t, cum):
        a, _ = self.ends(frm)
        assert not a.hist_t or t >= a.hist_t[-1]
        a.hist_t.append(t)
        a.hist_v.append(cum)

    def syn_options(self, a, t, synack):
        b = self.s if a is self.c else self.c
        if a.stack == "windows":
            return [("MSS", a.mss), ("NOP", None), ("WScale", a.wscale), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
        use_ts = a.ts and (b.ts if synack else True)
        if use_ts:
            return [("MSS", a.mss), ("SAckOK", b""), ("Timestamp", (self.tsval(a, t), self.tsecr("s" if synack else "c", t) if synack else 0)), ("NOP", None), ("WScale", a.wscale)]
        return [("MSS", a.mss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", a.wscale)]

    def pkt(self, t, frm, flags, payload=b"", *, seq=None, ack=None, win=None, sack=None,
            ttl=None, ipid=None, df=True, capture=True, deliver=True, options=None, record_ts=True):
        a, b = self.ends(frm)
        t = int(t)
        if seq is None:
            seq = a.nxt
        adv = len(payload) + ("S" in flags) + ("F" in flags)
        if adv and seq + adv > a.nxt:
            a.nxt = seq + adv
        if "A" in flags:
            if ack is None:
                ack = self.seen(frm, t)
                if ack is None:
                    ack = b.isn + 1
        else:
            ack = 0 if ack is None else ack
        if options is None:
            if "S" in flags:
                options = self.syn_options(a, t, "A" in flags)
            elif self.ts_ok and "R" not in flags:
                options = [("NOP", None), ("NOP", None), ("Timestamp", (self.tsval(a, t), self.tsecr(frm, t)))]
            else:
                options = []
            if sack:
                flat = []
                for lo, hi in sack:
                    flat += [lo & 0xFFFFFFFF, hi & 0xFFFFFFFF]
                options = options + [("NOP", None), ("NOP", None), ("SAck", tuple(flat))]
        for name, val in options:
            if name == "Timestamp" and record_ts and capture:
                assert not a.tsh_t or t >= a.tsh_t[-1], ("timestamp order", self.cap.fname, t, a.tsh_t[-1])
                a.tsh_t.append(t)
                a.tsh_v.append(val[0])
        if win is None:
            if "S" in flags:
                win = a.syn_win
            else:
                win = min(65535, a.win >> a.wscale)
        if ipid is None:
            ipid = a.ids.next()
        ip = IP(src=a.ip, dst=b.ip, ttl=ttl if ttl is not None else a.ttl, id=ipid, flags="DF" if df else 0)
        tcp = TCP(sport=a.port, dport=b.port, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF, flags=flags, window=win, options=options)
        p = ip / tcp / Raw(payload) if payload else ip / tcp
        if capture:
            self.cap.add(t, p, outbound=a.local)
        if deliver and adv:
            cum = seq + adv
            if a.hist_v and a.hist_v[-1] > cum:
                cum = a.hist_v[-1]
            assert not a.hist_t or t >= a.hist_t[-1], ("data order", self.cap.fname, t, a.hist_t[-1])
            a.hist_t.append(t)
            a.hist_v.append(cum)
        return p

    # -- composite operations -------------------------------------------------

    def handshake(self, t, *, synack_delay=0):
        """SYN at t, SYN/ACK one RTT later (server SYN/ACK: IP ID 0 as Linux does), ACK."""
        self.pkt(t, "c", "S")
        t2 = t + self.rtt + synack_delay
        self.pkt(t2, "s", "SA", ipid=0 if self.s.stack == "linux" else None)
        t3 = t2 + 60
        self.pkt(t3, "c", "A")
        return t3

    def send(self, t, frm, data, *, gap=4, mss=None, push=True):
        """Back-to-back segments (small writes: requests, handshake messages)."""
        mss = mss or self.smss(frm)
        segs = [data[i:i + mss] for i in range(0, len(data), mss)]
        for i, sg in enumerate(segs):
            last = i == len(segs) - 1
            self.pkt(t + i * gap, frm, "PA" if (push and last) else "A", sg)
        return t + (len(segs) - 1) * gap

    def bulk(self, t0, data, *, rate_bps, cwnd=10, ack_every=2, ack_delay=30, mss=None):
        """Server->client transfer as seen at the client: slow start from `cwnd`
        segments, then the bottleneck rate; the client ACKs every `ack_every`
        segments.  Returns the capture time of the last ACK."""
        mss = mss or self.smss("s")
        segs = [data[i:i + mss] for i in range(0, len(data), mss)]
        over = 54 + (12 if self.ts_ok else 0)
        i, cw, t_round, pend, t_last = 0, cwnd, t0, 0, t0
        while i < len(segs):
            cur = t_round
            n = 0
            while n < cw and i < len(segs):
                last = i == len(segs) - 1
                self.pkt(cur, "s", "PA" if last else "A", segs[i])
                pend += 1
                t_last = cur
                if pend >= ack_every or last:
                    t_last = cur + ack_delay
                    self.pkt(t_last, "c", "A")
                    pend = 0
                cur += int((len(segs[i]) + over) * 8 * 1_000_000 / rate_bps)
                i += 1
                n += 1
            t_round = t_round + max(self.rtt, cur - t_round)
            cw *= 2
        return t_last


# ---------------------------------------------------------------------------
# TLS 1.3 byte builders (structure is real; encrypted parts are random bytes)
# ---------------------------------------------------------------------------

def _vec(n, b):
    return len(b).to_bytes(n, "big") + b


def _ext(t, b):
    return struct.pack("!H", t) + _vec(2, b)


def tls_record(ctype, body, ver=0x0303):
    return struct.pack("!BHH", ctype, ver, len(body)) + body


def client_hello(rng, sni, *, alpn=(b"h2", b"http/1.1"), pq=False):
    """Chrome-like ClientHello; pq=True adds an X25519MLKEM768 key share (~1.8 kB hello)."""
    sid = rng.randbytes(32)
    ciphers = b"".join(struct.pack("!H", c) for c in (0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035))
    groups = ([0x11EC] if pq else []) + [0x001D, 0x0017, 0x0018]
    ks = b""
    if pq:
        ks += struct.pack("!HH", 0x11EC, 1216) + rng.randbytes(1216)
    ks += struct.pack("!HH", 0x001D, 32) + rng.randbytes(32)
    exts = [
        _ext(0x0000, _vec(2, b"\x00" + _vec(2, sni.encode()))),
        _ext(0x0017, b""),
        _ext(0xFF01, b"\x00"),
        _ext(0x000A, _vec(2, b"".join(struct.pack("!H", g) for g in groups))),
        _ext(0x000B, b"\x01\x00"),
        _ext(0x0023, b""),
        _ext(0x0010, _vec(2, b"".join(_vec(1, p) for p in alpn))),
        _ext(0x0005, b"\x01\x00\x00\x00\x00"),
        _ext(0x000D, _vec(2, bytes.fromhex("0403080404010503080505010806 0601".replace(" ", "")))),
        _ext(0x0012, b""),
        _ext(0x0033, _vec(2, ks)),
        _ext(0x002D, b"\x01\x01"),
        _ext(0x002B, b"\x04\x03\x04\x03\x03"),
        _ext(0x001B, b"\x02\x00\x02"),
    ]
    def body_of(ex):
        return b"\x03\x03" + rnd + _vec(1, sid) + _vec(2, ciphers) + b"\x01\x00" + _vec(2, b"".join(ex))
    rnd = rng.randbytes(32)
    body = body_of(exts)
    if not pq and len(body) + 4 < 512:  # BoringSSL pads hellos of 256..511 bytes up to 512
        pad = 512 - (len(body) + 4) - 4
        body = body_of(exts + [_ext(0x0015, b"\x00" * max(1, pad))])
    hs = b"\x01" + len(body).to_bytes(3, "big") + body
    return tls_record(0x16, hs, ver=0x0301), sid


def server_flight(rng, sid, enc_len):
    """ServerHello + ChangeCipherSpec + one encrypted record (EE, Certificate, CV, Finished)."""
    exts = _ext(0x002B, b"\x03\x04") + _ext(0x0033, struct.pack("!HH", 0x001D, 32) + rng.randbytes(32))
    body = b"\x03\x03" + rng.randbytes(32) + _vec(1, sid) + b"\x13\x01\x00" + _vec(2, exts)
    sh = tls_record(0x16, b"\x02" + len(body).to_bytes(3, "big") + body)
    return sh + tls_record(0x14, b"\x01") + tls_record(0x17, rng.randbytes(enc_len))


def client_finished(rng):
    return tls_record(0x14, b"\x01") + tls_record(0x17, rng.randbytes(53))


def app_data(rng, n, max_plain=16384):
    """n bytes of plaintext as TLS 1.3 application_data records (+17 bytes each)."""
    out = b""
    while n > 0:
        k = min(n, max_plain)
        out += tls_record(0x17, rng.randbytes(k + 17))
        n -= k
    return out


def session_tickets(rng):
    return tls_record(0x17, rng.randbytes(250)) + tls_record(0x17, rng.randbytes(250))


def tls_open(conn, t, rng, sni, *, enc_len=3900, proc=400, pq=False, rate_bps=50_000_000, alpn=(b"h2", b"http/1.1")):
    """TCP + TLS 1.3 handshake.  Returns the time the client's Finished leaves."""
    t = conn.handshake(t)
    ch, sid = client_hello(rng, sni, pq=pq, alpn=alpn)
    t_ch = t + 120
    conn.send(t_ch, "c", ch)
    t_fl = conn.bulk(t_ch + conn.rtt + proc, server_flight(rng, sid, enc_len), rate_bps=rate_bps)
    t_fin = t_fl + 700
    conn.send(t_fin, "c", client_finished(rng))
    return t_fin


def dns_lookup(cap, t, client_ip, resolver, qname, ips, *, rtt, rng, ids, client_ttl=64, ans_ttl=300):
    qid = rng.randrange(65536)
    sport = rng.randrange(32768, 60999)
    q = IP(src=client_ip, dst=resolver, ttl=client_ttl, id=ids.next()) / UDP(sport=sport, dport=53) / DNS(id=qid, rd=1, qd=DNSQR(qname=qname, qtype="A"))
    cap.add(t, q, outbound=True)
    an = [DNSRR(rrname=qname, type="A", ttl=ans_ttl, rdata=ip) for ip in ips]
    r = IP(src=resolver, dst=client_ip, ttl=64, id=rng.randrange(65536)) / UDP(sport=53, dport=sport) / DNS(id=qid, qr=1, rd=1, ra=1, qd=DNSQR(qname=qname, qtype="A"), an=an)
    cap.add(t + rtt, r, outbound=False)
    return t + rtt


def http_date(cap, t):
    return email.utils.formatdate(cap.epoch_s(t), usegmt=True)


def ms(x):
    return round(x * 1000)


def sec(x):
    return round(x * 1_000_000)


# ---------------------------------------------------------------------------
# 1. browser: parallel HTTP/1.1 sockets, aborted by the client with RST
# ---------------------------------------------------------------------------

def gen_browser_abort_rst():
    """Windows 11 + Chrome loading www.bbc.com.  The image host ichef.bbci.co.uk
    negotiates HTTP/1.1, so Chrome opens six parallel TLS connections to it.
    Because Chrome binds requests to sockets late, two of the six finish their
    TLS handshake after the images were already fetched on the other four and
    are never used; ten seconds later Chrome's idle-socket cleanup closes them.
    They still hold the server's unread TLS NewSessionTicket records, and a
    socket closed with unread data is reset, not FINed (RFC 2525 2.17): the
    client sends RST,ACK.  Meanwhile, the user clicked a link while a large
    lazy-loaded image was downloading: Chrome cancels it and closes that socket
    abortively; the server's segments already in flight keep arriving after the
    client's RST and the client's stack answers each with a bare RST.

    Naive reading: "RST right after a TLS handshake with SNI ichef.bbci.co.uk
    (BBC is blocked in several countries) = SNI RST injection", "data from the
    server after a RST = RST_SEQ_DATA race = forged RST", "a burst of RSTs with
    identical sequence numbers = GFW type-II-style triple RST".
    Why benign: every RST is sent BY THE CLIENT (source 192.168.1.47, TTL 128 =
    Windows' initial TTL on the capturing host, IP IDs continuing the host's
    global counter, window 0); the server never sends a RST; the server's late
    segments are ordinary in-flight data with the server's own TTL and IP ID
    sequence; the same server keeps serving the next page on other sockets.
    """
    rng = random.Random(0xB6701)
    cap = Capture("b6t_browser_abort_rst.pcap", "2025-03-04 08:41:17", "f4:6b:8c:2e:91:c3")
    cli_ip, gw = "192.168.1.47", "192.168.1.1"
    host_ids = IdGen(0x51A3)
    cap.global_ipid[cli_ip] = 0x51A3   # Windows: one IP ID counter for the whole host, in send order
    www_ip, ichef_ip = "151.101.128.81", "151.101.64.81"
    rtt = ms(11.2)
    rate = 38_000_000
    port = [52214]

    def conn(dst, rtt_us=rtt):
        port[0] += 1
        c = Ep(cli_ip, port[0], ttl=128, isn=rng.getrandbits(32), local=True, ids=host_ids, stack="windows", win=262656, wscale=8, mss=1460, ts=False)
        s = Ep(dst, 443, ttl=57, isn=rng.getrandbits(32), local=False, ids=IdGen(rng.getrandbits(16)), win=146432, wscale=9, mss=1460, ts=False)
        return Conn(cap, c, s, rtt_us)

    t = 0
    t = dns_lookup(cap, t, cli_ip, gw, "www.bbc.com", [www_ip, "151.101.0.81", "151.101.64.81", "151.101.192.81"], rtt=ms(7.9), rng=rng, ids=host_ids, client_ttl=128)
    # main document over HTTP/2 on one connection
    c0 = conn(www_ip)
    t = tls_open(c0, t + 300, rng, "www.bbc.com")
    c0.send(t + 150, "c", app_data(rng, 412))
    c0.pkt(t + 150 + c0.rtt + 200, "s", "PA", session_tickets(rng))
    t_html = c0.bulk(t + 150 + c0.rtt + ms(19), app_data(rng, 108_000), rate_bps=rate)

    # six parallel HTTP/1.1 connections to the image host
    t = dns_lookup(cap, t_html + ms(2), cli_ip, gw, "ichef.bbci.co.uk", [ichef_ip, "151.101.0.81", "151.101.128.81", "151.101.192.81"], rtt=ms(6.4), rng=rng, ids=host_ids, client_ttl=128)
    conns = [conn(ichef_ip) for _ in range(6)]
    ready = []
    for k, cx in enumerate(conns):
        start = t + 200 if k == 0 else t + ms(3.1) + k * 410
        tf = tls_open(cx, start, rng, "ichef.bbci.co.uk", enc_len=4210)
        # tickets arrive one RTT after the client's Finished
        cx.pkt(tf + cx.rtt + 150, "s", "PA", session_tickets(rng))
        ready.append(tf)

    def fetch(cx, t_req, size, think=2500):
        cx.send(t_req, "c", app_data(rng, rng.randrange(380, 470)))
        return cx.bulk(t_req + cx.rtt + think, app_data(rng, size), rate_bps=rate // 3)

    # images 1..9 spread over sockets 0..3 (late binding); sockets 4 and 5 stay unused
    t1 = fetch(conns[0], ready[0] + 40, 31_800)
    t1 = fetch(conns[0], t1 + 300, 44_900)
    fetch(conns[0], t1 + 250, 21_700)
    t2 = fetch(conns[1], ready[1] + 40, 39_400)
    fetch(conns[1], t2 + 280, 12_300)
    t3 = fetch(conns[2], ready[2] + 40, 27_600)
    fetch(conns[2], t3 + 310, 18_800)
    fetch(conns[3], ready[3] + 40, 16_500)

    # t = 1.150 s: lazy-loaded hero image on socket 3; user clicks at 1.196 s
    c3 = conns[3]
    t_req = sec(1.150)
    c3.send(t_req, "c", app_data(rng, 455))
    hero = app_data(rng, 612_000)
    mss = c3.smss("s")
    segs = [hero[i:i + mss] for i in range(0, len(hero), mss)]
    t_nav = sec(1.196)
    first = t_req + c3.rtt + ms(3.3)
    tx = int((mss + 54) * 8 * 1_000_000 / (rate // 3))
    arrivals = []
    cur, cw, i = first, 10, 0
    while i < 80:
        rs = cur
        for _ in range(cw):
            if i >= 80:
                break
            arrivals.append(cur)
            cur += tx
            i += 1
        cur = rs + max(c3.rtt, cur - rs)
        cw *= 2
    pend = 0
    late = []
    for i, ta in enumerate(arrivals):
        if ta < t_nav:
            c3.pkt(ta, "s", "A", segs[i])
            pend += 1
            if pend == 2:
                c3.pkt(ta + 30, "c", "A")
                pend = 0
        else:
            late.append((ta, i))
    # abortive close: RST,ACK carrying snd.nxt / rcv.nxt, window 0
    c3.pkt(t_nav, "c", "RA", win=0)
    cli_seq = c3.c.nxt
    # the server keeps sending until the RST reaches it (half an RTT): whatever
    # it sent before that arrives during the next RTT
    late = [x for x in late if x[0] < t_nav + c3.rtt]
    for ta, i in late:
        c3.pkt(ta, "s", "A", segs[i], ack=cli_seq, deliver=False)
        # no socket any more: <SEQ=SEG.ACK><CTL=RST>
        c3.pkt(ta + 45, "c", "R", seq=cli_seq, win=0)

    # the new page: same sites, same servers, work normally
    c0.send(t_nav + ms(4), "c", app_data(rng, 389))
    t_new = c0.bulk(t_nav + ms(4) + c0.rtt + ms(23), app_data(rng, 96_500), rate_bps=rate)
    t1 = fetch(conns[0], t_new + ms(31), 28_300)
    fetch(conns[1], t_new + ms(31) + 500, 35_100)
    fetch(conns[0], t1 + 260, 19_900)

    # t = 11.2 s: idle-socket cleanup closes the two never-used sockets; unread
    # NewSessionTickets in their receive buffers turn the close into RST,ACK
    for k, dt in ((4, 0), (5, 140)):
        conns[k].pkt(sec(11.204) + dt, "c", "RA", win=0)
    return cap, ("Six parallel HTTP/1.1 TLS sockets to ichef.bbci.co.uk; the client aborts one mid-download (server data keeps arriving after the RST and is answered by bare RSTs) and resets two never-used sockets about 11 s after their handshake; "
                 "every RST comes from the client itself (TTL 128 and the Windows host's IP ID counter), none from the server, and the same server keeps serving the next page, so there is no injection.")


# ---------------------------------------------------------------------------
# 2. SYN proxy in front of the origin: SYN/ACK TTL differs from every data packet
# ---------------------------------------------------------------------------

def gen_synproxy_ttl():
    """twitter.com behind a SYN-cookie front end (F5-style SYN proxy / DDoS
    edge).  The front end answers the SYN itself (initial TTL 255, its own IP ID,
    its own window) and hands the connection to the origin after the handshake;
    every later packet comes from the origin (initial TTL 64, incrementing
    per-socket IP ID).  On port 80 the origin answers the plain-HTTP request with
    its usual 301 to https://twitter.com/; on 443 the TLS session works.

    Naive reading: "modal TTL of the handshake is 245, the HTTP response (a
    redirect!) arrives with TTL 51: a TTL delta of 194 -> injected 301 redirect
    (packet-injection) for a blocked name", or "the server FIN has a foreign TTL".
    Why benign: the odd TTL is on the SYN/ACK only, on every connection, for
    both ports and both server addresses, before any trigger (no request has been
    sent yet); everything after the handshake -- ACK of the request, response,
    FIN, ACK of the client's FIN, the whole TLS session -- comes from one source
    with one TTL and one IP ID sequence; there is exactly one response per
    request, no second/competing answer at the same sequence numbers, no RST,
    and the redirect points to https on the same host.
    """
    rng = random.Random(0xB6702)
    cap = Capture("b6t_synproxy_ttl.pcap", "2025-02-18 19:06:52", "a0:36:bc:5e:20:9d")
    cli_ip, gw = "192.168.0.105", "192.168.0.1"
    dns_ids = IdGen(rng.getrandbits(16))
    rtt = ms(42.3)
    rate = 60_000_000

    def conn(dst, sport, dport):
        c = Ep(cli_ip, sport, ttl=64, isn=rng.getrandbits(32), local=True, ids=IdGen(rng.getrandbits(16)), win=64256 * 8, wscale=7, mss=1460, tsbase=rng.getrandbits(31))
        s = Ep(dst, dport, ttl=51, isn=rng.getrandbits(32), local=False, ids=IdGen(rng.getrandbits(16)), win=65535 * 4, wscale=9, mss=1460, tsbase=rng.getrandbits(31))
        return Conn(cap, c, s, rtt)

    def proxied_handshake(cx, t):
        cx.pkt(t, "c", "S")
        # SYN/ACK built by the SYN proxy: TTL 245 (255 - 10 hops), random IP ID, no DF, window 14600
        t2 = t + rtt - ms(0.7)
        opts = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (cx.tsval(cx.s, t2), cx.c.tsh_v[-1])), ("NOP", None), ("WScale", cx.s.wscale)]
        cx.pkt(t2, "s", "SA", ttl=245, ipid=rng.getrandbits(16), df=False, win=14600, options=opts)
        cx.pkt(t2 + 55, "c", "A")
        return t2 + 55

    t = dns_lookup(cap, 0, cli_ip, gw, "twitter.com", ["104.244.42.65"], rtt=ms(18.7), rng=rng, ids=dns_ids, ans_ttl=1627)
    a = conn("104.244.42.65", 46812, 80)
    t = proxied_handshake(a, t + 400)
    req = (b"GET / HTTP/1.1\r\nHost: twitter.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:135.0) Gecko/20100101 Firefox/135.0\r\n"
           b"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-GB,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n"
           b"Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n")
    a.send(t + 90, "c", req)
    t_r = t + 90 + rtt + ms(3.4)
    resp = ("HTTP/1.1 301 Moved Permanently\r\ndate: " + http_date(cap, t_r) + "\r\nlocation: https://twitter.com/\r\nserver: tsa_b\r\n"
            "set-cookie: guest_id=v1%3A174190601281734617; Max-Age=34214400; Expires=Wed, 18 Mar 2026 19:06:52 GMT; Path=/; Domain=.twitter.com; Secure; SameSite=None\r\n"
            "content-length: 0\r\nx-response-time: 4\r\nx-connection-hash: 8f1b7c09d2e4a6c35b0d9e1f2a7c4b68e3d5f0a1b2c6d7e8f9a0b1c2d3e4f5a6\r\n\r\n").encode()
    a.pkt(t_r, "s", "PA", resp)
    a.pkt(t_r + ms(40), "c", "A")

    # HTTPS to the same origin: the same pattern (SYN/ACK 245, data 51)
    b = conn("104.244.42.65", 46814, 443)
    t = proxied_handshake(b, t_r + ms(3.1))
    ch, sid = client_hello(rng, "twitter.com")
    b.send(t + 130, "c", ch)
    t = b.bulk(t + 130 + rtt + ms(1.1), server_flight(rng, sid, 4460), rate_bps=rate)
    b.send(t + 800, "c", client_finished(rng) + app_data(rng, 610))
    b.pkt(t + 800 + rtt + 300, "s", "PA", session_tickets(rng))
    t = b.bulk(t + 800 + rtt + ms(61), app_data(rng, 187_400), rate_bps=rate)
    b.send(t + ms(12), "c", app_data(rng, 720))
    t = b.bulk(t + ms(12) + rtt + ms(38), app_data(rng, 42_300), rate_bps=rate)

    # API host on the neighbouring address: same SYN proxy, same origin TTL
    t_dns = dns_lookup(cap, t + ms(5), cli_ip, gw, "api.twitter.com", ["104.244.42.66"], rtt=ms(16.2), rng=rng, ids=dns_ids, ans_ttl=1299)
    c = conn("104.244.42.66", 46816, 443)
    t2 = proxied_handshake(c, t_dns + 300)
    ch, sid = client_hello(rng, "api.twitter.com")
    c.send(t2 + 120, "c", ch)
    t2 = c.bulk(t2 + 120 + rtt + ms(1.0), server_flight(rng, sid, 4460), rate_bps=rate)
    c.send(t2 + 750, "c", client_finished(rng) + app_data(rng, 840))
    c.pkt(t2 + 750 + rtt + 250, "s", "PA", session_tickets(rng))
    t2 = c.bulk(t2 + 750 + rtt + ms(88), app_data(rng, 23_900), rate_bps=rate)
    c.send(t2 + ms(350), "c", app_data(rng, 905))
    t2 = c.bulk(t2 + ms(350) + rtt + ms(72), app_data(rng, 31_200), rate_bps=rate)

    # port 80 connection: origin closes it after its 5 s keep-alive timeout
    t_fin = t_r + sec(5.0)
    a.pkt(t_fin, "s", "FA")
    a.pkt(t_fin + 180, "c", "FA")
    a.pkt(t_fin + 180 + rtt, "s", "A")
    return cap, ("SYN/ACKs come from a SYN-proxy front end (TTL 245, no DF) while every later packet, including a 301 to https://twitter.com/, comes from the origin (TTL 51); "
                 "the TTL split is the same on every connection, both ports and both addresses before any request is sent, and each request gets exactly one coherent response, so it is topology, not injection.")


# ---------------------------------------------------------------------------
# 3. HTTP/1.1 pipelining after "Connection: close" -> server RST (RFC 9112 9.6)
# ---------------------------------------------------------------------------

def gen_pipelined_close_rst():
    """apt (which pipelines HTTP/1.1 requests) updating from a Debian mirror
    whose server sends "Connection: close" and closes at once, without a
    lingering close.  The second pipelined request reaches the server after its
    socket was closed; Linux aborts the orphaned socket and answers with a RST
    whose sequence number is the ACK field of the offending segment
    (<SEQ=SEG.ACK><CTL=RST>) -- i.e. a value BELOW the response bytes the server
    had already sent.  The client's ACK and FIN then hit a socket that no longer
    exists and get two more RSTs (sequence = their ACK numbers).  apt
    reconnects and fetches the second file on a fresh connection.

    Naive reading: "RST one RTT after an HTTP request (Host: ftp.de.debian.org)
    = keyword RST injection", "RST with a sequence number below already
    delivered data = DATA_SEQ_RST", "RSTs with changing sequence numbers =
    RST_SEQ_CHANGE", "IP ID 0 on the RST = GFW type I", "next connection to the
    same server ... residual blocking?".
    Why benign: RFC 9112 section 9.6 describes exactly this; the response
    announced Connection: close and carried the FIN before the second request
    arrived; the RSTs carry the server's TTL (52), DF set and window 0 like the
    Linux stack's other control packets (IP ID 0 is what Linux puts on RSTs
    sent from its control socket and on SYN/ACKs, as in this server's own
    SYN/ACK); each RST's sequence number equals the ACK number of the client
    segment it answers; and the very next connection to the same server and port
    succeeds immediately with a 200.
    """
    rng = random.Random(0xB6703)
    cap = Capture("b6t_pipelined_close_rst.pcap", "2025-01-14 06:25:09", "52:54:00:8a:3f:11")
    cli_ip, gw = "192.168.1.20", "192.168.1.1"
    srv_ip = "141.76.2.4"
    rtt = ms(30.0)
    dns_ids = IdGen(rng.getrandbits(16))

    def conn(sport):
        c = Ep(cli_ip, sport, ttl=64, isn=rng.getrandbits(32), local=True, ids=IdGen(rng.getrandbits(16)), win=64256 * 4, wscale=7, mss=1460, tsbase=rng.getrandbits(31))
        s = Ep(srv_ip, 80, ttl=52, isn=rng.getrandbits(32), local=False, ids=IdGen(rng.getrandbits(16)), win=65160 * 2, wscale=7, mss=1460, tsbase=rng.getrandbits(31))
        return Conn(cap, c, s, rtt)

    ua = "Debian APT-HTTP/1.3 (2.6.1)"
    t = dns_lookup(cap, 0, cli_ip, gw, "ftp.de.debian.org", [srv_ip], rtt=ms(12.6), rng=rng, ids=dns_ids, ans_ttl=3600)
    a = conn(43152)
    t = a.handshake(t + 300)
    req1 = ("GET /debian/dists/bookworm/InRelease HTTP/1.1\r\nHost: ftp.de.debian.org\r\nCache-Control: max-age=0\r\n"
            "If-Modified-Since: Sat, 11 Jan 2025 10:52:03 GMT\r\nUser-Agent: " + ua + "\r\n\r\n").encode()
    req2 = ("GET /debian/dists/bookworm-updates/InRelease HTTP/1.1\r\nHost: ftp.de.debian.org\r\nCache-Control: max-age=0\r\n"
            "If-Modified-Since: Mon, 13 Jan 2025 20:17:41 GMT\r\nUser-Agent: " + ua + "\r\n\r\n").encode()
    t_req1 = t + 300
    a.send(t_req1, "c", req1)
    t_req2 = t_req1 + ms(8.2)          # apt queues the next URI into the pipeline
    a.send(t_req2, "c", req2)
    # server got req1 at t_req1+15ms, answers 304 + Connection: close and closes immediately
    t_304 = t_req1 + rtt + ms(0.5)
    r304 = ("HTTP/1.1 304 Not Modified\r\nDate: " + http_date(cap, t_304) + "\r\nConnection: close\r\n"
            "ETag: \"271c0-62b6c7d9e1f4b\"\r\n\r\n").encode()
    srv_seq_before = a.s.nxt
    a.pkt(t_304, "s", "FPA", r304)
    # client kernel ACKs data+FIN at once
    a.pkt(t_304 + 45, "c", "A")
    # req2 reached the closed (orphaned, FIN_WAIT1) socket: Linux aborts with RST seq = req2's ACK field
    t_rst1 = t_req2 + rtt
    a.pkt(t_rst1, "s", "R", seq=srv_seq_before, ipid=0, win=0, capture=True, deliver=False)
    # apt has read the 304 and the EOF: it closes its side
    t_cfin = t_304 + ms(0.9)
    a.pkt(t_cfin, "c", "FA")
    # the socket no longer exists on the server: RSTs for the client's ACK and FIN
    a.pkt(t_304 + 45 + rtt, "s", "R", seq=a.s.nxt, ipid=0, win=0, deliver=False)
    a.pkt(t_cfin + rtt, "s", "R", seq=a.s.nxt, ipid=0, win=0, deliver=False)

    # apt retries the second file on a new connection, one request at a time
    b = conn(43166)
    t = b.handshake(t_cfin + ms(1.3))
    b.send(t + 200, "c", req2)
    t_200 = t + 200 + rtt + ms(0.8)
    body = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Debian\nLabel: Debian\nSuite: stable-updates\nCodename: bookworm-updates\n"
            "Date: " + http_date(cap, t_200 - sec(3600 * 9)) + "\nValid-Until: " + http_date(cap, t_200 + sec(3600 * 24 * 7)) + "\nAcquire-By-Hash: yes\n"
            "No-Support-for-Architecture-all: Packages\nArchitectures: all amd64 arm64 armel armhf i386 mips64el mipsel ppc64el s390x\n"
            "Components: main contrib non-free-firmware non-free\nDescription: Debian 12 - Updates\nSHA256:\n").encode()
    while len(body) < 55_400:
        h = "".join(rng.choice("0123456789abcdef") for _ in range(64))
        comp = rng.choice(["main", "contrib", "non-free", "non-free-firmware"])
        arch = rng.choice(["amd64", "arm64", "i386", "armhf", "ppc64el", "s390x", "mips64el"])
        kind = rng.choice(["Packages", "Packages.xz", "Contents-" + arch + ".gz", "Release", "Translation-en.bz2"])
        body += (" " + h + " " + str(rng.randrange(100, 4_000_000)).rjust(16) + " " + comp + "/binary-" + arch + "/" + kind + "\n").encode()
    body += b"-----BEGIN PGP SIGNATURE-----\n\n" + b"iQIzBAEBCgAdFiEE" + bytes(rng.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(700)) + b"\n-----END PGP SIGNATURE-----\n"
    hdr = ("HTTP/1.1 200 OK\r\nDate: " + http_date(cap, t_200) + "\r\nLast-Modified: " + http_date(cap, t_200 - sec(3600 * 9)) + "\r\n"
           "ETag: \"d86c-62b8f1a3c5e20\"\r\nAccept-Ranges: bytes\r\nContent-Length: " + str(len(body)) + "\r\nConnection: close\r\n\r\n").encode()
    t = b.bulk(t_200, hdr + body, rate_bps=45_000_000)
    t_f = t + 60
    b.pkt(t_f, "s", "FA")
    b.pkt(t_f + 40, "c", "A")
    b.pkt(t_f + 700, "c", "FA")
    b.pkt(t_f + 700 + rtt, "s", "A")
    return cap, ("apt pipelines a second HTTP request after the mirror answered 304 with Connection: close and closed; the server's Linux stack answers the late request with a RST whose sequence number is that request's ACK field (below the data already sent), then RSTs the client's ACK and FIN; "
                 "TTL, DF and window match the server's own stack, RFC 9112 9.6 describes this, and the immediate retry on a new connection to the same server gets a 200.")


# ---------------------------------------------------------------------------
# 4. path-MTU discovery: ICMP "fragmentation needed" right after the ClientHello
# ---------------------------------------------------------------------------

def gen_pmtud_icmp():
    """A Linux client behind an ISP tunnel (DS-Lite style, path MTU 1460)
    opens en.wikipedia.org with a post-quantum ClientHello (~1.5 kB, two
    segments).  The first, full-size segment is dropped at the tunnel router;
    its ICMP rate limiter swallows the first error, so the client's RACK loss
    detection re-sends the full-size segment 30 ms later, which is dropped again
    and this time answered by ICMP type 3 code 4 (fragmentation needed,
    next-hop MTU 1460); the client lowers its MSS and re-sends the hello bytes
    as 1408+40.  The
    server's first flight hits the same tunnel in the other direction: its
    full-size segments vanish, only the small tail arrives (client SACKs it), and
    after the server gets its own ICMP it resends the flight in 1408/40-byte
    pieces.  A second connection three seconds later uses the cached path MTU and
    shows no hiccup at all.

    Naive reading: "ICMP destination-unreachable from a third-party router right
    after the ClientHello for Wikipedia = in-path device reacting to the SNI",
    "ClientHello retransmitted and the server's first flight missing = TLS
    blackhole after ClientHello".
    Why benign: the ICMP is code 4 with a next-hop MTU and quotes the full-size
    segment (1500 bytes) -- it reports size, not content; the retransmissions are
    smaller re-segmentations of the same bytes; the handshake completes within
    ~80 ms and the page loads; later connections to the same address and name
    are untouched.
    """
    rng = random.Random(0xB6704)
    cap = Capture("b6t_pmtud_icmp.pcap", "2025-04-09 13:02:44", "38:f9:d3:6c:05:ee")
    cli_ip, gw = "192.168.1.64", "192.168.1.1"
    router_ip = "62.155.244.233"
    srv_ip = "185.15.59.224"
    rtt = ms(24.0)
    dns_ids = IdGen(rng.getrandbits(16))
    t = dns_lookup(cap, 0, cli_ip, gw, "en.wikipedia.org", [srv_ip], rtt=ms(9.8), rng=rng, ids=dns_ids, ans_ttl=600)

    def conn(sport):
        c = Ep(cli_ip, sport, ttl=64, isn=rng.getrandbits(32), local=True, ids=IdGen(rng.getrandbits(16)), win=64256 * 4, wscale=7, mss=1460, tsbase=rng.getrandbits(31))
        s = Ep(srv_ip, 443, ttl=55, isn=rng.getrandbits(32), local=False, ids=IdGen(rng.getrandbits(16)), win=65535 * 4, wscale=9, mss=1460, tsbase=rng.getrandbits(31))
        return Conn(cap, c, s, rtt)

    def icmp_frag_needed(t_at, quoted):
        # the NAT router translates the quoted header back to the inside address
        q = bytes(quoted)[:28]
        p = IP(src=router_ip, dst=cli_ip, ttl=253, id=rng.getrandbits(16)) / ICMP(type=3, code=4, nexthopmtu=1460) / Raw(q)
        cap.add(t_at, p, outbound=False)

    a = conn(50934)
    t = a.handshake(t + 250)
    ch, sid = client_hello(rng, "en.wikipedia.org", pq=True)
    big = a.smss("c")              # 1448
    small = 1460 - 40 - 12         # 1408 after PMTU 1460
    seg1, seg2 = ch[:big], ch[big:]
    c_base = a.c.nxt
    t_ch = t + 150
    # segment 1 is captured leaving the NIC and dropped at the tunnel router
    # (3 hops out); the router's ICMP rate limiter is momentarily exhausted, so
    # this first drop produces no ICMP.  Segment 2 (small) gets through.
    a.pkt(t_ch, "c", "A", seg1, deliver=False)
    a.pkt(t_ch + 9, "c", "PA", seg2, deliver=False)
    a.mark("c", t_ch + 9, c_base)                         # nothing contiguous yet
    # server: duplicate ACK with SACK for the out-of-order tail
    s_base = a.s.nxt
    a.pkt(t_ch + 9 + rtt, "s", "A", ack=c_base, sack=[(c_base + big, c_base + len(ch))])
    # RACK marks segment 1 lost one RTT + RTT/4 after sending it and retransmits
    # it at full size; dropped again, and this time the router sends the ICMP
    t_r1 = t_ch + rtt + rtt // 4
    p1b = a.pkt(t_r1, "c", "A", seg1, seq=c_base, deliver=False)
    quoted = p1b.copy()
    quoted.ttl = 62
    quoted.chksum = None
    icmp_frag_needed(t_r1 + ms(3.9), IP(bytes(quoted)))
    # the kernel lowers the MSS to 1408 and re-sends the hole at once: 1408 + 40
    t_rx = t_r1 + ms(3.9) + 35
    a.pkt(t_rx, "c", "A", seg1[:small], seq=c_base, deliver=False)
    a.pkt(t_rx + 8, "c", "A", seg1[small:], seq=c_base + small, deliver=False)
    a.mark("c", t_rx + 8, c_base + len(ch))               # hole filled
    # server first flight (ServerHello .. Finished), sent in 1448-byte segments
    flight = server_flight(rng, sid, 3980)
    t_srv = t_rx + 8 + rtt + ms(1.2)
    fsegs = [flight[i:i + big] for i in range(0, len(flight), big)]
    off = [sum(len(x) for x in fsegs[:k]) for k in range(len(fsegs))]
    # the full-size segments are lost in the tunnel (never reach the capture point)
    for k, sg in enumerate(fsegs):
        a.pkt(t_srv + k * 240, "s", "A" if k < len(fsegs) - 1 else "PA", sg, seq=s_base + off[k], ack=c_base + len(ch), capture=(len(sg) <= small), deliver=False)
    a.mark("s", t_srv, s_base)
    tail = len(fsegs) - 1
    t_tail = t_srv + tail * 240
    a.pkt(t_tail + 40, "c", "A", ack=s_base, sack=[(s_base + off[tail], s_base + len(flight))])
    # the server learns the path MTU (its own ICMP) and re-segments the lost data: 1408 + 40 each
    t_re = t_srv + ms(19.0)
    n = 0
    for k in range(tail):
        for lo, hi in ((0, small), (small, len(fsegs[k]))):
            a.pkt(t_re + n * 230, "s", "A", fsegs[k][lo:hi], seq=s_base + off[k] + lo, ack=c_base + len(ch), deliver=False)
            n += 1
            if n % 2 == 0:
                cum = s_base + off[k] + hi
                sack = [(s_base + off[tail], s_base + len(flight))] if cum < s_base + off[tail] else None
                a.mark("s", t_re + (n - 1) * 230, cum if sack else s_base + len(flight))
                a.pkt(t_re + (n - 1) * 230 + 35, "c", "A", sack=sack)
    a.mark("s", t_re + n * 230, s_base + len(flight))
    t = t_re + n * 230 + ms(0.8)
    # from now on the server uses MSS 1408 towards this client
    a.send(t, "c", client_finished(rng) + app_data(rng, 480))
    a.pkt(t + rtt + 200, "s", "PA", session_tickets(rng))
    t = a.bulk(t + rtt + ms(27), app_data(rng, 81_500), rate_bps=80_000_000, mss=small)
    a.send(t + ms(140), "c", app_data(rng, 390))
    t = a.bulk(t + ms(140) + rtt + ms(12), app_data(rng, 24_800), rate_bps=80_000_000, mss=small)

    # three seconds later: a new connection; the PMTU (1460) is cached on both ends
    b = conn(50948)
    t = b.handshake(t + sec(3.1))
    ch, sid = client_hello(rng, "en.wikipedia.org", pq=True)
    b.send(t + 140, "c", ch, mss=small)
    t = b.bulk(t + 140 + rtt + ms(1.1), server_flight(rng, sid, 3980), rate_bps=80_000_000, mss=small)
    b.send(t + 700, "c", client_finished(rng) + app_data(rng, 455))
    b.pkt(t + 700 + rtt + 200, "s", "PA", session_tickets(rng))
    b.bulk(t + 700 + rtt + ms(31), app_data(rng, 63_200), rate_bps=80_000_000, mss=small)
    return cap, ("A large post-quantum ClientHello to en.wikipedia.org is retransmitted, an ICMP fragmentation-needed (type 3 code 4, MTU 1460) from an ISP tunnel router arrives and the server's full-size segments go missing, which looks like a TLS blackhole or an in-path device; "
                 "it is ordinary path-MTU discovery: both sides re-send the same bytes in 1408-byte segments, the handshake completes within ~80 ms and the next connection to the same name is clean.")


# ---------------------------------------------------------------------------
# 5. origin 429 rate limit and 503 maintenance pages
# ---------------------------------------------------------------------------

def gen_http_429_503():
    """A script polls the Wayback Machine availability API over plain HTTP on
    one keep-alive connection; the fifth request in a second hits the origin's
    rate limit and gets nginx's stock 429 page (Retry-After: 60).  After waiting
    61 s the script retries on the same connection and gets 200 again.  In the
    same capture a browser fetches web.archive.org during a maintenance window
    and gets a small 503 "temporarily unavailable" page (Retry-After: 3600) with
    Connection: close, followed by the server's FIN.

    Naive reading: "short non-200 HTML page with 'blocked' / 'unavailable' /
    'access' words for archive.org (blocked in several countries) = block page",
    "small response followed at once by FIN = injected page + FIN".
    Why benign: both pages carry standard rate-limit / maintenance semantics
    (status 429 and 503 with Retry-After), arrive after the normal server delay
    with the same TTL, IP ID sequence and TCP timestamps as the server's other
    packets on that connection, on a connection that served 200s before and
    after; there is no second response, no RST and no redirect.
    """
    rng = random.Random(0xB6705)
    cap = Capture("b6t_http_429_503.pcap", "2025-05-21 15:33:10", "00:e0:4c:68:1a:7b")
    cli_ip, gw = "192.168.1.33", "192.168.1.1"
    api_ip, web_ip = "207.241.224.2", "207.241.237.3"
    rtt = ms(151.0)
    dns_ids = IdGen(rng.getrandbits(16))

    def conn(dst, sport):
        c = Ep(cli_ip, sport, ttl=64, isn=rng.getrandbits(32), local=True, ids=IdGen(rng.getrandbits(16)), win=64256 * 8, wscale=7, mss=1460, tsbase=rng.getrandbits(31))
        s = Ep(dst, 80, ttl=49, isn=rng.getrandbits(32), local=False, ids=IdGen(rng.getrandbits(16)), win=65160 * 4, wscale=7, mss=1460, tsbase=rng.getrandbits(31))
        return Conn(cap, c, s, rtt)

    t = dns_lookup(cap, 0, cli_ip, gw, "archive.org", [api_ip], rtt=ms(21.4), rng=rng, ids=dns_ids, ans_ttl=300)
    a = conn(api_ip, 39702)
    t = a.handshake(t + 200)
    urls = ["bbc.com/news/world-europe-68231179", "bbc.com/news/technology-67912345", "bbc.com/russian", "bbc.com/persian", "bbc.com/news/world-asia-china-67455011"]

    def api_req(u):
        return ("GET /wayback/available?url=" + u + " HTTP/1.1\r\nHost: archive.org\r\nUser-Agent: python-requests/2.31.0\r\nAccept-Encoding: gzip, deflate\r\n"
                "Accept: */*\r\nConnection: keep-alive\r\n\r\n").encode()

    def api_ok(tt, u, ts14):
        body = ('{"url": "' + u + '", "archived_snapshots": {"closest": {"status": "200", "available": true, "url": "http://web.archive.org/web/' + ts14 + '/https://www.' + u + '", "timestamp": "' + ts14 + '"}}}').encode()
        return ("HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: " + http_date(cap, tt) + "\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)) + "\r\n"
                "Connection: keep-alive\r\nAccess-Control-Allow-Origin: *\r\nX-App-Server: wwwb-app220\r\nX-ts: 200\r\nX-location: available\r\n\r\n").encode() + body

    t_q = t + 150
    for k, u in enumerate(urls):
        a.send(t_q, "c", api_req(u))      # carries the ACK of the previous response
        t_s = t_q + rtt + ms(rng.randrange(38, 95))
        if k < 4:
            resp = api_ok(t_s, u, "2025052" + str(rng.randrange(0, 10)) + str(rng.randrange(100000, 235959)).rjust(6, "0"))
        else:
            body = (b"<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n"
                    b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
            resp = ("HTTP/1.1 429 Too Many Requests\r\nServer: nginx\r\nDate: " + http_date(cap, t_s) + "\r\nContent-Type: text/html\r\nContent-Length: " + str(len(body)) + "\r\n"
                    "Connection: keep-alive\r\nRetry-After: 60\r\n\r\n").encode() + body
        a.pkt(t_s, "s", "PA", resp)
        t_q = t_s + ms(2.0)
    a.pkt(t_s + ms(40), "c", "A")        # delayed ACK of the 429; the script sleeps
    t429 = t_q

    # browser: maintenance page from web.archive.org
    t = dns_lookup(cap, t429 + ms(900), cli_ip, gw, "web.archive.org", [web_ip], rtt=ms(19.9), rng=rng, ids=dns_ids, ans_ttl=300)
    b = conn(web_ip, 39718)
    t = b.handshake(t + 300)
    req = (b"GET /web/2025/https://www.bbc.com/persian HTTP/1.1\r\nHost: web.archive.org\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:138.0) Gecko/20100101 Firefox/138.0\r\n"
           b"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n"
           b"Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n")
    b.send(t + 120, "c", req)
    t_s = t + 120 + rtt + ms(6.8)
    body = (b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Wayback Machine - Scheduled Maintenance</title>\n"
            b"<style>body{font-family:Helvetica,Arial,sans-serif;margin:3em auto;max-width:40em;color:#222}</style>\n</head>\n<body>\n"
            b"<h1>Temporarily Unavailable</h1>\n<p>The Wayback Machine is down for scheduled maintenance. Access to archived pages will be restored shortly.</p>\n"
            b"<p>We apologize for the inconvenience. Please try again later or follow <a href=\"https://twitter.com/internetarchive\">@internetarchive</a> for updates.</p>\n"
            b"</body>\n</html>\n")
    resp = ("HTTP/1.1 503 Service Unavailable\r\nServer: nginx\r\nDate: " + http_date(cap, t_s) + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + str(len(body)) + "\r\n"
            "Connection: close\r\nRetry-After: 3600\r\nCache-Control: no-store\r\n\r\n").encode() + body
    b.pkt(t_s, "s", "PA", resp)
    b.pkt(t_s + 160, "s", "FA")
    b.pkt(t_s + 200, "c", "A")
    b.pkt(t_s + ms(1.6), "c", "FA")
    b.pkt(t_s + ms(1.6) + rtt, "s", "A")

    # the script waits Retry-After and continues on the same connection
    t_q = t429 + sec(61.0)
    for u in ("bbc.com/news/world-asia-china-67455011", "bbc.com/ukrainian"):
        a.send(t_q, "c", api_req(u))
        t_s = t_q + rtt + ms(rng.randrange(38, 95))
        a.pkt(t_s, "s", "PA", api_ok(t_s, u, "20250519" + str(rng.randrange(100000, 235959)).rjust(6, "0")))
        t_q = t_s + ms(2.0)
    a.pkt(t_q + ms(3), "c", "FA")
    a.pkt(t_q + ms(3) + rtt, "s", "FA")
    a.pkt(t_q + ms(3) + rtt + 50, "c", "A")
    return cap, ("archive.org's API returns nginx's stock 429 page after four quick requests and web.archive.org returns a small 503 maintenance page with Connection: close and FIN, which a keyword or small-page heuristic calls a block page; "
                 "both are origin responses (Retry-After, same TTL/IP ID/timestamps as the server's 200s on the same connection, normal server delay, no competing response) and the API answers 200 again after the 60 s wait.")


# ---------------------------------------------------------------------------
# 6. paced video next to a bulk download from the same cache
# ---------------------------------------------------------------------------

def gen_paced_video_vs_bulk():
    """An Android phone plays a YouTube video over TLS/TCP from a Google edge
    cache (rr2---sn-4g5e6nsz.googlevideo.com) while the Play Store downloads an
    app update from the same cache address (r2---sn-4g5e6nsz.gvt1.com).  The
    player fetches a burst of segments to fill its buffer and then one ~250 kB
    segment every 5 s; each segment is delivered at the full line rate
    (~45 Mbit/s) and the connection is idle in between.  The update downloads
    2 MB in about half a second.

    Naive reading: "googlevideo flow averages ~0.6 Mbit/s over 35 s while a
    flow to the SAME server address with another SNI gets ~40 Mbit/s: SNI
    throttling of googlevideo.com (as documented for Russia, 2024)".
    Why benign: inside each burst the video flow reaches the same rate as the
    bulk flow; every gap starts with the server having delivered everything
    requested and ends with a new client request answered within one RTT (the
    idle time is the player's choice); no retransmissions, no loss, no rate
    plateau, no drops in either direction.
    """
    rng = random.Random(0xB6706)
    cap = Capture("b6t_paced_video_vs_bulk.pcap", "2025-06-02 20:14:37", "ce:9a:41:07:d3:5b", ifname="wlan0")
    cli_ip, gw = "192.168.1.71", "192.168.1.1"
    srv_ip = "173.194.182.102"
    rtt = ms(6.8)
    rate = 45_000_000
    dns_ids = IdGen(rng.getrandbits(16))

    def conn(sport):
        c = Ep(cli_ip, sport, ttl=64, isn=rng.getrandbits(32), local=True, ids=IdGen(rng.getrandbits(16)), win=65535 * 48, wscale=9, mss=1460, tsbase=rng.getrandbits(31))
        s = Ep(srv_ip, 443, ttl=59, isn=rng.getrandbits(32), local=False, ids=IdGen(rng.getrandbits(16)), win=65535 * 16, wscale=8, mss=1460, tsbase=rng.getrandbits(31))
        return Conn(cap, c, s, rtt)

    t = dns_lookup(cap, 0, cli_ip, gw, "rr2---sn-4g5e6nsz.googlevideo.com", [srv_ip], rtt=ms(14.1), rng=rng, ids=dns_ids, ans_ttl=1800)
    v = conn(40118)
    t = tls_open(v, t + 300, rng, "rr2---sn-4g5e6nsz.googlevideo.com", enc_len=4870, rate_bps=rate)
    v.pkt(t + rtt + 120, "s", "PA", session_tickets(rng))

    def chunk(tq, size):
        v.send(tq, "c", app_data(rng, rng.randrange(1180, 1320)))
        return v.bulk(tq + rtt + ms(rng.randrange(2, 6)), app_data(rng, size), rate_bps=rate)

    # initial buffering: four segments back to back
    tq = t + 200
    for _ in range(4):
        tq = chunk(tq, rng.randrange(150_000, 260_000)) + ms(1.5)
    # steady state: one segment every ~5 s
    t_steady = tq
    schedule = [t_steady + sec(5.0 * k) + ms(rng.randrange(0, 120)) for k in range(1, 8)]
    for tq in schedule:
        chunk(tq, rng.randrange(210_000, 290_000))
    # bulk download from the same address, in a gap between two video segments
    t_bulk = schedule[2] + sec(1.6)
    t = dns_lookup(cap, t_bulk, cli_ip, gw, "r2---sn-4g5e6nsz.gvt1.com", [srv_ip], rtt=ms(12.3), rng=rng, ids=dns_ids, ans_ttl=1800)
    d = conn(40136)
    t = tls_open(d, t + 250, rng, "r2---sn-4g5e6nsz.gvt1.com", enc_len=4870, rate_bps=rate)
    d.pkt(t + rtt + 120, "s", "PA", session_tickets(rng))
    d.send(t + 200, "c", app_data(rng, 690))
    t = d.bulk(t + 200 + rtt + ms(3), app_data(rng, 2_050_000), rate_bps=rate)
    d.pkt(t + ms(2), "c", "FA")
    d.pkt(t + ms(2) + rtt, "s", "FA")
    d.pkt(t + ms(2) + rtt + 40, "c", "A")
    return cap, ("The googlevideo.com flow averages ~0.6 Mbit/s over 35 s while a gvt1.com download from the same server address runs at ~40 Mbit/s, which a flow-average comparison calls SNI throttling; "
                 "the video flow is paced by the player (one segment request every ~5 s), each segment arrives at the same line rate as the download, every idle gap follows a fully delivered request, and there is no loss or retransmission.")


# ---------------------------------------------------------------------------
# 7. anti-DDoS SYN authentication: out-of-sequence SYN/ACK, client RST, retry
# ---------------------------------------------------------------------------

def gen_syn_auth_challenge():
    """telegram.org behind a DDoS-mitigation appliance doing "out-of-sequence"
    TCP SYN authentication (NETSCOUT/Arbor, Radware and others): the first SYN
    from an unknown source is answered by the appliance with a SYN/ACK whose
    ACK number is deliberately wrong.  A real TCP stack replies with a RST
    (<SEQ=SEG.ACK><CTL=RST>, RFC 9293) and retransmits its SYN after the normal
    1 s timeout; the appliance has now seen a genuine stack, whitelists the
    source and lets the retransmitted SYN through to the server.  A second
    connection 150 ms later goes straight through.

    Naive reading: "a SYN/ACK with a wrong ACK number and a TTL (243) that
    differs from the server's (52) = forged packet injected on the SYN",
    "RST right after the SYN/ACK = SYN-triggered RST injection (RST-06)",
    "first attempt to telegram.org (blocked in several countries) failed, the
    next one worked a second later = residual blocking / blackhole".
    Why benign: nothing but a bare SYN had been sent (no name, no trigger);
    the RST is the CLIENT's own answer (source 192.168.1.90, TTL 64, DF, window
    0, seq = the bogus ACK number) to an unacceptable SYN/ACK; the SYN retransmit
    carries the same ISN and is answered normally one RTO later; the TLS session
    with SNI telegram.org then proceeds without any anomaly, and the next
    connection is accepted at once.
    """
    rng = random.Random(0xB6707)
    cap = Capture("b6t_syn_auth_challenge.pcap", "2025-03-27 10:48:05", "9c:b6:d0:e2:41:7f")
    cli_ip, gw = "192.168.1.90", "192.168.1.1"
    srv_ip = "149.154.167.99"
    rtt = ms(38.4)
    dns_ids = IdGen(rng.getrandbits(16))

    def conn(sport):
        c = Ep(cli_ip, sport, ttl=64, isn=rng.getrandbits(32), local=True, ids=IdGen(rng.getrandbits(16)), win=64256 * 4, wscale=7, mss=1460, tsbase=rng.getrandbits(31))
        s = Ep(srv_ip, 443, ttl=52, isn=rng.getrandbits(32), local=False, ids=IdGen(rng.getrandbits(16)), win=65535 * 2, wscale=8, mss=1460, tsbase=rng.getrandbits(31))
        return Conn(cap, c, s, rtt)

    t = dns_lookup(cap, 0, cli_ip, gw, "telegram.org", [srv_ip], rtt=ms(17.5), rng=rng, ids=dns_ids, ans_ttl=300)
    a = conn(55870)
    t_syn = t + 280
    a.pkt(t_syn, "c", "S")
    # appliance (closer than the server): SYN/ACK with a wrong ACK number
    t_ch = t_syn + rtt - ms(2.3)
    bogus_ack = (a.c.isn + 1 + rng.getrandbits(30)) & 0xFFFFFFFF
    a.pkt(t_ch, "s", "SA", seq=rng.getrandbits(32), ack=bogus_ack, ttl=243, ipid=rng.getrandbits(16), df=False, win=8192, options=[("MSS", 1460)], record_ts=False, deliver=False)
    a.s.nxt = a.s.isn
    # client stack: unacceptable ACK in SYN-SENT -> <SEQ=SEG.ACK><CTL=RST>
    a.pkt(t_ch + 40, "c", "R", seq=bogus_ack, ipid=0, win=0, deliver=False)
    # SYN retransmission after the 1 s initial RTO, same ISN
    t_re = t_syn + sec(1.0) + ms(3.1)
    a.pkt(t_re, "c", "S", seq=a.c.isn)
    t2 = t_re + rtt
    a.pkt(t2, "s", "SA", ipid=0)
    a.pkt(t2 + 60, "c", "A")
    ch, sid = client_hello(rng, "telegram.org")
    a.send(t2 + 180, "c", ch)
    t = a.bulk(t2 + 180 + rtt + ms(1.4), server_flight(rng, sid, 3610), rate_bps=55_000_000)
    a.send(t + 700, "c", client_finished(rng) + app_data(rng, 520))
    a.pkt(t + 700 + rtt + 180, "s", "PA", session_tickets(rng))
    t_main = a.bulk(t + 700 + rtt + ms(22), app_data(rng, 46_300), rate_bps=55_000_000)

    # second connection for static resources: accepted at once
    b = conn(55884)
    t = b.handshake(t + 700 + rtt + ms(150))
    ch, sid = client_hello(rng, "telegram.org")
    b.send(t + 150, "c", ch)
    t = b.bulk(t + 150 + rtt + ms(1.2), server_flight(rng, sid, 3610), rate_bps=55_000_000)
    b.send(t + 650, "c", client_finished(rng) + app_data(rng, 470))
    b.pkt(t + 650 + rtt + 170, "s", "PA", session_tickets(rng))
    t = b.bulk(t + 650 + rtt + ms(9), app_data(rng, 118_000), rate_bps=55_000_000)
    a.send(max(t, t_main) + ms(60), "c", app_data(rng, 505))
    a.bulk(max(t, t_main) + ms(60) + rtt + ms(14), app_data(rng, 31_700), rate_bps=55_000_000)
    return cap, ("The first SYN to telegram.org gets a SYN/ACK with a wrong ACK number and TTL 243 from a DDoS-mitigation appliance, the client stack answers with a RST and the SYN retransmitted after 1 s succeeds; "
                 "this is out-of-sequence SYN authentication before any trigger was sent: the RST is the client's own (TTL 64, seq = the bogus ACK), and the TLS session and a second connection then work normally.")


# ---------------------------------------------------------------------------
# 8. hour-long WebSocket with heartbeats, closed by the server, reconnected
# ---------------------------------------------------------------------------

def gen_websocket_hour():
    """Discord's desktop client: page assets from discord.com, then the
    WebSocket gateway (gateway.discord.gg) on the same Cloudflare address, kept
    open for an hour.  The client sends an application heartbeat every 41.25 s
    and the gateway acknowledges each within one RTT; a few events (presence
    updates, messages) arrive in between.  After ~60 minutes the gateway asks the
    client to reconnect (opcode 7), sends a WebSocket close frame and a FIN; the
    client answers with its close frame and FIN and resumes on a new connection
    at once.

    Naive reading: "a flow to the same server that moves ~90 kB in an hour
    while another moves 750 kB in 170 ms = throttling of a blocked service
    (Discord is blocked in Russia and Turkey)", "long silences = stalled /
    blackholed connection", "FIN from the server after an idle period =
    injected FIN / connection teardown".
    Why benign: the gateway flow is application-paced (each heartbeat
    acknowledged within ~10 ms for the whole hour); the server's close comes
    after encrypted close-handshake records, with the server's TTL, IP ID
    sequence and TCP timestamps; the client closes cleanly too and the
    reconnection succeeds immediately.
    """
    rng = random.Random(0xB6708)
    cap = Capture("b6t_websocket_hour.pcapng", "2025-02-07 21:00:03", "d8:bb:c1:4f:92:60", ifname="enp5s0")
    cli_ip, gw = "192.168.1.15", "192.168.1.1"
    srv_ip = "162.159.135.232"
    rtt = ms(9.4)
    dns_ids = IdGen(rng.getrandbits(16))

    def conn(sport):
        c = Ep(cli_ip, sport, ttl=64, isn=rng.getrandbits(32), local=True, ids=IdGen(rng.getrandbits(16)), win=64256 * 8, wscale=7, mss=1460, tsbase=rng.getrandbits(31))
        s = Ep(srv_ip, 443, ttl=57, isn=rng.getrandbits(32), local=False, ids=IdGen(rng.getrandbits(16)), win=65535 * 8, wscale=13, mss=1400, tsbase=rng.getrandbits(31))
        return Conn(cap, c, s, rtt)

    t = dns_lookup(cap, 0, cli_ip, gw, "discord.com", [srv_ip, "162.159.128.233", "162.159.136.232", "162.159.137.232", "162.159.138.232"], rtt=ms(11.0), rng=rng, ids=dns_ids, ans_ttl=300)
    p = conn(33412)
    t = tls_open(p, t + 260, rng, "discord.com", enc_len=3420, rate_bps=120_000_000)
    p.pkt(t + rtt + 150, "s", "PA", session_tickets(rng))
    p.send(t + 300, "c", app_data(rng, 640))
    t_a = p.bulk(t + 300 + rtt + ms(21), app_data(rng, 455_000), rate_bps=120_000_000)
    p.send(t_a + ms(4), "c", app_data(rng, 610))
    t_a = p.bulk(t_a + ms(4) + rtt + ms(9), app_data(rng, 262_000), rate_bps=120_000_000)

    t = dns_lookup(cap, t_a + ms(35), cli_ip, gw, "gateway.discord.gg", [srv_ip, "162.159.128.233", "162.159.136.232"], rtt=ms(10.4), rng=rng, ids=dns_ids, ans_ttl=300)

    def gateway(sport, t_start, duration, close_by_server, resume):
        g = conn(sport)
        t = tls_open(g, t_start, rng, "gateway.discord.gg", enc_len=3420, alpn=(b"http/1.1",))
        g.pkt(t + rtt + 140, "s", "PA", session_tickets(rng))
        g.send(t + 250, "c", app_data(rng, 470))                       # GET /?v=10&encoding=json&compress=zlib-stream, Upgrade
        t_h = t + 250 + rtt + ms(12)
        g.pkt(t_h, "s", "PA", app_data(rng, 212) + app_data(rng, 61))  # 101 Switching Protocols + HELLO
        g.send(t_h + ms(6), "c", app_data(rng, 389))                   # IDENTIFY / RESUME (carries the ACK)
        t_r = g.bulk(t_h + ms(6) + rtt + ms(48), app_data(rng, 410 if resume else 23_800), rate_bps=120_000_000)
        # heartbeat loop: client op 1 every 41.25 s (first one jittered), server op 11 within one RTT
        t_end = t_start + duration
        beats = []
        hb = t_h + int(41_250_000 * rng.uniform(0.1, 0.9))
        while hb < t_end:
            beats.append(hb)
            hb += 41_250_000
        events = sorted(t_r + sec(round(rng.uniform(3, duration / 1e6 - 5), 6)) for _ in range(int(duration / 70e6)))
        events = [te for te in events if all(abs(te - b) > sec(1.0) for b in beats) and te < t_end - sec(1.0)]
        actions = sorted([(b, "hb") for b in beats] + [(te, "ev") for te in events])
        for ta, kind in actions:
            if kind == "ev":
                g.pkt(ta, "s", "PA", app_data(rng, rng.randrange(90, 1300)))
                g.pkt(ta + ms(40), "c", "A")
            else:
                g.pkt(ta, "c", "PA", app_data(rng, 11))
                g.pkt(ta + rtt + rng.randrange(150, 900), "s", "PA", app_data(rng, 11))
                g.pkt(ta + rtt + ms(41), "c", "A")
        if close_by_server:
            # op 7 RECONNECT, close frame (1000), FIN; client close frame + FIN
            tc = t_end + ms(2.7)
            g.pkt(tc, "s", "PA", app_data(rng, 15))
            g.pkt(tc + 90, "s", "PA", app_data(rng, 4))
            g.pkt(tc + 130, "s", "FA")
            g.pkt(tc + 170, "c", "A")
            g.send(tc + ms(1.9), "c", app_data(rng, 8))
            g.pkt(tc + ms(1.9) + 40, "c", "FA")
            g.pkt(tc + ms(1.9) + 40 + rtt, "s", "A")
            return tc + ms(2.5)
        return t_end

    t_close = gateway(33420, t + 250, sec(3600.0) + ms(417), True, False)
    # immediate RESUME on a new connection; capture ends three minutes later
    gateway(33468, t_close + ms(80), sec(180.0), False, True)
    return cap, ("A Discord gateway WebSocket on the same Cloudflare address as a fast discord.com download carries only 41 s heartbeats and a few events for an hour and is then closed by the server with FIN, which looks like throttling, a stall or an injected FIN; "
                 "every heartbeat is answered within one RTT, the close follows encrypted close-handshake records with the server's own TTL/IP ID/timestamps, and the client resumes at once on a new connection.")


GENERATORS = [
    gen_browser_abort_rst,
    gen_synproxy_ttl,
    gen_pipelined_close_rst,
    gen_pmtud_icmp,
    gen_http_429_503,
    gen_paced_video_vs_bulk,
    gen_syn_auth_challenge,
    gen_websocket_hour,
]


def main(argv):
    if len(argv) != 2:
        print("usage: blind6_benign_tcp.py OUTDIR", file=sys.stderr)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for gen in GENERATORS:
        cap, why = gen()
        _, n = cap.write(outdir)
        expect[cap.fname] = {"expect": [], "why": why}
        print(f"{cap.fname}: {n} frames")
    with open(os.path.join(outdir, "expect.json"), "w") as f:
        json.dump(expect, f, indent=1, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
