"""Jinja2 environment shared by the HTML and Markdown reports.

HTML autoescaping is always on: captured block pages, SNIs and DNS names are hostile input.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..model import Analysis
from .jsondoc import iso


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("analyzer", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"),
                                     default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["iso"] = iso
    return env


def context(a: Analysis) -> dict[str, Any]:
    from collections import Counter

    return {
        "a": a,
        "states": Counter(f.conn_state for f in a.flows if f.transport == "tcp").most_common(),
        "notable": [f for f in a.flows if f.conn_state not in ("SF", "S1")
                    and f.transport == "tcp"][:200],
    }
