#!/usr/bin/env python3
# ruff: noqa: B905, E501, RUF046, SIM113
"""Blind holdout, positive set 8: six client-side captures, each showing one censorship
mechanism (plus 8+ ordinary DNS / HTTPS flows), and OUTDIR/expect.json.

Usage: python blind8_positive.py OUTDIR   (deterministic: identical bytes on every run)
"""
import datetime
import hashlib
import json
import os
import random
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID
from scapy.all import DNS, DNSQR, DNSRR, IP, TCP, UDP, Ether, IPv6, Raw

BASE = 1718438400_000000  # 2024-06-15 08:00:00 UTC, microseconds
CMAC, GMAC = "3c:22:fb:1a:2b:3c", "f4:8e:38:9d:10:01"
SYNOPT = [("MSS", 1460), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", 7)]
SYNOPT6 = [("MSS", 1440), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", 7)]


class Cap:
    def __init__(self, seed, clients):
        self.rng = random.Random(seed)
        self.pk, self.n, self.clients, self.ids = [], 0, set(clients), {}

    def ip(self, src, dst, ttl, ipid=None, df=True):
        if ":" in src:
            return IPv6(src=src, dst=dst, hlim=ttl, fl=0)
        if ipid is None:
            ipid = self.ids.setdefault(src, self.rng.randint(1, 60000))
            self.ids[src] = (ipid + 1) & 0xFFFF
        return IP(src=src, dst=dst, ttl=ttl, id=ipid, flags="DF" if df else 0)

    def add(self, t, p, iface=0):
        self.pk.append((int(round(t * 1e6)), self.n, iface, p))
        self.n += 1

    def frames(self, raw_ifaces=()):
        out = []
        for us, _, ifc, p in sorted(self.pk, key=lambda x: (x[0], x[1])):
            if ifc in raw_ifaces:
                b = bytes(p)
            else:
                fromc = p.src in self.clients
                b = bytes(Ether(src=CMAC if fromc else GMAC, dst=GMAC if fromc else CMAC) / p)
            out.append((BASE + us, ifc, b))
        return out


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for us, _, b in frames:
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000, len(b), len(b)) + b)


def write_pcapng(path, frames, ifaces):
    def blk(t, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", t, len(body) + 12) + body + struct.pack("<I", len(body) + 12)

    def opt(c, v):
        return struct.pack("<HH", c, len(v)) + v + b"\0" * (-len(v) % 4)
    with open(path, "wb") as f:
        f.write(blk(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        for name, lt in ifaces:
            f.write(blk(1, struct.pack("<HHI", lt, 0, 262144) + opt(2, name.encode()) + opt(0, b"")))
        for us, ifc, b in frames:
            f.write(blk(6, struct.pack("<IIIII", ifc, us >> 32, us & 0xFFFFFFFF, len(b), len(b)) + b))


class Conn:
    def __init__(s, cap, cli, srv, dport, sttl, rtt, iface=0):
        r = cap.rng
        s.cap, s.cli, s.srv, s.dport, s.sttl, s.rtt, s.iface = cap, cli, srv, dport, sttl, rtt, iface
        s.sport, s.cs, s.ss = r.randint(40000, 60999), r.getrandbits(32), r.getrandbits(32)
        s.v6 = ":" in srv
        s.mss = 1440 if s.v6 else 1460

    def _p(s, t, src, dst, sp, dp, fl, seq, ack, data, ttl, win, opts=None, ipid=None, df=True):
        tcp = TCP(sport=sp, dport=dp, flags=fl, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF, window=win, options=opts or [])
        p = s.cap.ip(src, dst, ttl, ipid, df) / tcp
        if data:
            p = p / Raw(data)
        s.cap.add(t, p, s.iface)

    def c(s, t, fl, data=b"", opts=None, seq=None):
        s._p(t, s.cli, s.srv, s.sport, s.dport, fl, s.cs if seq is None else seq, s.ss if "A" in fl else 0, data, 64, 64240 if "S" in fl else 502, opts)
        if seq is None:
            s.cs += len(data) + (1 if ("S" in fl or "F" in fl) else 0)

    def s(s, t, fl, data=b"", opts=None, seq=None, ack=None, ttl=None, win=501, ipid=None, df=True, adv=True):
        s._p(t, s.srv, s.cli, s.dport, s.sport, fl, s.ss if seq is None else seq, s.cs if ack is None else ack, data,
             s.sttl if ttl is None else ttl, win, opts, ipid, df)
        if seq is None and adv:
            s.ss += len(data) + (1 if ("S" in fl or "F" in fl) else 0)

    def hs(s, t):
        o = SYNOPT6 if s.v6 else SYNOPT
        s.c(t, "S", opts=o)
        s.s(t + s.rtt, "SA", opts=o, win=65535)
        s.c(t + s.rtt + 0.0002, "A")
        return t + s.rtt + 0.0002

    def sdata(s, t, data, gap=0.0004):
        n = 0
        for i in range(0, len(data), s.mss):
            ch = data[i:i + s.mss]
            s.s(t, "PA" if i + s.mss >= len(data) else "A", ch)
            n += 1
            if n % 2 == 0 or i + s.mss >= len(data):
                s.c(t + 0.0001, "A")
            t += gap
        return t + 0.0002

    def close(s, t):
        s.c(t, "FA")
        s.s(t + s.rtt, "FA")
        s.c(t + s.rtt + 0.0002, "A")
        return t + s.rtt + 0.0002


# ---------------------------------------------------------------- TLS 1.2 records
def rec(ct, body, ver=b"\x03\x03"):
    return bytes([ct]) + ver + struct.pack("!H", len(body)) + body


def hsm(typ, body):
    return bytes([typ]) + len(body).to_bytes(3, "big") + body


def ext(typ, body):
    return struct.pack("!HH", typ, len(body)) + body


def client_hello(r, sni):
    n = sni.encode()
    exts = (ext(0, struct.pack("!HBH", len(n) + 3, 0, len(n)) + n) + ext(23, b"") + ext(0xFF01, b"\x00")
            + ext(10, b"\x00\x06\x00\x1d\x00\x17\x00\x18") + ext(11, b"\x01\x00") + ext(35, b"")
            + ext(16, b"\x00\x0c\x02h2\x08http/1.1") + ext(13, b"\x00\x08\x08\x07\x04\x03\x08\x04\x04\x01"))
    cs = b"".join(struct.pack("!H", x) for x in (0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0x009C, 0x009D))
    body = b"\x03\x03" + r.randbytes(32) + b"\x20" + r.randbytes(32) + struct.pack("!H", len(cs)) + cs + b"\x01\x00" + struct.pack("!H", len(exts)) + exts
    return rec(22, hsm(1, body), b"\x03\x01")


CA_KEY = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"blind8-ca").digest())
_CERTS = {}


def cert(name):
    if name not in _CERTS:
        k = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())
        iss = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Let's Encrypt"), x509.NameAttribute(NameOID.COMMON_NAME, "E5")])
        c = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])).issuer_name(iss)
             .public_key(k.public_key()).serial_number(int.from_bytes(hashlib.sha256(b"sn" + name.encode()).digest()[:16], "big") >> 1)
             .not_valid_before(datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC))
             .not_valid_after(datetime.datetime(2024, 7, 30, tzinfo=datetime.UTC))
             .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .sign(CA_KEY, None))
        _CERTS[name] = c.public_bytes(serialization.Encoding.DER)
    return _CERTS[name]


def server_flight(r, sni):
    sh = b"\x03\x03" + r.randbytes(32) + b"\x20" + r.randbytes(32) + b"\xc0\x2b\x00" + b"\x00\x0f" + ext(0xFF01, b"\x00") + ext(23, b"") + b"\x00\x0b\x00\x02\x01\x00"
    der = cert(sni)
    crt = len(der).to_bytes(3, "big") + der
    ske = b"\x03\x00\x1d\x20" + r.randbytes(32) + b"\x08\x07\x00\x40" + r.randbytes(64)
    return rec(22, hsm(2, sh) + hsm(11, len(crt).to_bytes(3, "big") + crt) + hsm(12, ske) + hsm(14, b""))


def tls_flow(cap, t, cli, srv, sni, sttl, rtt, resp=6000, iface=0):
    r = cap.rng
    k = Conn(cap, cli, srv, 443, sttl, rtt, iface)
    t = k.hs(t)
    k.c(t, "PA", client_hello(r, sni))
    t = k.sdata(t + rtt, server_flight(r, sni))
    k.c(t + 0.001, "PA", rec(22, hsm(16, b"\x20" + r.randbytes(32))) + rec(20, b"\x01") + rec(22, r.randbytes(40)))
    t += 0.001 + rtt
    k.s(t, "PA", rec(20, b"\x01") + rec(22, r.randbytes(40)))
    k.c(t + 0.0008, "PA", rec(23, r.randbytes(r.randint(180, 420))))
    body = b"".join(rec(23, r.randbytes(min(16408, resp - i))) for i in range(0, resp, 16408))
    t = k.sdata(t + 0.0008 + rtt, body)
    k.c(t + 0.5, "PA", rec(21, r.randbytes(26)))
    return k.close(t + 0.5001)


def dns(cap, t, cli, res, qname, qtype, ans, rtt, ttl=57, iface=0, rcode=0):
    r = cap.rng
    qid, sp = r.randint(1, 65535), r.randint(30000, 65000)
    cap.add(t, cap.ip(cli, res, 64) / UDP(sport=sp, dport=53) / DNS(id=qid, rd=1, qd=DNSQR(qname=qname, qtype=qtype)), iface)
    an = [DNSRR(rrname=n, type=ty, ttl=at, rdata=rd) for n, ty, at, rd in ans]
    cap.add(t + rtt, cap.ip(res, cli, ttl) / UDP(sport=53, dport=sp) / DNS(id=qid, qr=1, rd=1, ra=1, rcode=rcode, qd=DNSQR(qname=qname, qtype=qtype), an=an or None), iface)
    return qid, sp


NORMAL = [  # (name, v4, v6, ttl, rtt)
    ("www.kernel.org", "139.178.84.217", "2604:1380:4641:c500::1", 50, 0.121),
    ("www.gnu.org", "209.51.188.116", "2001:470:142:5::116", 47, 0.104),
    ("docs.python.org", "151.101.0.223", "2a04:4e42::223", 57, 0.018),
    ("www.openstreetmap.org", "184.104.179.133", "2001:470:1:fa1::d", 52, 0.097),
    ("www.debian.org", "130.89.148.77", "2001:67c:2564:a119::77", 53, 0.034),
    ("www.mozilla.org", "34.160.236.28", "2600:1901:0:6d85::", 58, 0.012),
]


def normal(cap, times, cli, res, v6, picks, iface=0):
    for t, i in zip(times, picks):
        name, a4, a6, ttl, rtt = NORMAL[i]
        addr = a6 if v6 else a4
        dns(cap, t, cli, res, name, "AAAA" if v6 else "A", [(name, "AAAA" if v6 else "A", 300, addr)], 0.022, iface=iface)
        tls_flow(cap, t + 0.03, cli, addr, name, ttl, rtt, resp=cap.rng.randint(3000, 30000), iface=iface)


def http_req(host, path="/"):
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0\r\nAccept: text/html,*/*;q=0.8\r\nConnection: keep-alive\r\n\r\n".encode()


def http_resp(code, extra, body):
    return f"HTTP/1.1 {code}\r\nDate: Sat, 15 Jun 2024 08:00:00 GMT\r\n{extra}Content-Length: {len(body)}\r\n\r\n".encode() + body


# ---------------------------------------------------------------- the six captures
def cap1(out):
    """DNS NXDOMAIN injection (www.bbc.com, blocked in China and Iran): forged NXDOMAIN first, genuine NOERROR 31 ms later."""
    C, R = "192.168.1.23", "8.8.8.8"
    cap = Cap(801, [C])
    normal(cap, [1.0, 4.0, 9.5, 14.0, 21.0], C, R, False, [0, 1, 2, 3, 4])
    name = "www.bbc.com"
    for t, qt, rd in ((6.0, "A", ["151.101.0.81", "151.101.64.81"]), (6.0004, "AAAA", ["2a04:4e42::81", "2a04:4e42:200::81"])):
        qid, sp = cap.rng.randint(1, 65535), cap.rng.randint(30000, 65000)
        q = DNSQR(qname=name, qtype=qt)
        cap.add(t, cap.ip(C, R, 64) / UDP(sport=sp, dport=53) / DNS(id=qid, rd=1, qd=q))
        cap.add(t + 0.0046, cap.ip(R, C, 76, ipid=0, df=False) / UDP(sport=53, dport=sp) / DNS(id=qid, qr=1, aa=1, rd=1, ra=1, rcode=3, qd=q))
        cap.add(t + 0.0361, cap.ip(R, C, 117) / UDP(sport=53, dport=sp) / DNS(id=qid, qr=1, rd=1, ra=1, qd=q, an=[DNSRR(rrname=name, type=qt, ttl=187, rdata=a) for a in rd]))
    write_pcap(os.path.join(out, "b8p_dns_nxinject.pcap"), cap.frames())
    return "b8p_dns_nxinject.pcap", {"expect": [{"mechanism": "dns-injection", "domain": name}],
                                     "why": "Each query for www.bbc.com to 8.8.8.8 gets an NXDOMAIN after 4.6 ms (IP TTL 76, ID 0, no DF, no SOA) and then the genuine NOERROR answer (TTL 117) for the same ID and port."}


def cap2(out):
    """Injected 302 to warning.rt.ru on HTTP port 8080 over IPv6 (rutracker.org, blocked in Russia)."""
    C, R, S = "2a02:2698:24:1b0c::5e1", "2001:4860:4860::8888", "2606:4700:3036::6815:3a41"
    cap = Cap(802, [C])
    normal(cap, [0.5, 3.0, 11.0, 15.5, 19.0], C, R, True, [1, 2, 3, 4, 5])
    dns(cap, 7.0, C, R, "rutracker.org", "AAAA", [("rutracker.org", "AAAA", 300, S)], 0.024)
    k = Conn(cap, C, S, 8080, 53, 0.048)
    t = k.hs(7.05)
    k.c(t + 0.0003, "PA", http_req("rutracker.org:8080"))
    t += 0.0003
    base = k.ss
    forged = http_resp("302 Found", "Location: http://warning.rt.ru/?id=17&st=0&dt=rutracker.org&rs=http%3A%2F%2Frutracker.org%3A8080%2F\r\nConnection: close\r\n", b"")
    k.s(t + 0.0021, "FPA", forged, ttl=62)
    k.c(t + 0.0023, "A")
    k.c(t + 0.0025, "FA")
    body = b"<!DOCTYPE html><html><head><title>RuTracker.org</title></head><body>" + cap.rng.randbytes(600).hex().encode() + b"</body></html>"
    genuine = http_resp("200 OK", "Server: nginx\r\nContent-Type: text/html; charset=utf-8\r\n", body)
    k.ss = base
    t2 = t + 0.0495
    for i in range(0, len(genuine), 1440):
        k.s(t2, "PA" if i + 1440 >= len(genuine) else "A", genuine[i:i + 1440], ack=k.cs - 1)
        t2 += 0.0003
    k.c(t2 + 0.0001, "R", seq=k.cs)
    write_pcap(os.path.join(out, "b8p_http8080_v6_302.pcap"), cap.frames())
    return "b8p_http8080_v6_302.pcap", {"expect": [{"mechanism": "packet-injection", "domain": "rutracker.org", "ip": S},
                                                   {"mechanism": "blockpage", "domain": "rutracker.org", "ip": S}],
                                        "why": "A 302 to warning.rt.ru (hop limit 62 vs the server's 53) arrives 2 ms after the GET to rutracker.org:8080, and the genuine 200 OK later occupies the same sequence numbers."}


def cap3(out):
    """GFW HTTP Host trigger (en.wikipedia.org, blocked in China) then 90 s residual RSTs on [server]:80, over IPv6."""
    C, R, S = "240e:3a1:4c2f:9b0::1a", "240e:4c:4008::1", "2620:0:863:ed1a::1"
    cap = Cap(803, [C])
    normal(cap, [0.3, 26.0, 58.0, 84.0, 120.0], C, R, True, [0, 1, 2, 3, 4])
    dns(cap, 4.9, C, R, "en.wikipedia.org", "AAAA", [("en.wikipedia.org", "AAAA", 600, S)], 0.02)
    rtt, st = 0.172, 48
    # trigger
    k = Conn(cap, C, S, 80, st, rtt)
    t = k.hs(5.0)
    k.c(t + 0.0003, "PA", http_req("en.wikipedia.org", "/wiki/Tiananmen_Square"))
    t += 0.0003
    k.s(t + 0.0179, "R", ttl=103, win=2051, adv=False)
    for j in range(3):
        k.s(t + 0.0183 + 0.0001 * j, "RA", ttl=71 + j, win=4973 + j, adv=False)
    body = b"<!DOCTYPE html><html><head><title>Tiananmen Square - Wikipedia</title></head><body>" + cap.rng.randbytes(900).hex().encode() + b"</body></html>"
    resp = http_resp("200 OK", "Server: mw-web.codfw.main\r\nContent-Type: text/html; charset=UTF-8\r\n", body)
    t2 = t + rtt
    for i in range(0, len(resp), 1440):
        k.s(t2, "PA" if i + 1440 >= len(resp) else "A", resp[i:i + 1440])
        k._p(t2 + 0.0001, C, S, k.sport, 80, "R", k.cs, 0, b"", 64, 0)
        t2 += 0.0004

    def synack_reset(t0):
        k = Conn(cap, C, S, 80, st, rtt)
        t = k.hs(t0)
        k.s(t + 0.0011, "RA", ttl=104, win=3021, adv=False)

    def req_reset(t0):
        k = Conn(cap, C, S, 80, st, rtt)
        t = k.hs(t0)
        k.c(t + 0.0003, "PA", http_req("www.mediawiki.org", "/robots.txt"))
        k.s(t + 0.0185, "R", ttl=102, win=1937, adv=False)
        for j in range(3):
            k.s(t + 0.0188 + 0.0001 * j, "RA", ttl=88 + j, win=3310 + j, adv=False)
    synack_reset(22.0)
    tls_flow(cap, 35.0, C, S, "www.mediawiki.org", st, rtt, resp=24000)
    req_reset(48.0)
    synack_reset(71.0)
    k = Conn(cap, C, S, 80, st, rtt)  # 96 s after the trigger: port 80 works again
    t = k.hs(101.0)
    k.c(t + 0.0003, "PA", http_req("www.mediawiki.org", "/robots.txt"))
    t = k.sdata(t + 0.0003 + rtt, http_resp("200 OK", "Server: mw-web.eqiad.main\r\nContent-Type: text/plain\r\n", b"User-agent: *\nDisallow: /w/\n" * 40))
    k.close(t + 2.0)
    write_pcap(os.path.join(out, "b8p_v6_residual80.pcap"), cap.frames())
    return "b8p_v6_residual80.pcap", {"expect": [{"mechanism": "rst-injection", "domain": "en.wikipedia.org", "ip": S},
                                                 {"mechanism": "residual-blocking", "ip": S}],
                                      "why": "The GET for en.wikipedia.org draws 1 RST + 3 RST/ACK (hop limits 71-103 vs the server's 48) while the real 200 OK still arrives; new port-80 connections at +17, +43 and +66 s are reset after the SYN/ACK or an innocuous request, 443 works at +30 s and port 80 works again at +96 s."}


def cap4(out):
    """www.dropbox.com (blocked in China): resolver answer is GFW poison IP 59.24.3.173; SYNs to it on 443/80 unanswered; DNS over TCP to 9.9.9.9 gives the real address, which works."""
    C, R = "192.168.31.105", "114.114.114.114"
    cap = Cap(804, [C])
    normal(cap, [0.4, 2.5, 40.0, 47.0, 55.0], C, R, False, [0, 1, 2, 3, 5])
    name, P, REAL = "www.dropbox.com", "59.24.3.173", "162.125.248.18"
    dns(cap, 5.0, C, R, name, "A", [(name, "A", 197, P)], 0.027, ttl=89)
    for port, t0 in ((443, 5.05), (80, 5.06)):
        sp, isn = cap.rng.randint(40000, 60999), cap.rng.getrandbits(32)
        for d in (0, 1, 3, 7, 15, 31):
            cap.add(t0 + d + 0.0001 * d, cap.ip(C, P, 64) / TCP(sport=sp, dport=port, flags="S", seq=isn, window=64240, options=SYNOPT))
    # another path: DNS over TCP to Quad9
    k = Conn(cap, C, "9.9.9.9", 53, 56, 0.041)
    t = k.hs(37.0)
    q = bytes(DNS(id=0x3a7c, rd=1, qd=DNSQR(qname=name, qtype="A")))
    k.c(t + 0.0002, "PA", struct.pack("!H", len(q)) + q)
    a = bytes(DNS(id=0x3a7c, qr=1, rd=1, ra=1, qd=DNSQR(qname=name, qtype="A"), an=[DNSRR(rrname=name, type="CNAME", ttl=3600, rdata="www-env.dropbox-dns.com"), DNSRR(rrname="www-env.dropbox-dns.com", type="A", ttl=60, rdata=REAL)]))
    k.s(t + 0.0432, "PA", struct.pack("!H", len(a)) + a)
    k.c(t + 0.0434, "A")
    k.close(t + 0.05)
    tls_flow(cap, 37.3, C, REAL, name, 51, 0.188, resp=42000)
    write_pcap(os.path.join(out, "b8p_poison_blackhole.pcap"), cap.frames())
    return "b8p_poison_blackhole.pcap", {"expect": [{"mechanism": "dns-tampering", "domain": name},
                                                    {"mechanism": "blackhole", "domain": name, "ip": P}],
                                         "why": "The only UDP answer for www.dropbox.com is the catalogued GFW poison address 59.24.3.173 (no race, so tampering), SYNs to it on 443 and 80 are retransmitted for 31 s unanswered, while DNS over TCP gives 162.125.248.18 whose TLS handshake completes."}


def cap5(out):
    """Iran-style SNI drop: ClientHello for www.bbc.com (blocked in Iran) unanswered; same Fastly IP with another SNI works 10 s later."""
    C, R, S = "192.168.1.34", "1.1.1.1", "151.101.192.81"
    cap = Cap(805, [C])
    normal(cap, [0.5, 3.2, 13.0, 27.0, 31.0], C, R, False, [0, 1, 2, 4, 5])
    dns(cap, 8.9, C, R, "www.bbc.com", "A", [("www.bbc.com", "A", 120, S)], 0.031)
    k = Conn(cap, C, S, 443, 54, 0.095)
    t = k.hs(9.0)
    ch = client_hello(cap.rng, "www.bbc.com")
    seq = k.cs
    k.c(t + 0.0005, "PA", ch)
    for d in (0.25, 0.75, 1.75, 3.75, 7.75):
        k.c(t + 0.0005 + d, "PA", ch, seq=seq)
    k.c(t + 9.6, "RA")
    tls_flow(cap, t + 10.0, C, S, "www.python.org", 54, 0.095, resp=18000)
    write_pcap(os.path.join(out, "b8p_iran_sni_drop.pcap"), cap.frames())
    return "b8p_iran_sni_drop.pcap", {"expect": [{"mechanism": "blackhole", "domain": "www.bbc.com", "ip": S}],
                                      "why": "After a completed handshake the ClientHello for www.bbc.com is retransmitted 5 times with no ACK or reply, while 10 s later a ClientHello for www.python.org to the same 151.101.192.81:443 gets a full handshake."}


def cap6(out):
    """TSPU-style throttling of abs.twimg.com (Twitter, throttled in Russia) over IPv6; control SNI to the same Fastly address is fast. pcapng: if0 Ethernet, if1 raw IP (VPN tun)."""
    C, R, S = "2a00:1fa0:4281:93b2::7", "2a00:1fa0:1::53", "2a04:4e42:200::159"
    V, VR = "10.8.0.2", "10.8.0.1"
    cap = Cap(806, [C, V])
    normal(cap, [0.4, 3.0, 32.0], C, R, True, [0, 2, 4])
    normal(cap, [1.5, 36.0, 40.0], V, VR, False, [1, 3, 5], iface=1)
    r, rtt = cap.rng, 0.041
    dns(cap, 4.9, C, R, "abs.twimg.com", "AAAA", [("abs.twimg.com", "AAAA", 300, S)], 0.02)
    k = Conn(cap, C, S, 443, 57, rtt)
    t = k.hs(5.0)
    k.c(t, "PA", client_hello(r, "abs.twimg.com"))
    t = k.sdata(t + rtt, server_flight(r, "abs.twimg.com"))
    k.c(t, "PA", rec(22, hsm(16, b"\x20" + r.randbytes(32))) + rec(20, b"\x01") + rec(22, r.randbytes(40)))
    k.s(t + rtt, "PA", rec(20, b"\x01") + rec(22, r.randbytes(40)))
    k.c(t + rtt + 0.001, "PA", rec(23, r.randbytes(310)))
    t += rtt + 0.001 + rtt
    data = b"".join(rec(23, r.randbytes(16408)) for _ in range(10))  # ~164 KB at ~140 kbit/s
    base, segs = k.ss, [data[i:i + 1440] for i in range(0, len(data), 1440)]
    def upto(n):
        return base + sum(len(x) for x in segs[:n])
    i, pending, dup = 0, None, 0
    while i < len(segs):
        if i % 9 == 4 and pending is None:  # policer drop: seen later as a retransmission
            pending, dup = i, 0
        else:
            k.s(t, "A", segs[i], seq=upto(i), adv=False)
            if pending is None:
                if i % 2 or i == len(segs) - 1:
                    k._p(t + 0.0002, C, S, k.sport, 443, "A", k.cs, upto(i + 1), b"", 64, 502)
            else:
                dup += 1
                k._p(t + 0.0002, C, S, k.sport, 443, "A", k.cs, upto(pending), b"", 64, 502)
                if dup == 3 or i == len(segs) - 1:
                    k.s(t + rtt, "A", segs[pending], seq=upto(pending), adv=False)
                    k._p(t + rtt + 0.0002, C, S, k.sport, 443, "A", k.cs, upto(i + 1), b"", 64, 502)
                    t += rtt
                    pending = None
        t += 0.082
        i += 1
    k.ss = base + len(data)
    k.c(t, "A")
    k.close(t + 1.0)
    # control: same address, other SNI, at line rate
    tls_flow(cap, 24.0, C, S, "www.python.org", 57, rtt, resp=1500000)
    write_pcapng(os.path.join(out, "b8p_v6_throttle_2if.pcapng"), cap.frames(raw_ifaces=(1,)), [("eth0", 1), ("tun0", 101)])
    return "b8p_v6_throttle_2if.pcapng", {"expect": [{"mechanism": "throttling", "domain": "abs.twimg.com", "ip": S}],
                                          "why": "On eth0 the abs.twimg.com flow to 2a04:4e42:200::159 delivers ~164 KB at ~140 kbit/s with periodic losses and retransmissions, while www.python.org on the same address and interface delivers 1.5 MB in well under a second."}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    exp = dict(f(out) for f in (cap1, cap2, cap3, cap4, cap5, cap6))
    with open(os.path.join(out, "expect.json"), "w") as f:
        json.dump(exp, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
