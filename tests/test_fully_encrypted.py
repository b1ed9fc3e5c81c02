"""The fully-encrypted-traffic trigger (fingerprints catalogue PF-01): the byte statistics of a
client's first segment (analyzer.extract.payload_stats) and the classifier over them
(analyzer.detect.fully_encrypted), exemption by exemption, on bytes built to sit on each side
of each threshold. The end-to-end cases are the scenarios residual-blocking-fully-encrypted,
benign-encrypted-proxy-server-restart and benign-encrypted-proxy-works."""

from __future__ import annotations

import random

import pytest
from analyzer.detect import fully_encrypted
from analyzer.events import FirstPayload
from analyzer.extract import payload_stats


def _first(data: bytes) -> FirstPayload:
    return FirstPayload("f", 0, 4, 1.0, len(data), *payload_stats(data))


def _random(n: int, seed: int = 7) -> bytes:
    """Random bytes that pass every exemption (checked by the first test)."""
    rnd = random.Random(seed)
    while True:
        b = rnd.randbytes(n)
        p = _first(b)
        if not p.printable_prefix and p.printable_run <= 20 and p.printable_share <= 0.5:
            return b


def test_random_bytes_are_a_candidate() -> None:
    p = _first(_random(200))
    assert 3.8 < p.bits_per_byte < 4.2
    assert p.known_prefix is None
    assert fully_encrypted(p)


def test_statistics() -> None:
    data = b"\xff\x00AB\x01CDEFGH"
    bits, share, run, prefix, known = payload_stats(data)
    assert bits == round(30 / 11, 3) == round(sum(bin(b).count("1") for b in data) / 11, 3)
    assert share == round(8 / 11, 3)
    assert run == 6
    assert prefix is False and known is None
    assert payload_stats(b"GET / HTTP/1.1\r\n")[3:] == (True, "http")
    assert payload_stats(b"\x16\x03\x01\x02\x00\x01")[4] == "tls"
    assert payload_stats(b"\x17\x03\x03\x00\x20")[4] == "tls"
    assert payload_stats(b"\x16\x03\x0a\x00")[4] is None  # minor version beyond 0x09
    assert payload_stats(b"POSTX")[4] is None


def test_ex1_bits_per_byte() -> None:
    """Exempt at <= 3.4 or >= 4.6 set bits per byte: mostly-zero or mostly-one bytes."""
    low = bytes(b & 0x8B for b in _random(200))      # about 2 bits per byte
    high = bytes(b | 0x74 for b in _random(200))     # about 6 bits per byte
    assert _first(low).bits_per_byte <= 3.4 and not fully_encrypted(_first(low))
    assert _first(high).bits_per_byte >= 4.6 and not fully_encrypted(_first(high))


def test_ex2_printable_prefix() -> None:
    data = b"ab3$Z~" + _random(194)
    assert _first(data).printable_prefix and not fully_encrypted(_first(data))
    assert fully_encrypted(_first(b"ab3$Z\x01" + _random(194)))


def test_ex3_more_than_half_printable() -> None:
    rnd = random.Random(3)
    # printable bytes in runs of at most 5, each after a random non-printable byte
    out = bytearray(b"\x01\x02\x03\x04\x05\x06\x07")
    while len(out) < 200:
        out.append(rnd.choice(range(0x80, 0x100)))
        out += bytes(rnd.randrange(0x21, 0x7F) for _ in range(5))
    p = _first(bytes(out))
    assert p.printable_share > 0.5 and p.printable_run <= 20 and not p.printable_prefix
    assert not fully_encrypted(p)


def test_ex4_printable_run() -> None:
    data = _random(100) + b"\x00" + b"x" * 21 + b"\x00" + _random(77, seed=9)
    p = _first(data)
    assert p.printable_run == 21 and not fully_encrypted(p)
    p20 = _first(_random(100) + b"\x00" + b"x" * 20 + b"\x00" + _random(77, seed=9))
    assert p20.printable_run == 20


@pytest.mark.parametrize("head", [b"\x16\x03\x01", b"\x17\x03\x03", b"GET ", b"PUT ",
                                  b"POST ", b"HEAD "])
def test_ex5_protocol_prefix(head: bytes) -> None:
    assert not fully_encrypted(_first(head + _random(200)))


def test_short_segments_are_not_candidates() -> None:
    """Below 16 bytes a byte statistic says little (our threshold, not the filter's)."""
    data = _random(200)[:15]
    assert not fully_encrypted(_first(data))
    assert fully_encrypted(_first(_random(200)[:40]))
