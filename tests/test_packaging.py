"""What an installed package carries: the files ``setup.py``'s ``build_py`` puts in the build
tree (from which wheels are made), read back by an interpreter that cannot see the checkout.

A wheel install once shipped no rules at all (they live in the top-level ``rules/`` folder,
outside the package): every analysis then had zero findings, without a word.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from analyzer.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]


def _installed(built: Path) -> dict[str, str]:
    """The environment of an interpreter that imports the built package (pure Python)."""
    env = {**os.environ, "PYTHONPATH": str(built)}
    env.pop("ANALYZER_EXPECT_COMPILED", None)
    return env


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(out)],
                   cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "ANALYZER_PURE_PYTHON": "1"})
    return out


def test_the_package_carries_the_rules(built: Path) -> None:
    rules = sorted(p.relative_to(ROOT / "rules") for p in (ROOT / "rules").rglob("*.yaml"))
    shipped = built / "analyzer" / "builtin_rules"
    assert rules and sorted(p.relative_to(shipped) for p in shipped.rglob("*.yaml")) == rules
    for rel in rules:
        assert (shipped / rel).read_bytes() == (ROOT / "rules" / rel).read_bytes()


def test_the_package_carries_its_data(built: Path) -> None:
    pkg = built / "analyzer"
    for rel in ("templates/report.html.j2", "templates/report.md.j2", "report/locale/en.yaml",
                "py.typed"):
        assert (pkg / rel).is_file(), rel
    assert list((pkg / "data" / "fingerprints").iterdir())


def test_an_installed_package_loads_the_builtin_rules(built: Path, tmp_path: Path) -> None:
    code = ("from analyzer.rules import load_rules\n"
            "import analyzer\n"
            "print(analyzer.__file__)\n"
            "print(' '.join(r.id for r in load_rules()))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=_installed(built),
                         check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert out[0].startswith(str(built)), out[0]  # the built package, not the checkout
    assert out[1].split() == [r.id for r in load_rules()]


def test_rules_test_in_an_installed_package_skips_the_builtin_captures(built: Path,
                                                                       tmp_path: Path) -> None:
    # the built-in rules' test captures stay in the source tree: an installed package cannot
    # run them, which is not a failure of the rules
    run = subprocess.run([sys.executable, "-m", "analyzer", "rules", "test"], cwd=tmp_path,
                         env=_installed(built), capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-500:]
    last = run.stdout.strip().splitlines()
    assert "tests of built-in rules skipped" in last[-2]
    assert last[-1].startswith("0 passed, 0 failed")
