"""Protocol events end to end: small captures built here, run through ``analyzer.analyze``.

Covers DNS transactions (several responses, unmatched messages, TCP framing), TLS handshake
outcomes with their frames and delays, HTTP pipelining / CONNECT / body prefix, QUIC Initials
(RFC 9001 vectors, unknown versions), hostile input, the memo fast paths (same events with and
without), and the JSON tables against the field reference.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import analyzer
import analyzer.analysis
import pytest
from analyzer import fieldref
from analyzer.anomalies import CATALOGUE, AnomalyLog
from analyzer.events import as_dict
from analyzer.extract import Extractor
from analyzer.flows import FlowLimits
from analyzer.model import Analysis
from analyzer.report import jsondoc

ROOT = Path(__file__).resolve().parents[1]
REALWORLD = ROOT.parent / "shared" / "realworld"
QUIC_DATA = ROOT / "tests" / "protocols" / "data"
CAPTURES = ROOT / "captures"
T0 = 1_700_000_000.0
SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10

# ----------------------------------------------------------------------------- pcap builders


def _csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(src: str, dst: str, proto: int, payload: bytes, ttl: int = 64, ipid: int = 0,
        df: bool = True) -> bytes:
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ipid, 0x4000 if df else 0,
                      ttl, proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:] + payload


def udp(sport: int, dport: int, payload: bytes) -> bytes:
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport: int, dport: int, seq: int, ack: int, flags: int, payload: bytes = b"") -> bytes:
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) \
        + payload


def pcap(packets: list[tuple[float, bytes]]) -> bytes:
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101)]  # LINKTYPE_RAW
    for ts, data in packets:
        sec = int(ts)
        out.append(struct.pack("<IIII", sec, round((ts - sec) * 1e6), len(data), len(data)))
        out.append(data)
    return b"".join(out)


class Capture:
    """Packets in capture order; ``conv`` makes TCP conversations with tracked sequences."""

    def __init__(self) -> None:
        self.packets: list[tuple[float, bytes]] = []
        self.t = T0

    def add(self, pkt: bytes, dt: float = 0.01) -> int:
        self.t += dt
        self.packets.append((self.t, pkt))
        return len(self.packets)

    def udp(self, src: str, sport: int, dst: str, dport: int, payload: bytes, dt: float = 0.01,
            ttl: int = 64, ipid: int = 0) -> int:
        return self.add(ip4(src, dst, 17, udp(sport, dport, payload), ttl, ipid), dt)

    def conv(self, client: str = "10.0.0.1", cport: int = 40000,
             server: str = "93.184.215.14", sport: int = 443) -> Conv:
        return Conv(self, client, cport, server, sport)

    def write(self, tmp: Path, name: str = "t.pcap") -> str:
        path = tmp / name
        path.write_bytes(pcap(self.packets))
        return str(path)


class Conv:
    def __init__(self, cap: Capture, client: str, cport: int, server: str, sport: int) -> None:
        self.cap, self.c, self.cp, self.s, self.sp = cap, client, cport, server, sport
        self.seq = [1000, 900_000]

    def send(self, from_client: bool, flags: int, data: bytes = b"", dt: float = 0.01,
             ttl: int | None = None, seq: int | None = None) -> int:
        d = 0 if from_client else 1
        src, sp, dst, dp = (self.c, self.cp, self.s, self.sp) if from_client \
            else (self.s, self.sp, self.c, self.cp)
        s = self.seq[d] if seq is None else seq
        pkt = ip4(src, dst, 6, tcp(sp, dp, s, self.seq[1 - d], flags, data),
                  ttl if ttl is not None else (64 if from_client else 52))
        if seq is None:
            self.seq[d] += len(data) + (1 if flags & (SYN | FIN) else 0)
        return self.cap.add(pkt, dt)

    def handshake(self) -> None:
        self.send(True, SYN)
        self.send(False, SYN | ACK)
        self.send(True, ACK)

    def client(self, data: bytes, dt: float = 0.01) -> int:
        return self.send(True, PSH | ACK, data, dt)

    def server(self, data: bytes, dt: float = 0.01) -> int:
        return self.send(False, PSH | ACK, data, dt)


# ----------------------------------------------------------------------------- messages


def dns_name(name: str) -> bytes:
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


def dns_query(ident: int, name: str, qtype: int = 1) -> bytes:
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + dns_name(name) \
        + struct.pack("!HH", qtype, 1)


def dns_response(ident: int, name: str, addrs: list[str], rcode: int = 0,
                 qtype: int = 1) -> bytes:
    out = struct.pack("!HHHHHH", ident, 0x8180 | rcode, 1, len(addrs), 0, 0) + dns_name(name) \
        + struct.pack("!HH", qtype, 1)
    for a in addrs:
        out += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + socket.inet_aton(a)
    return out


def _ext(t: int, d: bytes) -> bytes:
    return struct.pack("!HH", t, len(d)) + d


def client_hello(sni: str | None, alpn: tuple[str, ...] = ("h2", "http/1.1"),
                 key: bytes = bytes(32)) -> bytes:
    exts = b""
    if sni is not None:
        n = sni.encode()
        exts += _ext(0, struct.pack("!HBH", len(n) + 3, 0, len(n)) + n)
    lst = b"".join(bytes([len(p)]) + p.encode() for p in alpn)
    exts += _ext(16, struct.pack("!H", len(lst)) + lst)
    exts += _ext(43, b"\x04\x03\x04\x03\x03")
    exts += _ext(10, b"\x00\x02\x00\x1d")
    exts += _ext(13, b"\x00\x04\x04\x03\x08\x04")
    exts += _ext(51, struct.pack("!HHH", 36, 0x1D, 32) + key)
    body = b"\x03\x03" + key + b"\x20" + key + b"\x00\x04\x13\x01\x13\x02\x01\x00" \
        + struct.pack("!H", len(exts)) + exts
    hs = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def server_hello_13(key: bytes = b"\x01" * 32) -> bytes:
    exts = _ext(43, b"\x03\x04") + _ext(51, struct.pack("!HH", 0x1D, 32) + key)
    body = b"\x03\x03" + key + b"\x20" + key + b"\x13\x01\x00" \
        + struct.pack("!H", len(exts)) + exts
    hs = b"\x02" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x03" + struct.pack("!H", len(hs)) + hs


CCS = b"\x14\x03\x03\x00\x01\x01"


def app_data(n: int) -> bytes:
    return b"\x17\x03\x03" + struct.pack("!H", n) + bytes(n)


def run(cap: Capture, tmp: Path) -> Analysis:
    return analyzer.analyze(cap.write(tmp))


# ----------------------------------------------------------------------------- DNS


def test_dns_query_matched_to_all_responses_in_arrival_order(tmp_path: Path) -> None:
    cap = Capture()
    q = cap.udp("10.0.0.1", 5555, "8.8.8.8", 53, dns_query(0x1234, "www.Example.org"))
    r1 = cap.udp("8.8.8.8", 53, "10.0.0.1", 5555,
                 dns_response(0x1234, "www.example.org", ["10.10.34.35"]), dt=0.004,
                 ttl=187, ipid=1)
    r2 = cap.udp("8.8.8.8", 53, "10.0.0.1", 5555,
                 dns_response(0x1234, "www.Example.org", ["93.184.215.14"]), dt=0.02,
                 ttl=120, ipid=4711)
    a = run(cap, tmp_path)
    (tx,) = a.dns
    assert (tx.id, tx.qname, tx.qtype_name, tx.transport) == (0x1234, "www.Example.org", "A",
                                                               "udp")
    assert tx.query_frames == (q,) and tx.response_frames == (r1, r2)
    assert tx.response_count == 2 and tx.disagree
    first, second = tx.responses
    assert first.addresses == ("10.10.34.35",) and second.addresses == ("93.184.215.14",)
    assert (first.ip_ttl, first.ip_id, first.df) == (187, 1, True)
    assert second.ip_ttl == 120 and second.ip_id == 4711
    assert first.delay_ms == pytest.approx(4.0, abs=0.01)
    assert second.delay_ms == pytest.approx(24.0, abs=0.01)
    assert first.answers[0].type == "A" and first.answers[0].ttl == 300
    assert tx.flow.startswith("udp:10.0.0.1:5555-8.8.8.8:53") and tx.input == 0
    assert tx.query_ts == round(T0 + 0.01, 6)


def test_dns_agreeing_responses_unanswered_and_unsolicited(tmp_path: Path) -> None:
    cap = Capture()
    cap.udp("10.0.0.1", 5555, "8.8.8.8", 53, dns_query(1, "a.example"))
    cap.udp("8.8.8.8", 53, "10.0.0.1", 5555, dns_response(1, "a.example", ["192.0.2.1"]))
    cap.udp("8.8.8.8", 53, "10.0.0.1", 5555, dns_response(1, "a.example", ["192.0.2.1"]))
    cap.udp("10.0.0.1", 5555, "8.8.8.8", 53, dns_query(2, "b.example"))
    cap.udp("8.8.8.8", 53, "10.0.0.1", 5555, dns_response(3, "c.example", [], rcode=3))
    a = run(cap, tmp_path)
    by_id = {tx.id: tx for tx in a.dns}
    assert by_id[1].response_count == 2 and not by_id[1].disagree
    assert by_id[2].response_count == 0 and by_id[2].responses == ()
    assert by_id[3].query_frames == () and by_id[3].qname == "c.example"
    assert by_id[3].responses[0].rcode_name == "NXDOMAIN"
    assert [tx.id for tx in a.dns] == [1, 2, 3]  # in order of their first frame


def test_dns_over_tcp_several_messages_per_segment_and_split(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv(sport=53)
    c.handshake()
    q1, q2 = dns_query(7, "one.example"), dns_query(8, "two.example")
    both = c.client(struct.pack("!H", len(q1)) + q1 + struct.pack("!H", len(q2)) + q2)
    r1 = dns_response(7, "one.example", ["192.0.2.7"])
    r2 = dns_response(8, "two.example", ["192.0.2.8"])
    framed = struct.pack("!H", len(r1)) + r1 + struct.pack("!H", len(r2)) + r2
    c.server(framed[:10])
    done1 = c.server(framed[10:len(r1) + 5])
    done2 = c.server(framed[len(r1) + 5:])
    a = run(cap, tmp_path)
    by_id = {tx.id: tx for tx in a.dns}
    assert by_id[7].transport == "tcp" and by_id[7].query_frames == (both,)
    assert by_id[8].query_frames == (both,)
    assert by_id[7].response_frames == (done1,) and by_id[8].response_frames == (done2,)
    assert by_id[7].responses[0].addresses == ("192.0.2.7",)
    assert by_id[7].responses[0].ip_ttl is None  # IP facts only for UDP


# ----------------------------------------------------------------------------- TLS


def test_tls_completed_with_frames_and_delays(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv()
    c.handshake()
    ch = c.client(client_hello("www.example.org"))
    sh = c.server(server_hello_13() + CCS + app_data(1200), dt=0.05)
    c.client(CCS + app_data(53))
    a = run(cap, tmp_path)
    (ev,) = a.tls
    assert ev.outcome == "completed" and ev.sni == "www.example.org"
    assert ev.alpn == ("h2", "http/1.1") and ev.supported_versions == (0x0304, 0x0303)
    assert ev.client_hello_frames == (ch,) and ev.server_hello_frame == sh
    assert ev.server_hello_ms == pytest.approx(50.0, abs=0.01)
    assert ev.server_version == 0x0304 and ev.cipher_suite == 0x1301
    assert ev.ja3 and ev.ja3_string and ev.ja4 and ev.ja4.startswith("t13d")
    assert ev.client_handshake_types == ("client_hello",)
    assert ev.server_handshake_types == ("server_hello",)
    assert ev.client_app_data and ev.server_app_data and ev.rst_frame is None
    assert (ev.client_port, ev.server_port, ev.dns_over) == (40000, 443, None)


def test_tls_completed_after_hello_retry_request(tmp_path: Path) -> None:
    """A HelloRetryRequest and the server's compat CCS, the client's CCS and second
    ClientHello, then the ServerHello: the handshake completed (it read as incomplete when
    the server's CCS hid the ServerHello)."""
    import hashlib

    hrr_random = hashlib.sha256(b"HelloRetryRequest").digest()
    cap = Capture()
    c = cap.conv()
    c.handshake()
    ch = c.client(client_hello("secure.example"))
    hrr = c.server(server_hello_13(hrr_random) + CCS, dt=0.05)
    ch2 = c.client(CCS + client_hello("secure.example", key=b"\x02" * 32))
    sh = c.server(server_hello_13() + app_data(1200), dt=0.05)
    c.client(app_data(53))
    a = run(cap, tmp_path)
    (ev,) = a.tls
    assert ev.outcome == "completed" and ev.sni == "secure.example"
    assert ev.client_handshake_types == ("client_hello", "client_hello")
    assert ev.server_handshake_types == ("hello_retry_request", "server_hello")
    assert ev.client_hello_frames == (ch,) and ch2 > hrr
    assert ev.server_hello_frame == sh and not ev.hello_retry_request
    assert ev.server_data_frame == hrr


def test_tls_reset_after_client_hello(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv()
    c.handshake()
    ch = c.client(client_hello("blocked.example"))
    rst = c.send(False, RST | ACK, dt=0.021, ttl=187)
    a = run(cap, tmp_path)
    (ev,) = a.tls
    assert ev.outcome == "reset_after_client_hello"
    assert ev.client_hello_frames == (ch,) and ev.rst_frame == rst
    assert ev.rst_from == "server" and ev.rst_ms == pytest.approx(21.0, abs=0.01)
    assert ev.server_hello_frame is None


def test_tls_no_answer_counts_retransmissions(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv(sport=8443)  # any port: found by content
    c.handshake()
    hello = client_hello("quiet.example")
    start = c.seq[0]
    c.client(hello)
    c.send(True, PSH | ACK, hello, dt=0.3, seq=start)
    c.send(True, PSH | ACK, hello, dt=0.6, seq=start)
    a = run(cap, tmp_path)
    (ev,) = a.tls
    assert ev.outcome == "no_answer" and ev.client_hello_retransmissions == 2
    assert ev.server_port == 8443


def test_tls_closed_and_alert(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv(cport=40001)
    c.handshake()
    c.client(client_hello("closed.example"))
    fin = c.send(False, FIN | ACK, dt=0.03)
    d = cap.conv(cport=40002)
    d.handshake()
    d.client(client_hello("alert.example"))
    alert = d.server(b"\x15\x03\x03\x00\x02\x02\x28")
    a = run(cap, tmp_path)
    by_sni = {ev.sni: ev for ev in a.tls}
    assert by_sni["closed.example"].outcome == "closed"
    assert by_sni["closed.example"].fin_frame == fin
    assert by_sni["closed.example"].fin_from == "server"
    ev = by_sni["alert.example"]
    assert ev.outcome == "alert"
    assert [(x.frame, x.direction, x.level, x.name) for x in ev.alerts] == [
        (alert, "server", 2, "handshake_failure")]


def test_tls_dot_and_doh_are_recognised(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv(cport=40001, sport=853)
    c.handshake()
    c.client(client_hello("dns.example"))
    d = cap.conv(cport=40002)
    d.handshake()
    d.client(client_hello("cloudflare-dns.com"))
    a = run(cap, tmp_path)
    assert {ev.sni: ev.dns_over for ev in a.tls} == {"dns.example": "dot",
                                                      "cloudflare-dns.com": "doh"}


# ----------------------------------------------------------------------------- HTTP


def test_http_pipelining_and_body_prefix(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv(sport=80)
    c.handshake()
    reqs = c.client(b"GET /a HTTP/1.1\r\nHost: a.example\r\nUser-Agent: t/1\r\n\r\n"
                    b"GET /b HTTP/1.1\r\nHost: a.example\r\n\r\n")
    body = "é".encode() * 700  # 1400 bytes: the text keeps 1 KiB
    r1 = c.server(b"HTTP/1.1 302 Found\r\nLocation: http://block.example/\r\n"
                  b"Server: x\r\nContent-Length: 0\r\n\r\n")
    r2 = c.server(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                  + str(len(body)).encode() + b"\r\n\r\n" + body)
    a = run(cap, tmp_path)
    first, second = a.http
    assert (first.index, first.method, first.target, first.host, first.user_agent) == (
        0, "GET", "/a", "a.example", "t/1")
    assert first.request_frames == (reqs,) and first.response_frames == (r1,)
    assert (first.status, first.location, first.server_header) == (
        302, "http://block.example/", "x")
    assert not first.pipelined and second.pipelined
    assert second.status == 200 and second.response_frames == (r2,)
    assert second.body_length == 1400 and second.body_prefix == "é" * 512
    assert second.body_sha256 == hashlib.sha256(body).hexdigest()
    assert second.response_ms is not None and second.request_ts is not None


def test_http_beyond_the_kept_stream_is_named_not_unanswered(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv(sport=80)
    c.handshake()
    c.client(b"GET /big HTTP/1.1\r\nHost: a.example\r\n\r\n")
    c.server(b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + bytes(1000))
    c.server(bytes(1400))
    c.server(bytes(600))
    c.client(b"GET /next HTTP/1.1\r\nHost: a.example\r\n\r\n")
    c.server(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    path = cap.write(tmp_path)
    whole = analyzer.analyze(path)
    assert [(h.status, h.anomalies) for h in whole.http] == [(200, ()), (404, ())]
    assert not any(an.name == "http_beyond_kept_stream" for an in whole.anomalies)
    cut = analyzer.analyze(path, limits=FlowLimits(stream_cap=1500))
    big, after = cut.http
    assert (big.status, big.response_complete) == (200, False)
    assert big.anomalies == ("http_beyond_kept_stream",)
    assert after.method == "GET" and after.status is None  # its response was not kept
    assert after.anomalies == ("http_beyond_kept_stream",)
    assert [an.count for an in cut.anomalies if an.name == "http_beyond_kept_stream"] == [2]

def test_http_connect_tunnel_is_read_as_tls(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv(sport=3128)
    c.handshake()
    c.client(b"CONNECT www.example.org:443 HTTP/1.1\r\nHost: www.example.org:443\r\n\r\n")
    c.server(b"HTTP/1.1 200 Connection established\r\n\r\n")
    ch = c.client(client_hello("www.example.org"))
    c.send(False, RST | ACK)
    a = run(cap, tmp_path)
    (ex,) = a.http
    assert ex.connect and ex.host == "www.example.org:443" and ex.status == 200
    (ev,) = a.tls
    assert ev.sni == "www.example.org" and ev.client_hello_frames == (ch,)
    assert ev.outcome == "reset_after_client_hello"


def test_block_page_on_443_gives_http_exchange(tmp_path: Path) -> None:
    cap = Capture()
    c = cap.conv()
    c.handshake()
    c.client(client_hello("blocked.example"))
    page = c.server(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!")
    a = run(cap, tmp_path)
    (ev,) = a.tls
    assert ev.outcome == "incomplete" and not ev.server_tls and ev.server_data_frame == page
    (ex,) = a.http
    assert ex.method is None and ex.status == 403 and ex.response_frames == (page,)


# ----------------------------------------------------------------------------- QUIC


def _hex(name: str) -> bytes:
    lines = (QUIC_DATA / name).read_text().splitlines()
    return bytes.fromhex("".join("".join(ln.split()) for ln in lines if not ln.startswith("#")))


def test_quic_rfc9001_initials(tmp_path: Path) -> None:
    cap = Capture()
    first = cap.udp("10.0.0.1", 50000, "192.0.2.1", 443, _hex("rfc9001_a2_client_initial.hex"))
    srv = cap.udp("192.0.2.1", 443, "10.0.0.1", 50000, _hex("rfc9001_a3_server_initial.hex"),
                  dt=0.03)
    a = run(cap, tmp_path)
    (ev,) = a.quic
    assert (ev.version, ev.version_name, ev.dcid) == (1, "v1", "8394c8f03e515708")
    assert ev.decrypted and ev.sni == "example.com" and ev.client_hello_complete
    assert ev.ja4 is not None and ev.ja4.startswith("q13")
    assert ev.client_initials == 1 and ev.first_initial_frame == first
    assert ev.client_hello_frames == (first,)
    assert ev.server_answered and ev.server_first_frame == srv and ev.server_hello_frame == srv
    assert ev.server_first_ms == pytest.approx(30.0, abs=0.01)
    assert not a.dns


def test_quic_unknown_version_is_an_observation(tmp_path: Path) -> None:
    cap = Capture()
    dg = bytes([0xC0]) + (0xFF000016).to_bytes(4, "big") + b"\x08" + bytes(range(8)) \
        + b"\x00" + bytes(1200)  # draft-22: no Initial salt is known for it
    cap.udp("10.0.0.1", 50001, "192.0.2.1", 443, dg)
    cap.udp("10.0.0.1", 50001, "192.0.2.1", 443, dg, dt=1.0)
    a = run(cap, tmp_path)
    (ev,) = a.quic
    assert ev.version_name == "draft-22" and not ev.decrypted and ev.sni is None
    assert ev.client_initials == 2 and not ev.server_answered


def test_quic_draft_initials_are_decrypted() -> None:
    """Drafts 23-32 (older captures) use v1's layout with their own Initial salts; the SNI
    read here is the one Wireshark reads (tests/test_pyshark_diff.py holds the capture to it)."""
    a = analyzer.analyze(str(CAPTURES / "quic-draft-versions.pcap"))
    got = [(q.version_name, q.decrypted, q.sni, q.server_answered, q.server_first_frame)
           for q in a.quic]
    assert got == [("v1", True, "v1.example.com", False, None),
                   ("draft-29", True, "draft29.example.com", True, 3),
                   ("draft-27", True, "draft27.example.com", False, None)]


# ----------------------------------------------------------------------------- hostile input


def test_hostile_dns_and_tls_give_named_anomalies(tmp_path: Path) -> None:
    cap = Capture()
    cap.udp("10.0.0.1", 5555, "8.8.8.8", 53, dns_query(9, "loop.example"))
    # an answer whose owner name is a compression pointer to itself
    loop = struct.pack("!HHHHHH", 9, 0x8180, 1, 1, 0, 0) + dns_name("loop.example") \
        + struct.pack("!HH", 1, 1)
    loop += struct.pack("!H", 0xC000 | len(loop)) + struct.pack("!HHIH", 1, 1, 60, 4) \
        + bytes(4)
    bad_dns = cap.udp("8.8.8.8", 53, "10.0.0.1", 5555, loop)
    c = cap.conv()
    c.handshake()
    c.client(client_hello("ok.example"))
    bad_tls = c.server(b"\x16\x03\x03\x00\x10" + bytes(16) + b"\x63\x09\x09" + bytes(40))
    a = run(cap, tmp_path)
    names = {an.name: an for an in a.anomalies}
    assert "dns_compression_loop" in names and "tls_bad_record_type" in names
    assert names["dns_compression_loop"].examples[0][1] == bad_dns
    assert names["tls_bad_record_type"].examples[0][1] == bad_tls
    assert all(an.description for an in a.anomalies), "every anomaly is catalogued"
    (tx,) = a.dns
    assert "dns_compression_loop" in tx.responses[0].anomalies
    (ev,) = a.tls
    assert ev.sni == "ok.example" and "tls_bad_record_type" in ev.anomalies


def test_garbage_streams_never_raise(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    cap = Capture()
    for i in range(40):
        c = cap.conv(cport=41000 + i, sport=(443, 80, 53, 853)[i % 4])
        c.handshake()
        prefix = (b"\x16\x03\x01", b"GET / HTTP/1.1\r\n", b"\x00\x20", b"HTTP/1.1 200 ")[i % 4]
        c.client(prefix + rng.randbytes(rng.randrange(0, 300)))
        c.server(prefix + rng.randbytes(rng.randrange(0, 300)))
        cap.udp("10.0.0.2", 42000 + i, "192.0.2.9", (53, 443)[i % 2],
                bytes([0xC0, 0, 0, 0, 1, 8]) + rng.randbytes(1250) if i % 2
                else rng.randbytes(rng.randrange(0, 100)))
    a = run(cap, tmp_path)
    assert all(an.description for an in a.anomalies)


# ----------------------------------------------------------------------------- memo paths


def _event_dicts(a: Analysis) -> list[dict[str, Any]]:
    return [as_dict(e) for e in (*a.dns, *a.tls, *a.http, *a.quic)]


def _captures() -> Iterator[Path]:
    yield from sorted((ROOT / "captures").glob("*.pcap*"))
    if REALWORLD.is_dir():
        yield from sorted(REALWORLD.glob("*/*.pcap*"))


def test_fast_paths_give_the_same_events(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    # repeated hellos with different SNI / random / key share go through the memo tables
    cap = Capture()
    for i in range(6):
        c = cap.conv(cport=43000 + i)
        c.handshake()
        c.client(client_hello(f"host{i}.example" if i != 3 else "192.0.2.4",
                              key=bytes([i]) * 32))
        c.server(server_hello_13(bytes([i + 1]) * 32) + CCS + app_data(100))
        c.client(CCS + app_data(40))
    paths = [*_captures(), Path(cap.write(tmp_path))]
    fast = [_event_dicts(analyzer.analyze(str(p))) for p in paths]

    def plain(anomalies: AnomalyLog) -> Extractor:
        # a factory, not a subclass: Extractor may be compiled (mypyc), and interpreted
        # classes cannot inherit from compiled ones
        return Extractor(anomalies, fast=False)

    monkeypatch.setattr(analyzer.analysis, "Extractor", plain)
    slow = [_event_dicts(analyzer.analyze(str(p))) for p in paths]
    for p, f, s in zip(paths, fast, slow, strict=True):
        assert f == s, p
    assert any(d.get("sni") == "192.0.2.4" for d in fast[-1])


# ----------------------------------------------------------------------------- JSON and docs


def _doc_keys(doc: fieldref.Doc) -> set[str]:
    return set(doc)


def _all_tables_capture(tmp_path: Path) -> str:
    cap = Capture()
    cap.udp("10.0.0.1", 5555, "8.8.8.8", 53, dns_query(1, "a.example"))
    cap.udp("8.8.8.8", 53, "10.0.0.1", 5555, dns_response(1, "a.example", ["192.0.2.1"]))
    c = cap.conv()
    c.handshake()
    c.client(client_hello("a.example"))
    c.server(b"\x15\x03\x03\x00\x02\x02\x28")
    h = cap.conv(cport=40001, sport=80)
    h.handshake()
    h.client(b"GET / HTTP/1.1\r\nHost: a.example\r\n\r\n")
    h.server(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    cap.udp("10.0.0.1", 50000, "192.0.2.1", 443, _hex("rfc9001_a2_client_initial.hex"))
    return cap.write(tmp_path)


def test_every_event_key_written_is_documented(tmp_path: Path) -> None:
    a = analyzer.analyze(_all_tables_capture(tmp_path))
    doc = jsondoc.document(a)
    keys = list(doc)
    assert keys[-1] == "flows" and keys.index("dns") < keys.index("flows")
    assert all(doc[t] for t in ("dns", "tls", "http", "quic"))
    for row in doc["dns"]:
        assert set(row) == _doc_keys(fieldref.DNS_FIELDS)
        for resp in row["responses"]:
            assert set(resp) == _doc_keys(fieldref.DNS_RESPONSE_FIELDS)
            for rr in resp["answers"] + resp["authority"]:
                assert set(rr) == _doc_keys(fieldref.DNS_RECORD_FIELDS)
    for row in doc["tls"]:
        assert set(row) == _doc_keys(fieldref.TLS_FIELDS)
        for alert in row["alerts"]:
            assert set(alert) == _doc_keys(fieldref.TLS_ALERT_FIELDS)
    for row in doc["http"]:
        assert set(row) == _doc_keys(fieldref.HTTP_FIELDS)
    for row in doc["quic"]:
        assert set(row) == _doc_keys(fieldref.QUIC_FIELDS)
    # certificates: from a real capture when available, else the dataclass fields
    from dataclasses import fields

    from analyzer.events import TlsCertificateInfo
    assert {f.name for f in fields(TlsCertificateInfo)} == _doc_keys(fieldref.TLS_CERT_FIELDS)
    # the streamed document is the same as the plain one
    out = io.StringIO()
    jsondoc.write(a, out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(doc))


def test_timestamps_are_rounded_to_the_microsecond(tmp_path: Path) -> None:
    a = analyzer.analyze(_all_tables_capture(tmp_path))
    doc = jsondoc.document(a)
    for table in ("dns", "tls", "http", "quic"):
        for row in doc[table]:
            for k, v in row.items():
                if k.endswith("_ts") and v is not None:
                    assert round(v, 6) == v


def test_every_parser_anomaly_name_is_catalogued() -> None:
    pattern = re.compile(r'"((?:dns|http|tls|quic|x509)_[a-z0-9_]+)"')
    names: set[str] = set()
    for path in [*(ROOT / "analyzer" / "protocols").glob("*.py"), ROOT / "analyzer" / "extract.py"]:
        names |= set(pattern.findall(path.read_text()))
    names |= {"x509_bad_subject", "x509_bad_issuer"}  # built as f"x509_bad_{which}"
    assert names, "the pattern is wrong"
    missing = sorted(names - set(CATALOGUE))
    assert not missing, f"parser anomalies not in analyzer/anomalies.py CATALOGUE: {missing}"


def _pcapng_shifted(raw: bytes, ts_us: int) -> bytes:
    """A little-endian pcapng with every enhanced packet block stamped ``ts_us`` (µs)."""
    out = bytearray(raw)
    off = 0
    while off + 12 <= len(out):
        btype, blen = struct.unpack_from("<II", out, off)
        if btype == 6:
            struct.pack_into("<II", out, off + 12, ts_us >> 32, ts_us & 0xFFFFFFFF)
        off += blen
    return bytes(out)


def test_certificates_at_a_capture_time_that_is_no_date(tmp_path: Path) -> None:
    # found by the whole-pipeline mutation test: a damaged timestamp (year 75090) reached the
    # chain verification, which needs a date; the chain gets no verdict instead of a crash
    # (and no verdict means no untrusted-certificate finding)
    scenario = ROOT / "tests/scenarios/tls-mitm-untrusted-selfsigned-public/capture.pcapng"
    normal = analyzer.analyze(str(scenario))
    assert [t.cert_trusted for t in normal.tls if t.certificates] == [False]
    assert any(f["mechanism"] == "tls-mitm" for f in normal.findings)
    path = tmp_path / "far-future.pcapng"
    path.write_bytes(_pcapng_shifted(scenario.read_bytes(), 2_306_000_000_000_000_000))
    a = analyzer.analyze(str(path))
    certs = [t for t in a.tls if t.certificates]
    assert len(certs) == 1
    t = certs[0]
    assert (t.cert_trusted, t.cert_chain_trusted, t.cert_hostname_matches) == (None, None, None)
    assert t.cert_error == "not verified: the capture time is not a valid date"
    assert not any(f["mechanism"] == "tls-mitm" for f in a.findings)
    jsondoc.write(a, io.StringIO())


def test_in_order_data_after_a_hole_past_the_cap_is_not_appended(tmp_path: Path) -> None:
    """A hole whose far side lies past the kept prefix advances the sequence space without
    bytes; the next in-order segment then does not continue the kept stream, so appending it
    would shift it onto earlier sequence numbers, and the hole's retransmission would read as
    conflicting data (a throttled download in blind round 12 drew packet-injection so)."""
    cap = Capture()
    c = cap.conv(sport=443)
    c.handshake()
    c.client(b"GET / HTTP/1.1\r\nHost: a.example\r\n\r\n")
    c.server(b"A" * 1000)                       # kept: stream bytes 0-999
    hole = c.seq[1]
    c.seq[1] += 1000                            # 1000 bytes lost before the capture point
    c.server(b"C" * 1000)                       # past the 1500-byte cap: the space jumps
    c.server(b"D" * 1000)                       # in order after the jump
    c.send(False, ACK, b"B" * 1000, seq=hole)   # the hole's retransmission
    a = analyzer.analyze(cap.write(tmp_path), limits=FlowLimits(stream_cap=1500))
    (fl,) = [f for f in a.flows if f.transport == "tcp"]
    assert fl.h[1].conflicts == []
    assert not any(an.name == "tcp_overlap_conflict" for an in a.anomalies)
    assert fl.h[1].payload == 4000
