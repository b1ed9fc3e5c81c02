"""Self-contained HTML report: one file, no external requests, autoescaped."""

from __future__ import annotations

from .render import html_environment
from .view import ReportView


def render(v: ReportView) -> str:
    return html_environment().get_template("report.html.j2").render(v=v, t=v.t)
