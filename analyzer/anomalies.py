"""The catalogue of named anomalies: malformed or surprising traffic, recorded as evidence.

Every anomaly the analyzer can emit has a stable snake_case name here with a one-line
description. Names are never renamed or reused (rules may match on them). Anomalies are
aggregated per name: a count, plus the first few occurrences with frame and flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: name -> description. Grouped by layer; keep alphabetical inside a group.
CATALOGUE: dict[str, str] = {
    # capture file
    "capture_truncated_tail": "the capture ends inside a record; everything before the cut "
    "was kept",
    "pcap_caplen_exceeds_len": "a pcap record's captured length is larger than its original length",
    "pcap_record_too_long": "a record's captured length exceeds 256 KiB; reading stopped there",
    "pcapng_bad_block_length": "a pcapng block length is impossible or its trailer disagrees; "
    "reading stopped there",
    "pcapng_bad_byte_order_magic": "a pcapng section header has an unknown byte-order magic; "
    "reading stopped there",
    "pcapng_packet_before_section": "a packet block appears before any section header",
    "pcapng_unknown_interface": "a packet block names an interface that was not described",
    "pcapng_skipped_block": "a pcapng block of a type that carries no packets was skipped",
    "packet_truncated_by_snaplen": "a packet was cut by the capture's snap length (caplen < len)",
    # link layer
    "link_type_unsupported": "the link type is not decoded; the packets were counted and skipped",
    "link_header_truncated": "the frame is too short for its link-layer header",
    "link_family_unknown": "a NULL/LOOP header names an address family other than IP",
    "vlan_stack_too_deep": "more than four stacked VLAN tags",
    # IPv4 / IPv6
    "ip_version_mismatch": "the IP version nibble does not match the link layer's claim",
    "ipv4_bad_ihl": "IPv4 header length below 20 bytes or beyond the packet",
    "ipv4_bad_total_length": "IPv4 total length smaller than its header",
    "ipv4_total_length_exceeds_frame": "IPv4 total length larger than the captured frame "
    "(not explained by the snap length)",
    "ipv4_options": "IPv4 header carries options",
    "ip_fragment_overlap": "IP fragments overlap",
    "ip_fragment_overlap_conflict": "overlapping IP fragments carry different bytes",
    "ip_fragment_incomplete": "a fragmented datagram never completed",
    "ip_fragment_limit": "too many fragmented datagrams pending; the oldest were dropped",
    "ip_fragment_too_big": "a reassembled datagram would exceed 65535 bytes",
    "ipv6_header_truncated": "the IPv6 header or an extension header runs past the packet",
    "ipv6_extension_chain_too_long": "more than eight IPv6 extension headers",
    "ipv6_bad_payload_length": "IPv6 payload length larger than the captured frame",
    "ip_protocol_other": "an IP protocol other than TCP, UDP, ICMP or ICMPv6",
    # transport
    "tcp_header_truncated": "the TCP header runs past the packet",
    "tcp_bad_data_offset": "TCP data offset below 20 bytes or beyond the packet",
    "tcp_bad_option": "a TCP option's length is impossible",
    "tcp_syn_with_rst": "a TCP segment with both SYN and RST set",
    "tcp_syn_with_fin": "a TCP segment with both SYN and FIN set",
    "tcp_no_flags": "a TCP segment with no flags at all",
    "tcp_data_after_rst": "payload seen in a connection after a RST",
    "tcp_overlap_conflict": "two segments carry different bytes for the same sequence numbers",
    "tcp_port_reuse": "a new connection reused the address/port pair of a finished one",
    "tcp_reassembly_gap": "data missing from the capture left a hole in the reassembled stream",
    "tcp_reassembly_limit": "too many out-of-order segments pending in one direction",
    "udp_header_truncated": "the UDP header runs past the packet",
    "udp_bad_length": "UDP length field impossible for the packet",
    "icmp_truncated": "an ICMP message too short for its type",
    # state limits
    "flow_table_limit": "the flow table reached its cap; the least recently active flows "
    "were finished early",
    "reassembly_memory_limit": "the global reassembly budget was reached; further stream "
    "bytes were not kept",
}


@dataclass(slots=True)
class AnomalyLog:
    """Aggregates anomalies per name: a count and the first ``keep`` occurrences.

    Occurrences are ``(frame, flow_id, detail)`` tuples; frame and flow may be None.
    """

    keep: int = 20
    counts: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[tuple[int | None, str | None, str]]] = field(default_factory=dict)

    def add(self, name: str, frame: int | None = None, flow: str | None = None,
            detail: str = "") -> None:
        n = self.counts.get(name, 0)
        self.counts[name] = n + 1
        if n < self.keep:
            self.samples.setdefault(name, []).append((frame, flow, detail))

    def add_count(self, name: str, count: int, frame: int | None = None,
                  detail: str = "") -> None:
        """Record ``count`` occurrences at once (counters kept on the hot path)."""
        if count <= 0:
            return
        n = self.counts.get(name, 0)
        self.counts[name] = n + count
        if n < self.keep:
            self.samples.setdefault(name, []).append((frame, None, detail))


def describe(name: str) -> str:
    """The catalogue description of an anomaly name (protocol parsers add their own)."""
    return CATALOGUE.get(name, "")
