"""The documented fields of the JSON document, the single source of ``docs/fields.md``.

``python -m analyzer.fieldref > docs/fields.md`` regenerates the reference; a test checks that
the file is current and that every key the code writes is documented here (and vice versa).
Each entry: name -> (type, meaning, example).
"""

from __future__ import annotations

import sys

from .anomalies import CATALOGUE

Doc = dict[str, tuple[str, str, str]]

INPUT_FIELDS: Doc = {
    "path": ("string", "the input as given on the command line (`-` for standard input)",
             "captures/demo.pcapng"),
    "sha256": ("string", "SHA-256 of the input's bytes as stored (compressed bytes for .gz)",
               "9f86d0…"),
    "format": ("string", "`pcap` or `pcapng`", "pcapng"),
    "compressed": ("bool", "the input was gzip-compressed", "false"),
    "size": ("int", "bytes read from the input (compressed size for .gz)", "183204"),
    "packets": ("int", "packet records read (= Wireshark's frame count)", "1234"),
    "link_types": ("list[string]", "link types of the file or of its pcapng interfaces "
                   "(libpcap names: EN10MB, LINUX_SLL, RAW ...)", '["EN10MB"]'),
    "first_ts": ("string|null", "time of the first packet, ISO 8601 UTC",
                 "2021-02-08T10:00:00.123456Z"),
    "last_ts": ("string|null", "time of the last packet, ISO 8601 UTC",
                "2021-02-08T10:00:05.000001Z"),
    "truncated": ("bool", "the file ends or breaks inside a record; everything before was kept",
                  "false"),
    "snapped_packets": ("int", "packets cut by the snap length (caplen < len)", "0"),
}

FLOW_FIELDS: Doc = {
    "id": ("string", "flow id: `transport:originator-responder`, IPv6 in brackets; `/N` for "
           "the Nth flow on the same address/port pair",
           "tcp:192.168.0.101:51234-93.184.215.14:443"),
    "input": ("int", "index of the input the flow belongs to", "0"),
    "transport": ("string", "`tcp`, `udp`, `icmp` or `icmp6`", "tcp"),
    "orig_ip": ("string", "originator address (sender of the SYN, else of the first packet)",
                "192.168.0.101"),
    "orig_port": ("int", "originator port (0 for ICMP)", "51234"),
    "resp_ip": ("string", "responder address", "93.184.215.14"),
    "resp_port": ("int", "responder port (0 for ICMP)", "443"),
    "first_ts": ("float", "first packet, seconds since the epoch", "1612778400.123456"),
    "last_ts": ("float", "last packet, seconds since the epoch", "1612778401.5"),
    "duration": ("float", "last_ts - first_ts, seconds", "1.376544"),
    "history": ("string", "Zeek-style history: S syn, H syn-ack, A ack, D data, F fin, R rst, "
                "T retransmission, I syn+rst, Q syn+fin, ^ direction flipped; upper case from "
                "the originator, lower case from the responder; each letter once", "ShADadFf"),
    "conn_state": ("string", "Zeek conn_state: S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH "
                   "SHR OTH (UDP/ICMP: S0 no reply, SF reply)", "SF"),
    "orig_packets": ("int", "packets from the originator", "12"),
    "resp_packets": ("int", "packets from the responder", "10"),
    "orig_bytes": ("int", "IP bytes from the originator", "1560"),
    "resp_bytes": ("int", "IP bytes from the responder", "8740"),
    "orig_payload_bytes": ("int", "new transport payload bytes from the originator (TCP: "
                           "sequence space covered, retransmissions not counted)", "517"),
    "resp_payload_bytes": ("int", "new transport payload bytes from the responder", "5120"),
    "orig_ttl": ("int|null", "most frequent IP TTL / hop limit from the originator", "64"),
    "resp_ttl": ("int|null", "most frequent IP TTL / hop limit from the responder", "52"),
    "syn_frame": ("int|null", "frame of the first SYN", "35"),
    "synack_frame": ("int|null", "frame of the first SYN/ACK that acknowledges the SYN (see "
                     "anomaly tcp_synack_bad_ack)", "36"),
    "rtt_ms": ("float|null", "SYN (its last transmission) to SYN/ACK, milliseconds, at the "
               "capture point", "48.2"),
    "orig_rst_frames": ("list[int]", "frames of RSTs sent from the originator's side", "[]"),
    "resp_rst_frames": ("list[int]", "frames of RSTs arriving from the responder's side "
                        "(whoever really sent them)", "[37, 38]"),
    "retransmissions": ("int", "data segments seen again (both directions)", "0"),
    "detail": ("object|null", "for notable flows only (anything but a plain complete exchange): "
               "the fields below", "{...}"),
}

DETAIL_FIELDS: Doc = {
    "detail.orig / detail.resp": ("object", "one direction's detail (fields below)", "{...}"),
    "detail.ack_frame": ("int|null", "frame of the handshake's final ACK", "37"),
    "detail.data_after_rst": ("list[int]", "frames carrying payload after a RST was seen in "
                              "the flow (either direction)", "[40]"),
    "detail.icmp_errors": ("list[object]", "ICMP/ICMPv6 errors quoting this flow: frame, ts, "
                           "type, code, router (the ICMP sender)", "[]"),
    "detail.packets": ("list[list]", "the packets that matter (SYN, SYN/ACK, RST, FIN, first "
                       "data packets, anything after a RST), up to 64, each an array in the "
                       "order of the document's `packet_columns`: frame, ts, dir (0 from the "
                       "originator), flags (TCP flags byte; ICMP: type<<8|code), seq and ack "
                       "(relative, first payload byte = 1), len (payload), ttl, ip_id, df, window "
                       "(raw), options (TCP options of SYN/RST/FIN packets)",
                       "[[35, 1612778400.1, 0, 2, 0, 0, 0, 64, 0, 1, 64240, \"MSS=1460\"]]"),
}

DIRECTION_FIELDS: Doc = {
    "first_ts": ("float|null", "first packet of this direction", "1612778400.2"),
    "last_ts": ("float|null", "last packet of this direction", "1612778401.5"),
    "data_packets": ("int", "packets carrying new payload in order", "4"),
    "ttl_first": ("list[int]", "TTL / hop limit of the first 8 packets", "[52, 52, 52]"),
    "ttl_values": ("object", "count of packets per TTL value", '{"52": 10, "187": 3}'),
    "ip_id_first": ("list[int]", "IP ID of the first 8 packets (0 for IPv6)", "[4711, 4712]"),
    "df_packets": ("int", "packets with the IPv4 don't-fragment bit", "10"),
    "mss": ("int|null", "MSS option of the SYN or SYN/ACK", "1460"),
    "window_scale": ("int|null", "window scale option of the SYN or SYN/ACK", "7"),
    "sack_permitted": ("bool", "SACK permitted option in the SYN", "true"),
    "timestamps": ("bool", "TCP timestamps option in the SYN", "true"),
    "isn": ("int|null", "initial sequence number (absolute), when the SYN was seen", "123456"),
    "zero_window_packets": ("int", "packets advertising a zero window", "0"),
    "retransmissions": ("int", "data segments entirely below the next expected sequence", "0"),
    "out_of_order": ("int", "segments filling a hole below the highest sequence seen", "0"),
    "overlaps": ("int", "segments partly overlapping data already seen", "0"),
    "conflicts": ("list[object]", "overlapping data that differs: first_frame, second_frame, "
                  "stream_offset, length", "[]"),
    "fin_frames": ("list[int]", "frames of FINs from this direction", "[50]"),
    "rst_frames": ("list[int]", "frames of RSTs from this direction", "[]"),
    "stream_gap": ("bool", "data was missing from the capture (reassembly stopped at a hole)",
                   "false"),
}

_ENDPOINTS: Doc = {
    "client_ip": ("string", "client address (the side that sent the query / ClientHello / "
                  "request / first Initial)", "192.168.0.101"),
    "client_port": ("int", "client port", "51234"),
    "server_ip": ("string", "server (or resolver) address", "93.184.215.14"),
    "server_port": ("int", "server port", "443"),
}
_EVENT_HEAD: Doc = {
    "flow": ("string", "id of the flow the event was read from (see flows[].id)",
             "tcp:192.168.0.101:51234-93.184.215.14:443"),
    "input": ("int", "index of the input the flow belongs to", "0"),
}

DNS_FIELDS: Doc = {
    **_EVENT_HEAD,
    "transport": ("string", "`udp` or `tcp`", "udp"),
    **_ENDPOINTS,
    "id": ("int", "DNS transaction ID", "36458"),
    "qname": ("string|null", "question name as sent (presentation form, no trailing dot; "
              "odd octets as `\\DDD`); null for a response without a question",
              "www.youtube.com"),
    "qtype": ("int|null", "question type", "1"),
    "qtype_name": ("string|null", "question type mnemonic (`TYPE<n>` when unknown)", "A"),
    "query_frames": ("list[int]", "frames of the query (several when the client sent the same "
                     "query again); empty for a response with no query", "[35]"),
    "query_ts": ("float|null", "time of the first query", "1612778400.123456"),
    "query_anomalies": ("list[string]", "anomaly names met parsing the query", "[]"),
    "response_count": ("int", "responses matched to the query (ID, question name "
                       "case-insensitively, and type; ID alone for a response without a "
                       "question when only one query has that ID)", "2"),
    "response_frames": ("list[int]", "frames of the responses, in arrival order", "[36, 37]"),
    "responses": ("list[object]", "the responses in arrival order (fields below)", "[...]"),
    "disagree": ("bool", "two or more responses whose answer address sets or RCODEs differ",
                 "true"),
}

DNS_RESPONSE_FIELDS: Doc = {
    "frame": ("int|null", "frame of the response (TCP: the frame completing the message)",
              "36"),
    "ts": ("float|null", "time of the response", "1612778400.127649"),
    "delay_ms": ("float|null", "milliseconds after the first query", "4.193"),
    "rcode": ("int", "RCODE (with the EDNS extended bits)", "0"),
    "rcode_name": ("string", "RCODE mnemonic (`RCODE<n>` when unknown)", "NOERROR"),
    "aa": ("bool", "authoritative answer bit", "false"),
    "tc": ("bool", "truncated (TC) bit", "false"),
    "ra": ("bool", "recursion available bit", "true"),
    "answers": ("list[object]", "answer section records: name, type, ttl, value", "[...]"),
    "authority": ("list[object]", "authority section records: name, type, ttl, value",
                  "[]"),
    "addresses": ("list[string]", "A and AAAA addresses of the answer section, in order",
                  '["10.6.6.6"]'),
    "edns": ("bool", "an EDNS(0) OPT record is present", "false"),
    "ip_ttl": ("int|null", "IP TTL / hop limit of the response packet (UDP only)", "64"),
    "ip_id": ("int|null", "IP ID of the response packet (UDP only; 0 for IPv6)", "1"),
    "df": ("bool|null", "IPv4 don't-fragment bit of the response packet (UDP only)",
           "false"),
    "anomalies": ("list[string]", "anomaly names met parsing the response",
                  '["dns_compression_loop"]'),
}

DNS_RECORD_FIELDS: Doc = {
    "name": ("string", "owner name", "www.youtube.com"),
    "type": ("string", "record type mnemonic (`TYPE<n>` when unknown)", "CNAME"),
    "ttl": ("int", "record TTL, seconds", "300"),
    "value": ("string", "presentation of the rdata (address, name, text ...; hex when "
              "unknown or malformed)", "youtube-ui.l.google.com"),
}

TLS_FIELDS: Doc = {
    **_EVENT_HEAD,
    **_ENDPOINTS,
    "outcome": ("string", "how the handshake ended: `completed` (ServerHello, then application "
                "data or both Finished), `alert`, `reset_after_client_hello` (the server side's "
                "first reaction after the ClientHello was a RST), `closed` (a FIN), "
                "`no_answer` (nothing from the server after the ClientHello), `incomplete` "
                "(anything else: other server data, a ServerHello without completion, no "
                "ClientHello seen)", "reset_after_client_hello"),
    "dns_over": ("string|null", "`dot` (port 853) or `doh` (SNI of a well-known DNS-over-HTTPS "
                 "resolver): DNS inside TLS, not decrypted", "null"),
    "client_hello_frames": ("list[int]", "frames carrying the ClientHello", "[35]"),
    "client_hello_ts": ("float|null", "time of the frame completing the ClientHello",
                        "1612778400.2"),
    "client_hello_retransmissions": ("int", "retransmissions of the ClientHello's first "
                                     "segment", "0"),
    "client_hello_complete": ("bool", "the whole ClientHello was in the stream", "true"),
    "sni": ("string|null", "server_name (SNI), non-printable bytes as `\\xNN`",
            "www.example.org"),
    "alpn": ("list[string]", "ALPN protocols offered", '["h2", "http/1.1"]'),
    "client_version": ("int|null", "ClientHello legacy_version", "771"),
    "supported_versions": ("list[int]", "supported_versions extension (GREASE kept)",
                           "[772, 771]"),
    "cipher_suites": ("list[int]", "cipher suites offered, in order", "[4865, 4866]"),
    "extensions": ("list[int]", "extension types, in order", "[0, 23, 65281]"),
    "ech": ("bool", "encrypted_client_hello extension (0xfe0d) present", "false"),
    "esni": ("bool", "legacy encrypted_server_name extension (0xffce) present", "false"),
    "ja3": ("string|null", "JA3 fingerprint (MD5)", "cd08e31494f9531f560d64c695473da9"),
    "ja3_string": ("string|null", "JA3 string before hashing", "771,4865-4866,0-23,29-23,0"),
    "ja4": ("string|null", "JA4 fingerprint", "t13d1516h2_8daaf6152771_e5627efa2ab1"),
    "server_hello_frame": ("int|null", "frame of the ServerHello", "37"),
    "server_hello_ts": ("float|null", "time of the ServerHello frame", "1612778400.25"),
    "server_hello_ms": ("float|null", "milliseconds from the ClientHello to the ServerHello",
                        "48.2"),
    "server_version": ("int|null", "version the server selected (supported_versions, else "
                       "legacy version)", "772"),
    "cipher_suite": ("int|null", "cipher suite the server selected", "4865"),
    "server_alpn": ("string|null", "ALPN protocol the server selected (visible up to TLS 1.2)",
                    "h2"),
    "hello_retry_request": ("bool", "the server's hello was a HelloRetryRequest (and no "
                            "ServerHello followed)", "false"),
    "ja3s": ("string|null", "JA3S fingerprint (MD5)", "eb1d94daa7e0344597e756a1fb6e7054"),
    "client_handshake_types": ("list[string]", "cleartext handshake messages from the client",
                               '["client_hello"]'),
    "server_handshake_types": ("list[string]", "cleartext handshake messages from the server",
                               '["server_hello", "certificate", "server_hello_done"]'),
    "certificate_frame": ("int|null", "frame where the Certificate message starts (TLS <= 1.2)",
                          "38"),
    "certificates": ("list[object]", "the chain the server presented, leaf first (fields "
                     "below); empty when encrypted (TLS 1.3) or absent", "[...]"),
    "cert_trusted": ("bool|null", "the chain verifies to a Mozilla root at the capture time and "
                     "is valid for the SNI; null without certificates, or when the "
                     "capture time is not a valid date (a damaged timestamp: no verdict)",
                     "false"),
    "cert_chain_trusted": ("bool|null", "the chain verifies at the capture time for the leaf's "
                           "own first name (whatever the SNI)", "true"),
    "cert_hostname_matches": ("bool|null", "the leaf's subjectAltName covers the SNI (null "
                              "without SNI)", "true"),
    "cert_error": ("string|null", "the verifier's message when `cert_trusted` is false (or "
                   "why the chain was not verified when it is null)",
                   "validation failed: ..."),
    "alerts": ("list[object]", "TLS alert records in frame order (fields below)", "[]"),
    "server_data_frame": ("int|null", "first server packet with payload after the ClientHello",
                          "37"),
    "server_data_ms": ("float|null", "milliseconds from the ClientHello to that packet",
                       "48.2"),
    "server_tls": ("bool", "the server's stream starts like TLS", "true"),
    "rst_frame": ("int|null", "first RST after the ClientHello (either direction)", "36"),
    "rst_ts": ("float|null", "time of that RST", "1612778400.221"),
    "rst_ms": ("float|null", "milliseconds from the ClientHello to that RST", "21.0"),
    "rst_from": ("string|null", "`client` or `server`: the direction the RST arrived from "
                 "(whoever really sent it)", "server"),
    "fin_frame": ("int|null", "first FIN after the ClientHello (either direction)", "null"),
    "fin_ts": ("float|null", "time of that FIN", "null"),
    "fin_ms": ("float|null", "milliseconds from the ClientHello to that FIN", "null"),
    "fin_from": ("string|null", "`client` or `server`", "null"),
    "client_app_data": ("bool", "application-data records from the client", "true"),
    "server_app_data": ("bool", "application-data records from the server", "true"),
    "anomalies": ("list[string]", "anomaly names met parsing either direction", "[]"),
}

TLS_CERT_FIELDS: Doc = {
    "subject": ("string", "subject, RFC 4514", "CN=www.example.org,O=Example,C=US"),
    "issuer": ("string", "issuer, RFC 4514", "CN=DigiCert TLS RSA SHA256 2020 CA1,O=DigiCert "
               "Inc,C=US"),
    "subject_cn": ("string|null", "subject common name", "www.example.org"),
    "san_dns": ("list[string]", "subjectAltName DNS names", '["www.example.org"]'),
    "san_ips": ("list[string]", "subjectAltName IP addresses", "[]"),
    "not_before": ("string", "validity start, ISO 8601 UTC", "2024-01-30T00:00:00Z"),
    "not_after": ("string", "validity end, ISO 8601 UTC", "2025-03-01T23:59:59Z"),
    "serial": ("string", "serial number, lower-case hex", "75bcef30689c8addf13e51af4afe187"),
    "sha256": ("string", "SHA-256 of the DER certificate", "4da25a6d5ef62c5f…"),
    "self_signed": ("bool", "issuer name equals subject name", "false"),
    "is_ca": ("bool", "basicConstraints cA", "false"),
}

TLS_ALERT_FIELDS: Doc = {
    "frame": ("int|null", "frame of the alert record", "40"),
    "ts": ("float|null", "time of that frame", "1612778400.3"),
    "direction": ("string", "`client` or `server`: who sent it", "server"),
    "level": ("int|null", "1 warning, 2 fatal (null when encrypted)", "2"),
    "description": ("int|null", "alert description code (null when encrypted)", "40"),
    "name": ("string|null", "alert description name", "handshake_failure"),
    "encrypted": ("bool", "sent after encryption began: level and description unreadable",
                  "false"),
}

HTTP_FIELDS: Doc = {
    **_EVENT_HEAD,
    **_ENDPOINTS,
    "index": ("int", "position of the exchange in its connection, from 0", "0"),
    "request_frames": ("list[int]", "frames carrying the request line and headers", "[4]"),
    "request_ts": ("float|null", "time of the frame completing the request head",
                   "1612778400.2"),
    "method": ("string|null", "request method (null: a response with no request seen)",
               "GET"),
    "target": ("string|null", "request target as sent", "/index.html"),
    "version": ("string|null", "request HTTP version", "HTTP/1.1"),
    "host": ("string|null", "Host header (or the authority of an absolute / CONNECT target), "
             "port kept", "www.example.org"),
    "user_agent": ("string|null", "User-Agent header", "curl/8.1.2"),
    "connect": ("bool", "a CONNECT request (a tunnel follows)", "false"),
    "pipelined": ("bool", "sent before the response to the previous request arrived", "false"),
    "request_complete": ("bool|null", "the whole request (head and body) was in the stream",
                         "true"),
    "response_frames": ("list[int]", "frames carrying the status line and headers", "[6]"),
    "response_ts": ("float|null", "time of the response's first frame", "1612778400.25"),
    "response_ms": ("float|null", "milliseconds from the request to the response", "48.2"),
    "response_version": ("string|null", "response HTTP version", "HTTP/1.1"),
    "status": ("int|null", "status code (null: no response)", "302"),
    "reason": ("string|null", "reason phrase", "Found"),
    "location": ("string|null", "Location header", "http://blocked.example/"),
    "server_header": ("string|null", "Server header", "nginx"),
    "content_type": ("string|null", "Content-Type header", "text/html"),
    "content_length": ("int|null", "Content-Length header (null when absent or invalid)", "512"),
    "body_length": ("int|null", "body bytes present in the capture (dechunked)", "512"),
    "body_prefix": ("string|null", "first 1 KiB of the body, decoded as UTF-8 with "
                    "replacement characters (never decompressed)", "<html>..."),
    "body_sha256": ("string|null", "SHA-256 of the body bytes present (dechunked)",
                    "e3b0c442…"),
    "response_complete": ("bool|null", "the whole response was in the stream (false for a "
                          "body delimited by the connection's end)", "true"),
    "interim_statuses": ("list[int]", "1xx responses received before this one", "[]"),
    "anomalies": ("list[string]", "anomaly names met parsing this request and response",
                  '["http_bare_lf"]'),
}

QUIC_FIELDS: Doc = {
    **_EVENT_HEAD,
    **_ENDPOINTS,
    "version": ("int|null", "QUIC version of the client's Initial", "1"),
    "version_name": ("string", "`v1`, `v2`, `draft-NN`, `reserved` (greasing), `negotiation` or "
                     "`unknown`: an observation, not an error", "v1"),
    "dcid": ("string|null", "Destination Connection ID of the client's first Initial (hex)",
             "aef9731cd9eea9c9"),
    "scid": ("string|null", "client's Source Connection ID (hex)", "126e4854"),
    "decrypted": ("bool", "a client Initial was decrypted", "true"),
    "sni": ("string|null", "server_name of the ClientHello in the Initial(s)", "google.com"),
    "alpn": ("list[string]", "ALPN protocols offered", '["h3"]'),
    "ja4": ("string|null", "JA4 fingerprint (`q` prefix)", "q13d0312h3_55b375c5d22e_c183556c78e2"),
    "client_hello_complete": ("bool", "the whole ClientHello was reassembled", "true"),
    "client_hello_frames": ("list[int]", "frames of the client Initials carrying ClientHello "
                            "CRYPTO data", "[2]"),
    "client_initials": ("int", "client datagrams starting with an Initial (retransmissions "
                        "included; for an unknown version: long-header datagrams)", "3"),
    "first_initial_frame": ("int|null", "frame of the first client Initial", "2"),
    "first_initial_ts": ("float|null", "time of that frame", "1612778400.2"),
    "server_answered": ("bool", "the server sent any datagram in this flow", "false"),
    "server_first_frame": ("int|null", "frame of the server's first datagram", "null"),
    "server_first_ts": ("float|null", "time of that frame", "null"),
    "server_first_ms": ("float|null", "milliseconds from the first client Initial to it",
                        "null"),
    "server_hello_frame": ("int|null", "frame of the server Initial carrying the ServerHello",
                           "null"),
    "version_negotiation": ("list[int]", "versions offered in a Version Negotiation packet",
                            "[]"),
    "version_negotiation_frame": ("int|null", "frame of that packet", "null"),
    "retry": ("bool", "the server sent a Retry", "false"),
    "close_error_codes": ("list[int]", "error codes of CONNECTION_CLOSE frames in Initials",
                          "[]"),
    "anomalies": ("list[string]", "anomaly names met parsing the flow", "[]"),
}

FINDING_FIELDS: Doc = {
    "id": ("string", "`F1`, `F2` ... for findings, `O1` ... for observations (in this document)",
           "F1"),
    "rule": ("string", "id of the strongest rule that matched (highest confidence)",
             "rst-injection/ttl-mismatch-after-trigger"),
    "rules": ("list[string]", "every rule that contributed to this finding", '["..."]'),
    "mechanism": ("string", "the contract's mechanism vocabulary (dns-injection, "
                  "dns-tampering, rst-injection, packet-injection, blockpage, tls-mitm, "
                  "blackhole, throttling, residual-blocking)", "rst-injection"),
    "confidence": ("float", "the strongest rule's confidence: 0.9-1 the packets cannot be "
                   "explained without interference; 0.7-0.9 strong, common benign causes "
                   "excluded; 0.5-0.7 consistent with interference, a benign cause plausible; "
                   "observations are below 0.5", "0.9"),
    "target": ("object", "`domain` (the name asked for: qname, SNI, Host, QUIC SNI; for "
               "residual-blocking the blocked name that triggered it; null when unknown), "
               "`ip` (the server or resolver), `port`, `transport`",
               '{"domain": "www.example.org", "ip": "93.184.215.14", "port": 443, '
               '"transport": "tcp"}'),
    "trigger": ("string|null", "what the client sent that the interference answered: "
                "tls-sni, http-host, quic-sni, dns-query, syn, synack ...", "tls-sni"),
    "input": ("int", "index of the input the frames belong to", "0"),
    "frames": ("list[int]", "every frame that proves it, over all its flows (Wireshark numbers "
               "of that input)", "[35, 36, 37, 38]"),
    "flows": ("list[string]", "the flows it was seen on", '["tcp:192.168.0.101:51234-..."]'),
    "summary": ("string", "one line in plain words naming the evidence (strongest match; "
                "`(seen on N flows)` when several)", "3 RST(s) from the server 21 ms after ..."),
    "evidence": ("list[object]", "`{name, value}` pairs: the detection fields the strongest "
                 "rule read, with their values (names as in the event fields below)",
                 '[{"name": "rst.ttl_delta", "value": 134}]'),
}

ANOMALY_FIELDS: Doc = {
    "name": ("string", "stable anomaly name (catalogue below)", "capture_truncated_tail"),
    "description": ("string", "what the name means", "…"),
    "count": ("int", "occurrences", "1"),
    "examples": ("list[object]", "first occurrences: input, frame, flow, detail", "[...]"),
}


def _table(title: str, doc: Doc, prefix: str = "") -> list[str]:
    out = [f"## {title}", "", "| field | type | meaning | example |", "|---|---|---|---|"]
    for name, (typ, meaning, example) in doc.items():
        cell = meaning.replace("|", "\\|")
        ex = example.replace("|", "\\|")
        out.append(f"| `{prefix}{name}` | {typ.replace('|', chr(92) + '|')} | {cell} | `{ex}` |")
    out.append("")
    return out


def _detection_events() -> list[str]:
    """The detection event types rules read (from the registry in analyzer.detect.fields)."""
    from .detect.fields import EVENT_TYPES

    lines = ["# Detection events (what rules match against)", "",
             "Rules (rules/README.md) read one event type each. Events are computed once per "
             "input from the flows and protocol tables above; a field that cannot be known is "
             "null and never matches.", ""]
    for name, (description, fields) in EVENT_TYPES.items():
        lines += [f"## event `{name}`", "", description[:1].upper() + description[1:] + ".",
                  "", "| field | type | meaning | example |", "|---|---|---|---|"]
        for fname, spec in fields.items():
            ex = spec.example
            ex_text = "" if ex is None else (str(ex).lower() if isinstance(ex, bool)
                                              else str(ex))
            lines.append(f"| `{fname}` | {spec.type} | {spec.description.replace('|', '/')} "
                         f"| `{ex_text}` |")
        lines.append("")
    return lines


def markdown() -> str:
    lines = [
        "# Field reference",
        "",
        "Generated by `python -m analyzer.fieldref` from `analyzer/fieldref.py`; a test keeps it",
        "in sync with the code. These are the fields of the JSON document (`--json`) and the",
        "fields rules match against.",
        "",
    ]
    lines += _table("inputs[]", INPUT_FIELDS)
    lines += _table("flows[]", FLOW_FIELDS)
    lines += _table("flows[].detail", DETAIL_FIELDS)
    lines += _table("flows[].detail.orig and .resp", DIRECTION_FIELDS)
    lines += _table("dns[]", DNS_FIELDS)
    lines += _table("dns[].responses[]", DNS_RESPONSE_FIELDS)
    lines += _table("dns[].responses[].answers[] and .authority[]", DNS_RECORD_FIELDS)
    lines += _table("tls[]", TLS_FIELDS)
    lines += _table("tls[].certificates[]", TLS_CERT_FIELDS)
    lines += _table("tls[].alerts[]", TLS_ALERT_FIELDS)
    lines += _table("http[]", HTTP_FIELDS)
    lines += _table("quic[]", QUIC_FIELDS)
    lines += _table("findings[] and observations[]", FINDING_FIELDS)
    lines += _table("anomalies[]", ANOMALY_FIELDS)
    lines += _detection_events()
    lines += ["## Anomaly catalogue", "", "| name | meaning |", "|---|---|"]
    for name, desc in sorted(CATALOGUE.items()):
        lines.append(f"| `{name}` | {desc} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown())
