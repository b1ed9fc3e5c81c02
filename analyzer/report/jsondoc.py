"""The JSON document of the contract (``schema: analyzer/report/v1``).

Deterministic: the same inputs and tool version give byte-identical output (no wall-clock
time, keys in a fixed order, floats rounded to the microsecond).

The flows table has one flat row per flow (Zeek ``conn.log`` style); flows that show
anything beyond a plain exchange (resets, retransmissions, conflicts, ICMP errors, failed
handshakes ...) also carry a ``detail`` object with both directions' series and the packets
that matter. The protocol events (:mod:`analyzer.events`: ``dns``, ``tls``, ``http``, ``quic``)
come just before the flows table. Field reference: ``docs/fields.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import IO, Any

from ..analysis import is_notable
from ..events import as_dict
from ..flows import PKT_FIELDS, Flow, Half
from ..model import Analysis, InputSummary

SCHEMA = "analyzer/report/v1"


def iso(ts: float | None) -> str | None:
    """Epoch seconds as ISO 8601 UTC with microseconds (``2021-02-08T10:00:00.123456Z``)."""
    if ts is None:
        return None
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except (OverflowError, OSError, ValueError):
        return None


def half_detail(h: Half) -> dict[str, Any]:
    """The detail of one direction."""
    return {
        "first_ts": round(h.first_ts, 6) if h.pkts else None,
        "last_ts": round(h.last_ts, 6) if h.pkts else None,
        "data_packets": h.data_pkts,
        "ttl_first": h.ttl_first,
        "ttl_values": {str(k): v for k, v in sorted(h.ttl.items())},
        "ip_id_first": h.ipid_first,
        "df_packets": h.df,
        "mss": h.mss or None,
        "window_scale": h.wscale if h.wscale >= 0 else None,
        "sack_permitted": h.sack_ok,
        "timestamps": h.ts_opt,
        "isn": h.syn_seq if h.syn_seq >= 0 else None,
        "zero_window_packets": h.zero_win,
        "retransmissions": h.retrans,
        "out_of_order": h.ooo_count,
        "overlaps": h.overlaps,
        "conflicts": [{"first_frame": a, "second_frame": b, "stream_offset": off,
                       "length": ln} for a, b, off, ln in h.conflicts],
        "fin_frames": h.fin,
        "rst_frames": h.rst,
        "stream_gap": h.gap,
    }


def flow_dict(f: Flow) -> dict[str, Any]:
    o, r = f.h
    rtt = f.rtt
    row: dict[str, Any] = {
        "id": f.id,
        "input": f.input,
        "transport": f.transport,
        "orig_ip": f.orig_ip,
        "orig_port": f.pa,
        "resp_ip": f.resp_ip,
        "resp_port": f.pb,
        "first_ts": round(f.first_ts, 6),
        "last_ts": round(f.last_ts, 6),
        "duration": round(f.last_ts - f.first_ts, 6),
        "history": f.hist,
        "conn_state": f.conn_state,
        "orig_packets": o.pkts,
        "resp_packets": r.pkts,
        "orig_bytes": o.bytes,
        "resp_bytes": r.bytes,
        "orig_payload_bytes": o.payload,
        "resp_payload_bytes": r.payload,
        "orig_ttl": o.ttl_mode(),
        "resp_ttl": r.ttl_mode(),
        "syn_frame": f.syn_frame or None,
        "synack_frame": f.synack_frame or None,
        "rtt_ms": None if rtt is None else round(rtt * 1000, 3),
        "orig_rst_frames": o.rst,
        "resp_rst_frames": r.rst,
        "retransmissions": o.retrans + r.retrans,
        "detail": None,
    }
    if is_notable(f):
        row["detail"] = {
            "orig": half_detail(o),
            "resp": half_detail(r),
            "ack_frame": f.ack_frame or None,
            "data_after_rst": f.data_after_rst,
            "icmp_errors": [{"frame": fr, "ts": round(ts, 6), "type": ty, "code": co,
                             "router": ip} for fr, ts, ty, co, ip in f.icmp],
            "packets": [list(p) for p in f.kept],
        }
    return row


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


def document(a: Analysis, tool_name: str = "analyzer", flows: bool = True,
             events: bool = True) -> dict[str, Any]:
    """The whole JSON document as plain data (without the events and the flows table when
    ``events`` / ``flows`` is false: :func:`write` streams those)."""
    return {
        "schema": SCHEMA,
        "tool": {"name": tool_name, "version": a.tool_version},
        "packet_columns": list(PKT_FIELDS),
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
        "dns": [as_dict(e) for e in a.dns] if events else [],
        "tls": [as_dict(e) for e in a.tls] if events else [],
        "http": [as_dict(e) for e in a.http] if events else [],
        "quic": [as_dict(e) for e in a.quic] if events else [],
        "flows": [flow_dict(f) for f in a.flows] if flows else [],
    }


_EVENT_DICTS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _event_json(obj: Any) -> dict[str, Any]:
    """The encoder's hook for events and their nested facts: the same object as
    :func:`analyzer.events.as_dict`, built with one C-level attribute fetch. Tuples are left
    as they are (the encoder writes them as arrays, as it does the lists of ``as_dict``) and
    nested facts come back here."""
    make = _EVENT_DICTS.get(type(obj))
    if make is None:
        if not is_dataclass(obj) or isinstance(obj, type):
            raise TypeError(f"{type(obj).__name__} is not JSON serializable")
        names = tuple(f.name for f in fields(obj))
        get = attrgetter(*names)
        if len(names) == 1:
            def make(e: Any) -> dict[str, Any]:
                return {names[0]: get(e)}
        else:
            def make(e: Any) -> dict[str, Any]:
                return dict(zip(names, get(e), strict=True))
        _EVENT_DICTS[type(obj)] = make
    return make(obj)


def write(a: Analysis, out: IO[str]) -> None:
    """Write the document (byte-identical to ``json.dumps(document(a))`` with the same
    separators). The events and the flows table are encoded in slices: building them whole
    took as much memory as the analysis itself."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"),
                             check_circular=False, default=_event_json).encode
    head = dumps(document(a, flows=False, events=False))
    tail = '"dns":[],"tls":[],"http":[],"quic":[],"flows":[]}'
    if not head.endswith(tail):  # pragma: no cover - document() puts these last
        raise AssertionError("the events and the flows must be the last keys of the document")
    out.write(head[:-len(tail)])
    tables: tuple[tuple[str, Sequence[Any], Callable[[Any], Any] | None], ...] = (
        ("dns", a.dns, None), ("tls", a.tls, None), ("http", a.http, None),
        ("quic", a.quic, None), ("flows", a.flows, flow_dict))
    step = 2000
    for name, items, conv in tables:
        out.write(f'"{name}":[' if name == "dns" else f',"{name}":[')
        for i in range(0, len(items), step):
            chunk = items[i:i + step]
            part = dumps([conv(x) for x in chunk] if conv is not None else chunk)
            if i:
                out.write(",")
            out.write(part[1:-1])
        out.write("]")
    out.write("}\n")
