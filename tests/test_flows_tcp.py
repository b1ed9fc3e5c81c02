"""TCP flow reconstruction: history strings and Zeek conn_state, handshake facts, RST and
data after it, retransmissions with identical and with conflicting bytes, out-of-order
reassembly, holes, port reuse; and the facts the demo capture is meant to show.
"""

from __future__ import annotations

import pytest
from scapy.layers.dns import DNS

T0 = 1_612_785_600


def sni_ext(host: str) -> bytes:
    """The server_name extension as it appears in a ClientHello."""
    name = host.encode()
    return (b"\x00\x00" + (len(name) + 5).to_bytes(2, "big") + (len(name) + 3).to_bytes(2, "big")
            + b"\x00" + len(name).to_bytes(2, "big") + name)


def test_complete_connection(run, streams, gen):
    r = run("tcp-handshake-data-fin.pcap")
    f = r.flow(40100)
    assert f["id"] == "tcp:192.0.2.10:40100-198.51.100.20:80"
    assert f["history"] == "ShADadFf"
    assert f["conn_state"] == "SF"
    assert (f["syn_frame"], f["synack_frame"]) == (1, 2)
    assert f["rtt_ms"] == pytest.approx(20.0, abs=0.001)
    assert (f["orig_packets"], f["resp_packets"]) == (6, 4)
    assert (f["orig_payload_bytes"], f["resp_payload_bytes"]) == (len(gen.HTTP_GET),
                                                                  len(gen.RESPONSE))
    assert (f["orig_ttl"], f["resp_ttl"]) == (64, 52)
    assert (f["orig_rst_frames"], f["resp_rst_frames"], f["retransmissions"]) == ([], [], 0)
    assert f["detail"] is None  # a plain exchange: no detail in the JSON row
    fo = r.flow_obj(f["id"])
    assert fo.ack_frame == 3
    assert (fo.h[0].fin, fo.h[1].fin) == ([8], [9])
    o = fo.h[0]
    assert (o.mss, o.wscale, o.sack_ok, o.ts_opt) == (1460, 7, True, True)
    assert (o.syn_seq, fo.h[1].syn_seq) == (0x0A000000, 0x0B000000)
    assert fo.kept[0][0] == 1 and fo.kept[0][-1] == "MSS=1460,SACK_PERM,TS,NOP,WS=7"
    s = streams("tcp-handshake-data-fin.pcap")[f["id"]]
    assert (s.orig, s.resp) == (gen.HTTP_GET, gen.RESPONSE)
    assert r.anomaly_counts == {}


def test_rejected(run):
    r = run("tcp-rej.pcap")
    f = r.flow(40110)
    assert (f["history"], f["conn_state"]) == ("Sr", "REJ")
    assert f["resp_rst_frames"] == [2]
    assert (f["orig_packets"], f["resp_packets"]) == (1, 1)
    assert f["synack_frame"] is None


def test_syn_retransmitted_never_answered(run):
    r = run("tcp-s0-syn-retransmitted.pcap")
    assert len(r.flows()) == 1  # the same ISN: retransmissions, not new connections
    f = r.flow(40120)
    assert (f["history"], f["conn_state"]) == ("S", "S0")
    assert (f["orig_packets"], f["resp_packets"], f["syn_frame"]) == (3, 0, 1)
    assert f["duration"] == pytest.approx(3.0, abs=1e-6)
    assert r.count("tcp_port_reuse") == 0


def test_data_after_rst(run):
    r = run("tcp-rst-then-data.pcap")
    f = r.flow(40130)
    assert f["conn_state"] == "RSTR"
    assert f["history"].startswith("ShADr")
    assert f["resp_rst_frames"] == [5]
    assert f["detail"]["data_after_rst"] == [7, 8]  # frame 6 is a bare ACK
    rst = next(p for p in r.packets(f) if p["frame"] == 5)
    assert (rst["flags"], rst["ttl"], rst["ip_id"], rst["window"]) == (0x14, 111, 0x0F0F, 0)


def test_data_after_rst_is_a_named_anomaly(run):
    """The catalogue has ``tcp_data_after_rst`` ("payload seen in a connection after a
    RST"), but nothing emits it."""
    r = run("tcp-rst-then-data.pcap")
    assert r.count("tcp_data_after_rst") == 2
    assert r.anomaly_frames("tcp_data_after_rst") == [7, 8]


def test_payload_of_the_rst_itself_is_not_data_after_rst(run, gen, tmp_path):
    """A RST may carry data (RFC 1122 4.2.2.12; some middleboxes put text in it). That
    payload arrives *with* the RST, not after it."""
    tr = gen.Trace(T0 * gen.NS, gen.eth_link)
    k = gen.tcp_pair(40140, 0x0A700000, 0x0B700000)
    t = gen._exchange(tr, k, 0, [*gen.HANDSHAKE, ("c", "PA", gen.HTTP_GET, 200)])
    t += 3 * gen.MS
    tr.add(t, k.pkt("s", t, "RA", b"blocked", advance=False), False)
    path = tmp_path / "rst-with-payload.pcap"
    path.write_bytes(gen.pcap(tr.recs, 1))
    f = run(path).flow(40140)
    assert f["resp_rst_frames"] == [5]
    assert f["detail"]["data_after_rst"] == []



def test_data_past_the_fin_is_not_stream_data(run, streams, gen, tmp_path):
    """An injected response that ends with a FIN, then the genuine, longer response at the
    same sequence numbers: the receiver's TCP drops what lies past the FIN, and so does the
    kept stream (the overlap is compared, the rest named as data after the FIN)."""
    tr = gen.Trace(T0 * gen.NS, gen.eth_link)
    k = gen.tcp_pair(40145, 0x0A720000, 0x0B720000)
    t = gen._exchange(tr, k, 0, [*gen.HANDSHAKE, ("c", "PA", gen.HTTP_GET, 200)])
    blocked = b"HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\nblocked"
    start = k.side["s"].seq
    t += 4 * gen.MS
    tr.add(t, k.pkt("s", t, "FPA", blocked), False)
    t += 40 * gen.MS
    genuine = gen.RESPONSE + bytes(range(256)) * 4
    tr.add(t, k.pkt("s", t, "PA", genuine, seq=start, advance=False), False)
    path = tmp_path / "data-past-fin.pcap"
    path.write_bytes(gen.pcap(tr.recs, 1))
    r = run(path)
    f = r.flow(40145)
    assert streams(path)[f["id"]].resp == blocked
    assert r.anomaly("tcp_data_after_fin")
    assert [h["status"] for h in r.doc["http"]] == [403]


@pytest.mark.parametrize("cookie_ok", [True, False], ids=["accepted", "stale-cookie"])
def test_data_on_the_syn_tcp_fast_open(run, streams, gen, tmp_path, cookie_ok):
    """TCP Fast Open (RFC 7413): the request rides on the SYN, its first byte one past the
    SYN's sequence number. With a valid cookie the SYN/ACK acknowledges the data; with a
    stale one it acknowledges the SYN alone and the client sends the same bytes again."""
    tr = gen.Trace(T0 * gen.NS, gen.eth_link)
    k = gen.tcp_pair(40150, 0x0A710000, 0x0B710000)
    t = gen._exchange(tr, k, 0, [("c", "S", gen.HTTP_GET, 0)])
    t += 20 * gen.MS
    syn_end = 0x0A710000 + 1
    tr.add(t, k.pkt("s", t, "SA", b"", ack=None if cookie_ok else syn_end), False)
    steps = [("c", "A", b"", 100)]
    if not cookie_ok:
        k.side["c"].seq = syn_end
        steps.append(("c", "PA", gen.HTTP_GET, 50))
    steps += [("s", "PA", gen.RESPONSE, 20_000), ("c", "A", b"", 100)]
    gen._exchange(tr, k, t, steps)
    path = tmp_path / "tfo.pcap"
    path.write_bytes(gen.pcap(tr.recs, 1))
    r = run(path)
    f = r.flow(40150)
    assert streams(path)[f["id"]].orig == gen.HTTP_GET
    assert not r.anomaly("tcp_overlap_conflict")
    assert [h["host"] for h in r.doc["http"]] == ["b.example"]


def test_identical_retransmission_is_no_conflict(run, streams, gen):
    r = run("tcp-retransmissions.pcap")
    f = r.flow(40201)
    assert f["conn_state"] == "SF"
    assert "T" in f["history"]
    assert f["retransmissions"] == 1
    d = f["detail"]
    assert (d["orig"]["retransmissions"], d["orig"]["conflicts"]) == (1, [])
    assert d["resp"]["conflicts"] == []
    assert streams("tcp-retransmissions.pcap")[f["id"]].orig == gen.HTTP_GET  # once
    assert all(e["flow"] != f["id"] for e in r.anomaly("tcp_overlap_conflict")["examples"])


def test_conflicting_retransmission(run, streams):
    """Frames 14 (TTL 90, a 403) and 15 (TTL 52, the real 200) carry different bytes for
    the same 43 sequence numbers; they first differ at stream offset 9."""
    r = run("tcp-retransmissions.pcap")
    f = r.flow(40202)
    assert "t" in f["history"]
    d = f["detail"]
    assert d["resp"]["conflicts"] == [
        {"first_frame": 14, "second_frame": 15, "stream_offset": 9, "length": 43}]
    assert d["orig"]["conflicts"] == []
    both = {p["frame"]: p for p in r.packets(f) if p["frame"] in (14, 15)}
    assert {n: (p["dir"], p["seq"], p["len"], p["ttl"]) for n, p in both.items()} == {
        14: (1, 1, 43, 90), 15: (1, 1, 43, 52)}
    assert r.count("tcp_overlap_conflict") == 1
    ex = r.anomaly("tcp_overlap_conflict")["examples"][0]
    assert (ex["frame"], ex["flow"]) == (15, f["id"])
    # the first copy is the one kept in the stream
    assert streams("tcp-retransmissions.pcap")[f["id"]].resp.startswith(b"HTTP/1.1 403")


@pytest.mark.parametrize("probe", [b"\x00", b"\x00\x00"], ids=["keep-alive", "two-bytes"])
def test_keepalive_probe_is_no_conflict(run, streams, gen, tmp_path, probe):
    """A keep-alive probe (RFC 9293 3.8.4) sends the last byte again, its content arbitrary
    (Windows sends a zero): neither a retransmission nor conflicting data, as Wireshark
    sees it. Two bytes sent again with other content are a conflict."""
    tr = gen.Trace(T0 * gen.NS, gen.eth_link)
    k = gen.tcp_pair(40160, 0x0A720000, 0x0B720000)
    t = gen._exchange(tr, k, 0, [*gen.HANDSHAKE, ("c", "PA", gen.HTTP_GET, 200),
                                 ("s", "PA", gen.RESPONSE, 20_000), ("c", "A", b"", 100)])
    for _ in range(3):  # idle, then a probe and its ACK
        t += 120_000 * gen.MS
        seq = k.side["s"].seq - len(probe)
        tr.add(t, k.pkt("s", t, "A", probe, seq=seq, advance=False), False)
        t += 20 * gen.MS
        tr.add(t, k.pkt("c", t, "A"), True)
    path = tmp_path / "keepalive.pcap"
    path.write_bytes(gen.pcap(tr.recs, 1))
    r = run(path)
    f = r.flow(40160)
    assert streams(path)[f["id"]].resp == gen.RESPONSE
    conflicts = (f["detail"] or {}).get("resp", {}).get("conflicts", [])
    if len(probe) == 1:
        assert (f["retransmissions"], conflicts) == (0, [])
        assert not r.anomaly("tcp_overlap_conflict")
    else:
        assert f["retransmissions"] == 3
        assert [c["second_frame"] for c in conflicts] == [7, 9, 11]


def test_synack_that_does_not_acknowledge_the_syn_is_set_aside(run, streams, gen, tmp_path):
    """A SYN proxy's challenge: the first SYN is answered by a SYN/ACK with a wrong ack
    number (another TTL, no DF); the client's stack rejects it with a RST (seq = that ack,
    RFC 9293 3.10.7.3), retransmits its SYN a second later and the real SYN/ACK completes
    the handshake. The challenge is not the handshake and the RST does not reset the
    connection: the handshake TTL is the real server's and the RTT is measured from the
    SYN the real SYN/ACK answered."""
    tr = gen.Trace(T0 * gen.NS, gen.eth_link)
    k = gen.tcp_pair(40170, 0x0A730000, 0x0B730000)
    t = 0
    tr.add(t, k.pkt("c", t, "S", advance=False))
    t += 2 * gen.MS
    bogus_ack = 0x5EED0000
    tr.add(t, k.pkt("s", t, "SA", seq=0x77770000, ack=bogus_ack, ttl=243, df=False,
                    advance=False), False)
    t += 100 * gen.US
    tr.add(t, k.pkt("c", t, "R", seq=bogus_ack, opts=[], advance=False))
    t += 1000 * gen.MS
    gen._exchange(tr, k, t, [*gen.HANDSHAKE, ("c", "PA", gen.HTTP_GET, 200),
                             ("s", "PA", gen.RESPONSE, 20_000), ("c", "A", b"", 100)])
    path = tmp_path / "synproxy.pcap"
    path.write_bytes(gen.pcap(tr.recs, 1))
    r = run(path)
    f = r.flow(40170)
    assert (f["syn_frame"], f["synack_frame"]) == (1, 5)
    assert f["rtt_ms"] == pytest.approx(20.0, abs=0.001)
    assert (f["orig_rst_frames"], f["resp_rst_frames"]) == ([], [])
    assert (f["history"], f["conn_state"]) == ("ShADd", "S1")
    assert f["resp_ttl"] == 52
    assert streams(path)[f["id"]].resp == gen.RESPONSE
    ex = r.anomaly("tcp_synack_bad_ack")["examples"]
    assert [e["frame"] for e in ex] == [2]
    assert not r.anomaly("tcp_data_after_rst")
    assert {p["frame"] for p in r.packets(f)} >= {2, 3}  # kept as evidence
    # detection compares the response with the handshake's SYN/ACK, not the challenge
    from analyzer.detect import input_events
    from analyzer.detect.context import InputContext

    a = r.analysis
    ctx = InputContext(a.flows, a.dns, a.tls, a.http, a.quic)
    (ev,) = [e for e in input_events(ctx, None) if e["event"] == "http.exchange"]
    assert (ev["http.response_ttl"], ev["http.response_ttl_delta"]) == (52, 0)


def test_out_of_order_segments_are_reassembled(run, streams):
    r = run("tcp-out-of-order.pcap")
    f = r.flow(40300)
    assert f["resp_payload_bytes"] == 1500
    s = streams("tcp-out-of-order.pcap")[f["id"]]
    body = bytes(range(32, 127)) * 16
    assert s.resp == (b"HTTP/1.1 200 OK\r\nContent-Length: 1520\r\n\r\n" + body)[:1500]
    assert r.flow_obj(f["id"]).h[1].gap is False
    assert r.count("tcp_reassembly_gap") == 0


def test_out_of_order_segments_are_counted(run):
    """Captured as segments 1, 3, 2: segment 2 arrives after a higher sequence number
    (Wireshark: "TCP Out-Of-Order"), yet out_of_order stays 0 and the flow is not
    even notable."""
    f = run("tcp-out-of-order.pcap").flow(40300)
    assert f["detail"] is not None, "a flow with out-of-order segments has a detail"
    assert f["detail"]["resp"]["out_of_order"] == 1


def _without_frame(raw: bytes, drop: int) -> bytes:
    """A little-endian pcap without record number ``drop`` (1-based)."""
    out, off, n = [raw[:24]], 24, 0
    while off < len(raw):
        caplen = int.from_bytes(raw[off + 8:off + 12], "little")
        n += 1
        if n != drop:
            out.append(raw[off:off + 16 + caplen])
        off += 16 + caplen
    return b"".join(out)


@pytest.fixture
def gap_capture(tmp_path, gen):
    """tcp-out-of-order.pcap without frame 8 (the middle segment): a hole remains."""
    path = tmp_path / "tcp-hole.pcap"
    path.write_bytes(_without_frame(gen.tcp_out_of_order(), 8))
    return path


def test_hole_in_the_stream(run, streams, gap_capture):
    r = run(gap_capture)
    f = r.flow(40300)
    assert r.flow_obj(f["id"]).h[1].gap is True
    assert len(streams(gap_capture)[f["id"]].resp) == 500  # only what precedes the hole


def test_hole_in_the_stream_is_a_named_anomaly(run, gap_capture):
    """The catalogue has ``tcp_reassembly_gap``, but nothing emits it."""
    assert run(gap_capture).count("tcp_reassembly_gap") == 1


def test_port_reuse_starts_a_second_flow(run):
    r = run("tcp-port-reuse.pcap")
    first, second = r.flows("tcp")
    assert first["id"] == "tcp:192.0.2.10:40500-198.51.100.20:80"
    assert second["id"] == first["id"] + "/2"
    assert (first["history"], first["conn_state"]) == ("ShAFf", "SF")
    assert (second["conn_state"], second["syn_frame"], second["resp_rst_frames"]) == (
        "RSTR", 7, [11])
    assert (first["orig_packets"], second["orig_packets"]) == (4, 3)
    assert r.flow_obj(first["id"]).h[0].syn_seq == 0x0A600000
    assert r.flow_obj(second["id"]).h[0].syn_seq == 0x5A600000
    assert r.count("tcp_port_reuse") == 1
    ex = r.anomaly("tcp_port_reuse")["examples"][0]
    assert (ex["frame"], ex["flow"]) == (7, first["id"])


# ------------------------------------------------------------------------------ the demo

DEMO = "demo-clubhouse-2021.pcapng"
CLUBHOUSE = "104.18.24.37"


def test_demo_ordinary_browsing(run, streams):
    r = run(DEMO)
    assert r.input["packets"] == 69
    assert r.input["link_types"] == ["EN10MB"]
    assert r.anomaly_counts == {}
    got = streams(DEMO)
    wiki = r.flow(50312)
    assert (wiki["resp_ip"], wiki["conn_state"], wiki["history"]) == (
        "185.15.59.224", "SF", "ShADadFf")
    assert sni_ext("www.wikipedia.org") in got[wiki["id"]].orig
    assert got[wiki["id"]].resp[:6] == b"\x16\x03\x03\x00\x7a\x02"  # ServerHello
    web = r.flow(50318)
    assert (web["resp_ip"], web["conn_state"]) == ("93.184.215.14", "SF")
    assert got[web["id"]].orig.startswith(b"GET / HTTP/1.1\r\nHost: example.org\r\n")
    assert got[web["id"]].resp.startswith(b"HTTP/1.1 200 OK\r\n")
    for port, answer in ((51515, "185.15.59.224"), (51516, "93.184.215.14")):
        dns = got[r.flow(port, "udp")["id"]].datagrams
        assert [d.ttl for d in dns] == [64, 84]
        assert DNS(dns[1].payload).an[-1].rdata == answer


def test_demo_dns_injection_race(run, streams):
    r = run(DEMO)
    f = r.flow(58231, "udp")
    dg = streams(DEMO)[f["id"]].datagrams
    assert [(d.frame, d.direction, d.ttl) for d in dg] == [(35, 0, 64), (36, 1, 247),
                                                           (37, 1, 84)]
    q, forged, genuine = (DNS(d.payload) for d in dg)
    assert {m.qd[0].qname for m in (q, forged, genuine)} == {b"www.clubhouse.com."}
    assert q.id == forged.id == genuine.id
    assert [a.rdata for a in forged.an] == ["31.13.77.33"]
    assert [a.rdata for a in genuine.an] == [CLUBHOUSE, "104.18.25.37"]
    assert (dg[1].ts - dg[0].ts) * 1000 == pytest.approx(2.093, abs=0.001)
    assert (dg[2].ts - dg[0].ts) * 1000 == pytest.approx(31.704, abs=0.001)


@pytest.mark.parametrize(("port", "hello", "rsts"), [(50330, 41, [42, 43, 44]),
                                                     (50332, 48, [49, 50, 51])])
def test_demo_rst_injection_after_sni(run, streams, port, hello, rsts):
    r = run(DEMO)
    f = r.flow(port)
    assert (f["resp_ip"], f["resp_port"]) == (CLUBHOUSE, 443)
    assert (f["history"], f["conn_state"]) == ("ShADr", "RSTR")
    assert f["resp_rst_frames"] == rsts
    assert sni_ext("www.clubhouse.com") in streams(DEMO)[f["id"]].orig
    d = f["detail"]
    pk = {p["frame"]: p for p in r.packets(f)}
    synack = pk[f["synack_frame"]]
    assert synack["ttl"] == 52
    assert sorted(pk[n]["ttl"] for n in rsts) == [104, 105, 106]
    assert all(pk[n]["flags"] == 0x14 and pk[n]["df"] == 0 for n in rsts)
    # the server's IP IDs count up from the SYN/ACK; the resets' are far from them
    assert all(abs(pk[n]["ip_id"] - synack["ip_id"]) > 1000 for n in rsts)
    ch = [p for p in pk.values() if p["dir"] == 0 and p["len"] > 0]
    assert [p["frame"] for p in ch] == [hello]
    assert (pk[rsts[0]]["ts"] - ch[0]["ts"]) * 1000 == pytest.approx(15.184, abs=0.001)
    assert d["resp"]["ttl_values"] == {"52": 1, "104": 1, "105": 1, "106": 1}


def test_demo_control_connection_completes(run, streams):
    r = run(DEMO)
    f = r.flow(50336)
    assert (f["resp_ip"], f["conn_state"], f["history"]) == (CLUBHOUSE, "SF", "ShADadFf")
    assert f["resp_ttl"] == 52
    s = streams(DEMO)[f["id"]]
    assert sni_ext("www.example.com") in s.orig
    assert s.resp[:6] == b"\x16\x03\x03\x00\x7a\x02"
    assert len([fl for fl in r.flows("tcp") if fl["resp_ip"] == CLUBHOUSE]) == 3


def test_land_packets_make_a_flow(run, tmp_path):
    """A LAND packet (source and destination the same address and port) is its own flow
    with one direction; such a flow used to vanish from the output."""
    from scapy.layers.inet import IP, TCP, UDP
    from scapy.layers.l2 import Ether
    from scapy.utils import wrpcap

    eth = Ether(dst="02:00:00:00:00:01")
    syn = TCP(sport=139, dport=139, flags="S", seq=7)
    pkts = [eth / IP(src="192.0.2.7", dst="192.0.2.7", ttl=255) / syn,
            eth / IP(src="192.0.2.7", dst="192.0.2.7") / syn,
            eth / IP(src="192.0.2.9", dst="192.0.2.9") / UDP(sport=5000, dport=5000)]
    for i, p in enumerate(pkts):
        p.time = T0 + i
    path = tmp_path / "land.pcap"
    wrpcap(str(path), pkts)
    r = run(path)
    flows = {f["id"]: f for f in r.flows()}
    assert set(flows) == {"tcp:192.0.2.7:139-192.0.2.7:139", "udp:192.0.2.9:5000-192.0.2.9:5000"}
    tcp = flows["tcp:192.0.2.7:139-192.0.2.7:139"]
    assert (tcp["orig_packets"], tcp["resp_packets"], tcp["syn_frame"]) == (2, 0, 1)
    assert flows["udp:192.0.2.9:5000-192.0.2.9:5000"]["orig_packets"] == 1
    assert r.stats["flows"] == 2


def test_loopback_pings_are_flows(run):
    """Real bytes: pings on a Linux loopback interface (SLL2), where both ends are the same
    address. Their two flows were missing from the output before the LAND fix."""
    from conftest import REALWORLD

    path = REALWORLD / "zeek" / "linux_dlt_sll2.pcap"
    if not path.exists():
        pytest.skip("../shared/realworld is absent (the capture comes from there)")
    r = run(path)
    assert sorted(f["id"] for f in r.flows()) == [
        "icmp6:fe80::8c36:6ff:fe44:acaf-fe80::8c36:6ff:fe44:acaf",
        "icmp:192.0.2.1-192.0.2.1"]
    assert [f["orig_packets"] for f in r.flows()] == [2, 2]
