"""``--anonymize``: consistent pseudonyms for the client's addresses in every output.

A report proves what a network did to *someone*; shared, it should not say who. The
servers, resolvers and on-path devices stay as they are (they are the evidence); the
addresses that identify the person who captured are replaced, the same way in the JSON,
Markdown and HTML text (:meth:`Pseudonyms.text`) and in packet bytes
(:meth:`Pseudonyms.packet`).

**Who is a client.** Each TCP, UDP and ICMP echo flow is oriented: the sender of the SYN
(or, failing that, of a SYN/ACK's peer) opens a TCP connection; for a flow seen without
its handshake, the side on a well-known service port (below 1024, or one of
:data:`SERVICE_PORTS`) is the server when the other side's is not; otherwise the first
sender opened it. ICMP errors and other ICMP are left out (a router opening an ICMP "flow"
towards the client says nothing about who the client is). A client is an address that
opens more flows than it answers and is not the target (``target.ip``) of a finding or an
observation; unspecified, broadcast and multicast addresses never are.
(Counting, rather than treating every address that ever answers as a server, keeps a
client that takes one inbound connection anonymous, and a resolver that also sends a
query of its own real.) Limits: a client that answers at least as many flows as it opens
(e.g. many inbound connections in the capture) keeps its address, a peer that opened a
connection to the client is anonymised too, and a server that opens more flows than it
answers would be; the client's other addresses (e.g. a NAT's public address seen only in
payloads) are not known and are not replaced.

**Pseudonyms** are numbered in the order the client addresses first open a flow (flows in
input, then time order), so the same analysis gives byte-identical outputs: IPv4 from
198.18.0.0/15 (RFC 2544 benchmarking, never routed; then 240.0.0.0/4), IPv6 from
2001:db8:ffff::/48 (documentation), MACs 02:00:00:00:00:01 ... (locally administered).
A pseudonym that equals an address seen in the analysis (flow endpoints, targets, DNS
answers) or a MAC seen in the packets read (:meth:`Pseudonyms.see`) is skipped. Every
unicast MAC is replaced (MACs are never the evidence); broadcast, multicast and all-zero
MACs are kept. MAC pseudonyms are numbered in the order met: :func:`read_packets` meets
them in (input, frame) order. The real -> pseudonym table lives only in memory:
:attr:`Pseudonyms.mapping` gives (kind, pseudonym) pairs for a report's note.

**Text** is rewritten with one compiled regex whose alternatives (MAC, reverse-DNS names,
IPv6, IPv4) each match a bounded candidate token at a position, with look-arounds so a
match is a whole address (``198.18.0.1`` never matches inside ``198.18.0.10``); the
callback looks the token up in a dictionary. Backtracking is bounded per position, so the
cost is linear in the text and independent of the number of clients.

**Packets** are rewritten in place of the address bytes only: Ethernet source and
destination, the Linux SLL/SLL2 address, ARP sender/target, IPv4/IPv6 source and
destination, the IP header quoted by an ICMP/ICMPv6 error, and NDP target addresses and
link-layer address options. Checksums are adjusted incrementally (RFC 1624, eqn. 3): the
IPv4 header checksum and the TCP/UDP/ICMPv6 checksums over the pseudo-header, so a valid
checksum stays valid and a wrong one stays wrong by the same amount (a forged packet's bad
checksum is evidence). A UDP checksum of 0 (none) stays 0, over IPv6 too. Not rewritten:
payload bytes (DNS, HTTP, TLS: a client address inside an HTTP header or a DNS answer
stays), tunnelled packets (GRE, IP-in-IP, Teredo), the MACs of link types other than
Ethernet, SLL and SLL2 (802.11 headers), and packets under a link type no decoder knows.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable

from ..flows import ICMP, ICMP6, TCP, UDP, Flow
from ..model import Analysis
from .packets import ETH_ARP, ETH_IP4, ETH_IP6, IPV6_EXT, link_layer

#: Ports whose side is the server when the flow was seen without its handshake.
SERVICE_PORTS = frozenset((1080, 1194, 1433, 1701, 1723, 1812, 1813, 1883, 3128, 3306, 3389,
                           3478, 4433, 4500, 5060, 5061, 5222, 5228, 5349, 5353, 5355, 5432,
                           5900, 6379, 8000, 8008, 8080, 8443, 8853, 8888, 9000, 9001,
                           9443, 19302))

_V4_RANGES = ((0xC6120000, 0xC613FFFF), (0xF0000000, 0xFFFFFFFE))
_V6_BASE = int(ipaddress.IPv6Address("2001:db8:ffff::"))
_V6_SPAN = 1 << 80

_H = "[0-9A-Fa-f]"
# Every alternative starts after one consumed character of [0-9A-Fa-f:], so that the regex
# engine can skip, in C, every position that cannot start an address, and each then tries
# a cheap look-ahead or consumes a fixed prefix before its look-behinds (together about
# 10x faster on a JSON document than alternatives that each start with a look-behind).
# The look-behinds are therefore wider: "(?<!X.)" says that the character before the
# one consumed is not X. An empty named group ends each alternative and names it.
_TEXT_RE = re.compile(
    "[0-9A-Fa-f:](?:"
    # MAC: 6 groups of 2 hex digits, ':' or '-' separated, not part of a longer token
    rf"{_H}(?P<sep>[:\-])(?<![0-9A-Za-z_:.\-]...)(?<={_H}..)"
    rf"{_H}{{2}}(?:(?P=sep){_H}{{2}}){{4}}(?![0-9A-Za-z_:\-])(?P<mac>)"
    # IPv4, or the address part of its reverse-DNS name
    r"|(?=\d{0,2}\.\d)(?<![0-9A-Za-z_.].)(?<=\d)\d{0,2}(?:\.\d{1,3}){3}"
    r"(?:(?=\.in-addr\.arpa\b)(?P<rv4>)|(?![0-9A-Za-z_]|\.\d)(?P<v4>))"
    # IPv6: not after a hex digit, '.', or ':' (but "icmp6:" and "x:" prefixes are fine);
    # the consumed character is a hex digit of the first group or its ':'
    rf"|(?={_H}{{0,4}}:)(?:(?<![0-9A-Za-z_.:].)|(?<=[G-Zg-z_]:.)|(?<=[G-Zg-z_][0-9]:.))"
    rf"(?:(?<={_H}){_H}{{0,3}}:|(?<=:))(?:{_H}{{0,4}}:){{1,6}}"
    rf"(?:{_H}{{1,4}}|\d{{1,3}}(?:\.\d{{1,3}}){{3}})?(?![0-9A-Za-z_:]|\.\d)(?P<v6>)"
    # the nibbles of an IPv6 reverse-DNS name
    rf"|\.(?<![0-9A-Za-z_.\-]..)(?<={_H}.)(?:{_H}\.){{31}}(?=ip6\.arpa\b)(?P<rv6>)"
    ")"
)


def _add(a: int, b: int) -> int:
    s = a + b
    return (s & 0xFFFF) + (s >> 16)


def _sum16(b: bytes | bytearray) -> int:
    """One's complement sum of the 16-bit words of ``b`` (an odd tail is zero-padded)."""
    if len(b) & 1:
        b = bytes(b) + b"\0"
    s = sum(int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b), 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def _delta(old: bytes | bytearray, new: bytes | bytearray) -> int:
    """What the one's complement sum gains when ``old`` is replaced by ``new``."""
    return _add(_sum16(new), ~_sum16(old) & 0xFFFF)


def _fix(buf: bytearray, at: int, d: int, udp: bool = False) -> int:
    """Apply the sum change ``d`` to the checksum stored at ``buf[at:at+2]`` (RFC 1624 eqn. 3:
    HC' = ~(~HC + ~m + m')); returns the sum change of the checksum field itself (for an
    enclosing checksum). A UDP checksum of 0 means "none" and stays 0."""
    if d == 0 or at < 0 or at + 2 > len(buf):
        return 0
    old = (buf[at] << 8) | buf[at + 1]
    if udp and old == 0:
        return 0
    new = ~_add(~old & 0xFFFF, d) & 0xFFFF
    if udp and new == 0:
        new = 0xFFFF  # RFC 768: a computed zero is sent as all ones
    buf[at], buf[at + 1] = new >> 8, new & 0xFF
    return _delta(old.to_bytes(2, "big"), new.to_bytes(2, "big"))


def _is_group_mac(m: bytes) -> bool:
    return bool(m[0] & 1) or m == b"\0" * 6


def _fmt_mac(m: bytes, sep: str = ":") -> str:
    return sep.join(f"{b:02x}" for b in m)


class Pseudonyms:
    """Client IPs and MACs -> pseudonyms; see the module docstring for the rules."""

    def __init__(self, clients: Iterable[bytes] = (), taken: Iterable[bytes] = ()) -> None:
        """``clients``: packed IPv4/IPv6 client addresses in the order to number them;
        ``taken``: packed addresses pseudonyms must not collide with."""
        self._taken = set(taken)
        self._ip: dict[bytes, bytes] = {}
        self._text: dict[str, str] = {}
        self._mac: dict[bytes, bytes] = {}
        self._macs_seen: set[bytes] = set()
        self._mac_used: set[bytes] = set()
        self._v4_range = 0
        self._v4_next = _V4_RANGES[0][0] + 1
        self._next6 = 1
        self._next_mac = 1
        self._mapping: list[tuple[str, str]] = []
        order = [bytes(a) for a in clients if len(a) in (4, 16)]
        self._taken.update(order)
        for a in order:
            self._assign(a)

    # ---------------------------------------------------------------------- construction
    @classmethod
    def from_analysis(cls, analysis: Analysis) -> Pseudonyms:
        """The clients of ``analysis`` (see the module docstring), numbered in the order
        they first open a flow; the addresses it holds are never issued as pseudonyms."""
        targets: set[bytes] = set()
        for item in (*analysis.findings, *analysis.observations):
            tgt = item.get("target")
            ip = tgt.get("ip") if isinstance(tgt, dict) else None
            packed = _pack(ip) if isinstance(ip, str) else None
            if packed is not None:
                targets.add(packed)
        opens: dict[bytes, int] = {}
        answers: dict[bytes, int] = {}
        taken: set[bytes] = set(targets)
        for fl in sorted(analysis.flows, key=lambda f: (f.input, f.first_ts)):
            taken.add(fl.a)
            taken.add(fl.b)
            side = _client_side(fl)
            if side is None:
                continue
            client, server = (fl.a, fl.b) if side == 0 else (fl.b, fl.a)
            opens[client] = opens.get(client, 0) + 1
            answers[server] = answers.get(server, 0) + 1
        for t in analysis.dns:
            for resp in t.responses:
                for text in (*resp.addresses, *(a.value for a in resp.answers)):
                    packed = _pack(text)
                    if packed is not None:
                        taken.add(packed)
        clients = [a for a, n in opens.items()
                   if n > answers.get(a, 0) and a not in targets and _identifying(a)]
        return cls(clients, taken)

    def _assign(self, real: bytes) -> None:
        if real in self._ip:
            return
        if len(real) == 4:
            pseudo = self._next_v4()
            kind = "IPv4 client"
        else:
            pseudo = self._next_v6()
            kind = "IPv6 client"
        self._ip[real] = pseudo
        rt, pt = _unpack(real), _unpack(pseudo)
        self._text[rt] = pt
        if len(real) == 16:
            self._text[ipaddress.IPv6Address(real).exploded] = \
                ipaddress.IPv6Address(pseudo).exploded
        self._mapping.append((kind, pt))

    def _next_v4(self) -> bytes:
        while self._v4_range < len(_V4_RANGES):
            hi = _V4_RANGES[self._v4_range][1]
            while self._v4_next < hi:
                v = self._v4_next
                self._v4_next += 1
                b = v.to_bytes(4, "big")
                if b not in self._taken and v & 0xFF not in (0, 255):
                    return b
            self._v4_range += 1
            if self._v4_range < len(_V4_RANGES):
                self._v4_next = _V4_RANGES[self._v4_range][0] + 1
        raise ValueError("no IPv4 pseudonym left")  # 2**28 clients: not reachable

    def _next_v6(self) -> bytes:
        while self._next6 < _V6_SPAN:
            b = (_V6_BASE + self._next6).to_bytes(16, "big")
            self._next6 += 1
            if b not in self._taken:
                return b
        raise ValueError("no IPv6 pseudonym left")

    # ---------------------------------------------------------------------- look-ups
    @property
    def mapping(self) -> list[tuple[str, str]]:
        """(kind, pseudonym) pairs in the order assigned: never the real addresses."""
        return list(self._mapping)

    def ip(self, text: str) -> str:
        """The pseudonym of a client address (any textual form), else ``text`` unchanged."""
        got = self._text.get(text)
        if got is not None:
            return got
        packed = _pack(text)
        if packed is not None and packed in self._ip:
            return _unpack(self._ip[packed])
        return text

    def mac(self, real: bytes) -> bytes:
        """The pseudonym of a unicast MAC (assigned on first use); group MACs unchanged."""
        if len(real) != 6 or _is_group_mac(real):
            return bytes(real)
        got = self._mac.get(real)
        if got is None:
            self._macs_seen.add(bytes(real))
            while True:
                got = b"\x02" + self._next_mac.to_bytes(5, "big")
                self._next_mac += 1
                if got not in self._macs_seen and got not in self._mac_used:
                    break
            self._mac[bytes(real)] = got
            self._mac_used.add(got)
            self._mapping.append(("MAC", _fmt_mac(got)))
        return got

    def see(self, data: bytes, linktype: int) -> None:
        """Note the MACs of a packet as real (never to be issued as pseudonyms); call on
        every packet before rewriting any, so no pseudonym equals a MAC met later."""
        buf = bytearray(data)
        for at in _mac_offsets(buf, linktype):
            self._macs_seen.add(bytes(buf[at:at + 6]))

    # ---------------------------------------------------------------------- text
    def text(self, s: str) -> str:
        """``s`` with every client address and every unicast MAC replaced."""
        if not s:
            return s
        return _TEXT_RE.sub(self._sub, s)

    def _sub(self, m: re.Match[str]) -> str:
        tok = m.group(0)
        g = m.lastgroup
        if g == "v4":
            return self._text.get(tok, tok)
        if g == "v6":
            return self._sub_v6(tok)
        if g == "mac":
            sep = tok[2]
            real = bytes.fromhex(tok.replace(sep, ""))
            if _is_group_mac(real):
                return tok
            return _fmt_mac(self.mac(real), sep)
        if g == "rv4":
            real4 = ".".join(reversed(tok.split(".")))
            got = self._text.get(real4)
            return ".".join(reversed(got.split("."))) if got else tok
        if g == "rv6":
            nibbles = tok.replace(".", "")[::-1]  # tok ends with the '.' before "ip6.arpa"
            try:
                addr = ipaddress.IPv6Address(int(nibbles, 16))
            except ValueError:
                return tok
            p6 = self._ip.get(addr.packed)
            if p6 is None:
                return tok
            return ipaddress.IPv6Address(p6).reverse_pointer[:-len("ip6.arpa")]
        return tok

    def _sub_v6(self, tok: str) -> str:
        low = tok.lower()
        got = self._text.get(low)
        if got is not None:
            return got
        try:
            addr = ipaddress.IPv6Address(low)
        except ValueError:
            return tok
        p = self._ip.get(addr.packed)
        if p is not None:
            return _unpack(p)
        v4 = addr.ipv4_mapped
        if v4 is not None and v4.packed in self._ip:
            return "::ffff:" + _unpack(self._ip[v4.packed])
        return tok

    # ---------------------------------------------------------------------- packets
    def packet(self, data: bytes, linktype: int) -> bytes:
        """The same packet with the client addresses and unicast MACs replaced and the
        checksums adjusted incrementally. Bytes that cannot be read are left as they are."""
        buf = bytearray(data)
        try:
            for at in _mac_offsets(buf, linktype):
                buf[at:at + 6] = self.mac(bytes(buf[at:at + 6]))
            p, et = link_layer(data, linktype)
            if et == ETH_IP4:
                self._ipv4(buf, p, len(buf))
            elif et == ETH_IP6:
                self._ipv6(buf, p, len(buf))
            elif et == ETH_ARP:
                self._arp(buf, p)
        except (IndexError, ValueError):  # bounds are checked; this is a second net
            pass
        return bytes(buf)

    def _swap(self, buf: bytearray, at: int, ln: int) -> int:
        """Replace the address at ``buf[at:at+ln]`` if it is a client's; returns the sum
        change."""
        if at + ln > len(buf):
            return 0
        old = bytes(buf[at:at + ln])
        new = self._ip.get(old)
        if new is None:
            return 0
        buf[at:at + ln] = new
        return _delta(old, new)

    def _arp(self, buf: bytearray, p: int) -> None:
        if p + 28 > len(buf) or buf[p + 4] != 6 or buf[p + 5] != 4:
            return
        for at in (p + 8, p + 18):
            buf[at:at + 6] = self.mac(bytes(buf[at:at + 6]))
        self._swap(buf, p + 14, 4)
        self._swap(buf, p + 24, 4)

    def _ipv4(self, buf: bytearray, p: int, end: int, depth: int = 0) -> int:
        """Rewrite an IPv4 packet at ``p``; returns the sum change of all bytes changed
        (for an enclosing ICMP checksum)."""
        if p + 20 > end or buf[p] >> 4 != 4:
            return 0
        ihl = (buf[p] & 15) << 2
        d = _add(self._swap(buf, p + 12, 4), self._swap(buf, p + 16, 4))
        if ihl < 20 or p + ihl > end:
            return d
        total = _add(d, _fix(buf, p + 10, d))
        tlen = (buf[p + 2] << 8) | buf[p + 3]
        stop = min(end, p + tlen) if tlen >= ihl else end
        if (buf[p + 6] << 8 | buf[p + 7]) & 0x1FFF:
            return total  # a later fragment: no transport header here
        l4 = p + ihl
        proto = buf[p + 9]
        return _add(total, self._transport(buf, l4, stop, proto, d, False, depth))

    def _ipv6(self, buf: bytearray, p: int, end: int, depth: int = 0) -> int:
        if p + 40 > end or buf[p] >> 4 != 6:
            return 0
        ds = self._swap(buf, p + 8, 16)
        dd = self._swap(buf, p + 24, 16)
        total = _add(ds, dd)
        plen = (buf[p + 4] << 8) | buf[p + 5]
        stop = min(end, p + 40 + plen) if plen else end
        nh, o = buf[p + 6], p + 40
        pseudo_dst = True
        hops = 0
        while nh in IPV6_EXT:
            hops += 1
            if hops > 8 or o + 8 > stop:
                return total
            if nh == 43 and buf[o + 3]:
                pseudo_dst = False  # the pseudo-header uses the routing header's last hop
            if nh == 44:
                if ((buf[o + 2] << 8) | buf[o + 3]) & 0xFFF8:
                    return total  # a later fragment
                nh, o = buf[o], o + 8
                continue
            ln = (buf[o + 1] + 2) << 2 if nh == 51 else (buf[o + 1] + 1) << 3
            nh, o = buf[o], o + ln
        d = _add(ds, dd) if pseudo_dst else ds
        return _add(total, self._transport(buf, o, stop, nh, d, True, depth))

    def _transport(self, buf: bytearray, o: int, end: int, proto: int, d: int, v6: bool,
                   depth: int) -> int:
        """Adjust the transport checksum for the pseudo-header change ``d`` (and rewrite an
        ICMP message's quoted packet / NDP addresses); returns the sum change of the bytes
        changed here."""
        if proto == TCP:
            return _fix(buf, o + 16, d) if o + 18 <= end else 0
        if proto == UDP:
            return _fix(buf, o + 6, d, udp=True) if o + 8 <= end else 0
        if proto not in (ICMP, ICMP6) or o + 4 > end:
            return 0
        itype = buf[o]
        inner = 0
        if depth == 0 and o + 8 < end:
            error = itype in (1, 2, 3, 4) if v6 else itype in (3, 4, 5, 11, 12)
            if error:
                q = o + 8
                v = buf[q] >> 4
                if v == 4:
                    inner = self._ipv4(buf, q, end, depth + 1)
                elif v == 6:
                    inner = self._ipv6(buf, q, end, depth + 1)
            elif v6 and 133 <= itype <= 137:
                inner = self._ndp(buf, o, end, itype)
        if proto == ICMP6:
            return _fix(buf, o + 2, _add(d, inner))
        return _fix(buf, o + 2, inner)

    def _ndp(self, buf: bytearray, o: int, end: int, itype: int) -> int:
        d = 0
        if itype in (135, 136, 137):
            d = _add(d, self._swap(buf, o + 8, 16))
        if itype == 137:
            d = _add(d, self._swap(buf, o + 24, 16))
        opt = o + {133: 8, 134: 16, 135: 24, 136: 24, 137: 40}[itype]
        for _ in range(32):
            if opt + 8 > end:
                break
            otype, ln = buf[opt], buf[opt + 1] << 3
            if ln == 0:
                break
            if otype in (1, 2) and ln >= 8:
                old = bytes(buf[opt + 2:opt + 8])
                new = self.mac(old)
                buf[opt + 2:opt + 8] = new
                d = _add(d, _delta(old, new))
            opt += ln
        return d


def _mac_offsets(buf: bytearray, lt: int) -> list[int]:
    """Offsets of the 6-byte MAC addresses in the link-layer header."""
    n = len(buf)
    if lt == 1:
        return [at for at in (0, 6) if at + 6 <= n]
    if lt == 113 and n >= 16 and ((buf[4] << 8) | buf[5]) == 6:
        return [6]
    if lt == 276 and n >= 20 and buf[11] == 6:
        return [12]
    return []


def _pack(text: str) -> bytes | None:
    try:
        return ipaddress.ip_address(text.strip("[]")).packed
    except ValueError:
        return None


def _unpack(b: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET if len(b) == 4 else socket.AF_INET6, b)


def _identifying(a: bytes) -> bool:
    try:
        ip = ipaddress.ip_address(a)
    except ValueError:
        return False
    return not (ip.is_unspecified or ip.is_multicast or a == b"\xff\xff\xff\xff")


def _client_side(fl: Flow) -> int | None:
    """0 when ``fl.a`` opened the flow, 1 when ``fl.b`` did, None when it does not tell."""
    if fl.proto == TCP:
        h = fl.hist
        if "S" in h:
            return 0
        if "H" in h:
            return 1
        if "s" in h:
            return 1
        if "h" in h:
            return 0
        return _by_port(fl.pa, fl.pb)
    if fl.proto == UDP:
        return _by_port(fl.pa, fl.pb)
    if fl.proto in (ICMP, ICMP6):
        echo = (8,) if fl.proto == ICMP else (128,)
        for p in fl.kept[:4]:
            if p[3] >> 8 in echo:
                return p[2]
    return None


def _service(port: int) -> bool:
    return 0 < port < 1024 or port in SERVICE_PORTS


def _by_port(pa: int, pb: int) -> int:
    if _service(pa) and not _service(pb):
        return 1
    return 0
