#!/usr/bin/env python3
# ruff: noqa: E501, F841, B905, E741
"""Blind hold-out positive captures for the censorship-forensics analyzer.

Deterministic: every case uses its own random.Random(seed); timestamps are fixed;
certificate keys are derived from fixed integers and signed with RFC 6979 ECDSA.
Run: python captures/blind_positive.py OUTDIR (writes the captures and expect.json there;
tests/test_blind_sets.py runs it into a temporary folder).
"""
import datetime as dt
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
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from scapy.all import IP, TCP, UDP, Dot1Q, Ether, IPv6, PcapNgWriter, PcapWriter, Raw
from scapy.layers.l2 import CookedLinuxV2

OUT = "."  # the output folder, set by main() from the command line
EXPECT = {}

# ----------------------------------------------------------------------------
# capture container and link-layer writers
# ----------------------------------------------------------------------------

class Cap:
    """Packets seen at the client.  add(t, ip_packet, outgoing)."""

    def __init__(self, name, link, base, fmt="pcap", vlan=None,
                 cmac="3c:22:fb:5a:91:0e", gmac="a4:91:b1:0c:7e:23"):
        self.name, self.link, self.base, self.fmt, self.vlan = name, link, base, fmt, vlan
        self.cmac, self.gmac = cmac, gmac
        self.pkts = []
        self.ports = set()

    def add(self, t, p, out):
        self.pkts.append((round(t, 6), p, out))

    def port(self, rng, lo=32768, hi=60999):
        while True:
            p = rng.randint(lo, hi)
            if p not in self.ports:
                self.ports.add(p)
                return p

    def frames(self):
        res = []
        for t, p, out in sorted(self.pkts, key=lambda x: x[0]):
            v6 = p.haslayer(IPv6)
            et = 0x86DD if v6 else 0x0800
            src, dst = (self.cmac, self.gmac) if out else (self.gmac, self.cmac)
            if self.link == "eth":
                f = Ether(src=src, dst=dst, type=et) / p
            elif self.link == "vlan":
                f = Ether(src=src, dst=dst, type=0x8100) / Dot1Q(vlan=self.vlan, prio=0, type=et) / p
            elif self.link == "sll2":
                mac = bytes.fromhex(src.replace(":", "")) + b"\0\0"
                f = CookedLinuxV2(proto=et, reserved=0, ifindex=3, lladdrtype=1,
                                  pkttype=4 if out else 0, lladdrlen=6, src=mac) / p
            elif self.link == "raw":
                f = p
            else:
                raise ValueError(self.link)
            f = f.__class__(bytes(f))  # freeze checksums/lengths
            f.time = self.base + t
            res.append(f)
        return res

    def write(self):
        lt = {"eth": 1, "vlan": 1, "sll2": 276, "raw": 101}[self.link]
        path = os.path.join(OUT, self.name)
        fr = self.frames()
        if self.fmt == "pcapng":
            w = PcapNgWriter(path)
            for f in fr:
                w.write(f)
            w.close()
        else:
            w = PcapWriter(path, linktype=lt, sync=True)
            for f in fr:
                w.write(f)
            w.close()
        return len(fr)


def ts(y, mo, d, h, mi, s=0):
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.UTC).timestamp()


def is6(a):
    return ":" in a


def mk_ip(src, dst, ttl, ipid=0, df=True, fl=0, tc=0):
    if is6(src):
        return IPv6(src=src, dst=dst, hlim=ttl, fl=fl, tc=tc)
    return IP(src=src, dst=dst, ttl=ttl, id=ipid & 0xFFFF, flags="DF" if df else 0)

# ----------------------------------------------------------------------------
# TCP connection model (capture point = client)
# ----------------------------------------------------------------------------

class Conn:
    def __init__(self, cap, rng, cip, cport, sip, sport, *, s_ttl, rtt, c_ttl=64, tsopt=True,
                 c_win=502, s_win=501, s_df=True, c_df=True, s_ipid=None, windows=False,
                 s_mss=None, s_ipid_const=None):
        self.cap, self.rng = cap, rng
        self.s_ipid_const = s_ipid_const
        self.cip, self.cport, self.sip, self.sport = cip, cport, sip, sport
        self.v6 = is6(cip)
        self.s_ttl, self.c_ttl, self.rtt = s_ttl, c_ttl, rtt
        self.tsopt = tsopt
        self.windows = windows
        self.c_win, self.s_win = c_win, s_win
        self.s_df, self.c_df = s_df, c_df
        self.cseq = self.c_isn = rng.getrandbits(32)
        self.sseq = self.s_isn = rng.getrandbits(32)
        self.c_ipid = rng.getrandbits(16)
        self.s_ipid = rng.getrandbits(16) if s_ipid is None else s_ipid
        self.c_fl = rng.getrandbits(20)
        self.s_fl = rng.getrandbits(20)
        self.c_ts0 = rng.getrandbits(31)
        self.s_ts0 = rng.getrandbits(31)
        self.last_c_tsv = 0
        self.last_s_tsv = 0
        mss = 1440 if self.v6 else 1460
        self.mss = mss
        self.s_mss = s_mss or mss
        self.seg = mss - (12 if tsopt else 0)
        self.sseg = self.s_mss - (12 if tsopt else 0)

    def _tsopt(self, t, frm_c):
        if frm_c:
            v = (self.c_ts0 + int(t * 1000)) & 0xFFFFFFFF
            self.last_c_tsv = v
            return v, self.last_s_tsv
        v = (self.s_ts0 + int(t * 1000)) & 0xFFFFFFFF
        self.last_s_tsv = v
        return v, self.last_c_tsv

    def pkt(self, t, frm_c, flags, data=b"", seq=None, ack=None, win=None, opts=None,
            ttl=None, ipid=None, df=None, fl=None, advance=True, extra_opts=None):
        if frm_c:
            src, dst, sp, dp = self.cip, self.sip, self.cport, self.sport
            ttl = self.c_ttl if ttl is None else ttl
            if ipid is None:
                ipid = self.c_ipid
                self.c_ipid = (self.c_ipid + 1) & 0xFFFF
            df = self.c_df if df is None else df
            fl = self.c_fl if fl is None else fl
            sq = self.cseq if seq is None else seq
            ak = self.sseq if ack is None else ack
            w = self.c_win if win is None else win
        else:
            src, dst, sp, dp = self.sip, self.cip, self.sport, self.cport
            ttl = self.s_ttl if ttl is None else ttl
            if ipid is None and self.s_ipid_const is not None:
                ipid = self.s_ipid_const
            if ipid is None:
                ipid = self.s_ipid
                self.s_ipid = (self.s_ipid + 1) & 0xFFFF
            df = self.s_df if df is None else df
            fl = self.s_fl if fl is None else fl
            sq = self.sseq if seq is None else seq
            ak = self.cseq if ack is None else ack
            w = self.s_win if win is None else win
        if "A" not in flags:
            ak = 0
        if flags == "R" and win is None:
            w = 0
        if opts is None:
            if "S" in flags:
                if self.tsopt:
                    tv = self._tsopt(t, frm_c)
                    if frm_c:
                        opts = [("MSS", self.mss), ("SAckOK", b""), ("Timestamp", (tv[0], 0)),
                                ("NOP", None), ("WScale", 7)]
                    else:
                        opts = [("MSS", self.s_mss), ("SAckOK", b""), ("Timestamp", tv),
                                ("NOP", None), ("WScale", 9)]
                else:
                    opts = [("MSS", self.mss if frm_c else self.s_mss), ("NOP", None),
                            ("WScale", 8), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
                w = 64240 if frm_c else 65535
            elif "R" in flags:
                opts = []
            elif self.tsopt:
                opts = [("NOP", None), ("NOP", None), ("Timestamp", self._tsopt(t, frm_c))]
            else:
                opts = []
        if extra_opts:
            opts = opts + extra_opts
        p = mk_ip(src, dst, ttl, ipid, df, fl) / TCP(sport=sp, dport=dp, seq=sq & 0xFFFFFFFF,
                                                     ack=ak & 0xFFFFFFFF, flags=flags,
                                                     window=w, options=opts)
        if data:
            p = p / Raw(data)
        if advance and seq is None:
            inc = len(data) + (1 if "S" in flags else 0) + (1 if "F" in flags else 0)
            if frm_c:
                self.cseq = (self.cseq + inc) & 0xFFFFFFFF
            else:
                self.sseq = (self.sseq + inc) & 0xFFFFFFFF
        self.cap.add(t, p, frm_c)
        return p

    def connect(self, t):
        self.pkt(t, True, "S")
        t2 = t + self.rtt
        self.pkt(t2, False, "SA")
        t3 = t2 + 0.00004
        self.pkt(t3, True, "A")
        return t3

    def c_send(self, t, data, gap=0.00002):
        n = self.seg
        chunks = [data[i:i + n] for i in range(0, len(data), n)]
        for i, ch in enumerate(chunks):
            self.pkt(t, True, "PA" if i == len(chunks) - 1 else "A", ch)
            if i != len(chunks) - 1:
                t += gap
        return t

    def s_send(self, t, data, gap=0.00012, iw=10, ack_every=2):
        n = self.sseg
        segs = [data[i:i + n] for i in range(0, len(data), n)]
        cw, i, bstart, tt = iw, 0, t, t
        while i < len(segs):
            k_n = min(cw, len(segs) - i)
            tt = bstart
            for k in range(k_n):
                last = (i + k == len(segs) - 1)
                self.pkt(tt, False, "PA" if (last or k == k_n - 1) else "A", segs[i + k])
                if k % ack_every == ack_every - 1 or last or k == k_n - 1:
                    self.pkt(tt + 0.00003, True, "A")
                if not last:
                    tt += gap
            i += k_n
            cw *= 2
            bstart = max(bstart + self.rtt, tt + 0.0002)
        return tt + 0.00003

    def close(self, t, by_client=True):
        if by_client:
            self.pkt(t, True, "FA")
            self.pkt(t + self.rtt, False, "FA")
            self.pkt(t + self.rtt + 0.00004, True, "A")
            return t + self.rtt + 0.00004
        self.pkt(t, False, "FA")
        self.pkt(t + 0.0002, True, "FA")
        self.pkt(t + 0.0002 + self.rtt, False, "A")
        return t + 0.0002 + self.rtt


def inj_tcp(cap, t, src, dst, sport, dport, seq, ack, flags, ttl, ipid=0, df=False, win=0,
            data=b"", fl=0, opts=None, out=False):
    p = mk_ip(src, dst, ttl, ipid, df, fl) / TCP(sport=sport, dport=dport, seq=seq & 0xFFFFFFFF,
                                                 ack=ack & 0xFFFFFFFF if "A" in flags else 0,
                                                 flags=flags, window=win, options=opts or [])
    if data:
        p = p / Raw(data)
    cap.add(t, p, out)
    return p

# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------

def ext(t, d):
    return struct.pack("!HH", t, len(d)) + d


def rec(ct, body, ver=0x0303):
    return bytes([ct]) + struct.pack("!HH", ver, len(body)) + body


CCS = rec(0x14, b"\x01")


def hs(typ, body):
    return bytes([typ]) + len(body).to_bytes(3, "big") + body


def client_hello(rng, sni=None, alpn=(b"h2", b"http/1.1"), quic_tp=None, extra=(),
                 pad_to=None):
    rnd = rng.randbytes(32)
    if quic_tp is not None:
        sid = b""
        suites = [0x1301, 0x1302, 0x1303]
    else:
        sid = rng.randbytes(32)
        suites = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8,
                  0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    e = []
    if sni:
        sb = sni.encode()
        e.append(ext(0, struct.pack("!HBH", len(sb) + 3, 0, len(sb)) + sb))
    if quic_tp is None:
        e.append(ext(0x17, b""))
        e.append(ext(0xFF01, b"\x00"))
    e.append(ext(0x0A, struct.pack("!H", 8) + bytes.fromhex("001d00170018") + b"\x00\x19"))
    if quic_tp is None:
        e.append(ext(0x0B, b"\x01\x00"))
        e.append(ext(0x23, b""))
    if alpn:
        al = b"".join(bytes([len(a)]) + a for a in alpn)
        e.append(ext(0x10, struct.pack("!H", len(al)) + al))
    e.append(ext(5, b"\x01\x00\x00\x00\x00"))
    sa = bytes.fromhex("0403080404010503080505010806060102010201")[:16]
    e.append(ext(0x0D, struct.pack("!H", len(sa)) + sa))
    e.append(ext(0x12, b""))
    ks = struct.pack("!HH", 0x1D, 32) + rng.randbytes(32)
    e.append(ext(0x33, struct.pack("!H", len(ks)) + ks))
    e.append(ext(0x2D, b"\x01\x01"))
    if quic_tp is None:
        e.append(ext(0x2B, b"\x04\x03\x04\x03\x03"))
    else:
        e.append(ext(0x2B, b"\x02\x03\x04"))
    e.append(ext(0x1B, b"\x02\x00\x02"))
    for x in extra:
        e.append(x)
    if quic_tp is not None:
        e.append(ext(0x39, quic_tp))
    eb = b"".join(e)
    body_wo = (b"\x03\x03" + rnd + bytes([len(sid)]) + sid + struct.pack("!H", 2 * len(suites)) +
               b"".join(struct.pack("!H", s) for s in suites) + b"\x01\x00")
    if pad_to:
        cur = len(body_wo) + 2 + len(eb) + 4
        if cur + 4 < pad_to:
            eb += ext(0x15, b"\x00" * (pad_to - cur - 4))
    body = body_wo + struct.pack("!H", len(eb)) + eb
    return hs(1, body), {"random": rnd, "sid": sid}


def server_hello13(rng, sid):
    e = ext(0x2B, b"\x03\x04") + ext(0x33, struct.pack("!HH", 0x1D, 32) + rng.randbytes(32))
    body = (b"\x03\x03" + rng.randbytes(32) + bytes([len(sid)]) + sid + b"\x13\x01\x00" +
            struct.pack("!H", len(e)) + e)
    return hs(2, body)


def appdata(rng, total, maxrec=16384):
    out = b""
    while total > 0:
        L = min(total, maxrec) if total > 40 else max(total, 22)
        out += rec(0x17, rng.randbytes(L + 17))
        total -= L
    return out


def tls13_session(conn, t, sni, rng, req=420, resp=15000, close=True, think=0.02, alpn=(b"h2", b"http/1.1")):
    """complete TLS 1.3 handshake + one request/response."""
    t = conn.connect(t) + 0.0003
    ch, info = client_hello(rng, sni, alpn=alpn)
    conn.c_send(t, rec(0x16, ch, 0x0301))
    tt = t + conn.rtt + rng.uniform(0.0008, 0.004)
    flight = rec(0x16, server_hello13(rng, info["sid"])) + CCS + appdata(rng, rng.randint(2600, 4300))
    tt = conn.s_send(tt, flight)
    tt += rng.uniform(0.001, 0.003)
    tt = conn.c_send(tt, CCS + rec(0x17, rng.randbytes(53)) + appdata(rng, req))
    tt2 = tt + conn.rtt + think * rng.uniform(0.3, 1.5)
    tt2 = conn.s_send(tt2, appdata(rng, 240) + appdata(rng, resp))
    if close:
        tt2 = conn.close(tt2 + rng.uniform(0.3, 2.5), by_client=rng.random() < 0.6)
    return tt2

# ----------------------------------------------------------------------------
# certificates (deterministic ECDSA)
# ----------------------------------------------------------------------------

def det_key(label):
    n = int.from_bytes(hashlib.sha256(label.encode()).digest(), "big") % (2 ** 255)
    return ec.derive_private_key(n + 1, ec.SECP256R1())


def name(**kw):
    oids = {"C": NameOID.COUNTRY_NAME, "ST": NameOID.STATE_OR_PROVINCE_NAME,
            "L": NameOID.LOCALITY_NAME, "O": NameOID.ORGANIZATION_NAME,
            "OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME}
    return x509.Name([x509.NameAttribute(oids[k], v) for k, v in kw.items()])


def make_ca(label, subj, nb, na, serial):
    key = det_key(label)
    b = (x509.CertificateBuilder().subject_name(subj).issuer_name(subj)
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(nb).not_valid_after(na)
         .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                      key_encipherment=False, data_encipherment=False,
                                      key_agreement=False, key_cert_sign=True, crl_sign=True,
                                      encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    return key, b.sign(key, hashes.SHA256(), ecdsa_deterministic=True)


def make_leaf(label, subj, sans, ca_key, ca_cert, nb, na, serial):
    key = det_key(label)
    b = (x509.CertificateBuilder().subject_name(subj).issuer_name(ca_cert.subject)
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(nb).not_valid_after(na)
         .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                      key_encipherment=False, data_encipherment=False,
                                      key_agreement=False, key_cert_sign=False, crl_sign=False,
                                      encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                               ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
         .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                        critical=False))
    return key, b.sign(ca_key, hashes.SHA256(), ecdsa_deterministic=True)


def tls12_server_flight(rng, ch_random, sid_echo, leaf_key, chain_der):
    srand = rng.randbytes(32)
    e = ext(0xFF01, b"\x00") + ext(0x0B, b"\x01\x00") + ext(0x17, b"")
    sh = hs(2, b"\x03\x03" + srand + bytes([len(sid_echo)]) + sid_echo + b"\xc0\x2b\x00" +
            struct.pack("!H", len(e)) + e)
    certs = b"".join(len(c).to_bytes(3, "big") + c for c in chain_der)
    cert = hs(11, len(certs).to_bytes(3, "big") + certs)
    params = b"\x03\x00\x1d\x20" + rng.randbytes(32)
    sig = leaf_key.sign(ch_random + srand + params,
                        ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    ske = hs(12, params + b"\x04\x03" + struct.pack("!H", len(sig)) + sig)
    shd = hs(14, b"")
    return rec(0x16, sh + cert + ske + shd)

# ----------------------------------------------------------------------------
# QUIC v1 Initial packets (RFC 9001 protection)
# ----------------------------------------------------------------------------

QUIC_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def hkdf_expand_label(secret, label, ctx, length):
    full = b"tls13 " + label
    info = struct.pack("!H", length) + bytes([len(full)]) + full + bytes([len(ctx)]) + ctx
    out, tblk, i = b"", b"", 1
    while len(out) < length:
        tblk = hmac.new(secret, tblk + info + bytes([i]), hashlib.sha256).digest()
        out += tblk
        i += 1
    return out[:length]


def quic_keys(odcid, server):
    init = hmac.new(QUIC_SALT, odcid, hashlib.sha256).digest()
    sec = hkdf_expand_label(init, b"server in" if server else b"client in", b"", 32)
    return (hkdf_expand_label(sec, b"quic key", b"", 16), hkdf_expand_label(sec, b"quic iv", b"", 12),
            hkdf_expand_label(sec, b"quic hp", b"", 16))


def varint(v):
    if v < 64:
        return bytes([v])
    if v < 16384:
        return struct.pack("!H", 0x4000 | v)
    if v < 2 ** 30:
        return struct.pack("!I", 0x80000000 | v)
    return struct.pack("!Q", 0xC000000000000000 | v)


def quic_initial(odcid, dcid, scid, pn, frames, server=False, pad_to=1200, pn_len=2):
    key, iv, hp = quic_keys(odcid, server)
    h0 = (bytes([0xC0 | (pn_len - 1)]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid +
          bytes([len(scid)]) + scid + varint(0))
    hdr_len = len(h0) + 2 + pn_len
    if pad_to:
        plen = pad_to - hdr_len - 16
    else:
        plen = max(len(frames), 20)
    payload = frames + b"\x00" * (plen - len(frames))
    length = pn_len + len(payload) + 16
    hdr = h0 + struct.pack("!H", 0x4000 | length) + pn.to_bytes(pn_len, "big")
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, payload, hdr)
    sample = ct[4 - pn_len:4 - pn_len + 16]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    first = hdr[0] ^ (mask[0] & 0x0F)
    po = len(hdr) - pn_len
    pnb = bytes(b ^ m for b, m in zip(hdr[po:], mask[1:1 + pn_len]))
    return bytes([first]) + hdr[1:po] + pnb + ct


def quic_handshake_pkt(rng, dcid, scid, size):
    h0 = bytes([0xE0 | rng.getrandbits(4)]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + \
        bytes([len(scid)]) + scid
    length = size - len(h0) - 2
    return h0 + struct.pack("!H", 0x4000 | length) + rng.randbytes(length)


def quic_short(rng, dcid, size):
    return bytes([0x40 | rng.getrandbits(5)]) + dcid + rng.randbytes(size - 1 - len(dcid))


def quic_tp(scid, rng):
    def p(i, v):
        return varint(i) + varint(len(v)) + v
    return (p(0x01, varint(30000)) + p(0x03, varint(1472)) + p(0x04, varint(15728640)) +
            p(0x05, varint(6291456)) + p(0x06, varint(6291456)) + p(0x07, varint(6291456)) +
            p(0x08, varint(100)) + p(0x09, varint(103)) + p(0x0F, scid))


def crypto_frame(data, off=0):
    return b"\x06" + varint(off) + varint(len(data)) + data


def udp(cap, t, src, sport, dst, dport, payload, ttl, out, ipid=0, df=True, fl=0):
    p = mk_ip(src, dst, ttl, ipid, df, fl) / UDP(sport=sport, dport=dport) / Raw(payload)
    cap.add(t, p, out)
    return p

# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------

QT = {"A": 1, "NS": 2, "CNAME": 5, "TXT": 16, "AAAA": 28, "HTTPS": 65}


def enc_name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.rstrip(".").split(".")) + b"\0"


OPT_RR = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)


def dns_query(txid, qname, qtype, rd=True, edns=True):
    hdr = struct.pack("!HHHHHH", txid, 0x0100 if rd else 0, 1, 0, 0, 1 if edns else 0)
    return hdr + enc_name(qname) + struct.pack("!HH", QT[qtype], 1) + (OPT_RR if edns else b"")


def rr(nm, typ, ttl, rdata):
    nb = b"\xc0\x0c" if nm is None else enc_name(nm)
    if typ == "A":
        rd = ipaddress.IPv4Address(rdata).packed
    elif typ == "AAAA":
        rd = ipaddress.IPv6Address(rdata).packed
    elif typ == "CNAME":
        rd = enc_name(rdata)
    else:
        rd = rdata
    return nb + struct.pack("!HHIH", QT[typ], 1, ttl, len(rd)) + rd


def dns_response(txid, qname, qtype, answers, flags=0x8180, edns=True):
    """answers: list of (name|None, type, ttl, rdata)."""
    hdr = struct.pack("!HHHHHH", txid, flags, 1, len(answers), 0, 1 if edns else 0)
    body = enc_name(qname) + struct.pack("!HH", QT[qtype], 1)
    body += b"".join(rr(*a) for a in answers)
    return hdr + body + (OPT_RR if edns else b"")


def gfw_forged(query, rtype, ttl, addr):
    """Wallbleed-model forgery: copy header+question, flags by RD, AN=1, NS=AR=0, answer c00c."""
    txid, qflags = struct.unpack("!HH", query[:4])
    i = 12
    while query[i] != 0:
        i += query[i] + 1
    qend = i + 1 + 4
    flags = 0x8180 if qflags & 0x0100 else 0x8400
    hdr = struct.pack("!HHHHHH", txid, flags, 1, 1, 0, 0)
    if rtype == "A":
        ans = b"\xc0\x0c\x00\x01\x00\x01" + struct.pack("!I", ttl) + b"\x00\x04" + ipaddress.IPv4Address(addr).packed
    else:
        ans = b"\xc0\x0c\x00\x1c\x00\x01" + struct.pack("!I", ttl) + b"\x00\x10" + ipaddress.IPv6Address(addr).packed
    return hdr + query[12:qend] + ans


class Resolver:
    def __init__(self, cap, rng, cip, rip, ttl, rtt, cttl=64):
        self.cap, self.rng, self.cip, self.rip, self.ttl, self.rtt, self.cttl = cap, rng, cip, rip, ttl, rtt, cttl
        self.ipid = rng.getrandbits(16)

    def query(self, t, qname, qtype, answers, port=None, rcode_flags=0x8180, delay=None):
        rng = self.rng
        txid = rng.getrandbits(16)
        sp = port or self.cap.port(rng)
        q = dns_query(txid, qname, qtype)
        udp(self.cap, t, self.cip, sp, self.rip, 53, q, self.cttl, True, ipid=rng.getrandbits(16),
            df=False, fl=rng.getrandbits(20))
        d = self.rtt * rng.uniform(0.9, 1.3) if delay is None else delay
        r = dns_response(txid, qname, qtype, answers, flags=rcode_flags)
        udp(self.cap, t + d, self.rip, 53, self.cip, sp, r, self.ttl, False, ipid=rng.getrandbits(16),
            df=False, fl=0)
        return t + d

# ----------------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------------

LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
         "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. ")


def http_get(host, path="/", ua="Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"):
    return (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {ua}\r\n"
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\n"
            "Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()


def http_200(rng, n, when, server="nginx", ctype="text/html; charset=utf-8", extra=""):
    body = ("<!DOCTYPE html>\n<html><head><title>Page</title></head><body><p>" +
            (LOREM * (n // len(LOREM) + 1))[:max(0, n - 80)] + "</p></body></html>\n").encode()
    hdr = (f"HTTP/1.1 200 OK\r\nServer: {server}\r\nDate: {when}\r\nContent-Type: {ctype}\r\n"
           f"Content-Length: {len(body)}\r\n{extra}Connection: keep-alive\r\n\r\n").encode()
    return hdr + body


def httpdate(epoch):
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def http_session(conn, t, host, path, rng, base, size=None, close=True):
    t = conn.connect(t) + 0.0002
    conn.c_send(t, http_get(host, path))
    tt = t + conn.rtt + rng.uniform(0.003, 0.03)
    tt = conn.s_send(tt, http_200(rng, size or rng.randint(800, 9000), httpdate(base + tt)))
    if close:
        tt = conn.close(tt + rng.uniform(0.5, 4), by_client=True)
    return tt

# ----------------------------------------------------------------------------
# ordinary browsing
# ----------------------------------------------------------------------------

SITES = [
    ("www.debian.org", "130.89.148.77", "2001:67c:2564:a119::77"),
    ("www.python.org", "151.101.128.223", "2a04:4e42:200::223"),
    ("docs.python.org", "151.101.64.223", "2a04:4e42:400::223"),
    ("pypi.org", "151.101.0.223", "2a04:4e42::223"),
    ("www.kernel.org", "139.178.84.217", "2604:1380:4641:c500::1"),
    ("www.gnu.org", "209.51.188.116", "2001:470:142:5::116"),
    ("www.openstreetmap.org", "130.117.76.9", "2001:978:2:2c::172:a"),
    ("www.ietf.org", "104.16.45.99", "2606:4700::6810:2d63"),
    ("www.w3.org", "104.18.22.19", "2606:4700::6812:1613"),
    ("www.mozilla.org", "34.120.208.123", None),
    ("developer.mozilla.org", "34.111.97.67", None),
    ("archive.org", "207.241.224.2", None),
    ("www.bing.com", "204.79.197.200", "2620:1ec:c11::200"),
    ("ubuntu.com", "185.125.190.20", "2620:2d:4000:1::27"),
    ("www.php.net", "185.85.0.29", "2a02:cb40:200::1ad"),
    ("www.sqlite.org", "45.33.6.223", "2600:3c00::f03c:91ff:fe96:b959"),
    ("www.postgresql.org", "217.196.149.55", "2a02:16a8:dc51::55"),
    ("www.lua.org", "88.99.213.221", None),
    ("www.apache.org", "151.101.2.132", "2a04:4e42::644"),
    ("www.ruby-lang.org", "151.101.1.178", None),
    ("golang.org", "142.251.36.17", "2a00:1450:400e:80f::2011"),
    ("www.tcpdump.org", "159.89.89.188", None),
    ("www.wireshark.org", "104.26.10.240", "2606:4700:20::681a:af0"),
    ("www.nginx.org", "3.125.197.172", None),
    ("www.baidu.com", "110.242.68.66", None),
    ("www.qq.com", "183.3.226.35", None),
]


class Browse:
    """generate ordinary traffic: DNS lookups answered normally, TLS 1.3 sessions, HTTP 200s."""

    def __init__(self, cap, rng, cip4, res, cip6=None, res6=None, c_ttl=64, prefer6=False,
                 exclude=(), tsopt=True, windows=False, quic_site=None):
        self.cap, self.rng, self.cip4, self.res, self.cip6, self.res6 = cap, rng, cip4, res, cip6, res6
        self.c_ttl, self.prefer6, self.tsopt, self.windows = c_ttl, prefer6, tsopt, windows
        self.sites = [s for s in SITES if s[0] not in exclude]
        self.prof = {}
        for s in self.sites:
            init = rng.choice([64, 64, 64, 128, 255])
            hops = rng.randint(8, 22)
            self.prof[s[0]] = (init - hops, rng.uniform(0.012, 0.22))

    def visit(self, t, kind=None):
        rng = self.rng
        site = rng.choice(self.sites)
        nm, a4, a6 = site
        sttl, rtt = self.prof[nm]
        resolver = self.res6 if (self.prefer6 and self.res6) else self.res
        ttl_ans = rng.choice([60, 120, 300, 600, 1800, 3600])
        t1 = resolver.query(t, nm, "A", [(None, "A", ttl_ans, a4)])
        use6 = False
        if self.cip6:
            t1b = resolver.query(t + 0.0002, nm, "AAAA", [(None, "AAAA", ttl_ans, a6)] if a6 else [])
            t1 = max(t1, t1b)
            use6 = bool(a6) and self.prefer6
        kind = kind or rng.choices(["https", "http", "dns"], [0.72, 0.18, 0.10])[0]
        cip, sip = (self.cip6, a6) if use6 else (self.cip4, a4)
        if kind == "dns":
            return t1
        t2 = t1 + rng.uniform(0.0005, 0.004)
        lo, hi = (49152, 65535) if self.windows else (32768, 60999)
        if kind == "https":
            c = Conn(self.cap, rng, cip, self.cap.port(rng, lo, hi), sip, 443, s_ttl=sttl, rtt=rtt,
                     c_ttl=self.c_ttl, tsopt=self.tsopt)
            return tls13_session(c, t2, nm, rng, resp=rng.randint(3000, 60000),
                                 close=rng.random() < 0.7)
        c = Conn(self.cap, rng, cip, self.cap.port(rng, lo, hi), sip, 80, s_ttl=sttl, rtt=rtt,
                 c_ttl=self.c_ttl, tsopt=self.tsopt)
        path = rng.choice(["/robots.txt", "/index.html", "/favicon.ico", "/about/", "/news.html"])
        return http_session(c, t2, nm, path, rng, self.cap.base)

    def fill(self, t0, t1, n):
        for _ in range(n):
            self.visit(self.rng.uniform(t0, t1))


def expect(cap, mechanism, domain, ip, why, shape):
    EXPECT[cap.name] = {"mechanism": mechanism, "domain": domain, "ip": ip, "why": why,
                        "shape": shape}

# ============================================================================
# CASES
# ============================================================================

def case_dns_injection_v6_vlan():
    """China 2024: AAAA/A for www.wikipedia.org over IPv6 to Google DNS; two injectors
    answer 80 ms after the query, the genuine answer comes ~300 ms later."""
    rng = random.Random(101)
    cap = Cap("dns-injection_ipv6_vlan_slow-injector.pcap", "vlan", ts(2024, 5, 14, 6, 12, 7), vlan=42)
    c4, c6 = "192.168.31.17", "2408:8207:1851:a9c0:5d2e:91ff:fe3a:17c4"
    g6 = "2001:4860:4860::8888"
    res6 = Resolver(cap, rng, c6, g6, ttl=56, rtt=0.36)
    res4 = Resolver(cap, rng, c4, "8.8.8.8", ttl=117, rtt=0.36)
    b = Browse(cap, rng, c4, res4, cip6=c6, res6=res6, prefer6=True)
    b.fill(0.5, 75.0, 22)
    # the censored lookups at t=31.4
    t = 31.402
    name_ = "www.wikipedia.org"
    for qtype, t0 in (("AAAA", t), ("A", t + 0.00021)):
        txid = rng.getrandbits(16)
        sp = cap.port(rng)
        q = dns_query(txid, name_, qtype)
        udp(cap, t0, c6, sp, g6, 53, q, 64, True, fl=rng.getrandbits(20))
        if qtype == "AAAA":
            f1 = gfw_forged(q, "AAAA", 234, "2a03:2880:f11c:8083:face:b00c:0:25de")
            f2 = gfw_forged(q, "AAAA", 178, "2001::4a7d:2f64")
            good = dns_response(txid, name_, "AAAA", [(None, "CNAME", 600, "dyna.wikimedia.org"),
                                                        ("dyna.wikimedia.org", "AAAA", 600, "2001:df2:e500:ed1a::1")])
        else:
            f1 = gfw_forged(q, "A", 234, "157.240.17.14")
            f2 = gfw_forged(q, "A", 178, "108.160.172.1")
            good = dns_response(txid, name_, "A", [(None, "CNAME", 600, "dyna.wikimedia.org"),
                                                     ("dyna.wikimedia.org", "A", 600, "103.102.166.224")])
        udp(cap, t0 + 0.0803, g6, 53, c6, sp, f1, 62, False, fl=0)
        udp(cap, t0 + 0.0829, g6, 53, c6, sp, f2, 65, False, fl=0)
        udp(cap, t0 + 0.3817, g6, 53, c6, sp, good, 56, False, fl=0)
    expect(cap, "dns-injection", name_, g6,
           "AAAA and A queries for www.wikipedia.org to 2001:4860:4860::8888 each draw two forged "
           "answers (Facebook 2a03:2880:..:face:b00c:0:25de / Teredo 2001::/32, AN=1 and no OPT "
           "although the query had EDNS, hop limits 62/65) 80 ms after the query, then the genuine "
           "CNAME dyna.wikimedia.org answer (hop limit 56, same as every other reply from this "
           "resolver) ~300 ms later.",
           "IPv6 resolver over 802.1Q VLAN; slow injector (80 ms) whose hop limits differ from the "
           "genuine one by only 6-9; genuine reply 300 ms after the forged ones; 22 ordinary visits "
           "answered by the same resolver at ~360 ms RTT.")
    return cap


def case_dns_injection_v4_sll2():
    """China 2023: queries to 8.8.8.8 for nytimes names; injector A answers 2 ms after the
    query with a random TTL each packet, injector B mirrors the client TTL; genuine ~60 ms."""
    rng = random.Random(202)
    cap = Cap("dns-injection_sll2_random-ttl.pcap", "sll2", ts(2023, 11, 2, 13, 40, 55))
    c4 = "192.168.1.105"
    r = "8.8.8.8"
    res = Resolver(cap, rng, c4, r, ttl=117, rtt=0.061)
    b = Browse(cap, rng, c4, res)
    b.fill(0.2, 58.0, 26)
    jobs = [(12.731, "www.nytimes.com", "A"), (12.7312, "www.nytimes.com", "AAAA"),
            (41.905, "cn.nytimes.com", "A")]
    for t0, nm, qtype in jobs:
        txid = rng.getrandbits(16)
        sp = cap.port(rng)
        q = dns_query(txid, nm, qtype)
        udp(cap, t0, c4, sp, r, 53, q, 64, True, ipid=rng.getrandbits(16), df=False)
        if qtype == "A":
            a1, a2 = rng.choice(["157.240.11.40", "31.13.82.1", "104.244.46.5"]), "108.160.170.33"
            good = dns_response(txid, nm, "A", [(None, "CNAME", 300, "nytimes.map.fastly.net"),
                                                ("nytimes.map.fastly.net", "A", 30, "151.101.1.164"),
                                                ("nytimes.map.fastly.net", "A", 30, "151.101.65.164"),
                                                ("nytimes.map.fastly.net", "A", 30, "151.101.129.164"),
                                                ("nytimes.map.fastly.net", "A", 30, "151.101.193.164")])
        else:
            a1, a2 = "2001::b8c9:3c02", "2a03:2880:f12d:83:face:b00c:0:25de"
            good = dns_response(txid, nm, "AAAA", [(None, "CNAME", 300, "nytimes.map.fastly.net"),
                                                   ("nytimes.map.fastly.net", "AAAA", 30, "2a04:4e42::164"),
                                                   ("nytimes.map.fastly.net", "AAAA", 30, "2a04:4e42:200::164")])
        f1 = gfw_forged(q, qtype, rng.choice([60, 118, 234, 174]), a1)
        f2 = gfw_forged(q, qtype, 234, a2)
        udp(cap, t0 + 0.00203, r, 53, c4, sp, f1, rng.randint(30, 250), False,
            ipid=rng.getrandbits(16), df=False)
        udp(cap, t0 + 0.00251, r, 53, c4, sp, f2, 64, False, ipid=0, df=True)
        udp(cap, t0 + 0.0617 + rng.uniform(0, 0.004), r, 53, c4, sp, good, 117, False,
            ipid=rng.getrandbits(16), df=False)
    expect(cap, "dns-injection", "www.nytimes.com", r,
           "Each query to 8.8.8.8 for www.nytimes.com (A and AAAA) and cn.nytimes.com gets two "
           "answers ~2 ms after the query (RTT to this resolver is ~61 ms for the 26 ordinary "
           "lookups): bare AN=1/AR=0 forgeries (Facebook/Dropbox/Teredo addresses, one with a "
           "per-packet random IP TTL, one mirroring the client's TTL 64), then the genuine CNAME "
           "nytimes.map.fastly.net answer with TTL 117.",
           "Linux cooked SLL2 (DLT 276); injectors 2 ms after the trigger; injector TTL randomised "
           "per packet and a second injector that mirrors the probe TTL (TTL delta is no signal); "
           "the race is the evidence.")
    return cap


def case_dns_tampering_a_for_aaaa_raw():
    """China 2024: AAAA and HTTPS queries for www.youtube.com answered (only) with an A record."""
    rng = random.Random(303)
    cap = Cap("dns-tampering_rawip_A-in-AAAA.pcap", "raw", ts(2024, 9, 10, 2, 3, 4))
    c4 = "192.168.0.106"
    r = "8.8.4.4"
    res = Resolver(cap, rng, c4, r, ttl=115, rtt=0.054)
    b = Browse(cap, rng, c4, res)
    b.fill(0.3, 45.0, 18)
    t0 = 22.118
    nm = "www.youtube.com"
    for qtype, dt_ in (("AAAA", 0.0), ("HTTPS", 0.00018)):
        txid = rng.getrandbits(16)
        sp = cap.port(rng)
        q = dns_query(txid, nm, qtype)
        udp(cap, t0 + dt_, c4, sp, r, 53, q, 64, True, ipid=rng.getrandbits(16), df=False)
        f = gfw_forged(q, "A", 98, "31.13.94.41")  # A record whatever the QTYPE
        udp(cap, t0 + dt_ + 0.0031, r, 53, c4, sp, f, 104, False, ipid=rng.getrandbits(16), df=False)
    expect(cap, "dns-tampering", nm, r,
           "The AAAA query (and the HTTPS/type-65 query) for www.youtube.com is answered by a single "
           "response whose only answer RR is TYPE A 31.13.94.41 (c00c 0001 0001 ... 0004), no OPT "
           "echoed, 3 ms after the query while the resolver's 18 other answers take ~55 ms: an A "
           "record answering an AAAA query.",
           "raw IP link type (DLT 101); no race visible (only the forged reply is captured); "
           "the tell is the RR type mismatch, not a listed poison address.")
    return cap


def case_dns_tampering_iran_pcapng():
    """Iran 2022: ISP resolver answers instagram with the national block-page addresses."""
    rng = random.Random(404)
    cap = Cap("dns-tampering_pcapng_iran-blockpage-ip.pcapng", "eth", ts(2022, 10, 5, 9, 31, 2),
              fmt="pcapng", cmac="f4:8c:50:1e:22:90", gmac="00:1e:58:aa:10:01")
    c4 = "192.168.1.34"
    r = "217.218.155.155"
    res = Resolver(cap, rng, c4, r, ttl=60, rtt=0.016, cttl=128)
    b = Browse(cap, rng, c4, res, c_ttl=128, tsopt=False, windows=True)
    b.fill(0.4, 50.0, 20)
    nm = "www.instagram.com"
    t0 = 27.551
    res.query(t0, nm, "A", [(None, "A", 300, "10.10.34.35")], port=cap.port(rng, 49152, 65535))
    res.query(t0 + 0.00025, nm, "AAAA", [(None, "AAAA", 300, "d0::11")], port=cap.port(rng, 49152, 65535))
    expect(cap, "dns-tampering", nm, r,
           "The resolver 217.218.155.155 answers A www.instagram.com with 10.10.34.35 and AAAA with "
           "d0::11 -- Iran's documented national block-page addresses (private/bogon for a public "
           "name) -- while answering 20 other lookups with ordinary public addresses.",
           "pcapng (Ethernet), Windows client (TTL 128, no TCP timestamps); no race at all: one "
           "answer per query from the resolver itself; IPv6 bogon d0::11 in the AAAA answer.")
    return cap


def case_rst_v6_sni():
    """China 2021: GFW type-II-like RST+ACK burst after a ClientHello for www.clubhouseapi.com
    over IPv6; hop limits 58-60 vs the server's 52; genuine ServerHello follows."""
    rng = random.Random(505)
    cap = Cap("rst-injection_ipv6_sni_small-hlim-delta.pcap", "eth", ts(2021, 2, 20, 12, 5, 41))
    c4, c6 = "192.168.3.22", "2408:8456:3a21:7d60:8d1:5fe2:91a0:1c"
    res4 = Resolver(cap, rng, c4, "223.5.5.5", ttl=116, rtt=0.011)
    res6 = Resolver(cap, rng, c6, "2400:3200::1", ttl=54, rtt=0.012)
    b = Browse(cap, rng, c4, res4, cip6=c6, res6=res6, prefer6=True)
    b.fill(0.5, 230.0, 34)
    S = "2606:4700::6812:1a4e"
    nm = "www.clubhouseapi.com"
    # control before
    res6.query(3.0, "www.cloudflare.com", "AAAA", [(None, "AAAA", 300, S)])
    c = Conn(cap, rng, c6, cap.port(rng), S, 443, s_ttl=52, rtt=0.168)
    tls13_session(c, 3.02, "www.cloudflare.com", rng, resp=42000)
    # trigger
    res6.query(20.0, nm, "AAAA", [(None, "AAAA", 300, S)])
    c = Conn(cap, rng, c6, cap.port(rng), S, 443, s_ttl=52, rtt=0.168)
    t = c.connect(20.02) + 0.0003
    ch, info = client_hello(rng, nm, pad_to=508)
    c.c_send(t, rec(0x16, ch, 0x0301))
    chseq_end = c.cseq
    s_next = c.sseq
    for k, hl in enumerate((58, 59, 60)):
        inj_tcp(cap, t + 0.0181 + k * 0.00011, S, c6, 443, c.cport, s_next, chseq_end, "RA",
                ttl=hl, win=2051, fl=0)
    # genuine server flight still arrives; client stack answers with RSTs
    tt = t + c.rtt + 0.0021
    flight = rec(0x16, server_hello13(rng, info["sid"])) + CCS + appdata(rng, 3100)
    segs = [flight[i:i + c.sseg] for i in range(0, len(flight), c.sseg)]
    for i, sg in enumerate(segs):
        c.pkt(tt, False, "PA" if i == len(segs) - 1 else "A", sg)
        c.pkt(tt + 0.00003, True, "R", seq=chseq_end, advance=False)
        tt += 0.00012
    # control after the 180 s window
    res6.query(214.0, "www.cloudflare.com", "AAAA", [(None, "AAAA", 300, S)])
    c = Conn(cap, rng, c6, cap.port(rng), S, 443, s_ttl=52, rtt=0.167)
    tls13_session(c, 214.02, "www.cloudflare.com", rng, resp=18000)
    expect(cap, "rst-injection", nm, S,
           "18 ms after the ClientHello with SNI www.clubhouseapi.com (RTT 168 ms) three identical "
           "RST+ACKs (window 2051, flow label 0) arrive with hop limits 58/59/60 while the server's "
           "SYN/ACK and the genuine ServerHello that still arrives 150 ms later carry hop limit 52; "
           "the same address completes TLS for www.cloudflare.com before and 190 s after.",
           "IPv6 (no IP-ID to lean on); injected hop limits differ from the server's by only 6-8 and "
           "increment; genuine data after the RSTs (race); 34 ordinary visits over ~4 minutes.")
    return cap


def case_rst_henan_8443_raw():
    """Henan firewall 2024: single RST+ACK with the 10-byte payload, TTL 58, IP-ID 1, on 8443."""
    rng = random.Random(606)
    cap = Cap("rst-injection_rawip_henan-8443.pcap", "raw", ts(2024, 1, 15, 3, 22, 10))
    c4 = "192.168.1.8"
    res = Resolver(cap, rng, c4, "114.114.114.114", ttl=84, rtt=0.021, cttl=128)
    b = Browse(cap, rng, c4, res, c_ttl=128, tsopt=False, windows=True)
    b.fill(0.2, 40.0, 16)
    S = "172.67.70.149"
    nm = "archiveofourown.org"

    def attempt(t0, sni, blocked):
        c = Conn(cap, rng, c4, cap.port(rng, 49152, 65535), S, 8443, s_ttl=50, rtt=0.188,
                 c_ttl=128, tsopt=False, s_ipid_const=0, s_df=True)
        if not blocked:
            return tls13_session(c, t0, sni, rng, resp=26000)
        t = c.connect(t0) + 0.0004
        ch, info = client_hello(rng, sni)
        c.c_send(t, rec(0x16, ch, 0x0301))
        inj_tcp(cap, t + 0.00284, S, c4, 8443, c.cport, c.sseq, c.cseq, "RA", ttl=58, ipid=1,
                df=False, win=8192, data=bytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 0]))
        tt = t + c.rtt + 0.0015
        flight = rec(0x16, server_hello13(rng, info["sid"])) + CCS + appdata(rng, 2900)
        segs = [flight[i:i + c.sseg] for i in range(0, len(flight), c.sseg)]
        for i, sg in enumerate(segs):
            c.pkt(tt, False, "PA" if i == len(segs) - 1 else "A", sg)
            c.pkt(tt + 0.00004, True, "R", seq=c.cseq, advance=False)
            tt += 0.00011
        return tt

    res.query(6.0, "www.ietf.org", "A", [(None, "A", 300, S)])
    attempt(6.03, "www.ietf.org", False)
    res.query(14.5, nm, "A", [(None, "A", 300, S)])
    attempt(14.53, nm, True)
    attempt(16.61, nm, True)
    attempt(29.2, "www.ietf.org", False)
    expect(cap, "rst-injection", nm, S,
           "2.8 ms after each ClientHello for archiveofourown.org to 172.67.70.149:8443 (RTT 188 ms; "
           "segment without TCP options) one RST+ACK arrives with TTL 58, IP-ID 0x0001, DF=0 and the "
           "10-byte payload 01 02 .. 09 00 (Henan firewall), whereas the server's packets carry TTL "
           "50, IP-ID 0, DF; the genuine ServerHello still arrives afterwards and the same "
           "server:port completes TLS for www.ietf.org.",
           "raw IP (DLT 101); TLS on port 8443; Windows client without TCP timestamps; injector TTL "
           "only 8 above the server's; 2.8 ms after the trigger; two blocked attempts.")
    return cap


def case_rst_syn_burst_sll2():
    """GFW Sept 2023: SYN to 1.1.1.1:443 triggers 3 RST+ACK with incrementing TTL and window."""
    rng = random.Random(707)
    cap = Cap("rst-injection_sll2_syn-triggered-burst.pcap", "sll2", ts(2023, 9, 10, 11, 47, 3))
    c4 = "192.168.2.16"
    S = "1.1.1.1"
    res = Resolver(cap, rng, c4, S, ttl=56, rtt=0.036)
    b = Browse(cap, rng, c4, res)
    b.fill(0.2, 50.0, 24)

    def burst(t0, ttl0, win0):
        c = Conn(cap, rng, c4, cap.port(rng), S, 443, s_ttl=56, rtt=0.0362, s_ipid_const=0)
        c.pkt(t0, True, "S")
        for k in range(3):
            inj_tcp(cap, t0 + 0.0098 + k * 0.00007, S, c4, 443, c.cport, 0, c.cseq, "RA",
                    ttl=ttl0 + k, ipid=rng.getrandbits(16), df=False, win=win0 + k)
        tt = t0 + c.rtt
        c.pkt(tt, False, "SA")
        c.pkt(tt + 0.00005, True, "R", seq=c.cseq, advance=False)

    burst(9.114, 45, 4061)
    burst(10.131, 49, 1133)
    burst(12.152, 45, 4061)
    # control: HTTP on port 80 of the same server works
    c = Conn(cap, rng, c4, cap.port(rng), S, 80, s_ttl=56, rtt=0.0361, s_ipid_const=0)
    t = c.connect(15.2) + 0.0002
    c.c_send(t, http_get("1.1.1.1", "/"))
    red = (f"HTTP/1.1 301 Moved Permanently\r\nServer: cloudflare\r\nDate: {httpdate(cap.base + t)}\r\n"
           "Content-Type: text/html\r\nContent-Length: 167\r\nConnection: keep-alive\r\n"
           "Location: https://1.1.1.1/\r\nCF-RAY: 8040ab1c7e5e1f3a-HKG\r\n\r\n"
           "<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n"
           "<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
           "</body>\r\n</html>\r\n").encode()
    tt = c.s_send(t + c.rtt + 0.001, red)
    c.close(tt + 1.2)
    expect(cap, "rst-injection", None, S,
           "Each SYN to 1.1.1.1:443 is answered within 10 ms by three RST+ACKs with identical "
           "sequence numbers and TTL/window incrementing by one (45,46,47 / 4061..4063), before the "
           "genuine SYN/ACK (TTL 56, IP-ID 0) arrives at the 36 ms RTT; the same host keeps answering "
           "DNS on :53 and HTTP on :80 in the same capture.",
           "SLL2; trigger is the SYN itself (no name in the flow, domain null); RST TTLs 7-11 below "
           "the server's; three attempts.")
    return cap


def case_packet_injection_pcapng():
    """An injected 302+FIN 2 ms after the GET races the genuine 200 OK at the same sequence numbers."""
    rng = random.Random(808)
    cap = Cap("packet-injection_pcapng_http-race.pcapng", "eth", ts(2023, 6, 1, 14, 2, 33), fmt="pcapng",
              cmac="d8:3a:dd:41:7f:02", gmac="30:b4:9e:61:c2:08")
    c4 = "192.168.10.44"
    res = Resolver(cap, rng, c4, "119.29.29.29", ttl=53, rtt=0.018)
    b = Browse(cap, rng, c4, res)
    b.fill(0.3, 48.0, 21)
    S, nm = "13.225.63.28", "www.rfa.org"
    res.query(19.0, nm, "A", [(None, "A", 60, S)])
    c = Conn(cap, rng, c4, cap.port(rng), S, 80, s_ttl=243, rtt=0.142)
    t = c.connect(19.021) + 0.0002
    c.c_send(t, http_get(nm, "/mandarin/"))
    s0 = c.sseq
    inj = (b"HTTP/1.1 302 Found\r\nLocation: http://www.baidu.com/\r\nContent-Length: 0\r\n"
           b"Connection: close\r\n\r\n")
    ti = t + 0.00207
    inj_tcp(cap, ti, S, c4, 80, c.cport, s0, c.cseq, "FPA", ttl=235, ipid=rng.getrandbits(16),
            df=False, win=8192, data=inj)
    ack_inj = s0 + len(inj) + 1
    c.pkt(ti + 0.00004, True, "A", ack=ack_inj)
    c.pkt(ti + 0.00061, True, "FA", ack=ack_inj)
    # genuine response, same sequence space
    body = http_200(rng, 3600, httpdate(cap.base + t + 0.14), server="AmazonS3",
                    extra="X-Cache: Miss from cloudfront\r\nVia: 1.1 5c0e2f.cloudfront.net (CloudFront)\r\n")
    tg = t + c.rtt + 0.0043
    segs = [body[i:i + c.sseg] for i in range(0, len(body), c.sseg)]
    off = 0
    for i, sg in enumerate(segs):
        c.pkt(tg, False, "PA" if i == len(segs) - 1 else "A", sg, seq=s0 + off, ack=c.cseq - 1)
        c.pkt(tg + 0.00004, True, "A", ack=ack_inj, seq=c.cseq, advance=False)
        off += len(sg)
        tg += 0.00011
    tf = ti + 0.00061 + c.rtt + 0.0002
    tf = max(tf, tg + 0.0005)
    c.pkt(tf, False, "FA", seq=s0 + off, ack=c.cseq)
    c.pkt(tf + 0.00005, True, "R", seq=c.cseq, advance=False)
    expect(cap, "packet-injection", nm, S,
           "2 ms after GET /mandarin/ (Host www.rfa.org; RTT 142 ms) a 302-to-baidu with FIN arrives "
           "from the server's address with TTL 235, DF=0 and a foreign IP-ID, and 140 ms later the "
           "genuine HTTP/1.1 200 from the server (TTL 243, DF, consecutive IP-IDs) arrives at the same "
           "sequence numbers with different bytes.",
           "pcapng (Ethernet); server TTL 243 (initial 255) and injector TTL only 8 lower; injected "
           "content is a redirect that is not a listed block page; 21 ordinary visits.")
    return cap


def case_blockpage_kr():
    """South Korea: HTTP request for thepiratebay.org answered with 302 to warning.or.kr."""
    rng = random.Random(909)
    cap = Cap("blockpage_kr-warning-redirect.pcap", "eth", ts(2022, 3, 3, 10, 15, 50),
              cmac="70:85:c2:3d:90:11", gmac="88:3c:1c:02:55:f0")
    c4 = "192.168.0.12"
    res = Resolver(cap, rng, c4, "168.126.63.1", ttl=61, rtt=0.006, cttl=128)
    b = Browse(cap, rng, c4, res, c_ttl=128, tsopt=False, windows=True)
    b.fill(0.3, 42.0, 17)
    S, nm = "162.159.137.6", "thepiratebay.org"
    res.query(23.0, nm, "A", [(None, "A", 300, S)], port=cap.port(rng, 49152, 65535))
    c = Conn(cap, rng, c4, cap.port(rng, 49152, 65535), S, 80, s_ttl=55, rtt=0.128, c_ttl=128,
             tsopt=False)
    t = c.connect(23.012) + 0.0003
    c.c_send(t, http_get(nm, "/", ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                                     "(KHTML, like Gecko) Chrome/98.0.4758.102 Safari/537.36"))
    blk = (b"HTTP/1.1 302 Found\r\nLocation: http://warning.or.kr/i1.html\r\nContent-Length: 0\r\n"
           b"Connection: close\r\nCache-Control: no-cache\r\n\r\n")
    tb = t + 0.0041
    bid = rng.getrandbits(16)
    s0 = c.sseq
    inj_tcp(cap, tb, S, c4, 80, c.cport, s0, c.cseq, "FPA", ttl=60, ipid=bid, df=True, win=5840, data=blk)
    ack = s0 + len(blk) + 1
    c.pkt(tb + 0.00003, True, "A", ack=ack)
    c.pkt(tb + 0.0009, True, "FA", ack=ack)
    inj_tcp(cap, tb + 0.0052, S, c4, 80, c.cport, ack, c.cseq, "A", ttl=60, ipid=bid + 1, df=True, win=5840)
    expect(cap, "blockpage", nm, S,
           "The HTTP GET for thepiratebay.org is answered 4 ms later (RTT 128 ms) by "
           "'HTTP/1.1 302 Found' with 'Location: http://warning.or.kr/i1.html' -- the South Korean "
           "KCSC block page -- plus FIN, and no genuine response follows.",
           "classic pcap Ethernet, Windows client; block page delivered as a redirect header "
           "(no body); 17 ordinary visits.")
    return cap


def case_blockpage_ir_v6():
    rng = random.Random(1010)
    cap = Cap("blockpage_ipv6_sll2_iran-iframe.pcap", "sll2", ts(2022, 11, 20, 16, 40, 1))
    c4, c6 = "10.146.55.201", "2a01:5ec0:1008:4dc:6c3e:11ff:fe2b:903a"
    res4 = Resolver(cap, rng, c4, "8.8.8.8", ttl=113, rtt=0.071)
    res6 = Resolver(cap, rng, c6, "2001:4860:4860::8844", ttl=52, rtt=0.072)
    b = Browse(cap, rng, c4, res4, cip6=c6, res6=res6, prefer6=True)
    b.fill(0.3, 55.0, 19)
    S, nm = "2a04:4e42:400::81", "www.bbc.com"
    res6.query(30.0, nm, "AAAA", [(None, "CNAME", 300, "bbc.map.fastly.net"),
                                  ("bbc.map.fastly.net", "AAAA", 30, S)])
    c = Conn(cap, rng, c6, cap.port(rng), S, 80, s_ttl=47, rtt=0.096)
    t = c.connect(30.08) + 0.0002
    c.c_send(t, http_get(nm, "/persian"))
    body = (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
            b'<title>M1-6\r\n</title></head><body><iframe src="http://[d0:0:0:0:0:0:0:11:80]" '
            b'style="width: 100%; height: 100%" scrolling="no" marginwidth="0" marginheight="0" '
            b'frameborder="0" vspace="0" hspace="0"></iframe></body></html>\r\n\r\n')
    blk = b"HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n" + body
    tb = t + 0.0063
    s0 = c.sseq
    inj_tcp(cap, tb, S, c6, 80, c.cport, s0, c.cseq, "FPA", ttl=61, win=1024, data=blk)
    ack = s0 + len(blk) + 1
    c.pkt(tb + 0.00004, True, "A", ack=ack)
    c.pkt(tb + 0.0011, True, "FA", ack=ack)
    inj_tcp(cap, tb + 0.0074, S, c6, 80, c.cport, ack, c.cseq, "A", ttl=61, win=1024)
    expect(cap, "blockpage", nm, S,
           "GET /persian for www.bbc.com over IPv6 is answered 6 ms later (RTT 96 ms) with "
           "'403 Forbidden' whose body is Iran's national block page: <title>M1-6</title> and "
           "<iframe src=\"http://[d0:0:0:0:0:0:0:11:80]\"> (the IPv6 form of the 10.10.34.34 iframe).",
           "IPv6 over SLL2; the IPv6 variant of the Iranian iframe (not the 10.10.34.x one); "
           "19 ordinary visits over IPv6 and IPv4.")
    return cap


def _mitm_flow(cap, rng, cip, sip, sni, s_ttl, rtt, t0, leaf_key, chain):
    c = Conn(cap, rng, cip, cap.port(rng), sip, 443, s_ttl=s_ttl, rtt=rtt)
    t = c.connect(t0) + 0.0003
    ch, info = client_hello(rng, sni)
    c.c_send(t, rec(0x16, ch, 0x0301))
    flight = tls12_server_flight(rng, info["random"], rng.randbytes(32), leaf_key,
                                 [x.public_bytes(serialization.Encoding.DER) for x in chain])
    tt = c.s_send(t + rtt + 0.0031, flight)
    tt += 0.0009
    c.pkt(tt, True, "PA", rec(0x15, b"\x02\x30"))  # fatal unknown_ca
    c.pkt(tt + 0.00005, True, "FA")
    c.pkt(tt + rtt, False, "FA")
    c.pkt(tt + rtt + 0.00004, True, "A")


def case_tls_mitm_kz2019():
    rng = random.Random(1111)
    cap = Cap("tls-mitm_qaznet-chain.pcap", "eth", ts(2019, 7, 22, 7, 55, 12),
              cmac="b8:27:eb:6a:01:fe", gmac="00:0c:42:9e:77:10")
    c4 = "192.168.100.5"
    res = Resolver(cap, rng, c4, "195.210.46.195", ttl=60, rtt=0.008)
    b = Browse(cap, rng, c4, res)
    b.fill(0.2, 45.0, 20)
    utc = dt.UTC
    ca_key, ca = make_ca("qaznet-root", name(C="KZ", CN="Qaznet Trust Network"),
                         dt.datetime(2019, 6, 29, 12, 0, tzinfo=utc), dt.datetime(2039, 6, 24, 12, 0, tzinfo=utc),
                         0x5A1C09F3)
    lk, leaf = make_leaf("qaznet-fb-leaf",
                         name(C="US", ST="California", L="Menlo Park", O="Facebook, Inc.", CN="*.facebook.com"),
                         ["*.facebook.com", "*.facebook.net", "*.fbcdn.net", "*.fbsbx.com", "*.m.facebook.com",
                          "*.messenger.com", "*.xx.fbcdn.net", "*.xy.fbcdn.net", "*.xz.fbcdn.net",
                          "facebook.com", "messenger.com"],
                         ca_key, ca, dt.datetime(2019, 7, 17, 0, 0, tzinfo=utc),
                         dt.datetime(2019, 10, 15, 12, 0, tzinfo=utc), 0x1D7E4A93C2)
    S = "157.240.205.35"
    res.query(21.0, "www.facebook.com", "A", [(None, "CNAME", 3600, "star-mini.c10r.facebook.com"),
                                              ("star-mini.c10r.facebook.com", "A", 60, S)])
    _mitm_flow(cap, rng, c4, S, "www.facebook.com", 56, 0.048, 21.01, lk, [leaf, ca])
    _mitm_flow(cap, rng, c4, S, "www.facebook.com", 56, 0.048, 22.37, lk, [leaf, ca])
    expect(cap, "tls-mitm", "www.facebook.com", S,
           "The TLS 1.2 handshake for SNI www.facebook.com returns a certificate chain "
           "'*.facebook.com' <- 'C=KZ, CN=Qaznet Trust Network' (self-signed root, the 2019 "
           "Kazakhstan interception CA) instead of a public CA; the client aborts with a fatal "
           "unknown_ca alert; twice.",
           "cert in clear (TLS 1.2 with ECDSA); subject/SAN copied from the real site so the name "
           "matches -- only the issuer betrays it; 20 ordinary TLS 1.3/HTTP visits.")
    return cap


def case_tls_mitm_kz2020_v6():
    rng = random.Random(1212)
    cap = Cap("tls-mitm_ipv6_rawip_kz2020-root.pcap", "raw", ts(2020, 12, 6, 8, 30, 0))
    c4, c6 = "192.168.0.77", "2a03:32c0:5:3e81:a4f1:22ff:fe10:1b"
    res4 = Resolver(cap, rng, c4, "195.210.46.195", ttl=61, rtt=0.007)
    res6 = Resolver(cap, rng, c6, "2001:4860:4860::8888", ttl=57, rtt=0.061)
    b = Browse(cap, rng, c4, res4, cip6=c6, res6=res6, prefer6=True)
    b.fill(0.2, 40.0, 16)
    utc = dt.UTC
    ca_key, ca = make_ca("kz2020-root", name(C="KZ", CN="Information Security Certification Authority CA"),
                         dt.datetime(2020, 2, 28, 6, 0, tzinfo=utc), dt.datetime(2050, 2, 28, 6, 0, tzinfo=utc),
                         0x3E2B1F0D77)
    lk, leaf = make_leaf("kz2020-google-leaf", name(C="US", ST="California", L="Mountain View",
                                                    O="Google LLC", CN="www.google.com"),
                         ["www.google.com"], ca_key, ca, dt.datetime(2020, 12, 5, 0, 0, tzinfo=utc),
                         dt.datetime(2021, 2, 27, 0, 0, tzinfo=utc), 0x6C90AA0142)
    S = "2a00:1450:4010:c0e::63"
    res6.query(18.0, "www.google.com", "AAAA", [(None, "AAAA", 300, S)])
    _mitm_flow(cap, rng, c6, S, "www.google.com", 57, 0.062, 18.07, lk, [leaf, ca])
    expect(cap, "tls-mitm", "www.google.com", S,
           "Over IPv6 the TLS 1.2 handshake for SNI www.google.com presents a leaf for www.google.com "
           "signed by 'C=KZ, CN=Information Security Certification Authority CA' (the Kazakhstan "
           "2020 interception root, self-signed, in the chain); the client sends a fatal unknown_ca alert.",
           "IPv6 in a raw-IP (DLT 101) capture; TLS 1.2 with ECDHE-ECDSA; 16 ordinary visits "
           "mostly over IPv6.")
    return cap


def case_blackhole_sni_vlan():
    rng = random.Random(1313)
    cap = Cap("blackhole_vlan_pcapng_sni-with-control.pcapng", "vlan", ts(2020, 5, 5, 17, 3, 40),
              fmt="pcapng", vlan=210)
    c4 = "192.168.1.101"
    res = Resolver(cap, rng, c4, "5.202.100.100", ttl=60, rtt=0.010)
    b = Browse(cap, rng, c4, res, exclude=("www.python.org",))
    b.fill(0.2, 48.0, 24)
    S, nm, ctl = "151.101.0.81", "www.bbc.com", "www.python.org"

    def good(t0):
        res.query(t0, ctl, "A", [(None, "CNAME", 3600, "dualstack.python.map.fastly.net"),
                                 ("dualstack.python.map.fastly.net", "A", 30, S)])
        c = Conn(cap, rng, c4, cap.port(rng), S, 443, s_ttl=56, rtt=0.131)
        tls13_session(c, t0 + 0.012, ctl, rng, resp=38000)

    def dead(t0):
        c = Conn(cap, rng, c4, cap.port(rng), S, 443, s_ttl=56, rtt=0.131)
        t = c.connect(t0) + 0.0003
        ch, _ = client_hello(rng, nm, pad_to=508)
        data = rec(0x16, ch, 0x0301)
        seq0 = c.cseq
        c.c_send(t, data)
        for d in (0.332, 0.996, 2.324, 4.98, 10.292):
            c.pkt(t + d, True, "PA", data, seq=seq0)
        c.pkt(t + 10.6, True, "RA", seq=c.cseq)

    good(4.0)
    res.query(11.0, nm, "A", [(None, "CNAME", 300, "bbc.map.fastly.net"), ("bbc.map.fastly.net", "A", 30, S)])
    dead(11.011)
    dead(11.263)
    good(26.0)
    dead(30.4)
    good(44.5)
    expect(cap, "blackhole", nm, S,
           "After complete TCP handshakes to 151.101.0.81:443, every ClientHello with SNI www.bbc.com "
           "is retransmitted 5 times over 10 s with no ACK, ServerHello, RST or FIN (three "
           "connections), while the same address completes TLS 1.3 for SNI www.python.org three "
           "times, before, between and after.",
           "802.1Q VLAN inside pcapng; server TTL 56; the natural control is the same IP with a "
           "different SNI, interleaved in time; 24 ordinary visits.")
    return cap


def quic_ch(rng, sni, scid):
    ch, _ = client_hello(rng, sni, alpn=(b"h3",), quic_tp=quic_tp(scid, rng))
    return ch


def quic_session(cap, rng, cip, sip, sni, hl, rtt, t0, nresp=12):
    sp = cap.port(rng)
    dcid, scid, srv = rng.randbytes(8), rng.randbytes(8), rng.randbytes(8)
    ch = quic_ch(rng, sni, scid)
    udp(cap, t0, cip, sp, sip, 443, quic_initial(dcid, dcid, scid, 0, crypto_frame(ch)), 64, True,
        fl=0x1a2b3)
    sh = server_hello13(rng, b"")
    ack0 = b"\x02\x00\x00\x00\x00"
    si = quic_initial(dcid, scid, srv, 0, ack0 + crypto_frame(sh), server=True, pad_to=None)
    t = t0 + rtt
    udp(cap, t, sip, 443, cip, sp, si + quic_handshake_pkt(rng, scid, srv, 1200 - len(si)), hl, False)
    udp(cap, t + 0.0002, sip, 443, cip, sp, quic_handshake_pkt(rng, scid, srv, 1043), hl, False)
    t += 0.003
    ci = quic_initial(dcid, srv, scid, 1, ack0, pad_to=None)
    udp(cap, t, cip, sp, sip, 443, ci + quic_handshake_pkt(rng, srv, scid, 1200 - len(ci)), 64, True)
    udp(cap, t + 0.0001, cip, sp, sip, 443, quic_short(rng, srv, 312), 64, True)
    t += rtt + 0.01
    for k in range(nresp):
        udp(cap, t, sip, 443, cip, sp, quic_short(rng, scid, 1252 if k < nresp - 1 else 611), hl, False)
        if k % 2 == 1:
            udp(cap, t + 0.00005, cip, sp, sip, 443, quic_short(rng, srv, 38), 64, True)
        t += 0.00015
    return t


def case_blackhole_quic_v6():
    rng = random.Random(1414)
    cap = Cap("blackhole_ipv6_quic-initial-unanswered.pcap", "eth", ts(2022, 3, 10, 19, 21, 5),
              cmac="e4:5f:01:22:ab:cd", gmac="04:d4:c4:13:9e:60")
    c4, c6 = "192.168.1.64", "2a02:2698:8c2a:5e10:1d4c:7aff:fe51:ab02"
    res4 = Resolver(cap, rng, c4, "77.88.8.8", ttl=58, rtt=0.009)
    res6 = Resolver(cap, rng, c6, "2a02:6b8::feed:0ff", ttl=58, rtt=0.009)
    b = Browse(cap, rng, c4, res4, cip6=c6, res6=res6, prefer6=True)
    b.fill(0.2, 48.0, 20)
    S, nm = "2a00:1450:4010:c0e::5b", "www.youtube.com"
    # a working QUIC connection to a domestic server
    res6.query(14.0, "yandex.ru", "AAAA", [(None, "AAAA", 600, "2a02:6b8:a::a")])
    quic_session(cap, rng, c6, "2a02:6b8:a::a", "yandex.ru", 58, 0.011, 14.012)

    def attempt(t0):
        res6.query(t0, nm, "AAAA", [(None, "CNAME", 300, "youtube-ui.l.google.com"),
                                    ("youtube-ui.l.google.com", "AAAA", 300, S)])
        t0 += 0.010
        sp = cap.port(rng, 49152, 65000)
        dcid, scid = rng.randbytes(8), rng.randbytes(8)
        ch = quic_ch(rng, nm, scid)
        fl = rng.getrandbits(20)
        for pn, d in enumerate((0.0, 0.3, 0.9, 2.1, 4.5)):
            udp(cap, t0 + d, c6, sp, S, 443, quic_initial(dcid, dcid, scid, pn, crypto_frame(ch)), 64, True,
                fl=fl)
        c = Conn(cap, rng, c6, cap.port(rng), S, 443, s_ttl=55, rtt=0.041)
        tls13_session(c, t0 + 0.3, nm, rng, resp=88000, close=False)

    attempt(7.9)
    attempt(31.4)
    expect(cap, "blackhole", nm, S,
           "QUIC v1 Initials (decryptable, SNI www.youtube.com, 1200-byte datagrams) from a high "
           "source port to [2a00:1450:4010:c0e::5b]:443 are retransmitted 5 times over 4.5 s with no "
           "reply, twice, while TCP/TLS 1.3 with the same SNI to the same address completes each time "
           "and a QUIC handshake to yandex.ru succeeds.",
           "IPv6; QUIC (UDP) rather than TCP; the control is TCP to the same name and address plus "
           "working QUIC elsewhere; 20 ordinary visits.")
    return cap


def case_blackhole_syn_dot():
    rng = random.Random(1515)
    cap = Cap("blackhole_pcapng_syn-dot-853.pcapng", "eth", ts(2020, 6, 10, 6, 44, 19), fmt="pcapng",
              cmac="5c:e9:1e:8f:00:3a", gmac="d4:6e:0e:3c:18:77")
    c4 = "192.168.43.20"
    S = "9.9.9.9"
    res = Resolver(cap, rng, c4, S, ttl=55, rtt=0.085)
    b = Browse(cap, rng, c4, res)
    b.fill(0.2, 56.0, 22)

    def dot(t0):
        c = Conn(cap, rng, c4, cap.port(rng), S, 853, s_ttl=55, rtt=0.085)
        for d in (0, 1.0, 3.0, 7.0, 15.0):
            c.pkt(t0 + d, True, "S", seq=c.c_isn)

    def doh(t0):
        c = Conn(cap, rng, c4, cap.port(rng), S, 443, s_ttl=55, rtt=0.086)
        tls13_session(c, t0, "dns.quad9.net", rng, req=180, resp=1800, close=False, think=0.01)

    dot(2.0)
    doh(3.3)
    dot(18.5)
    doh(21.0)
    dot(36.0)
    doh(39.2)
    expect(cap, "blackhole", None, S,
           "Three TCP connection attempts to 9.9.9.9:853 (DNS-over-TLS) each send the SYN 5 times "
           "over 15 s without any SYN/ACK, RST or ICMP, while the same host answers 22 DNS "
           "queries on udp/53 and completes TLS 1.3 on tcp/443 (SNI dns.quad9.net) in between.",
           "pcapng (Ethernet); blocked endpoint is an IP:port with no name on the wire (domain null); "
           "control is the same IP on other ports.")
    return cap


def throttled(c, t, data, rate, rng, drop_gap=(9, 17)):
    segs = [data[i:i + c.sseg] for i in range(0, len(data), c.sseg)]
    n = len(segs)
    offs, o = [], 0
    for sg in segs:
        offs.append(o)
        o += len(sg)
    total = o
    base = c.sseq
    arr, tt = [], t
    for i in range(n):
        tt += len(segs[i]) / rate * rng.uniform(0.55, 1.45)
        arr.append(tt)
    drops = set()
    if n > 12:
        i = rng.randint(*drop_gap)
        while i < n - 4:
            drops.add(i)
            i += rng.randint(*drop_gap)
    ev = [(arr[i], i) for i in range(n) if i not in drops]
    for d in drops:
        ev.append((arr[d + 3] + c.rtt + rng.uniform(0.0005, 0.003), d))
    ev.sort()
    got, cum = set(), 0
    last = t
    for te, i in ev:
        c.pkt(te, False, "PA" if (i == n - 1 or rng.random() < 0.15) else "A", segs[i],
              seq=base + offs[i], ack=c.cseq)
        got.add(i)
        while cum in got:
            cum += 1
        ackno = base + (offs[cum] if cum < n else total)
        ta = te + 0.00004
        opts = [("NOP", None), ("NOP", None), ("Timestamp", c._tsopt(ta, True))]
        above = sorted(j for j in got if j > cum)
        if above:
            blocks, start, prev = [], above[0], above[0]
            for j in above[1:]:
                if j != prev + 1:
                    blocks.append((start, prev))
                    start = j
                prev = j
            blocks.append((start, prev))
            edges = []
            for s_, e_ in reversed(blocks[-3:]):
                edges += [base + offs[s_], base + offs[e_] + len(segs[e_])]
            opts += [("NOP", None), ("NOP", None), ("SAck", tuple(x & 0xFFFFFFFF for x in edges))]
        c.pkt(ta, True, "A", ack=ackno, opts=opts)
        last = ta
    c.sseq = (base + total) & 0xFFFFFFFF
    return last, len(drops)


def case_throttling():
    rng = random.Random(1616)
    cap = Cap("throttling_vlan_sni-policed.pcap", "vlan", ts(2021, 3, 12, 9, 2, 31), vlan=7,
              cmac="48:8f:5a:12:c0:44", gmac="64:d1:54:9a:33:01")
    c4 = "192.168.88.23"
    res = Resolver(cap, rng, c4, "192.168.88.1", ttl=64, rtt=0.0011)
    b = Browse(cap, rng, c4, res)
    b.fill(0.2, 46.0, 22)
    S, nm, ctl = "151.101.244.157", "video.twimg.com", "www.theguardian.com"
    size = 430000

    def fast(t0):
        res.query(t0, ctl, "A", [(None, "A", 60, S)])
        c = Conn(cap, rng, c4, cap.port(rng), S, 443, s_ttl=56, rtt=0.048)
        return tls13_session(c, t0 + 0.002, ctl, rng, resp=size, think=0.01)

    fast(2.5)
    res.query(6.0, nm, "A", [(None, "A", 300, S)])
    c = Conn(cap, rng, c4, cap.port(rng), S, 443, s_ttl=56, rtt=0.048)
    t = c.connect(6.002) + 0.0003
    ch, info = client_hello(rng, nm)
    c.c_send(t, rec(0x16, ch, 0x0301))
    flight = rec(0x16, server_hello13(rng, info["sid"])) + CCS + appdata(rng, 3300)
    t2, _ = throttled(c, t + c.rtt + 0.002, flight, 17500, rng)
    t2 = c.c_send(t2 + 0.002, CCS + rec(0x17, rng.randbytes(53)) + appdata(rng, 410))
    t3, ndrop = throttled(c, t2 + c.rtt + 0.01, appdata(rng, 240) + appdata(rng, size), 17500, rng)
    c.close(t3 + 0.8)
    fast(t3 + 3.0)
    dur = t3 - t
    expect(cap, "throttling", nm, S,
           f"The TLS flow with SNI video.twimg.com to 151.101.244.157 delivers ~430 KB in {dur:.0f} s "
           f"(~140 kbit/s, {ndrop} losses repaired by retransmission after SACKs) while two flows to the "
           "same server with SNI www.theguardian.com, one before and one after, deliver the same "
           "volume in about 0.3 s (>10 Mbit/s); handshakes are equally fast, the plateau starts after "
           "the ClientHello.",
           "802.1Q VLAN; ~300 data segments each way at a policed rate; control flows of the same "
           "size to the same IP; 22 ordinary visits.")
    return cap


def case_residual_http8080():
    rng = random.Random(1717)
    cap = Cap("residual-blocking_sll2_pcapng_http-8080.pcapng", "sll2", ts(2021, 6, 15, 4, 10, 0),
              fmt="pcapng")
    c4 = "192.168.5.9"
    res = Resolver(cap, rng, c4, "223.5.5.5", ttl=116, rtt=0.011)
    b = Browse(cap, rng, c4, res)
    b.fill(0.3, 150.0, 28)
    S, nm, port = "45.76.180.21", "www.dongtaiwang.com", 8080
    rtt = 0.071

    def ok(t0, p=port):
        c = Conn(cap, rng, c4, cap.port(rng), S, p, s_ttl=47, rtt=rtt)
        host = f"{S}:{p}" if p != 80 else S
        return http_session(c, t0, host, "/status", rng, cap.base, size=1400)

    def gfw_rsts(t, c, seqs):
        for k, sq in enumerate(seqs):
            inj_tcp(cap, t + k * 0.00009, S, c4, port, c.cport, sq, 0, "R", ttl=55, ipid=0, df=False,
                    win=rng.choice([2480, 5336, 7781]))

    def genuine_after(c, t, host):
        body = http_200(rng, 1400, httpdate(cap.base + t))
        segs = [body[i:i + c.sseg] for i in range(0, len(body), c.sseg)]
        for i, sg in enumerate(segs):
            c.pkt(t, False, "PA" if i == len(segs) - 1 else "A", sg)
            c.pkt(t + 0.00004, True, "R", seq=c.cseq, advance=False)
            t += 0.0001

    ok(5.0)
    # trigger
    c = Conn(cap, rng, c4, cap.port(rng), S, port, s_ttl=47, rtt=rtt)
    t = c.connect(20.0) + 0.0002
    c.c_send(t, http_get(f"{nm}:8080", "/"))
    s0 = c.sseq
    gfw_rsts(t + 0.0121, c, [s0, s0 + 1460, s0 + 4380])
    genuine_after(c, t + rtt + 0.003, nm)
    # residual: innocuous requests, RST right after the handshake
    for t0 in (32.0, 61.5, 95.2):
        c = Conn(cap, rng, c4, cap.port(rng), S, port, s_ttl=47, rtt=rtt)
        t = c.connect(t0) + 0.0002
        c.c_send(t, http_get(f"{S}:8080", "/status"))
        gfw_rsts(t + 0.0118, c, [c.sseq])
        genuine_after(c, t + rtt + 0.003, S)
    ok(50.0, p=80)
    ok(118.0)
    ok(140.0)
    expect(cap, "residual-blocking", nm, S,
           "After GET / with Host www.dongtaiwang.com:8080 is reset at t=20 s (three RST-only packets, "
           "TTL 55 vs the server's 47, IP-ID 0, DF=0, seq s, s+1460, s+4380), three later connections to "
           "45.76.180.21:8080 with an innocuous request (Host 45.76.180.21:8080, /status) at +12, +41 "
           "and +75 s are reset by the same kind of RST 12 ms after the request (as in the trigger flow), while the same "
           "request worked at t=5 s and works again at +98 and +120 s, and port 80 works at +30 s.",
           "SLL2 inside pcapng; HTTP on port 8080; 90-s penalty box with controls before, during "
           "(other port) and after; the trigger flow itself is also an rst-injection; 28 ordinary visits.")
    return cap


def case_residual_esni_v6():
    rng = random.Random(1818)
    cap = Cap("residual-blocking_ipv6_esni-syn-drop.pcap", "eth", ts(2020, 8, 5, 13, 0, 0),
              cmac="9c:b6:d0:e1:72:05", gmac="c8:3a:35:50:0b:e1")
    c4, c6 = "192.168.1.3", "240e:3b1:6a50:1cc0:8c3f:2dff:fe61:9a2f"
    res4 = Resolver(cap, rng, c4, "114.114.114.114", ttl=86, rtt=0.014)
    res6 = Resolver(cap, rng, c6, "240c::6666", ttl=54, rtt=0.014)
    b = Browse(cap, rng, c4, res4, cip6=c6, res6=res6, prefer6=True)
    b.fill(0.3, 222.0, 30)
    S = "2606:4700::6811:b055"
    rtt = 0.178

    def ok(t0, nmx="www.cloudflare.com"):
        res6.query(t0, nmx, "AAAA", [(None, "AAAA", 300, S)])
        c = Conn(cap, rng, c6, cap.port(rng), S, 443, s_ttl=52, rtt=rtt)
        return tls13_session(c, t0 + 0.015, nmx, rng, resp=24000)

    ok(4.0)
    # trigger: ClientHello carrying encrypted_server_name (0xffce), no plaintext SNI
    res6.query(15.0, "crypto.cloudflare.com", "AAAA", [(None, "AAAA", 300, S)])
    c = Conn(cap, rng, c6, cap.port(rng), S, 443, s_ttl=52, rtt=rtt)
    t = c.connect(15.016) + 0.0003
    esni = (b"\x13\x01" + struct.pack("!HH", 0x1D, 32) + rng.randbytes(32) + struct.pack("!H", 32) +
            rng.randbytes(32) + struct.pack("!H", 292) + rng.randbytes(292))
    ch, _ = client_hello(rng, None, extra=(ext(0xFFCE, esni),))
    data = rec(0x16, ch, 0x0301)
    seq0 = c.cseq
    c.c_send(t, data)
    for d in (0.38, 1.14, 2.66, 5.70):
        c.pkt(t + d, True, "PA", data, seq=seq0)
    c.pkt(t + 8.0, True, "RA", seq=c.cseq)
    tt0 = t
    # residual: plain connections to the same [S]:443 get no SYN/ACK
    for t0 in (26.0, 52.3, 96.0, 158.5):
        res6.query(t0, "www.cloudflare.com", "AAAA", [(None, "AAAA", 300, S)])
        c = Conn(cap, rng, c6, cap.port(rng), S, 443, s_ttl=52, rtt=rtt)
        for d in (0, 1.0, 3.0, 7.0):
            c.pkt(t0 + 0.015 + d, True, "S", seq=c.c_isn)
    # other port on the same server works during the window
    c = Conn(cap, rng, c6, cap.port(rng), S, 80, s_ttl=52, rtt=rtt)
    http_session(c, 60.0, "www.cloudflare.com", "/robots.txt", rng, cap.base, size=900)
    ok(205.0)
    expect(cap, "residual-blocking", None, S,
           "After a ClientHello carrying the ESNI extension (0xffce, no plaintext SNI) to "
           "[2606:4700::6811:b055]:443 at t=15 s is never acknowledged, four new connections to the "
           "same address and port 11-144 s later (plain TLS for www.cloudflare.com intended) get no "
           "SYN/ACK at all, while the same server completed TLS at t=4 s, serves HTTP on port 80 at "
           "t=60 s and completes TLS on 443 again at t=205 s (190 s after the trigger).",
           "IPv6; drop-based (no RST anywhere); trigger is an extension, not a name (domain null; the "
           "DNS name looked up was crypto.cloudflare.com); 30 ordinary visits over 3.7 minutes.")
    return cap


CASES = [case_dns_injection_v6_vlan, case_dns_injection_v4_sll2, case_dns_tampering_a_for_aaaa_raw,
         case_dns_tampering_iran_pcapng, case_rst_v6_sni, case_rst_henan_8443_raw, case_rst_syn_burst_sll2,
         case_packet_injection_pcapng, case_blockpage_kr, case_blockpage_ir_v6, case_tls_mitm_kz2019,
         case_tls_mitm_kz2020_v6, case_blackhole_sni_vlan, case_blackhole_quic_v6, case_blackhole_syn_dot,
         case_throttling, case_residual_http8080, case_residual_esni_v6]


def main():
    global OUT
    if len(sys.argv) != 2:
        sys.exit("usage: blind_positive.py OUTDIR")
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    for f in CASES:
        cap = f()
        n = cap.write()
        print(f"{cap.name}: {n} packets")
    with open(os.path.join(OUT, "expect.json"), "w") as fh:
        json.dump(EXPECT, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
