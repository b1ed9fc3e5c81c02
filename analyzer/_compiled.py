"""Which modules ``setup.py`` compiles with mypyc, and the guard against stale builds.

An editable install (``make venv``) leaves the compiled modules next to their sources, and
Python prefers an extension module to a ``.py`` file. After an edit to one of these sources,
the old compiled code would keep running without a word. So, on import, when any source is
newer than the compiled library (or ``ANALYZER_PURE_PYTHON`` is set), every compiled module
is loaded from its source instead: all of them, because compiled modules call each other
directly and cannot be mixed with interpreted ones. ``make venv`` rebuilds them.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
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


def _stale(lib: Path) -> list[str]:
    built = lib.stat().st_mtime
    return [n for n in COMPILED if _source(n).stat().st_mtime > built]


def guard() -> None:
    """Run once, on the import of this module by ``analyzer/__init__.py``, before any
    compiled module is imported."""
    lib = compiled_library()
    if lib is None:
        return
    stale = _stale(lib)
    if os.environ.get("ANALYZER_PURE_PYTHON") or stale:
        if stale:
            warnings.warn(f"{', '.join(stale)}: source newer than the compiled module; "
                          "running the pure-Python code (run `make venv` to rebuild)",
                          RuntimeWarning, stacklevel=3)
        sys.meta_path.insert(0, _SourceFinder())


guard()
