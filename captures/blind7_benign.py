#!/usr/bin/env python3
# ruff: noqa: E501, RUF046, RUF059
"""Blind holdout set 7, benign part: eight captures of ordinary, uncensored traffic
that *look* like censorship to a naive detector (false-positive traps).

Usage:  python blind7_benign.py OUTDIR

Writes OUTDIR/b7b_*.pcap / *.pcapng and OUTDIR/expect.json (every capture expects no
finding).  Everything is generated from fixed seeds: two runs give identical bytes.

Captures (one generator function each, the docstring/comments explain the trap):
  b7b_vpn_obfs_down.pcapng     Ethernet / pcapng   WireGuard + fully-random TCP that keep working; an unrelated host is down
  b7b_wifi_to_lte.pcap         Linux SLL2 / pcap   phone loses Wi-Fi mid-download, own RSTs, everything resumes over LTE
  b7b_range_ratelimit.pcap     802.1Q / pcap       two range requests, one paced by the origin's documented per-client limit
  b7b_router_split_dns.pcap    Ethernet / pcap     OpenWrt answers its own LAN address for a DynDNS name; genuine Facebook IPs
  b7b_expired_cert.pcapng      Ethernet / pcapng   IPv6, small site serving its own certificate two weeks after expiry
  b7b_http_redirects.pcapng    802.1Q / pcapng     HTTP->HTTPS 302 and a bit.ly 301 to BBC Persian, both followed
  b7b_port_typo.pcapng         Linux SLL2 / pcapng connection refused on a mistyped IRC port, then the right port works
  b7b_traceroute_https.pcap    Ethernet / pcap     IPv6 UDP + TCP traceroute to Wikipedia while browsing it
"""

import datetime as dt
import json
import os
import random
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from scapy.layers.dns import DNS, DNSQR, DNSRR, DNSRROPT
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import ICMPv6DestUnreach, ICMPv6TimeExceeded, IPv6
from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.packet import Raw

# --------------------------------------------------------------------------------------
# capture container and writers
# --------------------------------------------------------------------------------------

LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL2 = 276
ARPHRD_ETHER = 1
ARPHRD_RAWIP = 519
PKT_HOST = 0
PKT_OUTGOING = 4


def utc(y, mo, d, h, mi, s):
    return int(dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.UTC).timestamp())


class Capture:
    """A list of (time, frame bytes); link = 'eth' | 'vlan' | 'sll2'; fmt = 'pcap' | 'pcapng'."""

    def __init__(self, name, link, fmt, base, gw_mac=None, vlan=None):
        self.name = name
        self.link = link
        self.fmt = fmt
        self.base = base                  # epoch seconds of t=0
        self.gw_mac = gw_mac
        self.vlan = vlan
        self.macs = {}                    # LAN ip -> mac (local host and neighbours)
        self.local = {}                   # local ip -> interface name (sll2)
        self.ifaces = {}                  # name -> (ifindex, hatype, mac or None)
        self.frames = []

    def host(self, ip, mac, iface=None):
        self.macs[ip] = mac
        self.local[ip] = iface

    def neighbour(self, ip, mac):
        self.macs[ip] = mac

    def add(self, t, pkt, iface=None, outgoing=None, src_mac=None):
        if self.link in ("eth", "vlan"):
            if isinstance(pkt, ARP):
                smac, dmac = src_mac, "ff:ff:ff:ff:ff:ff"
            else:
                smac = self.macs.get(pkt.src, self.gw_mac)
                dmac = self.macs.get(pkt.dst, self.gw_mac)
            if self.link == "vlan":
                frame = Ether(src=smac, dst=dmac) / Dot1Q(vlan=self.vlan, prio=0) / pkt
            else:
                frame = Ether(src=smac, dst=dmac) / pkt
            raw = bytes(frame)
        else:  # sll2
            if isinstance(pkt, ARP):
                proto = 0x0806
                out = True if outgoing is None else outgoing
            else:
                proto = 0x86DD if isinstance(pkt, IPv6) else 0x0800
                out = pkt.src in self.local if outgoing is None else outgoing
                if iface is None:
                    iface = self.local.get(pkt.src) if out else self.local.get(pkt.dst)
            ifindex, hatype, mac = self.ifaces[iface]
            if hatype == ARPHRD_ETHER:
                if out:
                    addr = mac
                else:
                    addr = src_mac or self.gw_mac
                a = bytes(int(x, 16) for x in addr.split(":"))
                halen = 6
            else:
                a, halen = b"", 0
            hdr = struct.pack("!HHIHBB", proto, 0, ifindex, hatype, PKT_OUTGOING if out else PKT_HOST, halen) + a.ljust(8, b"\x00")
            raw = hdr + bytes(pkt)
        self.frames.append((int(round(t * 1_000_000)), len(self.frames), raw))

    def linktype(self):
        return LINKTYPE_LINUX_SLL2 if self.link == "sll2" else LINKTYPE_ETHERNET

    def write(self, outdir):
        frames = sorted(self.frames, key=lambda f: (f[0], f[1]))
        path = os.path.join(outdir, self.name)
        with open(path, "wb") as fh:
            if self.fmt == "pcap":
                fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, self.linktype()))
                for us, _, raw in frames:
                    ts = self.base * 1_000_000 + us
                    fh.write(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(raw), len(raw)))
                    fh.write(raw)
            else:
                fh.write(pcapng_shb("blind7_benign.py (synthetic)"))
                fh.write(pcapng_idb(self.linktype(), 262144))
                for us, _, raw in frames:
                    ts = self.base * 1_000_000 + us
                    fh.write(pcapng_epb(ts, raw))
        return path, len(frames)


def _opt(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\x00" * ((4 - len(value) % 4) % 4)


def _block(btype, body):
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


def pcapng_shb(userappl):
    opts = _opt(4, userappl.encode()) + _opt(0, b"")
    body = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + opts
    return _block(0x0A0D0D0A, body)


def pcapng_idb(linktype, snaplen):
    opts = _opt(9, b"\x06") + _opt(0, b"")
    return _block(1, struct.pack("<HHI", linktype, 0, snaplen) + opts)


def pcapng_epb(ts_us, raw):
    pad = b"\x00" * ((4 - len(raw) % 4) % 4)
    body = struct.pack("<IIIII", 0, ts_us >> 32, ts_us & 0xFFFFFFFF, len(raw), len(raw)) + raw + pad
    return _block(6, body)


# --------------------------------------------------------------------------------------
# TCP flow model (capture point = the client side unless cap_at='S')
# --------------------------------------------------------------------------------------

M32 = 0xFFFFFFFF


def other(d):
    return "S" if d == "C" else "C"


class Tcp:
    def __init__(self, cap, c, sport, s, dport, rng, *, rtt, s_ttl, c_ttl=64, c_mss=1460, s_mss=1460,
                 c_ws=7, s_ws=7, c_win=2052, s_win=501, c_synwin=64240, s_synwin=65160, ts=True,
                 s_synack_id0=True, s_df=True, iface=None):
        self.cap, self.rng, self.rtt = cap, rng, rtt
        self.v6 = ":" in c
        self.addr = {"C": (c, sport), "S": (s, dport)}
        self.isn = {"C": rng.getrandbits(32), "S": rng.getrandbits(32)}
        self.nxt = dict(self.isn)
        self.ipid = {"C": rng.randrange(1, 65536), "S": rng.randrange(1, 65536)}
        self.tsbase = {"C": rng.getrandbits(31), "S": rng.getrandbits(31)}
        self.fl = {"C": rng.getrandbits(20), "S": rng.getrandbits(20)}
        self.lastts = {"C": 0, "S": 0}
        self.ttl = {"C": c_ttl, "S": s_ttl}
        self.mss = {"C": c_mss, "S": s_mss}
        self.ws = {"C": c_ws, "S": s_ws}
        self.win = {"C": c_win, "S": s_win}
        self.synwin = {"C": c_synwin, "S": s_synwin}
        self.use_ts = ts
        self.s_synack_id0 = s_synack_id0
        self.df = {"C": True, "S": s_df}
        self.iface = iface
        self.cwnd = {"C": 10, "S": 10}

    # -- low level
    def tsval(self, d, t):
        return (self.tsbase[d] + int(t * 1000)) & M32

    def ip(self, d, ttl=None, ipid=None):
        src, dst = self.addr[d][0], self.addr[other(d)][0]
        ttl = self.ttl[d] if ttl is None else ttl
        if self.v6:
            return IPv6(src=src, dst=dst, hlim=ttl, fl=self.fl[d])
        if ipid is None:
            ipid = self.ipid[d]
            self.ipid[d] = (self.ipid[d] + 1) & 0xFFFF
        return IP(src=src, dst=dst, ttl=ttl, id=ipid, flags="DF" if self.df[d] else 0)

    def seg(self, t, d, flags, data=b"", seq=None, ack=None, win=None, ttl=None, ipid=None, opts=None, advance=True):
        o = other(d)
        if seq is None:
            seq = self.nxt[d]
        if ack is None:
            ack = self.nxt[o] if "A" in flags else 0
        if opts is None:
            if self.use_ts and "R" not in flags:
                tv = self.tsval(d, t)
                opts = [("NOP", None), ("NOP", None), ("Timestamp", (tv, self.lastts[o]))]
                self.lastts[d] = tv
            else:
                opts = []
        if win is None:
            win = 0 if "R" in flags else self.win[d]
        sp, dp = self.addr[d][1], self.addr[o][1]
        pkt = self.ip(d, ttl=ttl, ipid=ipid) / TCP(sport=sp, dport=dp, seq=seq & M32, ack=ack & M32, flags=flags, window=win, options=opts)
        if data:
            pkt = pkt / Raw(data)
        self.cap.add(t, pkt, iface=self.iface)
        if advance:
            self.nxt[d] = (seq + len(data) + (1 if ("S" in flags or "F" in flags) else 0)) & M32
        return pkt

    def _synopts(self, d, t, tsecr):
        opts = [("MSS", self.mss[d]), ("SAckOK", b"")]
        if self.use_ts:
            tv = self.tsval(d, t)
            opts.append(("Timestamp", (tv, tsecr)))
            self.lastts[d] = tv
        opts += [("NOP", None), ("WScale", self.ws[d])]
        return opts

    # -- handshake pieces
    def syn(self, t, retrans=False):
        if retrans:
            self.nxt["C"] = self.isn["C"]
        self.seg(t, "C", "S", opts=self._synopts("C", t, 0), win=self.synwin["C"])

    def synack(self, t):
        ipid = 0 if self.s_synack_id0 else None
        self.seg(t, "S", "SA", opts=self._synopts("S", t, self.lastts["C"]), win=self.synwin["S"], ipid=ipid)

    def handshake(self, t):
        """SYN at t (client side capture); returns time of the client's ACK."""
        self.syn(t)
        self.synack(t + self.rtt)
        t2 = t + self.rtt + 0.00006
        self.seg(t2, "C", "A")
        return t2

    # -- data
    def stream(self, t0, d, data, rate_bps=50e6, psh=True, acks=True, ack_delay=0.00005, max_seg=None):
        """Send data from d, slow start from cwnd[d]; returns time of the last packet of d.

        Capture point is the client: server segments 'arrive' at the computed time and the
        client ACKs every second segment at once; client segments 'leave' at the computed
        time and the server's ACKs arrive one RTT later."""
        o = other(d)
        mss = min(self.mss[o], self.mss[d]) - (12 if self.use_ts else 0)
        if max_seg:
            mss = min(mss, max_seg)
        segs = [data[i:i + mss] for i in range(0, len(data), mss)]
        spacing = (mss + 52) * 8 / rate_bps
        t = t0
        i = 0
        last_t = t0
        n_since_ack = 0
        while i < len(segs):
            n = min(self.cwnd[d], len(segs) - i)
            start = t
            for k in range(n):
                ts_ = start + k * spacing
                last = (i + k == len(segs) - 1)
                fl = "PA" if (last and psh) else "A"
                self.seg(ts_, d, fl, segs[i + k])
                last_t = ts_
                n_since_ack += 1
                if acks and (n_since_ack >= 2 or last):
                    n_since_ack = 0
                    if d == "S":
                        self.seg(ts_ + ack_delay, "C", "A")
                    else:
                        # ACK arrives one RTT later; explicit ack number, seq unchanged
                        self.seg(ts_ + self.rtt, "S", "A", ack=self.nxt["C"], advance=False)
            i += n
            t = max(start + self.rtt, start + n * spacing)
            self.cwnd[d] = min(self.cwnd[d] * 2, 4096)
        return last_t

    def paced(self, t0, d, data, rate_Bps, chunk):
        """Server-side pacing (nginx limit_rate style): bursts of `chunk` bytes every chunk/rate s."""
        interval = chunk / rate_Bps
        t = t0
        pos = 0
        last = t0
        while pos < len(data):
            part = data[pos:pos + chunk]
            pos += len(part)
            self.cwnd[d] = 10 ** 6  # pacing, not cwnd, is the limit
            last = self.stream(t, d, part, rate_bps=100e6, psh=(pos >= len(data)))
            t += interval
        return last

    def fin_close(self, t, first="C"):
        o = other(first)
        self.seg(t, first, "FA")
        if first == "C":
            t2 = t + self.rtt
            self.seg(t2, o, "FA")
            self.seg(t2 + 0.00005, first, "A")
            return t2 + 0.00005
        self.seg(t + 0.0004, o, "FA")
        self.seg(t + 0.0004 + self.rtt, first, "A")
        return t + 0.0004 + self.rtt


# --------------------------------------------------------------------------------------
# TLS and application payload builders
# --------------------------------------------------------------------------------------


def u8(n):
    return struct.pack("!B", n)


def u16(n):
    return struct.pack("!H", n)


def u24(n):
    return struct.pack("!I", n)[1:]


def v8(b):
    return u8(len(b)) + b


def v16(b):
    return u16(len(b)) + b


def v24(b):
    return u24(len(b)) + b


def ext(t, body):
    return u16(t) + v16(body)


def record(ct, body, ver=0x0303):
    return u8(ct) + u16(ver) + v16(body)


def hs(t, body):
    return u8(t) + v24(body)


CCS = record(0x14, b"\x01")


def client_hello(rng, sni, alpn=(b"h2", b"http/1.1"), tls13=True):
    crand = rng.randbytes(32)
    sid = rng.randbytes(32)
    ciphers = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A, 0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    e = b""
    if sni:
        e += ext(0x0000, v16(b"\x00" + v16(sni.encode())))
    e += ext(0x0017, b"") + ext(0xFF01, b"\x00")
    e += ext(0x000A, v16(b"".join(u16(g) for g in (0x001D, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101))))
    e += ext(0x000B, v8(b"\x00"))
    e += ext(0x0023, b"")
    if alpn:
        e += ext(0x0010, v16(b"".join(v8(a) for a in alpn)))
    e += ext(0x0005, b"\x01\x00\x00\x00\x00")
    if tls13:
        e += ext(0x0033, v16(u16(0x001D) + v16(rng.randbytes(32)) + u16(0x0017) + v16(b"\x04" + rng.randbytes(64))))
        e += ext(0x002B, v8(u16(0x0304) + u16(0x0303)))
    e += ext(0x000D, v16(b"".join(u16(s) for s in (0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201))))
    if tls13:
        e += ext(0x002D, v8(b"\x01"))
    e += ext(0x001C, u16(0x4001))
    body = u16(0x0303) + crand + v8(sid) + v16(b"".join(u16(c) for c in ciphers)) + v8(b"\x00") + v16(e)
    return record(0x16, hs(1, body), ver=0x0301), crand, sid


def server_hello13(rng, sid, cipher=0x1301):
    e = ext(0x002B, u16(0x0304)) + ext(0x0033, u16(0x001D) + v16(rng.randbytes(32)))
    body = u16(0x0303) + rng.randbytes(32) + v8(sid) + u16(cipher) + b"\x00" + v16(e)
    return record(0x16, hs(2, body))


def appdata(rng, n):
    return record(0x17, rng.randbytes(n))


def appdata_stream(rng, total, maxrec=16401):
    out = b""
    while total > 0:
        n = min(total, maxrec)
        out += appdata(rng, n)
        total -= n
    return out


def tls13_handshake(fl, t, sni, rng, *, flight=3200, think=0.0015, alpn=(b"h2", b"http/1.1"), rate=50e6, tickets=True):
    """ClientHello .. client Finished; returns time after the client's Finished (and NSTs)."""
    ch, _, sid = client_hello(rng, sni, alpn)
    t = fl.stream(t, "C", ch, acks=False)
    ts = t + fl.rtt + think
    t = fl.stream(ts, "S", server_hello13(rng, sid) + CCS + appdata(rng, flight), rate_bps=rate)
    tc = t + 0.0011
    fl.stream(tc, "C", CCS + appdata(rng, 53), acks=False)
    if tickets:
        tn = tc + fl.rtt
        fl.stream(tn, "S", appdata(rng, 233) + appdata(rng, 233), rate_bps=rate)
        return tn + 0.0001
    return tc + 0.0001


def exchange(fl, t, req_len, resp_len, rng, *, think=0.02, rate=50e6, req_raw=None, resp_raw=None):
    """Encrypted request/response (or raw bytes if given); returns time of the last packet."""
    req = req_raw if req_raw is not None else appdata(rng, req_len)
    t = fl.stream(t, "C", req, acks=False)
    t_resp = t + fl.rtt + think
    if think > 0.04:
        fl.seg(t + fl.rtt, "S", "A")
    resp = resp_raw if resp_raw is not None else appdata_stream(rng, resp_len)
    return fl.stream(t_resp, "S", resp, rate_bps=rate) + 0.00005


# --------------------------------------------------------------------------------------
# DNS helpers
# --------------------------------------------------------------------------------------


def dns_query_pkt(cli, srv, sport, txid, qname, qtype, ttl=64, ipid=None, edns=True):
    ar = [DNSRROPT(rclass=1232, z=0)] if edns else []
    d = DNS(id=txid, rd=1, qd=DNSQR(qname=qname, qtype=qtype), ar=ar)
    if ":" in cli:
        return IPv6(src=cli, dst=srv, hlim=ttl) / UDP(sport=sport, dport=53) / d
    return IP(src=cli, dst=srv, ttl=ttl, id=ipid if ipid is not None else 0, flags="DF") / UDP(sport=sport, dport=53) / d


def dns_resp_pkt(cli, srv, sport, txid, qname, qtype, answers, ttl=64, ipid=0, rcode=0, edns=True, aa=0):
    an = [DNSRR(rrname=n, type=ty, ttl=tt, rdata=rd) for (n, ty, tt, rd) in answers]
    ar = [DNSRROPT(rclass=1232, z=0)] if edns else []
    d = DNS(id=txid, qr=1, aa=aa, rd=1, ra=1, rcode=rcode, qd=DNSQR(qname=qname, qtype=qtype), an=an, ar=ar)
    if ":" in cli:
        return IPv6(src=srv, dst=cli, hlim=ttl) / UDP(sport=53, dport=sport) / d
    return IP(src=srv, dst=cli, ttl=ttl, id=ipid, flags=0) / UDP(sport=53, dport=sport) / d


def dns_exchange(cap, t, rng, cli, srv, qname, qtype, answers, rtt=0.0008, srv_ttl=64, cli_iface=None, rcode=0):
    sport = rng.randrange(32768, 61000)
    txid = rng.randrange(65536)
    cap.add(t, dns_query_pkt(cli, srv, sport, txid, qname, qtype, ipid=rng.randrange(65536)), iface=cli_iface)
    cap.add(t + rtt, dns_resp_pkt(cli, srv, sport, txid, qname, qtype, answers, ttl=srv_ttl, ipid=rng.randrange(65536), rcode=rcode), iface=cli_iface)
    return t + rtt


# ======================================================================================
# 1. VPN / fully-encrypted traffic that works, next to an unrelated host that is down
# ======================================================================================


def wg_init(rng, sender):
    return b"\x01\x00\x00\x00" + struct.pack("<I", sender) + rng.randbytes(32 + 48 + 28 + 16) + b"\x00" * 16


def wg_resp(rng, sender, receiver):
    return b"\x02\x00\x00\x00" + struct.pack("<II", sender, receiver) + rng.randbytes(32 + 16 + 16) + b"\x00" * 16


def wg_data(rng, receiver, counter, inner_len):
    padded = (inner_len + 15) // 16 * 16
    return b"\x04\x00\x00\x00" + struct.pack("<IQ", receiver, counter) + rng.randbytes(padded + 16)


def gen_vpn_obfs_down():
    """Benign: a laptop runs a WireGuard tunnel to a commercial VPN relay (UDP 51820,
    random-looking payloads, handshake re-keyed after 120 s) and an obfuscated-SSH session
    (TCP 8022, first client bytes are pure random: no TLS/HTTP/SSH banner) to its own VPS.
    Both work for five minutes, and a *second* obfuscated-SSH connection to the same
    ip:port 200 s after the first succeeds.  In between, the user tries to reach a small
    hobby server (git.hackspace-nordheide.de) that is down: the destination data centre's
    gateway answers the SYNs with ICMP host-unreachable (code 1) after its ARP timeout.

    A naive detector sees a fully-encrypted first packet (the PF-01/GFW FET trigger), then
    a failing connection inside the 180 s window and calls it residual-blocking, or calls
    the unanswered SYNs/ICMP a blackhole / IP block.  An expert sees that the failure is
    to an unrelated address (residual blocking is keyed on the triggering server's
    ip:port, which keeps working), that the ICMP comes from the target's own /24 gateway
    (TTL consistent with a far router, quoting the client's SYN) and that nothing was
    dropped on the VPN or FET flows."""
    rng = random.Random(0xB7B001)
    cap = Capture("b7b_vpn_obfs_down.pcapng", "eth", "pcapng", utc(2024, 5, 14, 19, 2, 11), gw_mac="e0:28:6d:31:9a:40")
    C = "192.168.0.23"
    GW = "192.168.0.1"
    cap.host(C, "3c:22:fb:7a:10:5e")
    cap.neighbour(GW, "e0:28:6d:31:9a:40")
    WG = "185.213.154.69"
    VPS = "5.75.211.40"
    DOWN = "217.160.0.187"
    DOWN_GW = "217.160.0.1"
    wg_sport = 38472
    wg_ipid = [rng.randrange(65536)]
    srv_ipid = [rng.randrange(65536)]

    def wg_out(t, payload):
        cap.add(t, IP(src=C, dst=WG, ttl=64, id=wg_ipid[0], flags="DF") / UDP(sport=wg_sport, dport=51820) / Raw(payload))
        wg_ipid[0] = (wg_ipid[0] + 1) & 0xFFFF

    def wg_in(t, payload):
        cap.add(t, IP(src=WG, dst=C, ttl=51, id=srv_ipid[0], flags=0) / UDP(sport=51820, dport=wg_sport) / Raw(payload))
        srv_ipid[0] = (srv_ipid[0] + 1) & 0xFFFF

    rtt_wg = 0.0312
    # session keys: local index (what the peer puts in receiver field of packets to us) etc.
    state = {"my_idx": rng.getrandbits(32), "peer_idx": rng.getrandbits(32), "c_out": 0, "c_in": 0, "born": 0.0}

    def handshake(t):
        state["my_idx"] = rng.getrandbits(32)
        wg_out(t, wg_init(rng, state["my_idx"]))
        state["peer_idx"] = rng.getrandbits(32)
        wg_in(t + rtt_wg, wg_resp(rng, state["peer_idx"], state["my_idx"]))
        state["c_out"] = 0
        state["c_in"] = 0
        state["born"] = t
        # initiator confirms with a keepalive (first data packet)
        wg_out(t + rtt_wg + 0.0002, wg_data(rng, state["peer_idx"], state["c_out"], 0))
        state["c_out"] += 1
        return t + rtt_wg + 0.0002

    def burst(t, n_up, n_down, big=True):
        """Tunnelled page load: a few client packets, many (mostly full) server packets."""
        for k in range(n_up):
            wg_out(t + k * 0.0004, wg_data(rng, state["peer_idx"], state["c_out"], rng.choice([52, 60, 76, 517, 610, 88])))
            state["c_out"] += 1
        tt = t + rtt_wg + 0.004
        for k in range(n_down):
            inner = 1420 if (big and k % 7 != 6) else rng.randrange(60, 1300)
            wg_in(tt + k * 0.00025, wg_data(rng, state["my_idx"], state["c_in"], inner))
            state["c_in"] += 1
            if k % 2 == 1:
                wg_out(tt + k * 0.00025 + 0.0001, wg_data(rng, state["peer_idx"], state["c_out"], 52))
                state["c_out"] += 1
        return tt + n_down * 0.00025

    def keepalive(t):
        wg_out(t, wg_data(rng, state["peer_idx"], state["c_out"], 0))
        state["c_out"] += 1

    t = handshake(0.0)
    burst(0.3, 6, 40)
    burst(2.1, 4, 22)
    burst(14.7, 8, 120)
    keepalive(40.0)
    burst(47.2, 5, 64)
    keepalive(72.2)
    keepalive(97.2)
    # REKEY_AFTER_TIME (120 s): a new handshake before the next data
    handshake(121.4)
    burst(121.5, 6, 80)
    burst(150.9, 3, 18)
    keepalive(176.0)
    burst(188.3, 7, 150)
    keepalive(213.3)
    burst(230.8, 4, 30)
    keepalive(256.0)
    burst(271.6, 5, 44)
    keepalive(297.0)

    # ---- obfuscated SSH (fully random first bytes) to the user's VPS, port 8022
    def obfs_session(t, sport):
        f = Tcp(cap, C, sport, VPS, 8022, rng, rtt=0.0114, s_ttl=55)
        t = f.handshake(t)
        # obfuscated-openssh: 16-byte seed + encrypted magic/padding + encrypted banner: all random
        t = f.stream(t + 0.0003, "C", rng.randbytes(16 + 8 + rng.randrange(60, 240)), acks=False)
        t = f.stream(t + f.rtt + 0.0021, "S", rng.randbytes(16 + 8 + rng.randrange(60, 240)))
        t = f.stream(t + 0.0004, "C", rng.randbytes(1392), acks=False)   # KEXINIT (encrypted)
        t = f.stream(t + f.rtt + 0.0009, "S", rng.randbytes(1080))
        t = f.stream(t + 0.0012, "C", rng.randbytes(48), acks=False)     # KEX ECDH init
        t = f.stream(t + f.rtt + 0.0063, "S", rng.randbytes(564))        # KEX reply + NEWKEYS
        t = f.stream(t + 0.0015, "C", rng.randbytes(16 + 44), acks=False)
        t = f.stream(t + f.rtt + 0.0008, "S", rng.randbytes(44))
        t = f.stream(t + 0.0006, "C", rng.randbytes(68), acks=False)     # userauth (publickey)
        t = f.stream(t + f.rtt + 0.0011, "S", rng.randbytes(340))
        t = f.stream(t + 0.0032, "C", rng.randbytes(452), acks=False)
        t = f.stream(t + f.rtt + 0.0042, "S", rng.randbytes(36))
        return f, t

    f1, t = obfs_session(3.05, 51744)
    # interactive use for ~3 minutes: keystrokes and echoes, some command output
    tk = t + 1.7
    while tk < 186.0:
        f1.stream(tk, "C", rng.randbytes(36), acks=False)
        tr = tk + f1.rtt + 0.0004
        out = 36 if rng.random() < 0.8 else rng.randrange(180, 4200)
        if out == 36:
            f1.stream(tr, "S", rng.randbytes(out), acks=False)
            f1.seg(tr + 0.04, "C", "A")  # delayed ACK of the echo
        else:
            f1.stream(tr, "S", rng.randbytes(out))
        tk += rng.choice([0.11, 0.16, 0.21, 0.34, 0.9, 2.7, 6.5, 14.0])
    # ServerAliveInterval probes while idle
    for tk in (215.0, 275.0):
        f1.stream(tk, "C", rng.randbytes(36), acks=False)
        f1.stream(tk + f1.rtt + 0.0003, "S", rng.randbytes(36), acks=False)
        f1.seg(tk + f1.rtt + 0.0405, "C", "A")

    # second connection to the same ip:port, 200 s after the first random-payload trigger
    f2, t = obfs_session(203.2, 51802)
    t = f2.stream(t + 0.2, "C", rng.randbytes(100), acks=False)            # scp request
    t = f2.stream(t + f2.rtt + 0.003, "S", rng.randbytes(96 * 1024), rate_bps=80e6)
    t = f2.stream(t + 0.002, "C", rng.randbytes(52), acks=False)
    t = f2.fin_close(t + f2.rtt + 0.01, first="C")

    # ---- DNS and the down host (unrelated address), twice
    def down_attempt(t, sport):
        dns_exchange(cap, t, rng, C, GW, "git.hackspace-nordheide.de", "A", [("git.hackspace-nordheide.de", "A", 3600, DOWN)], rtt=0.0164)
        f = Tcp(cap, C, sport, DOWN, 443, rng, rtt=0.016, s_ttl=52)
        t0 = t + 0.0171
        quoted = []
        for k, dtm in enumerate((0.0, 1.021)):
            ipid = f.ipid["C"]
            f.syn(t0 + dtm, retrans=(k > 0))
            # the packet as it reached the remote gateway (TTL decremented); the home NAT
            # translated the quoted header back to the LAN address
            q = IP(src=C, dst=DOWN, ttl=51, id=ipid, flags="DF") / TCP(sport=sport, dport=443, seq=f.isn["C"], flags="S", window=64240, options=f._synopts("C", t0 + dtm, 0))
            quoted.append(bytes(q))
        for k, qb in enumerate(quoted):
            cap.add(t0 + 3.069 + k * 0.00004, IP(src=DOWN_GW, dst=C, ttl=243, id=rng.randrange(65536), flags=0) / ICMP(type=3, code=1) / Raw(qb))
        return t0 + 3.07

    down_attempt(96.02, 45112)
    down_attempt(141.77, 45130)
    return cap, "WireGuard and an obfuscated (fully random) TCP session keep working for minutes and a new connection to the same ip:port succeeds 200 s later; the only failure is an unrelated hobby server whose own data-centre gateway reports ICMP host-unreachable, i.e. the host is down."


# ======================================================================================
# 2. Phone loses Wi-Fi mid-transfer, destroys its sockets (own RSTs), resumes on LTE
# ======================================================================================


def gen_wifi_to_lte():
    """Benign: Android phone (tcpdump -i any, Linux SLL2) using Signal on home Wi-Fi.
    While an attachment downloads from cdn2.signal.org the phone walks out of Wi-Fi range:
    server data simply stops arriving, the client's own small writes are retransmitted
    without ACK, the router itself no longer answers ARP or DNS, then the phone drops
    wlan0 and Android destroys the sockets bound to it (SOCK_DESTROY -> tcp_abort, which
    emits RST+ACK from the client, captured as OUTGOING on wlan0).  Two seconds later the
    rmnet_data1 (LTE, CGNAT address, raw-IP interface) becomes default, the same names
    resolve over the carrier resolver and both the chat websocket (same server IP, same
    SNI) and the download complete quickly over LTE.

    A naive detector sees a download that freezes after ~180 KB on a blocked-in-some-
    countries service (throttling / THR-03 'freeze'), an SNI flow that stops being
    answered (blackhole), and RSTs in the middle of TLS sessions (rst-injection).  An
    expert notes that the RSTs are the capture host's own outgoing packets, that the LAN
    gateway itself stopped answering ARP/DNS at the same moment (local link loss, not a
    remote censor) and that the identical server/SNI works immediately on the new path."""
    rng = random.Random(0xB7B002)
    cap = Capture("b7b_wifi_to_lte.pcap", "sll2", "pcap", utc(2024, 6, 2, 8, 41, 53), gw_mac="2c:91:ab:3e:77:10")
    WIFI_IP, LTE_IP = "192.168.178.47", "100.86.23.117"
    PHONE_MAC = "6a:1f:3a:9c:02:d4"
    ROUTER = "192.168.178.1"
    LTE_DNS = "10.74.210.210"
    cap.ifaces = {"wlan0": (30, ARPHRD_ETHER, PHONE_MAC), "rmnet_data1": (14, ARPHRD_RAWIP, None)}
    cap.host(WIFI_IP, PHONE_MAC, "wlan0")
    cap.host(LTE_IP, None, "rmnet_data1")
    CHAT = ["76.223.92.165", "13.248.212.111"]
    CDN_WIFI = ["18.66.102.17", "18.66.102.60", "18.66.102.98", "18.66.102.120"]
    CDN_LTE = ["108.138.7.23", "108.138.7.81", "108.138.7.102", "108.138.7.117"]
    CDN_CNAME = "d2a9x3k7p0q1m8.cloudfront.net"

    # --- on Wi-Fi
    dns_exchange(cap, 0.000, rng, WIFI_IP, ROUTER, "chat.signal.org", "A", [("chat.signal.org", "A", 300, CHAT[0]), ("chat.signal.org", "A", 300, CHAT[1])], rtt=0.0213)
    ws = Tcp(cap, WIFI_IP, 41522, CHAT[0], 443, rng, rtt=0.0187, s_ttl=236, c_win=1373, s_win=443)
    t = ws.handshake(0.0240)
    t = tls13_handshake(ws, t + 0.0002, "chat.signal.org", rng, flight=2950, alpn=(b"http/1.1",))
    # websocket upgrade + queued messages
    t = exchange(ws, t + 0.001, 0, 0, rng, think=0.031, req_raw=appdata(rng, 612), resp_raw=appdata(rng, 297) + appdata(rng, 1410) + appdata(rng, 833))
    for tk in (5.21, 9.80):
        ws.stream(tk, "S", appdata(rng, rng.randrange(700, 1800)))
        ws.stream(tk + 0.0061, "C", appdata(rng, 92), acks=False)
        ws.seg(tk + 0.0061 + ws.rtt, "S", "A")

    dns_exchange(cap, 17.902, rng, WIFI_IP, ROUTER, "cdn2.signal.org", "A", [("cdn2.signal.org", "CNAME", 300, CDN_CNAME + ".")] + [(CDN_CNAME, "A", 60, a) for a in CDN_WIFI], rtt=0.0298)
    dl = Tcp(cap, WIFI_IP, 39014, CDN_WIFI[0], 443, rng, rtt=0.0142, s_ttl=243, c_win=2816, s_win=490)
    t = dl.handshake(17.935)
    t = tls13_handshake(dl, t + 0.0002, "cdn2.signal.org", rng, flight=4630, alpn=(b"h2", b"http/1.1"))
    t = dl.stream(t + 0.0005, "C", appdata(rng, 71) + appdata(rng, 38) + appdata(rng, 212), acks=False)
    # response: ~180 KB arrive, then the radio link fades and nothing more is received
    t = dl.stream(t + dl.rtt + 0.017, "S", appdata_stream(rng, 182_000), rate_bps=28e6)
    t_stall = t
    # client consumed the data: HTTP/2 WINDOW_UPDATE; it is never ACKed, retransmitted
    wu = appdata(rng, 30)
    seq_wu = dl.nxt["C"]
    dl.seg(t_stall + 0.0020, "C", "PA", wu)
    for rto in (0.214, 0.642, 1.498, 3.21):
        dl.seg(t_stall + 0.0020 + rto, "C", "PA", wu, seq=seq_wu, advance=False)
    # the chat websocket keepalive also goes unanswered
    ka = appdata(rng, 62)
    tka = t_stall + 0.61
    seq_ka = ws.nxt["C"]
    ws.seg(tka, "C", "PA", ka)
    for rto in (0.226, 0.678, 1.582):
        ws.seg(tka + rto, "C", "PA", ka, seq=seq_ka, advance=False)
    # the LAN router itself is gone: ARP for the gateway and DNS to it go unanswered
    tval = t_stall + 1.35
    for k in range(3):
        cap.add(tval + k * 1.0, ARP(op=1, hwsrc=PHONE_MAC, psrc=WIFI_IP, hwdst="00:00:00:00:00:00", pdst=ROUTER), iface="wlan0", outgoing=True)
    q_sport, q_id = 50511, rng.randrange(65536)
    for k in range(2):
        cap.add(tval + 0.2 + k * 1.0, dns_query_pkt(WIFI_IP, ROUTER, q_sport, q_id, "connectivitycheck.gstatic.com", "A", ipid=rng.randrange(65536)))
    # wlan0 goes down -> Android destroys sockets on that network: RST+ACK from the client
    t_down = t_stall + 3.95
    dl.seg(t_down, "C", "RA")
    ws.seg(t_down + 0.0004, "C", "RA")

    # --- on LTE (raw IP interface, CGNAT address, carrier DNS)
    tl = t_down + 1.83
    tl = dns_exchange(cap, tl, rng, LTE_IP, LTE_DNS, "connectivitycheck.gstatic.com", "A", [("connectivitycheck.gstatic.com", "A", 300, "142.250.186.99")], rtt=0.0391, srv_ttl=62)
    cc = Tcp(cap, LTE_IP, 43870, "142.250.186.99", 80, rng, rtt=0.0352, s_ttl=117, c_mss=1400, s_mss=1380, s_synack_id0=False, s_df=False)
    t = cc.handshake(tl + 0.0003)
    req = b"GET /generate_204 HTTP/1.1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Safari/537.36\r\nHost: connectivitycheck.gstatic.com\r\nConnection: Keep-Alive\r\nAccept-Encoding: gzip\r\n\r\n"
    resp = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nCross-Origin-Resource-Policy: cross-origin\r\nDate: Sun, 02 Jun 2024 08:42:18 GMT\r\n\r\n"
    t = exchange(cc, t + 0.0002, 0, 0, rng, think=0.003, req_raw=req, resp_raw=resp)
    t = cc.fin_close(t + 0.05, first="C")

    t = dns_exchange(cap, t + 0.02, rng, LTE_IP, LTE_DNS, "chat.signal.org", "A", [("chat.signal.org", "A", 300, CHAT[1]), ("chat.signal.org", "A", 300, CHAT[0])], rtt=0.0412, srv_ttl=62)
    ws2 = Tcp(cap, LTE_IP, 52340, CHAT[0], 443, rng, rtt=0.0386, s_ttl=241, c_mss=1400, s_mss=1380, c_win=1367, s_win=443)
    t = ws2.handshake(t + 0.0004)
    t = tls13_handshake(ws2, t + 0.0002, "chat.signal.org", rng, flight=2950, alpn=(b"http/1.1",))
    t = exchange(ws2, t + 0.001, 0, 0, rng, think=0.034, req_raw=appdata(rng, 612), resp_raw=appdata(rng, 297) + appdata(rng, 2210) + appdata(rng, 1630))
    t_ws2 = t

    t = dns_exchange(cap, t_ws2 + 0.004, rng, LTE_IP, LTE_DNS, "cdn2.signal.org", "A", [("cdn2.signal.org", "CNAME", 300, CDN_CNAME + ".")] + [(CDN_CNAME, "A", 60, a) for a in CDN_LTE], rtt=0.0402, srv_ttl=62)
    dl2 = Tcp(cap, LTE_IP, 52352, CDN_LTE[0], 443, rng, rtt=0.0331, s_ttl=240, c_mss=1400, s_mss=1380, c_win=2816, s_win=490)
    t = dl2.handshake(t + 0.0003)
    t = tls13_handshake(dl2, t + 0.0002, "cdn2.signal.org", rng, flight=4630, alpn=(b"h2", b"http/1.1"))
    t = dl2.stream(t + 0.0005, "C", appdata(rng, 71) + appdata(rng, 38) + appdata(rng, 233), acks=False)
    t = dl2.stream(t + dl2.rtt + 0.021, "S", appdata_stream(rng, 640_000), rate_bps=24e6)
    t = dl2.stream(t + 0.003, "C", appdata(rng, 30), acks=False)
    # messages and keepalives continue on the LTE websocket
    for tk in (t + 2.3, t + 31.0, t + 61.0):
        ws2.stream(tk, "C", appdata(rng, 62), acks=False)
        ws2.stream(tk + ws2.rtt + 0.002, "S", appdata(rng, 41))
    dl2.seg(t + 65.0, "C", "FA")
    dl2.seg(t + 65.0 + dl2.rtt, "S", "FA")
    dl2.seg(t + 65.0 + dl2.rtt + 0.0001, "C", "A")
    return cap, "The stall hits every flow on wlan0 at once including ARP and DNS to the LAN router, the RSTs are the phone's own outgoing socket-destroy resets, and the same chat server/SNI and the CDN work at once over LTE: a Wi-Fi-to-LTE handover, not interference."


# ======================================================================================
# 3. Two parallel range requests, one paced by the origin's documented per-client limit
# ======================================================================================


def gen_range_ratelimit():
    """Benign: a download accelerator (aria2c -x2) fetches a Persian-Wikipedia ZIM file
    from download.kiwix.org over plain HTTP on an office VLAN.  Connection 1 gets its
    range at line rate (and a second range, keep-alive, again fast); connection 2,
    opened 6 ms later for another range of the same file, is answered with the server's
    own rate-limit headers (RateLimit-Policy / X-RateLimit-*, X-Accel-Limit-Rate:
    262144) and delivered in evenly spaced 8 KB bursts at 256 KB/s.

    A naive detector compares goodputs (about 100 Mbit/s vs 2 Mbit/s to the same server)
    and reports throttling.  An expert sees there is no differential trigger (same Host,
    same URL, plain HTTP, same client), the origin itself announces the per-client
    range-stream limit in the response headers, and the slow flow shows clean server-side
    pacing (no drops, no retransmissions, the client's window never fills), whereas
    censor throttling polices by dropping (THR-01)."""
    rng = random.Random(0xB7B003)
    cap = Capture("b7b_range_ratelimit.pcap", "vlan", "pcap", utc(2024, 3, 27, 10, 15, 4), gw_mac="00:08:e3:ff:fd:90", vlan=20)
    C, DNSS = "10.20.0.57", "10.20.0.53"
    cap.host(C, "00:1b:21:3a:5c:e2")
    cap.neighbour(DNSS, "00:50:56:8a:11:03")
    S = "195.154.156.36"
    HOST = "download.kiwix.org"
    PATH = "/zim/wikipedia/wikipedia_fa_all_maxi_2024-03.zim"
    TOTAL = 41_871_362_048
    MiB = 1 << 20
    t = dns_exchange(cap, 0.0, rng, C, DNSS, HOST, "A", [(HOST, "A", 600, S)], rtt=0.0093)

    def req(rng_from, rng_to):
        return (f"GET {PATH} HTTP/1.1\r\nUser-Agent: aria2/1.36.0\r\nAccept: */*\r\nHost: {HOST}\r\nPragma: no-cache\r\nCache-Control: no-cache\r\nRange: bytes={rng_from}-{rng_to}\r\n\r\n").encode()

    def resp_hdr(rng_from, rng_to, throttled, date):
        h = (f"HTTP/1.1 206 Partial Content\r\nServer: nginx\r\nDate: {date}\r\nContent-Type: application/octet-stream\r\nContent-Length: {rng_to - rng_from + 1}\r\nLast-Modified: Sat, 23 Mar 2024 04:12:51 GMT\r\nConnection: keep-alive\r\nETag: \"65fe5693-9bfbf4000\"\r\nContent-Range: bytes {rng_from}-{rng_to}/{TOTAL}\r\n"
             f"RateLimit-Policy: 1;w=60;comment=\"unthrottled range streams per client\"\r\n")
        if throttled:
            h += "RateLimit: limit=1, remaining=0, reset=60\r\nX-RateLimit-Limit: 1\r\nX-RateLimit-Remaining: 0\r\nX-RateLimit-Reset: 60\r\nX-Accel-Limit-Rate: 262144\r\nX-RateLimit-Note: additional parallel range requests are served at 256 KB/s, see https://download.kiwix.org/README\r\n"
        else:
            h += "RateLimit: limit=1, remaining=0, reset=60\r\nX-RateLimit-Limit: 1\r\nX-RateLimit-Remaining: 0\r\nX-RateLimit-Reset: 60\r\n"
        return (h + "\r\n").encode()

    blob = rng.randbytes(int(1.5 * MiB))
    f1 = Tcp(cap, C, 40312, S, 80, rng, rtt=0.0221, s_ttl=54, c_win=6379, s_win=509)
    f2 = Tcp(cap, C, 40318, S, 80, rng, rtt=0.0223, s_ttl=54, c_win=6379, s_win=509)
    t1 = f1.handshake(t + 0.0004)
    t2 = f2.handshake(t + 0.0062)
    # connection 1, piece 0 (fast)
    t1 = f1.stream(t1 + 0.0001, "C", req(0, MiB - 1), acks=False)
    body = resp_hdr(0, MiB - 1, False, "Wed, 27 Mar 2024 10:15:04 GMT") + blob[:MiB]
    t1 = f1.stream(t1 + f1.rtt + 0.0006, "S", body, rate_bps=98e6)
    # connection 2, piece 2 (paced by the origin)
    t2 = f2.stream(t2 + 0.0001, "C", req(2 * MiB, 2 * MiB + int(1.5 * MiB) - 1), acks=False)
    hdr2 = resp_hdr(2 * MiB, 2 * MiB + int(1.5 * MiB) - 1, True, "Wed, 27 Mar 2024 10:15:04 GMT")
    t2 = f2.stream(t2 + f2.rtt + 0.0007, "S", hdr2, rate_bps=98e6)
    f2.paced(t2 + 0.0002, "S", blob, 262144, 8192)
    # connection 1, piece 1 (keep-alive, fast again)
    t1 = f1.stream(t1 + 0.0009, "C", req(MiB, 2 * MiB - 1), acks=False)
    body = resp_hdr(MiB, 2 * MiB - 1, False, "Wed, 27 Mar 2024 10:15:05 GMT") + blob[256 * 1024:256 * 1024 + MiB]
    t1 = f1.stream(t1 + f1.rtt + 0.0005, "S", body, rate_bps=98e6)
    # aria2 is done with connection 1 for now; closes both after connection 2 completes
    tend = 0.05 + 1.5 * MiB / 262144 + 0.2
    f1.fin_close(tend, first="C")
    f2.fin_close(tend + 0.0003, first="C")
    return cap, "Both range requests go to the same server with the same Host and URL over plain HTTP; the slow one carries the origin's own RateLimit/X-Accel-Limit-Rate headers and shows loss-free, evenly paced server bursts, i.e. a documented per-client server limit, not a middlebox throttle."


# ======================================================================================
# 4. OpenWrt split DNS: router's own LAN address for a public DynDNS name; genuine FB IPs
# ======================================================================================


def gen_router_split_dns():
    """Benign: a home network behind an OpenWrt router (dnsmasq) on which the owner set
    `address=/bobshome.duckdns.org/192.168.1.1` (and the ULA for AAAA) so that the public
    DynDNS name of the home's reverse proxy resolves to the router itself from inside the
    LAN (classic hairpin workaround).  dnsmasq answers such local entries with TTL 0.
    The client then talks HTTP (301 to https on the same name) and TLS with SNI
    bobshome.duckdns.org to 192.168.1.1 and syncs data for a while.  The same resolver
    answers other names normally, including www.facebook.com with Facebook's genuine
    A/AAAA addresses -- which happen to be in the GFW injector's forged-answer pool --
    and the TLS session to that address works.

    A naive detector calls the private/ULA answer for a public name dns-tampering
    (bogon answer, like Iran's 10.10.34.34), calls the HTTP response from that private
    address a blockpage, and flags the Facebook answer because the address is on a
    published poison list.  An expert notes the resolver is the LAN router one hop away,
    the answer is the router's own address in the client's subnet, a TLS session with
    that SNI completes and carries data, and a poison-pool address is genuine when it is
    the answer for the company's own name with no racing second reply."""
    rng = random.Random(0xB7B004)
    cap = Capture("b7b_router_split_dns.pcap", "eth", "pcap", utc(2024, 2, 18, 20, 5, 37), gw_mac="94:83:c4:21:7e:08")
    C, R = "192.168.1.23", "192.168.1.1"
    cap.host(C, "a4:83:e7:12:9b:55")
    cap.neighbour(R, "94:83:c4:21:7e:08")
    ULA_R = "fd42:7a3b:19c0::1"
    NAME = "bobshome.duckdns.org"

    t = dns_exchange(cap, 0.0, rng, C, R, "openwrt.lan", "A", [("openwrt.lan", "A", 0, R)], rtt=0.00041)
    t = dns_exchange(cap, 2.317, rng, C, R, NAME, "A", [(NAME, "A", 0, R)], rtt=0.00037)
    t = dns_exchange(cap, t + 0.00002, rng, C, R, NAME, "AAAA", [(NAME, "AAAA", 0, ULA_R)], rtt=0.00039)
    # http -> https redirect from the router's reverse proxy
    h = Tcp(cap, C, 53120, R, 80, rng, rtt=0.00043, s_ttl=64, c_win=2058, s_win=502)
    t = h.handshake(t + 0.0006)
    req = (f"GET / HTTP/1.1\r\nHost: {NAME}\r\nUpgrade-Insecure-Requests: 1\r\nUser-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: de-DE,de;q=0.9\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n").encode()
    body = b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    resp = (f"HTTP/1.1 301 Moved Permanently\r\nServer: nginx\r\nDate: Sun, 18 Feb 2024 20:05:39 GMT\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\nConnection: keep-alive\r\nLocation: https://{NAME}/\r\n\r\n").encode() + body
    t = exchange(h, t + 0.0001, 0, 0, rng, think=0.0002, req_raw=req, resp_raw=resp)
    # TLS to the router's reverse proxy with the DynDNS SNI, Nextcloud web + sync
    s = Tcp(cap, C, 53121, R, 443, rng, rtt=0.00044, s_ttl=64, c_win=2058, s_win=502)
    t = s.handshake(t + 0.0041)
    t = tls13_handshake(s, t + 0.0001, NAME, rng, flight=2710, alpn=(b"h2", b"http/1.1"), rate=600e6)
    t = exchange(s, t + 0.0003, 540, 48_200, rng, think=0.061, rate=600e6)
    for k in range(6):
        t = exchange(s, t + 0.02 + 0.11 * k, rng.randrange(300, 900), rng.randrange(1500, 90_000), rng, think=rng.uniform(0.008, 0.09), rate=600e6)
    # WebDAV upload of a photo (client -> server)
    t = s.stream(t + 0.4, "C", appdata_stream(rng, 420_000), rate_bps=400e6)
    t = s.stream(t + s.rtt + 0.035, "S", appdata(rng, 512))
    t_nc = t

    # ordinary lookups through the same resolver: YouTube and Facebook, genuine answers
    t = dns_exchange(cap, t_nc + 3.2, rng, C, R, "www.youtube.com", "A", [("www.youtube.com", "CNAME", 207, "youtube-ui.l.google.com.")] + [("youtube-ui.l.google.com", "A", 207, a) for a in ("142.250.185.78", "142.250.185.110", "142.250.185.142", "142.250.185.174")], rtt=0.0121)
    y = Tcp(cap, C, 53188, "142.250.185.78", 443, rng, rtt=0.0094, s_ttl=117, s_synack_id0=False, s_df=False, s_mss=1412, s_win=1047)
    t = y.handshake(t + 0.0004)
    t = tls13_handshake(y, t + 0.0001, "www.youtube.com", rng, flight=4380)
    t = exchange(y, t + 0.0003, 1320, 96_000, rng, think=0.041)

    t = dns_exchange(cap, t + 0.8, rng, C, R, "www.facebook.com", "A", [("www.facebook.com", "CNAME", 3600, "star-mini.c10r.facebook.com."), ("star-mini.c10r.facebook.com", "A", 60, "157.240.17.35")], rtt=0.0133)
    t = dns_exchange(cap, t + 0.00003, rng, C, R, "www.facebook.com", "AAAA", [("www.facebook.com", "CNAME", 3600, "star-mini.c10r.facebook.com."), ("star-mini.c10r.facebook.com", "AAAA", 60, "2a03:2880:f12d:83:face:b00c:0:25de")], rtt=0.0129)
    fb = Tcp(cap, C, 53190, "157.240.17.35", 443, rng, rtt=0.0087, s_ttl=56, s_synack_id0=False, s_mss=1392, s_win=1066)
    t = fb.handshake(t + 0.0004)
    t = tls13_handshake(fb, t + 0.0001, "www.facebook.com", rng, flight=3890)
    t = exchange(fb, t + 0.0003, 1410, 71_000, rng, think=0.087)
    t = exchange(fb, t + 0.3, 820, 23_000, rng, think=0.052)

    # Nextcloud keeps syncing through the hairpin path afterwards
    for _ in range(3):
        t = exchange(s, t + 4.0, 610, rng.randrange(800, 4000), rng, think=0.012, rate=600e6)
    return cap, "The private and ULA answers come from the LAN router for a name its owner mapped to the router itself (dnsmasq local entry, TTL 0), the TLS session with that SNI to that address completes and syncs data, and the Facebook addresses are Facebook's genuine answers with no competing reply."


# ======================================================================================
# 5. Small site serving its own expired certificate (IPv6)
# ======================================================================================

SITE = "www.kleingartenverein-lindenau.de"


def make_expired_chain():
    root_key = ec.derive_private_key(0x5EED_0001_B7B5_0001_0001_0001_0001_0001, ec.SECP384R1())
    inter_key = ec.derive_private_key(0x5EED_0002_B7B5_0002_0002_0002_0002_0002, ec.SECP384R1())
    leaf_key = ec.derive_private_key(0x5EED_0003_B7B5_0003_0003_0003_0003_0003, ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Internet Security Research Group"), x509.NameAttribute(NameOID.COMMON_NAME, "ISRG Root X2")])
    inter_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Let's Encrypt"), x509.NameAttribute(NameOID.COMMON_NAME, "E1")])
    inter = (x509.CertificateBuilder()
             .subject_name(inter_name).issuer_name(root_name)
             .public_key(inter_key.public_key())
             .serial_number(0x00B3BDDFF6C4D4AC8AD6C3C6E6A2EBD30B)
             .not_valid_before(dt.datetime(2020, 9, 4, 0, 0, 0))
             .not_valid_after(dt.datetime(2025, 9, 15, 16, 0, 0))
             .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
             .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(inter_key.public_key()), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
             .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier("http://x2.i.lencr.org/"))]), critical=False)
             .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(full_name=[x509.UniformResourceIdentifier("http://x2.c.lencr.org/")], relative_name=None, reasons=None, crl_issuer=None)]), critical=False)
             .sign(root_key, hashes.SHA384(), ecdsa_deterministic=True))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SITE)]))
            .issuer_name(inter_name)
            .public_key(leaf_key.public_key())
            .serial_number(0x03A1F2C9D8E7B6A5948372615049382716F5)
            .not_valid_before(dt.datetime(2024, 1, 3, 7, 12, 45))
            .not_valid_after(dt.datetime(2024, 4, 2, 7, 12, 44))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(inter_key.public_key()), critical=False)
            .add_extension(x509.AuthorityInformationAccess([
                x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier("http://e1.o.lencr.org")),
                x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier("http://e1.i.lencr.org/"))]), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("kleingartenverein-lindenau.de"), x509.DNSName(SITE)]), critical=False)
            .add_extension(x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.2.1"), None)]), critical=False)
            .sign(inter_key, hashes.SHA384(), ecdsa_deterministic=True))
    return leaf_key, [leaf.public_bytes(serialization.Encoding.DER), inter.public_bytes(serialization.Encoding.DER)]


def gen_expired_cert():
    """Benign: a small allotment-club website on an old TLS-1.2-only server whose
    certificate renewal failed; the capture (16 April 2024) is two weeks after the leaf's
    notAfter (2 April 2024).  Firefox receives the certificate, aborts with a fatal
    certificate_expired alert, the user clicks through the warning and a second
    connection gets the *same* certificate and completes; the page loads over IPv6.

    A naive detector sees an invalid certificate followed by an alert and connection
    close and reports tls-mitm.  An expert sees that the leaf's names match the SNI, the
    issuer is an ordinary public ACME CA name (not an interception CA), the same
    certificate and key are served on both connections, and the only defect is the
    validity date (a site admin mistake).  The chain's issuer signature cannot be
    verified offline (synthetic keys), so a tool may note that, but nothing in the
    capture points at a third party."""
    rng = random.Random(0xB7B005)
    cap = Capture("b7b_expired_cert.pcapng", "eth", "pcapng", utc(2024, 4, 16, 17, 48, 2), gw_mac="e0:28:6d:31:9a:41")
    C = "2003:e5:7f1d:a00:5d3c:9e1:b2c4:81f7"
    R = "2003:e5:7f1d:a00:e228:6dff:fe31:9a41"
    cap.host(C, "f8:ff:c2:4a:11:90")
    S = "2a01:4f8:c17:5e1a::1"
    leaf_key, chain = make_expired_chain()
    t = dns_exchange(cap, 0.0, rng, C, R, SITE, "AAAA", [(SITE, "AAAA", 3600, S)], rtt=0.0247)
    t = dns_exchange(cap, 0.00004, rng, C, R, SITE, "A", [(SITE, "A", 3600, "188.245.97.14")], rtt=0.0251)

    def tls12_server_flight(crand):
        srand = rng.randbytes(32)
        sid = rng.randbytes(32)
        e = ext(0xFF01, b"\x00") + ext(0x000B, v8(b"\x00")) + ext(0x0023, b"") + ext(0x0017, b"") + ext(0x0010, v16(v8(b"http/1.1")))
        sh = hs(2, u16(0x0303) + srand + v8(sid) + u16(0xC02B) + b"\x00" + v16(e))
        cert = hs(11, v24(b"".join(v24(c) for c in chain)))
        params = b"\x03" + u16(0x001D) + v8(rng.randbytes(32))
        sig = leaf_key.sign(crand + srand + params, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        ske = hs(12, params + u16(0x0403) + v16(sig))
        shd = hs(14, b"")
        return record(0x16, sh + cert + ske + shd)

    # connection 1: certificate rejected (expired) -> fatal alert, close
    f = Tcp(cap, C, 50612, S, 443, rng, rtt=0.0141, s_ttl=51, c_mss=1440, s_mss=1440, c_win=2052, s_win=507)
    t = f.handshake(t + 0.0006)
    ch, crand, _ = client_hello(rng, SITE, alpn=(b"h2", b"http/1.1"))
    t = f.stream(t + 0.0002, "C", ch, acks=False)
    t = f.stream(t + f.rtt + 0.0012, "S", tls12_server_flight(crand))
    t = f.stream(t + 0.0036, "C", record(0x15, b"\x02\x2d"), acks=False)   # fatal certificate_expired
    t = f.fin_close(t + 0.0002, first="C")

    # the user reads the warning, accepts the risk; connection 2 completes
    f = Tcp(cap, C, 50618, S, 443, rng, rtt=0.0139, s_ttl=51, c_mss=1440, s_mss=1440, c_win=2052, s_win=507)
    t = f.handshake(11.274)
    ch, crand, _ = client_hello(rng, SITE, alpn=(b"h2", b"http/1.1"))
    t = f.stream(t + 0.0002, "C", ch, acks=False)
    t = f.stream(t + f.rtt + 0.0011, "S", tls12_server_flight(crand))
    cke = record(0x16, hs(16, v8(rng.randbytes(32)))) + CCS + record(0x16, rng.randbytes(40))
    t = f.stream(t + 0.0019, "C", cke, acks=False)
    nst = record(0x16, hs(4, struct.pack("!I", 300) + v16(rng.randbytes(192)))) + CCS + record(0x16, rng.randbytes(40))
    t = f.stream(t + f.rtt + 0.0007, "S", nst)
    # HTTP/1.1 inside TLS: page, stylesheet, images
    for req, resp, think in ((460, 38_400, 0.083), (390, 12_100, 0.004), (410, 88_000, 0.006), (405, 143_000, 0.005), (398, 5_200, 0.003)):
        t = f.stream(t + 0.002, "C", record(0x17, rng.randbytes(8 + req + 16)), acks=False)
        if think > 0.04:
            f.seg(t + f.rtt, "S", "A")
        t = f.stream(t + f.rtt + think, "S", appdata_stream(rng, resp), rate_bps=90e6)
    t = f.stream(t + 14.0, "C", record(0x15, rng.randbytes(8 + 2 + 16)), acks=False)   # close_notify
    f.fin_close(t + 0.0001, first="C")
    return cap, "The certificate names match the SNI, the issuer is an ordinary public ACME CA name, the identical certificate is served on both connections and its only defect is a notAfter two weeks in the past (the issuer signature cannot be verified offline here), so this is an expired origin certificate, not interception."


# ======================================================================================
# 6. HTTP -> HTTPS 302 and a URL shortener 301, both followed
# ======================================================================================


def gen_http_redirects():
    """Benign: a user types example-shop.de; the origin's Apache answers the plain-HTTP
    request with '302 Found' to https://www.example-shop.de/ ('The document has moved'
    body), the browser follows and the HTTPS site loads from the same address.  Later
    the user opens a bit.ly short link; bit.ly's nginx answers '301 Moved Permanently'
    to a BBC Persian article (blocked in Iran) and the browser fetches it over TLS from
    Fastly.  Both plain-HTTP connections are closed normally by FIN after keep-alive.

    A naive detector sees an HTTP response that redirects to a different host (or a body
    matching the generic 'The document has moved' pattern) and reports packet-injection
    or a blockpage.  An expert checks that each redirect comes from the real server one
    RTT after the request with the TTL, IP-ID sequence and window of that server's
    SYN/ACK, that there is no second (racing) response at the same sequence numbers,
    that the Location targets are the site's own HTTPS host / the shortened article
    rather than a block host, and that the browser loads both targets."""
    rng = random.Random(0xB7B006)
    cap = Capture("b7b_http_redirects.pcapng", "vlan", "pcapng", utc(2024, 7, 9, 13, 20, 45), gw_mac="74:ac:b9:0c:33:d2", vlan=10)
    C, GW = "192.168.10.44", "192.168.10.1"
    cap.host(C, "8c:16:45:6e:2a:b1")
    SHOP = "81.169.145.157"
    UA = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"

    t = dns_exchange(cap, 0.0, rng, C, GW, "example-shop.de", "A", [("example-shop.de", "A", 300, SHOP)], rtt=0.0188)
    h = Tcp(cap, C, 61022, SHOP, 80, rng, rtt=0.0123, s_ttl=56, c_win=1026, s_win=227, c_ws=8)
    t = h.handshake(t + 0.0003)
    req = (f"GET / HTTP/1.1\r\nHost: example-shop.de\r\nUser-Agent: {UA}\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: de,en-US;q=0.7,en;q=0.3\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()
    body = b"<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>302 Found</title>\n</head><body>\n<h1>Found</h1>\n<p>The document has moved <a href=\"https://www.example-shop.de/\">here</a>.</p>\n</body></html>\n"
    resp = (f"HTTP/1.1 302 Found\r\nDate: Tue, 09 Jul 2024 13:20:45 GMT\r\nServer: Apache\r\nLocation: https://www.example-shop.de/\r\nContent-Length: {len(body)}\r\nKeep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n").encode() + body
    t_h = exchange(h, t + 0.0001, 0, 0, rng, think=0.0011, req_raw=req, resp_raw=resp)
    # Apache closes the idle keep-alive connection after 5 s
    h.fin_close(t_h + 5.0, first="S")

    t = dns_exchange(cap, t_h + 0.0009, rng, C, GW, "www.example-shop.de", "A", [("www.example-shop.de", "CNAME", 300, "example-shop.de."), ("example-shop.de", "A", 300, SHOP)], rtt=0.0173)
    s = Tcp(cap, C, 61024, SHOP, 443, rng, rtt=0.0122, s_ttl=56, c_win=1026, s_win=227, c_ws=8)
    t = s.handshake(t + 0.0003)
    t = tls13_handshake(s, t + 0.0001, "www.example-shop.de", rng, flight=3620)
    t = exchange(s, t + 0.0003, 560, 61_000, rng, think=0.112)
    for _ in range(4):
        t = exchange(s, t + 0.003, 480, rng.randrange(3000, 40_000), rng, think=0.008)
    t_shop = t

    # bit.ly short link -> BBC Persian
    t = dns_exchange(cap, t_shop + 21.6, rng, C, GW, "bit.ly", "A", [("bit.ly", "A", 300, "67.199.248.10"), ("bit.ly", "A", 300, "67.199.248.11")], rtt=0.0211)
    b = Tcp(cap, C, 61088, "67.199.248.10", 80, rng, rtt=0.0934, s_ttl=53, c_win=1026, s_win=502, c_ws=8)
    t = b.handshake(t + 0.0003)
    target = "https://www.bbc.com/persian/articles/c4nnx0e2l7qo"
    req = (f"GET /3Tq8xZk HTTP/1.1\r\nHost: bit.ly\r\nUser-Agent: {UA}\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: de,en-US;q=0.7,en;q=0.3\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()
    body = f"<html>\n<head><title>Bitly</title></head>\n<body><a href=\"{target}\">moved here</a></body>\n</html>".encode()
    resp = (f"HTTP/1.1 301 Moved Permanently\r\nServer: nginx\r\nDate: Tue, 09 Jul 2024 13:21:08 GMT\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\nCache-Control: private, max-age=90\r\nContent-Security-Policy: referrer always;\r\nLocation: {target}\r\nReferrer-Policy: unsafe-url\r\nVia: 1.1 google\r\nConnection: keep-alive\r\n\r\n").encode() + body
    t_b = exchange(b, t + 0.0001, 0, 0, rng, think=0.0062, req_raw=req, resp_raw=resp)
    b.fin_close(t_b + 15.2, first="C")   # Firefox drops the idle connection

    t = dns_exchange(cap, t_b + 0.0007, rng, C, GW, "www.bbc.com", "A", [("www.bbc.com", "CNAME", 171, "bbc.map.fastly.net.")] + [("bbc.map.fastly.net", "A", 30, a) for a in ("151.101.0.81", "151.101.64.81", "151.101.128.81", "151.101.192.81")], rtt=0.0166)
    w = Tcp(cap, C, 61090, "151.101.0.81", 443, rng, rtt=0.0081, s_ttl=58, s_synack_id0=False, c_win=1026, s_win=285, c_ws=8, s_ws=9)
    t = w.handshake(t + 0.0003)
    t = tls13_handshake(w, t + 0.0001, "www.bbc.com", rng, flight=4410)
    t = exchange(w, t + 0.0003, 610, 188_000, rng, think=0.064)
    for _ in range(5):
        t = exchange(w, t + 0.002, 520, rng.randrange(2000, 60_000), rng, think=0.004)
    return cap, "Both redirects come from the contacted servers themselves (TTL/IP-ID/window consistent with their SYN/ACKs, one RTT after the request, no racing second response) and point to the site's own HTTPS host and to the shortened article, which the browser then loads."


# ======================================================================================
# 7. Connection refused on a mistyped port, then the right port works
# ======================================================================================


def gen_port_typo():
    """Benign: a Linux laptop (tcpdump -i any, SLL2) running irssi connects to
    irc.libera.chat on port 6679 instead of 6697.  The server's kernel has no listener
    there and answers each SYN with RST+ACK (seq 0, ack ISN+1, window 0, DF, IP-ID 0,
    the same TTL as the server's later SYN/ACK).  The user retries once, then corrects
    the port: TLS with SNI irc.libera.chat on 6697 works and the IRC session (MOTD,
    joins, PINGs) runs for minutes.

    A naive detector sees resets from a server of a service blocked in some countries
    and reports rst-injection (IP-ID 0 even matches the GFW type-I fingerprint), or
    treats the refused attempts as residual blocking.  An expert sees a single RST per
    SYN carrying exactly the stack's closed-port layout with DF set and TTL identical
    to the server's own SYN/ACK, on a different port than the working session, before
    any trigger (no SNI/HTTP was ever sent on the refused connections)."""
    rng = random.Random(0xB7B007)
    cap = Capture("b7b_port_typo.pcapng", "sll2", "pcapng", utc(2024, 8, 21, 22, 10, 31), gw_mac="1c:3b:f3:aa:01:b2")
    C, GW = "192.168.0.131", "192.168.0.1"
    MAC = "48:51:c5:2e:7d:09"
    cap.ifaces = {"wlp0s20f3": (3, ARPHRD_ETHER, MAC)}
    cap.host(C, MAC, "wlp0s20f3")
    IRC = ["130.239.18.116", "93.158.237.2", "103.196.37.95"]

    def refused(t, sport):
        t = dns_exchange(cap, t, rng, C, GW, "irc.libera.chat", "A", [("irc.libera.chat", "A", 300, a) for a in IRC], rtt=0.0187)
        f = Tcp(cap, C, sport, IRC[0], 6679, rng, rtt=0.0381, s_ttl=49)
        f.syn(t + 0.0004)
        f.seg(t + 0.0004 + f.rtt, "S", "RA", seq=0, ack=(f.isn["C"] + 1) & M32, win=0, ipid=0, opts=[])
        return t + 0.0004 + f.rtt

    refused(0.0, 42188)
    refused(6.447, 42196)
    t = dns_exchange(cap, 19.802, rng, C, GW, "irc.libera.chat", "A", [("irc.libera.chat", "A", 300, a) for a in IRC], rtt=0.0021)
    f = Tcp(cap, C, 42210, IRC[0], 6697, rng, rtt=0.0379, s_ttl=49, c_win=502, s_win=509)
    t = f.handshake(t + 0.0004)
    t = tls13_handshake(f, t + 0.0002, "irc.libera.chat", rng, flight=2890, alpn=None)
    # registration (CAP LS, NICK, USER) and the server's notices, welcome and MOTD
    t = f.stream(t + 0.0002, "C", appdata(rng, 93), acks=False)
    t = f.stream(t + f.rtt + 0.0009, "S", appdata(rng, 402))
    t = f.stream(t + 0.0004, "C", appdata(rng, 61) + appdata(rng, 58), acks=False)
    t = f.stream(t + f.rtt + 0.0011, "S", appdata(rng, 118) + appdata(rng, 1310))
    t = f.stream(t + 0.0004, "C", appdata(rng, 55), acks=False)
    t = f.stream(t + f.rtt + 0.35, "S", appdata_stream(rng, 9800, maxrec=1400))
    t = f.stream(t + 0.6, "C", appdata(rng, 61), acks=False)  # JOIN
    t = f.stream(t + f.rtt + 0.02, "S", appdata_stream(rng, 14_600, maxrec=1400))
    tk = t + 1.0
    pings = [92.0, 182.0]   # server PING / client PONG
    while tk < 210.0:
        if pings and tk >= pings[0] - 0.5:
            tp = pings.pop(0)
            f.stream(tp, "S", appdata(rng, 49), acks=False)
            f.stream(tp + 0.0003, "C", appdata(rng, 49), acks=False)
            f.seg(tp + 0.0003 + f.rtt, "S", "A")
            tk = tp + 1.3
            continue
        if rng.random() < 0.7:
            f.stream(tk, "S", appdata(rng, rng.randrange(90, 420)), acks=False)
            f.seg(tk + 0.04, "C", "A")
        else:
            f.stream(tk, "C", appdata(rng, rng.randrange(70, 300)), acks=False)
            f.seg(tk + f.rtt, "S", "A")
        tk += rng.choice([0.8, 2.4, 4.0, 7.5, 11.0, 19.0])
    return cap, "Each refused SYN gets exactly one stack-style RST+ACK (seq 0, ack ISN+1, win 0, DF, TTL equal to the server's own SYN/ACK) on the mistyped port before any SNI was sent, and the correct port on the same server works for minutes."


# ======================================================================================
# 8. IPv6 UDP and TCP traceroute to Wikipedia while browsing it
# ======================================================================================


def gen_traceroute_https():
    """Benign: while Wikipedia pages and images load over IPv6, the user runs
    `traceroute6 www.wikipedia.org` (UDP probes to 33434+, 3 per hop, 16 in flight) and
    then `traceroute6 -T -p 443 www.wikipedia.org` (TCP SYN probes to the very port the
    browser is using).  Routers on the path return ICMPv6 Time Exceeded quoting the
    probes (one hop never answers), the destination returns ICMPv6 Port Unreachable for
    the UDP probes, and for the TCP probes that reach it the server sends SYN/ACK, which
    the client's kernel resets (the probe came from a raw socket).  The HTTPS sessions
    are untouched.

    A naive detector reads ICMP unreachables from the server's own address as IP
    blocking (blackhole), time-exceeded messages quoting TCP/443 packets to the server as
    an on-path device, and the RSTs after SYN/ACK as rst-injection.  An expert sees the
    ICMP errors quote low-hop-limit probe packets (UDP 33434+, or SYNs the browser never
    sent) rather than the browser's flows, the RSTs come from the client itself, the
    hop limits match a consistent path, and every HTTPS exchange completes."""
    rng = random.Random(0xB7B008)
    cap = Capture("b7b_traceroute_https.pcap", "eth", "pcap", utc(2024, 9, 30, 9, 12, 40), gw_mac="38:10:d5:6a:22:f1")
    C = "2a02:8109:b6c0:1e00:a8f3:7c21:9d0e:4b12"
    R = "2a02:8109:b6c0:1e00:3a10:d5ff:fe6a:22f1"
    cap.host(C, "2c:f0:5d:81:3e:0a")
    W = "2a02:ec80:300:ed1a::1"
    U = "2a02:ec80:300:ed1a::2:b"
    hops = [  # (address, hlim of its replies, base rtt) ; None = silent hop
        ("2a02:8109:b6c0:1e00::1", 64, 0.0006),
        ("2a02:8100:0:3a::1", 254, 0.0089),
        ("2a02:8100:b0:1c::1", 253, 0.0104),
        ("2a02:8100:0:16::2", 252, 0.0117),
        None,
        ("2001:7f8:1::a501:4907:1", 59, 0.0161),
        ("2a02:ec80:300:fe08::1", 58, 0.0168),
        (W, 57, 0.0171),
    ]
    # --- browsing
    t = dns_exchange(cap, 0.0, rng, C, R, "www.wikipedia.org", "AAAA", [("www.wikipedia.org", "AAAA", 600, W)], rtt=0.0142)
    b = Tcp(cap, C, 49822, W, 443, rng, rtt=0.0172, s_ttl=57, c_mss=1440, s_mss=1440, c_win=1024, s_win=502)
    t = b.handshake(t + 0.0003)
    t = tls13_handshake(b, t + 0.0001, "www.wikipedia.org", rng, flight=3120)
    t = exchange(b, t + 0.0003, 480, 74_000, rng, think=0.009)
    t = dns_exchange(cap, t + 0.002, rng, C, R, "upload.wikimedia.org", "AAAA", [("upload.wikimedia.org", "AAAA", 600, U)], rtt=0.0139)
    u = Tcp(cap, C, 49830, U, 443, rng, rtt=0.0173, s_ttl=57, c_mss=1440, s_mss=1440, c_win=1024, s_win=502)
    t = u.handshake(t + 0.0003)
    t = tls13_handshake(u, t + 0.0001, "upload.wikimedia.org", rng, flight=3060)
    for _ in range(6):
        t = exchange(u, t + 0.001, 310, rng.randrange(9000, 70_000), rng, think=0.006)

    # --- traceroute6 (UDP), starting at t=2.0
    sport = 40311
    probe_ids = []
    ts = 2.0
    seq = 0
    for hop in range(1, 10):
        for q in range(3):
            if hop == 9 and q == 2:
                break
            probe_ids.append((hop, q, ts, 33434 + seq))
            seq += 1
            ts += 0.0003 if len(probe_ids) <= 16 else 0.0
            if len(probe_ids) > 16:
                ts = 2.0 + 0.0003 * 16 + 0.0009 * (len(probe_ids) - 16)
    payload = bytes(0x40 + i for i in range(32))
    for hop, _q, tp, dport in probe_ids:
        probe = IPv6(src=C, dst=W, hlim=hop, fl=0) / UDP(sport=sport, dport=dport) / Raw(payload)
        cap.add(tp, probe)
        h = hops[min(hop, 8) - 1]
        if h is None:
            continue
        addr, hl, base = h
        quoted = IPv6(src=C, dst=W, hlim=1 if addr != W else max(1, hop - 7), fl=0) / UDP(sport=sport, dport=dport) / Raw(payload)
        if addr == W:
            icmp = ICMPv6DestUnreach(code=4) / Raw(bytes(quoted))
        else:
            icmp = ICMPv6TimeExceeded(code=0) / Raw(bytes(quoted))
        cap.add(tp + base + rng.uniform(0.0001, 0.0012), IPv6(src=addr, dst=C, hlim=hl) / icmp)

    # browsing continues during the traceroute
    t = exchange(b, 3.1, 510, 52_000, rng, think=0.011)
    t = exchange(u, t + 0.004, 300, 31_000, rng, think=0.005)

    # --- traceroute6 -T -p 443 at t=12.0: SYN probes to the browser's port
    ts = 12.0
    k = 0
    for hop in range(1, 9):
        for _q in range(3):
            probe_sport = 33500 + k
            isn = rng.getrandbits(32)
            tp = ts + 0.0004 * k
            k += 1
            opts = [("MSS", 1440), ("SAckOK", b""), ("Timestamp", ((0x2F1A0000 + int(tp * 1000)) & M32, 0)), ("NOP", None), ("WScale", 7)]
            probe = IPv6(src=C, dst=W, hlim=hop, fl=0) / TCP(sport=probe_sport, dport=443, seq=isn, flags="S", window=64800, options=opts)
            cap.add(tp, probe)
            h = hops[hop - 1]
            if h is None:
                continue
            addr, hl, base = h
            tr = tp + base + rng.uniform(0.0001, 0.0010)
            if addr != W:
                quoted = IPv6(src=C, dst=W, hlim=1, fl=0) / TCP(sport=probe_sport, dport=443, seq=isn, flags="S", window=64800, options=opts)
                cap.add(tr, IPv6(src=addr, dst=C, hlim=hl) / ICMPv6TimeExceeded(code=0) / Raw(bytes(quoted)))
            else:
                s_isn = rng.getrandbits(32)
                sa_opts = [("MSS", 1440), ("SAckOK", b""), ("Timestamp", (rng.getrandbits(32), opts[2][1][0])), ("NOP", None), ("WScale", 9)]
                cap.add(tr, IPv6(src=W, dst=C, hlim=57, fl=rng.getrandbits(20)) / TCP(sport=443, dport=probe_sport, seq=s_isn, ack=(isn + 1) & M32, flags="SA", window=64260, options=sa_opts))
                # the kernel has no socket for a raw-socket probe: RST (seq = ack of SYN/ACK)
                cap.add(tr + 0.00003, IPv6(src=C, dst=W, hlim=64, fl=0) / TCP(sport=probe_sport, dport=443, seq=(isn + 1) & M32, ack=0, flags="R", window=0))

    # browsing goes on
    t = exchange(b, 14.2, 530, 66_000, rng, think=0.010)
    t = exchange(u, t + 0.003, 320, 45_000, rng, think=0.006)
    t = exchange(b, 21.7, 490, 12_000, rng, think=0.008)
    return cap, "All ICMPv6 time-exceeded and port-unreachable messages quote the user's own traceroute probes (UDP 33434+ or raw-socket SYNs with hop limits 1-8), the RSTs are the client kernel answering SYN/ACKs to those probes, and every HTTPS exchange with the same server completes."


# ======================================================================================

GENERATORS = [
    gen_vpn_obfs_down,
    gen_wifi_to_lte,
    gen_range_ratelimit,
    gen_router_split_dns,
    gen_expired_cert,
    gen_http_redirects,
    gen_port_typo,
    gen_traceroute_https,
]


def main(argv):
    if len(argv) != 2:
        print("usage: blind7_benign.py OUTDIR", file=sys.stderr)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for gen in GENERATORS:
        cap, why = gen()
        path, n = cap.write(outdir)
        expect[cap.name] = {"expect": [], "why": why}
        print(f"{cap.name}: {n} packets")
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=1, sort_keys=True)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
