"""Detection: evidence computed once from the facts, rules evaluated over it, findings.

:func:`detect` runs after the flows and protocol events of an analysis are complete. Per input
it builds the detection events (:mod:`.fields` documents each type and field), evaluates the
rules, then builds the second-phase ``residual.flow`` events from what the first phase found,
evaluates those, and turns every match into findings and observations (:mod:`.findings`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..fingerprints import Fingerprints
from ..flows import RST, TCP, UDP, Flow
from ..model import Analysis
from ..rules import RuleMatch, RuleSet
from . import fields as _fields  # noqa: F401 - registers the event types
from .context import InputContext
from .findings import build
from .proto import dns_event, dns_suspect, http_event, quic_event, tls_event
from .tcp import common, flow_event, is_suspect, reset_events, throughput_events

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
            suspect.setdefault(ev["domain"].lower(), set()).update(forged)
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


def _failure(ctx: InputContext, fl: Flow) -> str:
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


def residual_events(ctx: InputContext, matches: list[RuleMatch]) -> list[Event]:
    """``residual.flow`` events: later flows on the key (client, server, port) of a blocked
    trigger, inside its window."""
    triggers: dict[str, tuple[RuleMatch, float, float]] = {}
    for m in matches:
        ev = m.event
        kind = ev.get("trigger.kind")
        if not m.is_finding or m.rule.mechanism not in RESIDUAL_MECHANISMS \
                or kind not in RESIDUAL_WINDOWS or ev.get("trigger.ts") is None:
            continue
        fid = ev.get("flow.id")
        if isinstance(fid, str) and fid not in triggers:
            triggers[fid] = (m, float(ev["trigger.ts"]), RESIDUAL_WINDOWS[kind])
    if not triggers:
        return []
    out: list[Event] = []
    seen: set[str] = set()
    by_key: dict[tuple[bytes, bytes, int, int], list[Flow]] = {}
    for fl in ctx.flows:
        by_key.setdefault((fl.a, fl.b, fl.pb, fl.proto), []).append(fl)
    for fid, (m, ts, window) in sorted(triggers.items(), key=lambda kv: kv[1][1]):
        src = ctx.by_id.get(fid)
        if src is None:
            continue
        name = m.event.get("trigger.name")
        later_ok = False
        for fl in by_key.get((src.a, src.b, src.pb, src.proto), ()):
            if fl.id == fid or fl.first_ts <= ts:
                continue
            since = fl.first_ts - ts
            if since > window:
                later_ok = later_ok or ctx.flow_ok(fl)
                continue
            own = ctx.flow_name(fl)
            if fl.id in seen:
                continue
            seen.add(fl.id)
            ev = common(ctx, fl)
            frames = [p[0] for p in fl.kept if p[3] & 0x06][:8]
            ev.update({
                "event": "residual.flow",
                "frames": frames + ([m.event["trigger.frame"]]
                                    if m.event.get("trigger.frame") else []),
                "domain": m.event.get("domain") or name,
                "domain.source": m.event.get("domain.source"),
                "trigger.kind": m.event.get("trigger.kind"),
                "trigger.frame": m.event.get("trigger.frame"),
                "trigger.ts": ts, "trigger.name": name,
                "flow.name": own,
                "flow.same_name": bool(own and name and own.lower() == str(name).lower()),
                "flow.failure": _failure(ctx, fl),
                "residual.trigger_flow": fid,
                "residual.trigger_kind": m.event.get("trigger.kind"),
                "residual.trigger_frame": m.event.get("trigger.frame"),
                "residual.trigger_mechanism": m.rule.mechanism,
                "residual.since_s": round(since, 3),
                "residual.window_s": window,
                "residual.later_ok": False,
            })
            out.append(ev)
        if later_ok:
            for ev in out:
                if ev["residual.trigger_flow"] == fid:
                    ev["residual.later_ok"] = True
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
            for ev in residual_events(ctx, matches):
                matches.extend(rules.evaluate("residual.flow", ev))
        all_matches.extend((i, m) for m in matches)
    result.findings, result.observations = build(all_matches)
    result.rules = [{"id": r.id, "version": str(r.version), "source": r.source or "builtin"}
                    for r in rules]
