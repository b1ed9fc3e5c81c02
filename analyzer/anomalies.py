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
    "tcp_synack_bad_ack": "a SYN/ACK that does not acknowledge the SYN (a SYN proxy's "
                          "challenge, or forged); it and the client's RST rejecting it are "
                          "not the handshake",
    "tcp_data_after_rst": "payload seen in a connection after a RST",
    "tcp_data_after_fin": "payload past the sequence number of the same side's FIN (not kept "
                          "as stream data: the receiver drops it); e.g. a genuine response "
                          "arriving after an injected one that ended with a FIN",
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
    # DNS (analyzer.protocols.dns, analyzer.extract)
    "dns_bad_label_type": "a DNS name uses a reserved label type (0x40 or 0x80)",
    "dns_bad_opt": "a malformed or misplaced EDNS OPT record",
    "dns_bad_pointer": "a DNS compression pointer points past the message",
    "dns_bad_rdata_length": "a DNS record's rdata length does not fit its type",
    "dns_bad_svcb_param": "a malformed or out-of-order SVCB/HTTPS parameter",
    "dns_compression_loop": "DNS compression pointers form a loop (or jump too often)",
    "dns_label_truncated": "a DNS name runs past the end of the message",
    "dns_multiple_opt": "more than one EDNS OPT record; the extra ones were ignored",
    "dns_name_too_long": "a DNS name longer than 255 octets",
    "dns_record_limit": "a DNS section holds more records than are parsed (512)",
    "dns_short_header": "a DNS message shorter than its 12-byte header",
    "dns_tcp_partial_message": "a DNS-over-TCP stream ends inside a length-prefixed message",
    "dns_trailing_bytes": "bytes after the last DNS record the header announces",
    "dns_truncated_message": "a DNS message ends before the records its header announces",
    # HTTP/1.x (analyzer.protocols.http)
    "http_bad_chunk": "a malformed chunk in a chunked HTTP body",
    "http_bad_content_length": "an invalid or conflicting HTTP Content-Length",
    "http_bad_request_line": "an HTTP request line that does not parse",
    "http_bad_status_line": "an HTTP status line that does not parse",
    "http_bad_transfer_encoding": "an HTTP Transfer-Encoding whose last coding is not chunked",
    "http_bare_cr": "a CR not followed by LF inside an HTTP header line",
    "http_bare_lf": "HTTP header lines end with LF instead of CRLF",
    "http_beyond_kept_stream": "an HTTP response, or the rest of its body, lies beyond the "
    "part of the server's stream kept for parsing (the reassembly limit, 64 KiB each way by "
    "default): not parsed, not missing",
    "http_duplicate_host": "more than one Host header in an HTTP request",
    "http_header_too_long": "an HTTP header block longer than 32 KiB",
    "http_malformed_header": "an HTTP header line without a valid name and colon",
    "http_message_limit": "more HTTP messages on a connection than are parsed (1024)",
    "http_missing_host": "an HTTP/1.1 request without a Host",
    "http_not_http": "a stream taken for HTTP does not start with an HTTP message",
    "http_obs_fold": "an obsolete folded HTTP header line",
    "http_te_and_content_length": "an HTTP message with both Transfer-Encoding and "
    "Content-Length",
    "http_too_many_headers": "more than 100 HTTP header fields in a message",
    # TLS (analyzer.protocols.tls)
    "tls_alert_malformed": "a cleartext TLS alert record of odd or zero length",
    "tls_alpn_malformed": "an empty protocol name in the ALPN extension",
    "tls_bad_cipher_suites_length": "a ClientHello cipher-suite list of odd or zero length",
    "tls_bad_extension_length": "a TLS extension (or extension block) length that does not fit",
    "tls_bad_record_type": "a TLS record with an unknown content type; parsing stopped there",
    "tls_bad_record_version": "a TLS record whose version is not 3.x; parsing stopped there",
    "tls_bad_session_id_length": "a TLS session id longer than 32 bytes",
    "tls_certificate_malformed": "a TLS Certificate message whose lengths do not fit",
    "tls_certificate_too_large": "a certificate larger than 64 KiB in a TLS Certificate message",
    "tls_duplicate_extension": "the same extension twice in a ClientHello",
    "tls_empty_handshake_record": "a TLS handshake record of zero length",
    "tls_handshake_truncated": "a TLS handshake message cut short (by the capture or the stream)",
    "tls_record_too_long": "a TLS record longer than 2^14 + 2048 bytes; parsing stopped there",
    "tls_short_encrypted_alert": "a 2-byte alert record after encryption began (a plaintext "
    "alert where an encrypted one belongs)",
    "tls_sni_malformed": "a malformed server_name extension (lengths, empty or non-printable "
    "name, several names)",
    "tls_sslv2_hello": "an SSL 2.0-compatible ClientHello",
    "tls_too_many_anomalies": "more TLS anomalies in one stream than are kept",
    "tls_too_many_certificates": "more than 10 certificates in a TLS Certificate message",
    "tls_too_many_extensions": "more than 256 extensions in a ClientHello",
    "tls_too_many_handshakes": "more than 64 TLS handshake messages in one stream",
    "tls_too_many_records": "more TLS records in one stream than are walked or kept",
    # X.509 (analyzer.protocols.x509)
    "x509_bad_extension": "a certificate extension that does not decode",
    "x509_bad_issuer": "a certificate issuer name that does not decode",
    "x509_bad_subject": "a certificate subject name that does not decode",
    "x509_bad_validity": "a certificate validity period that does not decode",
    "x509_chain_too_long": "a certificate chain longer than 10; the rest was not checked",
    "x509_unparseable": "a certificate that does not parse as DER X.509",
    # QUIC (analyzer.protocols.quic)
    "quic_cid_too_long": "a QUIC connection ID longer than 20 bytes",
    "quic_client_hello_incomplete": "the ClientHello in the QUIC CRYPTO frames is incomplete",
    "quic_crypto_beyond_cap": "QUIC CRYPTO data beyond the 64 KiB that is reassembled",
    "quic_crypto_overlap_mismatch": "retransmitted QUIC CRYPTO bytes differ from the first copy",
    "quic_decrypt_failed": "a QUIC Initial packet that does not decrypt with the Initial keys",
    "quic_empty_payload": "a decrypted QUIC packet without frames",
    "quic_fixed_bit_clear": "a QUIC long header with the fixed bit clear",
    "quic_frame_not_allowed": "a QUIC frame type not allowed in its packet type",
    "quic_frame_truncated": "a QUIC frame runs past the end of its packet",
    "quic_header_truncated": "a QUIC packet header runs past the end of the datagram",
    "quic_packet_truncated": "a QUIC packet's Length field runs past the datagram",
    "quic_reserved_bits_set": "the reserved bits of a decrypted QUIC header are set",
    "quic_retry_too_short": "a QUIC Retry packet too short for its integrity tag",
    "quic_too_many_ack_ranges": "a QUIC ACK frame with more ranges than are read",
    "quic_too_many_crypto_frames": "more QUIC CRYPTO frames than are reassembled",
    "quic_too_many_frames": "more frames in one QUIC packet than are read",
    "quic_too_many_packets": "more coalesced QUIC packets in a datagram than are read",
    "quic_unexpected_handshake_message": "the first QUIC CRYPTO message is not the expected "
    "ClientHello / ServerHello",
    "quic_unknown_frame": "a QUIC frame of an unknown type; the packet's frames stop there",
    "quic_version_negotiation_malformed": "a QUIC Version Negotiation packet of bad length",
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
