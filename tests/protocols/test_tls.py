"""Tests for analyzer.protocols.tls: real bytes, published fingerprints, hostile input."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import struct
import time

import pytest
from analyzer.protocols.common import ParseAnomaly
from analyzer.protocols.tls import (
    HRR_RANDOM,
    MAX_RECORDS,
    ClientHello,
    ServerHello,
    TlsCertificate,
    TlsHandshakeMessage,
    client_hello_ja4,
    is_grease,
    looks_like_tls,
    parse_client_hello,
    parse_server_hello,
    parse_tls_stream,
)
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# --------------------------------------------------------------------------- builders


def u16(v: int) -> bytes:
    return struct.pack("!H", v)


def u24(v: int) -> bytes:
    return struct.pack("!I", v)[1:]


def ext(etype: int, data: bytes) -> bytes:
    return u16(etype) + u16(len(data)) + data


def sni_ext(name: bytes) -> bytes:
    entry = b"\x00" + u16(len(name)) + name
    return ext(0x0000, u16(len(entry)) + entry)


def alpn_ext(*protos: bytes) -> bytes:
    body = b"".join(bytes([len(p)]) + p for p in protos)
    return ext(0x0010, u16(len(body)) + body)


def u16_list_ext(etype: int, values: list[int]) -> bytes:
    body = b"".join(u16(v) for v in values)
    return ext(etype, u16(len(body)) + body)


def u8_list_ext(etype: int, values: list[int]) -> bytes:
    return ext(etype, bytes([len(values)]) + bytes(values))


def versions_ext(values: list[int]) -> bytes:
    body = b"".join(u16(v) for v in values)
    return ext(0x002B, bytes([len(body)]) + body)


def key_share_ext(groups: list[int]) -> bytes:
    body = b"".join(u16(g) + u16(32) + bytes(32) for g in groups)
    return ext(0x0033, u16(len(body)) + body)


def client_hello_body(
    ciphers: list[int],
    extensions: list[bytes],
    *,
    version: int = 0x0303,
    session_id: bytes = b"",
    rnd: bytes = bytes(range(32)),
) -> bytes:
    cs = b"".join(u16(c) for c in ciphers)
    exts = b"".join(extensions)
    return (
        u16(version)
        + rnd
        + bytes([len(session_id)])
        + session_id
        + u16(len(cs))
        + cs
        + b"\x01\x00"
        + u16(len(exts))
        + exts
    )


def handshake(msg_type: int, body: bytes) -> bytes:
    return bytes([msg_type]) + u24(len(body)) + body


def record(ctype: int, data: bytes, version: int = 0x0303) -> bytes:
    return bytes([ctype]) + u16(version) + u16(len(data)) + data


def server_hello_body(
    extensions: list[bytes], *, rnd: bytes = bytes(32), cipher: int = 0x1301
) -> bytes:
    exts = b"".join(extensions)
    return u16(0x0303) + rnd + b"\x20" + bytes(32) + u16(cipher) + b"\x00" + u16(len(exts)) + exts


def basic_client_hello(name: bytes = b"blocked.example") -> bytes:
    return client_hello_body(
        [0x1301, 0x1302, 0xC02F],
        [
            sni_ext(name),
            u16_list_ext(0x000A, [0x001D, 0x0017]),
            alpn_ext(b"h2", b"http/1.1"),
            versions_ext([0x0304, 0x0303]),
            u16_list_ext(0x000D, [0x0403, 0x0804]),
            key_share_ext([0x001D]),
            u8_list_ext(0x002D, [1]),
        ],
    )


def only_client_hello(stream: bytes) -> ClientHello:
    parsed = parse_tls_stream(stream)
    ch = parsed.client_hello
    assert ch is not None, parsed.anomalies
    return ch


def names(anomalies: tuple[ParseAnomaly, ...]) -> set[str]:
    return {a.name for a in anomalies}


# --------------------------------------------------------------------------- ClientHello


def test_scapy_client_hello_fields() -> None:
    from scapy.all import load_layer

    load_layer("tls")
    from scapy.layers.tls.extensions import (
        ProtocolName,
        ServerName,
        TLS_Ext_ALPN,
        TLS_Ext_ServerName,
        TLS_Ext_SupportedGroups,
        TLS_Ext_SupportedVersion_CH,
    )
    from scapy.layers.tls.handshake import TLSClientHello
    from scapy.layers.tls.record import TLS

    hello = TLSClientHello(
        version=0x0303,
        ciphers=[0x1301, 0x0A0A, 0xC02F],
        ext=[
            TLS_Ext_ServerName(servernames=[ServerName(servername=b"blocked.example")]),
            TLS_Ext_SupportedGroups(groups=[0x1A1A, 29, 23]),
            TLS_Ext_ALPN(protocols=[ProtocolName(protocol=b"h2"), ProtocolName(protocol=b"h3")]),
            TLS_Ext_SupportedVersion_CH(versions=[0x0304, 0x0303]),
        ],
    )
    raw = bytes(TLS(msg=[hello]))
    assert looks_like_tls(raw)
    parsed = parse_tls_stream(raw)
    ch = parsed.client_hello
    assert ch is not None
    assert parsed.anomalies == ()
    assert not parsed.incomplete_tail
    assert ch.sni == "blocked.example"
    assert ch.alpn == ("h2", "h3")
    assert ch.cipher_suites == (0x1301, 0x0A0A, 0xC02F)
    assert ch.extensions == (0, 10, 16, 43)
    assert ch.supported_versions == (0x0304, 0x0303)
    assert ch.supported_groups == (0x1A1A, 29, 23)
    assert ch.offset == 0 and not ch.record_split and ch.complete
    # GREASE values (0x0a0a cipher, 0x1a1a group) are absent from JA3.
    assert ch.ja3 == "771,4865-49199,0-10-16-43,29-23,"
    assert ch.ja3_md5 == hashlib.md5(ch.ja3.encode()).hexdigest()
    assert ch.ja4.startswith("t13d0204h2_")


def test_ja3_published_example() -> None:
    # The worked example of the Salesforce JA3 README.
    body = client_hello_body(
        [47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4],
        [sni_ext(b"example.com"), u16_list_ext(10, [23, 24, 25]), u8_list_ext(11, [0])],
        version=0x0301,
    )
    ch, anomalies = parse_client_hello(body)
    assert anomalies == ()
    assert ch is not None
    assert ch.ja3 == "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0"
    assert ch.ja3_md5 == "ada70206e40642a3e4461f35503241d5"


JA4_CIPHERS = [
    0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9,
    0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035,
]  # fmt: skip
JA4_SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]


def ja4_example_body(*, grease: bool) -> bytes:
    # Reproduces the FoxIO JA4 README example t13d1516h2_8daaf6152771_e5627efa2ab1.
    exts = [
        sni_ext(b"www.example.com"),
        ext(0x0017, b""),
        ext(0xFF01, b"\x00"),
        u16_list_ext(0x000A, [0x001D, 0x0017, 0x0018]),
        u8_list_ext(0x000B, [0]),
        ext(0x0023, b""),
        alpn_ext(b"h2", b"http/1.1"),
        ext(0x0005, b"\x01\x00\x00\x00\x00"),
        u16_list_ext(0x000D, JA4_SIGALGS),
        ext(0x0012, b""),
        key_share_ext([0x001D]),
        u8_list_ext(0x002D, [1]),
        versions_ext([0x0304, 0x0303]),
        ext(0x001B, b"\x02\x00\x02"),
        ext(0x4469, b""),
        ext(0x0015, bytes(20)),
    ]
    ciphers = list(JA4_CIPHERS)
    if grease:
        exts.insert(0, ext(0x3A3A, b""))
        exts.append(ext(0xDADA, b"\x00"))
        ciphers.insert(0, 0x8A8A)
    return client_hello_body(ciphers, exts)


@pytest.mark.parametrize("grease", [False, True])
def test_ja4_published_example(grease: bool) -> None:
    ch, anomalies = parse_client_hello(ja4_example_body(grease=grease))
    assert anomalies == ()
    assert ch is not None
    assert ch.ja4 == "t13d1516h2_8daaf6152771_e5627efa2ab1"
    assert ch.ja4_r.split("_", 1)[1] == (
        "002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_"
        "0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_"
        "0403,0804,0401,0503,0805,0501,0806,0601"
    )
    assert client_hello_ja4(ch, "q") == "q13d1516h2_8daaf6152771_e5627efa2ab1"
    assert ch.padding_length == 20
    assert ch.key_share_groups == (0x001D,)
    assert ch.psk_modes == (1,)
    assert ch.ec_point_formats == (0,)


def test_ja4_no_sni_no_alpn_tls12() -> None:
    ch, _ = parse_client_hello(client_hello_body([0xC02F], [u8_list_ext(0x000B, [0])]))
    assert ch is not None
    assert ch.ja4.startswith("t12i0101" + "00_")
    ch2, _ = parse_client_hello(client_hello_body([], []))
    assert ch2 is not None
    assert ch2.ja4 == "t12i000000_000000000000_000000000000"


def test_ja4_alpn_non_alphanumeric_uses_hex() -> None:
    ch, _ = parse_client_hello(client_hello_body([0x1301], [alpn_ext(b"\xab\x01\xcd")]))
    assert ch is not None
    assert ch.ja4.split("_")[0].endswith("ad")
    assert ch.alpn == ("\\xab\\x01\\xcd",)


def test_grease_detection() -> None:
    assert all(is_grease(v) for v in (0x0A0A, 0x1A1A, 0xAAAA, 0xFAFA))
    assert not any(is_grease(v) for v in (0x0A1A, 0x1301, 0x0000, 0xABAB))


def test_extensions_flags() -> None:
    body = client_hello_body(
        [0x1301], [sni_ext(b"a.example"), ext(0xFE0D, b"\x00" * 8), ext(0xFFCE, b"\x01")]
    )
    ch, _ = parse_client_hello(body)
    assert ch is not None
    assert ch.has_ech and ch.has_esni
    ch2, _ = parse_client_hello(basic_client_hello())
    assert ch2 is not None
    assert not ch2.has_ech and not ch2.has_esni
    assert ch2.signature_algorithms == (0x0403, 0x0804)
    assert ch2.supported_groups == (0x001D, 0x0017)


def test_sni_non_printable_is_escaped() -> None:
    ch, anomalies = parse_client_hello(client_hello_body([0x1301], [sni_ext(b"bad\x00na\\me")]))
    assert ch is not None
    assert ch.sni == "bad\\x00na\\x5cme"
    assert "tls_sni_malformed" in names(anomalies)


# --------------------------------------------------------------------------- stream


def test_client_hello_split_across_two_records() -> None:
    msg = handshake(1, basic_client_hello())
    stream = record(22, msg[:40], 0x0301) + record(22, msg[40:], 0x0301)
    parsed = parse_tls_stream(stream)
    ch = parsed.client_hello
    assert ch is not None
    assert ch.sni == "blocked.example"
    assert ch.record_split is True
    assert ch.offset == 0
    assert len(parsed.records) == 2
    assert parsed.records[1].offset == 45
    assert parsed.anomalies == ()


def test_client_hello_in_one_byte_records() -> None:
    msg = handshake(1, basic_client_hello(b"split.example"))
    stream = b"".join(record(22, msg[i : i + 1]) for i in range(len(msg)))
    ch = only_client_hello(stream)
    assert ch.sni == "split.example"
    assert ch.record_split


def test_second_message_offset_is_its_record() -> None:
    first = handshake(1, basic_client_hello(b"one.example"))
    stream = record(22, first) + record(22, handshake(1, basic_client_hello(b"two.example")))
    parsed = parse_tls_stream(stream)
    hellos = [h for h in parsed.handshakes if isinstance(h, ClientHello)]
    assert [h.sni for h in hellos] == ["one.example", "two.example"]
    assert hellos[1].offset == len(record(22, first))


def test_truncation_at_every_prefix_never_raises() -> None:
    stream = record(22, handshake(1, basic_client_hello())) + record(23, b"x" * 30)
    full = len(record(22, handshake(1, basic_client_hello())))
    sni_end = 5 + 4 + 2 + 32 + 1 + 2 + 6 + 2 + 2 + 4 + 2 + 3 + len(b"blocked.example")
    for n in range(len(stream) + 1):
        parsed = parse_tls_stream(stream[:n])
        ch = parsed.client_hello
        if n < full:
            assert parsed.incomplete_tail == (n > 0), n
            assert parsed.app_data_offset is None
            if ch is not None:
                assert not ch.complete
            if n >= sni_end:
                assert ch is not None and ch.sni == "blocked.example", n
            else:
                assert ch is None or ch.sni is None, n
        else:
            assert ch is not None and ch.complete and ch.sni == "blocked.example"
    assert parse_tls_stream(stream).app_data_offset == full


def test_truncated_client_hello_is_flagged() -> None:
    stream = record(22, handshake(1, basic_client_hello()))[:-10]
    parsed = parse_tls_stream(stream)
    assert parsed.incomplete_tail
    assert "tls_handshake_truncated" in names(parsed.anomalies)
    assert parsed.client_hello is not None and not parsed.client_hello.complete


def test_record_too_long() -> None:
    stream = b"\x16\x03\x01\xff\xff" + bytes(100)
    parsed = parse_tls_stream(stream)
    assert "tls_record_too_long" in names(parsed.anomalies)
    assert parsed.client_hello is None
    assert not looks_like_tls(stream)


def test_bad_record_type_stops_walk() -> None:
    stream = record(22, handshake(1, basic_client_hello())) + b"GET / HTTP/1.1\r\n"
    parsed = parse_tls_stream(stream)
    assert parsed.client_hello is not None
    assert [a.name for a in parsed.anomalies] == ["tls_bad_record_type"]
    assert parsed.anomalies[0].offset == len(stream) - 16


def test_lying_extension_length() -> None:
    body = bytearray(basic_client_hello())
    # The first extension (SNI) starts right after the extensions block length.
    sni_at = 2 + 32 + 1 + 2 + 6 + 2 + 2
    body[sni_at + 2 : sni_at + 4] = u16(0x7FFF)
    ch, anomalies = parse_client_hello(bytes(body))
    assert ch is not None
    assert "tls_bad_extension_length" in names(anomalies)
    assert ch.sni is None


def test_lying_sni_list_length() -> None:
    name = b"blocked.example"
    entry = b"\x00" + u16(len(name) + 50) + name  # host_name length overruns
    body = client_hello_body([0x1301], [ext(0, u16(len(entry)) + entry)])
    ch, anomalies = parse_client_hello(body)
    assert ch is not None and ch.sni is None
    assert "tls_sni_malformed" in names(anomalies)


def test_lying_handshake_length() -> None:
    body = basic_client_hello()
    msg = b"\x01" + u24(len(body) + 1000) + body
    parsed = parse_tls_stream(record(22, msg))
    assert "tls_handshake_truncated" in names(parsed.anomalies)
    assert not parsed.incomplete_tail  # the record itself was complete
    ch = parsed.client_hello
    assert ch is not None and not ch.complete and ch.sni == "blocked.example"


def test_duplicate_extension() -> None:
    body = client_hello_body([0x1301], [sni_ext(b"a.example"), sni_ext(b"b.example")])
    ch, anomalies = parse_client_hello(body)
    assert ch is not None and ch.sni == "a.example"
    assert "tls_duplicate_extension" in names(anomalies)


def test_ten_thousand_tiny_records_are_bounded() -> None:
    stream = record(22, b"\x01") * 10_000
    start = time.perf_counter()
    parsed = parse_tls_stream(stream)
    assert time.perf_counter() - start < 2.0
    assert len(parsed.records) == MAX_RECORDS
    assert "tls_too_many_records" in names(parsed.anomalies)
    assert parsed.records_seen <= 4096


def test_random_garbage_never_raises() -> None:
    rng = random.Random(1234)
    base = record(22, handshake(1, basic_client_hello()))
    for _ in range(2000):
        data = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        parse_tls_stream(bytes(data))
        parse_client_hello(bytes(data[9:]))
        parse_server_hello(bytes(data[9:]))
    for _ in range(500):
        blob = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
        parse_tls_stream(b"\x16\x03\x01" + blob)
        looks_like_tls(blob)


def test_sslv2_hello() -> None:
    challenge = bytes(16)
    body = b"\x01\x03\x01" + u16(3) + u16(0) + u16(16) + b"\x00\x00\x2f" + challenge
    stream = struct.pack("!H", 0x8000 | len(body)) + body
    assert looks_like_tls(stream)
    parsed = parse_tls_stream(stream)
    assert parsed.sslv2_hello
    assert "tls_sslv2_hello" in names(parsed.anomalies)
    assert not parsed.incomplete_tail


def test_looks_like_tls() -> None:
    assert looks_like_tls(b"\x16\x03\x01\x02\x00\x01")
    assert looks_like_tls(b"\x17\x03\x03\x00\x20")
    assert not looks_like_tls(b"GET / HTTP/1.1\r\n")
    assert not looks_like_tls(b"\x16\x02\x01\x00\x10")
    assert not looks_like_tls(b"\x19\x03\x03\x00\x10")
    assert not looks_like_tls(b"")


# --------------------------------------------------------------------------- server side


def test_tls13_server_flight() -> None:
    sh = server_hello_body([versions_ext_sh(0x0304), key_share_sh(0x001D)])
    stream = (
        record(22, handshake(2, sh))
        + record(20, b"\x01")
        + record(23, bytes(40))
        + record(22, bytes(20))  # stray handshake record after encryption: not parsed
        + record(21, bytes(19))
    )
    parsed = parse_tls_stream(stream)
    server = parsed.server_hello
    assert server is not None
    assert server.selected_version == 0x0304
    assert server.key_share_group == 0x001D
    assert server.cipher_suite == 0x1301
    assert not server.is_hello_retry_request
    assert server.ja3s == "771,4865,43-51"
    assert parsed.encrypted_from == len(record(22, handshake(2, sh)))
    assert parsed.ccs_offset == parsed.encrypted_from
    assert parsed.app_data_offset == parsed.encrypted_from + 6
    assert len(parsed.handshakes) == 1
    assert [r.content_type for r in parsed.records] == [22, 20, 23, 22, 21]
    assert parsed.alerts[0].encrypted and parsed.alerts[0].description is None


def versions_ext_sh(v: int) -> bytes:
    return ext(0x002B, u16(v))


def key_share_sh(group: int) -> bytes:
    return ext(0x0033, u16(group) + u16(32) + bytes(32))


def test_hello_retry_request_then_server_hello() -> None:
    hrr = server_hello_body([versions_ext_sh(0x0304), ext(0x0033, u16(0x0017))], rnd=HRR_RANDOM)
    sh = server_hello_body([versions_ext_sh(0x0304), key_share_sh(0x0017)])
    parsed = parse_tls_stream(record(22, handshake(2, hrr)) + record(22, handshake(2, sh)))
    hellos = [h for h in parsed.handshakes if isinstance(h, ServerHello)]
    assert [h.is_hello_retry_request for h in hellos] == [True, False]
    assert parsed.server_hello is hellos[1]
    assert hashlib.sha256(b"HelloRetryRequest").digest() == bytes.fromhex(
        "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
    )


def test_compat_ccs_after_hello_retry_request() -> None:
    """RFC 8446 D.4: the server's compat CCS follows its HelloRetryRequest; the ServerHello
    that answers the second ClientHello is still cleartext, then encryption begins. After a
    ServerHello (not a retry) the CCS is a real boundary."""
    hrr = server_hello_body([versions_ext_sh(0x0304), ext(0x0033, u16(0x0017))], rnd=HRR_RANDOM)
    sh = server_hello_body([versions_ext_sh(0x0304), key_share_sh(0x0017)])
    stream = (record(22, handshake(2, hrr)) + record(20, b"\x01") + record(22, handshake(2, sh))
              + record(23, bytes(40)))
    parsed = parse_tls_stream(stream)
    hellos = [h for h in parsed.handshakes if isinstance(h, ServerHello)]
    assert [h.is_hello_retry_request for h in hellos] == [True, False]
    assert parsed.server_hello is hellos[1]
    assert parsed.encrypted_from == len(stream) - 45
    # a (TLS 1.2) ServerHello followed by CCS: what follows is opaque, even if it looks like
    # a ServerHello
    tls12 = server_hello_body([], cipher=0xC02F)
    after = record(22, handshake(2, tls12)) + record(20, b"\x01") + record(22, handshake(2, sh))
    parsed12 = parse_tls_stream(after)
    assert len([h for h in parsed12.handshakes if isinstance(h, ServerHello)]) == 1


def test_downgrade_sentinel_and_alpn() -> None:
    rnd = bytes(24) + b"DOWNGRD\x01"
    alpn = ext(0x0010, u16(3) + b"\x02h2")
    sh, anomalies = parse_server_hello(server_hello_body([alpn], rnd=rnd, cipher=0xC02F))
    assert anomalies == ()
    assert sh is not None
    assert sh.downgrade_sentinel == "tls12"
    assert sh.alpn == "h2"
    assert sh.selected_version is None


def make_cert_chain() -> tuple[bytes, bytes]:
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=10))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "site.example")]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(0xABCDEF)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=10))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("site.example")]), False)
        .sign(ca_key, hashes.SHA256())
    )
    return leaf.public_bytes(serialization.Encoding.DER), ca.public_bytes(
        serialization.Encoding.DER
    )


def test_tls12_server_flight_with_certificate() -> None:
    leaf, ca = make_cert_chain()
    certs = b"".join(u24(len(c)) + c for c in (leaf, ca))
    sh = server_hello_body([ext(0xFF01, b"\x00")], cipher=0xC02F)
    flight = handshake(2, sh) + handshake(11, u24(len(certs)) + certs) + handshake(14, b"")
    stream = (
        record(22, flight[:500])
        + record(22, flight[500:])
        + record(20, b"\x01")
        + record(22, bytes(40))
        + record(21, b"\x02\x28")  # 2-byte alert after CCS: reported as a fact
    )
    parsed = parse_tls_stream(stream)
    kinds = [type(h) for h in parsed.handshakes]
    assert kinds == [ServerHello, TlsCertificate, TlsHandshakeMessage]
    cert = parsed.certificate
    assert cert is not None
    assert cert.chain == (leaf, ca)
    assert cert.record_split
    summary = cert.summaries[0]
    assert not isinstance(summary, ParseAnomaly)
    assert summary.subject_cn == "site.example"
    assert summary.serial == "abcdef"
    done = parsed.handshakes[2]
    assert isinstance(done, TlsHandshakeMessage) and done.type_name == "server_hello_done"
    assert done.offset == len(record(22, flight[:500]))
    assert parsed.alerts == (parsed.alerts[0],) and parsed.alerts[0].encrypted
    assert "tls_short_encrypted_alert" in names(parsed.anomalies)


def test_garbage_certificate_in_message() -> None:
    certs = u24(5) + b"\x30\x03\x02\x01\x00"
    stream = record(22, handshake(11, u24(len(certs)) + certs))
    cert = parse_tls_stream(stream).certificate
    assert cert is not None
    assert cert.chain == (b"\x30\x03\x02\x01\x00",)
    assert isinstance(cert.summaries[0], ParseAnomaly)
    assert cert.summaries[0].name == "x509_unparseable"


def test_cleartext_alert() -> None:
    stream = record(21, b"\x02\x28") + record(21, b"\x02\x70")
    parsed = parse_tls_stream(stream)
    assert [(a.level, a.description_name, a.encrypted) for a in parsed.alerts] == [
        (2, "handshake_failure", False),
        (2, "unrecognized_name", False),
    ]
    assert parsed.alerts[1].offset == 7
    odd = parse_tls_stream(record(21, b"\x02"))
    assert "tls_alert_malformed" in names(odd.anomalies)


def test_compat_ccs_before_second_client_hello() -> None:
    first = record(22, handshake(1, basic_client_hello(b"first.example")))
    second = record(22, handshake(1, basic_client_hello(b"second.example")))
    stream = first + record(20, b"\x01") + second + record(23, bytes(30))
    parsed = parse_tls_stream(stream)
    hellos = [h for h in parsed.handshakes if isinstance(h, ClientHello)]
    assert [h.sni for h in hellos] == ["first.example", "second.example"]
    assert parsed.encrypted_from == len(stream) - 35
    # A TLS 1.2-only client's CCS is a real boundary: what follows stays opaque.
    tls12 = client_hello_body([0xC02F], [sni_ext(b"old.example")])
    old = record(22, handshake(1, tls12)) + record(20, b"\x01") + second
    parsed12 = parse_tls_stream(old)
    assert [h.sni for h in parsed12.handshakes if isinstance(h, ClientHello)] == ["old.example"]


def test_anomalies_are_capped() -> None:
    stream = record(21, b"\x02") * 3000
    parsed = parse_tls_stream(stream)
    assert len(parsed.anomalies) <= 129
    assert parsed.anomalies[-1].name == "tls_too_many_anomalies"
    assert len(parsed.alerts) == 0
    empty = parse_tls_stream(record(22, b"") * 3000)
    assert [a.name for a in empty.anomalies] == [
        "tls_empty_handshake_record",
        "tls_too_many_records",
    ]
