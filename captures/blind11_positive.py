#!/usr/bin/env python3
# ruff: noqa: B007, B905, E501, F841, RUF059
"""blind11_positive.py OUTDIR -- six positive censorship captures + expect.json.

The kit pieces used unchanged come from blind_kit.py (the kit the round was written with);
the adapted ones and the cases follow.  Deterministic (seeded RNGs, fixed epochs)."""
import json
import os
import struct
import sys

import blind_kit as kit
from blind_kit import (  # the capture-writing kit the round was written with
    GREASE,
    Cap,
    app_rec,
    chain,
    epoch,
    ext,
    html_body,
    mac,
    mk_ip,
    server_flight,
    u16,
    x25519_pub,
)
from scapy.all import TCP, UDP, Raw

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
    "win": dict(synwin=64240, ws=8, ts=False, win0=1026),       # Windows 10: no timestamps
    "linux26": dict(synwin=5840, ws=2, ts=True, win0=1460),     # Linux 2.6 (2006)
    "android": dict(synwin=65535, ws=9, ts=True, win0=342),
    "linux24srv": dict(synwin=5792, ws=0, ts=True, win0=5792),  # Linux 2.4 server (2006), no scaling
}


class Flow(kit.Flow):
    """The kit's Flow with the methods this round changed."""

    profiles = PROFILES

    def cwin(self):
        if self.ctx.cos == "mac":
            return 2058
        if self.ctx.cos == "win":
            return 1026
        inorder = (self.c_rcv - self.siss) & 0xFFFFFFFF if self.c_rcv else 0
        return min(self.cp["win0"] + inorder // 512, 24500)

    def swin(self):
        if self.sp["ws"] == 0:
            return self.sp["win0"]
        return min(self.sp["win0"] + self.s_got // 512, 4000)

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
            if not out and not self.ts:  # Linux server answering a SYN without timestamps
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

    deaf = False  # True: the path drops every client packet from now on (server state frozen)

    def c(self, t, flags, payload=b"", seq=None, ack=None, win=None, sack=None, tag=None, opts=True):
        if self.deaf:
            keep = (self.s_got, self.last_cts)
            self.deaf = False
            self.c(t, flags, payload, seq, ack, win, sack, tag, opts)
            self.s_got, self.last_cts = keep
            self.deaf = True
            return
        adv = seq is None
        seq = self.cnxt if seq is None else seq
        ack = self.c_rcv if ack is None else ack
        if win is None:
            win = self.cp["synwin"] if flags == "S" else self.cwin()
        o = self._opts(True, t, flags, sack) if opts else []
        ip = mk_ip(self.cip, self.sip, self.ctx.cttl, self.ctx.ipid(self), True, self.cfl)
        tcp = TCP(sport=self.sport, dport=self.dport, seq=seq & 0xFFFFFFFF, ack=(ack & 0xFFFFFFFF) if "A" in flags else 0, flags=flags, window=win, options=o)
        self.cap.add(t, ip / tcp / Raw(payload) if payload else ip / tcp, True, self.iface, tag)
        if adv:
            self.cnxt += len(payload) + ("S" in flags) + ("F" in flags)
        self.s_got += len(payload)

    def stack_rst(self, t, seq, tag=None):
        """RST the client kernel sends for a segment of a connection it no longer has."""
        ipid = self.ctx.ipid(self) if self.ctx.cos in ("mac", "win") else 0
        ip = mk_ip(self.cip, self.sip, self.ctx.cttl, ipid, True, self.cfl)
        self.cap.add(t, ip / TCP(sport=self.sport, dport=self.dport, seq=seq & 0xFFFFFFFF, flags="R", window=0), True, self.iface, tag)


# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------


def client_hello(rng, sni, alpn=("h2", "http/1.1"), profile="firefox", extra=()):
    """A well-formed TLS 1.3 ClientHello record; returns (record bytes, session id)."""
    rnd, sid = rng.randbytes(32), rng.randbytes(32)
    alpn_b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    sni_ext = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()) if sni else b""
    pub = x25519_pub(rng)
    if profile == "chrome":
        g1, g2, g3 = rng.sample(GREASE, 3)
        suites = [g1, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        exts = [
            ext(g2, b""), sni_ext, ext(23, b""), ext(0xFF01, b"\x00"),
            ext(10, u16(8) + u16(g1) + u16(0x1D) + u16(0x17) + u16(0x18)), ext(11, b"\x01\x00"), ext(35, b""),
            ext(16, u16(len(alpn_b)) + alpn_b), ext(5, b"\x01\x00\x00\x00\x00"),
            ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
            ext(18, b""), ext(51, u16(32 + 4 + 5) + u16(g1) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + pub),
            ext(45, b"\x01\x01"), ext(43, b"\x06" + u16(g3) + u16(0x0304) + u16(0x0303)),
            ext(27, b"\x02\x00\x02"), ext(17513, b"\x00\x03\x02h2"), ext(g3 ^ 0x1010, b"\x00"),
        ]
    else:
        suites = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC00A, 0xC009, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
        exts = [
            sni_ext, ext(23, b""), ext(0xFF01, b"\x00"),
            ext(10, u16(14) + b"".join(u16(x) for x in (0x1D, 0x17, 0x18, 0x19, 0x100, 0x101, 0x102))), ext(11, b"\x01\x00"),
            ext(35, b""), ext(16, u16(len(alpn_b)) + alpn_b), ext(5, b"\x01\x00\x00\x00\x00"), ext(34, u16(8) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0203))),
            ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(43, b"\x04" + u16(0x0304) + u16(0x0303)),
            ext(13, u16(22) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201))),
            ext(45, b"\x01\x01"), ext(28, b"\x40\x01"),
        ]
    exts = [e for e in exts if e] + list(extra)
    body = b"\x03\x03" + rnd + b"\x20" + sid + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00"
    el = b"".join(exts)
    hlen = len(body) + 2 + len(el)
    if hlen < 508:  # pad like browsers do so the ClientHello is at least 512 bytes
        pad = 508 - hlen - 4
        el += ext(21, b"\x00" * max(pad, 0))
    body += u16(len(el)) + el
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + u16(len(hs)) + hs, sid


# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------

QT = {"A": 1, "AAAA": 28, "CNAME": 5, "OPT": 41, "TXT": 16}


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
        elif ty == "AAAA":
            import ipaddress
            out.extend(struct.pack("!H", 16) + ipaddress.IPv6Address(rd).packed)
        elif ty == "TXT":
            strs = b"".join(bytes([len(rd[i:i + 255])]) + rd[i:i + 255] for i in range(0, len(rd), 255))
            out.extend(struct.pack("!H", len(strs)) + strs)
        else:
            pos = len(out)
            out.extend(b"\0\0")
            name(rd)
            struct.pack_into("!H", out, pos, len(out) - pos - 2)
    if edns:
        out.extend(b"\x00" + struct.pack("!HHIH", 41, edns, 0, 0))
    return bytes(out)


# ----------------------------------------------------------------------------
# per-case context and composite helpers
# ----------------------------------------------------------------------------


class Ctx(kit.Ctx):
    """The kit's Ctx with the methods this round changed."""

    flow_class = Flow
    make_client_hello = staticmethod(client_hello)
    make_dns = staticmethod(dns_msg)

    def port(self):
        lo, hi = (49152, 65535) if self.cos == "win" else (32768, 61000)
        while True:
            p = self.rng.randrange(lo, hi)
            if p not in self.used:
                self.used.add(p)
                return p

    def ipid(self, fl):
        if self.cos == "mac":
            return self.rng.randrange(65536)
        if self.cos == "win":  # one counter for the whole host
            self.g_ipid = (getattr(self, "g_ipid", self.rng.randrange(65536)) + 1) & 0xFFFF
            return self.g_ipid
        v = fl.cid
        fl.cid = (fl.cid + 1) & 0xFFFF
        return v





def query1(ctx, t, qname, qtype, answers=(), rflags=0x8180, rtt=None, v6=False, tag=None):
    """One query, one answer (any qtype) from its own UDP socket."""
    rng = ctx.rng
    src, dst = (ctx.cip6, ctx.resolver6) if v6 else (ctx.cip, ctx.resolver)
    sport, txid = ctx.port(), rng.randrange(65536)
    fl = rng.getrandbits(20)
    q = dns_msg(txid, ctx.qflags, qname, qtype, edns=ctx.edns)
    ctx.cap.add(t, mk_ip(src, dst, ctx.cttl, rng.randrange(65536), True, fl) / UDP(sport=sport, dport=53) / Raw(q), True, ctx.iface, tag and tag + "q")
    ta = t + (rtt or ctx.dns_rtt) * rng.uniform(0.9, 1.15)
    r = dns_msg(txid, rflags, qname, qtype, answers, edns=ctx.edns)
    ctx.cap.add(ta, mk_ip(dst, src, ctx.rttl, ctx.resp_ipid(), False) / UDP(sport=53, dport=sport) / Raw(r), False, ctx.iface, tag and tag + "r")
    return ta


def fr(cap, *tags):
    """'12' or '12-15' style frame reference for tags"""
    ns = [cap.frame(t) for t in tags]
    return str(ns[0]) if len(ns) == 1 else ",".join(str(n) for n in ns)


def flow_frames(cap, cport, sip=None):
    """frame numbers of every packet whose TCP/UDP ports include cport (and, if given, whose
    addresses include sip)"""
    import ipaddress
    hl = {"eth": 14, "vlan": 18, "sll2": 20, "raw": 0}
    out = []
    for i, (_, _, ifc, b, _) in enumerate(cap.sorted()):
        o = hl[cap.ifaces[ifc]["link"]]
        v = b[o] >> 4
        if v == 4:
            proto, src, dst, l4 = b[o + 9], b[o + 12:o + 16], b[o + 16:o + 20], o + (b[o] & 15) * 4
        else:
            proto, src, dst, l4 = b[o + 6], b[o + 8:o + 24], b[o + 24:o + 40], o + 40
        if proto not in (6, 17):
            continue
        sp, dp = struct.unpack("!HH", b[l4:l4 + 4])
        if cport in (sp, dp) and (sip is None or ipaddress.ip_address(sip).packed in (src, dst)):
            out.append(i + 1)
    return out


def rng_(ns):
    return f"{min(ns)}-{max(ns)}"


def span(ns):
    return ",".join(str(n) for n in sorted(ns))


# ============================================================================
# Case 1 -- PF-02 Iran protocol filter (SSH on :443), Windows 10, Ethernet pcap
# ============================================================================

def case1():
    cap = Cap("b11_iran_pf02_ssh443.pcap", epoch(2020, 3, 9, 14, 50, 12), [
        dict(link="eth", cmac=mac("3c:52:82:1f:6a:0e"), gmac=mac("f4:ec:38:9b:21:d0"))])
    ctx = Ctx(cap, 1101, cip="192.168.1.34", cos="win", cttl=128, resolver="217.218.127.127", rttl=61, dns_rtt=0.024)
    rng = ctx.rng
    VPS, VPS_TTL, VPS_RTT = "95.216.148.37", 50, 0.094
    # ordinary browsing first
    t = ctx.lookup(0.0, "www.digikala.com", chain("www.digikala.com", [], ["185.147.178.12"], 300, 300), aaaa=False)
    _, t = ctx.https(t + 0.002, "185.147.178.12", "www.digikala.com", 0.019, 57, resp=42000, profile="chrome", close="server")
    t = ctx.lookup(t + 1.3, "github.com", chain("github.com", [], ["140.82.121.4"], 60, 60), aaaa=False)
    _, t = ctx.https(t + 0.002, "140.82.121.4", "github.com", 0.131, 49, resp=36000, profile="chrome")
    # --- the SSH client speaks to the VPS on :443 (sslh there); no DNS: the config holds the IP
    t0 = 6.4
    fl = Flow(ctx, VPS, 443, VPS_RTT, VPS_TTL, sos="linuxsrv")
    t = fl.handshake(t0, "ssh_")
    banner = b"SSH-2.0-OpenSSH_for_Windows_7.7\r\n"
    fl.c(t + 0.0009, "PA", banner, tag="ssh_c1")          # 1st data segment: passes the filter
    fl.s_rcv = fl.cnxt
    ts = t + 0.0009 + VPS_RTT
    sb = b"SSH-2.0-OpenSSH_7.6p1 Ubuntu-4ubuntu0.3\r\n"
    kex_s = struct.pack("!IB", 1076, 6) + b"\x14" + rng.randbytes(16) + rng.randbytes(1064)
    s_una = fl.snxt
    fl.s(ts + 0.0016, "PA", sb, tag="ssh_sbanner")         # acks the banner (ack = end of banner)
    fl.s(ts + 0.0031, "PA", kex_s, tag="ssh_skex")
    s_end = fl.snxt
    fl.c_rcv = fl.snxt
    fl.c(ts + 0.0031 + 0.00008, "A", tag="ssh_cack")        # never reaches the server
    kex_c = struct.pack("!IB", 1316, 7) + b"\x14" + rng.randbytes(16) + rng.randbytes(1303)
    tk = ts + 0.0058
    kseq = fl.cnxt
    got = fl.s_got
    fl.c(tk, "PA", kex_c, tag="ssh_ckex")                   # 2nd data segment: dropped from here on
    fl.s_got = got                                          # the server never receives it
    # client retransmits KEXINIT (Windows RTO 300 ms, doubling; 5 retries then abort)
    ev = []
    rto = 0.300
    tr = tk
    for i in range(5):
        tr += rto
        rto *= 2
        ev.append((tr, "crtx", i))
    t_abort = tr + rto
    ev.append((t_abort, "abort", 0))
    # server retransmits banner+KEXINIT collapsed into one segment (Linux RTO ~ 0.3 s, doubling)
    srto = 0.302
    tsr = ts + 0.0031
    for i in range(6):
        tsr += srto
        srto *= 2
        ev.append((tsr, "srtx", i))
    aborted = False
    for te, kind, i in sorted(ev):
        if kind == "crtx":
            fl.c(te, "PA", kex_c, seq=kseq, tag=f"ssh_crtx{i}")
            fl.s_got = got
        elif kind == "srtx":
            if not aborted:
                fl.s(te, "PA", sb + kex_s, seq=s_una, tag=f"ssh_srtx{i}")
                fl.c(te + 0.00007, "A", seq=fl.cnxt, tag=f"ssh_dupack{i}")
            else:  # the connection is gone on the client: its stack answers with RST
                fl.s(te, "PA", sb + kex_s, seq=s_una, tag=f"ssh_srtx{i}")
                fl.stack_rst(te + 0.00005, fl.s_rcv, tag=f"ssh_strst{i}")
        else:
            fl.c(te, "R", seq=fl.cnxt, ack=0, win=0, tag="ssh_abort", opts=False)
            aborted = True
    # more ordinary traffic while the filter's timer runs
    t = ctx.lookup(31.8, "www.aparat.com", chain("www.aparat.com", [], ["185.147.179.11"], 120, 120), aaaa=False)
    _, t = ctx.https(t + 0.002, "185.147.179.11", "www.aparat.com", 0.021, 58, resp=64000, profile="chrome")
    t = ctx.lookup(t + 4.0, "www.isna.ir", chain("www.isna.ir", [], ["178.216.250.77"], 600, 600), aaaa=False)
    _, t = ctx.http(t + 0.002, "178.216.250.77", "www.isna.ir", 0.017, 59, path="/", status="301 Moved Permanently",
                    headers=(("Server", "nginx"), ("Location", "https://www.isna.ir/"), ("Content-Length", "0")), close="client",
                    ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.132 Safari/537.36")
    _, t = ctx.https(t + 0.05, "178.216.250.77", "www.isna.ir", 0.017, 59, resp=51000, profile="chrome")
    # --- 100 s later: the same VPS:443 with TLS (Nextcloud behind sslh) works
    t = ctx.lookup(108.3, "cloud.kavehnet.de", chain("cloud.kavehnet.de", [], [VPS], 3600, 3600), aaaa=False, tag="tlsdns")
    tlsf, t = ctx.https(t + 0.002, VPS, "cloud.kavehnet.de", VPS_RTT, VPS_TTL, resp=28000, profile="chrome", tag="tls_")
    about = (f"Windows 10 client in Iran (TTL 128, no TCP timestamps). Frames {fr(cap, 'ssh_syn')}-{fr(cap, 'ssh_c1')}: SSH client to "
             f"{VPS}:443 (no DNS, IP from config), handshake and first data segment = SSH banner (frame {fr(cap, 'ssh_c1')}); "
             f"the server ACKs it and sends its banner and KEXINIT (frames {fr(cap, 'ssh_sbanner', 'ssh_skex')}). The client's second "
             f"data segment, its KEXINIT (frame {fr(cap, 'ssh_ckex')}), is retransmitted in frames {span(cap.frames('ssh_crtx'))} and "
             f"never ACKed; the server never sees the client's ACKs either and keeps retransmitting banner+KEXINIT "
             f"(frames {span(cap.frames('ssh_srtx'))}), each arriving at the client. Windows aborts with RST at frame {fr(cap, 'ssh_abort')}; "
             f"later server retransmissions draw stack RSTs ({span(cap.frames('ssh_strst'))}). PF-02: C->S dropped after the 1st data "
             f"packet, S->C untouched. Control: frames {rng_(flow_frames(cap, tlsf.sport))}: the same client, same {VPS}:443, TLS with SNI "
             f"cloud.kavehnet.de ~100 s later completes (ClientHello frame {fr(cap, 'tls_ch')}, response from frame {fr(cap, 'tls_respdata')}). "
             f"Other flows (digikala, github, aparat, isna) are ordinary.")
    exp = {"expect": [{"mechanism": "blackhole", "ip": VPS}], "allow": [], "about": about}
    return cap, exp


# ============================================================================
# Case 2 -- TLS-02, Russia TSPU variant: ServerHello arrives, later C->S dropped.
#           IPv6, Linux SLL2 (nanosecond pcap), Firefox on Linux
# ============================================================================

def case2():
    cap = Cap("b11_ru_tspu_tls02_v6.pcap", epoch(2022, 3, 10, 9, 14, 41), [
        dict(link="sll2", ifindex=3, cmac=mac("a8:a1:59:4e:07:c2"), gmac=mac("e4:8d:8c:61:3a:9f"))], nsec=True)
    ctx = Ctx(cap, 2202, cip="10.12.7.41", cip6="2a00:1370:8192:4d7e:9d1c:33af:61c2:e0b5", cos="linux", cttl=64,
              resolver="10.12.0.1", resolver6="2a00:1370:8000::53", rttl=64, dns_rtt=0.011, edns=1232, mss6=1440)
    rng = ctx.rng
    CDN6, CDN_TTL, CDN_RTT = "2606:4700:3032::6815:2d4a", 55, 0.047
    BLOCKED, CONTROL = "meduza.io", "www.canva.com"
    # ordinary traffic
    t = ctx.lookup(0.0, "yandex.ru", chain("yandex.ru", [], ["5.255.255.77", "77.88.55.88"], 300, 300),
                   chain("yandex.ru", [], ["2a02:6b8:a::a"], 300, 300, "AAAA"), v6=True)
    _, t = ctx.https(t + 0.003, "2a02:6b8:a::a", "yandex.ru", 0.009, 58, resp=61000, smss=1440)
    t = ctx.lookup(t + 0.8, "vk.com", chain("vk.com", [], ["87.240.190.78", "93.186.225.194"], 600, 600), (), v6=True)
    _, t = ctx.https(t + 0.002, "87.240.190.78", "vk.com", 0.014, 57, resp=47000)
    # --- the blocked SNI
    t = ctx.lookup(6.2, BLOCKED, chain(BLOCKED, [], ["104.21.45.74", "172.67.181.193"], 300, 300),
                   chain(BLOCKED, [], [CDN6, "2606:4700:3036::ac43:b5c1"], 300, 300, "AAAA"), v6=True, tag="bdns")
    fl = Flow(ctx, CDN6, 443, CDN_RTT, CDN_TTL, sos="cdn", smss=1440)
    t = fl.handshake(t + 0.0021, "b_")
    ch, sid = client_hello(rng, BLOCKED, ("h2", "http/1.1"), "firefox")
    t_ch = t + 0.0006
    fl.c(t_ch, "PA", ch, tag="b_ch")                       # passes
    fl.s_rcv = fl.cnxt
    ecr = fl.last_cts                                      # the last client TSval the server ever sees
    flight = server_flight(rng, sid, 3350)                 # SH + CCS + encrypted EE/Cert/CV/Fin
    segs, off = [], 0
    while off < len(flight):
        segs.append((fl.snxt + off, flight[off:off + fl.seg]))
        off += fl.seg
    ta = t_ch + CDN_RTT + 0.0013
    for i, (sq, d) in enumerate(segs):
        fl.last_cts = ecr
        fl.s(ta + i * 0.00011, "PA" if i == len(segs) - 1 else "A", d, seq=sq, tag=f"b_sh{i}")
    fl.snxt = segs[-1][0] + len(segs[-1][1])
    flight_end = fl.snxt
    fl.c_rcv = flight_end
    got = fl.s_got
    fl.c(ta + 0.00011 + 0.00004, "A", ack=segs[2][0] if len(segs) > 2 else flight_end, tag="b_ack1")
    fl.c(ta + (len(segs) - 1) * 0.00011 + 0.00004, "A", tag="b_ack2")     # never reach the server
    fin_rec = b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36)
    h2 = app_rec(rng, 24 + 27 + 13) + app_rec(rng, 296)  # preface+SETTINGS+WINDOW_UPDATE, HEADERS
    tf = ta + (len(segs) - 1) * 0.00011 + 0.0017
    cseq = fl.cnxt
    fl.c(tf, "PA", fin_rec, tag="b_fin")
    fl.c(tf + 0.00021, "PA", h2, tag="b_req")
    cend = fl.cnxt
    fl.s_got = got
    ev = []
    r, tr = 0.253, tf
    for i in range(8):                                      # client RTO, doubling (collapsed retransmission)
        tr += r
        r *= 2
        ev.append((tr, "c", i))
    r, tr = 0.251, ta
    for i in range(8):                                      # server RTO: head of its flight
        tr += r
        r *= 2
        ev.append((tr, "s", i))
    T_END = 75.0
    for te, kind, i in sorted(ev):
        if te > T_END:
            continue
        if kind == "c":
            fl.c(te, "PA", fin_rec + h2, seq=cseq, tag=f"b_crtx{i}")
            fl.s_got = got
        else:
            sq, d = segs[0]
            fl.last_cts = ecr
            fl.s(te, "A", d, seq=sq, tag=f"b_srtx{i}")
            fl.c(te + 0.000045, "A", seq=cend, sack=[(sq, sq + len(d))], tag=f"b_dsack{i}")   # D-SACK
    # --- control: same IPv6 address, another SNI, 30 s later: completes
    t = ctx.lookup(37.9, CONTROL, chain(CONTROL, [], ["104.21.45.74"], 300, 300),
                   chain(CONTROL, [], [CDN6], 300, 300, "AAAA"), v6=True, tag="cdns")
    cfl, t = ctx.https(t + 0.0022, CDN6, CONTROL, CDN_RTT, CDN_TTL, resp=88000, sos="cdn", smss=1440, tag="c_")
    t = ctx.lookup(t + 2.1, "mail.yandex.ru", chain("mail.yandex.ru", ["domain-mail.yandex.net"], ["77.88.21.37"], 300, 300),
                   chain("mail.yandex.ru", ["domain-mail.yandex.net"], ["2a02:6b8::1:37"], 300, 300, "AAAA"), v6=True)
    _, t = ctx.https(t + 0.003, "2a02:6b8::1:37", "mail.yandex.ru", 0.010, 58, resp=39000, smss=1440)
    bf = flow_frames(cap, fl.sport)
    about = (f"Linux/Firefox client, dual stack, Linux SLL2 capture. Frames {fr(cap, 'bdnsqA')},{fr(cap, 'bdnsqAAAA')}: DNS A/AAAA queries for {BLOCKED} "
             f"-> AAAA {CDN6} (shared CDN address). Flow {fl.sport}->[{CDN6}]:443, frames {rng_(bf)}: handshake "
             f"{fr(cap, 'b_syn', 'b_synack')}, ClientHello SNI={BLOCKED} frame {fr(cap, 'b_ch')} is ACKed and answered: "
             f"ServerHello flight frames {span(cap.frames('b_sh'))}. From then on nothing from the client reaches the server: its "
             f"ACKs ({fr(cap, 'b_ack1', 'b_ack2')}), CCS+Finished (frame {fr(cap, 'b_fin')}) and HTTP/2 request (frame {fr(cap, 'b_req')}) "
             f"are never ACKed and are retransmitted at frames {span(cap.frames('b_crtx'))}; the server, never ACKed, retransmits the head "
             f"of its flight at frames {span(cap.frames('b_srtx'))} (each drawing a D-SACK dup ACK). TSPU: 'the first packets of the TLS "
             f"session pass, all subsequent ones are discarded'. Control: same address [{CDN6}]:443 with SNI {CONTROL} "
             f"(DNS frames {fr(cap, 'cdnsqA')},{fr(cap, 'cdnsqAAAA')}) completes normally, frames {rng_(flow_frames(cap, cfl.sport))} "
             f"(ClientHello {fr(cap, 'c_ch')}). yandex.ru, vk.com, mail.yandex.ru flows are ordinary.")
    exp = {"expect": [{"mechanism": "blackhole", "domain": BLOCKED}], "allow": [], "about": about}
    return cap, exp


def syn_unanswered(ctx, t, sip, dport, rtt, sttl, gaps, tag, sos="linuxsrv"):
    """A connection attempt whose SYNs all vanish: first SYN then retransmissions after `gaps`."""
    fl = Flow(ctx, sip, dport, rtt, sttl, sos=sos)
    fl.c(t, "S", tag=tag + "syn0")
    for i, g in enumerate(gaps):
        t += g
        fl.c(t, "S", seq=fl.ciss, win=fl.cp["synwin"], tag=f"{tag}syn{i + 1}")
    return fl, t


def esni_ext(rng):
    """encrypted_server_name (draft-ietf-tls-esni-02), type 0xffce."""
    ks = u16(0x1D) + u16(32) + x25519_pub(rng)
    return ext(0xFFCE, u16(0x1301) + ks + u16(32) + rng.randbytes(32) + u16(292) + rng.randbytes(292))


def esni_keys_txt(rng):
    import base64
    body = u16(36) + u16(0x1D) + u16(32) + x25519_pub(rng)       # ESNIKeys: keys<4..2^16-1>
    body += u16(2) + u16(0x1301) + u16(260) + struct.pack("!QQ", 1596672000, 1596758400) + u16(0)
    return base64.b64encode(b"\xff\x01" + rng.randbytes(4) + body)


# ============================================================================
# Case 3 -- TLS-03 ESNI blocking (China, Aug 2020), macOS, 802.1Q pcap
# ============================================================================

def case3():
    cap = Cap("b11_cn_esni_tls03_vlan.pcap", epoch(2020, 8, 6, 3, 21, 7), [
        dict(link="vlan", vlan=20, pcp=0, cmac=mac("8c:85:90:3b:c1:7e"), gmac=mac("00:1e:49:d2:88:01"))])
    ctx = Ctx(cap, 3303, cip="10.20.4.57", cos="mac", cttl=64, resolver="10.20.0.2", rttl=63, dns_rtt=0.006)
    rng = ctx.rng
    CF, CF_TTL, CF_RTT, NAME = "104.18.10.118", 54, 0.187, "crypto.cloudflare.com"
    t = ctx.lookup(0.0, "www.baidu.com", chain("www.baidu.com", ["www.a.shifen.com"], ["110.242.68.3", "110.242.68.4"], 600, 300))
    _, t = ctx.https(t + 0.001, "110.242.68.3", "www.baidu.com", 0.031, 52, resp=58000, sos="linuxsrv")
    t = ctx.lookup(t + 1.7, "www.qq.com", chain("www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], ["121.14.77.221"], 300, 60))
    _, t = ctx.https(t + 0.001, "121.14.77.221", "www.qq.com", 0.024, 53, resp=72000)
    # --- the ESNI-enabled client: A/AAAA and the _esni TXT record over plain DNS
    t = ctx.lookup(7.9, NAME, chain(NAME, [], [CF, "104.18.11.118"], 300, 300),
                   chain(NAME, [], ["2606:4700::6812:a76", "2606:4700::6812:b76"], 300, 300, "AAAA"), tag="edns")
    t = query1(ctx, t + 0.0004, "_esni." + NAME, "TXT", [("_esni." + NAME, "TXT", 3600, esni_keys_txt(rng))], tag="etxt")
    fl = Flow(ctx, CF, 443, CF_RTT, CF_TTL, sos="cdn")
    t = fl.handshake(t + 0.0012, "e_")
    ch, sid = client_hello(rng, None, ("h2", "http/1.1"), "firefox", extra=[esni_ext(rng)])
    T0 = t + 0.0004
    fl.deaf = True
    fl.c(T0, "PA", ch, tag="e_ch")                             # never reaches the server
    chs = fl.ciss + 1
    ev, r, tr = [], 0.292, T0
    for i in range(9):
        tr += r
        r = min(r * 2, 64.0)
        ev.append((tr, "c", i))
    TFIN = T0 + 10.0 + CF_RTT / 2                                # the CDN gives up on the silent client
    ev.append((TFIN, "sfin", 0))
    r, tr = 0.41, TFIN
    for i in range(5):
        tr += r
        r *= 2
        ev.append((tr, "sfinrtx", i))
    closed = False
    for te, kind, i in sorted(ev):
        if te > T0 + 75:
            continue
        if kind == "c":
            fl.c(te, "FPA" if closed else "PA", ch, seq=chs, tag=f"e_rtx{i}")
        elif kind == "sfin":
            fl.s(te, "FA", seq=fl.siss + 1, ack=chs, tag="e_sfin")
            fl.c_rcv = fl.siss + 2
            fl.c(te + 0.00009, "A", seq=chs, tag="e_finack")
            fl.c(te + 0.0011, "FPA", ch, seq=chs, tag="e_cfin")     # app closes: FIN rides on the CH retransmission
            closed = True
        else:
            fl.s(te, "FA", seq=fl.siss + 1, ack=chs, tag=f"e_sfinrtx{i}")
            fl.c(te + 0.00008, "A", seq=chs, tag=f"e_dupack{i}")
    # --- residual: new connections to CF:443 die at the SYN; CF:80 and other servers work
    mac_gaps = [1.0, 1.0, 1.0, 1.0, 1.0, 2.0]
    r1, _ = syn_unanswered(ctx, T0 + 21.3, CF, 443, CF_RTT, CF_TTL, mac_gaps, "r1_", sos="cdn")
    t = ctx.lookup(T0 + 36.0, "www.bilibili.com", chain("www.bilibili.com", ["a.w.bilicdn1.com"], ["120.92.78.97"], 600, 60))
    _, t = ctx.https(t + 0.001, "120.92.78.97", "www.bilibili.com", 0.029, 51, resp=90000)
    p80, t = ctx.http(T0 + 44.2, CF, NAME, CF_RTT, CF_TTL, path="/cdn-cgi/trace", sos="cdn",
                      headers=(("Date", "Thu, 06 Aug 2020 03:22:00 GMT"), ("Content-Type", "text/plain"), ("Connection", "close"), ("Server", "cloudflare"), ("CF-RAY", "5be0c1d7ee5d3a71-LAX")),
                      body=b"fl=28f12\nh=crypto.cloudflare.com\nip=123.118.41.7\nts=1596684120.412\nvisit_scheme=http\nuag=curl/7.71.1\ncolo=LAX\nhttp=http/1.1\nloc=CN\ntls=off\nsni=off\nwarp=off\n",
                      ua="curl/7.71.1", tag="p80_")
    r2, _ = syn_unanswered(ctx, T0 + 78.5, CF, 443, CF_RTT, CF_TTL, mac_gaps, "r2_", sos="cdn")
    t = ctx.lookup(T0 + 101.0, "www.zhihu.com", chain("www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], ["118.89.204.198"], 600, 60))
    _, t = ctx.https(t + 0.001, "118.89.204.198", "www.zhihu.com", 0.027, 52, resp=64000)
    r3, _ = syn_unanswered(ctx, T0 + 141.7, CF, 443, CF_RTT, CF_TTL, mac_gaps, "r3_", sos="cdn")
    # --- after the window: plain SNI, no ESNI, same address and port: works
    ok, t = ctx.https(T0 + 196.4, CF, NAME, CF_RTT, CF_TTL, resp=9000, sos="cdn", tag="ok_")
    about = (f"macOS client in China, capture on VLAN 20. DNS A query/answer for {NAME} (frames {fr(cap, 'ednsqA')},{fr(cap, 'ednsrA')}) and "
             f"TXT _esni.{NAME} (frames {fr(cap, 'etxtq')},{fr(cap, 'etxtr')}). Flow to {CF}:443: handshake completes "
             f"(frames {fr(cap, 'e_syn')}-{cap.frame('e_ch') - 1}); the ClientHello, with no server_name and the ESNI extension 0xffce, "
             f"(frame {fr(cap, 'e_ch')}) is never ACKed: retransmissions {span(cap.frames('e_rtx'))}; the CDN, having received "
             f"nothing, sends FIN after 10 s (frame {fr(cap, 'e_sfin')}, ack = client ISN+1, i.e. the ClientHello never "
             f"arrived) and retransmits it ({span(cap.frames('e_sfinrtx'))}); client FIN rides on the ClientHello "
             f"(frame {fr(cap, 'e_cfin')}). Residual (3-tuple) blocking: new connections to {CF}:443 get no SYN/ACK: "
             f"SYNs {span(cap.frames('r1_'))} (T+21 s), {span(cap.frames('r2_'))} (T+78 s), {span(cap.frames('r3_'))} (T+142 s), "
             f"while {CF}:80 works (frames {rng_(flow_frames(cap, p80.sport))}, HTTP 200 at frame {fr(cap, 'p80_respdata')}) "
             f"and baidu/qq/bilibili/zhihu work. At T+196 s (window over) a new connection to {CF}:443 with a plain "
             f"SNI={NAME} ClientHello completes: frames {rng_(flow_frames(cap, ok.sport))}.")
    exp = {"expect": [{"mechanism": "residual-blocking", "domain": NAME}, {"mechanism": "blackhole", "domain": NAME}],
           "allow": [], "about": about}
    return cap, exp


# ============================================================================
# Case 4 -- RST-06, GFW SYN-triggered RST+ACK bursts on :443 (2025-08-20 00:34-01:48 CST)
#           pcapng, two interfaces: wlp2s0 (Ethernet) and wg0 (raw IP, WireGuard to the office)
# ============================================================================

def wg_mirror(cap, rng, inner_ip, outer_ip, peer, peer_ttl, sport, t_hs):
    """For every packet on iface 1 (wg0) add the WireGuard UDP datagram carrying it on iface 0."""
    cnt = {True: 0, False: 0}
    idx = {True: rng.getrandbits(32), False: rng.getrandbits(32)}
    cap.add(t_hs, mk_ip(outer_ip, peer, 64, rng.randrange(65536), False) / UDP(sport=sport, dport=51820) /
            Raw(b"\x01\0\0\0" + struct.pack("<I", idx[False]) + rng.randbytes(140)), True, 0, "wg_init")
    cap.add(t_hs + 0.0093, mk_ip(peer, outer_ip, peer_ttl, rng.randrange(65536), False) / UDP(sport=51820, dport=sport) /
            Raw(b"\x02\0\0\0" + struct.pack("<II", idx[True], idx[False]) + rng.randbytes(80)), False, 0, "wg_resp")
    inner = [r for r in cap.recs if r[2] == 1]
    for tns, _, _, b, _ in inner:
        out = b[12:16] == bytes(int(x) for x in inner_ip.split("."))
        t = (tns - cap.base * 1_000_000_000) / 1e9
        n = len(b)
        body = b"\x04\0\0\0" + struct.pack("<IQ", idx[not out], cnt[out]) + rng.randbytes(n + (-n % 16) + 16)
        cnt[out] += 1
        if out:
            cap.add(t + 0.000031, mk_ip(outer_ip, peer, 64, rng.randrange(65536), False) / UDP(sport=sport, dport=51820) / Raw(body), True, 0)
        else:
            cap.add(t - 0.000042, mk_ip(peer, outer_ip, peer_ttl, rng.randrange(65536), False) / UDP(sport=51820, dport=sport) / Raw(body), False, 0)


def gfw_443(ctx, t, sip, rtt, sttl, border_rtt, ttl0, tag):
    """SYN to :443: 3 forged RST+ACK for the SYN (seq 0, win 1980-1982), the real SYN/ACK, the
    client's stack RST, 3 forged RST+ACK for the SYN/ACK (seq S_ISN+1, win 3293-3295)."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, rtt, sttl)
    fl.c(t, "S", tag=tag + "syn")
    a = fl.ciss + 1
    tb = t + border_rtt
    for k in range(3):
        fl.forged(tb + k * 0.000013, "RA", 0, a, ttl0 + k, rng.randrange(65536), True, 1980 + k, tag=f"{tag}rst1_{k}")
    fl.c_rcv, fl.s_rcv = fl.siss + 1, a
    fl.s(t + rtt, "SA", ack=a, tag=tag + "synack")
    fl.stack_rst(t + rtt + 0.000037, a, tag=tag + "crst")
    for k in range(3):
        fl.forged(t + rtt + 0.00016 + k * 0.000012, "RA", fl.siss + 1, a, ttl0 + k, rng.randrange(65536), True, 3293 + k, tag=f"{tag}rst2_{k}")
    return fl, t + rtt + 0.0002


def case4():
    cap = Cap("b11_cn_gfw443_rst06_2if.pcapng", epoch(2025, 8, 19, 16, 41, 3), [
        dict(name="wlp2s0", link="eth", tsresol=9, cmac=mac("70:cd:0d:5a:93:14"), gmac=mac("50:d2:f5:07:c1:6b")),
        dict(name="wg0", link="raw", tsresol=6)], fmt="pcapng",
        shb=dict(hw="Intel(R) Core(TM) i7-1165G7", os="Linux 6.8.0-79-generic", app="Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"))
    ctx = Ctx(cap, 4404, cip="192.168.3.27", cos="linux", cttl=64, resolver="192.168.3.1", rttl=64, dns_rtt=0.009, edns=1232)
    vpn = Ctx(cap, 4405, cip="10.66.0.23", cos="linux", cttl=64, mss4=1380, iface=1, resolver="10.66.0.1", rttl=64, dns_rtt=0.004)
    rng = ctx.rng
    UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36"
    # office VPN (wg0): port 443 inside the tunnel, unaffected
    t = vpn.lookup(0.2, "git.corp.lan", chain("git.corp.lan", [], ["10.66.1.12"], 60, 60), aaaa=False)
    _, t = vpn.https(t + 0.001, "10.66.1.12", "git.corp.lan", 0.0061, 63, resp=34000, smss=1380, profile="chrome")
    t = ctx.lookup(2.4, "www.baidu.com", chain("www.baidu.com", ["www.a.shifen.com"], ["110.242.69.21"], 600, 300))
    _, t = ctx.https(t + 0.001, "110.242.69.21", "www.baidu.com", 0.028, 52, resp=52000, profile="chrome")
    targets = [("developer.mozilla.org", [], "34.111.97.67", 0.182, 49, 0.0113, 96),
               ("www.python.org", ["dualstack.python.map.fastly.net"], "151.101.108.223", 0.071, 54, 0.0121, 101),
               ("www.debian.org", [], "130.89.148.77", 0.238, 46, 0.0109, 98)]
    starts = [6.1, 14.8, 33.7]
    flows, web = {}, {}
    for (name, cn, ip, rtt, sttl, brtt, ttl0), t0 in zip(targets, starts):
        key = name.split(".")[-2]
        t = ctx.lookup(t0, name, chain(name, cn, [ip], 300, 60), tag=key + "dns")
        if name == "www.debian.org":
            body = html_body(rng, 14000, "Debian -- The Universal Operating System")
            hf, t = ctx.http(t + 0.001, ip, name, rtt, sttl, status="200 OK", ua=UA, tag=key + "80_", close="none",
                             headers=(("Server", "Apache"), ("Content-Type", "text/html"), ("Content-Length", str(len(body)))), body=body)
        else:
            hf, t = ctx.http(t + 0.001, ip, name, rtt, sttl, status="301 Moved Permanently", ua=UA, tag=key + "80_", close="none",
                             headers=(("Server", "nginx"), ("Location", f"https://{name}/"), ("Content-Length", "0")))
        web[name] = hf
        f1, t = gfw_443(ctx, t + (0.004 if name != "www.debian.org" else 2.6), ip, rtt, sttl, brtt, ttl0, key + "A_")
        flows[name] = [f1]
        if name == "www.python.org":   # the user reloads: same again
            f2, t = gfw_443(ctx, t + 3.9, ip, rtt, sttl, brtt, ttl0, key + "B_")
            flows[name].append(f2)
        hf.close_client(t + 1.4, alert=False)
    t = vpn.lookup(27.3, "chat.corp.lan", chain("chat.corp.lan", [], ["10.66.1.40"], 60, 60), aaaa=False)
    _, t = vpn.https(t + 0.001, "10.66.1.40", "chat.corp.lan", 0.0064, 63, resp=21000, smss=1380, profile="chrome")
    t = ctx.lookup(44.2, "www.bilibili.com", chain("www.bilibili.com", ["a.w.bilicdn1.com"], ["139.159.241.37"], 600, 60))
    _, t = ctx.https(t + 0.001, "139.159.241.37", "www.bilibili.com", 0.033, 53, resp=61000, profile="chrome")
    wg_mirror(cap, rng, "10.66.0.23", "192.168.3.27", "58.34.117.9", 57, 38211, 0.05)
    parts = []
    for (name, _, ip, rtt, sttl, _, ttl0) in targets:
        key = name.split(".")[-2]
        hf = web[name]
        seg = [f"{name} ({ip}, server TTL {sttl}): DNS {fr(cap, key + 'dnsqA')}; port 80 works, frames "
               f"{rng_(flow_frames(cap, hf.sport))} (response at frame {fr(cap, key + '80_respdata')})"]
        for L in "AB":
            try:
                cap.frame(f"{key}{L}_syn")
            except KeyError:
                continue
            g = f"{key}{L}_"
            seg.append(f"SYN {fr(cap, g + 'syn')} -> forged RST+ACK {span(cap.frames(g + 'rst1_'))} (seq 0, TTL {ttl0}-{ttl0 + 2}, "
                       f"win 1980-1982, {int(targets[[x[0] for x in targets].index(name)][5] * 1000)} ms after the SYN), genuine SYN/ACK "
                       f"{fr(cap, g + 'synack')}, client stack RST {fr(cap, g + 'crst')}, forged RST+ACK {span(cap.frames(g + 'rst2_'))} "
                       f"(seq = SYN/ACK seq+1, TTL {ttl0}-{ttl0 + 2}, win 3293-3295)")
        parts.append("; ".join(seg))
    about = ("Linux laptop in China during the 20 Aug 2025 00:34-01:48 CST event; pcapng with wlp2s0 (Ethernet) and wg0 "
             "(raw IP, WireGuard to the office, whose UDP/51820 datagrams also appear on wlp2s0). Every SYN to a foreign :443 "
             "draws 3 forged RST+ACKs with incrementing TTL and window; the SYN/ACK draws 3 more. " + " | ".join(parts) +
             ". Controls: baidu/bilibili :443 (domestic) and the tunnelled :443 flows on wg0 work.")
    exp = {"expect": [{"mechanism": "rst-injection", "domain": n[0]} for n in targets], "allow": [], "about": about}
    return cap, exp


# ============================================================================
# Case 5 -- PF-01 GFW blocking of fully encrypted traffic (2022), IPv6, Android,
#           PCAPdroid-style raw-IP pcap
# ============================================================================

def fet_candidate(b):
    """True if the GFW's 2021-23 exemptions Ex1-Ex5 (Wu et al. 2023) all fail for payload b."""
    pop = sum(bin(x).count("1") for x in b) / len(b)
    pr = [0x20 <= x <= 0x7E for x in b]
    run = best = 0
    for p in pr:
        run = run + 1 if p else 0
        best = max(best, run)
    return (3.4 < pop < 4.6 and not all(pr[:6]) and sum(pr) / len(b) <= 0.5 and best <= 20
            and not (b[0] in (0x16, 0x17) and b[1] == 3 and b[2] <= 9) and b[:4] not in (b"GET ", b"PUT ", b"POST", b"HEAD"))


def ss_conn(ctx, t, sip, port, rtt, sttl, first_len, replies, tag):
    """A Shadowsocks-AEAD-like connection: random first segment, random replies, client closes."""
    rng = ctx.rng
    fl = Flow(ctx, sip, port, rtt, sttl, sos="linuxsrv", smss=1440)
    t = fl.handshake(t, tag)
    while True:
        first = rng.randbytes(first_len)
        if fet_candidate(first):
            break
    t = fl.send_c(t + 0.0003, first, tag + "c1")
    for n in replies:
        t = fl.bulk(t + fl.owd + rng.uniform(0.03, 0.09), rng.randbytes(n), 40e6, None, 1e9, tag + "r")
        t = fl.send_c(t + rng.uniform(0.05, 0.3), rng.randbytes(rng.randrange(60, 140)))
    t = fl.close_client(t + rng.uniform(0.3, 1.2), alert=False)
    return fl, t


def case5():
    cap = Cap("b11_cn_fet_pf01_v6_android.pcap", epoch(2022, 6, 14, 12, 3, 55), [dict(link="raw")])
    ctx = Ctx(cap, 5505, cip="10.148.33.201", cip6="2409:8a28:e63:5a10:8d3:7ef2:11c4:9a07", cos="android", cttl=64,
              mss4=1400, mss6=1380, resolver="211.136.192.6", resolver6="2409:8088::a", rttl=58, dns_rtt=0.031)
    rng = ctx.rng
    VPS, VPS_TTL, VPS_RTT, SSP = "2001:19f0:7001:2f4c:5400:4ff:fe1e:8a2d", 48, 0.083, 14872
    t = ctx.lookup(0.0, "api.bilibili.com", chain("api.bilibili.com", ["a.w.bilicdn1.com"], ["120.92.108.182"], 600, 60),
                   chain("api.bilibili.com", ["a.w.bilicdn1.com"], ["240e:f7:a000:1:3::21"], 600, 60, "AAAA"), v6=True)
    _, t = ctx.https(t + 0.002, "240e:f7:a000:1:3::21", "api.bilibili.com", 0.036, 54, resp=31000, profile="chrome", smss=1440)
    # --- the trigger: first Shadowsocks connection, 387 random bytes first; it works
    a, t = ss_conn(ctx, 3.7, VPS, SSP, VPS_RTT, VPS_TTL, 387, [1350, 5200], "ssA_")
    T0 = cap.recs[[r[4] for r in cap.recs].index("ssA_c1")][0] / 1e9 - cap.base
    # --- for ~180 s every new connection to [VPS]:SSP dies at the SYN (Linux: 1, 2, 4, 8 s)
    lg = [1.0, 2.0, 4.0, 8.0]
    fails = []
    for i, dt in enumerate([4.1, 26.8, 71.5, 118.2, 163.9]):
        f, _ = syn_unanswered(ctx, T0 + dt, VPS, SSP, VPS_RTT, VPS_TTL, lg if i % 2 == 0 else lg[:3], f"ssF{i}_")
        fails.append(f)
    # --- the same server's :443 (a small personal site) works during the block
    t = ctx.lookup(T0 + 40.3, "notes.lumenfold.net", (), chain("notes.lumenfold.net", [], [VPS], 300, 300, "AAAA"), v6=True, tag="wdns")
    web, t = ctx.https(t + 0.002, VPS, "notes.lumenfold.net", VPS_RTT, VPS_TTL, resp=23000, profile="chrome", smss=1440, tag="w_")
    t = ctx.lookup(T0 + 55.0, "szextshort.weixin.qq.com", chain("szextshort.weixin.qq.com", ["extshort.weixin.qq.com"], ["109.244.217.13"], 300, 60),
                   (), v6=True)
    _, t = ctx.https(t + 0.002, "109.244.217.13", "szextshort.weixin.qq.com", 0.029, 53, resp=12000, profile="chrome")
    web2, t = ctx.https(T0 + 131.0, VPS, "notes.lumenfold.net", VPS_RTT, VPS_TTL, resp=15000, profile="chrome", smss=1440, tag="w2_")
    t = ctx.lookup(T0 + 150.4, "www.zhihu.com", chain("www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], ["118.89.204.198"], 600, 60),
                   chain("www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], ["240e:940:401:1::1f"], 600, 60, "AAAA"), v6=True)
    _, t = ctx.https(t + 0.002, "240e:940:401:1::1f", "www.zhihu.com", 0.027, 55, resp=44000, profile="chrome", smss=1440)
    # --- after ~3 minutes the port answers again
    b, t = ss_conn(ctx, T0 + 196.3, VPS, SSP, VPS_RTT, VPS_TTL, 301, [2400], "ssB_")
    fl_txt = "; ".join(f"{span(flow_frames(cap, f.sport))} (T+{dt:.0f} s)" for f, dt in zip(fails, [4.1, 26.8, 71.5, 118.2, 163.9]))
    about = (f"Android phone (PCAPdroid-style raw-IP capture), IPv6 mobile network in China, June 2022. Trigger: Shadowsocks-like "
             f"connection to [{VPS}]:{SSP}, frames {rng_(flow_frames(cap, a.sport))}; its first data segment (frame {fr(cap, 'ssA_c1')}, "
             f"387 random bytes: popcount/byte within 3.4-4.6, no printable prefix, no TLS/HTTP fingerprint) goes through and "
             f"the server answers (first reply frame {fr(cap, 'ssA_rdata')}). From then on new connections to the same "
             f"[{VPS}]:{SSP} get no SYN/ACK, SYNs only: frames {fl_txt}. Meanwhile the same server's :443 works "
             f"(HTTPS notes.lumenfold.net, frames {rng_(flow_frames(cap, web.sport))} and {rng_(flow_frames(cap, web2.sport))}), as do "
             f"bilibili/weixin/zhihu. At T+196 s a new connection to [{VPS}]:{SSP} works again: frames "
             f"{rng_(flow_frames(cap, b.sport))}. No name: the proxy is configured by address.")
    exp = {"expect": [{"mechanism": "residual-blocking", "ip": VPS}], "allow": [{"mechanism": "blackhole", "ip": VPS}], "about": about}
    return cap, exp


# ============================================================================
# Case 6 -- RST-02, GFW HTTP keyword resets, 2006 era (Clayton, Murdoch, Watson)
#           big-endian microsecond pcap, Ethernet, Linux 2.6 client in the UK
# ============================================================================

def rst_2006(fl, t, seq, ack, ttl, ipid, tag):
    """A 2006 GFW reset toward the client: flags RST only, yet the ack field is filled in."""
    ip = mk_ip(fl.sip, fl.cip, ttl, ipid, False)
    fl.cap.add(t, ip / TCP(sport=fl.dport, dport=fl.sport, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF, flags="R", window=0),
               False, fl.iface, tag)


def case6():
    cap = Cap("b11_cn_gfw2006_rst02_be.pcap", epoch(2006, 5, 23, 9, 12, 40), [
        dict(link="eth", cmac=mac("00:0d:56:b2:4e:19"), gmac=mac("00:09:43:1c:d0:7a"))], endian=">")
    ctx = Ctx(cap, 6606, cip="128.232.21.87", cos="linux26", cttl=64, resolver="131.111.8.42", rttl=62, dns_rtt=0.0011)
    rng = ctx.rng
    SRV, NAME, STTL, GTTL, RTT = "166.111.4.100", "www.tsinghua.edu.cn", 39, 47, 0.352
    FF = "Mozilla/5.0 (X11; U; Linux i686; en-GB; rv:1.8.0.3) Gecko/20060426 Firefox/1.5.0.3"
    t = ctx.lookup(0.0, "news.bbc.co.uk", chain("news.bbc.co.uk", ["newswww.bbc.net.uk"], ["212.58.226.33"], 900, 300), aaaa=False)
    _, t = ctx.http(t + 0.001, "212.58.226.33", "news.bbc.co.uk", 0.0042, 57, path="/", ua=FF, sos="nots",
                    headers=(("Server", "Apache"), ("Content-Type", "text/html")), body=html_body(rng, 21000, "BBC NEWS | News Front Page"))
    t = ctx.lookup(t + 1.1, NAME, chain(NAME, [], [SRV], 3600, 3600), aaaa=False, tag="tdns")
    page = html_body(rng, 11800, "Tsinghua University")
    hdr = ("Server", "Apache/2.0.54 (Unix)"), ("Content-Type", "text/html; charset=gb2312"), ("Content-Length", str(len(page)))
    ctl, t = ctx.http(t + 0.001, SRV, NAME, RTT, STTL, path="/", ua=FF, sos="linux24srv", headers=hdr, body=page, tag="ctl_")
    # --- the keyword request
    fl = Flow(ctx, SRV, 80, RTT, STTL, sos="linux24srv")
    t = fl.handshake(14.6, "kw_")
    get = (f"GET /?falun HTTP/1.0\r\nUser-Agent: Wget/1.10.2\r\nAccept: */*\r\nHost: {NAME}\r\nConnection: Keep-Alive\r\n\r\n").encode()
    tg = t + 0.0002
    a0 = fl.cnxt
    fl.c(tg, "PA", get, tag="kw_get")
    a1 = fl.cnxt
    s1 = fl.siss + 1
    ti = tg + RTT - 0.021                                        # the injector sits near the server's end
    for k, off in enumerate((0, 1460, 4380)):
        rst_2006(fl, ti + k * 0.00009, s1 + off, a0, GTTL, rng.randrange(65536), f"kw_rst{k}")
    resp = b"HTTP/1.1 200 OK\r\nDate: Tue, 23 May 2006 09:12:55 GMT\r\n" + b"".join(f"{k}: {v}\r\n".encode() for k, v in hdr) + b"\r\n" + page
    ts = tg + RTT + 0.0023
    for k in range(2):                                           # Linux 2.4 initial window: 2 segments
        fl.s(ts + k * 0.00012, "A" if k == 0 else "PA", resp[k * 1448:(k + 1) * 1448], seq=s1 + k * 1448, ack=a1, tag=f"kw_data{k}")
        fl.stack_rst(ts + k * 0.00012 + 0.00003, a1, tag=f"kw_crst{k}")
    rst_2006(fl, ts + 0.0121, s1 + 2896, a1, GTTL, rng.randrange(65536), "kw_rst3")
    t = ctx.lookup(22.8, "www.google.co.uk", chain("www.google.co.uk", ["www.google.com", "www.l.google.com"], ["66.102.9.104", "66.102.9.99"], 300, 300), aaaa=False)
    _, t = ctx.http(t + 0.001, "66.102.9.104", "www.google.co.uk", 0.0091, 56, ua=FF, sos="nots", headers=(("Server", "GWS/2.1"), ("Content-Type", "text/html")),
                    body=html_body(rng, 4200, "Google"))
    # --- follow-up connections with an innocuous request: RST right after the handshake
    res = []
    for i, t0 in enumerate((31.2, 58.9)):
        f = Flow(ctx, SRV, 80, RTT, STTL, sos="linux24srv")
        t = f.handshake(t0, f"fu{i}_")
        f.c(t + 0.0002, "PA", (f"GET / HTTP/1.0\r\nUser-Agent: Wget/1.10.2\r\nAccept: */*\r\nHost: {NAME}\r\nConnection: Keep-Alive\r\n\r\n").encode(), tag=f"fu{i}_get")
        rst_2006(f, t + RTT - 0.019, f.siss + 1, f.ciss + 1, GTTL, rng.randrange(65536), f"fu{i}_rst")
        # the server was reset too; the GET reaches a closed socket and the server's stack answers with RST
        f.cap.add(t + RTT + 0.0007, mk_ip(SRV, ctx.cip, STTL, 0, True) / TCP(sport=80, dport=f.sport, seq=f.siss + 1, flags="R", window=0), False, 0, f"fu{i}_srst")
        res.append(f)
    t = ctx.lookup(97.4, "news.bbc.co.uk", chain("news.bbc.co.uk", ["newswww.bbc.net.uk"], ["212.58.226.33"], 900, 300), aaaa=False)
    _, t = ctx.http(t + 0.001, "212.58.226.33", "news.bbc.co.uk", 0.0043, 57, path="/1/hi/world/default.stm", ua=FF, sos="nots",
                    headers=(("Server", "Apache"), ("Content-Type", "text/html")), body=html_body(rng, 17000, "BBC NEWS | World"))
    about = (f"2006-era capture (big-endian pcap), Linux 2.6 client in the UK, Chinese web server {SRV} ({NAME}, DNS frame "
             f"{fr(cap, 'tdnsqA')}), genuine server TTL {STTL}. Control: innocuous GET / frames {rng_(flow_frames(cap, ctl.sport))} works. "
             f"Keyword flow frames {rng_(flow_frames(cap, fl.sport))}: GET /?falun (frame {fr(cap, 'kw_get')}); then 3 forged RSTs toward the "
             f"client (frames {span(cap.frames('kw_rst')[:3])}): flags RST only (ack field filled in anyway), TTL {GTTL} (= server TTL + 8), "
             f"seq = server ISN+1, +1460, +4380 (the 2006 spacing), window 0; the genuine HTTP 200 from the server (TTL {STTL}) still arrives "
             f"(frames {span(cap.frames('kw_data'))}), each drawing a client stack RST ({span(cap.frames('kw_crst'))}); a 4th forged RST "
             f"(frame {fr(cap, 'kw_rst3')}, seq = ISN+1+2896, ack = end of GET, TTL {GTTL}) follows the data (race: data after RST). "
             f"Follow-ups with an innocuous GET / (frames {rng_(flow_frames(cap, res[0].sport))} and {rng_(flow_frames(cap, res[1].sport))}): "
             f"forged RST TTL {GTTL} seq=ISN+1 right after the handshake (frames {fr(cap, 'fu0_rst')}, {fr(cap, 'fu1_rst')}), then the server's own "
             f"RST (TTL {STTL}) for the GET that hit a reset socket ({fr(cap, 'fu0_srst')}, {fr(cap, 'fu1_srst')}). BBC/Google flows ordinary.")
    exp = {"expect": [{"mechanism": "rst-injection", "domain": NAME}], "allow": [{"mechanism": "residual-blocking", "domain": NAME}], "about": about}
    return cap, exp


CASES = [case1, case2, case3, case4, case5, case6]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    expect = {}
    for fn in CASES:
        cap, exp = fn()
        cap.write(os.path.join(out, cap.fname))
        expect[cap.fname] = exp
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
