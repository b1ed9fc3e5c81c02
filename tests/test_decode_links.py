"""Link layers and the IP layer: every link type the decoder claims, an unknown link type,
VLAN / QinQ, IPv4 options, IPv4 and IPv6 fragments (in order, out of order, overlapping),
the IPv6 extension-header chain, and ICMP / ICMPv6 errors linked to the flow they quote.
"""

from __future__ import annotations

import pytest

T0 = 1_612_785_600
GET = b"GET / HTTP/1.1\r\nHost: www.example.net\r\nAccept: */*\r\n\r\n"


def assert_basic(r, *, v6: bool = False, frame0: int = 0) -> None:
    """The DNS exchange and TCP handshake + request of ``generate.basic()``."""
    c, res, srv = (("2001:db8:1::10", "2001:db8:53::53", "2001:db8:80::80") if v6
                   else ("192.0.2.10", "198.51.100.53", "203.0.113.80"))
    fmt = (lambda ip, p: f"[{ip}]:{p}") if v6 else (lambda ip, p: f"{ip}:{p}")
    dns = r.flow(f"udp:{fmt(c, 40053)}-{fmt(res, 53)}")
    assert dns["conn_state"] == "SF"
    assert (dns["orig_ttl"], dns["resp_ttl"]) == (64, 57)
    assert dns["orig_payload_bytes"] == 33
    web = r.flow(f"tcp:{fmt(c, 40080)}-{fmt(srv, 80)}")
    assert web["history"] == "ShAD"
    assert web["conn_state"] == "S1"
    assert (web["syn_frame"], web["synack_frame"]) == (frame0 + 3, frame0 + 4)
    assert (web["orig_ttl"], web["resp_ttl"]) == (64, 50)
    assert web["orig_payload_bytes"] == len(GET)


LINKS = [
    # file, link type name, IPv6?
    ("link-ethernet-vlan-qinq.pcap", "EN10MB", False),
    ("link-pppoe.pcap", "EN10MB", False),
    ("link-ppp-9.pcap", "PPP", False),
    ("link-ppp-hdlc-50.pcap", "PPP_HDLC", False),
    ("link-ppp-ether-51.pcap", "PPP_ETHER", False),
    ("link-linux-sll.pcap", "LINUX_SLL", False),
    ("link-linux-sll2.pcap", "LINUX_SLL2", False),
    ("link-raw-12.pcap", "RAW", False),
    ("link-raw-14.pcap", "RAW", False),
    ("link-raw-101.pcap", "RAW", False),
    ("link-ipv4-228.pcap", "IPV4", False),
    ("link-ipv6-229.pcap", "IPV6", True),
    ("link-loop.pcap", "LOOP", False),
]


@pytest.mark.parametrize(("name", "link", "v6"), LINKS)
def test_link_types(run, frames, name, link, v6):
    r = run(name)
    assert r.input["link_types"] == [link]
    assert r.input["packets"] == 6
    assert r.stats["packets_by_link_type"] == {link: 6}
    assert r.stats["ipv6" if v6 else "ipv4"] == 6
    assert (r.stats["tcp"], r.stats["udp"], r.stats["non_ip"], r.stats["undecoded"]) == (
        4, 2, 0, 0)
    assert r.anomaly_counts == {}
    assert len(r.flows()) == 2
    assert_basic(r, v6=v6)
    assert [ts for *_x, ts, _lt in frames(name)][2] == pytest.approx(T0 + 0.030, abs=1e-6)


def test_ppp_headers() -> None:
    from analyzer.decode import (
        ETH_IP4,
        ETH_IP6,
        PPP_OTHER,
        PPPOE_SESSION,
        ppp_link,
        ppp_protocol,
        pppoe_session,
    )
    ip = bytes.fromhex("4500")
    assert ppp_protocol(b"\x00\x21" + ip, 0, 4) == (2, ETH_IP4)
    assert ppp_protocol(b"\x00\x57" + ip, 0, 4) == (2, ETH_IP6)
    assert ppp_protocol(b"\x21" + ip, 0, 3) == (1, ETH_IP4)  # compressed protocol field
    assert ppp_protocol(b"\xc0\x21\x09", 0, 3) == (2, PPP_OTHER | 0xC021)  # LCP
    assert ppp_protocol(b"\x00", 0, 1)[1] == -1  # cut
    hdr = bytes.fromhex("11002a1f0014")
    assert pppoe_session(hdr + b"\x00\x21" + ip, 0, 10) == (8, ETH_IP4)
    assert pppoe_session(bytes.fromhex("1109000000"), 0, 5)[1] == -1  # cut
    assert pppoe_session(bytes.fromhex("11070000000000000000"), 0, 10) == (0, PPPOE_SESSION)
    assert ppp_link(b"\xff\x03\x00\x21" + ip, 0, 6, 9) == (4, ETH_IP4)
    assert ppp_link(b"\x00\x21" + ip, 0, 4, 9) == (2, ETH_IP4)  # no address and control
    assert ppp_link(b"\x0f\x00\x86\xdd" + ip, 0, 6, 50) == (4, ETH_IP6)  # Cisco HDLC
    assert ppp_link(hdr + b"\x00\x57" + ip, 0, 10, 51) == (8, ETH_IP6)


def test_pppoe_control_frames_are_counted_by_protocol(tmp_path) -> None:
    import struct

    from analyzer import analyze
    mac = bytes.fromhex("0200000000010200000000028864")
    lcp = mac + bytes.fromhex("11002a1f000ac0210901000800000001")
    discovery = bytes.fromhex("020000000001020000000002886311090000000401010000")
    recs = b"".join(struct.pack("<IIII", 1_612_785_600 + i, 0, len(f), len(f)) + f
                    for i, f in enumerate((lcp, discovery)))
    path = tmp_path / "pppoe-control.pcap"
    path.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1) + recs)
    r = analyze(str(path))
    per = r.stats["per_input"][0]
    assert per["non_ip_by_type"] == {"PPP-LCP": 1, "PPPoE-discovery": 1}
    assert r.anomalies == []


@pytest.mark.parametrize("name", ["link-null-le.pcap", "link-null-be.pcap"])
def test_null_both_byte_orders(run, name):
    """DLT_NULL: the family word is in the capturing host's byte order (2 = IPv4; 30 and 24
    = IPv6 on macOS and NetBSD); IPv4 and IPv6 both decoded."""
    r = run(name)
    assert r.input["link_types"] == ["NULL"]
    assert r.input["packets"] == 12
    assert (r.stats["ipv4"], r.stats["ipv6"]) == (6, 6)
    assert r.count("link_family_unknown") == 0
    assert len(r.flows()) == 4
    assert_basic(r)
    assert_basic(r, v6=True, frame0=6)


def test_vlan_and_qinq_tags_are_skipped(run, frames):
    got = frames("link-ethernet-vlan-qinq.pcap")
    # one 802.1Q tag on the DNS frames (+4 bytes), 802.1ad + 802.1Q on the TCP ones (+8)
    assert [c for c, *_x in got] == [14 + 4 + 61, 14 + 4 + 77, 14 + 8 + 60, 14 + 8 + 60,
                                     14 + 8 + 52, 14 + 8 + 106]
    r = run("link-ethernet-vlan-qinq.pcap")
    assert r.stats["non_ip"] == 0
    assert_basic(r)


def test_unknown_link_type_is_counted_and_skipped(run):
    r = run("link-unknown-147.pcap")
    assert r.input["packets"] == 6
    assert r.input["link_types"] == ["LINKTYPE_147"]
    assert r.stats["undecoded"] == 6
    assert r.stats["packets_by_link_type"] == {"LINKTYPE_147": 6}
    assert (r.stats["ipv4"], r.stats["tcp"], r.stats["udp"]) == (0, 0, 0)
    assert r.flows() == []
    assert r.count("link_type_unsupported") == 6
    a = r.anomaly("link_type_unsupported")
    assert a["examples"][0]["frame"] == 1
    assert "147" in a["examples"][0]["detail"]


# ------------------------------------------------------------------------------ IPv4


def test_ipv4_options(run):
    r = run("ipv4-options.pcap")
    # Record Route (+NOP) on the SYN, Router Alert on the UDP datagram; not on the SYN/ACK
    assert r.count("ipv4_options") == 2
    assert r.anomaly_frames("ipv4_options") == [1, 3]
    syn = r.flow(40400)
    assert syn["history"] == "Sh"
    assert (syn["orig_ttl"], syn["resp_ttl"]) == (64, 55)
    assert r.flow_obj(syn["id"]).h[0].mss == 1460  # the TCP header was found past the options
    udp = r.flow(5000, "udp")
    assert udp["resp_ip"] == "224.0.0.22"
    assert udp["orig_payload_bytes"] == len(b"router alert")
    assert udp["orig_ttl"] == 1


def test_ipv4_fragments_in_and_out_of_order(run, streams, gen):
    r = run("ipv4-fragments.pcap")
    assert (r.stats["ip_fragments"], r.stats["ip_reassembled"]) == (6, 2)
    assert r.anomaly_counts == {}
    got = streams("ipv4-fragments.pcap")
    # in order: frames 1-3; out of order (last, first, middle): frames 4-6, complete at 6
    for sport, seed, frame in ((41000, 1, 3), (41001, 2, 6)):
        fid = f"udp:198.51.100.20:{sport}-192.0.2.10:9999"
        assert r.flow(fid)["orig_payload_bytes"] == 3000
        assert got[fid].payloads() == [(frame, gen.udp_payload(seed, 3000))]


def test_ipv4_overlapping_fragments(run, streams, gen):
    """Datagram 41002 overlaps with the same bytes; 41003 with different bytes in IP
    payload bytes 1000-1480: the first copy is kept and the conflict named with frames."""
    r = run("ipv4-fragments-overlap.pcap")
    assert r.stats["ip_reassembled"] == 2
    assert r.count("ip_fragment_overlap") == 1
    assert r.anomaly_frames("ip_fragment_overlap") == [2]
    assert r.count("ip_fragment_overlap_conflict") == 1
    ex = r.anomaly("ip_fragment_overlap_conflict")["examples"][0]
    assert ex["frame"] == 5
    assert "1000-1480" in ex["detail"] and "[4]" in ex["detail"]
    got = streams("ipv4-fragments-overlap.pcap")
    assert got["udp:198.51.100.20:41002-192.0.2.10:9999"].payloads() == [
        (3, gen.udp_payload(3, 3000))]
    # first copy wins: the altered bytes ("X" * 480) of frame 5 are not in the datagram
    assert got["udp:198.51.100.20:41003-192.0.2.10:9999"].payloads() == [
        (6, gen.udp_payload(4, 3000))]


# ------------------------------------------------------------------------------ IPv6


def test_ipv6_extension_headers_and_fragments(run, streams, gen):
    r = run("ipv6-extension-headers-fragments.pcap")
    assert r.stats["ipv6"] == 5
    assert (r.stats["ip_fragments"], r.stats["ip_reassembled"]) == (3, 1)
    assert r.anomaly_counts == {}
    # hop-by-hop + destination options + routing, then TCP
    syn = r.flow("tcp:[2001:db8:1::10]:40600-[2001:db8:2::20]:443")
    assert syn["history"] == "Sh"
    assert (syn["orig_ttl"], syn["resp_ttl"]) == (64, 58)
    assert r.flow_obj(syn["id"]).h[0].mss == 1440
    # hop-by-hop + fragment, three fragments, 3000 bytes of UDP payload
    fid = "udp:[2001:db8:2::20]:41600-[2001:db8:1::10]:9999"
    assert r.flow(fid)["orig_payload_bytes"] == 3000
    assert streams("ipv6-extension-headers-fragments.pcap")[fid].payloads() == [
        (5, gen.udp_payload(6, 3000))]


# ------------------------------------------------------------------------------ ICMP


def test_icmp_errors_are_linked_to_the_quoted_flow(run):
    r = run("icmp-errors-quoting-tcp.pcap")
    v4 = r.flow("tcp:192.0.2.10:40700-198.51.100.20:80")
    assert v4["detail"]["icmp_errors"] == [
        {"frame": 5, "ts": pytest.approx(T0 + 0.024, abs=1e-6), "type": 11, "code": 0,
         "router": "192.0.2.254"}]
    v6 = r.flow("tcp:[2001:db8:1::10]:40701-[2001:db8:2::20]:443")
    assert v6["conn_state"] == "S0"
    assert v6["detail"]["icmp_errors"] == [
        {"frame": 7, "ts": pytest.approx(T0 + 0.031, abs=1e-6), "type": 1, "code": 1,
         "router": "2001:db8:1::1"}]
    # frame 8 quotes port 40799, a connection the capture never saw
    assert r.stats["icmp_errors_unmatched"] == 1
    assert r.stats["icmp"] == 4
    assert r.anomaly_counts == {}


def test_icmp_port_unreachable_quoting_a_dns_answer(run):
    """Frame 5 quotes frame 4, the second answer to a query the client sent twice, whole
    (DNS message included): linked to the DNS flow, never read as a third answer."""
    r = run("icmp-port-unreachable-dns.pcap")
    f = r.flow("udp:192.0.2.10:40800-192.0.2.53:53")
    assert [(e["frame"], e["type"], e["code"], e["router"])
            for e in f["detail"]["icmp_errors"]] == [(5, 3, 3, "192.0.2.10")]
    assert (f["orig_packets"], f["resp_packets"]) == (2, 2)
    (tx,) = r.doc["dns"]
    assert (tx["query_frames"], tx["response_frames"], tx["disagree"]) == ([1, 2], [3, 4],
                                                                           False)
    assert r.stats["icmp_errors_unmatched"] == 0
    assert r.doc["findings"] == [] and r.anomaly_counts == {}


def test_icmp6_error_quoting_a_packet_with_extension_headers(run):
    """Frame 10 quotes the SYN of frame 9, whose IPv6 header is followed by a hop-by-hop
    header and then TCP: the quote must be followed through the extension chain."""
    r = run("icmp-errors-quoting-tcp.pcap")
    f = r.flow("tcp:[2001:db8:1::10]:40702-[2001:db8:2::20]:443")
    assert f["syn_frame"] == 9
    assert [(e["frame"], e["type"], e["code"]) for e in f["detail"]["icmp_errors"]] == [
        (10, 1, 1)]
