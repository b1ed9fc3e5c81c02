"""Agreement with Wireshark (tshark) on every capture in ``captures/`` and in the real-world
set ``../shared/realworld``: the frame count, each frame's number <-> time stamp (to 1 µs),
and for every packet the decoder hands to the flow table, the IP source / destination /
TTL (hop limit), ports and TCP flags; then the number of TCP conversations
(``tshark -q -z conv,tcp``).

Deliberate differences, each handled below where it applies:

* A pcapng simple packet block has no time stamp: tshark prints none; such frames are not
  compared on time.
* tshark stops at a damaged block and exits non-zero ("appears to be damaged or
  corrupt"); then only the frames it printed are compared, and we must read at least as
  many.
* ``malformed-headers.pcap``: tshark's conversation table leaves out the SYN whose data
  offset (60) runs past the segment; the analyzer keeps a flow for it (and names the
  anomaly ``tcp_bad_data_offset``).
"""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from analyzer.anomalies import AnomalyLog
from analyzer.capture import read_capture
from analyzer.decode import Decoder
from analyzer.flows import FlowTable, fmt_ip

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "captures"
REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"
TSHARK = shutil.which("tshark")

pytestmark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed "
                                "(Debian: apt-get install tshark); nothing to compare with")

FIELDS = ("frame.number", "frame.time_epoch", "ip.src", "ip.dst", "ip.ttl", "ipv6.src",
          "ipv6.dst", "ipv6.hlim", "tcp.srcport", "tcp.dstport", "tcp.flags", "udp.srcport",
          "udp.dstport", "icmp.type", "icmpv6.type")
#: file name -> (tshark conversations, ours): deliberate differences (see module docstring)
CONV_DIFFERENCES = {"malformed-headers.pcap": (0, 1)}


def ours() -> list[Path]:
    return sorted(p for p in CAPTURES.iterdir() if p.name.endswith((".pcap", ".pcapng", ".gz")))


def realworld() -> list[Path]:
    if not REALWORLD.is_dir():
        return []
    return sorted(p for p in REALWORLD.rglob("*") if p.name.endswith((".pcap", ".pcapng")))


FILES = ours() + realworld()


def _id(p: Path) -> str:
    return p.name if p.parent == CAPTURES else "realworld/" + str(p.relative_to(REALWORLD))


def test_realworld_captures_present():
    if not REALWORLD.is_dir():
        pytest.skip(f"{REALWORLD} is absent: only the crafted captures are compared")
    assert len(realworld()) >= 20


# ------------------------------------------------------------------------------ tshark side


def _tshark(path: Path) -> dict[str, object]:
    cmd = [TSHARK or "tshark", "-n", "-r", str(path), "-T", "fields", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    fields = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    conv = subprocess.run([TSHARK or "tshark", "-n", "-r", str(path), "-q", "-z", "conv,tcp"],
                          capture_output=True, text=True, timeout=120)
    rows = [dict(zip(FIELDS, line.split("\t"), strict=True))
            for line in fields.stdout.splitlines()]
    return {"rows": rows, "rc": fields.returncode, "stderr": fields.stderr,
            "conversations": sum("<->" in line for line in conv.stdout.splitlines())}


@pytest.fixture(scope="session")
def tshark_out() -> dict[Path, dict[str, object]]:
    """tshark's view of every file, computed once, in parallel."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(FILES, pool.map(_tshark, FILES), strict=True))


# ------------------------------------------------------------------------------ our side


class _Spy(FlowTable):
    """A flow table that also notes what the decoder handed it for each frame."""

    def __init__(self) -> None:
        self.seen: dict[int, tuple[object, ...]] = {}
        self.tcp_flows = 0
        super().__init__(self._sink, AnomalyLog())

    def _sink(self, fl) -> None:
        self.tcp_flows += fl.proto == 6

    def tcp(self, frame, ts, buf, t, end, src, dst, ttl, ipid, df, iplen):  # type: ignore[override]
        if t + 20 <= end:
            self.seen.setdefault(frame, ("tcp", fmt_ip(src), fmt_ip(dst), ttl,
                                         (buf[t] << 8) | buf[t + 1],
                                         (buf[t + 2] << 8) | buf[t + 3], buf[t + 13]))
        return super().tcp(frame, ts, buf, t, end, src, dst, ttl, ipid, df, iplen)

    def udp(self, frame, ts, buf, u, end, src, dst, ttl, ipid, df, iplen):  # type: ignore[override]
        if u + 8 <= end:
            self.seen.setdefault(frame, ("udp", fmt_ip(src), fmt_ip(dst), ttl,
                                         (buf[u] << 8) | buf[u + 1],
                                         (buf[u + 2] << 8) | buf[u + 3], None))
        return super().udp(frame, ts, buf, u, end, src, dst, ttl, ipid, df, iplen)


def _ours(path: Path) -> tuple[list[float], _Spy]:
    log = AnomalyLog()
    _info, batches = read_capture(str(path), log)
    times: list[float] = []

    def counted():
        for buf, recs in batches:
            times.extend(r[3] for r in recs)
            yield buf, recs

    spy = _Spy()
    dec = Decoder(spy, log)
    dec.run(counted())
    dec.close()
    spy.close()
    return times, spy


# ------------------------------------------------------------------------------ the checks


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_frames_and_timestamps(tshark_out, path):
    t = tshark_out[path]
    rows = t["rows"]
    times, _spy = _ours(path)
    if t["rc"] != 0:
        # tshark refused part of the file: it printed what precedes the damage
        assert "damaged" in t["stderr"] or "cut short" in t["stderr"], t["stderr"]
        assert len(times) >= len(rows)
    else:
        assert len(times) == len(rows), "frame count differs from tshark"
    assert [int(r["frame.number"]) for r in rows] == list(range(1, len(rows) + 1))
    off = [(int(r["frame.number"]), float(r["frame.time_epoch"]), times[i])
           for i, r in enumerate(rows)
           if r["frame.time_epoch"] and abs(float(r["frame.time_epoch"]) - times[i]) > 1e-6]
    assert off == [], "(frame, tshark time, our time) differ by more than 1 µs"


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_per_frame_headers(tshark_out, path):
    t = tshark_out[path]
    rows = t["rows"]
    times, spy = _ours(path)
    if t["rc"] == 0:
        assert len(times) == len(rows), "frame count differs from tshark"
    problems = []
    for r in rows:
        n = int(r["frame.number"])
        got = spy.seen.get(n)
        in_icmp = bool(r["icmp.type"] or r["icmpv6.type"])  # ports there are quoted ones
        if got is None:
            if (r["tcp.srcport"] or r["udp.srcport"]) and not in_icmp:
                problems.append((n, "tshark decodes a TCP/UDP header the analyzer missed"))
            continue
        ip = (r["ip.src"], r["ip.dst"], r["ip.ttl"]) if r["ip.ttl"] else (
            r["ipv6.src"], r["ipv6.dst"], r["ipv6.hlim"])
        if got[0] == "tcp":
            want = ("tcp", ip[0], ip[1], int(ip[2] or -1), int(r["tcp.srcport"] or -1),
                    int(r["tcp.dstport"] or -1), int(r["tcp.flags"] or "0", 16) & 0xFF)
        else:
            want = ("udp", ip[0], ip[1], int(ip[2] or -1), int(r["udp.srcport"] or -1),
                    int(r["udp.dstport"] or -1), None)
        if want != got:
            problems.append((n, f"tshark {want} analyzer {got}"))
    assert problems == []


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_tcp_conversation_count(tshark_out, path):
    _times, spy = _ours(path)
    theirs = tshark_out[path]["conversations"]
    if path.name in CONV_DIFFERENCES and path.parent == CAPTURES:
        assert (theirs, spy.tcp_flows) == CONV_DIFFERENCES[path.name]
    else:
        assert spy.tcp_flows == theirs


#: Scenarios whose server retransmits data the client had acknowledged (the evidence of
#: ``tcp.drop``), and look-alikes where it does not or only once.
SPURIOUS = ["blackhole-protocol-filter-iran", "blackhole-tls-after-server-hello",
            "benign-uplink-outage", "benign-lossy-uplink-recovers", "benign-retransmissions-lossy"]


@pytest.mark.parametrize("name", SPURIOUS)
def test_spurious_retransmissions_agree(name: str) -> None:
    """The flow fact ``Flow.spurious`` (the responder's retransmissions of data the
    originator had already acknowledged) counts and starts where Wireshark's
    ``tcp.analysis.spurious_retransmission`` marks the responder's packets."""
    from analyzer import analyze
    cap = next((ROOT / "tests" / "scenarios" / name).glob("capture.pcap*"))
    result = analyze(str(cap))
    ours: dict[tuple[str, int], list[int]] = {}
    for fl in result.flows:
        if fl.spurious is not None:
            ours[(fl.resp_ip, fl.pa)] = [fl.spurious[0], fl.spurious[1]]
    out = subprocess.run([TSHARK or "tshark", "-r", str(cap), "-Y",
                          "tcp.analysis.spurious_retransmission", "-T", "fields",
                          "-e", "frame.number", "-e", "ip.src", "-e", "ipv6.src",
                          "-e", "tcp.srcport", "-e", "tcp.dstport"],
                         capture_output=True, text=True, check=True).stdout
    theirs: dict[tuple[str, int], list[int]] = {}
    for line in out.splitlines():
        frame, src4, src6, sport, dport = line.split("\t")
        if int(sport) > int(dport):
            continue  # the client's own retransmissions: not what the fact counts
        got = theirs.setdefault((src4 or src6, int(dport)), [0, int(frame)])
        got[0] += 1
    assert ours == theirs
