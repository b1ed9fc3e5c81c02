"""Build hook: compile the per-packet hot path with mypyc, when it can be.

Everything else about the package is in ``pyproject.toml``. The modules in ``COMPILED`` are
plain, fully typed Python; mypyc turns them into C extensions (about 1.3x faster end to
end on the bench capture, see ``bench/README.md``). When mypyc is missing, when the C
compiler fails, or with ``ANALYZER_PURE_PYTHON=1`` in the environment, the package installs
as pure Python and behaves the same. Next to the compiled library the build writes the
SHA-256 of each source it compiled (``analyzer/_compiled_sources.json``): the package falls
back to the sources when they differ (an edit after ``make venv``), see
``analyzer/_compiled.py``.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

#: Kept in step with ``analyzer._compiled.COMPILED`` (a test checks it).
COMPILED = [
    "analyzer/capture.py",
    "analyzer/decode.py",
    "analyzer/flows.py",
    "analyzer/events.py",
    "analyzer/extract.py",
    "analyzer/protocols/common.py",
    "analyzer/protocols/dns.py",
    "analyzer/protocols/tls.py",
    "analyzer/detect/context.py",
    "analyzer/detect/tcp.py",
    "analyzer/detect/proto.py",
    "analyzer/report/jsondoc.py",
    "analyzer/rules/modifiers.py",
    "analyzer/rules/condition.py",
    "analyzer/rules/engine.py",
]


#: Written next to the compiled library; read by ``analyzer._compiled``.
MANIFEST = "_compiled_sources.json"


def _warn(msg: str) -> None:
    print(f"analyzer setup: {msg}; installing the pure-Python modules", file=sys.stderr)


class OptionalBuildExt(build_ext):
    """build_ext that leaves a pure-Python install behind instead of failing."""

    def run(self) -> None:
        try:
            super().run()
            if self.extensions:
                self._write_manifest()
        except Exception as e:  # compiler missing or failing: no extension at all
            _warn(f"compiling with mypyc failed ({type(e).__name__}: {e})")
            # what this build made, and what an earlier one left next to the sources (an
            # editable install): either would shadow the pure-Python modules
            here = os.path.dirname(os.path.abspath(__file__))
            stems = [p.removesuffix(".py") for p in COMPILED] + ["analyzer/_native__mypyc"]
            old = [f for stem in stems for f in glob.glob(os.path.join(here, stem) + ".*.so")]
            old += glob.glob(os.path.join(here, "analyzer", MANIFEST))
            for path in [*self.get_outputs(), *old]:
                if os.path.exists(path):
                    os.remove(path)
            self.extensions = []


    def _write_manifest(self) -> None:
        """The SHA-256 of each compiled source, next to the library (in place for an
        editable install, in the build tree for a wheel)."""
        here = os.path.dirname(os.path.abspath(__file__))
        lib = self.get_ext_fullpath("analyzer._native__mypyc")
        digests = {}
        for rel in COMPILED:
            with open(os.path.join(here, rel), "rb") as fh:
                digests[rel.removesuffix(".py").replace("/", ".")] = \
                    hashlib.sha256(fh.read()).hexdigest()
        os.makedirs(os.path.dirname(lib), exist_ok=True)
        with open(os.path.join(os.path.dirname(lib), MANIFEST), "w") as fh:
            json.dump(digests, fh, indent=1, sort_keys=True)


class BuildPyWithRules(build_py):
    """build_py that also ships the built-in rules: the files of the top-level ``rules/``
    folder go into the package as ``analyzer/builtin_rules/`` (same sub-folders), where
    ``analyzer.rules.loader.builtin_rule_dirs`` looks for them in an installed package. A
    checkout (an editable install) reads ``rules/`` itself."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = os.path.dirname(os.path.abspath(__file__))
        src = os.path.join(here, "rules")
        dst = os.path.join(self.build_lib, "analyzer", "builtin_rules")
        for path in sorted(glob.glob(os.path.join(src, "**", "*.yaml"), recursive=True)):
            target = os.path.join(dst, os.path.relpath(path, src))
            self.mkpath(os.path.dirname(target))
            self.copy_file(path, target)


def ext_modules() -> list[Any]:
    if os.environ.get("ANALYZER_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _warn("mypyc is not available")
        return []
    try:
        # one shared library inside the package, so an editable install finds it too
        # Third-party packages are not installed in pip's build environment: their values
        # are typed Any there, which the strict checks of `make lint` would report (they run
        # in the venv, with the packages); compiling does not need those checks.
        relaxed = ["--ignore-missing-imports", "--no-warn-return-any", "--no-warn-unused-ignores",
                   "--allow-subclassing-any", "--allow-untyped-calls",
                   "--allow-untyped-decorators"]
        return list(mypycify([*relaxed, *COMPILED], opt_level="3",
                             group_name="analyzer._native"))
    except (Exception, SystemExit) as e:  # mypyc refusing the code (it exits on errors)
        _warn(f"mypyc could not translate the modules ({type(e).__name__}: {e})")
        return []


setup(ext_modules=ext_modules(),
      cmdclass={"build_ext": OptionalBuildExt, "build_py": BuildPyWithRules})
