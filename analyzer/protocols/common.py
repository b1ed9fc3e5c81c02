"""Shared types for the protocol parsers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ParseAnomaly:
    """A named oddity met while parsing: malformed traffic is evidence, not an error.

    ``name`` is a stable snake_case identifier (``dns_compression_loop``); ``detail`` says
    what exactly was seen; ``offset`` is the byte offset in the parsed buffer, when known.
    """

    name: str
    detail: str = ""
    offset: int | None = None
