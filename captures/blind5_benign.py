#!/usr/bin/env python3
# ruff: noqa: E501, F841, RUF005, RUF046
"""Blind holdout set 5: BENIGN false-positive traps for `analyze pcap`.

Writes 8 packet captures of ordinary, uncensored traffic into OUTDIR, plus
OUTDIR/expect.json.  Every capture deliberately LOOKS like one of the
censorship mechanisms of the contract vocabulary (dns-injection,
dns-tampering, rst-injection, packet-injection, blockpage, tls-mitm,
blackhole, throttling, residual-blocking) to a naive detector, but a careful
analyst would say "no interference here": a correct tool reports no finding
(observations are fine).  Each trap function explains, in its comment, why the
traffic is benign and what a naive detector would wrongly conclude.

Usage:  python blind5_benign.py OUTDIR

Deterministic: every random choice comes from random.Random(<fixed seed>) and
the pcap/pcapng files are written by hand (no host, clock or version strings),
so two runs produce byte-identical files.  Checksums and lengths are computed
by scapy when the packets are serialised.
"""

import base64
import hashlib
import heapq
import json
import os
import random
import socket
import struct
import sys

from scapy.all import ICMP, IP, TCP, UDP, Ether, Raw

U32 = 0xFFFFFFFF

# ---------------------------------------------------------------------------
# capture container and writers
# ---------------------------------------------------------------------------


class Cap:
    """Frames with absolute timestamps in integer microseconds."""

    def __init__(self, t0):
        self.t0_us = int(round(t0 * 1_000_000))
        self.frames = []  # (ts_us, order, iface, bytes)

    def add(self, t, pkt, iface=0):
        ts = self.t0_us + int(round(t * 1_000_000))
        self.frames.append((ts, len(self.frames), iface, bytes(pkt)))

    def sorted(self):
        return sorted(self.frames, key=lambda f: (f[0], f[1]))

    def write_pcap(self, path, linktype=1, snaplen=262144):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
            for ts, _, _, data in self.sorted():
                f.write(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(data), len(data)))
                f.write(data)

    def write_pcapng(self, path, ifaces, snaplen=262144, userappl="Dumpcap (Wireshark) 4.0.17"):
        def opt(code, val):
            pad = (-len(val)) % 4
            return struct.pack("<HH", code, len(val)) + val + b"\x00" * pad

        def block(btype, body):
            total = 12 + len(body)
            return struct.pack("<II", btype, total) + body + struct.pack("<I", total)

        out = []
        shb = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + opt(4, userappl.encode()) + opt(0, b"")
        out.append(block(0x0A0D0D0A, shb))
        for name, linktype in ifaces:
            idb = struct.pack("<HHI", linktype, 0, snaplen) + opt(2, name.encode()) + opt(9, b"\x06") + opt(0, b"")
            out.append(block(0x00000001, idb))
        for ts, _, iface, data in self.sorted():
            pad = (-len(data)) % 4
            epb = struct.pack("<IIIII", iface, ts >> 32, ts & U32, len(data), len(data)) + data + b"\x00" * pad
            out.append(block(0x00000006, epb))
        with open(path, "wb") as f:
            f.write(b"".join(out))


# ---------------------------------------------------------------------------
# IP ID generators and a small TCP flow model
# ---------------------------------------------------------------------------


class IPID:
    def __init__(self, start=0, step=1, mode="inc", rng=None):
        self.v = start & 0xFFFF
        self.step = step
        self.mode = mode
        self.rng = rng

    def next(self):
        if self.mode == "zero":
            return 0
        if self.mode == "random":
            return self.rng.randrange(1, 65536)
        v = self.v
        self.v = (self.v + self.step) & 0xFFFF
        return v


class Flow:
    """One TCP connection seen from a capture point.

    Times passed to tcp() are capture times.  owd[side] is the one-way delay
    between the capture point and that endpoint, so a packet from `side`
    captured at t was sent at t - owd[side] and reaches the other endpoint at
    t + owd[other].  Default ACK numbers and TS echo values are derived from
    what that endpoint had received by its send time.
    """

    def __init__(self, cap, *, cip, sip, sport, dport, cmac, smac, cttl, sttl, isn_c, isn_s,
                 owd_s, owd_c=0.0, cid, sid, ts=True, tsbase_c=0, tsbase_s=0, ws_c=7, ws_s=9,
                 mss_c=1460, mss_s=1460, win_c=64240, win_s=65160, df_c=True, df_s=True,
                 iface=0, hz_c=1000, hz_s=1000):
        self.cap = cap
        self.ip = {"c": cip, "s": sip}
        self.port = {"c": sport, "s": dport}
        self.mac = {"c": cmac, "s": smac}
        self.ttl = {"c": cttl, "s": sttl}
        self.isn = {"c": isn_c, "s": isn_s}
        self.nxt = {"c": isn_c, "s": isn_s}
        self.owd = {"c": owd_c, "s": owd_s}
        self.ipid = {"c": cid, "s": sid}
        self.ts = ts
        self.tsbase = {"c": tsbase_c, "s": tsbase_s}
        self.hz = {"c": hz_c, "s": hz_s}
        self.ws = {"c": ws_c, "s": ws_s}
        self.mss = {"c": mss_c, "s": mss_s}
        self.win = {"c": win_c, "s": win_s}
        self.df = {"c": df_c, "s": df_s}
        self.iface = iface
        self.deliv = {"c": [], "s": []}  # segments delivered TO side: (arrival, seq, end)
        self.tsin = {"c": [], "s": []}  # TS values received BY side: (arrival, tsval)

    @staticmethod
    def other(side):
        return "s" if side == "c" else "c"

    def ack_at(self, side, st):
        o = self.other(side)
        nxt = self.isn[o]
        for s, e in sorted((s, e) for (a, s, e) in self.deliv[side] if a <= st + 1e-9):
            if s <= nxt < e:
                nxt = e
        return nxt

    def tsval(self, side, st):
        return (self.tsbase[side] + int(st * self.hz[side])) & U32

    def tsecr(self, side, st):
        best, val = -1e18, 0
        for a, v in self.tsin[side]:
            if a <= st + 1e-9 and a >= best:
                best, val = a, v
        return val

    def tcp(self, t, side, flags, data=b"", seq=None, ack=None, win=None, sack=None,
            drop=False, hidden=False, ipid=None, ttl=None, opts=None):
        o = self.other(side)
        st = t - self.owd[side]
        if seq is None:
            seq = self.nxt[side]
        ln = len(data) + (1 if "S" in flags else 0) + (1 if "F" in flags else 0)
        self.nxt[side] = max(self.nxt[side], seq + ln)
        if "A" in flags and ack is None:
            ack = self.ack_at(side, st)
        tv = self.tsval(side, st)
        if opts is None:
            opts = []
            if "S" in flags:
                opts = [("MSS", self.mss[side]), ("SAckOK", b"")]
                if self.ts:
                    opts.append(("Timestamp", (tv, self.tsecr(side, st) if "A" in flags else 0)))
                opts += [("NOP", None), ("WScale", self.ws[side])]
            elif self.ts:
                opts = [("NOP", None), ("NOP", None), ("Timestamp", (tv, self.tsecr(side, st)))]
        if sack:
            opts = list(opts) + [("NOP", None), ("NOP", None), ("SAck", tuple(x & U32 for blk in sack for x in blk))]
        if win is None:
            win = self.win[side]
        w = win if "S" in flags else (win >> self.ws[side])
        w = max(0, min(w, 65535))
        ident = self.ipid[side].next() if ipid is None else ipid
        pkt = (Ether(src=self.mac[side], dst=self.mac[o])
               / IP(src=self.ip[side], dst=self.ip[o], ttl=ttl or self.ttl[side], id=ident,
                    flags="DF" if self.df[side] else 0)
               / TCP(sport=self.port[side], dport=self.port[o], flags=flags, seq=seq & U32,
                     ack=(ack & U32) if "A" in flags else 0, window=w, options=opts))
        if data:
            pkt = pkt / Raw(data)
        if not drop and not hidden:
            arr = t + self.owd[o]
            if ln:
                self.deliv[o].append((arr, seq, seq + ln))
            self.tsin[o].append((arr, tv))
        if not hidden:
            self.cap.add(t, pkt, self.iface)
        return seq

    # helpers ---------------------------------------------------------------
    def handshake(self, t, rtt, srv_delay=0.0002, cli_delay=0.00005):
        self.tcp(t, "c", "S")
        t2 = t + rtt + srv_delay
        self.tcp(t2, "s", "SA")
        t3 = t2 + cli_delay
        self.tcp(t3, "c", "A")
        return t3

    def send(self, t, side, data, spacing=0.00012, mss=None, ack_every=2, ack_delay=0.00004,
             last_psh=True, remote_ack_delay=0.0):
        """Send `data` from `side` in MSS-sized segments; the receiver ACKs every
        `ack_every` segments (and the last one).  Returns capture time of last packet."""
        o = self.other(side)
        if mss is None:
            mss = self.mss[o] - (12 if self.ts else 0)
        chunks = [data[i:i + mss] for i in range(0, len(data), mss)]
        tl = t
        for i, ch in enumerate(chunks):
            ts_ = t + i * spacing
            last = i == len(chunks) - 1
            self.tcp(ts_, side, "PA" if (last and last_psh) else "A", ch)
            tl = ts_
            if ack_every and ((i + 1) % ack_every == 0 or last):
                if o == "c" and self.owd["c"] == 0.0:
                    ta = ts_ + ack_delay
                else:
                    ta = ts_ + self.owd[side] + self.owd[o] + ack_delay + remote_ack_delay
                self.tcp(ta, o, "A")
                tl = max(tl, ta)
        return tl

    def send_rounds(self, t, side, data, rtt, init=10, **kw):
        """Slow start: send `init` segments, then twice as many one RTT later, ..."""
        o = self.other(side)
        mss = self.mss[o] - (12 if self.ts else 0)
        n, off, tl = init, 0, t
        while off < len(data):
            part = data[off:off + n * mss]
            tl = self.send(t, side, part, **kw)
            off += len(part)
            t = t + rtt + len(part) // mss * 0.00012 * 0.5
            n *= 2
        return tl


def udp(cap, t, smac, dmac, sip, dip, sport, dport, payload, ttl, ipid, df=False, iface=0):
    pkt = (Ether(src=smac, dst=dmac) / IP(src=sip, dst=dip, ttl=ttl, id=ipid, flags="DF" if df else 0)
           / UDP(sport=sport, dport=dport) / Raw(payload))
    cap.add(t, pkt, iface)
    return pkt


# ---------------------------------------------------------------------------
# DNS message builder (hand-made so that 0x20 case and layout are exact)
# ---------------------------------------------------------------------------


def dname(n):
    return b"".join(bytes([len(lbl)]) + lbl.encode() for lbl in n.rstrip(".").split(".")) + b"\x00"


def rr_a(ip):
    return 1, socket.inet_aton(ip)


def rr_aaaa(ip):
    return 28, socket.inet_pton(socket.AF_INET6, ip)


def rr_cname(n):
    return 5, dname(n)


def dns_msg(txid, flags, qname, qtype, answers=(), opt=None, ns=0):
    """answers: list of (owner or None for a pointer to the question name, (type, rdata), ttl)."""
    hdr = struct.pack(">HHHHHH", txid, flags, 1, len(answers), ns, 1 if opt else 0)
    body = dname(qname) + struct.pack(">HH", qtype, 1)
    for owner, (rtype, rdata), ttl in answers:
        on = b"\xc0\x0c" if owner is None else dname(owner)
        body += on + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata
    if opt:
        size, do = opt
        body += b"\x00" + struct.pack(">HHIH", 41, size, 0x8000 if do else 0, 0)
    return hdr + body


# ---------------------------------------------------------------------------
# TLS record builders (plaintext handshake parts; encrypted parts are random)
# ---------------------------------------------------------------------------


def rec(ct, body, ver=b"\x03\x03"):
    return bytes([ct]) + ver + len(body).to_bytes(2, "big") + body


def hs(htype, body):
    return bytes([htype]) + len(body).to_bytes(3, "big") + body


def ext(etype, body):
    return etype.to_bytes(2, "big") + len(body).to_bytes(2, "big") + body


def u16list(vals):
    b = b"".join(v.to_bytes(2, "big") for v in vals)
    return len(b).to_bytes(2, "big") + b


def sni_ext(name):
    n = name.encode()
    lst = b"\x00" + len(n).to_bytes(2, "big") + n
    return ext(0, len(lst).to_bytes(2, "big") + lst)


def alpn_ext(protos):
    lst = b"".join(bytes([len(p)]) + p for p in protos)
    return ext(16, len(lst).to_bytes(2, "big") + lst)


CCS = b"\x14\x03\x03\x00\x01\x01"


def client_hello13(rng, sni, alpn=(b"h2", b"http/1.1")):
    rnd, sid = rng.randbytes(32), rng.randbytes(32)
    suites = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030,
              0xC00A, 0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    ks = (b"\x00\x1d\x00\x20" + rng.randbytes(32) + b"\x00\x17\x00\x41\x04" + rng.randbytes(64))
    exts = (sni_ext(sni) + ext(0x0017, b"") + ext(0xFF01, b"\x00")
            + ext(0x000A, u16list([0x001D, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101]))
            + ext(0x000B, b"\x01\x00") + ext(0x0023, b"")
            + (alpn_ext(alpn) if alpn else b"")
            + ext(0x0005, b"\x01\x00\x00\x00\x00")
            + ext(0x0033, len(ks).to_bytes(2, "big") + ks)
            + ext(0x002B, b"\x04\x03\x04\x03\x03")
            + ext(0x000D, u16list([0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201]))
            + ext(0x002D, b"\x01\x01") + ext(0x001C, b"\x40\x01"))
    body = (b"\x03\x03" + rnd + bytes([32]) + sid + u16list(suites) + b"\x01\x00"
            + len(exts).to_bytes(2, "big") + exts)
    return rec(22, hs(1, body), b"\x03\x01"), sid


def server_hello13(rng, sid, cipher=0x1301):
    exts = ext(0x002B, b"\x03\x04") + ext(0x0033, b"\x00\x1d\x00\x20" + rng.randbytes(32))
    body = (b"\x03\x03" + rng.randbytes(32) + bytes([32]) + sid + cipher.to_bytes(2, "big") + b"\x00"
            + len(exts).to_bytes(2, "big") + exts)
    return rec(22, hs(2, body))


def appdata(rng, n):
    return rec(23, rng.randbytes(n))


def tls13_handshake(fl, t, rng, sni, rtt, alpn=(b"h2", b"http/1.1"), cert_len=3100, think=0.0011):
    """ClientHello -> ServerHello..Finished -> client Finished.  Returns time of client Finished."""
    ch, sid = client_hello13(rng, sni, alpn)
    fl.tcp(t, "c", "PA", ch)
    flight = (server_hello13(rng, sid) + CCS + appdata(rng, 32) + appdata(rng, cert_len)
              + appdata(rng, 280) + appdata(rng, 53))
    t_s = t + rtt + 0.0009
    t_last = fl.send(t_s, "s", flight)
    t_fin = t_last + think
    fl.tcp(t_fin, "c", "PA", CCS + appdata(rng, 53))
    return t_fin


# ---------------------------------------------------------------------------
# MAC addresses (OUIs of ordinary vendors)
# ---------------------------------------------------------------------------

MAC_APPLE = "a4:83:e7:2b:19:c0"
MAC_INTEL = "3c:58:c2:91:4e:07"
MAC_ASUS = "3c:7c:3f:5e:11:a2"
MAC_DELL = "d4:81:d7:6a:30:9f"
MAC_LENOVO = "8c:16:45:d2:7b:e3"
MAC_RPI = "b8:27:eb:4c:0a:15"
MAC_RPI4 = "dc:a6:32:19:8e:50"
MAC_FRITZ = "3c:a6:2f:83:51:c4"
MAC_TPLINK = "50:c7:bf:0e:2a:41"
MAC_AIRPORT = "7c:d1:c3:6f:a0:2e"
MAC_GLINET_LAN = "94:83:c4:1a:22:7e"
MAC_GLINET_WAN = "94:83:c4:1a:22:7f"
MAC_ISP_BNG = "00:31:46:0d:a2:01"
MAC_ZYXEL = "9c:c9:eb:32:77:d8"
MAC_SAMSUNG = "8c:85:90:3b:c2:6e"


def isn(rng):
    return rng.randrange(0, 1 << 32)


# ===========================================================================
# Trap 1: capture on a home router, LAN and WAN interfaces in one pcapng
# ===========================================================================
# What it is: `dumpcap -i br-lan -i eth1` on an OpenWrt router.  Every packet
# of a laptop's DNS lookup and HTTPS visit to en.wikipedia.org appears twice:
# once on the LAN interface (private client address, server TTL 52) and once on
# the WAN interface (NAT-rewritten public address, server TTL 53, client TTL
# 63), 40-120 us apart, with identical IP IDs, TCP sequence numbers and
# payloads.
# Naive conclusion: two DNS responses to one query with different IP TTLs
# (dns-injection), duplicated SYN/ACKs and data segments with a TTL that
# differs by one (packet-injection / rst-style TTL anomaly), the same server
# seen with two TTLs.
# Why benign: the copies are on two different interfaces (pcapng interface
# ids 0 and 1), the TTL difference is exactly the router's own hop, the IP IDs
# and payloads are byte-identical, the addresses differ only by the NAT
# rewrite, and every flow completes normally with a clean FIN close.


def trap_router_lan_wan(path):
    rng = random.Random(0x5B01)
    cap = Cap(1739560925.104211)
    C, WAN, R1 = "192.168.1.42", "86.151.30.77", "1.1.1.1"
    WIKI = "185.15.59.224"
    # LAN view first (client-side perspective, capture on br-lan)
    cid = IPID(rng.randrange(65536))
    q_port = 41822
    txa, txaaaa = rng.randrange(65536), rng.randrange(65536)
    t = 0.0
    udp(cap, t, MAC_APPLE, MAC_GLINET_LAN, C, R1, q_port, 53,
        dns_msg(txa, 0x0100, "en.wikipedia.org", 1, opt=(1232, False)), 64, cid.next(), df=True)
    udp(cap, t + 0.00009, MAC_APPLE, MAC_GLINET_LAN, C, R1, q_port, 53,
        dns_msg(txaaaa, 0x0100, "en.wikipedia.org", 28, opt=(1232, False)), 64, cid.next(), df=True)
    ans_a = [(None, rr_cname("dyna.wikimedia.org"), 13), ("dyna.wikimedia.org", rr_a(WIKI), 300)]
    ans_6 = [(None, rr_cname("dyna.wikimedia.org"), 13), ("dyna.wikimedia.org", rr_aaaa("2a02:ec80:300:ed1a::1"), 300)]
    udp(cap, 0.01412, MAC_GLINET_LAN, MAC_APPLE, R1, C, 53, q_port,
        dns_msg(txa, 0x8180, "en.wikipedia.org", 1, ans_a, opt=(1232, False)), 57, rng.randrange(65536), df=True)
    udp(cap, 0.01447, MAC_GLINET_LAN, MAC_APPLE, R1, C, 53, q_port,
        dns_msg(txaaaa, 0x8180, "en.wikipedia.org", 28, ans_6, opt=(1232, False)), 57, rng.randrange(65536), df=True)
    # HTTPS to en.wikipedia.org over IPv4 (the laptop has no IPv6 uplink)
    rtt = 0.0238
    fl = Flow(cap, cip=C, sip=WIKI, sport=51544, dport=443, cmac=MAC_APPLE, smac=MAC_GLINET_LAN,
              cttl=64, sttl=52, isn_c=isn(rng), isn_s=isn(rng), owd_s=rtt / 2,
              cid=IPID(rng.randrange(65536)), sid=IPID(0), tsbase_c=rng.randrange(1 << 31),
              tsbase_s=rng.randrange(1 << 31), ws_c=6, ws_s=9)
    t = fl.handshake(0.0152, rtt)
    fl.sid = fl.ipid["s"] = IPID(rng.randrange(65536))
    t = tls13_handshake(fl, t + 0.0002, rng, "en.wikipedia.org", rtt, cert_len=3480)
    # HTTP/2 preface + SETTINGS + HEADERS (GET /wiki/Main_Page)
    t += 0.0001
    fl.tcp(t, "c", "PA", appdata(rng, 118) + appdata(rng, 224))
    # server: session tickets, SETTINGS, response headers + ~86 KB of HTML (two round trips)
    t_r = t + rtt + 0.0061
    resp = appdata(rng, 233) + appdata(rng, 233) + appdata(rng, 40) + appdata(rng, 380)
    for _ in range(6):
        resp += appdata(rng, 16401)
    resp += appdata(rng, 1203)
    mss = fl.mss["c"] - 12
    first, rest = resp[: 10 * mss], resp[10 * mss:]
    tl = fl.send(t_r, "s", first)
    tl = fl.send(tl + rtt + 0.0003, "s", rest[: 20 * mss])
    tl = fl.send(tl + rtt + 0.0003, "s", rest[20 * mss:])
    # client: WINDOW_UPDATE / SETTINGS ack
    fl.tcp(tl + 0.0021, "c", "PA", appdata(rng, 31))
    fl.tcp(tl + 0.0021 + rtt + 0.04, "s", "A")
    # 6 s later the tab is closed: GOAWAY, close_notify, FIN; server does the same
    tc = tl + 6.2173
    fl.tcp(tc, "c", "PA", appdata(rng, 26))
    fl.tcp(tc + 0.0001, "c", "PA", rec(23, rng.randbytes(19)))
    fl.tcp(tc + 0.0002, "c", "FA")
    ts_ = tc + 0.0002 + rtt + 0.0003
    fl.tcp(ts_, "s", "PA", rec(23, rng.randbytes(19)))
    fl.tcp(ts_ + 0.00002, "s", "FA")
    fl.tcp(ts_ + 0.00006, "c", "A")

    # derive the WAN copy of every frame: NAT rewrites the private address,
    # the router decrements TTL when forwarding; IP ID and payload unchanged.
    lan = list(cap.frames)
    cap.frames = []
    drng = random.Random(0x5B01 + 1)
    for ts, _, _, data in sorted(lan, key=lambda f: (f[0], f[1])):
        p = Ether(data)
        delta = drng.randrange(41, 118) / 1_000_000
        trel = (ts - cap.t0_us) / 1_000_000
        w = p.copy()
        if p[IP].src == C:
            w[Ether].src, w[Ether].dst = MAC_GLINET_WAN, MAC_ISP_BNG
            w[IP].src = WAN
            w[IP].ttl = p[IP].ttl - 1
            t_lan, t_wan = trel, trel + delta
        else:
            w[Ether].src, w[Ether].dst = MAC_ISP_BNG, MAC_GLINET_WAN
            w[IP].dst = WAN
            w[IP].ttl = p[IP].ttl + 1
            t_lan, t_wan = trel, trel - delta
        del w[IP].chksum
        if w.haslayer(TCP):
            del w[TCP].chksum
        if w.haslayer(UDP):
            del w[UDP].chksum
        cap.add(t_lan, p, 0)
        cap.add(t_wan, Ether(bytes(w)), 1)
    cap.write_pcapng(path, [("br-lan", 1), ("eth1", 1)])


# ===========================================================================
# Trap 2: the user's own Pi-hole on the LAN sinkholes ad/tracker names
# ===========================================================================
# What it is: a laptop whose DHCP-provided resolver is a Raspberry Pi running
# Pi-hole (192.168.178.2, same /24, IP TTL 64 = zero hops, MAC b8:27:eb Pi).
# Loading www.bbc.com, the browser looks up the site, its static host and
# several ad/analytics names.  The Pi-hole answers the ad names
# (securepubads.g.doubleclick.net, pagead2.googlesyndication.com,
# ad.doubleclick.net, sb.scorecardresearch.com) from its blocklist with
# 0.0.0.0 / :: and a 2-second TTL (Pi-hole's default NULL blocking mode and
# block TTL), in well under a millisecond, and resolves everything else
# normally; the page then loads over HTTPS.
# Naive conclusion: bogon answer 0.0.0.0 for public names = dns-tampering.
# Why benign: the filtering is done by the user's own device on the user's
# own LAN (private same-subnet resolver, no router hop, Raspberry Pi MAC), only
# for advertising/tracking names, with the tell-tale 2 s TTL; no path element
# between the user and the Internet touched anything, and the site itself
# resolves and loads fine.


def trap_pihole(path):
    rng = random.Random(0x5B02)
    cap = Cap(1740904873.550318)
    C, PH, GW = "192.168.178.34", "192.168.178.2", "192.168.178.1"
    BBC = ["151.101.0.81", "151.101.64.81", "151.101.128.81", "151.101.192.81"]
    cid = IPID(rng.randrange(65536))

    def ask(t, name, qtype, answers, delay, ttl_ip=64):
        txid = rng.randrange(65536)
        sport = rng.randrange(32768, 61000)
        udp(cap, t, MAC_INTEL, MAC_RPI, C, PH, sport, 53, dns_msg(txid, 0x0100, name, qtype), 64, cid.next(), df=True)
        # dnsmasq/pihole-FTL answers from an unconnected socket: DF set, IP ID 0
        udp(cap, t + delay, MAC_RPI, MAC_INTEL, PH, C, 53, sport,
            dns_msg(txid, 0x8180, name, qtype, answers), ttl_ip, 0, df=True)

    t = 0.0
    ask(t, "www.bbc.com", 1, [(None, rr_a(a), 187) for a in BBC], 0.01873)
    ask(t + 0.00011, "www.bbc.com", 28,
        [(None, rr_aaaa(a), 187) for a in ("2a04:4e42::81", "2a04:4e42:200::81", "2a04:4e42:400::81", "2a04:4e42:600::81")], 0.01902)
    ask(0.2811, "static.files.bbci.co.uk", 1, [(None, rr_cname("bbc.map.fastly.net"), 221), ("bbc.map.fastly.net", rr_a("151.101.16.81"), 21)], 0.02244)
    ask(0.2813, "securepubads.g.doubleclick.net", 1, [(None, rr_a("0.0.0.0"), 2)], 0.00041)
    ask(0.2814, "securepubads.g.doubleclick.net", 28, [(None, rr_aaaa("::"), 2)], 0.00038)
    ask(0.2820, "sb.scorecardresearch.com", 1, [(None, rr_a("0.0.0.0"), 2)], 0.00036)
    ask(0.2821, "sb.scorecardresearch.com", 28, [(None, rr_aaaa("::"), 2)], 0.00035)
    ask(0.2902, "ichef.bbci.co.uk", 1, [(None, rr_cname("bbc.map.fastly.net"), 197), ("bbc.map.fastly.net", rr_a("151.101.16.81"), 21)], 0.00052)
    ask(0.4135, "pagead2.googlesyndication.com", 1, [(None, rr_a("0.0.0.0"), 2)], 0.00044)
    ask(0.4136, "pagead2.googlesyndication.com", 28, [(None, rr_aaaa("::"), 2)], 0.00037)
    ask(0.4141, "ad.doubleclick.net", 1, [(None, rr_a("0.0.0.0"), 2)], 0.00039)
    ask(0.4162, "www.googletagmanager.com", 1, [(None, rr_a("142.250.179.136"), 73)], 0.01511)
    ask(2.9187, "securepubads.g.doubleclick.net", 1, [(None, rr_a("0.0.0.0"), 2)], 0.00033)

    # the page itself loads over HTTPS from the genuine addresses
    rtt = 0.0121
    fl = Flow(cap, cip=C, sip=BBC[0], sport=50612, dport=443, cmac=MAC_INTEL, smac=MAC_FRITZ,
              cttl=64, sttl=58, isn_c=isn(rng), isn_s=isn(rng), owd_s=rtt / 2,
              cid=IPID(rng.randrange(65536)), sid=IPID(rng.randrange(65536)),
              tsbase_c=rng.randrange(1 << 31), tsbase_s=rng.randrange(1 << 31))
    t = fl.handshake(0.0193, rtt)
    t = tls13_handshake(fl, t + 0.0001, rng, "www.bbc.com", rtt, cert_len=4120)
    fl.tcp(t + 0.0001, "c", "PA", appdata(rng, 118) + appdata(rng, 392))
    resp = appdata(rng, 233) + appdata(rng, 41)
    for _ in range(3):
        resp += appdata(rng, 16401)
    resp += appdata(rng, 7305)
    mss = 1448
    tl = fl.send(t + rtt + 0.031, "s", resp[: 10 * mss])
    tl = fl.send(tl + rtt + 0.0002, "s", resp[10 * mss:])
    fl2 = Flow(cap, cip=C, sip="151.101.16.81", sport=50618, dport=443, cmac=MAC_INTEL, smac=MAC_FRITZ,
               cttl=64, sttl=58, isn_c=isn(rng), isn_s=isn(rng), owd_s=rtt / 2,
               cid=IPID(rng.randrange(65536)), sid=IPID(rng.randrange(65536)),
               tsbase_c=fl.tsbase["c"], tsbase_s=rng.randrange(1 << 31))
    t = fl2.handshake(0.3023, rtt)
    t = tls13_handshake(fl2, t + 0.0001, rng, "static.files.bbci.co.uk", rtt, cert_len=4120)
    fl2.tcp(t + 0.0001, "c", "PA", appdata(rng, 118) + appdata(rng, 301))
    resp = appdata(rng, 233)
    for _ in range(5):
        resp += appdata(rng, 16401)
    tl2 = fl2.send(t + rtt + 0.004, "s", resp[: 10 * mss])
    tl2 = fl2.send(tl2 + rtt + 0.0002, "s", resp[10 * mss: 30 * mss])
    tl2 = fl2.send(tl2 + rtt + 0.0002, "s", resp[30 * mss:])
    cap.write_pcap(path)


# ===========================================================================
# Trap 3: recursive resolver with DNS 0x20, upstream retry, late answer
# ===========================================================================
# What it is: capture on a home server running Unbound (use-caps-for-id: yes).
# A LAN client asks for 0..3.debian.pool.ntp.org.  Unbound queries the
# pool.ntp.org authoritative servers with randomised letter case
# ("2.dEbIAn.PooL.NtP.oRg").  For 2.debian.pool.ntp.org the first server does
# not answer within Unbound's 376 ms initial timeout, so Unbound re-asks the
# second server (new port, new txid, new case pattern), which answers at once.
# The first server's answer then arrives late, carrying a DIFFERENT set of four
# A records (pool.ntp.org hands out a random subset of volunteer servers on
# every query), and Unbound, having closed that port, replies with an ICMP
# port unreachable.  Unbound answers the client with the accepted set.
# Naive conclusion: two responses for the same name with disjoint answers and
# different IP TTLs, one of them "early" = dns-injection; mixed-case names that
# do not match the client's lower-case query = tampering.
# Why benign: the two responses answer two different queries (different
# authoritative server, source port, txid and case pattern, each echoed
# exactly, which an off-path forger could not guess); each server's IP TTL and
# IP ID match its other answers in the capture (NS1: TTL 50, NS2: TTL 55, both
# IP ID 0/DF like any Linux UDP server); pool.ntp.org answers differ on every
# query by design; the late answer is simply a slow server.


def trap_unbound_0x20(path):
    rng = random.Random(0x5B03)
    cap = Cap(1743995560.217733)
    UB, CL = "192.168.0.10", "192.168.0.23"
    NS1, NS2 = "45.79.129.245", "185.117.82.66"
    TTL1, TTL2 = 50, 55
    pools = {
        "p0": ["5.9.121.147", "85.214.33.208", "162.159.200.123", "178.63.52.31"],
        "p1": ["144.76.59.37", "213.239.234.28", "195.201.19.162", "94.130.184.193"],
        "x": ["116.203.244.102", "129.70.132.32", "193.175.73.151", "78.46.102.180"],
        "y": ["5.75.181.179", "185.252.140.125", "167.235.69.67", "141.144.246.224"],
        "p3": ["49.12.125.53", "217.144.138.234", "162.159.200.1", "88.99.86.9"],
    }

    def mixcase(name):
        return "".join(ch.upper() if ch.isalpha() and rng.random() < 0.5 else ch for ch in name)

    def client_q(t, name):
        txid, port = rng.randrange(65536), rng.randrange(32768, 61000)
        udp(cap, t, MAC_SAMSUNG, MAC_RPI4, CL, UB, port, 53, dns_msg(txid, 0x0100, name, 1, opt=(1232, False)), 64,
            rng.randrange(65536), df=True)
        return txid, port

    def client_a(t, name, txid, port, addrs, ttl):
        udp(cap, t, MAC_RPI4, MAC_SAMSUNG, UB, CL, 53, port,
            dns_msg(txid, 0x8180, name, 1, [(None, rr_a(a), ttl) for a in addrs], opt=(1232, False)), 64, 0, df=True)

    def upstream(t, ns, qname, txid=None, port=None):
        txid = rng.randrange(65536) if txid is None else txid
        port = rng.randrange(1024, 65536) if port is None else port
        udp(cap, t, MAC_RPI4, MAC_ZYXEL, UB, ns, port, 53, dns_msg(txid, 0x0000, qname, 1, opt=(1232, True)), 64, 0, df=True)
        return txid, port

    def auth_answer(t, ns, ttl_ip, qname, txid, port, addrs):
        payload = dns_msg(txid, 0x8400, qname, 1, [(None, rr_a(a), 150) for a in addrs], opt=(1232, True))
        return udp(cap, t, MAC_ZYXEL, MAC_RPI4, ns, UB, 53, port, payload, ttl_ip, 0, df=True)

    # 0.debian.pool.ntp.org via NS1 (baseline: NS1 answers in ~31 ms, TTL 50)
    n0 = "0.debian.pool.ntp.org"
    tx, pt = client_q(0.0, n0)
    q0 = mixcase(n0)
    utx, upt = upstream(0.00031, NS1, q0)
    auth_answer(0.03158, NS1, TTL1, q0, utx, upt, pools["p0"])
    client_a(0.03189, n0, tx, pt, pools["p0"], 150)
    # 1.debian.pool.ntp.org via NS2 (baseline: NS2 answers in ~34 ms, TTL 55)
    n1 = "1.debian.pool.ntp.org"
    tx, pt = client_q(0.00094, n1)
    q1 = mixcase(n1)
    utx, upt = upstream(0.00121, NS2, q1)
    auth_answer(0.03544, NS2, TTL2, q1, utx, upt, pools["p1"])
    client_a(0.03571, n1, tx, pt, pools["p1"], 150)
    # 2.debian.pool.ntp.org: NS1 slow, retry to NS2, NS1's answer arrives late
    n2 = "2.debian.pool.ntp.org"
    tx2, pt2 = client_q(0.00187, n2)
    qa = mixcase(n2)
    utx_a, upt_a = upstream(0.00213, NS1, qa)
    qb = mixcase(n2)
    while qb == qa:
        qb = mixcase(n2)
    utx_b, upt_b = upstream(0.37821, NS2, qb)
    auth_answer(0.41207, NS2, TTL2, qb, utx_b, upt_b, pools["x"])
    client_a(0.41236, n2, tx2, pt2, pools["x"], 150)
    late = auth_answer(0.44652, NS1, TTL1, qa, utx_a, upt_a, pools["y"])
    # Unbound already closed that port: the kernel answers ICMP port unreachable
    quoted = bytes(late[IP])
    icmp = (Ether(src=MAC_RPI4, dst=MAC_ZYXEL) / IP(src=UB, dst=NS1, ttl=64, id=rng.randrange(65536))
            / ICMP(type=3, code=3) / Raw(quoted))
    cap.add(0.44659, icmp)
    # 3.debian.pool.ntp.org via NS1 again, normal
    n3 = "3.debian.pool.ntp.org"
    tx, pt = client_q(0.00251, n3)
    q3 = mixcase(n3)
    utx, upt = upstream(0.00277, NS1, q3)
    auth_answer(0.03391, NS1, TTL1, q3, utx, upt, pools["p3"])
    client_a(0.03418, n3, tx, pt, pools["p3"], 150)
    cap.write_pcap(path)


# ===========================================================================
# Trap 4: multi-domain (SAN) certificate on a shared CDN edge, 2014
# ===========================================================================
# What it is: a Mac in September 2014 opening abs.twimg.com and
# platform.twitter.com, both CNAMEd to the Edgecast CDN (93.184.216.146).
# Both TLS 1.2 handshakes (RSA key exchange, so the whole certificate message
# is in clear) receive the same genuine certificate chain, copied byte for
# byte from a public capture (zeek test suite, ocsp-stapling-twimg.pcap):
# leaf CN=si0.twimg.com, O=Twitter, Inc., issued by DigiCert High Assurance
# CA-3, chaining to DigiCert High Assurance EV Root CA, valid 2014-02-26 to
# 2016-03-01 (SHA-1 signatures, normal in 2014), with 38 subjectAltNames that include abs.twimg.com and
# platform.twitter.com, plus a stapled OCSP response "good" produced
# 2014-09-03 15:29 UTC (the capture is 2014-09-04 00:00 UTC).
# Naive conclusion: certificate CN (si0.twimg.com) does not match the SNI,
# and a twitter.com name gets a twimg.com certificate = tls-mitm; CNAME to a
# third-party CDN domain looks like redirection.
# Why benign: name matching is done against the SAN list (RFC 6125), which
# covers both SNIs; the chain is a real public DigiCert chain with genuine
# signatures, valid at capture time, with a valid stapled OCSP response; the
# server's TTL/IP ID behaviour is the same in both connections.

CERT_AND_STATUS_B64 = (
    "CwAN9wAN9AAHkjCCB44wggZ2oAMCAQICEAwa9jT9m9GXJFx9VLT9O4owDQYJKoZIhvcNAQEFBQAw"
    "ZjELMAkGA1UEBhMCVVMxFTATBgNVBAoTDERpZ2lDZXJ0IEluYzEZMBcGA1UECxMQd3d3LmRpZ2lj"
    "ZXJ0LmNvbTElMCMGA1UEAxMcRGlnaUNlcnQgSGlnaCBBc3N1cmFuY2UgQ0EtMzAeFw0xNDAyMjYw"
    "MDAwMDBaFw0xNjAzMDExMjAwMDBaMGoxCzAJBgNVBAYTAlVTMRMwEQYDVQQIEwpDYWxpZm9ybmlh"
    "MRYwFAYDVQQHEw1TYW4gRnJhbmNpc2NvMRYwFAYDVQQKEw1Ud2l0dGVyLCBJbmMuMRYwFAYDVQQD"
    "Ew1zaTAudHdpbWcuY29tMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAt4lPeP4AQWu5"
    "tiqYYNyEE8yheg8UYpDNukNos6RaUOLzejx8MwTvaTj44t9cxx61G9FtnwPNaXolINc8/OtWjy/O"
    "hRo47ml1H8P9I6S3DzCb1kzL8Y+tmU81UfVSV/t7SgdTupNp/uOSNRfQhunj9vOU76Hm9Jl2sq/7"
    "v5lh5PGRwgB1sQdOPNHytmiAIWUMu5N9b5j9GuHvLmLu598KRrDYLq+PIcjLKjCOfo5ycRLQqvqx"
    "2g0iCaJAD5o7pY7WHmum5Z1QtbZH369rT2J6gVUFbv5nTjd2B8vQQAkE84xO69g1u+jd7nuE9EpD"
    "39RN069sRvh+TLGZk5mB1W1D/QIDAQABo4IEMjCCBC4wHwYDVR0jBBgwFoAUUOpzidsp+xCPnuUB"
    "INTeeZlIg/cwHQYDVR0OBBYEFKCd1NJEhzdisq+aPAkcauoBZtbMMIICiQYDVR0RBIICgDCCAnyC"
    "DXNpMC50d2ltZy5jb22CDGd1LnR3aW1nLmNvbYIMZzIudHdpbWcuY29tgg12LmNkbi52aW5lLmNv"
    "gg9tdGMuY2RuLnZpbmUuY2+CC3R3aXR0ZXIuY29tgg93d3cudHdpdHRlci5jb22CE2Nkbi5hcGku"
    "dHdpdHRlci5jb22CFHBsYXRmb3JtLnR3aXR0ZXIuY29tgg1wLnR3aXR0ZXIuY29tghdwcmV2aWV3"
    "LmNkbi50d2l0dGVyLmNvbYILcC50d3R0ci5jb22CC3AudHdpbWcuY29tggtvLnR3aW1nLmNvbYIN"
    "c2kxLnR3aW1nLmNvbYINc2kyLnR3aW1nLmNvbYINc2kzLnR3aW1nLmNvbYINc2k0LnR3aW1nLmNv"
    "bYINc2k1LnR3aW1nLmNvbYIPcC1kZXYudHdpbWcuY29tghdjZG4tZGV2LmFwaS50d2l0dGVyLmNv"
    "bYIMaTMudHdpbWcuY29tgg1wYnMudHdpbWcuY29tggxqcC50d2ltZy5jb22CDWFicy50d2ltZy5j"
    "b22CDWhjYS50d2ltZy5jb22CDGVhLnR3aW1nLmNvbYIRd2lkZ2V0cy50d2ltZy5jb22CGWNkbi5z"
    "eW5kaWNhdGlvbi50d2ltZy5jb22CDWRudC50d2ltZy5jb22CC2cudHdpbWcuY29tghx3aWRnZXRz"
    "LnBsYXRmb3JtLnR3aXR0ZXIuY29tgg10b24udHdpbWcuY29tggt2LnR3aW1nLmNvbYIOdm10Yy50"
    "d2ltZy5jb22CFXRhaWxmZWF0aGVyLnR3aW1nLmNvbYIMbWEudHdpbWcuY29tghJzdGF0dXMudHdp"
    "dHRlci5jb20wDgYDVR0PAQH/BAQDAgWgMB0GA1UdJQQWMBQGCCsGAQUFBwMBBggrBgEFBQcDAjBh"
    "BgNVHR8EWjBYMCqgKKAmhiRodHRwOi8vY3JsMy5kaWdpY2VydC5jb20vY2EzLWcyOC5jcmwwKqAo"
    "oCaGJGh0dHA6Ly9jcmw0LmRpZ2ljZXJ0LmNvbS9jYTMtZzI4LmNybDBCBgNVHSAEOzA5MDcGCWCG"
    "SAGG/WwBATAqMCgGCCsGAQUFBwIBFhxodHRwczovL3d3dy5kaWdpY2VydC5jb20vQ1BTMHsGCCsG"
    "AQUFBwEBBG8wbTAkBggrBgEFBQcwAYYYaHR0cDovL29jc3AuZGlnaWNlcnQuY29tMEUGCCsGAQUF"
    "BzAChjlodHRwOi8vY2FjZXJ0cy5kaWdpY2VydC5jb20vRGlnaUNlcnRIaWdoQXNzdXJhbmNlQ0Et"
    "My5jcnQwDAYDVR0TAQH/BAIwADANBgkqhkiG9w0BAQUFAAOCAQEASqfQXvJ+Yvo/9WdeacqeB2dT"
    "LmE0IIxjtgDutqB/wHtERtTXh151a7AkOW9jtWt4zllpPnJZsRhI/x7alqP0zjNnDpnMBGPgTZF8"
    "RY4kUvoA0PReFfrXWGLdYhC/lGNER6UO5dn8TyuHnZPRGTVqTQyuc9LOIZAoIICIpr2TE314h9T8"
    "yfSI2aM5qfM5fju0ElwzBslKocoWMa2oecH2bLOvILpPWeGAQ9rhfmaG8Y8lyuLcPRX56j6aQj4g"
    "vaJvldTeMZAUqxmjP5G2mqWNkAFPRpyXJcEm7euHdkc97jSXonQnmsGho555432+YoCejTbX6jsD"
    "pU/nevae1jTyWgAGXDCCBlgwggVAoAMCAQICEApfEU0DWxeRF9Lv1AOMPzswDQYJKoZIhvcNAQEF"
    "BQAwbDELMAkGA1UEBhMCVVMxFTATBgNVBAoTDERpZ2lDZXJ0IEluYzEZMBcGA1UECxMQd3d3LmRp"
    "Z2ljZXJ0LmNvbTErMCkGA1UEAxMiRGlnaUNlcnQgSGlnaCBBc3N1cmFuY2UgRVYgUm9vdCBDQTAe"
    "Fw0wODA0MDIxMjAwMDBaFw0yMjA0MDMwMDAwMDBaMGYxCzAJBgNVBAYTAlVTMRUwEwYDVQQKEwxE"
    "aWdpQ2VydCBJbmMxGTAXBgNVBAsTEHd3dy5kaWdpY2VydC5jb20xJTAjBgNVBAMTHERpZ2lDZXJ0"
    "IEhpZ2ggQXNzdXJhbmNlIENBLTMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC/YQop"
    "EB9e/jQ3UQj4Hvsi7WG+Cw1wTFBjJnUVuUGIl7bwoBW7CGDgQugFKRCHNoooZajvMQd0bTaXLyhG"
    "ZgTHKnkmepnVjsNtT6Berbw9kcJZe142bMBTzwAIMj4QZFgQE2nHDO6cQlEA+QVE7iTOeh/tjBG9"
    "EqjzFfQcejFpARun5l3Ammx+CZ7nUkRKEDoj5Ju2A6+onLRbn9RLrZKMzrURKqo3GI20wrjYXAaM"
    "+P8jvTVe1Hw+foMOkZYFmMOyH+PIZeupe12gLMz8PNlt7cz6S0OMydS4pWEcskC2KBLfufhf/tOy"
    "ye89tB5LfBxMmTaePevsp2heHd9nbl77AgMBAAGjggL6MIIC9jAOBgNVHQ8BAf8EBAMCAYYwggHG"
    "BgNVHSAEggG9MIIBuTCCAbUGC2CGSAGG/WwBAwACMIIBpDA6BggrBgEFBQcCARYuaHR0cDovL3d3"
    "dy5kaWdpY2VydC5jb20vc3NsLWNwcy1yZXBvc2l0b3J5Lmh0bTCCAWQGCCsGAQUFBwICMIIBVh6C"
    "AVIAQQBuAHkAIAB1AHMAZQAgAG8AZgAgAHQAaABpAHMAIABDAGUAcgB0AGkAZgBpAGMAYQB0AGUA"
    "IABjAG8AbgBzAHQAaQB0AHUAdABlAHMAIABhAGMAYwBlAHAAdABhAG4AYwBlACAAbwBmACAAdABo"
    "AGUAIABEAGkAZwBpAEMAZQByAHQAIABDAFAALwBDAFAAUwAgAGEAbgBkACAAdABoAGUAIABSAGUA"
    "bAB5AGkAbgBnACAAUABhAHIAdAB5ACAAQQBnAHIAZQBlAG0AZQBuAHQAIAB3AGgAaQBjAGgAIABs"
    "AGkAbQBpAHQAIABsAGkAYQBiAGkAbABpAHQAeQAgAGEAbgBkACAAYQByAGUAIABpAG4AYwBvAHIA"
    "cABvAHIAYQB0AGUAZAAgAGgAZQByAGUAaQBuACAAYgB5ACAAcgBlAGYAZQByAGUAbgBjAGUALjAS"
    "BgNVHRMBAf8ECDAGAQH/AgEAMDQGCCsGAQUFBwEBBCgwJjAkBggrBgEFBQcwAYYYaHR0cDovL29j"
    "c3AuZGlnaWNlcnQuY29tMIGPBgNVHR8EgYcwgYQwQKA+oDyGOmh0dHA6Ly9jcmwzLmRpZ2ljZXJ0"
    "LmNvbS9EaWdpQ2VydEhpZ2hBc3N1cmFuY2VFVlJvb3RDQS5jcmwwQKA+oDyGOmh0dHA6Ly9jcmw0"
    "LmRpZ2ljZXJ0LmNvbS9EaWdpQ2VydEhpZ2hBc3N1cmFuY2VFVlJvb3RDQS5jcmwwHwYDVR0jBBgw"
    "FoAUsT7DaQP4v0cB1JgmGggC72NkK8MwHQYDVR0OBBYEFFDqc4nbKfsQj57lASDU3nmZSIP3MA0G"
    "CSqGSIb3DQEBBQUAA4IBAQAe4qVInmzbUzgP76YaKqziA0Ptmrw+jnUb8P0uIlmsE8Bh4uf66ZnN"
    "hwl1VCi/RmDcvlEskvMbkXwxCHDiN7nBW6i9owsA+xoV/QOtWGrFxySZSEdGMR6S77RfTjTHkL8x"
    "wfixhIbQnAGq34pWBs466Q6ul3Rd13GaQnRf3o1DfN7pVe1pAMsF4HphYTPRGU35CO6gOcUlNbcr"
    "xA+y3fGltw4kxCYojXl39S/wV7p8B9Th/M1aMFd+hhBH3TEf1/yiwr8wfF0kquj5rl9qdMLOa7NG"
    "2CG+KdSOXhXWQkrnMm+ksWtRg1i+P23H+9oDIctqFhlOCvCthMpdlLNadvdhFgAB2wEAAdcwggHT"
    "CgEAoIIBzDCCAcgGCSsGAQUFBzABAQSCAbkwggG1MIGeohYEFFDqc4nbKfsQj57lASDU3nmZSIP3"
    "GA8yMDE0MDkwMzE1MjkwMFowczBxMEkwCQYFKw4DAhoFAAQU7Uit3ct7AOIOhCqptAnxrDA0z5YE"
    "FFDqc4nbKfsQj57lASDU3nmZSIP3AhAMGvY0/ZvRlyRcfVS0/TuKgAAYDzIwMTQwOTAzMTUyOTAw"
    "WqARGA8yMDE0MDkxMDE1NDQwMFowDQYJKoZIhvcNAQEFBQADggEBACY1VbER7FEyiuMgaFjEwCjS"
    "H8DnBuehfRmzGEhf0xX6L6Bclv0jx3XaUfAoPNm73A/kGiObGFM7eAL05AoMhGOby6n7u/6mGvXk"
    "kFrrf5HgDfFZqGevmnxDt3xI3+Pebuuo3O32iofqiFSjiM1TuSriVpHMFgPhjYva2QJx+UiWz/Bg"
    "7Chlis+PpBIUFmsCyz4BI0xPoewRf54XJOHUprtLLNoOsH9nx2zTP65uJxlYt7wvIolfv8TGSCWp"
    "3dfRmdiRKs4jX03pHGdT8z9NqDLfOmX9rlXGjOMNw27VXS0wQqaKCeVvjufcdT/pVc8W5fZO8XWh"
    "FF/Xgt9Fo7VK1JM="
)


def trap_tls_multisan(path):
    rng = random.Random(0x5B04)
    cap = Cap(1409788803.318842)
    C, GW, EC = "10.0.1.17", "10.0.1.1", "93.184.216.146"
    blob = base64.b64decode("".join(CERT_AND_STATUS_B64))
    cert_msg, status_msg = blob[:3579], blob[3579:]
    assert hashlib.sha256(blob).hexdigest() == "b3f8e5c17ea40b334ba127e649531487fa199c147019b1d26df46ec610e8127d"
    cid_dns = IPID(rng.randrange(65536))

    def lookup(t, name, cname, delay):
        txid, port = rng.randrange(65536), rng.randrange(49152, 65535)
        udp(cap, t, MAC_APPLE, MAC_AIRPORT, C, GW, port, 53, dns_msg(txid, 0x0100, name, 1), 64, cid_dns.next())
        udp(cap, t + delay, MAC_AIRPORT, MAC_APPLE, GW, C, 53, port,
            dns_msg(txid, 0x8180, name, 1, [(None, rr_cname(cname), 214), (cname, rr_a(EC), 1341)]), 64, rng.randrange(65536))

    lookup(0.0, "abs.twimg.com", "cs196.wac.edgecastcdn.net", 0.02411)
    lookup(0.9013, "platform.twitter.com", "cs472.wac.edgecastcdn.net", 0.02187)

    def client_hello12(sni):
        suites = [0xC02C, 0xC02B, 0xC024, 0xC023, 0xC00A, 0xC009, 0xC030, 0xC02F, 0xC028, 0xC027,
                  0xC014, 0xC013, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F, 0xC008, 0xC012, 0x000A]
        exts = (sni_ext(sni) + ext(0xFF01, b"\x00") + ext(0x000A, u16list([0x0017, 0x0018, 0x0019]))
                + ext(0x000B, b"\x01\x00") + ext(0x0023, b"")
                + ext(0x000D, u16list([0x0401, 0x0201, 0x0501, 0x0601, 0x0403, 0x0203, 0x0503, 0x0603]))
                + ext(0x0005, b"\x01\x00\x00\x00\x00") + ext(0x3374, b""))
        body = (b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16list(suites) + b"\x01\x00"
                + len(exts).to_bytes(2, "big") + exts)
        return rec(22, hs(1, body), b"\x03\x01")

    def server_flight():
        exts = ext(0xFF01, b"\x00") + ext(0x0005, b"") + ext(0x0023, b"")
        sh = b"\x03\x03" + rng.randbytes(32) + bytes([32]) + rng.randbytes(32) + b"\x00\x9c\x00" + len(exts).to_bytes(2, "big") + exts
        return (rec(22, hs(2, sh)) + rec(22, cert_msg) + rec(22, status_msg) + rec(22, hs(14, b"")))

    def gcm(n):
        return rec(23, rng.randbytes(8 + n + 16))

    def visit(t, sport, sni, req_len, resp_sizes):
        rtt = 0.0127
        fl = Flow(cap, cip=C, sip=EC, sport=sport, dport=443, cmac=MAC_APPLE, smac=MAC_AIRPORT,
                  cttl=64, sttl=54, isn_c=isn(rng), isn_s=isn(rng), owd_s=rtt / 2,
                  cid=IPID(rng.randrange(65536)), sid=IPID(rng.randrange(65536)),
                  tsbase_c=rng.randrange(1 << 31), tsbase_s=rng.randrange(1 << 31),
                  ws_c=4, ws_s=6, win_c=131072, win_s=14600, mss_c=1460, mss_s=1460)
        t = fl.handshake(t, rtt)
        fl.tcp(t + 0.0002, "c", "PA", client_hello12(sni))
        tl = fl.send(t + 0.0002 + rtt + 0.0021, "s", server_flight())
        # ClientKeyExchange (RSA-encrypted premaster), ChangeCipherSpec, Finished
        cke = rec(22, hs(16, (256).to_bytes(2, "big") + rng.randbytes(256)))
        t2 = tl + 0.0023
        fl.tcp(t2, "c", "PA", cke + CCS + rec(22, rng.randbytes(40)))
        nst = rec(22, hs(4, (300).to_bytes(4, "big") + (160).to_bytes(2, "big") + rng.randbytes(160)))
        t3 = t2 + rtt + 0.0011
        fl.tcp(t3, "s", "PA", nst + CCS + rec(22, rng.randbytes(40)))
        t4 = t3 + 0.0004
        fl.tcp(t4, "c", "PA", gcm(req_len))
        resp = b"".join(gcm(n) for n in resp_sizes)
        tl = fl.send_rounds(t4 + rtt + 0.0093, "s", resp, rtt)
        # keep-alive, then Safari closes: close_notify + FIN, server likewise
        tc = tl + 4.981
        fl.tcp(tc, "c", "PA", rec(21, rng.randbytes(26)))
        fl.tcp(tc + 0.00003, "c", "FA")
        ts_ = tc + rtt + 0.0002
        fl.tcp(ts_, "s", "PA", rec(21, rng.randbytes(26)))
        fl.tcp(ts_ + 0.00001, "s", "FA")
        fl.tcp(ts_ + 0.00005, "c", "A")

    visit(0.0247, 53311, "abs.twimg.com", 412, [16384, 16384, 3911])
    visit(0.9236, 53314, "platform.twitter.com", 398, [16384, 16384, 16384, 9630])
    cap.write_pcap(path)


# ===========================================================================
# Trap 5: same-site 302 to a login page, TLP retransmission, SACK recovery
# ===========================================================================
# What it is: Firefox opens http://savannah.gnu.org/my/ without a session.
# The origin answers "302 Found" with Location
# http://savannah.gnu.org/account/login.php?uri=%2Fmy%2F (the same host), the
# browser follows it on the same keep-alive connection and gets the 200 login
# form.  The server flushes the headers and the page head early (two small
# segments) and then pauses ~0.6 s to render the rest; the client's ACK for
# the early segments is lost upstream, so the server's tail-loss probe
# re-sends the last small segment (byte-identical, same sequence numbers,
# new IP ID) and the client answers with a D-SACK.  Later one full segment is
# lost upstream and repaired by an ordinary SACK fast retransmission; at the
# end the server's FIN is retransmitted once because the client's ACK of it was
# lost.  All packets from the server carry its TTL (49) and its incrementing
# IP ID.
# Naive conclusion: a redirect to another URL right after the request =
# blockpage / injected redirect; the same sequence range delivered twice =
# packet-injection (race between forged and genuine data).
# Why benign: the redirect is relative to the same site and points to its
# own login page, sent by the server itself (same TTL/IP ID/TS clock as the
# rest of the connection) and followed successfully; the duplicated bytes are
# identical (a retransmission, acknowledged with D-SACK), never conflicting.


def savannah_login_html(rng):
    pkgs = ["bash", "coreutils", "emacs", "gcc", "glibc", "grep", "gzip", "make", "sed", "tar", "wget", "gawk", "gdb", "binutils", "bison", "flex", "m4", "autoconf", "automake", "libtool", "gettext", "guile", "texinfo", "diffutils", "findutils", "inetutils", "screen", "nano", "gnupg", "parted", "grub", "mailutils", "octave", "gnucash", "gimp", "lilypond", "gnunet", "xorriso", "wdiff", "sharutils", "cpio", "ddrescue", "units", "gsl", "recutils", "poke", "mes", "libidn", "libunistring", "nettle", "gnutls", "shepherd", "guix", "hurd", "linux-libre"]
    items = "\n".join(f'      <li><a href="/projects/{p}/">{p}</a></li>' for p in pkgs)
    head = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<title>Savannah: Login [Savannah]</title>\n'
            '<link rel="stylesheet" type="text/css" href="/css/internal/base.css">\n'
            '<link rel="stylesheet" type="text/css" href="/css/Savannah.css">\n'
            '<link rel="icon" type="image/png" href="/images/Savannah.theme/favicon.png">\n'
            '<link rel="search" href="/search/opensearch_description.php" type="application/opensearchdescription+xml" title="Savannah">\n'
            '<meta name="Generator" content="Savane">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '</head>\n<body>\n')
    head += "<!-- " + "begin page header ".ljust(820, ".") + " -->\n"
    body = ('<div class="realbody">\n<div id="top" class="menu">\n  <ul>\n' + items + '\n  </ul>\n</div>\n'
            '<div class="main"><h1>Login</h1>\n'
            '<form action="/account/login.php" method="post">\n'
            '<input type="hidden" name="uri" value="/my/">\n'
            '<p><span class="preinput"><label for="form_loginname">Login name:</label></span><br>\n'
            '&nbsp;&nbsp;<input type="text" id="form_loginname" name="form_loginname" value=""></p>\n'
            '<p><span class="preinput"><label for="form_pw">Password:</label></span><br>\n'
            '&nbsp;&nbsp;<input type="password" id="form_pw" name="form_pw"></p>\n'
            '<p><input type="checkbox" id="cookie_for_a_year" name="cookie_for_a_year" value="1">'
            '<label for="cookie_for_a_year">Remember me</label></p>\n'
            '<p><input type="submit" name="login" value="Login"></p>\n</form>\n'
            '<p><a href="/account/lostpw.php">Lost your password?</a> '
            '<a href="/account/register.php">New user?</a></p>\n')
    para = ("Savannah is a central point for development, distribution and maintenance of free software, "
            "both GNU and non-GNU. In addition to being a central point for development, Savannah "
            "encourages software that runs on free operating systems. ")
    body += "".join(f"<p class=\"smaller\">{para}</p>\n" for _ in range(14))
    body += ('</div>\n<p class="footer">Copyright &copy; 2025 Free Software Foundation, Inc. '
             '<a href="/page/tos.html">Terms of service</a></p>\n</div>\n</body>\n</html>\n')
    return head.encode(), body.encode()


def trap_http_login_redirect(path):
    rng = random.Random(0x5B05)
    cap = Cap(1737468331.402117)
    C, GW, SV = "192.168.2.104", "192.168.2.1", "209.51.188.78"
    txid, port = rng.randrange(65536), rng.randrange(32768, 61000)
    cid_dns = IPID(rng.randrange(65536))
    udp(cap, 0.0, MAC_LENOVO, MAC_TPLINK, C, GW, port, 53, dns_msg(txid, 0x0100, "savannah.gnu.org", 1), 64, cid_dns.next(), df=True)
    udp(cap, 0.03121, MAC_TPLINK, MAC_LENOVO, GW, C, 53, port,
        dns_msg(txid, 0x8180, "savannah.gnu.org", 1, [(None, rr_a(SV), 1800)]), 64, rng.randrange(65536))
    rtt = 0.0962
    fl = Flow(cap, cip=C, sip=SV, sport=47710, dport=80, cmac=MAC_LENOVO, smac=MAC_TPLINK,
              cttl=64, sttl=49, isn_c=isn(rng), isn_s=isn(rng), owd_s=rtt / 2,
              cid=IPID(rng.randrange(65536)), sid=IPID(0), tsbase_c=rng.randrange(1 << 31),
              tsbase_s=rng.randrange(1 << 31), ws_c=7, ws_s=7, hz_s=250)
    t = fl.handshake(0.0315, rtt)
    fl.ipid["s"] = IPID(rng.randrange(65536))
    ua = "Mozilla/5.0 (X11; Linux x86_64; rv:134.0) Gecko/20100101 Firefox/134.0"
    req1 = ("GET /my/ HTTP/1.1\r\nHost: savannah.gnu.org\r\nUser-Agent: " + ua + "\r\n"
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            "Accept-Language: en-GB,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n"
            "Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nPriority: u=0, i\r\n\r\n").encode()
    fl.tcp(t + 0.0001, "c", "PA", req1)
    r302 = (b"HTTP/1.1 302 Found\r\nDate: Tue, 21 Jan 2025 14:05:31 GMT\r\nServer: Apache/2.4.62\r\n"
            b"Set-Cookie: session_hash=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/; domain=.savannah.gnu.org\r\n"
            b"Location: http://savannah.gnu.org/account/login.php?uri=%2Fmy%2F\r\n"
            b"Content-Length: 0\r\nKeep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\n"
            b"Content-Type: text/html; charset=utf-8\r\n\r\n")
    t1 = t + 0.0001 + rtt + 0.0087
    fl.tcp(t1, "s", "PA", r302)
    req2 = req1.replace(b"GET /my/ ", b"GET /account/login.php?uri=%2Fmy%2F ").replace(
        b"Upgrade-Insecure-Requests: 1\r\n", b"Referer: http://savannah.gnu.org/my/\r\nUpgrade-Insecure-Requests: 1\r\n")
    t2 = t1 + 0.0011
    fl.tcp(t2, "c", "PA", req2)
    head, body = savannah_login_html(rng)
    hdr = ("HTTP/1.1 200 OK\r\nDate: Tue, 21 Jan 2025 14:05:31 GMT\r\nServer: Apache/2.4.62\r\n"
           "Expires: Thu, 19 Nov 1981 08:52:00 GMT\r\nCache-Control: no-store, no-cache, must-revalidate\r\n"
           "Pragma: no-cache\r\nSet-Cookie: PHPSESSID=" + rng.randbytes(13).hex() + "; path=/; HttpOnly\r\n"
           f"Content-Length: {len(head) + len(body)}\r\nKeep-Alive: timeout=5, max=99\r\nConnection: Keep-Alive\r\n"
           "Content-Type: text/html; charset=utf-8\r\n\r\n").encode()
    # early flush: headers segment, then the <head> segment
    t3 = t2 + rtt + 0.0142
    fl.tcp(t3, "s", "A", hdr)
    seg_b0 = fl.tcp(t3 + 0.00009, "s", "PA", head)
    # client ACK covering both; lost upstream (visible here, never reaches the server)
    fl.tcp(t3 + 0.00013, "c", "A", drop=True)
    # tail loss probe: re-send the last segment, byte-identical
    t_tlp = t3 + 2 * rtt + 0.0031
    fl.tcp(t_tlp, "s", "PA", head, seq=seg_b0)
    fl.tcp(t_tlp + 0.00004, "c", "A", sack=[(seg_b0, seg_b0 + len(head))])
    # rest of the page after the server finished rendering
    mss = 1448
    chunks = [body[i:i + mss] for i in range(0, len(body), mss)]
    t4 = t3 + 0.6215
    base = fl.nxt["s"]
    seqs = []
    off = 0
    for ch in chunks:
        seqs.append(base + off)
        off += len(ch)
    lost = 3
    tt = t4
    sacked = []
    for i, ch in enumerate(chunks):
        last = i == len(chunks) - 1
        fl.tcp(tt, "s", "PA" if last else "A", ch, seq=seqs[i], hidden=(i == lost))
        if i > lost:
            if sacked and sacked[-1][1] == seqs[i]:
                sacked[-1] = (sacked[-1][0], seqs[i] + len(ch))
            else:
                sacked.append((seqs[i], seqs[i] + len(ch)))
            fl.tcp(tt + 0.00004, "c", "A", sack=[sacked[-1]])
        elif i % 2 == 1 and i != lost:
            fl.tcp(tt + 0.00004, "c", "A")
        tt += 0.00013
    # SACK-based fast retransmission of the lost segment
    t5 = tt + rtt + 0.0009
    fl.tcp(t5, "s", "A", chunks[lost], seq=seqs[lost])
    fl.tcp(t5 + 0.00004, "c", "A")
    # Apache closes the idle keep-alive connection after 5 s; the client's
    # ACK of the FIN is lost once, so the FIN is retransmitted
    t6 = t5 + 5.0003 + rtt / 2
    fin_seq = fl.tcp(t6, "s", "FA")
    fl.tcp(t6 + 0.00005, "c", "A", drop=True)
    t7 = t6 + 0.2968
    fl.tcp(t7, "s", "FA", seq=fin_seq)
    fl.tcp(t7 + 0.00004, "c", "A", sack=[(fin_seq, fin_seq + 1)])
    t8 = t7 + 0.0113
    fl.tcp(t8, "c", "FA")
    fl.tcp(t8 + rtt + 0.0002, "s", "A")
    cap.write_pcap(path)


# ===========================================================================
# Trap 6: IMAPS IDLE with Windows keep-alive probes, then the client aborts
# ===========================================================================
# What it is: Thunderbird on Linux keeps an IMAP IDLE session open to
# outlook.office365.com:993 for ~6 minutes.  The server (a Windows stack:
# TTL 113, no TCP timestamps, window scale 8) sends TCP keep-alive probes after
# 120 s of idleness; Windows probes carry ONE garbage byte (0x00) at
# sequence number SND.NXT-1, i.e. re-sending a byte the client already
# received with different content.  The Linux client answers each with a
# duplicate ACK carrying a D-SACK block.  New mail arrives in between.  At the
# end the server pushes an untagged update and the user quits the mail client
# before it is read: the client's kernel closes the socket with unread data,
# which sends RST+ACK (RFC 2525 / RFC 9293 abortive close) from the client.
# Naive conclusion: a 1-byte segment whose byte differs from the byte already
# delivered at that sequence number = conflicting data / packet-injection; a
# RST ending the connection = rst-injection.
# Why benign: the probes come from the server with its own TTL and its own
# incrementing IP ID, exactly 120 s after the last activity, and are
# acknowledged by the client (a keep-alive, RFC 1122 4.2.3.6, which Windows
# implements with one garbage byte); the RST is sent BY the client (outbound,
# client TTL 64, next IP ID of the client's sequence, seq = SND.NXT) after
# the server's data, right after the client stopped.


def trap_imaps_keepalive(path):
    rng = random.Random(0x5B06)
    cap = Cap(1747123082.660402)
    C, GW, MS = "192.168.1.77", "192.168.1.1", "52.98.151.66"
    txid, port = rng.randrange(65536), rng.randrange(32768, 61000)
    udp(cap, 0.0, MAC_DELL, MAC_TPLINK, C, GW, port, 53, dns_msg(txid, 0x0100, "outlook.office365.com", 1), 64, rng.randrange(65536), df=True)
    udp(cap, 0.01893, MAC_TPLINK, MAC_DELL, GW, C, 53, port,
        dns_msg(txid, 0x8180, "outlook.office365.com", 1,
                [(None, rr_cname("outlook.ms-acdc.office.com"), 127),
                 ("outlook.ms-acdc.office.com", rr_cname("AMS-efz.ms-acdc.office.com"), 11),
                 ("AMS-efz.ms-acdc.office.com", rr_a(MS), 5),
                 ("AMS-efz.ms-acdc.office.com", rr_a("52.98.163.50"), 5),
                 ("AMS-efz.ms-acdc.office.com", rr_a("52.97.211.162"), 5)]), 64, rng.randrange(65536))
    rtt = 0.0221
    fl = Flow(cap, cip=C, sip=MS, sport=44138, dport=993, cmac=MAC_DELL, smac=MAC_TPLINK,
              cttl=64, sttl=113, isn_c=isn(rng), isn_s=isn(rng), owd_s=rtt / 2,
              cid=IPID(rng.randrange(65536)), sid=IPID(rng.randrange(65536)), ts=False,
              ws_c=7, ws_s=8, mss_s=1440, win_c=64240, win_s=65535)
    t = 0.0192
    fl.tcp(t, "c", "S", opts=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (rng.randrange(1 << 31), 0)), ("NOP", None), ("WScale", 7)])
    t += rtt + 0.0003
    fl.tcp(t, "s", "SA", win=65535, opts=[("MSS", 1440), ("NOP", None), ("WScale", 8), ("SAckOK", b"")])
    t += 0.00004
    fl.win["c"] = 64256
    fl.tcp(t, "c", "A")
    t = tls13_handshake(fl, t + 0.0002, rng, "outlook.office365.com", rtt, alpn=None, cert_len=5210)
    fl.win["s"] = 4194304 >> 2

    def c2s(t, n, srv_n=None, srv_delay=0.0, ack_delay=0.0):
        fl.tcp(t, "c", "PA", appdata(rng, n))
        t_s = t + rtt + srv_delay
        if srv_n:
            fl.send(t_s, "s", b"".join(appdata(rng, k) for k in srv_n), mss=1440)
            return t_s
        fl.tcp(t_s + ack_delay, "s", "A")
        return t_s + ack_delay

    # greeting, CAPABILITY, AUTHENTICATE XOAUTH2, SELECT INBOX, IDLE
    t = fl.send(t + rtt + 0.0012, "s", appdata(rng, 138) + appdata(rng, 121), mss=1440)
    t = c2s(t + 0.0009, 36, [225], 0.0021)
    t = c2s(t + 0.0011, 1712, [64], 0.1512)
    t = c2s(t + 0.0009, 40, [512, 49], 0.0143)
    t = c2s(t + 0.0012, 27, [31], 0.0061)
    last_activity = t

    def keepalive(t):
        seq = fl.nxt["s"] - 1
        fl.tcp(t, "s", "A", b"\x00", seq=seq)
        fl.tcp(t + 0.00003, "c", "A", sack=[(seq, seq + 1)])

    keepalive(last_activity + 120.0 + rtt / 2)
    # new mail: "* 4512 EXISTS", DONE, UID FETCH, re-IDLE
    t = last_activity + 176.3187
    fl.send(t, "s", appdata(rng, 35), mss=1440, ack_every=0)
    fl.tcp(t + 0.04, "c", "A")
    t = c2s(t + 0.0437, 27, [44], 0.0052)
    t = c2s(t + 0.0008, 83, [1297, 1297, 1297, 1297, 802], 0.0311)
    t = c2s(t + 0.0013, 27, [31], 0.0049)
    last_activity = t
    keepalive(last_activity + 120.0 + rtt / 2)
    # an untagged FLAGS update is pushed; the user quits before it is read
    t = last_activity + 161.7732
    fl.send(t, "s", appdata(rng, 58), mss=1440, ack_every=0)
    fl.tcp(t + 0.04, "c", "A")
    t_rst = t + 0.2417
    fl.tcp(t_rst, "c", "RA", win=0)
    cap.write_pcap(path)


# ===========================================================================
# Trap 7: a download limited by the client's own receive window
# ===========================================================================
# What it is: on a 100 Mbit/s line a user runs
# `wget --limit-rate=150k http://deb.debian.org/debian/pool/...` while apt
# downloads another package from the same Fastly address a few seconds later.
# wget reads 16 KiB from its socket roughly every 109 ms (and pauses twice for
# disk writes), so the receive buffer is full most of the time: the client
# advertises a ZERO window, the server stops, the client sends a window update
# after each read, the server instantly sends one window's worth, and during
# the two long pauses the server sends zero-window probes that the client
# answers with win=0.  The apt flow, whose reader keeps up, runs at ~18 Mbit/s
# from the same server at the same time (wget averages ~1.1 Mbit/s).
# Naive conclusion: same server, concurrent innocuous flow 16x faster =
# throttling of the wget flow.
# Why benign: the slow flow is receiver-limited: every pause is preceded by the
# client's own zero-window advertisement, every burst follows the client's
# window update by one RTT, the server answers zero windows with persist
# probes, and there is no loss, no retransmission and no policing pattern; the
# rate is exactly what the client asked for.


def bulk_download(fl, rng, t_start, data, adv_fn, reads, owd, ser=0.000121, mss=1448,
                  init_cwnd=10, init_edge=64256, rto=0.216):
    """Event-driven transfer of `data` from server to client (capture at client).

    adv_fn(unread, received) -> advertised window in bytes.
    reads: None (the application reads instantly) or a list of (time, nbytes).
    Returns the capture time at which the application consumed everything.
    """
    base_s = fl.nxt["s"]
    cack = fl.nxt["c"]  # client seq (request already sent)
    total = len(data)
    st = {"una": 0, "nxt": 0, "cwnd": init_cwnd * mss, "edge": init_edge, "link": 0.0,
          "rcv": 0, "unread": 0, "pend": 0, "acked": 0, "adv": init_edge, "persist_gen": 0,
          "persist_armed": False, "backoff": rto, "consumed": 0, "done_t": None}
    ev = []
    ctr = [0]

    def push(t, kind, arg=None):
        ctr[0] += 1
        heapq.heappush(ev, (t, ctr[0], kind, arg))

    def adv_now():
        return adv_fn(st["unread"], st["rcv"])

    def client_ack(t):
        a = adv_now()
        fl.tcp(t, "c", "A", seq=cack, ack=base_s + st["rcv"], win=a)
        st["pend"] = 0
        st["acked"] = st["rcv"]
        st["adv"] = a
        push(t + owd, "srv_ack", (st["rcv"], st["rcv"] + (a >> fl.ws["c"] << fl.ws["c"])))

    def srv_send(tau):
        sent = 0
        while st["nxt"] < total:
            ln = min(mss, total - st["nxt"])
            if st["nxt"] + ln > st["edge"] or st["nxt"] - st["una"] + ln > st["cwnd"]:
                break
            tc = max(tau + owd + 0.00002, st["link"])
            st["link"] = tc + ser
            nxt_after = st["nxt"] + ln
            burst_end = (nxt_after >= total or nxt_after + min(mss, total - nxt_after) > st["edge"]
                         or nxt_after - st["una"] + mss > st["cwnd"])
            fl.tcp(tc, "s", "PA" if burst_end else "A", data[st["nxt"]:nxt_after],
                   seq=base_s + st["nxt"], ack=cack)
            push(tc, "arr", ln)
            st["nxt"] = nxt_after
            sent += 1
        if (st["nxt"] < total and st["una"] == st["nxt"] and not st["persist_armed"]):
            st["persist_armed"] = True
            st["persist_gen"] += 1
            push(tau + st["backoff"], "persist", st["persist_gen"])
        return sent

    push(t_start, "srv_start")
    if reads is not None:
        for tr, n in reads:
            push(tr, "read", n)
    while ev:
        t, _, kind, arg = heapq.heappop(ev)
        if kind == "srv_start":
            srv_send(t)
        elif kind == "arr":
            st["rcv"] += arg
            if reads is None:
                st["consumed"] += arg
            else:
                st["unread"] += arg
            st["pend"] += 1
            if st["pend"] >= 2 or adv_now() == 0 or st["rcv"] == total:
                client_ack(t + 0.00003)
            else:
                push(t + 0.04, "delack", st["rcv"])
            if reads is None and st["rcv"] == total:
                st["done_t"] = t
        elif kind == "delack":
            if st["pend"] and st["acked"] < st["rcv"]:
                client_ack(t)
        elif kind == "read":
            n = min(arg, st["unread"])
            st["unread"] -= n
            st["consumed"] += n
            old = st["adv"]
            new = adv_now()
            if new > 0 and (old == 0 or new >= 2 * old) and st["rcv"] < total:
                client_ack(t + 0.00002)
            if st["consumed"] == total and st["done_t"] is None:
                st["done_t"] = t
        elif kind == "srv_ack":
            ack, edge = arg
            if ack > st["una"]:
                st["cwnd"] += ack - st["una"]
                st["una"] = ack
            st["edge"] = max(st["edge"], edge)
            if st["edge"] - st["nxt"] >= min(mss, total - st["nxt"]) and st["nxt"] < total:
                st["persist_armed"] = False
                st["backoff"] = rto
            srv_send(t)
        elif kind == "persist":
            if arg != st["persist_gen"] or not st["persist_armed"]:
                continue
            if st["edge"] - st["nxt"] >= min(mss, total - st["nxt"]) or st["nxt"] >= total:
                st["persist_armed"] = False
                continue
            # zero-window probe: seq = SND.UNA - 1, no data
            tc = t + owd
            fl.tcp(tc, "s", "A", seq=base_s + st["una"] - 1, ack=cack)
            client_ack(tc + 0.00003)
            st["backoff"] = min(st["backoff"] * 2, 60.0)
            st["persist_gen"] += 1
            push(t + st["backoff"], "persist", st["persist_gen"])
    fl.nxt["s"] = base_s + total
    return st["done_t"]


def deb_body(rng, name, size):
    ar = b"!<arch>\n"
    ar += b"debian-binary   1717171717  0     0     100644  4         `\n2.0\n"
    ar += b"control.tar.xz  1717171717  0     0     100644  2316      `\n"
    return (ar + rng.randbytes(size - len(ar)))


def trap_zero_window(path):
    rng = random.Random(0x5B07)
    cap = Cap(1748945744.081955)
    C, GW, FA = "192.168.1.120", "192.168.1.1", "151.101.2.132"
    txid, port = rng.randrange(65536), rng.randrange(32768, 61000)
    udp(cap, 0.0, MAC_ASUS, MAC_TPLINK, C, GW, port, 53, dns_msg(txid, 0x0100, "deb.debian.org", 1), 64, rng.randrange(65536), df=True)
    udp(cap, 0.01644, MAC_TPLINK, MAC_ASUS, GW, C, 53, port,
        dns_msg(txid, 0x8180, "deb.debian.org", 1,
                [(None, rr_cname("debian.map.fastly.net"), 1771)]
                + [("debian.map.fastly.net", rr_a(a), 21) for a in (FA, "151.101.66.132", "151.101.130.132", "151.101.194.132")]),
        64, rng.randrange(65536))
    rtt = 0.0162
    owd = rtt / 2

    def mkflow(sport):
        return Flow(cap, cip=C, sip=FA, sport=sport, dport=80, cmac=MAC_ASUS, smac=MAC_TPLINK,
                    cttl=64, sttl=58, isn_c=isn(rng), isn_s=isn(rng), owd_s=owd,
                    cid=IPID(rng.randrange(65536)), sid=IPID(rng.randrange(65536)),
                    tsbase_c=rng.randrange(1 << 31), tsbase_s=rng.randrange(1 << 31), ws_c=7, ws_s=9,
                    win_c=64256)

    # --- flow B: wget --limit-rate=150k (receiver-limited) ---
    fb = mkflow(48922)
    t = fb.handshake(0.0172, rtt)
    pathb = "/debian/pool/main/o/openssl/openssl_3.0.15-1~deb12u1_amd64.deb"
    reqb = (f"GET {pathb} HTTP/1.1\r\nHost: deb.debian.org\r\nUser-Agent: Wget/1.21.3\r\n"
            "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: Keep-Alive\r\n\r\n").encode()
    fb.tcp(t + 0.0001, "c", "PA", reqb)
    bodyb = deb_body(rng, "openssl", 1398772)
    hdrb = ("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: " + str(len(bodyb)) + "\r\n"
            "Server: Apache\r\nContent-Type: application/vnd.debian.binary-package\r\n"
            "Last-Modified: Sat, 19 Oct 2024 09:41:44 GMT\r\nETag: \"155814-624d2b6a1a8ac\"\r\n"
            "Accept-Ranges: bytes\r\nAge: 31542\r\nX-Served-By: cache-fra-eddf8230123-FRA\r\n"
            "X-Cache: HIT\r\nX-Cache-Hits: 4\r\nVia: 1.1 varnish\r\n\r\n").encode()
    datab = hdrb + bodyb
    t_first = t + 0.0001 + rtt + 0.0009
    reads = []
    tr = t_first + 0.0013
    k = 0
    consumed = 0
    while consumed < len(datab):
        reads.append((tr, 16384))
        consumed += 16384
        k += 1
        tr += 0.10923 + rng.uniform(-0.0006, 0.0006)
        if k == 24:
            tr += 0.6217
        if k == 57:
            tr += 0.4731
    wb = 64256

    def adv_b(unread, received):
        free = wb - unread
        if free < 1448:
            return 0
        return free // 128 * 128

    done_b = bulk_download(fb, rng, t + 0.0001 + owd + 0.0005, datab, adv_b, reads, owd)
    # --- flow A: apt fetches another package concurrently (reader keeps up) ---
    fa = mkflow(48930)
    ta = fa.handshake(4.2108, rtt)
    patha = "/debian/pool/main/c/curl/libcurl4_7.88.1-10+deb12u8_amd64.deb"
    reqa = (f"GET {patha} HTTP/1.1\r\nHost: deb.debian.org\r\nUser-Agent: Debian APT-HTTP/1.3 (2.6.1)\r\n\r\n").encode()
    fa.tcp(ta + 0.0001, "c", "PA", reqa)
    bodya = deb_body(rng, "libcurl4", 391208)
    hdra = ("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: " + str(len(bodya)) + "\r\n"
            "Server: Apache\r\nContent-Type: application/vnd.debian.binary-package\r\n"
            "Last-Modified: Thu, 06 Feb 2025 19:12:03 GMT\r\nETag: \"5f828-62d7e0d1cf6c4\"\r\n"
            "Accept-Ranges: bytes\r\nAge: 10866\r\nX-Served-By: cache-fra-eddf8230090-FRA\r\n"
            "X-Cache: HIT\r\nX-Cache-Hits: 17\r\nVia: 1.1 varnish\r\n\r\n").encode()
    dataa = hdra + bodya

    def adv_a(unread, received):
        return min(64256 + 2 * received, 3 << 20) // 128 * 128

    done_a = bulk_download(fa, rng, ta + 0.0001 + owd + 0.0004, dataa, adv_a, None, owd)
    # apt keeps its connection open a little, then closes it; wget closes when done
    for fl, td in ((fa, done_a + 0.0521), (fb, done_b + 0.0012)):
        fl.tcp(td, "c", "FA")
        fl.tcp(td + rtt + 0.0001, "s", "FA")
        fl.tcp(td + rtt + 0.00014, "c", "A")
    cap.write_pcap(path)


# ===========================================================================
# Trap 8: IMAP port 143 filtered by the provider from the very start
# ===========================================================================
# What it is: a mail client's "guess configuration" probes imap.gmail.com on
# the plaintext IMAP port 143 and on IMAPS 993 in parallel.  The provider only
# serves IMAP over implicit TLS: SYNs to 143 are silently dropped on both
# addresses of imap.gmail.com, every time, while 993 on the same addresses
# completes TLS and IMAP.  The user presses "Re-test" 40 s later: same picture.
# Naive conclusion: SYNs unanswered while the same server answers otherwise =
# blackhole; after a ClientHello for imap.gmail.com, later connections to the
# same server fail = residual-blocking.
# Why benign: the very first packet of the capture to port 143 is already
# unanswered, before any ClientHello or other possible trigger; the failure is
# tied to the port, not to time, content or address (both A records, before
# and after), and 993 keeps working on the same addresses throughout,
# including after the failures.  That is a port filter of the provider, not
# interference with the user's traffic.


def trap_port143(path):
    rng = random.Random(0x5B08)
    cap = Cap(1740673809.337710)
    C, GW = "192.168.0.37", "192.168.0.1"
    G1, G2 = "142.251.9.108", "142.251.9.109"
    rtt = 0.0189
    cid_dns = IPID(rng.randrange(65536))

    def lookup(t):
        txid, port = rng.randrange(65536), rng.randrange(32768, 61000)
        udp(cap, t, MAC_LENOVO, MAC_ZYXEL, C, GW, port, 53, dns_msg(txid, 0x0100, "imap.gmail.com", 1), 64, cid_dns.next(), df=True)
        udp(cap, t + 0.01422, MAC_ZYXEL, MAC_LENOVO, GW, C, 53, port,
            dns_msg(txid, 0x8180, "imap.gmail.com", 1, [(None, rr_a(G1), 300), (None, rr_a(G2), 300)]), 64, rng.randrange(65536))
        return t + 0.01422

    def mk(ip, sport):
        return Flow(cap, cip=C, sip=ip, sport=sport, dport=0, cmac=MAC_LENOVO, smac=MAC_ZYXEL,
                    cttl=64, sttl=118, isn_c=isn(rng), isn_s=isn(rng), owd_s=rtt / 2,
                    cid=IPID(rng.randrange(65536)), sid=IPID(rng.randrange(65536)),
                    tsbase_c=rng.randrange(1 << 31), tsbase_s=rng.randrange(1 << 31), ws_c=7, ws_s=8,
                    mss_s=1412)

    def dead_syns(ip, sport, t, tries=4):
        fl = mk(ip, sport)
        fl.port["s"] = 143
        s0 = fl.isn["c"]
        dt = 1.0
        for _ in range(tries):
            fl.tcp(t, "c", "S", seq=s0)
            t += dt
            dt *= 2

    def imaps_session(ip, sport, t):
        fl = mk(ip, sport)
        fl.port["s"] = 993
        t = fl.handshake(t, rtt)
        t = tls13_handshake(fl, t + 0.0001, rng, "imap.gmail.com", rtt, alpn=(b"imap",), cert_len=4391)
        # greeting, CAPABILITY, LOGOUT
        t = fl.send(t + rtt + 0.0011, "s", appdata(rng, 233) + appdata(rng, 233) + appdata(rng, 96))
        fl.tcp(t + 0.0008, "c", "PA", appdata(rng, 31))
        t = fl.send(t + 0.0008 + rtt + 0.0021, "s", appdata(rng, 218))
        fl.tcp(t + 0.0009, "c", "PA", appdata(rng, 27))
        t = fl.send(t + 0.0009 + rtt + 0.0017, "s", appdata(rng, 58) + appdata(rng, 47))
        fl.tcp(t + 0.0004, "c", "PA", rec(23, rng.randbytes(19)))
        fl.tcp(t + 0.00045, "c", "FA")
        t2 = t + 0.00045 + rtt + 0.0003
        fl.tcp(t2, "s", "FA")
        fl.tcp(t2 + 0.00004, "c", "A")

    t = lookup(0.0)
    # parallel probes: 143 first (frame order), 993 right after
    dead_syns(G1, 40112, t + 0.0003)
    imaps_session(G1, 40114, t + 0.0004)
    # after giving up on G1:143 the client tries the second address on 143
    dead_syns(G2, 40130, t + 10.0021)
    # "Re-test" 44 s later: new lookup, both ports again on the second address
    t = lookup(44.1183)
    dead_syns(G2, 40302, t + 0.0003)
    imaps_session(G2, 40304, t + 0.0005)
    imaps_session(G1, 40318, t + 3.4107)
    cap.write_pcap(path)


# ===========================================================================

TRAPS = [
    ("b5ben_router_lan_wan_double_view.pcapng", trap_router_lan_wan,
     "Every packet appears twice with TTL off by one and different addresses, which looks like duplicate/raced DNS answers and injected TCP segments, but it is one router capture of the LAN and WAN interfaces (pcapng interfaces 0 and 1) with NAT rewriting and the router's own TTL decrement, identical IP IDs and payloads."),
    ("b5ben_pihole_user_sinkhole.pcap", trap_pihole,
     "0.0.0.0 and :: answers for public names look like bogon DNS tampering, but they come from the user's own Pi-hole on the same LAN (zero hops, Raspberry Pi MAC, 2 s block TTL) and only for ad/tracker names, while the site itself resolves and loads normally."),
    ("b5ben_unbound_0x20_ntppool_late_answer.pcap", trap_unbound_0x20,
     "Two answers with different addresses and IP TTLs for 2.debian.pool.ntp.org look like a DNS race, but they answer two different upstream queries (Unbound retry after a 376 ms timeout: different server, port, txid and 0x20 case pattern, each echoed exactly), each server's TTL/IP ID matches its other answers, and pool.ntp.org returns a random server subset per query."),
    ("b5ben_tls_multisan_cdn_edge_2014.pcap", trap_tls_multisan,
     "The certificate CN (si0.twimg.com) differs from the SNIs abs.twimg.com and platform.twitter.com, which looks like TLS MITM, but it is the genuine DigiCert-issued multi-SAN certificate whose subjectAltNames cover both names, valid at capture time with a stapled OCSP 'good' response."),
    ("b5ben_http_login_redirect_tlp.pcap", trap_http_login_redirect,
     "A 302 right after the request and a segment delivered twice at the same sequence numbers look like an injected redirect/block page and a data race, but the redirect is the origin's own same-site login redirect (same TTL/IP ID/TS clock, followed successfully) and the duplicate is a byte-identical tail-loss-probe retransmission acknowledged with D-SACK."),
    ("b5ben_imaps_keepalive_client_abort.pcap", trap_imaps_keepalive,
     "1-byte segments that re-send an already delivered sequence number with a different byte, and a final RST, look like injected data and an injected reset, but they are a Windows server's RFC 1122 keep-alive probes (server TTL/IP ID, 120 s after the last activity, ACKed by the client) and the client's own abortive close (outbound RST, client TTL and IP ID)."),
    ("b5ben_wget_limit_rate_zero_window.pcap", trap_zero_window,
     "One download from deb.debian.org runs about 16x slower than a concurrent download from the same server, which looks like throttling, but the slow flow is limited by the client's own receive window (zero-window advertisements, window updates, zero-window probes, no loss), i.e. wget --limit-rate."),
    ("b5ben_imap_port143_filtered_from_start.pcap", trap_port143,
     "SYNs to imap.gmail.com:143 go unanswered while 993 on the same addresses works, and failures continue after a ClientHello, which looks like a blackhole or residual blocking, but port 143 is already dead on the first packet before any trigger, on both addresses, for the whole capture, while 993 keeps working: a provider port filter."),
]


def main(argv):
    if len(argv) != 2:
        print("usage: blind5_benign.py OUTDIR", file=sys.stderr)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    expect = {}
    for name, fn, why in TRAPS:
        fn(os.path.join(out, name))
        expect[name] = {"expect": [], "why": why}
    with open(os.path.join(out, "expect.json"), "w") as f:
        json.dump(expect, f, indent=2, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
