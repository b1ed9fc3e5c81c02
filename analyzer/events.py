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

# The frozen dataclasses here write their ``__init__`` out (``init=False``) instead of using
# the generated one: compiled with mypyc, these ``object.__setattr__`` calls become native
# stores (about 15x faster to build; the generated ``__init__`` stays interpreted code). A
# test (tests/test_explicit_inits.py) checks that each sets every field, in field order.

# --------------------------------------------------------------------------------------- DNS


@dataclass(frozen=True, slots=True, init=False)
class DnsAnswer:
    """One resource record of a DNS response (answer or authority section)."""

    name: str
    type: str
    ttl: int
    value: str

    def __init__(self, name: str, type: str, ttl: int, value: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "ttl", ttl)
        object.__setattr__(self, "value", value)


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(self, frame: int | None, ts: float | None, delay_ms: float | None, rcode: int,
                 rcode_name: str, aa: bool, tc: bool, ra: bool, answers: tuple[DnsAnswer, ...],
                 authority: tuple[DnsAnswer, ...], addresses: tuple[str, ...], edns: bool,
                 ip_ttl: int | None, ip_id: int | None, df: bool | None,
                 anomalies: tuple[str, ...]) -> None:
        object.__setattr__(self, "frame", frame)
        object.__setattr__(self, "ts", ts)
        object.__setattr__(self, "delay_ms", delay_ms)
        object.__setattr__(self, "rcode", rcode)
        object.__setattr__(self, "rcode_name", rcode_name)
        object.__setattr__(self, "aa", aa)
        object.__setattr__(self, "tc", tc)
        object.__setattr__(self, "ra", ra)
        object.__setattr__(self, "answers", answers)
        object.__setattr__(self, "authority", authority)
        object.__setattr__(self, "addresses", addresses)
        object.__setattr__(self, "edns", edns)
        object.__setattr__(self, "ip_ttl", ip_ttl)
        object.__setattr__(self, "ip_id", ip_id)
        object.__setattr__(self, "df", df)
        object.__setattr__(self, "anomalies", anomalies)


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(self, flow: str, input: int, transport: str, client_ip: str, client_port: int,
                 server_ip: str, server_port: int, id: int, qname: str | None, qtype: int | None,
                 qtype_name: str | None, query_frames: tuple[int, ...], query_ts: float | None,
                 query_anomalies: tuple[str, ...], response_count: int,
                 response_frames: tuple[int, ...], responses: tuple[DnsResponse, ...],
                 disagree: bool) -> None:
        object.__setattr__(self, "flow", flow)
        object.__setattr__(self, "input", input)
        object.__setattr__(self, "transport", transport)
        object.__setattr__(self, "client_ip", client_ip)
        object.__setattr__(self, "client_port", client_port)
        object.__setattr__(self, "server_ip", server_ip)
        object.__setattr__(self, "server_port", server_port)
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "qname", qname)
        object.__setattr__(self, "qtype", qtype)
        object.__setattr__(self, "qtype_name", qtype_name)
        object.__setattr__(self, "query_frames", query_frames)
        object.__setattr__(self, "query_ts", query_ts)
        object.__setattr__(self, "query_anomalies", query_anomalies)
        object.__setattr__(self, "response_count", response_count)
        object.__setattr__(self, "response_frames", response_frames)
        object.__setattr__(self, "responses", responses)
        object.__setattr__(self, "disagree", disagree)


# --------------------------------------------------------------------------------------- TLS


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(self, subject: str, issuer: str, subject_cn: str | None, san_dns: tuple[str, ...],
                 san_ips: tuple[str, ...], not_before: str, not_after: str, serial: str,
                 sha256: str, self_signed: bool, is_ca: bool) -> None:
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "issuer", issuer)
        object.__setattr__(self, "subject_cn", subject_cn)
        object.__setattr__(self, "san_dns", san_dns)
        object.__setattr__(self, "san_ips", san_ips)
        object.__setattr__(self, "not_before", not_before)
        object.__setattr__(self, "not_after", not_after)
        object.__setattr__(self, "serial", serial)
        object.__setattr__(self, "sha256", sha256)
        object.__setattr__(self, "self_signed", self_signed)
        object.__setattr__(self, "is_ca", is_ca)


@dataclass(frozen=True, slots=True, init=False)
class TlsAlertInfo:
    """One TLS alert record and who sent it."""

    frame: int | None
    ts: float | None
    direction: str
    level: int | None
    description: int | None
    name: str | None
    encrypted: bool

    def __init__(self, frame: int | None, ts: float | None, direction: str, level: int | None,
                 description: int | None, name: str | None, encrypted: bool) -> None:
        object.__setattr__(self, "frame", frame)
        object.__setattr__(self, "ts", ts)
        object.__setattr__(self, "direction", direction)
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "encrypted", encrypted)


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(self, flow: str, input: int, client_ip: str, client_port: int, server_ip: str,
                 server_port: int, outcome: str, dns_over: str | None,
                 client_hello_frames: tuple[int, ...], client_hello_ts: float | None,
                 client_hello_retransmissions: int, client_hello_complete: bool, sni: str | None,
                 alpn: tuple[str, ...], client_version: int | None,
                 supported_versions: tuple[int, ...], cipher_suites: tuple[int, ...],
                 extensions: tuple[int, ...], ech: bool, esni: bool, ja3: str | None,
                 ja3_string: str | None, ja4: str | None, server_hello_frame: int | None,
                 server_hello_ts: float | None, server_hello_ms: float | None,
                 server_version: int | None, cipher_suite: int | None, server_alpn: str | None,
                 hello_retry_request: bool, ja3s: str | None,
                 client_handshake_types: tuple[str, ...], server_handshake_types: tuple[str, ...],
                 certificate_frame: int | None, certificates: tuple[TlsCertificateInfo, ...],
                 cert_trusted: bool | None, cert_chain_trusted: bool | None,
                 cert_hostname_matches: bool | None, cert_error: str | None,
                 alerts: tuple[TlsAlertInfo, ...], server_data_frame: int | None,
                 server_data_ms: float | None, server_tls: bool, rst_frame: int | None,
                 rst_ts: float | None, rst_ms: float | None, rst_from: str | None,
                 fin_frame: int | None, fin_ts: float | None, fin_ms: float | None,
                 fin_from: str | None, client_app_data: bool, server_app_data: bool,
                 anomalies: tuple[str, ...]) -> None:
        object.__setattr__(self, "flow", flow)
        object.__setattr__(self, "input", input)
        object.__setattr__(self, "client_ip", client_ip)
        object.__setattr__(self, "client_port", client_port)
        object.__setattr__(self, "server_ip", server_ip)
        object.__setattr__(self, "server_port", server_port)
        object.__setattr__(self, "outcome", outcome)
        object.__setattr__(self, "dns_over", dns_over)
        object.__setattr__(self, "client_hello_frames", client_hello_frames)
        object.__setattr__(self, "client_hello_ts", client_hello_ts)
        object.__setattr__(self, "client_hello_retransmissions", client_hello_retransmissions)
        object.__setattr__(self, "client_hello_complete", client_hello_complete)
        object.__setattr__(self, "sni", sni)
        object.__setattr__(self, "alpn", alpn)
        object.__setattr__(self, "client_version", client_version)
        object.__setattr__(self, "supported_versions", supported_versions)
        object.__setattr__(self, "cipher_suites", cipher_suites)
        object.__setattr__(self, "extensions", extensions)
        object.__setattr__(self, "ech", ech)
        object.__setattr__(self, "esni", esni)
        object.__setattr__(self, "ja3", ja3)
        object.__setattr__(self, "ja3_string", ja3_string)
        object.__setattr__(self, "ja4", ja4)
        object.__setattr__(self, "server_hello_frame", server_hello_frame)
        object.__setattr__(self, "server_hello_ts", server_hello_ts)
        object.__setattr__(self, "server_hello_ms", server_hello_ms)
        object.__setattr__(self, "server_version", server_version)
        object.__setattr__(self, "cipher_suite", cipher_suite)
        object.__setattr__(self, "server_alpn", server_alpn)
        object.__setattr__(self, "hello_retry_request", hello_retry_request)
        object.__setattr__(self, "ja3s", ja3s)
        object.__setattr__(self, "client_handshake_types", client_handshake_types)
        object.__setattr__(self, "server_handshake_types", server_handshake_types)
        object.__setattr__(self, "certificate_frame", certificate_frame)
        object.__setattr__(self, "certificates", certificates)
        object.__setattr__(self, "cert_trusted", cert_trusted)
        object.__setattr__(self, "cert_chain_trusted", cert_chain_trusted)
        object.__setattr__(self, "cert_hostname_matches", cert_hostname_matches)
        object.__setattr__(self, "cert_error", cert_error)
        object.__setattr__(self, "alerts", alerts)
        object.__setattr__(self, "server_data_frame", server_data_frame)
        object.__setattr__(self, "server_data_ms", server_data_ms)
        object.__setattr__(self, "server_tls", server_tls)
        object.__setattr__(self, "rst_frame", rst_frame)
        object.__setattr__(self, "rst_ts", rst_ts)
        object.__setattr__(self, "rst_ms", rst_ms)
        object.__setattr__(self, "rst_from", rst_from)
        object.__setattr__(self, "fin_frame", fin_frame)
        object.__setattr__(self, "fin_ts", fin_ts)
        object.__setattr__(self, "fin_ms", fin_ms)
        object.__setattr__(self, "fin_from", fin_from)
        object.__setattr__(self, "client_app_data", client_app_data)
        object.__setattr__(self, "server_app_data", server_app_data)
        object.__setattr__(self, "anomalies", anomalies)


# -------------------------------------------------------------------------------------- HTTP


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(self, flow: str, input: int, client_ip: str, client_port: int, server_ip: str,
                 server_port: int, index: int, request_frames: tuple[int, ...],
                 request_ts: float | None, method: str | None, target: str | None,
                 version: str | None, host: str | None, user_agent: str | None, connect: bool,
                 pipelined: bool, request_complete: bool | None, response_frames: tuple[int, ...],
                 response_ts: float | None, response_ms: float | None, response_version: str | None,
                 status: int | None, reason: str | None, location: str | None,
                 server_header: str | None, content_type: str | None, content_length: int | None,
                 body_length: int | None, body_prefix: str | None, body_sha256: str | None,
                 response_complete: bool | None, interim_statuses: tuple[int, ...],
                 anomalies: tuple[str, ...]) -> None:
        object.__setattr__(self, "flow", flow)
        object.__setattr__(self, "input", input)
        object.__setattr__(self, "client_ip", client_ip)
        object.__setattr__(self, "client_port", client_port)
        object.__setattr__(self, "server_ip", server_ip)
        object.__setattr__(self, "server_port", server_port)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "request_frames", request_frames)
        object.__setattr__(self, "request_ts", request_ts)
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "host", host)
        object.__setattr__(self, "user_agent", user_agent)
        object.__setattr__(self, "connect", connect)
        object.__setattr__(self, "pipelined", pipelined)
        object.__setattr__(self, "request_complete", request_complete)
        object.__setattr__(self, "response_frames", response_frames)
        object.__setattr__(self, "response_ts", response_ts)
        object.__setattr__(self, "response_ms", response_ms)
        object.__setattr__(self, "response_version", response_version)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "server_header", server_header)
        object.__setattr__(self, "content_type", content_type)
        object.__setattr__(self, "content_length", content_length)
        object.__setattr__(self, "body_length", body_length)
        object.__setattr__(self, "body_prefix", body_prefix)
        object.__setattr__(self, "body_sha256", body_sha256)
        object.__setattr__(self, "response_complete", response_complete)
        object.__setattr__(self, "interim_statuses", interim_statuses)
        object.__setattr__(self, "anomalies", anomalies)


# -------------------------------------------------------------------------------------- QUIC


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(self, flow: str, input: int, client_ip: str, client_port: int, server_ip: str,
                 server_port: int, version: int | None, version_name: str, dcid: str | None,
                 scid: str | None, decrypted: bool, sni: str | None, alpn: tuple[str, ...],
                 ja4: str | None, client_hello_complete: bool, client_hello_frames: tuple[int, ...],
                 client_initials: int, first_initial_frame: int | None,
                 first_initial_ts: float | None, server_answered: bool,
                 server_first_frame: int | None, server_first_ts: float | None,
                 server_first_ms: float | None, server_hello_frame: int | None,
                 version_negotiation: tuple[int, ...], version_negotiation_frame: int | None,
                 retry: bool, close_error_codes: tuple[int, ...],
                 anomalies: tuple[str, ...]) -> None:
        object.__setattr__(self, "flow", flow)
        object.__setattr__(self, "input", input)
        object.__setattr__(self, "client_ip", client_ip)
        object.__setattr__(self, "client_port", client_port)
        object.__setattr__(self, "server_ip", server_ip)
        object.__setattr__(self, "server_port", server_port)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "version_name", version_name)
        object.__setattr__(self, "dcid", dcid)
        object.__setattr__(self, "scid", scid)
        object.__setattr__(self, "decrypted", decrypted)
        object.__setattr__(self, "sni", sni)
        object.__setattr__(self, "alpn", alpn)
        object.__setattr__(self, "ja4", ja4)
        object.__setattr__(self, "client_hello_complete", client_hello_complete)
        object.__setattr__(self, "client_hello_frames", client_hello_frames)
        object.__setattr__(self, "client_initials", client_initials)
        object.__setattr__(self, "first_initial_frame", first_initial_frame)
        object.__setattr__(self, "first_initial_ts", first_initial_ts)
        object.__setattr__(self, "server_answered", server_answered)
        object.__setattr__(self, "server_first_frame", server_first_frame)
        object.__setattr__(self, "server_first_ts", server_first_ts)
        object.__setattr__(self, "server_first_ms", server_first_ms)
        object.__setattr__(self, "server_hello_frame", server_hello_frame)
        object.__setattr__(self, "version_negotiation", version_negotiation)
        object.__setattr__(self, "version_negotiation_frame", version_negotiation_frame)
        object.__setattr__(self, "retry", retry)
        object.__setattr__(self, "close_error_codes", close_error_codes)
        object.__setattr__(self, "anomalies", anomalies)


# ------------------------------------------------------------------------- other TCP


@dataclass(frozen=True, slots=True, init=False)
class FirstPayload:
    """The first data segment a TCP client sent on a connection whose protocol the parsers do
    not recognise (not TLS, HTTP or DNS), as the byte statistics a censor's filter for fully
    encrypted traffic computes on it (fingerprints catalogue PF-01). Facts only: whether they
    make a trigger is decided in :mod:`analyzer.detect`."""

    flow: str
    input: int
    frame: int
    ts: float | None
    length: int
    bits_per_byte: float
    """Set bits per byte (popcount / length), rounded to 3 decimals: about 4 for random bytes."""
    printable_share: float
    """The share of bytes that are printable ASCII (0x20-0x7e), rounded to 3 decimals."""
    printable_run: int
    """The longest run of contiguous printable bytes."""
    printable_prefix: bool
    """The first six bytes are all printable."""
    known_prefix: str | None
    """``tls`` or ``http`` when it starts like a TLS record or an HTTP method, else None."""

    def __init__(self, flow: str, input: int, frame: int, ts: float | None, length: int,
                 bits_per_byte: float, printable_share: float, printable_run: int,
                 printable_prefix: bool, known_prefix: str | None) -> None:
        object.__setattr__(self, "flow", flow)
        object.__setattr__(self, "input", input)
        object.__setattr__(self, "frame", frame)
        object.__setattr__(self, "ts", ts)
        object.__setattr__(self, "length", length)
        object.__setattr__(self, "bits_per_byte", bits_per_byte)
        object.__setattr__(self, "printable_share", printable_share)
        object.__setattr__(self, "printable_run", printable_run)
        object.__setattr__(self, "printable_prefix", printable_prefix)
        object.__setattr__(self, "known_prefix", known_prefix)


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
