"""Typed results that cross module boundaries: inputs, anomalies, the whole analysis.

Flows are :class:`analyzer.flows.Flow` objects (finished: buffers released).

Every field here is documented in ``docs/fields.md`` (generated, checked by a test). Times are
seconds since the epoch (float); frames are 1-based Wireshark frame numbers of their input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .events import (
    DnsTransaction,
    FirstPayload,
    HttpExchange,
    QuicHandshakeEvent,
    TlsHandshakeEvent,
)
from .flows import Flow


@dataclass(frozen=True, slots=True)
class InputSummary:
    """One capture file as read."""

    index: int
    path: str
    sha256: str
    format: str
    compressed: bool
    size: int
    packets: int
    link_types: tuple[str, ...]
    first_ts: float | None
    last_ts: float | None
    truncated: bool
    snapped_packets: int


@dataclass(frozen=True, slots=True)
class AnomalySummary:
    name: str
    description: str
    count: int
    examples: tuple[tuple[int | None, int | None, str | None, str], ...]
    """(input, frame, flow, detail) of the first occurrences."""


@dataclass(slots=True)
class Analysis:
    """Everything one run produced; the JSON document is a rendering of this."""

    tool_version: str
    inputs: list[InputSummary] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    dns: list[DnsTransaction] = field(default_factory=list)
    """DNS transactions (UDP and TCP), in flow-finish order, then query order."""
    tls: list[TlsHandshakeEvent] = field(default_factory=list)
    """One TLS handshake per TCP connection that carries TLS (any port)."""
    http: list[HttpExchange] = field(default_factory=list)
    """HTTP/1.x request/response exchanges (any port), in connection order."""
    quic: list[QuicHandshakeEvent] = field(default_factory=list)
    """One QUIC handshake per UDP flow that starts like QUIC."""
    payloads: list[FirstPayload] = field(default_factory=list)
    """The first client segment of TCP flows with no recognised protocol (detection input;
    not part of the JSON document)."""
    anomalies: list[AnomalySummary] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    observations: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, str]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    started: float = 0.0
    elapsed: float = 0.0
