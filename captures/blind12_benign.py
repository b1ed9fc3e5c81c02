#!/usr/bin/env python3
# ruff: noqa: B007, B905, E501, E702, F841, RUF005, RUF046, RUF059, UP031
"""blind12_benign.py OUTDIR -- six benign captures that look like censorship but are not.

The kit pieces used unchanged come from blind_kit.py; the adapted ones (pcap/pcapng writers,
TCP flow builder, TLS/DNS/SSH message builders) are followed by one function per case.  Deterministic: seeded RNGs, fixed epochs."""
import json
import os
import random
import struct
import sys

from blind_kit import (  # the capture-writing kit the round was written with
    app_rec,
    app_stream,
    chain,
    client_hello,
    dns_msg,
    epoch,
    html_body,
    mac,
    mk_ip,
    server_flight,
)
from scapy.all import TCP, UDP, ICMPv6DestUnreach, IPv6, Raw, raw

# ----------------------------------------------------------------------------
# capture container and writers
# ----------------------------------------------------------------------------

LINKTYPE = {"eth": 1, "vlan": 1, "qinq": 1, "sll": 113, "sll2": 276, "raw": 101}


import blind_kit as kit  # noqa: E402  (its classes, extended below)


class Cap(kit.Cap):
    """The kit's Cap with the methods this round changed."""

    linktypes = LINKTYPE

    def link(self, iface, ipb, out):
        f = self.ifaces[iface]
        et = 0x86DD if ipb[0] >> 4 == 6 else 0x0800
        k = f["link"]
        if k == "raw":
            return ipb
        if k == "sll":  # Linux cooked v1: pkttype, ARPHRD_ETHER, addr len, addr(8), protocol
            addr = f["cmac"] if out else f["gmac"]
            return struct.pack("!HHH", 4 if out else 0, 1, 6) + addr + b"\0\0" + struct.pack("!H", et) + ipb
        if k == "sll2":
            addr = f["cmac"] if out else f["gmac"]
            return struct.pack("!HHIHBB", et, 0, f["ifindex"], 1, 4 if out else 0, 6) + addr + b"\0\0" + ipb
        src, dst = (f["cmac"], f["gmac"]) if out else (f["gmac"], f["cmac"])
        if k == "eth":
            fr = dst + src + struct.pack("!H", et) + ipb
        elif k == "qinq":  # 802.1ad S-tag + 802.1Q C-tag, as seen on a provider mirror port
            fr = dst + src + struct.pack("!HHHHH", 0x88A8, f["svlan"], 0x8100, (f.get("pcp", 0) << 13) | f["vlan"], et) + ipb
        else:
            fr = dst + src + struct.pack("!HHH", 0x8100, (f.get("pcp", 0) << 13) | f["vlan"], et) + ipb
        if (not out or f.get("tap")) and len(fr) < 60:  # frames received from the wire arrive padded
            fr += b"\0" * (60 - len(fr))
        return fr

    def add(self, t, pkt, out, iface=0, tag=None):
        ipb = pkt if isinstance(pkt, bytes) else raw(pkt)
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        self.recs.append((tns, len(self.recs), iface, self.link(iface, ipb, out), tag, ipb))
        self._sorted = None

    def write(self, path):
        E = self.endian
        out = bytearray()
        recs = self.sorted()
        if self.fmt == "pcap":
            lt = LINKTYPE[self.ifaces[0]["link"]]
            out += struct.pack(E + "IHHiIII", 0xA1B23C4D if self.nsec else 0xA1B2C3D4, 2, 4, 0, 0, 262144, lt)
            for tns, _, _, b, _, _ in recs:
                sec, frac = divmod(tns, 1_000_000_000)
                if not self.nsec:
                    frac //= 1000
                out += struct.pack(E + "IIII", sec, frac, len(b), len(b)) + b
        else:
            def opt(code, val):
                return struct.pack(E + "HH", code, len(val)) + val + b"\0" * (-len(val) % 4)

            def blk(bt, body):
                body += b"\0" * (-len(body) % 4)
                n = len(body) + 12
                return struct.pack(E + "II", bt, n) + body + struct.pack(E + "I", n)

            so = b"".join(opt(c, v.encode()) for c, v in ((2, self.shb.get("hw", "")), (3, self.shb.get("os", "")), (4, self.shb.get("app", ""))) if v)
            out += blk(0x0A0D0D0A, struct.pack(E + "IHHq", 0x1A2B3C4D, 1, 0, -1) + so + struct.pack(E + "HH", 0, 0))
            for f in self.ifaces:
                io = opt(2, f["name"].encode()) + (opt(3, f["descr"].encode()) if f.get("descr") else b"") + opt(9, bytes([f.get("tsresol", 6)]))
                if f.get("os"):
                    io += opt(12, f["os"].encode())
                out += blk(1, struct.pack(E + "HHI", LINKTYPE[f["link"]], 0, 262144) + io + struct.pack(E + "HH", 0, 0))
            for tns, _, ifc, b, _, _ in recs:
                res = self.ifaces[ifc].get("tsresol", 6)
                ts = tns if res == 9 else tns // 1000
                out += blk(6, struct.pack(E + "IIIII", ifc, ts >> 32, ts & 0xFFFFFFFF, len(b), len(b)) + b)
        with open(path, "wb") as fh:
            fh.write(bytes(out))


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
    "android": dict(synwin=65535, ws=9, ts=True, win0=256),
    "pep": dict(synwin=65535, ws=7, ts=True, win0=2048),
}


class Flow(kit.Flow):
    """The kit's Flow with the methods this round changed."""

    profiles = PROFILES

    def __init__(self, ctx, sip, dport, rtt, sttl, sport=None, sos="linuxsrv", cmss=None, smss=1460, iface=None, s_df=True, s_ipid="inc"):
        self.ctx, self.cap, rng = ctx, ctx.cap, ctx.rng
        self.iface = ctx.iface if iface is None else iface
        self.v6 = ":" in sip
        self.cip = ctx.cip6 if self.v6 else ctx.cip
        self.sip, self.dport, self.rtt, self.owd, self.sttl = sip, dport, rtt, rtt / 2, sttl
        self.sport = sport or ctx.port()
        self.cp, self.sp = PROFILES[getattr(ctx, "prof", ctx.cos)], PROFILES[sos]
        self.ts = self.cp["ts"] and self.sp["ts"]
        cmss = cmss or (ctx.mss6 if self.v6 else ctx.mss4)
        if self.v6 and smss == 1460:
            smss = 1440
        self.cmss, self.smss = cmss, smss
        self.seg = min(cmss, smss) - (12 if self.ts else 0)
        self.ciss, self.siss = rng.getrandbits(32), rng.getrandbits(32)
        self.cnxt, self.snxt = self.ciss, self.siss
        self.c_rcv, self.s_rcv = 0, 0
        self.cid, self.sid = rng.randrange(1, 65536), rng.randrange(1, 65536)
        self.s_df, self.s_ipid = s_df, s_ipid
        self.cts, self.sts = rng.getrandbits(31), rng.getrandbits(31)
        self.cfl, self.sfl = rng.getrandbits(20), rng.getrandbits(20)
        self.last_cts, self.last_sts = 0, 0
        self.c_got, self.s_got, self.s_tx = 0, 0, 0
        self.cwnd, self.ssthresh = 10.0, 1e9

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
            if out and self.ctx.cos == "mac":
                return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("NOP", None), ("NOP", None), ("Timestamp", (tsv, 0)), ("SAckOK", b""), ("EOL", None)]
            if out and self.ctx.cos == "win":
                return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
            if not p["ts"] or (not out and not self.ts):
                if out:
                    return [("MSS", mss), ("NOP", None), ("WScale", p["ws"]), ("SAckOK", b""), ("Timestamp", (tsv, 0))]
                # Linux answering a SYN without timestamps
                return [("MSS", mss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None), ("WScale", p["ws"])]
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

    def s(self, t, flags, payload=b"", seq=None, ack=None, win=None, tag=None, ttl=None, ip_id=None):
        adv = seq is None
        seq = self.snxt if seq is None else seq
        ack = self.s_rcv if ack is None else ack
        if win is None:
            win = self.sp["synwin"] if "S" in flags else self.swin()
        o = self._opts(False, t, flags)
        if self.s_ipid == "linux" and "S" in flags:
            ipid = 0
        elif self.s_ipid in ("inc", "linux"):
            ipid = self.sid
            self.sid = (self.sid + 1) & 0xFFFF
        elif self.s_ipid == "zero":
            ipid = 0
        else:
            ipid = self.ctx.rng.randrange(65536)
        if ip_id is not None:  # e.g. 0 for what Linux sends from a TIME_WAIT socket or for a stray segment
            ipid = ip_id
        ip = mk_ip(self.sip, self.cip, ttl or self.sttl, ipid, self.s_df, self.sfl)
        tcp = TCP(sport=self.dport, dport=self.sport, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF, flags=flags, window=win, options=o)
        self.cap.add(t, ip / tcp / Raw(payload) if payload else ip / tcp, False, self.iface, tag)
        if payload:
            self.last_s_idx = len(self.cap.recs) - 1
        if adv:
            self.snxt += len(payload) + ("S" in flags) + ("F" in flags)
        self.c_got += len(payload)

    def stack_rst(self, t, seq, tag=None):
        """RST the client kernel sends for a segment of a connection it no longer has."""
        ip = mk_ip(self.cip, self.sip, self.ctx.cttl, self.ctx.rng.randrange(65536) if self.ctx.cos == "mac" else (self.ctx.ipid(self) if self.ctx.cos == "win" else 0), True, self.cfl)
        self.cap.add(t, ip / TCP(sport=self.sport, dport=self.dport, seq=seq & 0xFFFFFFFF, flags="R", window=0), True, self.iface, tag)


# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# per-case context and composite helpers
# ----------------------------------------------------------------------------


class Ctx(kit.Ctx):
    """The kit's Ctx with the methods this round changed."""

    flow_class = Flow

    def __init__(self, cap, seed, cip=None, cip6=None, cos="linux", cttl=64, mss4=1460, mss6=1440, iface=0,
                 resolver=None, resolver6=None, rttl=60, dns_rtt=0.02, edns=None, qflags=0x0100):
        self.cap, self.rng = cap, random.Random(seed)
        self.cip, self.cip6, self.cos, self.cttl = cip, cip6, cos, cttl
        self.mss4, self.mss6, self.iface = mss4, mss6, iface
        self.resolver, self.resolver6, self.rttl, self.dns_rtt = resolver, resolver6, rttl, dns_rtt
        self.edns, self.qflags = edns, qflags
        self.used = set()
        self.r_ipid = None  # None: random per response; int: consecutive counter
        self.gid = self.rng.randrange(1, 65536)

    def ipid(self, fl):
        if self.cos == "mac":
            return self.rng.randrange(65536)
        if self.cos == "win":  # Windows: one global counter for every packet the host sends
            v = self.gid
            self.gid = (self.gid + 1) & 0xFFFF
            return v
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
        win = self.cos == "win"  # Windows: a socket per query, IP IDs from the host-wide counter, DF clear
        qid = self.gid if win else rng.randrange(1, 65536)
        fl = rng.getrandbits(20)
        ports = [sport, self.port() if win else sport]
        qs = [("A", ans_a)] + ([("AAAA", ans_aaaa)] if aaaa else [])
        tq = t
        ids = []
        for k, (qt, _) in enumerate(qs):
            txid = rng.randrange(65536)
            ids.append(txid)
            q = dns_msg(txid, self.qflags, qname, qt, edns=self.edns)
            self.cap.add(tq, mk_ip(src, dst, self.cttl, qid, not win, fl) / UDP(sport=ports[k], dport=53) / Raw(q), True, iface, tag and f"{tag}q{qt}")
            qid = (qid + 1) & 0xFFFF
            tq += rng.uniform(0.00003, 0.0001)
        if win:
            self.gid = qid
        rs = []
        for k, ((qt, ans), txid) in enumerate(zip(qs, ids)):
            ta = t + rtt * rng.uniform(0.9, 1.15)
            rs.append((ta, qt, dns_msg(txid, rflags, qname, qt, ans, edns=redns if redns is not None else self.edns), ports[k]))
        for ta, qt, r, dp in sorted(rs):
            self.cap.add(ta, mk_ip(dst, src, self.rttl, self.resp_ipid(), False) / UDP(sport=53, dport=dp) / Raw(r), False, iface, tag and f"{tag}r{qt}")
        return max(max(r[0] for r in rs), t + rtt)

    def https(self, t, sip, sni, rtt, sttl, resp=20000, rate=30e6, cert=3200, req=420, think=0.015, close="client",
              profile="firefox", sos="linuxsrv", iface=None, smss=1460, alpn=("h2", "http/1.1"), tag=None, drop=None, t_limit=1e9, s_ipid="inc"):
        """A complete HTTPS exchange. Returns (flow, time of last packet)."""
        rng = self.rng
        fl = Flow(self, sip, 443, rtt, sttl, sos=sos, iface=iface, smss=smss, s_ipid=s_ipid)
        t = fl.handshake(t, tag)
        t += rng.uniform(0.0002, 0.0012)
        ch, sid = client_hello(rng, sni, alpn, profile)
        t = fl.send_c(t, ch, tag and tag + "ch")
        t = fl.bulk(t + fl.owd + rng.uniform(0.0004, 0.002), server_flight(rng, sid, cert), rate, drop, t_limit, tag and tag + "sh", final_ack=False)
        if fl.done_t is None:  # the flight never completed (censored): caller takes over
            return fl, t
        t = max(t, fl.last_arr + rng.uniform(0.001, 0.004))
        t = fl.send_c(t, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, req), tag and tag + "req")
        srv = b"".join(app_rec(rng, rng.randrange(230, 260)) for _ in range(2)) + app_stream(rng, resp)
        t = fl.bulk(t + fl.owd + think, srv, rate, drop, t_limit, tag and tag + "resp")
        if fl.done_t is None:
            return fl, t
        if close == "client":
            t = fl.close_client(t + rng.uniform(0.05, 2.5))
        elif close == "server":
            t = fl.close_server(t + rng.uniform(0.5, 5.0))
        return fl, t

    def http(self, t, sip, host, rtt, sttl, path="/", status="200 OK", headers=(), body=b"", ua=None, sos="linuxsrv", iface=None, rate=20e6, tag=None, close="server", s_ipid="inc"):
        rng = self.rng
        fl = Flow(self, sip, 80, rtt, sttl, sos=sos, iface=iface, s_ipid=s_ipid)
        t = fl.handshake(t, tag)
        ua = ua or "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        req = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {ua}\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
               "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()
        t = fl.send_c(t + rng.uniform(0.0002, 0.001), req, tag and tag + "get")
        resp = f"HTTP/1.1 {status}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers) + b"\r\n" + body
        t = fl.bulk(t + fl.owd + rng.uniform(0.002, 0.03), resp, rate, None, 1e9, tag and tag + "resp")
        if close == "server":
            t = fl.close_server(t + rng.uniform(0.0001, 0.002))
        elif close == "client":
            t = fl.close_client(t + rng.uniform(1.0, 4.0), alert=False)
        return fl, t


# ----------------------------------------------------------------------------
# SSH messages (banners and KEXINIT in clear, the rest as chacha20-poly1305 sized blobs)
# ----------------------------------------------------------------------------

SSH_KEX = ("sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
           "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256")
SSH_HK_C = ("ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
            "ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
            "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
            "ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256")
SSH_CIPH = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com"
SSH_MACS = ("umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
            "hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1")


def ssh_pkt(rng, payload):
    pad = 8 - (5 + len(payload)) % 8
    pad += 8 if pad < 4 else 0
    return struct.pack("!IB", 1 + len(payload) + pad, pad) + payload + rng.randbytes(pad)


def ssh_str(b):
    return struct.pack("!I", len(b)) + (b.encode() if isinstance(b, str) else b)


def ssh_kexinit(rng, client):
    kex = SSH_KEX + (",ext-info-c,kex-strict-c-v00@openssh.com" if client else ",kex-strict-s-v00@openssh.com")
    hk = SSH_HK_C if client else "rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519"
    lists = [kex, hk, SSH_CIPH, SSH_CIPH, SSH_MACS, SSH_MACS, "none,zlib@openssh.com", "none,zlib@openssh.com", "", ""]
    return ssh_pkt(rng, b"\x14" + rng.randbytes(16) + b"".join(ssh_str(x) for x in lists) + b"\x00" + b"\0\0\0\0")


def ssh_enc(rng, plen):
    """an encrypted packet whose payload is plen bytes: 4-byte length + padded body + 16-byte tag"""
    body = plen + 1 + 4
    body += -body % 8
    return rng.randbytes(4 + body + 16)


class IcmpLimit:
    """Linux per-peer ICMP error limiter: a token bucket (tmo per message, burst of 6)."""

    def __init__(self, tmo):
        self.tmo, self.tok, self.last = tmo, 6 * tmo, None

    def __call__(self, t):
        if self.last is not None:
            self.tok = min(6 * self.tmo, self.tok + t - self.last)
        self.last = t
        if self.tok >= self.tmo:
            self.tok -= self.tmo
            return True
        return False


def icmp6_port_unreach(cap, t, sip, cip, hlim, orig, iface=0, tag=None, fl=0):
    """fl: Linux auto flow label, a hash of the error's own addresses, so the same for every error to this peer"""
    cap.add(t, IPv6(src=sip, dst=cip, hlim=hlim, fl=fl) / ICMPv6DestUnreach(code=4) / Raw(orig[:1232]), False, iface, tag)


# ----------------------------------------------------------------------------
# case 1: fail2ban bans the client in the middle of an SSH session on port 443 (IPv6, SLL v1)
# ----------------------------------------------------------------------------

def ssh_open(ctx, t, sip, rtt, hl, tag):
    """TCP + SSH banners + sntrup761x25519 key exchange + service request; returns (flow, t)."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, rtt, hl, sos="linuxsrv")
    t = fl.handshake(t, tag)
    t = fl.send_c(t + 0.0004, b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5\r\n", tag + "cban")
    ts = t + rtt + rng.uniform(0.002, 0.005)  # sshd forks, then its banner and KEXINIT
    fl.s(ts, "PA", b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", tag=tag + "sban")
    fl.s(ts + 0.0005, "PA", ssh_kexinit(rng, False))
    fl.c_rcv = fl.snxt
    t = fl.send_c(ts + 0.0011, ssh_kexinit(rng, True))
    fl.s(t + rtt + 0.00003, "A")
    t = fl.send_c(t + 0.0008, ssh_pkt(rng, b"\x1e" + ssh_str(rng.randbytes(1190))))
    hostkey = ssh_str("ssh-ed25519") + ssh_str(rng.randbytes(32))
    sig = ssh_str("ssh-ed25519") + ssh_str(rng.randbytes(64))
    ts = t + rtt + rng.uniform(0.003, 0.005)
    fl.s(ts, "PA", ssh_pkt(rng, b"\x1f" + ssh_str(hostkey) + ssh_str(rng.randbytes(1071)) + ssh_str(sig)) + ssh_pkt(rng, b"\x15"))
    fl.c_rcv = fl.snxt
    t = fl.send_c(ts + 0.0009, ssh_pkt(rng, b"\x15"))  # NEWKEYS
    t = fl.send_c(t + 0.00006, ssh_enc(rng, 17))  # SERVICE_REQUEST ssh-userauth
    ts = t + rtt + 0.0007
    fl.s(ts, "PA", ssh_enc(rng, 262) + ssh_enc(rng, 17))  # EXT_INFO + SERVICE_ACCEPT
    fl.c_rcv = fl.snxt
    t = fl.send_c(ts + 0.0004, ssh_enc(rng, 37))  # USERAUTH_REQUEST none
    ts = t + rtt + 0.0006
    fl.s(ts, "PA", ssh_enc(rng, 24))  # USERAUTH_FAILURE publickey,password
    fl.c_rcv = fl.snxt
    t = fl.send_c(ts + 0.0005, ssh_enc(rng, 114))  # publickey query for ~/.ssh/id_ed25519
    ts = t + rtt + 0.0009
    return fl, ts


def ssh_password(fl, t, tag):
    """client sends a password; sshd acks (delayed), PAM waits ~2 s, then USERAUTH_FAILURE.
    Returns (time the failure arrives, its seq, its bytes)."""
    rng, rtt = fl.ctx.rng, fl.rtt
    t = fl.send_c(t, ssh_enc(rng, 62 + rng.randrange(0, 9)), tag and tag + "pw")
    fl.s(t + rtt + 0.04, "A")
    ta = t + rtt + rng.uniform(2.05, 2.4)
    msg = ssh_enc(rng, 24)
    seq = fl.snxt
    fl.s(ta, "PA", msg, tag=tag and tag + "fail")
    fl.c_rcv = fl.snxt
    return ta, seq, msg


def case1(out):
    name = "c1_fail2ban_ssh443_midsession_ban.pcap"
    cap = Cap(name, epoch(2025, 3, 14, 19, 42, 7), [dict(link="sll", cmac=mac("3c:58:c2:1d:7e:90"), gmac=mac("2c:91:ab:4e:02:17"))])
    ctx = Ctx(cap, 1201, cip="192.168.178.34", cip6="2a02:8109:b6c0:1e00:5d3a:91f2:7c4e:a012", cos="linux", cttl=64,
              resolver="192.168.178.1", rttl=64, dns_rtt=0.0009, edns=1232)
    rng = ctx.rng
    SV6, SV4, VPS = "2604:a880:400:d1::8f3:6001", "159.203.86.144", "vps.kestrel-labs.net"
    RTT, HL = 0.092, 50
    owd = RTT / 2
    WK6 = "2a02:ec80:300:ed1a::1"
    wk_a = chain("en.wikipedia.org", ["dyna.wikimedia.org"], ["185.15.59.224"], 84113, 412)
    wk_6 = chain("en.wikipedia.org", ["dyna.wikimedia.org"], [WK6], 84113, 412, "AAAA")
    t = ctx.lookup(0.35, "en.wikipedia.org", wk_a, wk_6, rtt=0.0141, redns=1232)
    _, t = ctx.https(t + 0.0004, WK6, "en.wikipedia.org", 0.0238, 55, resp=61000, rate=80e6)
    # ssh to the VPS, which also listens on 443 to get through hotel/office firewalls
    t = ctx.lookup(t + 3.2, VPS, [(VPS, "A", 600, SV4)], [(VPS, "AAAA", 600, SV6)], rtt=0.0312, redns=1232, tag="dns1")
    fl, ts = ssh_open(ctx, t + 0.0003, SV6, RTT, HL, "s1")
    fl.s(ts, "PA", ssh_enc(rng, 24)); fl.c_rcv = fl.snxt  # key not accepted
    fl.c(ts + 0.04, "A")
    t = ts
    for k in range(3):  # three wrong passwords (fail2ban count 1..3); ssh gives up, both sides close
        t, _, _ = ssh_password(fl, t + rng.uniform(4.0, 7.0), "s1%d" % k)
        if k < 2:
            fl.c(t + 0.04, "A")
    fl.c(t + 0.0021, "FA", tag="s1fin"); fl.s_rcv = fl.cnxt
    fl.s(t + 0.0021 + RTT + 0.0012, "FA"); fl.c_rcv = fl.snxt
    fl.c(t + 0.0021 + RTT + 0.00125, "A")
    # second try: failure 4 and 5; fail2ban (maxretry 5) bans 50 ms after the 5th "Failed password"
    fl, ts = ssh_open(ctx, t + 11.4, SV6, RTT, HL, "s2")
    fl.s(ts, "PA", ssh_enc(rng, 24)); fl.c_rcv = fl.snxt
    fl.c(ts + 0.04, "A")
    t, _, _ = ssh_password(fl, ts + 5.3, "s20")
    fl.c(t + 0.04, "A")
    ta, fseq, fmsg = ssh_password(fl, t + 6.2, "s21")
    srv_rcv, srv_ecr, srv_win = fl.s_rcv, fl.last_cts, fl.swin()  # what sshd's socket last accepted
    ban = ta - owd + 0.05
    lim = IcmpLimit(0.0625)  # icmpv6 ratelimit 1000 ms >> 4 for a route to ::/0
    n_icmp = [0]

    def rejected(tc):  # the client packet just added reaches the server's ip6tables REJECT rule
        orig = cap.recs[-1][5]
        if lim(tc + owd):
            n_icmp[0] += 1
            icmp6_port_unreach(cap, tc + RTT + 0.00004, SV6, ctx.cip6, HL, orig, tag="icmp%d" % n_icmp[0], fl=0x6E2B1)

    ev = [(ta + 0.04, "dack", 0)]
    ev += [(ta - owd + 0.29 * (2 ** k - 1) + owd, "srtx", k) for k in range(1, 9)]  # sshd's socket retransmits
    tc = ta + 4.71  # the user types password 6; it never gets through
    ev += [(tc, "pw", 0)] + [(tc + 0.3 * (2 ** k - 1), "crtx", k) for k in range(1, 9)]
    # Ctrl-C at about ta+27: the FIN waits behind unacked data; the orphan dies after 8 retries.
    # New attempts during the ban: each SYN draws an ICMPv6 port unreachable -> "Connection refused"
    ev += [(ta + dt, "syn", i) for i, dt in enumerate((33.2, 47.9, 191.6))]
    pw = ssh_enc(rng, 66)
    for te, kind, k in sorted(ev):
        if kind == "dack":
            fl.c(te, "A", tag="dack"); rejected(te)
        elif kind == "srtx":
            keep = fl.last_cts
            fl.last_cts = srv_ecr
            fl.s(te, "PA", fmsg, seq=fseq, ack=srv_rcv, win=srv_win, tag="srtx%d" % k)
            fl.last_cts = keep
            fl.c(te + 0.00005, "A", sack=[(fseq, fseq + len(fmsg))], tag="dup%d" % k); rejected(te + 0.00005)
        elif kind == "syn":
            f2 = Flow(ctx, SV6, 443, RTT, HL)
            f2.c(te, "S", tag="rsyn%d" % k); rejected(te)
        elif kind == "pw":
            pseq = fl.cnxt
            fl.c(te, "PA", pw, tag="pw6"); rejected(te)
        else:
            fl.c(te, "PA", pw, seq=pseq, tag="crtx%d" % k); rejected(te)
    # other sites work meanwhile
    gh = "140.82.121.4"
    t = ctx.lookup(ta + 61.0, "github.com", [("github.com", "A", 60, gh)], [], rtt=0.0187, redns=1232)
    _, t = ctx.https(t + 0.0003, gh, "github.com", 0.0219, 52, resp=142000, rate=90e6, profile="chrome")
    _, t = ctx.https(ta + 104.5, WK6, "en.wikipedia.org", 0.0241, 55, resp=38000, rate=80e6)
    # ban time 600 s over: same name, same address, the key now works
    t = ctx.lookup(ta + 648.3, VPS, [(VPS, "A", 600, SV4)], [(VPS, "AAAA", 600, SV6)], rtt=0.0298, redns=1232, tag="dns2")
    fl, ts = ssh_open(ctx, t + 0.0003, SV6, RTT, HL, "s3")
    fl.s(ts, "PA", ssh_enc(rng, 71), tag="s3pkok"); fl.c_rcv = fl.snxt  # PK_OK
    t = fl.send_c(ts + 0.0061, ssh_enc(rng, 201))  # signed publickey request
    ts = t + RTT + 0.0011
    fl.s(ts, "PA", ssh_enc(rng, 1), tag="s3ok"); fl.c_rcv = fl.snxt  # USERAUTH_SUCCESS
    t = fl.send_c(ts + 0.0004, ssh_enc(rng, 30) + ssh_enc(rng, 24))  # no-more-sessions + CHANNEL_OPEN session
    for req, resp in ((52, 16), (120, 1), (640, 0)):  # confirm; pty-req/env/shell; motd and prompt
        ts = t + RTT + 0.0008
        fl.s(ts, "PA", ssh_enc(rng, resp) + (ssh_enc(rng, 1480) if req == 640 else b"")); fl.c_rcv = fl.snxt
        t = fl.send_c(ts + 0.0005, ssh_enc(rng, req))
    for k in range(14):  # interactive typing: keystrokes and echoes
        ts = t + RTT + 0.0004
        fl.s(ts, "PA", ssh_enc(rng, 40 if k % 5 else 330)); fl.c_rcv = fl.snxt
        t = fl.send_c(ts + rng.uniform(0.12, 1.9), ssh_enc(rng, 36))
    ts = t + RTT + 0.0006  # "exit": exit-status, EOF, CLOSE, then sshd closes the socket
    fl.s(ts, "PA", ssh_enc(rng, 25) + ssh_enc(rng, 5) + ssh_enc(rng, 5)); fl.c_rcv = fl.snxt
    t = fl.send_c(ts + 0.0007, ssh_enc(rng, 5))
    fl.s(t + RTT + 0.0004, "FA", tag="s3sfin"); fl.c_rcv = fl.snxt
    fl.c(t + RTT + 0.0011, "FA"); fl.s_rcv = fl.cnxt
    fl.s(t + 2 * RTT + 0.0011, "A")
    cap.write(os.path.join(out, name))
    F = cap.frame
    about = (f"Linux laptop (SLL v1, IPv6) uses ssh to its VPS {VPS} [{SV6}] on tcp/443. Session 1 (SYN {F('s1syn')}): "
             f"three wrong passwords (USERAUTH_FAILURE frames {F('s10fail')}, {F('s11fail')}, {F('s12fail')}), ssh closes with FIN {F('s1fin')}. "
             f"Session 2 (SYN {F('s2syn')}): failures 4 and 5 (frames {F('s20fail')}, {F('s21fail')}); fail2ban (maxretry 5) adds an ip6tables "
             f"REJECT for the client 50 ms after the 5th. From frame {F('dack')} on every client packet draws an ICMPv6 port unreachable "
             f"from the VPS itself (hop limit {HL} like all its packets, frames {F('icmp1')}..), while sshd's socket keeps retransmitting the "
             f"same unacknowledged USERAUTH_FAILURE (frames {F('srtx1')}..{F('srtx8')}, RTO doubling from 0.29 s) and the client's 6th "
             f"password is retransmitted (frames {F('pw6')}, {F('crtx1')}..{F('crtx8')}). New SYNs during the ban (frames {F('rsyn0')}, "
             f"{F('rsyn1')}, {F('rsyn2')}) are refused at once by ICMPv6 from the server. github.com and en.wikipedia.org work meanwhile. "
             f"After the 600 s bantime, same DNS answer (frame {F('dns2rAAAA')}) and the key login succeeds (SYN {F('s3syn')}, "
             f"USERAUTH_SUCCESS {F('s3ok')}). No TLS, no trigger name: a host firewall answering for itself, not a censor.")
    return name, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 2: mobile operator's TCP proxy (PEP) acks early, loses the flow after a handover; the app reconnects
# ----------------------------------------------------------------------------

PEP_RR, PEP_RU, PEP_TTL = 0.036, 0.112, 61  # radio RTT to the proxy, proxy<->origin RTT, proxy's TTL as seen


def pep_flow(ctx, t, sip, sni, tag, cert=2900, rate=42e6):
    """HTTPS through a split-TCP proxy: SYN/ACK and ACKs come from the proxy after one radio RTT,
    the origin's bytes one proxy<->origin RTT later.  Returns (flow, t)."""
    rng = ctx.rng
    fl = Flow(ctx, sip, 443, PEP_RR, PEP_TTL, sos="pep", s_ipid="linux")
    fl.rate = rate
    t = fl.handshake(t, tag)
    ch, sid = client_hello(rng, sni, ("h2", "http/1.1"), "chrome")
    t = fl.send_c(t + rng.uniform(0.0004, 0.0011), ch, tag + "ch")
    fl.s(t + PEP_RR + 0.0002, "A", tag=tag + "pepack")  # the proxy acknowledges the ClientHello itself
    t = fl.bulk(t + PEP_RR / 2 + PEP_RU + rng.uniform(0.002, 0.005), server_flight(rng, sid, cert), rate, None, 1e9, tag + "sh", final_ack=False)
    t = fl.send_c(max(t, fl.last_arr + 0.0021), b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 120))  # Finished + h2 preface/SETTINGS
    return fl, t


def pep_get(fl, t, req, resp, tag=None, think=0.02):
    rng = fl.ctx.rng
    t = fl.send_c(t, app_rec(rng, req), tag and tag + "req")
    fl.s(t + PEP_RR + 0.0002, "A", tag=tag and tag + "pepack")  # acked by the proxy, not yet by the origin
    data = app_rec(rng, 9) + app_rec(rng, rng.randrange(180, 260)) + app_stream(rng, resp)
    return fl.bulk(t + PEP_RR / 2 + PEP_RU + think, data, fl.rate, None, 1e9, tag and tag + "resp")


def case2(out):
    name = "c2_mobile_pep_handover_reconnect.pcap"
    cap = Cap(name, epoch(2025, 5, 2, 7, 18, 44), [dict(link="raw")])
    ctx = Ctx(cap, 2202, cip="100.78.141.9", cos="linux", cttl=64, mss4=1400, resolver="193.189.244.225", rttl=59, dns_rtt=0.041)
    ctx.prof = "android"  # Linux stack, Android SYN options (wscale 9)
    rng = ctx.rng
    MEDIA, MIP = "media-edge3.tunecast.net", "146.75.118.23"
    # background: news app
    t = ctx.lookup(0.2, "api.newsbreeze.app", chain("api.newsbreeze.app", [], ["34.117.59.81"], 0, 300), [], aaaa=False)
    fl, t = pep_flow(ctx, t + 0.0003, "34.117.59.81", "api.newsbreeze.app", "nb")
    t = pep_get(fl, t + 0.0002, 180, 38000, "nb")
    # streaming app: one HTTP/2 connection, audio chunks every ~9 s
    t = ctx.lookup(t + 1.7, MEDIA, chain(MEDIA, ["tunecast.map.fastly.net"], [MIP], 1800, 30), [], aaaa=False, tag="dns1")
    fl, t = pep_flow(ctx, t + 0.0003, MIP, MEDIA, "m1")
    for k in range(3):
        t = pep_get(fl, t + (0.0002 if k == 0 else rng.uniform(8.5, 9.5)), 95, 260000 + rng.randrange(0, 30000), "m1g%d" % k)
    # chunk 4: the proxy acks the request, then the device is handed over to a cell served by another
    # proxy instance that has no state for this flow: nothing more arrives on it, and nothing is acked
    tr = t + 9.02
    fl.send_c(tr, app_rec(rng, 95), "m1r3req")
    fl.s(tr + PEP_RR + 0.0002, "A", tag="m1r3pepack")
    # 8 s read timeout: the app cancels the stream (RST_STREAM) on the stale connection, which the kernel
    # keeps retransmitting, and reconnects
    tc = tr + 8.0
    rst_stream = app_rec(rng, 13)
    cseq = fl.cnxt
    fl.c(tc, "PA", rst_stream, tag="m1cancel")
    rtx = [tc + 0.24 * (2 ** k - 1) for k in range(1, 9)]
    t = ctx.lookup(tc + 0.0016, MEDIA, chain(MEDIA, ["tunecast.map.fastly.net"], [MIP], 1790, 30), [], aaaa=False, tag="dns2")
    f2, t = pep_flow(ctx, t + 0.0003, MIP, MEDIA, "m2")
    t = pep_get(f2, t + 0.0002, 95, 271000, "m2g0")
    for k in range(5):
        t = pep_get(f2, t + rng.uniform(8.5, 9.5), 95, 250000 + rng.randrange(0, 30000), "m2g%d" % (k + 1))
    for k, tx in enumerate(rtx):  # the orphaned socket retransmits 8 times, then dies silently
        keep = fl.last_sts
        fl.c(tx, "PA", rst_stream, seq=cseq, tag="m1rtx%d" % (k + 1))
        fl.last_sts = keep
    t = ctx.lookup(t + 3.3, "api.newsbreeze.app", chain("api.newsbreeze.app", [], ["34.117.59.81"], 0, 300), [], aaaa=False)
    fl, t = pep_flow(ctx, t + 0.0003, "34.117.59.81", "api.newsbreeze.app", "nb2")
    t = pep_get(fl, t + 0.0002, 170, 21000, "nb2")
    cap.write(os.path.join(out, name))
    F = cap.frame
    about = (f"Android phone on LTE (raw-IP capture of rmnet, CGNAT address). The operator runs a transparent split-TCP proxy: "
             f"every TCP peer answers with TTL {PEP_TTL}, SYN/ACK after {PEP_RR * 1000:.0f} ms (radio RTT), and client data is acked "
             f"by the proxy at once (e.g. ClientHello {F('m1ch')} acked by pure ACK {F('m1pepack')}) while the origin's bytes come "
             f"{PEP_RU * 1000:.0f} ms later (ServerHello {F('m1shdata')}); DNS (UDP, not proxied) takes ~41 ms. "
             f"HTTP/2 audio stream to {MEDIA} [{MIP}] (SYN {F('m1syn')}) fetches chunks fine; request {F('m1r3req')} is acked by the "
             f"proxy ({F('m1r3pepack')}), then a handover moves the phone to a proxy instance without state for that flow: no response "
             f"ever comes. After the app's 8 s read timeout it cancels the stream ({F('m1cancel')}, retransmitted {F('m1rtx1')}..{F('m1rtx8')} "
             f"with RTO doubling from 0.24 s, silently dropped), looks the name up again (same answer, {F('dns2rA')}) and reconnects "
             f"to the same address (SYN {F('m2syn')}), which works at full speed for the following chunks. No RST, no forged packet, "
             f"no name-dependent failure: state loss in the operator's proxy.")
    return name, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 3: a CDN edge serves one name over HTTP/2 and refuses a de-provisioned one with a TLS alert + FIN
# ----------------------------------------------------------------------------

def more_get(fl, t, req, resp, think=0.01, rate=60e6, tag=None):
    """another request on an open TLS connection (HTTP/2 stream or keep-alive)"""
    rng = fl.ctx.rng
    t = fl.send_c(t, app_rec(rng, req), tag and tag + "req")
    data = app_rec(rng, rng.randrange(60, 240)) + app_stream(rng, resp)
    return fl.bulk(t + fl.owd + think, data, rate, None, 1e9, tag and tag + "resp")


def case3(out):
    name = "c3_cdn_unrecognized_name_alert.pcap"
    cap = Cap(name, epoch(2025, 2, 19, 13, 6, 51), [dict(link="qinq", svlan=1100, vlan=214, pcp=0, tap=True,
                                                          cmac=mac("f4:d4:88:6a:31:c5"), gmac=mac("00:1c:73:2e:9a:01"))])
    ctx = Ctx(cap, 3303, cip="10.214.37.112", cos="mac", cttl=64, resolver="10.20.0.53", rttl=63, dns_rtt=0.0042)
    rng = ctx.rng
    EDGE, ETTL, ERTT = "185.111.236.40", 52, 0.0137
    GOOD, BAD = "www.larkspur-outfitters.com", "shop.birchwood-ceramics.com"

    def dns(t, qn, alias, tag=None):
        return ctx.lookup(t, qn, chain(qn, [alias], [EDGE], 300, 60), chain(qn, [alias], ["2a0b:4d07:2::40"], 300, 60, "AAAA"), tag=tag)

    t = ctx.lookup(0.5, "www.wikipedia.org", chain("www.wikipedia.org", ["dyna.wikimedia.org"], ["185.15.59.224"], 3600, 600), [], tag=None)
    _, t = ctx.https(t + 0.0003, "185.15.59.224", "www.wikipedia.org", 0.0191, 55, resp=46000, profile="chrome")
    # the working customer of the edge: one HTTP/2 connection, page + assets
    t = dns(t + 2.1, GOOD, "larkspur.edge.cdnhub.net", "dg")
    fl, t = ctx.https(t + 0.0003, EDGE, GOOD, ERTT, ETTL, resp=52000, rate=95e6, profile="chrome", sos="cdn", s_ipid="linux", close=None, tag="g1")
    for k in range(4):
        t = more_get(fl, t + rng.uniform(0.002, 0.03), rng.randrange(60, 130), rng.randrange(9000, 160000), tag="g1a%d" % k)
    # a link to a shop whose CNAME still points at the CDN, but whose hostname was removed from the
    # CDN account: the edge's TLS terminator finds no certificate for the SNI and answers with a fatal
    # unrecognized_name alert, then closes (same TTL, IP ID counter and window as its other packets)
    for k, dt in enumerate((4.7, 5.2)):
        if k == 0:
            t = dns(t + dt, BAD, "birchwood.edge.cdnhub.net", "db")
        else:
            t += dt  # reload; the name is cached
        fb = Flow(ctx, EDGE, 443, ERTT, ETTL, sos="cdn", s_ipid="linux")
        t = fb.handshake(t + 0.0003, "b%d" % k)
        ch, _ = client_hello(rng, BAD, ("h2", "http/1.1"), "chrome")
        t = fb.send_c(t + 0.0005, ch, "b%dch" % k)
        ta = t + ERTT + 0.00041
        fb.s(ta, "PA", b"\x15\x03\x03\x00\x02\x02\x70", tag="b%dalert" % k)
        fb.s(ta + 0.000028, "FA", tag="b%dfin" % k)
        fb.c_rcv = fb.snxt
        fb.c(ta + 0.00011, "A")
        fb.c(ta + 0.00093, "FA", tag="b%dcfin" % k)
        fb.s_rcv = fb.cnxt
        fb.s(ta + 0.00093 + ERTT, "A", tag="b%dlast" % k, ip_id=0)  # answered by the TIME_WAIT socket: IP ID 0
        t = ta + 0.00093 + ERTT
    # the same edge keeps serving the other name on a fresh connection
    t += 7.9
    f3, t = ctx.https(t, EDGE, GOOD, ERTT, ETTL, resp=31000, rate=95e6, profile="chrome", sos="cdn", s_ipid="linux", close=None, tag="g2")
    t = more_get(f3, t + 0.004, 90, 74000, tag="g2a")
    t = fl.close_client(t + 1.2)
    t = f3.close_client(t + 0.3)
    cap.write(os.path.join(out, name))
    F = cap.frame
    about = (f"macOS laptop on a campus network, captured on a provider mirror port (802.1ad QinQ, S-VLAN 1100 / C-VLAN 214). "
             f"{GOOD} and {BAD} both CNAME to the same CDN edge {EDGE} (DNS frames {F('dgrA')}, {F('dbrA')}). {GOOD} is served over "
             f"HTTP/2 on one connection (SYN {F('g1syn')}, ServerHello {F('g1shdata')}, five responses). For {BAD} the edge answers the "
             f"ClientHello ({F('b0ch')}) with a plaintext fatal TLS alert unrecognized_name ({F('b0alert')}) and its own FIN "
             f"({F('b0fin')}); the reload gives the same ({F('b1ch')} -> {F('b1alert')}, {F('b1fin')}). Alert and FIN carry the "
             f"edge's TTL {ETTL}, continue the per-connection IP ID counter that follows the SYN/ACK's ID 0 (as on every edge "
             f"connection; the TIME_WAIT ACK {F('b0last')} has ID 0 as Linux sends it) and the same window; they arrive one RTT ({ERTT * 1000:.1f} ms) after the ClientHello, never early. "
             f"A new connection for {GOOD} right after works (SYN {F('g2syn')}). The shop's hostname was removed from the CDN while its "
             f"CNAME still points there: a server-side refusal, not SNI filtering.")
    return name, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 4: Windows asks the ISP resolver (Ethernet) and 1.1.1.1 (Wi-Fi) in parallel; genuine CDN answers differ
# ----------------------------------------------------------------------------

def win_query(ctx, t, iface, src, dst, qname, qtype, answers, rtt, rttl, tag=None):
    """Windows DNS client: one socket per query, no EDNS; the answer arrives rtt later."""
    rng = ctx.rng
    txid, sport = rng.randrange(65536), ctx.port()
    v4 = ":" not in src
    ipid = ctx.gid if v4 else 0
    if v4:
        ctx.gid = (ctx.gid + 1) & 0xFFFF
    ip = mk_ip(src, dst, ctx.cttl, ipid, False, rng.getrandbits(20))
    ctx.cap.add(t, ip / UDP(sport=sport, dport=53) / Raw(dns_msg(txid, 0x0100, qname, qtype)), True, iface, tag and tag + "q")
    rip = mk_ip(dst, src, rttl, ctx.resp_ipid(), not v4 or dst == "1.1.1.1", 0)
    ctx.cap.add(t + rtt, rip / UDP(sport=53, dport=sport) / Raw(dns_msg(txid, 0x8180, qname, qtype, answers)), False, iface, tag and tag + "r")
    return t + rtt


def case4(out):
    name = "c4_parallel_resolvers_different_cdn_answers.pcapng"
    eth = dict(link="eth", name="\\Device\\NPF_{4B1E7D1A-0C3F-4E55-9D2B-7A61C0E5F3A8}", descr="Ethernet", os="",
               cmac=mac("a4:bb:6d:52:90:1e"), gmac=mac("38:10:d5:7c:44:e2"))
    wifi = dict(link="eth", name="\\Device\\NPF_{C2A9F0B4-61D7-4E0A-8B3C-55D1E9A7024F}", descr="Wi-Fi",
                cmac=mac("70:cd:0d:a3:5f:19"), gmac=mac("f2:72:8c:1b:d0:64"))
    cap = Cap(name, epoch(2025, 4, 8, 17, 55, 12), [eth, wifi], fmt="pcapng",
              shb=dict(hw="Intel(R) Core(TM) i7-1265U", os="64-bit Windows 11 (23H2), build 22631", app="Dumpcap (Wireshark) 4.2.5 (v4.2.5-0-g4aa814ac25a1)"))
    E4, E6, W4 = "192.168.0.23", "2a02:908:1a4:7e60:9c41:d2e7:35b0:6a1f", "172.20.10.4"
    ISP6, CF = "2a02:908:2:a::1", "1.1.1.1"
    ctx = Ctx(cap, 4404, cip=E4, cip6=E6, cos="win", cttl=128, mss4=1460, mss6=1440, iface=0)
    rng = ctx.rng
    SHOP = "www.nordlicht-moebel.de"
    EK, AK = "www.nordlicht-moebel.de.edgekey.net", "e28417.a.akamaiedge.net"

    def both(t, qn, isp, cf, tag):
        """the same two questions leave through both adapters within a millisecond; returns the first answer time"""
        ts = []
        for k, qt in enumerate(("AAAA", "A")):
            ts.append(win_query(ctx, t + 0.00021 * k, 0, E6, ISP6, qn, qt, isp[qt], rng.uniform(0.0085, 0.011), 60, tag and "%si%s" % (tag, qt)))
            win_query(ctx, t + 0.00009 + 0.00021 * k, 1, W4, CF, qn, qt, cf[qt], rng.uniform(0.036, 0.044), 56, tag and "%sc%s" % (tag, qt))
        return max(ts)  # getaddrinfo returns once both answers of the first responding server are in

    # a name that is not on a CDN: both resolvers agree (only TTLs differ)
    sw = "85.13.150.88"
    t = both(0.4, "www.stadtwerke-lindau.de", {"A": [("www.stadtwerke-lindau.de", "A", 3147, sw)], "AAAA": []},
             {"A": [("www.stadtwerke-lindau.de", "A", 86400, sw)], "AAAA": []}, "sw")
    _, t = ctx.https(t + 0.0004, sw, "www.stadtwerke-lindau.de", 0.0162, 55, resp=44000, profile="chrome", close=None)
    # the Akamai-hosted shop: ISP resolver -> in-ISP edge; 1.1.1.1 -> an edge near Cloudflare's PoP
    isp = {"AAAA": chain(SHOP, [EK, AK], ["2a02:26f0:1180:5b8::6ec1", "2a02:26f0:1180:5a3::6ec1"], 3412, 20, "AAAA"),
           "A": chain(SHOP, [EK, AK], ["2.16.186.93", "2.16.186.72"], 3412, 20)}
    isp["AAAA"][1] = (EK, "CNAME", 16, AK)
    isp["A"][1] = (EK, "CNAME", 16, AK)
    cf = {"AAAA": chain(SHOP, [EK, AK], ["2a02:26f0:d8:399::6ec1", "2a02:26f0:d8:38e::6ec1"], 21600, 20, "AAAA"),
          "A": chain(SHOP, [EK, AK], ["23.45.201.77", "23.45.201.64"], 21600, 20)}
    cf["AAAA"][1] = (EK, "CNAME", 300, AK)
    cf["A"][1] = (EK, "CNAME", 300, AK)
    t = both(t + 3.6, SHOP, isp, cf, "sh")
    fl, t = ctx.https(t + 0.0006, "2a02:26f0:1180:5b8::6ec1", SHOP, 0.0061, 58, resp=88000, rate=200e6, profile="chrome", close=None, tag="ak1")
    for k in range(3):
        t = more_get(fl, t + rng.uniform(0.003, 0.02), rng.randrange(70, 140), rng.randrange(20000, 140000), rate=200e6)
    # 45 s later (TTL 20 expired): asked again, the ISP's edge rotated to other addresses, 1.1.1.1 still differs
    isp2 = {"AAAA": chain(SHOP, [EK, AK], ["2a02:26f0:1180:59c::6ec1", "2a02:26f0:1180:5b8::6ec1"], 3366, 20, "AAAA"),
            "A": chain(SHOP, [EK, AK], ["2.16.186.51", "2.16.186.93"], 3366, 20)}
    cf2 = {"AAAA": chain(SHOP, [EK, AK], ["2a02:26f0:d8:38e::6ec1", "2a02:26f0:d8:3a1::6ec1"], 21555, 20, "AAAA"),
           "A": chain(SHOP, [EK, AK], ["23.45.201.64", "23.45.201.81"], 21555, 20)}
    t = both(t + 45.2, SHOP, isp2, cf2, "sx")
    f2, t = ctx.https(t + 0.0005, "2a02:26f0:1180:59c::6ec1", SHOP, 0.0058, 58, resp=36000, rate=200e6, profile="chrome", close=None, tag="ak2")
    t = fl.close_client(t + 0.9)
    cap.write(os.path.join(out, name))
    F = cap.frame
    about = (f"Windows 11 laptop with two adapters (pcapng interface 0 'Ethernet', IPv6 to the ISP resolver {ISP6}; interface 1 "
             f"'Wi-Fi' on a phone hotspot with DNS set to {CF}). Windows' multi-homed name resolution sends every question on both "
             f"adapters at once, each from its own socket and transaction ID. For www.stadtwerke-lindau.de both agree (frames "
             f"{F('swiAr')} and {F('swcAr')}, only the TTL differs). For {SHOP} (Akamai) the ISP resolver answers first with the in-ISP "
             f"edge (AAAA {F('shiAAAAr')}, A {F('shiAr')}: 2a02:26f0:1180:5b8::6ec1, 2.16.186.93/.72, CNAME TTL 16) and 1.1.1.1 about "
             f"30 ms later on the other interface with another edge (AAAA {F('shcAAAAr')}, A {F('shcAr')}: 2a02:26f0:d8:399::6ec1, "
             f"23.45.201.77/.64, CNAME TTL 300). Same CNAME chain, all addresses Akamai, both are genuine geo-DNS answers to two "
             f"different queries; HTTPS to the first one works (SYN {F('ak1syn')}). 45 s later the answers rotate again (frames "
             f"{F('sxiAAAAr')}, {F('sxcAAAAr')}) and the next connection works as well (SYN {F('ak2syn')}).")
    return name, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 5: the same server paces a free-tier range download (nginx limit_rate) and serves cached assets fast
# ----------------------------------------------------------------------------

def paced_response(fl, t0, chunks, interval, line, tag):
    """Server writes chunks[k] at t0 + k*interval (application timer), each as fast as the link and
    the congestion window allow; no loss.  The client acks every 2nd segment, delayed (40 ms) otherwise.
    t0 is the server's departure time on the client clock.  Returns the time of the last packet."""
    owd, mss = fl.owd, fl.seg
    base = fl.snxt
    segs, off = [], 0
    for k, ch in enumerate(chunks):
        for j in range(0, len(ch), mss):
            part = ch[j:j + mss]
            segs.append((off, part, t0 + k * interval, j + mss >= len(ch)))
            off += len(part)
    acks = []  # (time the ack reaches the server, segments acked)
    ev, prev, pend, nseg = [], -1.0, 0, 0
    for i, (o, part, avail, last) in enumerate(segs):
        d = max(avail, prev + (len(part) + 78) * 8 / line)
        while True:
            acked = max([n for ta, n in acks if ta <= d], default=0)
            if i - acked < min(10 + acked, 2000):
                break
            d = min(ta for ta, n in acks if ta > d)
        prev = d
        arr = d + owd
        ev.append((arr, 0, i))
        pend += 1
        if pend == 2 or (last and i == len(segs) - 1):
            ta = arr + fl.ctx.rng.uniform(0.00002, 0.00006)
        elif last:
            ta = arr + 0.04
        else:
            continue
        pend = 0
        ev.append((ta, 1, o + len(part)))
        acks.append((ta + owd, i + 1))
    tl = t0
    for te, kind, x in sorted(ev):
        if kind == 0:
            o, part, _, last = segs[x]
            fl.s(te, "PA" if last else "A", part, seq=base + o, tag=tag + "data" if x == 0 else (tag + "last" if x == len(segs) - 1 else None))
        else:
            fl.c_rcv = base + x
            fl.c(te, "A")
        tl = te
    fl.snxt = base + off
    fl.c_rcv = fl.snxt
    return tl


def case5(out):
    name = "c5_app_paced_range_download_vs_cached_asset.pcap"
    cap = Cap(name, epoch(2025, 6, 23, 9, 14, 2), [dict(link="eth", cmac=mac("d8:5e:d3:07:a4:6b"), gmac=mac("e0:28:6d:11:5c:f0"))], nsec=True)
    ctx = Ctx(cap, 5505, cip="192.168.1.57", cos="linux", cttl=64, resolver="192.168.1.1", rttl=64, dns_rtt=0.0011, edns=1232)
    rng = ctx.rng
    SIP, STTL, SRTT = "94.130.66.12", 55, 0.0142
    DL, ST, EDGE = "dl.quillsoft.io", "static.quillsoft.io", "fra1.edge.quillsoft.io"

    def dns(t, qn, tag=None):
        return ctx.lookup(t, qn, chain(qn, [EDGE], [SIP], 300, 300), chain(qn, [EDGE], ["2a01:4f8:c0c:1f3a::2"], 300, 300, "AAAA"), rtt=0.0123, redns=1232, tag=tag)

    def asset(t, path, ctype, n, tag):
        hdr = [("Server", "nginx"), ("Date", "Mon, 23 Jun 2025 09:14:%02d GMT" % (2 + int(t))), ("Content-Type", ctype), ("Content-Length", str(n)),
               ("Connection", "keep-alive"), ("Cache-Control", "public, max-age=31536000, immutable"), ("X-Cache", "HIT"), ("Accept-Ranges", "bytes")]
        _, t = ctx.http(t, SIP, ST, SRTT, STTL, path=path, headers=hdr, body=rng.randbytes(n), rate=94e6, tag=tag, close=None, s_ipid="linux")
        return t

    t = dns(0.3, ST, "dst")
    t = asset(t + 0.0002, "/assets/app.9f3c1e.js", "application/javascript", 1412000, "f1")
    # the user resumes a 1.2 GB ISO with a download manager: one 3 MiB range, free tier capped by nginx limit_rate 256k
    t_dl = dns(t + 1.4, DL, "ddl")
    fl = Flow(ctx, SIP, 80, SRTT, STTL, sos="linuxsrv", s_ipid="linux")
    t = fl.handshake(t_dl + 0.0003, "s")
    req = (f"GET /releases/quillsoft-studio-24.3-amd64.iso HTTP/1.1\r\nUser-Agent: aria2/1.37.0\r\nAccept: */*\r\nHost: {DL}\r\n"
           "Pragma: no-cache\r\nCache-Control: no-cache\r\nRange: bytes=1073741824-1076887551\r\n\r\n").encode()
    t = fl.send_c(t + 0.0002, req, "sget")
    n = 3145728
    hdr = ("HTTP/1.1 206 Partial Content\r\nServer: nginx\r\nDate: Mon, 23 Jun 2025 09:14:05 GMT\r\nContent-Type: application/octet-stream\r\n"
           f"Content-Length: {n}\r\nLast-Modified: Tue, 03 Jun 2025 11:52:40 GMT\r\nConnection: keep-alive\r\nETag: \"683ee2d8-4ccccccc\"\r\n"
           "Content-Range: bytes 1073741824-1076887551/1288490188\r\n\r\n").encode()
    body = rng.randbytes(n)
    B = 32768  # 256 KiB/s: one 32 KiB sendfile chunk per 125 ms timer tick
    chunks = [hdr + body[:B]] + [body[k:k + B] for k in range(B, n, B)]
    t_end = paced_response(fl, t + fl.owd + 0.0008, chunks, 0.125, 940e6 / 10, "s")
    # meanwhile the page keeps loading cached assets from the same server, at full speed
    t = asset(t_dl + 2.6, "/img/hero-2400.webp", "image/webp", 2210000, "f2")
    t = asset(t + 4.9, "/fonts/inter-var.woff2", "font/woff2", 318000, "f3")
    t = asset(t + 2.2, "/assets/vendor.51ab07.js", "application/javascript", 1890000, "f4")
    t = fl.close_client(t_end + 0.0008, alert=False)
    t = ctx.lookup(t + 1.1, "api.github.com", [("api.github.com", "A", 60, "140.82.121.6")], [], rtt=0.0161, redns=1232)
    ctx.https(t + 0.0003, "140.82.121.6", "api.github.com", 0.0231, 52, resp=6200, rate=90e6)
    cap.write(os.path.join(out, name))
    F = cap.frame
    dur = t_end - t_dl
    about = (f"Linux desktop, Ethernet, nanosecond pcap. {DL} and {ST} are CNAMEs of the same nginx host {SIP} (DNS {F('ddlrA')}, "
             f"{F('dstrA')}). The download manager asks {DL} for one 3 MiB range of an ISO (GET {F('sget')}, 206 Partial Content "
             f"from {F('sdata')}, last byte {F('slast')}): the free tier is capped by the application (nginx limit_rate 256k), so the "
             f"server writes one 32 KiB chunk every 125 ms; each burst leaves at line rate, the client acks promptly, its window stays "
             f"open, RTT stays {SRTT * 1000:.1f} ms, no loss and no retransmission, ~2 Mbit/s for {dur:.0f} s. During the same minutes "
             f"the same server delivers cached assets for {ST} at 35-73 Mbit/s (GETs {F('f1get')}, {F('f2get')}, {F('f3get')}, "
             f"{F('f4get')}). Application pacing on a plain-HTTP range request, not a throttling middlebox (which would drop or queue).")
    return name, {"expect": [], "allow": [], "about": about}


# ----------------------------------------------------------------------------
# case 6: the web server's own HAProxy rejects one Host with RST+ACK; the other Hosts on it work
# ----------------------------------------------------------------------------

FF_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"


def h1_get(fl, t, host, path, resp, tag, first=False, accept="text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"):
    """HTTP/1.1 request; the server's kernel acks the first request at once (quickack), then the answer.
    resp=None: the proxy rejects the request and aborts the socket (SO_LINGER 0 -> RST+ACK)."""
    rng = fl.ctx.rng
    req = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {FF_WIN}\r\nAccept: {accept}\r\nAccept-Language: de,en-US;q=0.7,en;q=0.3\r\n"
           "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()
    t = fl.send_c(t, req, tag + "get")
    if first:
        fl.s(t + fl.rtt + 0.000021, "A", tag=tag + "ack")
    if resp is None:
        fl.s(t + fl.rtt + rng.uniform(0.00015, 0.00025), "RA", tag=tag + "rst")
        return t + fl.rtt + 0.0003
    return fl.bulk(t + fl.owd + rng.uniform(0.0006, 0.004), resp, 60e6, None, 1e9, tag + "resp")


def http_resp(rng, ctype, body, extra=()):
    hd = [("Server", "nginx"), ("Date", "Thu, 10 Jul 2025 08:31:22 GMT"), ("Content-Type", ctype), ("Content-Length", str(len(body))),
          ("Connection", "keep-alive"), ("Vary", "Accept-Encoding")] + list(extra)
    return ("HTTP/1.1 200 OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hd) + "\r\n").encode() + body


def case6(out):
    name = "c6_server_haproxy_rejects_one_vhost_rst.pcap"
    cap = Cap(name, epoch(2025, 7, 10, 8, 31, 19), [dict(link="eth", cmac=mac("c8:f7:50:3e:11:a4"), gmac=mac("3c:a6:2f:8b:27:5d"))], endian=">")
    ctx = Ctx(cap, 6606, cip="192.168.2.104", cos="win", cttl=128, resolver="192.168.2.1", rttl=64, dns_rtt=0.0013)
    rng = ctx.rng
    SIP, STTL, SRTT = "88.198.47.121", 54, 0.0193
    WWW, SHOP, OLD = "www.baeckerei-sommer.de", "shop.baeckerei-sommer.de", "intranet.baeckerei-sommer.de"

    def dns(t, qn, tag=None):
        return ctx.lookup(t, qn, [(qn, "A", 3600, SIP)], [], rtt=0.0187, tag=tag)

    def conn(t, tag):
        fl = Flow(ctx, SIP, 80, SRTT, STTL, sos="linuxsrv", s_ipid="linux")
        return fl, fl.handshake(t, tag)

    t = dns(0.25, WWW, "dw")
    fl, t = conn(t + 0.0003, "w1")
    t = h1_get(fl, t + 0.0002, WWW, "/", http_resp(rng, "text/html; charset=utf-8", html_body(rng, 38000, "Bäckerei Sommer")), "w1a", first=True)
    t = h1_get(fl, t + 0.004, WWW, "/css/site.css", http_resp(rng, "text/css", rng.randbytes(21000)), "w1b", accept="text/css,*/*;q=0.1")
    t = h1_get(fl, t + 0.002, WWW, "/img/logo.png", http_resp(rng, "image/png", rng.randbytes(14800)), "w1c", accept="image/avif,image/webp,*/*")
    t = dns(t + 4.3, SHOP, "ds")
    f2, t = conn(t + 0.0003, "s1")
    t = h1_get(f2, t + 0.0002, SHOP, "/", http_resp(rng, "text/html; charset=utf-8", html_body(rng, 52000, "Shop")), "s1a", first=True)
    # an old bookmark: HAProxy in front of the vhosts has "http-request reject" for the retired intranet name
    t = dns(t + 6.8, OLD, "do")
    for k, dt in enumerate((0.0003, 3.4)):
        f3, t = conn(t + dt, "o%d" % k)
        t = h1_get(f3, t + 0.0002, OLD, "/", None, "o%d" % k, first=True)
    f4, t = conn(t + 5.1, "w2")
    t = h1_get(f4, t + 0.0002, WWW, "/kontakt", http_resp(rng, "text/html; charset=utf-8", html_body(rng, 17000, "Kontakt")), "w2a", first=True)
    t = f2.close_server(t + 1.3)  # nginx keepalive timeout on the idle shop connection
    cap.write(os.path.join(out, name))
    F = cap.frame
    about = (f"Windows 10 / Firefox, Ethernet, big-endian pcap. Three names resolve to the same host {SIP} (DNS {F('dwrA')}, "
             f"{F('dsrA')}, {F('dorA')}). {WWW} (GETs {F('w1aget')}, {F('w1bget')}, {F('w1cget')}, {F('w2aget')}) and {SHOP} "
             f"({F('s1aget')}) are served normally. For the retired name {OLD} the server's HAProxy has an 'http-request reject' rule: "
             f"the server's kernel acks the GET ({F('o0get')} -> ACK {F('o0ack')}), then the proxy aborts the socket (SO_LINGER 0) and "
             f"the kernel sends RST+ACK ({F('o0rst')}) with seq = its snd_nxt, ack = the end of the request, the normal non-zero window, "
             f"TTL {STTL} and the next IP ID of that connection's counter (after SYN/ACK ID 0), one RTT ({SRTT * 1000:.1f} ms) after "
             f"the request; a single RST, no data, nothing after it. The retry gives the same ({F('o1get')} -> {F('o1rst')}). The next "
             f"connection to {WWW} on the same server works (SYN {F('w2syn')}). Server-side policy for one virtual host, not an "
             f"injected reset.")
    return name, {"expect": [], "allow": [], "about": about}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    expect = {}
    for case in CASES:
        name, e = case(out)
        expect[name] = e
    with open(os.path.join(out, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True)
        fh.write("\n")


CASES = [case1, case2, case3, case4, case5, case6]

if __name__ == "__main__":
    main()
