"""Terminal summary of an analysis (rich)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..model import Analysis
from .jsondoc import iso

OBSERVATIONS_SHOWN = 5
#: A terminal is for a first look: past this many findings, a count per mechanism.
FINDINGS_SHOWN = 30
FRAMES_SHOWN = 12


def _print_item(con: Console, f: dict[str, Any], colour: str) -> None:
    """One finding or observation: a headline, the summary, the frames."""
    tgt = f.get("target") or {}
    where = f"{tgt.get('ip')}:{tgt.get('port')}/{tgt.get('transport')}" if tgt.get("ip") \
        else "-"
    name = escape(str(tgt.get("domain") or "(no name)"))
    con.print(f"  [bold {colour}]{f.get('id')}[/] [bold]{f.get('mechanism')}[/] {name} "
              f"{escape(where)}  confidence {f.get('confidence', 0):.2f}  "
              f"[dim]{f.get('rule')}[/]")
    con.print(f"     {escape(str(f.get('summary', '')))}")
    frames = [str(x) for x in (f.get("frames") or [])]
    more = f" … ({len(frames)} frames)" if len(frames) > FRAMES_SHOWN else ""
    inp = f"input {f.get('input')}, " if f.get("input") else ""
    con.print(f"     [dim]{inp}frames {' '.join(frames[:FRAMES_SHOWN])}{more}[/]")


def print_summary(a: Analysis, written: list[str] | None = None,
                  console: Console | None = None) -> None:
    con = console or Console()
    t = Table(title="Inputs", title_justify="left")
    for col in ("file", "format", "packets", "link types", "first", "last", "sha256"):
        t.add_column(col)
    for i in a.inputs:
        fmt = i.format + (" (gzip)" if i.compressed else "") + (" TRUNCATED" if i.truncated
                                                                 else "")
        t.add_row(i.path, fmt, str(i.packets), ", ".join(i.link_types), iso(i.first_ts) or "-",
                  iso(i.last_ts) or "-", i.sha256[:16] + "…")
    con.print(t)
    st = a.stats
    con.print(f"[bold]{st.get('packets', 0)}[/] packets: IPv4 {st.get('ipv4', 0)}, "
              f"IPv6 {st.get('ipv6', 0)}, TCP {st.get('tcp', 0)}, UDP {st.get('udp', 0)}, "
              f"ICMP {st.get('icmp', 0)}; [bold]{len(a.flows)}[/] flows")
    states = Counter(f.conn_state for f in a.flows if f.transport == "tcp")
    if states:
        con.print("TCP connection states: " + ", ".join(f"{k} {v}"
                                                        for k, v in states.most_common()))
    if a.findings:
        con.print(f"[bold]Findings[/] ({len(a.findings)}: claims of interference, with the "
                  "frames that prove them)")
        for f in a.findings[:FINDINGS_SHOWN]:
            _print_item(con, f, "red")
        rest = a.findings[FINDINGS_SHOWN:]
        if rest:
            per = Counter(str(f.get("mechanism")) for f in rest).most_common()
            con.print(f"  … {len(rest)} more in the JSON or HTML report: "
                      + ", ".join(f"{m} {n}" for m, n in per))
    else:
        con.print("No findings of interference.")
    if a.observations:
        con.print(f"[bold]Observations[/] ({len(a.observations)}: weaker signals, not claims)")
        for o in a.observations[:OBSERVATIONS_SHOWN]:
            _print_item(con, o, "yellow")
        if len(a.observations) > OBSERVATIONS_SHOWN:
            con.print(f"  … {len(a.observations) - OBSERVATIONS_SHOWN} more in the JSON or "
                      "HTML report")
    if a.anomalies:
        at = Table(title="Anomalies (malformed or unusual traffic)", title_justify="left")
        at.add_column("name")
        at.add_column("count", justify="right")
        at.add_column("first frames")
        at.add_column("description")
        for an in a.anomalies:
            frames = " ".join(str(e[1]) for e in an.examples[:5] if e[1] is not None)
            at.add_row(an.name, str(an.count), frames, an.description)
        con.print(at)
    for p in written or []:
        con.print(f"wrote {p}")
