"""Capture transformations that must not change what the analysis concludes.

Each crafted scenario is one shape of a mechanism; the same mechanism in another shape must
give the same findings. These helpers rewrite a capture's packets at the byte level (no
dissect/rebuild round trip) into another link type, another time, other TTLs, or mixed
with another capture's traffic, and write a classic pcap with nanosecond time stamps.

Supported input link types: Ethernet (1, with 802.1Q tags), raw IP (101, 228, 229), Linux
SLL (113) and SLL2 (276): the ones the scenarios use.
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from analyzer.anomalies import AnomalyLog
from analyzer.capture import read_capture
from analyzer.report.anonymize import _delta, _fix  # RFC 1624 incremental checksums

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "captures"))
import generate as _GENERATE  # captures/generate.py: Rec and the pcap writer

#: link type -> bytes before the IP header (Ethernet: more with VLAN tags, see _ip_offset)
_LINK_HEADER = {1: 14, 101: 0, 228: 0, 229: 0, 113: 16, 276: 20}
RAW = 101
SLL2 = 276
ETHERNET = 1


@dataclass(frozen=True)
class Packet:
    ts: float
    ip: bytes       # from the IP header on
    wirelen: int    # on the wire, minus the link header


def read_ip_packets(path: str | Path) -> list[Packet]:
    """The IP packets of a capture, without their link layer (non-IP frames are dropped)."""
    _info, batches = read_capture(str(path), AnomalyLog())
    out: list[Packet] = []
    for buf, recs in batches:
        for off, caplen, wirelen, ts, lt in recs:
            frame = bytes(buf[off:off + caplen])
            p = _ip_offset(frame, lt)
            if p is None or p >= len(frame) or frame[p] >> 4 not in (4, 6):
                continue
            out.append(Packet(ts, frame[p:], wirelen - p))
    return out


def _ip_offset(frame: bytes, lt: int) -> int | None:
    if lt not in _LINK_HEADER:
        raise ValueError(f"link type {lt} not supported by the transformations")
    if lt != ETHERNET:
        return _LINK_HEADER[lt]
    p, et = 14, int.from_bytes(frame[12:14], "big")
    while et in (0x8100, 0x88A8) and p + 4 <= len(frame):
        et = int.from_bytes(frame[p + 2:p + 4], "big")
        p += 4
    return p if et in (0x0800, 0x86DD) else None


def shift_ttl(pkts: list[Packet], delta: int) -> list[Packet]:
    """Every packet's TTL / hop limit moved by ``delta`` (kept within 1..255); the IPv4 header
    checksum is adjusted incrementally (valid stays valid, wrong stays wrong by as much)."""
    out = []
    for pk in pkts:
        b = bytearray(pk.ip)
        if b[0] >> 4 == 4 and len(b) >= 20:
            old = bytes(b[8:10])
            b[8] = min(255, max(1, b[8] + delta))
            _fix(b, 10, _delta(old, b[8:10]))
        elif b[0] >> 4 == 6 and len(b) >= 40:
            b[7] = min(255, max(1, b[7] + delta))
        out.append(replace(pk, ip=bytes(b)))
    return out


def move_tcp_ports(pkts: list[Packet], moves: dict[int, int]) -> list[Packet]:
    """TCP ports renumbered (e.g. 443 -> 8443) in both directions; the TCP checksum is
    adjusted incrementally (valid stays valid, wrong stays wrong by the same amount).
    Fragments and packets whose TCP header is cut are left as they are."""
    out = []
    for pk in pkts:
        b = bytearray(pk.ip)
        v = b[0] >> 4
        if v == 4:
            t, proto = (b[0] & 15) * 4, b[9]
            whole = not (((b[6] << 8) | b[7]) & 0x3FFF)
        else:
            t, proto, whole = 40, b[6], True
        if proto == 6 and whole and len(b) >= t + 18:
            ports = bytes(b[t:t + 4])
            for at in (t, t + 2):
                new = moves.get((b[at] << 8) | b[at + 1])
                if new is not None:
                    b[at:at + 2] = new.to_bytes(2, "big")
            _fix(b, t + 16, _delta(ports, b[t:t + 4]))
        out.append(replace(pk, ip=bytes(b)))
    return out


def v6_address(a: bytes) -> bytes:
    """IPv4 -> IPv6 as a NAT64 would show it: private addresses into a ULA prefix, the others
    under the well-known prefix 64:ff9b::/96 (RFC 6052)."""
    private = a[0] == 10 or a[:2] == b"\xc0\xa8" or (a[0] == 172 and 16 <= a[1] < 32)
    prefix = bytes.fromhex("fd00000000000000000000000000") if private else \
        bytes.fromhex("0064ff9b0000000000000000")
    return prefix.ljust(12, b"\0")[:12] + a


def to_ipv6(pkts: list[Packet]) -> list[Packet]:
    """IPv4 TCP and UDP packets rewritten as IPv6 (TTL -> hop limit, addresses by
    :func:`v6_address`, TCP/UDP checksums adjusted incrementally (valid stays valid, wrong
    stays wrong by as much: the pseudo-header changes only in its addresses); fragments and
    other protocols are dropped. IPv6 packets stay."""
    out = []
    for pk in pkts:
        b = pk.ip
        if b[0] >> 4 == 6:
            out.append(pk)
            continue
        ihl, proto = (b[0] & 15) * 4, b[9]
        if proto not in (6, 17) or ((b[6] << 8) | b[7]) & 0x3FFF:
            continue
        tlen = (b[2] << 8) | b[3]
        seg = b[ihl:tlen] if ihl <= tlen <= len(b) else b[ihl:]
        at = 16 if proto == 6 else 6
        if len(seg) < at + 2:
            continue
        src6, dst6 = v6_address(b[12:16]), v6_address(b[16:20])
        seg = bytearray(seg)
        _fix(seg, at, _delta(b[12:20], src6 + dst6), udp=proto == 17)
        head = struct.pack(">IHBB", 6 << 28, len(seg), proto, b[8]) + src6 + dst6
        cut = tlen > len(b)  # cut by the snap length: the wire length says how much
        wire = pk.wirelen - ihl + 40 if cut else 40 + len(seg)
        out.append(replace(pk, ip=head + bytes(seg), wirelen=wire))
    return out


def shift_time(pkts: list[Packet], seconds: float) -> list[Packet]:
    return [replace(pk, ts=pk.ts + seconds) for pk in pkts]


def mix(a: list[Packet], b: list[Packet]) -> list[Packet]:
    """Both captures' packets in one, ordered by time (``a`` first on equal times)."""
    return sorted(a + b, key=lambda pk: pk.ts)


def endpoints(pkts: list[Packet]) -> set[bytes]:
    out = set()
    for pk in pkts:
        if pk.ip[0] >> 4 == 4:
            out |= {pk.ip[12:16], pk.ip[16:20]}
        else:
            out |= {pk.ip[8:24], pk.ip[24:40]}
    return out


def _link_header(ip: bytes, linktype: int, vlan: int) -> bytes:
    ethertype = 0x0800 if ip[0] >> 4 == 4 else 0x86DD
    if linktype == RAW:
        return b""
    if linktype == SLL2:
        # protocol, reserved, interface index, ARPHRD_ETHER, packet type (host), address
        return struct.pack(">HHIHBB8s", ethertype, 0, 1, 1, 0, 6, b"\x02\0\0\0\0\x01\0\0")
    if linktype == ETHERNET:
        macs = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01"
        tag = struct.pack(">HH", 0x8100, vlan) if vlan else b""
        return macs + tag + ethertype.to_bytes(2, "big")
    raise ValueError(f"cannot write link type {linktype}")


def write_pcap(path: str | Path, pkts: list[Packet], linktype: int, vlan: int = 0) -> None:
    """A classic pcap with nanosecond time stamps, by the capture generator's writer."""
    recs = []
    for pk in pkts:
        data = _link_header(pk.ip, linktype, vlan) + pk.ip
        ns = round(pk.ts * 1e6) * 1000  # the inputs are microsecond captures or close
        recs.append(_GENERATE.Rec(ns, data, max(len(data), pk.wirelen + len(data)
                                                 - len(pk.ip))))
    Path(path).write_bytes(_GENERATE.pcap(recs, linktype, nano=True))
