"""The mypyc build (setup.py) and its guard (analyzer/_compiled.py) agree."""

from __future__ import annotations

import ast
import hashlib
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from analyzer import _compiled

ROOT = Path(__file__).resolve().parent.parent


def _setup_list() -> list[str]:
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED":
            return list(ast.literal_eval(node.value))
    raise AssertionError("no COMPILED list in setup.py")


def test_setup_and_guard_name_the_same_modules() -> None:
    assert f'MANIFEST = "{_compiled.MANIFEST}"' in (ROOT / "setup.py").read_text()
    paths = _setup_list()
    assert [p.removesuffix(".py").replace("/", ".") for p in paths] == list(_compiled.COMPILED)
    assert all((ROOT / p).is_file() for p in paths)


def test_compiled_modules_are_used_when_built() -> None:
    lib = _compiled.compiled_library()
    for name in _compiled.COMPILED:
        origin = importlib.import_module(name).__spec__.origin  # type: ignore[union-attr]
        compiled = not str(origin).endswith(".py")
        stale = bool(lib is not None and _compiled._stale(lib))
        pure = bool(os.environ.get("ANALYZER_PURE_PYTHON"))
        assert compiled == (lib is not None and not stale and not pure), name


def test_compiled_build_when_expected() -> None:
    # setup.py falls back on the pure-Python modules when mypyc refuses our code, so that an
    # install never fails; CI sets ANALYZER_EXPECT_COMPILED so that such a refusal (a typing
    # construct mypyc cannot translate) fails the build instead of slowing it down unseen
    if not os.environ.get("ANALYZER_EXPECT_COMPILED"):
        return
    lib = _compiled.compiled_library()
    assert lib is not None, "mypyc did not build the hot modules (see `pip install -v -e .`)"
    assert not _compiled._stale(lib), "the compiled modules are older than their sources"


def test_pure_python_switch() -> None:
    code = "import analyzer.flows as f; print(f.__spec__.origin)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "ANALYZER_PURE_PYTHON": "1"}, check=True)
    assert out.stdout.strip().endswith("flows.py")


def test_staleness_is_judged_by_content(tmp_path: Path) -> None:
    # an install from a wheel unpacks the sources after the library: by modification time
    # they looked newer, and every run fell back on the pure-Python modules (with a warning)
    lib = tmp_path / "_native__mypyc.so"
    lib.write_bytes(b"")
    digests = {n: hashlib.sha256(_compiled._source(n).read_bytes()).hexdigest()
               for n in _compiled.COMPILED}
    manifest = tmp_path / _compiled.MANIFEST
    manifest.write_text(json.dumps(digests))
    os.utime(lib, (0, 0))  # older than every source: content decides, not time
    assert _compiled._stale(lib) == []
    digests["analyzer.flows"] = "0" * 64
    manifest.write_text(json.dumps(digests))
    assert _compiled._stale(lib) == ["analyzer.flows"]
    manifest.unlink()  # a build without the manifest: modification times
    assert _compiled._stale(lib) == list(_compiled.COMPILED)


def test_build_writes_the_manifest() -> None:
    lib = _compiled.compiled_library()
    if lib is None:
        return  # a pure-Python install has no library to describe
    digests = json.loads((lib.parent / _compiled.MANIFEST).read_text())
    assert sorted(digests) == sorted(_compiled.COMPILED)
