#!/usr/bin/env python3
# ruff: noqa: B007, B905, E501, E731, F841, RUF005, RUF046, RUF059, SIM113, UP031
"""Blind hold-out set 3 (positives): deterministic generator.

Run: python captures/blind3_positive.py OUTDIR (writes the captures and expect.json there;
tests/test_blind_sets.py runs it into a temporary folder)

Every capture holds ONE censorship event (the labelled mechanism) mixed with ordinary traffic,
and carries artifacts of real capture tools (mid-session start, offload, SPAN duplicates,
out-of-order timestamps, snap lengths, SLL "any" with loopback, dumpcap pcapng blocks, long
idle captures, IPv6 extension headers, several client OS fingerprints).
All randomness comes from random.Random(seed) per case; all timestamps are fixed.
"""
import calendar
import datetime
import hashlib
import hmac
import json
import os
import random
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from scapy.all import (
    DNS,
    DNSQR,
    DNSRR,
    DNSRROPT,
    ICMP,
    IP,
    TCP,
    UDP,
    IPv6,
    IPv6ExtHdrHopByHop,
    PadN,
    Raw,
    conf,
)
from scapy.layers.inet6 import ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr

conf.verb = 0
OUT = "."  # the output folder, set by main() from the command line

# --------------------------------------------------------------------------------------------
# small utilities
# --------------------------------------------------------------------------------------------


def epoch(y, mo, d, h, mi, s, tz=0.0):
    """Local wall clock with UTC offset tz (hours) -> epoch seconds (int)."""
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) - int(tz * 3600)


def u8l(b):
    return bytes([len(b)]) + b


def u16l(b):
    return struct.pack('!H', len(b)) + b


def u24(n):
    return struct.pack('!I', n)[1:]


def u24l(b):
    return u24(len(b)) + b


def mac2b(m):
    return bytes(int(x, 16) for x in m.split(':'))


def csum16(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


# --------------------------------------------------------------------------------------------
# host / OS fingerprints
# --------------------------------------------------------------------------------------------

PROFILES = {
    # clients
    'win10': dict(ttl=128, mss=1460, ws=8, ts=False, sack=True, syn_win=64240, win=1026, order='win', ipid='global'),
    'macos': dict(ttl=64, mss=1460, ws=6, ts=True, sack=True, syn_win=65535, win=2058, order='mac', ipid='random'),
    'ios': dict(ttl=64, mss=1460, ws=6, ts=True, sack=True, syn_win=65535, win=2060, order='mac', ipid='random'),
    'linux': dict(ttl=64, mss=1460, ws=7, ts=True, sack=True, syn_win=64240, win=502, order='linux', ipid='perflow'),
    'android': dict(ttl=64, mss=1460, ws=9, ts=True, sack=True, syn_win=65535, win=343, order='linux', ipid='perflow'),
    'android_lte': dict(ttl=64, mss=1400, ws=9, ts=True, sack=True, syn_win=65535, win=350, order='linux', ipid='perflow'),
    # servers (observed TTL is given per host)
    'srv_linux': dict(ttl=64, mss=1460, ws=9, ts=True, sack=True, syn_win=65160, win=501, order='linux', ipid='perflow'),
    'srv_cdn': dict(ttl=64, mss=1460, ws=9, ts=True, sack=True, syn_win=65535, win=285, order='linux', ipid='zero'),
    'srv_google': dict(ttl=128, mss=1412, ws=8, ts=True, sack=True, syn_win=65535, win=1050, order='linux', ipid='zero'),
    'srv_win': dict(ttl=128, mss=1460, ws=8, ts=False, sack=True, syn_win=65535, win=1025, order='win', ipid='global'),
    'srv_appl': dict(ttl=255, mss=1380, ws=7, ts=True, sack=True, syn_win=28960, win=227, order='linux', ipid='random'),
}


class Host:
    def __init__(self, ip, prof, rng, ttl=None, name=None):
        self.ip = ip
        self.p = dict(PROFILES[prof])
        self.ttl = self.p['ttl'] if ttl is None else ttl
        self.rng = rng
        self.ipid = rng.randrange(65536)
        self.ts0 = rng.randrange(1 << 31)
        self.name = name
        self.v6 = ':' in ip

    def next_ipid(self):
        m = self.p['ipid']
        if m == 'global':
            self.ipid = (self.ipid + 1) & 0xffff
            return self.ipid
        if m == 'random':
            return self.rng.randrange(65536)
        if m == 'zero':
            return 0
        return None  # per flow, handled by Conn

    def tsval(self, t):
        return (self.ts0 + int(t * 1000)) & 0xffffffff


def syn_options(p, tsval, tsecr, synack=False, peer=None):
    use_ts = p['ts'] and (peer is None or peer['ts'])
    ws = p['ws']
    mss = p['mss']
    o = p['order']
    if o == 'win':
        opts = [('MSS', mss), ('NOP', None), ('WScale', ws), ('NOP', None), ('NOP', None), ('SAckOK', b'')]
        if use_ts and synack:
            opts = [('MSS', mss), ('NOP', None), ('WScale', ws), ('SAckOK', b''), ('Timestamp', (tsval, tsecr))]
        return opts
    if o == 'mac':
        return [('MSS', mss), ('NOP', None), ('WScale', ws), ('NOP', None), ('NOP', None),
                ('Timestamp', (tsval, tsecr)), ('SAckOK', b''), ('EOL', None)]
    # linux
    if use_ts:
        return [('MSS', mss), ('SAckOK', b''), ('Timestamp', (tsval, tsecr)), ('NOP', None), ('WScale', ws)]
    return [('MSS', mss), ('NOP', None), ('NOP', None), ('SAckOK', b''), ('NOP', None), ('WScale', ws)]


# --------------------------------------------------------------------------------------------
# capture container and link layers
# --------------------------------------------------------------------------------------------


class Pkt:
    __slots__ = ('comment', 'data', 'iface', 'kind', 'seq', 't', 'tag')

    def __init__(self, t, data, iface=0, comment=None, tag=None, kind='ip', seq=0):
        self.t, self.data, self.iface, self.comment, self.tag, self.kind, self.seq = t, data, iface, comment, tag, kind, seq


def ip_src_dst(data):
    v = data[0] >> 4
    if v == 4:
        import socket
        return socket.inet_ntop(socket.AF_INET, data[12:16]), socket.inet_ntop(socket.AF_INET, data[16:20])
    import socket
    return socket.inet_ntop(socket.AF_INET6, data[8:24]), socket.inet_ntop(socket.AF_INET6, data[24:40])


class Cap:
    """A list of timestamped layer-3 packets (plus some layer-2 frames) of one capture."""

    def __init__(self, base, local_macs, gw_mac, offload_ips=(), start=None, end=None):
        self.base = base            # epoch seconds (int) of t=0
        self.pkts = []
        self.local = dict(local_macs)   # ip -> mac
        self.gw = gw_mac
        self.offload = set(offload_ips)
        self.start = start
        self.end = end
        self._n = 0

    def add(self, t, data, iface=0, comment=None, tag=None, kind='ip'):
        if kind == 'ip' and self.offload:
            src, _ = ip_src_dst(data)
            if src in self.offload:
                data = offload_mangle(data)
        self._n += 1
        self.pkts.append(Pkt(t, data, iface, comment, tag, kind, self._n))

    def is_out(self, data):
        src, dst = ip_src_dst(data)
        return src in self.local

    def ordered(self):
        ps = sorted(self.pkts, key=lambda p: (p.t, p.seq))
        if self.start is not None:
            ps = [p for p in ps if p.t >= self.start]
        if self.end is not None:
            ps = [p for p in ps if p.t <= self.end]
        return ps


def offload_mangle(data):
    """What a capture on a host with checksum offload / LSO shows for the host's own packets:
    IPv4 header checksum 0, TCP/UDP checksum = pseudo-header partial sum, and IP total length 0
    for super-sized (LSO) segments."""
    if data[0] >> 4 != 4:
        return data
    ihl = (data[0] & 0xf) * 4
    proto = data[9]
    b = bytearray(data)
    l4len = len(data) - ihl
    big = len(data) > 1500
    if big:
        b[2:4] = b'\0\0'
    b[10:12] = b'\0\0'
    if proto in (6, 17):
        off = ihl + (16 if proto == 6 else 6)
        if big:
            ph = data[12:20] + struct.pack('!BBH', 0, proto, 0)
        else:
            ph = data[12:20] + struct.pack('!BBH', 0, proto, l4len)
        s = csum16(ph)
        b[off:off + 2] = struct.pack('!H', s)
    return bytes(b)


def mcast_mac(dst):
    if ':' in dst:
        import socket
        a = socket.inet_pton(socket.AF_INET6, dst)
        return '33:33:' + ':'.join('%02x' % x for x in a[-4:])
    o = [int(x) for x in dst.split('.')]
    if dst == '255.255.255.255' or (o[3] == 255 and o[0] == 192):
        return 'ff:ff:ff:ff:ff:ff'
    return '01:00:5e:%02x:%02x:%02x' % (o[1] & 0x7f, o[2], o[3])


def is_mcast(dst):
    if ':' in dst:
        return dst.lower().startswith('ff')
    o = [int(x) for x in dst.split('.')]
    return 224 <= o[0] <= 239 or dst == '255.255.255.255' or (o[0] == 192 and o[3] == 255)


def eth_frame(cap, p, vlan=None):
    if p.kind == 'l2':
        return p.data
    src, dst = ip_src_dst(p.data)
    et = 0x0800 if p.data[0] >> 4 == 4 else 0x86dd
    if src in cap.local:
        smac = cap.local[src]
        dmac = mcast_mac(dst) if is_mcast(dst) else cap.local.get(dst, cap.gw)
        incoming = False
    else:
        smac = cap.gw
        dmac = mcast_mac(dst) if is_mcast(dst) else cap.local.get(dst, 'ff:ff:ff:ff:ff:ff')
        incoming = True
    if vlan is not None:
        hdr = mac2b(dmac) + mac2b(smac) + struct.pack('!HHH', 0x8100, vlan, et)
    else:
        hdr = mac2b(dmac) + mac2b(smac) + struct.pack('!H', et)
    fr = hdr + p.data
    if incoming and len(fr) < 60:
        fr += b'\0' * (60 - len(fr))   # Ethernet padding as received on the wire
    return fr


def arp_frame(smac, sip, tip, reply=False, tmac='00:00:00:00:00:00'):
    import socket
    dst = tmac if reply else 'ff:ff:ff:ff:ff:ff'
    body = struct.pack('!HHBBH', 1, 0x0800, 6, 4, 2 if reply else 1) + mac2b(smac) + socket.inet_aton(sip) + \
        mac2b(tmac) + socket.inet_aton(tip)
    fr = mac2b(dst) + mac2b(smac) + b'\x08\x06' + body
    return fr + b'\0' * (60 - len(fr))


# ---- file writers ---------------------------------------------------------------------------


def write_pcap(path, linktype, frames, snaplen=262144, nsec=False):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b23c4d if nsec else 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype))
        for tns, fr in frames:
            sec, ns = divmod(tns, 10 ** 9)
            frac = ns if nsec else ns // 1000
            c = fr[:snaplen]
            f.write(struct.pack('<IIII', sec, frac, len(c), len(fr)))
            f.write(c)


def _opt(code, val):
    if isinstance(val, str):
        val = val.encode()
    return struct.pack('<HH', code, len(val)) + val + b'\0' * ((4 - len(val) % 4) % 4)


def _opts(lst):
    if not lst:
        return b''
    return b''.join(_opt(c, v) for c, v in lst) + b'\0\0\0\0'


def _blk(btype, body):
    body += b'\0' * ((4 - len(body) % 4) % 4)
    n = 12 + len(body)
    return struct.pack('<II', btype, n) + body + struct.pack('<I', n)


def pcapng_shb(opts):
    return _blk(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1) + _opts(opts))


def pcapng_idb(linktype, snaplen, opts):
    return _blk(1, struct.pack('<HHI', linktype, 0, snaplen) + _opts(opts))


def pcapng_epb(ifid, tunits, data, snaplen, opts=None):
    c = data[:snaplen]
    body = struct.pack('<IIIII', ifid, tunits >> 32, tunits & 0xffffffff, len(c), len(data)) + c
    body += b'\0' * ((4 - len(c) % 4) % 4)
    return _blk(6, body + _opts(opts))


def pcapng_nrb(v4=(), v6=()):
    import socket
    recs = b''
    for ip, names in v4:
        val = socket.inet_aton(ip) + b''.join(n.encode() + b'\0' for n in names)
        recs += struct.pack('<HH', 1, len(val)) + val + b'\0' * ((4 - len(val) % 4) % 4)
    for ip, names in v6:
        val = socket.inet_pton(socket.AF_INET6, ip) + b''.join(n.encode() + b'\0' for n in names)
        recs += struct.pack('<HH', 2, len(val)) + val + b'\0' * ((4 - len(val) % 4) % 4)
    recs += b'\0\0\0\0'
    return _blk(4, recs)


def pcapng_isb(ifid, tunits, opts):
    return _blk(5, struct.pack('<III', ifid, tunits >> 32, tunits & 0xffffffff) + _opts(opts))


def to_ns(cap, t):
    return cap.base * 10 ** 9 + int(round(t * 1e9))


# --------------------------------------------------------------------------------------------
# TCP connection model (capture point = the local side unless said otherwise)
# --------------------------------------------------------------------------------------------


class Conn:
    def __init__(self, cap, c, sv, cport, sport, rtt, tag=None, c_ext=None, s_ext=None, iface=0,
                 c_isn=None, s_isn=None, s_tos=0):
        self.cap, self.c, self.s = cap, c, sv
        self.cport, self.sport = cport, sport
        self.rtt = rtt
        self.tag = tag
        self.iface = iface
        self.v6 = c.v6
        r = c.rng
        self.ts = c.p['ts'] and sv.p['ts']
        self.v6adj = 20 if c.v6 else 0
        self.mss = min(c.p['mss'], sv.p['mss']) - (12 if self.ts else 0) - self.v6adj
        self.cseq = c_isn if c_isn is not None else r.randrange(1 << 32)
        self.sseq = s_isn if s_isn is not None else r.randrange(1 << 32)
        self.c_isn, self.s_isn = self.cseq, self.sseq
        self.crcv = 0   # ack value the client sends (server bytes received)
        self.srcv = 0   # ack value the server sends
        self.c_ipid = r.randrange(65536)
        self.s_ipid = r.randrange(65536)
        self.c_fl = r.randrange(1 << 20)
        self.s_fl = r.randrange(1 << 20)
        self.c_ext = c_ext
        self.s_ext = s_ext
        self.s_tos = s_tos
        self.sack_c = None   # SACK blocks the client currently advertises

    # -- raw builders --
    def _ip(self, frm_c, l4, ttl=None, ipid=None, df=True, ext=None, tos=0):
        if frm_c:
            src, dst, h = self.c.ip, self.s.ip, self.c
        else:
            src, dst, h = self.s.ip, self.c.ip, self.s
        if ttl is None:
            ttl = h.ttl
        if self.v6:
            pkt = IPv6(src=src, dst=dst, hlim=ttl, fl=self.c_fl if frm_c else self.s_fl, tc=tos)
            if ext is None:
                ext = self.c_ext if frm_c else self.s_ext
            if ext:
                for e in ext:
                    pkt = pkt / e()
            return bytes(pkt / l4)
        if ipid is None:
            ipid = h.next_ipid()
            if ipid is None:
                if frm_c:
                    self.c_ipid = (self.c_ipid + 1) & 0xffff
                    ipid = self.c_ipid
                else:
                    self.s_ipid = (self.s_ipid + 1) & 0xffff
                    ipid = self.s_ipid
        return bytes(IP(src=src, dst=dst, ttl=ttl, id=ipid, flags='DF' if df else 0, tos=tos) / l4)

    def _tsopt(self, frm_c, t):
        if frm_c:
            return ('Timestamp', (self.c.tsval(t), self.s.tsval(t - self.rtt / 2)))
        return ('Timestamp', (self.s.tsval(t - self.rtt / 2), self.c.tsval(t - self.rtt)))

    def _data_opts(self, frm_c, t, sack=None):
        o = []
        if self.ts:
            o += [('NOP', None), ('NOP', None), self._tsopt(frm_c, t)]
        if sack:
            o += [('NOP', None), ('NOP', None), ('SAck', tuple(x for blk in sack for x in blk))]
        return o

    def pkt(self, t, frm_c, flags, payload=b'', seq=None, ack=None, win=None, opts=None, comment=None, **ipkw):
        if seq is None:
            seq = self.cseq if frm_c else self.sseq
        if ack is None:
            ack = self.crcv if frm_c else self.srcv
        if 'A' not in flags:
            ack = 0
        if win is None:
            win = (self.c.p['win'] if frm_c else self.s.p['win'])
        if opts is None:
            opts = self._data_opts(frm_c, t, self.sack_c if frm_c else None)
        tcp = TCP(sport=self.cport if frm_c else self.sport, dport=self.sport if frm_c else self.cport,
                  seq=seq & 0xffffffff, ack=ack & 0xffffffff, flags=flags, window=win, options=opts)
        l4 = tcp / Raw(payload) if payload else tcp
        if not frm_c and 'tos' not in ipkw:
            ipkw['tos'] = self.s_tos
        data = self._ip(frm_c, l4, **ipkw)
        self.cap.add(t, data, iface=self.iface, comment=comment, tag=self.tag)
        return data

    # -- behaviour --
    def syn(self, t, retries=(), comment=None):
        p = self.c.p
        for i, dt in enumerate((0.0,) + tuple(retries)):
            opts = syn_options(dict(p, mss=p['mss'] - self.v6adj), self.c.tsval(t + dt), 0)
            self.pkt(t + dt, True, 'S', seq=self.c_isn, win=p['syn_win'], opts=opts, comment=comment if i == 0 else None)
        self.cseq = self.c_isn + 1

    def synack(self, t, **kw):
        p = self.s.p
        opts = syn_options(dict(p, mss=p['mss'] - self.v6adj), self.s.tsval(t - self.rtt / 2), self.c.tsval(t - self.rtt),
                           synack=True, peer=self.c.p)
        self.pkt(t, False, 'SA', seq=self.s_isn, ack=self.c_isn + 1, win=p['syn_win'], opts=opts, **kw)
        self.sseq = self.s_isn + 1
        self.crcv = self.sseq
        self.srcv = self.cseq

    def connect(self, t, ack_delay=0.00006):
        self.syn(t)
        self.synack(t + self.rtt)
        self.pkt(t + self.rtt + ack_delay, True, 'A')
        return t + self.rtt + ack_delay

    def c_send(self, t, data, gap=0.000015, seg=None, push=True):
        seg = seg or self.mss
        n = len(data)
        for i in range(0, n, seg):
            ch = data[i:i + seg]
            last = i + seg >= n
            self.pkt(t, True, 'PA' if (last and push) else 'A', ch)
            self.cseq += len(ch)
            t += gap
        self.srcv = self.cseq
        return t

    def s_ack(self, t):
        self.pkt(t, False, 'A')

    def c_ack(self, t):
        self.pkt(t, True, 'A')

    def s_send(self, t, data, gap=0.0002, ack_every=2, ack_lat=0.00004, seg=None, burst=None, burst_gap=None):
        """Server data arriving at the client from time t; the client acknowledges every
        ack_every segments. With burst=k, segments come in bursts of k (gap apart) separated
        by burst_gap."""
        seg = seg or self.mss
        n = len(data)
        k = 0
        for i in range(0, n, seg):
            ch = data[i:i + seg]
            last = i + seg >= n
            self.pkt(t, False, 'PA' if last else 'A', ch)
            self.sseq += len(ch)
            self.crcv = self.sseq
            k += 1
            if ack_every and (k % ack_every == 0 or last):
                self.pkt(t + ack_lat, True, 'A')
            if burst and k % burst == 0:
                t += burst_gap
            else:
                t += gap
        return t

    def c_fin(self, t):
        self.pkt(t, True, 'FA')
        self.cseq += 1
        self.srcv = self.cseq

    def s_fin(self, t):
        self.pkt(t, False, 'FA')
        self.sseq += 1
        self.crcv = self.sseq

    def close(self, t, who='c'):
        if who == 'c':
            self.c_fin(t)
            self.s_fin(t + self.rtt)
            self.c_ack(t + self.rtt + 0.00005)
        else:
            self.s_fin(t)
            self.c_ack(t + 0.00004)
            self.c_fin(t + 0.0003)
            self.s_ack(t + 0.0003 + self.rtt)
        return t + self.rtt

    def c_rst(self, t, seq=None):
        self.pkt(t, True, 'R', seq=self.cseq if seq is None else seq, win=0, opts=[])


# --------------------------------------------------------------------------------------------
# UDP / DNS helpers
# --------------------------------------------------------------------------------------------


def udp_pkt(src, dst, sport, dport, payload, ttl, ipid=0, df=False, ext=None, fl=0, chksum=None, tos=0):
    u = UDP(sport=sport, dport=dport)
    if chksum is not None:
        u.chksum = chksum
    if ':' in src:
        p = IPv6(src=src, dst=dst, hlim=ttl, fl=fl, tc=tos)
        if ext:
            for e in ext:
                p = p / e()
        return bytes(p / u / Raw(payload))
    return bytes(IP(src=src, dst=dst, ttl=ttl, id=ipid, flags='DF' if df else 0, tos=tos) / u / Raw(payload))


def dns_query_bytes(txid, qname, qtype, rd=1, ad=0, edns=None, cookie=None):
    ar = []
    if edns is not None:
        rdata = []
        if cookie:
            from scapy.layers.dns import EDNS0TLV
            rdata = [EDNS0TLV(optcode=10, optdata=cookie)]
        ar = [DNSRROPT(rclass=edns, z=0, rdata=rdata)]
    d = DNS(id=txid, rd=rd, ad=ad, qd=[DNSQR(qname=qname, qtype=qtype)], ar=ar)
    return bytes(d)


def dns_resp_bytes(txid, qname, qtype, answers, rcode=0, edns=None, rd=1, ra=1, aa=0, ad=0, ns=None):
    """answers: list of (name, type, ttl, rdata)"""
    an = [DNSRR(rrname=n, type=ty, ttl=tl, rdata=rd_) for (n, ty, tl, rd_) in answers]
    ar = [DNSRROPT(rclass=edns, z=0)] if edns is not None else []
    d = DNS(id=txid, qr=1, rd=rd, ra=ra, aa=aa, ad=ad, rcode=rcode, qd=[DNSQR(qname=qname, qtype=qtype)],
            an=an, ns=ns or [], ar=ar)
    return bytes(d.compress())


def gfw_forged(query, ip, ttl, rd=1):
    """GFW injector style: copy of the query up to the end of the question, flags 0x8180 (RD=1)
    or 0x8400 (RD=0), AN=1, NS=AR=0, answer c00c + A/AAAA (per Wallbleed's model)."""
    import socket
    i = 12
    while query[i] != 0:
        i += 1 + query[i]
    qend = i + 1 + 4
    qtype = struct.unpack('!H', query[i + 1:i + 3])[0]
    head = query[:2] + struct.pack('!HHHHH', 0x8180 if rd else 0x8400, 1, 1, 0, 0)
    if ':' in ip:
        ans = b'\xc0\x0c' + struct.pack('!HHIH', 28, 1, ttl, 16) + socket.inet_pton(socket.AF_INET6, ip)
    else:
        ans = b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, ttl, 4) + socket.inet_aton(ip)
    return head + query[12:qend] + ans


# --------------------------------------------------------------------------------------------
# TLS
# --------------------------------------------------------------------------------------------

GREASE = [0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba,
          0xcaca, 0xdada, 0xeaea, 0xfafa]


def ext(t, d=b''):
    return struct.pack('!HH', t, len(d)) + d


def sni_ext(name):
    n = name.encode()
    return ext(0, u16l(b'\x00' + u16l(n)))


def alpn_ext(protos):
    return ext(16, u16l(b''.join(u8l(p) for p in protos)))


def h16(lst):
    return b''.join(struct.pack('!H', x) for x in lst)


SIGALGS_CHROME = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]
SIGALGS_FF = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201]


def client_hello(rng, sni, style='chrome', alpn=(b'h2', b'http/1.1'), pq=False, quic_tp=None):
    """Returns (handshake message bytes, client random)."""
    crand = rng.randbytes(32)
    sid = b'' if style == 'quic' else rng.randbytes(32)
    x25519 = rng.randbytes(32)
    if style in ('chrome', 'quic', 'edge'):
        g1, g2, g3, g4 = rng.sample(GREASE, 4)
        if style == 'quic':
            suites = [0x1301, 0x1302, 0x1303]
        else:
            suites = [g1, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
                      0x009c, 0x009d, 0x002f, 0x0035]
        groups = ([g2] if style != 'quic' else []) + ([0x6399] if pq else []) + [0x001d, 0x0017, 0x0018]
        ks = b''
        if style != 'quic':
            ks += struct.pack('!HH', g2, 1) + b'\x00'
        if pq:
            ks += struct.pack('!HH', 0x6399, 1216) + rng.randbytes(1216)
        ks += struct.pack('!HH', 0x001d, 32) + x25519
        body_exts = [
            sni_ext(sni), ext(23), ext(0xff01, b'\x00'), ext(10, u16l(h16(groups))), ext(11, b'\x01\x00'),
            ext(35), alpn_ext(alpn), ext(5, b'\x01\x00\x00\x00\x00'), ext(13, u16l(h16(SIGALGS_CHROME))),
            ext(18), ext(51, u16l(ks)), ext(45, b'\x01\x01'),
            ext(43, u8l(h16(([g3] if style != 'quic' else []) + [0x0304] + ([0x0303] if style != 'quic' else [])))),
            ext(27, b'\x02\x00\x02'), ext(17513, u16l(u8l(alpn[0]))),
        ]
        if quic_tp is not None:
            body_exts.append(ext(0x39, quic_tp))
            body_exts = [e for e in body_exts if e[:2] not in (b'\x00\x17', b'\xff\x01', b'\x00\x0b', b'\x00\x23')]
        rng.shuffle(body_exts)
        exts = ([ext(g4)] if style != 'quic' else []) + body_exts + ([ext(g1 ^ 0x1010, b'\x00')] if style != 'quic' else [])
    elif style == 'firefox':
        suites = [0x1301, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a, 0xc009, 0xc013,
                  0xc014, 0x009c, 0x009d, 0x002f, 0x0035]
        p256 = b'\x04' + rng.randbytes(64)
        ks = struct.pack('!HH', 0x001d, 32) + x25519 + struct.pack('!HH', 0x0017, 65) + p256
        exts = [sni_ext(sni), ext(23), ext(0xff01, b'\x00'),
                ext(10, u16l(h16([0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101]))), ext(11, b'\x01\x00'),
                ext(35), alpn_ext(alpn), ext(5, b'\x01\x00\x00\x00\x00'), ext(34, u16l(h16([0x0403, 0x0503, 0x0603, 0x0203]))),
                ext(51, u16l(ks)), ext(43, u8l(h16([0x0304, 0x0303]))), ext(13, u16l(h16(SIGALGS_FF))),
                ext(45, b'\x01\x01'), ext(28, b'\x40\x01')]
    elif style == 'safari':
        g1, g2, g3, g4 = rng.sample(GREASE, 4)
        suites = [g1, 0x1301, 0x1302, 0x1303, 0xc02c, 0xc02b, 0xcca9, 0xc030, 0xc02f, 0xcca8, 0xc00a, 0xc009,
                  0xc014, 0xc013, 0x009d, 0x009c, 0x0035, 0x002f, 0xc008, 0xc012, 0x000a]
        ks = struct.pack('!HH', g2, 1) + b'\x00' + struct.pack('!HH', 0x001d, 32) + x25519
        exts = [ext(g4), sni_ext(sni), ext(23), ext(0xff01, b'\x00'),
                ext(10, u16l(h16([g2, 0x001d, 0x0017, 0x0018, 0x0019]))), ext(11, b'\x01\x00'), alpn_ext(alpn),
                ext(5, b'\x01\x00\x00\x00\x00'), ext(13, u16l(h16(SIGALGS_CHROME + [0x0201]))), ext(18),
                ext(51, u16l(ks)), ext(45, b'\x01\x01'), ext(43, u8l(h16([g3, 0x0304, 0x0303, 0x0302, 0x0301]))),
                ext(27, b'\x02\x00\x01'), ext(g1 ^ 0x1010, b'\x00')]
    elif style in ('schannel', 'tls12'):
        # Windows SChannel (apps, Windows Update) / pre-TLS1.3 browsers: TLS 1.2 only
        suites = [0xc02c, 0xc02b, 0xc030, 0xc02f, 0xc024, 0xc023, 0xc028, 0xc027, 0xc00a, 0xc009, 0xc014, 0xc013,
                  0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x000a]
        exts = [sni_ext(sni), ext(5, b'\x01\x00\x00\x00\x00'), ext(10, u16l(h16([0x001d, 0x0017, 0x0018]))),
                ext(11, b'\x01\x00'), ext(13, u16l(h16([0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0201, 0x0403,
                                                          0x0503, 0x0203, 0x0202, 0x0601, 0x0603]))),
                ext(35), alpn_ext(alpn), ext(23), ext(0xff01, b'\x00')]
        sid = b'' if style == 'tls12' else sid
    else:
        raise ValueError(style)
    pre = b'\x03\x03' + crand + u8l(sid) + u16l(h16(suites)) + b'\x01\x00'
    e = b''.join(exts)
    blen = len(pre) + 2 + len(e)
    if style in ('chrome', 'edge') and 256 <= blen + 4 < 512:
        padlen = 512 - (blen + 4) - 4
        if padlen < 1:
            padlen = 1
        # BoringSSL puts padding just before the final GREASE-less position
        e = e + ext(21, b'\0' * padlen)
    body = pre + u16l(e)
    return b'\x01' + u24l(body), crand


def rec(ct, body, ver=0x0303):
    return struct.pack('!BHH', ct, ver, len(body)) + body


def rec_ch(hs):
    return rec(0x16, hs, 0x0301)


def app_records(rng, n, maxrec=16384 + 17):
    out = b''
    while n > 0:
        k = min(n, maxrec)
        out += rec(0x17, rng.randbytes(k))
        n -= k
    return out


def server_flight13(rng, sid=b'', cert_len=None):
    srand = rng.randbytes(32)
    exts = ext(43, b'\x03\x04') + ext(51, struct.pack('!HH', 0x001d, 32) + rng.randbytes(32))
    body = b'\x03\x03' + srand + u8l(sid) + b'\x13\x01\x00' + u16l(exts)
    sh = rec(0x16, b'\x02' + u24l(body))
    ccs = rec(0x14, b'\x01')
    cl = cert_len if cert_len is not None else rng.randrange(2600, 4600)
    return sh + ccs + rec(0x17, rng.randbytes(cl))


def client_finish13(rng, req_len):
    return rec(0x14, b'\x01') + rec(0x17, rng.randbytes(53)) + rec(0x17, rng.randbytes(req_len))


def https_exchange(conn, rng, t, sni, style='chrome', resp=30000, req=450, gap=0.00025, pq=False,
                   close=None, think=0.002, server_think=0.004, ch=None, alpn=(b'h2', b'http/1.1'),
                   more=()):
    """Full TLS 1.3 fetch on an established connection; returns time after the last packet."""
    if ch is None:
        hs, _ = client_hello(rng, sni, style, pq=pq, alpn=alpn)
        ch = rec_ch(hs)
    sid = ch[5 + 4 + 2 + 32 + 1: 5 + 4 + 2 + 32 + 1 + ch[5 + 4 + 2 + 32]]
    t = conn.c_send(t + 0.00035, ch)
    t = conn.s_send(t - 0.000015 * 2 + conn.rtt + server_think, server_flight13(rng, sid), gap=gap)
    t = conn.c_send(t + think, client_finish13(rng, req))
    t = conn.s_send(t + conn.rtt + server_think, app_records(rng, 2 * 249 + resp) if resp else rec(0x17, rng.randbytes(249)), gap=gap)
    for (dt, rq, rs) in more:
        t = conn.c_send(t + dt, rec(0x17, rng.randbytes(rq)))
        t = conn.s_send(t + conn.rtt + server_think, app_records(rng, rs), gap=gap)
    if close is not None:
        t = conn.close(t + close, who='c')
    return t


# --------------------------------------------------------------------------------------------
# QUIC v1 Initial (RFC 9001 protection) so dissectors can read the SNI
# --------------------------------------------------------------------------------------------

QUIC_V1_SALT = bytes.fromhex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a')


def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand_label(secret, label, length):
    full = b'tls13 ' + label
    info = struct.pack('!H', length) + u8l(full) + b'\x00'
    out, prev, i = b'', b'', 1
    while len(out) < length:
        prev = hmac.new(secret, prev + info + bytes([i]), hashlib.sha256).digest()
        out += prev
        i += 1
    return out[:length]


def varint(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return struct.pack('!H', 0x4000 | n)
    return struct.pack('!I', 0x80000000 | n)


def quic_tp(rng, scid):
    tp = b''
    def p(i, v):
        return varint(i) + varint(len(v)) + v
    tp += p(0x01, varint(30000))          # max_idle_timeout
    tp += p(0x03, varint(1472))           # max_udp_payload_size
    tp += p(0x04, varint(15728640))       # initial_max_data
    tp += p(0x05, varint(6291456))
    tp += p(0x06, varint(6291456))
    tp += p(0x07, varint(6291456))
    tp += p(0x08, varint(100))
    tp += p(0x09, varint(103))
    tp += p(0x0f, scid)                   # initial_source_connection_id
    tp += p(0x0e, varint(4))              # active_connection_id_limit
    tp += p(31 * 1213 + 27, rng.randbytes(7))   # reserved (GREASE) parameter id
    return tp


def quic_initial(rng, dcid, scid, pn, ch_hs, dgram_size=1250, token=b''):
    init = hkdf_extract(QUIC_V1_SALT, dcid)
    cs = hkdf_expand_label(init, b'client in', 32)
    key = hkdf_expand_label(cs, b'quic key', 16)
    iv = hkdf_expand_label(cs, b'quic iv', 12)
    hp = hkdf_expand_label(cs, b'quic hp', 16)
    pn_len = 1
    crypto = b'\x06' + varint(0) + varint(len(ch_hs)) + ch_hs
    hdr_wo_len = bytes([0xc0 | (pn_len - 1)]) + b'\x00\x00\x00\x01' + u8l(dcid) + u8l(scid) + varint(len(token)) + token
    # payload length so that the datagram is exactly dgram_size
    plen = dgram_size - len(hdr_wo_len) - 2 - pn_len - 16
    payload = crypto + b'\x00' * (plen - len(crypto))
    length = pn_len + len(payload) + 16
    header = hdr_wo_len + struct.pack('!H', 0x4000 | length) + bytes([pn])
    nonce = bytes(a ^ b for a, b in zip(iv, b'\0' * 11 + bytes([pn])))
    ct = AESGCM(key).encrypt(nonce, payload, header)
    pn_off = len(header) - pn_len
    sample = ct[4 - pn_len: 4 - pn_len + 16]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(header)
    h[0] ^= mask[0] & 0x0f
    for i in range(pn_len):
        h[pn_off + i] ^= mask[1 + i]
    return bytes(h) + ct


# --------------------------------------------------------------------------------------------
# deterministic RSA keys and certificates (for the MITM case)
# --------------------------------------------------------------------------------------------

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % q for q in range(2, int(p ** 0.5) + 1))]


def _is_probable_prime(n, rng):
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(24):
        a = rng.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def det_rsa(seed, bits=2048):
    rng = random.Random(seed)
    e = 65537

    def prime(b):
        while True:
            n = rng.getrandbits(b) | (3 << (b - 2)) | 1
            if (n - 1) % e and _is_probable_prime(n, rng):
                return n
    p = prime(bits // 2)
    q = prime(bits // 2)
    if p < q:
        p, q = q, p
    n = p * q
    phi = (p - 1) * (q - 1)
    d = pow(e, -1, phi)
    pub = rsa.RSAPublicNumbers(e, n)
    priv = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), pub)
    return priv.private_key()


def name(*pairs):
    return x509.Name([x509.NameAttribute(oid, val) for oid, val in pairs])


# --------------------------------------------------------------------------------------------
# finishing touches applied to a sorted packet list
# --------------------------------------------------------------------------------------------


def perturb_order(frames, rng, k, protect=()):
    """Make k frames carry a timestamp 15-80 us earlier than their predecessor (as multi-queue
    NICs / driver timestamping produce). frames: list of [tns, ...]."""
    n = len(frames)
    cands = [i for i in range(2, n) if i not in protect and (i - 1) not in protect]
    chosen = sorted(rng.sample(cands, k))
    for i in chosen:
        frames[i][0] = frames[i - 1][0] - rng.randrange(15000, 80000)
    return chosen


def span_dup(frames, rng, pred):
    out = []
    for fr in frames:
        out.append(fr)
        if pred(fr):
            d = list(fr)
            d[0] = fr[0] + rng.randrange(3000, 21000)
            out.append(d)
    # keep capture order = arrival at the monitor port
    out.sort(key=lambda f: f[0])
    return out


EXPECT = {}


def expect(fname, mechanism, domain, ip, why, shape, allow=None):
    EXPECT[fname] = dict(mechanism=mechanism, domain=domain, ip=ip, why=why, shape=shape)
    if allow:
        EXPECT[fname]['allow'] = allow


# ============================================================================================
# generic traffic pieces
# ============================================================================================


def dns_exchange(cap, t, c_ip, r_ip, sport, qname, qtype, rtt, answers, txid, c_ttl, r_ttl, c_ipid=0, r_ipid=0,
                 c_df=False, r_df=False, q_edns=None, r_edns=None, rcode=0, iface=0, qflags_ad=0, ns=None,
                 c_fl=0, r_fl=0, tag=None, comment=None, resp=True):
    q = dns_query_bytes(txid, qname, qtype, ad=qflags_ad, edns=q_edns)
    cap.add(t, udp_pkt(c_ip, r_ip, sport, 53, q, c_ttl, c_ipid, c_df, fl=c_fl), iface=iface, tag=tag)
    if resp:
        r = dns_resp_bytes(txid, qname, qtype, answers, rcode=rcode, edns=r_edns, ad=0, ns=ns)
        cap.add(t + rtt, udp_pkt(r_ip, c_ip, 53, sport, r, r_ttl, r_ipid, r_df, fl=r_fl), iface=iface, tag=tag,
                comment=comment)
    return q


def sll_frames(cap, ifaces, rng):
    """ifaces: {idx: ('eth', own_mac) | ('lo',)}; 'any' device cooked v1 headers."""
    out = []
    for p in cap.ordered():
        tn = to_ns(cap, p.t)
        if p.kind == 'l2':
            continue
        proto = 0x0800 if p.data[0] >> 4 == 4 else 0x86dd
        kind = ifaces[p.iface]
        if kind[0] == 'lo':
            for k, pt in enumerate((4, 0)):
                hdr = struct.pack('!HHH', pt, 772, 6) + b'\0' * 8 + struct.pack('!H', proto)
                out.append([tn + k * rng.randrange(2000, 7000), hdr + p.data])
            continue
        src, dst = ip_src_dst(p.data)
        if src in cap.local:
            hdr = struct.pack('!HHH', 4, 1, 6) + mac2b(kind[1]) + b'\0\0' + struct.pack('!H', proto)
            data = p.data
        else:
            pt = 2 if is_mcast(dst) else 0
            hdr = struct.pack('!HHH', pt, 1, 6) + mac2b(cap.gw) + b'\0\0' + struct.pack('!H', proto)
            data = p.data
            if len(data) < 46:
                data = data + b'\0' * (46 - len(data))   # Ethernet trailer kept by packet socket
        out.append([tn, hdr + data])
    out.sort(key=lambda f: f[0])
    return out


def eth_frames(cap, vlan=None):
    return [[to_ns(cap, p.t), eth_frame(cap, p, vlan)] for p in cap.ordered()]


def raw_frames(cap):
    return [[to_ns(cap, p.t), p.data] for p in cap.ordered() if p.kind == 'ip']


def ephemeral(rng, lo=32768, hi=60999):
    return rng.randrange(lo, hi)


# ============================================================================================
# case 01: dns-injection, Linux "any" capture (SLL) with loopback stub-resolver traffic
# ============================================================================================


def case01():
    fname = 'h3_01_dnsinj_sll_any_loopback.pcap'
    rng = random.Random(301)
    base = epoch(2024, 11, 12, 9, 14, 3, tz=8)
    me, gw = '192.168.31.105', '192.168.31.1'
    mymac, gwmac = 'a4:c3:f0:5e:21:9b', '50:64:2b:3c:9e:01'
    cap = Cap(base, {me: mymac}, gwmac)
    cl = Host(me, 'linux', rng)
    lo_c = Host('127.0.0.1', 'linux', rng)
    lo_s = Host('127.0.0.1', 'linux', rng)
    lo_c.p['mss'] = lo_s.p['mss'] = 65495
    up = '8.8.8.8'
    LO = 1

    def resolve(t, qname, answers_a, answers_aaaa, rtt_up, forged=None, icmp_late=False):
        """glibc -> systemd-resolved stub (lo) -> 8.8.8.8 (wlan). forged: dict with injected
        replies that beat the genuine ones. Returns time the app got its answer, and its A list."""
        sp = ephemeral(rng)
        txa, txq = rng.randrange(65536), rng.randrange(65536)
        qa = dns_query_bytes(txa, qname, 'A', ad=1, edns=1200)
        q6 = dns_query_bytes(txq, qname, 'AAAA', ad=1, edns=1200)
        cap.add(t, udp_pkt('127.0.0.1', '127.0.0.53', sp, 53, qa, 64, rng.randrange(65536), True), iface=LO)
        cap.add(t + 0.00004, udp_pkt('127.0.0.1', '127.0.0.53', sp, 53, q6, 64, rng.randrange(65536), True), iface=LO)
        got = {}
        arrivals = []
        for i, (qt, ans) in enumerate((('A', answers_a), ('AAAA', answers_aaaa))):
            tu = t + 0.00021 + i * 0.00007
            usp = ephemeral(rng)
            utx = rng.randrange(65536)
            uq = dns_query_bytes(utx, qname, qt, edns=1232)
            cap.add(tu, udp_pkt(me, up, usp, 53, uq, 64, rng.randrange(65536), True))
            first = None
            late = []
            if forged and qt in forged:
                for (dt, ip, ipttl, df, ansttl) in forged[qt]:
                    fb = gfw_forged(uq, ip, ansttl)
                    cap.add(tu + dt, udp_pkt(up, me, 53, usp, fb, ipttl, rng.randrange(65536), df))
                    if first is None:
                        first = [ip]
                    else:
                        late.append((tu + dt, fb, ipttl))
            gen = dns_resp_bytes(utx, qname, qt, ans, edns=512)
            tg = tu + rtt_up + rng.uniform(0, 0.004)
            cap.add(tg, udp_pkt(up, me, 53, usp, gen, 114, 0, False))
            arrivals.append(tg)
            if first is None:
                first = [a[3] for a in ans if a[1] == qt]
            else:
                late.append((tg, gen, 114))
            if icmp_late:
                # resolved already closed the transaction socket: the kernel answers late replies
                for (tl, pl, ttl_) in late:
                    quoted = udp_pkt(up, me, 53, usp, pl, ttl_, 0, False)
                    cap.add(tl + 0.00003, bytes(IP(src=me, dst=up, ttl=64, id=rng.randrange(65536)) /
                                                 ICMP(type=3, code=3) / Raw(quoted[:548])))
            got[qt] = (first, ans)
        # stub answers the application once it has the (first) upstream answers
        tr = t + 0.0101 if forged else max(tl for tl in arrivals) + 0.00031
        for qt, txid, port_off in (('A', txa, 0), ('AAAA', txq, 0.00003)):
            first, ans = got[qt]
            if forged and qt in forged:
                rr = [(qname, qt, forged[qt][0][4], first[0])]
            else:
                rr = ans
            rb = dns_resp_bytes(txid, qname, qt, rr, edns=65494, ad=0)
            cap.add(tr + port_off, udp_pkt('127.0.0.53', '127.0.0.1', 53, sp, rb, 64, rng.randrange(65536), True),
                    iface=LO)
        return tr + 0.0001, got['A'][0]

    def visit(t, sip, sttl, rtt, sni, resp, style='firefox', close=1.5):
        s = Host(sip, 'srv_linux', rng, ttl=sttl)
        c = Conn(cap, cl, s, ephemeral(rng), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style=style, resp=resp, close=close)

    # --- loopback: a local web UI polled by a browser tab (seen twice on "any": Out + In) ---
    ui = Host('127.0.0.1', 'linux', rng)
    ui.p['mss'] = 65495
    def lo_poll(t):
        c = Conn(cap, lo_c, ui, ephemeral(rng), 8384, 0.00004, iface=LO)
        c.mss = 65483
        t = c.connect(t)
        t = c.c_send(t + 0.0001, b'GET /rest/events?since=4125&timeout=60 HTTP/1.1\r\nHost: 127.0.0.1:8384\r\n'
                     b'User-Agent: Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0\r\n'
                     b'Accept: application/json, text/plain, */*\r\nX-API-Key: 7sRk2yGdP4vVqXn9\r\n'
                     b'Connection: keep-alive\r\n\r\n')
        c.s_ack(t + 0.00003)
        body = b'[{"id":4126,"globalID":9311,"type":"LocalIndexUpdated","time":"2024-11-12T09:14:52+08:00"}]'
        t = c.s_send(t + 0.0021, b'HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n'
                     b'Content-Length: %d\r\n\r\n' % len(body) + body, ack_every=1)
        return c.close(t + 0.0005)

    t = 0.62
    for k in range(9):
        lo_poll(t + k * 10.3 + rng.uniform(0, 0.2))

    # --- ordinary browsing ---
    t = 3.1
    tr, ips = resolve(t, 'www.baidu.com',
                      [('www.baidu.com', 'CNAME', 1043, 'www.a.shifen.com'), ('www.a.shifen.com', 'A', 193, '110.242.68.66'),
                       ('www.a.shifen.com', 'A', 193, '110.242.68.3')],
                      [('www.baidu.com', 'CNAME', 1043, 'www.a.shifen.com')], 0.0512)
    t = visit(tr + 0.0003, '110.242.68.66', 52, 0.0281, 'www.baidu.com', 61000)
    tr, ips = resolve(t + 0.4, 'www.zhihu.com',
                      [('www.zhihu.com', 'CNAME', 600, 'www.zhihu.com.ipv6.dsa.dnsv1.com'),
                       ('www.zhihu.com.ipv6.dsa.dnsv1.com', 'A', 60, '118.89.204.198')],
                      [('www.zhihu.com', 'CNAME', 600, 'www.zhihu.com.ipv6.dsa.dnsv1.com')], 0.0497)
    t = visit(tr + 0.0003, '118.89.204.198', 51, 0.0312, 'www.zhihu.com', 143000)
    tr, ips = resolve(t + 2.2, 'static.zhihu.com',
                      [('static.zhihu.com', 'CNAME', 600, 'static.zhihu.com.cdn.dnsv1.com'),
                       ('static.zhihu.com.cdn.dnsv1.com', 'A', 60, '111.62.93.170')],
                      [('static.zhihu.com', 'CNAME', 600, 'static.zhihu.com.cdn.dnsv1.com')], 0.0531)
    visit(tr + 0.0003, '111.62.93.170', 54, 0.0242, 'static.zhihu.com', 388000)

    # --- the censored lookup: www.bbc.com (two GFW injectors race the genuine 8.8.8.8 reply) ---
    t = 41.37
    gen_a = [('www.bbc.com', 'CNAME', 287, 'www.bbc.com.pri.bbc.com'),
             ('www.bbc.com.pri.bbc.com', 'CNAME', 287, 'uk.www.bbc.com.pri.bbc.com'),
             ('uk.www.bbc.com.pri.bbc.com', 'A', 47, '151.101.0.81'), ('uk.www.bbc.com.pri.bbc.com', 'A', 47, '151.101.64.81'),
             ('uk.www.bbc.com.pri.bbc.com', 'A', 47, '151.101.128.81'), ('uk.www.bbc.com.pri.bbc.com', 'A', 47, '151.101.192.81')]
    gen_6 = [('www.bbc.com', 'CNAME', 287, 'www.bbc.com.pri.bbc.com'),
             ('www.bbc.com.pri.bbc.com', 'CNAME', 287, 'uk.www.bbc.com.pri.bbc.com'),
             ('uk.www.bbc.com.pri.bbc.com', 'AAAA', 47, '2a04:4e42::81'), ('uk.www.bbc.com.pri.bbc.com', 'AAAA', 47, '2a04:4e42:200::81')]
    forged = {'A': [(0.00913, '31.13.94.41', 64, False, 211), (0.00941, '157.240.11.35', 89, True, 60)],
              'AAAA': [(0.00922, '2a03:2880:f10e:83:face:b00c:0:25de', 64, False, 211)]}
    tr, ips = resolve(t, 'www.bbc.com', gen_a, gen_6, 0.0533, forged=forged, icmp_late=True)
    # Firefox connects to the forged address: unanswered SYNs (the address is itself filtered)
    s = Host('31.13.94.41', 'srv_linux', rng, ttl=50)
    c = Conn(cap, cl, s, ephemeral(rng), 443, 0.2)
    c.syn(tr + 0.0006, retries=(1.021, 3.069, 7.201))

    # --- after the failure the user continues ---
    t = 58.9
    tr, ips = resolve(t, 'www.bilibili.com',
                      [('www.bilibili.com', 'CNAME', 300, 'a.w.bilicdn1.com'), ('a.w.bilicdn1.com', 'A', 120, '120.92.78.97')],
                      [('www.bilibili.com', 'CNAME', 300, 'a.w.bilicdn1.com')], 0.0488)
    visit(tr + 0.0003, '120.92.78.97', 50, 0.0337, 'www.bilibili.com', 221000)
    tr, ips = resolve(t + 6.3, 'api.bilibili.com',
                      [('api.bilibili.com', 'CNAME', 300, 'a.w.bilicdn1.com'), ('a.w.bilicdn1.com', 'A', 120, '120.92.78.97')],
                      [('api.bilibili.com', 'CNAME', 300, 'a.w.bilicdn1.com')], 0.0502)
    visit(tr + 0.0003, '120.92.78.97', 50, 0.0335, 'api.bilibili.com', 9000)

    frames = sll_frames(cap, {0: ('eth', mymac), LO: ('lo',)}, rng)
    write_pcap(os.path.join(OUT, fname), 113, frames, snaplen=262144)
    expect(fname, 'dns-injection', 'www.bbc.com', up,
           'A and AAAA queries from systemd-resolved to 8.8.8.8 each get GFW-style forged replies ~9 ms after '
           'the query (flags 0x8180, AN=1, no OPT echoed although the query had EDNS, IP TTL 64 = mirrored, '
           'second injector DF=1 TTL 89, Facebook pool addresses for a BBC name) and then the genuine reply '
           '~53 ms later (TTL 114, CNAME chain to Fastly, OPT). Late replies draw ICMP port unreachable.',
           'Linux cooked (SLL, linktype 113) capture on "any": wlan + lo; stub-resolver queries on lo appear '
           'twice (Out+In); no SYN/ACK for the forged address; Ethernet trailer padding on short frames.',
           allow=[{'mechanism': 'dns-tampering', 'domain': 'www.bbc.com'}])


# ============================================================================================
# case 02: dns-tampering (Iran 10.10.34.36 / d0::11), Windows client, dumpcap pcapng
# ============================================================================================


def win_dns(cap, rng, t, me, res, qname, a_ans, aaaa_ans, rtt, r_ttl, cl, comment=None, aaaa_first=False):
    """Windows DNS client: A and AAAA in parallel from two random ports; returns arrival of last."""
    last = t
    order = (('AAAA', aaaa_ans), ('A', a_ans)) if aaaa_first else (('A', a_ans), ('AAAA', aaaa_ans))
    for i, (qt, ans) in enumerate(order):
        tx = rng.randrange(65536)
        sp = rng.randrange(49152, 65535)
        tq = t + i * 0.00011
        q = dns_query_bytes(tx, qname, qt)
        cap.add(tq, udp_pkt(me, res, sp, 53, q, 128, cl.next_ipid(), False))
        r = dns_resp_bytes(tx, qname, qt, ans)
        ta = tq + rtt + rng.uniform(0, 0.002)
        cap.add(ta, udp_pkt(res, me, 53, sp, r, r_ttl, rng.randrange(65536), False),
                comment=comment if qt == 'A' else None)
        last = max(last, ta)
    return last


def ssdp(cap, t, me, ttl=1, ipid=0):
    msg = (b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\n'
           b'ST: urn:dial-multiscreen-org:service:dial:1\r\nUSER-AGENT: Microsoft Edge/119.0.2151.97 Windows\r\n\r\n')
    cap.add(t, udp_pkt(me, '239.255.255.250', 50123, 1900, msg, ttl, ipid, False))


def case02():
    fname = 'h3_02_dnstamper_iran_dumpcap.pcapng'
    rng = random.Random(302)
    base = epoch(2023, 2, 14, 19, 41, 7, tz=3.5)
    me, gw = '192.168.1.34', '192.168.1.1'
    mymac, gwmac = '3c:6a:a7:1d:52:e0', 'e4:8d:8c:2a:11:70'
    cap = Cap(base, {me: mymac}, gwmac)
    cl = Host(me, 'win10', rng)
    res = '217.218.127.127'
    RT = 250   # resolver appliance: initial TTL 255

    def visit(t, sip, sttl, rtt, sni, resp, prof='srv_linux', close=None, more=()):
        s = Host(sip, prof, rng, ttl=sttl)
        c = Conn(cap, cl, s, rng.randrange(49152, 65535), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style='edge', resp=resp, close=close, more=more)

    cap.add(0.41, arp_frame(mymac, me, gw), kind='l2')
    cap.add(0.4134, arp_frame(gwmac, gw, me, reply=True, tmac=mymac), kind='l2')
    for k in range(0, 70, 9):
        ssdp(cap, 0.9 + k + rng.uniform(0, 0.3), me, ipid=cl.next_ipid())

    t = win_dns(cap, rng, 2.07, me, res, 'www.digikala.com',
                [('www.digikala.com', 'A', 300, '185.147.178.12'), ('www.digikala.com', 'A', 300, '185.147.178.13')],
                [], 0.0312, RT, cl)
    t = visit(t + 0.0011, '185.147.178.12', 57, 0.0188, 'www.digikala.com', 310000,
              more=((0.35, 610, 48000), (1.2, 540, 151000)))
    t = win_dns(cap, rng, 9.66, me, res, 'www.google.com',
                [('www.google.com', 'A', 234, '142.250.185.100')],
                [('www.google.com', 'AAAA', 234, '2a00:1450:4001:82a::2004')], 0.0417, RT, cl)
    t = visit(t + 0.0009, '142.250.185.100', 112, 0.0791, 'www.google.com', 88000, prof='srv_google')

    # --- the tampered lookup ---
    t0 = 21.43
    t = win_dns(cap, rng, t0, me, res, 'www.instagram.com',
                [('www.instagram.com', 'A', 600, '10.10.34.36')],
                [('www.instagram.com', 'AAAA', 600, 'd0::11')], 0.0294, RT, cl,
                comment='instagram resolves to 10.10.34.36 here (no VPN)')
    # Edge connects to the answer; 10.10.34.36 refuses 443 (the peyvandha page is on 80 only)
    bp = Host('10.10.34.36', 'srv_linux', rng, ttl=61)
    sp = rng.randrange(49152, 65535)
    c = Conn(cap, cl, bp, sp, 443, 0.0061)
    for k, dt in enumerate((0.0, 0.512, 1.027)):
        c.syn(t + 0.0013 + dt)
        c.pkt(t + 0.0013 + dt + 0.0061, False, 'RA', seq=0, ack=c.c_isn + 1, win=0, opts=[])

    t = win_dns(cap, rng, 33.8, me, res, 'www.aparat.com',
                [('www.aparat.com', 'A', 120, '185.49.86.148')], [], 0.0301, RT, cl)
    t = visit(t + 0.001, '185.49.86.148', 58, 0.0204, 'www.aparat.com', 720000, more=((0.9, 700, 260000),))
    t = win_dns(cap, rng, 51.9, me, res, 'v10.events.data.microsoft.com',
                [('v10.events.data.microsoft.com', 'CNAME', 2470, 'global.asimov.events.data.trafficmanager.net'),
                 ('global.asimov.events.data.trafficmanager.net', 'CNAME', 10, 'onedscolprdweu03.westeurope.cloudapp.azure.com'),
                 ('onedscolprdweu03.westeurope.cloudapp.azure.com', 'A', 10, '20.50.201.195')], [], 0.0365, RT, cl)
    s = Host('20.50.201.195', 'srv_win', rng, ttl=108)
    c = Conn(cap, cl, s, rng.randrange(49152, 65535), 443, 0.0842)
    t = c.connect(t + 0.0008)
    hs, _ = client_hello(rng, 'v10.events.data.microsoft.com', 'schannel', alpn=(b'http/1.1',))
    https_exchange(c, rng, t, None, ch=rec_ch(hs), resp=600, req=5200, close=0.2)

    frames = eth_frames(cap)
    n = len(frames)
    t_first, t_last = frames[0][0], frames[-1][0]
    us = lambda tn: tn // 1000
    with open(os.path.join(OUT, fname), 'wb') as f:
        f.write(pcapng_shb([(2, 'Intel(R) Core(TM) i5-8265U CPU @ 1.60GHz (with SSE4.2)'),
                            (3, '64-bit Windows 10 (22H2), build 19045'),
                            (4, 'Dumpcap (Wireshark) 4.0.3 (v4.0.3-0-gc552f74cdc23)')]))
        f.write(pcapng_idb(1, 262144, [(2, '\\Device\\NPF_{5A1E7C3B-2F0D-4C51-9B6E-8E2D3F4A1C77}'),
                                       (3, 'Wi-Fi'), (9, b'\x06'),
                                       (12, '64-bit Windows 10 (22H2), build 19045')]))
        f.write(pcapng_nrb(v4=[('185.147.178.12', ['www.digikala.com']), ('185.147.178.13', ['www.digikala.com']),
                               ('142.250.185.100', ['www.google.com']), ('10.10.34.36', ['www.instagram.com']),
                               ('185.49.86.148', ['www.aparat.com']),
                               ('20.50.201.195', ['onedscolprdweu03.westeurope.cloudapp.azure.com'])],
                           v6=[('2a00:1450:4001:82a::2004', ['www.google.com']), ('d0::11', ['www.instagram.com'])]))
        comments = {p.seq: p.comment for p in cap.pkts if p.comment}
        ordered = cap.ordered()
        for (tn, fr), p in zip(frames, ordered):
            opts = [(1, p.comment)] if p.comment else None
            f.write(pcapng_epb(0, us(tn), fr, 262144, opts))
        f.write(pcapng_isb(0, us(t_last) + 1200, [(2, struct.pack('<II', us(t_first - 2_100_000) >> 32, us(t_first - 2_100_000) & 0xffffffff)),
                                                  (3, struct.pack('<II', (us(t_last) + 1200) >> 32, (us(t_last) + 1200) & 0xffffffff)),
                                                  (4, struct.pack('<Q', n + 3)), (5, struct.pack('<Q', 0)),
                                                  (7, struct.pack('<Q', 0)), (8, struct.pack('<Q', n))]))
    expect(fname, 'dns-tampering', 'www.instagram.com', res,
           'The ISP resolver answers www.instagram.com with A 10.10.34.36 and AAAA d0::11 (Iran national '
           'block-page addresses, RFC1918/bogon for a public name), one reply each, no race; Edge then gets '
           'RST to its SYNs on 10.10.34.36:443 (Windows retries twice). Other names resolve normally.',
           'pcapng by dumpcap on Windows (Wi-Fi), NRB with the resolved names, ISB at the end, a packet comment; '
           'Windows 10 client (TTL 128, no TCP timestamps, WS 8), resolver appliance with initial TTL 255, '
           'Azure telemetry server TTL 128, SSDP/ARP noise.')


# ============================================================================================
# case 03: dns-tampering (polluted Chinese public resolver, bogon GFW lie address), tcpdump -s 128
# ============================================================================================


def server_flight12(rng, cert_len=3100, ske=True, sid=None):
    srand = rng.randbytes(32)
    exts = ext(0xff01, b'\x00') + ext(11, b'\x01\x00') + ext(23)
    body = b'\x03\x03' + srand + u8l(sid if sid is not None else rng.randbytes(32)) + b'\xc0\x2f\x00' + u16l(exts)
    msgs = b'\x02' + u24l(body)
    certs = rng.randbytes(cert_len)
    msgs += b'\x0b' + u24l(u24l(u24l(certs)))
    if ske:
        msgs += b'\x0c' + u24l(b'\x03\x00\x17\x41\x04' + rng.randbytes(64) + b'\x04\x01' + u16l(rng.randbytes(256)))
    msgs += b'\x0e\x00\x00\x00'
    return rec(0x16, msgs)


def https12_exchange(conn, rng, t, sni, style='tls12', resp=30000, req=500, gap=0.0003, close=None, think=0.003,
                     server_think=0.003):
    hs, _ = client_hello(rng, sni, style, alpn=(b'h2', b'http/1.1'))
    t = conn.c_send(t + 0.0004, rec_ch(hs))
    t = conn.s_send(t + conn.rtt + server_think, server_flight12(rng), gap=gap)
    t = conn.c_send(t + think, rec(0x16, rng.randbytes(70)) + rec(0x14, b'\x01') + rec(0x16, rng.randbytes(40)))
    t = conn.s_send(t + conn.rtt + 0.001, rec(0x16, rng.randbytes(202)) + rec(0x14, b'\x01') + rec(0x16, rng.randbytes(40)), gap=gap)
    t = conn.c_send(t + 0.0005, rec(0x17, rng.randbytes(req)))
    t = conn.s_send(t + conn.rtt + server_think, app_records(rng, resp), gap=gap)
    if close is not None:
        t = conn.close(t + close)
    return t


def case03():
    fname = 'h3_03_dnstamper_cn_resolver_snap128.pcap'
    rng = random.Random(303)
    base = epoch(2016, 5, 18, 22, 7, 41, tz=8)
    me, gw = '192.168.0.105', '192.168.0.1'
    mymac, gwmac = '78:31:c1:b8:4e:2a', 'd4:ee:07:21:9c:34'
    cap = Cap(base, {me: mymac}, gwmac)
    cl = Host(me, 'macos', rng)
    res = '114.114.114.114'

    def lookup(t, qname, a, aaaa, rtt, rttl=57):
        last = t
        for i, (qt, ans) in enumerate((('A', a), ('AAAA', aaaa))):
            tx = rng.randrange(65536)
            sp = rng.randrange(49152, 65535)
            q = dns_query_bytes(tx, qname, qt)
            cap.add(t + i * 0.00018, udp_pkt(me, res, sp, 53, q, 64, rng.randrange(65536), False))
            r = dns_resp_bytes(tx, qname, qt, ans)
            ta = t + i * 0.00018 + rtt + rng.uniform(0, 0.003)
            cap.add(ta, udp_pkt(res, me, 53, sp, r, rttl, rng.randrange(65536), False))
            last = max(last, ta)
        return last

    def visit(t, sip, sttl, rtt, sni, resp, close=None):
        s = Host(sip, 'srv_linux', rng, ttl=sttl)
        c = Conn(cap, cl, s, rng.randrange(49152, 65535), 443, rtt)
        t = c.connect(t)
        return https12_exchange(c, rng, t, sni, resp=resp, close=close)

    def http(t, sip, sttl, rtt, host, path, resp, ctype=b'text/html'):
        s = Host(sip, 'srv_linux', rng, ttl=sttl)
        c = Conn(cap, cl, s, rng.randrange(49152, 65535), 80, rtt)
        t = c.connect(t)
        req = (b'GET ' + path + b' HTTP/1.1\r\nHost: ' + host + b'\r\nAccept: text/html,application/xhtml+xml,'
               b'application/xml;q=0.9,*/*;q=0.8\r\nUpgrade-Insecure-Requests: 1\r\nUser-Agent: Mozilla/5.0 '
               b'(Macintosh; Intel Mac OS X 10_11_4) AppleWebKit/601.5.17 (KHTML, like Gecko) Version/9.1 '
               b'Safari/601.5.17\r\nAccept-Language: zh-cn\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n')
        t = c.c_send(t + 0.0003, req)
        body = rng.randbytes(resp)
        hdr = (b'HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Wed, 18 May 2016 14:08:02 GMT\r\nContent-Type: ' + ctype +
               b'\r\nContent-Length: %d\r\nConnection: keep-alive\r\nContent-Encoding: gzip\r\n\r\n' % resp)
        return c.s_send(t + rtt + 0.006, hdr + body, gap=0.00035)

    # ntp + mDNS noise
    cap.add(0.12, udp_pkt(me, '17.253.84.125', 123, 123, b'\x23' + b'\x00' * 39 + rng.randbytes(8), 64, rng.randrange(65536), False))
    cap.add(0.161, udp_pkt('17.253.84.125', me, 123, 123, b'\x24\x01\x00\xe7' + rng.randbytes(44), 52, 0, False))
    for k in range(4):
        cap.add(1.7 + k * 21.3, udp_pkt(me, '224.0.0.251', 5353, 5353,
                                        bytes(DNS(qd=[DNSQR(qname='_airplay._tcp.local', qtype='PTR', unicastresponse=0)])),
                                        255, rng.randrange(65536), False))

    t = lookup(2.31, 'www.baidu.com', [('www.baidu.com', 'CNAME', 1138, 'www.a.shifen.com'),
                                      ('www.a.shifen.com', 'A', 267, '61.135.169.121'), ('www.a.shifen.com', 'A', 267, '61.135.169.125')],
               [('www.baidu.com', 'CNAME', 1138, 'www.a.shifen.com')], 0.0243)
    t = visit(t + 0.0015, '61.135.169.121', 53, 0.0331, 'www.baidu.com', 57000)
    t = lookup(t + 5.2, 'www.sina.com.cn', [('www.sina.com.cn', 'CNAME', 58, 'spool.grid.sinaedge.com'),
                                           ('spool.grid.sinaedge.com', 'A', 58, '123.126.157.222')], [], 0.0262)
    t = http(t + 0.001, '123.126.157.222', 55, 0.0289, b'www.sina.com.cn', b'/', 96000)

    # --- tampered: the polluted resolver hands out a GFW lie address (240/4) for www.youtube.com ---
    t = lookup(27.45, 'www.youtube.com', [('www.youtube.com', 'A', 163, '243.185.187.39')], [], 0.0198)
    # Safari cannot even send to 243.0.0.0/4: no packets. The user tries once more a few seconds later
    t = lookup(t + 4.1, 'www.youtube.com', [('www.youtube.com', 'A', 159, '243.185.187.39')], [], 0.0207)

    t = lookup(t + 7.5, 'www.qq.com', [('www.qq.com', 'CNAME', 300, 'news.qq.com.edgekey.net'),
                                       ('news.qq.com.edgekey.net', 'A', 60, '125.39.240.113')], [], 0.0301)
    t = visit(t + 0.001, '125.39.240.113', 54, 0.0277, 'www.qq.com', 131000)
    t = lookup(t + 3.4, 'mail.163.com', [('mail.163.com', 'CNAME', 600, 'mail163.ntes53.netease.com'),
                                         ('mail163.ntes53.netease.com', 'A', 60, '123.126.96.210')], [], 0.0281)
    visit(t + 0.001, '123.126.96.210', 54, 0.0301, 'mail.163.com', 74000, close=0.9)

    write_pcap(os.path.join(OUT, fname), 1, eth_frames(cap), snaplen=128)
    expect(fname, 'dns-tampering', 'www.youtube.com', res,
           'The (polluted) public resolver 114.114.114.114 answers www.youtube.com with A 243.185.187.39, a '
           'documented GFW lie address in 240/4 (bogon for a public name); single answers, no race (the '
           'resolver itself was poisoned upstream). No connection follows (class E is unroutable).',
           'tcpdump -s 128 on en0: every packet above 128 bytes is truncated (TLS certificates, page bodies), DNS '
           'fits; OS X 10.11 client (TTL 64, TS, WS 6), TLS 1.2 era, mDNS/NTP noise.')


# ============================================================================================
# case 04: rst-injection (GFW type-II RST+ACK x3 after the SNI), capture started mid-session
# ============================================================================================


def mac_dns(cap, rng, t, me, res, qname, a, aaaa, rtt, rttl, https_rr=False):
    last = t
    qs = [('A', a), ('AAAA', aaaa)] + ([('HTTPS', [])] if https_rr else [])
    for i, (qt, ans) in enumerate(qs):
        tx = rng.randrange(65536)
        sp = rng.randrange(49152, 65535)
        q = dns_query_bytes(tx, qname, 65 if qt == 'HTTPS' else qt)
        cap.add(t + i * 0.00009, udp_pkt(me, res, sp, 53, q, 64, rng.randrange(65536), False))
        r = dns_resp_bytes(tx, qname, 65 if qt == 'HTTPS' else qt, ans)
        ta = t + i * 0.00009 + rtt + rng.uniform(0, 0.002)
        cap.add(ta, udp_pkt(res, me, 53, sp, r, rttl, rng.randrange(65536), False))
        last = max(last, ta)
    return last


def long_lived(conn, rng, t0, t1, period, c_len=(40, 90), s_len=(30, 80), tls=True, jitter=0.3):
    t = t0
    while t < t1:
        payload = rng.randbytes(rng.randrange(*c_len))
        if tls:
            payload = rec(0x17, payload)
        conn.c_send(t, payload)
        sp = rng.randbytes(rng.randrange(*s_len))
        conn.s_send(t + conn.rtt + 0.0009, rec(0x17, sp) if tls else sp, ack_every=1, ack_lat=0.035)
        t += period * (1 + rng.uniform(-jitter, jitter))


def case04():
    fname = 'h3_04_rst_gfw_sni_midsession.pcap'
    rng = random.Random(304)
    base = epoch(2024, 6, 20, 21, 5, 0, tz=8)
    me, gw = '192.168.0.23', '192.168.0.1'
    mymac, gwmac = '14:7d:da:3a:0b:c1', '9c:9d:7e:51:02:ff'
    cap = Cap(base, {me: mymac}, gwmac, start=0.0)
    cl = Host(me, 'macos', rng)

    # --- flows already running when tcpdump started (their handshakes are not in the file) ---
    wx = Conn(cap, cl, Host('183.47.103.119', 'srv_linux', rng, ttl=51), 59213, 8080, 0.0331)
    wx.connect(-1802.4)
    long_lived(wx, rng, -60.0, 75.0, 24.0, tls=False)
    apns = Conn(cap, cl, Host('17.57.146.20', 'srv_linux', rng, ttl=49), 59107, 5223, 0.1922)
    apns.connect(-3601.0)
    long_lived(apns, rng, -40.0, 75.0, 31.0)
    vid = Conn(cap, cl, Host('120.232.50.78', 'srv_cdn', rng, ttl=54), 60133, 443, 0.0252)
    t = vid.connect(-14.6)
    t = https_exchange(vid, rng, t, 'upos-sz-mirrorcos.bilivideo.com', style='chrome', resp=420000)
    for k in range(-1, 9):
        tk = -0.0131 + k * 6.1 + (rng.uniform(0, 0.4) if k else 0.0)
        vid.c_send(tk, rec(0x17, rng.randbytes(rng.randrange(90, 160))))
        vid.s_send(tk + vid.rtt + 0.004, app_records(rng, rng.randrange(380000, 520000)), gap=0.00011)

    # DNS for the censored name happened before the capture started
    mac_dns(cap, rng, -2.9, me, gw, 'www.nytimes.com',
            [('www.nytimes.com', 'CNAME', 300, 'nytimes.map.fastly.net'), ('nytimes.map.fastly.net', 'A', 30, '151.101.1.164'),
             ('nytimes.map.fastly.net', 'A', 30, '151.101.65.164')], [], 0.0043, 64, https_rr=True)

    # ordinary browsing inside the window
    t = mac_dns(cap, rng, 3.02, me, gw, 'www.baidu.com',
                [('www.baidu.com', 'CNAME', 600, 'www.a.shifen.com'), ('www.a.shifen.com', 'A', 60, '180.101.50.188'),
                 ('www.a.shifen.com', 'A', 60, '180.101.50.242')], [], 0.0061, 64, https_rr=True)
    c = Conn(cap, cl, Host('180.101.50.188', 'srv_linux', rng, ttl=52), rng.randrange(49152, 65535), 443, 0.0213)
    t = c.connect(t + 0.0009)
    https_exchange(c, rng, t, 'www.baidu.com', style='chrome', pq=True, resp=74000,
                   more=((0.8, 420, 31000), (2.1, 380, 12000)))

    # --- the censored connection: Chrome, post-quantum ClientHello in two segments ---
    srv = Host('151.101.1.164', 'srv_cdn', rng, ttl=53)
    c = Conn(cap, cl, srv, 61872, 443, 0.1713)
    t = c.connect(14.204)
    hs, _ = client_hello(rng, 'www.nytimes.com', 'chrome', pq=True)
    ch = rec_ch(hs)
    sid = ch[44:44 + ch[43]]
    t_ch = t + 0.00041
    c.c_send(t_ch, ch)
    ack_after_ch = c.cseq
    s_next = c.sseq
    # three identical-looking RST+ACK, DF set, random IP ID, incrementing TTL, non-zero window
    t_r = t_ch + 0.01873
    for k in range(3):
        c.pkt(t_r + k * 0.000071, False, 'RA', seq=s_next, ack=ack_after_ch, win=2052 + k, opts=[],
              ttl=104 + k, ipid=rng.randrange(0x00a3, 0xfe5f), df=True)
    # genuine server answer arrives one RTT after the ClientHello; the client stack already closed
    t_g = t_ch + c.rtt + 0.0012
    flight = server_flight13(rng, sid, cert_len=3511)
    sseq = s_next
    for i, off in enumerate(range(0, len(flight), c.mss)):
        ch_ = flight[off:off + c.mss]
        c.pkt(t_g + i * 0.00012, False, 'A' if off + c.mss < len(flight) else 'PA', ch_, seq=sseq, ack=ack_after_ch)
        sseq += len(ch_)
        c.pkt(t_g + i * 0.00012 + 0.00003, True, 'R', seq=ack_after_ch, win=0, opts=[])

    # after the error page the user goes elsewhere
    t = mac_dns(cap, rng, 31.7, me, gw, 'news.sina.com.cn',
                [('news.sina.com.cn', 'CNAME', 60, 'spool.grid.sinaedge.com'), ('spool.grid.sinaedge.com', 'A', 60, '123.126.45.205')],
                [], 0.0071, 64, https_rr=True)
    c = Conn(cap, cl, Host('123.126.45.205', 'srv_linux', rng, ttl=50), rng.randrange(49152, 65535), 443, 0.0297)
    t = c.connect(t + 0.001)
    https_exchange(c, rng, t, 'news.sina.com.cn', style='chrome', pq=True, resp=260000, more=((1.4, 500, 90000),))

    write_pcap(os.path.join(OUT, fname), 1, eth_frames(cap), snaplen=524288)
    expect(fname, 'rst-injection', 'www.nytimes.com', '151.101.1.164',
           '18.7 ms after the (two-segment, post-quantum) ClientHello with SNI www.nytimes.com, three RST+ACK '
           'claiming to be 151.101.1.164 arrive with TTL 104-106 (server SYN/ACK TTL 53), DF set, random IP IDs, '
           'window 2052-2054 (GFW type II); the genuine ServerHello flight arrives 171 ms later and the client '
           'stack answers each segment with RST (race evidence). No DNS for the name in the file.',
           'Capture starts mid-session: WeChat, APNs and a bilibili video stream are in progress with no '
           'handshakes; the censored name was resolved before the capture; macOS client (TTL 64, TS, WS 6), '
           'Chrome PQ ClientHello split over two TCP segments; HTTPS RR queries.')


# ============================================================================================
# case 05: rst-injection over IPv6 (GFW type I + type II), hop-by-hop header on the censored flow
# ============================================================================================


def case05():
    fname = 'h3_05_rst_gfw_ipv6_hbh_android.pcap'
    rng = random.Random(305)
    base = epoch(2023, 9, 8, 20, 31, 10, tz=8)
    me4, me6, gw4 = '192.168.8.143', '2408:8207:2c4a:1b30:3d5e:9a1f:70c2:11e4', '192.168.8.1'
    gw6ll = 'fe80::20e:c6ff:feaa:102'
    mymac, gwmac = '2a:1f:9c:44:0e:7b', '00:0e:c6:aa:01:02'
    cap = Cap(base, {me4: mymac, me6: mymac}, gwmac)
    cl4 = Host(me4, 'android', rng)
    cl6 = Host(me6, 'android', rng)

    def dns(t, qname, a, aaaa, rtt=0.0182):
        last = t
        for i, (qt, ans) in enumerate((('AAAA', aaaa), ('A', a))):
            tx = rng.randrange(65536)
            sp = rng.randrange(32768, 60999)
            q = dns_query_bytes(tx, qname, qt)
            cap.add(t + i * 0.0004, udp_pkt(me4, gw4, sp, 53, q, 64, rng.randrange(65536), True))
            r = dns_resp_bytes(tx, qname, qt, ans)
            ta = t + i * 0.0004 + rtt + rng.uniform(0, 0.004)
            cap.add(ta, udp_pkt(gw4, me4, 53, sp, r, 64, rng.randrange(65536), True))
            last = max(last, ta)
        return last

    # router neighbour discovery towards the phone
    for k in range(3):
        ns = IPv6(src=gw6ll, dst='ff02::1:ffc2:11e4', hlim=255) / ICMPv6ND_NS(tgt=me6) / ICMPv6NDOptSrcLLAddr(lladdr=gwmac)
        cap.add(4.4 + k * 31.2, bytes(ns))
        na = bytes(IPv6(src=me6, dst=gw6ll, hlim=255) / __import__('scapy.layers.inet6', fromlist=['x']).ICMPv6ND_NA(tgt=me6, R=0, S=1, O=1))
        cap.add(4.4 + k * 31.2 + 0.0021, na)

    # ordinary: baidu over IPv6, weibo over IPv4
    t = dns(1.02, 'www.baidu.com', [('www.baidu.com', 'CNAME', 600, 'www.a.shifen.com'), ('www.a.shifen.com', 'A', 60, '110.242.68.4')],
            [('www.baidu.com', 'CNAME', 600, 'www.a.shifen.com'), ('www.a.shifen.com', 'CNAME', 60, 'www.wshifen.com'),
             ('www.wshifen.com', 'AAAA', 60, '240e:83:205:58:0:ff:b09f:36bf')])
    c = Conn(cap, cl6, Host('240e:83:205:58:0:ff:b09f:36bf', 'srv_linux', rng, ttl=52), rng.randrange(32768, 60999), 443, 0.0371)
    t = c.connect(t + 0.0011)
    https_exchange(c, rng, t, 'www.baidu.com', style='chrome', resp=92000, more=((1.3, 390, 40000),))
    t = dns(6.8, 'm.weibo.cn', [('m.weibo.cn', 'CNAME', 60, 'weibo.cn.wbcdn.cn'), ('weibo.cn.wbcdn.cn', 'A', 60, '123.125.22.131')], [])
    c = Conn(cap, cl4, Host('123.125.22.131', 'srv_linux', rng, ttl=51), rng.randrange(32768, 60999), 443, 0.0342)
    t = c.connect(t + 0.0012)
    https_exchange(c, rng, t, 'm.weibo.cn', style='chrome', resp=188000, more=((2.2, 480, 61000), (5.9, 510, 22000)))

    # --- censored: zh.wikipedia.org over IPv6; the client's packets carry a Hop-by-Hop header ---
    hbh = lambda: IPv6ExtHdrHopByHop(options=[PadN(optdata=b'\x00\x00\x00\x00')])
    srv = Host('2a02:ec80:300:ed1a::1', 'srv_linux', rng, ttl=49)
    c = Conn(cap, cl6, srv, 41766, 443, 0.0683, c_ext=[hbh])
    t = c.connect(23.515)
    hs, _ = client_hello(rng, 'zh.wikipedia.org', 'chrome')
    ch = rec_ch(hs)
    sid = ch[44:44 + ch[43]]
    t_ch = t + 0.00052
    c.c_send(t_ch, ch)
    s_next, c_next = c.sseq, c.cseq
    # type I: bare RST, window != 0 ; type II: RST+ACK x3, rising hop limit
    c.pkt(t_ch + 0.01402, False, 'R', seq=s_next, win=0x2c31, opts=[], ttl=71, ext=[])
    for k in range(3):
        c.pkt(t_ch + 0.01431 + k * 0.00006, False, 'RA', seq=s_next, ack=c_next, win=1979 + k, opts=[], ttl=102 + k, ext=[])
    t_g = t_ch + c.rtt + 0.0009
    flight = server_flight13(rng, sid, cert_len=2977)
    sq = s_next
    for i, off in enumerate(range(0, len(flight), c.mss)):
        seg = flight[off:off + c.mss]
        c.pkt(t_g + i * 0.00015, False, 'A' if off + c.mss < len(flight) else 'PA', seg, seq=sq, ack=c_next)
        sq += len(seg)
        c.pkt(t_g + i * 0.00015 + 0.00004, True, 'R', seq=c_next, win=0, opts=[], ext=[])
    # the app retries through a different language edition later? no: the user goes back to weibo
    c = Conn(cap, cl4, Host('123.125.22.131', 'srv_linux', rng, ttl=51), rng.randrange(32768, 60999), 443, 0.0339)
    t = c.connect(31.92)
    https_exchange(c, rng, t, 'm.weibo.cn', style='chrome', resp=240000, more=((3.1, 470, 83000),))
    t = dns(44.1, 'wx4.sinaimg.cn', [('wx4.sinaimg.cn', 'CNAME', 60, 'wx4.sinaimg.cn.w.alikunlun.com'),
                                     ('wx4.sinaimg.cn.w.alikunlun.com', 'A', 60, '111.62.70.214')], [])
    c = Conn(cap, cl4, Host('111.62.70.214', 'srv_cdn', rng, ttl=55), rng.randrange(32768, 60999), 443, 0.0191)
    t = c.connect(t + 0.0013)
    https_exchange(c, rng, t, 'wx4.sinaimg.cn', style='chrome', resp=610000, gap=0.00009)

    write_pcap(os.path.join(OUT, fname), 1, eth_frames(cap), snaplen=262144)
    expect(fname, 'rst-injection', 'zh.wikipedia.org', '2a02:ec80:300:ed1a::1',
           'IPv6: 14 ms after the ClientHello (SNI zh.wikipedia.org) one bare RST (window 0x2c31, hop limit 71) '
           'and three RST+ACK (hop limits 102-104, windows 1979-1981) arrive from the Wikimedia address whose '
           'SYN/ACK had hop limit 49 (GFW type I + II); the genuine ServerHello follows 68 ms later and is '
           'answered by client RSTs. No DNS for the name in the capture (cached).',
           'Captured on the home router LAN bridge (Ethernet); Android client (TTL/hop limit 64, TS, WS 9, '
           'randomised MAC); the censored flow\'s client packets carry an IPv6 Hop-by-Hop header (PadN), the '
           'forged resets and kernel RSTs do not; dual-stack browsing, router NS/NA.')


# ============================================================================================
# case 06: rst-injection on an HTTP Host (background messenger app), iOS, out-of-order stamps
# ============================================================================================


def case06():
    fname = 'h3_06_rst_http_host_bgapp_ios_ooo.pcap'
    rng = random.Random(306)
    base = epoch(2023, 4, 11, 10, 22, 5, tz=8)
    me, gw = '192.168.3.27', '192.168.3.1'
    mymac, gwmac = 'f2:5a:11:9e:3c:d8', '44:59:e3:0b:7c:10'
    cap = Cap(base, {me: mymac}, gwmac)
    cl = Host(me, 'ios', rng)
    LINE = '147.92.175.12'
    HOST = 'dl.stickershop.line.naver.jp'

    def dns(t, qname, a, rtt=0.0093):
        return mac_dns(cap, rng, t, me, gw, qname, a, [], rtt, 64, https_rr=True)

    def safari(t, sip, sttl, rtt, sni, resp, more=(), prof='srv_linux'):
        c = Conn(cap, cl, Host(sip, prof, rng, ttl=sttl), rng.randrange(49152, 65535), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style='safari', resp=resp, more=more)

    def line_fetch(t, path):
        c = Conn(cap, cl, Host(LINE, 'srv_linux', rng, ttl=47), rng.randrange(49152, 65535), 80, 0.0894)
        t = c.connect(t)
        req = (b'GET ' + path + b' HTTP/1.1\r\nHost: ' + HOST.encode() + b'\r\nAccept: */*\r\n'
               b'User-Agent: Line/13.4.1 iPhone12,1 16.3.1\r\nAccept-Language: zh-Hans-CN;q=1\r\n'
               b'Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n')
        t_req = t + 0.00033
        c.c_send(t_req, req)
        s_next, c_next = c.sseq, c.cseq
        # GFW: type-I RST (IP ID 0, no DF, window != 0) and three type-II RST+ACK (DF, random IDs)
        t_r = t_req + 0.01094
        c.pkt(t_r, False, 'R', seq=s_next, win=0x4b7d, opts=[], ttl=96, ipid=0, df=False)
        for k in range(3):
            c.pkt(t_r + 0.00021 + k * 0.00005, False, 'RA', seq=s_next, ack=c_next, win=3032 + k, opts=[],
                  ttl=69 + k, ipid=rng.randrange(0x00a3, 0xfe5f), df=True)
        # genuine reply from the LINE server one RTT later; the socket is gone: client RSTs
        body = (b'{"packageId":11537,"onSale":true,"validDays":0,"title":{"en":"Brown & Cony Big Stickers"},'
                b'"author":{"en":"LINE"},"price":[{"country":"@@","currency":"NLC","symbol":"NLC","price":100.0}],'
                b'"stickers":[' + b','.join(b'{"id":%d,"width":296,"height":280}' % (52002734 + i) for i in range(40)) + b']}')
        resp = (b'HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Tue, 11 Apr 2023 02:%02d:%02d GMT\r\n'
                b'Content-Type: application/octet-stream\r\nContent-Length: %d\r\nConnection: keep-alive\r\n'
                b'Last-Modified: Mon, 06 Feb 2023 09:12:44 GMT\r\nETag: "63e0c40c-%x"\r\nAccept-Ranges: bytes\r\n\r\n'
                % (22 + int(t) // 60, int(t) % 60, len(body), len(body)) + body)
        t_g = t_req + c.rtt + 0.0021
        sq = s_next
        for i, off in enumerate(range(0, len(resp), c.mss)):
            seg = resp[off:off + c.mss]
            c.pkt(t_g + i * 0.00019, False, 'PA' if off + c.mss >= len(resp) else 'A', seg, seq=sq, ack=c_next)
            sq += len(seg)
            c.pkt(t_g + i * 0.00019 + 0.00005, True, 'R', seq=c_next, win=0, opts=[])
        return t_g

    # iOS push connection (long-lived) and ordinary browsing
    push = Conn(cap, cl, Host('17.57.146.52', 'srv_linux', rng, ttl=46), 50132, 5223, 0.1871)
    t = push.connect(0.82)
    https_exchange(push, rng, t, 'courier.push.apple.com', style='safari', resp=1800)
    long_lived(push, rng, 15.0, 240.0, 58.0)

    t = dns(3.30, 'www.zhihu.com', [('www.zhihu.com', 'CNAME', 600, 'www.zhihu.com.ipv6.dsa.dnsv1.com'),
                                   ('www.zhihu.com.ipv6.dsa.dnsv1.com', 'A', 60, '106.52.226.196')])
    safari(t + 0.001, '106.52.226.196', 51, 0.0318, 'www.zhihu.com', 150000, more=((1.7, 410, 46000), (6.2, 390, 88000)))
    t = dns(4.91, 'pic1.zhimg.com', [('pic1.zhimg.com', 'CNAME', 600, 'pic1.zhimg.com.ipv6.dsa.dnsv1.com'),
                                    ('pic1.zhimg.com.ipv6.dsa.dnsv1.com', 'A', 60, '58.215.145.121')])
    safari(t + 0.001, '58.215.145.121', 53, 0.0229, 'pic1.zhimg.com', 520000, prof='srv_cdn')

    # --- background: LINE refreshes sticker metadata over plain HTTP ---
    t = dns(18.44, HOST, [(HOST, 'CNAME', 300, 'dl.stickershop.line.naver.jp.cdngc.net'),
                          ('dl.stickershop.line.naver.jp.cdngc.net', 'A', 300, LINE)])
    line_fetch(t + 0.0009, b'/stickershop/v1/product/11537/iPhone/productInfo.meta')

    t = dns(47.2, 'm.weibo.cn', [('m.weibo.cn', 'CNAME', 60, 'weibo.cn.wbcdn.cn'), ('weibo.cn.wbcdn.cn', 'A', 60, '123.125.22.131')])
    safari(t + 0.001, '123.125.22.131', 51, 0.0331, 'm.weibo.cn', 203000, more=((4.4, 520, 61000), (19.8, 480, 35000)))
    t = dns(96.0, 'wx1.sinaimg.cn', [('wx1.sinaimg.cn', 'CNAME', 60, 'wx1.sinaimg.cn.w.alikunlun.com'),
                                    ('wx1.sinaimg.cn.w.alikunlun.com', 'A', 60, '111.62.70.213')])
    safari(t + 0.001, '111.62.70.213', 55, 0.0198, 'wx1.sinaimg.cn', 760000, prof='srv_cdn')

    # LINE retries once, well after any 90 s penalty window would have expired
    t = dns(171.6, HOST, [(HOST, 'CNAME', 300, 'dl.stickershop.line.naver.jp.cdngc.net'),
                          ('dl.stickershop.line.naver.jp.cdngc.net', 'A', 300, LINE)])
    line_fetch(t + 0.0011, b'/stickershop/v1/product/11537/iPhone/productInfo.meta')
    t = dns(183.3, 'www.bilibili.com', [('www.bilibili.com', 'CNAME', 300, 'a.w.bilicdn1.com'), ('a.w.bilicdn1.com', 'A', 120, '120.92.78.97')])
    safari(t + 0.001, '120.92.78.97', 50, 0.0337, 'www.bilibili.com', 330000)

    frames = eth_frames(cap)
    protect = set()
    for i, p in enumerate(cap.ordered()):
        if LINE in ip_src_dst(p.data):
            protect.update((i - 1, i, i + 1))
    perturb_order(frames, rng, 8, protect)
    write_pcap(os.path.join(OUT, fname), 1, frames, snaplen=262144)
    expect(fname, 'rst-injection', HOST, LINE,
           'Background LINE app: plain-HTTP GET with Host dl.stickershop.line.naver.jp; 11 ms later a bare RST '
           '(IP ID 0, no DF, TTL 96, window 0x4b7d) and three RST+ACK (DF, TTL 69-71, windows 3032-3034) arrive '
           'from the server address whose SYN/ACK had TTL 47 (GFW type I + II); the genuine 200 OK arrives a '
           'full RTT later and is answered by client RSTs. Happens twice, 150 s apart.',
           'iPhone (iOS: TTL 64, TS, WS 6, private Wi-Fi MAC) browsing zhihu/weibo/bilibili in the foreground '
           'while the messenger works in the background; APNs long-lived flow; A/AAAA/HTTPS queries; 8 frames '
           'carry timestamps 15-80 us earlier than their predecessor (capture reordering).')


# ============================================================================================
# case 07: packet-injection (forged 302 racing the genuine reply), office SPAN port with duplicates
# ============================================================================================


def case07():
    fname = 'h3_07_pktinj_http302_span_dups.pcap'
    rng = random.Random(307)
    base = epoch(2022, 11, 3, 15, 48, 20, tz=8)
    vic, mac_h, lin, gw = '10.20.5.47', '10.20.5.61', '10.20.5.10', '10.20.5.1'
    dc = '10.20.1.53'
    macs = {vic: '54:bf:64:7a:11:2c', mac_h: 'a4:83:e7:19:62:0d', lin: '00:25:90:4e:c1:77'}
    cap = Cap(base, macs, '00:1b:54:c2:9a:01')
    w = Host(vic, 'win10', rng)
    m = Host(mac_h, 'macos', rng)
    lx = Host(lin, 'linux', rng)
    BET = '5.226.179.201'

    def wdns(t, qname, a):
        return win_dns(cap, rng, t, vic, dc, qname, a, [], 0.0009, 127, w)

    def mdns_(t, qname, a):
        return mac_dns(cap, rng, t, mac_h, dc, qname, a, [], 0.0011, 127, https_rr=True)

    # Linux box pulling package indexes over HTTP
    def apt(t, path, size):
        c = Conn(cap, lx, Host('120.77.166.223', 'srv_linux', rng, ttl=52), rng.randrange(32768, 60999), 80, 0.0302)
        t = c.connect(t)
        t = c.c_send(t + 0.0002, b'GET ' + path + b' HTTP/1.1\r\nHost: mirrors.aliyun.com\r\nUser-Agent: Debian APT-HTTP/1.3 (2.4.8)\r\n\r\n')
        hdr = b'HTTP/1.1 200 OK\r\nServer: Tengine\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\nConnection: keep-alive\r\n\r\n' % size
        t = c.s_send(t + c.rtt + 0.002, hdr + rng.randbytes(size), gap=0.00012)
        return c.close(t + 0.05)
    apt(1.3, b'/ubuntu/dists/jammy-updates/InRelease', 119000)
    apt(2.9, b'/ubuntu/dists/jammy-security/InRelease', 110000)

    # Mac user browsing
    t = mdns_(0.7, 'www.douyin.com', [('www.douyin.com', 'CNAME', 300, 'www.douyin.com.w.cdngslb.com'),
                                      ('www.douyin.com.w.cdngslb.com', 'A', 60, '221.204.60.13')])
    c = Conn(cap, m, Host('221.204.60.13', 'srv_cdn', rng, ttl=54), rng.randrange(49152, 65535), 443, 0.0271)
    t = c.connect(t + 0.001)
    https_exchange(c, rng, t, 'www.douyin.com', style='chrome', resp=900000, gap=0.00008, more=((3.3, 600, 420000),))

    # victim (Windows): ordinary HTTPS first
    t = wdns(4.1, 'www.baidu.com', [('www.baidu.com', 'CNAME', 600, 'www.a.shifen.com'), ('www.a.shifen.com', 'A', 60, '110.242.68.3')])
    c = Conn(cap, w, Host('110.242.68.3', 'srv_linux', rng, ttl=52), rng.randrange(49152, 65535), 443, 0.0301)
    t = c.connect(t + 0.0009)
    https_exchange(c, rng, t, 'www.baidu.com', style='edge', resp=81000, close=4.0)

    # --- the event: curl on Windows fetches http://www.bet365.com/ ---
    t = wdns(9.72, 'www.bet365.com', [('www.bet365.com', 'A', 60, BET)])
    srv = Host(BET, 'srv_linux', rng, ttl=46)
    c = Conn(cap, w, srv, 61734, 80, 0.1713)
    t = c.connect(t + 0.0011)
    req = b'GET / HTTP/1.1\r\nHost: www.bet365.com\r\nUser-Agent: curl/7.83.1\r\nAccept: */*\r\n\r\n'
    t_req = t + 0.0006
    c.c_send(t_req, req)
    s1, c1 = c.sseq, c.cseq
    inj = (b'HTTP/1.1 302 Found\r\nLocation: http://39.102.194.95/fzzx/index.html?url=www.bet365.com\r\n'
           b'Content-Length: 0\r\nConnection: close\r\n\r\n')
    t_i = t_req + 0.00612
    c.pkt(t_i, False, 'FPA', inj, seq=s1, ack=c1, win=0x7210, opts=[], ttl=59, ipid=0, df=False)
    c.crcv = s1 + len(inj) + 1
    c.pkt(t_i + 0.00008, True, 'A')           # ack of data + FIN
    c.pkt(t_i + 0.0011, True, 'FA')           # curl is done: close
    c.cseq += 1
    gen = (b'HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\nLocation: https://www.bet365.com/\r\n'
           b'Date: Thu, 03 Nov 2022 07:48:31 GMT\r\nServer: bet365\r\nCache-Control: no-cache\r\n'
           b'X-Frame-Options: SAMEORIGIN\r\nStrict-Transport-Security: max-age=31536000\r\n\r\n')
    t_g = t_req + c.rtt + 0.0014
    c.pkt(t_g, False, 'PA', gen, seq=s1, ack=c1)             # genuine reply at the same sequence numbers
    c.pkt(t_g + 0.00006, True, 'A')                         # duplicate ACK: data already "received"
    c.pkt(t_i + 0.0011 + c.rtt, False, 'A', seq=s1 + len(gen), ack=c1 + 1)   # server acks the FIN
    c.pkt(t_i + 0.0011 + c.rtt + 0.0004, False, 'FA', seq=s1 + len(gen), ack=c1 + 1)
    c.pkt(t_i + 0.0011 + c.rtt + 0.00046, True, 'A')

    # user then opens the site in the browser over HTTPS (works: nothing to see for the injector)
    c = Conn(cap, w, srv, rng.randrange(49152, 65535), 443, 0.1709)
    t = c.connect(t_g + 6.3)
    https_exchange(c, rng, t, 'www.bet365.com', style='edge', resp=142000, gap=0.0004)

    t = mdns_(14.2, 'www.xiaohongshu.com', [('www.xiaohongshu.com', 'CNAME', 300, 'www.xiaohongshu.com.w.kunlunaq.com'),
                                            ('www.xiaohongshu.com.w.kunlunaq.com', 'A', 60, '111.62.91.42')])
    c = Conn(cap, m, Host('111.62.91.42', 'srv_cdn', rng, ttl=55), rng.randrange(49152, 65535), 443, 0.0244)
    t = c.connect(t + 0.001)
    https_exchange(c, rng, t, 'www.xiaohongshu.com', style='chrome', resp=380000, gap=0.0001)
    apt(21.5, b'/ubuntu/dists/jammy/InRelease', 270000)

    frames = eth_frames(cap)
    def victim(fr):
        src, dst = ip_src_dst(fr[1][14:]) if fr[1][12:14] in (b'\x08\x00', b'\x86\xdd') else (None, None)
        return vic in (src, dst)
    frames = span_dup(frames, rng, victim)
    write_pcap(os.path.join(OUT, fname), 1, frames, snaplen=65535)
    expect(fname, 'packet-injection', 'www.bet365.com', BET,
           'curl GET http://www.bet365.com/: 6 ms after the request (RTT 171 ms) a 302+FIN to '
           'http://39.102.194.95/fzzx/... arrives "from" the server with TTL 59 (SYN/ACK TTL 46), IP ID 0, no DF, '
           'a different window (0x7210); 171 ms later the genuine 301 '
           'arrives at the same sequence number with different bytes (duplicate ACK from the client).',
           'SPAN/mirror port of an office switch: several hosts; every frame of the Windows victim appears '
           'twice 3-21 us apart (ingress + egress mirrored); Windows client (TTL 128, no TS, WS 8), internal '
           'Windows DNS server (TTL 127), Linux apt over HTTP, Mac browsing.',
           allow=[{'mechanism': 'blockpage', 'domain': 'www.bet365.com'}])


# ============================================================================================
# case 08: blockpage (Rostelecom warning.rt.ru redirect), 802.1Q-tagged capture
# ============================================================================================


def http_get(cap, rng, cl, t, sip, sttl, rtt, host, path, ua, status_hdr, body, gap=0.0002, close=True, prof='srv_linux'):
    c = Conn(cap, cl, Host(sip, prof, rng, ttl=sttl), rng.randrange(32768, 60999), 80, rtt)
    t = c.connect(t)
    req = (b'GET ' + path + b' HTTP/1.1\r\nHost: ' + host + b'\r\nUser-Agent: ' + ua +
           b'\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n'
           b'Accept-Language: ru-RU,ru;q=0.8,en-US;q=0.5,en;q=0.3\r\nAccept-Encoding: gzip, deflate\r\n'
           b'Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n')
    t = c.c_send(t + 0.0004, req)
    t = c.s_send(t + rtt + 0.003, status_hdr + body, gap=gap)
    if close:
        t = c.close(t + 0.8)
    return t


def case08():
    fname = 'h3_08_blockpage_rostelecom_vlan.pcap'
    rng = random.Random(308)
    base = epoch(2021, 10, 6, 19, 12, 40, tz=3)
    me, gw = '192.168.1.50', '192.168.1.1'
    mymac, gwmac = '18:c0:4d:8a:33:5e', 'e8:65:d4:91:0a:c2'
    cap = Cap(base, {me: mymac}, gwmac)
    cl = Host(me, 'linux', rng)
    RT = '195.82.146.214'

    def dns(t, qname, a, aaaa=(), rtt=0.0021):
        last = t
        sp = rng.randrange(32768, 60999)
        for i, (qt, ans) in enumerate((('A', a), ('AAAA', list(aaaa)))):
            tx = rng.randrange(65536)
            q = dns_query_bytes(tx, qname, qt, edns=1200, ad=1)
            cap.add(t + i * 0.00005, udp_pkt(me, gw, sp, 53, q, 64, rng.randrange(65536), True))
            r = dns_resp_bytes(tx, qname, qt, ans, edns=1232)
            ta = t + i * 0.00005 + rtt + rng.uniform(0, 0.01)
            cap.add(ta, udp_pkt(gw, me, 53, sp, r, 64, rng.randrange(65536), True))
            last = max(last, ta)
        return last

    def visit(t, sip, sttl, rtt, sni, resp, more=()):
        c = Conn(cap, cl, Host(sip, 'srv_linux', rng, ttl=sttl), rng.randrange(32768, 60999), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style='firefox', resp=resp, more=more)

    t = dns(1.04, 'yandex.ru', [('yandex.ru', 'A', 214, '5.255.255.77'), ('yandex.ru', 'A', 214, '77.88.55.80')],
            [('yandex.ru', 'AAAA', 214, '2a02:6b8:a::a')])
    visit(t + 0.0008, '5.255.255.77', 55, 0.0121, 'yandex.ru', 260000, more=((2.4, 700, 120000),))
    t = dns(7.9, 'vk.com', [('vk.com', 'A', 300, '87.240.132.72'), ('vk.com', 'A', 300, '87.240.137.164')])
    visit(t + 0.0009, '87.240.132.72', 56, 0.0142, 'vk.com', 190000, more=((5.1, 650, 77000),))
    t = dns(16.3, 'neverssl.com', [('neverssl.com', 'A', 60, '34.223.124.45')])
    http_get(cap, rng, cl, t + 0.0008, '34.223.124.45', 38, 0.1431, b'neverssl.com', b'/online/',
             b'Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:92.0) Gecko/20100101 Firefox/92.0',
             b'HTTP/1.1 200 OK\r\nDate: Wed, 06 Oct 2021 16:12:57 GMT\r\nServer: Apache/2.4.48 ()\r\n'
             b'Content-Type: text/html; charset=UTF-8\r\nContent-Length: 2536\r\n\r\n',
             b'<html>\n<head>\n<title>NeverSSL - Connecting ... </title>' + b' ' * 2480 + b'</html>\n')

    # --- the event: curl http://rutracker.org/forum/index.php ---
    t = dns(31.2, 'rutracker.org', [('rutracker.org', 'A', 300, RT)])
    srv = Host(RT, 'srv_linux', rng, ttl=52)
    c = Conn(cap, cl, srv, 45822, 80, 0.0487)
    t = c.connect(t + 0.0007)
    t_req = t + 0.0002
    c.c_send(t_req, b'GET /forum/index.php HTTP/1.1\r\nHost: rutracker.org\r\nUser-Agent: curl/7.76.1\r\nAccept: */*\r\n\r\n')
    s1, c1 = c.sseq, c.cseq
    bp = (b'HTTP/1.1 302 Moved Temporarily\r\nLocation: http://warning.rt.ru/?id=17&st=0&dt=195.82.146.214'
          b'&rs=http%3A%2F%2Frutracker.org%2Fforum%2Findex.php\r\nConnection: close\r\n\r\n')
    t_b = t_req + 0.00238
    c.pkt(t_b, False, 'PA', bp, seq=s1, ack=c1, opts=[], win=0x1000, ttl=62, ipid=rng.randrange(65536), df=False)
    c.pkt(t_b + 0.000012, False, 'FA', seq=s1 + len(bp), ack=c1, opts=[], win=0x1000, ttl=62, ipid=rng.randrange(65536), df=False)
    c.crcv = s1 + len(bp) + 1
    c.pkt(t_b + 0.00005, True, 'A')
    c.pkt(t_b + 0.00061, True, 'FA')
    # the real server had its side reset by the filter: it answers the client FIN with a RST
    c.pkt(t_b + 0.00061 + c.rtt, False, 'R', seq=s1 + len(bp) + 1, win=0, opts=[])

    t = dns(48.7, 'mail.ru', [('mail.ru', 'A', 60, '94.100.180.200'), ('mail.ru', 'A', 60, '217.69.139.200')])
    visit(t + 0.001, '94.100.180.200', 57, 0.0109, 'mail.ru', 420000, more=((3.7, 710, 66000),))
    t = dns(55.0, 'www.ozon.ru', [('www.ozon.ru', 'A', 60, '185.73.193.68')])
    visit(t + 0.001, '185.73.193.68', 58, 0.0091, 'www.ozon.ru', 510000, more=((1.1, 520, 230000), (6.2, 640, 12000)))

    write_pcap(os.path.join(OUT, fname), 1, eth_frames(cap, vlan=20), snaplen=262144)
    expect(fname, 'blockpage', 'rutracker.org', RT,
           'GET http://rutracker.org/forum/index.php is answered within 2.4 ms (RTT 49 ms) by "HTTP/1.1 302 Moved '
           'Temporarily" with Location http://warning.rt.ru/?id=17&...&rs=...rutracker.org... (Rostelecom block '
           'page, documented fingerprint) and FIN; the genuine server never answers the request (in-path filter '
           'dropped it) and RSTs the later client FIN.',
           'Linux desktop (TTL 64, TS, WS 7) captured on an 802.1Q trunk (VLAN 20 tags on every frame); ordinary '
           'Russian browsing (yandex, vk, mail.ru, ozon) and a clean plain-HTTP control (neverssl.com).',
           allow=[{'mechanism': 'packet-injection', 'domain': 'rutracker.org'}])


# ============================================================================================
# case 09: tls-mitm (Kazakhstan 2019, "Qaznet Trust Network"), 40-minute capture with idle gaps
# ============================================================================================


def kz_chain():
    root_key = det_rsa('qaznet-root-2019')
    leaf_key = det_rsa('qaznet-leaf-fb-2019')
    root_name = name((NameOID.COUNTRY_NAME, 'KZ'), (NameOID.COMMON_NAME, 'Qaznet Trust Network'))
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(0x1f2e6a0d94c35b17)
            .not_valid_before(datetime.datetime(2019, 6, 27, 4, 51, 33))
            .not_valid_after(datetime.datetime(2039, 6, 22, 4, 51, 33))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    subj = name((NameOID.COUNTRY_NAME, 'US'), (NameOID.STATE_OR_PROVINCE_NAME, 'California'),
                (NameOID.LOCALITY_NAME, 'Menlo Park'), (NameOID.ORGANIZATION_NAME, 'Facebook, Inc.'),
                (NameOID.COMMON_NAME, '*.facebook.com'))
    sans = ['*.facebook.com', '*.facebook.net', '*.fbcdn.net', '*.fbsbx.com', '*.m.facebook.com', '*.messenger.com',
            '*.xx.fbcdn.net', '*.xy.fbcdn.net', '*.xz.fbcdn.net', 'facebook.com', 'messenger.com']
    leaf = (x509.CertificateBuilder().subject_name(subj).issuer_name(root_name)
            .public_key(leaf_key.public_key()).serial_number(0x0c8c54fe0e1e0d8d2b0b4ca1a4e0e27f)
            .not_valid_before(datetime.datetime(2019, 5, 17, 0, 0, 0))
            .not_valid_after(datetime.datetime(2019, 8, 15, 12, 0, 0))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    return leaf_key, [leaf.public_bytes(serialization.Encoding.DER), root.public_bytes(serialization.Encoding.DER)]


def mitm_flight12(rng, crand, sid_len, leaf_key, chain_der, alpn=None):
    srand = rng.randbytes(32)
    exts = ext(0xff01, b'\x00') + ext(11, b'\x01\x00') + ext(23)
    if alpn:
        exts += alpn_ext([alpn])
    sh = b'\x02' + u24l(b'\x03\x03' + srand + u8l(rng.randbytes(32)) + b'\xc0\x2f\x00' + u16l(exts))
    cert = b'\x0b' + u24l(u24l(b''.join(u24l(d) for d in chain_der)))
    params = b'\x03\x00\x1d' + u8l(rng.randbytes(32))
    sig = leaf_key.sign(crand + srand + params, padding.PKCS1v15(), hashes.SHA256())
    ske = b'\x0c' + u24l(params + b'\x04\x01' + u16l(sig))
    shd = b'\x0e\x00\x00\x00'
    return rec(0x16, sh + cert + ske + shd)


def case09():
    fname = 'h3_09_tlsmitm_kz_long_idle.pcap'
    rng = random.Random(309)
    base = epoch(2019, 7, 19, 13, 2, 11, tz=6)
    me, gw = '192.168.0.104', '192.168.0.1'
    tv = '192.168.0.111'
    mymac, gwmac = '3c:f0:11:27:8d:a4', 'c8:3a:35:5e:19:b0'
    cap = Cap(base, {me: mymac, tv: '5c:49:7d:03:aa:61'}, gwmac)
    cl = Host(me, 'linux', rng)
    FB = '157.240.22.35'

    def dns(t, qname, a, rtt=0.0061):
        last = t
        sp = rng.randrange(32768, 60999)
        for i, (qt, ans) in enumerate((('A', a), ('AAAA', []))):
            tx = rng.randrange(65536)
            q = dns_query_bytes(tx, qname, qt, edns=512)
            cap.add(t + i * 0.00004, udp_pkt(me, '127.0.0.53' if False else gw, sp, 53, q, 64, rng.randrange(65536), True))
            r = dns_resp_bytes(tx, qname, qt, ans, edns=4096)
            ta = t + i * 0.00004 + rtt + rng.uniform(0, 0.02)
            cap.add(ta, udp_pkt(gw, me, 53, sp, r, 64, rng.randrange(65536), False))
            last = max(last, ta)
        return last

    def visit(t, sip, sttl, rtt, sni, resp, more=(), prof='srv_linux', close=None):
        c = Conn(cap, cl, Host(sip, prof, rng, ttl=sttl), rng.randrange(32768, 60999), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style='chrome', resp=resp, more=more, close=close)

    # background noise for the whole 40 minutes
    t = 2.0
    while t < 2420:
        cap.add(t, arp_frame(gwmac, gw, me), kind='l2')
        cap.add(t + 0.00021, arp_frame(mymac, me, gw, reply=True, tmac=gwmac), kind='l2')
        t += rng.uniform(55, 140)
    t = 11.0
    while t < 2420:
        cap.add(t, udp_pkt(tv, '239.255.255.250', 1900, 1900,
                           b'NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n'
                           b'LOCATION: http://192.168.0.111:1400/xml/device_description.xml\r\nNT: upnp:rootdevice\r\n'
                           b'NTS: ssdp:alive\r\nSERVER: Linux UPnP/1.0 Samsung-TV/2.0\r\nUSN: uuid:0f1e33a2-7c1d-4b9f-a4e7-5c497d03aa61::upnp:rootdevice\r\n\r\n',
                           4, rng.randrange(65536), False))
        t += rng.uniform(170, 190)
    # NetworkManager connectivity check every 5 minutes
    for k in range(8):
        tc = 40.0 + k * 300.0 + rng.uniform(0, 0.5)
        tt = dns(tc, 'connectivity-check.ubuntu.com', [('connectivity-check.ubuntu.com', 'A', 60, '35.224.170.84')])
        http_get(cap, rng, cl, tt + 0.0005, '35.224.170.84', 42, 0.1712, b'connectivity-check.ubuntu.com', b'/',
                 b'NetworkManager/1.10.6', b'HTTP/1.1 204 No Content\r\nDate: Fri, 19 Jul 2019 07:%02d:00 GMT\r\n'
                 b'Server: Apache/2.4.18 (Ubuntu)\r\nX-NetworkManager-Status: online\r\nConnection: close\r\n\r\n' % (k * 5 % 60),
                 b'', close=True)

    # early browsing, then the user leaves the machine
    t = dns(5.3, 'kaspi.kz', [('kaspi.kz', 'A', 300, '194.187.247.152')])
    visit(t + 0.001, '194.187.247.152', 58, 0.0089, 'kaspi.kz', 410000, more=((4.1, 620, 180000), (21.0, 480, 36000)), close=30)
    t = dns(61.9, 'www.google.kz', [('www.google.kz', 'A', 300, '173.194.73.94')])
    visit(t + 0.001, '173.194.73.94', 116, 0.0431, 'www.google.kz', 96000, prof='srv_google', close=240)
    t = dns(73.4, 'tengrinews.kz', [('tengrinews.kz', 'A', 300, '185.22.67.21')])
    visit(t + 0.001, '185.22.67.21', 59, 0.0101, 'tengrinews.kz', 700000, more=((9.0, 800, 210000),), close=45)
    # occasional Chrome background fetches during the idle period
    for tb in (611.2, 1288.7):
        t = dns(tb, 'update.googleapis.com', [('update.googleapis.com', 'A', 300, '74.125.131.94')])
        visit(t + 0.001, '74.125.131.94', 116, 0.0452, 'update.googleapis.com', 3100, prof='srv_google', close=0.4)

    # back at the desk ~36 min in
    t = dns(2160.4, 'tengrinews.kz', [('tengrinews.kz', 'A', 300, '185.22.67.21')])
    visit(t + 0.001, '185.22.67.21', 59, 0.0102, 'tengrinews.kz', 560000, more=((14.0, 760, 190000),), close=30)

    # --- the event: www.facebook.com answered with a certificate chained to "Qaznet Trust Network" ---
    t = dns(2211.64, 'www.facebook.com', [('www.facebook.com', 'CNAME', 3600, 'star-mini.c10r.facebook.com'),
                                          ('star-mini.c10r.facebook.com', 'A', 60, FB)])
    leaf_key, chain = kz_chain()
    srv = Host(FB, 'srv_linux', rng, ttl=53)
    box_ttl = 61
    tt = t + 0.0006
    for attempt in range(2):
        c = Conn(cap, cl, srv, rng.randrange(32768, 60999), 443, 0.0712)
        t1 = c.connect(tt)
        hs, crand = client_hello(rng, 'www.facebook.com', 'chrome')
        ch = rec_ch(hs)
        t1 = c.c_send(t1 + 0.0003, ch)
        # the interception box answers (its own TTL) with TLS 1.2 and the forged chain
        saved = srv.ttl
        srv.ttl = box_ttl
        fl = mitm_flight12(rng, crand, 32, leaf_key, chain)
        t1 = c.s_send(t1 + 0.0043, fl, gap=0.00011)
        # Chrome rejects the chain: fatal alert, then close
        c.c_send(t1 + 0.0021, rec(0x15, b'\x02\x2e'))
        c.pkt(t1 + 0.0023, True, 'FA')
        c.cseq += 1
        c.s_fin(t1 + 0.0023 + 0.0041)
        c.c_ack(t1 + 0.0023 + 0.0042)
        srv.ttl = saved
        tt = t1 + 0.31
    # user gives up on facebook and searches instead
    t = dns(2241.0, 'www.google.kz', [('www.google.kz', 'A', 300, '173.194.73.94')])
    visit(t + 0.001, '173.194.73.94', 116, 0.0433, 'www.google.kz', 120000, prof='srv_google',
          more=((6.5, 900, 96000),), close=100)

    write_pcap(os.path.join(OUT, fname), 1, eth_frames(cap), snaplen=262144)
    expect(fname, 'tls-mitm', 'www.facebook.com', FB,
           '~37 minutes in, two TLS connections to 157.240.22.35 with SNI www.facebook.com get a TLS 1.2 '
           'ServerHello whose Certificate chain is leaf CN=*.facebook.com (O=Facebook, Inc., subject copied) '
           'issued by "C=KZ, CN=Qaznet Trust Network" (the 2019 Kazakhstan interception root, sent in the chain); '
           'Chrome answers with a fatal alert and closes. The handshake packets carry TTL 61 vs SYN/ACK TTL 53.',
           '40-minute tcpdump on a Linux laptop (Chrome 75, TTL 64, TS) with long idle gaps (ARP, SSDP NOTIFY '
           'from a TV, NetworkManager connectivity checks every 5 min, rare Chrome update fetches); the event is '
           'late in the file.')


# ============================================================================================
# case 10: blackhole (ClientHello dropped for one SNI while the same IP serves another), -s 256
# ============================================================================================


def case10():
    fname = 'h3_10_blackhole_sni_snap256_ooo.pcap'
    rng = random.Random(310)
    base = epoch(2022, 10, 2, 21, 15, 33, tz=3.5)
    me, gw = '192.168.1.102', '192.168.1.1'
    mymac, gwmac = '8c:16:45:9b:02:ee', '74:da:88:61:3f:20'
    cap = Cap(base, {me: mymac}, gwmac)
    cl = Host(me, 'linux', rng)
    CF = '104.18.27.123'
    BLOCKED = 'www.iranintl.com'

    def sysdns(t, qname, a, rtt=0.0281):
        sp = rng.randrange(32768, 60999)
        last = t
        for i, (qt, ans) in enumerate((('A', a), ('AAAA', []))):
            tx = rng.randrange(65536)
            q = dns_query_bytes(tx, qname, qt, edns=1200, ad=1)
            cap.add(t + i * 0.00006, udp_pkt(me, gw, sp, 53, q, 64, rng.randrange(65536), True))
            r = dns_resp_bytes(tx, qname, qt, ans, edns=1232)
            ta = t + i * 0.00006 + rtt + rng.uniform(0, 0.004)
            cap.add(ta, udp_pkt(gw, me, 53, sp, r, 64, rng.randrange(65536), False))
            last = max(last, ta)
        return last

    # Firefox DNS-over-HTTPS: one long-lived connection, each lookup a small request/response
    t = sysdns(0.41, 'mozilla.cloudflare-dns.com', [('mozilla.cloudflare-dns.com', 'A', 287, '104.16.248.249'),
                                                  ('mozilla.cloudflare-dns.com', 'A', 287, '104.16.249.249')])
    doh = Conn(cap, cl, Host('104.16.248.249', 'srv_cdn', rng, ttl=56), rng.randrange(32768, 60999), 443, 0.0913)
    t = doh.connect(t + 0.0007)
    https_exchange(doh, rng, t, 'mozilla.cloudflare-dns.com', style='firefox', resp=400)

    def doh_lookup(t):
        doh.c_send(t, rec(0x17, rng.randbytes(rng.randrange(110, 160))))
        return doh.s_send(t + doh.rtt + 0.0021, rec(0x17, rng.randbytes(rng.randrange(170, 260))), ack_every=1, ack_lat=0.021)

    def visit(t, sip, sttl, rtt, sni, resp, more=(), prof='srv_cdn'):
        c = Conn(cap, cl, Host(sip, prof, rng, ttl=sttl), rng.randrange(32768, 60999), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style='firefox', resp=resp, more=more)

    # ordinary browsing via DoH
    t = doh_lookup(3.2)
    visit(t + 0.0006, '185.143.233.120', 57, 0.0213, 'www.digikala.com', 380000, more=((5.5, 720, 150000),))
    t = doh_lookup(9.8)
    visit(t + 0.0006, CF, 56, 0.0921, 'www.tgju.org', 210000, more=((3.3, 640, 95000),))   # same IP, other SNI: fine

    # --- the event: www.iranintl.com on the same Cloudflare address; the ClientHello disappears ---
    t = doh_lookup(21.07)
    srv = Host(CF, 'srv_cdn', rng, ttl=56)
    c = Conn(cap, cl, srv, 52254, 443, 0.0918)
    t = c.connect(t + 0.0006)
    hs, _ = client_hello(rng, BLOCKED, 'firefox')
    ch = rec_ch(hs)
    t_ch = t + 0.0004
    seq0 = c.cseq
    c.c_send(t_ch, ch)
    rto = 0.284
    tr = t_ch
    for k in range(5):
        tr += rto
        c.pkt(tr, True, 'PA', ch, seq=seq0)
        rto *= 2
    # the user gives up (Firefox closes the socket: FIN queued behind the unacknowledged data)
    t_close = t_ch + 15.73
    c.pkt(t_close, True, 'FA', seq=seq0 + len(ch))
    c.pkt(t_close + 9.1, True, 'FPA', ch, seq=seq0)

    # a parallel attempt by Firefox's speculative connect shows the same thing
    c2 = Conn(cap, cl, srv, 52262, 443, 0.0920)
    t = c2.connect(t_ch + 0.611)
    seq2 = c2.cseq
    hs, _ = client_hello(rng, BLOCKED, 'firefox')
    ch2 = rec_ch(hs)
    c2.c_send(t + 0.0003, ch2)
    tr, rto = t + 0.0003, 0.282
    for k in range(4):
        tr += rto
        c2.pkt(tr, True, 'PA', ch2, seq=seq2)
        rto *= 2
    c2.pkt(t_close + 0.0004, True, 'FA', seq=seq2 + len(ch2))

    # afterwards: the same IP still serves the other site
    t = doh_lookup(41.5)
    visit(t + 0.0006, CF, 56, 0.0917, 'www.tgju.org', 120000, more=((2.6, 600, 61000),))
    t = doh_lookup(52.0)
    visit(t + 0.0006, '185.143.233.120', 57, 0.0209, 'www.digikala.com', 240000)

    frames = eth_frames(cap)
    protect = set()
    for i, p in enumerate(cap.ordered()):
        if CF in ip_src_dst(p.data):
            protect.update((i - 1, i, i + 1))
    perturb_order(frames, rng, 6, protect)
    write_pcap(os.path.join(OUT, fname), 1, frames, snaplen=256)
    expect(fname, 'blackhole', BLOCKED, CF,
           'Two connections to 104.18.27.123:443 complete the TCP handshake, but the ClientHello with SNI '
           'www.iranintl.com is never acknowledged (5 and 4 retransmissions with exponential backoff, then FIN '
           'also unanswered); before and after, the same address serves SNI www.tgju.org normally.',
           'tcpdump -s 256: every longer packet is truncated; the ClientHello is cut after the SNI extension '
           '(which is inside the snap length). Firefox on Linux with DNS-over-HTTPS (no plain DNS for the names); '
           '6 frames with timestamps slightly earlier than their predecessor.')


# ============================================================================================
# case 11: blackhole (QUIC Initial unanswered, TCP+TLS to the same name/IP fine), raw-IP rmnet
# ============================================================================================


def case11():
    fname = 'h3_11_blackhole_quic_android_rawip.pcap'
    rng = random.Random(311)
    base = epoch(2022, 3, 11, 14, 3, 27, tz=3)
    me = '10.163.88.211'
    cap = Cap(base, {me: '00:00:00:00:00:00'}, '00:00:00:00:00:00')
    cl = Host(me, 'android_lte', rng)
    res = '217.118.66.243'
    G = '142.250.74.36'

    def dns(t, qname, a, rtt=0.0412):
        tx = rng.randrange(65536)
        sp = rng.randrange(32768, 60999)
        q = dns_query_bytes(tx, qname, 'A')
        cap.add(t, udp_pkt(me, res, sp, 53, q, 64, rng.randrange(65536), True))
        r = dns_resp_bytes(tx, qname, 'A', a)
        ta = t + rtt + rng.uniform(0, 0.01)
        cap.add(ta, udp_pkt(res, me, 53, sp, r, 58, rng.randrange(65536), False))
        return ta

    def visit(t, sip, sttl, rtt, sni, resp, more=(), prof='srv_linux', close=None):
        c = Conn(cap, cl, Host(sip, prof, rng, ttl=sttl), rng.randrange(32768, 60999), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style='chrome', resp=resp, more=more, close=close, gap=0.0006)

    # Telegram session, already up (long-lived)
    tg = Conn(cap, cl, Host('149.154.167.51', 'srv_linux', rng, ttl=52), 41172, 443, 0.0611)
    tg.connect(0.35)
    long_lived(tg, rng, 1.0, 118.0, 14.0, c_len=(64, 200), s_len=(64, 400), tls=False)

    t = dns(2.02, 'yandex.ru', [('yandex.ru', 'A', 300, '77.88.55.88')])
    visit(t + 0.001, '77.88.55.88', 57, 0.0321, 'yandex.ru', 240000, more=((3.0, 600, 80000),))

    # --- the event: Chrome tries HTTP/3 first (Alt-Svc cached), nothing comes back; TCP works ---
    t = dns(19.44, 'www.google.com', [('www.google.com', 'A', 300, G)])
    dcid = rng.randbytes(8)
    qsp = 38442
    hs, _ = client_hello(rng, 'www.google.com', 'quic', alpn=(b'h3',), quic_tp=quic_tp(rng, b''))
    t_q = t + 0.0009
    for pn, dt in enumerate((0.0, 0.2003, 0.6011, 1.4019, 3.0034)):
        pkt = quic_initial(rng, dcid, b'', pn, hs)
        cap.add(t_q + dt, udp_pkt(me, G, qsp, 443, pkt, 64, rng.randrange(65536), True))
    # TCP job starts after the QUIC head start
    srv = Host(G, 'srv_google', rng, ttl=113)
    c = Conn(cap, cl, srv, rng.randrange(32768, 60999), 443, 0.0534)
    t = c.connect(t_q + 0.3001)
    https_exchange(c, rng, t, 'www.google.com', style='chrome', resp=131000, gap=0.0006,
                   more=((0.9, 700, 42000), (4.8, 1100, 160000), (12.2, 640, 30000)))

    t = dns(48.2, 'vk.com', [('vk.com', 'A', 300, '87.240.190.78')])
    visit(t + 0.001, '87.240.190.78', 56, 0.0388, 'vk.com', 330000, more=((6.0, 700, 210000),))
    t = dns(71.5, 'www.gstatic.com', [('www.gstatic.com', 'A', 300, '142.250.74.99')])
    visit(t + 0.001, '142.250.74.99', 113, 0.0529, 'www.gstatic.com', 64000, prof='srv_google')
    # back on google (TCP again: Chrome marked QUIC broken for this origin)
    c = Conn(cap, cl, srv, rng.randrange(32768, 60999), 443, 0.0537)
    t = c.connect(88.7)
    https_exchange(c, rng, t, 'www.google.com', style='chrome', resp=98000, gap=0.0006)

    write_pcap(os.path.join(OUT, fname), 101, raw_frames(cap), snaplen=65535)
    expect(fname, 'blackhole', 'www.google.com', G,
           'Chrome sends a QUIC v1 Initial (1250-byte datagram, SNI www.google.com, ALPN h3) to 142.250.74.36:443 '
           'and retransmits it 4 times (PTO backoff) with no datagram ever coming back; 300 ms after the first '
           'Initial, TCP+TLS to the same IP with the same SNI completes and carries traffic, twice.',
           'Rooted Android phone on LTE, tcpdump on rmnet_data0: LINKTYPE_RAW (no link header), CGNAT address, '
           'MSS 1400, TTL 64, TS; carrier resolver; Telegram long-lived flow.')


# ============================================================================================
# case 12: throttling (Russia/Twitter 2021: ~140 kbit/s policing by SNI), Windows + offload/LSO
# ============================================================================================


def policed_download(c, rng, t, data, rate_Bps, drop_every=(7, 12), rto=0.36):
    """Server->client bulk data shaped by a packet-dropping policer: arrivals at ~rate_Bps, some
    segments lost (gaps -> client dup ACKs with SACK), retransmitted later. Returns end time."""
    mss = c.mss
    segs = [(c.sseq + off, data[off:off + mss]) for off in range(0, len(data), mss)]
    end_seq = c.sseq + len(data)
    pending_loss = []   # (seq, payload) lost, awaiting retransmission
    next_drop = rng.randrange(*drop_every)
    rcv_next = c.sseq
    ooo = []            # received above the hole: list of (l, r)
    i = 0
    k = 0
    while i < len(segs) or pending_loss:
        if i < len(segs):
            seq, pl = segs[i]
            i += 1
            k += 1
            t += len(pl) / rate_Bps * rng.uniform(0.6, 1.4)
            if k == next_drop and i < len(segs) - 2:
                pending_loss.append((seq, pl, t))
                next_drop = k + rng.randrange(*drop_every)
                continue
            c.pkt(t, False, 'A' if i < len(segs) else 'PA', pl, seq=seq, ack=c.srcv)
            if seq == rcv_next and not ooo:
                rcv_next = seq + len(pl)
                c.crcv = rcv_next
                if k % 2 == 0 or i == len(segs):
                    c.pkt(t + 0.00004, True, 'A')
            else:
                # above a hole: immediate dup ACK carrying SACK
                if ooo and ooo[-1][1] == seq:
                    ooo[-1] = (ooo[-1][0], seq + len(pl))
                else:
                    ooo.append((seq, seq + len(pl)))
                c.crcv = rcv_next
                c.sack_c = [ooo[-1]] + ooo[:-1][-2:]
                c.pkt(t + 0.00003, True, 'A')
                c.sack_c = None
        # retransmission of the oldest hole once enough time has passed (fast retransmit / RTO)
        if pending_loss and (i >= len(segs) or t - pending_loss[0][2] > c.rtt + 0.12):
            seq, pl, tl = pending_loss.pop(0)
            t = max(t, tl + (c.rtt + 0.12 if i < len(segs) else rto)) + 0.001
            c.pkt(t, False, 'A', pl, seq=seq, ack=c.srcv)
            # the hole is filled: cumulative ACK jumps over the SACKed blocks
            rcv_next = seq + len(pl)
            while ooo and ooo[0][0] <= rcv_next:
                rcv_next = max(rcv_next, ooo.pop(0)[1])
            c.crcv = rcv_next
            if ooo:
                c.sack_c = ooo[:3]
            c.pkt(t + 0.00004, True, 'A')
            c.sack_c = None
    c.sseq = end_seq
    c.crcv = end_seq
    return t


def case12():
    fname = 'h3_12_throttle_twitter_win_tso.pcap'
    rng = random.Random(312)
    base = epoch(2021, 3, 12, 11, 40, 2, tz=3)
    me, gw = '192.168.0.12', '192.168.0.1'
    mymac, gwmac = 'f4:8e:38:c2:5d:17', 'cc:2d:e0:44:10:8b'
    cap = Cap(base, {me: mymac}, gwmac, offload_ips=[me])
    cl = Host(me, 'win10', rng)
    TW = '104.244.42.129'

    def dns(t, qname, a, rtt=0.0087):
        return win_dns(cap, rng, t, me, gw, qname, a, [], rtt, 64, cl)

    def visit(t, sip, sttl, rtt, sni, resp, more=(), prof='srv_linux', gap=0.0002):
        c = Conn(cap, cl, Host(sip, prof, rng, ttl=sttl), rng.randrange(49152, 65535), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style='chrome', resp=resp, more=more, gap=gap)

    for k in range(0, 75, 9):
        ssdp(cap, 0.6 + k + rng.uniform(0, 0.3), me, ipid=cl.next_ipid())

    t = dns(1.1, 'yandex.ru', [('yandex.ru', 'A', 300, '77.88.55.60')])
    visit(t + 0.001, '77.88.55.60', 57, 0.0102, 'yandex.ru', 230000, more=((2.0, 700, 90000),))

    # --- photo upload to vk.com: LSO super-segments (7300/2920 bytes, IP length 0) ---
    t = dns(6.2, 'pu.vk.com', [('pu.vk.com', 'A', 300, '87.240.137.140')])
    up = Conn(cap, cl, Host('87.240.137.140', 'srv_linux', rng, ttl=56), rng.randrange(49152, 65535), 443, 0.0131)
    t = up.connect(t + 0.0009)
    t = https_exchange(up, rng, t, 'pu.vk.com', style='chrome', resp=300)
    body = app_records(rng, 1_900_000)
    off = 0
    tt = t + 0.002
    while off < len(body):
        n = rng.choice((5 * 1460, 5 * 1460, 5 * 1460, 2 * 1460, 4 * 1460))
        chunk = body[off:off + n]
        up.pkt(tt, True, 'A' if off + n < len(body) else 'PA', chunk)
        up.cseq += len(chunk)
        # the server acknowledges every two real (1460-byte) segments
        acked = up.cseq - len(chunk)
        for a in range(2 * 1460, len(chunk) + 1, 2 * 1460):
            up.pkt(tt + up.rtt + a / 9_000_000, False, 'A', ack=acked + a)
        if len(chunk) % (2 * 1460):
            up.pkt(tt + up.rtt + len(chunk) / 9_000_000, False, 'A', ack=up.cseq)
        tt += len(chunk) / 3_000_000
        off += n
    up.srcv = up.cseq
    up.s_send(tt + up.rtt + 0.05, app_records(rng, 900), ack_every=1)

    # --- twitter.com (throttled) and www.periscope.tv on the same Twitter address (not throttled) ---
    t = dns(14.05, 'twitter.com', [('twitter.com', 'A', 1800, TW), ('twitter.com', 'A', 1800, '104.244.42.193')])
    srv = Host(TW, 'srv_linux', rng, ttl=52)
    c = Conn(cap, cl, srv, 62011, 443, 0.0482)
    t = c.connect(t + 0.0009)
    hs, _ = client_hello(rng, 'twitter.com', 'chrome')
    ch = rec_ch(hs)
    sid = ch[44:44 + ch[43]]
    t = c.c_send(t + 0.0004, ch)
    t = policed_download(c, rng, t + c.rtt + 0.002, server_flight13(rng, sid, cert_len=3900), 17500)
    t = c.c_send(t + 0.002, client_finish13(rng, 520))
    t_thr0 = t
    t = policed_download(c, rng, t + c.rtt + 0.004, app_records(rng, 205000), 17500)
    t_thr1 = t

    t = dns(t_thr0 + 2.31, 'www.periscope.tv', [('www.periscope.tv', 'A', 1800, TW), ('www.periscope.tv', 'A', 1800, '104.244.42.65')])
    c2 = Conn(cap, cl, srv, 62040, 443, 0.0479)
    t = c2.connect(t + 0.001)
    https_exchange(c2, rng, t, 'www.periscope.tv', style='chrome', resp=1_450_000, gap=0.00031,
                   more=((1.4, 640, 380000),))

    t = dns(t_thr1 + 3.0, 'mail.ru', [('mail.ru', 'A', 60, '94.100.180.201')])
    visit(t + 0.001, '94.100.180.201', 57, 0.0112, 'mail.ru', 520000, more=((3.3, 690, 140000),))

    write_pcap(os.path.join(OUT, fname), 1, eth_frames(cap), snaplen=262144)
    expect(fname, 'throttling', 'twitter.com', TW,
           'The TLS flow with SNI twitter.com to 104.244.42.129 delivers ~205 KB at ~17 KB/s (~140 kbit/s) with '
           'periodic losses (SACK dup ACKs, late retransmissions) for ~12 s, while a flow to the SAME address '
           'with SNI www.periscope.tv, started during it, moves ~1.8 MB at several MB/s without loss.',
           'Windows 10 with checksum offload and LSO: every outgoing packet has IP checksum 0 and a partial '
           'TCP/UDP checksum; the photo upload to vk.com shows 7300/5840/2920-byte outgoing segments with IP '
           'total length 0 (server ACKs land inside them); no TCP timestamps; SSDP noise.')


# ============================================================================================
# case 13: residual-blocking (GFW fully-encrypted-traffic block on ip:port, 180 s), 36-min capture
# ============================================================================================


def case13():
    fname = 'h3_13_residual_fet_proxy_long.pcap'
    rng = random.Random(313)
    base = epoch(2022, 8, 23, 20, 0, 4, tz=8)
    me, gw = '192.168.2.33', '192.168.2.1'
    mymac, gwmac = 'dc:a6:32:6e:91:0f', '1c:3b:f3:7d:22:a8'
    cap = Cap(base, {me: mymac}, gwmac)
    cl = Host(me, 'linux', rng)
    VPS = '45.76.214.71'
    vps = Host(VPS, 'srv_linux', rng, ttl=46)
    RTT = 0.0823

    def dns(t, qname, a, rtt=0.0121):
        sp = rng.randrange(32768, 60999)
        last = t
        for i, (qt, ans) in enumerate((('A', a), ('AAAA', []))):
            tx = rng.randrange(65536)
            q = dns_query_bytes(tx, qname, qt, edns=1200, ad=1)
            cap.add(t + i * 0.00005, udp_pkt(me, gw, sp, 53, q, 64, rng.randrange(65536), True))
            r = dns_resp_bytes(tx, qname, qt, ans, edns=1232)
            ta = t + i * 0.00005 + rtt + rng.uniform(0, 0.004)
            cap.add(ta, udp_pkt(gw, me, 53, sp, r, 64, rng.randrange(65536), False))
            last = max(last, ta)
        return last

    def visit(t, sip, sttl, rtt, sni, resp, more=(), close=None):
        c = Conn(cap, cl, Host(sip, 'srv_linux', rng, ttl=sttl), rng.randrange(32768, 60999), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style='firefox', resp=resp, more=more, close=close)

    def ss_conn(t, up_first, down, extra=(), close_after=1.5):
        c = Conn(cap, cl, vps, rng.randrange(32768, 60999), 8388, RTT)
        t = c.connect(t)
        t = c.c_send(t + 0.0002, rng.randbytes(up_first))
        t = c.s_send(t + RTT + 0.09, rng.randbytes(down), gap=0.00025)
        for (dt, u, d) in extra:
            t = c.c_send(t + dt, rng.randbytes(u))
            t = c.s_send(t + RTT + 0.05, rng.randbytes(d), gap=0.00025)
        return c.close(t + close_after)

    def ss_blocked(t, retries=(1.0, 3.0, 7.0, 15.0)):
        c = Conn(cap, cl, vps, rng.randrange(32768, 60999), 8388, RTT)
        c.syn(t, retries=retries)

    # idle-ish background for 36 minutes
    t = 3.0
    while t < 2170:
        cap.add(t, arp_frame(gwmac, gw, me), kind='l2')
        cap.add(t + 0.00019, arp_frame(mymac, me, gw, reply=True, tmac=gwmac), kind='l2')
        t += rng.uniform(60, 150)
    for tn in (12.0, 1036.0, 2060.0):
        cap.add(tn, udp_pkt(me, '203.107.6.88', 123, 123, b'\x23' + b'\x00' * 39 + rng.randbytes(8), 64, rng.randrange(65536), True))
        cap.add(tn + 0.0213, udp_pkt('203.107.6.88', me, 123, 123, b'\x24\x02\x00\xe7' + rng.randbytes(44), 51, 0, False))

    # direct browsing of domestic sites, sparse
    for tb, (name_, ip_, ttl_) in zip((20.5, 344.0, 702.6, 1190.4, 1650.2, 2030.0),
                                      [('www.bilibili.com', '120.92.78.97', 50), ('www.zhihu.com', '118.89.204.198', 51),
                                       ('www.jd.com', '111.13.149.108', 53), ('www.bilibili.com', '120.92.78.97', 50),
                                       ('www.douban.com', '140.143.177.206', 52), ('www.zhihu.com', '118.89.204.198', 51)]):
        t = dns(tb, name_, [(name_, 'A', 60, ip_)])
        visit(t + 0.0008, ip_, ttl_, rng.uniform(0.02, 0.04), name_, rng.randrange(90000, 400000), close=rng.uniform(5, 40))

    # ssh to the VPS (port 22): opened early, ServerAliveInterval 60, occasional typing
    ssh = Conn(cap, cl, vps, 50522, 22, RTT)
    t = ssh.connect(61.2)
    t = ssh.c_send(t + 0.0003, b'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n')
    t = ssh.s_send(t + RTT + 0.002, b'SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5\r\n', ack_every=1)
    t = ssh.c_send(t + 0.001, rng.randbytes(1512))
    t = ssh.s_send(t + RTT + 0.003, rng.randbytes(1080), ack_every=1)
    t = ssh.c_send(t + 0.002, rng.randbytes(1240))
    t = ssh.s_send(t + RTT + 0.01, rng.randbytes(1460), ack_every=1)
    t = ssh.c_send(t + 0.01, rng.randbytes(96))
    t = ssh.s_send(t + RTT + 0.2, rng.randbytes(620), ack_every=1)
    T = 1812.44
    tk = t + 60.0
    ev = []
    while tk < 2150:
        ev.append((tk, 64 if rng.random() < 0.7 else rng.randrange(36, 180), 64 if rng.random() < 0.7 else rng.randrange(36, 900)))
        tk += 60.0 + rng.uniform(-0.2, 0.2) if rng.random() < 0.8 else rng.uniform(5, 40)
    # typing on the ssh session during the residual window (port 22 unaffected)
    ev += [(T + 35.2, 36, 36), (T + 36.0, 36, 420), (T + 36.4, 36, 36), (T + 37.1, 36, 1310)]
    for (tk, u, d) in sorted(ev):
        ssh.c_send(tk, rng.randbytes(u))
        ssh.s_send(tk + RTT + 0.0004, rng.randbytes(d), ack_every=1, ack_lat=0.04)

    # shadowsocks to VPS:8388, used for a while without trouble
    tp = 1498.7
    while tp < T - 3:
        ss_conn(tp, rng.randrange(90, 700), rng.randrange(3000, 90000),
                extra=((0.3, rng.randrange(60, 500), rng.randrange(2000, 60000)),) if rng.random() < 0.5 else ())
        tp += rng.uniform(9, 41)

    # --- trigger: this connection's first data goes through, then client->server packets vanish ---
    c = Conn(cap, cl, vps, 44871, 8388, RTT)
    t = c.connect(T)
    t = c.c_send(t + 0.0002, rng.randbytes(373))
    t = c.s_send(t + RTT + 0.11, rng.randbytes(11300), gap=0.0003)
    seq_more = c.cseq
    more = rng.randbytes(517)
    tr, rto = t + 0.61, 0.296
    c.pkt(tr, True, 'PA', more, seq=seq_more)
    for k in range(6):
        tr += rto
        rto *= 2
        c.pkt(tr, True, 'PA', more, seq=seq_more)

    # --- residual window: every new connection to VPS:8388 dies at the SYN for ~180 s ---
    for dt in (4.2, 9.6, 27.1, 44.0, 66.3, 97.5, 120.8, 149.2):
        ss_blocked(T + dt)
    # the last one started inside the window: SYN retries at 1/3/7 s vanish, the one at +15 s is answered
    c = Conn(cap, cl, vps, 41695, 8388, RTT)
    c.syn(T + 168.3, retries=(1.0, 3.0, 7.0, 15.0))
    t = T + 168.3 + 15.0 + RTT
    c.synack(t)
    c.c_ack(t + 0.00005)
    t = c.c_send(t + 0.0003, rng.randbytes(211))
    t = c.s_send(t + RTT + 0.08, rng.randbytes(24000), gap=0.00025)
    c.close(t + 1.2)

    # --- after the window: connections to 8388 work again ---
    tp = T + 191.4
    while tp < 2160:
        ss_conn(tp, rng.randrange(90, 700), rng.randrange(3000, 90000))
        tp += rng.uniform(12, 45)

    write_pcap(os.path.join(OUT, fname), 1, eth_frames(cap), snaplen=262144)
    expect(fname, 'residual-blocking', None, VPS,
           'Shadowsocks connections to 45.76.214.71:8388 work for 5 minutes; 30 min into the capture one '
           'connection\'s first (high-entropy) data passes, then its client->server packets are never ACKed; '
           'for the next ~180 s nine new connections (the last one answered only at its 15 s SYN retry) to the same ip:port get no SYN/ACK (SYN retries 1/3/7/15 s) '
           'while ssh to port 22 of the same server keeps exchanging data; from +186 s on, new connections to '
           '8388 complete and carry data again.',
           '36-minute home capture, Linux client (TTL 64, TS), mostly idle (ARP, NTP, ssh keepalives every '
           '60 s, sparse direct browsing); the event is late in the file.',
           allow=[{'mechanism': 'blackhole', 'ip': VPS}])


# ============================================================================================
# case 14: dns-injection over IPv6 transport (dig @2001:4860:4860::8888), pcapng, ns resolution
# ============================================================================================


def case14():
    fname = 'h3_14_dnsinj_ipv6_dig_ns.pcapng'
    rng = random.Random(314)
    base = epoch(2025, 1, 9, 16, 27, 41, tz=8)
    me4, me6, gw4 = '192.168.10.7', '240e:3a1:4c2:8e50:5a8c:2b19:e4d0:7f3a', '192.168.10.1'
    mymac, gwmac = '70:cd:0d:9a:44:1e', '38:6b:1c:d2:08:b5'
    cap = Cap(base, {me4: mymac, me6: mymac}, gwmac)
    cl4 = Host(me4, 'linux', rng)
    cl6 = Host(me6, 'linux', rng)
    R6 = '2001:4860:4860::8888'
    from scapy.layers.dns import EDNS0TLV
    from scapy.layers.inet6 import ICMPv6DestUnreach

    def dig(t, qname, qtype, genuine, forged=(), rtt=0.0611, icmp=True):
        sp = rng.randrange(32768, 60999)
        tx = rng.randrange(65536)
        ccookie = rng.randbytes(8)
        q = bytes(DNS(id=tx, rd=1, ad=1, qd=[DNSQR(qname=qname, qtype=qtype)],
                      ar=[DNSRROPT(rclass=1232, z=0, rdata=[EDNS0TLV(optcode=10, optdata=ccookie)])]))
        fl = rng.randrange(1 << 20)
        cap.add(t, udp_pkt(me6, R6, sp, 53, q, 64, fl=fl))
        first = True
        for (dt, ip, hl, ansttl) in forged:
            fb = gfw_forged(q, ip, ansttl)
            cap.add(t + dt, udp_pkt(R6, me6, 53, sp, fb, hl, fl=rng.randrange(1 << 20)))
            if not first and icmp:
                pass
            first = False
        an = [DNSRR(rrname=n, type=ty, ttl=tl, rdata=rd_) for (n, ty, tl, rd_) in genuine]
        g = DNS(id=tx, qr=1, rd=1, ra=1, qd=[DNSQR(qname=qname, qtype=qtype)], an=an,
                ar=[DNSRROPT(rclass=512, z=0, rdata=[EDNS0TLV(optcode=10, optdata=ccookie + rng.randbytes(16))])])
        gb = bytes(g.compress())
        tg = t + rtt + rng.uniform(0, 0.003)
        gp = udp_pkt(R6, me6, 53, sp, gb, 118, fl=rng.randrange(1 << 20))
        cap.add(tg, gp)
        late = []
        if forged:
            late = [tg]
            # dig took the first reply and exited: the kernel rejects what comes later
            for tl in late:
                icmp6 = IPv6(src=me6, dst=R6, hlim=64) / ICMPv6DestUnreach(code=4) / Raw(gp[:1232 - 48])
                cap.add(tl + 0.000041, bytes(icmp6))
        return tg

    def dns4(t, qname, a, rtt=0.0071):
        sp = rng.randrange(32768, 60999)
        last = t
        for i, (qt, ans) in enumerate((('A', a), ('AAAA', []))):
            tx = rng.randrange(65536)
            q = dns_query_bytes(tx, qname, qt, edns=1200, ad=1)
            cap.add(t + i * 0.00005, udp_pkt(me4, gw4, sp, 53, q, 64, rng.randrange(65536), True))
            r = dns_resp_bytes(tx, qname, qt, ans, edns=1232)
            ta = t + i * 0.00005 + rtt + rng.uniform(0, 0.004)
            cap.add(ta, udp_pkt(gw4, me4, 53, sp, r, 64, rng.randrange(65536), False))
            last = max(last, ta)
        return last

    def visit(t, cl, sip, sttl, rtt, sni, resp, more=()):
        c = Conn(cap, cl, Host(sip, 'srv_linux', rng, ttl=sttl), rng.randrange(32768, 60999), 443, rtt)
        t = c.connect(t)
        return https_exchange(c, rng, t, sni, style='firefox', resp=resp, more=more)

    # ordinary browsing (v4 DNS through the router, v6 and v4 connections)
    t = dns4(0.93, 'www.baidu.com', [('www.baidu.com', 'CNAME', 600, 'www.a.shifen.com'), ('www.a.shifen.com', 'A', 60, '183.2.172.185')])
    visit(t + 0.0007, cl6, '240e:ff:e020:966:0:ff:b042:f296', 53, 0.0142, 'www.baidu.com', 120000, more=((2.1, 400, 41000),))
    t = dns4(7.4, 'gitee.com', [('gitee.com', 'A', 600, '180.76.198.77')])
    visit(t + 0.0007, cl4, '180.76.198.77', 51, 0.0301, 'gitee.com', 260000, more=((4.0, 600, 88000),))

    # --- the event: dig over IPv6 to Google Public DNS; two forged answers beat the real one ---
    dig(19.882, 'www.google.com', 'AAAA', [('www.google.com', 'AAAA', 300, '2404:6800:4005:81a::2004')],
        forged=((0.00411, '2a03:2880:f12d:83:face:b00c:0:25de', 59, 134),
                (0.00449, '2a03:2880:f10c:283:face:b00c:0:25de', 72, 60)))
    dig(27.305, 'www.google.com', 'A', [('www.google.com', 'A', 300, '142.250.196.196')],
        forged=((0.00402, '157.240.17.41', 59, 134),))
    # a control name over the same transport: one answer only
    dig(35.77, 'www.baidu.com', 'AAAA', [('www.baidu.com', 'CNAME', 1200, 'www.a.shifen.com'),
                                         ('www.a.shifen.com', 'CNAME', 300, 'www.wshifen.com'),
                                         ('www.wshifen.com', 'AAAA', 300, '240e:ff:e020:966:0:ff:b042:f296')])

    t = dns4(44.9, 'www.bilibili.com', [('www.bilibili.com', 'CNAME', 300, 'a.w.bilicdn1.com'), ('a.w.bilicdn1.com', 'A', 120, '120.92.78.97')])
    visit(t + 0.0007, cl4, '120.92.78.97', 50, 0.0331, 'www.bilibili.com', 300000, more=((5.5, 700, 120000),))

    frames = eth_frames(cap)
    with open(os.path.join(OUT, fname), 'wb') as f:
        f.write(pcapng_shb([(2, '11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz (with SSE4.2)'),
                            (3, 'Linux 6.1.0-28-amd64'),
                            (4, 'Dumpcap (Wireshark) 4.0.17 (Git v4.0.17 packaged as 4.0.17-0+deb12u3)')]))
        f.write(pcapng_idb(1, 262144, [(2, 'wlp0s20f3'), (9, b'\x09'), (11, b'\x00not tcp port 22'),
                                       (12, 'Linux 6.1.0-28-amd64')]))
        for tn, fr in frames:
            f.write(pcapng_epb(0, tn, fr, 262144))
        tl = frames[-1][0] + 1_700_000
        f.write(pcapng_isb(0, tl, [(2, struct.pack('<II', (frames[0][0] - 900_000_000) >> 32, (frames[0][0] - 900_000_000) & 0xffffffff)),
                                   (3, struct.pack('<II', tl >> 32, tl & 0xffffffff)),
                                   (4, struct.pack('<Q', len(frames))), (5, struct.pack('<Q', 0)),
                                   (6, struct.pack('<Q', len(frames))), (7, struct.pack('<Q', 0)),
                                   (8, struct.pack('<Q', len(frames)))]))
    expect(fname, 'dns-injection', 'www.google.com', R6,
           'dig over IPv6 to 2001:4860:4860::8888: the AAAA query for www.google.com gets two forged replies '
           '4.1/4.5 ms later (flags 0x8180, AN=1, no OPT/cookie echoed, Facebook face:b00c addresses, hop limits '
           '59/72) before the genuine reply at 61 ms (hop limit 118, OPT with client+server cookie, Google '
           '2404:6800:: address); the A query the same (forged 157.240.17.41 vs genuine 142.250.196.196). '
           'ICMPv6 port unreachable for the late genuine replies; the baidu control gets one answer.',
           'pcapng from dumpcap on Debian with nanosecond timestamps (if_tsresol 9), capture filter string in '
           'the IDB, ISB at the end; dual-stack client; dig query with EDNS COOKIE and AD bit.',
           allow=[{'mechanism': 'dns-tampering', 'domain': 'www.google.com'}])


CASES = [case01, case02, case03, case04, case05, case06, case07, case08, case09, case10, case11, case12, case13, case14]


def main():
    global OUT
    if len(sys.argv) != 2:
        sys.exit("usage: blind3_positive.py OUTDIR")
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    for fn in CASES:
        fn()
    with open(os.path.join(OUT, 'expect.json'), 'w') as f:
        json.dump(EXPECT, f, indent=1, sort_keys=True)
        f.write('\n')
    print('wrote %d captures' % len(EXPECT))


if __name__ == '__main__':
    main()
