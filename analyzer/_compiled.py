"""Which modules ``setup.py`` compiles with mypyc, and the guard against stale builds.

An editable install (``make venv``) leaves the compiled modules next to their sources, and
Python prefers an extension module to a ``.py`` file. After an edit to one of these sources,
the old compiled code would keep running without a word. So, on import, when any source is
not the one compiled (:func:`_stale`), or ``ANALYZER_PURE_PYTHON`` is set, every compiled
module is loaded from its source instead: all of them, because compiled modules call each other
directly and cannot be mixed with interpreted ones. ``make venv`` rebuilds them.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

#: Module names as built by ``setup.py`` (its ``COMPILED`` list, as paths).
COMPILED = (
    "analyzer.capture",
    "analyzer.decode",
    "analyzer.flows",
    "analyzer.events",
    "analyzer.extract",
    "analyzer.protocols.common",
    "analyzer.protocols.dns",
    "analyzer.protocols.tls",
    "analyzer.detect.context",
    "analyzer.detect.tcp",
    "analyzer.detect.proto",
    "analyzer.report.jsondoc",
    "analyzer.rules.modifiers",
    "analyzer.rules.condition",
    "analyzer.rules.engine",
)
_PKG = Path(__file__).resolve().parent


def _source(name: str) -> Path:
    return _PKG.joinpath(*name.split(".")[1:]).with_suffix(".py")


class _SourceFinder:
    """Meta-path finder that loads the compiled modules from their ``.py`` files."""

    @staticmethod
    def find_spec(name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if name not in COMPILED:
            return None
        return importlib.util.spec_from_file_location(name, _source(name))


def compiled_library() -> Path | None:
    """The shared library mypyc built, or None (a pure-Python install)."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        lib = _PKG / f"_native__mypyc{suffix}"
        if lib.exists():
            return lib
    return None


MANIFEST = "_compiled_sources.json"
"""The SHA-256 of each source the library was compiled from (written by ``setup.py``)."""


def _stale(lib: Path) -> list[str]:
    """The compiled modules whose source is not the one compiled. By content: an install
    from a wheel gives every file the time it was unpacked (sources can look newer than the
    library), and a checkout touches files without changing them. A library built without
    the manifest is judged by modification times."""
    try:
        digests = json.loads((lib.parent / MANIFEST).read_text())
    except (OSError, ValueError):
        built = lib.stat().st_mtime
        return [n for n in COMPILED if _source(n).stat().st_mtime > built]
    return [n for n in COMPILED
            if digests.get(n) != hashlib.sha256(_source(n).read_bytes()).hexdigest()]


def guard() -> None:
    """Run once, on the import of this module by ``analyzer/__init__.py``, before any
    compiled module is imported."""
    lib = compiled_library()
    if lib is None:
        return
    stale = _stale(lib)
    if os.environ.get("ANALYZER_PURE_PYTHON") or stale:
        if stale:
            warnings.warn(f"{', '.join(stale)}: source changed since it was compiled; "
                          "running the pure-Python code (run `make venv` to rebuild)",
                          RuntimeWarning, stacklevel=3)
        sys.meta_path.insert(0, _SourceFinder())


guard()
