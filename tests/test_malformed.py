"""Damaged and hostile inputs: the analyzer keeps what it can read, names what it could not,
and refuses only what is not a capture at all (exit 1, one line on standard error, no
traceback). Most inputs are made here in ``tmp_path`` from the crafted captures.
"""

from __future__ import annotations

import gzip
import os
import struct
import subprocess
import sys
from pathlib import Path

import analyzer
import pytest
from analyzer.cli import main
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "captures"
T0 = 1_612_785_600


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def assert_one_line_error(res, *needles: str) -> None:
    assert res.exit_code == 1
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("analyze: error: ")
    assert "Traceback" not in err
    for n in needles:
        assert n in err


def record_offsets(raw: bytes) -> list[int]:
    """Where each record of a little-endian pcap starts."""
    out, off = [], 24
    while off + 16 <= len(raw):
        out.append(off)
        off += 16 + struct.unpack_from("<I", raw, off + 8)[0]
    return out


# ------------------------------------------------------------------ files that are not captures


def test_not_a_capture(tmp_path):
    p = tmp_path / "notes.pcap"
    p.write_bytes(b"hello, this is not a capture at all\n")
    with pytest.raises(analyzer.CaptureError, match="not a pcap or pcapng capture"):
        analyzer.analyze(str(p))
    assert_one_line_error(cli("pcap", str(p), "--json", str(tmp_path / "o.json")), str(p),
                          "not a pcap or pcapng")
    assert not (tmp_path / "o.json").exists()


def test_not_a_capture_console_script(tmp_path):
    """The installed command, in a real process: exit 1, one line, no traceback."""
    p = tmp_path / "bad-magic.pcap"
    p.write_bytes(b"\x00\x01\x02\x03" * 16)
    exe = ROOT / ".venv" / "bin" / "analyze"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "analyzer"]
    out = subprocess.run([*cmd, "pcap", str(p), "--json", "-"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"analyze: error: {p}: not a pcap or pcapng capture")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.pcap"
    p.write_bytes(b"")
    with pytest.raises(analyzer.CaptureError, match="empty file"):
        analyzer.analyze(str(p))
    assert_one_line_error(cli("pcap", str(p), "--json", "-"), "empty file")


def test_shorter_than_the_pcap_header(tmp_path):
    p = tmp_path / "short.pcap"
    p.write_bytes((CAPTURES / "tcp-rej.pcap").read_bytes()[:10])
    assert_one_line_error(cli("pcap", str(p), "--json", "-"), "truncated pcap file header")


def test_directory(tmp_path):
    assert_one_line_error(cli("pcap", str(tmp_path), "--json", "-"), "is a directory")


def test_missing_file(tmp_path):
    assert_one_line_error(cli("pcap", str(tmp_path / "nope.pcap"), "--json", "-"),
                          "no such file")


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 000 does not stop "
                    "root from reading, so 'permission denied' cannot be produced")
def test_permission_denied(tmp_path):
    p = tmp_path / "secret.pcap"
    p.write_bytes((CAPTURES / "tcp-rej.pcap").read_bytes())
    p.chmod(0)
    try:
        assert_one_line_error(cli("pcap", str(p), "--json", "-"), "permission denied")
    finally:
        p.chmod(0o644)


def test_corrupt_gzip(tmp_path):
    p = tmp_path / "corrupt.pcap.gz"
    p.write_bytes(b"\x1f\x8b" + b"\xff" * 64)
    assert_one_line_error(cli("pcap", str(p), "--json", "-"), "gzip")


# ------------------------------------------------------------------ damaged captures: keep the rest


@pytest.mark.parametrize(("name", "cut", "packets"), [
    ("tcp-handshake-data-fin.pcap", 10, 9),  # inside the last packet's bytes
    ("tcp-handshake-data-fin.pcap", 66 + 16 - 7, 9),  # inside the last record header
    ("demo-clubhouse-2021.pcapng", 50, 68),  # inside the last block
])
def test_truncated_last_record(run, frames, tmp_path, name, cut, packets):
    raw = (CAPTURES / name).read_bytes()
    p = tmp_path / f"cut-{name}"
    p.write_bytes(raw[:-cut])
    r = run(p)
    assert r.input["truncated"] is True
    assert r.input["packets"] == packets
    assert frames(p) == frames(name)[:packets]
    assert r.count("capture_truncated_tail") == 1
    assert r.anomaly_frames("capture_truncated_tail") == [packets]
    assert r.input["size"] == len(raw) - cut
    res = cli("pcap", str(p), "--json", str(tmp_path / "out.json"), "--quiet")
    assert res.exit_code == 0, res.stderr
    assert '"truncated":true' in (tmp_path / "out.json").read_text()


def test_record_longer_than_256k(run, tmp_path):
    raw = bytearray((CAPTURES / "tcp-handshake-data-fin.pcap").read_bytes())
    fourth = record_offsets(bytes(raw))[3]
    struct.pack_into("<I", raw, fourth + 8, 262_145)
    p = tmp_path / "huge-record.pcap"
    p.write_bytes(bytes(raw))
    r = run(p)
    assert r.input["packets"] == 3  # the three records before it are kept
    assert r.input["truncated"] is True
    assert r.count("pcap_record_too_long") == 1
    assert r.anomaly_frames("pcap_record_too_long") == [4]
    assert r.flow(40100)["history"] == "ShA"


def test_caplen_exactly_256k_is_read(run, gen, tmp_path):
    """The limit is Wireshark's: 262144 bytes is still a valid record."""
    big = gen.udp4("192.0.2.10", 40999, "198.51.100.20", 9, b"\0" * 1000)
    recs = [gen.Rec(T0 * gen.NS, gen.eth_link(big, True) + bytes(262_144 - 1042))]
    p = tmp_path / "max-record.pcap"
    p.write_bytes(gen.pcap(recs, 1))
    r = run(p)
    assert (r.input["packets"], r.input["truncated"]) == (1, False)
    assert r.flow(40999, "udp")["orig_payload_bytes"] == 1000


def lie(raw: bytes, block_index: int, length: int | None = None,
        trailer: int | None = None) -> bytes:
    """A pcapng (little-endian) whose block ``block_index`` states another length."""
    out = bytearray(raw)
    off = 0
    for _ in range(block_index):
        off += struct.unpack_from("<I", out, off + 4)[0]
    blen = struct.unpack_from("<I", out, off + 4)[0]
    if length is not None:
        struct.pack_into("<I", out, off + 4, length)
    if trailer is not None:
        struct.pack_into("<I", out, off + blen - 4, trailer)
    return bytes(out)


@pytest.mark.parametrize(("label", "kw"), [
    ("below 12", {"length": 8}),
    ("not a multiple of 4", {"length": 110}),
    ("over 16 MiB", {"length": 0x7FFF_FFF0}),
    ("trailer disagrees", {"trailer": 9996}),
])
def test_pcapng_block_length_lies(run, gen, tmp_path, label, kw):
    # SHB, IDB, then five EPBs: block 5 is the fourth packet
    o = "<"
    recs = gen.basic_trace(gen.eth_link)
    clean = gen.ng_shb(o) + gen.ng_idb(1, o) + b"".join(
        gen.ng_epb(0, rec.ts // gen.US, rec.data, o) for rec in recs[:5])
    p = tmp_path / "lie.pcapng"
    p.write_bytes(lie(clean, 5, **kw))
    r = run(p)
    assert r.input["packets"] == 3, label
    assert r.input["truncated"] is True
    assert r.count("pcapng_bad_block_length") == 1
    assert r.count("capture_truncated_tail") == 0
    assert r.flow(40080)["history"] == "S"


def test_shipped_pcapng_block_length_lie(run):
    r = run("malformed-pcapng-block-length.pcapng")
    assert (r.input["packets"], r.input["truncated"]) == (3, True)
    ex = r.anomaly("pcapng_bad_block_length")["examples"][0]
    assert "9999" in ex["detail"]


def test_pcapng_second_section_with_bad_byte_order_magic(run, gen, tmp_path):
    raw = (CAPTURES / "pcapng-sections-mixed-byte-order.pcapng").read_bytes()
    second = raw.index(b"\x1a\x2b\x3c\x4d")  # the big-endian section's magic
    p = tmp_path / "bad-bom.pcapng"
    p.write_bytes(raw[:second] + b"\x12\x34\x56\x78" + raw[second + 4:])
    r = run(p)
    assert (r.input["packets"], r.input["truncated"]) == (2, True)
    assert r.count("pcapng_bad_byte_order_magic") == 1


def test_gzip_cut_short_keeps_what_was_read(run, frames, tmp_path):
    """A .gz cut short must behave like a truncated capture: Wireshark reads 54 packets of
    this one and reports the cut; the analyzer must not throw all of it away."""
    gz = gzip.compress((CAPTURES / "demo-clubhouse-2021.pcapng").read_bytes(), mtime=0)
    p = tmp_path / "cut.pcapng.gz"
    p.write_bytes(gz[:len(gz) * 2 // 3])
    res = cli("pcap", str(p), "--json", str(tmp_path / "o.json"), "--quiet")
    assert res.exit_code == 0, res.stderr
    r = run(p)
    assert r.input["truncated"] is True
    assert r.count("capture_truncated_tail") == 1
    n = r.input["packets"]
    assert n >= 50
    assert frames(p) == frames("demo-clubhouse-2021.pcapng")[:n]


def test_gzip_without_its_trailer_keeps_every_packet(run, tmp_path):
    gz = gzip.compress((CAPTURES / "demo-clubhouse-2021.pcapng").read_bytes(), mtime=0)
    p = tmp_path / "no-trailer.pcapng.gz"
    p.write_bytes(gz[:-8])  # CRC32 and ISIZE missing; every compressed byte present
    r = run(p)
    assert r.input["packets"] == 69
    assert r.input["truncated"] is True


# ------------------------------------------------------------------ hostile headers


def test_shipped_malformed_headers(run):
    r = run("malformed-headers.pcap")
    assert r.input["packets"] == 5
    assert r.anomaly_frames("link_header_truncated") == [1]
    assert r.anomaly_frames("ipv4_bad_ihl") == [2]
    assert r.anomaly_frames("tcp_bad_data_offset") == [3]
    assert r.anomaly_frames("ip_version_mismatch") == [4]
    assert "IHL 16" in r.anomaly("ipv4_bad_ihl")["examples"][0]["detail"]
    assert "60" in r.anomaly("tcp_bad_data_offset")["examples"][0]["detail"]
    # decoding went on: the good datagram of frame 5
    assert r.flow(40900, "udp")["orig_payload_bytes"] == 31


GOOD = ("192.0.2.10", 41999, "198.51.100.20", 53)


def _eth(body: bytes, et: int) -> bytes:
    return bytes.fromhex("c83a350e4101 3c22fb5a1023".replace(" ", "")) + struct.pack(
        "!H", et) + body


def _ip(gen, **kw) -> bytes:
    return gen.udp4(*GOOD, b"payload", ipid=7, **kw)


def _ip_proto(proto: int, body: bytes) -> bytes:
    """An IPv4 packet of ``proto`` whose (too short) transport header is ``body``."""
    from scapy.layers.inet import IP
    from scapy.packet import Raw
    return bytes(IP(src=GOOD[0], dst=GOOD[2], id=8, proto=proto) / Raw(body))


BAD_FRAMES = [
    # (label, link type, frame builder, expected anomaly)
    ("ethernet cut", 1, lambda g: _eth(b"", 0x0800)[:9], "link_header_truncated"),
    ("VLAN tag cut", 1, lambda g: _eth(b"\x00", 0x8100), "link_header_truncated"),
    ("five VLAN tags", 1, lambda g: _eth(b"\x00\x01\x81\x00" * 4 + b"\x00\x01\x08\x00"
                                         + _ip(g), 0x8100), "vlan_stack_too_deep"),
    ("IPv4 header cut", 1, lambda g: _eth(_ip(g)[:12], 0x0800), "ipv4_bad_ihl"),
    ("IPv4 says version 6", 1, lambda g: _eth(b"\x65" + _ip(g)[1:], 0x0800),
     "ip_version_mismatch"),
    ("IPv6 header cut", 1, lambda g: _eth(bytes([0x60]) + bytes(29), 0x86DD),
     "ipv6_header_truncated"),
    ("SLL cut", 113, lambda g: bytes(10), "link_header_truncated"),
    ("SLL2 cut", 276, lambda g: bytes(12), "link_header_truncated"),
    ("NULL family 99", 0, lambda g: struct.pack("<I", 99) + _ip(g), "link_family_unknown"),
    ("raw IP version 5", 101, lambda g: b"\x55" + _ip(g)[1:], "ip_version_mismatch"),
    ("UDP header cut", 101, lambda g: _ip(g)[:24], "udp_header_truncated"),
    ("TCP header cut", 101, lambda g: _ip_proto(6, b"\x9c\x40\x00\x50" + bytes(6)),
     "tcp_header_truncated"),
    ("ICMP cut", 101, lambda g: _ip_proto(1, b"\x0b\x00\x00"), "icmp_truncated"),
]


@pytest.mark.parametrize(("label", "lt", "build", "anomaly"), BAD_FRAMES,
                         ids=[b[0] for b in BAD_FRAMES])
def test_garbage_link_and_network_headers(run, gen, tmp_path, label, lt, build, anomaly):
    good = _ip(gen)
    wrap = {1: lambda ip: _eth(ip, 0x0800), 113: lambda ip: gen.sll(ip, True, gen.CLIENT_MAC),
            276: lambda ip: gen.sll2(ip, True, gen.CLIENT_MAC),
            0: lambda ip: gen.null(ip, "<"), 101: lambda ip: ip}[lt]
    recs = [gen.Rec(T0 * gen.NS, build(gen)), gen.Rec(T0 * gen.NS + 1000, wrap(good))]
    p = tmp_path / "bad.pcap"
    p.write_bytes(gen.pcap(recs, lt))
    r = run(p)
    assert r.input["packets"] == 2
    assert r.anomaly_frames(anomaly) == [1], r.anomaly_counts
    # the next, well-formed frame is decoded as usual
    assert [f["id"] for f in r.flows()] == ["udp:192.0.2.10:41999-198.51.100.20:53"]


def test_unknown_ethertype_is_counted_not_an_anomaly(run, gen, tmp_path):
    recs = [gen.Rec(T0 * gen.NS, _eth(b"\xde\xad" * 30, 0x88B5))]
    p = tmp_path / "local-ethertype.pcap"
    p.write_bytes(gen.pcap(recs, 1))
    r = run(p)
    assert r.stats["non_ip"] == 1
    assert r.stats["non_ip_by_type"] == {"0x88b5": 1}
    assert r.anomaly_counts == {}


def test_fragment_beyond_65535_bytes(run, gen, tmp_path):
    from scapy.layers.inet import IP
    from scapy.packet import Raw
    frag = bytes(IP(src=GOOD[0], dst=GOOD[2], id=9, proto=17, frag=8190, flags="MF")
                 / Raw(bytes(1480)))
    p = tmp_path / "frag-too-big.pcap"
    p.write_bytes(gen.pcap([gen.Rec(T0 * gen.NS, gen.eth_link(frag, True))], 1))
    r = run(p)
    assert r.anomaly_frames("ip_fragment_too_big") == [1]
    assert r.stats["ip_reassembled"] == 0


def test_fragments_that_never_complete(run, gen, tmp_path):
    frs = gen.fragments4(GOOD[0], GOOD[2], 41998, bytes(3000), 0x4242,
                         [(0, 1480), (2960, 3008)])  # the middle fragment never comes
    recs = [gen.Rec(T0 * gen.NS + i * 1000, gen.eth_link(f, True)) for i, f in enumerate(frs)]
    p = tmp_path / "frag-incomplete.pcap"
    p.write_bytes(gen.pcap(recs, 1))
    r = run(p)
    assert r.stats["ip_fragments"] == 2
    assert r.stats["ip_reassembled"] == 0
    assert r.count("ip_fragment_incomplete") == 1
    assert "[1, 2]" in r.anomaly("ip_fragment_incomplete")["examples"][0]["detail"]
    assert r.flows() == []


def test_pcap_caplen_larger_than_length(run, tmp_path):
    raw = bytearray((CAPTURES / "tcp-rej.pcap").read_bytes())
    first = record_offsets(bytes(raw))[0]
    struct.pack_into("<I", raw, first + 12, 60)  # original length 60 < caplen 74
    p = tmp_path / "caplen-over-len.pcap"
    p.write_bytes(bytes(raw))
    r = run(p)
    assert r.input["packets"] == 2
    assert r.anomaly_frames("pcap_caplen_exceeds_len") == [1]
    assert r.flow(40110)["conn_state"] == "REJ"


def test_pcapng_packet_on_an_undescribed_interface(run, gen, tmp_path):
    o = "<"
    recs = gen.basic_trace(gen.eth_link)
    raw = (gen.ng_shb(o) + gen.ng_idb(1, o)
           + gen.ng_epb(0, recs[0].ts // gen.US, recs[0].data, o)
           + gen.ng_epb(7, recs[1].ts // gen.US, recs[1].data, o)  # no interface 7
           + gen.ng_epb(0, recs[2].ts // gen.US, recs[2].data, o))
    p = tmp_path / "no-such-interface.pcapng"
    p.write_bytes(raw)
    r = run(p)
    assert r.input["packets"] == 3  # still numbered: frame 3 is the SYN
    assert r.anomaly_frames("pcapng_unknown_interface") == [2]
    assert r.flow(40080)["syn_frame"] == 3
