#!/usr/bin/env python3
"""Regenerate every crafted capture in ``captures/``, byte for byte.

    python captures/generate.py            # writes all captures next to this file
    python captures/generate.py --check    # exits 1 if a file on disk differs

Every capture here is *crafted*: no packet was ever on a network. Timestamps, sequence
numbers, IP IDs and random bytes are fixed (``random.Random`` with a fixed seed per
capture), so the output depends only on this file (and, for the one ``.gz`` file, on zlib).
Packets are built with scapy where it helps (IP, TCP, UDP, ICMP, DNS); the capture files are
written by the small pcap/pcapng writers below, which can also produce what scapy cannot
(nanosecond and big-endian pcap, pcapng sections of either byte order, several interfaces
with ``if_tsresol``/``if_tsoffset``, simple and obsolete packet blocks, name resolution /
statistics / decryption-secrets / custom blocks, and a block whose length lies).

One function per capture; ``CAPTURES`` maps each file name to its function. The provenance
of each file (what it shows, how it was made) is in ``captures/README.md``.
"""

from __future__ import annotations

import argparse
import gzip
import random
import socket
import struct
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from scapy.layers.dns import DNS, DNSQR, DNSRR, dns_compress
from scapy.layers.inet import ICMP, IP, TCP, UDP, IPOption_NOP, IPOption_Router_Alert, IPOption_RR
from scapy.layers.inet6 import (
    ICMPv6DestUnreach,
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
    PadN,
)
from scapy.packet import Raw

HERE = Path(__file__).resolve().parent
T0 = 1_612_785_600  # 2021-02-08T12:00:00Z, the base of every capture's clock (seconds)
NS = 1_000_000_000
MS = 1_000_000
US = 1_000

# ============================================================================ file writers


@dataclass(frozen=True, slots=True)
class Rec:
    """One captured packet: time in integer nanoseconds since the epoch, the bytes as
    captured (link layer included) and, when the capture cut it, the original length."""

    ts: int
    data: bytes
    wirelen: int | None = None


def pcap(recs: Sequence[Rec], linktype: int, *, order: str = "<", nano: bool = False,
         snaplen: int = 262_144) -> bytes:
    """A libpcap file (version 2.4). Records longer than ``snaplen`` are cut to it."""
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = [struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)]
    for r in recs:
        sec, frac = divmod(r.ts, NS)
        if not nano:
            frac //= US
        data = r.data[:snaplen]
        wire = r.wirelen if r.wirelen is not None else len(r.data)
        out.append(struct.pack(order + "IIII", sec, frac, len(data), wire))
        out.append(data)
    return b"".join(out)


def _pad4(b: bytes) -> bytes:
    return b + bytes(-len(b) % 4)


def ng_options(opts: Sequence[tuple[int, bytes]], order: str) -> bytes:
    """pcapng options: (code, value) pairs, each padded to 32 bits, then opt_endofopt."""
    if not opts:
        return b""
    out = b"".join(struct.pack(order + "HH", code, len(v)) + _pad4(v) for code, v in opts)
    return out + struct.pack(order + "HH", 0, 0)


def ng_block(btype: int, body: bytes, order: str, *, length: int | None = None,
             trailer: int | None = None) -> bytes:
    """One pcapng block. ``length``/``trailer`` override the two length fields (to lie)."""
    body = _pad4(body)
    total = 12 + len(body)
    head = length if length is not None else total
    tail = trailer if trailer is not None else head
    return struct.pack(order + "II", btype, head) + body + struct.pack(order + "I", tail)


def ng_shb(order: str, comment: str = "") -> bytes:
    opts = [(4, b"captures/generate.py (crafted capture)")]
    if comment:
        opts.insert(0, (1, comment.encode()))
    body = struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1) + ng_options(opts, order)
    return ng_block(0x0A0D0D0A, body, order)


def ng_idb(linktype: int, order: str, *, name: str = "", tsresol: int | None = None,
           tsoffset: int | None = None, snaplen: int = 262_144) -> bytes:
    opts: list[tuple[int, bytes]] = []
    if name:
        opts.append((2, name.encode()))
    if tsresol is not None:
        opts.append((9, bytes([tsresol])))
    if tsoffset is not None:
        opts.append((14, struct.pack(order + "q", tsoffset)))
    body = struct.pack(order + "HHI", linktype, 0, snaplen) + ng_options(opts, order)
    return ng_block(1, body, order)


def ng_epb(iface: int, ticks: int, data: bytes, order: str, *, wirelen: int | None = None,
           comment: str = "") -> bytes:
    """Enhanced packet block; ``ticks`` is the time in the interface's resolution."""
    wire = wirelen if wirelen is not None else len(data)
    body = struct.pack(order + "IIIII", iface, ticks >> 32, ticks & 0xFFFFFFFF, len(data), wire)
    body += _pad4(data) + ng_options([(1, comment.encode())] if comment else [], order)
    return ng_block(6, body, order)


def ng_spb(data: bytes, order: str) -> bytes:
    """Simple packet block: interface 0, no time stamp."""
    return ng_block(3, struct.pack(order + "I", len(data)) + data, order)


def ng_opb(iface: int, ticks: int, data: bytes, order: str, *, drops: int = 0) -> bytes:
    """Obsolete packet block (type 2)."""
    body = struct.pack(order + "HHIIII", iface, drops, ticks >> 32, ticks & 0xFFFFFFFF,
                       len(data), len(data))
    return ng_block(2, body + data, order)


def ng_nrb(entries: Sequence[tuple[str, str]], order: str) -> bytes:
    """Name resolution block with IPv4 (type 1) and IPv6 (type 2) records."""
    body = b""
    for addr, name in entries:
        if ":" in addr:
            rtype, raw = 2, socket.inet_pton(socket.AF_INET6, addr)
        else:
            rtype, raw = 1, socket.inet_aton(addr)
        value = raw + name.encode() + b"\0"
        body += struct.pack(order + "HH", rtype, len(value)) + _pad4(value)
    body += struct.pack(order + "HH", 0, 0)
    return ng_block(4, body, order)


def ng_isb(iface: int, ticks: int, received: int, dropped: int, order: str) -> bytes:
    opts = [(4, struct.pack(order + "Q", received)), (5, struct.pack(order + "Q", dropped))]
    body = struct.pack(order + "III", iface, ticks >> 32, ticks & 0xFFFFFFFF)
    return ng_block(5, body + ng_options(opts, order), order)


def ng_dsb(secrets: bytes, order: str) -> bytes:
    """Decryption secrets block holding a TLS key log."""
    return ng_block(0x0A, struct.pack(order + "II", 0x544C534B, len(secrets)) + secrets, order)


def ng_custom(copy: bool, pen: int, data: bytes, order: str) -> bytes:
    return ng_block(0x00000BAD if copy else 0x40000BAD, struct.pack(order + "I", pen) + data,
                    order)


# ============================================================================ link layers


def _mac(s: str) -> bytes:
    return bytes.fromhex(s.replace(":", ""))


def ethertype_of(ip: bytes) -> int:
    return 0x86DD if ip[0] >> 4 == 6 else 0x0800


def ether(ip: bytes, src: str, dst: str, tags: Sequence[tuple[int, int]] = (),
          pad: bool = False) -> bytes:
    """An Ethernet II frame (optionally VLAN-tagged: (TPID, TCI) pairs, outermost first).
    ``pad``: padded to the 60-byte minimum, as frames received from the wire are."""
    hdr = _mac(dst) + _mac(src)
    for tpid, tci in tags:
        hdr += struct.pack("!HH", tpid, tci)
    frame = hdr + struct.pack("!H", ethertype_of(ip)) + ip
    if pad and len(frame) < 60:
        frame += bytes(60 - len(frame))
    return frame


def sll(ip: bytes, outgoing: bool, mac: str) -> bytes:
    """Linux cooked header v1 (LINKTYPE_LINUX_SLL, 113)."""
    return struct.pack("!HHH8sH", 4 if outgoing else 0, 1, 6, _mac(mac), ethertype_of(ip)) + ip


def sll2(ip: bytes, outgoing: bool, mac: str, ifindex: int = 2) -> bytes:
    """Linux cooked header v2 (LINKTYPE_LINUX_SLL2, 276)."""
    return struct.pack("!HHIHBB8s", ethertype_of(ip), 0, ifindex, 1, 4 if outgoing else 0, 6,
                       _mac(mac)) + ip


def null(ip: bytes, order: str, v6_family: int = 30) -> bytes:
    """BSD loopback header: the address family as a 32-bit word in ``order``."""
    return struct.pack(order + "I", v6_family if ip[0] >> 4 == 6 else 2) + ip


# ============================================================================ packets

CLIENT_MAC = "3c:22:fb:5a:10:23"
GATEWAY_MAC = "c8:3a:35:0e:41:01"


def dns_query(txid: int, name: str, qtype: str = "A") -> bytes:
    return bytes(DNS(id=txid, rd=1, qd=DNSQR(qname=name, qtype=qtype)))


def dns_answer(txid: int, name: str, answers: Sequence[tuple[str, str, int, str]],
               qtype: str = "A", aa: int = 0) -> bytes:
    """A compressed DNS response; answers are (owner, type, ttl, rdata)."""
    an = [DNSRR(rrname=o, type=t, ttl=ttl, rdata=rd) for o, t, ttl, rd in answers]
    msg = DNS(id=txid, qr=1, aa=aa, rd=1, ra=1, qd=DNSQR(qname=name, qtype=qtype), an=an)
    return bytes(dns_compress(msg))


def udp4(src: str, sport: int, dst: str, dport: int, payload: bytes, *, ttl: int = 64,
         ipid: int = 0, df: bool = False) -> bytes:
    ip = IP(src=src, dst=dst, ttl=ttl, id=ipid, flags="DF" if df else 0)
    return bytes(ip / UDP(sport=sport, dport=dport) / Raw(payload))


def udp6(src: str, sport: int, dst: str, dport: int, payload: bytes, *, hlim: int = 64) -> bytes:
    return bytes(IPv6(src=src, dst=dst, hlim=hlim) / UDP(sport=sport, dport=dport) / Raw(payload))


class Side:
    """One end of a TCP connection: its addresses and the state of what it sent."""

    def __init__(self, ip: str, port: int, isn: int, ttl: int, ipid: int, win: int,
                 syn_opts: list[tuple[str, object]] | None, tsclock: int | None,
                 win_after_syn: int | None = None) -> None:
        self.ip = ip
        self.port = port
        self.seq = isn
        self.ttl = ttl
        self.ipid = ipid
        self.win = win
        self.syn_opts = syn_opts or []
        self.tsclock = tsclock
        self.last_tsval = 0
        #: the (scaled) window advertised once the SYN is sent, as stacks do
        self.win_after_syn = win_after_syn


LINUX_SYN = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", None), ("NOP", None),
             ("WScale", 7)]


class Conn:
    """Builds the IP packets of one TCP connection, keeping sequence and acknowledgment
    numbers, IP IDs and TCP timestamps consistent. ``c`` is the client, ``s`` the server."""

    def __init__(self, c: Side, s: Side, v6: bool = False) -> None:
        self.side = {"c": c, "s": s}
        self.v6 = v6

    def pkt(self, who: str, t: int, flags: str, payload: bytes = b"", *,
            seq: int | None = None, ack: int | None = None, ttl: int | None = None,
            ipid: int | None = None, win: int | None = None, df: bool = True,
            opts: list[tuple[str, object]] | None = None, advance: bool = True) -> bytes:
        me = self.side[who]
        peer = self.side["s" if who == "c" else "c"]
        if opts is None:
            base = me.syn_opts if "S" in flags else [("NOP", None), ("NOP", None),
                                                      ("Timestamp", None)]
            opts = []
            for name, val in base:
                if name == "Timestamp":
                    if me.tsclock is None:
                        continue
                    me.last_tsval = (me.tsclock + t // MS) & 0xFFFFFFFF
                    val = (me.last_tsval, peer.last_tsval if "A" in flags else 0)
                opts.append((name, val))
        s = me.seq if seq is None else seq
        a = peer.seq if ack is None else ack
        tcp = TCP(sport=me.port, dport=peer.port, seq=s & 0xFFFFFFFF,
                  ack=(a & 0xFFFFFFFF) if "A" in flags else 0, flags=flags,
                  window=me.win if win is None else win, options=opts)
        if self.v6:
            ip = IPv6(src=me.ip, dst=peer.ip, hlim=me.ttl if ttl is None else ttl)
        else:
            ip = IP(src=me.ip, dst=peer.ip, ttl=me.ttl if ttl is None else ttl,
                    id=me.ipid if ipid is None else ipid, flags="DF" if df else 0)
            if ipid is None:
                me.ipid = (me.ipid + 1) & 0xFFFF
        if advance and seq is None:
            me.seq += len(payload) + ("S" in flags) + ("F" in flags)
        if "S" in flags and me.win_after_syn is not None:
            me.win = me.win_after_syn
        return bytes(ip / tcp / Raw(payload)) if payload else bytes(ip / tcp)


class Trace:
    """Collects records in time order; ``link`` wraps an IP packet into its link layer."""

    def __init__(self, t0: int, link: Callable[[bytes, bool], bytes]) -> None:
        self.t0 = t0
        self.link = link
        self.recs: list[Rec] = []

    def add(self, t: int, ip: bytes, outgoing: bool = True) -> None:
        ts = self.t0 + t
        assert not self.recs or self.recs[-1].ts <= ts, "records must be in time order"
        self.recs.append(Rec(ts, self.link(ip, outgoing)))


# ---------------------------------------------------------------------------- TLS bytes


def _vec(b: bytes, n: int) -> bytes:
    return len(b).to_bytes(n, "big") + b


def _ext(code: int, body: bytes) -> bytes:
    return struct.pack("!H", code) + _vec(body, 2)


def client_hello(sni: str | None, rnd: random.Random) -> bytes:
    """A TLS 1.3 ClientHello record, shaped like a current browser's, with the given SNI
    (None: no server_name extension, as a client connecting to an address sends)."""
    ciphers = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013,
               0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    exts = b"".join([
        b"" if sni is None else _ext(0x0000, _vec(b"\x00" + _vec(sni.encode(), 2), 2)),
        _ext(0x0017, b""),                                               # extended_master_secret
        _ext(0xFF01, b"\x00"),                                           # renegotiation_info
        _ext(0x000A, _vec(struct.pack("!HHH", 0x001D, 0x0017, 0x0018), 2)),  # groups
        _ext(0x000B, b"\x01\x00"),                                       # ec_point_formats
        _ext(0x0023, b""),                                               # session_ticket
        _ext(0x0010, _vec(_vec(b"h2", 1) + _vec(b"http/1.1", 1), 2)),   # ALPN
        _ext(0x0005, b"\x01\x00\x00\x00\x00"),                           # status_request
        _ext(0x000D, _vec(bytes.fromhex("040308040401050308050501080606010201"), 2)),
        _ext(0x0033, _vec(struct.pack("!H", 0x001D) + _vec(rnd.randbytes(32), 2), 2)),
        _ext(0x002D, b"\x01\x01"),                                       # psk_key_exchange_modes
        _ext(0x002B, _vec(b"\x03\x04\x03\x03", 1)),                      # supported_versions
    ])
    body = (b"\x03\x03" + rnd.randbytes(32) + _vec(rnd.randbytes(32), 1)
            + _vec(b"".join(struct.pack("!H", c) for c in ciphers), 2) + b"\x01\x00"
            + _vec(exts, 2))
    hs = b"\x01" + _vec(body, 3)
    return b"\x16\x03\x01" + _vec(hs, 2)


def server_flight(rnd: random.Random, session_id: bytes, encrypted: int) -> bytes:
    """ServerHello (TLS 1.3, X25519), ChangeCipherSpec, then ``encrypted`` bytes of
    application-data records (the encrypted extensions, certificate and Finished)."""
    exts = _ext(0x002B, b"\x03\x04") + _ext(0x0033, struct.pack("!H", 0x001D)
                                             + _vec(rnd.randbytes(32), 2))
    body = (b"\x03\x03" + rnd.randbytes(32) + _vec(session_id, 1) + b"\x13\x01\x00"
            + _vec(exts, 2))
    out = b"\x16\x03\x03" + _vec(b"\x02" + _vec(body, 3), 2)
    out += b"\x14\x03\x03\x00\x01\x01"
    while encrypted > 0:
        n = min(encrypted, 4096)
        out += b"\x17\x03\x03" + _vec(rnd.randbytes(n), 2)
        encrypted -= n
    return out


def app_data(rnd: random.Random, *sizes: int) -> bytes:
    return b"".join(b"\x17\x03\x03" + _vec(rnd.randbytes(n), 2) for n in sizes)


def session_id_of(ch: bytes) -> bytes:
    """The legacy session id of a ClientHello record built by :func:`client_hello`."""
    return ch[44:76]


def segments(data: bytes, mss: int) -> list[bytes]:
    return [data[i:i + mss] for i in range(0, len(data), mss)]


# ---------------------------------------------------------------------------- QUIC bytes

QUIC_SALTS = {  # the Initial salt by version (RFC 9001 5.2; draft-ietf-quic-tls-23 and -29 5.2)
    0x00000001: "38762cf7f55934b34d179ae6a4c80cadccbb7f0a",
    0xFF00001D: "afbfec289993d24c9e9786f19c6111e04390a899",  # drafts 29-32
    0xFF00001B: "c3eef712c72ebb5a11a7d2432bb46365bef9f502",  # drafts 23-28
    0x6B3343CF: "0dede3def700a6db819381be6e269dcbf9bd2ed9",  # QUIC v2 (RFC 9369 3.3.1)
}


def _expand_label(secret: bytes, label: bytes, length: int) -> bytes:
    full = b"tls13 " + label
    info = struct.pack("!HB", length, len(full)) + full + b"\x00"
    return HKDFExpand(hashes.SHA256(), length, info).derive(secret)


def quic_initial_keys(dcid: bytes, version: int = 1) -> dict[str, tuple[bytes, bytes, bytes]]:
    """RFC 9001 5.2: {'client'|'server': (key, iv, hp)} for QUIC v1, an IETF draft (v1's
    labels, the draft's salt) or v2 (RFC 9369 3.3: its salt and "quicv2" labels), from the
    client's first Destination Connection ID."""
    initial = HKDF.extract(hashes.SHA256(), bytes.fromhex(QUIC_SALTS[version]), dcid)
    p = b"quicv2 " if version == 0x6B3343CF else b"quic "
    out = {}
    for who, label in (("client", b"client in"), ("server", b"server in")):
        secret = _expand_label(initial, label, 32)
        out[who] = (_expand_label(secret, p + b"key", 16), _expand_label(secret, p + b"iv", 12),
                    _expand_label(secret, p + b"hp", 16))
    return out


def protect(header: bytes, pn: int, pn_len: int, plaintext: bytes,
            keys: tuple[bytes, bytes, bytes]) -> bytes:
    """RFC 9001 5.3-5.4: AEAD-protect the payload, then apply header protection.
    ``header`` ends with the (unprotected) packet number."""
    key, iv, hp = keys
    nonce = bytes(a ^ b for a, b in zip(iv, pn.to_bytes(12, "big"), strict=True))
    ct = AESGCM(key).encrypt(nonce, plaintext, header)
    sample = ct[4 - pn_len:20 - pn_len]
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    h = bytearray(header)
    h[0] ^= mask[0] & 0x0F
    for i in range(pn_len):
        h[len(h) - pn_len + i] ^= mask[1 + i]
    return bytes(h) + ct


def quic_initial(version: int, odcid: bytes, dcid: bytes, scid: bytes, pn: int, frames: bytes,
                 server: bool = False, size: int = 1200) -> bytes:
    """One protected Initial packet of QUIC v1 or an IETF draft, padded with PADDING frames
    to ``size`` bytes; the keys come from the client's first Destination Connection ID
    ``odcid``."""
    keys = quic_initial_keys(odcid, version)["server" if server else "client"]
    head = (bytes([0xC1]) + struct.pack("!I", version) + _vec(dcid, 1) + _vec(scid, 1)
            + b"\x00")  # no token; 2-byte packet number
    payload = frames + bytes(max(0, size - len(head) - 2 - 2 - len(frames) - 16))
    header = head + struct.pack("!H", 0x4000 | (2 + len(payload) + 16)) + struct.pack("!H", pn)
    return protect(header, pn, 2, payload, keys)


def quic_client_hello(sni: str, rnd: random.Random) -> bytes:
    """A TLS 1.3 ClientHello handshake message as QUIC carries it (ALPN h3, transport
    parameters under the drafts' code point 0xffa5 and v1's 0x39)."""
    exts = b"".join([
        _ext(0x0000, _vec(b"\x00" + _vec(sni.encode(), 2), 2)),
        _ext(0x000A, _vec(struct.pack("!H", 0x001D), 2)),
        _ext(0x000D, _vec(bytes.fromhex("040308040401"), 2)),
        _ext(0x0010, _vec(_vec(b"h3", 1), 2)),
        _ext(0x002B, _vec(b"\x03\x04", 1)),
        _ext(0x0033, _vec(struct.pack("!H", 0x001D) + _vec(rnd.randbytes(32), 2), 2)),
        _ext(0xFFA5, bytes.fromhex("0104800075300504801000000604801000000704801000000801")),
        _ext(0x0039, bytes.fromhex("0104800075300504801000000604801000000704801000000801")),
    ])
    body = (b"\x03\x03" + rnd.randbytes(32) + b"\x00" + _vec(struct.pack("!HHH", 0x1301, 0x1302,
                                                                       0x1303), 2)
            + b"\x01\x00" + _vec(exts, 2))
    return b"\x01" + _vec(body, 3)


def quic_crypto(offset: int, data: bytes) -> bytes:
    return b"\x06" + struct.pack("!H", 0x4000 | offset) + struct.pack("!H", 0x4000 | len(data)) \
        + data


# ============================================================================ the demo


def demo_clubhouse_2021() -> bytes:
    """Ordinary browsing, then DNS injection and SNI-triggered RST injection for
    www.clubhouse.com, in the manner of the February 2021 Clubhouse block in China."""
    rnd = random.Random(20210208)
    client = "192.168.1.23"
    resolver = "114.114.114.114"
    tr = Trace(T0 * NS, lambda ip, out: ether(ip, CLIENT_MAC, GATEWAY_MAC) if out
               else ether(ip, GATEWAY_MAC, CLIENT_MAC, pad=True))
    resolver_ipid = 0x2E51
    client_ipid = 0x8C10
    tsclock = 3_180_000_000

    def resolve(t: int, sport: int, txid: int, name: str,
                answers: list[tuple[str, str, int, str]], rtt: int) -> int:
        nonlocal resolver_ipid, client_ipid
        tr.add(t, udp4(client, sport, resolver, 53, dns_query(txid, name), ipid=client_ipid))
        client_ipid += 1
        tr.add(t + rtt, udp4(resolver, 53, client, sport, dns_answer(txid, name, answers),
                             ttl=84, ipid=resolver_ipid), outgoing=False)
        resolver_ipid += 1
        return t + rtt

    def conn(cport: int, server: str, sport: int, sttl: int, sipid: int, smss: int,
             swscale: int) -> Conn:
        c = Side(client, cport, rnd.getrandbits(32), 64, rnd.getrandbits(16), 64240,
                 LINUX_SYN, tsclock, win_after_syn=502)
        s = Side(server, sport, rnd.getrandbits(32), sttl, sipid, 65535,
                 [("MSS", smss), ("SAckOK", b""), ("Timestamp", None), ("NOP", None),
                  ("WScale", swscale)], rnd.getrandbits(32), win_after_syn=64)
        return Conn(c, s)

    def handshake(k: Conn, t: int, rtt: int) -> int:
        tr.add(t, k.pkt("c", t, "S"))
        tr.add(t + rtt, k.pkt("s", t + rtt, "SA"), outgoing=False)
        t += rtt + 110 * US
        tr.add(t, k.pkt("c", t, "A"))
        return t

    def send(k: Conn, who: str, t: int, data: bytes, mss: int, gap: int = 40 * US) -> int:
        segs = segments(data, mss)
        for i, seg in enumerate(segs):
            tr.add(t, k.pkt(who, t, "PA" if i == len(segs) - 1 else "A", seg),
                   outgoing=who == "c")
            t += gap
        return t - gap

    def close(k: Conn, t: int, rtt: int) -> int:
        tr.add(t, k.pkt("c", t, "FA"))
        tr.add(t + rtt, k.pkt("s", t + rtt, "FA"), outgoing=False)
        t += rtt + 60 * US
        tr.add(t, k.pkt("c", t, "A"))
        return t

    def tls_session(k: Conn, t: int, rtt: int, sni: str, mss: int, response: int) -> int:
        ch = client_hello(sni, rnd)
        t += 250 * US
        tr.add(t, k.pkt("c", t, "PA", ch))
        t += rtt
        tr.add(t, k.pkt("s", t, "A"), outgoing=False)
        t = send(k, "s", t + 900 * US, server_flight(rnd, session_id_of(ch), 2980), mss)
        t += 300 * US
        tr.add(t, k.pkt("c", t, "A"))
        t += 2 * MS
        tr.add(t, k.pkt("c", t, "PA", b"\x14\x03\x03\x00\x01\x01" + app_data(rnd, 53)))
        t += 150 * US
        tr.add(t, k.pkt("c", t, "PA", app_data(rnd, 185)))
        t += rtt
        tr.add(t, k.pkt("s", t, "A"), outgoing=False)
        t = send(k, "s", t + 2 * MS, app_data(rnd, 226, 226) + app_data(rnd, response), mss)
        t += 250 * US
        tr.add(t, k.pkt("c", t, "A"))
        return t

    # 1. ordinary browsing: Wikipedia over TLS 1.3
    t = resolve(0, 51515, 0x1C2D, "www.wikipedia.org",
                [("www.wikipedia.org", "CNAME", 21542, "dyna.wikimedia.org"),
                 ("dyna.wikimedia.org", "A", 426, "185.15.59.224")], 27_412 * US)
    wiki = conn(50312, "185.15.59.224", 443, 54, 0x6A0F, 1440, 9)
    t = handshake(wiki, t + 1_900 * US, 183_377 * US)
    t = tls_session(wiki, t, 183_250 * US, "www.wikipedia.org", 1428, 3200)
    t = close(wiki, t + 4_100 * MS // 10, 183_104 * US)

    # 2. ordinary browsing: plain HTTP to example.org
    t = resolve(t + 610 * MS, 51516, 0xA3E7, "example.org",
                [("example.org", "A", 2836, "93.184.215.14")], 31_077 * US)
    web = conn(50318, "93.184.215.14", 80, 50, 0x0C4B, 1460, 9)
    t = handshake(web, t + 1_200 * US, 161_540 * US)
    get = (b"GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: Mozilla/5.0 (X11; Linux "
           b"x86_64; rv:85.0) Gecko/20100101 Firefox/85.0\r\nAccept: text/html,application/"
           b"xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8\r\nAccept-Language: zh-CN,"
           b"zh;q=0.8,en-US;q=0.5,en;q=0.3\r\nAccept-Encoding: gzip, deflate\r\nConnection: "
           b"keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n")
    t += 180 * US
    tr.add(t, web.pkt("c", t, "PA", get))
    t += 161_320 * US
    tr.add(t, web.pkt("s", t, "A"), outgoing=False)
    html = (b"<!doctype html>\n<html>\n<head>\n    <title>Example Domain</title>\n\n    <meta "
            b"charset=\"utf-8\" />\n    <meta http-equiv=\"Content-type\" content=\"text/html; "
            b"charset=utf-8\" />\n    <meta name=\"viewport\" content=\"width=device-width, "
            b"initial-scale=1\" />\n</head>\n\n<body>\n<div>\n    <h1>Example Domain</h1>\n"
            b"    <p>This domain is for use in illustrative examples in documents. You may use "
            b"this\n    domain in literature without prior coordination or asking for permission."
            b"</p>\n    <p><a href=\"https://www.iana.org/domains/example\">More information..."
            b"</a></p>\n</div>\n</body>\n</html>\n") + b"<!-- " + b"." * 1200 + b" -->\n"
    resp = (b"HTTP/1.1 200 OK\r\nAge: 412611\r\nCache-Control: max-age=604800\r\nContent-Type:"
            b" text/html; charset=UTF-8\r\nDate: Mon, 08 Feb 2021 12:00:02 GMT\r\nEtag: "
            b"\"3147526947+ident\"\r\nExpires: Mon, 15 Feb 2021 12:00:02 GMT\r\nLast-Modified: "
            b"Thu, 17 Oct 2019 07:18:26 GMT\r\nServer: ECS (sec/96EE)\r\nVary: Accept-Encoding"
            b"\r\nX-Cache: HIT\r\nContent-Length: " + str(len(html)).encode()
            + b"\r\n\r\n" + html)
    t = send(web, "s", t + 1_800 * US, resp, 1448)
    t += 210 * US
    tr.add(t, web.pkt("c", t, "A"))
    t = close(web, t + 5_020 * MS // 10, 161_288 * US)

    # 3. www.clubhouse.com: a forged answer races ahead of the resolver's genuine one
    t += 1_400 * MS
    q = dns_query(0x7A41, "www.clubhouse.com")
    tr.add(t, udp4(client, 58231, resolver, 53, q, ipid=client_ipid))
    client_ipid += 1
    forged = dns_answer(0x7A41, "www.clubhouse.com", [("www.clubhouse.com", "A", 163,
                                                       "31.13.77.33")], aa=1)
    tr.add(t + 2_093 * US, udp4(resolver, 53, client, 58231, forged, ttl=247, ipid=0xD94C),
           outgoing=False)
    genuine = dns_answer(0x7A41, "www.clubhouse.com",
                         [("www.clubhouse.com", "A", 300, "104.18.24.37"),
                          ("www.clubhouse.com", "A", 300, "104.18.25.37")])
    tr.add(t + 31_704 * US, udp4(resolver, 53, client, 58231, genuine, ttl=84,
                                 ipid=resolver_ipid), outgoing=False)
    resolver_ipid += 1
    t += 31_704 * US

    # 4. TLS to the genuine address with SNI www.clubhouse.com: three forged RST+ACKs
    #    arrive ~15 ms after the ClientHello, long before the server could answer
    server = "104.18.24.37"
    server_ipid = 0x4C21
    for cport, gap, rst_ttls, rst_ids, rst_wins in (
            (50330, 3_200 * US, (104, 105, 106), (0x9E31, 0x1B7A, 0x5F02), (2563, 2564, 2566)),
            (50332, 1_050 * MS, (105, 104, 106), (0x33C8, 0xE4A5, 0x7710), (1709, 1710, 1712))):
        k = conn(cport, server, 443, 52, server_ipid, 1400, 10)
        t = handshake(k, t + gap, 156_218 * US)
        ch = client_hello("www.clubhouse.com", rnd)
        t += 240 * US
        tr.add(t, k.pkt("c", t, "PA", ch))
        srv = k.side["s"]
        server_ipid = srv.ipid + 3
        t0 = t + 15_184 * US
        for i, (ttl, ipid, win) in enumerate(zip(rst_ttls, rst_ids, rst_wins, strict=True)):
            t = t0 + i * 131 * US
            tr.add(t, k.pkt("s", t, "RA", seq=srv.seq + (0, 1460, 4380)[i], ttl=ttl,
                            ipid=ipid, win=win, df=False, opts=[], advance=False),
                   outgoing=False)

    # 5. control: same server, innocuous SNI www.example.com, completes normally
    k = conn(50336, server, 443, 52, server_ipid, 1400, 10)
    t = handshake(k, t + 1_310 * MS, 156_407 * US)
    t = tls_session(k, t, 156_390 * US, "www.example.com", 1388, 1100)
    close(k, t + 2_050 * MS // 10, 156_122 * US)

    out = ng_shb("<", "Crafted by captures/generate.py for the demo; no packet here was "
                      "ever on a network.")
    out += ng_idb(1, "<", name="eth0", tsresol=6)
    for r in tr.recs:
        out += ng_epb(0, r.ts // US, r.data, "<")
    return out


# ============================================================================ format captures

BASIC_CLIENT, BASIC_RESOLVER, BASIC_SERVER = "192.0.2.10", "198.51.100.53", "203.0.113.80"
BASIC_CLIENT6, BASIC_RESOLVER6, BASIC_SERVER6 = "2001:db8:1::10", "2001:db8:53::53", \
    "2001:db8:80::80"
BASIC_OFFSETS = (0, 12_345_678, 30_000_001, 71_234_567, 71_300_999, 71_801_234)


def basic(v6: bool = False) -> list[tuple[int, bytes, bool]]:
    """Six packets every link/format capture carries: a DNS query and answer, a TCP
    handshake to port 80 and one data segment. (offset ns, IP packet, outgoing)."""
    rnd = random.Random(6 if v6 else 4)
    cli, res, srv = ((BASIC_CLIENT6, BASIC_RESOLVER6, BASIC_SERVER6) if v6
                     else (BASIC_CLIENT, BASIC_RESOLVER, BASIC_SERVER))
    qtype, rr = ("AAAA", BASIC_SERVER6) if v6 else ("A", BASIC_SERVER)
    q = dns_query(0x0B0B, "www.example.net", qtype)
    a = dns_answer(0x0B0B, "www.example.net", [("www.example.net", qtype, 600, rr)], qtype)
    if v6:
        pq, pa = udp6(cli, 40053, res, 53, q), udp6(res, 53, cli, 40053, a, hlim=57)
    else:
        pq = udp4(cli, 40053, res, 53, q, ipid=0x1001)
        pa = udp4(res, 53, cli, 40053, a, ttl=57, ipid=0x2002)
    k = Conn(Side(cli, 40080, rnd.getrandbits(32), 64, 0x1002, 64240, LINUX_SYN, 1000, 502),
             Side(srv, 80, rnd.getrandbits(32), 50, 0, 65160, LINUX_SYN, 5000, 509), v6=v6)
    o = BASIC_OFFSETS
    get = b"GET / HTTP/1.1\r\nHost: www.example.net\r\nAccept: */*\r\n\r\n"
    return [(o[0], pq, True), (o[1], pa, False), (o[2], k.pkt("c", o[2], "S"), True),
            (o[3], k.pkt("s", o[3], "SA"), False), (o[4], k.pkt("c", o[4], "A"), True),
            (o[5], k.pkt("c", o[5], "PA", get), True)]


def basic_trace(link: Callable[[bytes, bool], bytes], v6: bool = False,
                t0: int = T0 * NS) -> list[Rec]:
    tr = Trace(t0, link)
    for off, ip, out in basic(v6):
        tr.add(off, ip, out)
    return tr.recs


def eth_link(ip: bytes, out: bool) -> bytes:
    return ether(ip, CLIENT_MAC, GATEWAY_MAC) if out else ether(ip, GATEWAY_MAC, CLIENT_MAC,
                                                                 pad=True)


def pcap_le_usec() -> bytes:
    return pcap(basic_trace(eth_link), 1)


def pcap_be_usec() -> bytes:
    return pcap(basic_trace(eth_link), 1, order=">")


def pcap_le_nsec() -> bytes:
    return pcap(basic_trace(eth_link), 1, nano=True)


def pcap_be_nsec() -> bytes:
    return pcap(basic_trace(eth_link), 1, order=">", nano=True)


def pcap_le_usec_gz() -> bytes:
    return gzip.compress(pcap_le_usec(), compresslevel=9, mtime=0)


def pcap_snaplen_80() -> bytes:
    """Snap length 80: the DNS answer (91 bytes) and the HTTP request (120 bytes) are cut
    (caplen < len); the other four frames are shorter than 80 bytes."""
    return pcap(basic_trace(eth_link), 1, snaplen=80)


def pcapng_sections() -> bytes:
    """Three sections: little-endian (Ethernet), big-endian (raw IP, nanosecond clock),
    little-endian (Linux SLL2). Interface 0 means a different interface in each."""
    recs = basic_trace(lambda ip, out: ip)
    out = ng_shb("<", "section 1 of 3: little-endian, Ethernet")
    out += ng_idb(1, "<", name="eth0")
    for r in recs[:2]:
        out += ng_epb(0, r.ts // US, eth_link(r.data, r.data[12:16] == socket.inet_aton(
            BASIC_CLIENT)), "<")
    out += ng_shb(">", "section 2 of 3: big-endian, raw IP, nanosecond clock")
    out += ng_idb(101, ">", name="tun0", tsresol=9)
    for r in recs[2:5]:
        out += ng_epb(0, r.ts, r.data, ">")
    out += ng_shb("<", "section 3 of 3: little-endian, Linux SLL2")
    out += ng_idb(276, "<", name="any")
    out += ng_epb(0, recs[5].ts // US, sll2(recs[5].data, True, CLIENT_MAC), "<")
    return out


def pcapng_interfaces() -> bytes:
    """One section, four interfaces (Ethernet µs; Linux SLL ns; raw IP with a 2^-20 s clock
    and if_tsoffset; LINKTYPE_IPV6 ms), EPB/SPB/OPB packet blocks, and NRB, ISB and DSB
    blocks that carry no packets (and that Wireshark does not number)."""
    o = "<"
    v4 = basic()
    v6 = basic(v6=True)
    out = ng_shb(o, "four interfaces, every packet block type, blocks to skip")
    out += ng_idb(1, o, name="eth0", tsresol=6)
    out += ng_idb(113, o, name="any", tsresol=9)
    out += ng_nrb([(BASIC_RESOLVER, "resolver.example"), (BASIC_SERVER, "www.example.net"),
                   (BASIC_SERVER6, "www.example.net")], o)
    t = T0 * NS
    out += ng_epb(0, (t + v4[0][0]) // US, eth_link(v4[0][1], True), o)   # frame 1
    out += ng_epb(0, (t + v4[1][0]) // US, eth_link(v4[1][1], False), o)  # frame 2
    out += ng_idb(101, o, name="tun0", tsresol=0x80 | 20, tsoffset=T0)
    out += ng_epb(1, t + v4[2][0], sll(v4[2][1], True, CLIENT_MAC), o)   # frame 3
    out += ng_opb(1, t + v4[3][0], sll(v4[3][1], False, GATEWAY_MAC), o)  # frame 4
    out += ng_epb(2, (v4[4][0] << 20) // NS, v4[4][1], o)                  # frame 5
    out += ng_spb(eth_link(v4[5][1], True), o)                             # frame 6
    out += ng_dsb(b"CLIENT_RANDOM " + bytes(range(32)).hex().encode() + b" "
                  + bytes(48).hex().encode() + b"\n", o)
    out += ng_idb(229, o, name="lo6", tsresol=3)
    for off, ip, _ in v6[2:5]:
        out += ng_epb(3, (t + off) // MS, ip, o)                           # frames 7-9
    out += ng_isb(0, (t + 100 * MS) // US, 3, 0, o)
    return out


def pcapng_custom_blocks() -> bytes:
    """A TCP handshake with a custom block (copiable, type 0xBAD) after the SYN and a
    non-copiable one (0x40000BAD) after the SYN/ACK. Wireshark 4.0 numbers each custom
    block as a frame of its own, so the SYN/ACK is its frame 3 and the ACK its frame 5."""
    o = "<"
    recs = basic_trace(eth_link)
    out = ng_shb(o) + ng_idb(1, o, name="eth0")
    out += ng_epb(0, recs[2].ts // US, recs[2].data, o)
    out += ng_custom(True, 32473, b"copy me: example custom block", o)
    out += ng_epb(0, recs[3].ts // US, recs[3].data, o)
    out += ng_custom(False, 32473, b"do not copy", o)
    out += ng_epb(0, recs[4].ts // US, recs[4].data, o)
    return out


# ============================================================================ link types


def _raw(ip: bytes, out: bool) -> bytes:
    return ip


def link_vlan_qinq() -> bytes:
    """Ethernet with one 802.1Q tag (DNS), then QinQ: 802.1ad outer + 802.1Q inner (TCP)."""
    def link(ip: bytes, out: bool) -> bytes:
        tags = [(0x8100, 100)] if ip[9] == 17 else [(0x88A8, 200), (0x8100, 300)]
        src, dst = (CLIENT_MAC, GATEWAY_MAC) if out else (GATEWAY_MAC, CLIENT_MAC)
        return ether(ip, src, dst, tags)
    return pcap(basic_trace(link), 1)


def _ppp_proto(ip: bytes) -> bytes:
    return b"\x00\x57" if ip[0] >> 4 == 6 else b"\x00\x21"


def _pppoe(ip: bytes, session: int = 0x2A1F) -> bytes:
    """A PPPoE session header (RFC 2516) and the PPP protocol in front of ``ip``."""
    return struct.pack("!BBHH", 0x11, 0, session, len(ip) + 2) + _ppp_proto(ip) + ip


def link_pppoe() -> bytes:
    """PPPoE over Ethernet, as on a DSL or fibre access link: the DNS frames also carry an
    802.1Q tag (VLAN 7, the usual tag of such links), the TCP frames do not."""
    def link(ip: bytes, out: bool) -> bytes:
        src, dst = (CLIENT_MAC, GATEWAY_MAC) if out else (GATEWAY_MAC, CLIENT_MAC)
        tags = b"\x81\x00\x00\x07" if ip[9] == 17 else b""
        return _mac(dst) + _mac(src) + tags + b"\x88\x64" + _pppoe(ip)
    return pcap(basic_trace(link), 1)


def link_ppp() -> bytes:
    """LINKTYPE_PPP (9): HDLC-like framing (address 0xff, control 0x03), then the protocol."""
    return pcap(basic_trace(lambda ip, out: b"\xff\x03" + _ppp_proto(ip) + ip), 9)


def link_ppp_hdlc() -> bytes:
    """LINKTYPE_PPP_HDLC (50): PPP in HDLC framing for the DNS frames, Cisco HDLC (address
    0x0f, control 0, an ethertype) for the TCP frames."""
    def link(ip: bytes, out: bool) -> bytes:
        if ip[9] == 17:
            return b"\xff\x03" + _ppp_proto(ip) + ip
        return b"\x0f\x00\x08\x00" + ip
    return pcap(basic_trace(link), 50)


def link_ppp_ether() -> bytes:
    """LINKTYPE_PPP_ETHER (51): the PPPoE session header without the Ethernet frame."""
    return pcap(basic_trace(lambda ip, out: _pppoe(ip)), 51)


def link_sll() -> bytes:
    return pcap(basic_trace(lambda ip, out: sll(ip, out, CLIENT_MAC if out else GATEWAY_MAC)),
                113)


def link_sll2() -> bytes:
    return pcap(basic_trace(lambda ip, out: sll2(ip, out, CLIENT_MAC if out else GATEWAY_MAC)),
                276)


def link_raw(dlt: int) -> Callable[[], bytes]:
    def make() -> bytes:
        return pcap(basic_trace(_raw, v6=dlt == 229), dlt)
    make.__name__ = f"link_raw_{dlt}"
    return make


def link_null_le() -> bytes:
    """DLT_NULL written on a little-endian host: families 2 (IPv4) and 30 (IPv6, macOS)."""
    recs = basic_trace(lambda ip, out: null(ip, "<"))
    recs += basic_trace(lambda ip, out: null(ip, "<"), v6=True, t0=(T0 + 1) * NS)
    return pcap(recs, 0)


def link_null_be() -> bytes:
    """DLT_NULL from a big-endian host: the file and the family word are big-endian."""
    recs = basic_trace(lambda ip, out: null(ip, ">"))
    recs += basic_trace(lambda ip, out: null(ip, ">", 24), v6=True, t0=(T0 + 1) * NS)
    return pcap(recs, 0, order=">")


def link_loop() -> bytes:
    """DLT_LOOP (108): the family word is always in network byte order."""
    return pcap(basic_trace(lambda ip, out: null(ip, ">")), 108)


def link_unknown_147() -> bytes:
    """LINKTYPE_USER0 (147): a private link type the analyzer cannot decode."""
    return pcap(basic_trace(lambda ip, out: b"\xfe\xed\xfa\xce" + ip), 147)


# ============================================================================ IP layer

A, B, ROUTER = "192.0.2.10", "198.51.100.20", "192.0.2.254"


def ipv4_options() -> bytes:
    """A TCP SYN with a Record Route option, its SYN/ACK, and a UDP datagram with Router
    Alert (IHL 9 and 6)."""
    tr = Trace(T0 * NS, eth_link)
    syn = IP(src=A, dst=B, id=0x3001, options=[IPOption_RR(routers=["0.0.0.0"] * 3),
                                               IPOption_NOP()]) / TCP(
        sport=40400, dport=80, flags="S", seq=1000, options=[("MSS", 1460)])
    tr.add(0, bytes(syn))
    synack = IP(src=B, dst=A, ttl=55, id=0x7001) / TCP(sport=80, dport=40400, flags="SA",
                                                        seq=5000, ack=1001,
                                                        options=[("MSS", 1400)])
    tr.add(20 * MS, bytes(synack), False)
    ra = IP(src=A, dst="224.0.0.22", ttl=1, id=0x3002, options=[IPOption_Router_Alert()])
    tr.add(30 * MS, bytes(ra / UDP(sport=5000, dport=5001) / Raw(b"router alert")))
    return pcap(tr.recs, 1)


def udp_payload(seed: int, n: int) -> bytes:
    return random.Random(seed).randbytes(n)


def fragments4(src: str, dst: str, sport: int, payload: bytes, ipid: int,
               cuts: Sequence[tuple[int, int]], alter: dict[int, bytes] | None = None
               ) -> list[bytes]:
    """IPv4 fragments of one UDP datagram: ``cuts`` are (start, stop) byte ranges of the IP
    payload (multiples of 8); ``alter`` replaces the bytes at a given start in one fragment."""
    whole = bytes(IP(src=src, dst=dst) / UDP(sport=sport, dport=9999) / Raw(payload))[20:]
    out = []
    for start, stop in cuts:
        chunk = whole[start:stop]
        if alter and start in alter:
            chunk = alter[start] + chunk[len(alter[start]):]
        mf = stop < len(whole)
        out.append(bytes(IP(src=src, dst=dst, id=ipid, ttl=61, proto=17, frag=start // 8,
                            flags="MF" if mf else 0) / Raw(chunk)))
    return out


FRAG_PAYLOAD = 3000  # UDP payload bytes; 3008 bytes of IP payload


def ipv4_fragments() -> bytes:
    """Two UDP datagrams of 3000 bytes in three fragments each: in order, and out of order
    (last, first, middle)."""
    tr = Trace(T0 * NS, eth_link)
    cuts = [(0, 1480), (1480, 2960), (2960, 3008)]
    t = 0
    for f in fragments4(B, A, 41000, udp_payload(1, FRAG_PAYLOAD), 0x4A01, cuts):
        tr.add(t, f, False)
        t += 100 * US
    frs = fragments4(B, A, 41001, udp_payload(2, FRAG_PAYLOAD), 0x4A02, cuts)
    for f in (frs[2], frs[0], frs[1]):
        tr.add(t, f, False)
        t += 100 * US
    return pcap(tr.recs, 1)


def ipv4_fragments_overlap() -> bytes:
    """Overlapping fragments: one datagram whose overlap repeats the same bytes, one whose
    overlap (bytes 1000-1480 of the IP payload) carries different bytes."""
    tr = Trace(T0 * NS, eth_link)
    cuts = [(0, 1480), (1000, 2480), (2480, 3008)]
    t = 0
    for f in fragments4(B, A, 41002, udp_payload(3, FRAG_PAYLOAD), 0x4A03, cuts):
        tr.add(t, f, False)
        t += 100 * US
    for f in fragments4(B, A, 41003, udp_payload(4, FRAG_PAYLOAD), 0x4A04, cuts,
                        alter={1000: b"X" * 480}):
        tr.add(t, f, False)
        t += 100 * US
    return pcap(tr.recs, 1)


C6, S6, R6 = "2001:db8:1::10", "2001:db8:2::20", "2001:db8:1::1"


def ipv6_ext_fragments() -> bytes:
    """IPv6: a TCP SYN behind hop-by-hop, destination-options and routing headers, its
    SYN/ACK, and a 3000-byte UDP datagram in three fragments behind a hop-by-hop header."""
    tr = Trace(T0 * NS, eth_link)
    syn = (IPv6(src=C6, dst=S6) / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)])
           / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 4)])
           / IPv6ExtHdrRouting(type=0, segleft=0, addresses=["2001:db8:ffff::1"])
           / TCP(sport=40600, dport=443, flags="S", seq=7000, options=[("MSS", 1440)]))
    tr.add(0, bytes(syn))
    synack = IPv6(src=S6, dst=C6, hlim=58) / TCP(sport=443, dport=40600, flags="SA",
                                                  seq=9000, ack=7001, options=[("MSS", 1440)])
    tr.add(40 * MS, bytes(synack), False)
    whole = bytes(IPv6(src=S6, dst=C6) / UDP(sport=41600, dport=9999)
                  / Raw(udp_payload(6, FRAG_PAYLOAD)))[40:]
    t = 50 * MS
    for start, stop in [(0, 1232), (1232, 2464), (2464, len(whole))]:
        pkt = (IPv6(src=S6, dst=C6, hlim=58) / IPv6ExtHdrHopByHop()
               / IPv6ExtHdrFragment(nh=17, offset=start // 8, m=int(stop < len(whole)),
                                    id=0x6B0B6B0B) / Raw(whole[start:stop]))
        tr.add(t, bytes(pkt), False)
        t += 100 * US
    return pcap(tr.recs, 1)


def icmp_errors() -> bytes:
    """ICMP time-exceeded quoting a TCP segment of an existing IPv4 flow, ICMPv6
    administratively-prohibited quoting the SYN of an IPv6 flow, one ICMP error quoting a
    connection the capture never saw, and an ICMPv6 error quoting a SYN that carries a
    hop-by-hop header (frames 9-10)."""
    tr = Trace(T0 * NS, eth_link)
    k = Conn(Side(A, 40700, 0x11110000, 64, 0x5001, 64240, LINUX_SYN, 100, 502),
             Side(B, 80, 0x22220000, 50, 0, 65160, LINUX_SYN, 900, 509))
    tr.add(0, k.pkt("c", 0, "S"))
    tr.add(20 * MS, k.pkt("s", 20 * MS, "SA"), False)
    tr.add(20_100 * US, k.pkt("c", 20_100 * US, "A"))
    probe = k.pkt("c", 20_200 * US, "PA", b"GET / HTTP/1.1\r\nHost: b.example\r\n\r\n", ttl=3)
    tr.add(20_200 * US, probe)
    quoted = bytearray(probe[:28])
    quoted[8] = 1  # the TTL as the router saw it
    tr.add(24 * MS, bytes(IP(src=ROUTER, dst=A, ttl=253, id=0x0101)
                          / ICMP(type=11, code=0) / Raw(bytes(quoted))), False)
    k6 = Conn(Side(C6, 40701, 0x33330000, 64, 0, 64800, LINUX_SYN, 100),
              Side(S6, 443, 0, 60, 0, 0, None, None), v6=True)
    syn6 = k6.pkt("c", 30 * MS, "S")
    tr.add(30 * MS, syn6)
    tr.add(31 * MS, bytes(IPv6(src=R6, dst=C6, hlim=64) / ICMPv6DestUnreach(code=1)
                          / Raw(syn6)), False)
    stray = bytes(IP(src=A, dst=B, ttl=1, id=0x5999) / TCP(sport=40799, dport=80, flags="S",
                                                           seq=1))[:28]
    tr.add(40 * MS, bytes(IP(src=ROUTER, dst=A, ttl=253, id=0x0102) / ICMP(type=11, code=0)
                          / Raw(stray)), False)
    hbh = bytes(IPv6(src=C6, dst=S6) / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)])
                / TCP(sport=40702, dport=443, flags="S", seq=0x44440000,
                      options=[("MSS", 1440)]))
    tr.add(50 * MS, hbh)
    tr.add(51 * MS, bytes(IPv6(src=R6, dst=C6, hlim=64) / ICMPv6DestUnreach(code=1)
                          / Raw(hbh)), False)
    return pcap(tr.recs, 1)


def icmp_port_unreachable_dns() -> bytes:
    """A DNS query sent twice on one socket (the client's 1 s retry) and answered twice, the
    same answer: the client took the first and closed its socket, so the second draws an
    ICMP port unreachable (frame 5) that quotes it, DNS message included (Wireshark
    dissects the quoted DNS)."""
    tr = Trace(T0 * NS, eth_link)
    resolver = "192.0.2.53"
    q = dns_query(0x5A17, "ntp.example", "A")
    answer = dns_answer(0x5A17, "ntp.example", [("ntp.example", "A", 150, "198.51.100.123")])
    tr.add(0, udp4(A, 40800, resolver, 53, q, ipid=0x1A01))
    tr.add(1000 * MS, udp4(A, 40800, resolver, 53, q, ipid=0x1A02))
    tr.add(1031 * MS, udp4(resolver, 53, A, 40800, answer, ipid=0x2B01), False)
    late = udp4(resolver, 53, A, 40800, answer, ipid=0x2B02)
    tr.add(1033 * MS, late, False)
    # Linux quotes as much of the offending datagram as fits in 576 bytes
    tr.add(1033_080 * US, bytes(IP(src=A, dst=resolver, ttl=64, id=0x1A03)
                                / ICMP(type=3, code=3) / Raw(late[:548])))
    return pcap(tr.recs, 1)


# ============================================================================ TCP scenarios

HTTP_GET = b"GET /index.html HTTP/1.1\r\nHost: b.example\r\nUser-Agent: curl/7.74.0\r\n\r\n"


def quic_drafts() -> bytes:
    """QUIC Initials of four versions from one client (pcap, Ethernet, microseconds):
    QUIC v1 (SNI v1.example.com), draft-29 (0xff00001d, SNI draft29.example.com, answered by
    a server Initial carrying an ACK), draft-27 (0xff00001b, the salt of drafts 23-28, SNI
    draft27.example.com) and draft-22 (0xff000016: a version whose Initial keys are not
    known, so its ClientHello cannot be read). Each client Initial is one 1200-byte datagram
    to port 443 from its own port; all but the draft-22 one decrypt in Wireshark as here."""
    rnd = random.Random(29)
    tr = Trace(T0 * NS, eth_link)
    cli, srv = "192.0.2.10", "203.0.113.29"
    t = 0
    for port, version, sni in ((50001, 0x00000001, "v1.example.com"),
                               (50029, 0xFF00001D, "draft29.example.com"),
                               (50027, 0xFF00001B, "draft27.example.com")):
        dcid, scid = rnd.randbytes(8), rnd.randbytes(8)
        ch = quic_client_hello(sni, rnd)
        tr.add(t, udp4(cli, port, srv, 443, quic_initial(version, dcid, dcid, scid, 0,
                                                         quic_crypto(0, ch)),
                       ipid=0x3000 + port % 100), True)
        t += 40 * MS
        if version == 0xFF00001D:
            ack = b"\x02\x00\x00\x00\x00"  # ACK of packet 0, no delay, no ranges
            tr.add(t, udp4(srv, 443, cli, port, quic_initial(version, dcid, scid, rnd.randbytes(8),
                                                             0, ack, server=True), ttl=53,
                           ipid=0x7000), False)
        t += 200 * MS
    opaque = (bytes([0xC1]) + struct.pack("!I", 0xFF000016) + _vec(rnd.randbytes(8), 1)
              + _vec(rnd.randbytes(8), 1) + b"\x00" + struct.pack("!H", 0x4000 | 1100)
              + rnd.randbytes(1100))
    tr.add(t, udp4(cli, 50022, srv, 443, opaque, ipid=0x3022), True)
    return pcap(tr.recs, 1)


def tcp_pair(cport: int, cisn: int, sisn: int) -> Conn:
    return Conn(Side(A, cport, cisn, 64, 0x1000 + cport % 1000, 64240, LINUX_SYN, 100_000,
                     502),
                Side(B, 80, sisn, 52, 0x2000 + cport % 1000, 65160, LINUX_SYN, 900_000, 509))


def _exchange(tr: Trace, k: Conn, t: int, steps: Sequence[tuple[str, str, bytes, int]]) -> int:
    """Add packets (who, flags, payload, delay before it in µs)."""
    for who, flags, payload, delay in steps:
        t += delay * US
        tr.add(t, k.pkt(who, t, flags, payload), who == "c")
    return t


HANDSHAKE = [("c", "S", b"", 0), ("s", "SA", b"", 20_000), ("c", "A", b"", 100)]
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
            b"hello world\n")


def tcp_handshake_data_fin() -> bytes:
    """A complete connection: handshake, request, response, FIN from both sides (SF)."""
    tr = Trace(T0 * NS, eth_link)
    _exchange(tr, tcp_pair(40100, 0x0A000000, 0x0B000000), 0, [
        *HANDSHAKE, ("c", "PA", HTTP_GET, 200), ("s", "A", b"", 20_000),
        ("s", "PA", RESPONSE, 1_000), ("c", "A", b"", 100), ("c", "FA", b"", 500),
        ("s", "FA", b"", 20_000), ("c", "A", b"", 100)])
    return pcap(tr.recs, 1)


def tcp_rej() -> bytes:
    """A SYN answered by RST+ACK: the port is closed (REJ)."""
    tr = Trace(T0 * NS, eth_link)
    _exchange(tr, tcp_pair(40110, 0x0A100000, 0), 0, [("c", "S", b"", 0),
                                                       ("s", "RA", b"", 20_000)])
    return pcap(tr.recs, 1)


def tcp_s0() -> bytes:
    """A SYN sent and retransmitted twice (1 s, then 2 s later), never answered (S0)."""
    tr = Trace(T0 * NS, eth_link)
    k = tcp_pair(40120, 0x0A200000, 0)
    for t in (0, 1_000_000, 3_000_000):
        tr.add(t * US, k.pkt("c", t * US, "S", seq=0x0A200000))
    return pcap(tr.recs, 1)


def tcp_rst_then_data() -> bytes:
    """After the request, a RST+ACK claiming to come from the server; then the server's
    real response arrives anyway: an ACK (frame 6), then data (frames 7 and 8)."""
    tr = Trace(T0 * NS, eth_link)
    k = tcp_pair(40130, 0x0A300000, 0x0B300000)
    t = _exchange(tr, k, 0, [*HANDSHAKE, ("c", "PA", HTTP_GET, 200)])
    t += 3_000 * US
    tr.add(t, k.pkt("s", t, "RA", ttl=111, ipid=0x0F0F, win=0, df=False, opts=[],
                    advance=False), False)
    _exchange(tr, k, t, [("s", "A", b"", 17_000), ("s", "PA", RESPONSE[:40], 200),
                         ("s", "PA", RESPONSE[40:], 50)])
    return pcap(tr.recs, 1)


def tcp_retransmissions() -> bytes:
    """Two connections. Port 40201: the request is retransmitted with identical bytes.
    Port 40202: two server segments at the same sequence numbers carry different bytes
    (an injected 403 first, then the real 200)."""
    tr = Trace(T0 * NS, eth_link)
    k = tcp_pair(40201, 0x0A400000, 0x0B400000)
    t = _exchange(tr, k, 0, [*HANDSHAKE, ("c", "PA", HTTP_GET, 200)])
    seq = k.side["c"].seq - len(HTTP_GET)
    t += 200_000 * US
    tr.add(t, k.pkt("c", t, "PA", HTTP_GET, seq=seq))
    t = _exchange(tr, k, t, [("s", "A", b"", 20_000), ("s", "FA", b"", 100),
                             ("c", "FA", b"", 100), ("s", "A", b"", 20_000)])

    k = tcp_pair(40202, 0x0A410000, 0x0B410000)
    t = _exchange(tr, k, t + 100 * MS, [*HANDSHAKE, ("c", "PA", HTTP_GET, 200)])
    real = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
    fake = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
    fake = fake[:len(real)].ljust(len(real), b" ")
    seq = k.side["s"].seq
    t += 8_000 * US
    tr.add(t, k.pkt("s", t, "PA", fake, ttl=90, ipid=0x0BAD, advance=False), False)
    t += 12_000 * US
    tr.add(t, k.pkt("s", t, "PA", real, seq=seq), False)
    return pcap(tr.recs, 1)


def tcp_out_of_order() -> bytes:
    """The server's 1500-byte response in three segments, captured as 1, 3, 2."""
    tr = Trace(T0 * NS, eth_link)
    k = tcp_pair(40300, 0x0A500000, 0x0B500000)
    t = _exchange(tr, k, 0, [*HANDSHAKE, ("c", "PA", HTTP_GET, 200), ("s", "A", b"", 20_000)])
    body = bytes(range(32, 127)) * 16
    resp = b"HTTP/1.1 200 OK\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    resp = resp[:1500]
    base = k.side["s"].seq
    segs = [(base, resp[:500]), (base + 500, resp[500:1000]), (base + 1000, resp[1000:])]
    for seq, data in (segs[0], segs[2], segs[1]):
        t += 300 * US
        tr.add(t, k.pkt("s", t, "PA" if seq == base + 1000 else "A", data, seq=seq), False)
    k.side["s"].seq = base + 1500
    t += 100 * US
    tr.add(t, k.pkt("c", t, "A"))
    return pcap(tr.recs, 1)


def tcp_port_reuse() -> bytes:
    """A connection closed with FINs, then 2 s later a new SYN on the same address/port
    pair with a different ISN (a second flow)."""
    tr = Trace(T0 * NS, eth_link)
    k = tcp_pair(40500, 0x0A600000, 0x0B600000)
    t = _exchange(tr, k, 0, [*HANDSHAKE, ("c", "FA", b"", 1_000), ("s", "FA", b"", 20_000),
                             ("c", "A", b"", 100)])
    k = tcp_pair(40500, 0x5A600000, 0x6B600000)
    _exchange(tr, k, t + 2_000 * MS, [*HANDSHAKE, ("c", "PA", HTTP_GET, 200),
                                      ("s", "RA", b"", 20_000)])
    return pcap(tr.recs, 1)


# ============================================================================ malformed


def malformed_headers() -> bytes:
    """Hostile headers, one per frame, then a good packet: (1) a 10-byte Ethernet frame,
    (2) IPv4 with IHL 4, (3) TCP data offset 15 (60 bytes) in a 20-byte segment,
    (4) EtherType IPv4 carrying version 7, (5) an ordinary UDP datagram."""
    tr = Trace(T0 * NS, eth_link)
    good = udp4(A, 40900, B, 53, dns_query(0x0E0E, "after.example"), ipid=0x9005)
    tr.recs.append(Rec(T0 * NS, eth_link(good, True)[:10]))
    bad_ihl = bytearray(udp4(A, 40901, B, 9, b"ihl", ipid=0x9002))
    bad_ihl[0] = 0x44
    tr.add(1 * MS, bytes(bad_ihl))
    seg = bytearray(bytes(IP(src=A, dst=B, id=0x9003) / TCP(sport=40902, dport=80, flags="S",
                                                             seq=1)))
    seg[32] = 0xF0
    tr.add(2 * MS, bytes(seg))
    v7 = bytearray(udp4(A, 40903, B, 9, b"version 7", ipid=0x9004))
    v7[0] = 0x75
    tr.add(3 * MS, bytes(v7))
    tr.add(4 * MS, good)
    return pcap(tr.recs, 1)


def malformed_pcapng_block_length() -> bytes:
    """Three good packets, then a block whose trailer (9999) disagrees with its length,
    then a good packet that must not be read (reading stops at the lie)."""
    o = "<"
    recs = basic_trace(eth_link)
    out = ng_shb(o) + ng_idb(1, o, name="eth0")
    for r in recs[:3]:
        out += ng_epb(0, r.ts // US, r.data, o)
    bad = ng_epb(0, recs[3].ts // US, recs[3].data, o)
    out += bad[:-4] + struct.pack(o + "I", 9999)
    out += ng_epb(0, recs[4].ts // US, recs[4].data, o)
    return out


# ============================================================================ the index

CAPTURES: dict[str, Callable[[], bytes]] = {
    "demo-clubhouse-2021.pcapng": demo_clubhouse_2021,
    "pcap-le-usec.pcap": pcap_le_usec,
    "pcap-be-usec.pcap": pcap_be_usec,
    "pcap-le-nsec.pcap": pcap_le_nsec,
    "pcap-be-nsec.pcap": pcap_be_nsec,
    "pcap-le-usec.pcap.gz": pcap_le_usec_gz,
    "pcap-snaplen-80.pcap": pcap_snaplen_80,
    "pcapng-sections-mixed-byte-order.pcapng": pcapng_sections,
    "pcapng-interfaces-and-blocks.pcapng": pcapng_interfaces,
    "pcapng-custom-blocks.pcapng": pcapng_custom_blocks,
    "link-ethernet-vlan-qinq.pcap": link_vlan_qinq,
    "link-pppoe.pcap": link_pppoe,
    "link-ppp-9.pcap": link_ppp,
    "link-ppp-hdlc-50.pcap": link_ppp_hdlc,
    "link-ppp-ether-51.pcap": link_ppp_ether,
    "link-linux-sll.pcap": link_sll,
    "link-linux-sll2.pcap": link_sll2,
    "link-raw-12.pcap": link_raw(12),
    "link-raw-14.pcap": link_raw(14),
    "link-raw-101.pcap": link_raw(101),
    "link-ipv4-228.pcap": link_raw(228),
    "link-ipv6-229.pcap": link_raw(229),
    "link-null-le.pcap": link_null_le,
    "link-null-be.pcap": link_null_be,
    "link-loop.pcap": link_loop,
    "link-unknown-147.pcap": link_unknown_147,
    "ipv4-options.pcap": ipv4_options,
    "ipv4-fragments.pcap": ipv4_fragments,
    "ipv4-fragments-overlap.pcap": ipv4_fragments_overlap,
    "ipv6-extension-headers-fragments.pcap": ipv6_ext_fragments,
    "icmp-errors-quoting-tcp.pcap": icmp_errors,
    "icmp-port-unreachable-dns.pcap": icmp_port_unreachable_dns,
    "tcp-handshake-data-fin.pcap": tcp_handshake_data_fin,
    "tcp-rej.pcap": tcp_rej,
    "tcp-s0-syn-retransmitted.pcap": tcp_s0,
    "tcp-rst-then-data.pcap": tcp_rst_then_data,
    "tcp-retransmissions.pcap": tcp_retransmissions,
    "tcp-out-of-order.pcap": tcp_out_of_order,
    "tcp-port-reuse.pcap": tcp_port_reuse,
    "malformed-headers.pcap": malformed_headers,
    "malformed-pcapng-block-length.pcapng": malformed_pcapng_block_length,
    "quic-draft-versions.pcap": quic_drafts,
}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="compare with the files on disk instead of writing them")
    ap.add_argument("--out", type=Path, default=HERE, help="output directory")
    args = ap.parse_args(argv)
    differ = []
    for name, make in CAPTURES.items():
        data = make()
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                differ.append(name)
            continue
        path.write_bytes(data)
        print(f"{name:45} {len(data):7} bytes")
    if differ:
        print("differ from the generator: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
