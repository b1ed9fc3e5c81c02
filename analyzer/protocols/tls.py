"""Facts-only TLS record and handshake parser for one direction of a TCP stream.

Implemented (parsing only, no crypto, no verdicts):

* RFC 5246 (TLS 1.2) §6.2 record layer, §7.4 handshake messages, §7.2 alerts;
  Appendix E.2 (detection of an SSL 2.0 compatible ClientHello).
* RFC 8446 (TLS 1.3) §4.1.2/4.1.3 ClientHello/ServerHello, HelloRetryRequest magic random,
  downgrade sentinels, §4.2.1 supported_versions, §4.2.8 key_share, §4.2.9
  psk_key_exchange_modes, §6 alert descriptions, §5.1 record size limits.
* RFC 6066 §3 server_name, RFC 7301 ALPN, RFC 8422 §5.1 supported_groups and
  ec_point_formats, RFC 7685 padding, RFC 8701 GREASE values.
* draft-ietf-tls-esni (encrypted_client_hello 0xfe0d, legacy ESNI 0xffce): presence only.
* Fingerprints: JA3 / JA3S (Salesforce) and JA4 (FoxIO JA4 specification).

Parsers never raise on hostile input: they return what could be read plus a tuple of
:class:`~analyzer.protocols.common.ParseAnomaly`. All work is bounded by the caps below.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import ipaddress
import struct
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from analyzer.protocols.common import Cursor, ParseAnomaly, Short
from analyzer.protocols.x509 import CertSummary, summarize_certificate

__all__ = [
    "ALERT_DESCRIPTIONS",
    "HANDSHAKE_TYPES",
    "MAX_CERTIFICATES",
    "MAX_RECORDS",
    "MAX_STREAM_BYTES",
    "ClientHello",
    "ServerHello",
    "TlsAlert",
    "TlsCertificate",
    "TlsHandshake",
    "TlsHandshakeMessage",
    "TlsRecordInfo",
    "TlsStream",
    "Transport",
    "client_hello_ja4",
    "client_hello_ja4_r",
    "is_grease",
    "looks_like_tls",
    "parse_client_hello",
    "parse_server_hello",
    "parse_tls_stream",
]

# --------------------------------------------------------------------------- limits

MAX_STREAM_BYTES = 64 * 1024  #: only the first 64 KiB of a stream direction are read
MAX_RECORD_LENGTH = 2**14 + 2048  #: RFC 5246 §6.2.3 TLSCiphertext.length limit
MAX_RECORDS = 256  #: record infos kept in TlsStream.records
MAX_RECORDS_WALKED = 4096  #: records walked at all (tiny-record floods stop here)
MAX_HANDSHAKES = 64
MAX_ALERTS = 64
MAX_ANOMALIES = 128
MAX_EXTENSIONS = 256
MAX_LIST_ITEMS = 1024  #: cipher suites, groups, ... kept per list
MAX_CERTIFICATES = 10
MAX_CERTIFICATE_BYTES = 64 * 1024

# --------------------------------------------------------------------------- constants

CT_CHANGE_CIPHER_SPEC = 20
CT_ALERT = 21
CT_HANDSHAKE = 22
CT_APPLICATION_DATA = 23
CT_HEARTBEAT = 24

HS_CLIENT_HELLO = 1
HS_SERVER_HELLO = 2
HS_CERTIFICATE = 11

EXT_SERVER_NAME = 0x0000
EXT_SUPPORTED_GROUPS = 0x000A
EXT_EC_POINT_FORMATS = 0x000B
EXT_SIGNATURE_ALGORITHMS = 0x000D
EXT_ALPN = 0x0010
EXT_PADDING = 0x0015
EXT_SUPPORTED_VERSIONS = 0x002B
EXT_PSK_KEY_EXCHANGE_MODES = 0x002D
EXT_KEY_SHARE = 0x0033
EXT_ECH = 0xFE0D
EXT_ESNI = 0xFFCE

TLS13 = 0x0304

HANDSHAKE_TYPES: dict[int, str] = {
    0: "hello_request",
    1: "client_hello",
    2: "server_hello",
    3: "hello_verify_request",
    4: "new_session_ticket",
    5: "end_of_early_data",
    6: "hello_retry_request",
    8: "encrypted_extensions",
    11: "certificate",
    12: "server_key_exchange",
    13: "certificate_request",
    14: "server_hello_done",
    15: "certificate_verify",
    16: "client_key_exchange",
    20: "finished",
    21: "certificate_url",
    22: "certificate_status",
    23: "supplemental_data",
    24: "key_update",
    25: "compressed_certificate",
    254: "message_hash",
}

#: RFC 8446 §6 (plus the TLS 1.2-era codes still in the IANA registry).
ALERT_DESCRIPTIONS: dict[int, str] = {
    0: "close_notify",
    10: "unexpected_message",
    20: "bad_record_mac",
    21: "decryption_failed",
    22: "record_overflow",
    30: "decompression_failure",
    40: "handshake_failure",
    41: "no_certificate",
    42: "bad_certificate",
    43: "unsupported_certificate",
    44: "certificate_revoked",
    45: "certificate_expired",
    46: "certificate_unknown",
    47: "illegal_parameter",
    48: "unknown_ca",
    49: "access_denied",
    50: "decode_error",
    51: "decrypt_error",
    60: "export_restriction",
    70: "protocol_version",
    71: "insufficient_security",
    80: "internal_error",
    86: "inappropriate_fallback",
    90: "user_canceled",
    100: "no_renegotiation",
    109: "missing_extension",
    110: "unsupported_extension",
    111: "certificate_unobtainable",
    112: "unrecognized_name",
    113: "bad_certificate_status_response",
    114: "bad_certificate_hash_value",
    115: "unknown_psk_identity",
    116: "certificate_required",
    120: "no_application_protocol",
    121: "ech_required",
}

_JA4_VERSIONS: dict[int, str] = {
    0x0304: "13",
    0x0303: "12",
    0x0302: "11",
    0x0301: "10",
    0x0300: "s3",
    0x0002: "s2",
    0xFEFF: "d1",
    0xFEFD: "d2",
    0xFEFC: "d3",
}

#: RFC 8446 §4.1.3: SHA-256("HelloRetryRequest").
HRR_RANDOM = hashlib.sha256(b"HelloRetryRequest").digest()
_DOWNGRADE_TLS12 = b"DOWNGRD\x01"
_DOWNGRADE_TLS11 = b"DOWNGRD\x00"

_REC = struct.Struct("!BHH")
_U16 = struct.Struct("!H")
_U8U16 = struct.Struct("!BH")
_HS_HDR = struct.Struct("!I")
_SSL2_HDR = struct.Struct("!HBH")

Transport: TypeAlias = Literal["t", "q", "d"]

# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class TlsRecordInfo:
    """One TLS record header as seen on the wire (``offset`` is the stream offset)."""

    offset: int
    content_type: int
    version: int
    length: int


@dataclass(frozen=True, slots=True)
class TlsAlert:
    """An alert record. Encrypted alerts carry no level/description."""

    offset: int
    level: int | None
    description: int | None
    description_name: str | None
    encrypted: bool


@dataclass(frozen=True, slots=True)
class ClientHello:
    """A parsed ClientHello (RFC 8446 §4.1.2). ``complete`` is False for a cut-off message."""

    offset: int
    legacy_version: int
    random: bytes
    session_id: bytes
    cipher_suites: tuple[int, ...]
    compression_methods: tuple[int, ...]
    extensions: tuple[int, ...]
    sni: str | None
    alpn: tuple[str, ...]
    alpn_raw: tuple[bytes, ...]
    supported_versions: tuple[int, ...]
    supported_groups: tuple[int, ...]
    signature_algorithms: tuple[int, ...]
    ec_point_formats: tuple[int, ...]
    key_share_groups: tuple[int, ...]
    psk_modes: tuple[int, ...]
    has_ech: bool
    has_esni: bool
    padding_length: int | None
    record_split: bool
    complete: bool
    ja3: str
    ja3_md5: str
    ja4: str
    ja4_r: str
    transport: Transport = "t"


@dataclass(frozen=True, slots=True)
class ServerHello:
    """A parsed ServerHello or HelloRetryRequest (RFC 8446 §4.1.3)."""

    offset: int
    version: int
    selected_version: int | None
    random: bytes
    session_id: bytes
    cipher_suite: int
    compression: int
    extensions: tuple[int, ...]
    is_hello_retry_request: bool
    alpn: str | None
    key_share_group: int | None
    downgrade_sentinel: str | None
    complete: bool
    ja3s: str
    ja3s_md5: str


@dataclass(frozen=True, slots=True)
class TlsCertificate:
    """A cleartext (TLS <= 1.2) Certificate message: DER chain plus parsed summaries."""

    offset: int
    chain: tuple[bytes, ...]
    summaries: tuple[CertSummary | ParseAnomaly, ...]
    record_split: bool


@dataclass(frozen=True, slots=True)
class TlsHandshakeMessage:
    """Any other cleartext handshake message: type and position only."""

    offset: int
    msg_type: int
    type_name: str
    length: int
    record_split: bool


TlsHandshake: TypeAlias = ClientHello | ServerHello | TlsCertificate | TlsHandshakeMessage


@dataclass(frozen=True, slots=True)
class TlsStream:
    """Everything read from one direction of a TLS-over-TCP stream."""

    records: tuple[TlsRecordInfo, ...]
    handshakes: tuple[TlsHandshake, ...]
    alerts: tuple[TlsAlert, ...]
    anomalies: tuple[ParseAnomaly, ...]
    app_data_offset: int | None
    incomplete_tail: bool
    ccs_offset: int | None = None
    encrypted_from: int | None = None
    records_seen: int = 0
    bytes_parsed: int = 0
    sslv2_hello: bool = False

    @property
    def client_hello(self) -> ClientHello | None:
        for hs in self.handshakes:
            if isinstance(hs, ClientHello):
                return hs
        return None

    @property
    def server_hello(self) -> ServerHello | None:
        for hs in self.handshakes:
            if isinstance(hs, ServerHello) and not hs.is_hello_retry_request:
                return hs
        return None

    @property
    def certificate(self) -> TlsCertificate | None:
        for hs in self.handshakes:
            if isinstance(hs, TlsCertificate):
                return hs
        return None


# --------------------------------------------------------------------------- helpers


_Short = Short
_Cursor = Cursor


def is_grease(value: int) -> bool:
    """RFC 8701 GREASE value (0x0a0a, 0x1a1a, ..., 0xfafa)."""
    return (value & 0x0F0F) == 0x0A0A and (value >> 8) == (value & 0xFF)


def _escape(raw: bytes) -> str:
    """ASCII with anything outside 0x21..0x7e (and the backslash) shown as ``\\xNN``."""
    return "".join(chr(b) if 0x21 <= b <= 0x7E and b != 0x5C else f"\\x{b:02x}" for b in raw)


def _printable(raw: bytes) -> bool:
    return all(0x21 <= b <= 0x7E for b in raw)


def _u16_list(data: bytes) -> tuple[tuple[int, ...], bool]:
    """Big-endian u16 values of ``data``; the flag is False when the length is odd."""
    n = min(len(data) // 2, MAX_LIST_ITEMS)
    values = struct.unpack_from(f"!{n}H", data, 0) if n else ()
    return tuple(int(v) for v in values), len(data) % 2 == 0


def _dash(values: tuple[int, ...]) -> str:
    return "-".join(str(v) for v in values if not is_grease(v))


def _sha12(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:12]


# --------------------------------------------------------------------------- ClientHello


@dataclass(slots=True)
class _CHState:
    legacy_version: int = 0
    random: bytes = b""
    session_id: bytes = b""
    cipher_suites: tuple[int, ...] = ()
    compression_methods: tuple[int, ...] = ()
    extensions: list[int] = field(default_factory=list)
    sni: str | None = None
    alpn: list[bytes] = field(default_factory=list)
    supported_versions: tuple[int, ...] = ()
    supported_groups: tuple[int, ...] = ()
    signature_algorithms: tuple[int, ...] = ()
    ec_point_formats: tuple[int, ...] = ()
    key_share_groups: tuple[int, ...] = ()
    psk_modes: tuple[int, ...] = ()
    has_ech: bool = False
    has_esni: bool = False
    padding_length: int | None = None


def parse_client_hello(
    body: bytes,
    *,
    offset: int = 0,
    record_split: bool = False,
    transport: Transport = "t",
) -> tuple[ClientHello | None, tuple[ParseAnomaly, ...]]:
    """Parse a bare ClientHello handshake body (without the 4-byte handshake header).

    A body cut short still yields a ClientHello (``complete=False``) as long as the
    version and random are present; anomaly offsets are relative to ``body``.
    """
    anomalies: list[ParseAnomaly] = []
    st = _CHState()
    cur = _Cursor(body)
    complete = True
    stage = "legacy_version"
    try:
        st.legacy_version = cur.u16()
        stage = "random"
        st.random = cur.take(32)
        stage = "session_id"
        sid_len = cur.u8()
        if sid_len > 32:
            anomalies.append(
                ParseAnomaly("tls_bad_session_id_length", f"{sid_len} > 32", cur.pos - 1)
            )
        st.session_id = cur.take(sid_len)
        stage = "cipher_suites"
        cs_len = cur.u16()
        cs_data = cur.take(cs_len)
        st.cipher_suites, even = _u16_list(cs_data)
        if not even or cs_len == 0:
            anomalies.append(
                ParseAnomaly("tls_bad_cipher_suites_length", f"length {cs_len}", cur.pos - cs_len)
            )
        stage = "compression_methods"
        cm_len = cur.u8()
        st.compression_methods = tuple(cur.take(cm_len))
        stage = "extensions"
        if cur.remaining() > 0 and not _parse_ch_extensions(cur, st, anomalies):
            raise _Short
    except _Short:
        if stage in ("legacy_version", "random"):
            anomalies.append(
                ParseAnomaly("tls_handshake_truncated", f"client_hello cut in {stage}", cur.pos)
            )
            return None, tuple(anomalies)
        complete = False
        anomalies.append(
            ParseAnomaly("tls_handshake_truncated", f"client_hello cut in {stage}", cur.pos)
        )
    return _build_client_hello(st, offset, record_split, complete, transport), tuple(anomalies)


def _parse_ch_extensions(cur: _Cursor, st: _CHState, anomalies: list[ParseAnomaly]) -> bool:
    """Read the extensions block; returns False when the block is cut short by the body."""
    start = cur.pos
    ext_total = cur.u16()
    block_complete = ext_total <= cur.remaining()
    if ext_total < cur.remaining():
        anomalies.append(
            ParseAnomaly(
                "tls_bad_extension_length",
                f"extensions block says {ext_total}, {cur.remaining()} bytes follow",
                start,
            )
        )
    end = min(cur.end, cur.pos + ext_total)
    seen: set[int] = set()
    while cur.pos < end:
        if len(st.extensions) >= MAX_EXTENSIONS:
            anomalies.append(
                ParseAnomaly("tls_too_many_extensions", f"> {MAX_EXTENSIONS}", cur.pos)
            )
            break
        if end - cur.pos < 4:
            if block_complete:
                anomalies.append(
                    ParseAnomaly("tls_bad_extension_length", "trailing extension bytes", cur.pos)
                )
            break
        ext_off = cur.pos
        etype = cur.u16()
        elen = cur.u16()
        st.extensions.append(etype)
        if cur.pos + elen > end:
            if block_complete:
                anomalies.append(
                    ParseAnomaly(
                        "tls_bad_extension_length",
                        f"extension {etype:#06x} length {elen} overruns the block",
                        ext_off,
                    )
                )
            break
        data = cur.take(elen)
        if etype in seen:
            anomalies.append(ParseAnomaly("tls_duplicate_extension", f"{etype:#06x}", ext_off))
            continue
        seen.add(etype)
        try:
            _parse_ch_extension(etype, data, st, anomalies, ext_off)
        except _Short:
            name = "tls_sni_malformed" if etype == EXT_SERVER_NAME else "tls_bad_extension_length"
            anomalies.append(
                ParseAnomaly(name, f"extension {etype:#06x} inner lengths overrun", ext_off)
            )
    return block_complete


def _parse_ch_extension(
    etype: int, data: bytes, st: _CHState, anomalies: list[ParseAnomaly], off: int
) -> None:
    c = _Cursor(data)
    if etype == EXT_SERVER_NAME:
        _parse_sni(c, st, anomalies, off)
    elif etype == EXT_ALPN:
        if len(data) == 0:
            return
        lst = _Cursor(data, 2, 2 + c.u16())
        if lst.end != len(data):
            anomalies.append(ParseAnomaly("tls_bad_extension_length", "alpn list length", off))
        while lst.remaining() > 0 and len(st.alpn) < MAX_LIST_ITEMS:
            proto = lst.take(lst.u8())
            if not proto:
                anomalies.append(ParseAnomaly("tls_alpn_malformed", "empty protocol name", off))
            st.alpn.append(proto)
    elif etype == EXT_SUPPORTED_VERSIONS:
        n = c.u8()
        st.supported_versions, ok = _u16_list(c.take(n))
        if not ok or n + 1 != len(data):
            anomalies.append(ParseAnomaly("tls_bad_extension_length", "supported_versions", off))
    elif etype in (EXT_SUPPORTED_GROUPS, EXT_SIGNATURE_ALGORITHMS):
        n = c.u16()
        values, ok = _u16_list(c.take(n))
        if not ok or n + 2 != len(data):
            anomalies.append(ParseAnomaly("tls_bad_extension_length", f"{etype:#06x} list", off))
        if etype == EXT_SUPPORTED_GROUPS:
            st.supported_groups = values
        else:
            st.signature_algorithms = values
    elif etype in (EXT_EC_POINT_FORMATS, EXT_PSK_KEY_EXCHANGE_MODES):
        n = c.u8()
        values8 = tuple(c.take(n))[:MAX_LIST_ITEMS]
        if n + 1 != len(data):
            anomalies.append(ParseAnomaly("tls_bad_extension_length", f"{etype:#06x} list", off))
        if etype == EXT_EC_POINT_FORMATS:
            st.ec_point_formats = values8
        else:
            st.psk_modes = values8
    elif etype == EXT_KEY_SHARE:
        n = c.u16()
        if n + 2 != len(data):
            anomalies.append(ParseAnomaly("tls_bad_extension_length", "key_share list", off))
        ks = _Cursor(data, 2, 2 + n)
        groups: list[int] = []
        try:
            while ks.remaining() > 0 and len(groups) < MAX_LIST_ITEMS:
                group = ks.u16()
                ks.take(ks.u16())
                groups.append(group)
        finally:
            st.key_share_groups = tuple(groups)
    elif etype == EXT_PADDING:
        st.padding_length = len(data)
    elif etype == EXT_ECH:
        st.has_ech = True
    elif etype == EXT_ESNI:
        st.has_esni = True


def _parse_sni(c: _Cursor, st: _CHState, anomalies: list[ParseAnomaly], off: int) -> None:
    if c.remaining() == 0:
        return  # an empty server_name is legal in a ServerHello/EncryptedExtensions echo
    list_len = c.u16()
    if list_len + 2 != c.end:
        anomalies.append(
            ParseAnomaly("tls_sni_malformed", f"list length {list_len} vs {c.end - 2}", off)
        )
    lst = _Cursor(c.buf, 2, 2 + list_len)
    host_names = 0
    while lst.remaining() > 0:
        name_type = lst.u8()
        name = lst.take(lst.u16())
        if name_type != 0:
            continue
        host_names += 1
        if host_names > 1:
            anomalies.append(ParseAnomaly("tls_sni_malformed", "more than one host_name", off))
            break
        if not name:
            anomalies.append(ParseAnomaly("tls_sni_malformed", "empty host_name", off))
        elif not _printable(name):
            anomalies.append(
                ParseAnomaly("tls_sni_malformed", "host_name has non-printable bytes", off)
            )
        st.sni = _escape(name)


def _ja3(st: _CHState) -> str:
    return ",".join(
        (
            str(st.legacy_version),
            _dash(st.cipher_suites),
            _dash(tuple(st.extensions)),
            _dash(st.supported_groups),
            "-".join(str(v) for v in st.ec_point_formats),
        )
    )


def _alpn_chars(first: bytes | None) -> str:
    if not first:
        return "00"
    a, z = first[0], first[-1]
    if chr(a).isascii() and chr(a).isalnum() and chr(z).isascii() and chr(z).isalnum():
        return chr(a) + chr(z)
    h = first.hex()
    return h[0] + h[-1]


def _ja4_parts(
    transport: str,
    legacy_version: int,
    supported_versions: tuple[int, ...],
    sni: str | None,
    cipher_suites: tuple[int, ...],
    extensions: tuple[int, ...],
    alpn_raw: tuple[bytes, ...],
    signature_algorithms: tuple[int, ...],
) -> tuple[str, str, str]:
    versions = [v for v in supported_versions if not is_grease(v)]
    version = max(versions) if versions else legacy_version
    ver = _JA4_VERSIONS.get(version, "00")
    sni_kind = "i"
    if sni is not None:
        try:
            ipaddress.ip_address(sni)
        except ValueError:
            sni_kind = "d"
    ciphers = sorted(f"{v:04x}" for v in cipher_suites if not is_grease(v))
    exts = [v for v in extensions if not is_grease(v)]
    alpn = _alpn_chars(alpn_raw[0] if alpn_raw else None)
    a = f"{transport}{ver}{sni_kind}{min(len(ciphers), 99):02d}{min(len(exts), 99):02d}{alpn}"
    b = ",".join(ciphers)
    ext_hex = sorted(f"{v:04x}" for v in exts if v not in (EXT_SERVER_NAME, EXT_ALPN))
    sigs = [f"{v:04x}" for v in signature_algorithms if not is_grease(v)]
    c = ",".join(ext_hex)
    if sigs:
        c += "_" + ",".join(sigs)
    return a, b, c


def client_hello_ja4(ch: ClientHello, transport: Transport = "t") -> str:
    """JA4 (FoxIO) fingerprint: ``t13d1516h2_8daaf6152771_e5627efa2ab1``; GREASE ignored."""
    a, b, c = _ja4_parts(
        transport,
        ch.legacy_version,
        ch.supported_versions,
        ch.sni,
        ch.cipher_suites,
        ch.extensions,
        ch.alpn_raw,
        ch.signature_algorithms,
    )
    return f"{a}_{_sha12(b) if b else '0' * 12}_{_sha12(c) if c else '0' * 12}"


def client_hello_ja4_r(ch: ClientHello, transport: Transport = "t") -> str:
    """The raw (unhashed) JA4_r form of :func:`client_hello_ja4`."""
    a, b, c = _ja4_parts(
        transport,
        ch.legacy_version,
        ch.supported_versions,
        ch.sni,
        ch.cipher_suites,
        ch.extensions,
        ch.alpn_raw,
        ch.signature_algorithms,
    )
    return f"{a}_{b}_{c}"


def _build_client_hello(
    st: _CHState, offset: int, record_split: bool, complete: bool, transport: Transport
) -> ClientHello:
    ja3 = _ja3(st)
    ch = ClientHello(
        offset=offset,
        legacy_version=st.legacy_version,
        random=st.random,
        session_id=st.session_id,
        cipher_suites=st.cipher_suites,
        compression_methods=st.compression_methods,
        extensions=tuple(st.extensions),
        sni=st.sni,
        alpn=tuple(_escape(p) for p in st.alpn),
        alpn_raw=tuple(st.alpn),
        supported_versions=st.supported_versions,
        supported_groups=st.supported_groups,
        signature_algorithms=st.signature_algorithms,
        ec_point_formats=st.ec_point_formats,
        key_share_groups=st.key_share_groups,
        psk_modes=st.psk_modes,
        has_ech=st.has_ech,
        has_esni=st.has_esni,
        padding_length=st.padding_length,
        record_split=record_split,
        complete=complete,
        ja3=ja3,
        ja3_md5=hashlib.md5(ja3.encode("ascii"), usedforsecurity=False).hexdigest(),
        ja4="",
        ja4_r="",
        transport=transport,
    )
    return dataclasses.replace(
        ch, ja4=client_hello_ja4(ch, transport), ja4_r=client_hello_ja4_r(ch, transport)
    )


# --------------------------------------------------------------------------- ServerHello


def parse_server_hello(
    body: bytes, *, offset: int = 0
) -> tuple[ServerHello | None, tuple[ParseAnomaly, ...]]:
    """Parse a bare ServerHello / HelloRetryRequest handshake body."""
    anomalies: list[ParseAnomaly] = []
    cur = _Cursor(body)
    version = 0
    random = b""
    session_id = b""
    cipher = 0
    compression = 0
    extensions: list[int] = []
    selected: int | None = None
    alpn: str | None = None
    group: int | None = None
    complete = True
    stage = "version"
    try:
        version = cur.u16()
        stage = "random"
        random = cur.take(32)
        stage = "session_id"
        session_id = cur.take(cur.u8())
        stage = "cipher_suite"
        cipher = cur.u16()
        stage = "compression"
        compression = cur.u8()
        stage = "extensions"
        if cur.remaining() > 0:
            ext_total = cur.u16()
            if ext_total != cur.remaining():
                anomalies.append(
                    ParseAnomaly(
                        "tls_bad_extension_length",
                        f"extensions block says {ext_total}, {cur.remaining()} bytes follow",
                        cur.pos - 2,
                    )
                )
            end = min(cur.end, cur.pos + ext_total)
            while end - cur.pos >= 4 and len(extensions) < MAX_EXTENSIONS:
                ext_off = cur.pos
                etype = cur.u16()
                elen = cur.u16()
                extensions.append(etype)
                if cur.pos + elen > end:
                    anomalies.append(
                        ParseAnomaly("tls_bad_extension_length", f"extension {etype:#06x}", ext_off)
                    )
                    break
                data = _Cursor(cur.take(elen))
                try:
                    if etype == EXT_SUPPORTED_VERSIONS:
                        selected = data.u16()
                    elif etype == EXT_ALPN:
                        data.u16()
                        alpn = _escape(data.take(data.u8()))
                    elif etype == EXT_KEY_SHARE:
                        group = data.u16()
                except _Short:
                    anomalies.append(
                        ParseAnomaly("tls_bad_extension_length", f"extension {etype:#06x}", ext_off)
                    )
    except _Short:
        anomalies.append(
            ParseAnomaly("tls_handshake_truncated", f"server_hello cut in {stage}", cur.pos)
        )
        if stage in ("version", "random"):
            return None, tuple(anomalies)
        complete = False
    sentinel = None
    if random.endswith(_DOWNGRADE_TLS12):
        sentinel = "tls12"
    elif random.endswith(_DOWNGRADE_TLS11):
        sentinel = "tls11"
    ja3s = f"{version},{cipher},{_dash(tuple(extensions))}"
    return (
        ServerHello(
            offset=offset,
            version=version,
            selected_version=selected,
            random=random,
            session_id=session_id,
            cipher_suite=cipher,
            compression=compression,
            extensions=tuple(extensions),
            is_hello_retry_request=random == HRR_RANDOM,
            alpn=alpn,
            key_share_group=group,
            downgrade_sentinel=sentinel,
            complete=complete,
            ja3s=ja3s,
            ja3s_md5=hashlib.md5(ja3s.encode("ascii"), usedforsecurity=False).hexdigest(),
        ),
        tuple(anomalies),
    )


# --------------------------------------------------------------------------- Certificate


def _parse_certificate(
    body: bytes, offset: int, record_split: bool, anomalies: list[ParseAnomaly]
) -> TlsCertificate:
    cur = _Cursor(body)
    chain: list[bytes] = []
    try:
        total = cur.u24()
        if total + 3 != len(body):
            anomalies.append(
                ParseAnomaly("tls_certificate_malformed", f"list length {total}", offset)
            )
        lst = _Cursor(body, 3, 3 + total)
        while lst.remaining() > 0:
            if len(chain) >= MAX_CERTIFICATES:
                anomalies.append(
                    ParseAnomaly("tls_too_many_certificates", f"> {MAX_CERTIFICATES}", offset)
                )
                break
            n = lst.u24()
            if n > MAX_CERTIFICATE_BYTES:
                anomalies.append(ParseAnomaly("tls_certificate_too_large", f"{n} bytes", offset))
                lst.take(n)
                continue
            chain.append(lst.take(n))
    except _Short:
        anomalies.append(ParseAnomaly("tls_certificate_malformed", "entry overruns", offset))
    return TlsCertificate(
        offset=offset,
        chain=tuple(chain),
        summaries=tuple(summarize_certificate(der) for der in chain),
        record_split=record_split,
    )


# --------------------------------------------------------------------------- stream


def _ssl2_client_hello_length(prefix: bytes) -> int | None:
    """Total length of an SSL 2.0 compatible CLIENT-HELLO at the start, if it is one."""
    if len(prefix) < 5:
        return None
    hdr, msg_type, version = _SSL2_HDR.unpack_from(prefix, 0)
    if not hdr & 0x8000 or msg_type != 1:
        return None
    if version not in (0x0002, 0x0300, 0x0301, 0x0302, 0x0303):
        return None
    length = int(hdr) & 0x7FFF
    if length < 9:
        return None
    return 2 + length


def looks_like_tls(prefix: bytes) -> bool:
    """Cheap content sniff: a TLS record header (type 20..24, major 3) or SSLv2 hello."""
    if len(prefix) >= 3 and 20 <= prefix[0] <= 24 and prefix[1] == 3 and prefix[2] <= 4:
        if len(prefix) < 5:
            return True
        length: int = _U16.unpack_from(prefix, 3)[0]
        return 0 < length <= MAX_RECORD_LENGTH
    return _ssl2_client_hello_length(prefix) is not None


class _HandshakeAssembler:
    """Joins cleartext handshake fragments across records and cuts them into messages."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.starts: list[int] = []  # buffer position where each record's fragment starts
        self.origins: list[int] = []  # stream offset of that record
        self.pos = 0

    def add(self, fragment: bytes, record_offset: int) -> None:
        room = MAX_STREAM_BYTES - len(self.buf)
        if room <= 0 or not fragment:
            return
        self.starts.append(len(self.buf))
        self.origins.append(record_offset)
        self.buf += fragment[:room]

    def origin(self, buf_pos: int) -> int:
        i = bisect.bisect_right(self.starts, buf_pos) - 1
        return self.origins[max(i, 0)]

    def next_message(self) -> tuple[int, bytes, int, bool] | None:
        """(msg_type, body, record offset, spans records) of the next complete message."""
        if len(self.buf) - self.pos < 4:
            return None
        hdr: int = _HS_HDR.unpack_from(self.buf, self.pos)[0]
        msg_type, length = hdr >> 24, hdr & 0xFFFFFF
        end = self.pos + 4 + length
        if end > len(self.buf):
            return None
        body = bytes(self.buf[self.pos + 4 : end])
        first = self.origin(self.pos)
        split = self.origin(end - 1) != first if length else False
        self.pos = end
        return msg_type, body, first, split

    def pending(self) -> tuple[int, int, bytes, int, bool] | None:
        """(msg_type, declared length, partial body, record offset, split) of a cut message."""
        left = len(self.buf) - self.pos
        if left <= 0:
            return None
        first = self.origin(self.pos)
        if left < 4:
            return -1, -1, b"", first, False
        hdr: int = _HS_HDR.unpack_from(self.buf, self.pos)[0]
        body = bytes(self.buf[self.pos + 4 :])
        return hdr >> 24, hdr & 0xFFFFFF, body, first, self.origin(len(self.buf) - 1) != first


def _relocate(items: tuple[ParseAnomaly, ...], offset: int) -> list[ParseAnomaly]:
    return [
        dataclasses.replace(a, offset=offset, detail=f"{a.detail} (body+{a.offset})")
        if a.offset is not None
        else dataclasses.replace(a, offset=offset)
        for a in items
    ]


def parse_tls_stream(stream: bytes) -> TlsStream:
    """Walk the TLS records of one stream direction (first 64 KiB) and read its handshake.

    Handshake messages are reassembled across records; parsing of handshake content stops
    once the direction is encrypted (after ChangeCipherSpec, the first application_data
    record, or a TLS 1.3 ServerHello).
    """
    data = bytes(stream[:MAX_STREAM_BYTES])
    anomalies: list[ParseAnomaly] = []
    records: list[TlsRecordInfo] = []
    handshakes: list[TlsHandshake] = []
    alerts: list[TlsAlert] = []
    hs = _HandshakeAssembler()
    app_data_offset: int | None = None
    ccs_offset: int | None = None
    encrypted_from: int | None = None
    incomplete_tail = False
    sslv2 = False
    walked = 0
    pos = 0
    capped_records = False

    ssl2_len = _ssl2_client_hello_length(data)
    if ssl2_len is not None:
        sslv2 = True
        anomalies.append(ParseAnomaly("tls_sslv2_hello", f"{ssl2_len} bytes", 0))
        if ssl2_len > len(data):
            incomplete_tail = True
        pos = min(ssl2_len, len(data))

    def drain(encrypted_now: bool) -> bool:
        """Parse every complete handshake message; returns True once encryption begins."""
        while not encrypted_now:
            msg = hs.next_message()
            if msg is None:
                return False
            msg_type, body, moff, split = msg
            if len(handshakes) >= MAX_HANDSHAKES:
                if not any(a.name == "tls_too_many_handshakes" for a in anomalies):
                    anomalies.append(ParseAnomaly("tls_too_many_handshakes", "", moff))
                hs.pos = len(hs.buf)
                return False
            if msg_type == HS_CLIENT_HELLO:
                ch, ch_anoms = parse_client_hello(body, offset=moff, record_split=split)
                anomalies.extend(_relocate(ch_anoms, moff))
                if ch is not None:
                    handshakes.append(ch)
            elif msg_type == HS_SERVER_HELLO:
                sh, sh_anoms = parse_server_hello(body, offset=moff)
                anomalies.extend(_relocate(sh_anoms, moff))
                if sh is not None:
                    handshakes.append(sh)
                    if sh.selected_version == TLS13 and not sh.is_hello_retry_request:
                        encrypted_now = True
            elif msg_type == HS_CERTIFICATE:
                handshakes.append(_parse_certificate(body, moff, split, anomalies))
            else:
                handshakes.append(
                    TlsHandshakeMessage(
                        offset=moff,
                        msg_type=msg_type,
                        type_name=HANDSHAKE_TYPES.get(msg_type, f"unknown_{msg_type}"),
                        length=len(body),
                        record_split=split,
                    )
                )
        return True

    encrypted = False
    # TLS 1.3 compat CCS (RFC 8446 D.4): a cleartext second ClientHello, or the ServerHello
    # after a HelloRetryRequest, may follow it
    ccs_resumable = False
    empty_flagged = False
    while pos < len(data):
        if len(data) - pos < 5:
            incomplete_tail = True
            break
        if walked >= MAX_RECORDS_WALKED:
            anomalies.append(
                ParseAnomaly("tls_too_many_records", f"stopped after {walked} records", pos)
            )
            break
        ctype, version, length = _REC.unpack_from(data, pos)
        if not CT_CHANGE_CIPHER_SPEC <= ctype <= CT_HEARTBEAT:
            anomalies.append(ParseAnomaly("tls_bad_record_type", f"content type {ctype}", pos))
            break
        if version >> 8 != 3:
            anomalies.append(ParseAnomaly("tls_bad_record_version", f"version {version:#06x}", pos))
            break
        walked += 1
        if len(records) < MAX_RECORDS:
            records.append(TlsRecordInfo(pos, ctype, version, length))
        elif not capped_records:
            capped_records = True
            anomalies.append(
                ParseAnomaly("tls_too_many_records", f"only {MAX_RECORDS} records kept", pos)
            )
        if length > MAX_RECORD_LENGTH:
            anomalies.append(ParseAnomaly("tls_record_too_long", f"length {length}", pos))
            break
        end = pos + 5 + length
        truncated = end > len(data)
        body = data[pos + 5 : min(end, len(data))]

        if ctype == CT_HANDSHAKE:
            if encrypted and ccs_resumable and _looks_like_hello(body):
                encrypted = ccs_resumable = False
                encrypted_from = None
                hs = _HandshakeAssembler()
            if not encrypted:
                if length == 0 and not empty_flagged:
                    empty_flagged = True
                    anomalies.append(ParseAnomaly("tls_empty_handshake_record", "", pos))
                hs.add(body, pos)
                if drain(False):
                    encrypted = True
                    encrypted_from = end
        elif ctype == CT_CHANGE_CIPHER_SPEC:
            if ccs_offset is None:
                ccs_offset = pos
            if not encrypted:
                encrypted = True
                encrypted_from = end
                ch = next((h for h in handshakes if isinstance(h, ClientHello)), None)
                last = handshakes[-1] if handshakes else None
                ccs_resumable = (
                    ch is not None
                    and TLS13 in ch.supported_versions
                    and not any(isinstance(h, ServerHello) for h in handshakes)
                ) or (isinstance(last, ServerHello) and last.is_hello_retry_request)
        elif ctype == CT_ALERT:
            _read_alerts(pos, length, body, encrypted, alerts, anomalies)
        elif ctype == CT_APPLICATION_DATA:
            if app_data_offset is None:
                app_data_offset = pos
            if not encrypted:
                encrypted = True
                encrypted_from = pos
            ccs_resumable = False

        if truncated:
            incomplete_tail = True
            pos = len(data)
            break
        pos = end

    if not encrypted:
        pend = hs.pending()
        if pend is not None:
            msg_type, declared, partial, moff, split = pend
            name = HANDSHAKE_TYPES.get(msg_type, f"unknown_{msg_type}")
            anomalies.append(
                ParseAnomaly(
                    "tls_handshake_truncated",
                    f"{name} declares {declared} bytes, {len(partial)} present",
                    moff,
                )
            )
            if msg_type == HS_CLIENT_HELLO and len(handshakes) < MAX_HANDSHAKES:
                ch, _ = parse_client_hello(partial, offset=moff, record_split=split)
                if ch is not None:
                    handshakes.append(dataclasses.replace(ch, complete=False))

    if len(anomalies) > MAX_ANOMALIES:
        dropped = len(anomalies) - MAX_ANOMALIES
        anomalies = anomalies[:MAX_ANOMALIES]
        anomalies.append(ParseAnomaly("tls_too_many_anomalies", f"{dropped} more not kept"))
    return TlsStream(
        records=tuple(records),
        handshakes=tuple(handshakes),
        alerts=tuple(alerts),
        anomalies=tuple(anomalies),
        app_data_offset=app_data_offset,
        incomplete_tail=incomplete_tail,
        ccs_offset=ccs_offset,
        encrypted_from=encrypted_from,
        records_seen=walked,
        bytes_parsed=pos,
        sslv2_hello=sslv2,
    )


def _looks_like_hello(body: bytes) -> bool:
    """A record that starts a ClientHello or ServerHello of plausible length."""
    if len(body) < 6 or body[0] not in (HS_CLIENT_HELLO, HS_SERVER_HELLO):
        return False
    declared: int = _HS_HDR.unpack_from(body, 0)[0] & 0xFFFFFF
    return 38 <= declared <= MAX_STREAM_BYTES and body[4] == 3


def _read_alerts(
    pos: int,
    length: int,
    body: bytes,
    encrypted: bool,
    alerts: list[TlsAlert],
    anomalies: list[ParseAnomaly],
) -> None:
    if len(alerts) >= MAX_ALERTS:
        return
    if encrypted:
        alerts.append(TlsAlert(pos, None, None, None, True))
        if length == 2:
            anomalies.append(
                ParseAnomaly(
                    "tls_short_encrypted_alert",
                    f"2-byte alert record after encryption began: {body.hex()}",
                    pos,
                )
            )
        return
    if length == 0 or length % 2:
        anomalies.append(ParseAnomaly("tls_alert_malformed", f"length {length}", pos))
    for i in range(0, len(body) - 1, 2):
        if len(alerts) >= MAX_ALERTS:
            break
        level, desc = body[i], body[i + 1]
        alerts.append(
            TlsAlert(pos, level, desc, ALERT_DESCRIPTIONS.get(desc, f"unknown_{desc}"), False)
        )
