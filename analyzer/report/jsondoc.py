"""The JSON document of the contract (``schema: analyzer/report/v1``).

Deterministic: the same inputs and tool version give byte-identical output (no wall-clock
time, keys in a fixed order, floats rounded to the microsecond).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import IO, Any

from ..model import Analysis, Direction, FlowRecord, InputSummary, Series

SCHEMA = "analyzer/report/v1"


def iso(ts: float | None) -> str | None:
    """Epoch seconds as ISO 8601 UTC with microseconds (``2021-02-08T10:00:00.123456Z``)."""
    if ts is None:
        return None
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except (OverflowError, OSError, ValueError):
        return None


def _t(ts: float | None) -> float | None:
    return None if ts is None else round(ts, 6)


def _series(s: Series, with_mode: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {"first": list(s.first)}
    if with_mode:
        d["mode"] = s.mode
        d["distinct"] = s.distinct
    d["min"] = s.min
    d["max"] = s.max
    return d


def direction_dict(h: Direction, ip: str, port: int) -> dict[str, Any]:
    return {
        "ip": ip,
        "port": port,
        "packets": h.packets,
        "bytes": h.bytes,
        "payload_bytes": h.payload_bytes,
        "data_packets": h.data_packets,
        "first_ts": _t(h.first_ts),
        "last_ts": _t(h.last_ts),
        "ttl": _series(h.ttl),
        "ip_id": _series(h.ip_id, with_mode=False),
        "df_packets": h.df_packets,
        "window": {"min": h.window_min, "max": h.window_max, "scale": h.window_scale,
                   "zero_window_packets": h.zero_window_packets},
        "mss": h.mss,
        "sack_permitted": h.sack_permitted,
        "timestamps": h.timestamps,
        "isn": h.isn,
        "retransmissions": h.retransmissions,
        "out_of_order": h.out_of_order,
        "overlaps": h.overlaps,
        "conflicts": [{"first_frame": a, "second_frame": b, "stream_offset": off,
                       "length": ln} for a, b, off, ln in h.conflicts],
        "fin_frames": list(h.fin_frames),
        "rst_frames": list(h.rst_frames),
        "stream_bytes": h.stream_bytes,
        "stream_gap": h.stream_gap,
    }


def flow_dict(f: FlowRecord) -> dict[str, Any]:
    pk = f.packet_dicts()
    for p in pk:
        p["ts"] = round(p["ts"], 6)
    return {
        "id": f.id,
        "input": f.input,
        "transport": f.transport,
        "first_ts": _t(f.first_ts),
        "last_ts": _t(f.last_ts),
        "duration": round(f.last_ts - f.first_ts, 6),
        "history": f.history,
        "conn_state": f.conn_state,
        "handshake": {"syn_frame": f.syn_frame, "synack_frame": f.synack_frame,
                      "ack_frame": f.ack_frame,
                      "rtt_ms": None if f.rtt is None else round(f.rtt * 1000, 3)},
        "orig": direction_dict(f.orig, f.orig_ip, f.orig_port),
        "resp": direction_dict(f.resp, f.resp_ip, f.resp_port),
        "data_after_rst": list(f.data_after_rst),
        "icmp_errors": [{"frame": fr, "ts": _t(ts), "type": ty, "code": co, "router": ip}
                        for fr, ts, ty, co, ip in f.icmp_errors],
        "packets": pk,
    }


def input_dict(i: InputSummary) -> dict[str, Any]:
    return {
        "path": i.path,
        "sha256": i.sha256,
        "format": i.format,
        "compressed": i.compressed,
        "size": i.size,
        "packets": i.packets,
        "link_types": list(i.link_types),
        "first_ts": iso(i.first_ts),
        "last_ts": iso(i.last_ts),
        "truncated": i.truncated,
        "snapped_packets": i.snapped_packets,
    }


def document(a: Analysis, tool_name: str = "analyzer", flows: bool = True) -> dict[str, Any]:
    """The whole JSON document as plain data."""
    return {
        "schema": SCHEMA,
        "tool": {"name": tool_name, "version": a.tool_version},
        "inputs": [input_dict(i) for i in a.inputs],
        "rules": a.rules,
        "findings": a.findings,
        "observations": a.observations,
        "anomalies": [
            {"name": an.name, "description": an.description, "count": an.count,
             "examples": [{"input": i, "frame": fr, "flow": fl, "detail": det}
                          for i, fr, fl, det in an.examples]}
            for an in a.anomalies
        ],
        "stats": a.stats,
        "flows": [flow_dict(f) for f in a.flows] if flows else [],
    }


def write(a: Analysis, out: IO[str]) -> None:
    """Write the document; the flows table is encoded in slices to bound memory."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    head = dumps(document(a, flows=False))
    assert head.endswith('"flows":[]}')
    out.write(head[:-3])
    out.write("[")
    step = 2000
    for i in range(0, len(a.flows), step):
        part = dumps([flow_dict(f) for f in a.flows[i:i + step]])
        if i:
            out.write(",")
        out.write(part[1:-1])
    out.write("]}\n")
