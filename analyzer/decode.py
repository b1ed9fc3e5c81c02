"""The per-packet hot loop: link layer, IPv4/IPv6 (with fragments and extension headers),
then hand-off to the flow table for TCP, UDP and ICMP.

Link types: Ethernet (802.1Q / 802.1ad / QinQ), Linux SLL and SLL2, raw IP (DLT 12/14/101,
LINKTYPE_IPV4/IPV6 228/229), NULL (both byte orders) and LOOP. Anything else is counted and
reported as ``link_type_unsupported``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from .anomalies import AnomalyLog
from .capture import LT_RECORD, Batch, linktype_name
from .flows import ICMP, ICMP6, TCP, UDP, FlowTable

ETH_IP4: Final = 0x0800
ETH_IP6: Final = 0x86DD
VLAN_TYPES: Final = frozenset((0x8100, 0x88A8, 0x9100, 0x9200))
RAW_LINKS = frozenset((12, 14, 101, 228, 229))
IPV6_EXT = frozenset((0, 43, 44, 60, 51, 135, 139, 140))
NULL_IP6 = frozenset((24, 28, 30))
PPPOE_SESSION: Final = 0x8864
#: PPP protocol numbers (RFC 1661, RFC 5072) of the network layers decoded.
PPP_NETWORK = {0x0021: ETH_IP4, 0x0057: ETH_IP6}
PPP_LINKS = frozenset((9, 50, 51))
#: Marks a PPP protocol number that is no network layer decoded, apart from ethertypes.
PPP_OTHER: Final = 0x10000
ETHERTYPE_NAMES = {0x0806: "ARP", 0x88CC: "LLDP", 0x8035: "RARP", 0x888E: "EAPOL",
                   0x8863: "PPPoE-discovery", 0x8864: "PPPoE-session", 0x8847: "MPLS",
                   0x0004: "802.2-LLC", PPP_OTHER | 0xC021: "PPP-LCP",
                   PPP_OTHER | 0x8021: "PPP-IPCP", PPP_OTHER | 0x8057: "PPP-IPV6CP",
                   PPP_OTHER | 0xC023: "PPP-PAP", PPP_OTHER | 0xC223: "PPP-CHAP"}
FRAG_TIMEOUT: Final = 60.0
MAX_FRAG_DATAGRAMS: Final = 1024


def ppp_protocol(buf: bytes, p: int, end: int) -> tuple[int, int]:
    """A PPP protocol field at ``p`` (two bytes, or one when compressed: odd first byte,
    RFC 1661 6.5): (payload offset, ethertype), an IP payload given as ETH_IP4 / ETH_IP6 and
    any other protocol (LCP, IPCP, authentication) as ``PPP_OTHER | protocol``; -1 when
    cut."""
    if p + 1 > end:
        return p, -1
    if buf[p] & 1:
        return p + 1, PPP_NETWORK.get(buf[p], PPP_OTHER | buf[p])
    if p + 2 > end:
        return p, -1
    proto = (buf[p] << 8) | buf[p + 1]
    return p + 2, PPP_NETWORK.get(proto, PPP_OTHER | proto)


def pppoe_session(buf: bytes, p: int, end: int) -> tuple[int, int]:
    """A PPPoE session header at ``p`` (RFC 2516: version/type 0x11, code 0, session id,
    length) and the PPP protocol after it, as :func:`ppp_protocol`; a header that is no
    session data gives PPPOE_SESSION (counted as PPPoE), a cut one -1."""
    if p + 8 > end:
        return p, -1
    if buf[p] != 0x11 or buf[p + 1] != 0:
        return p, PPPOE_SESSION
    return ppp_protocol(buf, p + 6, end)


def ppp_link(buf: bytes, off: int, end: int, lt: int) -> tuple[int, int]:
    """LINKTYPE_PPP (9) and PPP_HDLC (50): PPP, with the HDLC address and control bytes
    ff 03 or without (Cisco HDLC: address 0x0f/0x8f, control 0, then an ethertype);
    PPP_ETHER (51): a PPPoE session header without the Ethernet frame."""
    if lt == 51:
        return pppoe_session(buf, off, end)
    if off + 2 <= end and buf[off] == 0xFF and buf[off + 1] == 0x03:
        return ppp_protocol(buf, off + 2, end)
    if lt == 50 and off + 4 <= end and buf[off] in (0x0F, 0x8F) and buf[off + 1] == 0:
        return off + 4, (buf[off + 2] << 8) | buf[off + 3]
    return ppp_protocol(buf, off, end)


@dataclass(slots=True)
class DecodeStats:
    packets: int = 0
    bytes: int = 0
    ipv4: int = 0
    ipv6: int = 0
    tcp: int = 0
    udp: int = 0
    icmp: int = 0
    other_ip: int = 0
    non_ip: int = 0
    fragments: int = 0
    reassembled: int = 0
    undecoded: int = 0
    non_packet_records: int = 0
    non_ip_types: dict[str, int] = field(default_factory=dict)
    link_types: dict[str, int] = field(default_factory=dict)


class _Frags:
    """One datagram being reassembled from IP fragments."""

    __slots__ = ("conflict", "data", "first_ts", "frames", "have", "total")

    def __init__(self, ts: float) -> None:
        self.data = bytearray()
        self.have: list[tuple[int, int]] = []
        self.total = -1
        self.frames: list[int] = []
        self.first_ts = ts
        self.conflict = False


class Decoder:
    """Decodes batches of records and feeds the flow table."""

    def __init__(self, table: FlowTable, anomalies: AnomalyLog) -> None:
        self.table = table
        self.anomalies = anomalies
        self.stats = DecodeStats()
        self.frame = 0
        self.frags: dict[tuple[bytes, bytes, int, int], _Frags] = {}
        self._lt_counts: dict[int, int] = {}

    def run(self, batches: Iterable[Batch]) -> None:
        # a method call on the table, not a cached bound method: compiled (mypyc), that is
        # a direct native call without boxing the eleven arguments
        table = self.table
        st = self.stats
        lt_counts = self._lt_counts
        an = self.anomalies
        frame = self.frame
        nbytes = 0
        n4 = n6 = ntcp = nudp = 0
        try:
            for buf, recs in batches:
                for off, caplen, wirelen, ts, lt in recs:
                    frame += 1
                    nbytes += wirelen
                    end = off + caplen
                    # ---------------------------------------------------- link layer
                    if lt == 1:
                        if caplen < 14:
                            an.add("link_header_truncated", frame)
                            continue
                        et = (buf[off + 12] << 8) | buf[off + 13]
                        p = off + 14
                        if et in VLAN_TYPES:
                            p, et = self._vlan(buf, p, end, et, frame)
                        if et == PPPOE_SESSION:
                            p, et = self._pppoe(buf, p, end, frame)
                    else:
                        lt_counts[lt] = lt_counts.get(lt, 0) + 1
                        p, et = self._link(buf, off, end, lt, frame)
                    # ---------------------------------------------------- network layer
                    if et == ETH_IP4:
                        if p + 20 > end:
                            an.add("ipv4_bad_ihl", frame, None, "header cut")
                            continue
                        # the header fields read byte by byte: compiled, this allocates
                        # nothing but the two addresses (an unpack made a tuple)
                        vihl = buf[p]
                        tlen = (buf[p + 2] << 8) | buf[p + 3]
                        ipid = (buf[p + 4] << 8) | buf[p + 5]
                        frag = (buf[p + 6] << 8) | buf[p + 7]
                        ttl = buf[p + 8]
                        proto = buf[p + 9]
                        src = buf[p + 12:p + 16]
                        dst = buf[p + 16:p + 20]
                        ihl = (vihl & 15) << 2
                        if vihl >> 4 != 4:
                            an.add("ip_version_mismatch", frame, None, f"version {vihl >> 4}")
                            continue
                        if ihl < 20 or p + ihl > end:
                            an.add("ipv4_bad_ihl", frame, None, f"IHL {ihl}")
                            continue
                        if ihl > 20:
                            an.add("ipv4_options", frame, None, buf[p + 20:p + ihl].hex())
                        n4 += 1
                        ipend = p + tlen
                        if tlen < ihl:
                            if tlen != 0:  # 0: TSO-offloaded capture; use the frame
                                an.add("ipv4_bad_total_length", frame, None, f"{tlen}")
                            ipend = end
                        elif ipend > end:
                            if caplen >= wirelen:  # not explained by the snap length
                                an.add("ipv4_total_length_exceeds_frame", frame, None,
                                       f"{tlen} > {end - p}")
                            ipend = end
                        l4 = p + ihl
                        df = (frag >> 14) & 1
                        if frag & 0x3FFF:
                            got = self._fragment(frame, ts, (src, dst, proto, ipid), frag,
                                                 buf[l4:ipend])
                            if got is None:
                                continue
                            buf2 = bytes(got)
                            self._transport(frame, ts, buf2, 0, len(buf2), proto, src, dst,
                                            ttl, ipid, df, len(buf2) + ihl, False)
                            continue
                        if proto == TCP:
                            ntcp += 1
                            table.tcp(frame, ts, buf, l4, ipend, src, dst, ttl, ipid, df, tlen)
                        elif proto == UDP:
                            nudp += 1
                            table.udp(frame, ts, buf, l4, ipend, src, dst, ttl, ipid, df, tlen)
                        else:
                            self._transport(frame, ts, buf, l4, ipend, proto, src, dst, ttl,
                                            ipid, df, tlen, False)
                    elif et == ETH_IP6:
                        if p + 40 > end:
                            an.add("ipv6_header_truncated", frame)
                            continue
                        if buf[p] >> 4 != 6:
                            an.add("ip_version_mismatch", frame, None, f"version {buf[p] >> 4}")
                            continue
                        plen = (buf[p + 4] << 8) | buf[p + 5]
                        nh = buf[p + 6]
                        hlim = buf[p + 7]
                        src = buf[p + 8:p + 24]
                        dst = buf[p + 24:p + 40]
                        n6 += 1
                        l4 = p + 40
                        ipend = l4 + plen
                        if ipend > end:
                            if caplen >= wirelen and plen:
                                an.add("ipv6_bad_payload_length", frame, None,
                                       f"{plen} > {end - l4}")
                            ipend = end
                        if nh == TCP:
                            ntcp += 1
                            table.tcp(frame, ts, buf, l4, ipend, src, dst, hlim, 0, 0,
                                      plen + 40)
                        elif nh == UDP:
                            nudp += 1
                            table.udp(frame, ts, buf, l4, ipend, src, dst, hlim, 0, 0,
                                      plen + 40)
                        else:
                            self._ipv6_ext(frame, ts, buf, l4, ipend, nh, src, dst, hlim,
                                           plen + 40)
                    elif et >= 0:
                        # ARP, LLDP, 802.3 frames ...: ordinary traffic, counted by type
                        st.non_ip += 1
                        name = ETHERTYPE_NAMES.get(et) or (
                            f"PPP-{et & 0xFFFF:#06x}" if et & PPP_OTHER else f"{et:#06x}")
                        nip = st.non_ip_types
                        nip[name] = nip.get(name, 0) + 1
        finally:
            self.frame = frame
            st.packets = frame
            st.bytes += nbytes
            st.ipv4 += n4
            st.ipv6 += n6
            st.tcp += ntcp
            st.udp += nudp

    # ------------------------------------------------------------------ link layers
    def _vlan(self, buf: bytes, p: int, end: int, et: int, frame: int) -> tuple[int, int]:
        depth = 0
        while et in VLAN_TYPES:
            depth += 1
            if depth > 4:
                self.anomalies.add("vlan_stack_too_deep", frame)
                return p, -1
            if p + 4 > end:
                self.anomalies.add("link_header_truncated", frame, None, "VLAN tag cut")
                return p, -1
            et = (buf[p + 2] << 8) | buf[p + 3]
            p += 4
        return p, et

    def _tagged(self, buf: bytes, p: int, end: int, et: int, frame: int) -> tuple[int, int]:
        """VLAN tags and a PPPoE session header after an ethertype ``et`` at ``p``."""
        if et in VLAN_TYPES:
            p, et = self._vlan(buf, p, end, et, frame)
        if et == PPPOE_SESSION:
            return self._pppoe(buf, p, end, frame)
        return p, et

    def _pppoe(self, buf: bytes, p: int, end: int, frame: int) -> tuple[int, int]:
        got = pppoe_session(buf, p, end)
        if got[1] == -1:
            self.anomalies.add("link_header_truncated", frame, None, "PPPoE header cut")
        return got

    def _ppp_link(self, buf: bytes, off: int, end: int, lt: int,
                  frame: int) -> tuple[int, int]:
        got = ppp_link(buf, off, end, lt)
        if got[1] == -1:
            self.anomalies.add("link_header_truncated", frame, None, "PPP header cut")
        return got

    def _link(self, buf: bytes, off: int, end: int, lt: int, frame: int) -> tuple[int, int]:
        """Slow path for non-Ethernet link types. Returns (network offset, ethertype)."""
        caplen = end - off
        if lt in RAW_LINKS:
            if caplen < 1:
                self.anomalies.add("link_header_truncated", frame)
                return off, -1
            v = buf[off] >> 4
            if v == 4:
                return off, ETH_IP4
            if v == 6:
                return off, ETH_IP6
            self.anomalies.add("ip_version_mismatch", frame, None, f"raw IP version {v}")
            return off, -1
        if lt == 0 or lt == 108:
            if caplen < 4:
                self.anomalies.add("link_header_truncated", frame)
                return off, -1
            if lt == 108:
                fam = int.from_bytes(buf[off:off + 4], "big")
            else:
                le = int.from_bytes(buf[off:off + 4], "little")
                be = int.from_bytes(buf[off:off + 4], "big")
                fam = le if le < 256 else be
            if fam == 2:
                return off + 4, ETH_IP4
            if fam in NULL_IP6:
                return off + 4, ETH_IP6
            self.anomalies.add("link_family_unknown", frame, None, f"address family {fam}")
            return off, -1
        if lt == 113:
            if caplen < 16:
                self.anomalies.add("link_header_truncated", frame)
                return off, -1
            et = (buf[off + 14] << 8) | buf[off + 15]
            return self._tagged(buf, off + 16, end, et, frame)
        if lt == 276:
            if caplen < 20:
                self.anomalies.add("link_header_truncated", frame)
                return off, -1
            et = (buf[off] << 8) | buf[off + 1]
            return self._tagged(buf, off + 20, end, et, frame)
        if lt in PPP_LINKS:
            return self._ppp_link(buf, off, end, lt, frame)
        if lt == LT_RECORD:
            self.stats.non_packet_records += 1
            return off, -2
        self.stats.undecoded += 1
        self.anomalies.add("link_type_unsupported", frame, None, linktype_name(lt))
        return off, -2

    # ------------------------------------------------------------------ IPv6 and others
    def _ipv6_ext(self, frame: int, ts: float, buf: bytes, o: int, end: int, nh: int,
                  src: bytes, dst: bytes, hlim: int, iplen: int) -> None:
        depth = 0
        while nh in IPV6_EXT:
            depth += 1
            if depth > 8:
                self.anomalies.add("ipv6_extension_chain_too_long", frame)
                return
            if o + 8 > end:
                self.anomalies.add("ipv6_header_truncated", frame, None, f"extension {nh}")
                return
            if nh == 44:
                fo = (buf[o + 2] << 8) | buf[o + 3]
                ident = int.from_bytes(buf[o + 4:o + 8], "big")
                inner = buf[o]
                offset = fo & 0xFFF8
                more = fo & 1
                got = self._fragment(frame, ts, (src, dst, inner, ident),
                                     (offset >> 3) | (more << 13), buf[o + 8:end])
                if got is None:
                    return
                data = bytes(got)
                if inner in IPV6_EXT:
                    self._ipv6_ext(frame, ts, data, 0, len(data), inner, src, dst, hlim, iplen)
                else:
                    self._transport(frame, ts, data, 0, len(data), inner, src, dst, hlim, 0,
                                    0, len(data) + 40, True)
                return
            nxt = buf[o]
            ln = (buf[o + 1] + 2) << 2 if nh == 51 else (buf[o + 1] + 1) << 3
            nh = nxt
            o += ln
            if o > end:
                self.anomalies.add("ipv6_header_truncated", frame, None, "extension length")
                return
        if nh == 59:
            return
        self._transport(frame, ts, buf, o, end, nh, src, dst, hlim, 0, 0, iplen, True)

    def _transport(self, frame: int, ts: float, buf: bytes, o: int, end: int, proto: int,
                   src: bytes, dst: bytes, ttl: int, ipid: int, df: int, iplen: int,
                   v6: bool) -> None:
        st = self.stats
        if proto == TCP:
            st.tcp += 1
            self.table.tcp(frame, ts, buf, o, end, src, dst, ttl, ipid, df, iplen)
        elif proto == UDP:
            st.udp += 1
            self.table.udp(frame, ts, buf, o, end, src, dst, ttl, ipid, df, iplen)
        elif proto in (ICMP, ICMP6):
            st.icmp += 1
            self.table.icmp(frame, ts, buf, o, end, src, dst, ttl, ipid, df, iplen,
                            proto == ICMP6)
        else:
            st.other_ip += 1
            self.anomalies.add("ip_protocol_other", frame, None, f"protocol {proto}")

    # ------------------------------------------------------------------ fragments
    def _fragment(self, frame: int, ts: float, key: tuple[bytes, bytes, int, int], frag: int,
                  payload: bytes) -> bytearray | None:
        """Add one fragment; return the whole datagram when complete.

        ``frag`` is the IPv4 flags/offset word (offset in 8-byte units, MF = 0x2000).
        Overlaps are recorded; where overlapping bytes differ, the first copy is kept (as
        most stacks do) and the conflict is named with both frames.
        """
        st = self.stats
        st.fragments += 1
        fr = self.frags.get(key)
        if fr is None:
            if len(self.frags) >= MAX_FRAG_DATAGRAMS:
                self._expire_frags(ts, force=True)
            fr = _Frags(ts)
            self.frags[key] = fr
        elif ts - fr.first_ts > FRAG_TIMEOUT:
            self.anomalies.add("ip_fragment_incomplete", fr.frames[-1], None,
                               f"frames {fr.frames[:8]}")
            fr = _Frags(ts)
            self.frags[key] = fr
        start = (frag & 0x1FFF) << 3
        stop = start + len(payload)
        if stop > 65535:
            self.anomalies.add("ip_fragment_too_big", frame)
            del self.frags[key]
            return None
        fr.frames.append(frame)
        for a, b in fr.have:
            if start < b and a < stop:
                lo, hi = max(a, start), min(b, stop)
                old = bytes(fr.data[lo:hi])
                new = payload[lo - start:hi - start]
                earlier = fr.frames[:-1]
                if old != new:
                    fr.conflict = True
                    self.anomalies.add("ip_fragment_overlap_conflict", frame, None,
                                       f"bytes {lo}-{hi} differ from frames {earlier[:8]}")
                else:
                    self.anomalies.add("ip_fragment_overlap", frame, None,
                                       f"bytes {lo}-{hi} also in frames {earlier[:8]}")
        if len(fr.data) < stop:
            fr.data.extend(bytes(stop - len(fr.data)))
        # first copy wins: write only the bytes not yet covered
        covered = sorted(fr.have)
        pos = start
        for a, b in covered:
            if b <= pos or a >= stop:
                continue
            if a > pos:
                fr.data[pos:a] = payload[pos - start:a - start]
            pos = max(pos, b)
        if pos < stop:
            fr.data[pos:stop] = payload[pos - start:]
        fr.have.append((start, stop))
        if not frag & 0x2000:
            fr.total = stop
        if fr.total >= 0:
            merged = 0
            for a, b in sorted(fr.have):
                if a > merged:
                    return None
                merged = max(merged, b)
            if merged >= fr.total:
                del self.frags[key]
                st.reassembled += 1
                return fr.data[:fr.total]
        return None

    def _expire_frags(self, now: float, force: bool = False) -> None:
        old = sorted(self.frags.items(), key=lambda kv: kv[1].first_ts)
        drop = old[: max(1, len(old) // 4)] if force else [
            kv for kv in old if now - kv[1].first_ts > FRAG_TIMEOUT]
        if force:
            self.anomalies.add("ip_fragment_limit", self.frame)
        for k, fr in drop:
            self.anomalies.add("ip_fragment_incomplete", fr.frames[-1] if fr.frames else None,
                               None, f"frames {fr.frames[:8]}")
            del self.frags[k]

    def close(self) -> None:
        for lt, n in self._lt_counts.items():
            if lt == LT_RECORD:
                continue
            name = linktype_name(lt)
            self.stats.link_types[name] = self.stats.link_types.get(name, 0) + n
        self._expire_frags(float("inf"))
