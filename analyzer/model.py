"""Typed results that cross module boundaries: inputs, flows, anomalies, the whole analysis.

Every field here is documented in ``docs/fields.md`` (generated, checked by a test). Times are
seconds since the epoch (float); frames are 1-based Wireshark frame numbers of their input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .flows import PKT_FIELDS, Pkt


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
class Series:
    """Summary of one per-packet value (IP TTL / hop limit, or IP ID) in one direction."""

    first: tuple[int, ...]
    mode: int | None
    min: int | None
    max: int | None
    distinct: int


@dataclass(frozen=True, slots=True)
class Direction:
    """One direction of a flow (``orig``: from the originator; ``resp``: from the responder)."""

    packets: int
    bytes: int
    payload_bytes: int
    data_packets: int
    first_ts: float | None
    last_ts: float | None
    ttl: Series
    ip_id: Series
    df_packets: int
    window_min: int | None
    window_max: int | None
    zero_window_packets: int
    mss: int | None
    window_scale: int | None
    sack_permitted: bool
    timestamps: bool
    isn: int | None
    retransmissions: int
    out_of_order: int
    overlaps: int
    conflicts: tuple[tuple[int, int, int, int], ...]
    fin_frames: tuple[int, ...]
    rst_frames: tuple[int, ...]
    stream_bytes: int
    stream_gap: bool


@dataclass(frozen=True, slots=True)
class FlowRecord:
    """A finished flow: the facts of one TCP connection or UDP/ICMP exchange."""

    id: str
    input: int
    transport: str
    orig_ip: str
    orig_port: int
    resp_ip: str
    resp_port: int
    first_ts: float
    last_ts: float
    history: str
    conn_state: str
    syn_frame: int | None
    synack_frame: int | None
    ack_frame: int | None
    rtt: float | None
    orig: Direction
    resp: Direction
    data_after_rst: tuple[int, ...]
    icmp_errors: tuple[tuple[int, float, int, int, str], ...]
    packets: tuple[Pkt, ...]

    def packet_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(PKT_FIELDS, p, strict=True)) for p in self.packets]


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
    flows: list[FlowRecord] = field(default_factory=list)
    anomalies: list[AnomalySummary] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    observations: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, str]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    started: float = 0.0
    elapsed: float = 0.0
