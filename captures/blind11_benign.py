#!/usr/bin/env python3
# ruff: noqa: B007, B905, E402, E501, E731, F841, RUF046, RUF059
"""blind11_benign.py OUTDIR -- six BENIGN look-alike captures for a censorship-forensics analyzer.

Kit part (pcap/pcapng writers, TCP flow builder, TLS/DNS/QUIC builders) followed by one
builder per case.  Deterministic: seeded RNGs, fixed epochs."""
import heapq
import itertools
import json
import os
import struct
import sys

import blind_kit as kit
from scapy.all import IP, UDP, Raw

# ----------------------------------------------------------------------------
# capture container and writers
# ----------------------------------------------------------------------------


class Cap(kit.Cap):
    """The kit's Cap with the methods this round changed."""

    def link(self, iface, ipb, out):
        f = self.ifaces[iface]
        et = 0x86DD if ipb[0] >> 4 == 6 else 0x0800
        k = f["link"]
        if k == "raw":
            return ipb
        if k == "sll2" and f.get("hatype") == 519:  # ARPHRD_RAWIP (Android rmnet): no link-layer address
            return struct.pack("!HHIHBB", et, 0, f["ifindex"], 519, 4 if out else 0, 0) + b"\0" * 8 + ipb
        if k == "sll2":
            addr = f["cmac"] if out else f["gmac"]
            return struct.pack("!HHIHBB", et, 0, f["ifindex"], 1, 4 if out else 0, 6) + addr + b"\0\0" + ipb
        src, dst = (f["cmac"], f["gmac"]) if out else (f["gmac"], f["cmac"])
        if k == "eth":
            fr = dst + src + struct.pack("!H", et) + ipb
        else:
            fr = dst + src + struct.pack("!HHH", 0x8100, (f.get("pcp", 0) << 13) | f["vlan"], et) + ipb
        if (not out or f.get("pad_all")) and len(fr) < 60:  # frames from the wire (or a mirror port) arrive padded
            fr += b"\0" * (60 - len(fr))
        return fr


# ----------------------------------------------------------------------------
# IP / TCP
# ----------------------------------------------------------------------------


PROFILES = {
    # syn window, window scale, ts, SYN option layout
    "linux": dict(synwin=64240, ws=7, ts=True, win0=502),
    "linuxsrv": dict(synwin=65160, ws=7, ts=True, win0=509),
    "mac": dict(synwin=65535, ws=6, ts=True, win0=2058),
    "cdn": dict(synwin=65535, ws=9, ts=True, win0=128),
    "nots": dict(synwin=65535, ws=8, ts=False, win0=1026),
    "win": dict(synwin=64240, ws=8, ts=False, win0=1026),
    "android": dict(synwin=65535, ws=9, ts=True, win0=128),
}


class Flow(kit.Flow):
    """The kit's Flow with the methods this round changed."""

    profiles = PROFILES

    def _opts(self, out, t, flags, sack=None):
        if out:
            tsv = (self.cts + int(t * 1000)) & 0xFFFFFFFF
            ecr = self.last_sts
        else:
            tsv = (self.sts + int((t - self.owd) * 1000)) & 0xFFFFFFFF
            ecr = self.last_cts
        if "S" in flags:
            p = self.cp if out else self.sp
            mss = self.cmss if out else self.smss
            if out:
                self.last_cts = tsv
            else:
                self.last_sts = tsv
            if out and self.ctx.cos == "win":
                return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
            if not out and not self.ts:  # Linux SYN/ACK to a peer that offered no timestamps
                return [("MSS", mss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", p["ws"])]
            if out and self.ctx.cos == "mac":
                return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("NOP", None), ("NOP", None), ("Timestamp", (tsv, 0)), ("SAckOK", b""), ("EOL", None)]
            if not p["ts"] or (not out and not self.ts):
                if out:
                    return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("SAckOK", b""), ("Timestamp", (tsv, 0))]
                return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("SAckOK", b""), ("EOL", None)]
            return [("MSS", mss), ("SAckOK", b""), ("Timestamp", (tsv, ecr if not out else 0)), ("NOP", None), ("WScale", p["ws"])]
        o = []
        if self.ts:
            o = [("NOP", None), ("NOP", None), ("Timestamp", (tsv, ecr))]
            if out:
                self.last_cts = tsv
            else:
                self.last_sts = tsv
        if sack:
            o += [("NOP", None), ("NOP", None), ("SAck", tuple(x & 0xFFFFFFFF for blk in sack for x in blk))]
        return o

    def close_server(self, t, tag=None):
        """Server closes first (HTTP/1.1 Connection: close); client FIN follows."""
        self.s(t, "FA", tag=tag)
        self.c_rcv = self.snxt
        t2 = t + self.ctx.rng.uniform(0.0002, 0.002)
        self.c(t2, "FA")
        self.s_rcv = self.cnxt
        self.s(t2 + self.rtt, "A")
        return t2 + self.rtt


# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------

QT = {"A": 1, "AAAA": 28, "CNAME": 5, "OPT": 41, "HTTPS": 65}


def dns_msg(txid, flags, qname, qtype, answers=(), edns=None, ar_override=None):
    """answers: (name, type, ttl, rdata) with full name compression."""
    out = bytearray(struct.pack("!HHHHHH", txid, flags, 1, len(answers), 0, (1 if edns else 0) if ar_override is None else ar_override))
    table = {}

    def name(n):
        labels = n.rstrip(".").split(".")
        for i in range(len(labels)):
            suf = ".".join(labels[i:]).lower()
            if suf in table:
                out.extend(struct.pack("!H", 0xC000 | table[suf]))
                return
            if len(out) < 0x3FFF:
                table[suf] = len(out)
            lb = labels[i].encode()
            out.extend(bytes([len(lb)]) + lb)
        out.append(0)

    name(qname)
    out.extend(struct.pack("!HH", QT[qtype], 1))
    for n, ty, ttl, rd in answers:
        name(n)
        out.extend(struct.pack("!HHI", QT[ty], 1, ttl))
        if ty == "A":
            out.extend(struct.pack("!H", 4) + bytes(int(x) for x in rd.split(".")))
        elif ty == "HTTPS":  # (priority, [alpn ids]): "1 . alpn=..."; target "." is never compressed
            alpn = b"".join(bytes([len(a)]) + a.encode() for a in rd[1])
            body = u16(rd[0]) + b"\x00" + u16(1) + u16(len(alpn)) + alpn
            out.extend(u16(len(body)) + body)
        elif ty == "AAAA":
            import ipaddress
            out.extend(struct.pack("!H", 16) + ipaddress.IPv6Address(rd).packed)
        else:
            pos = len(out)
            out.extend(b"\0\0")
            name(rd)
            struct.pack_into("!H", out, pos, len(out) - pos - 2)
    if edns:
        out.extend(b"\x00" + struct.pack("!HHIH", 41, edns, 0, 0))
    return bytes(out)


# ----------------------------------------------------------------------------
# QUIC v1 Initial (RFC 9000/9001): real Initial protection so the SNI can be decrypted
# ----------------------------------------------------------------------------

import hashlib
import hmac as _hmac

from blind_kit import (  # the capture-writing kit the round was written with
    GREASE,
    app_rec,
    app_stream,
    chain,
    client_hello,
    epoch,
    ext,
    mac,
    mk_ip,
    server_flight,
    u16,
    x25519_pub,
)
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

QUIC_V1_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def _expand_label(secret, label, n):
    full = b"tls13 " + label
    info = struct.pack("!H", n) + bytes([len(full)]) + full + b"\x00"
    return HKDFExpand(hashes.SHA256(), n, info).derive(secret)


def varint(v):
    if v < 64:
        return bytes([v])
    if v < 16384:
        return struct.pack("!H", 0x4000 | v)
    return struct.pack("!I", 0x80000000 | v)


def quic_client_hello(rng, sni, scid):
    """TLS 1.3 ClientHello handshake message (no record layer) as Chrome sends it over QUIC."""
    tp = b"".join(varint(k) + varint(len(v)) + v for k, v in (
        (0x01, varint(30000)), (0x03, varint(1472)), (0x04, varint(15728640)), (0x05, varint(6291456)), (0x06, varint(6291456)),
        (0x07, varint(6291456)), (0x08, varint(100)), (0x09, varint(103)), (0x0F, scid), (0x20, varint(65536))))
    g = rng.choice(GREASE)
    exts = [ext(g, b""), ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
            ext(10, u16(6) + u16(g) + u16(0x1D) + u16(0x17)), ext(13, u16(8) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503))),
            ext(51, u16(36) + u16(0x1D) + u16(32) + x25519_pub(rng)), ext(45, b"\x01\x01"), ext(43, b"\x02\x03\x04"),
            ext(16, u16(3) + b"\x02h3"), ext(27, b"\x02\x00\x02"), ext(0x39, tp), ext(g ^ 0x1010, b"\x00")]
    el = b"".join(exts)
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(6) + u16(0x1301) + u16(0x1302) + u16(0x1303) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def quic_initial(dcid, scid, pn, crypto, size=1250):
    """One client Initial datagram payload, CRYPTO frame padded to `size` bytes, protected with the v1 Initial keys."""
    prk = _hmac.new(QUIC_V1_SALT, dcid, hashlib.sha256).digest()
    sec = _expand_label(prk, b"client in", 32)
    key, iv, hp = _expand_label(sec, b"quic key", 16), _expand_label(sec, b"quic iv", 12), _expand_label(sec, b"quic hp", 16)
    pnl = 2 if pn > 255 else 1
    frame = b"\x06" + varint(0) + varint(len(crypto)) + crypto
    hdr0 = bytes([0xC0 | (pnl - 1)]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(0)
    plen = size - len(hdr0) - 2 - pnl - 16
    payload = frame + b"\x00" * (plen - len(frame))
    hdr = hdr0 + varint(pnl + plen + 16).rjust(2, b"\x40") + pn.to_bytes(pnl, "big")
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big")))
    ct = AESGCM(key).encrypt(nonce, payload, hdr)
    sample = ct[4 - pnl:20 - pnl]
    mask = Cipher(algorithms.AES(hp), modes.ECB()).encryptor().update(sample)
    h = bytearray(hdr)
    h[0] ^= mask[0] & 0x0F
    for j in range(pnl):
        h[len(hdr) - pnl + j] ^= mask[1 + j]
    return bytes(h) + ct


# ----------------------------------------------------------------------------
# per-case context and composite helpers
# ----------------------------------------------------------------------------


class Ctx(kit.Ctx):
    """The kit's Ctx with the methods this round changed."""

    flow_class = Flow
    make_dns = staticmethod(dns_msg)

    def ipid(self, fl):
        if self.cos == "win":  # Windows: one global counter
            self.gid = (getattr(self, "gid", self.rng.randrange(4096, 30000)) + 1) & 0xFFFF
            return self.gid
        if self.cos == "mac":
            return self.rng.randrange(65536)
        v = fl.cid
        fl.cid = (fl.cid + 1) & 0xFFFF
        return v

    def lookup(self, t, qname, ans_a=(), ans_aaaa=(), v6=False, iface=None, rtt=None, rflags=0x8180, tag=None, aaaa=True, redns=None):
        """glibc-style A + AAAA from one connected UDP socket; answers are lists for
        dns_msg (use chain()). Returns the time the last answer arrived."""
        rng = self.rng
        iface = self.iface if iface is None else iface
        rtt = rtt or self.dns_rtt
        src, dst = (self.cip6, self.resolver6) if v6 else (self.cip, self.resolver)
        sport = self.port()
        qid = rng.randrange(1, 65536)
        fl = rng.getrandbits(20)
        qs = [("A", ans_a)] + ([("AAAA", ans_aaaa)] if aaaa else [])
        tq = t
        ids = []
        for qt, _ in qs:
            txid = rng.randrange(65536)
            ids.append(txid)
            q = dns_msg(txid, self.qflags, qname, qt, edns=self.edns)
            if self.cos == "win":
                qid = self.ipid(None)
            self.cap.add(tq, mk_ip(src, dst, self.cttl, qid, True, fl) / UDP(sport=sport, dport=53) / Raw(q), True, iface, tag and f"{tag}q{qt}")
            qid += 1
            tq += rng.uniform(0.00003, 0.0001)
        rs = []
        for (qt, ans), txid in zip(qs, ids):
            ta = t + rtt * rng.uniform(0.9, 1.15)
            rs.append((ta, qt, dns_msg(txid, rflags, qname, qt, ans, edns=redns if redns is not None else self.edns)))
        for ta, qt, r in sorted(rs):
            self.cap.add(ta, mk_ip(dst, src, self.rttl, self.resp_ipid(), False) / UDP(sport=53, dport=sport) / Raw(r), False, iface, tag and f"{tag}r{qt}")
        return max(max(r[0] for r in rs), t + rtt)




# ----------------------------------------------------------------------------
# client -> server upload with a receiver whose window closes
# ----------------------------------------------------------------------------


def upload(fl, t0, data, rcvbuf, drain, stalls, pressure, up_rate, tag):
    """Client sends `data`; the server kernel ACKs every 2nd segment with its free buffer as
    window. The server application reads `drain` bytes/s except inside `stalls` (buffer fills,
    window reaches 0, the client probes with 1 byte). Inside `pressure` the server, short of
    memory, advertises 0 and drops arriving segments (the client retransmits on RTO).
    Returns the time the client received the ACK of the last byte."""
    mss, N, ws, owd = fl.seg, len(data), fl.sp["ws"], fl.owd
    base = fl.cnxt
    ev, cnt = [], itertools.count()
    push = lambda t, k, x=None: heapq.heappush(ev, (t, next(cnt), k, x))
    C = dict(una=0, nxt=0, edge=fl.swin() << ws, cwnd=10 * mss, link=t0, rto=0.3, boff=1, rgen=0, pgen=0, pact=False, pboff=1,
             dup=0, fr=False, lastwin=None, nprobe=0, nrtx=0)
    S = dict(oow=-1.0, rcv=0, buf=0.0, last=t0, edge=C["edge"], maxedge=C["edge"], pend=0, dgen=0, nz=0, done=None)
    inside = lambda t, ivs: any(a <= t < b for a, b in ivs)

    def drain_to(t):  # the server application reads from its socket buffer
        while S["last"] < t:
            d = min(0.001, t - S["last"])
            if not inside(S["last"], stalls + pressure):
                S["buf"] = max(0.0, S["buf"] - drain * d)
            S["last"] += d

    def s_ack(t, stag=None):
        drain_to(t)
        if inside(t, pressure):
            win = 0
        else:
            win = (max(0, rcvbuf - int(S["buf"])) // mss * mss) >> ws
            win = max(win, (S["edge"] - S["rcv"]) >> ws)  # (almost) never shrink the right edge
        S["edge"] = S["rcv"] + (win << ws)
        S["maxedge"] = S["edge"] if win == 0 else max(S["maxedge"], S["edge"])
        if win == 0 and stag is None:
            S["nz"] += 1
            stag = f"{tag}zero{S['nz']}"
        fl.s(t, "A", ack=base + S["rcv"], win=win, tag=stag)
        S["pend"] = 0
        push(t + owd, "ack", (S["rcv"], win))

    def c_send(t, off, n, stag=None):
        t = max(t, C["link"])
        C["link"] = t + (n + 40) * 8 / up_rate
        fl.c(t, "PA" if off + n == N or n == 1 else "A", data[off:off + n], seq=base + off, tag=stag)
        push(C["link"] + owd, "arr", (off, n))

    def arm_rto(t):
        C["rgen"] += 1
        push(t + C["rto"] * C["boff"], "rto", C["rgen"])

    def try_send(t):
        while C["nxt"] < N:
            full = min(mss, N - C["nxt"])
            n = min(full, C["edge"] - C["nxt"])  # sender SWS avoidance: a short segment only when idle
            if n <= 0 or (n < full and C["una"] < C["nxt"]) or C["nxt"] - C["una"] + n > C["cwnd"]:
                break
            if C["una"] == C["nxt"]:
                arm_rto(t)
            c_send(t, C["nxt"], n)
            C["nxt"] += n
        if C["una"] == C["nxt"] < N and C["edge"] <= C["nxt"] and not C["pact"]:
            C["pact"], C["pgen"] = True, C["pgen"] + 1
            push(t + C["rto"] * C["pboff"], "probe", C["pgen"])

    for a, b in stalls + pressure:  # the application reads again: window update
        push(b + 0.0023, "wupd")
    try_send(t0)
    while ev:
        t, _, k, x = heapq.heappop(ev)
        if k == "arr":  # a client segment reaches the server
            off, n = x
            drain_to(t)
            if off <= S["rcv"] < off + n and off + n <= S["maxedge"] and not inside(t, pressure):
                S["buf"] += off + n - S["rcv"]
                S["rcv"] = off + n
                S["pend"] += 1
                if S["pend"] >= 2 or S["rcv"] == N:
                    s_ack(t)
                else:
                    S["dgen"] += 1
                    push(t + 0.04, "dack", S["dgen"])
            elif off <= S["rcv"] or t - S["oow"] >= 0.5:  # Linux: ACK at rcv_nxt; beyond it, 1 per 500 ms
                S["oow"] = t if off > S["rcv"] else S["oow"]
                s_ack(t)
        elif k == "dack" and x == S["dgen"] and S["pend"]:
            s_ack(t)
        elif k == "wupd":
            s_ack(t, f"{tag}wupd{t:.1f}")
        elif k == "ack":  # a server ACK reaches the client
            a, w = x
            same = a == C["una"] and w == C["lastwin"] and C["una"] < C["nxt"]
            C["lastwin"] = w
            if a > C["una"]:
                C["una"], C["boff"], C["dup"], C["fr"] = a, 1, 0, False
                C["nxt"] = max(C["nxt"], a)
                C["cwnd"] = min(C["cwnd"] + mss, 24 * mss)
                if C["una"] < C["nxt"]:
                    arm_rto(t)
                else:
                    C["rgen"] += 1
            elif same:
                C["dup"] += 1
                if C["dup"] == 3 and not C["fr"]:  # fast retransmit, once
                    C["fr"] = True
                    C["nrtx"] += 1
                    c_send(t + 0.00002, C["una"], min(mss, N - C["una"]), f"{tag}rtx{C['nrtx']}")
            C["edge"] = a + (w << ws)
            if w > 0:
                C["pact"], C["pboff"] = False, 1
            if C["una"] >= N:
                S["done"] = t
                break
            try_send(t + 0.00001)
        elif k == "probe" and x == C["pgen"] and C["pact"]:
            if C["edge"] > C["nxt"] or C["una"] < C["nxt"]:
                C["pact"] = False
                try_send(t)
                continue
            C["nprobe"] += 1
            c_send(t, C["nxt"], 1, f"{tag}probe{C['nprobe']}")
            C["pboff"] = min(C["pboff"] * 2, 64)
            push(t + C["rto"] * C["pboff"], "probe", C["pgen"])
        elif k == "rto" and x == C["rgen"] and C["una"] < C["nxt"]:
            n = min(mss, N - C["una"])
            C["nrtx"] += 1
            c_send(t, C["una"], n, f"{tag}rtx{C['nrtx']}")
            C["nxt"], C["cwnd"], C["boff"] = C["una"] + n, mss, C["boff"] * 2
            arm_rto(t)
    fl.cnxt = base + N
    fl.s_rcv = fl.cnxt
    return S["done"]


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def fr(cap, *tags):
    return ", ".join(str(cap.frame(t)) for t in tags)


# ----------------------------------------------------------------------------
# case 1: zero window, not a drop (Windows 11, Ethernet, pcap usec)
# ----------------------------------------------------------------------------


@case
def case1():
    cap = Cap("b11_zero_window_upload.pcap", epoch(2025, 3, 14, 9, 12, 5),
              [{"link": "eth", "cmac": mac("3c:52:82:4e:91:07"), "gmac": mac("2c:91:ab:5e:10:c2")}])
    cx = Ctx(cap, 1101, cip="192.168.178.34", resolver="192.168.178.1", cos="win", cttl=128, rttl=64, dns_rtt=0.014)
    rng = cx.rng
    t = cx.lookup(0.0, "www.msftconnecttest.com", chain("www.msftconnecttest.com", ["ipv4only.msftconnecttest.com.edgesuite.net", "a1961.g2.akamai.net"], ["2.16.106.40", "2.16.106.48"], 3600, 20), [], tag="ncsi")
    _, t = cx.http(t + 0.001, "2.16.106.40", "www.msftconnecttest.com", 0.011, 58, path="/connecttest.txt",
                   headers=[("Content-Length", "22"), ("Content-Type", "text/plain"), ("Cache-Control", "max-age=30, must-revalidate")],
                   body=b"Microsoft Connect Test", ua="Microsoft NCSI", tag="ncsi")
    t = cx.lookup(0.7, "www.bing.com", chain("www.bing.com", ["www-www.bing.com.trafficmanager.net", "dual-a-0001.a-msedge.net"], ["13.107.21.200", "204.79.197.200"], 300, 60),
                  chain("www.bing.com", ["www-www.bing.com.trafficmanager.net", "dual-a-0001.a-msedge.net"], ["2620:1ec:c11::200"], 300, 60, "AAAA"), tag="bing")
    cx.https(t + 0.001, "13.107.21.200", "www.bing.com", 0.019, 117, resp=48000, profile="chrome", sos="cdn", close=None, tag="bing")
    # the upload: a Nextcloud WebDAV PUT of a 420 kB photo
    host, sip = "cloud.hofmann-it.de", "88.99.71.146"
    t = cx.lookup(2.0, host, [(host, "A", 300, sip)], [], tag="up")
    fl = Flow(cx, sip, 443, 0.031, 52, sos="linuxsrv")
    t = fl.handshake(t + 0.0008, "up")
    ch, sid = client_hello(rng, host, ("h2", "http/1.1"), "chrome")
    t = fl.send_c(t + 0.0005, ch, "upch")
    t = fl.bulk(t + fl.owd + 0.0012, server_flight(rng, sid, 2900), 40e6, None, 1e9, "upsh", final_ack=False)
    data = b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 480) + app_stream(rng, 420_000)
    tu = fl.last_arr + 0.0031
    done = upload(fl, tu, data, 131072, 30e6, [(tu + 0.10, tu + 6.0)], [(tu + 6.17, tu + 10.55)], 8e6, "up")
    fl.c_rcv = fl.snxt
    t = fl.bulk(done + fl.owd + 0.045, app_rec(rng, 310) + app_rec(rng, 164), 40e6, None, 1e9, "upresp")
    t = fl.close_client(t + 1.7, alert=False)
    t = cx.lookup(t + 2.2, "www.heise.de", [("www.heise.de", "A", 3600, "193.99.144.85")], [("www.heise.de", "AAAA", 3600, "2a02:2e0:3fe:1001:302::")], tag="heise")
    cx.https(t + 0.001, "193.99.144.85", "www.heise.de", 0.022, 246, resp=90000, profile="chrome", sos="linuxsrv", close="client", tag="heise")
    z, w2 = cap.frames("upzero"), cap.frames("upwupd")[1]
    about = (f"Windows host uploads 420 kB over HTTPS to {host} (ClientHello {fr(cap, 'upch')}). Server app stops reading: kernel ACKs the same number "
             f"with window 0 (from {z[0]}), client 1-byte probes {', '.join(map(str, cap.frames('upprobe')))} each answered, window update {cap.frames('upwupd')[0]}. "
             f"Then window 0 under memory pressure: retransmissions {', '.join(str(x) for x in cap.frames('uprtx') if x < w2)} answered with the same ACK, "
             f"update {w2}, upload completes, response {cap.frame('upresp' + 'data')}. Flow control; server TTL/IP ID consistent.")
    return cap, about


# ----------------------------------------------------------------------------
# case 2: OpenVPN (tls-crypt) over TCP 443 that works (Linux laptop, LTE modem wwan0: raw IP,
#         big-endian nanosecond pcap, IPv6 tunnel transport)
# ----------------------------------------------------------------------------


def ovpn_ctl(rng, op, sid, pid, inner):
    """OpenVPN tls-crypt control packet with the TCP 2-byte length prefix:
    opcode|key_id, session id, packet id, net time, HMAC tag, encrypted rest."""
    body = bytes([op << 3]) + sid + struct.pack("!II", pid, 1741953000 + pid) + rng.randbytes(32) + rng.randbytes(inner)
    return u16(len(body)) + body


def ovpn_data(rng, peer, pid, inner):
    """P_DATA_V2 with AES-256-GCM: opcode|key_id, peer id, packet id, tag, ciphertext."""
    body = bytes([9 << 3]) + peer + struct.pack("!I", pid) + rng.randbytes(16) + rng.randbytes(inner)
    return u16(len(body)) + body


@case
def case2():
    cap = Cap("b11_openvpn_tcp443.pcap", epoch(2025, 3, 14, 11, 40, 2), [{"link": "raw"}], endian=">", nsec=True)
    cx = Ctx(cap, 1202, cip="100.83.17.202", cip6="2a01:598:b1a4:3f7c:d1e5:72ff:fe40:9a1c", cos="linux", cttl=64,
             mss4=1400, mss6=1380, resolver="10.74.210.210", resolver6="2a01:598:7ff:0:10:74:210:221", rttl=61, dns_rtt=0.048)
    rng = cx.rng
    t = cx.lookup(0.0, "connectivity-check.ubuntu.com", [("connectivity-check.ubuntu.com", "A", 60, "185.125.190.49")],
                  [("connectivity-check.ubuntu.com", "AAAA", 60, "2620:2d:4000:1::2a")], v6=True, tag="ncc")
    _, t = cx.http(t + 0.001, "2620:2d:4000:1::2a", "connectivity-check.ubuntu.com", 0.061, 51, status="204 No Content",
                   headers=[("Date", "Fri, 14 Mar 2025 11:40:02 GMT"), ("Server", "nginx"), ("X-NetworkManager-Status", "online"), ("Connection", "close")],
                   ua="NetworkManager/1.46.0", tag="ncc")
    host, sip = "vpn.brandt-consulting.eu", "2a01:4f8:c17:3a2e::1"
    t = cx.lookup(t + 0.4, host, [(host, "A", 3600, "116.203.41.77")], [(host, "AAAA", 3600, sip)], v6=True, tag="vpn")
    fl = Flow(cx, sip, 443, 0.058, 52, sos="linuxsrv")
    t = fl.handshake(t + 0.0006, "vpn")
    csid, ssid, peer = rng.randbytes(8), rng.randbytes(8), b"\x00\x00\x07"
    cpid = spid = 0
    st = {"c": t, "s": t}  # last packet each side sent (for the 10 s keepalive pings)

    sent = []  # (time, client seq after) so the server only ACKs what has reached it

    def up(t, pkt, tag=None):
        st["c"] = t
        t = fl.send_c(t, pkt, tag)
        sent.append((st["c"], fl.cnxt))
        return t

    def down(t, pkt, tag=None):
        fl.s_rcv = max([fl.ciss + 1] + [n for ts, n in sent if ts + fl.owd <= t])
        t = fl.bulk(t, pkt, 40e6, None, 1e9, tag)
        st["s"], fl.s_rcv = fl.last_arr, fl.cnxt
        return t

    # control channel: hard resets, TLS 1.3 handshake inside P_CONTROL_V1, key-method 2, PUSH
    t = up(t + 0.0004, ovpn_ctl(rng, 7, csid, 0, 11), "vpnhr")
    t = down(t + fl.owd + 0.0011, ovpn_ctl(rng, 8, ssid, 0, 17), "vpnhrs")
    t = up(t + 0.0008, ovpn_ctl(rng, 4, csid, 1, 13 + 4 + 310), "vpnch")
    flight = ovpn_ctl(rng, 4, ssid, 1, 13 + 4 + 1250) + ovpn_ctl(rng, 4, ssid, 2, 4 + 1250) + ovpn_ctl(rng, 4, ssid, 3, 4 + 318)
    t = down(t + fl.owd + 0.0062, flight, "vpnsh")
    t = up(t + 0.0021, ovpn_ctl(rng, 5, csid, 2, 1 + 3 * 4 + 8) + ovpn_ctl(rng, 4, csid, 3, 4 + 90) + ovpn_ctl(rng, 4, csid, 4, 4 + 412))
    t = down(t + fl.owd + 0.0035, ovpn_ctl(rng, 4, ssid, 4, 13 + 4 + 250) + ovpn_ctl(rng, 4, ssid, 5, 4 + 340))
    t = up(t + 0.0009, ovpn_ctl(rng, 5, csid, 5, 1 + 2 * 4 + 8))
    t = up(t + 0.9, ovpn_ctl(rng, 4, csid, 6, 4 + 44), "vpnpush")  # PUSH_REQUEST
    t = down(t + fl.owd + 0.0015, ovpn_ctl(rng, 4, ssid, 6, 13 + 4 + 420), "vpnreply")  # PUSH_REPLY
    t = up(t + 0.0007, ovpn_ctl(rng, 5, csid, 7, 1 + 4 + 8))
    # data channel for four minutes: bursts of web/mail traffic both ways, 10 s keepalive pings when idle
    cpid = spid = 1
    bursts = sorted([rng.uniform(3, 235) for _ in range(13)] + [118.0])
    for k, tb in enumerate(bursts):
        while True:  # idle: keepalive pings from both ends, whichever timer fires first
            jit = [st.setdefault(("j", k, st[k]), rng.uniform(0, 0.01)) for k in "cs"]  # drawn once per timer
            tc, ts = st["c"] + 10 + jit[0], st["s"] + 10 + jit[1]
            if min(tc, ts) >= tb:
                break
            if tc < ts:
                t = up(tc, ovpn_data(rng, peer, cpid, 16))
                cpid += 1
            else:
                t = down(ts - fl.owd, ovpn_data(rng, peer, spid, 16))
                spid += 1
        if tb == 118.0:  # an upload through the tunnel (a mail with an attachment)
            data = b"".join(ovpn_data(rng, peer, cpid + j, rng.choice((1312, 1312, 1312, 640))) for j in range(56))
            cpid += 56
            fl.c_rcv = fl.snxt
            t = upload(fl, tb, data, 262144, 50e6, [], [], 9e6, "vpnup")
            st["c"] = t
            t = down(t + 0.03, ovpn_data(rng, peer, spid, 120))
            spid += 1
            continue
        t = up(tb, ovpn_data(rng, peer, cpid, rng.randrange(300, 900)), f"vpnd{k}")
        cpid += 1
        for _ in range(rng.randrange(2, 6)):  # server sends a chunk, client's inner TCP ACKs go back
            n = rng.randrange(3, 14)
            chunk = b"".join(ovpn_data(rng, peer, spid + j, rng.choice((1372, 1372, 1372, rng.randrange(60, 1372)))) for j in range(n))
            spid += n
            t = down(t + fl.owd + rng.uniform(0.002, 0.04), chunk)
            t = up(t + 0.0003, ovpn_data(rng, peer, cpid, 52))
            cpid += 1
    t = fl.close_client(max(st["c"], st["s"]) + 6.5, alert=False)
    t = cx.lookup(t + 1.2, "www.google.com", [("www.google.com", "A", 300, "142.250.185.100")], [("www.google.com", "AAAA", 300, "2a00:1450:4001:82b::2004")], v6=True, tag="g")
    cx.https(t + 0.001, "2a00:1450:4001:82b::2004", "www.google.com", 0.044, 117, resp=60000, profile="firefox", sos="cdn", close="client", tag="g")
    about = (f"OpenVPN (tls-crypt) over TCP/443 on IPv6 (SYN {fr(cap, 'vpnsyn')}); first client payload {fr(cap, 'vpnhr')} is a 62-byte high-entropy "
             f"hard reset, answered at {fr(cap, 'vpnhrsdata')}; control channel to {fr(cap, 'vpnreplydata')}, then ~4 min of data both ways "
             f"(from {fr(cap, 'vpnd0')}, a {len(data) // 1000} kB upload, keepalives) until the client's FIN. All ACKed; no residual block.")
    return cap, about


# ----------------------------------------------------------------------------
# case 3: lossy mobile uplink (Android, tcpdump -i any: Linux SLL2 over rmnet, dual stack)
# ----------------------------------------------------------------------------


def resend(fl, t, data, rtos, tag):
    """Client data segment lost on the uplink len(rtos) times: original + retransmissions at the
    given RTO intervals (Linux backoff); the last copy gets through. Returns its send time."""
    seq0 = fl.cnxt
    fl.c(t, "PA", data, tag=tag)
    for i, r in enumerate(rtos):
        t += r
        fl.c(t, "PA", data, seq=seq0, tag=f"{tag}rtx{i + 1}")
    fl.s_rcv = fl.cnxt
    return t


def lossy_tls(cx, t, sip, sni, rtt, sttl, syn_loss=0, ch_loss=(), req_loss=(), resp=30000, tag=None, sos="cdn"):
    rng = cx.rng
    fl = Flow(cx, sip, 443, rtt, sttl, sos=sos)
    fl.c(t, "S", tag=tag + "syn")
    for i in range(syn_loss):  # SYN lost: Linux retransmits after 1 s, 2 s, ...
        t += 2 ** i
        fl.c(t, "S", seq=fl.ciss, tag=f"{tag}synrtx{i + 1}")
    fl.c_rcv, fl.s_rcv = fl.siss + 1, fl.ciss + 1
    fl.s(t + rtt, "SA", tag=tag + "synack")
    fl.c(t + rtt + 0.00006, "A")
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), "chrome")
    t = resend(fl, t + rtt + 0.0009, ch, ch_loss, tag + "ch")
    t = fl.bulk(t + fl.owd + 0.0014, server_flight(rng, sid, 3900), 60e6, None, 1e9, tag + "sh", final_ack=False)
    t = resend(fl, max(t, fl.last_arr) + 0.003, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 380), req_loss, tag + "req")
    t = fl.bulk(t + fl.owd + 0.02, app_rec(rng, 240) + app_stream(rng, resp), 25e6, None, 1e9, tag + "resp")
    return fl, t


@case
def case3():
    cap = Cap("b11_lossy_mobile_uplink.pcap", epoch(2025, 3, 15, 17, 3, 41),
              [{"link": "sll2", "hatype": 519, "ifindex": 14}], nsec=True)
    cx = Ctx(cap, 1303, cip="10.151.38.77", cip6="2a01:599:316:5bd2:1c44:98ff:fe03:7e51", cos="android", cttl=64, mss4=1360, mss6=1340,
             resolver="10.74.210.210", resolver6="2a01:599:7ff:0:10:74:210:221", rttl=60, dns_rtt=0.052)
    rng = cx.rng
    t = cx.lookup(0.0, "connectivitycheck.gstatic.com", [("connectivitycheck.gstatic.com", "A", 300, "142.250.186.99")],
                  [("connectivitycheck.gstatic.com", "AAAA", 300, "2a00:1450:4001:813::2003")], v6=True, tag="cc")
    _, t = cx.http(t + 0.001, "2a00:1450:4001:813::2003", "connectivitycheck.gstatic.com", 0.061, 118, path="/generate_204", status="204 No Content",
                   headers=[("Content-Length", "0"), ("Date", "Sat, 15 Mar 2025 17:03:41 GMT")], ua="Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/AP2A.240905.003)", sos="cdn", tag="cc", close="client")
    # 1) www.google.com over IPv6: the ClientHello is lost twice on the uplink
    t = cx.lookup(0.9, "www.google.com", [("www.google.com", "A", 300, "142.250.185.68")], [("www.google.com", "AAAA", 300, "2a00:1450:4001:82f::2004")], v6=True, tag="g")
    fa, _ = lossy_tls(cx, t + 0.001, "2a00:1450:4001:82f::2004", "www.google.com", 0.066, 119, ch_loss=(0.268, 0.536), resp=42000, tag="g")
    # 2) weather API over IPv4: the DNS A query is lost once (re-sent after 5 s), then the request is lost three times
    host, sip = "api.openweathermap.org", "37.139.20.5"
    sport, fl6 = cx.port(), rng.getrandbits(20)
    txa, txq = rng.randrange(65536), rng.randrange(65536)
    qa, qq = dns_msg(txa, 0x0100, host, "A"), dns_msg(txq, 0x0100, host, "AAAA")
    ip = lambda: mk_ip(cx.cip6, cx.resolver6, 64, 0, True, fl6) / UDP(sport=sport, dport=53)
    ipr = lambda: mk_ip(cx.resolver6, cx.cip6, 60, 0, True, rng.getrandbits(20)) / UDP(sport=53, dport=sport)
    t = 2.4
    cap.add(t, ip() / Raw(qa), True, tag="wxqA")
    cap.add(t + 0.00011, ip() / Raw(qq), True, tag="wxqAAAA")
    cap.add(t + 0.0547, ipr() / Raw(dns_msg(txq, 0x8180, host, "AAAA")), False, tag="wxrAAAA")
    cap.add(t + 5.0002, ip() / Raw(qa), True, tag="wxqA2")
    cap.add(t + 5.0561, ipr() / Raw(dns_msg(txa, 0x8180, host, "A", [(host, "A", 600, sip)])), False, tag="wxrA")
    fb, _ = lossy_tls(cx, t + 5.057, sip, host, 0.071, 50, req_loss=(0.274, 0.548, 1.096), resp=2600, tag="wx", sos="linuxsrv")
    # 3) reddit over IPv4: the SYN is lost once, then the ClientHello once
    t = cx.lookup(4.1, "www.reddit.com", chain("www.reddit.com", ["reddit.map.fastly.net"], ["151.101.1.140", "151.101.65.140"], 300, 30),
                  chain("www.reddit.com", ["reddit.map.fastly.net"], ["2a04:4e42::396"], 300, 30, "AAAA"), tag="rd")
    fc, _ = lossy_tls(cx, t + 0.001, "151.101.1.140", "www.reddit.com", 0.058, 57, syn_loss=1, ch_loss=(0.262,), resp=80000, tag="rd")
    # 4) a plain-HTTP link: the GET is lost four times before the 301 to https arrives
    t = cx.lookup(14.0, "www.spiegel.de", [("www.spiegel.de", "A", 120, "128.65.210.8")], [], tag="sp")
    fd = Flow(cx, "128.65.210.8", 80, 0.049, 54, sos="linuxsrv")
    t = fd.handshake(t + 0.001, "sp")
    get = (b"GET /wissenschaft/ HTTP/1.1\r\nHost: www.spiegel.de\r\nUser-Agent: Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
           b"Chrome/122.0.6261.119 Mobile Safari/537.36\r\nAccept: text/html\r\nAccept-Encoding: gzip, deflate\r\nAccept-Language: de-DE,de;q=0.9\r\n\r\n")
    t = resend(fd, t + 0.0007, get, (0.251, 0.502, 1.004, 2.008), "spget")
    loc = b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.spiegel.de/wissenschaft/\r\nContent-Length: 0\r\nServer: nginx\r\n\r\n"
    t = fd.bulk(t + fd.owd + 0.004, loc, 20e6, None, 1e9, "spresp")
    cx.https(t + 0.02, "128.65.210.8", "www.spiegel.de", 0.049, 54, resp=120000, profile="chrome", sos="linuxsrv", close=None, tag="sps")
    rtx = lambda p: ", ".join(map(str, cap.frames(p)))
    rx = lambda p: "/".join(map(str, cap.frames(p)))
    about = ("Android on LTE, lossy uplink only. "
             f"google v6 ClientHello {fr(cap, 'gch')} re-sent {rx('gchrtx')}, ServerHello {fr(cap, 'gshdata')}; openweathermap A query {fr(cap, 'wxqA')} re-sent "
             f"{fr(cap, 'wxqA2')}, request {fr(cap, 'wxreq')} re-sent {rx('wxreqrtx')}, response {fr(cap, 'wxrespdata')}; reddit SYN {fr(cap, 'rdsyn')} re-sent "
             f"{fr(cap, 'rdsynrtx1')}, ClientHello re-sent {rx('rdchrtx')}; spiegel GET {fr(cap, 'spget')} re-sent {rx('spgetrtx')}, genuine 301 {fr(cap, 'sprespdata')}. All complete.")
    return cap, about


# ----------------------------------------------------------------------------
# case 4: an overloaded TLS terminator stalls after its handshake flight (office mirror port,
#         802.1Q VLAN 120, pcapng with ns resolution, macOS client)
# ----------------------------------------------------------------------------


def tls_until_request(cx, t, sip, sni, rtt, sttl, tag, req=460):
    """Handshake, ClientHello, server flight, client Finished + HTTP/2 request, the server kernel's ACK."""
    rng = cx.rng
    fl = Flow(cx, sip, 443, rtt, sttl, sos="linuxsrv")
    t = fl.handshake(t, tag)
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), "chrome")
    t = fl.send_c(t + 0.0011, ch, tag + "ch")
    t = fl.bulk(t + fl.owd + 0.0023, server_flight(rng, sid, 2650), 80e6, None, 1e9, tag + "sh", final_ack=False)
    t = fl.send_c(max(t, fl.last_arr) + 0.0019, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 78) + app_rec(rng, req), tag + "req")
    fl.s(t + fl.rtt, "A", tag=tag + "kack")  # the server's kernel acknowledges Finished + request at once
    return fl, t + fl.rtt


@case
def case4():
    cap = Cap("b11_tls_terminator_stall.pcapng", epoch(2025, 3, 17, 8, 55, 12),
              [{"link": "vlan", "vlan": 120, "pcp": 0, "pad_all": True, "cmac": mac("a4:83:e7:2d:19:5c"), "gmac": mac("00:1b:54:c2:70:41"),
                "name": "enp3s0f1", "tsresol": 9, "os": "Linux 6.1.0-31-amd64"}], fmt="pcapng", shb={"os": "Linux 6.1.0-31-amd64", "app": "Dumpcap (Wireshark) 4.0.17"})
    cx = Ctx(cap, 1404, cip="10.20.120.45", resolver="10.20.0.53", cos="mac", cttl=64, rttl=63, dns_rtt=0.0021, edns=1232)
    rng = cx.rng
    sip, shop, static = "94.130.152.36", "shop.bergbauer-kaffee.de", "static.bergbauer-kaffee.de"
    t = cx.lookup(0.0, "www.apple.com", chain("www.apple.com", ["www.apple.com.edgekey.net", "e6858.dsce9.akamaiedge.net"], ["23.36.160.230"], 300, 20),
                  chain("www.apple.com", ["www.apple.com.edgekey.net", "e6858.dsce9.akamaiedge.net"], ["2a02:26f0:d8:5a1::1aca", "2a02:26f0:d8:59b::1aca"], 300, 20, "AAAA"), tag="ap")
    cx.https(t + 0.001, "23.36.160.230", "www.apple.com", 0.009, 59, resp=70000, sos="cdn", close=None, tag="ap")
    t = cx.lookup(1.6, shop, [(shop, "A", 3600, sip)], [], tag="shop")
    cx.lookup(1.6012, static, [(static, "A", 3600, sip)], [], tag="st")
    # the shop page: handshake completes, request ACKed by the kernel, then 20 s of silence and a FIN
    x1, t1 = tls_until_request(cx, t + 0.0004, sip, shop, 0.0187, 53, "x1")
    # the static host on the same IP answers at once, in parallel and again during the stall
    _, t = cx.https(t + 0.0031, sip, static, 0.0187, 53, resp=160000, rate=60e6, sos="linuxsrv", close=None, tag="s1")
    _, t = cx.https(t1 + 9.6, sip, static, 0.0187, 53, resp=45000, rate=60e6, sos="linuxsrv", close=None, tag="s2")
    x1.close_server(t1 + 20.43, "x1fin")
    # Safari re-sends the request on a new connection: the response comes after 7.3 s
    x2, t = tls_until_request(cx, t1 + 20.43 + 0.0042, sip, shop, 0.0191, 53, "x2", req=470)
    x2.c_rcv = x2.snxt
    t = x2.bulk(t + 7.3 - x2.owd, app_rec(rng, 230) + app_rec(rng, 230) + app_stream(rng, 38000), 60e6, None, 1e9, "x2resp")
    _, t = cx.https(t + 0.8, "23.36.160.230", "www.apple.com", 0.009, 59, resp=20000, sos="cdn", close=None, tag="ap2")
    about = (f"{shop} and {static} share {sip}. {shop}: ClientHello {fr(cap, 'x1ch')}, server flight {fr(cap, 'x1shdata')}, Finished+request {fr(cap, 'x1req')} "
             f"ACKed by the kernel {fr(cap, 'x1kack')}, 20 s silence, server FIN {fr(cap, 'x1fin')} (consistent TTL/IP ID). Retry {fr(cap, 'x2ch')}: response 7.3 s "
             f"late ({fr(cap, 'x2respdata')}). {static} on the same IP fast throughout ({fr(cap, 's1ch', 's2ch')}). Overloaded back end.")
    return cap, about


# ----------------------------------------------------------------------------
# case 5: Happy Eyeballs with a dead IPv6 upstream (Linux desktop, Ethernet, pcapng usec)
# ----------------------------------------------------------------------------


@case
def case5():
    cap = Cap("b11_happy_eyeballs_v6_down.pcapng", epoch(2025, 3, 18, 19, 21, 7),
              [{"link": "eth", "cmac": mac("d8:bb:c1:5a:0e:93"), "gmac": mac("e0:28:6d:4f:b2:1a"), "name": "enp5s0", "tsresol": 6}],
              fmt="pcapng", shb={"os": "Linux 6.13.6-200.fc41.x86_64", "app": "Dumpcap (Wireshark) 4.4.5 (Git v4.4.5 packaged as 4.4.5-1.fc41)"})
    cx = Ctx(cap, 1505, cip="192.168.1.64", cip6="2001:9e8:a1b2:4c00:6f1d:2b3a:90ce:11d7", cos="linux", cttl=64, mss6=1440,
             resolver="192.168.1.1", rttl=64, dns_rtt=0.018)
    rng = cx.rng
    sites = [  # name, cnames, v4, v6, rtt, ttl4, browser fallback delay, TLS profile
        ("www.wikipedia.org", [], "185.15.59.224", "2a02:ec80:300:ed1a::1", 0.027, 57, 0.300, "chrome"),
        ("www.youtube.com", ["youtube-ui.l.google.com"], "142.250.185.78", "2a00:1450:4001:831::200e", 0.014, 118, 0.300, "chrome"),
        ("www.cloudflare.com", [], "104.16.123.96", "2606:4700::6810:7b60", 0.012, 58, 0.250, "firefox"),
        ("www.bbc.co.uk", ["www.bbc.co.uk.pri.bbc.co.uk", "uk.www.bbc.co.uk.pri.bbc.co.uk"], "212.58.237.1", "2a04:4e42:600::81", 0.019, 54, 0.250, "firefox"),
        ("github.com", [], "140.82.121.4", None, 0.031, 51, None, "chrome"),
        ("www.wikipedia.org", [], "185.15.59.224", "2a02:ec80:300:ed1a::1", 0.027, 57, 0.300, "chrome"),
    ]
    starts = [0.0, 2.7, 9.4, 15.2, 21.8, 38.5]
    lines = []
    for k, ((name, cn, v4, v6, rtt, ttl, delay, prof), t0) in enumerate(zip(sites, starts)):
        t = cx.lookup(t0, name, chain(name, cn, [v4], 300, 60), chain(name, cn, [v6], 300, 60, "AAAA") if v6 else chain(name, cn, [], 300, 60), tag=f"d{k}")
        t += rng.uniform(0.0003, 0.0009)
        if v6:  # the IPv6 attempt first; the router's IPv6 upstream is down: no answer, no ICMPv6
            Flow(cx, v6, 443, rtt, 55).c(t, "S", tag=f"v6syn{k}")
            t += delay + rng.uniform(0.0, 0.0015)
        _, te = cx.https(t, v4, name, rtt, ttl, resp=rng.randrange(30000, 140000), profile=prof, sos="cdn" if k in (1, 2) else "linuxsrv",
                         close="client" if k == 4 else None, tag=f"v4{k}")
    for k, (name, cn, v4, v6, rtt, ttl, delay, prof) in enumerate(sites):  # frame numbers only once every packet is in
        if v6:
            lines.append(f"{name} v6 SYN {fr(cap, f'v6syn{k}')}, v4 SYN {fr(cap, f'v4{k}syn')} (+{int(round(delay * 1000))} ms), reply {fr(cap, f'v4{k}respdata')}")
        else:
            lines.append(f"{name} (no AAAA) v4 SYN {fr(cap, f'v4{k}syn')}")
    about = ("Router lost IPv6 upstream. Every IPv6 SYN (4 networks) unanswered, IPv4 to the same name 250/300 ms later works: "
             + "; ".join(lines) + ". Broken client IPv6, not blocking.")
    return cap, about


# ----------------------------------------------------------------------------
# case 6: hotel Wi-Fi that drops all UDP/443 (two-interface pcapng: wlan0 + lo with the
#         systemd-resolved stub), Chrome on Linux; every site falls back to TCP/TLS
# ----------------------------------------------------------------------------


@case
def case6():
    z = mac("00:00:00:00:00:00")
    cap = Cap("b11_hotel_udp443_blocked.pcapng", epoch(2025, 3, 19, 21, 47, 33),
              [{"link": "eth", "cmac": mac("7c:b2:7d:31:c8:0e"), "gmac": mac("00:0b:86:9a:44:f1"), "name": "wlan0", "tsresol": 9},
               {"link": "eth", "cmac": z, "gmac": z, "name": "lo", "tsresol": 9}],
              fmt="pcapng", shb={"os": "Linux 6.8.0-55-generic", "app": "Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"})
    cx = Ctx(cap, 1606, cip="10.64.23.187", resolver="10.64.0.1", cos="linux", cttl=64, rttl=64, dns_rtt=0.031, edns=1232)
    rng = cx.rng

    def stub_lookup(t, name, a, aaaa, https, tag):
        """Chrome asks systemd-resolved on lo (127.0.0.53); resolved asks the hotel resolver on wlan0."""
        ap, up = cx.port(), cx.port()
        tr = t + 0.00021
        last = t
        for j, (qt, ans) in enumerate((("A", a), ("AAAA", aaaa), ("HTTPS", https))):
            ia, iu = rng.randrange(65536), rng.randrange(65536)
            cap.add(t + j * 0.00004, IP(src="127.0.0.1", dst="127.0.0.53", ttl=64, id=rng.randrange(65536), flags="DF") / UDP(sport=ap, dport=53) / Raw(dns_msg(ia, 0x0100, name, qt)), True, 1, f"{tag}lo{qt}")
            cap.add(tr + j * 0.00005, IP(src=cx.cip, dst=cx.resolver, ttl=64, id=rng.randrange(65536), flags="DF") / UDP(sport=up, dport=53) / Raw(dns_msg(iu, 0x0100, name, qt, edns=1232)), True, 0, f"{tag}q{qt}")
            ta = tr + 0.031 * rng.uniform(0.9, 1.2)
            cap.add(ta, IP(src=cx.resolver, dst=cx.cip, ttl=64, id=rng.randrange(65536)) / UDP(sport=53, dport=up) / Raw(dns_msg(iu, 0x8180, name, qt, ans, edns=1232)), False, 0, f"{tag}r{qt}")
            cap.add(ta + 0.00017, IP(src="127.0.0.53", dst="127.0.0.1", ttl=64, id=rng.randrange(65536), flags="DF") / UDP(sport=53, dport=ap) / Raw(dns_msg(ia, 0x8180, name, qt, ans)), True, 1)
            last = max(last, ta + 0.00017)
        return last

    sites = [  # name, cnames, v4, v6, rtt, server TTL, server profile, has HTTPS RR
        ("www.google.com", [], "142.250.186.36", "2a00:1450:4001:829::2004", 0.024, 117, "cdn", True),
        ("www.youtube.com", ["youtube-ui.l.google.com"], "172.217.18.14", "2a00:1450:4001:80e::200e", 0.025, 117, "cdn", True),
        ("www.cloudflare.com", [], "104.16.124.96", "2606:4700::6810:7c60", 0.019, 58, "cdn", True),
        ("www.facebook.com", ["star-mini.c10r.facebook.com"], "157.240.0.35", "2a03:2880:f13e:82:face:b00c:0:25de", 0.033, 55, "linuxsrv", False),
        ("fonts.gstatic.com", ["gstaticadssl.l.google.com"], "142.250.185.99", "2a00:1450:4001:82a::2003", 0.024, 117, "cdn", False),
    ]
    lines = []
    for k, ((name, cn, v4, v6, rtt, ttl, sos, hrr), t0) in enumerate(zip(sites, [0.0, 4.3, 11.8, 19.6, 19.9])):
        t = stub_lookup(t0, name, chain(name, cn, [v4], 300, 60), chain(name, cn, [v6], 300, 60, "AAAA"),
                        [(name, "HTTPS", 300, (1, ["h3", "h2"]))] if hrr else [], f"d{k}")
        # QUIC first (HTTPS RR or cached Alt-Svc says h3): Initial + PTO retransmissions, never an answer
        dcid, sport, qid, ch = rng.randbytes(8), cx.port(), rng.randrange(65536), quic_client_hello(rng, name, b"")
        for j, dt in enumerate((0.0, 0.3, 0.9, 2.1)):
            cap.add(t + 0.0004 + dt, IP(src=cx.cip, dst=v4, ttl=64, id=(qid + j) & 0xFFFF, flags="DF") / UDP(sport=sport, dport=443) / Raw(quic_initial(dcid, b"", j + 1, ch)), True, 0, f"q{k}i{j}")
        # TCP races after Chrome's delay and wins
        _, te = cx.https(t + 0.0004 + 0.3 + rng.uniform(0.0001, 0.0008), v4, name, rtt, ttl, resp=rng.randrange(25000, 110000), profile="chrome", sos=sos, close=None, tag=f"t{k}")
    for k, site in enumerate(sites):  # frame numbers only once every packet is in
        lines.append(f"{site[0]} Initials {'/'.join(str(cap.frame(f'q{k}i{j}')) for j in range(4))}, TCP SYN {fr(cap, f't{k}syn')}, reply {fr(cap, f't{k}respdata')}")
    about = ("Hotel Wi-Fi drops all UDP/443 (pcapng: wlan0 + lo stub DNS). Each site's QUIC Initials (SNI decryptable) unanswered, TCP/TLS to the same IP works: "
             + "; ".join(lines) + ". Network-wide UDP policy, not name-based.")
    return cap, about


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    expect = {}
    for fn in CASES:
        cap, about = fn()
        cap.write(os.path.join(out, cap.fname))
        expect[cap.fname] = {"expect": [], "allow": [], "about": about}
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
