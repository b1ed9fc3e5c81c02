"""Tests for analyzer.protocols.quic: RFC 9001 / RFC 9369 vectors, built packets, hostility."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest
from analyzer.protocols.quic import (
    VERSION_1,
    VERSION_2,
    InitialKeys,
    QuicHandshakeAssembler,
    decode_packet_number,
    derive_initial_keys,
    looks_like_quic,
    parse_quic_datagram,
    parse_quic_flow,
)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

DATA = Path(__file__).parent / "data"
RFC_DCID = bytes.fromhex("8394c8f03e515708")
DRAFT_29 = 0xFF00001D


def load_hex(name: str) -> bytes:
    lines = (DATA / name).read_text().splitlines()
    return bytes.fromhex("".join("".join(ln.split()) for ln in lines if not ln.startswith("#")))


# --------------------------------------------------------------------------- builders


def varint(v: int) -> bytes:
    if v < 0x40:
        return bytes([v])
    if v < 0x4000:
        return struct.pack("!H", 0x4000 | v)
    return struct.pack("!I", 0x80000000 | v)


def u16(v: int) -> bytes:
    return struct.pack("!H", v)


def client_hello_message(sni: bytes, alpn: bytes = b"h3", pad: int = 0) -> bytes:
    def ext(t: int, d: bytes) -> bytes:
        return u16(t) + u16(len(d)) + d

    entry = b"\x00" + u16(len(sni)) + sni
    exts = [
        ext(0x0000, u16(len(entry)) + entry),
        ext(0x0010, u16(len(alpn) + 1) + bytes([len(alpn)]) + alpn),
        ext(0x002B, b"\x02\x03\x04"),
        ext(0x000A, u16(2) + u16(0x001D)),
        ext(0x000D, u16(4) + u16(0x0403) + u16(0x0804)),
        ext(0x0033, u16(36) + u16(0x001D) + u16(32) + bytes(32)),
        ext(0x0039, bytes(8)),  # quic_transport_parameters (opaque here)
    ]
    if pad:
        exts.append(ext(0x0015, bytes(pad)))
    blob = b"".join(exts)
    body = (
        u16(0x0303)
        + bytes(32)
        + b"\x00"
        + u16(6)
        + u16(0x1301)
        + u16(0x1302)
        + u16(0x1303)
        + b"\x01\x00"
        + u16(len(blob))
        + blob
    )
    return b"\x01" + struct.pack("!I", len(body))[1:] + body


def crypto_frame(offset: int, data: bytes) -> bytes:
    return b"\x06" + varint(offset) + varint(len(data)) + data


def protect_initial(
    *,
    version: int,
    dcid: bytes,
    scid: bytes,
    pn: int,
    payload: bytes,
    keys: InitialKeys,
    pn_len: int = 2,
    token: bytes = b"",
) -> bytes:
    """Build a protected Initial packet (RFC 9001 §5.3-5.4) with cryptography primitives."""
    type_bits = 1 if version == VERSION_2 else 0  # the drafts use v1's type bits
    first = 0xC0 | (type_bits << 4) | (pn_len - 1)
    length = pn_len + len(payload) + 16
    pn_bytes = pn.to_bytes(pn_len, "big")
    header = (
        bytes([first])
        + struct.pack("!I", version)
        + bytes([len(dcid)])
        + dcid
        + bytes([len(scid)])
        + scid
        + varint(len(token))
        + token
        + struct.pack("!H", 0x4000 | length)
        + pn_bytes
    )
    nonce = bytes(a ^ b for a, b in zip(keys.iv, pn.to_bytes(12, "big"), strict=True))
    sealed = AESGCM(keys.key).encrypt(nonce, payload, header)
    sample = sealed[4 - pn_len : 20 - pn_len]
    enc = Cipher(algorithms.AES(keys.hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    pn_at = len(header) - pn_len
    protected = bytearray(header)
    protected[0] ^= mask[0] & 0x0F
    for i in range(pn_len):
        protected[pn_at + i] ^= mask[1 + i]
    return bytes(protected) + sealed


def pad_to(payload: bytes, size: int) -> bytes:
    return payload + bytes(max(0, size - len(payload)))


# --------------------------------------------------------------------------- keys


RFC_KEYS = {  # (key, iv, hp) for client then server: RFC 9001 A.1 and RFC 9369 A.1
    VERSION_1: (
        "1f369613dd76d5467730efcbe3b1a22d",
        "fa044b2f42a3fd3b46fb255c",
        "9f50449e04a0e810283a1e9933adedd2",
        "cf3a5331653c364c88f0f379b6067e37",
        "0ac1493ca1905853b0bba03e",
        "c206b8d9b9f0f37644430b490eeaa314",
    ),
    VERSION_2: (
        "8b1a0bc121284290a29e0971b5cd045d",
        "91f73e2351d8fa91660e909f",
        "45b95e15235d6f45a6b19cbcb0294ba9",
        "82db637861d55e1d011f19ea71d5d2a7",
        "dd13c276499c0249d3310652",
        "edf6d05c83121201b436e16877593c3a",
    ),
    DRAFT_29: (  # draft-ietf-quic-tls-29 A.1 (the salt of drafts 29-32)
        "175257a31eb09dea9366d8bb79ad80ba",
        "6b26114b9cba2b63a9e8dd4f",
        "9ddd12c994c0698b89374a9c077a3077",
        "149d0b1662ab871fbe63c49b5e655a5d",
        "bab2b12a4c76016ace47856d",
        "c0c499a65a60024a18a250974ea01dfa",
    ),
}
DRAFT_23_CLIENT = (  # draft-ietf-quic-tls-23 A.1 (the salt of drafts 23-28), client side
    "af7fd7efebd21878ff66811248983694",
    "8681359410a70bb9c92f0420",
    "a980b8b4fb7d9fbc13e814c23164253d",
)


@pytest.mark.parametrize("version", [VERSION_1, VERSION_2, DRAFT_29])
def test_initial_keys_match_rfc(version: int) -> None:
    c, s = derive_initial_keys(RFC_DCID, version)
    got = (c.key, c.iv, c.hp, s.key, s.iv, s.hp)
    assert tuple(v.hex() for v in got) == RFC_KEYS[version]


@pytest.mark.parametrize("draft", [23, 28])
def test_initial_keys_of_early_drafts(draft: int) -> None:
    c, _ = derive_initial_keys(RFC_DCID, 0xFF000000 | draft)
    assert (c.key.hex(), c.iv.hex(), c.hp.hex()) == DRAFT_23_CLIENT


def test_packet_number_decoding_rfc9000_example() -> None:
    # RFC 9000 Appendix A.3 example.
    assert decode_packet_number(0xA82F30EA, 0x9B32, 16) == 0xA82F9B32
    assert decode_packet_number(-1, 2, 32) == 2


# --------------------------------------------------------------------------- RFC vectors


@pytest.mark.parametrize(("prefix", "version"), [("rfc9001", VERSION_1), ("rfc9369", VERSION_2)])
def test_rfc_client_and_server_initial(prefix: str, version: int) -> None:
    client = load_hex(f"{prefix}_a2_client_initial.hex")
    server = load_hex(f"{prefix}_a3_server_initial.hex")
    assert len(client) == 1200 and looks_like_quic(client)

    dg = parse_quic_datagram(client, from_client=True)
    assert dg.anomalies == ()
    (pkt,) = dg.packets
    assert pkt.packet_type == "initial" and pkt.version == version
    assert pkt.dcid == RFC_DCID and pkt.scid == b"" and pkt.token == b""
    assert pkt.length == 1182 and pkt.size == 1200
    assert pkt.decrypted and pkt.packet_number == 2
    assert pkt.frames == ("CRYPTO", "PADDING")
    assert pkt.padding_length == 1162 - 245
    assert pkt.crypto[0].offset == 0 and len(pkt.crypto[0].data) == 241

    sdg = parse_quic_datagram(server, from_client=False, initial_dcid=RFC_DCID)
    (spkt,) = sdg.packets
    assert spkt.decrypted and spkt.packet_number == 1
    assert spkt.frames == ("ACK", "CRYPTO") and spkt.ack_largest == 0
    assert spkt.scid == bytes.fromhex("f067a5502a4262b5")

    hs = parse_quic_flow([(client, True), (server, False)])
    assert hs.anomalies == ()
    assert hs.version == version and hs.initial_dcid == RFC_DCID
    assert hs.sni == "example.com"
    assert hs.alpn == ("alpn",)
    assert hs.ja4 is not None and hs.ja4.startswith("q13d0211an_")
    assert hs.server_hello is not None
    assert hs.server_hello.selected_version == 0x0304
    assert hs.server_hello.cipher_suite == 0x1301
    assert hs.client_initials_decrypted == 1 and hs.server_initials_decrypted == 1


def test_server_initial_without_client_dcid_is_not_decrypted() -> None:
    server = load_hex("rfc9001_a3_server_initial.hex")
    (pkt,) = parse_quic_datagram(server, from_client=False).packets
    assert not pkt.decrypted and pkt.packet_type == "initial"


def test_wrong_dcid_fails_cleanly() -> None:
    server = load_hex("rfc9001_a3_server_initial.hex")
    dg = parse_quic_datagram(server, from_client=False, initial_dcid=bytes(8))
    assert not dg.packets[0].decrypted
    assert [a.name for a in dg.anomalies] == ["quic_decrypt_failed"]
    client = bytearray(load_hex("rfc9001_a2_client_initial.hex"))
    client[6] ^= 0x01  # flip a DCID bit: both key derivation and AAD now disagree
    dg2 = parse_quic_datagram(bytes(client), from_client=True)
    assert not dg2.packets[0].decrypted
    assert [a.name for a in dg2.anomalies] == ["quic_decrypt_failed"]
    hs = parse_quic_flow([(bytes(client), True)])
    assert hs.client_hello is None and "quic_decrypt_failed" in {a.name for a in hs.anomalies}


def test_every_prefix_and_bit_flip_never_raises() -> None:
    client = load_hex("rfc9001_a2_client_initial.hex")
    for n in range(0, len(client), 3):
        dg = parse_quic_datagram(client[:n], from_client=True)
        assert all(not p.decrypted for p in dg.packets)
    rng = random.Random(99)
    for _ in range(300):
        mutated = bytearray(client)
        for _ in range(rng.randint(1, 4)):
            mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
        parse_quic_datagram(bytes(mutated), from_client=True)
    for _ in range(300):
        blob = bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
        parse_quic_datagram(blob, from_client=bool(rng.randrange(2)))
        parse_quic_datagram(b"\xc0\x00\x00\x00\x01" + blob, from_client=True)
        looks_like_quic(blob)


# --------------------------------------------------------------------------- built flows


@pytest.mark.parametrize("version", [VERSION_1, VERSION_2, DRAFT_29, 0xFF000020, 0xFF000017])
def test_built_initial_round_trip(version: int) -> None:
    dcid, scid = bytes.fromhex("0011223344556677"), bytes.fromhex("aabbccdd")
    ckeys, _ = derive_initial_keys(dcid, version)
    msg = client_hello_message(b"blocked.example")
    pkt = protect_initial(
        version=version,
        dcid=dcid,
        scid=scid,
        pn=0,
        payload=pad_to(crypto_frame(0, msg), 1162),
        keys=ckeys,
    )
    assert len(pkt) >= 1200
    hs = parse_quic_flow([(pkt, True)])
    assert hs.anomalies == ()
    assert hs.sni == "blocked.example"
    assert hs.alpn == ("h3",)
    ch = hs.client_hello
    assert ch is not None and ch.transport == "q" and ch.complete
    assert ch.ja4.startswith("q13d0307h3_")
    assert ch.supported_versions == (0x0304,)


def test_client_hello_across_datagrams_out_of_order_and_coalesced() -> None:
    dcid, scid = bytes.fromhex("c0ffee00c0ffee00"), b"\x01\x02\x03\x04"
    ckeys, skeys = derive_initial_keys(dcid, VERSION_1)
    msg = client_hello_message(b"blocked.example", pad=1500)  # larger than one packet
    cut = 1000
    first = protect_initial(
        version=VERSION_1, dcid=dcid, scid=scid, pn=0,
        payload=crypto_frame(0, msg[:cut]), keys=ckeys,
    )  # fmt: skip
    second = protect_initial(
        version=VERSION_1, dcid=dcid, scid=scid, pn=1,
        payload=pad_to(crypto_frame(cut, msg[cut:]), 1100), keys=ckeys,
    )  # fmt: skip
    handshake_pkt = (
        bytes([0xE0]) + struct.pack("!I", VERSION_1) + b"\x04" + scid + b"\x00"
        + struct.pack("!H", 0x4000 | 40) + bytes(40)
    )  # fmt: skip
    # The second half arrives first, coalesced with a Handshake packet and zero padding.
    assembler = QuicHandshakeAssembler()
    dg = assembler.feed(second + handshake_pkt + bytes(30), from_client=True)
    assert [p.packet_type for p in dg.packets] == ["initial", "handshake"]
    assert dg.trailing_zeros == 30
    assert dg.packets[1].length == 40 and not dg.packets[1].decrypted
    assert assembler.result().client_hello is None
    assert assembler.result().client_crypto_bytes == 0
    assembler.feed(first, from_client=True)
    hs = assembler.result()
    assert hs.sni == "blocked.example"
    assert hs.client_crypto_bytes == len(msg)
    assert hs.client_hello is not None and hs.client_hello.padding_length == 1500

    # Server answers: Initial with a CONNECTION_CLOSE, keys from the client's first DCID.
    close = b"\x1c" + varint(0x0128) + varint(0x06) + varint(7) + b"blocked"
    spkt = protect_initial(
        version=VERSION_1, dcid=scid, scid=b"\x09" * 8, pn=0, payload=close, keys=skeys
    )
    sdg = assembler.feed(spkt, from_client=False)
    assert sdg.packets[0].decrypted
    hs = assembler.result()
    assert len(hs.connection_closes) == 1
    cc = hs.connection_closes[0]
    assert (cc.error_code, cc.frame_type, cc.reason, cc.application) == (
        0x0128,
        0x06,
        "blocked",
        False,
    )


def test_partial_client_hello_is_reported() -> None:
    dcid = bytes(8)
    ckeys, _ = derive_initial_keys(dcid, VERSION_1)
    msg = client_hello_message(b"blocked.example", pad=1500)
    first = protect_initial(
        version=VERSION_1, dcid=dcid, scid=b"", pn=0, payload=crypto_frame(0, msg[:900]),
        keys=ckeys,
    )  # fmt: skip
    hs = parse_quic_flow([(first, True)])
    assert hs.client_hello is not None and not hs.client_hello.complete
    assert hs.sni == "blocked.example"
    assert "quic_client_hello_incomplete" in {a.name for a in hs.anomalies}


def test_crypto_overlap_mismatch_and_unknown_frame() -> None:
    dcid = bytes.fromhex("0102030405060708")
    ckeys, _ = derive_initial_keys(dcid, VERSION_1)
    msg = client_hello_message(b"a.example")
    p1 = protect_initial(
        version=VERSION_1, dcid=dcid, scid=b"", pn=0, payload=crypto_frame(0, msg[:100]),
        keys=ckeys,
    )  # fmt: skip
    forged = bytearray(msg[:100])
    forged[50] ^= 0xFF
    p2 = protect_initial(
        version=VERSION_1, dcid=dcid, scid=b"", pn=1,
        payload=crypto_frame(0, bytes(forged)) + b"\x21\x00", keys=ckeys,
    )  # fmt: skip
    hs = parse_quic_flow([(p1, True), (p2, True)])
    found = {a.name for a in hs.anomalies}
    assert "quic_crypto_overlap_mismatch" in found
    assert "quic_unknown_frame" in found


def test_crypto_reassembly_is_capped() -> None:
    dcid = bytes.fromhex("0102030405060709")
    ckeys, _ = derive_initial_keys(dcid, VERSION_1)
    far = protect_initial(
        version=VERSION_1, dcid=dcid, scid=b"", pn=0,
        payload=crypto_frame(70_000, b"x" * 100), keys=ckeys,
    )  # fmt: skip
    hs = parse_quic_flow([(far, True)])
    assert "quic_crypto_beyond_cap" in {a.name for a in hs.anomalies}
    assert hs.client_crypto_bytes == 0


# --------------------------------------------------------------------------- other packets


def test_version_negotiation() -> None:
    vn = (
        b"\x80" + bytes(4) + b"\x04" + b"\x01\x02\x03\x04" + b"\x08" + bytes(8)
        + struct.pack("!3I", VERSION_2, VERSION_1, 0x1A2A3A4A)
    )  # fmt: skip
    assert looks_like_quic(vn)
    (pkt,) = parse_quic_datagram(vn, from_client=False).packets
    assert pkt.packet_type == "version_negotiation" and pkt.version_name == "negotiation"
    assert pkt.supported_versions == (VERSION_2, VERSION_1, 0x1A2A3A4A)
    assembler = QuicHandshakeAssembler()
    assembler.feed(vn, from_client=False)
    assert assembler.result().version_negotiation == (VERSION_2, VERSION_1, 0x1A2A3A4A)
    bad = parse_quic_datagram(vn[:-1], from_client=False)
    assert "quic_version_negotiation_malformed" in {a.name for a in bad.anomalies}


def test_retry_switches_initial_keys() -> None:
    odcid, new_dcid = bytes.fromhex("1111111111111111"), bytes.fromhex("2222222222222222")
    retry = (
        bytes([0xF0]) + struct.pack("!I", VERSION_1) + b"\x00" + b"\x08" + new_dcid
        + b"retry-token" + bytes(16)
    )  # fmt: skip
    (rpkt,) = parse_quic_datagram(retry, from_client=False).packets
    assert rpkt.packet_type == "retry" and rpkt.token == b"retry-token"
    ckeys_old, _ = derive_initial_keys(odcid, VERSION_1)
    ckeys_new, skeys_new = derive_initial_keys(new_dcid, VERSION_1)
    msg = client_hello_message(b"after.retry")
    p0 = protect_initial(
        version=VERSION_1, dcid=odcid, scid=b"\x05" * 4, pn=0,
        payload=pad_to(crypto_frame(0, msg[:50]), 1100), keys=ckeys_old,
    )  # fmt: skip
    p1 = protect_initial(
        version=VERSION_1, dcid=new_dcid, scid=b"\x05" * 4, pn=1, token=b"retry-token",
        payload=pad_to(crypto_frame(0, msg), 1100), keys=ckeys_new,
    )  # fmt: skip
    s1 = protect_initial(
        version=VERSION_1, dcid=b"\x05" * 4, scid=b"\x06" * 4, pn=0,
        payload=b"\x01" + bytes(20), keys=skeys_new,
    )  # fmt: skip
    assembler = QuicHandshakeAssembler()
    assembler.feed(p0, from_client=True)
    assembler.feed(retry, from_client=False)
    assembler.feed(p1, from_client=True)
    sdg = assembler.feed(s1, from_client=False)
    hs = assembler.result()
    assert hs.retry and hs.initial_dcid == new_dcid
    assert hs.sni == "after.retry"
    assert sdg.packets[0].decrypted and sdg.packets[0].frames == ("PING", "PADDING")


def test_unknown_version_and_short_header_are_observations() -> None:
    unknown = b"\xc0" + struct.pack("!I", 0xFF000016) + b"\x02ab\x01c" + bytes(50)  # draft-22
    dg = parse_quic_datagram(unknown, from_client=True)
    assert dg.anomalies == ()
    (pkt,) = dg.packets
    assert pkt.packet_type == "unknown" and pkt.version_name == "unknown"
    assert pkt.dcid == b"ab" and pkt.scid == b"c" and pkt.size == len(unknown)
    assert not looks_like_quic(unknown)
    short = parse_quic_datagram(b"\x40" + bytes(30), from_client=False)
    assert [p.packet_type for p in short.packets] == ["short"] and short.anomalies == ()


def test_lying_length_and_long_cid() -> None:
    lying = b"\xc0" + struct.pack("!I", VERSION_1) + b"\x08" + bytes(8) + b"\x00\x00"
    lying += struct.pack("!H", 0x4000 | 3000) + bytes(100)
    dg = parse_quic_datagram(lying, from_client=True)
    found = {a.name for a in dg.anomalies}
    assert "quic_packet_truncated" in found and "quic_decrypt_failed" in found
    long_cid = b"\xc0" + struct.pack("!I", VERSION_1) + b"\x15" + bytes(21) + b"\x00" + bytes(40)
    dg2 = parse_quic_datagram(long_cid, from_client=True)
    assert [a.name for a in dg2.anomalies] == ["quic_cid_too_long"]


def test_many_coalesced_packets_are_bounded() -> None:
    tiny = b"\xe0" + struct.pack("!I", VERSION_1) + b"\x00\x00" + b"\x01" + b"\x00"
    dg = parse_quic_datagram(tiny * 500, from_client=True)
    assert len(dg.packets) == 16
    assert "quic_too_many_packets" in {a.name for a in dg.anomalies}
