"""Compact Markdown report for write-ups and issue trackers: the same facts as the HTML
report, without the drawings and without the analysis time (byte-identical for the same
input and version)."""

from __future__ import annotations

from .render import md_environment
from .view import ReportView


def render(v: ReportView) -> str:
    return md_environment().get_template("report.md.j2").render(v=v, t=v.t)
