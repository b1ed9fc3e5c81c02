"""Jinja2 environments for the HTML and Markdown reports.

HTML: autoescape always on (captured block pages, SNIs and DNS names are hostile input), and
a Content-Security-Policy that lets only the report's own inline script run (by its SHA-256),
so even a missed escape could not execute captured script. Markdown: every ``{{ value }}`` is
escaped for Markdown by the environment's ``finalize`` hook (the same idea as autoescape);
:func:`md_code` renders a captured string as a code span that cannot be broken out of.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .jsondoc import iso

#: The HTML report's only script: filter the flow graph by finding.
GRAPH_SCRIPT = (
    '(function(){var bs=document.querySelectorAll(".graph-filter button");'
    'function show(id){var els=document.querySelectorAll("#graph [data-findings]");'
    'for(var i=0;i<els.length;i++){var f=(els[i].getAttribute("data-findings")||"")'
    '.split(" ");els[i].classList.toggle("dim",id!==""&&f.indexOf(id)<0);}'
    'for(var j=0;j<bs.length;j++){bs[j].setAttribute("aria-pressed",'
    'String(bs[j].getAttribute("data-show")===id));}}'
    'for(var k=0;k<bs.length;k++){bs[k].addEventListener("click",function(ev){'
    'show(ev.currentTarget.getAttribute("data-show")||"");});}})();'
)


def script_hash(script: str) -> str:
    """The CSP source expression allowing exactly ``script``."""
    digest = hashlib.sha256(script.encode()).digest()
    return "sha256-" + base64.b64encode(digest).decode()


@cache
def html_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("analyzer", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["iso"] = iso
    env.globals["script"] = Markup(GRAPH_SCRIPT)
    env.globals["script_hash"] = script_hash(GRAPH_SCRIPT)
    return env


class MdSafe(str):
    """Markdown the template or a filter already made safe."""

    __slots__ = ()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&]|^[-+=#](?=\s|$))", re.M)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def md_escape(value: Any) -> str:
    """Any value as inert Markdown text: specials backslash-escaped, newlines to spaces."""
    if isinstance(value, MdSafe):
        return value
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text)
    return MdSafe(_MD_SPECIAL.sub(r"\\\1", text))


def md_code(value: Any) -> MdSafe:
    """A captured string as a code span: a fence longer than any backtick run inside, and
    ``|`` escaped so that a table cell cannot be split (GFM reads ``\\|`` in code spans)."""
    text = _CONTROL.sub(" ", "" if value is None else str(value)).replace("|", "\\|")
    if not text:
        return MdSafe("")
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or run else ""
    return MdSafe(f"{fence}{pad}{text}{pad}{fence}")


_LINK = re.compile(r"https?://[^\s<>`|\\]+")


def md_link(value: Any) -> MdSafe:
    """An http(s) URL as an autolink; anything else as a code span (never a live link)."""
    text = "" if value is None else str(value)
    if _LINK.fullmatch(text):
        return MdSafe(f"<{text}>")
    return md_code(text)


@cache
def md_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("analyzer", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_escape,
    )
    env.filters["code"] = md_code
    env.filters["link"] = md_link
    return env
