"""The report's words, by language: ``analyzer/report/locale/<lang>.yaml``.

Every sentence the HTML and Markdown reports print comes from a catalogue keyed by dotted ids
(``section.verdict``, ``did.rst-injection``); the templates hold structure only. English is
complete; a translation (Indonesian would be ``id.yaml``) lists the same keys and falls back
to English for any it lacks, so a partial translation still renders. Values are plain text,
escaped by the templates; ``{field}`` placeholders are filled with :meth:`str.format`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

DEFAULT = "en"


def available() -> list[str]:
    """The languages that have a catalogue."""
    root = resources.files("analyzer.report").joinpath("locale")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = str(v)
    return out


@cache
def _catalogue(lang: str) -> dict[str, str]:
    text = resources.files("analyzer.report").joinpath("locale", f"{lang}.yaml").read_text(
        encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"locale {lang}: not a mapping")
    return _flatten(data)


class Messages:
    """``t(key, **fields)``: the text of ``key`` in this language (English if missing)."""

    def __init__(self, lang: str = DEFAULT) -> None:
        if lang not in available():
            raise ValueError(f"no report language {lang!r}; available: "
                             + ", ".join(available()))
        self.lang = lang
        self._texts = {**_catalogue(DEFAULT), **_catalogue(lang)}

    def __call__(self, key: str, /, **fields: Any) -> str:
        try:
            text = self._texts[key]
        except KeyError:
            raise KeyError(f"report text {key!r} is missing from locale/{DEFAULT}.yaml") \
                from None
        return text.format(**fields) if fields else text

    def raw(self, key: str) -> str:
        """The text of ``key`` with its ``{field}`` placeholders unfilled."""
        self(key)  # a missing key raises
        return self._texts[key]

    def has(self, key: str) -> bool:
        return key in self._texts

    def keys(self) -> list[str]:
        return sorted(self._texts)
