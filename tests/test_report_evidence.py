"""analyzer.report.evidence: the ``--evidence`` pcapng of the packets findings cite.

Checked three ways: tshark reads the file and its packets' bytes equal the cited frames of
the original read by tshark; the project's own reader reads it back (count, bytes, time
stamps); and a block walker written here reads the comments and interfaces.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import analyzer
import pytest
from analyzer.anomalies import AnomalyLog
from analyzer.capture import read_capture
from analyzer.errors import AnalyzerError
from analyzer.model import Analysis
from analyzer.report.anonymize import Pseudonyms
from analyzer.report.evidence import write_evidence
from analyzer.report.packets import cited, read_packets

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "captures" / "demo-clubhouse-2021.pcapng"
SLL = ROOT / "tests" / "scenarios" / "rst-gfw-type3-host" / "capture.pcap"
RAW6 = ROOT / "tests" / "scenarios" / "rst-gfw-type2-sni-ipv6" / "capture.pcap"
TSHARK = shutil.which("tshark")
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed "
                                  "(Debian: apt-get install tshark); nothing to compare with")


def evidence(paths: list[Path], out: Path, anonymize: bool = False) -> tuple[Analysis, int]:
    a = analyzer.analyze([str(p) for p in paths])
    frames, flows = cited(a)
    ps = Pseudonyms.from_analysis(a) if anonymize else None
    n = write_evidence(a, read_packets(a, frames, flows, pseudonyms=ps), out)
    return a, n


def finding_frames(a: Analysis) -> list[tuple[int, int]]:
    return sorted({(f["input"], fr) for f in a.findings for fr in f["frames"]})


def raw_frames(path: Path) -> list[tuple[float, int, bytes, int]]:
    _info, batches = read_capture(str(path), AnomalyLog())
    return [(ts, lt, buf[o:o + c], w) for buf, recs in batches for o, c, w, ts, lt in recs]


def walk_pcapng(data: bytes) -> dict[str, Any]:
    """A minimal little-endian pcapng reader: the SHB options, the interfaces and, per
    packet, (interface, µs time stamp, bytes, original length, comments)."""
    def options(body: bytes) -> list[tuple[int, bytes]]:
        out, o = [], 0
        while o + 4 <= len(body):
            code, ln = struct.unpack_from("<HH", body, o)
            if code == 0:
                break
            out.append((code, body[o + 4:o + 4 + ln]))
            o += 4 + ln + (-ln % 4)
        return out

    res: dict[str, Any] = {"shb": [], "ifaces": [], "packets": []}
    o = 0
    while o < len(data):
        btype, total = struct.unpack_from("<II", data, o)
        assert struct.unpack_from("<I", data, o + total - 4)[0] == total
        body = data[o + 8:o + total - 4]
        if btype == 0x0A0D0D0A:
            magic, major, minor, _slen = struct.unpack_from("<IHHq", body)
            assert (magic, major, minor) == (0x1A2B3C4D, 1, 0)
            res["shb"] = options(body[16:])
        elif btype == 1:
            lt, _r, snap = struct.unpack_from("<HHI", body)
            res["ifaces"].append((lt, snap, options(body[8:])))
        elif btype == 6:
            iface, hi, lo, cap, orig = struct.unpack_from("<IIIII", body)
            pkt = body[20:20 + cap]
            opts = options(body[20 + cap + (-cap % 4):])
            res["packets"].append((iface, (hi << 32) | lo, pkt, orig,
                                   [v.decode() for c, v in opts if c == 1]))
        else:
            raise AssertionError(f"unexpected block {btype:#x}")
        o += total
    return res


def test_demo_evidence_pure_python(tmp_path: Path) -> None:
    out = tmp_path / "ev.pcapng"
    a, n = evidence([DEMO], out)
    cited_frames = finding_frames(a)
    # the ClientHellos (41, 48) drew the resets: the evidence carries them too
    assert [fr for _i, fr in cited_frames] == [35, 36, 37, 41, 42, 43, 44, 48, 49, 50, 51]
    assert n == len(cited_frames)
    orig = raw_frames(DEMO)
    back = raw_frames(out)
    assert len(back) == n
    for (ts, lt, data, wirelen), (_i, fr) in zip(back, cited_frames, strict=True):
        ots, olt, odata, owire = orig[fr - 1]
        assert (lt, data, wirelen) == (olt, odata, owire)
        assert round(ts * 1e6) == round(ots * 1e6)
    blocks = walk_pcapng(out.read_bytes())
    assert blocks["shb"] == [(4, f"analyzer {a.tool_version}".encode())]
    assert len(blocks["ifaces"]) == 1
    lt, snap, opts = blocks["ifaces"][0]
    assert (lt, snap) == (1, 262144)
    assert (2, b"demo-clubhouse-2021.pcapng") in opts
    by_id = {f["id"]: f for f in a.findings}
    for (_iface, _us, _pkt, _orig, comments), (_i, fr) in zip(blocks["packets"], cited_frames,
                                                             strict=True):
        assert comments, fr
        for c in comments:
            fid = c.split(" ", 1)[0]
            f = by_id[fid]
            assert fr in f["frames"]
            assert c == (f"{fid} {f['mechanism']} {f['target']['domain']} ({f['rule']}): "
                         f"frame {fr} of demo-clubhouse-2021.pcapng")
        assert str(ROOT) not in " ".join(comments)
    assert blocks["packets"][3][4] == [
        "F2 rst-injection www.clubhouse.com (rst-injection/ttl-mismatch-after-trigger): "
        "frame 41 of demo-clubhouse-2021.pcapng"]


def _tshark_raw(path: Path, frames: list[int] | None = None) -> list[dict[str, Any]]:
    cmd = [str(TSHARK), "-n", "-r", str(path), "-T", "json", "-x"]
    if frames is not None:
        cmd += ["-Y", "frame.number in {" + ",".join(map(str, frames)) + "}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = []
    for pkt in json.loads(out):
        layers = pkt["_source"]["layers"]
        frame = layers["frame"]
        comments = frame.get("frame.comment")
        if comments is None:  # tshark 4.x: comments under pkt_comment
            pc = layers.get("pkt_comment") or {}
            comments = pc.get("frame.comment")
        if isinstance(comments, str):
            comments = [comments]
        rows.append({"raw": layers["frame_raw"][0], "len": frame["frame.len"],
                     "time": frame["frame.time_epoch"], "comments": comments or [],
                     "encap": frame.get("frame.encap_type"),
                     "ttl": (layers.get("ip") or {}).get("ip.ttl")})
    return rows


@needs_tshark
def test_demo_evidence_read_by_tshark(tmp_path: Path) -> None:
    out = tmp_path / "ev.pcapng"
    a, n = evidence([DEMO], out)
    frames = [fr for _i, fr in finding_frames(a)]
    ours, theirs = _tshark_raw(out), _tshark_raw(DEMO, frames)
    assert len(ours) == len(theirs) == n == 11
    for mine, orig, fr in zip(ours, theirs, frames, strict=True):
        assert mine["raw"] == orig["raw"], fr
        assert (mine["len"], mine["ttl"]) == (orig["len"], orig["ttl"])
        assert mine["time"][:17] == orig["time"][:17]  # microseconds
        assert len(mine["comments"]) == 1
        assert mine["comments"][0].endswith(f": frame {fr} of demo-clubhouse-2021.pcapng")
    assert [r["comments"][0].split(" ")[0] for r in ours] == ["F1"] * 3 + ["F2"] * 8


@needs_tshark
def test_two_inputs_two_link_types(tmp_path: Path) -> None:
    out = tmp_path / "ev.pcapng"
    a, n = evidence([DEMO, SLL, RAW6], out)
    cited_frames = finding_frames(a)
    assert {i for i, _f in cited_frames} == {0, 1, 2}
    blocks = walk_pcapng(out.read_bytes())
    assert [(lt, next(v for c, v in opts if c == 2)) for lt, _s, opts in blocks["ifaces"]] == [
        (1, b"demo-clubhouse-2021.pcapng"), (113, b"capture.pcap"), (101, b"capture.pcap")]
    ifaces = [iface for iface, *_ in blocks["packets"]]
    assert ifaces == sorted(ifaces) and set(ifaces) == {0, 1, 2}
    originals = {0: raw_frames(DEMO), 1: raw_frames(SLL), 2: raw_frames(RAW6)}
    for (iface, _us, pkt, orig_len, comments), (i, fr) in zip(blocks["packets"], cited_frames,
                                                              strict=True):
        assert iface == i
        assert pkt == originals[i][fr - 1][2] and orig_len == originals[i][fr - 1][3]
        assert comments[0].endswith(f"frame {fr} of " + ("demo-clubhouse-2021.pcapng"
                                                         if i == 0 else "capture.pcap"))
    rows = _tshark_raw(out)
    assert len(rows) == n
    assert [r["encap"] for r in rows] == [{0: "1", 1: "25", 2: "7"}[i] for i, _f in cited_frames]
    sll_rows = [r for r, (i, _f) in zip(rows, cited_frames, strict=True) if i == 1]
    assert [r["raw"] for r in sll_rows] == [x["raw"] for x in _tshark_raw(
        SLL, [fr for i, fr in cited_frames if i == 1])]


def test_packet_cited_by_two_findings_gets_both_comments(tmp_path: Path) -> None:
    kr = ROOT / "tests" / "scenarios" / "http-injected-redirect-kr" / "capture.pcap"
    out = tmp_path / "ev.pcapng"
    a, _n = evidence([kr], out)
    both = [f["id"] for f in a.findings if 53 in f["frames"]]
    assert len(both) == 2
    blocks = walk_pcapng(out.read_bytes())
    frames = [fr for _i, fr in finding_frames(a)]
    comments = blocks["packets"][frames.index(53)][4]
    assert [c.split(" ")[0] for c in comments] == both
    assert all(c.endswith("frame 53 of capture.pcap") for c in comments)


def test_anonymized_evidence_has_no_client_address(tmp_path: Path) -> None:
    out = tmp_path / "ev.pcapng"
    _a, n = evidence([DEMO], out, anonymize=True)
    blocks = walk_pcapng(out.read_bytes())
    assert len(blocks["packets"]) == n
    for _iface, _us, pkt, _orig, _c in blocks["packets"]:
        assert bytes((192, 168, 1, 23)) not in pkt
        assert bytes((198, 18, 0, 1)) in pkt[26:34]
        assert pkt[:6] in (bytes.fromhex("020000000001"), bytes.fromhex("020000000002"))


def test_errors_are_one_line_analyzer_errors(tmp_path: Path) -> None:
    a = analyzer.analyze([str(DEMO)])
    frames, flows = cited(a)
    gone = read_packets(a, frames, flows, sources={0: str(tmp_path / "moved.pcapng")})
    with pytest.raises(AnalyzerError) as e:
        write_evidence(a, gone, tmp_path / "ev.pcapng")
    assert str(e.value) == ("--evidence: the packets of input 0 (demo-clubhouse-2021.pcapng) "
                            "are unavailable: file not found")
    assert not (tmp_path / "ev.pcapng").exists()
    # frames not read (the caller asked for observations only)
    partial = read_packets(a, {(0, 35)}, ())
    with pytest.raises(AnalyzerError, match="frame 36 of input 0"):
        write_evidence(a, partial, tmp_path / "ev.pcapng")
    full = read_packets(a, frames, flows)
    with pytest.raises(AnalyzerError, match="cannot write"):
        write_evidence(a, full, tmp_path / "no-such-dir" / "ev.pcapng")
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        with pytest.raises(AnalyzerError, match="cannot write"):
            write_evidence(a, full, ro / "ev.pcapng")
    for err in (e.value,):
        assert "\n" not in str(err)


def test_no_findings_writes_an_empty_but_valid_file(tmp_path: Path) -> None:
    a = analyzer.analyze([str(ROOT / "captures" / "tcp-handshake-data-fin.pcap")])
    assert a.findings == []
    out = tmp_path / "ev.pcapng"
    assert write_evidence(a, read_packets(a, *cited(a)), out) == 0
    blocks = walk_pcapng(out.read_bytes())
    assert blocks["packets"] == [] and blocks["ifaces"] == []
