#!/usr/bin/env python3
"""Write the DNS / TLS / QUIC censorship test scenarios in ``tests/scenarios/``, byte for byte.

    python captures/scenarios_dns_tls.py            # writes every scenario directory
    python captures/scenarios_dns_tls.py --check    # exits 1 if a file on disk differs

Every capture written here is *crafted*: no packet was ever on a network. Each scenario is a
directory ``tests/scenarios/<name>/`` with the capture, ``expect.json`` (the findings a
detector must report, may report, and the observations it must make) and ``README.md``
(provenance, the key frames, references). The scenarios model the mechanisms catalogued in
``../shared/research/fingerprints.md`` (§3 DNS-01..07, §4 TLS-04/05, §7 QUIC-01..03,
§8 IP-01, §11, §15): a positive capture per mechanism and benign look-alikes that must not
produce a finding.

Determinism: every "random" value comes from ``random.Random`` with a fixed seed per scenario,
the clock starts at ``T0`` (2021-02-08T12:00:00Z) from ``generate.py``, and the certificates
use Ed25519 keys derived from fixed seeds (Ed25519 signatures are deterministic) with fixed
serials and validity. QUIC Initial packets are really protected as RFC 9001 says (keys
derived from the client's Destination Connection ID, AES-128-GCM, AES-ECB header
protection), with this file's own key derivation (checked against RFC 9001 Appendix A).

One function per scenario; ``SCENARIOS`` maps each scenario name to its function.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import ipaddress
import json
import random
import socket
import struct
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from generate import (  # noqa: E402
    MS,
    NS,
    T0,
    US,
    Conn,
    Rec,
    Side,
    _ext,
    _vec,
    app_data,
    client_hello,
    ether,
    ng_epb,
    ng_idb,
    ng_shb,
    pcap,
    protect,
    quic_initial_keys,
    segments,
    server_flight,
    session_id_of,
    sll,
    sll2,
    udp4,
    udp6,
)
from scapy.layers.dns import DNS, DNSQR, DNSRR, DNSRRSOA, dns_compress  # noqa: E402

SCRIPT = "captures/scenarios_dns_tls.py"
OUT = HERE.parent / "tests" / "scenarios"
FP = "`../shared/research/fingerprints.md`"

# ============================================================================ the scene


@dataclass
class Capture:
    """What one scenario function returns: the capture and everything said about it."""

    name: str
    fn: str
    filename: str
    data: bytes
    fmt: str  # e.g. "pcapng, Ethernet, µs"
    frames: int
    about: str
    expect: list[dict[str, str]]
    allow: list[dict[str, str]]
    observations: list[str]
    shows: list[str]  # README bullets, frame numbers included
    refs: list[str]
    note: str = ""  # added to the README's "Expected result"


@dataclass
class Scene:
    """Collects the packets of one capture (any order), then numbers them by time."""

    seed: int
    start: int = 0  # ns after T0
    rnd: random.Random = field(init=False)
    events: list[tuple[int, bytes, bool, str | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rnd = random.Random(self.seed)
        #: TCP sides of a Windows client, which numbers all its packets from one IP ID counter
        self.shared_ipid: dict[int, Client] = {}

    def add(self, t: int, ip: bytes, out: bool, mark: str | None = None) -> None:
        self.events.append((t, ip, out, mark))

    def records(self, link: Callable[[bytes, bool], bytes]) -> tuple[list[Rec],
                                                                     dict[str, list[int]]]:
        """Records in time order (stable for equal times) and the frames of each mark."""
        order = sorted(range(len(self.events)), key=lambda i: self.events[i][0])
        recs: list[Rec] = []
        marks: dict[str, list[int]] = {}
        for n, i in enumerate(order, start=1):
            t, ip, out, mark = self.events[i]
            recs.append(Rec(T0 * NS + self.start + t, link(ip, out)))
            if mark:
                marks.setdefault(mark, []).append(n)
        return recs, marks


def fr(marks: dict[str, list[int]], name: str) -> str:
    """'frame 7' or 'frames 7, 9, 12' for a mark."""
    got = marks[name]
    if len(got) == 1:
        return f"frame {got[0]}"
    if got == list(range(got[0], got[-1] + 1)):
        return f"frames {got[0]}-{got[-1]}"
    return "frames " + ", ".join(str(g) for g in got)


def cap_fr(marks: dict[str, list[int]], name: str) -> str:
    """``fr`` at the start of a sentence."""
    return fr(marks, name).capitalize()


def qr(marks: dict[str, list[int]], prefix: str) -> str:
    """The frames of a query and its answer(s): marks ``<prefix>-q`` and ``<prefix>-r``."""
    got = sorted(marks[prefix + "-q"] + marks[prefix + "-r"])
    return fr({"x": got}, "x")


def frs(marks: dict[str, list[int]], *names: str) -> str:
    """The frames of several marks together."""
    return fr({"x": sorted(f for n in names for f in marks[n])}, "x")


def span(marks: dict[str, list[int]], first: str, last: str) -> str:
    """'frames A-B' from the first frame of one mark to the first frame of another."""
    return f"frames {marks[first][0]}-{marks[last][0]}"


def f1(marks: dict[str, list[int]], name: str) -> int:
    return marks[name][0]


# ---------------------------------------------------------------------------- link layers


def eth(client_mac: str, gw_mac: str) -> Callable[[bytes, bool], bytes]:
    def link(ip: bytes, out: bool) -> bytes:
        return ether(ip, client_mac, gw_mac) if out else ether(ip, gw_mac, client_mac, pad=True)
    return link


def cooked(v2: bool, client_mac: str, gw_mac: str) -> Callable[[bytes, bool], bytes]:
    def link(ip: bytes, out: bool) -> bytes:
        mac = client_mac if out else gw_mac
        return sll2(ip, out, mac) if v2 else sll(ip, out, mac)
    return link


def raw(ip: bytes, out: bool) -> bytes:
    return ip


def write_pcapng(recs: Sequence[Rec], linktype: int, ifname: str, *, nano: bool = False,
                 order: str = "<") -> bytes:
    out = ng_shb(order, f"Crafted by {SCRIPT}; no packet here was ever on a network.")
    out += ng_idb(linktype, order, name=ifname, tsresol=9 if nano else 6)
    for r in recs:
        out += ng_epb(0, r.ts if nano else r.ts // US, r.data, order)
    return out


# ============================================================================ DNS bytes


def opt_rr(udp: int = 1232, do: bool = False, options: bytes = b"") -> bytes:
    """An EDNS(0) OPT pseudo-record (RFC 6891)."""
    return b"\x00" + struct.pack("!HHIH", 41, udp, 0x8000 if do else 0, len(options)) + options


def cookie_opt(client_cookie: bytes) -> bytes:
    return struct.pack("!HH", 10, len(client_cookie)) + client_cookie


def _add_additional(msg: bytes, rr: bytes) -> bytes:
    m = bytearray(msg)
    struct.pack_into("!H", m, 10, struct.unpack_from("!H", m, 10)[0] + 1)
    return bytes(m) + rr


def query(txid: int, name: str, qtype: str = "A", *, ad: int = 0,
          opt: bytes | None = None) -> bytes:
    """A recursive (RD=1) query; ``opt`` appends an OPT record to the additional section."""
    msg = bytes(DNS(id=txid, rd=1, ad=ad, qd=DNSQR(qname=name, qtype=qtype)))
    return _add_additional(msg, opt) if opt is not None else msg


Answer = tuple[str, str, int, object]  # (owner, type, ttl, rdata)


def soa(zone: str, ttl: int, mname: str, rname: str, serial: int, minimum: int) -> DNSRRSOA:
    return DNSRRSOA(rrname=zone, ttl=ttl, mname=mname, rname=rname, serial=serial,
                    refresh=1800, retry=900, expire=604800, minimum=minimum)


def response(txid: int, name: str, qtype: str, answers: Sequence[Answer], *,
             authority: Sequence[DNSRRSOA] = (), rcode: int = 0, aa: int = 0,
             opt: bytes | None = None) -> bytes:
    """A resolver's (compressed) response; ``opt`` appends its OPT record."""
    an = [DNSRR(rrname=o, type=t, ttl=ttl, rdata=rd) for o, t, ttl, rd in answers]
    msg = DNS(id=txid, qr=1, aa=aa, rd=1, ra=1, rcode=rcode,
              qd=DNSQR(qname=name, qtype=qtype), an=an or None, ns=list(authority) or None)
    out = bytes(dns_compress(msg))
    return _add_additional(out, opt) if opt is not None else out


def question_end(q: bytes) -> int:
    """Offset just past the first question (QNAME + QTYPE + QCLASS) of a query."""
    off = 12
    while q[off]:
        off += 1 + q[off]
    return off + 5


def rr_a(ip: str, ttl: int) -> bytes:
    return b"\xc0\x0c\x00\x01\x00\x01" + struct.pack("!I", ttl) + b"\x00\x04" + \
        socket.inet_aton(ip)


def rr_aaaa(ip: str, ttl: int) -> bytes:
    return b"\xc0\x0c\x00\x1c\x00\x01" + struct.pack("!I", ttl) + b"\x00\x10" + \
        socket.inet_pton(socket.AF_INET6, ip)


def injected(q: bytes, flags: int, records: Sequence[bytes], *, rcode: int = 0,
             copy_all: bool = False) -> bytes:
    """A forged response built the way the catalogued injectors build it (DNS-02, DNS-06):
    the query's id and question copied, fixed flags, QD=1, AN=len(records), NS=0, AR=0 (an
    OPT record in the query is not echoed), the records appended at the end. ``copy_all``
    copies *everything* after the header, trailing records included (the pre-2022-11
    Turkmenistan injector), so the query's own OPT record sits where the answer should be."""
    body = q[12:] if copy_all else q[12:question_end(q)]
    return q[:2] + struct.pack("!HHHHH", flags | rcode, 1, len(records), 0, 0) + body + \
        b"".join(records)


class Resolver:
    """A resolver's side of the capture: its address, the IP TTL its answers arrive with and
    how its IP IDs go (``step`` None: DF set and IP ID 0, as Linux sends unconnected UDP)."""

    def __init__(self, sc: Scene, ip: str, ttl: int, ipid: int = 0,
                 step: tuple[int, int] | None = (1, 1)) -> None:
        self.sc, self.ip, self.ttl, self.ipid, self.step = sc, ip, ttl, ipid, step
        self.v6 = ":" in ip

    def next_id(self) -> tuple[int, bool]:
        if self.step is None:
            return 0, True
        self.ipid = (self.ipid + self.sc.rnd.randint(*self.step)) & 0xFFFF
        return self.ipid, False

    def packet(self, client: str, cport: int, payload: bytes, *, ttl: int | None = None,
               ipid: int | None = None, df: bool | None = None) -> bytes:
        if self.v6:
            return udp6(self.ip, 53, client, cport, payload,
                        hlim=self.ttl if ttl is None else ttl)
        own_id, own_df = self.next_id() if ipid is None else (ipid, False)
        return udp4(self.ip, 53, client, cport, payload, ttl=self.ttl if ttl is None else ttl,
                    ipid=own_id, df=own_df if df is None else df)


class Client:
    """The capturing host: address, IP TTL, and the IP ID / DF habits of its UDP sockets."""

    def __init__(self, sc: Scene, ip: str, *, ttl: int = 64, ipid: int = 0x4000,
                 windows: bool = False, mac: str = "3c:22:fb:5a:10:23") -> None:
        self.sc, self.ip, self.ttl, self.ipid, self.windows, self.mac = (sc, ip, ttl, ipid,
                                                                        windows, mac)
        self.v6 = ":" in ip
        self.port = 33000 + sc.rnd.randrange(20000)

    def new_port(self) -> int:
        """The next ephemeral port: Linux draws from 32768-60999, Windows from 49152-65535."""
        base, size = (49152, 16384) if self.windows else (32768, 28232)
        self.port = base + (self.port - base + 1 + self.sc.rnd.randrange(9000)) % size
        return self.port

    def udp(self, dst: str, sport: int, dport: int, payload: bytes) -> bytes:
        if self.v6:
            return udp6(self.ip, sport, dst, dport, payload, hlim=self.ttl)
        self.ipid = (self.ipid + 1) & 0xFFFF
        # Windows numbers every datagram from one counter and sends DNS without DF; Linux
        # sets DF on (connected) UDP sockets.
        return udp4(self.ip, sport, dst, dport, payload, ttl=self.ttl, ipid=self.ipid,
                    df=not self.windows)


def lookup(sc: Scene, cl: Client, res: Resolver, t: int, name: str, qtype: str,
           answers: Sequence[Answer], rtt: int, *, authority: Sequence[DNSRRSOA] = (),
           rcode: int = 0, q_opt: bytes | None = None, r_opt: bytes | None = None,
           aa: int = 0, mark: str | None = None, port: int | None = None,
           txid: int | None = None) -> int:
    """A query and its single genuine answer; returns the time of the answer."""
    port = cl.new_port() if port is None else port
    txid = sc.rnd.getrandbits(16) if txid is None else txid
    sc.add(t, cl.udp(res.ip, port, 53, query(txid, name, qtype, opt=q_opt)), True,
           mark and mark + "-q")
    resp = response(txid, name, qtype, answers, authority=authority, rcode=rcode, aa=aa,
                    opt=r_opt)
    sc.add(t + rtt, res.packet(cl.ip, port, resp), False, mark and mark + "-r")
    return t + rtt


# ============================================================================ TCP


LINUX_SYN = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", None), ("NOP", None),
             ("WScale", 7)]
LINUX_SYN6 = [("MSS", 1440), ("SAckOK", b""), ("Timestamp", None), ("NOP", None),
              ("WScale", 7)]
WINDOWS_SYN = [("MSS", 1460), ("NOP", None), ("WScale", 8), ("NOP", None), ("NOP", None),
               ("SAckOK", b"")]


def conn(sc: Scene, cl: Client, server: str, port: int, *, sttl: int, mss: int = 1460,
         ws: int = 9, cport: int | None = None) -> Conn:
    """A TCP connection from the client (Linux or Windows stack) to a Linux-like server."""
    rnd = sc.rnd
    v6 = ":" in server
    cport = cl.new_port() if cport is None else cport
    if cl.windows:
        c = Side(cl.ip, cport, rnd.getrandbits(32), cl.ttl, cl.ipid, 64240,
                 WINDOWS_SYN, None, win_after_syn=1026)
        sc.shared_ipid[id(c)] = cl
        sopts: list[tuple[str, object]] = [("MSS", mss), ("NOP", None), ("NOP", None),
                                           ("SAckOK", b""), ("NOP", None), ("WScale", ws)]
        s = Side(server, port, rnd.getrandbits(32), sttl, rnd.getrandbits(16), 65535, sopts,
                 None, win_after_syn=501)
    else:
        c = Side(cl.ip, cport, rnd.getrandbits(32), cl.ttl, rnd.getrandbits(16), 64240 if not v6
                 else 64800, LINUX_SYN6 if v6 else LINUX_SYN, rnd.getrandbits(32),
                 win_after_syn=502)
        s = Side(server, port, rnd.getrandbits(32), sttl, rnd.getrandbits(16), 65535,
                 [("MSS", mss), ("SAckOK", b""), ("Timestamp", None), ("NOP", None),
                  ("WScale", ws)], rnd.getrandbits(32), win_after_syn=501)
    return Conn(c, s, v6=v6)


def tcp(sc: Scene, k: Conn, who: str, t: int, flags: str, payload: bytes = b"",
        mark: str | None = None, **kw: object) -> int:
    """Add one segment; a side without TCP timestamps sends no options after the SYN."""
    if k.side[who].tsclock is None and "S" not in flags and "opts" not in kw:
        kw["opts"] = []
    owner = sc.shared_ipid.get(id(k.side[who]))
    if owner is not None:
        owner.ipid = (owner.ipid + 1) & 0xFFFF
        k.side[who].ipid = owner.ipid
    sc.add(t, k.pkt(who, t, flags, payload, **kw), who == "c", mark)  # type: ignore[arg-type]
    return t


def handshake(sc: Scene, k: Conn, t: int, rtt: int, mark: str | None = None) -> int:
    tcp(sc, k, "c", t, "S", mark=mark and mark + "-syn")
    tcp(sc, k, "s", t + rtt, "SA", mark=mark and mark + "-synack")
    t += rtt + 120 * US
    return tcp(sc, k, "c", t, "A")


def send(sc: Scene, k: Conn, who: str, t: int, data: bytes, mss: int, gap: int = 40 * US,
         mark: str | None = None) -> int:
    segs = segments(data, mss)
    for i, seg in enumerate(segs):
        tcp(sc, k, who, t, "PA" if i == len(segs) - 1 else "A", seg, mark=mark)
        t += gap
    return t - gap


def close(sc: Scene, k: Conn, t: int, rtt: int) -> int:
    tcp(sc, k, "c", t, "FA")
    tcp(sc, k, "s", t + rtt, "FA")
    t += rtt + 70 * US
    return tcp(sc, k, "c", t, "A")


def tls13_session(sc: Scene, k: Conn, t: int, rtt: int, sni: str, mss: int, response: int,
                  mark: str | None = None) -> int:
    """A browser's TLS 1.3 session (certificate encrypted): ClientHello, ServerHello + CCS
    + encrypted flight, the client's Finished and request, the server's response."""
    rnd = sc.rnd
    ch = client_hello(sni, rnd)
    t += 250 * US
    tcp(sc, k, "c", t, "PA", ch, mark=mark and mark + "-ch")
    t += rtt
    tcp(sc, k, "s", t, "A")
    t = send(sc, k, "s", t + 900 * US, server_flight(rnd, session_id_of(ch), 2980), mss,
             mark=mark and mark + "-sh")
    t += 300 * US
    tcp(sc, k, "c", t, "A")
    t += 2 * MS
    tcp(sc, k, "c", t, "PA", b"\x14\x03\x03\x00\x01\x01" + app_data(rnd, 53))
    t += 150 * US
    tcp(sc, k, "c", t, "PA", app_data(rnd, 185))
    t += rtt
    tcp(sc, k, "s", t, "A")
    sizes = [16401] * (response // 16401) + ([response % 16401] if response % 16401 else [])
    t = send(sc, k, "s", t + 2 * MS, app_data(rnd, 226, 226, *sizes), mss)
    t += 250 * US
    return tcp(sc, k, "c", t, "A")


def browse_tls13(sc: Scene, cl: Client, server: str, t: int, rtt: int, sni: str, *,
                 sttl: int, mss: int = 1400, ws: int = 9, response: int = 2400,
                 mark: str | None = None, close_after: int | None = 300 * MS) -> int:
    """A complete ordinary HTTPS visit over TLS 1.3 (closed by the client after a pause)."""
    k = conn(sc, cl, server, 443, sttl=sttl, mss=mss, ws=ws)
    t = handshake(sc, k, t, rtt, mark)
    t = tls13_session(sc, k, t, rtt, sni, mss - 12, response, mark)
    if close_after is not None:
        t = close(sc, k, t + close_after, rtt)
    return t


# ============================================================================ TLS 1.2 bytes


def record(ctype: int, body: bytes, version: int = 0x0303) -> bytes:
    return struct.pack("!BHH", ctype, version, len(body)) + body


def hs_msg(mtype: int, body: bytes) -> bytes:
    return bytes([mtype]) + _vec(body, 3)


def openssl_client_hello(sni: str | None, rnd: random.Random,
                         alpn: Sequence[bytes] = (b"h2", b"http/1.1")) -> tuple[bytes, bytes]:
    """A ClientHello as curl 7.74 with OpenSSL 1.1.1 sends it (TLS 1.3 and 1.2 offered, Ed25519
    among the signature algorithms, the padding extension up to 512 bytes). Returns the
    record and the client random."""
    ciphers = [0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0x009F, 0xCCA9, 0xCCA8, 0xCCAA, 0xC02B,
               0xC02F, 0x009E, 0xC024, 0xC028, 0x006B, 0xC023, 0xC027, 0x0067, 0xC00A, 0xC014,
               0x0039, 0xC009, 0xC013, 0x0033, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F,
               0x00FF]
    sigalgs = bytes.fromhex("0403 0503 0603 0807 0808 0809 080a 080b 0804 0805 0806 0401 "
                            "0501 0601 0303 0203 0301 0201 0302 0202 0402 0502 0602")
    exts = []
    if sni is not None:
        exts.append(_ext(0x0000, _vec(b"\x00" + _vec(sni.encode(), 2), 2)))
    exts += [
        _ext(0x000B, b"\x03\x00\x01\x02"),
        _ext(0x000A, _vec(bytes.fromhex("001d0017001e00190018"), 2)),
        _ext(0x0023, b""),
    ]
    if alpn:
        exts.append(_ext(0x0010, _vec(b"".join(_vec(p, 1) for p in alpn), 2)))
    exts += [
        _ext(0x0016, b""),
        _ext(0x0017, b""),
        _ext(0x000D, _vec(sigalgs, 2)),
        _ext(0x002B, _vec(bytes.fromhex("0304030303020301"), 1)),
        _ext(0x002D, b"\x01\x01"),
        _ext(0x0033, _vec(struct.pack("!H", 0x001D) + _vec(rnd.randbytes(32), 2), 2)),
    ]
    crandom = rnd.randbytes(32)
    head = b"\x03\x03" + crandom + _vec(rnd.randbytes(32), 1) + \
        _vec(b"".join(struct.pack("!H", c) for c in ciphers), 2) + b"\x01\x00"
    size = 4 + len(head) + 2 + sum(len(e) for e in exts)
    if 0xFF < size < 0x200:  # OpenSSL's padding extension (RFC 7685)
        exts.append(_ext(0x0015, bytes(max(0, 0x200 - size - 4))))
    return record(0x16, hs_msg(1, head + _vec(b"".join(exts), 2)), 0x0301), crandom


def ed_key(label: str) -> Ed25519PrivateKey:
    """A fixed Ed25519 key: its 32-byte seed is SHA-256 of a label."""
    return Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(b"scenarios_dns_tls/" + label.encode()).digest())


def x_key(label: str) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(
        hashlib.sha256(b"scenarios_dns_tls/x25519/" + label.encode()).digest())


def dn(*parts: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in parts])


def utc(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s).replace(tzinfo=dt.UTC)


def certificate(subject: x509.Name, issuer: x509.Name, key: Ed25519PrivateKey,
                signer: Ed25519PrivateKey, serial: int, not_before: str, not_after: str, *,
                ca: bool, path_len: int | None = None, dns_names: Sequence[str] = (),
                ips: Sequence[str] = ()) -> bytes:
    """A DER certificate signed with Ed25519 (deterministic bytes)."""
    pub = key.public_key()
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
         .public_key(pub).serial_number(serial)
         .not_valid_before(utc(not_before)).not_valid_after(utc(not_after))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=path_len if ca else None),
                        critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False))
    if signer is not key:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            signer.public_key()), critical=False)
    if ca:
        b = b.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        b = b.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                            critical=False)
    if dns_names or ips:
        names: list[x509.GeneralName] = [x509.DNSName(n) for n in dns_names]
        names += [x509.IPAddress(ipaddress.ip_address(a)) for a in ips]
        b = b.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return b.sign(signer, None).public_bytes(serialization.Encoding.DER)


def tls12_server_flight(rnd: random.Random, crandom: bytes, chain: Sequence[bytes],
                        signer: Ed25519PrivateKey, ecdh_label: str, *, alpn: bytes | None,
                        one_record: bool = False) -> bytes:
    """ServerHello (TLS 1.2, ECDHE-ECDSA-AES128-GCM-SHA256), Certificate, ServerKeyExchange
    (X25519, signed with the leaf's Ed25519 key over both randoms, RFC 8422) and
    ServerHelloDone, each in its own record (OpenSSL) or all in one (``one_record``)."""
    srandom = rnd.randbytes(32)
    exts = _ext(0xFF01, b"\x00") + _ext(0x000B, b"\x01\x00") + _ext(0x0023, b"") + \
        _ext(0x0017, b"")
    if alpn:
        exts += _ext(0x0010, _vec(_vec(alpn, 1), 2))
    sh = hs_msg(2, b"\x03\x03" + srandom + _vec(rnd.randbytes(32), 1) + b"\xc0\x2b\x00"
                + _vec(exts, 2))
    cert = hs_msg(11, _vec(b"".join(_vec(c, 3) for c in chain), 3))
    pub = x_key(ecdh_label).public_key().public_bytes(serialization.Encoding.Raw,
                                                      serialization.PublicFormat.Raw)
    params = b"\x03\x00\x1d" + _vec(pub, 1)
    sig = signer.sign(crandom + srandom + params)
    ske = hs_msg(12, params + b"\x08\x07" + _vec(sig, 2))
    done = hs_msg(14, b"")
    if one_record:
        return record(0x16, sh + cert + ske + done)
    return b"".join(record(0x16, m) for m in (sh, cert, ske, done))


def tls12_client_finish(rnd: random.Random, label: str) -> bytes:
    """ClientKeyExchange (X25519), ChangeCipherSpec, the encrypted Finished (40 bytes)."""
    pub = x_key(label).public_key().public_bytes(serialization.Encoding.Raw,
                                                 serialization.PublicFormat.Raw)
    return record(0x16, hs_msg(16, _vec(pub, 1))) + record(0x14, b"\x01") + \
        record(0x16, rnd.randbytes(40))


def tls12_server_finish(rnd: random.Random) -> bytes:
    """NewSessionTicket, ChangeCipherSpec, the encrypted Finished."""
    ticket = hs_msg(4, struct.pack("!I", 7200) + _vec(rnd.randbytes(192), 2))
    return record(0x16, ticket) + record(0x14, b"\x01") + record(0x16, rnd.randbytes(40))


def tls12_session(sc: Scene, k: Conn, t: int, rtt: int, sni: str | None, chain: Sequence[bytes],
                  signer: Ed25519PrivateKey, label: str, mss: int, *, alpn: bytes | None,
                  reject_alert: int | None = None, one_record: bool = False,
                  request: int = 90, response: Sequence[int] = (1380, 1380, 620),
                  client_alpn: Sequence[bytes] = (b"h2", b"http/1.1"),
                  mark: str = "tls") -> int:
    """A TLS 1.2 handshake whose certificate chain is visible; the client either completes
    it (and exchanges application data) or, with ``reject_alert``, sends that fatal alert in
    the clear and closes (FIN)."""
    rnd = sc.rnd
    ch, crandom = openssl_client_hello(sni, rnd, client_alpn)
    t += 200 * US
    tcp(sc, k, "c", t, "PA", ch, mark=mark + "-ch")
    t += rtt
    tcp(sc, k, "s", t, "A")
    flight = tls12_server_flight(rnd, crandom, chain, signer, label + "/server", alpn=alpn,
                                 one_record=one_record)
    t = send(sc, k, "s", t + 1_100 * US, flight, mss, mark=mark + "-cert")
    t += 180 * US
    tcp(sc, k, "c", t, "A")
    if reject_alert is not None:
        t += 600 * US
        tcp(sc, k, "c", t, "PA", record(0x15, bytes([2, reject_alert])), mark=mark + "-alert")
        t += 90 * US
        tcp(sc, k, "c", t, "FA")
        t += rtt
        tcp(sc, k, "s", t, "FA")
        t += 60 * US
        return tcp(sc, k, "c", t, "A")
    t += 1_300 * US
    tcp(sc, k, "c", t, "PA", tls12_client_finish(rnd, label + "/client"))
    t += rtt
    tcp(sc, k, "s", t, "PA", tls12_server_finish(rnd), mark=mark + "-finished")
    t += 400 * US
    tcp(sc, k, "c", t, "PA", app_data(rnd, request), mark=mark + "-appdata")
    t += rtt + 9 * MS
    t = send(sc, k, "s", t, app_data(rnd, *response), mss)
    t += 200 * US
    tcp(sc, k, "c", t, "A")
    t += 40 * MS
    tcp(sc, k, "c", t, "PA", record(0x15, rnd.randbytes(26)))  # encrypted close_notify
    t += 60 * US
    tcp(sc, k, "c", t, "FA")
    t += rtt
    tcp(sc, k, "s", t, "FA")
    t += 60 * US
    return tcp(sc, k, "c", t, "A")


# ============================================================================ QUIC bytes

QUIC_V1 = 1


def varint(v: int) -> bytes:
    if v < 0x40:
        return bytes([v])
    if v < 0x4000:
        return struct.pack("!H", 0x4000 | v)
    if v < 0x4000_0000:
        return struct.pack("!I", 0x8000_0000 | v)
    return struct.pack("!Q", 0xC000_0000_0000_0000 | v)


def quic_initial(dcid: bytes, scid: bytes, pn: int, frames: bytes,
                 keys: tuple[bytes, bytes, bytes], *, pad_to: int | None = None,
                 pn_len: int = 2, token: bytes = b"") -> bytes:
    """One protected QUIC v1 Initial packet; ``pad_to`` fills it with PADDING frames to
    that many bytes (clients pad datagrams carrying Initials to at least 1200)."""
    def head(length: int) -> bytes:
        return (bytes([0xC0 | (pn_len - 1)]) + struct.pack("!I", QUIC_V1) + _vec(dcid, 1)
                + _vec(scid, 1) + varint(len(token)) + token + struct.pack("!H", 0x4000 | length)
                + pn.to_bytes(pn_len, "big"))
    body = frames
    if pad_to is not None:
        over = len(head(0)) + 16 + len(frames)
        body = frames + bytes(max(0, pad_to - over))
    return protect(head(len(body) + 16 + pn_len), pn, pn_len, body, keys)


def quic_opaque_long(rnd: random.Random, ptype: int, dcid: bytes, scid: bytes,
                     size: int) -> bytes:
    """A long-header packet of another type (2 = Handshake) whose protected payload this
    capture cannot open: header fields in the clear, ``size`` opaque bytes after Length."""
    first = 0xC0 | (ptype << 4) | rnd.randrange(16)
    return (bytes([first]) + struct.pack("!I", QUIC_V1) + _vec(dcid, 1) + _vec(scid, 1)
            + struct.pack("!H", 0x4000 | size) + rnd.randbytes(size))


def quic_short(rnd: random.Random, dcid: bytes, size: int) -> bytes:
    """A 1-RTT short-header packet: fixed bit set, protected bits random, opaque payload."""
    return bytes([0x40 | rnd.randrange(64)]) + dcid + rnd.randbytes(size)


def crypto_frame(offset: int, data: bytes) -> bytes:
    return b"\x06" + varint(offset) + varint(len(data)) + data


def ack_frame(largest: int, delay: int = 0) -> bytes:
    return b"\x02" + varint(largest) + varint(delay) + varint(0) + varint(largest)


def quic_transport_params(scid: bytes) -> bytes:
    def tp(pid: int, value: bytes) -> bytes:
        return varint(pid) + varint(len(value)) + value
    return b"".join([
        tp(0x01, varint(30000)), tp(0x03, varint(1472)), tp(0x04, varint(15728640)),
        tp(0x05, varint(6291456)), tp(0x06, varint(6291456)), tp(0x07, varint(6291456)),
        tp(0x08, varint(100)), tp(0x09, varint(103)), tp(0x0F, scid),
    ])


def quic_client_hello(sni: str, rnd: random.Random, scid: bytes) -> bytes:
    """The TLS 1.3 ClientHello *handshake message* a browser puts in its QUIC Initial:
    TLS 1.3 only, no legacy session id, ALPN h3, quic_transport_parameters (0x39)."""
    exts = b"".join([
        _ext(0x0000, _vec(b"\x00" + _vec(sni.encode(), 2), 2)),
        _ext(0x000A, _vec(bytes.fromhex("001d00170018"), 2)),
        _ext(0x0010, _vec(_vec(b"h3", 1), 2)),
        _ext(0x000D, _vec(bytes.fromhex("0403 0804 0401 0503 0805 0501 0806 0601"), 2)),
        _ext(0x0033, _vec(struct.pack("!H", 0x001D) + _vec(rnd.randbytes(32), 2), 2)),
        _ext(0x002D, b"\x01\x01"),
        _ext(0x002B, _vec(b"\x03\x04", 1)),
        _ext(0x0039, quic_transport_params(scid)),
    ])
    body = (b"\x03\x03" + rnd.randbytes(32) + b"\x00" + _vec(bytes.fromhex("130113021303"), 2)
            + b"\x01\x00" + _vec(exts, 2))
    return hs_msg(1, body)


def quic_server_hello(rnd: random.Random) -> bytes:
    exts = _ext(0x002B, b"\x03\x04") + _ext(0x0033, struct.pack("!H", 0x001D)
                                             + _vec(rnd.randbytes(32), 2))
    return hs_msg(2, b"\x03\x03" + rnd.randbytes(32) + b"\x00" + b"\x13\x01\x00"
                  + _vec(exts, 2))


def self_test_quic() -> None:
    """RFC 9001 Appendix A.1/A.2: the keys and the first bytes of the protected client
    Initial must match the published test vectors."""
    dcid = bytes.fromhex("8394c8f03e515708")
    keys = quic_initial_keys(dcid)
    assert keys["client"][0].hex() == "1f369613dd76d5467730efcbe3b1a22d"
    assert keys["client"][1].hex() == "fa044b2f42a3fd3b46fb255c"
    assert keys["client"][2].hex() == "9f50449e04a0e810283a1e9933adedd2"
    assert keys["server"][0].hex() == "cf3a5331653c364c88f0f379b6067e37"
    frames = bytes.fromhex(
        "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
        "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
        "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
        "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
        "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
        "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
        "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
        "75300901100f088394c8f03e51570806048000ffff")
    pkt = quic_initial(dcid, b"", 2, frames, keys["client"], pad_to=1200, pn_len=4)
    assert len(pkt) == 1200
    assert pkt[:32].hex() == ("c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689f"
                              "b8ec11"), pkt[:32].hex()


# ============================================================================ helpers for text

REF_DNS01 = f"{FP} §3 DNS-01 (on-path injection with a racing genuine reply), §1 primitives"
REF_DNS02 = f"{FP} §3 DNS-02 (GFW injector packet fingerprints; Wallbleed C model)"
REF_DNS03 = f"{FP} §3 DNS-03 and §11 (forged answer contents, poison pools)"
REF_DNS05 = f"{FP} §3 DNS-05 (national/ISP redirection to block-page servers or bogons)"
REF_DNS06 = f"{FP} §3 DNS-06 (Turkmenistan naive injector)"
REF_DNS07 = f"{FP} §3 DNS-07 (failure-style tampering: NXDOMAIN)"
REF_TLS04 = f"{FP} §4 TLS-04 (TLS MITM with a state-issued root) and TLS-05"
REF_QUIC = f"{FP} §7 QUIC-01..03"
REF_IP01 = f"{FP} §8 IP-01 (IP blocking: SYNs unanswered)"


def ref_trap(n: int, what: str) -> str:
    return f"{FP} §15.{n} ({what})"


HOLD_ON = ("Duan et al., *Hold-On: Protecting Against On-Path DNS Poisoning*, SATIN 2012; "
           "Weaver et al. NDSS 2009")
TRIPLET = ("Anonymous et al., *Triplet Censors: Demystifying Great Firewall's DNS Censorship "
           "Behavior*, FOCI 2020")
WALLBLEED = ("Fan et al., *Wallbleed*, NDSS 2025 (gfw-report/ndss25-wallbleed "
             "`blackbox/blackbox.c`); net4people/bbs#466")


def finish(sc: Scene, name: str, fn: str, link: Callable[[bytes, bool], bytes], *,
           linktype: int, ng: bool, fmt: str, nano: bool = False, order: str = "<",
           ifname: str = "eth0",
           text: Callable[[dict[str, list[int]]], tuple[str, list[str]]],
           expect: list[dict[str, str]], allow: list[dict[str, str]] | None = None,
           observations: list[str] | None = None, refs: list[str], note: str = "") -> Capture:
    recs, marks = sc.records(link)
    if ng:
        data, filename = write_pcapng(recs, linktype, ifname, nano=nano, order=order), \
            "capture.pcapng"
    else:
        data, filename = pcap(recs, linktype, order=order, nano=nano), "capture.pcap"
    about, shows = text(marks)
    return Capture(name, fn, filename, data, fmt, len(recs), about, expect, allow or [],
                   observations or [], shows, refs, note)


# ============================================================================ positive: DNS

FACEBOOK_CNAME = "star-mini.c10r.facebook.com"


def dns_injection_race_gfw() -> Capture:
    """GFW-style DNS injection race for www.facebook.com via 8.8.8.8: a forged answer 4 ms
    after the query (flags 0x8180, AN=1, AR=0 although the query had EDNS, answer TTL 234,
    IP TTL 83 where the resolver's answers arrive with 114, unrelated IP ID, no DF), then the
    genuine answer 38.6 ms after the query."""
    sc = Scene(0x5CE0_0001, start=2 * 3600 * NS + 13 * NS)
    cl = Client(sc, "192.168.31.57", ttl=64, ipid=0x2B61, mac="f4:8c:50:1e:07:9a")
    res = Resolver(sc, "8.8.8.8", ttl=114, ipid=0x6C20, step=(3, 60))
    q_opt, r_opt = opt_rr(1232), opt_rr(512)
    t = lookup(sc, cl, res, 0, "www.baidu.com", "A",
               [("www.baidu.com", "CNAME", 1033, "www.a.shifen.com"),
                ("www.a.shifen.com", "A", 297, "14.215.177.39"),
                ("www.a.shifen.com", "A", 297, "14.215.177.38")], 41_208 * US,
               q_opt=q_opt, r_opt=r_opt, mark="baidu")
    t = browse_tls13(sc, cl, "14.215.177.39", t + 1_700 * US, 28_431 * US, "www.baidu.com",
                     sttl=53, mss=1440, ws=7, response=5200)
    t = lookup(sc, cl, res, t + 2_210 * MS, "www.qq.com", "A",
               [("www.qq.com", "CNAME", 300, "ins-r23tsuuf.ias.tencent-cloud.net"),
                ("ins-r23tsuuf.ias.tencent-cloud.net", "A", 60, "121.14.77.221"),
                ("ins-r23tsuuf.ias.tencent-cloud.net", "A", 60, "121.14.77.201")],
               43_950 * US, q_opt=q_opt, r_opt=r_opt, mark="qq")
    t = browse_tls13(sc, cl, "121.14.77.221", t + 2_050 * US, 31_870 * US, "www.qq.com",
                     sttl=52, mss=1412, ws=8, response=8100)

    # www.facebook.com: the forged answer races ahead of the genuine one
    t += 3_480 * MS
    port, txid = cl.new_port(), 0x9E3D
    q = query(txid, "www.facebook.com", "A", opt=q_opt)
    sc.add(t, cl.udp(res.ip, port, 53, q), True, "fb-q")
    forged = injected(q, 0x8180, [rr_a("108.160.169.178", 234)])
    sc.add(t + 4_012 * US, res.packet(cl.ip, port, forged, ttl=83, ipid=0xB3C0, df=False),
           False, "fb-forged")
    genuine = response(txid, "www.facebook.com", "A",
                       [("www.facebook.com", "CNAME", 3221, FACEBOOK_CNAME),
                        (FACEBOOK_CNAME, "A", 44, "157.240.11.35")], opt=r_opt)
    sc.add(t + 38_644 * US, res.packet(cl.ip, port, genuine), False, "fb-genuine")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux client (192.168.31.57) resolves names through Google Public DNS "
            f"8.8.8.8. Two ordinary lookups (www.baidu.com, {fr(m, 'baidu-r')}; www.qq.com, "
            f"{fr(m, 'qq-r')}) come back in 41-44 ms with IP TTL 114, IP IDs from one "
            f"increasing counter, and an EDNS OPT record echoing the one in the query; TLS 1.3 "
            f"to both sites works. Then the query for www.facebook.com ({fr(m, 'fb-q')}, RD=1, "
            f"EDNS OPT) gets two answers on the same 5-tuple with the same ID: "
            f"{fr(m, 'fb-forged')} arrives 4.0 ms later, far faster than the 41 ms the "
            f"resolver needs, with flags 0x8180, AN=1, NS=0, AR=0 (the OPT of the query not "
            f"echoed), the answer record appended as `c0 0c 00 01 00 01 000000ea 0004` "
            f"(A 108.160.169.178, Dropbox address space as in the GFW's pools, answer TTL "
            f"234), IP TTL 83 (31 below the resolver's 114), IP ID 0xB3C0 unrelated to the "
            f"resolver's counter and no DF. {cap_fr(m, 'fb-genuine')} arrives 38.6 ms after the "
            f"query from the real resolver: CNAME {FACEBOOK_CNAME}, A 157.240.11.35, OPT "
            f"record, IP TTL 114 and the next IP ID of its counter. Two different answers to "
            f"one query, the early one with a foreign TTL and structure, is an on-path DNS "
            f"injection (the injector cannot suppress the genuine reply): censorship of "
            f"www.facebook.com.")
        shows = [
            f"{qr(m, 'baidu')}, {qr(m, 'qq')}: ordinary "
            f"lookups via 8.8.8.8 (IP TTL 114, OPT in the answer), each followed by a "
            f"complete TLS 1.3 visit",
            f"{fr(m, 'fb-q')}: query www.facebook.com A, ID 0x9e3d, RD=1, EDNS OPT (UDP 1232)",
            f"{fr(m, 'fb-forged')}: forged answer after 4.012 ms: flags 0x8180, AN=1 AR=0, "
            f"A 108.160.169.178 TTL 234, IP TTL 83, IP ID 0xb3c0, DF=0",
            f"{fr(m, 'fb-genuine')}: genuine answer after 38.644 ms: CNAME {FACEBOOK_CNAME}, "
            f"A 157.240.11.35, OPT, IP TTL 114",
        ]
        return about, shows

    return finish(sc, "dns-injection-race-gfw", "dns_injection_race_gfw",
                  eth("f4:8c:50:1e:07:9a", "50:64:2b:7c:11:d0"), linktype=1, ng=True,
                  fmt="pcapng, Ethernet, µs", text=text,
                  expect=[{"mechanism": "dns-injection", "domain": "www.facebook.com"}],
                  allow=[{"mechanism": "dns-tampering"}],
                  refs=[REF_DNS01, REF_DNS02, REF_DNS03, HOLD_ON, WALLBLEED])


def tcp_dns(msg: bytes) -> bytes:
    """A DNS message as carried over TCP: two-byte length, then the message (RFC 1035 §4.2.2)."""
    return struct.pack("!H", len(msg)) + msg


def dns_over_tcp(sc: Scene, cl: Client, server: str, t: int, rtt: int, q: bytes,
                 answer: bytes, *, sttl: int, mark: str) -> int:
    """One lookup over TCP port 53: handshake, query, the answer, then the client closes.
    Returns the time of the client's last packet."""
    k = conn(sc, cl, server, 53, sttl=sttl)
    t = handshake(sc, k, t, rtt, mark=mark)
    tcp(sc, k, "c", t + 90 * US, "PA", tcp_dns(q), mark=mark + "-q")
    t += 90 * US + rtt
    tcp(sc, k, "s", t, "PA", tcp_dns(answer), mark=mark + "-r")
    t += 180 * US
    tcp(sc, k, "c", t, "A")
    return close(sc, k, t + 400 * US, rtt)


def dns_injection_tcp_race() -> Capture:
    """DNS over TCP to 9.9.9.9 (the client's resolver is configured for TCP): the query for
    twitter.com draws a forged response written into the resolver's side of the stream 3.8 ms
    later (IP TTL 99 where the resolver's segments arrive with 55, no DF, no TCP timestamps
    although the connection uses them, GFW-shaped message: AN=1 AR=0, answer TTL 234); the
    genuine response comes 57 ms after the query at the same sequence numbers, with other
    bytes."""
    sc = Scene(0x5CE0_0031, start=9 * 3600 * NS + 41 * NS)
    cmac, gmac = "d8:3a:dd:41:7e:02", "60:32:b1:9f:0c:5a"
    cl = Client(sc, "192.168.3.21", ttl=64, mac=cmac)
    rtt = 56_870 * US
    q_opt = opt_rr(1232)
    t = dns_over_tcp(sc, cl, "9.9.9.9", 0, rtt, query(0x51A0, "www.bilibili.com", "A",
                                                      opt=q_opt),
                     response(0x51A0, "www.bilibili.com", "A",
                              [("www.bilibili.com", "CNAME", 300, "a.w.bilicdn1.com"),
                               ("a.w.bilicdn1.com", "A", 120, "119.3.70.188")], opt=q_opt),
                     sttl=55, mark="bili")
    t = browse_tls13(sc, cl, "119.3.70.188", t + 2 * MS, 31_200 * US, "www.bilibili.com",
                     sttl=50, mss=1440, ws=8, response=7300)

    t += 2_940 * MS
    k = conn(sc, cl, "9.9.9.9", 53, sttl=55)
    t = handshake(sc, k, t, rtt, mark="tw")
    q = query(0x2E77, "twitter.com", "A", opt=q_opt)
    tcp(sc, k, "c", t + 90 * US, "PA", tcp_dns(q), mark="tw-q")
    t += 90 * US
    start = k.side["s"].seq
    forged = tcp_dns(injected(q, 0x8180, [rr_a("31.13.94.37", 234)]))
    tcp(sc, k, "s", t + 3_811 * US, "PA", forged, mark="tw-forged", seq=start, ttl=99,
        ipid=0x77E1, df=False, opts=[])
    tcp(sc, k, "c", t + 3_990 * US, "A", ack=start + len(forged))
    genuine = tcp_dns(response(0x2E77, "twitter.com", "A",
                               [("twitter.com", "A", 1800, "104.244.42.1"),
                                ("twitter.com", "A", 1800, "104.244.42.129")], opt=q_opt))
    tcp(sc, k, "s", t + rtt, "PA", genuine, mark="tw-genuine")
    tcp(sc, k, "c", t + rtt + 160 * US, "A")
    t = close(sc, k, t + rtt + 5 * MS, rtt)

    t = dns_over_tcp(sc, cl, "9.9.9.9", t + 1_380 * MS, rtt,
                     query(0x0C3B, "www.zhihu.com", "A", opt=q_opt),
                     response(0x0C3B, "www.zhihu.com", "A",
                              [("www.zhihu.com", "CNAME", 600, "www.zhihu.com.ipv6.dsa.dnsv1.com"),
                               ("www.zhihu.com.ipv6.dsa.dnsv1.com", "A", 60, "118.89.204.198")],
                              opt=q_opt),
                     sttl=55, mark="zh")
    browse_tls13(sc, cl, "118.89.204.198", t + 2 * MS, 29_700 * US, "www.zhihu.com", sttl=52,
                 mss=1440, ws=8, response=11800)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux client (192.168.3.21) sends its DNS queries over TCP to Quad9 "
            f"(9.9.9.9:53): each lookup is a TCP connection with timestamps, the query and "
            f"the answer each carried with their two-byte length, then a FIN exchange. The "
            f"resolver's segments arrive with IP TTL 55 about 57 ms after the query "
            f"(www.bilibili.com, {fr(m, 'bili-r')}; www.zhihu.com, {fr(m, 'zh-r')}; TLS 1.3 to "
            f"both works). For twitter.com ({fr(m, 'tw-q')}) a segment claiming to come from "
            f"9.9.9.9 arrives 3.8 ms after the query ({fr(m, 'tw-forged')}), far sooner than "
            f"the resolver can answer, with IP TTL 99, no DF, no TCP timestamp option and a "
            f"GFW-shaped DNS message (flags 0x8180, AN=1, AR=0 although the query carried "
            f"EDNS; A 31.13.94.37, a Facebook address, answer TTL 234). The genuine response "
            f"({cap_fr(m, 'tw-genuine')}, 57 ms, TTL 55, A 104.244.42.1 and .129, OPT echoed) "
            f"starts at the same sequence number with other bytes. Two different payloads at "
            f"the same place of the resolver's stream: a forged DNS response raced the genuine "
            f"one (the client took the first). DNS injection of twitter.com.")
        shows = [
            f"{qr(m, 'bili')}, {qr(m, 'zh')}: ordinary lookups over TCP, then TLS 1.3 visits",
            f"{fr(m, 'tw-q')}: query twitter.com A over TCP (ID 0x2e77, EDNS)",
            f"{fr(m, 'tw-forged')}: forged response after 3.811 ms at the resolver's next "
            f"sequence number: IP TTL 99, IP ID 0x77e1, DF=0, no TCP options, A 31.13.94.37",
            f"{fr(m, 'tw-genuine')}: genuine response after 56.87 ms at the same sequence "
            f"number: IP TTL 55, two A records of Twitter, OPT",
        ]
        return about, shows

    return finish(sc, "dns-injection-tcp-race", "dns_injection_tcp_race",
                  eth(cmac, gmac), linktype=1, ng=False, fmt="pcap (µs), Ethernet", text=text,
                  expect=[{"mechanism": "dns-injection", "domain": "twitter.com"}],
                  allow=[{"mechanism": "dns-tampering"}],
                  refs=[REF_DNS01, REF_DNS02, HOLD_ON])


YT_CNAME = "youtube-ui.l.google.com"


def dns_injection_two_injectors_ipv6() -> Capture:
    """IPv6: A and AAAA queries for www.youtube.com each get two forged answers from two
    injectors (flags 0x8400 with hop limit 121, flags 0x8180 with hop limit 47), then the
    genuine answers (hop limit 54)."""
    sc = Scene(0x5CE0_0002, start=5 * 3600 * NS + 41 * NS)
    cmac, gmac = "a4:83:e7:2d:90:1c", "e4:f3:f5:44:a1:07"
    cl = Client(sc, "240e:3b0:4c10:9a0:1d5e:7f2b:88c3:41a6", ttl=64, mac=cmac)
    res = Resolver(sc, "2001:4860:4860::8888", ttl=54)

    def pair(t: int, name: str, a: list[Answer], aaaa: list[Answer], rtt: int,
             mark: str) -> int:
        port = cl.new_port()
        for i, (qt, ans) in enumerate((("A", a), ("AAAA", aaaa))):
            txid = sc.rnd.getrandbits(16)
            sc.add(t + i * 61 * US, cl.udp(res.ip, port, 53, query(txid, name, qt)), True,
                   f"{mark}-q")
            sc.add(t + rtt + i * 388 * US, res.packet(cl.ip, port,
                                                       response(txid, name, qt, ans)),
                   False, f"{mark}-r")
        return t + rtt + 388 * US

    tb = "www.taobao.com.danuoyi.tbcache.com"
    t = pair(0, "www.taobao.com",
             [("www.taobao.com", "CNAME", 600, tb), (tb, "A", 60, "140.205.94.189")],
             [("www.taobao.com", "CNAME", 600, tb), (tb, "AAAA", 60, "240e:f7:a010:111:3::3fa")],
             39_870 * US, "taobao")
    t = browse_tls13(sc, cl, "240e:f7:a010:111:3::3fa", t + 1_400 * US, 24_330 * US,
                     "www.taobao.com", sttl=56, mss=1380, ws=9, response=7400)

    t += 4_120 * MS
    port = cl.new_port()
    forged = {"A": (rr_a("31.13.82.23", 115), rr_a("157.240.2.50", 234)),
              "AAAA": (rr_aaaa("2a03:2880:f10d:183:face:b00c:0:25de", 115),
                       rr_aaaa("2a03:2880:f12c:83:face:b00c:0:25de", 234))}
    genuine = {"A": [("www.youtube.com", "CNAME", 21473, YT_CNAME),
                     (YT_CNAME, "A", 300, "142.250.66.110")],
               "AAAA": [("www.youtube.com", "CNAME", 21473, YT_CNAME),
                        (YT_CNAME, "AAAA", 300, "2404:6800:4005:80f::200e")]}
    for i, qt in enumerate(("A", "AAAA")):
        txid = (0x3F1A, 0xB20C)[i]
        tq = t + i * 58 * US
        q = query(txid, "www.youtube.com", qt)
        sc.add(tq, cl.udp(res.ip, port, 53, q), True, "yt-q")
        sc.add(tq + 2_104 * US, res.packet(cl.ip, port, injected(q, 0x8400, [forged[qt][0]]),
                                           ttl=121), False, "yt-x")
        sc.add(tq + 2_611 * US, res.packet(cl.ip, port, injected(q, 0x8180, [forged[qt][1]]),
                                           ttl=47), False, "yt-y")
        sc.add(tq + 46_210 * US + i * 402 * US,
               res.packet(cl.ip, port, response(txid, "www.youtube.com", qt, genuine[qt])),
               False, "yt-genuine")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        q, x, y, g = m["yt-q"], m["yt-x"], m["yt-y"], m["yt-genuine"]
        about = (
            f"An IPv6-only path: the client 240e:3b0:4c10:9a0:1d5e:7f2b:88c3:41a6 queries "
            f"Google Public DNS 2001:4860:4860::8888 with glibc's parallel A and AAAA queries "
            f"(no EDNS, RD=1). The lookup of www.taobao.com ({fr(m, 'taobao-r')}) is answered "
            f"once per query in ~40 ms with hop limit 54, and TLS 1.3 to the AAAA address "
            f"works. The queries for www.youtube.com (A, frame {q[0]}; AAAA, frame {q[1]}) "
            f"then get three answers each. About 2.1 ms after each query an answer arrives "
            f"with flags 0x8400 (QR|AA, RD not copied) and hop limit 121 (frames {x[0]} and "
            f"{x[1]}: A 31.13.82.23, AAAA 2a03:2880:f10d:183:face:b00c:0:25de, answer TTL "
            f"115); 0.5 ms later a second one with flags 0x8180 and hop limit 47 (frames "
            f"{y[0]} and {y[1]}: A 157.240.2.50, AAAA 2a03:2880:f12c:83:face:b00c:0:25de, "
            f"the Facebook `face:b00c` addresses of the GFW's Injector-3 AAAA pool, answer "
            f"TTL 234). Both forged answers have AN=1 NS=0 AR=0 and the record appended "
            f"after the question. The genuine answers come 46 ms after the queries (frames "
            f"{g[0]} and {g[1]}: CNAME {YT_CNAME}, A 142.250.66.110 / AAAA "
            f"2404:6800:4005:80f::200e, hop limit 54). Two injectors with different flags and "
            f"hop limits racing the real resolver: DNS injection against www.youtube.com. "
            f"IPv6 has no IP ID, so the injectors are told apart by hop limit and DNS flags.")
        shows = [
            f"{qr(m, 'taobao')}: ordinary A+AAAA lookup (hop limit "
            f"54), then TLS 1.3 over IPv6 to www.taobao.com",
            f"frames {q[0]}, {q[1]}: A and AAAA queries for www.youtube.com (IDs 0x3f1a, "
            f"0xb20c) from one source port",
            f"frames {x[0]}, {x[1]}: injector X, +2.1 ms, flags 0x8400, hop limit 121",
            f"frames {y[0]}, {y[1]}: injector Y, +2.6 ms, flags 0x8180, hop limit 47, "
            f"`face:b00c` AAAA",
            f"frames {g[0]}, {g[1]}: genuine answers, +46 ms, hop limit 54",
        ]
        return about, shows

    return finish(sc, "dns-injection-two-injectors-ipv6", "dns_injection_two_injectors_ipv6",
                  cooked(True, cmac, gmac), linktype=276, ng=False, nano=True,
                  fmt="pcap (nanosecond), Linux cooked v2 (SLL2), IPv6", text=text,
                  expect=[{"mechanism": "dns-injection", "domain": "www.youtube.com"}],
                  allow=[{"mechanism": "dns-tampering"}],
                  refs=[REF_DNS01, REF_DNS02, REF_DNS03, TRIPLET, WALLBLEED])


GOOGLE_TXT = [
    "v=spf1 include:_spf.google.com ~all",
    "docusign=05958488-4752-4ef2-95eb-aa7ba8a3bd0e",
    "facebook-domain-verification=22rm551cu4k0ab0bxsw536tlds4h95",
    "globalsign-smime-dv=CDYX+XFHUw2wml6/Gb8+59BsH31KzUr6c1l2BPvqKX8=",
    "google-site-verification=wD8N7i1JTNTkezJ49swvWW48f8_9xveREV4oB-0Hf5o",
]


def dns_injection_wallbleed_txt() -> Capture:
    """dig TXT google.com: the injector answers the TXT query with an A record (Wallbleed
    model: any QTYPE but AAAA gets `c0 0c 00 01 00 01 <ttl> 00 04 <ip>`), IP TTL mirroring
    the probe's, then the genuine TXT answer."""
    sc = Scene(0x5CE0_0003, start=7 * 3600 * NS + 2 * NS)
    cmac, gmac = "08:00:27:6e:3b:19", "74:da:88:21:4c:f0"
    cl = Client(sc, "192.168.0.104", ttl=64, ipid=0x0E11, mac=cmac)
    res = Resolver(sc, "1.1.1.1", ttl=55, step=None)
    bili = "a.w.bilicdn1.com"
    t = lookup(sc, cl, res, 0, "www.bilibili.com", "A",
               [("www.bilibili.com", "CNAME", 600, bili), (bili, "A", 300, "120.92.78.97"),
                (bili, "A", 300, "120.92.174.135")], 35_902 * US, mark="bili")
    t = browse_tls13(sc, cl, "120.92.78.97", t + 1_600 * US, 33_870 * US, "www.bilibili.com",
                     sttl=49, mss=1400, ws=8, response=9000)

    # dig +short TXT google.com (dig 9.16: flags RD|AD, EDNS 4096 with a client cookie)
    t += 6_370 * MS
    port, txid = cl.new_port(), 0x51C7
    q = query(txid, "google.com", "TXT", ad=1,
              opt=opt_rr(4096, options=cookie_opt(bytes.fromhex("8f2b63a9d107e54c"))))
    sc.add(t, cl.udp(res.ip, port, 53, q), True, "txt-q")
    forged = injected(q, 0x8180, [rr_a("199.59.148.97", 174)])
    sc.add(t + 3_306 * US, res.packet(cl.ip, port, forged, ttl=50, ipid=0x3A8E, df=False),
           False, "txt-forged")
    genuine = response(txid, "google.com", "TXT",
                       [("google.com", "TXT", 3600, [s]) for s in GOOGLE_TXT], opt=opt_rr(1232))
    sc.add(t + 36_781 * US, res.packet(cl.ip, port, genuine), False, "txt-genuine")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux client (192.168.0.104) uses Cloudflare's 1.1.1.1. An ordinary lookup of "
            f"www.bilibili.com ({fr(m, 'bili-r')}) is answered in 36 ms with IP TTL 55, DF "
            f"set and IP ID 0, and the site loads over TLS 1.3. The user then runs `dig TXT "
            f"google.com` ({fr(m, 'txt-q')}: QTYPE TXT, flags RD|AD, EDNS OPT with a client "
            f"cookie). {cap_fr(m, 'txt-forged')}, 3.3 ms later, is a forged answer built like the "
            f"GFW's Injector 3 (Wallbleed model): flags 0x8180, QD=1 AN=1 NS=0 AR=0 (no OPT "
            f"although the query had one), the question copied, and an *A* record appended, "
            f"`c0 0c 00 01 00 01 000000ae 00 04 c7 3b 94 61` (199.59.148.97, Twitter address "
            f"space) although the question asked for TXT. Its IP TTL is 50, only 5 below "
            f"the resolver's 55 (this injector mirrors the probe's TTL, so a TTL rule alone "
            f"is weak here); IP ID 0x3a8e and no DF, where the resolver sends DF and ID 0. "
            f"{cap_fr(m, 'txt-genuine')}, 36.8 ms after the query, is the genuine answer: five "
            f"TXT records for google.com and an OPT record. An A record answering a TXT "
            f"question is something no resolver sends; with the genuine answer following, "
            f"this is DNS injection against google.com.")
        shows = [
            f"{qr(m, 'bili')}: ordinary lookup (IP TTL 55, DF, ID 0), then "
            f"TLS 1.3 to www.bilibili.com",
            f"{fr(m, 'txt-q')}: query google.com TXT, ID 0x51c7, flags 0x0120, EDNS + cookie",
            f"{fr(m, 'txt-forged')}: forged: A record (type 1) answering TXT, flags 0x8180, "
            f"AR=0, IP TTL 50, IP ID 0x3a8e, no DF, +3.306 ms",
            f"{fr(m, 'txt-genuine')}: genuine: 5 TXT records, OPT, IP TTL 55, +36.781 ms",
        ]
        return about, shows

    return finish(sc, "dns-injection-wallbleed-txt", "dns_injection_wallbleed_txt",
                  cooked(False, cmac, gmac), linktype=113, ng=False,
                  fmt="pcap (µs), Linux cooked v1 (SLL)", text=text,
                  expect=[{"mechanism": "dns-injection", "domain": "google.com"}],
                  allow=[{"mechanism": "dns-tampering"}],
                  refs=[REF_DNS02, REF_DNS01, REF_DNS03, WALLBLEED, TRIPLET])


TOR_ADDRS = ["95.216.163.36", "116.202.120.165", "116.202.120.166", "138.201.14.197",
             "204.8.99.146"]
ORG_SOA = ("org", "a0.org.afilias-nst.info", "noc.afilias-nst.info", 2013580386, 86400)


def dns_injection_nxdomain_race() -> Capture:
    """A forged NXDOMAIN (no SOA, IP TTL 41 where the resolver's is 56) 2.2 ms after the
    query for www.torproject.org, then the resolver's genuine NOERROR answer at 35 ms. An
    earlier genuine NXDOMAIN from the same resolver carries the zone's SOA."""
    sc = Scene(0x5CE0_0004, start=9 * 3600 * NS + 27 * NS)
    cmac, gmac = "c8:d9:d2:0a:55:3e", "00:1f:ca:73:b2:e8"
    cl = Client(sc, "192.168.0.23", ttl=128, ipid=0x71A0, windows=True, mac=cmac)
    res = Resolver(sc, "9.9.9.9", ttl=56, ipid=0x0B31, step=(1, 30))
    bing = ("a-0001.a-afdentry.net.trafficmanager.net", "dual-a-0001.a-msedge.net")
    t = lookup(sc, cl, res, 0, "www.bing.com", "A",
               [("www.bing.com", "CNAME", 1780, bing[0]), (bing[0], "CNAME", 45, bing[1]),
                (bing[1], "A", 12, "13.107.21.200"), (bing[1], "A", 12, "204.79.197.200")],
               31_402 * US, mark="bing")
    t = browse_tls13(sc, cl, "13.107.21.200", t + 2_300 * US, 22_710 * US, "www.bing.com",
                     sttl=117, mss=1440, ws=8, response=14200)
    zone, mname, rname, serial, minimum = ORG_SOA
    t = lookup(sc, cl, res, t + 5_640 * MS, "www.torprojcet.org", "A", [], 61_337 * US,
               rcode=3, authority=[soa(zone, 900, mname, rname, serial, minimum)], mark="typo")

    t += 4_815 * MS
    port, txid = cl.new_port(), 0xC5E2
    q = query(txid, "www.torproject.org", "A")
    sc.add(t, cl.udp(res.ip, port, 53, q), True, "tor-q")
    sc.add(t + 2_213 * US, res.packet(cl.ip, port, injected(q, 0x8180, [], rcode=3), ttl=41,
                                      ipid=0x91D4, df=False), False, "tor-forged")
    genuine = response(txid, "www.torproject.org", "A",
                       [("www.torproject.org", "A", 150, a) for a in TOR_ADDRS])
    sc.add(t + 35_418 * US, res.packet(cl.ip, port, genuine), False, "tor-genuine")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Windows client (192.168.0.23, IP TTL 128, no EDNS) uses Quad9 (9.9.9.9), whose "
            f"answers arrive with IP TTL 56 and IP IDs from one increasing counter. www.bing.com "
            f"resolves ({fr(m, 'bing-r')}) and loads over TLS 1.3. A typo, www.torprojcet.org "
            f"({fr(m, 'typo-q')}), gets a genuine NXDOMAIN from the resolver after 61 ms "
            f"({fr(m, 'typo-r')}) carrying the SOA of org. in the authority section, as real "
            f"negative answers do. The query for www.torproject.org ({fr(m, 'tor-q')}) is "
            f"answered twice with the same ID on the same 5-tuple: {fr(m, 'tor-forged')} "
            f"after 2.2 ms (a RTT no resolver 30 ms away can achieve) is NXDOMAIN (flags "
            f"0x8183) with no authority section at all, AR=0, IP TTL 41 (15 below the "
            f"resolver), IP ID 0x91d4 outside the resolver's sequence, no DF; "
            f"{fr(m, 'tor-genuine')} after 35.4 ms is the resolver's NOERROR answer with five "
            f"A records for www.torproject.org, IP TTL 56, the next IP ID. A forged negative "
            f"answer racing the real positive one is DNS injection against "
            f"www.torproject.org (the NXDOMAIN alone would look like DNS-07 tampering; the "
            f"race is what proves it).")
        shows = [
            f"{qr(m, 'bing')}: ordinary lookup, then TLS 1.3 to "
            f"www.bing.com",
            f"{qr(m, 'typo')}: the resolver's genuine NXDOMAIN for a typo, "
            f"with the SOA of org. (negative TTL 900) in the authority section",
            f"{fr(m, 'tor-q')}: query www.torproject.org A, ID 0xc5e2",
            f"{fr(m, 'tor-forged')}: forged NXDOMAIN, +2.213 ms, no SOA, IP TTL 41, IP ID "
            f"0x91d4, DF=0",
            f"{fr(m, 'tor-genuine')}: genuine NOERROR, +35.418 ms, 5 A records, IP TTL 56",
        ]
        return about, shows

    return finish(sc, "dns-injection-nxdomain-race", "dns_injection_nxdomain_race",
                  eth(cmac, gmac), linktype=1, ng=False, order=">",
                  fmt="pcap (big-endian, µs), Ethernet", text=text,
                  expect=[{"mechanism": "dns-injection", "domain": "www.torproject.org"}],
                  allow=[{"mechanism": "dns-tampering"}],
                  refs=[REF_DNS01, REF_DNS07, HOLD_ON])


def dns_tampering_a_for_aaaa() -> Capture:
    """glibc's parallel A and AAAA queries for www.nytimes.com via 8.8.8.8 each get a single
    response: the AAAA query is answered with an A record (type 1) only. No genuine answer
    follows (no race visible)."""
    sc = Scene(0x5CE0_0005, start=11 * 3600 * NS + 5 * NS)
    cl = Client(sc, "192.168.1.88", ttl=64, ipid=0x5512)
    res = Resolver(sc, "8.8.8.8", ttl=117, ipid=0x2F00, step=(2, 50))
    zh = "www.zhihu.com.ipv6.dsa.dnsv1.com"
    port = cl.new_port()
    t = lookup(sc, cl, res, 0, "www.zhihu.com", "A",
               [("www.zhihu.com", "CNAME", 600, zh), (zh, "A", 600, "118.89.204.198")],
               52_310 * US, port=port, mark="zhihu-a")
    lookup(sc, cl, res, 70 * US, "www.zhihu.com", "AAAA", [], 53_080 * US, port=port,
           authority=[soa("dnsv1.com", 600, "ns-tel1.qq.com", "webmaster.qq.com", 1612772161,
                          300)], mark="zhihu-aaaa")
    t = browse_tls13(sc, cl, "118.89.204.198", t + 1_900 * US, 36_115 * US, "www.zhihu.com",
                     sttl=51, mss=1424, ws=9, response=11800)

    t += 7_260 * MS
    port = cl.new_port()
    qa = query(0x6D02, "www.nytimes.com", "A")
    qaaaa = query(0x6D03, "www.nytimes.com", "AAAA")
    sc.add(t, cl.udp(res.ip, port, 53, qa), True, "nyt-qa")
    sc.add(t + 66 * US, cl.udp(res.ip, port, 53, qaaaa), True, "nyt-qaaaa")
    sc.add(t + 2_987 * US, res.packet(cl.ip, port, injected(qa, 0x8180, [rr_a("162.125.32.5",
                                                                             187)]),
                                      ttl=96, ipid=0x0000, df=False), False, "nyt-ra")
    sc.add(t + 3_051 * US, res.packet(cl.ip, port, injected(qaaaa, 0x8180,
                                                            [rr_a("162.125.32.5", 187)]),
                                      ttl=96, ipid=0x0000, df=False), False, "nyt-raaaa")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux client (192.168.1.88) resolves through 8.8.8.8 with glibc, which sends "
            f"the A and AAAA queries together from one port. For www.zhihu.com "
            f"({frs(m, 'zhihu-a-q', 'zhihu-aaaa-q')}) the resolver answers after "
            f"52-53 ms with IP TTL 117: an A record via a CNAME, and for AAAA a NOERROR with "
            f"no answer and the SOA of dnsv1.com (NODATA, the normal way to say 'no IPv6 "
            f"address'); the site loads over TLS 1.3. For www.nytimes.com the A query "
            f"({fr(m, 'nyt-qa')}) and the AAAA query ({fr(m, 'nyt-qaaaa')}) each get exactly "
            f"one response, 3 ms later: {fr(m, 'nyt-ra')} answers the A query with A "
            f"162.125.32.5, and {fr(m, 'nyt-raaaa')} answers the *AAAA* question with the "
            f"same A record (type 1, RDLENGTH 4) and nothing else: flags 0x8180, AN=1, NS=0, "
            f"AR=0, IP TTL 96, IP ID 0 without DF. No resolver answers an AAAA question with "
            f"an A record; it is the mark of an injector that appends a fixed A record "
            f"whatever was asked. No second response arrives (the genuine answer is never "
            f"seen, as with an in-path device that drops the query), so there is no race to "
            f"show: this is DNS tampering for www.nytimes.com (162.125.32.5 is a Dropbox "
            f"address, not a New York Times one).")
        shows = [
            f"{span(m, 'zhihu-a-q', 'zhihu-aaaa-r')}: ordinary A + AAAA lookup "
            f"(AAAA: NODATA with SOA), then TLS 1.3 to www.zhihu.com",
            f"{frs(m, 'nyt-qa', 'nyt-qaaaa')}: A (ID 0x6d02) and AAAA (ID 0x6d03) "
            f"queries for www.nytimes.com",
            f"{fr(m, 'nyt-ra')}: the A query answered with A 162.125.32.5 (IP TTL 96)",
            f"{fr(m, 'nyt-raaaa')}: the AAAA query answered with the same A record (type 1) "
            f"only; no other answer follows",
        ]
        return about, shows

    return finish(sc, "dns-tampering-a-for-aaaa", "dns_tampering_a_for_aaaa", raw,
                  linktype=101, ng=False, fmt="pcap (µs), raw IP (LINKTYPE_RAW 101)", text=text,
                  expect=[{"mechanism": "dns-tampering", "domain": "www.nytimes.com"}],
                  refs=[REF_DNS02, REF_DNS03, ref_trap(3, "DNS answers that differ"),
                        TRIPLET])


def dns_tampering_iran_blockpage_ip() -> Capture:
    """Iran: the ISP resolver answers www.bbc.com with 10.10.34.34 (the national block-page
    address); the client's TCP SYN to 10.10.34.34:443 is refused with a RST."""
    sc = Scene(0x5CE0_0006, start=6 * 3600 * NS + 50 * NS)
    cmac, gmac = "b4:2e:99:c1:0d:7a", "38:6b:1c:f2:40:5d"
    cl = Client(sc, "192.168.1.100", ttl=128, ipid=0x3C02, windows=True, mac=cmac)
    res = Resolver(sc, "217.218.155.155", ttl=61, ipid=0x8810, step=(1, 20))
    t = lookup(sc, cl, res, 0, "www.digikala.com", "A",
               [("www.digikala.com", "A", 300, "185.188.104.10")], 14_212 * US, mark="dk")
    t = browse_tls13(sc, cl, "185.188.104.10", t + 1_900 * US, 21_384 * US,
                     "www.digikala.com", sttl=58, mss=1400, ws=8, response=16800)
    t = lookup(sc, cl, res, t + 3_922 * MS, "www.bbc.com", "A",
               [("www.bbc.com", "A", 600, "10.10.34.34")], 13_871 * US, mark="bbc")
    k = conn(sc, cl, "10.10.34.34", 443, sttl=61)
    t += 2_600 * US
    tcp(sc, k, "c", t, "S", mark="syn")
    t += 11_305 * US
    tcp(sc, k, "s", t, "RA", seq=0, ipid=0, opts=[], win=0, mark="rst")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Windows client in Iran (192.168.1.100) uses its ISP's resolver "
            f"217.218.155.155 (answers with IP TTL 61, IP IDs from one counter). "
            f"www.digikala.com resolves to a public address ({fr(m, 'dk-r')}) and loads over "
            f"TLS 1.3. The query for www.bbc.com ({fr(m, 'bbc-q')}) gets a single, "
            f"well-formed answer from the same resolver 13.9 ms later ({fr(m, 'bbc-r')}): "
            f"A 10.10.34.34, answer TTL 600, the resolver's usual IP TTL and next IP ID. "
            f"There is no race: the resolver itself lies. 10.10.34.34 is a private "
            f"(RFC 1918) address for a public name, and it is the address of Iran's national "
            f"block page (listed in OONI's blocking-fingerprints as ooni.ir). The browser's "
            f"SYN to 10.10.34.34:443 ({fr(m, 'syn')}) is answered by RST+ACK 11 ms later "
            f"({fr(m, 'rst')}): the block-page server does not serve HTTPS. This is DNS "
            f"tampering (redirection to a block-page address) for www.bbc.com.")
        shows = [
            f"{qr(m, 'dk')}: ordinary lookup, then TLS 1.3 to "
            f"www.digikala.com",
            f"{fr(m, 'bbc-q')}: query www.bbc.com A",
            f"{fr(m, 'bbc-r')}: single answer A 10.10.34.34 (IP TTL 61, the resolver's own)",
            f"frames {f1(m, 'syn')}, {f1(m, 'rst')}: SYN to 10.10.34.34:443, refused with RST+ACK",
        ]
        return about, shows

    return finish(sc, "dns-tampering-iran-blockpage-ip", "dns_tampering_iran_blockpage_ip",
                  eth(cmac, gmac), linktype=1, ng=True, fmt="pcapng, Ethernet, µs", text=text,
                  expect=[{"mechanism": "dns-tampering", "domain": "www.bbc.com"}],
                  allow=[{"mechanism": "blockpage"}],
                  refs=[REF_DNS05, f"{FP} §13 (ooni/blocking-fingerprints, ooni.ir_* rows)",
                        f"{FP} §12 (`dns_bogon_error`)"])


def dns_tampering_turkmen_localhost() -> Capture:
    """Turkmenistan: twitter.com A gets an injected 127.0.0.1 (answer TTL 300, flags 0x8180)
    built by copying the query and appending the record; for dig's EDNS query the copy
    includes the query's OPT record, giving the malformed response of net4people/bbs#80."""
    sc = Scene(0x5CE0_0007, start=4 * 3600 * NS + 33 * NS)
    cl = Client(sc, "10.64.23.118", ttl=64, ipid=0x1D44)
    res = Resolver(sc, "8.8.8.8", ttl=109, ipid=0x4410, step=(2, 70))
    t = lookup(sc, cl, res, 0, "www.google.com", "A",
               [("www.google.com", "A", 219, "142.250.185.100")], 88_406 * US, mark="google")
    t = browse_tls13(sc, cl, "142.250.185.100", t + 1_500 * US, 91_250 * US, "www.google.com",
                     sttl=109, mss=1412, ws=8, response=19000)

    t += 3_204 * MS
    port, txid = cl.new_port(), 0x8A55
    q = query(txid, "twitter.com", "A")
    sc.add(t, cl.udp(res.ip, port, 53, q), True, "tw-q")
    sc.add(t + 5_802 * US, res.packet(cl.ip, port, injected(q, 0x8180, [rr_a("127.0.0.1", 300)]),
                                      ttl=58, ipid=0x6F12, df=False), False, "tw-forged")

    t += 9_470 * MS
    port, txid = cl.new_port(), 0x2C39
    q = query(txid, "twitter.com", "A", ad=1,
              opt=opt_rr(4096, options=cookie_opt(bytes.fromhex("4fa2d0694e945d14"))))
    sc.add(t, cl.udp(res.ip, port, 53, q), True, "dig-q")
    sc.add(t + 5_617 * US, res.packet(cl.ip, port, injected(q, 0x8180, [rr_a("127.0.0.1", 300)],
                                                            copy_all=True),
                                      ttl=58, ipid=0x7E03, df=False), False, "dig-forged")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux client in Turkmenistan (10.64.23.118) uses Google Public DNS 8.8.8.8, "
            f"whose answers arrive after ~88 ms with IP TTL 109 ({fr(m, 'google-r')}); "
            f"www.google.com then loads over TLS 1.3. The stub resolver's query for "
            f"twitter.com ({fr(m, 'tw-q')}, no EDNS) is answered after 5.8 ms "
            f"({fr(m, 'tw-forged')}) by the injector described in net4people/bbs#80: the query "
            f"copied, flags overwritten with 0x8180, AN=1, and `c0 0c 00 01 00 01 00 00 01 2c "
            f"00 04 7f 00 00 01` appended: A 127.0.0.1, answer TTL 300, with IP TTL 58 and an "
            f"IP ID unrelated to the resolver's. Later `dig twitter.com` ({fr(m, 'dig-q')}, "
            f"flags 0x0120, EDNS OPT with a client cookie) is answered the same way "
            f"({fr(m, 'dig-forged')}), but because the injector copied the whole query "
            f"(pre-2022-11 behaviour), the query's own OPT record sits where the answer "
            f"should be and the A 127.0.0.1 record is 16 trailing bytes after the counted "
            f"records: the malformed response dig warns about. Neither query ever gets a "
            f"genuine answer. Loopback for a public name, built by a naive injector: DNS "
            f"tampering for twitter.com.")
        shows = [
            f"{qr(m, 'google')}: ordinary lookup via 8.8.8.8 (IP TTL "
            f"109), then TLS 1.3 to www.google.com",
            f"{fr(m, 'tw-q')}: query twitter.com A, ID 0x8a55, flags 0x0100, no EDNS",
            f"{fr(m, 'tw-forged')}: injected A 127.0.0.1, TTL 300, flags 0x8180, IP TTL 58",
            f"{fr(m, 'dig-q')}: dig's query twitter.com A, ID 0x2c39, flags 0x0120, OPT + "
            f"cookie",
            f"{fr(m, 'dig-forged')}: injected, malformed: the query's OPT copied into the "
            f"answer section (AN=1, AR=0), the A 127.0.0.1 record left as 16 trailing bytes",
        ]
        return about, shows

    return finish(sc, "dns-tampering-turkmen-localhost", "dns_tampering_turkmen_localhost",
                  raw, linktype=228, ng=False, nano=True,
                  fmt="pcap (nanosecond), raw IPv4 (LINKTYPE_IPV4 228)", text=text,
                  expect=[{"mechanism": "dns-tampering", "domain": "twitter.com"}],
                  refs=[REF_DNS06, REF_DNS05, "net4people/bbs#80 (Bidirectional DNS injection "
                        "in Turkmenistan, 2021-08-20, and the 2022-11-17 follow-up)"])


def dns_tampering_gfw_lie_ip() -> Capture:
    """A domestic resolver (223.5.5.5) returns a poisoned cache entry for www.dropbox.com:
    the classic GFW lie address 8.7.198.45, in a single, otherwise normal response."""
    sc = Scene(0x5CE0_0008, start=8 * 3600 * NS + 19 * NS)
    cmac, gmac = "6c:4b:90:3a:e1:05", "14:b3:1f:26:7c:a8"
    cl = Client(sc, "192.168.43.12", ttl=64, ipid=0x6A00, mac=cmac)
    res = Resolver(sc, "223.5.5.5", ttl=57, step=None)
    n163 = "www.163.com.163jiasu.com"
    t = lookup(sc, cl, res, 0, "www.163.com", "A",
               [("www.163.com", "CNAME", 300, n163), (n163, "A", 60, "59.111.160.195")],
               21_876 * US, mark="n163")
    t = browse_tls13(sc, cl, "59.111.160.195", t + 1_700 * US, 26_407 * US, "www.163.com",
                     sttl=53, mss=1440, ws=7, response=21000)
    t = lookup(sc, cl, res, t + 4_380 * MS, "www.dropbox.com", "A",
               [("www.dropbox.com", "A", 142, "8.7.198.45")], 19_532 * US, mark="dbx")
    t = lookup(sc, cl, res, t + 2_930 * MS, "www.sina.com.cn", "A",
               [("www.sina.com.cn", "CNAME", 60, "spool.grid.sinaedge.com"),
                ("spool.grid.sinaedge.com", "A", 60, "123.126.45.205")], 18_204 * US,
               mark="sina")
    browse_tls13(sc, cl, "123.126.45.205", t + 1_500 * US, 29_911 * US, "www.sina.com.cn",
                 sttl=52, mss=1440, ws=9, response=9800)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux client in China (192.168.43.12) uses AliDNS 223.5.5.5, whose answers "
            f"arrive with IP TTL 57, DF set and IP ID 0. www.163.com ({fr(m, 'n163-r')}) and "
            f"www.sina.com.cn ({fr(m, 'sina-r')}) resolve to their real addresses and load "
            f"over TLS 1.3. The query for www.dropbox.com ({fr(m, 'dbx-q')}) gets one answer, "
            f"19.5 ms later, from the resolver itself ({fr(m, 'dbx-r')}): A 8.7.198.45, answer "
            f"TTL 142, with exactly the resolver's IP TTL, DF and IP ID, so nothing at the "
            f"packet level betrays it. 8.7.198.45 is one of the classic GFW DNS lie "
            f"addresses (shadowsocks/ChinaDNS iplist.txt; OONI blocking-fingerprints CN rows) "
            f"and is not a Dropbox address: the domestic resolver cached an injected answer "
            f"when its own upstream query crossed the GFW, and now serves it. No genuine "
            f"answer is visible, so there is no race: this is DNS tampering for "
            f"www.dropbox.com, recognisable only by the known poison address.")
        shows = [
            f"{qr(m, 'n163')}: ordinary lookup, TLS 1.3 to www.163.com",
            f"{fr(m, 'dbx-q')}: query www.dropbox.com A",
            f"{fr(m, 'dbx-r')}: the resolver's single answer A 8.7.198.45 (classic lie IP)",
            f"{qr(m, 'sina')}: ordinary lookup, TLS 1.3 to "
            f"www.sina.com.cn",
        ]
        return about, shows

    return finish(sc, "dns-tampering-gfw-lie-ip", "dns_tampering_gfw_lie_ip",
                  cooked(True, cmac, gmac), linktype=276, ng=True, ifname="any",
                  fmt="pcapng, Linux cooked v2 (SLL2), µs", text=text,
                  expect=[{"mechanism": "dns-tampering", "domain": "www.dropbox.com"}],
                  refs=[REF_DNS03, f"{FP} §11 lists 1 and 2 (classic lie IPs)",
                        ref_trap(3, "forged answers are company-owned, routable addresses"),
                        "Hoang et al., *GFWatch*, USENIX Security 2021 (polluted resolvers)"])


# ============================================================================ positive: TLS

GOOGLE_LEAF = dn((NameOID.COUNTRY_NAME, "US"), (NameOID.STATE_OR_PROVINCE_NAME, "California"),
                 (NameOID.LOCALITY_NAME, "Mountain View"), (NameOID.ORGANIZATION_NAME,
                                                            "Google LLC"),
                 (NameOID.COMMON_NAME, "www.google.com"))


def kz_chain() -> tuple[list[bytes], Ed25519PrivateKey]:
    """leaf www.google.com (subject copied from Google's) <- intermediate <- root
    'Qaznet Trust Network'. The root is not sent, as servers usually do not send it."""
    root_k, int_k, leaf_k = ed_key("kz/root"), ed_key("kz/intermediate"), ed_key("kz/leaf")
    root = dn((NameOID.COUNTRY_NAME, "KZ"), (NameOID.COMMON_NAME, "Qaznet Trust Network"))
    inter = dn((NameOID.COUNTRY_NAME, "KZ"), (NameOID.ORGANIZATION_NAME, "Qaznet Trust Network"),
               (NameOID.COMMON_NAME, "Qaznet Trust Network Issuing CA 1"))
    ca = certificate(inter, root, int_k, root_k, 0x3A1F0C77, "2019-07-10 00:00:00",
                     "2029-07-10 00:00:00", ca=True, path_len=0)
    leaf = certificate(GOOGLE_LEAF, inter, leaf_k, int_k, 0x5B02E94C1D7A3E60,
                       "2021-01-12 08:15:49", "2021-04-06 08:15:48", ca=False,
                       dns_names=["www.google.com"])
    return [leaf, ca], leaf_k


def tls_mitm_kazakhstan() -> Capture:
    """Kazakhstan: curl to www.google.com; the interception box answers with TLS 1.2 and a
    chain leaf(www.google.com) <- 'Qaznet Trust Network Issuing CA 1' <- root 'Qaznet Trust
    Network'. The client has the root installed, so the handshake completes."""
    sc = Scene(0x5CE0_0009, start=3 * 3600 * NS + 7 * NS)
    cmac, gmac = "54:e1:ad:3f:0b:62", "d8:07:b6:91:24:4e"
    cl = Client(sc, "192.168.0.105", ttl=64, ipid=0x0A77, mac=cmac)
    res = Resolver(sc, "195.210.46.195", ttl=60, ipid=0xE3A0, step=(1, 25))
    t = lookup(sc, cl, res, 0, "kaspi.kz", "A", [("kaspi.kz", "A", 600, "194.187.247.152")],
               9_874 * US, mark="kaspi")
    t = browse_tls13(sc, cl, "194.187.247.152", t + 1_400 * US, 21_190 * US, "kaspi.kz",
                     sttl=59, mss=1460, ws=7, response=17000)
    t = lookup(sc, cl, res, t + 6_102 * MS, "www.google.com", "A",
               [("www.google.com", "A", 300, "172.217.23.36")], 11_230 * US, mark="google")
    chain, leaf_k = kz_chain()
    k = conn(sc, cl, "172.217.23.36", 443, sttl=56, mss=1460, ws=8)
    t = handshake(sc, k, t + 1_100 * US, 68_725 * US, "g")
    tls12_session(sc, k, t, 68_690 * US, "www.google.com", chain, leaf_k, "kz", 1448,
                  alpn=b"h2", response=(1448, 1448, 1448, 517), mark="g")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux client in Kazakhstan (192.168.0.105) on Kazakhtelecom. kaspi.kz resolves "
            f"and loads over TLS 1.3 ({fr(m, 'kaspi-r')} onwards). Then `curl "
            f"https://www.google.com/` resolves www.google.com to 172.217.23.36 "
            f"({fr(m, 'google-r')}) and connects ({fr(m, 'g-syn')}). Its ClientHello "
            f"({fr(m, 'g-ch')}, SNI www.google.com, TLS 1.3 and 1.2 offered) is answered with "
            f"TLS 1.2 (ECDHE-ECDSA-AES128-GCM-SHA256), so the certificate chain travels in "
            f"the clear ({fr(m, 'g-cert')}): the leaf's subject is copied from Google's "
            f"(C=US, ST=California, L=Mountain View, O=Google LLC, CN=www.google.com, SAN "
            f"www.google.com, valid 2021-01-12 to 2021-04-06), but it is issued by "
            f"'CN=Qaznet Trust Network Issuing CA 1, O=Qaznet Trust Network, C=KZ', whose "
            f"issuer is the root 'CN=Qaznet Trust Network, C=KZ': the state interception root "
            f"of 2019, not a WebPKI root (Ed25519 keys stand in for the real ones; they are "
            f"deterministic here). The client has the root installed, as users were told to, "
            f"so it completes the handshake ({fr(m, 'g-finished')}) and exchanges application "
            f"data. The certificate presented for www.google.com is not Google's: TLS MITM.")
        shows = [
            f"{qr(m, 'kaspi')}: ordinary lookup, TLS 1.3 to kaspi.kz",
            f"{qr(m, 'google')}: www.google.com -> 172.217.23.36",
            f"{fr(m, 'g-syn')}: TCP to 172.217.23.36:443; {fr(m, 'g-ch')}: ClientHello "
            f"(OpenSSL 1.1.1 style) with SNI www.google.com",
            f"{fr(m, 'g-cert')}: ServerHello (TLS 1.2), Certificate (leaf + 'Qaznet Trust "
            f"Network Issuing CA 1'), ServerKeyExchange (X25519, Ed25519 signature), "
            f"ServerHelloDone, one record each",
            f"{fr(m, 'g-finished')}: the server's NewSessionTicket, CCS, Finished; "
            f"{fr(m, 'g-appdata')}: the first application data",
        ]
        return about, shows

    return finish(sc, "tls-mitm-kazakhstan", "tls_mitm_kazakhstan", eth(cmac, gmac),
                  linktype=1, ng=False, fmt="pcap (µs), Ethernet", text=text,
                  expect=[{"mechanism": "tls-mitm", "domain": "www.google.com"}],
                  refs=[REF_TLS04, "Raman et al., *Investigating Large Scale HTTPS "
                        "Interception in Kazakhstan*, IMC 2020; censoredplanet.org/kazakhstan",
                        f"{FP} §12 (`ssl_unknown_authority`)"])


def tls_mitm_untrusted_selfsigned_public() -> Capture:
    """IPv6: curl to www.wikipedia.org at Wikimedia's public address gets TLS 1.2 and a
    self-signed certificate for www.wikipedia.org issued by 'NetShield Secure Gateway'; the
    client rejects it with a fatal unknown_ca alert."""
    sc = Scene(0x5CE0_000A, start=10 * 3600 * NS + 44 * NS)
    cl = Client(sc, "2a02:8108:1b40:2f1c:5a1:c9ff:fe03:77e2", ttl=64)
    res = Resolver(sc, "2606:4700:4700::1111", ttl=57)
    moz = "www.mozilla.org.cdn.cloudflare.net"

    def pair(t: int, name: str, a: list[Answer], aaaa: list[Answer], rtt: int,
             mark: str) -> int:
        port = cl.new_port()
        first = sc.rnd.getrandbits(16)
        for i, (qt, ans) in enumerate((("A", a), ("AAAA", aaaa))):
            sc.add(t + i * 55 * US, cl.udp(res.ip, port, 53, query(first + i, name, qt)),
                   True, f"{mark}-q")
            sc.add(t + rtt + i * 301 * US,
                   res.packet(cl.ip, port, response(first + i, name, qt, ans)), False,
                   f"{mark}-r")
        return t + rtt + 301 * US

    t = pair(0, "www.mozilla.org",
             [("www.mozilla.org", "CNAME", 60, moz), (moz, "A", 300, "104.16.143.228")],
             [("www.mozilla.org", "CNAME", 60, moz), (moz, "AAAA", 300, "2606:4700::6810:8fe4")],
             12_874 * US, "moz")
    t = browse_tls13(sc, cl, "2606:4700::6810:8fe4", t + 1_300 * US, 19_441 * US,
                     "www.mozilla.org", sttl=58, mss=1380, ws=10, response=12600)
    dyna = "dyna.wikimedia.org"
    t = pair(t + 5_280 * MS, "www.wikipedia.org",
             [("www.wikipedia.org", "CNAME", 86391, dyna), (dyna, "A", 600, "185.15.59.224")],
             [("www.wikipedia.org", "CNAME", 86391, dyna),
              (dyna, "AAAA", 600, "2a02:ec80:300:ed1a::1")], 13_102 * US, "wiki")
    k = conn(sc, cl, "2a02:ec80:300:ed1a::1", 443, sttl=52, mss=1440, ws=9)
    t = handshake(sc, k, t + 1_200 * US, 31_560 * US, "w")
    key = ed_key("selfsigned/wikipedia")
    name = dn((NameOID.COUNTRY_NAME, "ZZ"), (NameOID.ORGANIZATION_NAME,
                                             "NetShield Secure Gateway"),
              (NameOID.COMMON_NAME, "www.wikipedia.org"))
    cert = certificate(name, name, key, key, 0x6E2A41D9, "2021-01-29 00:00:00",
                       "2022-01-29 00:00:00", ca=False,
                       dns_names=["www.wikipedia.org", "wikipedia.org"])
    tls12_session(sc, k, t, 31_502 * US, "www.wikipedia.org", [cert], key, "wikipedia", 1428,
                  alpn=b"h2", reject_alert=48, one_record=True, mark="w")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"An IPv6 client (2a02:8108:1b40:2f1c:5a1:c9ff:fe03:77e2) resolves through "
            f"Cloudflare's 2606:4700:4700::1111 and visits www.mozilla.org over TLS 1.3 "
            f"({fr(m, 'moz-r')} onwards). `curl https://www.wikipedia.org/` resolves the name "
            f"({fr(m, 'wiki-r')}: CNAME dyna.wikimedia.org, AAAA 2a02:ec80:300:ed1a::1, "
            f"Wikimedia's real public address) and connects to it ({fr(m, 'w-syn')}). The "
            f"ClientHello ({fr(m, 'w-ch')}, SNI www.wikipedia.org) is answered with TLS 1.2 "
            f"({fr(m, 'w-cert')}, all handshake messages in one record) and a single "
            f"certificate: subject and issuer both 'CN=www.wikipedia.org, O=NetShield Secure "
            f"Gateway, C=ZZ', self-signed, SAN www.wikipedia.org and wikipedia.org. It chains "
            f"to no trusted root and is not Wikimedia's certificate, although it came from "
            f"Wikimedia's address for Wikimedia's name. curl refuses it: a fatal "
            f"unknown_ca alert in the clear (`15 03 03 00 02 02 30`, {fr(m, 'w-alert')}) and a "
            f"FIN. A device on the path presenting its own certificate for a public site: "
            f"TLS MITM against www.wikipedia.org.")
        shows = [
            f"{qr(m, 'moz')}: ordinary A+AAAA lookup and TLS 1.3 over IPv6",
            f"{qr(m, 'wiki')}: www.wikipedia.org -> 2a02:ec80:300:ed1a::1",
            f"{fr(m, 'w-syn')}: TCP to [2a02:ec80:300:ed1a::1]:443; {fr(m, 'w-ch')}: "
            f"ClientHello with SNI www.wikipedia.org",
            f"{fr(m, 'w-cert')}: ServerHello (TLS 1.2) + self-signed Certificate + "
            f"ServerKeyExchange + ServerHelloDone in one record",
            f"{fr(m, 'w-alert')}: the client's fatal alert 48 (unknown_ca), then FIN",
        ]
        return about, shows

    return finish(sc, "tls-mitm-untrusted-selfsigned-public",
                  "tls_mitm_untrusted_selfsigned_public", raw, linktype=101, ng=True,
                  ifname="wlan0", fmt="pcapng, raw IP (LINKTYPE_RAW 101), IPv6, µs", text=text,
                  expect=[{"mechanism": "tls-mitm", "domain": "www.wikipedia.org"}],
                  refs=[REF_TLS04, ref_trap(5, "certificate anomalies that are not state "
                                               "MITM"),
                        f"{FP} §12 (`ssl_unknown_authority`)"])


# ============================================================================ positive: QUIC / IP


def quic_client_datagrams(sc: Scene, sni: str, count: int, *, pad_to: int = 1250,
                          scid: bytes = b"") -> tuple[list[bytes], bytes, bytes]:
    """A client's first Initial and its retransmissions (same DCID and CRYPTO data, new
    packet numbers), each a full datagram payload. Returns (datagrams, dcid, ClientHello)."""
    dcid = sc.rnd.randbytes(8)
    ch = quic_client_hello(sni, sc.rnd, scid)
    keys = quic_initial_keys(dcid)["client"]
    dgrams = [quic_initial(dcid, scid, pn, crypto_frame(0, ch), keys, pad_to=pad_to, pn_len=1)
              for pn in range(1, count + 1)]
    return dgrams, dcid, ch


def benign_tls_selfsigned_expired_site() -> Capture:
    """A small public site still serves its own self-signed certificate, which expired in
    2019, two years before the capture; the browser refuses it (certificate_expired). An
    interception box would have minted a certificate valid at the time."""
    sc = Scene(0x5CE0_0053, start=15 * 3600 * NS + 22 * NS)
    cl = Client(sc, "192.168.178.41", ttl=64, ipid=0x1C07)
    res = Resolver(sc, "192.168.178.1", ttl=64, ipid=0x7A13, step=(1, 3))
    t = lookup(sc, cl, res, 0, "www.wikipedia.org", "A",
               [("www.wikipedia.org", "CNAME", 86400, "dyna.wikimedia.org"),
                ("dyna.wikimedia.org", "A", 600, "185.15.59.224")], 14_106 * US, mark="wiki")
    t = browse_tls13(sc, cl, "185.15.59.224", t + 900 * US, 27_344 * US, "www.wikipedia.org",
                     sttl=55, mss=1460, ws=9, response=21000)
    site = "forum.amateurfunk-ortsverband.de"
    t = lookup(sc, cl, res, t + 4_120 * MS, site, "A", [(site, "A", 3600, "85.13.147.52")],
               21_380 * US, mark="forum")
    k = conn(sc, cl, "85.13.147.52", 443, sttl=56, mss=1460, ws=7)
    t = handshake(sc, k, t + 1_100 * US, 23_910 * US, "f")
    key = ed_key("selfsigned/amateurfunk-forum")
    name = dn((NameOID.COUNTRY_NAME, "DE"), (NameOID.STATE_OR_PROVINCE_NAME, "Bayern"),
              (NameOID.ORGANIZATION_NAME, "Ortsverband C12"), (NameOID.COMMON_NAME, site))
    cert = certificate(name, name, key, key, 0x1F33A0C5, "2016-03-14 00:00:00",
                       "2019-03-14 00:00:00", ca=False, dns_names=[site])
    tls12_session(sc, k, t, 23_880 * US, site, [cert], key, "forum", 1448, alpn=None,
                  reject_alert=45, mark="f")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A home client (192.168.178.41) visits www.wikipedia.org normally "
            f"({fr(m, 'wiki-r')} onwards), then the forum of a local amateur radio club, "
            f"{site} ({fr(m, 'forum-r')}: A 85.13.147.52, a German hosting address). The "
            f"ClientHello ({fr(m, 'f-ch')}) is answered with TLS 1.2 ({fr(m, 'f-cert')}) and one "
            f"self-signed certificate: subject and issuer 'CN={site}, O=Ortsverband C12, "
            f"ST=Bayern, C=DE', SAN {site}, valid 2016-03-14 to 2019-03-14, so expired for "
            f"almost two years at the capture (2021-02-08). The browser refuses it with a "
            f"fatal certificate_expired alert ({fr(m, 'f-alert')}) and closes. The "
            f"certificate does not chain to a trusted root, but it is the site's own, left "
            f"in place: an interception box mints a substitute valid at the time of the "
            f"connection. Not TLS MITM.")
        shows = [
            f"{qr(m, 'wiki')}: ordinary lookup and TLS 1.3 visit",
            f"{qr(m, 'forum')}: {site} -> 85.13.147.52",
            f"{fr(m, 'f-syn')}: TCP to 85.13.147.52:443; {fr(m, 'f-ch')}: ClientHello, SNI "
            f"{site}",
            f"{fr(m, 'f-cert')}: ServerHello (TLS 1.2) + the site's self-signed certificate, "
            f"expired 2019-03-14",
            f"{fr(m, 'f-alert')}: the client's fatal alert 45 (certificate_expired), then FIN",
        ]
        return about, shows

    return finish(sc, "benign-tls-selfsigned-expired-site", "benign_tls_selfsigned_expired_site",
                  eth("3c:a6:f6:51:0e:92", "2c:91:ab:60:73:1d"), linktype=1, ng=False,
                  fmt="pcap, Ethernet, µs", text=text, expect=[],
                  refs=[REF_TLS04, ref_trap(5, "certificate anomalies that are not state "
                                               "interception")])


def quic_blackhole_tcp_works() -> Capture:
    """QUIC v1 Initial for www.instagram.com sent 4 times over 1.5 s, never answered; Chrome
    then falls back to TCP to the same address and the TLS 1.3 handshake completes."""
    sc = Scene(0x5CE0_000B, start=1 * 3600 * NS + 9 * NS)
    cmac, gmac = "98:fa:9b:44:c2:10", "b0:be:76:8a:03:f1"
    cl = Client(sc, "192.168.1.34", ttl=64, ipid=0x30C1, mac=cmac)
    res = Resolver(sc, "192.168.1.1", ttl=64, step=None)
    dyna = "dyna.wikimedia.org"
    t = lookup(sc, cl, res, 0, "www.wikipedia.org", "A",
               [("www.wikipedia.org", "CNAME", 21542, dyna), (dyna, "A", 426, "91.198.174.192")],
               18_640 * US, mark="wiki")
    t = browse_tls13(sc, cl, "91.198.174.192", t + 1_400 * US, 41_022 * US, "www.wikipedia.org",
                     sttl=56, mss=1440, ws=9, response=9400)
    ig = "z-p42-instagram.c10r.facebook.com"
    server = "157.240.20.174"
    t = lookup(sc, cl, res, t + 3_118 * MS, "www.instagram.com", "A",
               [("www.instagram.com", "CNAME", 3599, ig), (ig, "A", 59, server)], 23_307 * US,
               mark="ig")
    dgrams, dcid, _ = quic_client_datagrams(sc, "www.instagram.com", 4)
    qport = cl.new_port()
    t += 1_450 * US
    qid = sc.rnd.getrandbits(16)
    for i, (off, d) in enumerate(zip((0, 310 * MS, 760 * MS, 1_530 * MS), dgrams, strict=True)):
        sc.add(t + off, udp4(cl.ip, qport, server, 443, d, ttl=64, ipid=(qid + i) & 0xFFFF,
                             df=True), True, "initial")
    t += 1_530 * MS + 41 * MS
    k = conn(sc, cl, server, 443, sttl=57, mss=1400, ws=8)
    t = handshake(sc, k, t, 36_812 * US, "tcp")
    t = tls13_session(sc, k, t, 36_790 * US, "www.instagram.com", 1388, 30500, mark="tcp")
    close(sc, k, t + 2_300 * MS, 36_705 * US)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        ini = m["initial"]
        about = (
            f"Chrome on Linux (192.168.1.34) visits www.wikipedia.org normally over TLS 1.3, "
            f"then resolves www.instagram.com to 157.240.20.174 ({fr(m, 'ig-r')}). It tries "
            f"HTTP/3 first: a QUIC v1 Initial from UDP port {qport} to 157.240.20.174:443 "
            f"(frame {ini[0]}, 1250-byte "
            f"datagram, DCID {dcid.hex()}, empty SCID), whose CRYPTO frame carries a TLS 1.3 "
            f"ClientHello with SNI www.instagram.com and ALPN h3; it is a real RFC 9001 "
            f"Initial that decrypts with the keys derived from that DCID. No datagram ever "
            f"comes back. Chrome retransmits the Initial at +310 ms, +760 ms and +1530 ms "
            f"(frames {ini[1]}, {ini[2]}, {ini[3]}: same DCID and ClientHello, packet numbers "
            f"2-4), then falls back to TCP to the same address ({fr(m, 'tcp-syn')}): the "
            f"server answers the SYN in 37 ms ({fr(m, 'tcp-synack')}), the TLS ClientHello "
            f"with the same SNI ({fr(m, 'tcp-ch')}) gets its ServerHello ({fr(m, 'tcp-sh')}) "
            f"and the page loads. The same server and the same name work over TCP, so the "
            f"silence on UDP/443 is not a dead server: QUIC (or the QUIC SNI) to this address "
            f"is being dropped, a blackhole for www.instagram.com.")
        shows = [
            f"{qr(m, 'wiki')}: ordinary lookup and TLS 1.3 visit",
            f"{qr(m, 'ig')}: www.instagram.com -> 157.240.20.174",
            f"{fr(m, 'initial')}: QUIC v1 Initials (client, 1250 bytes, SNI "
            f"www.instagram.com, DCID {dcid.hex()}), at +0, +310, +760, +1530 ms; nothing "
            f"returns",
            f"{span(m, 'tcp-syn', 'tcp-sh')}: TCP fallback to 157.240.20.174:443; "
            f"SYN/ACK, ClientHello (SNI www.instagram.com), ServerHello: the handshake "
            f"completes",
        ]
        return about, shows

    return finish(sc, "quic-blackhole-tcp-works", "quic_blackhole_tcp_works", eth(cmac, gmac),
                  linktype=1, ng=True, nano=True, fmt="pcapng, Ethernet, ns (if_tsresol 9)",
                  text=text, expect=[{"mechanism": "blackhole", "domain": "www.instagram.com"}],
                  refs=[REF_QUIC, "RFC 9000 §14.1, §17.2.2; RFC 9001 §5 and Appendix A",
                        "Zohaib et al., *Exposing and Circumventing SNI-based QUIC Censorship "
                        "of the Great Firewall of China*, USENIX Security 2025",
                        ref_trap(6, "timeouts that are not blocking")])


def blackhole_ip_dns_corroborated() -> Capture:
    """DNS injection race for www.clubhouseapi.com (forged A first, genuine second); the
    client (ChinaDNS drops the forged answer) connects to the genuine address and its SYNs
    are retransmitted and never answered."""
    sc = Scene(0x5CE0_000C, start=11 * 3600 * NS + 31 * 60 * NS)
    cmac, gmac = "3c:22:fb:5a:10:23", "c8:3a:35:0e:41:01"
    cl = Client(sc, "192.168.1.23", ttl=64, ipid=0x8C10, mac=cmac)
    res = Resolver(sc, "208.67.222.222", ttl=52, ipid=0x1E07, step=(1, 9))
    bili = "a.w.bilicdn1.com"
    t = lookup(sc, cl, res, 0, "www.bilibili.com", "A",
               [("www.bilibili.com", "CNAME", 600, bili), (bili, "A", 300, "120.92.174.135")],
               46_117 * US, mark="bili")
    t = browse_tls13(sc, cl, "120.92.174.135", t + 1_800 * US, 30_420 * US, "www.bilibili.com",
                     sttl=49, mss=1400, ws=8, response=7700)
    t += 2_740 * MS
    port, txid = cl.new_port(), 0x44B8
    q = query(txid, "www.clubhouseapi.com", "A")
    sc.add(t, cl.udp(res.ip, port, 53, q), True, "ch-q")
    sc.add(t + 2_614 * US, res.packet(cl.ip, port, injected(q, 0x8180, [rr_a("31.13.84.4", 190)]),
                                      ttl=37, ipid=0x5C9A, df=False), False, "ch-forged")
    genuine = response(txid, "www.clubhouseapi.com", "A",
                       [("www.clubhouseapi.com", "A", 300, "104.18.30.130"),
                        ("www.clubhouseapi.com", "A", 300, "104.18.31.130")])
    sc.add(t + 47_062 * US, res.packet(cl.ip, port, genuine), False, "ch-genuine")
    t += 47_062 * US + 2_100 * US
    k = conn(sc, cl, "104.18.30.130", 443, sttl=52, mss=1400, ws=10)
    for off in (0, 1_000, 3_000, 7_000):
        tcp(sc, k, "c", t + off * MS, "S", seq=k.side["c"].seq, mark="syn")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        syn = m["syn"]
        about = (
            f"A Linux client in China (192.168.1.23) runs ChinaDNS, which forwards to OpenDNS "
            f"208.67.222.222 and discards answers that arrive too early or carry known lie "
            f"addresses. www.bilibili.com resolves normally in 46 ms (IP TTL 52; "
            f"{fr(m, 'bili-r')}) and loads over TLS 1.3. The query for www.clubhouseapi.com "
            f"({fr(m, 'ch-q')}) gets a forged answer after 2.6 ms ({fr(m, 'ch-forged')}: A "
            f"31.13.84.4, a Facebook address, flags 0x8180, IP TTL 37 against the resolver's "
            f"52, IP ID 0x5c9a outside the resolver's sequence, no DF) and the genuine one "
            f"after 47 ms ({fr(m, 'ch-genuine')}: A 104.18.30.130 and 104.18.31.130, IP TTL "
            f"52): a DNS injection race. The client uses the genuine address: its SYN to "
            f"104.18.30.130:443 (frame {syn[0]}) is retransmitted after 1, 3 and 7 s (frames "
            f"{syn[1]}, {syn[2]}, {syn[3]}) and never answered, no SYN/ACK, RST or ICMP, "
            f"while other servers answer this client normally. The name is DNS-poisoned and "
            f"the real address is silently dropped as well; the injection is the finding "
            f"this capture proves, the unanswered SYNs are a blackhole of the real address "
            f"(with no other flow to 104.18.30.130 in the capture to compare against).")
        shows = [
            f"{qr(m, 'bili')}: ordinary lookup and TLS 1.3 visit",
            f"{fr(m, 'ch-q')}: query www.clubhouseapi.com A, ID 0x44b8",
            f"{fr(m, 'ch-forged')}: forged answer A 31.13.84.4, +2.614 ms, IP TTL 37",
            f"{fr(m, 'ch-genuine')}: genuine answer A 104.18.30.130, 104.18.31.130, +47.062 ms, "
            f"IP TTL 52",
            f"{fr(m, 'syn')}: SYN to 104.18.30.130:443 at +0, +1, +3, +7 s, never answered",
        ]
        return about, shows

    return finish(sc, "blackhole-ip-dns-corroborated", "blackhole_ip_dns_corroborated",
                  eth(cmac, gmac), linktype=1, ng=False, fmt="pcap (µs), Ethernet", text=text,
                  expect=[{"mechanism": "dns-injection", "domain": "www.clubhouseapi.com"}],
                  allow=[{"mechanism": "blackhole"}, {"mechanism": "dns-tampering"}],
                  refs=[REF_DNS01, REF_IP01, f"{FP} §10 (Clubhouse case file)",
                        "shadowsocks/ChinaDNS (filters forged answers by lie-IP list and "
                        "timing)"])


# ============================================================================ benign: DNS

NO_FINDING_DNS = ("No finding: there is one answer (or identical answers) per question, "
                  "from the resolver's own IP TTL and IP ID sequence, with contents that are "
                  "normal for the name.")


def benign_dns_retransmit_duplicate() -> Capture:
    """The stub retransmits its query (same ID, same port) after 1 s; the resolver, slow to
    recurse, answers both copies at once: two byte-identical responses, same IP TTL."""
    sc = Scene(0x5CE0_000D, start=13 * 3600 * NS + 3 * NS)
    cmac, gmac = "00:e0:4c:68:2a:91", "9c:97:26:0b:7f:e2"
    cl = Client(sc, "10.0.0.23", ttl=64, ipid=0x4E20, mac=cmac)
    res = Resolver(sc, "80.58.61.250", ttl=59, ipid=0x9A15, step=(1, 7))
    ep = "e15127.dscb.akamaiedge.net"
    t = lookup(sc, cl, res, 0, "elpais.com", "A",
               [("elpais.com", "CNAME", 300, "elpais.com.edgekey.net"),
                ("elpais.com.edgekey.net", "CNAME", 21600, ep), (ep, "A", 20, "23.53.40.209")],
               24_661 * US, mark="ep")
    t = browse_tls13(sc, cl, "23.53.40.209", t + 1_600 * US, 27_304 * US, "elpais.com",
                     sttl=57, mss=1460, ws=7, response=24000)
    t += 4_470 * MS
    port, txid = cl.new_port(), 0x0E7B
    q = query(txid, "cdn.jsdelivr.net", "A")
    sc.add(t, cl.udp(res.ip, port, 53, q), True, "q")
    sc.add(t + 1_000 * MS, cl.udp(res.ip, port, 53, q), True, "q")
    cf = "cdn.jsdelivr.net.cdn.cloudflare.net"
    ans = response(txid, "cdn.jsdelivr.net", "A",
                   [("cdn.jsdelivr.net", "CNAME", 3600, cf), (cf, "A", 300, "104.16.85.20"),
                    (cf, "A", 300, "104.16.86.20"), (cf, "A", 300, "104.16.87.20")])
    sc.add(t + 1_183_420 * US, res.packet(cl.ip, port, ans), False, "r")
    sc.add(t + 1_183_507 * US, res.packet(cl.ip, port, ans), False, "r")
    t += 1_185_100 * US
    browse_tls13(sc, cl, "104.16.85.20", t, 23_980 * US, "cdn.jsdelivr.net", sttl=58,
                 mss=1400, ws=10, response=31000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        q2, r2 = m["q"], m["r"]
        about = (
            f"A Linux client (10.0.0.23, resolv.conf `options timeout:1`) uses its ISP's "
            f"resolver 80.58.61.250 (IP TTL 59). elpais.com resolves and loads normally "
            f"({fr(m, 'ep-r')} onwards). The query for cdn.jsdelivr.net (frame {q2[0]}) gets "
            f"no answer within a second, so the stub sends it again, byte for byte, from the "
            f"same port with the same ID (frame {q2[1]}). The resolver, which was still "
            f"recursing, answers both copies as soon as it has the answer, 1.18 s after the "
            f"first: frames {r2[0]} and {r2[1]}, 87 µs apart, are byte-identical DNS messages "
            f"(CNAME cdn.jsdelivr.net.cdn.cloudflare.net, three A records, same answer TTLs) "
            f"with the same IP TTL 59 and consecutive IP IDs; the client then connects to "
            f"104.16.85.20 and TLS 1.3 works. Two responses to one ID, but with identical "
            f"RRsets from the resolver's own TTL and ID sequence, after a retransmitted "
            f"query: a retransmission duplicate, not an injection (catalogue §15.4).")
        shows = [
            f"{qr(m, 'ep')}: ordinary lookup and TLS 1.3 visit",
            f"frames {q2[0]}, {q2[1]}: query cdn.jsdelivr.net A (ID 0x0e7b), then its "
            f"retransmission 1 s later (same bytes, same port)",
            f"frames {r2[0]}, {r2[1]}: two identical responses 87 µs apart (IP TTL 59, IP IDs "
            f"consecutive)",
            "then TLS 1.3 to 104.16.85.20 (SNI cdn.jsdelivr.net) completes",
        ]
        return about, shows

    return finish(sc, "benign-dns-retransmit-duplicate", "benign_dns_retransmit_duplicate",
                  cooked(False, cmac, gmac), linktype=113, ng=False,
                  fmt="pcap (µs), Linux cooked v1 (SLL)", text=text, expect=[],
                  refs=[ref_trap(4, "duplicate DNS responses that are benign"), REF_DNS01])


def benign_dns_tcp_retransmitted() -> Capture:
    """DNS over TCP after a truncated UDP answer: the resolver's response segment is lost
    beyond the capture point's view of the ACK and sent again, byte for byte (same sequence
    numbers, same content); the resolver then closes with RST after the client's FIN, with
    its own TTL. Nothing is forged."""
    sc = Scene(0x5CE0_0032, start=17 * 3600 * NS + 6 * NS)
    cmac, gmac = "3c:7c:3f:0e:51:b4", "f4:92:bf:6d:20:c1"
    cl = Client(sc, "10.20.1.33", ttl=64, mac=cmac)
    res = Resolver(sc, "1.1.1.1", ttl=57, ipid=0x1E01, step=(1, 4))
    rtt = 12_410 * US
    t = lookup(sc, cl, res, 0, "www.wikipedia.org", "A",
               [("www.wikipedia.org", "CNAME", 3600, "dyna.wikimedia.org"),
                ("dyna.wikimedia.org", "A", 600, "185.15.59.224")], rtt, mark="wp")
    t = browse_tls13(sc, cl, "185.15.59.224", t + 1_300 * US, 21_020 * US,
                     "www.wikipedia.org", sttl=55, mss=1460, ws=9, response=16000)
    # a TXT lookup whose answer does not fit in UDP: TC=1, then the same query over TCP
    t += 2_210 * MS
    port, txid = cl.new_port(), 0x6B12
    q = query(txid, "google.com", "TXT", opt=opt_rr(1232))
    sc.add(t, cl.udp(res.ip, port, 53, q), True, "txt-q")
    trunc = bytearray(response(txid, "google.com", "TXT", [], opt=opt_rr(1232)))
    trunc[2] |= 0x02  # TC
    sc.add(t + rtt, res.packet(cl.ip, port, bytes(trunc)), False, "txt-tc")
    t += rtt + 300 * US
    k = conn(sc, cl, "1.1.1.1", 53, sttl=57)
    t = handshake(sc, k, t, rtt, mark="tcp")
    tcp(sc, k, "c", t + 80 * US, "PA", tcp_dns(q), mark="tcp-q")
    t += 80 * US + rtt
    txt = [("google.com", "TXT", 3600, f"v=spf1 include:_spf{i}.example.net ~all " + "x" * 90)
           for i in range(14)]
    answer = tcp_dns(response(txid, "google.com", "TXT", txt, opt=opt_rr(1232)))
    start = k.side["s"].seq
    tcp(sc, k, "s", t, "A", answer[:1448], mark="tcp-r")
    tcp(sc, k, "s", t + 30 * US, "PA", answer[1448:], mark="tcp-r")
    # the client's ACK is lost on the way out: the resolver sends the first segment again
    tcp(sc, k, "s", t + 3 * rtt, "A", answer[:1448], seq=start, mark="tcp-retx")
    tcp(sc, k, "c", t + 3 * rtt + 150 * US, "A")
    t += 3 * rtt + 900 * US
    tcp(sc, k, "c", t, "FA")
    tcp(sc, k, "s", t + rtt, "RA", mark="tcp-rst")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        retx = m["tcp-retx"][0]
        about = (
            f"A Linux client (10.20.1.33) uses 1.1.1.1 (IP TTL 57, 12 ms away). "
            f"www.wikipedia.org resolves and loads normally ({fr(m, 'wp-r')} onwards). The TXT "
            f"query for google.com ({fr(m, 'txt-q')}) is answered over UDP with TC=1 "
            f"({fr(m, 'txt-tc')}): the answer does not fit, so the client asks again over TCP "
            f"({fr(m, 'tcp-q')}). The resolver's answer takes two segments "
            f"({frs(m, 'tcp-r')}); the client's ACK is lost, so the resolver sends the first "
            f"segment again 25 ms later (frame {retx}): the same sequence numbers and the "
            f"same bytes, with the resolver's TTL 57. After the client's FIN the resolver "
            f"closes with RST/ACK ({fr(m, 'tcp-rst')}), as some resolvers do, also with TTL "
            f"57. A retransmission repeats the bytes; nothing conflicts and nothing arrives "
            f"from another hop count: no injection (catalogue §15, retransmissions).")
        shows = [
            f"{qr(m, 'wp')}: ordinary lookup and TLS 1.3 visit",
            f"{fr(m, 'txt-q')}, {fr(m, 'txt-tc')}: TXT query over UDP, truncated answer",
            f"{fr(m, 'tcp-q')}: the same query over TCP; {frs(m, 'tcp-r')}: the answer",
            f"frame {retx}: the first answer segment again, identical",
            f"{fr(m, 'tcp-rst')}: the resolver's RST/ACK after the client's FIN (TTL 57)",
        ]
        return about, shows

    return finish(sc, "benign-dns-tcp-retransmitted", "benign_dns_tcp_retransmitted",
                  eth(cmac, gmac), linktype=1, ng=False, fmt="pcap (µs), Ethernet", text=text,
                  expect=[], refs=[ref_trap(4, "duplicate DNS responses that are benign"),
                                   REF_DNS01])


def benign_dns_round_robin() -> Capture:
    """One query, two responses (the query was duplicated on a dual-homed path and the
    resolver answered each copy): the same RRset in a rotated order, same IP TTL."""
    sc = Scene(0x5CE0_000E, start=15 * 3600 * NS + 22 * NS)
    cmac, gmac = "f0:2f:74:1c:88:d3", "7c:9a:54:e0:31:6b"
    cl = Client(sc, "192.168.1.70", ttl=64, ipid=0x1A2B, mac=cmac)
    res = Resolver(sc, "68.94.156.1", ttl=58, ipid=0x3307, step=(1, 3))
    t = lookup(sc, cl, res, 0, "news.ycombinator.com", "A",
               [("news.ycombinator.com", "A", 300, "209.216.230.240")], 19_311 * US, mark="hn")
    t = browse_tls13(sc, cl, "209.216.230.240", t + 1_400 * US, 61_844 * US,
                     "news.ycombinator.com", sttl=50, mss=1460, ws=9, response=8200)
    t += 3_650 * MS
    port, txid = cl.new_port(), 0xA7C1
    sc.add(t, cl.udp(res.ip, port, 53, query(txid, "www.reddit.com", "A")), True, "q")
    fastly = "reddit.map.fastly.net"
    addrs = ["151.101.1.140", "151.101.65.140", "151.101.129.140", "151.101.193.140"]
    for i, delay in enumerate((19_260, 20_487)):
        order = addrs[i:] + addrs[:i]
        ans = response(txid, "www.reddit.com", "A",
                       [("www.reddit.com", "CNAME", 9487, fastly)]
                       + [(fastly, "A", 30, a) for a in order])
        sc.add(t + delay * US, res.packet(cl.ip, port, ans), False, "r")
    browse_tls13(sc, cl, "151.101.1.140", t + 22_100 * US, 18_530 * US, "www.reddit.com",
                 sttl=57, mss=1460, ws=9, response=41000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        r = m["r"]
        about = (
            f"A Linux client (192.168.1.70) uses its ISP's resolver 68.94.156.1 (IP TTL 58). "
            f"news.ycombinator.com resolves and loads normally ({fr(m, 'hn-r')} onwards). "
            f"The single query for www.reddit.com ({fr(m, 'q')}) is duplicated on the way "
            f"(the home gateway is dual-homed and sent it out of both uplinks), and the "
            f"resolver answers each copy: frames {r[0]} and {r[1]}, 1.2 ms apart, both with "
            f"IP TTL 58 and consecutive IP IDs, both carrying CNAME reddit.map.fastly.net "
            f"and the same four A records (151.101.1.140, .65.140, .129.140, .193.140) with "
            f"the same TTLs, the second in round-robin rotated order. The client connects "
            f"to 151.101.1.140 and TLS 1.3 works. Same RRset, same TTLs, same path: the "
            f"duplicate is benign (catalogue §15.4: compare RDATA as sets, not counts or "
            f"order).")
        shows = [
            f"{qr(m, 'hn')}: ordinary lookup and TLS 1.3 visit",
            f"{fr(m, 'q')}: query www.reddit.com A (ID 0xa7c1)",
            f"frames {r[0]}, {r[1]}: two responses, same RRset in rotated order, IP TTL 58 "
            f"both",
            "then TLS 1.3 to 151.101.1.140 (SNI www.reddit.com) completes",
        ]
        return about, shows

    return finish(sc, "benign-dns-round-robin", "benign_dns_round_robin", eth(cmac, gmac),
                  linktype=1, ng=True, fmt="pcapng, Ethernet, µs", text=text, expect=[],
                  refs=[ref_trap(4, "duplicate DNS responses that are benign"),
                        ref_trap(3, "round-robin"), REF_DNS01])


def _relay_scene(seed: int, step: tuple[int, int] | None = (1, 4)
                 ) -> tuple[Scene, Client, Resolver, int]:
    """A Linux laptop behind a home router (192.168.1.1) that forwards every query to two
    upstream resolvers and relays each answer it gets, from its own stack (IP TTL 64, one IP
    ID counter, DF clear; ``step`` None: DF set and IP ID 0, as Linux sends from an
    unconnected UDP socket), EDNS OPT kept; an ordinary lookup and visit first."""
    sc = Scene(seed, start=20 * 3600 * NS + 41 * NS)
    cl = Client(sc, "192.168.1.23", ttl=64, ipid=0x51C4, mac="a4:83:e7:2d:90:11")
    router = Resolver(sc, "192.168.1.1", ttl=64, ipid=0x2E10, step=step)
    q_opt, r_opt = opt_rr(1232), opt_rr(1232)
    t = lookup(sc, cl, router, 0, "www.wikipedia.org", "A",
               [("www.wikipedia.org", "CNAME", 86400, "dyna.wikimedia.org"),
                ("dyna.wikimedia.org", "A", 600, "185.15.58.224")], 11_873 * US,
               q_opt=q_opt, r_opt=r_opt, mark="wiki")
    t = browse_tls13(sc, cl, "185.15.58.224", t + 900 * US, 24_120 * US, "www.wikipedia.org",
                     sttl=55, mss=1460, ws=10, response=23000)
    return sc, cl, router, t + 2_870 * MS


def _relayed_cdn_answers(sc: Scene, cl: Client, router: Resolver, t: int, txid: int,
                         qtype: str, answers: Sequence[tuple[int, str]]) -> None:
    """A query for www.apple.com through the relay and one relayed response per (delay in
    µs, edge address): the same CNAME chain to Akamai, a different edge each, EDNS kept."""
    port = cl.new_port()
    sc.add(t, cl.udp(router.ip, port, 53, query(txid, "www.apple.com", qtype,
                                               opt=opt_rr(1232))), True, "q")
    chain = [("www.apple.com", "CNAME", 300, "www.apple.com.edgekey.net"),
             ("www.apple.com.edgekey.net", "CNAME", 21600, "e6858.dscx.akamaiedge.net")]
    for delay, addr in answers:
        ans = response(txid, "www.apple.com", qtype,
                       [*chain, ("e6858.dscx.akamaiedge.net", qtype, 20, addr)],
                       opt=opt_rr(1232))
        sc.add(t + delay * US, router.packet(cl.ip, port, ans), False, "r")


def _finish_relay(sc: Scene, name: str, fn: str, text: Callable[[dict[str, list[int]]],
                  tuple[str, list[str]]], macs: tuple[str, str], fmt: str) -> Capture:
    """A relay look-alike: no finding, a dns-injection observation, the CDN and duplicate
    traps."""
    return finish(sc, name, fn, eth(*macs), linktype=1, ng=False, fmt=fmt, text=text,
                  expect=[], observations=["dns-injection"],
                  refs=[ref_trap(3, "CDNs, geo-DNS"), ref_trap(4, "duplicate DNS responses"),
                        REF_DNS01])


def benign_dns_relay_two_upstreams() -> Capture:
    """A home router relays the answers of both its upstream resolvers to one query for a
    CDN name: two different (geo-DNS) answers from one stack, EDNS kept in both."""
    sc, cl, router, t = _relay_scene(0x5CE0_0040)
    _relayed_cdn_answers(sc, cl, router, t, 0x3B17, "A",
                         ((14_212, "23.54.140.11"), (27_905, "104.86.110.133")))
    browse_tls13(sc, cl, "23.54.140.11", t + 15_100 * US, 9_870 * US, "www.apple.com",
                 sttl=58, mss=1460, ws=7, response=64000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        r = m["r"]
        about = (
            f"A Linux laptop (192.168.1.23) resolves through its home router 192.168.1.1, "
            f"which forwards each query to both of its upstream resolvers and relays every "
            f"answer it gets. www.wikipedia.org resolves and loads normally ({fr(m, 'wiki-r')} "
            f"onwards). The query for www.apple.com ({fr(m, 'q')}, EDNS OPT) gets two "
            f"responses from the router, frames {r[0]} and {r[1]} (14 and 28 ms): both with IP "
            f"TTL 64, no DF, IP IDs 1-4 apart on the router's one counter, the same CNAME "
            f"chain to e6858.dscx.akamaiedge.net and an EDNS OPT record, but different Akamai "
            f"edge addresses (23.54.140.11, then 104.86.110.133): the two upstreams sit in "
            f"different places and geo-DNS gave each its nearest edge. The client connects to "
            f"the first address and TLS 1.3 works. Different answers, but one sender with "
            f"one counter and nothing forged about either: no claim of injection, at most "
            f"an observation (catalogue §15.3: CDNs and geo-DNS).")
        shows = [
            f"{qr(m, 'wiki')}: ordinary lookup through the router and TLS 1.3 visit",
            f"{fr(m, 'q')}: query www.apple.com A, EDNS OPT",
            f"frames {r[0]}, {r[1]}: two relayed answers, IP TTL 64 both, consecutive router "
            f"IP IDs, OPT in both; A 23.54.140.11 then 104.86.110.133",
            "then TLS 1.3 to 23.54.140.11 (SNI www.apple.com) completes",
        ]
        return about, shows

    return _finish_relay(sc, "benign-dns-relay-two-upstreams",
                         "benign_dns_relay_two_upstreams", text,
                         ("a4:83:e7:2d:90:11", "e4:8d:8c:61:0a:5f"), "pcap, Ethernet, µs")


def benign_dns_relay_ipid_zero() -> Capture:
    """An OpenWrt router (dnsmasq, Linux: unconnected UDP socket, so DF set and IP ID 0)
    relays both upstream resolvers' different geo-DNS answers to one query: no IP ID counter
    to follow, but IP TTL 64 on both shows the relay is on the client's link."""
    sc, cl, router, t = _relay_scene(0x5CE0_0052, step=None)
    _relayed_cdn_answers(sc, cl, router, t, 0x90C4, "A",
                         ((12_904, "2.16.186.41"), (30_117, "23.215.0.136")))
    browse_tls13(sc, cl, "2.16.186.41", t + 13_800 * US, 11_240 * US, "www.apple.com",
                 sttl=57, mss=1460, ws=7, response=64000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        r = m["r"]
        about = (
            f"A Linux laptop (192.168.1.23) resolves through its OpenWrt router 192.168.1.1, "
            f"whose dnsmasq forwards each query to both upstream resolvers and relays every "
            f"answer it gets. Linux sends those answers from an unconnected UDP socket, so "
            f"each has DF set and IP ID 0. www.wikipedia.org resolves and loads normally "
            f"({fr(m, 'wiki-r')} onwards). The query for www.apple.com ({fr(m, 'q')}, EDNS "
            f"OPT) gets two responses from the router, frames {r[0]} and {r[1]} (13 and 30 "
            f"ms): both IP TTL 64 (no router decremented it: the sender is on the laptop's "
            f"own link), DF, IP ID 0, the same CNAME chain and an EDNS OPT record, but "
            f"different Akamai edge addresses (2.16.186.41, then 23.215.0.136) from the two "
            f"upstreams' geo-DNS. The client connects to the first and TLS 1.3 works. No IP "
            f"ID counter to follow, but both answers came from the relay next to the client "
            f"and nothing about either is forged: no claim of injection, at most an "
            f"observation (catalogue §15.3: CDNs and geo-DNS).")
        shows = [
            f"{qr(m, 'wiki')}: ordinary lookup through the router and TLS 1.3 visit",
            f"{fr(m, 'q')}: query www.apple.com A, EDNS OPT",
            f"frames {r[0]}, {r[1]}: two relayed answers, IP TTL 64, DF and IP ID 0 on both, "
            f"OPT in both; A 2.16.186.41 then 23.215.0.136",
            "then TLS 1.3 to 2.16.186.41 (SNI www.apple.com) completes",
        ]
        return about, shows

    return _finish_relay(sc, "benign-dns-relay-ipid-zero", "benign_dns_relay_ipid_zero", text,
                         ("a4:83:e7:2d:90:11", "e4:8d:8c:61:0a:5f"), "pcap, Ethernet, µs")


def benign_dns64_relay_two_upstreams() -> Capture:
    """Over IPv6, a home router relays the answers of two upstream resolvers to one AAAA
    query: a DNS64-synthesised address (64:ff9b::/96) and the native one, EDNS kept in both."""
    sc = Scene(0x5CE0_0042, start=18 * 3600 * NS + 7 * NS)
    cmac = "5c:e9:1e:40:8b:02"
    cl = Client(sc, "2a02:8109:b6c0:1a00:5d2e:8c1f:3a90:7be4", ttl=64, mac=cmac)
    router = Resolver(sc, "2a02:8109:b6c0:1a00::1", ttl=64)
    t = lookup(sc, cl, router, 0, "www.heise.de", "AAAA",
               [("www.heise.de", "AAAA", 3600, "2a02:2e0:3fe:1001:302::")], 13_410 * US,
               q_opt=opt_rr(1232), r_opt=opt_rr(1232), mark="heise")
    t = browse_tls13(sc, cl, "2a02:2e0:3fe:1001:302::", t + 800 * US, 17_900 * US,
                     "www.heise.de", sttl=56, mss=1420, ws=9, response=31000)
    t += 2_410 * MS
    port, txid = cl.new_port(), 0x5F13
    sc.add(t, cl.udp(router.ip, port, 53, query(txid, "shop.kettlebrook.de", "AAAA",
                                               opt=opt_rr(1232))), True, "q")
    for delay, addr in ((17_959, "64:ff9b::310c:7807"), (31_419, "2a01:4f8:c17:9d3::1")):
        ans = response(txid, "shop.kettlebrook.de", "AAAA",
                       [("shop.kettlebrook.de", "AAAA", 300, addr)], opt=opt_rr(1232))
        sc.add(t + delay * US, router.packet(cl.ip, port, ans), False, "r")
    browse_tls13(sc, cl, "64:ff9b::310c:7807", t + 18_700 * US, 24_300 * US,
                 "shop.kettlebrook.de", sttl=52, mss=1420, ws=7, response=52000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        r = m["r"]
        about = (
            "An IPv6 laptop resolves through its home router 2a02:8109:b6c0:1a00::1, which "
            "forwards each query to two upstream resolvers and relays every answer. "
            f"www.heise.de resolves and loads normally ({fr(m, 'heise-r')} onwards). The AAAA "
            f"query for shop.kettlebrook.de ({fr(m, 'q')}, EDNS OPT) gets two answers from the "
            f"router, frames {r[0]} and {r[1]} (18 and 31 ms), with the same hop limit and an "
            "EDNS OPT record each: 64:ff9b::310c:7807, which one upstream (a DNS64 resolver) "
            "synthesised from the site's A record 49.12.120.7 in the NAT64 well-known prefix, "
            "then the native AAAA 2a01:4f8:c17:9d3::1 from the other. The client connects to "
            "the first address through NAT64 and TLS 1.3 works. Two different answers, one "
            "synthesised, nothing forged: no claim of injection, at most an observation.")
        shows = [
            f"{qr(m, 'heise')}: ordinary AAAA lookup through the router and TLS 1.3 visit",
            f"{fr(m, 'q')}: query shop.kettlebrook.de AAAA, EDNS OPT",
            f"frames {r[0]}, {r[1]}: relayed answers 64:ff9b::310c:7807 (DNS64) and "
            "2a01:4f8:c17:9d3::1 (native), hop limit 64, OPT in both",
            "then TLS 1.3 to 64:ff9b::310c:7807 (SNI shop.kettlebrook.de) completes",
        ]
        return about, shows

    return finish(sc, "benign-dns64-relay-two-upstreams", "benign_dns64_relay_two_upstreams",
                  eth(cmac, "e4:8d:8c:61:0a:60"), linktype=1, ng=False,
                  fmt="pcap, Ethernet, IPv6, µs", text=text, expect=[],
                  observations=["dns-injection"],
                  refs=[ref_trap(3, "DNS64"), ref_trap(4, "duplicate DNS responses"),
                        REF_DNS01])


def _relay_scene_v6(seed: int) -> tuple[Scene, Client, Resolver, int]:
    """An IPv6 laptop behind a home router (2a02:8109:b6c0:1a00::1) that forwards every query
    to two upstream resolvers and relays each answer it gets, from its own stack (hop limit 64,
    no IP ID over IPv6), EDNS OPT kept; an ordinary lookup and visit first."""
    sc = Scene(seed, start=21 * 3600 * NS + 13 * NS)
    cl = Client(sc, "2a02:8109:b6c0:1a00:9e1b:44ff:fe07:2c31", ttl=64, mac="9c:1b:44:07:2c:31")
    router = Resolver(sc, "2a02:8109:b6c0:1a00::1", ttl=64)
    t = lookup(sc, cl, router, 0, "www.wikipedia.org", "AAAA",
               [("www.wikipedia.org", "CNAME", 86400, "dyna.wikimedia.org"),
                ("dyna.wikimedia.org", "AAAA", 600, "2a02:ec80:300:ed1a::1")], 12_406 * US,
               q_opt=opt_rr(1232), r_opt=opt_rr(1232), mark="wiki")
    t = browse_tls13(sc, cl, "2a02:ec80:300:ed1a::1", t + 850 * US, 25_310 * US,
                     "www.wikipedia.org", sttl=54, mss=1420, ws=10, response=23000)
    return sc, cl, router, t + 3_120 * MS


def benign_dns_relay_geo_ipv6() -> Capture:
    """Over IPv6, a home router relays the answers of both its upstream resolvers to one AAAA
    query for a CDN name: two different (geo-DNS, both native) answers, hop limit 64 both,
    EDNS kept in both. Over IPv6 there is no IP ID to show one sender; the hop limit that no
    router decremented shows the relay is on the client's link."""
    sc, cl, router, t = _relay_scene_v6(0x5CE0_0050)
    _relayed_cdn_answers(sc, cl, router, t, 0x6A0E, "AAAA",
                         ((15_377, "2a02:26f0:d8:3a3::1aca"),
                          (29_048, "2a02:26f0:fe00:1b9::1aca")))
    browse_tls13(sc, cl, "2a02:26f0:d8:3a3::1aca", t + 16_200 * US, 10_410 * US,
                 "www.apple.com", sttl=57, mss=1420, ws=7, response=64000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        r = m["r"]
        about = (
            f"An IPv6 laptop resolves through its home router 2a02:8109:b6c0:1a00::1, which "
            f"forwards each query to both of its upstream resolvers and relays every answer "
            f"it gets. www.wikipedia.org resolves and loads normally ({fr(m, 'wiki-r')} "
            f"onwards). The AAAA query for www.apple.com ({fr(m, 'q')}, EDNS OPT) gets two "
            f"responses from the router, frames {r[0]} and {r[1]} (15 and 29 ms): both with "
            f"hop limit 64 (no router on the way decremented it: the sender is on the "
            f"laptop's own link), the same CNAME chain to e6858.dscx.akamaiedge.net and an "
            f"EDNS OPT record, but different native Akamai edge addresses "
            f"(2a02:26f0:d8:3a3::1aca, then 2a02:26f0:fe00:1b9::1aca): the two upstreams sit "
            f"in different places and geo-DNS gave each its nearest edge. The client "
            f"connects to the first address and TLS 1.3 works. IPv6 carries no IP ID, so the "
            f"IPv4 test of one sender's counter cannot apply; the undecremented hop limit "
            f"shows both came from the relay next to the client, and nothing about either "
            f"answer is forged: no claim of injection, at most an observation (catalogue "
            f"§15.3: CDNs and geo-DNS).")
        shows = [
            f"{qr(m, 'wiki')}: ordinary AAAA lookup through the router and TLS 1.3 visit",
            f"{fr(m, 'q')}: query www.apple.com AAAA, EDNS OPT",
            f"frames {r[0]}, {r[1]}: two relayed answers, hop limit 64 both, OPT in both; "
            f"AAAA 2a02:26f0:d8:3a3::1aca then 2a02:26f0:fe00:1b9::1aca",
            "then TLS 1.3 to 2a02:26f0:d8:3a3::1aca (SNI www.apple.com) completes",
        ]
        return about, shows

    return _finish_relay(sc, "benign-dns-relay-geo-ipv6", "benign_dns_relay_geo_ipv6", text,
                         ("9c:1b:44:07:2c:31", "e4:8d:8c:61:0a:61"), "pcap, Ethernet, IPv6, µs")


def _relayed_forgery(sc: Scene, cl: Client, router: Resolver, t: int, txid: int,
                     forged_addr: str, forged_at: int, genuine_at: int) -> None:
    """A query for www.instagram.com through the relay, then the relayed GFW-shaped forgery
    (EDNS dropped, AN=1, answer TTL 234) ``forged_at`` µs later and the relayed genuine
    answer ``genuine_at`` µs later."""
    port = cl.new_port()
    q = query(txid, "www.instagram.com", "A", opt=opt_rr(1232))
    sc.add(t, cl.udp(router.ip, port, 53, q), True, "q")
    forged = injected(q, 0x8180, [rr_a(forged_addr, 234)])
    sc.add(t + forged_at * US, router.packet(cl.ip, port, forged), False, "forged")
    genuine = response(txid, "www.instagram.com", "A",
                       [("www.instagram.com", "CNAME", 3600, "z-p42-instagram.c10r.instagram.com"),
                        ("z-p42-instagram.c10r.instagram.com", "A", 60, "157.240.22.174")],
                       opt=opt_rr(1232))
    sc.add(t + genuine_at * US, router.packet(cl.ip, port, genuine), False, "genuine")


def dns_injection_router_relay_ipv6() -> Capture:
    """The same IPv6 home router relays a GFW-shaped forged answer (EDNS dropped, AN=1,
    answer TTL 234) and then the genuine one: hop limit 64 on both, the forged answer's
    shape gives it away."""
    sc, cl, router, t = _relay_scene_v6(0x5CE0_0051)
    _relayed_forgery(sc, cl, router, t, 0x2D71, "59.24.3.173", 8_806, 39_514)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"An IPv6 laptop resolves through its home router 2a02:8109:b6c0:1a00::1, which "
            f"relays every answer its upstream gives (www.wikipedia.org resolves and loads "
            f"normally, {fr(m, 'wiki-r')} onwards). The A query for www.instagram.com "
            f"({fr(m, 'q')}, over IPv6, RD=1, EDNS OPT) gets two responses from the router, "
            f"both with hop limit 64: the packet headers cannot tell them apart, and IPv6 has "
            f"no IP ID. {cap_fr(m, 'forged')} (9 ms) has the GFW injector's shape: flags "
            f"0x8180, AN=1, NS=0, AR=0 (the query's OPT record dropped), the answer appended "
            f"as `c0 0c 00 01 00 01 000000ea 0004`, A 59.24.3.173 (a Korean ISP address, "
            f"nothing to do with Instagram, and a documented GFW forged address: DNS "
            f"tampering too). {cap_fr(m, 'genuine')} (40 ms) is the "
            f"resolver's: CNAME z-p42-instagram.c10r.instagram.com, A 157.240.22.174, OPT "
            f"echoed. Two different answers to one query, the first one forged in the way the "
            f"catalogue documents: DNS injection upstream of the router.")
        shows = [
            f"{qr(m, 'wiki')}: ordinary lookup through the router (OPT kept) and TLS 1.3 visit",
            f"{fr(m, 'q')}: query www.instagram.com A, ID 0x2d71, EDNS OPT",
            f"{fr(m, 'forged')}: relayed forged answer: 0x8180, AN=1 AR=0, A 59.24.3.173 TTL 234",
            f"{fr(m, 'genuine')}: relayed genuine answer: CNAME chain, A 157.240.22.174, OPT",
        ]
        return about, shows

    return finish(sc, "dns-injection-router-relay-ipv6", "dns_injection_router_relay_ipv6",
                  eth("9c:1b:44:07:2c:31", "e4:8d:8c:61:0a:61"), linktype=1, ng=False,
                  fmt="pcap, Ethernet, IPv6, µs", text=text,
                  expect=[{"mechanism": "dns-injection", "domain": "www.instagram.com"},
                          {"mechanism": "dns-tampering", "domain": "www.instagram.com"}],
                  refs=[REF_DNS01, REF_DNS02])


def dns_injection_router_relay() -> Capture:
    """The same home router relays a GFW-shaped forged answer (EDNS dropped, AN=1, answer
    TTL 234) and then the genuine one: the headers are the router's for both, the forged
    answer's shape gives it away."""
    sc, cl, router, t = _relay_scene(0x5CE0_0041)
    _relayed_forgery(sc, cl, router, t, 0xC55A, "93.46.8.90", 9_314, 41_207)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux laptop (192.168.1.23) resolves through its home router 192.168.1.1, "
            f"which relays every answer its upstream gives (www.wikipedia.org resolves and "
            f"loads normally, {fr(m, 'wiki-r')} onwards). `dig www.instagram.com` "
            f"({fr(m, 'q')}, RD=1, EDNS OPT) gets two responses from the router, so both "
            f"carry the router's IP TTL 64 and consecutive router IP IDs: the packet headers "
            f"cannot tell them apart. {cap_fr(m, 'forged')} (9 ms) has the GFW injector's "
            f"shape: flags 0x8180, AN=1, NS=0, AR=0 (the query's OPT record dropped), the "
            f"answer appended as `c0 0c 00 01 00 01 000000ea 0004`, A 93.46.8.90 (an Italian "
            f"ISP address, nothing to do with Instagram). {cap_fr(m, 'genuine')} (41 ms) is "
            f"the resolver's: CNAME z-p42-instagram.c10r.instagram.com, A 157.240.22.174, "
            f"OPT echoed. Two different answers to one query, the first one forged in the way "
            f"the catalogue documents: DNS injection upstream of the router.")
        shows = [
            f"{qr(m, 'wiki')}: ordinary lookup through the router (OPT kept) and TLS 1.3 visit",
            f"{fr(m, 'q')}: query www.instagram.com A, ID 0xc55a, EDNS OPT",
            f"{fr(m, 'forged')}: relayed forged answer: 0x8180, AN=1 AR=0, A 93.46.8.90 TTL 234",
            f"{fr(m, 'genuine')}: relayed genuine answer: CNAME chain, A 157.240.22.174, OPT",
        ]
        return about, shows

    return finish(sc, "dns-injection-router-relay", "dns_injection_router_relay",
                  eth("a4:83:e7:2d:90:11", "e4:8d:8c:61:0a:5f"), linktype=1, ng=False,
                  fmt="pcap, Ethernet, µs", text=text,
                  expect=[{"mechanism": "dns-injection", "domain": "www.instagram.com"}],
                  refs=[REF_DNS01, REF_DNS02])


def benign_dns_cdn_different_resolvers() -> Capture:
    """www.apple.com resolved through the ISP resolver and through 8.8.8.8 gives two
    different Akamai addresses; each lookup has one normal answer; TLS to both works."""
    sc = Scene(0x5CE0_000F, start=12 * 3600 * NS + 12 * NS)
    cmac, gmac = "d4:3b:04:9e:51:aa", "e0:28:6d:3f:19:c2"
    cl = Client(sc, "192.168.178.31", ttl=64, ipid=0x0C0C, mac=cmac)
    isp = Resolver(sc, "217.237.150.115", ttl=61, ipid=0x70A1, step=(1, 20))
    goo = Resolver(sc, "8.8.8.8", ttl=118, ipid=0x1B32, step=(2, 60))
    chain = ["www.apple.com.edgekey.net", "www.apple.com.edgekey.net.globalredir.akadns.net",
             "e6858.dscx.akamaiedge.net"]

    def apple(ttls: tuple[int, int, int], a: str, ttl: int) -> list[Answer]:
        return [("www.apple.com", "CNAME", ttls[0], chain[0]),
                (chain[0], "CNAME", ttls[1], chain[1]), (chain[1], "CNAME", ttls[2], chain[2]),
                (chain[2], "A", ttl, a)]

    t = lookup(sc, cl, isp, 0, "www.apple.com", "A", apple((1512, 3413, 60), "23.50.52.27", 20),
               16_205 * US, mark="isp")
    t = browse_tls13(sc, cl, "23.50.52.27", t + 1_500 * US, 14_822 * US, "www.apple.com",
                     sttl=58, mss=1460, ws=7, response=26000, mark="isp")
    t = lookup(sc, cl, goo, t + 8_920 * MS, "www.apple.com", "A",
               apple((1799, 3599, 60), "104.95.77.54", 20), 21_340 * US, mark="goo")
    browse_tls13(sc, cl, "104.95.77.54", t + 1_200 * US, 17_960 * US, "www.apple.com",
                 sttl=55, mss=1460, ws=7, response=26000, mark="goo")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux client in Germany (192.168.178.31) resolves www.apple.com twice: the "
            f"browser through the ISP resolver 217.237.150.115 ({qr(m, 'isp')}) and, 9 s "
            f"later, a container configured with 8.8.8.8 ({qr(m, 'goo')}). Each query gets "
            f"exactly one answer, from its resolver's usual IP TTL (61 and 118), with the "
            f"same Akamai CNAME chain "
            f"(www.apple.com.edgekey.net -> ...globalredir.akadns.net -> "
            f"e6858.dscx.akamaiedge.net) but different edge addresses: 23.50.52.27 via the "
            f"ISP, 104.95.77.54 via Google (geo-DNS and EDNS client subnet pick different "
            f"edges). TLS 1.3 with SNI www.apple.com succeeds to both addresses "
            f"({fr(m, 'isp-sh')} and {fr(m, 'goo-sh')}). Different answers from different "
            f"resolvers for a CDN name are normal (catalogue §15.3): there is no race, no "
            f"forged structure, and both addresses serve the site.")
        shows = [
            f"{qr(m, 'isp')}: via 217.237.150.115: A 23.50.52.27",
            f"{span(m, 'isp-syn', 'isp-sh')}: TLS 1.3 to 23.50.52.27 works",
            f"{qr(m, 'goo')}: via 8.8.8.8: A 104.95.77.54",
            f"{span(m, 'goo-syn', 'goo-sh')}: TLS 1.3 to 104.95.77.54 works",
        ]
        return about, shows

    return finish(sc, "benign-dns-cdn-different-resolvers", "benign_dns_cdn_different_resolvers",
                  eth(cmac, gmac), linktype=1, ng=False, fmt="pcap (µs), Ethernet", text=text,
                  expect=[], refs=[ref_trap(3, "DNS answers that differ but are genuine"),
                                   f"{FP} §14 (Censored Planet Satellite excludes CDN ASes)"])


def benign_dns_nxdomain() -> Capture:
    """A typo (www.bbc.co.ukk) gets a single NXDOMAIN with the root SOA in the authority
    section; the corrected name and another real one resolve and load."""
    sc = Scene(0x5CE0_0010, start=16 * 3600 * NS + 40 * NS)
    cmac, gmac = "48:2a:e3:70:c5:19", "a0:63:91:d2:0e:77"
    cl = Client(sc, "192.168.0.17", ttl=64, ipid=0x2222, mac=cmac)
    res = Resolver(sc, "194.168.4.100", ttl=60, step=None)
    q_opt, r_opt = opt_rr(1232), opt_rr(4096)
    t = lookup(sc, cl, res, 0, "www.bbc.co.ukk", "A", [], 24_118 * US, rcode=3,
               authority=[soa(".", 86400, "a.root-servers.net", "nstld.verisign-grs.com",
                              2021020800, 86400)], q_opt=q_opt, r_opt=r_opt, mark="typo")
    t = lookup(sc, cl, res, t + 2_870 * MS, "www.bbc.co.uk", "A",
               [("www.bbc.co.uk", "CNAME", 228, "www.bbc.net.uk"),
                ("www.bbc.net.uk", "A", 113, "212.58.237.252"),
                ("www.bbc.net.uk", "A", 113, "212.58.233.252")], 19_944 * US,
               q_opt=q_opt, r_opt=r_opt, mark="bbc")
    t = browse_tls13(sc, cl, "212.58.237.252", t + 1_300 * US, 12_816 * US, "www.bbc.co.uk",
                     sttl=55, mss=1460, ws=8, response=38000, close_after=None)
    fastly = "bbc.map.fastly.net"
    t = lookup(sc, cl, res, t + 160 * MS, "static.files.bbci.co.uk", "A",
               [("static.files.bbci.co.uk", "CNAME", 278, fastly),
                (fastly, "A", 30, "151.101.60.81")], 15_402 * US, q_opt=q_opt, r_opt=r_opt,
               mark="static")
    browse_tls13(sc, cl, "151.101.60.81", t + 1_100 * US, 11_270 * US,
                 "static.files.bbci.co.uk", sttl=57, mss=1460, ws=9, response=52000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux laptop (192.168.0.17, systemd-resolved, EDNS) uses its ISP's resolver "
            f"194.168.4.100 (IP TTL 60, DF, IP ID 0). The user mistypes www.bbc.co.ukk "
            f"({fr(m, 'typo-q')}); 24 ms later the resolver answers once ({fr(m, 'typo-r')}): "
            f"NXDOMAIN with the root zone's SOA (a.root-servers.net, "
            f"nstld.verisign-grs.com, negative TTL 86400) in the authority section and an "
            f"OPT record, the resolver's usual IP TTL, DF and ID: a proper negative answer "
            f"for a name under a TLD that does not exist. The corrected www.bbc.co.uk "
            f"({fr(m, 'bbc-r')}) and static.files.bbci.co.uk ({fr(m, 'static-r')}) resolve "
            f"and load over TLS 1.3. A lone NXDOMAIN with an SOA for a name that really does "
            f"not exist, from a resolver that answers real names normally, is not "
            f"tampering (catalogue DNS-07 trap).")
        shows = [
            f"{fr(m, 'typo-q')}: query www.bbc.co.ukk A (EDNS)",
            f"{fr(m, 'typo-r')}: NXDOMAIN, SOA of . in the authority section, single answer",
            f"{qr(m, 'bbc')}, {qr(m, 'static')}: "
            f"real names resolve; TLS 1.3 to both works",
        ]
        return about, shows

    return finish(sc, "benign-dns-nxdomain", "benign_dns_nxdomain", cooked(True, cmac, gmac),
                  linktype=276, ng=True, ifname="any",
                  fmt="pcapng, Linux cooked v2 (SLL2), µs", text=text, expect=[],
                  refs=[REF_DNS07, f"{FP} §12 (`dns_nxdomain_error`)"])


def benign_dns_private_internal() -> Capture:
    """A home resolver (dnsmasq, 192.168.1.1) answers local names with private addresses:
    router.home.arpa, nas.lan (then HTTP to it), printer.corp.internal (split DNS)."""
    sc = Scene(0x5CE0_0011, start=17 * 3600 * NS + 8 * NS)
    cmac, gmac = "30:24:32:a1:7e:0b", "b8:27:eb:14:6c:55"
    cl = Client(sc, "192.168.1.50", ttl=128, ipid=0x6001, windows=True, mac=cmac)
    res = Resolver(sc, "192.168.1.1", ttl=64, step=None)
    t = lookup(sc, cl, res, 0, "router.home.arpa", "A",
               [("router.home.arpa", "A", 0, "192.168.1.1")], 612 * US, aa=1, mark="router")
    t = lookup(sc, cl, res, t + 1_730 * MS, "nas.lan", "A", [("nas.lan", "A", 0, "192.168.1.20")],
               540 * US, aa=1, mark="nas")
    k = conn(sc, cl, "192.168.1.20", 5000, sttl=64, mss=1460, ws=7)
    t = handshake(sc, k, t + 900 * US, 410 * US, "http")
    get = (b"GET / HTTP/1.1\r\nHost: nas.lan:5000\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; "
           b"Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.150 "
           b"Safari/537.36\r\nAccept: text/html\r\nAccept-Encoding: gzip, deflate\r\n"
           b"Connection: keep-alive\r\n\r\n")
    t += 300 * US
    tcp(sc, k, "c", t, "PA", get, mark="http-get")
    body = b"<!DOCTYPE html><html><head><title>nas - Synology DiskStation</title></head>" + \
        b"<body></body></html>\n"
    resp = (b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: keep-alive\r\n"
            b"\r\n" + body)
    t += 2_100 * US
    tcp(sc, k, "s", t, "PA", resp, mark="http-200")
    t += 150 * US
    tcp(sc, k, "c", t, "A")
    t = lookup(sc, cl, res, t + 4_310 * MS, "printer.corp.internal", "A",
               [("printer.corp.internal", "A", 3600, "10.20.30.40")], 27_806 * US,
               mark="printer")
    dyna = "dyna.wikimedia.org"
    t = lookup(sc, cl, res, t + 3_004 * MS, "www.wikipedia.org", "A",
               [("www.wikipedia.org", "CNAME", 21599, dyna), (dyna, "A", 600, "185.15.58.224")],
               22_117 * US, mark="wiki")
    browse_tls13(sc, cl, "185.15.58.224", t + 1_800 * US, 97_312 * US, "www.wikipedia.org",
                 sttl=116, mss=1440, ws=9, response=12000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Windows PC (192.168.1.50) uses the home router 192.168.1.1 (dnsmasq) as its "
            f"resolver. Names the router knows locally are answered in under a millisecond "
            f"with the AA bit set and TTL 0, as dnsmasq does for its hosts file: "
            f"router.home.arpa -> 192.168.1.1 ({fr(m, 'router-r')}) and nas.lan -> "
            f"192.168.1.20 ({fr(m, 'nas-r')}); the browser then opens the NAS's web page "
            f"over HTTP on port 5000 ({fr(m, 'http-get')} GET, {fr(m, 'http-200')} 200 OK "
            f"from the DiskStation). printer.corp.internal, forwarded by the router to the "
            f"company's DNS over the VPN (split DNS), resolves to 10.20.30.40 "
            f"({fr(m, 'printer-r')}). A public name, www.wikipedia.org, resolves to its "
            f"public address ({fr(m, 'wiki-r')}) and loads over TLS 1.3. Private (RFC 1918) "
            f"answers for private names (.home.arpa is reserved for home networks, RFC 8375; "
            f".lan and .internal are not public TLDs) are normal; only a private or bogon "
            f"answer for a *public* name would be tampering.")
        shows = [
            f"{qr(m, 'router')}: router.home.arpa -> 192.168.1.1 "
            f"(AA, TTL 0)",
            f"{qr(m, 'nas')}: nas.lan -> 192.168.1.20 (AA, TTL 0); "
            f"{span(m, 'http-syn', 'http-200')}: HTTP to nas.lan:5000, 200 OK",
            f"{qr(m, 'printer')}: printer.corp.internal -> 10.20.30.40",
            f"{qr(m, 'wiki')}: www.wikipedia.org -> 185.15.58.224; TLS "
            f"1.3 works",
        ]
        return about, shows

    return finish(sc, "benign-dns-private-internal", "benign_dns_private_internal",
                  eth(cmac, gmac), linktype=1, ng=False, fmt="pcap (µs), Ethernet", text=text,
                  expect=[], refs=[REF_DNS05, "RFC 1918; RFC 8375 (home.arpa)",
                                   ref_trap(3, "split-horizon")])


def benign_dns_google_ip_for_google() -> Capture:
    """www.google.com -> 74.125.39.102: on the classic GFW lie list, but a Google address
    for a Google name; single answer; TLS 1.3 to it works."""
    sc = Scene(0x5CE0_0012, start=14 * 3600 * NS + 36 * NS)
    cl = Client(sc, "192.168.2.40", ttl=64, ipid=0x7B00)
    res = Resolver(sc, "194.25.2.129", ttl=59, ipid=0x2468, step=(1, 15))
    t = lookup(sc, cl, res, 0, "www.google.com", "A",
               [("www.google.com", "A", 300, "74.125.39.102")], 13_447 * US, mark="g")
    t = browse_tls13(sc, cl, "74.125.39.102", t + 1_300 * US, 14_880 * US, "www.google.com",
                     sttl=117, mss=1412, ws=8, response=42000, mark="g", close_after=None)
    t = lookup(sc, cl, res, t + 95 * MS, "www.gstatic.com", "A",
               [("www.gstatic.com", "A", 300, "142.250.185.99")], 12_906 * US, mark="gs")
    browse_tls13(sc, cl, "142.250.185.99", t + 900 * US, 15_210 * US, "www.gstatic.com",
                 sttl=117, mss=1412, ws=8, response=18000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Linux client in Germany (192.168.2.40) uses its ISP's resolver 194.25.2.129 "
            f"(IP TTL 59). www.google.com resolves ({fr(m, 'g-r')}) to 74.125.39.102 in a "
            f"single, ordinary answer. That address is on the classic GFW DNS lie list "
            f"(ChinaDNS iplist.txt), but it is a Google address, and for a Google name it is "
            f"the genuine answer: the browser's TLS 1.3 handshake with SNI www.google.com "
            f"to it succeeds ({fr(m, 'g-ch')} ClientHello, {fr(m, 'g-sh')} ServerHello) and "
            f"the page loads, as does www.gstatic.com ({fr(m, 'gs-r')}). A poison-list "
            f"address is only evidence in the context of a name it does not belong to "
            f"(catalogue §11: 'never flag them without the domain context').")
        shows = [
            f"{qr(m, 'g')}: www.google.com -> 74.125.39.102, single answer",
            f"{span(m, 'g-syn', 'g-sh')}: TLS 1.3 to 74.125.39.102 with SNI "
            f"www.google.com completes",
            f"{qr(m, 'gs')}: www.gstatic.com, TLS 1.3 works",
        ]
        return about, shows

    return finish(sc, "benign-dns-google-ip-for-google", "benign_dns_google_ip_for_google", raw,
                  linktype=101, ng=False, fmt="pcap (µs), raw IP (LINKTYPE_RAW 101)",
                  text=text, expect=[],
                  refs=[f"{FP} §11 list 1 (caveat on the Google addresses)", REF_DNS03,
                        ref_trap(3, "DNS answers that differ but are genuine")])


# ============================================================================ benign: TLS / QUIC


def benign_tls_selfsigned_router() -> Capture:
    """Home Assistant (Python, OpenSSL, verification off) polls the FRITZ!Box admin page at
    https://192.168.178.1 (no SNI: an IP literal) and gets the box's self-signed
    certificate for fritz.box; the handshake completes."""
    sc = Scene(0x5CE0_0013, start=18 * 3600 * NS + 1 * NS)
    cmac, gmac = "dc:a6:32:5b:09:e4", "2c:91:ab:7d:40:1f"
    cl = Client(sc, "192.168.178.20", ttl=64, ipid=0x3A00, mac=cmac)
    res = Resolver(sc, "192.168.178.1", ttl=64, step=None)
    t = lookup(sc, cl, res, 0, "version.home-assistant.io", "A",
               [("version.home-assistant.io", "CNAME", 3600, "home-assistant.github.io"),
                ("home-assistant.github.io", "A", 3600, "185.199.108.153")], 21_604 * US,
               mark="ver")
    t = browse_tls13(sc, cl, "185.199.108.153", t + 1_200 * US, 23_377 * US,
                     "version.home-assistant.io", sttl=57, mss=1460, ws=9, response=2100)
    key = ed_key("router/fritzbox")
    name = dn((NameOID.COMMON_NAME, "fritz.box"))
    cert = certificate(name, name, key, key, 0x0F3C52B1, "2018-03-14 09:26:51",
                       "2038-01-15 09:26:51", ca=False,
                       dns_names=["fritz.box", "www.fritz.box", "myfritz.box",
                                  "www.myfritz.box"], ips=["192.168.178.1"])
    t += 28_310 * MS
    k = conn(sc, cl, "192.168.178.1", 443, sttl=64, mss=1460, ws=7)
    t = handshake(sc, k, t, 712 * US, "r")
    tls12_session(sc, k, t, 698 * US, None, [cert], key, "fritzbox", 1448, alpn=None,
                  client_alpn=(b"http/1.1",), request=410, response=(1448, 702), mark="r")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A Home Assistant server (192.168.178.20, Python with OpenSSL) checks for "
            f"updates over TLS 1.3 ({fr(m, 'ver-r')} onwards), then polls the home router's "
            f"admin interface at https://192.168.178.1/ ({fr(m, 'r-syn')}, LAN RTT 0.7 ms). "
            f"The URL is an IP literal, so the ClientHello ({fr(m, 'r-ch')}) carries no SNI. "
            f"The router answers with TLS 1.2 and its own self-signed certificate "
            f"({fr(m, 'r-cert')}: subject = issuer 'CN=fritz.box', SAN fritz.box, "
            f"www.fritz.box, myfritz.box, www.myfritz.box and IP 192.168.178.1, valid "
            f"2018-2038), which chains to no public root. The integration has certificate "
            f"verification turned off, as is usual for a home router, so the handshake "
            f"completes ({fr(m, 'r-finished')}) and the status page is fetched. A "
            f"self-signed certificate from a private address with no public name requested "
            f"is a device's own admin page, not interception (catalogue §15.5).")
        shows = [
            f"{qr(m, 'ver')}: ordinary lookup and TLS 1.3 visit",
            f"{fr(m, 'r-syn')}: TCP to 192.168.178.1:443; {fr(m, 'r-ch')}: ClientHello "
            f"without SNI",
            f"{fr(m, 'r-cert')}: ServerHello (TLS 1.2) + self-signed certificate CN=fritz.box",
            f"{fr(m, 'r-finished')}: handshake completes; {fr(m, 'r-appdata')}: request",
        ]
        return about, shows

    return finish(sc, "benign-tls-selfsigned-router", "benign_tls_selfsigned_router",
                  eth(cmac, gmac), linktype=1, ng=True, fmt="pcapng, Ethernet, µs", text=text,
                  expect=[], refs=[ref_trap(5, "certificate anomalies that are not state "
                                               "MITM"), REF_TLS04])


def benign_quic_answered() -> Capture:
    """IPv6: a QUIC v1 connection that works: client Initial, server Initial (ACK +
    ServerHello, decryptable) coalesced with Handshake packets, the client's second Initial
    + Handshake, then 1-RTT short-header packets both ways."""
    sc = Scene(0x5CE0_0014, start=19 * 3600 * NS + 17 * NS)
    cmac, gmac = "8c:85:90:11:a3:6f", "3c:a6:2f:09:d4:58"
    cl = Client(sc, "2a02:810d:4bc0:2a44:3c1e:9dff:fe21:b8e4", ttl=64, mac=cmac)
    res = Resolver(sc, "2a02:810d:4bc0:2a44::1", ttl=64)
    server = "2606:4700:10::6816:1c8"
    t = lookup(sc, cl, res, 0, "cloudflare-quic.com", "AAAA",
               [("cloudflare-quic.com", "AAAA", 300, server)], 14_308 * US, mark="dns")
    rnd = sc.rnd
    dgrams, dcid, _ = quic_client_datagrams(sc, "cloudflare-quic.com", 1)
    keys = quic_initial_keys(dcid)
    scid_s = rnd.randbytes(16)
    port = cl.new_port()
    rtt = 17_406 * US

    def c(t: int, payload: bytes, mark: str | None = None) -> None:
        sc.add(t, udp6(cl.ip, port, server, 443, payload), True, mark)

    def s(t: int, payload: bytes, mark: str | None = None) -> None:
        sc.add(t, udp6(server, 443, cl.ip, port, payload, hlim=56), False, mark)

    t += 1_900 * US
    c(t, dgrams[0], "c-initial")
    t += rtt
    s_init = quic_initial(b"", scid_s, 0, ack_frame(1, 12) +
                          crypto_frame(0, quic_server_hello(rnd)), keys["server"], pn_len=2)
    s(t, s_init + quic_opaque_long(rnd, 2, b"", scid_s, 1048), "s-initial")
    s(t + 60 * US, quic_opaque_long(rnd, 2, b"", scid_s, 1190), "s-handshake")
    s(t + 120 * US, quic_opaque_long(rnd, 2, b"", scid_s, 488) + quic_short(rnd, b"", 52),
      "s-handshake")
    t += 2_310 * US
    hs = quic_opaque_long(rnd, 2, scid_s, b"", 72)
    # from now on the client addresses the server by the SCID the server chose (RFC 9000
    # §7.2); the Initial keys still derive from the first DCID
    c(t, quic_initial(scid_s, b"", 2, ack_frame(0, 0), keys["client"],
                      pad_to=1250 - len(hs), pn_len=1) + hs, "c-initial2")
    c(t + 90 * US, quic_short(rnd, scid_s, 109), "c-short")
    t += rtt
    s(t, quic_short(rnd, b"", 41), "s-short")
    t += 1_900 * US
    for _ in range(5):
        s(t, quic_short(rnd, b"", 1211), "s-short")
        t += 35 * US
    s(t, quic_short(rnd, b"", 377), "s-short")
    t += 400 * US
    c(t, quic_short(rnd, scid_s, 37), "c-short")
    t += 2_600 * MS
    c(t, quic_short(rnd, scid_s, 44), "c-short")
    s(t + rtt, quic_short(rnd, b"", 31), "s-short")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A browser on an IPv6 client (2a02:810d:4bc0:2a44:3c1e:9dff:fe21:b8e4) resolves "
            f"cloudflare-quic.com ({fr(m, 'dns-r')}) and opens HTTP/3 to [{server}]:443. The "
            f"client Initial ({fr(m, 'c-initial')}: QUIC v1, 1250 bytes, DCID {dcid.hex()}, "
            f"ClientHello with SNI cloudflare-quic.com) is answered one RTT (17 ms) later by "
            f"{fr(m, 's-initial')}: a long-header Initial of the same version from the "
            f"server (DCID = the client's empty SCID, a new 16-byte SCID) carrying ACK and "
            f"a ServerHello (it decrypts with the server Initial keys of the client's DCID), "
            f"coalesced with a Handshake packet; {fr(m, 's-handshake')} carry the rest of "
            f"the server's Handshake flight and its first 1-RTT packet. The client "
            f"acknowledges with another Initial plus a Handshake packet "
            f"({fr(m, 'c-initial2')}) and both sides then exchange 1-RTT short-header "
            f"packets (client {fr(m, 'c-short')}, server {fr(m, 's-short')}), the response "
            f"arriving in six datagrams. QUIC that is answered is not blocked: no finding.")
        shows = [
            f"{qr(m, 'dns')}: AAAA cloudflare-quic.com",
            f"{fr(m, 'c-initial')}: client Initial (SNI cloudflare-quic.com, 1250 bytes)",
            f"{fr(m, 's-initial')}: server Initial (ACK + ServerHello) + Handshake",
            f"{fr(m, 's-handshake')}: server Handshake packets (+ 1-RTT)",
            f"{fr(m, 'c-initial2')}: client Initial (ACK, padded) + Handshake",
            f"{fr(m, 'c-short')} / {fr(m, 's-short')}: 1-RTT short-header packets",
        ]
        return about, shows

    return finish(sc, "benign-quic-answered", "benign_quic_answered", eth(cmac, gmac),
                  linktype=1, ng=False, fmt="pcap (µs), Ethernet, IPv6", text=text, expect=[],
                  refs=[REF_QUIC, "RFC 9000 §12.2 (coalesced packets), §17; RFC 9001 §5"])


def quic_works(sc: Scene, cl: Client, server: str, t: int, sni: str, rtt: int, *, sttl: int,
               mark: str) -> int:
    """An answered QUIC v1 connection from ``cl`` (IPv4) to ``server``: the client Initial,
    the server's Initial (ACK + ServerHello) with Handshake packets, the client's second
    Initial, a request and a short response in 1-RTT packets. Returns the last packet's
    time."""
    rnd = sc.rnd
    dgrams, dcid, _ = quic_client_datagrams(sc, sni, 1)
    keys = quic_initial_keys(dcid)
    scid_s = rnd.randbytes(8)
    port = cl.new_port()
    sid = rnd.getrandbits(16)

    def c(t: int, payload: bytes, tag: str) -> None:
        sc.add(t, cl.udp(server, port, 443, payload), True, tag)

    def s(t: int, payload: bytes, tag: str) -> None:
        nonlocal sid
        sid = (sid + 1) & 0xFFFF
        sc.add(t, udp4(server, 443, cl.ip, port, payload, ttl=sttl, ipid=sid, df=True), False,
               tag)

    c(t, dgrams[0], mark + "-c")
    t += rtt
    s_init = quic_initial(b"", scid_s, 0, ack_frame(1, 9) +
                          crypto_frame(0, quic_server_hello(rnd)), keys["server"], pn_len=2)
    s(t, s_init + quic_opaque_long(rnd, 2, b"", scid_s, 1000), mark + "-s")
    s(t + 50 * US, quic_opaque_long(rnd, 2, b"", scid_s, 1180), mark + "-s")
    t += 1_700 * US
    hs = quic_opaque_long(rnd, 2, scid_s, b"", 72)
    c(t, quic_initial(scid_s, b"", 2, ack_frame(0, 0), keys["client"], pad_to=1250 - len(hs),
                      pn_len=1) + hs, mark + "-c")
    c(t + 80 * US, quic_short(rnd, scid_s, 96), mark + "-c")
    t += rtt
    for _ in range(4):
        s(t, quic_short(rnd, b"", 1200), mark + "-s")
        t += 40 * US
    t += 300 * US
    c(t, quic_short(rnd, scid_s, 38), mark + "-c")
    return t


def quic_blackhole_other_name_works() -> Capture:
    """A shared CDN address answers HTTP/3 for www.cloudflare.com; a minute later five QUIC
    Initials for discord.com to the same address and port get nothing back; the app gives
    up (no TCP fallback in the capture); other sites load normally."""
    sc = Scene(0x5CE0_0060, start=13 * 3600 * NS + 41 * NS)
    cmac, gmac = "f0:2f:74:1b:c8:06", "e4:a7:c5:30:5b:11"
    cl = Client(sc, "192.168.31.88", ttl=64, ipid=0x2B40, mac=cmac)
    res = Resolver(sc, "192.168.31.1", ttl=64, step=None)
    server = "162.159.135.232"
    t = lookup(sc, cl, res, 0, "www.cloudflare.com", "A",
               [("www.cloudflare.com", "A", 300, server)], 21_300 * US, mark="cf")
    t = quic_works(sc, cl, server, t + 1_200 * US, "www.cloudflare.com", 38_400 * US, sttl=55,
                   mark="ctl")
    t = lookup(sc, cl, res, t + 4_300 * MS, "www.baidu.com", "A",
               [("www.baidu.com", "CNAME", 1200, "www.a.shifen.com"),
                ("www.a.shifen.com", "A", 300, "110.242.68.3")], 19_800 * US, mark="bd")
    t = browse_tls13(sc, cl, "110.242.68.3", t + 900 * US, 31_200 * US, "www.baidu.com",
                     sttl=52, mss=1440, ws=8, response=24000)
    t = lookup(sc, cl, res, t + 47_000 * MS, "discord.com", "A",
               [("discord.com", "A", 300, server)], 22_100 * US, mark="dc")
    dgrams, _dcid, _ = quic_client_datagrams(sc, "discord.com", 5)
    port = cl.new_port()
    t += 1_100 * US
    for off, d in zip((0, 300 * MS, 900 * MS, 2_100 * MS, 4_500 * MS), dgrams, strict=True):
        sc.add(t + off, cl.udp(server, port, 443, d), True, "initial")
    t += 9_800 * MS
    t = lookup(sc, cl, res, t, "www.qq.com", "A",
               [("www.qq.com", "A", 300, "183.3.226.35")], 18_700 * US, mark="qq")
    browse_tls13(sc, cl, "183.3.226.35", t + 1_000 * US, 28_900 * US, "www.qq.com", sttl=53,
                 mss=1440, ws=8, response=18000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        ini = m["initial"]
        about = (
            f"A phone on home Wi-Fi in China (192.168.31.88) opens www.cloudflare.com over "
            f"HTTP/3: the name resolves to {server} ({fr(m, 'cf-r')}) and the QUIC v1 "
            f"handshake to {server}:443 completes ({fr(m, 'ctl-c')} client, {fr(m, 'ctl-s')} "
            f"server: Initial with ACK and ServerHello, Handshake and 1-RTT packets). After "
            f"an ordinary visit to www.baidu.com the app resolves discord.com to the same "
            f"shared address ({fr(m, 'dc-r')}) and sends a QUIC v1 Initial with SNI "
            f"discord.com (frame {ini[0]}, a real RFC 9001 Initial), retransmitted at +0.3, "
            f"+0.9, +2.1 and +4.5 s (frames {', '.join(map(str, ini[1:]))}). Nothing comes "
            f"back, and the app gives up without a TCP fallback. The same server address "
            f"and port answered QUIC for another name a minute earlier, and UDP/443 works "
            f"on this network, so the drop follows the name in the Initial: SNI-based QUIC "
            f"blocking (fingerprints QUIC-01). A blackhole finding for discord.com.")
        shows = [
            f"{qr(m, 'cf')}: www.cloudflare.com -> {server}",
            f"{fr(m, 'ctl-c')} / {fr(m, 'ctl-s')}: a QUIC v1 connection to {server}:443 with "
            f"SNI www.cloudflare.com, answered",
            f"{qr(m, 'bd')}: www.baidu.com, TLS 1.3 works",
            f"{qr(m, 'dc')}: discord.com -> {server}",
            f"{fr(m, 'initial')}: QUIC v1 Initials with SNI discord.com at +0, +0.3, +0.9, "
            f"+2.1, +4.5 s; nothing returns",
            f"{qr(m, 'qq')}: www.qq.com, TLS 1.3 works",
        ]
        return about, shows

    return finish(sc, "quic-blackhole-other-name-works", "quic_blackhole_other_name_works",
                  eth(cmac, gmac), linktype=1, ng=True, nano=True,
                  fmt="pcapng, Ethernet, ns (if_tsresol 9)", text=text,
                  expect=[{"mechanism": "blackhole", "domain": "discord.com"}],
                  refs=[REF_QUIC, "RFC 9000 §17.2.2; RFC 9001 §5",
                        "Zohaib et al., *Exposing and Circumventing SNI-based QUIC Censorship "
                        "of the Great Firewall of China*, USENIX Security 2025"])


def benign_quic_lost_then_same_name_works() -> Capture:
    """On a congested café Wi-Fi, QUIC for www.example-news.de to a shared CDN address is
    answered for another name, then two Initials for www.example-news.de are lost; the
    browser's next attempt 12 s later for the same name on the same address is answered."""
    sc = Scene(0x5CE0_0061, start=9 * 3600 * NS + 13 * NS)
    cmac, gmac = "a4:83:e7:2c:90:5d", "00:0c:42:9e:17:b3"
    cl = Client(sc, "10.42.7.119", ttl=64, ipid=0x5D01, mac=cmac)
    res = Resolver(sc, "10.42.0.1", ttl=64, step=None)
    server = "151.101.65.140"
    t = lookup(sc, cl, res, 0, "static.example-news.de", "A",
               [("static.example-news.de", "A", 300, server)], 41_800 * US, mark="st")
    t = quic_works(sc, cl, server, t + 1_300 * US, "static.example-news.de", 61_700 * US,
                   sttl=57, mark="ctl")
    t = lookup(sc, cl, res, t + 2_900 * MS, "www.example-news.de", "A",
               [("www.example-news.de", "A", 300, server)], 88_400 * US, mark="news")
    dgrams, _dcid, _ = quic_client_datagrams(sc, "www.example-news.de", 2)
    port = cl.new_port()
    t += 1_200 * US
    for off, d in zip((0, 400 * MS), dgrams, strict=True):
        sc.add(t + off, cl.udp(server, port, 443, d), True, "lost")
    t = quic_works(sc, cl, server, t + 12_300 * MS, "www.example-news.de", 64_900 * US,
                   sttl=57, mark="again")
    t = lookup(sc, cl, res, t + 3_100 * MS, "www.wikipedia.org", "A",
               [("www.wikipedia.org", "CNAME", 86400, "dyna.wikimedia.org"),
                ("dyna.wikimedia.org", "A", 600, "185.15.59.224")], 35_200 * US, mark="wiki")
    browse_tls13(sc, cl, "185.15.59.224", t + 800 * US, 52_600 * US, "www.wikipedia.org",
                 sttl=55, mss=1460, ws=9, response=21000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A laptop on a busy café Wi-Fi (10.42.7.119) loads static.example-news.de over "
            f"HTTP/3 from a shared CDN address, {server} ({fr(m, 'ctl-c')} / "
            f"{fr(m, 'ctl-s')}: answered). The next page, www.example-news.de on the same "
            f"address, starts with two QUIC Initials that get nothing back "
            f"({fr(m, 'lost')}, 0.4 s apart): the Wi-Fi drops them, and the browser abandons "
            f"the attempt. 12.3 s later it tries the same name on the same address again, "
            f"and the handshake is answered at once ({fr(m, 'again-c')} / "
            f"{fr(m, 'again-s')}). Trap: QUIC Initials unanswered while the same server "
            f"answers QUIC for another name (the SNI-based QUIC blocking pattern). Not "
            f"censorship: the same name works on the same server seconds later, and the "
            f"GFW's drop would also have blocked the whole address for 180 s.")
        shows = [
            f"{qr(m, 'st')}: static.example-news.de -> {server}",
            f"{fr(m, 'ctl-c')} / {fr(m, 'ctl-s')}: QUIC with SNI static.example-news.de, "
            f"answered",
            f"{qr(m, 'news')}: www.example-news.de -> {server}",
            f"{fr(m, 'lost')}: two QUIC Initials with SNI www.example-news.de, no answer",
            f"{fr(m, 'again-c')} / {fr(m, 'again-s')}: QUIC with SNI www.example-news.de, "
            f"12.3 s later, answered",
            f"{qr(m, 'wiki')}: www.wikipedia.org, TLS 1.3 works",
        ]
        return about, shows

    return finish(sc, "benign-quic-lost-then-same-name-works",
                  "benign_quic_lost_then_same_name_works", eth(cmac, gmac), linktype=1,
                  ng=True, nano=True, fmt="pcapng, Ethernet, ns (if_tsresol 9)", text=text,
                  expect=[], observations=["blackhole"],
                  refs=[REF_QUIC, ref_trap(6, "timeouts that are not blocking")])


def benign_quic_unanswered_no_control() -> Capture:
    """`curl --http3-only` to quic.nginx.org: four Initials (ngtcp2-style: 1200 bytes, PTO
    doubling from 1 s), never answered; nothing else ever goes to that server. Without a
    control this is only an observation."""
    sc = Scene(0x5CE0_0015, start=20 * 3600 * NS + 5 * NS)
    cmac, gmac = "52:54:00:8e:2d:17", "52:54:00:12:35:02"
    cl = Client(sc, "192.168.0.44", ttl=64, ipid=0x0444, mac=cmac)
    res = Resolver(sc, "1.1.1.1", ttl=56, step=None)
    t = lookup(sc, cl, res, 0, "www.debian.org", "A",
               [("www.debian.org", "A", 300, "130.89.148.77")], 18_422 * US, mark="deb")
    t = browse_tls13(sc, cl, "130.89.148.77", t + 1_500 * US, 29_815 * US, "www.debian.org",
                     sttl=51, mss=1460, ws=9, response=15000)
    server = "3.125.197.172"
    t = lookup(sc, cl, res, t + 5_560 * MS, "quic.nginx.org", "A",
               [("quic.nginx.org", "A", 300, server)], 17_950 * US, mark="ng")
    dgrams, dcid, _ = quic_client_datagrams(sc, "quic.nginx.org", 4, pad_to=1200,
                                            scid=sc.rnd.randbytes(18))
    port = cl.new_port()
    t += 700 * US
    qid = sc.rnd.getrandbits(16)
    for i, (off, d) in enumerate(zip((0, 999 * MS, 2_997 * MS, 6_993 * MS), dgrams,
                                     strict=True)):
        sc.add(t + off, udp4(cl.ip, port, server, 443, d, ttl=64, ipid=(qid + i) & 0xFFFF,
                             df=True), True, "initial")
    t += 12_410 * MS
    t = lookup(sc, cl, res, t, "www.kernel.org", "A",
               [("www.kernel.org", "CNAME", 600, "ord.git.kernel.org"),
                ("ord.git.kernel.org", "A", 600, "147.75.58.133")], 19_031 * US, mark="k")
    browse_tls13(sc, cl, "147.75.58.133", t + 1_100 * US, 118_530 * US, "www.kernel.org",
                 sttl=50, mss=1460, ws=9, response=21000)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        ini = m["initial"]
        about = (
            f"A Linux client (192.168.0.44) browses www.debian.org normally over TLS 1.3, "
            f"then the user runs `curl --http3-only https://quic.nginx.org/`: the name "
            f"resolves to {server} ({fr(m, 'ng-r')}) and curl (ngtcp2) sends a QUIC v1 "
            f"Initial (frame {ini[0]}: 1200 bytes, DCID {dcid.hex()}, 18-byte SCID, SNI "
            f"quic.nginx.org), then retransmits it as its probe timer doubles, 1, 3 and 7 s "
            f"later (frames {ini[1]}, {ini[2]}, {ini[3]}), and gives up. Nothing comes back. "
            f"Unlike quic-blackhole-tcp-works, nothing else is ever sent to {server} (no "
            f"TCP, no other UDP) and the capture holds no other QUIC flow, so there is no "
            f"control: a server without HTTP/3, a UDP-filtering firewall or a "
            f"censor would all look like this (catalogue §15.6). It must not be a finding; "
            f"a detector should record it as a weak 'blackhole' observation. The client "
            f"later visits www.kernel.org normally.")
        shows = [
            f"{qr(m, 'deb')}: ordinary lookup and TLS 1.3 visit",
            f"{qr(m, 'ng')}: quic.nginx.org -> {server}",
            f"{fr(m, 'initial')}: QUIC v1 Initials at +0, +1, +3, +7 s, never answered; no "
            f"other traffic to {server}",
            f"{qr(m, 'k')}: www.kernel.org, TLS 1.3 works",
        ]
        return about, shows

    return finish(sc, "benign-quic-unanswered-no-control", "benign_quic_unanswered_no_control",
                  cooked(True, cmac, gmac), linktype=276, ng=False,
                  fmt="pcap (µs), Linux cooked v2 (SLL2)", text=text, expect=[],
                  observations=["blackhole"],
                  refs=[REF_QUIC, ref_trap(6, "timeouts that are not blocking"),
                        f"{FP} §1 (control comparison)"])


def benign_quic_udp443_blocked_network() -> Capture:
    """A guest Wi-Fi drops all UDP to port 443: Chrome's QUIC Initials to four sites on three
    networks go unanswered, and each site loads over TCP/TLS from the same address a moment
    later. QUIC fails everywhere and works nowhere: a network's policy, not a block of a
    name."""
    sc = Scene(0x5CE0_0031, start=9 * 86_400 * NS + 19 * 3600 * NS + 12 * 60 * NS)
    cmac, gmac = "a0:78:17:6c:5e:21", "00:0c:e6:41:9a:03"
    cl = Client(sc, "10.60.14.201", ttl=64, ipid=0x51D0, mac=cmac)
    res = Resolver(sc, "10.60.0.1", ttl=64, step=None)
    sites = [("www.google.com", "142.250.74.100", 57, 11_400), ("www.youtube.com",
             "142.250.74.110", 57, 11_900), ("www.cloudflare.com", "104.16.124.96", 58, 9_800),
             ("www.instagram.com", "157.240.20.174", 55, 24_100)]
    t = 0
    for i, (name, server, sttl, rtt_us) in enumerate(sites):
        t = lookup(sc, cl, res, t + 2_100 * MS, name, "A", [(name, "A", 300, server)],
                   9_700 * US, mark=f"s{i}")
        dgrams, _, _ = quic_client_datagrams(sc, name, 3)
        qport = cl.new_port()
        t += 900 * US
        qid = sc.rnd.getrandbits(16)
        for j, (off, d) in enumerate(zip((0, 300 * MS, 900 * MS), dgrams, strict=True)):
            sc.add(t + off, udp4(cl.ip, qport, server, 443, d, ttl=64,
                                 ipid=(qid + j) & 0xFFFF, df=True), True, f"q{i}")
        # Chrome races TCP 300 ms in; the page loads over TLS
        t = browse_tls13(sc, cl, server, t + 300 * MS, rtt_us * US, name, sttl=sttl,
                         mss=1400, ws=8, response=12_000 + 3_000 * i)

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            "A laptop on a hotel's guest Wi-Fi (10.60.14.201), whose firewall drops all UDP "
            "to port 443. Chrome visits www.google.com, www.youtube.com, www.cloudflare.com "
            "and www.instagram.com. For each it sends a QUIC v1 Initial and two "
            "retransmissions, never answered, and 300 ms in races a TCP connection to the "
            "same address, whose TLS handshake completes and whose page loads. QUIC fails to "
            "every server the capture tries, on three networks (Google, Cloudflare, Meta), "
            "and works to none: the network drops UDP/443, it blocks no name in particular. "
            "Not censorship of these sites (catalogue QUIC-01, false-positive traps); at most "
            "observations that QUIC went unanswered.")
        shows = [f"{qr(m, f's{i}')}, {fr(m, f'q{i}')}: {name} -> {server}; QUIC Initials "
                 f"unanswered, then TCP/TLS to the same address works"
                 for i, (name, server, _, _) in enumerate(sites)]
        return about, shows

    return finish(sc, "benign-quic-udp443-blocked-network", "benign_quic_udp443_blocked_network",
                  eth(cmac, gmac), linktype=1, ng=False, fmt="pcap, Ethernet, µs", text=text,
                  expect=[], observations=["blackhole"],
                  refs=[REF_QUIC, ref_trap(6, "timeouts that are not blocking")])


def zscaler_chain() -> tuple[list[bytes], Ed25519PrivateKey]:
    """leaf www.bbc.co.uk <- 'Zscaler Intermediate Root CA (zscaler.net) (t)' <- 'Zscaler
    Intermediate Root CA (zscaler.net)' <- 'Zscaler Root CA' (root not sent)."""
    base = [(NameOID.COUNTRY_NAME, "US"), (NameOID.STATE_OR_PROVINCE_NAME, "California")]
    org = [(NameOID.ORGANIZATION_NAME, "Zscaler Inc."),
           (NameOID.ORGANIZATIONAL_UNIT_NAME, "Zscaler Inc.")]
    root = dn(*base, (NameOID.LOCALITY_NAME, "San Jose"), *org,
              (NameOID.COMMON_NAME, "Zscaler Root CA"),
              (NameOID.EMAIL_ADDRESS, "support@zscaler.com"))
    inter = dn(*base, *org, (NameOID.COMMON_NAME, "Zscaler Intermediate Root CA (zscaler.net)"))
    issuing = dn(*base, *org,
                 (NameOID.COMMON_NAME, "Zscaler Intermediate Root CA (zscaler.net) (t)"))
    kr, ki, kt, kl = (ed_key("zscaler/" + n) for n in ("root", "inter", "issuing", "leaf"))
    c_inter = certificate(inter, root, ki, kr, 0x2E8F1A04, "2014-12-19 00:00:00",
                          "2039-12-13 00:00:00", ca=True, path_len=1)
    c_issuing = certificate(issuing, inter, kt, ki, 0x45C1D8B3, "2020-11-02 00:00:00",
                            "2021-05-02 00:00:00", ca=True, path_len=0)
    leaf_name = dn((NameOID.COUNTRY_NAME, "GB"), (NameOID.LOCALITY_NAME, "London"),
                   (NameOID.ORGANIZATION_NAME, "British Broadcasting Corporation"),
                   (NameOID.COMMON_NAME, "www.bbc.co.uk"))
    leaf = certificate(leaf_name, issuing, kl, kt, 0x7D03A2F6E1B94C58, "2021-02-06 11:42:10",
                       "2021-02-20 11:42:10", ca=False, dns_names=["www.bbc.co.uk"])
    return [leaf, c_issuing, c_inter], kl


def corp_inspection_chain(name: str, serial: int) -> tuple[list[bytes], Ed25519PrivateKey]:
    """leaf ``name`` <- 'Northwind Traders Inspection CA' <- 'Northwind Traders Root CA' (root
    not sent): a company's own TLS inspection proxy, in no product list."""
    org = [(NameOID.COUNTRY_NAME, "NL"), (NameOID.ORGANIZATION_NAME, "Northwind Traders B.V.")]
    root = dn(*org, (NameOID.COMMON_NAME, "Northwind Traders Root CA"))
    issuing = dn(*org, (NameOID.ORGANIZATIONAL_UNIT_NAME, "IT Security"),
                 (NameOID.COMMON_NAME, "Northwind Traders Inspection CA"))
    kr, ki, kl = (ed_key("northwind/" + n) for n in ("root", "issuing", "leaf/" + name))
    c_issuing = certificate(issuing, root, ki, kr, 0x1D04, "2023-01-09 00:00:00",
                            "2033-01-06 00:00:00", ca=True, path_len=0)
    leaf = certificate(dn((NameOID.COMMON_NAME, name)), issuing, kl, ki, serial,
                       "2025-03-03 08:00:00", "2025-03-17 08:00:00", ca=False, dns_names=[name])
    return [leaf, c_issuing], kl


def benign_tls_blanket_inspection() -> Capture:
    """A company's own TLS inspection proxy (an issuer in no product list) re-signs every site
    the laptop visits: four public names, each with a chain from 'Northwind Traders
    Inspection CA', and no site in the capture with a publicly trusted chain. Interception of
    everything by one private issuer is the network owner's proxy, not a censor's
    substitution for chosen names."""
    sc = Scene(0x5CE0_0032, start=63 * 86_400 * NS + 8 * 3600 * NS + 41 * 60 * NS)
    cmac, gmac = "48:2a:e3:1c:90:7e", "00:1b:17:00:01:10"
    cl = Client(sc, "10.30.12.58", ttl=128, ipid=0x0F40, mac=cmac)
    res = Resolver(sc, "10.30.0.10", ttl=128, ipid=0x2200, step=(1, 9))
    sites = [("www.nytimes.com", "151.101.1.164", 57), ("stackoverflow.com", "104.18.32.7", 57),
             ("www.wikipedia.org", "185.15.59.224", 55), ("pypi.org", "151.101.64.223", 57)]
    t = 0
    for i, (name, server, sttl) in enumerate(sites):
        t = lookup(sc, cl, res, t + 1_900 * MS, name, "A", [(name, "A", 300, server)],
                   2_400 * US, mark=f"d{i}")
        chain, leaf_k = corp_inspection_chain(name, 0x4E00_1000 + i)
        k = conn(sc, cl, server, 443, sttl=sttl, mss=1400, ws=8)
        t = handshake(sc, k, t + 900 * US, 11_300 * US, f"s{i}")
        t = tls12_session(sc, k, t, 11_340 * US, name, chain, leaf_k, f"s{i}", 1388,
                          alpn=b"http/1.1", response=(1388, 1388, 700), mark=f"s{i}")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            "A managed Windows laptop (10.30.12.58) at a company whose firewall inspects TLS "
            "with its own CA, 'Northwind Traders Inspection CA' (under 'Northwind Traders "
            "Root CA', which the company installs on its machines; neither is in any product "
            "list). Four public sites, www.nytimes.com, stackoverflow.com, www.wikipedia.org "
            "and pypi.org, each answer with TLS 1.2 and a two-week leaf for their name from "
            "that CA, and each handshake completes. Every chain the capture shows comes from "
            "the one private issuer and none from a public CA: the network intercepts all "
            "TLS, as corporate and antivirus proxies do, rather than substituting "
            "certificates for chosen names (catalogue TLS-04 false-positive traps). Not "
            "censorship; at most an observation.")
        shows = [f"{qr(m, f'd{i}')}, {fr(m, f's{i}-cert')}: {name}: TLS 1.2, chain from "
                 f"'Northwind Traders Inspection CA'; the handshake completes"
                 for i, (name, _, _) in enumerate(sites)]
        return about, shows

    return finish(sc, "benign-tls-blanket-inspection", "benign_tls_blanket_inspection",
                  eth(cmac, gmac), linktype=1, ng=True, fmt="pcapng, Ethernet, µs", text=text,
                  expect=[], observations=["tls-mitm"],
                  refs=[REF_TLS04, ref_trap(5, "enterprise/AV TLS inspection")])


def benign_tls_corporate_inspection() -> Capture:
    """Office network with Zscaler TLS inspection: www.bbc.co.uk is answered with TLS 1.2 and
    a chain issued by 'Zscaler Intermediate Root CA (zscaler.net) (t)'; the managed laptop
    trusts the Zscaler root, so the handshake completes."""
    sc = Scene(0x5CE0_0016, start=9 * 3600 * NS + 58 * 60 * NS)
    cmac, gmac = "98:e7:43:0c:6a:d1", "00:09:0f:09:00:12"
    cl = Client(sc, "10.12.40.77", ttl=64, ipid=0x5D00, mac=cmac)
    res = Resolver(sc, "10.12.0.53", ttl=63, ipid=0x0F00, step=(1, 30))
    ms_name = "login.mso.msidentity.com"
    t = lookup(sc, cl, res, 0, "login.microsoftonline.com", "A",
               [("login.microsoftonline.com", "CNAME", 120, ms_name),
                (ms_name, "CNAME", 120, "ak.privatelink.msidentity.com"),
                ("ak.privatelink.msidentity.com", "CNAME", 120, "www.tm.ak.prd.aadg.akadns.net"),
                ("www.tm.ak.prd.aadg.akadns.net", "A", 30, "20.190.160.17")], 3_120 * US,
               mark="ms")
    t = browse_tls13(sc, cl, "20.190.160.17", t + 1_300 * US, 24_560 * US,
                     "login.microsoftonline.com", sttl=112, mss=1440, ws=8, response=6400)
    t = lookup(sc, cl, res, t + 2_480 * MS, "www.bbc.co.uk", "A",
               [("www.bbc.co.uk", "CNAME", 226, "www.bbc.net.uk"),
                ("www.bbc.net.uk", "A", 113, "212.58.233.252")], 2_870 * US, mark="bbc")
    chain, leaf_k = zscaler_chain()
    k = conn(sc, cl, "212.58.233.252", 443, sttl=54, mss=1400, ws=9)
    t = handshake(sc, k, t + 1_000 * US, 9_874 * US, "z")
    tls12_session(sc, k, t, 9_902 * US, "www.bbc.co.uk", chain, leaf_k, "zscaler", 1388,
                  alpn=b"http/1.1", response=(1388, 1388, 1388, 1388, 904), mark="z")

    def text(m: dict[str, list[int]]) -> tuple[str, list[str]]:
        about = (
            f"A managed Linux laptop (10.12.40.77) on an office network whose internet "
            f"traffic is tunnelled through Zscaler, with the company resolver 10.12.0.53. "
            f"login.microsoftonline.com is exempt from inspection and loads over TLS 1.3 "
            f"({fr(m, 'ms-r')} onwards). `curl https://www.bbc.co.uk/` resolves the name "
            f"({fr(m, 'bbc-r')}) and connects to 212.58.233.252 ({fr(m, 'z-syn')}); the "
            f"ClientHello ({fr(m, 'z-ch')}, SNI www.bbc.co.uk) is answered by the Zscaler "
            f"node with TLS 1.2 ({fr(m, 'z-cert')}) and a chain: leaf 'CN=www.bbc.co.uk, "
            f"O=British Broadcasting Corporation' (valid two weeks) issued by 'CN=Zscaler "
            f"Intermediate Root CA (zscaler.net) (t)', issued by 'CN=Zscaler Intermediate "
            f"Root CA (zscaler.net)', issued by 'CN=Zscaler Root CA' (not sent). The "
            f"company installed the Zscaler root on the laptop, so the handshake completes "
            f"({fr(m, 'z-finished')}). This *is* interception, but enterprise TLS "
            f"inspection the organisation chose, not state censorship (catalogue §4 TLS-04 "
            f"FP traps, §15.5). The expected outcome is no finding; a tls-mitm finding is "
            f"tolerated only if it names the enterprise product (Zscaler) as the "
            f"interceptor rather than presenting it as censorship.")
        shows = [
            f"{qr(m, 'ms')}: ordinary lookup; TLS 1.3 (not inspected)",
            f"{qr(m, 'bbc')}: www.bbc.co.uk -> 212.58.233.252",
            f"{fr(m, 'z-ch')}: ClientHello, SNI www.bbc.co.uk",
            f"{fr(m, 'z-cert')}: ServerHello (TLS 1.2) + Certificate: leaf, 'Zscaler "
            f"Intermediate Root CA (zscaler.net) (t)', 'Zscaler Intermediate Root CA "
            f"(zscaler.net)'",
            f"{fr(m, 'z-finished')}: handshake completes; application data follows",
        ]
        return about, shows

    return finish(sc, "benign-tls-corporate-inspection", "benign_tls_corporate_inspection",
                  eth(cmac, gmac), linktype=1, ng=True, fmt="pcapng, Ethernet, µs", text=text,
                  expect=[], allow=[{"mechanism": "tls-mitm"}],
                  refs=[REF_TLS04, ref_trap(5, "enterprise/AV TLS inspection")],
                  note="A `tls-mitm` finding is tolerated, not wanted: enterprise inspection "
                       "is interception, and a report may say so, but the finding must name "
                       "the enterprise product (Zscaler, from the issuer DN) as the "
                       "interceptor and must not present it as state censorship. The "
                       "scoring files cannot check that wording; a reviewer must.")


# ============================================================================ the index

SCENARIOS: dict[str, Callable[[], Capture]] = {
    "dns-injection-race-gfw": dns_injection_race_gfw,
    "dns-injection-two-injectors-ipv6": dns_injection_two_injectors_ipv6,
    "dns-injection-wallbleed-txt": dns_injection_wallbleed_txt,
    "dns-injection-nxdomain-race": dns_injection_nxdomain_race,
    "dns-injection-tcp-race": dns_injection_tcp_race,
    "dns-tampering-a-for-aaaa": dns_tampering_a_for_aaaa,
    "dns-tampering-iran-blockpage-ip": dns_tampering_iran_blockpage_ip,
    "dns-tampering-turkmen-localhost": dns_tampering_turkmen_localhost,
    "dns-tampering-gfw-lie-ip": dns_tampering_gfw_lie_ip,
    "tls-mitm-kazakhstan": tls_mitm_kazakhstan,
    "tls-mitm-untrusted-selfsigned-public": tls_mitm_untrusted_selfsigned_public,
    "benign-tls-selfsigned-expired-site": benign_tls_selfsigned_expired_site,
    "quic-blackhole-tcp-works": quic_blackhole_tcp_works,
    "blackhole-ip-dns-corroborated": blackhole_ip_dns_corroborated,
    "benign-dns-retransmit-duplicate": benign_dns_retransmit_duplicate,
    "benign-dns-tcp-retransmitted": benign_dns_tcp_retransmitted,
    "benign-dns-round-robin": benign_dns_round_robin,
    "benign-dns-relay-two-upstreams": benign_dns_relay_two_upstreams,
    "benign-dns64-relay-two-upstreams": benign_dns64_relay_two_upstreams,
    "dns-injection-router-relay": dns_injection_router_relay,
    "benign-dns-relay-geo-ipv6": benign_dns_relay_geo_ipv6,
    "benign-dns-relay-ipid-zero": benign_dns_relay_ipid_zero,
    "dns-injection-router-relay-ipv6": dns_injection_router_relay_ipv6,
    "benign-dns-cdn-different-resolvers": benign_dns_cdn_different_resolvers,
    "benign-dns-nxdomain": benign_dns_nxdomain,
    "benign-dns-private-internal": benign_dns_private_internal,
    "benign-dns-google-ip-for-google": benign_dns_google_ip_for_google,
    "benign-tls-selfsigned-router": benign_tls_selfsigned_router,
    "benign-quic-answered": benign_quic_answered,
    "benign-quic-unanswered-no-control": benign_quic_unanswered_no_control,
    "quic-blackhole-other-name-works": quic_blackhole_other_name_works,
    "benign-quic-lost-then-same-name-works": benign_quic_lost_then_same_name_works,
    "benign-quic-udp443-blocked-network": benign_quic_udp443_blocked_network,
    "benign-tls-blanket-inspection": benign_tls_blanket_inspection,
    "benign-tls-corporate-inspection": benign_tls_corporate_inspection,
}


def expect_json(c: Capture) -> bytes:
    doc: dict[str, object] = {"about": c.about, "expect": c.expect, "allow": c.allow}
    if c.observations:
        doc["observations"] = c.observations
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()


def readme(c: Capture) -> bytes:
    lines = [
        f"# {c.name}",
        "",
        f"Crafted by `{SCRIPT}`, function `{c.fn}`; no packet was ever on a network.",
        f"Regenerate with `python {SCRIPT}` (`--check` compares with the files on disk).",
        "",
        f"`{c.filename}`: {c.fmt}, {c.frames} frames, {len(c.data)} bytes. Frame numbers "
        "are 1-based, in file order, as Wireshark numbers them.",
        "",
        "## What happens",
        "",
        c.about,
        "",
        "## Key frames",
        "",
        *[f"- {s}" for s in c.shows],
        "",
        "## Expected result",
        "",
    ]
    if c.expect:
        lines += [f"- must report `{e['mechanism']}` for `{e.get('domain') or e.get('ip')}`"
                  for e in c.expect]
    else:
        lines.append("- no finding")
    lines += [f"- may also report `{a['mechanism']}`" for a in c.allow]
    lines += [f"- must record a `{o}` observation (weak signal, not a finding)"
              for o in c.observations]
    if c.note:
        lines += ["", c.note]
    lines += ["", "## References", "", *[f"- {r}" for r in c.refs], ""]
    return "\n".join(lines).encode()


def files_of(c: Capture) -> dict[str, bytes]:
    return {c.filename: c.data, "expect.json": expect_json(c), "README.md": readme(c)}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="compare with the files on disk instead of writing them")
    ap.add_argument("--out", type=Path, default=OUT, help="the scenarios directory")
    ap.add_argument("names", nargs="*", help="only these scenarios (default: all)")
    args = ap.parse_args(argv)
    self_test_quic()
    unknown = [n for n in args.names if n not in SCENARIOS]
    if unknown:
        ap.error("unknown scenario: " + ", ".join(unknown))
    differ = []
    for name in args.names or list(SCENARIOS):
        c = SCENARIOS[name]()
        assert c.name == name, (c.name, name)
        directory = args.out / name
        for fname, data in files_of(c).items():
            path = directory / fname
            if args.check:
                if not path.exists() or path.read_bytes() != data:
                    differ.append(f"{name}/{fname}")
                continue
            directory.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if not args.check:
            print(f"{name:40} {c.filename:15} {c.frames:4} frames {len(c.data):7} bytes")
    if differ:
        print("differ from the generator: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
