#!/usr/bin/env python3
# ruff: noqa: B905, E501, SIM113
"""Deterministic generator for blind holdout set 4 (6 positives, 6 benign traps).

Run: python captures/blind4_mixed.py OUTDIR (writes the captures and expect.json there;
tests/test_blind_sets.py runs it into a temporary folder).
"""
import hashlib
import hmac
import json
import os
import random
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.all import DNS, DNSQR, DNSRR, DNSRROPT, IP, TCP, UDP, Ether, IPv6, Raw, wrpcap

OUT = "."  # the output folder, set by main() from the command line
CMAC = "02:00:5e:10:00:50"
GMAC = "02:00:5e:10:00:01"
CIP = "192.168.1.50"
CIP6 = "2a02:810d:8a40:2e00::50"
RESOLVER = "192.168.1.1"
BASE_T = 1718200000.0


# ---------------------------------------------------------------- packet list
class Cap:
    def __init__(self):
        self.items = []  # (t, seq, pkt)
        self.n = 0

    def add(self, t, pkt):
        pkt.time = round(t, 6)
        self.items.append((round(t, 6), self.n, pkt))
        self.n += 1

    def packets(self):
        return [p for _, _, p in sorted(self.items, key=lambda x: (x[0], x[1]))]


def ether(src_is_client, v6=False):
    if src_is_client:
        return Ether(src=CMAC, dst=GMAC, type=0x86DD if v6 else 0x0800)
    return Ether(src=GMAC, dst=CMAC, type=0x86DD if v6 else 0x0800)


# ---------------------------------------------------------------- TCP
class TCPConv:
    def __init__(self, cap, rng, sip, sport, t, rtt, sttl, cport=None, v6=False,
                 cip=None, syn_ttl=None):
        self.cap, self.rng = cap, rng
        self.v6 = v6
        self.cip = cip or (CIP6 if v6 else CIP)
        self.sip, self.sport = sip, sport
        self.cport = cport or rng.randint(40000, 60999)
        self.t, self.rtt, self.sttl = t, rtt, sttl
        self.syn_ttl = syn_ttl if syn_ttl is not None else sttl
        self.ciss = rng.getrandbits(32)
        self.siss = rng.getrandbits(32)
        self.cseq = self.ciss
        self.sseq = self.siss
        self.cid = rng.randint(1000, 60000)
        self.sid = rng.randint(1000, 60000)

    def _ip(self, from_client, ttl=None, ipid=None, df=True):
        if self.v6:
            if from_client:
                return IPv6(src=self.cip, dst=self.sip, hlim=64)
            return IPv6(src=self.sip, dst=self.cip, hlim=ttl if ttl is not None else self.sttl)
        if from_client:
            self.cid = (self.cid + 1) & 0xFFFF
            return IP(src=self.cip, dst=self.sip, ttl=64, id=self.cid, flags="DF")
        if ipid is None:
            self.sid = (self.sid + 1) & 0xFFFF
            ipid = self.sid
        return IP(src=self.sip, dst=self.cip, ttl=ttl if ttl is not None else self.sttl,
                  id=ipid, flags="DF" if df else 0)

    def c(self, flags, payload=b"", dt=0.0, opts=None, win=502):
        self.t += dt
        tcp = TCP(sport=self.cport, dport=self.sport, flags=flags, seq=self.cseq,
                  ack=self.sseq if "A" in flags else 0, window=win, options=opts or [])
        p = ether(True, self.v6) / self._ip(True) / tcp
        if payload:
            p = p / Raw(payload)
        self.cap.add(self.t, p)
        self.cseq = (self.cseq + len(payload) + (1 if ("S" in flags or "F" in flags) else 0)) & 0xFFFFFFFF
        return p

    def s(self, flags, payload=b"", dt=0.0, ttl=None, seq=None, opts=None, win=509,
          ipid=None, df=True, advance=True, at=None):
        if at is not None:
            t = at
        else:
            self.t += dt
            t = self.t
        sq = self.sseq if seq is None else seq
        tcp = TCP(sport=self.sport, dport=self.cport, flags=flags, seq=sq,
                  ack=self.cseq if "A" in flags else 0, window=win, options=opts or [])
        p = ether(False, self.v6) / self._ip(False, ttl=ttl, ipid=ipid, df=df) / tcp
        if payload:
            p = p / Raw(payload)
        self.cap.add(t, p)
        if advance and seq is None:
            self.sseq = (self.sseq + len(payload) + (1 if ("S" in flags or "F" in flags) else 0)) & 0xFFFFFFFF
        return p

    def handshake(self):
        self.c("S", opts=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)], win=64240)
        self.s("SA", dt=self.rtt, ttl=self.syn_ttl,
               opts=[("MSS", 1400), ("SAckOK", b""), ("WScale", 9)], win=65535)
        self.c("A", dt=0.0002)

    def c_send(self, data, dt=0.0005):
        first = True
        for i in range(0, len(data), 1400):
            self.c("PA", data[i:i + 1400], dt=dt if first else 0.00005)
            first = False

    def s_send(self, data, dt=None, gap=0.0002, ttl=None):
        first = True
        n = 0
        for i in range(0, len(data), 1400):
            self.s("PA" if i + 1400 >= len(data) else "A", data[i:i + 1400],
                   dt=(self.rtt if dt is None else dt) if first else gap, ttl=ttl)
            first = False
            n += 1
            if n % 2 == 0:
                self.c("A", dt=0.00003)
        self.c("A", dt=0.00004)

    def close(self, ttl=None):
        self.c("FA", dt=0.01)
        self.s("FA", dt=self.rtt, ttl=ttl)
        self.c("A", dt=0.0001)

    def bulk(self, total, rate_bps=None, gap=None, lost=(), ttl=None, data=None):
        """Server->client bulk transfer observed at the client.

        `data` (or `total` bytes of TLS application-data records) is paced at
        rate_bps (or fixed gap); indices in `lost` are dropped on first
        transmission and retransmitted after 3 dup ACKs + rtt."""
        if data is None:
            data = b""
            while len(data) < total:
                n = min(16384, total - len(data) - 5)
                if n <= 0:
                    data += b"\x00" * (total - len(data))
                    break
                data += b"\x17\x03\x03" + struct.pack("!H", n) + self.rng.randbytes(n)
        total = len(data)
        seg = 1400
        nseg = (total + seg - 1) // seg
        interval = gap if gap is not None else seg * 8.0 / rate_bps
        base = self.sseq
        t0 = self.t + self.rtt
        events = []
        lost = set(lost)
        for i in range(nseg):
            if i in lost:
                continue
            events.append((t0 + i * interval, i))
        for i in sorted(lost):
            later = [t for t, j in events if j > i]
            tref = later[min(2, len(later) - 1)] if later else t0 + nseg * interval
            events.append((tref + self.rtt + interval * 0.5, i))
        events.sort()
        got = set()
        cum = 0
        maxseen = -1
        for ti, i in events:
            payload = data[i * seg:(i + 1) * seg]
            self.s("A" if i != nseg - 1 else "PA", payload, at=ti, ttl=ttl,
                   seq=(base + i * seg) & 0xFFFFFFFF)
            got.add(i)
            retrans = i < maxseen
            maxseen = max(maxseen, i)
            while cum in got:
                cum += 1
            ackno = (base + min(cum * seg, total)) & 0xFFFFFFFF
            self.t = ti + 0.00004
            if cum * seg >= total or (i % 2 == 1) or cum <= i or retrans:
                tcp = TCP(sport=self.cport, dport=self.sport, flags="A", seq=self.cseq,
                          ack=ackno, window=502)
                self.cap.add(self.t, ether(True, self.v6) / self._ip(True) / tcp)
        self.sseq = (base + total) & 0xFFFFFFFF
        self.t = max(t for t, _ in events) + 0.0001


# ---------------------------------------------------------------- TLS bytes
def _ext(t, data):
    return struct.pack("!HH", t, len(data)) + data


def client_hello_msg(rng, sni, alpn=(b"h2", b"http/1.1"), quic_tp=None):
    sn = sni.encode()
    exts = b""
    exts += _ext(0, struct.pack("!HBH", len(sn) + 3, 0, len(sn)) + sn)
    exts += _ext(23, b"")
    exts += _ext(65281, b"\x00")
    exts += _ext(10, struct.pack("!H", 8) + bytes.fromhex("001d00170018001e"))
    exts += _ext(11, b"\x01\x00")
    al = b"".join(bytes([len(a)]) + a for a in alpn)
    exts += _ext(16, struct.pack("!H", len(al)) + al)
    exts += _ext(5, b"\x01\x00\x00\x00\x00")
    sig = bytes.fromhex("0403050306030804080508060401050106010201")
    exts += _ext(13, struct.pack("!H", len(sig)) + sig)
    exts += _ext(18, b"")
    ks = bytes(rng.getrandbits(8) for _ in range(32))
    exts += _ext(51, struct.pack("!HHH", 36, 0x001d, 32) + ks)
    exts += _ext(45, b"\x01\x01")
    exts += _ext(43, b"\x04\x03\x04\x03\x03")
    if quic_tp is not None:
        exts += _ext(57, quic_tp)
    else:
        exts += _ext(21, b"\x00" * (512 - 4 - 200 - len(sn)) if len(sn) < 300 else b"")
    ciphers = bytes.fromhex("130113021303c02bc02fc02cc030cca9cca8c013c014009c009d002f0035")
    body = b"\x03\x03" + bytes(rng.getrandbits(8) for _ in range(32))
    if quic_tp is None:
        body += b"\x20" + bytes(rng.getrandbits(8) for _ in range(32))
    else:
        body += b"\x00"
    body += struct.pack("!H", len(ciphers)) + ciphers + b"\x01\x00"
    body += struct.pack("!H", len(exts)) + exts
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def client_hello(rng, sni):
    m = client_hello_msg(rng, sni)
    return b"\x16\x03\x01" + struct.pack("!H", len(m)) + m


def server_hello_msg(rng, sid=b""):
    exts = _ext(43, b"\x03\x04") + _ext(51, struct.pack("!HH", 0x001d, 32) + bytes(rng.getrandbits(8) for _ in range(32)))
    body = b"\x03\x03" + bytes(rng.getrandbits(8) for _ in range(32)) + bytes([len(sid)]) + sid
    body += b"\x13\x01\x00" + struct.pack("!H", len(exts)) + exts
    return b"\x02" + struct.pack("!I", len(body))[1:] + body


def appdata(rng, n):
    out = b""
    while n > 0:
        k = min(n, 16384)
        out += b"\x17\x03\x03" + struct.pack("!H", k) + rng.randbytes(k)
        n -= k
    return out


def server_flight(rng):
    sh = server_hello_msg(rng, bytes(rng.getrandbits(8) for _ in range(32)))
    return (b"\x16\x03\x03" + struct.pack("!H", len(sh)) + sh + b"\x14\x03\x03\x00\x01\x01"
            + appdata(rng, rng.randint(2400, 3600)))


def tls_session(cap, rng, sip, sni, t, rtt, sttl, resp=6000, v6=False, close=True,
                syn_ttl=None, later_ttl=None):
    """Complete TLS 1.3 handshake + one request/response; returns conv."""
    c = TCPConv(cap, rng, sip, 443, t, rtt, sttl, v6=v6, syn_ttl=syn_ttl)
    c.handshake()
    c.c_send(client_hello(rng, sni))
    c.s("A", dt=rtt, ttl=later_ttl)
    c.s_send(server_flight(rng), dt=0.0004, ttl=later_ttl)
    c.c_send(b"\x14\x03\x03\x00\x01\x01" + appdata(rng, 53), dt=0.002)
    c.c_send(appdata(rng, rng.randint(150, 420)), dt=0.0003)
    c.s_send(appdata(rng, 250) + appdata(rng, 250), ttl=later_ttl)
    if resp:
        c.s_send(appdata(rng, resp), dt=0.01, ttl=later_ttl)
    if close:
        c.c_send(appdata(rng, 19), dt=0.5)
        c.close(ttl=later_ttl)
    return c


def http_session(cap, rng, sip, host, t, rtt, sttl, path="/", status=b"200 OK", body=None,
                 server=b"Apache", close=True, rate_bps=None):
    c = TCPConv(cap, rng, sip, 80, t, rtt, sttl)
    c.handshake()
    req = (b"GET " + path.encode() + b" HTTP/1.1\r\nHost: " + host.encode() +
           b"\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0\r\n"
           b"Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\n"
           b"Connection: keep-alive\r\n\r\n")
    c.c_send(req, dt=0.0003)
    if body is None:
        body = (b"<!DOCTYPE html><html><head><title>" + host.encode() + b"</title></head><body>"
                + b"<p>Welcome.</p>" * rng.randint(20, 200) + b"</body></html>\n")
    hdr = (b"HTTP/1.1 " + status + b"\r\nDate: Wed, 12 Jun 2024 13:47:00 GMT\r\nServer: " + server +
           b"\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: " + str(len(body)).encode() +
           b"\r\nConnection: keep-alive\r\n\r\n")
    c.s("A", dt=rtt)
    if rate_bps:
        c.bulk(0, rate_bps=rate_bps, data=hdr + body)
    else:
        c.s_send(hdr + body, dt=0.003)
    if close:
        c.close()
    return c


# ---------------------------------------------------------------- DNS
def dns_query_pkt(txid, qname, qtype, sport, t, cap, cip=CIP, cmac=CMAC, ipid=1, resolver=RESOLVER, edns=True):
    q = DNS(id=txid, rd=1, qd=DNSQR(qname=qname, qtype=qtype),
            ar=DNSRROPT(rclass=1232) if edns else None)
    p = (Ether(src=cmac, dst=GMAC) / IP(src=cip, dst=resolver, ttl=64, id=ipid) /
         UDP(sport=sport, dport=53) / q)
    cap.add(t, p)
    return p


def dns_answer_pkt(txid, qname, qtype, answers, sport, t, cap, cip=CIP, cmac=CMAC, ttl=64,
                   ipid=0, resolver=RESOLVER, edns=True, rcode=0):
    rrs = []
    for rtype, name, rdata, rttl in answers:
        rrs.append(DNSRR(rrname=name, type=rtype, ttl=rttl, rdata=rdata))
    a = DNS(id=txid, qr=1, rd=1, ra=1, rcode=rcode, qd=DNSQR(qname=qname, qtype=qtype),
            an=rrs if rrs else None, ar=DNSRROPT(rclass=1232) if edns else None)
    p = (Ether(src=GMAC, dst=cmac) / IP(src=resolver, dst=cip, ttl=ttl, id=ipid) /
         UDP(sport=53, dport=sport) / a)
    cap.add(t, p)
    return p


def dns_lookup(cap, rng, name, ips, t, qtype="A", delay=None, cnames=()):
    txid = rng.getrandbits(16)
    sport = rng.randint(32768, 60999)
    dns_query_pkt(txid, name, qtype, sport, t, cap, ipid=rng.getrandbits(16))
    ans = []
    owner = name
    for cn in cnames:
        ans.append(("CNAME", owner, cn, 300))
        owner = cn
    for ip in ips:
        ans.append((qtype, owner, ip, rng.choice([60, 120, 300, 3600])))
    d = delay if delay is not None else rng.uniform(0.004, 0.03)
    dns_answer_pkt(txid, name, qtype, ans, sport, t + d, cap, ipid=rng.getrandbits(16))
    return t + d


# ---------------------------------------------------------------- QUIC
INITIAL_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand_label(secret, label, length):
    full = b"tls13 " + label
    info = struct.pack("!H", length) + bytes([len(full)]) + full + b"\x00"
    out, prev, i = b"", b"", 1
    while len(out) < length:
        prev = hmac.new(secret, prev + info + bytes([i]), hashlib.sha256).digest()
        out += prev
        i += 1
    return out[:length]


def quic_keys(dcid, side):
    init = hkdf_extract(INITIAL_SALT, dcid)
    sec = hkdf_expand_label(init, b"client in" if side == "c" else b"server in", 32)
    return (hkdf_expand_label(sec, b"quic key", 16), hkdf_expand_label(sec, b"quic iv", 12),
            hkdf_expand_label(sec, b"quic hp", 16))


def varint(v):
    if v < 64:
        return bytes([v])
    if v < 16384:
        return struct.pack("!H", 0x4000 | v)
    return struct.pack("!I", 0x80000000 | v)


def quic_initial(odcid, dcid, scid, pn, frames, side, pad_to=1200):
    key, iv, hp = quic_keys(odcid, side)
    pn_len = 2
    hdr_wo_len = bytes([0xC0 | (pn_len - 1)]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + \
        bytes([len(scid)]) + scid + b"\x00"
    base = len(hdr_wo_len) + 2 + pn_len + 16
    if side == "c" and base + len(frames) < pad_to:
        frames = frames + b"\x00" * (pad_to - base - len(frames))
    length = pn_len + len(frames) + 16
    header = hdr_wo_len + struct.pack("!H", 0x4000 | length) + struct.pack("!H", pn)
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, frames, header)
    pn_off = len(header) - pn_len
    sample = ct[4 - pn_len:4 - pn_len + 16]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(header)
    h[0] ^= mask[0] & 0x0F
    for i in range(pn_len):
        h[pn_off + i] ^= mask[1 + i]
    return bytes(h) + ct


def quic_long_opaque(rng, ptype, dcid, scid, n):
    first = 0xC0 | (ptype << 4) | 1
    body = bytes(rng.getrandbits(8) for _ in range(n))
    return bytes([first]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + \
        scid + struct.pack("!H", 0x4000 | (n)) + body


def quic_tp(rng, scid):
    tp = b""
    tp += b"\x01" + varint(4) + struct.pack("!I", 0x80007530)  # max_idle_timeout 30000
    tp += b"\x04" + varint(4) + struct.pack("!I", 0x80F00000)
    tp += b"\x0f" + varint(len(scid)) + scid
    return tp


def udp_pkt(src, dst, sport, dport, payload, from_client, ttl, ipid):
    return ether(from_client) / IP(src=src, dst=dst, ttl=ttl, id=ipid, flags="DF") / \
        UDP(sport=sport, dport=dport) / Raw(payload)


def quic_attempt(cap, rng, sip, sni, t, times, answered=False, rtt=0.03, sttl=56):
    dcid = bytes(rng.getrandbits(8) for _ in range(8))
    scid = bytes(rng.getrandbits(8) for _ in range(8))
    sport = rng.randint(49152, 65000)
    ch = client_hello_msg(rng, sni, alpn=(b"h3",), quic_tp=quic_tp(rng, scid))
    frame = b"\x06" + varint(0) + varint(len(ch)) + ch
    ipid = rng.randint(1, 60000)
    for pn, dt in enumerate(times):
        pl = quic_initial(dcid, dcid, scid, pn, frame, "c")
        cap.add(t + dt, udp_pkt(CIP, sip, sport, 443, pl, True, 64, ipid + pn))
    if answered:
        srv_cid = bytes(rng.getrandbits(8) for _ in range(8))
        sh = server_hello_msg(rng)
        sframes = b"\x02" + varint(0) + varint(0) + varint(0) + varint(0) + \
            b"\x06" + varint(0) + varint(len(sh)) + sh
        p1 = quic_initial(dcid, scid, srv_cid, 0, sframes, "s")
        p1 += quic_long_opaque(rng, 2, scid, srv_cid, 1100)
        sid = rng.randint(1, 60000)
        tt = t + times[0] + rtt
        cap.add(tt, udp_pkt(sip, CIP, 443, sport, p1, False, sttl, sid))
        cap.add(tt + 0.0003, udp_pkt(sip, CIP, 443, sport,
                                      quic_long_opaque(rng, 2, scid, srv_cid, 1150), False, sttl, sid + 1))
        # client: Handshake + 1-RTT
        cap.add(tt + 0.002, udp_pkt(CIP, sip, sport, 443,
                                     quic_long_opaque(rng, 2, srv_cid, scid, 80), True, 64, ipid + 50))
        for k in range(6):
            short = bytes([0x40 | rng.getrandbits(5)]) + srv_cid + bytes(rng.getrandbits(8) for _ in range(rng.randint(40, 300)))
            cap.add(tt + 0.003 + k * 0.001, udp_pkt(CIP, sip, sport, 443, short, True, 64, ipid + 51 + k))
        for k in range(10):
            short = bytes([0x40 | rng.getrandbits(5)]) + scid + bytes(rng.getrandbits(8) for _ in range(1200))
            cap.add(tt + rtt + 0.003 + k * 0.0004, udp_pkt(sip, CIP, 443, sport, short, False, sttl, sid + 2 + k))
    return dcid


# ---------------------------------------------------------------- background
BG_NAMES = [
    ("www.wikipedia.org", "185.15.59.224"), ("github.com", "140.82.121.4"),
    ("www.debian.org", "130.89.148.77"), ("docs.python.org", "199.232.36.223"),
    ("www.mozilla.org", "34.160.144.191"), ("news.ycombinator.com", "209.216.230.207"),
    ("www.openstreetmap.org", "184.104.179.132"), ("stackoverflow.com", "104.18.32.7"),
    ("www.kernel.org", "139.178.84.217"), ("www.w3.org", "104.18.22.19"),
    ("www.apache.org", "151.101.2.132"), ("www.gnu.org", "209.51.188.116"),
    ("duckduckgo.com", "52.142.124.215"), ("www.theguardian.com", "151.101.65.111"),
    ("www.rust-lang.org", "13.33.21.110"), ("www.postgresql.org", "72.32.157.246"),
    ("ocsp.digicert.com", "192.229.211.108"), ("www.nasa.gov", "192.0.66.108"),
    ("weather.com", "23.62.226.160"), ("www.bbc.co.uk", "212.58.237.1"),
    ("arxiv.org", "151.101.3.42"), ("www.imdb.com", "18.165.83.21"),
    ("www.reuters.com", "104.18.38.10"), ("cdn.jsdelivr.net", "151.101.1.229"),
]
HTTP_NAMES = [("neverssl.com", "34.223.124.45"), ("example.com", "93.184.215.14"),
              ("httpforever.com", "146.190.62.39"), ("detectportal.firefox.com", "34.107.221.82"),
              ("www.columbia.edu", "128.59.105.24"), ("info.cern.ch", "188.184.100.182")]


def background(cap, rng, t0, span, n, exclude=(), rate_bps=None, http_share=0.25):
    names = [x for x in BG_NAMES if x[1] not in exclude and x[0] not in exclude]
    hnames = [x for x in HTTP_NAMES if x[1] not in exclude]
    rng.shuffle(names)
    rng.shuffle(hnames)
    for i in range(n):
        t = t0 + span * (i + rng.random() * 0.8) / n
        rtt = rng.uniform(0.012, 0.09)
        sttl = rng.choice([48, 51, 53, 54, 55, 57, 58, 115, 117, 242, 245])
        if rng.random() < http_share and hnames:
            host, ip = hnames.pop()
            t = dns_lookup(cap, rng, host, [ip], t) + 0.001
            http_session(cap, rng, ip, host, t, rtt, sttl, rate_bps=rate_bps)
        else:
            host, ip = names.pop()
            t = dns_lookup(cap, rng, host, [ip], t) + 0.001
            if rate_bps:
                c = tls_session(cap, rng, ip, host, t, rtt, sttl, resp=0, close=False)
                c.bulk(rng.randint(8000, 30000), rate_bps=rate_bps)
                c.close()
            else:
                tls_session(cap, rng, ip, host, t, rtt, sttl, resp=rng.randint(1500, 30000))
    # a couple of DNS-only lookups (AAAA alongside)
    for _ in range(2):
        host, ip = rng.choice(BG_NAMES)
        if host in exclude or ip in exclude:
            continue
        dns_lookup(cap, rng, host, ["2001:67c:4e8:f004::9"], t0 + rng.random() * span, qtype="AAAA",
                   cnames=())


# ---------------------------------------------------------------- positives
def p1_iran_sni_rst_v6(rng, t0):
    cap = Cap()
    sip = "2606:4700:3030::ac43:b1e2"
    name = "www.radiofarda.com"
    ctrl = "cdnjs.cloudflare.com"
    background(cap, rng, t0, 40, 14, exclude=(sip,))
    # control: same IPv6 server, other SNI, server hop limit 243
    t = dns_lookup(cap, rng, ctrl, [sip], t0 + 8.0, qtype="AAAA") + 0.001
    tls_session(cap, rng, sip, ctrl, t, 0.074, 243, resp=9000, v6=True)
    # blocked SNI
    t = dns_lookup(cap, rng, name, [sip], t0 + 15.0, qtype="AAAA") + 0.001
    c = TCPConv(cap, rng, sip, 443, t, 0.074, 243, v6=True)
    c.handshake()
    c.c_send(client_hello(rng, name), dt=0.0004)
    ch_frame_t = c.t
    # injected RST+ACK ~44 ms later (closer than the server, 74 ms RTT), hop limit 60
    c.s("RA", at=ch_frame_t + 0.044, ttl=60, win=0, advance=False)
    # client retries once -> same result
    t2 = ch_frame_t + 1.2
    c2 = TCPConv(cap, rng, sip, 443, t2, 0.074, 243, v6=True)
    c2.handshake()
    c2.c_send(client_hello(rng, name), dt=0.0004)
    c2.s("RA", at=c2.t + 0.043, ttl=60, win=0, advance=False)
    return cap, {"kind": "positive", "mechanism": "rst-injection", "domain": name, "ip": sip,
                 "why": "IPv6 ClientHello SNI=www.radiofarda.com answered within 44 ms (< 74 ms RTT) by RST+ACK "
                        "with hop limit 60 while the server's packets carry 243; same server completes TLS for "
                        "cdnjs.cloudflare.com just before (twice, reproducible)",
                 "shape": "TLS-01/RST-08 Iran-style, IPv6, server hop limit 243 (init 255) vs injector 60 (init 64): "
                          "injected TTL LOWER than server's; single RST+ACK win=0, no ServerHello"}


def p2_tspu_quic(rng, t0):
    cap = Cap()
    sip = "157.240.205.174"
    name = "www.instagram.com"
    background(cap, rng, t0, 40, 13, exclude=(sip,))
    # QUIC control to another server that answers
    ctl_ip = "142.250.185.100"
    t = dns_lookup(cap, rng, "www.google.com", [ctl_ip], t0 + 5.0) + 0.001
    quic_attempt(cap, rng, ctl_ip, "www.google.com", t, [0.0], answered=True, rtt=0.028, sttl=58)
    # blocked: QUIC Initial to instagram, never answered
    t = dns_lookup(cap, rng, name, [sip], t0 + 14.0) + 0.001
    quic_attempt(cap, rng, sip, name, t, [0.0, 0.3, 0.9, 2.1], answered=False)
    # fallback TCP/TLS to same IP and name works
    tls_session(cap, rng, sip, name, t + 2.5, 0.046, 55, resp=24000)
    return cap, {"kind": "positive", "mechanism": "blackhole", "domain": name, "ip": sip,
                 "why": "4 QUIC v1 Initials (SNI www.instagram.com, decryptable) to 157.240.205.174:443 over 2.1 s, "
                        "no datagram back; TLS over TCP to the same IP and SNI completes right after; another "
                        "QUIC server (www.google.com) answers its Initial in the same capture",
                 "shape": "QUIC-02 Russia TSPU: QUIC Initial dropped, TCP works for the same name (transport-selective)"}


AIRTEL_BODY = (b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
               b"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>"
               b"<body style=\"margin:0px;padding:0px\"><iframe src=\"http://www.airtel.in/dot/?dpid=1&dpruleid=3&cat=105"
               b"&dplanguage=-&url=http%3a%2f%2f1337x.to%2f\" width=\"100%\" height=\"100%\" frameborder=\"0\">"
               b"<p>The URL has been blocked as per the instructions of the DoT in compliance to the orders of "
               b"Court of Law</p></iframe></body></html>")


def p3_airtel_blockpage(rng, t0):
    cap = Cap()
    sip = "104.31.16.11"
    name = "1337x.to"
    background(cap, rng, t0, 40, 15, exclude=(sip,), http_share=0.4)
    t = dns_lookup(cap, rng, name, [sip], t0 + 16.0) + 0.001
    c = TCPConv(cap, rng, sip, 80, t, 0.082, 116)  # server initial TTL 128
    c.handshake()
    req = (b"GET / HTTP/1.1\r\nHost: 1337x.to\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:126.0) "
           b"Gecko/20100101 Firefox/126.0\r\nAccept: text/html,*/*;q=0.8\r\nConnection: keep-alive\r\n\r\n")
    c.c_send(req, dt=0.0003)
    hdr = (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + str(len(AIRTEL_BODY)).encode() +
           b"\r\nContent-Type: text/html\r\n\r\n")
    # injected, 6 ms after the GET (RTT 82 ms), TTL 61 (init 64) < server 116, fixed IP ID
    c.s("PA", hdr + AIRTEL_BODY, dt=0.006, ttl=61, ipid=0x3412, df=False)
    c.s("FA", dt=0.00002, ttl=61, ipid=0x3413, df=False)
    c.c("A", dt=0.0002)
    c.c("FA", dt=0.002)
    # the genuine server never saw the GET (in-path drop); nothing more from it
    # user then loads a normal site over HTTP on the same network (background covers it)
    return cap, {"kind": "positive", "mechanism": "blockpage", "domain": name, "ip": sip,
                 "why": "HTTP GET Host 1337x.to answered 6 ms later (RTT 82 ms) by 200 OK whose body iframes "
                        "www.airtel.in/dot/?dpid= and carries the DoT court-order text; TTL 61 vs server SYN/ACK 116",
                 "shape": "HTTP-01 Airtel pattern as 200 OK (not 302), injected reply TTL LOWER than the server's "
                          "(init 64 vs 128), followed by FIN; also packet-injection acceptable"}


def p4_gfw_dns_cname(rng, t0):
    cap = Cap()
    name = "www.bbc.com"
    resolver = "8.8.8.8"
    background(cap, rng, t0, 40, 12, exclude=("151.101.0.81",))
    t = t0 + 12.0
    txid = 0x5a3c
    sport = 51733
    q = dns_query_pkt(txid, name, "A", sport, t, cap, ipid=0x2b11, resolver=resolver)
    qb = bytes(q[DNS])
    # forged (GFW Injector-3 style): copy header+question, flags 0x8180, AN=1, AR=0, bare A
    qend = 12 + len(b"\x03www\x03bbc\x03com\x00") + 4
    forged = struct.pack("!HHHHHH", txid, 0x8180, 1, 1, 0, 0) + qb[12:qend] + \
        b"\xc0\x0c\x00\x01\x00\x01" + struct.pack("!I", 234) + b"\x00\x04" + bytes([31, 13, 94, 41])
    cap.add(t + 0.0061, Ether(src=GMAC, dst=CMAC) / IP(src=resolver, dst=CIP, ttl=119, id=0) /
            UDP(sport=53, dport=sport) / Raw(forged))
    # genuine: CNAME chain, later
    dns_answer_pkt(txid, name, "A",
                   [("CNAME", name, "www.bbc.com.pri.bbc.com.", 279),
                    ("CNAME", "www.bbc.com.pri.bbc.com.", "uk.www.bbc.com.pri.bbc.com.", 279),
                    ("A", "uk.www.bbc.com.pri.bbc.com.", "151.101.0.81", 279),
                    ("A", "uk.www.bbc.com.pri.bbc.com.", "151.101.64.81", 279)],
                   sport, t + 0.0417, cap, ttl=114, ipid=0x91c4, resolver=resolver)
    return cap, {"kind": "positive", "mechanism": "dns-injection", "domain": name, "ip": resolver,
                 "why": "one query (txid 0x5a3c) to 8.8.8.8 gets two responses: at +6 ms a bare A 31.13.94.41 "
                        "(flags 0x8180, AN=1, AR=0 although EDNS query, IP ID 0, TTL 119), at +42 ms the genuine "
                        "CNAME chain www.bbc.com -> ...pri.bbc.com -> A 151.101.0.81/151.101.64.81 (TTL 114)",
                 "shape": "DNS-01/02 GFW race where the genuine answer is a 2-level CNAME chain and the forged one "
                          "a bare A on the qname; final A sets disjoint"}


def p5_slow_injector(rng, t0):
    cap = Cap()
    sip = "151.101.1.164"
    name = "www.nytimes.com"
    ctrl = "pypi.org"
    background(cap, rng, t0, 45, 14, exclude=(sip, "151.101.1.229"))
    # control on same IP: server 300 ms away, TTL 44
    t = dns_lookup(cap, rng, ctrl, [sip], t0 + 7.0) + 0.001
    tls_session(cap, rng, sip, ctrl, t, 0.300, 44, resp=12000)
    t = dns_lookup(cap, rng, name, [sip], t0 + 20.0) + 0.001
    c = TCPConv(cap, rng, sip, 443, t, 0.300, 44)
    c.handshake()
    c.c_send(client_hello(rng, name), dt=0.0004)
    # injected RST+ACK exactly at next seq (siss+1) 150 ms after ClientHello, TTL 52, IP ID varies, DF
    c.s("RA", dt=0.150, ttl=52, win=0, advance=False, ipid=0xA3F1)
    return cap, {"kind": "positive", "mechanism": "rst-injection", "domain": name, "ip": sip,
                 "why": "RST+ACK arrives 150 ms after the ClientHello for www.nytimes.com though the server's RTT "
                        "is 300 ms (SYN/ACK and control flow pypi.org on the same IP); TTL 52 vs server 44; "
                        "seq exactly the server's next sequence number, ack exactly after the ClientHello",
                 "shape": "slow far injector: RST later than typical (150 ms) but still < 1 RTT (300 ms); "
                          "in-window exact seq, single RST, no ServerHello"}


def p6_throttle(rng, t0):
    cap = Cap()
    sip = "151.101.40.159"
    name = "video.twimg.com"
    ctrl = "cdn.jsdelivr.net"
    background(cap, rng, t0, 40, 12, exclude=(sip, ctrl))
    t = dns_lookup(cap, rng, name, [sip], t0 + 10.0, cnames=("dualstack.video.twimg.com.",)) + 0.001
    c = tls_session(cap, rng, sip, name, t, 0.038, 57, resp=0, close=False)
    c.c_send(appdata(rng, 180), dt=0.001)
    total = 150000
    nseg = (total + 1399) // 1400
    lost = [i for i in range(6, nseg, 9)]
    c.bulk(total, rate_bps=140000, lost=lost)
    c.close()
    end = c.t
    # control: same IP, different name, right after
    t = dns_lookup(cap, rng, ctrl, [sip], end + 0.4) + 0.001
    c2 = tls_session(cap, rng, sip, ctrl, t, 0.038, 57, resp=0, close=False)
    c2.c_send(appdata(rng, 160), dt=0.001)
    c2.bulk(700000, gap=0.00075)
    c2.close()
    return cap, {"kind": "positive", "mechanism": "throttling", "domain": name, "ip": sip,
                 "why": "150 KB for video.twimg.com arrives at ~140 kbit/s with periodic losses/retransmissions "
                        "(~9 s); right after, cdn.jsdelivr.net on the same IP delivers 700 KB at ~15 Mbit/s "
                        "with the same RTT/TTL",
                 "shape": "THR-01/02 SNI throttling of a video CDN name, natural control = other SNI, same IP, "
                          "fetched immediately after"}


# ---------------------------------------------------------------- benign
def b1_alert112(rng, t0):
    cap = Cap()
    sip = "85.13.150.20"
    name = "legacy.kunden-shop.de"
    background(cap, rng, t0, 40, 13, exclude=(sip,))
    t = dns_lookup(cap, rng, "www.kunden-shop.de", [sip], t0 + 9.0) + 0.001
    tls_session(cap, rng, sip, "www.kunden-shop.de", t, 0.021, 55, resp=14000)
    t = dns_lookup(cap, rng, name, [sip], t0 + 15.0) + 0.001
    c = TCPConv(cap, rng, sip, 443, t, 0.021, 55)
    c.handshake()
    c.c_send(client_hello(rng, name), dt=0.0004)
    c.s("A", dt=0.021)
    c.s("PA", b"\x15\x03\x03\x00\x02\x02\x70", dt=0.0009)  # fatal unrecognized_name
    c.s("FA", dt=0.00005)
    c.c("A", dt=0.0002)
    c.c("FA", dt=0.0004)
    c.s("A", dt=0.021)
    return cap, {"kind": "benign", "domain": name, "ip": sip,
                 "why": "server itself (TTL 55, IP ID sequence, after 1 RTT) answers an unknown SNI with TLS "
                        "alert 112 unrecognized_name then FIN; same IP serves www.kunden-shop.de fine",
                 "shape": "trap: SNI-dependent failure on one IP with a same-IP control success; but genuine "
                          "server alert+FIN (TLS-05), not RST/drop"}


def b2_idle_reset(rng, t0):
    cap = Cap()
    sip = "23.52.41.18"
    name = "static.shopcdn-assets.com"
    background(cap, rng, t0, 60, 14, exclude=(sip,))
    t = dns_lookup(cap, rng, name, [sip], t0 + 6.0, cnames=("static.shopcdn-assets.com.edgekey.net.",)) + 0.001
    c = tls_session(cap, rng, sip, name, t, 0.018, 57, resp=22000, close=False)
    c.s("RA", dt=30.0, win=0)  # CDN idle timeout, server's TTL, next seq, IP ID continues
    return cap, {"kind": "benign", "domain": name, "ip": sip,
                 "why": "after a completed TLS 1.3 exchange the connection idles; exactly 30 s after the last "
                        "packet the CDN sends one RST+ACK with its own TTL 57, IP ID sequence, exact next seq",
                 "shape": "trap: server RST on an SNI flow (FP trap 1, idle-timeout reset)"}


def b3_dns_two_ifaces(rng, t0):
    cap = Cap()
    background(cap, rng, t0, 40, 13, exclude=("104.16.132.229",))
    t = t0 + 11.0
    name = "discord.com"
    txid = 0x1f2e
    sport = 45012
    mac2 = "02:00:5e:10:00:77"
    cip2 = "192.168.1.77"
    dns_query_pkt(txid, name, "A", sport, t, cap, ipid=0x4401)
    dns_query_pkt(txid, name, "A", sport, t + 0.0003, cap, cip=cip2, cmac=mac2, ipid=0x7e02)
    ips = ["162.159.135.232", "162.159.128.233", "162.159.136.232"]
    dns_answer_pkt(txid, name, "A", [("A", name, ip, 300) for ip in ips], sport, t + 0.0142, cap,
                   ipid=0x0c51)
    rot = ips[1:] + ips[:1]
    dns_answer_pkt(txid, name, "A", [("A", name, ip, 300) for ip in rot], sport, t + 0.0149, cap,
                   cip=cip2, cmac=mac2, ipid=0x0c52)
    tls_session(cap, rng, ips[0], name, t + 0.02, 0.024, 58, resp=16000)
    return cap, {"kind": "benign", "domain": "discord.com", "ip": RESOLVER,
                 "why": "same query (txid 0x1f2e, same source port) sent from two client interfaces "
                        "(192.168.1.50 and .77); resolver answers each once, same RRset (round-robin order "
                        "rotated), same IP TTL, 0.7 ms apart",
                 "shape": "trap: two responses with same txid/qname in one capture (FP trap 4)"}


def b4_hotel_slow(rng, t0):
    cap = Cap()
    rate = 320000
    background(cap, rng, t0, 60, 12, exclude=("151.101.40.159", "cdn.jsdelivr.net"), rate_bps=rate)
    sip = "151.101.40.159"
    for i, (name, size) in enumerate([("video.twimg.com", 160000), ("cdn.jsdelivr.net", 120000)]):
        t = dns_lookup(cap, rng, name, [sip], t0 + 20.0 + i * 8.0) + 0.001
        c = tls_session(cap, rng, sip, name, t, 0.061, 57, resp=0, close=False)
        c.c_send(appdata(rng, 170), dt=0.001)
        nseg = (size + 1399) // 1400
        c.bulk(size, rate_bps=rate * rng.uniform(0.92, 1.05), lost=list(range(11, nseg, 23)))
        c.close()
    return cap, {"kind": "benign", "domain": "video.twimg.com", "ip": sip,
                 "why": "every flow in the capture (all servers, both names on 151.101.40.159) runs at "
                        "~300 kbit/s with similar occasional loss; no faster flow exists to compare",
                 "shape": "trap: video CDN name slow but network-wide slowness (FP trap 6 congestion, no control)"}


def b5_lb_ttl(rng, t0):
    cap = Cap()
    sip = "45.60.12.88"
    name = "portal.stadtwerke-online.de"
    background(cap, rng, t0, 40, 13, exclude=(sip,))
    t = dns_lookup(cap, rng, name, [sip], t0 + 14.0) + 0.001
    c = tls_session(cap, rng, sip, name, t, 0.029, 52, resp=18000, close=False, syn_ttl=53, later_ttl=52)
    c.c_send(appdata(rng, 19), dt=0.3)
    c.close(ttl=52)
    return cap, {"kind": "benign", "domain": name, "ip": sip,
                 "why": "SYN/ACK TTL 53 (load balancer) and every later server packet TTL 52 (backend); "
                        "complete TLS 1.3 handshake, data, normal FIN close, no RST",
                 "shape": "trap: TTL change by 1 within a flow with no trigger/anomaly (FP trap 2)"}


NGINX_403 = (b"<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1>"
             b"</center>\r\n<hr><center>nginx/1.18.0 (Ubuntu)</center>\r\n</body>\r\n</html>\r\n")


def b6_nginx403(rng, t0):
    cap = Cap()
    sip = "5.39.80.12"
    name = "mirror.hostingpark.nl"
    background(cap, rng, t0, 40, 13, exclude=(sip,), http_share=0.35)
    t = dns_lookup(cap, rng, name, [sip], t0 + 17.0) + 0.001
    http_session(cap, rng, sip, name, t, 0.034, 50, path="/private/", status=b"403 Forbidden",
                 body=NGINX_403, server=b"nginx/1.18.0 (Ubuntu)")
    return cap, {"kind": "benign", "domain": name, "ip": sip,
                 "why": "nginx origin answers GET /private/ with its stock 403 page after one RTT (34 ms) with "
                        "the server's TTL 50 and IP ID sequence, keep-alive, client FIN close",
                 "shape": "trap: 403 status / 'Forbidden' text looks like a block page (FP trap 7, nginx default)"}


BUILDERS = [
    ("h4_p1_iran_sni_rst_v6.pcap", p1_iran_sni_rst_v6),
    ("h4_p2_tspu_quic_drop.pcap", p2_tspu_quic),
    ("h4_p3_airtel_blockpage.pcap", p3_airtel_blockpage),
    ("h4_p4_gfw_dns_cname.pcap", p4_gfw_dns_cname),
    ("h4_p5_slow_injector_rst.pcap", p5_slow_injector),
    ("h4_p6_video_throttle.pcap", p6_throttle),
    ("h4_b1_alert112.pcap", b1_alert112),
    ("h4_b2_cdn_idle_reset.pcap", b2_idle_reset),
    ("h4_b3_dns_two_ifaces.pcap", b3_dns_two_ifaces),
    ("h4_b4_hotel_slow.pcap", b4_hotel_slow),
    ("h4_b5_lb_ttl_minus1.pcap", b5_lb_ttl),
    ("h4_b6_nginx_403.pcap", b6_nginx403),
]


def main():
    global OUT
    if len(sys.argv) != 2:
        sys.exit("usage: blind4_mixed.py OUTDIR")
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    expect = {}
    for i, (fn, fnc) in enumerate(BUILDERS):
        rng = random.Random(4000 + i)
        cap, meta = fnc(rng, BASE_T + i * 3600)
        meta.setdefault("mechanism", None)
        wrpcap(os.path.join(OUT, fn), cap.packets())
        expect[fn] = meta
    with open(os.path.join(OUT, "expect.json"), "w") as f:
        json.dump(expect, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
