"""Re-read the captured bytes of the packets a report shows.

The analysis keeps facts, not packet bytes (a million-packet capture would not fit). A report
needs the bytes and a one-line decode of two kinds of packets: every frame a finding or an
observation cites, and the packets of the flows the findings name (the ladder diagram). This
module reads the inputs a second time and picks those packets out.

* **The file must be the one analysed.** Frame numbers are only meaningful in the exact file
  the analysis read, so the size is compared before reading and the SHA-256 after (the
  reader hashes as it goes); a mismatch drops that input's packets and says why in
  :attr:`PacketSet.unavailable`. Standard input cannot be read twice: the CLI spools it to
  a file and passes that file in ``sources``.
* **Cheap selection.** Only the frames asked for are copied. A record is looked at as a
  possible flow packet only when its time stamp lies inside the time span of a requested
  flow of that input and its frame is not before the flow's first known frame; for those
  candidates a small struct-based decode extracts the 5-tuple (no scapy: on a 1M-packet
  capture scapy would take minutes). At most :data:`MAX_CANDIDATES` candidates are decoded
  per input; past that the flows keep what they have and :attr:`PacketSet.truncated` says so.
* **Which packets of a flow** (``per_flow_limit``, default 60): a flow with no more packets
  than the limit is shown whole. Of a longer one, in this order of priority: the cited
  frames (always, even past the limit); the first :data:`HEAD` packets (the handshake);
  the packets the analysis itself kept for the flow (SYN, SYN/ACK, FIN, RST, the first
  data segments, ICMP errors quoting the flow, found by frame number); :data:`BEFORE`
  packets before and :data:`AFTER` packets after each cited frame; then the packets after
  the first :data:`HEAD` until the limit is reached. Lower-priority ones are left out
  first, and :attr:`PacketSet.omitted` counts every packet of the flow not shown (a flow
  whose packets are all shown has no entry there).
* **Decoding** is a small bounds-checked struct decoder for the link types the analyzer
  itself decodes (Ethernet with VLAN tags and PPPoE, Linux SLL and SLL2, PPP, raw IP
  12/14/101/228/229, NULL and LOOP); for any other link type scapy's ``conf.l2types`` finds
  the IP header.
  Captured bytes are hostile: every read is bounds-checked and a damaged packet yields a
  view with what could be read and ``info`` saying "malformed".
"""

from __future__ import annotations

import os
import struct
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..anomalies import AnomalyLog
from ..capture import LT_RECORD, read_capture
from ..decode import PPP_LINKS, PPPOE_SESSION, ppp_link, pppoe_session
from ..errors import AnalyzerError
from ..flows import ICMP, ICMP6, TCP, UDP, Flow, fmt_ip
from ..model import Analysis, InputSummary
from ..protocols.icmp import UNREACH4, UNREACH6

if TYPE_CHECKING:
    from .anonymize import Pseudonyms

#: Candidate records (inside a requested flow's time span) decoded per input, at most.
MAX_CANDIDATES = 200_000
#: First packets of a flow always shown (the handshake and the first exchange).
HEAD = 10
#: Packets of the flow shown before and after each cited frame.
BEFORE = 2
AFTER = 4
#: Frames the analysis kept for one flow that are fetched by number, at most.
MAX_NOTABLE = 128
#: How much earlier than its flow's first packet an IP fragment may be (the analysis
#: dates a datagram by its last fragment; fragments older than 60 s are dropped there).
FRAGMENT_SLACK = 60.0
#: Later fragments held until their first fragment is met, at most.
MAX_PENDING_FRAGMENTS = 256
#: Longest captured string put into an ``info`` line.
INFO_CUT = 80

ETH_IP4, ETH_IP6, ETH_ARP = 0x0800, 0x86DD, 0x0806
VLAN_TYPES = frozenset((0x8100, 0x88A8, 0x9100, 0x9200))
RAW_LINKS = frozenset((12, 14, 101, 228, 229))
NULL_IP6 = frozenset((24, 28, 30))
IPV6_EXT = frozenset((0, 43, 44, 60, 51, 135, 139, 140))
DNS_PORTS = frozenset((53, 5353, 5355))
HTTP_METHODS = frozenset((b"GET", b"POST", b"HEAD", b"PUT", b"DELETE", b"OPTIONS", b"CONNECT",
                          b"PATCH", b"TRACE"))

Record = tuple[int, float, int, bytes, int]
"""(frame, ts, linktype, captured bytes, wire length)"""
FiveTuple = tuple[bytes, int, bytes, int, int]


@dataclass(frozen=True, slots=True)
class PacketView:
    """One captured packet: its bytes and the header fields a report shows."""

    input: int
    frame: int
    ts: float
    linktype: int
    data: bytes
    """Captured bytes (after anonymisation when pseudonyms were given)."""
    wirelen: int
    proto: str
    """"tcp", "udp", "icmp", "icmp6" or "other"."""
    src: str | None
    dst: str | None
    sport: int | None
    dport: int | None
    ttl: int | None
    """IPv4 TTL or IPv6 hop limit."""
    ip_id: int | None
    df: bool | None
    flags: str
    """TCP flags as letters in Wireshark's order (F S R P A U E C): "S", "SA", "PA", "RA"."""
    seq: int | None
    ack: int | None
    win: int | None
    payload_len: int
    info: str


@dataclass(slots=True)
class PacketSet:
    """What :func:`read_packets` found."""

    frames: dict[tuple[int, int], PacketView]
    """(input, frame) -> view, for the requested frames found."""
    flow_packets: dict[str, list[PacketView]]
    """Flow id -> the shown packets of that flow in (input, frame) order."""
    unavailable: dict[int, str]
    """Input index -> why its packets could not be read."""
    omitted: dict[str, int] = field(default_factory=dict)
    """Flow id -> packets of the flow not shown (only flows with some left out)."""
    truncated: dict[int, str] = field(default_factory=dict)
    """Input index -> why the flow packets of that input may be incomplete."""


# ------------------------------------------------------------------------------ link layer

def link_layer(data: bytes, lt: int) -> tuple[int, int]:
    """(offset of the network header, its EtherType) in one captured frame.

    The EtherType is -1 when there is no network header to read (unknown link type, header
    cut short, a non-packet record). Never raises.
    """
    n = len(data)
    if lt == 1:
        if n < 14:
            return 0, -1
        return _vlan(data, 14, (data[12] << 8) | data[13])
    if lt in RAW_LINKS:
        if n < 1:
            return 0, -1
        v = data[0] >> 4
        return 0, ETH_IP4 if v == 4 else ETH_IP6 if v == 6 else -1
    if lt == 0 or lt == 108:
        if n < 4:
            return 0, -1
        if lt == 108:
            fam = int.from_bytes(data[:4], "big")
        else:
            le = int.from_bytes(data[:4], "little")
            fam = le if le < 256 else int.from_bytes(data[:4], "big")
        if fam == 2:
            return 4, ETH_IP4
        if fam in NULL_IP6:
            return 4, ETH_IP6
        return 4, -1
    if lt == 113:
        if n < 16:
            return 0, -1
        return _vlan(data, 16, (data[14] << 8) | data[15])
    if lt == 276:
        if n < 20:
            return 0, -1
        return _vlan(data, 20, (data[0] << 8) | data[1])
    if lt in PPP_LINKS:
        return ppp_link(data, 0, n, lt)
    if lt == LT_RECORD or lt < 0:
        return 0, -1
    return _scapy_link(data, lt)


def _vlan(data: bytes, p: int, et: int) -> tuple[int, int]:
    """VLAN tags and a PPPoE session header after the ethertype ``et`` at ``p``."""
    depth = 0
    while et in VLAN_TYPES:
        depth += 1
        if depth > 4 or p + 4 > len(data):
            return p, -1
        et = (data[p + 2] << 8) | data[p + 3]
        p += 4
    if et == PPPOE_SESSION:
        return pppoe_session(data, p, len(data))
    return p, et


_SCAPY: dict[str, Any] = {}


def _scapy_link(data: bytes, lt: int) -> tuple[int, int]:
    """Find the IP header under a link type the struct decoder does not know, with scapy's
    dissector for that link type (imported on first use: the import takes about 0.5 s)."""
    try:
        if not _SCAPY:
            import scapy.layers.all  # noqa: F401  (fills conf.l2types)
            from scapy.config import conf
            from scapy.layers.inet import IP
            from scapy.layers.inet6 import IPv6
            _SCAPY.update(l2types=conf.l2types, IP=IP, IPv6=IPv6)
        cls = _SCAPY["l2types"].num2layer.get(lt)
        if cls is None:
            return 0, -1
        pkt = cls(data)
        for name, et in (("IP", ETH_IP4), ("IPv6", ETH_IP6)):
            layer = pkt.getlayer(_SCAPY[name])
            if layer is None:
                continue
            raw = layer.original
            if isinstance(raw, bytes) and raw and data.endswith(raw):
                return len(data) - len(raw), et
    except Exception:  # scapy raises many kinds of errors on hostile bytes; none may escape
        return 0, -1
    return 0, -1


# ------------------------------------------------------------------------------ 5-tuple

def _ipv6_upper(data: bytes, o: int, end: int, nh: int
                ) -> tuple[int, int, int | None, bytes]:
    """Walk IPv6 extension headers: (upper-layer protocol, its offset, fragment
    (offset << 1 | more) or None, fragment identification). Protocol -1 when the chain is
    cut short or too long."""
    frag: int | None = None
    ident = b""
    depth = 0
    while nh in IPV6_EXT:
        depth += 1
        if depth > 8 or o + 8 > end:
            return -1, o, frag, ident
        if nh == 44:
            fo = (data[o + 2] << 8) | data[o + 3]
            frag = ((fo & 0xFFF8) << 1) | (fo & 1)
            ident = data[o + 4:o + 8]
            nh, o = data[o], o + 8
            continue
        ln = (data[o + 1] + 2) << 2 if nh == 51 else (data[o + 1] + 1) << 3
        nh, o = data[o], o + ln
    if o > end:
        return -1, o, frag, ident
    return nh, o, frag, ident


def five_tuple(data: bytes, lt: int) -> tuple[FiveTuple, tuple[bytes, ...] | None, bool] | None:
    """(src, sport, dst, dport, proto) of an IP packet as the flow table keys it (ports 0
    for ICMP and for fragments after the first), a fragment key (None when not a fragment)
    and whether this is a later fragment (no transport header). None when not IP."""
    p, et = link_layer(data, lt)
    n = len(data)
    if et == ETH_IP4:
        if p + 20 > n or data[p] >> 4 != 4:
            return None
        ihl = (data[p] & 15) << 2
        if ihl < 20:
            return None
        proto = data[p + 9]
        src, dst = data[p + 12:p + 16], data[p + 16:p + 20]
        fw = (data[p + 6] << 8) | data[p + 7]
        fkey: tuple[bytes, ...] | None = None
        if fw & 0x3FFF:
            fkey = (src, dst, bytes((proto,)), data[p + 4:p + 6])
            if fw & 0x1FFF:
                return (src, 0, dst, 0, proto), fkey, True
        l4 = p + ihl
    elif et == ETH_IP6:
        if p + 40 > n or data[p] >> 4 != 6:
            return None
        src, dst = data[p + 8:p + 24], data[p + 24:p + 40]
        proto, l4, frag, ident = _ipv6_upper(data, p + 40, n, data[p + 6])
        if proto < 0:
            return None
        fkey = None
        if frag is not None:
            fkey = (src, dst, b"6", ident)
            if frag >> 1:
                return (src, 0, dst, 0, proto), fkey, True
    else:
        return None
    if proto in (TCP, UDP) and l4 + 4 <= n:
        return (src, (data[l4] << 8) | data[l4 + 1], dst, (data[l4 + 2] << 8) | data[l4 + 3],
                proto), fkey, False
    return (src, 0, dst, 0, proto), fkey, False


def _addresses(buf: bytes, off: int, end: int, lt: int) -> tuple[bytes, bytes] | None:
    """(source, destination) address bytes of an IP packet, read as cheaply as possible:
    the first filter a record passes before any decoding."""
    if lt == 1:
        if end - off < 14:
            return None
        p, et = _vlan(buf, off + 14, (buf[off + 12] << 8) | buf[off + 13])
    elif lt in RAW_LINKS:
        v = buf[off] >> 4 if end > off else 0
        p, et = off, ETH_IP4 if v == 4 else ETH_IP6 if v == 6 else -1
    else:
        p, et = link_layer(buf[off:end], lt)
        p += off
    if et == ETH_IP4:
        return (buf[p + 12:p + 16], buf[p + 16:p + 20]) if p + 20 <= end else None
    if et == ETH_IP6:
        return (buf[p + 8:p + 24], buf[p + 24:p + 40]) if p + 40 <= end else None
    return None


# ------------------------------------------------------------------------------ decoding

class _Fields:
    """The fields of a PacketView while they are being read (partial on malformed bytes)."""

    __slots__ = ("ack", "df", "dport", "dst", "flags", "info", "ip_id", "payload_len",
                 "proto", "seq", "sport", "src", "ttl", "win")

    def __init__(self) -> None:
        self.proto = "other"
        self.src: str | None = None
        self.dst: str | None = None
        self.sport: int | None = None
        self.dport: int | None = None
        self.ttl: int | None = None
        self.ip_id: int | None = None
        self.df: bool | None = None
        self.flags = ""
        self.seq: int | None = None
        self.ack: int | None = None
        self.win: int | None = None
        self.payload_len = 0
        self.info = ""


_TCP_LETTERS = (("F", 0x01), ("S", 0x02), ("R", 0x04), ("P", 0x08), ("A", 0x10), ("U", 0x20),
                ("E", 0x40), ("C", 0x80))


def tcp_flag_letters(flags: int) -> str:
    """TCP flags as letters in Wireshark's order: SYN+ACK -> "SA", RST+ACK -> "RA"."""
    return "".join(c for c, bit in _TCP_LETTERS if flags & bit)


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)}


def _cut(s: str, n: int = INFO_CUT) -> str:
    """A captured string for an info line: control characters escaped, cut to ``n``."""
    s = s.translate(_CONTROL)
    return s if len(s) <= n else s[:n - 3] + "..."


def _text(b: bytes) -> str:
    return b.decode("utf-8", "replace")


def decode(data: bytes, lt: int) -> _Fields:
    """Decode one frame's headers and a one-line summary. Never raises."""
    f = _Fields()
    try:
        _decode(data, lt, f)
    except (IndexError, ValueError, struct.error):
        f.info = "malformed" + (f" ({f.info})" if f.info else "")
    return f


def _decode(data: bytes, lt: int, f: _Fields) -> None:
    if lt == LT_RECORD:
        f.info = "not a packet"
        return
    p, et = link_layer(data, lt)
    n = len(data)
    if et == ETH_IP4:
        if p + 20 > n:
            f.info = "malformed (IPv4 header cut short)"
            return
        if data[p] >> 4 != 4:
            f.info = f"malformed (IP version {data[p] >> 4})"
            return
        ihl = (data[p] & 15) << 2
        tlen = (data[p + 2] << 8) | data[p + 3]
        f.ip_id = (data[p + 4] << 8) | data[p + 5]
        fw = (data[p + 6] << 8) | data[p + 7]
        f.df = bool(fw & 0x4000)
        f.ttl = data[p + 8]
        proto = data[p + 9]
        f.src = fmt_ip(data[p + 12:p + 16])
        f.dst = fmt_ip(data[p + 16:p + 20])
        if ihl < 20 or p + ihl > n:
            f.info = f"malformed (IPv4 header length {ihl})"
            return
        end = min(n, p + tlen) if tlen >= ihl else n
        if fw & 0x1FFF:
            f.proto = _proto_name(proto)
            f.payload_len = max(0, end - p - ihl)
            f.info = f"IPv4 fragment at offset {(fw & 0x1FFF) << 3}"
            return
        _transport(data, p + ihl, end, proto, False, f)
        if fw & 0x2000:
            f.info = ("first IPv4 fragment; " + f.info) if f.info else "first IPv4 fragment"
    elif et == ETH_IP6:
        if p + 40 > n:
            f.info = "malformed (IPv6 header cut short)"
            return
        if data[p] >> 4 != 6:
            f.info = f"malformed (IP version {data[p] >> 4})"
            return
        plen = (data[p + 4] << 8) | data[p + 5]
        f.ttl = data[p + 7]
        f.src = fmt_ip(data[p + 8:p + 24])
        f.dst = fmt_ip(data[p + 24:p + 40])
        end = min(n, p + 40 + plen) if plen else n
        proto, l4, frag, _ident = _ipv6_upper(data, p + 40, end, data[p + 6])
        if proto < 0:
            f.info = "malformed (IPv6 extension headers)"
            return
        if frag is not None and frag >> 1:
            f.proto = _proto_name(proto)
            f.payload_len = max(0, end - l4)
            f.info = f"IPv6 fragment at offset {frag >> 1}"
            return
        _transport(data, l4, end, proto, True, f)
        if frag is not None:
            f.info = ("first IPv6 fragment; " + f.info) if f.info else "first IPv6 fragment"
    elif et == ETH_ARP:
        f.info = _arp(data, p)
    elif et >= 0:
        f.info = f"EtherType {et:#06x}"
    else:
        f.info = "no IP header found" if data else "empty"


def _proto_name(proto: int) -> str:
    return {TCP: "tcp", UDP: "udp", ICMP: "icmp", ICMP6: "icmp6"}.get(proto, "other")


def _arp(data: bytes, p: int) -> str:
    if p + 28 > len(data) or data[p + 4] != 6 or data[p + 5] != 4:
        return "ARP"
    op = (data[p + 6] << 8) | data[p + 7]
    spa, tpa = fmt_ip(data[p + 14:p + 18]), fmt_ip(data[p + 24:p + 28])
    if op == 1:
        return f"ARP who has {tpa}? tell {spa}"
    if op == 2:
        return f"ARP {spa} is at " + ":".join(f"{b:02x}" for b in data[p + 8:p + 14])
    return f"ARP operation {op}"


def _transport(data: bytes, o: int, end: int, proto: int, v6: bool, f: _Fields) -> None:
    f.proto = _proto_name(proto)
    if proto == TCP:
        if o + 20 > end:
            f.info = "malformed (TCP header cut short)"
            return
        f.sport = (data[o] << 8) | data[o + 1]
        f.dport = (data[o + 2] << 8) | data[o + 3]
        f.seq = int.from_bytes(data[o + 4:o + 8], "big")
        f.ack = int.from_bytes(data[o + 8:o + 12], "big")
        doff = (data[o + 12] >> 4) << 2
        flags = data[o + 13]
        f.flags = tcp_flag_letters(flags)
        f.win = (data[o + 14] << 8) | data[o + 15]
        if doff < 20 or o + doff > end:
            f.info = f"malformed (TCP data offset {doff})"
            return
        payload = data[o + doff:end]
        f.payload_len = len(payload)
        if flags & 0x04:
            f.info = f"RST with {len(payload)} bytes of data" if payload else "RST"
            if payload:
                f.info += ": " + _cut(repr(payload[:40])[2:-1], 60)
        elif payload:
            f.info = _tcp_payload_info(payload, f.sport, f.dport)
    elif proto == UDP:
        if o + 8 > end:
            f.info = "malformed (UDP header cut short)"
            return
        f.sport = (data[o] << 8) | data[o + 1]
        f.dport = (data[o + 2] << 8) | data[o + 3]
        payload = data[o + 8:end]
        f.payload_len = len(payload)
        if payload:
            f.info = _udp_payload_info(payload, f.sport, f.dport)
    elif proto in (ICMP, ICMP6):
        if o + 4 > end:
            f.info = "malformed (ICMP header cut short)"
            return
        f.payload_len = max(0, end - o - 8)
        f.info = _icmp_info(data, o, end, proto == ICMP6)
    else:
        f.payload_len = max(0, end - o)
        f.info = f"IP protocol {proto}"


def _app_info(fn: Any, *args: Any) -> str:
    """Run one protocol summariser: the parsers come from other modules and see hostile
    bytes, so any failure is a 'malformed' summary, never an exception."""
    try:
        out = fn(*args)
        return out if isinstance(out, str) else ""
    except Exception:
        return "malformed payload"


def _tcp_payload_info(payload: bytes, sport: int | None, dport: int | None) -> str:
    if 20 <= payload[0] <= 23 and len(payload) >= 5 and payload[1] == 3:
        return _app_info(_tls_info, payload)
    word = payload[:8].split(b" ", 1)[0]
    if word in HTTP_METHODS:
        return _app_info(_http_request_info, payload)
    if payload.startswith(b"HTTP/"):
        return _app_info(_http_response_info, payload)
    if sport in DNS_PORTS or dport in DNS_PORTS:
        if len(payload) > 2:
            return _app_info(_dns_info, payload[2:])
    return ""


def _udp_payload_info(payload: bytes, sport: int | None, dport: int | None) -> str:
    if sport in DNS_PORTS or dport in DNS_PORTS:
        return _app_info(_dns_info, payload)
    if (sport == 443 or dport == 443) and payload[0] & 0x80 and len(payload) >= 5:
        return _quic_info(payload)
    return ""


def _dns_info(msg: bytes) -> str:
    from ..protocols.dns import parse_dns, rtype_name

    m = parse_dns(msg)
    q = m.questions[0] if m.questions else None
    qtype = rtype_name(q.qtype) if q else ""
    qname = _cut(q.name) if q else ""
    if not m.qr:
        return f"DNS query {qtype} {qname}".rstrip()
    values = [a.value for a in m.answers]
    if m.rcode == 0 and values:
        return "DNS response " + _cut(f"{qtype} {', '.join(values)}".strip())
    what = "no answer" if m.rcode == 0 else m.rcode_name
    return f"DNS response {what} {qtype} {qname}".rstrip()


def _handshake_name(hs: int) -> str:
    """Wireshark's spelling (``ClientHello``) of the TLS parser's handshake type names."""
    from ..protocols.tls import HANDSHAKE_TYPES

    name = HANDSHAKE_TYPES.get(hs)
    return "".join(w.capitalize() for w in name.split("_")) if name else "Handshake"


def _tls_info(payload: bytes) -> str:
    from ..protocols.tls import parse_tls_stream

    parts: list[str] = []
    o = 0
    for _ in range(8):
        if o + 5 > len(payload):
            break
        ctype = payload[o]
        ln = (payload[o + 3] << 8) | payload[o + 4]
        if ctype == 22:
            hs = payload[o + 5] if o + 5 < len(payload) else -1
            name = _handshake_name(hs)
            if hs == 1:
                sni = parse_tls_stream(payload).client_hello
                if sni is not None and sni.sni:
                    name += " SNI " + _cut(sni.sni)
            parts.append(name)
        elif ctype == 20:
            parts.append("ChangeCipherSpec")
        elif ctype == 21:
            if ln == 2 and o + 7 <= len(payload):
                parts.append(f"Alert {payload[o + 5]}/{payload[o + 6]}")
            else:
                parts.append("Alert (encrypted)")
        elif ctype == 23:
            parts.append("application data")
        else:
            break
        o += 5 + ln
    out: list[str] = []
    for part in parts:  # "application data, application data" -> once
        if not out or out[-1] != part:
            out.append(part)
    return "TLS " + ", ".join(out) if out else ""


def _header_value(head: bytes, name: bytes) -> bytes | None:
    for line in head.split(b"\r\n")[1:64]:
        k, sep, v = line.partition(b":")
        if sep and k.strip().lower() == name:
            return v.strip()
    return None


def _http_request_info(payload: bytes) -> str:
    head = payload[:4096].split(b"\r\n\r\n", 1)[0]
    first = head.split(b"\r\n", 1)[0].split(b" ")
    method = _text(first[0])
    target = _cut(_text(first[1])) if len(first) > 1 else ""
    host = _header_value(head, b"host")
    out = f"HTTP {method} {target}".rstrip()
    return out + (f" (Host {_cut(_text(host))})" if host is not None else "")


def _http_response_info(payload: bytes) -> str:
    head = payload[:4096].split(b"\r\n\r\n", 1)[0]
    first = _cut(_text(head.split(b"\r\n", 1)[0]))
    loc = _header_value(head, b"location")
    return first + (f" -> {_cut(_text(loc))}" if loc is not None else "")


def _quic_info(payload: bytes) -> str:
    if not payload[0] & 0x40 and payload[1:5] != b"\0\0\0\0":
        return ""
    version = int.from_bytes(payload[1:5], "big")
    if version == 0:
        return "QUIC version negotiation"
    kind = (payload[0] >> 4) & 3
    if version == 0x6B3343CF:  # QUIC v2 renumbered the long-header types
        names = ("Retry", "Initial", "0-RTT", "Handshake")
    else:
        names = ("Initial", "0-RTT", "Handshake", "Retry")
    return f"QUIC {names[kind]}"


_ICMP4 = {0: "echo reply", 3: "destination unreachable", 4: "source quench", 5: "redirect",
          8: "echo request", 11: "time exceeded", 12: "parameter problem"}
_ICMP4_EXCEEDED = {0: "TTL exceeded in transit", 1: "fragment reassembly time exceeded"}
_ICMP6 = {1: "destination unreachable", 2: "packet too big", 3: "time exceeded",
          4: "parameter problem", 128: "echo request", 129: "echo reply",
          133: "router solicitation", 134: "router advertisement",
          135: "neighbor solicitation", 136: "neighbor advertisement", 137: "redirect"}


_ICMP6_EXCEEDED = {0: "hop limit exceeded in transit",
                   1: "fragment reassembly time exceeded"}


def _icmp_info(data: bytes, o: int, end: int, v6: bool) -> str:
    itype, code = data[o], data[o + 1]
    if v6:
        name = _ICMP6.get(itype, f"type {itype}")
        detail = UNREACH6.get(code) if itype == 1 else \
            _ICMP6_EXCEEDED.get(code) if itype == 3 else None
        error = itype in (1, 2, 3, 4)
        out = f"ICMPv6 {name}"
    else:
        name = _ICMP4.get(itype, f"type {itype}")
        detail = UNREACH4.get(code) if itype == 3 else \
            _ICMP4_EXCEEDED.get(code) if itype == 11 else None
        error = itype in (3, 4, 5, 11, 12)
        out = f"ICMP {name}"
    if detail:
        out += f" ({detail})"
    elif code and itype not in (0, 8, 128, 129):
        out += f" (code {code})"
    if error and o + 8 < end:
        quoted = five_tuple(data[o + 8:end], 101)
        if quoted is not None:
            (src, sport, dst, dport, proto), _k, _later = quoted
            if proto in (TCP, UDP):
                out += (f" quoting {_proto_name(proto)} {_endpoint(src, sport)}"
                        f" -> {_endpoint(dst, dport)}")
            else:
                out += f" quoting {fmt_ip(src)} -> {fmt_ip(dst)}"
    return out


def _endpoint(a: bytes, port: int) -> str:
    return f"[{fmt_ip(a)}]:{port}" if len(a) == 16 else f"{fmt_ip(a)}:{port}"


def view(input_index: int, frame: int, ts: float, lt: int, data: bytes, wirelen: int,
         pseudonyms: Pseudonyms | None = None) -> PacketView:
    """Decode one captured frame into a :class:`PacketView` (anonymised when ``pseudonyms``
    are given: bytes, addresses and the info line)."""
    f = decode(data, lt)
    src, dst, info = f.src, f.dst, f.info
    if pseudonyms is not None:
        data = pseudonyms.packet(data, lt)
        src = pseudonyms.ip(src) if src is not None else None
        dst = pseudonyms.ip(dst) if dst is not None else None
        info = pseudonyms.text(info)
    return PacketView(input=input_index, frame=frame, ts=ts, linktype=lt, data=data,
                      wirelen=wirelen, proto=f.proto, src=src, dst=dst, sport=f.sport,
                      dport=f.dport, ttl=f.ttl, ip_id=f.ip_id, df=f.df, flags=f.flags,
                      seq=f.seq, ack=f.ack, win=f.win, payload_len=f.payload_len, info=info)


# ------------------------------------------------------------------------------ selection

class _FlowSel:
    """The packets picked so far for one requested flow."""

    def __init__(self, fl: Flow, limit: int) -> None:
        self.flow = fl
        self.lo = fl.first_ts
        self.hi = fl.last_ts
        notable: set[int] = {p[0] for p in fl.kept}
        notable.update((fl.syn_frame, fl.synack_frame, fl.ack_frame))
        for h in fl.h:
            notable.update(h.rst[:MAX_NOTABLE])
            notable.update(h.fin[:MAX_NOTABLE])
        notable.discard(0)
        # the flow's first packet is the first one it kept (a TCP flow keeps its first
        # packet, and a quiet one its SYN; a UDP flow that kept none gives no bound)
        self.first_frame = min(notable) if notable else 1
        self.icmp = {e[0] for e in fl.icmp[:MAX_NOTABLE]}
        self.notable = set(sorted(notable)[:MAX_NOTABLE]) | self.icmp
        self.total = fl.h[0].pkts + fl.h[1].pkts
        #: the first packets collected: the first HEAD of them rank high, the others fill
        #: what the limit leaves (a flow that fits in the limit is shown whole)
        self.head_n = max(HEAD, limit)
        self.kept: dict[int, tuple[int, Record]] = {}
        self.head = 0
        self.ring: deque[Record] = deque(maxlen=BEFORE)
        self.after = 0
        self.active = True
        #: the last requested frame cited together with this flow: collecting stops
        #: after it (and the head and context) are in
        self.last_cited = 0
        self.keys = ((fl.a, fl.pa, fl.b, fl.pb, fl.proto), (fl.b, fl.pb, fl.a, fl.pa, fl.proto))

    def keep(self, rec: Record, prio: int) -> None:
        old = self.kept.get(rec[0])
        if old is None or prio < old[0]:
            self.kept[rec[0]] = (prio, rec)

    def covers(self, frame: int, ts: float, fragment: bool = False) -> bool:
        """Whether a packet with this flow's 5-tuple can be one of its packets. The analysis
        dates a fragmented datagram by the fragment that completed it, so its fragments
        may come up to :data:`FRAGMENT_SLACK` seconds earlier."""
        if fragment:
            return self.lo - FRAGMENT_SLACK <= ts <= self.hi
        return self.lo <= ts <= self.hi and frame >= self.first_frame

    def offer(self, rec: Record, cited: bool) -> None:
        """A record of this flow met while reading, in frame order."""
        if cited:
            for r in self.ring:
                self.keep(r, 3)
            self.ring.clear()
            self.keep(rec, 0)
            self.after = AFTER
        elif self.head < self.head_n:
            self.head += 1
            self.keep(rec, 1 if self.head <= HEAD else 4)
        elif self.after > 0:
            self.after -= 1
            self.keep(rec, 3)
        else:
            self.ring.append(rec)
        if cited and self.head < self.head_n:
            self.head += 1
        if self.head >= self.head_n and self.after == 0 and rec[0] >= self.last_cited:
            self.active = False

    def chosen(self, limit: int) -> tuple[list[Record], int]:
        """The packets to show, in frame order, and how many of the flow's are left out."""
        ranked = sorted(self.kept.values(), key=lambda pr: (pr[0], pr[1][0]))
        must = [r for p, r in ranked if p == 0]
        rest = [r for p, r in ranked if p != 0]
        picked = must + rest[:max(0, limit - len(must))]
        picked.sort(key=lambda r: r[0])
        own = sum(1 for r in picked if r[0] not in self.icmp)
        return picked, max(0, self.total - own)


@dataclass(slots=True)
class _InputPlan:
    index: int
    summary: InputSummary
    path: str
    frames: set[int] = field(default_factory=set)
    sels: list[_FlowSel] = field(default_factory=list)


def cited(analysis: Analysis) -> tuple[set[tuple[int, int]], list[str]]:
    """The (input, frame) pairs and the flow ids cited by the findings and observations
    (flow ids once each, in the order first cited)."""
    frames: set[tuple[int, int]] = set()
    flows: dict[str, None] = {}
    for item in (*analysis.findings, *analysis.observations):
        inp = item.get("input")
        if isinstance(inp, int):
            for fr in item.get("frames") or ():
                if isinstance(fr, int) and fr > 0:
                    frames.add((inp, fr))
        for fid in item.get("flows") or ():
            if isinstance(fid, str):
                flows.setdefault(fid, None)
    return frames, list(flows)


def read_packets(analysis: Analysis, frames: Iterable[tuple[int, int]],
                 flow_ids: Iterable[str] = (), *, sources: Mapping[int, str] | None = None,
                 per_flow_limit: int = 60, pseudonyms: Pseudonyms | None = None) -> PacketSet:
    """Read the requested frames and the packets of the named flows from the inputs.

    ``sources`` replaces the path read for an input index (standard input spooled to a
    file). An input is read at most once, and only when something of it is requested; an
    input that cannot be read, or is no longer the file analysed, is listed in
    ``unavailable`` with the reason and contributes nothing.
    """
    sources = sources or {}
    by_index = {s.index: s for s in analysis.inputs}
    plans: dict[int, _InputPlan] = {}

    def plan(i: int) -> _InputPlan | None:
        if i not in by_index:
            return None
        p = plans.get(i)
        if p is None:
            s = by_index[i]
            p = plans[i] = _InputPlan(i, s, sources.get(i, s.path))
        return p

    for i, fr in frames:
        pl = plan(i)
        if pl is not None and fr > 0:
            pl.frames.add(fr)
    wanted = set(flow_ids)
    together: dict[tuple[int, str], list[int]] = {}
    for item in (*analysis.findings, *analysis.observations):
        inp = item.get("input")
        for fid in item.get("flows") or ():
            if isinstance(inp, int) and fid in wanted:
                together.setdefault((inp, fid), []).extend(
                    fr for fr in item.get("frames") or () if isinstance(fr, int))
    for fl in analysis.flows:
        if fl.id in wanted:
            pl = plan(fl.input)
            if pl is not None:
                sel = _FlowSel(fl, per_flow_limit)
                sel.last_cited = max((fr for fr in together.get((fl.input, fl.id), ())
                                      if fr in pl.frames), default=0)
                pl.sels.append(sel)

    out = PacketSet(frames={}, flow_packets={}, unavailable={})
    records: dict[tuple[int, int], Record] = {}
    flow_recs: dict[str, list[tuple[int, Record]]] = {}
    for i in sorted(plans):
        pl = plans[i]
        why = _unavailable(pl)
        if why is None:
            try:
                why = _read_input(pl, records, flow_recs, per_flow_limit, out)
            except AnalyzerError as e:
                why = _reason(str(e), pl.path)
            except OSError as e:
                why = f"cannot read the file: {e.strerror or e}"
        if why is not None:
            out.unavailable[i] = why
            for key in [k for k in records if k[0] == i]:
                del records[key]
            for fid in list(flow_recs):
                flow_recs[fid] = [x for x in flow_recs[fid] if x[0] != i]
                if not flow_recs[fid]:
                    del flow_recs[fid]
            for sel in pl.sels:
                out.omitted.pop(sel.flow.id, None)

    # views: one per (input, frame), built in (input, frame) order so that pseudonyms
    # (MACs are numbered as first met) come out the same on every run
    needed = dict(records)
    for recs in flow_recs.values():
        for i, rec in recs:
            needed.setdefault((i, rec[0]), rec)
    order = sorted(needed)
    if pseudonyms is not None:
        for key in order:
            rec = needed[key]
            pseudonyms.see(rec[3], rec[2])
    views = {key: view(key[0], key[1], needed[key][1], needed[key][2], needed[key][3],
                       needed[key][4], pseudonyms) for key in order}
    out.frames = {key: views[key] for key in sorted(records)}
    for fid, recs in flow_recs.items():
        seen = sorted({(i, rec[0]) for i, rec in recs})
        out.flow_packets[fid] = [views[k] for k in seen]
    return out


def _reason(msg: str, path: str) -> str:
    prefix = f"{path}: "
    msg = msg[len(prefix):] if msg.startswith(prefix) else msg
    return "file not found" if msg == "no such file" else msg


def _unavailable(pl: _InputPlan) -> str | None:
    if pl.path == "-":
        return "read from standard input"
    try:
        size = os.stat(pl.path).st_size
    except FileNotFoundError:
        return "file not found"
    except OSError as e:
        return f"cannot read the file: {e.strerror or e}"
    if size != pl.summary.size:
        return "file changed since the analysis (size differs)"
    return None


def _read_input(pl: _InputPlan, records: dict[tuple[int, int], Record],
                flow_recs: dict[str, list[tuple[int, Record]]], limit: int,
                out: PacketSet) -> str | None:
    """Read one input; fills ``records`` and ``flow_recs``. Returns why the input is
    unavailable, or None."""
    i = pl.index
    sels = pl.sels
    cited_frames = pl.frames
    want = set(cited_frames)
    for s in sels:
        want.update(s.notable)
    by_key: dict[FiveTuple, list[_FlowSel]] = {}
    for s in sels:
        for k in s.keys:
            lst = by_key.setdefault(k, [])
            if s not in lst:
                lst.append(s)
    frag_owner: dict[tuple[bytes, ...], list[_FlowSel]] = {}
    pending: dict[tuple[bytes, ...], list[Record]] = {}
    n_pending = 0
    fetched: dict[int, Record] = {}
    # address pairs of the flows still collecting: the cheap first filter
    pairs: dict[tuple[bytes, bytes], int] = {}
    for s in sels:
        for ends in ((s.flow.a, s.flow.b), (s.flow.b, s.flow.a)):
            pairs[ends] = pairs.get(ends, 0) + 1
    lo = min((s.lo for s in sels), default=1.0) - FRAGMENT_SLACK
    hi = max((s.hi for s in sels), default=0.0)
    n_active = len(sels)
    candidates = 0
    pair: tuple[bytes, bytes] | None
    info, batches = read_capture(pl.path, AnomalyLog())
    frame = 0
    for buf, recs in batches:
        for off, caplen, wirelen, ts, lt in recs:
            frame += 1
            if frame in want and lt != LT_RECORD:
                fetched[frame] = (frame, ts, lt, buf[off:off + caplen], wirelen)
            if not n_active or ts < lo or ts > hi:
                continue
            if lt == 1 and caplen >= 34 and buf[off + 12] == 8 and buf[off + 13] == 0:
                pair = (buf[off + 26:off + 30], buf[off + 30:off + 34])  # IPv4 in Ethernet
            else:
                pair = _addresses(buf, off, off + caplen, lt)
            if pair not in pairs:
                continue
            data = fetched[frame][3] if frame in fetched else buf[off:off + caplen]
            got = five_tuple(data, lt)
            if got is None:
                continue
            key, fkey, later = got
            if later and fkey is not None:
                owners = frag_owner.get(fkey)
                if owners is None:  # before its first fragment: held until that comes
                    if n_pending < MAX_PENDING_FRAGMENTS:
                        n_pending += 1
                        pending.setdefault(fkey, []).append(
                            fetched.get(frame) or (frame, ts, lt, bytes(data), wirelen))
                    continue
            else:
                owners = by_key.get(key)
            if not owners:
                continue
            if candidates >= MAX_CANDIDATES:
                out.truncated[i] = (f"flow packets: stopped collecting after {MAX_CANDIDATES} "
                                    f"packets (frame {frame})")
                for s in sels:
                    s.active = False
                n_active = 0
                continue
            candidates += 1
            rec = fetched.get(frame) or (frame, ts, lt, bytes(data), wirelen)
            for s in owners:
                if not s.active or not s.covers(frame, ts, fkey is not None):
                    continue
                s.offer(rec, frame in cited_frames)
                if fkey is not None and not later and len(frag_owner) < 4096:
                    frag_owner.setdefault(fkey, []).append(s)
                    for r in pending.pop(fkey, ()):
                        s.offer(r, r[0] in cited_frames)
                if not s.active:
                    n_active -= 1
                    for pr in ((s.flow.a, s.flow.b), (s.flow.b, s.flow.a)):
                        pairs[pr] -= 1
                        if not pairs[pr]:
                            del pairs[pr]
    if info.sha256 != pl.summary.sha256:
        return "file changed since the analysis (SHA-256 differs)"
    for fr in sorted(cited_frames):
        found = fetched.get(fr)
        if found is not None:
            records[(i, fr)] = found
    for fr in cited_frames:  # a cited frame of a flow is shown with it, even if missed above
        found = fetched.get(fr)
        got = five_tuple(found[3], found[2]) if found is not None else None
        if found is None or got is None:
            continue
        for s in by_key.get(got[0], ()):
            if s.covers(fr, found[1]):
                s.keep(found, 0)
    for s in sels:
        for fr in s.notable:
            found = fetched.get(fr)
            if found is not None:
                s.keep(found, 2)
        picked, left_out = s.chosen(limit)
        flow_recs.setdefault(s.flow.id, []).extend((i, r) for r in picked)
        if left_out:
            out.omitted[s.flow.id] = out.omitted.get(s.flow.id, 0) + left_out
    return None
