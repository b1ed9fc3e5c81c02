#!/usr/bin/env python3
# ruff: noqa: B905, E501, RUF005
"""Blind holdout set 8 (ISP / mobile / enterprise): BENIGN captures that look like censorship.

Writes eight deterministic packet captures plus expect.json into OUTDIR:

    python blind8_benign_isp.py OUTDIR

Every capture shows ordinary traffic in an ISP, mobile-operator, satellite or enterprise
network that a naive censorship detector could mistake for dns-injection, dns-tampering,
rst-injection, packet-injection, blockpage, blackhole, throttling or residual-blocking.
A careful analyst finds no interference in any of them, so expect.json lists no finding
for any file (observations are fine).  Each generator function explains why the traffic
is benign and what a naive detector would wrongly conclude.

Everything is built with scapy (checksums computed by scapy) and `cryptography` (real
QUIC v1 Initial packet protection so that the SNI of QUIC Initials can be decrypted);
all randomness comes from fixed seeds, so two runs produce identical bytes.
"""

import email.utils
import hashlib
import hmac
import json
import os
import random
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.layers.dns import (
    DNS,
    DNSQR,
    DNSRR,
    DNSRROPT,
    DNSRRSOA,
    EDNS0ExtendedDNSError,
)
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import CookedLinux, Dot1Q, Ether
from scapy.packet import Raw

# ---------------------------------------------------------------------------
# capture container and writers (own pcap / pcapng writers: integer microseconds)
# ---------------------------------------------------------------------------

LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL = 113


class Capture:
    """Collects (time, L3 packet) records; link layer and IP IDs are added at the end."""

    def __init__(self, name, link, t0, seed, *, cmac="", gmac="", vlan=None, ifname="eth0", fmt="pcap"):
        self.name = name
        self.link = link  # 'eth', 'vlan' or 'sll'
        self.t0 = t0  # integer epoch seconds
        self.cmac = cmac
        self.gmac = gmac
        self.vlan = vlan
        self.ifname = ifname
        self.fmt = fmt
        self.recs = []
        self.idrng = random.Random(seed * 7919 + 13)

    def add(self, t, pkt, out, idkey=None, mac=None, tsinfo=None):
        us = round(t * 1e6)
        self.recs.append((us, len(self.recs), out, pkt, idkey, mac, tsinfo))

    @staticmethod
    def _fix_tsecr(ordered):
        """TCP timestamps: a packet from the capturing client echoes the newest TSval it has
        received; a packet from the far end echoes a client TSval at least one RTT old."""
        seen = {}
        for us, _i, _out, pkt, _k, _m, tsinfo in ordered:
            if tsinfo is None or TCP not in pkt:
                continue
            flow, side, rtt = tsinfo
            opts = pkt[TCP].options
            idx = [j for j, o in enumerate(opts) if o[0] == "Timestamp"]
            if not idx:
                continue
            tsval = opts[idx[0]][1][0]
            hist = seen.setdefault(flow, {"c": [], "s": []})
            if not pkt[TCP].flags.S or pkt[TCP].flags.A:
                other = hist["s" if side == "c" else "c"]
                if side == "c":
                    cand = [v for (tu, v) in other if tu <= us]
                else:
                    lim = us - int(rtt * 0.9e6)
                    cand = [v for (tu, v) in other if tu <= lim] or [v for (tu, v) in other[:1]]
                ecr = cand[-1] if cand else 0
                new = list(opts)
                new[idx[0]] = ("Timestamp", (tsval, ecr))
                pkt[TCP].options = new
            hist[side].append((us, tsval))

    def frames(self):
        counters = {}
        result = []
        ordered = sorted(self.recs, key=lambda r: (r[0], r[1]))
        self._fix_tsecr(ordered)
        for us, _i, out, pkt, idkey, mac, _ts in ordered:
            if idkey is not None and IP in pkt:
                kind = idkey[0]
                if kind == "r":
                    pkt[IP].id = self.idrng.randrange(1, 65536)
                else:
                    if idkey not in counters:
                        counters[idkey] = self.idrng.randrange(0, 65536)
                    pkt[IP].id = counters[idkey]
                    counters[idkey] = (counters[idkey] + 1) & 0xFFFF
            peer = mac or self.gmac
            if self.link == "eth":
                frame = Ether(src=self.cmac if out else peer, dst=peer if out else self.cmac) / pkt
            elif self.link == "vlan":
                frame = Ether(src=self.cmac if out else peer, dst=peer if out else self.cmac) / Dot1Q(vlan=self.vlan) / pkt
            else:
                proto = 0x86DD if IPv6 in pkt else 0x0800
                frame = CookedLinux(pkttype=4 if out else 0, lladdrtype=519, lladdrlen=0, src=b"", proto=proto) / pkt
            result.append((self.t0 * 1000000 + us, bytes(frame)))
        return result

    def write(self, outdir):
        frames = self.frames()
        linktype = LINKTYPE_LINUX_SLL if self.link == "sll" else LINKTYPE_ETHERNET
        path = os.path.join(outdir, self.name)
        with open(path, "wb") as f:
            if self.fmt == "pcap":
                f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
                for ts, data in frames:
                    f.write(struct.pack("<IIII", ts // 1000000, ts % 1000000, len(data), len(data)))
                    f.write(data)
            else:
                f.write(_pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
                opts = _pcapng_opt(2, self.ifname.encode()) + _pcapng_opt(9, b"\x06") + b"\x00\x00\x00\x00"
                f.write(_pcapng_block(1, struct.pack("<HHI", linktype, 0, 262144) + opts))
                for ts, data in frames:
                    body = struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data)) + data
                    body += b"\x00" * ((-len(data)) % 4)
                    f.write(_pcapng_block(6, body))
        return len(frames)


def _pcapng_opt(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\x00" * ((-len(value)) % 4)


def _pcapng_block(btype, body):
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


# ---------------------------------------------------------------------------
# host stack profiles and TCP connection model
# ---------------------------------------------------------------------------


class Prof:
    """A host's IP/TCP stack as seen in the capture (observed TTL, IP ID style, TCP options)."""

    def __init__(self, name, ttl, *, idmode="perflow", udp_idmode=None, style="linux", mss=1460, ws=7, win=502, synwin=64240, df=True, ts=None):
        self.name = name
        self.ttl = ttl
        self.idmode = idmode  # perflow | global | zero | rand
        self.udp_idmode = udp_idmode or ("global" if idmode == "global" else "rand")
        self.style = style  # linux | windows | macos
        self.mss = mss
        self.ws = ws
        self.win = win
        self.synwin = synwin
        self.df = df
        self.ts = (style in ("linux", "macos")) if ts is None else ts


def idkey_for(prof, fid, side, udp=False):
    mode = prof.udp_idmode if udp else prof.idmode
    if mode == "zero":
        return None
    if mode == "global":
        return ("g", prof.name)
    if mode == "rand":
        return ("r", prof.name)
    return ("f", fid, side)


def make_l3(src, dst, prof, ttl=None, df=None):
    if ":" in src:
        return IPv6(src=src, dst=dst, hlim=ttl or prof.ttl)
    dfv = prof.df if df is None else df
    return IP(src=src, dst=dst, ttl=ttl or prof.ttl, flags="DF" if dfv else 0, id=0)


_FID = [0]


def next_fid():
    _FID[0] += 1
    return _FID[0]


def syn_options(p, tsval, tsecr, with_ts):
    if p.style == "windows":
        return [("MSS", p.mss), ("NOP", None), ("WScale", p.ws), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
    if p.style == "macos":
        o = [("MSS", p.mss), ("NOP", None), ("WScale", p.ws), ("NOP", None), ("NOP", None)]
        if with_ts:
            o.append(("Timestamp", (tsval, tsecr)))
        return o + [("SAckOK", b""), ("EOL", None)]
    if with_ts:
        return [("MSS", p.mss), ("SAckOK", b""), ("Timestamp", (tsval, tsecr)), ("NOP", None), ("WScale", p.ws)]
    return [("MSS", p.mss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", p.ws)]


class Conn:
    """One TCP connection; the capture point is the client ('c'), the far end is 's'."""

    def __init__(self, cap, rng, cip, cport, sip, sport, cp, sp, mac=None):
        self.cap = cap
        self.rng = rng
        self.ip = {"c": cip, "s": sip}
        self.port = {"c": cport, "s": sport}
        self.prof = {"c": cp, "s": sp}
        self.nxt = {"c": rng.getrandbits(32), "s": rng.getrandbits(32)}
        self.tsoff = {"c": rng.getrandbits(32), "s": rng.getrandbits(32)}
        self.ts = cp.ts and sp.ts
        self.fid = next_fid()
        self.rtt = 0.05
        self.mac = mac
        self.v6 = ":" in cip

    @staticmethod
    def other(side):
        return "s" if side == "c" else "c"

    def tsval(self, side, t):
        return (self.tsoff[side] + int(t * 1000)) & 0xFFFFFFFF

    def seglen(self, frm):
        m = min(self.prof["c"].mss, self.prof["s"].mss)
        return m - (12 if self.ts else 0)

    def pkt(self, t, frm, flags, payload=b"", seq=None, ack=None, win=None, opts=None, ttl=None, ipid=None, df=None, advance=True):
        oth = self.other(frm)
        p = self.prof[frm]
        if seq is None:
            seq = self.nxt[frm]
        if ack is None:
            ack = self.nxt[oth]
        if "A" not in flags:
            ack = 0
        if opts is None:
            opts = [("NOP", None), ("NOP", None), ("Timestamp", (self.tsval(frm, t), self.tsval(oth, max(0.0, t - self.rtt / 2))))] if self.ts else []
        l3 = make_l3(self.ip[frm], self.ip[oth], p, ttl=ttl, df=df)
        seg = TCP(sport=self.port[frm], dport=self.port[oth], seq=seq % 2**32, ack=ack % 2**32, flags=flags, window=p.win if win is None else win, options=opts)
        pk = l3 / seg
        if payload:
            pk = pk / Raw(payload)
        key = None
        if not self.v6:
            if ipid is not None:
                pk[IP].id = ipid
            else:
                key = idkey_for(p, self.fid, frm)
        self.cap.add(t, pk, out=(frm == "c"), idkey=key, mac=self.mac, tsinfo=(self.fid, frm, self.rtt) if self.ts else None)
        if advance and seq % 2**32 == self.nxt[frm] % 2**32:
            self.nxt[frm] = (seq + len(payload) + (1 if ("S" in flags or "F" in flags) else 0)) % 2**32
        return pk

    def handshake(self, t, rtt, synack_ttl=None):
        self.rtt = rtt
        cp, sp = self.prof["c"], self.prof["s"]
        self.pkt(t, "c", "S", win=cp.synwin, opts=syn_options(cp, self.tsval("c", t), 0, cp.ts))
        t2 = t + rtt
        self.pkt(t2, "s", "SA", win=sp.synwin, opts=syn_options(sp, self.tsval("s", t2), self.tsval("c", t), self.ts), ttl=synack_ttl)
        t3 = t2 + 0.00007 + self.rng.random() * 0.00004
        self.pkt(t3, "c", "A")
        return t3

    def send(self, t, frm, data, gap=0.00003, **kw):
        n = self.seglen(frm)
        chunks = [data[i:i + n] for i in range(0, len(data), n)]
        for i, ch in enumerate(chunks):
            self.pkt(t + i * gap, frm, "PA" if i == len(chunks) - 1 else "A", ch, **kw)
        return t + (len(chunks) - 1) * gap

    def ack(self, t, frm, **kw):
        return self.pkt(t, frm, "A", **kw)

    def transfer(self, t0, frm, data, rtt, rate, init_cwnd=10, ack_every=2, ack_delay=0.00006, last_ack_delay=None, ack_ttl=None, ack_ipid=None, ack_win=None, cwnd_cap=None):
        """Bulk data: frm='s' -> times are arrivals at the client, the client ACKs;
        frm='c' -> times are departures from the client, the far end's ACKs arrive rtt later."""
        oth = self.other(frm)
        n = self.seglen(frm)
        chunks = [data[i:i + n] for i in range(0, len(data), n)]
        hdr = (60 if self.v6 else 40) + (12 if self.ts else 0) + 18
        ser = (n + hdr) * 8.0 / rate
        times = []
        cw = init_cwnd
        k = 0
        prev_end = t0
        i = 0
        while i < len(chunks):
            start = max(prev_end, t0 + k * rtt)
            m = min(cw, len(chunks) - i)
            for j in range(m):
                times.append(start + j * ser)
            prev_end = times[-1] + ser
            i += m
            cw = cw * 2 if cwnd_cap is None else min(cw * 2, cwnd_cap)
            k += 1
        seq0 = self.nxt[frm]
        peer_ack = self.nxt[oth]
        off = 0
        last_ack_t = t0
        for idx, (tt, ch) in enumerate(zip(times, chunks)):
            last = idx == len(chunks) - 1
            self.pkt(tt, frm, "PA" if last else "A", ch, seq=seq0 + off, ack=peer_ack, advance=False)
            off += len(ch)
            if (idx + 1) % ack_every == 0 or last:
                if frm == "s":
                    at = tt + ack_delay + self.rng.random() * 0.00003
                    if last and (idx + 1) % ack_every and last_ack_delay is not None:
                        at = tt + last_ack_delay
                else:
                    at = tt + rtt + self.rng.random() * rtt * 0.05
                at = max(at, last_ack_t + 0.000001)
                last_ack_t = at
                self.pkt(at, oth, "A", seq=self.nxt[oth], ack=seq0 + off, ttl=ack_ttl, ipid=ack_ipid, win=ack_win, advance=False)
        self.nxt[frm] = (seq0 + len(data)) % 2**32
        return times[-1], last_ack_t

    def close(self, t, frm, rtt, **skw):
        """frm sends FIN, the peer answers FIN/ACK after rtt (as seen from the client), final ACK."""
        if frm == "c":
            self.pkt(t, "c", "FA")
            self.pkt(t + rtt, "s", "FA", **skw)
            self.pkt(t + rtt + 0.00006, "c", "A")
            return t + rtt + 0.00006
        self.pkt(t, "s", "FA", **skw)
        self.pkt(t + 0.00005, "c", "A")
        self.pkt(t + 0.0003, "c", "FA")
        self.pkt(t + 0.0003 + rtt, "s", "A", **skw)
        return t + 0.0003 + rtt


def udp(cap, t, src, dst, sport, dport, payload, prof, out, fid=0, mac=None, idmode=None):
    l3 = make_l3(src, dst, prof)
    pk = l3 / UDP(sport=sport, dport=dport) / Raw(payload)
    key = None
    if IP in pk:
        mode = idmode or prof.udp_idmode
        if mode == "global":
            key = ("g", prof.name)
        elif mode == "rand":
            key = ("r", prof.name)
        elif mode == "perflow":
            key = ("u", fid, src)
    cap.add(t, pk, out=out, idkey=key, mac=mac)


# ---------------------------------------------------------------------------
# DNS
# ---------------------------------------------------------------------------


def A(name, ip, ttl):
    return DNSRR(rrname=name, type="A", ttl=ttl, rdata=ip)


def AAAA(name, ip, ttl):
    return DNSRR(rrname=name, type="AAAA", ttl=ttl, rdata=ip)


def CNAME(name, target, ttl):
    return DNSRR(rrname=name, type="CNAME", ttl=ttl, rdata=target)


def dns_exchange(cap, t, rtt, cip, rip, cport, qid, qname, qtype, cp, rp, answers=(), rcode=0, ns=(), ede=None, edns=True, cd=0, ad_q=0, ad_r=0, mac=None):
    """One DNS query from the client and the resolver's single answer (rtt later)."""
    q = DNS(id=qid, rd=1, ad=ad_q, cd=cd, qd=DNSQR(qname=qname, qtype=qtype), ar=[DNSRROPT(rclass=1232, z=0)] if edns else None)
    udp(cap, t, cip, rip, cport, 53, bytes(q), cp, True, mac=mac)
    opt = None
    if edns:
        opt = DNSRROPT(rclass=1232, z=0, rdata=[EDNS0ExtendedDNSError(info_code=ede[0], extra_text=ede[1])] if ede else [])
    r = DNS(id=qid, qr=1, rd=1, ra=1, ad=ad_r, cd=cd, rcode=rcode, qd=DNSQR(qname=qname, qtype=qtype), an=list(answers) or None, ns=list(ns) or None, ar=[opt] if opt is not None else None)
    udp(cap, t + rtt, rip, cip, 53, cport, bytes(r), rp, False, mac=mac)
    return t + rtt


# ---------------------------------------------------------------------------
# TLS records (TLS 1.3: the certificate is encrypted, so no certificate is exposed)
# ---------------------------------------------------------------------------


def _ext(etype, body):
    return struct.pack(">HH", etype, len(body)) + body


def _vec16(b):
    return struct.pack(">H", len(b)) + b


def client_hello_msg(rng, sni, alpn=(b"h2", b"http/1.1"), quic_tp=None):
    rnd = rng.randbytes(32)
    quic = quic_tp is not None
    sid = b"" if quic else rng.randbytes(32)
    if quic:
        ciphers = [0x1301, 0x1302, 0x1303]
    else:
        ciphers = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    name = sni.encode()
    exts = _ext(0x0000, _vec16(b"\x00" + _vec16(name)))
    if not quic:
        exts += _ext(0x0017, b"") + _ext(0xFF01, b"\x00")
    exts += _ext(0x000A, _vec16(struct.pack(">HHH", 0x001D, 0x0017, 0x0018)))
    if not quic:
        exts += _ext(0x000B, b"\x01\x00") + _ext(0x0023, b"")
    al = b"".join(bytes([len(a)]) + a for a in alpn)
    exts += _ext(0x0010, _vec16(al))
    exts += _ext(0x0005, b"\x01\x00\x00\x00\x00")
    exts += _ext(0x000D, _vec16(struct.pack(">8H", 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)))
    exts += _ext(0x0012, b"")
    exts += _ext(0x0033, _vec16(struct.pack(">HH", 0x001D, 32) + rng.randbytes(32)))
    exts += _ext(0x002D, b"\x01\x01")
    exts += _ext(0x002B, b"\x02\x03\x04" if quic else b"\x04\x03\x04\x03\x03")
    exts += _ext(0x001B, b"\x02\x00\x02")
    if quic:
        exts += _ext(0x0039, quic_tp)
    body = b"\x03\x03" + rnd + bytes([len(sid)]) + sid + _vec16(b"".join(struct.pack(">H", c) for c in ciphers)) + b"\x01\x00"
    if not quic:
        cur = 4 + len(body) + 2 + len(exts)  # handshake message length so far
        if cur + 4 < 512:
            exts += _ext(0x0015, b"\x00" * (512 - cur - 4))
    body += _vec16(exts)
    return b"\x01" + len(body).to_bytes(3, "big") + body, sid


def server_hello_msg(rng, sid=b""):
    exts = _ext(0x002B, b"\x03\x04") + _ext(0x0033, struct.pack(">HH", 0x001D, 32) + rng.randbytes(32))
    body = b"\x03\x03" + rng.randbytes(32) + bytes([len(sid)]) + sid + b"\x13\x01\x00" + _vec16(exts)
    return b"\x02" + len(body).to_bytes(3, "big") + body


def record(ctype, payload, ver=b"\x03\x03"):
    return bytes([ctype]) + ver + struct.pack(">H", len(payload)) + payload


def app_records(rng, total, maxrec=16401):
    """Encrypted application-data records whose total on-wire size is about `total` bytes."""
    out = []
    left = max(total, 22)
    while left > 0:
        n = max(min(left - 5, maxrec), 17)
        out.append(record(0x17, rng.randbytes(n)))
        left -= 5 + n
    return b"".join(out)


def tls_client_hello(rng, sni, alpn=(b"h2", b"http/1.1")):
    msg, sid = client_hello_msg(rng, sni, alpn)
    return record(0x16, msg, b"\x03\x01"), sid


def tls_server_flight(rng, sid, enc_size):
    return record(0x16, server_hello_msg(rng, sid)) + record(0x14, b"\x01") + app_records(rng, enc_size)


def tls_client_finished(rng, req_size):
    return record(0x14, b"\x01") + record(0x17, rng.randbytes(53)) + app_records(rng, req_size)


def tls_session(conn, t, rtt, sni, *, srv_delay=0.0, flight=3900, req=420, resp=20000, rate=50e6, think=0.02, alpn=(b"h2", b"http/1.1"), early_ack=None):
    """ClientHello -> server flight -> Finished+request -> response. Returns end time.
    early_ack: (delay, kwargs) for a pure ACK of the client's data sent by a middlebox."""
    rng = conn.rng
    ch, sid = tls_client_hello(rng, sni, alpn)
    t = conn.send(t + 0.0004, "c", ch)
    if early_ack:
        conn.ack(t + early_ack[0], "s", **early_ack[1])
    ts = t + rtt + srv_delay
    sf = tls_server_flight(rng, sid, flight)
    tl, _ = conn.transfer(ts, "s", sf, rtt, rate, last_ack_delay=0.00008)
    tc = tl + 0.0015 + rng.random() * 0.001
    tc = conn.send(tc, "c", tls_client_finished(rng, req))
    if early_ack:
        conn.ack(tc + early_ack[0], "s", **early_ack[1])
    tr = tc + rtt + srv_delay + think
    body = app_records(rng, 2 * 261) + app_records(rng, resp)
    tl, ta = conn.transfer(tr, "s", body, rtt + srv_delay, rate, last_ack_delay=0.04)
    return max(tl, ta)


# ---------------------------------------------------------------------------
# QUIC v1 (RFC 9001 Initial protection)
# ---------------------------------------------------------------------------

QUIC_V1_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand_label(secret, label, length):
    full = b"tls13 " + label
    info = struct.pack(">H", length) + bytes([len(full)]) + full + b"\x00"
    out = b""
    blk = b""
    i = 1
    while len(out) < length:
        blk = hmac.new(secret, blk + info + bytes([i]), hashlib.sha256).digest()
        out += blk
        i += 1
    return out[:length]


def initial_keys(dcid, server):
    init = hkdf_extract(QUIC_V1_SALT, dcid)
    sec = hkdf_expand_label(init, b"server in" if server else b"client in", 32)
    return hkdf_expand_label(sec, b"quic key", 16), hkdf_expand_label(sec, b"quic iv", 12), hkdf_expand_label(sec, b"quic hp", 16)


def varint(v):
    if v < 0x40:
        return bytes([v])
    if v < 0x4000:
        return struct.pack(">H", 0x4000 | v)
    if v < 0x40000000:
        return struct.pack(">I", 0x80000000 | v)
    return struct.pack(">Q", 0xC000000000000000 | v)


def quic_long(ptype, dcid, scid, pn, payload, keys=None, token=b"", rng=None, pn_len=2):
    first = 0xC0 | (ptype << 4) | (pn_len - 1)
    hdr = bytes([first]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    if ptype == 0:
        hdr += varint(len(token)) + token
    hdr += struct.pack(">H", 0x4000 | (pn_len + len(payload) + 16))
    pnb = pn.to_bytes(pn_len, "big")
    if keys is None:
        ct = rng.randbytes(len(payload) + 16)
        m = rng.randbytes(1 + pn_len)
        return bytes([first ^ (m[0] & 0x0F)]) + hdr[1:] + bytes(a ^ b for a, b in zip(pnb, m[1:]))  + ct
    key, iv, hp = keys
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, payload, hdr + pnb)
    sample = ct[4 - pn_len:4 - pn_len + 16]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    return bytes([first ^ (mask[0] & 0x0F)]) + hdr[1:] + bytes(a ^ b for a, b in zip(pnb, mask[1:1 + pn_len])) + ct


def quic_short(rng, dcid, size):
    first = 0x40 | rng.randrange(0, 32)
    return bytes([first]) + dcid + rng.randbytes(max(size - 1 - len(dcid), 21))


def crypto_frame(offset, data):
    return b"\x06" + varint(offset) + varint(len(data)) + data


def ack_frame(largest, delay=0, first=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(first)


def quic_tp(scid, idle_ms):
    def p(pid, val):
        return varint(pid) + varint(len(val)) + val
    return (p(0x01, varint(idle_ms)) + p(0x03, varint(1472)) + p(0x04, varint(15728640)) + p(0x05, varint(6291456))
            + p(0x06, varint(6291456)) + p(0x07, varint(6291456)) + p(0x08, varint(100)) + p(0x09, varint(103))
            + p(0x0F, scid))


class QuicConn:
    """A QUIC v1 connection seen from the client. Initials are really protected (SNI decryptable);
    Handshake and 1-RTT packets carry random ciphertext of realistic size."""

    def __init__(self, cap, rng, cip, cport, sip, sport, cp, sp, sni, scid_len=0, s_cid_len=20, idle_ms=30000):
        self.cap, self.rng = cap, rng
        self.cip, self.cport, self.sip, self.sport = cip, cport, sip, sport
        self.cp, self.sp = cp, sp
        self.sni = sni
        self.odcid = rng.randbytes(8)
        self.scid = rng.randbytes(scid_len)
        self.srv_cid = rng.randbytes(s_cid_len)
        self.idle_ms = idle_ms
        self.fid = next_fid()

    def dgram(self, t, frm, payload):
        if frm == "c":
            udp(self.cap, t, self.cip, self.sip, self.cport, self.sport, payload, self.cp, True, fid=self.fid, idmode=self.cp.udp_idmode)
        else:
            udp(self.cap, t, self.sip, self.cip, self.sport, self.cport, payload, self.sp, False, fid=self.fid, idmode=self.sp.udp_idmode)

    def handshake(self, t, rtt, srv_delay=0.0015):
        rng = self.rng
        ch, _ = client_hello_msg(rng, self.sni, (b"h3",), quic_tp(self.scid, self.idle_ms))
        ck = initial_keys(self.odcid, False)
        sk = initial_keys(self.odcid, True)
        fr = crypto_frame(0, ch)
        hdr_len = 1 + 4 + 1 + len(self.odcid) + 1 + len(self.scid) + 1 + 2 + 2
        pad = 1250 - 28 - hdr_len - len(fr) - 16
        self.dgram(t, "c", quic_long(0, self.odcid, self.scid, 0, fr + b"\x00" * max(pad, 0), ck))
        ts = t + rtt + srv_delay
        sh = server_hello_msg(rng)
        s_init = quic_long(0, self.scid, self.srv_cid, 0, ack_frame(0) + crypto_frame(0, sh), sk)
        room = 1232 - len(s_init) - (1 + 4 + 1 + len(self.scid) + 1 + len(self.srv_cid) + 2 + 2 + 16)
        self.dgram(ts, "s", s_init + quic_long(2, self.scid, self.srv_cid, 0, b"\x00" * room, rng=rng))
        self.dgram(ts + 0.0002, "s", quic_long(2, self.scid, self.srv_cid, 1, b"\x00" * (1232 - (7 + len(self.scid) + len(self.srv_cid) + 2 + 2) - 16), rng=rng))
        self.dgram(ts + 0.0004, "s", quic_long(2, self.scid, self.srv_cid, 2, b"\x00" * 690, rng=rng))
        tc = ts + 0.0004 + 0.002 + rng.random() * 0.001
        c_init = quic_long(0, self.srv_cid, self.scid, 1, ack_frame(0) + b"\x00" * 1, ck)
        c_hs = quic_long(2, self.srv_cid, self.scid, 0, b"\x00" * 58, rng=rng)
        padlen = 1250 - 28 - len(c_init) - len(c_hs)
        c_init = quic_long(0, self.srv_cid, self.scid, 1, ack_frame(0) + b"\x00" * (1 + padlen), ck)
        self.dgram(tc, "c", c_init + c_hs)
        self.dgram(tc + 0.0001, "c", quic_short(rng, self.srv_cid, 1 + len(self.srv_cid) + 120))
        return tc + 0.0001

    def exchange(self, t, rtt, req, resp, rate=60e6, think=0.01):
        rng = self.rng
        self.dgram(t, "c", quic_short(rng, self.srv_cid, 1 + len(self.srv_cid) + req))
        ts = t + rtt + think
        n = max(1, -(-resp // 1200))
        ser = 1260 * 8.0 / rate
        last = ts
        for i in range(n):
            size = 1232 if i < n - 1 else max(60, resp - 1200 * (n - 1) + 32)
            last = ts + i * ser
            self.dgram(last, "s", quic_short(rng, self.scid, size))
            if i % 2 == 1 or i == n - 1:
                self.dgram(last + 0.00025 + rng.random() * 0.0001, "c", quic_short(rng, self.srv_cid, 1 + len(self.srv_cid) + 28))
        return last + 0.0004


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def http_date(epoch):
    return email.utils.formatdate(epoch, usegmt=True)


def ports(rng, lo=40000, hi=60999):
    p = rng.randrange(lo, hi)
    while True:
        yield p
        p += rng.randrange(1, 9)


# ===========================================================================
# 1. mobile operator transparent TCP proxy (Linux SLL, raw-IP modem interface)
# ===========================================================================


def cap_mobile_tcp_proxy():
    """Benign: a mobile operator runs a transparent split-TCP proxy ("TCP optimizer") in its
    Gi-LAN.  Every TCP SYN/ACK and every server-side TCP packet the phone sees is sent by
    the proxy: the same observed TTL (60), the same SYN/ACK options and window, and one
    shared, steadily increasing IP ID counter across ALL servers (x.com, Telegram,
    Wikipedia, BBC, YouTube...).  The proxy ACKs the ClientHello at once (~31 ms) and the
    real ServerHello follows one origin RTT later.  UDP is not proxied, so the QUIC flow to
    the very same YouTube address shows the real server's TTL (57).
    Every connection completes, all data flows, there is no RST, no race and no block page.
    Naive detectors: "SYN/ACK answered by a box closer than the server" / "TTL of TCP
    packets (60) differs from the same server's UDP packets (57)" / "IP IDs of x.com packets
    interleave with Telegram's" -> packet-injection or rst-injection; "ACK arrives long
    before the server could answer" -> injection.  A careful analyst sees one consistent
    middlebox for every destination, innocuous and sensitive alike, and nothing failing."""
    rng = random.Random(8101)
    cap = Capture("b8i_mobile_tcp_proxy.pcap", "sll", 1739261643, 8101)
    phone = Prof("phone", 64, style="linux", mss=1460, ws=9, win=2047, synwin=65535)
    proxy = Prof("gi-proxy", 60, idmode="global", style="linux", mss=1400, ws=9, win=1040, synwin=65160)
    dnsr = Prof("resolver", 62, idmode="rand")
    gquic = Prof("google-quic", 57, idmode="zero", udp_idmode="zero")
    phone_udp = Prof("phone", 64, udp_idmode="rand")
    cip, rip = "10.143.57.22", "10.177.0.10"
    pg = ports(rng, 38000, 41000)
    acc = 0.0312  # phone <-> proxy RTT

    def jit(x):
        return x * (0.95 + rng.random() * 0.1)

    # F0: Android connectivity check over HTTP (proxied too)
    t = 0.0
    t = dns_exchange(cap, t, jit(0.036), cip, rip, rng.randrange(30000, 60000), rng.randrange(65536), "connectivitycheck.gstatic.com", "A", phone_udp, dnsr,
                     answers=[A("connectivitycheck.gstatic.com", "142.250.186.67", 300)], edns=False)
    c = Conn(cap, rng, cip, next(pg), "142.250.186.67", 80, phone, proxy)
    t = c.handshake(t + 0.002, jit(acc))
    req = b"GET /generate_204 HTTP/1.1\r\nUser-Agent: Dalvik/2.1.0 (Linux; U; Android 14; SM-A546B Build/UP1A.231005.007)\r\nHost: connectivitycheck.gstatic.com\r\nConnection: Keep-Alive\r\nAccept-Encoding: gzip\r\n\r\n"
    t = c.send(t + 0.0003, "c", req)
    resp = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nCross-Origin-Resource-Policy: cross-origin\r\nDate: " + http_date(1739261643).encode() + b"\r\n\r\n"
    tr = t + jit(acc) + 0.014
    c.send(tr, "s", resp)
    c.ack(tr + 0.0002, "c")
    c.close(t + 0.35, "c", jit(acc))

    flows = [
        (1.20, "www.youtube.com", [CNAME("www.youtube.com", "youtube-ui.l.google.com", 86400)] + [A("youtube-ui.l.google.com", a, 300) for a in ("142.250.185.238", "142.250.186.46", "172.217.16.206", "142.250.74.206")], "142.250.185.238", 0.012, 64000),
        (3.10, "x.com", [A("x.com", "104.244.42.65", 1800)], "104.244.42.65", 0.112, 48000),
        (4.60, "web.telegram.org", [A("web.telegram.org", "149.154.167.99", 300)], "149.154.167.99", 0.071, 36000),
        (6.00, "en.wikipedia.org", [CNAME("en.wikipedia.org", "dyna.wikimedia.org", 86400), A("dyna.wikimedia.org", "185.15.59.224", 600)], "185.15.59.224", 0.034, 82000),
        (7.20, "www.bbc.com", [CNAME("www.bbc.com", "www.bbc.com.pri.bbc.com", 300), CNAME("www.bbc.com.pri.bbc.com", "bbc.map.fastly.net", 30)] + [A("bbc.map.fastly.net", a, 30) for a in ("151.101.128.81", "151.101.0.81", "151.101.64.81", "151.101.192.81")], "151.101.128.81", 0.019, 120000),
    ]
    yt_conn = None
    for t0, name, ans, ip, origin, size in flows:
        t = dns_exchange(cap, t0, jit(0.035), cip, rip, rng.randrange(30000, 60000), rng.randrange(65536), name, "A", phone_udp, dnsr, answers=ans, edns=False)
        c = Conn(cap, rng, cip, next(pg), ip, 443, phone, proxy)
        t = c.handshake(t + 0.0015, jit(acc))
        end = tls_session(c, t, jit(acc), name, srv_delay=origin, resp=size, rate=38e6, early_ack=(jit(acc), {}))
        if name == "www.youtube.com":
            yt_conn = (c, end)
        else:
            c.close(end + 0.9 + rng.random() * 0.3, "c", jit(acc))

    # QUIC to the same YouTube address (Alt-Svc h3): not proxied, real server TTL 57
    q = QuicConn(cap, rng, cip, rng.randrange(42000, 60000), "142.250.185.238", 443, phone_udp, gquic, "www.youtube.com", scid_len=0, s_cid_len=8)
    t = q.handshake(2.40, 0.044, srv_delay=0.001)
    t = q.exchange(t + 0.001, 0.044, 160, 9000)
    t = q.exchange(t + 0.3, 0.044, 140, 52000, rate=35e6)
    q.exchange(t + 1.8, 0.044, 150, 31000, rate=35e6)
    c, end = yt_conn
    c.close(9.4, "c", jit(acc))
    return cap


# ===========================================================================
# 2. satellite ISP with a performance-enhancing proxy that ACKs locally (pcapng)
# ===========================================================================


def cap_sat_pep_early_ack():
    """Benign: a GEO-satellite ISP (RTT ~610 ms) runs a performance-enhancing proxy (PEP,
    RFC 3135) in the customer's satellite modem.  The PEP acknowledges the client's data
    locally ~2 ms after it is sent (pure ACKs carrying the server's address, TTL 64 and IP
    ID 0), so the client's TCP window opens at LAN speed; the handshake, all server data
    and the server's FIN are genuine and arrive after the satellite RTT with the server's
    own TTL.  Nothing is lost, no RST, no forged data: the HTTP answer, the TLS handshakes,
    the 450 KB upload and the 180 KB download all complete.
    Naive detectors: "packets from the server address with a different TTL (64 vs 53/55)
    and IP ID 0, arriving 300x faster than the RTT" -> packet-injection / rst-injection
    style TTL mismatch; "the server acknowledged data before it could have received it".
    A careful analyst notes that the odd packets are payload-less ACKs that only speed the
    transfer, the genuine response follows and every flow succeeds: a PEP, not a censor."""
    rng = random.Random(8102)
    cap = Capture("b8i_sat_pep_early_ack.pcapng", "eth", 1741865475, 8102, cmac="3c:52:82:6e:11:9a", gmac="00:80:ae:4d:27:c3", ifname="Ethernet", fmt="pcapng")
    win = Prof("laptop", 128, idmode="global", style="windows", mss=1460, ws=8, win=1026, synwin=64240)
    dns = Prof("resolver", 117, idmode="rand")
    akam = Prof("msft-ncsi", 54, style="linux", mss=1460, ws=9, win=501, synwin=65160, ts=False)
    fastly = Prof("fastly", 53, style="linux", mss=1460, ws=9, win=285, synwin=65535, ts=False)
    goog = Prof("google", 55, style="linux", mss=1430, ws=8, win=1050, synwin=65535, ts=False)
    cip, rip = "192.168.1.105", "8.8.8.8"
    pg = ports(rng, 51200, 52000)
    sat = 0.612
    pep = {"ttl": 64, "ipid": 0, "df": True}

    def jit(x):
        return x * (0.985 + rng.random() * 0.03)

    # a) Windows NCSI probe over HTTP
    t = dns_exchange(cap, 0.0, jit(0.64), cip, rip, next(pg), rng.randrange(65536), "www.msftconnecttest.com", "A", win, dns,
                     answers=[CNAME("www.msftconnecttest.com", "ipv4only.msftconnecttest.com", 300), CNAME("ipv4only.msftconnecttest.com", "www.msftncsi.com.edgesuite.net", 300), CNAME("www.msftncsi.com.edgesuite.net", "a1961.g2.akamai.net", 4262), A("a1961.g2.akamai.net", "96.16.53.139", 20), A("a1961.g2.akamai.net", "96.16.53.145", 20)], edns=False)
    c = Conn(cap, rng, cip, next(pg), "96.16.53.139", 80, win, akam)
    t = c.handshake(t + 0.002, jit(sat))
    req = b"GET /connecttest.txt HTTP/1.1\r\nConnection: Close\r\nUser-Agent: Microsoft NCSI\r\nHost: www.msftconnecttest.com\r\n\r\n"
    t = c.send(t + 0.0002, "c", req)
    c.ack(t + 0.0021, "s", **pep)
    body = b"Microsoft Connect Test"
    resp = (b"HTTP/1.1 200 OK\r\nContent-Length: 22\r\nDate: " + http_date(1741865476).encode() + b"\r\nConnection: close\r\nContent-Type: text/plain\r\nCache-Control: max-age=30, must-revalidate\r\n\r\n" + body)
    ts = t + jit(sat) + 0.004
    c.send(ts, "s", resp)
    c.pkt(ts + 0.0001, "s", "FA")
    c.pkt(ts + 0.0003, "c", "A")
    c.pkt(ts + 0.0006, "c", "FA")
    c.ack(ts + 0.0021, "s", **pep)

    # b) www.reddit.com page load (download; the client's request is ACKed by the PEP)
    t = dns_exchange(cap, 2.9, jit(0.64), cip, rip, next(pg), rng.randrange(65536), "www.reddit.com", "A", win, dns,
                     answers=[CNAME("www.reddit.com", "reddit.map.fastly.net", 300)] + [A("reddit.map.fastly.net", a, 60) for a in ("151.101.1.140", "151.101.65.140", "151.101.129.140", "151.101.193.140")], edns=False)
    c = Conn(cap, rng, cip, next(pg), "151.101.1.140", 443, win, fastly)
    t = c.handshake(t + 0.002, jit(sat))
    tls_session(c, t, jit(sat), "www.reddit.com", flight=4300, req=640, resp=180000, rate=25e6, early_ack=(0.0021, pep))

    # c) 450 KB upload to Google Drive: local ACKs from the PEP, genuine reply ~2 s later
    t = dns_exchange(cap, 9.3, jit(0.64), cip, rip, next(pg), rng.randrange(65536), "www.googleapis.com", "A", win, dns,
                     answers=[A("www.googleapis.com", a, 300) for a in ("142.250.72.106", "142.250.72.138", "142.250.188.10", "172.217.14.74")], edns=False)
    c = Conn(cap, rng, cip, next(pg), "142.250.72.106", 443, win, goog)
    t = c.handshake(t + 0.002, jit(sat))
    ch, sid = tls_client_hello(rng, "www.googleapis.com")
    t = c.send(t + 0.0004, "c", ch)
    c.ack(t + 0.0021, "s", **pep)
    tl, _ = c.transfer(t + jit(sat), "s", tls_server_flight(rng, sid, 5200), sat, 25e6, last_ack_delay=0.0001)
    t = c.send(tl + 0.002, "c", tls_client_finished(rng, 900))
    c.ack(t + 0.0021, "s", **pep)
    up0 = t + 0.004
    upl = app_records(rng, 450000)
    tl, _ = c.transfer(up0, "c", upl, 0.0019, 90e6, init_cwnd=10, ack_every=2, ack_ttl=64, ack_ipid=0, ack_win=c.prof["s"].win)
    # the PEP pushes 450 KB over a ~3 Mbit/s uplink (1.2 s), +1 satellite hop each way
    tr = up0 + 1.21 + sat + 0.15
    tl2, _ = c.transfer(tr, "s", app_records(rng, 1380), sat, 25e6, last_ack_delay=0.0001)
    c.close(tl2 + 4.0, "c", jit(sat))
    return cap


# ===========================================================================
# 3. CGNAT expires an idle QUIC flow; a fresh QUIC connection works (Ethernet pcap)
# ===========================================================================


def cap_cgnat_quic_idle():
    """Benign: the ISP uses carrier-grade NAT whose UDP mappings expire after ~30 s of
    silence.  A Chrome QUIC connection to discord.com works, then stays idle for 41 s; the
    next request on it (and its PTO retransmissions, then a CONNECTION_CLOSE) get no answer
    because the old mapping is gone and the server side no longer recognises the flow.
    Chrome opens a NEW QUIC connection to the same address, port 443 and SNI 2.6 s later:
    handshake and responses arrive immediately.  Meanwhile the Discord gateway websocket
    over TCP to Cloudflare keeps working (heartbeats answered).
    Naive detectors: "QUIC packets to discord.com unanswered while the same server answers
    otherwise" -> blackhole; "failure followed by ..." -> residual-blocking.  A careful
    analyst sees that only packets of a connection idle longer than a NAT timeout went
    unanswered, the Initial with the same SNI to the same 3-tuple succeeds at once, and no
    later flow fails: no SNI trigger, no residual block."""
    rng = random.Random(8103)
    cap = Capture("b8i_cgnat_quic_idle.pcap", "eth", 1742551230, 8103, cmac="f0:2f:74:1c:88:d5", gmac="e4:8d:8c:3a:7b:01")
    cli = Prof("laptop", 64, style="linux", mss=1460, ws=7, win=501, synwin=64240, udp_idmode="zero")
    dnsr = Prof("router", 64, idmode="rand")
    cf = Prof("cloudflare", 57, idmode="zero", udp_idmode="zero", style="linux", mss=1460, ws=13, win=8, synwin=65535, ts=True)
    cf_tcp = Prof("cloudflare-tcp", 57, style="linux", mss=1460, ws=13, win=8, synwin=65535)
    cip, rip = "192.168.1.34", "192.168.1.1"
    rtt = 0.0182

    t = dns_exchange(cap, 0.0, 0.0121, cip, rip, rng.randrange(32768, 60999), rng.randrange(65536), "discord.com", "A", cli, dnsr,
                     answers=[A("discord.com", a, 300) for a in ("162.159.135.232", "162.159.128.233", "162.159.136.232", "162.159.137.232", "162.159.138.232")])
    q = QuicConn(cap, rng, cip, 51327, "162.159.135.232", 443, cli, cf, "discord.com", scid_len=0, s_cid_len=20, idle_ms=120000)
    t = q.handshake(t + 0.0008, rtt)
    t = q.exchange(t + 0.0003, rtt, 310, 14500)
    t = q.exchange(t + 0.12, rtt, 260, 3900)
    t = q.exchange(t + 0.35, rtt, 240, 22000)
    last_activity = q.exchange(t + 0.41, rtt, 230, 1700)

    # Discord gateway websocket over TCP (keeps working the whole time)
    t = dns_exchange(cap, 0.52, 0.0117, cip, rip, rng.randrange(32768, 60999), rng.randrange(65536), "gateway.discord.gg", "A", cli, dnsr,
                     answers=[A("gateway.discord.gg", a, 300) for a in ("162.159.130.234", "162.159.133.234", "162.159.134.234", "162.159.135.234", "162.159.136.234")])
    w = Conn(cap, rng, cip, 45388, "162.159.130.234", 443, cli, cf_tcp)
    t = w.handshake(t + 0.0005, rtt)
    t = tls_session(w, t, rtt, "gateway.discord.gg", flight=3100, req=560, resp=2400, rate=80e6, alpn=(b"http/1.1",))
    for hb in (21.9, 63.2):
        tt = w.send(hb, "c", app_records(rng, 38))
        w.send(tt + rtt + 0.004, "s", app_records(rng, 29))
        w.ack(tt + rtt + 0.004 + 0.04, "c")

    # after 41 s of silence the old QUIC connection is dead in the NAT
    t = last_activity + 41.3
    q.dgram(t, "c", quic_short(rng, q.srv_cid, 1 + 20 + 245))
    pto = 0.071
    for _ in range(4):
        t += pto
        q.dgram(t, "c", quic_short(rng, q.srv_cid, 1 + 20 + 251))
        pto *= 2
    t += 0.38
    q.dgram(t, "c", quic_short(rng, q.srv_cid, 1 + 20 + 24))  # CONNECTION_CLOSE
    # new connection, same server, same port, same SNI: works
    q2 = QuicConn(cap, rng, cip, 60814, "162.159.135.232", 443, cli, cf, "discord.com", scid_len=0, s_cid_len=20, idle_ms=120000)
    t = q2.handshake(t + 0.004, rtt)
    t = q2.exchange(t + 0.0003, rtt, 248, 3900)
    t = q2.exchange(t + 0.2, rtt, 300, 26500)
    q2.exchange(t + 4.8, rtt, 240, 2100)
    w.close(68.0, "c", rtt)
    return cap


# ===========================================================================
# 4. forum page ABOUT blocking, quoting block-page texts (802.1Q, plain HTTP)
# ===========================================================================

FORUM_POSTS_1 = [
    ("Sergey_M", "Коллеги, сегодня с утра у части пользователей в офисе не открываются некоторые сайты. Вместо них провайдер показывает заглушку с адресом http://warning.rt.ru/?id=17&amp;st=0&amp;dt=195.82.146.214&amp;rs=http%3A%2F%2Frutracker.org%2F - это нормально?"),
    ("kvn_2011", "Это обычная заглушка Ростелекома. Текст у неё примерно такой:<br><blockquote>Доступ к сайту ограничен в соответствии с Федеральными законами.<br>Ресурс включен в ЕДИНЫЙ РЕЕСТР доменных имен, указателей страниц сайтов в сети «Интернет» и сетевых адресов.</blockquote>Проверить, внесён ли сайт в реестр, можно тут: <a href=\"http://eais.rkn.gov.ru/\" target=\"_blank\">http://eais.rkn.gov.ru/</a> или на blocklist.rkn.gov.ru"),
    ("Lexx", "У меня дома Tele2 на телефоне, там редирект на страницу вида //t2rkn.com/ с надписью &quot;Доступ к запрашиваемому ресурсу закрыт&quot;. У МТС в заглушке iframe с subblock.mts.ru. У каждого оператора своя."),
    ("Sergey_M", "Спасибо. А на работе у одного сотрудника пишет по-английски: &quot;Access Denied. This site has been blocked by the administrator. Category: Proxy Avoidance&quot;. Это уже наш же прокси, правильно понимаю?"),
    ("admin_ufa", "Да, это корпоративный фильтр (у вас вроде FortiGate). &quot;The page you have requested has been blocked&quot; или &quot;Web Page Blocked!&quot; - это шаблоны самого шлюза, к РКН отношения не имеют. Смотрите журнал веб-фильтра."),
    ("kvn_2011", "Кстати, статус 451 Unavailable For Legal Reasons тоже иногда отдают, но чаще обычный 302 на заглушку."),
]
FORUM_POSTS_2 = [
    ("Lexx", "Про DNS: некоторые провайдеры вместо заглушки просто отвечают 0.0.0.0 или 127.0.0.1 на заблокированные домены, тогда браузер пишет ERR_CONNECTION_REFUSED и никакой страницы &quot;blocked&quot; вы не увидите."),
    ("Sergey_M", "Понял. Итог для коллег: если видите &quot;Доступ ограничен&quot;, &quot;Access denied&quot;, &quot;This site has been blocked&quot; - сначала смотрим, кто именно показал страницу: наш шлюз, провайдер или сам сайт."),
    ("Vitalik_IT", "Добавлю ссылку на FAQ по реестру: <a href=\"http://eais.rkn.gov.ru/faq/\">http://eais.rkn.gov.ru/faq/</a>. И да, тему закрепил."),
    ("admin_ufa", "Тема перенесена в раздел &quot;Сети и интернет&quot;. Оффтоп про VPN - в соседнюю ветку."),
]


def forum_page(posts, start, topic_title):
    head = ("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<html><head>\n"
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">\n"
            "<title>" + topic_title + " - Форум RU-Board.com</title>\n<link rel=\"stylesheet\" href=\"/forum.css\" type=\"text/css\">\n</head>\n<body>\n"
            "<table class=\"nav\" width=\"100%\"><tr><td><a href=\"/\">Форум</a> &raquo; <a href=\"/forum.cgi?forum=5\">Компьютерные сети</a> &raquo; " + topic_title + "</td>"
            "<td align=\"right\"><a href=\"/login.cgi\">Войти</a> | <a href=\"/register.cgi\">Регистрация</a> | <a href=\"/search.cgi\">Поиск</a></td></tr></table>\n")
    sections = ["Программы", "Операционные системы", "Компьютерные сети", "Интернет-провайдеры", "Мобильная связь", "Железо", "Безопасность",
                "Программирование", "Игры", "Аудио и видео", "Цифровое фото", "Общение", "Барахолка", "Работа форума"]
    nav = ["<table class=\"sections\" width=\"100%\"><tr>"]
    for k, sec in enumerate(sections):
        nav.append("<td class=\"sec\"><a href=\"/forum.cgi?forum=" + str(k + 1) + "\" title=\"" + sec + "\">" + sec + "</a><br><span class=\"small\">тем: " + str(1200 + 317 * k) + ", сообщений: " + str(48000 + 9133 * k) + "</span></td>\n")
    nav.append("</tr></table>\n<div class=\"rules\">Перед созданием темы ознакомьтесь с <a href=\"/rules.html\">Правилами форума</a>. Обсуждение обхода блокировок - только в соответствующих темах.</div>\n")
    parts = [head, "".join(nav), "<table class=\"topic\" width=\"100%\" cellspacing=\"1\">\n"]
    for i in range(4):
        for j, (user, text) in enumerate(posts):
            n = start + i * len(posts) + j + 1
            day = 11 + (n // 7)
            parts.append(
                "<tr class=\"post\"><td class=\"author\" width=\"140\" valign=\"top\"><b>" + user + "</b><br><span class=\"small\">Участник</span><br>"
                "<span class=\"small\">Сообщений: " + str(100 + 37 * n) + "</span></td>\n<td class=\"msg\" valign=\"top\"><a name=\"" + str(n) + "\"></a>"
                "<span class=\"date\">Отправлено: " + f"{day:02d}" + ":01:2025 " + f"{(9 + n) % 24:02d}:{(7 * n) % 60:02d}" + " | #" + str(n) + "</span><hr>"
                + (text if i == 0 else "Ответ #" + str(n) + ": " + text) + "<br><br><span class=\"sig\">---<br>Всё работает, пока не трогаешь.</span></td></tr>\n")
    parts.append("</table>\n<div class=\"pages\">Страницы: <a href=\"/topic.cgi?forum=5&amp;topic=11932&amp;start=0\">1</a> <a href=\"/topic.cgi?forum=5&amp;topic=11932&amp;start=20\">2</a></div>\n")
    parts.append("<div class=\"footer\">Форум Ru-Board.com | &copy; Ru-Board.com 2000-2025</div>\n</body></html>\n")
    return "".join(parts).encode("cp1251")


def cap_forum_quotes_blockpage():
    """Benign: an office PC (VLAN 20) reads a public forum thread ON the subject of site
    blocking.  The forum's own HTML (plain HTTP, 200 OK, windows-1251) quotes the Russian
    registry stub text ("Доступ к сайту ограничен в соответствии с Федеральными законами"),
    links to http://eais.rkn.gov.ru/, mentions warning.rt.ru, //t2rkn.com/ and
    subblock.mts.ru, and an English corporate-proxy text ("Access Denied. This site has
    been blocked by the administrator").  The responses are genuine: they come from the
    forum's server one RTT after each request, with the server's constant TTL and
    increasing IP IDs, full Content-Length, two full pages on one keep-alive connection, no
    race, no RST; the server closes the idle connection after its 15 s keep-alive timeout.
    Naive detectors: body substring match on block-page fingerprints -> blockpage.  A
    careful analyst sees a large forum page, served by the requested host itself, that
    merely talks about block pages."""
    rng = random.Random(8104)
    cap = Capture("b8i_forum_quotes_blockpage.pcap", "vlan", 1736944213, 8104, cmac="00:15:5d:0a:1e:29", gmac="00:1b:21:c4:70:02", vlan=20)
    pc = Prof("office-pc", 128, idmode="global", style="windows", mss=1460, ws=8, win=1026, synwin=64240)
    addns = Prof("ad-dns", 127, idmode="global")
    srv = Prof("ruboard", 52, style="linux", mss=1460, ws=7, win=501, synwin=65160, ts=False)
    cip, rip, sip = "10.20.30.41", "10.20.0.2", "195.208.1.136"
    rtt = 0.0381
    title = "Блокировки сайтов провайдерами: заглушки, реестр РКН, что показывает браузер"
    t = dns_exchange(cap, 0.0, 0.0142, cip, rip, 61022, 0x5A1F, "forum.ru-board.com", "A", pc, addns, answers=[A("forum.ru-board.com", sip, 3600)], edns=False)
    c = Conn(cap, rng, cip, 50544, sip, 80, pc, srv)
    t = c.handshake(t + 0.0011, rtt)
    ua = b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    end = t
    for k, (path, posts, start, delay) in enumerate([
        (b"/topic.cgi?forum=5&topic=11932&start=0", FORUM_POSTS_1, 0, 0.0004),
        (b"/topic.cgi?forum=5&topic=11932&start=20", FORUM_POSTS_2, 20, 47.3),
    ]):
        req = (b"GET " + path + b" HTTP/1.1\r\nHost: forum.ru-board.com\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nUser-Agent: " + ua +
               b"\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8\r\n"
               + (b"Referer: http://forum.ru-board.com/topic.cgi?forum=5&topic=11932&start=0\r\n" if k else b"")
               + b"Accept-Encoding: gzip, deflate\r\nAccept-Language: ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7\r\nCookie: amembernamecookie=; apasswordcookie=\r\n\r\n")
        tq = c.send(end + delay, "c", req)
        body = forum_page(posts, start, title)
        hdr = ("HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: " + http_date(1736944213 + int(tq)) + "\r\nContent-Type: text/html; charset=windows-1251\r\n"
               "Content-Length: " + str(len(body)) + "\r\nConnection: keep-alive\r\nKeep-Alive: timeout=15\r\nCache-Control: no-cache\r\nPragma: no-cache\r\n\r\n").encode()
        tl, ta = c.transfer(tq + rtt + 0.021, "s", hdr + body, rtt, 60e6, last_ack_delay=0.0002)
        end = max(tl, ta)
    # server closes the idle keep-alive connection after 15 s
    c.close(end + 15.0, "s", rtt)
    return cap


# ===========================================================================
# 5. DNSSEC-broken zone: SERVFAIL from every validating resolver (pcapng, IPv6+IPv4)
# ===========================================================================


def cap_dnssec_bogus_servfail():
    """Benign: the zone meduza.io is DNSSEC-broken (a botched key rollover: the DS in the
    parent matches no DNSKEY).  From a German home line (Telekom), the ISP's validating
    resolver (IPv6) answers SERVFAIL for A and AAAA, twice; control names resolve fine
    through it.  The user switches to 1.1.1.1 and 8.8.8.8: both also answer SERVFAIL, with
    Extended DNS Error 9 "DNSKEY Missing" ("no SEP matching the DS found") and 6 "DNSSEC
    Bogus".  With checking disabled (CD=1) 1.1.1.1 returns the addresses, and a TLS
    connection to them works.  Every response is single, well-formed, from the queried
    resolver with its usual TTL, one RTT after the query.
    Naive detectors: "SERVFAIL for a politically sensitive name, also through public
    resolvers" -> dns-tampering.  A careful analyst sees three independent validating
    resolvers agree on a DNSSEC validation failure (EDE codes), the CD=1 answer and the
    working connection: a broken zone, not censorship."""
    rng = random.Random(8105)
    cap = Capture("b8i_dnssec_bogus_servfail.pcapng", "eth", 1743497130, 8105, cmac="9c:6b:00:12:3a:41", gmac="3c:a6:2f:8e:51:20", ifname="enp3s0", fmt="pcapng")
    cli = Prof("desktop", 64, style="linux", mss=1460, ws=7, win=501, synwin=64240)
    isp = Prof("isp-res", 58)
    cf = Prof("1.1.1.1", 57, idmode="rand")
    gg = Prof("8.8.8.8", 117, idmode="rand")
    web = Prof("web", 56, style="linux", mss=1400, ws=13, win=9, synwin=65535)
    c4, c6 = "192.168.178.25", "2003:e2:4f1a:8c00:9e6b:ff:fe12:3a41"
    r6 = "2003:180:2:7000::53"
    soa_de = DNSRRSOA(rrname="tagesschau.de", ttl=600, mname="ns1.ard.de", rname="hostmaster.ard.de", serial=2025040101, refresh=7200, retry=1800, expire=1209600, minimum=600)

    def q(t, srv, prof, name, qt, rtt, **kw):
        src = c6 if ":" in srv else c4
        return dns_exchange(cap, t, rtt, src, srv, rng.randrange(32768, 60999), rng.randrange(65536), name, qt, cli, prof, **kw)

    # browser: A + AAAA meduza.io -> SERVFAIL (ISP resolver, validating)
    for t0 in (0.0, 6.4):
        q(t0, r6, isp, "meduza.io", "A", 0.2121 if t0 == 0 else 0.0143, rcode=2, ad_q=0)
        q(t0 + 0.0002, r6, isp, "meduza.io", "AAAA", 0.2204 if t0 == 0 else 0.0139, rcode=2)
    # control names via the same resolver work
    q(9.1, r6, isp, "www.tagesschau.de", "A", 0.0261, answers=[CNAME("www.tagesschau.de", "www.tagesschau.de.edgekey.net", 300), CNAME("www.tagesschau.de.edgekey.net", "e5239.dscb.akamaiedge.net", 21600), A("e5239.dscb.akamaiedge.net", "23.57.4.81", 20)])
    q(9.1002, r6, isp, "www.tagesschau.de", "AAAA", 0.0255, answers=[CNAME("www.tagesschau.de", "www.tagesschau.de.edgekey.net", 300), CNAME("www.tagesschau.de.edgekey.net", "e5239.dscb.akamaiedge.net", 21600), AAAA("e5239.dscb.akamaiedge.net", "2a02:26f0:1780:384::1473", 20)])
    q(9.6, r6, isp, "tagesschau.de", "MX", 0.0312, answers=[], ns=[soa_de])
    q(10.3, r6, isp, "www.wikipedia.org", "A", 0.0147, answers=[CNAME("www.wikipedia.org", "dyna.wikimedia.org", 86400), A("dyna.wikimedia.org", "185.15.59.224", 600)])
    # dig @1.1.1.1 / @8.8.8.8 (dig sets AD=1 in queries)
    ede9 = (9, "no SEP matching the DS found for meduza.io.")
    q(25.2, "1.1.1.1", cf, "meduza.io", "A", 0.1843, rcode=2, ad_q=1, ede=ede9)
    q(27.9, "1.1.1.1", cf, "meduza.io", "AAAA", 0.0132, rcode=2, ad_q=1, ede=ede9)
    q(31.4, "8.8.8.8", gg, "meduza.io", "A", 0.2371, rcode=2, ad_q=1, ede=(6, ""))
    q(34.0, "1.1.1.1", cf, "example.com", "A", 0.0121, ad_q=1, ad_r=1, answers=[A("example.com", "23.192.228.80", 1864), A("example.com", "23.215.0.136", 1864)])
    # checking disabled: the records exist
    ans = [A("meduza.io", "104.22.32.182", 300), A("meduza.io", "104.22.33.182", 300), A("meduza.io", "172.67.34.246", 300)]
    t = q(40.2, "1.1.1.1", cf, "meduza.io", "A", 0.0128, cd=1, ad_q=1, answers=ans)
    # and the site answers over TLS (curl --resolve)
    c = Conn(cap, rng, c4, 49862, "104.22.32.182", 443, cli, web)
    t = c.handshake(48.7, 0.0154)
    t = tls_session(c, t, 0.0154, "meduza.io", flight=3600, req=380, resp=92000, rate=90e6)
    c.close(t + 0.05, "c", 0.0154)
    return cap


# ===========================================================================
# 6. GeoDNS / CDN mapping: same resolver, different answers 30 s apart (pcapng, v6+v4)
# ===========================================================================


def cap_geodns_rotation():
    """Benign: CDN traffic steering.  www.tiktok.com (Akamai, answer TTL 20 s) and
    www.netflix.com (AWS NLB behind a CNAME chain, TTL 60 s) are resolved several times
    through the SAME home-router resolver.  A re-query 12 s later is served from cache
    (same records, TTL decremented to 8); after expiry the queries return entirely
    different addresses (another Akamai cluster, other /8s; another set of AWS addresses),
    A and AAAA alike.  Every query gets exactly one response with the right ID from the
    resolver, and TLS connections to the old and the new addresses (IPv6 first) all work.
    Naive detectors: "same name, same resolver, different answers" -> dns-injection;
    "unmatched answers" -> dns-tampering.  A careful analyst sees no duplicate response
    per query, short CDN TTLs explaining the change, and working connections to all."""
    rng = random.Random(8106)
    cap = Capture("b8i_geodns_rotation.pcapng", "eth", 1744113020, 8106, cmac="a4:83:e7:5b:0c:9e", gmac="c8:3a:35:d1:44:10", ifname="en0", fmt="pcapng")
    mac_p = Prof("macbook", 64, idmode="rand", style="macos", mss=1440, ws=6, win=2048, synwin=65535)
    mac4 = Prof("macbook", 64, idmode="rand", style="macos", mss=1460, ws=6, win=2048, synwin=65535)
    router = Prof("router", 64, idmode="rand")
    akam = Prof("akamai", 56, style="linux", mss=1440, ws=7, win=501, synwin=65160)
    aws = Prof("aws-nlb", 45, style="linux", mss=1440, ws=9, win=490, synwin=62643)
    c4, c6, rip = "192.168.0.17", "2a02:c7c:5e21:a900:2d41:f3b:9c22:7e15", "192.168.0.1"

    def tik(tt, a4, a6, ttl, age=0):
        # the resolver's cache: CNAMEs keep ageing, the 20 s A/AAAA records are refetched after expiry
        ch = [CNAME("www.tiktok.com", "www.tiktok.com.edgesuite.net", 300 - age), CNAME("www.tiktok.com.edgesuite.net", "a2047.dscd.akamai.net", 21600 - age)]
        dns_exchange(cap, tt, 0.0094 if ttl == 20 else 0.0006, c4, rip, rng.randrange(49152, 65535), rng.randrange(65536), "www.tiktok.com", "A", mac4, router, answers=ch + [A("a2047.dscd.akamai.net", a, ttl) for a in a4])
        return dns_exchange(cap, tt + 0.0003, 0.0101 if ttl == 20 else 0.0007, c4, rip, rng.randrange(49152, 65535), rng.randrange(65536), "www.tiktok.com", "AAAA", mac4, router, answers=ch + [AAAA("a2047.dscd.akamai.net", a, ttl) for a in a6])

    def nfx(tt, a4, a6, elb, age=0):
        ch = [CNAME("www.netflix.com", "www.dradis.netflix.com", 300 - age), CNAME("www.dradis.netflix.com", "www.eu-west-1.internal.dradis.netflix.com", 60), CNAME("www.eu-west-1.internal.dradis.netflix.com", elb, 60)]
        dns_exchange(cap, tt, 0.0213, c4, rip, rng.randrange(49152, 65535), rng.randrange(65536), "www.netflix.com", "A", mac4, router, answers=ch + [A(elb, a, 60) for a in a4])
        return dns_exchange(cap, tt + 0.0003, 0.0224, c4, rip, rng.randrange(49152, 65535), rng.randrange(65536), "www.netflix.com", "AAAA", mac4, router, answers=ch + [AAAA(elb, a, 60) for a in a6])

    def tls6(tt, dst, sni, prof, rtt, resp):
        c = Conn(cap, rng, c6, rng.randrange(49152, 65535), dst, 443, mac_p, prof)
        t = c.handshake(tt, rtt)
        t = tls_session(c, t, rtt, sni, flight=4100, req=520, resp=resp, rate=70e6)
        c.close(t + 2.5, "c", rtt)

    t1a4, t1a6 = ["2.21.22.152", "2.21.22.154"], ["2a02:26f0:c900:1::1730:8e9a", "2a02:26f0:c900:1::1730:8e91"]
    t = tik(0.0, t1a4, t1a6, 20)
    tls6(t + 0.0008, t1a6[0], "www.tiktok.com", akam, 0.0112, 61000)
    elb1 = "apiproxy-website-nlb-prod-1-bcf28d21f4bbcf2c.elb.eu-west-1.amazonaws.com"
    n1a4 = ["54.155.178.5", "52.31.56.175", "3.251.50.149"]
    n1a6 = ["2a05:d018:76c:b684:8e48:47c9:84aa:b34d", "2a05:d018:76c:b683:3a94:2a3c:9d04:17e0", "2a05:d018:76c:b685:c898:aa2d:7e35:46c0"]
    t = nfx(2.1, n1a4, n1a6, elb1)
    tls6(t + 0.0009, n1a6[0], "www.netflix.com", aws, 0.0231, 88000)
    # cached re-query: same records, TTL 8
    tik(12.3, t1a4, t1a6, 8, age=12)
    # after expiry: another Akamai cluster
    t2a4, t2a6 = ["23.52.73.41", "23.52.73.50"], ["2a02:26f0:2b00:181::2f1f", "2a02:26f0:2b00:181::2f25"]
    t = tik(31.4, t2a4, t2a6, 20, age=31)
    tls6(t + 0.0008, t2a6[0], "www.tiktok.com", akam, 0.0127, 44000)
    n2a4 = ["34.252.66.105", "52.17.12.202", "54.73.148.110"]
    n2a6 = ["2a05:d018:76c:b683:9d2:5c18:e1a0:3b2d", "2a05:d018:76c:b685:41e7:2c90:b8f1:6a03", "2a05:d018:76c:b684:f3d1:19a7:28c4:dd51"]
    t = nfx(68.5, n2a4, n2a6, elb1, age=66)
    tls6(t + 0.0009, n2a6[0], "www.netflix.com", aws, 0.0236, 73000)
    return cap


# ===========================================================================
# 7. slow streaming API + fast static files + big upload, same server (802.1Q, IPv6)
# ===========================================================================


def cap_slow_api_upload():
    """Benign: an enterprise user (IPv6, VLAN 120) uses chatgpt.com.  Connection A loads the
    page and static bundles (1.55 MB in well under a second).  Connection B posts a prompt:
    the server ACKs at once, then "thinks" for 20.6 s (idle link, no retransmissions) and
    streams the answer as ~150 small TLS records over ~9 s.  Connection C uploads a 2.6 MB
    file at the office uplink's rate and gets a 1.1 KB reply.  Later, connection A fetches
    600 KB more at full speed.
    Naive detectors: "server->client throughput of B (a few kbit/s) and of C (bytes per
    second) far below A to the same server" -> throttling.  A careful analyst sees an
    application-paced stream (server think time, tiny records, no loss, no retransmission,
    open windows) and an upload whose download direction is naturally small; the transport
    is never rate-limited."""
    rng = random.Random(8107)
    cap = Capture("b8i_slow_api_upload.pcap", "vlan", 1745310040, 8107, cmac="48:9e:bd:2c:71:f0", gmac="00:00:0c:9f:f0:78", vlan=120)
    pc = Prof("win11", 128, style="windows", mss=1440, ws=8, win=1025, synwin=64800)
    res = Prof("dns", 63)
    cf = Prof("cloudflare", 56, style="linux", mss=1440, ws=10, win=83, synwin=65535, ts=False)
    c6, r6, s6 = "2a0a:8f40:12:120:b1c4:6e2f:81d3:4a77", "2a0a:8f40:12:10::53", "2606:4700:4400::ac40:9bd1"
    rtt = 0.0141
    dns_exchange(cap, 0.0, 0.0087, c6, r6, 55870, 0x2C41, "chatgpt.com", "A", pc, res, answers=[A("chatgpt.com", "172.64.155.209", 300), A("chatgpt.com", "104.18.32.47", 300)], edns=False)
    t = dns_exchange(cap, 0.0001, 0.0091, c6, r6, 55871, 0x6A0E, "chatgpt.com", "AAAA", pc, res, answers=[AAAA("chatgpt.com", s6, 300), AAAA("chatgpt.com", "2606:4700:4400::6812:202f", 300)], edns=False)
    # A: page + static bundles
    a = Conn(cap, rng, c6, 57120, s6, 443, pc, cf)
    t = a.handshake(t + 0.0012, rtt)
    t = tls_session(a, t, rtt, "chatgpt.com", flight=4200, req=610, resp=1550000, rate=95e6, think=0.035)
    # B: the prompt; 20.6 s until the first byte, then a slow token stream
    b = Conn(cap, rng, c6, 57131, s6, 443, pc, cf)
    tb = b.handshake(3.02, rtt)
    tb = tls_session(b, tb, rtt, "chatgpt.com", flight=4200, req=300, resp=900, rate=95e6, think=0.02)
    tb = b.send(tb + 0.2, "c", app_records(rng, 3650))
    b.ack(tb + rtt, "s")
    ts = tb + 20.6
    pending = 0
    last = ts
    for i in range(152):
        size = 60 + rng.randrange(0, 130) if i < 151 else 45
        b.send(ts, "s", app_records(rng, size))
        last = ts
        pending += 1
        if pending == 2:
            b.ack(ts + 0.00009, "c")
            pending = 0
        ts += 0.035 + rng.random() * 0.05
    if pending:
        b.ack(last + 0.2, "c")  # Windows delayed-ACK timer
    # C: 2.6 MB upload, small reply
    cc = Conn(cap, rng, c6, 57188, s6, 443, pc, cf)
    t = cc.handshake(40.4, rtt)
    t = tls_session(cc, t, rtt, "chatgpt.com", flight=4200, req=700, resp=420, rate=95e6, think=0.02)
    _, ta = cc.transfer(t + 0.05, "c", app_records(rng, 2600000), rtt, 22e6, init_cwnd=10)
    cc.transfer(ta + 0.35, "s", app_records(rng, 1100), rtt, 95e6, last_ack_delay=0.0001)
    # A again: more static files at full speed
    tq = a.send(47.2, "c", app_records(rng, 260))
    _, ta = a.transfer(tq + rtt + 0.012, "s", app_records(rng, 600000), rtt, 95e6, init_cwnd=40, last_ack_delay=0.0002)
    a.close(ta + 12.0, "c", rtt)
    b.close(ta + 12.2, "c", rtt)
    cc.close(ta + 12.3, "c", rtt)
    return cap


# ===========================================================================
# 8. public names that resolve to private addresses by design (plex.direct), Ethernet
# ===========================================================================


def cap_plex_direct_private():
    """Benign: a Plex client on a home LAN.  It asks plex.tv for its server list, then
    resolves 192-168-1-50.<server-hash>.plex.direct, a public name whose answer is, by
    design, the private address encoded in the label (192.168.1.50): Plex's way of giving
    a LAN server a publicly trusted certificate.  The TLS connection with that SNI to
    192.168.1.50:32400 on the same LAN succeeds and streams media.  The AAAA query gets an
    ordinary NODATA.  One answer per query, no race.
    Naive detectors: "public domain answered with an RFC 1918 address" -> dns-tampering
    (bogon answer).  A careful analyst sees that the address is exactly the one spelled in
    the name, that it belongs to a real host on the LAN that completes TLS for that name,
    and that other names resolve normally."""
    rng = random.Random(8108)
    cap = Capture("b8i_plex_direct_private.pcap", "eth", 1746021755, 8108, cmac="f8:4d:89:6a:20:5c", gmac="b0:be:76:11:8a:02")
    mac = Prof("macbook", 64, idmode="rand", style="macos", mss=1460, ws=6, win=2048, synwin=65535)
    router = Prof("router", 64, idmode="rand")
    nas = Prof("nas", 64, style="linux", mss=1460, ws=7, win=501, synwin=65160)
    aws = Prof("plex.tv", 46, style="linux", mss=1460, ws=8, win=489, synwin=62727)
    cip, rip, nip = "192.168.1.23", "192.168.1.1", "192.168.1.50"
    nas_mac = "00:11:32:a7:4e:19"
    h = "5f7e3c9a1b2d4e6f8a0b1c2d3e4f5a6b"
    pdname = "192-168-1-50." + h + ".plex.direct"
    t = dns_exchange(cap, 0.0, 0.0187, cip, rip, 60522, 0x8B3A, "plex.tv", "A", mac, router, answers=[A("plex.tv", a, 60) for a in ("52.48.216.162", "34.249.20.231", "54.78.110.29")])
    dns_exchange(cap, 0.0002, 0.0193, cip, rip, 58114, 0x1D07, "plex.tv", "AAAA", mac, router, ns=[DNSRRSOA(rrname="plex.tv", ttl=900, mname="ns-1287.awsdns-32.org", rname="awsdns-hostmaster.amazon.com", serial=1, refresh=7200, retry=900, expire=1209600, minimum=86400)])
    c = Conn(cap, rng, cip, 50731, "52.48.216.162", 443, mac, aws)
    t = c.handshake(t + 0.0011, 0.0298)
    t = tls_session(c, t, 0.0298, "plex.tv", flight=4700, req=820, resp=14200, rate=80e6, think=0.06)
    c.close(t + 5.5, "c", 0.0298)
    # the plex.direct name for the LAN server
    soa = DNSRRSOA(rrname="plex.direct", ttl=300, mname="ns1.plex.direct", rname="dns.plex.tv", serial=2025050101, refresh=3600, retry=600, expire=604800, minimum=300)
    t = dns_exchange(cap, 1.31, 0.0412, cip, rip, 52290, 0xE41C, pdname, "A", mac, router, answers=[A(pdname, nip, 300)])
    dns_exchange(cap, 1.3102, 0.0398, cip, rip, 63877, 0x3F55, pdname, "AAAA", mac, router, ns=[soa])
    n = Conn(cap, rng, cip, 50744, nip, 32400, mac, nas, mac=nas_mac)
    t = n.handshake(t + 0.0013, 0.00071)
    t = tls_session(n, t, 0.00071, pdname, flight=3500, req=640, resp=26000, rate=600e6, think=0.004, alpn=(b"http/1.1",))
    tq = n.send(t + 0.42, "c", app_records(rng, 540))
    _, ta = n.transfer(tq + 0.0007 + 0.011, "s", app_records(rng, 1400000), 0.00071, 450e6, init_cwnd=10, last_ack_delay=0.0004)
    tq = n.send(ta + 3.9, "c", app_records(rng, 540))
    _, ta = n.transfer(tq + 0.0007 + 0.009, "s", app_records(rng, 900000), 0.00071, 450e6, init_cwnd=10, last_ack_delay=0.0004)
    n.close(ta + 6.0, "c", 0.00071)
    return cap


# ===========================================================================

CAPTURES = [
    (cap_mobile_tcp_proxy, "A mobile operator's transparent split-TCP proxy answers every TCP handshake with one TTL and one shared IP ID counter for all servers while UDP shows the real servers; everything works, so it is an ordinary middlebox, not injection."),
    (cap_sat_pep_early_ack, "A satellite PEP in the modem ACKs the client's data locally (TTL 64, IP ID 0) long before the 610 ms RTT, but these are payload-less ACKs and all genuine data, handshakes and replies arrive intact."),
    (cap_cgnat_quic_idle, "Only packets of a QUIC connection idle for 41 s (past the CGNAT UDP timeout) go unanswered; a new QUIC connection with the same SNI to the same address and port works immediately."),
    (cap_forum_quotes_blockpage, "A genuine 200 forum page discussing site blocking quotes block-page texts and registry URLs; it is served by the requested server with consistent TTL, no race and no injection."),
    (cap_dnssec_bogus_servfail, "A DNSSEC-broken zone gets SERVFAIL from the ISP resolver, 1.1.1.1 and 8.8.8.8 alike (EDE DNSKEY Missing / DNSSEC Bogus), while CD=1 returns the records and the site is reachable."),
    (cap_geodns_rotation, "CDN names with 20-60 s TTLs return different addresses from the same resolver after their TTL expires, one response per query, and all addresses serve TLS normally."),
    (cap_slow_api_upload, "The low server-to-client throughput of a 20 s think-time streaming API call and of a large upload is application behaviour on an uncongested, loss-free path, while fetches from the same server run at full speed."),
    (cap_plex_direct_private, "plex.direct names resolve by design to the private address spelled in the label, and the LAN server at that address completes TLS for the name."),
]


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: blind8_benign_isp.py OUTDIR\n")
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for fn, why in CAPTURES:
        _FID[0] = 0
        cap = fn()
        n = cap.write(outdir)
        expect[cap.name] = {"expect": [], "why": why}
        print(f"{cap.name}: {n} packets")
    with open(os.path.join(outdir, "expect.json"), "w", encoding="utf-8") as f:
        json.dump(expect, f, indent=2, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
