"""Tests for analyzer.protocols.dns: real wire bytes, built by hand and with scapy."""

from __future__ import annotations

import ipaddress
import random
import struct
import time

import pytest
from analyzer.protocols.dns import (
    DNS_PORTS,
    DOT_PORT,
    MAX_RECORDS_PER_SECTION,
    DnsMessage,
    DnsQuestion,
    DnsRecord,
    is_doh_hint,
    looks_like_dns,
    parse_dns,
    rtype_name,
    split_tcp_dns,
)
from scapy.layers.dns import (
    DNS,
    DNSQR,
    DNSRR,
    DNSRRMX,
    DNSRROPT,
    DNSRRSOA,
    DNSRRSRV,
    DNSRRSVCB,
    EDNS0TLV,
    SvcParam,
)

KNOWN_ANOMALIES = {
    "dns_short_header",
    "dns_truncated_message",
    "dns_record_limit",
    "dns_trailing_bytes",
    "dns_compression_loop",
    "dns_bad_pointer",
    "dns_label_truncated",
    "dns_name_too_long",
    "dns_bad_label_type",
    "dns_bad_rdata_length",
    "dns_bad_svcb_param",
    "dns_bad_opt",
    "dns_multiple_opt",
}


# ---------------------------------------------------------------------------------------
# Builders


def header(
    ident: int = 0x1234, flags: int = 0x8180, qd: int = 1, an: int = 0, ns: int = 0, ar: int = 0
) -> bytes:
    return struct.pack("!HHHHHH", ident, flags, qd, an, ns, ar)


def wire_name(name: str) -> bytes:
    if not name:
        return b"\x00"
    return b"".join(bytes([len(lab)]) + lab.encode() for lab in name.split(".")) + b"\x00"


def question(owner: bytes, qtype: int = 1, qclass: int = 1) -> bytes:
    return owner + struct.pack("!HH", qtype, qclass)


def rr(owner: bytes, rtype: int, rdata: bytes, rclass: int = 1, ttl: int = 60) -> bytes:
    return owner + struct.pack("!HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def names(msg: DnsMessage) -> list[str]:
    return [a.name for a in msg.anomalies]


# A typical compressed answer: www.Example.com CNAME cdn.Example.com, cdn... A 93.184.216.34.
TYPICAL = (
    header(an=2)
    + question(wire_name("www.Example.com"))  # name at offset 12, "Example.com" at 16
    + rr(b"\xc0\x0c", 5, b"\x03cdn\xc0\x10", ttl=300)  # rdata name at offset 45
    + rr(b"\xc0\x2d", 1, bytes([93, 184, 216, 34]))
)


# ---------------------------------------------------------------------------------------
# Well-formed messages


def test_typical_compressed_response() -> None:
    msg = parse_dns(TYPICAL)
    assert msg.id == 0x1234
    assert (msg.qr, msg.opcode, msg.aa, msg.tc, msg.rd, msg.ra) == (True, 0, False, False,
                                                                    True, True)
    assert (msg.rcode, msg.header_rcode, msg.rcode_name) == (0, 0, "NOERROR")
    assert (msg.qdcount, msg.ancount, msg.nscount, msg.arcount) == (1, 2, 0, 0)
    assert msg.questions == (DnsQuestion("www.Example.com", 1, 1),)
    assert msg.questions[0].qtype_name == "A"
    assert msg.answers == (
        DnsRecord("www.Example.com", 5, 1, 300, b"\x03cdn\xc0\x10", "cdn.Example.com"),
        DnsRecord("cdn.Example.com", 1, 1, 60, bytes([93, 184, 216, 34]), "93.184.216.34"),
    )
    assert msg.answers[0].rtype_name == "CNAME"
    assert msg.authority == () and msg.additional == ()
    assert msg.edns is None
    assert msg.anomalies == ()
    assert msg.truncated is False


def test_all_header_bits() -> None:
    flags = 0x8000 | (2 << 11) | 0x0400 | 0x0200 | 0x0100 | 0x0080 | 0x0020 | 0x0010 | 3
    msg = parse_dns(header(ident=7, flags=flags, qd=0))
    assert (msg.id, msg.flags) == (7, flags)
    assert (msg.qr, msg.opcode, msg.aa, msg.tc, msg.rd, msg.ra, msg.ad, msg.cd) == (
        True, 2, True, True, True, True, True, True,
    )
    assert (msg.rcode, msg.rcode_name) == (3, "NXDOMAIN")
    assert msg.anomalies == () and not msg.truncated


def test_accepts_memoryview_and_bytearray() -> None:
    assert parse_dns(memoryview(TYPICAL)) == parse_dns(TYPICAL)
    assert parse_dns(bytearray(TYPICAL)) == parse_dns(TYPICAL)


def _scapy_response() -> DNS:
    return DNS(
        id=0xBEEF, qr=1, rd=1, ra=1,
        qd=DNSQR(qname="example.com", qtype="HTTPS"),
        an=[
            DNSRR(rrname="example.com", type="A", rdata="192.0.2.7", ttl=30),
            DNSRR(rrname="example.com", type="AAAA", rdata="2001:db8:0:0:1:0:0:1"),
            DNSRR(rrname="www.example.com", type="CNAME", rdata="example.com"),
            DNSRRMX(rrname="example.com", preference=10, exchange="mail.example.com"),
            DNSRR(rrname="example.com", type="TXT", rdata=["v=spf1 -all", "second"]),
            DNSRRSRV(rrname="_sip._tcp.example.com", priority=10, weight=20, port=5060,
                     target="sip.example.com"),
            DNSRRSVCB(rrname="example.com", type="HTTPS", svc_priority=1, target_name=".",
                      svc_params=[
                          SvcParam(key="alpn", value=["h2", "h3"]),
                          SvcParam(key="port", value=8443),
                          SvcParam(key="ipv4hint", value=["1.2.3.4", "5.6.7.8"]),
                          SvcParam(key="ech", value=b"\x00" * 10),
                          SvcParam(key="ipv6hint", value=["2001:db8::1"]),
                      ]),
        ],
        ns=[
            DNSRRSOA(rrname="example.com", mname="ns1.example.com",
                     rname="hostmaster.example.com", serial=2024, refresh=7200, retry=3600,
                     expire=1209600, minimum=300),
        ],
        ar=[DNSRROPT(rclass=1232, z=0x8000, rdata=[EDNS0TLV(optcode=10, optdata=b"cookie!!")])],
    )


EXPECTED_VALUES = [
    ("A", "192.0.2.7"),
    ("AAAA", "2001:db8::1:0:0:1"),
    ("CNAME", "example.com"),
    ("MX", "10 mail.example.com"),
    ("TXT", "v=spf1 -allsecond"),
    ("SRV", "10 20 5060 sip.example.com"),
    ("HTTPS", "1 . alpn=h2,h3 port=8443 ipv4hint=1.2.3.4,5.6.7.8 ech=len:10 "
              "ipv6hint=2001:db8::1"),
]


@pytest.mark.parametrize("compressed", [False, True])
def test_scapy_cross_check(compressed: bool) -> None:
    pkt = _scapy_response()
    raw = bytes(pkt.compress() if compressed else pkt)
    msg = parse_dns(raw)
    assert msg.anomalies == ()
    assert not msg.truncated
    assert msg.id == 0xBEEF
    assert msg.questions == (DnsQuestion("example.com", 65, 1),)
    assert msg.questions[0].qtype_name == "HTTPS"
    assert [(r.rtype_name, r.value) for r in msg.answers] == EXPECTED_VALUES
    assert [r.name for r in msg.answers][:3] == ["example.com", "example.com", "www.example.com"]
    assert msg.answers[0].ttl == 30

    # Decode with scapy too, and compare record by record.
    theirs = DNS(raw)
    assert theirs.an[0].rdata == msg.answers[0].value
    assert ipaddress.IPv6Address(theirs.an[1].rdata) == ipaddress.IPv6Address(
        msg.answers[1].value
    )
    assert str(ipaddress.IPv6Address(theirs.an[1].rdata)) == msg.answers[1].value
    assert theirs.an[2].rdata.decode().rstrip(".") == msg.answers[2].value
    assert f"{theirs.an[3].preference} {theirs.an[3].exchange.decode().rstrip('.')}" == (
        msg.answers[3].value
    )
    assert b"".join(theirs.an[4].rdata).decode("latin-1") == msg.answers[4].value
    srv = theirs.an[5]
    assert msg.answers[5].value == (
        f"{srv.priority} {srv.weight} {srv.port} {srv.target.decode().rstrip('.')}"
    )

    (soa,) = msg.authority
    assert soa.rtype_name == "SOA"
    assert soa.value == "ns1.example.com hostmaster.example.com 2024 7200 3600 1209600 300"
    ts = theirs.ns[0]
    assert soa.value.split()[2:] == [
        str(v) for v in (ts.serial, ts.refresh, ts.retry, ts.expire, ts.minimum)
    ]

    (opt,) = msg.additional
    assert (opt.name, opt.rtype, opt.rclass) == ("", 41, 1232)
    assert msg.edns is not None
    assert msg.edns.udp_payload_size == 1232
    assert msg.edns.do is True
    assert msg.edns.version == 0
    assert msg.edns.options == ((10, b"cookie!!"),)
    assert msg.rcode == 0


def test_compression_gives_same_values_and_smaller_message() -> None:
    pkt = _scapy_response()
    plain, packed = bytes(pkt), bytes(pkt.compress())
    assert len(packed) < len(plain)
    a, b = parse_dns(plain), parse_dns(packed)
    assert [(r.name, r.value) for r in a.answers] == [(r.name, r.value) for r in b.answers]
    assert a.authority[0].value == b.authority[0].value


def test_edns_extended_rcode() -> None:
    # ext_rcode 1, version 0, DO clear: BADVERS (16) = (1 << 4) | 0
    opt = rr(b"\x00", 41, b"", rclass=4096, ttl=(1 << 24))
    msg = parse_dns(header(flags=0x8100, qd=0, ar=1) + opt)
    assert msg.edns is not None
    assert (msg.edns.ext_rcode, msg.edns.version, msg.edns.do) == (1, 0, False)
    assert (msg.rcode, msg.header_rcode, msg.rcode_name) == (16, 0, "BADVERS")
    assert msg.additional[0].value == "version=0 udp=4096 do=0"


def test_opt_anomalies() -> None:
    opt = rr(b"\x00", 41, b"\x00\x0a\x00\x08abc", rclass=1232)  # option overruns
    second = rr(b"\x00", 41, b"", rclass=512)
    msg = parse_dns(header(qd=0, ar=2) + opt + second)
    assert names(msg) == ["dns_bad_opt", "dns_multiple_opt"]
    assert msg.edns is not None and msg.edns.udp_payload_size == 1232
    assert msg.edns.options == ()
    assert len(msg.additional) == 2

    in_answer = parse_dns(header(qd=0, an=1) + rr(b"\x00", 41, b""))
    assert names(in_answer) == ["dns_bad_opt"]
    assert in_answer.edns is None


def test_empty_and_special_names() -> None:
    ns = rr(b"\x00", 2, wire_name("a.root-servers.net"))
    raw = header(an=1) + question(b"\x00", qtype=2) + ns
    msg = parse_dns(raw)
    assert msg.questions[0].name == ""
    assert msg.answers[0].name == ""
    assert msg.answers[0].value == "a.root-servers.net"
    # An MX with a root exchange ("null MX", RFC 7505) shows the root as ".".
    null_mx = parse_dns(header(qd=0, an=1) + rr(b"\x00", 15, b"\x00\x00\x00"))
    assert null_mx.answers[0].value == "0 ."


def test_label_escaping_cannot_smuggle_dots_or_controls() -> None:
    owner = b"\x09x.example\x03com\x00"  # one label containing a dot
    odd = b"\x05a\x00b\\ \x02Zz\x00"  # NUL, backslash, space; case preserved
    msg = parse_dns(header(qd=2) + question(owner) + question(odd))
    assert msg.questions[0].name == "x\\046example.com"
    assert not msg.questions[0].name.endswith(".example.com")
    assert msg.questions[1].name == "a\\000b\\092\\032.Zz"
    assert msg.anomalies == ()


def test_unknown_type_and_bad_rdata_lengths() -> None:
    raw = (
        header(qd=0, an=4)
        + rr(b"\x00", 1234, b"\xde\xad")
        + rr(b"\x00", 1, b"\x01\x02\x03")  # A with 3 bytes
        + rr(b"\x00", 28, b"\x00" * 4)  # AAAA with 4 bytes
        + rr(b"\x00", 16, b"\x05abc")  # TXT string overruns
    )
    msg = parse_dns(raw)
    assert [(r.rtype_name, r.value) for r in msg.answers] == [
        ("TYPE1234", "dead"),
        ("A", "010203"),
        ("AAAA", "00000000"),
        ("TXT", "05616263"),
    ]
    assert names(msg) == ["dns_bad_rdata_length"] * 3
    # Offsets point at the rdata: record start + 1 (root owner) + 10 (type..rdlength).
    starts = [12, 12 + 13, 12 + 13 + 14, 12 + 13 + 14 + 15]
    assert [a.offset for a in msg.anomalies] == [s + 11 for s in starts[1:]]


def test_cname_rdata_with_trailing_garbage() -> None:
    msg = parse_dns(header(qd=0, an=1) + rr(b"\x00", 5, wire_name("a.b") + b"XX"))
    assert names(msg) == ["dns_bad_rdata_length"]
    assert msg.answers[0].value == (wire_name("a.b") + b"XX").hex()


def test_svcb_bad_params() -> None:
    rdata = (
        b"\x00\x01" + b"\x00"
        + b"\x00\x03\x00\x03\x01\xbb\x00"  # port with 3 bytes
        + b"\x00\x01\x00\x03\x02h2"  # alpn after port: keys not ascending
        + b"\x01\x00\x00\x02\xab\xcd"  # unknown key 256
    )
    msg = parse_dns(header(qd=0, an=1) + rr(b"\x00", 64, rdata))
    assert msg.answers[0].rtype_name == "SVCB"
    assert msg.answers[0].value == "1 . port=invalid:01bb00 alpn=h2 key256=abcd"
    assert names(msg) == ["dns_bad_svcb_param", "dns_bad_svcb_param"]


# ---------------------------------------------------------------------------------------
# Hostile names


def test_self_pointer_loop() -> None:
    raw = header(qd=1) + b"\xc0\x0c" + b"\x00\x01\x00\x01"
    msg = parse_dns(raw)
    assert names(msg) == ["dns_compression_loop"]
    assert msg.questions == (DnsQuestion("", 1, 1),)  # end of the name is known: continue
    assert not msg.truncated


def test_two_pointer_cycle_with_labels() -> None:
    # offset 12: "a" then pointer to 16; offset 16: "b" then pointer to 12.
    raw = header(qd=1) + b"\x01a\xc0\x10" + b"\x01b\xc0\x0c"
    msg = parse_dns(raw + b"\x00\x01\x00\x01")
    assert "dns_compression_loop" in names(msg)
    assert "dns_name_too_long" not in names(msg)
    assert msg.questions[0].name == "a.b.a"


def _pointer_chain(length: int) -> bytes:
    """A question whose name is the last of ``length`` chained pointers (stored after it)."""
    chain = bytearray(b"\x00")  # root name at offset 18
    for k in range(length):  # pointer k sits at offset 19 + 2k, to the one before it
        chain += struct.pack("!H", 0xC000 | (18 if k == 0 else 19 + 2 * (k - 1)))
    last = 19 + 2 * (length - 1)
    return header(qd=1) + question(struct.pack("!H", 0xC000 | last)) + bytes(chain)


def test_long_pointer_chain_is_cut() -> None:
    # No loop, but more jumps than MAX_POINTER_JUMPS (128).
    msg = parse_dns(_pointer_chain(300))
    assert names(msg) == ["dns_compression_loop", "dns_trailing_bytes"]
    assert msg.questions == (DnsQuestion("", 1, 1),)
    ok = parse_dns(_pointer_chain(100))
    assert names(ok) == ["dns_trailing_bytes"]


def test_pointer_beyond_end() -> None:
    raw = header(qd=1) + b"\x03www\xff\xff" + b"\x00\x01\x00\x01"
    msg = parse_dns(raw)
    assert names(msg) == ["dns_bad_pointer"]
    assert msg.anomalies[0].offset == 16
    assert msg.questions == (DnsQuestion("www", 1, 1),)


@pytest.mark.parametrize("label_type", [0x40, 0x80])
def test_reserved_label_types(label_type: int) -> None:
    raw = header(qd=1) + bytes([label_type | 3]) + b"abc\x00\x00\x01\x00\x01"
    msg = parse_dns(raw)
    assert names(msg) == ["dns_bad_label_type"]
    assert msg.questions == ()
    assert not msg.truncated


def test_name_too_long_in_place_skips_to_next_entry() -> None:
    long_name = b"".join(b"\x3f" + b"a" * 63 for _ in range(5)) + b"\x00"  # 321 octets
    raw = header(qd=1, an=1) + question(long_name) + rr(b"\xc0\x0c", 1, b"\x0a\x00\x00\x01")
    msg = parse_dns(raw)
    # The bad name is not cached, so the answer pointing at it is reported too; the
    # question and the record are still read.
    assert names(msg) == ["dns_name_too_long", "dns_name_too_long"]
    assert msg.questions[0].name == ".".join(["a" * 63] * 3)
    assert msg.answers[0].name == msg.questions[0].name
    assert [r.value for r in msg.answers] == ["10.0.0.1"]


def test_label_runs_past_end() -> None:
    msg = parse_dns(header(qd=1) + b"\x10abc")
    assert names(msg) == ["dns_label_truncated", "dns_truncated_message"]
    assert msg.truncated


# ---------------------------------------------------------------------------------------
# Lying counts and lengths


@pytest.mark.parametrize("size", range(12))
def test_short_header(size: int) -> None:
    msg = parse_dns(TYPICAL[:size])
    assert names(msg) == ["dns_short_header"]
    assert msg.truncated
    assert (msg.id, msg.flags, msg.qdcount, msg.questions, msg.answers) == (0, 0, 0, (), ())


def test_counts_larger_than_records() -> None:
    raw = bytearray(TYPICAL)
    raw[6:8] = struct.pack("!H", 5)  # claims 5 answers, has 2
    msg = parse_dns(bytes(raw))
    assert msg.ancount == 5
    assert len(msg.answers) == 2
    assert msg.truncated
    assert names(msg) == ["dns_label_truncated", "dns_truncated_message"]


def test_rdlength_lies() -> None:
    raw = header(qd=0, an=1) + b"\x00" + struct.pack("!HHIH", 1, 1, 60, 100) + b"\x01\x02\x03\x04"
    msg = parse_dns(raw)
    assert msg.answers == ()
    assert msg.truncated
    assert names(msg) == ["dns_truncated_message"]


def test_trailing_bytes() -> None:
    msg = parse_dns(TYPICAL + b"junk")
    assert names(msg) == ["dns_trailing_bytes"]
    assert msg.anomalies[0].offset == len(TYPICAL)
    assert len(msg.answers) == 2 and not msg.truncated


def test_ten_thousand_records_is_bounded() -> None:
    record = rr(b"\xc0\x0c", 1, b"\x0a\x00\x00\x01")
    raw = header(an=10_000, ar=1) + question(wire_name("x.example")) + record * 10_000
    started = time.perf_counter()
    msg = parse_dns(raw)
    elapsed = time.perf_counter() - started
    assert len(msg.answers) == MAX_RECORDS_PER_SECTION
    assert msg.ancount == 10_000
    assert names(msg) == ["dns_record_limit"]
    assert msg.additional == ()
    assert not msg.truncated
    print(f"10,000-record message: {elapsed * 1e3:.1f} ms")


def test_question_limit() -> None:
    raw = header(qd=600) + question(b"\x00") * 600
    msg = parse_dns(raw)
    assert len(msg.questions) == MAX_RECORDS_PER_SECTION
    assert names(msg) == ["dns_record_limit"]


def _valid_messages() -> list[bytes]:
    pkt = _scapy_response()
    return [TYPICAL, bytes(pkt), bytes(pkt.compress())]


@pytest.mark.parametrize("index", range(3))
def test_every_prefix_never_raises(index: int) -> None:
    raw = _valid_messages()[index]
    full = parse_dns(raw)
    assert full.anomalies == () and not full.truncated
    for cut in range(len(raw)):
        msg = parse_dns(raw[:cut])
        assert msg.truncated, cut
        assert "dns_truncated_message" in names(msg) or cut < 12, cut
        assert set(names(msg)) <= KNOWN_ANOMALIES
        assert len(msg.answers) <= len(full.answers)
        # Whatever was read is identical to the full parse.
        assert msg.answers == full.answers[: len(msg.answers)], cut


def test_random_bytes_never_raise() -> None:
    rng = random.Random(1234)
    for _ in range(3000):
        raw = rng.randbytes(rng.randrange(0, 300))
        msg = parse_dns(raw)
        assert set(names(msg)) <= KNOWN_ANOMALIES
        assert len(msg.answers) <= min(msg.ancount, MAX_RECORDS_PER_SECTION)


def test_mutated_messages_never_raise() -> None:
    rng = random.Random(99)
    seeds = _valid_messages()
    seen: set[str] = set()
    for _ in range(3000):
        raw = bytearray(rng.choice(seeds))
        for _ in range(rng.randrange(1, 6)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        msg = parse_dns(bytes(raw))
        seen.update(names(msg))
        assert set(names(msg)) <= KNOWN_ANOMALIES
        for rec in msg.answers + msg.authority + msg.additional:
            assert isinstance(rec.value, str)
    assert {"dns_bad_pointer", "dns_truncated_message"} <= seen


# ---------------------------------------------------------------------------------------
# TCP framing, detection helpers


def test_split_tcp_two_messages_in_one_segment_and_one_split() -> None:
    first, second, third = TYPICAL, bytes(_scapy_response()), header(qd=0)
    stream = b"".join(struct.pack("!H", len(m)) + m for m in (first, second, third))
    cut = 2 + len(first) + 2 + len(second) + 5  # inside the third message
    messages, consumed = split_tcp_dns(stream[:cut])
    assert messages == [(0, first), (2 + len(first), second)]
    assert consumed == 4 + len(first) + len(second)
    # Once the rest arrives, the caller resumes from `consumed`.
    rest, used = split_tcp_dns(stream[consumed:])
    assert rest == [(0, third)] and used == len(stream) - consumed
    assert parse_dns(messages[1][1]).id == 0xBEEF


def test_split_tcp_partial_length_prefix() -> None:
    assert split_tcp_dns(b"") == ([], 0)
    assert split_tcp_dns(b"\x00") == ([], 0)
    assert split_tcp_dns(b"\x00\x05abc") == ([], 0)
    assert split_tcp_dns(b"\x00\x00\x00\x01x") == ([(0, b""), (2, b"x")], 5)


def test_looks_like_dns() -> None:
    assert looks_like_dns(TYPICAL)
    assert looks_like_dns(bytes(DNS(id=1, rd=1, qd=DNSQR(qname="example.org"))))
    assert not looks_like_dns(b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n")
    assert not looks_like_dns(bytes.fromhex("1603010200010001fc0303") + b"\x00" * 40)
    assert not looks_like_dns(TYPICAL[:11])
    assert not looks_like_dns(header(qd=0))  # no entries at all
    assert not looks_like_dns(header(qd=1, an=50) + b"\x00" * 30)  # counts do not fit


def test_ports_and_doh_hints() -> None:
    assert {53, 5353, 5355} == DNS_PORTS
    assert DOT_PORT == 853
    for host in ("dns.google", "Cloudflare-DNS.com.", "mozilla.cloudflare-dns.com",
                 "dns.quad9.net", "doh.opendns.com", "dns.nextdns.io",
                 "abc123.dns.nextdns.io", "dns.google:443"):
        assert is_doh_hint(host), host
    for host in ("google.com", "example.com", "notcloudflare-dns.com", "dns.google.evil.net"):
        assert not is_doh_hint(host), host


def test_rtype_names() -> None:
    assert [rtype_name(t) for t in (1, 28, 65, 64, 41, 5, 1234)] == [
        "A", "AAAA", "HTTPS", "SVCB", "OPT", "CNAME", "TYPE1234",
    ]
