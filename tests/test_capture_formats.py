"""Readers: pcap (both byte orders, µs and ns), snap length, gzip, standard input, pcapng
(sections of both byte orders, per-interface link type / if_tsresol / if_tsoffset, EPB, SPB,
OPB, blocks without packets).

Each capture is crafted by ``captures/generate.py``; the facts asserted here are the ones
that function put in (see ``captures/README.md``).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "captures"
T0 = 1_612_785_600
#: the six frames every format capture carries (offsets from T0 in nanoseconds)
OFFSETS_NS = (0, 12_345_678, 30_000_001, 71_234_567, 71_300_999, 71_801_234)


def expected_ts(nano: bool) -> list[float]:
    if nano:
        return [T0 + o / 1e9 for o in OFFSETS_NS]
    return [T0 + (o // 1000) / 1e6 for o in OFFSETS_NS]


def assert_basic_flows(r, *, v6: bool = False) -> None:
    """The DNS exchange and the TCP handshake + request of ``generate.basic()``."""
    dns = r.flow(40053, "udp")
    assert dns["resp_port"] == 53
    assert dns["conn_state"] == "SF"
    assert (dns["orig_ttl"], dns["resp_ttl"]) == (64, 57)
    assert (dns["orig_packets"], dns["resp_packets"]) == (1, 1)
    web = r.flow(40080)
    assert web["resp_ip"] == ("2001:db8:80::80" if v6 else "203.0.113.80")
    assert web["history"] == "ShAD"
    assert (web["syn_frame"], web["synack_frame"]) == (3, 4)
    assert (web["orig_ttl"], web["resp_ttl"]) == (64, 50)
    assert web["orig_payload_bytes"] == 54


PCAP_VARIANTS = [
    ("pcap-le-usec.pcap", False, b"\xd4\xc3\xb2\xa1"),
    ("pcap-be-usec.pcap", False, b"\xa1\xb2\xc3\xd4"),
    ("pcap-le-nsec.pcap", True, b"\x4d\x3c\xb2\xa1"),
    ("pcap-be-nsec.pcap", True, b"\xa1\xb2\x3c\x4d"),
]


@pytest.mark.parametrize(("name", "nano", "magic"), PCAP_VARIANTS)
def test_pcap_byte_orders_and_resolutions(run, frames, name, nano, magic):
    raw = (CAPTURES / name).read_bytes()
    assert raw[:4] == magic  # the capture really is the variant it claims to be
    r = run(name)
    assert r.input["format"] == "pcap"
    assert r.input["packets"] == 6
    assert r.input["link_types"] == ["EN10MB"]
    assert r.input["truncated"] is False
    assert r.input["sha256"] == hashlib.sha256(raw).hexdigest()
    assert r.input["size"] == len(raw)
    got = [ts for _c, _w, ts, _lt in frames(name)]
    # 3e-7 s is about one float ulp at 1.6e9 s: µs files must not gain the ns digits
    assert got == pytest.approx(expected_ts(nano), abs=3e-7)
    assert r.input["first_ts"] == "2021-02-08T12:00:00.000000Z"
    assert r.input["last_ts"] == "2021-02-08T12:00:00.071801Z"
    assert r.anomaly_counts == {}
    assert_basic_flows(r)


def test_nanosecond_digits_are_kept(frames):
    ns = [ts for *_x, ts, _lt in frames("pcap-le-nsec.pcap")]
    us = [ts for *_x, ts, _lt in frames("pcap-le-usec.pcap")]
    # frame 2: .012345678 (ns file) vs .012345 (µs file)
    assert ns[1] - us[1] == pytest.approx(678e-9, abs=3e-7)


def test_gzip_compressed_pcap(run, frames):
    r = run("pcap-le-usec.pcap.gz")
    plain = run("pcap-le-usec.pcap")
    assert r.input["compressed"] is True
    assert plain.input["compressed"] is False
    assert r.input["format"] == "pcap"
    assert r.input["packets"] == 6
    # the hash and size are those of the file as stored (compressed)
    raw = (CAPTURES / "pcap-le-usec.pcap.gz").read_bytes()
    assert r.input["sha256"] == hashlib.sha256(raw).hexdigest()
    assert frames("pcap-le-usec.pcap.gz") == frames("pcap-le-usec.pcap")
    assert [f["id"] for f in r.flows()] == [f["id"] for f in plain.flows()]
    assert_basic_flows(r)


def test_snap_length_cut(run, frames):
    got = frames("pcap-snaplen-80.pcap")
    assert [(c, w) for c, w, _ts, _lt in got] == [
        (75, 75), (80, 91), (74, 74), (74, 74), (66, 66), (80, 120)]
    r = run("pcap-snaplen-80.pcap")
    assert r.input["snapped_packets"] == 2
    assert r.count("packet_truncated_by_snaplen") == 2
    # a cut frame is not a lying IP header
    assert r.count("ipv4_total_length_exceeds_frame") == 0
    assert r.count("udp_bad_length") == 0
    assert r.stats["bytes_on_wire"] == 75 + 91 + 74 + 74 + 66 + 120
    web = r.flow(40080)
    assert web["history"] == "ShAD"
    assert web["orig_payload_bytes"] == 80 - 66  # only what was captured


def test_standard_input(tmp_path):
    raw = (CAPTURES / "pcap-be-nsec.pcap").read_bytes()
    out = subprocess.run([sys.executable, "-m", "analyzer", "pcap", "-", "--json", "-"],
                         input=raw, capture_output=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr.decode()
    doc = json.loads(out.stdout)
    assert doc["inputs"][0]["path"] == "-"
    assert doc["inputs"][0]["packets"] == 6
    assert doc["inputs"][0]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert {f["id"] for f in doc["flows"]} == {
        "udp:192.0.2.10:40053-198.51.100.53:53", "tcp:192.0.2.10:40080-203.0.113.80:80"}


# ------------------------------------------------------------------------------ pcapng


def test_pcapng_sections_of_both_byte_orders(run, frames):
    raw = (CAPTURES / "pcapng-sections-mixed-byte-order.pcapng").read_bytes()
    assert raw.count(b"\x4d\x3c\x2b\x1a") == 2 and raw.count(b"\x1a\x2b\x3c\x4d") == 1
    got = frames("pcapng-sections-mixed-byte-order.pcapng")
    # interface 0 is Ethernet, then raw IP, then Linux SLL2: one per section
    assert [lt for *_x, lt in got] == [1, 1, 101, 101, 101, 276]
    # section 2 has a nanosecond clock; sections 1 and 3 the default microseconds
    assert [ts for *_x, ts, _lt in got] == pytest.approx(
        [T0, T0 + 0.012345, T0 + 0.030000001, T0 + 0.071234567, T0 + 0.071300999,
         T0 + 0.071801], abs=3e-7)
    r = run("pcapng-sections-mixed-byte-order.pcapng")
    assert r.input["format"] == "pcapng"
    assert r.input["packets"] == 6
    assert r.input["link_types"] == ["EN10MB", "RAW", "LINUX_SLL2"]
    assert r.stats["packets_by_link_type"] == {"EN10MB": 2, "RAW": 3, "LINUX_SLL2": 1}
    assert r.anomaly_counts == {}
    assert_basic_flows(r)


def test_pcapng_interfaces_resolutions_and_block_types(run, frames):
    got = frames("pcapng-interfaces-and-blocks.pcapng")
    # EPB, EPB (Ethernet); EPB, OPB (Linux SLL); EPB (raw IP); SPB (interface 0);
    # three EPBs on LINKTYPE_IPV6
    assert [lt for *_x, lt in got] == [1, 1, 113, 113, 101, 1, 229, 229, 229]
    ts = [t for *_x, t, _lt in got]
    assert ts[:2] == pytest.approx([T0, T0 + 0.012345], abs=3e-7)  # µs
    assert ts[2:4] == pytest.approx([T0 + 0.030000001, T0 + 0.071234567], abs=3e-7)  # ns
    # 2^-20 s ticks counted from if_tsoffset = T0
    assert ts[4] == pytest.approx(T0 + 0.071300999, abs=1e-6)
    assert ts[6:] == pytest.approx([T0 + 0.030, T0 + 0.071, T0 + 0.071], abs=3e-7)  # ms
    r = run("pcapng-interfaces-and-blocks.pcapng")
    assert r.input["packets"] == 9
    assert r.input["link_types"] == ["EN10MB", "LINUX_SLL", "RAW", "IPV6"]
    # NRB, DSB and ISB carry no packets: skipped, named, not numbered
    assert r.count("pcapng_skipped_block") == 3
    assert set(r.anomaly_counts) == {"pcapng_skipped_block"}
    web = r.flow("tcp:192.0.2.10:40080-203.0.113.80:80")
    assert (web["syn_frame"], web["synack_frame"]) == (3, 4)  # the OPB is frame 4
    assert web["history"] == "ShAD"  # the SPB (frame 6) carries the request
    assert web["orig_payload_bytes"] == 54
    v6 = r.flow("tcp:[2001:db8:1::10]:40080-[2001:db8:80::80]:80")
    assert (v6["syn_frame"], v6["synack_frame"]) == (7, 8)


def test_pcapng_simple_packet_block_is_not_dated_1970(run):
    """An SPB has no time stamp. Wireshark shows none; the analyzer must not date it to the
    epoch (0.0) and so give its flow a negative duration."""
    r = run("pcapng-interfaces-and-blocks.pcapng")
    web = r.flow("tcp:192.0.2.10:40080-203.0.113.80:80")
    assert web["last_ts"] >= web["first_ts"] >= T0
    assert web["duration"] >= 0
    assert r.input["last_ts"].startswith("2021-02-08")


def test_pcapng_custom_blocks_are_numbered_like_wireshark(run):
    """Wireshark (4.0) shows each pcapng custom block (0xBAD, 0x40000BAD) as a frame, so the
    frame numbers of the contract ("exactly as Wireshark numbers them") count them too:
    SYN 1, custom 2, SYN/ACK 3, custom 4, ACK 5. (tshark -r pcapng-custom-blocks.pcapng)"""
    r = run("pcapng-custom-blocks.pcapng")
    web = r.flow(40080)
    assert web["history"] == "ShA"
    assert (web["syn_frame"], web["synack_frame"]) == (1, 3)
    assert r.flow_obj(web["id"]).ack_frame == 5


# ------------------------------------------------------------------------------ provenance


def test_generator_reproduces_every_capture(gen):
    """``python captures/generate.py`` writes exactly the shipped bytes, and nothing in
    captures/ comes from elsewhere."""
    shipped = {p.name for p in CAPTURES.iterdir() if p.name.endswith((".pcap", ".pcapng",
                                                                        ".gz"))}
    assert shipped == set(gen.CAPTURES)
    differ = [name for name, make in gen.CAPTURES.items()
              if make() != (CAPTURES / name).read_bytes()]
    assert differ == []


def test_every_capture_is_small_and_has_a_provenance_entry(gen):
    readme = (CAPTURES / "README.md").read_text()
    for name in gen.CAPTURES:
        size = (CAPTURES / name).stat().st_size
        assert size < (200_000 if name.startswith("demo-") else 50_000), name
        assert f"`{name}`" in readme, f"{name} has no entry in captures/README.md"
    assert "GPL-2.0-or-later" in readme and "crafted" in readme
