# ruff: noqa: E501, E741, F841, RUF034, RUF046, UP031
# Helper library for gen.py: packet builders, capture writers, TCP/TLS/DNS helpers.
# Deterministic: no wall clock, no os.urandom; every random value comes from a seeded Random.
import ipaddress
import random
import struct

NS = 1_000_000_000


def tns(t):
    """seconds (float) -> integer nanoseconds"""
    return int(round(t * 1e9))


# ----------------------------------------------------------------------------- checksums / L3/L4

def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def fold(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def is6(a):
    return ':' in a


def ab(a):
    return ipaddress.ip_address(a).packed


def pseudo(src, dst, proto, length):
    if is6(src):
        return ab(src) + ab(dst) + struct.pack('!IxxxB', length, proto)
    return ab(src) + ab(dst) + struct.pack('!xBH', proto, length)


def ipv4(src, dst, proto, payload, ttl=64, ipid=0, df=True, tos=0, total_len=None):
    tl = 20 + len(payload) if total_len is None else total_len
    h = struct.pack('!BBHHHBBH4s4s', 0x45, tos, tl & 0xffff, ipid & 0xffff, 0x4000 if df else 0,
                    ttl, proto, 0, ab(src), ab(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, hlim=64, tc=0, fl=0):
    return struct.pack('!IHBB16s16s', (6 << 28) | (tc << 20) | fl, len(payload), nh, hlim,
                       ab(src), ab(dst)) + payload


def ip(src, dst, proto, payload, ttl=64, ipid=0, df=True, tos=0, fl=0):
    if is6(src):
        return ipv6(src, dst, proto, payload, hlim=ttl, tc=tos, fl=fl)
    return ipv4(src, dst, proto, payload, ttl=ttl, ipid=ipid, df=df, tos=tos)


TCPF = {'F': 1, 'S': 2, 'R': 4, 'P': 8, 'A': 16, 'U': 32, 'E': 64, 'C': 128}


def tcp_opts(opts):
    out = b''
    for o in opts:
        k = o[0]
        if k == 'NOP':
            out += b'\x01'
        elif k == 'MSS':
            out += struct.pack('!BBH', 2, 4, o[1])
        elif k == 'WS':
            out += struct.pack('!BBB', 3, 3, o[1])
        elif k == 'SACKOK':
            out += b'\x04\x02'
        elif k == 'SACK':
            out += struct.pack('!BB', 5, 2 + 8 * len(o[1])) + b''.join(struct.pack('!II', a, b) for a, b in o[1])
        elif k == 'TS':
            out += struct.pack('!BBII', 8, 10, o[1] & 0xffffffff, o[2] & 0xffffffff)
        elif k == 'TFO':
            out += struct.pack('!BB', 34, 2 + len(o[1])) + o[1]
        elif k == 'RAW':
            out += o[1]
        else:
            raise ValueError(k)
    while len(out) % 4:
        out += b'\x00'
    return out


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b'', win=64240, opts=(), chk=None, urg=0):
    f = 0
    for ch in flags:
        f |= TCPF[ch]
    o = tcp_opts(opts)
    off = (20 + len(o)) // 4
    h = struct.pack('!HHIIHHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff, (off << 12) | f, win, 0, urg) + o
    seg = h + payload
    if chk is None:
        c = csum(pseudo(src, dst, 6, len(seg)) + seg)
    elif chk == 'offload':            # CHECKSUM_PARTIAL: only the pseudo-header sum is in the field
        c = fold(pseudo(src, dst, 6, len(seg)))
    else:
        c = chk
    return seg[:16] + struct.pack('!H', c) + seg[18:]


def udp(src, dst, sport, dport, payload, chk=None):
    l = 8 + len(payload)
    h = struct.pack('!HHHH', sport, dport, l, 0)
    if chk is None:
        c = csum(pseudo(src, dst, 17, l) + h + payload) or 0xffff
    elif chk == 'offload':
        c = fold(pseudo(src, dst, 17, l))
    else:
        c = chk
    return h[:6] + struct.pack('!H', c) + payload


def icmp_unreach(src, dst, orig, code=3, ttl=64, ipid=0):
    """ICMP / ICMPv6 port unreachable quoting orig (an IP packet)."""
    if is6(src):
        body = struct.pack('!BBHI', 1, 4, 0, 0) + orig[:1232 - 48]
        c = csum(pseudo(src, dst, 58, len(body)) + body)
        body = body[:2] + struct.pack('!H', c) + body[4:]
        return ipv6(src, dst, 58, body, hlim=ttl)
    body = struct.pack('!BBHI', 3, code, 0, 0) + orig[:28 + 0]
    body = body[:2] + struct.pack('!H', csum(body)) + body[4:]
    return ipv4(src, dst, 1, body, ttl=ttl, ipid=ipid, df=False, tos=0xc0)


def l3_set_ttl(pkt, ttl):
    if pkt[0] >> 4 == 6:
        return pkt[:7] + bytes([ttl]) + pkt[8:]
    h = pkt[:8] + bytes([ttl]) + pkt[9:10] + b'\0\0' + pkt[12:20]
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + pkt[20:]


# ----------------------------------------------------------------------------- link layers

def mac(s):
    return bytes.fromhex(s.replace(':', ''))


def ethertype(l3):
    return 0x86dd if l3[0] >> 4 == 6 else 0x0800


class Eth:
    def __init__(self, local, peer, vlan=None):
        self.local, self.peer, self.vlan = mac(local), mac(peer), vlan
        self.linktype = 1

    def frame(self, l3, out, **kw):
        src, dst = (self.local, self.peer) if out else (self.peer, self.local)
        src = mac(kw['src']) if 'src' in kw else src
        dst = mac(kw['dst']) if 'dst' in kw else dst
        et = kw.get('et', ethertype(l3))
        vl = kw.get('vlan', self.vlan)
        if vl is not None:
            return dst + src + struct.pack('!HHH', 0x8100, vl, et) + l3
        return dst + src + struct.pack('!H', et) + l3


class SLL:
    """LINUX_SLL (113), as tcpdump -i any writes it"""
    def __init__(self, local, peer, hatype=1):
        self.local, self.peer, self.hatype = mac(local), mac(peer), hatype
        self.linktype = 113

    def frame(self, l3, out, **kw):
        pkttype = kw.get('pkttype', 4 if out else 0)
        hatype = kw.get('hatype', self.hatype)
        addr = kw.get('addr', self.local if out else self.peer)
        return struct.pack('!HHH', pkttype, hatype, len(addr)) + addr.ljust(8, b'\0') + \
            struct.pack('!H', kw.get('et', ethertype(l3))) + l3


class SLL2:
    """LINUX_SLL2 (276)"""
    def __init__(self, local, peer, ifindex, hatype=1):
        self.local, self.peer, self.ifindex, self.hatype = mac(local), mac(peer), ifindex, hatype
        self.linktype = 276

    def frame(self, l3, out, **kw):
        pkttype = kw.get('pkttype', 4 if out else 0)
        addr = kw.get('addr', self.local if out else self.peer)
        return struct.pack('!HHIHBB', kw.get('et', ethertype(l3)), 0, kw.get('ifindex', self.ifindex),
                           kw.get('hatype', self.hatype), pkttype, len(addr)) + addr.ljust(8, b'\0') + l3


class Raw:
    linktype = 101

    def frame(self, l3, out, **kw):
        return l3


# ----------------------------------------------------------------------------- capture + writers

class Cap:
    """Collects frames; writes classic pcap (us/ns) or pcapng (several interfaces)."""

    def __init__(self, ifaces, fmt='pcap', shb=None, isb=False):
        # ifaces: list of dicts: link (object with .frame/.linktype), name, tsres (6|9), snaplen
        self.ifaces = ifaces
        self.fmt = fmt
        self.shb = shb or {}
        self.isb = isb
        self.recs = []
        self.n = 0

    def emit(self, t, l3, out, iface=0, ts=None, order=None, **kw):
        fr = self.ifaces[iface]['link'].frame(l3, out, **kw)
        self.add_frame(t, fr, iface, ts=ts, order=order)
        return fr

    def add_frame(self, t, frame, iface=0, ts=None, order=None):
        self.recs.append(dict(order=tns(t) if order is None else tns(order), n=self.n, iface=iface,
                              ts=tns(t) if ts is None else tns(ts), frame=frame))
        self.n += 1

    def sorted(self):
        return sorted(self.recs, key=lambda r: (r['order'], r['n']))

    def write(self, path, isb_times=None):
        recs = self.sorted()
        if self.fmt == 'pcap':
            ifc = self.ifaces[0]
            ns_res = ifc.get('tsres', 6) == 9
            snap = ifc.get('snaplen', 262144)
            with open(path, 'wb') as f:
                f.write(struct.pack('<IHHiIII', 0xa1b23c4d if ns_res else 0xa1b2c3d4, 2, 4, 0, 0, snap,
                                    ifc['link'].linktype))
                for r in recs:
                    sec, rem = divmod(r['ts'] + ((r['n'] * 2654435761) % 239 if ns_res else 0), NS)
                    frac = rem if ns_res else rem // 1000
                    data = r['frame'][:snap]
                    f.write(struct.pack('<IIII', sec, frac, len(data), len(r['frame'])) + data)
            return
        # pcapng
        def opt(code, val):
            return struct.pack('<HH', code, len(val)) + val + b'\0' * (-len(val) % 4)

        def block(btype, body):
            l = 12 + len(body)
            return struct.pack('<II', btype, l) + body + struct.pack('<I', l)

        out = b''
        o = b''
        for code, key in ((2, 'hardware'), (3, 'os'), (4, 'userappl')):
            if key in self.shb:
                o += opt(code, self.shb[key].encode())
        if o:
            o += opt(0, b'')
        out += block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1) + o)
        for ifc in self.ifaces:
            o = opt(2, ifc['name'].encode())
            if ifc.get('desc'):
                o += opt(3, ifc['desc'].encode())
            if ifc.get('filter') is not None:
                o += opt(11, b'\0' + ifc['filter'].encode())
            o += opt(9, bytes([ifc.get('tsres', 6)]))
            if ifc.get('os'):
                o += opt(12, ifc['os'].encode())
            o += opt(0, b'')
            out += block(1, struct.pack('<HHI', ifc['link'].linktype, 0, ifc.get('snaplen', 262144)) + o)
        counts = [0] * len(self.ifaces)
        for r in recs:
            ifc = self.ifaces[r['iface']]
            div = 1 if ifc.get('tsres', 6) == 9 else 1000
            ts = r['ts'] // div
            if div == 1:   # float epoch arithmetic quantises to 2^-22 s; spread the low bits deterministically
                ts += (r['n'] * 2654435761) % 239
            data = r['frame'][:ifc.get('snaplen', 262144)]
            body = struct.pack('<IIIII', r['iface'], ts >> 32, ts & 0xffffffff, len(data), len(r['frame']))
            body += data + b'\0' * (-len(data) % 4)
            out += block(6, body)
            counts[r['iface']] += 1
        if self.isb and isb_times:
            start, end = isb_times
            for i, ifc in enumerate(self.ifaces):
                div = 1 if ifc.get('tsres', 6) == 9 else 1000
                s, e = tns(start) // div, tns(end) // div
                o = opt(2, struct.pack('<II', s >> 32, s & 0xffffffff))
                o += opt(3, struct.pack('<II', e >> 32, e & 0xffffffff))
                o += opt(4, struct.pack('<Q', counts[i]))
                o += opt(5, struct.pack('<Q', 0))
                o += opt(7, struct.pack('<Q', 0))
                o += opt(8, struct.pack('<Q', counts[i]))
                o += opt(0, b'')
                out += block(5, struct.pack('<III', i, e >> 32, e & 0xffffffff) + o)
        with open(path, 'wb') as f:
            f.write(out)


# ----------------------------------------------------------------------------- TCP flow

class Tcp:
    """One TCP connection seen at the capture point (normally the client).
    Times passed in are capture timestamps. Client sends at t; server packets are stamped when they arrive."""

    def __init__(self, cap, c, s, cport, sport, rng, rtt=0.02, s_ttl=56, c_ttl=64, iface=0,
                 c_mss=1460, s_mss=1460, c_ws=7, s_ws=7, ts=True, sack=True, c_win=64240, s_win=65160,
                 c_isn=None, s_isn=None, c_ipid=None, s_ipid=None, s_synack_id0=True, s_df=True,
                 linkkw_c=None, linkkw_s=None, s_ts_hz=1000, c_tsoff=None, s_tsoff=None, chk_c=None, t0=0.0,
                 gso=False):
        self.cap, self.c, self.s, self.cport, self.sport, self.rng = cap, c, s, cport, sport, rng
        self.rtt, self.s_ttl, self.c_ttl, self.iface = rtt, s_ttl, c_ttl, iface
        self.c_mss, self.s_mss, self.c_ws, self.s_ws, self.ts, self.sack = c_mss, s_mss, c_ws, s_ws, ts, sack
        self.c_win0, self.s_win0 = c_win, s_win
        self.c_isn = rng.getrandbits(32) if c_isn is None else c_isn
        self.s_isn = rng.getrandbits(32) if s_isn is None else s_isn
        self.cn = self.c_isn          # client next seq
        self.sn = self.s_isn          # server next seq
        self.c_rcv = None             # client's rcv_nxt (server seq)
        self.s_rcv = None             # server's rcv_nxt (client seq)
        self.c_ipid = rng.getrandbits(16) if c_ipid is None else c_ipid
        self.s_ipid = rng.getrandbits(16) if s_ipid is None else s_ipid
        self.s_synack_id0 = s_synack_id0
        self.s_df = s_df
        self.c_tsoff = rng.getrandbits(32) if c_tsoff is None else c_tsoff
        self.s_tsoff = rng.getrandbits(32) if s_tsoff is None else s_tsoff
        self.s_ts_hz = s_ts_hz
        self.c_last_ts = 0
        self.s_last_ts = 0
        self.lk_c = linkkw_c or {}
        self.lk_s = linkkw_s or {}
        self.chk_c = chk_c
        self.gso = gso
        self.v6 = is6(c)
        self.c_win = 502 if c_ws is not None else c_win   # scaled window after handshake
        self.s_win = 501 if s_ws is not None else s_win
        self.frames = []
        self.closed = False

    # timestamps option values
    def _tsv(self, frm, t):
        if frm == 'c':
            return (self.c_tsoff + int(t * 1000)) & 0xffffffff
        return (self.s_tsoff + int(t * self.s_ts_hz)) & 0xffffffff

    def pkt(self, t, frm, flags, data=b'', seq=None, ack=None, win=None, ttl=None, ipid=None, opts=None,
            tos=0, chk=None, df=None, advance=True, deliver=True, ts=None, order=None, total_len=None, ecr=None,
            gro_first=None, **kw):
        if frm == 'c':
            src, dst, sp, dp = self.c, self.s, self.cport, self.sport
            sq = self.cn if seq is None else seq
            ak = (self.c_rcv or 0) if ack is None else ack
            w = self.c_win if win is None else win
            tt = self.c_ttl if ttl is None else ttl
            if ipid is None:
                ipid = self.c_ipid
                self.c_ipid = (self.c_ipid + 1) & 0xffff
            lk = dict(self.lk_c)
            out = True
            if chk is None:
                chk = self.chk_c
        else:
            src, dst, sp, dp = self.s, self.c, self.sport, self.cport
            sq = self.sn if seq is None else seq
            ak = (self.s_rcv or 0) if ack is None else ack
            w = self.s_win if win is None else win
            tt = self.s_ttl if ttl is None else ttl
            if ipid is None:
                ipid = self.s_ipid
                self.s_ipid = (self.s_ipid + 1) & 0xffff
            lk = dict(self.lk_s)
            out = False
        lk.update(kw)
        if 'A' not in flags:
            ak = 0
        if opts is None:
            opts = []
            if self.ts and 'R' not in flags:
                tsv = self._tsv(frm, t)
                if ecr is None:
                    ecr = self.s_last_ts if frm == 'c' else self.c_last_ts
                opts = [('NOP',), ('NOP',), ('TS', tsv, ecr)]
        for o in opts:
            if o[0] == 'TS':
                if frm == 'c':
                    self.c_last_ts = o[1]
                else:
                    self.s_last_ts = o[1]
        if gro_first:
            first = tcp(src, dst, sp, dp, sq, ak, flags, data[:gro_first], win=w, opts=opts)
            chk = struct.unpack('!H', first[16:18])[0]
        seg = tcp(src, dst, sp, dp, sq, ak, flags, data, win=w, opts=opts, chk=chk)
        if df is None:
            df = True if frm == 'c' else self.s_df
        if is6(src):
            l3 = ipv6(src, dst, 6, seg, hlim=tt, tc=tos)
        else:
            l3 = ipv4(src, dst, 6, seg, ttl=tt, ipid=ipid, df=df, tos=tos, total_len=total_len)
        self.cap.emit(t, l3, out, iface=self.iface, ts=ts, order=order, **lk)
        ln = len(data) + (1 if 'S' in flags else 0) + (1 if 'F' in flags else 0)
        if advance and seq is None:
            if frm == 'c':
                self.cn += ln
            else:
                self.sn += ln
        if deliver and ln:
            end = sq + ln
            if frm == 'c':
                if self.s_rcv is None or ((end - self.s_rcv) & 0xffffffff) < 0x80000000:
                    self.s_rcv = end & 0xffffffff
            else:
                if self.c_rcv is None or ((end - self.c_rcv) & 0xffffffff) < 0x80000000:
                    self.c_rcv = end & 0xffffffff
        return l3

    # --- handshake
    def syn_opts(self, t, tfo=None):
        o = [('MSS', self.c_mss)]
        if self.sack:
            o.append(('SACKOK',))
        if self.ts:
            o.append(('TS', self._tsv('c', t), 0))
        else:
            o += [('NOP',), ('NOP',)] if self.sack else []
        if self.c_ws is not None:
            o += [('NOP',), ('WS', self.c_ws)]
        if tfo is not None:
            o += [('NOP',), ('NOP',), ('TFO', tfo)] if tfo else [('TFO', b''), ('NOP',), ('NOP',)]
        return o

    def synack_opts(self, t, tfo=None, mss=None):
        o = [('MSS', self.s_mss if mss is None else mss)]
        if self.sack:
            o.append(('SACKOK',))
        if self.ts:
            o.append(('TS', self._tsv('s', t), self.c_last_ts))
        if self.c_ws is not None and self.s_ws is not None:
            o += [('NOP',), ('WS', self.s_ws)]
        if tfo:
            o += [('NOP',), ('NOP',), ('TFO', tfo)]
        return o

    def syn(self, t, data=b'', tfo=None, **kw):
        return self.pkt(t, 'c', kw.pop('flags', 'S'), data, win=self.c_win0, opts=self.syn_opts(t, tfo), **kw)

    def synack(self, t, tfo=None, mss=None, ack=None, **kw):
        ipid = 0 if self.s_synack_id0 and not self.v6 else None
        return self.pkt(t, 's', kw.pop('flags', 'SA'), win=self.s_win0, opts=self.synack_opts(t, tfo, mss),
                        ipid=ipid, ack=ack, **kw)

    def handshake(self, t, gap=0.00004):
        self.syn(t)
        self.synack(t + self.rtt)
        self.pkt(t + self.rtt + gap, 'c', 'A')
        return t + self.rtt + gap

    # --- data
    def seg_size(self, frm):
        mss = self.s_mss if frm == 'c' else self.c_mss
        mss = min(self.c_mss, self.s_mss)
        return mss - (12 if self.ts else 0)

    def send(self, t, frm, data, gap=0.00002, seg=None):
        """Send data in MSS-sized segments, all at ~t. Returns time of last segment."""
        seg = seg or self.seg_size(frm)
        chunks = [data[i:i + seg] for i in range(0, len(data), seg)] or [b'']
        for i, ch in enumerate(chunks):
            fl = 'PA' if i == len(chunks) - 1 else 'A'
            self.pkt(t + i * gap, frm, fl, ch)
        return t + (len(chunks) - 1) * gap

    def ack(self, t, frm='c', **kw):
        return self.pkt(t, frm, 'A', **kw)

    def download(self, t, data, bw=50e6, init_cwnd=10, ack_every=2, first_gap=None, client_acks=True, cwnd_cap=None):
        """server->client bulk transfer from time t (first segment arrives at t). Slow start per RTT.
        Returns time of last packet (client's final ACK)."""
        seg = self.seg_size('s')
        chunks = [data[i:i + seg] for i in range(0, len(data), seg)]
        ser = (seg + 66) * 8 / bw
        cwnd = init_cwnd
        cap = cwnd_cap or max(init_cwnd, int(bw * self.rtt / 8 / seg) + 4)
        i = 0
        tt = t
        last = t
        while i < len(chunks) and self.gso:
            flight = chunks[i:i + cwnd]
            fstart = tt
            j = 0
            while j < len(flight):
                k = self.rng.randint(2, 44)
                grp = flight[j:j + k]
                ta = fstart + (j + len(grp) - 1) * ser
                fl = 'PA' if (i + j + len(grp) >= len(chunks) or j + len(grp) >= len(flight)) else 'A'
                self.pkt(ta, 's', fl, b''.join(grp), gro_first=len(grp[0]) if len(grp) > 1 else None)
                last = ta
                if client_acks:
                    self.pkt(ta + 0.000015, 'c', 'A')
                    last = ta + 0.000015
                j += len(grp)
            i += len(flight)
            tt = max(fstart + self.rtt, last + ser)
            cwnd = min(cwnd * 2, cap)
        while i < len(chunks):
            flight = chunks[i:i + cwnd]
            fstart = tt
            for j, ch in enumerate(flight):
                ta = fstart + j * ser
                fl = 'PA' if (i + j == len(chunks) - 1 or j == len(flight) - 1) else 'A'
                self.pkt(ta, 's', fl, ch)
                last = ta
                if client_acks and ((j + 1) % ack_every == 0 or i + j == len(chunks) - 1):
                    self.pkt(ta + 0.000015, 'c', 'A')
                    last = ta + 0.000015
            i += len(flight)
            tt = max(fstart + self.rtt, last + ser)
            cwnd = min(cwnd * 2, cap)
        return last

    def upload(self, t, data, bw=50e6, init_cwnd=10):
        seg = self.seg_size('c')
        chunks = [data[i:i + seg] for i in range(0, len(data), seg)]
        ser = (seg + 66) * 8 / bw
        cwnd = init_cwnd
        cap = max(init_cwnd, int(bw * self.rtt / 8 / seg) + 4)
        i = 0
        tt = t
        last = t
        while i < len(chunks):
            flight = chunks[i:i + cwnd]
            if self.gso:
                j = 0
                while j < len(flight):
                    k = self.rng.randint(4, 44)
                    grp = flight[j:j + k]
                    ta = tt + j * ser
                    self.pkt(ta, 'c', 'PA' if j + len(grp) >= len(flight) else 'A', b''.join(grp))
                    last = ta
                    j += len(grp)
            else:
                for j, ch in enumerate(flight):
                    ta = tt + j * ser
                    self.pkt(ta, 'c', 'PA' if j == len(flight) - 1 else 'A', ch)
                    last = ta
            # acks for this flight arrive one rtt later (every 2 segs)
            n = len(flight)
            for j in range(1, n + 1):
                if j % 2 == 0 or j == n:
                    # ack value = end of seg j of this flight
                    end = (self.cn - sum(len(x) for x in flight[j:])) & 0xffffffff
                    self.pkt(tt + self.rtt + j * ser, 's', 'A', ack=end)
                    last = max(last, tt + self.rtt + j * ser)
            i += n
            tt = max(tt + self.rtt, tt + n * ser) + ser
            cwnd = min(cwnd * 2, cap)
        return last

    def close(self, t, who='c', gap=None):
        """Orderly FIN close initiated by `who` at t. Returns time of last packet."""
        if who == 'c':
            self.pkt(t, 'c', 'FA')
            self.pkt(t + self.rtt, 's', 'FA')
            self.pkt(t + self.rtt + 0.00003, 'c', 'A')
            self.closed = True
            return t + self.rtt + 0.00003
        self.pkt(t, 's', 'FA')
        g = 0.00025 if gap is None else gap
        self.pkt(t + g, 'c', 'FA')
        self.pkt(t + g + self.rtt, 's', 'A')
        self.closed = True
        return t + g + self.rtt


# ----------------------------------------------------------------------------- TLS records

def rec(ctype, body, ver=0x0303):
    return struct.pack('!BHH', ctype, ver, len(body)) + body


def hs(htype, body):
    return struct.pack('!B', htype) + struct.pack('!I', len(body))[1:] + body


def ext(t, body):
    return struct.pack('!HH', t, len(body)) + body


def v8(b):
    return struct.pack('!B', len(b)) + b


def v16(b):
    return struct.pack('!H', len(b)) + b


def v24(b):
    return struct.pack('!I', len(b))[1:] + b


GREASE = [0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba,
          0xcaca, 0xdada, 0xeaea, 0xfafa]

HRR_RANDOM = bytes.fromhex('CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C')


def client_hello(rng, sni, style='chrome', alpn=(b'h2', b'http/1.1'), ech_grease=None, mlkem=None,
                 key_shares=None, psk=None, early_data=False, cookie=None, sessid=None, rnd=None,
                 groups=None, tls12_only=False, ciphers=None, ech_real=None, grease=None):
    """Returns (record bytes, params). style: chrome | firefox | curl"""
    rnd = rnd or rng.randbytes(32)
    sessid = rng.randbytes(32) if sessid is None else sessid
    if style == 'chrome':
        g1, g2, g3 = grease or rng.sample(GREASE, 3)
        mlkem = True if mlkem is None else mlkem
        ech_grease = True if ech_grease is None else ech_grease
        cs = [g1, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
              0x009c, 0x009d, 0x002f, 0x0035]
        grp = groups or ([g2, 0x11ec, 0x001d, 0x0017, 0x0018] if mlkem else [g2, 0x001d, 0x0017, 0x0018])
    elif style == 'firefox':
        g1 = g2 = g3 = None
        mlkem = False if mlkem is None else mlkem
        ech_grease = True if ech_grease is None else ech_grease
        cs = [0x1301, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a, 0xc009, 0xc013,
              0xc014, 0x009c, 0x009d, 0x002f, 0x0035]
        grp = groups or ([0x11ec, 0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101] if mlkem else
                         [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101])
    else:  # curl / openssl
        g1 = g2 = g3 = None
        mlkem = False if mlkem is None else mlkem
        ech_grease = False if ech_grease is None else ech_grease
        cs = [0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e,
              0xc024, 0xc028, 0x006b, 0xc023, 0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033,
              0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff]
        grp = groups or [0x001d, 0x0017, 0x001e, 0x0019, 0x0018]
    if ciphers:
        cs = ciphers
    if key_shares is None:
        key_shares = []
        if style == 'chrome':
            key_shares.append((g2, b'\0'))
        if mlkem:
            key_shares.append((0x11ec, rng.randbytes(1216)))
        key_shares.append((0x001d, rng.randbytes(32)))
        if style == 'firefox':
            key_shares.append((0x0017, b'\x04' + rng.randbytes(64)))
    exts = []
    if g1 is not None:
        exts.append(ext(g1 if style != 'chrome' else rng.choice(GREASE), b''))
    if sni:
        n = sni.encode()
        exts.append(ext(0x0000, v16(b'\0' + v16(n))))
    exts.append(ext(0x0017, b''))                       # extended_master_secret
    exts.append(ext(0xff01, b'\0'))                     # renegotiation_info
    exts.append(ext(0x000a, v16(b''.join(struct.pack('!H', x) for x in grp))))
    exts.append(ext(0x000b, v8(b'\0')))
    exts.append(ext(0x0023, b''))                       # session_ticket
    if alpn:
        exts.append(ext(0x0010, v16(b''.join(v8(a) for a in alpn))))
    exts.append(ext(0x0005, b'\x01\0\0\0\0'))           # status_request
    sigs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]
    exts.append(ext(0x000d, v16(b''.join(struct.pack('!H', x) for x in sigs))))
    if style == 'chrome':
        exts.append(ext(0x0012, b''))                   # SCT
    if not tls12_only:
        exts.append(ext(0x0033, v16(b''.join(struct.pack('!H', g) + v16(k) for g, k in key_shares))))
        exts.append(ext(0x002d, v8(b'\x01')))          # psk_key_exchange_modes
        vers = ([g3] if g3 else []) + [0x0304, 0x0303]
        exts.append(ext(0x002b, v8(b''.join(struct.pack('!H', v) for v in vers))))
    if style == 'chrome':
        exts.append(ext(0x001b, v8(b'\x00\x02')))       # compress_certificate brotli
        exts.append(ext(0x44cd, v16(v8(b'h2'))))         # application_settings
    if cookie:
        exts.append(ext(0x002c, v16(cookie)))
    if early_data:
        exts.append(ext(0x002a, b''))
    if ech_real:
        cid, enc, plen = ech_real
        body = b'\x00' + struct.pack('!HH', 0x0001, 0x0001) + bytes([cid]) + v16(enc) + v16(rng.randbytes(plen))
        exts.append(ext(0xfe0d, body))
    elif ech_grease:
        payload_len = rng.choice([144, 176, 208, 240])
        body = b'\x00' + struct.pack('!HH', 0x0001, 0x0001) + bytes([rng.getrandbits(8)]) + \
            v16(rng.randbytes(32)) + v16(rng.randbytes(payload_len))
        exts.append(ext(0xfe0d, body))
    if style == 'chrome':
        # chrome permutes extensions; keep deterministic shuffle but GREASE first
        head, rest = exts[:1], exts[1:]
        rng.shuffle(rest)
        exts = head + rest
        exts.append(ext(rng.choice(GREASE), b'\0'))
    if psk is not None:
        ident, age = psk
        binder = rng.randbytes(32)
        exts.append(ext(0x0029, v16(v16(ident) + struct.pack('!I', age)) + v16(v8(binder))))
    body = struct.pack('!H', 0x0303) + rnd + v8(sessid) + v16(b''.join(struct.pack('!H', c) for c in cs)) + \
        v8(b'\0') + v16(b''.join(exts))
    return rec(0x16, hs(1, body), ver=0x0301), dict(sessid=sessid, rnd=rnd)


def server_hello13(rng, sessid, group=0x001d, cipher=0x1301, hrr=False, psk=False, keylen=None, cookie=None):
    rnd = HRR_RANDOM if hrr else rng.randbytes(32)
    exts = [ext(0x002b, struct.pack('!H', 0x0304))]
    if hrr:
        exts.append(ext(0x0033, struct.pack('!H', group)))
        if cookie:
            exts.append(ext(0x002c, v16(cookie)))
    else:
        kl = keylen or {0x001d: 32, 0x0017: 65, 0x0018: 97, 0x11ec: 1120}[group]
        key = (b'\x04' + rng.randbytes(kl - 1)) if group in (0x17, 0x18) else rng.randbytes(kl)
        exts.append(ext(0x0033, struct.pack('!H', group) + v16(key)))
        if psk:
            exts.append(ext(0x0029, b'\0\0'))
    body = struct.pack('!H', 0x0303) + rnd + v8(sessid) + struct.pack('!HB', cipher, 0) + v16(b''.join(exts))
    return rec(0x16, hs(2, body))


def server_hello12(rng, sessid, cipher=0xc02f):
    exts = [ext(0xff01, b'\0'), ext(0x0017, b''), ext(0x000b, v8(b'\0'))]
    body = struct.pack('!H', 0x0303) + rng.randbytes(32) + v8(sessid) + struct.pack('!HB', cipher, 0) + \
        v16(b''.join(exts))
    return hs(2, body)


CCS = rec(0x14, b'\x01')


def appdata(rng, n):
    return rec(0x17, rng.randbytes(n))


def appdata_stream(rng, total, maxrec=16401):
    out = b''
    while total > 0:
        n = min(total, maxrec)
        n = max(n, 22)
        out += appdata(rng, n)
        total -= n
    return out


def alert(level, desc):
    return rec(0x15, bytes([level, desc]))


def server_flight13(rng, sessid, certlen=None, group=0x001d, psk=False):
    """ServerHello + CCS + encrypted EE/Cert/CV/Fin"""
    out = server_hello13(rng, sessid, group=group, psk=psk) + CCS
    if psk:
        out += appdata(rng, rng.randint(60, 120)) + appdata(rng, 53)
    else:
        out += appdata(rng, rng.randint(20, 40))                    # EncryptedExtensions
        out += appdata(rng, certlen or rng.randint(2400, 4200))      # Certificate
        out += appdata(rng, rng.choice([97, 281, 286]))              # CertificateVerify
        out += appdata(rng, 53)                                      # Finished
    return out


def tls13_session(tcp_, t, sni, rng, exchanges=((450, 6000),), style='chrome', think=0.002,
                  server_time=0.004, bw=50e6, close=None, ch=None, alpn=(b'h2', b'http/1.1'), ech_grease=None,
                  tickets=2, after_hs=None):
    """Full TCP+TLS1.3 flow from handshake. Returns last time."""
    t = tcp_.handshake(t)
    if ch is None:
        ch, p = client_hello(rng, sni, style=style, alpn=alpn, ech_grease=ech_grease)
    else:
        ch, p = ch
    t = tcp_.send(t + 0.0002, 'c', ch)
    ta = t + tcp_.rtt
    t = tcp_.download(ta + 0.0006, server_flight13(rng, p['sessid']), bw=bw)
    t += 0.0004
    fin = CCS + appdata(rng, 53) if style != 'curl' else CCS + appdata(rng, 53)
    first = True
    for req, resp in exchanges:
        payload = (fin if first else b'') + appdata(rng, req)
        if first and tickets:
            pass
        t = tcp_.send(t, 'c', payload)
        ts_ = t + tcp_.rtt + server_time
        body = b''
        if first and tickets:
            body += b''.join(appdata(rng, rng.randint(230, 260)) for _ in range(tickets))
        body += appdata_stream(rng, resp)
        t = tcp_.download(ts_, body, bw=bw)
        first = False
        t += think + rng.random() * think
    if close == 'c':
        t = tcp_.send(t, 'c', appdata(rng, 19))   # close_notify (encrypted)
        t = tcp_.close(t + 0.00002, 'c')
    elif close == 's':
        tcp_.pkt(t, 's', 'PA', appdata(rng, 19))
        t = tcp_.close(t + 0.00001, 's')
    return t


# ----------------------------------------------------------------------------- DNS

TYPES = {'A': 1, 'NS': 2, 'CNAME': 5, 'SOA': 6, 'PTR': 12, 'MX': 15, 'TXT': 16, 'AAAA': 28, 'SRV': 33,
         'OPT': 41, 'HTTPS': 65, 'ANY': 255}


class DnsW:
    def __init__(self):
        self.buf = b''
        self.names = {}

    def name(self, n, compress=True):
        n = n.rstrip('.')
        labels = n.split('.') if n else []
        out = b''
        for i in range(len(labels)):
            suffix = '.'.join(labels[i:]).lower()
            if compress and suffix in self.names:
                return out + struct.pack('!H', 0xc000 | self.names[suffix])
            pos = len(self.buf) + len(out)
            if pos < 0x3fff:
                self.names[suffix] = pos
            lab = labels[i].encode()
            out += bytes([len(lab)]) + lab
        return out + b'\0'


def dns_msg(txid, flags, questions, an=(), ns=(), ar=(), compress=True):
    """questions: list of (name, type, class). RR: (name, type, class, ttl, rdata) where rdata is str/bytes/tuple."""
    w = DnsW()
    w.buf = struct.pack('!HHHHHH', txid, flags, len(questions), len(an), len(ns), len(ar))
    for q in questions:
        name, qt = q[0], q[1]
        qc = q[2] if len(q) > 2 else 1
        w.buf += w.name(name, compress) + struct.pack('!HH', TYPES.get(qt, qt) if isinstance(qt, str) else qt, qc)
    for sect in (an, ns, ar):
        for rr in sect:
            name, typ, cls, ttl, rd = rr
            tnum = TYPES[typ] if isinstance(typ, str) else typ
            hdr = w.name(name, compress)
            w.buf += hdr
            base = len(w.buf) + 10
            if typ == 'A' or typ == 'AAAA':
                rdata = ab(rd)
            elif typ in ('CNAME', 'PTR', 'NS'):
                save = w.buf
                w.buf = w.buf + struct.pack('!HHIH', 0, 0, 0, 0)
                rdata = w.name(rd, compress)
                w.buf = save
            elif typ == 'SOA':
                mname, rname, serial, refresh, retry, expire, minimum = rd
                save = w.buf
                w.buf = w.buf + b'\0' * 10
                a = w.name(mname, compress)
                w.buf += a
                b_ = w.name(rname, compress)
                w.buf = save
                rdata = a + b_ + struct.pack('!IIIII', serial, refresh, retry, expire, minimum)
            elif typ == 'SRV':
                pr, wt, port, target = rd
                save = w.buf
                w.buf = w.buf + b'\0' * 16
                tg = w.name(target, False)
                w.buf = save
                rdata = struct.pack('!HHH', pr, wt, port) + tg
            elif typ == 'TXT':
                rdata = b''.join(v8(x.encode() if isinstance(x, str) else x) for x in rd)
            else:
                rdata = rd
            w.buf += struct.pack('!HHIH', tnum, cls, ttl, len(rdata)) + rdata
    return w.buf


def opt_rr(udp=1232, do=False, opts=b''):
    return ('', 'OPT', udp, 0x8000 if do else 0, opts)


def dns_exchange(cap, t, client, resolver, cport, txid, qname, qtype='A', answers=(), rtt=0.01, r_ttl=64,
                 c_ipid=None, r_ipid=0, rcode=0, iface=0, auth=(), edns=None, r_df=True, ra=True, aa=False,
                 resp_extra_ar=None, lk_out=None, lk_in=None, no_reply=False, qchk=None, rd=True):
    lk_out = lk_out or {}
    lk_in = lk_in or {}
    ar = [edns] if edns else []
    qf = 0x0100 if rd else 0
    if edns and isinstance(edns, tuple) and len(edns) == 5:
        pass
    q = dns_msg(txid, qf | 0x0000, [(qname, qtype)], ar=ar)
    l3q = ip(client, resolver, 17, udp(client, resolver, cport, 53, q, chk=qchk), ttl=64,
             ipid=c_ipid if c_ipid is not None else 0, df=True)
    cap.emit(t, l3q, True, iface=iface, **lk_out)
    if no_reply:
        return t, l3q
    flags = 0x8000 | (0x0100 if rd else 0) | (0x0080 if ra else 0) | (0x0400 if aa else 0) | rcode
    rar = resp_extra_ar if resp_extra_ar is not None else ([opt_rr(1232)] if edns else [])
    r = dns_msg(txid, flags, [(qname, qtype)], an=answers, ns=auth, ar=rar)
    l3r = ip(resolver, client, 17, udp(resolver, client, 53, cport, r), ttl=r_ttl, ipid=r_ipid, df=r_df)
    cap.emit(t + rtt, l3r, False, iface=iface, **lk_in)
    return t + rtt, l3r


# ----------------------------------------------------------------------------- deterministic RSA + certs

def _is_probable_prime(n, rng, k=24):
    if n < 2:
        return False
    small = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]
    for p in small:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(k):
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
    from cryptography.hazmat.primitives.asymmetric import rsa
    rng = random.Random(seed)
    e = 65537

    def prime(b):
        while True:
            c = rng.getrandbits(b) | (1 << (b - 1)) | (1 << (b - 2)) | 1
            if c % e != 1 and _is_probable_prime(c, rng):
                return c
    p = prime(bits // 2)
    q = prime(bits // 2)
    while q == p:
        q = prime(bits // 2)
    n = p * q
    phi = (p - 1) * (q - 1)
    d = pow(e, -1, phi)
    pub = rsa.RSAPublicNumbers(e, n)
    priv = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), pub)
    return priv.private_key()


def make_cert(subject_cn, issuer_name, issuer_key, key, serial, not_before, not_after, sans=(), ca=False,
              org=None, country=None):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    attrs = []
    if country:
        attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, subject_cn))
    subj = x509.Name(attrs)
    b = x509.CertificateBuilder().subject_name(subj).issuer_name(issuer_name or subj) \
        .public_key(key.public_key()).serial_number(serial).not_valid_before(not_before) \
        .not_valid_after(not_after)
    b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=None if ca else None), critical=True)
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    if not ca:
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    cert = b.sign(issuer_key, hashes.SHA256())
    return cert


# ----------------------------------------------------------------------------- misc

class Ports:
    def __init__(self, rng, lo=32768, hi=60999):
        self.rng, self.used, self.lo, self.hi = rng, set(), lo, hi

    def get(self):
        while True:
            p = self.rng.randint(self.lo, self.hi)
            if p not in self.used:
                self.used.add(p)
                return p


def http_resp(status, reason, headers, body=b''):
    h = 'HTTP/1.1 %d %s\r\n' % (status, reason)
    for k, v in headers:
        h += '%s: %s\r\n' % (k, v)
    return h.encode() + b'\r\n' + body


def http_req(method, path, host, headers=(), body=b''):
    h = '%s %s HTTP/1.1\r\nHost: %s\r\n' % (method, path, host)
    for k, v in headers:
        h += '%s: %s\r\n' % (k, v)
    return h.encode() + b'\r\n' + body


_PKI = {}


def pki():
    """A small deterministic PKI used for OCSP bodies and TLS 1.2 certificates."""
    if _PKI:
        return _PKI
    import datetime

    ca_key = det_rsa(11)
    leaf_key = det_rsa(12)
    nb = datetime.datetime(2024, 3, 1, 0, 0, 0)
    na = datetime.datetime(2031, 3, 1, 0, 0, 0)
    ca = make_cert('DigiCert Global G2 TLS RSA SHA256 2020 CA1', None, ca_key, ca_key, 0x0cf5bd062b5602f47ab8502c23ccf066,
                   nb, na, ca=True, org='DigiCert Inc', country='US')
    leaf = make_cert('www.example.org', ca.subject, ca_key, leaf_key, 0x075bcef30689c8addf13e51af4afe187, nb,
                     datetime.datetime(2025, 3, 1, 23, 59, 59), sans=['www.example.org', 'example.org'])
    _PKI.update(ca_key=ca_key, leaf_key=leaf_key, ca=ca, leaf=leaf)
    return _PKI


def ocsp_pair(t):
    import datetime

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp
    p = pki()
    req = ocsp.OCSPRequestBuilder().add_certificate(p['leaf'], p['ca'], hashes.SHA1()).build()
    tu = datetime.datetime.utcfromtimestamp(int(t) // 3600 * 3600 - 7 * 3600)
    resp = ocsp.OCSPResponseBuilder().add_response(
        cert=p['leaf'], issuer=p['ca'], algorithm=hashes.SHA1(), cert_status=ocsp.OCSPCertStatus.GOOD,
        this_update=tu, next_update=tu + datetime.timedelta(days=7), revocation_time=None,
        revocation_reason=None).responder_id(ocsp.OCSPResponderEncoding.HASH, p['ca']).sign(p['ca_key'], hashes.SHA256())
    der = resp.public_bytes(serialization.Encoding.DER)
    # the builder stamps producedAt with the wall clock; pin it and re-sign (PKCS#1 v1.5 is deterministic)
    from cryptography.hazmat.primitives.asymmetric import padding
    parsed = ocsp.load_der_ocsp_response(der)
    tbs, sig = parsed.tbs_response_bytes, parsed.signature
    old = parsed.produced_at_utc.strftime('%Y%m%d%H%M%SZ').encode() if hasattr(parsed, 'produced_at_utc') else \
        parsed.produced_at.strftime('%Y%m%d%H%M%SZ').encode()
    assert tbs.count(old) == 1
    new_tbs = tbs.replace(old, (tu + datetime.timedelta(minutes=75)).strftime('%Y%m%d%H%M%SZ').encode())
    new_sig = p['ca_key'].sign(new_tbs, padding.PKCS1v15(), hashes.SHA256())
    der = der.replace(tbs, new_tbs).replace(sig, new_sig)
    return req.public_bytes(serialization.Encoding.DER), der


def arp(op, sha, spa, tha, tpa):
    return struct.pack('!HHBBH', 1, 0x0800, 6, 4, op) + mac(sha) + ab(spa) + mac(tha) + ab(tpa)


def icmp6(src, dst, typ, code, body, hlim=255):
    m = struct.pack('!BBH', typ, code, 0) + body
    c = csum(pseudo(src, dst, 58, len(m)) + m)
    m = m[:2] + struct.pack('!H', c) + m[4:]
    return ipv6(src, dst, 58, m, hlim=hlim)


def icmp4_echo(src, dst, ident, seq, payload, reply=False, ttl=64, ipid=0):
    m = struct.pack('!BBHHH', 0 if reply else 8, 0, 0, ident, seq) + payload
    m = m[:2] + struct.pack('!H', csum(m)) + m[4:]
    return ipv4(src, dst, 1, m, ttl=ttl, ipid=ipid, df=True)


def dhcp(op, xid, chaddr, ciaddr='0.0.0.0', yiaddr='0.0.0.0', siaddr='0.0.0.0', options=(), secs=0, flags=0):
    b = struct.pack('!BBBBIHH4s4s4s4s', op, 1, 6, 0, xid, secs, flags, ab(ciaddr), ab(yiaddr), ab(siaddr),
                    ab('0.0.0.0')) + mac(chaddr).ljust(16, b'\0') + b'\0' * 192 + b'\x63\x82\x53\x63'
    for code, val in options:
        b += bytes([code, len(val)]) + val
    b += b'\xff'
    return b.ljust(300, b'\0')
