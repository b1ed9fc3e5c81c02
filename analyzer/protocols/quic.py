"""Facts-only QUIC packet parser with Initial-packet decryption.

Implemented (parsing and Initial unprotection only; no verdicts):

* RFC 8999 (version-independent invariants: long/short header, connection IDs).
* RFC 9000 §12.2 coalesced packets, §16 variable-length integers, §17.2 long header
  packets (Initial, 0-RTT, Handshake, Retry), §17.2.1 Version Negotiation, §17.3 short
  header (noted, not decrypted), §19 frame formats, Appendix A.3 packet number decoding.
* RFC 9001 §5.1-5.4 and §5.2 Initial secrets: HKDF-Expand-Label, AEAD_AES_128_GCM
  payload protection and AES-ECB header protection (Initial packets always use
  AES-128-GCM, so the ChaCha20 header-protection variant is not needed here).
* RFC 9369 (QUIC version 2: salt, "quicv2" labels, long header type bits).
* The IETF drafts still met in older captures (draft-23 to draft-32, 0xff000017-0xff000020):
  v1's labels and packet types with the drafts' own Initial salts (draft-ietf-quic-tls-23
  §5.2 for drafts 23-28, draft-ietf-quic-tls-29 §5.2 for 29-32), as Wireshark reads them.
* RFC 9221 DATAGRAM frame layout (skipped by length).

The ClientHello / ServerHello carried in CRYPTO frames are handed to
:mod:`analyzer.protocols.tls`. Nothing raises on hostile input; everything is capped.
"""

from __future__ import annotations

import dataclasses
import functools
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

from analyzer.protocols.common import Cursor, ParseAnomaly, Short
from analyzer.protocols.tls import (
    ClientHello,
    ServerHello,
    parse_client_hello,
    parse_server_hello,
)

__all__ = [
    "MAX_CRYPTO_BYTES",
    "VERSION_1",
    "VERSION_2",
    "InitialKeys",
    "QuicConnectionClose",
    "QuicCryptoFrame",
    "QuicDatagram",
    "QuicHandshake",
    "QuicHandshakeAssembler",
    "QuicPacket",
    "decode_packet_number",
    "derive_initial_keys",
    "long_packet_type",
    "looks_like_quic",
    "parse_quic_datagram",
    "parse_quic_flow",
    "version_name",
]

VERSION_NEGOTIATION = 0x00000000
VERSION_1 = 0x00000001
VERSION_2 = 0x6B3343CF

MAX_DATAGRAM = 65527
MAX_PACKETS_PER_DATAGRAM = 16
MAX_FRAMES_PER_PACKET = 1024
MAX_CRYPTO_FRAMES_PER_PACKET = 64
MAX_CRYPTO_BYTES = 64 * 1024  #: per direction, reassembled CRYPTO stream cap
MAX_CRYPTO_FRAMES = 1024  #: per direction
MAX_ACK_RANGES = 256
MAX_VERSIONS = 64
MAX_CID_LENGTH = 20
MAX_DECRYPT_ATTEMPTS = 256  #: per direction in the assembler
MAX_ANOMALIES = 256

_U16 = struct.Struct("!H")
_U32 = struct.Struct("!I")
_U64 = struct.Struct("!Q")
_LABEL_HDR = struct.Struct("!HB")


@dataclass(frozen=True, slots=True)
class _VersionParams:
    name: str
    salt: bytes
    label_prefix: bytes  # b"quic" (v1) or b"quicv2" (v2)
    types: tuple[str, str, str, str]  # packet type name by the two type bits


_V1_TYPES = ("initial", "0rtt", "handshake", "retry")
_V2_TYPES = ("retry", "initial", "0rtt", "handshake")

_VERSIONS: dict[int, _VersionParams] = {
    VERSION_1: _VersionParams(
        "v1", bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"), b"quic", _V1_TYPES
    ),
    VERSION_2: _VersionParams(
        "v2", bytes.fromhex("0dede3def700a6db819381be6e269dcbf9bd2ed9"), b"quicv2", _V2_TYPES
    ),
}
_DRAFT_SALT_23 = bytes.fromhex("c3eef712c72ebb5a11a7d2432bb46365bef9f502")  # drafts 23-28
_DRAFT_SALT_29 = bytes.fromhex("afbfec289993d24c9e9786f19c6111e04390a899")  # drafts 29-32
for _n in range(23, 33):
    _VERSIONS[0xFF000000 | _n] = _VersionParams(
        f"draft-{_n}", _DRAFT_SALT_23 if _n < 29 else _DRAFT_SALT_29, b"quic", _V1_TYPES
    )


def long_packet_type(version: int, first: int) -> str | None:
    """The type of a long-header packet (``initial``, ``0rtt``, ``handshake``, ``retry``)
    from its first byte, for a version whose Initial packets this module reads; else None."""
    params = _VERSIONS.get(version)
    return None if params is None else params.types[(first >> 4) & 0x03]

_INITIAL_FRAME_TYPES = frozenset({0x00, 0x01, 0x02, 0x03, 0x06, 0x1C})

FRAME_NAMES: dict[int, str] = {
    0x00: "PADDING",
    0x01: "PING",
    0x02: "ACK",
    0x03: "ACK_ECN",
    0x04: "RESET_STREAM",
    0x05: "STOP_SENDING",
    0x06: "CRYPTO",
    0x07: "NEW_TOKEN",
    0x10: "MAX_DATA",
    0x11: "MAX_STREAM_DATA",
    0x12: "MAX_STREAMS_BIDI",
    0x13: "MAX_STREAMS_UNI",
    0x14: "DATA_BLOCKED",
    0x15: "STREAM_DATA_BLOCKED",
    0x16: "STREAMS_BLOCKED_BIDI",
    0x17: "STREAMS_BLOCKED_UNI",
    0x18: "NEW_CONNECTION_ID",
    0x19: "RETIRE_CONNECTION_ID",
    0x1A: "PATH_CHALLENGE",
    0x1B: "PATH_RESPONSE",
    0x1C: "CONNECTION_CLOSE",
    0x1D: "CONNECTION_CLOSE_APP",
    0x1E: "HANDSHAKE_DONE",
    0x30: "DATAGRAM",
    0x31: "DATAGRAM_LEN",
}
for _t in range(0x08, 0x10):
    FRAME_NAMES[_t] = "STREAM"

# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class InitialKeys:
    """Packet protection material for one direction of the Initial space."""

    key: bytes
    iv: bytes
    hp: bytes


@dataclass(frozen=True, slots=True)
class QuicCryptoFrame:
    offset: int
    data: bytes


@dataclass(frozen=True, slots=True)
class QuicConnectionClose:
    error_code: int
    frame_type: int | None  # None for the application variant (0x1d)
    reason: str
    application: bool


@dataclass(frozen=True, slots=True)
class QuicPacket:
    """One (possibly coalesced) QUIC packet; payload facts only if it was decrypted."""

    offset: int  # within the datagram
    size: int
    form: str  # "long" | "short"
    packet_type: str  # initial|0rtt|handshake|retry|version_negotiation|short|unknown
    version: int | None
    version_name: str  # v1 | v2 | negotiation | unknown (an observation, not an error)
    dcid: bytes
    scid: bytes
    token: bytes = b""  # Initial token, or the Retry token
    length: int | None = None  # the Length field (packet number + protected payload)
    supported_versions: tuple[int, ...] = ()  # Version Negotiation only
    decrypted: bool = False
    packet_number: int | None = None
    frames: tuple[str, ...] = ()  # frame names in order, PADDING runs collapsed
    padding_length: int = 0
    crypto: tuple[QuicCryptoFrame, ...] = ()
    connection_close: QuicConnectionClose | None = None
    ack_largest: int | None = None


@dataclass(frozen=True, slots=True)
class QuicDatagram:
    size: int
    from_client: bool
    packets: tuple[QuicPacket, ...]
    trailing_zeros: int
    anomalies: tuple[ParseAnomaly, ...]


@dataclass(frozen=True, slots=True)
class QuicHandshake:
    """The Initial-space handshake of one QUIC flow as far as it can be read."""

    version: int | None
    initial_dcid: bytes | None  # DCID the Initial keys derive from (changes after Retry)
    client_hello: ClientHello | None
    server_hello: ServerHello | None
    client_crypto_bytes: int  # contiguous CRYPTO bytes from offset 0, client direction
    server_crypto_bytes: int
    client_initials_decrypted: int
    server_initials_decrypted: int
    retry: bool
    version_negotiation: tuple[int, ...]
    connection_closes: tuple[QuicConnectionClose, ...]
    datagrams: int
    anomalies: tuple[ParseAnomaly, ...]

    @property
    def sni(self) -> str | None:
        return self.client_hello.sni if self.client_hello else None

    @property
    def alpn(self) -> tuple[str, ...]:
        return self.client_hello.alpn if self.client_hello else ()

    @property
    def ja4(self) -> str | None:
        return self.client_hello.ja4 if self.client_hello else None


# --------------------------------------------------------------------------- helpers


_Short = Short
_Cursor = Cursor


def _hkdf_expand_label(secret: bytes, label: bytes, length: int) -> bytes:
    """RFC 8446 §7.1 HKDF-Expand-Label with an empty context."""
    full = b"tls13 " + label
    info = _LABEL_HDR.pack(length, len(full)) + full + b"\x00"
    return HKDFExpand(hashes.SHA256(), length, info).derive(secret)


@functools.lru_cache(maxsize=256)
def derive_initial_keys(dcid: bytes, version: int = VERSION_1) -> tuple[InitialKeys, InitialKeys]:
    """(client, server) Initial keys from the client's first Destination Connection ID.

    Raises KeyError for a version without known Initial salt (callers check first).
    """
    params = _VERSIONS[version]
    initial_secret = HKDF.extract(hashes.SHA256(), params.salt, dcid)
    out: list[InitialKeys] = []
    for label in (b"client in", b"server in"):
        secret = _hkdf_expand_label(initial_secret, label, 32)
        out.append(
            InitialKeys(
                key=_hkdf_expand_label(secret, params.label_prefix + b" key", 16),
                iv=_hkdf_expand_label(secret, params.label_prefix + b" iv", 12),
                hp=_hkdf_expand_label(secret, params.label_prefix + b" hp", 16),
            )
        )
    return out[0], out[1]


def decode_packet_number(largest_pn: int, truncated_pn: int, pn_nbits: int) -> int:
    """RFC 9000 Appendix A.3."""
    expected = largest_pn + 1
    win = 1 << pn_nbits
    hwin = win // 2
    mask = win - 1
    candidate = (expected & ~mask) | truncated_pn
    if candidate <= expected - hwin and candidate < (1 << 62) - win:
        return candidate + win
    if candidate > expected + hwin and candidate >= win:
        return candidate - win
    return candidate


def _hp_mask(hp_key: bytes, sample: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(hp_key), modes.ECB()).encryptor()
    return encryptor.update(sample) + encryptor.finalize()


def _unprotect(
    data: bytes, start: int, pn_offset: int, end: int, keys: InitialKeys, largest_pn: int
) -> tuple[int, int, bytes] | str:
    """(first byte, packet number, plaintext) or a failure reason (RFC 9001 §5.4, §5.3)."""
    sample_at = pn_offset + 4
    if sample_at + 16 > end:
        return "packet too short for the header protection sample"
    mask = _hp_mask(keys.hp, data[sample_at : sample_at + 16])
    first = data[start] ^ (mask[0] & 0x0F)
    pn_len = (first & 0x03) + 1
    pn_bytes = bytes(data[pn_offset + i] ^ mask[1 + i] for i in range(pn_len))
    truncated = int.from_bytes(pn_bytes, "big")
    pn = decode_packet_number(largest_pn, truncated, pn_len * 8)
    header = bytes([first]) + data[start + 1 : pn_offset] + pn_bytes
    nonce = bytes(a ^ b for a, b in zip(keys.iv, pn.to_bytes(12, "big"), strict=True))
    try:
        plaintext = AESGCM(keys.key).decrypt(nonce, data[pn_offset + pn_len : end], header)
    except (InvalidTag, ValueError, OverflowError):
        return "AEAD authentication failed"
    return first, pn, plaintext


def _reason_text(raw: bytes) -> str:
    return raw[:256].decode("utf-8", errors="backslashreplace")


# --------------------------------------------------------------------------- frames


@dataclass(slots=True)
class _Frames:
    names: list[str] = field(default_factory=list)
    padding: int = 0
    crypto: list[QuicCryptoFrame] = field(default_factory=list)
    close: QuicConnectionClose | None = None
    ack_largest: int | None = None


def _parse_frames(
    payload: bytes, packet_type: str, where: int, anomalies: list[ParseAnomaly]
) -> _Frames:
    out = _Frames()
    c = _Cursor(payload)
    count = 0
    while c.remaining() > 0:
        if count >= MAX_FRAMES_PER_PACKET:
            anomalies.append(ParseAnomaly("quic_too_many_frames", f"> {count}", where))
            break
        if payload[c.pos] == 0:
            rest = payload[c.pos : c.end]
            run = len(rest) - len(rest.lstrip(b"\x00"))
            out.padding += run
            c.pos += run
            if not out.names or out.names[-1] != "PADDING":
                out.names.append("PADDING")
                count += 1
            continue
        count += 1
        try:
            ftype = c.varint()
            name = FRAME_NAMES.get(ftype)
            if name is None:
                anomalies.append(
                    ParseAnomaly("quic_unknown_frame", f"frame type {ftype:#x}", where)
                )
                break
            if packet_type in ("initial", "handshake") and ftype not in _INITIAL_FRAME_TYPES:
                anomalies.append(
                    ParseAnomaly("quic_frame_not_allowed", f"{name} in {packet_type}", where)
                )
            out.names.append(name)
            _skip_or_read_frame(c, ftype, out, where, anomalies)
        except _Short:
            anomalies.append(ParseAnomaly("quic_frame_truncated", f"after {out.names}", where))
            break
    return out


def _skip_or_read_frame(
    c: _Cursor, ftype: int, out: _Frames, where: int, anomalies: list[ParseAnomaly]
) -> None:
    if ftype == 0x01 or ftype == 0x1E:
        return
    if ftype in (0x02, 0x03):
        largest = c.varint()
        c.varint()  # ack delay
        ranges = c.varint()
        c.varint()  # first range
        if ranges > MAX_ACK_RANGES:
            anomalies.append(ParseAnomaly("quic_too_many_ack_ranges", f"{ranges}", where))
            raise _Short
        for _ in range(ranges):
            c.varint()
            c.varint()
        if ftype == 0x03:
            for _ in range(3):
                c.varint()
        if out.ack_largest is None:
            out.ack_largest = largest
    elif ftype == 0x06:
        offset = c.varint()
        data = c.take(c.varint())
        if len(out.crypto) < MAX_CRYPTO_FRAMES_PER_PACKET:
            out.crypto.append(QuicCryptoFrame(offset, data))
        elif len(out.crypto) == MAX_CRYPTO_FRAMES_PER_PACKET:
            anomalies.append(ParseAnomaly("quic_too_many_crypto_frames", "in one packet", where))
    elif ftype in (0x1C, 0x1D):
        code = c.varint()
        frame_type = c.varint() if ftype == 0x1C else None
        reason = c.take(c.varint())
        if out.close is None:
            out.close = QuicConnectionClose(code, frame_type, _reason_text(reason), ftype == 0x1D)
    elif ftype == 0x04:
        c.varint()
        c.varint()
        c.varint()
    elif ftype in (0x05, 0x11, 0x15):
        c.varint()
        c.varint()
    elif ftype == 0x07:
        c.take(c.varint())
    elif 0x08 <= ftype <= 0x0F:
        c.varint()
        if ftype & 0x04:
            c.varint()
        if ftype & 0x02:
            c.take(c.varint())
        else:
            c.pos = c.end
    elif ftype in (0x10, 0x12, 0x13, 0x14, 0x16, 0x17, 0x19):
        c.varint()
    elif ftype == 0x18:
        c.varint()
        c.varint()
        c.take(c.u8())
        c.take(16)
    elif ftype in (0x1A, 0x1B):
        c.take(8)
    elif ftype == 0x30:
        c.pos = c.end
    elif ftype == 0x31:
        c.take(c.varint())


# --------------------------------------------------------------------------- packets


def version_name(version: int) -> str:
    """v1, v2, draft-NN (drafts whose Initial keys are known), negotiation, reserved (RFC
    9000 15 greasing) or unknown."""
    if version == VERSION_NEGOTIATION:
        return "negotiation"
    params = _VERSIONS.get(version)
    if params is not None:
        return params.name
    if version & 0x0F0F0F0F == 0x0A0A0A0A:
        return "reserved"  # RFC 9000 §15 greasing versions
    return "unknown"


def looks_like_quic(dgram: bytes) -> bool:
    """Cheap sniff: a long header with a known version (or Version Negotiation)."""
    if len(dgram) < 7 or not dgram[0] & 0x80:
        return False
    version: int = _U32.unpack_from(dgram, 1)[0]
    if version != VERSION_NEGOTIATION and version not in _VERSIONS:
        return False
    return version == VERSION_NEGOTIATION or dgram[5] <= MAX_CID_LENGTH


def parse_quic_datagram(
    dgram: bytes,
    *,
    from_client: bool,
    initial_dcid: bytes | None = None,
    largest_pn: int = -1,
    decrypt: bool = True,
) -> QuicDatagram:
    """Split a UDP payload into QUIC packets and decrypt the Initial ones.

    Initial keys come from ``initial_dcid`` (the client's first Destination Connection
    ID); for client packets the packet's own DCID is tried as well. ``largest_pn`` is the
    largest Initial packet number already seen in this direction (for PN decoding).
    """
    data = bytes(dgram[:MAX_DATAGRAM])
    anomalies: list[ParseAnomaly] = []
    packets: list[QuicPacket] = []
    trailing = 0
    pos = 0
    while pos < len(data):
        if len(packets) >= MAX_PACKETS_PER_DATAGRAM:
            anomalies.append(ParseAnomaly("quic_too_many_packets", "in one datagram", pos))
            break
        if pos > 0 and not data[pos:].strip(b"\x00"):
            trailing = len(data) - pos
            break
        if not data[pos] & 0x80:
            packets.append(
                QuicPacket(
                    offset=pos,
                    size=len(data) - pos,
                    form="short",
                    packet_type="short",
                    version=None,
                    version_name="unknown",
                    dcid=b"",
                    scid=b"",
                )
            )
            break
        pkt = _parse_long(data, pos, from_client, initial_dcid, largest_pn, decrypt, anomalies)
        packets.append(pkt)
        pos += max(pkt.size, 1)
    return QuicDatagram(
        size=len(data),
        from_client=from_client,
        packets=tuple(packets),
        trailing_zeros=trailing,
        anomalies=tuple(anomalies),
    )


def _parse_long(
    data: bytes,
    pos: int,
    from_client: bool,
    initial_dcid: bytes | None,
    largest_pn: int,
    decrypt: bool,
    anomalies: list[ParseAnomaly],
) -> QuicPacket:
    c = _Cursor(data, pos)
    rest = len(data) - pos
    try:
        first = c.u8()
        version = c.u32()
        dcid = c.take(c.u8())
        scid = c.take(c.u8())
    except _Short:
        anomalies.append(ParseAnomaly("quic_header_truncated", "long header", pos))
        return QuicPacket(pos, rest, "long", "unknown", None, "unknown", b"", b"")
    vname = version_name(version)

    if version == VERSION_NEGOTIATION:
        body = data[c.pos :]
        if len(body) % 4 or not body:
            anomalies.append(
                ParseAnomaly("quic_version_negotiation_malformed", f"{len(body)} bytes", pos)
            )
        n = min(len(body) // 4, MAX_VERSIONS)
        versions = tuple(int(v) for v in struct.unpack_from(f"!{n}I", body, 0)) if n else ()
        return QuicPacket(
            pos, rest, "long", "version_negotiation", version, vname, dcid, scid,
            supported_versions=versions,
        )  # fmt: skip

    params = _VERSIONS.get(version)
    if params is None:
        # RFC 8999: nothing past the connection IDs is version-independent.
        return QuicPacket(pos, rest, "long", "unknown", version, vname, dcid, scid)
    if len(dcid) > MAX_CID_LENGTH or len(scid) > MAX_CID_LENGTH:
        anomalies.append(
            ParseAnomaly("quic_cid_too_long", f"dcid {len(dcid)} scid {len(scid)}", pos)
        )
        return QuicPacket(pos, rest, "long", "unknown", version, vname, dcid, scid)
    if not first & 0x40:
        anomalies.append(ParseAnomaly("quic_fixed_bit_clear", "", pos))
    ptype = params.types[(first >> 4) & 0x03]

    if ptype == "retry":
        body = data[c.pos :]
        if len(body) < 16:
            anomalies.append(ParseAnomaly("quic_retry_too_short", f"{len(body)} bytes", pos))
        token = body[:-16] if len(body) >= 16 else b""
        return QuicPacket(pos, rest, "long", "retry", version, vname, dcid, scid, token=token)

    token = b""
    try:
        if ptype == "initial":
            token = c.take(c.varint())
        length = c.varint()
    except _Short:
        anomalies.append(ParseAnomaly("quic_header_truncated", f"{ptype} header", pos))
        return QuicPacket(pos, rest, "long", ptype, version, vname, dcid, scid, token=token)
    pn_offset = c.pos
    end = pn_offset + length
    if end > len(data):
        anomalies.append(
            ParseAnomaly("quic_packet_truncated", f"length {length} overruns datagram", pos)
        )
        end = len(data)
    size = end - pos

    if ptype != "initial" or not decrypt:
        return QuicPacket(
            pos, size, "long", ptype, version, vname, dcid, scid, token=token, length=length
        )

    candidates: list[bytes] = []
    if initial_dcid is not None:
        candidates.append(initial_dcid)
    if from_client and dcid not in candidates:
        candidates.append(dcid)
    if not candidates:
        return QuicPacket(
            pos, size, "long", ptype, version, vname, dcid, scid, token=token, length=length
        )
    result: tuple[int, int, bytes] | str = "no keys"
    for cand in candidates:
        client_keys, server_keys = derive_initial_keys(bytes(cand), version)
        result = _unprotect(
            data, pos, pn_offset, end, client_keys if from_client else server_keys, largest_pn
        )
        if not isinstance(result, str):
            break
    if isinstance(result, str):
        anomalies.append(ParseAnomaly("quic_decrypt_failed", result, pos))
        return QuicPacket(
            pos, size, "long", ptype, version, vname, dcid, scid, token=token, length=length
        )
    first_clear, pn, plaintext = result
    if first_clear & 0x0C:
        anomalies.append(ParseAnomaly("quic_reserved_bits_set", f"{first_clear:#04x}", pos))
    if not plaintext:
        anomalies.append(ParseAnomaly("quic_empty_payload", "", pos))
    frames = _parse_frames(plaintext, ptype, pos, anomalies)
    return QuicPacket(
        offset=pos,
        size=size,
        form="long",
        packet_type=ptype,
        version=version,
        version_name=vname,
        dcid=dcid,
        scid=scid,
        token=token,
        length=length,
        decrypted=True,
        packet_number=pn,
        frames=tuple(frames.names),
        padding_length=frames.padding,
        crypto=tuple(frames.crypto),
        connection_close=frames.close,
        ack_largest=frames.ack_largest,
    )


# --------------------------------------------------------------------------- reassembly


class _CryptoStream:
    """CRYPTO data reassembled by offset (first-received bytes win), capped."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.intervals: list[tuple[int, int]] = []
        self.frames = 0

    def reset(self) -> None:
        self.buf = bytearray()
        self.intervals = []
        self.frames = 0

    def contiguous(self) -> int:
        if self.intervals and self.intervals[0][0] == 0:
            return self.intervals[0][1]
        return 0

    def add(self, offset: int, data: bytes) -> list[ParseAnomaly]:
        out: list[ParseAnomaly] = []
        self.frames += 1
        if self.frames > MAX_CRYPTO_FRAMES:
            if self.frames == MAX_CRYPTO_FRAMES + 1:
                out.append(ParseAnomaly("quic_too_many_crypto_frames", f"> {MAX_CRYPTO_FRAMES}"))
            return out
        if offset >= MAX_CRYPTO_BYTES or not data:
            if data:
                out.append(ParseAnomaly("quic_crypto_beyond_cap", f"offset {offset}"))
            return out
        end = min(offset + len(data), MAX_CRYPTO_BYTES)
        if end < offset + len(data):
            out.append(ParseAnomaly("quic_crypto_beyond_cap", f"offset {offset}"))
        data = data[: end - offset]
        if len(self.buf) < end:
            self.buf.extend(bytes(end - len(self.buf)))
        cursor = offset
        mismatch = False
        for s, e in self.intervals:
            if e <= cursor:
                continue
            if s >= end:
                break
            if s > cursor:
                self.buf[cursor:s] = data[cursor - offset : s - offset]
            lo, hi = max(s, cursor), min(e, end)
            if self.buf[lo:hi] != data[lo - offset : hi - offset]:
                mismatch = True
            cursor = max(cursor, e)
        if cursor < end:
            self.buf[cursor:end] = data[cursor - offset :]
        if mismatch:
            out.append(
                ParseAnomaly(
                    "quic_crypto_overlap_mismatch", f"retransmitted bytes differ at {offset}"
                )
            )
        merged: list[tuple[int, int]] = []
        for s, e in sorted([*self.intervals, (offset, end)]):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        self.intervals = merged
        return out

    def message(self) -> tuple[int, int, bytes]:
        """(msg_type, declared length, body so far) of the first handshake message."""
        n = self.contiguous()
        if n < 4:
            return -1, -1, b""
        hdr: int = _U32.unpack_from(self.buf, 0)[0]
        length = hdr & 0xFFFFFF
        return hdr >> 24, length, bytes(self.buf[4 : min(n, 4 + length)])


@dataclass(slots=True)
class _Side:
    stream: _CryptoStream = field(default_factory=_CryptoStream)
    largest_pn: int = -1
    decrypted: int = 0
    attempts: int = 0


class QuicHandshakeAssembler:
    """Feed the datagrams of one QUIC flow (both directions, capture order).

    Reassembles CRYPTO data per direction and parses the ClientHello (JA4 with the 'q'
    prefix) and the ServerHello once their bytes are contiguous from offset 0.
    """

    def __init__(self) -> None:
        self._key_dcid: bytes | None = None
        self._version: int | None = None
        self._client = _Side()
        self._server = _Side()
        self._client_hello: ClientHello | None = None
        self._server_hello: ServerHello | None = None
        self._retry = False
        self._vn: tuple[int, ...] = ()
        self._closes: list[QuicConnectionClose] = []
        self._anomalies: list[ParseAnomaly] = []
        self._datagrams = 0
        self._flagged: set[str] = set()

    def _note(self, items: Iterable[ParseAnomaly]) -> None:
        for a in items:
            if len(self._anomalies) < MAX_ANOMALIES:
                self._anomalies.append(a)

    def feed(self, dgram: bytes, *, from_client: bool) -> QuicDatagram:
        self._datagrams += 1
        side = self._client if from_client else self._server
        dg = parse_quic_datagram(
            dgram,
            from_client=from_client,
            initial_dcid=self._key_dcid,
            largest_pn=side.largest_pn,
            decrypt=side.attempts < MAX_DECRYPT_ATTEMPTS,
        )
        self._note(dg.anomalies)
        for pkt in dg.packets:
            if pkt.packet_type == "initial" and pkt.length is not None:
                side.attempts += 1
            if from_client and pkt.packet_type == "initial" and self._version is None:
                self._version = pkt.version
            if not from_client and pkt.packet_type == "retry":
                self._retry = True
                self._key_dcid = pkt.scid  # the client's next Initial keys use this DCID
                self._client.largest_pn = -1
                self._server.largest_pn = -1
                if self._client_hello is None:
                    self._client.stream.reset()
            if not from_client and pkt.packet_type == "version_negotiation":
                self._vn = pkt.supported_versions
            if not pkt.decrypted:
                continue
            if from_client and self._key_dcid is None:
                self._key_dcid = pkt.dcid
            side.decrypted += 1
            if pkt.packet_number is not None:
                side.largest_pn = max(side.largest_pn, pkt.packet_number)
            if pkt.connection_close is not None and len(self._closes) < 16:
                self._closes.append(pkt.connection_close)
            for frame in pkt.crypto:
                self._note(side.stream.add(frame.offset, frame.data))
        self._try_hellos()
        return dg

    def _try_hellos(self) -> None:
        if self._client_hello is None:
            msg_type, length, body = self._client.stream.message()
            if msg_type == 1 and len(body) == length:
                ch, anomalies = parse_client_hello(body, transport="q")
                self._note(anomalies)
                self._client_hello = ch
            elif msg_type not in (-1, 1):
                self._flag("quic_unexpected_handshake_message", f"client sent type {msg_type}")
        if self._server_hello is None:
            msg_type, length, body = self._server.stream.message()
            if msg_type == 2 and len(body) == length:
                sh, anomalies = parse_server_hello(body)
                self._note(anomalies)
                self._server_hello = sh
            elif msg_type not in (-1, 2):
                self._flag("quic_unexpected_handshake_message", f"server sent type {msg_type}")

    def _flag(self, name: str, detail: str) -> None:
        if detail not in self._flagged:
            self._flagged.add(detail)
            self._note([ParseAnomaly(name, detail)])

    def result(self) -> QuicHandshake:
        client_hello = self._client_hello
        anomalies = list(self._anomalies)
        if client_hello is None:
            msg_type, length, body = self._client.stream.message()
            if msg_type == 1 and len(body) < length:
                anomalies.append(
                    ParseAnomaly(
                        "quic_client_hello_incomplete",
                        f"{len(body)} of {length} bytes contiguous",
                    )
                )
                partial, _ = parse_client_hello(body, transport="q")
                if partial is not None:
                    client_hello = partial if not partial.complete else _incomplete(partial)
        return QuicHandshake(
            version=self._version,
            initial_dcid=self._key_dcid,
            client_hello=client_hello,
            server_hello=self._server_hello,
            client_crypto_bytes=self._client.stream.contiguous(),
            server_crypto_bytes=self._server.stream.contiguous(),
            client_initials_decrypted=self._client.decrypted,
            server_initials_decrypted=self._server.decrypted,
            retry=self._retry,
            version_negotiation=self._vn,
            connection_closes=tuple(self._closes),
            datagrams=self._datagrams,
            anomalies=tuple(anomalies),
        )


def _incomplete(ch: ClientHello) -> ClientHello:
    return dataclasses.replace(ch, complete=False)


def parse_quic_flow(datagrams: Iterable[tuple[bytes, bool]]) -> QuicHandshake:
    """Convenience: feed ``(payload, from_client)`` pairs in capture order."""
    assembler = QuicHandshakeAssembler()
    for payload, from_client in datagrams:
        assembler.feed(payload, from_client=from_client)
    return assembler.result()
