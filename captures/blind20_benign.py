#!/usr/bin/env python3
# ruff: noqa: E501, RUF005, RUF046, UP031
"""blind round 20, benign traps: apps and protocols other than the web browser.

usage: python blind20_benign.py OUTDIR

Writes six captures of innocent traffic that resembles documented censorship signatures,
and OUTDIR/expect.json.  Deterministic: every random choice comes from seeded
random.Random objects, certificates are signed with deterministic ECDSA (RFC 6979), and
no wall-clock time is read.  Uses blind_kit.py (same directory) unchanged; the variants it
needs (more link types, a Windows TCP stack, TLS 1.2 with certificates, QUIC Initial
protection, WireGuard, NTP, DNS with authority sections) are defined here.
"""
import datetime
import ipaddress
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import blind_kit as capkit
from blind_kit import (
    GREASE,
    Cap,
    Ctx,
    Flow,
    app_rec,
    app_stream,
    dns_full,
    epoch,
    ext,
    mac,
    mk_ip,
    quic_server_hello,
    server_flight,
    u16,
    x25519_pub,
)
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from generate import protect, quic_initial_keys
from scapy.all import (
    BOOTP,
    DHCP,
    ICMP,
    IP,
    TCP,
    UDP,
    ICMPv6ND_RA,
    ICMPv6ND_RS,
    ICMPv6NDOptMTU,
    ICMPv6NDOptPrefixInfo,
    ICMPv6NDOptRDNSS,
    ICMPv6NDOptSrcLLAddr,
    IPv6,
    Raw,
    raw,
)

# ----------------------------------------------------------------------------
# containers: more link-layer variants
# ----------------------------------------------------------------------------


class Cap2(Cap):
    """Cap with explicit MAC overrides (broadcast/multicast) and SLL2 tunnel interfaces
    (ARPHRD_NONE, as `tcpdump -i any` records a WireGuard interface)."""

    def link(self, iface, ipb, out, dmac=None, smac=None, pkttype=None):
        f = self.ifaces[iface]
        et = 0x86DD if ipb[0] >> 4 == 6 else 0x0800
        k = f["link"]
        if k == "raw":
            return ipb
        if k == "sll2":
            if f.get("hatype") == 0xFFFE:
                return struct.pack("!HHIHBB", et, 0, f["ifindex"], 0xFFFE, 4 if out else 0, 0) + b"\0" * 8 + ipb
            addr = smac or (f["cmac"] if out else f["gmac"])
            pt = pkttype if pkttype is not None else (4 if out else 0)
            return struct.pack("!HHIHBB", et, 0, f["ifindex"], 1, pt, 6) + addr + b"\0\0" + ipb
        src = smac or (f["cmac"] if out else f["gmac"])
        dst = dmac or (f["gmac"] if out else f["cmac"])
        if k == "eth":
            fr = dst + src + struct.pack("!H", et) + ipb
        else:
            fr = dst + src + struct.pack("!HHH", 0x8100, (f.get("pcp", 0) << 13) | f["vlan"], et) + ipb
        if not out and len(fr) < 60:
            fr += b"\0" * (60 - len(fr))
        return fr

    def add(self, t, pkt, out, iface=0, tag=None, dmac=None, smac=None, pkttype=None):
        ipb = pkt if isinstance(pkt, bytes) else raw(pkt)
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        self.recs.append((tns, len(self.recs), iface, self.link(iface, ipb, out, dmac, smac, pkttype), tag))
        self._sorted = None

    def renumber_ipid(self, src_ip, start, rng, skip=0.02):
        """Windows-style global IP ID: rewrite the ID of every IPv4 packet from src_ip in time
        order (occasional gaps for packets to other interfaces), fixing the header checksum."""
        src = ipaddress.IPv4Address(src_ip).packed
        off = {"eth": 14, "vlan": 18, "raw": 0, "sll2": 20}
        v = start
        new = {}
        for r in self.sorted():
            b = bytearray(r[3])
            o = off[self.ifaces[r[2]]["link"]]
            if len(b) < o + 20 or b[o] >> 4 != 4 or bytes(b[o + 12:o + 16]) != src:
                continue
            struct.pack_into("!H", b, o + 4, v)
            struct.pack_into("!H", b, o + 10, 0)
            hl = (b[o] & 15) * 4
            sm = sum(struct.unpack("!%dH" % (hl // 2), bytes(b[o:o + hl])))
            while sm >> 16:
                sm = (sm & 0xFFFF) + (sm >> 16)
            struct.pack_into("!H", b, o + 10, ~sm & 0xFFFF)
            new[r[1]] = bytes(b)
            v = (v + 1 + (rng.randrange(1, 4) if rng.random() < skip else 0)) & 0xFFFF
        self.recs = [(a, i, f, new.get(i, b), tg) for a, i, f, b, tg in self.recs]
        self._sorted = None

    def first(self, prefix):
        fr = self.frames(prefix)
        return fr[0] if fr else None


# ----------------------------------------------------------------------------
# TCP stacks
# ----------------------------------------------------------------------------

PROFILES2 = dict(capkit.PROFILES)
PROFILES2["win"] = dict(synwin=64240, ws=8, ts=False, win0=1026)
PROFILES2["fgt"] = dict(synwin=65535, ws=8, ts=False, win0=2048)  # the inspection proxy's stack


class Flow2(Flow):
    profiles = PROFILES2
    tlast = None

    def c(self, t, *a, **k):
        self.tlast = t if self.tlast is None else max(self.tlast, t)
        return super().c(t, *a, **k)

    def s(self, t, *a, **k):
        self.tlast = t if self.tlast is None else max(self.tlast, t)
        return super().s(t, *a, **k)

    def _opts(self, out, t, flags, sack=None):
        if out and "S" in flags and self.ctx.cos == "win":
            return [("MSS", self.cmss), ("NOP", None), ("WScale", 8), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
        if out and self.ctx.cos == "win":
            if sack:
                return [("NOP", None), ("NOP", None), ("SAck", tuple(x & 0xFFFFFFFF for blk in sack for x in blk))]
            return []
        return super()._opts(out, t, flags, sack)

    def cwin(self):
        if self.ctx.cos == "win":
            return 1026
        return super().cwin()

    def syn_timeout(self, t, backoff=(1.0, 3.0, 7.0, 15.0), tag=None):
        """SYN and its retransmissions (same ISN), never answered."""
        self.c(t, "S", tag=tag and tag + "syn")
        for i, b in enumerate(backoff):
            self.c(t + b + self.ctx.rng.uniform(0.0001, 0.004), "S", seq=self.ciss, tag=tag and f"{tag}synrtx{i + 1}")
        return t + backoff[-1]

    def refused(self, t, tag=None):
        """SYN answered by the host's own stack with RST+ACK (closed port): Linux, no options, IPID 0, DF."""
        self.c(t, "S", tag=tag and tag + "syn")
        ip = mk_ip(self.sip, self.cip, self.sttl, 0, True, self.sfl)
        tcp = TCP(sport=self.dport, dport=self.sport, seq=0, ack=(self.ciss + 1) & 0xFFFFFFFF, flags="RA", window=0)
        self.cap.add(t + self.rtt, ip / tcp, False, self.iface, tag and tag + "rst")
        return t + self.rtt

    def push_s(self, t, data, tag=None):
        """Server sends a small unsolicited record; client ACKs it (delayed ACK)."""
        self.s(t, "PA", data, tag=tag)
        self.c_rcv = self.snxt
        self.c(t + 0.04 + self.ctx.rng.uniform(0, 0.002), "A")
        return t + 0.04

    def exchange(self, t, cdata, sdata, think=0.002, rate=20e6, tag=None, final_ack=True):
        """Client sends a small record, server answers (bulk with ACK clock)."""
        t = self.send_c(t, cdata, tag and tag + "c")
        return self.bulk(t + self.owd + think, sdata, rate, None, 1e9, tag and tag + "s", final_ack=final_ack)


class Ctx2(Ctx):
    flow_class = Flow2

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.gid = self.rng.randrange(1, 65536)

    def ipid(self, fl):
        if self.cos == "win":  # Windows: one counter for the whole host
            v = self.gid
            self.gid = (self.gid + 1) & 0xFFFF
            return v
        return super().ipid(fl)

    def flow(self, sip, dport, rtt, sttl, **k):
        return Flow2(self, sip, dport, rtt, sttl, **k)

    # -- DNS -----------------------------------------------------------------
    def dns(self, t, qname, spec, server=None, rtt=None, iface=None, tag=None, same_sock=True, rttl=None, edns=None, redns=None, gap=(0.00003, 0.0001)):
        """spec: list of (qtype, rflags, answers, authority); answers/authority as for dns2().
        Returns the time of the last answer."""
        rng = self.rng
        server = server or self.resolver
        v6 = ":" in server
        src = self.cip6 if v6 else self.cip
        iface = self.iface if iface is None else iface
        rtt = rtt or self.dns_rtt
        rttl = rttl or self.rttl
        edns = self.edns if edns is None else edns
        redns = edns if redns is None else redns
        sport = self.port()
        qid = rng.randrange(1, 65536)
        fl = rng.getrandbits(20)
        tq, sent = t, []
        for i, (qt, rfl, an, ns) in enumerate(spec):
            if not same_sock and i:
                sport = self.port()
            txid = rng.randrange(65536)
            q = dns2(txid, self.qflags, qname, qt, edns=edns)
            self.cap.add(tq, mk_ip(src, server, self.cttl, qid, True, fl) / UDP(sport=sport, dport=53) / Raw(q), True, iface, tag and f"{tag}q{qt}")
            sent.append((tq, sport, txid, qt, rfl, an, ns))
            qid += 1
            tq += rng.uniform(*gap)
        last = t
        rs = []
        for tq, sp, txid, qt, rfl, an, ns in sent:
            ta = tq + rtt * rng.uniform(0.9, 1.15)
            rs.append((ta, sp, qt, dns2(txid, rfl, qname, qt, an, ns, edns=redns)))
        for ta, sp, qt, r in sorted(rs, key=lambda x: x[0]):
            self.cap.add(ta, mk_ip(server, src, rttl, self.resp_ipid(), False) / UDP(sport=53, dport=sp) / Raw(r), False, iface, tag and f"{tag}r{qt}")
            last = max(last, ta)
        return last

    def resolve(self, t, qname, a=(), aaaa=(), cnames=(), ttl=300, cttl=None, **k):
        """Ordinary A + AAAA lookup (NODATA with the zone's SOA when a list is empty)."""
        soa = k.pop("soa", None)
        spec = []
        for qt, addrs in (("A", a), ("AAAA", aaaa)):
            if addrs:
                spec.append((qt, 0x8180, chain2(qname, cnames, addrs, cttl or ttl, ttl, qt), []))
            else:
                auth = [(soa[0], "SOA", soa[1], soa[2])] if soa else []
                spec.append((qt, 0x8180, chain2(qname, cnames, [], cttl or ttl, ttl, qt), auth))
        return self.dns(t, qname, spec, **k)

    # -- UDP helpers -----------------------------------------------------------
    def udp(self, t, src, dst, sport, dport, payload, out, ttl, ipid=None, df=True, iface=None, tag=None, fl=0):
        iface = self.iface if iface is None else iface
        ipid = self.rng.randrange(65536) if ipid is None else ipid
        self.cap.add(t, mk_ip(src, dst, ttl, ipid, df, fl) / UDP(sport=sport, dport=dport) / Raw(payload), out, iface, tag)

    def ntp(self, t, server, rtt, sttl, stratum=2, refid=b"\xc0\x21\xd6\x2f", iface=None, tag=None):
        rng = self.rng
        v6 = ":" in server
        src = self.cip6 if v6 else self.cip
        sport = self.port() if self.cos != "linux-timesyncd" else 123
        base = self.cap.base + 2208988800

        def ts(x):
            sec = int(base + x)
            return struct.pack("!II", sec & 0xFFFFFFFF, int((base + x - int(base + x)) * 2**32) & 0xFFFFFFFF)
        xmt = ts(t + rng.uniform(-0.02, 0.02))
        req = b"\x23" + b"\x00" * 39 + xmt
        self.udp(t, src, server, sport, 123, req, True, self.cttl, iface=iface, tag=tag and tag + "q")
        rx = t + rtt / 2
        resp = (bytes([0x24, stratum, 3, 0xE9]) + struct.pack("!II", rng.randrange(200, 3000), rng.randrange(300, 2000)) + refid
                + ts(t - rng.uniform(30, 900)) + xmt + ts(rx + 0.0003) + ts(rx + 0.00034))
        self.udp(t + rtt, server, src, 123, sport, resp, False, sttl, iface=iface, tag=tag and tag + "r", df=not v6)
        return t + rtt

    # -- TLS 1.3 exchange with a long-lived tail --------------------------------
    def tls13(self, t, sip, sni, rtt, sttl, port=443, profile="okhttp", alpn=("h2", "http/1.1"), cert=2900, req=300, resp=6000,
              sos="linuxsrv", iface=None, rate=30e6, tag=None, close=None, think=0.02, smss=1460):
        """TCP + TLS 1.3 handshake and one request/response; the flow is left open unless
        close is "client"/"server". Returns (flow, t)."""
        rng = self.rng
        fl = Flow2(self, sip, port, rtt, sttl, sos=sos, iface=iface, smss=smss)
        t = fl.handshake(t, tag)
        t += rng.uniform(0.0002, 0.0012)
        ch, sid = make_ch(rng, sni, alpn, profile)
        t = fl.send_c(t, ch, tag and tag + "ch")
        t = fl.bulk(t + fl.owd + rng.uniform(0.0004, 0.002), server_flight(rng, sid, cert), rate, None, 1e9, tag and tag + "sh", final_ack=False)
        t = max(t, fl.last_arr + rng.uniform(0.001, 0.004))
        t = fl.send_c(t, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, req), tag and tag + "req")
        if resp:
            srv = app_rec(rng, rng.randrange(100, 260)) + app_stream(rng, resp)
            t = fl.bulk(t + fl.owd + think, srv, rate, None, 1e9, tag and tag + "resp")
        if close == "client":
            t = fl.close_client(t + rng.uniform(0.05, 1.5))
        elif close == "server":
            t = fl.close_server(t + rng.uniform(0.5, 3.0))
        return fl, t

    def http_raw(self, t, sip, req, resp, rtt, sttl, sos="linuxsrv", iface=None, tag=None, close="server", think=0.003, rate=20e6, port=80):
        """TCP handshake, one raw HTTP request and response; close "server" (Connection: close),
        "client" (client FIN later) or None (left open)."""
        rng = self.rng
        fl = Flow2(self, sip, port, rtt, sttl, sos=sos, iface=iface)
        t = fl.handshake(t, tag)
        t = fl.send_c(t + rng.uniform(0.0002, 0.001), req, tag and tag + "req")
        t = fl.bulk(t + fl.owd + think, resp, rate, None, 1e9, tag and tag + "resp")
        if close == "server":
            t = fl.close_server(t + rng.uniform(0.0001, 0.002))
        elif close == "client":
            t = fl.close_client(t + rng.uniform(0.5, 4.0), alert=False)
        return fl, t

    def quic(self, t, sip, sni, rtt, sttl, resp=60000, req=380, iface=None, tag=None, sport=None, scid_len=8, idle_close=True, mtu=1250, close_after=None):
        return quic_session(self, t, sip, sni, rtt, sttl, resp, req, iface, tag, sport, scid_len, idle_close, mtu, close_after)


# ----------------------------------------------------------------------------
# DNS with authority sections
# ----------------------------------------------------------------------------

def dns2(txid, flags, qname, qtype, answers=(), authority=(), edns=None):
    return dns_full(txid, flags, qname, qtype, answers, authority, edns)

def chain2(qname, cnames, addrs, ttl_c, ttl_a, qtype="A"):
    ans, cur = [], qname
    for c in cnames:
        ans.append((cur, "CNAME", ttl_c, c))
        cur = c
    for a in addrs:
        ans.append((cur, qtype, ttl_a, a))
    return ans


# ----------------------------------------------------------------------------
# TLS: client hellos of non-browser stacks, TLS 1.2 server flights with certificates
# ----------------------------------------------------------------------------


def u24(n):
    return struct.pack("!I", n)[1:]


def hs(typ, body):
    return bytes([typ]) + u24(len(body)) + body


def rec(ct, body, ver=b"\x03\x03"):
    return bytes([ct]) + ver + u16(len(body)) + body


def make_ch(rng, sni, alpn=("h2", "http/1.1"), profile="okhttp"):
    """ClientHello record. okhttp = Android Conscrypt/BoringSSL as used by OkHttp (no GREASE,
    fixed extension order); other profiles come from capkit."""
    if profile != "okhttp":
        return capkit.client_hello(rng, sni, alpn, profile)
    rnd, sid = rng.randbytes(32), rng.randbytes(32)
    alpn_b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    pub = x25519_pub(rng)
    suites = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02C, 0xCCA9, 0xC02F, 0xC030, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    exts = [
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()), ext(23, b""), ext(0xFF01, b"\x00"),
        ext(10, u16(6) + u16(0x1D) + u16(0x17) + u16(0x18)), ext(11, b"\x01\x00"), ext(35, b""),
        ext(16, u16(len(alpn_b)) + alpn_b), ext(5, b"\x01\x00\x00\x00\x00"),
        ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
        ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(45, b"\x01\x01"), ext(43, b"\x04" + u16(0x0304) + u16(0x0303)),
    ]
    el = b"".join(exts)
    body = b"\x03\x03" + rnd + b"\x20" + sid + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00"
    hlen = len(body) + 2 + len(el)
    if hlen < 508:
        el += ext(21, b"\x00" * max(508 - hlen - 4, 0))
    body += u16(len(el)) + el
    return rec(22, hs(1, body), b"\x03\x01"), sid


P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def eckey(rng):
    return ec.derive_private_key(rng.randrange(1, P256_N - 1), ec.SECP256R1())


def dname(**kv):
    oid = {"C": NameOID.COUNTRY_NAME, "ST": NameOID.STATE_OR_PROVINCE_NAME, "L": NameOID.LOCALITY_NAME, "O": NameOID.ORGANIZATION_NAME,
           "OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME}
    return x509.Name([x509.NameAttribute(oid[k], v) for k, v in kv.items()])


def utc(*a):
    return datetime.datetime(*a, tzinfo=datetime.UTC)


def make_ca(rng, subject, nb, na):
    key = eckey(rng)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
         .serial_number(rng.getrandbits(120) | 1 << 120).not_valid_before(nb).not_valid_after(na)
         .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                                      key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    return key, b.sign(key, hashes.SHA256(), ecdsa_deterministic=True)


def make_leaf(rng, ca_key, ca_cert, subject, sans, nb, na):
    key = eckey(rng)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject).public_key(key.public_key())
         .serial_number(rng.getrandbits(120) | 1 << 120).not_valid_before(nb).not_valid_after(na)
         .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
         .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                                      key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
    return key, b.sign(ca_key, hashes.SHA256(), ecdsa_deterministic=True)


def tls12_flight(rng, ch, certs, leaf_key, alpn=None):
    """ServerHello (TLS 1.2, ECDHE-ECDSA-AES128-GCM-SHA256) + Certificate + ServerKeyExchange
    (x25519, signed with the leaf key over the randoms and params) + ServerHelloDone."""
    crand = ch[11:43]
    srand, sid = rng.randbytes(32), rng.randbytes(32)
    exts = ext(0xFF01, b"\x00") + ext(11, b"\x01\x00") + ext(23, b"") + ext(35, b"")
    if alpn:
        exts += ext(16, u16(len(alpn) + 1) + bytes([len(alpn)]) + alpn.encode())
    sh = hs(2, b"\x03\x03" + srand + b"\x20" + sid + u16(0xC02B) + b"\x00" + u16(len(exts)) + exts)
    cl = b"".join(u24(len(c)) + c for c in (x.public_bytes(Encoding.DER) for x in certs))
    cert = hs(11, u24(len(cl)) + cl)
    params = b"\x03" + u16(0x1D) + b"\x20" + x25519_pub(rng)
    sig = leaf_key.sign(crand + srand + params, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    ske = hs(12, params + u16(0x0403) + u16(len(sig)) + sig)
    return rec(22, sh + cert), rec(22, ske + hs(14, b""))


def tls12_client_finish(rng):
    return rec(22, hs(16, b"\x20" + x25519_pub(rng))) + rec(20, b"\x01") + rec(22, rng.randbytes(40))


def tls12_server_finish(rng):
    ticket = rng.randbytes(rng.choice((160, 176, 192)))
    return rec(22, hs(4, struct.pack("!I", 300) + u16(len(ticket)) + ticket)) + rec(20, b"\x01") + rec(22, rng.randbytes(40))


def app12(rng, n):
    """TLS 1.2 application data (AES-GCM: 8-byte explicit nonce + 16-byte tag), split in 16 KiB records"""
    out = bytearray()
    while n > 0:
        k = min(n, 16384)
        out += rec(23, rng.randbytes(k + 24))
        n -= k
    return bytes(out)


# ----------------------------------------------------------------------------
# QUIC v1 (RFC 9000/9001): correctly protected Initial packets
# ----------------------------------------------------------------------------

def initial_keys(dcid, server):
    """(key, iv, hp) of one side's QUIC v1 Initial packets (RFC 9001 5.2; generate.py)."""
    return quic_initial_keys(dcid)["server" if server else "client"]


def varint(n):
    if n < 0x40:
        return bytes([n])
    if n < 0x4000:
        return struct.pack("!H", 0x4000 | n)
    if n < 0x40000000:
        return struct.pack("!I", 0x80000000 | n)
    return struct.pack("!Q", 0xC000000000000000 | n)


def quic_initial(keys, dcid, scid, pn, frames, token=b"", pad_to=None, pn_len=2):
    """A protected Initial packet. pad_to: total packet size (PADDING frames appended)."""
    hdr_wo_len = bytes([0xC0 | (0 << 4) | (pn_len - 1)]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(len(token)) + token
    payload = frames
    if pad_to:
        need = pad_to - (len(hdr_wo_len) + 2 + pn_len + len(payload) + 16)
        if need > 0:
            payload += b"\x00" * need
    if pn_len + len(payload) < 20:
        payload += b"\x00" * (20 - pn_len - len(payload))
    length = pn_len + len(payload) + 16
    hdr = hdr_wo_len + struct.pack("!H", 0x4000 | length) + pn.to_bytes(pn_len, "big")
    return protect(hdr, pn, pn_len, payload, keys)


def quic_handshake_pkt(rng, dcid, scid, size):
    """A Handshake packet whose protected payload we cannot produce for real (no TLS keys):
    correct long header and length, opaque protected bytes."""
    hdr = bytes([0xE0 | rng.randrange(16)]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    body = size - len(hdr) - 2
    return hdr + struct.pack("!H", 0x4000 | body) + rng.randbytes(body)


def quic_short(rng, dcid, size):
    return bytes([0x40 | rng.randrange(32)]) + dcid + rng.randbytes(max(size - 1 - len(dcid), 21))


def tparam(i, v):
    return varint(i) + varint(len(v)) + v


def quic_client_hello(rng, sni, scid):
    g1, g2, g3, g4 = rng.sample(GREASE, 4)
    pub = x25519_pub(rng)
    tp = (tparam(0x01, varint(30000)) + tparam(0x03, varint(1472)) + tparam(0x04, varint(15728640)) + tparam(0x05, varint(6291456))
          + tparam(0x06, varint(6291456)) + tparam(0x07, varint(6291456)) + tparam(0x08, varint(100)) + tparam(0x09, varint(103))
          + tparam(0x0F, scid) + tparam(0x20, varint(65536)) + tparam(0x11, b"\x00\x00\x00\x01" + b"\x00\x00\x00\x01" + bytes([g4 >> 8, g4 & 0xFF, 0x0A, 0x0A]))
          + tparam(31 * rng.randrange(1, 500) + 27, rng.randbytes(4)))
    exts = [
        ext(g2, b""), ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(10, u16(8) + u16(g1) + u16(0x1D) + u16(0x17) + u16(0x18)),
        ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
        ext(16, u16(3) + b"\x02h3"), ext(51, u16(32 + 4 + 5) + u16(g1) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + pub),
        ext(45, b"\x01\x01"), ext(43, b"\x04" + u16(g3) + u16(0x0304)), ext(57, tp), ext(27, b"\x02\x00\x02"),
        ext(17513, b"\x00\x03\x02h3"), ext(g3 ^ 0x1010, b"\x00"),
    ]
    el = b"".join(exts)
    suites = [g1, 0x1301, 0x1302, 0x1303]
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00" + u16(len(el)) + el
    return hs(1, body)


def quic_session(ctx, t, sip, sni, rtt, sttl, resp, req, iface, tag, sport, scid_len, idle_close, mtu, close_after=None):
    """Chrome-style QUIC v1 connection: protected client Initial (padded to `mtu`), server
    Initial(ServerHello)+Handshake coalesced, client Initial ACK + Handshake, then 1-RTT
    request and response with ACKs. Returns the time of the last packet."""
    rng = ctx.rng
    v6 = ":" in sip
    cip = ctx.cip6 if v6 else ctx.cip
    sport = sport or ctx.port()
    iface = ctx.iface if iface is None else iface
    dcid = rng.randbytes(8)
    scid = b""
    srv_cid = rng.randbytes(scid_len)
    ck, sk = initial_keys(dcid, False), initial_keys(dcid, True)
    cfl, sfl = rng.getrandbits(20), rng.getrandbits(20)
    cid_ctr = [rng.randrange(65536)]

    def c(tt, payload, tg=None):
        ip = mk_ip(cip, sip, ctx.cttl, cid_ctr[0], True, cfl)
        cid_ctr[0] = (cid_ctr[0] + 1) & 0xFFFF
        ctx.cap.add(tt, ip / UDP(sport=sport, dport=443) / Raw(payload), True, iface, tg)

    def s(tt, payload, tg=None):
        ip = mk_ip(sip, cip, sttl, 0, True, sfl)
        ctx.cap.add(tt, ip / UDP(sport=443, dport=sport) / Raw(payload), False, iface, tg)

    ch = quic_client_hello(rng, sni, scid)
    pkt = quic_initial(ck, dcid, scid, 1, b"\x06" + varint(0) + varint(len(ch)) + ch, pad_to=mtu)
    c(t, pkt, tag and tag + "ci")
    # server: Initial (ACK + ServerHello) coalesced with the start of its Handshake flight
    t1 = t + rtt + rng.uniform(0.0003, 0.0015)
    shello = quic_server_hello(rng)
    sinit = quic_initial(sk, scid, srv_cid, 1, b"\x02" + varint(1) + varint(rng.randrange(20, 80)) + b"\x00\x00" + b"\x06" + varint(0) + varint(len(shello)) + shello)
    s(t1, sinit + quic_handshake_pkt(rng, scid, srv_cid, mtu - len(sinit)), tag and tag + "si")
    hs_total = rng.randrange(2300, 3600)
    rest = hs_total - (mtu - len(sinit))
    tt = t1
    while rest > 0:
        n = min(rest, mtu)
        tt += rng.uniform(0.00005, 0.0002)
        s(tt, quic_handshake_pkt(rng, scid, srv_cid, max(n, 60)))
        rest -= n
    # client: Initial ACK + Handshake (ACK, Finished), padded to the full datagram size
    t2 = tt + rng.uniform(0.0015, 0.004)
    cinit = quic_initial(ck, srv_cid, scid, 2, b"\x02" + varint(1) + varint(rng.randrange(0, 30)) + b"\x00\x00")
    chs = quic_handshake_pkt(rng, srv_cid, scid, rng.randrange(70, 90))
    c(t2, cinit + chs + b"\x00" * max(0, mtu - len(cinit) - len(chs)), tag and tag + "cfin")
    t2 += rng.uniform(0.00005, 0.0002)
    c(t2, quic_short(rng, srv_cid, req), tag and tag + "req")
    # server: HANDSHAKE_DONE etc., then the response
    t3 = t2 + rtt + rng.uniform(0.001, 0.02)
    s(t3, quic_short(rng, b"", rng.randrange(200, 400)))
    n = max(1, resp // (mtu - 30))
    gap = (mtu * 8) / 40e6
    last = t3
    for i in range(n):
        last = t3 + 0.0001 + i * gap
        s(last, quic_short(rng, b"", mtu if i < n - 1 else rng.randrange(300, mtu)))
        if i % 2 == 1 or i == n - 1:
            c(last + rng.uniform(0.0002, 0.002), quic_short(rng, srv_cid, rng.randrange(36, 52)))
    last += 0.003
    if idle_close:
        # the client closes the idle connection (CONNECTION_CLOSE in a short-header packet)
        tc = last + (close_after if close_after is not None else rng.uniform(4, 25))
        c(tc, quic_short(rng, srv_cid, rng.randrange(40, 60)), tag and tag + "close")
        last = tc
    return last


# ----------------------------------------------------------------------------
# WireGuard messages
# ----------------------------------------------------------------------------


def wg_init(rng, sender):
    return struct.pack("<II", 1, sender) + rng.randbytes(32 + 48 + 28 + 16) + b"\x00" * 16


def wg_resp(rng, sender, receiver):
    return struct.pack("<III", 2, sender, receiver) + rng.randbytes(32 + 16 + 16) + b"\x00" * 16


def wg_data(rng, receiver, counter, inner_len):
    padded = (inner_len + 15) // 16 * 16
    return struct.pack("<IIQ", 4, receiver, counter) + rng.randbytes(padded + 16)


# ----------------------------------------------------------------------------
# expectations
# ----------------------------------------------------------------------------

EXPECT = {}


def expect(fname, note, allow=()):
    EXPECT[fname] = {"expect": [], "allow": [dict(mechanism=m, domain=d) for m, d in allow], "observations_ok": True, "note": note}


def fr(cap, tag):
    return cap.frame(tag)


def frl(cap, prefix):
    f = cap.frames(prefix)
    return ",".join(str(x) for x in f)


def t0_of(cap):
    return cap.sorted()[0][0] / 1e9 - cap.base


def rel(cap, tag):
    """time of a tagged packet relative to the first packet, in seconds"""
    recs = cap.sorted()
    t0 = recs[0][0]
    for r in recs:
        if r[4] == tag:
            return (r[0] - t0) / 1e9
    raise KeyError(tag)


# ============================================================================
# 1. certificate-pinning app aborts behind a corporate TLS-inspection proxy
# ============================================================================


def proxied_tls12(ctx, t, sip, sni, chain, leaf_key, profile, tag, pinned=False, req=460, resp=40000, upstream=0.055):
    """A connection the corporate firewall intercepts: it answers the SYN itself (1.4 ms,
    TTL 63, its own TCP stack), fetches the real certificate upstream, then presents a
    certificate it minted with its own CA (TLS 1.2).  pinned=True: the app rejects the
    certificate (fatal alert certificate_unknown) and closes the socket with the rest of
    the flight unread, so its kernel sends RST+ACK."""
    rng = ctx.rng
    fl = Flow2(ctx, sip, 443, rng.uniform(0.0011, 0.0017), 63, sos="fgt", s_ipid="inc")
    t = fl.handshake(t, tag)
    t += rng.uniform(0.0003, 0.0015)
    ch, _ = make_ch(rng, sni, ("h2", "http/1.1"), profile)
    t = fl.send_c(t, ch, tag + "ch")
    fl.s(t + fl.owd + 0.00012, "A")
    r1, r2 = tls12_flight(rng, ch, chain, leaf_key, "http/1.1")
    t = fl.bulk(t + fl.owd + upstream * rng.uniform(0.85, 1.2), r1, 80e6, None, 1e9, tag + "sh", final_ack=False)
    t_cert = fl.last_arr
    t = fl.bulk(t_cert + rng.uniform(0.0006, 0.0012), r2, 80e6, None, 1e9, tag + "ske", final_ack=False)
    t = max(t, fl.last_arr)
    if pinned:
        ta = t_cert + rng.uniform(0.006, 0.012)
        fl.c(ta, "PA", rec(21, b"\x02\x2e"), tag=tag + "alert")
        fl.c(ta + rng.uniform(0.0002, 0.0004), "RA", seq=fl.cnxt, tag=tag + "rst")
        return fl, ta
    t = fl.send_c(t + rng.uniform(0.002, 0.005), tls12_client_finish(rng), tag + "cfin")
    t = fl.bulk(t + fl.owd + 0.0004, tls12_server_finish(rng), 80e6, None, 1e9, tag + "sfin", final_ack=False)
    t = fl.send_c(max(t, fl.last_arr) + rng.uniform(0.0005, 0.002), app12(rng, req), tag + "req")
    t = fl.bulk(t + fl.owd + upstream * rng.uniform(0.6, 1.0), app12(rng, resp), 80e6, None, 1e9, tag + "resp")
    return fl, t


def cap_pinning():
    fname = "pinning_abort_corp_tls_proxy_then_mobile.pcapng"
    base = epoch(2025, 3, 11, 8, 52, 6)
    ifaces = [
        dict(link="eth", name="wlan0", cmac=mac("7e:3a:51:c2:9d:08"), gmac=mac("00:1a:1e:04:7b:c1"), tsresol=9),
        dict(link="raw", name="rmnet_data2", tsresol=9),
    ]
    cap = Cap2(fname, base, ifaces, fmt="pcapng", shb=dict(hw="aarch64", os="Linux 5.15.148-android14-11", app="Dumpcap (Wireshark) 4.2.5"))
    w = Ctx2(cap, 2001, cip="10.40.12.87", cos="linux", cttl=64, iface=0, resolver="10.40.0.53", rttl=127, dns_rtt=0.0035)
    m = Ctx2(cap, 2002, cip="100.78.213.9", cip6="2a02:8084:4041:1d2e:5c41:9ab2:7e03:1f6a", cos="linux", cttl=64, iface=1,
             resolver="100.64.0.53", resolver6="2a02:8084:0:4::53", rttl=62, dns_rtt=0.031, mss4=1380, mss6=1360)
    rng = w.rng

    # the enterprise CA (pushed to the phone's work profile by MDM) and the proxy's minted leaves
    ca_key, ca = make_ca(rng, dname(C="US", O="Northwind Traders", OU="Information Security", CN="Northwind Traders TLS Inspection CA"),
                         utc(2023, 2, 1, 0, 0, 0), utc(2033, 1, 29, 0, 0, 0))
    proxy_key = eckey(rng)  # FortiOS-style: one key for every minted certificate

    def minted(cn, sans, nb, na):
        b = (x509.CertificateBuilder().subject_name(dname(CN=cn)).issuer_name(ca.subject).public_key(proxy_key.public_key())
             .serial_number(rng.getrandbits(120) | 1 << 120).not_valid_before(nb).not_valid_after(na)
             .add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
        return [b.sign(ca_key, hashes.SHA256(), ecdsa_deterministic=True), ca]

    c_trail = minted("api.trailmetrics.io", ["api.trailmetrics.io"], utc(2025, 1, 14, 0, 0, 0), utc(2026, 2, 12, 23, 59, 59))
    c_guard = minted("*.theguardian.com", ["*.theguardian.com", "theguardian.com"], utc(2025, 2, 3, 12, 4, 51), utc(2026, 3, 7, 12, 4, 50))
    c_wiki = minted("*.wikipedia.org", ["*.wikipedia.org", "wikipedia.org", "*.m.wikipedia.org"], utc(2025, 1, 27, 0, 0, 0), utc(2025, 4, 27, 23, 59, 59))

    TRAIL_IPS = ["34.246.91.17", "52.49.203.118"]
    ALB = "trailmetrics-prod-1482290311.eu-west-1.elb.amazonaws.com"
    ELB_SOA = ("eu-west-1.elb.amazonaws.com", 60, ("ns-1044.awsdns-02.org", "awsdns-hostmaster.amazon.com", 1, 7200, 900, 1209600, 60))

    # ---- on the office Wi-Fi --------------------------------------------------
    t = w.resolve(0.210, "outlook.office365.com", a=["52.97.219.146", "52.98.207.66", "40.99.150.34"], cnames=["outlook.ha.office365.com", "outlook.ms-acdc.office.com", "FRA-efz.ms-acdc.office.com"], ttl=10, cttl=300, tag="dns_outlook")
    w.tls13(t + 0.001, "52.97.219.146", "outlook.office365.com", 0.019, 112, sos="nots", resp=9000, tag="outlook", profile="okhttp")
    t = w.resolve(1.512, "mtalk.google.com", a=["142.250.102.188"], aaaa=[], cnames=["mobile-gtalk.l.google.com"], ttl=300, cttl=86400,
                  soa=("l.google.com", 60, ("ns1.google.com", "dns-admin.google.com", 735829104, 900, 900, 1800, 60)), tag="dns_mtalk")
    mt, _ = w.tls13(t + 0.001, "142.250.102.188", "mtalk.google.com", 0.024, 117, port=5228, resp=700, tag="mtalk", profile="okhttp")
    t = w.resolve(4.020, "www.theguardian.com", a=["151.101.1.111", "151.101.65.111", "151.101.129.111", "151.101.193.111"], cnames=["dualstack.guardian.map.fastly.net"], ttl=30, cttl=3600, tag="dns_guardian")
    proxied_tls12(w, t + 0.0005, "151.101.1.111", "www.theguardian.com", c_guard, proxy_key, "chrome", "guardian", resp=61000)
    t = w.resolve(6.541, "en.wikipedia.org", a=["185.15.59.224"], cnames=["dyna.wikimedia.org"], ttl=600, cttl=86400, tag="dns_wiki")
    proxied_tls12(w, t + 0.0006, "185.15.59.224", "en.wikipedia.org", c_wiki, proxy_key, "chrome", "wiki", resp=38000, upstream=0.041)
    # the fitness app starts: two parallel API calls, both to the first address OkHttp got
    t = w.resolve(9.804, "api.trailmetrics.io", a=TRAIL_IPS, aaaa=[], cnames=[ALB], ttl=60, cttl=300, soa=ELB_SOA, tag="dns_trail1")
    proxied_tls12(w, t + 0.0011, TRAIL_IPS[0], "api.trailmetrics.io", c_trail, proxy_key, "okhttp", "pin1", pinned=True)
    proxied_tls12(w, t + 0.0019, TRAIL_IPS[0], "api.trailmetrics.io", c_trail, proxy_key, "okhttp", "pin2", pinned=True)
    t = w.resolve(12.377, "login.microsoftonline.com", a=["20.190.159.71", "20.190.159.2", "40.126.31.67"], cnames=["login.mso.msidentity.com", "ak.privatelink.msidentity.com", "www.tm.ak.prd.aadg.akadns.net"], ttl=60, cttl=300, tag="dns_login")
    w.tls13(t + 0.001, "20.190.159.71", "login.microsoftonline.com", 0.021, 112, sos="nots", resp=7400, tag="aad", close="client", profile="okhttp")
    # the user taps "retry": OkHttp now tries the other address first; same minted certificate
    proxied_tls12(w, 17.452, TRAIL_IPS[1], "api.trailmetrics.io", c_trail, proxy_key, "okhttp", "pin3", pinned=True)
    # pull to refresh once more (DNS entry expired: same answer)
    t = w.resolve(31.106, "api.trailmetrics.io", a=TRAIL_IPS, aaaa=[], cnames=[ALB], ttl=60, cttl=300, soa=ELB_SOA, tag="dns_trail2")
    proxied_tls12(w, t + 0.0012, TRAIL_IPS[0], "api.trailmetrics.io", c_trail, proxy_key, "okhttp", "pin4", pinned=True)
    # FCM heartbeat on the untouched port-5228 connection
    mt.exchange(33.870, app_rec(rng, 9), app_rec(rng, 9), think=0.0005, tag="mthb")

    # ---- Wi-Fi switched off; the same app on mobile data ------------------------
    t = m.resolve(46.233, "api.trailmetrics.io", a=[TRAIL_IPS[1], TRAIL_IPS[0]], aaaa=[], cnames=[ALB], ttl=60, cttl=300, soa=ELB_SOA,
                  server="2a02:8084:0:4::53", tag="dns_trail3")
    fl, t2 = m.tls13(t + 0.002, TRAIL_IPS[1], "api.trailmetrics.io", 0.041, 52, resp=14800, tag="trailok", profile="okhttp", sos="linuxsrv")
    fl.exchange(t2 + 0.35, app_rec(m.rng, 210), app_rec(m.rng, 5200), think=0.03, tag="trailok2")
    t = m.resolve(47.102, "www.youtube.com", a=["142.250.181.238"], aaaa=["2a00:1450:400b:c02::5d"], cnames=["youtube-ui.l.google.com"], ttl=300, cttl=86400,
                  server="2a02:8084:0:4::53", tag="dns_yt")
    m.quic(t + 0.001, "2a00:1450:400b:c02::5d", "www.youtube.com", 0.036, 57, resp=95000, tag="ytq")
    t = m.resolve(47.815, "mtalk.google.com", a=["142.250.102.188"], aaaa=["2a00:1450:400c:c0a::bc"], cnames=["mobile-gtalk.l.google.com"], ttl=300, cttl=86400,
                  server="2a02:8084:0:4::53", tag="dns_mtalk2")
    m.tls13(t + 0.001, "2a00:1450:400c:c0a::bc", "mtalk.google.com", 0.038, 57, port=5228, resp=700, tag="mtalk2", profile="okhttp")

    pins = ["pin1", "pin2", "pin3", "pin4"]
    desc = "; ".join(f"{p}: SYN {fr(cap, p + 'syn')}, ClientHello {fr(cap, p + 'ch')}, ServerHello+Certificate {frl(cap, p + 'sh')}, ServerKeyExchange+ServerHelloDone {frl(cap, p + 'ske')}, client alert {fr(cap, p + 'alert')}, client RST+ACK {fr(cap, p + 'rst')}" for p in pins)
    note = (
        "Android phone (pcapng, two interfaces: wlan0 Ethernet on an office Wi-Fi, rmnet_data2 raw IP on mobile data). "
        "The office network runs a transparent TLS-inspection firewall: every intercepted connection is answered by the firewall itself "
        "(SYN/ACK 1.1-1.7 ms after the SYN, IP TTL 63 whatever the destination, a TCP stack without timestamps) and, ~45-70 ms after the "
        "ClientHello, a TLS 1.2 flight whose Certificate is minted by 'CN=Northwind Traders TLS Inspection CA, O=Northwind Traders' "
        "(all minted leaves share one public key; the CA certificate is sent in the chain). Chrome accepts it (the CA is installed by the "
        "company's MDM): www.theguardian.com (SYN frame %d) and en.wikipedia.org (SYN frame %d) complete the handshake and download pages. "
        "Microsoft 365 hosts and the FCM connection on port 5228 are not intercepted (TLS 1.3 end to end, server TTLs 112/117, 19-24 ms RTT). "
        "The fitness app api.trailmetrics.io pins its certificate, so each of its four connections on Wi-Fi ends with the CLIENT's own "
        "fatal TLS alert certificate_unknown (plaintext, 15 03 03 00 02 02 2e) and the client's RST+ACK (client MAC, TTL 64, in sequence, "
        "sent because the ServerKeyExchange record was still unread in the socket): %s. What looks like an SNI-triggered reset / handshake failure is the app "
        "refusing a certificate; no reset or alert ever comes from the network side, and DNS for the name (frames %s, %s) returns the same "
        "AWS load-balancer addresses as the carrier resolver does later. At t=%.1f s on mobile data (frames from %d) the same app to the "
        "same address %s completes TLS 1.3 and exchanges API data; YouTube QUIC and FCM also work. The only defensible 'finding' is that "
        "certificates were substituted, which is the company's own inspection proxy (tls-mitm allowed for the three intercepted names); "
        "no rst-injection, blackhole or residual-blocking."
    ) % (fr(cap, "guardiansyn"), fr(cap, "wikisyn"), desc, frl(cap, "dns_trail1"), frl(cap, "dns_trail2"), rel(cap, "dns_trail3qA"), fr(cap, "dns_trail3qA"), TRAIL_IPS[1])
    expect(fname, note, allow=[("tls-mitm", "api.trailmetrics.io"), ("tls-mitm", "www.theguardian.com"), ("tls-mitm", "en.wikipedia.org")])
    return cap



# ============================================================================
# 2. long-lived push connections reset by the carrier's CGNAT after idle
# ============================================================================


def cap_push_idle():
    fname = "push_idle_cgnat_reset_reconnect_mobile_raw.pcap"
    base = epoch(2025, 5, 20, 21, 14, 3)
    cap = Cap2(fname, base, [dict(link="raw")], fmt="pcap")
    m = Ctx2(cap, 2101, cip="100.91.37.206", cos="linux", cttl=64, resolver="10.177.0.34", rttl=62, dns_rtt=0.046, mss4=1400)
    rng = m.rng
    CGNAT_TTL = 253

    def cgnat_rst(fl, t, tag):
        """The carrier NAT has expired the mapping; it answers the client's segment with a bare RST
        built from that segment (seq = its ACK number), TTL 255 two hops away, IP ID 0, no DF."""
        fl.forged(t, "R", fl.c_rcv, 0, CGNAT_TTL, 0, False, 0, tag=tag)

    PUSH = ["34.231.18.152", "52.2.145.9"]
    MTALK = "142.251.163.188"
    IMAP = "69.48.201.23"

    # FCM: GMS's adaptive heartbeat (~285 s) keeps its mapping alive all along
    t = m.ntp(0.180, "216.239.35.4", 0.052, 118, stratum=1, refid=b"GOOG")
    t = m.resolve(0.512, "mtalk.google.com", a=[MTALK], aaaa=[], cnames=["mobile-gtalk.l.google.com"], ttl=300, cttl=86400,
                  soa=("l.google.com", 60, ("ns1.google.com", "dns-admin.google.com", 761273512, 900, 900, 1800, 60)), tag="dns_mtalk")
    mt, _ = m.tls13(t + 0.001, MTALK, "mtalk.google.com", 0.061, 117, port=5228, resp=900, tag="mtalk")
    for i, th in enumerate((286.4, 571.9, 857.1, 1143.0, 1428.6, 1714.2)):
        mt.exchange(th, app_rec(rng, 4), app_rec(rng, 4), think=0.001, tag=f"mthb{i}")

    # the messaging app's MQTT-over-TLS push connection, keepalive 900 s (longer than the CGNAT's TCP idle timer)
    t = m.resolve(2.905, "push.chatterbox.im", a=PUSH, aaaa=[], ttl=60,
                  soa=("chatterbox.im", 300, ("ns-331.awsdns-41.com", "awsdns-hostmaster.amazon.com", 1, 7200, 900, 1209600, 86400)), tag="dns_push1")
    p1, t = m.tls13(t + 0.001, PUSH[0], "push.chatterbox.im", 0.068, 48, profile="okhttp", alpn=("mqtt",), resp=0, tag="push1")
    t = p1.bulk(t + p1.owd + 0.01, app_rec(rng, 4), 20e6, None, 1e9, "push1connack")  # CONNACK
    t = p1.exchange(t + 0.02, app_rec(rng, 58), app_rec(rng, 7), tag="push1sub")  # SUBSCRIBE / SUBACK
    t = p1.push_s(t + 3.1, app_rec(rng, 412), tag="push1msg")  # a queued message
    # weather widget, Play services sync, browsing
    t = m.resolve(5.320, "api.openweathermap.org", a=["37.139.20.5"], aaaa=[], ttl=600, tag="dns_owm",
                  soa=("openweathermap.org", 300, ("ns1.digitalocean.com", "hostmaster.openweathermap.org", 1709203419, 10800, 3600, 604800, 1800)))
    m.tls13(t + 0.001, "37.139.20.5", "api.openweathermap.org", 0.118, 50, resp=2100, close="server", tag="owm")
    t = m.resolve(7.011, "play.googleapis.com", a=["142.251.167.95"], aaaa=["2607:f8b0:4004:c1b::5f"], ttl=300, tag="dns_play")
    m.quic(t + 0.001, "142.251.167.95", "play.googleapis.com", 0.058, 117, resp=24000, tag="playq")

    # the mail app: IMAPS with IDLE, refreshed after 23 minutes
    t = m.resolve(41.220, "imap.northmail.net", a=[IMAP], aaaa=[], ttl=3600, tag="dns_imap1",
                  soa=("northmail.net", 3600, ("ns1.northmail.net", "hostmaster.northmail.net", 2025040301, 3600, 900, 1209600, 3600)))
    im, t = m.tls13(t + 0.001, IMAP, "imap.northmail.net", 0.071, 51, port=993, profile="okhttp", alpn=("imap",), resp=120, tag="imap1")
    t = im.exchange(t + 0.05, app_rec(rng, 64), app_rec(rng, 180), tag="imap1login")
    t = im.exchange(t + 0.01, app_rec(rng, 40), app_rec(rng, 520), tag="imap1select")
    t = im.exchange(t + 0.01, app_rec(rng, 14), app_rec(rng, 12), tag="imap1idle")
    # a new mail arrives while the mapping is alive (the server speaks first)
    t = im.push_s(399.882, app_rec(rng, 16), tag="imap1exists")
    t = im.exchange(t + 0.02, app_rec(rng, 8), app_rec(rng, 12), tag="imap1done")
    t = im.exchange(t + 0.01, app_rec(rng, 52), app_rec(rng, 6400), tag="imap1fetch")
    t = im.exchange(t + 0.01, app_rec(rng, 14), app_rec(rng, 12), tag="imap1idle2")
    last_imap1 = t

    # user opens Instagram at ~10 min (unrelated)
    t = m.resolve(611.40, "i.instagram.com", a=["157.240.229.174"], aaaa=["2a03:2880:f231:c8:face:b00c:0:43fe"], cnames=["instagram.c10r.instagram.com"], ttl=60, cttl=3600, tag="dns_ig")
    m.tls13(t + 0.001, "157.240.229.174", "i.instagram.com", 0.049, 86, resp=88000, close="client", tag="ig")
    t = m.resolve(613.02, "scontent-iad3-1.cdninstagram.com", a=["157.240.229.60"], aaaa=[], ttl=3600, tag="dns_igcdn",
                  soa=("cdninstagram.com", 3600, ("a.ns.facebook.com", "dns.facebook.com", 1716480000, 14400, 1800, 604800, 300)))
    m.quic(t + 0.001, "157.240.229.60", "scontent-iad3-1.cdninstagram.com", 0.048, 86, resp=240000, tag="igq")

    # 900 s after its last activity the push app sends PINGREQ: the CGNAT no longer knows the flow
    tp = 903.114
    quiet_p1 = p1.tlast
    p1.send_c(tp, app_rec(rng, 2), "push1ping")
    cgnat_rst(p1, tp + 0.0214, "push1rst")
    # MQTT client reconnects at once (DNS TTL 60 s has expired; same answer, same server)
    t = m.resolve(tp + 0.412, "push.chatterbox.im", a=PUSH, aaaa=[], ttl=60,
                  soa=("chatterbox.im", 300, ("ns-331.awsdns-41.com", "awsdns-hostmaster.amazon.com", 1, 7200, 900, 1209600, 86400)), tag="dns_push2")
    p2, t = m.tls13(t + 0.001, PUSH[0], "push.chatterbox.im", 0.069, 48, profile="okhttp", alpn=("mqtt",), resp=0, tag="push2")
    t = p2.bulk(t + p2.owd + 0.01, app_rec(rng, 4), 20e6, None, 1e9, "push2connack")
    t = p2.exchange(t + 0.02, app_rec(rng, 58), app_rec(rng, 7), tag="push2sub")
    t = p2.push_s(t + 0.35, app_rec(rng, 690), tag="push2msg")  # the message the server could not deliver during the idle period
    last_push2 = t

    t = m.resolve(1204.55, "www.youtube.com", a=["142.251.163.93"], aaaa=[], cnames=["youtube-ui.l.google.com"], ttl=300, cttl=86400, tag="dns_yt",
                  soa=("l.google.com", 60, ("ns1.google.com", "dns-admin.google.com", 761290007, 900, 900, 1800, 60)))
    m.quic(t + 0.001, "142.251.163.93", "www.youtube.com", 0.057, 117, resp=180000, tag="ytq")

    # IMAP IDLE refresh after 23 min of silence: "DONE" meets the same CGNAT reset
    ti = last_imap1 + 1380.0
    quiet_im = im.tlast
    im.send_c(ti, app_rec(rng, 6), "imap1done2")
    cgnat_rst(im, ti + 0.0197, "imap1rst")
    t = m.resolve(ti + 1.20, "imap.northmail.net", a=[IMAP], aaaa=[], ttl=3600, rtt=0.0009, tag="dns_imap2",
                  soa=("northmail.net", 3600, ("ns1.northmail.net", "hostmaster.northmail.net", 2025040301, 3600, 900, 1209600, 3600)))
    im2, t = m.tls13(t + 0.001, IMAP, "imap.northmail.net", 0.072, 51, port=993, profile="okhttp", alpn=("imap",), resp=120, tag="imap2")
    t = im2.exchange(t + 0.05, app_rec(rng, 64), app_rec(rng, 180), tag="imap2login")
    t = im2.exchange(t + 0.01, app_rec(rng, 40), app_rec(rng, 520), tag="imap2select")
    t = im2.exchange(t + 0.01, app_rec(rng, 14), app_rec(rng, 12), tag="imap2idle")

    # and the push app's second keepalive, 900 s after the reconnect: same thing again
    tp2 = last_push2 + 900.0
    quiet_p2 = p2.tlast
    p2.send_c(tp2, app_rec(rng, 2), "push2ping")
    cgnat_rst(p2, tp2 + 0.0231, "push2rst")
    t = m.resolve(tp2 + 0.388, "push.chatterbox.im", a=PUSH, aaaa=[], ttl=60,
                  soa=("chatterbox.im", 300, ("ns-331.awsdns-41.com", "awsdns-hostmaster.amazon.com", 1, 7200, 900, 1209600, 86400)), tag="dns_push3")
    p3, t = m.tls13(t + 0.001, PUSH[0], "push.chatterbox.im", 0.068, 48, profile="okhttp", alpn=("mqtt",), resp=0, tag="push3")
    t = p3.bulk(t + p3.owd + 0.01, app_rec(rng, 4), 20e6, None, 1e9, "push3connack")
    t = p3.exchange(t + 0.02, app_rec(rng, 58), app_rec(rng, 7), tag="push3sub")
    mt.exchange(t + 12.5, app_rec(rng, 4), app_rec(rng, 4), think=0.001, tag="mthb_last")

    z = t0_of(cap)
    note = (
        "Android phone on mobile data behind carrier-grade NAT (raw-IP pcap, client 100.91.37.206, ~31 min). Three apps keep long-lived "
        "TLS connections: FCM to mtalk.google.com:5228 with a ~285 s heartbeat (client heartbeat frames %s, never disturbed), a messaging app's MQTT-over-TLS "
        "push connection to push.chatterbox.im:443 with a 900 s keepalive, and a mail app's IMAP IDLE on imap.northmail.net:993 refreshed "
        "after 23 min. The CGNAT's TCP idle timer is shorter than 900 s: when a connection has been silent longer than that, the client's next "
        "segment hits an expired mapping and the CGNAT answers it with a bare RST (flags R only, seq = the client's ACK number, win 0, IP ID 0, "
        "DF clear, TTL %d while the real servers arrive with TTL 48/51/117): push PINGREQ frame %d at t=%.1f s -> RST frame %d 21 ms later "
        "(the connection had been silent since t=%.1f s); IMAP 'DONE' frame %d at t=%.1f s -> RST frame %d (silent since t=%.1f s); second push "
        "PINGREQ frame %d at t=%.1f s -> RST frame %d (silent since t=%.1f s). It looks like a forged RST (TTL 200+ apart from the server's, "
        "IP ID 0 like GFW type I, arriving before the server could answer), but: it only ever follows 15-23 minutes of silence on a connection; "
        "connections active more often (FCM, every 285 s) are never reset; the same RST fingerprint hits two unrelated servers (AWS and the mail "
        "host), i.e. it comes from the local NAT, not from a filter keyed on content; the segments it answers are encrypted 2-6 byte MQTT/IMAP "
        "keepalives, and the SNIs were sent 15-23 minutes earlier on connections that worked; each app reconnects 0.4-1.2 s later to the SAME "
        "server IP and port with the same SNI and succeeds (push SYNs frames %d and %d, IMAP SYN frame %d); after the first push reconnect "
        "the server immediately delivers the message it had queued during the dead period. No residual blocking, no race with server data, no trigger: an ordinary NAT idle timeout "
        "(fingerprints.md §15 trap 1). Expect no finding; an observation about non-server RSTs is fine."
    ) % (",".join(str(fr(cap, f"mthb{i}c")) for i in range(6)), CGNAT_TTL, fr(cap, "push1ping"), rel(cap, "push1ping"), fr(cap, "push1rst"), quiet_p1 - z,
         fr(cap, "imap1done2"), rel(cap, "imap1done2"), fr(cap, "imap1rst"), quiet_im - z,
         fr(cap, "push2ping"), rel(cap, "push2ping"), fr(cap, "push2rst"), quiet_p2 - z,
         fr(cap, "push2syn"), fr(cap, "push3syn"), fr(cap, "imap2syn"))
    expect(fname, note)
    return cap



# ============================================================================
# 3. WireGuard relay whose service is down (ICMP port unreachable), failover to another relay
# ============================================================================


def cap_wireguard():
    fname = "wireguard_relay_down_icmp_failover_sll2.pcap"
    base = epoch(2025, 6, 14, 19, 20, 11)
    ifaces = [
        dict(link="sll2", ifindex=3, cmac=mac("a4:c3:f0:5e:81:2d"), gmac=mac("e8:48:b8:12:9a:40")),
        dict(link="sll2", ifindex=9, hatype=0xFFFE),
    ]
    cap = Cap2(fname, base, ifaces, fmt="pcap")
    L = Ctx2(cap, 2201, cip="192.168.0.105", cip6="2a02:a458:e2b7:1:8d2e:4c51:b0a9:66f3", cos="linux", cttl=64, iface=0,
             resolver="192.168.0.1", rttl=64, dns_rtt=0.0012, edns=1232)
    rng = L.rng
    LAN = "192.168.0.105"

    # ---- before the VPN: time sync, snap refresh check, a Google search over QUIC
    t = L.resolve(0.302, "ntp.ubuntu.com", a=["185.125.190.56", "185.125.190.57", "185.125.190.58", "91.189.91.157"], aaaa=["2620:2d:4000:1::40", "2620:2d:4000:1::41", "2620:2d:4000:1::3f", "2620:2d:4002:1::43"], ttl=300, rtt=0.019, tag="dns_ntp")
    L.ntp(t + 0.0004, "185.125.190.56", 0.034, 52, stratum=2, refid=b"\x11\xfd\x22\x7d")
    t = L.resolve(1.215, "api.snapcraft.io", a=["185.125.188.58", "185.125.188.59", "185.125.188.54"], aaaa=["2620:2d:4000:1::28", "2620:2d:4000:1::26"], ttl=60, rtt=0.021, tag="dns_snap")
    L.tls13(t + 0.0006, "2620:2d:4000:1::28", "api.snapcraft.io", 0.036, 53, profile="chrome", resp=3400, close="server", tag="snap")
    t = L.resolve(2.977, "www.google.com", a=["142.250.179.196"], aaaa=["2a00:1450:400e:80f::2004"], ttl=300, rtt=0.0008, tag="dns_google")
    L.quic(t + 0.0005, "2a00:1450:400e:80f::2004", "www.google.com", 0.012, 118, resp=48000, tag="gq", close_after=1.37)

    # ---- the VPN app: fetch the relay list, then bring up the tunnel
    t = L.resolve(5.204, "api.mistvpn.net", a=["45.83.223.196"], aaaa=["2a03:1b20:1:f011::a01f"], ttl=300, rtt=0.024, tag="dns_api")
    L.tls13(t + 0.0005, "2a03:1b20:1:f011::a01f", "api.mistvpn.net", 0.029, 55, profile="chrome", alpn=("h2",), resp=41000, close="client", tag="api")

    WGPORT = 51820 + 0  # the relays listen on 51820
    LPORT = 43817       # the client's wg listen port (random at interface creation)
    RA, RB = "146.70.116.34", "185.204.1.211"
    out_id = [rng.randrange(65536)]

    def wg_out(tt, dst, payload, tag=None):
        ip = IP(src=LAN, dst=dst, ttl=64, id=out_id[0], flags=0) / UDP(sport=LPORT, dport=WGPORT) / Raw(payload)
        out_id[0] = (out_id[0] + 1) & 0xFFFF
        cap.add(tt, ip, True, 0, tag)
        return ip

    # relay A: every handshake initiation is answered by the relay host's kernel with ICMP port unreachable
    a_hops = 13
    a_id = rng.randrange(65536)
    ta = 6.944
    for i in range(3):
        sender = rng.getrandbits(32)
        ip = wg_out(ta, RA, wg_init(rng, sender), tag=f"wgA{i}")
        quoted = IP(raw(ip))
        quoted.ttl = 64 - a_hops
        del quoted.chksum
        q = raw(quoted)
        icmp = IP(src=RA, dst=LAN, ttl=64 - a_hops - 1, id=a_id, flags=0) / ICMP(type=3, code=3) / Raw(q)
        a_id = (a_id + rng.randrange(1, 40)) & 0xFFFF
        cap.add(ta + 0.0362 + rng.uniform(-0.0008, 0.0012), icmp, False, 0, f"icmpA{i}")
        ta += 5.0 + rng.uniform(0.01, 0.33)  # REKEY_TIMEOUT + jitter

    # the daemon gives up on relay A after its 15 s connect timeout and picks relay B
    tb = 21.906
    s_idx, r_idx = rng.getrandbits(32), rng.getrandbits(32)
    wg_out(tb, RB, wg_init(rng, s_idx), tag="wgBinit")
    b_rtt = 0.0412
    b_id = [rng.randrange(65536)]

    def wg_in(tt, payload, tag=None):
        ip = IP(src=RB, dst=LAN, ttl=49, id=b_id[0], flags=0) / UDP(sport=WGPORT, dport=LPORT) / Raw(payload)
        b_id[0] = (b_id[0] + 1) & 0xFFFF
        cap.add(tt, ip, False, 0, tag)

    wg_in(tb + b_rtt, wg_resp(rng, r_idx, s_idx), tag="wgBresp")
    t_up = tb + b_rtt + 0.0003

    # ---- traffic inside the tunnel (wg0-mistvpn, seen decrypted by `tcpdump -i any`)
    T = Ctx2(cap, 2202, cip="10.66.213.47", cos="linux", cttl=64, iface=1, resolver="10.64.0.1", rttl=64, dns_rtt=b_rtt + 0.0015, mss4=1380, edns=1232)
    t = T.resolve(t_up + 0.0006, "am.i.mistvpn.net", a=["45.83.223.209"], aaaa=[], ttl=60,
                  soa=("mistvpn.net", 300, ("ns1.mistvpn.net", "hostmaster.mistvpn.net", 2025061101, 3600, 600, 1209600, 300)), tag="in_dns_ami")
    T.tls13(t + 0.0004, "45.83.223.209", "am.i.mistvpn.net", b_rtt + 0.0041, 57, profile="chrome", alpn=("h2",), resp=520, close="client", tag="in_ami")
    t = T.resolve(24.310, "www.bbc.com", a=["151.101.0.81", "151.101.64.81", "151.101.128.81", "151.101.192.81"], aaaa=[], cnames=["www.bbc.com.pri.bbc.com", "uk.www.bbc.co.uk.pri.bbc.co.uk", "bbc.map.fastly.net"], ttl=30, cttl=60, tag="in_dns_bbc",
                  soa=("fastly.net", 30, ("ns1.fastly.net", "hostmaster.fastly.com", 2017052201, 3600, 600, 604800, 30)))
    T.tls13(t + 0.0004, "151.101.0.81", "www.bbc.com", b_rtt + 0.0018, 58, profile="chrome", resp=180000, tag="in_bbc")
    t = T.resolve(29.844, "github.com", a=["140.82.121.4"], aaaa=[], ttl=60, tag="in_dns_gh",
                  soa=("github.com", 900, ("dns1.p08.nsone.net", "hostmaster.nsone.net", 1656468023, 43200, 7200, 1209600, 3600)))
    T.tls13(t + 0.0004, "140.82.121.4", "github.com", b_rtt + 0.0052, 55, profile="chrome", resp=96000, tag="in_gh")
    t = T.resolve(41.527, "www.youtube.com", a=["142.250.179.174"], aaaa=[], cnames=["youtube-ui.l.google.com"], ttl=300, cttl=86400, tag="in_dns_yt",
                  soa=("l.google.com", 60, ("ns1.google.com", "dns-admin.google.com", 772113418, 900, 900, 1800, 60)))
    T.quic(t + 0.0004, "142.250.179.174", "www.youtube.com", b_rtt + 0.0022, 118, resp=310000, tag="in_ytq")

    # every inner packet is one WireGuard transport message on the Wi-Fi interface
    inner = sorted((r for r in cap.recs if r[2] == 1), key=lambda r: (r[0], r[1]))
    c_out, c_in = 0, 0
    for tns, _, _, b, _tg in inner:
        tt = tns / 1e9 - base
        n = len(b) - 20
        if b[10] == 4:
            wg_out(tt + rng.uniform(0.000015, 0.00004), RB, wg_data(rng, r_idx, c_out, n))
            c_out += 1
        else:
            wg_in(tt - rng.uniform(0.00002, 0.00005), wg_data(rng, s_idx, c_in, n))
            c_in += 1
    # persistent keepalive (25 s) once the tunnel goes quiet
    last = max(r[0] for r in inner) / 1e9 - base
    wg_out(last + 25.0, RB, wg_data(rng, r_idx, c_out, 0), tag="wgBka")

    note = (
        "Ubuntu laptop, `tcpdump -i any` (SLL2, Wi-Fi interface ifindex 3 plus the WireGuard interface ifindex 9 with its decrypted inner "
        "packets). Before the VPN, NTP, snap and Google QUIC work. The VPN app fetches its relay list from api.mistvpn.net (TLS, frames from %d) "
        "and sends WireGuard handshake initiations (148 bytes, UDP 51820) to relay %s: frames %s at t=%.1f/%.1f/%.1f s (WireGuard's 5 s "
        "REKEY_TIMEOUT). None gets a handshake response, which resembles a blackholed VPN protocol/endpoint, but each one is answered %d-%d ms "
        "later by ICMP destination unreachable / PORT unreachable from %s itself (frames %s; outer TTL %d, quoted datagram intact with TTL %d as it "
        "reached the host): the relay host is up and reachable, and nothing listens on 51820 (its WireGuard service is down). After its 15 s connect "
        "timeout the daemon picks relay %s: same client, same listen port, same 148-byte initiation (frame %d) -> handshake response 41 ms later "
        "(frame %d) -> transport data for the rest of the capture (%d WireGuard data messages, each mirroring a decrypted packet on the tunnel "
        "interface: DNS via 10.64.0.1, HTTPS to am.i.mistvpn.net, www.bbc.com, github.com and QUIC to YouTube all complete), ending with a 32-byte "
        "keepalive. No plaintext trigger was ever sent to relay A (no DNS name, no SNI), the protocol demonstrably works to relay B, and the "
        "failure to A is announced by the host's own ICMP rather than silence: no blackhole, no rst-injection. Expect no finding (an observation "
        "about the unreachable UDP port is fine)."
    ) % (fr(cap, "apisyn"), RA, frl(cap, "wgA"), rel(cap, "wgA0"), rel(cap, "wgA1"), rel(cap, "wgA2"), 35, 38, RA, frl(cap, "icmpA"),
         64 - a_hops - 1, 64 - a_hops, RB, fr(cap, "wgBinit"), fr(cap, "wgBresp"), c_out + c_in)
    expect(fname, note)
    return cap



# ============================================================================
# 4. Android Private DNS ("Automatic") probing DoT on the network's resolvers, falling back
# ============================================================================


def cap_private_dns():
    fname = "android_private_dns_dot_probe_fallback_eth.pcapng"
    base = epoch(2025, 9, 2, 17, 41, 27)
    PH, RT = mac("ae:4f:93:1b:60:2c"), mac("94:83:c4:2e:11:f0")
    ifaces = [dict(link="eth", name="eth0", cmac=PH, gmac=RT, tsresol=9, os="Linux 6.6.51+rpt-rpi-v8")]
    cap = Cap2(fname, base, ifaces, fmt="pcapng", shb=dict(hw="Raspberry Pi 4 Model B Rev 1.5", os="Linux 6.6.51+rpt-rpi-v8", app="Dumpcap (Wireshark) 4.0.17"))
    ROUTER, ROUTER_LL = "192.168.1.1", "fe80::9683:c4ff:fe2e:11f0"
    PHONE, PHONE_LL = "192.168.1.157", "fe80::ac4f:93ff:fe1b:602c"
    PHONE6 = "2a02:8109:b6c0:3e00:9d1c:33a7:51e2:8c04"
    ISP1, ISP2 = "2a02:810d:0:1::53", "2a02:810d:0:2::53"
    P = Ctx2(cap, 2301, cip=PHONE, cip6=PHONE6, cos="linux", cttl=64, resolver=ROUTER, resolver6=ISP1, rttl=64, dns_rtt=0.0009)
    rng = P.rng
    BC, MC1, MC2 = mac("ff:ff:ff:ff:ff:ff"), mac("33:33:00:00:00:01"), mac("33:33:00:00:00:02")
    chaddr = PH + b"\0" * 10
    xid = rng.getrandbits(32)
    prl = [1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108]

    # ---- joining the Wi-Fi: DHCPv4 and router advertisement (RDNSS = the ISP's two resolvers)
    def dhcp(t, out, ip_src, ip_dst, opts, yiaddr="0.0.0.0", dmac=None, tag=None):
        b = BOOTP(op=1 if out else 2, xid=xid, chaddr=chaddr, yiaddr=yiaddr, siaddr="0.0.0.0", flags=0)
        pkt = IP(src=ip_src, dst=ip_dst, ttl=64, id=0 if out else rng.randrange(65536), flags="DF" if not out else 0) / UDP(sport=68 if out else 67, dport=67 if out else 68) / b / DHCP(options=opts)
        cap.add(t, pkt, out, 0, tag, dmac=dmac)

    dhcp(0.000, True, "0.0.0.0", "255.255.255.255", [("message-type", "discover"), ("client_id", b"\x01" + PH), ("max_dhcp_size", 1500), ("vendor_class_id", b"android-dhcp-14"), ("param_req_list", prl), "end"], dmac=BC, tag="dhcpdisc")
    common = [("server_id", ROUTER), ("lease_time", 43200), ("renewal_time", 21600), ("rebinding_time", 37800), ("subnet_mask", "255.255.255.0"),
              ("broadcast_address", "192.168.1.255"), ("router", ROUTER), ("name_server", ROUTER), ("domain", b"lan"), "end"]
    dhcp(0.00321, False, ROUTER, PHONE, [("message-type", "offer")] + common, yiaddr=PHONE, tag="dhcpoffer")
    dhcp(0.01044, True, "0.0.0.0", "255.255.255.255", [("message-type", "request"), ("client_id", b"\x01" + PH), ("requested_addr", PHONE), ("server_id", ROUTER), ("max_dhcp_size", 1500), ("vendor_class_id", b"android-dhcp-14"), ("param_req_list", prl), "end"], dmac=BC, tag="dhcpreq")
    dhcp(0.01297, False, ROUTER, PHONE, [("message-type", "ack")] + common, yiaddr=PHONE, tag="dhcpack")
    cap.add(0.02115, IPv6(src=PHONE_LL, dst="ff02::2", hlim=255) / ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr="ae:4f:93:1b:60:2c"), True, 0, "rs", dmac=MC2)
    ra = (IPv6(src=ROUTER_LL, dst="ff02::1", hlim=255) / ICMPv6ND_RA(chlim=64, M=0, O=0, routerlifetime=1800)
          / ICMPv6NDOptSrcLLAddr(lladdr="94:83:c4:2e:11:f0") / ICMPv6NDOptMTU(mtu=1500)
          / ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1, validlifetime=86400, preferredlifetime=14400, prefix="2a02:8109:b6c0:3e00::")
          / ICMPv6NDOptRDNSS(lifetime=1800, dns=[ISP1, ISP2]))
    cap.add(0.02342, ra, False, 0, "ra", dmac=MC1)

    # ---- network validation (plaintext DNS on both kinds of resolver, HTTP 204 probe, HTTPS probe)
    t = P.resolve(0.412, "connectivitycheck.gstatic.com", a=["142.250.185.67"], aaaa=["2a00:1450:4001:82b::2003"], ttl=300, server=ISP1, rtt=0.0121, rttl=59, same_sock=False, tag="dns_cc")
    req = (b"GET /generate_204 HTTP/1.1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.32 Safari/537.36\r\n"
           b"Host: connectivitycheck.gstatic.com\r\nConnection: Keep-Alive\r\nAccept-Encoding: gzip\r\n\r\n")
    resp = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nCross-Origin-Resource-Policy: cross-origin\r\nDate: Tue, 02 Sep 2025 17:41:27 GMT\r\n\r\n"
    P.http_raw(t + 0.0004, "2a00:1450:4001:82b::2003", req, resp, 0.0143, 117, tag="cc204", close="client")
    t = P.resolve(0.4135, "www.google.com", a=["142.250.186.36"], aaaa=["2a00:1450:4001:813::2004"], ttl=300, server=ROUTER, rtt=0.0132, same_sock=False, tag="dns_g")
    P.tls13(t + 0.0005, "2a00:1450:4001:813::2004", "www.google.com", 0.0141, 117, profile="okhttp", alpn=("http/1.1",), resp=900, close="client", tag="g204")

    # ---- Private DNS "Automatic": try DNS-over-TLS on each network-provided resolver
    dot_r = Flow2(P, ROUTER, 853, 0.00031, 64)
    dot_r.refused(0.4791, tag="dotR")
    dot_1 = Flow2(P, ISP1, 853, 0.012, 59)
    dot_1.syn_timeout(0.4798, backoff=(1.0, 3.0, 7.0, 15.0, 31.0, 63.0), tag="dot1")
    dot_2 = Flow2(P, ISP2, 853, 0.012, 59)
    dot_2.syn_timeout(0.4803, backoff=(1.0, 3.0, 7.0, 15.0, 31.0, 63.0), tag="dot2")

    # ---- meanwhile, apps use plaintext DNS (answered by the same ISP resolvers) and work
    t = P.ntp(0.930, "216.239.35.8", 0.0154, 118, stratum=1, refid=b"GOOG")
    t = P.resolve(1.204, "android.clients.google.com", a=["142.250.185.78"], aaaa=["2a00:1450:4001:80e::200e"], cnames=["android.l.google.com"], ttl=300, cttl=86400, server=ISP1, rtt=0.0118, rttl=59, same_sock=False, tag="dns_checkin")
    P.tls13(t + 0.0005, "2a00:1450:4001:80e::200e", "android.clients.google.com", 0.0139, 117, profile="okhttp", resp=2600, tag="checkin")
    t = P.resolve(1.911, "mtalk.google.com", a=["142.250.102.188"], aaaa=["2a00:1450:400c:c0b::bc"], cnames=["mobile-gtalk.l.google.com"], ttl=300, cttl=86400, server=ISP2, rtt=0.0124, rttl=59, same_sock=False, tag="dns_mtalk")
    P.tls13(t + 0.0005, "2a00:1450:400c:c0b::bc", "mtalk.google.com", 0.0211, 117, port=5228, profile="okhttp", resp=800, tag="mtalk")
    t = P.resolve(3.602, "i.instagram.com", a=["157.240.0.63"], aaaa=["2a03:2880:f222:c6:face:b00c:0:4420"], cnames=["instagram.c10r.instagram.com"], ttl=60, cttl=3600, server=ISP1, rtt=0.0131, rttl=59, same_sock=False, tag="dns_ig")
    P.quic(t + 0.0005, "2a03:2880:f222:c6:face:b00c:0:4420", "i.instagram.com", 0.0162, 53, resp=74000, tag="igq")
    t = P.resolve(5.877, "spclient.wg.spotify.com", a=["35.186.224.24"], aaaa=[], cnames=["edge-web.dual-gslb.spotify.com"], ttl=120, cttl=300, server=ROUTER, rtt=0.0144, same_sock=False, tag="dns_spot",
                  soa=("dual-gslb.spotify.com", 120, ("ns1.p23.dynect.net", "hostmaster.spotify.com", 2024121101, 3600, 600, 604800, 120)))
    P.tls13(t + 0.0005, "35.186.224.24", "spclient.wg.spotify.com", 0.0171, 116, profile="okhttp", alpn=("h2",), resp=31000, tag="spot")
    t = P.resolve(9.341, "api.weather.com", a=["23.38.169.25"], aaaa=["2a02:26f0:dc00:18c::1d1d"], cnames=["api.weather.com.edgekey.net", "e7856.dscg.akamaiedge.net"], ttl=20, cttl=300, server=ISP2, rtt=0.0122, rttl=59, same_sock=False, tag="dns_wx")
    P.tls13(t + 0.0005, "2a02:26f0:dc00:18c::1d1d", "api.weather.com", 0.0097, 57, profile="okhttp", resp=5200, close="server", tag="wx")
    t = P.resolve(22.63, "www.reddit.com", a=["151.101.1.140"], aaaa=["2a04:4e42::396"], cnames=["reddit.map.fastly.net"], ttl=30, cttl=300, server=ISP1, rtt=0.0129, rttl=59, same_sock=False, tag="dns_rd")
    P.tls13(t + 0.0005, "2a04:4e42::396", "www.reddit.com", 0.0118, 58, profile="chrome", resp=140000, tag="rd")
    t = P.resolve(47.18, "graph.facebook.com", a=["157.240.0.18"], aaaa=["2a03:2880:f122:83:face:b00c:0:25de"], cnames=["star.c10r.facebook.com"], ttl=60, cttl=3600, server=ISP2, rtt=0.0127, rttl=59, same_sock=False, tag="dns_fb")
    P.tls13(t + 0.0005, "2a03:2880:f122:83:face:b00c:0:25de", "graph.facebook.com", 0.0160, 53, profile="okhttp", resp=3300, tag="fb")
    t = P.resolve(63.05, "www.googleapis.com", a=["142.250.186.74"], aaaa=["2a00:1450:4001:827::200a"], ttl=300, server=ISP1, rtt=0.0124, rttl=59, same_sock=False, tag="dns_gapi")
    P.quic(t + 0.0005, "2a00:1450:4001:827::200a", "www.googleapis.com", 0.0142, 117, resp=9000, tag="gapiq", close_after=8.0)

    note = (
        "Android 14 phone joining a home Wi-Fi, captured on a mirror port (pcapng, Ethernet). DHCPv4 (frames %d-%d) gives DNS = the router "
        "192.168.1.1; the router advertisement (frame %d) carries RDNSS = the ISP's resolvers %s and %s. Private DNS is in its default "
        "'Automatic' (opportunistic) mode, so Android tries DNS-over-TLS on port 853 of every network-provided resolver and silently uses "
        "plaintext if that fails: the router's kernel refuses (SYN frame %d -> RST+ACK frame %d 0.3 ms later, TTL 64 like all of the router's "
        "own packets, IP ID 0, win 0: closed port), and the ISP's resolvers do not offer DoT, their firewall drops it: SYN frames %s (to %s) and %s "
        "(to %s), retransmitted at 1/3/7/15/31/63 s, never answered. This resembles DoT endpoint blocking (fingerprints.md PF-03) and an "
        "RST-to-SYN on a DNS port, but: the targets are the resolvers the network itself assigned (DHCP option 6 and RA RDNSS, in the capture), "
        "not a third-party DoT service; no TLS ClientHello or SNI is ever sent (no connection is established); the same ISP resolvers answer "
        "every plaintext UDP/53 query before, during and after the probes in ~12 ms with TTL 59 (e.g. frames %s and %s), and the router answers "
        "its UDP/53 queries; Android's connectivity probe gets its 'HTTP/1.1 204 No Content' (frame %d) and every app flow (HTTPS, QUIC, "
        "FCM, NTP) succeeds. A resolver that does not run a DoT service is not interference. Expect no finding (observations about the "
        "unanswered port-853 SYNs are fine)."
    ) % (fr(cap, "dhcpdisc"), fr(cap, "dhcpack"), fr(cap, "ra"), ISP1, ISP2, fr(cap, "dotRsyn"), fr(cap, "dotRrst"),
         ",".join(str(x) for x in [fr(cap, "dot1syn")] + cap.frames("dot1synrtx")), ISP1,
         ",".join(str(x) for x in [fr(cap, "dot2syn")] + cap.frames("dot2synrtx")), ISP2,
         frl(cap, "dns_rdr"), frl(cap, "dns_gapir"), fr(cap, "cc204respdata"))
    expect(fname, note)
    return cap



# ============================================================================
# 5. fully encrypted protocols (Shadowsocks, MTProto, a game) and a proxy's idle timeout
# ============================================================================


def ss_stream(rng, sizes, salt=True):
    """Shadowsocks AEAD byte stream: [salt] + per chunk (2+16 encrypted length, payload+16)."""
    out = bytearray(rng.randbytes(32) if salt else b"")
    for n in sizes:
        while n > 0:
            k = min(n, 0x3FFF)
            out += rng.randbytes(2 + 16 + k + 16)
            n -= k
    return bytes(out)


def obfuscated2_init(rng):
    bad = (b"HEAD", b"POST", b"GET ", b"OPTI", b"\xdd" * 4, b"\xee" * 4, b"\x16\x03\x01\x02")
    while True:
        b = rng.randbytes(64)
        if b[0] != 0xEF and b[:4] not in bad and b[4:8] != b"\0" * 4:
            return b


def cap_fet():
    fname = "fet_shadowsocks_mtproto_game_idle_close_eth_be.pcap"
    base = epoch(2025, 10, 18, 20, 3, 44)
    ifaces = [dict(link="eth", cmac=mac("d8:bb:c1:4a:77:0e"), gmac=mac("c8:0e:14:9b:53:21"))]
    cap = Cap2(fname, base, ifaces, fmt="pcap", endian=">", nsec=True)
    W = Ctx2(cap, 2401, cip="192.168.2.34", cos="win", cttl=128, resolver="192.168.2.1", rttl=64, dns_rtt=0.0011)
    rng = W.rng
    VPS, SSP = "5.75.200.93", 8388
    TG_DC2, TG_MEDIA = "149.154.167.51", "149.154.167.222"
    GAME = "185.50.104.37"

    t = W.ntp(0.213, "51.145.123.29", 0.0221, 108, stratum=3, refid=b"\x19\x42\xe6\x01")
    t = W.resolve(0.604, "settings-win.data.microsoft.com", a=["20.42.65.92"], aaaa=[], cnames=["atm-settingsfe-prod-geo2.trafficmanager.net", "settings-prod-weu-1.westeurope.cloudapp.azure.com"], ttl=60, cttl=300, rtt=0.021, same_sock=False, tag="dns_ms",
                  soa=("westeurope.cloudapp.azure.com", 60, ("ns1-201.azure-dns.com", "msnhst.microsoft.com", 10001, 900, 300, 604800, 60)))
    W.tls13(t + 0.0004, "20.42.65.92", "settings-win.data.microsoft.com", 0.0238, 108, sos="nots", profile="chrome", alpn=("http/1.1",), resp=4100, close="server", tag="ms")

    # ---- Telegram Desktop: MTProto with obfuscated2 framing on TCP/443 (no TLS at all)
    tg = Flow2(W, TG_DC2, 443, 0.0348, 54)
    t = tg.handshake(0.812, "tg")
    t = tg.exchange(t + 0.0009, obfuscated2_init(rng) + rng.randbytes(180), rng.randbytes(412), think=0.004, tag="tg1")
    t = tg.exchange(t + 0.012, rng.randbytes(348), rng.randbytes(2876), think=0.006, tag="tg2")
    for i, tp in enumerate((61.4, 121.9, 182.3, 242.8, 303.1)):
        tg.exchange(tp, rng.randbytes(88), rng.randbytes(104), think=0.002, tag=f"tgping{i}")
    tgm = Flow2(W, TG_MEDIA, 443, 0.0351, 54)
    t = tgm.handshake(1.604, "tgm")
    t = tgm.exchange(t + 0.0008, obfuscated2_init(rng) + rng.randbytes(124), rng.randbytes(96), think=0.004, tag="tgm1")
    t = tgm.exchange(t + 0.010, rng.randbytes(156), rng.randbytes(148000), think=0.011, tag="tgm2")

    # ---- a multiplayer game: its own encrypted UDP protocol, 10 Hz both ways
    gport = W.port()
    gid_c = [rng.randrange(65536)]
    tok_c, tok_s = b"\x3c" + rng.randbytes(3), b"\x3d" + rng.randbytes(3)  # per-session connection tokens, then ciphertext
    tt = 2.211
    for i in range(260):
        W.udp(tt, W.cip, GAME, gport, 7777, rng.randbytes(64) if i == 0 else tok_c + rng.randbytes(rng.randrange(38, 136)), True, 128, ipid=W.ipid(None), df=False, tag="gamec0" if i == 0 else None)
        W.udp(tt + 0.0291 + rng.uniform(0, 0.004), GAME, W.cip, 7777, gport, tok_s + rng.randbytes(92 if i == 0 else rng.randrange(56, 416)), False, 117, ipid=gid_c[0], df=False, tag="games0" if i == 0 else None)
        gid_c[0] = (gid_c[0] + 1) & 0xFFFF
        tt += 0.1 + rng.uniform(-0.004, 0.004)

    # ---- Shadowsocks (AEAD) to the user's own VPS: one TCP connection per proxied connection
    def ss_conn(t, tag, c_first, s_first, later=(), close=True):
        fl = Flow2(W, VPS, SSP, 0.0298, 51)
        t = fl.handshake(t, tag)
        t = fl.exchange(t + 0.0008, ss_stream(rng, [7, c_first]), ss_stream(rng, s_first), think=0.031, tag=tag + "x0")
        for j, (cn, sn) in enumerate(later):
            t = fl.exchange(t + rng.uniform(0.003, 0.2), ss_stream(rng, [cn], salt=False), ss_stream(rng, sn, salt=False), think=0.028, tag=f"{tag}x{j + 1}")
        if close:
            t = fl.close_client(t + rng.uniform(0.2, 2.0), alert=False)
        return fl, t

    ss_conn(3.104, "ss1", 517, [5400], later=[(126, [330, 16384, 16384, 16384, 9000])])
    ss2, t = ss_conn(3.288, "ss2", 517, [4300], later=[(410, [2200]), (96, [780])], close=False)
    ss2_quiet = ss2.tlast
    t = W.resolve(40.125, "gateway.discord.gg", a=["162.159.135.234", "162.159.133.234", "162.159.130.234"], aaaa=[], ttl=300, rtt=0.0009, same_sock=False, tag="dns_dc",
                  soa=("discord.gg", 1800, ("gabe.ns.cloudflare.com", "dns.cloudflare.com", 2386201931, 10000, 2400, 604800, 1800)))
    W.tls13(t + 0.0004, "162.159.135.234", "gateway.discord.gg", 0.0112, 57, profile="chrome", alpn=("http/1.1",), resp=6100, tag="discord")
    ss_conn(118.42, "ss3", 517, [5100], later=[(188, [61000])])
    t = W.resolve(150.8, "www.google.com", a=["142.250.185.100"], aaaa=[], ttl=300, rtt=0.0009, same_sock=False, tag="dns_g",
                  soa=("google.com", 60, ("ns1.google.com", "dns-admin.google.com", 830153187, 900, 900, 1800, 60)))
    W.quic(t + 0.0004, "142.250.185.100", "www.google.com", 0.0121, 117, resp=52000, tag="gq")
    t = W.resolve(201.3, "api.steampowered.com", a=["23.62.230.78"], aaaa=[], cnames=["api.steampowered.com.edgekey.net", "e3781.b.akamaiedge.net"], ttl=20, cttl=300, rtt=0.018, same_sock=False, tag="dns_steam",
                  soa=("akamaiedge.net", 180, ("n0b.akamaiedge.net", "hostmaster.akamai.com", 1729262604, 1000, 1000, 1000, 1800)))
    W.tls13(t + 0.0004, "23.62.230.78", "api.steampowered.com", 0.0094, 57, profile="chrome", alpn=("http/1.1",), resp=8800, close="server", tag="steam")

    # ---- ss-server's 300 s idle timeout closes ss2 (server FIN, in sequence, server TTL)
    t_fin = ss2_quiet + 300.0 + ss2.owd + 0.0007
    ss2.s(t_fin, "FA", tag="ss2fin")
    ss2.c_rcv = ss2.snxt
    ss2.c(t_fin + 0.00009, "A", tag="ss2finack")
    # the proxied application (an IM client pooling its connection through the local SOCKS proxy)
    # only notices when it writes again: the data reaches a socket the server has closed
    t_w = t_fin + 41.337
    ss2.send_c(t_w, ss_stream(rng, [152], salt=False), "ss2late")
    rst_seq = ss2.snxt
    ip = mk_ip(VPS, W.cip, 51, 0, True)
    cap.add(t_w + ss2.rtt, ip / TCP(sport=SSP, dport=ss2.sport, seq=rst_seq & 0xFFFFFFFF, flags="R", window=0), False, 0, "ss2rst")
    # and reconnects through the proxy right away: same VPS, same port, works
    ss_conn(t_w + ss2.rtt + 0.0061, "ss4", 517, [5300], later=[(214, [38000])])

    cap.renumber_ipid(W.cip, rng.randrange(1, 60000), rng)
    note = (
        "Windows 11 PC on a home LAN (Ethernet, big-endian nanosecond pcap; client TTL 128, no TCP timestamps, global IP ID counter). "
        "Three applications use fully encrypted protocols whose first client packet has no recognisable header (high entropy, no TLS/HTTP "
        "prefix), the pattern the GFW's 2021-2023 fully-encrypted-traffic filter and Iran's protocol filter looked for "
        "(fingerprints.md PF-01/PF-02): Telegram Desktop's MTProto 'obfuscated2' framing on TCP/443 to %s and %s (first segments frames %d "
        "and %d: 64-byte random init + payload, no TLS), a game's UDP protocol to %s:7777 (frame %d onwards, 10 Hz both ways for 26 s), and "
        "Shadowsocks AEAD to the user's own VPS %s:%d (salt + encrypted chunks). Every one of them is answered normally (server replies "
        "%d-%d ms later with the servers' own TTLs 54/117/51, bulk downloads complete). The suspicious-looking event: Shadowsocks connection "
        "ss2 (SYN frame %d) goes idle after t=%.1f s; exactly 300 s later the server closes it with an in-sequence FIN (frame %d, TTL 51 like "
        "all its packets: ss-server's idle timeout), the client ACKs it (frame %d), 41 s later the proxied app writes again (frame %d) and "
        "the server's kernel answers with a bare RST (frame %d: seq = FIN+1 = the server's next sequence number, win 0, IP ID 0 with DF as "
        "Linux sends for closed sockets, TTL 51 = the server's, one RTT after the data). A careless tool sees 'high-entropy first packet' + "
        "'RST with IP ID 0 from the server' and reports FET blocking or RST injection, but the RST is the server's own stack answering data "
        "for a connection it had closed by FIN 41 s earlier, and a new Shadowsocks connection to the same IP and port (SYN frame %d, 6 ms after the "
        "RST) is established one RTT later and transfers 38 KB; connections ss1 (frame %d) and ss3 (frame %d) to the same port worked before. No "
        "residual blocking, no race, no injected packet. Expect no finding."
    ) % (TG_DC2, TG_MEDIA, fr(cap, "tg1c"), fr(cap, "tgm1c"), GAME, fr(cap, "gamec0"), VPS, SSP, 29, 36,
         fr(cap, "ss2syn"), ss2_quiet - t0_of(cap), fr(cap, "ss2fin"), fr(cap, "ss2finack"), fr(cap, "ss2late"), fr(cap, "ss2rst"),
         fr(cap, "ss4syn"), fr(cap, "ss1syn"), fr(cap, "ss3syn"))
    expect(fname, note)
    return cap



# ============================================================================
# 6. smart TV: a decommissioned cloud (NXDOMAIN, dead hard-coded IP) and a geo-restricted CDN path
# ============================================================================


def httpdate(ts):
    return datetime.datetime.fromtimestamp(int(ts), tz=datetime.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def akamai_403(url, ref):
    def ent(x):
        return "".join(c if c.isalnum() else "&#%d;" % ord(c) for c in x)
    return ("<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \n"
            f"You don't have permission to access \"{ent(url)}\" on this server.<P>\n"
            f"Reference&#32;&#35;{ent(ref)}\n"
            f"<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;{ent(ref)}</P>\n</BODY>\n</HTML>\n").encode()


def cap_smart_tv():
    fname = "smart_tv_dead_cloud_nxdomain_akamai_geo403_vlan.pcapng"
    base = epoch(2025, 11, 7, 18, 30, 12)
    ifaces = [dict(link="vlan", vlan=30, pcp=0, name="igb1", cmac=mac("70:2a:d5:3b:9c:14"), gmac=mac("00:0d:b9:5e:21:a7"), tsresol=6, os="FreeBSD 14.1-RELEASE-p6")]
    cap = Cap2(fname, base, ifaces, fmt="pcapng", shb=dict(hw="amd64", os="FreeBSD 14.1-RELEASE-p6", app="Dumpcap (Wireshark) 4.2.6"))
    TV = Ctx2(cap, 2501, cip="192.168.30.41", cos="linux", cttl=64, resolver="192.168.30.1", rttl=64, dns_rtt=0.0004)
    rng = TV.rng
    OLD = "epg.veltron-smarthub.com"
    SOA = ("veltron-smarthub.com", ("ns-1536.awsdns-00.co.uk", "awsdns-hostmaster.amazon.com", 1, 7200, 900, 1209600, 86400))
    DEAD_IP = "52.28.117.201"
    EDGE = ["2.16.186.74", "2.16.186.88"]
    UA = "Veltron-FOTA/3.2 (VT55UQ8000US; T-KTM2U-1290.5; Linux 4.19)"

    # time and the vendor's current cloud (works)
    t = TV.dns(0.118, "pool.ntp.org", [("A", 0x8180, chain2("pool.ntp.org", [], ["162.159.200.123", "185.232.69.65", "5.9.80.114", "94.130.184.193"], 130, 130), [])], rtt=0.027, tag="dns_ntp")
    TV.ntp(t + 0.0003, "185.232.69.65", 0.0153, 55, stratum=2, refid=b"\xc0\x35\x67\x6c")
    t = TV.dns(0.905, "api.veltron-cloud.com", [("A", 0x8180, chain2("api.veltron-cloud.com", ["d2x8k3p1q7vz5e.cloudfront.net"], ["18.66.196.34", "18.66.196.61", "18.66.196.104", "18.66.196.118"], 300, 60), [])], rtt=0.031, tag="dns_cloud")
    TV.tls13(t + 0.0004, "18.66.196.34", "api.veltron-cloud.com", 0.0114, 246, profile="okhttp", alpn=("http/1.1",), resp=3800, close="client", tag="cloud")

    # the retired EPG widget backend: NXDOMAIN (Route 53 SOA), retried every 60 s; later answers come
    # from the resolver's negative cache with the SOA TTL counting down
    first = None
    for i in range(5):
        tq = 2.104 + 60.0 * i + rng.uniform(-0.05, 0.05)
        if first is None:
            first = tq
        age = int(tq - first)
        auth = [(SOA[0], "SOA", 900 - age, SOA[1])]
        ta = TV.dns(tq, OLD, [("A", 0x8183, [], auth)], rtt=0.0382 if i == 0 else 0.00031, tag=f"nx{i}")
        if i == 0:
            nx_first_ms = (ta - tq) * 1000

    # the retired diagnostics uploader: a hard-coded address (no DNS), nobody answers any more
    for i, td in enumerate((3.517, 127.9)):
        Flow2(TV, DEAD_IP, 443, 0.03, 50).syn_timeout(td, backoff=(1.0, 3.0, 7.0, 15.0, 31.0), tag=f"dead{i}")

    # the firmware-update check: plain HTTP to the vendor's Akamai hostname. This US-model set is used in
    # Germany; the US catalogue path is restricted to US clients, the app catalogue on the same host is not.
    def fota(t, path, tag, status, body, ctype, extra=()):
        req = (f"GET {path} HTTP/1.1\r\nHost: fota.veltron-cdn.com\r\nUser-Agent: {UA}\r\nAccept: application/json\r\n"
               f"X-Device-Id: 9c14-70d53b2a\r\nConnection: close\r\n\r\n").encode()
        ts = base + t + 0.02
        hdr = [("Server", "AkamaiGHost"), ("Mime-Version", "1.0"), ("Content-Type", ctype), ("Content-Length", str(len(body))),
               ("Expires", httpdate(ts)), ("Date", httpdate(ts))] if status.startswith("403") else \
              [("Content-Type", ctype), ("Content-Length", str(len(body))), ("Last-Modified", "Wed, 29 Oct 2025 09:14:51 GMT"), ("ETag", '"6f1c2a-4e1-6421a93f1bb40"'),
               ("Cache-Control", "max-age=600"), ("Expires", httpdate(ts + 600)), ("Date", httpdate(ts))] + list(extra)
        resp = f"HTTP/1.1 {status}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in hdr) + b"Connection: close\r\n\r\n" + body
        return TV.http_raw(t, EDGE[0], req, resp, 0.0087, 57, tag=tag, close="server", think=0.0012)

    t = TV.dns(5.011, "fota.veltron-cdn.com", [("A", 0x8180, chain2("fota.veltron-cdn.com", ["fota.veltron-cdn.com.edgesuite.net", "a1847.dscb.akamai.net"], EDGE, 21600, 20), [])], rtt=0.0224, tag="dns_fota")
    path1 = "/fw/v3/catalog?model=VT55UQ8000US&fw=T-KTM2U-1290.5&region=US&country=DE"
    ref1 = "18.4aba1002.%d.2b9e1c4" % int(base + 5.05)
    fota(t + 0.0004, path1, "fw1", "403 Forbidden", akamai_403("http://fota.veltron-cdn.com" + path1, ref1), "text/html")
    t = TV.dns(6.872, "fota.veltron-cdn.com", [("A", 0x8180, chain2("fota.veltron-cdn.com", ["fota.veltron-cdn.com.edgesuite.net", "a1847.dscb.akamai.net"], EDGE, 21598, 18), [])], rtt=0.0003, tag="dns_fota2")
    apps = json.dumps({"country": "DE", "lang": "de", "featured": [{"id": "yt", "v": "2.4.1"}, {"id": "nflx", "v": "6.1.3"}, {"id": "ard", "v": "1.9.0"}, {"id": "zdf", "v": "3.2.2"}], "ttl": 600}).encode()
    fota(t + 0.0004, "/apps/v2/featured?country=DE&lang=de&model=VT55UQ8000US", "apps", "200 OK", apps, "application/json", extra=[("Server", "Apache")])

    # streaming: YouTube (QUIC + TLS), Netflix
    t = TV.dns(9.44, "www.youtube.com", [("A", 0x8180, chain2("www.youtube.com", ["youtube-ui.l.google.com"], ["142.250.185.238", "142.250.186.46", "172.217.16.206"], 86400, 300), [])], rtt=0.019, tag="dns_yt")
    TV.tls13(t + 0.0004, "142.250.185.238", "www.youtube.com", 0.0131, 117, profile="chrome", resp=64000, tag="yt")
    t = TV.dns(10.71, "rr3---sn-4g5lznl6.googlevideo.com", [("A", 0x8180, chain2("rr3---sn-4g5lznl6.googlevideo.com", ["rr3.sn-4g5lznl6.googlevideo.com"], ["74.125.99.72"], 1800, 1800), [])], rtt=0.021, tag="dns_gv")
    TV.quic(t + 0.0004, "74.125.99.72", "rr3---sn-4g5lznl6.googlevideo.com", 0.0112, 57, resp=1400000, tag="gvq", close_after=12.0)
    t = TV.dns(95.33, "api-global.netflix.com", [("A", 0x8180, chain2("api-global.netflix.com", ["api-global.geo.netflix.com", "api-global.eu-west-1.prodaa.netflix.com"], ["54.73.148.110", "52.48.127.210", "34.252.77.175"], 300, 60), [])], rtt=0.029, tag="dns_nf")
    TV.tls13(t + 0.0004, "54.73.148.110", "api-global.netflix.com", 0.0294, 46, profile="okhttp", resp=22000, tag="nf")
    t = TV.dns(97.02, "ipv4-c042-fra002-ix.1.oca.nflxvideo.net", [("A", 0x8180, chain2("ipv4-c042-fra002-ix.1.oca.nflxvideo.net", [], ["45.57.90.131"], 300, 300), [])], rtt=0.024, tag="dns_oca")
    TV.tls13(t + 0.0004, "45.57.90.131", "ipv4-c042-fra002-ix.1.oca.nflxvideo.net", 0.0071, 59, profile="okhttp", alpn=("http/1.1",), resp=2600000, rate=90e6, tag="oca")
    # the firmware check retried a minute later: same 403
    t = TV.dns(65.02, "fota.veltron-cdn.com", [("A", 0x8180, chain2("fota.veltron-cdn.com", ["fota.veltron-cdn.com.edgesuite.net", "a1847.dscb.akamai.net"], EDGE, 21540, 20), [])], rtt=0.0211, tag="dns_fota3")
    ref2 = "18.4aba1002.%d.2ba3f08" % int(base + 65.06)
    fota(t + 0.0004, path1, "fw2", "403 Forbidden", akamai_403("http://fota.veltron-cdn.com" + path1, ref2), "text/html")

    nx = ", ".join(f"{frl(cap, f'nx{i}q')} -> {frl(cap, f'nx{i}r')}" for i in range(5))
    note = (
        "Smart TV (a US-model set used in Germany) on an IoT VLAN, captured on the firewall's trunk port (pcapng, 802.1Q VLAN 30). "
        "Three things look like censorship. (1) NXDOMAIN for %s, the EPG widget backend the vendor retired: queries/answers %s (A queries only: the VLAN is IPv4-only; "
        "retried every 60 s). The answers come from the TV's own resolver 192.168.30.1 (TTL 64, one answer per query, no race), carry the "
        "zone's real Route 53 SOA (ns-1536.awsdns-00.co.uk / awsdns-hostmaster.amazon.com, serial 1) in the authority section, the first "
        "takes %.0f ms (recursion) and the later ones 0.3 ms with the SOA TTL counting down 900 -> 660 s: served from the resolver's negative "
        "cache, i.e. a stable authoritative 'no such name', not an injected one; the same resolver answers every other name. (2) SYNs to "
        "%s:443 never answered (frames %s and, two minutes later, %s): a hard-coded address of the retired diagnostics uploader, never "
        "resolved, no SNI, and no other packet to or from that address in the capture: a lone timeout with nothing to compare. (3) The "
        "firmware check GET http://fota.veltron-cdn.com%s gets 'HTTP/1.1 403 Forbidden' with an 'Access Denied' page (frames %s and, on "
        "the retry, %s). It is Akamai's own geo-restriction page: Server: AkamaiGHost, 'Reference #18.4aba1002...' with the "
        "errors.edgesuite.net link, from the edge address the name resolves to via edgesuite.net/akamai.net CNAMEs, with TTL 57 identical "
        "to that connection's SYN/ACK, one RTT (9 ms) after the request, a clean server FIN close, and the app-catalogue request to the same "
        "host and edge IP in between (frame %d) gets '200 OK'. The request itself says region=US&country=DE: provider-side geoblocking "
        "(fingerprints.md §15 trap 7, a Censored Planet 'fp' page). YouTube (TLS + QUIC), Netflix, NTP and the vendor's new cloud all work. "
        "Expect no finding; observations for the NXDOMAIN and the unanswered SYNs are fine."
    ) % (OLD, nx, nx_first_ms, DEAD_IP, ",".join(str(x) for x in [fr(cap, "dead0syn")] + cap.frames("dead0synrtx")),
         ",".join(str(x) for x in [fr(cap, "dead1syn")] + cap.frames("dead1synrtx")), path1,
         fr(cap, "fw1respdata"), fr(cap, "fw2respdata"), fr(cap, "appsrespdata"))
    expect(fname, note)
    return cap


CAPTURES = [cap_pinning, cap_push_idle, cap_wireguard, cap_private_dns, cap_fet, cap_smart_tv]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        sys.exit(2)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for fn in CAPTURES:
        cap = fn()
        cap.write(os.path.join(out, cap.fname))
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(EXPECT, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
