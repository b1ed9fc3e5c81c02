"""The detection event types and every field a rule can read (the rule loader validates rule
files against this registry; ``analyze rules list --fields`` and ``docs/fields.md`` print it).

A field that cannot be known for an event (no handshake to compare with, IPv6 has no IP ID
...) is null, and a rule item on a null field never matches.
"""

from __future__ import annotations

from ..rules.schema import EVENTS, FieldSpec

F = FieldSpec

COMMON: dict[str, FieldSpec] = {
    "event": F("str", "the event type", "tcp.reset"),
    "frames": F("list[int]", "the frames that prove this event (Wireshark numbers)", [35, 36]),
    "flow.id": F("str", "the flow id (see the flows table)",
                 "tcp:192.168.0.101:51234-93.184.215.14:443"),
    "transport": F("str", "tcp or udp", "tcp"),
    "client.ip": F("ip", "the client (originator) address", "192.168.0.101"),
    "client.port": F("int", "the client port", 51234),
    "server.ip": F("ip", "the server (responder, or resolver) address", "93.184.215.14"),
    "server.port": F("int", "the server port", 443),
    "domain": F("str", "the name the client asked for: TLS SNI, HTTP Host, QUIC SNI, DNS qname, "
                "else the name this server address was resolved for earlier in the capture",
                "www.example.org"),
    "domain.source": F("str", "where `domain` comes from: sni, host, quic-sni, qname, dns",
                       "sni"),
    "name.public": F("bool", "`domain` looks like a public DNS name (two or more labels, not a "
                     "private-use TLD such as .local, .lan, .internal, .home.arpa)", True),
    "trigger.kind": F("str", "what the client last sent before the event that a censor could "
                      "react to: tls-sni, tls-client-hello, http-host, http-request, quic-sni, "
                      "quic-initial, dns-query, data (unnamed payload), synack, syn, none",
                      "tls-sni"),
    "trigger.frame": F("int", "the frame of the trigger", 34),
    "trigger.ts": F("float", "the trigger's capture time (epoch seconds)", 1612785600.25),
    "trigger.name": F("str", "the name the trigger carried (SNI, Host, qname)",
                      "www.example.org"),
}

FLOW_COMMON: dict[str, FieldSpec] = {
    "ip.version": F("int", "4 or 6", 4),
    "rtt_ms": F("float", "the flow's handshake round-trip time (the last SYN to SYN/ACK) "
                "seen at the capture point, ms", 182.4),
    "tcp.state": F("str", "Zeek conn_state of the flow (S0, SF, RSTO, RSTR ...)", "RSTR"),
    "tcp.history": F("str", "Zeek-style history letters of the flow", "ShADr"),
    "flow.ttl_expired": F("bool", "an ICMP time-exceeded came back quoting a packet of this "
                          "flow: what the client sent ran out of TTL (hop limit) on the way, "
                          "as a traceroute's or a TTL-limited probe's packets do", False),
}

CONTROL: dict[str, FieldSpec] = {
    "control.same_server_ok": F("bool", "another flow to the same server address and port in "
                                "this capture worked (TLS completed, HTTP answered, data "
                                "without reset), within 10 minutes", True),
    "control.other_name_ok": F("bool", "such a working flow asked for another name (the "
                               "natural control: same server, other SNI or Host)", True),
    "control.other_name": F("str", "the name the working control flow asked for",
                            "www.wikipedia.org"),
    "control.same_name_ok": F("bool", "another flow to the same server address and port "
                              "asked for the same name within 60 s and worked: a block of "
                              "that name would have hit it too", False),
    "control.flow": F("str", "the id of the control flow", "tcp:10.0.0.2:50312-1.2.3.4:443"),
}

TCP_RESET: dict[str, FieldSpec] = {
    "rst.from": F("str", "who the RSTs claim to come from: server or client", "server"),
    "rst.count": F("int", "RSTs in this direction of the flow", 3),
    "rst.frames": F("list[int]", "their frames", [37, 38, 39]),
    "rst.first_frame": F("int", "the first RST's frame", 37),
    "rst.flags": F("str", "the first RST's flags: R or RA (RST+ACK)", "RA"),
    "rst.ttl": F("int", "the first RST's IP TTL (hop limit)", 185),
    "rst.ttls": F("list[int]", "every RST's TTL", [185, 186, 187]),
    "rst.ttl_distinct": F("int", "how many different TTLs the RSTs carry", 3),
    "rst.ttl_incrementing": F("bool", "the first (up to 3) RSTs' TTLs increase by exactly 1",
                              True),
    "rst.ttl_delta": F("int", "first RST's TTL minus the sender's genuine TTL (its SYN or "
                       "SYN/ACK, else its most common TTL); null when the sender sent nothing "
                       "else", 134),
    "rst.ttl_delta_max": F("int", "the largest (by absolute value) such delta over the RSTs",
                           136),
    "rst.ttl_as_sender_last": F("bool", "the first RST has the TTL of its sender's own last "
                                "packet before it (of those the flow table keeps: handshake, "
                                "first data, FIN), which differs from the handshake's: the "
                                "sender changed its TTL itself (a TTL-limited probe)", False),
    "rst.initial_ttl": F("int", "the initial TTL the first RST most likely started from "
                         "(32/64/128/255)", 255),
    "rst.ip_id": F("int", "the first RST's IP ID (IPv4 only)", 0),
    "rst.ip_ids": F("list[int]", "every RST's IP ID (IPv4 only)", [0]),
    "rst.ipid_gap": F("int", "smallest circular distance from the first RST's IP ID to a "
                      "non-zero IP ID of the sender's genuine packets (null: none to compare)",
                      41233),
    "rst.df": F("bool", "the first RST has the IPv4 don't-fragment bit", False),
    "rst.df_differs": F("bool", "its DF bit differs from the sender's usual DF", True),
    "rst.window": F("int", "the first RST's TCP window (stack RSTs usually carry 0)", 1980),
    "rst.windows": F("list[int]", "every RST's window", [1980, 1981, 1982]),
    "rst.window_incrementing": F("bool", "the first (up to 3) RSTs' windows increase by 1",
                                 True),
    "rst.payload_len": F("int", "bytes of payload on the first RST that carried any", 10),
    "rst.payload_hex": F("str", "that payload, hex (first 64 bytes)", "01020304050607080900"),
    "rst.henan_payload": F("bool", "the payload is the Henan firewall's 01 02 .. 09 00", True),
    "rst.seq_fit": F("str", "the first RST's sequence number against what the sender had sent "
                     "before it: next (exactly the next byte, as a stack sends), below (inside "
                     "data already sent: no stack does that), above, unknown", "below"),
    "rst.seq_distinct": F("int", "distinct sequence numbers over the RSTs", 1),
    "rst.ack_distinct": F("int", "distinct acknowledgment numbers over the RSTs", 1),
    "rst.identical": F("bool", "the first (2-3) RSTs share seq and ack (copies)", True),
    "rst.burst": F("int", "RSTs within 1 s of the first", 3),
    "rst.after_fin": F("bool", "the sender had sent a FIN before the RST (RST after close)",
                       False),
    "rst.peer_fin_before": F("bool", "the other side had sent a FIN before the RST", False),
    "rst.answers_syn": F("bool", "the RST came before the sender had sent a SYN or SYN/ACK, in "
                         "answer to the other side's SYN", False),
    "rst.delay_ms": F("float", "time from the trigger to the first RST, ms", 21.3),
    "rst.faster_than_rtt": F("bool", "that delay is under half the handshake RTT", True),
    "rst.idle_ms": F("float", "time from the flow's previous kept packet to the first RST, ms",
                     0.4),
    "sender.ttl": F("int", "the sender's genuine TTL (see rst.ttl_delta)", 51),
    "sender.initial_ttl": F("int", "its likely initial TTL", 64),
    "sender.packets": F("int", "the sender's kept non-RST packets (the comparison base)", 4),
    "sender.df": F("bool", "most of the sender's genuine packets have DF", True),
    "sender.data_before": F("bool", "the sender had sent data before the RST", False),
    "sender.acked_before": F("bool", "the server's stack had sent a bare ACK (acknowledging the "
                             "request) before the first RST: a reset that also fits its "
                             "TTL, DF and window is most likely its own", False),
    "race.after": F("int", "genuine packets from the same sender after the RST that continue "
                    "its sequence space (data, FIN or SYN/ACK): the connection lived on, so "
                    "the RST was not the sender's", 2),
    "race.data_after": F("int", "those that carry data", 2),
    "race.frames": F("list[int]", "their frames", [41, 42]),
    "race.synack_after": F("bool", "the sender's SYN/ACK arrived after the RST", False),
}

TCP_FLOW: dict[str, FieldSpec] = {
    "conflict.count": F("int", "retransmitted segments whose bytes differ from the first copy "
                        "at the same sequence numbers", 1),
    "conflict.from": F("str", "the side whose data conflicts: server or client", "server"),
    "conflict.frames": F("list[int]", "the frames of both copies", [36, 40]),
    "server.ttl": F("int", "the server's SYN/ACK TTL (else its usual TTL)", 51),
    "inject.frame": F("int", "the first server data packet after the trigger, when its TTL "
                      "differs from the server's", 36),
    "inject.ttl": F("int", "its TTL", 83),
    "inject.ttl_delta": F("int", "its TTL minus the server's", 32),
    "inject.fin": F("bool", "it carries FIN (an injected response closes the connection)",
                    True),
    "inject.df_differs": F("bool", "its DF bit differs from the SYN/ACK's", True),
    "inject.delay_ms": F("float", "time from the trigger to it, ms", 2.1),
    "inject.faster_than_rtt": F("bool", "that delay is under half the handshake RTT", True),
    "inject.len": F("int", "its payload bytes", 553),
    "syn.count": F("int", "SYNs the client sent", 4),
    "syn.unanswered": F("bool", "no SYN/ACK or RST came back", True),
    "server.public": F("bool", "the server address is globally routable", True),
    "syn.client_unanswered": F("int", "SYNs from this client address to this server endpoint, "
                               "over all its flows there that were never answered", 4),
    "syn.client_ok": F("bool", "some flow from this client address to this server endpoint "
                       "got a SYN/ACK", False),
    "control.other_client_ok": F("bool", "the same server endpoint answered (SYN/ACK) a flow "
                                 "from another client address (another path: a VPN tunnel's "
                                 "address, another vantage point) within 300 s", True),
    "control.other_client_flow": F("str", "that flow", "tcp:10.8.0.6:57619-149.154.167.99:443"),
    "control.client_path_alive": F("bool", "this client address completed a TCP handshake with "
                                   "another server from 30 s before this flow to 30 s after it",
                                   True),
    "icmp.unreachable": F("str", "for unanswered SYNs: the ICMP destination-unreachable that "
                          "came back quoting one of them (host unreachable, administratively "
                          "prohibited, port unreachable ...; fragmentation-needed is not one)",
                          "administratively prohibited"),
    "icmp.from": F("ip", "the address that sent it", "62.115.114.89"),
    "icmp.from_server": F("bool", "it came from the server address itself (its host or a NAT "
                          "in front of it) rather than from a router on the way", False),
    "icmp.frames": F("list[int]", "the frames of those ICMP errors", [12, 19]),
    "syn.duration_ms": F("float", "first to last SYN, ms", 7012.0),
    "dns.suspect": F("bool", "a DNS transaction in this capture for `domain` shows tampering "
                     "evidence (differing responses, fingerprinted address, wrong type)", True),
    "dns.tampered_address": F("bool", "the server address itself came from a tampered DNS "
                              "answer for `domain` (a forged answer of a race, or the only "
                              "answer of a tampered lookup)", False),
    "control.same_ip_any_port_ok": F("bool", "some flow to the same server address (any port) "
                                     "worked", True),
}

TCP_THROUGHPUT: dict[str, FieldSpec] = {
    "tput.kbps": F("float", "server-to-client goodput, kbit/s (payload over the direction's "
                   "active time)", 141.2),
    "tput.bytes": F("int", "server payload bytes", 409600),
    "tput.duration_s": F("float", "the server direction's active time, s", 23.2),
    "tput.retransmissions": F("int", "server retransmissions", 31),
    "control.flow": F("str", "the fastest other download by the same client network (/24, "
                      "IPv6 /56) from the same server address for another name",
                      "tcp:10.0.0.2:50312-1.2.3.4:443"),
    "control.name": F("str", "the name that control flow asked for (`(no SNI)`: a TLS "
                      "connection that sent none)", "www.example-cdn.com"),
    "control.kbps": F("float", "its goodput, kbit/s", 19822.0),
    "control.ratio": F("float", "tput.kbps / control.kbps", 0.0071),
}

TCP_STALL: dict[str, FieldSpec] = {
    "stall.bytes": F("int", "server payload bytes received in order before the server's data "
                     "stopped", 16940),
    "stall.in_freeze_window": F("bool", "stall.bytes is within 14,000-21,504, the byte budget "
                                "of the 2025 Russian freeze toward foreign hosting addresses "
                                "(fingerprints THR-03)", True),
    "stall.frame": F("int", "the server's last segment that carried new data", 96),
    "stall.wait_s": F("float", "from that segment to the client's last packet in the flow, s",
                      31.2),
    "stall.client_rst": F("bool", "the client also reset the connection", False),
    "stall.server_retransmissions": F("int", "server retransmissions (of data the client "
                                      "already acknowledged, when its ACKs are dropped)", 0),
    "control.same_server_flow": F("str", "the connection from the same client network (/24, "
                                  "IPv6 /56) to the same server address for another name "
                                  "that received the most data",
                                  "tcp:10.0.0.2:50312-1.2.3.4:443"),
    "control.same_server_name": F("str", "the name that connection asked for",
                                  "static.example.net"),
    "control.same_server_bytes": F("int", "the server payload bytes it received (0: none)",
                                   478000),
    "control.same_server_freezes": F("int", "other connections to the same server address that "
                                     "stalled the same way inside the freeze window", 1),
    "control.path_alive": F("bool", "another flow in the capture received new data from its "
                            "server while this one waited", True),
    "control.path_alive_flow": F("str", "one such flow", "tcp:10.0.0.2:50400-5.6.7.8:443"),
}

TCP_DROP: dict[str, FieldSpec] = {
    "drop.protocol": F("str", "what the parsers recognised in the client's data: tls, http, "
                       "dns, or unknown (none of them: the trigger of Iran's protocol filter on "
                       "ports 53, 80 and 443, fingerprints PF-02)", "unknown"),
    "drop.acked_bytes": F("int", "client payload bytes the server acknowledged (what reached "
                          "it)", 42),
    "drop.acked_segments": F("int", "client data segments the server acknowledged, among the "
                             "first client data packets the flow keeps (about six: a count of "
                             "six or more means a long exchange)", 1),
    "drop.unacked_bytes": F("int", "client payload bytes sent beyond them that the server "
                            "never acknowledged", 1016),
    "drop.frame": F("int", "the first client segment carrying unacknowledged bytes", 14),
    "drop.wait_s": F("float", "from that segment to the client's last packet in the flow, s",
                     21.4),
    "drop.client_retransmissions": F("int", "client retransmissions in the flow", 5),
    "drop.server_spurious": F("int", "server retransmissions of data the client had already "
                              "acknowledged at the capture point (Wireshark's spurious "
                              "retransmissions): the client's ACKs did not reach the server "
                              "either", 4),
    "drop.server_spurious_frame": F("int", "the first of them", 17),
    "drop.server_packets": F("int", "packets the server sent in the flow", 9),
    "drop.server_rst": F("bool", "the server side reset the connection in the end", False),
    "control.path_alive": F("bool", "a connection the client opened while it waited got an "
                            "answer (a SYN/ACK; for UDP any reply): its packets reached other "
                            "hosts meanwhile", True),
    "control.path_alive_flow": F("str", "the first such flow",
                                 "tcp:10.0.0.2:50400-5.6.7.8:443"),
}

DNS_TX: dict[str, FieldSpec] = {
    "dns.id": F("int", "the DNS transaction id", 4660),
    "dns.qname": F("str", "the queried name", "www.youtube.com"),
    "dns.qtype": F("str", "the query type (A, AAAA, TXT ...)", "A"),
    "dns.responses": F("int", "responses to this query (same id and 5-tuple)", 2),
    "dns.queries": F("int", "copies of the query the client sent (same id and 5-tuple) before "
                     "the first response: each copy may draw its own answer", 1),
    "dns.answers_differ": F("bool", "the responses disagree: different answer records "
                            "(compared as sets: order and DNS TTL ignored) or different rcodes",
                            True),
    "dns.rcodes": F("list[str]", "every response's rcode", ["NOERROR", "NOERROR"]),
    "dns.first.rcode": F("str", "the first response's rcode", "NOERROR"),
    "dns.first.addresses": F("list[ip]", "the first response's A/AAAA addresses",
                             ["31.13.82.1"]),
    "dns.first.ip_ttl": F("int", "the first response's IP TTL", 96),
    "dns.first.delay_ms": F("float", "query to first response, ms", 4.1),
    "dns.first.authority": F("int", "records in the first response's authority section", 0),
    "dns.first.frame": F("int", "the first response's frame", 2),
    "dns.first.edns": F("bool", "the first response carries an EDNS OPT record (the GFW's "
                        "forged answers drop the query's)", False),
    "dns.last.rcode": F("str", "the last response's rcode", "NOERROR"),
    "dns.last.addresses": F("list[ip]", "the last response's addresses", ["142.250.1.1"]),
    "dns.last.ip_ttl": F("int", "the last response's IP TTL", 57),
    "dns.last.delay_ms": F("float", "query to last response, ms", 38.2),
    "dns.last.edns": F("bool", "the last response carries an EDNS OPT record", True),
    "dns.race": F("bool", "more responses than copies of the query, and their answers differ "
                  "(dns.answers_differ, dns.responses > dns.queries)", True),
    "dns.relayed": F("bool", "dns.same_stack, dns.same_hops or dns.dns64_split: the headers "
                     "cannot tell a forged response from a second genuine one", False),
    "dns.forgery_shape": F("bool", "a response has a forgery's shape: the first dropped the "
                           "EDNS record the last keeps, or an answer is on the GFW lie list or "
                           "an injector pool", True),
    "dns.dns64_split": F("bool", "the responses split into DNS64-synthesised AAAA answers "
                         "(in 64:ff9b::/96 or 64:ff9b:1::/48) and native ones: a relay passing "
                         "on what a DNS64 and a plain resolver answered", False),
    "dns.same_stack": F("bool", "two or more responses, all from one IPv4 stack: the same IP "
                        "TTL and DF bit, each IP ID 1-64 above the one before (a relay passing "
                        "on several answers; an injector has its own counter)", False),
    "dns.same_hops": F("bool", "two or more responses, all with one IP TTL (hop limit) and DF "
                       "bit, and that TTL is a stack's initial value (64, 128, 255: sent from "
                       "the client's own link) or, with no IP ID to tell senders apart (IPv6, "
                       "IP ID 0), the resolver's usual TTL (dns.resolver_ttl): a relay passing "
                       "on several answers", False),
    "dns.ip_ttl_spread": F("int", "highest minus lowest IP TTL over the responses", 39),
    "dns.resolver_ttl": F("int", "this resolver's usual IP TTL from its other responses in the "
                          "capture", 57),
    "dns.first_ttl_delta": F("int", "first response's IP TTL minus the resolver's usual one",
                             39),
    "dns.addresses": F("list[ip]", "every address in every response", ["31.13.82.1"]),
    "dns.forged_addresses": F("list[ip]", "when responses disagree: addresses not in the last "
                              "(genuine) response", ["31.13.82.1"]),
    "dns.nxdomain_race": F("bool", "an error rcode came first and a NOERROR answer with "
                           "addresses later", False),
    "dns.a_for_aaaa": F("bool", "an AAAA query answered with an A record for the name", False),
    "dns.a_for_other_qtype": F("bool", "a query for another type (TXT, MX ...) answered with "
                               "an A record: the GFW injector's tell", False),
    "control.other_resolver": F("ip", "another resolver that answered the same name and type "
                                "in this capture (the natural DNS control)", "8.8.8.8"),
    "control.other_resolver_agrees": F("bool", "its answer shares an address with this "
                                       "transaction's (CDNs answer differently per resolver: "
                                       "false alone proves nothing)", False),
    "fp.dns_lists": F("list[str]", "fingerprint lists an answer address is on (dns-blockpage, "
                      "gfw-lie-ip, injector-pool ...; docs/fingerprints.md)", ["dns-blockpage"]),
    "fp.dns_names": F("list[str]", "the matching fingerprint entries", ["ooni.ir_0"]),
    "fp.dns_scopes": F("list[str]", "their scopes (nat, isp, prod ...)", ["nat"]),
    "fp.dns_strong": F("bool", "a matching entry has scope nat or isp (national or ISP "
                        "blocking, not an opt-in filter service, an institution or a vague "
                        "address such as 1.2.3.4)", True),
    "dns.bogons": F("list[ip]", "answer addresses in bogon space", ["127.0.0.1"]),
    "dns.bogon_kinds": F("list[str]", "their kinds: loopback, unspecified, "
                         "link-local, teredo, private, other", ["loopback"]),
}

TLS_HS: dict[str, FieldSpec] = {
    "server.public": F("bool", "the server address is globally routable", True),
    "tls.sni": F("str", "the SNI", "www.example.org"),
    "tls.outcome": F("str", "completed, alert, reset_after_client_hello, closed, no_answer, "
                     "incomplete (see the tls table)", "reset_after_client_hello"),
    "tls.ech": F("bool", "the ClientHello offers ECH", False),
    "tls.esni": F("bool", "the ClientHello carries the ESNI extension (0xffce)", False),
    "tls.client_hello_retransmissions": F("int", "ClientHello retransmissions", 3),
    "tls.client_hello_acked": F("bool", "the server acknowledged the ClientHello's bytes", False),
    "tls.unacked_hellos_to_server": F("int", "connections to this server address and port that "
                                      "opened (SYN/ACK) and whose ClientHello the server's TCP "
                                      "never acknowledged, with no answer, this one included "
                                      "(failed handshakes only)", 3),
    "tls.unacked_hellos_for_name": F("int", "the same, counted over every server address "
                                     "of this SNI on this port (a client trying both "
                                     "addresses of a resolver's name; failed handshakes "
                                     "only)", 2),
    "tcp.synacks": F("int", "SYN/ACKs the server sent on this connection: more than one means "
                     "it retransmitted its SYN/ACK, as a server whose accept queue is full "
                     "does (failed handshakes only)", 1),
    "control.same_address_ok": F("bool", "another flow to the same server address, on any "
                                 "port, worked within 10 minutes (TLS completed, HTTP "
                                 "answered, data without reset; failed handshakes only)", True),
    "control.same_address_flow": F("str", "the id of that flow",
                                   "tcp:10.0.0.2:50312-1.1.1.1:443"),
    "tls.server_hello": F("bool", "a ServerHello arrived", False),
    "tls.version": F("int", "the negotiated version (0x0304 = TLS 1.3)", 772),
    "tls.alert": F("str", "the first alert's description", "unrecognized_name"),
    "tls.alert_from": F("str", "who sent it: client or server", "server"),
    "tls.alert_encrypted": F("bool", "it was encrypted", False),
    "tls.rst_from": F("str", "who reset the connection first after the ClientHello", "server"),
    "tls.rst_ms": F("float", "ClientHello to that RST, ms", 21.0),
    "tls.fin_from": F("str", "who sent the first FIN after the ClientHello", "server"),
    "tls.fin_ms": F("float", "ClientHello to that FIN, ms", 40.0),
    "cert.count": F("int", "certificates the server presented (TLS <= 1.2)", 3),
    "cert.trusted": F("bool", "the chain verifies to a Mozilla root (certifi) and matches the "
                      "SNI, at capture time", False),
    "cert.chain_trusted": F("bool", "the chain verifies to a Mozilla root", False),
    "cert.hostname_matches": F("bool", "the leaf names the SNI", True),
    "cert.error": F("str", "why verification failed", "unable to get local issuer certificate"),
    "cert.subject": F("str", "the leaf's subject DN", "CN=www.google.com"),
    "cert.issuer": F("str", "the leaf's issuer DN", "CN=Qaznet Trust Network"),
    "cert.root_issuer": F("str", "the issuer DN of the last certificate presented",
                          "CN=Qaznet Trust Network"),
    "cert.issuer_names": F("int", "names in this capture whose untrusted chains the same leaf "
                           "issuer signed (0: the chain is trusted or unseen)", 1),
    "cert.trusted_names": F("int", "names in this capture whose chains verified to a trusted "
                            "root (certificates are seen in TLS 1.2 and older): with none, "
                            "and one private issuer signing many names, everything is "
                            "intercepted, as a corporate or antivirus proxy does", 3),
    "cert.expired_days": F("float", "days between the leaf's notAfter and the handshake "
                           "(positive: it had already expired; an interception box mints "
                           "certificates valid at the time)", 812.5),
    "cert.self_signed": F("bool", "the leaf is self-signed", False),
    "cert.sha256": F("str", "the leaf's SHA-256 fingerprint", "89107c8e…"),
    "cert.issuer_public": F("bool", "an issuer in the chain is a public CA by name (a root in "
                            "Mozilla's store, or a public CA whose root has since left it): "
                            "then an untrusted chain is an expired or outdated chain, not "
                            "interception", True),
    "fp.tls_ca": F("str", "the interception-CA fingerprint entry a certificate matched",
                   "kz-qaznet-2019"),
    "fp.tls_scope": F("str", "its scope: nat (state), enterprise ...", "nat"),
}

HTTP_EX: dict[str, FieldSpec] = {
    "http.host": F("str", "the Host header (without port)", "www.example.org"),
    "http.method": F("str", "the request method", "GET"),
    "http.target": F("str", "the request target", "/"),
    "http.status": F("int", "the response status", 302),
    "http.reason": F("str", "the reason phrase", "Found"),
    "http.location": F("str", "the Location header", "http://warning.or.kr/"),
    "http.server": F("str", "the Server header", "nginx"),
    "http.content_type": F("str", "the Content-Type header", "text/html"),
    "http.body_length": F("int", "body bytes received", 553),
    "http.body_prefix": F("str", "the first bytes of the body, as text", "<html>…"),
    "http.response_ms": F("float", "request to response, ms", 2.4),
    "http.response_ttl": F("int", "the IP TTL of the response's first packet", 83),
    "http.response_ttl_delta": F("int", "that TTL minus the server's SYN/ACK TTL", 32),
    "http.faster_than_rtt": F("bool", "the response came in under half the handshake RTT",
                              True),
    "fp.http_list": F("str", "the fingerprint list the response matched: http-blockpage, or "
                      "http-fp (a known benign page, checked first)", "http-blockpage"),
    "fp.http_name": F("str", "the matching entry", "ooni.in_3"),
    "fp.http_scope": F("str", "its scope (nat, isp, prod, vbw = vague word, fp ...)", "isp"),
    "fp.http_pattern": F("str", "the pattern that matched", "airtel.in/dot/"),
}

QUIC_HS: dict[str, FieldSpec] = {
    "quic.sni": F("str", "the SNI decrypted from the client's Initial", "www.instagram.com"),
    "quic.version": F("str", "the QUIC version", "v1"),
    "quic.decrypted": F("bool", "the Initial was decrypted", True),
    "quic.initials": F("int", "client Initial packets", 3),
    "quic.answered": F("bool", "the server sent anything back", False),
    "quic.server_first_ms": F("float", "first Initial to the server's first packet, ms", 51.0),
    "quic.sport_gt_dport": F("bool", "client port above server port (the GFW inspects only "
                             "those flows)", True),
    "quic.answered_servers": F("int", "server addresses in this capture whose QUIC handshakes "
                               "were answered (UDP/443 works toward them)", 2),
    "quic.unanswered_servers": F("int", "server addresses in this capture whose Initials (two "
                                 "or more) were never answered: many, with none answered, is a "
                                 "network that drops all QUIC (a hotel or corporate UDP "
                                 "policy), not a block of one name", 1),
    "control.tcp_same_name_ok": F("bool", "a TLS-over-TCP handshake for the same name "
                                  "completed in this capture (the TCP fallback)", True),
    "control.tcp_same_server_ok": F("bool", "a TCP flow to the same server address worked",
                                    True),
    "control.flow": F("str", "the control flow", "tcp:10.0.0.2:50312-1.2.3.4:443"),
    "control.quic_other_name_ok": F("bool", "the same server endpoint answered a QUIC "
                                    "handshake for another name within 10 minutes (the "
                                    "natural control of SNI-based QUIC blocking)", True),
    "control.quic_other_name": F("str", "the name of that QUIC handshake",
                                 "www.cloudflare.com"),
    "control.quic_flow": F("str", "its flow", "udp:10.0.0.2:50544-104.16.124.96:443"),
    "control.quic_same_name_ok": F("bool", "the same server endpoint answered a QUIC "
                                   "handshake for the same name within a minute", False),
}

RESIDUAL: dict[str, FieldSpec] = {
    "flow.name": F("str", "the name this flow itself asked for (null: none seen)",
                   "www.example.com"),
    "flow.same_name": F("bool", "this flow asked for the trigger's name again", False),
    "flow.failure": F("str", "how this flow failed: syn_unanswered, reset, refused, no_answer "
                      "(TLS or QUIC), ttl_expired (an ICMP time-exceeded quoted its packets: "
                      "they never reached the server), none", "reset"),
    "residual.trigger_flow": F("str", "the earlier flow whose trigger was blocked (or, for "
                               "encrypted-payload, that carried the trigger)",
                               "tcp:10.0.0.2:50312-1.2.3.4:443"),
    "residual.trigger_kind": F("str", "its trigger kind (tls-sni, tls-client-hello, "
                               "http-host, http-request, quic-sni, quic-initial; "
                               "encrypted-payload: a first client segment that passes none "
                               "of the exemptions of the GFW's filter for fully encrypted "
                               "traffic, fingerprints catalogue PF-01)", "tls-sni"),
    "residual.trigger_frame": F("int", "its trigger frame", 12),
    "residual.trigger_mechanism": F("str", "the mechanism found on it (null for an "
                                    "encrypted-payload trigger, whose own flow may have "
                                    "worked)", "rst-injection"),
    "residual.trigger_answered": F("bool", "the server answered the trigger flow's handshake "
                                   "(SYN/ACK, or a QUIC answer): it was reachable then",
                                   True),
    "residual.trigger_length": F("int", "encrypted-payload: bytes in the trigger segment",
                                 200),
    "residual.trigger_bits_per_byte": F("float", "encrypted-payload: set bits per byte of "
                                        "the trigger segment (random bytes: about 4)", 4.02),
    "residual.trigger_printable_share": F("float", "encrypted-payload: share of printable "
                                          "ASCII bytes in the trigger segment", 0.37),
    "residual.other_port_ok": F("bool", "a flow from the same client to the same server on "
                                "another port worked: it began before the window's end and "
                                "the server sent on it after the trigger", True),
    "residual.since_s": F("float", "seconds from that trigger to this flow's start", 20.1),
    "residual.window_s": F("float", "the documented residual window for that trigger kind "
                           "(90 s HTTP, 180 s TLS/QUIC)", 180.0),
    "residual.ok_before": F("bool", "a flow on the same client, server and port started after "
                            "the trigger and before this one, and worked: the key was not "
                            "punished then", False),
    "residual.later_ok": F("bool", "a flow on the same client, server and port worked after "
                           "the window", True),
}

EVENT_TYPES: dict[str, tuple[str, dict[str, FieldSpec]]] = {
    "tcp.reset": ("RSTs one side of a TCP flow received, compared with the genuine packets "
                  "of their claimed sender; one event per flow and direction",
                  {**COMMON, **FLOW_COMMON, **TCP_RESET, **CONTROL}),
    "tcp.flow": ("a TCP flow with conflicting data, server data whose TTL changed, or "
                 "unanswered SYNs", {**COMMON, **FLOW_COMMON, **TCP_FLOW, **CONTROL}),
    "tcp.throughput": ("a download of 32 KiB or more from a server that served another name "
                       "to the same client network (/24, IPv6 /56) in the same capture",
                       {**COMMON, **FLOW_COMMON, **TCP_THROUGHPUT}),
    "tcp.stall": ("a TCP flow whose server data stopped (no FIN, no RST, no bare ACK from the "
                  "server after its last new data) while the client waited, then closed with "
                  "a FIN nothing acknowledged",
                  {**COMMON, **FLOW_COMMON, **TCP_STALL}),
    "tcp.drop": ("a TCP flow whose client data stopped reaching the server: the server "
                 "never acknowledged it (window open) and retransmitted data the client had "
                 "acknowledged, while the client retransmitted",
                 {**COMMON, **FLOW_COMMON, **TCP_DROP, **CONTROL}),
    "dns.transaction": ("a DNS query and all its responses", {**COMMON, **DNS_TX}),
    "tls.handshake": ("a TLS handshake over TCP and how it ended",
                      {**COMMON, **FLOW_COMMON, **TLS_HS, **CONTROL}),
    "http.exchange": ("an HTTP/1.x request and its response",
                      {**COMMON, **FLOW_COMMON, **HTTP_EX}),
    "quic.handshake": ("a QUIC Initial exchange", {**COMMON, **FLOW_COMMON, **QUIC_HS}),
    "residual.flow": ("a flow to the same client, server and port as an earlier blocked "
                      "trigger, inside the documented residual window; `domain` is the "
                      "trigger's name", {**COMMON, **FLOW_COMMON, **RESIDUAL}),
}


def register() -> None:
    """Register the detection event types in the process-wide registry (idempotent)."""
    for name, (description, fields) in EVENT_TYPES.items():
        EVENTS.register(name, fields, description)


register()
