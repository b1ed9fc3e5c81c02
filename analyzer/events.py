"""Typed protocol events: facts read from reconstructed flows, never judgements.

Each event names its flow (``flow``, the flow id), its input (``input``), the Wireshark frame
numbers it was read from and the capture timestamps (float epoch seconds, rounded to the
microsecond; delays in milliseconds rounded to the microsecond). Events are produced by
:mod:`analyzer.extract` while a flow's streams are still held, and are documented field by field
in ``docs/fields.md`` (source: :mod:`analyzer.fieldref`): rules match against these names.

Frames and timestamps: a frame number is ``None`` (or missing from a list) when unknown. A
timestamp is known for every UDP datagram and for the TCP packets the flow table keeps
(handshake, FIN/RST and the first data packets of each direction); it is ``None`` for later TCP
segments (e.g. the fifth pipelined HTTP request of a connection).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import Any

# --------------------------------------------------------------------------------------- DNS


@dataclass(frozen=True, slots=True)
class DnsAnswer:
    """One resource record of a DNS response (answer or authority section)."""

    name: str
    type: str
    ttl: int
    value: str


@dataclass(frozen=True, slots=True)
class DnsResponse:
    """One response of a DNS transaction, with the IP header facts of the packet."""

    frame: int | None
    ts: float | None
    delay_ms: float | None
    rcode: int
    rcode_name: str
    aa: bool
    tc: bool
    ra: bool
    answers: tuple[DnsAnswer, ...]
    authority: tuple[DnsAnswer, ...]
    addresses: tuple[str, ...]
    edns: bool
    ip_ttl: int | None
    ip_id: int | None
    df: bool | None
    anomalies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DnsTransaction:
    """A DNS query and *all* its responses in arrival order (or an unmatched response)."""

    flow: str
    input: int
    transport: str
    client_ip: str
    client_port: int
    server_ip: str
    server_port: int
    id: int
    qname: str | None
    qtype: int | None
    qtype_name: str | None
    query_frames: tuple[int, ...]
    query_ts: float | None
    query_anomalies: tuple[str, ...]
    response_count: int
    response_frames: tuple[int, ...]
    responses: tuple[DnsResponse, ...]
    disagree: bool


# --------------------------------------------------------------------------------------- TLS


@dataclass(frozen=True, slots=True)
class TlsCertificateInfo:
    """Summary of one certificate of the chain the server presented (TLS <= 1.2)."""

    subject: str
    issuer: str
    subject_cn: str | None
    san_dns: tuple[str, ...]
    san_ips: tuple[str, ...]
    not_before: str
    not_after: str
    serial: str
    sha256: str
    self_signed: bool
    is_ca: bool


@dataclass(frozen=True, slots=True)
class TlsAlertInfo:
    """One TLS alert record and who sent it."""

    frame: int | None
    ts: float | None
    direction: str
    level: int | None
    description: int | None
    name: str | None
    encrypted: bool


@dataclass(frozen=True, slots=True)
class TlsHandshakeEvent:
    """The TLS handshake of one TCP connection (any port) and how it ended."""

    flow: str
    input: int
    client_ip: str
    client_port: int
    server_ip: str
    server_port: int
    outcome: str
    dns_over: str | None
    client_hello_frames: tuple[int, ...]
    client_hello_ts: float | None
    client_hello_retransmissions: int
    client_hello_complete: bool
    sni: str | None
    alpn: tuple[str, ...]
    client_version: int | None
    supported_versions: tuple[int, ...]
    cipher_suites: tuple[int, ...]
    extensions: tuple[int, ...]
    ech: bool
    esni: bool
    ja3: str | None
    ja3_string: str | None
    ja4: str | None
    server_hello_frame: int | None
    server_hello_ts: float | None
    server_hello_ms: float | None
    server_version: int | None
    cipher_suite: int | None
    server_alpn: str | None
    hello_retry_request: bool
    ja3s: str | None
    client_handshake_types: tuple[str, ...]
    server_handshake_types: tuple[str, ...]
    certificate_frame: int | None
    certificates: tuple[TlsCertificateInfo, ...]
    cert_trusted: bool | None
    cert_chain_trusted: bool | None
    cert_hostname_matches: bool | None
    cert_error: str | None
    alerts: tuple[TlsAlertInfo, ...]
    server_data_frame: int | None
    server_data_ms: float | None
    server_tls: bool
    rst_frame: int | None
    rst_ts: float | None
    rst_ms: float | None
    rst_from: str | None
    fin_frame: int | None
    fin_ts: float | None
    fin_ms: float | None
    fin_from: str | None
    client_app_data: bool
    server_app_data: bool
    anomalies: tuple[str, ...]


# -------------------------------------------------------------------------------------- HTTP


@dataclass(frozen=True, slots=True)
class HttpExchange:
    """One HTTP/1.x request and its response, in connection order (either may be absent)."""

    flow: str
    input: int
    client_ip: str
    client_port: int
    server_ip: str
    server_port: int
    index: int
    request_frames: tuple[int, ...]
    request_ts: float | None
    method: str | None
    target: str | None
    version: str | None
    host: str | None
    user_agent: str | None
    connect: bool
    pipelined: bool
    request_complete: bool | None
    response_frames: tuple[int, ...]
    response_ts: float | None
    response_ms: float | None
    response_version: str | None
    status: int | None
    reason: str | None
    location: str | None
    server_header: str | None
    content_type: str | None
    content_length: int | None
    body_length: int | None
    body_prefix: str | None
    body_sha256: str | None
    response_complete: bool | None
    interim_statuses: tuple[int, ...]
    anomalies: tuple[str, ...]


# -------------------------------------------------------------------------------------- QUIC


@dataclass(frozen=True, slots=True)
class QuicHandshakeEvent:
    """The Initial exchange of one QUIC flow (UDP), decrypted where the keys allow."""

    flow: str
    input: int
    client_ip: str
    client_port: int
    server_ip: str
    server_port: int
    version: int | None
    version_name: str
    dcid: str | None
    scid: str | None
    decrypted: bool
    sni: str | None
    alpn: tuple[str, ...]
    ja4: str | None
    client_hello_complete: bool
    client_hello_frames: tuple[int, ...]
    client_initials: int
    first_initial_frame: int | None
    first_initial_ts: float | None
    server_answered: bool
    server_first_frame: int | None
    server_first_ts: float | None
    server_first_ms: float | None
    server_hello_frame: int | None
    version_negotiation: tuple[int, ...]
    version_negotiation_frame: int | None
    retry: bool
    close_error_codes: tuple[int, ...]
    anomalies: tuple[str, ...]


Event = DnsTransaction | TlsHandshakeEvent | HttpExchange | QuicHandshakeEvent

_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return as_dict(value)
    return value


def as_dict(event: Any) -> dict[str, Any]:
    """The JSON form of an event (or nested fact): field names in declaration order, tuples
    as lists, nested facts as objects."""
    cls = type(event)
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(event))
    out: dict[str, Any] = {}
    for name in names:
        v = getattr(event, name)
        if isinstance(v, tuple):
            v = [_plain(x) for x in v]
        out[name] = v
    return out
