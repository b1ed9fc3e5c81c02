"""DNS wire-format parser: pure, bounds-checked, never raises on hostile input.

Implemented (parsing only):

- RFC 1035: header, question and resource-record sections, name compression (section 4.1.4),
  A / NS / CNAME / SOA / PTR / MX / TXT rdata, presentation escaping of names (section 5.1),
  TCP two-byte length framing (section 4.2.2).
- RFC 2181 (section 11) / RFC 4343: labels are arbitrary octets, case is preserved.
- RFC 2782: SRV.  RFC 3596: AAAA.  RFC 6672: DNAME.
- RFC 6891: EDNS(0) OPT pseudo-record, extended RCODE, options; RFC 3225: DO bit.
- RFC 4035 / RFC 6840: AD and CD header bits.
- RFC 9460: SVCB (64) and HTTPS (65) records and their SvcParams.
- RFC 7766: DNS over TCP, several (pipelined) messages per connection.
- RFC 7858: DNS over TLS port; RFC 8484: DNS over HTTPS (well-known host names only).
- RFC 6762 (mDNS, port 5353) and RFC 4795 (LLMNR, port 5355) use this same format.

Every problem met is reported as a named :class:`ParseAnomaly` next to whatever could be
read. Work is bounded: at most ``MAX_RECORDS_PER_SECTION`` entries per section, names of at
most ``MAX_NAME_WIRE_LENGTH`` octets, at most ``MAX_POINTER_JUMPS`` compression pointers per
name.

Name presentation: labels joined by ``.``, no trailing dot, the root is ``""``. Any octet
outside printable ASCII, and ``.`` or ``\\`` inside a label, is written ``\\DDD`` (decimal),
so a decoded name can never smuggle a dot or a control character. In record *values*
(``DnsRecord.value``), a root name is written ``"."`` to stay visible.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from socket import AF_INET6, inet_ntoa, inet_ntop
from typing import Final

from analyzer.protocols.common import ParseAnomaly

__all__ = [
    "DNS_PORTS",
    "DOH_HOSTS",
    "DOT_PORT",
    "MAX_NAME_WIRE_LENGTH",
    "MAX_POINTER_JUMPS",
    "MAX_RECORDS_PER_SECTION",
    "DnsMessage",
    "DnsQuestion",
    "DnsRecord",
    "Edns",
    "is_doh_hint",
    "looks_like_dns",
    "parse_dns",
    "rcode_name",
    "rtype_name",
    "split_tcp_dns",
]

DNS_PORTS: Final[frozenset[int]] = frozenset({53, 5353, 5355})
"""Classic DNS (53), multicast DNS (5353, RFC 6762) and LLMNR (5355, RFC 4795)."""

DOT_PORT: Final[int] = 853
"""DNS over TLS (RFC 7858)."""

MAX_RECORDS_PER_SECTION: Final[int] = 512
MAX_NAME_WIRE_LENGTH: Final[int] = 255
MAX_POINTER_JUMPS: Final[int] = 128

_HEADER = struct.Struct("!HHHHHH")
_QTAIL = struct.Struct("!HH")
_RRTAIL = struct.Struct("!HHIH")
_U16 = struct.Struct("!H")
_U16X2 = struct.Struct("!HH")
_U16X3 = struct.Struct("!HHH")
_U32X5 = struct.Struct("!IIIII")

_TYPE_NAMES: Final[dict[int, str]] = {
    1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 13: "HINFO", 15: "MX", 16: "TXT",
    17: "RP", 18: "AFSDB", 28: "AAAA", 29: "LOC", 33: "SRV", 35: "NAPTR", 37: "CERT",
    39: "DNAME", 41: "OPT", 43: "DS", 44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC",
    48: "DNSKEY", 49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 53: "SMIMEA",
    55: "HIP", 59: "CDS", 60: "CDNSKEY", 61: "OPENPGPKEY", 62: "CSYNC", 63: "ZONEMD",
    64: "SVCB", 65: "HTTPS", 99: "SPF", 108: "EUI48", 109: "EUI64", 249: "TKEY",
    250: "TSIG", 251: "IXFR", 252: "AXFR", 255: "ANY", 256: "URI", 257: "CAA",
}

_RCODE_NAMES: Final[dict[int, str]] = {
    0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
    6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 11: "DSOTYPENI",
    16: "BADVERS", 17: "BADKEY", 18: "BADTIME", 19: "BADMODE", 20: "BADNAME", 21: "BADALG",
    22: "BADTRUNC", 23: "BADCOOKIE",
}


def rtype_name(rtype: int) -> str:
    """Mnemonic of a record type (``"AAAA"``), or ``"TYPE<n>"`` (RFC 3597) when unknown."""
    name = _TYPE_NAMES.get(rtype)
    return name if name is not None else f"TYPE{rtype}"


def rcode_name(rcode: int) -> str:
    """Mnemonic of a (possibly extended) RCODE (``"NXDOMAIN"``), or ``"RCODE<n>"``."""
    name = _RCODE_NAMES.get(rcode)
    return name if name is not None else f"RCODE{rcode}"


# The frozen dataclasses here write their ``__init__`` out (``init=False``) instead of using
# the generated one: compiled with mypyc, these ``object.__setattr__`` calls become native
# stores (about 15x faster to build; the generated ``__init__`` stays interpreted code). A
# test (tests/test_explicit_inits.py) checks that each sets every field, in field order.
@dataclass(frozen=True, slots=True, init=False)
class DnsQuestion:
    """One question-section entry. ``name`` is in presentation form (see module doc)."""

    name: str
    qtype: int
    qclass: int

    def __init__(self, name: str, qtype: int, qclass: int) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "qtype", qtype)
        object.__setattr__(self, "qclass", qclass)

    @property
    def qtype_name(self) -> str:
        return rtype_name(self.qtype)


@dataclass(frozen=True, slots=True, init=False)
class DnsRecord:
    """One resource record.

    ``rdata`` is the raw rdata (compression pointers inside it are not expanded);
    ``value`` is the decoded presentation text used for comparing and printing, or the hex
    of ``rdata`` for unknown types and malformed rdata.
    """

    name: str
    rtype: int
    rclass: int
    ttl: int
    rdata: bytes
    value: str

    def __init__(self, name: str, rtype: int, rclass: int, ttl: int, rdata: bytes,
                 value: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "rtype", rtype)
        object.__setattr__(self, "rclass", rclass)
        object.__setattr__(self, "ttl", ttl)
        object.__setattr__(self, "rdata", rdata)
        object.__setattr__(self, "value", value)

    @property
    def rtype_name(self) -> str:
        return rtype_name(self.rtype)


@dataclass(frozen=True, slots=True, init=False)
class Edns:
    """EDNS(0) data from the OPT pseudo-record (RFC 6891)."""

    version: int
    udp_payload_size: int
    do: bool
    ext_rcode: int
    """The upper 8 bits of the extended RCODE, as carried in the OPT TTL."""
    flags: int
    """The 16 flag bits of the OPT TTL (DO is 0x8000)."""
    options: tuple[tuple[int, bytes], ...]

    def __init__(self, version: int, udp_payload_size: int, do: bool, ext_rcode: int, flags: int,
                 options: tuple[tuple[int, bytes], ...]) -> None:
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "udp_payload_size", udp_payload_size)
        object.__setattr__(self, "do", do)
        object.__setattr__(self, "ext_rcode", ext_rcode)
        object.__setattr__(self, "flags", flags)
        object.__setattr__(self, "options", options)


@dataclass(frozen=True, slots=True, init=False)
class DnsMessage:
    """One parsed DNS message.

    ``flags`` is the raw 16-bit header flags word; ``qr``, ``opcode``, ``aa``, ``tc``,
    ``rd``, ``ra``, ``ad``, ``cd`` and ``header_rcode`` are derived from it (properties keep
    construction cheap). ``rcode`` includes the EDNS extended bits when an OPT record is
    present. The counts are those of the header; the sections hold what could actually be
    read. ``truncated`` means the buffer ended before the header counts were satisfied (or
    was shorter than the 12-byte header, in which case every field is zero/empty); it is
    unrelated to the TC bit (``tc``).
    """

    id: int
    flags: int
    rcode: int
    qdcount: int
    ancount: int
    nscount: int
    arcount: int
    questions: tuple[DnsQuestion, ...]
    answers: tuple[DnsRecord, ...]
    authority: tuple[DnsRecord, ...]
    additional: tuple[DnsRecord, ...]
    edns: Edns | None
    anomalies: tuple[ParseAnomaly, ...]
    truncated: bool

    def __init__(self, id: int, flags: int, rcode: int, qdcount: int, ancount: int, nscount: int,
                 arcount: int, questions: tuple[DnsQuestion, ...], answers: tuple[DnsRecord, ...],
                 authority: tuple[DnsRecord, ...], additional: tuple[DnsRecord, ...],
                 edns: Edns | None, anomalies: tuple[ParseAnomaly, ...], truncated: bool) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "flags", flags)
        object.__setattr__(self, "rcode", rcode)
        object.__setattr__(self, "qdcount", qdcount)
        object.__setattr__(self, "ancount", ancount)
        object.__setattr__(self, "nscount", nscount)
        object.__setattr__(self, "arcount", arcount)
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "answers", answers)
        object.__setattr__(self, "authority", authority)
        object.__setattr__(self, "additional", additional)
        object.__setattr__(self, "edns", edns)
        object.__setattr__(self, "anomalies", anomalies)
        object.__setattr__(self, "truncated", truncated)

    @property
    def qr(self) -> bool:
        """True for a response."""
        return bool(self.flags & 0x8000)

    @property
    def opcode(self) -> int:
        return (self.flags >> 11) & 0xF

    @property
    def aa(self) -> bool:
        return bool(self.flags & 0x0400)

    @property
    def tc(self) -> bool:
        return bool(self.flags & 0x0200)

    @property
    def rd(self) -> bool:
        return bool(self.flags & 0x0100)

    @property
    def ra(self) -> bool:
        return bool(self.flags & 0x0080)

    @property
    def ad(self) -> bool:
        return bool(self.flags & 0x0020)

    @property
    def cd(self) -> bool:
        return bool(self.flags & 0x0010)

    @property
    def header_rcode(self) -> int:
        """The 4-bit RCODE of the header, without the EDNS extension."""
        return self.flags & 0xF

    @property
    def rcode_name(self) -> str:
        return rcode_name(self.rcode)


# ---------------------------------------------------------------------------------------
# Names

# Octets that may appear unescaped inside a label: printable ASCII except "." and "\".
_SAFE_OCTETS: Final = bytes(b for b in range(0x21, 0x7F) if b not in b".\\")
_ESCAPED: Final[tuple[str, ...]] = tuple(
    chr(b) if b in _SAFE_OCTETS else f"\\{b:03d}" for b in range(256)
)
_NameCache = dict[int, tuple[str, int]]


def _escape_label(label: bytes) -> str:
    return "".join(map(_ESCAPED.__getitem__, label))


def _skip_in_place(buf: bytes, pos: int, n: int) -> int:
    """End offset of the in-place part of a name starting at ``pos``, or -1."""
    while pos < n:
        length = buf[pos]
        if length == 0:
            return pos + 1
        if length >= 0xC0:
            return pos + 2 if pos + 2 <= n else -1
        if length >= 0x40:
            return -1
        pos += 1 + length
    return -1


def _read_name(
    buf: bytes, start: int, n: int, anomalies: list[ParseAnomaly], cache: _NameCache
) -> tuple[str, int, bool]:
    """Decode the (possibly compressed) name at ``start``.

    Returns ``(name, end, ok)``: ``end`` is the offset just after the name where it is
    written (-1 when that cannot be known), ``ok`` is False when an anomaly was recorded
    (``name`` then holds the labels read before the problem). Decoded names are memoised
    in ``cache`` by start offset, so later pointers to them cost one dict lookup.
    """
    if start + 1 < n and buf[start] >= 0xC0:  # fast path: a pointer to a name seen before
        hit = cache.get(((buf[start] & 0x3F) << 8) | buf[start + 1])
        if hit is not None:
            return hit[0], start + 2, True
    labels: list[bytes] = []
    end = -1
    wire = 1  # the terminating root octet
    jumps = 0
    visited: set[int] | None = None
    suffix = ""
    pos = start
    problem = ""
    while pos < n:
        length = buf[pos]
        if 0 < length < 0x40:
            nxt = pos + 1 + length
            if nxt > n:
                problem = "dns_label_truncated"
                break
            wire += length + 1
            if wire > MAX_NAME_WIRE_LENGTH:
                problem = "dns_name_too_long"
                break
            labels.append(buf[pos + 1 : nxt])
            pos = nxt
        elif length == 0:
            if end < 0:
                end = pos + 1
            break
        elif length < 0xC0:
            problem = "dns_bad_label_type"
            break
        elif pos + 1 >= n:
            problem = "dns_label_truncated"
            break
        else:
            ptr = ((length & 0x3F) << 8) | buf[pos + 1]
            if end < 0:
                end = pos + 2
            if ptr >= n:
                problem = "dns_bad_pointer"
                break
            hit = cache.get(ptr)
            if hit is not None:
                if wire + hit[1] - 1 > MAX_NAME_WIRE_LENGTH:
                    problem = "dns_name_too_long"
                    break
                suffix = hit[0]
                wire += hit[1] - 1
                break
            jumps += 1
            if visited is None:
                visited = {ptr}
            elif ptr in visited or jumps > MAX_POINTER_JUMPS:
                problem = "dns_compression_loop"
                break
            else:
                visited.add(ptr)
            pos = ptr
    else:
        problem = "dns_label_truncated"

    if labels:
        raw = b".".join(labels)
        # Only the joining dots survive deleting the safe octets when every label is clean.
        if len(raw.translate(None, _SAFE_OCTETS)) == len(labels) - 1:
            name = raw.decode("ascii")
        else:
            name = ".".join(map(_escape_label, labels))
        if suffix:
            name = f"{name}.{suffix}"
    else:
        name = suffix
    if problem:
        if problem == "dns_name_too_long" and end < 0:
            end = _skip_in_place(buf, pos, n)
        anomalies.append(ParseAnomaly(problem, f"name starting at offset {start}", pos))
        return name, end, False
    cache[start] = (name, wire)
    return name, end, True


# ---------------------------------------------------------------------------------------
# Rdata


def _shown(name: str) -> str:
    return name or "."


def _rdata_name(
    buf: bytes, off: int, end: int, anomalies: list[ParseAnomaly], cache: _NameCache
) -> tuple[str, int] | None:
    """A name inside rdata that must lie within ``[off, end)``; None (reported) if not."""
    name, name_end, ok = _read_name(buf, off, len(buf), anomalies, cache)
    if not ok:
        return None
    if name_end > end:
        anomalies.append(ParseAnomaly("dns_bad_rdata_length", "name overruns rdata", off))
        return None
    return name, name_end


def _bad_length(anomalies: list[ParseAnomaly], rtype: int, rdlen: int, off: int) -> None:
    anomalies.append(
        ParseAnomaly("dns_bad_rdata_length", f"{rtype_name(rtype)} rdata of {rdlen} bytes", off)
    )


_SVC_KEYS: Final[dict[int, str]] = {
    0: "mandatory", 1: "alpn", 2: "no-default-alpn", 3: "port", 4: "ipv4hint", 5: "ech",
    6: "ipv6hint", 7: "dohpath", 8: "ohttp",
}


def _svc_key(key: int) -> str:
    name = _SVC_KEYS.get(key)
    return name if name is not None else f"key{key}"


def _svc_param(key: int, val: bytes) -> str | None:
    """Presentation of one SvcParam, None when its value is malformed."""
    size = len(val)
    if key == 1:  # alpn: length-prefixed ids
        ids: list[str] = []
        i = 0
        while i < size:
            j = i + 1 + val[i]
            if val[i] == 0 or j > size:
                return None
            ids.append(_escape_label(val[i + 1 : j]).replace(",", "\\044"))
            i = j
        return "alpn=" + ",".join(ids) if ids else None
    if key == 3:
        return f"port={_U16.unpack(val)[0]}" if size == 2 else None
    if key == 4:
        if size == 0 or size % 4:
            return None
        return "ipv4hint=" + ",".join(
            inet_ntoa(val[i : i + 4]) for i in range(0, size, 4)
        )
    if key == 6:
        if size == 0 or size % 16:
            return None
        return "ipv6hint=" + ",".join(
            inet_ntop(AF_INET6, val[i : i + 16]) for i in range(0, size, 16)
        )
    if key == 5:
        return f"ech=len:{size}"
    if key == 2 or key == 8:
        return _svc_key(key) if size == 0 else None
    if key == 0:
        if size == 0 or size % 2:
            return None
        return "mandatory=" + ",".join(
            _svc_key(_U16.unpack_from(val, i)[0]) for i in range(0, size, 2)
        )
    if key == 7:
        return "dohpath=" + _escape_label(val)
    return f"{_svc_key(key)}={val.hex()}"


def _decode_svcb(
    buf: bytes, off: int, end: int, anomalies: list[ParseAnomaly], cache: _NameCache
) -> str | None:
    if end - off < 3:
        return None
    prio = _U16.unpack_from(buf, off)[0]
    target = _rdata_name(buf, off + 2, end, anomalies, cache)
    if target is None:
        return None
    parts = [str(prio), _shown(target[0])]
    pos = target[1]
    last_key = -1
    while pos < end:
        if pos + 4 > end:
            return None
        key, size = _U16X2.unpack_from(buf, pos)
        pos += 4
        if pos + size > end:
            return None
        shown = _svc_param(key, buf[pos : pos + size])
        if shown is None or key <= last_key:
            anomalies.append(ParseAnomaly("dns_bad_svcb_param", _svc_key(key), pos - 4))
            if shown is None:
                shown = f"{_svc_key(key)}=invalid:{buf[pos : pos + size].hex()}"
        last_key = key
        parts.append(shown)
        pos += size
    return " ".join(parts)


def _decode_rdata(
    rtype: int,
    buf: bytes,
    off: int,
    end: int,
    anomalies: list[ParseAnomaly],
    cache: _NameCache,
) -> str | None:
    """Presentation text of the rdata at ``buf[off:end]``; None means: show it as hex."""
    rdlen = end - off
    if rtype in (2, 5, 12, 39):  # NS, CNAME, PTR, DNAME
        got = _rdata_name(buf, off, end, anomalies, cache)
        if got is None:
            return None
        if got[1] != end:
            _bad_length(anomalies, rtype, rdlen, off)
            return None
        return _shown(got[0])
    if rtype == 15:  # MX
        if rdlen < 3:
            _bad_length(anomalies, rtype, rdlen, off)
            return None
        got = _rdata_name(buf, off + 2, end, anomalies, cache)
        if got is None:
            return None
        if got[1] != end:
            _bad_length(anomalies, rtype, rdlen, off)
            return None
        return f"{_U16.unpack_from(buf, off)[0]} {_shown(got[0])}"
    if rtype == 16:  # TXT
        strings: list[str] = []
        pos = off
        while pos < end:
            nxt = pos + 1 + buf[pos]
            if nxt > end:
                _bad_length(anomalies, rtype, rdlen, off)
                return None
            strings.append(buf[pos + 1 : nxt].decode("latin-1"))
            pos = nxt
        return "".join(strings)
    if rtype == 6:  # SOA
        mname = _rdata_name(buf, off, end, anomalies, cache)
        if mname is None:
            return None
        rname = _rdata_name(buf, mname[1], end, anomalies, cache)
        if rname is None:
            return None
        if end - rname[1] != 20:
            _bad_length(anomalies, rtype, rdlen, off)
            return None
        nums = _U32X5.unpack_from(buf, rname[1])
        return f"{_shown(mname[0])} {_shown(rname[0])} {' '.join(map(str, nums))}"
    if rtype == 33:  # SRV
        if rdlen < 7:
            _bad_length(anomalies, rtype, rdlen, off)
            return None
        got = _rdata_name(buf, off + 6, end, anomalies, cache)
        if got is None:
            return None
        if got[1] != end:
            _bad_length(anomalies, rtype, rdlen, off)
            return None
        prio, weight, port = _U16X3.unpack_from(buf, off)
        return f"{prio} {weight} {port} {_shown(got[0])}"
    if rtype == 64 or rtype == 65:  # SVCB, HTTPS
        before = len(anomalies)
        shown = _decode_svcb(buf, off, end, anomalies, cache)
        if shown is None and len(anomalies) == before:
            _bad_length(anomalies, rtype, rdlen, off)
        return shown
    return None


def _parse_opt(
    data: bytes, rclass: int, ttl: int, off: int, anomalies: list[ParseAnomaly]
) -> tuple[Edns, str]:
    """EDNS data from an OPT record's rdata, class and TTL; plus its presentation text."""
    options: list[tuple[int, bytes]] = []
    pos = 0
    size = len(data)
    while pos < size:
        if pos + 4 > size:
            anomalies.append(ParseAnomaly("dns_bad_opt", "option header overruns", off + pos))
            break
        code, olen = _U16X2.unpack_from(data, pos)
        if pos + 4 + olen > size:
            anomalies.append(ParseAnomaly("dns_bad_opt", f"option {code} overruns", off + pos))
            break
        options.append((code, data[pos + 4 : pos + 4 + olen]))
        pos += 4 + olen
    flags = ttl & 0xFFFF
    version = (ttl >> 16) & 0xFF
    do = flags >> 15
    # Edns(version, udp_payload_size, do, ext_rcode, flags, options)
    edns = Edns(version, rclass, bool(do), ttl >> 24, flags, tuple(options))
    shown = f"version={version} udp={rclass} do={do}"
    if options:
        shown += " " + " ".join(f"opt{code}={val.hex()}" for code, val in options)
    return edns, shown


# ---------------------------------------------------------------------------------------
# Messages

def parse_dns(buf: bytes | bytearray | memoryview) -> DnsMessage:
    """Parse one DNS message (a UDP payload, or one TCP message without its length).

    Never raises: problems are listed in ``anomalies`` and parsing keeps what it could read.
    Parsing stops at the first entry that cannot be delimited; after a section hits
    ``MAX_RECORDS_PER_SECTION`` the following sections are not parsed.
    """
    if not isinstance(buf, bytes):
        buf = bytes(buf)
    n = len(buf)
    anomalies: list[ParseAnomaly] = []
    if n < 12:
        anomalies.append(ParseAnomaly("dns_short_header", f"{n} bytes", 0))
        return DnsMessage(0, 0, 0, 0, 0, 0, 0, (), (), (), (), None, tuple(anomalies), True)
    ident, flags, qdcount, ancount, nscount, arcount = _HEADER.unpack_from(buf, 0)
    cache: _NameCache = {}
    read_name = _read_name
    off = 12
    stop = False
    truncated = False

    questions: list[DnsQuestion] = []
    todo = qdcount if qdcount <= MAX_RECORDS_PER_SECTION else MAX_RECORDS_PER_SECTION
    for _ in range(todo):
        name, end, _ok = read_name(buf, off, n, anomalies, cache)
        if end < 0:
            truncated = anomalies[-1].name == "dns_label_truncated"
            stop = True
            break
        if end + 4 > n:
            truncated = stop = True
            break
        qtype, qclass = _QTAIL.unpack_from(buf, end)
        questions.append(DnsQuestion(name, qtype, qclass))
        off = end + 4
    if not stop and todo < qdcount:
        anomalies.append(ParseAnomaly("dns_record_limit", f"question count {qdcount}", off))
        stop = True

    sections: tuple[list[DnsRecord], list[DnsRecord], list[DnsRecord]] = ([], [], [])
    edns: Edns | None = None
    opt_seen = False
    unpack_rr = _RRTAIL.unpack_from
    for index, count in enumerate((ancount, nscount, arcount)):
        if stop or not count:
            continue
        records = sections[index]
        todo = count if count <= MAX_RECORDS_PER_SECTION else MAX_RECORDS_PER_SECTION
        for _ in range(todo):
            # Inline fast paths: the root name, or a pointer to an already decoded name.
            first = buf[off] if off < n else -1
            hit = None
            if first >= 0xC0 and off + 1 < n:
                hit = cache.get(((first & 0x3F) << 8) | buf[off + 1])
            if first == 0:
                name = ""
                end = off + 1
            elif hit is not None:
                name = hit[0]
                end = off + 2
            else:
                name, end, _ok = read_name(buf, off, n, anomalies, cache)
                if end < 0:
                    truncated = anomalies[-1].name == "dns_label_truncated"
                    stop = True
                    break
            rdoff = end + 10
            if rdoff > n:
                truncated = stop = True
                break
            rtype, rclass, ttl, rdlen = unpack_rr(buf, end)
            rdend = rdoff + rdlen
            if rdend > n:
                truncated = stop = True
                break
            rdata = buf[rdoff:rdend]
            if rtype == 1 and rdlen == 4:
                value: str | None = inet_ntoa(rdata)
            elif rtype == 28 and rdlen == 16:
                value = inet_ntop(AF_INET6, rdata)
            elif rtype == 1 or rtype == 28:
                if rdlen or rclass < 254:  # empty rdata is normal in UPDATE (class NONE/ANY)
                    _bad_length(anomalies, rtype, rdlen, rdoff)
                value = None
            elif rtype == 41:
                value = None
            else:
                value = _decode_rdata(rtype, buf, rdoff, rdend, anomalies, cache)
            if rtype == 41:
                if index != 2 or name:
                    anomalies.append(ParseAnomaly("dns_bad_opt", "misplaced OPT record", off))
                elif opt_seen:
                    anomalies.append(ParseAnomaly("dns_multiple_opt", "OPT record ignored", off))
                else:
                    opt_seen = True
                    edns, value = _parse_opt(rdata, rclass, ttl, rdoff, anomalies)
            records.append(DnsRecord(name, rtype, rclass, ttl, rdata, value or rdata.hex()))
            off = rdend
        if not stop and todo < count:
            anomalies.append(
                ParseAnomaly("dns_record_limit", f"section {index + 1} count {count}", off)
            )
            stop = True

    if truncated:
        anomalies.append(
            ParseAnomaly("dns_truncated_message", "header counts not satisfied", off)
        )
    elif not stop and off < n:
        anomalies.append(ParseAnomaly("dns_trailing_bytes", f"{n - off} bytes", off))
    return DnsMessage(
        ident,
        flags,
        (flags & 0xF) if edns is None else (edns.ext_rcode << 4) | (flags & 0xF),
        qdcount,
        ancount,
        nscount,
        arcount,
        tuple(questions),
        tuple(sections[0]),
        tuple(sections[1]),
        tuple(sections[2]),
        edns,
        tuple(anomalies),
        truncated,
    )


def split_tcp_dns(stream: bytes | bytearray | memoryview) -> tuple[list[tuple[int, bytes]], int]:
    """Split a reassembled DNS-over-TCP byte stream (RFC 1035 4.2.2, RFC 7766).

    Returns ``(messages, consumed)``: each complete length-prefixed message as
    ``(offset of its 2-byte length prefix in stream, message bytes without the prefix)``,
    and the number of bytes those messages use. A partial message at the end is left for
    the caller to retry once more bytes arrive (``stream[consumed:]`` + new data).
    """
    data = stream if isinstance(stream, bytes) else bytes(stream)
    n = len(data)
    off = 0
    messages: list[tuple[int, bytes]] = []
    unpack = _U16.unpack_from
    while off + 2 <= n:
        length = unpack(data, off)[0]
        end = off + 2 + length
        if end > n:
            break
        messages.append((off, data[off + 2 : end]))
        off = end
    return messages, off


def looks_like_dns(buf: bytes | bytearray | memoryview) -> bool:
    """Cheap plausibility test for DNS on a non-standard port (header only, no parsing).

    Requires a 12-byte header, opcode 0..6, Z bit clear, an assigned header RCODE (0..11),
    at most 4 questions, header counts that fit in the buffer (questions are at least 5
    bytes, records at least 11), and a sane first label when there is a question.
    """
    n = len(buf)
    if n < 12:
        return False
    _, flags, qd, an, ns, ar = _HEADER.unpack_from(buf, 0)
    if (flags >> 11) & 0xF > 6 or flags & 0x0040 or flags & 0xF > 11 or qd > 4:
        return False
    if qd == 0 and an + ns + ar == 0:
        return False
    if 12 + qd * 5 + (an + ns + ar) * 11 > n:
        return False
    return not (qd and buf[12] >= 0x40)


DOH_HOSTS: Final[frozenset[str]] = frozenset({
    "dns.google", "dns.google.com", "8888.google", "dns64.dns.google",
    "cloudflare-dns.com", "mozilla.cloudflare-dns.com", "chrome.cloudflare-dns.com",
    "one.one.one.one", "1dot1dot1dot1.cloudflare-dns.com", "security.cloudflare-dns.com",
    "family.cloudflare-dns.com",
    "dns.quad9.net", "dns9.quad9.net", "dns10.quad9.net", "dns11.quad9.net",
    "doh.opendns.com", "doh.familyshield.opendns.com",
    "dns.nextdns.io", "doh.cleanbrowsing.org", "dns.adguard.com", "dns.adguard-dns.com",
    "unfiltered.adguard-dns.com", "family.adguard-dns.com", "dns.alidns.com", "doh.pub",
    "dns.pub", "doh.dns.sb", "dns.mullvad.net", "doh.mullvad.net", "dns.controld.com",
    "freedns.controld.com", "doh.libredns.gr", "doh.xfinity.com", "dns.twnic.tw",
})
"""Host names of well-known public DNS-over-HTTPS (RFC 8484) resolvers."""

_DOH_SUFFIXES: Final = (".cloudflare-dns.com", ".dns.nextdns.io", ".dns.google")


def is_doh_hint(sni_or_host: str) -> bool:
    """True when a TLS SNI or HTTP Host names a well-known public DoH resolver.

    Case-insensitive; a trailing dot and a ``:port`` suffix are ignored. This is a hint
    only: DoH can run on any host, and these hosts may serve other content.
    """
    host = sni_or_host.strip().lower()
    if host.count(":") == 1:
        host = host.partition(":")[0]
    host = host.rstrip(".")
    return host in DOH_HOSTS or host.endswith(_DOH_SUFFIXES)
