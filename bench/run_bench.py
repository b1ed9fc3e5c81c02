#!/usr/bin/env python3
"""Throughput / memory benchmark of `analyze` against tshark, Suricata and scapy.

usage: run_bench.py [--packets N] [--reps R] [--seed S] [--skip TOOL ...] [--timeout SEC]

1. Generates bench/data/bench-1m.pcap with gen_bench.py (reused when up to date) and slices
   its first 100k packets into bench/data/bench-100k.pcap (for scapy, which is too slow for 1M).
2. Runs each tool under `/usr/bin/time -v` on the same file, R repetitions interleaved
   (rep 1 of every tool, then rep 2, ...), so that drift on a shared machine hits all alike:
     analyze   .venv/bin/analyze pcap FILE --json /dev/null
     tshark    tshark -r FILE -T fields -e frame.number -e ip.ttl -e tcp.flags -e dns.qry.name
               -e tls.handshake.extensions_server_name          (stdout to /dev/null)
     suricata  suricata -r FILE -l TMPDIR                      (default config, no rules)
     scapy     PcapReader, full dissection, on the 100k slice; packets/s from the read loop time
3. Prints a table (median wall time, packets/s, peak RSS), the ratios of analyze's packets/s to
   each other tool's, and PASS/MISS lines for the targets (>= 300k packets/s, peak RSS < 500 MB).
   Writes bench/out/results.json.  Exit status is 0 even on MISS or when a tool fails: it is a
   report.  Peak RSS is the larger of GNU time's maxrss and the sampled PSS sum of the process
   tree (so a multi-process analyzer is not under-reported).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))
import gen_bench  # noqa: E402

TOOLS = ["analyze", "tshark", "suricata", "scapy"]
SLICE = 100_000
TARGET_PPS = 300_000
TARGET_RSS_MB = 500
TSHARK_FIELDS = [
    "-T",
    "fields",
    "-e",
    "frame.number",
    "-e",
    "ip.ttl",
    "-e",
    "tcp.flags",
    "-e",
    "dns.qry.name",
    "-e",
    "tls.handshake.extensions_server_name",
]

# Runs in a child interpreter: scapy PcapReader with full dissection, touching the fields the
# analyzer needs.  Prints one JSON line; the loop time excludes interpreter start and imports.
SCAPY_SNIPPET = r"""
import json, sys, time
t0 = time.perf_counter()
from scapy.all import PcapReader
from scapy.layers.dns import DNS
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
t1 = time.perf_counter()
n = tcp = udp = rst = dns = 0
with PcapReader(sys.argv[1]) as rd:
    for p in rd:
        n += 1
        ip = p.getlayer(IP) or p.getlayer(IPv6)
        if ip is None:
            continue
        ttl = ip.ttl if ip.version == 4 else ip.hlim
        l4 = ip.payload
        if isinstance(l4, TCP):
            tcp += 1
            if int(l4.flags) & 4:
                rst += 1
        elif isinstance(l4, UDP):
            udp += 1
            d = l4.payload
            if isinstance(d, DNS):
                dns += 1
                q = d.qd[0].qname if d.qdcount and d.qd else None
t2 = time.perf_counter()
print(json.dumps({"packets": n, "loop_s": t2 - t1, "import_s": t1 - t0, "tcp": tcp, "udp": udp,
                  "rst": rst, "dns": dns}))
"""


def human_n(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


# ---------------------------------------------------------------- pcap slicer (stdlib)
def slice_pcap(src: Path, dst: Path, count: int) -> int:
    """Copy the global header and the first `count` records of a classic pcap."""
    meta_path = Path(str(dst) + ".meta.json")
    st = src.stat()
    want = {
        "source": src.name,
        "source_size": st.st_size,
        "source_mtime_ns": st.st_mtime_ns,
        "packets": count,
    }
    try:
        if json.loads(meta_path.read_text()) == want and dst.exists():
            return count
    except (OSError, ValueError):
        pass
    n = 0
    tmp = Path(str(dst) + ".tmp")
    with open(src, "rb") as f, open(tmp, "wb") as o:
        gh = f.read(24)
        magic = gh[:4]
        if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
            rec = struct.Struct("<IIII")
        elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
            rec = struct.Struct(">IIII")
        else:
            raise ValueError(f"{src}: not a classic pcap file")
        o.write(gh)
        while n < count:
            h = f.read(16)
            if len(h) < 16:
                break
            caplen = rec.unpack(h)[2]
            o.write(h)
            o.write(f.read(caplen))
            n += 1
    os.replace(tmp, dst)
    want["packets"] = n
    meta_path.write_text(json.dumps(want) + "\n")
    return n


# ---------------------------------------------------------------- measurement
def parse_time_v(text: str) -> dict:
    out: dict = {}
    for line in text.splitlines():
        line = line.strip()
        _key, _, val = line.rpartition(":")
        val = val.strip()
        try:
            if line.startswith("Maximum resident set size"):
                out["maxrss_kb"] = int(val)
            elif line.startswith("User time"):
                out["user_s"] = float(val)
            elif line.startswith("System time"):
                out["sys_s"] = float(val)
            elif line.startswith("Exit status"):
                out["exit"] = int(val)
            elif line.startswith("Command terminated by signal"):
                out["signal"] = int(val)
        except ValueError:
            pass
    return out


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                s = f.read()
            ppid = int(s[s.rindex(b")") + 2 :].split()[1])
        except (OSError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def tree_pss_kb(pid: int) -> int:
    """PSS of the processes below `pid` (the /usr/bin/time wrapper itself is excluded)."""
    total = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError):
            pass
    return total


def run_measured(
    argv: list[str], timeout: float, stdout=subprocess.DEVNULL, cwd: Path = ROOT
) -> dict:
    """Run argv under /usr/bin/time -v: wall_s, maxrss_kb, tree_pss_kb, exit, stderr tail."""
    use_time = os.access("/usr/bin/time", os.X_OK)
    with tempfile.TemporaryDirectory(prefix="bench-") as td:
        tfile = os.path.join(td, "time.txt")
        errfile = os.path.join(td, "stderr.txt")
        cmd = (["/usr/bin/time", "-v", "-o", tfile] if use_time else []) + argv
        with open(errfile, "wb") as err:
            t0 = time.perf_counter()
            try:
                p = subprocess.Popen(cmd, stdout=stdout, stderr=err, cwd=str(cwd))
            except OSError as e:
                return {"exit": 127, "wall_s": 0.0, "error": str(e)}
            peak_tree = 0
            timed_out = False
            rusage = None
            while True:
                if use_time:  # wake up as soon as the child exits, else every 0.2 s to sample PSS
                    try:
                        p.wait(timeout=0.2)
                        break
                    except subprocess.TimeoutExpired:
                        pass
                else:
                    wpid, status, ru = os.wait4(p.pid, os.WNOHANG)
                    if wpid:
                        p.returncode = os.waitstatus_to_exitcode(status)
                        rusage = ru
                        break
                    time.sleep(0.005)
                if time.perf_counter() - t0 > timeout:
                    for c in descendants(p.pid):
                        with contextlib.suppress(OSError):
                            os.kill(c, 9)
                    p.kill()
                    p.wait()
                    timed_out = True
                    break
                if use_time:
                    peak_tree = max(peak_tree, tree_pss_kb(p.pid))
            wall = time.perf_counter() - t0
        r: dict = {"wall_s": round(wall, 3), "exit": p.returncode, "tree_pss_kb": peak_tree}
        if use_time and os.path.exists(tfile):
            with open(tfile, errors="replace") as f:
                r.update(parse_time_v(f.read()))
        elif rusage is not None:
            r["maxrss_kb"] = rusage.ru_maxrss
            r["user_s"], r["sys_s"] = rusage.ru_utime, rusage.ru_stime
        if timed_out:
            r["exit"] = -9
            r["error"] = f"timed out after {timeout:.0f} s"
        with open(errfile, "rb") as f:
            f.seek(max(0, os.path.getsize(errfile) - 8000))
            r["stderr_tail"] = f.read().decode(errors="replace")
    return r


def last_error_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    noise = ("Running as user", "This could be dangerous", "Command exited with non-zero status")
    lines = [ln for ln in lines if not any(x in ln for x in noise)]
    return lines[-1][:300] if lines else "(no stderr)"


# ---------------------------------------------------------------- tools
def setup_reason(tool: str) -> str | None:
    try:
        for line in (OUT / "tools-status.txt").read_text().splitlines():
            name, _, reason = line.partition("\t")
            if name == tool and reason:
                return reason
    except OSError:
        pass
    return None


def version_of(argv: list[str]) -> str:
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        for line in (p.stdout + p.stderr).splitlines():
            if line.strip() and "Running as user" not in line:
                return line.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return "?"


def find_analyze() -> str | None:
    for cand in (Path(sys.executable).parent / "analyze", ROOT / ".venv" / "bin" / "analyze"):
        if cand.exists():
            return str(cand)
    return shutil.which("analyze")


def plan_tools(big: Path, small: Path, skip: set[str]) -> list[dict]:
    """Each entry: name, argv (or None + reason), file, packets-source, how pps is computed."""
    tools = []
    for name in TOOLS:
        t: dict = {"name": name, "status": "ok", "reason": None}
        if name in skip:
            t.update(status="skipped", reason="--skip")
        elif name == "analyze":
            exe = find_analyze()
            if exe is None:
                t.update(status="not installed", reason="no .venv/bin/analyze (pip install -e .)")
            else:
                t.update(
                    argv=[exe, "pcap", str(big), "--json", "/dev/null"],
                    file=big,
                    version=version_of([exe, "--version"]),
                )
        elif name == "tshark":
            exe = shutil.which("tshark")
            if exe is None:
                t.update(
                    status="not installed",
                    reason=setup_reason(name)
                    or "tshark not in PATH; run bench/setup-tools.sh as root",
                )
            else:
                t.update(
                    argv=[exe, "-r", str(big), *TSHARK_FIELDS],
                    file=big,
                    version=version_of([exe, "--version"]),
                )
        elif name == "suricata":
            exe = shutil.which("suricata") or next(
                (p for p in ("/usr/bin/suricata", "/usr/sbin/suricata") if os.access(p, os.X_OK)),
                None,
            )
            if exe is None:
                t.update(
                    status="not installed",
                    reason=setup_reason(name)
                    or "suricata not in PATH; run bench/setup-tools.sh as root",
                )
            else:
                t.update(
                    argv=[exe, "-r", str(big), "-l", "{LOGDIR}"],
                    file=big,
                    version=version_of([exe, "-V"]),
                )
        elif name == "scapy":
            p = subprocess.run(
                [sys.executable, "-c", "import scapy; print(scapy.VERSION)"],
                capture_output=True,
                text=True,
            )
            if p.returncode != 0:
                t.update(status="not installed", reason=f"scapy not importable by {sys.executable}")
            else:
                t.update(
                    argv=[sys.executable, "-c", SCAPY_SNIPPET, str(small)],
                    file=small,
                    version="scapy " + p.stdout.strip(),
                )
        tools.append(t)
    return tools


def run_tool(t: dict, packets: int, timeout: float) -> dict:
    argv = list(t["argv"])
    logdir = None
    if "{LOGDIR}" in argv:
        logdir = tempfile.mkdtemp(prefix="bench-suricata-")
        argv = [logdir if a == "{LOGDIR}" else a for a in argv]
    out = ""
    if t["name"] in ("scapy", "suricata"):  # small stdout, parsed below
        with tempfile.TemporaryFile() as so:
            r = run_measured(argv, timeout, stdout=so)
            so.seek(max(0, so.tell() - 100_000))
            out = so.read().decode(errors="replace")
        inner = [ln for ln in out.splitlines() if ln.startswith("{")]
        if inner:
            with contextlib.suppress(ValueError):
                r["inner"] = json.loads(inner[-1])
    else:
        r = run_measured(argv, timeout)
    r["loadavg_1m"] = round(os.getloadavg()[0], 2)
    r["packets"] = packets
    if logdir:
        r["log_mb"] = round(
            sum(f.stat().st_size for f in Path(logdir).iterdir() if f.is_file()) / 1e6, 1
        )
        # suricata's own packet count, as a cross-check ("pcap: read 1 file, N packets, B bytes")
        for line in (out + "\n" + r.get("stderr_tail", "")).splitlines():
            if "read" in line and "packets," in line:
                with contextlib.suppress(ValueError, IndexError):
                    r["tool_packets"] = int(line.split("file")[1].split("packets")[0].strip(" s,"))
        shutil.rmtree(logdir, ignore_errors=True)
    ok = r.get("exit") == 0 and "signal" not in r
    if t["name"] == "scapy" and ok:
        inner = r.get("inner")
        if not inner or inner.get("packets") != packets:
            ok = False
            got = inner and inner.get("packets")
            r["error"] = f"scapy helper read {got} packets, expected {packets}"
    r["ok"] = ok
    if not ok and "error" not in r:
        r["error"] = last_error_line(r.get("stderr_tail", ""))
    if ok:
        r.pop("stderr_tail", None)
    else:
        r["stderr_tail"] = r.get("stderr_tail", "")[-1500:]
    return r


def summarize(t: dict) -> None:
    runs = [r for r in t.get("runs", []) if r["ok"]]
    if not t.get("runs"):
        return
    if not runs:
        t["status"] = "failed"
        t["reason"] = t["runs"][-1].get("error", "?")
        return
    n = runs[0]["packets"]
    wall = statistics.median(r["wall_s"] for r in runs)
    if t["name"] == "scapy":  # loop time only (interpreter start + scapy import excluded)
        loop = statistics.median(r["inner"]["loop_s"] for r in runs)
        pps = n / loop
        t["loop_s"] = round(loop, 3)
        t["note"] = (
            f"read-loop time, first {human_n(n)} packets (1M would take ~{1e6 / pps / 60:.0f} min)"
        )
    else:
        pps = n / wall
        t["note"] = "wall time incl. startup"
        if t["name"] == "suricata":
            tp = runs[0].get("tool_packets")
            t["note"] += ", default config, no rules, eve {} MB".format(runs[0].get("log_mb", "?"))
            if tp is not None and tp != n:
                t["note"] += f", WARNING: suricata read {tp} packets"
    rss = statistics.median(max(r.get("maxrss_kb", 0), r.get("tree_pss_kb", 0)) for r in runs)
    t.update(
        packets=n,
        wall_s=round(wall, 3),
        pps=round(pps),
        peak_rss_mb=round(rss / 1024, 1),
        cpu_s=round(statistics.median(r.get("user_s", 0) + r.get("sys_s", 0) for r in runs), 2),
        reps_ok=len(runs),
    )


# ---------------------------------------------------------------- main
def main() -> int:
    ap = argparse.ArgumentParser(description="analyze vs tshark / suricata / scapy benchmark")
    ap.add_argument(
        "--packets",
        type=int,
        default=1_000_000,
        help="packets in the benchmark capture (default 1M)",
    )
    ap.add_argument(
        "--reps", type=int, default=1, help="repetitions per tool, interleaved; medians reported"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=TOOLS,
        metavar="TOOL",
        help="skip a tool (repeatable): " + ", ".join(TOOLS),
    )
    ap.add_argument(
        "--timeout", type=float, default=1800, help="seconds per tool run (default 1800)"
    )
    a = ap.parse_args()
    if a.packets < 1 or a.reps < 1:
        ap.error("--packets and --reps must be >= 1")

    DATA.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    big = DATA / (f"bench-{human_n(a.packets)}.pcap")
    t0 = time.perf_counter()
    meta = gen_bench.generate(str(big), a.packets, a.seed)
    small_n = min(SLICE, a.packets)
    small = DATA / (f"bench-{human_n(small_n)}.pcap")
    if small != big:
        small_n = slice_pcap(big, small, small_n)
    prep_s = time.perf_counter() - t0
    with open(big, "rb") as f:  # warm the page cache so no tool pays for the first read
        while f.read(1 << 24):
            pass

    tools = plan_tools(big, small, set(a.skip))
    for t in tools:
        t["runs"] = []
    load0 = os.getloadavg()[0]
    print(
        f"bench: {big.relative_to(ROOT)} ({a.packets} packets, {big.stat().st_size / 1e6:.1f} MB), "
        f"{a.reps} rep(s); cpus={os.cpu_count()}, loadavg {load0:.2f}",
        flush=True,
    )
    if load0 > 1.0:
        print(
            f"bench: note: the machine is already busy (loadavg {load0:.2f}); figures will be noisy"
        )
    for rep in range(1, a.reps + 1):
        for t in tools:
            if t["status"] != "ok":
                continue
            n = a.packets if t["file"] == big else small_n
            print(f"  rep {rep}/{a.reps} {t['name']:<9} ...", end="", flush=True)
            r = run_tool(t, n, a.timeout)
            t["runs"].append(r)
            print(
                " {:.1f} s, {:.0f} MB{}".format(
                    r["wall_s"],
                    max(r.get("maxrss_kb", 0), r.get("tree_pss_kb", 0)) / 1024,
                    "" if r["ok"] else "  FAILED: " + r.get("error", "?"),
                ),
                flush=True,
            )
    for t in tools:
        summarize(t)

    # ---- report
    print()
    hdr = f"{'tool':<9} {'packets':>10} {'wall s':>9} {'packets/s':>11} {'peak RSS MB':>12}  note"
    print(hdr)
    print("-" * len(hdr))
    for t in tools:
        if "pps" in t:
            print(
                f"{t['name']:<9} {t['packets']:>10,} {t['wall_s']:>9.2f} {t['pps']:>11,} "
                f"{t['peak_rss_mb']:>12.0f}  {t['note']}"
            )
    for t in tools:
        if "pps" not in t:
            print(f"{t['name']}: {t['status']} ({t['reason']})")
    print()
    an = next(t for t in tools if t["name"] == "analyze")
    ratios = {}
    for t in tools:
        if t["name"] != "analyze" and "pps" in t and "pps" in an:
            x = an["pps"] / t["pps"]
            ratios[t["name"]] = round(x, 2)
            print(
                f"analyze is {x:.1f}x {t['name']} (packets/s)"
                if x < 100
                else f"analyze is {x:.0f}x {t['name']} (packets/s)"
            )
    if "pps" not in an:
        print(f"ratios: n/a (analyze {an['status']})")
    if "pps" in an:
        ok_pps = an["pps"] >= TARGET_PPS
        ok_rss = an["peak_rss_mb"] < TARGET_RSS_MB
        targets = {
            "throughput": {"value": an["pps"], "target": f">= {TARGET_PPS}", "pass": ok_pps},
            "peak_rss_mb": {
                "value": an["peak_rss_mb"],
                "target": f"< {TARGET_RSS_MB}",
                "pass": ok_rss,
            },
        }
        print(
            f"{'PASS' if ok_pps else 'MISS'} analyze throughput: {an['pps']:,} packets/s "
            f"(target >= {TARGET_PPS:,})"
        )
        print(
            f"{'PASS' if ok_rss else 'MISS'} analyze peak RSS: {an['peak_rss_mb']:.0f} MB "
            f"(target < {TARGET_RSS_MB} MB)"
        )
    else:
        why = {"pass": False, "reason": f"analyze {an['status']}: {an['reason']}"}
        targets = {"throughput": why, "peak_rss_mb": why}
        print(f"MISS analyze throughput: not measured (analyze {an['status']}: {an['reason']})")
        print("MISS analyze peak RSS: not measured")

    res = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "host": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpu": cpu_model(),
            "loadavg_start": round(load0, 2),
        },
        "capture": {
            "file": str(big.relative_to(ROOT)),
            "packets": a.packets,
            "bytes": big.stat().st_size,
            "seed": a.seed,
            "generator": meta.get("generator"),
            "stats": meta.get("stats"),
            "slice": {"file": str(small.relative_to(ROOT)), "packets": small_n},
            "prep_s": round(prep_s, 1),
        },
        "reps": a.reps,
        "tools": {
            t["name"]: {
                k: (str(v) if isinstance(v, Path) else v)
                for k, v in t.items()
                if k not in ("name",)
            }
            for t in tools
        },
        "ratios_analyze_over": ratios,
        "targets": targets,
    }
    (OUT / "results.json").write_text(json.dumps(res, indent=1) + "\n")
    print(f"\nresults: {(OUT / 'results.json').relative_to(ROOT)}")
    return 0


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


if __name__ == "__main__":
    sys.exit(main())
