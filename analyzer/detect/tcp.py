"""Evidence about TCP flows: forged resets (``tcp.reset``), injected or conflicting data and
unanswered SYNs (``tcp.flow``), and throughput against a control (``tcp.throughput``).

The comparisons follow the catalogue's primitives (docs/fields.md names each field): a
suspect packet is compared with the *genuine* packets of the same sender in the same flow,
anchored on its handshake packet (SYN or SYN/ACK), which an on-path injector does not forge.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from ..flows import ACK, FIN, MASK, RST, SYN, TCP, Flow, Pkt, is_notable
from ..protocols.icmp import refusal
from .context import (
    InputContext,
    initial_ttl,
    is_public_ip,
    is_public_name,
    name_key,
    syn_packets,
)

Event = dict[str, Any]

BURST_S = 1.0
"""RSTs within this many seconds of the first one form its burst."""
RACE_MIN_S = 0.0
HENAN = "01020304050607080900"


def _ms(later: float | None, earlier: float | None) -> float | None:
    if later is None or earlier is None:
        return None
    return round((later - earlier) * 1000.0, 3)


def _incrementing(values: list[int]) -> bool:
    return len(values) >= 2 and all(b - a == 1 for a, b in pairwise(values))


def _ipid_gap(value: int, genuine: list[int]) -> int | None:
    """Smallest circular distance from ``value`` to a genuine non-zero IP ID (None when the
    sender gives no usable series: IPv6, or only zero IDs)."""
    ids = [g for g in genuine if g]
    if not ids:
        return None
    return min(min((value - g) & 0xFFFF, (g - value) & 0xFFFF) for g in ids)


def handshake_packet(fl: Flow, d: int) -> Pkt | None:
    """The kept SYN (``d`` 0) or SYN/ACK (``d`` 1) of the handshake: not a SYN/ACK that
    failed to acknowledge the SYN (a SYN proxy's challenge, see ``tcp_synack_bad_ack``)."""
    frame = fl.synack_frame if d else fl.syn_frame
    if not frame:
        return None
    return next((p for p in fl.kept if p[0] == frame and p[2] == d), None)


def baseline_ttl(fl: Flow, d: int, exclude: set[int]) -> tuple[int | None, int]:
    """The genuine TTL of direction ``d``: its handshake packet's, else the most common TTL
    of its kept packets that are not in ``exclude``; and how many such packets there are."""
    genuine = [p for p in fl.kept if p[2] == d and p[0] not in exclude]
    hs = handshake_packet(fl, d)
    if hs is not None and hs[0] in exclude:
        hs = None
    if hs is not None:
        return hs[7], len(genuine)
    if not genuine:
        counts = Counter(fl.h[d].ttl)
        for p in fl.kept:
            if p[0] in exclude and p[2] == d:
                counts[p[7]] -= 1
        counts = +counts
        if not counts:
            return None, 0
        top = max(counts.values())
        return min(t for t, n in counts.items() if n == top), sum(counts.values())
    c = Counter(p[7] for p in genuine)
    top = max(c.values())
    return min(t for t, n in c.items() if n == top), len(genuine)


def common(ctx: InputContext, fl: Flow) -> Event:
    """The fields every flow-based event carries."""
    domain, source = ctx.domain(fl)
    return {
        "flow.id": fl.id, "transport": fl.transport,
        "client.ip": fl.orig_ip, "client.port": fl.pa,
        "server.ip": fl.resp_ip, "server.port": fl.pb,
        "ip.version": 6 if len(fl.a) == 16 else 4,
        "domain": domain, "domain.source": source,
        "name.public": is_public_name(domain),
        "rtt_ms": None if fl.rtt is None else round(fl.rtt * 1000.0, 3),
        "tcp.state": fl.conn_state, "tcp.history": fl.hist,
        "flow.ttl_expired": ttl_expired(fl),
    }


def ttl_expired(fl: Flow) -> bool:
    """Whether an ICMP time-exceeded came back quoting a packet of this flow: what the client
    sent ran out of TTL (hop limit) in transit, as a traceroute or a TTL-limited probe's
    packets do, so the server's silence says nothing about the server or a filter."""
    if not fl.icmp:
        return False
    code = 3 if len(fl.a) == 16 else 11
    return any(i[2] == code for i in fl.icmp)


def _add_trigger(ev: Event, ctx: InputContext, fl: Flow, at: float | None) -> list[int]:
    """Add the trigger fields; return the trigger's frame as frames to cite (it is a packet
    of this flow, and the request that drew the response is part of the proof)."""
    trig = ctx.trigger(fl, at)
    ev["trigger.kind"] = trig.kind
    ev["trigger.frame"] = trig.frame
    ev["trigger.ts"] = trig.ts
    ev["trigger.name"] = trig.name
    return [trig.frame] if trig.frame else []


def add_controls(ev: Event, ctx: InputContext, fl: Flow) -> None:
    """The natural-control fields (CONTROL in :mod:`.fields`) for the event's ``domain``."""
    ok, other = ctx.controls(fl, ev.get("domain"))
    ev["control.same_server_ok"] = ok is not None
    ev["control.other_name_ok"] = other is not None
    ev["control.other_name"] = other.name if other else None
    ev["control.same_name_ok"] = ctx.same_name_ok(fl, ev.get("domain"))
    ctl = other or ok
    ev["control.flow"] = ctl.flow if ctl else None


# ---------------------------------------------------------------------------- tcp.reset

def reset_events(ctx: InputContext, fl: Flow) -> list[Event]:
    """One ``tcp.reset`` event per direction that sent RSTs."""
    out = []
    for d in (1, 0):
        if fl.h[d].rst:
            out.append(_reset_event(ctx, fl, d))
    return out


def _reset_event(ctx: InputContext, fl: Flow, d: int) -> Event:
    h = fl.h[d]
    rsts = [p for p in fl.kept if p[2] == d and p[3] & RST]
    rst_frames = set(h.rst)
    if not rsts:  # the kept list overflowed: fall back on the frame numbers alone
        ev = common(ctx, fl)
        ev.update({"event": "tcp.reset", "rst.from": "server" if d else "client",
                   "rst.count": len(h.rst), "rst.frames": list(h.rst), "frames": list(h.rst)})
        return ev
    first = rsts[0]
    t0 = first[1]
    base_ttl, genuine_n = baseline_ttl(fl, d, rst_frames)
    genuine = [p for p in fl.kept if p[2] == d and p[0] not in rst_frames]
    before = [p for p in genuine if p[0] < first[0]]
    after = [p for p in genuine if p[0] > first[0]]
    other_before = [p for p in fl.kept if p[2] != d and p[0] < first[0]]
    # where the sender's sequence space stood when the RST came
    prior_end = None
    for p in before:
        end = p[4] + p[6] + (1 if p[3] & (SYN | FIN) else 0)
        prior_end = end if prior_end is None else max(prior_end, end)
    seq = first[4]
    if prior_end is None:
        fit = "unknown"
    elif seq == prior_end or (seq == prior_end - 1 and before and before[-1][3] & FIN):
        fit = "next"
    elif seq < prior_end:
        fit = "below"
    else:
        fit = "above"
    burst = [p for p in rsts if p[1] - t0 <= BURST_S]
    group = burst[:3]
    ttls = [p[7] for p in rsts]
    ev = common(ctx, fl)
    trig_frames = _add_trigger(ev, ctx, fl, t0)
    trig_ts = ev["trigger.ts"]
    delay = _ms(t0, trig_ts)
    rtt = ev["rtt_ms"]
    # genuine packets of the sender after the RST that continue its sequence space
    race = [p for p in after
            if p[1] - t0 >= RACE_MIN_S and p[4] >= seq and (p[6] or p[3] & (SYN | FIN))]
    v4 = len(fl.a) == 4
    gap = _ipid_gap(first[8], [p[8] for p in genuine]) if v4 else None
    sender_df = None
    if genuine:
        sender_df = sum(p[9] for p in genuine) * 2 >= len(genuine)
    payload = fl.rst_payload if fl.rst_payload is not None \
        and fl.rst_payload[0] in rst_frames else None
    idle = None
    prev = [p for p in fl.kept if p[0] < first[0]]
    if prev:
        idle = _ms(t0, prev[-1][1])
    deltas = [t - base_ttl for t in ttls] if base_ttl is not None else []
    # the sender set this TTL itself: its own last packet before the RST carried it too
    own_last = bool(before) and before[-1][7] == first[7] and first[7] != base_ttl
    ev.update({
        "event": "tcp.reset",
        "frames": trig_frames + [p[0] for p in rsts] + [p[0] for p in race[:8]],
        "rst.from": "server" if d else "client",
        "rst.count": len(h.rst),
        "rst.frames": list(h.rst),
        "rst.first_frame": first[0],
        "rst.flags": "RA" if first[3] & ACK else "R",
        "rst.ttl": first[7],
        "rst.ttls": ttls,
        "rst.ttl_distinct": len(set(ttls)),
        "rst.ttl_incrementing": _incrementing([p[7] for p in group]),
        "rst.ttl_delta": deltas[0] if deltas else None,
        "rst.ttl_delta_max": max(deltas, key=abs) if deltas else None,
        "rst.ttl_as_sender_last": own_last,
        "rst.initial_ttl": initial_ttl(first[7]),
        "rst.ip_id": first[8] if v4 else None,
        "rst.ip_ids": [p[8] for p in rsts] if v4 else [],
        "rst.ipid_gap": gap,
        "rst.df": bool(first[9]) if v4 else None,
        "rst.df_differs": (bool(first[9]) != sender_df) if v4 and sender_df is not None
        else None,
        "rst.window": first[10],
        "rst.windows": [p[10] for p in rsts],
        "rst.window_incrementing": _incrementing([p[10] for p in group]),
        "rst.payload_len": len(payload[1]) if payload else 0,
        "rst.payload_hex": payload[1].hex() if payload else None,
        "rst.henan_payload": payload is not None and payload[1].hex() == HENAN,
        "rst.seq_fit": fit,
        "rst.seq_distinct": len({p[4] for p in rsts}),
        "rst.ack_distinct": len({p[5] for p in rsts}),
        "rst.identical": len(group) >= 2 and len({(p[4], p[5]) for p in group}) == 1,
        "rst.burst": len(burst),
        "rst.after_fin": any(p[3] & FIN for p in before),
        "rst.peer_fin_before": any(p[3] & FIN for p in other_before),
        "rst.answers_syn": not any(p[3] & SYN for p in before) and any(
            p[3] & SYN for p in other_before),
        "rst.delay_ms": delay,
        "rst.faster_than_rtt": (delay < 0.5 * rtt) if delay is not None and rtt else None,
        "rst.idle_ms": idle,
        "sender.ttl": base_ttl,
        "sender.initial_ttl": initial_ttl(base_ttl) if base_ttl is not None else None,
        "sender.packets": genuine_n,
        "sender.df": sender_df,
        "sender.data_before": any(p[6] for p in before),
        "sender.acked_before": bool(d and 0 < fl.resp_ack_frame < first[0]),
        "race.after": len(race),
        "race.data_after": sum(1 for p in race if p[6]),
        "race.frames": [p[0] for p in race],
        "race.synack_after": any(p[3] & SYN and p[3] & ACK for p in race),
    })
    add_controls(ev, ctx, fl)
    return ev


# ---------------------------------------------------------------------------- tcp.flow

def is_suspect(fl: Flow) -> bool:
    """Flows worth a ``tcp.flow`` event: conflicting data, a server whose data arrives with
    more than one TTL, or a client whose SYNs went unanswered."""
    r = fl.h[1]
    if r.conflicts or fl.h[0].conflicts:
        return True
    if len(r.ttl) > 1 and r.payload:
        return True
    return fl.conn_state in ("S0", "RSTOS0") and fl.syn_frame != 0


def flow_event(ctx: InputContext, fl: Flow, dns_suspect: dict[str, set[str]]) -> Event:
    """A ``tcp.flow`` event; ``dns_suspect`` maps each name whose DNS was tampered with to
    the addresses the tampered answers gave."""
    ev = common(ctx, fl)
    frames = _add_trigger(ev, ctx, fl, None)
    r = fl.h[1]
    # conflicting bytes at the same sequence numbers, from either side
    conflicts = [(c, "server") for c in r.conflicts] + [(c, "client") for c in fl.h[0].conflicts]
    for (orig, frame, _off, _ln), _who in conflicts:
        frames.extend(f for f in (orig, frame) if f)
    # the first server data after the trigger, against the server's handshake TTL
    base, _n = baseline_ttl(fl, 1, set(r.rst))
    trig_ts = ev["trigger.ts"]
    data = [p for p in fl.kept if p[2] == 1 and p[6] and not p[3] & RST
            and (trig_ts is None or p[1] >= trig_ts)]
    inject: Pkt | None = None
    # a plain exchange keeps only its SYN, FIN and RST packets: a FIN carrying data is then
    # the first answer only if it starts the server's stream (else it closes a transfer
    # whose first packets were not kept, e.g. after a route change)
    known = bool(data) and (is_notable(fl) or data[0][4] == 1)
    if known and base is not None and abs(data[0][7] - base) >= 1:
        inject = data[0]
        frames.append(inject[0])
    syns = syn_packets(fl)
    unanswered = fl.conn_state in ("S0", "RSTOS0") and bool(syns)
    refused = refusals(fl) if unanswered else []
    if unanswered:
        frames.extend(f for f, _ in syns)
        frames.extend(r[0] for r in refused)
    delay = _ms(inject[1], trig_ts) if inject is not None else None
    rtt = ev["rtt_ms"]
    ev.update({
        "event": "tcp.flow",
        "frames": sorted(set(frames)),
        "conflict.count": len(conflicts),
        "conflict.from": conflicts[0][1] if conflicts else None,
        "conflict.frames": sorted({f for (o, fr, _a, _b), _w in conflicts for f in (o, fr) if f}),
        "server.ttl": base,
        "inject.frame": inject[0] if inject else None,
        "inject.ttl": inject[7] if inject else None,
        "inject.ttl_delta": (inject[7] - base) if inject and base is not None else None,
        "inject.fin": bool(inject[3] & FIN) if inject else None,
        "inject.df_differs": None,
        "inject.delay_ms": delay,
        "inject.faster_than_rtt": (delay < 0.5 * rtt) if delay is not None and rtt else None,
        "inject.len": inject[6] if inject else None,
        "syn.count": len(syns),
        "syn.unanswered": unanswered,
        "syn.duration_ms": _ms(syns[-1][1], syns[0][1]) if syns else None,
        "dns.suspect": bool(ev["domain"]) and name_key(ev["domain"]) in dns_suspect,
        "dns.tampered_address": bool(ev["domain"]) and fl.resp_ip in dns_suspect.get(
            name_key(ev["domain"]), ()),
    })
    if inject is not None and len(fl.a) == 4:
        hs = handshake_packet(fl, 1)
        if hs is not None:
            ev["inject.df_differs"] = bool(inject[9]) != bool(hs[9])
    add_controls(ev, ctx, fl)
    ok_any, _ = ctx.controls(fl, None, any_port=True)
    ev["control.same_ip_any_port_ok"] = ok_any is not None
    if unanswered:
        mine = ctx.client_endpoint_flows(fl)
        other = ctx.other_client_answered(fl, OTHER_PATH_WINDOW)
        ev["syn.client_unanswered"] = sum(len(syn_packets(f)) for f in mine
                                          if f.conn_state in ("S0", "RSTOS0"))
        ev["syn.client_ok"] = any(f.synack_frame for f in mine)
        ev["control.other_client_ok"] = other is not None
        ev["control.other_client_flow"] = other.id if other is not None else None
        ev["control.client_path_alive"] = ctx.client_path_alive(fl, PATH_ALIVE_SLACK)
        ev["server.public"] = is_public_ip(fl.resp_ip)
        ev["icmp.unreachable"] = refused[0][1] if refused else None
        ev["icmp.from"] = refused[0][2] if refused else None
        ev["icmp.from_server"] = (refused[0][2] == fl.resp_ip) if refused else None
        ev["icmp.frames"] = [r[0] for r in refused]
    return ev


def refusals(fl: Flow) -> list[tuple[int, str, str]]:
    """(frame, kind, sender) of the ICMP destination-unreachable errors that quote a packet of
    this flow (fragmentation-needed and time-exceeded are no refusal)."""
    v6 = len(fl.a) == 16
    out = []
    for frame, _ts, itype, code, router in fl.icmp:
        kind = refusal(itype, code, v6)
        if kind is not None:
            out.append((frame, kind, router))
    return out


#: How far apart a working flow from another client address may be (s).
OTHER_PATH_WINDOW = 300.0
#: How long before and after an unanswered flow the client's other handshakes count (s).
PATH_ALIVE_SLACK = 30.0


# ---------------------------------------------------------------------------- tcp.throughput

THROUGHPUT_MIN_BYTES = 32 * 1024


def _kbps(fl: Flow) -> float | None:
    r = fl.h[1]
    dur = r.last_ts - r.first_ts
    if r.payload < THROUGHPUT_MIN_BYTES or dur <= 0:
        return None
    return r.payload * 8 / dur / 1000.0


Scored = tuple[Flow, float, str]
"""A flow, its score (rate, bytes), and the name it asked for."""

#: The name of a control that was a TLS connection without SNI.
NO_SNI = "(no SNI)"


#: The NAT64 well-known prefix (RFC 6052): an address in it stands for the IPv4 host in its
#: last four bytes.
NAT64_WKP = bytes.fromhex("0064ff9b0000000000000000")


def client_net(fl: Flow) -> bytes:
    """The client's network: its address's /24 (IPv4, also inside the NAT64 prefix) or /56
    (IPv6, a home's delegated prefix). Hosts on one local network share its path out; a
    server's clients do not."""
    a = fl.a
    if len(a) == 4:
        return a[:3]
    return a[12:15] if a[:12] == NAT64_WKP else a[:7]


def best_for_other_name(ctx: InputContext, scored: list[tuple[Flow, float]]
                        ) -> Callable[[Flow], Scored | None]:
    """The natural control of a download: of the ``scored`` flows from the same client
    network (:func:`client_net`) to the same server address that asked for another name
    (both names known, compared without case; a TLS connection without SNI counts as
    :data:`NO_SNI`), the one with the highest score, the earliest on a tie; None when there
    is none. A client on another network took another path, which says nothing about this
    one's (a server's own capture holds clients on every kind of network). Per pair only the
    best flow of its two best names is kept: whatever a flow's own name, one of them
    answers."""
    per_name: dict[tuple[bytes, str], dict[str, tuple[float, int, Flow, str]]] = {}
    for i, (fl, score) in enumerate(scored):
        name = ctx.flow_name(fl)
        if not name:
            # a TLS connection that sent no SNI is the documented control of SNI-keyed
            # throttling (THR-01: "SNI-less connections to Twitter IPs were fast")
            t = ctx.tls_by_flow.get(fl.id)
            if t is None or not t.client_hello_frames:
                continue
            name = NO_SNI
        names = per_name.setdefault((client_net(fl), fl.resp_ip), {})
        key = name_key(name)
        got = names.get(key)
        if got is None or score > got[0]:
            names[key] = (score, i, fl, name)
    top_two = {ip: sorted(((sc, i, lo, f, n) for lo, (sc, i, f, n) in names.items()),
                          key=lambda x: (-x[0], x[1]))[:2] for ip, names in per_name.items()}

    def control(fl: Flow) -> Scored | None:
        own = name_key(ctx.flow_name(fl) or "")
        if not own:
            return None
        return next(((f, sc, n) for sc, _, lo, f, n in top_two.get((client_net(fl), fl.resp_ip), ())
                     if lo != own), None)
    return control


def throughput_events(ctx: InputContext) -> list[Event]:
    """``tcp.throughput`` for each sizeable download that has a control: another sizeable
    download from the same server address for another name in the same capture."""
    by_server: dict[str, list[tuple[Flow, float]]] = {}
    for fl in ctx.flows:
        if fl.proto != TCP:
            continue
        kbps = _kbps(fl)
        if kbps is not None:
            by_server.setdefault(fl.resp_ip, []).append((fl, kbps))
    control = best_for_other_name(ctx, [x for group in by_server.values() for x in group])
    out = []
    for group in by_server.values():
        for fl, kbps in group:
            got = control(fl)
            if got is None:
                continue
            best, best_kbps, best_name = got
            ev = common(ctx, fl)
            _add_trigger(ev, ctx, fl, None)
            ev.update({
                "event": "tcp.throughput",
                "frames": [f for f in (fl.syn_frame, fl.synack_frame) if f]
                + [p[0] for p in fl.kept if p[2] == 1 and p[6]][:3],
                "tput.kbps": round(kbps, 1),
                "tput.bytes": fl.h[1].payload,
                "tput.duration_s": round(fl.h[1].last_ts - fl.h[1].first_ts, 3),
                "tput.retransmissions": fl.h[1].retrans,
                "control.flow": best.id,
                "control.name": best_name,
                "control.kbps": round(best_kbps, 1),
                "control.ratio": round(kbps / best_kbps, 4) if best_kbps else None,
            })
            out.append(ev)
    return out


# ---------------------------------------------------------------------------- tcp.stall

#: Server-to-client bytes after which the Russian freeze of 2025 stops a connection to a
#: foreign hosting address (fingerprints THR-03, net4people#490 and #662: 15-20 KB; the
#: catalogue's pcap rule reads 14-21 KB).
FREEZE_BYTES = (14_000, 21_504)

#: The client must have gone on at least this long after the server's last new data.
STALL_MIN_WAIT_S = 1.0


def _stalled(fl: Flow) -> bool:
    """A TCP flow whose server data stopped while the client waited for more: the handshake
    completed, the server sent data and neither FIN nor RST, its stack sent no bare ACK after
    its last new data, and the client closed with a FIN (that nothing acknowledged) and
    sent packets for :data:`STALL_MIN_WAIT_S` or more after that data. (A client resetting
    an idle connection, the common way to drop one, says nothing of a stall.)"""
    o, r = fl.h
    return (fl.proto == TCP and fl.synack_frame != 0 and r.payload > 0 and not r.fin
            and not r.rst and not r.acked_after_new and bool(o.fin)
            and o.last_ts - r.new_ts >= STALL_MIN_WAIT_S)


def _alive_finder(ctx: InputContext, queries: int) -> Callable[[float, float], Flow | None]:
    """A function ``(since, until) -> flow``: of the flows that received new data from their
    server after ``since``, the one that started first (the earliest in the capture on a
    tie), if it started before ``until``; else None. A few queries scan the flows; many use
    an index (sorting every flow costs more than a few scans)."""
    flows = ctx.flows
    if queries <= 16:
        def scan(since: float, until: float) -> Flow | None:
            best: tuple[float, int] | None = None
            for i, x in enumerate(flows):
                if x.h[1].payload and x.h[1].new_ts > since and (
                        best is None or x.first_ts < best[0]):
                    best = (x.first_ts, i)
            return flows[best[1]] if best is not None and best[0] < until else None
        return scan
    # by the time of the last new server data; from each position on, the earliest start
    fed = sorted((x.h[1].new_ts, x.first_ts, i) for i, x in enumerate(flows) if x.h[1].payload)
    first_from: list[tuple[float, int]] = [(0.0, 0)] * len(fed)
    best = (float("inf"), -1)
    for j in range(len(fed) - 1, -1, -1):
        cand = (fed[j][1], fed[j][2])
        if cand < best:
            best = cand
        first_from[j] = best
    news = [t for t, _, _ in fed]

    def search(since: float, until: float) -> Flow | None:
        j = bisect_right(news, since)
        return flows[first_from[j][1]] if j < len(fed) and first_from[j][0] < until else None
    return search


def stall_events(ctx: InputContext) -> list[Event]:
    """``tcp.stall`` for each flow whose server data stopped while the client waited (see
    :func:`_stalled`), with the controls of the same capture: the same server's other
    connections, and data other flows received while this one waited."""
    stalls = [fl for fl in ctx.flows if _stalled(fl)]
    if not stalls:
        return []
    lo, hi = FREEZE_BYTES
    servers = {fl.resp_ip for fl in stalls}
    # the control: the same server for another name, most data (the same name working
    # later is no budget per connection, and no filter by name either)
    control = best_for_other_name(ctx, [(fl, float(fl.h[1].payload)) for fl in ctx.flows
                                        if fl.proto == TCP and fl.resp_ip in servers
                                        and fl.h[1].payload])
    freezes: dict[str, int] = {}
    for fl in stalls:
        if lo <= fl.h[1].payload <= hi:
            freezes[fl.resp_ip] = freezes.get(fl.resp_ip, 0) + 1
    alive_during = _alive_finder(ctx, len(stalls))
    out = []
    for fl in stalls:
        o, r = fl.h
        since, until = r.new_ts, o.last_ts
        got = control(fl)
        best = got[0] if got is not None else None
        frozen_here = 1 if lo <= r.payload <= hi else 0
        budget = freezes.get(fl.resp_ip, 0) - frozen_here
        alive = alive_during(since, until)
        ev = common(ctx, fl)
        frames = _add_trigger(ev, ctx, fl, None)
        frames += [f for f in (fl.syn_frame, fl.synack_frame, r.new_frame) if f]
        frames += list(o.fin[:4]) + list(o.rst[:2])
        ev.update({
            "event": "tcp.stall",
            "frames": sorted(set(frames)),
            "stall.bytes": r.payload,
            "stall.in_freeze_window": lo <= r.payload <= hi,
            "stall.frame": r.new_frame,
            "stall.wait_s": round(until - since, 3),
            "stall.client_rst": bool(o.rst),
            "stall.server_retransmissions": r.retrans,
            "control.same_server_flow": best.id if best is not None else None,
            "control.same_server_name": got[2] if got is not None else None,
            "control.same_server_bytes": best.h[1].payload if best is not None else 0,
            "control.same_server_freezes": budget,
            "control.path_alive": alive is not None,
            "control.path_alive_flow": alive.id if alive is not None else None,
        })
        out.append(ev)
    return out


# ---------------------------------------------------------------------------- tcp.drop

#: The ports of Iran's protocol filter (fingerprints catalogue PF-02, Bock et al., FOCI
#: 2020): on these, a connection whose first client data is not DNS, HTTP or TLS loses every
#: later client packet.
PROTOCOL_FILTER_PORTS = (53, 80, 443)

#: The client must have gone on at least this long after its first unacknowledged data.
DROP_MIN_WAIT_S = 1.0

def _dropped(fl: Flow) -> tuple[int, int] | None:
    """(the client's bytes the server acknowledged, as a relative sequence number; those sent
    beyond it) when the server's packets show the client's stopped reaching it, else None:
    the handshake completed, the client sent data and retransmitted,
    the server's last acknowledgment stayed below the client's data with its window open,
    and the server retransmitted data the client had already acknowledged at the capture
    point (the client's acknowledgments were lost on the way too)."""
    if fl.proto != TCP or not fl.synack_frame or fl.spurious is None:
        return None
    o, r = fl.h
    if not o.payload or o.retrans < 2 or r.last_ack < 0 or o.base < 0 or not r.last_win:
        return None
    acked = (r.last_ack - o.base) & MASK
    if acked & 0x8000_0000 or o.maxend <= acked:
        return None
    return acked, o.maxend - acked


def _protocol(ctx: InputContext, fl: Flow) -> str:
    """What the parsers recognised in the client's data: tls, http, dns or unknown."""
    if fl.id in ctx.tls_by_flow:
        return "tls"
    if fl.id in ctx.http_by_flow:
        return "http"
    if fl.id in ctx.dns_tcp_by_flow:
        return "dns"
    return "unknown"


def _uplink_finder(ctx: InputContext) -> Callable[[float, float], Flow | None]:
    """A function ``(since, until) -> flow``: the first flow that started after ``since`` and
    before ``until`` and drew an answer (a SYN/ACK, or any packet back for UDP): the client's
    packets reached somebody meanwhile."""
    starts = sorted((fl.first_ts, i) for i, fl in enumerate(ctx.flows)
                    if (fl.synack_frame if fl.proto == TCP else fl.h[1].pkts))
    times = [t for t, _ in starts]

    def search(since: float, until: float) -> Flow | None:
        j = bisect_right(times, since)
        return ctx.flows[starts[j][1]] if j < len(starts) and starts[j][0] < until else None
    return search


def drop_events(ctx: InputContext) -> list[Event]:
    """``tcp.drop`` for each flow whose client data stopped reaching the server (see
    :func:`_dropped`), with the trigger (the client's last message the server did receive),
    the protocol of the client's data, and the controls: new connections that got an answer
    while the client waited, and the same server working on other connections."""
    drops = [(fl, got) for fl in ctx.flows if (got := _dropped(fl)) is not None]
    if not drops:
        return []
    uplink = _uplink_finder(ctx)
    out = []
    for fl, (acked, unacked) in drops:
        o, r = fl.h
        sent = [p for p in fl.kept if p[2] == 0 and p[6] and not p[3] & RST]
        first = next((p for p in sent if p[4] + p[6] > acked), None)
        through = len({p[4] for p in sent if p[4] + p[6] <= acked})
        frame, ts = (first[0], first[1]) if first is not None else (o.new_frame, o.new_ts)
        wait = o.last_ts - ts
        if wait < DROP_MIN_WAIT_S:
            continue
        assert fl.spurious is not None
        spurious, spurious_frame = fl.spurious
        alive = uplink(ts, o.last_ts)
        ev = common(ctx, fl)
        frames = _add_trigger(ev, ctx, fl, ts - 1e-6)
        frames += [f for f in (fl.syn_frame, fl.synack_frame, frame, spurious_frame) if f]
        frames += list(o.fin[:2]) + list(o.rst[:2]) + list(r.rst[:2])
        ev.update({
            "event": "tcp.drop",
            "frames": sorted(set(frames)),
            "drop.protocol": _protocol(ctx, fl),
            "drop.acked_bytes": max(0, acked - 1),
            "drop.acked_segments": through,
            "drop.unacked_bytes": unacked,
            "drop.frame": frame,
            "drop.wait_s": round(wait, 3),
            "drop.client_retransmissions": o.retrans,
            "drop.server_spurious": spurious,
            "drop.server_spurious_frame": spurious_frame,
            "drop.server_packets": r.pkts,
            "drop.server_rst": bool(r.rst),
            "control.path_alive": alive is not None,
            "control.path_alive_flow": alive.id if alive is not None else None,
        })
        add_controls(ev, ctx, fl)
        out.append(ev)
    return out
