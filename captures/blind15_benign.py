#!/usr/bin/env python3
# ruff: noqa: E501, E741, I001, RUF059, RUF100, UP017, UP031
"""Blind round 15b: benign look-alikes from measurement-style traffic.

usage: python blind15_benign.py OUTDIR

Writes six captures that contain no censorship at all, each built so that a naive analyzer
would be tempted to report some, plus OUTDIR/expect.json.  Every random choice is seeded:
two runs give byte-identical files."""
import email.utils
import ipaddress
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from blind_kit import (  # noqa: E402
    Cap, Ctx, Flow, app_rec, app_stream, chain, client_hello, epoch, ext, mac, mk_ip, server_flight, u16, x25519_pub,
)
from blind_kit import dns_full  # noqa: E402
from generate import protect, quic_initial_keys  # noqa: E402
from scapy.all import ICMP, IP, TCP, UDP, ICMPv6DestUnreach, IPv6, Raw, raw  # noqa: E402

EXPECT = {}


def note(fname, text, allow=()):
    EXPECT[fname] = {"expect": [], "allow": list(allow), "observations_ok": True, "note": " ".join(text.split())}


# ----------------------------------------------------------------------------
# shared variants
# ----------------------------------------------------------------------------


class LFlow(Flow):
    """Flow whose Linux server sends its SYN/ACK with IP ID 0 (ip_build_and_send_pkt with DF),
    then counts from the socket's random inet_id as the kit does."""

    def s(self, t, flags, payload=b"", seq=None, ack=None, win=None, tag=None, ttl=None):
        if "S" in flags and self.s_ipid == "inc" and not self.v6 and self.sp.get("ws", 0):
            keep = self.sid
            self.s_ipid = "zero"
            super().s(t, flags, payload, seq, ack, win, tag, ttl)
            self.s_ipid = "inc"
            self.sid = keep
            return
        super().s(t, flags, payload, seq, ack, win, tag, ttl)

    def server_rst_nosock(self, t, seq, tag=None):
        """RST a Linux host sends once the socket is gone: IP ID 0, DF, win 0, flags R."""
        ip = mk_ip(self.sip, self.cip, self.sttl, 0, True, self.sfl)
        self.cap.add(t, ip / TCP(sport=self.dport, dport=self.sport, seq=seq & 0xFFFFFFFF, flags="R", window=0), False, self.iface, tag)


BOGON4 = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/3", "6.0.0.0/8", "7.0.0.0/8", "11.0.0.0/8", "21.0.0.0/8", "22.0.0.0/8",
    "26.0.0.0/8", "28.0.0.0/8", "29.0.0.0/8", "30.0.0.0/8", "33.0.0.0/8", "55.0.0.0/8", "214.0.0.0/8", "215.0.0.0/8")]


def public_v4(rng):
    while True:
        a = ipaddress.IPv4Address(rng.getrandbits(32))
        if not any(a in n for n in BOGON4):
            return str(a)


def icmp4_quote(orig, limit=548):
    """What an ICMPv4 error quotes: the datagram as it arrived, cut to `limit` bytes
    (Linux routers quote up to 576 bytes of ICMP packet, classic stacks 28)."""
    b = orig if isinstance(orig, bytes) else raw(orig)
    return b[:limit]


# ----------------------------------------------------------------------------
# 1. zmap-style internet-wide SYN scan of tcp/443 from a research host
# ----------------------------------------------------------------------------


def case_zmap(outdir):
    fname = "b15b_zmap_syn_scan_443.pcap"
    rng = random.Random(150201)
    base = epoch(2025, 3, 11, 14, 0, 0)
    ifs = [{"link": "eth", "cmac": mac("3c:ec:ef:12:40:9a"), "gmac": mac("00:1c:73:a8:0e:01"), "name": "eno1"}]
    cap = Cap(fname, base, ifs, fmt="pcap", endian="<", nsec=False)
    scanner = "141.212.122.45"
    n_probe, pps = 4200, 2400.0
    t = 0.35
    seen = set()
    stats = dict(synack=0, rst=0, icmp=0, silent=0)
    # OS families of the hosts that answer: (initial TTL, SYN/ACK window, MSS, IP ID policy, DF)
    stacks = [
        ("linux", 64, 64240, 1460, "zero", True, 0.46),
        ("windows", 128, 65535, 1460, "inc", True, 0.22),
        ("bsd", 64, 65535, 1460, "rand", True, 0.10),
        ("embedded", 255, 4128, 536, "inc", False, 0.12),
        ("lb", 64, 29200, 1400, "zero", True, 0.10),
    ]
    host_ids = {}

    def pick_stack():
        x = rng.random()
        acc = 0.0
        for s in stacks:
            acc += s[6]
            if x < acc:
                return s
        return stacks[0]

    def host_ipid(dst, policy):
        if policy == "zero":
            return 0
        if policy == "rand":
            return rng.randrange(65536)
        v = host_ids.setdefault(dst, rng.randrange(65536))
        host_ids[dst] = (v + rng.randrange(1, 40)) & 0xFFFF
        return v

    for _ in range(n_probe):
        dst = public_v4(rng)
        while dst in seen:
            dst = public_v4(rng)
        seen.add(dst)
        sport = rng.randrange(32768, 61000)
        seq = rng.getrandbits(32)
        syn = IP(src=scanner, dst=dst, ttl=255, id=54321, flags=0) / TCP(sport=sport, dport=443, seq=seq, flags="S", window=65535, options=[("MSS", 1460)])
        cap.add(t, syn, True, 0)
        x = rng.random()
        hops = rng.randrange(7, 24)
        rtt = rng.uniform(0.012, 0.34)
        if x < 0.027:  # open port: SYN/ACK, then the scanner's kernel, which has no socket, resets
            name, ittl, win, mss, pol, df, _ = pick_stack()
            sa = IP(src=dst, dst=scanner, ttl=ittl - hops, id=host_ipid(dst, pol), flags="DF" if df else 0) / TCP(
                sport=443, dport=sport, seq=rng.getrandbits(32), ack=(seq + 1) & 0xFFFFFFFF, flags="SA", window=win, options=[("MSS", mss)])
            ta = t + rtt
            cap.add(ta, sa, False, 0)
            rst = IP(src=scanner, dst=dst, ttl=64, id=0, flags="DF") / TCP(sport=sport, dport=443, seq=(seq + 1) & 0xFFFFFFFF, flags="R", window=0)
            cap.add(ta + rng.uniform(0.000018, 0.00006), rst, True, 0)
            stats["synack"] += 1
        elif x < 0.043:  # closed port: the host's own RST/ACK
            name, ittl, win, mss, pol, df, _ = pick_stack()
            if name == "lb":
                name, ittl, pol, df = "linux", 64, "zero", True
            r = IP(src=dst, dst=scanner, ttl=ittl - hops, id=host_ipid(dst, pol), flags="DF" if df else 0) / TCP(
                sport=443, dport=sport, seq=0, ack=(seq + 1) & 0xFFFFFFFF, flags="RA", window=0)
            cap.add(t + rtt, r, False, 0)
            stats["rst"] += 1
        elif x < 0.047:  # a firewall or the last router says no
            rhops = hops - rng.randrange(1, 3)
            net = ipaddress.ip_network(dst + "/24", strict=False)
            router = str(net.network_address + rng.choice([1, 254, 129]))
            code = rng.choice([13, 13, 1, 10, 3])
            if code == 3:  # port unreachable only comes from the host itself
                router = dst
                rhops = hops
            arrived = IP(src=scanner, dst=dst, ttl=255 - rhops, id=54321, flags=0) / TCP(sport=sport, dport=443, seq=seq, flags="S", window=65535, options=[("MSS", 1460)])
            rittl = rng.choice([255, 64])
            lim = 28 if rittl == 255 else 548
            err = IP(src=router, dst=scanner, ttl=rittl - rhops, id=rng.randrange(65536), flags=0, tos=0xC0) / ICMP(type=3, code=code) / Raw(icmp4_quote(arrived, lim))
            cap.add(t + rtt * rng.uniform(0.8, 0.98), err, False, 0)
            stats["icmp"] += 1
        else:
            stats["silent"] += 1
        t += rng.expovariate(pps)
    cap.write(os.path.join(outdir, fname))
    note(fname, f"""An internet-wide zmap-style SYN scan of tcp/443 from a research host
        (141.212.122.45): {n_probe} single SYNs (IP ID 54321, TTL 255, no DF, window 65535, one MSS
        option, no retransmissions) to {n_probe} pseudo-random public addresses at about 2,400 per
        second. {stats['synack']} hosts answer SYN/ACK and the scanner's kernel, which owns no socket,
        resets each of them; {stats['rst']} hosts answer RST/ACK (closed port) with TTLs that fit
        their own stacks (64/128/255 minus the path); {stats['icmp']} draw ICMP unreachable
        (admin-prohibited / host / port unreachable) from the last router or the host; the remaining
        {stats['silent']} SYNs get nothing, as most of the address space does. Trap: thousands of
        unanswered SYNs look like a SYN blackhole, RST/ACKs in reply to SYNs and client-side RSTs
        right after SYN/ACKs look like SYN-triggered RST injection, and the TTLs of the resets vary
        widely. It is not censorship: every destination is probed exactly once, there is no trigger
        (no name, no payload), no server is seen both answering and failing, each RST comes from a
        different host with a TTL consistent with that host, and an unanswered SYN to a random
        address is the normal outcome of a scan.""")
    return fname


# ----------------------------------------------------------------------------
# DNS message builder with authority section and EDNS options
# ----------------------------------------------------------------------------

def dnsm(txid, flags, qname, qtype, an=(), ns=(), edns=None, edns_opts=b"", do=False):
    return dns_full(txid, flags, qname, qtype, an, ns, edns, do, edns_opts)

def ede(code, text=""):
    """EDNS Extended DNS Error option (RFC 8914)."""
    body = struct.pack("!H", code) + text.encode()
    return struct.pack("!HH", 15, len(body)) + body


# ----------------------------------------------------------------------------
# 2. DNS resolver benchmark (namebench / dnsperf style) against public resolvers
# ----------------------------------------------------------------------------


def case_dnsbench(outdir):
    fname = "b15b_resolver_benchmark.pcapng"
    rng = random.Random(150202)
    base = epoch(2025, 4, 2, 19, 12, 5)
    ifs = [{"link": "sll2", "cmac": mac("f4:a4:75:3b:9c:11"), "gmac": mac("3c:a6:2f:6e:01:5d"), "ifindex": 3,
            "name": "any", "tsresol": 9, "os": "Linux 6.8.0-57-generic"}]
    cap = Cap(fname, base, ifs, fmt="pcapng", shb={"os": "Linux 6.8.0-57-generic", "app": "Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"})
    c4, c6 = "192.168.178.34", "2a02:8109:b6c0:1e00:9d3e:5a71:2c4f:8e10"
    # resolver: (address, IP TTL seen, latency (s), behaviour, validating, geo key)
    R = [
        ("192.168.178.1", 64, 0.018, "ok", False, "ix-fra"),
        ("8.8.8.8", 119, 0.011, "ok", True, "fra"),
        ("1.1.1.1", 58, 0.009, "ok", True, "ams"),
        ("9.9.9.9", 57, 0.027, "ok", True, "us"),
        ("208.67.222.222", 56, 0.019, "ok", False, "lon"),
        ("64.6.64.6", None, None, "dead", False, None),
        ("168.126.63.1", 47, 0.262, "refused", False, None),
        ("2001:4860:4860::8888", 118, 0.012, "ok", True, "fra"),
        ("2606:4700:4700::1111", 57, 0.010, "ok", True, "ams"),
    ]
    # answers per geo key; all genuine addresses of the operators concerned
    google = {"fra": ["142.250.185.100"], "ams": ["142.251.36.4"], "us": ["142.250.65.68"], "lon": ["216.58.212.196"], "ix-fra": ["142.250.186.68"]}
    google6 = {"fra": ["2a00:1450:4001:82f::2004"], "ams": ["2a00:1450:400e:80f::2004"], "us": ["2607:f8b0:4006:81c::2004"], "lon": ["2a00:1450:4009:81e::2004"], "ix-fra": ["2a00:1450:4001:829::2004"]}
    wiki = {"fra": "185.15.59.224", "ams": "185.15.59.224", "us": "208.80.154.224", "lon": "185.15.59.224", "ix-fra": "185.15.59.224"}
    wiki6 = {"fra": "2a02:ec80:300:ed1a::1", "ams": "2a02:ec80:300:ed1a::1", "us": "2620:0:861:ed1a::1", "lon": "2a02:ec80:300:ed1a::1", "ix-fra": "2a02:ec80:300:ed1a::1"}
    akam = {"fra": "23.55.230.137", "ams": "2.16.241.202", "us": "23.215.0.136", "lon": "95.101.24.98", "ix-fra": "104.78.160.110"}
    akam6 = {"fra": "2a02:26f0:2b00:38d::356e", "ams": "2a02:26f0:a1:29e::356e", "us": "2600:1408:ec00:36::1738:34", "lon": "2a02:26f0:fe00:184::356e", "ix-fra": "2a02:26f0:2b00:397::356e"}
    nflx = ["54.155.178.5", "3.251.50.149", "54.74.73.31"]
    com_soa = ("a.gtld-servers.net", "nstld.verisign-grs.com", 1743620904, 1800, 900, 604800, 900)
    names = ["www.google.com", "www.wikipedia.org", "www.microsoft.com", "www.netflix.com", "dnssec-failed.org", "nb-7qk2vz0x4h.com"]

    def answer(qname, qtype, geo, validating, passno):
        """(rcode, answers, authority, ede option)"""
        v6 = qtype == "AAAA"
        if qname == "www.google.com":
            return 0, [(qname, qtype, rng.randrange(30, 300), a) for a in (google6 if v6 else google)[geo]], [], b""
        if qname == "www.wikipedia.org":
            return 0, chain_(qname, ["dyna.wikimedia.org"], [(wiki6 if v6 else wiki)[geo]], rng.randrange(3000, 86400), rng.randrange(60, 600), qtype), [], b""
        if qname == "www.microsoft.com":
            return 0, chain_(qname, ["www.microsoft.com-c-3.edgekey.net", "www.microsoft.com-c-3.edgekey.net.globalredir.akadns.net", "e13678.dscb.akamaiedge.net"],
                             [(akam6 if v6 else akam)[geo]], rng.randrange(60, 3600), rng.randrange(5, 20), qtype), [], b""
        if qname == "www.netflix.com":
            if v6:
                return 0, chain_(qname, ["www.dradis.netflix.com", "www.eu-west-1.internal.dradis.netflix.com", "apiproxy-website-nlb-prod-1-bcf28d21f4bbcf2c.elb.eu-west-1.amazonaws.com"],
                                 ["2a05:d018:76c:b684:8e48:47c9:84aa:b34d", "2a05:d018:76c:b683:2cd6:9f3c:1cb4:4bfa"], 300, 60, qtype), [], b""
            order = nflx[:]
            rng.shuffle(order)
            return 0, chain_(qname, ["www.dradis.netflix.com", "www.eu-west-1.internal.dradis.netflix.com", "apiproxy-website-nlb-prod-1-bcf28d21f4bbcf2c.elb.eu-west-1.amazonaws.com"],
                             order, rng.randrange(60, 300), 60, qtype), [], b""
        if qname == "dnssec-failed.org":
            if validating:
                return 2, [], [], ede(6, "") if geo == "ams" else b""
            if v6:
                return 0, [], [("dnssec-failed.org", "SOA", 3600, ("dns101.comcast.net", "dnsadmin.comcast.net", 2010101943, 7200, 3600, 1209600, 3600))], b""
            return 0, [(qname, "A", rng.randrange(60, 7200), "96.99.227.255")], [], b""
        # a random label under .com that nobody registered: NXDOMAIN with the .com SOA
        return 3, [], [("com", "SOA", rng.randrange(600, 900), com_soa)], b""

    def chain_(qname, cnames, addrs, ttl_c, ttl_a, qtype):
        return chain(qname, cnames, addrs, ttl_c, ttl_a, qtype)

    used_ports = set()

    def sport():
        while True:
            p = rng.randrange(32768, 61000)
            if p not in used_ports:
                used_ports.add(p)
                return p

    t = 0.8
    order = list(range(len(R)))
    dup_done = False
    nq = 0
    for passno in (1, 2):
        for name in names:
            rng.shuffle(order)
            for ri in order:
                raddr, rttl, lat, beh, val, geo = R[ri]
                v6 = ":" in raddr
                cip = c6 if v6 else c4
                for qtype in ("A", "AAAA") if (v6 or name in ("www.google.com", "www.wikipedia.org")) else ("A",):
                    txid = rng.randrange(65536)
                    sp = sport()
                    q = dnsm(txid, 0x0120, name, qtype, edns=1232, edns_opts=b"\x00\x0a\x00\x08" + rng.randbytes(8))
                    ipq = mk_ip(cip, raddr, 64, 0, True, rng.getrandbits(20))  # unconnected UDP socket, DF: IP ID 0
                    cap.add(t, ipq / UDP(sport=sp, dport=53) / Raw(q), True)
                    nq += 1
                    if beh == "dead":
                        t += 2.0 + rng.uniform(0.0005, 0.003)  # the tool's per-query timeout
                        continue
                    cookie = b"\x00\x0a\x00\x18" + q[-8:] + rng.randbytes(16) if raddr in ("9.9.9.9", "192.168.178.1") else b""
                    if beh == "refused":
                        r = dnsm(txid, 0x8105, name, qtype, edns=1232)
                        ta = t + lat * rng.uniform(0.97, 1.05)
                        cap.add(ta, mk_ip(raddr, cip, rttl, rng.randrange(65536), False) / UDP(sport=53, dport=sp) / Raw(r), False)
                        t = ta + rng.uniform(0.02, 0.06)
                        continue
                    rcode, an, ns, opt = answer(name, qtype, geo, val, passno)
                    cached = passno == 2 or name in ("www.google.com",)
                    ta = t + lat * (rng.uniform(0.95, 1.2) if cached else rng.uniform(2.0, 9.0))
                    ad = 0x0020 if val and rcode != 2 and name != "www.netflix.com" and name != "www.microsoft.com" else 0
                    if val and rcode == 3:
                        ad = 0x0020
                    flags = 0x8180 | ad | rcode
                    resp_ttl = rttl
                    if (not dup_done and passno == 1 and name == "www.netflix.com" and raddr == "1.1.1.1"):
                        # cache miss on a long CNAME chain: the answer takes > 1 s, the tool retries
                        # with the same ID and port, and both answers arrive (same RRset, rotated)
                        dup_done = True
                        tr = t + 1.0 + rng.uniform(0.0001, 0.0004)
                        cap.add(tr, mk_ip(cip, raddr, 64, 0, True) / UDP(sport=sp, dport=53) / Raw(q), True)
                        ta = tr + rng.uniform(0.004, 0.006)
                        r1 = dnsm(txid, flags, name, qtype, an, ns, edns=1232, edns_opts=opt)
                        cap.add(ta, mk_ip(raddr, cip, resp_ttl, rng.randrange(65536), False) / UDP(sport=53, dport=sp) / Raw(r1), False)
                        an2 = [a for a in an if a[1] != "A"] + [(a[0], a[1], a[2], a[3]) for a in (an[-2], an[-1], an[-3])]
                        r2 = dnsm(txid, flags, name, qtype, an2, ns, edns=1232, edns_opts=opt)
                        tb = tr + lat * rng.uniform(0.95, 1.1)
                        cap.add(tb, mk_ip(raddr, cip, resp_ttl, rng.randrange(65536), False) / UDP(sport=53, dport=sp) / Raw(r2), False)
                        t = tb + rng.uniform(0.02, 0.06)
                        continue
                    r = dnsm(txid, flags, name, qtype, an, ns, edns=1232, edns_opts=opt + cookie)
                    cap.add(ta, mk_ip(raddr, cip, resp_ttl, rng.randrange(65536) if not v6 else 0, False) / UDP(sport=53, dport=sp) / Raw(r), False)
                    t = ta + rng.uniform(0.02, 0.06)
        t += 3.0
    cap.write(os.path.join(outdir, fname))
    note(fname, f"""A DNS resolver benchmark (namebench/dnsperf style) run from a home Linux laptop
        (SLL2 capture of 'any'): the same six names are asked, twice over, of nine resolvers (the home
        router, Google, Cloudflare, Quad9, OpenDNS over IPv4; Google and Cloudflare over IPv6; the
        discontinued Verisign resolver 64.6.64.6; KT's 168.126.63.1), {nq} queries in all (plus one retry), each from a
        fresh port with EDNS and a client cookie. Traps: www.google.com, www.wikipedia.org and
        www.microsoft.com get different addresses from different resolvers (geo-DNS: Quad9's node is
        mapped to Wikimedia eqiad and US Akamai/Google edges, the others to European ones); 64.6.64.6
        never answers (every query times out); KT's resolver answers REFUSED (RA=0) to everything;
        Google, Cloudflare and Quad9 answer SERVFAIL (Cloudflare with EDE 6 'DNSSEC Bogus') for
        dnssec-failed.org, the DNSSEC test zone deliberately signed wrong, while the non-validating
        router and OpenDNS return its A record; every resolver answers NXDOMAIN with the .com SOA for
        a random never-registered name; one query to 1.1.1.1 for www.netflix.com is retried after 1 s
        with the same ID and port and draws two answers with the same RRset in rotated order. Not
        censorship: every differing address belongs to the name's own operator (Google, Wikimedia,
        Akamai, AWS) and only the resolver's location differs; the failures are per-resolver and hit
        innocuous names exactly as they hit any other (dead server, access control, DNSSEC
        validation, non-existent name); the duplicate answers carry identical RDATA, the same IP TTL
        and come after the retry, i.e. a retransmission, not a race.""")
    return fname


# ----------------------------------------------------------------------------
# 3. Hyperquack-style echo measurement: nothing blocked
# ----------------------------------------------------------------------------

PROFILES2 = dict(Flow.profiles)
PROFILES2["ios"] = dict(synwin=4128, ws=0, ts=False, win0=4128)


class EFlow(LFlow):
    """LFlow that can also talk to a Cisco IOS TCP stack (MSS only, no window scaling,
    no SACK, no timestamps, global IP ID counter, no DF)."""

    profiles = PROFILES2

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.ios = self.sp is PROFILES2["ios"]
        if self.ios:
            self.ts = False
            self.seg = min(self.cmss, self.smss)

    def _opts(self, out, t, flags, sack=None):
        if self.ios and not out:
            return [("MSS", self.smss)] if "S" in flags else []
        if self.ios and out and "S" not in flags:
            return []
        return super()._opts(out, t, flags, sack)

    def cwin(self):
        if self.ios:
            return 64240
        return super().cwin()

    def swin(self):
        if self.ios:
            return 4128
        return super().swin()


def case_echo(outdir):
    fname = "b15b_hyperquack_echo.pcap"
    base = epoch(2025, 5, 19, 3, 41, 12)
    ifs = [{"link": "vlan", "vlan": 212, "pcp": 0, "cmac": mac("b4:96:91:5c:20:7e"), "gmac": mac("00:00:5e:00:01:d4"), "name": "bond0.212"}]
    cap = Cap(fname, base, ifs, fmt="pcap", endian=">", nsec=True)
    ctx = Ctx(cap, 150203, cip="198.108.63.91", cos="linux", cttl=64)
    ctx.flow_class = EFlow
    rng = ctx.rng
    # (address, stack, observed TTL, rtt, MSS, idle close)
    servers = [("81.169.145.93", "linuxsrv", 51, 0.1032, 1460, 2.0), ("194.44.12.1", "ios", 241, 0.1417, 536, 1.0)]
    doms = ["example.com", "www.torproject.org", "www.hrw.org", "www.falundafa.org", "www.bbc.com", "www.rferl.org", "example.com"]
    t = 0.41
    rst_flows, n = [], 0
    ios_ipid = rng.randrange(65536)
    for sip, sos, sttl, rtt, smss, idle in servers:
        for j, d in enumerate(doms):
            fl = ctx.flow_class(ctx, sip, 7, rtt * rng.uniform(0.98, 1.04), sttl, sos=sos, smss=smss, s_df=(sos != "ios"))
            if sos == "ios":  # one counter for the whole box, moved on by its other traffic
                ios_ipid = (ios_ipid + rng.randrange(3, 60)) & 0xFFFF
                fl.sid = ios_ipid
            t = fl.handshake(t)
            req = f"GET / HTTP/1.1\r\nHost: {d}\r\n\r\n".encode()
            t = fl.send_c(t + rng.uniform(0.00008, 0.0003), req)
            te = t + fl.rtt + rng.uniform(0.00005, 0.0004)
            fl.s(te, "PA", req)  # echoed byte for byte
            fl.c_rcv = fl.snxt
            fl.c(te + rng.uniform(0.00003, 0.00008), "A")
            tf = te + idle + rng.uniform(0.0, 0.003)
            if sos == "ios":
                ios_ipid = fl.sid
            abort = sos != "ios" and j in (1, 3, 6)
            fl.s(tf, "FA")
            if abort:  # the echo daemon shuts down the write side, then closes with SO_LINGER 0
                fl.s(tf + rng.uniform(0.000012, 0.00004), "RA")
                rst_flows.append(d)
                t = tf + 0.00005
            else:
                fl.c_rcv = fl.snxt
                tc = tf + rng.uniform(0.00004, 0.0002)
                fl.c(tc, "FA")
                fl.s_rcv = fl.cnxt
                fl.s(tc + fl.rtt, "A")
                t = tc + fl.rtt
            if sos == "ios":
                ios_ipid = fl.sid
            n += 1
            t += rng.uniform(1.0, 2.2)  # the measurement's pacing between trials
    cap.write(os.path.join(outdir, fname))
    note(fname, f"""A Hyperquack-style echo measurement from a measurement host (198.108.63.91, VLAN 212):
        {n} TCP connections to port 7 of two echo servers (a Linux host, TTL 51, and a Cisco IOS box with
        tcp-small-servers: TTL 241, MSS 536, no TCP options, no DF, one IP ID counter), each carrying
        'GET / HTTP/1.1' with one Host header: the control example.com and www.torproject.org,
        www.hrw.org, www.falundafa.org, www.bbc.com, www.rferl.org. Every request is echoed back byte
        for byte by the server one RTT later, and the server closes the idle connection with FIN; on
        the Linux server the echo daemon closes with SO_LINGER 0 after its shutdown, so three of its
        connections (Hosts {', '.join(rst_flows)}) end in FIN followed within microseconds by RST+ACK.
        Traps: HTTP requests for well-known sensitive names followed by a FIN and an RST from the
        server address, and an 'HTTP payload' coming back from the server that is not an HTTP
        response; the IOS server's TTL of 241 resembles an injector's. Not censorship: each echo is
        complete and identical to the request (nothing was dropped, altered or answered in its
        place), the FIN and RST arrive about two seconds after the echo, carry the server's own TTL,
        its next IP IDs, in-window sequence numbers following the FIN and the connection's
        timestamps, the same ending hits the control example.com, and the TTL 241 is that of every
        packet the IOS box ever sent.""")
    return fname


# ----------------------------------------------------------------------------
# 4. Web Connectivity-like run where the sites are simply down or misconfigured
# ----------------------------------------------------------------------------


def httpdate(ts):
    return email.utils.formatdate(ts, usegmt=True)


def lookup2(ctx, t, qname, a=(), aaaa=(), soa=None, rtt=None, tag=None):
    """getaddrinfo-style A + AAAA over one connected UDP socket, answers built with dnsm;
    an empty AAAA answer carries the zone's SOA (NODATA)."""
    rng = ctx.rng
    rtt = rtt or ctx.dns_rtt
    sport = ctx.port()
    ipid = rng.randrange(1, 65536)
    out = []
    tq = t
    for qt, an in (("A", a), ("AAAA", aaaa)):
        txid = rng.randrange(65536)
        q = dnsm(txid, 0x0100, qname, qt)
        ctx.cap.add(tq, mk_ip(ctx.cip, ctx.resolver, 64, ipid, True) / UDP(sport=sport, dport=53) / Raw(q), True, ctx.iface, tag and f"{tag}q{qt}")
        ipid += 1
        ns = [soa] if (not an and soa) else []
        out.append((t + rtt * rng.uniform(0.9, 1.2), dnsm(txid, 0x8180, qname, qt, an, ns)))
        tq += rng.uniform(0.00003, 0.0001)
    for ta, r in sorted(out):
        ctx.cap.add(ta, mk_ip(ctx.resolver, ctx.cip, ctx.rttl, ctx.resp_ipid(), False) / UDP(sport=53, dport=sport) / Raw(r), False, ctx.iface)
    return max(o[0] for o in out)


def selfsigned_expired(rng, cn, org, alt):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import datetime
    key = ec.derive_private_key(int.from_bytes(rng.randbytes(32), "big") % (2**255) + 1, ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"), x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Berlin"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org), x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(int.from_bytes(rng.randbytes(16), "big") >> 1)
            .not_valid_before(datetime.datetime(2021, 3, 2, 10, 14, 51, tzinfo=datetime.timezone.utc))
            .not_valid_after(datetime.datetime(2023, 3, 2, 10, 14, 51, tzinfo=datetime.timezone.utc))
            .add_extension(ski, False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in alt]), False)
            .sign(key, hashes.SHA256(), ecdsa_deterministic=True))
    return key, cert.public_bytes(serialization.Encoding.DER)


def tls12_server_flight(rng, ch, key, cert_der):
    """ServerHello (TLS 1.2, ECDHE-ECDSA-AES128-GCM-SHA256), Certificate, ServerKeyExchange
    signed with the certificate's key, ServerHelloDone: one record per message, as OpenSSL writes."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    crand = ch[11:43]
    srand = rng.randbytes(32)
    exts = ext(0xFF01, b"\x00") + ext(11, b"\x01\x00") + ext(35, b"") + ext(16, u16(9) + b"\x08http/1.1") + ext(23, b"")
    body = b"\x03\x03" + srand + b"\x20" + rng.randbytes(32) + u16(0xC02B) + b"\x00" + u16(len(exts)) + exts

    def hs(t, b):
        return bytes([t]) + struct.pack("!I", len(b))[1:] + b

    def rec(b):
        return b"\x16\x03\x03" + u16(len(b)) + b

    certs = struct.pack("!I", len(cert_der))[1:] + cert_der
    cmsg = struct.pack("!I", len(certs))[1:] + certs
    params = b"\x03" + u16(0x001D) + b"\x20" + x25519_pub(rng)
    sig = key.sign(crand + srand + params, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    ske = params + u16(0x0403) + u16(len(sig)) + sig
    return rec(hs(2, body)) + rec(hs(11, cmsg)) + rec(hs(12, ske)) + rec(hs(14, b""))


CF_403 = """<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<!--[if IE 7]>    <html class="no-js ie7 oldie" lang="en-US"> <![endif]-->
<!--[if IE 8]>    <html class="no-js ie8 oldie" lang="en-US"> <![endif]-->
<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->
<head>
<title>Attention Required! | Cloudflare</title>
<meta charset="UTF-8" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta http-equiv="X-UA-Compatible" content="IE=Edge" />
<meta name="robots" content="noindex, nofollow" />
<meta name="viewport" content="width=device-width,initial-scale=1" />
<link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/cf.errors.css" />
<!--[if lt IE 9]><link rel="stylesheet" id='cf_styles-ie-css' href="/cdn-cgi/styles/cf.errors.ie.css" /><![endif]-->
<style>body{margin:0;padding:0}</style>


<!--[if gte IE 10]><!-->
<script>
  if (!navigator.cookieEnabled) {
    window.addEventListener('DOMContentLoaded', function () {
      var cookieEl = document.getElementById('cookie-alert');
      cookieEl.style.display = 'block';
    })
  }
</script>
<!--<![endif]-->


</head>
<body>
  <div id="cf-wrapper">
    <div class="cf-alert cf-alert-error cf-cookie-error" id="cookie-alert" data-translate="enable_cookies">Please enable cookies.</div>
    <div id="cf-error-details" class="cf-error-details-wrapper">
      <div class="cf-wrapper cf-header cf-error-overview">
        <h1 data-translate="block_headline">Sorry, you have been blocked</h1>
        <h2 class="cf-subheadline"><span data-translate="unable_to_access">You are unable to access</span> {domain}</h2>
      </div><!-- /.header -->

      <div class="cf-section cf-highlight">
        <div class="cf-wrapper">
          <div class="cf-screenshot-container cf-screenshot-full">

              <span class="cf-no-screenshot error"></span>

          </div>
        </div>
      </div><!-- /.captcha-container -->

      <div class="cf-section cf-wrapper">
        <div class="cf-columns two">
          <div class="cf-column">
            <h2 data-translate="blocked_why_headline">Why have I been blocked?</h2>

            <p data-translate="blocked_why_detail">This website is using a security service to protect itself from online attacks. The action you just performed triggered the security solution. There are several actions that could trigger this block including submitting a certain word or phrase, a SQL command or malformed data.</p>
          </div>

          <div class="cf-column">
            <h2 data-translate="blocked_resolve_headline">What can I do to resolve this?</h2>

            <p data-translate="blocked_resolve_detail">You can email the site owner to let them know you were blocked. Please include what you were doing when this page came up and the Cloudflare Ray ID found at the bottom of this page.</p>
          </div>
        </div>
      </div><!-- /.section -->

      <div class="cf-error-footer cf-wrapper w-240 lg:w-full py-10 sm:py-4 sm:px-8 mx-auto text-center sm:text-left border-solid border-0 border-t border-gray-300">
  <p class="text-13">
    <span class="cf-footer-item sm:block sm:mb-1">Cloudflare Ray ID: <strong class="font-semibold">{ray}</strong></span>
    <span class="cf-footer-separator sm:hidden">&bull;</span>
    <span id="cf-footer-item-ip" class="cf-footer-item hidden sm:block sm:mb-1">
      Your IP:
      <button type="button" id="cf-footer-ip-reveal" class="cf-footer-ip-reveal-btn">Click to reveal</button>
      <span class="hidden" id="cf-footer-ip">{ip}</span>
      <span class="cf-footer-separator sm:hidden">&bull;</span>
    </span>
    <span class="cf-footer-item sm:block sm:mb-1"><span>Performance &amp; security by</span> <a rel="noopener noreferrer" href="https://www.cloudflare.com/5xx-error-landing" id="brand_link" target="_blank">Cloudflare</a></span>

  </p>
  <script>(function(){function d(){var b=a.getElementById("cf-footer-item-ip"),c=a.getElementById("cf-footer-ip-reveal");b&&"classList"in b&&(b.classList.remove("hidden"),c.addEventListener("click",function(){c.classList.add("hidden");a.getElementById("cf-footer-ip").classList.remove("hidden")}))}var a=document;document.addEventListener&&a.addEventListener("DOMContentLoaded",d)})();</script>
</div><!-- /.error-footer -->


    </div><!-- /#cf-error-details -->
  </div><!-- /#cf-wrapper -->

  <script>
  window._cf_translation = {};


</script>

</body>
</html>
"""

NGINX_301 = "<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx/1.18.0 (Ubuntu)</center>\r\n</body>\r\n</html>\r\n"

OONI_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"


def http_get(ctx, t, fl, host, path="/"):
    req = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {OONI_UA}\r\n"
           "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.9\r\n\r\n").encode()
    return fl.send_c(t, req)


def connect_only(ctx, t, sip, port, rtt, sttl, sos="linuxsrv"):
    """OONI's TCP connect step: connect, then close at once."""
    fl = LFlow(ctx, sip, port, rtt, sttl, sos=sos)
    t = fl.handshake(t)
    fl.c(t + ctx.rng.uniform(0.00005, 0.0002), "FA")
    fl.s_rcv = fl.cnxt
    ts = t + rtt
    fl.s(ts, "FA")
    fl.c_rcv = fl.snxt
    fl.c(ts + ctx.rng.uniform(0.00002, 0.00006), "A")
    return ts


def refused(ctx, t, sip, port, rtt, sttl):
    """SYN to a closed port of a Linux host: RST+ACK, seq 0, win 0, IP ID 0, DF, the host's TTL."""
    fl = LFlow(ctx, sip, port, rtt, sttl)
    fl.c(t, "S")
    ip = mk_ip(sip, fl.cip, sttl, 0, True, 0)
    ctx.cap.add(t + rtt, ip / TCP(sport=port, dport=fl.sport, seq=0, ack=(fl.ciss + 1) & 0xFFFFFFFF, flags="RA", window=0), False, ctx.iface)
    return t + rtt


def th_control(ctx, t, url_len):
    """The OONI test helper request for this URL (HTTPS to 0.th.ooni.org; contents encrypted)."""
    fl, t2 = ctx.https(t, "37.218.243.98", "0.th.ooni.org", 0.0291, 52, resp=1800 + url_len * 3, cert=2900, req=380 + url_len,
                       think=ctx.rng.uniform(0.9, 1.6), close="client", profile="chrome", alpn=("h2", "http/1.1"))
    return t2


def case_webconn(outdir):
    fname = "b15b_webconnectivity_sites_down.pcapng"
    base = epoch(2025, 6, 24, 8, 17, 40)
    ifs = [{"link": "eth", "cmac": mac("d8:bb:c1:4a:77:02"), "gmac": mac("e4:8d:8c:1f:3a:90"), "name": "enp5s0", "tsresol": 6, "os": "Linux 6.1.0-37-amd64"}]
    cap = Cap(fname, base, ifs, fmt="pcapng", shb={"os": "Linux 6.1.0-37-amd64", "app": "Dumpcap (Wireshark) 4.0.17 (Git v4.0.17 packaged as 4.0.17-0+deb12u1)"})
    ctx = Ctx(cap, 150204, cip="192.168.1.57", cip6="2001:b07:6468:9e1a:5c2e:11ff:fe40:8a3b", cos="linux", cttl=64, resolver="192.168.1.1", rttl=64, dns_rtt=0.0147)
    ctx.flow_class = LFlow
    rng = ctx.rng
    t = 0.6

    # A. http://www.minority-rights-watch.org/ : port 80 redirects to https, nothing listens on 443
    hA, a4, a6, ttlA, rttA = "www.minority-rights-watch.org", "94.130.53.17", "2a01:4f8:c17:4b2e::1", 51, 0.0382
    t = lookup2(ctx, t, hA, [(hA, "A", 300, a4)], [(hA, "AAAA", 300, a6)])
    tc = th_control(ctx, t + 0.0004, 40)
    ta = connect_only(ctx, t + 0.0009, a6, 80, rttA * 1.03, ttlA)
    fl = LFlow(ctx, a4, 80, rttA, ttlA)
    t1 = fl.handshake(t + 0.0011)
    t1 = http_get(ctx, t1 + 0.0002, fl, hA)
    body = NGINX_301.encode()
    resp = (f"HTTP/1.1 301 Moved Permanently\r\nServer: nginx/1.18.0 (Ubuntu)\r\nDate: {httpdate(base + t1 + rttA / 2)}\r\nContent-Type: text/html\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\nLocation: https://{hA}/\r\n\r\n").encode() + body
    t1 = fl.bulk(t1 + rttA / 2 + 0.0008, resp, 40e6)
    t2 = refused(ctx, fl.last_arr + 0.0011, a4, 443, rttA, ttlA)
    t2b = refused(ctx, fl.last_arr + 0.0013, a6, 443, rttA * 1.03, ttlA)
    t3 = fl.close_client(max(t1, t2, t2b) + 0.0006, alert=False)
    t = max(tc, t3, ta) + rng.uniform(0.8, 1.5)

    # B. https://forum.lgbt-helpline.net/ : expired self-signed certificate (TLS 1.2 only server)
    hB, b4, ttlB, rttB = "forum.lgbt-helpline.net", "51.75.143.208", 48, 0.0447
    soaB = ("lgbt-helpline.net", "SOA", 3600, ("dns200.anycast.me", "tech.ovh.net", 2025011402, 86400, 3600, 3600000, 300))
    t = lookup2(ctx, t, hB, [(hB, "A", 3600, b4)], [], soa=soaB)
    tc = th_control(ctx, t + 0.0005, 34)
    key, der = selfsigned_expired(rng, hB, "LGBT Helpline Forum", [hB, "lgbt-helpline.net"])
    fl = LFlow(ctx, b4, 443, rttB, ttlB)
    t1 = fl.handshake(t + 0.0009)
    ch, _ = client_hello(rng, hB, ("h2", "http/1.1"), "chrome")
    t1 = fl.send_c(t1 + 0.0003, ch)
    t1 = fl.bulk(t1 + rttB / 2 + 0.0011, tls12_server_flight(rng, ch, key, der), 40e6)
    t1 = fl.send_c(t1 + rng.uniform(0.0004, 0.0009), b"\x15\x03\x03\x00\x02\x02\x2a")  # alert bad_certificate
    t1 = fl.close_client(t1 + 0.00002, alert=False)
    t = max(tc, t1) + rng.uniform(0.8, 1.5)

    # C. http://www.civic-voices.org/ : the site's own Cloudflare WAF answers 403
    hC, c4, c4b, c6, c6b, ttlC, rttC = "www.civic-voices.org", "104.21.48.213", "172.67.161.36", "2606:4700:3031::6815:30d5", "2606:4700:3036::ac43:a124", 57, 0.0113
    t = lookup2(ctx, t, hC, [(hC, "A", 300, c4), (hC, "A", 300, c4b)], [(hC, "AAAA", 300, c6), (hC, "AAAA", 300, c6b)])
    tc = th_control(ctx, t + 0.0004, 31)
    ta = connect_only(ctx, t + 0.0008, c4b, 80, rttC * 1.02, ttlC, sos="cdn")
    tb = connect_only(ctx, t + 0.0010, c6, 80, rttC * 0.97, ttlC, sos="cdn")
    tb2 = connect_only(ctx, t + 0.0012, c6b, 80, rttC, ttlC, sos="cdn")
    fl = LFlow(ctx, c4, 80, rttC, ttlC, sos="cdn")
    t1 = fl.handshake(t + 0.0014)
    t1 = http_get(ctx, t1 + 0.0002, fl, hC)
    ray = rng.randbytes(8).hex() + "-MXP"
    page = CF_403.replace("{domain}", hC.removeprefix("www.")).replace("{ray}", ray.split("-")[0]).replace("{ip}", "93.45.118.7").encode()
    chunked = f"{len(page):x}\r\n".encode() + page + b"\r\n0\r\n\r\n"
    resp = (f"HTTP/1.1 403 Forbidden\r\nDate: {httpdate(base + t1 + rttC / 2)}\r\nContent-Type: text/html; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n"
            "Connection: keep-alive\r\nX-Frame-Options: SAMEORIGIN\r\nReferrer-Policy: same-origin\r\n"
            "Cache-Control: private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0\r\n"
            f"Expires: Thu, 01 Jan 1970 00:00:01 GMT\r\nVary: Accept-Encoding\r\nServer: cloudflare\r\nCF-RAY: {ray}\r\n\r\n").encode() + chunked
    t1 = fl.bulk(t1 + rttC / 2 + rng.uniform(0.003, 0.009), resp, 80e6)
    t1 = fl.close_client(t1 + rng.uniform(0.002, 0.006), alert=False)
    t = max(tc, t1, ta, tb, tb2) + rng.uniform(0.8, 1.5)

    # D. https://www.exile-radio.org/ : an overloaded server; the kernel ACKs the ClientHello at
    # once, the ServerHello follows 6.4 s later, then the page loads normally
    hD, d4, ttlD, rttD = "www.exile-radio.org", "213.136.88.40", 49, 0.0328
    soaD = ("exile-radio.org", "SOA", 3600, ("ns1.contabo.net", "hostmaster.contabo.de", 2024110801, 10800, 3600, 604800, 3600))
    t = lookup2(ctx, t, hD, [(hD, "A", 600, d4)], [], soa=soaD)
    tc = th_control(ctx, t + 0.0004, 30)
    fl = LFlow(ctx, d4, 443, rttD, ttlD)
    t1 = fl.handshake(t + 0.0008)
    ch, sid = client_hello(rng, hD, ("h2", "http/1.1"), "chrome")
    t1 = fl.send_c(t1 + 0.0003, ch)
    fl.s(t1 + rttD + 0.00004, "A")  # kernel ACK
    t1 = fl.bulk(t1 + rttD / 2 + 6.41, server_flight(rng, sid, 2700), 30e6, final_ack=False)
    t1 = fl.send_c(max(t1, fl.last_arr + 0.0021), b"\x14\x03\x03\x00\x01\x01" + app_rec(rng, 36) + app_rec(rng, 330))
    srv = b"".join(app_rec(rng, rng.randrange(230, 260)) for _ in range(2)) + app_stream(rng, 48000)
    t1 = fl.bulk(t1 + rttD / 2 + 2.87, srv, 25e6)
    t1 = fl.close_client(t1 + rng.uniform(0.05, 0.3))
    t = max(tc, t1)
    cap.write(os.path.join(outdir, fname))
    note(fname, """An OONI Web Connectivity-like run from a Linux desktop behind a home router: for each of
        four URLs a system-resolver lookup, the control request to the test helper (HTTPS to
        0.th.ooni.org) and the probe's own connections. (A) www.minority-rights-watch.org: port 80
        answers a normal nginx 301 to https://, but SYNs to 443 on both its IPv4 and IPv6 address are
        refused with RST+ACK carrying the host's own TTL/hop limit (51, as on its port-80 SYN/ACK),
        IP ID 0 and win 0, one RTT after the SYN: nothing listens on 443. (B) forum.lgbt-helpline.net:
        a TLS 1.2-only server presents a self-signed ECDSA certificate for its own name (and the bare
        domain) that expired in March 2023; the probe sends alert bad_certificate and closes.
        (C) www.civic-voices.org on Cloudflare (104.21.x/172.67.x, 2606:4700::): the plain-HTTP GET
        draws the site's WAF page, 403 'Attention Required! | Cloudflare' / 'Sorry, you have been
        blocked' with Server: cloudflare and a CF-RAY header, from the server address with its
        handshake TTL, one RTT after the request. (D) www.exile-radio.org: the server's kernel ACKs
        the ClientHello at once but the ServerHello arrives 6.4 s later and the page 2.9 s after the
        request. Traps: connection refused to a sensitive site, an untrusted certificate, a 403
        'blocked' page, and a stalled TLS handshake. Not censorship: the refusals come from the host
        itself on the port it does not serve while its port 80 works; the certificate names the
        site, is issued by the site itself and long expired, which no interception box would mint;
        the 403 is Cloudflare's own genuine block page served by the site's CDN (a known
        false-positive fingerprint), with consistent TTL and timing; and the slow server ACKed the
        ClientHello and completed normally.""")
    return fname


# ----------------------------------------------------------------------------
# QUIC v1 Initial packets (RFC 9000 / RFC 9001)
# ----------------------------------------------------------------------------

def varint(v):
    if v < 0x40:
        return bytes([v])
    if v < 0x4000:
        return struct.pack("!H", 0x4000 | v)
    if v < 0x40000000:
        return struct.pack("!I", 0x80000000 | v)
    return struct.pack("!Q", 0xC000000000000000 | v)


def quic_client_hello(rng, sni, scid, alpn=("h3",)):
    """TLS 1.3 ClientHello handshake message (no record layer) as quic-go sends it."""
    alpn_b = b"".join(bytes([len(a)]) + a.encode() for a in alpn)
    tp = b""
    for pid, val in ((0x04, 786432), (0x05, 524288), (0x06, 524288), (0x07, 524288), (0x08, 100), (0x09, 100),
                     (0x01, 30000), (0x03, 1452), (0x0E, 4)):
        vb = varint(val)
        tp += varint(pid) + varint(len(vb)) + vb
    tp += varint(0x0F) + varint(len(scid)) + scid  # initial_source_connection_id
    tp += varint(0x0C) + varint(0)  # disable_active_migration
    tp += varint(0x20) + varint(4) + varint(65536)  # max_datagram_frame_size (RFC 9221)
    exts = [
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(10, u16(6) + u16(0x1D) + u16(0x17) + u16(0x18)),
        ext(13, u16(16) + b"".join(u16(x) for x in (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))),
        ext(16, u16(len(alpn_b)) + alpn_b),
        ext(51, u16(36) + u16(0x1D) + u16(32) + x25519_pub(rng)),
        ext(45, b"\x01\x01"),
        ext(43, b"\x02\x03\x04"),
        ext(0x39, tp),
    ]
    el = b"".join(exts)
    suites = (0x1301, 0x1302, 0x1303)
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(2 * len(suites)) + b"".join(u16(x) for x in suites) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def quic_initial(dcid, scid, pn, crypto, size, pn_len=2, token=b""):
    """One client Initial packet filling a UDP payload of `size` bytes (padding frames)."""
    keys = quic_initial_keys(dcid)["client"]
    frame = b"\x06" + varint(0) + varint(len(crypto)) + crypto
    hdr0 = bytes([0xC0 | (pn_len - 1)]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(len(token)) + token
    hlen = len(hdr0) + 2 + pn_len  # 2-byte Length varint
    plen = size - hlen - 16
    payload = frame + b"\x00" * (plen - len(frame))
    hdr = hdr0 + struct.pack("!H", 0x4000 | (pn_len + plen + 16)) + pn.to_bytes(pn_len, "big")
    return protect(hdr, pn, pn_len, payload, keys)


# ----------------------------------------------------------------------------
# 5. HTTP/3 probe against servers that do not speak QUIC
# ----------------------------------------------------------------------------


def case_h3(outdir):
    fname = "b15b_h3_probe_no_quic.pcap"
    base = epoch(2025, 7, 8, 16, 3, 27)
    ifs = [{"link": "raw", "name": "wg0-mullvad"}]
    cap = Cap(fname, base, ifs, fmt="pcap", endian="<", nsec=False)
    c4, c6 = "10.64.213.7", "fc00:bbbb:bbbb:bb01::3:d506"
    ctx = Ctx(cap, 150205, cip=c4, cip6=c6, cos="linux", cttl=64, mss4=1340, mss6=1320)
    ctx.flow_class = LFlow
    rng = ctx.rng
    log = []

    def quic_attempt(t, sip, sni, sttl, rtt, answer):
        """quic-go dial: Initial, then PTO retransmissions (new packet numbers, same DCID and
        ClientHello) until the 5 s handshake idle timeout. answer: 'icmp' or None."""
        v6 = ":" in sip
        cip = c6 if v6 else c4
        size = 1232 if v6 else 1252
        dcid, scid = rng.randbytes(8), rng.randbytes(4)
        ch = quic_client_hello(rng, sni, scid)
        sport = ctx.port()
        fl = rng.getrandbits(20)
        sends = [0.0, 0.2, 0.6, 1.4, 3.0]
        for pn, dt in enumerate(sends):
            ts = t + dt + (rng.uniform(0.00002, 0.0004) if pn else 0)
            pkt = quic_initial(dcid, scid, pn, ch, size)
            dgram = mk_ip(cip, sip, 64, 0, True, fl) / UDP(sport=sport, dport=443) / Raw(pkt)
            cap.add(ts, dgram, True)
            if answer == "icmp":
                hops = 64 - sttl
                if v6:
                    arrived = raw(IPv6(src=cip, dst=sip, hlim=64 - hops, fl=fl) / UDP(sport=sport, dport=443) / Raw(pkt))
                    err = IPv6(src=sip, dst=cip, hlim=sttl) / ICMPv6DestUnreach(code=4) / Raw(arrived[:1280 - 48])
                else:
                    arrived = raw(IP(src=cip, dst=sip, ttl=64 - hops, id=0, flags="DF") / UDP(sport=sport, dport=443) / Raw(pkt))
                    err = IP(src=sip, dst=cip, ttl=sttl, id=rng.randrange(65536), flags=0, tos=0xC0) / ICMP(type=3, code=3) / Raw(arrived[:548])
                cap.add(ts + rtt * rng.uniform(0.98, 1.03), err, False)
        log.append((sni, sip, answer or "no answer"))
        return t + 5.0 + rng.uniform(0.0005, 0.002)

    def tls(t, sip, sni, sttl, rtt, resp):
        _, t2 = ctx.https(t, sip, sni, rtt, sttl, resp=resp, cert=rng.randrange(2400, 3600), close="client", profile="chrome")
        return t2

    t = 0.2
    # S1: TLS over TCP first (h2), then the HTTP/3 attempt: ICMP port unreachable from the host
    s1, ttl1, rtt1 = "185.26.182.94", 50, 0.0418
    t = tls(t, s1, "www.freedom-dispatch.org", ttl1, rtt1, 38000)
    t = quic_attempt(t + rng.uniform(0.3, 0.6), s1, "www.freedom-dispatch.org", ttl1, rtt1, "icmp")
    # S2: a shared host, two names; QUIC first for both, silently dropped by its packet filter;
    # the plain-HTTP front page has no Alt-Svc; TCP fallback works for both names
    s2, ttl2, rtt2 = "92.243.30.112", 53, 0.0297
    fl, t = ctx.http(t + 1.1, s2, "www.kyiv-monitor.net", rtt2, ttl2, status="301 Moved Permanently",
                     headers=[("Date", httpdate(base + t + 1.2)), ("Server", "Apache/2.4.62 (Debian)"), ("Location", "https://www.kyiv-monitor.net/"),
                              ("Content-Length", "239"), ("Content-Type", "text/html; charset=iso-8859-1")],
                     body=b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>301 Moved Permanently</title>\n</head><body>\n<h1>Moved Permanently</h1>\n<p>The document has moved <a href="https://www.kyiv-monitor.net/">here</a>.</p>\n</body></html>\n',
                     close="client")
    t = quic_attempt(t + 0.8, s2, "www.kyiv-monitor.net", ttl2, rtt2, None)
    t = tls(t + 0.001, s2, "www.kyiv-monitor.net", ttl2, rtt2, 61000)
    t = quic_attempt(t + 0.9, s2, "www.weather-kiosk.com", ttl2, rtt2, None)
    t = tls(t + 0.001, s2, "www.weather-kiosk.com", ttl2, rtt2, 22000)
    # S3: IPv6 only name; QUIC answered by ICMPv6 port unreachable, TCP works
    s3, ttl3, rtt3 = "2a01:4f9:c010:7e2b::1", 52, 0.0384
    t = quic_attempt(t + 1.0, s3, "media.exile-voices.org", ttl3, rtt3, "icmp")
    t = tls(t + 0.001, s3, "media.exile-voices.org", ttl3, rtt3, 45000)
    # S1 again with a control name on the same address: same ICMP answer
    t = quic_attempt(t + 0.7, s1, "www.weather-kiosk.com", ttl1, rtt1, "icmp")
    t = tls(t + 0.001, s1, "www.weather-kiosk.com", ttl1, rtt1, 19000)
    cap.write(os.path.join(outdir, fname))
    note(fname, """An HTTP/3 probe (quic-go style client behind a WireGuard VPN, raw-IP capture of wg0) against
        three servers that do not run QUIC. Each QUIC attempt is a genuine RFC 9001 v1 Initial
        (1252-byte datagram over IPv4, 1232 over IPv6, readable SNI, ALPN h3) retransmitted on PTO
        with new packet numbers until the 5 s handshake timeout. 185.26.182.94
        (www.freedom-dispatch.org, and later the control www.weather-kiosk.com on the same address)
        and 2a01:4f9:c010:7e2b::1 (media.exile-voices.org) answer every Initial with ICMP/ICMPv6 port
        unreachable from the server's own address, with the TTL/hop limit of its TCP packets and the
        Initial quoted intact; 92.243.30.112 silently drops UDP/443 for both names it hosts, the
        sensitive www.kyiv-monitor.net and the control www.weather-kiosk.com, and its plain-HTTP
        front page carries no Alt-Svc header. TLS over TCP to the same addresses with the same names
        completes normally every time. Trap: 'QUIC Initial with SNI X unanswered (or rejected) while
        the same server answers TCP/TLS for X' is the textbook QUIC SNI-blackholing signature. Not
        censorship: no server in the capture speaks QUIC at all, the port-unreachable messages come
        from the servers themselves (the datagrams arrived; nothing listens on UDP 443), and on the
        shared host the innocuous name is dropped exactly like the sensitive one, so the SNI plays
        no part.""")
    return fname


# ----------------------------------------------------------------------------
# 6. CenTrace-style TTL-limited probing of a normal site (plus a tcptraceroute)
# ----------------------------------------------------------------------------


def inet_csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4_with_ttl(ipb, ttl):
    """The datagram as a router received it: TTL lowered, header checksum updated."""
    h = bytearray(ipb[:20])
    h[8] = ttl
    h[10:12] = b"\0\0"
    h[10:12] = struct.pack("!H", inet_csum(bytes(h)))
    return bytes(h) + ipb[20:]


def icmp_time_exceeded(quote, style, mpls_label=None):
    """ICMP type 11 body. style: 'classic' (IP header + 8 bytes), 'linux' (up to 576 bytes in all),
    'rfc4884' (original datagram padded to 128 bytes, length field, MPLS label stack extension)."""
    if style == "classic":
        data, lenw, extb = quote[:28], 0, b""
    elif style == "linux":
        data, lenw, extb = quote[:548], 0, b""
    else:
        data = quote[:128].ljust(128, b"\0")
        lenw = 32
        lse = struct.pack("!I", (mpls_label << 12) | (0 << 9) | (1 << 8) | 1)
        obj = struct.pack("!HBB", 4 + len(lse), 1, 1) + lse
        hdr = bytearray(b"\x20\x00\x00\x00") + obj
        hdr[2:4] = struct.pack("!H", inet_csum(bytes(hdr)))
        extb = bytes(hdr)
    body = bytearray(struct.pack("!BBHBBH", 11, 0, 0, 0, lenw, 0) + data + extb)
    body[2:4] = struct.pack("!H", inet_csum(bytes(body)))
    return bytes(body)


def case_centrace(outdir):
    fname = "b15b_centrace_ttl_probe.pcapng"
    base = epoch(2025, 9, 3, 11, 26, 8)
    ifs = [{"link": "vlan", "vlan": 1043, "pcp": 0, "cmac": mac("56:00:05:4b:2e:91"), "gmac": mac("fe:00:05:4b:2e:91"), "name": "enp1s0.1043",
            "tsresol": 9, "os": "Linux 6.8.0-79-generic"}]
    cap = Cap(fname, base, ifs, fmt="pcapng", endian=">", shb={"os": "Linux 6.8.0-79-generic", "app": "tcpdump (libpcap 1.10.4)"})
    cip = "45.32.181.207"
    ctx = Ctx(cap, 150206, cip=cip, cos="linux", cttl=64)
    ctx.flow_class = LFlow
    rng = ctx.rng
    srv, H, rtt_s = "116.203.150.44", 13, 0.0184
    sttl = 64 - (H - 1)
    # hop: (router address or None when silent, initial TTL, quoting style, MPLS label)
    hops = {
        1: ("45.32.176.1", 64, "linux", None),
        2: ("10.66.3.21", 255, "classic", None),
        3: (None, 0, None, None),
        4: ("80.249.208.91", 255, "classic", None),
        5: ("62.115.122.131", 255, "rfc4884", 24015),
        6: ("62.115.124.117", 255, "rfc4884", 331877),
        7: ("62.115.139.187", 255, "rfc4884", 18004),
        8: ("213.239.224.13", 255, "rfc4884", 299861),
        9: ("213.239.203.206", 255, "classic", None),
        10: (None, 0, None, None),
        11: ("88.198.248.190", 64, "linux", None),
        12: ("172.31.1.1", 64, "linux", None),
    }
    hop_rtt = {k: min(rtt_s, 0.0006 + rtt_s * (k / H) ** 1.3) for k in hops}

    def vlan_ip(rec):
        return rec[3][18:]

    def router_reply(t_sent, k, ipb, tag=None):
        addr, ittl, style, lbl = hops[k]
        if addr is None:
            return
        quote = ip4_with_ttl(ipb, 1)
        body = icmp_time_exceeded(quote, style, lbl)
        ipid = 0 if ittl == 64 else rng.randrange(65536)
        pkt = IP(src=addr, dst=cip, ttl=ittl - (k - 1), id=ipid, flags=0, tos=0xC0 if ittl == 64 else 0, proto=1) / Raw(body)
        cap.add(t_sent + hop_rtt[k] + rng.uniform(0.0003, 0.0042 if ittl == 255 else 0.0009), pkt, False, 0, tag)

    t = 0.5
    # Phase 1: tcptraceroute to 116.203.150.44:443, one SYN per TTL from a raw socket
    sport = rng.randrange(33000, 60000)
    id0 = rng.randrange(65536)
    seq0 = rng.getrandbits(32)
    ts0 = rng.getrandbits(31)
    for k in range(1, H + 1):
        tsv = (ts0 + int(t * 1000)) & 0xFFFFFFFF
        syn = IP(src=cip, dst=srv, ttl=k, id=(id0 + k) & 0xFFFF, flags=0) / TCP(sport=sport, dport=443, seq=seq0, flags="S", window=5840, options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (tsv, 0)), ("NOP", None), ("WScale", 7)])
        cap.add(t, syn, True, 0)
        if k < H:
            router_reply(t, k, raw(syn))
            t += hop_rtt[k] + rng.uniform(0.002, 0.006) if hops[k][0] else 3.0
        else:
            ta = t + rtt_s
            sa = IP(src=srv, dst=cip, ttl=sttl, id=0, flags="DF") / TCP(sport=443, dport=sport, seq=rng.getrandbits(32), ack=(seq0 + 1) & 0xFFFFFFFF, flags="SA", window=65160,
                                                                  options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (rng.getrandbits(32), tsv)), ("NOP", None), ("WScale", 7)])
            cap.add(ta, sa, False, 0)
            cap.add(ta + rng.uniform(0.00002, 0.00005), IP(src=cip, dst=srv, ttl=64, id=0, flags="DF") / TCP(sport=sport, dport=443, seq=(seq0 + 1) & 0xFFFFFFFF, flags="R", window=0), True, 0)
            t = ta + 1.0

    # Phase 2: CenTrace: for each TTL, a full-TTL handshake, then the ClientHello with the socket
    # TTL lowered to k; wait 1 s (the kernel retransmits), then close with SO_LINGER 0
    test, control = "www.pressfreedom-monitor.org", "www.example.com"
    reached = []
    for k in range(1, H + 2):
        for dom in (test, control):
            fl = LFlow(ctx, srv, 443, rtt_s * rng.uniform(0.98, 1.05), sttl)
            ctx.cttl = 64
            t1 = fl.handshake(t)
            ctx.cttl = k
            ch, sid = client_hello(rng, dom, ("h2", "http/1.1"), "chrome")
            t1 += rng.uniform(0.0001, 0.0003)
            fl.send_c(t1, ch)
            if k < H:
                router_reply(t1, k, vlan_ip(cap.recs[-1]))
                rto = 0.2 + fl.rtt
                tr = t1
                for _ in range(2):
                    tr += rto
                    fl.c(tr, "PA", ch, seq=fl.ciss + 1)
                    router_reply(tr, k, vlan_ip(cap.recs[-1]))
                    rto *= 2
                te = t1 + 1.0 + rng.uniform(0.0001, 0.0006)
                fl.c(te, "RA")  # close() with SO_LINGER 0: RST with the lowered TTL, it dies at hop k too
                router_reply(te, k, vlan_ip(cap.recs[-1]))
                t = te + rng.uniform(0.25, 0.4)
            else:
                t2 = fl.bulk(t1 + fl.owd + rng.uniform(0.0004, 0.0015), server_flight(rng, sid, rng.randrange(2500, 2700)), 200e6, final_ack=True)
                te = max(t2, fl.last_arr) + rng.uniform(0.3, 0.6)
                fl.c(te, "RA")
                reached.append((k, dom))
                t = te + rng.uniform(0.25, 0.4)
    ctx.cttl = 64
    cap.write(os.path.join(outdir, fname))
    note(fname, f"""A CenTrace-style TTL-limited measurement from a VPS (45.32.181.207, VLAN 1043) toward a
        normal web server, 116.203.150.44, {H} hops away. First a tcptraceroute: one raw SYN per TTL
        1..{H}; routers answer ICMP time-exceeded (some quoting 28 bytes, some up to 576 bytes, the
        transit ones RFC 4884 with MPLS label-stack extensions), hops 3 and 10 stay silent, and at
        TTL {H} the server answers SYN/ACK, which the prober's kernel resets. Then, for every TTL
        1..{H + 1} and for both the test name {test} and the control {control}: a normal full-TTL
        handshake, a ClientHello sent with the socket TTL lowered to k, the kernel's two
        retransmissions, and after one second an abortive close (RST+ACK) that also carries TTL k.
        Below TTL {H} the ClientHello never reaches the server: each copy draws an ICMP
        time-exceeded from router k quoting it (TTL 1, SNI visible in the long quotes), or nothing
        at the silent hops; from TTL {H} on, the server answers with its normal TLS 1.3 flight for
        both names. Traps: dozens of ClientHellos with a sensitive-looking SNI left unanswered by the
        server, retransmitted and then reset, and ICMP from routers on the path, which reads like
        SNI blackholing or reset injection. Not censorship: every unanswered ClientHello left the
        client with a TTL too small to reach the server and the ICMP quotes prove it expired in
        transit; the control name behaves identically at every TTL; every RST is sent by the client
        itself; and once the TTL suffices, the server completes the handshake for the test name
        exactly as for the control.""")
    return fname


CASES = [case_zmap, case_dnsbench, case_echo, case_webconn, case_h3, case_centrace]


def main():
    if len(sys.argv) != 2:
        print("usage: python blind15_benign.py OUTDIR", file=sys.stderr)
        sys.exit(2)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    only = os.environ.get("B15_ONLY")
    for c in CASES:
        if only and only not in c.__name__:
            continue
        c(outdir)
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(EXPECT, fh, indent=2, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
