#!/usr/bin/env python3
# ruff: noqa: B905, E501, E741, I001, RUF005, RUF015, RUF100, UP031
"""Blind round 15, positive set: censorship as seen in captures taken by measurement
platforms and researchers (OONI Web Connectivity, Hyperquack echo, Satellite DNS, OONI
urlgetter QUIC vs TCP, a ZMap scan through a censored uplink and a VPN control path, a
record-and-replay throttling test).

usage: python blind15_positive.py OUTDIR      (writes 6 captures + OUTDIR/expect.json)

Every random choice is drawn from a seeded random.Random, so two runs are byte-identical."""
import ipaddress
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from generate import protect, quic_initial_keys  # noqa: E402
from scapy.all import TCP, UDP, Raw  # noqa: E402

from blind_kit import (  # noqa: E402
    Cap, Ctx, TokenBucket, chain, dns_msg, epoch, ext, html_body, mac, mk_ip,
    u16, x25519_pub,
)
from blind_kit import quic_server_hello  # noqa: E402

# ----------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------


def http_resp(status, headers, body):
    return f"HTTP/1.1 {status}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers) + b"\r\n" + body


def httpdate(ts):
    import email.utils
    return email.utils.formatdate(ts, usegmt=True)


OONI_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36"


def ooni_get(host, path="/"):
    return (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {OONI_UA}\r\n"
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            "Accept-Language: en-US;q=0.8,en;q=0.5\r\nAccept-Encoding: gzip\r\n\r\n").encode()


# ----------------------------------------------------------------------------
# QUIC v1 (RFC 9000 / 9001): Initial packet protection
# ----------------------------------------------------------------------------

def varint(n, size=None):
    if size is None:
        size = 1 if n < 64 else 2 if n < 16384 else 4 if n < 2**30 else 8
    pfx = {1: 0, 2: 0x40, 4: 0x80, 8: 0xC0}[size]
    b = n.to_bytes(size, "big")
    return bytes([b[0] | pfx]) + b[1:]


def quic_initial(odcid, dcid, scid, pn, frames, server=False, pad_to=None, pn_len=2, token=b""):
    """One protected QUIC v1 Initial packet. pad_to: pad the payload with PADDING frames
    so the packet is that many bytes long."""
    keys = quic_initial_keys(odcid)["server" if server else "client"]
    hdr0 = bytes([0xC0 | (pn_len - 1)]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(len(token)) + token
    payload = frames
    if pad_to:
        fixed = len(hdr0) + 2 + pn_len + 16
        if fixed + len(payload) < pad_to:
            payload += b"\x00" * (pad_to - fixed - len(payload))
    length = pn_len + len(payload) + 16
    hdr = hdr0 + varint(length, 2) + pn.to_bytes(pn_len, "big")
    return protect(hdr, pn, pn_len, payload, keys)


def quic_long_opaque(rng, ptype, dcid, scid, size):
    """A Handshake (ptype 2) packet whose protected payload we cannot (and need not) produce
    faithfully: header with masked low bits, then ciphertext-looking bytes."""
    hdr = bytes([0xC0 | (ptype << 4) | rng.randrange(16)]) + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    body = size - len(hdr) - 2
    return hdr + varint(body, 2) + rng.randbytes(body)


def quic_short(rng, dcid, size):
    return bytes([0x40 | rng.randrange(32)]) + dcid + rng.randbytes(size - 1 - len(dcid))


def crypto_frame(data, off=0):
    return b"\x06" + varint(off) + varint(len(data)) + data


def ack_frame(largest, delay=0, first=0):
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(first)


def quic_tp(scid):
    def tp(i, v):
        return varint(i) + varint(len(v)) + v
    return b"".join([
        tp(0x01, varint(30000)), tp(0x03, varint(1452)), tp(0x04, varint(786432)), tp(0x05, varint(524288)),
        tp(0x06, varint(524288)), tp(0x07, varint(524288)), tp(0x08, varint(100)), tp(0x09, varint(100)),
        tp(0x0e, varint(4)), tp(0x0f, scid), tp(0x0c, b""),
    ])


def quic_client_hello(rng, sni, scid):
    """A crypto/tls-style TLS 1.3 ClientHello handshake message (no record layer) for QUIC."""
    alpn = b"\x02h3"
    exts = [
        ext(0, u16(len(sni) + 3) + b"\x00" + u16(len(sni)) + sni.encode()),
        ext(10, u16(8) + b"".join(u16(x) for x in (0x1D, 0x17, 0x18, 0x19))),
        ext(13, u16(16) + b"".join(u16(x) for x in (0x0804, 0x0403, 0x0807, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601))),
        ext(16, u16(len(alpn)) + alpn),
        ext(43, b"\x02" + u16(0x0304)),
        ext(45, b"\x01\x01"),
        ext(51, u16(36) + u16(0x1D) + u16(32) + x25519_pub(rng)),
        ext(57, quic_tp(scid)),
    ]
    el = b"".join(exts)
    body = b"\x03\x03" + rng.randbytes(32) + b"\x00" + u16(6) + u16(0x1301) + u16(0x1302) + u16(0x1303) + b"\x01\x00" + u16(len(el)) + el
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


# ----------------------------------------------------------------------------
# DNS helpers
# ----------------------------------------------------------------------------


def qname_end(q):
    i = 12
    while q[i]:
        i += q[i] + 1
    return i + 1


def gfw_forged(query, ip, ttl, rd_flags=True):
    """The GFW injector's response: the query up to QNAME+QTYPE/QCLASS, flags 0x8180 (RD=1)
    or 0x8400, QD=1 AN=1 NS=0 AR=0, one A record through a pointer to the question."""
    e = qname_end(query) + 4
    rd = query[2] & 0x01
    flags = 0x8180 if rd else 0x8400
    head = query[:2] + struct.pack("!HHHHH", flags, 1, 1, 0, 0)
    return head + query[12:e] + b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, ttl, 4) + ipaddress.IPv4Address(ip).packed


# ----------------------------------------------------------------------------
# capture A: OONI Web Connectivity run in Iran, one HTTP URL answered by an injected
# 403 block page with the 10.10.34.34 iframe (HTTP-01 / DNS-05 Iran fingerprint)
# ----------------------------------------------------------------------------

IR_BLOCKPAGE = (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><title>M1-6\r\n'
                b'</title></head><body><iframe src="http://10.10.34.34?type=Invalid Site&policy=MainPolicy " style="width: 100%; height: 100%" '
                b'scrolling="no" marginwidth="0" marginheight="0" frameborder="0" vspace="0" hspace="0"></iframe></body></html>\r\n\r\n')


def cap_ooni_iran(outdir):
    fname = "ooni_webconnectivity_ir.pcapng"
    base = epoch(2023, 10, 7, 9, 41, 12)
    ifaces = [dict(link="eth", name="enp3s0", cmac=mac("54:e1:ad:3c:91:0e"), gmac=mac("c4:6e:1f:52:08:ba"), tsresol=6, os="Linux 6.1.0-13-amd64")]
    cap = Cap(fname, base, ifaces, fmt="pcapng", shb=dict(hw="x86_64", os="Linux 6.1.0-13-amd64", app="Dumpcap (Wireshark) 4.0.11"))
    ctx = Ctx(cap, 0x15A001, cip="192.168.1.34", cos="linux", cttl=64, resolver="192.168.1.1", rttl=64, dns_rtt=0.045, edns=None)
    rng = ctx.rng
    ctx.r_ipid = rng.randrange(65536)

    def look(t, name, addrs, cn=(), ttl=300, tag=None):
        return ctx.lookup(t, name, chain(name, cn, addrs, ttl, ttl), (), aaaa=True, tag=tag)

    API = "5.75.225.35"      # api.ooni.io (Hetzner, DE)
    TH = "37.218.245.117"    # 0.th.ooni.org
    th_rtt, th_ttl = 0.118, 47

    t = 1.25
    t = look(t, "api.ooni.io", [API])
    _, t = ctx.https(t + 0.002, API, "api.ooni.io", th_rtt, 49, resp=2200, cert=2900, req=310, close="client", profile="chrome", alpn=("h2", "http/1.1"))
    # check-in / open report
    _, t = ctx.https(t + rng.uniform(0.2, 0.5), API, "api.ooni.io", th_rtt, 49, resp=1400, cert=2900, req=900, close="client", profile="chrome")

    urls = [
        ("https", "www.w3.org", "/", ["128.30.52.100"], 0.151, 45, "cdn"),
        ("https", "www.python.org", "/", ["151.101.192.223"], 0.096, 57, "cdn"),
        ("http", "neverssl.com", "/", ["34.223.124.45"], 0.231, 38, "linuxsrv"),
        ("https", "www.debian.org", "/", ["130.89.148.77"], 0.104, 50, "linuxsrv"),
        ("https", "www.iana.org", "/", ["192.0.43.8"], 0.206, 42, "linuxsrv"),
        ("http", "www.balatarin.com", "/", ["185.76.9.110"], 0.128, 49, "linuxsrv"),
        ("https", "www.mozilla.org", "/en-US/", ["34.149.100.209"], 0.092, 58, "cdn"),
        ("https", "www.ietf.org", "/", ["104.16.44.99"], 0.087, 57, "cdn"),
        ("http", "www.gnu.org", "/", ["209.51.188.116"], 0.186, 44, "linuxsrv"),
        ("https", "www.apache.org", "/", ["151.101.2.132"], 0.097, 57, "cdn"),
    ]
    notes = {}
    for i, (scheme, host, path, addrs, rtt, sttl, sos) in enumerate(urls):
        t += rng.uniform(0.6, 1.4)
        tagp = f"u{i}"
        t = look(t, host, addrs, tag=tagp + "dns")
        # test helper request (control measurement)
        t_th = t + rng.uniform(0.0005, 0.002)
        _, t_th_end = ctx.https(t_th, TH, "0.th.ooni.org", th_rtt, th_ttl, resp=rng.randrange(1800, 4200), cert=2700, req=rng.randrange(380, 520),
                                close="client", profile="chrome", tag=tagp + "th")
        t0 = t_th_end + rng.uniform(0.01, 0.05)
        if host == "www.balatarin.com":
            fl = ctx.flow_class(ctx, addrs[0], 80, rtt, sttl, sos=sos)
            t1 = fl.handshake(t0, "blk")
            req = ooni_get(host, path)
            t1 = fl.send_c(t1 + rng.uniform(0.0002, 0.0008), req, "blkget")
            # the in-path box: 403 + FIN a few ms after the GET, without TCP options, from the server's address
            t_inj = t1 + 0.0061
            inj = http_resp("403 Forbidden", [("Connection", "close")], IR_BLOCKPAGE)
            ip = mk_ip(addrs[0], ctx.cip, 61, 0x7E2C, False)
            cap.add(t_inj, ip / TCP(sport=80, dport=fl.sport, seq=fl.snxt, ack=fl.cnxt, flags="FPA", window=8192) / Raw(inj), False, 0, "blkinj")
            fl.c_rcv = fl.snxt + len(inj) + 1
            ta = t_inj + 0.00004
            fl.c(ta, "A")
            fin_seq = fl.cnxt
            tf = ta + rng.uniform(0.0008, 0.002)
            fl.c(tf, "FA", tag="blkfin")
            # the filter keeps dropping this flow: the FIN is never acknowledged
            rto = 0.2 + rtt + 0.01
            k = 1
            while tf + rto * (2 ** k - 1) < tf + 45:
                fl.c(tf + rto * (2 ** k - 1), "FA", seq=fin_seq, tag=f"blkfinrtx{k}")
                k += 1
            notes["blocked"] = dict(host=host, ip=addrs[0], sttl=sttl, rtt=rtt)
            t = t1 + 0.05
        elif scheme == "http":
            if host == "www.gnu.org":
                body = b"<HTML><HEAD><TITLE>301 Moved Permanently</TITLE></HEAD><BODY><H1>Moved Permanently</H1>The document has moved <A HREF=\"https://www.gnu.org/\">here</A>.</BODY></HTML>\n"
                hd = [("Date", httpdate(base + t0)), ("Server", "Apache/2.4.29"), ("Location", "https://www.gnu.org/"), ("Content-Length", str(len(body))), ("Content-Type", "text/html; charset=iso-8859-1")]
                _, t = ctx.http(t0, addrs[0], host, rtt, sttl, path, "301 Moved Permanently", hd, body, ua=OONI_UA, sos=sos, close="client", tag=tagp)
                _, t = ctx.https(t + 0.003, addrs[0], host, rtt, sttl, resp=rng.randrange(24000, 40000), cert=3900, req=430, close="client", profile="chrome", sos=sos, tag=tagp + "s")
            else:
                body = html_body(rng, 4000, "NeverSSL - Connecting ...")
                hd = [("Date", httpdate(base + t0)), ("Server", "Apache/2.4.62 ()"), ("Upgrade", "h2,h2c"), ("Connection", "Upgrade, Keep-Alive"), ("Last-Modified", "Wed, 29 Jun 2022 00:23:33 GMT"),
                      ("ETag", '"f79-5e28b29d38e93"'), ("Accept-Ranges", "bytes"), ("Content-Length", str(len(body))), ("Keep-Alive", "timeout=5, max=100"), ("Content-Type", "text/html; charset=UTF-8")]
                _, t = ctx.http(t0, addrs[0], host, rtt, sttl, path, "200 OK", hd, body, ua=OONI_UA, sos=sos, close="client", tag=tagp)
        else:
            _, t = ctx.https(t0, addrs[0], host, rtt, sttl, resp=rng.randrange(30000, 90000), cert=rng.randrange(2600, 4200), req=rng.randrange(400, 470),
                             close="client", profile="chrome", sos=sos, tag=tagp)
        # submit the measurement
        _, t = ctx.https(t + rng.uniform(0.05, 0.2), API, "api.ooni.io", th_rtt, 49, resp=600, cert=2900, req=rng.randrange(3000, 9000), close="client", profile="chrome")
    path = os.path.join(outdir, fname)
    cap.write(path)
    b = notes["blocked"]
    fr = cap.frame
    th = fr("u5thsyn")
    note = (f"OONI Probe Web Connectivity run on an Iranian home line (10 URLs). Each URL: getaddrinfo A+AAAA at 192.168.1.1, an HTTPS control request to the test helper "
            f"0.th.ooni.org ({TH}), then the fetch, then the measurement submission to api.ooni.io. Nine URLs load normally. http://{b['host']}/: DNS is genuine, the TCP "
            f"handshake to {b['ip']}:80 completes (SYN/ACK frame {fr('blksynack')}, TTL {b['sttl']}, TCP timestamps, RTT {int(b['rtt'] * 1000)} ms; control request to the "
            f"test helper from frame {th}), the GET with Host {b['host']} is frame {fr('blkget')}, and 6 ms later (far below the RTT) frame {fr('blkinj')} arrives 'from' the "
            f"server: FIN+PSH+ACK carrying 'HTTP/1.1 403 Forbidden' whose body is the Iranian national block page (iframe to http://10.10.34.34?type=Invalid Site), "
            f"TTL 61 instead of {b['sttl']}, DF clear, no TCP options, an unrelated IP ID. The client's FIN (frame {fr('blkfin')}) is never acknowledged "
            f"(retransmissions from frame {fr('blkfinrtx1')}): the in-path filter drops the rest of the flow.")
    return fname, dict(expect=[dict(mechanism="blockpage", domain=b["host"])],
                       allow=[dict(mechanism="packet-injection", domain=b["host"])], note=note)


# ----------------------------------------------------------------------------
# capture B: Censored Planet Hyperquack-style echo measurement from a US university
# toward echo servers (TCP/7) in China; the GFW resets the requests whose Host is
# sensitive (RST-04 with type I + type II resets, RST-03 fields), the echo races in later
# ----------------------------------------------------------------------------


def cap_hyperquack(outdir):
    fname = "hyperquack_echo_cn.pcap"
    base = epoch(2022, 6, 21, 14, 3, 40)
    ifaces = [dict(link="vlan", vlan=412, pcp=0, name="ens2f0.412", cmac=mac("3c:fd:fe:a1:77:20"), gmac=mac("00:1c:73:5e:02:81"))]
    cap = Cap(fname, base, ifaces, fmt="pcap", nsec=True)
    ctx = Ctx(cap, 0x15B002, cip="141.212.121.214", cos="linux", cttl=64, resolver="141.212.120.2", rttl=63, dns_rtt=0.0009)
    rng = ctx.rng
    CTRL = "example5718349450314.com"
    SENS = "www.falundafa.org"
    servers = [
        # ip, rtt, genuine ttl, behind the GFW
        ("218.94.157.62", 0.228, 42, True),
        ("61.183.93.141", 0.246, 45, True),
        ("119.147.46.9", 0.213, 44, True),
        ("153.127.55.180", 0.141, 50, False),  # Tokyo: control vantage for the same Host
    ]
    plans = {
        0: [(CTRL, 24), ("www.mozilla.org", 29), ("www.python.org", 27), (SENS, 118), (CTRL, 26), ("www.w3.org", 31), (SENS, 112), (CTRL, 28), ("www.ietf.org", 20)],
        1: [(CTRL, 27), ("www.w3.org", 25), (SENS, 109), (CTRL, 31), ("www.ietf.org", 23), ("www.mozilla.org", 29), (CTRL, 24), ("www.python.org", 30)],
        2: [("www.ietf.org", 22), (CTRL, 30), ("www.python.org", 27), ("www.mozilla.org", 24), (SENS, 115), (CTRL, 29), ("www.w3.org", 30), (CTRL, 20)],
        3: [(CTRL, 26), (SENS, 28), ("www.mozilla.org", 24), (CTRL, 30), ("www.w3.org", 27), ("www.python.org", 25), (SENS, 31), (CTRL, 22)],
    }
    # a few routine packets around the scan: resolver lookups of the echo servers' PTRs are not
    # made; the scanner host syncs NTP once
    t_ntp = 0.4
    ntp_q = b"\x23" + b"\x00" * 39 + struct.pack("!II", base + 2208988800, 0)
    cap.add(t_ntp, mk_ip(ctx.cip, "141.212.120.20", 64, rng.randrange(65536), True) / UDP(sport=123, dport=123) / Raw(ntp_q), True)
    ntp_r = b"\x24\x02\x00\xe9" + b"\x00\x00\x00\x05\x00\x00\x00\x1a" + b"\x8d\xd4\x78\x0b" + rng.randbytes(8) + ntp_q[40:48] + rng.randbytes(16)
    cap.add(t_ntp + 0.0006, mk_ip("141.212.120.20", ctx.cip, 63, rng.randrange(65536), True) / UDP(sport=123, dport=123) / Raw(ntp_r), False)

    events = []
    for si, plan in plans.items():
        t = 1.5 + si * rng.uniform(2.0, 4.0)
        for dom, gap in plan:
            events.append((t, si, dom))
            t += gap + rng.uniform(-2.0, 2.0)
    events.sort()
    trig = []
    nsens = 0
    for t, si, dom in events:
        ip, rtt, sttl, gfw = servers[si]
        rtt_j = rtt * rng.uniform(0.99, 1.03)
        fl = ctx.flow_class(ctx, ip, 7, rtt_j, sttl, sos="linuxsrv")
        tag = f"s{si}_{dom}_{int(t)}"
        t1 = fl.handshake(t, tag)
        req = f"GET / HTTP/1.1\r\nHost: {dom}\r\n\r\n".encode()
        t1 = fl.send_c(t1 + rng.uniform(0.00005, 0.0003), req, tag + "req")
        t_echo = t1 + rtt_j
        if dom == SENS and gfw:
            nsens += 1
            k = f"rst{nsens}"
            # GFW sits ~20 ms (one-way) before the server: its resets arrive ahead of the echo
            t_r = t1 + rtt_j - rng.uniform(0.034, 0.046)
            # type I: RST, IP ID 0, DF clear, window != 0, one packet
            fl.forged(t_r, "R", fl.snxt, 0, rng.randrange(55, 119), 0, False, rng.randrange(1000, 60000), tag=k + "a")
            # type II: three RST+ACK, DF set, IP ID in the 0x00A3-0xFE5F band, same window, TTLs differ
            ttl2 = rng.randrange(150, 228)
            win2 = rng.randrange(1000, 60000)
            for j in range(3):
                fl.forged(t_r + 0.00021 + j * rng.uniform(0.00002, 0.00006), "RA", fl.snxt, fl.cnxt, ttl2 + j, rng.randrange(0xA3, 0xFE5F), True, win2, tag=k + "b%d" % j)
            # the genuine echo left the server before the GFW's reset to the server reached it
            fl.s(t_echo, "PA", req, tag=k + "echo")
            fl.stack_rst(t_echo + 0.000035, fl.cnxt, tag=k + "clrst")
            trig.append((k, ip, sttl, tag + "req"))
        else:
            fl.s(t_echo, "PA", req, tag=tag + "echo")
            fl.c_rcv = fl.snxt
            fl.s_rcv = fl.cnxt
            tc = t_echo + rng.uniform(0.0001, 0.0004)
            fl.close_client(tc, alert=False)
    path = os.path.join(outdir, fname)
    cap.write(path)
    fr = cap.frame
    parts = []
    for k, ip, sttl, rq in trig:
        parts.append(f"{ip}: request frame {fr(rq)}, SYN/ACK TTL {sttl}, forged RSTs {fr(k + 'a')},{fr(k + 'b0')}-{fr(k + 'b2')}, late genuine echo {fr(k + 'echo')}")
    note = (f"Hyperquack-style echo scan from 141.212.121.214 (VLAN 412): each request is a fresh TCP connection to port 7 carrying 'GET / HTTP/1.1\\r\\nHost: <domain>' "
            f"(control domain {CTRL} plus test domains). Echo servers 218.94.157.62, 61.183.93.141, 119.147.46.9 are in China, 153.127.55.180 in Japan. "
            f"Innocuous and control Hosts are echoed back byte for byte by every server. Every request with Host {SENS} to a Chinese server is answered ~40 ms "
            f"before the RTT by a GFW reset set: one RST (IP ID 0, DF clear, window != 0, TTL unlike the server's) and three RST+ACK (DF set, random IP ID, equal "
            f"window, consecutive TTLs 150-230) while the server's own packets carry TTL 42-45; the genuine echo then arrives and the client's kernel answers with its "
            f"own RST (race: data after RST). Key frames: " + "; ".join(parts) + ". The same Host to the Japanese server is echoed normally. Later controls to the same "
            "servers (more than 90 s after each trigger) are echoed normally.")
    return fname, dict(expect=[dict(mechanism="rst-injection", domain=SENS)], allow=[], note=note)


# ----------------------------------------------------------------------------
# capture C: Satellite-style DNS measurement from a US vantage point: the same names asked
# of open resolvers in China and of two control resolvers; queries for the censored name
# that cross the GFW draw forged answers (DNS-01/02/03) racing the resolvers' own replies
# ----------------------------------------------------------------------------

POOL_A = ["31.13.94.41", "157.240.12.5", "108.160.166.9", "199.59.148.97", "104.244.46.85", "128.242.240.61", "69.171.229.73", "31.13.82.23",
          "108.160.170.41", "199.96.58.85", "162.125.6.1", "202.160.128.205", "69.63.176.59", "157.240.20.8", "104.244.43.104", "199.16.156.71",
          "31.13.85.8", "108.160.165.48", "157.240.7.20", "128.121.146.235"]


def cap_satellite(outdir):
    fname = "satellite_dns_cn.pcapng"
    base = epoch(2021, 9, 16, 3, 12, 44)
    ifaces = [dict(link="sll2", name="eno1", ifindex=2, cmac=mac("b8:ca:3a:6e:41:9c"), gmac=mac("00:00:0c:9f:f0:7b"), tsresol=9, os="Linux 5.4.0-84-generic")]
    cap = Cap(fname, base, ifaces, fmt="pcapng", shb=dict(hw="Intel(R) Xeon(R) Silver 4114", os="Linux 5.4.0-84-generic", app="tcpdump (libpcap 1.9.1)"))
    rng = random.Random(0x15C003)
    cip = "141.212.123.71"
    SENS = "www.nytimes.com"
    ctrl_res = [("1.1.1.1", 0.0041, 58, "rand"), ("8.8.8.8", 0.0093, 121, "rand")]
    cn_res = [
        # ip, rtt, ttl, answers at all
        ("202.101.224.68", 0.231, 47, True), ("218.2.135.1", 0.224, 45, True), ("61.139.2.69", 0.262, 43, True),
        ("221.228.255.1", 0.227, 46, True), ("222.88.88.88", 0.249, 44, True), ("60.191.134.196", 0.239, 45, True),
        ("116.228.111.118", 0.219, 48, False), ("59.51.78.210", 0.257, 43, False),
    ]
    border_rtt = 0.1572
    fastly_nyt = ["151.101.1.164", "151.101.65.164", "151.101.129.164", "151.101.193.164"]
    fastly_py = ["151.101.0.223", "151.101.64.223", "151.101.128.223", "151.101.192.223"]
    apple_cn = ["23.62.98.164", "104.87.83.166"]
    apple_us = ["23.50.112.83"]
    apple_chain = ["www.apple.com.edgekey.net", "www.apple.com.edgekey.net.globalredir.akadns.net", "e6858.dscx.akamaiedge.net"]

    def answers(name, cn, avoid=()):
        if name == "www.example.com":
            return chain(name, [], ["93.184.215.14"], 0, rng.randrange(3000, 86400))
        if name == "www.python.org":
            return chain(name, ["dualstack.python.map.fastly.net"], rng.sample(fastly_py, 2), rng.randrange(600, 3600), rng.randrange(5, 60))
        if name == "www.apple.com":
            return chain(name, apple_chain, apple_cn if cn else apple_us, rng.randrange(100, 300), 20)
        if name == SENS:
            if cn:  # the resolver's cache was itself poisoned when it resolved the name across the border
                return [(name, "A", rng.randrange(20, 200), rng.choice([p for p in POOL_A if p not in avoid]))]
            return chain(name, ["nytimes.map.fastly.net"], rng.sample(fastly_nyt, 4), rng.randrange(30, 120), rng.randrange(5, 30))
        raise KeyError(name)

    ipid_res = {}
    cyc = [rng.randrange(len(POOL_A))]
    key = {}
    t = 0.8

    def query(t, rip, name, tag):
        sport = rng.randrange(32768, 61000)
        txid = rng.randrange(65536)
        q = dns_msg(txid, 0x0100, name, "A", edns=1232)
        cap.add(t, mk_ip(cip, rip, 64, rng.randrange(65536), True) / UDP(sport=sport, dport=53) / Raw(q), True, 0, tag + "q")
        return sport, txid, q

    def reply(ta, rip, rttl, sport, txid, name, ans, tag, redns=1232):
        r = dns_msg(txid, 0x8180, name, "A", ans, edns=redns)
        if rip not in ipid_res:
            ipid_res[rip] = rng.randrange(65536)
        ipid_res[rip] = (ipid_res[rip] + rng.randrange(1, 40)) & 0xFFFF
        ipid = rng.randrange(65536) if rip in ("1.1.1.1", "8.8.8.8") else ipid_res[rip]
        cap.add(ta, mk_ip(rip, cip, rttl, ipid, rip in ("1.1.1.1", "8.8.8.8")) / UDP(sport=53, dport=sport) / Raw(r), False, 0, tag + "r")

    names = ["www.example.com", SENS, "www.python.org", "www.apple.com"]
    # control resolvers first
    for n in names:
        for rip, rtt, rttl, _ in ctrl_res:
            tag = f"c_{rip}_{n}"
            sport, txid, q = query(t, rip, n, tag)
            reply(t + rtt * rng.uniform(0.97, 1.2) + (0.012 if n == SENS else 0.0), rip, rttl, sport, txid, n, answers(n, False), tag, redns=1232 if rip == "1.1.1.1" else 512)
            t += rng.uniform(0.004, 0.02)
    t += 1.3
    order = list(range(len(cn_res)))
    rng.shuffle(order)
    for ri in order:
        rip, rtt, rttl, live = cn_res[ri]
        seq = ["www.example.com"] + rng.sample(names[1:], 3) + ["www.example.com"]
        for j, n in enumerate(seq):
            tag = f"r_{rip}_{n}_{j}"
            sport, txid, q = query(t, rip, n, tag)
            if n == SENS:
                # injector A: random IP TTL and IP ID, DF clear; injector B (cyclic pool, mirrors the probe's TTL): DF set
                ta = t + border_rtt * rng.uniform(0.995, 1.01)
                ipa = rng.choice(POOL_A)
                f1 = gfw_forged(q, ipa, rng.randrange(60, 300))
                cap.add(ta, mk_ip(rip, cip, rng.randrange(30, 250), rng.randrange(65536), False) / UDP(sport=53, dport=sport) / Raw(f1), False, 0, tag + "injA")
                ipb = POOL_A[cyc[0] % len(POOL_A)]
                cyc[0] += 1
                f2 = gfw_forged(q, ipb, 234)
                cap.add(ta + rng.uniform(0.0002, 0.0011), mk_ip(rip, cip, 50, rng.randrange(65536), True) / UDP(sport=53, dport=sport) / Raw(f2), False, 0, tag + "injB")
                key.setdefault(rip, tag)
            if live:
                reply(t + rtt * rng.uniform(0.99, 1.04) + rng.uniform(0.0005, 0.004), rip, rttl, sport, txid, n,
                      answers(n, True, (ipa, ipb) if n == SENS else ()), tag,
                      redns=4096 if ri % 2 else 1232)
            t += rng.uniform(0.03, 0.09)
        t += rng.uniform(0.2, 0.6)
    path = os.path.join(outdir, fname)
    cap.write(path)
    fr = cap.frame
    live_ip = [r[0] for r in cn_res if r[3]][0]
    dead_ips = [r[0] for r in cn_res if not r[3]]
    dead_ip = dead_ips[0]
    kl, kd = key[live_ip], key[dead_ip]
    note = (f"Satellite-style scan from {cip} (Linux cooked v2): A queries (RD=1, EDNS0 1232) for www.example.com, {SENS}, www.python.org and www.apple.com, first to the "
            f"control resolvers 1.1.1.1 and 8.8.8.8 (answers: {SENS} -> CNAME nytimes.map.fastly.net, 151.101.x.164), then to eight addresses in China, each sandwiched "
            f"between two www.example.com control queries. Every {SENS} query to a Chinese address draws two answers ~157 ms after the query, well before that resolver's "
            f"own RTT (220-260 ms, seen on its control queries): single A records to unrelated Facebook/Twitter/Dropbox-space addresses, built the GFW way (flags 0x8180, AN=1, "
            f"AR=0 although the query carried OPT, answer via pointer c00c), one with random IP TTL and DF clear, one with a fixed IP TTL 50, DF set and DNS TTL 234 walking "
            f"a pool in order. The live resolvers' own replies follow later with a different address (their caches are poisoned too). E.g. {live_ip}: query frame "
            f"{fr(kl + 'q')}, forged answers {fr(kl + 'injA')} and {fr(kl + 'injB')}, resolver reply {fr(kl + 'r')}. {' and '.join(dead_ips)} no longer run a "
            f"resolver (their control queries get no reply) yet the {SENS} query to {dead_ip} (frame {fr(kd + 'q')}) is answered by frames {fr(kd + 'injA')} and "
            f"{fr(kd + 'injB')}. Other names (example.com, python.org) agree with the controls; www.apple.com differs only by Akamai edge address (same CNAME chain): "
            f"geo-CDN, not tampering.")
    return fname, dict(expect=[dict(mechanism="dns-injection", domain=SENS)], allow=[dict(mechanism="dns-tampering", domain=SENS)], note=note)


# ----------------------------------------------------------------------------
# capture D: OONI urlgetter-style HTTP/3 vs HTTPS reachability test on a Russian mobile
# line (2022): QUIC Initials (SNI cloudflare-quic.com) are never answered, TCP/TLS to the
# same addresses with the same SNI works, QUIC to a domestic site works (QUIC-02)
# ----------------------------------------------------------------------------


class QuicClient:
    """quic-go-like client side on one UDP socket."""

    def __init__(self, ctx, sip, sni, sport=None, iface=0):
        self.ctx, self.cap, self.rng = ctx, ctx.cap, ctx.rng
        self.sip, self.sni, self.iface = sip, sni, iface
        self.v6 = ":" in sip
        self.cip = ctx.cip6 if self.v6 else ctx.cip
        self.sport = sport or ctx.port()
        self.odcid = self.rng.randbytes(self.rng.randrange(8, 21))
        self.scid = self.rng.randbytes(4)
        self.ch = quic_client_hello(self.rng, sni, self.scid)
        self.pn = 0
        self.size = 1232 if self.v6 else 1252
        self.ipid = self.rng.randrange(65536)
        self.fl = self.rng.getrandbits(20)

    def send(self, t, payload, tag=None):
        ip = mk_ip(self.cip, self.sip, self.ctx.cttl, self.ipid, True, self.fl)
        self.ipid = (self.ipid + 1) & 0xFFFF
        self.cap.add(t, ip / UDP(sport=self.sport, dport=443) / Raw(payload), True, self.iface, tag)

    def initial(self, t, tag=None):
        pkt = quic_initial(self.odcid, self.odcid, self.scid, self.pn, crypto_frame(self.ch), pad_to=self.size)
        self.pn += 1
        self.send(t, pkt, tag)


def cap_quic_ru(outdir):
    fname = "urlgetter_quic_ru.pcap"
    base = epoch(2022, 3, 14, 11, 26, 9)
    ifaces = [dict(link="raw", name="wwan0")]
    cap = Cap(fname, base, ifaces, fmt="pcap", endian=">", nsec=False)
    ctx = Ctx(cap, 0x15D004, cip="10.197.44.83", cip6="2a00:1fa0:46c2:9d1e:58b3:7f1:c2e0:4a19", cos="linux", cttl=64, mss4=1460, mss6=1440,
              resolver="213.87.0.1", rttl=59, dns_rtt=0.041)
    rng = ctx.rng
    SNI = "cloudflare-quic.com"
    CF6 = ["2606:4700:10::6816:1eb", "2606:4700:10::ac43:30c"]
    CF4 = ["104.22.1.235", "172.67.3.12"]
    YA4 = "77.88.55.88"
    cf_rtt, cf_ttl = 0.052, 57
    keys = {}

    def blocked_quic(t, sip, k):
        qc = QuicClient(ctx, sip, SNI)
        for j, dt in enumerate((0.0, 0.3, 0.9, 2.1, 4.5)):
            qc.initial(t + dt, tag=f"{k}i{j}")
        keys[k] = (sip, qc.sport)
        return t + 5.0 + rng.uniform(0.0005, 0.002)

    def good_quic(t, sip, sni, rtt, sttl, k, resp=24000):
        qc = QuicClient(ctx, sip, sni)
        qc.initial(t, tag=k + "i0")
        scid_s = rng.randbytes(8)
        s_ipid = [rng.randrange(65536)]

        def srv(ts, payload, tag=None):
            ip = mk_ip(sip, qc.cip, sttl, s_ipid[0], True, 0)
            s_ipid[0] = (s_ipid[0] + 1) & 0xFFFF
            cap.add(ts, ip / UDP(sport=443, dport=qc.sport) / Raw(payload), False, 0, tag)

        ta = t + rtt
        sinit = quic_initial(qc.odcid, qc.scid, scid_s, 0, ack_frame(0, 0) + crypto_frame(quic_server_hello(rng)), server=True, pn_len=2)
        srv(ta, sinit + quic_long_opaque(rng, 2, qc.scid, scid_s, 1252 - len(sinit)), k + "sinit")
        srv(ta + 0.00021, quic_long_opaque(rng, 2, qc.scid, scid_s, 1252), k + "shs2")
        srv(ta + 0.00043, quic_long_opaque(rng, 2, qc.scid, scid_s, 731) + quic_short(rng, qc.scid, 212), k + "shs3")
        tc = ta + 0.00043 + rng.uniform(0.0008, 0.0019)
        hs = quic_long_opaque(rng, 2, scid_s, qc.scid, 96)
        cinit = quic_initial(qc.odcid, scid_s, qc.scid, qc.pn, ack_frame(0, 3), pn_len=2, pad_to=qc.size - len(hs))
        qc.pn += 1
        qc.send(tc, cinit + hs, k + "cfin")
        qc.send(tc + 0.00011, quic_short(rng, scid_s, 61))
        qc.send(tc + 0.00019, quic_short(rng, scid_s, 112), k + "creq")
        ts = tc + rtt + rng.uniform(0.002, 0.012)
        srv(ts, quic_short(rng, qc.scid, 301))  # HANDSHAKE_DONE, NEW_TOKEN, tickets
        left = resp
        n = 0
        while left > 0:
            sz = min(1252, left + 40)
            srv(ts + 0.0004 + n * 0.00012, quic_short(rng, qc.scid, sz), k + "sdata" if n == 0 else None)
            left -= sz - 40
            n += 1
            if n % 2 == 0:
                qc.send(ts + 0.0004 + n * 0.00012 + 0.00005, quic_short(rng, scid_s, 44))
        te = ts + 0.0004 + n * 0.00012 + 0.02
        qc.send(te, quic_short(rng, scid_s, 44))
        tcl = te + rng.uniform(0.05, 0.2)
        qc.send(tcl, quic_short(rng, scid_s, 47), k + "close")  # CONNECTION_CLOSE
        keys[k] = (sip, qc.sport)
        return tcl

    t = 0.6
    t = ctx.lookup(t, SNI, chain(SNI, [], CF4, 300, 300), chain(SNI, [], CF6, 300, 300, "AAAA"), tag="dnscf")
    t = ctx.lookup(t + 0.01, "yandex.ru", chain("yandex.ru", [], [YA4, "5.255.255.88", "77.88.44.55"], 600, 600),
                   chain("yandex.ru", [], ["2a02:6b8:a::a"], 600, 600, "AAAA"), tag="dnsya")
    # 1) HTTP/3 to cloudflare-quic.com over IPv6: no answer to five Initials
    t = blocked_quic(t + 0.35, CF6[0], "q1")
    # 2) the same URL over TCP+TLS to the same address: works
    _, t = ctx.https(t + 0.4, CF6[0], SNI, cf_rtt, cf_ttl, resp=rng.randrange(16000, 22000), cert=2400, req=380, close="client", profile="chrome", sos="cdn", tag="t1")
    # 3) HTTP/3 to a domestic site: works
    t = good_quic(t + 1.1, YA4, "yandex.ru", 0.0118, 58, "qy")
    # 4) HTTP/3 to cloudflare-quic.com over IPv4: no answer
    t = blocked_quic(t + 1.3, CF4[0], "q2")
    # 5) HTTPS over TCP to the same IPv4 address: works
    _, t = ctx.https(t + 0.4, CF4[0], SNI, cf_rtt * 0.96, cf_ttl, resp=rng.randrange(16000, 22000), cert=2400, req=380, close="client", profile="chrome", sos="cdn", tag="t2")
    # 6) second HTTP/3 repetition over IPv6 from a new socket: still no answer
    t = blocked_quic(t + 6.0, CF6[0], "q3")
    path = os.path.join(outdir, fname)
    cap.write(path)
    fr = cap.frame
    note = (f"OONI urlgetter-style test on a Russian LTE line (raw-IP wwan0, IPv4 CGNAT + IPv6), March 2022. {SNI} resolves to {', '.join(CF4)} and {', '.join(CF6)}. HTTP/3: the quic-go "
            f"client sends a 1232/1252-byte QUIC v1 Initial (SNI {SNI}, ALPN h3) to [{CF6[0]}]:443 (frame {fr('q1i0')}) and re-sends it on PTO at +0.3/0.9/2.1/4.5 s "
            f"(frames {fr('q1i1')}-{fr('q1i4')}); nothing ever comes back. Right after, HTTPS over TCP to the same address with the same SNI succeeds (SYN/ACK frame "
            f"{fr('t1synack')}, ClientHello {fr('t1ch')}, ServerHello {fr('t1shdata')}). QUIC to the domestic yandex.ru ({YA4}) completes (server Initial frame "
            f"{fr('qysinit')}), so UDP/443 works on this line. The same pattern repeats on IPv4: QUIC Initials to {CF4[0]} frames {fr('q2i0')}-{fr('q2i4')} unanswered, "
            f"TCP/TLS to {CF4[0]} works (SYN/ACK {fr('t2synack')}, ServerHello {fr('t2shdata')}); a last HTTP/3 attempt over IPv6 from a new port (frames "
            f"{fr('q3i0')}-{fr('q3i4')}) is again unanswered: QUIC to this name is blackholed while the server answers over TCP.")
    return fname, dict(expect=[dict(mechanism="blackhole", domain=SNI)], allow=[], note=note)


# ----------------------------------------------------------------------------
# capture E: a researcher's vantage point in Russia (April 2018, Telegram IP blocking):
# ZMap SYN probes and OONI-telegram-style connects to Telegram addresses over the ISP
# uplink (eth0) get nothing back, while the same addresses answer through an OpenVPN
# tunnel (tun0) in the same capture, and unrelated addresses answer on eth0 (IP-01)
# ----------------------------------------------------------------------------


class VpnCap(Cap):
    """Every packet on the tunnel interface (1) also appears on eth0 (0) as an OpenVPN
    P_DATA_V2 datagram (AES-256-GCM: opcode/key id, peer id, packet id, tag, ciphertext).
    Outer datagrams are numbered (packet id, IP ID) in time order when the capture is sorted."""

    def setup_vpn(self, rng, cip, vip, sport, vttl):
        self.vrng, self.vcip, self.vip, self.vsport, self.vttl = rng, cip, vip, sport, vttl
        self.vpid = [rng.randrange(1, 4000), rng.randrange(1, 4000)]
        self.vipid = [rng.randrange(65536), rng.randrange(65536)]
        self.vpending = []

    def vpn_dgram(self, t, inner_len, out):
        self.vpending.append((t + 0.000031 if out else t - 0.000044, len(self.vpending), inner_len, out))

    def _flush_vpn(self):
        pend, self.vpending = sorted(self.vpending), []
        for t, _, inner_len, out in pend:
            d = 0 if out else 1
            self.vpid[d] += 1
            payload = b"\x48\x00\x00\x03" + struct.pack("!I", self.vpid[d]) + self.vrng.randbytes(16 + inner_len)
            self.vipid[d] = (self.vipid[d] + 1) & 0xFFFF
            if out:
                p = mk_ip(self.vcip, self.vip, 64, self.vipid[d], True) / UDP(sport=self.vsport, dport=1194) / Raw(payload)
            else:
                p = mk_ip(self.vip, self.vcip, self.vttl, self.vipid[d], True) / UDP(sport=1194, dport=self.vsport) / Raw(payload)
            Cap.add(self, t, p, out, 0)

    def sorted(self):
        if getattr(self, "vpending", None):
            self._flush_vpn()
        return Cap.sorted(self)

    def add(self, t, pkt, out, iface=0, tag=None):
        Cap.add(self, t, pkt, out, iface, tag)
        if iface == 1:
            self.vpn_dgram(t, len(self.recs[-1][3]), out)


def zmap_probe(cap, t, src, dst, sport, seq, iface, tag=None):
    p = mk_ip(src, dst, 255, 54321, False) / TCP(sport=sport, dport=443, seq=seq, flags="S", window=65535, options=[("MSS", 1460)])
    cap.add(t, p, True, iface, tag)


def cap_ipblock_ru(outdir):
    fname = "zmap_vpn_telegram_ru.pcapng"
    base = epoch(2018, 4, 17, 16, 48, 3)
    ifaces = [dict(link="eth", name="eth0", cmac=mac("f4:4d:30:6b:12:a5"), gmac=mac("e4:8d:8c:27:3f:90"), tsresol=6, os="Linux 4.15.0-20-generic"),
              dict(link="raw", name="tun0", tsresol=6)]
    cap = VpnCap(fname, base, ifaces, fmt="pcapng", endian=">", shb=dict(hw="x86_64", os="Linux 4.15.0-20-generic", app="Dumpcap (Wireshark) 2.4.5 (Git v2.4.5 packaged as 2.4.5-1)"))
    rng = random.Random(0x15E005)
    VPN = "95.179.141.22"
    ce = Ctx(cap, 0x15E105, cip="192.168.88.247", cos="linux", cttl=64, resolver="192.168.88.1", rttl=64, dns_rtt=0.006, iface=0)
    ct = Ctx(cap, 0x15E205, cip="10.8.0.6", cos="linux", cttl=64, resolver="10.8.0.1", rttl=64, dns_rtt=0.047, iface=1)
    ct.used = ce.used
    cap.setup_vpn(rng, ce.cip, VPN, 41873, 53)
    ce.used.add(41873)
    # Telegram addresses (blocked) and unrelated addresses (controls): (ip, rtt via eth0, ttl via eth0, rtt via tun0, ttl via tun0)
    tg = [("149.154.175.50", None, None, 0.151, 49), ("149.154.167.51", None, None, 0.047, 57), ("149.154.175.100", None, None, 0.149, 49),
          ("149.154.167.91", None, None, 0.048, 57), ("149.154.171.5", None, None, 0.212, 50), ("149.154.167.99", None, None, 0.046, 57)]
    ctl = [("87.250.250.242", 0.0071, 56, 0.062, 52), ("91.198.174.192", 0.0413, 53, 0.049, 58), ("217.69.139.200", 0.0064, 55, 0.063, 50),
           ("5.255.255.50", 0.0092, 55, 0.066, 51), ("95.213.11.180", 0.0158, 56, 0.071, 52), ("178.154.131.216", 0.0088, 56, 0.064, 51)]
    blocked = [x[0] for x in tg]
    targets = tg + ctl

    # OpenVPN keepalive pings (P_DATA carrying the 16-byte ping magic) every 10 s
    for k in range(7):
        tp = 0.2 + 10 * k + rng.uniform(0, 0.05)
        cap.vpn_dgram(tp, 16, True)
        cap.vpn_dgram(tp + 0.046 + 0.000044, 16, False)

    t = 1.0
    t = ce.lookup(t, "web.telegram.org", chain("web.telegram.org", [], ["149.154.167.99"], 300, 300), (), aaaa=True, tag="dnse")
    t = ct.lookup(t + 0.3, "web.telegram.org", chain("web.telegram.org", [], ["149.154.167.99"], 300, 300), (), aaaa=True, tag="dnst")

    def zscan(t0, iface, cip, key):
        order = list(targets)
        rng.shuffle(order)
        tt = t0
        for probe in range(2):
            for ip, rtt_e, ttl_e, rtt_t, ttl_t in order:
                sport = rng.randrange(40000, 60000)
                seq = rng.getrandbits(32)
                zmap_probe(cap, tt, cip, ip, sport, seq, iface, tag=f"{key}_{ip}_{probe}")
                rtt, ttl = (rtt_e, ttl_e) if iface == 0 else (rtt_t, ttl_t)
                if rtt is not None:
                    ta = tt + rtt * rng.uniform(0.98, 1.05)
                    siss = rng.getrandbits(32)
                    p = mk_ip(ip, cip, ttl, rng.randrange(65536) if iface else 0, True) / TCP(sport=443, dport=sport, seq=siss, ack=(seq + 1) & 0xFFFFFFFF, flags="SA",
                                                                                            window=rng.choice((29200, 28960, 65535, 14600)), options=[("MSS", 1460)])
                    cap.add(ta, p, False, iface, f"{key}_{ip}_{probe}sa")
                    cap.add(ta + 0.000028, mk_ip(cip, ip, 64, 0, True) / TCP(sport=sport, dport=443, seq=(seq + 1) & 0xFFFFFFFF, flags="R", window=0), True, iface)
                tt += 0.01  # --rate 100
        return tt + 8.0  # cooldown

    t = zscan(t + 2.0, 0, ce.cip, "ze")
    t = zscan(t + 3.0, 1, ct.cip, "zt")

    # OONI telegram-style connects: every DC on 443 and 80 in parallel, then web.telegram.org over HTTPS
    def connect_fail(ctx, t0, ip, port, tag):
        fl = ctx.flow_class(ctx, ip, port, 0.05, 50)
        fl.c(t0, "S", tag=tag + "syn0")
        for j, dt in enumerate((1.0, 3.0, 7.0), 1):
            fl.c(t0 + dt + rng.uniform(0.0002, 0.004), "S", seq=fl.ciss, tag=f"{tag}syn{j}")

    t += 2.0
    dcs = blocked[:5]
    for ip in dcs:
        for port in (443, 80):
            connect_fail(ce, t + rng.uniform(0, 0.004), ip, port, f"oe_{ip}_{port}")
    connect_fail(ce, t + 0.0051, "149.154.167.99", 443, "oe_web")
    t += 10.5
    # through the tunnel: all connect, web.telegram.org loads
    info = {x[0]: x for x in targets}
    for ip in dcs:
        for port in (443, 80):
            fl = ct.flow_class(ct, ip, port, info[ip][3], info[ip][4], sos="linuxsrv")
            t1 = fl.handshake(t + rng.uniform(0, 0.004), f"ot_{ip}_{port}")
            fl.close_client(t1 + rng.uniform(0.001, 0.003), alert=False)
    t += 1.2
    _, t = ct.https(t, "149.154.167.99", "web.telegram.org", info["149.154.167.99"][3], info["149.154.167.99"][4], resp=rng.randrange(9000, 14000), cert=3300, req=410,
                    close="client", profile="chrome", sos="linuxsrv", tag="ow")
    t += 0.5
    _, t = ce.https(t, "87.250.250.242", "ya.ru", 0.0071, 56, resp=rng.randrange(30000, 60000), cert=3000, req=400, close="client", profile="chrome", sos="linuxsrv", tag="ya")
    path = os.path.join(outdir, fname)
    cap.write(path)
    fr = cap.frame
    note = (f"Researcher host on a Russian home line, 17 April 2018, with two interfaces in one pcapng: eth0 (ISP uplink behind 192.168.88.1) and tun0 (OpenVPN to {VPN}, "
            f"whose encrypted UDP/1194 datagrams are also visible on eth0). web.telegram.org resolves to 149.154.167.99 on both paths (frames {fr('dnserA')}, {fr('dnstrA')}). "
            f"A ZMap SYN scan (IP ID 54321, TTL 255, two probes per address) of 6 Telegram addresses ({', '.join(blocked)}) and 6 unrelated Russian/European addresses "
            f"on port 443 via eth0 gets SYN/ACKs only from the unrelated ones; the same scan via tun0 gets SYN/ACKs from all 12 (e.g. 149.154.167.51: eth0 probes "
            f"{fr('ze_149.154.167.51_0')}/{fr('ze_149.154.167.51_1')} unanswered, tun0 probe {fr('zt_149.154.167.51_0')} answered by {fr('zt_149.154.167.51_0sa')}). "
            f"Then OONI-telegram-style connects over eth0 to the five DCs on 443 and 80 and to web.telegram.org:443 send SYNs retransmitted at 1/3/7 s without any answer "
            f"(web.telegram.org: frames {', '.join(str(fr(f'oe_websyn{j}')) for j in range(4))}), while the same connects through tun0 complete and web.telegram.org loads over TLS (SYN/ACK "
            f"{fr('owsynack')}, ServerHello {fr('owshdata')}); ya.ru over eth0 also loads. The Telegram addresses are silently dropped on the ISP path.")
    exp = [dict(mechanism="blackhole", ip=ip) for ip in blocked]
    return fname, dict(expect=exp, allow=[], note=note)


# ----------------------------------------------------------------------------
# capture F: record-and-replay throttling test from a Russian home line (March 2021):
# the same recorded TLS session replayed to the researchers' server, once with the SNI
# scrambled (control) and with SNI abs.twimg.com; the Twitter-SNI replays are policed to
# ~130-150 kbit/s by dropping, the controls run at line rate (THR-01)
# ----------------------------------------------------------------------------


def cap_throttle_ru(outdir):
    fname = "replay_throttling_ru.pcap"
    base = epoch(2021, 3, 12, 14, 20, 51)
    ifaces = [dict(link="eth", name="enp0s31f6", cmac=mac("8c:16:45:d2:3a:7e"), gmac=mac("50:ff:20:1c:c4:02"))]
    cap = Cap(fname, base, ifaces, fmt="pcap", nsec=False)
    ctx = Ctx(cap, 0x15F006, cip="192.168.0.105", cos="linux", cttl=64, resolver="192.168.0.1", rttl=64, dns_rtt=0.0071)
    rng = ctx.rng
    SRV, srtt, sttl = "168.119.94.23", 0.0462, 52
    SNI = "abs.twimg.com"
    size = 400000
    scr = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3)) + "." + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5)) + ".com"
    res = {}
    t = 0.9
    t = ctx.lookup(t, "ntp.ubuntu.com", chain("ntp.ubuntu.com", [], ["91.189.91.157", "91.189.94.4"], 60, 60), (), aaaa=True)
    nq = b"\x23" + b"\x00" * 39 + struct.pack("!II", base + 2208988800 + 1, rng.getrandbits(32))
    cap.add(t + 0.001, mk_ip(ctx.cip, "91.189.91.157", 64, rng.randrange(65536), True) / UDP(sport=rng.randrange(40000, 60000), dport=123) / Raw(nq), True)
    t += 1.5
    runs = [("ctl1", scr, None), ("thr1", SNI, TokenBucket(150e3, 10000)), ("ctl2", scr, None), ("thr2", SNI, TokenBucket(150e3, 10000))]
    for k, sni, drop in runs:
        fl, t_end = ctx.https(t, SRV, sni, srtt * rng.uniform(0.98, 1.04), sttl, resp=size, rate=42e6, drop=drop, cert=3100, req=460, think=0.004,
                              close="client", profile="chrome", sos="linuxsrv", tag=k)
        res[k] = (fl, t, t_end)
        t = t_end + rng.uniform(4.0, 6.0)
        if k == "ctl2":  # unrelated background traffic of the host between runs
            _, t = ctx.https(t, "87.250.250.242", "ya.ru", 0.0068, 57, resp=rng.randrange(40000, 60000), cert=2900, req=420, close="client", profile="chrome")
            t += 2.0
    path = os.path.join(outdir, fname)
    cap.write(path)
    fr = cap.frame

    def rate(k):
        fl, _, _ = res[k]
        t0 = cap.sorted()[fr(k + "respdata") - 1][0] / 1e9 - base
        return size * 8 / (fl.done_t - t0) / 1e3, fl.done_t - t0

    r = {k: rate(k) for k in res}
    nrtx = {k: len(cap.frames(k + "resprtx")) for k in res}
    note = (f"Throttling replay test on a Russian home line (12 March 2021). The researchers' replay client replays one recorded HTTPS download (~{size // 1000} kB) to "
            f"their own server {SRV} four times over fresh TCP connections, changing only the ClientHello SNI: control runs use the scrambled name '{scr}', test runs "
            f"use '{SNI}'. Controls: ClientHello frames {fr('ctl1ch')} and {fr('ctl2ch')}, transfer in {r['ctl1'][1]:.2f} s / {r['ctl2'][1]:.2f} s "
            f"(~{r['ctl1'][0] / 1000:.0f} / {r['ctl2'][0] / 1000:.0f} Mbit/s), no retransmissions. Test runs: ClientHello frames {fr('thr1ch')} and {fr('thr2ch')} "
            f"(SNI {SNI}); the same server, same RTT (~46 ms), same bytes arrive at {r['thr1'][0]:.0f} / {r['thr2'][0]:.0f} kbit/s over {r['thr1'][1]:.1f} s / "
            f"{r['thr2'][1]:.1f} s: past the first ~10 kB (the policer's burst) server segments are dropped every few packets, so the client sends SACK "
            f"duplicate ACKs and the server retransmits throughout (first retransmission frame {fr('thr1resprtx1')}, {nrtx['thr1']} / {nrtx['thr2']} segments "
            f"needed a retransmission). The flow is policed by dropping to ~130-150 kbit/s in the server-to-client direction; the only difference between the "
            f"runs is the SNI.")
    return fname, dict(expect=[dict(mechanism="throttling", domain=SNI)], allow=[], note=note)


CAPTURES = [cap_ooni_iran, cap_hyperquack, cap_satellite, cap_quic_ru, cap_ipblock_ru, cap_throttle_ru]


def main():
    if len(sys.argv) != 2:
        print("usage: python blind15_positive.py OUTDIR", file=sys.stderr)
        sys.exit(2)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    expect = {}
    for fn in CAPTURES:
        name, e = fn(outdir)
        expect[name] = e
    with open(os.path.join(outdir, "expect.json"), "w") as fh:
        json.dump(expect, fh, indent=2, sort_keys=False)
        fh.write("\n")


if __name__ == "__main__":
    main()
