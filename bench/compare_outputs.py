#!/usr/bin/env python3
"""Check that a change to the analyzer leaves its JSON output byte-identical.

usage: compare_outputs.py record DIR     # write the JSON of every capture into DIR
       compare_outputs.py check DIR      # compare the current output with DIR

The captures are everything under ``captures/``, the scenario captures of
``tests/scenarios/*/`` and ``../shared/realworld`` (when present), plus
``bench/data/bench-100k.pcap`` and ``bench/data/bench-1m.pcap`` when they exist (their
documents are compared by SHA-256 only). Each capture runs as
``analyze pcap FILE --json OUT -q``; the exit status and standard error are compared too.
The JSON document holds no wall-clock field, so no field is masked. ``ANALYZE=PATH`` in the
environment runs another build (e.g. the ``analyze`` of another checkout's venv).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANALYZE = Path(os.environ.get("ANALYZE") or ROOT / ".venv" / "bin" / "analyze")
EXTS = (".pcap", ".pcapng", ".cap", ".gz")
BIG = ("bench/data/bench-100k.pcap", "bench/data/bench-1m.pcap")


def captures() -> list[Path]:
    found = [p for p in sorted((ROOT / "captures").iterdir()) if p.name.endswith(EXTS)]
    found += [p for p in sorted((ROOT / "tests" / "scenarios").glob("*/capture.*"))
              if p.name.endswith(EXTS)]
    shared = ROOT.parent / "shared" / "realworld"
    if shared.is_dir():
        found += [p for p in sorted(shared.rglob("*")) if p.name.endswith(EXTS)]
    found += [ROOT / b for b in BIG if (ROOT / b).exists()]
    return found


def run(cap: Path, out: Path) -> dict[str, object]:
    proc = subprocess.run([str(ANALYZE), "pcap", str(cap), "--json", str(out), "-q"],
                          capture_output=True, text=True)
    data = out.read_bytes() if out.exists() else b""
    return {"rc": proc.returncode, "stderr": proc.stderr,
            "sha256": hashlib.sha256(data).hexdigest()}


def key(cap: Path) -> str:
    if not cap.is_relative_to(ROOT):
        return str(cap.relative_to(ROOT.parent))
    return str(cap.relative_to(ROOT)) if cap.parent.parent.name == "scenarios" else cap.name


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("record", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, d = sys.argv[1], Path(sys.argv[2])
    d.mkdir(parents=True, exist_ok=True)
    index = d / "index.json"
    ref = json.loads(index.read_text()) if mode == "check" else {}
    results: dict[str, object] = {}
    bad = 0
    for cap in captures():
        name = key(cap).replace("/", "__")
        out = d / (name + (".json" if mode == "record" else ".new.json"))
        out.unlink(missing_ok=True)
        res = run(cap, out)
        if mode == "record":
            results[name] = res
            if cap.stat().st_size > 5_000_000:
                out.unlink()  # big documents: the hash is enough
            continue
        want = ref.get(name)
        if want != res:
            bad += 1
            print(f"DIFFERS: {key(cap)}: {want} != {res}")
        else:
            out.unlink()
    if mode == "record":
        index.write_text(json.dumps(results, indent=1, sort_keys=True))
        print(f"recorded {len(results)} captures in {d}")
        return 0
    print(f"{len(ref) - bad} identical, {bad} different")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
