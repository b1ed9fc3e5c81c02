"""analyzer.report.anonymize: pseudonyms for client addresses and MACs in text and packets.

Checksums are verified with a checker written here from RFC 1071 (not the module's
incremental arithmetic): every checksum of a packet is reduced to its error, (stored -
correct) mod 0xFFFF, which must be the same before and after the rewrite: 0 for a valid
one, the same non-zero amount for a forged one.
"""

from __future__ import annotations

import ipaddress
import json
import struct
import time
from pathlib import Path

import analyzer
import pytest
from analyzer.anomalies import AnomalyLog
from analyzer.capture import read_capture
from analyzer.flows import Flow
from analyzer.model import Analysis
from analyzer.report import jsondoc
from analyzer.report.anonymize import Pseudonyms
from analyzer.report.packets import cited, link_layer, read_packets

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "captures"
SCENARIOS = ROOT / "tests" / "scenarios"
DEMO = CAPTURES / "demo-clubhouse-2021.pcapng"


def ip(text: str) -> bytes:
    return ipaddress.ip_address(text).packed


def frames_of(path: Path) -> list[tuple[int, bytes]]:
    _info, batches = read_capture(str(path), AnomalyLog())
    return [(lt, buf[o:o + c]) for buf, recs in batches for o, c, _w, _ts, lt in recs]


# ------------------------------------------------------------------ an independent checker

def ones_sum(b: bytes) -> int:
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def error(stored: int, covered: bytes) -> int:
    """(stored - correct) mod 0xFFFF, ``covered`` having its checksum field zeroed."""
    correct = ~ones_sum(covered) & 0xFFFF
    return (stored - correct) % 0xFFFF


def zeroed(b: bytes, at: int) -> bytes:
    return b[:at] + b"\0\0" + b[at + 2:]


def checksum_errors(data: bytes, lt: int) -> dict[str, int]:
    """Every checksum this packet carries -> its error (0 = valid)."""
    p, et = link_layer(data, lt)
    out: dict[str, int] = {}
    if et == 0x0800:
        _ipv4_errors(data[p:], out, "")
    elif et == 0x86DD:
        _ipv6_errors(data[p:], out, "")
    return out


def _ipv4_errors(pkt: bytes, out: dict[str, int], tag: str) -> None:
    ihl = (pkt[0] & 15) * 4
    out[tag + "ip"] = error(int.from_bytes(pkt[10:12], "big"), zeroed(pkt[:ihl], 10))
    tlen = int.from_bytes(pkt[2:4], "big")
    if int.from_bytes(pkt[6:8], "big") & 0x3FFF:
        return  # fragment: the transport checksum covers the reassembled datagram
    proto = pkt[9]
    pseudo = pkt[12:20] + bytes((0, proto)) + (tlen - ihl).to_bytes(2, "big")
    _l4_errors(pkt[ihl:tlen], proto, pseudo, tlen > len(pkt), out, tag, v6=False)


def _ipv6_errors(pkt: bytes, out: dict[str, int], tag: str) -> None:
    nh, o = pkt[6], 40
    end = 40 + int.from_bytes(pkt[4:6], "big")
    while nh in (0, 43, 60, 44):
        if nh == 44:
            return
        nh, o = pkt[o], o + (pkt[o + 1] + 1) * 8
    pseudo = pkt[8:40] + (end - o).to_bytes(4, "big") + bytes((0, 0, 0, nh))
    _l4_errors(pkt[o:end], nh, pseudo, end > len(pkt), out, tag, v6=True)


def _l4_errors(seg: bytes, proto: int, pseudo: bytes, cut: bool, out: dict[str, int],
               tag: str, v6: bool) -> None:
    at = {6: 16, 17: 6, 1: 2, 58: 2}.get(proto)
    if at is None or len(seg) < at + 2:
        return
    stored = int.from_bytes(seg[at:at + 2], "big")
    if proto == 17 and stored == 0:
        out[tag + "udp"] = -1  # none
    elif not cut:
        covered = zeroed(seg, at) if proto == 1 else pseudo + zeroed(seg, at)
        out[tag + {6: "tcp", 17: "udp", 1: "icmp", 58: "icmp6"}[proto]] = error(stored, covered)
    if proto in (1, 58) and len(seg) > 8 and seg[0] in ((3, 11) if proto == 1 else (1, 3)):
        inner = seg[8:]
        if inner[0] >> 4 == 4 and not tag:
            _ipv4_errors(inner, out, "quoted-")
        elif inner[0] >> 4 == 6 and not tag:
            _ipv6_errors(inner, out, "quoted-")


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def demo() -> Analysis:
    return analyzer.analyze([str(DEMO)])


def test_demo_client_and_servers(demo: Analysis) -> None:
    ps = Pseudonyms.from_analysis(demo)
    assert ps.ip("192.168.1.23") == "198.18.0.1"
    for server in ("114.114.114.114", "104.18.24.37", "185.15.59.224", "93.184.215.14"):
        assert ps.ip(server) == server
    assert ps.mapping == [("IPv4 client", "198.18.0.1")]


def test_demo_json_document_text(demo: Analysis) -> None:
    ps = Pseudonyms.from_analysis(demo)
    doc = json.dumps(jsondoc.document(demo), indent=1)
    out = ps.text(doc)
    assert "192.168.1.23" not in out
    assert out.count("198.18.0.1") == doc.count("192.168.1.23") > 10
    assert "tcp:198.18.0.1:50330-104.18.24.37:443" in out
    for server in ("114.114.114.114", "104.18.24.37", "31.13.77.33"):
        assert out.count(server) == doc.count(server) > 0
    assert json.loads(out)["findings"][1]["flows"][0] == "tcp:198.18.0.1:50330-104.18.24.37:443"
    # nothing else moved: undo the one replacement and the documents are equal
    assert out.replace("198.18.0.1", "192.168.1.23") == doc


CLIENTS = [ip("10.0.0.1"), ip("2001:db8::1")]


@pytest.mark.parametrize(("text", "want"), [
    ("10.0.0.1", "198.18.0.1"),
    ("at 10.0.0.1.", "at 198.18.0.1."),
    ("(10.0.0.1)", "(198.18.0.1)"),
    ("tcp:10.0.0.1:5000-192.0.2.1:80", "tcp:198.18.0.1:5000-192.0.2.1:80"),
    ("10.0.0.10 110.0.0.1 10.0.0.123 10.0.0.1.5 1.10.0.0.1.4 v10.0.0.1",
     "10.0.0.10 110.0.0.1 10.0.0.123 10.0.0.1.5 1.10.0.0.1.4 v10.0.0.1"),
    ("tcp:[2001:db8::1]:5000-[2001:db8::2]:443", "tcp:[2001:db8:ffff::1]:5000-[2001:db8::2]:443"),
    ("icmp6:2001:db8::1-2001:db8::2", "icmp6:2001:db8:ffff::1-2001:db8::2"),
    ("2001:DB8::1", "2001:db8:ffff::1"),
    ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:0db8:ffff:0000:0000:0000:0000:0001"),
    ("2001:db8::10 2001:db8::1:2 12001:db8::1 2001:db8::1a",
     "2001:db8::10 2001:db8::1:2 12001:db8::1 2001:db8::1a"),
    ("::ffff:10.0.0.1", "::ffff:198.18.0.1"),
    ("1.0.0.10.in-addr.arpa", "1.0.18.198.in-addr.arpa"),
    (ipaddress.ip_address("2001:db8::1").reverse_pointer,
     ipaddress.ip_address("2001:db8:ffff::1").reverse_pointer),
    ("2021-02-08T12:00:00.000Z 12:34:56 std::vector a::b",
     "2021-02-08T12:00:00.000Z 12:34:56 std::vector a::b"),
    ("c8:3a:35:0e:41:01 C8-3A-35-0E-41-01", "02:00:00:00:00:01 02-00-00-00-00-01"),
    ("ff:ff:ff:ff:ff:ff 01:00:5e:00:00:fb 00:00:00:00:00:00",
     "ff:ff:ff:ff:ff:ff 01:00:5e:00:00:fb 00:00:00:00:00:00"),
    ("AB:CD:EF:01:23:45:67:89:AB:CD", "AB:CD:EF:01:23:45:67:89:AB:CD"),
])
def test_text_replaces_whole_addresses_only(text: str, want: str) -> None:
    assert Pseudonyms(CLIENTS).text(text) == want


def test_text_is_linear() -> None:
    ps = Pseudonyms([ip(f"10.0.{i >> 8}.{i & 255}") for i in range(2000)])
    assert ps.ip("10.0.7.207") != "10.0.7.207"
    hostile = ["1:" * 200_000, "1." * 200_000, "a:" * 100_000 + "::1",
               "10.0.0.1 " * 50_000, "aa:bb:cc:dd:ee:ff:" * 20_000]
    t0 = time.perf_counter()
    for s in hostile:
        ps.text(s)
    assert time.perf_counter() - t0 < 10


def test_ip_forms() -> None:
    ps = Pseudonyms(CLIENTS)
    assert ps.ip("2001:0db8::0001") == "2001:db8:ffff::1"
    assert ps.ip("192.0.2.1") == "192.0.2.1"
    assert ps.ip("not an address") == "not an address"


def test_pseudonyms_skip_real_addresses() -> None:
    ps = Pseudonyms([ip("10.0.0.1"), ip("10.0.0.2")], taken=[ip("198.18.0.1")])
    assert (ps.ip("10.0.0.1"), ps.ip("10.0.0.2")) == ("198.18.0.2", "198.18.0.3")
    # a client that already lives in the range (proxy "fake-ip" modes use 198.18.0.0/15)
    ps = Pseudonyms([ip("198.18.0.1")])
    assert ps.ip("198.18.0.1") == "198.18.0.2"
    ps = Pseudonyms([ip("2001:db8:ffff::1"), ip("2001:db8::5")])
    assert ps.ip("2001:db8:ffff::1") == "2001:db8:ffff::2"
    assert ps.ip("2001:db8::5") == "2001:db8:ffff::3"
    # MACs: one met in a packet is never issued
    frame = bytes.fromhex("020000000001" "c83a350e4101" "0800") + b"\0" * 20
    ps = Pseudonyms()
    ps.see(frame, 1)
    assert ps.mac(bytes.fromhex("c83a350e4101")) == bytes.fromhex("020000000002")


def _flow(a: str, pa: int, b: str, pb: int, proto: int, ts: float, hist: str = "") -> Flow:
    fa, fb = ip(a), ip(b)
    fl = Flow(f"x:{a}:{pa}-{b}:{pb}", (fa, pa, fb, pb, proto), fa, pa, fb, pb, proto, ts)
    fl.hist = hist
    return fl


def test_client_rule() -> None:
    a = Analysis(tool_version="t")
    a.flows = [
        _flow("192.0.2.10", 50000, "203.0.113.1", 443, 6, 1.0, "ShAD"),
        _flow("192.0.2.10", 50001, "203.0.113.2", 80, 6, 2.0, "ShAD"),
        # an inbound connection to the client: it still opens more than it answers (and
        # the host that opened it counts as a client too)
        _flow("203.0.113.9", 40000, "192.0.2.10", 8080, 6, 3.0, "ShAD"),
        # seen without its handshake, first packet from the server: oriented by port
        _flow("203.0.113.3", 443, "192.0.2.11", 50002, 6, 4.0, "dA"),
        _flow("203.0.113.53", 53, "192.0.2.11", 40000, 17, 5.0),
        # the resolver, also opening one flow of its own, answers more than it opens
        _flow("192.0.2.11", 40001, "192.0.2.53", 53, 17, 6.0),
        _flow("192.0.2.10", 40002, "192.0.2.53", 53, 17, 7.0),
        _flow("192.0.2.53", 123, "203.0.113.123", 123, 17, 8.0),
        # a SYN/ACK sender opened nothing
        _flow("203.0.113.4", 443, "192.0.2.12", 50003, 6, 9.0, "H"),
        # the target of a finding keeps its address even as an originator
        _flow("192.0.2.200", 50004, "203.0.113.5", 443, 6, 10.0, "S"),
        _flow("192.0.2.200", 50005, "203.0.113.6", 443, 6, 11.0, "S"),
        _flow("0.0.0.0", 68, "255.255.255.255", 67, 17, 12.0),
    ]
    a.findings = [{"id": "F1", "target": {"ip": "192.0.2.200"}}]
    ps = Pseudonyms.from_analysis(a)
    assert [ps.ip(x) for x in ("192.0.2.10", "203.0.113.9", "192.0.2.11", "192.0.2.12")] == [
        "198.18.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.4"]
    for kept in ("203.0.113.3", "192.0.2.53", "203.0.113.4", "192.0.2.200",
                 "0.0.0.0", "255.255.255.255", "203.0.113.123"):
        assert ps.ip(kept) == kept
    assert "192.0.2.10" not in repr(ps.mapping)


def test_targets_and_resolvers_keep_their_addresses() -> None:
    a = analyzer.analyze([str(SCENARIOS / "real-airtel-http-rst" / "capture.pcap"),
                          str(SCENARIOS / "rst-gfw-type2-sni-ipv6" / "capture.pcap")])
    ps = Pseudonyms.from_analysis(a)
    assert ps.ip("134.134.134.134") == "198.18.0.1"
    assert ps.ip("10.10.10.10") == "10.10.10.10"  # the finding's target
    assert ps.ip("240e:3b4:38e4:9a70:e1c:4b7:66d0:1f3a") == "2001:db8:ffff::1"
    assert ps.ip("240e:4c:4008::1") == "240e:4c:4008::1"  # the resolver


# ------------------------------------------------------------------ packets

def _changed(a: bytes, b: bytes) -> set[int]:
    return {i for i in range(max(len(a), len(b))) if a[i:i + 1] != b[i:i + 1]}


def test_demo_packets_checksums_and_bytes(demo: Analysis) -> None:
    ps = Pseudonyms.from_analysis(demo)
    client = ip("192.168.1.23")
    macs = set()
    for lt, data in frames_of(DEMO):
        out = ps.packet(data, lt)
        assert len(out) == len(data)
        before, after = checksum_errors(data, lt), checksum_errors(out, lt)
        assert before == after and set(before.values()) == {0}
        assert client not in out[:54]
        proto = data[23]
        l4_ck = {6: {50, 51}, 17: {40, 41}}[proto]
        allowed = set(range(12)) | {24, 25} | set(range(26, 34)) | l4_ck
        assert _changed(data, out) <= allowed
        assert out[54 if proto == 6 else 42:] == data[54 if proto == 6 else 42:] or proto == 6
        macs.update((out[:6], out[6:12]))
    assert macs == {bytes.fromhex("020000000001"), bytes.fromhex("020000000002")}


def test_forged_checksums_stay_wrong_by_the_same_amount(demo: Analysis) -> None:
    ps = Pseudonyms.from_analysis(demo)
    frames = frames_of(DEMO)
    lt, rst = frames[41]  # frame 42, a forged RST to the client
    bad = bytearray(rst)
    bad[50:52] = ((int.from_bytes(bad[50:52], "big") + 0x1234) & 0xFFFF).to_bytes(2, "big")
    bad[24:26] = (int.from_bytes(bad[24:26], "big") ^ 0x0101).to_bytes(2, "big")
    before = checksum_errors(bytes(bad), lt)
    assert before["tcp"] != 0 and before["ip"] != 0
    out = ps.packet(bytes(bad), lt)
    assert checksum_errors(out, lt) == before
    assert out[30:34] == ip("198.18.0.1")
    # a UDP checksum of 0 (none) stays 0
    lt, query = frames[34]  # frame 35, the client's DNS query
    none = bytearray(query)
    none[40:42] = b"\0\0"
    out = ps.packet(bytes(none), lt)
    assert out[40:42] == b"\0\0" and out[26:30] == ip("198.18.0.1")
    assert checksum_errors(out, lt)["ip"] == 0


def _ipv4_udp(src: bytes, dst: bytes, payload: bytes) -> bytes:
    ln = 8 + len(payload)
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ln, 1, 0, 64, 17, 0, src, dst)
    iph = zeroed(iph, 10)[:10] + struct.pack("!H", ~ones_sum(iph) & 0xFFFF) + iph[12:]
    udp = struct.pack("!HHHH", 40000, 53, ln, 0) + payload
    ck = ~ones_sum(src + dst + bytes((0, 17)) + ln.to_bytes(2, "big") + udp) & 0xFFFF
    return iph + udp[:6] + struct.pack("!H", ck or 0xFFFF) + udp[8:]


def test_udp_checksum_that_becomes_zero_is_sent_as_ffff() -> None:
    ps = Pseudonyms([ip("10.0.0.1")])
    src, dst, new = ip("10.0.0.1"), ip("192.0.2.53"), ip("198.18.0.1")
    # choose 2 payload bytes so that after the rewrite the computed checksum is 0
    rest = ones_sum(new + dst + bytes((0, 17)) + (10).to_bytes(2, "big")
                    + struct.pack("!HHHH", 40000, 53, 10, 0))
    filler = (0xFFFF - rest) % 0xFFFF
    pkt = _ipv4_udp(src, dst, filler.to_bytes(2, "big"))
    assert checksum_errors(pkt, 101) == {"ip": 0, "udp": 0}
    out = ps.packet(pkt, 101)
    assert out[26:28] == b"\xff\xff"
    assert checksum_errors(out, 101) == {"ip": 0, "udp": 0}


def _eth(dst_mac: str, src_mac: str, et: int) -> bytes:
    return bytes.fromhex(dst_mac) + bytes.fromhex(src_mac) + et.to_bytes(2, "big")


def _ipv6(src: str, dst: str, nh: int, body: bytes) -> bytes:
    return struct.pack("!IHBB16s16s", 0x60000000, len(body), nh, 64, ip(src), ip(dst)) + body


def _with_l4_checksum(src: str, dst: str, nh: int, seg: bytes, at: int) -> bytes:
    pseudo = ip(src) + ip(dst) + len(seg).to_bytes(4, "big") + bytes((0, 0, 0, nh))
    ck = ~ones_sum(pseudo + zeroed(seg, at)) & 0xFFFF
    return seg[:at] + ck.to_bytes(2, "big") + seg[at + 2:]


def test_ipv6_over_ethernet_crafted() -> None:
    cli, srv = "2001:db8:1::10", "2001:db8:2::20"
    cmac, gmac = "c83a350e4101", "3c22fb5a1023"
    ps = Pseudonyms([ip(cli)])
    syn = struct.pack("!HHIIBBHHH", 40000, 443, 1, 0, 0x50, 0x02, 64240, 0, 0)
    syn = _with_l4_checksum(cli, srv, 6, syn, 16)
    ns = struct.pack("!BBHI16s", 135, 0, 0, 0, ip(cli)) + bytes((1, 1)) + bytes.fromhex(cmac)
    ns = _with_l4_checksum(cli, "ff02::1:ff00:10", 58, ns, 2)
    echo = struct.pack("!BBHHH", 128, 0, 0, 7, 1) + b"ping"
    echo = _with_l4_checksum(srv, cli, 58, echo, 2)
    pkts = [_eth(gmac, cmac, 0x86DD) + _ipv6(cli, srv, 6, syn),
            _eth("3333ff000010", cmac, 0x86DD) + _ipv6(cli, "ff02::1:ff00:10", 58, ns),
            _eth(cmac, gmac, 0x86DD) + _ipv6(srv, cli, 58, echo)]
    outs = []
    for pkt in pkts:
        before = checksum_errors(pkt, 1)
        assert set(before.values()) == {0} and before
        out = ps.packet(pkt, 1)
        assert checksum_errors(out, 1) == before
        assert ip(cli) not in out and bytes.fromhex(cmac) not in out
        outs.append(out)
    c6 = ip("2001:db8:ffff::1")
    gw, me = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")  # as first met
    assert outs[0][:12] == gw + me
    assert outs[0][22:38] == c6 and outs[0][38:54] == ip(srv)
    assert outs[1][6:12] == me  # same MAC, same pseudonym
    assert outs[1][62:78] == c6  # the NS target address
    assert outs[1][80:86] == me  # its link-layer address option
    assert outs[1][:6] == bytes.fromhex("3333ff000010")  # multicast MAC kept
    assert outs[2][38:54] == c6 and outs[2][:12] == me + gw


@pytest.mark.parametrize("name", ["link-ipv6-229.pcap", "ipv6-extension-headers-fragments.pcap",
                                  "link-linux-sll.pcap", "link-linux-sll2.pcap",
                                  "link-ethernet-vlan-qinq.pcap", "link-null-le.pcap",
                                  "ipv4-options.pcap", "ipv4-fragments.pcap"])
def test_capture_packets_keep_their_checksums(name: str) -> None:
    path = CAPTURES / name
    a = analyzer.analyze([str(path)])
    clients = [f.a for f in a.flows]  # every originator, to exercise as many fields as can be
    ps = Pseudonyms(clients)
    n = 0
    for lt, data in frames_of(path):
        out = ps.packet(data, lt)
        before = checksum_errors(data, lt)
        assert checksum_errors(out, lt) == before
        for c in clients:
            assert c not in out[:link_layer(data, lt)[0] + 40]
        n += len(before)
    assert n > 0


def test_icmp_errors_quoting_the_client() -> None:
    path = CAPTURES / "icmp-errors-quoting-tcp.pcap"
    a = analyzer.analyze([str(path)])
    ps = Pseudonyms.from_analysis(a)
    assert ps.ip("192.0.2.10") == "198.18.0.1" and ps.ip("2001:db8:1::10") == "2001:db8:ffff::1"
    assert ps.ip("192.0.2.254") == "192.0.2.254" and ps.ip("2001:db8:1::1") == "2001:db8:1::1"
    frames = frames_of(path)
    for lt, data in frames:
        out = ps.packet(data, lt)
        before = checksum_errors(data, lt)
        assert checksum_errors(out, lt) == before
        assert ip("192.0.2.10") not in out and ip("2001:db8:1::10") not in out
    lt, te = frames[4]  # frame 5: time exceeded to the client, quoting its packet
    out = ps.packet(te, lt)
    assert {"ip", "icmp", "quoted-ip"} <= set(checksum_errors(out, lt))
    assert out[14 + 20 + 8 + 12:14 + 20 + 8 + 16] == ip("198.18.0.1")  # quoted source


def test_read_packets_with_pseudonyms_is_deterministic() -> None:
    def run() -> tuple[list[bytes], list[str], list[tuple[str, str]], str]:
        a = analyzer.analyze([str(DEMO), str(SCENARIOS / "rst-gfw-type2-sni-ipv6" /
                                             "capture.pcap")])
        ps = Pseudonyms.from_analysis(a)
        frames, flows = cited(a)
        got = read_packets(a, frames, flows, pseudonyms=ps)
        views = [v for lst in got.flow_packets.values() for v in lst]
        text = ps.text(json.dumps(jsondoc.document(a)))
        return ([v.data for v in views], [f"{v.src} {v.dst} {v.info}" for v in views],
                ps.mapping, text)

    first, second = run(), run()
    assert first == second
    data, lines, mapping, text = first
    assert ("IPv6 client", "2001:db8:ffff::1") in mapping
    assert all("192.168.1.23" not in ln and "240e:3b4" not in ln for ln in lines)
    assert not any(ip("192.168.1.23") in d[:60] for d in data)
    assert "192.168.1.23" not in text and "240e:3b4:38e4:9a70" not in text
