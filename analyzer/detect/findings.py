"""Rule matches -> findings and observations, as the contract defines them.

Matches are grouped per input and (mechanism, target): one finding carries every frame and
flow of its group. Its rule, summary and evidence come from the strongest match (highest
confidence, then earliest frame); ``rules`` lists every rule that contributed. An observation
whose (mechanism, target) already has a finding is dropped: the finding says more.
"""

from __future__ import annotations

from typing import Any

from ..rules import RuleMatch

Target = tuple[str, str | None, str | None, int | None, str | None]


def _target(m: RuleMatch) -> dict[str, Any]:
    ev = m.event
    domain = ev.get("domain")
    return {"domain": domain.lower().rstrip(".") if isinstance(domain, str) else None,
            "ip": ev.get("server.ip"), "port": ev.get("server.port"),
            "transport": ev.get("transport")}


def _first_frame(m: RuleMatch) -> int:
    frames = m.event.get("frames") or [0]
    return min(frames) if frames else 0


def _evidence(m: RuleMatch) -> list[dict[str, Any]]:
    names = m.rule.evidence or tuple(sorted(m.rule.fields))
    out = []
    for name in names:
        v = m.event.get(name)
        if v is None or v == [] or name in ("frames", "event"):
            continue
        out.append({"name": name, "value": list(v) if isinstance(v, tuple) else v})
    return out


def build(matches: list[tuple[int, RuleMatch]]) -> tuple[list[dict[str, Any]],
                                                         list[dict[str, Any]]]:
    """(findings, observations) from (input index, match) pairs."""
    groups: dict[tuple[bool, int, Target], list[RuleMatch]] = {}
    for index, m in matches:
        t = _target(m)
        key = (m.is_finding, index, (m.rule.mechanism, t["domain"], t["ip"], t["port"],
                                     t["transport"]))
        groups.setdefault(key, []).append(m)
    found = {(k[1], k[2]) for k in groups if k[0]}
    findings: list[dict[str, Any]] = []
    observations: list[dict[str, Any]] = []
    # per input, in frame order; residual blocking after the findings it follows from
    ordered = sorted(groups.items(), key=lambda kv: (
        kv[0][1], kv[0][2][0] == "residual-blocking", min(map(_first_frame, kv[1]))))
    for (is_finding, index, tkey), ms in ordered:
        if not is_finding and (index, tkey) in found:
            continue
        best = max(ms, key=lambda m: (m.rule.confidence, -_first_frame(m)))
        frames: set[int] = set()
        flows: list[str] = []
        rules: list[str] = []
        for m in ms:
            frames.update(f for f in m.event.get("frames") or () if f)
            fid = m.event.get("flow.id")
            if fid and fid not in flows:
                flows.append(fid)
            if m.rule.id not in rules:
                rules.append(m.rule.id)
        summary = best.summary()
        if len(flows) > 1:
            summary += f" (seen on {len(flows)} flows)"
        item = {
            "id": "",
            "rule": best.rule.id,
            "rules": rules,
            "mechanism": best.rule.mechanism,
            "confidence": best.rule.confidence,
            "target": _target(best),
            "trigger": best.trigger() or best.event.get("trigger.kind"),
            "input": index,
            "frames": sorted(frames),
            "flows": flows,
            "summary": summary,
            "evidence": _evidence(best),
        }
        (findings if is_finding else observations).append(item)
    for i, f in enumerate(findings, 1):
        f["id"] = f"F{i}"
    for i, o in enumerate(observations, 1):
        o["id"] = f"O{i}"
    return findings, observations
