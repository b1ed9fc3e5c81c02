"""Compact Markdown report for write-ups and issue trackers."""

from __future__ import annotations

from ..model import Analysis
from .render import context, environment


def render(a: Analysis) -> str:
    return environment().get_template("report.md.j2").render(**context(a))
