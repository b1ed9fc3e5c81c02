#!/usr/bin/env python3
# ruff: noqa: E501, UP031, F841, RUF005, B905, E741, RUF015, B007, W293, E731, SIM105, RUF046
"""Blind set of BENIGN look-alike captures for the censorship-forensics analyzer.

Every capture shows ordinary network behaviour that superficially resembles one of the
censorship signatures in fingerprints.md (its false-positive traps).  None of them must
produce a finding.  Deterministic: fixed seeds, fixed epoch, integer-microsecond clocks,
own pcap/pcapng writers (no wall-clock anywhere).

Run: python captures/blind_benign.py OUTDIR (writes the captures and expect.json there;
tests/test_blind_sets.py runs it into a temporary folder).
"""
import json
import os
import random
import struct
import sys

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.all import DNS, DNSQR, DNSRR, DNSRROPT, DNSRRSOA, DNSRRSRV, IP, TCP, UDP, IPv6, Raw, conf
from scapy.layers.dns import DNSRRSVCB, SvcParam, dns_compress
from scapy.layers.ntp import NTP

conf.verb = 0
OUT = "."  # the output folder, set by main() from the command line
MS = 1000
S = 1000000
BASE = 1714989600  # 2024-05-06 10:00:00 UTC

EXPECT = {}

# --------------------------------------------------------------------------------------
# writers
# --------------------------------------------------------------------------------------

def write_pcap(path, linktype, recs):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, linktype))
        for ts, data in recs:
            f.write(struct.pack('<IIII', ts // S, ts % S, len(data), len(data)))
            f.write(data)


def _pad4(b):
    return b + b'\x00' * ((-len(b)) % 4)


def _block(btype, body):
    body = _pad4(body)
    ln = 12 + len(body)
    return struct.pack('<II', btype, ln) + body + struct.pack('<I', ln)


def _opt(code, val):
    return struct.pack('<HH', code, len(val)) + _pad4(val)


def write_pcapng(path, linktype, recs, ifname=b'wlp2s0', comment=None):
    with open(path, 'wb') as f:
        shb = struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1)
        shb += _opt(2, b'x86_64') + _opt(3, b'Linux 6.1.0-21-amd64') + _opt(4, b'Dumpcap (Wireshark) 4.0.11')
        shb += struct.pack('<HH', 0, 0)
        f.write(_block(0x0A0D0D0A, shb))
        idb = struct.pack('<HHI', linktype, 0, 262144)
        idb += _opt(2, ifname) + _opt(9, b'\x06') + struct.pack('<HH', 0, 0)
        f.write(_block(1, idb))
        for ts, data in recs:
            epb = struct.pack('<IIIII', 0, ts >> 32, ts & 0xffffffff, len(data), len(data))
            epb += _pad4(data)
            f.write(_block(6, epb))


def mac_bytes(m):
    return bytes(int(x, 16) for x in m.split(':'))


def mcast_mac(ip):
    if ':' in ip:
        raw = IPv6(dst=ip).dst
        import ipaddress
        b = ipaddress.IPv6Address(raw).packed
        return b'\x33\x33' + b[-4:]
    parts = [int(x) for x in ip.split('.')]
    return bytes([0x01, 0x00, 0x5e, parts[1] & 0x7f, parts[2], parts[3]])


def is_mcast(ip):
    if ':' in ip:
        return ip.lower().startswith('ff')
    return 224 <= int(ip.split('.')[0]) <= 239


# --------------------------------------------------------------------------------------
# capture container
# --------------------------------------------------------------------------------------

class Cap:
    def __init__(self, fname, link, start, seed, client4=None, client6=None, vlan=None,
                 client_mac='3c:22:fb:5a:91:0e', gw_mac='a0:63:91:7f:c2:18', ifname=b'wlp2s0'):
        self.fname = fname
        self.link = link
        self.t0 = start * S
        self.rng = random.Random(seed)
        self.items = []
        self.client4 = client4
        self.client6 = client6
        self.local = set(x for x in (client4, client6) if x)
        self.vlan = vlan
        self.client_mac = client_mac
        self.gw_mac = gw_mac
        self.mac = {}
        self.ifname = ifname

    def add(self, t, pkt):
        self.items.append((int(round(t)), len(self.items), pkt))

    def _l2(self, pkt):
        raw = bytes(pkt)
        if IP in pkt:
            src, dst, etype = pkt[IP].src, pkt[IP].dst, 0x0800
        else:
            src, dst, etype = pkt[IPv6].src, pkt[IPv6].dst, 0x86dd
        out = src in self.local
        if out:
            smac = mac_bytes(self.client_mac)
            dmac = mcast_mac(dst) if is_mcast(dst) else mac_bytes(self.mac.get(dst, self.gw_mac))
        else:
            smac = mac_bytes(self.mac.get(src, self.gw_mac))
            dmac = mcast_mac(dst) if is_mcast(dst) else mac_bytes(self.client_mac)
        if self.link in ('eth', 'pcapng'):
            return dmac + smac + struct.pack('!H', etype) + raw
        if self.link == 'vlan':
            return dmac + smac + struct.pack('!HHH', 0x8100, self.vlan, etype) + raw
        if self.link == 'sll2':
            pkttype = 4 if out else (2 if is_mcast(dst) else 0)
            return struct.pack('!HHIHBB', etype, 0, 3, 1, pkttype, 6) + smac + b'\x00\x00' + raw
        if self.link == 'raw':
            return raw
        raise ValueError(self.link)

    def write(self, trap, why, shape):
        self.items.sort(key=lambda x: (x[0], x[1]))
        recs = [(self.t0 + t, self._l2(p)) for t, _, p in self.items]
        path = os.path.join(OUT, self.fname)
        if self.link == 'pcapng':
            write_pcapng(path, 1, recs, ifname=self.ifname)
        else:
            lt = {'eth': 1, 'vlan': 1, 'sll2': 276, 'raw': 101}[self.link]
            write_pcap(path, lt, recs)
        EXPECT[self.fname] = {'trap': trap, 'why_benign': why, 'shape': shape}
        print('%-52s %6d packets' % (self.fname, len(recs)))


# --------------------------------------------------------------------------------------
# hosts
# --------------------------------------------------------------------------------------

class Server:
    def __init__(self, names, ip4, ip6=None, ttl=52, hlim=None, rtt=20, ipid='inc', df=True,
                 ts=True, http=False, dttl=300, seed=0):
        self.names = names if isinstance(names, list) else [names]
        self.ip4, self.ip6 = ip4, ip6
        self.ttl = ttl
        self.hlim = hlim if hlim is not None else ttl
        self.rtt = int(rtt * MS)
        self.ipid = ipid
        self.df = df
        self.ts = ts
        self.http = http
        self.dttl = dttl
        self.g = random.Random(seed * 7919 + sum(map(ord, ip4 or ip6 or '')))
        self.gid = self.g.randint(0, 65535)

    def next_global(self):
        self.gid = (self.gid + 1 + self.g.randint(0, 12)) & 0xffff
        return self.gid


class Resolver:
    def __init__(self, ip, ttl=64, rtt=3, v6=False, ipid='rand'):
        self.ip, self.ttl, self.rtt, self.v6, self.ipid = ip, ttl, int(rtt * MS), v6, ipid


def bg_pool(seed=1):
    """Ordinary servers used as background traffic (never used for the trap flows)."""
    L = [
        Server(['www.wikipedia.org', 'en.wikipedia.org'], '185.15.59.224', '2a02:ec80:300:ed1a::1', ttl=55, rtt=22),
        Server(['upload.wikimedia.org'], '185.15.59.240', '2a02:ec80:300:ed1a::2:b', ttl=55, rtt=22),
        Server(['www.google.com'], '142.250.185.68', '2a00:1450:4001:82b::2004', ttl=117, rtt=9, ipid='zero'),
        Server(['fonts.gstatic.com', 'www.gstatic.com'], '142.250.185.99', '2a00:1450:4001:806::2003', ttl=117, rtt=9, ipid='zero'),
        Server(['github.com'], '140.82.121.4', None, ttl=49, rtt=31),
        Server(['api.github.com'], '140.82.121.6', None, ttl=49, rtt=31),
        Server(['avatars.githubusercontent.com'], '185.199.108.133', '2606:50c0:8000::154', ttl=57, rtt=12),
        Server(['cdn.jsdelivr.net'], '151.101.1.229', '2a04:4e42::485', ttl=57, rtt=11, ipid='rand'),
        Server(['pypi.org', 'files.pythonhosted.org'], '151.101.0.223', '2a04:4e42::223', ttl=57, rtt=11, ipid='rand'),
        Server(['www.reddit.com'], '151.101.129.140', '2a04:4e42:200::396', ttl=57, rtt=12, ipid='rand'),
        Server(['stackoverflow.com'], '104.18.32.7', '2606:4700::6812:2007', ttl=58, rtt=8),
        Server(['www.cloudflare.com'], '104.16.124.96', '2606:4700::6810:7c60', ttl=58, rtt=8),
        Server(['news.ycombinator.com'], '209.216.230.207', None, ttl=47, rtt=148, http=False),
        Server(['www.debian.org'], '130.89.148.77', '2001:67c:2564:a119::77', ttl=52, rtt=17),
        Server(['www.bbc.co.uk'], '151.101.0.81', '2a04:4e42::81', ttl=57, rtt=14, ipid='rand'),
        Server(['www.theguardian.com'], '151.101.65.111', '2a04:4e42:400::367', ttl=57, rtt=13, ipid='rand'),
        Server(['login.microsoftonline.com'], '20.190.159.2', None, ttl=113, rtt=19, ipid='global', ts=False),
        Server(['www.mozilla.org'], '34.117.65.55', '2600:1901:0:4f81::', ttl=118, rtt=10, ipid='zero'),
        Server(['www.spiegel.de'], '128.65.210.8', None, ttl=244, rtt=15),
        Server(['zoom.us'], '170.114.52.2', None, ttl=51, rtt=27),
        Server(['ocsp.digicert.com'], '192.229.211.108', '2606:2800:233:fa02:67b9:f6e6:f5b3:8b1', ttl=56, rtt=9, http=True),
        Server(['detectportal.firefox.com'], '34.107.221.82', '2600:1901:0:38d7::', ttl=118, rtt=9, http=True, ipid='zero'),
        Server(['www.heise.de'], '193.99.144.85', '2a02:2e0:3fe:1001:302::', ttl=52, rtt=13, http=True),
        Server(['docs.python.org'], '151.101.128.223', '2a04:4e42:200::223', ttl=57, rtt=11, ipid='rand'),
        Server(['www.lemonde.fr'], '151.101.2.217', '2a04:4e42::729', ttl=57, rtt=14, ipid='rand'),
        Server(['slack.com'], '3.67.112.26', None, ttl=236, rtt=18, ipid='rand'),
        Server(['www.nature.com'], '199.232.82.110', None, ttl=57, rtt=16, ipid='rand'),
        Server(['connectivity-check.ubuntu.com'], '35.224.170.84', None, ttl=47, rtt=112, http=True),
    ]
    for i, s in enumerate(L):
        s.g = random.Random(seed * 1000 + i)
        s.gid = s.g.randint(0, 65535)
        s.dttl = [300, 60, 3600, 120, 1800, 30, 600][i % 7]
    return L


# --------------------------------------------------------------------------------------
# TCP flow model (capture point = the client)
# --------------------------------------------------------------------------------------

class Tcp:
    def __init__(self, cap, t, cip, srv, dport=443, v6=False, sport=None, rtt=None, s_ttl=None,
                 c_win=502, s_win=None, proc=None):
        self.cap = cap
        r = cap.rng
        self.t = int(t)
        self.v6 = v6
        self.cip = cip
        self.srv = srv
        self.sip = srv.ip6 if v6 else srv.ip4
        self.sport = sport or r.randint(33000, 60999)
        self.dport = dport
        self.rtt = int(rtt * MS) if rtt is not None else srv.rtt
        self.s_ttl = s_ttl if s_ttl is not None else (srv.hlim if v6 else srv.ttl)
        self.c_isn = r.getrandbits(32)
        self.s_isn = r.getrandbits(32)
        self.cs = self.c_isn
        self.ss = self.s_isn
        self.c_ack = 0
        self.s_ack = 0
        self.c_id = r.randint(0, 65535)
        self.s_id = r.randint(0, 65535)
        self.c_fl = r.getrandbits(20)
        self.s_fl = r.getrandbits(20)
        self.c_tso = r.getrandbits(31)
        self.s_tso = r.getrandbits(31)
        self.c_tsv = 0
        self.s_tsv = 0
        self.ts = srv.ts
        self.c_win = c_win
        self.s_win = s_win or r.choice([501, 502, 509, 1026, 283])
        mss = 1440 if v6 else 1460
        self.c_mss = mss
        self.s_mss = mss if r.random() < 0.6 else mss - 60
        self.c_smss = self.s_mss - (12 if self.ts else 0)
        self.s_smss = self.c_mss - (12 if self.ts else 0)
        self.proc = proc if proc is not None else r.randint(300, 4000)

    # -- ip layers
    def _cip(self):
        if self.v6:
            return IPv6(src=self.cip, dst=self.sip, hlim=64, fl=self.c_fl)
        self.c_id = (self.c_id + 1) & 0xffff
        return IP(src=self.cip, dst=self.sip, ttl=64, id=self.c_id, flags='DF')

    def next_sid(self):
        m = self.srv.ipid
        if m == 'inc':
            self.s_id = (self.s_id + 1) & 0xffff
            return self.s_id
        if m == 'rand':
            return self.cap.rng.randint(1, 65535)
        if m == 'zero':
            return 0
        if m == 'global':
            return self.srv.next_global()
        raise ValueError(m)

    def _sip(self, ttl=None, ipid=None, df=None):
        ttl = self.s_ttl if ttl is None else ttl
        if self.v6:
            return IPv6(src=self.sip, dst=self.cip, hlim=ttl, fl=self.s_fl)
        ipid = self.next_sid() if ipid is None else ipid
        df = self.srv.df if df is None else df
        return IP(src=self.sip, dst=self.cip, ttl=ttl, id=ipid, flags='DF' if df else 0)

    # -- options
    def _c_opts(self, t, syn=False, sack=None):
        tsv = (t // MS + self.c_tso) & 0xffffffff
        self.c_tsv = tsv
        if syn:   # a Linux client always offers timestamps; they are used only if the server echoes them
            return [('MSS', self.c_mss), ('SAckOK', b''), ('Timestamp', (tsv, 0)), ('NOP', None), ('WScale', 7)]
        o = []
        if self.ts:
            o += [('NOP', None), ('NOP', None), ('Timestamp', (tsv, self.s_tsv))]
        if sack:
            flat = []
            for a, b in sack[:3 if self.ts else 4]:
                flat += [a & 0xffffffff, b & 0xffffffff]
            o += [('NOP', None), ('NOP', None), ('SAck', tuple(flat))]
        return o

    def _s_opts(self, t, syn=False):
        tsv = ((t - self.rtt // 2) // MS + self.s_tso) & 0xffffffff
        self.s_tsv = tsv
        if syn:
            if self.ts:
                return [('MSS', self.s_mss), ('SAckOK', b''), ('Timestamp', (tsv, self.c_tsv)), ('NOP', None), ('WScale', 9)]
            return [('MSS', self.s_mss), ('NOP', None), ('WScale', 8), ('SAckOK', b''), ('EOL', None)]
        if self.ts:
            return [('NOP', None), ('NOP', None), ('Timestamp', (tsv, self.c_tsv))]
        return []

    # -- packet emitters
    def C(self, t, flags, data=b'', seq=None, ack=None, win=None, sack=None, syn=False):
        seq = self.cs if seq is None else seq
        ack = (self.c_ack if ack is None else ack) if 'A' in flags else 0
        tcp = TCP(sport=self.sport, dport=self.dport, seq=seq & 0xffffffff, ack=ack & 0xffffffff, flags=flags,
                  window=self.c_win if win is None else win,
                  options=[] if ('R' in flags and not syn) else self._c_opts(t, syn=syn, sack=sack))
        p = self._cip() / tcp
        if data:
            p = p / Raw(data)
        self.cap.add(t, p)

    def S(self, t, flags, data=b'', seq=None, ack=None, win=None, ttl=None, ipid=None, df=None, syn=False,
          opts=None):
        seq = self.ss if seq is None else seq
        ack = (self.s_ack if ack is None else ack) if 'A' in flags else 0
        if opts is None:
            opts = [] if 'R' in flags else self._s_opts(t, syn=syn)
        tcp = TCP(sport=self.dport, dport=self.sport, seq=seq & 0xffffffff, ack=ack & 0xffffffff, flags=flags,
                  window=self.s_win if win is None else win, options=opts)
        p = self._sip(ttl=ttl, ipid=ipid, df=df) / tcp
        if data:
            p = p / Raw(data)
        self.cap.add(t, p)

    # -- high level
    def connect(self, t=None, syn_retx=(), synack=True, synack_ttl=None, synack_extra=0):
        t = self.t if t is None else int(t)
        self.C(t, 'S', seq=self.c_isn, syn=True)
        for dt in syn_retx:
            self.C(t + dt, 'S', seq=self.c_isn, syn=True)
        self.cs = self.c_isn + 1
        if not synack:
            self.t = t + (syn_retx[-1] if syn_retx else 0)
            return self.t
        base = t + (syn_retx[-1] if syn_retx else 0)
        ta = base + self.rtt + synack_extra
        self.S(ta, 'SA', seq=self.s_isn, ack=self.c_isn + 1, syn=True, ttl=synack_ttl)
        self.ss = self.s_isn + 1
        self.c_ack = self.ss
        self.s_ack = self.cs
        self.C(ta + 45, 'A')
        self.t = ta + 45
        return self.t

    def c_send(self, data, t=None, gap=25, retx=(), push=True):
        t = self.t if t is None else int(t)
        t0 = t
        segs = [data[i:i + self.c_smss] for i in range(0, len(data), self.c_smss)]
        seq0 = self.cs
        for i, seg in enumerate(segs):
            self.C(t, 'PA' if (push and i == len(segs) - 1) else 'A', seg)
            self.cs += len(seg)
            t += gap
        for dt in retx:
            tt = t0 + dt
            sq = seq0
            for i, seg in enumerate(segs):
                self.C(tt, 'PA' if (push and i == len(segs) - 1) else 'A', seg, seq=sq)
                sq += len(seg)
                tt += gap
            t = max(t, tt)
        self.s_ack = self.cs
        self.t = t
        return t

    def s_pure_ack(self, t, ttl=None):
        self.S(t, 'A', ttl=ttl)

    def s_send(self, data, start=None, rate=None, link=300e6, iw=10, lost=(), dup=(), ack_every=2,
               ttl_at=None, last_ack_delay=120, psh_records=True, c_win=None, client_acks=True, stop_before=None):
        """Server data arriving at the client.  Client ACKs (with SACK on holes)."""
        start = self.t + self.rtt + self.proc if start is None else int(start)
        segs = [data[i:i + self.s_smss] for i in range(0, len(data), self.s_smss)]
        n = len(segs)
        seqs = []
        sq = self.ss
        for seg in segs:
            seqs.append(sq)
            sq += len(seg)
        end_seq = sq
        arr = []
        prev = None
        rnd, rnd_end, cw = 0, iw, iw
        for i, seg in enumerate(segs):
            if i >= rnd_end:
                rnd += 1
                cw *= 2
                rnd_end += cw
            earliest = start + rnd * self.rtt
            g = (len(seg) + 66) * 8 / link * S
            if rate:
                g = max(g, (len(seg) + 66) * 8 / rate * S)
            ta = earliest if prev is None else max(earliest, prev + g)
            ta = int(ta)
            arr.append(ta)
            prev = ta
        if stop_before is not None:
            keep = sum(1 for a in arr if a < stop_before - 2 * MS)
            segs, arr, seqs = segs[:keep], arr[:keep], seqs[:keep]
            n = keep
            end_seq = seqs[-1] + len(segs[-1])
            data = data[:end_seq - self.ss]
        ev = []
        lost = set(i if i >= 0 else n + i for i in lost)
        dup = set(i if i >= 0 else n + i for i in dup)
        for i in range(n):
            if i not in lost:
                ev.append((arr[i], i, 0, i))
        for L in sorted(lost):
            later = [j for j in range(L + 1, n) if j not in lost]
            if len(later) >= 3:
                tr = arr[later[2]] + self.rtt + 350
            else:
                tr = arr[L] + max(210 * MS + self.rtt, 2 * self.rtt)
            ev.append((int(tr), L + 0.5, 1, L))
        for D in dup:
            ev.append((arr[D] + int(1.6 * self.rtt) + 200 * MS, D + 0.7, 2, D))
        ev.sort()
        rcv = self.ss
        ooo = []   # [l, r] ranges above rcv
        recent = []
        unacked = 0
        cw_adv = c_win or self.c_win
        last_t = start
        for k, (ta, _o, kind, i) in enumerate(ev):
            s, e = seqs[i], seqs[i] + len(segs[i])
            fl = 'PA' if (i == n - 1 or (psh_records and (e - self.ss) % 16406 < len(segs[i]))) else 'A'
            self.S(ta, fl, segs[i], seq=s, ttl=ttl_at(ta) if ttl_at else None)
            last_t = ta
            if not client_acks:
                continue
            if e <= rcv:
                blocks = [(s, e)] + [tuple(x) for x in reversed(ooo)]
                self.C(ta + 60, 'A', ack=rcv, win=cw_adv, sack=blocks)
                last_t = ta + 60
                continue
            if s > rcv:
                ooo.append([s, e])
                ooo.sort()
                merged = []
                for l, r in ooo:
                    if merged and l <= merged[-1][1]:
                        merged[-1][1] = max(merged[-1][1], r)
                    else:
                        merged.append([l, r])
                ooo = merged
                blk = [b for b in ooo if b[0] <= s < b[1] + 1][0]
                blocks = [tuple(blk)] + [tuple(b) for b in reversed(ooo) if b is not blk]
                self.C(ta + 60, 'A', ack=rcv, win=cw_adv, sack=blocks)
                last_t = ta + 60
                unacked = 0
                continue
            had_hole = bool(ooo)
            rcv = max(rcv, e)
            while ooo and ooo[0][0] <= rcv:
                rcv = max(rcv, ooo[0][1])
                ooo.pop(0)
            if had_hole:
                self.C(ta + 60, 'A', ack=rcv, win=cw_adv, sack=[tuple(b) for b in reversed(ooo)] or None)
                last_t = ta + 60
                unacked = 0
                continue
            unacked += 1
            more = k + 1 < len(ev)
            if unacked >= ack_every:
                self.C(ta + 40, 'A', ack=rcv, win=cw_adv)
                last_t = ta + 40
                unacked = 0
            elif not more or (rcv == end_seq):
                self.C(ta + last_ack_delay, 'A', ack=rcv, win=cw_adv)
                last_t = ta + last_ack_delay
                unacked = 0
        self.c_ack = rcv
        self.ss = end_seq
        self.t = max(last_t, self.t)
        if stop_before is not None:
            return len(data)
        return self.t

    def c_fin(self, t=None):
        t = self.t if t is None else int(t)
        self.C(t, 'FA')
        self.cs += 1
        self.s_ack = self.cs
        self.t = t
        return t

    def s_fin(self, t, ttl=None, ack=None):
        self.S(t, 'FA', ttl=ttl, ack=ack)
        self.ss += 1
        self.c_ack = self.ss
        self.t = max(self.t, t)
        return t

    def close_client_first(self, t=None, tls=True, server_notify=False, ttl=None):
        """client (close_notify +) FIN, server FIN, final ACK."""
        t = self.t if t is None else int(t)
        if tls:
            self.c_send(tls_rec(23, self.cap.rng.randbytes(19)), t=t)
            t += 30
        self.c_fin(t)
        ts = t + self.rtt + 200
        if server_notify and tls:
            self.s_send(tls_rec(23, self.cap.rng.randbytes(19)), start=ts, ttl_at=(lambda x: ttl) if ttl else None,
                        last_ack_delay=30)
            ts += 40
        self.s_fin(ts, ttl=ttl)
        self.C(ts + 50, 'A')
        self.t = ts + 50
        return self.t


# --------------------------------------------------------------------------------------
# TLS byte builders
# --------------------------------------------------------------------------------------

def u16(x):
    return struct.pack('!H', x)


def u24(x):
    return struct.pack('!I', x)[1:]


def tls_rec(ct, body, ver=b'\x03\x03'):
    return bytes([ct]) + ver + u16(len(body)) + body


def hs_msg(t, body):
    return bytes([t]) + u24(len(body)) + body


def ext(t, body):
    return u16(t) + u16(len(body)) + body


GREASE = [0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba,
          0xcaca, 0xdada, 0xeaea, 0xfafa]


def client_hello(rng, sni, profile='chrome', alpn=(b'h2', b'http/1.1'), pq=False, quic_tp=None,
                 ciphers=None, tls13=True, legacy_sid=True, cver=b'\x03\x03'):
    rnd = rng.randbytes(32)
    sid = rng.randbytes(32) if legacy_sid else b''
    g = rng.choice(GREASE)
    g2 = rng.choice(GREASE)
    if ciphers is None:
        if profile == 'chrome':
            ciphers = [g, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
                       0x009c, 0x009d, 0x002f, 0x0035]
        else:
            ciphers = [0x1301, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a, 0xc009,
                       0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035]
    cs = b''.join(u16(c) for c in ciphers)
    e = []
    if profile == 'chrome':
        e.append(ext(g, b''))
    if sni:
        sn = sni.encode()
        e.append(ext(0x0000, u16(len(sn) + 3) + b'\x00' + u16(len(sn)) + sn))
    e.append(ext(0x0017, b''))
    e.append(ext(0xff01, b'\x00'))
    groups = ([g] if profile == 'chrome' else []) + ([0x11ec] if pq else []) + [0x001d, 0x0017, 0x0018]
    if profile != 'chrome':
        groups += [0x0019, 0x0100, 0x0101]
    e.append(ext(0x000a, u16(2 * len(groups)) + b''.join(u16(x) for x in groups)))
    e.append(ext(0x000b, b'\x01\x00'))
    if quic_tp is None:
        e.append(ext(0x0023, b''))
    if alpn:
        a = b''.join(bytes([len(x)]) + x for x in alpn)
        e.append(ext(0x0010, u16(len(a)) + a))
    e.append(ext(0x0005, b'\x01\x00\x00\x00\x00'))
    sig = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]
    e.append(ext(0x000d, u16(2 * len(sig)) + b''.join(u16(x) for x in sig)))
    if tls13:
        e.append(ext(0x0012, b''))
        shares = b''
        if profile == 'chrome':
            shares += u16(g) + u16(1) + b'\x00'
        if pq:
            shares += u16(0x11ec) + u16(1216) + rng.randbytes(1216)
        shares += u16(0x001d) + u16(32) + rng.randbytes(32)
        e.append(ext(0x0033, u16(len(shares)) + shares))
        e.append(ext(0x002d, b'\x01\x01'))
        vers = ([g] if profile == 'chrome' else []) + [0x0304, 0x0303]
        e.append(ext(0x002b, bytes([2 * len(vers)]) + b''.join(u16(v) for v in vers)))
        e.append(ext(0x001b, b'\x02\x00\x02'))
    if quic_tp is not None:
        e.append(ext(0x0039, quic_tp))
    if profile == 'chrome':
        e.append(ext(g2 if g2 != g else 0xfafa, b'\x00'))
    if profile == 'firefox' and tls13:
        e.append(ext(0x001c, b'\x40\x01'))
    exts = b''.join(e)
    body = cver + rnd + bytes([len(sid)]) + sid + u16(len(cs)) + cs + b'\x01\x00' + u16(len(exts)) + exts
    return hs_msg(1, body)


def server_hello(rng, sid, group=0x001d, cipher=0x1301):
    ks = rng.randbytes(32 if group == 0x001d else 1120)
    exts = ext(0x002b, b'\x03\x04') + ext(0x0033, u16(group) + u16(len(ks)) + ks)
    body = b'\x03\x03' + rng.randbytes(32) + bytes([len(sid)]) + sid + u16(cipher) + b'\x00' + u16(len(exts)) + exts
    return hs_msg(2, body)


def ch_sid(ch):
    # ch = handshake msg; sid at offset 4+2+32
    ln = ch[38]
    return ch[39:39 + ln]


def app_records(rng, n, maxrec=16401):
    out = []
    while n > 0:
        k = min(n, maxrec)
        out.append(tls_rec(23, rng.randbytes(k)))
        n -= k
    return b''.join(out)


def tls13_handshake(f, sni, profile='chrome', pq=False, cert=None, alpn=(b'h2', b'http/1.1'), ch_retx=(),
                    ttl_at=None):
    r = f.cap.rng
    ch = client_hello(r, sni, profile=profile, pq=pq, alpn=alpn)
    f.c_send(tls_rec(22, ch, ver=b'\x03\x01'), t=f.t + r.randint(200, 1500), retx=ch_retx)
    grp = 0x11ec if pq else 0x001d
    cert = cert or r.randint(2600, 5200)
    flight = tls_rec(22, server_hello(r, ch_sid(ch), group=grp)) + tls_rec(20, b'\x01') + tls_rec(23, r.randbytes(cert))
    start = f.t + f.rtt + f.proc
    f.s_send(flight, start=start, ttl_at=ttl_at)
    f.c_send(tls_rec(20, b'\x01') + tls_rec(23, r.randbytes(53)), t=f.t + r.randint(300, 900))
    return f.t


def tls_exchange(f, req, resp, gap=None, rate=None, lost=(), dup=(), tickets=False, ttl_at=None, think=None):
    r = f.cap.rng
    t = f.t + (gap if gap is not None else r.randint(100, 2000))
    f.c_send(app_records(r, req), t=t)
    data = b''
    if tickets:
        data += tls_rec(23, r.randbytes(r.randint(230, 280))) + tls_rec(23, r.randbytes(r.randint(230, 280)))
    data += app_records(r, resp)
    start = f.t + f.rtt + (think if think is not None else r.randint(2 * MS, 60 * MS))
    f.s_send(data, start=start, rate=rate, lost=lost, dup=dup, ttl_at=ttl_at)
    return f.t


# --------------------------------------------------------------------------------------
# HTTP byte builders
# --------------------------------------------------------------------------------------

OCSP_REQ = bytes.fromhex('304f304d304b30493047300906052b0e03021a0500041414dcb315ede798d6239ad75e2196634149e192860414fd81a6db64d6faf7f702c07971a82c25c1dc3c90020e2fea17ca8e21c717bb1ffcfd0ca0')
OCSP_RESP = bytes.fromhex(
    '308201030a0100a081fd3081fa06092b06010505073001010481ec3081e930819ca2160414fd81a6db64d6faf7f702c07971a82c25c1dc3c90180f32303234303530363039313530305a3071306f3047300906052b0e03021a0500041414dcb315ede798d6239ad75e2196634149e192860414fd81a6db64d6faf7f702c07971a82c25c1dc3c90020e2fea17ca8e21c717bb1ffcfd0ca08000180f32303234303530363030303030305aa011180f32303234303531333030303030305a300506032b6570034100065dd25da93764a3042d445d5eb2ec394727ad8f26af1d14f1e63c84a5023dd258b474850a143ae32d3aad6c8b3d7f3b717b233683f1bcc3b94ae98e04603e0b')

UA_FF = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'
UA_CH = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'


def http_get(host, path='/', ua=UA_FF, extra=''):
    return ('GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: text/html,application/xhtml+xml,'
            'application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n'
            'Connection: keep-alive\r\n%sUpgrade-Insecure-Requests: 1\r\n\r\n' % (path, host, ua, extra)).encode()


def http_resp(status, reason, headers, body):
    if isinstance(body, str):
        body = body.encode()
    h = 'HTTP/1.1 %d %s\r\n' % (status, reason)
    h += 'Date: Mon, 06 May 2024 10:%02d:%02d GMT\r\n' % (len(body) % 60, (len(body) // 7) % 60)
    for k, v in headers:
        h += '%s: %s\r\n' % (k, v)
    h += 'Content-Length: %d\r\n\r\n' % len(body)
    return h.encode() + body


def filler_html(rng, title, n):
    words = ['network', 'update', 'weather', 'river', 'garden', 'library', 'report', 'market', 'season', 'travel',
             'recipe', 'science', 'history', 'music', 'family', 'station', 'council', 'harbour']
    body = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>%s</title></head><body>\n' % title
    while len(body) < n:
        body += '<p>' + ' '.join(rng.choice(words) for _ in range(14)) + '</p>\n'
    return body + '</body></html>\n'


def http_flow(cap, t, cip, srv, host, v6=False, path='/', status=200, resp=None, close='client', rtt=None):
    f = Tcp(cap, t, cip, srv, dport=80, v6=v6, rtt=rtt)
    f.connect()
    f.c_send(http_get(host, path), t=f.t + 200)
    if resp is None:
        body = filler_html(cap.rng, host, cap.rng.randint(800, 9000))
        resp = http_resp(200, 'OK', [('Server', 'nginx'), ('Content-Type', 'text/html; charset=utf-8'),
                                      ('Connection', 'keep-alive')], body)
    f.s_send(resp)
    if close == 'client':
        f.close_client_first(t=f.t + cap.rng.randint(200 * MS, 3 * S), tls=False)
    return f


# --------------------------------------------------------------------------------------
# DNS
# --------------------------------------------------------------------------------------

def dns_query_pkt(cap, cip, rip, txid, sport, qname, qtype, edns=True, v6=False):
    q = DNS(id=txid, rd=1, qd=[DNSQR(qname=qname, qtype=qtype)], ar=[DNSRROPT(rclass=1232, z=0)] if edns else [])
    ipl = IPv6(src=cip, dst=rip, hlim=64) if v6 else IP(src=cip, dst=rip, ttl=64, id=cap.rng.randint(1, 65535))
    return ipl / UDP(sport=sport, dport=53) / q


def dns_resp_pkt(cap, cip, res, txid, sport, qname, qtype, an=(), ns=(), ar=(), rcode=0, edns=True, aa=0,
                 ttl=None, ipid=None, ra=1):
    d = DNS(id=txid, qr=1, aa=aa, rd=1, ra=ra, rcode=rcode, qd=[DNSQR(qname=qname, qtype=qtype)], an=list(an),
            ns=list(ns), ar=list(ar) + ([DNSRROPT(rclass=1232, z=0)] if edns else []))
    try:
        d = dns_compress(d)
    except Exception:
        pass
    ttl = res.ttl if ttl is None else ttl
    if res.v6:
        ipl = IPv6(src=res.ip, dst=cip, hlim=ttl)
    else:
        ipl = IP(src=res.ip, dst=cip, ttl=ttl, id=cap.rng.randint(1, 65535) if ipid is None else ipid)
    return ipl / UDP(sport=53, dport=sport) / d


def dns(cap, t, res, qname, qtype='A', an=(), ns=(), ar=(), rcode=0, txid=None, sport=None, rtt=None, edns=True,
        cip=None, respond=True):
    """One query and (unless respond=False) its single answer rtt milliseconds later."""
    cip = cip or (cap.client6 if res.v6 else cap.client4)
    txid = cap.rng.randint(1, 65535) if txid is None else txid
    sport = cap.rng.randint(33000, 60999) if sport is None else sport
    cap.add(t, dns_query_pkt(cap, cip, res.ip, txid, sport, qname, qtype, edns=edns, v6=res.v6))
    rtt = res.rtt if rtt is None else int(rtt * MS)
    if respond:
        cap.add(t + rtt, dns_resp_pkt(cap, cip, res, txid, sport, qname, qtype, an=an, ns=ns, ar=ar, rcode=rcode,
                                      edns=edns))
    return t + rtt


def A(name, ip, ttl=300):
    return DNSRR(rrname=name, type='A', ttl=ttl, rdata=ip)


def AAAA(name, ip, ttl=300):
    return DNSRR(rrname=name, type='AAAA', ttl=ttl, rdata=ip)


def CNAME(name, target, ttl=300):
    return DNSRR(rrname=name, type='CNAME', ttl=ttl, rdata=target)


def SOA(zone, mname, rname, serial=2024050601, minimum=300, ttl=None, refresh=7200, retry=3600, expire=1209600):
    return DNSRRSOA(rrname=zone, type='SOA', ttl=minimum if ttl is None else ttl, mname=mname, rname=rname,
                    serial=serial, refresh=refresh, retry=retry, expire=expire, minimum=minimum)


def zone_of(name):
    p = name.split('.')
    if len(p) >= 3 and p[-2] in ('co', 'com', 'org') and len(p[-1]) == 2:
        return '.'.join(p[-3:])
    return '.'.join(p[-2:])


def resolve_pair(cap, t, res, name, srv, want6=True):
    """A + AAAA query from one socket (glibc/Chrome style).  Returns time the last answer arrived."""
    sport = cap.rng.randint(33000, 60999)
    jit = cap.rng.randint(-int(res.rtt * 0.2), int(res.rtt * 0.6))
    t1 = dns(cap, t, res, name, 'A', an=[A(name, srv.ip4, srv.dttl)], sport=sport, rtt=(res.rtt + jit) / MS)
    t2 = t1
    if want6:
        if srv.ip6:
            an, ns = [AAAA(name, srv.ip6, srv.dttl)], []
        else:
            z = zone_of(name)
            an, ns = [], [SOA(z, 'ns1.' + z, 'hostmaster.' + z, minimum=60)]
        t2 = dns(cap, t + 90, res, name, 'AAAA', an=an, ns=ns, sport=sport,
                 rtt=(res.rtt + jit + cap.rng.randint(0, 400)) / MS)
    return max(t1, t2)


# --------------------------------------------------------------------------------------
# background traffic
# --------------------------------------------------------------------------------------

def tls_session(cap, t, cip, srv, name, v6=False, profile=None, nreq=None, close=None, big=False):
    r = cap.rng
    f = Tcp(cap, t, cip, srv, 443, v6=v6)
    f.connect()
    prof = profile or r.choice(['chrome', 'firefox'])
    tls13_handshake(f, name, profile=prof, pq=(prof == 'chrome' and r.random() < 0.5))
    nreq = nreq or r.randint(1, 3)
    for k in range(nreq):
        resp = r.randint(400, 60000) if not big else r.randint(150000, 400000)
        tls_exchange(f, r.randint(90, 900), resp, tickets=(k == 0))
    close = close or r.choice(['cfin', 'cfin', 'open', 'crst'])
    tc = f.t + r.randint(300 * MS, 4 * S)
    if close == 'cfin':
        f.close_client_first(t=tc, tls=True)
    elif close == 'crst':
        f.c_send(tls_rec(23, r.randbytes(19)), t=tc)
        f.c_fin(tc + 40)
        ts = tc + f.rtt + 300
        f.s_send(tls_rec(23, r.randbytes(19)), start=ts, client_acks=False)
        # client socket already fully closed: local stack answers the late data with RST
        f.C(f.t + 30, 'R', seq=f.cs, win=0)
    return f


def background(cap, start, end, n, pool, res, v6_share=0.0, http_share=0.15, resolved=None, profile=None):
    r = cap.rng
    resolved = resolved if resolved is not None else set()
    times = sorted(r.randint(int(start), int(end) - 4 * S) for _ in range(n))
    flows = []
    for ts in times:
        srv = r.choice(pool)
        name = r.choice(srv.names)
        use6 = bool(cap.client6 and srv.ip6 and r.random() < v6_share)
        t = ts
        if name not in resolved:
            t = resolve_pair(cap, t, res, name, srv, want6=bool(cap.client6) or r.random() < 0.7) + r.randint(200, 900)
            resolved.add(name)
        cip = cap.client6 if use6 else cap.client4
        if srv.http and r.random() < 0.7:
            body = filler_html(r, name, r.randint(300, 4000))
            req = None
            if 'ocsp' in name:
                resp = http_resp(200, 'OK', [('Content-Type', 'application/ocsp-response'), ('Server', 'ECAcc (nyd/D16C)'),
                                             ('Cache-Control', 'max-age=155725')], OCSP_RESP)
                req = ('POST / HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\n'
                       'Content-Type: application/ocsp-request\r\nContent-Length: %d\r\nConnection: keep-alive\r\n\r\n'
                       % (name, UA_FF, len(OCSP_REQ))).encode() + OCSP_REQ
                path = '/'
            elif 'detectportal' in name:
                resp = http_resp(200, 'OK', [('Content-Type', 'text/plain'), ('Cache-Control', 'no-cache')], b'success\n')
                path = '/success.txt?ipv4'
            elif 'connectivity-check' in name:
                resp = http_resp(204, 'No Content', [('Server', 'nginx'), ('X-NetworkManager-Status', 'online')], b'')
                path = '/'
            else:
                resp = http_resp(200, 'OK', [('Server', 'Apache'), ('Content-Type', 'text/html')], body)
                path = '/'
            f = Tcp(cap, t, cip, srv, 80, v6=use6)
            f.connect()
            f.c_send(req or http_get(name, path), t=f.t + 150)
            f.s_send(resp)
            f.close_client_first(t=f.t + r.randint(100 * MS, 2 * S), tls=False)
            flows.append(f)
        else:
            flows.append(tls_session(cap, t, cip, srv, name, v6=use6, profile=profile))
    return flows, resolved


# --------------------------------------------------------------------------------------
# QUIC (RFC 9000/9001) - real Initial protection so the SNI is recoverable
# --------------------------------------------------------------------------------------

SALT_V1 = bytes.fromhex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a')
SALT_D29 = bytes.fromhex('afbfec289993d24c9e9786f19c6111e04390a899')


def _hmac(key, data):
    h = hmac.HMAC(key, hashes.SHA256())
    h.update(data)
    return h.finalize()


def hkdf_expand_label(secret, label, ctx, length):
    full = b'tls13 ' + label
    info = u16(length) + bytes([len(full)]) + full + bytes([len(ctx)]) + ctx
    out, t, i = b'', b'', 1
    while len(out) < length:
        t = _hmac(secret, t + info + bytes([i]))
        out += t
        i += 1
    return out[:length]


def initial_keys(dcid, server=False, salt=SALT_V1):
    init = _hmac(salt, dcid)
    sec = hkdf_expand_label(init, b'server in' if server else b'client in', b'', 32)
    return (hkdf_expand_label(sec, b'quic key', b'', 16), hkdf_expand_label(sec, b'quic iv', b'', 12),
            hkdf_expand_label(sec, b'quic hp', b'', 16))


def varint(v):
    if v < 64:
        return bytes([v])
    if v < 16384:
        return u16(0x4000 | v)
    if v < 2 ** 30:
        return struct.pack('!I', 0x80000000 | v)
    return struct.pack('!Q', 0xC000000000000000 | v)


def quic_initial(version, dcid, scid, pn, frames, keys, token=b'', pad_to=None, pn_len=2):
    key, iv, hp = keys
    first = 0xC0 | (0 << 4) | (pn_len - 1)
    hdr0 = version + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(len(token)) + token
    payload = frames
    if pad_to:
        base = 1 + len(hdr0) + 2 + pn_len + len(payload) + 16
        if base < pad_to:
            payload += b'\x00' * (pad_to - base)
    length = pn_len + len(payload) + 16
    pnb = pn.to_bytes(pn_len, 'big')
    header = bytes([first]) + hdr0 + u16(0x4000 | length) + pnb
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, 'big')))
    ct = AESGCM(key).encrypt(nonce, payload, header)
    pn_off = len(header) - pn_len
    sample = ct[4 - pn_len:4 - pn_len + 16]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(header)
    h[0] ^= mask[0] & 0x0f
    for i in range(pn_len):
        h[pn_off + i] ^= mask[1 + i]
    return bytes(h) + ct


def quic_long_opaque(rng, ptype, version, dcid, scid, size):
    """A long-header packet (Handshake/0-RTT) whose protected payload we cannot produce: random bytes."""
    first = 0xC0 | (ptype << 4) | rng.randint(0, 15)
    hdr = bytes([first]) + version + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    body = size - len(hdr) - 2
    return hdr + u16(0x4000 | body) + rng.randbytes(body)


def quic_short(rng, dcid, size):
    return bytes([0x40 | rng.randint(0, 0x3f)]) + dcid + rng.randbytes(size - 1 - len(dcid))


def crypto_frame(data, off=0):
    return b'\x06' + varint(off) + varint(len(data)) + data


def quic_tp(rng, scid):
    def p(i, v):
        return varint(i) + varint(len(v)) + v
    return (p(0x01, varint(30000)) + p(0x03, varint(1472)) + p(0x04, varint(15728640)) + p(0x05, varint(6291456)) +
            p(0x06, varint(6291456)) + p(0x07, varint(6291456)) + p(0x08, varint(100)) + p(0x09, varint(103)) +
            p(0x0f, scid))


def udp_pkt(cap, src, dst, sport, dport, data, ttl=64, v6=False, ipid=None, df=True):
    if v6:
        ipl = IPv6(src=src, dst=dst, hlim=ttl)
    else:
        ipl = IP(src=src, dst=dst, ttl=ttl, id=cap.rng.randint(1, 65535) if ipid is None else ipid,
                 flags='DF' if df else 0)
    return ipl / UDP(sport=sport, dport=dport) / Raw(data)


def quic_session(cap, t, cip, srv, sni, v6=False, answered=True, pto=(), version=b'\x00\x00\x00\x01',
                 salt=SALT_V1, vn=False, sport=None, dcid=None, nshort=12):
    """Client Initial (+ retransmissions after PTO). If answered: server Initial+Handshake, then 1-RTT."""
    r = cap.rng
    sip = srv.ip6 if v6 else srv.ip4
    ttl = srv.hlim if v6 else srv.ttl
    sport = sport or r.randint(40000, 65000)
    dcid = dcid or r.randbytes(8)
    scid = r.randbytes(8) if r.random() < 0.5 else b''
    ch = client_hello(r, sni, profile='chrome', alpn=(b'h3',), quic_tp=quic_tp(r, scid), legacy_sid=False)
    ck = initial_keys(dcid, False, salt)
    pkts = []

    def cinit(pn):
        return quic_initial(version, dcid, scid, pn, crypto_frame(ch), ck, pad_to=1250)

    cap.add(t, udp_pkt(cap, cip, sip, sport, 443, cinit(0), v6=v6))
    pn = 1
    for dt in pto:
        cap.add(t + dt, udp_pkt(cap, cip, sip, sport, 443, cinit(pn), v6=v6))
        pn += 1
    if vn:
        vnp = bytes([0x80 | r.randint(0, 0x7f)]) + b'\x00\x00\x00\x00' + bytes([len(scid)]) + scid + \
            bytes([len(dcid)]) + dcid + b'\x00\x00\x00\x01' + b'\x6b\x33\x43\xcf' + b'\x4a\x6a\x2a\x1a'
        cap.add(t + srv.rtt, udp_pkt(cap, sip, cip, 443, sport, vnp, ttl=ttl, v6=v6))
        return t + srv.rtt
    if not answered:
        return t + (pto[-1] if pto else 0)
    base = t + (pto[-1] if pto else 0) + srv.rtt + r.randint(500, 3000)
    s_cid = r.randbytes(8)
    sk = initial_keys(dcid, True, salt)
    sh = server_hello(r, b'')
    ack = b'\x02' + varint(pn - 1) + varint(r.randint(0, 30)) + b'\x00' + varint(0)
    sinit = quic_initial(version, scid, s_cid, 0, ack + crypto_frame(sh), sk)
    hs1 = quic_long_opaque(r, 2, version, scid, s_cid, 1252 - len(sinit))
    cap.add(base, udp_pkt(cap, sip, cip, 443, sport, sinit + hs1, ttl=ttl, v6=v6))
    hs2 = quic_long_opaque(r, 2, version, scid, s_cid, 1252)
    cap.add(base + 150, udp_pkt(cap, sip, cip, 443, sport, hs2, ttl=ttl, v6=v6))
    hs3 = quic_long_opaque(r, 2, version, scid, s_cid, r.randint(700, 1100))
    cap.add(base + 290, udp_pkt(cap, sip, cip, 443, sport, hs3, ttl=ttl, v6=v6))
    # client: Initial ACK + Handshake (Finished) coalesced, padded
    cack = b'\x02' + varint(0) + varint(0) + b'\x00' + varint(0)
    cinit2 = quic_initial(version, s_cid, scid, pn, cack, ck, pad_to=None)
    chs = quic_long_opaque(r, 2, version, s_cid, scid, 90)
    t2 = base + 900
    cap.add(t2, udp_pkt(cap, cip, sip, sport, 443, cinit2 + chs + quic_short(r, s_cid, 1250 - len(cinit2) - len(chs)), v6=v6))
    t2 += 400
    for i in range(nshort):
        cap.add(t2, udp_pkt(cap, cip, sip, sport, 443, quic_short(r, s_cid, r.randint(40, 420)), v6=v6))
        ta = t2 + srv.rtt + r.randint(1 * MS, 25 * MS)
        for j in range(r.randint(1, 6)):
            cap.add(ta + j * 120, udp_pkt(cap, sip, cip, 443, sport, quic_short(r, scid, r.randint(900, 1252)),
                                          ttl=ttl, v6=v6))
        cap.add(ta + 6 * 120 + 300, udp_pkt(cap, cip, sip, sport, 443, quic_short(r, s_cid, 36), v6=v6))
        t2 = ta + r.randint(30 * MS, 900 * MS)
    return t2


# --------------------------------------------------------------------------------------
# helpers for the cases
# --------------------------------------------------------------------------------------

def pool_without(pool, names):
    return [s for s in pool if not (set(s.names) & set(names))]


# ======================================================================================
# 01  HTTP server that resets after sending its full response / keep-alive reuse race
# ======================================================================================

def case01():
    cap = Cap('01_http_rst_after_full_response.pcap', 'eth', BASE + 0 * 3600 + 11, 101, client4='192.168.1.23')
    res = Resolver('192.168.1.1', ttl=64, rtt=4)
    background(cap, 0, 75 * S, 24, bg_pool(1), res)
    r = cap.rng
    # (a) server answers completely, then aborts the connection (RST+ACK, same TTL / IP-ID run)
    srv = Server('neverssl.com', '34.223.124.45', ttl=38, rtt=158, ipid='inc', seed=11, http=True)
    t = resolve_pair(cap, 6 * S, res, 'neverssl.com', srv) + 700
    f = Tcp(cap, t, cap.client4, srv, 80)
    f.connect()
    f.c_send(http_get('neverssl.com', '/'), t=f.t + 300)
    body = filler_html(r, 'NeverSSL - Connecting ...', 4200)
    resp = http_resp(200, 'OK', [('Server', 'Apache/2.4.58 ()'), ('Content-Type', 'text/html; charset=UTF-8'),
                                 ('Last-Modified', 'Thu, 02 May 2024 16:21:04 GMT'), ('Connection', 'close')], body)
    f.s_send(resp, last_ack_delay=300)
    f.S(f.t + 2100, 'RA', seq=f.ss, ack=f.s_ack, win=0)
    # (b) keep-alive race: server's keepalive_timeout closes while the client re-uses the connection
    srv2 = Server('httpforever.com', '146.190.62.39', ttl=49, rtt=86, ipid='inc', seed=12, http=True)
    t = resolve_pair(cap, 30 * S, res, 'httpforever.com', srv2) + 600
    f = Tcp(cap, t, cap.client4, srv2, 80)
    f.connect()
    f.c_send(http_get('httpforever.com', '/'), t=f.t + 250)
    resp = http_resp(200, 'OK', [('Server', 'nginx/1.18.0 (Ubuntu)'), ('Content-Type', 'text/html'),
                                 ('Connection', 'keep-alive'), ('Keep-Alive', 'timeout=5')],
                     filler_html(r, 'HTTP Forever', 3100))
    f.s_send(resp)
    resp_arr = f.t
    t_get2 = resp_arr + 5 * S - 21 * MS          # the client re-uses the connection ...
    f.c_send(http_get('httpforever.com', '/css/style.css', extra='Referer: http://httpforever.com/\r\n'), t=t_get2)
    t_fin = resp_arr + 5 * S + 1200              # ... while the server's idle FIN is already on the wire
    f.S(t_fin, 'FA', ack=f.cs - len(http_get('httpforever.com', '/css/style.css',
                                              extra='Referer: http://httpforever.com/\r\n')))
    f.ss += 1
    f.c_ack = f.ss
    f.C(t_fin + 40, 'A')
    f.S(t_get2 + f.rtt + 300, 'R', seq=f.ss, ack=0, win=0)   # request hit a closed socket
    # browser retries on a fresh connection, which works
    g = Tcp(cap, t_get2 + f.rtt + 2 * MS, cap.client4, srv2, 80)
    g.connect()
    g.c_send(http_get('httpforever.com', '/css/style.css', extra='Referer: http://httpforever.com/\r\n'), t=g.t + 100)
    g.s_send(http_resp(200, 'OK', [('Server', 'nginx/1.18.0 (Ubuntu)'), ('Content-Type', 'text/css'),
                                   ('Connection', 'keep-alive')], 'body{font-family:sans-serif}\n' * 60))
    g.close_client_first(t=g.t + 4 * S, tls=False)
    cap.write('legitimate-server-RST',
              'The RSTs come from the real servers (same TTL and IP-ID run as their SYN/ACK and data, exact next '
              'sequence number, window 0) after the whole response was delivered or on a connection the server had '
              'already closed with FIN; retrying works at once.',
              'eth/IPv4, 24 normal flows. (a) neverssl.com HTTP GET -> full 200 (Connection: close) -> client ACK -> '
              'server RST+ACK 2 ms later, TTL 38 = SYN/ACK TTL, IP-ID +1. (b) httpforever.com keep-alive: 2nd GET '
              'sent 21 ms before the server idle FIN arrives; server RST (seq = FIN+1, TTL 49 like its other packets) '
              '1 RTT after the GET; immediate retry on a new connection gets 200.')


# ======================================================================================
# 02  TLS server RST after close_notify (IPv6 and IPv4, pcapng)
# ======================================================================================

def case02():
    cap = Cap('02_tls_rst_after_close_notify.pcapng', 'pcapng', BASE + 1 * 3600 + 1234, 202,
              client4='192.168.178.42', client6='2a02:8108:1a40:3e00:5c1e:7a2b:91d4:6f10')
    res = Resolver('192.168.178.1', ttl=64, rtt=3)
    background(cap, 0, 110 * S, 26, bg_pool(2), res, v6_share=0.6)
    r = cap.rng
    srv = Server(['graph.microsoft.com'], '20.190.160.131', '2603:1026:3000:140::2', ttl=113, hlim=114, rtt=21,
                 ipid='global', ts=False, seed=21)
    t = resolve_pair(cap, 4 * S, res, 'graph.microsoft.com', srv) + 500
    f = Tcp(cap, t, cap.client6, srv, 443, v6=True)
    f.connect()
    tls13_handshake(f, 'graph.microsoft.com', profile='chrome', pq=True)
    tls_exchange(f, 610, 4480, tickets=True)
    tls_exchange(f, 455, 1830, gap=3 * S)
    tn = f.t + 60 * S + 7311                    # server idle timeout: close_notify, then abortive close
    f.s_send(tls_rec(23, r.randbytes(19)), start=tn, client_acks=False)
    f.S(tn + 95, 'RA', seq=f.ss, ack=f.s_ack, win=0)
    # IPv4: client closes politely, this IIS-style server answers the close with RST+ACK
    srv2 = Server(['settings-win.data.microsoft.com'], '20.42.65.92', None, ttl=109, rtt=96, ipid='global',
                  ts=False, seed=22)
    t = resolve_pair(cap, 20 * S, res, 'settings-win.data.microsoft.com', srv2) + 400
    g = Tcp(cap, t, cap.client4, srv2, 443)
    g.connect()
    tls13_handshake(g, 'settings-win.data.microsoft.com', profile='chrome')
    tls_exchange(g, 720, 2210, tickets=True)
    tc = g.t + 1500 * MS
    g.c_send(tls_rec(23, r.randbytes(19)), t=tc)
    g.c_fin(tc + 35)
    g.S(tc + g.rtt + 900, 'RA', seq=g.ss, ack=g.cs, win=0)
    cap.write('legitimate-server-RST',
              'Both resets are the servers\' own abortive closes after the TLS session ended (close_notify sent or '
              'received), with the servers\' own hop limit/TTL and IP-ID sequence, exact next sequence number and '
              'window 0, long after the handshake.',
              'pcapng/Ethernet. IPv6 graph.microsoft.com: TLS1.3 handshake + 2 exchanges, 60 s idle, server sends a '
              '24-byte close_notify record then RST+ACK 95 us later (hlim 114 = all server packets). IPv4 '
              'settings-win.data.microsoft.com: client close_notify + FIN, server answers RST+ACK after 1 RTT '
              '(TTL 109 = SYN/ACK). 26 normal flows, dual stack.')


# ======================================================================================
# 03  NAT / firewall idle-timeout RST minutes after the last data
# ======================================================================================

def case03():
    cap = Cap('03_nat_idle_timeout_rst.pcap', 'sll2', BASE + 2 * 3600 + 77, 303, client4='10.0.0.57',
              client_mac='f8:4d:89:61:0a:33', gw_mac='00:0d:b9:5e:21:c4')
    res = Resolver('10.0.0.1', ttl=64, rtt=2)
    background(cap, 0, 700 * S, 30, bg_pool(3), res)
    r = cap.rng
    srv = Server(['push.services.mozilla.com'], '34.107.243.93', None, ttl=118, rtt=11, ipid='zero', seed=31)
    t = resolve_pair(cap, 3 * S, res, 'push.services.mozilla.com', srv) + 300
    f = Tcp(cap, t, cap.client4, srv, 443)
    f.connect()
    tls13_handshake(f, 'push.services.mozilla.com', profile='firefox', alpn=(b'http/1.1',))
    tls_exchange(f, 412, 318, tickets=True)       # websocket upgrade -> 101
    tls_exchange(f, 121, 176)                     # hello
    tls_exchange(f, 94, 262, gap=9 * S)           # a push notification + ack
    last_id, last_win = f.c_id, f.c_win
    trst = f.t + 600 * S + 3170                   # 10 min of silence: the firewall's idle timer expires
    f.S(trst, 'RA', seq=f.c_ack, ack=f.cs, win=last_win, ttl=64, ipid=last_id, df=False)
    # Firefox notices and reconnects at once: same server, same SNI, works
    g = Tcp(cap, trst + 2 * MS + 410, cap.client4, srv, 443)
    g.connect()
    tls13_handshake(g, 'push.services.mozilla.com', profile='firefox', alpn=(b'http/1.1',))
    tls_exchange(g, 412, 318, tickets=True)
    tls_exchange(g, 121, 176)
    cap.write('nat-idle-timeout-RST',
              'A stateful firewall/NAT purged an idle connection after 10 minutes of silence and sent a RST built by '
              'reversing the last packet (TTL 64 from the gateway, copied IP-ID and window); nothing triggered it and '
              'the immediate reconnection with the same SNI succeeds.',
              'Linux SLL2, IPv4, 30 normal flows over ~11 min. push.services.mozilla.com TLS websocket: last data '
              '~9 s into the capture, then 600 s of silence, then one RST+ACK (at ~609 s) claiming the server (TTL 64 vs server 118, DF=0, IP-ID = '
              'client\'s last IP-ID, window 502 = client\'s last window, seq exact). Reconnect 2 ms later: handshake '
              'with the same SNI completes and data flows.')


# ======================================================================================
# 04  route change mid-flow: server TTL shifts by 1-3 for the rest of the flow
# ======================================================================================

def case04():
    cap = Cap('04_route_change_ttl_shift.pcap', 'vlan', BASE + 3 * 3600 + 402, 404, client4='192.168.10.44',
              client6='2a00:6020:4a8c:3f00:8d1:47ff:fe2b:1c2', vlan=10)
    res = Resolver('192.168.10.1', ttl=64, rtt=5)
    background(cap, 0, 80 * S, 22, bg_pool(4), res, v6_share=0.4)
    r = cap.rng
    # (a) IPv4 bulk download, TTL 52 -> 50 part-way, including the server's FIN
    srv = Server(['releases.ubuntu.com'], '185.125.190.40', None, ttl=52, rtt=24, ipid='inc', seed=41)
    t = resolve_pair(cap, 5 * S, res, 'releases.ubuntu.com', srv) + 400
    f = Tcp(cap, t, cap.client4, srv, 443)
    f.connect()
    tls13_handshake(f, 'releases.ubuntu.com', profile='firefox')
    tchg = f.t + f.rtt + 150 * MS
    ttl_a = lambda x: 52 if x < tchg else 50
    tls_exchange(f, 380, 2600000, think=8 * MS, ttl_at=ttl_a, tickets=True, rate=60e6, gap=900)
    f.close_client_first(t=f.t + 900 * MS, tls=True, server_notify=True, ttl=50)
    # (b) IPv6 download, hop limit 57 -> 58 part-way, including FIN
    srv2 = Server(['cdn.kernel.org'], '151.101.5.176', '2a04:4e42:600::432', ttl=57, hlim=57, rtt=12, seed=42)
    t = resolve_pair(cap, 25 * S, res, 'cdn.kernel.org', srv2) + 500
    g = Tcp(cap, t, cap.client6, srv2, 443, v6=True)
    g.connect()
    tls13_handshake(g, 'cdn.kernel.org', profile='chrome', pq=True)
    tchg2 = g.t + g.rtt + 80 * MS
    tls_exchange(g, 520, 900000, think=4 * MS, ttl_at=lambda x: 57 if x < tchg2 else 58, tickets=True, rate=40e6,
                 gap=700)
    g.close_client_first(t=g.t + 2 * S, tls=True, server_notify=True, ttl=58)
    # (c) SYN/ACK took another path: SYN/ACK TTL 56, everything after it TTL 53
    srv3 = Server(['www.openstreetmap.org'], '184.104.179.145', None, ttl=53, rtt=19, ipid='inc', seed=43)
    t = resolve_pair(cap, 47 * S, res, 'www.openstreetmap.org', srv3) + 300
    h = Tcp(cap, t, cap.client4, srv3, 443)
    h.connect(synack_ttl=56)
    tls13_handshake(h, 'www.openstreetmap.org', profile='firefox')
    tls_exchange(h, 610, 48000, tickets=True)
    tls_exchange(h, 430, 12000)
    h.close_client_first(t=h.t + 3 * S, tls=True, server_notify=False)
    cap.write('route-change-ttl',
              'The server\'s TTL/hop limit changes once by 1-3 and stays changed for the rest of the flow (data and '
              'FIN alike) - a routing change, with no RST, no injected data and no missing response.',
              '802.1Q VLAN 10, dual stack, 22 normal flows. releases.ubuntu.com 2.6 MB TLS download: TTL 52, then 50 '
              'from ~260 ms into the transfer through the server FIN. cdn.kernel.org over IPv6: hlim 57 -> 58 mid '
              'transfer through FIN. www.openstreetmap.org: SYN/ACK TTL 56, all later server packets TTL 53.')


# ======================================================================================
# 05  load balancer with random IP-ID; its RST after the FIN exchange has IP-ID 0
# ======================================================================================

def case05():
    cap = Cap('05_lb_random_ipid_rst_after_fin.pcap', 'eth', BASE + 4 * 3600 + 1901, 505, client4='192.168.1.114',
              client_mac='d4:3b:04:aa:17:52', gw_mac='c8:0e:14:9d:63:01')
    res = Resolver('192.168.1.1', ttl=64, rtt=6)
    background(cap, 0, 70 * S, 20, bg_pool(5), res)
    r = cap.rng
    srv = Server(['api.mixpanel.com'], '130.211.34.183', None, ttl=57, rtt=13, ipid='rand', seed=51)
    t = resolve_pair(cap, 4 * S, res, 'api.mixpanel.com', srv) + 300
    f = Tcp(cap, t, cap.client4, srv, 443)
    f.connect()
    tls13_handshake(f, 'api.mixpanel.com', profile='chrome', pq=True)
    for k in range(3):
        tls_exchange(f, r.randint(900, 2400), r.randint(60, 120), tickets=(k == 0), gap=r.randint(1, 3) * S)
    # LB idle timeout (10 s): close_notify + FIN, random IP-IDs as usual
    tn = f.t + 10 * S + 211
    f.s_send(tls_rec(23, r.randbytes(19)), start=tn, last_ack_delay=40)
    f.s_fin(tn + 60)
    f.C(tn + 60 + 45, 'A')
    # the client answers with its own close_notify + FIN; the LB has already dropped the connection state
    tc = tn + 60 + 1200
    f.c_send(tls_rec(23, r.randbytes(19)), t=tc)
    f.c_fin(tc + 30)
    f.S(tc + f.rtt + 150, 'R', seq=f.ss, ack=0, win=0, ipid=0, df=True)
    # control connection to the same LB: normal FIN exchange, no reset
    g = Tcp(cap, f.t + 3 * S, cap.client4, srv, 443)
    g.connect()
    tls13_handshake(g, 'api.mixpanel.com', profile='chrome', pq=True)
    tls_exchange(g, 1500, 80, tickets=True)
    g.close_client_first(t=g.t + 2 * S, tls=True, server_notify=True)
    cap.write('ip-id-pattern-RST',
              'A load balancer (random IP-ID per packet) resets the connection after the TLS session was closed and '
              'its FIN acknowledged; the RST carries IP-ID 0 like many stacks\' state-less resets, but has the '
              'server\'s TTL, DF, window 0 and the exact next sequence number, seconds after any trigger.',
              'eth/IPv4, 20 normal flows. api.mixpanel.com: TLS1.3, 3 POSTs; server close_notify + FIN (random IP-IDs, '
              'TTL 57); client ACK, then client close_notify + FIN; LB answers RST (flags R only, seq = FIN+1, ack 0, '
              'win 0, IP-ID 0, DF, TTL 57). A second connection to the same LB closes cleanly.')


# ======================================================================================
# 06  resolver answers a retransmitted query twice: identical / rotated RRset
# ======================================================================================

def case06():
    cap = Cap('06_dns_retransmit_duplicate_identical.pcap', 'raw', BASE + 5 * 3600 + 313, 606, client4='10.8.0.6')
    res = Resolver('10.8.0.1', ttl=64, rtt=28)
    pool = bg_pool(6)
    background(cap, 0, 60 * S, 16, pool, res)
    r = cap.rng
    # www.wikidata.org: no answer within 1 s (slow upstream) -> glibc resends the same query (same id, same port);
    # the resolver answers both, byte-identical RRsets
    wd = Server(['www.wikidata.org'], '185.15.59.224', None, ttl=55, rtt=22, seed=61)
    txid, sport = 0x5c1f, 41377
    t = 5 * S + 2210
    q = dns_query_pkt(cap, cap.client4, res.ip, txid, sport, 'www.wikidata.org', 'A', edns=False)
    cap.add(t, q)
    cap.add(t + 1 * S, dns_query_pkt(cap, cap.client4, res.ip, txid, sport, 'www.wikidata.org', 'A', edns=False))
    for dt in (1 * S + 117 * MS, 1 * S + 119 * MS):
        cap.add(t + dt, dns_resp_pkt(cap, cap.client4, res, txid, sport, 'www.wikidata.org', 'A',
                                     an=[A('www.wikidata.org', '185.15.59.224', 600)], edns=False))
    tls_session(cap, t + 1 * S + 121 * MS, cap.client4, wd, 'www.wikidata.org', profile='firefox', close='cfin')
    # pool.ntp.org: retransmitted query, second answer carries the same 4 addresses in rotated order
    ntp_ips = ['162.159.200.123', '85.214.38.116', '178.63.52.50', '144.76.76.107']
    txid, sport = 0x9e02, 51120
    t = 21 * S + 4410
    cap.add(t, dns_query_pkt(cap, cap.client4, res.ip, txid, sport, 'pool.ntp.org', 'A', edns=False))
    cap.add(t + 1 * S, dns_query_pkt(cap, cap.client4, res.ip, txid, sport, 'pool.ntp.org', 'A', edns=False))
    rrs1 = [A('pool.ntp.org', ip, 130) for ip in ntp_ips]
    rrs2 = [A('pool.ntp.org', ip, 130) for ip in ntp_ips[1:] + ntp_ips[:1]]
    cap.add(t + 1 * S + 31 * MS, dns_resp_pkt(cap, cap.client4, res, txid, sport, 'pool.ntp.org', 'A', an=rrs1,
                                              edns=False))
    cap.add(t + 1 * S + 33 * MS, dns_resp_pkt(cap, cap.client4, res, txid, sport, 'pool.ntp.org', 'A', an=rrs2,
                                              edns=False))
    tn = t + 1 * S + 40 * MS
    for k, ip in enumerate(ntp_ips[:2]):
        ntp_ttl = [57, 52][k]
        cap.add(tn + k * 2 * S, IP(src=cap.client4, dst=ip, ttl=64, id=r.randint(1, 65535), flags='DF') /
                UDP(sport=123, dport=123) / NTP(version=4, mode=3, ref=0, orig=0, recv=0, sent=3923978500 + k * 2))
        cap.add(tn + k * 2 * S + (9 + 7 * k) * MS, IP(src=ip, dst=cap.client4, ttl=ntp_ttl, id=r.randint(1, 65535)) /
                UDP(sport=123, dport=123) / NTP(version=4, mode=4, stratum=3, orig=3923978500 + k * 2,
                                                recv=3923978500 + k * 2, sent=3923978500 + k * 2, ref=3923978400))
    cap.write('benign-duplicate-DNS-response',
              'Two answers to one transaction are the resolver answering the client\'s own retransmission of the '
              'query; the RRsets are identical (or the same addresses in rotated round-robin order), with the same IP '
              'TTL and ordinary latency, and the addresses are then used successfully.',
              'raw IP (DLT 101, VPN tun), IPv4, 16 normal flows. www.wikidata.org A: query, identical query 1.000 s '
              'later (same id/port), two byte-identical answers 117/119 ms after the retransmission, TLS to that '
              'address succeeds. pool.ntp.org A: same pattern, second answer has the same 4 A records rotated; NTP '
              'exchanges with two of them.')


# ======================================================================================
# 07  two resolvers queried in parallel return different CDN edges
# ======================================================================================

def case07():
    cap = Cap('07_dns_parallel_resolvers_cdn.pcapng', 'pcapng', BASE + 6 * 3600 + 2718, 707, client4='192.168.0.105',
              client_mac='88:66:5a:3e:0f:a1', gw_mac='e8:48:b8:c8:20:00', ifname=b'en0')
    r1 = Resolver('1.1.1.1', ttl=58, rtt=14)
    r2 = Resolver('8.8.8.8', ttl=117, rtt=19)
    r = cap.rng

    def both(t, name, a1, a2=None, an_extra=(), qtype='A'):
        a2 = a1 if a2 is None else a2
        s1, s2 = r.randint(49152, 65535), r.randint(49152, 65535)
        x1 = dns(cap, t, r1, name, qtype, an=list(an_extra) + a1, sport=s1, rtt=(r1.rtt + r.randint(0, 3000)) / MS)
        x2 = dns(cap, t + 70, r2, name, qtype, an=list(an_extra) + a2, sport=s2, rtt=(r2.rtt + r.randint(0, 4000)) / MS)
        return min(x1, x2)

    pool = bg_pool(7)
    resolved = set()

    # background resolved through both resolvers (identical answers)
    times = sorted(r.randint(0, 80 * S) for _ in range(20))
    for ts in times:
        srv = r.choice(pool)
        name = r.choice(srv.names)
        t = ts
        if name not in resolved:
            t = both(t, name, [A(name, srv.ip4, srv.dttl)]) + 400
            resolved.add(name)
        tls_session(cap, t, cap.client4, srv, name)
    # www.apple.com: Akamai chain, the two resolvers get different edge servers
    chain = [CNAME('www.apple.com', 'www.apple.com.edgekey.net', 300),
             CNAME('www.apple.com.edgekey.net', 'www.apple.com.edgekey.net.globalredir.akadns.net', 2917),
             CNAME('www.apple.com.edgekey.net.globalredir.akadns.net', 'e6858.dscx.akamaiedge.net', 900)]
    t = both(6 * S, 'www.apple.com', [A('e6858.dscx.akamaiedge.net', '23.50.112.77', 20)],
             [A('e6858.dscx.akamaiedge.net', '2.18.48.173', 20)], an_extra=chain)
    apple = Server(['www.apple.com'], '23.50.112.77', None, ttl=59, rtt=6, seed=71)
    tls_session(cap, t + 300, cap.client4, apple, 'www.apple.com', profile='chrome', nreq=3, close='cfin')
    # www.netflix.com: AWS ELB, disjoint address sets
    nchain = [CNAME('www.netflix.com', 'www.dradis.netflix.com', 300),
              CNAME('www.dradis.netflix.com', 'www.eu-west-1.internal.dradis.netflix.com', 60),
              CNAME('www.eu-west-1.internal.dradis.netflix.com',
                    'apiproxy-website-nlb-prod-1-bcf28d21f4bbcf2c.elb.eu-west-1.amazonaws.com', 60)]
    elb = 'apiproxy-website-nlb-prod-1-bcf28d21f4bbcf2c.elb.eu-west-1.amazonaws.com'
    t = both(31 * S, 'www.netflix.com', [A(elb, ip, 60) for ip in ('54.155.178.5', '3.251.50.149', '54.74.73.31')],
             [A(elb, ip, 60) for ip in ('52.31.49.41', '34.252.107.102', '52.214.181.141')], an_extra=nchain)
    nf = Server(['www.netflix.com'], '54.155.178.5', None, ttl=232, rtt=29, ipid='rand', seed=72)
    tls_session(cap, t + 250, cap.client4, nf, 'www.netflix.com', profile='chrome', nreq=2, close='open')
    # www.python.org: Fastly, different addresses from the same /16
    pchain = [CNAME('www.python.org', 'dualstack.python.map.fastly.net', 3600)]
    t = both(52 * S, 'www.python.org', [A('dualstack.python.map.fastly.net', '151.101.64.223', 30)],
             [A('dualstack.python.map.fastly.net', '151.101.192.223', 30)], an_extra=pchain)
    py = Server(['www.python.org'], '151.101.64.223', None, ttl=57, rtt=11, ipid='rand', seed=73)
    tls_session(cap, t + 280, cap.client4, py, 'www.python.org', profile='chrome', nreq=2, close='cfin')
    cap.write('cdn-answers-differ-between-resolvers',
              'The differing answers come from two different resolvers (different source addresses, ports, IDs, '
              'TTLs) queried in parallel; each returns a genuine CDN edge (Akamai, AWS ELB, Fastly) for the same '
              'CNAME chain, and the TLS sessions to the chosen edge complete.',
              'pcapng/Ethernet, IPv4. Every lookup goes to 1.1.1.1 and 8.8.8.8 at the same moment (separate ports and '
              'IDs); 20 normal flows get identical answers. www.apple.com (23.50.112.77 vs 2.18.48.173), '
              'www.netflix.com (two disjoint ELB triples), www.python.org (151.101.64.223 vs 151.101.192.223) differ; '
              'TLS to the first answer works.')


# ======================================================================================
# 08  retransmitted query (same id/port) answered twice by an anycast resolver, different
#     edges of the same CDN
# ======================================================================================

def case08():
    cap = Cap('08_dns_retransmit_answers_differ_same_cdn.pcap', 'sll2', BASE + 7 * 3600 + 555, 808,
              client4='192.168.178.30', client6='2a02:8108:9bc0:1e00:b4f1:27ff:fe6d:31aa',
              client_mac='5c:e9:1e:03:88:7d', gw_mac='3c:a6:2f:4b:9e:11')
    res = Resolver('2001:4860:4860::8888', ttl=119, rtt=18, v6=True)
    background(cap, 0, 70 * S, 22, bg_pool(8), res, v6_share=0.5)
    r = cap.rng
    txid, sport = 0x31c7, 38841
    t = 12 * S + 7101
    name = 'www.nytimes.com'
    cap.add(t, dns_query_pkt(cap, cap.client6, res.ip, txid, sport, name, 'A', v6=True))
    cap.add(t + 1 * S, dns_query_pkt(cap, cap.client6, res.ip, txid, sport, name, 'A', v6=True))
    cn = CNAME(name, 'nytimes.map.fastly.net', 1642)
    a1 = [A('nytimes.map.fastly.net', ip, 30) for ip in
          ('151.101.1.164', '151.101.65.164', '151.101.129.164', '151.101.193.164')]
    a2 = [A('nytimes.map.fastly.net', ip, 17) for ip in ('151.101.13.164', '151.101.77.164')]
    cap.add(t + 1 * S + 19 * MS, dns_resp_pkt(cap, cap.client6, res, txid, sport, name, 'A', an=[cn] + a1))
    cap.add(t + 1 * S + 27 * MS, dns_resp_pkt(cap, cap.client6, res, txid, sport, name, 'A',
                                              an=[CNAME(name, 'nytimes.map.fastly.net', 3188)] + a2))
    # AAAA asked once, answered once
    dns(cap, t + 1 * S + 200, res, name, 'AAAA',
        an=[cn] + [AAAA('nytimes.map.fastly.net', '2a04:4e42:200::164', 30)], rtt=21)
    nyt = Server([name], '151.101.1.164', '2a04:4e42:200::164', ttl=57, rtt=12, ipid='rand', seed=81)
    tls_session(cap, t + 1 * S + 30 * MS, cap.client4, nyt, name, profile='chrome', nreq=3, close='open')
    nyt2 = Server([name], '151.101.13.164', None, ttl=57, rtt=12, ipid='rand', seed=82)
    tls_session(cap, t + 1 * S + 33 * MS, cap.client4, nyt2, name, profile='chrome', nreq=1, close='open')
    cap.write('benign-duplicate-DNS-response-different-rdata',
              'The client retransmitted its query after 1 s and the anycast public resolver answered each copy from '
              'a different cache instance: both answers are slower than the normal RTT, have the same hop limit as '
              'every other answer from that resolver, a real CNAME chain into the same CDN (Fastly 151.101/16), and '
              'TLS to addresses from both answers works.',
              'Linux SLL2, DNS over IPv6 to 2001:4860:4860::8888, TLS over IPv4; 22 normal flows. www.nytimes.com A: '
              'query, identical query 1 s later (same id 0x31c7, same port), answer 1 (CNAME + 4 x 151.101.x.164, TTL '
              '30) at +19 ms, answer 2 (CNAME + 151.101.13.164/77.164, TTL 17) at +27 ms, both hlim 119; TLS sessions '
              'to 151.101.1.164 and 151.101.13.164 complete.')


# ======================================================================================
# 09  private addresses for internal names (.lan, home.arpa, corp.internal, mDNS .local)
# ======================================================================================

def case09():
    cap = Cap('09_dns_private_answers_internal_names.pcap', 'eth', BASE + 8 * 3600 + 99, 909,
              client4='192.168.1.50', client_mac='70:85:c2:11:4e:9b', gw_mac='dc:39:6f:20:8a:01')
    res = Resolver('192.168.1.1', ttl=64, rtt=1)
    cap.mac['192.168.1.20'] = '00:11:32:9a:bc:de'      # Synology NAS
    cap.mac['192.168.1.30'] = '3c:2a:f4:71:05:e2'      # printer
    cap.mac['192.168.1.1'] = cap.gw_mac
    background(cap, 0, 70 * S, 18, bg_pool(9), res)
    r = cap.rng
    # nas.lan (dnsmasq local name: aa=1, TTL 0)
    t = 3 * S
    sp = r.randint(33000, 60999)
    txid = r.randint(1, 65535)
    cap.add(t, dns_query_pkt(cap, cap.client4, res.ip, txid, sp, 'nas.lan', 'A'))
    cap.add(t + 420, dns_resp_pkt(cap, cap.client4, res, txid, sp, 'nas.lan', 'A', an=[A('nas.lan', '192.168.1.20', 0)],
                                  aa=1))
    txid = r.randint(1, 65535)
    cap.add(t + 90, dns_query_pkt(cap, cap.client4, res.ip, txid, sp, 'nas.lan', 'AAAA'))
    cap.add(t + 510, dns_resp_pkt(cap, cap.client4, res, txid, sp, 'nas.lan', 'AAAA', an=[], aa=1))
    nas = Server(['nas.lan'], '192.168.1.20', None, ttl=64, rtt=0.6, ipid='inc', seed=91)
    f = Tcp(cap, t + 2 * MS, cap.client4, nas, 5000)
    f.connect()
    f.c_send(http_get('nas.lan:5000', '/'), t=f.t + 200)
    f.s_send(http_resp(200, 'OK', [('Server', 'nginx'), ('Content-Type', 'text/html; charset="UTF-8"')],
                       filler_html(r, 'Synology DiskStation - NAS', 2600)))
    f.close_client_first(t=f.t + 1 * S, tls=False)
    # router.home.arpa
    t = 9 * S
    dns(cap, t, res, 'router.home.arpa', 'A', an=[A('router.home.arpa', '192.168.1.1', 0)], rtt=0.4)
    rt = Server(['router.home.arpa'], '192.168.1.1', None, ttl=64, rtt=0.7, ipid='inc', seed=92)
    f = Tcp(cap, t + 1 * MS, cap.client4, rt, 80)
    f.connect()
    f.c_send(http_get('router.home.arpa', '/'), t=f.t + 200)
    f.s_send(http_resp(302, 'Found', [('Server', 'uhttpd'), ('Location', '/cgi-bin/luci/')], ''))
    f.c_send(http_get('router.home.arpa', '/cgi-bin/luci/'), t=f.t + 900)
    f.s_send(http_resp(200, 'OK', [('Server', 'uhttpd'), ('Content-Type', 'text/html')],
                       filler_html(r, 'OpenWrt - LuCI', 5200)))
    f.close_client_first(t=f.t + 2 * S, tls=False)
    # corp.internal via the site-to-site tunnel's DNS forwarder
    t = 21 * S
    x = dns(cap, t, res, 'gitlab.corp.internal', 'A', an=[A('gitlab.corp.internal', '10.20.0.17', 3600)], rtt=23)
    dns(cap, t + 80, res, 'gitlab.corp.internal', 'AAAA', an=[],
        ns=[SOA('corp.internal', 'dc01.corp.internal', 'hostmaster.corp.internal', minimum=3600)], rtt=24)
    gl = Server(['gitlab.corp.internal'], '10.20.0.17', None, ttl=62, rtt=21, ipid='inc', seed=93)
    tls_session(cap, x + 500, cap.client4, gl, 'gitlab.corp.internal', profile='firefox', nreq=3, close='cfin')
    x = dns(cap, 33 * S, res, 'dc01.corp.internal', 'A', an=[A('dc01.corp.internal', '10.20.0.5', 3600)], rtt=22)
    dns(cap, 33 * S + 60, res, '_ldap._tcp.dc._msdcs.corp.internal', 'SRV',
        an=[DNSRRSRV(rrname='_ldap._tcp.dc._msdcs.corp.internal', ttl=600, priority=0, weight=100, port=389,
                     target='dc01.corp.internal')], rtt=22)
    # mDNS: printer.local
    t = 40 * S
    q = IP(src=cap.client4, dst='224.0.0.251', ttl=255, id=0, flags='DF') / UDP(sport=5353, dport=5353) / \
        DNS(id=0, qd=[DNSQR(qname='brother-hl-l2350.local', qtype='A')])
    cap.add(t, q)
    a = IP(src='192.168.1.30', dst='224.0.0.251', ttl=255, id=r.randint(1, 65535), flags='DF') / \
        UDP(sport=5353, dport=5353) / DNS(id=0, qr=1, aa=1, qd=[], an=[DNSRR(rrname='brother-hl-l2350.local', type='A',
                                                                      cacheflush=1, ttl=120, rdata='192.168.1.30')])
    cap.add(t + 3400, a)
    pr = Server(['brother-hl-l2350.local'], '192.168.1.30', None, ttl=64, rtt=2.1, ipid='inc', seed=94, ts=False)
    f = Tcp(cap, t + 5 * MS, cap.client4, pr, 631)
    f.connect()
    def attr(tag, name, value):
        return bytes([tag]) + u16(len(name)) + name + u16(len(value)) + value
    ipp_req = (bytes([2, 0, 0, 0x0b, 0, 0, 0, 1]) + b'\x01' + attr(0x47, b'attributes-charset', b'utf-8') +
               attr(0x48, b'attributes-natural-language', b'en') +
               attr(0x45, b'printer-uri', b'ipp://brother-hl-l2350.local:631/ipp/print') +
               attr(0x44, b'requested-attributes', b'printer-state') + attr(0x44, b'', b'printer-name') + b'\x03')
    ipp = ('POST /ipp/print HTTP/1.1\r\nHost: brother-hl-l2350.local:631\r\nContent-Type: application/ipp\r\n'
           'Content-Length: %d\r\n\r\n' % len(ipp_req)).encode() + ipp_req
    f.c_send(ipp, t=f.t + 300)
    ipp_resp = (bytes([2, 0, 0, 0, 0, 0, 0, 1]) + b'\x01' + attr(0x47, b'attributes-charset', b'utf-8') +
                attr(0x48, b'attributes-natural-language', b'en') + b'\x04' +
                attr(0x42, b'printer-name', b'Brother HL-L2350DW series') +
                attr(0x23, b'printer-state', b'\x00\x00\x00\x03') + b'\x03')
    f.s_send(http_resp(200, 'OK', [('Content-Type', 'application/ipp'), ('Server', 'CUPS/2.2 IPP/2.0')], ipp_resp))
    f.close_client_first(t=f.t + 500 * MS, tls=False)
    cap.write('private-address-for-internal-name',
              'Private (RFC 1918) answers are for names that only exist inside the network (.lan, home.arpa, '
              'corp.internal, mDNS .local), served by the LAN router / its forwarder or by the device itself, and the '
              'hosts answer at those addresses.',
              'eth/IPv4, 18 normal flows. nas.lan -> 192.168.1.20 (aa=1, TTL 0) + HTTP :5000 on the NAS (TTL 64, own '
              'MAC); router.home.arpa -> 192.168.1.1 + LuCI HTTP 302/200; gitlab.corp.internal -> 10.20.0.17 (TLS '
              'works, TTL 62), dc01.corp.internal -> 10.20.0.5, SRV _ldap; mDNS brother-hl-l2350.local -> '
              '192.168.1.30 (IP TTL 255) + IPP.')


# ======================================================================================
# 10  genuine NXDOMAIN answers
# ======================================================================================

ROOT_SOA = dict(zone='.', mname='a.root-servers.net', rname='nstld.verisign-grs.com', serial=2024050600,
                refresh=1800, retry=900, expire=604800, minimum=86400)


def case10():
    cap = Cap('10_dns_nxdomain_genuine.pcap', 'sll2', BASE + 9 * 3600 + 1700, 1010,
              client4='192.168.178.31', client6='2a02:8108:9bc0:1e00:1c4e:8aff:fe21:4410',
              client_mac='5c:e9:1e:03:88:7e', gw_mac='3c:a6:2f:4b:9e:11')
    res = Resolver('2a02:908:2:a::1', ttl=61, rtt=9, v6=True)
    background(cap, 0, 75 * S, 22, bg_pool(10), res, v6_share=0.5)
    r = cap.rng

    def root_soa():
        return SOA('.', 'a.root-servers.net', 'nstld.verisign-grs.com', serial=2024050600, refresh=1800, retry=900,
                   expire=604800, minimum=86400, ttl=86400)
    # Chrome's three random single-label probes at start-up
    t = 1 * S
    for k in range(3):
        lab = ''.join(r.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(r.randint(7, 15)))
        dns(cap, t + k * 400, res, lab, 'A', rcode=3, ns=[root_soa()], rtt=r.randint(9, 14))
    # typo in the TLD
    t = 14 * S
    dns(cap, t, res, 'www.wikipedia.con', 'A', rcode=3, ns=[root_soa()], rtt=11)
    dns(cap, t + 100, res, 'www.wikipedia.con', 'AAAA', rcode=3, ns=[root_soa()], rtt=12)
    # typo in the host name under an existing zone
    t = 29 * S
    gsoa = SOA('google.com', 'ns1.google.com', 'dns-admin.google.com', serial=632171222, refresh=900, retry=900,
               expire=1800, minimum=60, ttl=60)
    dns(cap, t, res, 'mial.google.com', 'A', rcode=3, ns=[gsoa], rtt=38)
    dns(cap, t + 80, res, 'mial.google.com', 'AAAA', rcode=3, ns=[gsoa], rtt=41)
    # a vendor domain that has expired
    t = 44 * S
    csoa = SOA('com', 'a.gtld-servers.net', 'nstld.verisign-grs.com', serial=1714989566, refresh=1800, retry=900,
               expire=604800, minimum=900, ttl=900)
    dns(cap, t, res, 'cdn.nonexistent-vendor-assets.com', 'A', rcode=3, ns=[csoa], rtt=57)
    dns(cap, t + 90, res, 'cdn.nonexistent-vendor-assets.com', 'AAAA', rcode=3, ns=[csoa], rtt=55)
    # search-domain expansion of a bare name
    t = 51 * S
    dns(cap, t, res, 'intranet.fritz.box', 'A', rcode=3, ns=[root_soa()], rtt=10)
    cap.write('genuine-NXDOMAIN',
              'Each NXDOMAIN is the single, ordinary-latency answer of the normal resolver for a name that really '
              'does not exist (random probe labels, typos, an expired domain), with the proper zone SOA and negative '
              'TTL; the same resolver answers everything else.',
              'Linux SLL2, DNS over IPv6 to the ISP resolver, 22 normal flows. NXDOMAIN + SOA for 3 random '
              'single-label Chrome probes, www.wikipedia.con (root SOA), mial.google.com (google.com SOA), '
              'cdn.nonexistent-vendor-assets.com (.com SOA), intranet.fritz.box; one answer each, 9-57 ms.')


# ======================================================================================
# 11  CNAME chains, NODATA (CNAME + SOA) for AAAA, HTTPS RR with A in additional
# ======================================================================================

def svcb_https(name, prio, target, params, ttl=300):
    return DNSRRSVCB(rrname=name, type=65, ttl=ttl, svc_priority=prio, target_name=target, svc_params=params)


def case11():
    cap = Cap('11_dns_cname_nodata_https_rr.pcap', 'vlan', BASE + 10 * 3600 + 808, 1111, client4='192.168.20.15',
              vlan=20, client_mac='b4:2e:99:c1:07:5d', gw_mac='00:1b:21:3a:9c:40')
    res = Resolver('9.9.9.9', ttl=57, rtt=12)
    names = ['www.microsoft.com', 'www.github.com', 'github.com', 'www.cloudflare.com']
    pool = pool_without(bg_pool(11), names)
    background(cap, 0, 70 * S, 20, pool, res)
    r = cap.rng
    # www.microsoft.com: A via 3 CNAMEs; AAAA answered the same way; HTTPS -> chain + SOA (NODATA)
    t = 4 * S
    ms_chain = [CNAME('www.microsoft.com', 'www.microsoft.com-c-3.edgekey.net', 3600),
                CNAME('www.microsoft.com-c-3.edgekey.net', 'www.microsoft.com-c-3.edgekey.net.globalredir.akadns.net', 900),
                CNAME('www.microsoft.com-c-3.edgekey.net.globalredir.akadns.net', 'e13678.dscb.akamaiedge.net', 60)]
    sp = r.randint(33000, 60999)
    x = dns(cap, t, res, 'www.microsoft.com', 'A', an=ms_chain + [A('e13678.dscb.akamaiedge.net', '23.54.83.110', 20)],
            sport=sp, rtt=14)
    dns(cap, t + 70, res, 'www.microsoft.com', 'AAAA',
        an=ms_chain + [AAAA('e13678.dscb.akamaiedge.net', '2a02:26f0:d8:38a::356e', 20)], sport=sp, rtt=15)
    aksoa = SOA('dscb.akamaiedge.net', 'n0dscb.akamaiedge.net', 'hostmaster.akamai.com', serial=1714989000,
                refresh=1000, retry=1000, expire=1000, minimum=1800, ttl=1800)
    dns(cap, t + 140, res, 'www.microsoft.com', 'HTTPS', an=ms_chain, ns=[aksoa], sport=r.randint(33000, 60999), rtt=15)
    msrv = Server(['www.microsoft.com'], '23.54.83.110', None, ttl=58, rtt=7, seed=111)
    tls_session(cap, x + 400, cap.client4, msrv, 'www.microsoft.com', profile='chrome', nreq=3, close='cfin')
    # www.github.com: A = CNAME + A; AAAA = CNAME + SOA only (NODATA); HTTPS = CNAME + SOA
    t = 19 * S
    ghsoa = SOA('github.com', 'dns1.p08.nsone.net', 'hostmaster.nsone.net', serial=1656468023, refresh=43200,
                retry=7200, expire=1209600, minimum=3600, ttl=900)
    sp = r.randint(33000, 60999)
    x = dns(cap, t, res, 'www.github.com', 'A', an=[CNAME('www.github.com', 'github.com', 3600),
                                                    A('github.com', '140.82.121.3', 60)], sport=sp, rtt=13)
    dns(cap, t + 60, res, 'www.github.com', 'AAAA', an=[CNAME('www.github.com', 'github.com', 3600)], ns=[ghsoa],
        sport=sp, rtt=13)
    dns(cap, t + 120, res, 'www.github.com', 'HTTPS', an=[CNAME('www.github.com', 'github.com', 3600)], ns=[ghsoa],
        sport=r.randint(33000, 60999), rtt=14)
    gh = Server(['www.github.com'], '140.82.121.3', None, ttl=49, rtt=31, seed=112)
    tls_session(cap, x + 300, cap.client4, gh, 'www.github.com', profile='chrome', nreq=2, close='cfin')
    # www.cloudflare.com: HTTPS RR, with the address records placed in the additional section
    t = 36 * S
    params = [SvcParam(key='alpn', value=['h3', 'h2']), SvcParam(key='ipv4hint', value=['104.16.123.96', '104.16.124.96']),
              SvcParam(key='ipv6hint', value=['2606:4700::6810:7b60', '2606:4700::6810:7c60'])]
    x = dns(cap, t, res, 'www.cloudflare.com', 'HTTPS', an=[svcb_https('www.cloudflare.com', 1, '.', params, 300)],
            ar=[A('www.cloudflare.com', '104.16.123.96', 300), A('www.cloudflare.com', '104.16.124.96', 300),
                AAAA('www.cloudflare.com', '2606:4700::6810:7b60', 300),
                AAAA('www.cloudflare.com', '2606:4700::6810:7c60', 300)], rtt=11)
    sp = r.randint(33000, 60999)
    dns(cap, t + 50, res, 'www.cloudflare.com', 'A', an=[A('www.cloudflare.com', '104.16.123.96', 300),
                                                         A('www.cloudflare.com', '104.16.124.96', 300)], sport=sp, rtt=11)
    cf = Server(['www.cloudflare.com'], '104.16.123.96', None, ttl=58, rtt=8, seed=113)
    tls_session(cap, x + 200, cap.client4, cf, 'www.cloudflare.com', profile='chrome', nreq=2, close='open')
    # github.com HTTPS: plain NODATA
    dns(cap, 50 * S, res, 'github.com', 'HTTPS', an=[], ns=[ghsoa], rtt=13)
    cap.write('unusual-but-valid-DNS-answer-shapes',
              'CNAME chains, NODATA answers (CNAME + SOA, no address) for AAAA/HTTPS, and an HTTPS (type 65) answer '
              'with the A/AAAA glue in the additional section are standard resolver output; no AAAA or HTTPS query is '
              'answered with an A record in the answer section, and the addresses work.',
              '802.1Q VLAN 20, IPv4, resolver 9.9.9.9, 20 normal flows. www.microsoft.com A/AAAA via 3 CNAMEs to '
              'Akamai, HTTPS -> CNAME chain + SOA; www.github.com A -> CNAME + A, AAAA -> CNAME + SOA only, HTTPS -> '
              'CNAME + SOA; www.cloudflare.com HTTPS -> SVCB(alpn h3,h2, hints) with A/AAAA in additional; '
              'github.com HTTPS NODATA. TLS to the answers works.')


# ======================================================================================
# 12  port refused by the server itself; a server that is down
# ======================================================================================

def case12():
    cap = Cap('12_tcp_refused_and_server_down.pcap', 'vlan', BASE + 11 * 3600 + 4242, 1212, client4='172.16.5.23',
              vlan=5, client_mac='00:50:b6:8e:41:2f', gw_mac='00:1a:8c:10:f0:01')
    res = Resolver('172.16.5.1', ttl=64, rtt=3)
    background(cap, 0, 70 * S, 20, bg_pool(12), res)
    r = cap.rng
    # (a) app tries :8443 first (closed -> RST/ACK from the host itself), then :443 works
    srv = Server(['www.golem.de'], '109.68.230.138', None, ttl=53, rtt=14, ipid='inc', seed=121)
    t = resolve_pair(cap, 5 * S, res, 'www.golem.de', srv) + 300
    f = Tcp(cap, t, cap.client4, srv, 8443)
    f.C(f.t, 'S', seq=f.c_isn, syn=True)
    f.S(f.t + f.rtt, 'RA', seq=0, ack=f.c_isn + 1, win=0, ipid=0, df=True)
    tls_session(cap, f.t + f.rtt + 3 * MS, cap.client4, srv, 'www.golem.de', profile='firefox', nreq=2, close='cfin')
    # (a2) closed port 80 on an HTTPS-only API host
    srv2 = Server(['api.openweathermap.org'], '37.139.20.5', None, ttl=51, rtt=17, ipid='inc', seed=122)
    t = resolve_pair(cap, 18 * S, res, 'api.openweathermap.org', srv2) + 300
    f = Tcp(cap, t, cap.client4, srv2, 80)
    f.C(f.t, 'S', seq=f.c_isn, syn=True)
    f.S(f.t + f.rtt, 'RA', seq=0, ack=f.c_isn + 1, win=0, ipid=0, df=True)
    tls_session(cap, f.t + f.rtt + 40 * MS, cap.client4, srv2, 'api.openweathermap.org', profile='chrome', nreq=1,
                close='cfin')
    # (b) server down: genuine DNS answer, SYNs never answered, nothing else to that host
    dead = Server(['forum.retro-hardware.net'], '45.79.112.203', None, ttl=50, rtt=95, seed=123)
    t = resolve_pair(cap, 33 * S, res, 'forum.retro-hardware.net', dead) + 300
    f = Tcp(cap, t, cap.client4, dead, 443)
    f.connect(synack=False, syn_retx=(1 * S, 3 * S, 7 * S, 15 * S))
    g = Tcp(cap, t + 250, cap.client4, dead, 443)       # the browser's parallel preconnect
    g.connect(synack=False, syn_retx=(1 * S, 3 * S, 7 * S, 15 * S))
    cap.write('refused-port-and-dead-server',
              'The RST/ACKs answer SYNs to closed ports, come from the hosts themselves (TTL equal to the same '
              'host\'s open-port replies, window 0, exactly one each) and the service port works; the dead server '
              'never answers anything and has no other traffic to compare with.',
              '802.1Q VLAN 5, IPv4, 20 normal flows. www.golem.de:8443 SYN -> RST/ACK TTL 53 (IP-ID 0, DF), then :443 '
              'TLS session TTL 53 works; api.openweathermap.org:80 SYN -> RST/ACK, :443 works. '
              'forum.retro-hardware.net: normal A answer, 2 connections whose SYNs are retransmitted at 1/3/7/15 s '
              'and never answered.')


# ======================================================================================
# 13  client gives up 50 ms after its ClientHello
# ======================================================================================

def case13():
    cap = Cap('13_tls_client_gave_up_after_clienthello.pcap', 'raw', BASE + 12 * 3600 + 321, 1313,
              client4='100.72.13.9', client6='2a01:598:b1a2:3c4d:1f:8e22:91aa:5c31')
    res = Resolver('10.74.210.210', ttl=63, rtt=35)
    background(cap, 0, 75 * S, 18, bg_pool(13), res, v6_share=0.5)
    r = cap.rng
    # (a) IPv4, far away server: tab closed 50 ms after the ClientHello; the server's flight arrives later and the
    #     client's own stack answers it with RST
    srv = Server(['www.abc.net.au'], '23.62.226.163', None, ttl=49, rtt=291, ipid='inc', seed=131)
    t = resolve_pair(cap, 6 * S, res, 'www.abc.net.au', srv) + 350
    f = Tcp(cap, t, cap.client4, srv, 443)
    f.connect()
    ch = client_hello(r, 'www.abc.net.au', profile='chrome')
    f.c_send(tls_rec(22, ch, ver=b'\x03\x01'), t=f.t + 600)
    tch = f.t
    ch_end = f.cs
    f.c_fin(tch + 50 * MS)
    f.s_ack = ch_end
    flight = tls_rec(22, server_hello(r, ch_sid(ch))) + tls_rec(20, b'\x01') + tls_rec(23, r.randbytes(3900))
    f.s_send(flight, start=tch + f.rtt + 2600, client_acks=False)
    first = tch + f.rtt + 2600
    f.C(first + 35, 'R', seq=f.cs, win=0)
    f.S(tch + 50 * MS + f.rtt + 90, 'A', ack=f.cs)      # server ACKs the FIN (sent before our RST reached it)
    f.C(tch + 50 * MS + f.rtt + 130, 'R', seq=f.cs, win=0)
    # (b) IPv6: ClientHello then FIN 50 ms later; the server never sends its hello: it ACKs and closes too
    srv2 = Server(['www.stuff.co.nz'], '52.64.119.33', '2406:da1c:f42:ae02:4ac1:8e0f:1b3d:72a1', ttl=44, hlim=44,
                  rtt=284, seed=132)
    t = resolve_pair(cap, 31 * S, res, 'www.stuff.co.nz', srv2) + 350
    g = Tcp(cap, t, cap.client6, srv2, 443, v6=True)
    g.connect()
    ch = client_hello(r, 'www.stuff.co.nz', profile='chrome', pq=True)
    g.c_send(tls_rec(22, ch, ver=b'\x03\x01'), t=g.t + 500)
    tch = g.t
    ch_end = g.cs
    g.c_fin(tch + 50 * MS)
    g.S(tch + g.rtt + 40 * MS, 'A', ack=ch_end)
    g.S(tch + 50 * MS + g.rtt + 200, 'A', ack=g.cs)
    g.s_fin(tch + 50 * MS + g.rtt + 900, ack=g.cs)
    g.C(tch + 50 * MS + g.rtt + 960, 'A')
    # the page the user went to instead loads normally
    nz = Server(['www.rnz.co.nz'], '54.79.14.216', None, ttl=45, rtt=279, seed=133)
    t = resolve_pair(cap, 33 * S, res, 'www.rnz.co.nz', nz) + 300
    tls_session(cap, t, cap.client4, nz, 'www.rnz.co.nz', profile='chrome', nreq=2, close='cfin')
    cap.write('clienthello-then-close-by-client',
              'The client itself sends FIN 50 ms after its ClientHello (tab closed / connection no longer wanted), '
              'before a 290 ms-RTT server could possibly answer; whatever happens next is the reaction to that '
              'close (the client\'s own RSTs, or the server ACKing the FIN and closing), never a reset toward the '
              'client.',
              'raw IP (DLT 101, LTE modem), dual stack, 18 normal flows. (a) IPv4 www.abc.net.au: CH, client FIN '
              '+50 ms, ServerHello flight arrives at +1 RTT and the client answers RST (x2). (b) IPv6 www.stuff.co.nz: '
              'CH, client FIN +50 ms, server ACKs CH, ACKs FIN, sends FIN+ACK (hlim 44 like its SYN/ACK), no '
              'ServerHello. www.rnz.co.nz loads fine.')


# ======================================================================================
# 14  the whole network goes down for 24 s: every flow stalls at the same moment
# ======================================================================================

def case14():
    cap = Cap('14_network_outage_every_flow_stalls.pcap', 'sll2', BASE + 13 * 3600 + 999, 1414, client4='192.168.1.77',
              client_mac='a4:c3:f0:85:2d:6b', gw_mac='d8:07:b6:e4:11:70')
    res = Resolver('192.168.1.1', ttl=64, rtt=4)
    pool = bg_pool(14)
    T0, T1 = 20 * S, 44 * S
    _, resolved = background(cap, 0, 13 * S, 12, pool, res)
    r = cap.rng
    # (1) apt download over HTTP, interrupted by the outage, resumed by the server's RTO retransmission
    deb = Server(['ftp.de.debian.org'], '141.76.2.4', None, ttl=53, rtt=16, ipid='inc', seed=141, http=True)
    t = resolve_pair(cap, 16 * S, res, 'ftp.de.debian.org', deb, want6=False) + 300
    f = Tcp(cap, t, cap.client4, deb, 80)
    f.connect()
    path = '/debian/pool/main/f/firefox-esr/firefox-esr_115.10.0esr-1~deb12u1_amd64.deb'
    f.c_send(('GET %s HTTP/1.1\r\nHost: ftp.de.debian.org\r\nUser-Agent: Debian APT-HTTP/1.3 (2.6.1)\r\n\r\n'
              % path).encode(), t=f.t + 200)
    total = 6500000
    hdr = ('HTTP/1.1 200 OK\r\nServer: Apache\r\nContent-Type: application/vnd.debian.binary-package\r\n'
           'Content-Length: %d\r\n\r\n' % total).encode()
    body = hdr + r.randbytes(total)
    n1 = f.s_send(body, rate=8e6, stop_before=T0)
    assert f.t < T0, f.t
    f.s_send(body[n1:], start=T1 + 1270 * MS, rate=8e6)
    f.close_client_first(t=f.t + 30 * MS, tls=False)
    # (2) a ClientHello sent 5 ms before the outage; retransmitted with back-off; answered after recovery
    sp = Server(['open.spotify.com'], '35.186.224.25', None, ttl=118, rtt=10, ipid='zero', seed=142)
    t = resolve_pair(cap, 19 * S + 930 * MS, res, 'open.spotify.com', sp, want6=False)
    g = Tcp(cap, T0 - 20 * MS, cap.client4, sp, 443)
    g.connect()
    rto = [210 * MS, 630 * MS, 1470 * MS, 3150 * MS, 6510 * MS, 13230 * MS, 26670 * MS]
    tls13_handshake(g, 'open.spotify.com', profile='chrome', ch_retx=rto)
    tls_exchange(g, 700, 36000, tickets=True)
    g.close_client_first(t=g.t + 2 * S, tls=True)
    # (3) an established session: request at 21 s retransmitted until the network is back
    ol = Server(['outlook.office.com'], '52.97.146.162', None, ttl=113, rtt=19, ipid='global', ts=False, seed=143)
    t = resolve_pair(cap, 7 * S, res, 'outlook.office.com', ol, want6=False) + 200
    h = Tcp(cap, t, cap.client4, ol, 443)
    h.connect()
    tls13_handshake(h, 'outlook.office.com', profile='chrome')
    tls_exchange(h, 800, 22000, tickets=True)
    h.c_send(app_records(r, 540), t=21 * S + 3100, retx=[210 * MS, 630 * MS, 1470 * MS, 3150 * MS, 6510 * MS,
                                                          13230 * MS, 26670 * MS])
    h.s_send(app_records(r, 9100), start=h.t + h.rtt + 9 * MS)
    h.close_client_first(t=h.t + 3 * S, tls=True)
    # (4) a new connection during the outage: SYN back-off, answered by the 6th SYN
    osm = Server(['www.openstreetmap.org'], '184.104.179.145', None, ttl=53, rtt=19, ipid='inc', seed=144)
    t = resolve_pair(cap, 9 * S, res, 'www.openstreetmap.org', osm, want6=False)
    k = Tcp(cap, 21 * S + 310 * MS, cap.client4, osm, 443)
    k.connect(syn_retx=(1 * S, 3 * S, 7 * S, 15 * S, 31 * S))
    tls13_handshake(k, 'www.openstreetmap.org', profile='firefox')
    tls_exchange(k, 610, 52000, tickets=True)
    k.close_client_first(t=k.t + 1 * S, tls=True)
    # (5) DNS during the outage: retries unanswered, the lookup succeeds once the link is back
    ts_ = Server(['www.tagesschau.de'], '23.38.141.169', None, ttl=58, rtt=9, seed=145)
    sport = r.randint(33000, 60999)
    for tt in (25 * S, 30 * S, 35 * S, 40 * S):
        cap.add(tt, dns_query_pkt(cap, cap.client4, res.ip, 0x2b10, sport, 'www.tagesschau.de', 'A'))
        cap.add(tt + 90, dns_query_pkt(cap, cap.client4, res.ip, 0x2b11, sport, 'www.tagesschau.de', 'AAAA'))
    t = resolve_pair(cap, 45 * S + 200 * MS, res, 'www.tagesschau.de', ts_, want6=True) + 300
    tls_session(cap, t, cap.client4, ts_, 'www.tagesschau.de', profile='chrome', nreq=3, close='cfin')
    background(cap, 48 * S, 80 * S, 12, pool, res, resolved=resolved)
    # nothing else may arrive inside the outage window
    for tt, _, p in cap.items:
        if T0 <= tt < T1:
            assert (IP in p and p[IP].src == cap.client4), ('inbound during outage', tt, p.summary())
    cap.write('network-wide-outage',
              'Every flow (to every server, DNS included) stops receiving at the same instant and the client '
              'retransmits with normal back-off until the link returns 24 s later, after which the very same '
              'connections - including the one whose ClientHello went unanswered - complete: a local outage, not '
              'per-destination dropping.',
              'Linux SLL2, IPv4, 24 normal flows before/after. No inbound packet from 18.9 s to 44.1 s (capture-'
              'relative): HTTP .deb download stalls (resumes at 44.2 s by server RTO retransmission, completes); open.spotify.com ClientHello sent 5 ms '
              'before the outage retransmitted at 0.2/0.6/1.5/3.2/6.5/13.2/26.7 s, answered, session completes; '
              'an established outlook.office.com request retransmitted the same way; a new SYN to '
              'www.openstreetmap.org answered on the 6th try; DNS retries unanswered then a lookup succeeds.')


# ======================================================================================
# 15  slow server: every flow to it is slow (server-side rate limit), others fast
# ======================================================================================

def case15():
    cap = Cap('15_slow_server_every_flow.pcapng', 'pcapng', BASE + 14 * 3600 + 2020, 1515, client4='192.168.2.104',
              client6='2003:e5:df1f:8a00:9d2c:41a7:3b55:e08c', client_mac='18:c0:4d:7e:52:a3',
              gw_mac='38:10:d5:66:0b:9c', ifname=b'enp5s0')
    res = Resolver('192.168.2.1', ttl=64, rtt=4)
    background(cap, 0, 60 * S, 22, bg_pool(15), res, v6_share=0.6)
    r = cap.rng
    srv = Server(['ftp.halifax.rwth-aachen.de'], '137.226.34.46', '2a00:8a60:e012:a00::21', ttl=56, hlim=56, rtt=16,
                 ipid='inc', seed=151)
    t = resolve_pair(cap, 5 * S, res, 'ftp.halifax.rwth-aachen.de', srv) + 300
    f = Tcp(cap, t, cap.client6, srv, 443, v6=True)
    f.connect()
    tls13_handshake(f, 'ftp.halifax.rwth-aachen.de', profile='firefox')
    tls_exchange(f, 480, 1600000, rate=700e3, tickets=True)
    f.close_client_first(t=f.t + 200 * MS, tls=True)
    g = Tcp(cap, t + 4 * S, cap.client6, srv, 443, v6=True)
    g.connect()
    tls13_handshake(g, 'ftp.halifax.rwth-aachen.de', profile='firefox')
    tls_exchange(g, 470, 700000, rate=720e3, tickets=True)
    g.close_client_first(t=g.t + 200 * MS, tls=True)
    h = Tcp(cap, t + 11 * S, cap.client4, srv, 443)
    h.connect()
    tls13_handshake(h, 'ftp.halifax.rwth-aachen.de', profile='chrome')
    tls_exchange(h, 420, 260000, rate=690e3, tickets=True)
    h.close_client_first(t=h.t + 200 * MS, tls=True)
    cap.write('slow-server-not-throttling',
              'The server rate-limits every download (about 700 kbit/s for all three connections, IPv6 and IPv4); '
              'there is no faster flow to that server to compare with and no loss pattern, while other servers are '
              'fast.',
              'pcapng/Ethernet, dual stack, 22 normal flows. ftp.halifax.rwth-aachen.de: 1.6 MB over IPv6 at 700 '
              'kbit/s, 0.7 MB over IPv6 at 720 kbit/s, 0.26 MB over IPv4 at 690 kbit/s, smooth pacing, no '
              'retransmissions, normal closes.')


# ======================================================================================
# 16  small long-lived flow next to a bulk flow to the same server
# ======================================================================================

def case16():
    cap = Cap('16_small_flow_next_to_bulk_same_server.pcap', 'eth', BASE + 15 * 3600 + 3131, 1616,
              client4='192.168.0.12', client_mac='f0:2f:74:1c:9e:08', gw_mac='7c:ff:4d:1a:2b:3c')
    res = Resolver('192.168.0.1', ttl=64, rtt=3)
    background(cap, 0, 70 * S, 20, bg_pool(16), res)
    r = cap.rng
    srv = Server(['aus5.mozilla.org', 'download-installer.cdn.mozilla.net'], '34.117.35.28', None, ttl=118, rtt=9,
                 ipid='zero', seed=161)
    t = resolve_pair(cap, 4 * S, res, 'aus5.mozilla.org', srv) + 300
    small = Tcp(cap, t, cap.client4, srv, 443)
    small.connect()
    tls13_handshake(small, 'aus5.mozilla.org', profile='firefox', alpn=(b'http/1.1',))
    tls_exchange(small, 690, 1900, tickets=True)
    t2 = resolve_pair(cap, small.t + 600 * MS, res, 'download-installer.cdn.mozilla.net', srv) + 300
    bulk = Tcp(cap, t2, cap.client4, srv, 443)
    bulk.connect()
    tls13_handshake(bulk, 'download-installer.cdn.mozilla.net', profile='firefox', alpn=(b'http/1.1',))
    tls_exchange(bulk, 430, 6000000, rate=45e6, tickets=True, think=5 * MS)
    bulk.close_client_first(t=bulk.t + 300 * MS, tls=True)
    small.t = max(small.t, t + 15 * S)
    tls_exchange(small, 650, 610, gap=0)
    tls_exchange(small, 640, 220, gap=9 * S)
    small.close_client_first(t=small.t + 20 * S, tls=True)
    mid = Tcp(cap, bulk.t + 12 * S, cap.client4, srv, 443)
    mid.connect()
    tls13_handshake(mid, 'download-installer.cdn.mozilla.net', profile='firefox', alpn=(b'http/1.1',))
    tls_exchange(mid, 400, 60000, tickets=True)
    mid.close_client_first(t=mid.t + 500 * MS, tls=True)
    cap.write('throughput-not-comparable',
              'The "slow" flows to the server carry only a few kilobytes spread over a long-lived keep-alive session '
              '(or finish inside TCP slow start), so bytes/second says nothing; the bulk flow to the same server '
              'shows the path is fast, and nothing was dropped.',
              'eth/IPv4, 20 normal flows. 34.117.35.28: aus5.mozilla.org keep-alive TLS session ~45 s carrying 2.7 KB '
              'in 3 request/response pairs; download-installer.cdn.mozilla.net 6 MB at 45 Mbit/s; a later 60 KB '
              'download done in slow start. No retransmissions.')


# ======================================================================================
# 17  lossy Wi-Fi: retransmissions with identical content, SACK recovery, lost ClientHello
# ======================================================================================

def case17():
    cap = Cap('17_lossy_link_retransmissions_sack.pcap', 'vlan', BASE + 16 * 3600 + 777, 1717, client4='192.168.30.9',
              vlan=30, client_mac='94:e6:f7:3b:21:c0', gw_mac='00:26:cb:44:90:01')
    res = Resolver('192.168.30.1', ttl=64, rtt=3)
    background(cap, 0, 70 * S, 18, bg_pool(17), res)
    r = cap.rng
    srv = Server(['www.kernel.org'], '139.178.84.217', None, ttl=50, rtt=95, ipid='inc', seed=171)
    t = resolve_pair(cap, 4 * S, res, 'www.kernel.org', srv) + 300
    f = Tcp(cap, t, cap.client4, srv, 443)
    f.connect()
    tls13_handshake(f, 'www.kernel.org', profile='firefox', ch_retx=(300 * MS,))     # first ClientHello lost
    tls_exchange(f, 520, 900000, lost=(20, 21, 57, 140, 300, 452, -2), dup=(95,), tickets=True)
    tls_exchange(f, 480, 120000, lost=(33,))
    f.close_client_first(t=f.t + 2 * S, tls=True, server_notify=True)
    # SYN/ACK lost: SYN retransmitted after 1 s
    lore = Server(['lore.kernel.org'], '147.75.193.102', None, ttl=50, rtt=97, ipid='inc', seed=172)
    t = resolve_pair(cap, 27 * S, res, 'lore.kernel.org', lore) + 300
    g = Tcp(cap, t, cap.client4, lore, 443)
    g.connect(syn_retx=(1 * S,))
    tls13_handshake(g, 'lore.kernel.org', profile='firefox')
    tls_exchange(g, 600, 88000, lost=(5, 6, 7), tickets=True)
    g.close_client_first(t=g.t + 1 * S, tls=True)
    # plain HTTP: request lost once, retransmitted identically
    mir = Server(['mirrors.edge.kernel.org'], '147.75.80.249', None, ttl=51, rtt=92, ipid='inc', seed=173, http=True)
    t = resolve_pair(cap, 41 * S, res, 'mirrors.edge.kernel.org', mir) + 300
    h = Tcp(cap, t, cap.client4, mir, 80)
    h.connect()
    h.c_send(http_get('mirrors.edge.kernel.org', '/pub/linux/kernel/v6.x/sha256sums.asc'), t=h.t + 200,
             retx=(290 * MS,))
    h.s_send(http_resp(200, 'OK', [('Server', 'nginx'), ('Content-Type', 'text/plain')],
                       ''.join('%064x  linux-6.%d.%d.tar.xz\n' % (r.getrandbits(256), i // 40, i % 40)
                               for i in range(700))), lost=(9,))
    h.close_client_first(t=h.t + 500 * MS, tls=False)
    cap.write('retransmissions-on-lossy-link',
              'Losses on a bad Wi-Fi link: every retransmission (ClientHello, SYN, HTTP request, data segments) '
              'repeats exactly the same bytes at the same sequence numbers, recovery is driven by duplicate ACKs '
              'with SACK blocks and one D-SACK, and all transfers complete.',
              '802.1Q VLAN 30, IPv4, 18 normal flows. www.kernel.org (RTT 95 ms): ClientHello retransmitted after '
              '300 ms then answered; 900 KB download with 7 lost segments (fast retransmit after SACKed dupacks, one '
              'tail loss by RTO) and one spurious retransmission (D-SACK); lore.kernel.org SYN retransmitted after '
              '1 s; HTTP request retransmitted after 290 ms; all complete.')


# ======================================================================================
# 18  QUIC answered normally; version negotiation answered by the server
# ======================================================================================

def case18():
    cap = Cap('18_quic_normal_and_version_negotiation.pcapng', 'pcapng', BASE + 17 * 3600 + 1888, 1818,
              client4='192.168.1.64', client6='2a02:810d:4b3f:e700:3d5c:9a1e:22b0:7f41',
              client_mac='0c:9a:3c:5e:71:2d', gw_mac='44:4e:6d:8c:12:70')
    res = Resolver('192.168.1.1', ttl=64, rtt=3)
    background(cap, 0, 70 * S, 18, bg_pool(18), res, v6_share=0.5)
    r = cap.rng
    g = Server(['www.google.de'], '142.250.185.195', '2a00:1450:4001:830::2003', ttl=117, hlim=117, rtt=10, seed=181)
    t = resolve_pair(cap, 5 * S, res, 'www.google.de', g) + 300
    quic_session(cap, t, cap.client6, g, 'www.google.de', v6=True, nshort=14)
    cf = Server(['cloudflare-quic.com'], '104.22.1.197', '2606:4700:10::6816:1c5', ttl=58, hlim=58, rtt=8, seed=182)
    t = resolve_pair(cap, 22 * S, res, 'cloudflare-quic.com', cf) + 300
    sport = 51413
    tv = quic_session(cap, t, cap.client4, cf, 'cloudflare-quic.com', version=b'\xff\x00\x00\x1d', salt=SALT_D29,
                      vn=True, sport=sport)
    quic_session(cap, tv + 350, cap.client4, cf, 'cloudflare-quic.com', sport=sport, nshort=10)
    bl = Server(['blog.cloudflare.com'], '104.18.28.7', None, ttl=58, rtt=8, seed=183)
    t = resolve_pair(cap, 40 * S, res, 'blog.cloudflare.com', bl, want6=False) + 300
    quic_session(cap, t, cap.client4, bl, 'blog.cloudflare.com', nshort=9)
    cap.write('quic-normal-and-version-negotiation',
              'QUIC Initials are answered by the servers (Initial + Handshake, then 1-RTT traffic); the one Version '
              'Negotiation packet is the server\'s reply to a draft-29 Initial and the client immediately completes a '
              'QUIC v1 handshake on the same port.',
              'pcapng/Ethernet, dual stack, 18 TCP/TLS normal flows. QUIC v1 to www.google.de over IPv6 and '
              'blog.cloudflare.com over IPv4 (decryptable Initials with SNI, server Initial+Handshake, short-header '
              'exchange); cloudflare-quic.com: draft-29 Initial -> Version Negotiation (v1, v2, grease) -> v1 '
              'Initial -> normal handshake.')


# ======================================================================================
# 19  UDP/443 dropped by the local (corporate) firewall for every server
# ======================================================================================

def case19():
    cap = Cap('19_quic_udp443_blocked_locally_all_servers.pcap', 'eth', BASE + 18 * 3600 + 919, 1919,
              client4='10.40.2.33', client_mac='c8:5b:76:0d:e4:19', gw_mac='00:09:0f:09:00:0a')
    res = Resolver('10.40.0.10', ttl=63, rtt=1.5)
    background(cap, 0, 75 * S, 22, bg_pool(19), res)
    r = cap.rng
    quic_srv = [
        Server(['play.google.com'], '142.250.186.78', None, ttl=117, rtt=9, seed=191),
        Server(['ssl.gstatic.com'], '142.250.186.35', None, ttl=117, rtt=9, seed=192),
        Server(['cloudflare-quic.com'], '104.22.0.197', None, ttl=58, rtt=8, seed=193),
        Server(['www.litespeedtech.com'], '104.26.4.134', None, ttl=58, rtt=8, seed=194),
        Server(['static.doubleclick.net'], '142.250.185.70', None, ttl=117, rtt=9, seed=195),
    ]
    t = 3 * S
    for s_ in quic_srv:
        t = resolve_pair(cap, t, res, s_.names[0], s_, want6=False) + 400
        quic_session(cap, t, cap.client4, s_, s_.names[0], answered=False,
                     pto=(300 * MS, 900 * MS, 2100 * MS, 4500 * MS))
        t += r.randint(8, 14) * S
    cap.write('quic-blocked-by-local-network',
              'Every QUIC attempt to every server fails the same way (the site firewall drops outbound UDP/443), '
              'there is no TCP or other traffic to those servers/names to compare with, and nothing is injected.',
              'eth/IPv4 corporate LAN, 22 normal TCP/TLS/HTTP flows to other servers. play.google.com, '
              'ssl.gstatic.com, cloudflare-quic.com, www.litespeedtech.com, static.doubleclick.net: normal DNS '
              'answer, QUIC v1 Initial (SNI readable) + 4 PTO retransmissions (0.3/0.9/2.1/4.5 s), never answered.')


# ======================================================================================
# 20  TLS alerts sent by the real servers
# ======================================================================================

def case20():
    cap = Cap('20_tls_alerts_from_real_server.pcap', 'raw', BASE + 19 * 3600 + 2002, 2020, client4='100.81.44.120')
    res = Resolver('10.74.210.210', ttl=63, rtt=35)
    background(cap, 0, 75 * S, 18, bg_pool(20), res)
    r = cap.rng

    def alert_flow(t, srv, sni, desc, ch, ver=b'\x03\x03'):
        f = Tcp(cap, t, cap.client4, srv, 443)
        f.connect()
        f.c_send(tls_rec(22, ch, ver=b'\x03\x01'), t=f.t + 500)
        f.s_send(tls_rec(21, bytes([2, desc]), ver=ver), start=f.t + f.rtt + r.randint(400, 1500), last_ack_delay=60)
        tf = f.t + 40
        f.s_fin(tf)
        f.C(tf + 60, 'A')
        f.c_fin(tf + 900)
        f.S(tf + 900 + f.rtt, 'A')
        return f
    # (a) legacy client offering only RC4/3DES: handshake_failure (40)
    srv = Server(['www.ssllabs.com'], '64.41.200.100', None, ttl=50, rtt=121, ipid='inc', seed=201)
    t = resolve_pair(cap, 5 * S, res, 'www.ssllabs.com', srv, want6=False) + 300
    ch = client_hello(r, 'www.ssllabs.com', profile='legacy', ciphers=[0x0005, 0x0004, 0x000a], tls13=False, alpn=None)
    alert_flow(t, srv, 'www.ssllabs.com', 40, ch)
    # (b) stale DNS: the name no longer lives on this shared host: unrecognized_name (112); a hosted name works
    shared = Server(['www.schreinerei-koch.de', 'www.baeckerei-mueller.de'], '85.13.150.20', None, ttl=54, rtt=17,
                    ipid='inc', seed=202)
    t = resolve_pair(cap, 19 * S, res, 'www.cafe-sonnenschein.de', shared, want6=False) + 300
    ch = client_hello(r, 'www.cafe-sonnenschein.de', profile='chrome')
    alert_flow(t, shared, 'www.cafe-sonnenschein.de', 112, ch)
    t = resolve_pair(cap, 31 * S, res, 'www.schreinerei-koch.de', shared, want6=False) + 300
    tls_session(cap, t, cap.client4, shared, 'www.schreinerei-koch.de', profile='chrome', nreq=3, close='cfin')
    # (c) TLS 1.0-only device: protocol_version (70)
    iot = Server(['api.smartplug-cloud.com'], '18.185.62.19', None, ttl=236, rtt=24, ipid='rand', seed=203)
    t = resolve_pair(cap, 48 * S, res, 'api.smartplug-cloud.com', iot, want6=False) + 300
    ch = client_hello(r, 'api.smartplug-cloud.com', profile='legacy', ciphers=[0x002f, 0x0035, 0x000a, 0xc013, 0xc014],
                      tls13=False, alpn=None, cver=b'\x03\x01', legacy_sid=False)
    alert_flow(t, iot, 'api.smartplug-cloud.com', 70, ch, ver=b'\x03\x01')
    cap.write('tls-alert-from-server',
              'The alerts (handshake_failure, unrecognized_name, protocol_version) are ordinary plaintext alert '
              'records sent by the servers themselves in answer to ClientHellos they cannot serve, with the servers\' '
              'TTL and IP-ID run and an orderly FIN; the shared host serves its own names normally.',
              'raw IP (DLT 101), IPv4, 18 normal flows. www.ssllabs.com: RC4/3DES-only TLS1.2 ClientHello -> Alert '
              'fatal 40 + FIN (TTL 50). 85.13.150.20: SNI www.cafe-sonnenschein.de -> Alert fatal 112 + FIN (TTL 54); '
              'SNI www.schreinerei-koch.de on the same IP -> full TLS1.3 session. api.smartplug-cloud.com: TLS1.0 '
              'ClientHello -> Alert fatal 70 + FIN (TTL 236 like its SYN/ACK).')


# ======================================================================================
# 21  legitimate 403 / 451 pages from the origin; ordinary 301/302 redirects
# ======================================================================================

CF_403 = """<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->
<head>
<title>Attention Required! | Cloudflare</title>
<meta charset="UTF-8" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="robots" content="noindex, nofollow" />
<meta name="viewport" content="width=device-width,initial-scale=1" />
<link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/cf.errors.css" />
</head>
<body>
  <div id="cf-wrapper">
    <div id="cf-error-details" class="cf-error-details-wrapper">
      <div class="cf-wrapper cf-header cf-error-overview">
        <h1 data-translate="block_headline">Sorry, you have been blocked</h1>
        <h2 class="cf-subheadline"><span data-translate="unable_to_access">You are unable to access</span> shop.outdoor-gear-example.com</h2>
      </div>
      <div class="cf-section cf-wrapper">
        <div class="cf-columns two">
          <div class="cf-column">
            <h2 data-translate="blocked_why_headline">Why have I been blocked?</h2>
            <p data-translate="blocked_why_detail">This website is using a security service to protect itself from online attacks. The action you just performed triggered the security solution. There are several actions that could trigger this block including submitting a certain word or phrase, a SQL command or malformed data.</p>
          </div>
          <div class="cf-column">
            <h2 data-translate="blocked_resolve_headline">What can I do to resolve this?</h2>
            <p data-translate="blocked_resolve_detail">You can email the site owner to let them know you were blocked. Please include what you were doing when this page came up and the Cloudflare Ray ID found at the bottom of this page.</p>
          </div>
        </div>
      </div>
      <div class="cf-error-footer cf-wrapper w-240 lg:w-full py-10 sm:py-4 sm:px-8 mx-auto text-center sm:text-left border-solid border-0 border-t border-gray-300">
        <p class="text-13">
          <span class="cf-footer-item sm:block sm:mb-1">Cloudflare Ray ID: <strong class="font-semibold">87f6b0c4ddc8bb2f</strong></span>
          <span class="cf-footer-separator sm:hidden">&bull;</span>
          <span class="cf-footer-item sm:block sm:mb-1"><span>Performance &amp; security by</span> <a rel="noopener noreferrer" href="https://www.cloudflare.com/5xx-error-landing" id="brand_link" target="_blank">Cloudflare</a></span>
        </p>
      </div>
    </div>
  </div>
</body>
</html>
"""

GDPR_451 = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>451: Unavailable due to legal reasons</title>
<style>body{font-family:Georgia,serif;max-width:40em;margin:4em auto;color:#222}</style></head>
<body>
<h1>451: Unavailable due to legal reasons</h1>
<p>We recognize you are attempting to access this website from a country belonging to the European Economic Area
(EEA) including the EU which enforces the General Data Protection Regulation (GDPR) and therefore access cannot be
granted at this time.</p>
<p>For any issues, contact digital@midwest-gazette.com.</p>
</body></html>
"""

NGINX_403 = """<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r
<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n"""

AKAMAI_403 = """<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>
 
You don't have permission to access "http&#58;&#47;&#47;www&#46;bestbuy&#46;com&#47;" on this server.<P>
Reference&#32;&#35;18&#46;8f3c1302&#46;1714989933&#46;2a4f1c9e
</BODY>
</HTML>
"""


def case21():
    cap = Cap('21_http_origin_403_451_and_redirects.pcapng', 'pcapng', BASE + 20 * 3600 + 1221, 2121,
              client4='192.168.1.71', client6='2a02:908:1b2:5e80:4d2c:8e1a:f03b:7719',
              client_mac='14:7d:da:22:6c:e0', gw_mac='e0:28:6d:55:1a:02')
    res = Resolver('192.168.1.1', ttl=64, rtt=3)
    names = ['github.com', 'mail.google.com', 'nytimes.com', 'www.nytimes.com']
    background(cap, 0, 90 * S, 20, pool_without(bg_pool(21), names), res, v6_share=0.5)
    r = cap.rng

    def one(t, srv, host, path, status, reason, headers, body, v6=False):
        t = resolve_pair(cap, t, res, host, srv, want6=True) + 300
        f = Tcp(cap, t, cap.client6 if v6 else cap.client4, srv, 80, v6=v6)
        f.connect()
        f.c_send(http_get(host, path, ua=UA_CH), t=f.t + 250)
        f.s_send(http_resp(status, reason, headers, body))
        f.close_client_first(t=f.t + r.randint(300, 1500) * MS, tls=False)
        return f.t
    # (a) a US news site's own GDPR geo-block (451)
    s1 = Server(['www.midwest-gazette.com'], '23.185.0.4', None, ttl=57, rtt=112, ipid='inc', seed=211)
    one(4 * S, s1, 'www.midwest-gazette.com', '/', 451, 'Unavailable For Legal Reasons',
        [('Server', 'nginx'), ('Content-Type', 'text/html; charset=utf-8'), ('Cache-Control', 'no-cache'),
         ('X-Served-By', 'cache-fra-eddf8230045-FRA'), ('Via', '1.1 varnish')], GDPR_451)
    # (b) Cloudflare WAF block page for one site (403)
    s2 = Server(['shop.outdoor-gear-example.com'], '104.21.48.211', '2606:4700:3030::6815:30d3', ttl=58, hlim=58,
                rtt=8, ipid='inc', seed=212)
    one(14 * S, s2, 'shop.outdoor-gear-example.com', '/search?q=%27%20OR%201%3D1--', 403, 'Forbidden',
        [('Server', 'cloudflare'), ('CF-RAY', '87f6b0c4ddc8bb2f-FRA'), ('Content-Type', 'text/html; charset=UTF-8'),
         ('X-Frame-Options', 'SAMEORIGIN'), ('Referrer-Policy', 'same-origin'),
         ('Cache-Control', 'private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0')],
        CF_403, v6=True)
    # (c) nginx default 403 for a directory without index
    s3 = Server(['files.uni-example.de'], '134.96.7.179', None, ttl=54, rtt=15, ipid='inc', seed=213)
    one(25 * S, s3, 'files.uni-example.de', '/private/', 403, 'Forbidden',
        [('Server', 'nginx/1.24.0'), ('Content-Type', 'text/html')], NGINX_403)
    # (d) Akamai edge denying a non-US visitor (AkamaiGHost)
    s4 = Server(['www.bestbuy.com'], '23.213.172.14', None, ttl=58, rtt=8, ipid='inc', seed=214)
    one(34 * S, s4, 'www.bestbuy.com', '/', 403, 'Forbidden',
        [('Server', 'AkamaiGHost'), ('Mime-Version', '1.0'), ('Content-Type', 'text/html'), ('Expires', 'Mon, 06 May 2024 10:45:33 GMT')],
        AKAMAI_403)
    # (e) http -> https redirects, followed by the TLS session
    gh = Server(['github.com'], '140.82.121.4', None, ttl=49, rtt=31, seed=215)
    t = one(45 * S, gh, 'github.com', '/', 301, 'Moved Permanently',
            [('Content-Length', '0'), ('Location', 'https://github.com/')][1:], '')
    tls_session(cap, t + 2 * MS, cap.client4, gh, 'github.com', profile='chrome', nreq=2, close='open')
    ny = Server(['nytimes.com'], '151.101.193.164', '2a04:4e42:600::164', ttl=57, hlim=57, rtt=12, ipid='rand', seed=216)
    t = one(58 * S, ny, 'nytimes.com', '/', 301, 'Moved Permanently',
            [('Server', 'Varnish'), ('Location', 'https://www.nytimes.com/'), ('X-Served-By', 'cache-fra-etou8220150-FRA')],
            '', v6=True)
    ny2 = Server(['www.nytimes.com'], '151.101.193.164', '2a04:4e42:600::164', ttl=57, hlim=57, rtt=12, ipid='rand',
                 seed=217)
    t = resolve_pair(cap, t + 1 * MS, res, 'www.nytimes.com', ny2)
    tls_session(cap, t + 300, cap.client6, ny2, 'www.nytimes.com', v6=True, profile='chrome', nreq=3, close='open')
    gm = Server(['mail.google.com'], '142.250.185.101', '2a00:1450:4001:80b::2005', ttl=117, hlim=117, rtt=9,
                ipid='zero', seed=218)
    t = one(71 * S, gm, 'mail.google.com', '/', 302, 'Found',
            [('Location', 'https://mail.google.com/mail/'), ('Content-Type', 'text/html; charset=UTF-8'),
             ('Server', 'GSE')],
            '<HTML><HEAD><meta http-equiv="content-type" content="text/html;charset=utf-8">\n<TITLE>302 Moved</TITLE>'
            '</HEAD><BODY>\n<H1>302 Moved</H1>\nThe document has moved\n<A HREF="https://mail.google.com/mail/">here</A>.'
            '\r\n</BODY></HTML>\r\n', v6=True)
    tls_session(cap, t + 2 * MS, cap.client6, gm, 'mail.google.com', v6=True, profile='chrome', nreq=2, close='open')
    cap.write('origin-403-451-and-redirects',
              'Each 403/451/301/302 is the only response on its connection, comes from the origin/CDN edge with the '
              'same TTL and IP-ID run as its SYN/ACK, after a full RTT plus server time, and carries the site\'s or '
              'CDN\'s own page (GDPR geo-block, Cloudflare WAF, nginx, AkamaiGHost) or a redirect to the same site '
              'over https, which then works.',
              'pcapng/Ethernet, dual stack, 20 normal flows. HTTP: www.midwest-gazette.com 451 GDPR page; '
              'shop.outdoor-gear-example.com (IPv6) Cloudflare "Attention Required! / Sorry, you have been blocked" '
              '403; files.uni-example.de nginx 403; www.bestbuy.com AkamaiGHost "Access Denied" 403; github.com 301 '
              '-> https (TLS follows); nytimes.com (IPv6) 301 -> https://www.nytimes.com/ (TLS follows); '
              'mail.google.com (IPv6) 302 -> https (TLS follows).')


# ======================================================================================
# 22  genuine single answers whose addresses lie in GFW forged-answer space
# ======================================================================================

def case22():
    cap = Cap('22_dns_genuine_answers_in_poison_ip_space.pcap', 'eth', BASE + 21 * 3600 + 2222, 2222,
              client4='192.168.1.88', client_mac='ac:de:48:00:11:22', gw_mac='b0:4e:26:7a:3c:d1')
    res = Resolver('192.168.1.1', ttl=64, rtt=24)
    names = ['www.google.com', 'mail.google.com', 'www.facebook.com', 'www.dropbox.com', 'twitter.com']
    background(cap, 0, 80 * S, 18, pool_without(bg_pool(22), names), res)
    r = cap.rng
    # www.google.com -> a Google address that also appears in old lists of forged answers
    t = 4 * S
    sp = r.randint(33000, 60999)
    x = dns(cap, t, res, 'www.google.com', 'A', an=[A('www.google.com', '74.125.127.102', 300)], sport=sp, rtt=26)
    dns(cap, t + 80, res, 'www.google.com', 'AAAA', an=[AAAA('www.google.com', '2a00:1450:4001:82b::2004', 300)],
        sport=sp, rtt=27)
    gs = Server(['www.google.com'], '74.125.127.102', None, ttl=117, rtt=11, ipid='zero', seed=221)
    tls_session(cap, x + 300, cap.client4, gs, 'www.google.com', profile='chrome', nreq=3, close='open')
    # same name again 30 s later from another app: router cache hit, answered in 0.7 ms with decremented TTL
    sp = r.randint(33000, 60999)
    x = dns(cap, t + 30 * S, res, 'www.google.com', 'A', an=[A('www.google.com', '74.125.127.102', 270)], sport=sp,
            rtt=0.7)
    gs2 = Server(['www.google.com'], '74.125.127.102', None, ttl=117, rtt=11, ipid='zero', seed=229)
    tls_session(cap, x + 300, cap.client4, gs2, 'www.google.com', profile='firefox', nreq=1, close='cfin')
    # mail.google.com
    t = 12 * S
    x = dns(cap, t, res, 'mail.google.com', 'A', an=[A('mail.google.com', '74.125.39.113', 300)], rtt=29)
    gm = Server(['mail.google.com'], '74.125.39.113', None, ttl=117, rtt=11, ipid='zero', seed=222)
    tls_session(cap, x + 300, cap.client4, gm, 'mail.google.com', profile='chrome', nreq=2, close='open')
    # www.facebook.com: CNAME star-mini + Facebook addresses (v4 and the face:b00c v6)
    t = 22 * S
    sp = r.randint(33000, 60999)
    fch = CNAME('www.facebook.com', 'star-mini.c10r.facebook.com', 3600)
    x = dns(cap, t, res, 'www.facebook.com', 'A', an=[fch, A('star-mini.c10r.facebook.com', '157.240.241.35', 60)],
            sport=sp, rtt=31)
    dns(cap, t + 70, res, 'www.facebook.com', 'AAAA',
        an=[fch, AAAA('star-mini.c10r.facebook.com', '2a03:2880:f184:83:face:b00c:0:25de', 60)], sport=sp, rtt=33)
    fb = Server(['www.facebook.com'], '157.240.241.35', None, ttl=55, rtt=14, ipid='inc', seed=223)
    tls_session(cap, x + 300, cap.client4, fb, 'www.facebook.com', profile='chrome', nreq=3, close='open')
    # www.dropbox.com
    t = 41 * S
    x = dns(cap, t, res, 'www.dropbox.com', 'A', an=[CNAME('www.dropbox.com', 'www-env.dropbox-dns.com', 300),
                                                     A('www-env.dropbox-dns.com', '162.125.66.18', 60)], rtt=35)
    db = Server(['www.dropbox.com'], '162.125.66.18', None, ttl=56, rtt=16, ipid='inc', seed=224)
    tls_session(cap, x + 300, cap.client4, db, 'www.dropbox.com', profile='chrome', nreq=2, close='cfin')
    # twitter.com: A-only answer (answer TTL 1800), from a client that sends no EDNS
    t = 55 * S
    x = dns(cap, t, res, 'twitter.com', 'A', an=[A('twitter.com', '104.244.42.193', 1800)], rtt=28, edns=False)
    tw = Server(['twitter.com'], '104.244.42.193', None, ttl=54, rtt=18, ipid='inc', seed=225)
    tls_session(cap, x + 300, cap.client4, tw, 'twitter.com', profile='firefox', nreq=2, close='cfin')
    cap.write('genuine-answer-in-forged-address-space',
              'Every name gets exactly one answer from the normal resolver with ordinary latency and proper '
              'structure (CNAME chains, EDNS echoed where asked); the addresses belong to the companies that own the '
              'names (Google, Facebook, Dropbox, Twitter) and TLS with those SNIs completes - a lone answer in '
              '"poison-pool" space is not evidence of forgery.',
              'eth/IPv4, 18 normal flows. www.google.com -> 74.125.127.102 and mail.google.com -> 74.125.39.113 '
              '(Google addresses listed in old forged-answer lists); repeat lookup answered from the router cache in '
              '0.7 ms; www.facebook.com -> star-mini CNAME -> 157.240.241.35 / 2a03:2880:f184:83:face:b00c:0:25de; '
              'www.dropbox.com -> 162.125.66.18; twitter.com -> 104.244.42.193 (no EDNS, AN=1). TLS to each works.')


# ======================================================================================
# 23  broken IPv6 at the client: every IPv6 SYN unanswered, Happy Eyeballs falls back
# ======================================================================================

def case23():
    cap = Cap('23_ipv6_broken_happy_eyeballs.pcap', 'sll2', BASE + 22 * 3600 + 3303, 2323,
              client4='192.168.0.34', client6='2a02:a212:2b82:c400:6d3e:1f2a:8b4c:91e7',
              client_mac='e4:5f:01:9a:3b:44', gw_mac='c0:25:e9:10:77:aa')
    res = Resolver('192.168.0.1', ttl=64, rtt=4)
    pool = bg_pool(23)
    r = cap.rng
    resolved = set()
    times = sorted(r.randint(0, 80 * S) for _ in range(24))
    for ts in times:
        srv = r.choice(pool)
        name = r.choice(srv.names)
        t = ts
        if name not in resolved:
            t = resolve_pair(cap, t, res, name, srv, want6=True) + 300
            resolved.add(name)
        if srv.ip6:
            v6 = Tcp(cap, t, cap.client6, srv, 443, v6=True)
            v6.connect(synack=False)
            t += 250 * MS                      # Happy Eyeballs connection attempt delay
        tls_session(cap, t, cap.client4, srv, name)
    cap.write('ipv6-broken-at-client',
              'IPv6 connectivity is broken at the client: every IPv6 SYN to every server goes unanswered while the '
              'same names work over IPv4 250 ms later (Happy Eyeballs); the failure is family-wide, not '
              'destination-specific, and nothing is injected.',
              'Linux SLL2, dual stack, 24 flows. A and AAAA answered normally; for each dual-stack server one IPv6 '
              'SYN (no answer, no retransmission - the attempt is cancelled), then the IPv4 connection and TLS '
              'session succeed.')


# ======================================================================================
# 24  IPv6-only client behind NAT64/DNS64
# ======================================================================================

def nat64(ip4):
    a, b, c, d = map(int, ip4.split('.'))
    return '64:ff9b::%x:%x' % ((a << 8) | b, (c << 8) | d)


def case24():
    cap = Cap('24_dns64_nat64_ipv6_only.pcap', 'raw', BASE + 23 * 3600 + 404, 2424,
              client6='2a01:598:b1a2:3c4d:1f:8e22:91aa:5c31')
    res = Resolver('2a01:598:7ff:0:10:74:210:221', ttl=63, rtt=31, v6=True)
    r = cap.rng
    t = 1 * S
    dns(cap, t, res, 'ipv4only.arpa', 'AAAA', an=[AAAA('ipv4only.arpa', '64:ff9b::c000:aa', 1800),
                                                 AAAA('ipv4only.arpa', '64:ff9b::c000:ab', 1800)], rtt=33)
    pool = bg_pool(24)
    import copy
    xl = []
    for s_ in pool:
        c = copy.copy(s_)
        if not s_.ip6:
            c.ip6 = nat64(s_.ip4)
            c.hlim = s_.ttl - 1
            c.synth = True
        else:
            c.synth = False
        xl.append(c)
    resolved = set()
    times = sorted(r.randint(2 * S, 80 * S) for _ in range(24))
    forced = ['github.com', 'news.ycombinator.com', 'zoom.us', 'www.wikipedia.org']
    for k, ts in enumerate(times):
        if k < len(forced):
            srv = [s_ for s_ in xl if forced[k] in s_.names][0]
            name = forced[k]
        else:
            srv = r.choice(xl)
            name = r.choice(srv.names)
        t = ts
        if name not in resolved:
            sp = r.randint(33000, 60999)
            t1 = dns(cap, t, res, name, 'AAAA', an=[AAAA(name, srv.ip6, min(srv.dttl, 600))], sport=sp,
                     rtt=(res.rtt + r.randint(0, 9000)) / MS)
            t2 = dns(cap, t + 60, res, name, 'A', an=[A(name, srv.ip4, srv.dttl)], sport=sp,
                     rtt=(res.rtt + r.randint(0, 9000)) / MS)
            t = max(t1, t2) + 300
            resolved.add(name)
        tls_session(cap, t, cap.client6, srv, name, v6=True)
    cap.write('dns64-synthesized-addresses',
              'On an IPv6-only mobile network the DNS64 resolver synthesizes AAAA records inside the well-known '
              'NAT64 prefix 64:ff9b::/96 (including the RFC 7050 ipv4only.arpa probe that embeds 192.0.0.170/171); '
              'these are not bogon or forged answers, and the connections through NAT64 work.',
              'raw IP (DLT 101), IPv6 only, 24 flows. ipv4only.arpa AAAA -> 64:ff9b::c000:aa/ab; IPv4-only sites '
              '(github.com, news.ycombinator.com, zoom.us, ...) -> 64:ff9b::<v4> AAAA plus their real A; native '
              'IPv6 sites get native AAAA; all TLS sessions over IPv6 complete.')


# ======================================================================================

CASES = [case01, case02, case03, case04, case05, case06, case07, case08, case09, case10, case11, case12, case13,
         case14, case15, case16, case17, case18, case19, case20, case21, case22, case23, case24]


def main():
    global OUT
    if len(sys.argv) < 2:
        sys.exit("usage: blind_benign.py OUTDIR [CASE...]")
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[2:])
    for c in CASES:
        if only and c.__name__ not in only:
            continue
        c()
    if not only:
        with open(os.path.join(OUT, 'expect.json'), 'w') as f:
            json.dump(EXPECT, f, indent=2, sort_keys=True)
            f.write('\n')


if __name__ == '__main__':
    main()
