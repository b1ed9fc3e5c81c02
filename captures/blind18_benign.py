#!/usr/bin/env python3
# ruff: noqa: E501, E741, RUF005, RUF012
"""Blind round 18 (benign): innocent traffic whose timing, delays, RTTs and hop distances
resemble documented censorship signatures.

    python blind18_benign.py OUTDIR

writes six captures and OUTDIR/expect.json.  Deterministic: every random choice comes from
a seeded random.Random, every timestamp from a fixed epoch.  Uses blind_kit.py (next to this
file) unchanged; the variants it needs (variable path delay with D-SACK, QUIC with RFC 9001
Initial protection from generate.py, ICMP errors, a stub that retransmits DNS queries) live here."""
import heapq
import ipaddress
import itertools
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import blind_kit as ck
from blind_kit import (
    Cap,
    Ctx,
    Flow,
    app_rec,
    app_stream,
    chain,
    epoch,
    ext,
    html_body,
    mac,
    mk_ip,
    quic_server_hello,
    u16,
    x25519_pub,
)
from generate import protect, quic_initial_keys
from scapy.all import ICMP, IP, TCP, UDP, Raw, raw

# ----------------------------------------------------------------------------
# TCP: a bulk transfer over a path whose one-way delay can change (stalls, route
# changes), with D-SACK on duplicates (RFC 2883), as Linux receivers send them
# ----------------------------------------------------------------------------


def bulk_var(fl, t0, data, rate=50e6, fwd=None, rev=None, drop=None, t_limit=1e9, tag=None, final_ack=True, rto_min=0.2, frto=True, rev_drop=None, drop_arr=None):
    """Like capkit.bulk, but the forward (server->client) arrival time of a segment that
    leaves the server at `dep` is fwd(dep) (default dep+owd), and an ACK sent by the client
    at t reaches the server at rev(t) (default t+owd).  The path stays FIFO.  A duplicate
    segment is answered with a D-SACK block.  fl.ttl_fn(t) (optional) gives the TTL/hop
    limit of a server segment arriving at t."""
    rng = fl.ctx.rng
    owd, mss = fl.owd, fl.seg
    fwd = fwd or (lambda dep: dep + owd)
    rev = rev or (lambda t: t + owd)
    segs = []
    off = 0
    while off < len(data):
        n = min(mss, len(data) - off)
        segs.append([off, n, "new", 0])
        off += n
    N = len(segs)
    base = fl.snxt
    conn0 = fl.s_tx
    ev, cnt = [], itertools.count()

    def push(t, kind, x):
        heapq.heappush(ev, (t, next(cnt), kind, x))

    st = dict(link=0.0, srv=t0, una=0, nxt=0, inrec=False, recpt=0, rto_gen=0, rto_on=False, backoff=1,
              rcv=0, ooo=[], pend=0, dgen=0, last=t0, recent=None, maxsent=0, srtt=fl.rtt)
    fl.rtx_tags = []

    def rto_val():
        return max(rto_min + st["srtt"], 0.21)

    def pipe():
        return sum(1 for i in range(st["una"], st["nxt"]) if segs[i][2] == "out")

    def arm(now):
        st["rto_gen"] += 1
        st["rto_on"] = True
        push(now + rto_val() * st["backoff"], "rto", st["rto_gen"])

    def send(now):
        rwnd = max(2, (fl.cwin() << fl.cp["ws"]) // mss)
        while pipe() < min(int(fl.cwnd), rwnd):
            lost = [i for i in range(st["una"], st["nxt"]) if segs[i][2] == "lost"]
            if lost:
                i = lost[0]
                segs[i][3] += 1
            elif st["nxt"] < N:
                i = st["nxt"]
                st["nxt"] += 1
            else:
                break
            xmit(now, i)

    def xmit(now, i):
        segs[i][2] = "out"
        dep = max(now, st["srv"])
        st["srv"] = dep + (segs[i][1] + 80) * 8 / 1e9
        size = segs[i][1] + 52
        end = segs[i][0] + segs[i][1]
        st["maxsent"] = max(st["maxsent"], end)
        if not st["rto_on"]:
            arm(now)
        if drop and drop(dep, size, conn0 + end):
            return
        start = max(fwd(dep), st["link"])
        if drop_arr and drop_arr(start + size * 8 / rate):  # lost where it would have arrived
            return
        st["link"] = start + size * 8 / rate
        push(st["link"], "arr", (i, dep, segs[i][3]))

    def client_ack(t, sack=False, dsack=None):
        blocks = []
        if dsack:
            blocks.append((base + dsack[0], base + dsack[1]))
        if sack and st["ooo"]:
            rec = st["recent"]
            order = sorted(st["ooo"], key=lambda b: 0 if rec and b[0] <= rec[0] < b[1] else 1)
            blocks += [(base + b[0], base + b[1]) for b in order[:3 - len(blocks)]]
        fl.c_rcv = base + st["rcv"]
        fl.c(t, "A", seq=fl.cnxt, sack=blocks or None)
        if not (rev_drop and rev_drop(t)):
            push(rev(t), "ackarr", (st["rcv"], [tuple(b) for b in st["ooo"]], t))
        st["pend"] = 0
        st["last"] = t

    send(t0)
    done_t = None
    while ev:
        t, _, kind, x = heapq.heappop(ev)
        if t > t_limit:
            break
        if kind == "arr":
            i, dep, k = x
            l, n = segs[i][0], segs[i][1]
            r = l + n
            last_seg = i == N - 1
            psh = last_seg or (l // 32768 != r // 32768)
            stag = None
            if tag and k == 0 and i == 0:
                stag = tag + "data"
            elif tag and k > 0:
                st["nrtx"] = st.get("nrtx", 0) + 1
                stag = f"{tag}rtx{st['nrtx']}"
                fl.rtx_tags.append(stag)
            ttl = fl.ttl_fn(t) if getattr(fl, "ttl_fn", None) else None
            fl.dep_t = dep
            fl.s(t, "PA" if psh else "A", data[l:r], seq=base + l, tag=stag, ttl=ttl)
            fl.dep_t = None
            st["last"] = st["last_arr"] = t
            ta = t + rng.uniform(0.00002, 0.00009)
            if r <= st["rcv"] or any(b[0] <= l and r <= b[1] for b in st["ooo"]):
                st["ndup"] = st.get("ndup", 0) + 1
                client_ack(ta, True, dsack=(l, r))
            elif l == st["rcv"]:
                had = bool(st["ooo"])
                st["rcv"] = r
                while st["ooo"] and st["ooo"][0][0] <= st["rcv"]:
                    st["rcv"] = max(st["rcv"], st["ooo"].pop(0)[1])
                if st["rcv"] >= len(data):
                    if had or st["pend"] + 1 >= 2:
                        client_ack(ta, had)
                    elif final_ack:
                        client_ack(t + 0.04)
                    done_t = t
                    # duplicates still in flight arrive after the last byte: deliver them too
                    rest = sorted(e for e in ev if e[2] == "arr")
                    for e in rest:
                        j, _dep, _k = e[3]
                        tt = e[0]
                        fl.dep_t = _dep
                        st["nrtx"] = st.get("nrtx", 0) + 1
                        stg = f"{tag}rtx{st['nrtx']}" if tag else None
                        if stg:
                            fl.rtx_tags.append(stg)
                        ttl = fl.ttl_fn(tt) if getattr(fl, "ttl_fn", None) else None
                        fl.s(tt, "PA" if j == N - 1 else "A", data[segs[j][0]:segs[j][0] + segs[j][1]], seq=base + segs[j][0], tag=stg, ttl=ttl)
                        fl.dep_t = None
                        fl.c_rcv = base + st["rcv"]
                        fl.c(tt + rng.uniform(0.00002, 0.00009), "A", seq=fl.cnxt, sack=[(base + segs[j][0], base + segs[j][0] + segs[j][1])])
                        st["last"] = tt
                    break
                if had:
                    client_ack(ta, True)
                else:
                    st["pend"] += 1
                    if st["pend"] >= 2 or (psh and st["pend"] and rng.random() < 0.3):
                        client_ack(ta)
                    else:
                        st["dgen"] += 1
                        push(t + 0.04, "dack", st["dgen"])
            else:
                st["ooo"].append([l, r])
                st["ooo"].sort()
                merged = []
                for b in st["ooo"]:
                    if merged and b[0] <= merged[-1][1]:
                        merged[-1][1] = max(merged[-1][1], b[1])
                    else:
                        merged.append(list(b))
                st["ooo"] = merged
                st["recent"] = (l, r)
                client_ack(ta, True)
        elif kind == "dack":
            if x == st["dgen"] and st["pend"]:
                client_ack(t)
        elif kind == "ackarr":
            cum, blocks, _sent = x
            old_una = st["una"]
            for i in range(st["una"], st["nxt"]):
                if segs[i][0] + segs[i][1] <= cum:
                    segs[i][2] = "acked"
            while st["una"] < N and segs[st["una"]][2] == "acked":
                st["una"] += 1
            newly = st["una"] - old_una
            if st.get("frto"):
                if newly and any(segs[j][3] == 0 for j in range(old_una, st["una"])):
                    fl.cwnd, fl.ssthresh = st["frto"]  # spurious: undo
                    st["frto"] = None
                    st["nspur"] = st.get("nspur", 0) + 1
                elif not newly:
                    st["frto"] = None
                    for i in range(st["una"], st["nxt"]):
                        if segs[i][2] == "out" and segs[i][3] == 0:
                            segs[i][2] = "lost"
            for i in range(st["una"], st["nxt"]):
                if segs[i][2] in ("out", "lost") and any(b[0] <= segs[i][0] and segs[i][0] + segs[i][1] <= b[1] for b in blocks):
                    segs[i][2] = "sacked"
            for _ in range(newly):
                if st["inrec"]:
                    break
                fl.cwnd += 1.0 if fl.cwnd < fl.ssthresh else 1.0 / fl.cwnd
            sacked_above = 0
            newloss = False
            for i in range(st["nxt"] - 1, st["una"] - 1, -1):
                if segs[i][2] == "sacked":
                    sacked_above += 1
                elif segs[i][2] == "out" and sacked_above >= 3 and segs[i][3] == 0:
                    segs[i][2] = "lost"
                    newloss = True
            if newloss and not st["inrec"]:
                st["inrec"], st["recpt"] = True, st["nxt"]
                fl.ssthresh = max(2.0, fl.cwnd * 0.7)
                fl.cwnd = fl.ssthresh
            if st["inrec"] and st["una"] >= st["recpt"]:
                st["inrec"] = False
            if newly:
                st["backoff"] = 1
                st["rto_on"] = False
                if st["una"] < st["nxt"]:
                    arm(t)
            if st["una"] >= N:
                st["rto_on"] = False
                st["rto_gen"] += 1
                done_t = t
                continue
            send(t)
        elif kind == "rto":
            if x != st["rto_gen"] or st["una"] >= N:
                continue
            st["rto_on"] = False
            st["backoff"] *= 2
            st["nrto"] = st.get("nrto", 0) + 1
            if frto and not st.get("frto") and not st["inrec"]:
                # F-RTO (RFC 5682, Linux tcp_frto): retransmit only the first unacked
                # segment; if the next ACK acknowledges data that was not retransmitted,
                # the timeout was spurious and the congestion state is restored
                st["frto"] = (fl.cwnd, fl.ssthresh)
                fl.ssthresh = max(2.0, fl.cwnd * 0.7)
                fl.cwnd = 1.0
                i = st["una"]
                segs[i][3] += 1
                xmit(t, i)
                continue
            st["frto"] = None
            for i in range(st["una"], st["nxt"]):
                if segs[i][2] == "out":
                    segs[i][2] = "lost"
            fl.ssthresh = max(2.0, fl.cwnd * 0.7)
            fl.cwnd = 1.0
            st["inrec"] = False
            send(t)
    fl.snxt = base + st["maxsent"]
    fl.s_tx = conn0 + st["maxsent"]
    fl.c_rcv = base + st["rcv"]
    fl.done_t = done_t
    fl.delivered = st["rcv"]
    fl.last_arr = st.get("last_arr", t0)
    fl.ndup = st.get("ndup", 0)
    fl.nrto = st.get("nrto", 0)
    fl.nspur = st.get("nspur", 0)
    return st["last"]


# ----------------------------------------------------------------------------
# QUIC v1 (RFC 9000/9001): Initial packets really protected, so tshark decrypts them;
# Handshake and 1-RTT packets are opaque (random) as they are to any passive observer
# ----------------------------------------------------------------------------

def initial_keys(odcid, server):
    """(key, iv, hp) of one side's QUIC v1 Initial packets (RFC 9001 5.2; generate.py)."""
    return quic_initial_keys(odcid)["server" if server else "client"]


def varint(n):
    if n < 0x40:
        return bytes([n])
    if n < 0x4000:
        return struct.pack("!H", 0x4000 | n)
    if n < 0x40000000:
        return struct.pack("!I", 0x80000000 | n)
    return struct.pack("!Q", 0xC000000000000000 | n)


def protect_initial(keys, dcid, scid, pn, frames, min_dgram=0, token=b"", pn_len=2):
    """A protected Initial packet; PADDING frames appended so the packet alone is at
    least min_dgram bytes."""
    def hdr_for(plen):
        return (bytes([0xC0 | (pn_len - 1)]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
                + varint(len(token)) + token + struct.pack("!H", 0x4000 | (pn_len + plen + 16)))

    payload = frames
    size = len(hdr_for(len(payload))) + pn_len + len(payload) + 16
    if size < min_dgram:
        payload += b"\x00" * (min_dgram - size)
    if len(payload) + pn_len < 4:  # header protection needs a 16-byte sample
        payload += b"\x00" * (4 - pn_len - len(payload))
    return protect(hdr_for(len(payload)) + pn.to_bytes(pn_len, "big"), pn, pn_len, payload, keys)


def opaque_long(rng, ptype, dcid, scid, size):
    """A Handshake (ptype 2) packet whose keys an observer does not have: `size` bytes total."""
    hdr = bytes([0xC0 | (ptype << 4) | rng.randrange(16)]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    body = size - len(hdr) - 2
    return hdr + struct.pack("!H", 0x4000 | body) + rng.randbytes(body)


def opaque_short(rng, dcid, size):
    return bytes([0x40 | rng.randrange(32)]) + dcid + rng.randbytes(max(size - 1 - len(dcid), 21))


def crypto_frame(off, data):
    return b"\x06" + varint(off) + varint(len(data)) + data


def ack_frame(largest, first_range=0, delay=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(first_range)


def quic_client_hello(rng, sni, scid, profile="chrome"):
    """TLS 1.3 ClientHello handshake message (no record header) for QUIC."""
    pub = x25519_pub(rng)
    alpn = b"\x02h3"
    tp = b""
    for pid, val in ((0x01, varint(30000)), (0x03, varint(1472)), (0x04, varint(15728640)), (0x05, varint(6291456)),
                     (0x06, varint(6291456)), (0x07, varint(6291456)), (0x08, varint(100)), (0x09, varint(103)),
                     (0x0F, scid)):
        tp += varint(pid) + varint(len(val)) + val
    if profile == "chrome":
        g = rng.choice(ck.GREASE)
        tp += varint(0x1A2A2A) + varint(0)  # a GREASE transport parameter id (31*N+27)
        sni_e = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode())
        exts = [ext(g, b""), sni_e, ext(10, u16(6) + u16(g) + u16(0x1D) + u16(0x17)), ext(16, u16(len(alpn)) + alpn),
                ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
                ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(45, b"\x01\x01"), ext(43, b"\x02" + u16(0x0304)),
                ext(27, b"\x02\x00\x02"), ext(0x39, tp), ext(17513, b"\x00\x03\x02h3"), ext(g ^ 0x1010, b"")]
        suites = [g, 0x1301, 0x1302, 0x1303]
    else:
        sni_e = ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode())
        exts = [sni_e, ext(10, u16(8) + b"".join(u16(x) for x in (0x1D, 0x17, 0x18, 0x19))), ext(16, u16(len(alpn)) + alpn),
                ext(51, u16(36) + u16(0x1D) + u16(32) + pub), ext(43, b"\x02" + u16(0x0304)),
                ext(13, u16(18) + b"".join(u16(x) for x in (0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601))),
                ext(45, b"\x01\x01"), ext(28, b"\x40\x01"), ext(0x39, tp)]
        suites = [0x1301, 0x1303, 0x1302]
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(2 * len(suites)) + b"".join(u16(s) for s in suites) + b"\x01\x00"
    el = b"".join(exts)
    body += u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


# ----------------------------------------------------------------------------
# capture context: whole visits, QUIC, ICMP errors, retransmitting stub
# ----------------------------------------------------------------------------


class Ctx2(Ctx):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.icmp_id = self.rng.randrange(65536)
        self.ask_aaaa = True  # False: an IPv4-only host (getaddrinfo AI_ADDRCONFIG asks A only)

    # -- UDP/ICMP primitives
    def udp(self, t, src, dst, sport, dport, payload, ttl, out, ipid=0, df=True, fl=0, tag=None, iface=None):
        self.cap.add(t, mk_ip(src, dst, ttl, ipid, df, fl) / UDP(sport=sport, dport=dport) / Raw(payload), out, self.iface if iface is None else iface, tag)

    def icmp_port_unreach(self, t, quoted, tag=None):
        """The client kernel's answer to a datagram for a closed UDP port (Linux: TOS 0xc0, no DF)."""
        src = IP(quoted).dst
        dst = IP(quoted).src
        self.icmp_id = (self.icmp_id + 1) & 0xFFFF
        pkt = IP(src=src, dst=dst, ttl=self.cttl, id=self.icmp_id, flags=0, tos=0xC0) / ICMP(type=3, code=3) / Raw(quoted[:548])
        self.cap.add(t, pkt, True, self.iface, tag)

    # -- DNS
    def lookup2(self, t, qname, a=(), aaaa=(), cname=(), ttl_a=300, ttl_c=300, rtt=None, tag=None, aaaa_q=None):
        aaaa_q = self.ask_aaaa if aaaa_q is None else aaaa_q
        ans_a = chain(qname, cname, list(a), ttl_c, ttl_a) if (a or cname) else []
        ans_6 = chain(qname, cname, list(aaaa), ttl_c, ttl_a, "AAAA") if (aaaa or cname) else []
        return self.lookup(t, qname, ans_a, ans_6, rtt=rtt, tag=tag, aaaa=aaaa_q)

    # -- QUIC
    def quic(self, t, sip, sni, rtt, sttl, resp=30000, lost_initials=0, pto=1.0, iface=None, tag=None, profile="chrome",
             close=True, idle=None, req_size=None, rate=40e6, init_size=None):
        """One HTTP/3 exchange.  The first `lost_initials` client Initials are lost on the way
        (captured at the client, no answer); the client retransmits after PTO, PTO*2, ... with
        the same connection IDs and ClientHello and the next packet number.  Returns end time."""
        rng = self.rng
        iface = self.iface if iface is None else iface
        v6 = ":" in sip
        cip = self.cip6 if v6 else self.cip
        sport = self.port()
        odcid, scid, scid_s = rng.randbytes(8), rng.randbytes(8), rng.randbytes(8)
        ckeys, skeys = initial_keys(odcid, False), initial_keys(odcid, True)
        flc, fls = rng.getrandbits(20), rng.getrandbits(20)
        st = dict(cid=rng.randrange(65536), sid=rng.randrange(65536))

        def cpkt(tt, payload, tg=None):
            self.cap.add(tt, mk_ip(cip, sip, self.cttl, st["cid"], True, flc) / UDP(sport=sport, dport=443) / Raw(payload), True, iface, tg)
            st["cid"] = (st["cid"] + 1) & 0xFFFF

        def spkt(tt, payload, tg=None):
            self.cap.add(tt, mk_ip(sip, cip, sttl, st["sid"], not v6 and True, fls) / UDP(sport=443, dport=sport) / Raw(payload), False, iface, tg)
            st["sid"] = (st["sid"] + 1) & 0xFFFF

        ch = quic_client_hello(rng, sni, scid, profile)
        init_size = init_size or (1250 if profile == "chrome" else 1252)
        tq = t
        pn = 0
        backoff = pto
        info = dict(initials=[], sport=sport, odcid=odcid.hex(), scid=scid.hex())
        for i in range(lost_initials + 1):
            tg = tag and (f"{tag}init{i}")
            cpkt(tq, protect_initial(ckeys, odcid, scid, pn, crypto_frame(0, ch), min_dgram=init_size), tg)
            info["initials"].append(tg)
            last_pn = pn
            pn += 1
            if i < lost_initials:
                tq += backoff
                backoff *= 2
        # the server's answer to the Initial that got through
        ts = tq + rtt + rng.uniform(0.0008, 0.003)
        sh = quic_server_hello(rng)
        s_init = protect_initial(skeys, scid, scid_s, 0, ack_frame(last_pn) + crypto_frame(0, sh))
        d1 = s_init + opaque_long(rng, 2, scid, scid_s, 1232 - len(s_init))
        spkt(ts, d1, tag and f"{tag}sinit")
        spkt(ts + 0.00012, opaque_long(rng, 2, scid, scid_s, 1232))
        spkt(ts + 0.00025, opaque_long(rng, 2, scid, scid_s, rng.randrange(380, 900)))
        tc = ts + 0.00025 + rng.uniform(0.002, 0.006)
        c_init = protect_initial(ckeys, scid_s, scid, pn, ack_frame(0), min_dgram=0)
        hs = opaque_long(rng, 2, scid_s, scid, rng.randrange(90, 110))
        pad = init_size - len(c_init) - len(hs)
        c_init = protect_initial(ckeys, scid_s, scid, pn, ack_frame(0), min_dgram=len(c_init) + max(pad, 0))
        cpkt(tc, c_init + hs, tag and f"{tag}cfin")
        pn += 1
        req_size = req_size or rng.randrange(90, 160)
        cpkt(tc + 0.00005, opaque_short(rng, scid_s, req_size), tag and f"{tag}req")
        # response: 1-RTT packets paced at `rate`, client ACKs every second packet
        tr = tc + rtt + rng.uniform(0.003, 0.03)
        spkt(tr, opaque_short(rng, scid, rng.randrange(60, 120)))  # HANDSHAKE_DONE, NEW_TOKEN, ...
        n = max(1, resp // 1200)
        gap = 1252 * 8 / rate
        last = tr
        for k in range(n):
            tt = tr + 0.0002 + k * gap
            spkt(tt, opaque_short(rng, scid, 1252 if k < n - 1 else rng.randrange(300, 1252)), tag and k == 0 and f"{tag}resp")
            last = tt
            if k % 2 == 1 or k == n - 1:
                cpkt(tt + rng.uniform(0.0003, 0.002), opaque_short(rng, scid_s, rng.randrange(38, 48)))
                last = tt + 0.002
        if close:
            tcl = last + (idle if idle is not None else rng.uniform(1.0, 6.0))
            cpkt(tcl, opaque_short(rng, scid_s, rng.randrange(38, 50)), tag and f"{tag}close")
            last = tcl
        info["end"] = last
        return info

    # -- a whole visit
    def visit(self, t, s, tag=None):
        """s: dict(name, a, aaaa, cname, rtt, ttl, kind, resp, v6, ...). Returns end time."""
        rng = self.rng
        t = self.lookup2(t, s["name"], s.get("a", ()), s.get("aaaa", ()), s.get("cname", ()), ttl_a=s.get("dttl", 300),
                         rtt=s.get("drtt"), tag=tag and tag + "dns")
        t += rng.uniform(0.0003, 0.002)
        ip = s["aaaa"][0] if s.get("v6") else s["a"][0]
        kind = s.get("kind", "https")
        if kind == "https":
            _, t = self.https(t, ip, s["name"], s["rtt"], s["ttl"], resp=s.get("resp", rng.randrange(8000, 90000)),
                              sos=s.get("sos", "linuxsrv"), profile=s.get("profile", "firefox"), tag=tag, close=s.get("close", "client"),
                              drop=s.get("drop"))
        elif kind == "http":
            body = html_body(rng, s.get("resp", 6000), s.get("title", s["name"]))
            hdrs = s.get("headers", [("Server", "nginx"), ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
            if "Content-Length" not in dict(hdrs):
                hdrs = list(hdrs) + [("Content-Length", str(len(body)))]
            _, t = self.http(t, ip, s["name"], s["rtt"], s["ttl"], path=s.get("path", "/"), headers=hdrs, body=body, tag=tag)
        elif kind == "quic":
            t = self.quic(t, ip, s["name"], s["rtt"], s["ttl"], resp=s.get("resp", 30000), tag=tag)["end"]
        return t


class Flow2(Flow):
    """capkit Flow plus: a time-dependent server TTL (route changes) and RSTs built by the
    server host's kernel for segments of a connection it no longer has (Linux
    tcp_v4_send_reset: no options, window 0, IP ID 0 with DF)."""

    ttl_fn = None
    dep_t = None  # when set: the segment left the server at this time (its TSval), arriving later

    def _opts(self, out, t, flags, sack=None):
        if not out and self.dep_t is not None:
            return super()._opts(out, self.dep_t + self.owd, flags, sack)
        return super()._opts(out, t, flags, sack)

    def s(self, t, flags, payload=b"", seq=None, ack=None, win=None, tag=None, ttl=None):
        if ttl is None and self.ttl_fn is not None:
            ttl = self.ttl_fn(t)
        super().s(t, flags, payload, seq, ack, win, tag, ttl)

    def srst(self, t, flags, seq, ack=0, ttl=None, ipid=0, tag=None):
        if ttl is None:
            ttl = self.ttl_fn(t) if self.ttl_fn else self.sttl
        ip = mk_ip(self.sip, self.cip, ttl, ipid, True, self.sfl)
        tcp = TCP(sport=self.dport, dport=self.sport, seq=seq & 0xFFFFFFFF, ack=(ack & 0xFFFFFFFF) if "A" in flags else 0, flags=flags, window=0)
        self.cap.add(t, ip / tcp, False, self.iface, tag)


Ctx2.flow_class = Flow2


def tls_after_handshake(ctx, fl, t, sni, resp=20000, rate=30e6, cert=3200, req=420, think=0.015, close="client",
                        profile="firefox", alpn=("h2", "http/1.1"), tag=None, fwd=None):
    """ClientHello, server flight, request and response on an established Flow (the second
    half of capkit's Ctx.https), over a path with forward delay fwd (bulk_var)."""
    rng = ctx.rng
    t = tls_open(ctx, fl, t, sni, rate, cert, req, profile, alpn, tag, fwd)
    srv = b"".join(app_rec(rng, rng.randrange(230, 260)) for _ in range(2)) + app_stream(rng, resp)
    t = bulk_var(fl, t + fl.owd + think, srv, rate, fwd=fwd, tag=tag and tag + "resp")
    if close == "client":
        t = fl.close_client(t + rng.uniform(0.05, 2.5))
    elif close == "server":
        t = fl.close_server(t + rng.uniform(0.5, 5.0))
    return t


def trel(cap, tag):
    """time of a tagged packet relative to the first packet (Wireshark's frame.time_relative)"""
    recs = cap.sorted()
    return (recs[cap.frame(tag) - 1][0] - recs[0][0]) / 1e9


def client_hello_chrome(rng, sni):
    return ck.client_hello(rng, sni, ("h2", "http/1.1"), "chrome")


def tls_open(ctx, fl, t, sni, rate=30e6, cert=3200, req=420, profile="firefox", alpn=("h2", "http/1.1"), tag=None, fwd=None):
    """ClientHello, server flight, client Finished + first request; returns the time the
    request left the client."""
    rng = ctx.rng
    t += rng.uniform(0.0002, 0.0012)
    ch, sid = ctx.make_client_hello(rng, sni, alpn, profile)
    t = fl.send_c(t, ch, tag and tag + "ch")
    t = bulk_var(fl, t + fl.owd + rng.uniform(0.0004, 0.002), ck.server_flight(rng, sid, cert), rate, fwd=fwd, tag=tag and tag + "sh", final_ack=False)
    t = max(t, fl.last_arr + rng.uniform(0.001, 0.004))
    return fl.send_c(t, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, req), tag and tag + "req")


def httpdate(ts):
    import email.utils
    return email.utils.formatdate(int(ts), usegmt=True)


def http_req(host, path, ua, extra=()):
    h = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {ua}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in extra) + "\r\n"
    return h.encode()


def http_resp(status, headers, body):
    return f"HTTP/1.1 {status}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers) + b"\r\n" + body


def run_visits(ctx, t, sites, gap=(1.5, 7.0), tagp="v"):
    ends = []
    for i, s in enumerate(sites):
        e = ctx.visit(t, s, tag=f"{tagp}{i}_")
        ends.append(e)
        t = t + ctx.rng.uniform(*gap) + (e - t) * 0.3
    return max(ends + [t])


# ============================================================================
# 1. GEO satellite link: ~620 ms RTT everywhere
# ============================================================================


def build_geosat(outdir):
    fname = "geosat_600ms_rtt_dns_dup_spurious_rtx_keepalive_race_eth.pcap"
    base = epoch(2024, 10, 14, 18, 40, 0)
    ifc = [dict(link="eth", cmac=mac("a4:5e:60:d2:17:8b"), gmac=mac("00:1e:67:ab:32:10"), name="eth0")]
    cap = Cap(fname, base, ifc, fmt="pcap")
    ctx = Ctx2(cap, 1801, cip="192.168.100.23", resolver="62.93.64.53", rttl=61, dns_rtt=0.63)
    rng = ctx.rng
    SAT = 0.605  # the satellite hop's round trip (terminal <-> teleport)

    def S(name, a, ttl, terr, **kw):
        d = dict(name=name, a=a, ttl=ttl, rtt=SAT + terr, drtt=SAT + rng.uniform(0.012, 0.09))
        d.update(kw)
        return d

    ctx.ask_aaaa = False  # IPv4-only host

    early = [
        S("www.wikipedia.org", ["185.15.59.224"], 55, 0.021, cname=["dyna.wikimedia.org"], dttl=600),
        S("www.theguardian.com", ["151.101.65.111"], 57, 0.012, cname=["guardian.map.fastly.net"], dttl=30),
        S("www.google.com", ["142.250.184.228"], 117, 0.011, dttl=300, profile="chrome"),
        S("github.com", ["140.82.121.3"], 50, 0.024, dttl=60),
        S("news.ycombinator.com", ["209.216.230.207"], 49, 0.098, dttl=300),
        S("www.openstreetmap.org", ["184.104.179.131"], 52, 0.019, dttl=300, kind="https"),
    ]
    late = [
        S("www.meteoblue.com", ["104.18.20.141"], 57, 0.013, dttl=300),
        S("fonts.gstatic.com", ["142.250.185.67"], 117, 0.011, cname=["gstaticadssl.l.google.com"], dttl=300, resp=40000, profile="chrome"),
        S("www.debian.org", ["130.89.148.77"], 51, 0.022, dttl=300),
        S("www.bbc.com", ["151.101.128.81"], 57, 0.012, cname=["bbc.map.fastly.net"], dttl=60),
        S("outlook.office.com", ["52.97.201.226"], 113, 0.018, cname=["outlook.ms-acdc.office.com"], dttl=60, sos="nots"),
        S("www.windy.com", ["104.22.62.86"], 57, 0.013, dttl=300),
        S("www.marinetraffic.com", ["104.18.33.23"], 57, 0.013, dttl=300),
    ]
    t = run_visits(ctx, 0.8, early[:3], gap=(2.0, 5.0), tagp="a")

    # --- trap A: the stub retransmits its query after 1 s; the answer to the original
    # (slow: resolver cache miss) and the answer to the retry (from cache) both arrive,
    # identical RRsets; the stub has already closed its socket -> ICMP port unreachable
    tA = t + 1.7
    name_a, ip_a = "www.kuestenwetter.de", "217.160.0.99"
    sport = ctx.port()
    txid = rng.randrange(1, 65536)
    ipid = rng.randrange(65536)
    q = ck.dns_msg(txid, 0x0100, name_a, "A")
    r = ck.dns_msg(txid, 0x8180, name_a, "A", chain(name_a, [], [ip_a], 3600, 3600))
    ctx.udp(tA, ctx.cip, ctx.resolver, sport, 53, q, 64, True, ipid, tag="dupq1")
    ctx.udp(tA + 1.0, ctx.cip, ctx.resolver, sport, 53, q, 64, True, ipid + 1, tag="dupq2")
    r1_t = tA + 1.452
    r2_t = tA + 1.0 + 0.633
    r1 = mk_ip(ctx.resolver, ctx.cip, 61, rng.randrange(65536), False) / UDP(sport=53, dport=sport) / Raw(r)
    r2 = mk_ip(ctx.resolver, ctx.cip, 61, rng.randrange(65536), False) / UDP(sport=53, dport=sport) / Raw(r)
    cap.add(r1_t, r1, False, 0, "dupr1")
    cap.add(r2_t, r2, False, 0, "dupr2")
    ctx.icmp_port_unreach(r2_t + 0.00004, raw(r2), tag="dupicmp")
    _, t = ctx.https(r1_t + 0.0008, ip_a, name_a, SAT + 0.017, 52, resp=52000, tag="dupvisit_")

    # --- trap B part 1: forum page over HTTP/2; the connection then idles
    name_b, ip_b, rtt_b, ttl_b = "forum.segelclub-nordsee.de", "85.13.155.42", SAT + 0.019, 53
    tB = t + 2.1
    tB = ctx.lookup2(tB, name_b, [ip_b], rtt=SAT + 0.02, tag="forumdns")
    flb = Flow2(ctx, ip_b, 443, rtt_b, ttl_b)
    tb = flb.handshake(tB + 0.0006, "forum")
    tb = tls_after_handshake(ctx, flb, tb, name_b, resp=61000, close=None, profile="chrome", tag="forum")
    idle_from = tb

    # --- trap C: apt download over plain HTTP; a 2.1 s downlink stall (gateway switch-over)
    # delays segments in flight; the server's RTO fires and retransmits data that was only late
    tC = tb + 3.0
    name_c = "deb.debian.org"
    fastly = ["151.101.2.132", "151.101.66.132", "151.101.130.132", "151.101.194.132"]
    tC = ctx.lookup2(tC, name_c, fastly, cname=["debian.map.fastly.net"], ttl_a=30, ttl_c=300, rtt=SAT + 0.025, tag="aptdns")
    flc = Flow2(ctx, fastly[0], 80, SAT + 0.012, 57)
    tc = flc.handshake(tC + 0.0005, "apt")
    path = "/debian/pool/main/t/tzdata/tzdata_2024a-0+deb12u1_all.deb"
    tc = flc.send_c(tc + 0.0004, http_req(name_c, path, "Debian APT-HTTP/1.3 (2.6.1)"), "aptget")
    body = rng.randbytes(255104)
    hdr = [("Connection", "keep-alive"), ("Content-Length", str(len(body))), ("Server", "Apache"), ("Last-Modified", "Sat, 10 Feb 2024 20:22:41 GMT"),
           ("ETag", '"3e480-6110e1c3b2e40"'), ("Cache-Control", "public, max-age=2592000"), ("Content-Type", "application/vnd.debian.binary-package"),
           ("Via", "1.1 varnish, 1.1 varnish"), ("Accept-Ranges", "bytes"), ("Date", httpdate(base + tc + flc.owd)), ("Age", "412877"),
           ("X-Served-By", "cache-ams21056-AMS, cache-fra-etou8220133-FRA"), ("X-Cache", "HIT, HIT"), ("X-Cache-Hits", "96, 3"), ("X-Timer", f"S{base + tc + flc.owd:.6f},VS0,VE0")]
    data = http_resp("200 OK", hdr, body)
    t0 = tc + flc.owd + 0.0009
    stall = (t0 + flc.owd + 1.35, t0 + flc.owd + 1.35 + 2.1)

    def fwd_c(dep, owd=flc.owd):
        a = dep + owd
        if stall[0] <= a < stall[1]:
            return stall[1] + (a - stall[0]) * 0.02
        return a
    tc = bulk_var(flc, t0, data, 24e6, fwd=fwd_c, tag="aptresp")
    apt_rtx = list(flc.rtx_tags)
    apt_nrto = flc.nrto
    tc = flc.close_client(tc + 0.35, alert=False)

    # --- trap D: the SYN waits for an uplink capacity grant after idle; the SYN/ACK comes
    # 1.12 s later, after Linux's 1 s SYN retransmission; the server answers the
    # retransmitted SYN with a second SYN/ACK (RFC 793 SYN-RECEIVED behaviour)
    tD = tc + 2.4
    name_d, ip_d = "shop.seewind-outdoor.de", "213.133.104.66"
    tD = ctx.lookup2(tD, name_d, [ip_d], rtt=SAT + 0.03, tag="syndns")
    fld = Flow2(ctx, ip_d, 443, SAT + 0.026, 50)
    t_syn = tD + 0.0005
    fld.c(t_syn, "S", tag="synsyn1")
    ts_syn1 = fld.last_cts
    fld.c_rcv = fld.siss + 1
    fld.s_rcv = fld.ciss + 1
    fld.c(t_syn + 1.0, "S", seq=fld.ciss, tag="synsyn2")
    ts_syn2 = fld.last_cts
    t_sa1 = t_syn + 0.47 + fld.rtt
    fld.last_cts = ts_syn1  # the first SYN/ACK answers (and echoes) the first SYN
    fld.dep_t = t_syn + 0.47 + fld.owd
    fld.s(t_sa1, "SA", seq=fld.siss, tag="synsa1")
    fld.dep_t = None
    fld.snxt = fld.siss + 1
    fld.c(t_sa1 + 0.00008, "A")
    ch, sid = client_hello_chrome(rng, name_d)
    fld.c(t_sa1 + 0.0009, "PA", ch, tag="synch")
    ts_ch = fld.last_cts
    fld.s_rcv = fld.cnxt
    t_sa2 = t_syn + 1.0 + fld.rtt + 0.0004
    fld.last_cts = ts_syn2  # the second one answers the retransmitted SYN
    fld.s(t_sa2, "SA", seq=fld.siss, ack=fld.ciss + 1, tag="synsa2")
    fld.last_cts = ts_ch
    fld.c(t_sa2 + 0.00006, "A", tag="syndupack")
    t1 = bulk_var(fld, t_sa1 + 0.0009 + fld.owd + 0.0012, ck.server_flight(rng, sid, 2900), 24e6, final_ack=False, tag="synsh")
    t1 = max(t1, fld.last_arr + 0.002)
    t1 = fld.send_c(t1, b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 460), "synreq")
    t1 = bulk_var(fld, t1 + fld.owd + 0.02, b"".join(app_rec(rng, 240) for _ in range(2)) + app_stream(rng, 88000), 24e6, tag="synresp")
    t1 = fld.close_client(t1 + 1.1)

    # some ordinary browsing while the forum connection idles
    t = run_visits(ctx, t1 + 1.5, early[3:] + late[:2], gap=(2.0, 6.0), tagp="b")

    # --- trap B part 2: nginx keepalive_timeout 75 s; its close_notify+FIN crosses the
    # client's new request on the satellite hop; the server host's kernel answers each
    # later client segment with a RST (seq = that segment's ACK number)
    A = idle_from + flb.owd + 75.0 + flb.owd  # arrival of the server's close at the client
    if t + 1.0 > A:
        raise SystemExit("keepalive race: browsing ran past the idle timeout")
    S0 = flb.snxt
    C0 = flb.cnxt
    t_req = A - 0.25
    ts_before = flb.last_cts
    flb.c(t_req, "PA", app_rec(rng, 470), tag="racereq")
    flb.last_cts = ts_before  # the server's close left before the request reached it
    flb.s(A, "FPA", b"\x17\x03\x03\x00\x13" + rng.randbytes(19), ack=C0, tag="racefin")
    F = S0 + 24
    flb.c_rcv = F + 1
    flb.c(A + 0.00005, "A", tag="raceack")
    flb.c(A + 0.0004, "FA", tag="racecfin")
    flb.srst(t_req + flb.rtt + 0.0003, "R", seq=S0, tag="racerst1")
    flb.srst(A + 0.00005 + flb.rtt + 0.0002, "R", seq=F + 1, tag="racerst2")
    flb.srst(A + 0.0004 + flb.rtt + 0.0002, "R", seq=F + 1, tag="racerst3")
    # the browser retries the request on a new connection to the same server (no DNS: cached)
    flr = Flow2(ctx, ip_b, 443, rtt_b, ttl_b)
    tr = flr.handshake(A + 0.0011, "retry")
    tr = tls_after_handshake(ctx, flr, tr, name_b, resp=38000, close="client", profile="chrome", tag="retry")

    t = run_visits(ctx, max(tr, A) + 2.0, late[2:], gap=(2.0, 6.0), tagp="c")

    cap.write(os.path.join(outdir, fname))
    F_ = cap.frame
    t_first = cap.sorted()[0][0] / 1e9 - base
    note = (
        f"Home user behind a geostationary satellite link, no PEP: TCP handshake RTTs 0.62-0.70 s, DNS answers from the resolver 62.93.64.53 "
        f"(IP TTL 61) after 0.58-0.76 s (the satellite hop alone ~0.6 s), one slow cache miss aside. IPv4 only, so the stub asks A only. {len(early) + len(late)} ordinary visits "
        f"(DNS then TLS) plus four latency artefacts. "
        f"(1) Late duplicate DNS answer: the stub asks A {name_a} (frame {F_('dupq1')}) and, after 1.0 s with no answer, retransmits the "
        f"byte-identical query (same txid 0x{txid:04x}, same source port {sport}; frame {F_('dupq2')}). The resolver's cache-miss answer to "
        f"the first copy arrives 1.45 s after it (frame {F_('dupr1')}), its cached answer to the retransmission 0.63 s after that one "
        f"(frame {F_('dupr2')}); both carry the same RRset (A {ip_a}, TTL 3600) and the same IP TTL 61, and the second one reaches a socket the "
        f"stub has already closed, hence the client's ICMP port unreachable (frame {F_('dupicmp')}). Two answers, but one per query, identical "
        f"RDATA, the first one 2.3 RTTs late rather than early: a resolver retransmission (fingerprints §15 trap 4), not a race. "
        f"The client's TLS visit to {ip_a} then succeeds. "
        f"(2) Spurious retransmissions: apt downloads {path} over plain HTTP from deb.debian.org (Fastly 151.101.2.132, TTL 57, HTTP 200, "
        f"X-Cache HIT). A 2.1 s downlink stall (gateway switch-over) holds the segments already in flight: no server segment arrives between "
        f"t={stall[0] - t_first:.2f} s and t={stall[1] - t_first:.2f} s, then the held segments arrive back to back. Meanwhile the server's RTO (~0.83 s) fires "
        f"{'once' if apt_nrto == 1 else f'{apt_nrto} times'} and, with F-RTO, it retransmits only the first unacknowledged segment, which was "
        f"late, not lost: spurious retransmission at frame(s) {', '.join(str(F_(x)) for x in apt_rtx)} (Wireshark: 'Spurious Retransmission'), "
        f"answered by a client ACK carrying a D-SACK block for the copy (RFC 2883: the original had arrived). No segment is lost, all "
        f"{len(body)} body bytes arrive, the connection closes with FINs, and throughput before and after the stall is the link's normal rate. "
        f"(3) SYN retransmission and a duplicate SYN/ACK: the SYN to {name_d} ({ip_d}, frame {F_('synsyn1')}) waits ~0.47 s for an uplink capacity "
        f"grant after idle, so its SYN/ACK (frame {F_('synsa1')}, TTL 50) arrives 1.10 s later, after Linux's 1 s SYN retransmission "
        f"(frame {F_('synsyn2')}, same ISN). The server answers the retransmitted SYN with a second identical SYN/ACK (frame {F_('synsa2')}, "
        f"same seq, TTL 50) that lands after the ClientHello; the client dup-ACKs it (frame {F_('syndupack')}) and the TLS exchange completes. "
        f"(4) Keepalive race: an HTTP/2 connection to {name_b} ({ip_b}, TTL 53) idles for 75 s (nginx keepalive_timeout). The server's "
        f"close_notify+FIN (frame {F_('racefin')}, TTL 53) crosses the client's new request (frame {F_('racereq')}, sent 0.25 s before the FIN arrived) "
        f"on the satellite hop. The server host's kernel answers each client segment that reaches the closed socket with a RST whose "
        f"sequence number is that segment's acknowledgement number (Linux tcp_v4_send_reset): frame {F_('racerst1')} seq = the request's ACK "
        f"(the FIN's sequence number, one RTT after the request), frames {F_('racerst2')} and {F_('racerst3')} seq = FIN+1 (one RTT after the "
        f"client's ACK and FIN). All three RSTs have TTL 53 like every packet of that server, window 0, IP ID 0 with DF (the server host's "
        f"stack RST), arrive exactly one RTT after the client segment each answers, and follow the server's own orderly close; the differing "
        f"sequence numbers come from the differing segments they answer. The browser retries on a new connection to the same {ip_b}:443 with "
        f"the same SNI at once (frame {F_('retrysyn')}) and it succeeds, so there is no residual effect. "
        f"Nothing here is censorship: no forged packet, no differing DNS data, no failed connection that stays failed."
    )
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)



# ============================================================================
# 2. Stub retransmission through a CPE forwarder that relays both upstream answers
# ============================================================================


def build_resolver_retry(outdir):
    fname = "resolver_retry_two_cdn_answer_sets_seconds_apart_vlan.pcap"
    base = epoch(2025, 2, 11, 20, 15, 0)
    ifc = [dict(link="vlan", vlan=20, pcp=0, cmac=mac("f0:2f:74:5b:c1:08"), gmac=mac("e0:28:6d:4a:19:f2"), name="eth0.20")]
    cap = Cap(fname, base, ifc, fmt="pcap", nsec=True)
    ctx = Ctx2(cap, 1802, cip="192.168.20.57", cip6="2a02:810d:4b3f:a200:8d2e:41c7:b2a9:6f10", resolver="192.168.20.1", rttl=64, dns_rtt=0.018)
    ctx.r_ipid = 0x3a10  # the CPE's DNS forwarder: one IP ID counter for all its answers
    rng = ctx.rng
    sites = [
        dict(name="www.wikipedia.org", a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cname=["dyna.wikimedia.org"], v6=True, rtt=0.019, ttl=57),
        dict(name="www.youtube.com", a=["142.250.185.78"], aaaa=["2a00:1450:4001:80b::200e"], cname=["youtube-ui.l.google.com"], v6=True, kind="quic", rtt=0.012, ttl=58, resp=60000),
        dict(name="www.heise.de", a=["193.99.144.85"], aaaa=["2a02:2e0:3fe:1001:302::"], v6=True, rtt=0.014, ttl=56),
        dict(name="www.zeit.de", a=["151.101.2.133"], cname=["zeit.map.fastly.net"], rtt=0.009, ttl=58, dttl=30),
        dict(name="github.com", a=["140.82.121.4"], rtt=0.024, ttl=52, dttl=60),
        dict(name="cdn.jsdelivr.net", a=["104.16.85.20", "104.16.86.20"], aaaa=["2606:4700::6810:5514", "2606:4700::6810:5614"], v6=True, kind="quic", rtt=0.008, ttl=58, resp=45000),
        dict(name="www.reddit.com", a=["151.101.1.140"], cname=["reddit.map.fastly.net"], rtt=0.009, ttl=58, dttl=30),
        dict(name="neverssl.com", a=["34.223.124.45"], kind="http", rtt=0.158, ttl=41, resp=2500, title="NeverSSL - Connecting ..."),
        dict(name="www.dwd.de", a=["141.38.3.83"], rtt=0.013, ttl=55),
        dict(name="www.chefkoch.de", a=["18.66.112.31"], cname=["d2a5uk2mufbwge.cloudfront.net"], rtt=0.011, ttl=247, dttl=60),
        dict(name="fonts.googleapis.com", a=["142.250.186.42"], aaaa=["2a00:1450:4001:827::200a"], v6=True, kind="quic", rtt=0.012, ttl=58, resp=12000),
        dict(name="www.tagesschau.de", a=["23.47.52.84"], cname=["www.tagesschau.de.edgekey.net", "e9855.a.akamaiedge.net"], rtt=0.006, ttl=59, dttl=20),
        dict(name="login.microsoftonline.com", a=["20.190.160.20"], cname=["ak.privatelink.msidentity.com", "www.tm.ak.prd.aadg.akadns.net"], rtt=0.021, ttl=112, sos="nots"),
        dict(name="www.ecosia.org", a=["104.18.23.182"], aaaa=["2606:4700::6812:17b6"], v6=True, rtt=0.008, ttl=58),
        dict(name="www.openstreetmap.org", a=["184.104.179.131"], aaaa=["2001:470:1:fa1::b"], v6=True, rtt=0.027, ttl=52),
        dict(name="www.kicker.de", a=["104.18.4.58"], kind="https", rtt=0.008, ttl=58),
    ]
    t = run_visits(ctx, 0.6, sites[:7], gap=(1.5, 5.0), tagp="a")

    # --- the trap: glibc stub, A+AAAA from one socket, default 5 s timeout, the retry is
    # byte-identical (same txid, same source port).  The CPE's forwarder sent the first
    # copy to upstream #1 (slow this time) and the retry to upstream #2, and relays both
    # answers: same CNAME chain, different Akamai edge addresses.
    name = "www.kleiderwerk-shop.de"
    cn = ["www.kleiderwerk-shop.de.edgekey.net", "e28417.a.akamaiedge.net"]
    X = ["2.18.24.146", "2.18.24.153"]  # near edge (ISP-hosted Akamai cluster), via upstream #1
    Y = ["23.55.161.83", "23.55.161.73"]  # regional Akamai PoP, via upstream #2
    T = t + 2.3
    sport = ctx.port()
    idA, id6 = rng.randrange(65536), rng.randrange(65536)
    qip = rng.randrange(65536)
    qa = ck.dns_msg(idA, 0x0100, name, "A")
    q6 = ck.dns_msg(id6, 0x0100, name, "AAAA")
    ctx.udp(T, ctx.cip, ctx.resolver, sport, 53, qa, 64, True, qip, tag="rqA1")
    ctx.udp(T + 0.00006, ctx.cip, ctx.resolver, sport, 53, q6, 64, True, qip + 1, tag="rq61")
    ctx.udp(T + 5.0, ctx.cip, ctx.resolver, sport, 53, qa, 64, True, qip + 2, tag="rqA2")
    ctx.udp(T + 5.00005, ctx.cip, ctx.resolver, sport, 53, q6, 64, True, qip + 3, tag="rq62")

    def ans(txid, qt, addrs, ttl_a):
        ch = [(name, "CNAME", 21600, cn[0]), (cn[0], "CNAME", 300, cn[1])]
        if qt == "A":
            ch += [(cn[1], "A", ttl_a, a) for a in addrs]
        return ck.dns_msg(txid, 0x8180, name, qt, ch)

    def resp(tt, payload, tg):
        pkt = mk_ip(ctx.resolver, ctx.cip, 64, ctx.resp_ipid(), False) / UDP(sport=53, dport=sport) / Raw(payload)
        cap.add(tt, pkt, False, 0, tg)
        return pkt

    tY = T + 5.0 + 0.0213
    resp(tY, ans(idA, "A", Y, 20), "rrA_fast")
    resp(tY + 0.0007, ans(id6, "AAAA", [], 20), "rr6_fast")
    _, t1 = ctx.https(tY + 0.0012, Y[0], name, 0.021, 56, resp=74000, profile="chrome", tag="shopY_")
    tX = T + 6.942
    late_a = resp(tX, ans(idA, "A", X, 20), "rrA_slow")
    late_6 = resp(tX + 0.0004, ans(id6, "AAAA", [], 20), "rr6_slow")
    ctx.icmp_port_unreach(tX + 0.00005, raw(late_a), tag="ricmpA")
    ctx.icmp_port_unreach(tX + 0.00045, raw(late_6), tag="ricmp6")

    t = run_visits(ctx, max(t1, tX) + 1.5, sites[7:11], gap=(2.0, 6.0), tagp="b")
    # --- 45 s later, the A records (TTL 20) have expired: a new lookup, answered at once,
    # returns the near set X, and the same site loads from there
    T2 = max(t + 1.0, T + 50.0)
    T2 = ctx.lookup2(T2, name, X, cname=cn, ttl_a=20, ttl_c=300, rtt=0.0042, tag="again")
    _, t2 = ctx.https(T2 + 0.001, X[0], name, 0.0041, 61, resp=52000, profile="chrome", tag="shopX_")
    t = run_visits(ctx, t2 + 2.0, sites[11:], gap=(1.5, 5.0), tagp="c")

    cap.write(os.path.join(outdir, fname))
    F_ = cap.frame
    nvis = len(sites)
    note = (
        f"Dual-stack home client on VLAN 20 (802.1Q) using the CPE's DNS forwarder 192.168.20.1 (IP TTL 64, one IP ID counter for all its answers). "
        f"{nvis} ordinary visits (TLS over IPv4 and IPv6, HTTP/3 with decryptable Initials, one plain HTTP). The trap: the glibc stub asks A and AAAA "
        f"for {name} from one socket (port {sport}; frames {F_('rqA1')}, {F_('rq61')}); nothing comes back within its default 5 s timeout, so at "
        f"+5.0 s it retransmits both queries byte for byte (same txids 0x{idA:04x}/0x{id6:04x}, same port; frames {F_('rqA2')}, {F_('rq62')}). The "
        f"forwarder had sent the first copy to one upstream (slow this time) and sends the retry to another; it relays both answers. 21 ms after the "
        f"retry: A = {', '.join(Y)} via CNAMEs {cn[0]} -> {cn[1]} (frames {F_('rrA_fast')}, {F_('rr6_fast')}, AAAA: the same CNAME chain, no "
        f"addresses). 1.92 s later (6.94 s after the first query) the slow upstream's answer to the first copy arrives: the same CNAME chain with "
        f"A = {', '.join(X)} (frames {F_('rrA_slow')}, {F_('rr6_slow')}); the stub has returned and closed its socket, hence the client's ICMP port "
        f"unreachable (frames {F_('ricmpA')}, {F_('ricmp6')}). So one txid/5-tuple receives two answers with different A records, the first "
        f"arriving first - the literal shape of a DNS race. Why it is not injection: there were two queries (a stub retransmission), two answers; "
        f"both come from the same on-link forwarder with IP TTL 64 and consecutive IP IDs from its single counter (like all its other answers in the "
        f"capture); neither arrives faster than the forwarder can answer (the first comes 5.02 s after the first query); both are the same CNAME "
        f"chain into Akamai (akamaiedge.net) and both address sets are Akamai edge addresses (2.16.0.0/13 and 23.32.0.0/11), and both are proven "
        f"by the capture itself: the client loads the site from {Y[0]} at once (frame {F_('shopY_syn')}, TLS complete, TTL 56, RTT 21 ms) and, "
        f"after the 20 s A TTL has expired, a new lookup (frame {F_('againqA')}) returns {', '.join(X)} and the same SNI loads from {X[0]} "
        f"(frame {F_('shopX_syn')}, TLS complete, TTL 61, RTT 4 ms: an ISP-hosted cache three hops away). Different addresses, TTL distances and "
        f"RTTs for one name are ordinary CDN mapping (fingerprints §15 traps 3 and 4), not tampering."
    )
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)



# ----------------------------------------------------------------------------
# SSH (RFC 4253) up to NEWKEYS in clear, then opaque packets
# ----------------------------------------------------------------------------


def sshstr(b):
    return struct.pack("!I", len(b)) + b


def ssh_namelist(items):
    return sshstr(",".join(items).encode())


def ssh_pkt(rng, payload, block=8):
    pad = block - ((5 + len(payload)) % block)
    if pad < 4:
        pad += block
    return struct.pack("!IB", 1 + len(payload) + pad, pad) + payload + rng.randbytes(pad)


def ssh_kexinit(rng, client):
    kex = (["curve25519-sha256"] if client else ["sntrup761x25519-sha512@openssh.com", "curve25519-sha256"]) + ["curve25519-sha256@libssh.org", "ecdh-sha2-nistp256",
           "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512",
           "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256"]
    kex += ["ext-info-c", "kex-strict-c-v00@openssh.com"] if client else ["kex-strict-s-v00@openssh.com"]
    hk = (["ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
           "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-ed25519-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com",
           "ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"] if client else ["rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256", "ssh-ed25519"])
    ciph = ["chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"]
    macs = ["umac-64-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
            "hmac-sha1-etm@openssh.com", "umac-64@openssh.com", "umac-128@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1"]
    comp = ["none", "zlib@openssh.com"]
    pl = (b"\x14" + rng.randbytes(16) + ssh_namelist(kex) + ssh_namelist(hk) + ssh_namelist(ciph) * 2 + ssh_namelist(macs) * 2
          + ssh_namelist(comp) * 2 + ssh_namelist([]) * 2 + b"\x00" + b"\x00\x00\x00\x00")
    return ssh_pkt(rng, pl)


def ssh_kex_init(rng):  # curve25519-sha256: Q_C is 32 bytes
    return ssh_pkt(rng, b"\x1e" + sshstr(x25519_pub(rng)))


def ssh_mpint(b):
    b = b.lstrip(b"\x00")
    if b and b[0] & 0x80:
        b = b"\x00" + b
    return sshstr(b)


def ssh_kex_reply(rng, hostpoint):
    """KEX_ECDH_REPLY with the server's ECDSA P-256 host key (the type known_hosts holds,
    so the client ranks it first)"""
    hostkey = sshstr(b"ecdsa-sha2-nistp256") + sshstr(b"nistp256") + sshstr(hostpoint)
    sig = sshstr(b"ecdsa-sha2-nistp256") + sshstr(ssh_mpint(rng.randbytes(32)) + ssh_mpint(rng.randbytes(32)))
    return ssh_pkt(rng, b"\x1f" + sshstr(hostkey) + sshstr(x25519_pub(rng)) + sshstr(sig))


def ssh_newkeys(rng):
    return ssh_pkt(rng, b"\x15")


def ssh_enc(rng, n):
    """an opaque chacha20-poly1305 packet carrying an n-byte payload"""
    body = 1 + n
    body += (8 - (4 + body) % 8) % 8 or 0
    while body - 1 - n < 4:
        body += 8
    return rng.randbytes(4 + body + 16)


class SSHSession:
    """An OpenSSH client session on a Flow2 (dport 22): banners, KEX, auth, shell, keystrokes."""

    def __init__(self, ctx, fl, cbanner="SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u3", sbanner="SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5"):
        self.ctx, self.fl, self.rng = ctx, fl, ctx.rng
        self.cb, self.sb = cbanner.encode() + b"\r\n", sbanner.encode() + b"\r\n"
        self.hostpoint = getattr(fl, "hostpoint", None) or (b"\x04" + self.rng.randbytes(64))

    def cdata(self, t, payload, tag=None):
        self.fl.c(t, "PA", payload, tag=tag)
        self.fl.s_rcv = self.fl.cnxt

    def sdata(self, t, payload, tag=None, ack=True):
        """server data; it carries a PSH and the client ACKs it after a short delay"""
        fl = self.fl
        off = 0
        while off < len(payload):
            ch = payload[off:off + fl.seg]
            off += len(ch)
            fl.s(t, "PA" if off >= len(payload) else "A", ch, tag=tag if off == len(ch) else None)
            t += 0.00002
        fl.c_rcv = fl.snxt
        if ack:
            fl.c(t + self.rng.uniform(0.00003, 0.0001), "A")
        return t

    def login(self, t0, tag=None):
        fl, rng, rtt = self.fl, self.rng, self.fl.rtt
        t = fl.handshake(t0, tag)
        self.cdata(t + 0.0001, self.cb, tag and tag + "cbanner")
        t = t + rtt + 0.0004
        fl.s(t, "PA", self.sb, tag=tag and tag + "sbanner")
        fl.c_rcv = fl.snxt
        t = self.sdata(t + 0.0003, ssh_kexinit(rng, False), ack=False)
        self.cdata(t + 0.0002, ssh_kexinit(rng, True))
        self.cdata(t + 0.0009, ssh_kex_init(rng))
        t = self.sdata(t + 0.0009 + rtt + 0.0016, ssh_kex_reply(rng, self.hostpoint) + ssh_newkeys(rng), ack=False)
        self.cdata(t + 0.0021, ssh_newkeys(rng) + ssh_enc(rng, 20))
        t += 0.0021
        # service request/accept, ext-info, publickey query, signature, channel open, pty, env, shell
        for csz, ssz, think in ((0, 64, 0.0003), (380, 320, 0.012), (620, 16, 0.0015), (120, 48, 0.0004), (160, 16, 0.0004), (40, 1180, 0.004)):
            if csz:
                self.cdata(t, ssh_enc(rng, csz))
            t = self.sdata(t + rtt + think, ssh_enc(rng, ssz), ack=False)
            if ssz > 1000:  # motd, then the prompt
                t = self.sdata(t + 0.0009, ssh_enc(rng, 96), ack=True)
            t += rng.uniform(0.0003, 0.002)
        return t

    def typing(self, t, n, cps=(0.09, 0.28), out=None):
        """n keystrokes; each echoed by the server one RTT later; returns time of the last packet"""
        fl, rng = self.fl, self.rng
        for _ in range(n):
            self.cdata(t, ssh_enc(rng, 10))
            te = t + fl.rtt + rng.uniform(0.0002, 0.0009)
            t = self.sdata(te, ssh_enc(rng, 10), ack=False)
            nxt = t + rng.uniform(*cps)
            if nxt - t > 0.04:
                fl.c(t + 0.04, "A")
            t = nxt
        if out:
            te = t + fl.rtt + 0.002
            t = self.sdata(te, ssh_enc(rng, out))
        return t



# ============================================================================
# 3. The admin reboots the VPS right after loading its site: 150 s outage
# ============================================================================


def build_outage(outdir):
    fname = "vps_reboot_outage_after_sni_refused_then_unreachable_then_back_sll2.pcapng"
    base = epoch(2025, 3, 4, 9, 12, 0)
    ifc = [dict(link="sll2", ifindex=3, cmac=mac("84:7b:57:2e:90:1c"), gmac=mac("cc:ce:1e:60:4d:a2"), name="any", tsresol=9, os="Linux 6.1.0-28-amd64")]
    cap = Cap(fname, base, ifc, fmt="pcapng", shb=dict(os="Linux 6.1.0-28-amd64", app="Dumpcap (Wireshark) 4.0.17 (Git v4.0.17 packaged as 4.0.17-0+deb12u3)"))
    ctx = Ctx2(cap, 1803, cip="10.0.0.34", cip6="2001:9e8:2d4a:7600:4a1b:c2ff:fe3d:6e5f", resolver="10.0.0.1", rttl=64, dns_rtt=0.016)
    rng = ctx.rng
    VPS, GW, RTT, TTL, GWTTL = "95.217.41.168", "95.217.41.129", 0.0382, 50, 242
    SITE, HOST = "docs.fernwood-labs.io", "vps1.fernwood-labs.io"
    sites = [
        dict(name="www.wikipedia.org", a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cname=["dyna.wikimedia.org"], v6=True, rtt=0.031, ttl=55),
        dict(name="github.com", a=["140.82.121.4"], rtt=0.029, ttl=51, dttl=60),
        dict(name="docs.python.org", a=["151.101.0.223"], aaaa=["2a04:4e42::223"], cname=["dualstack.python.map.fastly.net"], v6=True, rtt=0.014, ttl=57, dttl=30),
        dict(name="www.google.com", a=["142.250.74.100"], aaaa=["2a00:1450:400f:80c::2004"], v6=True, kind="quic", rtt=0.016, ttl=58, resp=40000),
        dict(name="stackoverflow.com", a=["104.18.32.7"], aaaa=["2606:4700::6812:2007"], v6=True, rtt=0.012, ttl=58),
        dict(name="news.ycombinator.com", a=["209.216.230.207"], rtt=0.121, ttl=47),
        dict(name="www.hetzner.com", a=["213.133.116.44"], aaaa=["2a01:4f8:0:a232::2"], v6=True, rtt=0.034, ttl=52),
        dict(name="status.hetzner.com", a=["104.18.6.46"], kind="https", rtt=0.012, ttl=58),
        dict(name="lwn.net", a=["66.228.34.121"], rtt=0.118, ttl=46),
        dict(name="packages.debian.org", a=["209.87.16.38"], aaaa=["2607:f8f0:614:1::1274:38"], v6=True, rtt=0.124, ttl=48),
        dict(name="www.reddit.com", a=["151.101.193.140"], cname=["reddit.map.fastly.net"], rtt=0.014, ttl=57, dttl=30),
        dict(name="fonts.gstatic.com", a=["142.250.74.35"], aaaa=["2a00:1450:400f:801::2003"], v6=True, kind="quic", rtt=0.016, ttl=58, resp=30000),
        dict(name="duckduckgo.com", a=["52.142.124.215"], rtt=0.024, ttl=113, sos="nots"),
        dict(name="www.kernel.org", a=["139.178.84.217"], cname=["git.kernel.org"], rtt=0.101, ttl=49),
    ]
    t = run_visits(ctx, 0.5, sites[:3], gap=(2.0, 5.0), tagp="a")

    # the admin's SSH session to the VPS
    t = ctx.lookup2(t + 1.5, HOST, [VPS], ["2a01:4f9:c012:8d2e::1"], rtt=0.021, tag="sshdns")
    fs = Flow2(ctx, VPS, 22, RTT, TTL)
    fs.hostpoint = b"\x04" + rng.randbytes(64)
    ssh = SSHSession(ctx, fs)
    t = ssh.login(t + 0.0004, "ssh1")
    t = ssh.typing(t + 2.2, 9, out=420)  # e.g. "uptime" + output
    t = run_visits(ctx, t + 1.5, sites[3:5], gap=(2.0, 4.0), tagp="b")

    # the trigger-shaped visit: the site on the VPS, complete and fine; the HTTP/2 connection idles
    t = ctx.lookup2(t + 1.0, SITE, [VPS], cname=[HOST], rtt=0.019, tag="sitedns")
    fw = Flow2(ctx, VPS, 443, RTT, TTL)
    tw = fw.handshake(t + 0.0006, "site")
    tw = tls_after_handshake(ctx, fw, tw, SITE, resp=48000, close=None, profile="chrome", tag="site")
    # the admin types "sudo systemctl reboot" (+ password)
    t = ssh.typing(tw + 6.0, 21)
    t = ssh.typing(t + 0.8, 12)
    T_down = t + 0.35
    # shutdown: sshd's session and nginx's idle keep-alive connection are closed by the server
    ssh.sdata(T_down + 0.05, ssh_enc(rng, 180), tag="sshwall", ack=False)  # broadcast: "The system will reboot now!"
    fs.c(T_down + 0.0501, "A")
    fs.s(T_down + 0.41, "FA", tag="sshfin")
    fs.c_rcv = fs.snxt
    fs.c(T_down + 0.4103, "FA")
    fs.s_rcv = fs.cnxt
    fs.s(T_down + 0.41 + RTT + 0.0001, "A")
    fw.s(T_down + 0.62, "FPA", b"\x17\x03\x03\x00\x13" + rng.randbytes(19), tag="sitefin")
    fw.c_rcv = fw.snxt
    fw.c(T_down + 0.6201, "A")
    fw.c(T_down + 0.6215, "FA")
    fw.s_rcv = fw.cnxt
    fw.s(T_down + 0.6215 + RTT + 0.0001, "A")

    fails = []

    def refused(tt, port, tg):
        f = Flow2(ctx, VPS, port, RTT, TTL)
        f.c(tt, "S", tag=tg + "syn")
        f.srst(tt + RTT + 0.0002, "RA", seq=0, ack=f.ciss + 1, tag=tg + "rst")
        fails.append((tg, port, "refused"))
        return f

    def unreachable(tt, port, tg):
        """the host is gone: SYN, SYN retransmission after 1 s, then the gateway's ICMP host
        unreachable for the first SYN (ARP for the server timed out, ~3 s) ends the connect()"""
        f = Flow2(ctx, VPS, port, RTT, TTL)
        f.c(tt, "S", tag=tg + "syn")
        ip_syn = bytes(cap.recs[-1][3][20:])  # SLL2 header is 20 bytes
        f.c(tt + 1.0, "S", seq=f.ciss)
        icmp = IP(src=GW, dst=ctx.cip, ttl=GWTTL, id=rng.randrange(65536), flags=0) / ICMP(type=3, code=1) / Raw(ip_syn)
        cap.add(tt + 3.02 + RTT / 2, icmp, False, 0, tg + "icmp")
        fails.append((tg, port, "unreachable"))
        return f

    # browser reloads: nginx is stopped but the kernel still answers
    refused(T_down + 3.9, 443, "r1")
    refused(T_down + 5.2, 22, "r2")   # the admin's "ssh vps1" (habit)
    refused(T_down + 6.6, 443, "r3")
    # the machine is down (firmware, boot): no answer, ICMP host unreachable from its gateway
    plan = [(12.0, 443), (21.0, 22), (38.0, 443), (55.0, 22), (79.0, 443), (92.0, 22), (118.0, 443), (131.0, 22)]
    vis = iter(sites[5:])
    tv = T_down + 9.0
    for i, (dt, port) in enumerate(plan):
        unreachable(T_down + dt, port, f"u{i}")
        # ordinary browsing to other sites goes on during the outage
        while tv < T_down + dt + 8.0:
            s_ = next(vis, None)
            if s_ is None:
                tv = 1e9
                break
            tv = ctx.visit(tv, s_, tag=f"o{s_['name']}_") + rng.uniform(1.5, 4.0)
    # booting: the network is up before sshd/nginx are
    refused(T_down + 143.5, 22, "r4")
    T_up = T_down + 147.0
    fs2 = Flow2(ctx, VPS, 22, RTT, TTL)
    fs2.hostpoint = fs.hostpoint
    ssh2 = SSHSession(ctx, fs2)
    t = ssh2.login(T_up + 1.8, "ssh2")
    t = ssh2.typing(t + 2.0, 8, out=640)
    fw2 = Flow2(ctx, VPS, 443, RTT, TTL)
    tw = fw2.handshake(T_up + 6.4, "siteback")
    tw = tls_after_handshake(ctx, fw2, tw, SITE, resp=47000, close="client", profile="chrome", tag="siteback")
    for s_ in vis:
        tv = ctx.visit(max(tv, tw + 1.0), s_, tag=f"o{s_['name']}_") + rng.uniform(1.5, 4.0)

    cap.write(os.path.join(outdir, fname))
    F_ = cap.frame
    t_site, t_wall, t_first_fail, t_back, t_siteback = (trel(cap, x) for x in ("sitesyn", "sshwall", "r1syn", "ssh2syn", "sitebacksyn"))
    refused_fr = [F_(tg + "rst") for tg, p, k in fails if k == "refused"]
    unr = [(F_(tg + "syn"), F_(tg + "icmp"), p) for tg, p, k in fails if k == "unreachable"]
    note = (
        f"Linux laptop (Linux cooked capture v2, pcapng) on a home network; {len(sites)} ordinary visits (TLS over IPv4/IPv6, HTTP/3) go on "
        f"before, during and after the episode. The user administers a VPS {VPS} (TTL {TTL}, RTT 38 ms): an SSH session to {HOST} "
        f"(port 22, frame {F_('ssh1syn')}) and, at t={t_site:.1f} s, the VPS's website {SITE} (DNS frame {F_('sitednsqA')}, SYN frame "
        f"{F_('sitesyn')}, SNI {SITE}): TLS handshake and a 48 kB response complete normally and the HTTP/2 connection stays open. The admin then "
        f"types a reboot command over SSH. At t={t_wall:.1f} s the server closes both of its connections itself, in order: an SSH packet "
        f"(wall message) then the server's FIN on port 22 (frame {F_('sshfin')}), and nginx's close_notify+FIN on the idle HTTPS connection "
        f"(frame {F_('sitefin')}), all TTL {TTL}. From t={t_first_fail:.1f} s new connections fail for ~{t_back - t_first_fail:.0f} s, within the "
        f"documented residual windows (90-180 s) after a request that named {SITE}: first RST+ACK answers to SYNs (connection refused: services "
        f"stopped, kernel still up; frames {', '.join(map(str, refused_fr[:3]))}), then no answer at all, the client's SYN retransmission 1 s "
        f"later, and an ICMP host unreachable (type 3 code 1) from the VPS's gateway {GW} (TTL {GWTTL}, quoting the SYN) about 3 s after each "
        f"SYN - the last-hop router could not ARP the server (SYN/ICMP frame pairs: {', '.join(f'{a}/{b} (port {p})' for a, b, p in unr)}); "
        f"while booting, one more refusal on port 22 (frame {refused_fr[-1]}). At t={t_back:.1f} s SSH connects again (frame {F_('ssh2syn')}, "
        f"same banner, same ECDSA host key) and at t={t_siteback:.1f} s the site loads again with the same SNI on the same {VPS}:443 "
        f"(frame {F_('sitebacksyn')}, TTL {TTL}). Why this is an outage, not residual blocking or IP blackholing: the 'trigger' connection itself "
        f"was never disturbed (full response, closed later by the server's own FIN); the failures hit port 22 (no trigger there, an SSH session "
        f"that the server closed in the same second) exactly like port 443, whereas residual blocking is keyed on the triggering server port; "
        f"the refusals are the server host's own stack RSTs (TTL {TTL} like its SYN/ACKs, IP ID 0, DF, window 0, ack = ISN+1, one per SYN, one "
        f"RTT later); the host-unreachable errors come from the router one hop before the server (TTL {GWTTL} = initial 255 minus 13 hops, the "
        f"server is 14 hops away); and the sequence refused -> unreachable -> refused -> back is a reboot. Every other host works during the "
        f"whole episode."
    )
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)



# ============================================================================
# 4. LTE client: a route change shortens the path to a server by 3 hops mid-session;
#    50 s later the server resets the connection itself (shutdown with unread data)
# ============================================================================


def build_route_change(outdir):
    fname = "route_change_hoplimit_shift_then_server_own_rst_lte_rawip.pcap"
    base = epoch(2025, 5, 20, 7, 48, 0)
    ifc = [dict(link="raw", name="wwan0")]
    cap = Cap(fname, base, ifc, fmt="pcap", endian=">")
    ctx = Ctx2(cap, 1804, cip="100.78.141.22", cip6="2a01:598:b1a2:3c4d:15e9:6f0b:a2c4:7d81", resolver="10.74.210.210", rttl=61,
               dns_rtt=0.034, mss4=1400, mss6=1380)
    rng = ctx.rng
    sites = [
        dict(name="www.google.com", a=["142.250.185.68"], aaaa=["2a00:1450:4001:830::2004"], v6=True, kind="quic", rtt=0.036, ttl=57, resp=35000),
        dict(name="www.wikipedia.org", a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cname=["dyna.wikimedia.org"], v6=True, rtt=0.044, ttl=55),
        dict(name="www.spiegel.de", a=["128.65.210.8"], rtt=0.041, ttl=53),
        dict(name="www.hetzner.com", a=["213.133.116.44"], aaaa=["2a01:4f8:0:a232::2"], v6=True, rtt=0.047, ttl=51),
        dict(name="github.com", a=["140.82.121.4"], rtt=0.052, ttl=50, dttl=60),
        dict(name="www.tagesschau.de", a=["23.47.52.84"], aaaa=["2a02:26f0:b80:e::1f8b"], cname=["www.tagesschau.de.edgekey.net", "e9855.a.akamaiedge.net"], v6=True, rtt=0.031, ttl=58, dttl=20),
        dict(name="api.openweathermap.org", a=["37.139.20.5"], rtt=0.049, ttl=52),
        dict(name="maps.googleapis.com", a=["142.250.186.74"], aaaa=["2a00:1450:4001:82f::200a"], v6=True, kind="quic", rtt=0.036, ttl=57, resp=22000),
        # after the route change: another host in the same provider prefix, 3 hops closer too
        dict(name="docs.hetzner.com", a=["213.133.116.45"], aaaa=["2a01:4f8:0:a232::3"], v6=True, rtt=0.040, ttl=54),
        dict(name="www.heise.de", a=["193.99.144.85"], aaaa=["2a02:2e0:3fe:1001:302::"], v6=True, rtt=0.039, ttl=55),
        dict(name="www.bahn.de", a=["81.200.198.6"], rtt=0.043, ttl=54),
        dict(name="www.dwd.de", a=["141.38.3.83"], rtt=0.044, ttl=53),
        dict(name="www.kicker.de", a=["104.18.4.58"], aaaa=["2606:4700::6812:43a"], v6=True, rtt=0.033, ttl=57),
    ]
    t = run_visits(ctx, 0.4, sites[:3], gap=(1.5, 4.0), tagp="a")

    NAME, MEDIA = "app.tandem-messenger.net", "media.tandem-messenger.net"
    S6, S4 = "2a01:4f8:1c1b:5b7e::1", "49.12.211.97"
    RTT1, RTT2, H1, H2 = 0.048, 0.041, 50, 53
    t = ctx.lookup2(t + 1.0, NAME, [S4], [S6], rtt=0.035, tag="appdns")
    fl = Flow2(ctx, S6, 443, RTT1, H1)
    state = dict(R=None)  # arrival time at the client from which the new path is in use

    def hl(tt):
        return H2 if state["R"] is not None and tt >= state["R"] else H1
    fl.ttl_fn = hl
    ta = fl.handshake(t + 0.0005, "app")
    ta = tls_after_handshake(ctx, fl, ta, NAME, resp=176000, rate=28e6, close=None, profile="chrome", tag="app")

    def push(tt, n, tg=None):
        """server pushes a small message; the client ACKs after its delayed-ACK timer"""
        fl.s(tt, "PA", app_rec(rng, n), tag=tg)
        fl.c_rcv = fl.snxt
        fl.c(tt + 0.04, "A")
        return tt + 0.04

    def csend(tt, n, reply=None, tg=None):
        """client sends a message (or an HTTP/2 PING); server ACKs or answers one RTT later"""
        fl.c(tt, "PA", app_rec(rng, n), tag=tg)
        fl.s_rcv = fl.cnxt
        if reply:
            return push(tt + fl.rtt + rng.uniform(0.003, 0.012), reply)
        fl.s(tt + fl.rtt + 0.0003, "A")
        return tt + fl.rtt

    tt = ta + 2.0
    for dt, kind, n in ((3.1, "push", 210), (4.4, "send", 330), (2.2, "push", 96), (5.0, "ping", 17), (3.3, "push", 380), (4.1, "send", 120)):
        tt += dt
        if kind == "push":
            push(tt, n)
        elif kind == "send":
            csend(tt, n, reply=rng.randrange(60, 140))
        else:
            csend(tt, n + 22, reply=17 + 22)
    # ordinary browsing in parallel
    tb = run_visits(ctx, ta + 1.5, sites[3:5], gap=(3.0, 6.0), tagp="b")
    run_visits(ctx, tb + 2.5, sites[5:8], gap=(2.5, 5.0), tagp="b2")

    # --- route change: ~0.9 s of loss while the carrier's routing reconverges; the
    # client's message is retransmitted twice, then everything from the server arrives
    # over a path 3 hops shorter (hop limit 53 instead of 50) and 7 ms faster
    Rs = tt + 4.6
    msg = app_rec(rng, 240)
    fl.c(Rs, "PA", msg, tag="rcmsg")
    seq_m = fl.cnxt - len(msg)
    fl.c(Rs + 0.262, "PA", msg, seq=seq_m, tag="rcrtx1")
    fl.c(Rs + 0.262 + 0.524, "PA", msg, seq=seq_m, tag="rcrtx2")
    fl.s_rcv = fl.cnxt
    fl.rtt, fl.owd = RTT2, RTT2 / 2
    state["R"] = Rs + 0.786 + 0.01
    tt = push(Rs + 0.786 + RTT2 + 0.006, 118, tg="rcreply")  # its ACK + the reply, hop limit 53
    for dt, kind, n in ((4.0, "push", 260), (6.3, "ping", 17), (3.7, "push", 150), (5.5, "send", 410), (2.9, "push", 330)):
        tt += dt
        if kind == "push":
            push(tt, n)
        elif kind == "send":
            csend(tt, n, reply=rng.randrange(60, 140))
        else:
            csend(tt, n + 22, reply=17 + 22)
    # a second connection to the same server after the change: its SYN/ACK already has hop limit 53
    tm = ctx.lookup2(Rs + 9.0, MEDIA, [S4], [S6], rtt=0.036, tag="mediadns")
    fm = Flow2(ctx, S6, 443, RTT2, H2)
    tm = fm.handshake(tm + 0.0004, "media")
    tm = tls_after_handshake(ctx, fm, tm, MEDIA, resp=412000, rate=26e6, close="client", profile="chrome", tag="media")
    run_visits(ctx, Rs + 3.0, sites[8:10], gap=(3.0, 6.0), tagp="c")

    # --- the server is redeployed: HTTP/2 GOAWAY, then the process closes the socket while the
    # client's PING (sent 15 ms before the GOAWAY arrived) sits unread in its receive buffer ->
    # Linux aborts the connection: one RST+ACK, seq = snd.nxt, ack covering the PING
    G = max(tt, tm) + 20.0
    ts_before = fl.last_cts
    fl.c(G - 0.015, "PA", app_rec(rng, 17), tag="gping")
    ts_ping, fl.last_cts = fl.last_cts, ts_before  # the GOAWAY left before the PING arrived
    fl.s(G, "PA", app_rec(rng, 17), tag="ggoaway")
    fl.last_cts = ts_ping
    fl.c_rcv = fl.snxt
    fl.s_rcv = fl.cnxt
    fl.s(G + 0.030, "RA", tag="grst", win=fl.swin())
    tr = ctx.lookup2(G + 0.032, NAME, [S4], [S6], rtt=0.034, tag="redns")
    fr = Flow2(ctx, S6, 443, RTT2, H2)
    tr = fr.handshake(tr + 0.0005, "reconn")
    tr = tls_after_handshake(ctx, fr, tr, NAME, resp=24000, close=None, profile="chrome", tag="reconn")
    run_visits(ctx, tr + 2.0, sites[10:], gap=(2.0, 5.0), tagp="d")

    cap.write(os.path.join(outdir, fname))
    F_ = cap.frame
    s6b = ipaddress.IPv6Address(S6).packed

    def count(h, port=None):
        return sum(1 for r in cap.recs if r[3][0] >> 4 == 6 and r[3][8:24] == s6b and r[3][7] == h
                   and (port is None or struct.unpack("!H", r[3][42:44])[0] == port))
    n50, n53 = count(H1, fl.sport), count(H2, fl.sport)
    a50, a53 = count(H1), count(H2)
    note = (
        f"Laptop on an LTE modem (raw IP link type, big-endian pcap; CGNAT IPv4 100.78.141.22 and a global IPv6 address; carrier resolver "
        f"10.74.210.210). {len(sites)} ordinary visits. The trap is one long-lived HTTP/2 connection over IPv6 to {NAME} [{S6}] (a Hetzner "
        f"address, 2a01:4f8::/29): SYN frame {F_('appsyn')}, SNI {NAME}, a 176 kB initial sync and then small pushes, messages and PINGs, "
        f"all with hop limit {H1} and RTT 48 ms. At t={trel(cap, 'rcmsg'):.1f} s the carrier's routing reconverges: the client's message "
        f"(frame {F_('rcmsg')}) is lost twice and retransmitted (frames {F_('rcrtx1')}, {F_('rcrtx2')}, RTO 262 ms then doubled), and from "
        f"then on every packet from {S6} arrives with hop limit {H2} and a 41 ms RTT (first: frame {F_('rcreply')}). In this connection {n50} server "
        f"packets carry hop limit {H1} and {n53} carry {H2} (over all connections to the server: {a50} and {a53}). The change is a path change, not a different sender: it starts on ordinary "
        f"data and ACKs, it holds for everything afterwards, a new connection to the same server (SNI {MEDIA}, SYN frame "
        f"{F_('mediasyn')}) gets a SYN/ACK with hop limit {H2} and a 412 kB download at full speed, and another host in the same provider "
        f"prefix (docs.hetzner.com, 2a01:4f8:0:a232::3) answers with hop limit 54 where www.hetzner.com (2a01:4f8:0:a232::2) had 51 before "
        f"the change. About {G - Rs:.0f} s later the service is redeployed: the client sends an HTTP/2 PING (frame {F_('gping')}), 15 ms later "
        f"the server's GOAWAY arrives (frame {F_('ggoaway')}), and 30 ms after that a single RST+ACK from {S6} (frame {F_('grst')}): hop limit "
        f"{H2} (the connection's modal value, dominated by the initial sync, is {H1}: a naive 'RST TTL differs from the server's by +3, i.e. from a "
        f"box closer than the server' reading), 45 ms after the client's data, i.e. about one RTT. It is the server's own abort: Linux closes "
        f"a socket with unread data (the PING) with RST+ACK whose seq is exactly the server's next sequence number after the GOAWAY, whose ack "
        f"covers the PING, and which carries the connection's TCP timestamp option (TSval continuing the server's clock, TSecr echoing the "
        f"PING) and its usual window, as tcp_send_active_reset does; its hop limit equals that of every server packet of the last "
        f"{G - Rs:.0f} s, including the GOAWAY just before it. No data follows the RST, there is one RST only, and the client reconnects at "
        f"once (SYN frame {F_('reconnsyn')}, SNI {NAME}, hop limit {H2}) and the session works again."
    )
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)



# ----------------------------------------------------------------------------
# TCP transfers limited by the receiving application or by the sender's supply
# ----------------------------------------------------------------------------


def recv_limited(fl, t0, data, rcvbuf, prebuffer, read_every, read_size, t_stop, rate=80e6, tag=None):
    """Server->client transfer whose pace is set by the client application: it reads
    everything until `prebuffer` bytes are consumed, then `read_size` bytes every
    `read_every` s.  The client advertises its free receive buffer (rcvbuf minus unread
    bytes; 0 below one MSS); after a read that reopens a closed window it sends a window
    update at once (Linux tcp_cleanup_rbuf).  The sender (slow start, no loss) sends only
    into the advertised window and, facing a zero window, sends persist probes
    (seq = snd.una - 1, no data; tcp_xmit_probe_skb) with exponential backoff.  The
    application stops at t_stop and closes the socket with unread data: client RST+ACK.
    Returns a dict of counters and the time of the last packet."""
    rng = fl.ctx.rng
    owd, mss, ws = fl.owd, fl.seg, fl.cp["ws"]
    base = fl.snxt
    N = len(data)
    ev, cnt = [], itertools.count()

    def push(t, kind, x=None):
        heapq.heappush(ev, (t, next(cnt), kind, x))

    st = dict(snd_nxt=0, snd_una=0, redge=rcvbuf, cwnd=10 * mss, rcv=0, used=0, pend=0, dgen=0, srv=t0, link=0.0,
              probe_on=False, probe_back=0, pgen=0, nzw=0, nprobe=0, nupd=0, last=t0, lastwin=None, zw_tags=[], upd_tags=[])
    rto = max(0.2 + fl.rtt, 0.21)

    def free():
        f = rcvbuf - (st["rcv"] - st["used"])
        return 0 if f < mss else (f >> ws) << ws

    def cack(t, kind="ack"):
        w = free()
        fl.c_rcv = base + st["rcv"]
        tg = None
        if w == 0 and tag:
            st["nzw"] += 1
            tg = f"{tag}zw{st['nzw']}"
            st["zw_tags"].append(tg)
        elif kind == "upd" and tag:
            st["nupd"] += 1
            tg = f"{tag}upd{st['nupd']}"
            st["upd_tags"].append(tg)
        fl.c(t, "A", seq=fl.cnxt, win=w >> ws, tag=tg)
        st["lastwin"] = w
        st["pend"] = 0
        st["last"] = max(st["last"], t)
        push(t + owd, "ackarr", (st["rcv"], w))

    def can_send():
        inflight = st["snd_nxt"] - st["snd_una"]
        room = min(st["redge"], st["snd_una"] + st["cwnd"]) - st["snd_nxt"]
        return st["snd_nxt"] < N and room >= min(mss, N - st["snd_nxt"]) and inflight >= 0

    def send(now):
        while can_send():
            n = min(mss, N - st["snd_nxt"])
            dep = max(now, st["srv"])
            st["srv"] = dep + (n + 80) * 8 / 1e9
            a = max(dep + owd, st["link"])
            st["link"] = a + (n + 52) * 8 / rate
            push(st["link"], "arr", (st["snd_nxt"], n, dep))
            st["snd_nxt"] += n
        if st["snd_nxt"] < N and st["redge"] - st["snd_nxt"] < mss and not st["probe_on"] and st["snd_una"] == st["snd_nxt"]:
            st["probe_on"] = True
            st["pgen"] += 1
            push(now + rto * (2 ** st["probe_back"]), "probe", st["pgen"])

    send(t0)
    next_read = None
    while ev:
        t, _, kind, x = heapq.heappop(ev)
        if t >= t_stop:
            break
        if kind == "arr":
            off, n, dep = x
            end = off + n
            fl.dep_t = dep
            fl.s(t, "PA" if end == N or (off // 16401 != end // 16401) else "A", data[off:end], seq=base + off)
            fl.dep_t = None
            st["last"] = t
            st["rcv"] = max(st["rcv"], end)
            if st["used"] < prebuffer:
                st["used"] = st["rcv"]  # the player is still filling its own buffer: reads at once
                if st["used"] >= prebuffer and next_read is None:
                    next_read = t + read_every
                    push(next_read, "read")
            st["pend"] += 1
            ta = t + rng.uniform(0.00002, 0.00008)
            if st["pend"] >= 2 or free() == 0 or end == N:
                cack(ta)
            else:
                st["dgen"] += 1
                push(t + 0.04, "dack", st["dgen"])
        elif kind == "dack":
            if x == st["dgen"] and st["pend"]:
                cack(t)
        elif kind == "ackarr":
            ackd, w = x
            st["snd_una"] = max(st["snd_una"], ackd)
            st["redge"] = max(st["redge"], ackd + w)
            if st["redge"] - st["snd_nxt"] >= mss:
                st["probe_on"] = False
                st["probe_back"] = 0
            if st["cwnd"] < 400 * mss:
                st["cwnd"] += mss
            send(t)
        elif kind == "probe":
            if x != st["pgen"] or not st["probe_on"]:
                continue
            if st["redge"] - st["snd_nxt"] >= mss:
                st["probe_on"] = False
                continue
            st["nprobe"] += 1
            fl.s(t + owd, "A", seq=base + st["snd_una"] - 1, tag=tag and f"{tag}probe{st['nprobe']}")
            # the client answers the out-of-window probe with an ACK carrying its (zero) window
            fl.c_rcv = base + st["rcv"]
            fl.c(t + owd + rng.uniform(0.00002, 0.00006), "A", seq=fl.cnxt, win=free() >> ws)
            push(t + 2 * owd, "ackarr", (st["rcv"], free()))
            st["probe_back"] += 1
            st["pgen"] += 1
            push(t + rto * (2 ** st["probe_back"]), "probe", st["pgen"])
        elif kind == "read":
            before = free()
            st["used"] = min(st["rcv"], st["used"] + read_size)
            if before < mss <= free() or (before and free() >= 2 * before):
                cack(t + rng.uniform(0.00005, 0.0003), "upd")
            push(t + read_every * rng.uniform(0.97, 1.03), "read")
    # the user stops playback: the player closes the socket with unread bytes -> RST
    fl.snxt = base + st["snd_nxt"]
    fl.c_rcv = base + st["rcv"]
    ts = max(t_stop, st["last"] + 0.01)
    fl.c(ts, "RA", seq=fl.cnxt, win=0, tag=tag and f"{tag}crst")
    st["last"] = ts
    st["delivered"] = st["rcv"]
    return st


def paced_send(fl, t0, data, chunk_every, chunk_size, rate=80e6, tag=None, jitter=0.25):
    """Server->client transfer limited by the sender's supply: the server (a cache filling
    from its origin) has `chunk_size` more bytes every `chunk_every` s and sends each batch
    at once; the client window stays wide open, nothing is lost.  Returns time of last packet."""
    rng = fl.ctx.rng
    owd, mss = fl.owd, fl.seg
    base = fl.snxt
    N = len(data)
    off, t, last, pend = 0, t0, t0, 0
    rcv = 0
    while off < N:
        avail = min(N, off + int(chunk_size * rng.uniform(1 - jitter, 1 + jitter)))
        arr = t + owd
        first = True
        while off < avail:
            n = min(mss, avail - off)
            fl.s(arr, "PA" if off + n == avail else "A", data[off:off + n], seq=base + off, tag=tag and first and off == 0 and f"{tag}data")
            first = False
            off += n
            rcv = off
            pend += 1
            fl.c_rcv = base + rcv
            if pend >= 2:
                fl.c(arr + rng.uniform(0.00002, 0.00008), "A", seq=fl.cnxt)
                pend = 0
            last = arr
            arr += (n + 52) * 8 / rate
        if pend:
            fl.c(last + 0.04, "A", seq=fl.cnxt)
            pend = 0
            last += 0.04
        t += chunk_every * rng.uniform(0.8, 1.2)
    fl.snxt = base + N
    fl.c_rcv = base + N
    return last



# ============================================================================
# 5. Slow but honest transfers next to fast ones from the same server
# ============================================================================


class CapLan(Cap):
    """A capture on a router's LAN bridge: each client has its own MAC address."""

    macmap = {}

    def link(self, iface, ipb, out):
        f = self.ifaces[iface]
        v6 = ipb[0] >> 4 == 6
        cl = (ipb[8:24] if out else ipb[24:40]) if v6 else (ipb[12:16] if out else ipb[16:20])
        m = self.macmap.get(bytes(cl))
        if m is None:
            return super().link(iface, ipb, out)
        save = f["cmac"]
        f["cmac"] = m
        try:
            return super().link(iface, ipb, out)
        finally:
            f["cmac"] = save


def flow_rate(cap, fl, t_from=None):
    """(bytes, seconds, kbit/s) of server->client payload of one flow, first to last data packet"""
    sip = ipaddress.ip_address(fl.sip).packed
    pts = []
    for tns, _, _, b, _ in cap.sorted():
        ipb = b[14:]
        if ipb[0] >> 4 != 4 or ipb[12:16] != sip:
            continue
        ihl = (ipb[0] & 15) * 4
        dp = struct.unpack("!H", ipb[ihl + 2:ihl + 4])[0]
        if dp != fl.sport or ipb[16:20] != ipaddress.ip_address(fl.cip).packed:
            continue
        tl = struct.unpack("!H", ipb[2:4])[0]
        thl = (ipb[ihl + 12] >> 4) * 4
        n = tl - ihl - thl
        if n > 0:
            pts.append((tns / 1e9, n))
    if t_from is not None:
        pts = [p for p in pts if p[0] >= t_from]
    tot = sum(n for _, n in pts)
    dur = pts[-1][0] - pts[0][0]
    return tot, dur, tot * 8 / dur / 1000


def build_slow_honest(outdir):
    fname = "slow_but_honest_zero_window_stream_and_cache_miss_vs_fast_same_server_lanbridge.pcapng"
    base = epoch(2025, 6, 17, 19, 3, 0)
    ifc = [dict(link="eth", cmac=mac("b4:2e:99:7c:0d:51"), gmac=mac("2c:91:ab:4e:03:c7"), name="br-lan", tsresol=9, os="OpenWrt 23.05.5")]
    cap = CapLan(fname, base, ifc, fmt="pcapng", shb=dict(os="Linux 5.15.167", app="tcpdump (libpcap 1.10.4)"))
    cap.macmap = {ipaddress.ip_address("192.168.178.51").packed: mac("5a:1f:c3:09:e2:7d"),
                  ipaddress.ip_address("2003:e5:ef1f:8a00:d8c1:4aff:fe19:3b70").packed: mac("5a:1f:c3:09:e2:7d")}
    ctx = Ctx2(cap, 1805, cip="192.168.178.44", cip6="2003:e5:ef1f:8a00:9c3b:7aa1:d04e:2f16", resolver="192.168.178.1", rttl=64, dns_rtt=0.012)
    rng = ctx.rng
    CDN, CTTL, CRTT = "185.67.45.18", 56, 0.0242
    HOST, WEB = "cdn.wellenfunk-audio.de", "www.wellenfunk-audio.de"
    sites = [
        dict(name="www.google.de", a=["142.250.185.99"], aaaa=["2a00:1450:4001:827::2003"], v6=True, kind="quic", rtt=0.013, ttl=58, resp=30000),
        dict(name="www.wikipedia.org", a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cname=["dyna.wikimedia.org"], v6=True, rtt=0.021, ttl=56),
        dict(name="www.tagesschau.de", a=["23.47.52.84"], aaaa=["2a02:26f0:b80:e::1f8b"], cname=["www.tagesschau.de.edgekey.net", "e9855.a.akamaiedge.net"], v6=True, rtt=0.009, ttl=59, dttl=20),
        dict(name="github.com", a=["140.82.121.4"], rtt=0.026, ttl=51, dttl=60),
        dict(name="www.zeit.de", a=["151.101.2.133"], cname=["zeit.map.fastly.net"], rtt=0.011, ttl=58, dttl=30),
        dict(name="mail.posteo.de", a=["185.67.36.168"], aaaa=["2a05:bc0:1000::168:1"], v6=True, rtt=0.017, ttl=55),
        dict(name="www.heise.de", a=["193.99.144.85"], aaaa=["2a02:2e0:3fe:1001:302::"], v6=True, rtt=0.016, ttl=56),
        dict(name="fonts.gstatic.com", a=["142.250.186.35"], aaaa=["2a00:1450:4001:829::2003"], v6=True, kind="quic", rtt=0.013, ttl=58, resp=24000),
        dict(name="www.reddit.com", a=["151.101.1.140"], cname=["reddit.map.fastly.net"], rtt=0.011, ttl=58, dttl=30),
        dict(name="gpodder.net", a=["46.101.250.145"], rtt=0.029, ttl=52),
        dict(name="www.openstreetmap.org", a=["184.104.179.131"], aaaa=["2001:470:1:fa1::b"], v6=True, rtt=0.031, ttl=52),
        dict(name="www.dwd.de", a=["141.38.3.83"], rtt=0.015, ttl=55),
    ]
    t = run_visits(ctx, 0.5, sites[:3], gap=(1.5, 4.0), tagp="a")
    # the podcast's website, on the same CDN node: fast
    t = ctx.lookup2(t + 1.0, WEB, [CDN], rtt=0.013, tag="webdns")
    _, t = ctx.https(t + 0.0006, CDN, WEB, CRTT, CTTL, resp=160000, rate=90e6, profile="firefox", tag="web_")

    # --- A: the web player streams an episode over HTTPS; the player reads at the audio bitrate
    t = ctx.lookup2(t + 0.8, HOST, [CDN], rtt=0.012, tag="cdndns")
    fa = Flow2(ctx, CDN, 443, CRTT, CTTL)
    ta = fa.handshake(t + 0.0005, "stream")
    ta = tls_open(ctx, fa, ta, HOST, rate=90e6, req=520, tag="stream")
    episode = app_stream(rng, 1800000)
    A0 = ta + fa.owd + 0.004
    stA = recv_limited(fa, A0, episode, rcvbuf=98304, prebuffer=196608, read_every=1.0, read_size=16384, t_stop=A0 + 44.0, rate=90e6, tag="stream")

    # --- B: meanwhile the browser downloads the episode artwork from the same host: full speed
    tb = ctx.https(A0 + 9.3, CDN, HOST, CRTT, CTTL, resp=1450000, rate=92e6, profile="firefox", tag="art_")
    fb, tb = tb
    run_visits(ctx, A0 + 14.0, sites[3:6], gap=(3.0, 6.0), tagp="b")

    # --- C: the podcast app downloads a just-published teaser over plain HTTP: cache MISS,
    # the edge streams it to the client as it arrives from the origin (~1.1 Mbit/s)
    UA = "gPodder/3.11.4 (+https://gpodder.github.io/) Linux"
    path = "/episodes/wf-0413-teaser.mp3"
    body = rng.randbytes(921600)
    T_c = A0 + 47.0
    T_c = ctx.lookup2(T_c, HOST, [CDN], rtt=0.012, tag="gpdns")
    fc = Flow2(ctx, CDN, 80, CRTT, CTTL)
    tc = fc.handshake(T_c + 0.0004, "miss")
    tc = fc.send_c(tc + 0.0003, http_req(HOST, path, UA, [("Accept", "*/*"), ("Accept-Encoding", "identity"), ("Connection", "keep-alive")]), "missget")
    hdr_miss = [("Server", "nginx"), ("Date", httpdate(base + tc + fc.owd)), ("Content-Type", "audio/mpeg"), ("Content-Length", str(len(body))),
                ("Connection", "keep-alive"), ("Last-Modified", httpdate(base + tc - 261)), ("ETag", '"6851bb3c-e1000"'),
                ("Cache-Control", "public, max-age=31536000, immutable"), ("Accept-Ranges", "bytes"), ("Age", "0"),
                ("X-Cache", "MISS"), ("X-Cache-Node", "edge-fra2-07"), ("Via", "1.1 edge-fra2-07 (nginx)")]
    t_first = tc + fc.owd + 0.180  # the edge connects to its origin first
    tcl = paced_send(fc, t_first, http_resp("200 OK", hdr_miss, body), chunk_every=0.1, chunk_size=14000, rate=92e6, tag="missresp", jitter=0.3)
    tcl = fc.close_client(tcl + 0.4, alert=False)

    # --- D: a minute later the phone's podcast app (same LAN, same public address) fetches
    # the same URL: the cache has the object now (HIT), full speed
    phone = Ctx2(cap, 18051, cip="192.168.178.51", cip6="2003:e5:ef1f:8a00:d8c1:4aff:fe19:3b70", resolver="192.168.178.1", rttl=64, dns_rtt=0.012)
    phone.used = ctx.used
    T_d = tcl + 56.0
    T_d = phone.lookup2(T_d, HOST, [CDN], rtt=0.013, tag="phdns")
    fd = Flow2(phone, CDN, 80, CRTT + 0.0031, CTTL)  # the phone is on Wi-Fi: +3 ms
    td = fd.handshake(T_d + 0.0004, "hit")
    td = fd.send_c(td + 0.0003, http_req(HOST, path, "AntennaPod/3.6.1", [("Accept-Encoding", "identity"), ("Connection", "Keep-Alive")]), "hitget")
    age = int(T_d - t_first)
    hdr_hit = [(k, {"Date": httpdate(base + td + fd.owd), "Age": str(age), "X-Cache": "HIT"}.get(k, v)) for k, v in hdr_miss]
    td = bulk_var(fd, td + fd.owd + 0.0011, http_resp("200 OK", hdr_hit, body), 92e6, tag="hitresp")
    td = fd.close_client(td + 0.6, alert=False)

    t = run_visits(ctx, td + 1.5, sites[6:], gap=(2.0, 5.0), tagp="c")

    cap.write(os.path.join(outdir, fname))
    F_ = cap.frame
    ra = flow_rate(cap, fa, t_from=None)
    ra_steady = flow_rate(cap, fa, t_from=(A0 + 12.0) + base)
    rb = flow_rate(cap, fb)
    rc = flow_rate(cap, fc)
    rd = flow_rate(cap, fd)
    zw = stA["zw_tags"]
    note = (
        f"Capture on a home router's LAN bridge (Ethernet, pcapng): a desktop 192.168.178.44 and a phone 192.168.178.51 behind one DSL "
        f"line. {len(sites)} ordinary visits plus four transfers from the same CDN node {CDN} (TTL {CTTL}, RTT 24 ms), two slow and two "
        f"fast, each slow one with its cause visible in the capture. "
        f"(A) Receiver-limited stream: the desktop browser's audio player streams an episode over HTTPS (SNI {HOST}, SYN frame "
        f"{F_('streamsyn')}). After a fast prebuffer the player reads 16 KiB per second (128 kbit/s audio); its receive buffer fills and the "
        f"client advertises a zero window {len(zw)} times (first frame {F_(zw[0])}; Wireshark 'TCP ZeroWindow'), the server sends persist "
        f"probes ({stA['nprobe']}, e.g. frame {F_('streamprobe1')}; seq = snd.una-1, no data, shown as 'TCP Keep-Alive') that the client "
        f"answers with window 0, and each second the client's window update (e.g. frame {F_('streamupd1')}) releases one ~16 KiB burst at "
        f"line rate. Over the whole stream {ra[0]} bytes in {ra[1]:.1f} s = {ra[2]:.0f} kbit/s, after the prebuffer {ra_steady[2]:.0f} "
        f"kbit/s - the range of the documented 130-150 kbit/s SNI throttling - yet no packet is lost or retransmitted in either direction "
        f"(policing drops packets), every pause is a zero window the client itself advertised, and the bursts run at full speed. The stream "
        f"ends when the user stops playback: the player closes the socket with unread data and the desktop's kernel sends RST+ACK "
        f"(frame {F_('streamcrst')}, client to server). "
        f"(B) Meanwhile the same browser downloads the 1.45 MB episode artwork over a new HTTPS connection, same SNI {HOST}, same server "
        f"(SYN frame {F_('art_syn')}), at {rb[2] / 1000:.1f} Mbit/s. "
        f"(C) Origin-limited download: the desktop's podcast app (gPodder, plain HTTP, Host {HOST}) fetches {path} (GET frame "
        f"{F_('missget')}); the response (frame {F_('missrespdata')}) says X-Cache: MISS, Age: 0, Last-Modified four minutes earlier - a "
        f"just-published file the edge is pulling from its origin - and arrives in ~14 kB batches every ~0.1 s with the client's window "
        f"open and nothing lost: {rc[0]} bytes in {rc[1]:.1f} s = {rc[2]:.0f} kbit/s, complete, closed normally with FINs. "
        f"(D) About a minute later the phone's podcast app (AntennaPod) fetches the same URL from the same server (GET frame "
        f"{F_('hitget')}): X-Cache: HIT, Age: {age}, and the same {len(body)}-byte file arrives at {rd[2] / 1000:.1f} Mbit/s. "
        f"So the same server and name deliver ~0.14-1.1 Mbit/s and {min(rb[2], rd[2]) / 1000:.0f}+ Mbit/s side by side, but each slow flow "
        f"is explained inside the capture (the receiver's own zero windows; the cache-MISS headers and the sender-paced, loss-free batches), "
        f"nothing is dropped, and the fast flows use the same SNI/Host: not throttling (fingerprints §15 trap 6)."
    )
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)



# ============================================================================
# 6. Train Wi-Fi via a phone hotspot: a tunnel cuts the link for ~6 s; an HTTP/3 client's
#    Initials go unanswered for three PTO rounds, the fourth gets through
# ============================================================================


class Lossy:
    """independent random loss with probability p (seeded), for bulk drop hooks"""

    def __init__(self, seed, p):
        import random
        self.r, self.p = random.Random(seed), p

    def __call__(self, t, size, end):
        return self.r.random() < self.p


def build_quic_pto(outdir):
    fname = "quic_initial_pto_backoff_through_tunnel_outage_then_ok_train_wifi.pcapng"
    base = epoch(2025, 8, 8, 16, 21, 0)
    ifc = [dict(link="eth", cmac=mac("d8:3a:dd:41:7b:02"), gmac=mac("a6:0e:3b:52:c9:14"), name="wlp2s0", tsresol=6, os="Linux 6.12.38+deb13-amd64")]
    cap = Cap(fname, base, ifc, fmt="pcapng", shb=dict(os="Linux 6.12.38+deb13-amd64", app="Dumpcap (Wireshark) 4.4.7 (Git v4.4.7 packaged as 4.4.7-1)"))
    ctx = Ctx2(cap, 1806, cip="172.20.10.4", cip6="2a01:599:814:73b2:5ac1:9e7f:20d4:1be3", resolver="172.20.10.1", rttl=64, dns_rtt=0.071)
    rng = ctx.rng
    sites = [
        dict(name="www.google.com", a=["142.250.185.100"], aaaa=["2a00:1450:4001:831::2004"], v6=True, kind="quic", rtt=0.074, ttl=56, resp=30000),
        dict(name="www.wikipedia.org", a=["185.15.59.224"], aaaa=["2a02:ec80:300:ed1a::1"], cname=["dyna.wikimedia.org"], v6=True, rtt=0.081, ttl=54, drop=Lossy(61, 0.03)),
        dict(name="www.ndr.de", a=["23.47.49.27"], aaaa=["2a02:26f0:b80:11::1f5b"], cname=["www.ndr.de.edgekey.net", "e7364.a.akamaiedge.net"], v6=True, rtt=0.069, ttl=57, dttl=20, drop=Lossy(62, 0.03)),
        dict(name="github.com", a=["140.82.121.4"], rtt=0.088, ttl=49, dttl=60, drop=Lossy(63, 0.04)),
        dict(name="cdn.jsdelivr.net", a=["104.16.85.20"], aaaa=["2606:4700::6810:5514"], v6=True, kind="quic", rtt=0.072, ttl=56, resp=40000),
        dict(name="www.bahn.de", a=["81.200.198.6"], rtt=0.079, ttl=53, drop=Lossy(64, 0.03)),
        dict(name="www.heise.de", a=["193.99.144.85"], aaaa=["2a02:2e0:3fe:1001:302::"], v6=True, rtt=0.077, ttl=55, drop=Lossy(65, 0.03)),
        dict(name="fonts.gstatic.com", a=["142.250.186.35"], aaaa=["2a00:1450:4001:829::2003"], v6=True, kind="quic", rtt=0.074, ttl=56, resp=26000),
        dict(name="pypi.org", a=["151.101.0.223"], aaaa=["2a04:4e42::223"], v6=True, rtt=0.071, ttl=57, drop=Lossy(66, 0.03)),
        dict(name="www.openstreetmap.org", a=["184.104.179.131"], aaaa=["2001:470:1:fa1::b"], v6=True, rtt=0.094, ttl=51, drop=Lossy(67, 0.03)),
        dict(name="www.dwd.de", a=["141.38.3.83"], rtt=0.078, ttl=54, drop=Lossy(68, 0.03)),
        dict(name="news.ycombinator.com", a=["209.216.230.207"], rtt=0.182, ttl=46, drop=Lossy(69, 0.03)),
    ]
    t = run_visits(ctx, 0.5, sites[:4], gap=(2.0, 5.0), tagp="a")

    NAME, S6, H, RTT = "api.rheinufer-radio.de", "2606:4700:3031::6815:3f76", 57, 0.076
    # the HTTP/3-only client (curl --http3-only) resolves the name first: fine
    T = t + 2.0
    T = ctx.lookup2(T, NAME, ["104.21.63.118", "172.67.144.201"], [S6, "2606:4700:3037::ac43:90c9"], rtt=0.072, tag="h3dns")
    # the train enters a tunnel: nothing crosses the LTE link from OUT0 to OUT1
    OUT0, OUT1 = T + 0.12, T + 6.45

    def out(tt):
        return OUT0 <= tt < OUT1

    # (1) a TLS download that is under way when the link drops: it stalls, its server's RTO
    # backs off, the transfer resumes after the tunnel
    tv = ctx.lookup2(T - 1.6, "www.tagesschau.de", ["23.47.52.84"], ["2a02:26f0:b80:e::1f8b"], cname=["www.tagesschau.de.edgekey.net", "e9855.a.akamaiedge.net"], ttl_a=20, rtt=0.07, tag="dlgdns")
    fdl = Flow2(ctx, "2a02:26f0:b80:e::1f8b", 443, 0.068, 57)
    tdl = fdl.handshake(tv + 0.0005, "dl")
    tdl = tls_open(ctx, fdl, tdl, "www.tagesschau.de", rate=20e6, tag="dl")

    tdl = bulk_var(fdl, tdl + fdl.owd + 0.02, b"".join(app_rec(rng, 240) for _ in range(2)) + app_stream(rng, 3400000), 9e6,
                   drop_arr=out, rev_drop=out, tag="dlresp")
    dl_nrto = fdl.nrto
    tdl = fdl.close_client(tdl + 0.4)

    # (2) the HTTP/3 client: Initials at 0, +1, +3, +7 s (PTO 999 ms, doubled); the first
    # three are lost in the tunnel, the fourth is answered; same connection IDs throughout
    q = ctx.quic(T + 0.4, S6, NAME, RTT, H, resp=3600, lost_initials=3, pto=0.999, tag="h3", profile="curl", init_size=1200, idle=0.004, rate=30e6)
    # (3) a browser tab opens a new TCP connection during the tunnel: SYN, retransmissions after
    # 1 s and 2 s more, the third retransmission (4 s later) is answered
    fn = Flow2(ctx, "2a02:26f0:b80:11::1f5b", 443, 0.069, 57)
    ts = T + 1.9
    fn.c(ts, "S", tag="tsyn")
    fn.c(ts + 1.0, "S", seq=fn.ciss, tag="tsynr1")
    fn.c(ts + 3.0, "S", seq=fn.ciss, tag="tsynr2")
    fn.c(ts + 7.0, "S", seq=fn.ciss, tag="tsynr3")
    fn.c_rcv, fn.s_rcv = fn.siss + 1, fn.ciss + 1
    fn.s(ts + 7.0 + fn.rtt, "SA", tag="tsynack")
    fn.c(ts + 7.0 + fn.rtt + 0.0001, "A")
    tn = tls_after_handshake(ctx, fn, ts + 7.0 + fn.rtt + 0.0001, "www.ndr.de", resp=64000, close="client", profile="chrome", tag="tn")
    # (4) a DNS lookup in the tunnel: the hotspot's forwarder cannot reach upstream; the stub
    # retransmits after 5 s (same id, same port) and gets its answer
    sport = ctx.port()
    ida, ip_q = rng.randrange(65536), rng.randrange(65536)
    qn = "img.ndr.de"
    qa = ck.dns_msg(ida, 0x0100, qn, "A")
    ctx.udp(T + 1.2, ctx.cip, ctx.resolver, sport, 53, qa, 64, True, ip_q, tag="tdnsq1")
    ctx.udp(T + 6.2, ctx.cip, ctx.resolver, sport, 53, qa, 64, True, ip_q + 1, tag="tdnsq2")
    ra = ck.dns_msg(ida, 0x8180, qn, "A", chain(qn, ["img.ndr.de.edgekey.net", "e7364.a.akamaiedge.net"], ["23.47.49.27"], 300, 20))
    ctx.udp(T + 6.2 + 0.41, ctx.resolver, ctx.cip, 53, sport, ra, 64, False, rng.randrange(65536), df=False, tag="tdnsr")

    t = max(q["end"], tn, tdl) + 2.0
    # a second run of the same HTTP/3 client a little later: answered at once
    ctx.quic(t + 14.0, S6, NAME, RTT, H, resp=3600, tag="h3b", profile="curl", init_size=1200, idle=0.004, rate=30e6)
    run_visits(ctx, t + 1.5, sites[4:], gap=(2.0, 5.0), tagp="b")

    cap.write(os.path.join(outdir, fname))
    F_ = cap.frame
    tr = lambda x: trel(cap, x)  # noqa: E731
    ini = [F_(x) for x in q["initials"]]
    note = (
        f"Laptop on a long-distance train, on a phone's Wi-Fi hotspot (172.20.10.4 and a mobile IPv6 address; resolver 172.20.10.1 = the "
        f"phone), RTT 70-90 ms with some random loss (TCP retransmissions and SACK recovery in several of the {len(sites)} ordinary visits). "
        f"From t={OUT0 - (cap.sorted()[0][0] / 1e9 - base):.1f} s to t={OUT1 - (cap.sorted()[0][0] / 1e9 - base):.1f} s the train is in a tunnel "
        f"and nothing crosses the LTE link in either direction. An HTTP/3-only client (curl --http3-only, 1200-byte Initials) connects to "
        f"{NAME} [{S6}, Cloudflare] just as the tunnel starts: Initial packets at t={tr(q['initials'][0]):.1f}, {tr(q['initials'][1]):.1f}, "
        f"{tr(q['initials'][2]):.1f} and {tr(q['initials'][3]):.1f} s (frames {', '.join(map(str, ini))}; PTO 999 ms doubled each time, "
        f"RFC 9002) - the same DCID {q['odcid']}, SCID {q['scid']}, source port {q['sport']} and ClientHello (SNI {NAME}) in each, packet "
        f"numbers 0-3. The first three get no answer (7 s of silence after a QUIC Initial naming the host); the fourth is answered 76 ms later "
        f"(frame {F_('h3sinit')}): the server's Initial decrypts with the client-DCID keys and its ACK frame acknowledges packet number 3 only "
        f"- the server never saw packets 0-2 - followed by the Handshake packets, the client's Finished and a normal 1-RTT response; a second "
        f"run 14 s later is answered at once (frame {F_('h3binit0')}). The same outage hits every flow at the same moment, which is what "
        f"shows it is the link and not a filter keyed on QUIC or on the name: a TLS download from another server that was under way stalls "
        f"(no server segment between t={OUT0 - (cap.sorted()[0][0] / 1e9 - base):.1f} and the end of the tunnel, the server's RTO backs off "
        f"{dl_nrto} times, then the transfer resumes - its first segment a spurious retransmission, because the client's ACKs were lost in "
        f"the tunnel too - and completes); a new TCP connection to a third server sends its SYN at "
        f"t={tr('tsyn'):.1f} s (frame {F_('tsyn')}) and retransmits it after 1, 3 and 7 s (frames {F_('tsynr1')}, {F_('tsynr2')}, "
        f"{F_('tsynr3')}), the last one answered (frame {F_('tsynack')}); and a DNS query to the phone (frame {F_('tdnsq1')}) goes unanswered "
        f"until the stub's retransmission 5 s later (frame {F_('tdnsq2')}, answer frame {F_('tdnsr')}). No blackhole, no SNI filtering: QUIC "
        f"to this server with this SNI works as soon as the link is back, in the very same connection attempt, and again 14 s later."
    )
    return fname, dict(expect=[], allow=[], observations_ok=True, note=note)


BUILDERS = [build_geosat, build_resolver_retry, build_outage, build_route_change, build_slow_honest, build_quic_pto]


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: blind18_benign.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    only = sys.argv[2:]
    expect = {}
    for b in BUILDERS:
        if only and b.__name__ not in only:
            continue
        fname, e = b(outdir)
        expect[fname] = e
    if not only:
        with open(os.path.join(outdir, "expect.json"), "w") as fh:
            json.dump(expect, fh, indent=2, sort_keys=True)
            fh.write("\n")


if __name__ == "__main__":
    main()
