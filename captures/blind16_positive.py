#!/usr/bin/env python3
# ruff: noqa: B905, E501, E741, I001, RUF012, RUF046, RUF059, RUF100, UP012, UP031
"""Blind round 16, positive captures: censorship seen from a vantage point other than the
user's own machine (router LAN+WAN, ISP access tap, a server abroad, a campus border mirror,
a tethering phone, an ISP SPAN port).

usage: python blind16_positive.py OUTDIR

Every random choice is seeded: two runs give byte-identical files."""
import gzip
import ipaddress
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blind_kit as K  # noqa: E402
from blind_kit import quic_server_hello  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from generate import protect, quic_initial_keys  # noqa: E402
from scapy.all import TCP, UDP, Raw, raw  # noqa: E402

mac = K.mac
mk_ip = K.mk_ip

# ----------------------------------------------------------------------------
# checksums and in-flight rewriting (what a router / NAT does to a packet)
# ----------------------------------------------------------------------------


def csum(b):
    if len(b) % 2:
        b = bytes(b) + b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def fix_l4(b):
    """recompute the TCP/UDP checksum (and the IPv4 header checksum) of a bytearray"""
    if b[0] >> 4 == 4:
        ihl = (b[0] & 15) * 4
        b[10:12] = b"\0\0"
        b[10:12] = struct.pack("!H", csum(b[:ihl]))
        proto, l4 = b[9], ihl
        pseudo = bytes(b[12:20]) + struct.pack("!BBH", 0, proto, len(b) - ihl)
    else:
        proto, l4 = b[6], 40
        pseudo = bytes(b[8:40]) + struct.pack("!IxxxB", len(b) - 40, proto)
    off = {6: 16, 17: 6}.get(proto)
    if off is None:
        return b
    b[l4 + off:l4 + off + 2] = b"\0\0"
    c = csum(pseudo + bytes(b[l4:]))
    if proto == 17 and c == 0:
        c = 0xFFFF
    b[l4 + off:l4 + off + 2] = struct.pack("!H", c)
    return b


def xform(ipb, out, v, rng):
    """The packet as it looks at this view: hop count, NAT, MSS clamping."""
    h = v.get("hout" if out else "hin", 0)
    nat = v.get("nat")
    mss = v.get("mss", {}).get("out" if out else "in")
    if not h and not nat and not mss:
        return ipb
    b = bytearray(ipb)
    v4 = b[0] >> 4 == 4
    l4 = (b[0] & 15) * 4 if v4 else 40
    proto = b[9] if v4 else b[6]
    touched = False
    if h:
        ti = 8 if v4 else 7
        b[ti] = b[ti] - h if out else b[ti] + h
        assert 0 < b[ti] < 256
    if nat and v4 and proto in (6, 17):
        inside, outside = (socket_aton(nat["in"]), socket_aton(nat["out"]))
        if out and bytes(b[12:16]) == inside:
            b[12:16] = outside
            sp = struct.unpack("!H", b[l4:l4 + 2])[0]
            key = (proto, sp)
            if key not in nat["map"]:
                p = sp if nat.get("keep") else None
                while p is None or p in nat["used"]:
                    p = rng.randrange(nat.get("lo", 50001), nat.get("hi", 65535))
                nat["used"].add(p)
                nat["map"][key] = p
            b[l4:l4 + 2] = struct.pack("!H", nat["map"][key])
            touched = True
        elif not out and bytes(b[16:20]) == inside:
            b[16:20] = outside
            dp = struct.unpack("!H", b[l4 + 2:l4 + 4])[0]
            b[l4 + 2:l4 + 4] = struct.pack("!H", nat["map"][(proto, dp)])
            touched = True
    if mss and proto == 6 and b[l4 + 13] & 0x02:
        doff = (b[l4 + 12] >> 4) * 4
        i = l4 + 20
        while i < l4 + doff:
            k = b[i]
            if k == 0:
                break
            if k == 1:
                i += 1
                continue
            if k == 2:
                b[i + 2:i + 4] = struct.pack("!H", mss)
                touched = True
            i += b[i + 1]
    if touched:
        fix_l4(b)
    elif h and v4:
        b[10:12] = b"\0\0"
        b[10:12] = struct.pack("!H", csum(b[:l4]))
    return bytes(b)


def socket_aton(a):
    return ipaddress.ip_address(a).packed


# ----------------------------------------------------------------------------
# a capture with views: one packet of the modelled conversation may be seen on
# several capture interfaces (router LAN and WAN), each with its own time offset,
# hop count, NAT and link layer
# ----------------------------------------------------------------------------


class VCap(K.Cap):
    linktypes = {"eth": 1, "vlan": 1, "ppq": 1, "sll": 113, "sll2": 276, "raw": 101, "null": 0}

    def __init__(self, fname, base, ifaces, routes, fmt="pcap", endian="<", nsec=False, shb=None, seed=0):
        super().__init__(fname, base, ifaces, fmt, endian, nsec, shb)
        self.routes = routes
        self.nrng = random.Random(seed)

    def add(self, t, pkt, out, iface=0, tag=None):
        ipb = pkt if isinstance(pkt, bytes) else raw(pkt)
        for v in self.routes[iface]:
            b = xform(ipb, out, v, self.nrng)
            tv = t + (v.get("a", 0.0) if out else -v.get("b", 0.0))
            self.put(tv, b, out, v, tag and tag + v.get("sfx", ""))

    def put(self, t, pkt, out, v, tag=None):
        ipb = pkt if isinstance(pkt, bytes) else raw(pkt)
        tns = self.base * 1_000_000_000 + int(round(t * 1e9))
        self.recs.append((tns, len(self.recs), v["ifc"], self.vlink(v, ipb, out), tag))
        self._sorted = None

    def vlink(self, v, ipb, out):
        f = self.ifaces[v["ifc"]]
        k = f["link"]
        L = v.get("L", {})
        v6 = ipb[0] >> 4 == 6
        et = 0x86DD if v6 else 0x0800
        tx = v.get("tx_out", False) if out else v.get("tx_in", False)
        if k == "raw":
            return ipb
        if k == "null":
            return struct.pack(self.endian + "I", L.get("af6", 28) if v6 else 2) + ipb
        src, dst = (L["cmac"], L["gmac"]) if out else (L["gmac"], L["cmac"])
        if k in ("sll", "sll2"):
            pt = 4 if tx else L.get("pktin", 0)
            if k == "sll":
                body = struct.pack("!HHH", pt, 1, 6) + src + b"\0\0" + struct.pack("!H", et) + ipb
            else:
                body = struct.pack("!HHIHBB", et, 0, L["ifindex"], 1, pt, 6) + src + b"\0\0" + ipb
            if not tx and len(ipb) < 46:
                body += b"\0" * (46 - len(ipb))
            return body
        if k == "eth":
            fr = dst + src + struct.pack("!H", et) + ipb
        elif k == "vlan":
            fr = dst + src + struct.pack("!HHH", 0x8100, (L.get("pcp", 0) << 13) | L["vlan"], et) + ipb
        elif k == "ppq":  # PPPoE session inside 802.1ad + 802.1Q (access network)
            ppp = struct.pack("!H", 0x0057 if v6 else 0x0021) + ipb
            fr = (dst + src + struct.pack("!HH", 0x88A8, L["svlan"]) + struct.pack("!HH", 0x8100, (L.get("pcp", 0) << 13) | L["vlan"])
                  + struct.pack("!HBBHH", 0x8864, 0x11, 0, L["sess"], len(ppp)) + ppp)
        else:
            raise ValueError(k)
        if not tx and len(fr) < 60:
            fr += b"\0" * (60 - len(fr))
        return fr


def view(ifc, L=None, a=0.0, b=0.0, hout=0, hin=0, nat=None, tx_out=False, tx_in=False, sfx="", mss=None):
    return dict(ifc=ifc, L=L or {}, a=a, b=b, hout=hout, hin=hin, nat=nat, tx_out=tx_out, tx_in=tx_in, sfx=sfx, mss=mss or {})


def nat(inside, outside, lo=50001, hi=65535, shared=None):
    return dict(**{"in": inside, "out": outside}, map={}, used=shared if shared is not None else set(), lo=lo, hi=hi)


# ----------------------------------------------------------------------------
# client stacks (Windows added; capkit's table has Linux, macOS, CDN servers)
# ----------------------------------------------------------------------------

PROFILES = dict(K.PROFILES)
PROFILES["win"] = dict(synwin=64240, ws=8, ts=False, win0=1026)
PROFILES["iis"] = dict(synwin=65535, ws=8, ts=False, win0=1026)
PROFILES["fbsd"] = dict(synwin=65535, ws=6, ts=True, win0=1027)


class Flow(K.Flow):
    profiles = PROFILES

    def __init__(self, ctx, *a, **kw):
        super().__init__(ctx, *a, **kw)
        self.sackp = True

    def _opts(self, out, t, flags, sack=None):
        if out and "S" in flags and self.ctx.cos == "win":
            return [("MSS", self.cmss), ("NOP", None), ("WScale", 8), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
        return super()._opts(out, t, flags, sack)

    def cwin(self):
        if self.ctx.cos == "win":
            inorder = (self.c_rcv - self.siss) & 0xFFFFFFFF if self.c_rcv else 0
            return min(1026 + inorder // 256, 1026 * 4)
        return super().cwin()


class Ctx(K.Ctx):
    flow_class = Flow

    def __init__(self, cap, seed, **kw):
        super().__init__(cap, seed, **kw)
        self.gid = self.rng.randrange(1, 65536)

    def port(self):
        lo, hi = (49152, 65535) if self.cos in ("win", "mac") else (32768, 60999)
        while True:
            p = self.rng.randrange(lo, hi)
            if p not in self.used:
                self.used.add(p)
                return p

    def ipid(self, fl):
        if self.cos == "win":  # one global counter
            v = self.gid
            self.gid = (self.gid + 1) & 0xFFFF
            return v
        return super().ipid(fl)


def rst_from_client(fl, t, seq, tag=None, ack=None):
    """The client kernel's answer to a segment for a connection it no longer has."""
    ctx = fl.ctx
    ipid = 0 if ctx.cos in ("linux", "android") else ctx.ipid(fl)
    ip = mk_ip(fl.cip, fl.sip, ctx.cttl, ipid, True, fl.cfl)
    tcp = TCP(sport=fl.sport, dport=fl.dport, seq=seq & 0xFFFFFFFF, ack=(ack or 0) & 0xFFFFFFFF, flags="RA" if ack is not None else "R", window=0)
    fl.cap.add(t, ip / tcp, True, fl.iface, tag)


def srv_pkt(fl, t, flags, seq, ack, payload=b"", ttl=None, ipid=None, df=True, win=None, opts=None, tag=None):
    """A packet with the server's addresses, built by hand (forged or genuine)."""
    ip = mk_ip(fl.sip, fl.cip, ttl or fl.sttl, ipid if ipid is not None else 0, df, fl.sfl)
    tcp = TCP(sport=fl.dport, dport=fl.sport, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF, flags=flags, window=fl.swin() if win is None else win, options=opts or [])
    fl.cap.add(t, ip / tcp / Raw(payload) if payload else ip / tcp, False, fl.iface, tag)


def gz(data):
    return gzip.compress(data, compresslevel=6, mtime=0)


HTTP_DATE = "%a, %d %b %Y %H:%M:%S GMT"


def http_date(ts):
    import time
    return time.strftime(HTTP_DATE, time.gmtime(ts))


# ----------------------------------------------------------------------------
# DNS through a forwarder (host -> router on the LAN, router -> upstream on the WAN)
# ----------------------------------------------------------------------------


def dns_pkt(cap, t, route, src, dst, sport, dport, msg, out, ttl, ipid, df, tag=None, fl=0):
    cap.add(t, mk_ip(src, dst, ttl, ipid, df, fl) / UDP(sport=sport, dport=dport) / Raw(msg), out, route, tag)


def fwd_lookup(host, rtr, t, qname, answers, up_rtt, host_route, rtr_route, tag=None, cache=False, rttl_up=None, rtr_ipid=None):
    """answers: list of (qtype, answer list, rcode flags).  The host asks the router; the
    router (unless cache) asks its upstream; both answers go back.  Returns the last time."""
    rng = host.rng
    sport = host.port()
    qid = rng.randrange(1, 65536)
    tq = t
    last = t
    for i, (qt, ans, rfl) in enumerate(answers):
        txid = rng.randrange(65536)
        q = K.dns_msg(txid, 0x0100, qname, qt, edns=host.edns)
        dns_pkt(host.cap, tq, host_route, host.cip, host.resolver, sport, 53, q, True, host.cttl, qid + i, host.cos != "win", tag and f"{tag}q{qt}")
        if cache:
            ta = tq + rng.uniform(0.00015, 0.0004)
        else:
            tu = tq + rng.uniform(0.00012, 0.0003)
            utx, up = rtr.rng.randrange(65536), rtr.rng.randrange(1024, 65535)
            uq = K.dns_msg(utx, 0x0100, qname, qt, edns=1232)
            dns_pkt(rtr.cap, tu, rtr_route, rtr.cip, rtr.resolver, up, 53, uq, True, rtr.cttl, rtr_ipid(), False)
            tr = tu + up_rtt * rng.uniform(0.95, 1.1)
            ur = K.dns_msg(utx, rfl, qname, qt, ans, edns=1232)
            dns_pkt(rtr.cap, tr, rtr_route, rtr.resolver, rtr.cip, 53, up, ur, False, rttl_up or rtr.rttl, rng.randrange(65536), False)
            ta = tr + rng.uniform(0.00008, 0.0002)
        r = K.dns_msg(txid, rfl, qname, qt, ans, edns=host.edns)
        dns_pkt(host.cap, ta, host_route, host.resolver, host.cip, 53, sport, r, False, 64, rtr_ipid(), False, tag and f"{tag}r{qt}")
        tq += rng.uniform(0.00003, 0.0001)
        last = max(last, ta)
    return last


class Counter:
    def __init__(self, rng):
        self.v = rng.randrange(1, 65536)

    def __call__(self):
        self.v = (self.v + 1) & 0xFFFF
        return self.v


# ----------------------------------------------------------------------------
# capture 1: office router (OPNsense), LAN igb1 + WAN pppoe0, Iran, HTTP block page
# injected on the path, racing the genuine response (HTTP-01)
# ----------------------------------------------------------------------------

IR_BLOCKPAGE = (b'HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
                b'<title>M1-2\r\n</title></head><body><iframe src="http://10.10.34.34?type=Invalid Site&policy=MainPolicy " style="width: 100%; height: 100%" '
                b'scrolling="no" marginwidth="0" marginheight="0" frameborder="0" vspace="0" hspace="0"></iframe></body></html>\r\n\r\n')


def cap_office_router(outdir):
    fname = "b16p_office_router_lan_wan_ir_http_inject.pcapng"
    base = K.epoch(2023, 5, 14, 6, 11, 42)
    R_LAN = mac("00:0d:b9:5a:3c:12")
    ifaces = [dict(name="igb1", link="eth", tsresol=6, os="FreeBSD 13.2-RELEASE-p3"),
              dict(name="pppoe0", link="null", tsresol=6, os="FreeBSD 13.2-RELEASE-p3")]
    WAN = "5.202.94.17"
    used = set()
    hosts = {"A": ("192.168.10.23", "18:db:f2:4e:07:9c"), "B": ("192.168.10.41", "3c:a9:f4:1b:62:d0"), "C": ("192.168.10.57", "a4:83:e7:2c:91:5e")}
    routes = {"R": [view(1, tx_out=True)]}
    for k, (ip, m) in hosts.items():
        lan = dict(cmac=mac(m), gmac=R_LAN)
        # the router's LAN NIC sees a host's packet ~80 us after it left the host; the WAN
        # copy leaves ~130 us later with the TTL decremented, NATed and the MSS clamped
        routes[k] = [view(0, lan, a=0.00008, b=0.00005, tx_in=True, mss={"in": 1452}),
                     view(1, a=0.00021, b=0.00017, hout=1, hin=1, nat=nat(ip, WAN, shared=used), tx_out=True, sfx="@wan", mss={"out": 1452, "in": 1460})]
        routes["L" + k] = [view(0, lan, tx_in=True)]
    cap = VCap(fname, base, ifaces, routes, fmt="pcapng", shb=dict(os="FreeBSD 13.2-RELEASE-p3", app="Dumpcap (Wireshark) 4.0.8 (Git v4.0.8 packaged as 4.0.8)"), seed=1601)
    rng = random.Random(16011)
    rid = Counter(rng)  # FreeBSD: one sequential IP ID counter for the router's own packets
    rtr = Ctx(cap, 16012, cip=WAN, cos="linux", cttl=64, iface="R", resolver="217.218.127.127", rttl=58)
    A = Ctx(cap, 16013, cip=hosts["A"][0], cos="linux", cttl=64, iface="A", resolver="192.168.10.1", mss4=1460)
    B = Ctx(cap, 16014, cip=hosts["B"][0], cos="win", cttl=128, iface="B", resolver="192.168.10.1")
    C = Ctx(cap, 16015, cip=hosts["C"][0], cos="mac", cttl=64, iface="C", resolver="192.168.10.1")
    for c in (A, B, C):
        c.edns = None

    # --- ordinary office traffic
    t = fwd_lookup(B, rtr, 0.412, "www.digikala.com", [("A", K.chain("www.digikala.com", [], ["185.143.233.120"], 0, 120), 0x8180), ("AAAA", [], 0x8180)], 0.0061, "LB", "R", rtr_ipid=rid)
    B.https(t + 0.004, "185.143.233.120", "www.digikala.com", 0.0093, 56, resp=64000, rate=40e6, profile="chrome", sos="cdn", smss=1452)
    t = fwd_lookup(C, rtr, 2.133, "www.aparat.com", [("A", K.chain("www.aparat.com", [], ["185.147.178.12", "185.147.178.13"], 0, 300), 0x8180), ("AAAA", [], 0x8180)], 0.0058, "LC", "R", rtr_ipid=rid)
    C.https(t + 0.002, "185.147.178.12", "www.aparat.com", 0.0114, 57, resp=38000, rate=30e6, profile="chrome", sos="linuxsrv", smss=1452)

    # --- host A, control: a plain-HTTP page abroad that is not blocked
    t = fwd_lookup(A, rtr, 5.020, "neverssl.com", [("A", K.chain("neverssl.com", [], ["34.223.124.45"], 0, 60), 0x8180), ("AAAA", [], 0x8180)], 0.0059, "LA", "R", rtr_ipid=rid)
    body = (b"<html>\n<head>\n<title>NeverSSL - Connecting ... </title>\n</head>\n<body>\n<h1>NeverSSL</h1>\n<p>This website is for when you try to open Facebook, Google or Amazon on a wifi network, "
            b"and nothing happens. Type \"http://neverssl.com\" into your browser's url bar, and you'll be able to connect.</p>\n</body>\n</html>\n") * 3
    A.http(t + 0.0007, "34.223.124.45", "neverssl.com", 0.1662, 39, headers=(("Content-Type", "text/html"), ("Content-Length", str(len(body))), ("Connection", "keep-alive"),
                                                                             ("Last-Modified", "Wed, 22 Mar 2023 22:39:50 GMT"), ("Server", "AmazonS3")), body=body, close="client", tag="nev")

    # --- host A: http://www.balatarin.com/ (address from the browser's cache)
    BAL = "88.99.142.51"
    fl = Flow(A, BAL, 80, 0.1284, 46, sos="linuxsrv", smss=1452)
    t = fl.handshake(9.317, "bal")
    req = ("GET / HTTP/1.1\r\nHost: www.balatarin.com\r\nUser-Agent: Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:112.0) Gecko/20100101 Firefox/112.0\r\n"
           "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\n"
           "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").encode()
    tg = t + 0.00041
    fl.send_c(tg, req, "balget")
    c_after, s1 = fl.cnxt, fl.snxt
    get_tsval = fl.last_cts
    P = len(IR_BLOCKPAGE)
    # the injector (a few hops into the ISP) answers 5.4 ms after the GET: FIN+PSH+ACK, no TCP options,
    # its own TTL and IP ID, DF clear
    ti = tg + 0.00537
    srv_pkt(fl, ti, "FPA", s1, c_after, IR_BLOCKPAGE, ttl=59, ipid=0x4E2B, df=False, win=8192, tag="balinj")
    fl.c_rcv = s1 + P + 1
    fl.c(ti + 0.000041, "A")
    fl.c(ti + 0.00118, "FA", tag="balfin")
    tfin = ti + 0.00118
    # the genuine answer (sent by the server 3 ms after the GET reached it) races in one RTT later
    page = K.html_body(rng, 15500, "Balatarin")
    gzb = gz(page)
    resp = (f"HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: {http_date(base + tg + fl.owd)}\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: {len(gzb)}\r\n"
            "Connection: keep-alive\r\nVary: Accept-Encoding\r\nContent-Encoding: gzip\r\nX-Frame-Options: SAMEORIGIN\r\n\r\n").encode() + gzb
    tr = tg + fl.rtt + 0.0031
    fin_tsval, fl.last_cts = fl.last_cts, get_tsval  # the server answered before the FIN reached it
    off = 0
    k = 0
    while off < len(resp):
        chunk = resp[off:off + fl.seg]
        fl.s(tr, "PA" if off + len(chunk) >= len(resp) else "A", chunk, seq=s1 + off, ack=c_after, tag=f"balgen{k}")
        # Linux in LAST_ACK: new data after the FIN it already accepted -> reset; afterwards the
        # socket is gone and every further segment draws a plain RST
        rst_from_client(fl, tr + 0.000034, c_after, tag=f"balrst{k}")
        off += len(chunk)
        tr += 0.00012
        k += 1
    # the server accepted the client's FIN (it acked bytes the server had sent) and closes too
    tsf = tfin + fl.rtt + 0.00021
    fl.last_cts = fin_tsval
    fl.s(max(tsf, tr + 0.0001), "FA", seq=s1 + len(resp), ack=c_after + 1, tag="balsfin")
    rst_from_client(fl, max(tsf, tr + 0.0001) + 0.00003, c_after + 1)

    # --- the browser renders the block page: its iframe is fetched from the block-page server
    ifr_body = ("<!DOCTYPE html>\n<html dir=\"rtl\" lang=\"fa\"><head><meta charset=\"utf-8\"><title>peyvandha</title>"
                "<link rel=\"stylesheet\" href=\"http://10.10.34.34/style.css\"></head><body><div class=\"box\">"
                "<h2>\u062f\u0633\u062a\u0631\u0633\u06cc \u0628\u0647 \u0627\u06cc\u0646 \u062a\u0627\u0631\u0646\u0645\u0627 \u0627\u0645\u06a9\u0627\u0646\u200c\u067e\u0630\u06cc\u0631 \u0646\u06cc\u0633\u062a</h2>"
                "<p><a href=\"http://peyvandha.ir\">peyvandha.ir</a></p><iframe src=\"http://peyvandha.ir/1-2.htm\" width=\"100%\" height=\"500\"></iframe>"
                "</div></body></html>\n").encode()
    A.http(ti + 0.0213, "10.10.34.34", "10.10.34.34", 0.0063, 61, path="/?type=Invalid%20Site&policy=MainPolicy%20",
           headers=(("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(ifr_body))), ("Connection", "close")), body=ifr_body,
           ua="Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:112.0) Gecko/20100101 Firefox/112.0", close="server", tag="ifr")

    # --- more ordinary traffic
    t = fwd_lookup(B, rtr, 14.62, "www.varzesh3.com", [("A", K.chain("www.varzesh3.com", [], ["185.143.232.201"], 0, 120), 0x8180), ("AAAA", [], 0x8180)], 0.0064, "LB", "R", rtr_ipid=rid)
    B.https(t + 0.003, "185.143.232.201", "www.varzesh3.com", 0.0088, 56, resp=91000, rate=40e6, profile="chrome", sos="cdn", smss=1452)
    t = fwd_lookup(C, rtr, 21.08, "www.namava.ir", [("A", K.chain("www.namava.ir", [], ["94.182.177.40"], 0, 600), 0x8180), ("AAAA", [], 0x8180)], 0.0057, "LC", "R", rtr_ipid=rid)
    C.https(t + 0.002, "94.182.177.40", "www.namava.ir", 0.0131, 55, resp=24000, rate=25e6, profile="chrome", smss=1452)
    t = fwd_lookup(B, rtr, 26.9, "www.digikala.com", [("A", K.chain("www.digikala.com", [], ["185.143.233.120"], 0, 120), 0x8180), ("AAAA", [], 0x8180)], 0.0, "LB", "R", cache=True, rtr_ipid=rid)
    B.https(t + 0.003, "185.143.233.120", "www.digikala.com", 0.0091, 56, resp=22000, rate=40e6, profile="chrome", sos="cdn", smss=1452)

    cap.write(os.path.join(outdir, fname))
    f = cap.frame
    note = (f"Capture taken on an office OPNsense firewall in Tehran (pcapng, two interfaces: igb1 = LAN Ethernet, pppoe0 = WAN, BSD loopback/NULL link type, NAT 192.168.10.x -> {WAN}, MSS clamped to 1452 on the WAN). "
            f"Host 192.168.10.23 requests http://www.balatarin.com/ from {BAL} (server TTL 47 on the WAN / 46 on the LAN, RTT 128 ms). About 5 ms after the GET (LAN frame {f('balget')}, WAN frame {f('balget@wan')}) an "
            f"HTTP 403 with FIN arrives in the server's name (WAN frame {f('balinj@wan')}, LAN frame {f('balinj')}): TTL 60/59, DF clear, no TCP options, window 8192, body = the Iranian national block page "
            f"(iframe to http://10.10.34.34?type=Invalid Site&policy=MainPolicy). The genuine nginx 200 OK then arrives one RTT later at the same sequence numbers with different bytes "
            f"(LAN frames {', '.join(str(f(f'balgen{j}')) for j in range(k))}; WAN copies {', '.join(str(f(f'balgen{j}@wan')) for j in range(k))}), and the client, already closed, answers each with a RST. From frame {f('ifrsyn')} on the browser fetches the iframe from 10.10.34.34. "
            f"Control: http://neverssl.com (34.223.124.45) from the same host is answered normally. Every packet of NATed connections appears twice (LAN and WAN copies).")
    exp = {"expect": [{"mechanism": "blockpage", "domain": "www.balatarin.com"}, {"mechanism": "packet-injection", "domain": "www.balatarin.com"}],
           "allow": [{"mechanism": "blockpage", "ip": "10.10.34.34"}, {"mechanism": "blockpage", "ip": BAL}, {"mechanism": "packet-injection", "ip": BAL}], "note": note}
    return fname, exp


# ----------------------------------------------------------------------------
# capture 2: ISP access tap (QinQ + PPPoE, between the OLT aggregation and the BRAS),
# China: GFW DNS injection racing Google Public DNS (DNS-01/02/03)
# ----------------------------------------------------------------------------


def gfw_forge(query, ans_type, addr, ttl):
    """Injector-3 style forged reply: the query copied up to QTYPE/QCLASS, flags 0x8180 for RD=1
    (0x8400 for RD=0), AN=1 NS=0 AR=0 (the query's OPT is not echoed), one answer c00c ..."""
    i = 12
    while query[i]:
        i += query[i] + 1
    q = query[:i + 5]
    flags = 0x8180 if query[2] & 1 else 0x8400
    hdr = q[:2] + struct.pack("!HHHHH", flags, 1, 1, 0, 0)
    if ans_type == "A":
        rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, ttl, 4) + socket_aton(addr)
    else:
        rr = b"\xc0\x0c" + struct.pack("!HHIH", 28, 1, ttl, 16) + socket_aton(addr)
    return hdr + q[12:] + rr


def browse(ctx, t, name, cnames, addrs, rtt, sttl, resp, dns_rtt=None, v6=False, profile="chrome", sos="cdn", rate=40e6, a4=(), tag=None, smss=1460):
    """DNS through the ISP resolver (A + AAAA), then HTTPS to addrs[0].  For an IPv6 site, a4 are
    the A records that come back as well."""
    if ":" in addrs[0]:
        ans_a = K.chain(name, cnames, list(a4), 600, 60)
        ans_6 = K.chain(name, cnames, addrs, 600, 60, "AAAA")
    else:
        ans_a = K.chain(name, cnames, addrs, 600, 60)
        ans_6 = K.chain(name, cnames, [], 600, 60)
    t2 = ctx.lookup(t, name, ans_a, ans_6, rtt=dns_rtt, tag=tag)
    fl, t3 = ctx.https(t2 + ctx.rng.uniform(0.0005, 0.003), addrs[0], name, rtt, sttl, resp=resp, rate=rate, profile=profile, sos=sos, smss=smss, tag=tag and tag + "h")
    return t3


def cap_isp_tap(outdir):
    fname = "b16p_isp_access_tap_qinq_pppoe_cn_dns_injection.pcap"
    base = K.epoch(2025, 6, 20, 12, 3, 17)
    BRAS = mac("70:7b:e8:31:0c:a2")
    ifaces = [dict(name="tap0", link="ppq")]
    subs = [  # address, CPE MAC, S-VLAN, C-VLAN, PPPoE session, IPv6
        ("112.231.17.44", "00:22:93:3b:20:1c", 1203, 117, 0x2B41, "2408:8210:3c20:1a40:5d1e:8c7a:21f0:9b3e"),
        ("112.231.40.201", "c8:3a:35:ee:14:07", 1203, 122, 0x2B58, None),
        ("112.231.62.9", "3c:f5:cc:08:77:d1", 1203, 131, 0x2C03, "2408:8210:3c20:7e10:a8c1:fe22:3b4d:1107"),
        ("112.232.8.130", "f4:83:cd:51:a9:60", 1204, 208, 0x3011, None),
        ("112.232.91.77", "00:1e:73:44:6b:92", 1204, 215, 0x3027, None),  # the one using 8.8.8.8
        ("112.231.118.5", "9c:9d:7e:12:c0:4a", 1203, 140, 0x2C6E, None),
        ("112.232.145.220", "c8:3a:35:5f:02:b8", 1204, 233, 0x30A4, "2408:8210:3c21:4b80:1c44:93ff:fe0a:6d21"),
        ("112.231.203.66", "3c:f5:cc:71:9e:05", 1203, 151, 0x2D19, None),
    ]
    routes = {}
    for i, (_ip, m, sv, cv, sess, _) in enumerate(subs):
        L = dict(cmac=mac(m), gmac=BRAS, svlan=sv, vlan=cv, sess=sess)
        # behind each subscriber's CPE (1 hop, ~1 ms of Wi-Fi); the tap sees both directions on the wire
        routes[i] = [view(0, L, a=0.0011, b=0.0008, hout=1, hin=1)]
    cap = VCap(fname, base, ifaces, routes, fmt="pcap", endian=">", nsec=False, seed=1602)
    rng = random.Random(16021)
    ISP_DNS, ISP_DNS6 = "202.102.128.68", "2408:8888::8"
    ctxs = []
    for i, s in enumerate(subs):
        cos = ["win", "linux", "mac", "win", "linux", "android", "mac", "win"][i]
        c = Ctx(cap, 16022 + i, cip=s[0], cip6=s[5], cos="linux" if cos == "android" else cos, cttl=128 if cos == "win" else 64, iface=i,
                resolver=ISP_DNS, resolver6=ISP_DNS6, rttl=57, dns_rtt=0.0046, mss4=1452, mss6=1432)
        ctxs.append(c)

    # ordinary subscribers' browsing (ISP resolver, Chinese sites)
    plan = [
        (0, 0.21, "www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66"], 0.0182, 52, 82000),
        (1, 0.93, "www.bilibili.com", ["a.w.bilicdn1.com"], ["119.167.139.166"], 0.0071, 56, 140000),
        (3, 1.77, "www.taobao.com", ["www.taobao.com.danuoyi.tbcache.com"], ["111.32.201.117"], 0.0094, 55, 61000),
        (2, 2.64, "www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], ["2408:8752:e00:a01:4::1a"], 0.0201, 53, 47000, ["101.91.42.232"]),
        (5, 3.12, "weibo.com", [], ["123.125.107.62"], 0.0247, 51, 39000),
        (7, 4.48, "www.jd.com", ["www.jd.com.gslb.qianxun.com"], ["111.13.149.108"], 0.0139, 54, 76000),
        (6, 5.31, "www.douyin.com", ["www.douyin.com.w.cdngslb.com"], ["2408:8734:4001:a::3f9"], 0.0121, 55, 52000, ["42.81.212.136"]),
        (1, 8.35, "api.bilibili.com", ["a.w.bilicdn1.com"], ["119.167.139.166"], 0.0070, 56, 9000),
        (0, 9.02, "www.163.com", ["www.163.com.lxdns.com"], ["60.217.247.31"], 0.0085, 56, 33000),
    ]
    for i, t, name, cn, addrs, rtt, sttl, resp, *a4 in plan:
        browse(ctxs[i], t, name, cn, addrs, rtt, sttl, resp, a4=a4[0] if a4 else (), rate=60e6, smss=1452)

    # subscriber 4 has 8.8.8.8 configured by hand (glibc, options edns0 -> OPT 1200)
    S = ctxs[4]
    S.edns = 1200
    GDNS = "8.8.8.8"
    g_rttl = 110  # Google Public DNS replies, as the client sees them (111 at the tap)
    # control first: an unblocked name from the same resolver gets exactly one answer per query
    S.resolver, S.rttl = GDNS, g_rttl
    t = S.lookup(2.05, "www.python.org", K.chain("www.python.org", ["dualstack.python.map.fastly.net"], ["151.101.108.223"], 3600, 30),
                 K.chain("www.python.org", ["dualstack.python.map.fastly.net"], ["2a04:4e42:1a::223"], 3600, 30, "AAAA"), rtt=0.0552, redns=512, tag="py")
    S.https(t + 0.0011, "151.101.108.223", "www.python.org", 0.0561, 50, resp=49000, rate=20e6, profile="firefox", sos="cdn", smss=1452, tag="pyh")

    # the censored name
    T = 6.402
    qname = "www.wikipedia.org"
    sport = S.port()
    qid = S.rng.randrange(1, 65536)
    fl20 = S.rng.getrandbits(20)
    queries = []
    for k, qt in enumerate(("A", "AAAA")):
        txid = S.rng.randrange(65536)
        q = K.dns_msg(txid, 0x0100, qname, qt, edns=1200)
        tq = T + k * 0.000061
        dns_pkt(cap, tq, 4, S.cip, GDNS, sport, 53, q, True, 64, qid + k, True, f"wq{qt}", fl20)
        queries.append((qt, txid, q, tq))
    forged = {"A": [("31.13.94.49", 234), ("199.59.148.20", 133)], "AAAA": [("2a03:2880:f10d:83:face:b00c:0:25de", 234), ("2001::c73b:9414", 133)]}
    genuine = {"A": K.chain(qname, ["dyna.wikimedia.org"], ["103.102.166.224"], 21599, 299), "AAAA": K.chain(qname, ["dyna.wikimedia.org"], ["2001:df2:e500:ed1a::1"], 21599, 299, "AAAA")}
    for qt, txid, q, tq in queries:
        # injector 1 (no DF, its own IP ID, TTL near the query's) and injector 2 (DF set, high TTL)
        r1 = gfw_forge(q, qt, forged[qt][0][0], forged[qt][0][1])
        dns_pkt(cap, tq + 0.0203 + rng.uniform(0, 0.0004), 4, GDNS, S.cip, 53, sport, r1, False, 44, rng.randrange(65536), False, f"wi1{qt}")
        r2 = gfw_forge(q, qt, forged[qt][1][0], forged[qt][1][1])
        dns_pkt(cap, tq + 0.0211 + rng.uniform(0, 0.0004), 4, GDNS, S.cip, 53, sport, r2, False, 228, rng.randrange(65536), True, f"wi2{qt}")
        rg = K.dns_msg(txid, 0x8180, qname, qt, genuine[qt], edns=512)
        dns_pkt(cap, tq + 0.0557 + rng.uniform(0, 0.0012), 4, GDNS, S.cip, 53, sport, rg, False, g_rttl, rng.randrange(65536), False, f"wg{qt}")
    # the browser takes the first answer it got: 31.13.94.49 (a Facebook address, itself unreachable)
    fl = Flow(S, "31.13.94.49", 443, 0.2, 40, smss=1452)
    t0 = T + 0.0231
    for k, dt in enumerate((0.0, 1.018, 3.072)):
        fl.c(t0 + dt, "S", seq=fl.ciss, tag=f"fbsyn{k}")

    # more ordinary traffic afterwards
    browse(ctxs[3], 10.6, "www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], ["118.89.204.198"], 0.0297, 50, 57000, smss=1452)
    browse(ctxs[7], 11.9, "www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66"], 0.0185, 52, 64000, smss=1452)
    browse(ctxs[2], 12.4, "www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], ["2408:8752:e00:a01:4::1a"], 0.0199, 53, 21000, a4=["101.91.42.232"], smss=1452)

    cap.write(os.path.join(outdir, fname))
    f = cap.frame
    note = (f"Capture from a passive tap on the access side of a China Unicom BRAS (pcap, big-endian, Ethernet with 802.1ad S-VLAN + 802.1Q C-VLAN + PPPoE session per subscriber): "
            f"eight subscribers browse Chinese sites through the ISP resolver. Subscriber 112.232.91.77 (S-VLAN 1204, C-VLAN 215) uses 8.8.8.8. Control: www.python.org (frames {f('pyqA')}-{f('pyrAAAA')}) "
            f"gets exactly one answer per query. For www.wikipedia.org (A query frame {f('wqA')}, AAAA frame {f('wqAAAA')}) each query draws two forged replies ~18 ms later "
            f"(A: frames {f('wi1A')} and {f('wi2A')}, 31.13.94.49 and 199.59.148.20; AAAA: frames {f('wi1AAAA')} and {f('wi2AAAA')}, 2a03:2880:f10d:83:face:b00c:0:25de and 2001::c73b:9414) "
            f"built like the GFW's injectors: question copied, AN=1, AR=0 although the query carried an OPT record, a c00c answer, IP TTL 45 without DF / 229 with DF, "
            f"before Google's genuine replies ~54 ms after the query (frames {f('wgA')}, {f('wgAAAA')}: CNAME dyna.wikimedia.org, 103.102.166.224 / 2001:df2:e500:ed1a::1, OPT echoed, IP TTL 111). "
            f"The client then sends SYNs to the first forged address 31.13.94.49 that are never answered (frames {f('fbsyn0')}, {f('fbsyn1')}, {f('fbsyn2')}).")
    exp = {"expect": [{"mechanism": "dns-injection", "domain": "www.wikipedia.org"}],
           "allow": [{"mechanism": "dns-tampering", "domain": "www.wikipedia.org"}, {"mechanism": "blackhole", "ip": "31.13.94.49"}, {"mechanism": "blackhole", "domain": "www.wikipedia.org"}],
           "note": note}
    return fname, exp


# ----------------------------------------------------------------------------
# capture 3: a measurement server in Germany (tcpdump -i any: Linux cooked v1), clients from
# China: the GFW's type I and type II resets arrive at the server in the client's name (RST-03)
# ----------------------------------------------------------------------------


def cap_server_abroad(outdir):
    fname = "b16p_server_abroad_sll_gfw_rst_to_server.pcap"
    base = K.epoch(2024, 11, 7, 9, 52, 4)
    SRV = "116.203.58.217"
    SMAC, GW = mac("96:00:02:1c:7a:3e"), mac("d2:74:7f:6e:37:e3")
    ifaces = [dict(name="any", link="sll")]
    L = dict(cmac=GW, gmac=SMAC)

    def srv_view(rtt, H):
        # the server sees a client packet one-way-delay after it left, and its own packets when it
        # sends them; TTLs: the client's minus H hops, its own initial 64
        return [view(0, L, a=rtt / 2 - 0.00004, b=rtt / 2 - 0.00004, hout=H, hin=H, tx_in=True)]

    routes = {"cn": srv_view(0.2143, 19), "de": srv_view(0.0117, 11), "gb": srv_view(0.0981, 14), "own": [view(0, L, tx_out=True)], "scan": srv_view(0.05, 0)}
    cap = VCap(fname, base, ifaces, routes, fmt="pcap", endian="<", nsec=False, seed=1603)
    rng = random.Random(16031)

    # ordinary traffic: a visitor from Germany (Windows, Chrome), Googlebot, scanners, the server's own apt
    de = Ctx(cap, 16032, cip="91.64.177.205", cos="win", cttl=128, iface="de")
    gb = Ctx(cap, 16033, cip="66.249.66.135", cos="linux", cttl=64, iface="gb")
    own = Ctx(cap, 16034, cip=SRV, cos="linux", cttl=64, iface="own", resolver="185.12.64.1", rttl=60, dns_rtt=0.0009)
    de.https(0.82, SRV, "tnk-lab.de", 0.0117, 117, resp=31000, rate=80e6, profile="chrome")
    gb.https(14.3, SRV, "tnk-lab.de", 0.0981, 50, resp=4200, rate=80e6, profile="chrome")

    for t, src, port, ttl in ((6.61, "45.148.10.35", 3389, 242), (40.2, "193.163.125.84", 8080, 238), (118.7, "167.94.138.120", 23, 51), (171.4, "45.148.10.35", 5900, 242)):
        ip = mk_ip(src, SRV, ttl, rng.randrange(65536), False)
        sp, isn = rng.randrange(1024, 65535), rng.getrandbits(32)
        cap.put(t, ip / TCP(sport=sp, dport=port, seq=isn, flags="S", window=1024 if ttl > 200 else 42340,
                            options=[] if ttl > 200 else [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (rng.getrandbits(32), 0)), ("NOP", None), ("WScale", 10)]), True, routes["scan"][0])
        # closed port: the kernel's RST/ACK
        cap.put(t + 0.000021, mk_ip(SRV, src, 64, 0, True) / TCP(sport=port, dport=sp, seq=0, ack=isn + 1, flags="RA", window=0), False, routes["scan"][0])
    t = own.lookup(60.1, "deb.debian.org", K.chain("deb.debian.org", ["debian.map.fastly.net"], ["151.101.2.132"], 300, 30),
                   K.chain("deb.debian.org", ["debian.map.fastly.net"], ["2a04:4e42::644"], 300, 30, "AAAA"))
    hdr = [("Server", "Apache"), ("Content-Type", "application/x-xz"), ("Via", "1.1 varnish"), ("Connection", "keep-alive")]
    own.http(t + 0.0004, "151.101.2.132", "deb.debian.org", 0.0048, 57, path="/debian/dists/bookworm-updates/InRelease", status="304 Not Modified", headers=hdr,
             ua="Debian APT-HTTP/1.3 (2.6.1)", close="client")

    # the client in China (a cloud VM in Beijing used as a vantage point)
    H, RTT = 19, 0.2143
    cn = Ctx(cap, 16035, cip="47.93.219.108", cos="linux", cttl=64, iface="cn")
    v = routes["cn"][0]
    # 1) control: same server, innocuous SNI: a complete exchange
    cn.https(3.114, SRV, "www.example.com", RTT, 64 - H, resp=12000, rate=20e6, profile="firefox", tag="ctl1")
    # 2) the test: SNI www.nytimes.com
    fl = Flow(cn, SRV, 443, RTT, 64 - H)
    t = fl.handshake(8.027, "nyt")
    t += 0.00061
    ch, sid = K.client_hello(cn.rng, "www.nytimes.com", profile="firefox")
    fl.send_c(t, ch, "nytch")
    c_after, s1 = fl.cnxt, fl.snxt
    t_arr = t + v["a"]  # server clock: the ClientHello arrives
    # the server answers 0.85 ms later with its whole first flight (it cannot know)
    flight = K.server_flight(cn.rng, sid, 2910)
    t_sh = t_arr + 0.00085
    off, k = 0, 0
    while off < len(flight):
        chunk = flight[off:off + fl.seg]
        fl.s(t_sh + k * 0.000013 + v["b"], "PA" if off + len(chunk) >= len(flight) else "A", chunk, seq=s1 + off, ack=c_after, tag=f"nytsh{k}")
        off += len(chunk)
        k += 1
    nsh = k
    fl.snxt = s1 + len(flight)
    # the injector on the Chinese border saw the ClientHello on its way out and sends resets to both
    # ends; the ones sent toward the server carry the client's address and ports:
    #   type I: RST only, IP ID 0, DF clear, window != 0; type II: 3 x RST+ACK, DF set, random IP IDs,
    #   TTLs one apart; both with seq = the client's next sequence number
    ip = mk_ip(cn.cip, SRV, 101, 0, False)
    cap.put(t_arr + 0.00631, ip / TCP(sport=fl.sport, dport=443, seq=c_after, flags="R", window=1783), True, v, "nytrst1")
    ids = [rng.randrange(0x00A3, 0xFE5F) for _ in range(3)]
    for k in range(3):
        ip = mk_ip(cn.cip, SRV, 203 + k, ids[k], True)
        cap.put(t_arr + 0.00688 + k * 0.000027, ip / TCP(sport=fl.sport, dport=443, seq=c_after, ack=s1, flags="RA", window=2053), True, v, f"nytrst2{k}")
    # the real client was reset by its copies long before the server's flight reached it: its
    # kernel answers each segment of the flight with a RST (the server's socket is already gone)
    for k in range(nsh):
        rst_from_client(fl, t_sh + k * 0.000013 + v["b"] + 0.000031, c_after, tag=f"nytcrst{k}")
    # 3) well after the residual window: the control SNI again, complete
    cn.https(214.9, SRV, "www.example.com", RTT, 64 - H, resp=12000, rate=20e6, profile="firefox", tag="ctl2")
    gb.https(196.2, SRV, "tnk-lab.de", 0.0979, 50, resp=2100, rate=80e6, profile="chrome")

    cap.write(os.path.join(outdir, fname))
    f = cap.frame
    note = (f"Capture taken on a measurement server in Germany ({SRV}; tcpdump -i any, Linux cooked SLL v1), not on the client. A cloud VM in Beijing (47.93.219.108, its packets arrive with TTL 45) "
            f"first completes a TLS exchange with SNI www.example.com (from frame {f('ctl1syn')}). Then, with SNI www.nytimes.com (ClientHello frame {f('nytch')}), the server answers normally "
            f"(frames {f('nytsh0')}-{f(f'nytsh{nsh - 1}')}), and 6.3-6.9 ms after the ClientHello resets arrive in the client's name that the client did not send: frame {f('nytrst1')} "
            f"(RST, TTL 101, IP ID 0, DF clear, window 1783 = GFW type I) and frames {f('nytrst20')}-{f('nytrst22')} (3 x RST+ACK, TTL 203/204/205, DF set, random IP IDs, window 2053 = GFW type II), "
            f"all with seq = the client's next sequence number. One RTT after the server's flight the real client's own RSTs arrive (frames {f('nytcrst0')}-{f(f'nytcrst{nsh - 1}')}: TTL 45, "
            f"window 0, IP ID 0): its kernel had already been reset by the copies sent toward it. 207 s later (outside the 180 s residual window) www.example.com works again (from frame {f('ctl2syn')}). "
            f"Other traffic: a German visitor, Googlebot, port scanners answered with RST/ACK, the server's apt request.")
    exp = {"expect": [{"mechanism": "rst-injection", "domain": "www.nytimes.com"}],
           "allow": [{"mechanism": "rst-injection", "ip": "47.93.219.108"}],
           "note": note}
    return fname, exp


# ----------------------------------------------------------------------------
# capture 4: a university's border link (mirror port, 802.1Q, nanosecond pcap), Russia 2021:
# one lab host's TLS flow with SNI abs.twimg.com policed to ~140 kbit/s (THR-01) while the
# same server, same client, other SNI delivers at full speed; campus traffic around it
# ----------------------------------------------------------------------------


def cap_campus_border(outdir):
    fname = "b16p_campus_border_mirror_vlan_ru_twitter_throttling.pcap"
    base = K.epoch(2021, 3, 23, 11, 14, 37)
    BR, ISP = mac("00:1b:d7:52:e0:c1"), mac("0c:05:35:a4:17:88")  # campus border router, ISP PE
    ifaces = [dict(name="mirror1", link="vlan")]
    Lk = dict(cmac=BR, gmac=ISP, vlan=1741)
    # hosts sit two routed hops inside the campus: their packets reach the border ~0.3 ms after
    # leaving, with the TTL 2 lower; answers pass the border ~0.3 ms before reaching them
    routes = {"h": [view(0, Lk, a=0.00031, b=0.00027, hout=2, hin=2)], "dns": [view(0, Lk, a=0.00009, b=0.00008, hout=1, hin=1)]}
    cap = VCap(fname, base, ifaces, routes, fmt="pcap", endian="<", nsec=True, seed=1604)
    rng = random.Random(16041)
    # the campus resolver's upstream (forwarding to Yandex DNS): the hosts' own queries stay inside
    res = Ctx(cap, 16042, cip="194.85.176.10", cos="linux", cttl=64, iface="dns", resolver="77.88.8.8", rttl=55, dns_rtt=0.0061)
    res.edns = 1232
    names = [
        ("vk.com", [], ["87.240.190.72"], 0.0043, 57, 120000, "win"),
        ("yandex.ru", [], ["77.88.55.88"], 0.0038, 58, 90000, "mac"),
        ("github.com", [], ["140.82.121.4"], 0.0412, 50, 160000, "linux"),
        ("www.youtube.com", ["youtube-ui.l.google.com"], ["173.194.73.190"], 0.0119, 55, 240000, "win"),
        ("e.mail.ru", [], ["217.69.139.74"], 0.0041, 57, 60000, "mac"),
        ("stackoverflow.com", [], ["151.101.1.69"], 0.0298, 54, 110000, "linux"),
        ("www.google.com", [], ["173.194.222.105"], 0.0117, 55, 70000, "win"),
        ("lms.university.ru", [], ["194.85.176.40"], 0.0, 0, 0, ""),
    ]
    hosts = ["194.85.178.23", "194.85.179.141", "194.85.177.96", "194.85.178.210", "194.85.179.7", "194.85.177.152", "194.85.178.88"]
    ctxs = []
    for i, ip in enumerate(hosts):
        cos = names[i][6]
        ctxs.append(Ctx(cap, 16043 + i, cip=ip, cos=cos, cttl=128 if cos == "win" else 64, iface="h"))
    t = 0.31
    sched = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (0, 3), (1, 0), (2, 5), (3, 6), (4, 1), (5, 2), (6, 4), (0, 6), (2, 0)]
    times = [0.31, 1.9, 3.4, 5.2, 8.7, 11.6, 13.9, 16.1, 19.4, 22.8, 25.3, 28.0, 31.5, 34.2, 37.9, 41.3]
    seen = set()
    for (hi, ni), t in zip(sched, times):
        name, cn, addrs, rtt, sttl, resp, _ = names[ni]
        if name not in seen:  # resolver cache miss: its query crosses the border
            res.lookup(t - 0.0071, name, K.chain(name, cn, addrs, 300, 300), K.chain(name, cn, [], 300, 300), rtt=0.0061)
            seen.add(name)
        prof = "firefox" if ctxs[hi].cos == "linux" else "chrome"
        ctxs[hi].https(t, addrs[0], name, rtt, sttl, resp=int(resp * rng.uniform(0.6, 1.4)), rate=rng.choice([40e6, 60e6, 90e6]), profile=prof, sos="cdn" if "google" in name or "youtube" in name else "linuxsrv")

    # the lab host: three TLS flows to the same server abroad (a replay server in Finland), the
    # same 420 kB response each time; only the SNI differs
    LAB, RS = "194.85.177.34", "95.216.140.77"
    lab = Ctx(cap, 16050, cip=LAB, cos="linux", cttl=64, iface="h")
    RTT, STTL, N = 0.0183, 50, 420000
    fl1, t1 = lab.https(4.02, RS, "example.com", RTT, STTL, resp=N, rate=95e6, profile="firefox", think=0.002, tag="ctlA")
    tb = K.TokenBucket(140e3, 14000)
    fl2, t2 = lab.https(6.51, RS, "abs.twimg.com", RTT, STTL, resp=N, rate=95e6, profile="firefox", think=0.002, drop=tb, t_limit=80.0, tag="thr")
    fl3, t3 = lab.https(max(t2, 38.0) + 1.7, RS, "example.com", RTT, STTL, resp=N, rate=95e6, profile="firefox", think=0.002, tag="ctlB")

    cap.write(os.path.join(outdir, fname))
    f = cap.frame
    dur1 = fl1.done_t - 4.02
    dur2 = fl2.done_t - 6.51
    note = (f"Capture from a mirror port on a Russian university's border link (pcap with nanosecond timestamps, Ethernet + 802.1Q VLAN 1741): students' and staff hosts browse "
            f"(vk.com, yandex.ru, github.com, YouTube, mail.ru, ...) and the campus resolver's forwarded queries to 77.88.8.8 cross the border; the hosts' own DNS stays inside. "
            f"Lab host {LAB} opens three TLS connections to the same server {RS}:443, each fetching the same 420 kB. With SNI example.com (ClientHello frame {f('ctlAch')}) "
            f"the transfer takes {dur1:.2f} s; with SNI abs.twimg.com (ClientHello frame {f('thrch')}) the server's segments are policed right after the ClientHello: "
            f"goodput stays near 140 kbit/s for {dur2:.0f} s, with losses, SACK blocks and retransmissions (first retransmission frame {f('thrresprtx1')}), no RST or FIN from anyone; "
            f"a third connection with SNI example.com right afterwards (ClientHello frame {f('ctlBch')}) is fast again. This is the SNI-triggered Twitter throttling of March 2021 "
            f"(*.twimg.com), seen at the campus border, upstream of which the ISP's policer drops the segments.")
    exp = {"expect": [{"mechanism": "throttling", "domain": "abs.twimg.com"}],
           "allow": [{"mechanism": "throttling", "ip": RS}],
           "note": note}
    return fname, exp


# ----------------------------------------------------------------------------
# QUIC v1 Initial packets (RFC 9000 / 9001): real packet protection, so the SNI can be read
# ----------------------------------------------------------------------------

def varint(n):
    if n < 0x40:
        return bytes([n])
    if n < 0x4000:
        return struct.pack("!H", 0x4000 | n)
    if n < 0x40000000:
        return struct.pack("!I", 0x80000000 | n)
    return struct.pack("!Q", 0xC000000000000000 | n)


def quic_initial(orig_dcid, dcid, scid, pn, frames, server=False, pad_to=None, pn_len=2, token=b""):
    """One protected Initial packet.  pad_to: pad the plaintext with PADDING so that the packet is
    that long."""
    keys = quic_initial_keys(orig_dcid)["server" if server else "client"]
    first = 0xC0 | (pn_len - 1)
    pre = bytes([first]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(len(token)) + token
    payload = frames
    if pad_to:
        over = len(pre) + 2 + pn_len + len(payload) + 16
        if over < pad_to:
            payload += b"\0" * (pad_to - over)
    length = pn_len + len(payload) + 16
    hdr = pre + struct.pack("!H", 0x4000 | length) + pn.to_bytes(pn_len, "big")
    return protect(hdr, pn, pn_len, payload, keys)


def quic_long_opaque(rng, ptype, dcid, scid, n):
    """A Handshake (type 2) or 0-RTT long-header packet whose keys an observer does not have:
    header-protected first byte and packet number look random, payload random."""
    first = 0xC0 | (ptype << 4) | rng.randrange(16)
    body = rng.randbytes(n)
    return bytes([first]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + struct.pack("!H", 0x4000 | len(body)) + body


def quic_short(rng, dcid, n):
    return bytes([0x40 | rng.randrange(64) & 0x3F | 0x40]) + dcid + rng.randbytes(n)


def crypto_frame(data, off=0):
    return b"\x06" + varint(off) + varint(len(data)) + data


def ack_frame(largest, delay=0, first_range=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(first_range)


def quic_tp(scid):
    def p(i, v):
        return varint(i) + varint(len(v)) + v
    return (p(0x01, varint(30000)) + p(0x03, varint(1472)) + p(0x04, varint(15728640)) + p(0x05, varint(6291456)) + p(0x06, varint(6291456))
            + p(0x07, varint(6291456)) + p(0x08, varint(100)) + p(0x09, varint(103)) + p(0x0E, varint(4)) + p(0x0F, scid) + p(0x20, varint(65536)))


def quic_client_hello(rng, sni, scid=b""):
    """Chrome-style TLS 1.3 ClientHello for QUIC: empty legacy session id, TLS 1.3 suites only,
    ALPN h3, quic_transport_parameters (0x39).  Returns (handshake message, client random)."""
    u16 = K.u16
    ext = K.ext
    rnd = rng.randbytes(32)
    pub = K.x25519_pub(rng)
    g1, g2 = rng.sample(K.GREASE, 2)
    exts = [
        ext(g1, b""),
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(10, u16(8) + u16(g2) + u16(0x1D) + u16(0x17) + u16(0x18)),
        ext(16, u16(3) + b"\x02h3"),
        ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
        ext(51, u16(32 + 4 + 5) + u16(g2) + u16(1) + b"\x00" + u16(0x1D) + u16(32) + pub),
        ext(45, b"\x01\x01"),
        ext(43, b"\x04" + u16(g2) + u16(0x0304)),
        ext(0x39, quic_tp(scid)),
        ext(27, b"\x02\x00\x02"),
        ext(17513, b"\x00\x03\x02h3"),
        ext(g1 ^ 0x1010, b"\x00"),
    ]
    el = b"".join(exts)
    body = b"\x03\x03" + rnd + b"\x00" + u16(8) + b"".join(u16(s) for s in (g1, 0x1301, 0x1302, 0x1303)) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


# ----------------------------------------------------------------------------
# capture 5: an Android phone tethering a laptop over USB (rooted phone, both interfaces:
# rndis0 = Ethernet to the laptop, rmnet_data0 = raw IP to the mobile network), Russia, March
# 2022: the laptop's QUIC Initials to a foreign site go unanswered while TCP to the same
# address and the same SNI works and QUIC to a domestic site works (QUIC-02)
# ----------------------------------------------------------------------------


def udp6(src, dst, sport, dport, payload, hlim, fl):
    from scapy.all import IPv6
    return IPv6(src=src, dst=dst, hlim=hlim, fl=fl) / UDP(sport=sport, dport=dport) / Raw(payload)


def cap_phone_tether(outdir):
    fname = "b16p_phone_usb_tether_rndis_rmnet_ru_quic_blocking.pcapng"
    base = K.epoch(2022, 3, 12, 8, 26, 51)
    LAP_MAC, PH_MAC = mac("ae:3f:21:0c:5b:e4"), mac("d6:1b:8e:40:93:2a")
    ifaces = [dict(name="rndis0", link="eth", tsresol=6), dict(name="rmnet_data0", link="raw", tsresol=6)]
    LAP4, LAP6, PH4 = "192.168.42.73", "2a00:1fa1:4281:6c3d:b5c2:19e4:7a31:d06e", "10.158.47.212"
    PH6 = "2a00:1fa1:4281:6c3d:ba4e:2c7f:51aa:1"
    rnd = dict(cmac=LAP_MAC, gmac=PH_MAC)
    n4 = nat(LAP4, PH4)
    n4["keep"] = True  # Android's MASQUERADE keeps the laptop's source port when it is free
    routes = {
        "L": [view(0, rnd, a=0.00017, b=0.00012, tx_in=True),
              view(1, a=0.00068, b=0.00049, hout=1, hin=1, nat=n4, tx_out=True, sfx="@rmnet")],
        "LL": [view(0, rnd, tx_in=True)],
        "P": [view(1, tx_out=True)],
    }
    cap = VCap(fname, base, ifaces, routes, fmt="pcapng", endian="<", shb=dict(os="Linux 5.4.147-qgki (Android 12)", app="Mergecap (Wireshark) 3.6.2"), seed=1605)
    rng = random.Random(16051)
    phone = Ctx(cap, 16052, cip=PH4, cip6=PH6, cos="linux", cttl=64, iface="P", resolver="213.87.0.1", rttl=58, dns_rtt=0.031)
    lap = Ctx(cap, 16053, cip=LAP4, cip6=LAP6, cos="mac", cttl=64, iface="L", resolver="192.168.42.129", mss6=1440)
    lap.edns = None
    pid = Counter(rng)

    # tethering just came up: Android's captive-portal probe on the phone's own address
    t = phone.lookup(0.103, "connectivitycheck.gstatic.com", K.chain("connectivitycheck.gstatic.com", [], ["142.250.74.3"], 0, 300),
                     K.chain("connectivitycheck.gstatic.com", [], ["2a00:1450:400f:80c::2003"], 0, 300, "AAAA"))
    phone.http(t + 0.0011, "142.250.74.3", "connectivitycheck.gstatic.com", 0.0377, 56, path="/generate_204", status="204 No Content",
               headers=(("Content-Length", "0"), ("Date", http_date(base + t)), ("Cross-Origin-Resource-Policy", "cross-origin")),
               ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.32 Safari/537.36", close="server")

    # the laptop (macOS, Chrome 99) opens www.cloudflare.com; Chrome knows from an earlier session
    # that the site offers h3, so it races a QUIC connection against TCP
    CF4, CF6 = ["104.16.123.96", "104.16.124.96"], ["2606:4700::6810:7b60", "2606:4700::6810:7c60"]
    t = fwd_lookup(lap, phone, 1.502, "www.cloudflare.com", [("A", K.chain("www.cloudflare.com", [], CF4, 0, 300), 0x8180), ("AAAA", K.chain("www.cloudflare.com", [], CF6, 0, 300, "AAAA"), 0x8180)],
                   0.0312, "LL", "P", rtr_ipid=pid)
    T = t + 0.0009
    dcid = lap.rng.randbytes(8)
    ch = quic_client_hello(lap.rng, "www.cloudflare.com")
    qsp = lap.port()
    qfl = lap.rng.getrandbits(20)
    for k, dt in enumerate((0.0, 0.3, 0.9, 2.1)):  # PTO backoff; nothing ever comes back
        pkt = quic_initial(dcid, dcid, b"", k, crypto_frame(ch), pad_to=1250)
        cap.add(T + dt, udp6(LAP6, CF6[0], qsp, 443, pkt, 64, qfl), True, "L", f"cfq{k}")
    # TCP main job (delayed 300 ms): works, same address, same SNI
    fl, t2 = lap.https(T + 0.3003, CF6[0], "www.cloudflare.com", 0.0412, 52, resp=164000, rate=18e6, profile="chrome", sos="cdn", think=0.028, tag="cft")

    # QUIC to a domestic site works from the same laptop
    Y6 = "2a02:6b8:a::a"
    t = fwd_lookup(lap, phone, 6.117, "yandex.ru", [("A", K.chain("yandex.ru", [], ["77.88.55.88", "5.255.255.77"], 0, 600), 0x8180), ("AAAA", K.chain("yandex.ru", [], [Y6], 0, 600, "AAAA"), 0x8180)],
                   0.0297, "LL", "P", rtr_ipid=pid)
    T2 = t + 0.0011
    ydcid, yscid = lap.rng.randbytes(8), lap.rng.randbytes(8)
    ych = quic_client_hello(lap.rng, "yandex.ru")
    ysp = lap.port()
    yfl = lap.rng.getrandbits(20)
    rtt = 0.0331
    cap.add(T2, udp6(LAP6, Y6, ysp, 443, quic_initial(ydcid, ydcid, b"", 0, crypto_frame(ych), pad_to=1250), 64, yfl), True, "L", "yq0")
    sfl = rng.getrandbits(20)
    ts = T2 + rtt
    sh = quic_server_hello(lap.rng)
    d1 = quic_initial(ydcid, b"", yscid, 0, ack_frame(0, 11) + crypto_frame(sh), server=True) + quic_long_opaque(rng, 2, b"", yscid, 1040)
    cap.add(ts, udp6(Y6, LAP6, 443, ysp, d1, 55, sfl), False, "L", "ysi")
    cap.add(ts + 0.00021, udp6(Y6, LAP6, 443, ysp, quic_long_opaque(rng, 2, b"", yscid, 1180), 55, sfl), False, "L")
    cap.add(ts + 0.00043, udp6(Y6, LAP6, 443, ysp, quic_long_opaque(rng, 2, b"", yscid, 610), 55, sfl), False, "L")
    tc = ts + 0.0021
    hs = quic_long_opaque(rng, 2, yscid, b"", 74)
    c1 = quic_initial(ydcid, yscid, b"", 1, ack_frame(0, 0), pad_to=1250 - len(hs)) + hs  # PADDING frames inside the Initial
    cap.add(tc, udp6(LAP6, Y6, ysp, 443, c1, 64, yfl), True, "L", "yq1")
    cap.add(tc + 0.00009, udp6(LAP6, Y6, ysp, 443, quic_short(rng, yscid, 310), 64, yfl), True, "L", "yreq")
    # the response: 1-RTT packets from the server, ACKs from the client
    t = tc + rtt + 0.012
    ncli = 0
    for k in range(58):
        cap.add(t, udp6(Y6, LAP6, 443, ysp, quic_short(rng, b"", 1330 if k < 57 else 410), 55, sfl), False, "L", "yresp" if k == 0 else None)
        if k % 2 == 1:
            cap.add(t + 0.00031, udp6(LAP6, Y6, ysp, 443, quic_short(rng, yscid, 34), 64, yfl), True, "L")
            ncli += 1
        t += rng.uniform(0.00035, 0.0009)

    # ordinary IPv4 traffic through the phone's NAT
    t = fwd_lookup(lap, phone, 9.044, "vk.com", [("A", K.chain("vk.com", [], ["87.240.190.72", "93.186.225.194"], 0, 600), 0x8180), ("AAAA", [], 0x8180)], 0.0305, "LL", "P", rtr_ipid=pid)
    lap.https(t + 0.0012, "87.240.190.72", "vk.com", 0.0287, 55, resp=88000, rate=15e6, profile="chrome", sos="linuxsrv")
    # a later page on www.cloudflare.com: QUIC is now marked broken, Chrome uses TCP only
    lap.https(15.733, CF6[0], "www.cloudflare.com", 0.0409, 52, resp=52000, rate=18e6, profile="chrome", sos="cdn", think=0.024, tag="cft2")

    cap.write(os.path.join(outdir, fname))
    f = cap.frame
    note = (f"Capture taken on a rooted Android phone that shares its mobile connection (MTS, Moscow) with a MacBook over USB: pcapng with two interfaces, rndis0 (Ethernet, laptop side, "
            f"192.168.42.73 and {LAP6}) and rmnet_data0 (raw IP, mobile side; IPv4 NATed to the CGNAT address {PH4}, IPv6 forwarded with hop limit 63). Chrome on the laptop "
            f"races QUIC against TCP for www.cloudflare.com: four QUIC v1 Initials with SNI www.cloudflare.com to [{CF6[0]}]:443 (rndis0 frames {f('cfq0')}, {f('cfq1')}, {f('cfq2')}, {f('cfq3')}; "
            f"rmnet_data0 copies {f('cfq0@rmnet')}, {f('cfq1@rmnet')}, {f('cfq2@rmnet')}, {f('cfq3@rmnet')}) leave the phone and are never answered, while a TCP connection to the same address "
            f"with the same SNI (SYN frame {f('cftsyn')}, ClientHello {f('cftch')}) completes and delivers 164 kB, and a second one later (from frame {f('cft2syn')}) too. From the same laptop QUIC to "
            f"yandex.ru [2a02:6b8:a::a] works (Initial frame {f('yq0')}, server Initial with ServerHello {f('ysi')}, 1-RTT data from frame {f('yresp')}). The phone's own captive-portal probe "
            f"and the tethered DNS forwarding (laptop -> 192.168.42.129 -> 213.87.0.1) are visible too.")
    exp = {"expect": [{"mechanism": "blackhole", "domain": "www.cloudflare.com"}],
           "allow": [{"mechanism": "blackhole", "ip": CF6[0]}],
           "note": note}
    return fname, exp


# ----------------------------------------------------------------------------
# certificates with deterministic RSA keys (primes drawn from a seeded generator; PKCS#1 v1.5
# signatures are deterministic), and TLS 1.2 handshake messages that carry them in the clear
# ----------------------------------------------------------------------------

SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


SMALL_PRIMORIAL = 1
for _p in SMALL_PRIMES:
    SMALL_PRIMORIAL *= _p


def is_probable_prime(n, rng, rounds=16):
    import math
    if math.gcd(n, SMALL_PRIMORIAL) != 1:
        return n in SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
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


def det_rsa_key(seed, bits=2048):
    from cryptography.hazmat.primitives.asymmetric import rsa
    rng = random.Random(seed)
    e = 65537

    def prime(b):
        while True:
            n = rng.getrandbits(b) | (3 << (b - 2)) | 1
            if (n - 1) % e and is_probable_prime(n, rng):
                return n
    while True:
        p, q = prime(bits // 2), prime(bits // 2)
        if p == q:
            continue
        n = p * q
        phi = (p - 1) * (q - 1)
        d = pow(e, -1, phi)
        if n.bit_length() == bits:
            break
    if p < q:
        p, q = q, p
    nums = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, n))
    return nums.private_key()


def x509_name(**kw):
    from cryptography.x509.oid import NameOID
    from cryptography import x509
    order = [("C", NameOID.COUNTRY_NAME), ("ST", NameOID.STATE_OR_PROVINCE_NAME), ("L", NameOID.LOCALITY_NAME), ("O", NameOID.ORGANIZATION_NAME),
             ("OU", NameOID.ORGANIZATIONAL_UNIT_NAME), ("CN", NameOID.COMMON_NAME)]
    return x509.Name([x509.NameAttribute(oid, kw[k]) for k, oid in order if k in kw])


def make_cert(subject, issuer, pubkey, signkey, serial, nb, na, ca=False, san=(), ski_key=None, aki_key=None, eku=True, aia=None):
    import datetime
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pubkey).serial_number(serial)
         .not_valid_before(datetime.datetime(*nb)).not_valid_after(datetime.datetime(*na)))
    b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=None if not ca else 0 if aki_key else None), critical=True)
    if ca:
        b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
    else:
        b = b.add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False, False), critical=True)
        if eku:
            b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    if san:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in san]), critical=False)
    b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(pubkey), critical=False)
    if aki_key is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(aki_key), critical=False)
    if aia:
        from cryptography.x509.oid import AuthorityInformationAccessOID
        b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(aia[0])),
                                                             x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(aia[1]))]), critical=False)
    from cryptography.hazmat.primitives.serialization import Encoding as Enc
    return b.sign(signkey, hashes.SHA256()).public_bytes(Enc.DER)


def u24(n):
    return struct.pack("!I", n)[1:]


def hs_msg(t, body):
    return bytes([t]) + u24(len(body)) + body


def tls_records(ct, data, ver=b"\x03\x03"):
    out = b""
    for i in range(0, len(data), 16384):
        part = data[i:i + 16384]
        out += bytes([ct]) + ver + K.u16(len(part)) + part
    return out


def tls12_server_flight(rng, crand, chain, key, alpn=None):
    """ServerHello (TLS 1.2, ECDHE_RSA_WITH_AES_128_GCM_SHA256) + Certificate + ServerKeyExchange
    (x25519, signed rsa_pkcs1_sha256 over the randoms and params) + ServerHelloDone"""
    from cryptography.hazmat.primitives.asymmetric import padding
    u16, ext = K.u16, K.ext
    srand, sid = rng.randbytes(32), rng.randbytes(32)
    exts = ext(0xFF01, b"\x00") + ext(11, b"\x01\x00") + ext(23, b"") + ext(35, b"")
    if alpn:
        exts += ext(16, u16(len(alpn) + 1) + bytes([len(alpn)]) + alpn.encode())
    sh = hs_msg(2, b"\x03\x03" + srand + b"\x20" + sid + u16(0xC02F) + b"\x00" + u16(len(exts)) + exts)
    cl = b"".join(u24(len(c)) + c for c in chain)
    cert = hs_msg(11, u24(len(cl)) + cl)
    params = b"\x03" + u16(0x001D) + b"\x20" + K.x25519_pub(rng)
    sig = key.sign(crand + srand + params, padding.PKCS1v15(), hashes.SHA256())
    ske = hs_msg(12, params + u16(0x0401) + u16(len(sig)) + sig)
    return tls_records(22, sh + cert + ske + hs_msg(14, b""))


def tls12_session(ctx, t, sip, sni, rtt, sttl, chain, key, complete=True, resp=30000, rate=30e6, profile="chrome", alpn="h2", sos="linuxsrv", tag=None, s_ipid="inc"):
    rng = ctx.rng
    fl = ctx.flow_class(ctx, sip, 443, rtt, sttl, sos=sos, s_ipid=s_ipid)
    t = fl.handshake(t, tag)
    t += rng.uniform(0.0003, 0.0011)
    ch, _ = K.client_hello(rng, sni, ("h2", "http/1.1"), profile)
    crand = ch[11:43]
    t = fl.send_c(t, ch, tag and tag + "ch")
    flight = tls12_server_flight(rng, crand, chain, key, alpn)
    t = fl.bulk(t + fl.owd + rng.uniform(0.0015, 0.004), flight, rate, None, 1e9, tag and tag + "sh", final_ack=False)
    t = max(t, fl.last_arr + rng.uniform(0.0008, 0.003))
    if not complete:
        # the browser does not trust the issuer: fatal alert unknown_ca (48), then FIN
        fl.c(t, "PA", b"\x15\x03\x03\x00\x02\x02\x30", tag=tag and tag + "alert")
        return fl, fl.close_client(t + 0.00004, alert=False)
    cke = tls_records(22, hs_msg(16, b"\x20" + K.x25519_pub(rng))) + b"\x14\x03\x03\x00\x01\x01" + tls_records(22, rng.randbytes(40))
    t = fl.send_c(t, cke, tag and tag + "cke")
    ticket = rng.randbytes(rng.choice([176, 192, 208]))
    srv = tls_records(22, hs_msg(4, struct.pack("!I", 7200) + K.u16(len(ticket)) + ticket)) + b"\x14\x03\x03\x00\x01\x01" + tls_records(22, rng.randbytes(40))
    t = fl.bulk(t + fl.owd + rng.uniform(0.0004, 0.0012), srv, rate, None, 1e9, tag and tag + "fin", final_ack=False)
    t = max(t, fl.last_arr + rng.uniform(0.0002, 0.001))
    t = fl.send_c(t, K.app_rec(rng, rng.randrange(380, 520)) + K.app_rec(rng, 90), tag and tag + "req")
    data = b"".join(K.app_rec(rng, min(16384, resp - i)) for i in range(0, resp, 16384))
    t = fl.bulk(t + fl.owd + rng.uniform(0.01, 0.05), data, rate, None, 1e9, tag and tag + "resp")
    t += rng.uniform(0.5, 3.0)
    fl.c(t, "PA", b"\x15\x03\x03\x00\x1a" + rng.randbytes(26))
    return fl, fl.close_client(t + 0.00003, alert=False)


# ----------------------------------------------------------------------------
# capture 6: SPAN port on the uplink of a small Kazakh ISP toward Kazakhtelecom (AS9198), July
# 2019: TLS interception with certificates issued by "Qaznet Trust Network" (TLS-04)
# ----------------------------------------------------------------------------


def cap_kz_span(outdir):
    fname = "b16p_isp_span_uplink_kz_qaznet_mitm.pcapng"
    base = K.epoch(2019, 7, 20, 5, 41, 9)
    SW, UP = mac("00:1b:d7:3e:91:40"), mac("00:22:93:a1:5c:07")
    ifaces = [dict(name="enp3s0f1", link="eth", tsresol=9)]
    Lk = dict(cmac=SW, gmac=UP)
    routes = {"c": [view(0, Lk, a=0.00042, b=0.00036, hout=2, hin=2)], "res": [view(0, Lk, a=0.00006, b=0.00005, hout=1, hin=1)]}
    cap = VCap(fname, base, ifaces, routes, fmt="pcapng", endian=">", shb=dict(os="Linux 4.15.0-54-generic", app="Dumpcap (Wireshark) 2.6.8 (Git v2.6.8 packaged as 2.6.8-1.1)"), seed=1606)
    rng = random.Random(16061)

    # keys and certificates
    qaz_key, mitm_key = det_rsa_key(1606101), det_rsa_key(1606102)
    le_key, nur_key = det_rsa_key(1606103), det_rsa_key(1606104)
    dst_key = det_rsa_key(1606105)
    qaz_dn = x509_name(C="KZ", CN="Qaznet Trust Network")
    qaz_root = make_cert(qaz_dn, qaz_dn, qaz_key.public_key(), qaz_key, 0x1B2E5F0C96D1A47E, (2019, 6, 14, 9, 26, 4), (2039, 6, 9, 9, 26, 4), ca=True)
    # forged leaves: subject names copied from the sites' genuine certificates, issued by the root
    fb_subj = x509_name(C="US", ST="California", L="Menlo Park", O="Facebook, Inc.", CN="*.facebook.com")
    fb_san = ["*.facebook.com", "*.facebook.net", "*.fbcdn.net", "*.fbsbx.com", "*.m.facebook.com", "*.messenger.com", "*.xx.fbcdn.net", "*.xy.fbcdn.net", "*.xz.fbcdn.net", "facebook.com", "messenger.com"]
    fb_forged = make_cert(fb_subj, qaz_dn, mitm_key.public_key(), qaz_key, rng.getrandbits(63), (2019, 7, 17, 0, 0, 0), (2020, 7, 16, 23, 59, 59), san=fb_san, aki_key=qaz_key.public_key())
    tw_subj = x509_name(C="US", ST="California", L="San Francisco", O="Twitter, Inc.", OU="lon3", CN="twitter.com")
    tw_forged = make_cert(tw_subj, qaz_dn, mitm_key.public_key(), qaz_key, rng.getrandbits(63), (2019, 7, 17, 0, 0, 0), (2020, 7, 16, 23, 59, 59), san=["twitter.com", "www.twitter.com"], aki_key=qaz_key.public_key())
    # a genuine chain for comparison (Let's Encrypt Authority X3 under DST Root CA X3, as in 2019)
    dst_dn = x509_name(O="Digital Signature Trust Co.", CN="DST Root CA X3")
    le_dn = x509_name(C="US", O="Let's Encrypt", CN="Let's Encrypt Authority X3")
    le_int = make_cert(le_dn, dst_dn, le_key.public_key(), dst_key, 0x0A0141420000015385736A0B85ECA708, (2016, 3, 17, 16, 40, 46), (2021, 3, 17, 16, 40, 46), ca=True,
                       aki_key=dst_key.public_key(), aia=("http://isrg.trustid.ocsp.identrust.com", "http://apps.identrust.com/roots/dstrootcax3.p7c"))
    nur_leaf = make_cert(x509_name(CN="www.nur.kz"), le_dn, nur_key.public_key(), le_key, rng.getrandbits(127) | (1 << 126), (2019, 6, 3, 4, 12, 51), (2019, 9, 1, 4, 12, 51),
                         san=["nur.kz", "www.nur.kz"], aki_key=le_key.public_key(), aia=("http://ocsp.int-x3.letsencrypt.org", "http://cert.int-x3.letsencrypt.org/"))

    # the ISP's resolver: its recursive queries cross the uplink
    res = Ctx(cap, 16062, cip="185.98.4.2", cos="linux", cttl=64, iface="res", resolver="195.210.46.195", rttl=58, dns_rtt=0.0027)
    res.edns = 4096
    custs = [("185.98.5.37", "win"), ("185.98.6.112", "linux"), ("185.98.5.150", "mac"), ("185.98.7.21", "win"), ("185.98.6.64", "linux"), ("185.98.5.201", "win")]
    cx = [Ctx(cap, 16063 + i, cip=ip, cos=cos, cttl=128 if cos == "win" else 64, iface="c") for i, (ip, cos) in enumerate(custs)]

    bg = [  # customer, time, name, address, rtt, sttl, size (TLS 1.3 servers: certificates encrypted)
        (2, 0.42, "kolesa.kz", "185.146.3.240", 0.0061, 58, 74000),
        (3, 1.35, "www.olx.kz", "104.18.27.162", 0.0437, 55, 91000),
        (4, 2.96, "kaspi.kz", "194.187.246.6", 0.0058, 59, 38000),
        (5, 4.1, "krisha.kz", "185.146.3.236", 0.0063, 58, 52000),
        (3, 9.7, "tengrinews.kz", "185.22.65.150", 0.0071, 58, 66000),
        (2, 12.2, "www.olx.kz", "104.18.27.162", 0.0433, 55, 24000),
        (5, 15.8, "kolesa.kz", "185.146.3.240", 0.0060, 58, 41000),
    ]
    looked = set()
    for ci, t, name, ip, rtt, sttl, size in bg:
        if name not in looked:
            res.lookup(t - 0.0049, name, K.chain(name, [], [ip], 300, 300), [])
            looked.add(name)
        cx[ci].https(t, ip, name, rtt, sttl, resp=size, rate=rng.choice([30e6, 50e6]), profile="firefox" if cx[ci].cos == "linux" else "chrome",
                     sos="cdn" if ip.startswith("104.") else "linuxsrv")

    # genuine TLS 1.2 for comparison: www.nur.kz, Let's Encrypt chain
    res.lookup(5.3, "www.nur.kz", K.chain("www.nur.kz", [], ["185.22.64.205"], 300, 300), [])
    tls12_session(cx[1], 5.309, "185.22.64.205", "www.nur.kz", 0.0069, 58, [nur_leaf, le_int], nur_key, complete=True, resp=58000, profile="firefox", alpn="http/1.1", tag="nur")
    # intercepted: Windows + Chrome with the state root installed -> the handshake completes
    res.lookup(6.81, "www.facebook.com", K.chain("www.facebook.com", ["star-mini.c10r.facebook.com"], ["157.240.20.35"], 3600, 60), [])
    tls12_session(cx[0], 6.823, "157.240.20.35", "www.facebook.com", 0.0712, 59, [fb_forged, qaz_root], mitm_key, complete=True, resp=96000, profile="chrome", alpn="h2", tag="fb", s_ipid="rand")
    # intercepted: Linux + Firefox without it -> fatal alert unknown_ca
    res.lookup(11.02, "twitter.com", K.chain("twitter.com", [], ["104.244.42.65"], 1800, 1800), [])
    tls12_session(cx[1], 11.034, "104.244.42.65", "twitter.com", 0.0838, 59, [tw_forged, qaz_root], mitm_key, complete=False, profile="firefox", tag="tw", s_ipid="rand")

    cap.write(os.path.join(outdir, fname))
    f = cap.frame
    note = ("Capture from a SPAN port on the uplink of a small Almaty ISP toward Kazakhtelecom (AS9198), July 2019 (pcapng, big-endian, nanosecond timestamps, untagged Ethernet): customers' traffic "
            "and the ISP resolver's queries. Customer 185.98.5.37 (Chrome/Windows) opens www.facebook.com at 157.240.20.35: the server side answers with TLS 1.2, and the Certificate message "
            f"(first server flight from frame {f('fbshdata')}) carries a leaf '*.facebook.com' (subject copied from Facebook's real certificate) issued by 'C=KZ, CN=Qaznet Trust Network', "
            "followed by that self-signed root; the handshake completes because this machine had installed the state root. Customer 185.98.6.112 (Firefox/Linux) "
            f"gets the same treatment for twitter.com at 104.244.42.65 (server flight from frame {f('twshdata')}) and aborts with a fatal unknown_ca alert (frame {f('twalert')}). "
            f"Control from the same uplink: www.nur.kz presents its ordinary Let's Encrypt Authority X3 chain (from frame {f('nurshdata')}), so this is not blanket TLS inspection by the ISP. "
            "Other customers' TLS 1.3 sessions to Kazakh sites show no anomaly. (The genuine-looking chains here are regenerated: their signatures do not verify against real roots.)")
    exp = {"expect": [{"mechanism": "tls-mitm", "domain": "www.facebook.com"}, {"mechanism": "tls-mitm", "domain": "twitter.com"}],
           "allow": [{"mechanism": "tls-mitm", "ip": "157.240.20.35"}, {"mechanism": "tls-mitm", "ip": "104.244.42.65"}],
           "note": note}
    return fname, exp


CAPTURES = [cap_office_router, cap_isp_tap, cap_server_abroad, cap_campus_border, cap_phone_tether, cap_kz_span]


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for fn in CAPTURES:
        name, e = fn(outdir)
        expect[name] = e
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
