#!/usr/bin/env python3
# ruff: noqa: E501, RUF005, RUF046, RUF059
"""Blind holdout set 7, positive captures: eight client-side packet captures that each show
one censorship event (or a trigger plus its consequence) hidden in a longer, noisy, ordinary
browsing session (DNS lookups, HTTPS page loads with full TLS handshakes, QUIC, and benign
oddities: a retransmission, a server's own RST after a complete response, a NAT/firewall
idle-timeout RST, a DNS retransmission answered twice identically).

Run:  python blind7_positive.py OUTDIR
Writes OUTDIR/b7p_*.pcap[ng] and OUTDIR/expect.json.  Deterministic: fixed seeds, no clock,
no OS randomness (RSA keys come from a seeded prime search, signatures are deterministic).
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
import os
import random
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import CookedLinuxV2, Ether
from scapy.packet import Raw

LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL2 = 276


# ----------------------------------------------------------------------------------------
# capture container and writers
# ----------------------------------------------------------------------------------------


class Capture:
    """Collects (time, packet) pairs; link header is added when written."""

    def __init__(self, name, epoch, linktype, client_mac, gw_mac, fmt, shb=None):
        self.shb = shb or ("Linux 6.1.0-18-amd64", "Dumpcap (Wireshark) 4.0.11", "wlp2s0")
        self.name = name
        self.epoch = epoch  # integer UTC seconds of t=0
        self.linktype = linktype
        self.cmac = client_mac
        self.gmac = gw_mac
        self.fmt = fmt  # 'pcap' or 'pcapng'
        self.items = []

    def add(self, t, ipkt, outbound):
        self.items.append((int(round(t * 1e6)), len(self.items), ipkt, outbound))

    def frames(self):
        out = []
        for us, _, ipkt, outbound in sorted(self.items, key=lambda x: (x[0], x[1])):
            v6 = ipkt.__class__ is IPv6
            if self.linktype == LINKTYPE_ETHERNET:
                src, dst = (self.cmac, self.gmac) if outbound else (self.gmac, self.cmac)
                frame = Ether(src=src, dst=dst, type=0x86DD if v6 else 0x0800) / ipkt
            else:
                mac = bytes.fromhex((self.cmac if outbound else self.gmac).replace(":", "")) + b"\x00\x00"
                frame = CookedLinuxV2(proto=0x86DD if v6 else 0x0800, reserved=0, ifindex=2, lladdrtype=1,
                                      pkttype=4 if outbound else 0, lladdrlen=6, src=mac) / ipkt
            out.append((self.epoch * 1000000 + us, bytes(frame)))
        return out

    def write(self, path):
        frames = self.frames()
        with open(path, "wb") as fh:
            if self.fmt == "pcap":
                fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, self.linktype))
                for ts, b in frames:
                    fh.write(struct.pack("<IIII", ts // 1000000, ts % 1000000, len(b), len(b)))
                    fh.write(b)
            else:
                def block(btype, body):
                    body += b"\x00" * (-len(body) % 4)
                    ln = len(body) + 12
                    return struct.pack("<II", btype, ln) + body + struct.pack("<I", ln)

                def opt(code, val):
                    return struct.pack("<HH", code, len(val)) + val + b"\x00" * (-len(val) % 4)

                os_, app, ifname = (x.encode() for x in self.shb)
                shb = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + opt(3, os_) + opt(4, app) + opt(0, b"")
                fh.write(block(0x0A0D0D0A, shb))
                idb = struct.pack("<HHI", self.linktype, 0, 262144) + opt(2, ifname) + opt(9, b"\x06") + opt(0, b"")
                fh.write(block(0x00000001, idb))
                for ts, b in frames:
                    epb = struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(b), len(b)) + b
                    fh.write(block(0x00000006, epb))
        return len(frames)


def utc(y, mo, d, h, mi, s):
    return int(datetime.datetime(y, mo, d, h, mi, s, tzinfo=datetime.UTC).timestamp())


# ----------------------------------------------------------------------------------------
# hosts
# ----------------------------------------------------------------------------------------


class Client:
    def __init__(self, rng, ip4=None, ip6=None, os_="linux"):
        self.rng = rng
        self.ip4 = ip4
        self.ip6 = ip6
        self.os = os_
        self.ttl = 128 if os_ == "windows" else 64
        self.ipid = rng.randrange(0x1000, 0xF000)  # windows: one global counter
        self.next_port = rng.randrange(50200, 56000)
        self.used_ports = set()

    def port(self):
        if self.os == "windows":
            self.next_port += self.rng.randrange(1, 4)
            return self.next_port
        while True:
            p = self.rng.randrange(32768, 61000)
            if p not in self.used_ports:
                self.used_ports.add(p)
                return p

    def next_ipid(self):
        self.ipid = (self.ipid + 1) & 0xFFFF
        return self.ipid


class Server:
    def __init__(self, ip, ttl, rtt, mss=1460, ipid="linux", bw=6.0e6, win=65535, wscale=9, df=True):
        self.ip = ip
        self.v6 = ":" in ip
        self.ttl = ttl
        self.rtt = rtt
        self.mss = mss if not self.v6 else min(mss, 1440)
        self.ipid = ipid  # 'linux' (SYN/ACK id 0 then per-flow counter), 'global', 'zero'
        self.gid = 0
        self.bw = bw  # bottleneck bytes/s toward the client
        self.win = win
        self.wscale = wscale
        self.df = df


# ----------------------------------------------------------------------------------------
# TCP flow
# ----------------------------------------------------------------------------------------


class Flow:
    def __init__(self, S, srv, dport=443, sport=None, rtt=None, ts=None):
        self.S = S
        self.rng = S.rng
        self.cl = S.client
        self.srv = srv
        self.v6 = srv.v6
        self.cip = self.cl.ip6 if self.v6 else self.cl.ip4
        self.sport = sport or self.cl.port()
        self.dport = dport
        self.rtt = rtt if rtt is not None else srv.rtt
        self.cn = self.rng.getrandbits(32)
        self.sn = self.rng.getrandbits(32)
        self.ciss, self.siss = self.cn, self.sn
        self.ts = (self.cl.os != "windows") if ts is None else ts
        self.cts0 = self.rng.getrandbits(32)
        self.sts0 = self.rng.getrandbits(32)
        self.c_ipid = self.rng.randrange(0, 0x10000)
        self.s_ipid = self.rng.randrange(0, 0x10000)
        if srv.ipid == "global":
            if srv.gid == 0:
                srv.gid = self.rng.randrange(0x100, 0xF000)
            srv.gid += self.rng.randrange(3, 40)
        self.fl_c = self.rng.getrandbits(20)
        self.fl_s = self.rng.getrandbits(20)
        self.cwin = 502 if self.cl.os == "linux" else 1026
        self.cws = 7 if self.cl.os == "linux" else 8
        self.swin = max(1, srv.win >> srv.wscale) if srv.wscale else srv.win
        self.mss = min(srv.mss, 1460 if not self.v6 else 1440)
        self.cmss = self.mss - (12 if self.ts else 0)  # payload per segment
        self.cwnd = 10
        self.s_synced = False

    # -- ids and options -------------------------------------------------------------
    def _c_ipid(self):
        if self.cl.os == "windows":
            return self.cl.next_ipid()
        self.c_ipid = (self.c_ipid + 1) & 0xFFFF
        return self.c_ipid

    def _s_ipid(self, syn):
        m = self.srv.ipid
        if m == "zero":
            return 0
        if m == "global":
            self.srv.gid = (self.srv.gid + 1) & 0xFFFF
            return self.srv.gid
        if syn:
            return 0
        self.s_ipid = (self.s_ipid + 1) & 0xFFFF
        return self.s_ipid

    def cts(self, t):
        return (self.cts0 + int(t * 1000)) & 0xFFFFFFFF

    def sts(self, t):
        return (self.sts0 + int(t * 1000)) & 0xFFFFFFFF

    def key(self):
        return (self.cip, self.sport, self.srv.ip, self.dport)

    # -- raw packet -------------------------------------------------------------------
    def pkt(self, t, frm, flags, data=b"", seq=None, ack=None, win=None, opts=None, ttl=None,
            ipid=None, df=None, sack=None, fl=None):
        syn = "S" in flags
        if frm == "c":
            src, dst, sp, dp = self.cip, self.srv.ip, self.sport, self.dport
            dseq = self.cn
            dack = self.sn if "A" in flags else 0
        else:
            src, dst, sp, dp = self.srv.ip, self.cip, self.dport, self.sport
            dseq = self.sn
            dack = self.cn if "A" in flags else 0
        use_seq = dseq if seq is None else seq
        use_ack = dack if ack is None else ack
        if opts is None:
            opts = []
            if syn and frm == "c":
                if self.cl.os == "windows":
                    opts = [("MSS", 1460 if not self.v6 else 1440), ("NOP", None), ("WScale", self.cws), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
                else:
                    opts = [("MSS", 1460 if not self.v6 else 1440), ("SAckOK", b""), ("Timestamp", (self.cts(t), 0)), ("NOP", None), ("WScale", self.cws)]
            elif syn:
                if self.ts:
                    opts = [("MSS", self.mss), ("SAckOK", b""), ("Timestamp", (self.sts(t), self.cts(t - self.rtt))), ("NOP", None), ("WScale", self.srv.wscale)]
                else:
                    opts = [("MSS", self.mss), ("NOP", None), ("WScale", self.srv.wscale), ("SAckOK", b""), ("EOL", None)]
            elif self.ts and "R" not in flags:
                if frm == "c":
                    opts = [("NOP", None), ("NOP", None), ("Timestamp", (self.cts(t), self.sts(t - 0.0005)))]
                else:
                    opts = [("NOP", None), ("NOP", None), ("Timestamp", (self.sts(t), self.cts(t - self.rtt)))]
            if sack:
                blocks = []
                for a, b in sack:
                    blocks += [a & 0xFFFFFFFF, b & 0xFFFFFFFF]
                opts = opts + [("NOP", None), ("NOP", None), ("SAck", tuple(blocks))]
        if win is None:
            if syn:
                win = 64240 if frm == "c" else min(self.srv.win, 65535)
            else:
                win = self.cwin if frm == "c" else self.swin
        tcp = TCP(sport=sp, dport=dp, seq=use_seq & 0xFFFFFFFF, ack=use_ack & 0xFFFFFFFF, flags=flags,
                  window=win, options=opts)
        if self.v6:
            hl = (64 if self.cl.os == "linux" else 128) if frm == "c" else self.srv.ttl
            ip = IPv6(src=src, dst=dst, hlim=ttl if ttl is not None else hl,
                      tc=0, fl=fl if fl is not None else (self.fl_c if frm == "c" else self.fl_s))
        else:
            if frm == "c":
                i_ttl = self.cl.ttl
                i_id = self._c_ipid() if ipid is None else ipid
                i_df = True if df is None else df
            else:
                i_ttl = self.srv.ttl
                i_id = self._s_ipid(syn) if ipid is None else ipid
                i_df = self.srv.df if df is None else df
            ip = IP(src=src, dst=dst, ttl=ttl if ttl is not None else i_ttl, id=i_id,
                    flags="DF" if i_df else 0)
        p = ip / tcp
        if data:
            p = p / Raw(data)
        self.S.cap.add(t, p, frm == "c")
        if seq is None:
            adv = len(data) + (1 if syn else 0) + (1 if "F" in flags else 0)
            if frm == "c":
                self.cn = (self.cn + adv) & 0xFFFFFFFF
            else:
                self.sn = (self.sn + adv) & 0xFFFFFFFF
        return p

    # -- higher level -----------------------------------------------------------------
    def open(self, t):
        self.pkt(t, "c", "S")
        t1 = t + self.rtt
        self.pkt(t1, "s", "SA")
        t2 = t1 + 0.00004 + self.rng.random() * 0.00005
        self.pkt(t2, "c", "A")
        return t2

    def c_data(self, t, data, gap=0.000015):
        n = self.cmss
        chunks = [data[i:i + n] for i in range(0, len(data), n)] or [b""]
        for i, ch in enumerate(chunks):
            self.pkt(t, "c", "PA" if i == len(chunks) - 1 else "A", ch)
            if i != len(chunks) - 1:
                t += gap
        return t

    def s_ack(self, t):
        self.pkt(t, "s", "A")
        return t

    def c_ack(self, t):
        self.pkt(t, "c", "A")
        return t

    def s_data(self, t, data, fin=False, bw=None, ack_every=2):
        """Server data arriving at the client from time t on; client ACKs every 2nd segment."""
        bw = bw or self.srv.bw
        n = self.cmss
        chunks = [data[i:i + n] for i in range(0, len(data), n)]
        ser = n / bw
        rstart = t
        in_round = 0
        prev = t - ser
        unacked = 0
        last = t
        for i, ch in enumerate(chunks):
            if in_round >= self.cwnd:
                rstart = max(rstart + self.rtt, prev + ser)
                in_round = 0
                self.cwnd = min(self.cwnd * 2, 256)
            ta = max(prev + ser * (0.85 + 0.3 * self.rng.random()), rstart)
            islast = i == len(chunks) - 1
            fl = "PA" if islast else "A"
            if islast and fin:
                fl = "FPA"
            self.pkt(ta, "s", fl, ch)
            prev = ta
            last = ta
            in_round += 1
            unacked += 1
            if unacked >= ack_every or islast:
                self.pkt(ta + 0.00003 + self.rng.random() * 0.00003, "c", "A")
                unacked = 0
        return last + 0.0001

    def c_fin(self, t, peer_fin=True):
        self.pkt(t, "c", "FA")
        t += self.rtt
        if peer_fin:
            self.pkt(t, "s", "FA")
            t += 0.00005
            self.pkt(t, "c", "A")
        else:
            self.pkt(t, "s", "A")
        return t

    def s_fin(self, t):
        self.pkt(t, "s", "FA")
        t += 0.0002
        self.pkt(t, "c", "A")
        t += 0.0003
        self.pkt(t, "c", "FA")
        t += self.rtt
        self.pkt(t, "s", "A")
        return t


# ----------------------------------------------------------------------------------------
# TLS byte builders
# ----------------------------------------------------------------------------------------


def u8(x):
    return struct.pack("!B", x)


def u16(x):
    return struct.pack("!H", x)


def u24(x):
    return struct.pack("!I", x)[1:]


def vec8(b):
    return u8(len(b)) + b


def vec16(b):
    return u16(len(b)) + b


def vec24(b):
    return u24(len(b)) + b


def ext(t, body):
    return u16(t) + vec16(body)


def hs(t, body):
    return u8(t) + vec24(body)


def rec(ctype, body, ver=0x0303):
    out = b""
    for i in range(0, len(body), 16384):
        out += u8(ctype) + u16(ver) + vec16(body[i:i + 16384])
    return out


def appdata(rng, n):
    """One or more TLS application_data records carrying n plaintext bytes (AEAD overhead added)."""
    out = b""
    while n > 0:
        k = min(n, 16384)
        out += b"\x17\x03\x03" + u16(k + 17) + rng.randbytes(k + 17)
        n -= k
    return out


def appdata12(rng, n):
    out = b""
    while n > 0:
        k = min(n, 16384)
        out += b"\x17\x03\x03" + u16(k + 24) + rng.randbytes(k + 24)
        n -= k
    return out


CCS = b"\x14\x03\x03\x00\x01\x01"


def client_hello(rng, sni, alpn=(b"h2", b"http/1.1"), tls13=True, quic_tp=None, pad_to=512,
                 browser="chrome"):
    rnd = rng.randbytes(32)
    sid = b"" if quic_tp is not None else (rng.randbytes(32) if tls13 else b"")
    if quic_tp is not None:
        suites = [0x1301, 0x1302, 0x1303]
    elif tls13:
        suites = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    else:  # windows schannel (IE/legacy Edge) style TLS 1.2 only
        suites = [0xC02C, 0xC02B, 0xC030, 0xC02F, 0xC024, 0xC023, 0xC028, 0xC027, 0xC00A, 0xC009, 0xC014, 0xC013, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F, 0x000A]
    exts = []
    name = sni.encode()
    exts.append(ext(0, vec16(u8(0) + vec16(name))))
    if quic_tp is None:
        exts.append(ext(23, b""))
        exts.append(ext(0xFF01, b"\x00"))
    groups = [0x001D, 0x0017, 0x0018]
    exts.append(ext(10, vec16(b"".join(u16(g) for g in groups))))
    if quic_tp is None:
        exts.append(ext(11, vec8(b"\x00")))
        exts.append(ext(35, b""))
    exts.append(ext(16, vec16(b"".join(vec8(a) for a in alpn))))
    if quic_tp is None:
        exts.append(ext(5, b"\x01\x00\x00\x00\x00"))
    sigs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]
    if not tls13:
        sigs = [0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0201, 0x0403, 0x0503, 0x0203, 0x0202, 0x0601, 0x0603]
    exts.append(ext(13, vec16(b"".join(u16(s) for s in sigs))))
    if quic_tp is None:
        exts.append(ext(18, b""))
    if tls13:
        exts.append(ext(51, vec16(u16(0x001D) + vec16(rng.randbytes(32)))))
        exts.append(ext(45, vec8(b"\x01")))
        exts.append(ext(43, vec8(b"\x03\x04" if quic_tp is not None else b"\x03\x04\x03\x03")))
        exts.append(ext(27, vec8(u16(2))))
    if quic_tp is not None:
        exts.append(ext(0x39, quic_tp))
    body = u16(0x0303) + rnd + vec8(sid) + vec16(b"".join(u16(s) for s in suites)) + vec8(b"\x00")
    ext_bytes = b"".join(exts)
    if pad_to and quic_tp is None and tls13:
        cur = len(body) + 2 + len(ext_bytes) + 4
        if cur < pad_to:
            padlen = max(0, pad_to - cur - 4)
            ext_bytes += ext(21, b"\x00" * padlen)
    body += vec16(ext_bytes)
    return hs(1, body)


def server_hello13(rng, session_id=b"", cipher=0x1301):
    exts = ext(43, b"\x03\x04") + ext(51, u16(0x001D) + vec16(rng.randbytes(32)))
    body = u16(0x0303) + rng.randbytes(32) + vec8(session_id) + u16(cipher) + b"\x00" + vec16(exts)
    return hs(2, body)


def server_hello12(rng, alpn=None, cipher=0xC02F):
    exts = ext(0xFF01, b"\x00") + ext(11, vec8(b"\x00\x01\x02")) + ext(23, b"\x00" * 0)
    exts += ext(35, b"")
    if alpn:
        exts += ext(16, vec16(vec8(alpn)))
    body = u16(0x0303) + rng.randbytes(32) + vec8(rng.randbytes(32)) + u16(cipher) + b"\x00" + vec16(exts)
    return hs(2, body)


def sid_of(ch):
    # ClientHello: type(1) len(3) ver(2) random(32) sid_len(1) sid
    n = ch[38]
    return ch[39:39 + n]


# ----------------------------------------------------------------------------------------
# deterministic X.509 material
# ----------------------------------------------------------------------------------------

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


def _prime(rng, bits):
    while True:
        c = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if (c - 1) % 65537 and _is_probable_prime(c, rng):
            return c


def rsa_key(seed, bits=2048):
    rng = random.Random(seed)
    e = 65537
    while True:
        p = _prime(rng, bits // 2)
        q = _prime(rng, bits // 2)
        if p != q:
            break
    if p < q:
        p, q = q, p
    n = p * q
    phi = (p - 1) * (q - 1)
    d = pow(e, -1, phi)
    priv = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, n))
    return priv.private_key()


def ec_key(seed):
    v = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big") % (2 ** 255) + 1
    return ec.derive_private_key(v, ec.SECP256R1())


def dn(**kw):
    order = [("C", NameOID.COUNTRY_NAME), ("ST", NameOID.STATE_OR_PROVINCE_NAME), ("L", NameOID.LOCALITY_NAME),
             ("O", NameOID.ORGANIZATION_NAME), ("OU", NameOID.ORGANIZATIONAL_UNIT_NAME), ("CN", NameOID.COMMON_NAME)]
    return x509.Name([x509.NameAttribute(oid, kw[k]) for k, oid in order if k in kw])


def make_cert(subject, issuer, pubkey, signkey, serial, nb, na, ca=False, sans=None, path_len=None,
              issuer_pub=None, crl=None, aia=None):
    b = x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pubkey)
    b = b.serial_number(serial).not_valid_before(nb).not_valid_after(na)
    b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=path_len if ca else None), critical=True)
    if ca:
        b = b.add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                          data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                          crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
    else:
        b = b.add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                          key_encipherment=isinstance(pubkey, rsa.RSAPublicKey),
                                          data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                          crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(pubkey), critical=False)
    if issuer_pub is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_pub), critical=False)
    if crl:
        b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl)], relative_name=None, reasons=None, crl_issuer=None)]), critical=False)
    if aia:
        b = b.add_extension(x509.AuthorityInformationAccess([
            x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(aia))]), critical=False)
    cert = b.sign(signkey, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


def D(y, m, d, h=0, mi=0, s=0):
    return datetime.datetime(y, m, d, h, mi, s)


# ----------------------------------------------------------------------------------------
# QUIC v1 (RFC 9000/9001) Initial protection
# ----------------------------------------------------------------------------------------

QUIC_V1_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def _hmac_sha256(key, msg):
    return hmac.new(key, msg, hashlib.sha256).digest()


def hkdf_extract(salt, ikm):
    return _hmac_sha256(salt, ikm)


def hkdf_expand_label(secret, label, length):
    full = b"tls13 " + label.encode()
    info = u16(length) + vec8(full) + vec8(b"")
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = _hmac_sha256(secret, t + info + bytes([i]))
        out += t
        i += 1
    return out[:length]


def initial_keys(dcid, side):
    init = hkdf_extract(QUIC_V1_SALT, dcid)
    sec = hkdf_expand_label(init, "client in" if side == "c" else "server in", 32)
    return (hkdf_expand_label(sec, "quic key", 16), hkdf_expand_label(sec, "quic iv", 12),
            hkdf_expand_label(sec, "quic hp", 16))


def varint(v):
    if v < 0x40:
        return u8(v)
    if v < 0x4000:
        return u16(0x4000 | v)
    if v < 0x40000000:
        return struct.pack("!I", 0x80000000 | v)
    return struct.pack("!Q", 0xC000000000000000 | v)


def hp_mask(hp, sample):
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    return enc.update(sample) + enc.finalize()


def quic_long(ptype, dcid, scid, pn, payload, keys, token=b"", pn_len=2, min_payload=0):
    """Build one protected long-header packet. keys=(key, iv, hp)."""
    key, iv, hp = keys
    if len(payload) < min_payload:
        payload = payload + b"\x00" * (min_payload - len(payload))
    first = 0xC0 | (ptype << 4) | (pn_len - 1)
    hdr = u8(first) + struct.pack("!I", 1) + vec8(dcid) + vec8(scid)
    if ptype == 0:
        hdr += varint(len(token)) + token
    length = pn_len + len(payload) + 16
    hdr += struct.pack("!H", 0x4000 | length)
    pnb = pn.to_bytes(pn_len, "big")
    aad = hdr + pnb
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big"), strict=True))
    ct = AESGCM(key).encrypt(nonce, payload, aad)
    sample = ct[4 - pn_len:4 - pn_len + 16]
    mask = hp_mask(hp, sample)
    f = bytes([first ^ (mask[0] & 0x0F)])
    pnp = bytes(a ^ b for a, b in zip(pnb, mask[1:1 + pn_len], strict=True))
    return f + hdr[1:] + pnp + ct


def quic_short(rng, dcid, pn, n, keys, pn_len=2):
    key, iv, hp = keys
    first = 0x40 | (pn_len - 1)
    hdr = u8(first) + dcid
    pnb = pn.to_bytes(pn_len, "big")
    payload = rng.randbytes(max(n, 4))
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big"), strict=True))
    ct = AESGCM(key).encrypt(nonce, payload, hdr + pnb)
    mask = hp_mask(hp, ct[4 - pn_len:4 - pn_len + 16])
    f = bytes([first ^ (mask[0] & 0x1F)])
    return f + hdr[1:] + bytes(a ^ b for a, b in zip(pnb, mask[1:1 + pn_len], strict=True)) + ct


def crypto_frame(offset, data):
    return b"\x06" + varint(offset) + varint(len(data)) + data


def ack_frame(largest, delay=0, first_range=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(first_range)


def quic_tp(scid, rng):
    def tp(i, v):
        return varint(i) + varint(len(v)) + v
    out = tp(0x01, varint(30000)) + tp(0x03, varint(1472)) + tp(0x04, varint(15728640))
    out += tp(0x05, varint(6291456)) + tp(0x06, varint(6291456)) + tp(0x07, varint(6291456))
    out += tp(0x08, varint(100)) + tp(0x09, varint(103)) + tp(0x0F, scid)
    out += tp(0x20, varint(65536)) + tp(0x6AB2, rng.randbytes(4))
    return out


# ----------------------------------------------------------------------------------------
# DNS message builder (with name compression, like real servers)
# ----------------------------------------------------------------------------------------

QT = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28, "OPT": 41, "HTTPS": 65}


class DnsW:
    def __init__(self):
        self.buf = b""
        self.comp = {}

    def name(self, n, compress=True):
        labels = [x for x in n.rstrip(".").split(".") if x]
        out = b""
        for i in range(len(labels)):
            suf = ".".join(labels[i:]).lower()
            if compress and suf in self.comp:
                self.buf += out + u16(0xC000 | self.comp[suf])
                return
            pos = len(self.buf) + len(out)
            if pos < 0x3FFF:
                self.comp.setdefault(suf, pos)
            lab = labels[i].encode()
            out += u8(len(lab)) + lab
        self.buf += out + b"\x00"


def dns_msg(txid, flags, qname, qtype, an=(), ns=(), edns=None, rcode=0):
    """an/ns: list of (name, type, ttl, value). value: ip string, name, or SOA tuple."""
    w = DnsW()
    arc = 1 if edns is not None else 0
    w.buf = struct.pack("!HHHHHH", txid, flags | rcode, 1, len(an), len(ns), arc)
    w.name(qname)
    w.buf += u16(QT[qtype]) + u16(1)
    for sec in (an, ns):
        for (nm, ty, ttl, val) in sec:
            w.name(nm)
            w.buf += u16(QT[ty]) + u16(1) + struct.pack("!I", ttl)
            if ty == "A":
                w.buf += vec16(ipaddress.IPv4Address(val).packed)
            elif ty == "AAAA":
                w.buf += vec16(ipaddress.IPv6Address(val).packed)
            else:
                start = len(w.buf)
                w.buf += b"\x00\x00"
                if ty in ("CNAME", "NS", "PTR"):
                    w.name(val)
                elif ty == "SOA":
                    w.name(val[0])
                    w.name(val[1])
                    w.buf += struct.pack("!IIIII", *val[2:])
                ln = len(w.buf) - start - 2
                w.buf = w.buf[:start] + u16(ln) + w.buf[start + 2:]
    if edns is not None:
        w.buf += b"\x00" + u16(41) + u16(edns) + b"\x00\x00\x00\x00" + u16(0)
    return w.buf


# ----------------------------------------------------------------------------------------
# session: shared helpers to build ordinary traffic
# ----------------------------------------------------------------------------------------


class Session:
    def __init__(self, cap, rng, client, resolver, resolver_rtt=0.004, resolver_ttl=64, edns=None, edns_resp=None):
        self.cap = cap
        self.edns_resp = edns_resp
        self.rng = rng
        self.client = client
        self.resolver = resolver
        self.res_rtt = resolver_rtt
        self.res_ttl = resolver_ttl
        self.edns = edns
        self.dns_port = None
        self.res_ipid = rng.randrange(0, 0xFFFF)

    # -- UDP --------------------------------------------------------------------------
    def udp(self, t, src, dst, sport, dport, payload, outbound, ttl=None, ipid=None, df=None, fl=0):
        if ":" in src:
            ip = IPv6(src=src, dst=dst, hlim=ttl if ttl is not None else (64 if outbound else 57), fl=fl)
        else:
            if outbound:
                if ipid is None:
                    ipid = self.client.next_ipid() if self.client.os == "windows" else self.rng.randrange(0, 0x10000)
                ip = IP(src=src, dst=dst, ttl=ttl if ttl is not None else self.client.ttl, id=ipid,
                        flags=("DF" if df is None or df else 0) if self.client.os != "windows" else 0)
            else:
                ip = IP(src=src, dst=dst, ttl=ttl if ttl is not None else 57, id=ipid if ipid is not None else 0,
                        flags="DF" if df else 0)
        self.cap.add(t, ip / UDP(sport=sport, dport=dport) / Raw(payload), outbound)

    # -- DNS --------------------------------------------------------------------------
    def dns(self, t, qname, qtype, answers, rtt=None, ns=(), rcode=0, resolver=None, sport=None,
            txid=None, retransmit=False):
        """One stub query and its answer. answers: list of (name, type, ttl, value)."""
        res = resolver or self.resolver
        v6 = ":" in res
        cip = self.client.ip6 if v6 else self.client.ip4
        sport = sport or self.client.port()
        txid = txid if txid is not None else self.rng.getrandbits(16)
        rtt = rtt if rtt is not None else self.res_rtt * (0.8 + 0.6 * self.rng.random())
        q = dns_msg(txid, 0x0100, qname, qtype, edns=self.edns)
        self.udp(t, cip, res, sport, 53, q, True)
        ta = t + rtt
        if retransmit:
            # stub times out after 1 s and resends the same query; both answers come back identical
            self.udp(t + 1.0, cip, res, sport, 53, q, True)
            ta = t + 1.0 + rtt
        r = dns_msg(txid, 0x8180, qname, qtype, an=answers, ns=ns, edns=(self.edns_resp if self.edns else None), rcode=rcode)
        self.res_ipid = (self.res_ipid + 1) & 0xFFFF
        self.udp(ta, res, cip, 53, sport, r, False, ttl=self.res_ttl, ipid=self.res_ipid, df=False)
        if retransmit:
            self.res_ipid = (self.res_ipid + 1) & 0xFFFF
            self.udp(ta + 0.0021, res, cip, 53, sport, r, False, ttl=self.res_ttl, ipid=self.res_ipid, df=False)
        return ta + 0.0002

    def resolve(self, t, name, chain, a=(), aaaa=(), ttl=300, both=True, rtt=None, retransmit=False):
        """A (+AAAA) lookup as a browser does it. chain: CNAME names (in order)."""
        names = [name] + list(chain)
        an4, an6 = [], []
        for i in range(len(chain)):
            an4.append((names[i], "CNAME", ttl, names[i + 1]))
        an6 = list(an4)
        for ip in a:
            an4.append((names[-1], "A", ttl, ip))
        for ip in aaaa:
            an6.append((names[-1], "AAAA", ttl, ip))
        sp = self.client.port()
        end = self.dns(t, name, "A", an4, rtt=rtt, sport=sp, retransmit=retransmit)
        if both:
            soa = ()
            if not aaaa:
                zone = ".".join(names[-1].split(".")[-2:])
                soa = [(zone, "SOA", 600, ("ns1." + zone, "hostmaster." + zone, 2024010101, 7200, 3600, 1209600, 300))]
            end2 = self.dns(t + 0.00012, name, "AAAA", an6, rtt=rtt, sport=self.client.port(), ns=soa)
            end = max(end, end2)
        return end

    # -- HTTPS over TCP ---------------------------------------------------------------
    def https(self, t, srv, sni, reqs=((450, 14000),), tls13=True, alpn=(b"h2", b"http/1.1"), think=0.01,
              close="keep", srv_flight=None, certs=None, dport=443, retrans_req=False):
        """TCP + TLS page load. reqs: list of (request plaintext bytes, response plaintext bytes).
        close: 'keep' | 'cfin' (client FIN) | 'sfin' | 'srst' (server FIN then RST to late close_notify)."""
        rng = self.rng
        f = Flow(self, srv, dport=dport)
        t = f.open(t)
        ch = client_hello(rng, sni, alpn=alpn, tls13=tls13)
        t = f.c_data(t + 0.0003, rec(22, ch, ver=0x0301))
        ta = t + f.rtt + 0.0006 + rng.random() * 0.002
        if tls13:
            fl = srv_flight or rng.randrange(2600, 4600)
            flight = rec(22, server_hello13(rng, sid_of(ch))) + CCS + appdata(rng, fl)
            t = f.s_data(ta, flight)
            t += 0.0008 + rng.random() * 0.001
            t = f.c_data(t, CCS + appdata(rng, 36))
        else:
            flight = server_hello12(rng, alpn=b"h2" if b"h2" in alpn else None)
            flight += hs(11, vec24(b"".join(vec24(c) for c in certs)))
            leaf_pub = x509.load_der_x509_certificate(certs[0]).public_key()
            if isinstance(leaf_pub, ec.EllipticCurvePublicKey):
                r_, s_ = b"\x00" + rng.randbytes(32), rng.randbytes(32)
                sig = b"\x30" + u8(4 + len(r_) + len(s_)) + b"\x02" + u8(len(r_)) + r_ + b"\x02" + u8(len(s_)) + s_
                flight += hs(12, b"\x03" + u16(0x001D) + vec8(rng.randbytes(32)) + u16(0x0403) + vec16(sig))
            else:
                flight += hs(12, b"\x03" + u16(0x001D) + vec8(rng.randbytes(32)) + u16(0x0804) + vec16(rng.randbytes(256)))
            flight += hs(14, b"")
            t = f.s_data(ta, rec(22, flight))
            t += 0.002 + rng.random() * 0.002
            cke = rec(22, hs(16, vec8(rng.randbytes(32))))
            t = f.c_data(t, cke + CCS + b"\x16\x03\x03\x00\x28" + rng.randbytes(40))
            t += f.rtt + 0.0005
            nst = rec(22, hs(4, struct.pack("!I", 7200) + vec16(rng.randbytes(176))))
            t = f.s_data(t, nst + CCS + b"\x16\x03\x03\x00\x28" + rng.randbytes(40))
        first = True
        for (rq, rs) in reqs:
            t += 0.0005 + rng.random() * 0.002
            ad = appdata if tls13 else appdata12
            payload = ad(rng, rq + (90 if first and b"h2" in alpn else 0))
            if first and tls13:
                payload = ad(rng, 60) + payload  # h2 preface+SETTINGS and the first HEADERS
            first = False
            req_seq = f.cn
            t = f.c_data(t, payload)
            if retrans_req:
                # the server's ACK of the request got lost on the way back: RTO retransmission
                f.pkt(t + 0.21 + f.rtt, "c", "PA", payload, seq=req_seq)
                t += 0.21 + f.rtt
                retrans_req = False
            th = think * (0.5 + rng.random())
            if th > 0.03:
                f.s_ack(t + f.rtt)
            t = f.s_data(t + f.rtt + th, ad(rng, rs))
        if close == "cfin":
            t = f.c_fin(t + 0.5 + rng.random() * 3)
        elif close == "sfin":
            t = f.s_fin(t + 0.02)
        elif close == "srst":
            # server closes first (FIN); the client's close_notify arrives at a closed socket -> server RST
            t += 0.05
            f.pkt(t, "s", "FA")
            t += 0.00021
            f.pkt(t, "c", "A")
            t += 0.0011
            f.pkt(t, "c", "PA", b"\x15\x03\x03\x00\x13" + rng.randbytes(19) if tls13 else b"\x15\x03\x03\x00\x1a" + rng.randbytes(26))
            f.pkt(t + 0.00002, "c", "FA")
            t += f.rtt
            f.pkt(t, "s", "R", win=0)
        return f, t

    def http(self, t, srv, host, path, resp_head, body, close="sfin", extra_headers=b"", ua=None):
        f = Flow(self, srv, dport=80)
        t = f.open(t)
        ua = ua or b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
        req = (b"GET " + path + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: keep-alive\r\nUser-Agent: " + ua +
               b"\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" + extra_headers +
               b"Accept-Encoding: gzip, deflate\r\nAccept-Language: en-US,en;q=0.9\r\n\r\n")
        t = f.c_data(t + 0.0002, req)
        t = f.s_data(t + f.rtt + 0.002, resp_head + body)
        if close == "sfin":
            t = f.s_fin(t + 0.001)
        elif close == "cfin":
            t = f.c_fin(t + 1.5)
        return f, t

    # -- QUIC -------------------------------------------------------------------------
    def quic(self, t, srv_ip, sni, rtt, ttl, resp=60000, answered=True, tries=(0.0,), fl=0, sport=None):
        """HTTP/3 connection. If answered is False only the client's Initials are sent (at t+tries)."""
        rng = self.rng
        v6 = ":" in srv_ip
        cip = self.client.ip6 if v6 else self.client.ip4
        sport = sport or self.client.port()
        dcid = rng.randbytes(8)
        scid = rng.randbytes(8)
        srv_cid = rng.randbytes(8)
        ck = initial_keys(dcid, "c")
        sk = initial_keys(dcid, "s")
        ch = client_hello(rng, sni, alpn=(b"h3",), quic_tp=quic_tp(scid, rng))
        s_ipid = rng.randrange(0, 0xFFFF)

        def cout(tt, payload):
            self.udp(tt, cip, srv_ip, sport, 443, payload, True, fl=fl, df=True)

        def sin(tt, payload):
            nonlocal s_ipid
            s_ipid = (s_ipid + 1) & 0xFFFF
            self.udp(tt, srv_ip, cip, 443, sport, payload, False, ttl=ttl, ipid=0 if not v6 else None, df=True, fl=fl ^ 0x5A5A5)

        cpn = 0
        for off in tries:
            pay = crypto_frame(0, ch)
            head = 1 + 4 + 1 + 8 + 1 + 8 + 1 + 2 + 1
            pkt = quic_long(0, dcid, scid, cpn, pay, ck, pn_len=1, min_payload=1250 - head - 16)
            cout(t + off, pkt)
            cpn += 1
        if not answered:
            return t + tries[-1]
        t1 = t + rtt
        # server Initial (ACK + ServerHello) coalesced with the first Handshake packet
        sh = server_hello13(rng, b"")
        sinit = quic_long(0, scid, srv_cid, 0, ack_frame(0, 0) + crypto_frame(0, sh), sk, pn_len=2)
        hk = (rng.randbytes(16), rng.randbytes(12), rng.randbytes(16))
        hs1 = quic_long(2, scid, srv_cid, 0, rng.randbytes(1200 - len(sinit) - 45), hk, pn_len=2)
        sin(t1, sinit + hs1)
        t2 = t1 + 0.0003
        sin(t2, quic_long(2, scid, srv_cid, 1, rng.randbytes(1180), hk, pn_len=2))
        t3 = t2 + 0.0004
        sin(t3, quic_long(2, scid, srv_cid, 2, rng.randbytes(rng.randrange(300, 900)), hk, pn_len=2))
        # client: Initial ACK + Handshake Finished, padded datagram
        ci = quic_long(0, srv_cid, scid, cpn, ack_frame(0, 1), ck, pn_len=1)
        chk = (rng.randbytes(16), rng.randbytes(12), rng.randbytes(16))
        chs = quic_long(2, srv_cid, scid, 0, rng.randbytes(58), chk, pn_len=1)
        pad = 1250 - len(ci) - len(chs)
        chs2 = quic_long(2, srv_cid, scid, 1, rng.randbytes(max(20, pad - 40)), chk, pn_len=1)
        tc = t3 + 0.0012
        cout(tc, ci + chs + chs2)
        k1 = (rng.randbytes(16), rng.randbytes(12), rng.randbytes(16))
        k2 = (rng.randbytes(16), rng.randbytes(12), rng.randbytes(16))
        cpn1 = 0
        spn1 = 0
        tc += 0.0002
        cout(tc, quic_short(rng, srv_cid, cpn1, rng.randrange(300, 500), k1))
        cpn1 += 1
        # server response stream
        ts_ = tc + rtt + 0.004
        sin(ts_, quic_short(rng, scid, spn1, 60, k2))  # HANDSHAKE_DONE + NEW_TOKEN
        spn1 += 1
        left = resp
        prev = ts_
        n = 0
        while left > 0:
            sz = min(left, 1200)
            prev = prev + 0.00025 + rng.random() * 0.0002
            if n and n % 20 == 0:
                prev += rtt * 0.6
            sin(prev, quic_short(rng, scid, spn1, sz, k2))
            spn1 += 1
            left -= sz
            n += 1
            if n % 2 == 0:
                cout(prev + 0.00005, quic_short(rng, srv_cid, cpn1, 22, k1))
                cpn1 += 1
        cout(prev + 0.0011, quic_short(rng, srv_cid, cpn1, 22, k1))
        return prev + 0.002

    # -- benign oddities --------------------------------------------------------------
    def idle_nat_rst(self, t_open, srv, sni, idle, gw_ttl=64, dport=443):
        """Long-lived TLS connection; after `idle` s the client sends a record and the home
        router (state purged) answers with a RST built from the client's packet."""
        f, t = self.https(t_open, srv, sni, reqs=((300, 900),), think=0.02, dport=dport)
        t = t + idle
        f.c_data(t, appdata(self.rng, 31))
        ack = f.sn
        if f.v6:
            f.pkt(t + 0.00042, "s", "R", seq=ack, ack=0, win=0, opts=[], ttl=gw_ttl, fl=0)
        else:
            f.pkt(t + 0.00042, "s", "R", seq=ack, ack=0, win=0, opts=[], ttl=gw_ttl, ipid=0, df=False)
        return t + 0.001


# ----------------------------------------------------------------------------------------
# helpers for the scripts
# ----------------------------------------------------------------------------------------


def browse(S, t, name, chain, srv, a=(), aaaa=(), reqs=((450, 20000),), close="keep", dns=True, both=True, **kw):
    if dns:
        t = S.resolve(t, name, chain, a=a, aaaa=aaaa, both=both)
    f, t = S.https(t + 0.0004, srv, name, reqs=reqs, close=close, **kw)
    return t


# ========================================================================================
# 1. China (GFW), IPv6: SNI-triggered RST+ACK burst against www.nytimes.com on a shared
#    Fastly address, while pypi.org / files.pythonhosted.org / www.python.org on the very
#    same address complete their handshakes (natural control in the same capture).
# ========================================================================================


def cap_sni6():
    rng = random.Random(70101)
    cap = Capture("b7p_sni6_ctrl.pcapng", utc(2024, 5, 14, 12, 13, 7), LINKTYPE_ETHERNET,
                  "3c:22:fb:4e:7a:51", "c8:3a:35:0e:21:90", "pcapng",
                  shb=("Linux 6.5.0-35-generic", "Dumpcap (Wireshark) 3.6.2 (Git v3.6.2 packaged as 3.6.2-2)", "wlp0s20f3"))
    cl = Client(rng, ip4="192.168.1.6", ip6="240e:388:8a21:4d00:9c3e:12ff:fe7a:51b2")
    S = Session(cap, rng, cl, "240e:4c:4008::1", resolver_rtt=0.009, resolver_ttl=59)
    fastly = Server("2a04:4e42:400::223", ttl=52, rtt=0.048, bw=4.0e6)
    baidu = Server("240e:ff:e020:966:0:ff:b042:f296", ttl=53, rtt=0.027, bw=6e6)
    qq = Server("240e:97c:2f:3003::6a", ttl=54, rtt=0.031)
    jd = Server("240e:f7:a093:101:3::3fa", ttl=55, rtt=0.022)
    bili = Server("240e:b1:9801:208:3::3fc", ttl=54, rtt=0.024, bw=8e6)
    zhihu = Server("240e:e1:aa00:4000::28", ttl=53, rtt=0.029)
    wx = Server("183.192.196.91", ttl=52, rtt=0.033)  # long-lived WeChat connection over IPv4
    gh = Server("2620:1ec:bdf::40", ttl=115, rtt=0.061, ipid="global")  # bing, works from CN

    t = 0.35
    t = browse(S, t, "www.baidu.com", ["www.a.shifen.com", "www.wshifen.com"], baidu,
               a=["103.235.46.96"], aaaa=[baidu.ip], reqs=((520, 96000), (430, 31000), (410, 4200)), think=0.02,
               retrans_req=True)
    S.idle_nat_rst(1.9, wx, "long.weixin.qq.com", idle=237.4, gw_ttl=64)  # IPv4 NAT purged idle state
    t = S.resolve(t + 0.6, "g.alicdn.com", ["g.alicdn.com.danuoyi.alicdn.com"], a=["117.161.117.225"],
                  aaaa=["240e:f7:c010:308:3::3f9"], ttl=120)
    t = S.quic(t + 0.001, "240e:f7:c010:308:3::3f9", "g.alicdn.com", rtt=0.021, ttl=55, resp=88000)
    t = browse(S, t + 1.4, "www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], qq, a=["121.14.77.221"],
               aaaa=[qq.ip], reqs=((480, 61000), (400, 12000)), close="cfin")
    # --- natural controls: three other SNIs on the same Fastly address work ------------
    t = S.resolve(t + 3.2, "pypi.org", [], a=["151.101.64.223"], aaaa=[fastly.ip], ttl=86)
    f, t = S.https(t + 0.0004, fastly, "pypi.org", reqs=((470, 38000), (380, 11000)), think=0.03)
    t = S.resolve(t + 0.8, "files.pythonhosted.org", ["dualstack.python.map.fastly.net"], a=["151.101.64.223"],
                  aaaa=[fastly.ip], ttl=60)
    f, t = S.https(t + 0.0004, fastly, "files.pythonhosted.org", reqs=((500, 412000),), think=0.01)
    t = S.resolve(t + 1.1, "www.python.org", ["dualstack.python.map.fastly.net"], a=["151.101.64.223"],
                  aaaa=[fastly.ip], ttl=60)
    f, t = S.https(t + 0.0004, fastly, "www.python.org", reqs=((440, 49000), (390, 8000)), think=0.02, close="cfin")
    t = browse(S, t + 4.1, "www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], zhihu, a=["118.89.204.198"],
               aaaa=[zhihu.ip], reqs=((610, 74000),))
    t = browse(S, t + 2.2, "www.bilibili.com", ["a.w.bilicdn1.com"], bili, a=["120.92.78.97"], aaaa=[bili.ip],
               reqs=((530, 120000), (420, 52000)), close="srst")
    t = S.resolve(t + 1.0, "i0.hdslb.com", ["i0.hdslb.com.w.kunlunaq.com"], a=["113.96.109.101"],
                  aaaa=["240e:97c:2f:1::9"], ttl=60)
    t = S.quic(t + 0.001, "240e:97c:2f:1::9", "i0.hdslb.com", rtt=0.018, ttl=56, resp=140000)
    # --- the censored connection: SNI www.nytimes.com to the same Fastly address --------
    t0 = 41.7
    S.resolve(t0, "www.nytimes.com", ["nytimes.map.fastly.net"], a=["151.101.64.223"], aaaa=[fastly.ip], ttl=30)
    blk = Flow(S, fastly)
    tb = blk.open(t0 + 0.012)
    ch = client_hello(rng, "www.nytimes.com")
    tb = blk.c_data(tb + 0.0003, rec(22, ch, ver=0x0301))
    # GFW type-II style: three RST+ACK, identical but for the hop limit, ~18 ms after the CH
    for i, d in enumerate((0.0179, 0.01792, 0.01795)):
        blk.pkt(tb + d, "s", "RA", seq=blk.sn, ack=blk.cn, win=2579, opts=[], ttl=98 + i, fl=0)
    # the browser gives up (ERR_CONNECTION_RESET); no retry within the 180 s penalty window
    t = max(t, t0 + 2.0)
    t = browse(S, t + 6.0, "item.jd.com", ["item.jd.com.gslb.qianxun.com"], jd, a=["111.13.149.108"], aaaa=[jd.ip],
               reqs=((560, 83000), (410, 9000)), close="srst")
    t = S.dns(t + 5.0, "www.bing.com", "AAAA", [("www.bing.com", "CNAME", 3600, "china.bing123.com"),
                                                ("china.bing123.com", "CNAME", 60, "china.bing123.com.a-0001.a-msedge.net"),
                                                ("china.bing123.com.a-0001.a-msedge.net", "AAAA", 60, gh.ip)],
              retransmit=True)
    f, t = S.https(t + 0.0004, gh, "www.bing.com", reqs=((700, 58000), (520, 22000)), think=0.05)
    t = browse(S, 120.3, "www.baidu.com", ["www.a.shifen.com", "www.wshifen.com"], baidu, a=["103.235.46.96"],
               aaaa=[baidu.ip], reqs=((600, 23000),), dns=False)
    t = S.quic(151.2, "240e:f7:c010:308:3::3f9", "g.alicdn.com", rtt=0.022, ttl=55, resp=21000)
    t = browse(S, 187.6, "www.zhihu.com", [], zhihu, reqs=((640, 41000),), dns=False, close="cfin")
    # after the residual window: a fresh connection to the same Fastly address is fine again
    t = S.resolve(262.4, "docs.python.org", ["dualstack.python.map.fastly.net"], a=["151.101.64.223"],
                  aaaa=[fastly.ip], ttl=60)
    f, t = S.https(t + 0.0004, fastly, "docs.python.org", reqs=((450, 67000),), think=0.02, close="cfin")
    expect = {"expect": [{"mechanism": "rst-injection", "domain": "www.nytimes.com", "ip": fastly.ip}],
              "why": "Three RST+ACKs identical except hop limit (98-100 vs the server's 52) arrive 18 ms after the ClientHello for www.nytimes.com, well under the 48 ms RTT, while pypi.org, files.pythonhosted.org, www.python.org and docs.python.org on the same IPv6 address complete normally."}
    return cap, expect


# ========================================================================================
# 2. China (GFW), IPv4, HTTP keyword filtering ("falun" in the request path), Windows client.
#    The injector happens to sit where its TTL equals the server's (47), but its three RSTs
#    carry seq = base, base+1460, base+4380 and random IP IDs with DF clear, while the
#    server's IP IDs are sequential with DF set; the genuine 200 OK arrives after the RSTs.
# ========================================================================================

WIN_UA = b"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 Edg/119.0.0.0"


def html_body(rng, title, n):
    head = (b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title +
            b"</title>\n<link rel=\"stylesheet\" href=\"/sites/default/files/css/css_main.css\">\n</head>\n<body>\n")
    words = [b"University", b"research", b"students", b"college", b"department", b"news", b"events", b"library",
             b"study", b"admissions", b"faculty", b"colleges", b"museum", b"lecture", b"science", b"history"]
    out = head
    while len(out) < n - 20:
        line = b"<p>" + b" ".join(rng.choice(words) for _ in range(14)) + b".</p>\n"
        out += line
    return out[:n - 16] + b"\n</body></html>\n"


def cap_gfw_race():
    rng = random.Random(70202)
    cap = Capture("b7p_gfw_race3.pcap", utc(2023, 11, 8, 6, 41, 19), LINKTYPE_ETHERNET,
                  "f4:26:79:3b:c2:0e", "50:64:2b:7d:10:a1", "pcap")
    cl = Client(rng, ip4="192.168.31.23", os_="windows")
    S = Session(cap, rng, cl, "192.168.31.1", resolver_rtt=0.011, resolver_ttl=64)
    cam = Server("128.232.132.8", ttl=47, rtt=0.196, ipid="global", bw=1.2e6, win=64240, wscale=7)
    baidu = Server("110.242.68.66", ttl=52, rtt=0.029, bw=5e6)
    qq = Server("109.244.194.121", ttl=53, rtt=0.034)
    n163 = Server("115.236.121.195", ttl=54, rtt=0.026)
    bili = Server("120.92.78.97", ttl=52, rtt=0.031, bw=8e6)
    msft = Server("117.18.232.200", ttl=54, rtt=0.044, ipid="global")
    wns = Server("40.119.211.203", ttl=108, rtt=0.089, ipid="global")
    csdn = Server("39.106.226.142", ttl=50, rtt=0.037)

    t = 0.41
    t = S.resolve(t, "www.msftconnecttest.com", ["www.msftconnecttest.com.edgesuite.net", "a1961.g2.akamai.net"],
                  a=[msft.ip], both=False, ttl=60)
    f, t = S.http(t + 0.0003, msft, b"www.msftconnecttest.com", b"/connecttest.txt",
                  b"HTTP/1.1 200 OK\r\nContent-Length: 22\r\nContent-Type: text/plain\r\nCache-Control: max-age=30, must-revalidate\r\nConnection: close\r\n\r\n",
                  b"Microsoft Connect Test", close="sfin", ua=b"Microsoft NCSI")
    S.idle_nat_rst(1.2, wns, "client.wns.windows.com", idle=244.0, gw_ttl=64)
    t = browse(S, t + 1.9, "www.baidu.com", ["www.a.shifen.com"], baidu, a=[baidu.ip, "110.242.68.3"],
               reqs=((520, 98000), (430, 23000)), both=False, think=0.02)
    t = S.resolve(t + 0.4, "g.alicdn.com", ["g.alicdn.com.danuoyi.alicdn.com"], a=["117.161.117.225"], both=False, ttl=120)
    t = S.quic(t + 0.001, "117.161.117.225", "g.alicdn.com", rtt=0.023, ttl=53, resp=76000)
    t = browse(S, t + 2.6, "www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], qq, a=[qq.ip],
               reqs=((480, 57000),), both=False, close="cfin")
    t = browse(S, t + 3.1, "www.163.com", ["www.163.com.163jiasu.com", "www.163.com.bsgslb.cn"], n163,
               a=[n163.ip], reqs=((560, 142000), (420, 6000)), both=False, retrans_req=True)
    # control: an innocuous page from the same university server, fetched earlier, works
    t = S.resolve(t + 5.2, "www.cam.ac.uk", [], a=[cam.ip], both=False, ttl=3600)
    f, t = S.http(t + 0.0003, cam, b"www.cam.ac.uk", b"/",
                  b"HTTP/1.1 200 OK\r\nDate: Wed, 08 Nov 2023 06:41:43 GMT\r\nServer: Apache\r\nContent-Language: en\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 9200\r\nConnection: close\r\n\r\n",
                  html_body(rng, b"University of Cambridge", 9200), close="sfin", ua=WIN_UA)
    t = browse(S, t + 4.0, "www.bilibili.com", ["a.w.bilicdn1.com"], bili, a=[bili.ip], reqs=((530, 88000), (420, 41000)),
               both=False, close="srst")
    # --- the censored request ------------------------------------------------------
    t0 = 47.3
    blk = Flow(S, cam, dport=80)
    tb = blk.open(t0)
    req = (b"GET /search?query=falun&x=0&y=0 HTTP/1.1\r\nHost: www.cam.ac.uk\r\nConnection: keep-alive\r\n"
           b"Upgrade-Insecure-Requests: 1\r\nUser-Agent: " + WIN_UA + b"\r\n"
           b"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8\r\n"
           b"Referer: http://www.cam.ac.uk/\r\nAccept-Encoding: gzip, deflate\r\nAccept-Language: zh-CN,zh;q=0.9,en;q=0.8\r\n\r\n")
    tb = blk.c_data(tb + 0.0004, req)
    base = blk.sn
    for i, (d, off) in enumerate(((0.01203, 0), (0.01206, 1460), (0.01211, 4380))):
        blk.pkt(tb + d, "s", "RA", seq=base + off, ack=blk.cn, win=(2737, 5213, 17022)[i], opts=[],
                ttl=47, ipid=(0x6B2E, 0xD50F, 0x1C77)[i], df=False)
    # the server's genuine answer races in one RTT later; the client's socket is gone -> RSTs
    resp = (b"HTTP/1.1 200 OK\r\nDate: Wed, 08 Nov 2023 06:42:07 GMT\r\nServer: Apache\r\nContent-Language: en\r\n"
            b"Cache-Control: no-cache\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 6900\r\nConnection: keep-alive\r\n\r\n")
    body = resp + html_body(rng, b"Search | University of Cambridge", 6900)
    ta = tb + blk.rtt + 0.0011
    pos = 0
    for _ in range(5):
        ch = body[pos:pos + 1460]
        blk.pkt(ta, "s", "PA" if pos + 1460 >= len(body) else "A", ch, seq=base + pos)
        blk.pkt(ta + 0.00006, "c", "R", seq=blk.cn, ack=0, win=0, opts=[])
        pos += len(ch)
        ta += 0.0012
        if pos >= len(body):
            break
    t = max(t, ta)
    t = browse(S, 60.2, "blog.csdn.net", ["blog.csdn.net.w.kunlunaq.com"], csdn, a=[csdn.ip], reqs=((610, 77000),), both=False)
    t = S.dns(t + 3.0, "www.bing.com", "A", [("www.bing.com", "CNAME", 3600, "china.bing123.com"),
                                              ("china.bing123.com", "CNAME", 60, "china.bing123.com.a-0001.a-msedge.net"),
                                              ("china.bing123.com.a-0001.a-msedge.net", "A", 60, "202.89.233.100")],
              retransmit=True)
    bing = Server("202.89.233.100", ttl=115, rtt=0.048, ipid="global")
    f, t = S.https(t + 0.0003, bing, "cn.bing.com", reqs=((720, 61000), (500, 19000)), think=0.05)
    t = browse(S, 131.0, "www.baidu.com", [], baidu, reqs=((560, 31000),), dns=False)
    t = S.quic(163.4, "117.161.117.225", "g.alicdn.com", rtt=0.022, ttl=53, resp=18000)
    t = browse(S, 190.7, "www.qq.com", [], qq, reqs=((470, 44000),), dns=False, close="cfin")
    t = browse(S, 236.2, "www.163.com", [], n163, reqs=((520, 36000),), dns=False)
    expect = {"expect": [{"mechanism": "rst-injection", "domain": "www.cam.ac.uk", "ip": cam.ip}],
              "why": "12 ms after the GET containing 'falun', three RST+ACKs with seq base/base+1460/base+4380, random IP IDs and DF clear (the server's IDs are sequential with DF set) arrive, then the server's genuine 200 OK shows up one RTT later at the same base sequence, which the reset client answers with RSTs."}
    return cap, expect


# ========================================================================================
# 3. China (GFW), DNS injection on the path to 8.8.8.8 that poisons only the AAAA queries:
#    www.facebook.com AAAA gets a forged Teredo (2001::/32) answer and twitter.com AAAA gets a
#    forged answer carrying an A record (injector pool address); the genuine AAAA answers
#    from 8.8.8.8 follow ~50 ms later. The A queries for both names are answered only once,
#    genuinely.
# ========================================================================================


def forged_dns(query, rr):
    """GFW injector construction: copy the query up to QTYPE/QCLASS, flags 0x8180, AN=1,
    NS=0, AR=0 (the query's OPT record is not echoed), then one answer with a pointer to the qname."""
    qend = 12
    while query[qend] != 0:
        qend += query[qend] + 1
    qend += 5
    hdr = query[:2] + b"\x81\x80" + u16(1) + u16(1) + u16(0) + u16(0)
    return hdr + query[12:qend] + rr


def cap_aaaa_only():
    rng = random.Random(70303)
    cap = Capture("b7p_aaaa_only.pcap", utc(2024, 2, 20, 1, 52, 33), LINKTYPE_ETHERNET,
                  "a4:bb:6d:19:02:7e", "d4:ee:07:5c:33:18", "pcap")
    cl = Client(rng, ip4="192.168.1.103", os_="linux")
    S = Session(cap, rng, cl, "8.8.8.8", resolver_rtt=0.052, resolver_ttl=114, edns=1232, edns_resp=512)
    baidu = Server("110.242.68.66", ttl=52, rtt=0.029, bw=5e6)
    jd = Server("111.13.149.108", ttl=53, rtt=0.024)
    zhihu = Server("118.89.204.198", ttl=51, rtt=0.033)
    gitee = Server("180.76.198.77", ttl=52, rtt=0.027)
    douban = Server("49.233.242.15", ttl=51, rtt=0.031)
    weibo = Server("123.125.107.91", ttl=53, rtt=0.028)
    aliyun = Server("47.246.23.232", ttl=50, rtt=0.035)
    mqtt = Server("101.91.34.72", ttl=52, rtt=0.030)

    t = 0.22
    t = browse(S, t, "www.baidu.com", ["www.a.shifen.com"], baidu, a=[baidu.ip, "110.242.68.3"], reqs=((520, 88000), (400, 16000)))
    S.idle_nat_rst(0.9, mqtt, "mqtt.dingtalk.com", idle=231.0, gw_ttl=64)
    t = browse(S, t + 2.1, "www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], zhihu, a=[zhihu.ip],
               reqs=((610, 74000), (430, 12000)), retrans_req=True)
    t = browse(S, t + 3.3, "gitee.com", [], gitee, a=[gitee.ip], reqs=((560, 51000),), close="cfin")
    t = S.resolve(t + 1.2, "g.alicdn.com", ["g.alicdn.com.danuoyi.alicdn.com"], a=["117.161.117.225"],
                  aaaa=["240e:f7:c010:308:3::3f9"], ttl=120)
    t = S.quic(t + 0.001, "117.161.117.225", "g.alicdn.com", rtt=0.022, ttl=53, resp=64000)
    # --- the poisoned lookups -------------------------------------------------------
    def lookup(t0, name, a_ans, aaaa_genuine, aaaa_ns, forged_rr, inj_ttl, inj_id, dly):
        sp = cl.port()
        txa = rng.getrandbits(16)
        q = dns_msg(txa, 0x0100, name, "A", edns=1232)
        S.udp(t0, cl.ip4, "8.8.8.8", sp, 53, q, True)
        S.res_ipid = (S.res_ipid + 1) & 0xFFFF
        S.udp(t0 + 0.0534, "8.8.8.8", cl.ip4, 53, sp, dns_msg(txa, 0x8180, name, "A", an=a_ans, edns=512), False,
              ttl=114, ipid=S.res_ipid, df=False)
        sp6 = cl.port()
        tx6 = rng.getrandbits(16)
        q6 = dns_msg(tx6, 0x0100, name, "AAAA", edns=1232)
        S.udp(t0 + 0.00011, cl.ip4, "8.8.8.8", sp6, 53, q6, True)
        S.udp(t0 + 0.00011 + dly, "8.8.8.8", cl.ip4, 53, sp6, forged_dns(q6, forged_rr), False,
              ttl=inj_ttl, ipid=inj_id, df=False)
        S.res_ipid = (S.res_ipid + 1) & 0xFFFF
        S.udp(t0 + 0.00011 + 0.0551, "8.8.8.8", cl.ip4, 53, sp6,
              dns_msg(tx6, 0x8180, name, "AAAA", an=aaaa_genuine, ns=aaaa_ns, edns=512), False,
              ttl=114, ipid=S.res_ipid, df=False)
        return t0 + 0.06

    teredo = "2001::1f0d:4d10"
    rr_fb = b"\xc0\x0c" + u16(28) + u16(1) + struct.pack("!I", 234) + vec16(ipaddress.IPv6Address(teredo).packed)
    t1 = 38.6
    lookup(t1, "www.facebook.com",
           [("www.facebook.com", "CNAME", 2370, "star-mini.c10r.facebook.com"), ("star-mini.c10r.facebook.com", "A", 43, "157.240.7.35")],
           [("www.facebook.com", "CNAME", 2370, "star-mini.c10r.facebook.com"),
            ("star-mini.c10r.facebook.com", "AAAA", 60, "2a03:2880:f10c:83:face:b00c:0:25de")], (),
           rr_fb, inj_ttl=71, inj_id=0x8C1D, dly=0.0087)
    rr_tw = b"\xc0\x0c" + u16(1) + u16(1) + struct.pack("!I", 234) + vec16(bytes([108, 160, 170, 45]))
    t2 = 39.91
    lookup(t2, "twitter.com",
           [("twitter.com", "A", 1800, "104.244.42.1")], [],
           [("twitter.com", "SOA", 1800, ("ns1.twtrdns.net", "noc.twitter.com", 2018154458, 3600, 600, 604800, 300))],
           rr_tw, inj_ttl=72, inj_id=0x31F4, dly=0.0091)
    t = max(t, t2 + 1.0)
    t = browse(S, t + 5.0, "www.douban.com", [], douban, a=[douban.ip], reqs=((590, 63000), (420, 14000)), close="srst")
    t = browse(S, t + 2.8, "weibo.com", [], weibo, a=[weibo.ip], reqs=((640, 98000),))
    t = S.dns(t + 4.0, "cdn.aliyun.com", "A", [("cdn.aliyun.com", "CNAME", 300, "cdn.aliyun.com.w.alikunlun.com"),
                                                ("cdn.aliyun.com.w.alikunlun.com", "A", 60, aliyun.ip)], retransmit=True)
    f, t = S.https(t + 0.0004, aliyun, "cdn.aliyun.com", reqs=((480, 230000),))
    t = browse(S, t + 3.5, "item.jd.com", ["item.jd.com.gslb.qianxun.com"], jd, a=[jd.ip], reqs=((560, 83000), (410, 9000)), close="cfin")
    t = browse(S, 140.4, "www.baidu.com", [], baidu, reqs=((560, 27000),), dns=False)
    t = S.quic(171.0, "117.161.117.225", "g.alicdn.com", rtt=0.022, ttl=53, resp=22000)
    t = browse(S, 204.7, "gitee.com", [], gitee, a=[gitee.ip], reqs=((520, 33000),), close="cfin")
    t = browse(S, 252.3, "www.zhihu.com", [], zhihu, reqs=((600, 38000),), dns=False)
    expect = {"expect": [{"mechanism": "dns-injection", "domain": "www.facebook.com", "ip": "8.8.8.8"},
                         {"mechanism": "dns-injection", "domain": "twitter.com", "ip": "8.8.8.8"}],
              "why": "Each AAAA query to 8.8.8.8 gets two answers with the same ID: a first one 9 ms after the query (IP TTL 71/72 vs 114, no OPT record, answer TTL 234) carrying a Teredo 2001::/32 address for www.facebook.com and an A record (108.160.170.45, a known injector pool address) for twitter.com, then the genuine answer 55 ms after the query, while the A queries get one genuine answer each."}
    return cap, expect


# ========================================================================================
# 4. India (Bharti Airtel, court/DoT-ordered blocking of adult sites): an in-path box answers
#    GET / for www.xvideos.com with an HTTP 200 whose body is an <iframe> to the Airtel /
#    Netsweeper block page (http://www.airtel.in/dot/?dpid=...). It arrives 6 ms after the GET
#    with FIN set, TTL 58 vs the server's 50, IP ID 242, no TCP options; the genuine server's
#    301 arrives one RTT (142 ms) later at the same sequence number (conflicting data).
# ========================================================================================


def cap_in_iframe():
    rng = random.Random(70404)
    cap = Capture("b7p_in_iframe.pcap", utc(2023, 6, 12, 15, 7, 48), LINKTYPE_ETHERNET,
                  "8c:c6:81:2a:f0:3d", "34:e8:94:b1:7c:62", "pcap")
    cl = Client(rng, ip4="192.168.1.5", os_="linux")
    S = Session(cap, rng, cl, "192.168.1.1", resolver_rtt=0.007, resolver_ttl=64)
    google = Server("142.250.195.36", ttl=58, rtt=0.021, bw=9e6)
    flip = Server("163.53.78.128", ttl=55, rtt=0.031)
    ndtv = Server("23.205.162.77", ttl=59, rtt=0.012, bw=8e6)
    toi = Server("23.57.23.41", ttl=59, rtt=0.013, bw=8e6)
    hot = Server("13.35.166.88", ttl=242, rtt=0.018, ipid="global", bw=8e6)
    airtel = Server("23.52.171.114", ttl=59, rtt=0.012)
    xv = Server("185.88.181.60", ttl=50, rtt=0.142, bw=2e6)
    mtalk = Server("142.250.4.188", ttl=57, rtt=0.036)
    wiki = Server("103.102.166.224", ttl=55, rtt=0.041)

    t = 0.31
    t = S.resolve(t, "connectivity-check.ubuntu.com", [], a=["91.189.91.49"], both=False, ttl=60)
    ubu = Server("91.189.91.49", ttl=47, rtt=0.151)
    f, t = S.http(t + 0.0003, ubu, b"connectivity-check.ubuntu.com", b"/",
                  b"HTTP/1.1 204 No Content\r\nDate: Mon, 12 Jun 2023 15:07:48 GMT\r\nServer: nginx\r\nX-NetworkManager-Status: online\r\nConnection: close\r\n\r\n",
                  b"", close="sfin", ua=b"NetworkManager/1.42.4")
    S.idle_nat_rst(1.5, mtalk, "mtalk.google.com", idle=251.0, gw_ttl=64, dport=5228)
    t = browse(S, t + 1.0, "www.google.com", [], google, a=[google.ip], aaaa=["2404:6800:4009:82b::2004"],
               reqs=((610, 71000), (520, 18000)))
    t = S.resolve(t + 0.7, "www.youtube.com", ["youtube-ui.l.google.com"], a=["142.250.193.142", "142.250.194.46"],
                  aaaa=["2404:6800:4009:830::200e"], ttl=300)
    t = S.quic(t + 0.001, "142.250.193.142", "www.youtube.com", rtt=0.022, ttl=58, resp=260000)
    t = browse(S, t + 2.6, "www.flipkart.com", [], flip, a=[flip.ip], reqs=((590, 121000), (470, 33000)), retrans_req=True)
    t = browse(S, t + 3.1, "www.ndtv.com", ["www.ndtv.com.edgekey.net", "e7815.a.akamaiedge.net"], ndtv, a=[ndtv.ip],
               reqs=((560, 162000),), close="cfin")
    t = browse(S, t + 2.2, "en.wikipedia.org", ["dyna.wikimedia.org"], wiki, a=[wiki.ip], aaaa=["2001:df2:e500:ed1a::1"],
               reqs=((540, 88000), (420, 26000)), close="srst")
    # --- the blocked HTTP request ------------------------------------------------------
    t0 = 44.8
    S.resolve(t0, "www.xvideos.com", [], a=[xv.ip], both=True, ttl=3600)
    blk = Flow(S, xv, dport=80)
    tb = blk.open(t0 + 0.008)
    req = (b"GET / HTTP/1.1\r\nHost: www.xvideos.com\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n"
           b"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36\r\n"
           b"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7\r\n"
           b"Accept-Encoding: gzip, deflate\r\nAccept-Language: en-IN,en-GB;q=0.9,en-US;q=0.8,en;q=0.7,hi;q=0.6\r\n\r\n")
    tb = blk.c_data(tb + 0.0003, req)
    base = blk.sn
    page = (b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title></title></head>"
            b"<body style=\"margin:0\"><iframe src=\"http://www.airtel.in/dot/?dpid=1&dpruleid=3&cat=10&ttl=-200&groupname=Airtel_Subscribers"
            b"&policyname=dot_order&vsid=21005&mac=0c8ddb43a1e2&url=http%3A%2F%2Fwww%2Exvideos%2Ecom%2F\" "
            b"width=\"100%\" height=\"100%\" frameborder=\"0\" scrolling=\"no\"></iframe></body></html>")
    inj = (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: " + str(len(page)).encode() +
           b"\r\n\r\n" + page)
    ti = tb + 0.0061
    blk.pkt(ti, "s", "FPA", inj, seq=base, ack=blk.cn, win=8192, opts=[], ttl=58, ipid=242, df=False)
    blk.pkt(ti + 0.00005, "c", "A", ack=base + len(inj) + 1)
    cfin_seq = blk.cn
    blk.pkt(ti + 0.0009, "c", "FA", ack=base + len(inj) + 1)
    genuine = (b"HTTP/1.1 301 Moved Permanently\r\nServer: nginx\r\nDate: Mon, 12 Jun 2023 15:08:32 GMT\r\n"
               b"Content-Type: text/html\r\nContent-Length: 162\r\nConnection: keep-alive\r\nLocation: https://www.xvideos.com/\r\n\r\n"
               b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n"
               b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
    tg = tb + blk.rtt + 0.0009
    blk.pkt(tg, "s", "PA", genuine, seq=base, ack=cfin_seq)
    blk.pkt(tg + 0.00004, "c", "R", seq=cfin_seq + 1, ack=0, win=0, opts=[])
    # the browser renders the injected page and loads the iframe (HSTS-upgraded to https)
    t = S.resolve(ti + 0.004, "www.airtel.in", ["www.airtel.in.edgekey.net", "e6230.a.akamaiedge.net"], a=[airtel.ip], ttl=60)
    f, t = S.https(t + 0.0004, airtel, "www.airtel.in", reqs=((640, 54000), (420, 8800)), think=0.02)
    t = max(t, tg + 1)
    t = browse(S, t + 4.4, "timesofindia.indiatimes.com", ["timesofindia.indiatimes.com.edgekey.net", "e4343.b.akamaiedge.net"],
               toi, a=[toi.ip], reqs=((620, 188000), (440, 21000)))
    t = browse(S, t + 2.9, "www.hotstar.com", ["d1ce9ipbcdu4ve.cloudfront.net"], hot, a=[hot.ip], reqs=((700, 96000),), close="cfin")
    t = S.dns(t + 3.5, "fonts.gstatic.com", "A", [("fonts.gstatic.com", "A", 300, "142.250.182.35")], retransmit=True)
    t = S.quic(t + 0.001, "142.250.182.35", "fonts.gstatic.com", rtt=0.021, ttl=58, resp=48000)
    t = browse(S, 121.6, "www.google.com", [], google, reqs=((600, 44000),), dns=False)
    t = S.quic(160.3, "142.250.193.142", "www.youtube.com", rtt=0.022, ttl=58, resp=180000)
    t = browse(S, 201.8, "www.flipkart.com", [], flip, reqs=((590, 61000),), dns=False, close="cfin")
    t = browse(S, 247.0, "en.wikipedia.org", [], wiki, reqs=((520, 42000),), dns=False)
    expect = {"expect": [{"mechanism": "packet-injection", "domain": "www.xvideos.com", "ip": xv.ip},
                         {"mechanism": "blockpage", "domain": "www.xvideos.com", "ip": xv.ip}],
              "why": "6 ms after GET / for www.xvideos.com (RTT 142 ms) a FIN-flagged HTTP 200 with an iframe to http://www.airtel.in/dot/?dpid= (Airtel/Netsweeper block page) arrives with TTL 58, IP ID 242, no options, while the server's own packets have TTL 50; the genuine 301 then arrives at the same sequence number with different content."}
    return cap, expect


# ========================================================================================
# 5. Kazakhstan (Kazakhtelecom AS9198, July 2019 interception): TLS 1.2 client (legacy Edge on
#    Windows 10, so certificates travel in cleartext). www.facebook.com is intercepted: the
#    presented chain is a leaf whose subject/SANs are copied from Facebook's real certificate,
#    issued by "C=KZ, CN=Qaznet Trust Network" (a root in no browser store); the client aborts
#    with a fatal unknown_ca alert, twice. Google, Wikipedia, Yandex, Kaspi and nur.kz in the
#    same session present their genuine public-CA chains.
# ========================================================================================


class Pki:
    def __init__(self, seed):
        self.seed = seed
        self.keys = {}

    def rsa(self, name):
        if name not in self.keys:
            self.keys[name] = rsa_key(f"{self.seed}/{name}")
        return self.keys[name]

    def chain(self, leaf_subj, sans, leaf_nb, leaf_na, inter_name, inter_subj, root_name, root_subj, serial,
              inter_nb=None, inter_na=None, crl=None, ocsp=None):
        inter_nb = inter_nb or D(2017, 6, 15)
        inter_na = inter_na or D(2021, 12, 15)
        rk = self.rsa(root_name)
        ik = self.rsa(inter_name)
        lk = ec_key(f"{self.seed}/leaf/{sans[0]}")
        inter = make_cert(inter_subj, root_subj, ik.public_key(), rk, serial ^ 0x5A5A5A5A5A, inter_nb, inter_na,
                          ca=True, path_len=0, issuer_pub=rk.public_key())
        leaf = make_cert(leaf_subj, inter_subj, lk.public_key(), ik, serial, leaf_nb, leaf_na, sans=sans,
                         issuer_pub=ik.public_key(), crl=crl, aia=ocsp)
        return [leaf, inter]


def cap_kz_mitm():
    rng = random.Random(70505)
    cap = Capture("b7p_kz_mitm12.pcap", utc(2019, 7, 22, 4, 16, 2), LINKTYPE_ETHERNET,
                  "9c:b6:d0:e1:44:5a", "e0:19:54:2c:b8:07", "pcap")
    cl = Client(rng, ip4="192.168.1.64", os_="windows")
    S = Session(cap, rng, cl, "192.168.1.1", resolver_rtt=0.006, resolver_ttl=64)
    pki = Pki("kz2019")
    gs_r2 = dn(OU="GlobalSign Root CA - R2", O="GlobalSign", CN="GlobalSign")
    gts = dn(C="US", O="Google Trust Services", CN="GTS CA 1O1")
    google_chain = pki.chain(dn(C="US", ST="California", L="Mountain View", O="Google LLC", CN="www.google.com"),
                             ["www.google.com"], D(2019, 7, 2, 13, 29, 15), D(2019, 9, 24, 13, 29, 15),
                             "gts1o1", gts, "gsr2", gs_r2, 0x3C1A2B4D5E6F708192A3, inter_nb=D(2017, 6, 15), inter_na=D(2021, 12, 15),
                             crl="http://crl.pki.goog/GTS1O1.crl", ocsp="http://ocsp.pki.goog/gts1o1")
    gs_root = dn(C="BE", O="GlobalSign nv-sa", OU="Root CA", CN="GlobalSign Root CA")
    gs_ov = dn(C="BE", O="GlobalSign nv-sa", CN="GlobalSign Organization Validation CA - SHA256 - G2")
    wiki_chain = pki.chain(dn(C="US", ST="California", L="San Francisco", O="Wikimedia Foundation, Inc.", CN="*.wikipedia.org"),
                           ["*.wikipedia.org", "wikipedia.org", "*.m.wikipedia.org", "*.wikimedia.org", "wikimedia.org",
                            "*.wiktionary.org", "*.wikibooks.org", "*.wikidata.org"],
                           D(2018, 11, 8, 21, 21, 4), D(2019, 11, 22, 7, 59, 59), "gsov2", gs_ov, "gsroot", gs_root,
                           0x10C9A0E3F2D84, inter_nb=D(2014, 2, 20), inter_na=D(2024, 2, 20),
                           crl="http://crl.globalsign.com/gs/gsorganizationvalsha2g2.crl", ocsp="http://ocsp2.globalsign.com/gsorganizationvalsha2g2")
    certum = dn(C="PL", O="Unizeto Technologies S.A.", OU="Certum Certification Authority", CN="Certum Trusted Network CA")
    yca = dn(C="RU", O="Yandex LLC", OU="Yandex Certification Authority", CN="Yandex CA")
    yandex_chain = pki.chain(dn(C="RU", ST="Russian Federation", L="Moscow", O="Yandex LLC", OU="ITO", CN="yandex.kz"),
                             ["yandex.kz", "*.yandex.kz", "*.xmlsearch.yandex.kz", "m.yandex.kz"],
                             D(2019, 4, 10, 9, 1, 44), D(2020, 4, 9, 9, 1, 44), "yandexca", yca, "certum", certum,
                             0x6C4C6A2B0E3A8F1D77, inter_nb=D(2015, 1, 21), inter_na=D(2025, 1, 18),
                             crl="http://crls.yandex.net/certum/ycasha2.crl", ocsp="http://yandex.ocsp-responder.com")
    dg_root = dn(C="US", O="DigiCert Inc", OU="www.digicert.com", CN="DigiCert Global Root CA")
    geotrust = dn(C="US", O="DigiCert Inc", OU="www.digicert.com", CN="GeoTrust RSA CA 2018")
    kaspi_chain = pki.chain(dn(C="KZ", L="Almaty", O="Kaspi Bank JSC", CN="kaspi.kz"), ["kaspi.kz", "www.kaspi.kz"],
                            D(2019, 2, 4), D(2021, 2, 10, 12), "geotrust2018", geotrust, "digicertglobal", dg_root,
                            0x0A3F17C2D96B0E4E2F9B31C48D2A6E11, inter_nb=D(2017, 11, 6, 12, 23, 45), inter_na=D(2027, 11, 6, 12, 23, 45),
                            crl="http://cdp.geotrust.com/GeoTrustRSACA2018.crl", ocsp="http://status.geotrust.com")
    dst = dn(O="Digital Signature Trust Co.", CN="DST Root CA X3")
    lex3 = dn(C="US", O="Let's Encrypt", CN="Let's Encrypt Authority X3")
    nur_chain = pki.chain(dn(CN="*.nur.kz"), ["*.nur.kz", "nur.kz"], D(2019, 6, 13, 2, 11, 9), D(2019, 9, 11, 2, 11, 9),
                          "lex3", lex3, "dstx3", dst, 0x03E1D4C08B1177C2F0A6, inter_nb=D(2016, 3, 17, 16, 40, 46),
                          inter_na=D(2021, 3, 17, 16, 40, 46), ocsp="http://ocsp.int-x3.letsencrypt.org")
    # the interception root and the forged leaf (subject and SANs copied from the real one)
    qk = pki.rsa("qaznet")
    qaznet = dn(C="KZ", CN="Qaznet Trust Network")
    qroot = make_cert(qaznet, qaznet, qk.public_key(), qk, 0x1D5A27B0, D(2019, 6, 17, 5, 2, 40), D(2034, 6, 17, 5, 2, 40),
                      ca=True, path_len=None, issuer_pub=qk.public_key())
    fb_subj = dn(C="US", ST="California", L="Menlo Park", O="Facebook, Inc.", CN="*.facebook.com")
    fb_sans = ["*.facebook.com", "*.facebook.net", "*.fbcdn.net", "*.fbsbx.com", "*.m.facebook.com", "*.messenger.com",
               "*.xx.fbcdn.net", "*.xy.fbcdn.net", "*.xz.fbcdn.net", "facebook.com", "messenger.com"]
    fk = ec_key("kz2019/forged/facebook")
    forged = make_cert(fb_subj, qaznet, fk.public_key(), qk, 0x4F0C1E77A2B38D5, D(2019, 7, 17, 0, 0, 0), D(2020, 7, 16, 23, 59, 59),
                       sans=fb_sans, issuer_pub=qk.public_key())

    google = Server("64.233.164.104", ttl=47, rtt=0.061, bw=5e6)
    wiki = Server("91.198.174.192", ttl=52, rtt=0.089)
    yandex = Server("5.255.255.77", ttl=55, rtt=0.052, bw=5e6)
    kaspi = Server("194.187.247.152", ttl=58, rtt=0.007, ipid="global", bw=7e6)
    nur = Server("185.22.64.234", ttl=57, rtt=0.009, bw=7e6)
    fb = Server("157.240.9.35", ttl=60, rtt=0.074)  # as seen through the intercepting box
    msft = Server("95.56.243.89", ttl=57, rtt=0.011, ipid="global")
    wns = Server("52.177.166.224", ttl=108, rtt=0.168, ipid="global")
    edge_alpn = (b"h2", b"http/1.1")

    t = 0.28
    t = S.resolve(t, "www.msftconnecttest.com", ["www.msftconnecttest.com.edgesuite.net", "a1961.g2.akamai.net"],
                  a=[msft.ip], both=False, ttl=60)
    f, t = S.http(t + 0.0003, msft, b"www.msftconnecttest.com", b"/connecttest.txt",
                  b"HTTP/1.1 200 OK\r\nContent-Length: 22\r\nContent-Type: text/plain\r\nCache-Control: max-age=30, must-revalidate\r\nConnection: close\r\n\r\n",
                  b"Microsoft Connect Test", close="sfin", ua=b"Microsoft NCSI")
    t = S.resolve(t + 1.2, "www.google.com", [], a=[google.ip], both=False, ttl=300)
    f, t = S.https(t + 0.0003, google, "www.google.com", reqs=((620, 68000), (480, 21000)), tls13=False, certs=google_chain,
                   alpn=edge_alpn)
    t = S.resolve(t + 2.4, "www.nur.kz", [], a=[nur.ip], both=False, ttl=600)
    f, t = S.https(t + 0.0003, nur, "www.nur.kz", reqs=((560, 133000), (430, 47000)), tls13=False, certs=nur_chain,
                   alpn=edge_alpn, retrans_req=True)
    t = S.resolve(t + 3.0, "kaspi.kz", [], a=[kaspi.ip], both=False, ttl=300)
    f, t = S.https(t + 0.0003, kaspi, "kaspi.kz", reqs=((590, 89000),), tls13=False, certs=kaspi_chain, alpn=edge_alpn,
                   close="srst")
    # --- the intercepted site ----------------------------------------------------------
    S.resolve(31.4, "www.facebook.com", ["star-mini.c10r.facebook.com"], a=[fb.ip], both=False, ttl=3600)
    for tt in (31.42, 36.95):
        blk = Flow(S, fb)
        tb = blk.open(tt)
        ch = client_hello(rng, "www.facebook.com", alpn=edge_alpn, tls13=False)
        tb = blk.c_data(tb + 0.0004, rec(22, ch))
        flight = server_hello12(rng, alpn=b"h2", cipher=0xC02B)
        flight += hs(11, vec24(vec24(forged) + vec24(qroot)))
        r_, s_ = b"\x00" + rng.randbytes(32), rng.randbytes(32)
        sig = b"\x30" + u8(4 + len(r_) + len(s_)) + b"\x02" + u8(len(r_)) + r_ + b"\x02" + u8(len(s_)) + s_
        flight += hs(12, b"\x03" + u16(0x001D) + vec8(rng.randbytes(32)) + u16(0x0403) + vec16(sig))
        flight += hs(14, b"")
        tb = blk.s_data(tb + blk.rtt + 0.031, rec(22, flight))
        tb += 0.0042
        blk.pkt(tb, "c", "PA", b"\x15\x03\x03\x00\x02\x02\x30")  # fatal alert: unknown_ca
        blk.pkt(tb + 0.00003, "c", "FA")
        blk.pkt(tb + blk.rtt, "s", "FA")
        blk.pkt(tb + blk.rtt + 0.00005, "c", "A")
    t = max(t, 40.0)
    t = S.resolve(t + 2.0, "www.wikipedia.org", ["dyna.wikimedia.org"], a=[wiki.ip], both=False, ttl=600)
    f, t = S.https(t + 0.0003, wiki, "www.wikipedia.org", reqs=((540, 76000), (410, 15000)), tls13=False, certs=wiki_chain,
                   alpn=edge_alpn, close="cfin")
    t = S.dns(t + 2.5, "yandex.kz", "A", [("yandex.kz", "A", 300, yandex.ip)], retransmit=True)
    f, t = S.https(t + 0.0003, yandex, "yandex.kz", reqs=((600, 97000), (450, 33000)), tls13=False, certs=yandex_chain,
                   alpn=edge_alpn)
    S.idle_nat_rst(t + 0.5, wns, "client.wns.windows.com", idle=221.0, gw_ttl=64)
    t = S.https(86.3, google, "www.google.com", reqs=((640, 35000),), tls13=False, certs=google_chain, alpn=edge_alpn)[1]
    t = S.https(131.9, nur, "www.nur.kz", reqs=((580, 64000),), tls13=False, certs=nur_chain, alpn=edge_alpn, close="cfin")[1]
    t = S.https(184.2, kaspi, "kaspi.kz", reqs=((600, 41000),), tls13=False, certs=kaspi_chain, alpn=edge_alpn)[1]
    t = S.https(239.5, yandex, "yandex.kz", reqs=((610, 52000),), tls13=False, certs=yandex_chain, alpn=edge_alpn)[1]
    t = S.https(281.0, wiki, "www.wikipedia.org", reqs=((520, 30000),), tls13=False, certs=wiki_chain, alpn=edge_alpn,
                close="cfin")[1]
    expect = {"expect": [{"mechanism": "tls-mitm", "domain": "www.facebook.com", "ip": fb.ip}],
              "why": "Both TLS 1.2 handshakes for www.facebook.com present a *.facebook.com leaf issued by 'C=KZ, CN=Qaznet Trust Network' (the Kazakh interception root, shipped in the chain as a self-signed CA) and the client answers with a fatal unknown_ca alert, while Google, Wikipedia, Yandex, Kaspi and nur.kz in the same session present chains to GTS/GlobalSign/Certum/DigiCert/Let's Encrypt."}
    return cap, expect


# ========================================================================================
# 6. Russia (TSPU, from 10 March 2021): TLS SNI video.twimg.com is policed to ~15 kB/s by
#    dropping packets over the rate (holes, SACKs, RTO-driven retransmissions) while
#    cdn.jsdelivr.net on the very same Fastly address downloads at several MB/s in the same
#    minute. Windows 10, Chrome 89.
# ========================================================================================


def policed_transfer(f, t, data, rate, bucket, burst_rate=11e6, rto_min=0.3):
    """Server data through a token-bucket policer that drops what exceeds `rate` (bytes/s).
    Client side view: surviving segments, dup ACKs with SACK for holes, retransmissions."""
    rng = f.rng
    n = f.cmss
    segs = [data[i:i + n] for i in range(0, len(data), n)]
    N = len(segs)
    base = f.sn
    delivered = [False] * N
    pending = []
    next_new = 0
    cwnd = 10
    tokens, tok_t = bucket, t
    ser = n / burst_rate
    rto = rto_min
    tt = t
    last = t

    def cum_and_sacks():
        c = 0
        while c < N and delivered[c]:
            c += 1
        blocks = []
        i = c
        while i < N:
            if delivered[i]:
                j = i
                while j < N and delivered[j]:
                    j += 1
                blocks.append((base + i * n, base + min(j * n, len(data))))
                i = j
            else:
                i += 1
        return c, blocks

    while not all(delivered):
        send = []
        while pending and len(send) < cwnd:
            send.append(pending.pop(0))
        while next_new < N and len(send) < cwnd:
            send.append(next_new)
            next_new += 1
        ta = tt
        dropped = []
        passed_after_drop = False
        unacked = 0
        for idx in send:
            tokens = min(bucket, tokens + (ta - tok_t) * rate)
            tok_t = ta
            seg = segs[idx]
            # a token bucket with a little burst tolerance (tokens may go into debt now and then)
            if tokens >= len(seg) or (tokens >= 0.45 * len(seg) and rng.random() < 0.22):
                tokens -= len(seg)
                f.pkt(ta, "s", "PA" if idx == N - 1 else "A", seg, seq=base + idx * n)
                delivered[idx] = True
                last = ta
                c, blocks = cum_and_sacks()
                ackv = base + min(c * n, len(data))
                if blocks:
                    f.pkt(ta + 0.00004, "c", "A", ack=ackv, sack=list(reversed(blocks))[:3])
                    unacked = 0
                else:
                    unacked += 1
                    if unacked >= 2:
                        f.pkt(ta + 0.00004, "c", "A", ack=ackv)
                        unacked = 0
                if dropped:
                    passed_after_drop = True
            else:
                dropped.append(idx)
            ta += ser * (0.9 + 0.2 * rng.random())
        if unacked:
            c, blocks = cum_and_sacks()
            f.pkt(last + 0.0401, "c", "A", ack=base + min(c * n, len(data)))
        if dropped:
            pending = sorted(set(pending) | set(dropped))
            cwnd = max(2, cwnd // 2)
            if passed_after_drop:
                tt = max(ta, last + f.rtt + 0.0005)
                rto = rto_min
            else:
                tt = ta + rto
                rto = min(rto * 2, 2.4)
        else:
            cwnd = min(cwnd + 2, 44)
            rto = rto_min
            tt = max(ta, tt + f.rtt)
    f.sn = (base + len(data)) & 0xFFFFFFFF
    return last


def cap_ru_twimg():
    rng = random.Random(70606)
    cap = Capture("b7p_ru_twimg.pcapng", utc(2021, 3, 12, 9, 14, 41), LINKTYPE_ETHERNET,
                  "2c:f0:5d:9a:61:c4", "70:4f:57:23:8e:b2", "pcapng",
                  shb=("64-bit Windows 10 (2009), build 19042", "Dumpcap (Wireshark) 3.4.3 (v3.4.3-0-g6ae6cd335aa9)",
                       "\\Device\\NPF_{6F3A2C1D-8B47-4E0A-9D21-53C7E1B0A9F4}"))
    cl = Client(rng, ip4="192.168.0.16", os_="windows")
    S = Session(cap, rng, cl, "192.168.0.1", resolver_rtt=0.005, resolver_ttl=64)
    fastly = Server("151.101.84.158", ttl=57, rtt=0.012, bw=6.2e6)
    yandex = Server("77.88.55.88", ttl=56, rtt=0.004, bw=7e6)
    vk = Server("87.240.190.78", ttl=56, rtt=0.006, bw=7e6)
    mail = Server("94.100.180.200", ttl=55, rtt=0.005, bw=7e6)
    ria = Server("178.248.233.32", ttl=57, rtt=0.007)
    avito = Server("146.158.48.13", ttl=55, rtt=0.006, bw=6e6)
    google = Server("173.194.222.106", ttl=58, rtt=0.009)
    wns = Server("52.236.189.96", ttl=108, rtt=0.058, ipid="global")

    t = 0.19
    t = browse(S, t, "yandex.ru", [], yandex, a=[yandex.ip, "5.255.255.88"], reqs=((640, 112000), (480, 35000)), both=False)
    S.idle_nat_rst(1.1, wns, "client.wns.windows.com", idle=246.0, gw_ttl=64)
    t = S.resolve(t + 0.8, "www.google.com", [], a=[google.ip], both=False, ttl=300)
    t = S.quic(t + 0.001, google.ip, "www.google.com", rtt=0.010, ttl=58, resp=64000)
    t = browse(S, t + 2.4, "vk.com", [], vk, a=[vk.ip], reqs=((620, 143000), (450, 52000)), both=False, retrans_req=True)
    t = browse(S, t + 3.0, "ria.ru", [], ria, a=[ria.ip], reqs=((560, 171000),), both=False, close="cfin")
    t = S.resolve(t + 1.5, "www.youtube.com", ["youtube-ui.l.google.com"], a=["173.194.221.91"], both=False, ttl=300)
    t = S.quic(t + 0.001, "173.194.221.91", "www.youtube.com", rtt=0.010, ttl=58, resp=210000)
    # --- the throttled flow and its same-address control ----------------------------------
    t0 = 44.2
    S.resolve(t0, "video.twimg.com", ["dualstack.video.twitter.map.fastly.net"], a=[fastly.ip], both=False, ttl=300)
    thr = Flow(S, fastly)
    tt = thr.open(t0 + 0.0061)
    ch = client_hello(rng, "video.twimg.com")
    tt = thr.c_data(tt + 0.0003, rec(22, ch, ver=0x0301))
    flight = rec(22, server_hello13(rng, sid_of(ch))) + CCS + appdata(rng, 3900)
    tt = thr.s_data(tt + thr.rtt + 0.0011, flight)
    tt = thr.c_data(tt + 0.0009, CCS + appdata(rng, 36))
    tt = thr.c_data(tt + 0.0004, appdata(rng, 60) + appdata(rng, 410))
    tt = policed_transfer(thr, tt + thr.rtt + 0.003, appdata(rng, 338000), rate=15200, bucket=7300)
    # control: same server address, innocuous SNI, started 6 s later, full speed
    t1 = t0 + 6.3
    S.resolve(t1, "cdn.jsdelivr.net", ["jsdelivr.map.fastly.net"], a=[fastly.ip], both=False, ttl=60)
    f, tc = S.https(t1 + 0.0062, fastly, "cdn.jsdelivr.net", reqs=((520, 1450000), (470, 380000)), think=0.004)
    t = max(tt, tc)
    thr.c_fin(tt + 9.5)
    t = browse(S, t + 3.3, "mail.ru", [], mail, a=[mail.ip], reqs=((600, 128000),), both=False, close="srst")
    t = S.dns(t + 2.0, "www.avito.ru", "A", [("www.avito.ru", "A", 60, avito.ip)], retransmit=True)
    f, t = S.https(t + 0.0003, avito, "www.avito.ru", reqs=((700, 166000), (500, 48000)))
    t = browse(S, 140.0, "yandex.ru", [], yandex, reqs=((600, 54000),), dns=False)
    t = S.quic(175.2, google.ip, "www.google.com", rtt=0.010, ttl=58, resp=31000)
    t = browse(S, 212.9, "vk.com", [], vk, reqs=((560, 77000),), dns=False, close="cfin")
    t = browse(S, 261.4, "ria.ru", [], ria, reqs=((540, 66000),), dns=False)
    expect = {"expect": [{"mechanism": "throttling", "domain": "video.twimg.com", "ip": fastly.ip}],
              "why": "After its ClientHello for video.twimg.com the flow delivers ~338 kB at ~15 kB/s with holes, SACKs and retransmissions after long stalls, while cdn.jsdelivr.net on the same Fastly address 151.101.84.158 moves 1.8 MB at several MB/s in the same minute."}
    return cap, expect


# ========================================================================================
# 7. China (GFW), residual blocking after an SNI trigger: the ClientHello for medium.com to
#    Cloudflare 162.159.153.4:443 draws a forged RST (TTL 109 vs 52, IP ID 0, no options,
#    window 2806) and the server's ServerHello arrives one RTT later; for the next ~2.5 minutes
#    three new connections to 162.159.153.4:443 (towardsdatascience.com, medium.com) never get
#    a SYN/ACK, while port 80 on the same address answers twice; after the window,
#    towardsdatascience.com on 162.159.153.4:443 loads normally.
# ========================================================================================


def syn_only(S, srv, t, retries=(1.0, 3.0, 7.0, 15.0), dport=443):
    f = Flow(S, srv, dport=dport)
    f.pkt(t, "c", "S")
    for r in retries:
        f.pkt(t + r + S.rng.random() * 0.004, "c", "S", seq=f.ciss)
    return t + retries[-1]


def cap_residual443():
    rng = random.Random(70707)
    cap = Capture("b7p_residual443.pcap", utc(2024, 9, 3, 13, 20, 11), LINKTYPE_ETHERNET,
                  "48:51:c5:3e:90:17", "9c:9d:7e:44:0b:21", "pcap")
    cl = Client(rng, ip4="192.168.1.100", os_="linux")
    S = Session(cap, rng, cl, "192.168.1.1", resolver_rtt=0.012, resolver_ttl=64)
    cf = Server("162.159.153.4", ttl=52, rtt=0.166, bw=2.5e6)
    baidu = Server("110.242.68.66", ttl=52, rtt=0.029, bw=5e6)
    jd = Server("111.13.149.108", ttl=53, rtt=0.024)
    zhihu = Server("118.89.204.198", ttl=51, rtt=0.033)
    csdn = Server("39.106.226.142", ttl=50, rtt=0.037)
    gh = Server("20.205.243.166", ttl=111, rtt=0.071, ipid="global")
    bili = Server("120.92.78.97", ttl=52, rtt=0.031, bw=8e6)
    qqim = Server("183.47.101.192", ttl=53, rtt=0.035)

    t = 0.33
    t = browse(S, t, "www.baidu.com", ["www.a.shifen.com"], baidu, a=[baidu.ip, "110.242.68.3"], reqs=((520, 92000), (410, 17000)))
    S.idle_nat_rst(1.4, qqim, "msfwifi.3g.qq.com", idle=263.0, gw_ttl=64)
    t = browse(S, t + 1.6, "github.com", [], gh, a=[gh.ip], reqs=((690, 156000), (520, 41000)), think=0.06, retrans_req=True)
    t = S.resolve(t + 0.9, "g.alicdn.com", ["g.alicdn.com.danuoyi.alicdn.com"], a=["117.161.117.225"], ttl=120)
    t = S.quic(t + 0.001, "117.161.117.225", "g.alicdn.com", rtt=0.022, ttl=53, resp=70000)
    t = browse(S, t + 2.8, "blog.csdn.net", ["blog.csdn.net.w.kunlunaq.com"], csdn, a=[csdn.ip], reqs=((610, 77000),), close="srst")
    # --- trigger ---------------------------------------------------------------------------
    t0 = 24.6
    S.resolve(t0, "medium.com", [], a=[cf.ip, "162.159.152.4"], aaaa=["2606:4700:7::a29f:9904", "2606:4700:7::a29f:9804"], ttl=300)
    blk = Flow(S, cf)
    tb = blk.open(t0 + 0.0135)
    ch = client_hello(rng, "medium.com")
    tb = blk.c_data(tb + 0.0003, rec(22, ch, ver=0x0301))
    ack_at = blk.cn
    blk.pkt(tb + 0.0231, "s", "R", seq=blk.sn, ack=0, win=2806, opts=[], ttl=109, ipid=0, df=False)
    # the server's genuine flight arrives one RTT later; the client's socket is gone -> RST
    sh = rec(22, server_hello13(rng, sid_of(ch))) + CCS + appdata(rng, 2600)
    ts = tb + blk.rtt + 0.0012
    blk.pkt(ts, "s", "A", sh[:blk.cmss], ack=ack_at)
    blk.pkt(ts + 0.00003, "c", "R", seq=ack_at, ack=0, win=0, opts=[])
    blk.pkt(ts + 0.0006, "s", "A", sh[blk.cmss:2 * blk.cmss], ack=ack_at)
    blk.pkt(ts + 0.00063, "c", "R", seq=ack_at, ack=0, win=0, opts=[])
    # --- residual window: SYNs to the same address and port go unanswered ------------------
    S.resolve(t0 + 17.3, "towardsdatascience.com", [], a=[cf.ip, "162.159.152.4"], both=True, ttl=300)
    syn_only(S, cf, t0 + 17.33, retries=(1.0, 3.0, 7.0, 15.0, 31.0))
    # port 80 on the same address works (plain http://medium.com typed in the address bar)
    f80, t80 = S.http(t0 + 44.1, cf, b"medium.com", b"/",
                      b"HTTP/1.1 301 Moved Permanently\r\nDate: Tue, 03 Sep 2024 13:21:20 GMT\r\nContent-Type: text/html\r\nContent-Length: 167\r\nConnection: keep-alive\r\nCache-Control: max-age=3600\r\nExpires: Tue, 03 Sep 2024 14:21:20 GMT\r\nLocation: https://medium.com/\r\nServer: cloudflare\r\nCF-RAY: 8bd7c4f21a6e0e5b-LAX\r\nalt-svc: h3=\":443\"; ma=86400\r\n\r\n",
                      b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n",
                      close="cfin", ua=b"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36")
    # the browser follows the redirect to https://medium.com/ : SYN dropped again
    syn_only(S, cf, t80 - 1.498, retries=(1.0, 3.0, 7.0, 15.0))  # http() returned after its FIN exchange, 1.5 s later
    f80, t80b = S.http(t0 + 101.7, cf, b"towardsdatascience.com", b"/",
                       b"HTTP/1.1 301 Moved Permanently\r\nDate: Tue, 03 Sep 2024 13:22:17 GMT\r\nContent-Type: text/html\r\nContent-Length: 167\r\nConnection: keep-alive\r\nCache-Control: max-age=3600\r\nLocation: https://towardsdatascience.com/\r\nServer: cloudflare\r\nCF-RAY: 8bd7c658ce2d0e5b-LAX\r\n\r\n",
                       b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n",
                       close="cfin", ua=b"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36")
    syn_only(S, cf, t80b - 1.497, retries=(1.0, 3.0, 7.0))
    # --- other traffic meanwhile ------------------------------------------------------------
    t = max(t, t0 + 1.0)
    t = browse(S, t + 6.0, "www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], zhihu, a=[zhihu.ip], reqs=((610, 69000), (430, 11000)))
    t = browse(S, t + 9.0, "item.jd.com", ["item.jd.com.gslb.qianxun.com"], jd, a=[jd.ip], reqs=((560, 83000),), close="cfin")
    t = S.dns(t + 14.0, "www.bilibili.com", "A", [("www.bilibili.com", "CNAME", 300, "a.w.bilicdn1.com"), ("a.w.bilicdn1.com", "A", 60, bili.ip)],
              retransmit=True)
    f, t = S.https(t + 0.0003, bili, "www.bilibili.com", reqs=((530, 121000), (420, 48000)))
    t = S.quic(t + 22.0, "117.161.117.225", "g.alicdn.com", rtt=0.022, ttl=53, resp=26000)
    t = browse(S, 150.2, "www.baidu.com", [], baidu, reqs=((560, 29000),), dns=False)
    t = browse(S, 188.7, "github.com", [], gh, reqs=((650, 88000),), dns=False, think=0.06)
    # --- after the window: the same address and port work again -------------------------
    t2 = t0 + 196.4
    f, t = S.https(t2, cf, "towardsdatascience.com", reqs=((720, 146000), (530, 61000)), think=0.04, close="cfin")
    t = browse(S, 246.0, "www.zhihu.com", [], zhihu, reqs=((600, 36000),), dns=False)
    expect = {"expect": [{"mechanism": "rst-injection", "domain": "medium.com", "ip": cf.ip},
                         {"mechanism": "residual-blocking", "ip": cf.ip}],
              "why": "23 ms after the ClientHello for medium.com a RST with TTL 109 (server 52), IP ID 0 and no options arrives and the server's ServerHello follows one RTT later; then three fresh connections to 162.159.153.4:443 get no SYN/ACK for ~2.5 minutes while 162.159.153.4:80 answers twice, and 443 works again 196 s after the trigger."}
    return cap, expect


# ========================================================================================
# 8. Russia (TSPU QUIC filtering, March 2022), IPv6-only capture on Linux "any" (SLL2):
#    HTTP/3 Initials for www.youtube.com to 2a00:1450:4010:c0e::5b are never answered (five
#    Initials, PTO backoff, then again 5 minutes later) while TCP/443 with the same SNI to the
#    same address completes a TLS 1.3 handshake and loads the page both times, and QUIC to
#    domestic servers (yandex.ru, yastatic.net, vk.com) works.
# ========================================================================================


def cap_quic6_sll2():
    rng = random.Random(70808)
    cap = Capture("b7p_quic6_sll2.pcapng", utc(2022, 3, 10, 17, 3, 52), LINKTYPE_LINUX_SLL2,
                  "b4:2e:99:6f:1d:a3", "e4:8d:8c:3a:52:c0", "pcapng",
                  shb=("Linux 5.16.0-4-amd64", "Dumpcap (Wireshark) 3.6.2 (Git v3.6.2 packaged as 3.6.2-1)", "any"))
    cl = Client(rng, ip6="2a02:2168:8f0:3a00:a8e9:72ff:fe4b:1c07", os_="linux")
    S = Session(cap, rng, cl, "2a02:2168:1:fa::1", resolver_rtt=0.006, resolver_ttl=61)
    yt = Server("2a00:1450:4010:c0e::5b", ttl=57, rtt=0.019, bw=7e6)
    ytimg = Server("2a00:1450:4010:c05::77", ttl=57, rtt=0.019, bw=7e6)
    mailru = Server("2a00:1148:db00:0:b0b0::1", ttl=58, rtt=0.006, bw=7e6)
    habr = Server("2a00:b700::1:2b7", ttl=56, rtt=0.008)
    gh = Server("2606:50c0:8000::153", ttl=52, rtt=0.052, bw=4e6)
    lenta = Server("2a02:6b8:c02:901:0:4b68:32:1", ttl=56, rtt=0.007)
    push = Server("2a00:1450:4010:c03::bc", ttl=57, rtt=0.021)

    t = 0.27
    t = S.resolve(t, "yandex.ru", [], a=["77.88.55.88"], aaaa=["2a02:6b8:a::a"], ttl=300)
    t = S.quic(t + 0.001, "2a02:6b8:a::a", "yandex.ru", rtt=0.005, ttl=57, resp=118000, fl=0x3A1F2)
    S.idle_nat_rst(0.9, push, "mtalk.google.com", idle=279.0, gw_ttl=64, dport=5228)  # home router's v6 firewall idle timeout
    t = S.resolve(t + 0.4, "yastatic.net", [], a=["178.154.131.215"], aaaa=["2a02:6b8:20::215"], ttl=600)
    t = S.quic(t + 0.001, "2a02:6b8:20::215", "yastatic.net", rtt=0.005, ttl=57, resp=241000, fl=0x1C3E0)
    t = browse(S, t + 2.3, "habr.com", [], habr, a=["178.248.237.68"], aaaa=[habr.ip], reqs=((600, 131000), (440, 38000)), retrans_req=True)
    t = browse(S, t + 2.7, "github.com", [], gh, a=["140.82.121.4"], aaaa=[gh.ip], reqs=((680, 149000),), think=0.05, close="cfin")
    t = S.resolve(t + 1.9, "vk.com", [], a=["87.240.190.78"], aaaa=["2a00:bdc0:3:103:1:0:403:900"], ttl=300)
    t = S.quic(t + 0.001, "2a00:bdc0:3:103:1:0:403:900", "vk.com", rtt=0.006, ttl=58, resp=96000, fl=0x5D10B)
    # --- www.youtube.com: QUIC Initials unanswered, TCP with the same SNI works ------------
    def yt_visit(t0, dns):
        if dns:
            S.resolve(t0, "www.youtube.com", ["youtube-ui.l.google.com"], a=["173.194.222.91"], aaaa=[yt.ip], ttl=300)
        tq = t0 + 0.0075
        S.quic(tq, yt.ip, "www.youtube.com", rtt=0.019, ttl=57, answered=False, tries=(0.0, 0.3, 0.9, 2.1, 4.5),
               fl=rng.getrandbits(20))
        # Chrome's TCP fallback job starts 300 ms later and succeeds
        f, te = S.https(tq + 0.301, yt, "www.youtube.com", reqs=((690, 412000), (520, 86000), (480, 23000)), think=0.03)
        return te

    t1 = yt_visit(38.9, True)
    t = max(t, t1)
    t = S.resolve(t + 0.1, "i.ytimg.com", ["ytimg.l.google.com"], a=["173.194.222.119"], aaaa=[ytimg.ip], ttl=300)
    f, t = S.https(t + 0.0003, ytimg, "i.ytimg.com", reqs=((520, 188000), (480, 77000)))
    t = browse(S, t + 3.2, "lenta.ru", [], lenta, a=["81.19.72.32"], aaaa=[lenta.ip], reqs=((620, 166000),), close="srst")
    t = S.dns(t + 2.4, "mail.ru", "AAAA", [("mail.ru", "AAAA", 60, mailru.ip)], retransmit=True)
    f, t = S.https(t + 0.0003, mailru, "mail.ru", reqs=((640, 122000), (450, 31000)))
    t = S.quic(118.3, "2a02:6b8:a::a", "yandex.ru", rtt=0.005, ttl=57, resp=52000, fl=0x7E0A9)
    t = browse(S, 160.6, "habr.com", [], habr, reqs=((610, 64000),), dns=False, close="cfin")
    t = S.quic(201.9, "2a02:6b8:20::215", "yastatic.net", rtt=0.005, ttl=57, resp=73000, fl=0x2B7D4)
    t = browse(S, 244.1, "mail.ru", [], mailru, reqs=((600, 48000),), dns=False)
    # second visit, five minutes later (Chrome retries QUIC once its broken-mark expires)
    t2 = yt_visit(345.2, True)
    t = browse(S, t2 + 4.0, "github.com", [], gh, reqs=((650, 71000),), dns=False, think=0.05)
    t = S.quic(t2 + 9.6, "2a02:6b8:a::a", "yandex.ru", rtt=0.005, ttl=57, resp=38000, fl=0x4410F)
    t = browse(S, t2 + 15.2, "lenta.ru", [], lenta, reqs=((600, 58000),), dns=False, close="cfin")
    expect = {"expect": [{"mechanism": "blackhole", "domain": "www.youtube.com", "ip": yt.ip}],
              "why": "Twice, five QUIC Initials (SNI www.youtube.com) to [2a00:1450:4010:c0e::5b]:443 get no reply at all while a TCP/443 connection with the same SNI to the same address completes TLS and transfers ~500 kB, and QUIC to yandex.ru, yastatic.net and vk.com completes normally."}
    return cap, expect


CAPTURES = [cap_sni6, cap_gfw_race, cap_aaaa_only, cap_in_iframe, cap_kz_mitm, cap_ru_twimg, cap_residual443, cap_quic6_sll2]


def main():
    if len(sys.argv) != 2:
        print("usage: blind7_positive.py OUTDIR", file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    expect = {}
    for fn in CAPTURES:
        cap, exp = fn()
        n = cap.write(os.path.join(out, cap.name))
        expect[cap.name] = exp
        print(f"{cap.name}: {n} packets")
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=1, sort_keys=True)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
