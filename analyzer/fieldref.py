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
    "synack_frame": ("int|null", "frame of the first SYN/ACK", "36"),
    "rtt_ms": ("float|null", "SYN to SYN/ACK, milliseconds, at the capture point", "48.2"),
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
    "detail.packets": ("list[object]", "the packets that matter (SYN, SYN/ACK, RST, FIN, first "
                       "data packets, anything after a RST), up to 64: frame, ts, dir (0 from the "
                       "originator), flags (TCP flags byte; ICMP: type<<8|code), seq and ack "
                       "(relative, first payload byte = 1), len (payload), ttl, ip_id, df, window "
                       "(raw), options (TCP options of SYN/RST/FIN packets)", "[...]"),
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
        out.append(f"| `{prefix}{name}` | {typ} | {cell} | `{ex}` |")
    out.append("")
    return out


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
    lines += _table("anomalies[]", ANOMALY_FIELDS)
    lines += ["## Anomaly catalogue", "", "| name | meaning |", "|---|---|"]
    for name, desc in sorted(CATALOGUE.items()):
        lines.append(f"| `{name}` | {desc} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown())
