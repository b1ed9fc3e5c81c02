"""What the HTML and Markdown reports say, computed once: verdicts per target, provenance,
findings with their evidence, packets and rules, timelines, observations, anomalies.

The templates only lay this out. Everything here is deterministic for a given analysis
(ordering by input, frame and id; no wall-clock time except :attr:`ReportView.analysed_at`,
which the HTML shows and the Markdown does not). Captured strings are passed through as they
are: the HTML template escapes them (autoescape) and the Markdown one through its own filter.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..events import DnsTransaction, HttpExchange, QuicHandshakeEvent, TlsHandshakeEvent
from ..flows import Flow
from ..model import Analysis
from ..rules.schema import MECHANISMS
from .i18n import Messages
from .jsondoc import iso
from .ladder import Ladder, draw_ladder

if TYPE_CHECKING:
    from ..rules import RuleSet
    from .packets import PacketSet, PacketView

#: Bounds, so that a capture with thousands of findings still gives a readable report.
MAX_FINDINGS_DETAILED = 60
MAX_LADDERS = 2
MAX_HEX_PACKETS = 4
MAX_HEX_BYTES = 512
MAX_TIMELINE_STEPS = 60
MAX_TIMELINES = 40
MAX_OBSERVATIONS = 200


@dataclass(frozen=True, slots=True)
class InputRow:
    index: int
    name: str
    path: str
    format: str
    compressed: bool
    truncated: bool
    size: int
    sha256: str
    packets: int
    link_types: str
    first: str
    last: str
    span_s: str


@dataclass(frozen=True, slots=True)
class Verdict:
    target: str
    sentence: str
    mechanisms: list[str]
    confidence: float
    band: str
    finding_ids: list[str]


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    name: str
    value: str
    meaning: str


@dataclass(frozen=True, slots=True)
class HexDump:
    frame: int
    length: int
    lines: list[str]
    cut: bool


@dataclass(frozen=True, slots=True)
class HttpSnippet:
    """The HTTP exchange a finding is about, as captured (the templates escape it)."""

    request_frame: int
    response_frame: int
    request: str
    status: str
    location: str
    server: str
    content_type: str
    body: str


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    version: int
    title: str
    description: str
    references: list[str]
    falsepositives: list[str]
    source: str


@dataclass(slots=True)
class FindingView:
    id: str
    kind: str
    """finding or observation"""
    mechanism: str
    mechanism_name: str
    confidence: float
    band: str
    target: str
    endpoint: str
    trigger: str
    input_name: str
    summary: str
    frames: list[int]
    flows: list[str]
    display_filter: str
    rule: str
    evidence: list[EvidenceRow] = field(default_factory=list)
    ladders: list[Ladder] = field(default_factory=list)
    hexdumps: list[HexDump] = field(default_factory=list)
    http: list[HttpSnippet] = field(default_factory=list)
    rules: list[RuleInfo] = field(default_factory=list)
    unavailable: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    input: int
    frame: int
    time: str
    rel_ms: str
    proto: str
    text: str
    suspect: bool


@dataclass(frozen=True, slots=True)
class Timeline:
    target: str
    steps: list[Step]
    more: int


@dataclass(frozen=True, slots=True)
class AnomalyRow:
    name: str
    count: int
    description: str
    examples: str


@dataclass(slots=True)
class ReportView:
    t: Messages
    lang: str
    tool_version: str
    inputs: list[InputRow]
    verdicts: list[Verdict]
    findings: list[FindingView]
    findings_more: int
    observations: list[FindingView]
    observations_more: int
    timelines: list[Timeline]
    anomalies: list[AnomalyRow]
    mechanisms: list[str]
    """mechanisms present in findings or observations, in contract order"""
    builtin_rules: int
    user_rules: list[dict[str, str]]
    packets: int
    flows: int
    analysed_at: str
    elapsed_s: str
    anonymized: bool
    graph_svg: str = ""




def band(confidence: float) -> str:
    """The README's confidence bands."""
    if confidence >= 0.9:
        return "high"
    if confidence >= 0.7:
        return "strong"
    if confidence >= 0.5:
        return "medium"
    return "low"


def display_filter(frames: list[int]) -> str:
    """A Wireshark display filter that shows exactly these frames."""
    return "frame.number in {" + " ".join(str(f) for f in frames) + "}" if frames else ""


def target_name(f: dict[str, Any]) -> str:
    tgt = f.get("target") or {}
    return str(tgt.get("domain") or tgt.get("ip") or "?")


def endpoint(f: dict[str, Any]) -> str:
    tgt = f.get("target") or {}
    ip = tgt.get("ip")
    if not ip:
        return ""
    host = f"[{ip}]" if ":" in str(ip) else str(ip)
    port = f":{tgt['port']}" if tgt.get("port") is not None else ""
    proto = f"/{tgt['transport']}" if tgt.get("transport") else ""
    return f"{host}{port}{proto}"


def fmt_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".")
    if isinstance(v, list | tuple):
        return ", ".join(fmt_value(x) for x in v)
    return "" if v is None else str(v)


def hexdump(data: bytes, limit: int = MAX_HEX_BYTES) -> tuple[list[str], bool]:
    """Wireshark-style lines: offset, 16 bytes in hex, printable ASCII."""
    lines = []
    view = data[:limit]
    for off in range(0, len(view), 16):
        chunk = view[off:off + 16]
        hx = " ".join(f"{b:02x}" for b in chunk[:8])
        if len(chunk) > 8:
            hx += "  " + " ".join(f"{b:02x}" for b in chunk[8:])
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{off:04x}  {hx:<49} {text}")
    return lines, len(data) > limit


def _field_meanings() -> dict[str, str]:
    from ..rules.schema import EVENTS
    out: dict[str, str] = {}
    for et in EVENTS:
        for name, spec in et.fields.items():
            out.setdefault(name, spec.description)
    return out


def _inputs(a: Analysis, anonymized: bool) -> list[InputRow]:
    rows = []
    for i in a.inputs:
        span = "" if i.first_ts is None or i.last_ts is None else f"{i.last_ts - i.first_ts:.3f}"
        name = os.path.basename(i.path) if i.path != "-" else "-"
        rows.append(InputRow(
            index=i.index, name=name, path=name if anonymized else i.path, format=i.format,
            compressed=i.compressed, truncated=i.truncated, size=i.size, sha256=i.sha256,
            packets=i.packets, link_types=", ".join(i.link_types), first=iso(i.first_ts) or "-",
            last=iso(i.last_ts) or "-", span_s=span))
    return rows


def _verdicts(a: Analysis, t: Messages) -> list[Verdict]:
    by_target: dict[str, list[dict[str, Any]]] = {}
    for f in a.findings:
        by_target.setdefault(target_name(f), []).append(f)
    out = []
    for target, fs in by_target.items():
        mechs: list[str] = []
        for f in sorted(fs, key=lambda f: -float(f["confidence"])):
            if f["mechanism"] not in mechs:
                mechs.append(f["mechanism"])
        conf = max(float(f["confidence"]) for f in fs)
        clauses = [t(f"did.{m}") if t.has(f"did.{m}") else m for m in mechs]
        text = "; ".join(clauses)
        sentence = t("verdict.target_line", target=target, mechanisms=text[:1].upper() + text[1:])
        out.append(Verdict(target=target, sentence=sentence,
                           mechanisms=[t(f"mechanism_name.{m}") if t.has(f"mechanism_name.{m}")
                                       else m for m in mechs],
                           confidence=conf, band=band(conf),
                           finding_ids=[str(f["id"]) for f in fs]))
    out.sort(key=lambda v: (-v.confidence, v.target))
    return out


def _rule_info(rules: RuleSet | None, rule_id: str) -> RuleInfo:
    r = rules.get(rule_id) if rules is not None else None
    if r is None:
        return RuleInfo(rule_id, 0, "", "", [], [], "")
    return RuleInfo(r.id, r.version, r.title, " ".join(r.description.split()), list(r.references),
                    list(r.falsepositives), "builtin" if r.source == "builtin" else
                    os.path.basename(r.source or ""))


def _finding_view(f: dict[str, Any], kind: str, a: Analysis, t: Messages,
                  rules: RuleSet | None, packets: PacketSet | None,
                  meanings: dict[str, str], detailed: bool,
                  totals: dict[str, int] | None = None) -> FindingView:
    index = int(f.get("input") or 0)
    inp = a.inputs[index] if index < len(a.inputs) else None
    frames = [int(x) for x in f.get("frames") or ()]
    mech = str(f["mechanism"])
    conf = float(f["confidence"])
    v = FindingView(
        id=str(f["id"]), kind=kind, mechanism=mech,
        mechanism_name=t(f"mechanism_name.{mech}") if t.has(f"mechanism_name.{mech}") else mech,
        confidence=conf, band=band(conf), target=target_name(f), endpoint=endpoint(f),
        trigger=str(f.get("trigger") or ""),
        input_name=os.path.basename(inp.path) if inp else "",
        summary=str(f.get("summary") or ""), frames=frames, flows=list(f.get("flows") or ()),
        display_filter=display_filter(frames), rule=str(f.get("rule") or ""))
    v.evidence = [EvidenceRow(str(e["name"]), fmt_value(e.get("value")),
                              meanings.get(str(e["name"]), ""))
                  for e in f.get("evidence") or ()]
    v.rules = [_rule_info(rules, r) for r in f.get("rules") or [f.get("rule")] if r]
    v.http = _http_snippets(a, index, v.flows, set(frames))
    if not detailed or packets is None:
        return v
    if index in packets.unavailable:
        v.unavailable = packets.unavailable[index]
        return v
    cited = set(frames)
    trig = next((e.get("value") for e in f.get("evidence") or ()
                 if e.get("name") == "trigger.frame"), None)
    trigger_frame = int(trig) if isinstance(trig, int) else 0
    for fid in v.flows[:MAX_LADDERS]:
        pk = packets.flow_packets.get(fid)
        if pk:
            ladder = draw_ladder(fid, pk, cited, trigger_frame, t)
            total = (totals or {}).get(fid, ladder.drawn)
            v.ladders.append(dataclasses.replace(ladder, packets=max(total, ladder.drawn)))
    shown = 0
    for fr in frames:
        pv = packets.frames.get((index, fr))
        if pv is None:
            continue
        lines, cut = hexdump(pv.data)
        v.hexdumps.append(HexDump(frame=fr, length=len(pv.data), lines=lines, cut=cut))
        shown += 1
        if shown >= MAX_HEX_PACKETS:
            break
    return v


MAX_BODY_CHARS = 600


def _http_snippets(a: Analysis, index: int, flows: list[str], cited: set[int]
                   ) -> list[HttpSnippet]:
    """The responses a finding cites (block pages, injected redirects), at most three."""
    if not flows:
        return []
    wanted = set(flows)
    out = []
    for h in a.http:
        if h.input != index or h.flow not in wanted or not h.response_frames:
            continue
        if not cited.intersection(h.response_frames) and not cited.intersection(
                h.request_frames):
            continue
        body = h.body_prefix or ""
        out.append(HttpSnippet(
            request_frame=h.request_frames[0] if h.request_frames else 0,
            response_frame=h.response_frames[0],
            request=f"{h.method or '?'} {(h.target or '')[:200]} (Host {h.host or '-'})",
            status=f"{h.status or '?'} {h.reason or ''}".strip(),
            location=(h.location or "")[:300], server=(h.server_header or "")[:200],
            content_type=(h.content_type or "")[:200],
            body=body[:MAX_BODY_CHARS] + ("…" if len(body) > MAX_BODY_CHARS else "")))
        if len(out) >= 3:
            break
    return out


# ---- timelines ---------------------------------------------------------------------------

def _ms(ts: float | None, t0: float | None) -> str:
    if ts is None or t0 is None:
        return ""
    return f"{(ts - t0) * 1000:.3f}"


class _Steps:
    def __init__(self, suspect: set[int], t0: float | None) -> None:
        self.items: dict[tuple[int, int, str], Step] = {}
        self.suspect = suspect
        self.t0 = t0

    def add(self, index: int, frame: int | None, ts: float | None, proto: str,
            text: str) -> None:
        if not frame:
            return
        key = (index, frame, text)
        if key not in self.items:
            self.items[key] = Step(index, frame, iso(ts) or "", _ms(ts, self.t0), proto, text,
                                   frame in self.suspect)


def _dns_steps(s: _Steps, tx: DnsTransaction, t: Messages) -> None:
    s.add(tx.input, tx.query_frames[0] if tx.query_frames else None, tx.query_ts, "DNS",
          t("step.dns_query", qtype=tx.qtype_name or tx.qtype or "?", name=tx.qname or "",
            server=tx.server_ip))
    for r in tx.responses:
        answers = ", ".join(r.addresses) or ", ".join(f"{x.type} {x.value}" for x in r.answers)
        s.add(tx.input, r.frame, r.ts, "DNS",
              t("step.dns_response", rcode=r.rcode_name, answers=answers or "-",
                delay=fmt_value(r.delay_ms), ttl=fmt_value(r.ip_ttl)))


def _flow_steps(s: _Steps, fl: Flow, t: Messages, pk: list[PacketView] | None) -> None:
    if fl.transport != "tcp":
        return
    side = (t("step.side_client"), t("step.side_server"))
    s.add(fl.input, fl.syn_frame, fl.syn_ts, "TCP", t("step.tcp_syn", flow=fl.id))
    rtt = fl.rtt
    s.add(fl.input, fl.synack_frame, fl.synack_ts, "TCP",
          t("step.tcp_synack", rtt=fmt_value(None if rtt is None else round(rtt * 1000, 3))))
    ts_of = {p.frame: p.ts for p in pk or ()}
    for i, h in enumerate(fl.h):
        for fr in h.rst[:5]:
            s.add(fl.input, fr, ts_of.get(fr), "TCP", t("step.tcp_rst", side=side[i]))
        for fr in h.fin[:1]:
            s.add(fl.input, fr, ts_of.get(fr), "TCP", t("step.tcp_fin", side=side[i]))


def _tls_steps(s: _Steps, e: TlsHandshakeEvent, t: Messages) -> None:
    s.add(e.input, e.client_hello_frames[0] if e.client_hello_frames else None,
          e.client_hello_ts, "TLS", t("step.tls_hello", sni=e.sni or "-"))
    s.add(e.input, e.server_hello_frame, e.server_hello_ts, "TLS",
          t("step.tls_server_hello", ms=fmt_value(e.server_hello_ms)))
    for al in e.alerts[:3]:
        s.add(e.input, al.frame, al.ts, "TLS",
              t("step.tls_alert", name=al.name or al.description or "?", side=al.direction))


def _http_steps(s: _Steps, h: HttpExchange, t: Messages) -> None:
    s.add(h.input, h.request_frames[0] if h.request_frames else None, h.request_ts, "HTTP",
          t("step.http_request", method=h.method or "?", target=(h.target or "")[:120],
            host=h.host or "-"))
    loc = f" -> {h.location[:120]}" if h.location else ""
    s.add(h.input, h.response_frames[0] if h.response_frames else None, h.response_ts, "HTTP",
          t("step.http_response", status=h.status or "?", reason=h.reason or "", location=loc))


def _quic_steps(s: _Steps, q: QuicHandshakeEvent, t: Messages) -> None:
    s.add(q.input, q.first_initial_frame, q.first_initial_ts, "QUIC",
          t("step.quic_initial", sni=q.sni or "-"))
    if q.server_answered:
        s.add(q.input, q.server_first_frame, q.server_first_ts, "QUIC",
              t("step.quic_answered", ms=fmt_value(q.server_first_ms)))


def _norm(name: str | None) -> str:
    return (name or "").lower().rstrip(".")


def _timelines(a: Analysis, t: Messages, packets: PacketSet | None) -> list[Timeline]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in a.findings:
        groups.setdefault(target_name(f), []).append(f)
    flows_by_id = {fl.id: fl for fl in a.flows}
    out = []
    for target, fs in list(groups.items())[:MAX_TIMELINES]:
        inputs = {int(f.get("input") or 0) for f in fs}
        domain = _norm((fs[0].get("target") or {}).get("domain"))
        ips = {str((f.get("target") or {}).get("ip")) for f in fs
               if (f.get("target") or {}).get("ip")}
        suspect = {int(x) for f in fs for x in f.get("frames") or ()}
        flow_ids = {fid for f in fs for fid in f.get("flows") or ()}
        for e in a.tls:
            if e.input in inputs and domain and _norm(e.sni) == domain:
                flow_ids.add(e.flow)
        for h in a.http:
            if h.input in inputs and domain and _norm(h.host) == domain:
                flow_ids.add(h.flow)
        dns = [tx for tx in a.dns if tx.input in inputs and (
            (domain and _norm(tx.qname) == domain)
            or (not domain and any(ip in r.addresses for r in tx.responses for ip in ips)))]
        firsts = [ts for ts in ([tx.query_ts for tx in dns]
                                + [flows_by_id[i].first_ts for i in flow_ids if i in flows_by_id])
                  if ts is not None]
        s = _Steps(suspect, min(firsts) if firsts else None)
        for tx in dns:
            _dns_steps(s, tx, t)
        for fid in sorted(flow_ids):
            fl = flows_by_id.get(fid)
            if fl is not None and fl.input in inputs:
                _flow_steps(s, fl, t, packets.flow_packets.get(fid) if packets else None)
        for e in a.tls:
            if e.flow in flow_ids:
                _tls_steps(s, e, t)
        for h in a.http:
            if h.flow in flow_ids:
                _http_steps(s, h, t)
        for q in a.quic:
            if q.input in inputs and (q.flow in flow_ids or (domain and _norm(q.sni) == domain)):
                _quic_steps(s, q, t)
        steps = sorted(s.items.values(), key=lambda st: (st.input, st.frame, st.text))
        out.append(Timeline(target, steps[:MAX_TIMELINE_STEPS],
                            max(0, len(steps) - MAX_TIMELINE_STEPS)))
    return out


def _anomalies(a: Analysis) -> list[AnomalyRow]:
    rows = []
    for an in a.anomalies:
        ex = "; ".join(f"{e[1] if e[1] is not None else '-'}: {e[3]}" for e in an.examples[:5])
        rows.append(AnomalyRow(an.name, an.count, an.description, ex))
    return rows


def build(a: Analysis, *, t: Messages | None = None, rules: RuleSet | None = None,
          packets: PacketSet | None = None, graph_svg: str = "",
          anonymized: bool = False) -> ReportView:
    """The report's content for ``a``. ``packets`` (re-read from the inputs) adds ladder
    diagrams and hex dumps; without it the report still states every fact."""
    t = t or Messages()
    meanings = _field_meanings()
    wanted = {fid for f in a.findings for fid in f.get("flows") or ()}
    totals = {fl.id: fl.h[0].pkts + fl.h[1].pkts for fl in a.flows if fl.id in wanted}
    findings = [_finding_view(f, "finding", a, t, rules, packets, meanings,
                              i < MAX_FINDINGS_DETAILED, totals)
                for i, f in enumerate(a.findings)]
    observations = [_finding_view(o, "observation", a, t, rules, None, meanings, False)
                    for o in a.observations[:MAX_OBSERVATIONS]]
    present = {str(f["mechanism"]) for f in a.findings + a.observations}
    builtin = sum(1 for r in a.rules if r.get("source") == "builtin")
    return ReportView(
        t=t, lang=t.lang, tool_version=a.tool_version, inputs=_inputs(a, anonymized),
        verdicts=_verdicts(a, t), findings=findings, findings_more=0,
        observations=observations,
        observations_more=max(0, len(a.observations) - MAX_OBSERVATIONS),
        timelines=_timelines(a, t, packets), anomalies=_anomalies(a),
        mechanisms=[m for m in MECHANISMS if m in present],
        builtin_rules=builtin,
        user_rules=[{**r, "source": os.path.basename(r.get("source") or "")}
                    for r in a.rules if r.get("source") != "builtin"],
        packets=int(a.stats.get("packets") or 0), flows=len(a.flows),
        analysed_at=iso(a.started) or "", elapsed_s=f"{a.elapsed:.3f}",
        anonymized=anonymized, graph_svg=graph_svg)


def counts(items: list[FindingView]) -> list[tuple[str, int]]:
    return Counter(i.mechanism for i in items).most_common()
