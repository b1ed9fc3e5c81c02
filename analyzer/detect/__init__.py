"""Detection: evidence computed once from the facts, rules evaluated over it, findings.

:func:`detect` runs after the flows and protocol events of an analysis are complete. Per input
it builds the detection events (:mod:`.fields` documents each type and field), evaluates the
rules, then builds the second-phase ``residual.flow`` events from what the first phase found,
evaluates those, and turns every match into findings and observations (:mod:`.findings`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..events import FirstPayload
from ..fingerprints import Fingerprints
from ..flows import RST, TCP, UDP, Flow
from ..model import Analysis
from ..rules import RuleMatch, RuleSet
from . import fields as _fields  # noqa: F401 - registers the event types
from .context import InputContext, name_key
from .findings import build
from .proto import dns_event, dns_suspect, http_event, quic_event, tls_event
from .tcp import (
    common,
    drop_events,
    flow_event,
    is_suspect,
    reset_events,
    stall_events,
    throughput_events,
    ttl_expired,
)

Event = dict[str, Any]

#: The documented residual windows by trigger kind (fingerprints catalogue, RES-01): 90 s
#: after an HTTP request, 180 s after a TLS ClientHello (with or without a name: ESNI
#: triggers 120-180 s) or a QUIC Initial; seconds.
RESIDUAL_WINDOWS = {"http-host": 90.0, "http-request": 90.0, "tls-sni": 180.0,
                    "tls-client-hello": 180.0, "quic-sni": 180.0, "quic-initial": 180.0}
RESIDUAL_MECHANISMS = frozenset(("rst-injection", "packet-injection", "blockpage", "blackhole"))


def input_events(ctx: InputContext, fp: Fingerprints | None) -> Iterator[Event]:
    """The first-phase detection events of one input, one at a time (the caller keeps only
    the events a rule matched, so memory does not grow with the number of events)."""
    # tampered names -> the addresses their tampered answers gave (the forged answers of a
    # race; the whole answer when it is the only one)
    suspect: dict[str, set[str]] = {}
    for tx in ctx.dns:
        ev = dns_event(ctx, tx, fp)
        if ev["domain"] and dns_suspect(ev):
            forged = ev["dns.forged_addresses"] or ev["dns.addresses"]
            suspect.setdefault(name_key(ev["domain"]), set()).update(forged)
        yield ev
    for t in ctx.tls:
        yield tls_event(ctx, t, fp)
    for h in ctx.http:
        yield http_event(ctx, h, fp)
    for q in ctx.quic:
        yield quic_event(ctx, q)
    for fl in ctx.flows:
        if fl.proto != TCP:
            continue
        if fl.h[0].rst or fl.h[1].rst:
            yield from reset_events(ctx, fl)
        if is_suspect(fl):
            yield flow_event(ctx, fl, suspect)
    yield from throughput_events(ctx)
    yield from stall_events(ctx)
    yield from drop_events(ctx)


def _failure(ctx: InputContext, fl: Flow) -> str:
    if ttl_expired(fl):
        return "ttl_expired"
    if fl.proto == UDP:
        q = ctx.quic_by_flow.get(fl.id)
        return "no_answer" if q is not None and not q.server_answered else "none"
    state = fl.conn_state
    if state in ("S0", "RSTOS0"):
        return "syn_unanswered"
    if state == "REJ":
        return "refused"
    if fl.h[1].rst and _reset_before_data(fl):
        return "reset"
    t = ctx.tls_by_flow.get(fl.id)
    if t is not None and t.outcome in ("no_answer", "reset_after_client_hello", "closed"):
        return "reset" if t.outcome == "reset_after_client_hello" else "no_answer"
    return "none"


def _reset_before_data(fl: Flow) -> bool:
    """Whether the server side's first RST came before any data from it (data that races in
    after an injected reset does not make the connection work: the client has closed)."""
    if not fl.h[1].payload:
        return True
    first_data = min((p[0] for p in fl.kept if p[2] == 1 and p[6] and not p[3] & RST),
                     default=0)
    return 0 < fl.h[1].rst[0] < first_data


#: The GFW's filter for fully encrypted traffic (fingerprints catalogue PF-01, Wu et al.,
#: USENIX Security 2023): a first client segment is exempt when its set bits per byte are at
#: most 3.4 or at least 4.6, its first six bytes are printable, more than half of it is
#: printable, it holds a run of more than 20 printable bytes, or it starts like TLS or HTTP.
#: Blocking then hits the server address and port for 180 s. ``FET_MIN_BYTES`` is ours, not
#: the filter's: below it a byte statistic says little.
FET_BITS = (3.4, 4.6)
FET_MIN_BYTES = 16
FET_WINDOW = 180.0


def fully_encrypted(p: FirstPayload) -> bool:
    """Whether a first client segment passes none of the PF-01 exemptions."""
    return (p.length >= FET_MIN_BYTES and FET_BITS[0] < p.bits_per_byte < FET_BITS[1]
            and not p.printable_prefix and p.printable_share <= 0.5 and p.printable_run <= 20
            and p.known_prefix is None)


@dataclass(slots=True)
class _Trigger:
    flow: str
    ts: float
    window: float
    kind: str
    frame: int | None
    name: str | None
    domain: str | None
    domain_source: str | None
    mechanism: str | None
    extra: dict[str, Any]


def _triggers(ctx: InputContext, matches: list[RuleMatch],
              payloads: list[FirstPayload]) -> list[_Trigger]:
    """The residual triggers in the order they claim later flows: blocked requests (findings)
    first, earliest first; then fully encrypted first segments, latest first (a failure
    belongs to the last such segment before it: the filter is probabilistic, and the
    segments before it got through)."""
    found: dict[str, _Trigger] = {}
    for m in matches:
        ev = m.event
        # the finding's trigger: a rule claiming a block of the endpoint whatever was sent
        # says so (``trigger: endpoint``), and its later failures are that block, not
        # residual punishment
        kind = m.trigger() or ev.get("trigger.kind")
        if not m.is_finding or m.rule.mechanism not in RESIDUAL_MECHANISMS \
                or kind not in RESIDUAL_WINDOWS or ev.get("trigger.ts") is None:
            continue
        fid = ev.get("flow.id")
        if isinstance(fid, str) and fid not in found:
            found[fid] = _Trigger(fid, float(ev["trigger.ts"]), RESIDUAL_WINDOWS[kind], kind,
                                  ev.get("trigger.frame"), ev.get("trigger.name"),
                                  ev.get("domain"), ev.get("domain.source"),
                                  m.rule.mechanism, {})
    out = sorted(found.values(), key=lambda t: t.ts)
    fet: list[_Trigger] = []
    for p in payloads:
        if p.flow in found or p.ts is None or not fully_encrypted(p):
            continue
        fl = ctx.by_id.get(p.flow)
        if fl is None:
            continue
        domain, source = ctx.domain(fl)
        fet.append(_Trigger(p.flow, p.ts, FET_WINDOW, "encrypted-payload", p.frame, None,
                            domain, source, None, {
                                "residual.trigger_length": p.length,
                                "residual.trigger_bits_per_byte": p.bits_per_byte,
                                "residual.trigger_printable_share": p.printable_share}))
    fet.sort(key=lambda t: t.ts, reverse=True)
    return out + fet


def _answered(ctx: InputContext, fl: Flow) -> bool:
    if fl.proto == UDP:
        q = ctx.quic_by_flow.get(fl.id)
        return q is not None and q.server_answered
    return bool(fl.synack_frame)


def residual_events(ctx: InputContext, matches: list[RuleMatch],
                    payloads: list[FirstPayload] | None = None) -> list[Event]:
    """``residual.flow`` events: later flows on the key (client, server, port) of a blocked
    trigger, or of a fully encrypted first segment, inside its window."""
    triggers = _triggers(ctx, matches, payloads or [])
    if not triggers:
        return []
    out: list[Event] = []
    seen: set[str] = set()
    by_key: dict[tuple[bytes, bytes, int, int], list[Flow]] = {}
    by_pair: dict[tuple[bytes, bytes, int], list[Flow]] = {}
    for fl in ctx.flows:
        by_key.setdefault((fl.a, fl.b, fl.pb, fl.proto), []).append(fl)
        by_pair.setdefault((fl.a, fl.b, fl.proto), []).append(fl)
    ok_starts: dict[tuple[bytes, bytes, int, int], list[float]] = {}
    for tr in triggers:
        src = ctx.by_id.get(tr.flow)
        if src is None:
            continue
        key = (src.a, src.b, src.pb, src.proto)
        oks = ok_starts.get(key)
        if oks is None:  # the start times of the flows on the key that worked
            oks = ok_starts[key] = sorted(f.first_ts for f in by_key.get(key, ())
                                          if ctx.flow_ok(f))
        ts, window, name = tr.ts, tr.window, tr.name
        later_ok = False
        other_port_ok: bool | None = None
        mine: list[Event] = []
        first_ok = bisect_right(oks, ts)
        for fl in by_key.get(key, ()):
            if fl.id == tr.flow or fl.first_ts <= ts:
                continue
            since = fl.first_ts - ts
            if since > window:
                later_ok = later_ok or ctx.flow_ok(fl)
                continue
            own = ctx.flow_name(fl)
            if fl.id in seen:
                continue
            seen.add(fl.id)
            if other_port_ok is None:
                other_port_ok = any(
                    o.pb != src.pb and o.h[1].last_ts >= ts and o.first_ts <= ts + window
                    and ctx.flow_ok(o) for o in by_pair.get((src.a, src.b, src.proto), ()))
            ev = common(ctx, fl)
            frames = [p[0] for p in fl.kept if p[3] & 0x06][:8]
            ev.update({
                "event": "residual.flow",
                "frames": frames + ([tr.frame] if tr.frame else []),
                "domain": tr.domain or name,
                "domain.source": tr.domain_source,
                "trigger.kind": tr.kind,
                "trigger.frame": tr.frame,
                "trigger.ts": ts, "trigger.name": name,
                "flow.name": own,
                "flow.same_name": bool(own and name and name_key(own) == name_key(str(name))),
                "flow.failure": _failure(ctx, fl),
                "residual.trigger_flow": tr.flow,
                "residual.trigger_kind": tr.kind,
                "residual.trigger_frame": tr.frame,
                "residual.trigger_mechanism": tr.mechanism,
                "residual.trigger_answered": _answered(ctx, src),
                "residual.since_s": round(since, 3),
                "residual.window_s": window,
                "residual.later_ok": False,
                "residual.ok_before": first_ok < len(oks) and oks[first_ok] < fl.first_ts,
                "residual.other_port_ok": other_port_ok,
                **tr.extra,
            })
            mine.append(ev)
        if later_ok:
            for ev in mine:
                ev["residual.later_ok"] = True
        out.extend(mine)
    return out


def detect(result: Analysis, rules: RuleSet, fp: Fingerprints | None = None) -> None:
    """Fill ``result.findings``, ``result.observations`` and ``result.rules``."""
    all_matches: list[tuple[int, RuleMatch]] = []
    for summary in result.inputs:
        i = summary.index
        ctx = InputContext([f for f in result.flows if f.input == i],
                           [e for e in result.dns if e.input == i],
                           [e for e in result.tls if e.input == i],
                           [e for e in result.http if e.input == i],
                           [e for e in result.quic if e.input == i])
        matches: list[RuleMatch] = []
        wanted = rules.event_types
        for ev in input_events(ctx, fp):
            if ev["event"] in wanted:
                matches.extend(rules.evaluate(ev["event"], ev))
        if "residual.flow" in wanted:
            payloads = [p for p in result.payloads if p.input == i]
            for ev in residual_events(ctx, matches, payloads):
                matches.extend(rules.evaluate("residual.flow", ev))
        all_matches.extend((i, m) for m in matches)
    result.findings, result.observations = build(all_matches)
    result.rules = [{"id": r.id, "version": str(r.version), "source": r.source or "builtin"}
                    for r in rules]
