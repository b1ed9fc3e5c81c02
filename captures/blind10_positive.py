#!/usr/bin/env python3
# ruff: noqa: E501
"""Blind positive test set (batch 10): six client-side captures, one censorship mechanism each.

usage: python blind10_positive.py OUTDIR

Deterministic: every random choice comes from per-case seeded generators and every
timestamp from a fixed per-case epoch, so repeated runs write identical bytes.
"""
import json
import os
import random
import sys

from blind_kit import (  # the capture-writing kit the round was written with
    Budget,
    Cap,
    Ctx,
    Flow,
    TokenBucket,
    chain,
    client_hello,
    dns_msg,
    epoch,
    html_body,
    mac,
    mk_ip,
    server_flight,
)
from scapy.all import UDP, Raw

# ----------------------------------------------------------------------------
# capture container and writers
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# IP / TCP
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# TLS
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# DNS
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# per-case context and composite helpers
# ----------------------------------------------------------------------------


# ----------------------------------------------------------------------------
# case 1: THR-03 freeze toward a foreign data-centre IPv6 address
# ----------------------------------------------------------------------------


def case_thr03(outdir):
    ifaces = [
        dict(link="eth", name="eth0", cmac=mac("54:e1:ad:3c:91:07"), gmac=mac("e8:9f:80:61:2a:d4"), tsresol=6),
        dict(link="raw", name="wwan0", tsresol=9),
    ]
    cap = Cap("b10p_thr03_freeze_v6.pcapng", epoch(2025, 6, 18, 17, 14, 3), ifaces, fmt="pcapng", endian="<",
              shb=dict(hw="Intel(R) Core(TM) i5-10310U CPU @ 1.70GHz (with SSE4.2)", os="Linux 6.8.0-60-generic", app="Dumpcap (Wireshark) 4.2.2 (Git v4.2.2 packaged as 4.2.2-1.1build3)"))
    ctx = Ctx(cap, 1001, cip="192.168.0.42", cip6="2a00:1fa1:c2d4:58e0:9d3a:41f6:e2b7:c19", mss6=1440, iface=1,
              resolver="192.168.0.1", resolver6="2a00:1fa0:42d8::2", rttl=61, dns_rtt=0.031, edns=None)
    rng = ctx.rng
    WW, ETH = 1, 0
    target, tip = "cloud.kaiser-it.de", "2a01:4f8:c012:7e21::1"
    tip4 = "49.13.88.214"

    def lk6(t, name, a, aaaa, rtt=None, tag=None):
        return ctx.lookup(t, name, a, aaaa, v6=True, iface=WW, rtt=rtt, tag=tag)

    def lk4(t, name, a, aaaa):
        ctx.rttl = 64
        r = ctx.lookup(t, name, a, aaaa, v6=False, iface=ETH, rtt=0.0009)
        ctx.rttl = 61
        return r

    # background over wwan0 (IPv6, same mobile path) and eth0 (IPv4 LAN uplink)
    t = lk6(0.412, "ya.ru", chain("ya.ru", [], ["5.255.255.242", "77.88.44.242"], 0, 600), chain("ya.ru", [], ["2a02:6b8::2:242"], 0, 600, "AAAA"))
    ctx.https(t + 0.0004, "2a02:6b8::2:242", "ya.ru", 0.0142, 57, resp=61000, rate=38e6, cert=3900, profile="chrome", iface=WW, close=None)
    t = lk4(1.903, "www.gosuslugi.ru", chain("www.gosuslugi.ru", [], ["213.59.254.7"], 0, 300), [])
    ctx.https(t + 0.0003, "213.59.254.7", "www.gosuslugi.ru", 0.0113, 54, resp=38000, rate=60e6, cert=4800, profile="chrome", iface=ETH)
    t = lk6(3.117, "yastatic.net", chain("yastatic.net", [], ["178.154.131.215"], 0, 3600), chain("yastatic.net", [], ["2a02:6b8:20::215"], 0, 3600, "AAAA"))
    ctx.https(t + 0.0005, "2a02:6b8:20::215", "yastatic.net", 0.0139, 57, resp=84000, rate=38e6, cert=3900, profile="chrome", iface=WW, close=None)

    # the target: three connections, each frozen after 15-20 KB from the server
    tl = lk6(5.804, target, chain(target, [], [tip4], 0, 3600), chain(target, [], [tip], 0, 3600, "AAAA"), tag="tdns")
    budgets = [17216, 15872, 18944]
    t = tl + 0.0006
    conns = []
    for k, b in enumerate(budgets):
        tag = f"c{k + 1}"
        fl, tf = ctx.https(t, tip, target, 0.0583, 50, resp=4_000_000, rate=35e6, cert=3350, req=390, think=0.021, close=None,
                           profile="chrome", iface=WW, tag=tag, drop=Budget(b), t_limit=t + 12.0)
        conns.append((fl, tf, b))
        # nothing arrives any more; after 20 s the client gives up: close_notify + FIN, retransmitted, unanswered
        tc = tf + 20.0 + rng.uniform(0.0, 0.3)
        alert = b"\x17\x03\x03\x00\x13" + rng.randbytes(19)
        alert_seq = fl.cnxt
        fl.c(tc, "PA", alert, tag=f"{tag}alert")
        fl.c(tc + 0.00004, "FA", tag=f"{tag}fin")
        rto, tr = 0.0583 + 0.2, tc
        for n in range(6):  # Linux retransmits the head segment, collapsed with the FIN
            tr += rto * (2 ** n)
            fl.c(tr, "FPA", alert, seq=alert_seq, tag=f"{tag}rtx{n}")
        t = tc + 0.0009 + rng.uniform(0.0, 0.002)  # the application retries right away on a new connection
        if k == 0:
            # other traffic keeps working while connection 1 is frozen
            tx = lk6(tf + 2.2, "sun9-74.userapi.com", chain("sun9-74.userapi.com", [], ["95.142.206.74"], 0, 300), chain("sun9-74.userapi.com", [], ["2a00:bdc0:3:103:1:0:403:74"], 0, 300, "AAAA"))
            ctx.https(tx + 0.0004, "2a00:bdc0:3:103:1:0:403:74", "sun9-74.userapi.com", 0.0171, 56, resp=412000, rate=32e6, cert=4100, profile="chrome", iface=WW)
            tx = lk4(tf + 6.4, "dzen.ru", chain("dzen.ru", [], ["62.217.160.2"], 0, 300), [])
            ctx.https(tx + 0.0003, "62.217.160.2", "dzen.ru", 0.0124, 55, resp=52000, rate=60e6, cert=3700, profile="chrome", iface=ETH)
        if k == 1:
            tx = lk6(tf + 4.1, "vk.com", chain("vk.com", [], ["87.240.132.72", "93.186.225.194"], 0, 300), chain("vk.com", [], ["2a00:bdc0:3:103:1:0:403:901"], 0, 300, "AAAA"))
            ctx.https(tx + 0.0004, "2a00:bdc0:3:103:1:0:403:901", "vk.com", 0.0168, 56, resp=96000, rate=32e6, cert=4100, profile="chrome", iface=WW)
            tx = lk6(tf + 9.7, "www.google.com", chain("www.google.com", [], ["142.250.74.100"], 0, 300), chain("www.google.com", [], ["2a00:1450:4010:c0e::63"], 0, 300, "AAAA"))
            ctx.https(tx + 0.0004, "2a00:1450:4010:c0e::63", "www.google.com", 0.0241, 116, resp=46000, rate=32e6, cert=3600, profile="chrome", iface=WW, sos="cdn")
    f = cap.frame
    last = [cap.fno(c[0].last_s_idx) for c in conns]
    about = (f"IPv6 over wwan0 (raw IP; eth0 is a second, Ethernet interface). {target} resolves to Hetzner {tip} (frames {f('tdnsqA')}-{f('tdnsrAAAA')}). "
             f"Three TLS connections to it (SYNs {f('c1syn')}, {f('c2syn')}, {f('c3syn')}) each complete the handshake and then receive server data only up to "
             f"{conns[0][0].c_got}, {conns[1][0].c_got}, {conns[2][0].c_got} bytes (last server segments {last[0]}, {last[1]}, {last[2]}); after that nothing from the server arrives, "
             f"no RST, and the client's close_notify+FIN (e.g. {f('c1alert')}-{f('c1fin')}) is retransmitted unanswered ({f('c1rtx0')}..{f('c1rtx5')}). "
             "Each new connection restarts the ~15-20 KB budget and freezes again, while Russian IPv6 services over the same wwan0 path (yastatic.net, sun9-74.userapi.com 412 KB, vk.com) download normally: the TSPU 'freeze' toward foreign hosting (THR-03).")
    info = {"expect": [{"mechanism": "throttling", "domain": target}],
            "allow": [{"mechanism": "blackhole", "domain": target}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 2: THR-01 SNI-based throttling of abs.twimg.com (Russia, March 2021), Linux SLL2
# ----------------------------------------------------------------------------


def case_thr01(outdir):
    ifaces = [dict(link="sll2", name="any", ifindex=3, cmac=mac("3c:58:c2:9e:0d:41"), gmac=mac("d8:07:b6:5a:c1:2e"))]
    cap = Cap("b10p_thr01_twimg_sll2.pcap", epoch(2021, 3, 16, 9, 41, 27), ifaces, fmt="pcap", endian="<", nsec=False)
    ctx = Ctx(cap, 2002, cip="192.168.1.34", resolver="192.168.1.1", rttl=64, dns_rtt=0.0041, edns=None)
    rng = ctx.rng
    cdn = "72.21.91.70"
    tw, ctl = "abs.twimg.com", "ajax.aspnetcdn.com"
    ans_tw = chain(tw, ["cs196.wac.edgecastcdn.net"], [cdn], 1712, 2410)
    ans_ctl = chain(ctl, ["mscomajax.vo.msecnd.net", "cs9.wac.phicdn.net"], [cdn], 3377, 1906)

    def bg(t, name, ip, rtt, ttl, resp, cnames=(), v6=None, **kw):
        ta = ctx.lookup(t, name, chain(name, list(cnames), [ip], 300, 300), chain(name, list(cnames), [v6], 300, 300, "AAAA") if v6 else chain(name, list(cnames), [], 300, 300, "AAAA"))
        return ctx.https(ta + rng.uniform(0.0002, 0.0009), ip, name, rtt, ttl, resp=resp, **kw)

    bg(0.151, "yandex.ru", "5.255.255.77", 0.0093, 55, 58000, rate=45e6, cert=3900, close=None)
    bg(1.433, "habr.com", "178.248.237.68", 0.0118, 56, 74000, rate=45e6, cert=3300)
    # control before: same Edgecast address, another SNI, fast
    t = ctx.lookup(3.012, ctl, ans_ctl, chain(ctl, ["mscomajax.vo.msecnd.net", "cs9.wac.phicdn.net"], [], 3377, 1906, "AAAA"), tag="ctldns")
    c1, _ = ctx.https(t + 0.0004, cdn, ctl, 0.0362, 53, resp=352000, rate=42e6, cert=2900, req=310, sos="cdn", tag="ctl1", close="client")
    bg(4.871, "github.com", "140.82.121.4", 0.0467, 49, 41000, rate=40e6, cert=2600)
    # throttled: SNI abs.twimg.com to the very same address
    t = ctx.lookup(7.504, tw, ans_tw, chain(tw, ["cs196.wac.edgecastcdn.net"], [], 1712, 2410, "AAAA"), tag="twdns")
    pol = TokenBucket(140e3, 15000)
    th, tend = ctx.https(t + 0.0005, cdn, tw, 0.0362, 53, resp=268000, rate=42e6, cert=2900, req=340, sos="cdn", tag="thr", drop=pol, close="client")
    bg(9.310, "vk.com", "87.240.190.78", 0.0152, 56, 88000, rate=45e6, cert=4100)
    bg(14.92, "mail.ru", "94.100.180.200", 0.0107, 56, 61000, rate=45e6, cert=3500)
    # control after: same address, other SNI, fast again (no congestion on the path)
    t = ctx.lookup(tend + 3.4, ctl, ans_ctl, chain(ctl, ["mscomajax.vo.msecnd.net", "cs9.wac.phicdn.net"], [], 3377, 1906, "AAAA"))
    c2, _ = ctx.https(t + 0.0004, cdn, ctl, 0.0362, 53, resp=287000, rate=42e6, cert=2900, req=310, sos="cdn", tag="ctl2", close="client")
    f = cap.frame

    def rate_of(fl, tagp):
        t0 = cap.sorted()[f(tagp + "ch") - 1][0] / 1e9 - cap.base
        return fl.c_got * 8 / (fl.last_arr - t0) / 1000

    rtx = cap.frames("thrresprtx")
    about = (f"Linux cooked (SLL2) capture, Russia, March 2021. {ctl} and {tw} both resolve to Edgecast {cdn} (frames {f('ctldnsrA')}, {f('twdnsrA')}). "
             f"With SNI {ctl} (ClientHello {f('ctl1ch')}, again {f('ctl2ch')} after the throttled transfer) the server delivers {c1.c_got // 1000} KB and {c2.c_got // 1000} KB at "
             f"~{rate_of(c1, 'ctl1') / 1000:.0f} and ~{rate_of(c2, 'ctl2') / 1000:.0f} Mbit/s; with SNI {tw} (ClientHello {f('thrch')}) the same address delivers {th.c_got // 1000} KB at only ~{rate_of(th, 'thr'):.0f} kbit/s, "
             f"because a policer drops whatever exceeds the rate: {len(rtx)} of its data segments are retransmissions (e.g. frames {rtx[0]}, {rtx[5]}, {rtx[10]}), with 'previous segment not captured' gaps and SACK duplicate ACKs. Same IP, same RTT, only the SNI differs: TSPU SNI throttling of *.twimg.com (THR-01).")
    info = {"expect": [{"mechanism": "throttling", "domain": tw}], "allow": [], "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 3: DNS-01 injection relayed by a home router (both answers from 192.168.1.1)
# ----------------------------------------------------------------------------


def case_dnsinj_router(outdir):
    ifaces = [dict(link="eth", name="enp0s31f6", cmac=mac("8c:16:45:2b:7e:93"), gmac=mac("cc:81:da:44:0f:19"))]
    cap = Cap("b10p_dnsinj_router_be.pcap", epoch(2024, 11, 5, 13, 22, 41), ifaces, fmt="pcap", endian=">", nsec=True)
    ctx = Ctx(cap, 3003, cip="192.168.1.100", resolver="192.168.1.1", rttl=64, dns_rtt=0.036, edns=1232)
    ctx.r_ipid = 0x3A17  # the router's own replies to us: one incrementing IP ID counter, DF clear
    rng = ctx.rng

    def bg(t, name, cn, ips, rtt, ttl, resp, v6=(), **kw):
        ta = ctx.lookup(t, name, chain(name, cn, ips, 600, 300), chain(name, cn, list(v6), 600, 300, "AAAA"), rtt=rng.uniform(0.012, 0.045))
        return ctx.https(ta + rng.uniform(0.0003, 0.001), ips[0], name, rtt, ttl, resp=resp, profile="chrome", **kw)

    bg(0.208, "www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66", "110.242.69.21"], 0.0284, 52, 96000, rate=80e6, cert=4300)
    bg(2.117, "www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], ["183.2.143.112"], 0.0319, 52, 71000, rate=80e6, cert=3600)
    bg(4.406, "s.taobao.com", ["s.taobao.com.danuoyi.tbcache.com"], ["223.109.148.179", "223.109.148.180"], 0.0251, 53, 42000, rate=80e6, cert=3900)

    # the injected lookup: systemd-resolved asks the router for A and AAAA (EDNS, RD)
    name, forged4, forged6 = "www.bbc.com", "31.13.94.49", "2a03:2880:f10c:83:face:b00c:0:25de"
    real_cn = ["bbc.map.fastly.net"]
    real4 = ["151.101.0.81", "151.101.64.81", "151.101.128.81", "151.101.192.81"]
    real6 = ["2a04:4e42::81", "2a04:4e42:200::81", "2a04:4e42:400::81", "2a04:4e42:600::81"]
    t = 6.913
    qs = []
    sport, ipid = ctx.port(), rng.randrange(65536)
    for k, qt in enumerate(("A", "AAAA")):
        txid = rng.randrange(65536)
        cap.add(t + k * 0.000061, mk_ip(ctx.cip, ctx.resolver, 64, ipid, True) / UDP(sport=sport, dport=53) / Raw(dns_msg(txid, 0x0100, name, qt, edns=1232)), True, 0, f"q{qt}")
        ipid += 1
        qs.append((qt, sport, txid))

    def relay(tr, qt, sport, txid, msg, tag):
        cap.add(tr, mk_ip(ctx.resolver, ctx.cip, 64, ctx.resp_ipid(), False) / UDP(sport=53, dport=sport) / Raw(msg), False, 0, tag)

    # forged answers race ahead: flags 0x8180, AN=1, AR=0 although the query carried EDNS, TTL 234
    relay(t + 0.0207, "A", qs[0][1], qs[0][2], dns_msg(qs[0][2], 0x8180, name, "A", [(name, "A", 234, forged4)]), "fA")
    relay(t + 0.0211, "AAAA", qs[1][1], qs[1][2], dns_msg(qs[1][2], 0x8180, name, "AAAA", [(name, "AAAA", 234, forged6)]), "fAAAA")
    # genuine answers from the upstream resolver follow, relayed too
    relay(t + 0.1874, "A", qs[0][1], qs[0][2], dns_msg(qs[0][2], 0x8180, name, "A", chain(name, real_cn, real4, 299, 30), edns=1232), "gA")
    relay(t + 0.1902, "AAAA", qs[1][1], qs[1][2], dns_msg(qs[1][2], 0x8180, name, "AAAA", chain(name, real_cn, real6, 299, 30, "AAAA"), edns=1232), "gAAAA")

    # the browser uses the first answer it got: SYNs to the forged address go unanswered
    fl = Flow(ctx, forged4, 443, 0.2, 50)
    ts = t + 0.0216
    for n, d in enumerate((0.0, 1.0, 2.0, 4.0)):
        ts += d
        fl.c(ts, "S", seq=fl.ciss, tag=f"fsyn{n}")

    bg(9.871, "www.bilibili.com", ["a.w.bilicdn1.com"], ["120.232.150.3", "120.232.150.4"], 0.0217, 53, 133000, rate=80e6, cert=3100)
    bg(13.32, "weibo.com", [], ["123.125.106.92"], 0.0371, 51, 58000, rate=80e6, cert=2800)
    bg(15.704, "www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], ["183.194.238.19"], 0.0299, 52, 64000, rate=80e6, cert=3400)
    f = cap.frame
    ids = [cap.sorted()[f(x) - 1][3][14 + 4:14 + 6].hex() for x in ("fA", "fAAAA", "gA", "gAAAA")]
    about = (f"Ethernet, client 192.168.1.100 resolving through its home router 192.168.1.1. The A and AAAA queries for {name} (frames {f('qA')}, {f('qAAAA')}, EDNS0) each get two answers "
             f"relayed by the router with the same TXID: frames {f('fA')}/{f('fAAAA')} after ~21 ms carry {forged4} (a Facebook address) and {forged6} with the DNS-02 injector shape "
             f"(flags 0x8180, AN=1, AR=0 despite the query's OPT record, TTL 234), then frames {f('gA')}/{f('gAAAA')} after ~188 ms carry the genuine CNAME {real_cn[0]} and Fastly addresses with the OPT record echoed. "
             f"All four come from the router (IP TTL 64, consecutive IP IDs 0x{ids[0]}..0x{ids[3]}), so TTL comparison is impossible; the race with different RDATA and the injector fingerprint are the evidence. "
             f"The client then tries the forged address: SYNs {f('fsyn0')}-{f('fsyn3')} to {forged4}:443 go unanswered.")
    info = {"expect": [{"mechanism": "dns-injection", "domain": name}],
            "allow": [{"mechanism": "blackhole", "domain": name}, {"mechanism": "dns-tampering", "domain": name}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 4: RST-03 GFW type II resets after an HTTP Host header, 802.1Q
# ----------------------------------------------------------------------------

SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15"


def case_rst_type2(outdir):
    ifaces = [dict(link="vlan", vlan=30, name="en0", cmac=mac("f8:4d:89:71:c3:0a"), gmac=mac("00:1e:bd:5c:7a:41"))]
    cap = Cap("b10p_gfw_type2_http_vlan.pcap", epoch(2024, 3, 12, 3, 18, 9), ifaces, fmt="pcap", endian="<", nsec=True)
    ctx = Ctx(cap, 4004, cip="10.30.12.57", cos="mac", resolver="10.30.0.53", rttl=63, dns_rtt=0.0183, edns=None)
    rng = ctx.rng

    def bg(t, name, cn, ips, rtt, ttl, resp, **kw):
        ta = ctx.lookup(t, name, chain(name, cn, ips, 600, 300), chain(name, cn, [], 600, 300, "AAAA"), rtt=rng.uniform(0.004, 0.03))
        return ctx.https(ta + rng.uniform(0.0003, 0.001), ips[0], name, rtt, ttl, resp=resp, profile="chrome", **kw)

    bg(0.331, "www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66"], 0.0312, 52, 88000, rate=90e6, cert=4300)
    bg(1.876, "www.163.com", ["www.163.com.163jiasu.com"], ["58.215.106.1"], 0.0223, 53, 121000, rate=90e6, cert=3800)
    host, hip = "www.hrw.org", "104.18.20.212"
    tl = ctx.lookup(4.402, host, chain(host, [], [hip, "104.18.21.212"], 0, 300), chain(host, [], ["2606:4700::6812:14d4"], 0, 300, "AAAA"), tag="hdns")
    body301 = b"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
    rstinfo = []
    t = tl + 0.0006
    for k, (ttls, win, ray) in enumerate((((103, 104, 105), 2573, "8627c3e8dd5b6251"), ((98, 99, 100), 3618, "8627c40c1f2e6251"))):
        tag = f"h{k + 1}"
        fl = Flow(ctx, hip, 80, 0.1781, 52, sos="cdn", s_ipid="zero")
        t = fl.handshake(t, tag)
        req = (f"GET / HTTP/1.1\r\nHost: {host}\r\nUpgrade-Insecure-Requests: 1\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
               f"User-Agent: {SAFARI}\r\nAccept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n").encode()
        tg = fl.send_c(t + rng.uniform(0.0003, 0.0008), req, tag + "get")
        # three RST+ACK copies ~18 ms later: DF set, one IP ID, window != 0, TTLs differ from the server's 52
        tr = tg + rng.uniform(0.0171, 0.0196)
        ipid = rng.randrange(0x00A3, 0xFE5F)
        for j, ttl in enumerate(ttls):
            fl.forged(tr + j * rng.uniform(0.000018, 0.00004), "RA", fl.c_rcv, fl.cnxt, ttl, ipid, True, win, tag=f"{tag}rst{j}")
        # the genuine answer still arrives one RTT after the request; the client has no connection any more
        resp = (f"HTTP/1.1 301 Moved Permanently\r\nDate: Tue, 12 Mar 2024 03:18:{13 + 3 * k:02d} GMT\r\nContent-Type: text/html\r\nContent-Length: {len(body301)}\r\nConnection: keep-alive\r\n"
                f"Cache-Control: max-age=3600\r\nExpires: Tue, 12 Mar 2024 04:18:{13 + 3 * k:02d} GMT\r\nLocation: https://{host}/\r\nServer: cloudflare\r\nCF-RAY: {ray}-LAX\r\n\r\n").encode() + body301
        ts = tg + fl.rtt + rng.uniform(0.0008, 0.0016)
        fl.s(ts, "PA", resp, tag=tag + "resp")
        fl.stack_rst(ts + rng.uniform(0.00003, 0.00008), fl.cnxt, tag=tag + "crst")
        rstinfo.append((ttls, win, ipid))
        t = ts + 3.1 + rng.uniform(0, 0.4)  # the user reloads
    # control: another plain-HTTP site works from the same client at the same time
    tn = ctx.lookup(t + 2.3, "neverssl.com", chain("neverssl.com", [], ["34.223.124.45"], 0, 60), [], tag="ndns")
    ctx.http(tn + 0.0005, "34.223.124.45", "neverssl.com", 0.2052, 45, ua=SAFARI, status="200 OK",
             headers=(("Date", "Tue, 12 Mar 2024 03:18:24 GMT"), ("Content-Type", "text/html"), ("Content-Length", "3961"), ("Connection", "keep-alive"), ("Last-Modified", "Wed, 20 Sep 2023 18:22:11 GMT"), ("ETag", '"f79-605cf11bb7f6e"'), ("Accept-Ranges", "bytes")),
             body=html_body(random.Random(44), 3961, "NeverSSL - Connecting ...")[:3961], tag="ctl", close="client")
    bg(t + 5.9, "www.bilibili.com", ["a.w.bilicdn1.com"], ["120.232.150.3"], 0.0219, 53, 140000, rate=90e6, cert=3100)
    bg(t + 8.8, "www.jd.com", ["www.jd.com.gslb.qianxun.com"], ["111.13.149.108"], 0.0264, 52, 76000, rate=90e6, cert=3300)
    bg(t + 11.4, "www.douyin.com", ["www.douyin.com.volcgslb.com"], ["122.14.229.4"], 0.0243, 52, 99000, rate=90e6, cert=3500)
    f = cap.frame
    about = (f"802.1Q (VLAN 30), macOS client in China. Plain-HTTP GET with Host: {host} to {hip}:80 (frame {f('h1get')}, after handshake {f('h1syn')}-{f('h1synack')}) is followed ~18 ms later by three RST+ACK "
             f"(frames {f('h1rst0')}-{f('h1rst2')}) with identical IP ID 0x{rstinfo[0][2]:04x}, DF set, window {rstinfo[0][1]} and TTLs {rstinfo[0][0][0]}-{rstinfo[0][0][2]}, whereas the server's packets have TTL 52, IP ID 0 and arrive ~178 ms after the client's. "
             f"The genuine 301 from the server still arrives one RTT later (frame {f('h1resp')}) and the client kernel answers it with RST (frame {f('h1crst')}). "
             f"The reload repeats the pattern (GET {f('h2get')}, RSTs {f('h2rst0')}-{f('h2rst2')}, TTLs {rstinfo[1][0][0]}-{rstinfo[1][0][2]}), while HTTP to neverssl.com works (frame {f('ctlget')}): GFW type II Host filtering (RST-03).")
    info = {"expect": [{"mechanism": "rst-injection", "domain": host}],
            "allow": [{"mechanism": "residual-blocking", "domain": host}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 5: DNS-05 Iranian DNS redirection to the national block page, raw IP
# ----------------------------------------------------------------------------


def case_dns_redirect(outdir):
    ifaces = [dict(link="raw", name="ppp0")]
    cap = Cap("b10p_dns_redirect_blockpage_raw.pcap", epoch(2023, 9, 20, 8, 5, 52), ifaces, fmt="pcap", endian=">", nsec=False)
    ctx = Ctx(cap, 5005, cip="2.183.104.57", mss4=1452, resolver="217.218.127.127", rttl=59, dns_rtt=0.0114, edns=None)
    rng = ctx.rng

    def bg(t, name, cn, ips, rtt, ttl, resp, **kw):
        ta = ctx.lookup(t, name, chain(name, cn, ips, 600, 300), chain(name, cn, [], 600, 300, "AAAA"), rtt=rng.uniform(0.009, 0.05))
        return ctx.https(ta + rng.uniform(0.0003, 0.001), ips[0], name, rtt, ttl, resp=resp, **kw)

    bg(0.118, "www.digikala.com", [], ["185.147.178.11"], 0.0143, 58, 102000, rate=16e6, cert=4100)
    bg(2.271, "www.aparat.com", [], ["185.147.178.23"], 0.0149, 58, 77000, rate=16e6, cert=3900)
    bg(4.087, "www.google.com", [], ["142.250.186.36"], 0.0862, 113, 52000, rate=16e6, cert=3600, sos="cdn")
    name, bp = "www.radiofarda.com", "10.10.34.36"
    tl = ctx.lookup(6.552, name, chain(name, [], [bp], 0, 1800), chain(name, [], ["d0::11"], 0, 1800, "AAAA"), rtt=0.0117, tag="rdns")
    page = (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><title>M1-6\n</title></head><body>'
            b'<iframe src="http://10.10.34.34?type=Invalid Site&policy=MainPolicy " style="width: 100%; height: 100%" scrolling="no" marginwidth="0" marginheight="0" frameborder="0" vspace="0" hspace="0"></iframe></body></html>\r\n\r\n')
    ctx.http(tl + 0.0007, bp, name, 0.0094, 61, status="403 Forbidden", headers=(("Connection", "close"),), body=page,
             ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36", tag="bp", close="server")
    bg(9.604, "www.varzesh3.com", [], ["185.143.233.120"], 0.0177, 57, 131000, rate=16e6, cert=3200)
    bg(12.03, "www.isna.ir", [], ["185.143.232.200"], 0.0161, 57, 69000, rate=16e6, cert=3000)
    bg(14.77, "divar.ir", [], ["185.143.234.235"], 0.0168, 57, 58000, rate=16e6, cert=3400)
    f = cap.frame
    about = (f"Raw-IP capture on a PPPoE link in Iran (resolver 217.218.127.127). The A query for {name} (frame {f('rdnsqA')}) is answered with {bp} (frame {f('rdnsrA')}) "
             f"and the AAAA query with d0::11 (frame {f('rdnsrAAAA')}): RFC 1918 / bogus addresses for a public name, both known Iranian block-page addresses, while the same resolver gives public addresses for every other name. "
             f"The browser then fetches http://{name}/ from {bp} (GET frame {f('bpget')}) and gets 'HTTP/1.1 403 Forbidden' with the national iframe block page pointing at http://10.10.34.34?type=Invalid Site (frame {f('bprespdata')}): DNS redirection to a block page (DNS-05).")
    info = {"expect": [{"mechanism": "dns-tampering", "domain": name}],
            "allow": [{"mechanism": "blockpage", "domain": name}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# case 6: RES-01 residual blocking after an SNI-triggered reset (GFW, 180 s), pcapng big-endian
# ----------------------------------------------------------------------------


def case_residual(outdir):
    ifaces = [dict(link="eth", name="enp3s0", cmac=mac("b4:2e:99:0c:57:e8"), gmac=mac("50:64:2b:d7:19:a2"), tsresol=6, os="Linux 6.1.0-21-amd64")]
    cap = Cap("b10p_residual_sni_be.pcapng", epoch(2024, 5, 21, 12, 40, 17), ifaces, fmt="pcapng", endian=">",
              shb=dict(hw="AMD Ryzen 5 5600G with Radeon Graphics", os="Linux 6.1.0-21-amd64", app="Dumpcap (Wireshark) 4.0.11 (Git v4.0.11 packaged as 4.0.11-1~deb12u1)"))
    ctx = Ctx(cap, 6006, cip="192.168.31.88", cip6="2408:8207:2461:5a20:6d1e:93b4:2f0a:c51d", resolver="192.168.31.1", rttl=64, dns_rtt=0.0216, edns=None)
    rng = ctx.rng

    def bg(t, name, cn, ips, ip6s, rtt, ttl, resp, **kw):
        ta = ctx.lookup(t, name, chain(name, cn, ips, 600, 300), chain(name, cn, ip6s, 600, 300, "AAAA"), rtt=rng.uniform(0.01, 0.04))
        ip = ip6s[0] if ip6s else ips[0]
        return ctx.https(ta + rng.uniform(0.0003, 0.001), ip, name, rtt, ttl, resp=resp, profile="chrome", **kw)

    bg(0.402, "www.baidu.com", ["www.a.shifen.com"], ["110.242.68.66"], ["240e:ff:e020:9ae:0:ff:b014:8e8b"], 0.0301, 52, 91000, rate=90e6, cert=4300)
    bg(2.655, "www.bilibili.com", ["a.w.bilicdn1.com"], ["120.232.150.3"], [], 0.0219, 53, 118000, rate=90e6, cert=3100)
    name, sip = "www.nytimes.com", "151.101.1.164"
    cn = ["nytimes.map.fastly.net"]
    tl = ctx.lookup(4.913, name, chain(name, cn, [sip, "151.101.65.164", "151.101.129.164", "151.101.193.164"], 300, 30), chain(name, cn, [], 300, 30, "AAAA"), tag="ndns")
    RTT, STTL = 0.1624, 50
    # trigger: ClientHello with SNI www.nytimes.com, one forged RST (type I: flags R, IP ID 0, DF clear, window != 0)
    fl = Flow(ctx, sip, 443, RTT, STTL, sos="cdn")
    t = fl.handshake(tl + 0.0006, "t")
    ch, sid = client_hello(rng, name, ("h2", "http/1.1"), "chrome")
    t = fl.send_c(t + 0.0009, ch, "tch")
    tr = t + 0.0176
    fl.forged(tr, "R", fl.c_rcv, 0, 91, 0, False, 4133, tag="trst")
    # the server's genuine flight still arrives; the dead socket answers each segment with RST
    flight = server_flight(rng, sid, 3300)
    ts = t + RTT + 0.0011
    off = 0
    while off < len(flight):
        seg = flight[off:off + fl.seg]
        fl.s(ts, "PA" if off + len(seg) >= len(flight) else "A", seg, seq=fl.snxt + off, tag=f"tfl{off}")
        fl.stack_rst(ts + 0.00004, fl.cnxt, tag=f"tcr{off}")
        off += len(seg)
        ts += 0.00012
    t_trig = tr
    # residual: new connections to the same address and port fail at the SYN, no SNI sent at all
    res = []
    for k, dt in enumerate((1.02, 2.05, 4.2, 13.7, 37.5, 71.9)):
        g = Flow(ctx, sip, 443, RTT, STTL, sos="cdn")
        tsyn = t_trig + dt
        g.c(tsyn, "S", tag=f"r{k}syn")
        g.forged(tsyn + rng.uniform(0.0168, 0.0189), "RA", 0, g.ciss + 1, rng.choice((89, 90, 91, 92)), 0, False, 4133, tag=f"r{k}rst")
        if k % 2 == 0:  # the server's SYN/ACK races in afterwards and is refused by the client kernel
            g.c_rcv, g.s_rcv = g.siss + 1, g.ciss + 1
            g.s(tsyn + RTT, "SA", tag=f"r{k}synack")
            g.stack_rst(tsyn + RTT + 0.00004, g.ciss + 1, tag=f"r{k}crst")
        res.append(tsyn)
        if k == 3:
            # meanwhile port 80 on the same server works normally
            ctx.http(tsyn + 6.3, sip, sip, RTT, STTL, status="500 Domain Not Found", sos="cdn", tag="p80",
                     ua="curl/7.88.1",
                     headers=(("Connection", "keep-alive"), ("Content-Length", "221"), ("Server", "Varnish"), ("Retry-After", "0"), ("content-type", "text/html"), ("Cache-Control", "private, no-cache"),
                              ("X-Served-By", "cache-hkg17933-HKG"), ("Accept-Ranges", "bytes"), ("Date", "Tue, 21 May 2024 12:41:09 GMT"), ("Via", "1.1 varnish")),
                     body=b"<html>\n<head>\n<title>Fastly error: unknown domain 151.101.1.164</title>\n</head>\n<body>\n<p>Fastly error: unknown domain: 151.101.1.164. Please check that this domain has been added to a service.</p>\n<p>Details: cache-hkg17933-HKG</p></body></html>"[:221],
                     close="client")
            bg(tsyn + 9.5, "www.zhihu.com", ["www.zhihu.com.ipv6.dsa.dnsv1.com"], ["183.2.143.112"], ["240e:97c:2f:2::4c"], 0.0322, 52, 64000, rate=90e6, cert=3600)
    bg(t_trig + 88.4, "www.qq.com", ["ins-r23tsuuf.ias.tencent-cloud.net"], ["183.194.238.19"], ["240e:97c:2f:1::5c"], 0.0301, 52, 72000, rate=90e6, cert=3400)
    bg(t_trig + 131.7, "www.jd.com", ["www.jd.com.gslb.qianxun.com"], ["111.13.149.108"], ["240e:97c:2f:3::b"], 0.0278, 52, 83000, rate=90e6, cert=3300)
    # after the 180 s window the same address and port answer again (IP-literal test, no SNI)
    ctx.https(t_trig + 196.3, sip, None, RTT, STTL, resp=230, cert=3300, sos="cdn", profile="chrome", alpn=("h2", "http/1.1"), tag="late", close="client")
    f = cap.frame
    about = (f"Ethernet, China. The ClientHello with SNI {name} to {sip}:443 (frame {f('tch')}) draws one forged RST 18 ms later (frame {f('trst')}: IP ID 0, DF clear, window 4133, TTL 91 vs the server's {STTL}); "
             f"the genuine ServerHello flight still arrives (frames {f('tfl0')}..) and is refused by the client. For the next ~72 s every new connection to {sip}:443 fails at the SYN, before any SNI is sent: "
             f"SYNs {', '.join(str(f(f'r{k}syn')) for k in range(6))} each get an RST+ACK ~17 ms later (e.g. {f('r0rst')}, TTL 89-92, IP ID 0) and, where it arrives, the real SYN/ACK (e.g. {f('r0synack')}) comes one RTT later and is reset by the client. "
             f"Port 80 on the same server works meanwhile (handshake {f('p80syn')}, HTTP reply {f('p80respdata')}), and 196 s after the trigger 443 works again (SYN {f('latesyn')}, ServerHello {f('latesh' + 'data')}): GFW residual censorship keyed on (client, server, port) (RES-01).")
    info = {"expect": [{"mechanism": "residual-blocking", "domain": name}],
            "allow": [{"mechanism": "rst-injection", "domain": name}],
            "about": about}
    return cap, info


# ----------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        sys.exit(2)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for fn in CASES:
        cap, info = fn(outdir)
        cap.write(os.path.join(outdir, cap.fname))
        expect[cap.fname] = info
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=True)
        fh.write("\n")


CASES = [case_thr03, case_thr01, case_dnsinj_router, case_rst_type2, case_dns_redirect, case_residual]

if __name__ == "__main__":
    main()
