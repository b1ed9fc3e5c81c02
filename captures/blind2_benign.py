#!/usr/bin/env python3
# ruff: noqa: B007, B905, E501, E731, E741, F841, RUF005, RUF034, RUF059
"""Blind set 2 of BENIGN look-alike captures (no finding deserved in any of them).

Run: python captures/blind2_benign.py OUTDIR (the captures and expect.json go to OUTDIR;
tests/test_blind_sets.py runs it into a temporary folder).
Writes one capture per case next to this file and expect.json.
Deterministic: fixed seeds, fixed base epochs, no wall clock, no os.urandom.
"""
import json
import os
import random
import socket

# =========================================================================== library
# Packet building: hand-rolled pcap/pcapng writers (exact link headers), scapy for IP/TCP/UDP/ICMP
# (checksums), TLS/QUIC/DNS encoders, a TCP connection model seen from a capture point at the client.
import struct
import sys
import zlib

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.all import ICMP, IP, TCP, UDP, IPv6, Raw
from scapy.layers.inet6 import ICMPv6DestUnreach, ICMPv6PacketTooBig, ICMPv6TimeExceeded  # noqa: F401

M32 = 0xFFFFFFFF


def rb(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))


# --------------------------------------------------------------------------- writers

LT_EN10MB, LT_RAW, LT_SLL, LT_SLL2 = 1, 101, 113, 276


class Iface:
    """One capture interface: link type and the link-layer addresses we put on frames."""

    def __init__(self, lt, name='eth0', me='02:00:00:00:00:01', gw='02:00:00:00:00:fe',
                 hatype=1, ifindex=2, nano=False):
        self.lt, self.name, self.nano = lt, name, nano
        self.me, self.gw = mac(me), mac(gw)
        self.hatype, self.ifindex = hatype, ifindex

    def encap(self, ipb, out, l2src=None, l2dst=None, pkttype=None):
        v6 = (ipb[0] >> 4) == 6
        et = 0x86DD if v6 else 0x0800
        if self.lt == LT_RAW:
            return ipb
        if self.lt == LT_EN10MB:
            if out:
                src, dst = self.me, self.gw
            else:
                src, dst = self.gw, self.me
            if l2src is not None:
                src = l2src
            if l2dst is not None:
                dst = l2dst
            return dst + src + struct.pack('>H', et) + ipb
        if pkttype is None:
            pkttype = 4 if out else 0
        if self.hatype == 519:  # ARPHRD_RAWIP (e.g. rmnet on Android): no hw address
            addr, halen = b'', 0
        else:
            addr = l2src if l2src is not None else (self.me if out else self.gw)
            halen = 6
        addr8 = addr.ljust(8, b'\0')
        if self.lt == LT_SLL:
            return struct.pack('>HHH', pkttype, self.hatype, halen) + addr8 + struct.pack('>H', et) + ipb
        if self.lt == LT_SLL2:
            return struct.pack('>HHIHBB', et, 0, self.ifindex, self.hatype, pkttype, halen) + addr8 + ipb
        raise ValueError(self.lt)


def ip_src(ipb):
    if (ipb[0] >> 4) == 6:
        return socket.inet_ntop(socket.AF_INET6, ipb[8:24])
    return socket.inet_ntoa(ipb[12:16])


class Capture:
    def __init__(self, base_epoch, ifaces, local_ips, fmt='pcap'):
        self.base = base_epoch            # integer seconds
        self.ifaces = ifaces
        self.local = set(local_ips)
        self.fmt = fmt                    # 'pcap' or 'pcapng'
        self.recs = []
        self.gid = {}

    def add(self, t, ipb, iface=0, out=None, **kw):
        if out is None:
            out = ip_src(ipb) in self.local
        self.recs.append((t, len(self.recs), iface, ipb, out, kw))

    def _ts(self, t, nano):
        ns = round(t * 1e9)
        sec = self.base + ns // 1_000_000_000
        sub = ns % 1_000_000_000
        if not nano:
            sub = sub // 1000
        return sec, sub

    def global_ipid(self, ip, seed=0):
        """Hosts (Windows-like) whose IPv4 ID is one counter across all their packets; the
        IDs are assigned in capture-time order when the file is written."""
        r = random.Random(zlib.crc32(ip.encode()) ^ seed)
        self.gid[ip] = [r.getrandbits(16), r]

    def frames(self):
        out = []
        for t, _, i, ipb, o, kw in sorted(self.recs, key=lambda r: (round(r[0] * 1e9), r[1])):
            if (ipb[0] >> 4) == 4 and ip_src(ipb) in self.gid:
                st = self.gid[ip_src(ipb)]
                st[0] = (st[0] + (1 if st[1].random() < 0.8 else st[1].randint(2, 6))) & 0xFFFF
                p = IP(ipb)
                p.id = st[0]
                del p.chksum
                ipb = bytes(p)
            out.append((t, i, self.ifaces[i].encap(ipb, o, **kw)))
        return out

    def write(self, path):
        fr = self.frames()
        if self.fmt == 'pcap':
            ifc = self.ifaces[0]
            magic = 0xA1B23C4D if ifc.nano else 0xA1B2C3D4
            buf = [struct.pack('<IHHiIII', magic, 2, 4, 0, 0, 262144, ifc.lt)]
            for t, _, data in fr:
                s, sub = self._ts(t, ifc.nano)
                buf.append(struct.pack('<IIII', s, sub, len(data), len(data)) + data)
        else:
            buf = [pcapng_shb()]
            for ifc in self.ifaces:
                buf.append(pcapng_idb(ifc))
            for t, i, data in fr:
                nano = self.ifaces[i].nano
                ns = round(t * 1e9) + self.base * 1_000_000_000
                units = ns if nano else ns // 1000
                buf.append(pcapng_epb(i, units, data))
        with open(path, 'wb') as f:
            f.write(b''.join(buf))
        return len(fr)


def _pad4(b):
    return b + b'\0' * ((4 - len(b) % 4) % 4)


def _opt(code, val):
    return struct.pack('<HH', code, len(val)) + _pad4(val)


def _block(btype, body):
    tl = 12 + len(body)
    return struct.pack('<II', btype, tl) + body + struct.pack('<I', tl)


def pcapng_shb():
    body = struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1)
    body += _opt(4, b'holdout2-neg gen.py') + _opt(0, b'')
    return _block(0x0A0D0D0A, body)


def pcapng_idb(ifc):
    body = struct.pack('<HHI', ifc.lt, 0, 262144)
    body += _opt(2, ifc.name.encode()) + _opt(9, bytes([9 if ifc.nano else 6])) + _opt(0, b'')
    return _block(1, body)


def pcapng_epb(iface, units, data):
    body = struct.pack('<IIIII', iface, (units >> 32) & M32, units & M32, len(data), len(data))
    body += _pad4(data)
    return _block(6, body)


# --------------------------------------------------------------------------- hosts

class Host:
    """An endpoint as seen from the capture point.

    ttl  : the IP TTL / hop limit the capture sees on this host's packets
    os   : 'linux' (per-socket IP ID, SYN/ACK IP ID 0, timestamps) or 'windows'
           (global incrementing IP ID, no TCP timestamps, wscale 8)
    """

    def __init__(self, ip, ttl=64, os='linux', rng=None, mss=1460, ts=None, name=None,
                 wscale=None, win=None, ipid_rate=120.0):
        self.ip = ip
        self.v6 = ':' in ip
        self.ttl = ttl
        self.os = os
        self.name = name or ip
        rng = rng or random.Random(zlib.crc32(ip.encode()))
        self.mss = mss
        self.ts = (os != 'windows') if ts is None else ts
        self.sack = True
        self.wscale = wscale if wscale is not None else (8 if os == 'windows' else 7)
        self.win = win if win is not None else (1026 if os == 'windows' else 502)
        self.synwin = 64240 if os != 'windows' else 65535
        self.gipid = rng.getrandbits(16)
        self.ipid_rate = ipid_rate
        self._last_gid = -1

    def global_ipid(self, t):
        v = self.gipid + int(t * self.ipid_rate)
        if v <= self._last_gid:
            v = self._last_gid + 1
        self._last_gid = v
        return v & 0xFFFF


def mk_ip(src_host, dst_ip, l4, ipid=0, df=True, ttl=None, fl=0, tos=0):
    ttl = src_host.ttl if ttl is None else ttl
    if src_host.v6:
        return bytes(IPv6(src=src_host.ip, dst=dst_ip, hlim=ttl, fl=fl, tc=tos) / l4)
    return bytes(IP(src=src_host.ip, dst=dst_ip, ttl=ttl, id=ipid & 0xFFFF,
                    flags='DF' if df else 0, tos=tos) / l4)


class UdpSock:
    """A UDP socket on a host (client side: connected socket with a per-socket IP ID)."""

    def __init__(self, host, port, rng, df=True):
        self.h, self.port, self.df = host, port, df
        self.ipid = rng.getrandbits(16)
        self.fl = rng.getrandbits(20)

    def send(self, cap, t, dst_ip, dport, payload, iface=0, ttl=None, ipid=None, **kw):
        if ipid is None:
            if self.h.os == 'windows':
                ipid = self.h.global_ipid(t)
            else:
                ipid = self.ipid
                self.ipid += 1
        b = mk_ip(self.h, dst_ip, UDP(sport=self.port, dport=dport) / Raw(payload), ipid=ipid,
                  df=self.df, ttl=ttl, fl=self.fl)
        cap.add(t, b, iface, **kw)
        return b


# --------------------------------------------------------------------------- TCP

class Ep:
    def __init__(self, host, port, rng):
        self.h, self.port = host, port
        self.isn = rng.getrandbits(32)
        self.nxt = self.isn
        self.rcv = None
        self.ipid = rng.getrandbits(16)
        self.tsoff = rng.getrandbits(32)
        self.ts_recent = 0
        self.win = host.win


class Conn:
    """One TCP connection seen from a capture point next to the client.

    Client packets appear when sent, server packets when they arrive.  Functions take the
    capture time at which the first packet they emit appears and return the capture time of
    the last one.  Sequence/ack numbers, TCP timestamps and IP IDs are tracked per side.
    """

    def __init__(self, cap, ch, sh, sport, dport, rtt, rng, iface=0):
        self.cap, self.rng, self.rtt, self.iface = cap, rng, rtt, iface
        self.c, self.s = Ep(ch, sport, rng), Ep(sh, dport, rng)
        self.fl = {id(self.c): rng.getrandbits(20), id(self.s): rng.getrandbits(20)}
        self.ts_ok = ch.ts and sh.ts
        self.mss = min(ch.mss, sh.mss) - (12 if self.ts_ok else 0)
        self.log = []  # (t, side, flags, seq, len)

    def peer(self, e):
        return self.s if e is self.c else self.c

    def _ipid(self, e, t, flags, explicit):
        if explicit is not None:
            return explicit
        if e.h.os == 'windows':
            return e.h.global_ipid(t)
        if flags == 'SA' and e is self.s:
            return 0
        v = e.ipid
        e.ipid += 1
        return v

    def _tsval(self, e, t):
        return (e.tsoff + int(t * 1000)) & M32

    def tx(self, t, e, flags, data=b'', seq=None, ack=None, win=None, opts=None, ipid=None,
           ttl=None, adv=True, deliver=True, df=True, sack=None, ts=True, tos=0):
        p = self.peer(e)
        if seq is None:
            seq = e.nxt
        if ack is None:
            ack = e.rcv if ('A' in flags and e.rcv is not None) else 0
        if win is None:
            win = e.win
        if opts is None:
            opts = []
            if self.ts_ok and ts:
                opts += [('NOP', None), ('NOP', None),
                         ('Timestamp', (self._tsval(e, t), e.ts_recent))]
            if sack:
                blocks = []
                for l, r in sack:
                    blocks += [l & M32, r & M32]
                opts = [('NOP', None), ('NOP', None), ('SAck', tuple(blocks))] + opts
        l4 = TCP(sport=e.port, dport=p.port, seq=seq & M32, ack=ack & M32, flags=flags,
                 window=win, options=opts)
        if data:
            l4 = l4 / Raw(data)
        ipb = mk_ip(e.h, p.h.ip, l4, ipid=self._ipid(e, t, flags, ipid), df=df, ttl=ttl,
                    fl=self.fl[id(e)], tos=tos)
        self.cap.add(t, ipb, self.iface)
        ln = len(data) + (1 if ('S' in flags or 'F' in flags) else 0)
        if adv:
            e.nxt = max(e.nxt, seq + ln)
        if deliver and 'R' not in flags:
            if 'S' in flags:
                p.rcv = seq + 1
            elif p.rcv is not None and seq <= p.rcv < seq + ln:
                p.rcv = seq + ln
            if self.ts_ok and ts:
                p.ts_recent = self._tsval(e, t)
        self.log.append((t, 'c' if e is self.c else 's', flags, seq, len(data)))
        return t

    # -- handshake -------------------------------------------------------------
    def synopts(self, e, t, ecr=0):
        h = e.h
        if h.os == 'windows':
            return [('MSS', h.mss), ('NOP', None), ('WScale', h.wscale), ('NOP', None),
                    ('NOP', None), ('SAckOK', b'')]
        o = [('MSS', h.mss), ('SAckOK', b'')]
        if self.ts_ok or (e is self.c and h.ts):
            o.append(('Timestamp', (self._tsval(e, t), ecr)))
        else:
            o += [('NOP', None), ('NOP', None)]
        o += [('NOP', None), ('WScale', h.wscale)]
        return o

    def syn(self, t, retx=False):
        c = self.c
        self.tx(t, c, 'S', seq=c.isn, win=c.h.synwin, opts=self.synopts(c, t), adv=not retx,
                deliver=False)
        return t

    def synack(self, t, retx=False):
        s, c = self.s, self.c
        c_ts = self._tsval(c, t - self.rtt) if self.ts_ok else 0
        self.tx(t, s, 'SA', seq=s.isn, ack=c.isn + 1, win=s.h.synwin,
                opts=self.synopts(s, t, ecr=c_ts), adv=not retx)
        s.rcv = c.isn + 1
        if self.ts_ok:
            s.ts_recent = c_ts
        return t

    def connect(self, t, syn_retx=(), sa_delay=None, ack_delay=0.00006):
        self.syn(t)
        last = t
        for r in syn_retx:
            self.syn(t + r, retx=True)
            last = t + r
        ta = last + (self.rtt if sa_delay is None else sa_delay)
        self.synack(ta)
        return self.tx(ta + ack_delay, self.c, 'A')

    # -- data ------------------------------------------------------------------
    def segs(self, e, data, mss=None):
        mss = mss or self.mss
        out, off, seq = [], 0, e.nxt
        while off < len(data):
            ch = data[off:off + mss]
            out.append((seq, ch))
            seq += len(ch)
            off += len(ch)
        return out

    def c_send(self, t, data, gap=0.00002, mss=None, lost=()):
        """Client sends data; segments in `lost` are retransmitted one RTO later (both
        copies are captured, the first never reaches the server)."""
        t0 = t
        sg = self.segs(self.c, data, mss)
        for i, (seq, ch) in enumerate(sg):
            fl = 'PA' if i == len(sg) - 1 else 'A'
            self.tx(t, self.c, fl, ch, seq=seq, deliver=(i not in lost))
            t += gap
        end = t
        for i in sorted(lost):
            seq, ch = sg[i]
            rto = max(0.2, self.rtt * 3) + 0.01
            self.tx(t0 + rto, self.c, 'PA' if i == len(sg) - 1 else 'A', ch, seq=seq)
            end = t0 + rto
        return end

    def s_send(self, t, data, rate=None, loss=(), ack_every=2, mss=None, psh_last=True,
               ack_gap=0.00004, rto=None):
        """Server sends data arriving from capture time t.  `rate` (bit/s) spaces segment
        arrivals; segments in `loss` are lost upstream of the capture point and arrive as
        retransmissions ~1 RTT after the first duplicate ACK.  The client ACKs every
        `ack_every` in-order segments, immediately on reordering (with SACK blocks).
        Returns the time of the client's final ACK."""
        c, s = self.c, self.s
        sg = self.segs(s, data, mss)
        s.nxt = sg[-1][0] + len(sg[-1][1]) if sg else s.nxt
        arr = []
        tt = t
        for i, (seq, ch) in enumerate(sg):
            if i:
                tt += ((len(ch) + 52) * 8 / rate) if rate else 0.00011
            arr.append([tt, i, False])
        # losses: the retransmission arrives one RTT after the next segment's arrival
        for i in loss:
            if i >= len(arr):
                continue
            nxt_t = arr[i + 1][0] if i + 1 < len(arr) else arr[i][0] + (rto or max(0.2, 2 * self.rtt))
            arr[i] = [nxt_t + self.rtt + 0.0015, i, True]
        arr.sort()
        rcv = c.rcv
        ooo = []
        inorder = 0
        last_ack_t = t
        for k, (ta, i, rx) in enumerate(arr):
            seq, ch = sg[i]
            fl = 'PA' if (psh_last and i == len(sg) - 1) else 'A'
            self.tx(ta, s, fl, ch, seq=seq, deliver=False)
            if self.ts_ok:
                c.ts_recent = self._tsval(s, ta)
            end = seq + len(ch)
            gap_before = bool(ooo)
            if seq == rcv:
                rcv = end
                # merge out-of-order blocks
                ooo.sort()
                while ooo and ooo[0][0] <= rcv:
                    rcv = max(rcv, ooo.pop(0)[1])
                inorder += 1
                need = gap_before or (inorder % ack_every == 0) or k == len(arr) - 1
            elif seq > rcv:
                ooo.append((seq, end))
                ooo.sort()
                # merge adjacent
                m = []
                for l, r in ooo:
                    if m and l <= m[-1][1]:
                        m[-1] = (m[-1][0], max(m[-1][1], r))
                    else:
                        m.append((l, r))
                ooo = m
                need = True
            else:
                need = True  # duplicate
            if need:
                c.rcv = rcv
                sk = [(l, r) for l, r in reversed(ooo)][:3] if ooo else None
                last_ack_t = ta + ack_gap
                self.tx(last_ack_t, c, 'A', sack=sk)
        c.rcv = rcv
        return last_ack_t

    def http(self, t, req, resp, think=0.008, rate=None, loss=()):
        """Request from the client, response from the server.  Returns the client's last ACK time."""
        self.c_send(t, req)
        ta = t + self.rtt + think
        if think > 0.04:
            self.tx(t + self.rtt + 0.04, self.s, 'A')
        return self.s_send(ta, resp, rate=rate, loss=loss)

    # -- closing ----------------------------------------------------------------
    def close_c(self, t, srv_rst=False):
        """Client closes first.  srv_rst: the server answers the FIN with RST/ACK (abortive
        close as done by some Windows/IIS servers and load balancers)."""
        self.tx(t, self.c, 'FA')
        if srv_rst:
            return self.tx(t + self.rtt, self.s, 'RA', win=0, ts=False)
        self.tx(t + self.rtt, self.s, 'FA')
        return self.tx(t + self.rtt + 0.00005, self.c, 'A')

    def close_s(self, t, c_delay=0.0002):
        self.tx(t, self.s, 'FA')
        self.tx(t + 0.00004, self.c, 'A')
        self.tx(t + c_delay, self.c, 'FA')
        return self.tx(t + c_delay + self.rtt, self.s, 'A')

    def rst_active(self, t, e):
        """Abortive close from a socket (close() with unread data, SO_LINGER 0): RST/ACK at the
        socket's next sequence number.  Linux sends it through the socket (tcp_send_active_reset):
        current receive window, TCP timestamps, per-socket IP ID; Windows sends window 0, no options."""
        if e.h.os == 'windows':
            return self.tx(t, e, 'RA', win=0, ts=False)
        return self.tx(t, e, 'RA')

    def rst_c(self, t, ack=True):
        """Client aborts (RST/ACK from the socket, e.g. tab closed with unread data)."""
        return self.rst_active(t, self.c)

    def stray_rst(self, t, e, seg_ack):
        """RST sent by a stack that has no socket for an incoming segment (Linux
        tcp_v4_send_reset): flags R, seq = the segment's ack, IP ID 0, win 0, DF."""
        return self.tx(t, e, 'R', seq=seg_ack, ack=0, win=0, opts=[], ipid=0, adv=False,
                       deliver=False)

    def keepalive(self, t, e=None):
        e = e or self.c
        p = self.peer(e)
        self.tx(t, e, 'A', seq=e.nxt - 1, adv=False, deliver=False)
        return self.tx(t + self.rtt, p, 'A')


# --------------------------------------------------------------------------- TLS

def u8(n):
    return bytes([n])


def u16(n):
    return struct.pack('>H', n)


def u24(n):
    return struct.pack('>I', n)[1:]


def vec8(b):
    return u8(len(b)) + b


def vec16(b):
    return u16(len(b)) + b


def ext(t, body):
    return u16(t) + vec16(body)


def sni_ext(name):
    n = name.encode()
    return ext(0, vec16(b'\x00' + vec16(n)))


def alpn_ext(protos):
    return ext(16, vec16(b''.join(vec8(p.encode()) for p in protos)))


SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]


def client_hello(rng, sni, alpn=('h2', 'http/1.1'), psk=False, legacy=None, quic_tp=None,
                 pq=False, grease=True, pad_to=None):
    """TLS ClientHello.  Returns the handshake message (type 1 + len + body).

    legacy: None for a TLS 1.3-capable hello, or 0x0301 / 0x0302 for an old client
    offering only that version (no supported_versions, no key_share)."""
    rnd = rb(rng, 32)
    quic = quic_tp is not None
    if legacy:
        body = u16(legacy) + rnd + vec8(b'')
        suites = [0xC014, 0xC013, 0x0035, 0x002F, 0x000A, 0x0005, 0x0004]
        body += vec16(b''.join(u16(s) for s in suites)) + vec8(b'\x00')
        exts = b''
        if sni:
            exts += sni_ext(sni)
        exts += ext(10, vec16(u16(0x0017) + u16(0x0018))) + ext(11, b'\x01\x00') + ext(35, b'')
        exts += ext(65281, b'\x00')
        body += vec16(exts)
        return u8(1) + u24(len(body)) + body
    g = [0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A, 0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A,
         0xAAAA, 0xBABA, 0xCACA, 0xDADA, 0xEAEA, 0xFAFA]
    g1, g2, g3 = rng.choice(g), rng.choice(g), rng.choice(g)
    sid = b'' if quic else rb(rng, 32)
    body = u16(0x0303) + rnd + vec8(sid)
    suites = [0x1301, 0x1302, 0x1303]
    if not quic:
        suites += [0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C,
                   0x009D, 0x002F, 0x0035]
    if grease and not quic:
        suites = [g1] + suites
    body += vec16(b''.join(u16(s) for s in suites)) + vec8(b'\x00')
    groups = ([0x11EC] if pq else []) + [0x001D, 0x0017, 0x0018]
    if grease and not quic:
        groups = [g2] + groups
    ks = b''
    if grease and not quic:
        ks += u16(g2) + vec16(b'\x00')
    if pq:
        ks += u16(0x11EC) + vec16(rb(rng, 1216))
    ks += u16(0x001D) + vec16(rb(rng, 32))
    exts = []
    if grease and not quic:
        exts.append(ext(g3, b''))
    if sni:
        exts.append(sni_ext(sni))
    exts.append(ext(23, b''))
    exts.append(ext(65281, b'\x00'))
    exts.append(ext(10, vec16(b''.join(u16(x) for x in groups))))
    exts.append(ext(11, b'\x01\x00'))
    if not quic:
        exts.append(ext(35, b''))
    exts.append(alpn_ext(alpn))
    exts.append(ext(5, b'\x01\x00\x00\x00\x00'))
    exts.append(ext(13, vec16(b''.join(u16(x) for x in SIGALGS))))
    exts.append(ext(18, b''))
    exts.append(ext(51, vec16(ks)))
    exts.append(ext(45, b'\x01\x01'))
    exts.append(ext(43, vec8(u16(0x0304) if quic else (u16(0x0304) + u16(0x0303)))))
    exts.append(ext(27, b'\x02\x00\x02'))  # compress_certificate brotli
    if quic:
        exts.append(ext(0x39, quic_tp))
    body_wo_psk = body
    ex = b''.join(exts)
    if pad_to and not psk:
        cur = len(body) + 2 + len(ex) + 4
        if cur < pad_to:
            ex += ext(21, b'\x00' * max(0, pad_to - cur - 4))
    if psk:
        ticket = rb(rng, rng.choice([192, 208, 224]))
        ids = vec16(vec16(ticket) + struct.pack('>I', rng.getrandbits(32)))
        binders = vec16(vec8(rb(rng, 32)))
        ex += ext(41, ids + binders)
    body = body_wo_psk + vec16(ex)
    return u8(1) + u24(len(body)) + body


def server_hello(rng, sid=b'', psk=False, suite=0x1301):
    body = u16(0x0303) + rb(rng, 32) + vec8(sid) + u16(suite) + b'\x00'
    exts = ext(43, u16(0x0304)) + ext(51, u16(0x001D) + vec16(rb(rng, 32)))
    if psk:
        exts += ext(41, u16(0))
    body += vec16(exts)
    return u8(2) + u24(len(body)) + body


def ch_sid(ch):
    """The legacy_session_id of a ClientHello handshake message (to echo in ServerHello)."""
    n = ch[4 + 2 + 32]
    return ch[4 + 2 + 32 + 1: 4 + 2 + 32 + 1 + n]


def record(ctype, payload, ver=0x0303):
    out = b''
    for i in range(0, max(len(payload), 1), 16384):
        chunk = payload[i:i + 16384]
        out += u8(ctype) + u16(ver) + vec16(chunk)
    return out


CCS = b'\x14\x03\x03\x00\x01\x01'


def enc(rng, n):
    """TLS 1.3 encrypted records carrying n bytes of (inner) plaintext."""
    out = b''
    while n > 0:
        k = min(n, 16384)
        out += b'\x17\x03\x03' + u16(k + 17) + rb(rng, k + 17)
        n -= k
    return out


def alert(level, desc, ver=0x0303):
    return b'\x15' + u16(ver) + b'\x00\x02' + bytes([level, desc])


def tls13(conn, t, sni, rng, resume=False, exch=((600, 4200, 0.02),), alpn=('h2', 'http/1.1'),
          cert_len=None, rate=None, loss_first=(), ch=None, close=None, pq=False, sh_extra=0.0,
          early_ack=None, ch_mss=None, send_ch=True):
    """A TLS 1.3 connection on an established Conn: ClientHello, server flight, client
    Finished, then request/response exchanges (encrypted).  Returns the last capture time."""
    ch = ch or client_hello(rng, sni, alpn=alpn, psk=resume, pq=pq)
    if send_ch:
        conn.c_send(t, record(0x16, ch, ver=0x0301), mss=ch_mss)
    if early_ack is not None:
        conn.tx(t + early_ack, conn.s, 'A')
    sh = server_hello(rng, sid=ch_sid(ch), psk=resume)
    if resume:
        flight = record(0x16, sh) + CCS + enc(rng, rng.randint(80, 130))
    else:
        cl = cert_len or rng.randint(2400, 4800)
        flight = record(0x16, sh) + CCS + enc(rng, rng.randint(20, 40)) + enc(rng, cl) + \
            enc(rng, rng.randint(260, 280)) + enc(rng, 36)
    ts = t + conn.rtt + rng.uniform(0.0008, 0.004) + sh_extra
    ta = conn.s_send(ts, flight, rate=rate, loss=loss_first)
    t = ta + rng.uniform(0.0005, 0.003)
    fin = CCS + enc(rng, 37 if not resume else 37)
    first = True
    for ex in exch:
        rq, rs, think = ex[:3]
        rloss = ex[3] if len(ex) > 3 else ()
        payload = (fin if first else b'') + enc(rng, rq)
        conn.c_send(t, payload)
        resp = b''
        if first and not resume:
            resp += enc(rng, rng.randint(230, 260)) + enc(rng, rng.randint(230, 260))
        resp += enc(rng, rs)
        first = False
        if think > 0.04:
            conn.tx(t + conn.rtt + 0.04, conn.s, 'A')
        t = conn.s_send(t + conn.rtt + think, resp, rate=rate, loss=rloss) + rng.uniform(0.001, 0.05)
    if close == 'c':
        conn.c_send(t, enc(rng, 2))  # close_notify
        t = conn.close_c(t + 0.0001)
    elif close == 'c_rst_srv':
        conn.c_send(t, enc(rng, 2))
        t = conn.close_c(t + 0.0001, srv_rst=True)
    elif close == 's':
        conn.tx(t, conn.s, 'PA', enc(rng, 2))
        conn.c.rcv = conn.s.nxt
        t = conn.close_s(t + 0.0001)
    return t


# --------------------------------------------------------------------------- DNS

QT = {'A': 1, 'NS': 2, 'CNAME': 5, 'SOA': 6, 'PTR': 12, 'MX': 15, 'TXT': 16, 'AAAA': 28,
      'SRV': 33, 'HTTPS': 65, 'ANY': 255}


def dname(n):
    n = n.rstrip('.')
    if not n:
        return b'\0'
    return b''.join(vec8(l.encode()) for l in n.split('.')) + b'\0'


def rdata(typ, v):
    if typ == 'A':
        return socket.inet_aton(v)
    if typ == 'AAAA':
        return socket.inet_pton(socket.AF_INET6, v)
    if typ in ('CNAME', 'NS', 'PTR'):
        return dname(v)
    if typ == 'TXT':
        if isinstance(v, str):
            v = [v]
        return b''.join(vec8(s.encode()) for s in v)
    if typ == 'SOA':
        mname, rname, serial, refresh, retry, expire, minimum = v
        return dname(mname) + dname(rname) + struct.pack('>IIIII', serial, refresh, retry, expire, minimum)
    if typ == 'HTTPS':
        prio, target, params = v
        p = b''
        for k, val in params:
            p += u16(k) + vec16(val)
        return u16(prio) + dname(target) + p
    if isinstance(v, bytes):
        return v
    raise ValueError(typ)


def dns_msg(txid, flags, qname, qtype, an=(), ns=(), edns=1232, qd=True, ad_opt=None):
    """DNS message.  an/ns: lists of (name, type, ttl, value).  Owner names equal to qname are
    compressed to a pointer at offset 12 (as real servers do)."""
    cnt_ar = 1 if edns else 0
    h = struct.pack('>HHHHHH', txid, flags, 1 if qd else 0, len(an), len(ns), cnt_ar)
    body = b''
    if qd:
        body += dname(qname) + u16(QT[qtype]) + u16(1)

    def rr(name, typ, ttl, val):
        own = b'\xc0\x0c' if (qd and name.rstrip('.').lower() == qname.rstrip('.').lower()) else dname(name)
        rd = rdata(typ, val)
        return own + u16(QT[typ]) + u16(1) + struct.pack('>I', ttl) + vec16(rd)

    for r in an:
        body += rr(*r)
    for r in ns:
        body += rr(*r)
    if edns:
        body += b'\x00' + u16(41) + u16(edns) + b'\x00\x00\x00\x00' + vec16(ad_opt or b'')
    return h + body


class Resolver:
    """A DNS server seen from the client: address, observed TTL, IP ID behaviour."""

    def __init__(self, ip, ttl, rng, df=False, os='linux', ttl_at=None):
        self.h = Host(ip, ttl=ttl, os=os, rng=rng)
        self.rng = rng
        self.df = df
        self.ttl_at = ttl_at   # optional function t -> observed TTL (route changes)

    def reply(self, cap, t, cli_host, cport, payload, iface=0, ttl=None, **kw):
        if ttl is None and self.ttl_at is not None:
            ttl = self.ttl_at(t)
        ipid = self.rng.getrandbits(16) if self.h.os != 'windows' else self.h.global_ipid(t)
        b = mk_ip(self.h, cli_host.ip, UDP(sport=53, dport=cport) / Raw(payload), ipid=ipid,
                  df=self.df, ttl=ttl, fl=self.rng.getrandbits(20))
        cap.add(t, b, iface, **kw)


def dns_lookup(cap, t, csock, res, qname, qtype, an=(), ns=(), rtt=0.02, rcode=0, txid=None,
               rng=None, iface=0, edns=1232, ttl=None, flags=None, qflags=0x0100, no_reply=False):
    """A UDP query from csock and its reply.  Returns the reply time."""
    rng = rng or res.rng
    txid = rng.getrandbits(16) if txid is None else txid
    q = dns_msg(txid, qflags, qname, qtype, edns=edns)
    csock.send(cap, t, res.h.ip, 53, q, iface=iface)
    if no_reply:
        return t
    fl = flags if flags is not None else (0x8180 | rcode)
    r = dns_msg(txid, fl, qname, qtype, an=an, ns=ns, edns=edns)
    res.reply(cap, t + rtt, csock.h, csock.port, r, iface=iface, ttl=ttl)
    return t + rtt


# --------------------------------------------------------------------------- QUIC

QUIC_V1_SALT = bytes.fromhex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a')


def hkdf_extract(salt, ikm):
    h = hmac.HMAC(salt, hashes.SHA256())
    h.update(ikm)
    return h.finalize()


def hkdf_expand_label(secret, label, ctx, length):
    full = b'tls13 ' + label
    info = u16(length) + vec8(full) + vec8(ctx)
    out, tb, i = b'', b'', 1
    while len(out) < length:
        h = hmac.HMAC(secret, hashes.SHA256())
        h.update(tb + info + bytes([i]))
        tb = h.finalize()
        out += tb
        i += 1
    return out[:length]


def quic_keys(dcid, server=False):
    init = hkdf_extract(QUIC_V1_SALT, dcid)
    sec = hkdf_expand_label(init, b'server in' if server else b'client in', b'', 32)
    return (hkdf_expand_label(sec, b'quic key', b'', 16), hkdf_expand_label(sec, b'quic iv', b'', 12),
            hkdf_expand_label(sec, b'quic hp', b'', 16))


def varint(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return struct.pack('>H', 0x4000 | n)
    if n < 2 ** 30:
        return struct.pack('>I', 0x80000000 | n)
    return struct.pack('>Q', 0xC000000000000000 | n)


def _hp_mask(hp, sample):
    e = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    return e.update(sample) + e.finalize()


def quic_long(ptype, dcid, scid, pn, frames, keys, token=b'', pad_to=0, pn_len=2, version=1):
    key, iv, hp = keys
    first = 0xC0 | (ptype << 4) | (pn_len - 1)
    hdr = bytes([first]) + struct.pack('>I', version) + vec8(dcid) + vec8(scid)
    if ptype == 0:
        hdr += varint(len(token)) + token
    payload = frames
    cur = len(hdr) + 2 + pn_len + len(payload) + 16
    if pad_to and cur < pad_to:
        payload += b'\x00' * (pad_to - cur)
    length = pn_len + len(payload) + 16
    hdr += struct.pack('>H', 0x4000 | length)
    pn_off = len(hdr)
    hdr += pn.to_bytes(pn_len, 'big')
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, 'big')))
    ct = AESGCM(key).encrypt(nonce, payload, hdr)
    sample = ct[4 - pn_len: 4 - pn_len + 16]
    mask = _hp_mask(hp, sample)
    pkt = bytearray(hdr + ct)
    pkt[0] ^= mask[0] & 0x0F
    for i in range(pn_len):
        pkt[pn_off + i] ^= mask[1 + i]
    return bytes(pkt)


def crypto_frame(data, off=0):
    return b'\x06' + varint(off) + varint(len(data)) + data


def ack_frame(largest, delay=0, first_range=0):
    return b'\x02' + varint(largest) + varint(delay) + varint(0) + varint(first_range)


def quic_tp(rng, scid):
    tp = b''
    tp += varint(0x01) + vec8(varint(30000))        # max_idle_timeout
    tp += varint(0x03) + vec8(varint(1472))         # max_udp_payload_size
    tp += varint(0x04) + vec8(varint(15728640))     # initial_max_data
    tp += varint(0x05) + vec8(varint(6291456))
    tp += varint(0x06) + vec8(varint(6291456))
    tp += varint(0x07) + vec8(varint(6291456))
    tp += varint(0x08) + vec8(varint(100))
    tp += varint(0x09) + vec8(varint(103))
    tp += varint(0x0F) + vec8(scid)                 # initial_source_connection_id
    return tp


class QuicConn:
    """A QUIC v1 connection from a client UDP socket (client-side capture)."""

    def __init__(self, cap, csock, srv_host, rng, sni, rtt, iface=0, dport=443):
        self.cap, self.cs, self.sh, self.rng = cap, csock, srv_host, rng
        self.sni, self.rtt, self.iface, self.dport = sni, rtt, iface, dport
        self.dcid = rb(rng, 8)
        self.scid = rb(rng, 8)
        self.srv_cid = rb(rng, 8)
        self.ck = quic_keys(self.dcid)
        self.sk = quic_keys(self.dcid, server=True)
        self.ch = client_hello(rng, sni, alpn=('h3',), quic_tp=quic_tp(rng, self.scid))
        self.cpn = 0
        self.spn = 0
        self.s_ipid = rng.getrandbits(16)

    def initial(self, t):
        fr = crypto_frame(self.ch)
        pkt = quic_long(0, self.dcid, self.scid, self.cpn, fr, self.ck, pad_to=1250)
        self.cpn += 1
        self.cs.send(self.cap, t, self.sh.ip, self.dport, pkt, iface=self.iface)
        return pkt

    def s_dgram(self, t, payload):
        b = mk_ip(self.sh, self.cs.h.ip, UDP(sport=self.dport, dport=self.cs.port) / Raw(payload),
                  ipid=self.s_ipid, df=True, fl=0x5a5a5 if self.sh.v6 else 0)
        self.s_ipid += 1
        self.cap.add(t, b, self.iface)

    def handshake(self, t, exch=((400, 30000),), rate=None):
        """Initial -> server Initial+Handshake -> client Finished -> 1-RTT exchanges."""
        self.initial(t)
        t1 = t + self.rtt + 0.002
        sh = server_hello(self.rng, sid=b'')
        si = quic_long(0, self.scid, self.srv_cid, 0, ack_frame(0) + crypto_frame(sh), self.sk)
        hk = (rb(self.rng, 16), rb(self.rng, 12), rb(self.rng, 16))
        hs1 = quic_long(2, self.scid, self.srv_cid, 0, crypto_frame(rb(self.rng, 1050)), hk)
        self.s_dgram(t1, si + hs1)
        hs2 = quic_long(2, self.scid, self.srv_cid, 1, crypto_frame(rb(self.rng, 1180), 1050), hk)
        self.s_dgram(t1 + 0.0002, hs2)
        hs3 = quic_long(2, self.scid, self.srv_cid, 2, crypto_frame(rb(self.rng, 900), 2230), hk)
        self.s_dgram(t1 + 0.0004, hs3)
        t2 = t1 + 0.002
        ch_hk = (rb(self.rng, 16), rb(self.rng, 12), rb(self.rng, 16))
        chs = quic_long(2, self.srv_cid, self.scid, 0, ack_frame(2, first_range=2) + crypto_frame(rb(self.rng, 52)), ch_hk)
        ci = quic_long(0, self.srv_cid, self.scid, self.cpn, ack_frame(0), self.ck, pad_to=1250 - len(chs))
        self.cpn += 1
        self.cs.send(self.cap, t2, self.sh.ip, self.dport, ci + chs, iface=self.iface)
        t = t2
        for rq, rs in exch:
            t = self.exchange(t + 0.0005, rq, rs, rate=rate)
        return t

    def short(self, n, client=True):
        cid = self.srv_cid if client else self.scid
        first = 0x40 | self.rng.getrandbits(5)
        return bytes([first]) + cid + rb(self.rng, max(n - 1 - len(cid), 20))

    def c_short(self, t, n, port=None):
        return self.cs.send(self.cap, t, self.sh.ip, self.dport, self.short(n), iface=self.iface)

    def exchange(self, t, rq, rs, rate=None):
        self.c_short(t, rq + 30)
        tt = t + self.rtt + 0.01
        left = rs
        k = 0
        while left > 0:
            n = min(left, 1350)
            self.s_dgram(tt, self.short(n + 30, client=False))
            left -= n
            k += 1
            if k % 2 == 0 or left <= 0:
                self.c_short(tt + 0.0001, 30)
            tt += ((n + 80) * 8 / rate) if rate else 0.00012
        return tt


# --------------------------------------------------------------------------- ICMP

def icmp4_quote(router_host, dst_ip, orig, typ, code, ipid, mtu=0, ttl=None, qlen=None):
    q = orig if qlen is None else orig[:qlen]
    ic = ICMP(type=typ, code=code)
    if typ == 3 and code == 4:
        ic = ICMP(type=3, code=4, nexthopmtu=mtu)
    return mk_ip(router_host, dst_ip, ic / Raw(q), ipid=ipid, df=False, ttl=ttl)


def with_ttl4(ipb, ttl):
    """Return an IPv4 packet as a downstream router received it: TTL changed, checksum fixed."""
    p = IP(ipb)
    p.ttl = ttl
    del p.chksum
    return bytes(p)


def srv_rdata(prio, weight, port, target):
    return struct.pack('>HHH', prio, weight, port) + dname(target)


# --------------------------------------------------------------------------- HTTP

UA_FF = 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0'
UA_CHROME = ('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) '
             'Chrome/125.0.0.0 Safari/537.36')
UA_WIN = ('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) '
          'Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0')


def http_req(host, path='/', method='GET', ua=UA_FF, extra=(), body=b''):
    h = [f'{method} {path} HTTP/1.1', f'Host: {host}', f'User-Agent: {ua}',
         'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
         'Accept-Language: en-US,en;q=0.5', 'Accept-Encoding: gzip, deflate',
         'Connection: keep-alive']
    h += list(extra)
    if body:
        h.append(f'Content-Length: {len(body)}')
    return ('\r\n'.join(h) + '\r\n\r\n').encode() + body


def http_resp(code, reason, headers=(), body=b'', date='Mon, 10 Jun 2024 12:00:00 GMT'):
    if isinstance(body, str):
        body = body.encode()
    h = [f'HTTP/1.1 {code} {reason}', f'Date: {date}'] + list(headers)
    if not any(x.lower().startswith('content-length') for x in headers):
        h.append(f'Content-Length: {len(body)}')
    return ('\r\n'.join(h) + '\r\n\r\n').encode() + body


def filler_body(rng, n, kind='html'):
    """Deterministic, compressible-looking body of n bytes."""
    words = ['the', 'of', 'and', 'to', 'in', 'is', 'for', 'on', 'that', 'with', 'as', 'by', 'this', 'from', 'at', 'are', 'be', 'or', 'an', 'it', 'which', 'data', 'page', 'news', 'home', 'menu', 'search', 'article', 'item', 'list', 'about', 'contact', 'more', 'read', 'next', 'image', 'video', 'link', 'user', 'weather', 'today', 'sport', 'world', 'local', 'business', 'update']
    out = []
    ln = 0
    if kind == 'html':
        head = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body><p>'
        out.append(head)
        ln = len(head)
    while ln < n:
        w = rng.choice(words) + ' '
        out.append(w)
        ln += len(w)
    s = ''.join(out)[:n]
    return s.encode()


# --------------------------------------------------------------------------- sites & browsing

class Site:
    def __init__(self, name, a=(), aaaa=(), ttl=55, rtt=0.03, os='linux', cname=(), dns_ttl=300,
                 rotate=False, pick=None, ttl6=None, rtt6=None, ts=None):
        self.name, self.a, self.aaaa = name, list(a), list(aaaa)
        self.ttl, self.rtt, self.os, self.cname = ttl, rtt, os, list(cname)
        self.dns_ttl, self.rotate, self.pick = dns_ttl, rotate, pick
        self.ttl6 = ttl6 if ttl6 is not None else ttl
        self.rtt6 = rtt6 if rtt6 is not None else rtt
        self.ts = ts

    def addrs(self, qtype, k):
        lst = self.a if qtype == 'A' else self.aaaa
        if not lst:
            return []
        if self.rotate:
            r = k % len(lst)
            lst = lst[r:] + lst[:r]
        if self.pick:
            lst = lst[:self.pick]
        return lst

    def answers(self, qtype, k):
        rrs = []
        owner = self.name
        for cn in self.cname:
            rrs.append((owner, 'CNAME', max(self.dns_ttl, 300), cn))
            owner = cn
        for ip in self.addrs(qtype, k):
            rrs.append((owner, qtype, self.dns_ttl, ip))
        return rrs


def zone_of(name):
    lab = name.rstrip('.').split('.')
    if len(lab) >= 3 and lab[-2] in ('co', 'com', 'org', 'net', 'ac', 'gov') and len(lab[-1]) == 2:
        return '.'.join(lab[-3:])
    return '.'.join(lab[-2:])


def soa_for(zone):
    return (zone, 'SOA', 900, ('ns1.' + zone, 'hostmaster.' + zone, 2024060501, 7200, 3600, 1209600, 300))


class Web:
    """A browsing client: DNS lookups (cached), TCP+TLS 1.3 / HTTP connections to sites."""

    def __init__(self, cap, rng, c4, c6=None, res=None, res6=None, iface=0, prefer6=True,
                 dns_rtt=0.012, sites=None, ua=UA_FF, port0=None, dns_over6=False):
        self.cap, self.rng, self.c4, self.c6 = cap, rng, c4, c6
        self.res, self.res6, self.iface = res, res6, iface
        self.prefer6, self.dns_rtt, self.ua = prefer6, dns_rtt, ua
        self.sites = sites or {}
        self.hosts = {}
        self.cache = {}
        self.tickets = set()
        self.qk = {}
        self.port = port0 or rng.randint(35000, 52000)
        self.dns_over6 = dns_over6
        self.conns = []

    def add(self, *sites):
        for s in sites:
            self.sites[s.name] = s

    def nport(self):
        self.port += self.rng.randint(1, 4)
        if self.port > 60999:
            self.port = 32768 + (self.port - 61000)
        return self.port

    def srv(self, site, ip):
        if ip not in self.hosts:
            v6 = ':' in ip
            h = Host(ip, ttl=site.ttl6 if v6 else site.ttl, os=site.os, rng=self.rng, ts=site.ts)
            if site.os == 'windows' and not v6:
                self.cap.global_ipid(ip)
            self.hosts[ip] = h
        return self.hosts[ip]

    def lookup(self, t, name, force=False, qtypes=None):
        site = self.sites[name]
        c = self.cache.get(name)
        if c and c[3] <= t < c[0] and not force:
            return t, c[1], c[2]
        k = self.qk.get(name, 0)
        self.qk[name] = k + 1
        use6 = self.dns_over6 and self.c6 is not None and self.res6 is not None
        ch = self.c6 if use6 else self.c4
        res = self.res6 if use6 else self.res
        sock = UdpSock(ch, self.nport(), self.rng)
        if qtypes is None:
            qtypes = ['A', 'AAAA'] if self.c6 is not None else ['A']
        tt = t
        out = {'A': [], 'AAAA': []}
        done = t
        for i, qt in enumerate(qtypes):
            an = site.answers(qt, k)
            ns = [] if any(r[1] == qt for r in an) else [soa_for(zone_of(an[-1][3] if an else name))]
            rtt = self.dns_rtt * self.rng.uniform(0.8, 1.3)
            done = max(done, dns_lookup(self.cap, tt, sock, res, name, qt, an=an, ns=ns, rtt=rtt,
                                        rng=self.rng, iface=self.iface))
            tt += 0.00006
            out[qt] = [r[3] for r in an if r[1] == qt]
        self.cache[name] = (t + site.dns_ttl, out['A'], out['AAAA'], t)
        return done + 0.0002, out['A'], out['AAAA']

    def pick_ip(self, name, a4, a6, v6=None):
        if v6 is None:
            v6 = self.prefer6 and self.c6 is not None and bool(a6)
        if v6 and a6:
            return a6[0], True
        return a4[0], False

    def connect(self, t, name, ip, port=443, rtt=None, syn_retx=(), sa_delay=None):
        site = self.sites[name]
        v6 = ':' in ip
        sh = self.srv(site, ip)
        ch = self.c6 if v6 else self.c4
        rtt = rtt or ((site.rtt6 if v6 else site.rtt) * self.rng.uniform(0.9, 1.15))
        conn = Conn(self.cap, ch, sh, self.nport(), port, rtt, self.rng, iface=self.iface)
        self.conns.append(conn)
        t = conn.connect(t, syn_retx=syn_retx, sa_delay=sa_delay)
        return conn, t

    def rand_exch(self, big=False):
        n = self.rng.choice([1, 1, 2, 2, 3, 4])
        ex = []
        for _ in range(n):
            kind = self.rng.random()
            if big or kind < 0.06:
                rs = self.rng.randint(60000, 250000)
            elif kind < 0.45:
                rs = self.rng.randint(6000, 40000)
            else:
                rs = self.rng.randint(700, 6000)
            ex.append((self.rng.randint(180, 1400), rs, self.rng.uniform(0.008, 0.12)))
        return ex

    def https(self, t, name, exch=None, close='c', idle=None, resume=None, rate=None, loss=(),
              v6=None, ip=None, dns=True, port=443, rtt=None, pq=False):
        if dns:
            t, a4, a6 = self.lookup(t, name)
        else:
            c = self.cache.get(name)
            a4, a6 = (c[1], c[2]) if c else (self.sites[name].a, self.sites[name].aaaa)
        if ip is None:
            ip, _ = self.pick_ip(name, a4, a6, v6)
        conn, t = self.connect(t + 0.0001, name, ip, port=port, rtt=rtt)
        if resume is None:
            resume = name in self.tickets
        t = tls13(conn, t, name, self.rng, resume=resume, exch=exch or self.rand_exch(), rate=rate,
                  loss_first=loss, pq=pq)
        self.tickets.add(name)
        t = self.finish(conn, t, close, idle)
        return conn, t

    def finish(self, conn, t, close, idle=None):
        rng = self.rng
        if idle is None:
            idle = rng.uniform(2.0, 40.0)
        if close == 'c':
            t += idle
            if conn.s.port != 80:
                conn.c_send(t, enc(rng, 2))
                t += 0.0002
            t = conn.close_c(t)
        elif close == 'c_rst_srv':
            t += idle
            t = conn.close_c(t, srv_rst=True)
        elif close == 's':
            t += idle
            if conn.s.port == 443:
                conn.tx(t, conn.s, 'PA', enc(rng, 2))
                conn.c.rcv = conn.s.nxt
                t = conn.close_s(t + 0.00005)
            else:
                t = conn.close_s(t)
        elif close == 'open':
            pass
        return t

    def http(self, t, name, reqs, close='c', idle=None, dns=True, ip=None, port=80, v6=None,
             rate=None, loss=()):
        """reqs: list of (request_bytes, response_bytes, think)."""
        if dns:
            t, a4, a6 = self.lookup(t, name)
        else:
            a4, a6 = self.sites[name].a, self.sites[name].aaaa
        if ip is None:
            ip, _ = self.pick_ip(name, a4, a6, v6)
        conn, t = self.connect(t + 0.0001, name, ip, port=port)
        for i, (rq, rs, think) in enumerate(reqs):
            t = conn.http(t + self.rng.uniform(0.0002, 0.002), rq, rs, think=think, rate=rate,
                          loss=loss if i == 0 else ())
        t = self.finish(conn, t, close, idle)
        return conn, t


def ordinary(web, t0, t1, names, n, rng, closes=('c', 'c', 's', 'open')):
    """n ordinary HTTPS visits spread over [t0, t1] to the given site names."""
    starts = sorted(rng.uniform(t0, t1) for _ in range(n))
    ends = []
    for st in starts:
        name = rng.choice(names)
        conn, te = web.https(st, name, close=rng.choice(closes))
        ends.append(te)
    return max(ends) if ends else t1


def png_bytes(rng, approx):
    """A valid PNG of roughly `approx` bytes (random pixels, stored with zlib level 0)."""
    import zlib as _z
    w = 64
    h = max(1, (approx - 100) // (w * 3 + 1))
    raw = b''.join(b'\x00' + rb(rng, w * 3) for _ in range(h))

    def chunk(typ, data):
        return struct.pack('>I', len(data)) + typ + data + struct.pack('>I', _z.crc32(typ + data) & M32)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', _z.compress(raw, 0)) + chunk(b'IEND', b''))


OUT = "."  # the output folder, set by main() from the command line
EXPECT = {}
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def save(cap, fname, trap, why, shape):
    n = cap.write(os.path.join(OUT, fname))
    EXPECT[fname] = {'trap': trap, 'why_benign': why, 'shape': shape}
    print(f'{fname}: {n} frames')


# --------------------------------------------------------------------------- catalogue

def catalogue():
    S = {}

    def s(*a, **k):
        x = Site(*a, **k)
        S[x.name] = x
    s('www.wikipedia.org', ['185.15.59.224'], ['2a02:ec80:300:ed1a::1'], ttl=55, rtt=0.031, dns_ttl=600)
    s('en.wikipedia.org', ['185.15.59.224'], ['2a02:ec80:300:ed1a::1'], ttl=55, rtt=0.031,
      cname=['dyna.wikimedia.org'], dns_ttl=600)
    s('upload.wikimedia.org', ['185.15.59.240'], ['2a02:ec80:300:ed1a::2:b'], ttl=55, rtt=0.031, dns_ttl=600)
    s('github.com', ['140.82.121.4', '140.82.121.3'], [], ttl=49, rtt=0.038, dns_ttl=60, rotate=True, pick=1)
    s('api.github.com', ['140.82.121.6', '140.82.121.5'], [], ttl=49, rtt=0.038, dns_ttl=60, rotate=True, pick=1)
    s('avatars.githubusercontent.com', ['185.199.108.133', '185.199.109.133', '185.199.110.133',
                                        '185.199.111.133'],
      ['2606:50c0:8000::154', '2606:50c0:8001::154', '2606:50c0:8002::154', '2606:50c0:8003::154'],
      ttl=57, rtt=0.012, dns_ttl=300, rotate=True)
    s('www.bbc.co.uk', ['151.101.0.81', '151.101.64.81', '151.101.128.81', '151.101.192.81'],
      ['2a04:4e42::81', '2a04:4e42:200::81', '2a04:4e42:400::81', '2a04:4e42:600::81'],
      ttl=57, rtt=0.013, dns_ttl=300, rotate=True, cname=['www.bbc.co.uk.pri.bbc.co.uk', 'uk.www.bbc.co.uk.pri.bbc.co.uk'])
    s('www.theguardian.com', ['151.101.1.111', '151.101.65.111', '151.101.129.111', '151.101.193.111'],
      ['2a04:4e42::367', '2a04:4e42:200::367', '2a04:4e42:400::367', '2a04:4e42:600::367'],
      ttl=57, rtt=0.013, dns_ttl=30, rotate=True, cname=['guardian.map.fastly.net'])
    s('www.nytimes.com', ['151.101.1.164', '151.101.65.164', '151.101.129.164', '151.101.193.164'],
      ['2a04:4e42::164', '2a04:4e42:200::164', '2a04:4e42:400::164', '2a04:4e42:600::164'],
      ttl=57, rtt=0.013, dns_ttl=30, rotate=True, cname=['nytimes.map.fastly.net'])
    s('www.reddit.com', ['151.101.1.140', '151.101.65.140', '151.101.129.140', '151.101.193.140'],
      ['2a04:4e42::396', '2a04:4e42:200::396', '2a04:4e42:400::396', '2a04:4e42:600::396'],
      ttl=57, rtt=0.013, dns_ttl=30, rotate=True, cname=['reddit.map.fastly.net'])
    s('news.ycombinator.com', ['209.216.230.207'], [], ttl=48, rtt=0.097, dns_ttl=300)
    s('stackoverflow.com', ['104.18.32.7', '172.64.155.249'], ['2606:4700:4400::6812:2007', '2606:4700:4400::ac40:9bf9'],
      ttl=58, rtt=0.011, dns_ttl=300, rotate=True)
    s('cdn.jsdelivr.net', ['104.16.85.20', '104.16.86.20', '104.16.87.20', '104.16.88.20', '104.16.89.20'],
      ['2606:4700::6810:5514', '2606:4700::6810:5614'], ttl=58, rtt=0.011, dns_ttl=300, rotate=True, pick=3)
    s('www.google.com', ['142.250.185.68'], ['2a00:1450:4001:812::2004'], ttl=118, rtt=0.014, dns_ttl=300)
    s('fonts.gstatic.com', ['142.250.186.67'], ['2a00:1450:4001:828::2003'], ttl=118, rtt=0.014, dns_ttl=300)
    s('www.youtube.com', ['142.250.185.110', '172.217.16.206', '142.250.186.46', '142.250.184.238'],
      ['2a00:1450:4001:80b::200e', '2a00:1450:4001:82b::200e'], ttl=118, rtt=0.014, dns_ttl=300,
      cname=['youtube-ui.l.google.com'], rotate=True)
    s('i.ytimg.com', ['142.250.185.118', '142.250.186.54', '142.250.185.150'], ['2a00:1450:4001:829::2016'],
      ttl=118, rtt=0.014, dns_ttl=300, rotate=True)
    s('www.microsoft.com', ['23.35.229.160'], ['2a02:26f0:1380:18f::356e', '2a02:26f0:1380:18a::356e'],
      ttl=56, rtt=0.009, dns_ttl=20, cname=['www.microsoft.com-c-3.edgekey.net', 'e13678.dscb.akamaiedge.net'])
    s('login.microsoftonline.com', ['20.190.160.20', '40.126.32.134', '20.190.160.22', '40.126.32.68'],
      [], ttl=111, rtt=0.022, os='windows', dns_ttl=20, rotate=True, pick=2,
      cname=['login.mso.msidentity.com', 'ak.privatelink.msidentity.com', 'www.tm.ak.prd.aadg.akadns.net'])
    s('www.debian.org', ['130.89.148.77'], ['2001:67c:2564:a119::77'], ttl=51, rtt=0.018, dns_ttl=3600)
    s('deb.debian.org', ['151.101.2.132', '151.101.66.132', '151.101.130.132', '151.101.194.132'],
      ['2a04:4e42::644', '2a04:4e42:200::644', '2a04:4e42:400::644', '2a04:4e42:600::644'],
      ttl=57, rtt=0.013, dns_ttl=30, rotate=True, cname=['debian.map.fastly.net'])
    s('www.heise.de', ['193.99.144.85'], ['2a02:2e0:3fe:1001:7777:772e:2:85'], ttl=54, rtt=0.011, dns_ttl=3600)
    s('www.spiegel.de', ['128.65.210.8'], [], ttl=56, rtt=0.010, dns_ttl=300)
    s('www.apple.com', ['23.55.220.170'], ['2a02:26f0:2b00:383::1aca', '2a02:26f0:2b00:381::1aca'],
      ttl=56, rtt=0.010, dns_ttl=20, cname=['www.apple.com.edgekey.net', 'e6858.dscx.akamaiedge.net'])
    s('duckduckgo.com', ['52.142.124.215'], [], ttl=50, rtt=0.016, dns_ttl=200)
    s('www.torproject.org', ['116.202.120.165', '95.216.163.36', '204.8.99.144'],
      ['2a01:4f8:fff0:4f:266:37ff:fe2c:5d19', '2a01:4f9:c010:19eb::1'], ttl=50, rtt=0.020, dns_ttl=150, rotate=True, pick=2)
    s('signal.org', ['13.32.121.81', '13.32.121.23', '13.32.121.117', '13.32.121.50'], [], ttl=245,
      rtt=0.012, dns_ttl=60, rotate=True)
    s('mail.proton.me', ['185.70.42.45'], [], ttl=52, rtt=0.017, dns_ttl=1200)
    s('www.amazon.de', ['18.66.98.106'], [], ttl=244, rtt=0.011, dns_ttl=60,
      cname=['tp.5fd53c725-frontier.amazon.de', 'd3ag4hukkh62yn.cloudfront.net'])
    s('twitter.com', ['104.244.42.1', '104.244.42.65'], [], ttl=53, rtt=0.086, dns_ttl=1800, rotate=True, pick=1)
    s('x.com', ['104.244.42.193', '104.244.42.129'], [], ttl=53, rtt=0.086, dns_ttl=1800, rotate=True, pick=1)
    s('www.facebook.com', ['157.240.17.35'], ['2a03:2880:f12f:83:face:b00c:0:25de'], ttl=55, rtt=0.019,
      dns_ttl=60, cname=['star-mini.c10r.facebook.com'])
    s('www.instagram.com', ['157.240.17.174'], ['2a03:2880:f22f:c5:face:b00c:0:167'], ttl=55, rtt=0.019,
      dns_ttl=60, cname=['z-p42-instagram.c10r.instagram.com'])
    s('www.dropbox.com', ['162.125.66.18'], ['2620:100:6022:18::a27d:4212'], ttl=52, rtt=0.020, dns_ttl=60,
      cname=['www-env.dropbox-dns.com'])
    s('alive.github.com', ['140.82.113.26'], [], ttl=47, rtt=0.098, dns_ttl=60)
    s('objects.githubusercontent.com', ['185.199.108.133', '185.199.111.133'], ['2606:50c0:8000::154'],
      ttl=57, rtt=0.012, dns_ttl=300, rotate=True)
    return S


COMMON = ['www.wikipedia.org', 'en.wikipedia.org', 'upload.wikimedia.org', 'github.com',
          'avatars.githubusercontent.com', 'www.bbc.co.uk', 'www.theguardian.com', 'www.nytimes.com',
          'www.reddit.com', 'news.ycombinator.com', 'stackoverflow.com', 'cdn.jsdelivr.net',
          'www.google.com', 'fonts.gstatic.com', 'www.youtube.com', 'i.ytimg.com', 'www.microsoft.com',
          'www.debian.org', 'www.heise.de', 'www.spiegel.de', 'www.apple.com', 'duckduckgo.com',
          'www.torproject.org', 'signal.org', 'mail.proton.me', 'www.amazon.de', 'twitter.com',
          'www.facebook.com']


def main():
    global OUT
    if len(sys.argv) < 2:
        sys.exit("usage: blind2_benign.py OUTDIR [CASE...]")
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[2:])
    for fn in CASES:
        if only and fn.__name__ not in only:
            continue
        fn()
    if not only:
        with open(os.path.join(OUT, 'expect.json'), 'w') as f:
            json.dump(EXPECT, f, indent=2, sort_keys=True)
            f.write('\n')


# =========================================================================== cases


def ntp_exchange(cap, t, csock, srv_host, rtt, rng, stratum=2, iface=0):
    q = bytes([0x23]) + b'\x00' * 39 + rb(rng, 8)
    csock.send(cap, t, srv_host.ip, 123, q, iface=iface)
    r = bytes([0x24, stratum, 0x03, 0xE9]) + rb(rng, 8) + rb(rng, 4) + rb(rng, 8) + q[40:48] + rb(rng, 16)
    b = mk_ip(srv_host, csock.h.ip, UDP(sport=123, dport=csock.port) / Raw(r), ipid=rng.getrandbits(16),
              df=True)
    cap.add(t + rtt, b, iface)


def zero_window_download(conn, t, rng, part1, part2, stall=2.3):
    """Client request, server streams part1; the client's receive buffer fills (window 0),
    the server sends zero-window probes with backoff, the client reopens the window and
    part2 follows.  Returns the last time."""
    c, s = conn.c, conn.s
    conn.c_send(t, enc(rng, 420))
    ta = conn.s_send(t + conn.rtt + 0.03, enc(rng, part1))
    tz = ta + 0.0004
    conn.tx(tz, c, 'A', win=0)
    p = 0.21
    tp = tz + conn.rtt / 2 + p
    while tp < tz + stall:
        conn.tx(tp, s, 'A', seq=s.nxt - 1, adv=False, deliver=False)
        conn.tx(tp + 0.00005, c, 'A', win=0)
        p *= 2
        tp += p
    tw = tz + stall
    conn.tx(tw, c, 'A')  # window update
    return conn.s_send(tw + conn.rtt + 0.0005, enc(rng, part2))


def tab_close_abort(conn, t, rng, got, inflight=4):
    """The user closes the tab during a download: the client socket is closed with unread
    data -> RST/ACK; segments already in flight from the server then hit a closed socket
    and each draws a stack RST (flags R, seq = their ack, IP ID 0)."""
    c, s = conn.c, conn.s
    conn.c_send(t, enc(rng, 380))
    ta = conn.s_send(t + conn.rtt + 0.02, enc(rng, got))
    tr = ta + 0.0007
    conn.rst_c(tr)
    data = rb(rng, conn.mss * inflight)
    tt = tr + 0.0002
    for i in range(inflight):
        seg = data[i * conn.mss:(i + 1) * conn.mss]
        conn.tx(tt, s, 'A', seg, deliver=False)
        conn.stray_rst(tt + 0.00003, c, s.rcv)
        tt += 0.00011
    return tt


@case
def browse_session():
    rng = random.Random(101)
    lan = Iface(LT_EN10MB, me='3c:22:fb:8e:41:07', gw='3c:a6:2f:7d:1e:01')
    me4, me6 = '192.168.178.23', '2a02:8109:b6c0:1e00:5c1f:3a2e:9b41:77d2'
    cap = Capture(1718020800, [lan], [me4, me6])
    c4, c6 = Host(me4, ttl=64, rng=rng), Host(me6, ttl=64, rng=rng)
    res = Resolver('192.168.178.1', 64, rng, df=True)
    S = catalogue()
    S['fritz.box'] = Site('fritz.box', ['192.168.178.1'], [], ttl=64, rtt=0.0009, dns_ttl=10)
    S['2.debian.pool.ntp.org'] = Site('2.debian.pool.ntp.org', ['85.215.93.134', '193.175.73.20', '162.159.200.123', '5.9.121.196'],
                                      [], ttl=54, dns_ttl=130)
    web = Web(cap, rng, c4, c6, res=res, dns_rtt=0.011, sites=S, ua=UA_FF)

    # router UI by its local name (answered locally by the router's resolver)
    router = Host('192.168.178.1', ttl=64, rng=rng)
    t, a4, _ = web.lookup(0.41, 'fritz.box')
    conn = Conn(cap, c4, router, web.nport(), 80, 0.0009, rng)
    t = conn.connect(t + 0.0002)
    page = filler_body(rng, 5400)
    t = conn.http(t, http_req('fritz.box', '/'), http_resp(200, 'OK', ['Content-Type: text/html; charset=utf-8',
                  'Cache-Control: no-cache'], page), think=0.004)
    t = conn.http(t + 0.05, http_req('fritz.box', '/favicon.ico'), http_resp(200, 'OK', ['Content-Type: image/x-icon'],
                  rb(rng, 1150)), think=0.002)
    conn.close_c(t + 4.0)

    # NTP
    t, a4, _ = web.lookup(1.2, '2.debian.pool.ntp.org', qtypes=['A'])
    for i, ip in enumerate(a4[:3]):
        sk = UdpSock(c4, web.nport(), rng)
        ntp_exchange(cap, t + 0.001 + i * 0.0004, sk, Host(ip, ttl=54 - i, rng=rng), 0.012 + 0.004 * i, rng)

    # mDNS chatter on the LAN (multicast, IP TTL 255)
    cc = Host('192.168.178.37', ttl=255, rng=rng)
    me_m = Host(me4, ttl=255, rng=rng)
    for tq in (3.1, 121.7):
        q = dns_msg(0, 0x0000, '_googlecast._tcp.local', 'PTR', edns=None)
        cap.add(tq, mk_ip(me_m, '224.0.0.251', UDP(sport=5353, dport=5353) / Raw(q), ipid=rng.getrandbits(16), df=True),
                l2dst=mac('01:00:5e:00:00:fb'))
        inst = 'Chromecast-Wohnzimmer-8b1e4f._googlecast._tcp.local'
        an = [('_googlecast._tcp.local', 'PTR', 120, inst),
              (inst, 'SRV', 120, srv_rdata(0, 0, 8009, '8b1e4f2a-chromecast.local')),
              (inst, 'TXT', 4500, ['id=8b1e4f2a9c0d', 'md=Chromecast', 'fn=Wohnzimmer', 'rs=']),
              ('8b1e4f2a-chromecast.local', 'A', 120, '192.168.178.37')]
        r = dns_msg(0, 0x8400, '_googlecast._tcp.local', 'PTR', an=an, edns=None, qd=False)
        cap.add(tq + 0.0061, mk_ip(cc, '224.0.0.251', UDP(sport=5353, dport=5353) / Raw(r), ipid=0, df=True),
                out=False, l2src=mac('f4:f5:d8:8b:1e:4f'), l2dst=mac('01:00:5e:00:00:fb'))

    # apt update over HTTP/1.1 keep-alive (several requests on one connection; a 304, a 404)
    t, a4, a6 = web.lookup(20.0, 'deb.debian.org')
    conn, t = web.connect(t + 0.0002, 'deb.debian.org', a6[0], port=80)
    ua = 'Debian APT-HTTP/1.3 (2.6.1)'

    def areq(path, extra=()):
        return (f'GET {path} HTTP/1.1\r\nHost: deb.debian.org\r\nUser-Agent: {ua}\r\n'
                + ''.join(x + '\r\n' for x in extra) + '\r\n').encode()
    fast = ['Server: Apache', 'Via: 1.1 varnish, 1.1 varnish', 'Accept-Ranges: bytes', 'Age: 1043',
            'X-Served-By: cache-fra-eddf8230050-FRA, cache-fra-etou8220139-FRA', 'X-Cache: HIT, HIT',
            'X-Cache-Hits: 4, 1']
    reqs = [
        (areq('/debian/dists/bookworm/InRelease', ['If-Modified-Since: Sat, 08 Jun 2024 09:39:02 GMT']),
         http_resp(304, 'Not Modified', fast)),
        (areq('/debian/dists/bookworm-updates/InRelease'),
         http_resp(200, 'OK', ['Content-Type: text/plain'] + fast, filler_body(rng, 55870, 'txt'))),
        (areq('/debian/dists/bookworm-updates/main/binary-amd64/Packages.diff/Index'),
         http_resp(200, 'OK', ['Content-Type: text/plain'] + fast, filler_body(rng, 12311, 'txt'))),
        (areq('/debian/dists/bookworm-updates/main/i18n/Translation-en_GB.xz'),
         http_resp(404, 'Not Found', ['Content-Type: text/html; charset=iso-8859-1'] + fast,
                   '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n'
                   '</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n'
                   '<hr>\n<address>Apache Server at deb.debian.org Port 80</address>\n</body></html>\n')),
        (areq('/debian/pool/main/t/tzdata/tzdata_2024a-0%2bdeb12u1_all.deb'),
         http_resp(200, 'OK', ['Content-Type: application/vnd.debian.binary-package'] + fast, rb(rng, 261204))),
    ]
    for i, (rq, rs) in enumerate(reqs):
        t += 0.0015
        if i == 2:   # the request segment is lost once and retransmitted after the RTO
            conn.c_send(t, rq, lost=(0,))
            t = conn.s_send(t + 0.21 + conn.rtt + 0.004, rs)
        else:
            t = conn.http(t, rq, rs, think=0.003, loss=(37, 38) if i == 4 else ())
    conn.close_c(t + 0.3)

    # long-lived websocket with TCP keep-alives
    t, a4, _ = web.lookup(30.2, 'alive.github.com')
    ws, t = web.connect(t, 'alive.github.com', a4[0])
    t = tls13(ws, t, 'alive.github.com', rng, alpn=('http/1.1',), exch=((520, 310, 0.09),))
    tk = t
    while tk < 292:
        tk += 45.0
        ws.keepalive(tk)
        if rng.random() < 0.6:
            tm = tk + rng.uniform(3, 20)
            ws.tx(tm, ws.s, 'PA', enc(rng, rng.randint(40, 160)))
            ws.tx(tm + 0.04, ws.c, 'A')
            tk = tm

    # zero-window stall on a large download
    t, a4, a6 = web.lookup(141.0, 'objects.githubusercontent.com')
    conn, t = web.connect(t, 'objects.githubusercontent.com', a4[0])
    t = tls13(conn, t, 'objects.githubusercontent.com', rng, exch=((700, 900, 0.02),))
    t = zero_window_download(conn, t + 0.01, rng, 620000, 910000)
    web.finish(conn, t, 'c', idle=3.1)

    # tab closed in the middle of a video segment download
    t, a4, a6 = web.lookup(188.4, 'i.ytimg.com')
    conn, t = web.connect(t, 'i.ytimg.com', a4[0])
    t = tls13(conn, t, 'i.ytimg.com', rng, exch=((600, 2100, 0.02),))
    tab_close_abort(conn, t + 0.2, rng, 190000)

    # Windows-style server: answers the client's FIN with RST/ACK
    for ts_ in (44.0, 131.5, 233.0):
        web.https(ts_, 'login.microsoftonline.com', close='c_rst_srv', idle=rng.uniform(1, 6))

    # lossy downloads (retransmissions after SACKed duplicate ACKs)
    for ts_, nm, ls in ((61.2, 'www.theguardian.com', (9,)), (97.0, 'upload.wikimedia.org', (30, 31)),
                        (155.3, 'www.nytimes.com', (5, 60)), (210.8, 'www.bbc.co.uk', (12,)),
                        (247.1, 'stackoverflow.com', (3,)), (270.6, 'cdn.jsdelivr.net', (44, 45, 46))):
        web.https(ts_, nm, exch=((700, 160000, 0.03, ls),), close='c')

    # a SYN lost once (retransmitted after 1 s), then everything normal
    for ts_, nm in ((75.5, 'www.heise.de'), (199.9, 'duckduckgo.com')):
        t, a4, a6 = web.lookup(ts_, nm)
        ip = a6[0] if a6 else a4[0]
        conn = Conn(cap, c6 if ':' in ip else c4, web.srv(S[nm], ip), web.nport(), 443, S[nm].rtt, rng)
        t = conn.connect(t, syn_retx=(1.0,))
        t = tls13(conn, t, nm, rng, resume=nm in web.tickets, exch=web.rand_exch())
        web.tickets.add(nm)
        web.finish(conn, t, 'c')

    # the bulk: ordinary browsing (CDN round robin, resumption, v6/v4, server idle FINs ...)
    ordinary(web, 5.0, 296.0, COMMON, 235, rng)
    save(cap, 'neg_browse_session.pcap',
         'long browsing session full of ordinary TCP noise: lossy retransmissions with SACK, a zero-window '
         'stall with probes, TCP keep-alives, TLS resumption, HTTP/1.1 keep-alive (304/404 answers), CDN '
         'round-robin DNS answers, a SYN retransmitted once, RST/ACK from a Windows-style server answering the '
         "client's FIN, a client RST/ACK on tab close followed by in-flight server data and the client's "
         'stack RSTs (IP ID 0), a router-local name (fritz.box -> 192.168.178.1), mDNS with private answers',
         'Every RST comes from the endpoint whose TTL/IP-ID it carries and at the sequence number that '
         'endpoint owns; every loss is repaired by an ordinary retransmission; DNS answers vary only by '
         'round-robin order and CDN subset with single replies; no connection fails while a trigger differs; '
         'fritz.box is the home router\'s own name answered by the router itself.',
         'Ethernet pcap (us), IPv4+IPv6, ~320 s, ~250 TCP flows + DNS/NTP/mDNS, 17.5k frames')


# --------------------------------------------------------------------------- 2 happy eyeballs

@case
def happy_eyeballs():
    rng = random.Random(202)
    ifc = Iface(LT_SLL2, me='a4:83:e7:11:22:33', gw='b0:be:76:aa:bb:cc', ifindex=3)
    me4, me6 = '10.0.0.23', '2001:470:1f0b:5a1::23'
    cap = Capture(1718107200, [ifc], [me4, me6])
    c4, c6 = Host(me4, ttl=64, rng=rng), Host(me6, ttl=64, rng=rng)
    res = Resolver('10.0.0.1', 64, rng, df=True)
    S = catalogue()
    web = Web(cap, rng, c4, c6, res=res, dns_rtt=0.014, sites=S, ua=UA_CHROME, prefer6=False)
    dual = [n for n in ('www.wikipedia.org', 'www.bbc.co.uk', 'www.google.com', 'www.youtube.com',
                        'www.heise.de', 'www.debian.org', 'stackoverflow.com', 'www.facebook.com',
                        'www.torproject.org', 'www.apple.com', 'www.microsoft.com', 'i.ytimg.com',
                        'www.instagram.com', 'www.dropbox.com')]
    v4only = ['github.com', 'news.ycombinator.com', 'duckduckgo.com', 'signal.org', 'twitter.com',
              'mail.proton.me', 'www.amazon.de', 'www.spiegel.de']
    # v6 goes through a 6in4 tunnel: +170..330 ms, MSS clamped to 1400, the tunnel drops now and then
    plan = []
    for n in dual:
        S[n].rotate = False
        k = rng.choice([2, 3, 3])
        outs = [rng.choice(['ok', 'slow', 'slow', 'lost']) for _ in range(k)]
        if all(o == 'lost' for o in outs):
            outs[0] = 'slow'
        if 'lost' not in outs and rng.random() < 0.5:
            outs[-1] = 'lost'
        for o in outs:
            plan.append((rng.uniform(2, 280), n, o))
    plan.sort()
    stats = {'ok': 0, 'slow': 0, 'lost': 0}
    for st, n, o in plan:
        site = S[n]
        t, a4, a6 = web.lookup(st, n, force=True)   # Chrome asks A and AAAA in parallel each time
        ip6, ip4 = a6[0], a4[0]
        h6 = web.srv(site, ip6)
        h6.mss = 1400
        h6.ttl = site.ttl6 - 3
        rtt6 = (0.29 + rng.uniform(0, 0.05)) if o == 'slow' else (0.17 + rng.uniform(0, 0.05))
        cv6 = Conn(cap, c6, h6, web.nport(), 443, rtt6, rng)
        cv6.syn(t)
        stats[o] += 1
        resume = n in web.tickets
        if o == 'ok':
            cv6.synack(t + rtt6)
            te = cv6.tx(t + rtt6 + 0.00006, cv6.c, 'A')
            te = tls13(cv6, te, n, rng, resume=resume, exch=web.rand_exch())
            web.tickets.add(n)
            web.finish(cv6, te, rng.choice(['c', 's', 'open']))
            continue
        # Connection Attempt Delay (RFC 8305): IPv4 starts 250 ms later and wins
        t4 = t + 0.250
        cv4 = Conn(cap, c4, web.srv(site, ip4), web.nport(), 443, site.rtt * rng.uniform(0.9, 1.1), rng)
        te = cv4.connect(t4)
        if o == 'slow':
            # the IPv6 socket was closed when IPv4 connected; its late SYN/ACK draws a stack RST
            tsa = t + rtt6
            assert tsa > te
            cv6.synack(tsa)
            cv6.stray_rst(tsa + 0.00004, cv6.c, cv6.c.isn + 1)
        te = tls13(cv4, te + 0.0001, n, rng, resume=resume, exch=web.rand_exch())
        web.tickets.add(n)
        web.finish(cv4, te, rng.choice(['c', 's', 'open']))
    web.prefer6 = False
    ordinary(web, 1.0, 290.0, v4only, 30, rng)
    save(cap, 'neg_happy_eyeballs.pcap',
         'Happy Eyeballs on a flaky 6in4 tunnel: every name is asked A+AAAA; an IPv6 SYN goes first and, '
         'when its SYN/ACK is late (>250 ms) or the tunnel dropped it, IPv4 starts 250 ms later and wins; a late '
         'IPv6 SYN/ACK then draws a client stack RST; some IPv6 SYNs are never answered (single SYN, no '
         'retransmission, abandoned after ~280 ms)',
         'A lone IPv6 SYN abandoned after 250 ms is the client giving up, not a timeout (no retransmission was '
         'even due); each IPv6 address that once went unanswered answers SYNs in other attempts; every RST is '
         'sent by the client itself; IPv4 to the same names succeeds at the same moment with the same SNI.',
         f'Linux SLL2 (DLT 276), IPv4+IPv6, ~300 s, {sum(stats.values())} dual-stack attempts ({stats["ok"]} IPv6 in time, '
         f'{stats["slow"]} late IPv6 SYN/ACK + client RST, {stats["lost"]} lone unanswered IPv6 SYNs) + 30 IPv4-only flows')


# --------------------------------------------------------------------------- 3 captive portal

@case
def captive_portal():
    rng = random.Random(303)
    ifc = Iface(LT_SLL, me='8c:16:45:3b:9e:02', gw='00:0d:b9:4f:21:c0')
    me4 = '10.42.7.113'
    cap = Capture(1718193600, [ifc], [me4])
    c4 = Host(me4, ttl=64, rng=rng)
    gw = '10.42.0.1'
    res = Resolver(gw, 64, rng, df=True)
    S = catalogue()
    S['nmcheck.gnome.org'] = Site('nmcheck.gnome.org', ['34.196.139.138'], [], ttl=46, rtt=0.094, dns_ttl=300)
    S['detectportal.firefox.com'] = Site('detectportal.firefox.com', ['34.107.221.82'], [], ttl=56, rtt=0.015,
                                         dns_ttl=60, cname=['detectportal.prod.mozaws.net',
                                                            'prod.detectportal.prod.cloudops.mozgcp.net'])
    web = Web(cap, rng, c4, None, res=res, dns_rtt=0.02, sites=S, ua=UA_FF)
    portal = Host(gw, ttl=64, rng=rng)
    zone = 'hotelguest'

    def login_url(red):
        from urllib.parse import quote
        return f'http://{gw}:8002/index.php?zone={zone}&redirurl={quote(red, safe="")}'

    def intercepted(t, name, path, ua, extra=()):
        """Before login the gateway answers every port-80 connection itself (TCP terminated on
        the gateway: SYN/ACK, 302 and FIN all come from it, TTL 64), redirecting to its login page."""
        t, a4, _ = web.lookup(t, name)
        ph = Host(a4[0], ttl=64, rng=rng)   # the gateway, answering in the server's name
        conn = Conn(cap, c4, ph, web.nport(), 80, 0.0021, rng)
        t = conn.connect(t + 0.0002)
        red = f'http://{name}{path}'
        body = ('<html><head><meta http-equiv="refresh" content="0;url=' + login_url(red) + '"></head>'
                '<body>Redirecting to the guest network login page...</body></html>\n')
        resp = http_resp(302, 'Found', ['Location: ' + login_url(red), 'Content-Type: text/html',
                                         'Cache-Control: no-cache, no-store', 'Connection: close'], body)
        t = conn.http(t, http_req(name, path, ua=ua, extra=extra), resp, think=0.0012)
        return conn.close_s(t + 0.0003)

    nm_ua = 'NetworkManager/1.42.4'
    intercepted(1.05, 'nmcheck.gnome.org', '/check_network_status.txt', nm_ua)
    intercepted(3.21, 'detectportal.firefox.com', '/canonical.html', UA_FF, ['Cache-Control: no-cache', 'Pragma: no-cache'])
    intercepted(3.23, 'detectportal.firefox.com', '/success.txt?ipv4', UA_FF, ['Cache-Control: no-cache', 'Pragma: no-cache'])

    # the user opens the login page on the gateway
    pconn = Conn(cap, c4, portal, web.nport(), 8002, 0.0019, rng)
    t = pconn.connect(6.4)
    page = ('<!DOCTYPE html><html><head><title>Guest Wi-Fi - Hotel Seeblick</title>'
            '<link rel="stylesheet" href="/captiveportal-style.css"></head><body>'
            '<img src="/captiveportal-logo.png"><h1>Welcome to Hotel Seeblick</h1>'
            '<p>Please accept the terms of use to access the Internet.</p>'
            '<form method="post" action="/index.php"><input type="hidden" name="zone" value="hotelguest">'
            '<input type="hidden" name="redirurl" value="http://detectportal.firefox.com/canonical.html">'
            '<label>Room number <input name="auth_user"></label><label>Last name <input name="auth_pass" type="password"></label>'
            '<input type="checkbox" name="terms"> I accept the terms of use'
            '<input type="submit" name="accept" value="Continue"></form></body></html>\n')
    page = page + '<!-- ' + filler_body(rng, 2600, 'txt').decode() + ' -->\n'
    pth = login_url('http://detectportal.firefox.com/canonical.html')[len(f'http://{gw}:8002'):]
    t = pconn.http(t, http_req(f'{gw}:8002', pth), http_resp(200, 'OK', ['Content-Type: text/html; charset=UTF-8',
                   'Server: lighttpd/1.4.69', 'Cache-Control: no-cache'], page), think=0.006)
    t = pconn.http(t + 0.03, http_req(f'{gw}:8002', '/captiveportal-style.css', extra=['Referer: http://10.42.0.1:8002/']),
                   http_resp(200, 'OK', ['Content-Type: text/css', 'Server: lighttpd/1.4.69'], filler_body(rng, 3100, 'txt')),
                   think=0.002)
    t = pconn.http(t + 0.001, http_req(f'{gw}:8002', '/captiveportal-logo.png', extra=['Referer: http://10.42.0.1:8002/']),
                   http_resp(200, 'OK', ['Content-Type: image/png', 'Server: lighttpd/1.4.69'], png_bytes(rng, 11873)), think=0.002)
    # login form submitted ~20 s later; the portal sends the browser back to where it wanted to go
    body = (f'zone={zone}&redirurl=http%3A%2F%2Fdetectportal.firefox.com%2Fcanonical.html&auth_user=214&'
            'auth_pass=meier&terms=on&accept=Continue').encode()
    t = pconn.http(24.7, http_req(f'{gw}:8002', '/index.php', method='POST',
                                  extra=['Content-Type: application/x-www-form-urlencoded', 'Origin: http://10.42.0.1:8002'],
                                  body=body),
                   http_resp(302, 'Found', ['Location: http://detectportal.firefox.com/canonical.html',
                                            'Server: lighttpd/1.4.69', 'Content-Type: text/html'], b''), think=0.35)
    pconn.close_c(t + 5.0)

    # after login: the genuine servers answer (their own TTLs), and everything works
    canon = ('<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>\n')
    t, a4, _ = web.lookup(25.2, 'detectportal.firefox.com', force=True)
    conn, t = web.connect(t, 'detectportal.firefox.com', a4[0], port=80)
    t = conn.http(t, http_req('detectportal.firefox.com', '/canonical.html', extra=['Cache-Control: no-cache']),
                  http_resp(200, 'OK', ['Content-Type: text/html', 'Via: 1.1 google', 'Cache-Control: public,must-revalidate,max-age=0,s-maxage=3600',
                                        'Age: 1542'], canon), think=0.004)
    t = conn.http(t + 0.01, http_req('detectportal.firefox.com', '/success.txt?ipv4', extra=['Cache-Control: no-cache']),
                  http_resp(200, 'OK', ['Content-Type: text/plain', 'Via: 1.1 google', 'Age: 1542'], 'success\n'), think=0.003)
    web.finish(conn, t, 'c', idle=12.0)
    t, a4, _ = web.lookup(26.0, 'nmcheck.gnome.org', force=True)
    conn, t = web.connect(t, 'nmcheck.gnome.org', a4[0], port=80)
    t = conn.http(t, http_req('nmcheck.gnome.org', '/check_network_status.txt', ua=nm_ua),
                  http_resp(200, 'OK', ['Content-Type: text/plain', 'Server: nginx', 'X-NetworkManager-Status: online',
                                        'Connection: close'], 'NetworkManager is online\n'), think=0.002)
    conn.close_s(t + 0.0002)
    # periodic re-checks keep succeeding
    ordinary(web, 27.0, 260.0, COMMON, 38, rng)
    for tc in (86.0, 146.0, 206.0):
        t, a4, _ = web.lookup(tc, 'nmcheck.gnome.org')
        conn, t = web.connect(t, 'nmcheck.gnome.org', a4[0], port=80)
        t = conn.http(t, http_req('nmcheck.gnome.org', '/check_network_status.txt', ua=nm_ua),
                      http_resp(200, 'OK', ['Content-Type: text/plain', 'Server: nginx', 'X-NetworkManager-Status: online',
                                            'Connection: close'], 'NetworkManager is online\n'), think=0.002)
        conn.close_s(t + 0.0002)
    save(cap, 'neg_captive_portal.pcap',
         'hotel Wi-Fi captive portal: before login the gateway terminates every port-80 connection itself '
         '(SYN/ACK, HTTP 302 to http://10.42.0.1:8002/index.php?zone=... and FIN all with TTL 64 from the '
         'contacted server IP) for the OS/browser connectivity checks; after the login form is posted the same '
         'server IPs answer with their own TTL (46/56) and the checks and 38 HTTPS visits succeed',
         'A captive portal is the local access network asking for a login, not censorship: it redirects '
         'every destination alike (connectivity-check URLs), it is on the first hop (TTL 64, 2 ms), the whole '
         'intercepted connection comes from it (no race with a genuine answer, no TTL change inside a '
         'connection), the redirect target is the portal\'s own login page on the gateway, and after login '
         'nothing is redirected or dropped. DNS is answered honestly throughout.',
         'Linux SLL v1 (DLT 113) on wlan0, IPv4, ~290 s: 3 intercepted checks, login page + POST on the gateway, 6 genuine checks, 38 HTTPS flows')


# --------------------------------------------------------------------------- 4 corporate proxy

@case
def corp_proxy():
    rng = random.Random(404)
    ifc = Iface(LT_RAW)
    me4 = '10.20.5.77'
    cap = Capture(1718280000, [ifc], [me4])
    c4 = Host(me4, ttl=128, os='windows', rng=rng)
    cap.global_ipid(me4)
    res = Resolver('10.20.0.53', 127, rng, os='windows')
    cap.global_ipid('10.20.0.53', seed=1)
    S = catalogue()
    S['www.msftconnecttest.com'] = Site('www.msftconnecttest.com', ['23.46.202.155'], [], ttl=56, rtt=0.011, dns_ttl=60,
                                        cname=['www.msftncsi.com.edgesuite.net', 'a1961.g2.akamai.net'])
    S['ctldl.windowsupdate.com'] = Site('ctldl.windowsupdate.com', ['93.184.221.240'], [], ttl=56, rtt=0.012, dns_ttl=60,
                                        cname=['audownload.windowsupdate.nsatc.net', 'wu-b-net.trafficmanager.net'])
    S['outlook.office365.com'] = Site('outlook.office365.com', ['52.97.201.226', '52.98.151.66'], [], ttl=111, rtt=0.018,
                                      dns_ttl=30, rotate=True, os='windows')
    S['teams.microsoft.com'] = Site('teams.microsoft.com', ['52.113.194.132'], [], ttl=111, rtt=0.02, dns_ttl=30, os='windows')
    web = Web(cap, rng, c4, None, res=res, dns_rtt=0.003, sites=S, ua=UA_WIN)
    proxy_hosts = {}

    def phost(ip):
        # the transparent proxy terminates TCP: every "server" is really the proxy, 1 hop away (TTL 64),
        # a Linux box (SYN/ACK IP ID 0, per-connection IP IDs); Windows client -> no TCP timestamps
        if ip not in proxy_hosts:
            proxy_hosts[ip] = Host(ip, ttl=64, os='linux', rng=rng)
        return proxy_hosts[ip]

    def visit(t, name, http_path=None, close='c', exch=None):
        t, a4, _ = web.lookup(t, name)
        site = S[name]
        up = site.rtt * rng.uniform(0.95, 1.2)
        conn = Conn(cap, c4, phost(a4[0]), web.nport(), 80 if http_path else 443, up, rng)
        t = conn.connect(t + 0.0002, sa_delay=rng.uniform(0.0006, 0.0011))
        if http_path:
            body = 'Microsoft Connect Test' if 'connecttest' in http_path else rb(rng, 7893)
            hdrs = ['Content-Type: text/plain' if 'connecttest' in http_path else 'Content-Type: application/vnd.ms-cab-compressed',
                    'Cache-Control: max-age=30, must-revalidate', 'Server: AkamaiGHost' if 'connecttest' in http_path else 'Server: ECAcc (frc/4CB6)',
                    'Via: 1.1 proxy-fra-02.corp.acme-industries.com (squid/5.7)',
                    'X-Cache: MISS from proxy-fra-02.corp.acme-industries.com',
                    'X-Cache-Lookup: MISS from proxy-fra-02.corp.acme-industries.com:3128', 'Connection: keep-alive']
            conn.c_send(t + 0.0003, http_req(name, http_path, ua='Microsoft NCSI' if 'connecttest' in http_path else 'Microsoft-CryptoAPI/10.0'))
            conn.tx(t + 0.0003 + 0.0009, conn.s, 'A')
            t = conn.s_send(t + 0.0003 + 2 * up + 0.003, http_resp(200, 'OK', hdrs, body))
        else:
            t = tls13(conn, t + 0.0002, name, rng, resume=name in web.tickets, exch=exch or web.rand_exch(),
                      sh_extra=up + 0.001, early_ack=0.0008)
            web.tickets.add(name)
        return web.finish(conn, t, close)

    visit(0.8, 'www.msftconnecttest.com', '/connecttest.txt')
    visit(2.1, 'ctldl.windowsupdate.com', '/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab')
    names = ['www.wikipedia.org', 'github.com', 'www.bbc.co.uk', 'stackoverflow.com', 'www.google.com',
             'login.microsoftonline.com', 'outlook.office365.com', 'teams.microsoft.com', 'www.microsoft.com',
             'www.heise.de', 'www.spiegel.de', 'duckduckgo.com', 'news.ycombinator.com', 'www.nytimes.com',
             'www.amazon.de', 'twitter.com', 'www.youtube.com', 'www.facebook.com', 'www.torproject.org']
    for st in sorted(rng.uniform(3, 270) for _ in range(48)):
        visit(st, rng.choice(names), close=rng.choice(['c', 'c', 's', 'open']))
    # one long-lived connection the proxy closes after its idle timeout (FIN from the proxy)
    t = visit(5.0, 'outlook.office365.com', close='s', exch=((900, 3400, 0.05),))
    for st in (130.0, 230.0):
        visit(st, 'www.msftconnecttest.com', '/connecttest.txt')
    save(cap, 'neg_corp_proxy.pcap',
         'transparent TCP-terminating corporate proxy: every SYN/ACK, to every server on every continent, comes '
         'back in <1.1 ms with IP TTL 64 and Linux behaviour, while the Windows client sends TTL 128; the '
         'ServerHello arrives only after the real upstream RTT; plain-HTTP answers carry Via/X-Cache headers '
         'naming the proxy; DNS from the internal resolver (TTL 127)',
         'Nothing is blocked: every connection completes its TLS handshake and exchanges data. The uniform TTL 64 '
         'is the local proxy, identical for all servers and consistent within every connection (no packet in '
         'any flow has a TTL different from that flow\'s SYN/ACK), so there is nothing to compare an "injected" '
         'packet against. Via/X-Cache on 200 responses with the expected content (NCSI "Microsoft Connect Test").',
         'raw IP (DLT 101), IPv4, ~275 s, ~53 flows (48 HTTPS + NCSI/CTL HTTP)')


# --------------------------------------------------------------------------- 5 anycast DNS

def dns_tcp(cap, t, chost, rhost, rng, qname, qtype, an, txid, rtt, port, iface=0):
    conn = Conn(cap, chost, rhost, port, 53, rtt, rng, iface=iface)
    t = conn.connect(t)
    q = dns_msg(txid, 0x0100, qname, qtype)
    conn.c_send(t + 0.0001, u16(len(q)) + q)
    r = dns_msg(txid, 0x8180, qname, qtype, an=an)
    t = conn.s_send(t + 0.0001 + rtt + 0.003, u16(len(r)) + r)
    return conn.close_c(t + 0.0004)


GOOGLE_TXT = ['v=spf1 include:_spf.google.com ~all',
              'google-site-verification=TV9-DBe4R80X4v0M4U_bd_J9cpOJM0nikft0jAgjmsQ',
              'docusign=05958488-4752-4ef2-95eb-aa7ba8a3bd0e',
              'facebook-domain-verification=22rm551cu4k0ab0bxsw536tlds4h95',
              'globalsign-smime-dv=CDYX+XFHUw2wml6/Gb8+59BsH31KzUr6c1l2BPvqKX8=',
              'onetrust-domain-verification=de01ed21f2fa4d8781cbc3ffb89cf4ef',
              'apple-domain-verification=30afIBcvSuDV2PLX',
              'google-site-verification=wD8N7i1JTNTkezJ49swvWW48f8_9xveREV4oB-0Hf5o',
              'MS=E4A68B9AB2BB9670BCE15412F62916164C0B20BB',
              'docusign=1b0a6754-49b1-4db5-8540-d2c12664b289',
              'cisco-ci-domain-verification=479146de172eb01ddee38b1a455ab9e8bb51542ddd7f1fa298557dfa7b22d963',
              'webexdomainverification.8YX6G=6e6922db-e3e6-4a36-904e-a805c28087fa']
MS_TXT = ['v=spf1 include:_spf-a.microsoft.com include:_spf-b.microsoft.com include:_spf-c.microsoft.com '
          'include:_spf-ssg-a.msft.net include:spf-a.hotmail.com include:_spf1-meo.microsoft.com -all'] + \
         [f'{k}=' + ''.join('0123456789abcdef'[(i * 7 + j * 13) % 16] for j in range(44))
          for i, k in enumerate(['google-site-verification', 'adobe-idp-site-verification', 'docusign',
                                 'facebook-domain-verification', 'atlassian-domain-verification',
                                 'hubspot-developer-verification', 'd365mktkey', 'FuPSbmyYCbvcpu',
                                 'apple-domain-verification', 'teamviewer-sso-verification',
                                 'mixpanel-domain-verify', 'fg2t0gov9424p2tdcuo94goe9j', 'workplace-domain-verification',
                                 'ms-domain-verification', 'shopify-verification-code', 'stripe-verification',
                                 'smartsheet-site-validation', 'miro-verification', 'zoom-domain-verification',
                                 'canva-site-verification', 'slack-domain-verification', 'dropbox-domain-verification',
                                 'webex-domain-verification'])]


@case
def anycast_dns():
    rng = random.Random(505)
    ifc = Iface(LT_EN10MB, me='f0:2f:74:c1:0a:11', gw='e4:8d:8c:3a:00:01', nano=True)
    me4, me6 = '192.168.1.20', '2a01:4b00:8e21:d900:1c4e:88ff:fe12:3456'
    cap = Capture(1718366400, [ifc], [me4, me6])
    c4, c6 = Host(me4, ttl=64, rng=rng), Host(me6, ttl=64, rng=rng)
    T_RC = 305.0   # the anycast route to Quad9 moves to another site here (and stays there)
    res4 = Resolver('9.9.9.9', 59, rng, ttl_at=lambda t: 59 if t < T_RC else 56)
    res6 = Resolver('2620:fe::fe', 58, rng, ttl_at=lambda t: 58 if t < T_RC else 52)
    rtt4 = lambda t: (0.009 if t < T_RC else 0.021) * rng.uniform(0.9, 1.2)
    S = catalogue()
    S['lb.fleet-telemetry.net'] = Site('lb.fleet-telemetry.net', ['52.29.181.7', '3.121.60.214', '18.192.40.83'], [],
                                       ttl=238, rtt=0.011, dns_ttl=0, rotate=True, pick=1)
    web = Web(cap, rng, c4, c6, res=res4, res6=res6, dns_rtt=0.012, sites=S, ua=UA_FF, prefer6=True)
    names = ['www.wikipedia.org', 'github.com', 'www.bbc.co.uk', 'stackoverflow.com', 'www.google.com',
             'www.heise.de', 'duckduckgo.com', 'news.ycombinator.com', 'www.nytimes.com', 'www.apple.com',
             'www.microsoft.com', 'www.reddit.com', 'www.theguardian.com', 'mail.proton.me']

    # phase 1 and phase 2 ordinary browsing; the geo-DNS answer for Akamai names differs after the move
    ordinary(web, 1.0, T_RC - 5, names, 18, rng)
    S['www.apple.com'].a = ['23.212.249.71']
    S['www.apple.com'].aaaa = ['2a02:26f0:ec00:18e::1aca']
    S['www.microsoft.com'].a = ['23.196.172.243']
    S['www.microsoft.com'].aaaa = ['2a02:26f0:ec00:187::356e']
    web.dns_rtt = 0.024
    ordinary(web, T_RC + 2, 590.0, names, 18, rng)

    # an app polling a load-balanced name with TTL 0 (new answer every query) and connecting to it
    tq = 7.0
    while tq < 590:
        t, a4, _ = web.lookup(tq, 'lb.fleet-telemetry.net', force=True, qtypes=['A'])
        if rng.random() < 0.5:
            web.https(t, 'lb.fleet-telemetry.net', dns=False, ip=a4[0], exch=((380, 220, 0.03),),
                      close='c', idle=0.5)
        tq += rng.uniform(25, 40)

    # Chrome-style random single-label probes -> NXDOMAIN from the root
    root_soa = ('', 'SOA', 86400, ('a.root-servers.net', 'nstld.verisign-grs.com', 2024061400, 1800, 900, 604800, 86400))
    for tq in (0.31, 0.312, 0.314):
        lab = ''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(rng.randint(7, 15)))
        sk = UdpSock(c4, web.nport(), rng)
        dns_lookup(cap, tq, sk, res4, lab, 'A', ns=[root_soa], rcode=3, rtt=0.011, rng=rng)

    # truncated UDP answers retried over TCP (empty TC answer; partial TC answer)
    for tq, qn, recs, partial in ((62.5, 'google.com', GOOGLE_TXT, 0), (401.2, 'microsoft.com', MS_TXT, 5)):
        sk = UdpSock(c4, web.nport(), rng)
        txid = rng.getrandbits(16)
        an = [(qn, 'TXT', 3600, r) for r in recs]
        rt = dns_lookup(cap, tq, sk, res4, qn, 'TXT', an=an[:partial], rtt=rtt4(tq), txid=txid, flags=0x8380, rng=rng)
        rh = Host('9.9.9.9', ttl=59 if tq < T_RC else 56, rng=rng)
        dns_tcp(cap, rt + 0.0005, c4, rh, rng, qn, 'TXT', an, rng.getrandbits(16), rtt4(tq), web.nport())

    # a slow first answer: the client retransmits the same query after 1 s and both answers arrive;
    # the RRset is identical, only the round-robin order differs
    for tq, qn, ips in ((143.7, 'downloads.openwrt-mirror.eu', ['195.201.104.62', '138.201.51.22', '159.69.88.123']),
                        (455.0, 'pkg.vendor-updates.io', ['104.21.48.60', '172.67.211.18'])):
        sk = UdpSock(c4, web.nport(), rng)
        txid = rng.getrandbits(16)
        q = dns_msg(txid, 0x0100, qn, 'A')
        sk.send(cap, tq, '9.9.9.9', 53, q)
        sk.send(cap, tq + 1.0, '9.9.9.9', 53, q)
        r1 = dns_msg(txid, 0x8180, qn, 'A', an=[(qn, 'A', 300, ip) for ip in ips])
        r2 = dns_msg(txid, 0x8180, qn, 'A', an=[(qn, 'A', 300, ip) for ip in ips[1:] + ips[:1]])
        res4.reply(cap, tq + 1.0 + rtt4(tq) + 0.0007, c4, sk.port, r1)
        res4.reply(cap, tq + 1.0 + rtt4(tq) + 0.0013, c4, sk.port, r2)

    # queries over IPv6 to the same anycast service, before and after the route change
    v6names = ['www.debian.org', 'www.torproject.org', 'upload.wikimedia.org', 'fonts.gstatic.com', 'i.ytimg.com',
               'cdn.jsdelivr.net', 'www.facebook.com', 'www.youtube.com']
    for k, tq in enumerate(sorted(rng.uniform(10, 590) for _ in range(26))):
        qn = v6names[k % len(v6names)]
        sk = UdpSock(c6, web.nport(), rng)
        for j, qt in enumerate(('AAAA', 'A')):
            an = S[qn].answers(qt, k)
            ns = [] if any(r[1] == qt for r in an) else [soa_for(zone_of(qn))]
            dns_lookup(cap, tq + j * 0.00005, sk, res6, qn, qt, an=an, ns=ns,
                       rtt=(0.008 if tq < T_RC else 0.019) * rng.uniform(0.9, 1.2), rng=rng)
    save(cap, 'neg_anycast_dns.pcap',
         'anycast resolver (Quad9 9.9.9.9 / 2620:fe::fe): at t~305 s the route moves and the same resolver '
         'addresses answer with IP TTL 56 / hop limit 52 instead of 59 / 58 for the rest of the capture (and '
         'CDN geo answers change with it); a TTL-0 load-balanced name answered differently on every query; '
         'TC=1 UDP answers (one empty, one partial) followed by a TCP retry with the full RRset; a slow '
         'answer where the client retransmits the same query (same ID) and gets two replies with the same '
         'RRset in rotated order; Chrome random-label NXDOMAINs',
         'The TTL shift is one step that persists (a route change), not per-response variation; every '
         'query gets exactly one answer except the retransmitted one whose two replies carry the same RRset; '
         'the UDP/TCP difference is truncation signalled by the TC bit and the TCP answer is a superset; '
         'TTL-0 rotation and geo answers all point to addresses that then serve TLS normally.',
         'Ethernet pcap with nanosecond timestamps, IPv4+IPv6, ~610 s, ~125 DNS queries (2 over TCP) + ~42 HTTPS flows')


# --------------------------------------------------------------------------- 6 idle resets

@case
def idle_reset():
    rng = random.Random(606)
    ifc = Iface(LT_EN10MB, me='54:ee:75:9c:10:42', gw='cc:ce:1e:55:90:01')
    me4, me6 = '192.168.0.42', '2a02:810d:4b3f:a200:d4c1:7aff:fe0b:9e42'
    cap = Capture(1718452800, [ifc], [me4, me6])
    c4, c6 = Host(me4, ttl=64, rng=rng), Host(me6, ttl=64, rng=rng)
    res = Resolver('192.168.0.1', 64, rng, df=True)
    S = catalogue()
    S['api.shopfront-cloud.com'] = Site('api.shopfront-cloud.com', ['3.125.197.172', '18.158.61.8'], [], ttl=232, rtt=0.012,
                                        dns_ttl=60, rotate=True, pick=2,
                                        cname=['shopfront-prod-alb-1873401557.eu-central-1.elb.amazonaws.com'])
    S['www.regionalzeitung-nord.de'] = Site('www.regionalzeitung-nord.de', ['91.198.63.11'], ['2a00:1158:3:1a::11'],
                                            ttl=57, rtt=0.015, dns_ttl=3600)
    S['intranet-app.kanzlei-schmidt.de'] = Site('intranet-app.kanzlei-schmidt.de', ['212.227.84.137'], [], ttl=113,
                                                rtt=0.016, os='windows', dns_ttl=3600)
    S['status.cloud-backup.eu'] = Site('status.cloud-backup.eu', ['185.244.192.40'], ['2a0a:4cc0:1:e3::40'], ttl=58, rtt=0.019,
                                       dns_ttl=300)
    web = Web(cap, rng, c4, c6, res=res, dns_rtt=0.013, sites=S, ua=UA_FF)

    # (a) load balancer with a 60 s idle timeout: RST/ACK from the LB 60 s after the last request
    for st in (4.0, 151.0):
        t, a4, _ = web.lookup(st, 'api.shopfront-cloud.com')
        conn, t = web.connect(t, 'api.shopfront-cloud.com', a4[0])
        t = tls13(conn, t, 'api.shopfront-cloud.com', rng, alpn=('http/1.1',), resume='api.shopfront-cloud.com' in web.tickets,
                  exch=((520, 1800, 0.04), (530, 2400, 0.05), (505, 900, 0.03)))
        web.tickets.add('api.shopfront-cloud.com')
        last_req = t - 0.06
        conn.tx(last_req + 60.0 + conn.rtt / 2, conn.s, 'RA', win=0, ts=False)

    # (b) IPv6 web server resetting idle keep-alive connections after 65 s
    for st in (12.0, 96.0, 201.0):
        t, a4, a6 = web.lookup(st, 'status.cloud-backup.eu')
        conn, t = web.connect(t, 'status.cloud-backup.eu', a6[0])
        t = tls13(conn, t, 'status.cloud-backup.eu', rng, resume='status.cloud-backup.eu' in web.tickets,
                  exch=((610, 5300, 0.03),))
        web.tickets.add('status.cloud-backup.eu')
        conn.rst_active(t + 65.0, conn.s)

    # (c) plain-HTTP keep-alive race: the client reuses the idle connection just as the server's
    #     keep-alive timer fires -> the server's RST/ACK, then a stack RST (IP ID 0) for the request
    #     that reached a closed socket; the browser retries the very same request on a new connection
    name = 'www.regionalzeitung-nord.de'
    t, a4, _ = web.lookup(30.0, name)
    conn, t = web.connect(t, name, a4[0], port=80)
    hdr = ['Content-Type: text/html; charset=utf-8', 'Server: nginx', 'Keep-Alive: timeout=75',
           'Cache-Control: max-age=60', 'Vary: Accept-Encoding']
    page = filler_body(rng, 48000)
    t = conn.http(t, http_req(name, '/politik/landtag-wahl-ergebnisse-2024.html'),
                  http_resp(200, 'OK', hdr, page), think=0.035)
    t = conn.http(t + 0.2, http_req(name, '/static/css/main.4f1c2b.css', extra=['Referer: http://' + name + '/']),
                  http_resp(200, 'OK', ['Content-Type: text/css', 'Server: nginx', 'Keep-Alive: timeout=75'],
                            filler_body(rng, 9100, 'txt')), think=0.004)
    # 75 s later the user clicks the next article
    tq = t + 75.0 - conn.rtt / 2 - 0.004
    req = http_req(name, '/politik/demonstration-innenstadt-polizei.html', extra=['Referer: http://' + name + '/'])
    conn.c_send(tq, req)
    conn.rst_active(tq + 0.004, conn.s)                          # timer fired before the request arrived
    conn.stray_rst(tq + conn.rtt + 0.0001, conn.s, conn.s.nxt)     # request hits the closed socket
    # retry on a fresh connection: same path, same Host -> answered normally
    conn2, t = web.connect(tq + conn.rtt + 0.0015, name, a4[0], port=80)
    t = conn2.http(t, req, http_resp(200, 'OK', hdr, filler_body(rng, 52000)), think=0.04)
    web.finish(conn2, t, 'c', idle=20.0)

    # (d) IIS application server resetting its idle sessions after 120 s (Windows IP IDs)
    t, a4, _ = web.lookup(40.0, 'intranet-app.kanzlei-schmidt.de')
    conn, t = web.connect(t, 'intranet-app.kanzlei-schmidt.de', a4[0])
    t = tls13(conn, t, 'intranet-app.kanzlei-schmidt.de', rng, exch=((800, 14000, 0.09), (700, 2100, 0.06)))
    conn.tx(t + 120.0, conn.s, 'RA', win=0)

    ordinary(web, 1.0, 285.0, COMMON, 40, rng)
    save(cap, 'neg_idle_reset.pcap',
         'servers and load balancers resetting idle keep-alive connections: an AWS ALB (TTL 232) sends RST/ACK '
         '60 s after the last request, an IPv6 nginx after 65 s (RST/ACK with non-zero window and TCP timestamps, '
         'as Linux socket resets have), an IIS server after 120 s; a plain-HTTP '
         'keep-alive race where the client sends a news-article GET on the idle connection exactly when the '
         'server times it out: RST/ACK + a second stack RST (flags R, IP ID 0, DF) right after the request, '
         'then the identical request succeeds on a new connection',
         'Each RST carries the server\'s own TTL and IP-ID sequence and exactly the server\'s next sequence '
         'number (the Linux servers\' socket resets also carry their current window and TCP timestamps, as '
         'tcp_send_active_reset does), arrives long after the last exchange (idle timeout) or as the stack\'s '
         'answer to a segment on a closed socket (window 0, IP ID 0); the '
         '"triggering" GET is retried at once with the same Host and path and is answered 200, so nothing '
         'about the request content is being filtered and there is no residual blocking.',
         'Ethernet pcap (us), IPv4+IPv6, ~300 s, 7 idle-reset connections, 1 keep-alive race + retry, 40 ordinary flows')


# --------------------------------------------------------------------------- 7 TLS alert for unknown SNI

@case
def tls_alert_sni():
    rng = random.Random(707)
    ifc = Iface(LT_SLL2, me='9c:b6:d0:0f:44:e1', gw='00:1e:58:aa:02:17', ifindex=4)
    me4 = '192.168.50.10'
    cap = Capture(1718539200, [ifc], [me4])
    c4 = Host(me4, ttl=64, rng=rng)
    res = Resolver('192.168.50.1', 64, rng, df=True)
    S = catalogue()
    shared = '81.169.145.94'      # shared hosting
    cf = '104.21.37.142'          # CDN edge
    for n in ('www.baeckerei-mueller.de', 'shop.baeckerei-mueller.de', 'baeckerei-mueller-alt.de'):
        S[n] = Site(n, [shared], [], ttl=55, rtt=0.017, dns_ttl=3600)
    for n in ('www.example-startup.io', 'docs.example-startup.io', 'old-blog.example-startup.io'):
        S[n] = Site(n, [cf, '172.67.209.30'], ['2606:4700:3035::6815:258e'], ttl=58, rtt=0.011, dns_ttl=300)
    web = Web(cap, rng, c4, None, res=res, dns_rtt=0.012, sites=S, ua=UA_FF)

    def refused(t, name, desc):
        """The server reads the ClientHello, does not host that name, answers a fatal alert and closes."""
        t, a4, _ = web.lookup(t, name)
        conn, t = web.connect(t, name, a4[0])
        ch = client_hello(rng, name)
        conn.c_send(t, record(0x16, ch, ver=0x0301))
        ta = t + conn.rtt + 0.0006
        conn.tx(ta, conn.s, 'PA', alert(2, desc))
        conn.tx(ta + 0.00006, conn.s, 'FA')
        conn.tx(ta + 0.0001, conn.c, 'A')
        conn.tx(ta + 0.0009, conn.c, 'FA')
        return conn.tx(ta + 0.0009 + conn.rtt, conn.s, 'A')

    # the old domain still points at the shared host, which no longer serves it: alert 112 unrecognized_name
    plan = [(3.0, 'www.baeckerei-mueller.de', None), (21.0, 'baeckerei-mueller-alt.de', 112),
            (27.5, 'baeckerei-mueller-alt.de', 112), (29.0, 'www.baeckerei-mueller.de', None),
            (30.2, 'shop.baeckerei-mueller.de', None), (122.0, 'baeckerei-mueller-alt.de', 112),
            (123.4, 'shop.baeckerei-mueller.de', None),
            # a CDN answering handshake_failure (40) for a zone no longer on it, other zones fine
            (60.0, 'www.example-startup.io', None), (64.0, 'old-blog.example-startup.io', 40),
            (66.1, 'docs.example-startup.io', None), (180.0, 'old-blog.example-startup.io', 40),
            (182.0, 'www.example-startup.io', None)]
    for st, n, desc in plan:
        if desc:
            refused(st, n, desc)
        else:
            web.https(st, n, close=rng.choice(['c', 's']), ip=S[n].a[0])
    ordinary(web, 1.0, 240.0, COMMON, 36, rng)
    save(cap, 'neg_tls_alert_sni.pcap',
         'servers that read the ClientHello and refuse a name they do not host: a shared host answers a fatal '
         'TLS alert 112 unrecognized_name + FIN for an expired domain still pointing at it (3 tries), while '
         'other names on the same IP complete; a CDN edge answers alert 40 handshake_failure for a zone no '
         'longer on it while sibling names on the same IP work',
         'The close is a TLS alert record written by the server itself (same TTL, IP ID sequence and timing '
         'as its SYN/ACK, exactly one RTT), i.e. an application answer, not a reset or silence; alert 112 is '
         'the documented normal reply for an SNI the server does not host. Same-IP/other-SNI success here '
         'is not a natural control proving filtering, because the server itself says why it refuses.',
         'Linux SLL2 (DLT 276), IPv4, ~240 s, 5 refused handshakes, 7 same-IP successes, 36 ordinary flows')


# --------------------------------------------------------------------------- 8 legacy TLS version -> server FIN

@case
def tls_version_fin():
    rng = random.Random(808)
    ifc = Iface(LT_EN10MB, me='b8:27:eb:4d:10:77', gw='74:ac:b9:e2:11:01')
    me4 = '192.168.2.77'
    cap = Capture(1718625600, [ifc], [me4])
    c4 = Host(me4, ttl=64, rng=rng)
    res = Resolver('192.168.2.1', 64, rng, df=True)
    S = catalogue()
    S['api.weatherlink-cloud.com'] = Site('api.weatherlink-cloud.com', ['52.57.118.40'], [], ttl=240, rtt=0.013,
                                          dns_ttl=300)
    S['epg.tvguide-service.net'] = Site('epg.tvguide-service.net', ['185.48.116.21'], [], ttl=53, rtt=0.021,
                                        dns_ttl=600)
    web = Web(cap, rng, c4, None, res=res, dns_rtt=0.012, sites=S, ua=UA_FF)

    def legacy(t, name, ver, how):
        """An old client offering only TLS 1.0/1.1.  how='fin': the server ACKs the ClientHello and closes
        at once (FIN); how='alert': protocol_version alert, then FIN."""
        t, a4, _ = web.lookup(t, name, qtypes=['A'])
        conn, t = web.connect(t, name, a4[0])
        ch = client_hello(rng, name, legacy=ver)
        conn.c_send(t, record(0x16, ch, ver=0x0301))
        ta = t + conn.rtt + 0.0004
        if how == 'alert':
            conn.tx(ta, conn.s, 'PA', alert(2, 70, ver=ver))
            conn.tx(ta + 0.00005, conn.s, 'FA')
        else:
            conn.tx(ta, conn.s, 'FA')
        conn.tx(ta + 0.0001, conn.c, 'A')
        conn.tx(ta + 0.0004, conn.c, 'FA')
        return conn.tx(ta + 0.0004 + conn.rtt, conn.s, 'A')

    # a weather station firmware (TLS 1.0 only) uploads every 60 s and is always turned away
    for k in range(5):
        legacy(5.0 + 60.0 * k, 'api.weatherlink-cloud.com', 0x0301, 'fin')
    # meanwhile a browser opens the same API name (same IP, same SNI) with TLS 1.3: fine
    for st in (31.0, 152.0):
        web.https(st, 'api.weatherlink-cloud.com', close='c', exch=((640, 3900, 0.05), (610, 2300, 0.04)))
    # an old smart TV offering TLS 1.1 gets alert protocol_version; a modern client to the same name works
    for st in (17.0, 140.0):
        legacy(st, 'epg.tvguide-service.net', 0x0302, 'alert')
    web.https(90.0, 'epg.tvguide-service.net', close='s')
    ordinary(web, 1.0, 290.0, COMMON, 34, rng)
    save(cap, 'neg_tls_version_fin.pcap',
         'server closing the connection right after the ClientHello because the client offers only TLS 1.0: '
         'ACK+FIN from the server one RTT after the hello, no ServerHello, repeated every 60 s for 5 minutes; '
         'a TLS 1.1 client gets alert protocol_version(70) + FIN; the server IP uses initial TTL 255 (observed 240)',
         'The FIN carries the server\'s own TTL and IP-ID sequence; the same SNI on the same IP completes TLS 1.3 '
         'handshakes from a modern client in between the failures, so the name is not what is refused; the '
         'refused hellos differ only in offering an obsolete protocol version (legacy_version 0x0301, no '
         'supported_versions/key_share).',
         'Ethernet pcap (us), IPv4, ~300 s, 7 refused legacy handshakes, 3 successful modern ones, 34 ordinary flows')


# --------------------------------------------------------------------------- 9 QUIC: port unreachable + migration

def https_rr(alpn=('h3', 'h2')):
    return (1, '', [(1, b''.join(vec8(a.encode()) for a in alpn))])


def lookup3(web, t, name, https_ans):
    """Chrome-style A + AAAA + HTTPS queries on one socket."""
    t, a4, a6 = web.lookup(t, name)
    sk = UdpSock(web.c4, web.nport(), web.rng)
    an = [(name, 'HTTPS', 300, https_ans)] if https_ans else []
    ns = [] if an else [soa_for(zone_of(name))]
    t2 = dns_lookup(web.cap, t - 0.0002, sk, web.res, name, 'HTTPS', an=an, ns=ns, rtt=web.dns_rtt, rng=web.rng)
    return max(t, t2), a4, a6


@case
def quic_icmp_migration():
    rng = random.Random(909)
    ifc = Iface(LT_EN10MB, me='d8:bb:c1:72:5e:66', gw='44:4e:6d:b0:0c:01')
    me4 = '192.168.1.66'
    cap = Capture(1718712000, [ifc], [me4])
    c4 = Host(me4, ttl=64, rng=rng)
    res = Resolver('192.168.1.1', 64, rng, df=True)
    S = catalogue()
    A = '217.160.0.201'
    for n in ('www.tischlerei-holzwerk.de', 'shop.tischlerei-holzwerk.de', 'termine.tischlerei-holzwerk.de'):
        S[n] = Site(n, [A], [], ttl=55, rtt=0.014, dns_ttl=3600)
    web = Web(cap, rng, c4, None, res=res, dns_rtt=0.012, sites=S, ua=UA_CHROME)
    srvA = web.srv(S['www.tischlerei-holzwerk.de'], A)

    # (a) the hoster publishes an HTTPS record with alpn h3 but UDP/443 is closed on the host:
    #     every QUIC Initial draws ICMP port unreachable from the server itself; TCP wins the race
    for st, n in ((4.0, 'www.tischlerei-holzwerk.de'), (9.5, 'shop.tischlerei-holzwerk.de'),
                  (140.0, 'termine.tischlerei-holzwerk.de'), (143.0, 'www.tischlerei-holzwerk.de')):
        t, a4, _ = lookup3(web, st, n, https_rr())
        sk = UdpSock(c4, web.nport(), rng)
        qc = QuicConn(cap, sk, srvA, rng, n, 0.014)
        pkt = qc.initial(t + 0.0001)
        orig = mk_ip(c4, A, UDP(sport=sk.port, dport=443) / Raw(pkt), ipid=sk.ipid - 1, df=True)
        quoted = with_ttl4(orig, 64 - 9)[:548]
        cap.add(t + 0.0001 + 0.0142, icmp4_quote(srvA, me4, quoted, 3, 3, ipid=rng.getrandbits(16)))
        web.https(t + 0.0003, n, dns=False, ip=A, close=rng.choice(['c', 's']))

    # (b) QUIC to a big provider works; ~20 s in, the Wi-Fi stalls, the client's packets go unanswered
    #     for ~1 s and Chrome migrates the connection to a new UDP port (PATH_CHALLENGE/RESPONSE)
    t, a4, _ = lookup3(web, 30.0, 'www.youtube.com', (1, '', [(1, vec8(b'h3') + vec8(b'h2'))]))
    g = web.srv(S['www.youtube.com'], a4[0])
    sk = UdpSock(c4, web.nport(), rng)
    qc = QuicConn(cap, sk, g, rng, 'www.youtube.com', 0.015)
    t = qc.handshake(t + 0.0002, exch=((420, 38000), (380, 120000), (300, 9000)))
    t += 18.0
    for k in range(4):                          # path degrading: nothing comes back
        qc.c_short(t + [0, 0.21, 0.63, 1.05][k], 60 if k else 380)
    t += 1.3
    sk2 = UdpSock(c4, web.nport(), rng)
    qc.cs = sk2                                 # port migration: same connection IDs, new 4-tuple
    qc.c_short(t, 90)                           # PATH_CHALLENGE (+ retransmitted request)
    qc.s_dgram(t + qc.rtt + 0.0003, qc.short(95, client=False))   # PATH_RESPONSE
    t = qc.exchange(t + qc.rtt + 0.002, 380, 140000)
    t = qc.exchange(t + 4.0, 310, 60000)

    # (c) another QUIC server behaving normally
    t, a4, _ = lookup3(web, 80.0, 'cdn.jsdelivr.net', (1, '', [(1, vec8(b'h3') + vec8(b'h2'))]))
    h = web.srv(S['cdn.jsdelivr.net'], a4[0])
    qc3 = QuicConn(cap, UdpSock(c4, web.nport(), rng), h, rng, 'cdn.jsdelivr.net', 0.011)
    qc3.handshake(t + 0.0002, exch=((350, 24000), (330, 61000)))

    ordinary(web, 1.0, 200.0, COMMON, 26, rng)
    save(cap, 'neg_quic_icmp_migration.pcap',
         'QUIC that "fails": (a) Initials to a host whose DNS HTTPS record advertises h3 but whose UDP/443 is '
         'closed draw ICMP port-unreachable from the server itself, Chrome falls back to TCP/TLS which '
         'works, for three names on that IP; (b) a working QUIC connection whose client packets go '
         'unanswered for ~1 s and which then continues on a new UDP source port (connection migration with '
         'the same connection IDs), the old 4-tuple never used again',
         '(a) ICMP port unreachable from the destination itself (TTL consistent with its TCP packets, quoting '
         'our Initial) is the host saying nothing listens there - identical for every name, immediate, and '
         'TCP to the same IP/SNI succeeds; (b) the "dead" 4-tuple is a connection that moved: the same '
         'connection keeps exchanging data on the new port right after.',
         'Ethernet pcap (us), IPv4, ~200 s, 4 QUIC->ICMP->TCP fallbacks, 2 QUIC connections, 26 TCP flows')


# --------------------------------------------------------------------------- 10 QUIC never answered by one server

@case
def quic_never():
    rng = random.Random(1010)
    ifc = Iface(LT_RAW)
    me4 = '10.8.0.6'
    cap = Capture(1718798400, [ifc], [me4])
    c4 = Host(me4, ttl=64, rng=rng)
    res = Resolver('10.8.0.1', 64, rng, df=True)
    S = catalogue()
    D = '193.46.215.90'
    for n in ('www.morgenpost-archiv.de', 'img.morgenpost-archiv.de', 'static.morgenpost-archiv.de'):
        S[n] = Site(n, [D], [], ttl=112, rtt=0.031, os='windows', dns_ttl=3600)
    web = Web(cap, rng, c4, None, res=res, dns_rtt=0.03, sites=S, ua=UA_CHROME)
    srvD = web.srv(S['www.morgenpost-archiv.de'], D)

    def race(st, n):
        """Chrome has an Alt-Svc h3 entry cached for the site (learned earlier, inside TLS) and races a QUIC
        Initial with TCP. UDP/443 on this (Windows/IIS) host is dropped by its own firewall - no reply,
        ever, for any name; TCP wins after one RTT and the QUIC attempt is given up after two probe
        retransmissions (alt-svc marked broken for 5 minutes).  The site publishes no HTTPS record."""
        t, a4, _ = lookup3(web, st, n, None)
        qc = QuicConn(cap, UdpSock(c4, web.nport(), rng), srvD, rng, n, 0.031)
        pkt = qc.initial(t + 0.0001)
        for dt in (0.3, 0.9):
            qc.initial(t + 0.0001 + dt)
        web.https(t + 0.0003, n, dns=False, ip=D, close=rng.choice(['c', 's']))
        # later resources on the same site go straight to TCP while alt-svc is marked broken
        for k in range(rng.randint(2, 4)):
            n2 = rng.choice(['img.morgenpost-archiv.de', 'static.morgenpost-archiv.de', 'www.morgenpost-archiv.de'])
            web.https(t + 0.5 + k * rng.uniform(0.2, 3), n2, ip=D, close=rng.choice(['c', 's', 'open']))

    race(6.0, 'www.morgenpost-archiv.de')
    race(322.0, 'img.morgenpost-archiv.de')
    race(640.0, 'static.morgenpost-archiv.de')

    # QUIC works fine with servers that speak it
    for st, n, ex in ((40.0, 'www.youtube.com', ((430, 41000), (350, 180000))), (200.0, 'i.ytimg.com', ((300, 52000),)),
                      (420.0, 'www.google.com', ((500, 23000),)), (500.0, 'cdn.jsdelivr.net', ((340, 15000), (320, 28000)))):
        t, a4, _ = lookup3(web, st, n, https_rr())
        h = web.srv(S[n], a4[0])
        QuicConn(cap, UdpSock(c4, web.nport(), rng), h, rng, n, S[n].rtt * 1.8).handshake(t + 0.0002, exch=ex)
    ordinary(web, 1.0, 690.0, COMMON, 34, rng)
    save(cap, 'neg_quic_never.pcap',
         'QUIC Initials to one server are never answered while TCP/TLS to the same IP and names succeeds '
         'every time: a Windows/IIS host (no HTTPS DNS record; the client races QUIC from a cached Alt-Svc) '
         'whose own firewall drops UDP/443; three attempts ~5 min apart with three different SNIs, each 3 '
         'Initials (PN 0-2, same CRYPTO data) then abandoned '
         'once TCP has won; QUIC to Google and a CDN in the same capture works',
         'No QUIC datagram from this server ever arrives, for any name, from the first attempt on, with no '
         'preceding trigger and no change over 11 minutes, while TCP to the very same SNIs works at the same '
         'moment: the server simply does not speak QUIC. A censor filtering by QUIC SNI would let other '
         'names through, and the client gives up after <1 s because TCP already won (no handshake timeout '
         'was ever reached).',
         'raw IP (DLT 101, VPN tun0), IPv4, ~670 s, 3 unanswered QUIC races, 4 working QUIC connections, ~48 TCP flows')


# --------------------------------------------------------------------------- 11 slow mobile network

@case
def mobile_slow():
    rng = random.Random(1111)
    ifc = Iface(LT_SLL, hatype=519)          # rmnet_data0 on Android: ARPHRD_RAWIP, no hw address
    me4 = '100.78.23.9'
    cap = Capture(1718884800, [ifc], [me4])
    c4 = Host(me4, ttl=64, rng=rng)
    res = Resolver('10.177.0.34', 61, rng)
    S = catalogue()
    fastly = '151.101.36.159'
    for n in ('pbs.twimg.com', 'abs.twimg.com', 'video.twimg.com'):
        S[n] = Site(n, [fastly], [], ttl=57, rtt=0.21, dns_ttl=300, cname=['dualstack.twimg.twitter.map.fastly.net'])
    S['www.redditstatic.com'] = Site('www.redditstatic.com', [fastly], [], ttl=57, rtt=0.21, dns_ttl=300,
                                     cname=['dualstack.reddit.map.fastly.net'])
    S['i.redd.it'] = Site('i.redd.it', [fastly], [], ttl=57, rtt=0.21, dns_ttl=300, cname=['dualstack.reddit.map.fastly.net'])
    web = Web(cap, rng, c4, None, res=res, dns_rtt=0.19, sites=S, ua=UA_CHROME)
    for s_ in S.values():
        s_.rtt = max(s_.rtt, 0.17)
    names = ['pbs.twimg.com', 'abs.twimg.com', 'video.twimg.com', 'www.redditstatic.com', 'i.redd.it', 'twitter.com',
             'x.com', 'www.wikipedia.org', 'upload.wikimedia.org', 'www.google.com', 'www.bbc.co.uk', 'github.com',
             'www.heise.de', 'www.spiegel.de', 'duckduckgo.com', 'www.youtube.com', 'i.ytimg.com', 'www.amazon.de']
    starts = sorted(rng.uniform(1, 200) for _ in range(34))
    for k, st in enumerate(starts):
        n = names[k % len(names)] if k < len(names) else rng.choice(names)
        rate = rng.uniform(131e3, 149e3)           # the plan's post-quota speed cap: ~140 kbit/s for everything
        rtt = S[n].rtt * rng.uniform(1.0, 1.8)    # bufferbloat: RTT grows under load
        size = rng.choice([rng.randint(4000, 30000), rng.randint(40000, 160000)])
        nseg = size // 1400
        loss = tuple(sorted(rng.sample(range(2, max(3, nseg)), k=min(max(0, nseg // 70), max(0, nseg - 3)))))
        web.https(st, n, exch=((rng.randint(350, 900), size, rng.uniform(0.03, 0.2), loss),), rate=rate, rtt=rtt,
                  close=rng.choice(['c', 's', 'open']))
    save(cap, 'neg_mobile_slow.pcap',
         'a phone on a mobile plan whose high-speed quota is used up: every flow, to every server and every SNI '
         '(pbs/abs/video.twimg.com, twitter.com, x.com, but equally wikipedia, google, bbc, heise, github and '
         'non-Twitter names on the very same Fastly IP) runs at ~131-149 kbit/s with 170-380 ms RTT and '
         'occasional loss',
         'Throttling is only a finding when a flow is held far below what the same server delivers to an '
         'innocuous flow; here innocuous names on the same IP and on unrelated servers get the same ~140 kbit/s '
         'cap from the first packet on (including DNS RTTs of ~200 ms), so the cap is the access link, not '
         'SNI-triggered policing.',
         'Linux SLL v1 (DLT 113, ARPHRD_RAWIP rmnet), IPv4 CGNAT, ~210 s, 34 HTTPS flows all ~140 kbit/s')


# --------------------------------------------------------------------------- 12 big names, genuine answers

@case
def bignames_dns():
    rng = random.Random(1212)
    ifc = Iface(LT_EN10MB, me='28:d2:44:6a:19:05', gw='00:31:92:c4:7e:01')
    me4, me6 = '192.168.10.5', '2a00:6020:1000:3c::5'
    cap = Capture(1718971200, [ifc], [me4, me6])
    c4, c6 = Host(me4, ttl=64, rng=rng), Host(me6, ttl=64, rng=rng)
    res = Resolver('8.8.8.8', 117, rng)
    S = catalogue()
    fb6 = '2a03:2880:f12f:83:face:b00c:0:25de'
    S['facebook.com'] = Site('facebook.com', ['157.240.17.35'], [fb6], ttl=55, rtt=0.019, dns_ttl=300)
    S['www.facebook.com'] = Site('www.facebook.com', ['157.240.17.35'], [fb6], ttl=55, rtt=0.019, dns_ttl=3600,
                                 cname=['star-mini.c10r.facebook.com'])
    S['static.xx.fbcdn.net'] = Site('static.xx.fbcdn.net', ['157.240.17.19'], ['2a03:2880:f02f:12:face:b00c:0:3'],
                                    ttl=55, rtt=0.019, dns_ttl=3600, cname=['scontent.xx.fbcdn.net'])
    S['edge-mqtt.facebook.com'] = Site('edge-mqtt.facebook.com', ['157.240.17.14'], ['2a03:2880:f22f:c6:face:b00c:0:2'],
                                       ttl=55, rtt=0.019, dns_ttl=3600, cname=['mqtt.c10r.facebook.com'])
    S['g.whatsapp.net'] = Site('g.whatsapp.net', ['157.240.17.54'], ['2a03:2880:f22f:ca:face:b00c:0:167'],
                               ttl=55, rtt=0.019, dns_ttl=60, cname=['mmx-ds.cdn.whatsapp.net'])
    S['instagram.com'] = Site('instagram.com', ['157.240.17.174'], ['2a03:2880:f22f:c5:face:b00c:0:167'],
                              ttl=55, rtt=0.019, dns_ttl=60)
    S['twitter.com'] = Site('twitter.com', ['104.244.42.1'], [], ttl=53, rtt=0.086, dns_ttl=1800)
    S['api.twitter.com'] = Site('api.twitter.com', ['104.244.42.66'], [], ttl=53, rtt=0.086, dns_ttl=1800,
                                cname=['tpop-api.twitter.com'])
    S['x.com'] = Site('x.com', ['104.244.42.65'], [], ttl=53, rtt=0.086, dns_ttl=1800)
    S['dropbox.com'] = Site('dropbox.com', ['162.125.248.18'], ['2620:100:6057:18::a27d:d12'], ttl=52, rtt=0.02,
                            dns_ttl=60)
    S['client.dropbox.com'] = Site('client.dropbox.com', ['162.125.21.3'], ['2620:100:6050:15::a27d:4a03'], ttl=52,
                                   rtt=0.02, dns_ttl=60, cname=['client.dropbox-dns.com'])
    S['www.google.com'] = Site('www.google.com', ['74.125.127.102'], ['2a00:1450:4001:812::2004'], ttl=118, rtt=0.014,
                               dns_ttl=300)
    S['www.youtube.com'].a = ['74.125.155.102', '142.250.185.110']
    web = Web(cap, rng, c4, c6, res=res, dns_rtt=0.011, sites=S, ua=UA_CHROME, prefer6=False)
    big = ['facebook.com', 'www.facebook.com', 'static.xx.fbcdn.net', 'edge-mqtt.facebook.com', 'g.whatsapp.net',
           'instagram.com', 'twitter.com', 'api.twitter.com', 'x.com', 'dropbox.com', 'client.dropbox.com',
           'www.google.com', 'www.youtube.com']
    for k, st in enumerate(sorted(rng.uniform(1, 220) for _ in range(30))):
        n = big[k % len(big)]
        web.https(st, n, v6=(k % 3 == 2), close=rng.choice(['c', 's', 'open']))
    ordinary(web, 1.0, 230.0, ['www.wikipedia.org', 'github.com', 'www.bbc.co.uk', 'stackoverflow.com',
                               'news.ycombinator.com', 'www.heise.de', 'duckduckgo.com', 'www.debian.org',
                               'www.spiegel.de', 'www.nytimes.com'], 26, rng)
    save(cap, 'neg_bignames_dns.pcap',
         'a public resolver (8.8.8.8) answering facebook.com, whatsapp, instagram, twitter/x, dropbox, '
         'google and youtube with those companies\' own addresses - exactly the address space GFW forged '
         'answers are drawn from (157.240/16, 104.244.42/24, 162.125/16, 2a03:2880:...:face:b00c:0:25de; '
         'even the classic-list 74.125.127.102 and 74.125.155.102 for Google names)',
         'Each query gets one answer from the resolver (no race, stable TTL 117, EDNS echoed, proper '
         'CNAME chains), the names asked are the companies\' own names, and TLS 1.3 handshakes to every '
         'answered address complete with application data. Pool membership is corroboration only; it is '
         'not evidence when the owner\'s own name resolves to the owner\'s own address.',
         'Ethernet pcap (us), IPv4+IPv6, ~230 s, 30 big-name HTTPS flows + 26 ordinary')


# --------------------------------------------------------------------------- 13 ICMP: dead resolver, traceroute, PMTUD

@case
def icmp_traceroute():
    rng = random.Random(1313)
    ifc = Iface(LT_EN10MB, me='70:85:c2:3d:8e:10', gw='38:10:d5:77:a0:01')
    me4 = '192.168.0.10'
    cap = Capture(1719057600, [ifc], [me4])
    c4 = Host(me4, ttl=64, rng=rng)
    res = Resolver('192.168.0.1', 64, rng, df=True)
    S = catalogue()
    S['files.verein-cloud.de'] = Site('files.verein-cloud.de', ['88.99.54.1'], [], ttl=55, rtt=0.024, dns_ttl=3600)
    web = Web(cap, rng, c4, None, res=res, dns_rtt=0.012, sites=S, ua=UA_FF)
    dead = Host('84.200.69.80', ttl=53, rng=rng)     # a discontinued public resolver, host still up
    orig_lookup = web.lookup

    def lookup_dead_first(t, name, force=False, qtypes=None):
        """glibc tries the first nameserver (dead: ICMP port unreachable from the host itself), then the next."""
        c = web.cache.get(name)
        if c and c[3] <= t < c[0] and not force:
            return t, c[1], c[2]
        sk = UdpSock(c4, web.nport(), rng)
        for j, qt in enumerate(qtypes or ['A']):
            q = dns_msg(rng.getrandbits(16), 0x0100, name, qt)
            b = sk.send(cap, t + j * 0.00004, dead.ip, 53, q)
            cap.add(t + j * 0.00004 + 0.0243, icmp4_quote(dead, me4, with_ttl4(b, 53), 3, 3, ipid=rng.getrandbits(16)))
        return orig_lookup(t + 0.0246, name, force=force, qtypes=qtypes)
    web.lookup = lookup_dead_first

    # traceroute (UDP probes, 3 per hop) to www.heise.de and the PTR lookups it does
    t, a4, _ = web.lookup(3.0, 'www.heise.de')
    dst = a4[0]
    hops = [('192.168.0.1', 64, 0.0008), ('100.64.12.1', 254, 0.006), ('62.155.242.65', 252, 0.009), None,
            ('80.81.192.157', 250, 0.011), ('82.98.102.17', 249, 0.011), (dst, 58, 0.011)]
    sk = UdpSock(c4, 48123, rng, df=False)
    port = 33434
    tt = t + 0.001
    for h, hop in enumerate(hops, start=1):
        for i in range(3):
            b = sk.send(cap, tt, dst, port, bytes(range(0x40, 0x60)), ttl=h)
            if hop is None:
                tt += 5.0 if i == 2 else 0.0
                port += 1
                continue
            rip, rttl, rtt = hop
            rh = Host(rip, ttl=rttl, rng=rng)
            if rip == dst:
                cap.add(tt + rtt, icmp4_quote(rh, me4, with_ttl4(b, 64 - 6), 3, 3, ipid=rng.getrandbits(16)))
            else:
                cap.add(tt + rtt, icmp4_quote(rh, me4, with_ttl4(b, 1), 11, 0, ipid=rng.getrandbits(16) if h > 1 else 0,
                                              qlen=None if h in (1, 2) else 28))
            tt += rtt + 0.0003
            port += 1
    ptr = {'192.168.0.1': None, '100.64.12.1': None, '62.155.242.65': 'f-ed12-i.F.DE.NET.DTAG.DE',
           '80.81.192.157': 'decix.plusline.net', '82.98.102.17': 'ae1-0.rt1.fra.plusline.net', dst: 'www.heise.de'}
    tp = tt + 0.01
    for ip, nm in ptr.items():
        rev = '.'.join(reversed(ip.split('.'))) + '.in-addr.arpa'
        s2 = UdpSock(c4, web.nport(), rng)
        if nm:
            dns_lookup(cap, tp, s2, res, rev, 'PTR', an=[(rev, 'PTR', 3600, nm)], rtt=0.02, rng=rng)
        else:
            z = '168.192.in-addr.arpa' if ip.startswith('192.168') else '64.100.in-addr.arpa'
            dns_lookup(cap, tp, s2, res, rev, 'PTR', ns=[soa_for(z)], rcode=3, rtt=0.0009, rng=rng)
        tp += 0.0004

    # ping to a public resolver
    pinger = Host('9.9.9.9', ttl=57, rng=rng)
    for i in range(4):
        te = 40.0 + i
        cap.add(te, mk_ip(c4, '9.9.9.9', ICMP(type=8, id=0x5b21, seq=i + 1) / Raw(bytes(range(56))), ipid=rng.getrandbits(16)))
        cap.add(te + 0.0102, mk_ip(pinger, me4, ICMP(type=0, id=0x5b21, seq=i + 1) / Raw(bytes(range(56))), ipid=rng.getrandbits(16)))

    # path MTU discovery: a large (post-quantum key share) ClientHello hits a 1420-byte link near the server
    name = 'files.verein-cloud.de'
    t, a4, _ = web.lookup(60.0, name)
    conn, t = web.connect(t, name, a4[0])
    ch = client_hello(rng, name, pq=True)
    rec = record(0x16, ch, ver=0x0301)
    c, s = conn.c, conn.s
    seq1 = c.nxt
    seg1, seg2 = rec[:conn.mss], rec[conn.mss:]
    conn.tx(t, c, 'A', seg1, deliver=False)
    conn.tx(t + 0.00002, c, 'PA', seg2, deliver=False)
    b1 = [r for r in cap.recs if r[0] == t and len(r[3]) > 1400][-1][3]
    router = Host('213.239.245.229', ttl=250, rng=rng)
    cap.add(t + 0.0171, icmp4_quote(router, me4, with_ttl4(b1, 57)[:28], 3, 4, ipid=rng.getrandbits(16), mtu=1420))
    # the client lowers its MSS to 1368 and resends the first part right away
    conn.mss = 1368
    tr = t + conn.rtt + 0.0004   # after the ICMP and the SACKing duplicate ACK
    conn.tx(tr, c, 'A', seg1[:1368], seq=seq1, adv=False, deliver=False)
    conn.tx(tr + 0.00002, c, 'A', seg1[1368:], seq=seq1 + 1368, adv=False, deliver=False)
    conn.tx(t + conn.rtt, s, 'A', sack=[(seq1 + len(seg1), seq1 + len(rec))])   # dup ACK SACKing the 2nd segment
    s.rcv = c.nxt
    tls13(conn, tr + 0.00002, name, rng, ch=ch, send_ch=False, exch=((900, 380000, 0.05),))

    ordinary(web, 20.0, 240.0, COMMON, 24, rng)
    save(cap, 'neg_icmp_traceroute.pcap',
         'ICMP that is not blocking: (1) every lookup first goes to a dead resolver in resolv.conf and draws ICMP '
         'port unreachable from that host, then the second resolver answers; (2) a UDP traceroute to www.heise.de '
         'with ICMP time-exceeded from each hop (one silent hop) and port unreachable from the destination; '
         '(3) ping; (4) path-MTU discovery: a 1.9 KB post-quantum ClientHello draws ICMP fragmentation-needed '
         '(MTU 1420) from a router near the server, the first segment is resent smaller, the handshake completes',
         'Port unreachable from a DNS host for every query is a dead service, and the next resolver answers the '
         'same names; time-exceeded messages answer probes sent with small TTLs on purpose; the frag-needed '
         'message is followed by retransmission and a normal TLS session. Nothing is dropped that is not '
         'recovered, and no name or SNI behaves differently from another.',
         'Ethernet pcap (us), IPv4, ~270 s, 24 ICMP unreachable (dead resolver, traceroute end, frag-needed), 15 time-exceeded, 4 pings, 24 ordinary flows')


# --------------------------------------------------------------------------- 14 cancelled handshakes

@case
def cancelled_hello():
    rng = random.Random(1414)
    ifc = Iface(LT_EN10MB, me='a0:36:9f:21:7c:03', gw='90:9a:4a:1b:00:01', nano=True)
    me4, me6 = '192.168.1.77', '2a02:908:1a2:b3c0:8d1:22ff:fe33:4477'
    cap = Capture(1719144000, [ifc], [me4, me6])
    c4, c6 = Host(me4, ttl=64, rng=rng), Host(me6, ttl=64, rng=rng)
    res = Resolver('192.168.1.1', 64, rng, df=True)
    S = catalogue()
    web = Web(cap, rng, c4, c6, res=res, dns_rtt=0.012, sites=S, ua=UA_FF)

    def flight(conn):
        return record(0x16, server_hello(rng)) + CCS + enc(rng, 30) + enc(rng, rng.randint(2600, 3900)) + enc(rng, 270) + enc(rng, 36)

    def esc_after_hello(st, name, v6):
        """User presses Esc / closes the tab right after the ClientHello went out: RST/ACK from the client;
        the server's flight then arrives at a closed socket and each segment draws a stack RST."""
        t, a4, a6 = web.lookup(st, name)
        ip = a6[0] if (v6 and a6) else a4[0]
        conn, t = web.connect(t, name, ip)
        conn.c_send(t, record(0x16, client_hello(rng, name), ver=0x0301))
        conn.rst_c(t + rng.uniform(0.003, 0.009))
        fl = flight(conn)
        tt = t + conn.rtt + 0.002
        for seg in conn.segs(conn.s, fl):
            conn.tx(tt, conn.s, 'A', seg[1], seq=seg[0], deliver=False)
            conn.stray_rst(tt + 0.00003, conn.c, conn.s.rcv)
            tt += 0.00011

    def esc_before_reply(st, name, v6):
        """The server is slow to answer; the client's RST arrives before it sends its flight: nothing comes back."""
        t, a4, a6 = web.lookup(st, name)
        ip = a6[0] if (v6 and a6) else a4[0]
        conn, t = web.connect(t, name, ip)
        conn.c_send(t, record(0x16, client_hello(rng, name), ver=0x0301))
        conn.rst_c(t + rng.uniform(0.002, 0.004))

    def fin_after_hello(st, name):
        """A script with a short timeout: ClientHello, then close() -> FIN; the server flight hits an
        orphaned socket -> RST (flags R, seq = the flight's ack)."""
        t, a4, _ = web.lookup(st, name)
        conn, t = web.connect(t, name, a4[0])
        conn.c_send(t, record(0x16, client_hello(rng, name, alpn=('http/1.1',)), ver=0x0301))
        chend = conn.c.nxt
        conn.tx(t + 0.0042, conn.c, 'FA')
        fl = flight(conn)
        tt = t + conn.rtt + 0.0015
        first = True
        for seg in conn.segs(conn.s, fl):
            conn.tx(tt, conn.s, 'A', seg[1], seq=seg[0], ack=chend, deliver=False)
            conn.stray_rst(tt + 0.00003, conn.c, chend)
            tt += 0.00011

    def preconnect(st, name):
        """Speculative connection never used: handshake, nothing sent, FIN ~10 s later."""
        t, a4, a6 = web.lookup(st, name)
        conn, t = web.connect(t, name, a6[0] if a6 else a4[0])
        conn.close_c(t + rng.uniform(9.5, 10.5))

    esc_after_hello(12.3, 'www.torproject.org', False)
    web.https(19.8, 'www.torproject.org', close='c')           # the user comes back: works
    esc_after_hello(47.0, 'www.bbc.co.uk', True)
    esc_before_reply(63.2, 'news.ycombinator.com', False)
    web.https(64.5, 'news.ycombinator.com', close='s')
    esc_before_reply(101.7, 'www.wikipedia.org', True)
    fin_after_hello(130.0, 'github.com')
    fin_after_hello(190.0, 'github.com')
    web.https(131.0, 'github.com', close='c')
    for st, n in ((5.0, 'www.google.com'), (5.01, 'fonts.gstatic.com'), (88.0, 'cdn.jsdelivr.net'),
                  (160.0, 'www.reddit.com'), (161.0, 'www.theguardian.com')):
        preconnect(st, n)
    ordinary(web, 1.0, 230.0, COMMON, 28, rng)
    save(cap, 'neg_cancelled_hello.pcap',
         'ClientHellos followed by a reset or FIN from the CLIENT: the user cancels (RST/ACK a few ms after '
         'the hello, then the server\'s flight arrives and each segment draws a client stack RST with IP ID 0), '
         'a cancel that reaches a slow server before it answered (hello, client RST, silence), a script with a '
         'short timeout (hello, client FIN, then client RSTs for the late flight), and speculative '
         'preconnects that never send anything and are closed after 10 s',
         'Every RST and FIN is sent by the client (source address = the client, TTL 64); the server never resets '
         'anything and answers normally whenever it gets the chance; the same names (torproject, '
         'ycombinator, github) succeed minutes later.',
         'Ethernet pcap with nanosecond timestamps, IPv4+IPv6, ~230 s, 7 cancelled hellos, 5 preconnects, ~31 ordinary flows')


# --------------------------------------------------------------------------- 15 router capture: WAN + LAN (pcapng)

def nat_copy(ipb, out, wan_ip, client_ip, portmap):
    """The same packet as seen on the router's other interface: NAT-rewritten (IPv4) or just routed
    (IPv6); TTL/hop limit one higher on the WAN side for inbound, one lower for outbound."""
    if (ipb[0] >> 4) == 6:
        p = IPv6(ipb)
        p.hlim = p.hlim - 1 if out else p.hlim + 1
        l4 = p.payload
        del l4.chksum
        return bytes(p)
    p = IP(ipb)
    if out:
        p.src = wan_ip
        p.ttl -= 1
        if hasattr(p.payload, 'sport'):
            p.payload.sport = portmap.get(p.payload.sport, p.payload.sport)
    else:
        p.dst = wan_ip
        p.ttl += 1
        if hasattr(p.payload, 'dport'):
            p.payload.dport = portmap.get(p.payload.dport, p.payload.dport)
    del p.chksum
    del p.payload.chksum
    return bytes(p)


@case
def router_nat_2if():
    rng = random.Random(1515)
    wan = Iface(LT_EN10MB, name='eth0', me='e0:28:6d:aa:10:01', gw='00:00:5e:00:01:0a', nano=True)
    lan = Iface(LT_EN10MB, name='br-lan', me='f4:6b:8c:90:3e:21', gw='e0:28:6d:aa:10:02')
    wan_ip, cli4, cli6 = '87.123.45.67', '192.168.1.100', '2003:e5:af12:6b00:9d3c:12ff:fe41:aa07'
    cap = Capture(1719230400, [wan, lan], [wan_ip, cli4, cli6], fmt='pcapng')
    c4, c6 = Host(cli4, ttl=64, rng=rng), Host(cli6, ttl=64, rng=rng)
    router = Resolver('192.168.1.1', 64, rng, df=True)
    S = catalogue()
    for s_ in S.values():   # as seen on the LAN side: one hop further than on the WAN side
        s_.ttl -= 1
        s_.ttl6 -= 1
    S['home.nas-example.de'] = Site('home.nas-example.de', ['178.63.42.11'], [], ttl=53, rtt=0.022, dns_ttl=300)
    web = Web(cap, rng, c4, c6, res=router, dns_rtt=0.013, sites=S, ua=UA_FF, iface=1)

    # connection refused on one port (RST/ACK to the SYN from the server's stack), the service port works
    for st in (14.0, 92.0):
        t, a4, _ = web.lookup(st, 'home.nas-example.de')
        h = web.srv(S['home.nas-example.de'], a4[0])
        conn = Conn(cap, c4, h, web.nport(), 8443, 0.022, rng, iface=1)
        conn.syn(t)
        conn.tx(t + 0.022, conn.s, 'RA', seq=0, ack=conn.c.isn + 1, win=0, opts=[], ipid=0, adv=False, deliver=False)
        web.https(t + 0.03, 'home.nas-example.de', dns=False, ip=a4[0], close='c')

    # router web UI (LAN only)
    rh = Host('192.168.1.1', ttl=64, rng=rng)
    conn = Conn(cap, c4, rh, web.nport(), 80, 0.0007, rng, iface=1)
    t = conn.connect(40.0)
    t = conn.http(t, http_req('192.168.1.1', '/cgi-bin/luci/'), http_resp(200, 'OK', ['Content-Type: text/html',
                  'Cache-Control: no-cache'], filler_body(rng, 6100)), think=0.015)
    conn.close_c(t + 2.0)

    ordinary(web, 1.0, 250.0, COMMON, 38, rng)

    # --- build the WAN side: NAT copies of forwarded packets, dnsmasq's upstream queries
    upstream = Host('194.25.2.129', ttl=59, rng=rng)
    wan_h = Host(wan_ip, ttl=64, rng=rng)
    portmap = {}
    lan_recs = list(cap.recs)
    pend = {}
    for (t, _, i, ipb, out, kw) in lan_recs:
        src = ip_src(ipb)
        v6 = (ipb[0] >> 4) == 6
        if not v6:
            p = IP(ipb)
            if p.src == '192.168.1.1' or p.dst == '192.168.1.1':
                if UDP in p and (p[UDP].dport == 53 or p[UDP].sport == 53):
                    pl = bytes(p[UDP].payload)
                    key = (p[UDP].sport if p[UDP].dport == 53 else p[UDP].dport, pl[:2])
                    if p[UDP].dport == 53:
                        pend[key] = (t, pl)
                    elif key in pend and rng.random() < 0.75:      # cache miss: forwarded upstream
                        tq, ql = pend.pop(key)
                        nid = rng.getrandbits(16).to_bytes(2, 'big')
                        up_port = rng.randint(1024, 65000)
                        qb = mk_ip(wan_h, upstream.ip, UDP(sport=up_port, dport=53) / Raw(nid + ql[2:]),
                                   ipid=rng.getrandbits(16), df=True)
                        rb_ = mk_ip(upstream, wan_ip, UDP(sport=53, dport=up_port) / Raw(nid + pl[2:]),
                                    ipid=rng.getrandbits(16), df=False)
                        cap.add(tq + 0.00012, qb, 0)
                        cap.add(t - 0.00015, rb_, 0)
                continue
        cap.add(t + (0.000035 if out else -0.000035), nat_copy(ipb, out, wan_ip, cli4, portmap), 0)
    # the router's own NTP (WAN only)
    for k, tn in enumerate((30.0, 158.0)):
        sk = UdpSock(wan_h, 123, rng)
        ntp_exchange(cap, tn, sk, Host(['162.159.200.1', '185.232.69.65'][k], ttl=56, rng=rng), 0.011, rng)
    save(cap, 'neg_router_nat_2if.pcapng',
         'capture on a home router, two interfaces in one pcapng (WAN eth0 with ns timestamps, LAN br-lan with '
         'us timestamps): every forwarded packet appears twice - NAT-rewritten on the WAN side (IPv4) or '
         'identical except hop limit (IPv6) - with TTLs differing by exactly 1 between the copies; dnsmasq '
         'forwards lookups upstream with new IDs; a closed port answers SYN with RST/ACK (IP ID 0, server TTL) '
         'while the service port on the same host works',
         'Duplicates are the same packet on two interfaces (same payload, seq/ack, IP ID; TTL off by the one '
         'routing hop), not a race; each interface on its own is ordinary traffic. A RST/ACK answering a SYN '
         'on a port nobody listens on is the standard "connection refused" from the server itself (its TTL), '
         'with port 443 on the same host completing TLS right after.',
         'pcapng, 2 interfaces (both Ethernet; if_tsresol 9 and 6), IPv4 NAT + IPv6 routed, ~250 s, ~42 flows x2')


# --------------------------------------------------------------------------- 16 block-page look-alikes served by the sites themselves

@case
def cdn_lookalike_pages():
    rng = random.Random(1616)
    ifc = Iface(LT_EN10MB, me='00:e0:4c:68:01:30', gw='c8:0e:14:2f:55:01')
    me4 = '192.168.1.30'
    cap = Capture(1719316800, [ifc], [me4])
    c4 = Host(me4, ttl=64, rng=rng)
    res = Resolver('192.168.1.1', 64, rng, df=True)
    S = catalogue()
    S['www.outdoor-ausruestung.com'] = Site('www.outdoor-ausruestung.com', ['23.62.226.170'], [], ttl=56, rtt=0.009,
                                            dns_ttl=20, cname=['www.outdoor-ausruestung.com.edgekey.net',
                                                               'e28512.a.akamaiedge.net'])
    S['forum.retro-gaming-hub.net'] = Site('forum.retro-gaming-hub.net', ['104.21.64.90', '172.67.181.34'], [], ttl=58,
                                           rtt=0.011, dns_ttl=300)
    S['files.old-project.org'] = Site('files.old-project.org', ['45.33.12.7'], [], ttl=50, rtt=0.092, dns_ttl=3600)
    S['www.midwest-daily-courier.com'] = Site('www.midwest-daily-courier.com', ['52.20.184.51'], [], ttl=229, rtt=0.098,
                                              dns_ttl=60, cname=['courier-prod-1298.us-east-1.elb.amazonaws.com'])
    S['www.gnu.org'] = Site('www.gnu.org', ['209.51.188.116'], ['2001:470:142:5::116'], ttl=49, rtt=0.101, dns_ttl=300)
    S['neverssl.com'] = Site('neverssl.com', ['34.223.124.45'], [], ttl=229, rtt=0.165, dns_ttl=60)
    web = Web(cap, rng, c4, None, res=res, dns_rtt=0.012, sites=S, ua=UA_FF)

    def get(st, name, path, resp, ua=UA_FF, then_https=True):
        t, a4, _ = web.lookup(st, name, qtypes=['A'])
        conn, t = web.connect(t, name, a4[0], port=80)
        t = conn.http(t, http_req(name, path, ua=ua), resp, think=rng.uniform(0.004, 0.04))
        t = web.finish(conn, t, rng.choice(['c', 's']), idle=rng.uniform(0.2, 5))
        if then_https:
            web.https(t + 0.5, name, dns=False, ip=a4[0], close='c')

    ref = '18.a93e3e17.1719316812.2f4a1c9'
    akamai = ('<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \n'
              'You don\'t have permission to access "http&#58;&#47;&#47;www&#46;outdoor&#45;ausruestung&#46;com&#47;" '
              'on this server.<P>\nReference&#32;&#35;' + ref + '\n<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;'
              + ref + '</P>\n</BODY>\n</HTML>\n')
    get(5.0, 'www.outdoor-ausruestung.com', '/', http_resp(403, 'Forbidden', [
        'Server: AkamaiGHost', 'Mime-Version: 1.0', 'Content-Type: text/html', 'Expires: Tue, 25 Jun 2024 12:00:12 GMT',
        'Connection: close'], akamai), ua='python-requests/2.31.0')
    cfbody = ('<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" '
              'content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow"><meta name="viewport" '
              'content="width=device-width,initial-scale=1"><style>*{box-sizing:border-box;margin:0;padding:0}</style>'
              '</head><body><div class="main-wrapper" role="main"><div class="main-content"><noscript><div class="h2">'
              '<span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript></div>'
              '</div><script>(function(){window._cf_chl_opt={cvId: \'3\',cZone: "forum.retro-gaming-hub.net",'
              'cType: \'managed\'};})();</script>' + filler_body(rng, 3800, 'txt').decode() + '</body></html>')
    get(31.0, 'forum.retro-gaming-hub.net', '/threads/amiga-500-restoration.1842/', http_resp(403, 'Forbidden', [
        'Content-Type: text/html; charset=UTF-8', 'Connection: close', 'Accept-CH: Sec-CH-UA-Bitness, Sec-CH-UA-Arch',
        'Cross-Origin-Embedder-Policy: require-corp', 'cf-mitigated: challenge', 'Server: cloudflare',
        'CF-RAY: 89a3c1b5fd2a9bb4-FRA', 'Cache-Control: private, max-age=0, no-store, no-cache, must-revalidate'], cfbody))
    nginx403 = ('<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n'
                '<hr><center>nginx/1.18.0 (Ubuntu)</center>\r\n</body>\r\n</html>\r\n')
    get(58.0, 'files.old-project.org', '/releases/', http_resp(403, 'Forbidden', [
        'Server: nginx/1.18.0 (Ubuntu)', 'Content-Type: text/html', 'Connection: keep-alive'], nginx403), then_https=False)
    gdpr = ('<html><head><title>451 Unavailable For Legal Reasons</title></head><body><h1>Unavailable For Legal Reasons</h1>'
            '<p>Unfortunately, our website is currently unavailable in most European countries. We are engaged on the '
            'issue and committed to looking at options that support our full range of digital offerings to the EU '
            'market. We continue to identify technical compliance solutions that will provide all readers with our '
            'award-winning journalism.</p></body></html>\n')
    get(84.0, 'www.midwest-daily-courier.com', '/news/local/', http_resp(451, 'Unavailable For Legal Reasons', [
        'Content-Type: text/html', 'Server: Apache', 'Cache-Control: no-cache', 'Connection: close'], gdpr), then_https=False)
    moved = ('<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>301 Moved Permanently</title>\n'
             '</head><body>\n<h1>Moved Permanently</h1>\n<p>The document has moved <a href="https://www.gnu.org/">here</a>.'
             '</p>\n<hr>\n<address>Apache/2.4.52 Server at www.gnu.org Port 80</address>\n</body></html>\n')
    get(110.0, 'www.gnu.org', '/', http_resp(301, 'Moved Permanently', [
        'Server: Apache/2.4.52', 'Location: https://www.gnu.org/', 'Content-Type: text/html; charset=iso-8859-1'], moved))
    get(140.0, 'neverssl.com', '/', http_resp(200, 'OK', ['Content-Type: text/html', 'Server: Apache/2.4.58 ()',
        'Last-Modified: Wed, 22 Nov 2023 19:29:59 GMT'], filler_body(rng, 4200)), then_https=False)
    # the same sites reached normally from the browser afterwards (HTTPS works)
    for st, n in ((160.0, 'www.outdoor-ausruestung.com'), (171.0, 'forum.retro-gaming-hub.net'),
                  (182.0, 'www.gnu.org'), (190.0, 'www.outdoor-ausruestung.com')):
        web.https(st, n, close='c')
    ordinary(web, 1.0, 230.0, COMMON, 30, rng)
    save(cap, 'neg_cdn_lookalike_pages.pcap',
         'block-page look-alikes served by the sites/CDNs themselves over plain HTTP: Akamai "Access Denied" 403 '
         '(Server: AkamaiGHost, Reference #18...) to a python-requests client, a Cloudflare "Just a moment..." '
         'managed challenge (cf-mitigated: challenge), an nginx default 403, a US news site\'s GDPR "451 '
         'Unavailable For Legal Reasons" page, a 301 "The document has moved"',
         'Each response comes from the server the DNS answer pointed to, over a normal handshake, one RTT after '
         'the request, with that server\'s TTL and IP-ID sequence, no competing second response, and the '
         'server\'s own Server/CF-RAY headers; these are the bot protection, access control and geoblocking '
         'of the sites (Censored Planet\'s false-positive list and OONI\'s prov scope), not a network\'s block page.',
         'Ethernet pcap (us), IPv4, ~230 s, 6 look-alike HTTP responses, ~34 HTTPS flows')


# --------------------------------------------------------------------------- 17 corporate split-horizon DNS

@case
def split_horizon():
    rng = random.Random(1717)
    ifc = Iface(LT_SLL, me='3c:52:82:1a:64:18', gw='00:50:56:9a:31:01')
    me4 = '10.31.4.18'
    cap = Capture(1719403200, [ifc], [me4])
    c4 = Host(me4, ttl=128, os='windows', rng=rng)
    cap.global_ipid(me4)
    dc1 = Resolver('10.31.0.10', 128, rng, os='windows')
    dc2 = Resolver('10.31.0.11', 128, rng, os='windows')
    cap.global_ipid('10.31.0.10', 2)
    cap.global_ipid('10.31.0.11', 3)
    S = catalogue()
    zone = 'acme-industries.com'
    S['intranet.' + zone] = Site('intranet.' + zone, ['10.31.8.20'], [], ttl=127, rtt=0.0011, os='windows', dns_ttl=3600)
    S['jira.' + zone] = Site('jira.' + zone, ['10.31.8.45'], [], ttl=63, rtt=0.0009, dns_ttl=3600)
    S['git.' + zone] = Site('git.' + zone, ['10.31.9.3'], [], ttl=63, rtt=0.0012, dns_ttl=3600, cname=['gitlab01.ad.' + zone])
    S['vpn.' + zone] = Site('vpn.' + zone, ['194.112.77.10'], [], ttl=60, rtt=0.004, dns_ttl=3600)
    S['www.' + zone] = Site('www.' + zone, ['104.18.23.45', '104.18.22.45'], [], ttl=58, rtt=0.011, dns_ttl=300,
                            cname=['www.acme-industries.com.cdn.cloudflare.net'])
    S['acmeindustries.sharepoint.com'] = Site('acmeindustries.sharepoint.com', ['13.107.136.10'], [], ttl=119, rtt=0.012,
                                              dns_ttl=3600, os='windows', cname=['14837-ipv4v6e.clump.dprodmgd104.aa-rt.sharepoint.com'])
    for s_ in S.values():
        s_.aaaa = []
    web = Web(cap, rng, c4, None, res=dc1, dns_rtt=0.0011, sites=S, ua=UA_WIN)

    internal = ['intranet.' + zone, 'jira.' + zone, 'git.' + zone]
    for k, st in enumerate(sorted(rng.uniform(2, 280) for _ in range(16))):
        n = internal[k % 3]
        web.https(st, n, close=rng.choice(['c', 's', 'open']))
    for st in (3.0, 140.0):
        web.https(st, 'vpn.' + zone, close='c')
        web.https(st + 1.0, 'www.' + zone, close='c')
        web.https(st + 2.0, 'acmeindustries.sharepoint.com', close='s')

    def q(st, name, qt, an=(), ns=(), rcode=0, res=dc1):
        sk = UdpSock(c4, web.nport(), rng)
        return dns_lookup(cap, st, sk, res, name, qt, an=an, ns=ns, rcode=rcode, rtt=0.0011, rng=rng)

    soa_int = (zone, 'SOA', 3600, ('dc01.' + zone, 'hostmaster.' + zone, 48211, 900, 600, 86400, 3600))
    soa_com = ('com', 'SOA', 900, ('a.gtld-servers.net', 'nstld.verisign-grs.com', 1719403180, 1800, 900, 604800, 86400))
    # domain controller discovery
    for st in (1.0, 150.0):
        q(st, '_ldap._tcp.dc._msdcs.' + zone, 'SRV',
          an=[('_ldap._tcp.dc._msdcs.' + zone, 'SRV', 600, srv_rdata(0, 100, 389, 'dc01.' + zone)),
              ('_ldap._tcp.dc._msdcs.' + zone, 'SRV', 600, srv_rdata(0, 100, 389, 'dc02.' + zone))])
        q(st + 0.01, 'dc01.' + zone, 'A', an=[('dc01.' + zone, 'A', 3600, '10.31.0.10')])
    # WPAD and a typo: NXDOMAIN
    for st in (1.5, 61.5, 121.5, 181.5, 241.5):
        q(st, 'wpad.' + zone, 'A', ns=[soa_int], rcode=3)
    q(77.0, 'intranet.acme-industires.com', 'A', ns=[soa_com], rcode=3)
    q(77.3, 'intranet.acme-industires.com', 'AAAA', ns=[soa_com], rcode=3)
    # a search-suffix expansion of "localhost" hits the zone's legacy localhost record
    q(95.0, 'localhost.' + zone, 'A', an=[('localhost.' + zone, 'A', 3600, '127.0.0.1')])
    # a deliberately broken DNSSEC test domain: the validating resolvers answer SERVFAIL (both of them)
    for st in (200.0, 200.9):
        q(st, 'www.dnssec-failed.org', 'A', rcode=2)
        q(st + 1.0, 'www.dnssec-failed.org', 'A', rcode=2, res=dc2)
    ordinary(web, 1.0, 285.0, ['www.wikipedia.org', 'github.com', 'www.bbc.co.uk', 'stackoverflow.com', 'www.google.com',
                               'login.microsoftonline.com', 'www.microsoft.com', 'www.heise.de', 'duckduckgo.com',
                               'www.nytimes.com', 'www.amazon.de'], 30, rng)
    save(cap, 'neg_split_horizon.pcap',
         'corporate split-horizon DNS: internal resolvers (AD domain controllers) answer names under the '
         'company\'s public domain with RFC1918 addresses (intranet/jira/git.acme-industries.com -> 10.31.x.x) and '
         'a legacy localhost.acme-industries.com -> 127.0.0.1; WPAD and a typo get NXDOMAIN, '
         'www.dnssec-failed.org gets SERVFAIL from both resolvers; public names resolve normally',
         'The client sits in 10.31.0.0/16 and asks its own domain controllers about its own company\'s zone; '
         'the private answers are that zone\'s internal view and TLS sessions to them complete on the LAN '
         '(TTL 63/127, ~1 ms). NXDOMAIN for names that do not exist and SERVFAIL for a domain that is broken '
         'on purpose are consistent on both resolvers; no block-page address, no race.',
         'Linux SLL v1 (DLT 113), IPv4, Windows client, ~285 s, ~30 internal DNS transactions, ~52 HTTPS flows')


# --------------------------------------------------------------------------- 18 IPv6-only mobile with DNS64/NAT64

@case
def dns64_v6only():
    import ipaddress as ipa
    rng = random.Random(1818)
    ifc = Iface(LT_RAW)
    me6 = '2a01:598:a1:5f3c:49e7:1f0b:8d2:1a'
    cap = Capture(1719489600, [ifc], [me6])
    c6 = Host(me6, ttl=64, rng=rng)
    res = Resolver('2a01:598:7ff:0:10:74:210:221', 61, rng)
    S = catalogue()

    def nat64(v4):
        return str(ipa.IPv6Address(int(ipa.IPv6Address('64:ff9b::')) + int(ipa.IPv4Address(v4))))
    for s_ in S.values():
        if not s_.aaaa:
            s_.aaaa = [nat64(a) for a in s_.a]
            s_.ttl6 = s_.ttl - 1
            s_.rtt6 = s_.rtt + 0.006
        s_.rtt *= 2.2
        s_.rtt6 *= 2.2
    S['ipv4only.arpa'] = Site('ipv4only.arpa', ['192.0.0.170', '192.0.0.171'], [nat64('192.0.0.170'), nat64('192.0.0.171')],
                              dns_ttl=86400)
    web = Web(cap, rng, c6, c6, res=res, dns_rtt=0.032, sites=S, ua=UA_CHROME, prefer6=True)
    # 464XLAT prefix discovery (RFC 7050) at start and after a network change
    for st in (0.2, 141.0):
        web.lookup(st, 'ipv4only.arpa', force=True, qtypes=['AAAA', 'A'])
    names = ['github.com', 'news.ycombinator.com', 'duckduckgo.com', 'signal.org', 'twitter.com', 'x.com',
             'mail.proton.me', 'www.amazon.de', 'www.spiegel.de', 'api.github.com',
             'www.wikipedia.org', 'www.google.com', 'www.youtube.com', 'www.facebook.com', 'www.bbc.co.uk',
             'stackoverflow.com', 'www.heise.de']
    ordinary(web, 1.0, 270.0, names, 44, rng)
    save(cap, 'neg_dns64_v6only.pcap',
         'IPv6-only mobile network with DNS64/NAT64: AAAA answers for IPv4-only names are synthesized in '
         '64:ff9b::/96 (github.com -> 64:ff9b::8c52:7904), A answers still carry the real IPv4 addresses, and '
         'the RFC 7050 probe ipv4only.arpa resolves to 192.0.0.170/171 (IETF special-purpose space) and '
         '64:ff9b::c000:aa/ab; all connections go over IPv6 (native or via NAT64) and succeed',
         '192.0.0.170/171 are the genuine, standardized answers for ipv4only.arpa, and 64:ff9b::/96 is the '
         'well-known NAT64 prefix: both are what the operator\'s DNS64 is supposed to return, and TLS to the '
         'synthesized addresses completes (hop limit = the IPv4 server\'s TTL - 1 through the translator). No '
         'A record answers an AAAA query; each query gets exactly one answer.',
         'raw IP (DLT 101, rmnet), IPv6 only, ~270 s, 44 HTTPS flows (about half through NAT64)')


if __name__ == '__main__':
    main()
