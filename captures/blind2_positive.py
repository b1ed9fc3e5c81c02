#!/usr/bin/env python3
# ruff: noqa: B007, B905, E501, F841, RUF005, RUF046, SIM212
"""Blind hold-out set #2, positive cases: one censorship mechanism per capture.

Deterministic: every random choice comes from random.Random(<fixed seed per case>), every
timestamp from a fixed epoch.  Run with the project's venv python (scapy + cryptography):

    python captures/blind2_positive.py OUTDIR (the captures and expect.json go to OUTDIR;
    tests/test_blind_sets.py runs it into a temporary folder)

Writes the captures next to this file and expect.json describing each case.
"""
import hashlib
import hmac
import ipaddress
import json
import os
import random
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.all import IP, TCP, UDP, IPOption_RR, IPv6, raw

OUT = "."  # the output folder, set by main() from the command line
EXPECT = {}


def S(x):
    """seconds (float) -> integer nanoseconds"""
    return int(round(x * 1_000_000_000))


MS = 1_000_000
US = 1_000

# ---------------------------------------------------------------------------------------------
# capture writers
# ---------------------------------------------------------------------------------------------

LINKTYPE = {"eth": 1, "vlan": 1, "qinq": 1, "raw": 101, "sll": 113}


class Cap:
    """Collects (time_ns, l3 bytes, outgoing?, iface) and writes pcap / pcapng."""

    def __init__(self, fname, fmt="pcap", nsec=False, ifaces=None, t0=0):
        self.fname = fname
        self.fmt = fmt
        self.nsec = nsec
        self.ifaces = ifaces or [{"link": "eth", "name": "eth0"}]
        self.pkts = []
        self.n = 0
        self.t0 = t0  # epoch seconds of relative time 0
        self.ipid_seq = {}  # src IPv4 -> first IP ID: rewrite that host's IP IDs as one counter in time order

    def add(self, t, l3, out, iface=0):
        self.n += 1
        self.pkts.append((int(t), self.n, bytes(l3), bool(out), iface))
        return self.n

    def frames(self, ids):
        """1-based frame numbers (Wireshark numbering) of packets returned by add()."""
        order = {p[1]: i + 1 for i, p in enumerate(sorted(self.pkts, key=lambda p: (p[0], p[1])))}
        return sorted(order[i] for i in ids)

    # -- link layer ---------------------------------------------------------------------------
    def _frame(self, l3, out, iface):
        ifc = self.ifaces[iface]
        link = ifc["link"]
        etype = 0x86DD if (l3[0] >> 4) == 6 else 0x0800
        me = bytes.fromhex(ifc.get("mac", "3c:22:fb:7a:10:5e").replace(":", ""))
        gw = bytes.fromhex(ifc.get("gw", "e4:8d:8c:21:9a:04").replace(":", ""))
        if link == "raw":
            return l3
        if link == "sll":
            ptype = 4 if out else 0
            addr = me if out else gw
            return struct.pack(">HHH", ptype, 1, 6) + addr + b"\0\0" + struct.pack(">H", etype) + l3
        src, dst = (me, gw) if out else (gw, me)
        hdr = dst + src
        if link == "vlan":
            hdr += struct.pack(">HH", 0x8100, (ifc.get("prio", 0) << 13) | ifc["vlan"])
        elif link == "qinq":
            hdr += struct.pack(">HH", 0x88A8, ifc["svlan"]) + struct.pack(">HH", 0x8100, ifc["cvlan"])
        fr = hdr + struct.pack(">H", etype) + l3
        if not out and len(fr) < 60:  # received short frames carry the Ethernet pad
            fr += b"\0" * (60 - len(fr))
        return fr

    def synacks(self, v6):
        """number of TCP SYN+ACK packets (completed handshakes) over IPv6 (v6=True) or IPv4."""
        n = 0
        for _, _, b, _, _ in self.pkts:
            if (v6 and b[0] >> 4 == 6 and b[6] == 6 and b[40 + 13] & 0x12 == 0x12) or (not v6 and b[0] >> 4 == 4 and b[9] == 6 and b[(b[0] & 15) * 4 + 13] & 0x12 == 0x12):
                n += 1
        return n

    def write(self):
        pk = sorted(self.pkts, key=lambda p: (p[0], p[1]))
        if self.ipid_seq:
            ctr = dict(self.ipid_seq)
            out = []
            for t, n, b, o, i in pk:
                if b[0] >> 4 == 4:
                    src = ".".join(str(x) for x in b[12:16])
                    if src in ctr:
                        p = IP(b)
                        p.id = ctr[src]
                        ctr[src] = (ctr[src] + 1) & 0xFFFF
                        del p.chksum
                        b = raw(p)
                out.append((t, n, b, o, i))
            pk = out
        path = os.path.join(OUT, self.fname)
        with open(path, "wb") as f:
            if self.fmt == "pcap":
                link = LINKTYPE[self.ifaces[0]["link"]]
                magic = 0xA1B23C4D if self.nsec else 0xA1B2C3D4
                f.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, 262144, link))
                for t, _, l3, out, ifc in pk:
                    fr = self._frame(l3, out, ifc)
                    tt = self.t0 * 1_000_000_000 + t
                    sec, frac = divmod(tt, 1_000_000_000)
                    if not self.nsec:
                        frac //= 1000
                    f.write(struct.pack("<IIII", sec, frac, len(fr), len(fr)) + fr)
            else:
                def block(btype, body):
                    body += b"\0" * ((4 - len(body) % 4) % 4)
                    ln = len(body) + 12
                    return struct.pack("<II", btype, ln) + body + struct.pack("<I", ln)

                def opt(code, val):
                    v = val + b"\0" * ((4 - len(val) % 4) % 4)
                    return struct.pack("<HH", code, len(val)) + v

                shb = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
                shb += opt(2, b"x86_64") + opt(3, b"Linux 6.1.0-18-amd64") + opt(4, b"Dumpcap (Wireshark) 4.0.17") + opt(0, b"")
                f.write(block(0x0A0D0D0A, shb))
                for ifc in self.ifaces:
                    body = struct.pack("<HHI", LINKTYPE[ifc["link"]], 0, 262144)
                    body += opt(2, ifc["name"].encode())
                    if ifc.get("tsresol", 6) != 6:
                        body += opt(9, bytes([ifc["tsresol"]]))
                    body += opt(12, b"Linux 6.1.0-18-amd64") + opt(0, b"")
                    f.write(block(1, body))
                for t, _, l3, out, ifc in pk:
                    fr = self._frame(l3, out, ifc)
                    res = self.ifaces[ifc].get("tsresol", 6)
                    tt = self.t0 * 1_000_000_000 + t
                    units = tt // (10 ** (9 - res))
                    body = struct.pack("<IIIII", ifc, units >> 32, units & 0xFFFFFFFF, len(fr), len(fr)) + fr
                    f.write(block(6, body))
        return path


# ---------------------------------------------------------------------------------------------
# IP helpers
# ---------------------------------------------------------------------------------------------

def is6(a):
    return ":" in a


def l3(src, dst, l4, ttl, ipid=0, df=True, opts=None, tos=0, fl=0):
    if is6(src):
        p = IPv6(src=src, dst=dst, hlim=ttl, fl=fl, tc=tos) / l4
    else:
        p = IP(src=src, dst=dst, ttl=ttl, id=ipid & 0xFFFF, flags="DF" if df else 0,
               options=opts or [], tos=tos) / l4
    return raw(p)


def ip4_fragments(src, dst, l4, ttl, ipid, fragsize=1480):
    """Build a UDP datagram (checksum over the whole payload) and split it in IPv4 fragments."""
    full = IP(src=src, dst=dst, ttl=ttl, id=ipid, flags=0) / l4
    b = raw(full)
    ihl = (b[0] & 0xF) * 4
    payload = b[ihl:]
    out = []
    off = 0
    while off < len(payload):
        chunk = payload[off:off + fragsize]
        more = off + len(chunk) < len(payload)
        fr = IP(src=src, dst=dst, ttl=ttl, id=ipid, flags="MF" if more else 0, frag=off // 8,
                proto=17) / chunk
        out.append(raw(fr))
        off += len(chunk)
    return out


# ---------------------------------------------------------------------------------------------
# DNS wire format
# ---------------------------------------------------------------------------------------------

QT = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "OPT": 41,
      "RRSIG": 46, "HTTPS": 65}


def qn(name):
    out = b""
    for lab in name.rstrip(".").split("."):
        if lab:
            out += bytes([len(lab)]) + lab.encode()
    return out + b"\0"


def rr(name, rtype, ttl, rdata, cls=1):
    nb = name if isinstance(name, bytes) else qn(name)
    return nb + struct.pack(">HHIH", QT.get(rtype, rtype) if isinstance(rtype, str) else rtype,
                            cls, ttl, len(rdata)) + rdata


PTR0 = b"\xc0\x0c"


def A(a):
    return ipaddress.IPv4Address(a).packed


def AAAA(a):
    return ipaddress.IPv6Address(a).packed


def opt_rr(size=1232, do=False, options=b""):
    return b"\0" + struct.pack(">HHIH", 41, size, 0x8000 if do else 0, len(options)) + options


def dns_query(txid, name, qtype, rd=True, edns=True, do=False, cookie=None, ad=True, bufsize=1232):
    flags = (0x0100 if rd else 0) | (0x0020 if ad else 0)
    opts = b""
    if cookie:
        opts = struct.pack(">HH", 10, len(cookie)) + cookie
    hdr = struct.pack(">HHHHHH", txid, flags, 1, 0, 0, 1 if edns else 0)
    q = qn(name) + struct.pack(">HH", QT[qtype] if isinstance(qtype, str) else qtype, 1)
    return hdr + q + (opt_rr(bufsize, do, opts) if edns else b"")


def dns_response(query, answers=(), auth=(), add=(), rcode=0, flags=None, edns=True, do=False,
                 server_cookie=None, ra=True, aa=False):
    """answers/auth/add: lists of already encoded RRs."""
    txid, qflags = struct.unpack(">HH", query[:4])
    qend = 12
    while query[qend] != 0:
        qend += query[qend] + 1
    qend += 5
    question = query[12:qend]
    if flags is None:
        flags = 0x8000 | (qflags & 0x0100) | (0x0080 if ra else 0) | (0x0400 if aa else 0) | rcode
    addl = list(add)
    if server_cookie == "echo":  # client cookie (last 8 bytes of the query) + 16-byte server cookie
        server_cookie = query[-8:] + hashlib.sha256(query).digest()[:16]
    if edns:
        opts = b""
        if server_cookie:
            opts = struct.pack(">HH", 10, len(server_cookie)) + server_cookie
        addl.append(opt_rr(1232, do, opts))
    hdr = struct.pack(">HHHHHH", txid, flags, 1, len(answers), len(auth), len(addl))
    return hdr + question + b"".join(answers) + b"".join(auth) + b"".join(addl)


def soa(mname, rname, serial, minimum=300):
    return qn(mname) + qn(rname) + struct.pack(">IIIII", serial, 7200, 3600, 1209600, minimum)


# ---------------------------------------------------------------------------------------------
# TLS
# ---------------------------------------------------------------------------------------------

GREASE = [0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A, 0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A, 0xAAAA,
          0xBABA, 0xCACA, 0xDADA, 0xEAEA, 0xFAFA]


def u8(x):
    return bytes([x])


def u16(x):
    return struct.pack(">H", x)


def u24(x):
    return struct.pack(">I", x)[1:]


def vec8(b):
    return u8(len(b)) + b


def vec16(b):
    return u16(len(b)) + b


def ext(t, body):
    return u16(t) + vec16(body)


def tls_record(ctype, body, ver=0x0303):
    out = b""
    for i in range(0, len(body), 16384):
        out += u8(ctype) + u16(ver) + vec16(body[i:i + 16384])
    return out


def hs(mtype, body):
    return u8(mtype) + u24(len(body)) + body


def sni_ext(name):
    n = name.encode()
    return ext(0, vec16(u8(0) + vec16(n)))


def client_hello(rng, sni, style="chrome", alpn=("h2", "http/1.1"), pq=False, quic_tp=None,
                 pad=True):
    """Return the ClientHello handshake message (not the record)."""
    g1, g2 = rng.sample(GREASE, 2)
    rnd = rng.randbytes(32)
    sid = b"" if quic_tp is not None else rng.randbytes(32)
    if style == "chrome":
        suites = [g1, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8,
                  0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    elif style == "firefox":
        suites = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A,
                  0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    else:  # curl / openssl
        suites = [0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8, 0xCCAA, 0xC02B,
                  0xC02F, 0x009E, 0xC024, 0xC028, 0x006B, 0xC023, 0xC027, 0x0067, 0xC00A, 0xC014,
                  0x0039, 0xC009, 0xC013, 0x0033, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F,
                  0x00FF]
    if quic_tp is not None:
        suites = [0x1301, 0x1302, 0x1303]
    groups = ([0x11EC] if pq else []) + [0x001D, 0x0017, 0x0018]
    if style == "chrome" and quic_tp is None:
        groups = [g2] + groups
    exts = []
    if style == "chrome" and quic_tp is None:
        exts.append(ext(g1, b""))
    if sni is not None:
        exts.append(sni_ext(sni))
    exts.append(ext(23, b""))  # extended_master_secret
    exts.append(ext(0xFF01, b"\0"))  # renegotiation_info
    exts.append(ext(10, vec16(b"".join(u16(g) for g in groups))))
    exts.append(ext(11, vec8(b"\0")))
    exts.append(ext(35, b""))  # session ticket
    if alpn:
        exts.append(ext(16, vec16(b"".join(vec8(a.encode()) for a in alpn))))
    exts.append(ext(5, b"\x01\x00\x00\x00\x00"))  # status_request
    exts.append(ext(13, vec16(b"".join(u16(x) for x in
                                       [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]))))
    exts.append(ext(18, b""))  # SCT
    ks = b""
    if style == "chrome" and quic_tp is None:
        ks += u16(g2) + vec16(b"\0")
    if pq:
        ks += u16(0x11EC) + vec16(rng.randbytes(1184 + 32))
    ks += u16(0x001D) + vec16(rng.randbytes(32))
    exts.append(ext(51, vec16(ks)))
    exts.append(ext(45, vec8(b"\x01")))  # psk_key_exchange_modes
    vers = [0x0304] if quic_tp is not None else ([g1] if style == "chrome" else []) + [0x0304, 0x0303]
    exts.append(ext(43, vec8(b"".join(u16(v) for v in vers))))
    exts.append(ext(27, b"\x02\x00\x02"))  # compress_certificate brotli
    if quic_tp is not None:
        exts.append(ext(0x39, quic_tp))
    if style == "chrome" and quic_tp is None:
        exts.append(ext(0x4469, b"\x00\x03\x02\x68\x32"))  # application_settings
        exts.append(ext(0xFE0D, b"\x00\x00\x01\x00\x01" + u8(rng.randrange(256)) + vec16(rng.randbytes(32))
                        + vec16(rng.randbytes(144 + 32 * rng.randrange(3)))))  # GREASE ECH
        exts.append(ext(g2 ^ 0x1010, b"\0"))
    body_wo_pad = u16(0x0303) + rnd + vec8(sid) + vec16(b"".join(u16(s) for s in suites)) + b"\x01\x00"
    extb = b"".join(exts)
    if pad and quic_tp is None and style != "chrome":
        cur = len(body_wo_pad) + 2 + len(extb) + 4
        if cur < 512:
            extb += ext(21, b"\0" * max(0, 512 - cur - 4))
    return hs(1, body_wo_pad + vec16(extb))


def server_hello13(rng, ch, group=0x001D, cipher=0x1301, quic=False):
    sid_len = ch[4 + 34]
    sid = ch[4 + 35:4 + 35 + sid_len]
    kslen = 32 if group == 0x001D else 1088 + 32
    exts = ext(51, u16(group) + vec16(rng.randbytes(kslen))) + ext(43, u16(0x0304))
    body = u16(0x0303) + rng.randbytes(32) + vec8(sid) + u16(cipher) + b"\0" + vec16(exts)
    return hs(2, body)


def tls13_server_flight(rng, ch, cert_size, group=0x001D):
    sh = tls_record(22, server_hello13(rng, ch, group))
    return sh + tls_record(20, b"\x01") + tls_record(23, rng.randbytes(cert_size))


def appdata(rng, n, maxrec=16401):
    out = b""
    while n > 0:
        k = min(n, maxrec)
        out += tls_record(23, rng.randbytes(k))
        n -= k
    return out


# ---------------------------------------------------------------------------------------------
# TCP flows (capture point = the client)
# ---------------------------------------------------------------------------------------------

class Flow:
    def __init__(self, cap, rng, c, cport, s, sport, rtt, sttl, cttl=64, ts=True, iface=0,
                 cwin=502, swin=501, cws=7, sws=9, cmss=1460, smss=1460, sdf=True, cdf=True,
                 s_ipid="inc", copts=None, win_style="linux"):
        self.cap, self.rng = cap, rng
        self.c, self.cp, self.s, self.sp = c, cport, s, sport
        self.rtt, self.sttl, self.cttl = rtt, sttl, cttl
        self.ts, self.iface = ts, iface
        self.cwin, self.swin, self.cws, self.sws = cwin, swin, cws, sws
        if is6(c):
            cmss, smss = cmss - 20, smss - 20
        self.cmss, self.smss = cmss, smss
        self.sdf, self.cdf = sdf, cdf
        self.cisn = rng.getrandbits(32)
        self.sisn = rng.getrandbits(32)
        self.cseq, self.sseq = self.cisn, self.sisn
        self.c_ipid = rng.randrange(65536)
        self.s_ipid = rng.randrange(65536) if s_ipid == "inc" else None
        self.s_ipid_mode = s_ipid
        self.tsc = rng.getrandbits(31)
        self.tss = rng.getrandbits(31)
        self.last_tsc = 0
        self.last_tss = 0
        self.copts = copts  # IPv4 options for client packets (callable(idx) -> list or None)
        self.npk = 0
        self.win_style = win_style
        self.seg_c = cmss - (12 if ts else 0)
        self.seg_s = min(smss, cmss) - (12 if ts else 0)
        self.fl_c = rng.getrandbits(20) if is6(c) else 0
        self.fl_s = rng.getrandbits(20) if is6(s) else 0
        self.ids = []
        self.last_id = None

    # raw packet builder ---------------------------------------------------------------------
    def pkt(self, t, frm_c, flags, payload=b"", seq=None, ack=None, win=None, opts=None, ttl=None,
            ipid=None, df=None, ipopts=None, advance=True, tsopt=True, emit=True, sack=None, fl6=None):
        if frm_c:
            src, dst, sp, dp = self.c, self.s, self.cp, self.sp
            seq = self.cseq if seq is None else seq
            ack = self.sseq if ack is None else ack
            win = self.cwin if win is None else win
            ttl = self.cttl if ttl is None else ttl
            if ipid is None:
                ipid = self.c_ipid
                self.c_ipid = (self.c_ipid + 1) & 0xFFFF
            df = self.cdf if df is None else df
            if ipopts is None and self.copts:
                ipopts = self.copts(self.npk)
        else:
            src, dst, sp, dp = self.s, self.c, self.sp, self.cp
            seq = self.sseq if seq is None else seq
            ack = self.cseq if ack is None else ack
            win = self.swin if win is None else win
            ttl = self.sttl if ttl is None else ttl
            if ipid is None:
                if self.s_ipid_mode == "zero":
                    ipid = 0
                else:
                    ipid = self.s_ipid
                    self.s_ipid = (self.s_ipid + 1) & 0xFFFF
            df = self.sdf if df is None else df
        if opts is None:
            opts = []
            if self.ts and tsopt and "S" not in flags and "R" not in flags:
                tv = (self.tsc if frm_c else self.tss) + t // MS
                te = self.last_tss if frm_c else self.last_tsc
                opts = [("NOP", None), ("NOP", None), ("Timestamp", (tv & 0xFFFFFFFF, te & 0xFFFFFFFF))]
            if sack:
                blocks = []
                for a, b in sack[:3 if self.ts else 4]:
                    blocks += [a & 0xFFFFFFFF, b & 0xFFFFFFFF]
                opts = opts + [("NOP", None), ("NOP", None), ("SAck", tuple(blocks))]
        if frm_c and self.ts:
            self.last_tsc = self.tsc + t // MS
        elif self.ts:
            self.last_tss = self.tss + t // MS
        tcp = TCP(sport=sp, dport=dp, seq=seq & 0xFFFFFFFF, ack=(ack & 0xFFFFFFFF) if "A" in flags else 0,
                  flags=flags, window=win, options=opts)
        if payload:
            tcp = tcp / payload
        if fl6 is None:
            fl6 = self.fl_c if frm_c else self.fl_s
        b = l3(src, dst, tcp, ttl, ipid, df, ipopts, fl=fl6)
        if emit:
            self.last_id = self.cap.add(t, b, frm_c, self.iface)
            self.ids.append(self.last_id)
        self.npk += 1
        if advance:
            inc = len(payload) + (1 if ("S" in flags or "F" in flags) else 0)
            if frm_c:
                self.cseq = (seq + inc) & 0xFFFFFFFF
            else:
                self.sseq = (seq + inc) & 0xFFFFFFFF
        return b

    def syn_opts(self, frm_c, t=0):
        mss = self.cmss if frm_c else self.smss
        ws = self.cws if frm_c else self.sws
        if self.ts:
            tv = ((self.tsc if frm_c else self.tss) + t // MS) & 0xFFFFFFFF
            if frm_c:
                self.last_tsc = tv
            return [("MSS", mss), ("SAckOK", b""), ("Timestamp", (tv, 0 if frm_c else self.last_tsc)),
                    ("NOP", None), ("WScale", ws)]
        return [("MSS", mss), ("NOP", None), ("WScale", ws), ("NOP", None), ("NOP", None), ("SAckOK", b"")]

    def open(self, t, synack=True):
        self.pkt(t, True, "S", win=64240, opts=self.syn_opts(True, t), ack=0)
        if not synack:
            return t
        t2 = t + self.rtt
        self.pkt(t2, False, "SA", win=65160 if self.win_style == "linux" else 65535, opts=self.syn_opts(False, t2))
        t3 = t2 + 60 * US
        self.pkt(t3, True, "A")
        return t3

    def csend(self, t, data, gap=15 * US, psh_last=True, seg=None):
        seg = seg or self.seg_c
        chunks = [data[i:i + seg] for i in range(0, len(data), seg)]
        for i, ch in enumerate(chunks):
            last = i == len(chunks) - 1
            self.pkt(t, True, "PA" if (last and psh_last) else "A", ch)
            if not last:
                t += gap
        return t

    def ssend(self, t, data, gap=40 * US, ack_every=2, ack_delay=40 * US, seg=None, final_ack=True):
        seg = seg or self.seg_s
        chunks = [data[i:i + seg] for i in range(0, len(data), seg)]
        tl = t
        for i, ch in enumerate(chunks):
            last = i == len(chunks) - 1
            self.pkt(t, False, "PA" if last else "A", ch)
            tl = t
            if (i % ack_every == ack_every - 1) or (last and final_ack):
                self.pkt(t + ack_delay, True, "A")
                tl = t + ack_delay
            t += gap
        return tl

    def close(self, t, by="c", rst_after=False):
        if by == "c":
            self.pkt(t, True, "FA")
            self.pkt(t + self.rtt, False, "FA")
            self.pkt(t + self.rtt + 50 * US, True, "A")
            return t + self.rtt + 50 * US
        self.pkt(t, False, "FA")
        self.pkt(t + 70 * US, True, "FA")
        self.pkt(t + 70 * US + self.rtt, False, "A")
        return t + self.rtt + 70 * US


def tls13_session(fl, t, sni, style="chrome", alpn=("h2", "http/1.1"), req=600, resp=20000, pq=False,
                  cert=3800, close=True, idle=None, extra_rounds=0):
    rng = fl.rng
    t = fl.open(t)
    ch = client_hello(rng, sni, style, alpn, pq=pq)
    t = fl.csend(t + 200 * US, tls_record(22, ch, 0x0301))
    t = fl.ssend(t + fl.rtt + rng.randrange(300, 3000) * US, tls13_server_flight(rng, ch, cert))
    t += rng.randrange(2, 8) * MS
    t = fl.csend(t, tls_record(20, b"\x01") + tls_record(23, rng.randbytes(53)) + appdata(rng, req))
    t = fl.ssend(t + fl.rtt + rng.randrange(2, 40) * MS,
                 appdata(rng, 250) + appdata(rng, 250) + appdata(rng, resp))
    for _ in range(extra_rounds):
        t += rng.randrange(50, 900) * MS
        t = fl.csend(t, appdata(rng, rng.randrange(90, 700)))
        t = fl.ssend(t + fl.rtt + rng.randrange(2, 40) * MS, appdata(rng, rng.randrange(400, 30000)))
    if close:
        t += (idle if idle is not None else rng.randrange(300, 4000) * MS)
        t = fl.csend(t, appdata(rng, 19))  # close_notify (encrypted alert)
        t = fl.close(t + 100 * US)
    return t


def http_session(fl, t, host, path="/", status="200 OK", body=b"", ctype="text/html; charset=utf-8",
                 extra_hdrs="", ua=None, close=True):
    rng = fl.rng
    ua = ua or "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    t = fl.open(t)
    req = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {ua}\r\n"
           "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
           "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n").encode()
    t = fl.csend(t + 150 * US, req)
    resp = (f"HTTP/1.1 {status}\r\nServer: nginx\r\nDate: Mon, 10 Mar 2025 09:{rng.randrange(10, 59)}:{rng.randrange(10, 59)} GMT\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n{extra_hdrs}Connection: keep-alive\r\n\r\n").encode() + body
    t = fl.ssend(t + fl.rtt + rng.randrange(1, 30) * MS, resp)
    if close:
        t = fl.close(t + rng.randrange(200, 3000) * MS)
    return t


# ---------------------------------------------------------------------------------------------
# UDP / DNS exchanges
# ---------------------------------------------------------------------------------------------

class Host:
    """The capturing client: addresses, IP TTL, IP-ID counter."""

    def __init__(self, rng, v4=None, v6=None, ttl=64, iface=0, ipid_mode="rand"):
        self.rng, self.v4, self.v6, self.ttl, self.iface = rng, v4, v6, ttl, iface
        self.ipid = rng.randrange(65536)
        self.ipid_mode = ipid_mode
        self.ports = set()

    def next_ipid(self):
        if self.ipid_mode == "inc":
            self.ipid = (self.ipid + 1) & 0xFFFF
            return self.ipid
        return self.rng.randrange(65536)

    def port(self, lo=32768, hi=60999):
        while True:
            p = self.rng.randrange(lo, hi)
            if p not in self.ports:
                self.ports.add(p)
                return p

    def addr_for(self, peer):
        return self.v6 if is6(peer) else self.v4


def udp_c2s(cap, host, t, dst, sport, dport, payload, iface=None, df=False, ttl=None, ipopts=None):
    src = host.addr_for(dst)
    b = l3(src, dst, UDP(sport=sport, dport=dport) / payload, ttl or host.ttl, host.next_ipid(), df, ipopts)
    return cap.add(t, b, True, host.iface if iface is None else iface)


def udp_s2c(cap, host, t, src, sport, dport, payload, ttl, ipid=0, df=False, iface=None, fl=0):
    dst = host.addr_for(src)
    b = l3(src, dst, UDP(sport=sport, dport=dport) / payload, ttl, ipid, df, fl=fl)
    return cap.add(t, b, False, host.iface if iface is None else iface)


class Resolver:
    def __init__(self, addr, rtt, ttl, rng, df=False, ipid="rand"):
        self.addr, self.rtt, self.ttl, self.rng, self.df = addr, rtt, ttl, rng, df
        self.ipid_mode = ipid
        self.ipid = rng.randrange(65536)

    def next_ipid(self):
        if self.ipid_mode == "zero":
            return 0
        if self.ipid_mode == "inc":
            self.ipid = (self.ipid + 1) & 0xFFFF
            return self.ipid
        return self.rng.randrange(65536)


def dns_lookup(cap, host, res, t, name, qtype, answers, rcode=0, auth=(), edns=True, extra_delay=None,
               cookie=True, iface=None):
    """One query + its genuine answer. Returns (t_answer, query bytes, sport)."""
    rng = host.rng
    txid = rng.randrange(65536)
    ck = rng.randbytes(8) if cookie else None
    q = dns_query(txid, name, qtype, edns=edns, cookie=ck)
    sp = host.port()
    udp_c2s(cap, host, t, res.addr, sp, 53, q, iface=iface)
    d = res.rtt + (extra_delay if extra_delay is not None else rng.randrange(0, 4000) * US)
    r = dns_response(q, answers, auth=auth, rcode=rcode, edns=edns,
                     server_cookie=(ck + rng.randbytes(16)) if ck else None)
    udp_s2c(cap, host, t + d, res.addr, 53, sp, r, res.ttl, res.next_ipid(), res.df, iface=iface)
    return t + d, q, sp


def answers_for(name, cname, addrs, rtype, ttl=300):
    out = []
    owner = PTR0
    if cname:
        out.append(rr(PTR0, "CNAME", ttl, qn(cname)))
        owner = qn(cname)
    for a in addrs:
        out.append(rr(owner, rtype, min(ttl, 60) if cname else ttl, A(a) if rtype == "A" else AAAA(a)))
    return out


# ---------------------------------------------------------------------------------------------
# QUIC (RFC 9001 / RFC 9369) Initial protection
# ---------------------------------------------------------------------------------------------

QV1, QV2 = 0x00000001, 0x6B3343CF
SALT = {QV1: bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
        QV2: bytes.fromhex("0dede3def700a6db819381be6e269dcbf9bd2ed9")}
LBL = {QV1: (b"quic key", b"quic iv", b"quic hp"), QV2: (b"quicv2 key", b"quicv2 iv", b"quicv2 hp")}
PTYPE = {QV1: {"initial": 0, "0rtt": 1, "handshake": 2, "retry": 3},
         QV2: {"initial": 1, "0rtt": 2, "handshake": 3, "retry": 0}}


def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand_label(secret, label, ctx, length):
    full = b"tls13 " + label
    info = u16(length) + vec8(full) + vec8(ctx)
    out, blk, i = b"", b"", 1
    while len(out) < length:
        blk = hmac.new(secret, blk + info + bytes([i]), hashlib.sha256).digest()
        out += blk
        i += 1
    return out[:length]


def quic_initial_keys(dcid, version, server):
    init = hkdf_extract(SALT[version], dcid)
    sec = hkdf_expand_label(init, b"server in" if server else b"client in", b"", 32)
    kl, il, hl = LBL[version]
    return (hkdf_expand_label(sec, kl, b"", 16), hkdf_expand_label(sec, il, b"", 12),
            hkdf_expand_label(sec, hl, b"", 16))


def varint(v):
    if v < 64:
        return bytes([v])
    if v < 16384:
        return struct.pack(">H", 0x4000 | v)
    if v < 2 ** 30:
        return struct.pack(">I", 0x80000000 | v)
    return struct.pack(">Q", 0xC000000000000000 | v)


def quic_long_protected(version, ptype, dcid, scid, pn, frames, keys, token=b"", min_len=None):
    key, iv, hp = keys
    pnl = 2
    first = 0xC0 | (PTYPE[version][ptype] << 4) | (pnl - 1)
    hdr_wo_len = u8(first) + struct.pack(">I", version) + vec8(dcid) + vec8(scid)
    if ptype == "initial":
        hdr_wo_len += varint(len(token)) + token
    payload = frames
    if min_len is not None:
        # total packet length >= min_len : pad with PADDING frames
        while True:
            length = pnl + len(payload) + 16
            total = len(hdr_wo_len) + len(varint(length)) + length
            if total >= min_len:
                break
            payload += b"\0" * (min_len - total)
    length = pnl + len(payload) + 16
    hdr = hdr_wo_len + varint(length) + struct.pack(">H", pn)
    nonce = bytes(a ^ b for a, b in zip(iv, (b"\0" * 4 + struct.pack(">Q", pn))))
    ct = AESGCM(key).encrypt(nonce, payload, hdr)
    pn_off = len(hdr) - pnl
    sample = ct[4 - pnl:4 - pnl + 16]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(hdr)
    h[0] ^= mask[0] & 0x0F
    for i in range(pnl):
        h[pn_off + i] ^= mask[1 + i]
    return bytes(h) + ct


def quic_long_opaque(rng, version, ptype, dcid, scid, nbytes):
    """A long-header packet whose payload we cannot decrypt (Handshake / 0-RTT)."""
    first = 0xC0 | (PTYPE[version][ptype] << 4) | rng.randrange(4)
    body = rng.randbytes(nbytes)
    return u8(first) + struct.pack(">I", version) + vec8(dcid) + vec8(scid) + varint(len(body)) + body


def quic_short(rng, dcid, nbytes):
    return u8(0x40 | rng.randrange(0x40)) + dcid + rng.randbytes(nbytes)


def crypto_frame(data, off=0):
    return b"\x06" + varint(off) + varint(len(data)) + data


def ack_frame(largest, delay=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(0)


def quic_tp(scid, rng):
    tp = b""

    def p(i, v):
        return varint(i) + varint(len(v)) + v
    tp += p(0x01, varint(30000))           # max_idle_timeout
    tp += p(0x03, varint(1472))            # max_udp_payload_size
    tp += p(0x04, varint(15728640))        # initial_max_data
    tp += p(0x05, varint(6291456))
    tp += p(0x06, varint(6291456))
    tp += p(0x07, varint(6291456))
    tp += p(0x08, varint(100))
    tp += p(0x09, varint(103))
    tp += p(0x0F, scid)                    # initial_source_connection_id
    return tp


class QuicConn:
    """Client-side view of a QUIC connection (client Initial is genuinely protected)."""

    def __init__(self, cap, host, server, sport, rtt, sttl, rng, version=QV1, dport=443, iface=None):
        self.cap, self.host, self.server, self.sport, self.dport = cap, host, server, sport, dport
        self.rtt, self.sttl, self.rng, self.version = rtt, sttl, rng, version
        self.dcid = rng.randbytes(8)
        self.scid = rng.randbytes(8) if rng.random() < 0.5 else b""
        self.srv_cid = rng.randbytes(8)
        self.iface = iface
        self.pn = 0
        self.ckeys = quic_initial_keys(self.dcid, version, False)
        self.skeys = quic_initial_keys(self.dcid, version, True)
        self.ch = None

    def client_initial(self, t, sni, alpn=("h3",)):
        if self.ch is None:
            self.ch = client_hello(self.rng, sni, "chrome", alpn, quic_tp=quic_tp(self.scid, self.rng))
        pkt = quic_long_protected(self.version, "initial", self.dcid, self.scid, self.pn,
                                  crypto_frame(self.ch), self.ckeys, min_len=1250)
        self.pn += 1
        udp_c2s(self.cap, self.host, t, self.server, self.sport, self.dport, pkt, iface=self.iface, df=True)

    def server_first_flight(self, t):
        rng = self.rng
        sh = server_hello13(rng, self.ch, quic=True)
        ini = quic_long_protected(self.version, "initial", self.scid, self.srv_cid, 0,
                                  ack_frame(0) + crypto_frame(sh), self.skeys)
        hs1 = quic_long_opaque(rng, self.version, "handshake", self.scid, self.srv_cid, 1200 - len(ini) - 20)
        udp_s2c(self.cap, self.host, t, self.server, self.dport, self.sport, ini + hs1, self.sttl,
                iface=self.iface)
        hs2 = quic_long_opaque(rng, self.version, "handshake", self.scid, self.srv_cid, rng.randrange(900, 1200))
        udp_s2c(self.cap, self.host, t + 30 * US, self.server, self.dport, self.sport, hs2, self.sttl,
                iface=self.iface)

    def client_finish(self, t):
        rng = self.rng
        ini = quic_long_protected(self.version, "initial", self.srv_cid, self.scid, self.pn,
                                  ack_frame(0), self.ckeys)
        self.pn += 1
        hs = quic_long_opaque(rng, self.version, "handshake", self.srv_cid, self.scid, 1250 - len(ini) - 20)
        udp_c2s(self.cap, self.host, t, self.server, self.sport, self.dport, ini + hs, iface=self.iface, df=True)
        udp_c2s(self.cap, self.host, t + 200 * US, self.server, self.sport, self.dport,
                quic_short(rng, self.srv_cid, rng.randrange(60, 400)), iface=self.iface, df=True)

    def data(self, t, n_down, gap=200 * US):
        rng = self.rng
        tt = t
        sent = 0
        i = 0
        while sent < n_down:
            k = min(1200, n_down - sent)
            udp_s2c(self.cap, self.host, tt, self.server, self.dport, self.sport,
                    quic_short(rng, self.scid, k), self.sttl, iface=self.iface)
            sent += k
            i += 1
            if i % 2 == 0:
                udp_c2s(self.cap, self.host, tt + 60 * US, self.server, self.sport, self.dport,
                        quic_short(rng, self.srv_cid, rng.randrange(30, 45)), iface=self.iface, df=True)
            tt += gap
        return tt

    def full(self, t, sni, n_down=30000):
        self.client_initial(t, sni)
        self.server_first_flight(t + self.rtt + 400 * US)
        t2 = t + self.rtt + 3 * MS
        self.client_finish(t2)
        t3 = self.data(t2 + self.rtt + 2 * MS, n_down)
        # client CONNECTION_CLOSE (1-RTT, opaque)
        udp_c2s(self.cap, self.host, t3 + 2000 * MS, self.server, self.sport, self.dport,
                quic_short(self.rng, self.srv_cid, 40), iface=self.iface, df=True)
        return t3 + 2000 * MS

    def unanswered(self, t, sni, tries=5, pto=0.3):
        """Initial retransmitted with exponential back-off, never answered."""
        d = 0.0
        for i in range(tries):
            self.client_initial(t + S(d), sni)
            d += pto * (2 ** i)
        return t + S(d)


# ---------------------------------------------------------------------------------------------
# ordinary browsing
# ---------------------------------------------------------------------------------------------

# name, v4 list, v6 list, cname, rtt(s), server ttl (observed), kind
SITES_GLOBAL = [
    ("www.wikipedia.org", ["185.15.58.224"], ["2a02:ec80:600:ed1a::1"], None, 0.021, 56, "tls"),
    ("en.wikipedia.org", ["185.15.58.224"], ["2a02:ec80:600:ed1a::1"], "dyna.wikimedia.org", 0.021, 56, "tls"),
    ("github.com", ["140.82.121.4"], [], None, 0.024, 52, "tls"),
    ("github.githubassets.com", ["185.199.108.154", "185.199.110.154"], ["2606:50c0:8000::154"], None, 0.008, 59, "tls"),
    ("www.python.org", ["151.101.0.223"], ["2a04:4e42::223"], "dualstack.python.map.fastly.net", 0.009, 58, "tls"),
    ("docs.python.org", ["151.101.128.223"], ["2a04:4e42:200::223"], "dualstack.python.map.fastly.net", 0.009, 58, "tls"),
    ("news.ycombinator.com", ["209.216.230.207"], [], None, 0.148, 47, "tls"),
    ("stackoverflow.com", ["104.18.32.7", "172.64.155.249"], [], None, 0.011, 58, "tls"),
    ("cdn.sstatic.net", ["104.18.41.241"], [], None, 0.011, 58, "tls"),
    ("www.kernel.org", ["139.178.84.217"], ["2604:1380:4641:c500::1"], None, 0.092, 50, "tls"),
    ("www.openstreetmap.org", ["184.104.179.132"], ["2001:470:1:fa1::15"], None, 0.031, 54, "tls"),
    ("fonts.googleapis.com", ["142.250.185.106"], ["2a00:1450:4001:82b::200a"], None, 0.014, 118, "tls"),
    ("fonts.gstatic.com", ["142.250.185.67"], ["2a00:1450:4001:828::2003"], None, 0.014, 118, "tls"),
    ("www.debian.org", ["130.89.148.77"], ["2001:67c:2564:a119::77"], None, 0.036, 53, "tls"),
    ("duckduckgo.com", ["52.142.124.215"], [], None, 0.040, 113, "tls"),
    ("www.rust-lang.org", ["18.66.27.69"], [], None, 0.016, 245, "tls"),
    ("crates.io", ["18.66.27.12"], [], None, 0.016, 245, "tls"),
    ("www.mozilla.org", ["34.149.146.129"], [], None, 0.018, 117, "tls"),
    ("deb.debian.org", ["151.101.2.132"], ["2a04:4e42::644"], "debian.map.fastlydns.net", 0.009, 58, "http"),
    ("detectportal.firefox.com", ["34.107.221.82"], [], "prod.detectportal.prod.cloudops.mozgcp.net", 0.017, 117, "http"),
    ("neverssl.com", ["34.223.124.45"], [], None, 0.160, 231, "http"),
    ("www.gnu.org", ["209.51.188.116"], ["2001:470:142:5::116"], None, 0.101, 49, "http"),
]

SITES_CN = [
    ("www.baidu.com", ["110.242.68.66", "110.242.68.3"], [], "www.a.shifen.com", 0.011, 54, "tls"),
    ("www.qq.com", ["183.3.226.35"], ["240e:ff:f101:10::15f"], "ins-r23tsuuf.ias.tencent-cloud.net", 0.029, 53, "tls"),
    ("www.bilibili.com", ["183.131.147.28"], [], "a.w.bilicdn1.com", 0.018, 55, "tls"),
    ("www.zhihu.com", ["118.89.204.198"], [], None, 0.032, 50, "tls"),
    ("www.jd.com", ["111.13.149.108"], [], "www.jd.com.gslb.qianxun.com", 0.035, 52, "tls"),
    ("www.163.com", ["61.147.236.43"], [], "www.163.com.163jiasu.com", 0.024, 54, "tls"),
    ("cn.bing.com", ["202.89.233.100"], [], "china.bing123.com", 0.027, 115, "tls"),
    ("gitee.com", ["180.76.198.225"], [], None, 0.030, 51, "tls"),
    ("mirrors.tuna.tsinghua.edu.cn", ["101.6.15.130"], ["2402:f000:1:400::2"], None, 0.021, 56, "tls"),
    ("www.taobao.com", ["140.205.94.189"], [], "www.taobao.com.danuoyi.tbcache.com", 0.026, 53, "tls"),
    ("github.com", ["20.205.243.166"], [], None, 0.071, 108, "tls"),
    ("www.python.org", ["151.101.0.223"], [], "dualstack.python.map.fastly.net", 0.184, 44, "tls"),
    ("developer.aliyun.com", ["47.246.22.229"], [], None, 0.026, 52, "tls"),
    ("mirrors.aliyun.com", ["121.29.23.200"], [], None, 0.019, 55, "http"),
    ("www.people.com.cn", ["61.156.199.30"], [], None, 0.023, 54, "http"),
]

SITES_RU = [
    ("ya.ru", ["5.255.255.242"], ["2a02:6b8::2:242"], None, 0.012, 57, "tls"),
    ("dzen.ru", ["62.217.160.2"], [], None, 0.013, 57, "tls"),
    ("vk.com", ["87.240.132.78", "93.186.225.194"], [], None, 0.018, 56, "tls"),
    ("sun9-57.userapi.com", ["95.142.206.3"], [], None, 0.018, 56, "tls"),
    ("www.avito.ru", ["146.158.48.32"], [], None, 0.010, 58, "tls"),
    ("mail.ru", ["94.100.180.201"], [], None, 0.014, 57, "tls"),
    ("www.gosuslugi.ru", ["213.59.254.7"], [], None, 0.016, 56, "tls"),
    ("habr.com", ["178.248.237.68"], [], None, 0.015, 56, "tls"),
    ("www.wikipedia.org", ["185.15.59.224"], [], None, 0.045, 52, "tls"),
    ("github.com", ["140.82.121.3"], [], None, 0.051, 50, "tls"),
    ("www.python.org", ["151.101.0.223"], [], "dualstack.python.map.fastly.net", 0.036, 55, "tls"),
    ("mirror.yandex.ru", ["213.180.204.183"], [], None, 0.013, 57, "http"),
    ("lenta.ru", ["81.19.72.32"], [], None, 0.011, 58, "tls"),
]


def browse(cap, host, res, rng, t0, t1, n, sites=SITES_GLOBAL, v6=False, quic=0, ts=True,
           cttl=None, exclude=(), style="chrome", iface=None, http_quota=2, copts=None):
    """n ordinary site visits spread over [t0, t1]: DNS lookups answered normally, then TLS
    (or plain HTTP) fetches.  Returns number of transport flows created."""
    pool = [s for s in sites if s[0] not in exclude]
    flows = 0
    times = sorted(rng.uniform(t0, t1) for _ in range(n))
    used_http = 0
    quic_left = quic
    for tt in times:
        name, a4, a6, cname, rtt, sttl, kind = rng.choice(pool)
        if kind == "http" and used_http >= http_quota:
            cands = [s for s in pool if s[6] == "tls"]
            name, a4, a6, cname, rtt, sttl, kind = rng.choice(cands)
        t = S(tt)
        use6 = v6 and a6 and host.v6
        t_a, _, _ = dns_lookup(cap, host, res, t, name, "A", answers_for(name, cname, a4, "A"), iface=iface)
        if host.v6 or v6:
            if a6:
                t_aaaa, _, _ = dns_lookup(cap, host, res, t + 120 * US, name, "AAAA",
                                          answers_for(name, cname, a6, "AAAA"), iface=iface)
            else:
                auth = [rr(qn(name if not cname else cname), "SOA", 900,
                           soa("ns1." + ".".join(name.split(".")[-2:]), "hostmaster." + ".".join(name.split(".")[-2:]),
                               2025031001))]
                t_aaaa, _, _ = dns_lookup(cap, host, res, t + 120 * US, name, "AAAA", [], auth=auth, iface=iface)
            t_a = max(t_a, t_aaaa)
        dst = rng.choice(a6) if use6 else rng.choice(a4)
        hop = sttl - (2 if use6 and sttl < 100 else 0)
        srtt = S(rtt * rng.uniform(0.95, 1.1))
        ifc = host.iface if iface is None else iface
        if kind == "http":
            used_http += 1
            fl = Flow(cap, rng, host.addr_for(dst), host.port(), dst, 80, srtt, hop, cttl or host.ttl, ts=ts,
                      iface=ifc, copts=copts)
            body = (b"<!DOCTYPE html>\n<html><head><title>" + name.encode() + b"</title></head><body>"
                    + b"".join(b"<p>" + rng.randbytes(30).hex().encode() + b"</p>\n" for _ in range(rng.randrange(5, 60)))
                    + b"</body></html>\n")
            if name == "www.gnu.org":
                http_session(fl, t_a + 300 * US, name, "/", "301 Moved Permanently", b"",
                             extra_hdrs="Location: https://www.gnu.org/\r\n")
            else:
                http_session(fl, t_a + 300 * US, name, "/", "200 OK", body)
            flows += 1
            continue
        if quic_left > 0 and sttl < 200 and rng.random() < 0.6:
            quic_left -= 1
            qc = QuicConn(cap, host, dst, host.port(), srtt, hop, rng, iface=ifc)
            qc.full(t_a + 300 * US, name, rng.randrange(8000, 90000))
            flows += 1
            continue
        for k in range(rng.choice([1, 1, 2])):
            fl = Flow(cap, rng, host.addr_for(dst), host.port(), dst, 443, srtt, hop, cttl or host.ttl, ts=ts,
                      iface=ifc, copts=copts)
            tls13_session(fl, t_a + 300 * US + k * 7 * MS, name, style=style, resp=rng.randrange(2000, 120000),
                          req=rng.randrange(300, 900), extra_rounds=rng.randrange(0, 3))
            flows += 1
    return flows


def expect(fname, mechanism, domain, ip, why, shape, also=None, flows=None):
    e = {"mechanism": mechanism, "domain": domain, "ip": ip, "why": why, "shape": shape}
    if also:
        if also.get("expected_too"):
            e["also_expected"] = also["expected_too"]
        if also.get("acceptable"):
            e["also_acceptable"] = also["acceptable"]
    if flows is not None:
        e["ordinary_flows"] = flows
    EXPECT[fname] = e


# =============================================================================================
# helpers specific to the censorship cases
# =============================================================================================

def gfw_forged(query, rtype, rdata, ttl):
    """Forged DNS answer as built by the GFW injectors (Wallbleed model): question copied,
    flags 0x8180 (RD set) / 0x8400 (RD clear), AN=1 NS=0 AR=0 (the query's OPT is not echoed),
    one answer `c0 0c <type> 0001 <ttl> <rdlen> <rdata>`."""
    txid, qflags = struct.unpack(">HH", query[:4])
    qend = 12
    while query[qend] != 0:
        qend += query[qend] + 1
    qend += 5
    fl = 0x8180 if qflags & 0x0100 else 0x8400
    return (struct.pack(">HHHHHH", txid, fl, 1, 1, 0, 0) + query[12:qend] + PTR0
            + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata)


def svcb_https(prio, target, alpn=(), v4hint=(), v6hint=()):
    params = b""
    if alpn:
        params += u16(1) + vec16(b"".join(vec8(a.encode()) for a in alpn))
    if v4hint:
        params += u16(4) + vec16(b"".join(A(a) for a in v4hint))
    if v6hint:
        params += u16(6) + vec16(b"".join(AAAA(a) for a in v6hint))
    return u16(prio) + (qn(target) if target != "." else b"\0") + params


def rrsig(rng, covered, signer, labels, sig_len=256, ttl=300):
    return (u16(QT[covered]) + u8(8) + u8(labels) + struct.pack(">III", ttl, 1735689600, 1733097600)
            + u16(rng.randrange(65536)) + qn(signer) + rng.randbytes(sig_len))


SITES_IR = [
    ("www.digikala.com", ["185.147.178.12"], [], None, 0.012, 60, "tls"),
    ("www.aparat.com", ["185.147.176.34"], [], None, 0.010, 60, "tls"),
    ("www.varzesh3.com", ["185.143.233.2"], [], None, 0.011, 59, "tls"),
    ("divar.ir", ["185.143.234.5"], [], None, 0.011, 59, "tls"),
    ("snapp.ir", ["185.143.232.120"], [], None, 0.013, 59, "tls"),
    ("www.isna.ir", ["185.8.173.130"], [], None, 0.015, 58, "tls"),
    ("github.com", ["140.82.121.4"], [], None, 0.098, 46, "tls"),
    ("en.wikipedia.org", ["185.15.59.224"], [], "dyna.wikimedia.org", 0.092, 47, "tls"),
    ("www.python.org", ["151.101.0.223"], [], "dualstack.python.map.fastly.net", 0.081, 49, "tls"),
    ("www.irna.ir", ["185.143.233.120"], [], None, 0.012, 59, "http"),
]

SITES_KZ = [
    ("www.kaspi.kz", ["194.187.247.110"], [], None, 0.006, 60, "tls"),
    ("www.nur.kz", ["185.22.66.37"], [], None, 0.007, 60, "tls"),
    ("egov.kz", ["195.12.114.36"], [], None, 0.008, 59, "tls"),
    ("ya.ru", ["5.255.255.242"], ["2a02:6b8::2:242"], None, 0.041, 53, "tls"),
    ("mail.ru", ["94.100.180.201"], [], None, 0.045, 53, "tls"),
    ("www.wikipedia.org", ["185.15.59.224"], ["2a02:ec80:300:ed1a::1"], None, 0.071, 50, "tls"),
    ("github.com", ["140.82.121.4"], [], None, 0.082, 48, "tls"),
    ("fonts.gstatic.com", ["142.250.185.67"], ["2a00:1450:4001:828::2003"], None, 0.052, 115, "tls"),
    ("www.google.com", ["142.250.185.100"], ["2a00:1450:4001:831::2004"], None, 0.052, 115, "tls"),
    ("vk.com", ["87.240.132.78"], [], None, 0.048, 53, "tls"),
]


def case_dns_tcp53_sll():
    fn = "h2_01_dns_tcp53_injection_sll.pcap"
    rng = random.Random(101)
    cap = Cap(fn, "pcap", ifaces=[{"link": "sll", "name": "any", "mac": "b0:25:aa:3c:71:e2",
                                    "gw": "28:6c:07:a4:19:5b"}], t0=1730790117)
    host = Host(rng, "192.168.31.120")
    router = Resolver("192.168.31.1", S(0.0021), 64, rng)
    flows = browse(cap, host, router, rng, 0.5, 75, 21, sites=SITES_CN, quic=2)
    q9 = "9.9.9.9"
    marks = []

    def tcp_dns(t, name, qtype, answers, forged_ip=None):
        fl = Flow(cap, rng, host.v4, host.port(), q9, 53, S(0.0615), 54)
        t = fl.open(t)
        q = dns_query(rng.randrange(65536), name, qtype, cookie=rng.randbytes(8))
        t = fl.csend(t + 90 * US, u16(len(q)) + q)
        sbase = fl.sseq
        r = dns_response(q, answers, server_cookie="echo")
        tg = t + fl.rtt + 350 * US
        if forged_ip:
            forged = gfw_forged(q, 1, A(forged_ip), 173)
            fl.pkt(t + S(0.00431), False, "PA", u16(len(forged)) + forged, ttl=101, ipid=rng.randrange(65536),
                   df=False, win=4617, opts=[], advance=False)
            marks.append(fl.last_id)
            end = sbase + 2 + len(forged)
            cq = fl.cseq
            fl.pkt(t + S(0.00436), True, "A", ack=end)
            fl.pkt(t + S(0.00452), True, "FA", ack=end)  # stub got "its" answer and closes
            fl.pkt(tg, False, "PA", u16(len(r)) + r, seq=sbase, ack=cq)  # genuine answer, same sequence numbers
            marks.append(fl.last_id)
            fl.pkt(tg + 35 * US, True, "R", seq=fl.cseq, win=0, opts=[], advance=False)
            fl.pkt(tg + S(0.0046), False, "FA", ack=fl.cseq)
            fl.pkt(tg + S(0.0046) + 30 * US, True, "R", seq=fl.cseq, win=0, opts=[], advance=False)
        else:
            fl.pkt(tg, False, "PA", u16(len(r)) + r)
            fl.pkt(tg + 40 * US, True, "A")
            fl.close(tg + 300 * US)
        return 1

    tcp_dns(S(9.2), "www.bilibili.com", "A", answers_for("", "a.w.bilicdn1.com", ["183.131.147.28", "183.131.147.29"], "A"))
    tcp_dns(S(27.8), "mirrors.tuna.tsinghua.edu.cn", "A", answers_for("", None, ["101.6.15.130"], "A"))
    tcp_dns(S(44.61), "www.dropbox.com", "A",
            answers_for("", "www-env.dropbox-dns.com", ["162.125.2.18"], "A"), forged_ip="31.13.88.26")
    tcp_dns(S(61.0), "www.zhihu.com", "A", answers_for("", None, ["118.89.204.198"], "A"))
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "dns-injection", "www.dropbox.com", q9,
           f"DNS over TCP/53 to 9.9.9.9: for the A query of www.dropbox.com a segment claiming to be from 9.9.9.9 "
           f"arrives 4.3 ms after the query (RTT 61.5 ms), IP TTL 101 vs 54 on the resolver's SYN/ACK and data, DF clear, "
           f"no TCP timestamp option although the connection negotiated it; its DNS message is GFW-shaped (flags 0x8180, "
           f"AN=1 A 31.13.88.26, AR=0 although the query carried an OPT RR). The genuine answer (CNAME www-env.dropbox-dns.com, "
           f"A 162.125.2.18, OPT echoed) follows at the SAME TCP sequence number with different bytes (frames {fr}). "
           f"Three other TCP/53 lookups to 9.9.9.9 get one normal answer each.",
           "Linux cooked capture v1 (DLT 113, 'any'); DNS over TCP port 53 with TCP timestamps; ordinary CN browsing over UDP DNS via 192.168.31.1",
           also={"acceptable": [{"mechanism": "packet-injection", "domain": "www.dropbox.com"},
                                {"mechanism": "dns-tampering", "domain": "www.dropbox.com"}]},
           flows=flows + 4)


def case_dns_https_rr_dualif():
    fn = "h2_02_dns_https_rr_injection_2if.pcapng"
    rng = random.Random(202)
    cap = Cap(fn, "pcapng", ifaces=[
        {"link": "eth", "name": "enp0s31f6", "tsresol": 9, "mac": "8c:16:45:2e:77:01", "gw": "00:1b:21:aa:03:9c"},
        {"link": "raw", "name": "wwan0", "tsresol": 9}], t0=1739862345)
    eth = Host(rng, "10.20.14.77", iface=0)
    wwan = Host(rng, "10.152.33.7", iface=1)
    corp = Resolver("10.20.0.1", S(0.0009), 64, rng)
    g8 = Resolver("8.8.8.8", S(0.0462), 112, rng)
    flows = browse(cap, eth, corp, rng, 0.2, 58, 15, sites=SITES_CN)
    flows += browse(cap, wwan, g8, rng, 1.0, 60, 8, sites=SITES_CN)
    marks = []
    genuine = [rr(PTR0, "HTTPS", 300, svcb_https(1, ".", ("h3", "h2"),
                                                  ("162.159.128.233", "162.159.135.232", "162.159.136.232"),
                                                  ("2606:4700:7::a29f:80e9", "2606:4700:7::a29f:87e8")))]
    for tq, forged_ip, ttl_ans in ((S(23.4137), "104.244.43.6", 141), (S(29.0521), "104.244.46.165", 97)):
        txid = rng.randrange(65536)
        q = dns_query(txid, "discord.com", "HTTPS", cookie=rng.randbytes(8))
        sp = wwan.port()
        marks.append(udp_c2s(cap, wwan, tq, g8.addr, sp, 53, q))
        f = gfw_forged(q, 1, A(forged_ip), ttl_ans)
        marks.append(udp_s2c(cap, wwan, tq + S(0.00297), g8.addr, 53, sp, f, 83, rng.randrange(65536)))
        r = dns_response(q, genuine, server_cookie="echo")
        marks.append(udp_s2c(cap, wwan, tq + g8.rtt + 610 * US, g8.addr, 53, sp, r, 112, g8.next_ipid()))
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "dns-injection", "discord.com", "8.8.8.8",
           f"On interface 1 (wwan0, raw IP) two HTTPS-type (QTYPE 65) queries for discord.com to 8.8.8.8 each get TWO answers "
           f"(frames {fr}): the first, 3 ms after the query (8.8.8.8 RTT 46 ms), answers the type-65 question with an "
           f"A record (104.244.43.6 / 104.244.46.165, Twitter space from the GFW pools), flags 0x8180, AN=1, AR=0 although the "
           f"query had an OPT RR, IP TTL 83 vs 112; the second, 47 ms after the query, is the genuine HTTPS RR "
           f"(1 . alpn=h3,h2 ipv4hint=162.159.x) with OPT echoed. An A record answering a non-A question is the Wallbleed-model "
           f"forgery tell.",
           "pcapng with two interfaces: IDB0 Ethernet (enp0s31f6), IDB1 LINKTYPE_RAW (wwan0), both if_tsresol=9 (ns); "
           "censored exchange only on the raw-IP interface; ordinary flows on both",
           also={"acceptable": [{"mechanism": "dns-tampering", "domain": "discord.com"}]}, flows=flows)


def case_dns_nxdomain_race_v6():
    fn = "h2_03_dns_forged_nxdomain_race_v6_ns.pcap"
    rng = random.Random(303)
    cap = Cap(fn, "pcap", nsec=True, ifaces=[{"link": "eth", "mac": "f4:6b:8c:90:12:aa", "gw": "3c:a6:2f:51:0e:77"}],
              t0=1736412011)
    host = Host(rng, "192.168.178.31", "2003:e5:1f0a:9800:5c1e:4ff:fe21:8b7a")
    res = Resolver("2001:4860:4860::8888", S(0.0091), 118, rng)
    flows = browse(cap, host, res, rng, 0.3, 52, 19, v6=True, quic=2)
    marks = []
    name = "www.torproject.org"
    gen = {"A": ["116.202.120.165", "116.202.120.166", "204.8.99.144", "204.8.99.146"],
           "AAAA": ["2a01:4f8:fff0:4f:266:37ff:fe2c:5d19", "2a01:4f8:fff0:4f:266:37ff:fe26:d6e8",
                    "2620:7:6002:0:466:39ff:fe7f:1826"]}
    for i, (tq, qt) in enumerate(((S(31.20931), "A"), (S(31.20946), "AAAA"), (S(33.71002), "A"), (S(33.71015), "AAAA"))):
        q = dns_query(rng.randrange(65536), name, qt, cookie=rng.randbytes(8))
        sp = host.port()
        marks.append(udp_c2s(cap, host, tq, res.addr, sp, 53, q))
        txid = struct.unpack(">H", q[:2])[0]
        qend = len(q) - 11 - 12  # question ends before the OPT RR (11 + 12 cookie bytes)
        forged = struct.pack(">HHHHHH", txid, 0x8183, 1, 0, 0, 0) + q[12:qend]
        marks.append(udp_s2c(cap, host, tq + S(0.000874) + i * 3 * US, res.addr, 53, sp, forged, 61, fl=0))
        r = dns_response(q, [rr(PTR0, qt, 300, A(a) if qt == "A" else AAAA(a)) for a in gen[qt]],
                         server_cookie="echo")
        marks.append(udp_s2c(cap, host, tq + res.rtt + rng.randrange(200, 900) * US, res.addr, 53, sp, r, 118,
                             fl=rng.getrandbits(20)))
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "dns-injection", name, res.addr,
           f"Over IPv6, four queries (A, AAAA, then a retry of both) for www.torproject.org to 2001:4860:4860::8888 each get a "
           f"forged NXDOMAIN 0.9 ms after the query (resolver RTT 9 ms), hop limit 61 (vs 118 on every genuine answer), "
           f"flow label 0, flags 0x8183 with NO SOA in the authority section and no OPT RR although the query had one; the "
           f"genuine NOERROR answers (4 A / 3 AAAA, OPT echoed) follow 9-10 ms after each query (frames {fr}). "
           f"Two different answers per query, the early one forged.",
           "classic pcap with nanosecond magic (0xa1b23c4d), Ethernet; DNS transport is IPv6/UDP; ordinary dual-stack browsing incl. QUIC",
           also={"acceptable": [{"mechanism": "dns-tampering", "domain": name}]}, flows=flows)


def case_dns_router_relay():
    fn = "h2_04_dns_injection_via_home_router.pcap"
    rng = random.Random(404)
    cap = Cap(fn, "pcap", ifaces=[{"link": "eth", "mac": "dc:a6:32:0f:5e:19", "gw": "c8:3a:35:12:80:e1"}],
              t0=1729502400 + 3721)
    host = Host(rng, "192.168.1.105")
    router = Resolver("192.168.1.1", S(0.0262), 64, rng, ipid="inc")
    flows = browse(cap, host, router, rng, 0.4, 66, 22, sites=SITES_CN, quic=1)
    cap.ipid_seq["192.168.1.1"] = 0x61A0
    marks = []
    name = "www.nytimes.com"
    gen = {"A": ["151.101.1.164", "151.101.65.164", "151.101.129.164", "151.101.193.164"],
           "AAAA": ["2a04:4e42::164", "2a04:4e42:200::164", "2a04:4e42:400::164", "2a04:4e42:600::164"]}
    forged = {"A": A("69.171.234.18"), "AAAA": AAAA("2a03:2880:f12f:183:face:b00c:0:25de")}
    for tq in (S(38.5011), S(43.5230)):
        for j, qt in enumerate(("A", "AAAA")):
            t = tq + j * 140 * US
            q = dns_query(rng.randrange(65536), name, qt, cookie=rng.randbytes(8))
            sp = host.port()
            marks.append(udp_c2s(cap, host, t, router.addr, sp, 53, q))
            f = gfw_forged(q, QT[qt], forged[qt], 234 if qt == "A" else 174)
            marks.append(udp_s2c(cap, host, t + S(0.00871), router.addr, 53, sp, f, 64, router.next_ipid()))
            r = dns_response(q, answers_for("", "nytimes.map.fastly.net", gen[qt], qt, ttl=120),
                             server_cookie="echo")
            marks.append(udp_s2c(cap, host, t + S(0.0334), router.addr, 53, sp, r, 64, router.next_ipid()))
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "dns-injection", name, "192.168.1.1",
           f"The home router 192.168.1.1 relays every upstream answer, so both the forged and the genuine answer reach the "
           f"client FROM 192.168.1.1 with the same IP TTL 64 and consecutive router IP IDs (TTL/IP-ID deltas are useless here). "
           f"For A and AAAA of www.nytimes.com (queried twice) the first answer at +8.7 ms is GFW-shaped: flags 0x8180, "
           f"AN=1 without the CNAME chain, AR=0 although the query carried OPT+cookie, A 69.171.234.18 / AAAA "
           f"2a03:2880:f12f:183:face:b00c:0:25de (Facebook addresses for a NYT name); the second at +33 ms is the genuine "
           f"CNAME nytimes.map.fastly.net -> 151.101.x.164 / 2a04:4e42::164 with OPT+cookie echoed (frames {fr}).",
           "classic pcap (µs), Ethernet; DNS through a home-router relay 192.168.1.1; injected and genuine answers share source, TTL and IP-ID sequence",
           also={"acceptable": [{"mechanism": "dns-tampering", "domain": name}]}, flows=flows)


def case_dns_mx_qinq_frag():
    fn = "h2_05_dns_mx_injection_qinq_frag.pcap"
    rng = random.Random(505)
    cap = Cap(fn, "pcap", ifaces=[{"link": "qinq", "svlan": 300, "cvlan": 42, "mac": "00:e0:4c:68:21:07",
                                    "gw": "a0:36:9f:d2:55:10"}], t0=1733127800)
    host = Host(rng, "100.72.14.9")
    res = Resolver("1.1.1.1", S(0.0381), 55, rng, df=True)
    flows = browse(cap, host, res, rng, 0.2, 48, 16, sites=SITES_CN)
    marks = []
    # control MX lookup: one answer
    q = dns_query(rng.randrange(65536), "qq.com", "MX", cookie=rng.randbytes(8))
    sp = host.port()
    udp_c2s(cap, host, S(12.3), res.addr, sp, 53, q)
    r = dns_response(q, [rr(PTR0, "MX", 300, u16(10) + qn("mx3.qq.com")), rr(PTR0, "MX", 300, u16(20) + qn("mx2.qq.com")),
                         rr(PTR0, "MX", 300, u16(30) + qn("mx1.qq.com"))], server_cookie="echo")
    udp_s2c(cap, host, S(12.3) + res.rtt + 400 * US, res.addr, 53, sp, r, 55, res.next_ipid(), True)
    name = "protonmail.com"
    for tq in (S(30.0127), S(35.0158)):
        q = dns_query(rng.randrange(65536), name, "MX", do=True, bufsize=4096, cookie=rng.randbytes(8))
        sp = host.port()
        marks.append(udp_c2s(cap, host, tq, res.addr, sp, 53, q))
        f = gfw_forged(q, 1, A("199.59.149.244"), 212)
        marks.append(udp_s2c(cap, host, tq + S(0.00268), res.addr, 53, sp, f, 77, rng.randrange(65536)))
        ans = [rr(PTR0, "MX", 1200, u16(10) + qn("mail.protonmail.ch")),
               rr(PTR0, "MX", 1200, u16(20) + qn("mailsec.protonmail.ch")),
               rr(PTR0, "RRSIG", 1200, rrsig(rng, "MX", name, 2))]
        auth = [rr(PTR0, "NS", 3600, qn(n)) for n in ("ns1.proton.me", "ns2.proton.me", "ns3.proton.me")]
        auth.append(rr(PTR0, "RRSIG", 3600, rrsig(rng, "NS", name, 2)))
        add = []
        for host_, a4, a6 in (("mail.protonmail.ch", ["185.70.42.128", "176.119.200.128"], ["2a02:3e0:4:2::128"]),
                              ("mailsec.protonmail.ch", ["185.70.42.129", "176.119.200.129"], ["2a02:3e0:4:2::129"])):
            for a in a4:
                add.append(rr(host_, "A", 1200, A(a)))
            add.append(rr(host_, "RRSIG", 1200, rrsig(rng, "A", "protonmail.ch", 3)))
            for a in a6:
                add.append(rr(host_, "AAAA", 1200, AAAA(a)))
            add.append(rr(host_, "RRSIG", 1200, rrsig(rng, "AAAA", "protonmail.ch", 3)))
        r = dns_response(q, ans, auth=auth, add=add, do=True, server_cookie="echo")
        r = r[:2] + struct.pack(">H", struct.unpack(">H", r[2:4])[0] | 0x0020) + r[4:]  # AD bit
        frs = ip4_fragments(res.addr, host.v4, UDP(sport=53, dport=sp) / r, 55, res.next_ipid())
        for k, fb in enumerate(frs):
            marks.append(cap.add(tq + res.rtt + 520 * US + k * 12 * US, fb, False))
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "dns-injection", name, "1.1.1.1",
           f"Two MX queries for protonmail.com (DO=1, EDNS buffer 4096) to 1.1.1.1 each get two responses (frames {fr}): "
           f"at +2.7 ms (RTT 38 ms) a 1-answer reply whose answer is an A record (199.59.149.244, Twitter space) for an MX "
           f"question, flags 0x8180, AR=0 (no OPT although the query had one), IP TTL 77, DF clear; at +38.6 ms the genuine "
           f"~2.5 KB DNSSEC answer (2 MX + RRSIG, NS + RRSIG, A/AAAA glue + RRSIGs, AD set, OPT echoed), IP TTL 55, which "
           f"arrives as two IPv4 fragments (reassembly needed to read it). A control MX lookup for qq.com gets one answer.",
           "classic pcap (µs), 802.1ad QinQ (S-tag 0x88a8 vid 300 + C-tag 0x8100 vid 42) on every frame; genuine answer IPv4-fragmented",
           also={"acceptable": [{"mechanism": "dns-tampering", "domain": name}]}, flows=flows)


def case_dns_tampering_iran():
    fn = "h2_06_dns_tampering_ir_vlan_ipopts.pcapng"
    rng = random.Random(606)
    cap = Cap(fn, "pcapng", ifaces=[{"link": "vlan", "vlan": 10, "name": "eth0.trunk", "mac": "70:85:c2:4e:aa:31",
                                      "gw": "d8:07:b6:55:19:c0"}], t0=1694680000 + 5555)
    host = Host(rng, "192.168.1.34")
    res = Resolver("217.218.155.155", S(0.0139), 60, rng)
    rropt = lambda i: [IPOption_RR(routers=["0.0.0.0"] * 9)] if i == 0 else None  # noqa: E731
    flows = browse(cap, host, res, rng, 0.3, 55, 20, sites=SITES_IR, copts=rropt)
    marks = []
    name = "www.instagram.com"
    for tq, qt in ((S(21.400), "A"), (S(21.4002), "AAAA"), (S(22.431), "A"), (S(27.9), "A")):
        q = dns_query(rng.randrange(65536), name, qt, cookie=None)
        sp = host.port()
        opts = [IPOption_RR(routers=["0.0.0.0"] * 9)] if tq == S(21.400) else None
        marks.append(udp_c2s(cap, host, tq, res.addr, sp, 53, q, ipopts=opts))
        # national hijack answer: A 10.10.34.36 -- also for the AAAA question
        r = dns_response(q, [rr(PTR0, "A", 60, A("10.10.34.36"))], server_cookie=None)
        marks.append(udp_s2c(cap, host, tq + res.rtt + rng.randrange(100, 600) * US, res.addr, 53, sp, r, 60,
                             res.next_ipid()))
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "dns-tampering", name, res.addr,
           f"The ISP resolver 217.218.155.155 answers www.instagram.com with A 10.10.34.36 (RFC 1918; the documented Iranian "
           f"national block-page address, blocking-fingerprints ooni.ir) three times, and answers the AAAA question with an "
           f"A record 10.10.34.36 (frames {fr}). One answer per query, no race; the same resolver answers every other "
           f"name queried in the capture normally (public addresses, connections to them succeed).",
           "pcapng (µs), Ethernet with 802.1Q tag (vid 10) on every frame; IPv4 options (Record Route, IHL=15) on the "
           "first censored query and on client SYNs",
           flows=flows)


def case_gfw2_split_sni():
    fn = "h2_07_rst_gfw2_split_sni_trailing_dot.pcapng"
    rng = random.Random(707)
    cap = Cap(fn, "pcapng", ifaces=[{"link": "eth", "name": "wlp2s0", "mac": "a4:c3:f0:85:1b:6e",
                                      "gw": "28:6c:07:a4:19:5b"}], t0=1718092800 + 3 * 3600 + 17)
    host = Host(rng, "192.168.31.57")
    router = Resolver("192.168.31.1", S(0.0024), 64, rng)
    flows = browse(cap, host, router, rng, 0.3, 70, 22, sites=SITES_CN, quic=1)
    # DoH bootstrap (the user's browser resolves via DoH: lookups for the blocked name are not visible)
    fl = Flow(cap, rng, host.v4, host.port(), "223.5.5.5", 443, S(0.0093), 56)
    tls13_session(fl, S(2.1), "dns.alidns.com", resp=4200, extra_rounds=2)
    srv = "151.101.0.81"
    # natural control: same server IP, other SNI, full handshake and data
    dns_lookup(cap, host, router, S(18.2), "cdn.jsdelivr.net",
               "A", answers_for("", "jsdelivr.map.fastly.net", [srv], "A"))
    fl = Flow(cap, rng, host.v4, host.port(), srv, 443, S(0.0452), 50)
    tls13_session(fl, S(18.25), "cdn.jsdelivr.net", resp=84000, extra_rounds=2)
    # censored connection
    fl = Flow(cap, rng, host.v4, host.port(), srv, 443, S(0.0449), 50)
    t = fl.open(S(41.3172))
    ch = tls_record(22, client_hello(rng, "www.bbc.com.", "firefox", pad=False), 0x0301)
    cut = ch.index(b"www.bbc.com.") + 6           # split inside the host name: "www.bb" | "c.com."
    t = fl.csend(t + 180 * US, ch[:cut])
    marks = [fl.last_id]
    t2 = t + 210 * US
    fl.csend(t2, ch[cut:])
    marks.append(fl.last_id)
    snxt, cnxt = fl.sseq, fl.cseq
    for k in range(3):  # GFW type II: three RST+ACK, DF set, TTLs differ, otherwise identical
        fl.pkt(t2 + S(0.01784) + k * 41 * US, False, "RA", seq=snxt, ack=cnxt, win=2316, ttl=97 + k,
               ipid=rng.randrange(0x00A3, 0xFE5F), df=True, opts=[], advance=False)
        marks.append(fl.last_id)
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "rst-injection", "www.bbc.com", srv,
           f"The ClientHello for SNI 'www.bbc.com.' (trailing dot) is split by the client across two TCP segments inside "
           f"the host name ('www.bb' | 'c.com.'). 17.8 ms after the second segment (path RTT 45 ms, so before any server "
           f"reply is possible) three RST+ACK 'from' 151.101.0.81 arrive: identical seq/ack/window 2316, DF set, random IP IDs, "
           f"TTLs 97/98/99 vs 50 on the server's SYN/ACK, no TCP timestamp option although negotiated (GFW type II layout) "
           f"(frames {fr}). No ServerHello. Control: 23 s earlier a connection to the same 151.101.0.81:443 with SNI "
           f"cdn.jsdelivr.net completes and transfers ~85 KB.",
           "pcapng (µs), Ethernet/Wi-Fi host; SNI split across two TCP segments; SNI with a trailing dot; TCP timestamps; CN browsing + DoH",
           flows=flows + 2)


def case_gfw3_pq():
    fn = "h2_08_rst_gfw3_pq_clienthello_ns.pcapng"
    rng = random.Random(808)
    cap = Cap(fn, "pcapng", ifaces=[{"link": "eth", "name": "eno1", "tsresol": 9, "mac": "10:7b:44:91:2c:03",
                                      "gw": "74:05:a5:c8:13:6a"}], t0=1747735200 + 997)
    host = Host(rng, "192.168.3.14")
    router = Resolver("192.168.3.1", S(0.0019), 64, rng)
    flows = browse(cap, host, router, rng, 0.2, 60, 20, sites=SITES_CN, quic=2)
    srv = "23.55.162.170"
    fl = Flow(cap, rng, host.v4, host.port(), srv, 443, S(0.0481), 52)
    t = fl.open(S(33.90021))
    ch = client_hello(rng, "www.voachinese.com", "chrome", pq=True)
    rec = tls_record(22, ch, 0x0301)
    t = fl.csend(t + 230 * US, rec, gap=9 * US)
    marks = [fl.last_id]
    snxt, cnxt = fl.sseq, fl.cseq
    fl.pkt(t + S(0.0126331), False, "RA", seq=snxt, ack=cnxt, win=1729, ttl=248, ipid=0x9921, df=False, opts=[],
           advance=False)
    marks.append(fl.last_id)
    # genuine server flight still arrives (on-path injector does not drop): RST_SEQ_DATA race
    flight = tls13_server_flight(rng, ch, 4100, group=0x11EC)
    ts = t + fl.rtt + S(0.00094)
    segs = [flight[i:i + fl.seg_s] for i in range(0, len(flight), fl.seg_s)]
    for i, sg in enumerate(segs):
        fl.pkt(ts + i * 35 * US, False, "PA" if i == len(segs) - 1 else "A", sg, ack=cnxt)
        marks.append(fl.last_id)
        fl.pkt(ts + i * 35 * US + 22 * US, True, "R", seq=cnxt, win=0, opts=[], advance=False)
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "rst-injection", "www.voachinese.com", srv,
           f"TLS 1.3 ClientHello with an X25519MLKEM768 key share ({len(rec)} bytes, two TCP segments) for "
           f"www.voachinese.com; 12.6 ms after its last segment (RTT 48 ms) one RST+ACK 'from' {srv}: IP TTL 248 "
           f"(server's SYN/ACK: 52), IP ID 0x9921, DF clear, window 1729, no TCP options - the GFW type III fingerprint. "
           f"The server's genuine ServerHello flight (TTL 52) arrives 36 ms later at the sequence number the RST claimed to "
           f"end, and the client's stack answers it with its own RSTs (win 0, TTL 64): data after reset (frames {fr}).",
           "pcapng with if_tsresol=9 (ns), Ethernet; large post-quantum ClientHello spanning two segments; CN browsing incl. QUIC",
           flows=flows)


def case_http_pipelined_rst():
    fn = "h2_09_rst_http_pipelined_ipopts.pcap"
    rng = random.Random(909)
    cap = Cap(fn, "pcap", ifaces=[{"link": "eth", "mac": "00:21:cc:6d:41:9e", "gw": "d4:6e:0e:8b:2f:01"}],
              t0=1725001200 + 1234)
    host = Host(rng, "192.168.0.101")
    router = Resolver("192.168.0.1", S(0.0017), 64, rng)
    rr_some = lambda i: [IPOption_RR(routers=["0.0.0.0"] * 9)] if i in (0, 3) else None  # noqa: E731
    flows = browse(cap, host, router, rng, 0.2, 62, 18, sites=SITES_CN, http_quota=3)
    flows += browse(cap, host, router, rng, 5, 60, 5, sites=SITES_CN, copts=rr_some, http_quota=2)
    srv = "104.19.155.83"
    fl = Flow(cap, rng, host.v4, host.port(), srv, 80, S(0.1782), 47, copts=rr_some)
    t = fl.open(S(35.5521))
    ua = "Mozilla/5.0 (X11; Linux x86_64; rv:129.0) Gecko/20100101 Firefox/129.0"
    reqs = b""
    for path in ("/", "/b5/nsc413.htm", "/favicon.ico"):
        reqs += (f"GET {path} HTTP/1.1\r\nHost: www.epochtimes.com\r\nUser-Agent: {ua}\r\nAccept: */*\r\n"
                 f"Accept-Language: zh-CN,zh;q=0.8,en-US;q=0.5\r\nConnection: keep-alive\r\n\r\n").encode()
    t = fl.csend(t + 170 * US, reqs)
    marks = [fl.last_id]
    snxt, cnxt = fl.sseq, fl.cseq
    for k, off in enumerate((0, 1460, 4380)):  # Clayton et al. layout, GFW type I flags/IPID/DF
        fl.pkt(t + S(0.00718) + k * 53 * US, False, "R", seq=snxt + off, ack=0, win=6272 + 0 * k, ttl=55,
               ipid=0, df=False, opts=[], advance=False)
        marks.append(fl.last_id)
    body = (b"<!DOCTYPE html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><title>\xe5\xa4\xa7\xe7\xba\xaa\xe5\x85\x83"
            b"</title></head><body>" + rng.randbytes(2400).hex().encode() + b"</body></html>")
    resp = (b"HTTP/1.1 200 OK\r\nDate: Fri, 30 Aug 2024 07:41:02 GMT\r\nContent-Type: text/html; charset=UTF-8\r\n"
            + f"Content-Length: {len(body)}\r\n".encode() + b"Connection: keep-alive\r\nServer: cloudflare\r\n\r\n" + body)
    ts = t + fl.rtt + S(0.0031)
    segs = [resp[i:i + fl.seg_s] for i in range(0, len(resp), fl.seg_s)]
    for i, sg in enumerate(segs):
        fl.pkt(ts + i * 60 * US, False, "A" if i < len(segs) - 1 else "PA", sg, ack=cnxt)
        marks.append(fl.last_id)
        fl.pkt(ts + i * 60 * US + 25 * US, True, "R", seq=cnxt, win=0, opts=[], advance=False, ipopts=[])
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "rst-injection", "www.epochtimes.com", srv,
           f"Plain HTTP on port 80: one segment carries three pipelined GETs with Host: www.epochtimes.com. 7.2 ms later "
           f"(RTT 178 ms) three bare RSTs 'from' {srv} arrive with seq = server-next, +1460, +4380 (the Clayton/Murdoch/Watson "
           f"layout), IP TTL 55 vs 47 on the server's SYN/ACK (+8), IP ID 0, DF clear, window 6272 (GFW type I). "
           f"181 ms after the request the genuine 'HTTP/1.1 200 OK' (TTL 47) arrives anyway and the client stack RSTs each "
           f"segment (frames {fr}).",
           "classic pcap (µs), Ethernet; IPv4 Record-Route option (IHL=15) on the SYN and the request segment of the "
           "censored flow and of some ordinary flows; HTTP pipelining",
           flows=flows)


def case_henan_upper():
    fn = "h2_10_rst_henan_uppercase_sni_rawip.pcap"
    rng = random.Random(1010)
    cap = Cap(fn, "pcap", ifaces=[{"link": "raw"}], t0=1711526400 + 4 * 3600 + 555)
    host = Host(rng, "10.81.44.172", ttl=128, ipid_mode="inc")
    res = Resolver("202.102.224.68", S(0.0079), 59, rng)
    flows = browse(cap, host, res, rng, 0.2, 58, 20, sites=SITES_CN, ts=False, cttl=128, style="firefox")
    srv = "210.140.139.155"
    fl = Flow(cap, rng, host.v4, host.port(), srv, 443, S(0.0723), 49, cttl=128, ts=False, cws=8, sws=7)
    t = fl.open(S(29.4108))
    ch = client_hello(rng, "WWW.Pixiv.NET", "firefox")
    t = fl.csend(t + 310 * US, tls_record(22, ch, 0x0301))
    marks = [fl.last_id]
    snxt, cnxt = fl.sseq, fl.cseq
    fl.pkt(t + S(0.002871), False, "RA", bytes(range(1, 10)) + b"\0", seq=snxt, ack=cnxt, win=4096, ttl=58, ipid=1,
           df=False, opts=[], advance=False)
    marks.append(fl.last_id)
    flight = tls13_server_flight(rng, ch, 3300)
    ts = t + fl.rtt + S(0.0012)
    segs = [flight[i:i + fl.seg_s] for i in range(0, len(flight), fl.seg_s)]
    for i, sg in enumerate(segs):
        fl.pkt(ts + i * 30 * US, False, "PA" if i == len(segs) - 1 else "A", sg, ack=cnxt)
        marks.append(fl.last_id)
        fl.pkt(ts + i * 30 * US + 40 * US, True, "R", seq=cnxt, win=0, opts=[], advance=False)
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "rst-injection", "www.pixiv.net", srv,
           f"Windows client (TTL 128, no TCP options after the SYN, so the ClientHello segment has a 20-byte TCP header) "
           f"sends SNI 'WWW.Pixiv.NET' (mixed case). 2.9 ms later (RTT 72 ms) one RST+ACK 'from' {srv} with a 10-byte "
           f"payload 01 02 03 04 05 06 07 08 09 00, IP TTL 58 (server: 49), IP ID 0x0001, DF clear: the Henan firewall "
           f"fingerprint. It only resets the client, so the server's genuine ServerHello flight arrives 72 ms later and the "
           f"client stack RSTs it (frames {fr}).",
           "classic pcap, LINKTYPE_RAW (101, no link header); Windows-style TCP (no timestamps); uppercase SNI",
           flows=flows)


def case_packet_injection_v6():
    fn = "h2_11_http_injected_403_race_v6.pcapng"
    rng = random.Random(1111)
    cap = Cap(fn, "pcapng", ifaces=[{"link": "eth", "name": "enp3s0", "mac": "b4:2e:99:31:c7:0d",
                                      "gw": "e0:28:6d:9a:41:5c"}], t0=1721030400 + 11111)
    host = Host(rng, "192.168.2.20", "2a02:8388:e141:5c00:b62e:99ff:fe31:c70d")
    res = Resolver("2a02:8388:0:1::53", S(0.0061), 62, rng)
    flows = browse(cap, host, res, rng, 0.2, 57, 21, v6=True, quic=2)
    name, srv = "www.hrw.org", "2606:4700:10::ac43:1c3e"
    dns_lookup(cap, host, res, S(26.0301), name, "AAAA", answers_for("", None, [srv, "2606:4700:10::6816:2d0b"], "AAAA"))
    dns_lookup(cap, host, res, S(26.0302), name, "A", answers_for("", None, ["172.67.28.62", "104.22.45.11"], "A"))
    fl = Flow(cap, rng, host.v6, host.port(), srv, 80, S(0.0331), 55)
    t = fl.open(S(26.0460))
    req = (f"GET / HTTP/1.1\r\nHost: {name}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
           "Gecko) Chrome/126.0.0.0 Safari/537.36\r\nAccept: text/html,application/xhtml+xml\r\nAccept-Encoding: gzip, "
           "deflate\r\nAccept-Language: en-US,en;q=0.9\r\nUpgrade-Insecure-Requests: 1\r\nConnection: keep-alive\r\n\r\n").encode()
    t = fl.csend(t + 120 * US, req)
    marks = [fl.last_id]
    snxt, cnxt = fl.sseq, fl.cseq
    inj = b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    fl.pkt(t + S(0.00171), False, "FPA", inj, seq=snxt, ack=cnxt, win=4096, ttl=62, fl6=0, opts=[], advance=False)
    marks.append(fl.last_id)
    fl.pkt(t + S(0.00176), True, "A", ack=snxt + len(inj) + 1)
    fl.pkt(t + S(0.00191), True, "FA", ack=snxt + len(inj) + 1)
    body = (b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently"
            b"</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n")
    gen = (b"HTTP/1.1 301 Moved Permanently\r\nDate: Mon, 15 Jul 2024 11:05:12 GMT\r\nContent-Type: text/html\r\n"
           + f"Content-Length: {len(body)}\r\n".encode() + b"Connection: keep-alive\r\nCache-Control: max-age=3600\r\n"
           b"Expires: Mon, 15 Jul 2024 12:05:12 GMT\r\nLocation: https://www.hrw.org/\r\nServer: cloudflare\r\n"
           b"CF-RAY: 8a3c1f0e9b7d5a21-VIE\r\n\r\n" + body)
    tg = t + fl.rtt + S(0.00044)
    fl.pkt(tg, False, "PA", gen, seq=snxt, ack=cnxt)
    marks.append(fl.last_id)
    fl.pkt(tg + 31 * US, True, "R", seq=fl.cseq, win=0, opts=[], advance=False)
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "packet-injection", name, srv,
           f"Over IPv6, HTTP GET for www.hrw.org; 1.7 ms later (RTT 33 ms) a segment 'from' {srv} carries "
           f"'HTTP/1.1 403 Forbidden' (Content-Length 0) with FIN: hop limit 62 vs 55 on the server's SYN/ACK, IPv6 flow "
           f"label 0 (the server's packets carry a fixed non-zero label), no TCP timestamp option although negotiated, "
           f"window 4096. 33 ms after the request the server's genuine 'HTTP/1.1 301 Moved Permanently' (Location "
           f"https://www.hrw.org/) arrives at the SAME sequence number with different bytes: conflicting data at one "
           f"sequence number (frames {fr}).",
           "pcapng (µs), Ethernet, IPv6 TCP port 80; dual-stack ordinary browsing incl. QUIC",
           also={"acceptable": [{"mechanism": "blockpage", "domain": name}]}, flows=flows)


def blockpage_ru():
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Доступ ограничен</title></head>\n<body>\n"
            "<div class=\"block\"><h2>Доступ к запрашиваемому ресурсу ограничен</h2>\n"
            "<p>Доступ к сайту ограничен в соответствии с Федеральными законами от 27.07.2006 № 149-ФЗ «Об информации, "
            "информационных технологиях и о защите информации».</p>\n"
            "<p>Проверить наличие ресурса в Едином реестре можно на сайте "
            "<a href=\"http://eais.rkn.gov.ru/\">http://eais.rkn.gov.ru/</a></p>\n</div>\n</body></html>\n").encode()


def case_blockpage_ru():
    fn = "h2_12_blockpage_ru_200_sll.pcap"
    rng = random.Random(1212)
    cap = Cap(fn, "pcap", ifaces=[{"link": "sll", "mac": "9c:b6:d0:e1:43:2a", "gw": "48:8f:5a:10:7c:3e"}],
              t0=1680508800 + 9 * 3600 + 41)
    host = Host(rng, "192.168.88.247")
    res = Resolver("192.168.88.1", S(0.0093), 64, rng)
    flows = browse(cap, host, res, rng, 0.3, 60, 20, sites=SITES_RU, quic=1)
    name, srv = "rutracker.org", "172.67.182.196"
    dns_lookup(cap, host, res, S(30.1102), name, "A", answers_for("", None, [srv, "104.21.32.39"], "A"))
    marks = []
    body = blockpage_ru()
    for k, (tt, path) in enumerate(((S(30.1260), "/forum/index.php"), (S(30.4111), "/favicon.ico"))):
        fl = Flow(cap, rng, host.v4, host.port(), srv, 80, S(0.0381), 55)
        t = fl.open(tt)
        req = (f"GET {path} HTTP/1.1\r\nHost: {name}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:111.0) Gecko/20100101 "
               "Firefox/111.0\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
               "Accept-Language: ru-RU,ru;q=0.8,en-US;q=0.5,en;q=0.3\r\nConnection: keep-alive\r\n\r\n").encode()
        t = fl.csend(t + 140 * US, req)
        marks.append(fl.last_id)
        resp = (b"HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Mon, 03 Apr 2023 09:" + f"{k:02d}".encode() +
                b":14 GMT\r\nContent-Type: text/html; charset=utf-8\r\n" + f"Content-Length: {len(body)}\r\n".encode()
                + b"Connection: close\r\n\r\n" + body)
        tb = t + S(0.00313)
        fl.pkt(tb, False, "FPA", resp, win=8192, ttl=61, ipid=0x3b2e + k, df=False, opts=[])
        marks.append(fl.last_id)
        fl.pkt(tb + 60 * US, True, "A")
        fl.pkt(tb + 300 * US, True, "FA")
        fl.pkt(tb + 300 * US + S(0.0031), False, "A", win=8192, ttl=61, ipid=0x3b30 + k, df=False, opts=[])
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "blockpage", name, srv,
           f"HTTP to rutracker.org (DNS answered normally: Cloudflare {srv}). Both requests get 'HTTP/1.1 200 OK' 3.1 ms "
           f"after the GET (RTT 38 ms) with FIN, from an in-path box answering as {srv} (TTL 61 vs 55 on the SYN/ACK, DF clear, "
           f"no TCP timestamps); the body is the RKN block page: 'Доступ к сайту ограничен в соответствии с Федеральными "
           f"законами' (blocking-fingerprints ooni.ru_0) and a link to http://eais.rkn.gov.ru/ (ooni.ru_5). No genuine "
           f"response follows (in-path, no race) (frames {fr}).",
           "classic pcap, Linux cooked capture v1 (DLT 113); block page as 200 OK with UTF-8 Cyrillic body; RU browsing",
           also={"acceptable": [{"mechanism": "packet-injection", "domain": name}]}, flows=flows)


# ---------------------------------------------------------------------------------------------
# deterministic RSA keys / certificates (PKCS#1 v1.5 signatures are deterministic)
# ---------------------------------------------------------------------------------------------

def _probable_prime(n, r):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(24):
        a = r.randrange(2, n - 2)
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
    r = random.Random(seed)
    e = 65537

    def gen():
        while True:
            c = r.getrandbits(bits // 2) | (3 << (bits // 2 - 2)) | 1
            if _probable_prime(c, r) and (c - 1) % e:
                return c
    p, q = gen(), gen()
    if p < q:
        p, q = q, p
    n = p * q
    d = pow(e, -1, (p - 1) * (q - 1))
    return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                 rsa.RSAPublicNumbers(e, n)).private_key()


def mitm_chain():
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID
    ca_key = det_rsa("qaznet-root")
    leaf_key = det_rsa("qaznet-leaf-facebook")
    ca_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "Qaznet Trust Network")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(0x2F1C7A55D0E3B2A1).not_valid_before(datetime.datetime(2019, 6, 1, 0, 0, 0))
          .not_valid_after(datetime.datetime(2049, 6, 1, 0, 0, 0))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    subj = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "California"),
                      x509.NameAttribute(NameOID.LOCALITY_NAME, "Menlo Park"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Facebook, Inc."),
                      x509.NameAttribute(NameOID.COMMON_NAME, "*.facebook.com")])
    sans = ["*.facebook.com", "*.facebook.net", "*.fbcdn.net", "*.fbsbx.com", "*.m.facebook.com",
            "*.messenger.com", "*.xx.fbcdn.net", "*.xy.fbcdn.net", "*.xz.fbcdn.net", "facebook.com", "messenger.com"]
    leaf = (x509.CertificateBuilder().subject_name(subj).issuer_name(ca_name).public_key(leaf_key.public_key())
            .serial_number(0x5D3A1E0C11).not_valid_before(datetime.datetime(2019, 7, 17, 0, 0, 0))
            .not_valid_after(datetime.datetime(2019, 10, 15, 23, 59, 59))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH,
                                                  x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return leaf.public_bytes(serialization.Encoding.DER), ca.public_bytes(serialization.Encoding.DER)


def tls12_server_flight(rng, ch, certs):
    sid_len = ch[4 + 34]
    exts = ext(0xFF01, b"\0") + ext(11, vec8(b"\0")) + ext(23, b"") + ext(16, vec16(vec8(b"http/1.1")))
    rnd = rng.randbytes(24) + rng.randbytes(8)
    sh = hs(2, u16(0x0303) + rnd + vec8(rng.randbytes(32)) + u16(0xC02F) + b"\0" + vec16(exts))
    certs_b = b"".join(u24(len(c)) + c for c in certs)
    cert = hs(11, u24(len(certs_b)) + certs_b)
    ske = hs(12, b"\x03" + u16(0x001D) + vec8(rng.randbytes(32)) + u16(0x0804) + vec16(rng.randbytes(256)))
    shd = hs(14, b"")
    return tls_record(22, sh + cert + ske + shd)


def case_mitm_kz_v6():
    fn = "h2_13_tls_mitm_qaznet_v6.pcapng"
    rng = random.Random(1313)
    cap = Cap(fn, "pcapng", ifaces=[{"link": "eth", "name": "eth0", "mac": "5c:f9:38:a0:64:d2",
                                      "gw": "00:0c:42:7b:19:e4"}], t0=1564012800 + 6 * 3600 + 321)
    host = Host(rng, "192.168.0.103", "2a02:2698:2c00:17:d9a4:6e1b:77f0:5e2c")
    res = Resolver("2a02:2698:a001::2", S(0.0047), 62, rng)
    flows = browse(cap, host, res, rng, 0.2, 60, 20, sites=SITES_KZ, v6=True, style="firefox")
    name, srv = "www.facebook.com", "2a03:2880:f12f:83:face:b00c:0:25de"
    dns_lookup(cap, host, res, S(24.7001), name, "AAAA", answers_for("", "star-mini.c10r.facebook.com", [srv], "AAAA"))
    dns_lookup(cap, host, res, S(24.7002), name, "A", answers_for("", "star-mini.c10r.facebook.com", ["157.240.205.35"], "A"))
    # not intercepted: other facebook name, normal TLS 1.3
    fl = Flow(cap, rng, host.v6, host.port(), "2a03:2880:f02f:12:face:b00c:0:3", 443, S(0.0605), 53)
    dns_lookup(cap, host, res, S(24.6001), "static.xx.fbcdn.net", "AAAA",
               answers_for("", "scontent.xx.fbcdn.net", ["2a03:2880:f02f:12:face:b00c:0:3"], "AAAA"))
    tls13_session(fl, S(24.6200), "static.xx.fbcdn.net", "firefox", resp=61000, extra_rounds=1)
    leaf, ca = mitm_chain()
    marks = []
    for tt in (S(24.7201), S(26.1317)):
        fl = Flow(cap, rng, host.v6, host.port(), srv, 443, S(0.0602), 53)
        t = fl.open(tt)
        ch = client_hello(rng, name, "firefox")
        t = fl.csend(t + 150 * US, tls_record(22, ch, 0x0301))
        t = fl.ssend(t + fl.rtt + S(0.0041), tls12_server_flight(rng, ch, [leaf, ca]))
        marks.append(fl.last_id)
        t = fl.csend(t + S(0.0032), tls_record(21, b"\x02\x30"))   # fatal alert unknown_ca
        marks.append(fl.last_id)
        fl.close(t + 200 * US)
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "tls-mitm", name, srv,
           f"Over IPv6, two TLS connections with SNI www.facebook.com are answered with a TLS 1.2 ServerHello (ECDHE-RSA-"
           f"AES128-GCM) whose Certificate chain is leaf CN=*.facebook.com (subject and SANs copied from Facebook's real "
           f"certificate) issued by 'C=KZ, CN=Qaznet Trust Network', plus that self-signed root: the Kazakhstan 2019 "
           f"interception CA. The client aborts with a fatal alert unknown_ca (48) (frames {fr}). A parallel TLS 1.3 "
           f"connection to static.xx.fbcdn.net completes normally.",
           "pcapng (µs), Ethernet, IPv6 TCP; chain with deterministic RSA-2048 keys; dual-stack KZ browsing",
           flows=flows + 1)


def policed_download(fl, t, data, rtt, rate_bps=None, bucket=9000, cwnd0=10, pace=110 * US, max_cwnd=700,
                     marks=None):
    """Server->client bulk transfer as seen at the client.  ACK-clocked sender (slow start,
    SACK-based loss detection with dupthresh 3, RTO with back-off); with rate_bps a token-bucket
    policer between server and client drops segments exceeding the rate (dropped segments never
    reach the capture point, so the receiver sees holes, SACKs them, and gets late retransmissions).
    Time is client time: the sender's reaction to an ACK the client sends at time y reaches the
    client at y + rtt."""
    import heapq
    seg = fl.seg_s
    base = fl.sseq
    chunks = [data[i:i + seg] for i in range(0, len(data), seg)]
    N = len(chunks)
    end = base + len(data)
    rcv = [False] * N
    cum = 0
    una, nxt = 0, 0
    cwnd, ssthresh = float(cwnd0), float(10 ** 9)
    sacked, lost, retx = set(), set(), set()
    recovery = None
    tokens, last = float(bucket), t
    T = t
    rto0 = S(0.2)
    rto = rto0
    last_prog = t
    ev = []
    evn = 0

    def pipe():
        n = 0
        for i in range(una, nxt):
            if i in sacked:
                continue
            if i in lost and i not in retx:
                continue
            n += 1
        return n

    def transmit(idx, when):
        nonlocal tokens, last, cum, evn
        size = len(chunks[idx]) + 66
        if idx in lost:
            retx.add(idx)
        if rate_bps:
            tokens = min(bucket, tokens + (when - last) * rate_bps / 8 / 1e9)
            last = when
            if tokens < size:
                return
            tokens -= size
        fl.pkt(when, False, "PA" if idx == N - 1 else "A", chunks[idx], seq=base + idx * seg, advance=False)
        if marks is not None:
            marks.append(fl.last_id)
        if rcv[idx]:
            return
        rcv[idx] = True
        while cum < N and rcv[cum]:
            cum += 1
        blocks, i, hi = [], cum, max(j for j in range(N) if rcv[j])
        while i <= hi:
            if rcv[i]:
                j = i
                while j + 1 <= hi and rcv[j + 1]:
                    j += 1
                blocks.append((i, j + 1))
                i = j + 1
            else:
                i += 1
        blocks.sort(key=lambda b: not (b[0] <= idx < b[1]))
        ackno = end if cum == N else base + cum * seg
        sk = [(base + a * seg, min(base + b * seg, end)) for a, b in blocks]
        ta = when + 45 * US
        fl.pkt(ta, True, "A", ack=ackno, sack=sk or None)
        evn += 1
        heapq.heappush(ev, (ta + rtt, evn, cum, frozenset(j for a, b in blocks for j in range(a, b))))

    while una < N:
        while pipe() < int(cwnd):
            cand = min((i for i in lost if i not in retx and i not in sacked and i >= una), default=None)
            if cand is None:
                if nxt >= N:
                    break
                cand = nxt
                nxt += 1
            transmit(cand, T)
            T += pace
        deadline = last_prog + rto
        if not ev or ev[0][0] > deadline:
            # retransmission timeout
            T = max(T, deadline)
            for i in range(una, nxt):
                if i not in sacked:
                    lost.add(i)
                    retx.discard(i)
            ssthresh = max(2.0, cwnd / 2)
            cwnd = 1.0
            recovery = None
            rto = min(rto * 2, S(3.0))
            last_prog = T
            continue
        ta, _, acum, sset = heapq.heappop(ev)
        T = max(T, ta)
        if acum > una:
            newly = acum - una
            una = acum
            last_prog = T
            rto = rto0
            if recovery is None:
                cwnd = min(max_cwnd, cwnd + newly if cwnd < ssthresh else cwnd + newly / cwnd)
            elif una >= recovery:
                recovery = None
                cwnd = max(cwnd, ssthresh)
        sacked |= {i for i in sset if i >= una}
        sacked = {i for i in sacked if i >= una}
        lost = {i for i in lost if i >= una}
        retx = {i for i in retx if i >= una}
        if sacked:
            srt = sorted(sacked)
            for i in range(una, srt[-1]):
                if i in sacked or i in lost:
                    continue
                above = len(srt) - __import__("bisect").bisect_right(srt, i)
                if above >= 3:
                    lost.add(i)
                    if recovery is None:
                        ssthresh = max(2.0, pipe() / 2)
                        cwnd = ssthresh
                        recovery = nxt
    fl.sseq = end
    return T


def tls_open_only(fl, t, sni, style="chrome"):
    rng = fl.rng
    t = fl.open(t)
    ch = client_hello(rng, sni, style)
    t = fl.csend(t + 200 * US, tls_record(22, ch, 0x0301))
    t = fl.ssend(t + fl.rtt + S(0.0011), tls13_server_flight(rng, ch, 3900))
    t += S(0.004)
    return fl.csend(t, tls_record(20, b"\x01") + tls_record(23, rng.randbytes(53)))


def case_throttling():
    fn = "h2_14_throttling_twimg_interleaved.pcap"
    rng = random.Random(1414)
    cap = Cap(fn, "pcap", ifaces=[{"link": "vlan", "vlan": 20, "prio": 0, "mac": "3c:7c:3f:1e:20:b8",
                                    "gw": "cc:2d:e0:71:a3:4f"}], t0=1615543200 + 7 * 3600 + 777)
    host = Host(rng, "192.168.0.37")
    res = Resolver("192.168.0.1", S(0.0111), 64, rng)
    flows = browse(cap, host, res, rng, 0.2, 64, 16, sites=SITES_RU)
    srv = "151.101.244.159"
    dns_lookup(cap, host, res, S(10.0102), "pbs.twimg.com", "A",
               answers_for("", "dualstack.twimg.twitter.map.fastly.net", [srv], "A"))
    marks_thr, marks_ctl = [], []
    # throttled flow: SNI pbs.twimg.com, 4 image fetches, policed to ~140 kbit/s
    thr = Flow(cap, rng, host.v4, host.port(), srv, 443, S(0.0418), 56)
    t = tls_open_only(thr, S(10.0251), "pbs.twimg.com")
    t_start = t
    sizes = [96000, 131000, 118000, 104000]
    for k, n in enumerate(sizes):
        thr.csend(t + S(0.0003), appdata(rng, rng.randrange(420, 560)))
        t = policed_download(thr, t + thr.rtt + S(0.0021), appdata(rng, n), thr.rtt, rate_bps=140_000, bucket=9000,
                             marks=marks_thr)
        t += S(0.05)
    t_end_thr = t
    # controls: same server IP, innocuous SNI, interleaved in time with the throttled transfer
    dns_lookup(cap, host, res, S(15.3), "www.fastly.com", "A",
               answers_for("", "prod.www-fastly-com.map.fastly.net", [srv], "A"))
    ctl_stats = []
    for t0c, n in ((S(15.3262), 1_450_000), (S(27.911), 980_000)):
        fl = Flow(cap, rng, host.v4, host.port(), srv, 443, S(0.0421), 56)
        tc = tls_open_only(fl, t0c, "www.fastly.com")
        fl.csend(tc + S(0.0003), appdata(rng, 512))
        t1 = tc + fl.rtt + S(0.0019)
        t2 = policed_download(fl, t1, appdata(rng, n), fl.rtt, rate_bps=None, marks=marks_ctl)
        ctl_stats.append((n, (t2 - t1) / 1e9))
        fl.csend(t2 + S(0.8), appdata(rng, 19))
        fl.close(t2 + S(0.8) + 100 * US)
    thr.csend(t_end_thr + S(0.5), appdata(rng, 19))
    thr.close(t_end_thr + S(0.5) + 100 * US)
    cap.write()
    total = sum(sizes)
    dur = (t_end_thr - t_start) / 1e9
    rate = total * 8 / dur / 1000
    ctl = ", ".join(f"{n // 1000} KB in {d:.2f} s ({n * 8 / d / 1e6:.1f} Mbit/s)" for n, d in ctl_stats)
    expect(fn, "throttling", "pbs.twimg.com", srv,
           f"TLS to {srv}:443 with SNI pbs.twimg.com (Russia, March 2021 Twitter throttling) delivers {total // 1000} KB in "
           f"{dur:.1f} s = ~{rate:.0f} kbit/s: server->client goodput plateaus at the documented 130-150 kbit/s policing "
           f"rate with periodic drops visible as SACK holes, duplicate ACKs and late retransmissions. Two flows to the SAME "
           f"server IP and port with SNI www.fastly.com, started while the throttled transfer is running, deliver {ctl} "
           f"at the same RTT (42 ms).",
           "classic pcap (µs), Ethernet with 802.1Q tag (vid 20); throttled and control flows interleaved in time; SACK/timestamps; RU browsing",
           flows=flows + 3)


def case_blackhole_v6():
    fn = "h2_15_blackhole_v6_with_dns_tampering.pcapng"
    rng = random.Random(1515)
    cap = Cap(fn, "pcapng", ifaces=[{"link": "eth", "name": "wlan0", "mac": "e8:48:b8:2c:01:7f",
                                      "gw": "f4:f2:6d:3a:88:15"}], t0=1696204800 + 15 * 3600 + 2)
    host = Host(rng, "192.168.1.12", "2a01:5ec0:1011:7d2e:8c4:1f3a:92b1:3f")
    res = Resolver("192.168.1.1", S(0.0158), 64, rng)
    ir6 = SITES_IR + [("www.google.com", ["142.250.185.100"], ["2a00:1450:4001:831::2004"], None, 0.071, 113, "tls"),
                      ("fonts.gstatic.com", ["142.250.185.67"], ["2a00:1450:4001:828::2003"], None, 0.071, 113, "tls"),
                      ("www.wikipedia.org", ["185.15.59.224"], ["2a02:ec80:300:ed1a::1"], None, 0.088, 50, "tls")]
    flows = browse(cap, host, res, rng, 0.2, 88, 22, sites=ir6, v6=True)
    name, srv = "telegram.org", "2001:67c:4e8:f004::9"
    marks = []
    for tq in (S(20.0011), S(61.3107)):
        _, _, _ = dns_lookup(cap, host, res, tq, name, "A", [rr(PTR0, "A", 60, A("10.10.34.36"))])
        marks.append(cap.n)
        ta, _, _ = dns_lookup(cap, host, res, tq + 90 * US, name, "AAAA", [rr(PTR0, "AAAA", 300, AAAA(srv))])
        marks.append(cap.n)
        for port, off in ((443, 0.0004), (80, 0.0011)):
            fl = Flow(cap, rng, host.v6, host.port(), srv, port, S(0.09), 52)
            d = 0.0
            for i in range(6):  # Linux SYN retries: 1, 2, 4, 8, 16 s
                fl.pkt(ta + S(off + d), True, "S", seq=fl.cisn, ack=0, win=64800, opts=fl.syn_opts(True, ta + S(off + d)), advance=False)
                marks.append(fl.last_id)
                d += 2 ** i
    cap.write()
    fr = cap.frames(marks)
    expect(fn, "blackhole", name, srv,
           f"telegram.org: the resolver answers A with 10.10.34.36 (private address of the Iranian block page, DNS tampering) "
           f"and AAAA with Telegram's real {srv}. Twice, 41 s apart, the client sends 6 SYNs (5 retransmissions, 1-2-4-8-16 s "
           f"back-off, 31 s) to each of [{srv}]:443 and :80 and gets no SYN/ACK, RST or ICMP at all, while "
           f"{cap.synacks(True)} other IPv6 and {cap.synacks(False)} IPv4 TCP handshakes in the same minutes complete "
           f"(IPv6 itself works) (frames {fr}).",
           "pcapng (µs), Ethernet/Wi-Fi, dual-stack; the blackholed address is IPv6; corroborating DNS tampering on the A record",
           also={"expected_too": [{"mechanism": "dns-tampering", "domain": name, "ip": "192.168.1.1"}]}, flows=flows)


def case_quic_v2_blackhole():
    fn = "h2_16_quic_v2_initial_blackhole.pcap"
    rng = random.Random(1616)
    cap = Cap(fn, "pcap", ifaces=[{"link": "eth", "mac": "18:c0:4d:8a:e2:11", "gw": "b0:be:76:4c:2d:90"}],
              t0=1647331200 + 8 * 3600 + 1500)
    host = Host(rng, "192.168.1.44")
    res = Resolver("192.168.1.1", S(0.0072), 64, rng)
    flows = browse(cap, host, res, rng, 0.2, 70, 20, sites=SITES_RU, quic=4)
    name, srv = "www.google.com", "142.250.74.36"
    ini, sa = [], []
    for tt in (S(12.0031), S(48.2277)):
        dns_lookup(cap, host, res, tt, name, "A", answers_for("", None, [srv], "A"))
        qc = QuicConn(cap, host, srv, host.port(), S(0.0331), 115, rng, version=QV2)
        n0 = cap.n
        qc.unanswered(tt + S(0.0081), name, tries=6, pto=0.3)
        ini.append(list(range(n0 + 1, cap.n + 1)))
        fl = Flow(cap, rng, host.v4, host.port(), srv, 443, S(0.0329), 115)
        tls13_session(fl, tt + S(0.3093), name, resp=rng.randrange(60000, 140000), extra_rounds=3)
        sa.append(fl.ids[1])
    cap.write()
    fi = [cap.frames(g) for g in ini]
    fs = cap.frames(sa)
    expect(fn, "blackhole", name, srv,
           f"Twice, a QUIC version 2 (RFC 9369, 0x6b3343cf) Initial with SNI www.google.com to {srv}:443 is retransmitted "
           f"5 times with PTO back-off (6 Initials over 9.3 s) and never answered (no Initial, no Version Negotiation, no "
           f"ICMP) (Initials: frames {fi[0]} and {fi[1]}), while 300 ms after each first Initial a TCP/TLS 1.3 connection "
           f"to the same address with the same SNI completes and transfers data (SYN/ACKs: frames {fs}). QUIC v1 to "
           f"Russian sites in the same capture is answered.",
           "classic pcap (µs), Ethernet; QUIC v2 long-header types and v2 Initial salt/labels; RU browsing with QUIC v1",
           flows=flows)


def case_residual_quic():
    fn = "h2_17_residual_quic_sni_180s.pcapng"
    rng = random.Random(1717)
    cap = Cap(fn, "pcapng", ifaces=[{"link": "eth", "name": "enp5s0", "mac": "04:42:1a:0b:6c:f2",
                                      "gw": "28:6c:07:a4:19:5b"}], t0=1725840000 + 2 * 3600 + 600)
    host = Host(rng, "192.168.31.57")
    router = Resolver("192.168.31.1", S(0.0023), 64, rng)
    flows = browse(cap, host, router, rng, 0.2, 225, 23, sites=SITES_CN, quic=2)
    name, srv = "files.hoshinokaze.jp", "45.76.113.20"
    rtt, sttl = S(0.0583), 46
    dns_lookup(cap, host, router, S(5.0002), name, "A", answers_for("", None, [srv], "A"))
    marks = {}
    # 1) before the trigger: QUIC with the site's own SNI works
    qc = QuicConn(cap, host, srv, host.port(), rtt, sttl, rng)
    n0 = cap.n
    qc.full(S(5.0121), name, 64000)
    marks["ok_before"] = [n0 + 1]
    # 2) trigger: QUIC Initial with SNI www.google.com (on the GFW QUIC blocklist), never answered
    qc = QuicConn(cap, host, srv, host.port(49152, 65000), rtt, sttl, rng)
    n0 = cap.n
    qc.unanswered(S(20.0042), "www.google.com", tries=4, pto=0.3)
    marks["trigger"] = list(range(n0 + 1, cap.n + 1))
    # 3) within 180 s: innocuous QUIC fails, TCP 443 to the same server works
    marks["blocked"] = []
    marks["tcp_ok"] = []
    for tt in (S(23.0117), S(81.7730), S(152.4409)):
        qc = QuicConn(cap, host, srv, host.port(49152, 65000), rtt, sttl, rng)
        n0 = cap.n
        qc.unanswered(tt, name, tries=5, pto=0.3)
        marks["blocked"] += [n0 + 1]
        fl = Flow(cap, rng, host.v4, host.port(), srv, 443, rtt, sttl)
        tls13_session(fl, tt + S(0.3021), name, resp=rng.randrange(40000, 90000), extra_rounds=1)
        marks["tcp_ok"].append(fl.ids[1])
    # 4) > 180 s after the trigger: QUIC works again
    qc = QuicConn(cap, host, srv, host.port(49152, 65000), rtt, sttl, rng)
    n0 = cap.n
    qc.full(S(204.5113), name, 88000)
    marks["ok_after"] = [n0 + 1]
    cap.write()
    fm = {k: cap.frames(v) for k, v in marks.items()}
    expect(fn, "residual-blocking", None, srv,
           f"GFW QUIC-SNI residual blocking on (client, {srv}, UDP 443): a QUIC v1 connection with SNI {name} to "
           f"{srv} completes (first frame {fm['ok_before']}). 15 s later a QUIC Initial with SNI www.google.com (source port "
           f"> 443) is sent and never answered (frames {fm['trigger']}). Within the next 180 s, three fresh QUIC connections "
           f"with the innocuous SNI {name} from new source ports (3 s, 62 s and 132 s after the trigger; first Initials "
           f"{fm['blocked']}) get no reply at all, while TCP/TLS to {srv}:443 with the same SNI started 0.3 s after each "
           f"works (SYN/ACKs {fm['tcp_ok']}). 184.5 s after the trigger QUIC with SNI {name} completes again (first frame "
           f"{fm['ok_after']}).",
           "pcapng (µs), Ethernet; ~225 s capture; QUIC v1 Initials genuinely protected (decryptable SNI); CN browsing",
           also={"acceptable": [{"mechanism": "blackhole", "ip": srv}, {"mechanism": "blackhole", "domain": "www.google.com"},
                                {"mechanism": "blackhole", "domain": name}]}, flows=flows)


CASES = [case_dns_tcp53_sll, case_dns_https_rr_dualif, case_dns_nxdomain_race_v6, case_dns_router_relay,
         case_dns_mx_qinq_frag, case_dns_tampering_iran, case_gfw2_split_sni, case_gfw3_pq, case_http_pipelined_rst,
         case_henan_upper, case_packet_injection_v6, case_blockpage_ru, case_mitm_kz_v6, case_throttling,
         case_blackhole_v6, case_quic_v2_blackhole, case_residual_quic]


def main():
    global OUT
    if len(sys.argv) < 2:
        sys.exit("usage: blind2_positive.py OUTDIR [CASE...]")
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    only = sys.argv[2:]
    for c in CASES:
        if only and not any(o in c.__name__ for o in only):
            continue
        c()
        print("wrote", list(EXPECT)[-1])
    if not only:
        with open(os.path.join(OUT, "expect.json"), "w") as f:
            json.dump(EXPECT, f, indent=1, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
