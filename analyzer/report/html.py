"""Self-contained HTML report: one file, no external requests, autoescaped."""

from __future__ import annotations

from ..model import Analysis
from .render import context, environment


def render(a: Analysis) -> str:
    return environment().get_template("report.html.j2").render(**context(a))
