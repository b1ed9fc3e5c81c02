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

import orjson

from ..events import as_dict
from ..flows import PKT_FIELDS, Flow, Half, is_notable
from ..model import Analysis, InputSummary

SCHEMA = "analyzer/report/v1"

_encode_str: Callable[[str], str] = json.encoder.encode_basestring
"""A string as ``json`` writes it with ``ensure_ascii=False`` (the C function)."""


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
        row["detail"] = flow_detail(f)
    return row


_INF = float("inf")


def _jfloat(v: float) -> str:
    """A number as the ``json`` module writes it (``float.__repr__``; an int stays one)."""
    if isinstance(v, float):
        if v != v:
            return "NaN"
        if v == _INF:
            return "Infinity"
        if v == -_INF:
            return "-Infinity"
        return float.__repr__(v)
    return json.dumps(v)


def _r6(x: float) -> str:
    """``_jfloat(round(x, 6))`` with one decimal conversion instead of three (``round`` converts
    to decimal and back, ``repr`` converts again). ``"%.6f"`` rounds the same binary value the
    same way; the text is then the shortest one that reads back as that double, as ``repr``
    writes it, whenever doubles are closer together than 1e-6 (below 2**32) and ``repr``
    would not switch to an exponent (below 1e-4). Anything else takes the long way."""
    ax = abs(x)
    if ax < 4.0e9 and (ax >= 0.00011 or ax < 4e-7):
        s = f"{x:.6f}".rstrip("0")
        return s + "0" if s.endswith(".") else s
    return _jfloat(round(x, 6))


def _r3(x: float) -> str:
    """``_jfloat(round(x, 3))`` as :func:`_r6` writes it (doubles are closer together than
    1e-3 below 2**42; a value rounded to 3 decimals is 0 or at least 1e-3)."""
    if abs(x) < 4.0e12:
        s = f"{x:.3f}".rstrip("0")
        return s + "0" if s.endswith(".") else s
    return _jfloat(round(x, 3))


def _jint(v: int) -> str:
    return int.__repr__(v) if type(v) is int else json.dumps(v)


def _jopt(v: int | None) -> str:
    return "null" if v is None else _jint(v)


def _jints(vs: list[int]) -> str:
    if not vs:
        return "[]"
    return "[" + ",".join([_jint(v) for v in vs]) + "]"


_TEXT_JSON: dict[str, str] = {}
"""Memo of :func:`_jstr` for the strings that recur from row to row (addresses, transport,
history, state): a few thousand distinct values over ~90k rows."""


def _jstr(v: str) -> str:
    got = _TEXT_JSON.get(v)
    if got is None:
        got = _encode_str(v)
        if len(_TEXT_JSON) >= 65_536:
            _TEXT_JSON.clear()
        _TEXT_JSON[v] = got
    return got


def flow_json(f: Flow, dumps: Callable[[Any], str]) -> str:
    """The row of :func:`flow_dict` as ``dumps`` (compact separators) would encode it, written
    directly: the 28 plain fields of ~90k rows cost as much to put into dicts as to encode.
    The integers are the flow table's own ``int`` attributes (never a ``bool``), written as
    ``json`` writes an ``int``. The ``detail`` of a notable flow goes through ``dumps``."""
    o, r = f.h
    rtt = f.rtt
    ft, lt = f.first_ts, f.last_ts
    head = (
        f'{{"id":{_encode_str(f.id)},"input":{f.input},"transport":{_jstr(f.transport)}'
        f',"orig_ip":{_jstr(f.orig_ip)},"orig_port":{f.pa}'
        f',"resp_ip":{_jstr(f.resp_ip)},"resp_port":{f.pb}'
        f',"first_ts":{_r6(ft)},"last_ts":{_r6(lt)},"duration":{_r6(lt - ft)}'
        f',"history":{_jstr(f.hist)},"conn_state":{_jstr(f.conn_state)}'
        f',"orig_packets":{o.pkts},"resp_packets":{r.pkts}'
        f',"orig_bytes":{o.bytes},"resp_bytes":{r.bytes}'
        f',"orig_payload_bytes":{o.payload},"resp_payload_bytes":{r.payload}'
        f',"orig_ttl":{_jopt(o.ttl_mode())},"resp_ttl":{_jopt(r.ttl_mode())}'
        f',"syn_frame":{f.syn_frame if f.syn_frame else "null"}'
        f',"synack_frame":{f.synack_frame if f.synack_frame else "null"}'
        f',"rtt_ms":{"null" if rtt is None else _r3(rtt * 1000)}'
        f',"orig_rst_frames":{_jints(o.rst)},"resp_rst_frames":{_jints(r.rst)}'
        f',"retransmissions":{o.retrans + r.retrans},"detail":'
    )
    if not is_notable(f):
        return head + "null}"
    return head + _detail_json(f, dumps) + "}"


def _jbool(v: bool) -> str:
    return "true" if v else "false"


def _half_json(h: Half) -> str:
    """:func:`half_detail` as text (see :func:`flow_json`)."""
    ttls = ",".join([f'"{k}":{v}' for k, v in sorted(h.ttl.items())])
    conflicts = ",".join([
        f'{{"first_frame":{a},"second_frame":{b},"stream_offset":{off},"length":{ln}}}'
        for a, b, off, ln in h.conflicts])
    return (
        f'{{"first_ts":{_r6(h.first_ts) if h.pkts else "null"}'
        f',"last_ts":{_r6(h.last_ts) if h.pkts else "null"}'
        f',"data_packets":{h.data_pkts},"ttl_first":{_jints(h.ttl_first)}'
        f',"ttl_values":{{{ttls}}},"ip_id_first":{_jints(h.ipid_first)}'
        f',"df_packets":{h.df},"mss":{h.mss if h.mss else "null"}'
        f',"window_scale":{h.wscale if h.wscale >= 0 else "null"}'
        f',"sack_permitted":{_jbool(h.sack_ok)},"timestamps":{_jbool(h.ts_opt)}'
        f',"isn":{h.syn_seq if h.syn_seq >= 0 else "null"}'
        f',"zero_window_packets":{h.zero_win},"retransmissions":{h.retrans}'
        f',"out_of_order":{h.ooo_count},"overlaps":{h.overlaps}'
        f',"conflicts":[{conflicts}],"fin_frames":{_jints(h.fin)}'
        f',"rst_frames":{_jints(h.rst)},"stream_gap":{_jbool(h.gap)}}}'
    )


def _detail_json(f: Flow, dumps: Callable[[Any], str]) -> str:
    """:func:`flow_detail` as text; the kept packets (tuples, which ``dumps`` writes as the
    arrays of ``flow_detail``) go through ``dumps``."""
    o, r = f.h
    icmp = ",".join([
        f'{{"frame":{fr},"ts":{_r6(ts)},"type":{ty},"code":{co},"router":{_jstr(ip)}}}'
        for fr, ts, ty, co, ip in f.icmp])
    return (
        f'{{"orig":{_half_json(o)},"resp":{_half_json(r)}'
        f',"ack_frame":{f.ack_frame if f.ack_frame else "null"}'
        f',"data_after_rst":{_jints(f.data_after_rst)},"icmp_errors":[{icmp}]'
        f',"packets":{dumps(f.kept)}}}'
    )


def flow_detail(f: Flow) -> dict[str, Any]:
    """The ``detail`` object of a notable flow (see :func:`is_notable`)."""
    o, r = f.h
    return {
        "orig": half_detail(o),
        "resp": half_detail(r),
        "ack_frame": f.ack_frame or None,
        "data_after_rst": f.data_after_rst,
        "icmp_errors": [{"frame": fr, "ts": round(ts, 6), "type": ty, "code": co,
                         "router": ip} for fr, ts, ty, co, ip in f.icmp],
        "packets": [list(p) for p in f.kept],
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


def _events_text(items: Sequence[Any], dumps: Callable[[Any], str]) -> str:
    """A slice of an event table as JSON text (the elements, without the brackets).

    orjson encodes the event dataclasses (and their nested facts and tuples) natively, in
    field order, 3x faster than the standard encoder with :func:`_event_json`, and with the
    same text for every value the parsers produce. A slice it refuses (an integer beyond 64
    bits, a lone surrogate: nothing a parser makes) goes through the standard encoder. The
    one difference that stays is a non-finite float, which orjson writes as ``null`` (valid
    JSON; ``json`` writes ``NaN``) and no parser produces."""
    try:
        return orjson.dumps(items).decode()[1:-1]
    except orjson.JSONEncodeError:
        return ",".join([dumps(e) for e in items])


def write(a: Analysis, out: IO[str]) -> None:
    """Write the document (byte-identical to ``json.dumps(document(a))`` with the same
    separators, but for what :func:`_events_text` says). The events and the flows table are
    encoded in slices: building them whole took as much memory as the analysis itself."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"),
                             check_circular=False, default=_event_json).encode
    head = dumps(document(a, flows=False, events=False))
    tail = '"dns":[],"tls":[],"http":[],"quic":[],"flows":[]}'
    if not head.endswith(tail):  # pragma: no cover - document() puts these last
        raise AssertionError("the events and the flows must be the last keys of the document")
    out.write(head[:-len(tail)])
    tables: tuple[tuple[str, Sequence[Any]], ...] = (
        ("dns", a.dns), ("tls", a.tls), ("http", a.http), ("quic", a.quic))
    step = 2000
    for name, items in tables:
        out.write(f'"{name}":[' if name == "dns" else f',"{name}":[')
        for i in range(0, len(items), step):
            if i:
                out.write(",")
            out.write(_events_text(items[i:i + step], dumps))
        out.write("]")
    out.write(',"flows":[')
    flows = a.flows
    for i in range(0, len(flows), step):
        if i:
            out.write(",")
        out.write(",".join([flow_json(f, dumps) for f in flows[i:i + step]]))
    out.write("]}\n")
