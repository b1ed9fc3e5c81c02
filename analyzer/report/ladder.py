"""Ladder (sequence) diagrams of one flow as inline SVG.

Two vertical lines, the client on the left and the server (or resolver) on the right; one
arrow per packet, top to bottom in capture order, labelled with the frame number, the TCP
flags and what the packet carries. Packets a finding cites are drawn in red and annotated on
the right with what makes them suspect next to the genuine packets of the same end: TTL
against that end's usual TTL, IP ID, window, and the delay from the trigger against the
handshake round-trip time. The trigger (the packet that carried the name) is drawn in blue.

Every captured string is escaped here (SVG is XML): names, SNIs and HTTP lines may hold
markup. The drawing is a pure function of its input, so reports stay byte-identical.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .i18n import Messages

if TYPE_CHECKING:
    from .packets import PacketView

ROW = 30
TOP = 46
WIDTH = 1250
X_TIME = 8
X_CLIENT = 140
X_SERVER = 600
X_NOTE = 612
LABEL_CHARS = 70
NOTE_CHARS = 84


@dataclass(frozen=True, slots=True)
class Ladder:
    flow: str
    svg: Markup
    packets: int
    drawn: int


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n - 1] + "…"


def _genuine_ttl(packets: list[PacketView], src: str | None, cited: set[int]) -> int | None:
    c = Counter(p.ttl for p in packets if p.src == src and p.frame not in cited
                and p.ttl is not None)
    if not c:
        return None
    top = max(c.values())
    return min(v for v, n in c.items() if n == top)


def _label(p: PacketView) -> str:
    parts = [f"#{p.frame}"]
    if p.flags:
        parts.append(p.flags)
    if p.seq is not None:
        parts.append(f"seq={p.seq}")
    if p.payload_len:
        parts.append(f"len={p.payload_len}")
    if p.info:
        parts.append(p.info)
    return " ".join(parts)


def _is_syn(p: PacketView) -> bool:
    """A SYN without ACK (ECN-setup SYNs read "SEC")."""
    return "S" in p.flags and "A" not in p.flags


def _is_synack(p: PacketView) -> bool:
    return "S" in p.flags and "A" in p.flags


def _rtt(packets: list[PacketView]) -> float | None:
    syn = next((p for p in packets if _is_syn(p)), None)
    synack = next((p for p in packets if _is_synack(p)), None)
    if syn and synack and synack.ts >= syn.ts:
        return synack.ts - syn.ts
    return None


def draw_ladder(flow: str, packets: list[PacketView], cited: set[int], trigger_frame: int,
                t: Messages) -> Ladder:
    """The ladder of ``packets`` (one flow, frame order)."""
    if not packets:
        return Ladder(flow, Markup(""), 0, 0)
    client = packets[0].src
    # the originator is the sender of the SYN when there is one
    for p in packets:
        if _is_syn(p):
            client = p.src
            break
    server = next((p.src for p in packets if p.src != client), None) or \
        next((p.dst for p in packets if p.src == client), None)
    genuine = {client: _genuine_ttl(packets, client, cited),
               server: _genuine_ttl(packets, server, cited)}
    rtt = _rtt(packets)
    trig = next((p for p in packets if p.frame == trigger_frame), None)
    t0 = packets[0].ts
    height = TOP + ROW * len(packets) + 16
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ladder" role="img" '
           f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
           f'font-family="ui-monospace, monospace" font-size="11">',
           f"<title>{escape(t('label.ladder_title', flow=flow))}</title>",
           f'<text x="{X_TIME}" y="16" fill="#555">{escape(t("label.relative"))}</text>',
           f'<text x="{X_CLIENT}" y="16" text-anchor="middle" font-weight="bold">'
           f'{escape(t("step.side_client"))} {escape(client or "")}</text>',
           f'<text x="{X_SERVER}" y="16" text-anchor="middle" font-weight="bold">'
           f'{escape(t("step.side_server"))} {escape(server or "")}</text>',
           f'<line x1="{X_CLIENT}" y1="24" x2="{X_CLIENT}" y2="{height - 8}" stroke="#333"/>',
           f'<line x1="{X_SERVER}" y1="24" x2="{X_SERVER}" y2="{height - 8}" stroke="#333"/>']
    for i, p in enumerate(packets):
        y = TOP + ROW * i
        right = p.src == client
        x1, x2 = (X_CLIENT, X_SERVER) if right else (X_SERVER, X_CLIENT)
        is_cited = p.frame in cited
        is_trigger = p.frame == trigger_frame
        # the trigger is cited too (the request is part of the proof): it stays blue
        colour = "#1565c0" if is_trigger else "#c62828" if is_cited else "#444"
        cls = "pkt trigger" if is_trigger else "pkt cited" if is_cited else "pkt"
        label = _label(p)
        head = x2 - 8 if right else x2 + 8
        out.append(f'<g class="{cls}" data-frame="{p.frame}">')
        out.append(f"<title>{escape(label)}</title>")
        out.append(f'<text x="{X_TIME}" y="{y + 12}" fill="#555">'
                   f'{(p.ts - t0) * 1000:.3f}</text>')
        out.append(f'<line x1="{x1}" y1="{y + 4}" x2="{x2}" y2="{y + 14}" stroke="{colour}" '
                   f'stroke-width="{2 if is_cited or is_trigger else 1}"/>')
        out.append(f'<polygon points="{x2},{y + 14} {head},{y + 9} {head},{y + 16}" '
                   f'fill="{colour}"/>')
        out.append(f'<text x="{(X_CLIENT + X_SERVER) // 2}" y="{y + 2}" text-anchor="middle" '
                   f'fill="{colour}">{escape(_cut(label, LABEL_CHARS))}</text>')
        if is_cited or is_trigger:
            note = "trigger" if is_trigger else _note(p, genuine.get(p.src), trig, rtt, t)
            if note:
                out.append(f'<text x="{X_NOTE}" y="{y + 12}" fill="{colour}">'
                           f"{escape(_cut(note, NOTE_CHARS))}</text>")
        out.append("</g>")
    out.append("</svg>")
    return Ladder(flow, Markup("\n".join(out)), len(packets), len(packets))


def _note(p: PacketView, genuine_ttl: int | None, trig: PacketView | None,
          rtt: float | None, t: Messages) -> str:
    parts = []
    if p.ttl is not None:
        parts.append(t("label.ttl_vs", ttl=p.ttl, genuine=genuine_ttl)
                     if genuine_ttl is not None and genuine_ttl != p.ttl else f"TTL {p.ttl}")
    if p.ip_id is not None:
        parts.append(t("label.ip_id", value=p.ip_id))
    if p.win is not None and "R" in p.flags:
        parts.append(t("label.window", value=p.win))
    if trig is not None and p.ts >= trig.ts and p.frame != trig.frame:
        parts.append(t("label.after_trigger", ms=f"{(p.ts - trig.ts) * 1000:.1f}"))
        if rtt is not None:
            parts.append(t("label.rtt", ms=f"{rtt * 1000:.1f}"))
    return " · ".join(parts)
