"""``--evidence PATH.pcapng``: the packets the findings cite, each with a comment naming them.

The file holds exactly the frames cited by findings (observations are not claims, so their
frames stay out), in (input, frame) order, so a person can open the proof in Wireshark and
check every byte without the whole capture (which may hold unrelated private traffic).

It is written by hand with ``struct`` rather than with scapy's ``PcapNgWriter``: pcapng is
four small block types, and writing them directly gives exact control of what matters
here: one interface description block per (input, link type) actually used, so packets
of different inputs and link types sit side by side with their true link type; any number
of ``opt_comment`` options per packet (one per finding that cites it: Wireshark shows each);
the captured and original lengths exactly as read; and no dissect/rebuild round trip that
could alter a forged packet's bytes.

Layout (little-endian, one section): SHB with ``shb_userappl`` "analyzer <version>"; per
(input, link type) an IDB (snaplen 262144, ``if_name`` the input's file name,
``if_description`` saying which input it is); per packet an EPB with ``opt_comment`` like
``F2 rst-injection www.clubhouse.com (rst-injection/ttl-mismatch-after-trigger): frame 42 of
demo-clubhouse-2021.pcapng``. Only the file's base name is written, never a path.

Time stamps use the default microsecond resolution (no ``if_tsresol``): the analysis
carries time as float seconds since the epoch, which holds microseconds exactly but not
nanoseconds, so writing nanoseconds would invent digits. Raw-IP link types 12 and 14 are
written as 101 (LINKTYPE_RAW, the same bytes), the number pcapng readers agree on.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Any

from ..capture import MAX_RECORD, linktype_name
from ..errors import AnalyzerError
from ..model import Analysis
from .packets import PacketSet, PacketView

SHB, IDB, EPB = 0x0A0D0D0A, 0x00000001, 0x00000006
BYTE_ORDER_MAGIC = 0x1A2B3C4D
OPT_END, OPT_COMMENT = 0, 1
SHB_USERAPPL = 4
IF_NAME, IF_DESCRIPTION = 2, 3
SNAPLEN = MAX_RECORD
#: Longest comment text written (a finding's domain comes from captured bytes).
MAX_COMMENT = 1000
_LINKTYPE_OUT = {12: 101, 14: 101}


def _option(code: int, value: bytes) -> bytes:
    pad = -len(value) % 4
    return struct.pack("<HH", code, len(value)) + value + b"\0" * pad


def _options(opts: list[tuple[int, bytes]]) -> bytes:
    if not opts:
        return b""
    return b"".join(_option(c, v) for c, v in opts) + struct.pack("<HH", OPT_END, 0)


def _block(btype: int, body: bytes) -> bytes:
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


def _text(s: str, limit: int = MAX_COMMENT) -> bytes:
    """UTF-8 option text: control characters dropped, bounded (pcapng lengths are 16-bit)."""
    clean = "".join(c if c >= " " and c != "\x7f" else " " for c in s)
    return clean.encode("utf-8", "replace")[:limit].decode("utf-8", "ignore").encode()


def shb(version: str) -> bytes:
    body = struct.pack("<IHHq", BYTE_ORDER_MAGIC, 1, 0, -1)
    return _block(SHB, body + _options([(SHB_USERAPPL, _text(f"analyzer {version}"))]))


def idb(linktype: int, name: str, description: str) -> bytes:
    body = struct.pack("<HHI", linktype, 0, SNAPLEN)
    return _block(IDB, body + _options([(IF_NAME, _text(name)),
                                        (IF_DESCRIPTION, _text(description))]))


def epb(interface: int, ts: float, data: bytes, wirelen: int, comments: list[str]) -> bytes:
    us = max(0, round(ts * 1_000_000))
    caplen = len(data)
    body = struct.pack("<IIIII", interface, (us >> 32) & 0xFFFFFFFF, us & 0xFFFFFFFF, caplen,
                       max(wirelen, caplen))
    body += data + b"\0" * (-caplen % 4)
    return _block(EPB, body + _options([(OPT_COMMENT, _text(c)) for c in comments]))


def comment(finding: dict[str, Any], frame: int, file_name: str) -> str:
    """``F2 rst-injection www.x.com (rule): frame 42 of capture.pcapng``."""
    tgt = finding.get("target") if isinstance(finding.get("target"), dict) else {}
    what = (tgt or {}).get("domain") or (tgt or {}).get("ip") or "-"
    return (f"{finding.get('id', '?')} {finding.get('mechanism', '?')} {what} "
            f"({finding.get('rule', '?')}): frame {frame} of {file_name}")


def write_evidence(analysis: Analysis, packets: PacketSet, path: str | Path) -> int:
    """Write the packets cited by the findings to ``path`` as pcapng; returns how many.

    Raises :class:`AnalyzerError` (one line) when a cited input's packets are unavailable,
    a cited frame was not read, or the file cannot be written.
    """
    names = {s.index: os.path.basename(s.path) if s.path != "-" else "standard input"
             for s in analysis.inputs}
    cites: dict[tuple[int, int], list[str]] = {}
    for f in analysis.findings:
        inp = f.get("input")
        if not isinstance(inp, int):
            continue
        for fr in f.get("frames") or ():
            if isinstance(fr, int):
                texts = cites.setdefault((inp, fr), [])
                text = comment(f, fr, names.get(inp, f"input {inp}"))
                if text not in texts:
                    texts.append(text)
    views: list[tuple[PacketView, list[str]]] = []
    for key in sorted(cites):
        inp, fr = key
        name = names.get(inp, f"input {inp}")
        if inp in packets.unavailable:
            raise AnalyzerError(f"--evidence: the packets of input {inp} ({name}) are "
                                f"unavailable: {packets.unavailable[inp]}")
        v = packets.frames.get(key)
        if v is None:
            raise AnalyzerError(f"--evidence: frame {fr} of input {inp} ({name}) was not "
                                "read (not a packet, or not requested)")
        views.append((v, cites[key]))

    out = [shb(analysis.tool_version)]
    ifaces: dict[tuple[int, int], int] = {}
    for v, texts in views:
        lt = _LINKTYPE_OUT.get(v.linktype, v.linktype)
        iface = ifaces.get((v.input, lt))
        if iface is None:
            if not 0 <= lt <= 0xFFFF:
                raise AnalyzerError(f"--evidence: frame {v.frame} of input {v.input} has no "
                                    "link type a pcapng file can carry")
            iface = ifaces[(v.input, lt)] = len(ifaces)
            name = names.get(v.input, f"input {v.input}")
            out.append(idb(lt, name, f"input {v.input}: {name} ({linktype_name(v.linktype)})"))
        out.append(epb(iface, v.ts, v.data, v.wirelen, texts))
    try:
        with open(path, "wb") as fh:
            fh.write(b"".join(out))
    except OSError as e:
        raise AnalyzerError(f"--evidence: cannot write {path}: {e.strerror or e}") from None
    return len(views)
