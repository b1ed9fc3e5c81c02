"""analyzer.report.packets: re-reading the cited frames and the named flows' packets.

The bytes are compared with what the capture reader yields for the same frame numbers (and,
where tshark is installed, the decoded header fields with tshark's on every packet of the
crafted link-type captures); the selection rules, the file checks and the bounds are
exercised on real captures.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import analyzer
import pytest
from analyzer.anomalies import AnomalyLog
from analyzer.capture import read_capture
from analyzer.report import packets as pk
from analyzer.report.packets import PacketView, cited, decode, five_tuple, read_packets

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "captures"
SCENARIOS = ROOT / "tests" / "scenarios"
DEMO = CAPTURES / "demo-clubhouse-2021.pcapng"
TSHARK = shutil.which("tshark")
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed "
                                  "(Debian: apt-get install tshark); nothing to compare with")

F_50330 = "tcp:192.168.1.23:50330-104.18.24.37:443"


def raw_frames(path: Path) -> list[tuple[float, int, bytes, int]]:
    """(ts, linktype, bytes, wirelen) of every frame, as the capture reader yields them."""
    _info, batches = read_capture(str(path), AnomalyLog())
    return [(ts, lt, buf[o:o + c], w) for buf, recs in batches for o, c, w, ts, lt in recs]


@pytest.fixture(scope="module")
def demo() -> analyzer.Analysis:
    return analyzer.analyze([str(DEMO)])


def test_cited_collects_findings_and_observations(demo: analyzer.Analysis) -> None:
    frames, flows = cited(demo)
    want = {(0, f) for f in (35, 36, 37, 42, 43, 44, 49, 50, 51)}
    assert want <= frames
    assert flows[:3] == ["udp:192.168.1.23:58231-114.114.114.114:53", F_50330,
                         "tcp:192.168.1.23:50332-104.18.24.37:443"]
    assert len(flows) == len(set(flows))


def test_demo_cited_frames_bytes_and_fields(demo: analyzer.Analysis) -> None:
    frames, flows = cited(demo)
    got = read_packets(demo, frames, flows)
    assert got.unavailable == {}
    raw = raw_frames(DEMO)
    assert set(got.frames) == frames
    for (i, fr), v in got.frames.items():
        ts, lt, data, wirelen = raw[fr - 1]
        assert (v.input, v.frame, v.ts, v.linktype, v.data, v.wirelen) == (
            i, fr, ts, lt, data, wirelen)
    q, forged, genuine = (got.frames[(0, f)] for f in (35, 36, 37))
    assert (q.proto, q.src, q.dst, q.sport, q.dport) == (
        "udp", "192.168.1.23", "114.114.114.114", 58231, 53)
    assert q.info == "DNS query A www.clubhouse.com"
    assert forged.info == "DNS response A 31.13.77.33" and forged.ttl == 247
    assert genuine.info == "DNS response A 104.18.24.37, 104.18.25.37" and genuine.ttl == 84
    rst = got.frames[(0, 42)]
    assert (rst.proto, rst.src, rst.dst, rst.sport, rst.dport, rst.ttl, rst.flags, rst.info,
            rst.df, rst.payload_len) == ("tcp", "104.18.24.37", "192.168.1.23", 443, 50330,
                                         104, "RA", "RST", False, 0)
    assert [got.frames[(0, f)].ttl for f in (43, 44)] == [105, 106]


def test_demo_flow_ladder_packets(demo: analyzer.Analysis) -> None:
    frames, flows = cited(demo)
    got = read_packets(demo, frames, flows)
    ladder = got.flow_packets[F_50330]
    assert [p.frame for p in ladder] == [38, 39, 40, 41, 42, 43, 44]
    assert [p.flags for p in ladder] == ["S", "SA", "A", "PA", "RA", "RA", "RA"]
    assert ladder[3].info == "TLS ClientHello SNI www.clubhouse.com"
    # the cited frames are the very same objects in both maps
    assert ladder[4] is got.frames[(0, 42)]
    assert F_50330 not in got.omitted
    dns = got.flow_packets["udp:192.168.1.23:58231-114.114.114.114:53"]
    assert [p.frame for p in dns] == [35, 36, 37]
    # the control flow, not cited, is only read when asked for
    ctl = "tcp:192.168.1.23:50336-104.18.24.37:443"
    assert ctl not in got.flow_packets
    got2 = read_packets(demo, (), [ctl])
    assert [p.frame for p in got2.flow_packets[ctl]] == list(range(52, 70))
    assert got2.frames == {}
    assert got2.flow_packets[ctl][3].info == "TLS ClientHello SNI www.example.com"
    assert got2.flow_packets[ctl][5].info == "TLS ServerHello, ChangeCipherSpec, application data"


def test_http_and_icmp_info_lines() -> None:
    kr = analyzer.analyze([str(SCENARIOS / "http-injected-redirect-kr" / "capture.pcap")])
    got = read_packets(kr, [(0, 52), (0, 53), (0, 64)])
    assert got.frames[(0, 52)].info == "HTTP GET / (Host thepiratebay.org)"
    assert got.frames[(0, 53)].info == "HTTP/1.1 302 Found -> http://warning.or.kr/"
    assert got.frames[(0, 53)].flags == "FPA"
    icmp = analyzer.analyze([str(CAPTURES / "icmp-errors-quoting-tcp.pcap")])
    got = read_packets(icmp, [(0, 5), (0, 7), (0, 10)],
                       ["tcp:192.0.2.10:40700-198.51.100.20:80"])
    assert got.frames[(0, 5)].info == ("ICMP time exceeded (TTL exceeded in transit) quoting tcp "
                                       "192.0.2.10:40700 -> 198.51.100.20:80")
    assert got.frames[(0, 5)].proto == "icmp"
    assert got.frames[(0, 7)].info == ("ICMPv6 destination unreachable (administratively "
                                       "prohibited) quoting tcp [2001:db8:1::10]:40701 -> "
                                       "[2001:db8:2::20]:443")
    assert got.frames[(0, 10)].proto == "icmp6"
    # the ICMP error quoting the flow comes with the flow's packets (the analysis linked it)
    assert [p.frame for p in got.flow_packets["tcp:192.0.2.10:40700-198.51.100.20:80"]] == \
        [1, 2, 3, 4, 5]


def test_fragments_come_with_their_flow() -> None:
    """The analysis dates a fragmented datagram by the fragment that completed it; all its
    fragments are shown with the flow, even when the last one came first."""
    a = analyzer.analyze([str(CAPTURES / "ipv4-fragments.pcap")])
    got = read_packets(a, [(0, 3)], [f.id for f in a.flows])
    frames = {fid: [p.frame for p in lst] for fid, lst in got.flow_packets.items()}
    assert frames == {"udp:198.51.100.20:41000-192.0.2.10:9999": [1, 2, 3],
                      "udp:198.51.100.20:41001-192.0.2.10:9999": [4, 5, 6]}
    first = got.flow_packets["udp:198.51.100.20:41001-192.0.2.10:9999"][1]
    assert (first.info, first.sport, first.dport) == ("first IPv4 fragment", 41001, 9999)
    assert got.frames[(0, 3)].info == "IPv4 fragment at offset 2960"
    a = analyzer.analyze([str(CAPTURES / "ipv6-extension-headers-fragments.pcap")])
    got = read_packets(a, (), [f.id for f in a.flows])
    assert [p.frame for p in got.flow_packets[
        "udp:[2001:db8:2::20]:41600-[2001:db8:1::10]:9999"]] == [3, 4, 5]


def test_rst_with_payload_info() -> None:
    a = analyzer.analyze([str(SCENARIOS / "rst-henan-payload" / "capture.pcap")])
    got = read_packets(a, [(0, f) for f in a.findings[0]["frames"]])
    rsts = [v for v in got.frames.values() if "R" in v.flags]
    assert rsts
    for v in rsts:
        assert v.info.startswith("RST")
        if v.payload_len:
            assert v.info.startswith(f"RST with {v.payload_len} bytes of data")


def test_long_flow_limit_keeps_cited_head_and_counts_the_rest() -> None:
    path = SCENARIOS / "throttling-sni-twitter" / "capture.pcapng"
    a = analyzer.analyze([str(path)])
    f = a.findings[0]
    fid = f["flows"][0]
    flow = next(fl for fl in a.flows if fl.id == fid)
    total = flow.h[0].pkts + flow.h[1].pkts
    got = read_packets(a, [(0, fr) for fr in f["frames"]], [fid], per_flow_limit=20)
    shown = got.flow_packets[fid]
    frames = [p.frame for p in shown]
    assert frames == sorted(frames)
    assert set(f["frames"]) <= set(frames)
    assert len(shown) == 20
    assert got.omitted[fid] == total - 20
    first = sorted(fr for fr, (ts, lt, data, _w) in enumerate(raw_frames(path), 1)
                   if (key := five_tuple(data, lt)) and key[0] in
                   ((flow.a, flow.pa, flow.b, flow.pb, 6), (flow.b, flow.pb, flow.a, flow.pa, 6)))
    assert len(first) == total  # five_tuple finds exactly the flow's packets
    assert frames[:3] == first[:3]  # the handshake comes first
    # a limit below the cited count still shows every cited frame
    got = read_packets(a, [(0, fr) for fr in f["frames"]], [fid], per_flow_limit=2)
    assert [p.frame for p in got.flow_packets[fid]] == sorted(f["frames"])


def test_candidate_bound_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    path = SCENARIOS / "throttling-sni-twitter" / "capture.pcapng"
    a = analyzer.analyze([str(path)])
    f = a.findings[0]
    monkeypatch.setattr(pk, "MAX_CANDIDATES", 5)
    got = read_packets(a, [(0, fr) for fr in f["frames"]], f["flows"])
    assert "stopped collecting after 5 packets" in got.truncated[0]
    # cited frames are fetched by number, never lost to the bound
    assert {fr for (_i, fr) in got.frames} == set(f["frames"])
    assert set(f["frames"]) <= {p.frame for p in got.flow_packets[f["flows"][0]]}


def test_unavailable_inputs(tmp_path: Path, demo: analyzer.Analysis) -> None:
    frames, flows = cited(demo)
    # a spooled copy given in sources is read like the original
    copy = tmp_path / "spool.pcapng"
    shutil.copy(DEMO, copy)
    got = read_packets(demo, frames, flows, sources={0: str(copy)})
    assert got.unavailable == {} and len(got.frames) == len(frames)
    # same size, one byte changed: the SHA-256 tells
    data = bytearray(DEMO.read_bytes())
    data[-20] ^= 0xFF
    copy.write_bytes(bytes(data))
    got = read_packets(demo, frames, flows, sources={0: str(copy)})
    assert got.unavailable == {0: "file changed since the analysis (SHA-256 differs)"}
    assert got.frames == {} and got.flow_packets == {}
    copy.write_bytes(bytes(data) + b"\0")
    got = read_packets(demo, frames, flows, sources={0: str(copy)})
    assert got.unavailable == {0: "file changed since the analysis (size differs)"}
    got = read_packets(demo, frames, flows, sources={0: str(tmp_path / "gone.pcapng")})
    assert got.unavailable == {0: "file not found"}
    got = read_packets(demo, frames, flows, sources={0: "-"})
    assert got.unavailable == {0: "read from standard input"}
    # nothing requested from an input: it is not read, and not reported
    assert read_packets(demo, (), (), sources={0: "-"}).unavailable == {}


def test_one_bad_input_does_not_spoil_another(tmp_path: Path) -> None:
    other = SCENARIOS / "rst-gfw-type3-host" / "capture.pcap"
    a = analyzer.analyze([str(DEMO), str(other)])
    frames, flows = cited(a)
    got = read_packets(a, frames, flows, sources={0: str(tmp_path / "missing")})
    assert got.unavailable == {0: "file not found"}
    assert {i for i, _f in got.frames} == {1}
    assert all(p.input == 1 for lst in got.flow_packets.values() for p in lst)
    assert got.frames[(1, 24)].flags == "RA" and got.frames[(1, 24)].linktype == 113


@needs_tshark
@pytest.mark.parametrize("name", [
    "link-ethernet-vlan-qinq.pcap", "link-pppoe.pcap", "link-ppp-9.pcap",
    "link-ppp-hdlc-50.pcap", "link-ppp-ether-51.pcap", "link-linux-sll.pcap",
    "link-linux-sll2.pcap",
    "link-raw-12.pcap", "link-raw-14.pcap", "link-raw-101.pcap", "link-ipv4-228.pcap",
    "link-ipv6-229.pcap", "link-null-le.pcap", "link-null-be.pcap", "link-loop.pcap",
    "ipv6-extension-headers-fragments.pcap", "icmp-errors-quoting-tcp.pcap",
    "ipv4-options.pcap", "demo-clubhouse-2021.pcapng",
])
def test_fields_agree_with_tshark(name: str) -> None:
    path = CAPTURES / name
    fields = ("frame.number", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.ttl",
              "ipv6.hlim", "ip.id", "ip.flags.df", "tcp.srcport", "tcp.dstport",
              "udp.srcport", "udp.dstport", "tcp.seq_raw", "tcp.ack_raw",
              "tcp.window_size_value", "tcp.len")
    cmd = [str(TSHARK), "-n", "-r", str(path), "-T", "fields", "-E", "occurrence=f"]
    for fld in fields:
        cmd += ["-e", fld]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    raw = raw_frames(path)
    assert len(out.splitlines()) == len(raw)
    for line in out.splitlines():
        row = dict(zip(fields, line.split("\t"), strict=True))
        fr = int(row["frame.number"])
        ts, lt, data, wirelen = raw[fr - 1]
        v = pk.view(0, fr, ts, lt, data, wirelen)
        src = row["ip.src"] or row["ipv6.src"] or None
        if row["ip.src"] and row["ipv6.src"]:
            continue  # tunnelled: not a case the crafted files have
        assert v.src == src, fr
        assert v.dst == (row["ip.dst"] or row["ipv6.dst"] or None), fr
        hop = row["ip.ttl"] or row["ipv6.hlim"]
        assert v.ttl == (int(hop) if hop else None), fr
        if row["ip.id"]:
            assert v.ip_id == int(row["ip.id"], 16) and v.df == (row["ip.flags.df"] in
                                                                ("1", "True")), fr
        if v.proto in ("icmp", "icmp6") or "fragment" in v.info:
            continue  # tshark's transport fields are then those of a quoted or later packet
        sport = row["tcp.srcport"] or row["udp.srcport"]
        if sport:
            assert v.sport == int(sport) and v.dport == int(row["tcp.dstport"] or
                                                           row["udp.dstport"]), fr
        if row["tcp.seq_raw"]:
            assert (v.seq, v.ack, v.win, v.payload_len) == (
                int(row["tcp.seq_raw"]), int(row["tcp.ack_raw"]),
                int(row["tcp.window_size_value"]), int(row["tcp.len"])), fr


def test_scapy_link_type_fallback() -> None:
    from scapy.layers.dot11 import Dot11, RadioTap
    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import LLC, SNAP

    pkt = (RadioTap() / Dot11(type=2, addr1="00:11:22:33:44:55", addr2="66:77:88:99:aa:bb",
                              addr3="00:11:22:33:44:55") / LLC() / SNAP()
           / IP(src="10.0.0.1", dst="192.0.2.80", ttl=33) / TCP(sport=1234, dport=80,
                                                               flags="S"))
    data = bytes(pkt)
    off, et = pk.link_layer(data, 127)
    assert et == 0x0800 and data[off] == 0x45
    v = pk.view(0, 1, 0.0, 127, data, len(data))
    assert (v.src, v.dst, v.ttl, v.sport, v.dport, v.flags) == (
        "10.0.0.1", "192.0.2.80", 33, 1234, 80, "S")
    # a link type nobody knows: no IP header, no exception
    assert pk.link_layer(data, 147) == (0, -1)
    assert pk.view(0, 1, 0.0, 147, data, len(data)).info == "no IP header found"


def test_hostile_bytes_never_raise() -> None:
    """Every prefix of every frame of several captures, and random corruptions of them,
    decode to a view without an exception."""
    rng = random.Random(7)
    names = ["demo-clubhouse-2021.pcapng", "malformed-headers.pcap", "icmp-errors-quoting-tcp.pcap",
             "ipv6-extension-headers-fragments.pcap", "link-linux-sll2.pcap", "link-null-le.pcap"]
    n = 0
    for name in names:
        for ts, lt, data, wirelen in raw_frames(CAPTURES / name):
            cuts = range(len(data) + 1) if len(data) < 400 else range(0, len(data), 7)
            for cut in cuts:
                v = pk.view(0, 1, ts, lt, data[:cut], wirelen)
                assert isinstance(v, PacketView)
                five_tuple(data[:cut], lt)
                n += 1
            for _ in range(30):
                bad = bytearray(data)
                for _k in range(rng.randint(1, 6)):
                    bad[rng.randrange(len(bad))] = rng.randrange(256)
                v = pk.view(0, 1, ts, lt, bytes(bad), wirelen)
                assert len(v.info) < 400
                n += 1
    assert n > 5000
    assert decode(b"", 1).info == "empty"
    assert "malformed" in decode(bytes.fromhex("4500"), 101).info
    assert "malformed" in decode(bytes.fromhex("46000028000000004006") + b"\0" * 10, 101).info


def test_info_cuts_and_escapes_captured_strings() -> None:
    host = "x" * 200
    req = (b"GET /" + b"a" * 300 + b" HTTP/1.1\r\nHost: " + host.encode() + b"\x01\r\n\r\n")
    info = pk._http_request_info(req)
    assert len(info) < 200 and "..." in info and "\x01" not in info
    assert "\n" not in pk._http_response_info(b"HTTP/1.1 302 Found\r\nLocation: a\nb\r\n\r\n")
