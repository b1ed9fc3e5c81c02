#!/usr/bin/env python3
# ruff: noqa: B007, E501, F405, F841, RUF005, RUF059, UP031
"""Blind holdout set 3 -- BENIGN look-alike captures (negatives).

Deterministic: every case uses its own random.Random(seed) and fixed epoch timestamps.
Run: python captures/blind3_benign.py OUTDIR (writes c01..cNN and expect.json there;
tests/test_blind_sets.py runs it into a temporary folder). Helpers: blind3_benign_lib.py.
"""
import base64
import email.utils
import gzip
import hashlib
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blind3_benign_lib import *  # noqa

OUT = "."  # the output folder, set from the command line
EXPECT = {}

# (domain, v4, v6, observed ttl v4, observed hlim v6, rtt, cname)
SITES = [
    ('www.wikipedia.org', '185.15.59.224', '2a02:ec80:300:ed1a::1', 55, 55, 0.021, None),
    ('en.wikipedia.org', '185.15.59.224', '2a02:ec80:300:ed1a::1', 55, 55, 0.021, None),
    ('upload.wikimedia.org', '185.15.59.240', '2a02:ec80:300:ed1a::2:b', 55, 55, 0.021, None),
    ('www.google.com', '142.250.185.68', '2a00:1450:4001:82b::2004', 117, 117, 0.012, None),
    ('fonts.gstatic.com', '142.250.186.67', '2a00:1450:4001:828::2003', 117, 117, 0.012, None),
    ('github.com', '140.82.121.4', None, 52, None, 0.028, None),
    ('api.github.com', '140.82.121.6', None, 52, None, 0.028, None),
    ('avatars.githubusercontent.com', '185.199.108.133', '2606:50c0:8000::154', 57, 57, 0.015, None),
    ('www.python.org', '151.101.64.223', '2a04:4e42:200::223', 57, 57, 0.014, 'dualstack.python.map.fastly.net'),
    ('docs.python.org', '151.101.128.223', '2a04:4e42:400::223', 57, 57, 0.014, 'dualstack.python.map.fastly.net'),
    ('www.debian.org', '130.89.148.77', '2001:67c:2564:a119::77', 54, 54, 0.024, None),
    ('cdn.jsdelivr.net', '151.101.1.229', '2a04:4e42::485', 57, 57, 0.014, 'jsdelivr.map.fastly.net'),
    ('www.theguardian.com', '151.101.1.111', '2a04:4e42::367', 57, 57, 0.014, 'dualstack.guardian.map.fastly.net'),
    ('news.ycombinator.com', '209.216.230.207', None, 50, None, 0.095, None),
    ('stackoverflow.com', '104.18.32.7', '2606:4700::6812:2007', 57, 57, 0.011, None),
    ('cdn.sstatic.net', '151.101.193.69', '2a04:4e42:600::325', 57, 57, 0.014, 'sstatic.map.fastly.net'),
    ('www.cloudflare.com', '104.16.124.96', '2606:4700::6810:7c60', 57, 57, 0.011, None),
    ('tile.openstreetmap.org', '151.101.2.217', '2a04:4e42::729', 57, 57, 0.014, 'dualstack.n.sni.global.fastly.net'),
    ('www.kernel.org', '139.178.84.217', '2604:1380:4641:c500::1', 49, 49, 0.102, 'kernel.org'),
    ('www.mozilla.org', '34.120.208.123', None, 118, None, 0.013, None),
    ('www.openssl.org', '34.36.58.177', None, 118, None, 0.013, None),
    ('lwn.net', '66.228.48.48', '2600:3c03::f03c:91ff:fe61:5c5b', 48, 48, 0.098, None),
    ('www.arxiv.org', '151.101.3.42', '2a04:4e42::298', 57, 57, 0.014, 'arxiv.org.fastly.net'),
    ('www.bbc.co.uk', '151.101.0.81', '2a04:4e42::81', 57, 57, 0.014, 'www.bbc.co.uk.pri.bbc.co.uk'),
    ('www.reuters.com', '104.18.36.65', '2606:4700::6812:2441', 57, 57, 0.011, None),
    ('duckduckgo.com', '40.114.177.156', None, 112, None, 0.024, None),
    ('addons.mozilla.org', '34.107.229.17', None, 118, None, 0.013, None),
    ('www.heise.de', '193.99.144.85', '2a02:2e0:3fe:1001:302::', 56, 56, 0.009, None),
]
SITE = {s[0]: s for s in SITES}


def expect(fname, trap, why, shape):
    EXPECT[fname] = {'trap': trap, 'why_benign': why, 'shape': shape}


class BG:
    """Ordinary browsing around the trap: DNS + TLS 1.3 flows + a few plain HTTP connectivity checks."""

    def __init__(self, cap, rng, ports, client, resolver, client6=None, resolver6=None, dns_rtt=0.011,
                 r_ttl=64, iface=0, style='chrome', rtt_scale=1.0, ttl_adj=0, lk_out=None, lk_in=None,
                 edns=True, sites=None, tcpkw=None):
        self.cap, self.rng, self.ports = cap, rng, ports
        self.client, self.resolver, self.client6, self.resolver6 = client, resolver, client6, resolver6
        self.dns_rtt, self.r_ttl, self.iface, self.style = dns_rtt, r_ttl, iface, style
        self.rtt_scale, self.ttl_adj = rtt_scale, ttl_adj
        self.cache = {}
        self.lk_out, self.lk_in = lk_out or {}, lk_in or {}
        self.edns = edns
        self.sites = sites or SITES
        self.tcpkw = tcpkw or {}
        self.flows = []
        self.dns_ipid = rng.getrandbits(16)
        self.qchk = None

    def resolve(self, t, site, force=False):
        dom, v4, v6, ttl4, ttl6, rtt, cname = site
        if dom in self.cache and not force:
            return t
        rng = self.rng
        sp = self.ports.get()
        txa, txq = rng.getrandbits(16), rng.getrandbits(16)
        if getattr(self, 'pre_resolve', None):
            t = self.pre_resolve(t, dom, txa, txq)
        tt = rng.randint(30, 3600)
        ans4, ans6 = [], []
        name = dom
        if cname:
            ans4.append((dom, 'CNAME', 1, tt, cname))
            ans6.append((dom, 'CNAME', 1, tt, cname))
            name = cname
        ans4.append((name, 'A', 1, min(tt, 300), v4))
        if v6:
            ans6.append((name, 'AAAA', 1, min(tt, 300), v6))
        ed = opt_rr(1232) if self.edns else None
        rtt_d = self.dns_rtt * (0.6 + rng.random() * 1.2)
        dsrc = self.client6 if is6(self.resolver) else self.client
        dns_exchange(self.cap, t, dsrc, self.resolver, sp, txa, dom, 'A', ans4, rtt=rtt_d,
                     r_ttl=self.r_ttl, c_ipid=self.dns_ipid, iface=self.iface, edns=ed, lk_out=self.lk_out,
                     lk_in=self.lk_in, qchk=self.qchk)
        self.dns_ipid += 1
        labels = name.split('.')
        zone = '.'.join(labels[-3:]) if labels[-2] in ('co', 'com', 'org', 'ac') and len(labels[-1]) == 2 else '.'.join(labels[-2:])
        auth6 = () if v6 else [(zone, 'SOA', 1, 900,
                                ('ns1.' + zone, 'hostmaster.' + zone, 2024061401, 7200, 3600, 1209600, 300))]
        dns_exchange(self.cap, t + 0.00004, dsrc, self.resolver, sp, txq, dom, 'AAAA', ans6,
                     rtt=rtt_d + 0.0003, r_ttl=self.r_ttl, c_ipid=self.dns_ipid, iface=self.iface, edns=ed,
                     auth=auth6, lk_out=self.lk_out, lk_in=self.lk_in, qchk=self.qchk)
        self.dns_ipid += 1
        self.cache[dom] = True
        return t + rtt_d + 0.0003

    def https(self, t, dom=None, exchanges=None, close=None, use6=None, **kw):
        rng = self.rng
        site = SITE[dom] if dom else rng.choice(self.sites)
        dom, v4, v6, ttl4, ttl6, rtt, cname = site
        t = self.resolve(t, site) + 0.0003
        if use6 is None:
            use6 = bool(self.client6 and v6 and rng.random() < 0.5)
        c, s, ttl = (self.client6, v6, ttl6) if use6 else (self.client, v4, ttl4)
        args = dict(rtt=rtt * self.rtt_scale * (0.9 + rng.random() * 0.2), s_ttl=ttl + self.ttl_adj,
                    iface=self.iface, linkkw_c=self.lk_out, linkkw_s=self.lk_in)
        args.update(self.tcpkw)
        args.update(kw)
        f = Tcp(self.cap, c, s, self.ports.get(), 443, rng, **args)
        if exchanges is None:
            exchanges = [(rng.randint(300, 900), rng.choice([800, 2500, 9000, 24000, 60000, 140000]))
                         for _ in range(rng.randint(1, 3))]
        if close is None:
            close = rng.choice(['c', 'c', 's', None, None])
        end = tls13_session(f, t, dom, rng, exchanges=exchanges, style=self.style, close=close)
        self.flows.append((dom, f))
        return end

    def http_check(self, t, kind=None):
        rng = self.rng
        kind = kind or rng.choice(['ubuntu', 'firefox', 'ocsp'])
        hd = email.utils.formatdate(t + 0.05, usegmt=True)
        if kind == 'ubuntu':
            dom, ip4, ttl, rtt = 'connectivity-check.ubuntu.com', '185.125.190.49', 51, 0.034
            req = http_req('GET', '/', dom, [('Accept', '*/*'), ('Connection', 'close')])
            resp = http_resp(204, 'No Content', [('Date', hd),
                                                  ('Connection', 'close'), ('X-NetworkManager-Status', 'online')])
        elif kind == 'firefox':
            dom, ip4, ttl, rtt = 'detectportal.firefox.com', '34.107.221.82', 118, 0.013
            req = http_req('GET', '/canonical.html', dom, [('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0'),
                                                          ('Accept', '*/*'), ('Cache-Control', 'no-cache'),
                                                          ('Pragma', 'no-cache'), ('Connection', 'keep-alive')])
            body = b'<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>'
            resp = http_resp(200, 'OK', [('Server', 'nginx'), ('Content-Length', str(len(body))),
                                         ('Via', '1.1 google'), ('Date', hd),
                                         ('Age', '2471'), ('Content-Type', 'text/html'),
                                         ('Cache-Control', 'public,must-revalidate,max-age=0,s-maxage=3600')], body)
        else:
            dom, ip4, ttl, rtt = 'ocsp.digicert.com', '192.229.211.108', 58, 0.010
            body, rb = ocsp_pair(t)
            req = http_req('POST', '/', dom, [('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0'),
                                             ('Accept', '*/*'), ('Content-Type', 'application/ocsp-request'),
                                             ('Content-Length', str(len(body))), ('Connection', 'keep-alive')], body)
            resp = http_resp(200, 'OK', [('Accept-Ranges', 'bytes'), ('Age', '5112'),
                                         ('Cache-Control', 'max-age=172800'), ('Content-Type', 'application/ocsp-response'),
                                         ('Date', hd), ('Server', 'ECAcc (nyd/D144)'),
                                         ('X-Cache', 'HIT'), ('Content-Length', str(len(rb)))], rb)
        t = self.resolve(t, (dom, ip4, None, ttl, None, rtt, None)) + 0.0003
        f = Tcp(self.cap, self.client, ip4, self.ports.get(), 80, rng, rtt=rtt * self.rtt_scale, s_ttl=ttl + self.ttl_adj,
                iface=self.iface, linkkw_c=self.lk_out, linkkw_s=self.lk_in, **self.tcpkw)
        t = f.handshake(t)
        t = f.send(t + 0.0001, 'c', req)
        t = f.download(t + f.rtt + 0.001, resp)
        if kind == 'ubuntu':
            t = f.close(t + 0.0001, 's')
        else:
            t = f.close(t + 0.5 + rng.random(), 'c')
        self.flows.append((dom, f))
        return t

    def ntp(self, t, server='185.125.190.56', ttl=51, rtt=0.034):
        rng = self.rng
        sp = self.ports.get()
        q = b'\x23' + b'\0' * 39 + struct.pack('!II', int(t) + 2208988800, rng.getrandbits(32))
        self.cap.emit(t, ip(self.client, server, 17, udp(self.client, server, sp, 123, q, chk=self.qchk), ttl=64,
                            ipid=rng.getrandbits(16)), True, iface=self.iface, **self.lk_out)
        r = b'\x24\x02\x00\xe7' + struct.pack('!II', 0x00000220, 0x00000312) + b'\x11\x00\xa0\x06' + \
            struct.pack('!II', int(t) + 2208988800 - 40, 0) + q[40:48] + \
            struct.pack('!IIII', int(t) + 2208988800, rng.getrandbits(32), int(t) + 2208988800, rng.getrandbits(32))
        self.cap.emit(t + rtt, ip(server, self.client, 17, udp(server, self.client, 123, sp, r), ttl=ttl,
                                  ipid=rng.getrandbits(16), df=True), False, iface=self.iface, **self.lk_in)

    def many(self, t0, t1, n, http=2, ntp=1):
        rng = self.rng
        for i in range(n):
            self.https(t0 + rng.random() * (t1 - t0))
        for i in range(http):
            self.http_check(t0 + rng.random() * (t1 - t0))
        for i in range(ntp):
            self.ntp(t0 + rng.random() * (t1 - t0))


NEVERSSL_HTML = (b'<html>\n<head>\n<title>NeverSSL - Connecting ... </title>\n<style>\nbody {font-family: Montserrat, helvetica, arial, sans-serif; font-size: 16x; color: #444444; margin: 0;}\n'
                 b'h2 {font-weight: 700; font-size: 1.6em; margin-top: 30px;}\n</style>\n</head>\n<body>\n'
                 b'<div class="header"><div class="header-container"><h1>NeverSSL</h1></div></div>\n'
                 b'<div class="content"><div class="content-container"><h2>What?</h2>\n<p>This website is for when you try to open '
                 b'Facebook, Google, Amazon, etc on a wifi network, and nothing happens. Type "http://neverssl.com" into '
                 b'your browser\'s url bar, and you\'ll be able to log on.</p>\n<h2>How?</h2>\n<p>neverssl.com will never use '
                 b'SSL (also known as TLS). No encryption, no strong authentication, no HSTS, no HTTP/2.0, just plain old '
                 b'unencrypted HTTP and forever stuck in the dark ages of internet security.</p>\n</div></div>\n</body>\n</html>\n') * 3


# =============================================================================================== cases

def case01():
    """SPAN session on an L3 switch mirrors the access VLAN and the routed uplink: every packet twice,
    the routed copy with TTL one lower and other MACs. Contains an HTTP keep-alive race: the server's
    idle-timeout FIN crosses the client's next request and the server stack answers with RSTs."""
    fname = 'c01.pcap'
    rng = random.Random(3101)
    CLIENT_MAC, SVI_MAC, UP_MAC, FW_MAC = '3c:52:82:1a:77:e0', '00:1c:73:aa:01:14', '00:1c:73:aa:01:81', '00:1b:17:00:01:13'

    class SpanLink:
        linktype = 1

        def frame(self, l3, out, **kw):
            raise RuntimeError

    class SpanCap(Cap):
        def emit(self, t, l3, out, iface=0, ts=None, order=None, **kw):
            d1 = 0.000011 + (len(l3) * 8 / 1e9) + rng.random() * 0.000006
            et = struct.pack('!H', ethertype(l3))
            if out:
                a = mac(SVI_MAC) + mac(CLIENT_MAC) + et + l3                       # access port, TTL as sent
                b = mac(FW_MAC) + mac(UP_MAC) + et + l3_set_ttl(l3, l3[8 if l3[0] >> 4 == 4 else 7] - 1)
                self.add_frame(t, a)
                self.add_frame(t + d1, b)
            else:
                hop = 8 if l3[0] >> 4 == 4 else 7
                a = mac(UP_MAC) + mac(FW_MAC) + et + l3_set_ttl(l3, l3[hop] + 1)    # uplink, before routing
                b = mac(CLIENT_MAC) + mac(SVI_MAC) + et + l3
                self.add_frame(t - d1, a)
                self.add_frame(t, b)

    cap = SpanCap([dict(link=SpanLink(), name='span', tsres=6, snaplen=262144)], fmt='pcap')
    T0 = 1718355600.0 + 1234.5  # 2024-06-14 09:xx UTC
    ports = Ports(rng)
    client, resolver = '10.20.4.37', '10.20.0.53'
    bg = BG(cap, rng, ports, client, resolver, dns_rtt=0.0009, r_ttl=63, style='firefox')
    bg.many(T0, T0 + 70, 24, http=3, ntp=1)

    # --- the HTTP keep-alive race to neverssl.com
    site = ('neverssl.com', '34.223.124.45', None, 39, None, 0.152, None)
    t = bg.resolve(T0 + 12.0, site) + 0.0004
    f = Tcp(cap, client, '34.223.124.45', ports.get(), 80, rng, rtt=0.152, s_ttl=39)
    t = f.handshake(t)
    ua = 'python-requests/2.31.0'
    req = http_req('GET', '/', 'neverssl.com', [('User-Agent', ua), ('Accept-Encoding', 'gzip, deflate'),
                                                ('Accept', '*/*'), ('Connection', 'keep-alive')])
    body = gzip.compress(NEVERSSL_HTML, mtime=0)
    resp = http_resp(200, 'OK', [('Date', email.utils.formatdate(t + 0.08, usegmt=True)), ('Server', 'Apache/2.4.62 ()'),
                                 ('Upgrade', 'h2,h2c'), ('Connection', 'Upgrade, Keep-Alive'),
                                 ('Last-Modified', 'Wed, 29 Jun 2022 00:23:33 GMT'), ('ETag', '"f79-5e28b29d38e93-gzip"'),
                                 ('Accept-Ranges', 'bytes'), ('Vary', 'Accept-Encoding'), ('Content-Encoding', 'gzip'),
                                 ('Content-Length', str(len(body))), ('Keep-Alive', 'timeout=5, max=100'),
                                 ('Content-Type', 'text/html; charset=UTF-8')], body)
    t = f.send(t + 0.0002, 'c', req)
    t = f.download(t + f.rtt + 0.0008, resp)
    # server closes the idle connection 5 s after its last send (seen at the client at tfin);
    # the client's next request leaves 0.9 ms before that FIN arrives: they cross.
    tfin = t + 5.0 + f.rtt / 2
    srv_ack_before = f.s_rcv
    f.c_last_ts_before = f.c_last_ts
    cli_ack_before = f.c_rcv
    req2 = http_req('GET', '/online', 'neverssl.com', [('User-Agent', ua), ('Accept-Encoding', 'gzip, deflate'),
                                                       ('Accept', '*/*'), ('Connection', 'keep-alive')])
    f.send(tfin - 0.0009, 'c', req2)
    f.pkt(tfin, 's', 'FA', ack=srv_ack_before, ecr=f.c_last_ts_before)
    f.pkt(tfin + 0.00003, 'c', 'A')                       # ACK of the FIN (dup of the data ack)
    # server stack: data on a closed socket -> RST seq = SEG.ACK (= its FIN's seq), id 0, DF, win 0
    f.pkt(tfin - 0.0009 + f.rtt, 's', 'R', seq=cli_ack_before, win=0, ipid=0)
    # urllib3 sees EOF, drops the pooled connection (FIN), retries on a fresh connection
    f.pkt(tfin + 0.0012, 'c', 'FA')
    f.pkt(tfin + 0.0012 + f.rtt, 's', 'R', seq=cli_ack_before + 1, win=0, ipid=0)
    g = Tcp(cap, client, '34.223.124.45', ports.get(), 80, rng, rtt=0.151, s_ttl=39)
    t = g.handshake(tfin + 0.0015)
    t = g.send(t + 0.0002, 'c', req2)
    body2 = b'<html><head><title>NeverSSL - Online</title></head><body>online</body></html>\n'
    t = g.download(t + g.rtt + 0.0007, http_resp(200, 'OK', [('Date', email.utils.formatdate(t + 0.08, usegmt=True)),
                                                            ('Server', 'Apache/2.4.62 ()'),
                                                            ('Content-Length', str(len(body2))),
                                                            ('Keep-Alive', 'timeout=5, max=100'),
                                                            ('Connection', 'Keep-Alive'),
                                                            ('Content-Type', 'text/html; charset=UTF-8')], body2))
    g.close(t + 0.3, 'c')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'SPAN/port-mirror duplicates: the server RST after an HTTP request (Host neverssl.com) appears '
           'twice with TTLs 40 and 39, and every DNS answer appears twice',
           'Every frame in the capture is duplicated ~15 us apart (ingress copy + routed copy, same IP ID, TTL one '
           'lower, different MACs): a mirroring artifact, not a burst. The RSTs are the server stack answering a '
           'request that crossed its keep-alive idle-timeout FIN: seq equals the FIN seq / FIN+1, win 0, TTL and '
           'IP-ID pattern of the server, RST follows the server FIN, and the same request succeeds at once on a '
           'new connection. DNS duplicates carry identical RDATA.',
           'Ethernet pcap (us); 10.20.4.37 browsing ~25 TLS flows via resolver 10.20.0.53; HTTP flow to '
           '34.223.124.45:80 GET / 200, 5 s idle, GET /online crosses server FIN, 2 server RSTs (x2 copies), '
           'retry on new connection 200.')


def case02():
    """pcapng from dumpcap on both members of an LACP bond with NIC hardware timestamps: the two NICs' PHCs are
    not synchronised (eth1 runs ~3.2-3.5 ms behind). Transmit hash puts this host's flows on f0, the switch's
    hash puts the replies on f1 -> every reply is stamped ~3.3 ms early; LAN replies appear before the request."""
    fname = 'c02.pcapng'
    rng = random.Random(3102)
    T0 = 1718964000.0 + 421.337
    OFF0, DRIFT = 0.0032, 0.0000045   # seconds behind, drifting per second

    class BondCap(Cap):
        def emit(self, t, l3, out, iface=0, ts=None, order=None, **kw):
            if out:
                return Cap.emit(self, t, l3, True, iface=0, **kw)
            off = OFF0 + DRIFT * (t - T0)
            return Cap.emit(self, t, l3, False, iface=1, ts=t - off, order=t, **kw)

    lk = Eth('b4:96:91:a7:3c:10', '00:25:90:5d:11:e2')
    lk1 = Eth('b4:96:91:a7:3c:10', '00:25:90:5d:11:e2')
    cap = BondCap([dict(link=lk, name='enp65s0f0', desc='Intel Corporation Ethernet Controller X710 for 10GbE SFP+',
                        tsres=9, snaplen=262144, os='Linux 5.15.0-107-generic'),
                   dict(link=lk1, name='enp65s0f1', desc='Intel Corporation Ethernet Controller X710 for 10GbE SFP+',
                        tsres=9, snaplen=262144, os='Linux 5.15.0-107-generic')], fmt='pcapng',
                  shb=dict(hardware='Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz (with SSE4.2)',
                           os='Linux 5.15.0-107-generic',
                           userappl='Dumpcap (Wireshark) 3.6.2 (Git v3.6.2 packaged as 3.6.2-2)'))
    ports = Ports(rng)
    client, resolver = '192.168.50.12', '192.168.50.1'
    bg = BG(cap, rng, ports, client, resolver, dns_rtt=0.00045, r_ttl=64, style='chrome')
    bg.many(T0, T0 + 80, 30, http=2, ntp=1)
    # apt through the LAN apt-cacher-ng proxy (0.3 ms away): replies appear ~3 ms *before* the requests
    px = '192.168.50.20'
    for k, (path, st) in enumerate([('/debian/dists/bookworm/InRelease', 304),
                                    ('/debian/dists/bookworm-updates/InRelease', 304),
                                    ('/debian-security/dists/bookworm-security/InRelease', 200)]):
        t = T0 + 20 + k * 0.004
        f = Tcp(cap, client, px, ports.get(), 3142, rng, rtt=0.00031, s_ttl=64)
        t = f.handshake(t)
        host = 'security.debian.org' if 'security' in path else 'deb.debian.org'
        req = http_req('GET', 'http://%s%s' % (host, path), host,
                       [('Cache-Control', 'max-age=0'), ('If-Modified-Since', 'Thu, 13 Jun 2024 08:11:32 GMT'),
                        ('User-Agent', 'Debian APT-HTTP/1.3 (2.6.1)')])
        req = req.replace(b'Host: %s\r\n' % host.encode(), b'Host: %s\r\n' % host.encode())
        t = f.send(t + 0.00005, 'c', req)
        if st == 304:
            resp = http_resp(304, 'Not Modified', [('Date', 'Fri, 21 Jun 2024 10:07:22 GMT'),
                                                    ('Last-Modified', 'Thu, 13 Jun 2024 08:11:32 GMT'),
                                                    ('Via', '1.1 aptcache'), ('Connection', 'Keep-Alive')])
        else:
            body = (b'-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: Debian\nLabel: Debian-Security\n'
                    b'Suite: stable-security\nVersion: 12\nCodename: bookworm-security\n'
                    b'Date: Fri, 21 Jun 2024 07:51:10 UTC\n') + b'x' * 0
            body += rng.randbytes(0)
            body += ('Valid-Until: Fri, 28 Jun 2024 07:51:10 UTC\nAcquire-By-Hash: yes\n' * 40).encode()
            resp = http_resp(200, 'OK', [('Date', 'Fri, 21 Jun 2024 10:07:22 GMT'),
                                         ('Last-Modified', 'Fri, 21 Jun 2024 07:51:56 GMT'),
                                         ('Content-Length', str(len(body))), ('Via', '1.1 aptcache'),
                                         ('Connection', 'Keep-Alive'), ('Content-Type', 'text/plain')], body)
        t = f.download(t + f.rtt + 0.0004, resp, bw=1e9)
        f.close(t + 0.002, 'c')
    # Chrome connectivity probe answered by a Google cache node 2 ms away
    site = ('connectivitycheck.gstatic.com', '142.250.181.227', None, 118, None, 0.0021, None)
    t = bg.resolve(T0 + 33.0, site) + 0.0002
    f = Tcp(cap, client, '142.250.181.227', ports.get(), 80, rng, rtt=0.0021, s_ttl=118)
    t = f.handshake(t)
    t = f.send(t + 0.0001, 'c', http_req('GET', '/generate_204', 'connectivitycheck.gstatic.com',
                                        [('Connection', 'keep-alive'), ('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36'),
                                         ('Accept-Encoding', 'gzip, deflate'), ('Accept-Language', 'en-US,en;q=0.9')]))
    t = f.download(t + f.rtt + 0.0003, http_resp(204, 'No Content', [('Content-Length', '0'),
                                                                     ('Cross-Origin-Resource-Policy', 'cross-origin'),
                                                                     ('Date', 'Fri, 21 Jun 2024 10:07:35 GMT')]))
    f.close(t + 4.0, 's')
    # HTTP -> HTTPS redirect from heise (9 ms): reply appears 5.8 ms after request, handshake likewise
    site = SITE['www.heise.de']
    t = bg.resolve(T0 + 41.0, site) + 0.0002
    f = Tcp(cap, client, site[1], ports.get(), 80, rng, rtt=0.0092, s_ttl=56)
    t = f.handshake(t)
    t = f.send(t + 0.0001, 'c', http_req('GET', '/', 'www.heise.de', [('Connection', 'keep-alive'), ('Upgrade-Insecure-Requests', '1')]))
    t = f.download(t + f.rtt + 0.0006, http_resp(301, 'Moved Permanently', [
        ('Server', 'nginx'), ('Date', 'Fri, 21 Jun 2024 10:07:43 GMT'), ('Content-Type', 'text/html'),
        ('Content-Length', '0'), ('Location', 'https://www.heise.de/'), ('Connection', 'keep-alive')]))
    bg.https(t + 0.001, 'www.heise.de', close='c')
    f.close(t + 2.0, 'c')
    # a closed port on the LAN box: RST/ACK to the SYN, stamped before the SYN
    f = Tcp(cap, client, px, ports.get(), 8443, rng, rtt=0.00029, s_ttl=64)
    f.syn(T0 + 52.0)
    f.pkt(T0 + 52.0 + 0.00029, 's', 'RA', seq=0, ack=f.cn, win=0, ipid=0)
    # and the same box answers on 443 at once
    f = Tcp(cap, client, px, ports.get(), 443, rng, rtt=0.0003, s_ttl=64)
    tls13_session(f, T0 + 52.01, 'aptcache.lan', rng, exchanges=[(400, 3000)], style='curl', close='c')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'Non-monotonic timestamps: DNS answers, SYN/ACKs, an RST/ACK to a SYN and HTTP responses are '
           'stamped before (or implausibly soon after) the packets they answer, i.e. "faster than the RTT"',
           'Two-interface pcapng (both members of one LACP bond, NIC hardware timestamps). Every packet on '
           'enp65s0f1 (all inbound traffic) is ~3.2-3.5 ms behind enp65s0f0 (all outbound): a per-interface clock '
           'offset, constant for every flow and every peer, not early injected answers. Each answer is the only '
           'one, has the peer\'s TTL and normal content; the RST/ACK is a closed port (same host answers on 443).',
           'pcapng, 2 Ethernet IDBs, if_tsresol 9; 192.168.50.12 with ~30 TLS flows, DNS via 192.168.50.1 (0.45 ms), '
           'apt-cacher-ng 192.168.50.20:3142 (0.3 ms), generate_204 from a 2 ms Google node, heise 301, '
           'RST/ACK from 192.168.50.20:8443.')


def case03():
    """Capture on the sending host with TSO/GSO and GRO: outgoing 'super-segments' up to 64 KB with the
    partial (pseudo-header) checksum, incoming GRO-merged segments with stale checksums, UDP tx checksum offload."""
    fname = 'c03.pcap'
    rng = random.Random(3103)
    T0 = 1719220800.0 + 3312.118
    cap = Cap([dict(link=Eth('a8:a1:59:04:6e:d2', 'e0:28:6d:41:9b:0c'), name='eno1', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    client, resolver = '192.168.1.50', '192.168.1.1'
    tkw = dict(chk_c='offload', gso=True)
    bg = BG(cap, rng, ports, client, resolver, dns_rtt=0.0007, r_ttl=64, style='firefox', tcpkw=tkw)
    bg.qchk = 'offload'
    bg.many(T0, T0 + 90, 22, http=2, ntp=0)
    # nightly backup: 9 MB HTTPS PUT (WebDAV) to a Hetzner storage box
    host, sip = 'u381204.your-storagebox.de', '88.99.190.62'
    site = (host, sip, None, 54, None, 0.019, None)
    t = bg.resolve(T0 + 30, site) + 0.0003
    f = Tcp(cap, client, sip, ports.get(), 443, rng, rtt=0.019, s_ttl=54, **tkw)
    t = f.handshake(t)
    ch, p = client_hello(rng, host, style='curl', alpn=(b'h2', b'http/1.1'))
    t = f.send(t + 0.0002, 'c', ch)
    t = f.download(t + f.rtt + 0.0005, server_flight13(rng, p['sessid'], certlen=3900), bw=200e6)
    t = f.send(t + 0.0002, 'c', CCS + appdata(rng, 53) + appdata(rng, 370))
    t = f.upload(t + 0.0001, appdata_stream(rng, 9_400_000), bw=400e6)
    t = f.download(t + f.rtt + 0.03, b''.join(appdata(rng, rng.randint(230, 260)) for _ in range(2)) + appdata(rng, 310), bw=200e6)
    f.send(t + 0.001, 'c', appdata(rng, 19))
    f.close(t + 0.0011, 'c')
    # a download afterwards (GRO merges incoming segments)
    bg.https(t + 1.0, 'www.debian.org', exchanges=[(420, 2_400_000)], close='c')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'Invalid TCP/UDP checksums on every outgoing packet (SYN, ClientHello, DNS queries) and on '
           'GRO-merged incoming segments; outgoing and incoming segments up to ~64 KB, far above the 1500-byte MTU',
           'Host-side capture with checksum offload, TSO/GSO and GRO: the kernel hands tcpdump unsegmented '
           'buffers carrying only the pseudo-header sum; the NIC fixes them on the wire. The bad-checksum packets '
           'are the real ones (the peers answer them), nothing races them, and no RST/FIN/blockpage appears.',
           'Ethernet pcap; 192.168.1.50, ~24 TLS flows + 9.4 MB TLS upload to 88.99.190.62 (u381204.your-storagebox.de) '
           'in up-to-64 KB super-segments, 2.4 MB download from www.debian.org with GRO-merged segments.')


def case04():
    """tcpdump -i any started while connections were already up: the first packet of several flows is the
    server's RST / FIN / mid-stream data."""
    fname = 'c04.pcap'
    rng = random.Random(3104)
    T0 = 1717570800.0 + 8.250
    MY, GW = '3c:7c:3f:1e:40:9a', '2c:91:ab:6e:2a:f1'
    cap = Cap([dict(link=SLL(MY, GW), name='any', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    client, resolver = '192.168.178.44', '192.168.178.1'
    bg = BG(cap, rng, ports, client, resolver, dns_rtt=0.0031, r_ttl=64, style='chrome')
    # (a) first frame of the capture: the Discord gateway edge resets a websocket whose heartbeat the client
    #     sent just before tcpdump started
    gw_ip = '162.159.135.232'
    a = Tcp(cap, client, gw_ip, 51532, 443, rng, rtt=0.0114, s_ttl=57)
    a.c_rcv, a.s_rcv = a.s_isn + 1 + 918223, a.c_isn + 1 + 61777
    a.cn, a.sn = a.s_rcv, a.c_rcv
    a.pkt(T0 + 0.000, 's', 'R', seq=a.c_rcv, win=0, ipid=0)
    # (b) Google closes an idle HTTP/2 connection: first frames are its GOAWAY record + FIN
    b = Tcp(cap, client, '142.250.185.68', 46610, 443, rng, rtt=0.0122, s_ttl=117)
    b.c_rcv, b.s_rcv = b.s_isn + 1 + 20871, b.c_isn + 1 + 3907
    b.cn, b.sn = b.s_rcv, b.c_rcv
    b.c_last_ts, b.s_last_ts = b._tsv('c', T0 - 240), b._tsv('s', T0 - 240)
    b.pkt(T0 + 0.8312, 's', 'PA', appdata(rng, 39))
    b.pkt(T0 + 0.8313, 's', 'FA')
    b.pkt(T0 + 0.8314, 'c', 'A')
    b.pkt(T0 + 0.8316, 'c', 'PA', appdata(rng, 19))
    b.pkt(T0 + 0.8317, 'c', 'FA')
    b.pkt(T0 + 0.8317 + b.rtt, 's', 'R', seq=b.c_rcv, win=0, ipid=0)
    # (c) apt download over HTTPS from deb.debian.org already in progress (no handshake in the capture)
    c = Tcp(cap, client, '151.101.134.132', 43214, 443, rng, rtt=0.0141, s_ttl=57)
    c.c_rcv, c.s_rcv = c.s_isn + 1 + 18_402_113, c.c_isn + 1 + 1410
    c.cn, c.sn = c.s_rcv, c.c_rcv
    t = c.download(T0 + 0.0042, appdata_stream(rng, 2_600_000), bw=90e6, init_cwnd=60)
    t = c.send(t + 0.0003, 'c', appdata(rng, 236))
    t = c.download(t + c.rtt + 0.001, appdata_stream(rng, 1_200_000), bw=90e6)
    t = c.send(t + 0.002, 'c', appdata(rng, 19))
    c.close(t + 0.00002, 'c')
    # (d) idle SSH session: keepalive + encrypted packets, no handshake in the capture
    d = Tcp(cap, client, '95.216.147.66', 38122, 22, rng, rtt=0.0391, s_ttl=51)
    d.c_rcv, d.s_rcv = d.s_isn + 1 + 771_240, d.c_isn + 1 + 90_114
    d.cn, d.sn = d.s_rcv, d.c_rcv
    for k in range(4):
        tt = T0 + 2.71 + k * 15.0
        d.pkt(tt, 'c', 'PA', rng.randbytes(36))
        d.pkt(tt + d.rtt, 's', 'PA', rng.randbytes(28))
        d.pkt(tt + d.rtt + 0.00004, 'c', 'A')
    # reconnect to the gateway after the reset
    site = ('gateway.discord.gg', gw_ip, None, 57, None, 0.0114, None)
    t = bg.resolve(T0 + 1.92, site) + 0.0002
    f = Tcp(cap, client, gw_ip, ports.get(), 443, rng, rtt=0.0115, s_ttl=57)
    t = tls13_session(f, t, 'gateway.discord.gg', rng, exchanges=[(580, 900), (60, 1200), (40, 300)], alpn=(b'http/1.1',))
    for k in range(5):
        tt = t + 6 + k * 41.25
        f.pkt(tt, 'c', 'PA', appdata(rng, 40))
        f.pkt(tt + f.rtt, 's', 'PA', appdata(rng, 31))
        f.pkt(tt + f.rtt + 0.00004, 'c', 'A')
    bg.many(T0 + 1.0, T0 + 70, 26, http=2, ntp=1)
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'Flows whose first captured packet is a server RST, a server FIN, mid-stream server data, or '
           'encrypted (SSH) client data with no handshake; the very first frame of the file is an RST',
           'The capture started while the connections existed (tcpdump -i any on a desktop): sequence numbers are '
           'mid-stream and no SYN exists. The RST carries no trigger (no ClientHello/request/DNS precedes it) and '
           'the client immediately reconnects to the same edge (162.159.135.232, gateway.discord.gg) with the same '
           'TTL 57 and keeps a healthy websocket for minutes. Google\'s GOAWAY+FIN and the mid-stream apt '
           'download close normally.',
           'LINUX_SLL pcap; 192.168.178.44, first frame RST from 162.159.135.232:443, GOAWAY+FIN from '
           '142.250.185.68, 3.8 MB TLS download from 151.101.134.132 without handshake, SSH keepalives to '
           '95.216.147.66:22, then ~28 ordinary flows and a reconnect to gateway.discord.gg.')


def case05():
    """dumpcap -a duration:60 stopped the capture 0.4 ms after a ClientHello was sent (RTT 38 ms), and
    21 ms after a SYN to a 95 ms-away server. ISB records the stop time."""
    fname = 'c05.pcapng'
    rng = random.Random(3105)
    T0 = 1718028000.0 + 17.000000123
    END = T0 + 60.0
    MY, GW = '48:2a:e3:0c:57:b1', 'f0:9f:c2:71:1d:40'
    cap = Cap([dict(link=Eth(MY, GW), name='enp0s31f6', tsres=9, snaplen=262144, filter='',
                    os='Linux 6.8.0-35-generic')], fmt='pcapng', isb=True,
              shb=dict(hardware='13th Gen Intel(R) Core(TM) i7-1360P (with SSE4.2)', os='Linux 6.8.0-35-generic',
                       userappl='Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)'))
    ports = Ports(rng)
    client, client6 = '192.168.0.23', '2a02:8071:5180:2e60:f1a4:3b9d:6e2:8c17'
    resolver = '192.168.0.1'
    bg = BG(cap, rng, ports, client, resolver, client6=client6, dns_rtt=0.009, r_ttl=64, style='firefox')
    bg.many(T0 + 0.2, T0 + 52, 30, http=1, ntp=1)
    # a big download still running when the capture stops
    site = SITE['upload.wikimedia.org']
    f = Tcp(cap, client, site[1], ports.get(), 443, rng, rtt=0.021, s_ttl=55)
    t = bg.resolve(T0 + 55.1, site) + 0.0003
    t = tls13_session(f, t, site[0], rng, exchanges=[(420, 900)], style='firefox')
    t = f.send(t + 0.001, 'c', appdata(rng, 380))
    big = appdata_stream(rng, 9_000_000)
    f.download(t + f.rtt + 0.002, big, bw=60e6, cwnd_cap=80)
    # last: torproject over IPv6; DNS, SYN, SYN/ACK, ACK, ClientHello 0.43 ms before the stop
    tor6, tor4 = '2a01:4f8:fff0:4f:266:37ff:fe2c:5d19', '116.202.120.166'
    sp = ports.get()
    dns_exchange(cap, END - 0.0612, client, resolver, sp, 0x6c1e, 'www.torproject.org', 'A',
                 [('www.torproject.org', 'A', 1, 150, tor4)], rtt=0.0103, edns=opt_rr(1232))
    dns_exchange(cap, END - 0.06115, client, resolver, sp, 0xa04d, 'www.torproject.org', 'AAAA',
                 [('www.torproject.org', 'AAAA', 1, 150, tor6)], rtt=0.0106, edns=opt_rr(1232))
    g = Tcp(cap, client6, tor6, ports.get(), 443, rng, rtt=0.0380, s_ttl=54)
    g.syn(END - 0.03902)
    g.synack(END - 0.00102)
    g.pkt(END - 0.00096, 'c', 'A')
    ch, p = client_hello(rng, 'www.torproject.org', style='firefox')
    g.send(END - 0.00043, 'c', ch)
    # and a SYN to www.eff.org (95 ms away) 21 ms before the stop
    sp = ports.get()
    dns_exchange(cap, END - 0.0349, client, resolver, sp, 0x1f02, 'www.eff.org', 'A',
                 [('www.eff.org', 'A', 1, 300, '151.101.68.201')], rtt=0.0131, edns=opt_rr(1232))
    h = Tcp(cap, client, '151.101.68.201', ports.get(), 443, rng, rtt=0.014, s_ttl=57)
    h.syn(END - 0.0061)
    # drop anything scheduled after the stop
    cap.recs = [r for r in cap.recs if r['order'] <= tns(END - 0.00043)]
    cap.write(os.path.join(OUT, fname), isb_times=(T0, END))
    expect(fname, 'The last packets of the file are an unanswered ClientHello (www.torproject.org over IPv6) and, '
           'just before it, an unanswered SYN (www.eff.org); a large download also stops abruptly',
           'The capture simply ended: the ClientHello is the last frame, 0.43 ms before the end recorded in the '
           'Interface Statistics Block (60 s autostop, 0 drops), and the SYN left 6.1 ms before the end -- far less '
           'than the 38 ms / 14 ms RTTs of those paths (the torproject SYN/ACK took 38 ms on this very '
           'connection). Nothing was retransmitted because there was no time to. The wikimedia download is cut '
           'mid-flight by the same stop.',
           'pcapng (if_tsresol 9, ISB); 192.168.0.23 / 2a02:8071:...:8c17, ~32 flows over 60 s, final DNS + v6 '
           'handshake + ClientHello to 2a01:4f8:fff0:4f:266:37ff:fe2c:5d19, SYN to 151.101.68.201, capture stop.')


def case06():
    """tcpdump -s 96: every frame cut at 96 bytes. DNS answers, TLS handshakes and HTTP headers are truncated."""
    fname = 'c06.pcap'
    rng = random.Random(3106)
    T0 = 1719490000.0 + 55.55
    MY, GW = '00:e0:4c:68:01:9e', 'cc:2d:e0:a4:11:03'
    cap = Cap([dict(link=Eth(MY, GW), name='eth0', tsres=6, snaplen=96)])
    ports = Ports(rng)
    client, client6, resolver = '10.0.0.84', '2001:470:1f0b:5a3::84', '10.0.0.1'
    bg = BG(cap, rng, ports, client, resolver, client6=client6, dns_rtt=0.0014, r_ttl=64, style='chrome')
    bg.many(T0, T0 + 75, 30, http=3, ntp=1)
    # HTTP -> HTTPS redirect whose Location value is cut by the snaplen
    for k, (dom, loc) in enumerate([('www.theguardian.com', 'https://www.theguardian.com/'),
                                    ('www.kernel.org', 'https://www.kernel.org/'),
                                    ('www.debian.org', 'https://www.debian.org/')]):
        site = SITE[dom]
        t = bg.resolve(T0 + 10 + k * 13, site) + 0.0002
        f = Tcp(cap, client, site[1], ports.get(), 80, rng, rtt=site[5], s_ttl=site[3])
        t = f.handshake(t)
        t = f.send(t + 0.0001, 'c', http_req('GET', '/', dom, [('Connection', 'keep-alive'), ('Upgrade-Insecure-Requests', '1'),
                                                             ('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36')]))
        body = b'<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n</body>\r\n</html>\r\n'
        t = f.download(t + f.rtt + 0.0005, http_resp(301, 'Moved Permanently', [
            ('Location', loc), ('Server', 'nginx'), ('Date', 'Thu, 27 Jun 2024 12:07:31 GMT'),
            ('Content-Type', 'text/html'), ('Content-Length', str(len(body))), ('Connection', 'keep-alive')], body))
        bg.https(t + 0.0008, dom, close='c')
        f.close(t + 1.2, 'c')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'Snaplen-truncated frames (96 bytes): DNS answers cut inside the answer section, ClientHellos '
           'cut before the SNI, ServerHellos without certificate, HTTP 301 whose Location value is cut off',
           'tcpdump -s 96: every frame longer than 96 bytes has caplen 96 and the original length recorded. '
           'Missing answers/SNI/Location are capture truncation, not empty or forged responses; the IP/TCP '
           'lengths show full-sized packets and every connection proceeds normally (the redirects are followed to '
           'HTTPS on the same host).',
           'Ethernet pcap, snaplen 96; 10.0.0.84 + 2001:470:1f0b:5a3::84, ~35 flows, DNS via 10.0.0.1, three '
           'HTTP 301 to https of the same site.')


def case07():
    """Capture on wg0 (raw IP). The tunnel stops delivering for ~25 s in both directions: a ClientHello sent
    right after a completed handshake is retransmitted 7 times, DNS, ping and other flows stall too; everything
    resumes at the same instant and the same connection completes its handshake."""
    fname = 'c07.pcap'
    rng = random.Random(3107)
    T0 = 1720075200.0 + 61.904
    cap = Cap([dict(link=Raw(), name='wg0', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    client, client6, resolver = '10.66.66.2', 'fd42:42:42::2', '10.66.66.1'
    OUT_S, OUT_E = T0 + 41.125, T0 + 66.5
    tkw = dict(c_mss=1380, s_mss=1380)
    bg = BG(cap, rng, ports, client, resolver, client6=client6, dns_rtt=0.0226, r_ttl=64, style='chrome',
            rtt_scale=1.0, ttl_adj=-1, tcpkw=tkw)
    bg.many(T0 + 0.5, T0 + 33.0, 16, http=1, ntp=1)
    bg.many(T0 + 68.0, T0 + 110, 16, http=1, ntp=0)
    # ICMP echo to the tunnel endpoint every 5 s (monitoring script)
    for k in range(23):
        tt = T0 + 1.0 + k * 5.0
        cap.emit(tt, icmp4_echo(client, resolver, 0x2f1c, k + 1, bytes(range(16, 72)), ipid=rng.getrandbits(16)), True)
        if not (OUT_S <= tt <= OUT_E):
            cap.emit(tt + 0.0231, icmp4_echo(resolver, client, 0x2f1c, k + 1, bytes(range(16, 72)), reply=True,
                                             ipid=rng.getrandbits(16)), False)
    # streaming audio over one long TLS connection: a chunk every 10 s
    site = ('audio-fa.scdn.co', '151.101.38.248', None, 56, None, 0.0301, 'audio-fa.scdn.co.fastly.net')
    t = bg.resolve(T0 + 20.0, site) + 0.0003
    a = Tcp(cap, client, site[1], ports.get(), 443, rng, rtt=0.0301, s_ttl=56, **tkw)
    t = tls13_session(a, t, site[0], rng, exchanges=[(420, 310_000)], bw=40e6)
    for tt in (T0 + 30.9, T0 + 40.9):
        t = a.send(tt, 'c', appdata(rng, 410))
        a.download(t + a.rtt + 0.004, appdata_stream(rng, 305_000), bw=40e6)
    req = appdata(rng, 410)
    a.send(T0 + 50.9, 'c', req)
    seq0 = a.cn - len(req)
    rto, tt = 0.214, T0 + 50.9
    while tt <= OUT_E:
        tt += rto
        rto *= 2
        a.pkt(tt, 'c', 'PA', req, seq=seq0)
    a.download(tt + a.rtt + 0.004, appdata_stream(rng, 305_000), bw=40e6)
    # www.dw.com: handshake completes just before the outage, the ClientHello is lost
    site = ('www.dw.com', '23.58.53.8', None, 55, None, 0.028, 'www.dw.com.edgekey.net')
    t = bg.resolve(T0 + 41.06, site)
    d = Tcp(cap, client, site[1], ports.get(), 443, rng, rtt=0.028, s_ttl=55, **tkw)
    d.syn(T0 + 41.095)
    d.synack(T0 + 41.123)
    d.pkt(T0 + 41.12304, 'c', 'A')
    ch, p = client_hello(rng, 'www.dw.com', style='chrome')
    seq0 = d.cn
    d.send(T0 + 41.1231, 'c', ch, seg=1368)
    rto, tt = 0.228, T0 + 41.1231
    while tt <= OUT_E:
        tt += rto
        rto *= 2
        for i in range(0, len(ch), 1368):
            d.pkt(tt + i / 1368 * 0.00002, 'c', 'A' if i + 1368 < len(ch) else 'PA', ch[i:i + 1368], seq=seq0 + i)
    t = d.download(tt + d.rtt + 0.0009, server_flight13(rng, p['sessid']), bw=40e6)
    t = d.send(t + 0.0004, 'c', CCS + appdata(rng, 53) + appdata(rng, 520))
    t = d.download(t + d.rtt + 0.006, appdata(rng, 250) + appdata(rng, 250) + appdata_stream(rng, 85_000), bw=40e6)
    d.close(t + 3.0, 'c')
    # DNS for www.bbc.com during the outage: glibc retries every 5 s with the same IDs, later success
    sp = ports.get()
    for k in range(3):
        dns_exchange(cap, T0 + 45.0 + k * 5, client, resolver, sp, 0x3b11, 'www.bbc.com', 'A', no_reply=True,
                     edns=opt_rr(1232), c_ipid=0x51a0 + 2 * k)
        dns_exchange(cap, T0 + 45.00005 + k * 5, client, resolver, sp, 0x7f02, 'www.bbc.com', 'AAAA', no_reply=True,
                     edns=opt_rr(1232), c_ipid=0x51a1 + 2 * k)
    site = ('www.bbc.com', '151.101.64.81', None, 56, None, 0.0291, 'www.bbc.com.pri.bbc.com')
    SITE['www.bbc.com'] = site
    t = bg.resolve(T0 + 67.2, site)
    b = Tcp(cap, client, site[1], ports.get(), 443, rng, rtt=0.0291, s_ttl=56, **tkw)
    tls13_session(b, t + 0.0003, 'www.bbc.com', rng, exchanges=[(510, 60000), (380, 9000)], close='c')
    # a SYN to github during the outage: retried at 1,3,7,15,31 s
    gh = Tcp(cap, client, '140.82.121.4', ports.get(), 443, rng, rtt=0.0411, s_ttl=51, **tkw)
    for off in (0, 1, 3, 7, 15, 31):
        gh.pkt(T0 + 48.0 + off, 'c', 'S', seq=gh.c_isn, win=64240, opts=gh.syn_opts(T0 + 48.0 + off), advance=False)
    gh.cn = gh.c_isn + 1
    gh.synack(T0 + 79.0 + gh.rtt)
    t = gh.pkt(T0 + 79.0 + gh.rtt + 0.00004, 'c', 'A')
    ch, p = client_hello(rng, 'github.com', style='chrome')
    t = gh.send(T0 + 79.0 + gh.rtt + 0.0001, 'c', ch, seg=1368)
    t = gh.download(t + gh.rtt + 0.001, server_flight13(rng, p['sessid']), bw=40e6)
    t = gh.send(t + 0.0003, 'c', CCS + appdata(rng, 53) + appdata(rng, 600))
    t = gh.download(t + gh.rtt + 0.01, appdata_stream(rng, 120_000), bw=40e6)
    gh.close(t + 1.0, 'c')
    # drop every packet that would have crossed the tunnel during the outage (nothing is seen inbound)
    cap.recs = [r for r in cap.recs if not (tns(OUT_S) < r['order'] < tns(OUT_E) and r['frame'] and
                                            _inbound(r['frame'], client, client6))]
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'A ClientHello (SNI www.dw.com) sent right after a completed handshake goes unanswered and is '
           'retransmitted 7 times over 29 s; a SYN to github.com is retried 5 times; DNS queries for www.bbc.com time '
           'out',
           'Capture on a WireGuard interface during a ~25 s tunnel outage: between 41.1 s and 66.5 s nothing at all '
           'arrives on wg0 -- not the ping replies from the tunnel endpoint 10.66.66.1, not DNS, not the audio '
           'stream, not any SYN/ACK. Everything resumes together and the very same connection then completes '
           'its TLS handshake for www.dw.com; the stalled DNS name and the github SYN succeed as well.',
           'Raw-IP (LINKTYPE_RAW) pcap on wg0; 10.66.66.2 / fd42:42:42::2, MSS 1380, ~34 flows, ICMP echo to '
           '10.66.66.1 every 5 s, outage 41.1-66.5 s hitting all flows.')


def _inbound(l3, client, client6):
    if l3[0] >> 4 == 6:
        return l3[24:40] == ab(client6)
    return l3[16:20] == ab(client)


def case08():
    """Laptop suspended for ~20 minutes with idle TLS connections open. After resume the apps write on the
    stale connections: three servers answer with stack RSTs (IP ID 0, DF, win 0, their usual TTL), one
    (behind a stateful load balancer) stays silent; new connections to the same names work at once."""
    fname = 'c08.pcapng'
    rng = random.Random(3108)
    T0 = 1718781600.0 + 2.871
    MY, GW = '9c:fc:e8:13:a6:7e', 'a4:2b:b0:d3:55:18'
    lk = Eth(MY, GW)
    cap = Cap([dict(link=lk, name='wlp0s20f3', tsres=6, snaplen=262144, os='Linux 6.5.0-41-generic')],
              fmt='pcapng', shb=dict(hardware='11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz (with SSE4.2)',
                                     os='Linux 6.5.0-41-generic',
                                     userappl='Dumpcap (Wireshark) 3.6.2 (Git v3.6.2 packaged as 3.6.2-2)'))
    ports = Ports(rng)
    client, client6, resolver = '192.168.0.105', '2a02:810d:4b3f:e200:9ecf:e8ff:fe13:a67e', '192.168.0.1'
    bg = BG(cap, rng, ports, client, resolver, client6=client6, dns_rtt=0.0041, r_ttl=64, style='chrome')
    bg.many(T0, T0 + 85, 22, http=2, ntp=1)
    persist = [('wss-primary.slack.com', '3.66.158.71', None, 44, None, 0.0183, None, 'ws'),
               ('mail.google.com', '142.250.185.101', None, 117, None, 0.0122, None, 'h2'),
               ('www.theguardian.com',) + SITE['www.theguardian.com'][1:] + ('h2',),
               ('en.wikipedia.org',) + SITE['en.wikipedia.org'][1:] + ('h2v6',)]
    flows = []
    for k, (dom, v4, v6, ttl4, ttl6, rtt, cname, kind) in enumerate(persist):
        t = bg.resolve(T0 + 3 + k * 4.1, (dom, v4, v6, ttl4, ttl6, rtt, cname)) + 0.0003
        use6 = kind == 'h2v6'
        f = Tcp(cap, client6 if use6 else client, v6 if use6 else v4, ports.get(), 443, rng, rtt=rtt,
                s_ttl=ttl6 if use6 else ttl4)
        t = tls13_session(f, t, dom, rng, exchanges=[(520, 30000), (300, 4000)],
                          alpn=(b'http/1.1',) if kind == 'ws' else (b'h2', b'http/1.1'))
        # some keepalive traffic until shortly before the suspend
        tt = t + 10
        while tt < T0 + 92:
            f.pkt(tt, 'c', 'PA', appdata(rng, 40 if kind != 'ws' else 28))
            f.pkt(tt + f.rtt, 's', 'PA', appdata(rng, 40 if kind != 'ws' else 31))
            f.pkt(tt + f.rtt + 0.00004, 'c', 'A')
            tt += 20 + rng.random() * 10
        flows.append((dom, f, kind))
    # ---- suspend at ~T0+95.9, resume 1212 s later
    W = T0 + 95.9 + 1212.4
    # wifi re-association: DHCP INIT-REBOOT, ARP, IPv6 RS/RA
    xid = 0x5e1c2f9a
    opts = [(53, b'\x03'), (61, b'\x01' + mac(MY)), (50, ab(client)), (12, b'x1carbon'),
            (55, bytes([1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42]))]
    cap.emit(W, ipv4('0.0.0.0', '255.255.255.255', 17, udp('0.0.0.0', '255.255.255.255', 68, 67,
             dhcp(1, xid, MY, options=opts)), ttl=64, ipid=0, df=False, tos=0x10), True, dst='ff:ff:ff:ff:ff:ff')
    aopts = [(53, b'\x05'), (54, ab(resolver)), (51, struct.pack('!I', 86400)), (1, ab('255.255.255.0')),
             (3, ab(resolver)), (6, ab(resolver)), (15, b'fritz.box')]
    cap.emit(W + 0.0062, ipv4(resolver, client, 17, udp(resolver, client, 67, 68,
             dhcp(2, xid, MY, yiaddr=client, siaddr=resolver, options=aopts)), ttl=64, ipid=rng.getrandbits(16),
             df=False), False)
    cap.emit(W + 0.0101, arp(1, MY, client, '00:00:00:00:00:00', resolver), True, dst='ff:ff:ff:ff:ff:ff', et=0x0806)
    cap.emit(W + 0.0113, arp(2, GW, resolver, MY, client), False, et=0x0806)
    ll = 'fe80::9ecf:e8ff:fe13:a67e'
    cap.emit(W + 0.0212, icmp6(ll, 'ff02::2', 133, 0, b'\0\0\0\0' + b'\x01\x01' + mac(MY)), True, dst='33:33:00:00:00:02')
    ra = struct.pack('!BBHII', 64, 0x08, 1800, 0, 0) + b'\x03\x04\x40\xc0' + struct.pack('!III', 7200, 3600, 0) + \
        ab('2a02:810d:4b3f:e200::') + b'\x01\x01' + mac(GW) + b'\x05\x01\0\0' + struct.pack('!I', 1500)
    cap.emit(W + 0.0299, icmp6('fe80::a62b:b0ff:fed3:5518', 'ff02::1', 134, 0, ra), False, dst='33:33:00:00:00:01')
    # apps write on their stale sockets
    for k, (dom, f, kind) in enumerate(flows):
        tt = W + 0.91 + k * 0.0137
        payload = appdata(rng, 40 if kind != 'ws' else 28)
        f.pkt(tt, 'c', 'PA', payload)
        if kind == 'h2v6':
            # silent: load balancer has no state for it and drops. Retransmissions, then the browser gives up.
            seq = f.cn - len(payload)
            rto = 0.212
            t2 = tt
            for i in range(5):
                t2 += rto
                rto *= 2
                f.pkt(t2, 'c', 'PA', payload, seq=seq, advance=False)
            f.pkt(t2 + 0.4, 'c', 'FA')
            f.pkt(t2 + 0.4 + 0.23, 'c', 'FA', seq=f.cn - 1, advance=False)
        else:
            f.pkt(tt + f.rtt, 's', 'R', seq=f.c_rcv, win=0, ipid=0)
    # reconnects (DNS cache expired during sleep)
    bg.cache.clear()
    for k, (dom, f, kind) in enumerate(flows):
        site = SITE.get(dom) or next(p[:7] for p in persist if p[0] == dom)
        t = bg.resolve(W + 0.95 + k * 0.21, site) + 0.0003
        use6 = kind == 'h2v6'
        g2 = Tcp(cap, client6 if use6 else client, site[2] if use6 else site[1], ports.get(), 443, rng,
                 rtt=site[5], s_ttl=site[4] if use6 else site[3])
        tls13_session(g2, t, dom, rng, exchanges=[(560, 25000), (300, 3000)],
                      alpn=(b'http/1.1',) if kind == 'ws' else (b'h2', b'http/1.1'))
    bg.many(W + 3, W + 40, 10, http=1, ntp=0)
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'Right after the client sends application data on established TLS connections (SNIs known from '
           'their handshakes) the servers answer with bare RSTs with IP ID 0; a fourth connection (IPv6) is '
           'silently unanswered despite 5 retransmissions',
           'There is a 1212 s gap (suspend) right before: DHCP INIT-REBOOT, ARP and a router advertisement show the '
           'Wi-Fi coming back. The servers dropped the idle connections meanwhile; the RSTs are their stacks '
           'answering unknown segments (flags R only, seq = the segment\'s ACK, win 0, DF, IP ID 0 exactly like '
           'their SYN/ACKs, TTL identical to their earlier packets) and new connections to the same names, '
           'incl. the silent IPv6 server, succeed within 2 s.',
           'pcapng, 1 Ethernet IDB (wlp0s20f3); 192.168.0.105 / 2a02:810d:...:a67e, ~26 flows before and ~14 after a '
           '20-min gap; RSTs from 3.66.158.71 (slack), 142.250.185.101 (gmail), 151.101.1.111 (guardian); silent '
           '2a02:ec80:300:ed1a::1.')


def case09():
    """tcpdump -i any on a laptop that is docked mid-session: the wired interface comes up with a new address,
    Chrome's network-change handling aborts its sockets on the Wi-Fi address (client RSTs), the servers' in-flight
    data still arrives and is answered with more client RSTs, then everything reconnects from the new address."""
    fname = 'c09.pcap'
    rng = random.Random(3109)
    T0 = 1721116800.0 + 33.0173
    WMAC, EMAC, GW = 'f4:26:79:3e:08:b2', '00:e0:4c:68:0a:3b', '3c:a6:2f:81:c4:19'
    WIF, EIF = 3, 5
    cap = Cap([dict(link=SLL2(WMAC, GW, WIF), name='any', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    wifi_ip, wired_ip, resolver = '192.168.178.34', '192.168.178.57', '192.168.178.1'
    lw = dict(ifindex=WIF)
    le_out, le_in = dict(ifindex=EIF, addr=mac(EMAC)), dict(ifindex=EIF)
    bgw = BG(cap, rng, ports, wifi_ip, resolver, dns_rtt=0.0062, r_ttl=64, style='chrome')
    bgw.many(T0, T0 + 35, 16, http=1, ntp=1)
    # long-running flows on Wi-Fi
    dl = ('dl.google.com', '142.250.186.110', None, 117, None, 0.0131, None)
    t = bgw.resolve(T0 + 39.6, dl) + 0.0003
    d = Tcp(cap, wifi_ip, dl[1], ports.get(), 443, rng, rtt=0.0131, s_ttl=117)
    t = tls13_session(d, t, dl[0], rng, exchanges=[(610, 0)], alpn=(b'h2', b'http/1.1'))
    TD = T0 + 41.2                                   # Chrome closes sockets here
    # download running until TD, then in-flight data keeps arriving for one RTT
    body = appdata_stream(rng, 9_000_000)
    seg = d.seg_size('s')
    ser = (seg + 66) * 8 / 30e6
    tt, i = t + 0.001, 0
    while tt < TD:
        d.pkt(tt, 's', 'A', body[i:i + seg])
        i += seg
        if (i // seg) % 2 == 0:
            d.pkt(tt + 0.00001, 'c', 'A')
        tt += ser
    d.pkt(TD, 'c', 'RA')
    nxt = d.cn
    while tt < TD + d.rtt:
        d.pkt(tt, 's', 'A', body[i:i + seg])
        i += seg
        d.pkt(tt + 0.000012, 'c', 'R', seq=nxt, win=0, ipid=0)
        tt += ser
    # idle HTTP/2 and websocket connections are closed with FIN
    idle = []
    for dom in ('www.google.com', 'github.com'):
        site = SITE[dom]
        t = bgw.resolve(T0 + 30 + len(idle), site) + 0.0003
        f = Tcp(cap, wifi_ip, site[1], ports.get(), 443, rng, rtt=site[5], s_ttl=site[3])
        tls13_session(f, t, dom, rng, exchanges=[(480, 22000)])
        idle.append((dom, f))
    for k, (dom, f) in enumerate(idle):
        f.pkt(TD + 0.0003 + k * 0.0001, 'c', 'PA', appdata(rng, 19))
        f.close(TD + 0.00035 + k * 0.0001, 'c')
    # the wired interface came up at T0+40.0 (DHCP on the dock NIC)
    xid = 0x8c11e2d7
    base = [(61, b'\x01' + mac(EMAC)), (12, b'thinkpad-t14'), (55, bytes([1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42]))]
    seqs = [(40.02, 1, [(53, b'\x01')] + base, True), (40.031, 2, [(53, b'\x02'), (54, ab(resolver)), (51, struct.pack('!I', 864000)), (1, ab('255.255.255.0')), (3, ab(resolver)), (6, ab(resolver))], False),
            (40.033, 1, [(53, b'\x03'), (50, ab(wired_ip)), (54, ab(resolver))] + base, True),
            (40.905, 2, [(53, b'\x05'), (54, ab(resolver)), (51, struct.pack('!I', 864000)), (1, ab('255.255.255.0')), (3, ab(resolver)), (6, ab(resolver)), (15, b'fritz.box')], False)]
    for off, op, o, out in seqs:
        if out:
            pl = ipv4('0.0.0.0', '255.255.255.255', 17, udp('0.0.0.0', '255.255.255.255', 68, 67, dhcp(1, xid, EMAC, options=o)),
                      ttl=64, ipid=0, df=False, tos=0x10)
            cap.emit(T0 + off, pl, True, ifindex=EIF, addr=mac(EMAC))
        else:
            pl = ipv4(resolver, wired_ip, 17, udp(resolver, wired_ip, 67, 68, dhcp(2, xid, EMAC, yiaddr=wired_ip, siaddr=resolver, options=o)),
                      ttl=64, ipid=rng.getrandbits(16), df=False)
            cap.emit(T0 + off, pl, False, ifindex=EIF)
    # reconnect from the wired address
    bge = BG(cap, rng, ports, wired_ip, resolver, dns_rtt=0.0009, r_ttl=64, style='chrome', lk_out=le_out, lk_in=le_in)
    t = bge.resolve(TD + 0.012, dl) + 0.0003
    d2 = Tcp(cap, wired_ip, dl[1], ports.get(), 443, rng, rtt=0.0118, s_ttl=117, linkkw_c=le_out, linkkw_s=le_in)
    t = tls13_session(d2, t, dl[0], rng, exchanges=[(640, 0)])
    d2.download(t + 0.001, appdata_stream(rng, 6_000_000), bw=300e6)
    for k, (dom, f) in enumerate(idle):
        bge.https(TD + 0.02 + k * 0.03, dom, exchanges=[(450, 18000)])
    bge.many(TD + 2, TD + 40, 16, http=1, ntp=0)
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'A burst of RSTs inside a running download (dl.google.com), and server data continuing after the '
           'first RST in the same flow (looks like a RST that the server "ignored"), plus a mid-session address '
           'change',
           'All RSTs come from the client\'s own stack on the Wi-Fi interface (TTL 64, the client\'s address): '
           'Chrome aborted its sockets when the dock NIC got 192.168.178.57 by DHCP 0.3 s earlier; the data after '
           'the RST is the server\'s in-flight window, each segment answered by a client RST with the same seq. '
           'The same download resumes from the wired address immediately, the idle connections close with FIN '
           'and reopen.',
           'LINUX_SLL2 pcap (-i any), ifindex 3 (Wi-Fi 192.168.178.34) and 5 (USB dock 192.168.178.57); ~34 flows; '
           'client RST/ACK + 32 client RSTs in dl.google.com flow, DHCP on ifindex 5, reconnects.')


def case10():
    """glibc resolver switch: the first nameserver (router, fd00::1) does not answer within 5 s, the same queries
    (same IDs) go to the second (Google Public DNS v6) and are answered; then the router's late answers arrive
    with a different Akamai edge address and the client's closed socket returns ICMPv6 port unreachable."""
    fname = 'c10.pcap'
    rng = random.Random(3110)
    T0 = 1719835200.0 + 12.4021
    MY, GW = '70:85:c2:5b:3e:01', '2c:91:ab:6e:2a:f1'
    cap = Cap([dict(link=Eth(MY, GW), name='enp3s0', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    client, client6 = '192.168.178.21', '2a02:8108:1c0:7a10:4a2e:73ff:fe5b:3e01'
    r0, r1 = 'fd00::2e91:abff:fe6e:2af1', '2001:4860:4860::8888'
    bg = BG(cap, rng, ports, client, r0, client6=client6, dns_rtt=0.0052, r_ttl=64, style='firefox')
    bg.many(T0, T0 + 18, 14, http=1, ntp=1)
    bg.many(T0 + 31, T0 + 80, 14, http=1, ntp=0)
    q = 'www.microsoft.com'
    chain = [(q, 'CNAME', 1, 3600, 'www.microsoft.com-c-3.edgekey.net'),
             ('www.microsoft.com-c-3.edgekey.net', 'CNAME', 1, 21600, 'www.microsoft.com-c-3.edgekey.net.globalredir.akadns.net'),
             ('www.microsoft.com-c-3.edgekey.net.globalredir.akadns.net', 'CNAME', 1, 900, 'e13678.dscb.akamaiedge.net')]
    tq = T0 + 20.0
    txa, txq = 0x9e31, 0x1b07
    sp0, sp1 = ports.get(), ports.get()
    ed = opt_rr(1232)
    # to the router: no timely answer
    qa = dns_exchange(cap, tq, client6, r0, sp0, txa, q, 'A', no_reply=True, edns=ed)[1]
    qq = dns_exchange(cap, tq + 0.00005, client6, r0, sp0, txq, q, 'AAAA', no_reply=True, edns=ed)[1]
    # resolver switch after timeout:5 -- same IDs, new socket
    dns_exchange(cap, tq + 5.0003, client6, r1, sp1, txa, q, 'A',
                 chain + [('e13678.dscb.akamaiedge.net', 'A', 1, 20, '23.50.131.188')], rtt=0.0139, r_ttl=57, edns=ed,
                 resp_extra_ar=[opt_rr(512)])
    dns_exchange(cap, tq + 5.00035, client6, r1, sp1, txq, q, 'AAAA',
                 chain + [('e13678.dscb.akamaiedge.net', 'AAAA', 1, 20, '2a02:26f0:e8:1a3::356e'),
                          ('e13678.dscb.akamaiedge.net', 'AAAA', 1, 20, '2a02:26f0:e8:18d::356e')],
                 rtt=0.0142, r_ttl=57, edns=ed, resp_extra_ar=[opt_rr(512)])
    # the router's late answers (its upstream recovered) -- different edge, to the now-closed socket
    late_a = dns_msg(txa, 0x8180, [(q, 'A')], an=chain + [('e13678.dscb.akamaiedge.net', 'A', 1, 20, '2.19.120.53')],
                     ar=[opt_rr(1232)])
    late_q = dns_msg(txq, 0x8180, [(q, 'AAAA')], an=chain + [('e13678.dscb.akamaiedge.net', 'AAAA', 1, 20, '2a02:26f0:1700:2a8::356e')],
                     ar=[opt_rr(1232)])
    for k, (m, off) in enumerate([(late_a, 5.3502), (late_q, 5.3506)]):
        pkt = ipv6(r0, client6, 17, udp(r0, client6, 53, sp0, m), hlim=64)
        cap.emit(tq + off, pkt, False)
        cap.emit(tq + off + 0.00003, icmp_unreach(client6, r0, pkt, ttl=64), True)
    # Firefox connects to the first answer it got
    f = Tcp(cap, client6, '2a02:26f0:e8:1a3::356e', ports.get(), 443, rng, rtt=0.0087, s_ttl=57)
    tls13_session(f, tq + 5.0152, q, rng, exchanges=[(520, 90000), (480, 30000)], style='firefox', close='c')
    # a second name shortly after: router answers normally again
    bg.https(tq + 9.0, 'www.python.org')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'Two responses with the same transaction ID and QNAME (www.microsoft.com A/AAAA) but different '
           'addresses (23.50.131.188 vs 2.19.120.53), the later one 0.35 s after the first, different IP TTLs; the '
           'late one bounces with ICMPv6 port unreachable',
           'They come from two different resolvers to two different client sockets: glibc timed out on the first '
           'nameserver (fd00::...:2af1, the home router) after 5 s and re-sent the identical query bytes (same IDs) '
           'to the second nameserver (2001:4860:4860::8888); the router then answered late to the closed socket. '
           'Both answers are the same CNAME chain into Akamai (e13678.dscb.akamaiedge.net) with edge-local '
           'addresses, and the TLS connection to the first answer succeeds. No race on one 5-tuple.',
           'Ethernet pcap; 192.168.178.21 / 2a02:8108:...:3e01, DNS over IPv6; ~30 ordinary flows; '
           'www.microsoft.com lookup: 5 s timeout, resolver switch, late answer + ICMPv6 unreachable, TLS to Akamai v6.')


def case11():
    """tcpdump -i any on Ubuntu with systemd-resolved: loopback packets are captured twice (outgoing + incoming),
    the stub 127.0.0.53 answers apps with different IDs than its upstream queries, serves cached answers with
    decremented TTLs, and synthesises private answers for _gateway, the hostname and localhost."""
    fname = 'c11.pcap'
    rng = random.Random(3111)
    T0 = 1720425600.0 + 4.218
    MY, GW = '08:00:27:9b:4c:12', '50:6a:03:cd:01:7e'
    cap = Cap([dict(link=SLL(MY, GW), name='any', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    host, up = '192.168.0.42', '192.168.0.1'
    stub = '127.0.0.53'
    LO = dict(hatype=772, addr=b'\0' * 6)

    def lo(t, l3):
        cap.emit(t, l3, True, **LO)
        cap.emit(t + 0.000002, l3, False, pkttype=0, **LO)

    cache = {}

    def resolve(t, name, qtype, answers=None, synth=None, rtt=0.0061, ttl_age=0, rcode=0, auth=()):
        """app -> stub (-> upstream) -> app. Returns time the app has its answer."""
        sp = ports.get()
        tid = rng.getrandbits(16)
        qflags = 0x0120                                # RD + AD (options edns0 trust-ad)
        qm = dns_msg(tid, qflags, [(name, qtype)], ar=[opt_rr(1200)])
        lo(t, ip('127.0.0.1', stub, 17, udp('127.0.0.1', stub, sp, 53, qm), ttl=64, ipid=rng.getrandbits(16)))
        t1 = t + 0.00012
        key = (name, qtype)
        if synth is not None:
            ans = synth
        elif key in cache:
            ans = [(n, ty, c, max(1, tt - int(t - cache[key][1])), rd) for (n, ty, c, tt, rd) in cache[key][0]]
        else:
            usp = ports.get()
            utid = rng.getrandbits(16)
            um = dns_msg(utid, 0x0100, [(name, qtype)], ar=[opt_rr(1200, do=True)])
            cap.emit(t + 0.00009, ip(host, up, 17, udp(host, up, usp, 53, um), ttl=64, ipid=rng.getrandbits(16)), True)
            rf = 0x8180 | rcode
            rm = dns_msg(utid, rf, [(name, qtype)], an=answers or [], ns=auth, ar=[opt_rr(1232)])
            cap.emit(t + 0.00009 + rtt, ip(up, host, 17, udp(up, host, 53, usp, rm), ttl=64, ipid=0), False)
            cache[key] = (answers or [], t + 0.00009 + rtt)
            ans = answers or []
            t1 = t + 0.00009 + rtt + 0.00011
        rm = dns_msg(tid, 0x8180 | rcode, [(name, qtype)], an=ans, ns=auth if synth is None else (), ar=[opt_rr(65494)])
        lo(t1, ip(stub, '127.0.0.1', 17, udp(stub, '127.0.0.1', 53, sp, rm), ttl=64, ipid=rng.getrandbits(16)))
        return t1 + 0.00005

    # background browsing; every lookup goes through the stub
    sites = rng.sample(SITES, 20)
    t = T0
    for k, s in enumerate(sites):
        t = T0 + 1.5 + k * 3.1 + rng.random()
        dom, v4, v6, ttl4, ttl6, rtt, cname = s
        ans = ([(dom, 'CNAME', 1, 1800, cname)] if cname else []) + [(cname or dom, 'A', 1, 300, v4)]
        ta = resolve(t, dom, 'A', ans)
        aaaa = ([(dom, 'CNAME', 1, 1800, cname)] if cname else []) + ([(cname or dom, 'AAAA', 1, 300, v6)] if v6 else [])
        resolve(t + 0.00003, dom, 'AAAA', aaaa)
        f = Tcp(cap, host, v4, ports.get(), 443, rng, rtt=rtt, s_ttl=ttl4)
        tls13_session(f, ta + 0.0002, dom, rng, exchanges=[(rng.randint(300, 700), rng.choice([3000, 15000, 48000]))],
                      style='firefox', close=rng.choice(['c', None]))
    # cached re-lookups later (answered by the stub alone, TTL decremented)
    for k, s in enumerate(sites[:6]):
        dom, v4, v6, ttl4, ttl6, rtt, cname = s
        ta = resolve(T0 + 70 + k * 1.7, dom, 'A')
        f = Tcp(cap, host, v4, ports.get(), 443, rng, rtt=rtt, s_ttl=ttl4)
        tls13_session(f, ta + 0.0002, dom, rng, exchanges=[(420, 6000)], style='firefox', close='c')
    # synthesised local names
    resolve(T0 + 12.2, '_gateway', 'A', synth=[('_gateway', 'A', 1, 0, up)])
    resolve(T0 + 12.20003, '_gateway', 'AAAA', synth=[('_gateway', 'AAAA', 1, 0, 'fe80::526a:3ff:fecd:17e')])
    resolve(T0 + 30.7, 'lab-desktop', 'A', synth=[('lab-desktop', 'A', 1, 0, host)])
    resolve(T0 + 30.70004, 'lab-desktop', 'AAAA', synth=[('lab-desktop', 'AAAA', 1, 0, 'fe80::a00:27ff:fe9b:4c12')])
    resolve(T0 + 30.9, 'localhost', 'A', synth=[('localhost', 'A', 1, 0, '127.0.0.1')])
    # the router's own name (.box is not a public TLD) and a wildcard-DNS dev name that embeds its address
    resolve(T0 + 41.0, 'fritz.box', 'A', [('fritz.box', 'A', 1, 10, up)], rtt=0.0008)
    ta = resolve(T0 + 52.3, '192-168-0-10.nip.io', 'A', [('192-168-0-10.nip.io', 'A', 1, 86400, '192.168.0.10')], rtt=0.0244)
    resolve(T0 + 52.30003, '192-168-0-10.nip.io', 'AAAA', [], rtt=0.0241,
            auth=[('nip.io', 'SOA', 1, 300, ('ns-aws.sslip.io', 'briancunnie.gmail.com', 2024072001, 900, 900, 1800, 300))])
    f = Tcp(cap, host, '192.168.0.10', ports.get(), 8080, rng, rtt=0.0004, s_ttl=64)
    t = f.handshake(ta + 0.0003)
    t = f.send(t + 0.0001, 'c', http_req('GET', '/', '192-168-0-10.nip.io:8080', [('User-Agent', 'curl/8.5.0'), ('Accept', '*/*')]))
    body = b'<!doctype html><html><head><title>Vite + React</title></head><body><div id="root"></div></body></html>\n'
    t = f.download(t + 0.0009, http_resp(200, 'OK', [('Vary', 'Origin'), ('Content-Type', 'text/html'),
                                                    ('Cache-Control', 'no-cache'), ('Content-Length', str(len(body))),
                                                    ('Date', 'Mon, 08 Jul 2024 08:01:00 GMT'), ('Connection', 'keep-alive')], body))
    f.close(t + 0.0002, 'c')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'DNS answers from 127.0.0.53 seen twice each; answers for the same names with different '
           'transaction IDs and TTLs from two servers; private/loopback answers (_gateway -> 192.168.0.1, '
           'lab-desktop -> 192.168.0.42, localhost -> 127.0.0.1, fritz.box -> 192.168.0.1, '
           '192-168-0-10.nip.io -> 192.168.0.10)',
           'tcpdump -i any captures every loopback packet twice (outgoing and incoming, hatype 772). The stub '
           'resolver re-asks its upstream with its own IDs and serves later lookups from cache with decremented '
           'TTLs -- identical RDATA throughout. The private answers are synthesised local names (no upstream '
           'query), the router\'s own .box name, and nip.io, a public wildcard service whose answer is by design the '
           'address written in the name; the dev server at that address answers HTTP.',
           'LINUX_SLL pcap; 192.168.0.42 with systemd-resolved (127.0.0.53) forwarding to 192.168.0.1; ~26 TLS flows, '
           'cached lookups, synthesised names, HTTP to 192.168.0.10:8080.')


def case12():
    """LAN with mDNS / LLMNR chatter: one PTR query draws answers from two different devices (txid 0, IP TTL 255,
    different RDATA), unsolicited announcements, a unicast LLMNR answer, and an unanswered LLMNR query."""
    fname = 'c12.pcapng'
    rng = random.Random(3112)
    T0 = 1717404000.0 + 51.73
    MY, GW = 'dc:a6:32:0f:71:e4', '18:e8:29:4a:33:90'
    cap = Cap([dict(link=Eth(MY, GW), name='eth0', tsres=6, snaplen=262144, os='Linux 6.6.31+rpt-rpi-v8')],
              fmt='pcapng', shb=dict(os='Linux 6.6.31+rpt-rpi-v8', hardware='Raspberry Pi 4 Model B Rev 1.5',
                                     userappl='Dumpcap (Wireshark) 4.0.17 (Git v4.0.17 packaged as 4.0.17-0+deb12u1)'))
    ports = Ports(rng)
    me, me6, resolver = '192.168.1.77', 'fe80::dea6:32ff:fe0f:71e4', '192.168.1.1'
    bg = BG(cap, rng, ports, me, resolver, dns_rtt=0.0018, r_ttl=64, style='chrome')
    bg.many(T0, T0 + 90, 24, http=2, ntp=1)
    MCM, MC6 = '01:00:5e:00:00:fb', '33:33:00:00:00:fb'
    devs = {'cc': ('192.168.1.31', 'fe80::1a7a:3ff:fe21:9bd0', 'f4:f5:d8:21:9b:d0'),
            'hub': ('192.168.1.45', 'fe80::3e8d:20ff:fe77:12a4', '3c:8d:20:77:12:a4'),
            'prn': ('192.168.1.20', 'fe80::6e02:e0ff:fe5a:11c7', '6c:02:e0:5a:11:c7'),
            'sonos': ('192.168.1.52', 'fe80::5aa8:e8ff:fe91:7e20', '58:a8:e8:91:7e:20'),
            'nas': ('192.168.1.10', 'fe80::211:32ff:fe8d:4b01', '00:11:32:8d:4b:01'),
            'win': ('192.168.1.60', 'fe80::c4f1:22a0:6d2b:9e11', 'a4:bb:6d:18:f0:2c')}

    def mdns(t, src, m, v6=False, dev=None, dst=None):
        s = devs[dev][1 if v6 else 0] if dev else (me6 if v6 else me)
        d = dst or ('ff02::fb' if v6 else '224.0.0.251')
        l3 = ip(s, d, 17, udp(s, d, 5353, 5353, m), ttl=255, ipid=0 if v6 else rng.getrandbits(16), df=False)
        kw = {'dst': MC6 if v6 else MCM} if (dst is None) else {}
        if dev:
            kw['src'] = devs[dev][2]
        cap.emit(t, l3, dev is None, **kw)

    CF = 0x8001
    for rep in range(3):
        t = T0 + 5 + rep * 31
        q = dns_msg(0, 0, [('_googlecast._tcp.local', 'PTR', 0x8001 if rep == 0 else 1)])
        mdns(t, None, q)
        mdns(t + 0.00002, None, q, v6=True)
        cc = 'Chromecast-Ultra-7f3a1c5e0b8d4e2f9a61c0d3b5e7f812'
        hub = 'Google-Nest-Hub-1c4e9b27d8a35f6e0c1b2a3d4e5f6a7b'
        a1 = dns_msg(0, 0x8400, [], an=[('_googlecast._tcp.local', 'PTR', 1, 120, cc + '._googlecast._tcp.local')],
                     ar=[(cc + '._googlecast._tcp.local', 'TXT', CF, 4500, ['id=7f3a1c5e0b8d4e2f9a61c0d3b5e7f812', 'cd=0A1B2C3D4E5F', 'rm=', 've=05', 'md=Chromecast Ultra', 'ic=/setup/icon.png', 'fn=Living Room TV', 'ca=201221', 'st=0', 'bs=FA8FCA7A2B9C', 'nf=1', 'rs=']),
                         (cc + '._googlecast._tcp.local', 'SRV', CF, 120, (0, 0, 8009, '7f3a1c5e-0b8d-4e2f-9a61-c0d3b5e7f812.local')),
                         ('7f3a1c5e-0b8d-4e2f-9a61-c0d3b5e7f812.local', 'A', CF, 120, devs['cc'][0])])
        a2 = dns_msg(0, 0x8400, [], an=[('_googlecast._tcp.local', 'PTR', 1, 120, hub + '._googlecast._tcp.local')],
                     ar=[(hub + '._googlecast._tcp.local', 'TXT', CF, 4500, ['id=1c4e9b27d8a35f6e0c1b2a3d4e5f6a7b', 'cd=9F8E7D6C5B4A', 'rm=', 've=05', 'md=Google Nest Hub', 'ic=/setup/icon.png', 'fn=Kitchen display', 'ca=243205', 'st=0', 'bs=FA8FCA93DE11', 'nf=1', 'rs=']),
                         (hub + '._googlecast._tcp.local', 'SRV', CF, 120, (0, 0, 8009, '1c4e9b27-d8a3-5f6e-0c1b-2a3d4e5f6a7b.local')),
                         ('1c4e9b27-d8a3-5f6e-0c1b-2a3d4e5f6a7b.local', 'A', CF, 120, devs['hub'][0])])
        mdns(t + 0.0041 + rng.random() * 0.002, None, a1, dev='cc')
        mdns(t + 0.0113 + rng.random() * 0.004, None, a2, dev='hub')
        mdns(t + 0.0047 + rng.random() * 0.002, None, a1, v6=True, dev='cc')
        mdns(t + 0.0129 + rng.random() * 0.004, None, a2, v6=True, dev='hub')
    # printer lookup: A for the .local name, answered by the printer (and its IPv6 twin)
    t = T0 + 22.4
    pn = 'HP-LaserJet-M15w.local'
    mdns(t, None, dns_msg(0, 0, [(pn, 'A', 0x8001), (pn, 'AAAA', 0x8001)]))
    r = dns_msg(0, 0x8400, [], an=[(pn, 'A', CF, 120, devs['prn'][0]), (pn, 'AAAA', CF, 120, devs['prn'][1])])
    mdns(t + 0.0071, None, r, dev='prn', dst=me)
    # unsolicited announcements from the Sonos speaker (no query)
    sn = 'Sonos-58A8E8917E20'
    ann = dns_msg(0, 0x8400, [], an=[('_sonos._tcp.local', 'PTR', 1, 4500, sn + '._sonos._tcp.local'),
                                     (sn + '._sonos._tcp.local', 'SRV', CF, 120, (0, 0, 1443, sn + '.local')),
                                     (sn + '._sonos._tcp.local', 'TXT', CF, 4500, ['info=/api/v1/players/RINCON_58A8E8917E2001400/info', 'vers=3', 'protovers=1.24.1']),
                                     (sn + '.local', 'A', CF, 120, devs['sonos'][0])])
    for k in range(3):
        mdns(T0 + 40 + k * (1 << k), None, ann, dev='sonos')
    # LLMNR: systemd-resolved asks for the single-label name "nas"; the NAS answers unicast
    t = T0 + 61.0
    lq = dns_msg(0x6f2a, 0x0000, [('nas', 'A')])
    cap.emit(t, ipv4(me, '224.0.0.252', 17, udp(me, '224.0.0.252', 50214, 5355, lq), ttl=1,
                     ipid=rng.getrandbits(16), df=False), True, dst='01:00:5e:00:00:fc')
    lr = dns_msg(0x6f2a, 0x8000, [('nas', 'A')], an=[('nas', 'A', 1, 30, devs['nas'][0])])
    cap.emit(t + 0.0016, ipv4(devs['nas'][0], me, 17, udp(devs['nas'][0], me, 5355, 50214, lr), ttl=64,
                              ipid=rng.getrandbits(16), df=True), False, src=devs['nas'][2])
    # NAS web UI
    f = Tcp(cap, me, devs['nas'][0], ports.get(), 5000, rng, rtt=0.0006, s_ttl=64, linkkw_s={'src': devs['nas'][2], 'dst': MY},
            linkkw_c={'dst': devs['nas'][2]})
    tt = f.handshake(t + 0.0019)
    tt = f.send(tt + 0.0001, 'c', http_req('GET', '/', 'nas:5000', [('User-Agent', 'curl/7.88.1'), ('Accept', '*/*')]))
    body = b'<!DOCTYPE html><html><head><title>NAS - Synology DiskStation</title></head><body></body></html>\n'
    tt = f.download(tt + 0.0011, http_resp(200, 'OK', [('Server', 'nginx'), ('Content-Type', 'text/html; charset="UTF-8"'),
                                                      ('Content-Length', str(len(body))), ('Connection', 'keep-alive')], body))
    f.close(tt + 0.0003, 'c')
    # a Windows PC asks for "wpad" via LLMNR; nobody answers (seen as multicast)
    for k in range(2):
        wq = dns_msg(0xb1c4, 0, [('wpad', 'A')])
        cap.emit(T0 + 75 + k * 0.1, ipv4(devs['win'][0], '224.0.0.252', 17, udp(devs['win'][0], '224.0.0.252', 61532, 5355, wq),
                                         ttl=1, ipid=rng.getrandbits(16), df=False), False,
                 src=devs['win'][2], dst='01:00:5e:00:00:fc')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'One DNS-format query answered by several responses with different RDATA (txid 0), unsolicited '
           'responses with no query, IP TTL 255 answers next to TTL 64 ones, private addresses for names',
           'This is multicast DNS / LLMNR on the LAN: every device offering _googlecast answers the same query with '
           'its own records (that is the protocol), announcements are unsolicited by design, mDNS mandates IP TTL '
           '255, and .local / single-label names resolve to LAN addresses. None of it is a unicast DNS answer to '
           'the recursive resolver 192.168.1.1, which behaves normally.',
           'pcapng, Ethernet; 192.168.1.77 (Raspberry Pi) with ~28 ordinary flows; mDNS v4+v6 (224.0.0.251, '
           'ff02::fb) from Chromecast/Nest Hub/printer/Sonos; LLMNR nas -> 192.168.1.10 + HTTP to its web UI; unanswered wpad LLMNR.')


def case13():
    """Split-tunnel OpenVPN: resolv.conf lists the corporate DNS (10.8.0.1, via tun0) first and the home router
    second. The corporate server is authoritative-only for the company's internal view: REFUSED (RA=0) for every
    outside name, so glibc re-sends the same query to the router, which answers. Internal names get RFC1918
    answers that work over the tunnel."""
    fname = 'c13.pcapng'
    rng = random.Random(3113)
    T0 = 1718110800.0 + 40.6
    MY, GW = '54:05:db:21:9e:40', 'e4:8d:8c:2a:50:11'
    VPN = '20.113.47.190'
    me, tun_ip, router, corp_dns = '192.168.1.64', '10.8.0.6', '192.168.1.1', '10.8.0.1'
    vsport = 47301
    pkt_id = [0x1b3e]

    class VpnCap(Cap):
        def emit(self, t, l3, out, iface=0, ts=None, order=None, **kw):
            if iface == 1:
                n = len(l3) + 8 + 16
                pkt_id[0] += 1
                payload = b'\x48\x00\x00\x03' + struct.pack('!I', pkt_id[0]) + rng.randbytes(n - 8)
                if out:
                    outer = ipv4(me, VPN, 17, udp(me, VPN, vsport, 1194, payload), ttl=64, ipid=rng.getrandbits(16))
                    Cap.emit(self, t + 0.000031, outer, True, iface=0)
                else:
                    outer = ipv4(VPN, me, 17, udp(VPN, me, 1194, vsport, payload), ttl=51, ipid=rng.getrandbits(16))
                    Cap.emit(self, t - 0.000042, outer, False, iface=0)
            return Cap.emit(self, t, l3, out, iface=iface, ts=ts, order=order, **kw)

    cap = VpnCap([dict(link=Eth(MY, GW), name='wlan0', tsres=6, snaplen=262144),
                  dict(link=Raw(), name='tun0', tsres=6, snaplen=262144)], fmt='pcapng',
                 shb=dict(os='Linux 6.9.3-arch1-1', hardware='AMD Ryzen 7 PRO 6850U with Radeon Graphics (with SSE4.2)',
                          userappl='Dumpcap (Wireshark) 4.2.5 (Git v4.2.5 packaged as 4.2.5-1)'))
    ports = Ports(rng)
    INTERNAL = {'git.corp.northwind-traders.com': '10.20.4.15', 'wiki.corp.northwind-traders.com': '10.20.4.21',
                'jira.corp.northwind-traders.com': '10.20.4.30'}

    def refused(t, dom, txa, txq):
        sp = ports.get()
        for k, (tid, qt) in enumerate(((txa, 'A'), (txq, 'AAAA'))):
            q = dns_msg(tid, 0x0100, [(dom, qt)], ar=[opt_rr(1232)])
            cap.emit(t + k * 0.00004, ipv4(tun_ip, corp_dns, 17, udp(tun_ip, corp_dns, sp, 53, q), ttl=64,
                                           ipid=rng.getrandbits(16)), True, iface=1)
            r = dns_msg(tid, 0x8105, [(dom, qt)], ar=[opt_rr(1232, opts=b'')])   # QR RD, RA=0, REFUSED
            cap.emit(t + 0.0231 + k * 0.0001, ipv4(corp_dns, tun_ip, 17, udp(corp_dns, tun_ip, 53, sp, r), ttl=63,
                                                   ipid=0), False, iface=1)
        return t + 0.0234

    bg = BG(cap, rng, ports, me, router, dns_rtt=0.0027, r_ttl=64, style='firefox')
    bg.pre_resolve = refused
    bg.many(T0, T0 + 100, 30, http=2, ntp=0)
    for k, s in enumerate(['www.dw.com', 'www.bbc.co.uk', 'example.com']):
        site = {'www.dw.com': ('www.dw.com', '23.58.53.8', None, 55, None, 0.012, 'www.dw.com.edgekey.net'),
                'example.com': ('example.com', '93.184.215.14', None, 54, None, 0.091, None)}.get(s) or SITE[s]
        SITE[s] = site
        bg.https(T0 + 12 + k * 21.7, s, close='c')
    # internal names: authoritative answers over the tunnel, then HTTPS over the tunnel
    for k, (name, addr) in enumerate(INTERNAL.items()):
        t = T0 + 8 + k * 27.1
        sp = ports.get()
        for j, qt in enumerate(('A', 'AAAA')):
            tid = rng.getrandbits(16)
            cap.emit(t + j * 0.00004, ipv4(tun_ip, corp_dns, 17, udp(tun_ip, corp_dns, sp, 53,
                     dns_msg(tid, 0x0100, [(name, qt)], ar=[opt_rr(1232)])), ttl=64, ipid=rng.getrandbits(16)), True, iface=1)
            an = [(name, 'A', 1, 3600, addr)] if qt == 'A' else []
            ns = [] if qt == 'A' else [('corp.northwind-traders.com', 'SOA', 1, 3600,
                                         ('ad-dc01.corp.northwind-traders.com', 'hostmaster.corp.northwind-traders.com',
                                          5213, 900, 600, 86400, 3600))]
            cap.emit(t + 0.0229 + j * 0.0001, ipv4(corp_dns, tun_ip, 17, udp(corp_dns, tun_ip, 53, sp,
                     dns_msg(tid, 0x8500, [(name, qt)], an=an, ns=ns, ar=[opt_rr(1232)])), ttl=63, ipid=0), False, iface=1)
        f = Tcp(cap, tun_ip, addr, ports.get(), 443, rng, rtt=0.0238, s_ttl=62, iface=1, c_mss=1358, s_mss=1358)
        tls13_session(f, t + 0.0235, name, rng, exchanges=[(600, 42000), (450, 8000)], style='firefox', close='c')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'DNS REFUSED (rcode 5) for public names incl. www.dw.com and www.bbc.co.uk, followed by a NOERROR '
           'answer with the same transaction ID from another server; RFC1918 answers for '
           '*.corp.northwind-traders.com',
           'Two resolvers: the VPN-pushed corporate DNS (10.8.0.1 on tun0) is authoritative-only for the internal '
           'view -- AA set for its own zone, RA=0 and REFUSED for *every* outside name, including example.com and '
           'all ordinary browsing -- so glibc falls through to the home router with the identical query. The '
           'private answers are the company\'s split-horizon zone, served authoritatively and reachable over the '
           'tunnel (HTTPS to 10.20.4.x works).',
           'pcapng, 2 IDBs: wlan0 (Ethernet, incl. OpenVPN UDP/1194 to 20.113.47.190) and tun0 (raw IP); '
           '192.168.1.64 / 10.8.0.6; ~35 flows; REFUSED+fallback for every public lookup.')


def case14():
    """Kubernetes node uplink (802.1Q tagged): SNAT reuses a source port towards the same registry while the
    server still holds the previous connection in TIME_WAIT. PAWS rejects the new SYN, the server answers with the
    TIME_WAIT ACK (old seq/ack), the pod's stack answers with RST, and the SYN retransmitted 1 s later succeeds."""
    fname = 'c14.pcap'
    rng = random.Random(3114)
    T0 = 1722500000.0 + 7.77
    MY, GW = '0c:c4:7a:91:2e:58', '00:00:5e:00:01:78'
    cap = Cap([dict(link=Eth(MY, GW, vlan=120), name='bond0', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    node, resolver = '10.31.8.14', '10.31.0.2'
    sites = [('registry.npmjs.org', '104.16.27.34', None, 57, None, 0.0041, None),
             ('proxy.golang.org', '142.251.36.17', None, 118, None, 0.0038, None),
             ('pypi.org', '151.101.0.223', None, 57, None, 0.0036, None),
             ('files.pythonhosted.org', '151.101.0.223', None, 57, None, 0.0036, 'dualstack.python.map.fastly.net'),
             ('registry-1.docker.io', '54.227.20.253', None, 232, None, 0.0047, None),
             ('production.cloudflare.docker.com', '104.16.101.215', None, 57, None, 0.0040, None),
             ('github.com', '140.82.121.4', None, 52, None, 0.0061, None),
             ('objects.githubusercontent.com', '185.199.108.133', None, 57, None, 0.0035, None)]
    for s in sites:
        SITE.setdefault(s[0], s)
    # pods are one routed hop behind the node: their packets leave with TTL 63
    bg = BG(cap, rng, ports, node, resolver, dns_rtt=0.0011, r_ttl=64, style='curl', sites=sites,
            tcpkw=dict(c_ttl=63))
    bg.many(T0, T0 + 110, 40, http=0, ntp=1)
    npm = sites[0]
    for k in range(3):
        t0 = T0 + 15 + k * 31.3
        port = 40211 + k * 977
        t = bg.resolve(t0, npm) + 0.0002
        f1 = Tcp(cap, node, npm[1], port, 443, rng, rtt=npm[5], s_ttl=57, c_ttl=63)
        # server closes first (HTTP/1.1 Connection: close) -> server holds TIME_WAIT
        t = tls13_session(f1, t, npm[0], rng, exchanges=[(380, rng.choice([48000, 220000, 9000]))], style='curl',
                          alpn=(b'http/1.1',), close='s')
        # a different pod, SNATed to the same source port 1.8-3.1 s later
        t2 = t + 1.8 + rng.random() * 1.3
        f2 = Tcp(cap, node, npm[1], port, 443, rng, rtt=npm[5], s_ttl=57, c_ttl=63,
                 c_tsoff=(f1.c_tsoff - 0x3a000000) & 0xffffffff)
        f2.syn(t2)
        # TIME_WAIT ACK: old connection's snd_nxt / rcv_nxt, TS echo of the old ts_recent
        f2.pkt(t2 + f2.rtt, 's', 'A', seq=f1.sn, ack=f1.s_rcv, win=f1.s_win, ipid=0,
               opts=[('NOP',), ('NOP',), ('TS', f1._tsv('s', t2 + f2.rtt / 2), f1.c_last_ts)], advance=False)
        f2.pkt(t2 + f2.rtt + 0.000021, 'c', 'R', seq=f1.s_rcv, win=0, ipid=0)
        f2.pkt(t2 + 1.0, 'c', 'S', seq=f2.c_isn, win=64240, opts=f2.syn_opts(t2 + 1.0), advance=False)
        f2.s_rcv = (f2.c_isn + 1) & 0xffffffff
        f2.synack(t2 + 1.0 + f2.rtt)
        f2.pkt(t2 + 1.0 + f2.rtt + 0.00003, 'c', 'A')
        tt = t2 + 1.0 + f2.rtt + 0.00003
        ch, p = client_hello(rng, npm[0], style='curl', alpn=(b'http/1.1',))
        tt = f2.send(tt + 0.0001, 'c', ch)
        tt = f2.download(tt + f2.rtt + 0.0005, server_flight13(rng, p['sessid']), bw=1e9)
        tt = f2.send(tt + 0.0002, 'c', CCS + appdata(rng, 53) + appdata(rng, 390))
        tt = f2.download(tt + f2.rtt + 0.006, appdata(rng, 240) + appdata_stream(rng, rng.choice([31000, 140000])), bw=1e9)
        f2.pkt(tt + 0.001, 's', 'PA', appdata(rng, 19))
        f2.close(tt + 0.00101, 's')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'A SYN to registry.npmjs.org answered not by a SYN/ACK but by a bare ACK with unrelated seq/ack, '
           'then an RST on the flow and a 1 s stall before a retried SYN works (three times in the capture)',
           'The 4-tuple was used 2-3 s earlier by a connection that the server closed first, so the server is in '
           'TIME_WAIT; PAWS rejects the new SYN (older TSval) and Linux answers with the TIME_WAIT ACK, whose seq, '
           'ack and TSecr are exactly the end state of that previous connection (same TTL 57, IP ID 0 like the '
           'server\'s SYN/ACKs). The RST is sent by the pod\'s own stack (TTL 63 like all pod traffic, seq = the '
           'ACK\'s ack) and kills the TIME_WAIT; the standard 1 s SYN retransmission then succeeds with the same '
           'SNI. Classic SNAT port-reuse artifact.',
           'Ethernet + 802.1Q VLAN 120 pcap on a k8s node (10.31.8.14, pod traffic TTL 63); ~45 TLS flows to '
           'package registries; three port-reuse episodes to 104.16.27.34:443.')


def case15():
    """TCP Fast Open (net.ipv4.tcp_fastopen=1, curl --tcp-fastopen): cookie request, ClientHello carried in the SYN
    and answered before the handshake completes, a stale cookie whose SYN data is not acknowledged (ClientHello
    re-sent after the handshake), and a server without TFO."""
    fname = 'c15.pcap'
    rng = random.Random(3115)
    T0 = 1718611200.0 + 305.2
    MY, GW = '18:c0:4d:8e:22:f7', '80:2a:a8:4c:9e:12'
    cap = Cap([dict(link=Eth(MY, GW), name='enp6s0', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    client, client6, resolver = '192.168.10.15', '2001:db8:0:0:1ac0:4dff:fe8e:22f7'.replace('2001:db8:0:0', '2a01:c23:7c44:d00'), '192.168.10.1'
    bg = BG(cap, rng, ports, client, resolver, client6=client6, dns_rtt=0.0043, r_ttl=64, style='curl')
    bg.many(T0, T0 + 110, 22, http=2, ntp=1)

    def tfo_session(t, dom, s_ip, s_ttl, rtt, mode, cookie=None, new_cookie=None):
        f = Tcp(cap, client6 if is6(s_ip) else client, s_ip, ports.get(), 443, rng, rtt=rtt, s_ttl=s_ttl)
        ch, p = client_hello(rng, dom, style='curl', alpn=(b'h2', b'http/1.1'))
        if mode == 'request':          # first contact: ask for a cookie
            f.syn(t, tfo=b'')
            f.synack(t + rtt, tfo=new_cookie)
            t = f.pkt(t + rtt + 0.00004, 'c', 'A') and t + rtt + 0.00004
            t = f.send(t + 0.0001, 'c', ch)
            t = f.download(t + rtt + 0.0006, server_flight13(rng, p['sessid']))
        elif mode == 'data':           # cookie accepted: ClientHello rides in the SYN
            f.syn(t, data=ch, tfo=cookie)
            f.synack(t + rtt)
            t = f.download(t + rtt + 0.00025, server_flight13(rng, p['sessid']))
        elif mode == 'stale':          # cookie rejected: only the SYN is acknowledged, data re-sent
            f.syn(t, data=ch, tfo=cookie)
            f.synack(t + rtt, ack=(f.c_isn + 1) & 0xffffffff, tfo=new_cookie)
            f.s_rcv = (f.c_isn + 1) & 0xffffffff
            f.pkt(t + rtt + 0.00004, 'c', 'A', seq=(f.c_isn + 1) & 0xffffffff)
            f.pkt(t + rtt + 0.00005, 'c', 'PA', ch, seq=(f.c_isn + 1) & 0xffffffff)
            f.s_rcv = f.cn
            t = f.download(t + 2 * rtt + 0.0006, server_flight13(rng, p['sessid']))
        else:                          # server without TFO
            f.syn(t, tfo=b'')
            f.synack(t + rtt)
            t = f.pkt(t + rtt + 0.00004, 'c', 'A') and t + rtt + 0.00004
            t = f.send(t + 0.0001, 'c', ch)
            t = f.download(t + rtt + 0.0006, server_flight13(rng, p['sessid']))
        t = f.send(t + 0.0003, 'c', CCS + appdata(rng, 53) + appdata(rng, rng.randint(90, 140)))
        t = f.download(t + rtt + 0.004, b''.join(appdata(rng, 250) for _ in range(2)) + appdata_stream(rng, rng.choice([9000, 35000, 120000])))
        t = f.send(t + 0.001, 'c', appdata(rng, 19))
        return f.close(t + 0.00002, 'c')

    g6 = SITE['www.google.com']
    ck = rng.randbytes(8)
    bg.resolve(T0 + 5.0, g6)
    tfo_session(T0 + 5.02, 'www.google.com', g6[2], 117, 0.0118, 'request', new_cookie=ck)
    for k in range(3):
        tfo_session(T0 + 24 + k * 19.3, 'www.google.com', g6[2], 117, 0.0117 + k * 0.0002, 'data', cookie=ck)
    cf = SITE['www.cloudflare.com']
    bg.resolve(T0 + 38.0, cf)
    tfo_session(T0 + 38.02, 'www.cloudflare.com', cf[2], 57, 0.0109, 'stale', cookie=rng.randbytes(8),
                new_cookie=rng.randbytes(8))
    gh = SITE['github.com']
    bg.resolve(T0 + 61.0, gh)
    tfo_session(T0 + 61.02, 'github.com', gh[1], 52, 0.0281, 'none')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'ClientHellos carried inside SYN segments (server data arriving before the client\'s handshake '
           'ACK), and one connection where the SYN\'s ClientHello is not acknowledged and is sent again after the '
           'handshake (looks like a dropped first ClientHello)',
           'TCP Fast Open: the SYNs carry the TFO option (kind 34) with a cookie obtained in an earlier SYN/ACK; '
           'the server acknowledges the SYN payload (ack = ISN+1+len) and answers at once. At www.cloudflare.com '
           'the cookie is stale, so the SYN/ACK acknowledges only the SYN and hands out a new cookie; the client '
           're-sends the same ClientHello bytes and the handshake completes. github.com simply ignores TFO.',
           'Ethernet pcap; 192.168.10.15 / 2a01:c23:7c44:d00:1ac0:4dff:fe8e:22f7, curl-style clients, ~28 flows; '
           'TFO to www.google.com over IPv6 (cookie request + 3 data SYNs), stale cookie at 2606:4700::6810:7c60, '
           'no-TFO github.com.')


def case16():
    """A ticket sale opens: the server is in SYN-cookie mode and runs with tcp_abort_on_overflow=1. Some
    connections get a cookie SYN/ACK, then an RST right after the client's ACK+ClientHello because the accept
    queue is full. Parallel connections with the same SNI succeed, and Chrome's retries succeed 0.3-0.9 s later."""
    fname = 'c16.pcap'
    rng = random.Random(3116)
    T0 = 1721901600.0 - 29.5
    MY, GW = 'bc:24:11:5a:08:9d', 'd8:58:d7:00:4f:2b'
    cap = Cap([dict(link=Eth(MY, GW), name='eth0', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    client, resolver = '192.168.2.31', '192.168.2.1'
    bg = BG(cap, rng, ports, client, resolver, dns_rtt=0.0057, r_ttl=64, style='chrome')
    bg.many(T0, T0 + 90, 24, http=2, ntp=1)
    sip, rtt, sttl = '85.13.155.20', 0.0192, 52
    www = ('www.ticketsale-nord.de', sip, None, sttl, None, rtt, None)
    st = ('static.ticketsale-nord.de', sip, None, sttl, None, rtt, None)
    SITE[www[0]], SITE[st[0]] = www, st
    # before the sale: the countdown page loads normally
    bg.https(T0 + 4.0, www[0], exchanges=[(620, 38000), (540, 12000)])
    bg.https(T0 + 4.2, st[0], exchanges=[(480, 90000)])
    for k in range(6):
        bg.https(T0 + 8 + k * 3.3, www[0], exchanges=[(560, 2400)], close='c')   # polling the countdown API
    # T0+30: sale opens, browser fires 8 connections
    TS = T0 + 30.0
    fails = {1, 2, 4, 6}
    for k in range(8):
        dom = www[0] if k < 6 else st[0]
        t = TS + k * 0.0012
        f = Tcp(cap, client, sip, ports.get(), 443, rng, rtt=rtt + rng.random() * 0.002, s_ttl=sttl)
        f.syn(t)
        # SYN cookie: ISN is the cookie; TS low 6 bits encode wscale 7 + SACK (0x17)
        tv = f._tsv('s', t + f.rtt)
        tvc = (tv & ~0x3f) | 0x17
        if tvc > tv:
            tvc -= 64
        f.pkt(t + f.rtt, 's', 'SA', win=65160, ipid=0,
              opts=[('MSS', 1460), ('SACKOK',), ('TS', tvc, f.c_last_ts), ('NOP',), ('WS', 7)])
        f.pkt(t + f.rtt + 0.00004, 'c', 'A')
        ch, p = client_hello(rng, dom, style='chrome')
        f.send(t + f.rtt + 0.0001, 'c', ch)
        if k in fails:
            f.pkt(t + 2 * f.rtt + 0.00004, 's', 'R', seq=(f.s_isn + 1) & 0xffffffff, win=0, ipid=0)
            f.pkt(t + 2 * f.rtt + 0.00013, 's', 'R', seq=(f.s_isn + 1) & 0xffffffff, win=0, ipid=0)
            # Chrome retries the request on a new connection
            bg.https(t + 0.31 + rng.random() * 0.6, dom, exchanges=[(610, 14000), (520, 3000)])
        else:
            tt = f.download(t + 2 * f.rtt + 0.003, server_flight13(rng, p['sessid']))
            tt = f.send(tt + 0.0003, 'c', CCS + appdata(rng, 53) + appdata(rng, 580))
            tt = f.download(tt + f.rtt + 0.04, b''.join(appdata(rng, 250) for _ in range(2)) + appdata_stream(rng, 21000))
    bg.https(TS + 3.0, www[0], exchanges=[(700, 5400), (650, 8800), (640, 2100)])
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'RSTs right after ClientHellos for www.ticketsale-nord.de / static.ticketsale-nord.de (two RSTs per '
           'connection, identical seq, one RTT after the ClientHello), with SYN/ACKs whose TSval pattern differs '
           'from the server\'s earlier SYN/ACKs',
           'Server overload at the sale start: SYN-cookie SYN/ACKs (TSval low bits 0x17 encode the options) and '
           'tcp_abort_on_overflow=1 make the server stack reset the client\'s handshake ACK and then its '
           'ClientHello (R only, seq = server ISN+1 = the ACK field, win 0, IP ID 0, DF, TTL 52 exactly like the '
           'server\'s SYN/ACKs). In the same 10 ms other connections with the same SNI to the same IP complete, '
           'and each reset connection is retried and succeeds within a second -- no residual blocking, not '
           'SNI-specific (both hostnames hit).',
           'Ethernet pcap; 192.168.2.31, ~36 flows; 85.13.155.20:443 normal before; at 30 s 8 parallel connections, '
           '4 reset (2 RSTs each), 4 ok; retries ok.')


def case17():
    """Video player with a full buffer: after a fast initial fill the client keeps its receive window closed
    (zero-window ACKs, server zero-window probes) and opens it every ~2.5 s for ~256 KB, so the googlevideo flow's
    average rate is low while its bursts run at line rate. A parallel audio flow to the same server is fast."""
    fname = 'c17.pcap'
    rng = random.Random(3117)
    T0 = 1719648000.0 + 47.125
    MY, GW = '98:fa:9b:33:0c:71', '44:d4:54:91:aa:02'
    cap = Cap([dict(link=Eth(MY, GW), name='eth0', tsres=9, snaplen=262144)])
    ports = Ports(rng)
    client, resolver = '192.168.88.23', '192.168.88.1'
    bg = BG(cap, rng, ports, client, resolver, dns_rtt=0.0031, r_ttl=64, style='chrome')
    bg.many(T0, T0 + 75, 20, http=1, ntp=1)
    yt = ('www.youtube.com', '142.250.186.78', None, 117, None, 0.0119, 'youtube-ui.l.google.com')
    SITE[yt[0]] = yt
    bg.https(T0 + 1.0, yt[0], exchanges=[(700, 150000), (650, 420000), (600, 60000)])
    gv = ('rr3---sn-4g5lznek.googlevideo.com', '172.217.132.72', None, 119, None, 0.0087, None)
    SITE[gv[0]] = gv
    t = bg.resolve(T0 + 2.2, gv) + 0.0003
    v = Tcp(cap, client, gv[1], ports.get(), 443, rng, rtt=gv[5], s_ttl=gv[3], s_ws=8)
    t = tls13_session(v, t, gv[0], rng, exchanges=[(820, 0)])
    # initial buffer fill: 3.6 MB fast
    t = v.download(t + 0.004, appdata_stream(rng, 3_600_000), bw=120e6)
    # audio track on a second connection to the same server: 1.9 MB fast
    a = Tcp(cap, client, gv[1], ports.get(), 443, rng, rtt=gv[5], s_ttl=gv[3], s_ws=8)
    ta = tls13_session(a, t - 0.6, gv[0], rng, exchanges=[(790, 1_900_000)], bw=120e6)
    # steady state: window closes, probes, window opens in bursts
    seg = v.seg_size('s')
    ser = (seg + 66) * 8 / 120e6
    tt = t + 0.02
    for cyc in range(14):
        # the client ACKs with a shrinking window, finally 0
        v.pkt(tt, 'c', 'A', win=0)
        # server zero-window probes with backoff while the player drains its buffer
        pr, tp = 0.2, tt
        while tp + pr < tt + 2.4:
            tp += pr
            pr *= 2
            v.pkt(tp, 's', 'A', seq=(v.sn - 1) & 0xffffffff, advance=False)
            v.pkt(tp + 0.000016, 'c', 'A', win=0)
        # window update -> burst of ~256 KB at line rate
        to = tt + 2.4 + rng.random() * 0.3
        burst = appdata_stream(rng, 262_000 + rng.randint(-20000, 20000))
        W = len(burst) // 128 + 64
        v.pkt(to, 'c', 'A', win=W)
        chunks = [burst[i:i + seg] for i in range(0, len(burst), seg)]
        tb = to + v.rtt / 2 + 0.0002
        for j, chn in enumerate(chunks):
            v.pkt(tb + j * ser, 's', 'PA' if j == len(chunks) - 1 else 'A', chn)
            if j % 2 == 1:
                w = max(0, W - int((j + 1) * seg / 128))
                v.pkt(tb + j * ser + 0.000012, 'c', 'A', win=w)
        tt = tb + len(chunks) * ser + 0.0003
        # every other cycle the player asks for the next segment (new request record)
        if cyc % 2 == 1:
            v.pkt(tt, 'c', 'PA', appdata(rng, 790), win=0)
            tt += 0.0001
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'A *.googlevideo.com flow that averages ~1.7 Mbit/s over 36 s (~0.9 Mbit/s after its first second) '
           'while a parallel flow to the same server with the same SNI moves 2 MB at ~85 Mbit/s (throttling '
           'look-alike, cf. THR-02)',
           'The rate is set by the client: after the initial buffer fill the player stops reading, the client '
           'advertises a zero window, the server sends zero-window probes, and each window update is followed by a '
           '~256 KB burst at line rate. No loss, no retransmissions, no policing pattern; throughput is '
           'receiver-limited, not held down on the path.',
           'Ethernet pcap with nanosecond timestamps; 192.168.88.23, ~24 flows; two TLS flows to 172.217.132.72 '
           '(rr3---sn-4g5lznek.googlevideo.com): video 3.6 MB fast then 14 zero-window cycles, audio 1.9 MB fast.')


def case18():
    """TLS 1.3 handshake variants: HelloRetryRequest (server only does P-256), real ECH to Cloudflare after a DNS
    HTTPS lookup, ECH GREASE on every Chrome hello, and a 0-RTT resumption whose early data is rejected and re-sent."""
    fname = 'c18.pcapng'
    rng = random.Random(3118)
    T0 = 1723456800.0 + 19.0
    MY, GW = 'f8:75:a4:0b:6e:3c', '74:ac:b9:21:c0:0a'
    cap = Cap([dict(link=Eth(MY, GW), name='enp0s13f0u1', tsres=6, snaplen=262144)], fmt='pcapng',
              shb=dict(os='Linux 6.10.3-200.fc40.x86_64', hardware='Intel(R) Core(TM) Ultra 7 155H',
                       userappl='Dumpcap (Wireshark) 4.2.6 (Git v4.2.6 packaged as 4.2.6-1.fc40)'))
    ports = Ports(rng)
    client, resolver = '192.168.1.140', '192.168.1.1'
    bg = BG(cap, rng, ports, client, resolver, dns_rtt=0.0049, r_ttl=64, style='chrome')
    bg.many(T0, T0 + 100, 26, http=1, ntp=1)
    # (a) HelloRetryRequest
    lg = ('secure.login.gov', '52.20.146.90', None, 228, None, 0.0951, None)
    SITE[lg[0]] = lg
    for k in range(2):
        t = bg.resolve(T0 + 10 + k * 40, lg) + 0.0003
        f = Tcp(cap, client, lg[1], ports.get(), 443, rng, rtt=lg[5], s_ttl=lg[3])
        t = f.handshake(t)
        gr = rng.sample(GREASE, 3)
        ch1, p = client_hello(rng, lg[0], style='chrome', grease=gr)
        t = f.send(t + 0.0002, 'c', ch1)
        cookie = rng.randbytes(96)
        t = f.download(t + f.rtt + 0.0009, server_hello13(rng, p['sessid'], group=0x0017, hrr=True, cookie=cookie) + CCS)
        ch2, _ = client_hello(rng, lg[0], style='chrome', grease=gr, rnd=p['rnd'], sessid=p['sessid'], cookie=cookie,
                              key_shares=[(gr[1], b'\0'), (0x0017, b'\x04' + rng.randbytes(64))])
        t = f.send(t + 0.0004, 'c', CCS + ch2)
        srv = server_hello13(rng, p['sessid'], group=0x0017) + appdata(rng, 30) + appdata(rng, 4890) + appdata(rng, 281) + appdata(rng, 53)
        t = f.download(t + f.rtt + 0.0011, srv)
        t = f.send(t + 0.0003, 'c', appdata(rng, 53) + appdata(rng, 610))
        t = f.download(t + f.rtt + 0.021, appdata(rng, 250) + appdata(rng, 250) + appdata_stream(rng, 46000))
        if k == 1:
            f.close(t + 2.0, 'c')
    # (b) ECH: HTTPS RR lookup, then outer SNI cloudflare-ech.com with a real ECH extension
    cid = 0x9c
    echcfg = struct.pack('!H', 0xfe0d)
    contents = bytes([cid]) + struct.pack('!H', 0x0020) + v16(rng.randbytes(32)) + v16(struct.pack('!HH', 1, 1)) + \
        b'\x00' + v8(b'cloudflare-ech.com') + v16(b'')
    echcfg += v16(contents)
    echlist = v16(echcfg)
    params = struct.pack('!H', 1) + v16(v8(b'h3') + v8(b'h2'))
    params += struct.pack('!H', 4) + v16(ab('104.18.10.118') + ab('104.18.11.118'))
    params += struct.pack('!H', 5) + v16(echlist)
    params += struct.pack('!H', 6) + v16(ab('2606:4700::6812:a76') + ab('2606:4700::6812:b76'))
    rdata = struct.pack('!H', 1) + b'\x00' + params
    tq = T0 + 25.0
    sp = ports.get()
    dns_exchange(cap, tq, client, resolver, sp, 0x44e1, 'crypto.cloudflare.com', 65,
                 [('crypto.cloudflare.com', 65, 1, 300, rdata)], rtt=0.0061, edns=opt_rr(1232))
    dns_exchange(cap, tq + 0.00004, client, resolver, sp, 0x9b20, 'crypto.cloudflare.com', 'A',
                 [('crypto.cloudflare.com', 'A', 1, 300, '104.18.10.118'), ('crypto.cloudflare.com', 'A', 1, 300, '104.18.11.118')],
                 rtt=0.0058, edns=opt_rr(1232))
    dns_exchange(cap, tq + 0.00008, client, resolver, sp, 0x0f7d, 'crypto.cloudflare.com', 'AAAA',
                 [('crypto.cloudflare.com', 'AAAA', 1, 300, '2606:4700::6812:a76')], rtt=0.0063, edns=opt_rr(1232))
    f = Tcp(cap, client, '104.18.10.118', ports.get(), 443, rng, rtt=0.0104, s_ttl=57)
    ch = client_hello(rng, 'cloudflare-ech.com', style='chrome', ech_grease=False, ech_real=(cid, rng.randbytes(32), 240))
    tls13_session(f, tq + 0.0068, 'cloudflare-ech.com', rng, ch=ch, exchanges=[(540, 4100), (520, 1200)], close='c')
    # (c) 0-RTT: first a full handshake to the same site (tickets issued), later resumption with early data
    site = SITE['www.reuters.com']
    bg.https(T0 + 31.0, site[0], exchanges=[(600, 80000)], close='c')
    for k in range(2):
        t = T0 + 58.0 + k * 17
        f = Tcp(cap, client, site[1], ports.get(), 443, rng, rtt=site[5], s_ttl=site[3])
        t = f.handshake(t)
        ch, p = client_hello(rng, site[0], style='firefox', early_data=True, psk=(rng.randbytes(192), rng.getrandbits(32)))
        req = appdata(rng, 512)
        t = f.send(t + 0.0002, 'c', ch + CCS + req)
        srv = server_hello13(rng, p['sessid'], psk=True) + CCS + appdata(rng, 28) + appdata(rng, 53)
        t = f.download(t + f.rtt + 0.0007, srv)
        # early data rejected (no early_data in EncryptedExtensions): Finished, then the same request again
        t = f.send(t + 0.0003, 'c', appdata(rng, 53) + appdata(rng, 512))
        t = f.download(t + f.rtt + 0.015, appdata(rng, 250) + appdata_stream(rng, 64000))
        f.close(t + 1.5, 'c')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'Two ClientHellos on one connection after a ServerHello-typed HelloRetryRequest (no certificate after '
           'the first server reply); ClientHellos carrying an encrypted_client_hello extension (0xfe0d, real and '
           'GREASE); client application data sent before the server\'s first flight and then sent again',
           'Standard TLS 1.3: secure.login.gov only offers P-256, so it answers the X25519MLKEM768/X25519 key shares '
           'with a HelloRetryRequest (the special SHA-256("HelloRetryRequest") random) and the handshake then '
           'completes; ECH (0xfe0d) is not the 2020 ESNI extension (0xffce) and both the real ECH connection and '
           'every GREASE-ECH hello succeed; the early data belongs to a 0-RTT resumption the server declined, so '
           'the client re-sends the request after Finished and gets its response.',
           'pcapng, Ethernet; 192.168.1.140, ~32 flows; 2x HRR to 52.20.146.90, DNS HTTPS RR + ECH to 104.18.10.118, '
           '2x 0-RTT-rejected resumption to 104.18.36.65.')


def _tls12_chain(seed, leaf_cn, sans, inter_cn, inter_org, root_cn, client_cn=None):
    import datetime

    from cryptography.hazmat.primitives import serialization
    ik = det_rsa(seed)
    lk = det_rsa(seed + 1)
    nb = datetime.datetime(2024, 5, 2, 0, 0, 0)
    inter = make_cert(inter_cn, None, ik, ik, 0x2c0f3a9d1e7b, datetime.datetime(2024, 3, 13, 0, 0), datetime.datetime(2027, 3, 12, 23, 59, 59),
                      ca=True, org=inter_org, country='US')
    leaf = make_cert(leaf_cn, inter.subject, ik, lk, 0x04a1b2c3d4e5f6071829, nb, datetime.datetime(2024, 7, 31, 0, 0), sans=sans)
    out = dict(inter=inter.public_bytes(serialization.Encoding.DER), leaf=leaf.public_bytes(serialization.Encoding.DER),
               inter_name=inter.subject.public_bytes())
    if client_cn:
        ck = det_rsa(seed + 2)
        cc = make_cert(client_cn, inter.subject, ik, ck, 0x77e1, nb, datetime.datetime(2025, 5, 2, 0, 0))
        out['client'] = cc.public_bytes(serialization.Encoding.DER)
    return out


def case19():
    """Client-certificate and SNI alerts: an SSL-VPN portal (TLS 1.2) that requires a client certificate sends
    CertificateRequest, gets an empty Certificate, answers with a fatal handshake_failure alert and resets (unread
    data); the retry with a certificate works. A TLS 1.3 API closes right after the handshake (encrypted
    certificate_required alert). A shared host answers an SNI it no longer hosts with unrecognized_name (112)."""
    fname = 'c19.pcap'
    rng = random.Random(3119)
    T0 = 1715000000.0 + 3600 * 9 + 12.5
    MY, GW = '00:1e:06:45:1a:c2', 'cc:ce:1e:71:20:0f'
    cap = Cap([dict(link=Eth(MY, GW), name='eth0', tsres=6, snaplen=262144)])
    ports = Ports(rng)
    client, resolver = '172.16.40.23', '172.16.40.1'
    bg = BG(cap, rng, ports, client, resolver, dns_rtt=0.0036, r_ttl=64, style='firefox')
    bg.many(T0, T0 + 95, 26, http=2, ntp=1)
    vpn = ('vpn.northwind-traders.com', '20.79.104.33', None, 107, None, 0.0241, None)
    SITE[vpn[0]] = vpn
    pk = _tls12_chain(31, vpn[0], [vpn[0]], 'R11', "Let's Encrypt", 'ISRG Root X1', client_cn='j.doe@northwind-traders.com')
    # natural control: port 80 redirect
    t = bg.resolve(T0 + 14.0, vpn) + 0.0003
    h = Tcp(cap, client, vpn[1], ports.get(), 80, rng, rtt=vpn[5], s_ttl=vpn[3], s_synack_id0=False, s_ipid=0x4c10)
    tt = h.handshake(t)
    tt = h.send(tt + 0.0001, 'c', http_req('GET', '/', vpn[0], [('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'), ('Upgrade-Insecure-Requests', '1')]))
    tt = h.download(tt + h.rtt + 0.0008, http_resp(302, 'Found', [('Location', 'https://vpn.northwind-traders.com/remote/login'), ('Content-Length', '0'), ('Connection', 'close')]))
    h.close(tt + 0.0002, 's')

    def tls12(t, with_cert):
        f = Tcp(cap, client, vpn[1], ports.get(), 443, rng, rtt=vpn[5], s_ttl=vpn[3], s_synack_id0=False,
                s_ipid=rng.getrandbits(16))
        t = f.handshake(t)
        ch, p = client_hello(rng, vpn[0], style='firefox', alpn=(b'http/1.1',))
        t = f.send(t + 0.0002, 'c', ch)
        cert = hs(11, v24(v24(pk['leaf']) + v24(pk['inter'])))
        ske = hs(12, b'\x03\x00\x1d' + v8(rng.randbytes(32)) + struct.pack('!H', 0x0804) + v16(rng.randbytes(256)))
        creq = hs(13, v8(b'\x01\x40') + v16(b''.join(struct.pack('!H', x) for x in (0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503))) +
                  v16(v16(pk['inter_name'])))
        flight = rec(0x16, server_hello12(rng, p['sessid']) + cert + ske + creq + hs(14, b''))
        t = f.download(t + f.rtt + 0.0015, flight)
        if not with_cert:
            msg = rec(0x16, hs(11, v24(b'')) + hs(16, v8(rng.randbytes(32)))) + CCS + rec(0x16, rng.randbytes(40))
            t = f.send(t + 0.0009, 'c', msg)
            f.pkt(t + f.rtt + 0.0006, 's', 'PA', alert(2, 40))
            f.pkt(t + f.rtt + 0.00062, 's', 'RA', win=0)
            return t + f.rtt
        msg = rec(0x16, hs(11, v24(v24(pk['client']))) + hs(16, v8(rng.randbytes(32))) + hs(15, struct.pack('!H', 0x0804) + v16(rng.randbytes(256)))) + \
            CCS + rec(0x16, rng.randbytes(40))
        t = f.send(t + 2.7, 'c', msg)
        t = f.download(t + f.rtt + 0.003, CCS + rec(0x16, rng.randbytes(40)))
        t = f.send(t + 0.0004, 'c', rec(0x17, rng.randbytes(420)))
        t = f.download(t + f.rtt + 0.03, rec(0x17, rng.randbytes(7800)))
        t = f.send(t + 1.2, 'c', rec(0x17, rng.randbytes(520)))
        t = f.download(t + f.rtt + 0.02, appdata_stream(rng, 30000))
        return t

    t = tls12(T0 + 14.2, False)
    t = tls12(t + 0.9, False)            # browser retries once automatically
    tls12(t + 6.5, True)                 # user picks the certificate
    # TLS 1.3 API with mandatory client certs: closes right after the client's Finished
    api = ('api.northwind-traders.com', '20.79.104.40', None, 107, None, 0.0243, None)
    SITE[api[0]] = api
    for k in range(2):
        t = bg.resolve(T0 + 40 + k * 12, api) + 0.0003
        f = Tcp(cap, client, api[1], ports.get(), 443, rng, rtt=api[5], s_ttl=api[3], s_synack_id0=False, s_ipid=rng.getrandbits(16))
        t = f.handshake(t)
        ch, p = client_hello(rng, api[0], style='curl', alpn=(b'h2', b'http/1.1'))
        t = f.send(t + 0.0002, 'c', ch)
        srv = server_hello13(rng, p['sessid']) + CCS + appdata(rng, 25) + appdata(rng, 160) + appdata(rng, 3100) + appdata(rng, 281) + appdata(rng, 53)
        t = f.download(t + f.rtt + 0.0012, srv)
        t = f.send(t + 0.0004, 'c', CCS + appdata(rng, 25) + appdata(rng, 53))
        f.pkt(t + f.rtt + 0.0004, 's', 'PA', appdata(rng, 19))
        f.pkt(t + f.rtt + 0.00041, 's', 'FA')
        f.pkt(t + f.rtt + 0.0006, 'c', 'FA')
        f.pkt(t + 2 * f.rtt + 0.0006, 's', 'A')
    # shared hosting: the blog moved away, the name still points here -> unrecognized_name
    host = ('blog.northwind-traders.com', '185.26.156.40', None, 55, None, 0.0157, 'northwind.sites.example-hosting.net')
    SITE[host[0]] = host
    for k in range(2):
        t = bg.resolve(T0 + 63 + k * 0.8, host) + 0.0003
        f = Tcp(cap, client, host[1], ports.get(), 443, rng, rtt=host[5], s_ttl=host[3])
        t = f.handshake(t)
        ch, p = client_hello(rng, host[0], style='firefox')
        t = f.send(t + 0.0002, 'c', ch)
        f.pkt(t + f.rtt + 0.0005, 's', 'PA', alert(2, 112))
        f.pkt(t + f.rtt + 0.00051, 's', 'FA')
        f.pkt(t + f.rtt + 0.0007, 'c', 'FA')
        f.pkt(t + 2 * f.rtt + 0.0007, 's', 'A')
    ctl = ('www.example-hosting.net', '185.26.156.40', None, 55, None, 0.0157, None)
    SITE[ctl[0]] = ctl
    bg.https(T0 + 66.0, ctl[0], exchanges=[(480, 24000)], close='c')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'TLS handshakes that end with a fatal alert + RST from the server right after the client\'s flight '
           '(handshake_failure 40), a TLS 1.3 connection closed by the server immediately after the client '
           'Finished, and a ClientHello answered only by a fatal unrecognized_name (112) alert + FIN',
           'All are the servers\' own TLS stacks: the VPN portal visibly sends CertificateRequest, receives an '
           'empty Certificate, and rejects it (the RST is Linux closing a socket with unread data); when the '
           'client later sends a certificate the same server completes the handshake and serves pages. The '
           'TLS 1.3 API does the same with an encrypted certificate_required alert. The shared host answers 112 '
           'because the name is no longer hosted there, while another site on the same IP works. Alerts are '
           'proper records with the servers\' TTLs and IP-ID sequences.',
           'Ethernet pcap; 172.16.40.23, ~32 flows; 20.79.104.33 (HTTP 302, 2x TLS1.2 alert 40 + RST, 1x mTLS ok), '
           '20.79.104.40 (2x close after Finished), 185.26.156.40 (2x alert 112, control vhost ok).')


def case20():
    """Plain-HTTP responses that are not content a user wanted but are served by the sites themselves: 429 rate
    limit, 503 maintenance page, 302 to Google's cookie-consent page, Akamai 'Access Denied', Cloudflare
    challenge, and a WebSocket upgrade (101) that ends with a simultaneous close."""
    fname = 'c20.pcapng'
    rng = random.Random(3120)
    T0 = 1716800000.0 + 11.0
    MY, GW = '8c:16:45:2d:90:e1', '24:5a:4c:18:3b:f2'
    cap = Cap([dict(link=Eth(MY, GW), name='eth0', tsres=6, snaplen=262144)], fmt='pcapng',
              shb=dict(os='Linux 6.1.0-21-amd64', hardware='Intel(R) Core(TM) i5-8500T CPU @ 2.10GHz (with SSE4.2)',
                       userappl='Dumpcap (Wireshark) 4.0.11 (Git v4.0.11 packaged as 4.0.11-1~deb12u1)'))
    ports = Ports(rng)
    client, client6, resolver = '192.168.178.61', '2a02:810a:8c0:3e60:8e16:45ff:fe2d:90e1', '192.168.178.1'
    bg = BG(cap, rng, ports, client, resolver, client6=client6, dns_rtt=0.0044, r_ttl=64, style='firefox')
    bg.many(T0, T0 + 120, 30, http=2, ntp=1)
    UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0'
    DATE = 'Mon, 27 May 2024 08:5%d:%02d GMT'

    def http_flow(t, site, exchanges, port=80, use6=False, close='c', keep=0.4):
        dom, v4, v6, ttl4, ttl6, rtt, cname = site
        SITE[dom] = site
        t = bg.resolve(t, site) + 0.0003
        f = Tcp(cap, client6 if use6 else client, v6 if use6 else v4, ports.get(), port, rng, rtt=rtt,
                s_ttl=ttl6 if use6 else ttl4)
        t = f.handshake(t)
        for req, resp, st in exchanges:
            t = f.send(t + 0.0002, 'c', req)
            t = f.download(t + f.rtt + st, resp)
            t += keep
        if close:
            t = f.close(t, close)
        return t, f

    # 429 from a rate-limited free geo-IP API (HTTP only)
    ipapi = ('ip-api.com', '208.95.112.1', None, 50, None, 0.1082, None)
    ex = []
    for k in range(4):
        req = http_req('GET', '/json/?fields=status,country,city,query', 'ip-api.com', [('User-Agent', 'python-requests/2.31.0'), ('Accept', '*/*'), ('Connection', 'keep-alive')])
        if k < 3:
            body = b'{"status":"success","country":"Germany","city":"Berlin","query":"91.64.118.20"}'
            resp = http_resp(200, 'OK', [('Date', DATE % (1, k)), ('Content-Type', 'application/json; charset=utf-8'),
                                         ('Content-Length', str(len(body))), ('Access-Control-Allow-Origin', '*'),
                                         ('X-Ttl', '60'), ('X-Rl', str(2 - k))], body)
        else:
            body = b''
            resp = http_resp(429, 'Too Many Requests', [('Date', DATE % (1, 3)), ('Content-Type', 'text/plain; charset=utf-8'),
                                                        ('Content-Length', '0'), ('Access-Control-Allow-Origin', '*'),
                                                        ('X-Ttl', '57'), ('X-Rl', '0')])
        ex.append((req, resp, 0.0009))
    http_flow(T0 + 9.0, ipapi, ex, keep=0.05)
    # 503 maintenance
    sw = ('www.stadtwerke-lindenau.de', '81.169.145.93', None, 55, None, 0.0139, None)
    body = (b'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Wartungsarbeiten - Stadtwerke Lindenau</title></head>'
            b'<body><h1>Wir sind gleich zur&uuml;ck</h1><p>Wegen geplanter Wartungsarbeiten ist unsere Website von 08:00 bis '
            b'12:00 Uhr nicht erreichbar. Entst&ouml;rungsdienst: 0800 123 4567.</p></body></html>')
    http_flow(T0 + 21.0, sw, [(http_req('GET', '/', sw[0], [('User-Agent', UA), ('Accept', 'text/html'), ('Connection', 'keep-alive')]),
                              http_resp(503, 'Service Unavailable', [('Date', DATE % (2, 11)), ('Server', 'Apache'), ('Retry-After', '14400'),
                                                                     ('Content-Length', str(len(body))), ('Content-Type', 'text/html; charset=utf-8')], body), 0.0021)])
    # 302 to the cookie-consent page, then HTTPS to it
    gg = SITE['www.google.com']
    loc = 'https://consent.google.com/ml?continue=http://www.google.com/&gl=DE&m=0&pc=shp&cm=2&hl=de&src=1'
    body = ('<HTML><HEAD><meta http-equiv="content-type" content="text/html;charset=utf-8">\n<TITLE>302 Moved</TITLE></HEAD><BODY>\n'
            '<H1>302 Moved</H1>\nThe document has moved\n<A HREF="%s">here</A>.\r\n</BODY></HTML>\r\n' % loc.replace('&', '&amp;')).encode()
    t, _ = http_flow(T0 + 33.0, gg, [(http_req('GET', '/', 'www.google.com', [('User-Agent', UA), ('Accept', 'text/html'), ('Connection', 'keep-alive')]),
                                     http_resp(302, 'Found', [('Location', loc), ('Cache-Control', 'private'), ('Content-Type', 'text/html; charset=UTF-8'),
                                                              ('Content-Security-Policy-Report-Only', "object-src 'none';base-uri 'self'"),
                                                              ('Date', DATE % (3, 5)), ('Server', 'gws'), ('Content-Length', str(len(body))),
                                                              ('X-XSS-Protection', '0'), ('X-Frame-Options', 'SAMEORIGIN'),
                                                              ('Set-Cookie', 'AEC=AQTF6Hz3kVh9; expires=Sat, 23-Nov-2024 08:53:05 GMT; path=/; domain=.google.com; Secure; HttpOnly; SameSite=lax')], body), 0.031)],
                     use6=True)
    SITE['consent.google.com'] = ('consent.google.com', '142.250.185.110', '2a00:1450:4001:82f::200e', 117, 117, 0.0121, 'www3.l.google.com')
    bg.https(t - 0.39, 'consent.google.com', exchanges=[(650, 98000), (520, 4000)], use6=True)
    # Akamai geo/bot denial
    bb = ('www.bestbuy.com', '23.45.111.200', None, 56, None, 0.0117, 'www.bestbuy.com.edgekey.net')
    ref = '18.c86f1702.1716800021.1a2b3c4d'
    body = ('<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \nYou don\'t have permission to '
            'access "http&#58;&#47;&#47;www&#46;bestbuy&#46;com&#47;" on this server.<P>\nReference&#32;&#35;%s\n<P>'
            'https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;%s</P>\n</BODY>\n</HTML>\n' % (ref, ref)).encode()
    http_flow(T0 + 47.0, bb, [(http_req('GET', '/', bb[0], [('User-Agent', UA), ('Accept', 'text/html'), ('Connection', 'keep-alive')]),
                              http_resp(403, 'Forbidden', [('Server', 'AkamaiGHost'), ('Mime-Version', '1.0'), ('Content-Type', 'text/html'),
                                                           ('Content-Length', str(len(body))), ('Expires', DATE % (4, 41)),
                                                           ('Date', DATE % (4, 41)), ('Connection', 'close')], body), 0.0012)], close='s')
    # Cloudflare managed challenge
    fo = ('www.retrocomputing-forum.net', '172.67.182.31', '2606:4700:3030::ac43:b61f', 57, 57, 0.0108, None)
    body = (b'<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
            b'<meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1">'
            b'</head><body><div class="main-wrapper" role="main"><div class="main-content"><noscript><div class="h2"><span id="challenge-error-text">'
            b'Enable JavaScript and cookies to continue</span></div></noscript></div></div><script>(function(){window._cf_chl_opt={cvId: \'3\','
            b'cZone: "www.retrocomputing-forum.net",cType: \'managed\'};}());</script></body></html>')
    http_flow(T0 + 61.0, fo, [(http_req('GET', '/', fo[0], [('User-Agent', UA), ('Accept', 'text/html'), ('Connection', 'keep-alive')]),
                              http_resp(403, 'Forbidden', [('Date', DATE % (5, 2)), ('Content-Type', 'text/html; charset=UTF-8'),
                                                           ('Content-Length', str(len(body))), ('Connection', 'keep-alive'),
                                                           ('Cross-Origin-Embedder-Policy', 'require-corp'), ('cf-mitigated', 'challenge'),
                                                           ('Cache-Control', 'private, max-age=0, no-store, no-cache, must-revalidate, post-check=0, pre-check=0'),
                                                           ('Server', 'cloudflare'), ('CF-RAY', '88a3c4d5e6f70912-FRA')], body), 0.0046)], use6=True)
    # WebSocket upgrade, a few frames, close handshake + simultaneous FIN
    ws = ('echo.websocket.org', '66.241.124.119', '2a09:8280:1::37:b5c3', 47, 47, 0.0211, None)
    SITE[ws[0]] = ws
    t = bg.resolve(T0 + 75.0, ws) + 0.0003
    f = Tcp(cap, client, ws[1], ports.get(), 80, rng, rtt=ws[5], s_ttl=ws[3])
    t = f.handshake(t)
    t = f.send(t + 0.0002, 'c', http_req('GET', '/', ws[0], [('User-Agent', UA), ('Upgrade', 'websocket'), ('Connection', 'Upgrade'),
                                                             ('Sec-WebSocket-Key', 'q4xkcO32u266gldTuKaSOw=='), ('Sec-WebSocket-Version', '13'),
                                                             ('Origin', 'http://localhost:8080')]))
    t = f.download(t + f.rtt + 0.0011, http_resp(101, 'Switching Protocols', [('Connection', 'Upgrade'), ('Upgrade', 'websocket'),
                                                                           ('Sec-WebSocket-Accept', base64.b64encode(hashlib.sha1(b'q4xkcO32u266gldTuKaSOw==258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest()).decode()),
                                                                           ('Date', DATE % (5, 16)), ('Via', '1.1 fly.io')]))
    msg = b'Request served by 7811ec2b4d5198'
    t = f.download(t + 0.0004, b'\x81' + bytes([len(msg)]) + msg)
    for k in range(4):
        txt = ('ping %d' % k).encode()
        mk = rng.randbytes(4)
        t = f.send(t + 0.8, 'c', b'\x81' + bytes([0x80 | len(txt)]) + mk + bytes(b ^ mk[i % 4] for i, b in enumerate(txt)))
        t = f.download(t + f.rtt + 0.0003, b'\x81' + bytes([len(txt)]) + txt)
    mk = rng.randbytes(4)
    cl = b'\x03\xe8'
    t = f.send(t + 0.5, 'c', b'\x88' + bytes([0x80 | 2]) + mk + bytes(b ^ mk[i % 4] for i, b in enumerate(cl)))
    # server echoes Close and both sides send FIN at the same moment (crossing)
    f.pkt(t + f.rtt + 0.0002, 's', 'PA', b'\x88\x02' + cl)
    f.pkt(t + f.rtt + 0.00021, 's', 'FA')
    f.pkt(t + f.rtt + 0.00035, 'c', 'FA', ack=f.c_rcv - 1)   # crosses the server's FIN
    f.pkt(t + f.rtt + 0.00036, 'c', 'A')
    f.pkt(t + 2 * f.rtt + 0.00035, 's', 'A')
    cap.write(os.path.join(OUT, fname))
    expect(fname, 'Plain-HTTP responses that a naive block-page matcher could flag: 429 Too Many Requests, 503 with a '
           'German maintenance page, 302 to consent.google.com, 403 "Access Denied" (AkamaiGHost), 403 "Just a '
           'moment..." (Cloudflare challenge); plus a 101 upgrade after which the stream is no longer HTTP',
           'All are served by the sites\' own servers or CDNs: each response arrives one RTT (+server time) after '
           'its request, with the same TTL and IP-ID progression as the SYN/ACK of its connection, no competing '
           'response, and the connections continue or close normally. The fingerprint catalogue lists Akamai '
           'Access Denied and Cloudflare challenge pages as false positives; 429/503/consent are the '
           'sites\' own policies. The WebSocket ends with a close handshake and crossing FINs (simultaneous close).',
           'pcapng, Ethernet; 192.168.178.61 / 2a02:810a:...:90e1, ~40 flows; HTTP to ip-api.com, '
           'www.stadtwerke-lindenau.de, www.google.com (v6), www.bestbuy.com, www.retrocomputing-forum.net (v6), '
           'echo.websocket.org.')


CASES = [case01, case02, case03, case04, case05, case06, case07, case08, case09, case10, case11, case12, case13, case14,
         case15, case16, case17, case18, case19, case20]

if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit("usage: blind3_benign.py OUTDIR [CASE...]")
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    only = sys.argv[2:]
    for c in CASES:
        if only and c.__name__ not in only:
            continue
        c()
    if not only:
        with open(os.path.join(OUT, 'expect.json'), 'w') as f:
            json.dump(EXPECT, f, indent=2, sort_keys=True)
    else:
        print(json.dumps(EXPECT, indent=2))
