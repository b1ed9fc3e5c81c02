#!/usr/bin/env python3
"""Crafted test scenarios for the TCP-level detection rules, byte for byte.

    python captures/scenarios_tcp.py              # writes tests/scenarios/<name>/
    python captures/scenarios_tcp.py --check      # exits 1 if a file on disk differs
    python captures/scenarios_tcp.py NAME...      # only the named scenarios

Each scenario is a directory ``tests/scenarios/<name>/`` holding the capture
(``capture.pcap`` or ``capture.pcapng``), ``expect.json`` (the findings a detector must and
may report) and ``README.md`` (provenance, what happens frame by frame, references). All
three are written by this script, so the frame numbers in the texts always match the file.

Positive scenarios show a censorship mechanism packet by packet as documented in
``../shared/research/fingerprints.md`` (RST-01..08, TLS-01/02, THR-01, IP-01/RES-01,
HTTP-01); benign scenarios are look-alikes from ordinary stacks that must produce no
finding. Every capture is *crafted*: no packet was ever on a network. Time stamps,
sequence numbers, IP IDs and "random" bytes come from fixed values and a fixed seed per
scenario, so every run writes the same bytes. Packets are built with scapy (checksums
computed by scapy); the TLS records, pcap/pcapng writers and link layers come from
``captures/generate.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from scapy.layers.inet import ICMP, IP, TCP
from scapy.layers.inet6 import ICMPv6DestUnreach, IPv6
from scapy.packet import Raw

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from generate import (  # noqa: E402  (captures/ is not a package)
    MS,
    NS,
    T0,
    US,
    Rec,
    app_data,
    client_hello,
    dns_answer,
    dns_query,
    ether,
    ng_block,
    ng_epb,
    ng_idb,
    ng_options,
    pcap,
    segments,
    server_flight,
    session_id_of,
    sll,
    sll2,
    udp4,
    udp6,
)

OUT = HERE.parent / "tests" / "scenarios"
SCRIPT = "captures/scenarios_tcp.py"
FINGERPRINTS = "`../shared/research/fingerprints.md`"


def at(iso: str) -> int:
    """Seconds since the epoch of an ISO-8601 UTC time (a fixed capture date)."""
    return int(datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp())


# ============================================================================ endpoints


class IdGen:
    """An IPv4 ID source: a counter (per connection on Linux, per host on Windows); ``busy``
    hosts also send to others, so their counter advances by a random step between ours."""

    def __init__(self, start: int, rnd: random.Random | None = None, busy: int = 0) -> None:
        self.v = start & 0xFFFF
        self.rnd = rnd
        self.busy = busy

    def next(self) -> int:
        v = self.v
        step = 1 + (self.rnd.randrange(self.busy) if self.rnd and self.busy else 0)
        self.v = (v + step) & 0xFFFF
        return v


def syn_options(os: str, mss: int, ws: int, ts: bool, synack: bool) -> list[tuple[str, object]]:
    """The option layout each stack puts in its SYN or SYN/ACK (``ts``: with timestamps)."""
    if os == "windows":
        if synack:
            return [("MSS", mss), ("NOP", None), ("WScale", ws), ("SAckOK", b"")]
        return [("MSS", mss), ("NOP", None), ("WScale", ws), ("NOP", None), ("NOP", None),
                ("SAckOK", b"")]
    if os == "mac" and not synack:
        return [("MSS", mss), ("NOP", None), ("WScale", ws), ("NOP", None), ("NOP", None),
                ("Timestamp", None), ("SAckOK", b""), ("EOL", None)]
    if ts:
        return [("MSS", mss), ("SAckOK", b""), ("Timestamp", None), ("NOP", None),
                ("WScale", ws)]
    return [("MSS", mss), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None),
            ("WScale", ws)]


@dataclass
class End:
    """One end of a TCP connection: addresses, stack, and the state of what it sent."""

    ip: str
    port: int
    seq: int
    ttl: int
    ids: IdGen
    os: str = "linux"          # linux | windows | mac: option layout, SYN/ACK IP ID
    mss: int = 1460
    ws: int = 7
    win_syn: int = 64240
    win: int = 502             # the (scaled) window once the SYN is sent
    tsclock: int | None = None  # TCP timestamp clock offset (ms); None: no timestamps
    df: bool = True
    fl: int = 0                # IPv6 flow label
    last_tsval: int = 0


class Flow:
    """Builds the packets of one TCP connection into a :class:`Sim`, keeping sequence and
    acknowledgment numbers, IP IDs, TCP options and timestamps consistent."""

    def __init__(self, sim: Sim, c: End, s: End, v6: bool = False) -> None:
        self.sim = sim
        self.c = c
        self.s = s
        self.v6 = v6
        self.ts = c.tsclock is not None and s.tsclock is not None
        self.tag: str | None = None   # every packet of the flow is recorded under "@tag"

    def side(self, who: str) -> tuple[End, End]:
        return (self.c, self.s) if who == "c" else (self.s, self.c)

    def pkt(self, who: str, t: int, flags: str, payload: bytes = b"", *,
            seq: int | None = None, ack: int | None = None, ttl: int | None = None,
            ipid: int | None = None, win: int | None = None, df: bool | None = None,
            opts: list[tuple[str, object]] | None = None,
            sack: Sequence[tuple[int, int]] = (), advance: bool = True,
            fl: int | None = None, label: str | None = None) -> None:
        me, peer = self.side(who)
        if opts is None:
            if "S" in flags:
                base = syn_options(me.os, me.mss, me.ws,
                                   me.tsclock is not None if who == "c" else self.ts,
                                   synack=who == "s")
            else:
                base = [("NOP", None), ("NOP", None), ("Timestamp", None)] if self.ts else []
                if sack:
                    blocks = tuple(x & 0xFFFFFFFF for blk in sack[:3] for x in blk)
                    base = [*base, ("NOP", None), ("NOP", None), ("SAck", blocks)]
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
        if win is None:
            win = me.win_syn if "S" in flags else me.win
        tcp = TCP(sport=me.port, dport=peer.port, seq=s & 0xFFFFFFFF,
                  ack=(a & 0xFFFFFFFF) if "A" in flags else 0, flags=flags, window=win,
                  options=opts)
        if self.v6:
            ip = IPv6(src=me.ip, dst=peer.ip, hlim=me.ttl if ttl is None else ttl,
                      fl=me.fl if fl is None else fl)
        else:
            if ipid is None:
                ipid = 0 if ("S" in flags and "A" in flags and me.os == "linux") \
                    else me.ids.next()
            ip = IP(src=me.ip, dst=peer.ip, ttl=me.ttl if ttl is None else ttl, id=ipid,
                    flags="DF" if (me.df if df is None else df) else 0)
        if advance and seq is None:
            me.seq += len(payload) + ("S" in flags) + ("F" in flags)
        raw = bytes(ip / tcp / Raw(payload)) if payload else bytes(ip / tcp)
        self.sim.add(t, raw, who == "c", label, self.tag)

    def inject(self, t: int, flags: str, payload: bytes = b"", *, ttl: int, win: int,
               ipid: int = 0, df: bool = False, seq: int | None = None,
               ack: int | None = None, fl: int = 0, label: str | None = None) -> None:
        """A packet forged by a middlebox in the server's name: no TCP options, its own
        TTL/IP ID/DF/window, sequence numbers fitting the stream unless given."""
        self.pkt("s", t, flags, payload, seq=self.s.seq if seq is None else seq,
                 ack=self.c.seq if ack is None else ack, ttl=ttl, ipid=ipid, win=win, df=df,
                 opts=[], advance=False, fl=fl, label=label)

    def stack_rst(self, who: str, t: int, seq: int, *, label: str | None = None) -> None:
        """A RST the kernel of ``who`` sends for a segment that has no socket any more:
        flags R, seq = the segment's ACK, window 0, no options (Linux: IP ID 0, DF)."""
        me, _ = self.side(who)
        ipid = 0 if me.os == "linux" else None
        self.pkt(who, t, "R", seq=seq, win=0, opts=[], ipid=ipid, df=True, advance=False,
                 label=label)


# ============================================================================ the simulation


def wire_ns(size: int, rate: float) -> int:
    """Time a segment of ``size`` payload bytes takes at ``rate`` bit/s (with headers)."""
    return int((size + 66) * 8 * NS / rate)


@dataclass
class Client:
    """The capturing host."""

    ip: str
    os: str = "linux"
    ttl: int = 64
    ip6: str = ""
    mac: str = "3c:22:fb:5a:10:23"
    ids: IdGen | None = None     # one counter for the host (Windows); None: per socket
    next_port: int = 0           # Windows hands out ports in sequence


class Sim:
    """Collects the packets of one capture (in any order; sorted by time at the end)."""

    def __init__(self, start: int, seed: int, client: Client, *, resolver: str = "",
                 resolver_ttl: int = 64, gw_mac: str = "c8:3a:35:0e:41:01") -> None:
        self.t0 = start * NS
        self.start = start
        self.rnd = random.Random(seed)
        self.cl = client
        self.resolver = resolver
        self.resolver_ttl = resolver_ttl
        self.gw_mac = gw_mac
        self._pk: list[tuple[int, int, bytes, bool, str | None, str | None]] = []
        self.frames: dict[str, list[int]] = {}
        self.order: list[tuple[int, bytes, bool]] = []

    # --------------------------------------------------------------- bookkeeping

    def add(self, t: int, ip: bytes, out: bool, label: str | None = None,
            tag: str | None = None) -> None:
        self._pk.append((t, len(self._pk), ip, out, label, tag))

    def finish(self) -> None:
        self.order = []
        self.frames = {}
        for n, (t, _, ip, out, label, tag) in enumerate(sorted(self._pk), 1):
            self.order.append((t, ip, out))
            if label:
                self.frames.setdefault(label, []).append(n)
            if tag:
                self.frames.setdefault("@" + tag, []).append(n)

    def span(self, tag: str) -> str:
        """'frames a-b': the first and last frame of a tagged flow."""
        nums = self.frames["@" + tag]
        return f"frames {nums[0]}-{nums[-1]}"
    def f(self, label: str) -> int:
        """The (first) frame number of a labelled packet."""
        return self.frames[label][0]

    def fr(self, *labels: str) -> str:
        """'frame 7' / 'frames 7-9' / 'frames 3, 8, 12' for the packets of the labels."""
        nums = sorted(n for lb in labels for n in self.frames[lb])
        if len(nums) == 1:
            return f"frame {nums[0]}"
        if nums == list(range(nums[0], nums[-1] + 1)):
            return f"frames {nums[0]}-{nums[-1]}"
        return "frames " + ", ".join(map(str, nums))

    def count(self) -> int:
        return len(self.order)

    def recs(self, link: Callable[[bytes, bool], bytes]) -> list[Rec]:
        return [Rec(self.t0 + t, link(ip, out)) for t, ip, out in self.order]

    def ms(self, a: str, b: str) -> str:
        """Milliseconds between the first packets of two labels, for the texts."""
        ta = self.order[self.f(a) - 1][0]
        tb = self.order[self.f(b) - 1][0]
        return f"{(tb - ta) / MS:.1f} ms"

    # --------------------------------------------------------------- endpoints

    def port(self) -> int:
        if self.cl.os == "windows":
            self.cl.next_port += 1
            return self.cl.next_port
        return self.rnd.randrange(33_000, 60_999)

    def tcp(self, server: str, sport: int, *, ttl: int, os: str = "linux", mss: int = 1460,
            ws: int = 7, win_syn: int = 65160, win: int = 509, ts: bool = True,
            ids: IdGen | None = None, v6: bool = False, cport: int | None = None,
            server_df: bool = True) -> Flow:
        """A new connection from the capturing client to ``server:sport``."""
        rnd = self.rnd
        cl = self.cl
        if cl.os == "windows":
            c = End(cl.ip6 if v6 else cl.ip, cport or self.port(), rnd.getrandbits(32), cl.ttl,
                    cl.ids or IdGen(rnd.getrandbits(16)), os="windows",
                    mss=1440 if v6 else 1460, ws=8, win_syn=64240, win=1026)
        elif cl.os == "mac":
            c = End(cl.ip6 if v6 else cl.ip, cport or rnd.randrange(49_152, 65_535),
                    rnd.getrandbits(32), cl.ttl, IdGen(rnd.getrandbits(16)), os="mac",
                    mss=1440 if v6 else 1460, ws=6, win_syn=65535, win=2058,
                    tsclock=rnd.getrandbits(32))
        else:
            c = End(cl.ip6 if v6 else cl.ip, cport or self.port(), rnd.getrandbits(32), cl.ttl,
                    IdGen(rnd.getrandbits(16)), mss=1440 if v6 else 1460, ws=7,
                    win_syn=64800 if v6 else 64240, win=502, tsclock=rnd.getrandbits(32))
        if v6:
            c.fl = rnd.getrandbits(20)
        s = End(server, sport, rnd.getrandbits(32), ttl, ids or IdGen(rnd.getrandbits(16)),
                os=os, mss=mss, ws=ws, win_syn=win_syn, win=win,
                tsclock=rnd.getrandbits(32) if ts and os != "windows" else None, df=server_df,
                fl=rnd.getrandbits(20) if v6 else 0)
        return Flow(self, c, s, v6)

    # --------------------------------------------------------------- DNS

    def lookup(self, t: int, name: str, answers: list[tuple[str, str, int, str]] | None,
               rtt: int, *, qtype: str = "A", label: str | None = None,
               v6: bool = False) -> int:
        """A DNS query from the client and (unless ``answers`` is None) the resolver's
        single answer ``rtt`` later. Returns the time of the answer."""
        rnd = self.rnd
        txid = rnd.getrandbits(16)
        sport = self.port() if self.cl.os == "windows" else rnd.randrange(33_000, 60_999)
        q = dns_query(txid, name, qtype)
        win = self.cl.os == "windows"
        if v6:
            self.add(t, udp6(self.cl.ip6, sport, self.resolver, 53, q, hlim=self.cl.ttl), True,
                     label)
        else:
            ipid = self.cl.ids.next() if self.cl.ids else rnd.getrandbits(16)
            self.add(t, udp4(self.cl.ip, sport, self.resolver, 53, q, ttl=self.cl.ttl,
                             ipid=ipid, df=not win), True, label)
        if answers is None:
            return t
        a = dns_answer(txid, name, answers, qtype)
        if v6:
            self.add(t + rtt, udp6(self.resolver, 53, self.cl.ip6, sport, a,
                                   hlim=self.resolver_ttl), False, label and label + ":ans")
        else:
            self.add(t + rtt, udp4(self.resolver, 53, self.cl.ip, sport, a,
                                   ttl=self.resolver_ttl, ipid=rnd.getrandbits(16)), False,
                     label and label + ":ans")
        return t + rtt

    # --------------------------------------------------------------- TCP building blocks

    def handshake(self, f: Flow, t: int, rtt: int, label: str | None = None) -> int:
        if f.tag is None:
            f.tag = label
        f.pkt("c", t, "S", label=label and label + ":syn")
        f.pkt("s", t + rtt, "SA", label=label and label + ":synack")
        t += rtt + 90 * US
        f.pkt("c", t, "A", label=label and label + ":ack")
        return t

    def deliver(self, f: Flow, t: int, data: bytes, *, rate: float = 50e6,
                ack_every: int = 2, label: str | None = None, mss: int | None = None) -> int:
        """Server→client data arriving at ``rate``; the client ACKs every ``ack_every``
        segments and the last. Returns the time of the last packet."""
        segs = segments(data, mss or min(f.s.mss, f.c.mss) - (12 if f.ts else 0))
        pending = 0
        end = t
        for i, seg in enumerate(segs):
            last = i == len(segs) - 1
            f.pkt("s", t, "PA" if last else "A", seg, label=label if i == 0 else None)
            pending += 1
            end = t
            if pending == ack_every or last:
                end = t + 28 * US
                f.pkt("c", end, "A")
                pending = 0
            t += wire_ns(len(seg), rate)
        return end

    def send(self, f: Flow, who: str, t: int, data: bytes, label: str | None = None) -> int:
        """Data from one side in MSS-sized segments sent back to back (no ACKs)."""
        me, peer = f.side(who)
        for i, seg in enumerate(segments(data, min(me.mss, peer.mss) - (12 if f.ts else 0))):
            f.pkt(who, t, "PA", seg, label=label if i == 0 else None)
            t += 15 * US
        return t - 15 * US

    def close(self, f: Flow, t: int, rtt: int, first: str = "c", label: str | None = None) -> int:
        """FIN from ``first``, FIN from the other side, last ACK (all three labelled)."""
        if first == "c":
            f.pkt("c", t, "FA", label=label)
            f.pkt("s", t + rtt, "FA", label=label)
            f.pkt("c", t + rtt + 70 * US, "A", label=label)
            return t + rtt + 70 * US
        f.pkt("s", t, "FA", label=label)
        f.pkt("c", t + 180 * US, "FA", label=label)
        f.pkt("s", t + 180 * US + rtt, "A", label=label)
        return t + 180 * US + rtt

    def tls_open(self, f: Flow, t: int, rtt: int, sni: str | None, *, cert: int = 2980,
                 rate: float = 50e6, label: str | None = None,
                 flight: Callable[[int, bytes], int] | None = None) -> int:
        """ClientHello, the server's flight (through ``flight`` when given), the client's
        Finished and first request. Returns the time of the request."""
        rnd = self.rnd
        ch = client_hello(sni, rnd)
        t += 220 * US
        f.pkt("c", t, "PA", ch, label=label and label + ":ch")
        data = server_flight(rnd, session_id_of(ch), cert)
        if flight is None:
            t = self.deliver(f, t + rtt + 650 * US, data, rate=rate,
                             label=label and label + ":sh")
        else:
            t = flight(t + rtt + 650 * US, data)
        t += 1_900 * US
        f.pkt("c", t, "PA", b"\x14\x03\x03\x00\x01\x01" + app_data(rnd, 53))
        t += 110 * US
        f.pkt("c", t, "PA", app_data(rnd, 185 + rnd.randrange(60)), label=label and label + ":req")
        return t

    def tls(self, f: Flow, t: int, rtt: int, sni: str, *, resp: Sequence[int] = (3200,),
            cert: int = 2980, rate: float = 50e6, think: int = 1 * MS,
            label: str | None = None) -> int:
        """A TLS 1.3 session: :meth:`tls_open`, then the response records. Returns the time
        of the last packet."""
        t = self.tls_open(f, t, rtt, sni, cert=cert, rate=rate, label=label)
        return self.deliver(f, t + rtt + think, app_data(self.rnd, *resp), rate=rate,
                            label=label and label + ":resp")

    def http(self, f: Flow, t: int, rtt: int, request: bytes, response: bytes, *,
             rate: float = 50e6, think: int = 1 * MS, label: str | None = None) -> int:
        t += 180 * US
        f.pkt("c", t, "PA", request, label=label and label + ":req")
        return self.deliver(f, t + rtt + think, response, rate=rate,
                            label=label and label + ":resp")


# ============================================================================ bulk transfers


class Receiver:
    """The client side of a bulk download: cumulative ACKs every ``ack_every`` in-order
    segments (or when the 40 ms delayed-ACK timer fires), an immediate ACK with SACK blocks
    for every segment that arrives beyond a hole, and an immediate ACK when a hole fills."""

    def __init__(self, f: Flow, base: int, segs: Sequence[bytes], ack_every: int = 2) -> None:
        self.f = f
        self.base = base
        self.offs = [0]
        for s in segs:
            self.offs.append(self.offs[-1] + len(s))
        self.got = [False] * len(segs)
        self.rcv = 0
        self.pending = 0
        self.pending_t = 0
        self.ack_every = ack_every
        self.last_ooo = -1
        self.dupacks = 0
        self.last_t = 0

    def _blocks(self) -> list[tuple[int, int]]:
        runs: list[tuple[int, int]] = []
        i = self.rcv
        while i < len(self.got):
            if self.got[i]:
                j = i
                while j < len(self.got) and self.got[j]:
                    j += 1
                runs.append((i, j))
                i = j
            else:
                i += 1
        runs.sort(key=lambda r: not (r[0] <= self.last_ooo < r[1]))
        return [(self.base + self.offs[a], self.base + self.offs[b]) for a, b in runs]

    def _ack(self, t: int, sack: Sequence[tuple[int, int]] = ()) -> None:
        self.f.pkt("c", t, "A", ack=self.base + self.offs[self.rcv], sack=sack)
        self.last_t = t

    def flush(self, t: int) -> None:
        if self.pending and self.pending_t + 40 * MS <= t:
            self._ack(self.pending_t + 40 * MS)
            self.pending = 0

    def arrive(self, idx: int, t: int) -> None:
        self.flush(t)
        ta = t + 24 * US
        if self.got[idx]:                      # a spurious retransmission: D-SACK
            a, b = self.base + self.offs[idx], self.base + self.offs[idx + 1]
            self._ack(ta, [(a, b)])
            return
        self.got[idx] = True
        if idx == self.rcv:
            while self.rcv < len(self.got) and self.got[self.rcv]:
                self.rcv += 1
            if any(self.got[self.rcv:]):       # still a hole further on
                self._ack(ta, self._blocks())
            elif self.dupacks:                 # the hole just filled
                self.dupacks = 0
                self.pending = 0
                self._ack(ta)
            else:
                self.pending += 1
                if self.pending == 1:
                    self.pending_t = t
                if self.pending >= self.ack_every or self.rcv == len(self.got):
                    self._ack(ta)
                    self.pending = 0
        else:                                  # beyond a hole: duplicate ACK with SACK
            self.last_ooo = idx
            self.dupacks += 1
            self.pending = 0
            self._ack(ta, self._blocks())

    def done(self) -> bool:
        return self.rcv == len(self.got)


def reno_download(sim: Sim, f: Flow, t: int, data: bytes, *, rtt: int, rate: float,
                  loss: float = 0.0, cwnd: int = 10, label: str | None = None,
                  rto: int = 220 * MS) -> int:
    """Server→client bulk data under a Reno-like sender: each round (one RTT, or longer
    when the bottleneck at ``rate`` is full) carries ``cwnd`` segments, retransmissions
    first; a lost segment (probability ``loss``) is retransmitted in the next round after
    the client's duplicate ACKs and halves cwnd; a round with nothing delivered waits for
    the retransmission timeout. Returns the time of the last packet."""
    rnd = sim.rnd
    segs = segments(data, min(f.s.mss, f.c.mss) - (12 if f.ts else 0))
    base = f.s.seq
    rx = Receiver(f, base, segs)
    lost: list[int] = []
    nxt = 0
    ssthresh = 1 << 30
    first = True
    while not rx.done():
        burst = [(i, True) for i in lost[:cwnd]]
        lost = lost[cwnd:]
        while nxt < len(segs) and len(burst) < cwnd:
            burst.append((nxt, False))
            nxt += 1
        tt = t
        delivered = 0
        dropped = False
        for idx, _retx in burst:
            seg = segs[idx]
            if idx >= 3 and rnd.random() < loss:
                lost.append(idx)
                dropped = True
            else:
                last = idx == len(segs) - 1
                f.pkt("s", tt, "PA" if last else "A", seg, seq=base + rx.offs[idx],
                      advance=False, label=label if first else None)
                first = False
                rx.arrive(idx, tt)
                delivered += 1
            tt += wire_ns(len(seg), rate)
        lost.sort()
        if dropped:
            ssthresh = max(cwnd // 2, 2)
            cwnd = ssthresh
        elif cwnd < ssthresh:
            cwnd *= 2
        else:
            cwnd += 1
        t = max(t + rtt, tt + 200 * US) if delivered else t + rto
    rx.flush(rx.last_t + 41 * MS)
    f.s.seq = base + len(data)
    return rx.last_t


def policed_download(sim: Sim, f: Flow, t: int, data: bytes, *, rtt: int, rate: float,
                     every: tuple[int, int], label: str | None = None) -> int:
    """Server→client data through a policer that passes ``rate`` bit/s and drops the
    excess: segments arrive paced at the policed rate; now and then one is missing (every
    ``every[0]``..``every[1]`` segments), the client sends duplicate ACKs with SACK for the
    segments after it, and the sender's fast retransmission arrives one RTT after the
    third duplicate ACK, taking its place in the paced stream."""
    rnd = sim.rnd
    segs = segments(data, min(f.s.mss, f.c.mss) - (12 if f.ts else 0))
    base = f.s.seq
    rx = Receiver(f, base, segs)
    nxt = 0
    hole: int | None = None
    ready = 0
    dup_seen = 0
    until_drop = rnd.randint(*every)
    first = True
    while not rx.done():
        if hole is not None and dup_seen >= 3 and t >= ready:
            idx = hole
            hole = None
            dup_seen = 0
            until_drop = rnd.randint(*every)
        elif nxt < len(segs):
            idx = nxt
            nxt += 1
            if hole is None and idx > 6 and nxt < len(segs) - 2:
                until_drop -= 1
                if until_drop == 0:            # the policer drops this one
                    hole = idx
                    continue
        else:                                   # only the hole is left: wait for it
            t = max(t, ready)
            continue
        seg = segs[idx]
        last = idx == len(segs) - 1
        f.pkt("s", t, "PA" if last else "A", seg, seq=base + rx.offs[idx], advance=False,
              label=label if first else None)
        first = False
        rx.arrive(idx, t)
        if hole is not None and idx > hole:
            dup_seen += 1
            if dup_seen == 3:
                ready = t + rtt + rnd.randrange(2 * MS)
        t += int(wire_ns(len(seg), rate) * rnd.uniform(0.9, 1.1))
    rx.flush(rx.last_t + 41 * MS)
    f.s.seq = base + len(data)
    return rx.last_t


# ============================================================================ output


def eth_link(cmac: str, gmac: str) -> Callable[[bytes, bool], bytes]:
    def link(ip: bytes, out: bool) -> bytes:
        return ether(ip, cmac, gmac) if out else ether(ip, gmac, cmac, pad=True)
    return link


def sll_link(cmac: str, gmac: str) -> Callable[[bytes, bool], bytes]:
    return lambda ip, out: sll(ip, out, cmac if out else gmac)


def sll2_link(cmac: str, gmac: str, ifindex: int = 3) -> Callable[[bytes, bool], bytes]:
    return lambda ip, out: sll2(ip, out, cmac if out else gmac, ifindex)


def raw_link(ip: bytes, out: bool) -> bytes:
    return ip


def as_pcapng(sim: Sim, link: Callable[[bytes, bool], bytes], linktype: int, *, ifname: str,
              tsresol: int = 6, os_name: str = "") -> bytes:
    o = "<"
    opts = [(1, b"Crafted by captures/scenarios_tcp.py; no packet here was ever on a network.")]
    if os_name:
        opts.append((3, os_name.encode()))
    opts.append((4, b"captures/scenarios_tcp.py (crafted capture)"))
    out = ng_block(0x0A0D0D0A, struct.pack(o + "IHHq", 0x1A2B3C4D, 1, 0, -1)
                   + ng_options(opts, o), o)
    out += ng_idb(linktype, o, name=ifname, tsresol=tsresol)
    div = NS // 10 ** tsresol
    for r in sim.recs(link):
        out += ng_epb(0, r.ts // div, r.data, o)
    return out


@dataclass
class Built:
    """One scenario as written to disk."""

    capture: str
    data: bytes
    about: str
    expect: list[dict[str, str]]
    allow: list[dict[str, str]] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    readme: str = ""

    def expect_json(self) -> str:
        doc: dict[str, object] = {"about": self.about, "expect": self.expect,
                                  "allow": self.allow}
        if self.observations:
            doc["observations"] = self.observations
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def readme(name: str, fn: Callable[[], Built], fmt: str, shows: str, expected: str,
           refs: Iterable[str]) -> str:
    return (f"# {name}\n\n"
            f"Crafted by `{SCRIPT}`, function `{fn.__name__}`; no packet was ever on a network."
            f" Regenerate with `python {SCRIPT} {name}` (byte-identical output).\n\n"
            f"**Capture:** {fmt}\n\n"
            f"## What the capture shows\n\n{shows.strip()}\n\n"
            f"## Expected result\n\n{expected.strip()}\n\n"
            "## References\n\n" + "".join(f"- {r}\n" for r in refs))


def fmt_line(sim: Sim, capture: str, kind: str) -> str:
    when = datetime.fromtimestamp(sim.start, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"`{capture}`, {kind}; {sim.count()} frames; starts {when}."


# ============================================================================ references

REF_RST01 = (f"{FINGERPRINTS} §2 RST-01 (generic forged-RST detection; Weaver, Sommer, Paxson, "
             "*Detecting Forged TCP Reset Packets*, NDSS 2009)")
REF_RST03 = (f"{FINGERPRINTS} §2 RST-03 (GFW type I/II/III resets; Wu et al., *A Wall Behind "
             "A Wall: Emerging Regional Censorship in China*, IEEE S&P 2025, Table "
             "\"fingerprint\"; Wang et al., *Your State is Not Mine*, IMC 2017 / INTANG)")
REF_TLS01 = f"{FINGERPRINTS} §4 TLS-01 (SNI-triggered RST; natural control: same IP, other SNI)"
REF_TRAPS = f"{FINGERPRINTS} §15 false-positive traps"
REF_PRIM = f"{FINGERPRINTS} §1 cross-cutting primitives (race, TTL delta, IP ID, DF, window)"
REF_CONTRACT = "`../shared/CONTRACT.md` (mechanism vocabulary; findings vs observations)"


# ============================================================================ scenarios


def rst_gfw_type1_sni() -> Built:
    """GFW type I: one forged RST (flags exactly R, IP ID 0, DF=0, window != 0, TTL far
    from the server's) 17.9 ms after a ClientHello for www.bbc.com; ordinary browsing
    around it."""
    cl = Client("192.168.31.104", mac="a4:50:46:1c:7e:93")
    sim = Sim(at("2023-11-14T02:13:05"), 101, cl, resolver="192.168.31.1", resolver_ttl=64,
              gw_mac="50:64:2b:8e:21:f0")
    rnd = sim.rnd
    # ordinary browsing: www.baidu.com over TLS
    t = sim.lookup(0, "www.baidu.com", [("www.baidu.com", "CNAME", 1042, "www.a.shifen.com"),
                                        ("www.a.shifen.com", "A", 212, "110.242.68.4"),
                                        ("www.a.shifen.com", "A", 212, "110.242.68.3")],
                   11_382 * US, label="dns1")
    k = sim.tcp("110.242.68.4", 443, ttl=53, mss=1440, ws=9)
    t = sim.handshake(k, t + 1_400 * US, 28_417 * US, label="baidu")
    t = sim.tls(k, t, 28_390 * US, "www.baidu.com", resp=(1380, 14200, 9100), rate=80e6,
                label="baidu")
    # the blocked site: address from the browser's cache, TLS to Fastly
    srv = "151.101.0.81"
    k = sim.tcp(srv, 443, ttl=49, ws=9, win=285)
    t = sim.handshake(k, t + 1_873 * MS, 186_204 * US, label="bbc")
    ch = client_hello("www.bbc.com", rnd)
    t += 240 * US
    k.pkt("c", t, "PA", ch, label="bbc:ch")
    t += 17_923 * US
    k.inject(t, "R", ttl=96, ipid=0, df=False, win=7983, label="rst")
    # more ordinary browsing: www.qq.com
    t = sim.lookup(t + 2_310 * MS, "www.qq.com",
                   [("www.qq.com", "CNAME", 300, "ins-r23tsuuf.ias.tencent-cloud.net"),
                    ("ins-r23tsuuf.ias.tencent-cloud.net", "A", 60, "121.14.77.221")],
                   9_870 * US, label="dns2")
    k2 = sim.tcp("121.14.77.221", 443, ttl=52, mss=1400, ws=8)
    t = sim.handshake(k2, t + 1_100 * US, 34_980 * US, label="qq")
    t = sim.tls(k2, t, 35_004 * US, "www.qq.com", resp=(1220, 16384, 16384, 6230), rate=60e6,
                label="qq")
    sim.finish()

    data = as_pcapng(sim, eth_link(cl.mac, sim.gw_mac), 1, ifname="wlan0", os_name="Linux 6.1")
    about = (
        "A Linux client in China opens TLS to a Fastly address (151.101.0.81:443). The "
        "SYN/ACK arrives after 186 ms with TTL 49 and IP ID 0 with DF (Linux). The client "
        "sends a ClientHello with SNI www.bbc.com. 17.9 ms later, far sooner than the "
        "server could answer, one RST arrives in the server's name. It has flags exactly R "
        "(no ACK), IP ID 0x0000, DF clear, window 7983, no TCP options and TTL 96, which "
        "differs from the server's 49 by 47. Its sequence number is exactly the server's "
        "next sequence number. This is the GFW type I reset (Wu et al. 2025): flags R, IP "
        "ID 0, DF=0 and window != 0 together, plus the TTL mismatch and the timing, show "
        "that a device on the path forged it. Nothing else comes from the server: the type "
        "I reset also goes to the server (not visible here) and reaches it before its TLS "
        "front end has answered. The browsing before and after (www.baidu.com, "
        "www.qq.com) is ordinary. "
        "Censorship: rst-injection for www.bbc.com.")
    shows = f"""
Client 192.168.31.104 (Linux, TTL 64, TCP timestamps), home router 192.168.31.1 as DNS
forwarder. Date 2023-11-14, inside the period of the Wu et al. measurements (Oct–Dec 2023).

- {sim.fr("dns1", "dns1:ans")}: DNS A www.baidu.com, one answer (CNAME www.a.shifen.com,
  110.242.68.4/.3).
- {sim.span("baidu")}: TLS 1.3 to 110.242.68.4:443 with SNI www.baidu.com. Handshake,
  ServerHello ({sim.fr("baidu:sh")}) and about 25 KB of application data. Ordinary traffic.
- {sim.fr("bbc:syn", "bbc:synack", "bbc:ack")}: handshake with 151.101.0.81:443.
  The server's SYN/ACK has TTL 49, IP ID 0, DF set, RTT 186.2 ms.
- {sim.fr("bbc:ch")}: ClientHello, SNI **www.bbc.com** (no DNS lookup in the capture: the
  address came from the browser's cache).
- {sim.fr("rst")}: **the forged RST**, {sim.ms("bbc:ch", "rst")} after the ClientHello.
  Flags exactly `R`, IP ID 0x0000, DF=0, window 7983, TTL 96 (server: 49, delta 47), no
  options, seq = the server's next sequence number (ISN+1).
- Nothing else arrives from 151.101.0.81: no ServerHello. The GFW sends its type I reset to
  the server as well, and here it reached the server before the server's TLS front end had
  answered (this scenario chooses "no late ServerHello"; rst-gfw-type2-sni-ipv6 and
  rst-henan-payload show the other case). The client's socket is gone, so it sends nothing
  either.
- {sim.fr("dns2", "dns2:ans")}, {sim.span("qq")}: DNS and TLS to www.qq.com. Ordinary.
"""
    expected = """
- `rst-injection` for domain `www.bbc.com` (must).
- `residual-blocking` may also be reported (the GFW keeps a 180 s residual state after a type
  I reset, though no later connection is in this capture).
- Nothing else.
"""
    b = Built("capture.pcapng", data, about, [{"mechanism": "rst-injection",
                                               "domain": "www.bbc.com"}],
              allow=[{"mechanism": "residual-blocking"}])
    b.readme = readme("rst-gfw-type1-sni", rst_gfw_type1_sni,
                      fmt_line(sim, "capture.pcapng", "pcapng, Ethernet, µs"), shows, expected,
                      [REF_RST03, REF_TLS01, REF_PRIM, REF_CONTRACT])
    return b



REF_RST02 = (f"{FINGERPRINTS} §2 RST-02 (Clayton, Murdoch, Watson, *Ignoring the Great "
             "Firewall of China*, PET 2006)")
REF_RST05 = f"{FINGERPRINTS} §2 RST-05 (Henan provincial firewall; Wu et al., IEEE S&P 2025)"
REF_RST06 = (f"{FINGERPRINTS} §2 RST-06 (GFW SYN-triggered RST+ACK bursts; gfw.report, "
             "*Analysis of the GFW's Unconditional Port 443 Block on August 20, 2025*, "
             "net4people/bbs#511)")
REF_RST07 = f"{FINGERPRINTS} §2 RST-07 (\"GFW at the edge\", net4people/bbs#248) and §15 trap 2"
REF_RST08 = f"{FINGERPRINTS} §2 RST-08 (SNI-triggered reset, Iran mobile; OONI 2020)"
REF_RES = (f"{FINGERPRINTS} §8 RES-01 (residual censorship table: GFW TLS SNI, 3-tuple, "
           "180 s, RST)")


def rst_gfw_type2_sni_ipv6() -> Built:
    """GFW type II over IPv6: three RST+ACK copies with identical seq/ack and window,
    hop limits 182/183/184 against the server's 52, 13.6 ms after the ClientHello; the
    server's genuine flight arrives afterwards and the client's kernel resets it."""
    cl = Client("", ip6="240e:3b4:38e4:9a70:e1c:4b7:66d0:1f3a", mac="f4:8c:50:2d:97:0e")
    sim = Sim(at("2023-12-05T13:40:22"), 102, cl, resolver="240e:4c:4008::1",
              resolver_ttl=58)
    rnd = sim.rnd
    t = sim.lookup(0, "www.taobao.com",
                   [("www.taobao.com", "CNAME", 60, "www.taobao.com.danuoyi.tbcache.com"),
                    ("www.taobao.com.danuoyi.tbcache.com", "AAAA", 60,
                     "240e:f7:a090:103:3::3fb")], 14_206 * US, qtype="AAAA", v6=True,
                   label="dns1")
    k = sim.tcp("240e:f7:a090:103:3::3fb", 443, ttl=55, mss=1440, ws=9, v6=True)
    t = sim.handshake(k, t + 900 * US, 31_770 * US, label="taobao")
    t = sim.tls(k, t, 31_702 * US, "www.taobao.com", resp=(1500, 16384, 12800), rate=90e6,
                label="taobao")
    t = sim.lookup(t + 3_412 * MS, "www.nytimes.com",
                   [("www.nytimes.com", "CNAME", 120, "nytimes.map.fastly.net"),
                    ("nytimes.map.fastly.net", "AAAA", 30, "2a04:4e42:600::644")],
                   19_385 * US, qtype="AAAA", v6=True, label="dns2")
    srv = "2a04:4e42:600::644"
    k = sim.tcp(srv, 443, ttl=52, mss=1440, ws=9, win=285, v6=True)
    rtt = 162_318 * US
    t = sim.handshake(k, t + 1_240 * US, rtt, label="nyt")
    ch = client_hello("www.nytimes.com", rnd)
    t += 230 * US
    t_ch = t
    k.pkt("c", t, "PA", ch, label="nyt:ch")
    t = t_ch + 13_642 * US
    for i, hl in enumerate((182, 183, 184)):
        k.inject(t + i * 53 * US, "RA", ttl=hl, win=2609, label="rst")
    ts = t_ch + rtt + 610 * US
    for i, seg in enumerate(segments(server_flight(rnd, session_id_of(ch), 2980), 1428)):
        k.pkt("s", ts, "A" if i < 2 else "PA", seg, label="late")
        k.stack_rst("c", ts + 31 * US, k.c.seq, label="crst")
        ts += 127 * US
    t = sim.lookup(ts + 2_870 * MS, "www.jd.com",
                   [("www.jd.com", "CNAME", 120, "www.jd.com.gslb.qianxun.com"),
                    ("www.jd.com.gslb.qianxun.com", "AAAA", 60, "240e:95c:2002:13:3::3fa")],
                   12_044 * US, qtype="AAAA", v6=True, label="dns3")
    k = sim.tcp("240e:95c:2002:13:3::3fa", 443, ttl=56, mss=1440, ws=8, v6=True)
    t = sim.handshake(k, t + 800 * US, 27_315 * US, label="jd")
    sim.tls(k, t, 27_290 * US, "www.jd.com", resp=(900, 16384, 16384, 3100), rate=90e6,
            label="jd")
    sim.finish()

    data = pcap(sim.recs(raw_link), 101, nano=True)
    about = (
        "IPv6 client in China (LINKTYPE_RAW capture). After ordinary browsing to "
        "www.taobao.com, the client resolves www.nytimes.com (one normal AAAA answer, "
        "Fastly 2a04:4e42:600::644) and connects to port 443. The server's SYN/ACK has hop "
        "limit 52 and the RTT is 162 ms. 13.6 ms after the ClientHello with SNI "
        "www.nytimes.com, three RST+ACKs arrive in the server's name. They are identical "
        "(same seq = the server's next sequence number, same ack = the end of the "
        "ClientHello, same window 2609, no options, flow label 0) except their hop limits "
        "182, 183 and 184. Those are 130 above the server's and rise by one per copy. This "
        "is the GFW type II reset (RST+ACK x3; IPv6 has no DF bit or IP ID, so those parts "
        "of the fingerprint do not apply). About one RTT after the ClientHello, the "
        "server's genuine ServerHello flight (hop limit 52) still arrives, because the "
        "server answered before the GFW's reset reached it. The client's kernel has already "
        "dropped the connection and answers each segment with a RST. That is race "
        "evidence: genuine data after the reset. Censorship: rst-injection for "
        "www.nytimes.com.")
    shows = f"""
Client 240e:3b4:38e4:9a70:e1c:4b7:66d0:1f3a (Linux, hop limit 64), resolver 240e:4c:4008::1.
All traffic is IPv6. The link type is LINKTYPE_RAW (101) with nanosecond time stamps.
Date 2023-12-05.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("taobao")}: AAAA www.taobao.com and an ordinary
  TLS 1.3 session to it.
- {sim.fr("dns2", "dns2:ans")}: AAAA www.nytimes.com, one ordinary answer
  (nytimes.map.fastly.net, 2a04:4e42:600::644).
- {sim.fr("nyt:syn", "nyt:synack", "nyt:ack")}: handshake to [2a04:4e42:600::644]:443. The
  SYN/ACK has hop limit 52, RTT 162.3 ms.
- {sim.fr("nyt:ch")}: ClientHello with SNI **www.nytimes.com**.
- {sim.fr("rst")}: **three forged RST+ACKs**, {sim.ms("nyt:ch", "rst")} after the
  ClientHello. They have the same seq (the server's ISN+1), the same ack (the end of the
  ClientHello) and the same window 2609, and no options. Their hop limits are 182, 183 and
  184 (server 52). Their flow label is 0 (the server uses its own nonzero label).
- {sim.fr("late")}: the genuine ServerHello/ChangeCipherSpec/encrypted flight from the
  server, hop limit 52, starting exactly at the sequence number the RSTs carried.
  {sim.ms("nyt:ch", "late")} after the ClientHello: the server answered before the reset
  reached it.
- {sim.fr("crst")}: the client's kernel answers each of those segments with a RST (flags
  R, seq = their ack), because its socket was reset.
- {sim.fr("dns3", "dns3:ans")}, {sim.span("jd")}: AAAA and TLS to www.jd.com. Ordinary.
"""
    expected = """
- `rst-injection` for domain `www.nytimes.com` (must).
- Nothing else. The client's own RSTs (outgoing) are not injection.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "rst-injection",
                                             "domain": "www.nytimes.com"}])
    b.readme = readme("rst-gfw-type2-sni-ipv6", rst_gfw_type2_sni_ipv6,
                      fmt_line(sim, "capture.pcap", "pcap, LINKTYPE_RAW (101), IPv6, ns"),
                      shows, expected, [REF_RST03, REF_RST01, REF_TLS01, REF_PRIM])
    return b


def rst_gfw_type3_host() -> Built:
    """GFW type III on HTTP: one RST+ACK with TTL 248, IP ID 0x9921, DF=0, 21.4 ms after
    a GET with Host www.example-blocked.org (server TTL 50, RTT 212 ms)."""
    cl = Client("192.168.0.105", mac="00:e0:4c:68:1a:3b")
    sim = Sim(at("2023-12-12T07:05:41"), 103, cl, resolver="114.114.114.114", resolver_ttl=85,
              gw_mac="d4:ee:07:5c:2e:10")
    t = sim.lookup(0, "www.sina.com.cn",
                   [("www.sina.com.cn", "CNAME", 60, "spool.grid.sinaedge.com"),
                    ("spool.grid.sinaedge.com", "A", 60, "123.126.45.205")], 24_880 * US,
                   label="dns1")
    k = sim.tcp("123.126.45.205", 80, ttl=54, ws=9)
    t = sim.handshake(k, t + 1_050 * US, 31_204 * US, label="sina")
    body = html_page("新浪首页", 8600, sim.rnd)
    t = sim.http(k, t, 31_190 * US, http_get("www.sina.com.cn", "/", FIREFOX),
                 http_200(body, "text/html", [("Server", "nginx"), ("Date", date_hdr(sim, 0)),
                                              ("Vary", "Accept-Encoding"),
                                              ("X-Cache", "HIT.133"),
                                              ("Via", "http/1.1 ctc.ningbo.ha2ts4.97")]),
                 rate=40e6, label="sina")
    t = sim.lookup(t + 4_120 * MS, "www.example-blocked.org",
                   [("www.example-blocked.org", "A", 3600, "185.199.108.153")], 31_517 * US,
                   label="dns2")
    k = sim.tcp("185.199.108.153", 80, ttl=50, ws=9, win=285)
    t = sim.handshake(k, t + 1_310 * US, 212_046 * US, label="blk")
    t += 190 * US
    k.pkt("c", t, "PA", http_get("www.example-blocked.org", "/news/", FIREFOX), label="get")
    k.inject(t + 21_402 * US, "RA", ttl=248, ipid=0x9921, df=False, win=4120, label="rst")
    t = sim.lookup(t + 3_210 * MS, "www.douban.com",
                   [("www.douban.com", "A", 300, "81.70.124.99")], 22_160 * US, label="dns3")
    k = sim.tcp("81.70.124.99", 443, ttl=52, mss=1400, ws=7)
    t = sim.handshake(k, t + 700 * US, 29_880 * US, label="douban")
    sim.tls(k, t, 29_905 * US, "www.douban.com", resp=(1210, 16384, 5400), rate=40e6,
            label="douban")
    sim.finish()

    data = pcap(sim.recs(sll_link(cl.mac, sim.gw_mac)), 113)
    about = (
        "A Linux client in China fetches http://www.example-blocked.org/news/ from "
        "185.199.108.153:80. The name resolves normally (one answer). The server's SYN/ACK "
        "has TTL 50 and the RTT is 212 ms. 21.4 ms after the GET, one RST+ACK arrives in "
        "the server's name. It has TTL 248, IP ID 0x9921, DF clear, window 4120 and no "
        "options. Its seq is the server's next sequence number and it acknowledges the "
        "whole GET. This is the GFW type III reset (TTL fixed at 248, IP ID in "
        "0x9916-0x9933, DF=0, RST+ACK x1). It arrived ten times faster than the server "
        "could answer, with a TTL 198 away from the server's. Nothing else arrives: the "
        "type III reset also reaches the server, while the server's application was still "
        "building the dynamic page. Before and after, ordinary HTTP (www.sina.com.cn) and "
        "TLS (www.douban.com) work. Censorship: rst-injection for the Host "
        "www.example-blocked.org.")
    shows = f"""
Client 192.168.0.105 (Linux), resolver 114.114.114.114. Linux cooked capture (SLL v1).
Date 2023-12-12.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("sina")}: DNS and an ordinary HTTP GET to
  www.sina.com.cn (200, 8.6 KB).
- {sim.fr("dns2", "dns2:ans")}: DNS A www.example-blocked.org, one answer 185.199.108.153.
- {sim.fr("blk:syn", "blk:synack", "blk:ack")}: handshake. SYN/ACK TTL 50, IP ID 0, DF;
  RTT 212.0 ms.
- {sim.fr("get")}: `GET /news/ HTTP/1.1` with `Host: www.example-blocked.org`.
- {sim.fr("rst")}: **the forged RST+ACK**, {sim.ms("get", "rst")} after the GET. TTL 248, IP
  ID 0x9921, DF=0, window 4120, no options, seq = the server's next sequence number,
  ack = the end of the GET.
- No response from the server follows.
- {sim.fr("dns3", "dns3:ans")}, {sim.span("douban")}: DNS and TLS to www.douban.com.
  Ordinary.
"""
    expected = """
- `rst-injection` for domain `www.example-blocked.org` (the HTTP Host) (must).
- Nothing else.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "rst-injection",
                                             "domain": "www.example-blocked.org"}])
    b.readme = readme("rst-gfw-type3-host", rst_gfw_type3_host,
                      fmt_line(sim, "capture.pcap", "pcap, Linux cooked (SLL, 113), µs"),
                      shows, expected,
                      [REF_RST03, f"{FINGERPRINTS} §2 RST-04 (GFW HTTP Host filtering)",
                       REF_PRIM])
    return b


def rst_henan_payload() -> Built:
    """Henan firewall: a Windows client's ClientHello (20-byte TCP header, no options) for
    www.realestate.com.au draws one RST+ACK 2.8 ms later: TTL 58, IP ID 1, DF=0, payload
    01..09 00; the genuine ServerHello still arrives one RTT later."""
    cl = Client("192.168.1.7", os="windows", ttl=128, mac="8c:16:45:a2:3e:71",
                ids=IdGen(0x3A07), next_port=52410)
    sim = Sim(at("2024-03-05T03:22:18"), 104, cl, resolver="202.102.224.68", resolver_ttl=59,
              gw_mac="e4:3e:c6:11:09:8a")
    rnd = sim.rnd
    t = sim.lookup(0, "www.baidu.com", [("www.baidu.com", "CNAME", 1200, "www.a.shifen.com"),
                                        ("www.a.shifen.com", "A", 300, "110.242.68.66")],
                   18_330 * US, label="dns1")
    k = sim.tcp("110.242.68.66", 443, ttl=53, mss=1440, ws=9)
    t = sim.handshake(k, t + 2_100 * US, 24_512 * US, label="baidu")
    t = sim.tls(k, t, 24_488 * US, "www.baidu.com", resp=(1380, 16384, 7000), rate=70e6,
                label="baidu")
    t = sim.lookup(t + 5_230 * MS, "www.realestate.com.au",
                   [("www.realestate.com.au", "CNAME", 60, "d1ufsx8n2hvkgn.cloudfront.net"),
                    ("d1ufsx8n2hvkgn.cloudfront.net", "A", 60, "13.35.166.102")], 33_093 * US,
                   label="dns2")
    k = sim.tcp("13.35.166.102", 443, ttl=47, ws=9, win=255)
    rtt = 96_204 * US
    t = sim.handshake(k, t + 1_800 * US, rtt, label="rea")
    ch = client_hello("www.realestate.com.au", rnd)
    t += 1_310 * US
    t_ch = t
    k.pkt("c", t, "PA", ch, label="rea:ch")
    k.inject(t + 2_833 * US, "RA", bytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 0]), ttl=58, ipid=0x0001,
             df=False, win=0, label="rst")
    ts = t_ch + rtt + 430 * US
    for i, seg in enumerate(segments(server_flight(rnd, session_id_of(ch), 3900), 1460)):
        k.pkt("s", ts, "A" if i < 2 else "PA", seg, label="late")
        k.stack_rst("c", ts + 48 * US, k.c.seq, label="crst")
        ts += 121 * US
    t = sim.lookup(ts + 3_770 * MS, "www.163.com",
                   [("www.163.com", "CNAME", 300, "www.163.com.163jiasu.com"),
                    ("www.163.com.163jiasu.com", "A", 60, "42.236.37.80")], 16_104 * US,
                   label="dns3")
    k = sim.tcp("42.236.37.80", 443, ttl=55, mss=1440, ws=8)
    t = sim.handshake(k, t + 1_500 * US, 11_870 * US, label="n163")
    sim.tls(k, t, 11_840 * US, "www.163.com", resp=(1300, 16384, 16384, 4600), rate=70e6,
            label="n163")
    sim.finish()

    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A Windows client in Henan (no TCP timestamps, so its data segments have a bare "
        "20-byte TCP header) opens TLS to CloudFront (13.35.166.102:443). The name "
        "www.realestate.com.au resolves normally. The SYN/ACK has TTL 47 and the RTT is 96 "
        "ms. The ClientHello with SNI www.realestate.com.au travels in a segment with no "
        "TCP options. 2.8 ms later, one RST+ACK arrives in the server's name with TTL 58, "
        "IP ID 0x0001, DF clear, window 0 and a 10-byte payload 01 02 03 04 05 06 07 08 09 "
        "00. That is the Henan provincial firewall's fingerprint (Wu et al. 2025: RST+ACK "
        "x1 to the client only, TTL 58, IP ID 1, the payload). The Henan firewall does not "
        "reset the server, so the server's genuine ServerHello flight (TTL 47, IP ID 0 "
        "SYN/ACK, then its own counter) still arrives one RTT after the ClientHello. The "
        "client's kernel answers each of those segments with a RST: genuine data after the "
        "reset. Ordinary TLS to www.baidu.com and www.163.com surrounds it. Censorship: "
        "rst-injection for www.realestate.com.au.")
    shows = f"""
Client 192.168.1.7 (Windows 10: TTL 128, one IP ID counter for the host, no TCP
timestamps, SYN options MSS/NOP/WS 8/NOP/NOP/SACK_PERM), ISP resolver 202.102.224.68.
Date 2024-03-05.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("baidu")}: DNS and ordinary TLS to www.baidu.com
  (its ClientHello also has a 20-byte TCP header; the name is not blocked).
- {sim.fr("dns2", "dns2:ans")}: DNS www.realestate.com.au → CloudFront 13.35.166.102 (one
  answer).
- {sim.fr("rea:syn", "rea:synack", "rea:ack")}: handshake. SYN/ACK TTL 47, IP ID 0, DF;
  RTT 96.2 ms.
- {sim.fr("rea:ch")}: ClientHello with SNI **www.realestate.com.au**. Its TCP header is
  exactly 20 bytes (data offset 5), which the Henan firewall requires.
- {sim.fr("rst")}: **the forged RST+ACK**, {sim.ms("rea:ch", "rst")} after the ClientHello.
  TTL 58, IP ID 0x0001, DF=0, window 0, seq = the server's next sequence number, ack = the
  end of the ClientHello. TCP payload (10 bytes) `01 02 03 04 05 06 07 08 09 00`.
- {sim.fr("late")}: the server's genuine flight (TTL 47), {sim.ms("rea:ch", "late")}
  after the ClientHello, starting at the sequence number the RST carried.
- {sim.fr("crst")}: the client's kernel resets each of them (flags R, window 0).
- {sim.fr("dns3", "dns3:ans")}, {sim.span("n163")}: DNS and TLS to www.163.com. Ordinary.

The window of the Henan RST is not documented. 0 was chosen, so TTL, IP ID, DF, payload,
timing and race carry the evidence here.
"""
    expected = """
- `rst-injection` for domain `www.realestate.com.au` (must).
- Nothing else. The Henan firewall has no residual blocking, and the client's own RSTs are
  not injection.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "rst-injection",
                                             "domain": "www.realestate.com.au"}])
    b.readme = readme("rst-henan-payload", rst_henan_payload,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, µs"), shows, expected,
                      [REF_RST05, REF_RST03, REF_RST01, REF_PRIM])
    return b


def rst_race_http_2006() -> Built:
    """Clayton 2006: GET /?falun draws three RST+ACKs (TTL server+8, seq base, +1460,
    +4380); the client ignores resets, so the genuine 200 response keeps arriving,
    interleaved with one more RST (seq +2920, ack after the GET)."""
    cl = Client("86.14.203.77", mac="00:0d:56:b1:4f:20")
    sim = Sim(at("2006-01-18T15:04:12"), 105, cl, resolver="194.168.4.100", resolver_ttl=61,
              gw_mac="00:0f:b5:3c:88:12")
    rnd = sim.rnd
    srv = "202.108.33.60"
    rtt = 246_110 * US
    t = sim.lookup(0, "www.sina.com.cn",
                   [("www.sina.com.cn", "CNAME", 60, "jupiter.sina.com.cn"),
                    ("jupiter.sina.com.cn", "A", 60, srv)], 268_040 * US, label="dns")

    def conn() -> Flow:
        k = sim.tcp(srv, 80, ttl=39, ws=0, win_syn=5792, win=5792, ts=False)
        k.c.ws, k.c.win_syn, k.c.win = 2, 5840, 1460
        return k

    page = html_page("新浪首页", 7200, rnd)
    resp = (b"HTTP/1.1 200 OK\r\nDate: Wed, 18 Jan 2006 15:04:12 GMT\r\nServer: Apache/2.0.54 "
            b"(Unix)\r\nLast-Modified: Wed, 18 Jan 2006 14:58:01 GMT\r\nContent-Type: text/html"
            b"\r\nContent-Length: " + str(len(page)).encode() + b"\r\nConnection: close\r\n\r\n"
            + page)
    # control: the same server without the keyword
    k = conn()
    t = sim.handshake(k, t + 1_200 * US, rtt, label="ok")
    t = sim.http(k, t, rtt, b"GET / HTTP/1.0\r\nHost: www.sina.com.cn\r\n\r\n", resp,
                 rate=2e6, think=2 * MS, label="ok")
    t = sim.close(k, t + 300 * US, rtt, first="s")
    # the keyword request
    k = conn()
    t = sim.handshake(k, t + 6_410 * MS, rtt, label="kw")
    get = b"GET /?falun HTTP/1.0\r\nHost: www.sina.com.cn\r\n\r\n"
    t += 170 * US
    c0 = k.c.seq
    k.pkt("c", t, "PA", get, label="get")
    base = k.s.seq
    t_rst = t + 196_240 * US
    for i, off in enumerate((0, 1460, 4380)):
        k.inject(t_rst + i * 92 * US, "RA", ttl=47, ipid=rnd.getrandbits(16), win=8800,
                 seq=base + off, ack=c0, label="rst")
    segs = segments(resp, 1460)
    ts = t + rtt + 2 * MS
    for i, seg in enumerate(segs):
        last = i == len(segs) - 1
        if i == 2:
            k.inject(ts - 2_600 * US, "RA", ttl=47, ipid=rnd.getrandbits(16), win=8800,
                     seq=base + 2920, ack=k.c.seq, label="rst2")
        k.pkt("s", ts, "PA" if last else "A", seg, label="data")
        if i % 2 == 1 or last:
            k.pkt("c", ts + 40 * US, "A", label="cack")
        ts += wire_ns(len(seg), 2e6)
    t = sim.close(k, ts + 150 * US, rtt, first="s", label="fin")
    sim.finish()

    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A client in the UK fetches pages from a web server in China (202.108.33.60, TTL "
        "39, RTT 246 ms), in the layout of Clayton, Murdoch and Watson's 2006 experiment. "
        "A plain `GET /` works (control). Then `GET /?falun` (Host www.sina.com.cn) draws "
        "three RST+ACKs 196 ms later in the server's name. They have TTL 47 (the server's "
        "TTL + 8: the injector is closer) and acknowledge the start of the GET. Their "
        "sequence numbers are the server's next sequence number, that + 1460 and that + "
        "4380: a stack never sends back-to-back RSTs with different sequence numbers. The "
        "client ignores resets (as in the paper), so the genuine `HTTP/1.1 200` response "
        "keeps arriving from the server with TTL 39, from the same sequence number the "
        "first RST claimed. It is interleaved with one more RST (seq + 2920, now "
        "acknowledging the whole GET). Then the server closes normally with FIN. Genuine "
        "data after RSTs, changing RST sequence and ack numbers, and a TTL 8 off are race "
        "evidence of forged resets. Censorship: rst-injection for the Host "
        "www.sina.com.cn (the trigger is the keyword in the path).")
    shows = f"""
Client 86.14.203.77 (Linux 2.6: window scale 2, no timestamps negotiated), server
202.108.33.60 (Apache, TTL 39, MSS 1460 segments). Dated January 2006, like the paper's traces.

- {sim.fr("dns", "dns:ans")}: DNS www.sina.com.cn → 202.108.33.60.
- {sim.span("ok")}: control. `GET / HTTP/1.0` on the same server, 200 OK (7.2 KB), the
  server closes with FIN. No reset.
- {sim.fr("kw:syn", "kw:synack", "kw:ack")}: new connection. SYN/ACK TTL 39.
- {sim.fr("get")}: `GET /?falun HTTP/1.0`, `Host: www.sina.com.cn`.
- {sim.fr("rst")}: **three forged RST+ACKs**, {sim.ms("get", "rst")} after the GET (the RTT
  is 246 ms). TTL 47, DF=0, window 8800, no options, unrelated IP IDs,
  ack = the start of the GET, seq = base, base+1460, base+4380 (base = the server's next
  sequence number).
- {sim.fr("data")}: the **genuine response** (`HTTP/1.1 200 OK`, TTL 39, the server's IP
  ID sequence). It starts at base, the first RST's sequence number. The client keeps
  ACKing ({sim.fr("cack")}).
- {sim.fr("rst2")}: one more forged RST+ACK (TTL 47) between the data segments,
  seq = base+2920, ack = the end of the GET.
- {sim.fr("fin")}: the server's FIN, the client's FIN, the final ACK.
"""
    expected = """
- `rst-injection` for domain `www.sina.com.cn` (the Host of the triggering request) (must).
- `packet-injection` may also be reported (forged packets raced into the stream).
- Nothing else. The control GET, without the keyword, is ordinary.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "rst-injection",
                                             "domain": "www.sina.com.cn"}],
              allow=[{"mechanism": "packet-injection"}])
    b.readme = readme("rst-race-http-2006", rst_race_http_2006,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, µs"), shows, expected,
                      [REF_RST02, REF_RST01, REF_PRIM])
    return b


def rst_edge_ttl_equal_race() -> Built:
    """"GFW at the edge" (2023): a RST+ACK with the server's exact TTL and window 0, 27 ms
    after the ClientHello; the server's genuine ServerHello arrives 31 ms later at the
    same sequence number (race)."""
    cl = Client("10.37.112.45", mac="6a:1f:0c:93:55:e2")
    sim = Sim(at("2023-05-22T12:31:09"), 106, cl, resolver="211.136.17.107", resolver_ttl=60,
              gw_mac="04:d9:f5:7a:c1:3e")
    rnd = sim.rnd
    t = sim.lookup(0, "www.bilibili.com",
                   [("www.bilibili.com", "CNAME", 300, "a.w.bilicdn1.com"),
                    ("a.w.bilicdn1.com", "A", 60, "120.92.78.97")], 21_406 * US, label="dns1")
    k = sim.tcp("120.92.78.97", 443, ttl=52, mss=1400, ws=9)
    t = sim.handshake(k, t + 1_300 * US, 38_211 * US, label="bili")
    t = sim.tls(k, t, 38_190 * US, "www.bilibili.com", resp=(1410, 16384, 16384), rate=30e6,
                label="bili")
    srv = "45.76.213.10"
    rtt = 58_420 * US
    k = sim.tcp(srv, 443, ttl=47, ws=7, win=502)
    t = sim.handshake(k, t + 2_615 * MS, rtt, label="vps")
    ch = client_hello("tk1.lumina-vps.net", rnd)
    t += 260 * US
    t_ch = t
    k.pkt("c", t, "PA", ch, label="vps:ch")
    k.inject(t + 27_302 * US, "RA", ttl=47, ipid=0x6B1E, df=True, win=0, label="rst")
    ts = t_ch + rtt + 580 * US
    for i, seg in enumerate(segments(server_flight(rnd, session_id_of(ch), 2600), 1448)):
        k.pkt("s", ts, "A" if i < 2 else "PA", seg, label="late")
        k.stack_rst("c", ts + 29 * US, k.c.seq, label="crst")
        ts += 140 * US
    t = sim.lookup(ts + 4_410 * MS, "www.zhihu.com",
                   [("www.zhihu.com", "CNAME", 600, "www.zhihu.com.ipv6.dsa.dnsv1.com"),
                    ("www.zhihu.com.ipv6.dsa.dnsv1.com", "A", 60, "101.89.125.240")],
                   19_950 * US, label="dns2")
    k = sim.tcp("101.89.125.240", 443, ttl=51, mss=1400, ws=8)
    t = sim.handshake(k, t + 900 * US, 33_470 * US, label="zhihu")
    sim.tls(k, t, 33_402 * US, "www.zhihu.com", resp=(1320, 16384, 9800), rate=30e6,
            label="zhihu")
    sim.finish()

    data = as_pcapng(sim, sll2_link(cl.mac, sim.gw_mac), 276, ifname="any", tsresol=9,
                     os_name="Linux 5.10 (Android 13)")
    about = (
        "A mobile client in China (Linux cooked v2 capture on the phone) connects to a VPS "
        "in Tokyo (45.76.213.10:443, SYN/ACK TTL 47, RTT 58.4 ms). It sends a ClientHello "
        "with SNI tk1.lumina-vps.net. 27.3 ms later, a RST+ACK arrives that a TTL/window "
        "heuristic cannot tell from the server's own: TTL 47 exactly like the server, DF "
        "set, window 0, seq = the server's next sequence number, ack = the end of the "
        "ClientHello. This is the 2023 \"GFW at the edge\" device near the user "
        "(net4people#248), which copies the genuine TTL. Two things still expose it. It "
        "arrives after half an RTT, before the ClientHello could have reached the server. "
        "And 31 ms later the server's genuine ServerHello flight arrives (TTL 47, the "
        "server's IP ID sequence) at exactly the sequence number the RST claimed as the "
        "end of the stream. A server that had reset the connection cannot send data after "
        "it. The client's kernel answers those segments with RSTs. Ordinary TLS to "
        "www.bilibili.com and www.zhihu.com surrounds it. Censorship: rst-injection for "
        "tk1.lumina-vps.net. The proof rests on the race, not on TTL or window.")
    shows = f"""
Client 10.37.112.45 (Android, Linux stack, carrier NAT), carrier resolver 211.136.17.107.
Linux cooked v2 capture on interface `any`, nanosecond time stamps. Date 2023-05-22.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("bili")}: DNS and ordinary TLS to
  www.bilibili.com.
- {sim.fr("vps:syn", "vps:synack", "vps:ack")}: handshake to 45.76.213.10:443. SYN/ACK
  TTL 47, IP ID 0, DF; RTT 58.4 ms. (No DNS lookup for the name: the app had the address.)
- {sim.fr("vps:ch")}: ClientHello with SNI **tk1.lumina-vps.net**.
- {sim.fr("rst")}: **the forged RST+ACK**, {sim.ms("vps:ch", "rst")} after the ClientHello.
  TTL 47 (= the server's), window 0, DF=1, IP ID 0x6B1E (not in the server's sequence), no
  options, seq = the server's next sequence number.
- {sim.fr("late")}: the server's **genuine flight** (ServerHello, ChangeCipherSpec,
  encrypted records), TTL 47, {sim.ms("rst", "late")} after the RST, starting at the
  RST's sequence number: data after a reset.
- {sim.fr("crst")}: the client's kernel resets each of them (flags R, IP ID 0).
- {sim.fr("dns2", "dns2:ans")}, {sim.span("zhihu")}: DNS and TLS to www.zhihu.com.
  Ordinary.
"""
    expected = """
- `rst-injection` for domain `tk1.lumina-vps.net` (must). The TTL/window trap is made
  positive by race evidence: genuine data after the RST, at the RST's sequence number, and
  a reset faster than the RTT.
- Nothing else.
"""
    b = Built("capture.pcapng", data, about, [{"mechanism": "rst-injection",
                                               "domain": "tk1.lumina-vps.net"}])
    b.readme = readme("rst-edge-ttl-equal-race", rst_edge_ttl_equal_race,
                      fmt_line(sim, "capture.pcapng", "pcapng, Linux cooked v2 (SLL2, 276), ns"),
                      shows, expected, [REF_RST07, REF_RST01, REF_PRIM, REF_TRAPS])
    return b


def rst_syn_burst_2025() -> Built:
    """20 Aug 2025 port-443 block: each SYN draws 3 RST+ACKs (seq 0, windows 1980-1982,
    TTL 102-104); the genuine SYN/ACK then draws 3 more (seq ISN+1, windows 3293-3295);
    the domain comes from the DNS answer; port 80 to the same server works."""
    cl = Client("192.168.2.36", mac="b0:be:76:40:2c:19")
    sim = Sim(at("2025-08-19T16:41:27"), 107, cl, resolver="192.168.2.1", resolver_ttl=64,
              gw_mac="9c:a2:f4:61:0b:d4")
    rnd = sim.rnd
    t = sim.lookup(0, "neverssl.com", [("neverssl.com", "A", 60, "34.223.124.45")],
                   38_120 * US, label="dns1")
    k = sim.tcp("34.223.124.45", 80, ttl=38, mss=1460, ws=7)
    t = sim.handshake(k, t + 1_000 * US, 196_404 * US, label="nssl")
    body = html_page("NeverSSL - Connecting ...", 2100, rnd)
    t = sim.http(k, t, 196_380 * US, http_get("neverssl.com", "/", CHROME),
                 http_200(body, "text/html", [("Server", "Apache/2.4.62 ()"),
                                              ("Date", date_hdr(sim, 0))]),
                 rate=20e6, label="nssl")
    gh = "20.205.243.166"
    t = sim.lookup(t + 1_905 * MS, "github.com", [("github.com", "A", 60, gh)], 8_841 * US,
                   label="dns2")
    rtt = 48_930 * US
    for n, gap in ((1, 1_300 * US), (2, 1_004 * MS)):
        p = f"a{n}"
        k = sim.tcp(gh, 443, ttl=50, mss=1436, ws=10, win=489)
        k.tag = p
        t += gap
        k.pkt("c", t, "S", label=p + ":syn")
        t1 = t + 14_213 * US
        for i in range(3):
            k.inject(t1 + i * 61 * US, "RA", ttl=102 + i, ipid=rnd.getrandbits(16), df=False,
                     win=1980 + i, seq=0, ack=k.c.seq, label=p + ":rst1")
        t2 = t + rtt
        k.pkt("s", t2, "SA", label=p + ":synack")
        k.stack_rst("c", t2 + 33 * US, k.c.seq, label=p + ":crst")
        for i in range(3):
            k.inject(t2 + 152 * US + i * 58 * US, "RA", ttl=102 + i, ipid=rnd.getrandbits(16),
                     df=False, win=3293 + i, label=p + ":rst2")
        t = t2 + 400 * US
    k = sim.tcp(gh, 80, ttl=50, mss=1436, ws=10, win=489)
    t = sim.handshake(k, t + 2_240 * MS, rtt, label="gh80")
    t = sim.http(k, t, rtt, http_get("github.com", "/", CHROME),
                 b"HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n"
                 b"Location: https://github.com/\r\n\r\n", label="gh80")
    sim.close(k, t + 2 * MS, rtt)
    sim.finish()

    data = as_pcapng(sim, eth_link(cl.mac, sim.gw_mac), 1, ifname="enp3s0", tsresol=9,
                     os_name="Linux 6.8")
    about = (
        "During the GFW's unconditional port-443 block of 20 August 2025 (00:34-01:48 CST), "
        "a Linux client in China resolves github.com (one normal answer, 20.205.243.166) "
        "and opens TCP to port 443. Within 14 ms of its SYN, three RST+ACKs arrive in the "
        "server's name. They have seq 0, ack = the client's ISN+1, windows 1980, 1981, "
        "1982 and TTLs 102, 103, 104 (both incrementing), no options and DF clear. They "
        "reset the half-open connection. The genuine SYN/ACK (TTL 50, IP ID 0, DF, MSS 1436) "
        "then arrives one RTT (49 ms) after the SYN. The client's kernel answers it with a "
        "RST, since the socket is gone. Three more forged RST+ACKs follow the SYN/ACK with "
        "seq = the server's ISN+1 and windows 3293, 3294, 3295. The browser retries a "
        "second later and the same pattern repeats. The SYN carries no name: the domain "
        "comes from the DNS answer for the address. Port 80 to the same server works (a "
        "301 to https). Censorship: rst-injection for github.com.")
    shows = f"""
Client 192.168.2.36 (Linux), router 192.168.2.1 as DNS forwarder. pcapng, Ethernet,
nanosecond resolution. Starts 2025-08-20 00:41:27 CST, inside the documented 74-minute
window.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("nssl")}: DNS and plain HTTP to neverssl.com
  (port 80 abroad: unaffected). Ordinary.
- {sim.fr("dns2", "dns2:ans")}: DNS A github.com → 20.205.243.166 (one answer). This is how
  the connections below get their name.
- Attempt 1: SYN {sim.fr("a1:syn")}; **three forged RST+ACKs** {sim.fr("a1:rst1")}
  ({sim.ms("a1:syn", "a1:rst1")} after the SYN: seq 0, ack = ISN+1, windows 1980/1981/1982,
  TTL 102/103/104, DF=0, no options); the genuine SYN/ACK {sim.fr("a1:synack")} (TTL 50,
  IP ID 0, DF, {sim.ms("a1:syn", "a1:synack")} after the SYN); the client kernel's RST
  {sim.fr("a1:crst")}; **three more forged RST+ACKs** {sim.fr("a1:rst2")} (seq = the server's
  ISN+1, windows 3293/3294/3295, TTL 102-104).
- Attempt 2, one second later, new source port: the same pattern: SYN {sim.fr("a2:syn")},
  RSTs {sim.fr("a2:rst1")}, SYN/ACK {sim.fr("a2:synack")}, client RST {sim.fr("a2:crst")},
  RSTs {sim.fr("a2:rst2")}.
- {sim.span("gh80")}: port 80 on the same address works: GET / → `301` to
  https://github.com/, normal close.

The first group's sequence number is 0. The RFC reply to a SYN has seq 0, and Wireshark
shows "relative seq 0" for it because it is the first packet from that side. The documented
"relative seq 0" does not fix the absolute value.
"""
    expected = """
- `rst-injection` for domain `github.com` (must). The SYN carries no name. A detector links
  the flows to the name through the DNS answer for 20.205.243.166 just before them (the only
  name that resolved to that address in the capture).
- Nothing else.
"""
    b = Built("capture.pcapng", data, about, [{"mechanism": "rst-injection",
                                               "domain": "github.com"}])
    b.readme = readme("rst-syn-burst-2025", rst_syn_burst_2025,
                      fmt_line(sim, "capture.pcapng", "pcapng, Ethernet, ns"), shows, expected,
                      [REF_RST06, f"{FINGERPRINTS} §8 IP-01 (RST-06 as a variant of endpoint "
                                  "blocking)", REF_PRIM])
    return b


def rst_sni_control_same_server() -> Built:
    """Same server, two SNIs a second apart: www.allowed-example.com completes TLS 1.3 and
    transfers data; www.blocked-example.com gets a RST+ACK (TTL 124 vs 56) 12 ms after its
    ClientHello."""
    cl = Client("192.168.43.12", mac="e8:50:8b:20:44:7a")
    sim = Sim(T0 + 3 * 3600 + 1_234, 108, cl, resolver="8.8.8.8", resolver_ttl=117,
              gw_mac="da:a1:19:6c:33:05")
    srv = "172.67.183.42"
    t = sim.lookup(0, "www.allowed-example.com",
                   [("www.allowed-example.com", "A", 300, srv)], 41_830 * US, label="dns1")
    rtt = 94_230 * US
    k = sim.tcp(srv, 443, ttl=56, mss=1400, ws=13, win=8)
    t = sim.handshake(k, t + 1_100 * US, rtt, label="ok")
    t_ok = t
    t = sim.tls(k, t, rtt, "www.allowed-example.com", resp=(1460, 16384, 6900), rate=25e6,
                label="ok")
    t = sim.lookup(t_ok + 1_020 * MS, "www.blocked-example.com",
                   [("www.blocked-example.com", "A", 300, srv)], 39_915 * US, label="dns2")
    b_ = sim.tcp(srv, 443, ttl=56, mss=1400, ws=13, win=8)
    t = sim.handshake(b_, t + 900 * US, rtt, label="blk")
    t += 230 * US
    b_.pkt("c", t, "PA", client_hello("www.blocked-example.com", sim.rnd), label="blk:ch")
    b_.inject(t + 12_104 * US, "RA", ttl=124, ipid=0x1F2B, df=False, win=0, label="rst")
    sim.close(k, t + 3_410 * MS, rtt, label="okfin")
    sim.finish()

    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1, nano=True)
    about = (
        "Two TLS connections from one client to the same server address (172.67.183.42, "
        "SYN/ACK TTL 56, RTT 94 ms), a second apart. Both names resolve to it normally. The "
        "first, with SNI www.allowed-example.com, completes a TLS 1.3 handshake and "
        "transfers about 25 KB. The second, with SNI www.blocked-example.com, gets a "
        "RST+ACK 12.1 ms after its ClientHello. That is an eighth of the RTT, before the "
        "ClientHello could have reached the server. It has TTL 124 (the server's packets "
        "have 56), DF clear and window 0. Nothing else arrives on that connection. Same "
        "server, same time, only the SNI differs: the natural control shows the reset is "
        "triggered by the name on the path. Censorship: rst-injection for "
        "www.blocked-example.com only.")
    shows = f"""
Client 192.168.43.12 (Android phone, Linux stack), resolver 8.8.8.8. pcap with nanosecond
time stamps, Ethernet.

- {sim.fr("dns1", "dns1:ans")}: DNS www.allowed-example.com → 172.67.183.42.
- {sim.span("ok")}: the control: TLS 1.3 with SNI **www.allowed-example.com**. ServerHello
  {sim.fr("ok:sh")}, about 25 KB of application data, closed later with FIN
  ({sim.fr("okfin")}). SYN/ACK TTL 56.
- {sim.fr("dns2", "dns2:ans")}: DNS www.blocked-example.com → the same 172.67.183.42.
- {sim.fr("blk:syn", "blk:synack", "blk:ack")}: handshake to the same server, SYN/ACK TTL 56.
- {sim.fr("blk:ch")}: ClientHello with SNI **www.blocked-example.com**.
- {sim.fr("rst")}: **the forged RST+ACK**, {sim.ms("blk:ch", "rst")} after the ClientHello
  (RTT 94.2 ms). TTL 124 (delta 68 to the server's 56), DF=0, window 0, IP ID 0x1F2B, no
  options, seq/ack fitting the stream.
- Nothing else arrives on that connection (the in-path device also dropped the ClientHello).
"""
    expected = """
- `rst-injection` for domain `www.blocked-example.com` (must).
- Nothing for www.allowed-example.com.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "rst-injection",
                                             "domain": "www.blocked-example.com"}])
    b.readme = readme("rst-sni-control-same-server", rst_sni_control_same_server,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, ns"), shows, expected,
                      [REF_TLS01, REF_RST08, REF_RST01, REF_PRIM])
    return b


def residual_blocking_after_sni() -> Built:
    """Trigger (type II RSTs after SNI www.theguardian.com), then 20 s later two new
    connections to the same server:443 are reset right after the handshake, before any
    data; 200 s after the trigger an innocuous SNI succeeds."""
    cl = Client("192.168.10.23", mac="74:d4:35:e8:0a:61")
    sim = Sim(at("2024-01-09T06:12:40"), 109, cl, resolver="192.168.10.1", resolver_ttl=64,
              gw_mac="60:32:b1:5d:7c:02")
    rnd = sim.rnd
    srv = "151.101.1.111"
    rtt = 174_522 * US
    t = sim.lookup(0, "www.theguardian.com",
                   [("www.theguardian.com", "CNAME", 3600, "dualstack.guardian.map.fastly.net"),
                    ("dualstack.guardian.map.fastly.net", "A", 30, srv)], 19_020 * US,
                   label="dns1")
    k = sim.tcp(srv, 443, ttl=51, ws=9, win=285)
    t0 = sim.handshake(k, t + 1_100 * US, rtt, label="c1")
    t = t0 + 240 * US
    k.pkt("c", t, "PA", client_hello("www.theguardian.com", rnd), label="c1:ch")
    t_trig = t
    for i, ttl in enumerate((165, 166, 167)):
        k.inject(t + 18_705 * US + i * 47 * US, "RA", ttl=ttl, ipid=rnd.randrange(0xA3, 0xFE5F),
                 df=True, win=1029, label="c1:rst")
    for n, when in (("c2", 20_310 * MS), ("c3", 21_125 * MS)):
        k = sim.tcp(srv, 443, ttl=51, ws=9, win=285)
        t = sim.handshake(k, t_trig + when, rtt, label=n)
        for i, ttl in enumerate((166, 167, 168)):
            k.inject(t + 322 * US + i * 51 * US, "RA", ttl=ttl,
                     ipid=rnd.randrange(0xA3, 0xFE5F), df=True, win=1029, label=n + ":rst")
    t = sim.lookup(t_trig + 203_640 * MS, "www.python.org",
                   [("www.python.org", "CNAME", 3600, "dualstack.python.map.fastly.net"),
                    ("dualstack.python.map.fastly.net", "A", 30, srv)], 17_380 * US,
                   label="dns2")
    k = sim.tcp(srv, 443, ttl=51, ws=9, win=285)
    t = sim.handshake(k, t + 1_000 * US, rtt, label="c4")
    t = sim.tls(k, t, rtt, "www.python.org", resp=(1320, 16384, 16384, 11000), rate=20e6,
                label="c4")
    sim.close(k, t + 1_800 * MS, rtt)
    sim.finish()

    data = pcap(sim.recs(sll_link(cl.mac, sim.gw_mac)), 113)
    about = (
        "A Linux client in China resolves www.theguardian.com to the Fastly address "
        "151.101.1.111 and sends a ClientHello with that SNI. 18.7 ms later, three GFW type "
        "II RST+ACKs arrive: identical seq/ack and window 1029, DF set, TTLs 165-167 "
        "against the server's 51. That is the trigger. 20 s and 21 s after it, the client "
        "makes two new connections to the same server and port from new source ports. "
        "Each completes its handshake (genuine SYN/ACK, TTL 51). Then, before the client "
        "has sent a single byte, three forged RST+ACKs (TTL 166-168, window 1029, DF) "
        "reset it. No name or content is in these flows: only the earlier trigger explains "
        "them. 200 s after the trigger, once the GFW's 180 s residual period is over, "
        "www.python.org on the same address and port completes its TLS session normally. "
        "Censorship: rst-injection for www.theguardian.com, and residual-blocking of "
        "(client, 151.101.1.111, 443).")
    shows = f"""
Client 192.168.10.23 (Linux), router 192.168.10.1 as DNS forwarder. Linux cooked capture
(SLL v1). Date 2024-01-09.

- {sim.fr("dns1", "dns1:ans")}: DNS www.theguardian.com → 151.101.1.111 (via
  dualstack.guardian.map.fastly.net).
- Connection 1 (trigger): handshake {sim.fr("c1:syn", "c1:synack", "c1:ack")} (SYN/ACK
  TTL 51, RTT 174.5 ms), ClientHello with SNI **www.theguardian.com** {sim.fr("c1:ch")},
  **three forged RST+ACKs** {sim.fr("c1:rst")} {sim.ms("c1:ch", "c1:rst")} later (TTL
  165/166/167, DF=1, window 1029, identical seq/ack, no options).
- Connection 2, 20.3 s after the trigger, new source port: handshake
  {sim.fr("c2:syn", "c2:synack", "c2:ack")} with a genuine SYN/ACK (TTL 51), then **three
  forged RST+ACKs** {sim.fr("c2:rst")} 0.3 ms after the client's ACK, before any data
  (seq = the server's ISN+1, ack = the client's ISN+1, TTL 166-168).
- Connection 3, 21.1 s after the trigger: the same, {sim.span("c3")} (RSTs {sim.fr("c3:rst")}).
- {sim.fr("dns2", "dns2:ans")}: DNS www.python.org → the same 151.101.1.111, 203.6 s
  after the trigger.
- Connection 4 {sim.span("c4")}: TLS with SNI www.python.org to the same address and port,
  completes (ServerHello {sim.fr("c4:sh")}, about 45 KB), closed with FIN. The residual
  period (180 s) is over.
"""
    expected = f"""
- `rst-injection` for domain `www.theguardian.com` (must): connection 1.
- `residual-blocking` with `ip` `{srv}` (must): connections 2 and 3, which carry no name.
  A detector may also name the trigger's domain in that finding.
- `rst-injection` may also be reported for connections 2 and 3 (with no domain, or the
  trigger's), since their RSTs are forged too.
- Nothing for www.python.org.
"""
    b = Built("capture.pcap", data, about,
              [{"mechanism": "rst-injection", "domain": "www.theguardian.com"},
               {"mechanism": "residual-blocking", "ip": srv}],
              allow=[{"mechanism": "rst-injection"}])
    b.readme = readme("residual-blocking-after-sni", residual_blocking_after_sni,
                      fmt_line(sim, "capture.pcap", "pcap, Linux cooked (SLL, 113), µs"),
                      shows, expected, [REF_RES, REF_RST03, REF_RST02, REF_PRIM])
    return b


# ============================================================================ HTTP bytes

FIREFOX = ("Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0")
CHROME = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/139.0.0.0 Safari/537.36")
CHROME_ANDROID = ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/88.0.4324.152 Mobile Safari/537.36")


def http_get(host: str, path: str, ua: str, extra: Sequence[tuple[str, str]] = ()) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", f"User-Agent: {ua}",
             "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
             "Accept-Language: en-US,en;q=0.5", "Accept-Encoding: gzip, deflate",
             "Connection: keep-alive", *(f"{k}: {v}" for k, v in extra)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def http_200(body: bytes, ctype: str, headers: Sequence[tuple[str, str]] = (),
             status: str = "200 OK") -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers),
             f"Content-Type: {ctype}", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def date_hdr(sim: Sim, t: int) -> str:
    return datetime.fromtimestamp(sim.start + t // NS, UTC).strftime(
        "%a, %d %b %Y %H:%M:%S GMT")


def html_page(title: str, size: int, rnd: random.Random) -> bytes:
    """An ordinary-looking HTML page of about ``size`` bytes."""
    head = (f"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n"
            "<link rel=\"stylesheet\" href=\"/css/main.css\">\n</head>\n<body>\n").encode()
    words = ("news", "sport", "video", "weather", "world", "business", "tech", "finance",
             "travel", "culture", "science", "health")
    out = bytearray(head)
    n = 0
    while len(out) < size - 20:
        w = rnd.choice(words)
        out += f"<li><a href=\"/{w}/{n:04d}.html\">{w} {n}</a></li>\n".encode()
        n += 1
    return bytes(out) + b"</body>\n</html>\n"



REF_HTTP01 = (f"{FINGERPRINTS} §9 HTTP-01 (block page / redirect injected by an in-path box: "
              "faster than the RTT, TTL differing from the server's, genuine response after)")
REF_DNS05 = f"{FINGERPRINTS} §3 DNS-05 (Iran: 10.10.34.34-36, d0::11 national block page)"


def http_injected_blockpage_race() -> Built:
    """India: an injected 200 block page with the DoT text and a FIN arrive 3 ms after
    the GET (RTT 80 ms, other TTL); the genuine 301 arrives later at the same sequence
    numbers with different bytes."""
    cl = Client("192.168.29.54", mac="2c:fd:a1:77:0b:5e")
    sim = Sim(T0 + 5 * 3600 + 17 * 60 + 3, 110, cl, resolver="192.168.29.1", resolver_ttl=64,
              gw_mac="a8:da:0c:31:f2:6b")
    t = sim.lookup(0, "www.google.co.in", [("www.google.co.in", "A", 300, "142.250.193.99")],
                   6_212 * US, label="dns1")
    k = sim.tcp("142.250.193.99", 443, ttl=117, mss=1412, ws=8, win=1050)
    t = sim.handshake(k, t + 900 * US, 22_018 * US, label="goog")
    t = sim.tls(k, t, 22_100 * US, "www.google.co.in", resp=(1390, 16384, 16384, 8000),
                rate=40e6, label="goog")
    srv = "66.254.114.79"
    t = sim.lookup(t + 6_870 * MS, "www.youporn.com", [("www.youporn.com", "A", 300, srv)],
                   5_480 * US, label="dns2")
    rtt = 80_310 * US
    k = sim.tcp(srv, 80, ttl=52, ws=7, win=502)
    t = sim.handshake(k, t + 1_040 * US, rtt, label="yp")
    t += 210 * US
    t_get = t
    k.pkt("c", t, "PA", http_get("www.youporn.com", "/", CHROME_ANDROID), label="get")
    c_end = k.c.seq
    base = k.s.seq
    block = (b"<html><head><meta name=\"viewport\" content=\"width=device-width, "
             b"initial-scale=1\"><title>Blocked</title></head><body><p style=\"font-family:"
             b"Arial;font-size:18px\">The URL has been blocked as per the instructions of the "
             b"DoT in compliance to the orders of Court of Law</p></body></html>")
    fake = http_200(block, "text/html", [("Connection", "close")])
    k.inject(t + 3_012 * US, "PA", fake, ttl=59, ipid=0x04D2, win=65535, label="inj")
    k.inject(t + 3_049 * US, "FA", seq=base + len(fake), ttl=59, ipid=0x04D2, win=65535,
             label="injfin")
    got = base + len(fake) + 1
    k.pkt("c", t + 3_092 * US, "A", ack=got, label="cack")
    k.pkt("c", t + 9_415 * US, "FA", ack=got, label="cfin")
    real = (b"HTTP/1.1 301 Moved Permanently\r\nServer: openresty\r\nDate: "
            + date_hdr(sim, t).encode() + b"\r\nContent-Type: text/html\r\nContent-Length: 166"
            b"\r\nConnection: keep-alive\r\nLocation: https://www.youporn.com/\r\n"
            b"X-Frame-Options: SAMEORIGIN\r\nSet-Cookie: platform=pc; expires=" +
            date_hdr(sim, t + 86_400 * NS * 30).encode() + b"; path=/; domain=.youporn.com\r\n"
            b"Vary: User-Agent\r\n\r\n<html>\r\n<head><title>301 Moved Permanently</title></head>"
            b"\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>"
            b"openresty</center>\r\n</body>\r\n</html>\r\n")
    assert len(real) > len(fake) + 1
    tg = t_get + rtt + 880 * US
    k.pkt("s", tg, "PA", real, seq=base, ack=c_end, advance=False, label="real")
    k.pkt("c", tg + 35 * US, "A", ack=got, sack=[(base, got)], label="dsack")
    k.s.seq = base + len(real)
    tf = t_get + 9_415 * US + rtt + 400 * US
    k.pkt("s", tf, "FA", label="sfin")
    k.pkt("s", tf + 221 * MS, "FA", seq=base + len(real), label="sfin2")
    k.stack_rst("c", tf + 221 * MS + 30 * US, k.c.seq, label="crst")
    t = sim.lookup(tf + 2_950 * MS, "www.amazon.in",
                   [("www.amazon.in", "CNAME", 60, "tp.c95e7e602-frontier.amazon.in"),
                    ("tp.c95e7e602-frontier.amazon.in", "A", 60, "52.95.120.67")],
                   7_119 * US, label="dns3")
    k = sim.tcp("52.95.120.67", 443, ttl=45, mss=1460, ws=8, ts=False)
    t = sim.handshake(k, t + 1_000 * US, 41_260 * US, label="amzn")
    sim.tls(k, t, 41_300 * US, "www.amazon.in", resp=(1380, 16384, 16384, 4000), rate=40e6,
            label="amzn")
    sim.finish()

    data = as_pcapng(sim, eth_link(cl.mac, sim.gw_mac), 1, ifname="wlan0",
                     os_name="Linux 4.19 (Android 10)")
    about = (
        "A phone in India fetches http://www.youporn.com/ (one normal DNS answer, "
        "66.254.114.79; SYN/ACK TTL 52, RTT 80 ms). 3.0 ms after the GET, far sooner than "
        "the server could answer, a segment arrives from the server's address with TTL 59, "
        "no TCP options, IP ID 1234 and DF clear. It carries an `HTTP/1.1 200 OK` block "
        "page whose body reads \"The URL has been blocked as per the instructions of the "
        "DoT in compliance to the orders of Court of Law\". A FIN with the same "
        "fingerprint follows. The client accepts both and closes. One RTT after the GET, "
        "the genuine response arrives from the server (TTL 52, TCP timestamps, the "
        "server's IP ID sequence): an openresty `301` to https, at exactly the same "
        "sequence numbers as the injected page but with different bytes (conflicting "
        "data). The client answers with a duplicate ACK carrying a D-SACK, later resets the "
        "server's retransmitted FIN, and the server's FIN exchange follows. An in-path box "
        "raced a block page ahead of the real server. Censorship: packet-injection and "
        "blockpage for www.youporn.com.")
    shows = f"""
Client 192.168.29.54 (Android phone on a JioFiber router, 192.168.29.1 as DNS forwarder).
pcapng, Ethernet.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("goog")}: DNS and ordinary TLS to
  www.google.co.in.
- {sim.fr("dns2", "dns2:ans")}: DNS www.youporn.com → 66.254.114.79 (one answer).
- {sim.fr("yp:syn", "yp:synack", "yp:ack")}: handshake to port 80. SYN/ACK TTL 52, IP ID 0,
  DF, timestamps; RTT 80.3 ms.
- {sim.fr("get")}: `GET / HTTP/1.1`, `Host: www.youporn.com`.
- {sim.fr("inj")}: **the injected response**, {sim.ms("get", "inj")} after the GET: TTL 59,
  IP ID 1234, DF=0, window 65535, no options. `HTTP/1.1 200 OK`, `Connection: close`, the
  Department of Telecommunications block-page text.
- {sim.fr("injfin")}: **the injected FIN** (same TTL and IP ID), right after the page.
- {sim.fr("cack")}, {sim.fr("cfin")}: the client ACKs the page and the FIN, then closes.
- {sim.fr("real")}: **the genuine response**, {sim.ms("get", "real")} after the GET, TTL 52,
  with timestamps: `HTTP/1.1 301 Moved Permanently`, `Location: https://www.youporn.com/`.
  It starts at the same sequence number as the injected page and carries different bytes
  over the overlap.
- {sim.fr("dsack")}: the client's duplicate ACK with a D-SACK block for the overlap.
- {sim.fr("sfin")}: the server's FIN+ACK (acknowledging the client's FIN). The server
  retransmits its FIN ({sim.fr("sfin2")}) and the client, whose socket is closed, resets it
  ({sim.fr("crst")}, outgoing).
- {sim.fr("dns3", "dns3:ans")}, {sim.span("amzn")}: DNS and TLS to www.amazon.in. Ordinary.
"""
    expected = """
- `packet-injection` for domain `www.youporn.com` (must): forged data and FIN, faster than
  the RTT, other TTL/IP ID/options, and conflicting genuine data at the same sequence
  numbers.
- `blockpage` for domain `www.youporn.com` (must): the Indian DoT block-page text.
- `rst-injection` may also be reported. Nothing else. The client's own RST is outgoing.
"""
    b = Built("capture.pcapng", data, about,
              [{"mechanism": "packet-injection", "domain": "www.youporn.com"},
               {"mechanism": "blockpage", "domain": "www.youporn.com"}],
              allow=[{"mechanism": "rst-injection"}])
    b.readme = readme("http-injected-blockpage-race", http_injected_blockpage_race,
                      fmt_line(sim, "capture.pcapng", "pcapng, Ethernet, µs"), shows, expected,
                      [REF_HTTP01, f"{FINGERPRINTS} §13 (ooni/blocking-fingerprints, Indian "
                                   "DoT text)", REF_PRIM])
    return b


def http_injected_redirect_kr() -> Built:
    """South Korea: an injected 302 to http://warning.or.kr/ with FIN (one packet)
    arrives 1.2 ms after the GET; the genuine 301 follows at the same sequence numbers;
    the browser then loads warning.or.kr."""
    cl = Client("192.168.0.17", mac="04:7c:16:9a:e2:33")
    sim = Sim(T0 + 86_400 * 30 + 11 * 3600 + 48 * 60 + 21, 111, cl, resolver="168.126.63.1",
              resolver_ttl=57, gw_mac="00:08:9f:5b:c0:12")
    t = sim.lookup(0, "www.naver.com",
                   [("www.naver.com", "CNAME", 21_600, "www.naver.com.nheos.com"),
                    ("www.naver.com.nheos.com", "A", 60, "223.130.200.107")], 4_310 * US,
                   label="dns1")
    k = sim.tcp("223.130.200.107", 443, ttl=55, mss=1460, ws=9)
    t = sim.handshake(k, t + 1_100 * US, 6_812 * US, label="naver")
    t = sim.tls(k, t, 6_800 * US, "www.naver.com", resp=(1200, 16384, 13000), rate=90e6,
                label="naver")
    srv = "162.159.137.6"
    t = sim.lookup(t + 4_705 * MS, "thepiratebay.org", [("thepiratebay.org", "A", 300, srv)],
                   5_074 * US, label="dns2")
    rtt = 38_620 * US
    k = sim.tcp(srv, 80, ttl=56, mss=1400, ws=13, win=8)
    t = sim.handshake(k, t + 800 * US, rtt, label="tpb")
    t += 190 * US
    t_get = t
    k.pkt("c", t, "PA", http_get("thepiratebay.org", "/", FIREFOX), label="get")
    c_end = k.c.seq
    base = k.s.seq
    fake = (b"HTTP/1.1 302 Found\r\nLocation: http://warning.or.kr/\r\nContent-Length: 0\r\n"
            b"Connection: close\r\n\r\n")
    k.inject(t + 1_183 * US, "FPA", fake, ttl=251, ipid=0x0100, win=8192, label="inj")
    got = base + len(fake) + 1
    k.pkt("c", t + 1_230 * US, "A", ack=got, label="cack")
    k.pkt("c", t + 2_011 * US, "FA", ack=got, label="cfin")
    real = (b"HTTP/1.1 301 Moved Permanently\r\nDate: " + date_hdr(sim, t).encode()
            + b"\r\nContent-Length: 0\r\nConnection: keep-alive\r\nCache-Control: max-age=3600"
            b"\r\nExpires: " + date_hdr(sim, t + 3_600 * NS).encode()
            + b"\r\nLocation: https://thepiratebay.org/\r\nServer: cloudflare\r\nCF-RAY: "
            b"62d1c1b8ee3a30c2-ICN\r\nalt-svc: h3-27=\":443\"; ma=86400, h3-28=\":443\"; "
            b"ma=86400, h3-29=\":443\"; ma=86400\r\n\r\n")
    assert len(real) > len(fake) + 1
    tg = t_get + rtt + 510 * US
    k.pkt("s", tg, "PA", real, seq=base, ack=c_end, advance=False, label="real")
    k.pkt("c", tg + 31 * US, "A", ack=got, sack=[(base, got)], label="dsack")
    k.s.seq = base + len(real)
    tf = t_get + 2_011 * US + rtt + 300 * US
    k.pkt("s", tf, "FA", label="sfin")
    k.pkt("s", tf + 204 * MS, "FA", seq=base + len(real), label="sfin2")
    k.stack_rst("c", tf + 204 * MS + 27 * US, k.c.seq, label="crst")
    # the browser follows the redirect
    wo = "175.213.35.39"
    t = sim.lookup(t_get + 2_400 * US, "warning.or.kr", [("warning.or.kr", "A", 3600, wo)],
                   4_880 * US, label="dns3")
    k = sim.tcp(wo, 80, ttl=54, mss=1460, ws=7)
    t = sim.handshake(k, t + 600 * US, 5_930 * US, label="wo")
    page = ("<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; "
            "charset=utf-8\">\n<title>warning.or.kr</title>\n</head>\n<body>\n<div id=\"wrap\">"
            "\n<h1>불법·유해정보(사이트)에 대한 차단 안내</h1>\n"
            "<p>귀하가 접속하려고 하는 정보(사이트)"
            "에서 불법·유해 내용을 제공하고 있어 해당 정보(사이트)에 대한 접속이 차단되었음을 "
            "알려드립니다.</p>\n<p>방송통신심의위원회</p>\n</div>\n</body>\n</html>\n").encode()
    t = sim.http(k, t, 5_930 * US, http_get("warning.or.kr", "/", FIREFOX),
                 http_200(page, "text/html; charset=utf-8",
                          [("Date", date_hdr(sim, t)), ("Server", "Apache")]), label="wo")
    sim.close(k, t + 5_100 * MS, 5_930 * US)
    sim.finish()

    data = pcap(sim.recs(sll2_link(cl.mac, sim.gw_mac)), 276)
    about = (
        "A client in South Korea fetches http://thepiratebay.org/ (one normal DNS answer, "
        "Cloudflare 162.159.137.6; SYN/ACK TTL 56, RTT 38.6 ms). 1.2 ms after the GET, one "
        "segment arrives from the server's address with flags FIN+PSH+ACK, TTL 251, IP ID "
        "0x0100, DF clear, window 8192 and no options. It carries `HTTP/1.1 302 Found` "
        "with `Location: http://warning.or.kr/`. The client ACKs it and closes. One RTT "
        "after the GET, the genuine Cloudflare `301` to https (TTL 56, timestamps) arrives "
        "at the same sequence numbers with different bytes. The client sends a D-SACK "
        "duplicate ACK and later resets the server's retransmitted FIN. The browser then "
        "follows the forged redirect to warning.or.kr and loads the Korean "
        "Communications Standards Commission's notice. An in-path box raced a redirect "
        "ahead of the real server. Censorship: packet-injection for thepiratebay.org. "
        "blockpage is also reasonable (the redirect target and the page loaded from it).")
    shows = f"""
Client 192.168.0.17 (Linux), resolver 168.126.63.1. Linux cooked v2 capture (SLL2), IPv4.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("naver")}: DNS and ordinary TLS to www.naver.com.
- {sim.fr("dns2", "dns2:ans")}: DNS thepiratebay.org → 162.159.137.6 (one answer).
- {sim.fr("tpb:syn", "tpb:synack", "tpb:ack")}: handshake to port 80; SYN/ACK TTL 56;
  RTT 38.6 ms.
- {sim.fr("get")}: `GET / HTTP/1.1`, `Host: thepiratebay.org`.
- {sim.fr("inj")}: **the injected redirect**, {sim.ms("get", "inj")} after the GET, one
  packet with FIN+PSH+ACK: TTL 251, IP ID 0x0100, DF=0, window 8192, no options.
  `HTTP/1.1 302 Found`, `Location: http://warning.or.kr/`.
- {sim.fr("cack")}, {sim.fr("cfin")}: the client ACKs the data and the FIN and closes.
- {sim.fr("dns3", "dns3:ans")}, {sim.span("wo")}: the browser follows the redirect at once:
  DNS warning.or.kr, `GET /` → 200 with the block notice ("불법·유해정보(사이트)에 대한 차단
  안내"), this connection is closed 5 s later.
- {sim.fr("real")}: meanwhile, **the genuine response** from Cloudflare (TTL 56,
  timestamps), {sim.ms("get", "real")} after the GET: `301 Moved Permanently` to https, at
  the same sequence numbers as the injected redirect, different bytes. {sim.fr("dsack")}:
  the client's D-SACK.
- {sim.fr("sfin")}: the server's FIN; its retransmission {sim.fr("sfin2")} is reset by the
  client ({sim.fr("crst")}).
"""
    expected = """
- `packet-injection` for domain `thepiratebay.org` (must).
- `blockpage` may also be reported (the redirect to warning.or.kr, or the page fetched from
  it).
- Nothing else.
"""
    b = Built("capture.pcap", data, about,
              [{"mechanism": "packet-injection", "domain": "thepiratebay.org"}],
              allow=[{"mechanism": "blockpage"}])
    b.readme = readme("http-injected-redirect-kr", http_injected_redirect_kr,
                      fmt_line(sim, "capture.pcap", "pcap, Linux cooked v2 (SLL2, 276), µs"),
                      shows, expected, [REF_HTTP01, REF_PRIM])
    return b


def blockpage_dns_redirect_iran() -> Built:
    """Iran: www.facebook.com resolves (single answers) to 10.10.34.34 and d0::11; the
    HTTP GET to 10.10.34.34 returns 403 with the national block page's iframe."""
    cl = Client("10.11.23.5", mac="00:00:00:00:00:00")
    sim = Sim(at("2022-10-03T07:41:52"), 112, cl, resolver="217.218.155.155", resolver_ttl=59)
    t = sim.lookup(0, "www.digikala.com", [("www.digikala.com", "A", 300, "185.147.178.11")],
                   31_402 * US, label="dns1")
    k = sim.tcp("185.147.178.11", 443, ttl=57, mss=1400, ws=7)
    t = sim.handshake(k, t + 1_700 * US, 24_301 * US, label="dk")
    t = sim.tls(k, t, 24_330 * US, "www.digikala.com", resp=(1300, 16384, 16384, 5000),
                rate=15e6, label="dk")
    t = sim.lookup(t + 3_118 * MS, "www.facebook.com",
                   [("www.facebook.com", "A", 30, "10.10.34.34")], 28_766 * US, label="dnsA")
    sim.lookup(t - 28_766 * US + 310 * US, "www.facebook.com",
               [("www.facebook.com", "AAAA", 30, "d0::11")], 29_020 * US, qtype="AAAA",
               label="dnsAAAA")
    t += 310 * US
    k = sim.tcp("10.10.34.34", 80, ttl=62, mss=1460, ws=7)
    rtt = 9_214 * US
    t = sim.handshake(k, t + 1_000 * US, rtt, label="bp")
    page = (b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset="
            b"windows-1256\"><title>M1-2\r\n</title></head><body><iframe src=\"http://10.10."
            b"34.34:80\" style=\"width: 100%; height: 100%\" scrolling=\"no\" marginwidth=\"0\" "
            b"marginheight=\"0\" frameborder=\"0\" vspace=\"0\" hspace=\"0\"></iframe></body>"
            b"</html>\r\n\r\n")
    t = sim.http(k, t, rtt, http_get("www.facebook.com", "/", CHROME_ANDROID),
                 b"HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n" + page, label="bp")
    sim.close(k, t + 90 * US, rtt, first="s", label="bpfin")
    sim.finish()

    data = pcap(sim.recs(raw_link), 101)
    about = (
        "A phone on an Iranian mobile network (raw-IP capture, as an on-device capture app "
        "writes it) looks up www.facebook.com. The ISP resolver answers, once and without "
        "any race, A 10.10.34.34 and AAAA d0::11: the addresses of Iran's national block "
        "page, a private address for a public name. The client's HTTP GET to "
        "10.10.34.34:80 with Host www.facebook.com gets `HTTP/1.1 403 Forbidden` after a "
        "normal 9 ms RTT, from a host 2 hops away. The body is the well-known Iranian "
        "block page: an `<iframe src=\"http://10.10.34.34:80\" ...>`. There is no injection "
        "or race in TCP: the box at 10.10.34.34 serves the page because DNS sent the "
        "client there. The earlier TLS session to www.digikala.com is ordinary. "
        "Censorship: dns-tampering and blockpage for www.facebook.com.")
    shows = f"""
Client 10.11.23.5 (Android, carrier NAT), ISP resolver 217.218.155.155. pcap with
LINKTYPE_RAW (101), IPv4 only (the AAAA query travels over IPv4). Date 2022-10-03.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("dk")}: DNS and ordinary TLS to www.digikala.com.
- {sim.fr("dnsA", "dnsA:ans")}: DNS A www.facebook.com → **10.10.34.34** (one answer,
  TTL 30).
- {sim.fr("dnsAAAA", "dnsAAAA:ans")}: DNS AAAA www.facebook.com → **d0::11** (one answer).
- {sim.fr("bp:syn", "bp:synack", "bp:ack")}: TCP to 10.10.34.34:80, TTL 62, RTT 9.2 ms.
- {sim.fr("bp:req")}: `GET / HTTP/1.1`, `Host: www.facebook.com`.
- {sim.fr("bp:resp")}: `HTTP/1.1 403 Forbidden`, `Connection: close`, body
  `<html><head>...<title>M1-2</title></head><body><iframe src="http://10.10.34.34:80" ...>`.
- {sim.fr("bpfin")}: the block-page server closes (FIN), the client closes.
"""
    expected = """
- `dns-tampering` for domain `www.facebook.com` (must): the answers are Iran's block-page
  addresses (10.10.34.34, d0::11), private/bogon space for a public name.
- `blockpage` for domain `www.facebook.com` (must): the 10.10.34.34 iframe page.
- Nothing else (no injection: there is no race in any TCP flow).
"""
    b = Built("capture.pcap", data, about,
              [{"mechanism": "blockpage", "domain": "www.facebook.com"},
               {"mechanism": "dns-tampering", "domain": "www.facebook.com"}])
    b.readme = readme("blockpage-dns-redirect-iran", blockpage_dns_redirect_iran,
                      fmt_line(sim, "capture.pcap", "pcap, LINKTYPE_RAW (101), µs"), shows,
                      expected, [REF_HTTP01, REF_DNS05, REF_CONTRACT])
    return b


def throttling_sni_twitter() -> Built:
    """Russia, March 2021: to one CDN address, SNI www.example-cdn.com downloads 400 KB at
    line rate (~17 Mbit/s average, 25 Mbit/s bottleneck) while SNI abs.twimg.com gets the
    same 400 KB policed to ~140 kbit/s with periodic drops and retransmissions."""
    cl = Client("192.168.1.64", mac="d8:bb:c1:0e:5f:46")
    sim = Sim(at("2021-03-12T10:14:51"), 113, cl, resolver="77.88.8.8", resolver_ttl=57,
              gw_mac="e8:37:7a:21:4c:90")
    rnd = sim.rnd
    edge = "72.21.91.70"
    rtt = 46_310 * US
    t = sim.lookup(0, "www.example-cdn.com",
                   [("www.example-cdn.com", "CNAME", 3600, "cs196.wac.edgecastcdn.net"),
                    ("cs196.wac.edgecastcdn.net", "A", 3600, edge)], 12_930 * US, label="dns1")
    k = sim.tcp(edge, 443, ttl=55, mss=1460, ws=9)
    t = sim.handshake(k, t + 1_200 * US, rtt, label="fast")
    t = sim.tls_open(k, t, rtt, "www.example-cdn.com", rate=25e6, label="fast")
    big = app_data(rnd, *([16384] * 25))
    t = reno_download(sim, k, t + rtt + 1_500 * US, big, rtt=rtt, rate=25e6, cwnd=32,
                      label="fast:data")
    t_fast_end = t
    sim.close(k, t + 610 * MS, rtt, label="fastfin")
    t = sim.lookup(t + 2_640 * MS, "abs.twimg.com",
                   [("abs.twimg.com", "CNAME", 300, "cs196.wac.edgecastcdn.net"),
                    ("cs196.wac.edgecastcdn.net", "A", 3600, edge)], 11_870 * US, label="dns2")
    k2 = sim.tcp(edge, 443, ttl=55, mss=1460, ws=9)
    t = sim.handshake(k2, t + 900 * US, rtt, label="slow")

    def policed(t0: int, data: bytes) -> int:
        return policed_download(sim, k2, t0, data, rtt=rtt, rate=150e3, every=(9, 14),
                                label="slow:sh")

    t = sim.tls_open(k2, t, rtt, "abs.twimg.com", flight=policed, label="slow")
    big = app_data(rnd, *([16384] * 25))
    t = policed_download(sim, k2, t + rtt + 1_500 * US, big, rtt=rtt, rate=150e3,
                         every=(9, 14), label="slow:data")
    t_slow_end = t
    sim.close(k2, t + 1_180 * MS, rtt, label="slowfin")
    sim.finish()
    fast_s = (t_fast_end - sim.order[sim.f("fast:data") - 1][0]) / NS
    slow_s = (t_slow_end - sim.order[sim.f("slow:data") - 1][0]) / NS
    kbit_fast = len(big) * 8 / fast_s / 1000
    kbit_slow = len(big) * 8 / slow_s / 1000
    retx = sim.frames.get("@slow", [])

    data = as_pcapng(sim, eth_link(cl.mac, sim.gw_mac), 1, ifname="eth0", os_name="Linux 5.10")
    about = (
        "A Linux client in Russia on 12 March 2021 opens two TLS connections to the same "
        "CDN address (72.21.91.70:443, Edgecast, TTL 55, RTT 46 ms), both names resolving "
        "to it through the same CNAME. With SNI www.example-cdn.com, the server's 400 KB "
        f"response arrives at line rate ({kbit_fast / 1000:.1f} Mbit/s average over the "
        "transfer, slow start included, 25 Mbit/s bottleneck) with no loss. With SNI "
        "abs.twimg.com, everything the server sends after the ClientHello, starting with "
        f"its ServerHello, is held to about {kbit_slow:.0f} kbit/s. The same 400 KB takes "
        f"{slow_s:.0f} s. Every 9 to 14 segments one is missing (dropped by the policer): "
        "the client sends duplicate ACKs with SACK blocks and the server's fast "
        "retransmission fills the hole. That is policing by dropping, starting right "
        "after the ClientHello, while the same server delivers 100 times faster to an "
        "innocuous SNI. It matches the TSPU's Twitter throttling (130-150 kbit/s, SNI "
        "*.twimg.com). The packets are simulated, not a full TCP model. Censorship: "
        "throttling for abs.twimg.com.")
    shows = f"""
Client 192.168.1.64 (Linux), resolver 77.88.8.8. pcapng, Ethernet. Date 2021-03-12, after
the 11 March fix of the `*t.co*` substring rule. Segments carry 1448 bytes (MSS 1460 with
timestamps). The transfers are simulated: a Reno-like sender for the fast flow, and a
paced stream with policer drops for the throttled one.

- {sim.fr("dns1", "dns1:ans")}: www.example-cdn.com → CNAME cs196.wac.edgecastcdn.net →
  72.21.91.70.
- {sim.span("fast")}: **control**, SNI `www.example-cdn.com` ({sim.fr("fast:ch")}).
  Handshake, ServerHello {sim.fr("fast:sh")}, request {sim.fr("fast:req")}, then 409,725
  bytes of application data from {sim.fr("fast:data")}: initial window 32 segments, slow
  start, then a full 25 Mbit/s bottleneck: {fast_s * 1000:.0f} ms,
  {kbit_fast / 1000:.1f} Mbit/s, no retransmission.
- {sim.fr("dns2", "dns2:ans")}: abs.twimg.com → the same CNAME and address.
- Connection 2, SNI **`abs.twimg.com`** ({sim.fr("slow:ch")}), same server. The ServerHello
  flight (from {sim.fr("slow:sh")}) already arrives paced at about 150 kbit/s. The 409,725 bytes
  from {sim.fr("slow:data")} take {slow_s:.1f} s, **{kbit_slow:.0f} kbit/s**. Every 9-14
  segments one is missing; the client sends duplicate ACKs with SACK and the retransmission
  arrives one RTT after the third one. This flow is frames {retx[0]}-{retx[-1]} of the file.
- The client closes each connection with FIN soon after its transfer
  ({sim.fr("fastfin")}, {sim.fr("slowfin")}).
"""
    expected = """
- `throttling` for domain `abs.twimg.com` (must).
- Nothing else (no finding for www.example-cdn.com; retransmissions by themselves are not
  interference).
"""
    b = Built("capture.pcapng", data, about,
              [{"mechanism": "throttling", "domain": "abs.twimg.com"}])
    b.readme = readme("throttling-sni-twitter", throttling_sni_twitter,
                      fmt_line(sim, "capture.pcapng", "pcapng, Ethernet, µs"), shows, expected,
                      [f"{FINGERPRINTS} §5 THR-01 (Xue et al., *Throttling Twitter: An "
                       "Emerging Censorship Technique in Russia*, IMC 2021)",
                       f"{FINGERPRINTS} §5 THR-03 (for contrast: a byte cap, not a rate)",
                       REF_TRAPS])
    return b


def _tls_cut(sim: Sim, k: Flow, t: int, rtt: int, sni: str, budget: int, label: str,
             think: int = 2 * MS) -> int:
    """A TLS session of which the client receives only the first ``budget`` bytes from the
    server: ClientHello, the ServerHello flight, Finished and request, then response records
    up to the budget (ending inside a record). Returns the time of the last packet."""
    rnd = sim.rnd
    ch = client_hello(sni, rnd)
    t += 220 * US
    k.pkt("c", t, "PA", ch, label=label + ":ch")
    flight = server_flight(rnd, session_id_of(ch), 2980)
    t = sim.deliver(k, t + rtt + 650 * US, flight, rate=30e6, label=label + ":sh")
    t += 1_900 * US
    k.pkt("c", t, "PA", b"\x14\x03\x03\x00\x01\x01" + app_data(rnd, 53))
    t += 110 * US
    k.pkt("c", t, "PA", app_data(rnd, 230 + rnd.randrange(60)), label=label + ":req")
    return sim.deliver(k, t + rtt + think, app_data(rnd, 16384)[:budget - len(flight)],
                       rate=30e6, label=label + ":data")


def _frozen_tls(sim: Sim, k: Flow, t: int, rtt: int, sni: str, budget: int, wait: int,
                label: str) -> int:
    """:func:`_tls_cut`, then nothing from the server: the client waits ``wait`` ns, closes
    with FIN and retransmits it (1, 3, 7 s later) with no answer. Returns the time of the
    last FIN."""
    t = _tls_cut(sim, k, t, rtt, sni, budget, label)
    t_fin = t + wait
    isn = k.c.seq
    k.pkt("c", t_fin, "FA", label=label + ":fin")
    for d in (1, 3, 7):
        k.pkt("c", t_fin + d * NS, "FA", seq=isn, label=label + ":finretx")
    return t_fin + 7 * NS


def throttling_freeze_foreign_hosting() -> Built:
    """Russia, 2025 (THR-03): on a mobile network, every TLS connection to a site on a
    foreign hosting address stops receiving after about 16-17 KB; the browser waits, gives up
    with FINs nobody answers, and retries: the same again. Meanwhile a Russian CDN delivers
    280 KB at full speed."""
    cl = Client("10.172.33.18", mac="f2:6d:19:a4:0c:77")
    sim = Sim(at("2025-06-17T19:42:08"), 131, cl, resolver="10.172.0.1", resolver_ttl=63,
              gw_mac="00:1e:49:7a:10:02")
    host, site = "95.216.147.31", "www.meduza-mirror.net"
    rtt = 71_400 * US
    t = sim.lookup(0, site, [(site, "A", 300, host)], 38_200 * US, label="dns1")
    k = sim.tcp(host, 443, ttl=47, mss=1460, ws=7)
    t = sim.handshake(k, t + 1_100 * US, rtt, label="c1")
    t_end1 = _frozen_tls(sim, k, t, rtt, site, 16_940, 21 * NS, "c1")
    # during the first wait: a Russian CDN, fast
    t = sim.lookup(t + 4_300 * MS, "yastatic.net",
                   [("yastatic.net", "A", 600, "178.154.131.215")], 9_800 * US, label="dns2")
    k2 = sim.tcp("178.154.131.215", 443, ttl=57, mss=1460, ws=9)
    t = sim.handshake(k2, t + 800 * US, 12_300 * US, label="cdn")
    t = sim.tls(k2, t, 12_300 * US, "yastatic.net", resp=(16384,) * 17, rate=40e6,
                label="cdn")
    sim.close(k2, t + 2_200 * MS, 12_300 * US)
    # the browser retries after the first connection failed
    k3 = sim.tcp(host, 443, ttl=47, mss=1460, ws=7)
    t = sim.handshake(k3, t_end1 + 300 * MS, rtt, label="c2")
    t_end2 = _frozen_tls(sim, k3, t, rtt, site, 17_380, 19 * NS, "c2")
    t = sim.lookup(t + 6_100 * MS, "mc.yandex.ru",
                   [("mc.yandex.ru", "A", 600, "87.250.251.119")], 10_400 * US, label="dns3")
    k4 = sim.tcp("87.250.251.119", 443, ttl=57, mss=1460, ws=9)
    t = sim.handshake(k4, t + 700 * US, 11_900 * US, label="mc")
    t = sim.tls(k4, t, 11_900 * US, "mc.yandex.ru", resp=(2400,), rate=40e6, label="mc")
    sim.close(k4, t + 1_400 * MS, 11_900 * US)
    assert t_end2 > t
    sim.finish()
    data = pcap(sim.recs(sll2_link(cl.mac, sim.gw_mac)), 276)
    about = (
        "An Android phone on a Russian mobile network (10.172.33.18, June 2025) opens "
        f"{site}, a site on a Hetzner address (95.216.147.31, TTL 47, RTT 71 ms). The TLS "
        "handshake completes and the first response records arrive, then nothing more from "
        "the server: the server-to-client byte count stops at 16,940 bytes, with no RST and "
        "no FIN. The client waits 21 s, closes with a FIN and retransmits it 1, 3 and 7 s "
        "later: nothing answers it, not even the server's kernel. The browser retries on a "
        "new connection: the same again at 17,380 bytes. Meanwhile yastatic.net (a Russian "
        "CDN) delivers 280 KB at full speed and mc.yandex.ru works: the path works, the "
        "server answered both handshakes, and each connection to it dies after the same "
        "15-20 KB budget. That is the 2025 Russian freeze toward foreign hosting addresses "
        "(fingerprints THR-03). Censorship: throttling of " + site + ".")
    shows = f"""
Client 10.172.33.18 (Android), resolver 10.172.0.1. pcap, Linux SLL2 (rmnet), µs.

- {sim.fr("dns1", "dns1:ans")}: {site} → 95.216.147.31.
- {sim.span("c1")}: connection 1. ClientHello {sim.fr("c1:ch")}, ServerHello flight from
  {sim.fr("c1:sh")}, request {sim.fr("c1:req")}, response data from {sim.fr("c1:data")}
  until the server's byte count reaches 16,940. Then nothing from the server. The client's
  FIN {sim.fr("c1:fin")} 21 s later and its retransmissions {sim.fr("c1:finretx")} go
  unanswered.
- {sim.span("cdn")}: yastatic.net, 278 KB at full speed during that wait.
- {sim.span("c2")}: connection 2, the same: 17,380 bytes, then FIN {sim.fr("c2:fin")} and
  retransmissions {sim.fr("c2:finretx")}, unanswered.
- {sim.span("mc")}: mc.yandex.ru, fine.
"""
    expected = f"""
- `throttling` for domain `{site}` (must).
- Nothing else.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "throttling", "domain": site}])
    b.readme = readme("throttling-freeze-foreign-hosting", throttling_freeze_foreign_hosting,
                      fmt_line(sim, "capture.pcap", "pcap, Linux SLL2, µs"), shows, expected,
                      [f"{FINGERPRINTS} §5 THR-03 (net4people#490, #662: 15-20 KB freeze "
                       "toward foreign hosting addresses, 2025)", REF_TRAPS])
    return b


def benign_stall_wifi_outage() -> Built:
    """A download stops after 15 KB because the Wi-Fi link drops for about 20 s; nothing else
    gets through either, the client's FINs go unanswered; after the link returns a new
    connection works. No control: at most an observation."""
    cl = Client("192.168.0.41", mac="8c:85:90:12:aa:31")
    sim = Sim(at("2025-03-02T09:15:40"), 132, cl, resolver="192.168.0.1", resolver_ttl=64,
              gw_mac="cc:2d:e0:91:4a:07")
    host, site = "185.199.110.153", "docs.example-project.org"
    rtt = 38_900 * US
    t = sim.lookup(0, site, [(site, "A", 3600, host)], 14_100 * US, label="dns1")
    k = sim.tcp(host, 443, ttl=56, mss=1460, ws=9)
    t = sim.handshake(k, t + 900 * US, rtt, label="c1")
    t_end = _frozen_tls(sim, k, t, rtt, site, 15_220, 12 * NS, "c1")
    # the link is back: the browser reloads
    t = sim.lookup(t_end + 9 * NS, site, [(site, "A", 3600, host)], 15_300 * US, label="dns2")
    k2 = sim.tcp(host, 443, ttl=56, mss=1460, ws=9)
    t = sim.handshake(k2, t + 800 * US, rtt, label="c2")
    t = sim.tls(k2, t, rtt, site, resp=(16384,) * 6, rate=30e6, label="c2")
    sim.close(k2, t + 3_100 * MS, rtt)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        f"A laptop on home Wi-Fi loads {site} (GitHub Pages address 185.199.110.153). The "
        "response stops after 15,220 bytes: the Wi-Fi link dropped. Nothing else gets "
        "through either: no other flow receives anything while the client waits, closes "
        "with a FIN and retransmits it unanswered. When the link is back (about 20 s "
        "later), the browser resolves the name again and the page loads in full on a new "
        "connection. A stall inside the 15-20 KB window, but with no control showing the "
        "path worked meanwhile: not a claim of throttling (fingerprints §15 trap 6), at "
        "most an observation.")
    shows = f"""
Client 192.168.0.41, resolver 192.168.0.1. pcap, Ethernet, µs.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("c1")}: the first connection. Data from
  {sim.fr("c1:data")} stops at 15,220 bytes; FIN {sim.fr("c1:fin")} and retransmissions
  {sim.fr("c1:finretx")} unanswered; no other traffic meanwhile.
- {sim.fr("dns2", "dns2:ans")}, {sim.span("c2")}: after the outage, the same page loads in
  full.
"""
    return benign("benign-stall-wifi-outage", benign_stall_wifi_outage, sim, "capture.pcap",
                  "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §5 THR-03", f"{FINGERPRINTS} §15 trap 6 (timeouts that "
                   "are not blocking)"],
                  expected=BENIGN + "- A `throttling` observation may appear.\n",
                  observations=["throttling"])


def benign_stall_server_hung() -> Built:
    """A web application hangs after sending 17 KB of a response; the server's kernel still
    acknowledges the client's FIN. The same server delivered a large file on another
    connection. Not a freeze on the path."""
    cl = Client("10.0.5.23", mac="3c:22:fb:71:02:9e")
    sim = Sim(at("2025-05-11T14:03:12"), 133, cl, resolver="10.0.5.1", resolver_ttl=64,
              gw_mac="00:0d:b9:4f:2e:10")
    host, site = "116.203.77.40", "tracker.small-project.dev"
    rtt = 31_200 * US
    t = sim.lookup(0, site, [(site, "A", 300, host)], 12_800 * US, label="dns1")
    k = sim.tcp(host, 443, ttl=51, mss=1460, ws=7)
    t = sim.handshake(k, t + 900 * US, rtt, label="big")
    t = sim.tls(k, t, rtt, site, resp=(16384,) * 12, rate=30e6, label="big")
    sim.close(k, t + 1_500 * MS, rtt)
    k2 = sim.tcp(host, 443, ttl=51, mss=1460, ws=7)
    t = sim.handshake(k2, t + 4_200 * MS, rtt, label="hung")
    t = _tls_cut(sim, k2, t, rtt, site, 17_050, "hung", think=40 * MS)
    # a CDN keeps working meanwhile
    t2 = sim.lookup(t + 2 * NS, "cdn.jsdelivr.net",
                    [("cdn.jsdelivr.net", "A", 300, "151.101.1.229")], 9_900 * US, label="dns2")
    k3 = sim.tcp("151.101.1.229", 443, ttl=58, mss=1460, ws=9)
    t2 = sim.handshake(k3, t2 + 700 * US, 9_700 * US, label="cdn")
    t2 = sim.tls(k3, t2, 9_700 * US, "cdn.jsdelivr.net", resp=(16384,) * 5, rate=40e6,
                 label="cdn")
    sim.close(k3, t2 + 900 * MS, 9_700 * US)
    t += 30 * NS
    k2.pkt("c", t, "FA", label="hung:fin")
    k2.pkt("s", t + rtt, "A", label="hung:finack")  # the server's kernel is alive
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        f"A developer's laptop talks to {site} (116.203.77.40, a Hetzner address). A first "
        "connection downloads 196 KB in full. On a second connection the web application "
        "hangs after 17,050 bytes of its response. The client waits 30 s and closes with a "
        "FIN, which the server's kernel acknowledges at once: the path and the server are "
        "alive, only the application stopped writing (it never sends its FIN). A CDN keeps "
        "working meanwhile. Same server, same 15-20 KB window as the Russian freeze, but "
        "the acknowledged FIN shows nothing was dropped on the way. Not censorship.")
    shows = f"""
Client 10.0.5.23, resolver 10.0.5.1. pcap, Ethernet, µs.

- {sim.span("big")}: 196 KB from the same server, in full.
- {sim.span("hung")}: response data from {sim.fr("hung:data")} stops at 17,050 bytes.
  The client's FIN {sim.fr("hung:fin")} 30 s later is acknowledged by the server
  ({sim.fr("hung:finack")}).
- {sim.span("cdn")}: cdn.jsdelivr.net works meanwhile.
"""
    return benign("benign-stall-server-hung", benign_stall_server_hung, sim, "capture.pcap",
                  "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §5 THR-03", f"{FINGERPRINTS} §15 trap 6"])


def blackhole_tls_sni_control() -> Built:
    """Iran, April 2020 (OONI SNI test layout): SNI example.com to 93.184.216.34 completes
    the handshake; a second later SNI twitter.com to the same address gets its ClientHello
    retransmitted 3 times over 2.6 s, never ACKed, no RST or FIN."""
    cl = Client("192.168.1.102", mac="30:24:32:8f:1d:c4")
    sim = Sim(at("2020-04-20T08:31:10"), 114, cl, resolver="217.218.127.127", resolver_ttl=59,
              gw_mac="cc:2d:e0:70:5a:11")
    srv = "93.184.216.34"
    rtt = 121_406 * US
    t = sim.lookup(0, "example.com", [("example.com", "A", 86_400, srv)], 43_120 * US,
                   label="dns")
    k = sim.tcp(srv, 443, ttl=54, mss=1460, ws=9, win=128)
    t = sim.handshake(k, t + 800 * US, rtt, label="ok")
    t = sim.tls_open(k, t, rtt, "example.com", label="ok")
    t += 300 * US
    k.pkt("c", t, "PA", app_data(sim.rnd, 19))
    t = sim.close(k, t + 80 * US, rtt)
    k = sim.tcp(srv, 443, ttl=54, mss=1460, ws=9, win=128)
    t = sim.handshake(k, t + 1_180 * MS, rtt, label="blk")
    ch = client_hello("twitter.com", sim.rnd)
    t += 210 * US
    seq = k.c.seq
    k.pkt("c", t, "PA", ch, label="blk:ch")
    t_ch = t
    rto = 372 * MS
    for i in range(3):
        t += rto << i
        k.pkt("c", t, "PA", ch, seq=seq, advance=False, label="retx")
    sim.lookup(t_ch + 4_315 * MS, "www.aparat.com",
               [("www.aparat.com", "A", 300, "185.147.178.14")], 27_450 * US, label="dns2")
    sim.finish()

    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A client in Iran (April 2020) runs an SNI test against example.com's address "
        "93.184.216.34:443 (SYN/ACK TTL 54, RTT 121 ms). First, a connection with SNI "
        "example.com completes its TLS handshake and closes normally. A second later, a "
        "new connection to the same address completes its TCP handshake and sends a "
        "ClientHello with SNI twitter.com. Nothing ever comes back: no ACK, no "
        "ServerHello, no RST, no FIN. The client retransmits the identical ClientHello "
        "after 0.37 s, 1.12 s and 2.60 s (exponential back-off). The server is up and "
        "reachable on that port, and the only difference is the SNI, so a device on the "
        "path drops the connection once it sees the name (TLS-02, as OONI observed on "
        "AS58224/AS12880). Censorship: blackhole for twitter.com.")
    shows = f"""
Client 192.168.1.102 (Linux), ISP resolver 217.218.127.127. pcap, Ethernet. Date 2020-04-20,
the week of OONI's report on SNI blocking in Iran.

- {sim.fr("dns", "dns:ans")}: DNS example.com → 93.184.216.34.
- {sim.span("ok")}: **control**: TCP handshake (SYN/ACK TTL 54, RTT 121.4 ms), ClientHello
  with SNI `example.com` {sim.fr("ok:ch")}, ServerHello {sim.fr("ok:sh")}, the client's
  Finished, close_notify, FIN exchange.
- {sim.fr("blk:syn", "blk:synack", "blk:ack")}: a new connection to the same address and
  port; SYN/ACK TTL 54.
- {sim.fr("blk:ch")}: ClientHello with SNI **`twitter.com`**.
- {sim.fr("retx")}: the same ClientHello retransmitted (same sequence number and bytes)
  {sim.ms("blk:ch", "retx")} later, then after twice and four times that interval. No
  packet from the server follows the ClientHello until the capture ends
  {(sim.order[-1][0] - sim.order[sim.f("blk:ch") - 1][0]) / NS:.1f} s later: no ACK, no
  RST, no FIN.
- {sim.fr("dns2", "dns2:ans")}: an unrelated DNS lookup (www.aparat.com) 4.3 s after the
  ClientHello; the capture stops before the fourth retransmission would be due (5.6 s).
"""
    expected = """
- `blackhole` for domain `twitter.com` (must): the ClientHello is unanswered while the same
  server answers another SNI in the same minute.
- Nothing for example.com.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "blackhole", "domain": "twitter.com"}])
    b.readme = readme("blackhole-tls-sni-control", blackhole_tls_sni_control,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, µs"), shows, expected,
                      [f"{FINGERPRINTS} §4 TLS-02 (SNI-triggered blackholing; OONI, "
                       "*Measuring SNI based blocking in Iran*, 2020)", REF_RST08,
                       f"{FINGERPRINTS} §15 trap 6 (timeouts need a control)"])
    return b



def blackhole_ip_vpn_control() -> Built:
    """Russia: SYNs to LinkedIn's address go unanswered on the direct path while the client's
    other connections work; through the client's VPN tunnel (its own address 10.8.0.6) the
    same address and port answer at once and TLS completes."""
    cl = Client("192.168.88.30", mac="d8:bb:c1:0a:44:5e")
    sim = Sim(at("2023-05-16T09:12:40"), 140, cl, resolver="192.168.88.1", resolver_ttl=64,
              gw_mac="48:8f:5a:21:9c:03")
    srv = "13.107.42.14"
    t = sim.lookup(0, "ya.ru", [("ya.ru", "A", 600, "77.88.55.242")], 9_800 * US, label="dns1")
    k = sim.tcp("77.88.55.242", 443, ttl=57, mss=1460, ws=10)
    t = sim.handshake(k, t + 700 * US, 11_400 * US, label="ya")
    t = sim.tls(k, t, 11_400 * US, "ya.ru", resp=(1400, 16384, 9000), label="ya")
    t = sim.lookup(t + 2_310 * MS, "www.linkedin.com",
                   [("www.linkedin.com", "CNAME", 300, "www-linkedin-com.l-0005.l-msedge.net"),
                    ("www-linkedin-com.l-0005.l-msedge.net", "CNAME", 240,
                     "l-0005.l-msedge.net"),
                    ("l-0005.l-msedge.net", "A", 240, srv)], 10_900 * US, label="dns2")
    t_blk = t + 600 * US
    k = sim.tcp(srv, 443, ttl=51)
    _syn_timeout(k, t_blk, "blk1", (1, 3))
    t = sim.lookup(t_blk + 2_140 * MS, "vk.com", [("vk.com", "A", 300, "87.240.132.72")],
                   8_700 * US, label="dns3")
    k = sim.tcp("87.240.132.72", 443, ttl=56, mss=1460, ws=9)
    t = sim.handshake(k, t + 600 * US, 13_100 * US, label="vk")
    sim.tls(k, t, 13_100 * US, "vk.com", resp=(1400, 16384, 16384, 4000), label="vk")
    k = sim.tcp(srv, 443, ttl=51)
    _syn_timeout(k, t_blk + 9_420 * MS, "blk2", (1,))
    # the VPN comes up: the tunnel's own address, another path to the same server
    k = sim.tcp(srv, 443, ttl=109, os="windows", mss=1340, ws=8, win=1026, ts=False)
    k.c.ip = "10.8.0.6"
    k.c.mss = 1289
    t = sim.handshake(k, t_blk + 31_870 * MS, 71_300 * US, label="vpn")
    sim.tls(k, t, 71_300 * US, "www.linkedin.com", resp=(1300, 16384, 16384, 16384, 7000),
            rate=20e6, label="vpn")
    sim.finish()
    data = pcap(sim.recs(sll2_link(cl.mac, sim.gw_mac)), 276)
    about = (
        "A laptop in Russia (May 2023), captured on Linux's `any` device (SLL2), so the "
        "physical interface and the OpenVPN tunnel are both in the capture. ya.ru and vk.com "
        "load normally over the direct path. www.linkedin.com resolves to 13.107.42.14 "
        "(an ordinary Microsoft edge address; the DNS is not tampered with), but two "
        "connection attempts to 13.107.42.14:443 get nothing at all: three SYNs at 0, 1 and "
        "3 s, then two more 9 s later; no SYN/ACK, no RST, no ICMP. In between, the same "
        "laptop's connection to vk.com opens and loads on the same path. Then the user "
        "starts the VPN: from the tunnel's address 10.8.0.6, the same server address and "
        "port answer the SYN at once (SYN/ACK TTL 109, a Windows-like stack, 71 ms round "
        "trip through the VPN) and TLS for www.linkedin.com completes. The server is up, the "
        "client's own network works, and only the direct path to that address drops "
        "everything: IP blocking (IP-01), with the other path as the control. Roskomnadzor "
        "has blocked LinkedIn by address since 2016.")
    shows = f"""
Client 192.168.88.30 (Linux), home router 192.168.88.1 as DNS forwarder; OpenVPN tunnel
address 10.8.0.6. pcap, Linux cooked capture v2 (SLL2, the `any` device).

- {sim.fr("dns1", "dns1:ans")}, {sim.span("ya")}: DNS and TLS to ya.ru over the direct path.
- {sim.fr("dns2", "dns2:ans")}: www.linkedin.com → CNAMEs → **13.107.42.14**.
- {sim.fr("blk1", "blk1:retx")}: SYN to 13.107.42.14:443 and its retransmissions (1 s, 3 s). Never
  answered.
- {sim.fr("dns3", "dns3:ans")}, {sim.span("vk")}: meanwhile, DNS and TLS to vk.com work on
  the same path.
- {sim.fr("blk2", "blk2:retx")}: a second attempt to 13.107.42.14:443, SYN and one
  retransmission. Never answered.
- {sim.span("vpn")}: from the VPN tunnel's address **10.8.0.6**, the same 13.107.42.14:443
  answers (SYN/ACK {sim.fr("vpn:synack")}) and TLS with SNI www.linkedin.com completes.
"""
    expected = """
- `blackhole` for address `13.107.42.14` (must; domain www.linkedin.com): SYNs unanswered on
  the direct path while the same server answers the VPN tunnel's address and the direct path
  works for other servers.
- Nothing for ya.ru or vk.com.
"""
    b = Built("capture.pcap", data, about,
              [{"mechanism": "blackhole", "ip": srv, "domain": "www.linkedin.com"}])
    b.readme = readme("blackhole-ip-vpn-control", blackhole_ip_vpn_control,
                      fmt_line(sim, "capture.pcap", "pcap, Linux SLL2, µs"), shows, expected,
                      [f"{FINGERPRINTS} §8 IP-01 (IP blocking; the control a server that is "
                       "up and reachable another way gives)",
                       f"{FINGERPRINTS} §15 trap 6 (timeouts need a control)"])
    return b


def benign_wifi_dead_lte_works() -> Built:
    """A phone's Wi-Fi uplink dies: SYNs to every server go unanswered on the Wi-Fi address;
    the phone moves to mobile data (another address) and the same server answers at once."""
    cl = Client("192.168.0.23", mac="a8:9c:ed:31:7f:02")
    sim = Sim(at("2022-09-03T18:20:11"), 141, cl, resolver="192.168.0.1", resolver_ttl=64,
              gw_mac="b0:95:75:c2:11:8e")
    t = sim.lookup(0, "www.openstreetmap.org",
                   [("www.openstreetmap.org", "A", 3600, "184.104.226.105")], 21_700 * US,
                   label="dns1")
    k = sim.tcp("184.104.226.105", 443, ttl=53, mss=1460, ws=9)
    t = sim.handshake(k, t + 900 * US, 88_030 * US, label="osm")
    sim.tls(k, t, 88_100 * US, "www.openstreetmap.org", resp=(1300, 16384, 8000),
            rate=30e6, label="osm")
    wiki = "185.15.59.224"
    t = sim.lookup(38_900 * MS, "www.wikipedia.org",
                   [("www.wikipedia.org", "CNAME", 21_542, "dyna.wikimedia.org"),
                    ("dyna.wikimedia.org", "A", 426, wiki)], 19_300 * US, label="dns2")
    t_dead = t + 800 * US
    k = sim.tcp(wiki, 443, ttl=54)
    _syn_timeout(k, t_dead, "dead1", (1, 3, 7))
    k = sim.tcp("142.250.185.74", 443, ttl=57)
    _syn_timeout(k, t_dead + 2_310 * MS, "dead2", (1, 3))
    k = sim.tcp(wiki, 443, ttl=54)
    _syn_timeout(k, t_dead + 8_950 * MS, "dead3", (1,))
    # the phone gives up on Wi-Fi and uses mobile data (a carrier-grade NAT address)
    k = sim.tcp(wiki, 443, ttl=52, mss=1400, ws=9)
    k.c.ip = "100.78.33.201"
    t = sim.handshake(k, t_dead + 14_400 * MS, 46_200 * US, label="lte")
    sim.tls(k, t, 46_200 * US, "www.wikipedia.org", resp=(1300, 16384, 16384, 6000),
            rate=15e6, label="lte")
    sim.finish()
    data = pcap(sim.recs(sll2_link(cl.mac, sim.gw_mac)), 276)
    about = (
        "An Android phone, captured on the `any` device (SLL2). On Wi-Fi (192.168.0.23) "
        "www.openstreetmap.org loads normally. Forty seconds later the Wi-Fi's uplink dies "
        "(the access point stays associated): a DNS answer for www.wikipedia.org still comes "
        "from the router, but SYNs to 185.15.59.224:443 go unanswered (0, 1, 3, 7 s), so do "
        "SYNs to a Google address, and a second attempt to Wikipedia. Nothing on Wi-Fi "
        "works any more. The phone then switches to mobile data (100.78.33.201, a "
        "carrier-grade NAT address) and the same server address and port answer at once; "
        "TLS for www.wikipedia.org completes. Another address reached the server while the "
        "first failed, but the first address's whole path was down: no connection to any "
        "server worked on it meanwhile. An outage, not a filter.")
    shows = f"""
Android phone, Wi-Fi address 192.168.0.23 (router 192.168.0.1), mobile data address
100.78.33.201. pcap, Linux cooked capture v2 (SLL2, the `any` device).

- {sim.fr("dns1", "dns1:ans")}, {sim.span("osm")}: DNS and TLS to www.openstreetmap.org on
  Wi-Fi.
- {sim.fr("dns2", "dns2:ans")}: www.wikipedia.org → 185.15.59.224 (the router answers).
- {sim.fr("dead1", "dead1:retx")}, {sim.fr("dead3", "dead3:retx")}: SYNs to
  185.15.59.224:443 on Wi-Fi, never answered.
- {sim.fr("dead2", "dead2:retx")}: SYNs to 142.250.185.74:443 on Wi-Fi, never answered
  either.
- {sim.span("lte")}: from the mobile address 100.78.33.201, 185.15.59.224:443 answers and
  TLS for www.wikipedia.org completes.
"""
    return benign("benign-wifi-dead-lte-works", benign_wifi_dead_lte_works, sim,
                  "capture.pcap", "pcap, Linux SLL2, µs", data, about, shows,
                  [f"{FINGERPRINTS} §8 IP-01 FP traps", f"{FINGERPRINTS} §15 trap 6",
                   f"{FINGERPRINTS} §8 IP-01 (a control path must itself be working)"],
                  observations=["blackhole"])


def benign_server_capture_slow_client() -> Built:
    """A web server's own capture: a phone on a poor mobile link downloads a page slowly, with
    losses, while a home client downloads from another of the server's names at full speed.
    The slow download's only control is another client's, on another path."""
    cl = Client("37.80.12.9", ttl=49, mac="0c:42:a1:7e:55:01")  # the phone (carrier NAT)
    sim = Sim(at("2023-10-04T19:02:51"), 143, cl, gw_mac="96:00:02:3b:8c:1f")
    srv = "88.198.53.117"
    body = sim.rnd.randbytes(96_000)
    k = sim.tcp(srv, 443, ttl=64, mss=1460, ws=7)
    k.c.mss = 1400
    rtt = 187_400 * US
    t = sim.handshake(k, 0, rtt, label="slow")
    t = sim.tls_open(k, t, rtt, "shop.bergkaffee.de", label="slow")
    t = reno_download(sim, k, t + rtt + 900 * US, app_data(sim.rnd, 16_384, 16_384, 16_384,
                                                           16_384, 16_384, len(body) - 81_920),
                      rtt=rtt, rate=0.12e6, loss=0.06, cwnd=4, label="slowdata")
    sim.close(k, t + 90 * MS, rtt)
    k = sim.tcp(srv, 443, ttl=64, mss=1460, ws=7)
    k.c.ip, k.c.ttl = "91.64.137.18", 55
    rtt2 = 21_300 * US
    t = sim.handshake(k, 14_200 * MS, rtt2, label="fast")
    sim.tls(k, t, rtt2, "static.bergkaffee.de", resp=(16_384,) * 12, rate=40e6, label="fast")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1, nano=True)
    about = (
        "tcpdump on a small shop's web server (88.198.53.117) in Germany: its own packets "
        "carry TTL 64, the clients' arrive decremented. A phone on a poor mobile link "
        "(37.80.12.9, a carrier's NAT address, 187 ms round trip) loads shop.bergkaffee.de: "
        "about 96 KB arrive at roughly 100 kbit/s, with losses, duplicate ACKs and "
        "retransmissions. Fourteen seconds later a home DSL client (91.64.137.18, 21 ms) "
        "downloads about 200 KB from static.bergkaffee.de, another name of the same server, "
        "at tens of Mbit/s. Trap: a slow download of one name next to a fast one of another "
        "from the same server, the shape of SNI throttling. But the fast download was another "
        "client's, on another network: it says nothing about the phone's path. The phone got "
        "no control of its own. Not throttling.")
    shows = f"""
The server's own capture (88.198.53.117), Ethernet, ns. Two clients, two names.

- {sim.span("slow")}: the phone 37.80.12.9 (IP TTL 49 at the server), SNI shop.bergkaffee.de,
  about 96 KB at roughly 100 kbit/s with losses and retransmissions.
- {sim.span("fast")}: the home client 91.64.137.18 (TTL 55), SNI static.bergkaffee.de,
  about 200 KB at tens of Mbit/s.
"""
    return benign("benign-server-capture-slow-client", benign_server_capture_slow_client, sim,
                  "capture.pcap", "pcap, Ethernet, ns", data, about, shows,
                  [f"{FINGERPRINTS} THR-01 (the control is the same client's other SNI)",
                   f"{FINGERPRINTS} §15 traps (congestion and lossy links)"])


def _time_exceeded(sim: Sim, t: int, router: str, hops: int, ipid: int, quote: int) -> None:
    """An ICMP time-exceeded from ``router`` (``hops`` away, initial TTL 255) for the packet
    just added, quoting its IP header (TTL 1, as it arrived) and ``quote`` bytes after it."""
    orig = IP(sim._pk[-1][2])
    orig.ttl = 1
    del orig.chksum
    quoted = bytes(orig)[:20 + quote]
    pkt = IP(src=router, dst=orig.src, ttl=256 - hops, id=ipid) / ICMP(type=11, code=0) / \
        Raw(quoted)
    sim.add(t, bytes(pkt), False, "icmp")


def _unreachable(sim: Sim, t: int, router: str, ttl: int, code: int, *, v6: bool = False,
                 label: str = "icmp") -> None:
    """An ICMP (ICMPv6) destination-unreachable with ``code`` from ``router`` (arriving with
    TTL ``ttl``) for the packet just added, quoting its IP header and 8 bytes after it (the
    whole packet for ICMPv6, RFC 4443 §3.1)."""
    orig = sim._pk[-1][2]
    if v6:
        pkt = IPv6(src=router, dst=IPv6(orig).src, hlim=ttl) / \
            ICMPv6DestUnreach(code=code) / Raw(orig)
    else:
        ihl = (orig[0] & 15) * 4
        pkt = IP(src=router, dst=IP(orig).src, ttl=ttl, id=sim.rnd.getrandbits(16)) / \
            ICMP(type=3, code=code) / Raw(orig[:ihl + 8])
    sim.add(t, bytes(pkt), False, label)


def _visit(sim: Sim, t: int, name: str, addr: str, *, ttl: int, rtt: int, dns_rtt: int,
           label: str) -> int:
    """An ordinary visit: a lookup, a TLS session with a small response, an orderly close.
    Returns the time of the last packet."""
    t = sim.lookup(t, name, [(name, "A", 300, addr)], dns_rtt, label=label + ":dns")
    k = sim.tcp(addr, 443, ttl=ttl)
    t = sim.handshake(k, t + 700 * US, rtt, label=label)
    t = sim.tls(k, t, rtt, name, resp=(1400, 16384, 6000), label=label)
    return sim.close(k, t + 900 * MS, rtt)


def obs_syn_icmp_prohibited() -> Built:
    """Happy Eyeballs to a blocked site: the SYN over IPv6 draws an ICMPv6 "administratively
    prohibited" from a router five hops out, the SYN over IPv4 an ICMP "administratively
    prohibited" from the same operator's border; the browser tries once more, the same; other
    sites load normally before and after."""
    cl = Client("192.168.1.34", ip6="2003:e5:9f1c:4a00:8d3e:71ff:fe0c:5b21",
                mac="9c:b6:d0:4e:17:a3")
    sim = Sim(at("2024-11-05T19:12:40"), 143, cl, resolver="192.168.1.1",
              resolver_ttl=64, gw_mac="7c:ff:4d:62:0a:11")
    t = _visit(sim, 0, "www.wikipedia.org", "185.15.59.224", ttl=55, rtt=27_300 * US,
               dns_rtt=15_400 * US, label="wiki")
    name, v4, v6 = "www.torproject.org", "116.202.120.165", "2a01:4f8:fff0:4f:266:37ff:fe2c:5d19"
    t = sim.lookup(t + 2_140 * MS, name, [(name, "AAAA", 60, v6)], 17_900 * US,
                   qtype="AAAA", label="dns6")
    t = sim.lookup(t + 300 * US, name, [(name, "A", 60, v4)], 18_300 * US, label="dns4")
    r6, r4 = "2003:0:1f03:e000::2", "62.157.249.66"
    for attempt in ("1", "2"):
        k = sim.tcp(v6, 443, ttl=51, v6=True)
        k.pkt("c", t + 400 * US, "S", label="syn6")
        _unreachable(sim, t + 7_100 * US, r6, 60, 1, v6=True, label="icmp6")
        t += 7_400 * US
        k = sim.tcp(v4, 443, ttl=51)
        k.pkt("c", t + 250 * US, "S", label="syn4")
        _unreachable(sim, t + 6_900 * US, r4, 250, 13, label="icmp4")
        t += 1_000 * MS if attempt == "1" else 7_000 * US
    _visit(sim, t + 3_600 * MS, "www.openstreetmap.org", "184.104.226.105", ttl=53,
           rtt=88_000 * US, dns_rtt=16_200 * US, label="osm")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1, nano=True)
    about = (
        "A dual-stack home client (Linux, 192.168.1.34 and 2003:e5:9f1c:4a00::/56) loads "
        "www.wikipedia.org normally, then resolves www.torproject.org (AAAA "
        "2a01:4f8:fff0:4f:266:37ff:fe2c:5d19, A 116.202.120.165; ordinary answers from the "
        "home router). The browser tries IPv6 first: its SYN draws an ICMPv6 destination "
        "unreachable, code 1 'administratively prohibited', from 2003:0:1f03:e000::2, a "
        "router five hops out (hop limit 60 on arrival), which quotes the SYN. The IPv4 SYN "
        "then draws an ICMP destination unreachable, code 13 'communication administratively "
        "prohibited', from 62.157.249.66 (TTL 250: five hops from an initial 255), quoting "
        "it. Each is a hard error for Linux, so each SYN is sent once; a second attempt a "
        "second later meets the same two refusals. Afterwards www.openstreetmap.org loads "
        "normally. A router on the way refusing both addresses of one site fits IP blocking "
        "(fingerprints IP-01: 'ICMP unreachable'), but also an operator's firewall rule for "
        "any reason; no control shows the site reachable by another path, and no DNS "
        "tampering. Expected: no finding, and a blackhole observation for the site that "
        "names the routers' refusals.")
    shows = f"""
Client 192.168.1.34 / 2003:e5:9f1c:4a00:8d3e:71ff:fe0c:5b21 (Linux), home router
192.168.1.1 as DNS forwarder. pcap, Ethernet, ns.

- {sim.fr("wiki:dns")}, {sim.span("wiki")}: DNS and TLS to www.wikipedia.org. Ordinary
  traffic.
- {sim.fr("dns6")}, {sim.fr("dns4")}: AAAA and A for www.torproject.org, ordinary answers.
- {sim.fr("syn6")}: SYNs to [2a01:4f8:fff0:4f:266:37ff:fe2c:5d19]:443, one per attempt.
- {sim.fr("icmp6")}: ICMPv6 destination unreachable, **administratively prohibited**, from
  2003:0:1f03:e000::2 (hop limit 60), quoting each.
- {sim.fr("syn4")}: SYNs to 116.202.120.165:443, one per attempt.
- {sim.fr("icmp4")}: ICMP destination unreachable, code 13 (**communication
  administratively prohibited**), from 62.157.249.66 (TTL 250), quoting each.
- {sim.fr("osm:dns")}, {sim.span("osm")}: DNS and TLS to www.openstreetmap.org. Ordinary
  traffic.
"""
    return benign("obs-syn-icmp-prohibited", obs_syn_icmp_prohibited, sim, "capture.pcap",
                  "pcap, Ethernet, ns", data, about, shows,
                  [f"{FINGERPRINTS} §8 IP-01 (ICMP unreachable; its FP traps)",
                   f"{FINGERPRINTS} §12 (OONI host_unreachable)",
                   REF_CONTRACT + ": weak signals go to observations"],
                  expected=BENIGN + "- A `blackhole` observation for www.torproject.org "
                                    "must appear in `observations`.\n",
                  observations=["blackhole"])


def benign_syn_host_firewall_reject() -> Built:
    """A server's own firewall rejects a port with ICMP port unreachable (iptables REJECT's
    default), so the SYN is refused by the server's address itself; an upload to another
    server meets a fragmentation-needed error (path MTU discovery) and goes on."""
    cl = Client("10.20.4.17", mac="48:2a:e3:19:c0:5d")
    sim = Sim(at("2025-03-18T09:47:03"), 144, cl, resolver="10.20.0.2", resolver_ttl=63,
              gw_mac="00:1b:21:8a:44:e0")
    name, srv = "git.example-lab.eu", "49.12.133.201"
    t = sim.lookup(0, name, [(name, "A", 3600, srv)], 9_100 * US, label="dns")
    rtt = 31_200 * US
    # ssh to the server works
    k = sim.tcp(srv, 22, ttl=52)
    t = sim.handshake(k, t + 600 * US, rtt, label="ssh")
    t = sim.send(k, "s", t + rtt, b"SSH-2.0-OpenSSH_9.6\r\n", label="banner")
    t = sim.send(k, "c", t + 200 * US, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
    t = sim.close(k, t + 1_200 * MS, rtt)
    # the web UI port is rejected by the host's own firewall, twice (a retry by the user)
    for _ in range(2):
        k = sim.tcp(srv, 3000, ttl=52)
        k.pkt("c", t + 2_000 * MS, "S", label="syn")
        _unreachable(sim, t + 2_000 * MS + rtt, srv, 52, 3, label="icmp")
        t += 2_000 * MS + rtt
    # an upload over a tunnel with a smaller MTU: fragmentation needed, then smaller segments
    up = "116.203.4.88"
    t = sim.lookup(t + 3_000 * MS, "upload.example-lab.eu",
                   [("upload.example-lab.eu", "A", 600, up)], 8_800 * US, label="dns2")
    k = sim.tcp(up, 443, ttl=54)
    t = sim.handshake(k, t + 500 * US, 24_000 * US, label="up")
    t = sim.tls(k, t, 24_000 * US, "upload.example-lab.eu", resp=(1200,), label="up")
    seq = k.c.seq
    big = app_data(sim.rnd, 1383)
    k.pkt("c", t + 1_000 * US, "PA", big, label="big")
    mtu = IP(src="10.20.0.1", dst=cl.ip, ttl=255, id=0) / \
        ICMP(type=3, code=4, nexthopmtu=1400) / Raw(sim._pk[-1][2][:28])
    sim.add(t + 1_600 * US, bytes(mtu), False, "frag")
    for i in range(2):  # the same bytes again, in two segments
        k.pkt("c", t + 2_000 * US + i * 20 * US, "PA", big[i * 694:(i + 1) * 694],
              seq=seq + i * 694, advance=False, label="small")
    t = sim.send(k, "s", t + 2_000 * US + 24_000 * US, app_data(sim.rnd, 295))
    sim.close(k, t + 500 * MS, 24_000 * US)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1, nano=True)
    about = (
        "A developer's laptop (10.20.4.17, office network) resolves git.example-lab.eu "
        "(49.12.133.201) and opens an SSH session to it, which works. Then it tries the "
        "server's web interface on port 3000, which the server's own firewall rejects "
        "(iptables REJECT, whose default is an ICMP port unreachable): each SYN draws an "
        "ICMP destination unreachable, code 3 (port unreachable), sent by 49.12.133.201 "
        "itself with the TTL of its other packets (52), quoting the SYN. Linux reports "
        "ECONNREFUSED at once, and the user's retry gets the same. Later an upload to "
        "another server crosses a link with a smaller MTU: the office gateway returns ICMP "
        "fragmentation needed (next-hop MTU 1400) for a full-size segment, and the laptop "
        "sends the data again in two smaller segments; the upload completes. Traps: SYNs "
        "refused by ICMP (IP-01's 'ICMP unreachable'), and an ICMP destination-unreachable "
        "quoting a data packet. Not censorship: the refusal comes from the server's own "
        "address, as a closed port's RST would, and the server answers on port 22; "
        "fragmentation needed is path MTU discovery.")
    shows = f"""
Laptop 10.20.4.17 (Linux), office resolver 10.20.0.2, gateway 10.20.0.1. pcap, Ethernet, ns.

- {sim.fr("dns")}: DNS A git.example-lab.eu → 49.12.133.201.
- {sim.span("ssh")}: SSH to 49.12.133.201:22 works (server TTL 52; banner {sim.fr("banner")}).
- {sim.fr("syn")}: SYNs to 49.12.133.201:3000, one per attempt.
- {sim.fr("icmp")}: ICMP destination unreachable, **port unreachable**, from
  **49.12.133.201 itself** (TTL 52), quoting each SYN.
- {sim.span("up")}: TLS upload to upload.example-lab.eu (116.203.4.88); {sim.fr("big")} a
  1388-byte segment, {sim.fr("frag")} ICMP fragmentation needed (MTU 1400) from the
  gateway, {sim.fr("small")} the data again in two segments; the server answers.
"""
    return benign("benign-syn-host-firewall-reject", benign_syn_host_firewall_reject, sim,
                  "capture.pcap", "pcap, Ethernet, ns", data, about, shows,
                  [f"{FINGERPRINTS} §8 IP-01 FP traps (port closed)",
                   f"{FINGERPRINTS} §15 trap 1 (legitimate refusals)"])


def benign_ttl_limited_probe() -> Built:
    """A CenTrace-style measurement: for each TTL, a full handshake, then the ClientHello
    sent with that TTL; below the server's distance it expires at a router (ICMP time
    exceeded, quoting it), is retransmitted twice, and the prober resets the connection with
    the same lowered TTL; at the full distance the server answers."""
    cl = Client("45.32.181.207", mac="56:00:04:3a:91:c7")
    sim = Sim(at("2024-02-07T03:41:09"), 142, cl, resolver="108.61.10.10", resolver_ttl=61,
              gw_mac="fe:00:04:3a:91:c7")
    srv, dist = "116.203.150.44", 12
    routers = ["45.32.180.1", "100.100.100.9", "", "62.115.176.41", "62.115.136.46",
               "62.115.114.89", "213.248.97.3", "", "213.239.229.38", "213.239.252.90",
               "213.133.112.166"]
    rtt = 22_310 * US
    t = sim.lookup(0, "www.pressfreedom-monitor.org",
                   [("www.pressfreedom-monitor.org", "A", 300, srv)], 1_900 * US, label="dns")
    for ttl in (1, 2, 3, 5, 8, 11, 12):
        for name in ("www.pressfreedom-monitor.org", "www.example.com"):
            k = sim.tcp(srv, 443, ttl=64 - dist, mss=1460, ws=7)
            lab = f"t{ttl}"
            t = sim.handshake(k, t + 400 * MS, rtt, label=lab)
            ch = client_hello(name, sim.rnd)
            seq = k.c.seq
            t += 200 * US
            k.pkt("c", t, "PA", ch, ttl=ttl, label=lab + ":ch")
            if ttl >= dist:
                t = sim.tls(k, t - 200 * US, rtt, name, resp=(1200,), label=lab + "ok")
                t = sim.close(k, t + 300 * US, rtt)
                continue
            router = routers[ttl - 1]
            hop_rtt = (600 + 1_700 * ttl) * US
            for i, wait in enumerate((0, 204 * MS, 612 * MS)):
                if i:
                    k.pkt("c", t + wait, "PA", ch, seq=seq, advance=False, ttl=ttl,
                          label=lab + ":retx")
                if router:
                    _time_exceeded(sim, t + wait + hop_rtt, router, ttl,
                                   sim.rnd.getrandbits(16), 8 if ttl < 5 else 548)
            t += 1_000 * MS
            k.pkt("c", t, "RA", ttl=ttl, opts=[], label=lab + ":rst")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1, nano=True)
    about = (
        "A CenTrace-style measurement from a VPS (45.32.181.207) toward an ordinary web "
        "server, 116.203.150.44, 12 hops away (its packets arrive with TTL 52). For each "
        "TTL k in 1, 2, 3, 5, 8, 11 and 12, and for a test name (www.pressfreedom-monitor.org) "
        "and a control (www.example.com): a normal full-TTL TCP handshake, then the "
        "ClientHello sent with the socket's TTL lowered to k, two retransmissions, and after "
        "a second an abortive close (RST+ACK) that carries the same TTL k. Below 12 the "
        "ClientHello never reaches the server: each copy draws an ICMP time-exceeded from "
        "router k quoting it (hop 3 stays silent), so the server never answers it. At TTL "
        "12 the server answers both names normally. Traps: ClientHellos with a sensitive "
        "name left unanswered and then reset, and RSTs from the client whose TTL (k) is far "
        "from the client's handshake TTL (64). Not censorship: the RSTs carry the TTL of the "
        "prober's own ClientHellos, the ICMP quotes show the ClientHellos expired in "
        "transit, the control behaves the same, and at the full TTL the test name works.")
    shows = f"""
Prober 45.32.181.207 (Linux VPS), server 116.203.150.44 (12 hops). pcap, Ethernet, ns.

- {sim.fr("dns")}: www.pressfreedom-monitor.org → 116.203.150.44.
- Per TTL k < 12, per name: handshake (full TTL), ClientHello with IP TTL k, two
  retransmissions, ICMP time-exceeded from router k quoting each copy (none at k = 3), then
  RST+ACK from the prober with IP TTL k ({sim.fr("t1:rst")} for k = 1).
- ICMP time-exceeded: {sim.fr("icmp")}.
- {sim.fr("t12:ch")}: the ClientHellos at TTL 12 reach the server; both handshakes complete.
"""
    return benign("benign-ttl-limited-probe", benign_ttl_limited_probe, sim, "capture.pcap",
                  "pcap, Ethernet, ns", data, about, shows,
                  [f"{FINGERPRINTS} CenTrace (TTL-limited probes and ICMP quotes)",
                   f"{FINGERPRINTS} §15 trap 1 (legitimate RSTs)"])


def _ignored(f: Flow, t: int, rtos: Sequence[int], who: str, payload: bytes, seq: int,
             label: str, ack: int | None = None) -> list[int]:
    """``payload`` at ``seq`` sent again by ``who`` after each of ``rtos`` (ns, cumulative
    back-off from ``t``), acknowledging ``ack`` (None: all the peer sent); returns the send
    times."""
    out = []
    for rto in rtos:
        t += rto
        f.pkt(who, t, "PA", payload, seq=seq, ack=ack, advance=False, label=label)
        out.append(t)
    return out


def blackhole_protocol_filter_iran() -> Built:
    """Iran's protocol filter (PF-02): SSH to port 443. The client's banner (its first data
    segment) reaches the server, which acknowledges it and sends its KEXINIT; every client
    packet after that is dropped: the server never acknowledges the client's KEXINIT and
    retransmits its own KEXINIT, which the client had acknowledged. Other connections work
    meanwhile, and TLS to the same server and port works a minute later."""
    cl = Client("192.168.43.17", mac="5c:e9:1e:30:7a:42")
    sim = Sim(at("2020-03-11T17:22:05"), 141, cl, resolver="217.218.127.127", resolver_ttl=59,
              gw_mac="02:1a:11:f0:3c:9b")
    rnd = sim.rnd
    srv, name = "5.75.212.44", "vps.example.net"
    rtt = 96_300 * US
    t = sim.lookup(0, name, [(name, "A", 3600, srv)], 48_200 * US, label="dns")
    k = sim.tcp(srv, 443, ttl=47, mss=1460, ws=7)
    t = sim.handshake(k, t + 1_100 * MS, rtt, label="ssh")
    k.pkt("s", t + 5_900 * US, "PA", b"SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.1\r\n",
          label="ssh:banner")
    t += 6_100 * US
    k.pkt("c", t, "PA", b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n", label="ssh:cbanner")
    t += rtt
    # the banner got through: the server's KEXINIT acknowledges it
    skex = ssh_kexinit(rnd, client=False)
    sseq = k.s.seq
    k.pkt("s", t, "PA", skex, label="ssh:skex")
    t += 1_200 * US
    ckex = ssh_kexinit(rnd, client=True)
    cseq = k.c.seq
    k.pkt("c", t, "PA", ckex, label="ssh:ckex")   # dropped on the way, as is all that follows
    t_drop = t
    # the client retransmits its KEXINIT; the server, which saw no ACK for its KEXINIT,
    # retransmits that (spurious: the client acknowledged it); the client ACKs it again
    _ignored(k, t_drop, [310 * MS, 620 * MS, 1_240 * MS, 2_480 * MS, 4_960 * MS, 9_920 * MS],
             "c", ckex, cseq, "ssh:cretx")
    for ts in _ignored(k, t_drop - 1_200 * US, [290 * MS, 580 * MS, 1_160 * MS, 2_320 * MS,
                                                4_640 * MS], "s", skex, sseq, "ssh:sretx",
                       ack=cseq):
        k.pkt("c", ts + 150 * US, "A", label="ssh:dupack")
    # the user gives up: the client's FIN, unanswered, retransmitted
    t_fin = t_drop + 21_300 * MS
    k.pkt("c", t_fin, "FA", seq=cseq + len(ckex), label="ssh:fin")
    k.pkt("c", t_fin + 400 * MS, "FA", seq=cseq + len(ckex), label="ssh:fin")
    # meanwhile the browser works
    t2 = sim.lookup(t_drop + 3_100 * MS, "www.digikala.com",
                    [("www.digikala.com", "A", 300, "185.147.176.41")], 31_500 * US,
                    label="dns2")
    k2 = sim.tcp("185.147.176.41", 443, ttl=58, mss=1400, ws=8)
    t2 = sim.handshake(k2, t2 + 700 * US, 22_600 * US, label="dk")
    t2 = sim.tls(k2, t2, 22_600 * US, "www.digikala.com", resp=(1300, 16384, 6100),
                 label="dk")
    sim.close(k2, t2 + 2_800 * MS, 22_600 * US)
    # a minute later: TLS to the same server and port works
    k3 = sim.tcp(srv, 443, ttl=47, mss=1460, ws=7)
    t3 = sim.handshake(k3, t_fin + 62 * NS, rtt, label="tls")
    t3 = sim.tls(k3, t3, rtt, name, resp=(900, 4200), label="tls")
    sim.close(k3, t3 + 3_000 * MS, rtt)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        f"A user in Iran (March 2020, mobile network) runs SSH to her server {name} "
        f"({srv}) on port 443. The TCP handshake completes and the server sends its SSH "
        "banner. The client's banner, its first data segment, reaches the server: the "
        "server's KEXINIT acknowledges it. From then on nothing the client sends arrives: "
        "the server never acknowledges the client's KEXINIT, retransmitted six times over "
        "20 s, and retransmits its own KEXINIT five times although the client acknowledged "
        "it each time; the client's FIN goes unanswered too. The server's packets keep "
        "arriving, the browser's new connections meanwhile work, and a minute later TLS to "
        "the same server and port works. Iran's protocol filter (Bock et al., FOCI 2020): "
        "on ports 53, 80 and 443 a connection whose first data is not DNS, HTTP or TLS "
        "loses every later client packet. Censorship: blackhole.")
    shows = f"""
Client 192.168.43.17 (Linux), ISP resolver 217.218.127.127. pcap, Ethernet, µs.

- {sim.fr("dns", "dns:ans")}: {name} → {srv}.
- {sim.span("ssh")}: SSH to {srv}:443 (SYN/ACK TTL 47, RTT 96 ms).
  - {sim.fr("ssh:banner")}: the server's banner; {sim.fr("ssh:cbanner")}: the client's
    banner, its first data segment, **acknowledged** by the server's KEXINIT
    {sim.fr("ssh:skex")}.
  - {sim.fr("ssh:ckex")}: the client's KEXINIT, **never acknowledged**; retransmitted in
    {sim.fr("ssh:cretx")}.
  - {sim.fr("ssh:sretx")}: the server retransmits its KEXINIT, which the client had
    acknowledged (Wireshark: spurious retransmissions); the client ACKs each again
    ({sim.fr("ssh:dupack")}).
  - {sim.fr("ssh:fin")}: the client's FIN 21 s later, unanswered.
- {sim.span("dk")}: meanwhile TLS to www.digikala.com works.
- {sim.span("tls")}: a minute later, TLS with SNI {name} to the same server and port works.
"""
    expected = f"""
- `blackhole` for domain `{name}` (must): after the client's first data segment nothing it
  sent reached the server, while the server's packets arrived and other connections worked.
- Nothing else.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "blackhole", "domain": name}])
    b.readme = readme("blackhole-protocol-filter-iran", blackhole_protocol_filter_iran,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, µs"), shows, expected,
                      [f"{FINGERPRINTS} §6 PF-02 (Bock, Fax, Reese, Singh, Levin, *Detecting "
                       "and Evading Censorship-in-Depth: A Case Study of Iran's Protocol "
                       "Filter*, FOCI 2020)",
                       f"{FINGERPRINTS} §15 trap 6 (timeouts need a control)"])
    return b


def blackhole_tls_after_server_hello() -> Built:
    """Russia, TSPU (TLS-02): "the first packets of the TLS session pass, but all subsequent
    ones are discarded". IPv6: the ClientHello with SNI meduza.io reaches the server, whose
    flight arrives; the client's Finished and request never do: the server retransmits the
    end of its flight (which the client acknowledged), the client its Finished and request,
    until the browser resets. Another SNI on the same address works before and after."""
    cl = Client("", ip6="2a00:1fa0:4481:29b6:8d1e:3f07:c2a4:51e9", mac="d8:bb:c1:0a:63:f2")
    sim = Sim(at("2022-03-14T10:05:31"), 142, cl, resolver="2a00:1fa0:1::53", resolver_ttl=62,
              gw_mac="00:1e:e5:77:90:01")
    rnd = sim.rnd
    srv = "2606:4700:3034::6815:1f4b"
    rtt = 47_800 * US
    t = sim.lookup(0, "cdnjs.cloudflare.com", [("cdnjs.cloudflare.com", "AAAA", 300, srv)],
                   18_200 * US, qtype="AAAA", v6=True, label="dns1")
    k = sim.tcp(srv, 443, ttl=57, mss=1440, ws=13, v6=True)
    t = sim.handshake(k, t + 600 * US, rtt, label="ok")
    t = sim.tls(k, t, rtt, "cdnjs.cloudflare.com", resp=(1800, 16384, 9800), label="ok")
    sim.close(k, t + 1_400 * MS, rtt)
    t = sim.lookup(t + 2_300 * MS, "meduza.io", [("meduza.io", "AAAA", 300, srv)],
                   17_900 * US, qtype="AAAA", v6=True, label="dns2")
    k = sim.tcp(srv, 443, ttl=57, mss=1440, ws=13, v6=True)
    t = sim.handshake(k, t + 500 * US, rtt, label="blk")
    ch = client_hello("meduza.io", rnd)
    t += 200 * US
    k.pkt("c", t, "PA", ch, label="blk:ch")
    flight = server_flight(rnd, session_id_of(ch), 2700)
    segs = segments(flight, 1440 - 12)
    t += rtt + 700 * US
    sseqs = []
    for i, seg in enumerate(segs):
        sseqs.append(k.s.seq)
        k.pkt("s", t, "PA" if i == len(segs) - 1 else "A", seg, label="blk:sh")
        t += 130 * US
    t += 1_700 * US
    k.pkt("c", t, "A", label="blk:ackflight")    # the first packet that never arrives
    fin_rec = b"\x14\x03\x03\x00\x01\x01" + app_data(rnd, 53)
    req = app_data(rnd, 231)
    fseq = k.c.seq
    k.pkt("c", t + 300 * US, "PA", fin_rec, label="blk:fin")
    rseq = k.c.seq
    k.pkt("c", t + 400 * US, "PA", req, label="blk:req")
    t_drop = t + 300 * US
    last = segs[-1]
    for ts in _ignored(k, t_drop - 2 * MS, [205 * MS, 410 * MS, 820 * MS, 1_640 * MS,
                                           3_280 * MS], "s", last, sseqs[-1], "blk:sretx",
                       ack=fseq):
        k.pkt("c", ts + 120 * US, "A", label="blk:dupack")
    for ts in _ignored(k, t_drop, [220 * MS, 440 * MS, 880 * MS, 1_760 * MS, 3_520 * MS],
                       "c", fin_rec, fseq, "blk:cretx"):
        k.pkt("c", ts + 50 * US, "PA", req, seq=rseq, advance=False)
    k.pkt("c", t_drop + 15_000 * MS, "RA", seq=rseq + len(req), opts=[], label="blk:rst")
    # during the wait the browser opens new connections that work
    t2 = sim.lookup(t_drop + 1_900 * MS, "yastatic.net",
                    [("yastatic.net", "AAAA", 300, "2a02:6b8:20::215")], 6_100 * US,
                    qtype="AAAA", v6=True, label="dns3")
    k2 = sim.tcp("2a02:6b8:20::215", 443, ttl=59, mss=1440, ws=9, v6=True)
    t2 = sim.handshake(k2, t2 + 400 * US, 6_300 * US, label="ya")
    t2 = sim.tls(k2, t2, 6_300 * US, "yastatic.net", resp=(1200, 16384, 16384), label="ya")
    sim.close(k2, t2 + 5_000 * MS, 6_300 * US)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A browser on a Russian home connection (March 2022), IPv6. cdnjs.cloudflare.com "
        f"on {srv} works. Then a connection to the same address with SNI meduza.io: the "
        "ClientHello reaches the server, whose ServerHello flight arrives, but nothing the "
        "client sends afterwards does: its ACK, Finished and request are never acknowledged "
        "and are retransmitted five times; the server retransmits the end of its flight "
        "five times although the client acknowledged it. The browser resets after 15 s. "
        "Meanwhile new connections to yastatic.net work. The TSPU pattern (TLS-02): the "
        "first packets of the session pass, everything after is discarded. Censorship: "
        "blackhole for meduza.io.")
    shows = f"""
Client 2a00:1fa0:4481:29b6:8d1e:3f07:c2a4:51e9 (Linux), resolver 2a00:1fa0:1::53.
pcap, Ethernet, µs, IPv6.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("ok")}: **control**: SNI cdnjs.cloudflare.com on
  {srv}:443, a full TLS session.
- {sim.fr("dns2", "dns2:ans")}: meduza.io → the same address.
- {sim.fr("blk:syn", "blk:synack", "blk:ack")}: handshake (hop limit 57, RTT 47.8 ms).
- {sim.fr("blk:ch")}: ClientHello with SNI **meduza.io**, acknowledged by the server's
  flight {sim.fr("blk:sh")}.
- {sim.fr("blk:ackflight", "blk:fin", "blk:req")}: the client's ACK, Finished and request:
  **never acknowledged**; retransmitted in {sim.fr("blk:cretx")}.
- {sim.fr("blk:sretx")}: the server retransmits the last segment of its flight, which the
  client had acknowledged ({sim.fr("blk:dupack")}: the client's duplicate ACKs).
- {sim.fr("blk:rst")}: the browser gives up 15 s later (RST+ACK).
- {sim.fr("dns3", "dns3:ans")}, {sim.span("ya")}: meanwhile yastatic.net works.
"""
    expected = """
- `blackhole` for domain `meduza.io` (must).
- Nothing for cdnjs.cloudflare.com or yastatic.net.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "blackhole", "domain": "meduza.io"}])
    b.readme = readme("blackhole-tls-after-server-hello", blackhole_tls_after_server_hello,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, µs"), shows, expected,
                      [f"{FINGERPRINTS} §4 TLS-02 (Russia TSPU, net4people#106: \"the first "
                       "packets of the TLS session pass, but all subsequent ones are "
                       "discarded\")", f"{FINGERPRINTS} §15 trap 6"])
    return b


def esni_client_hello(rnd: random.Random) -> bytes:
    """A Firefox 2020-style TLS 1.3 ClientHello with no server_name and the draft ESNI
    extension (0xffce: cipher suite, key share, record digest, encrypted SNI)."""
    def vec(b: bytes, n: int) -> bytes:
        return len(b).to_bytes(n, "big") + b

    def ext(code: int, body: bytes) -> bytes:
        return struct.pack("!HH", code, len(body)) + body
    ciphers = [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC013,
               0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    esni = (struct.pack("!H", 0x1301) + struct.pack("!H", 0x001D) + vec(rnd.randbytes(32), 2)
            + vec(rnd.randbytes(32), 2) + vec(rnd.randbytes(276), 2))
    exts = b"".join([
        ext(0x0017, b""), ext(0xFF01, b"\x00"),
        ext(0x000A, vec(struct.pack("!HHHH", 0x001D, 0x0017, 0x0018, 0x0019), 2)),
        ext(0x000B, b"\x01\x00"), ext(0x0023, b""),
        ext(0x0010, vec(vec(b"h2", 1) + vec(b"http/1.1", 1), 2)),
        ext(0x0005, b"\x01\x00\x00\x00\x00"),
        ext(0x0033, vec(struct.pack("!H", 0x001D) + vec(rnd.randbytes(32), 2), 2)),
        ext(0x002B, vec(b"\x03\x04\x03\x03", 1)),
        ext(0x000D, vec(bytes.fromhex("0403050306030804080508060401050106010201"), 2)),
        ext(0x002D, b"\x01\x01"), ext(0xFFCE, esni),
    ])
    body = (b"\x03\x03" + rnd.randbytes(32) + vec(rnd.randbytes(32), 1)
            + vec(b"".join(struct.pack("!H", c) for c in ciphers), 2) + b"\x01\x00"
            + vec(exts, 2))
    return b"\x16\x03\x01" + vec(b"\x01" + vec(body, 3), 2)


def blackhole_esni_china() -> Built:
    """China, August 2020 (TLS-03): a ClientHello carrying the ESNI extension (and no
    server_name) to a CDN address is never acknowledged; new connections to the same address
    and port fail at the SYN for the next minutes. The same address and port had worked with
    a plain SNI just before."""
    cl = Client("192.168.31.88", os="mac", mac="f0:18:98:5d:21:7a")
    sim = Sim(at("2020-08-06T03:14:09"), 145, cl, resolver="114.114.114.114", resolver_ttl=84,
              gw_mac="50:64:2b:11:e3:90")
    rnd = sim.rnd
    srv, name = "104.16.123.96", "www.cloudflare.com"
    rtt = 171_200 * US
    t = sim.lookup(0, name, [(name, "A", 300, srv)], 31_800 * US, label="dns")
    k = sim.tcp(srv, 443, ttl=51, mss=1400, ws=10)
    t = sim.handshake(k, t + 700 * US, rtt, label="ok")
    t = sim.tls(k, t, rtt, name, resp=(1500, 16384, 4100), label="ok")
    sim.close(k, t + 1_200 * MS, rtt)
    k = sim.tcp(srv, 443, ttl=51, mss=1400, ws=10)
    t = sim.handshake(k, t + 4_300 * MS, rtt, label="esni")
    ch = esni_client_hello(rnd)
    t += 300 * US
    seq = k.c.seq
    k.pkt("c", t, "PA", ch, label="esni:ch")
    t_ch = t
    _ignored(k, t_ch, [420 * MS, 840 * MS, 1_680 * MS, 3_360 * MS], "c", ch, seq, "esni:retx")
    k.pkt("c", t_ch + 10 * NS, "FA", seq=seq + len(ch), label="esni:fin")
    # the next connections to the same address and port fail at the SYN
    for i, since in enumerate((24, 67, 131)):
        k2 = sim.tcp(srv, 443, ttl=51, mss=1400, ws=10)
        k2.tag = f"r{i}"
        t2 = t_ch + since * NS
        for back in (0, 1, 3, 7):
            k2.pkt("c", t2 + back * NS, "S", seq=k2.c.seq, advance=False, label=f"r{i}:syn")
    # meanwhile other sites work
    t3 = sim.lookup(t_ch + 40 * NS, "www.baidu.com",
                    [("www.baidu.com", "A", 600, "110.242.68.4")], 24_300 * US, label="dns2")
    k3 = sim.tcp("110.242.68.4", 443, ttl=52, mss=1440, ws=9)
    t3 = sim.handshake(k3, t3 + 600 * US, 27_900 * US, label="bd")
    t3 = sim.tls(k3, t3, 27_900 * US, "www.baidu.com", resp=(1300, 16384, 9000), label="bd")
    sim.close(k3, t3 + 2_000 * MS, 27_900 * US)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        f"Firefox with encrypted SNI enabled, in China (August 2020). A connection to {name} "
        f"({srv}:443) with a plain SNI works. The next connection to the same address sends "
        "a ClientHello without server_name and with the ESNI extension 0xffce: it is never "
        "acknowledged, retransmitted four times, and the client closes after 10 s. For the "
        "next two minutes every new connection to the same address and port fails at the "
        "SYN, while other sites work. The GFW's ESNI block (Bock et al., 2020): it drops "
        "the client's packets after the ESNI ClientHello, then the (client, server, port) "
        "for 120-180 s. Censorship: blackhole, then residual blocking.")
    shows = f"""
Client 192.168.31.88 (macOS), resolver 114.114.114.114. pcap, Ethernet, µs.

- {sim.fr("dns", "dns:ans")}, {sim.span("ok")}: **control**: TLS with SNI {name} to
  {srv}:443 works.
- {sim.fr("esni:syn", "esni:synack", "esni:ack")}: a new connection to the same address.
- {sim.fr("esni:ch")}: ClientHello with **ESNI** (extension 0xffce), no server_name: never
  acknowledged; retransmitted in {sim.fr("esni:retx")}; the client's FIN
  {sim.fr("esni:fin")} 10 s later.
- {sim.fr("r0:syn")}, {sim.fr("r1:syn")}, {sim.fr("r2:syn")}: connections to the same address
  and port 24, 67 and 131 s later: SYNs never answered.
- {sim.fr("dns2", "dns2:ans")}, {sim.span("bd")}: www.baidu.com works meanwhile.
"""
    expected = f"""
- `blackhole` for domain `{name}` (must): the ESNI ClientHello dropped while the same server
  and port worked.
- `residual-blocking` for domain `{name}` (allowed): the SYNs in the next 180 s.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "blackhole", "domain": name}],
              [{"mechanism": "residual-blocking", "domain": name}])
    b.readme = readme("blackhole-esni-china", blackhole_esni_china,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, µs"), shows, expected,
                      [f"{FINGERPRINTS} §4 TLS-03 (Bock et al., *Exposing and Circumventing "
                       "China's Censorship of ESNI*, 2020)", f"{FINGERPRINTS} §8 RES-01"])
    return b


def _dot_attempt(sim: Sim, srv: str, t: int, rtt: int, name: str | None, label: str, *,
                 acked: bool) -> int:
    """A DNS-over-TLS stub connecting to ``srv``:853: handshake, ClientHello; the server's
    TCP acknowledges it (``acked``: its service then never answers) or never sees it (the
    stub retransmits it); the stub gives up after 10 s with a FIN. Returns the FIN's time."""
    k = sim.tcp(srv, 853, ttl=58, mss=1400, ws=10)
    t = sim.handshake(k, t, rtt, label=label)
    ch = client_hello(name, sim.rnd)
    t += 250 * US
    seq = k.c.seq
    k.pkt("c", t, "PA", ch, label=f"{label}:ch")
    t_ch = t
    if acked:
        k.pkt("s", t + rtt + 40 * US, "A", label=f"{label}:ack")
    else:
        _ignored(k, t, [300 * MS, 600 * MS, 1_200 * MS, 2_400 * MS], "c", ch, seq,
                 f"{label}:retx")
    t = t_ch + 10 * NS
    k.pkt("c", t, "FA", seq=seq + len(ch), label=f"{label}:fin")
    if acked:  # the server's kernel acknowledges the FIN; its hung service never closes
        k.pkt("s", t + rtt + 40 * US, "A", label=f"{label}:finack")
    return t


def blackhole_dot_both_addresses() -> Built:
    """DNS over TLS blocked on port 853 (PF-03), as Android's Private DNS meets it: one
    connection to each of the resolver's two addresses, the ClientHello never acknowledged
    on either; the first address answers DNS over HTTPS on port 443."""
    cl = Client("192.168.100.34", mac="5c:e9:1e:07:4b:a2")
    sim = Sim(at("2021-06-08T06:12:40"), 148, cl, resolver="192.168.100.1", resolver_ttl=64,
              gw_mac="30:b5:c2:81:6e:19")
    rtt = 82_900 * US
    name = "cloudflare-dns.com"
    t = sim.lookup(0, name, [(name, "A", 300, "1.1.1.1"), (name, "A", 300, "1.0.0.1")],
                   2_100 * US, label="dns")
    k = sim.tcp("1.1.1.1", 443, ttl=58, mss=1400, ws=10)
    t = sim.handshake(k, t + 2 * MS, rtt, label="doh")
    t = sim.tls(k, t, rtt, name, resp=(380,), label="doh")
    sim.close(k, t + 2 * NS, rtt, label="dohfin")
    t = _dot_attempt(sim, "1.1.1.1", t + 6 * NS, rtt, name, "dot0", acked=False)
    t = _dot_attempt(sim, "1.0.0.1", t + 200 * MS, 83_800 * US, name, "dot1", acked=False)
    sim.lookup(t + 1 * NS, "www.aparat.com", [("www.aparat.com", "A", 300, "185.147.178.12")],
               3_400 * US, label="dns2")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "An Android phone in Iran (June 2021) with Private DNS set to cloudflare-dns.com. "
        "The router's resolver gives both of the name's addresses, 1.1.1.1 and 1.0.0.1. "
        "DNS over HTTPS to 1.1.1.1:443 works (a TLS handshake and an answer). Then the "
        "phone's DNS-over-TLS client connects to 1.1.1.1:853: the TCP handshake completes "
        "but the ClientHello is never acknowledged, is retransmitted four times, and the "
        "client gives up after 10 s. It then tries the other address, 1.0.0.1:853, once: "
        "the same. The host 1.1.1.1 is up and the path to it works (port 443), and the "
        "server's TCP acknowledges data whatever its application does: the ClientHellos "
        "never reached it, on both addresses of the name, one connection each. Censorship: "
        "blackhole of DNS over TLS (PF-03).")
    shows = f"""
Phone 192.168.100.34 (Android), router 192.168.100.1. pcap, Ethernet, µs.

- {sim.fr("dns", "dns:ans")}: cloudflare-dns.com → 1.1.1.1, 1.0.0.1.
- {sim.span("doh")}: **control**: TLS with SNI cloudflare-dns.com to 1.1.1.1:443, answered.
- {sim.fr("dot0:syn", "dot0:synack", "dot0:ack")}: 1.1.1.1:853, handshake completes;
  ClientHello {sim.fr("dot0:ch")} **never acknowledged**, retransmitted in
  {sim.fr("dot0:retx")}; FIN {sim.fr("dot0:fin")}.
- {sim.fr("dot1:syn", "dot1:synack", "dot1:ack")}: 1.0.0.1:853, the same
  ({sim.fr("dot1:ch")}, {sim.fr("dot1:retx")}, {sim.fr("dot1:fin")}).
"""
    expected = """
- `blackhole` for `cloudflare-dns.com` at 1.1.1.1 (must): the address answers on 443.
"""
    b = Built("capture.pcap", data, about,
              [{"mechanism": "blackhole", "ip": "1.1.1.1", "domain": name}])
    b.readme = readme("blackhole-dot-both-addresses", blackhole_dot_both_addresses,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, µs"), shows, expected,
                      [f"{FINGERPRINTS} §6 PF-03 (DNS over TLS blocked in Iran)",
                       f"{FINGERPRINTS} §8 IP-01", REF_TRAPS])
    return b


def blackhole_dot_endpoint_iran() -> Built:
    """Iran, 2020 (PF-03): DNS over TLS to 1.1.1.1:853 is blocked whatever the SNI. Each
    connection opens (SYN/ACK) and its ClientHello is never acknowledged; the same address
    answers plain DNS and DNS over HTTPS on port 443."""
    cl = Client("192.168.1.37", mac="a4:5e:60:c2:19:0b")
    sim = Sim(at("2020-03-09T16:20:04"), 146, cl, resolver="1.1.1.1", resolver_ttl=58,
              gw_mac="c8:3a:35:4e:02:f1")
    srv = "1.1.1.1"
    rtt = 98_400 * US
    t = sim.lookup(0, "cloudflare-dns.com",
                   [("cloudflare-dns.com", "A", 300, "104.16.249.249")], 97_900 * US,
                   label="dns")
    k = sim.tcp(srv, 443, ttl=58, mss=1400, ws=10)
    t = sim.handshake(k, t + 2 * MS, rtt, label="doh")
    t = sim.tls(k, t, rtt, "cloudflare-dns.com", resp=(420,), label="doh")
    sim.close(k, t + 3 * NS, rtt, label="dohfin")
    names = ("cloudflare-dns.com", "one.one.one.one", "1dot1dot1dot1.cloudflare-dns.com")
    for i, name in enumerate(names):
        t = _dot_attempt(sim, srv, t + 5 * NS, rtt, name, f"dot{i}", acked=False)
    t = sim.lookup(t + 2 * NS, "www.digikala.com",
                   [("www.digikala.com", "A", 300, "185.147.178.22")], 98_100 * US,
                   label="dns2")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A Linux laptop in Iran (March 2020) set up to resolve through Cloudflare's 1.1.1.1. "
        "Plain DNS to 1.1.1.1:53 works, and so does DNS over HTTPS to 1.1.1.1:443 (a TLS "
        "handshake and an answer). Then the stub resolver tries DNS over TLS on "
        "1.1.1.1:853 three times, with three names Cloudflare serves there. Each time the "
        "TCP handshake completes, but the ClientHello is never acknowledged: the server's "
        "TCP, which acknowledges data whatever its application does, never saw it. The "
        "stub retransmits it four times and gives up after 10 s. The host is up and the "
        "path to it works (port 443, port 53), the names do not matter: the endpoint "
        "1.1.1.1:853 is blocked at the data stage (OONI, 2020: DoT to 1.1.1.1:853 blocked "
        "in Iran whatever the SNI). Censorship: blackhole of 1.1.1.1:853.")
    shows = f"""
Client 192.168.1.37 (Linux), resolver 1.1.1.1. pcap, Ethernet, µs.

- {sim.fr("dns", "dns:ans")}: plain DNS to 1.1.1.1:53 answered.
- {sim.span("doh")}: **control**: DNS over HTTPS, TLS with SNI cloudflare-dns.com to
  1.1.1.1:443, answered ({sim.fr("doh:sh")}), closed with FINs.
- {sim.fr("dot0:syn", "dot0:synack", "dot0:ack")}: DNS over TLS, 1.1.1.1:853: the handshake
  completes. ClientHello (SNI cloudflare-dns.com) {sim.fr("dot0:ch")}: **never
  acknowledged**, retransmitted in {sim.fr("dot0:retx")}; FIN {sim.fr("dot0:fin")} 10 s
  later.
- {sim.fr("dot1:ch")} (one.one.one.one) and {sim.fr("dot2:ch")}
  (1dot1dot1dot1.cloudflare-dns.com): the same on two more connections.
- {sim.fr("dns2", "dns2:ans")}: plain DNS still works afterwards.
"""
    expected = """
- `blackhole` for `1.1.1.1` (must), once per name asked for on port 853.
- No `residual-blocking`: the block is of the endpoint, whatever was sent.
"""
    b = Built("capture.pcap", data, about,
              [{"mechanism": "blackhole", "ip": srv, "domain": n} for n in names])
    b.readme = readme("blackhole-dot-endpoint-iran", blackhole_dot_endpoint_iran,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, µs"), shows, expected,
                      [f"{FINGERPRINTS} §6 PF-03 (OONI, 2020: DNS over TLS to 1.1.1.1:853 "
                       "blocked in Iran regardless of SNI)", f"{FINGERPRINTS} §8 IP-01",
                       REF_TRAPS])
    return b


def throttling_googlevideo_no_sni_control() -> Built:
    """Russia, August 2024 (THR-02): to one Google cache address, a TLS connection with SNI
    rr2---sn-ug5onuxaxjvh-n8vs.googlevideo.com is policed to ~140 kbit/s, while a
    connection to the same address without SNI downloads the same bytes at line rate."""
    cl = Client("10.76.201.15", mac="5c:e9:1e:88:02:3d")
    sim = Sim(at("2024-08-02T19:41:27"), 147, cl, resolver="10.76.0.1", resolver_ttl=64,
              gw_mac="00:1b:21:d4:7e:11")
    rnd = sim.rnd
    srv = "173.194.182.7"
    name = "rr2---sn-ug5onuxaxjvh-n8vs.googlevideo.com"
    rtt = 18_720 * US
    k = sim.tcp(srv, 443, ttl=58, mss=1400, ws=8)
    t = sim.handshake(k, 0, rtt, label="fast")
    t = sim.tls_open(k, t, rtt, None, rate=90e6, label="fast")
    big = app_data(rnd, *([16384] * 20))
    t = reno_download(sim, k, t + rtt + 900 * US, big, rtt=rtt, rate=90e6, cwnd=10,
                      label="fast:data")
    sim.close(k, t + 300 * MS, rtt, label="fastfin")
    t = sim.lookup(t + 1_800 * MS, name, [(name, "A", 1800, srv)], 9_320 * US, label="dns")
    k2 = sim.tcp(srv, 443, ttl=58, mss=1400, ws=8)
    t = sim.handshake(k2, t + 700 * US, rtt, label="slow")

    def policed(t0: int, data: bytes) -> int:
        return policed_download(sim, k2, t0, data, rtt=rtt, rate=140e3, every=(8, 13),
                                label="slow:sh")

    t = sim.tls_open(k2, t, rtt, name, flight=policed, label="slow")
    big = app_data(rnd, *([16384] * 20))
    t = policed_download(sim, k2, t + rtt + 900 * US, big, rtt=rtt, rate=140e3,
                         every=(8, 13), label="slow:data")
    sim.close(k2, t + 900 * MS, rtt, label="slowfin")
    sim.finish()
    data = as_pcapng(sim, sll2_link(cl.mac, sim.gw_mac), 276, ifname="wlan0",
                     os_name="Linux 6.1")
    about = (
        "A Linux client in Russia (August 2024) opens two TLS connections to one Google "
        f"video cache address ({srv}:443, TTL 58, RTT 19 ms). The first sends a ClientHello "
        "without SNI (a test connection to the address) and downloads 327 KB at line "
        f"rate. The second names {name}: everything the server sends after the "
        "ClientHello is held to about 140 kbit/s, one segment in 8-13 dropped and "
        "retransmitted. The rate follows the name, not the server or the path: the "
        "TSPU's googlevideo.com throttling (THR-02), with the control the Twitter study "
        "used (THR-01: SNI-less connections to the same addresses were fast). Censorship: "
        f"throttling for {name}.")
    shows = f"""
Client 10.76.201.15 (Linux), resolver 10.76.0.1. pcapng, Linux SLL2.

- {sim.span("fast")}: **control**: TLS to {srv}:443 **without SNI** ({sim.fr("fast:ch")}),
  327 KB from {sim.fr("fast:data")} at line rate, no loss.
- {sim.fr("dns", "dns:ans")}: {name} → {srv}.
- Connection 2, SNI **{name}** ({sim.fr("slow:ch")}): the server's flight and the same 327 KB
  arrive at about 140 kbit/s, a segment in 8-13 missing, duplicate ACKs with SACK, fast
  retransmissions.
"""
    expected = f"""
- `throttling` for domain `{name}` (must).
- Nothing for the connection without SNI.
"""
    b = Built("capture.pcapng", data, about, [{"mechanism": "throttling", "domain": name}])
    b.readme = readme("throttling-googlevideo-no-sni-control",
                      throttling_googlevideo_no_sni_control,
                      fmt_line(sim, "capture.pcapng", "pcapng, Linux SLL2, µs"), shows,
                      expected,
                      [f"{FINGERPRINTS} §5 THR-02 (net4people#382)",
                       f"{FINGERPRINTS} §5 THR-01 (Xue et al., IMC 2021: the SNI-less "
                       "control)"])
    return b


def rst_sni_resets_key_not_punished() -> Built:
    """Iran, mobile, 2022 (RST-08; OONI's SNI test layout): two blocked names reset right
    after their ClientHellos, and between them the control name to the same address works:
    the address pair is not punished, so the second reset is its own, not residual."""
    cl = Client("10.129.44.201", mac="02:00:0a:81:2c:c9")
    sim = Sim(at("2022-10-03T11:05:42"), 148, cl, resolver="10.202.10.10", resolver_ttl=62,
              gw_mac="02:00:0a:81:2c:01")
    srv = "93.184.216.34"
    rtt = 96_300 * US
    t = sim.lookup(0, "example.com", [("example.com", "A", 86_400, srv)], 61_200 * US,
                   label="dns")
    seq_labels = (("blk1", "www.instagram.com"), ("ok", "example.com"),
                  ("blk2", "www.whatsapp.com"), ("ok2", "example.com"))
    for label, name in seq_labels:
        k = sim.tcp(srv, 443, ttl=52, mss=1400, ws=9, win=128)
        t = sim.handshake(k, t + 1_500 * MS, rtt, label=label)
        if label.startswith("ok"):
            t = sim.tls(k, t, rtt, name, resp=(1256,), label=label)
            t = sim.close(k, t + 40 * MS, rtt)
            continue
        t += 230 * US
        k.pkt("c", t, "PA", client_hello(name, sim.rnd), label=f"{label}:ch")
        k.inject(t + 27_400 * US, "RA", ttl=61, ipid=0, df=True, win=0, label=f"{label}:rst")
        t += 27_400 * US
    sim.finish()
    data = pcap(sim.recs(raw_link), 101)
    about = (
        "An Android phone on an Iranian mobile network (October 2022) runs OONI's SNI test "
        f"against example.com's address ({srv}:443, SYN/ACK TTL 52, RTT 96 ms). The "
        "ClientHello naming www.instagram.com draws a RST+ACK 27 ms later with TTL 61, "
        "before it could have reached the server. The control connection naming "
        "example.com, 1.5 s later, to the same address and port, completes and gets its "
        "answer. Then www.whatsapp.com is reset the same way, and the control works again. "
        "The address pair is not punished (a control on the same key worked between the "
        "two resets): each reset follows its own name. Censorship: rst-injection for both "
        "names; no residual blocking.")
    shows = f"""
Client 10.129.44.201 (Android), resolver 10.202.10.10. pcap, raw IP (DLT 101), µs.

- {sim.fr("dns", "dns:ans")}: example.com → {srv}.
- {sim.fr("blk1:ch")}: ClientHello, SNI **www.instagram.com**; {sim.fr("blk1:rst")}: RST+ACK
  {sim.ms("blk1:ch", "blk1:rst")} later, TTL 61 against the server's 52, window 0.
- {sim.span("ok")}: **control**: SNI example.com to the same address and port, completed.
- {sim.fr("blk2:ch")}: SNI **www.whatsapp.com**; {sim.fr("blk2:rst")}: the same forged reset.
- {sim.span("ok2")}: the control works again.
"""
    expected = """
- `rst-injection` for domains `www.instagram.com` and `www.whatsapp.com` (must).
- No `residual-blocking`: the control on the same key worked between the two resets.
"""
    b = Built("capture.pcap", data, about,
              [{"mechanism": "rst-injection", "domain": "www.instagram.com"},
               {"mechanism": "rst-injection", "domain": "www.whatsapp.com"}])
    b.readme = readme("rst-sni-resets-key-not-punished", rst_sni_resets_key_not_punished,
                      fmt_line(sim, "capture.pcap", "pcap, raw IP, µs"), shows, expected,
                      [REF_RST08, f"{FINGERPRINTS} §8 RES-01 (no residual entry for Iran's "
                       "SNI resets)", REF_TLS01])
    return b



# ============================================================================ benign look-alikes

BENIGN = """
- No finding at all (`"expect": []`, `"allow": []`).
"""


def benign(name: str, fn: Callable[[], Built], sim: Sim, capture: str, kind: str, data: bytes,
           about: str, shows: str, refs: Sequence[str], expected: str = BENIGN,
           observations: Sequence[str] = ()) -> Built:
    b = Built(capture, data, about, [], [], list(observations))
    b.readme = readme(name, fn, fmt_line(sim, capture, kind), shows, expected, refs)
    return b


def benign_rst_app_abort() -> Built:
    """An IIS server sends its whole response, then aborts with RST+ACK (SO_LINGER 0):
    its usual TTL, the next IP ID of its counter, window 0, seq exactly the next one."""
    cl = Client("192.168.178.33", mac="f0:18:98:3a:c4:51")
    sim = Sim(T0 + 2 * 86_400 + 14 * 3600 + 5 * 60 + 9, 115, cl, resolver="192.168.178.1",
              resolver_ttl=64, gw_mac="3c:a6:2f:0d:8e:74")
    rnd = sim.rnd
    t = sim.lookup(0, "de.wikipedia.org",
                   [("de.wikipedia.org", "CNAME", 86_400, "dyna.wikimedia.org"),
                    ("dyna.wikimedia.org", "A", 600, "185.15.59.224")], 14_870 * US,
                   label="dns1")
    k = sim.tcp("185.15.59.224", 443, ttl=56, mss=1440, ws=9)
    t = sim.handshake(k, t + 900 * US, 21_530 * US, label="wiki")
    t = sim.tls(k, t, 21_560 * US, "de.wikipedia.org", resp=(1400, 16384, 9000), rate=60e6,
                label="wiki")
    srv = "204.79.197.200"
    t = sim.lookup(t + 3_310 * MS, "www.bing.com",
                   [("www.bing.com", "CNAME", 3600, "www-www.bing.com.trafficmanager.net"),
                    ("www-www.bing.com.trafficmanager.net", "CNAME", 60,
                     "www.bing.com.edgekey.net"),
                    ("www.bing.com.edgekey.net", "A", 60, srv)], 17_020 * US, label="dns2")
    rtt = 24_812 * US
    k = sim.tcp(srv, 443, ttl=116, os="windows", mss=1440, ws=8, win_syn=65535, win=1026,
                ids=IdGen(0x61A3, rnd, busy=40))
    t = sim.handshake(k, t + 1_100 * US, rtt, label="iis")
    t = sim.tls(k, t, rtt, "www.bing.com", resp=(1250, 16384, 16384, 4100), rate=60e6,
                think=38 * MS, label="iis")
    t += 390 * US
    k.pkt("s", t, "RA", win=0, label="rst")
    t = sim.lookup(t + 2_870 * MS, "www.heise.de",
                   [("www.heise.de", "A", 3600, "193.99.144.85")], 15_300 * US, label="dns3")
    k = sim.tcp("193.99.144.85", 443, ttl=55, mss=1460, ws=7)
    t = sim.handshake(k, t + 800 * US, 19_990 * US, label="heise")
    sim.tls(k, t, 19_950 * US, "www.heise.de", resp=(1300, 16384, 16384, 12000), rate=60e6,
            label="heise")
    sim.finish()
    data = as_pcapng(sim, eth_link(cl.mac, sim.gw_mac), 1, ifname="en0", os_name="Linux 5.15")
    about = (
        "An ordinary HTTPS session with a Windows/IIS server (www.bing.com, 204.79.197.200; "
        "TTL 116, IP IDs from the server's busy host-wide counter, no TCP timestamps). The "
        "server sends its complete response (about 38 KB), the client ACKs it, and 0.4 ms "
        "after its last segment the server closes abortively (SO_LINGER 0) with a RST+ACK. "
        "The RST has the server's usual TTL 116, DF set, the next IP ID of its counter, "
        "window 0 and no options. Its seq is exactly the next sequence number the client "
        "expects and its ack covers everything the client sent. No data comes after it. A "
        "single in-sequence RST consistent with the server in every field, arriving after "
        "the data, with no trigger and no race, is the endpoint's own. Not censorship.")
    shows = f"""
Client 192.168.178.33 (Linux), router 192.168.178.1 as DNS forwarder. pcapng, Ethernet.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("wiki")}: DNS and ordinary TLS to
  de.wikipedia.org.
- {sim.fr("dns2", "dns2:ans")}: www.bing.com → 204.79.197.200.
- {sim.span("iis")}: TLS 1.3 with SNI www.bing.com. The server is Windows: TTL 116, SYN/ACK
  options MSS/NOP/WS/SACK_PERM, no timestamps, IP IDs rising with gaps (a busy host-wide
  counter). ServerHello {sim.fr("iis:sh")}, response from {sim.fr("iis:resp")}, client ACKs.
- {sim.fr("rst")}: the server's **abortive close**: RST+ACK, TTL 116, DF, IP ID = the next
  value of the server's counter, window 0, seq = the next expected sequence number, no
  options. Nothing follows on that connection.
- {sim.fr("dns3", "dns3:ans")}, {sim.span("heise")}: DNS and TLS to www.heise.de. Ordinary.
"""
    return benign("benign-rst-app-abort", benign_rst_app_abort, sim, "capture.pcapng",
                  "pcapng, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §2 RST-01 (the negative case: single RST, seq = next "
                   "expected, win 0, the peer's TTL, no data after)",
                   f"{FINGERPRINTS} §15 trap 1 (application aborts)"])


def benign_rst_refused() -> Built:
    """IPv6: TLS to a server on 443 works; a SYN to its closed port 8443 gets the kernel's
    RST+ACK (same hop limit); the client retries on 443 and succeeds."""
    cl = Client("", ip6="2a02:8109:b6c0:3e00:8d1:4f2e:a1b7:93c5", mac="48:51:c5:0b:2e:9a")
    sim = Sim(T0 + 9 * 86_400 + 19 * 3600 + 2 * 60 + 44, 116, cl,
              resolver="2a02:8109:b6c0:3e00::1", resolver_ttl=64)
    srv = "2a01:4f8:c17:2ef4::1"
    name = "cloud.schmidt-family.de"
    t = sim.lookup(0, name, [(name, "AAAA", 3600, srv)], 23_010 * US, qtype="AAAA", v6=True,
                   label="dns")
    rtt = 18_233 * US
    k = sim.tcp(srv, 443, ttl=55, mss=1440, ws=7, v6=True)
    t = sim.handshake(k, t + 700 * US, rtt, label="a")
    t = sim.tls(k, t, rtt, name, resp=(1100, 9000), rate=50e6, label="a")
    t = sim.close(k, t + 1_200 * MS, rtt)
    k = sim.tcp(srv, 8443, ttl=55, mss=1440, ws=7, v6=True)
    k.tag = "b"
    t += 14_660 * MS
    k.pkt("c", t, "S", label="b:syn")
    k.pkt("s", t + rtt, "RA", seq=0, win=0, opts=[], advance=False, label="rst")
    t += rtt
    k = sim.tcp(srv, 443, ttl=55, mss=1440, ws=7, v6=True)
    t = sim.handshake(k, t + 2_031 * MS, rtt, label="c")
    t = sim.tls(k, t, rtt, name, resp=(1100, 16384, 6000), rate=50e6, label="c")
    sim.close(k, t + 900 * MS, rtt)
    sim.finish()
    data = pcap(sim.recs(raw_link), 229)
    about = (
        "An IPv6 client talks to a small self-hosted server (cloud.schmidt-family.de, "
        "[2a01:4f8:c17:2ef4::1], hop limit 55, RTT 18 ms). A TLS session on port 443 works. "
        "Later the app tries port 8443, which is closed. The server's kernel answers the "
        "SYN after one RTT with RST+ACK: seq 0, ack = the SYN's sequence number + 1, window "
        "0, no options, hop limit 55 like every other packet from that host. The client "
        "falls back to port 443 and succeeds. A RST answering a SYN with the server's own "
        "hop limit, after a normal RTT, on a port where the same host answers nothing else, "
        "is a closed port (connection refused), not injection. No SNI or Host is involved. "
        "Not censorship.")
    shows = f"""
Client 2a02:8109:b6c0:3e00:8d1:4f2e:a1b7:93c5 (Linux), home router as resolver. Every
packet is IPv6; link type LINKTYPE_IPV6 (229).

- {sim.fr("dns", "dns:ans")}: AAAA cloud.schmidt-family.de → 2a01:4f8:c17:2ef4::1.
- {sim.span("a")}: TLS on port 443, SNI cloud.schmidt-family.de, works (hop limit 55), closed
  with FIN.
- {sim.fr("b:syn")}: SYN to port **8443**.
- {sim.fr("rst")}: the server's RST+ACK, {sim.ms("b:syn", "rst")} later (= the RTT): hop
  limit 55, seq 0, ack = ISN+1, window 0, no options.
- {sim.span("c")}: the client retries on port 443: TLS works again, closed with FIN.
"""
    return benign("benign-rst-refused", benign_rst_refused, sim, "capture.pcap",
                  "pcap, LINKTYPE_IPV6 (229), µs", data, about, shows,
                  [f"{FINGERPRINTS} §8 IP-01 FP traps (port closed)",
                   f"{FINGERPRINTS} §12 (`connection_refused`)",
                   f"{FINGERPRINTS} §15 trap 1 (closed ports)"])


def ssh_session(sim: Sim, k: Flow, t: int, rtt: int, label: str, banner: bytes,
                keystrokes: int = 6) -> int:
    """An SSH login (banners, key exchange, a shell) and a few keystrokes with their echoes.
    Returns the time of the last packet."""
    rnd = sim.rnd
    t = sim.handshake(k, t, rtt, label=label)
    k.pkt("s", t + 6_200 * US, "PA", banner + b"\r\n")
    t += 6_300 * US
    k.pkt("c", t, "PA", b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n")
    k.pkt("c", t + 150 * US, "PA", ssh_kexinit(rnd, client=True))
    t += rtt
    k.pkt("s", t, "PA", ssh_kexinit(rnd, client=False))
    k.pkt("c", t + 2 * MS, "PA", ssh_packet(rnd, b"\x1e" + ssh_str(rnd.randbytes(32))))
    t += rtt + 3 * MS
    host_key = ssh_str(b"ssh-ed25519") + ssh_str(rnd.randbytes(32))
    sig = ssh_str(b"ssh-ed25519") + ssh_str(rnd.randbytes(64))
    k.pkt("s", t, "PA", ssh_packet(rnd, b"\x1f" + ssh_str(host_key)
                                   + ssh_str(rnd.randbytes(32)) + ssh_str(sig))
          + ssh_packet(rnd, b"\x15"))
    t += 4 * MS
    k.pkt("c", t, "PA", ssh_packet(rnd, b"\x15"))
    t += 100 * US
    for n in (44, 60, 84, 396, 60, 124):         # service, auth, session, pty, shell
        k.pkt("c", t, "PA", rnd.randbytes(n))
        t += rtt
        k.pkt("s", t, "PA", rnd.randbytes(rnd.choice((52, 60, 92, 580))))
        t += 1_500 * US
    for _ in range(keystrokes):                  # a few keystrokes and their echoes
        t += rnd.randrange(120, 400) * MS
        k.pkt("c", t, "PA", rnd.randbytes(36))
        t += rtt
        k.pkt("s", t, "PA", rnd.randbytes(36))
        k.pkt("c", t + 40 * MS, "A")
        t += 40 * MS
    return t


def benign_nat_idle_reset() -> Built:
    """An SSH session idle for 10 minutes; the next keystroke draws a RST built by a
    firewall that lost the state: seq = the client's ack, window and IP ID copied from the
    client's packet, TTL 54 vs the server's 52. The user reconnects."""
    cl = Client("192.168.178.20", mac="9c:b6:d0:4e:13:a8")
    sim = Sim(T0 + 17 * 86_400 + 8 * 3600 + 51 * 60 + 2, 117, cl, resolver="192.168.178.1",
              resolver_ttl=64, gw_mac="3c:a6:2f:0d:8e:74")
    rnd = sim.rnd
    srv = "88.198.12.34"
    rtt = 27_115 * US
    t = sim.lookup(0, "git.hoffmann-lab.de", [("git.hoffmann-lab.de", "A", 3600, srv)],
                   21_330 * US, label="dns")

    def ssh_login(k: Flow, t: int, label: str) -> int:
        return ssh_session(sim, k, t, rtt, label, b"SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1")

    k = sim.tcp(srv, 22, ttl=52, mss=1460, ws=7)
    t = ssh_login(k, t + 1_100 * US, "s1")
    t += 612_340 * MS
    k.pkt("c", t, "PA", rnd.randbytes(36), label="key")
    copied_id = (k.c.ids.v - 1) & 0xFFFF
    k.pkt("s", t + 1_212 * US, "RA", seq=k.s.seq, ack=k.c.seq, ttl=54, ipid=copied_id,
          win=k.c.win, df=True, opts=[], advance=False, label="rst")
    k2 = sim.tcp(srv, 22, ttl=52, mss=1460, ws=7)
    t = ssh_login(k2, t + 4_230 * MS, "s2")
    sim.close(k2, t + 8_400 * MS, rtt)
    sim.finish()
    data = pcap(sim.recs(sll_link(cl.mac, sim.gw_mac)), 113)
    about = (
        "An interactive SSH session to git.hoffmann-lab.de (88.198.12.34:22, TTL 52). "
        "After a login and a few keystrokes it sits idle for about 10 minutes. No "
        "keepalives are sent, and a stateful firewall on the path forgets the connection. "
        "The next keystroke draws a RST+ACK 1.2 ms later, built by that firewall by "
        "reversing the client's packet. Its seq is the client's ack number, its ack covers "
        "the keystroke, and it copies the window (502) and the IP ID of the client's "
        "packet, with DF and no options. Its TTL is 54, two more than the server's. The "
        "user reconnects and a new session works. There is no trigger name, no race and no "
        "pattern: a middlebox idle timeout. It is not censorship. At most an observation "
        "(a TTL anomaly with no trigger) is acceptable, and none is required.")
    shows = f"""
Client 192.168.178.20 (Linux). Linux cooked capture (SLL v1).

- {sim.fr("dns", "dns:ans")}: DNS git.hoffmann-lab.de → 88.198.12.34.
- {sim.span("s1")}: SSH session 1. Handshake (SYN/ACK TTL 52), banners
  (`SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1` from the server), key exchange, login, a few
  keystrokes with their echoes. Then about 612 s of silence.
- {sim.fr("key")}: the next keystroke (36 bytes).
- {sim.fr("rst")}: **the firewall's RST+ACK**, {sim.ms("key", "rst")} later: TTL 54
  (server 52), IP ID = the keystroke's IP ID, window 502 = the keystroke's window, DF, no
  options, seq = the keystroke's ack number, ack = the end of the keystroke.
- {sim.span("s2")}: the user reconnects: a new SSH session works and is closed with FIN.
"""
    return benign("benign-nat-idle-reset", benign_nat_idle_reset, sim, "capture.pcap",
                  "pcap, Linux cooked (SLL, 113), µs", data, about, shows,
                  [f"{FINGERPRINTS} §2 RST-01 FP traps (firewall resets that reverse the last "
                   "packet, copying its IP ID and window; noahdavids.org \"firewall reset\")",
                   f"{FINGERPRINTS} §15 traps 1 and 2", REF_CONTRACT],
                  expected=BENIGN + "- An observation is acceptable but not required.\n")


def ssh_str(b: bytes) -> bytes:
    return len(b).to_bytes(4, "big") + b


def ssh_packet(rnd: random.Random, payload: bytes) -> bytes:
    """An unencrypted SSH binary packet (RFC 4253 §6): length, padding length, payload,
    random padding to a multiple of 8 (at least 4 bytes)."""
    pad = 8 - (5 + len(payload)) % 8
    if pad < 4:
        pad += 8
    return (1 + len(payload) + pad).to_bytes(4, "big") + bytes([pad]) + payload \
        + rnd.randbytes(pad)


def ssh_kexinit(rnd: random.Random, client: bool) -> bytes:
    """SSH_MSG_KEXINIT as OpenSSH 8.x sends it."""
    kex = ("curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
           "ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
           "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,"
           "diffie-hellman-group14-sha256" + (",ext-info-c" if client else ""))
    keys = ("ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
            "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256" if client
            else "rsa-sha2-512,rsa-sha2-256,ssh-rsa,ecdsa-sha2-nistp256,ssh-ed25519")
    enc = ("chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
           "aes128-gcm@openssh.com,aes256-gcm@openssh.com")
    mac = ("umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
           "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,"
           "umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1")
    comp = "none,zlib@openssh.com"
    lists = [kex, keys, enc, enc, mac, mac, comp, comp, "", ""]
    body = b"\x14" + rnd.randbytes(16) + b"".join(ssh_str(x.encode()) for x in lists)
    return ssh_packet(rnd, body + b"\x00" + bytes(4))


def benign_retransmissions_lossy() -> Built:
    """A lossy Wi-Fi HTTP download: the SYN is retransmitted once, then about 8% of the
    server's segments are lost; duplicate ACKs with SACK and fast retransmissions; the
    download completes and both sides close with FIN."""
    cl = Client("192.168.0.23", mac="5c:e9:1e:6a:d2:07")
    sim = Sim(T0 + 40 * 86_400 + 21 * 3600 + 33 * 60 + 17, 118, cl, resolver="192.168.0.1",
              resolver_ttl=64, gw_mac="24:a4:3c:9e:51:b0")
    rnd = sim.rnd
    srv = "151.101.2.132"
    rtt = 31_420 * US
    t = sim.lookup(0, "deb.debian.org",
                   [("deb.debian.org", "CNAME", 300, "debian.map.fastly.net"),
                    ("debian.map.fastly.net", "A", 30, srv)], 12_310 * US, label="dns")
    k = sim.tcp(srv, 80, ttl=57, mss=1460, ws=9)
    k.tag = "dl"
    t += 700 * US
    isn = k.c.seq
    k.pkt("c", t, "S", label="syn")
    t += 1_024 * MS
    k.pkt("c", t, "S", seq=isn, label="synretx")
    k.pkt("s", t + rtt, "SA", label="synack")
    t += rtt + 80 * US
    k.pkt("c", t, "A")
    t += 200 * US
    path = "/debian/pool/main/n/nano/nano_5.4-2+deb11u2_amd64.deb"
    k.pkt("c", t, "PA", (f"GET {path} HTTP/1.1\r\nHost: deb.debian.org\r\nUser-Agent: Debian "
                         "APT-HTTP/1.3 (2.2.4)\r\n\r\n").encode(), label="get")
    body = rnd.randbytes(184_710)
    resp = http_200(body, "application/vnd.debian.binary-package",
                    [("Connection", "keep-alive"), ("Server", "Apache"),
                     ("Last-Modified", "Sat, 19 Dec 2020 14:02:13 GMT"),
                     ("ETag", "\"2d186-5b6d2e1f3b2c0\""), ("Accept-Ranges", "bytes"),
                     ("Date", date_hdr(sim, t)), ("Via", "1.1 varnish"), ("Age", "81644"),
                     ("X-Served-By", "cache-fra19134-FRA"), ("X-Cache", "HIT")])
    t = reno_download(sim, k, t + rtt + 600 * US, resp, rtt=rtt, rate=6e6, loss=0.08,
                      label="data")
    t = sim.close(k, t + 60 * MS, rtt, label="fin")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    retx = 0          # server segments that fill a hole: retransmissions of lost ones
    top = 0
    for _, ip, out in sim.order:
        if out or len(ip) <= 52 + 20:
            continue
        sq = int.from_bytes(ip[24:28], "big")
        retx += sq < top
        top = max(top, sq)
    about = (
        "apt on a laptop with a poor Wi-Fi link downloads a 185 KB package over plain HTTP "
        "from deb.debian.org (Fastly 151.101.2.132, TTL 57, RTT 31 ms). The first SYN is "
        "lost and retransmitted after 1 s. During the download about one server segment in "
        f"twelve is lost ({retx} retransmissions in the capture). Each loss shows as a "
        "gap, duplicate ACKs with SACK blocks from the client, and the server's fast "
        "retransmission one round trip later, with the congestion window halved. Every "
        "packet from the server has the same TTL and its own IP ID sequence. There are no "
        "resets and no conflicting data. The response completes (200, the full "
        "Content-Length) and the connection closes with a normal FIN exchange. Loss and "
        "retransmissions alone, with no trigger and no control flow to compare, are not "
        "throttling or blackholing. Not censorship.")
    shows = f"""
Client 192.168.0.23 (Linux), router 192.168.0.1 as DNS forwarder. pcap, Ethernet.
Simulated: a Reno-like sender with 8% random loss at a 6 Mbit/s bottleneck.

- {sim.fr("dns", "dns:ans")}: deb.debian.org → CNAME debian.map.fastly.net → 151.101.2.132.
- {sim.fr("syn")}: SYN; {sim.fr("synretx")}: the same SYN retransmitted after 1.024 s;
  {sim.fr("synack")}: SYN/ACK (TTL 57).
- {sim.fr("get")}: `GET {path}` (`User-Agent: Debian APT-HTTP/1.3`).
- From {sim.fr("data")}: `HTTP/1.1 200 OK`, 184,710 bytes of body in 1448-byte segments, with
  {retx} retransmitted segments. Each is preceded by duplicate ACKs with SACK from the
  client.
- {sim.fr("fin")}: the client's FIN, the server's FIN, the final ACK.
"""
    return benign("benign-retransmissions-lossy", benign_retransmissions_lossy, sim,
                  "capture.pcap", "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §15 trap 6 (congestion vs throttling; timeouts that are "
                   "not blocking)", f"{FINGERPRINTS} §5 THR-01 (throttling needs a fast "
                   "control to the same server)"])


def benign_route_change_ttl() -> Built:
    """A long TLS download in chunks; halfway the server's TTL changes from 52 to 49 (a
    route change, RTT 28 → 31 ms); the server closes with FIN, the client answers with
    close_notify + FIN, and the server's kernel resets that (RST after FIN, TTL 49)."""
    cl = Client("192.168.1.50", mac="bc:24:11:6f:0a:d3")
    sim = Sim(T0 + 55 * 86_400 + 20 * 3600 + 12 * 60 + 40, 119, cl, resolver="1.1.1.1",
              resolver_ttl=57, gw_mac="e0:63:da:18:7b:4c")
    rnd = sim.rnd
    srv = "195.54.164.163"
    t = sim.lookup(0, "cdn.media.ccc.de", [("cdn.media.ccc.de", "A", 300, srv)], 9_870 * US,
                   label="dns")
    rtt = 28_140 * US
    k = sim.tcp(srv, 443, ttl=52, mss=1460, ws=9)
    t = sim.handshake(k, t + 600 * US, rtt, label="dl")
    t = sim.tls_open(k, t, rtt, "cdn.media.ccc.de", label="dl")
    t += rtt + 800 * US
    for n in range(10):
        if n == 5:
            k.s.ttl = 49
            rtt = 31_020 * US
        if n:
            t += 2_000 * MS
            k.pkt("c", t, "PA", app_data(rnd, 61 + n % 3), label=f"req{n}")
            t += rtt + 700 * US
        t = reno_download(sim, k, t, app_data(rnd, 16384, 4000), rtt=rtt, rate=30e6,
                          label=f"chunk{n}")
    t += 5_000 * MS
    k.pkt("s", t, "PA", app_data(rnd, 19), label="notify")
    k.pkt("s", t + 30 * US, "FA", label="sfin")
    t += 90 * US
    k.pkt("c", t, "A")
    t += 310 * US
    k.pkt("c", t, "PA", app_data(rnd, 19), label="cnotify")
    k.pkt("c", t + 20 * US, "FA", label="cfin")
    k.stack_rst("s", t + rtt, k.s.seq, label="rst")
    sim.finish()
    data = as_pcapng(sim, sll2_link(cl.mac, sim.gw_mac), 276, ifname="any",
                     os_name="Linux 6.5")
    about = (
        "A video player downloads cdn.media.ccc.de content over one TLS connection "
        "(195.54.164.163:443) in ten 20 KB chunks, one every 2 s. For the first five "
        "chunks every server packet arrives with TTL 52 (RTT 28 ms). From the sixth on, "
        "after a route change, with TTL 49 (RTT 31 ms). The TTL steps once and stays, with "
        "no reset, trigger or conflicting data near it. Five seconds after the last chunk "
        "the server closes: TLS close_notify and FIN (TTL 49). The client ACKs and sends "
        "its own close_notify and FIN. The server has already closed its socket, so its "
        "kernel answers that late data with a RST (flags R, seq = the client's ack, TTL 49, "
        "IP ID 0, DF, window 0): the ordinary RST after FIN. A TTL change without a "
        "trigger, and a RST after both FINs from the server's own TTL, are not injection. "
        "Not censorship (a TTL-change observation would be acceptable but is not required).")
    shows = f"""
Client 192.168.1.50 (Linux), resolver 1.1.1.1. pcapng, Linux cooked v2 (SLL2) on `any`.

- {sim.fr("dns", "dns:ans")}: DNS cdn.media.ccc.de → 195.54.164.163.
- {sim.span("dl")}: one TLS connection (SNI cdn.media.ccc.de, ClientHello {sim.fr("dl:ch")}).
- Chunks 1-5 ({sim.fr("chunk0")}, {sim.fr("chunk1")}, {sim.fr("chunk2")}, {sim.fr("chunk3")},
  {sim.fr("chunk4")} start them): server TTL **52**, RTT 28.1 ms.
- Chunks 6-10 (from {sim.fr("chunk5")}): server TTL **49**, RTT 31.0 ms: the route changed
  between {sim.fr("chunk4")} and {sim.fr("chunk5")}; the IP ID sequence just continues.
- {sim.fr("notify")}, {sim.fr("sfin")}: the server's close_notify and FIN (TTL 49).
- {sim.fr("cnotify")}, {sim.fr("cfin")}: the client's close_notify and FIN.
- {sim.fr("rst")}: the server kernel's RST after FIN (flags R, TTL 49, IP ID 0, DF,
  window 0): data arrived for a socket the application had closed.
"""
    return benign("benign-route-change-ttl", benign_route_change_ttl, sim, "capture.pcapng",
                  "pcapng, Linux cooked v2 (SLL2, 276), µs", data, about, shows,
                  [f"{FINGERPRINTS} §15 trap 2 (route changes change TTL)",
                   f"{FINGERPRINTS} §15 trap 1 (RST after FIN)", REF_CONTRACT],
                  expected=BENIGN + "- A TTL-change observation is acceptable but not "
                                    "required.\n")


def benign_server_down() -> Built:
    """A SYN to one unresolved address is retransmitted 4 times (1, 3, 7, 15 s) and never
    answered; ordinary browsing to other servers goes on around it."""
    cl = Client("192.168.1.77", mac="70:85:c2:3d:99:e1")
    sim = Sim(T0 + 63 * 86_400 + 10 * 3600 + 4 * 60 + 31, 120, cl, resolver="192.168.1.1",
              resolver_ttl=64, gw_mac="b4:fb:e4:2a:10:6c")
    t = sim.lookup(0, "www.wikipedia.org",
                   [("www.wikipedia.org", "CNAME", 21_542, "dyna.wikimedia.org"),
                    ("dyna.wikimedia.org", "A", 426, "185.15.59.224")], 18_300 * US,
                   label="dns1")
    k = sim.tcp("185.15.59.224", 443, ttl=54, mss=1440, ws=9)
    t = sim.handshake(k, t + 1_000 * US, 26_100 * US, label="wiki")
    t = sim.tls(k, t, 26_120 * US, "www.wikipedia.org", resp=(1400, 16384, 5000), rate=50e6,
                label="wiki")
    dead = "185.104.76.12"
    k = sim.tcp(dead, 443, ttl=50)
    k.tag = "dead"
    t_syn = t + 1_420 * MS
    isn = k.c.seq
    k.pkt("c", t_syn, "S", label="syn")
    for d in (1, 3, 7, 15):
        k.pkt("c", t_syn + d * NS, "S", seq=isn, label="retx")
    t = sim.lookup(t_syn + 4_620 * MS, "www.openstreetmap.org",
                   [("www.openstreetmap.org", "A", 3600, "184.104.226.105")], 21_700 * US,
                   label="dns2")
    k = sim.tcp("184.104.226.105", 443, ttl=53, mss=1460, ws=9)
    t = sim.handshake(k, t + 900 * US, 88_030 * US, label="osm")
    t = sim.tls(k, t, 88_100 * US, "www.openstreetmap.org", resp=(1300, 16384, 16384, 2000),
                rate=40e6, label="osm")
    t = sim.lookup(t_syn + 11_350 * MS, "www.ecosia.org",
                   [("www.ecosia.org", "A", 300, "104.18.4.207")], 19_400 * US, label="dns3")
    k = sim.tcp("104.18.4.207", 443, ttl=57, mss=1400, ws=13, win=8)
    t = sim.handshake(k, t + 700 * US, 14_500 * US, label="eco")
    sim.tls(k, t, 14_480 * US, "www.ecosia.org", resp=(1300, 16384, 11000), rate=40e6,
            label="eco")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1, nano=True)
    about = (
        "Ordinary browsing (www.wikipedia.org, www.openstreetmap.org, www.ecosia.org, all "
        "fine) around one dead server. The client sends a SYN to 185.104.76.12:443, an "
        "address no DNS answer in the capture produced. Linux retransmits it after 1, 3, 7 "
        "and 15 s, and nothing ever answers: no SYN/ACK, no RST, no ICMP. There is no name, "
        "no other flow to that address and no control, so nothing shows that a censor "
        "rather than a down or firewalled server is responsible. Per the contract, a lone "
        "SYN timeout with nothing to compare against is an observation, never a finding. "
        "Expected: no finding, and a blackhole observation for the address.")
    shows = f"""
Client 192.168.1.77 (Linux), router 192.168.1.1 as DNS forwarder. pcap with nanosecond
time stamps, Ethernet.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("wiki")}: DNS and TLS to www.wikipedia.org.
- {sim.fr("syn")}: SYN to **185.104.76.12:443** (no DNS answer in the capture points there).
- {sim.fr("retx")}: the same SYN retransmitted 1, 3, 7 and 15 s later. Never answered.
- {sim.fr("dns2", "dns2:ans")}, {sim.span("osm")}: DNS and TLS to www.openstreetmap.org.
- {sim.fr("dns3", "dns3:ans")}, {sim.span("eco")}: DNS and TLS to www.ecosia.org.
"""
    return benign("benign-server-down", benign_server_down, sim, "capture.pcap",
                  "pcap, Ethernet, ns", data, about, shows,
                  [f"{FINGERPRINTS} §8 IP-01 FP traps (server down)",
                   f"{FINGERPRINTS} §15 trap 6", REF_CONTRACT + ": \"a lone SYN timeout with "
                   "nothing to compare against\" goes to observations"],
                  expected=BENIGN + "- A `blackhole` observation (for the address "
                                    "185.104.76.12) must appear in `observations`.\n",
                  observations=["blackhole"])


def benign_slow_server() -> Built:
    """One TLS download from a slow, application-limited server: 8 KB every 330 ms,
    about 200 kbit/s, no loss, and no other flow to that server."""
    cl = Client("10.66.66.2")
    sim = Sim(T0 + 71 * 86_400 + 16 * 3600 + 27 * 60 + 5, 121, cl, resolver="10.66.66.1",
              resolver_ttl=64)
    rnd = sim.rnd
    srv = "207.241.227.120"
    name = "ia800300.us.archive.org"
    t = sim.lookup(0, name, [(name, "A", 300, srv)], 181_200 * US, label="dns")
    rtt = 172_410 * US
    k = sim.tcp(srv, 443, ttl=49, mss=1460, ws=7)
    t = sim.handshake(k, t + 900 * US, rtt, label="dl")
    t = sim.tls_open(k, t, rtt, name, label="dl")
    body = app_data(rnd, *([16384] * 9), 2100)
    t += rtt + 41 * MS
    t_first = t
    for i in range(0, len(body), 8192):
        if i:
            t += rnd.randrange(300, 360) * MS
        t = sim.deliver(k, t, body[i:i + 8192], rate=50e6, label="data" if i == 0 else None)
    kbit = len(body) * 8 / ((t - t_first) / NS) / 1000
    sim.close(k, t + 2_100 * MS, rtt, label="fin")
    sim.finish()
    data = as_pcapng(sim, raw_link, 101, ifname="wg0", os_name="Linux 6.1")
    about = (
        "A client behind a WireGuard tunnel (raw-IP capture on wg0) downloads a 150 KB file "
        "from one archive server over TLS (207.241.227.120:443, TTL 49, RTT 172 ms). The "
        "server is application-limited: it writes 8 KB every 300-360 ms, each burst "
        "arriving at line rate and promptly ACKed. Throughput is about "
        f"{kbit:.0f} kbit/s, with no loss, no retransmission, no reset and a normal close. "
        "Nothing in the capture compares the speed: there is no other flow to that server "
        "and no other SNI. A slow server is not throttling, which needs the same server "
        "delivering far faster to an innocuous flow. Not censorship.")
    shows = f"""
Client 10.66.66.2 on a WireGuard interface (no link header: pcapng with LINKTYPE_RAW,
101), resolver 10.66.66.1 through the tunnel.

- {sim.fr("dns", "dns:ans")}: DNS {name} → {srv}.
- {sim.span("dl")}: one TLS connection (SNI {name}, ClientHello {sim.fr("dl:ch")}).
  Response from {sim.fr("data")}: 149,761 bytes in 8 KB bursts every 300-360 ms, about
  {kbit:.0f} kbit/s, no retransmission.
- {sim.fr("fin")}: normal close.
"""
    return benign("benign-slow-server", benign_slow_server, sim, "capture.pcapng",
                  "pcapng, LINKTYPE_RAW (101), µs", data, about, shows,
                  [f"{FINGERPRINTS} §5 THR-01 (throttling needs a fast control flow to the "
                   "same server)", f"{FINGERPRINTS} §15 trap 6"])


def benign_tls_alert_112() -> Built:
    """IPv6, Windows client: a shared-hosting server answers a ClientHello for a name it
    no longer hosts with a plaintext fatal alert 112 (unrecognized_name), same hop limit,
    after a normal RTT, then FIN."""
    cl = Client("", os="windows", ttl=128, ip6="2003:e2:1f2d:4b00:a5c1:77e2:9d10:3b4f",
                mac="d8:5e:d3:41:0a:9c", next_port=61020)
    sim = Sim(T0 + 80 * 86_400 + 9 * 3600 + 14 * 60 + 56, 122, cl,
              resolver="2003:e2:1f2d:4b00:3a10:d5ff:fe61:22c7", resolver_ttl=64,
              gw_mac="38:10:d5:61:22:c7")
    t = sim.lookup(0, "www.heise.de", [("www.heise.de", "AAAA", 3600,
                                        "2a02:2e0:3fe:1001:7777:772e:2:85")], 14_220 * US,
                   qtype="AAAA", v6=True, label="dns1")
    k = sim.tcp("2a02:2e0:3fe:1001:7777:772e:2:85", 443, ttl=55, mss=1440, ws=7, v6=True)
    t = sim.handshake(k, t + 1_300 * US, 17_910 * US, label="heise")
    t = sim.tls(k, t, 17_900 * US, "www.heise.de", resp=(1300, 16384, 16384, 7000), rate=80e6,
                label="heise")
    name = "www.baeckerei-mueller.de"
    srv = "2a01:488:42:1000:50ed:8588:8a:c570"
    t = sim.lookup(t + 4_050 * MS, name, [(name, "AAAA", 86_400, srv)], 29_400 * US,
                   qtype="AAAA", v6=True, label="dns2")
    rtt = 21_305 * US
    k = sim.tcp(srv, 443, ttl=54, mss=1440, ws=7, v6=True)
    t = sim.handshake(k, t + 1_200 * US, rtt, label="bm")
    t += 400 * US
    k.pkt("c", t, "PA", client_hello(name, sim.rnd), label="ch")
    t += rtt + 310 * US
    k.pkt("s", t, "PA", b"\x15\x03\x03\x00\x02\x02\x70", label="alert")
    k.pkt("s", t + 45 * US, "FA", label="sfin")
    t += 45 * US
    k.pkt("c", t + 180 * US, "A")
    k.pkt("c", t + 1_020 * US, "FA", label="cfin")
    k.pkt("s", t + 1_020 * US + rtt, "A")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A Windows client (IPv6, hop limit 128, no TCP timestamps) visits "
        "www.baeckerei-mueller.de. Its AAAA record still points at a shared-hosting server "
        "that no longer hosts the name. The server ACKs the ClientHello after a normal RTT "
        "(21 ms) and answers with a plaintext TLS alert record `15 03 03 00 02 02 70` "
        "(fatal, 112 unrecognized_name), then closes with FIN. Every packet from the server "
        "has the same hop limit (54) and flow label as its SYN/ACK. No reset, race or "
        "injected data: the server's own stack refused a name it does not serve, the normal "
        "meaning of alert 112. Ordinary TLS to www.heise.de precedes it. Not censorship.")
    shows = f"""
Client 2003:e2:1f2d:4b00:a5c1:77e2:9d10:3b4f (Windows: hop limit 128, no TCP timestamps),
home router as resolver. pcap, Ethernet, IPv6.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("heise")}: AAAA and TLS to www.heise.de.
- {sim.fr("dns2", "dns2:ans")}: AAAA {name} → {srv}.
- {sim.fr("bm:syn", "bm:synack", "bm:ack")}: handshake, server hop limit 54, RTT 21.3 ms.
- {sim.fr("ch")}: ClientHello with SNI {name}.
- {sim.fr("alert")}: after one RTT, the server's ACK carrying the alert record
  `15 03 03 00 02 02 70` (level fatal, description 112 unrecognized_name), hop limit 54.
- {sim.fr("sfin")}: the server's FIN. {sim.fr("cfin")}: the client's FIN, then the last
  ACK.
"""
    return benign("benign-tls-alert-112", benign_tls_alert_112, sim, "capture.pcap",
                  "pcap, Ethernet, IPv6, µs", data, about, shows,
                  [f"{FINGERPRINTS} §4 TLS-05 (alert 112 is normal when a server does not "
                   "host the SNI)", f"{FINGERPRINTS} §12 (`ssl_invalid_hostname`)"])


def benign_http_cloudflare_challenge() -> Built:
    """IPv6, macOS: a genuine Cloudflare 403 "Just a moment..." challenge page after a
    normal RTT, TTL and IP-level fields consistent with the server, no race."""
    cl = Client("", os="mac", ip6="2a01:e0a:2b4:7c10:1c5e:93ff:fe21:8a0d",
                mac="a4:83:e7:5d:20:9b")
    sim = Sim(T0 + 95 * 86_400 + 22 * 3600 + 3 * 60 + 12, 123, cl,
              resolver="2a01:e0a:2b4:7c10::1", resolver_ttl=64, gw_mac="f4:ca:e5:4b:01:22")
    rnd = sim.rnd
    t = sim.lookup(0, "www.lemonde.fr", [("www.lemonde.fr", "CNAME", 300,
                                          "www.lemonde.fr.cdn.cloudflare.net"),
                                         ("www.lemonde.fr.cdn.cloudflare.net", "AAAA", 300,
                                          "2606:4700::6812:1b2b")], 11_800 * US, qtype="AAAA",
                   v6=True, label="dns1")
    k = sim.tcp("2606:4700::6812:1b2b", 443, ttl=57, mss=1440, ws=13, win=8, v6=True)
    t = sim.handshake(k, t + 600 * US, 12_040 * US, label="lm")
    t = sim.tls(k, t, 12_030 * US, "www.lemonde.fr", resp=(1400, 16384, 16384, 9000),
                rate=80e6, label="lm")
    srv = "2606:4700:3031::ac43:b6e1"
    t = sim.lookup(t + 5_120 * MS, "nowsecure.nl", [("nowsecure.nl", "AAAA", 300, srv)],
                   13_900 * US, qtype="AAAA", v6=True, label="dns2")
    rtt = 18_215 * US
    k = sim.tcp(srv, 80, ttl=57, mss=1440, ws=13, win=8, v6=True)
    t = sim.handshake(k, t + 700 * US, rtt, label="cf")
    ray = "61e3b1c0dd0f4e52"
    page = CF_CHALLENGE.replace("{ray}", ray).replace("{tok}", rnd.randbytes(20).hex()).encode()
    resp = http_200(page, "text/html; charset=UTF-8",
                    [("Date", date_hdr(sim, t)), ("Connection", "keep-alive"),
                     ("Cache-Control", "private, max-age=0, no-store, no-cache, must-"
                      "revalidate, post-check=0, pre-check=0"),
                     ("Expires", "Thu, 01 Jan 1970 00:00:01 GMT"),
                     ("X-Frame-Options", "SAMEORIGIN"),
                     ("cf-request-id", "0827b3a6c40000f1a3b2c1d000000001"),
                     ("Vary", "Accept-Encoding"), ("Server", "cloudflare"),
                     ("CF-RAY", f"{ray}-CDG")], status="403 Forbidden")
    safari = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, "
              "like Gecko) Version/14.0.3 Safari/605.1.15")
    t = sim.http(k, t, rtt, http_get("nowsecure.nl", "/", safari), resp, rate=80e6,
                 think=3 * MS, label="cf")
    sim.close(k, t + 6_100 * MS, rtt)
    sim.finish()
    data = as_pcapng(sim, eth_link(cl.mac, sim.gw_mac), 1, ifname="en0",
                     os_name="Darwin 20.3.0")
    about = (
        "A Mac (IPv6) requests http://nowsecure.nl/, a site behind Cloudflare that always "
        "challenges browsers. The server (2606:4700:3031::ac43:b6e1, hop limit 57) "
        "answers after a normal RTT of 18 ms plus 3 ms of processing with `HTTP/1.1 403 "
        "Forbidden`, `Server: cloudflare` and a `CF-RAY` header. The body is the "
        "Cloudflare browser check (`<title>Just a moment...</title>`, \"Checking your "
        "browser before accessing nowsecure.nl\", \"DDoS protection by Cloudflare\"). "
        "Every packet has the server's hop limit, flow label and TCP timestamps. There is "
        "one response at one set of sequence numbers: no race, no conflicting data, no "
        "reset. This is the site's own anti-bot page, a known false-positive pattern, not "
        "a block page. Ordinary TLS to www.lemonde.fr precedes it. Not censorship.")
    shows = f"""
Client 2a01:e0a:2b4:7c10:1c5e:93ff:fe21:8a0d (macOS: SYN options MSS/NOP/WS 6/NOP/NOP/TS/
SACK_PERM/EOL), home router as resolver. pcapng, Ethernet, IPv6.

- {sim.fr("dns1", "dns1:ans")}, {sim.span("lm")}: AAAA and TLS to www.lemonde.fr (also
  behind Cloudflare).
- {sim.fr("dns2", "dns2:ans")}: AAAA nowsecure.nl → {srv}.
- {sim.fr("cf:syn", "cf:synack", "cf:ack")}: handshake to port 80; hop limit 57, RTT
  18.2 ms.
- {sim.fr("cf:req")}: `GET / HTTP/1.1`, `Host: nowsecure.nl` (Safari).
- {sim.fr("cf:resp")}-: `HTTP/1.1 403 Forbidden`, `Server: cloudflare`, `CF-RAY: {ray}-CDG`,
  the "Just a moment..." challenge page, {sim.ms("cf:req", "cf:resp")} after the request,
  hop limit 57.
- The connection stays open (keep-alive) and the client closes it 6 s later.
"""
    return benign("benign-http-cloudflare-challenge", benign_http_cloudflare_challenge, sim,
                  "capture.pcapng", "pcapng, Ethernet, IPv6, µs", data, about, shows,
                  [f"{FINGERPRINTS} §9 HTTP-01 FP traps (Cloudflare challenge)",
                   f"{FINGERPRINTS} §15 trap 7 (block-page look-alikes)",
                   f"{FINGERPRINTS} §13 (`fp` rows of ooni/blocking-fingerprints)"])


def benign_http_404_moved() -> Built:
    """Apache's `301 Moved Permanently` ("The document has moved") from http to https of
    the same host; the HTTPS session to the same address then succeeds."""
    cl = Client("192.168.1.140", mac="08:00:27:c1:5e:3a")
    sim = Sim(T0 + 101 * 86_400 + 13 * 3600 + 36 * 60 + 8, 124, cl, resolver="9.9.9.9",
              resolver_ttl=58, gw_mac="00:1e:58:b4:22:9f")
    srv = "151.101.2.132"
    t = sim.lookup(0, "www.apache.org",
                   [("www.apache.org", "CNAME", 3600, "apache.map.fastly.net"),
                    ("apache.map.fastly.net", "A", 30, srv)], 16_050 * US, label="dns")
    rtt = 13_870 * US
    k = sim.tcp(srv, 80, ttl=58, mss=1460, ws=9)
    t = sim.handshake(k, t + 800 * US, rtt, label="http")
    body = (b"<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>301 "
            b"Moved Permanently</title>\n</head><body>\n<h1>Moved Permanently</h1>\n<p>The "
            b"document has moved <a href=\"https://www.apache.org/\">here</a>.</p>\n</body>"
            b"</html>\n")
    resp = http_200(body, "text/html; charset=iso-8859-1",
                    [("Date", date_hdr(sim, t)), ("Server", "Apache"),
                     ("Location", "https://www.apache.org/"), ("Via", "1.1 varnish"),
                     ("X-Served-By", "cache-ams21051-AMS"), ("X-Cache", "MISS")],
                    status="301 Moved Permanently")
    t = sim.http(k, t, rtt, http_get("www.apache.org", "/", FIREFOX), resp, think=9 * MS,
                 label="http")
    k2 = sim.tcp(srv, 443, ttl=58, mss=1460, ws=9)
    t = sim.handshake(k2, t + 3_100 * US, rtt, label="https")
    t = sim.tls(k2, t, rtt, "www.apache.org", resp=(1350, 16384, 16384, 16384, 3000),
                rate=60e6, label="https")
    sim.close(k, t + 1_200 * MS, rtt, label="fin1")
    sim.close(k2, t + 9_800 * MS, rtt, label="fin2")
    sim.finish()
    data = pcap(sim.recs(sll2_link(cl.mac, sim.gw_mac)), 276)
    about = (
        "A browser asks for http://www.apache.org/ (Fastly 151.101.2.132, TTL 58, RTT "
        "14 ms). The server answers after a normal RTT with Apache's `301 Moved "
        "Permanently`, `Location: https://www.apache.org/` and the stock body \"The "
        "document has moved here\". The browser follows it to https on the same address, "
        "and the TLS session succeeds. Both connections close normally. A redirect to "
        "https of the same host, with a generic text that is on the false-positive list, "
        "arriving in the server's own packets with no race, is not a block page. Not "
        "censorship.")
    shows = f"""
Client 192.168.1.140 (Linux), resolver 9.9.9.9. pcap, Linux cooked v2 (SLL2).

- {sim.fr("dns", "dns:ans")}: DNS www.apache.org → CNAME apache.map.fastly.net →
  151.101.2.132.
- {sim.fr("http:syn", "http:synack", "http:ack")}: TCP to port 80 (SYN/ACK TTL 58, RTT
  13.9 ms).
- {sim.fr("http:req")}: `GET / HTTP/1.1`, `Host: www.apache.org`.
- {sim.fr("http:resp")}: `HTTP/1.1 301 Moved Permanently`, `Location:
  https://www.apache.org/`, body "The document has moved <a href=...>here</a>." (TTL 58,
  {sim.ms("http:req", "http:resp")} after the request).
- {sim.span("https")}: TLS to the same address with SNI www.apache.org: ServerHello
  {sim.fr("https:sh")}, about 53 KB of application data.
- {sim.fr("fin1")}, {sim.fr("fin2")}: both connections close with FIN.
"""
    return benign("benign-http-404-moved", benign_http_404_moved, sim, "capture.pcap",
                  "pcap, Linux cooked v2 (SLL2, 276), µs", data, about, shows,
                  [f"{FINGERPRINTS} §13 (`fp` scope: \"The document has moved\")",
                   f"{FINGERPRINTS} §15 trap 7"])


CF_CHALLENGE = """<!DOCTYPE HTML>
<html lang="en-US">
<head>
  <meta charset="UTF-8" />
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
  <meta http-equiv="X-UA-Compatible" content="IE=Edge,chrome=1" />
  <meta name="robots" content="noindex, nofollow" />
  <meta name="viewport" content="width=device-width,initial-scale=1" />
  <title>Just a moment...</title>
  <style type="text/css">
    html, body {width: 100%; height: 100%; margin: 0; padding: 0;}
    body {background-color: #ffffff; color: #000000; font-family: -apple-system, system-ui,
      BlinkMacSystemFont, "Segoe UI", Roboto, Oxygen, Ubuntu, "Helvetica Neue", Arial,
      sans-serif; font-size: 16px; line-height: 1.7em; -webkit-font-smoothing: antialiased;}
    h1 {text-align: center; font-weight: 700; margin: 16px 0; font-size: 32px;
      color: #000000; line-height: 1.25;}
    p {font-size: 20px; font-weight: 400; margin: 8px 0;}
    p, .attribution, {text-align: center;}
    #spinner {margin: 0 auto 30px auto; display: block;}
    .attribution {margin-top: 32px;}
    .bubbles {background-color: #f58220; width: 20px; height: 20px; margin: 2px;
      border-radius: 100%; display: inline-block;}
    a {color: #2c7cb0; text-decoration: none;}
  </style>
  <meta http-equiv="refresh" content="12">
</head>
<body>
  <table width="100%" height="100%" cellpadding="20">
    <tr>
      <td align="center" valign="middle">
        <div class="cf-browser-verification cf-im-under-attack">
          <noscript>
            <h1 data-translate="turn_on_js" style="color:#bd2426;">Please turn JavaScript on
              and reload the page.</h1>
          </noscript>
          <div id="cf-content" style="display:none">
            <div id="spinner">
              <div class="bubbles"></div><div class="bubbles"></div>
              <div class="bubbles"></div>
            </div>
            <h1><span data-translate="checking_browser">Checking your browser before
              accessing</span> nowsecure.nl.</h1>
            <p data-translate="process_is_automatic">This process is automatic. Your browser
              will redirect to your requested content shortly.</p>
            <p data-translate="allow_5_secs" id="cf-spinner-allow-5-secs">Please allow up to
              5 seconds&hellip;</p>
          </div>
          <form class="challenge-form" id="challenge-form"
                action="/?__cf_chl_jschl_tk__={tok}" method="POST"
                enctype="application/x-www-form-urlencoded">
            <input type="hidden" name="r" value="{tok}"/>
            <input type="hidden" value="{tok}" id="jschl-vc" name="jschl_vc"/>
            <input type="hidden" id="jschl-answer" name="jschl_answer"/>
          </form>
          <script type="text/javascript">
            //<![CDATA[
            (function(){
              window._cf_chl_opt = {cvId: "1", cType: "non-interactive", cNounce: "62817",
                cRay: "{ray}", cHash: "{tok}", cFPWv: "b", cTTimeMs: "4000"};
              setTimeout(function(){ document.getElementById("cf-content").style.display =
                "block"; }, 0);
            }());
            //]]>
          </script>
        </div>
        <div class="attribution">
          DDoS protection by <a rel="noopener noreferrer"
          href="https://www.cloudflare.com/5xx-error-landing/" target="_blank">Cloudflare</a>
          <br />
          <span class="ray_id">Ray ID: <code>{ray}</code></span>
        </div>
      </td>
    </tr>
  </table>
</body>
</html>
"""


# ============================================================================ fully encrypted

REF_PF01 = (f"{FINGERPRINTS} §8 PF-01 (GFW passive blocking of fully encrypted traffic: the "
            "exemptions on the first client segment, then the server ip:port blocked for 180 s; "
            "Wu et al., USENIX Security 2023)")


def _random_first(rnd: random.Random, n: int) -> bytes:
    """``n`` random-looking bytes that pass none of the PF-01 exemptions (what a Shadowsocks
    client sends first: salt, then AEAD-encrypted length and payload)."""
    while True:
        b = rnd.randbytes(n)
        bits = sum(bin(x).count("1") for x in b) / n
        printable = sum(0x20 <= x < 0x7F for x in b)
        if 3.4 < bits < 4.6 and not all(0x20 <= x < 0x7F for x in b[:6]) \
                and printable <= n // 2:
            return b


def _ss_session(sim: Sim, k: Flow, t: int, rtt: int, first: int, label: str,
                down: Sequence[int] = (1380, 2900)) -> int:
    """A Shadowsocks-like connection: handshake, a random-looking first segment, the
    server's random-looking answer, a normal close."""
    rnd = sim.rnd
    t = sim.handshake(k, t, rtt, label=label)
    t += 150 * US
    k.pkt("c", t, "PA", _random_first(rnd, first), label=label + ":first")
    t = sim.deliver(k, t + rtt + 2 * MS, rnd.randbytes(sum(down)), rate=30e6,
                    label=label + ":resp")
    return sim.close(k, t + 1_400 * MS, rtt)


def _keystrokes(sim: Sim, k: Flow, t: int, until: int, rtt: int, label: str) -> int:
    """Typing in an SSH shell from ``t`` to ``until``: a keystroke every few seconds, its
    echo one RTT later, the client's ACK."""
    rnd = sim.rnd
    first = True
    while t < until:
        t += rnd.randrange(1_500, 9_000) * MS
        k.pkt("c", t, "PA", rnd.randbytes(36), label=label if first else None)
        k.pkt("s", t + rtt, "PA", rnd.randbytes(36))
        k.pkt("c", t + rtt + 40 * MS, "A")
        t += rtt + 40 * MS
        first = False
    return t


def _syn_timeout(k: Flow, t: int, label: str, retries: Sequence[int] = (1, 3, 7, 15)) -> None:
    """A SYN and its Linux retransmissions (1, 3, 7, 15 s), never answered."""
    isn = k.c.seq
    k.tag = label
    k.pkt("c", t, "S", label=label)
    for d in retries:
        k.pkt("c", t + d * NS, "S", seq=isn, label=label + ":retx")


def _refused(sim: Sim, server: str, port: int, ttl: int, t: int, rtt: int, gap: int) -> int:
    """Two SYNs (labels r1, r2, ``gap`` apart) refused by the server with RST/ACK; returns
    the time after the second."""
    for n in ("r1", "r2"):
        k = sim.tcp(server, port, ttl=ttl)
        k.tag = n
        k.pkt("c", t, "S", label=n)
        k.pkt("s", t + rtt, "RA", seq=0, ack=k.c.seq + 1, advance=False, label=n + ":rst")
        t += gap
    return t


def residual_blocking_fully_encrypted() -> Built:
    """China, 2022: Shadowsocks connections to a VPS port work until one of them (a
    random-looking first segment) is caught; for the next 180 s every SYN to that ip:port
    goes unanswered, while SSH on port 22 of the same VPS keeps echoing keystrokes; at
    205 s the proxy port works again."""
    cl = Client("192.168.31.108", mac="f4:8c:50:2e:71:9a")
    sim = Sim(at("2022-10-04T13:21:07"), 131, cl, resolver="192.168.31.1", resolver_ttl=64,
              gw_mac="50:64:2b:1a:0c:e3")
    vps = "45.76.212.37"
    rtt = 61_870 * US
    t = sim.lookup(0, "vps.lin-studio.net", [("vps.lin-studio.net", "A", 600, vps)],
                   31_200 * US, label="dns")
    ssh = sim.tcp(vps, 22, ttl=47, mss=1460, ws=7)
    t = ssh_session(sim, ssh, t + 900 * US, rtt, "ssh",
                    b"SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5", keystrokes=0)
    t_a = t + 2_300 * MS
    _ss_session(sim, sim.tcp(vps, 8388, ttl=47), t_a, rtt, 289, "ss1",
                down=(1380, 1380, 3100))
    t_trig = t_a + 6_120 * MS
    _ss_session(sim, sim.tcp(vps, 8388, ttl=47), t_trig, rtt, 312, "ss2",
                down=(1380, 900))
    for n, when in (("d1", 12_410), ("d2", 47_880), ("d3", 109_350)):
        _syn_timeout(sim.tcp(vps, 8388, ttl=47), t_trig + when * MS, n)
    t_end = _keystrokes(sim, ssh, t_trig + 5 * NS, t_trig + 160 * NS, rtt, "keys")
    _ss_session(sim, sim.tcp(vps, 8388, ttl=47), t_trig + 205_040 * MS, rtt, 275, "ss3")
    sim.close(ssh, max(t_end, t_trig + 212 * NS), rtt, label="sshfin")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A client in China (2022, when the GFW still blocked fully encrypted traffic) uses "
        "a VPS (45.76.212.37) two ways: an SSH shell on port 22 and a Shadowsocks proxy on "
        "port 8388. Two proxy connections work; each starts with a random-looking segment "
        "(about 4 set bits per byte, no printable prefix or run, not TLS or HTTP), which "
        "passes none of the exemptions of the GFW's filter for fully encrypted traffic. "
        "After the second one, every new connection to 45.76.212.37:8388 for the next three "
        "minutes dies at the SYN (three connections, each SYN retransmitted four times, "
        "nothing answers), while the SSH session on port 22 of the same server keeps "
        "echoing keystrokes: the server is up, only its proxy port is cut. 205 s after the "
        "trigger the proxy port works again. Censorship: residual-blocking of (client, "
        "45.76.212.37, 8388).")
    shows = f"""
Client 192.168.31.108 (Linux), router 192.168.31.1 as DNS forwarder. pcap, Ethernet.

- {sim.fr("dns", "dns:ans")}: DNS vps.lin-studio.net → 45.76.212.37.
- {sim.fr("ssh:syn", "ssh:synack", "ssh:ack")}: SSH to 45.76.212.37:22 (TTL 47, RTT 61.9 ms),
  banners and key exchange; the shell stays open to the end ({sim.fr("sshfin")}).
- {sim.span("ss1")}: proxy connection 1 to port 8388: first segment {sim.fr("ss1:first")}
  (289 random-looking bytes), the server's answer from {sim.fr("ss1:resp")}, normal close.
- {sim.span("ss2")}: proxy connection 2, the **trigger**: first segment
  {sim.fr("ss2:first")} (312 random-looking bytes), answered, closed normally.
- {sim.fr("d1", "d1:retx")}, {sim.fr("d2", "d2:retx")}, {sim.fr("d3", "d3:retx")}: three new
  connections to 45.76.212.37:8388, 12 s, 48 s and 109 s after the trigger: SYNs and four
  retransmissions each, **never answered**.
- From {sim.fr("keys")}: keystrokes on the SSH shell, each echoed by the server one RTT
  later, throughout the window.
- {sim.span("ss3")}: proxy connection 205 s after the trigger: works.
"""
    expected = f"""
- `residual-blocking` with `ip` `{vps}` (must): the three unanswered connections, with the
  trigger segment (frame {sim.f("ss2:first")}) as their evidence and the SSH session as the
  control that the server was up.
- `blackhole` observations for the unanswered SYNs are fine; no other finding.
"""
    b = Built("capture.pcap", data, about, [{"mechanism": "residual-blocking", "ip": vps}])
    b.readme = readme("residual-blocking-fully-encrypted", residual_blocking_fully_encrypted,
                      fmt_line(sim, "capture.pcap", "pcap, Ethernet, µs"), shows, expected,
                      [REF_PF01, REF_RES, REF_CONTRACT])
    return b


def benign_encrypted_proxy_server_restart() -> Built:
    """A random-looking proxy connection to a VPS, then the VPS reboots: SYNs to the proxy
    port go unanswered for about two minutes, then the port refuses for a few seconds, then
    works. Nothing shows the server alive meanwhile (no other port in use)."""
    cl = Client("10.0.0.23", mac="3c:22:fb:90:1d:47")
    sim = Sim(at("2022-06-17T02:44:51"), 132, cl, resolver="10.0.0.1", resolver_ttl=64,
              gw_mac="e8:48:b8:c1:07:2e")
    vps = "139.162.84.201"
    rtt = 83_440 * US
    t = sim.lookup(0, "www.bilibili.com", [("www.bilibili.com", "A", 300, "120.92.78.97")],
                   9_400 * US, label="dns")
    k = sim.tcp("120.92.78.97", 443, ttl=52)
    t = sim.handshake(k, t + 800 * US, 27_300 * US, label="bili")
    t = sim.tls(k, t, 27_300 * US, "www.bilibili.com", resp=(1380, 16384, 6000), label="bili")
    t_trig = t + 3_100 * MS
    _ss_session(sim, sim.tcp(vps, 443, ttl=49), t_trig, rtt, 348, "ss1")
    for n, when in (("d1", 20_050), ("d2", 64_700)):
        _syn_timeout(sim.tcp(vps, 443, ttl=49), t_trig + when * MS, n)
    t = _refused(sim, vps, 443, 49, t_trig + 131_220 * MS, rtt, 2_600 * MS)
    _ss_session(sim, sim.tcp(vps, 443, ttl=49), t + 4_900 * MS, rtt, 301, "ss2")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A client uses a proxy on a VPS (139.162.84.201:443) whose connections start with "
        "random-looking bytes, the shape the GFW's filter for fully encrypted traffic "
        "flags. After one proxy connection the VPS reboots: for about two minutes SYNs to "
        "it go unanswered, then its kernel is up before the proxy and refuses two "
        "connections with RST/ACK (same TTL as the server), then the proxy works again. "
        "No other port or service of the VPS is in use, so nothing shows the server alive "
        "while the SYNs went unanswered: a server restart explains the capture as well as "
        "a censor does. Not a finding; a residual-blocking observation (no control) and "
        "blackhole observations are expected.")
    shows = f"""
Client 10.0.0.23 (Linux), resolver 10.0.0.1. pcap, Ethernet.

- {sim.span("bili")}: ordinary TLS browsing to www.bilibili.com.
- {sim.span("ss1")}: proxy connection to 139.162.84.201:443, first segment
  {sim.fr("ss1:first")} (348 random-looking bytes), answered, closed.
- {sim.fr("d1", "d1:retx")}, {sim.fr("d2", "d2:retx")}: two connections to the same port
  whose SYNs go unanswered (the VPS is rebooting).
- {sim.fr("r1", "r1:rst", "r2", "r2:rst")}: the kernel is up, the proxy is not yet: SYNs
  refused with RST/ACK, TTL 49 like the server's.
- {sim.span("ss2")}: the proxy works again.
"""
    return benign("benign-encrypted-proxy-server-restart", benign_encrypted_proxy_server_restart,
                  sim, "capture.pcap", "pcap, Ethernet, µs", data, about, shows,
                  [REF_PF01, f"{FINGERPRINTS} §15 trap 6 (server down)", REF_CONTRACT],
                  expected=BENIGN + "- A `residual-blocking` observation (no control) and "
                                    "`blackhole` observations must appear in "
                                    "`observations`.\n",
                  observations=["residual-blocking", "blackhole"])


def benign_encrypted_proxy_works() -> Built:
    """Fully-encrypted-looking proxy connections to a VPS over five minutes, all working;
    the proxy process restarts once (two connections refused with RST/ACK) while SSH on
    port 22 of the same VPS keeps working. A SYN timeout to an unrelated server."""
    cl = Client("192.168.2.41", mac="a4:83:e7:05:6b:d2")
    sim = Sim(at("2022-11-28T15:02:33"), 133, cl, resolver="192.168.2.1", resolver_ttl=64,
              gw_mac="00:1e:42:3a:77:c0")
    vps = "5.181.156.14"
    rtt = 158_220 * US
    ssh = sim.tcp(vps, 22, ttl=51)
    t = ssh_session(sim, ssh, 600 * MS, rtt, "ssh", b"SSH-2.0-OpenSSH_8.4p1 Debian-5",
                    keystrokes=0)
    t_ss = t + 1_800 * MS
    for i, (when, first) in enumerate(((0, 267), (14_200, 301), (39_050, 412))):
        _ss_session(sim, sim.tcp(vps, 8443, ttl=51), t_ss + when * MS, rtt, first,
                    f"ss{i + 1}")
    _refused(sim, vps, 8443, 51, t_ss + 52_300 * MS, rtt, 1_100 * MS)
    for i, (when, first) in enumerate(((58_900, 288), (121_400, 350), (236_800, 279))):
        _ss_session(sim, sim.tcp(vps, 8443, ttl=51), t_ss + when * MS, rtt, first,
                    f"ss{i + 4}")
    _syn_timeout(sim.tcp("203.119.169.31", 443, ttl=50), t_ss + 77_000 * MS, "dead")
    t_end = _keystrokes(sim, ssh, t_ss + 2 * NS, t_ss + 240 * NS, rtt, "keys")
    sim.close(ssh, t_end + 3 * NS, rtt, label="sshfin")
    sim.finish()
    data = as_pcapng(sim, eth_link(cl.mac, sim.gw_mac), 1, ifname="eth0",
                     os_name="Linux 5.15")
    about = (
        "A client uses a proxy on a VPS (5.181.156.14:8443) whose connections all start "
        "with random-looking bytes (the shape of fully encrypted traffic), and an SSH "
        "shell on port 22 of the same VPS. Six proxy connections over four minutes all "
        "work. In between the proxy process restarts: two connections are refused at once "
        "with RST/ACK from the server itself (same TTL), while SSH keeps working; the next "
        "proxy connection works. One SYN to an unrelated address times out. Fully "
        "encrypted traffic alone is not censorship, nor is a refused port: no finding.")
    shows = f"""
Client 192.168.2.41 (Linux), pcapng, Ethernet.

- {sim.fr("ssh:syn", "ssh:synack", "ssh:ack")}: SSH to 5.181.156.14:22 (TTL 51, RTT 158 ms),
  open to the end ({sim.fr("sshfin")}), keystrokes from {sim.fr("keys")}.
- {sim.span("ss1")}, {sim.span("ss2")}, {sim.span("ss3")}: proxy connections to port 8443,
  random-looking first segments {sim.fr("ss1:first", "ss2:first", "ss3:first")}, all
  answered.
- {sim.fr("r1", "r1:rst", "r2", "r2:rst")}: two SYNs refused with RST/ACK (the proxy
  restarts), TTL 51 like the server's.
- {sim.span("ss4")}, {sim.span("ss5")}, {sim.span("ss6")}: the proxy works again.
- {sim.fr("dead", "dead:retx")}: a SYN to 203.119.169.31:443, never answered.
"""
    return benign("benign-encrypted-proxy-works", benign_encrypted_proxy_works, sim,
                  "capture.pcapng", "pcapng, Ethernet, µs", data, about, shows,
                  [REF_PF01, f"{FINGERPRINTS} §15 trap 1 (closed ports)", REF_CONTRACT])


def benign_tcp_keepalive_probes() -> Built:
    """An IMAPS session to a Windows server left idle: every two minutes the server sends a
    keep-alive probe (one zero byte at the sequence number of its last byte, RFC 9293
    3.8.4), a different byte at an offset already delivered; the client ACKs each. The mail
    client then quits with its own RST."""
    cl = Client("192.168.1.64", mac="d8:bb:c1:4a:02:7e")
    sim = Sim(at("2023-03-14T09:12:41"), 134, cl, resolver="192.168.1.1", resolver_ttl=64,
              gw_mac="b0:4e:26:c3:91:0a")
    rnd = sim.rnd
    srv = "52.98.151.66"
    rtt = 31_220 * US
    t = sim.lookup(0, "outlook.office365.com",
                   [("outlook.office365.com", "CNAME", 60, "ooc-g2.tm-4.office.com"),
                    ("ooc-g2.tm-4.office.com", "A", 60, srv)], 12_480 * US, label="dns")
    k = sim.tcp(srv, 993, ttl=112, os="windows", mss=1400, ws=8, win_syn=65535, win=2048,
                ids=IdGen(0x3B17, rnd, busy=25))
    t = sim.handshake(k, t + 700 * US, rtt, label="imap")
    t = sim.tls(k, t, rtt, "outlook.office365.com", resp=(180, 620, 96), label="imap")
    for n in range(3):
        t += 120_000 * MS + rnd.randrange(0, 40) * MS
        k.pkt("s", t, "A", b"\x00", seq=k.s.seq - 1, advance=False, label=f"probe{n}")
        k.pkt("c", t + rtt // 2 + 80 * US, "A", label=f"probe{n}:ack")
    t += 47_310 * MS
    k.pkt("c", t, "RA", advance=False, label="rst")
    k2 = sim.tcp("151.101.2.217", 443, ttl=57)
    t = sim.lookup(t + 2_100 * MS, "www.debian.org",
                   [("www.debian.org", "A", 300, "151.101.2.217")], 11_900 * US, label="dns2")
    t = sim.handshake(k2, t + 600 * US, 14_020 * US, label="deb")
    t = sim.tls(k2, t, 14_020 * US, "www.debian.org", resp=(1300, 16384, 7000), label="deb")
    sim.close(k2, t + 4_000 * MS, 14_020 * US)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A mail client keeps an IMAPS connection to outlook.office365.com (52.98.151.66:993, "
        "a Windows server: TTL 112, no TCP timestamps) open and idle. Every two minutes the "
        "server sends a TCP keep-alive probe: one byte, a zero, at the sequence number of the "
        "last byte it already sent, which the client had acknowledged. That byte differs "
        "from the byte delivered at that offset (the end of a TLS record), so a tool that "
        "compares retransmitted bytes sees conflicting data at the same sequence numbers, "
        "the signature of injection. It is the probe Windows sends (RFC 9293 3.8.4 allows "
        "any content; Wireshark labels it TCP Keep-Alive): same TTL and IP ID counter as "
        "the server, ACKed by the client. The mail client later quits with its own RST. "
        "Not censorship.")
    shows = f"""
Client 192.168.1.64 (Linux), resolver 192.168.1.1. pcap, Ethernet.

- {sim.fr("dns", "dns:ans")}: outlook.office365.com → 52.98.151.66.
- {sim.span("imap")}: IMAPS (TLS 1.3, SNI outlook.office365.com): handshake, a few records
  each way.
- {sim.fr("probe0", "probe1", "probe2")}: the server's keep-alive probes, two minutes apart:
  one zero byte at the sequence number of its last byte (already ACKed), server TTL and IP
  IDs; each ACKed by the client ({sim.fr("probe0:ack", "probe1:ack", "probe2:ack")}).
- {sim.fr("rst")}: the client's own RST+ACK when the mail client quits.
- {sim.span("deb")}: ordinary TLS to www.debian.org.
"""
    return benign("benign-tcp-keepalive-probes", benign_tcp_keepalive_probes, sim,
                  "capture.pcap", "pcap, Ethernet, µs", data, about, shows,
                  ["RFC 9293 §3.8.4 (TCP keep-alives: the probe may carry one garbage octet)",
                   f"{FINGERPRINTS} §15 trap 1 (legitimate endpoint behaviour)",
                   REF_CONTRACT])


def benign_syn_proxy_challenge() -> Built:
    """A DDoS-mitigation front end answers a new client's first SYN with a SYN/ACK whose
    ack number is wrong (its own TTL 243, no DF): the client's stack rejects it with a RST
    (seq = that ack) and retransmits its SYN, which the real server answers. The TLS
    session to the same name then works, and so does a second connection."""
    cl = Client("192.168.1.90", mac="a4:5e:60:d2:17:3b")
    sim = Sim(at("2024-05-06T18:20:44"), 135, cl, resolver="192.168.1.1", resolver_ttl=64,
              gw_mac="74:ac:b9:40:5c:e1")
    rnd = sim.rnd
    srv = "149.154.167.99"
    rtt = 38_420 * US
    t = sim.lookup(0, "telegram.org", [("telegram.org", "A", 300, srv)], 14_100 * US,
                   label="dns")
    k = sim.tcp(srv, 443, ttl=52)
    k.tag = "c1"
    t += 900 * US
    k.pkt("c", t, "S", advance=False, label="syn")
    bogus = rnd.getrandbits(32)
    # the front end uses the server's ISN (it hands the connection over when it passes)
    k.pkt("s", t + 1_930 * US, "SA", ack=bogus, ttl=243, df=False, ipid=0,
          opts=[("MSS", 1460)], advance=False, label="challenge")
    k.pkt("c", t + 2_010 * US, "R", seq=bogus, opts=[], advance=False, label="reject")
    t = sim.handshake(k, t + 1_000 * MS, rtt, label="c1")
    t = sim.tls(k, t, rtt, "telegram.org", resp=(1400, 16384, 9000), label="c1")
    sim.close(k, t + 2_300 * MS, rtt)
    k2 = sim.tcp(srv, 443, ttl=52)
    t = sim.handshake(k2, t + 6_100 * MS, rtt, label="c2")
    t = sim.tls(k2, t, rtt, "telegram.org", resp=(1400, 5200), label="c2")
    sim.close(k2, t + 1_900 * MS, rtt)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A client connects to telegram.org (149.154.167.99:443) behind a DDoS-mitigation "
        "front end that challenges new clients. Its first SYN is answered 1.9 ms later by a "
        "SYN/ACK from the front end: TTL 243, no DF, IP ID 0, and an ack number that does "
        "not acknowledge the SYN. The client's stack rejects it with a bare RST whose seq is "
        "that ack number (RFC 9293 3.10.7.3) and retransmits its SYN a second later (the "
        "same ISN); the real server answers (TTL 52, DF) and the TLS session works, as does "
        "a second connection. A tool that takes the first SYN/ACK as the server's sees the "
        "server's data with TTL 52 against 243 and a different DF bit, the shape of injected "
        "data, and a RST before the data. Not censorship: the challenge is not the "
        "handshake, and the RST is the client's own.")
    shows = f"""
Client 192.168.1.90 (Linux), resolver 192.168.1.1. pcap, Ethernet.

- {sim.fr("dns", "dns:ans")}: telegram.org → 149.154.167.99.
- {sim.fr("syn")}: the client's SYN.
- {sim.fr("challenge")}: **the front end's SYN/ACK**: TTL 243, no DF, IP ID 0, only MSS,
  and an ack number that does not acknowledge the SYN.
- {sim.fr("reject")}: the client's RST rejecting it (seq = that ack number, no ACK flag).
- {sim.span("c1")}: the SYN retransmitted after 1 s (same ISN), the real SYN/ACK (TTL 52,
  DF), TLS 1.3 with SNI telegram.org, data both ways, closed with FIN.
- {sim.span("c2")}: a second connection, no challenge, ordinary.
"""
    return benign("benign-syn-proxy-challenge", benign_syn_proxy_challenge, sim, "capture.pcap",
                  "pcap, Ethernet, µs", data, about, shows,
                  ["RFC 9293 §3.10.7.3 (a SYN/ACK with an unacceptable ACK draws a RST; the "
                   "connection stays in SYN-SENT)",
                   f"{FINGERPRINTS} §15 traps 1 and 2 (middlebox packets, TTL heuristics)",
                   REF_CONTRACT])


def _ovpn(rnd: random.Random, n: int) -> bytes:
    """An OpenVPN-over-TCP packet: 2-byte length, then an opcode byte and ``n`` bytes."""
    body = bytes([rnd.choice((0x30, 0x48))]) + rnd.randbytes(n)
    return struct.pack("!H", len(body)) + body


def benign_uplink_outage() -> Built:
    """OpenVPN over TCP port 443 works for a minute; then the laptop's Wi-Fi uplink fails
    (its transmissions are lost, the access point's still arrive) for about 40 s: the
    server stops acknowledging the client and retransmits data the client acknowledged,
    the client retransmits, DNS queries go unanswered. The client restarts its tunnel
    once the link is back and the new connection works. No control shows the path
    working during the outage: at most an observation."""
    cl = Client("192.168.1.57", mac="70:cd:0d:2e:81:b4")
    sim = Sim(at("2024-11-02T20:41:07"), 143, cl, resolver="192.168.1.1", resolver_ttl=64,
              gw_mac="e4:8d:8c:44:19:d0")
    rnd = sim.rnd
    srv, name = "95.216.140.21", "vpn.example.org"
    rtt = 41_700 * US
    t = sim.lookup(0, name, [(name, "A", 600, srv)], 12_600 * US, label="dns")
    k = sim.tcp(srv, 443, ttl=53, mss=1460, ws=7)
    t = sim.handshake(k, t + 900 * US, rtt, label="vpn")
    k.pkt("c", t + 200 * US, "PA", _ovpn(rnd, 13), label="vpn:first")
    t += 200 * US + rtt
    for _ in range(40):                       # a minute of tunnel traffic
        k.pkt("s", t, "PA", _ovpn(rnd, rnd.randrange(60, 1300)))
        k.pkt("c", t + 200 * US, "PA", _ovpn(rnd, rnd.randrange(40, 400)))
        t += rtt + rnd.randrange(900, 1_600) * MS
        k.pkt("s", t - rnd.randrange(300, 800) * MS, "A")
    # the uplink fails: from here the client's packets are lost
    cseq = k.c.seq
    ping = _ovpn(rnd, 41)
    k.pkt("c", t, "PA", ping, label="vpn:lost")
    t_out = t
    sseq = k.s.seq
    sdata = _ovpn(rnd, 410)
    k.pkt("s", t + 30 * MS, "PA", sdata, ack=cseq, label="vpn:sdata")
    k.pkt("c", t + 30_200 * US, "A")
    for ts in _ignored(k, t + 30 * MS, [250 * MS, 500 * MS, 1_000 * MS, 2_000 * MS,
                                        4_000 * MS, 8_000 * MS], "s", sdata, sseq,
                       "vpn:sretx", ack=cseq):
        k.pkt("c", ts + 150 * US, "A", label="vpn:dupack")
    _ignored(k, t_out, [240 * MS, 480 * MS, 960 * MS, 1_920 * MS, 3_840 * MS, 7_680 * MS],
             "c", ping, cseq, "vpn:cretx")
    sim.lookup(t_out + 6_000 * MS, "www.google.com", None, 0, label="dnslost")
    sim.lookup(t_out + 11_000 * MS, "www.google.com", None, 0, label="dnslost")
    # the tunnel restarts after 30 s (its FIN is lost too) and waits for the link
    k.pkt("c", t_out + 30 * NS, "FA", seq=cseq + len(ping), label="vpn:fin")
    k.pkt("c", t_out + 30_400 * MS, "FA", seq=cseq + len(ping))
    t = t_out + 41 * NS                      # the link is back
    t = sim.lookup(t, name, [(name, "A", 600, srv)], 13_100 * US, label="dns2")
    k2 = sim.tcp(srv, 443, ttl=53, mss=1460, ws=7)
    t = sim.handshake(k2, t + 800 * US, rtt, label="vpn2")
    k2.pkt("c", t + 200 * US, "PA", _ovpn(rnd, 13))
    t += 200 * US + rtt
    for _ in range(8):
        k2.pkt("s", t, "PA", _ovpn(rnd, rnd.randrange(60, 1300)))
        k2.pkt("c", t + 200 * US, "PA", _ovpn(rnd, rnd.randrange(40, 400)))
        t += rtt + rnd.randrange(900, 1_600) * MS
        k2.pkt("s", t - rnd.randrange(300, 800) * MS, "A")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        f"A laptop keeps an OpenVPN tunnel over TCP to {name} ({srv}) on port 443 (the "
        "first client data is OpenVPN, not TLS). After a minute its Wi-Fi uplink fails: "
        "what the laptop sends is lost, what the access point sends still arrives. The "
        "server stops acknowledging the client and retransmits data the client "
        "acknowledged; the client retransmits; two DNS queries go unanswered; the tunnel's "
        "FIN is lost too. When the link is back 41 s later, the tunnel reconnects to the "
        "same server and port and works. The shape of a filter dropping the client's "
        "packets, but nothing shows the path working during the outage: not a claim of "
        "blocking, at most an observation.")
    shows = f"""
Client 192.168.1.57 (Linux), resolver 192.168.1.1. pcap, Ethernet, µs.

- {sim.span("vpn")}: the tunnel. {sim.fr("vpn:first")}: the first client data (OpenVPN).
  A minute of traffic both ways.
- {sim.fr("vpn:lost")}: the first client packet lost; retransmitted in
  {sim.fr("vpn:cretx")}. {sim.fr("vpn:sretx")}: the server retransmits
  {sim.fr("vpn:sdata")}, which the client acknowledged.
- {sim.fr("dnslost")}: DNS queries with no answer. {sim.fr("vpn:fin")}: the tunnel's FIN.
- {sim.fr("dns2", "dns2:ans")}, {sim.span("vpn2")}: after the outage a new tunnel works.
"""
    return benign("benign-uplink-outage", benign_uplink_outage, sim, "capture.pcap",
                  "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §6 PF-02", f"{FINGERPRINTS} §15 trap 6 (timeouts that "
                   "are not blocking)"],
                  expected=BENIGN + "- A `blackhole` observation may appear.\n",
                  observations=["blackhole"])


def benign_lossy_uplink_recovers() -> Built:
    """A phone on a congested cell: the client's Finished and request are lost twice and its
    ACK of the server's flight once, so the server retransmits the flight's end (already
    acknowledged at the capture point); the third copy of the request gets through and the
    page loads. An upload on another connection loses segments the same way and completes.
    Everything is acknowledged in the end: nothing was dropped for good."""
    cl = Client("10.172.34.9", mac="02:00:5e:10:00:07")
    sim = Sim(at("2025-06-18T07:55:40"), 144, cl, resolver="10.172.0.1", resolver_ttl=63,
              gw_mac="02:00:5e:10:00:01")
    rnd = sim.rnd
    srv, name = "151.101.65.140", "www.reddit.com"
    rtt = 88_400 * US
    t = sim.lookup(0, name, [(name, "A", 300, srv)], 61_000 * US, label="dns")
    k = sim.tcp(srv, 443, ttl=57, mss=1460, ws=9)
    t = sim.handshake(k, t + 900 * US, rtt, label="page")
    ch = client_hello(name, rnd)
    t += 200 * US
    k.pkt("c", t, "PA", ch, label="page:ch")
    flight = server_flight(rnd, session_id_of(ch), 3100)
    segs = segments(flight, 1448)
    t += rtt + 600 * US
    last_seq = 0
    for i, seg in enumerate(segs):
        last_seq = k.s.seq
        k.pkt("s", t, "PA" if i == len(segs) - 1 else "A", seg, label="page:sh")
        t += 140 * US
    t += 1_800 * US
    fin_rec = b"\x14\x03\x03\x00\x01\x01" + app_data(rnd, 53)
    req = app_data(rnd, 260)
    fseq = k.c.seq
    k.pkt("c", t, "PA", fin_rec + req, label="page:req")   # lost
    t_req = t
    k.pkt("s", t + 210 * MS, "PA", segs[-1], seq=last_seq, ack=fseq, advance=False,
          label="page:sretx")
    k.pkt("c", t + 210_200 * US, "A", label="page:dupack")
    k.pkt("c", t + 230 * MS, "PA", fin_rec + req, seq=fseq, advance=False,
          label="page:cretx")                              # lost
    k.pkt("c", t + 690 * MS, "PA", fin_rec + req, seq=fseq, advance=False,
          label="page:cretx")                              # gets through
    t = t_req + 690 * MS + rtt + 2 * MS
    t = sim.deliver(k, t, app_data(rnd, 1400, 16384, 16384, 8000), rate=12e6,
                    label="page:resp")
    sim.close(k, t + 3_000 * MS, rtt)
    # an upload on another connection loses two segments once each, then completes
    k2 = sim.tcp("157.240.221.35", 443, ttl=55, mss=1440, ws=8)
    t2 = sim.handshake(k2, t_req + 5 * NS, 74_900 * US, label="up")
    t2 = sim.tls_open(k2, t2, 74_900 * US, "upload.facebook.com", label="up")
    t2 += 74_900 * US
    k2.pkt("s", t2, "A")
    body = rnd.randbytes(2 * 1428)
    s0 = k2.c.seq
    k2.pkt("c", t2 + 500 * US, "PA", body[:1428], label="up:lost")
    k2.pkt("c", t2 + 600 * US, "PA", body[1428:])
    k2.pkt("c", t2 + 320 * MS, "PA", body[:1428], seq=s0, advance=False, label="up:retx")
    k2.pkt("c", t2 + 960 * MS, "PA", body, seq=s0, advance=False, label="up:retx")
    k2.pkt("s", t2 + 960 * MS + 74_900 * US, "A", label="up:acked")
    t2 = t2 + 960 * MS + 76 * MS
    t2 = sim.deliver(k2, t2, app_data(rnd, 420), label="up:resp")
    sim.close(k2, t2 + 2 * NS, 74_900 * US)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        f"A phone on a congested mobile cell loads {name}. The ClientHello gets through "
        "and the server's flight arrives, but the client's Finished and request are lost "
        "twice, and its acknowledgment of the flight once: the server retransmits the end "
        "of its flight, which the client had acknowledged (a spurious retransmission at the "
        "capture point). The third copy of the request arrives and the page loads in full. "
        "An upload on another connection loses a segment twice and completes. Everything "
        "the client sent is acknowledged in the end. Not censorship.")
    shows = f"""
Client 10.172.34.9 (Linux), resolver 10.172.0.1. pcap, Ethernet, µs.

- {sim.span("page")}: {name}. ClientHello {sim.fr("page:ch")}, flight {sim.fr("page:sh")};
  Finished and request {sim.fr("page:req")} lost, retransmitted {sim.fr("page:cretx")};
  the server's spurious retransmission {sim.fr("page:sretx")}; the response from
  {sim.fr("page:resp")}.
- {sim.span("up")}: upload.facebook.com: segment {sim.fr("up:lost")} retransmitted in
  {sim.fr("up:retx")}, acknowledged in {sim.fr("up:acked")}.
"""
    return benign("benign-lossy-uplink-recovers", benign_lossy_uplink_recovers, sim,
                  "capture.pcap", "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §4 TLS-02", f"{FINGERPRINTS} §15 trap 6"])


def benign_rst_sni_trailing_dot() -> Built:
    """curl keeps the trailing dot of an absolute name in the SNI; the server's TLS front end
    has no certificate for "api.example-pay.de." and its kernel resets one round trip after
    the ClientHello (the server's TTL, DF, next IP ID, window, timestamps). Seconds later the
    same name without the dot works on the same server, as does another name before."""
    cl = Client("10.50.12.44", mac="a4:bb:6d:21:07:e3")
    sim = Sim(at("2025-05-20T09:03:11"), 147, cl, resolver="10.50.0.53", resolver_ttl=63,
              gw_mac="00:1c:73:5a:90:02")
    srv = "162.55.180.23"
    rtt = 19_000 * US
    ids = IdGen(0x2960)
    t = sim.lookup(0, "www.example-pay.de", [("www.example-pay.de", "A", 300, srv)],
                   8_700 * US, label="dns-www")
    k = sim.tcp(srv, 443, ttl=53, ids=ids)
    t = sim.handshake(k, t + 600 * US, rtt, label="www")
    t = sim.tls(k, t, rtt, "www.example-pay.de", resp=(1400, 16384, 9000), label="www")
    t = sim.close(k, t + 1_200 * MS, rtt)
    # `curl https://api.example-pay.de./v1/status`: the resolver is asked the absolute name
    t = sim.lookup(t + 4_000 * MS, "api.example-pay.de",
                   [("api.example-pay.de", "A", 300, srv)], 8_900 * US, label="dns-api")
    k = sim.tcp(srv, 443, ttl=53, ids=ids)
    t = sim.handshake(k, t + 500 * US, rtt, label="dot")
    t += 220 * US
    k.pkt("c", t, "PA", client_hello("api.example-pay.de.", sim.rnd), label="dot:ch")
    k.pkt("s", t + rtt + 180 * US, "RA", label="dot:rst")
    t += rtt + 180 * US
    # the user drops the dot and runs it again
    k = sim.tcp(srv, 443, ttl=53, ids=ids)
    t = sim.handshake(k, t + 4_300 * MS, rtt, label="api")
    t = sim.tls(k, t, rtt, "api.example-pay.de", resp=(640,), label="api")
    sim.close(k, t + 300 * MS, rtt)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1, nano=True)
    about = (
        f"A developer's laptop loads www.example-pay.de from {srv} (TTL 53, one IP ID "
        "counter) over TLS 1.3. Then `curl https://api.example-pay.de./v1/status` (an "
        "absolute name with its trailing dot): the resolver is asked for the name, and the "
        "ClientHello carries the SNI 'api.example-pay.de.' with the dot, as curl sends it. "
        "The server's TLS front end has no certificate for that spelling, closes the socket "
        "with the ClientHello unread, and its kernel answers with a RST+ACK one round trip "
        "later: the server's TTL, DF, the next IP ID of its counter, its usual window and "
        "TCP timestamps. 4.3 s later the user runs the command without the dot, and the "
        "same server completes the handshake for api.example-pay.de. Trap: a reset right "
        "after an SNI while the same server answers another name (the SNI-reset pattern). "
        "Not censorship: 'api.example-pay.de.' and 'api.example-pay.de' are one DNS name, "
        "and that name works on the same server seconds later; the reset is the server's own.")
    shows = f"""
Laptop 10.50.12.44 (Linux), resolver 10.50.0.53. pcap, Ethernet, ns.

- {sim.fr("dns-www")}, {sim.span("www")}: www.example-pay.de on {srv}, TLS 1.3, works.
- {sim.fr("dns-api")}: DNS A api.example-pay.de → {srv}.
- {sim.fr("dot:ch")}: ClientHello with SNI **api.example-pay.de.** (trailing dot).
- {sim.fr("dot:rst")}: RST+ACK from the server one RTT later: TTL 53, DF, next IP ID,
  window 509, TCP timestamps.
- {sim.span("api")}: SNI api.example-pay.de (no dot) on the same server, works.
"""
    return benign("benign-rst-sni-trailing-dot", benign_rst_sni_trailing_dot, sim,
                  "capture.pcap", "pcap, Ethernet, ns", data, about, shows,
                  [f"{FINGERPRINTS} §4 TLS-01 (natural control: the same name works)",
                   f"{FINGERPRINTS} §15 trap 1 (legitimate RSTs)",
                   "RFC 4343 (DNS names are case-insensitive); RFC 1034 §3.1 (absolute names)"],
                  observations=["rst-injection"])


def benign_rst_vhost_reject() -> Built:
    """A load balancer on the server refuses one virtual host: its kernel acknowledges the
    GET, then the proxy aborts the connection (RST+ACK one round trip later, the server's
    TTL, DF, next IP ID and its usual window). The other host names on the same address work
    before and after. The reset follows the name, but it is the server's own."""
    cl = Client("192.168.2.104", os="windows", ttl=128, ids=IdGen(0x3A10), next_port=52_210,
                mac="c8:5b:76:0e:41:9d")
    sim = Sim(at("2025-07-10T08:31:20"), 146, cl, resolver="192.168.2.1", resolver_ttl=64,
              gw_mac="b0:f2:08:1c:7e:55")
    rnd = sim.rnd
    srv = "88.198.47.121"
    rtt = 19_300 * US
    ids = IdGen(0x7E10)
    t = 0
    for host, label in (("www.example-bakery.de", "www"), ("shop.example-bakery.de", "shop")):
        t = sim.lookup(t + 400 * MS, host, [(host, "A", 3600, srv)], 11_200 * US,
                       label=f"dns-{label}")
        k = sim.tcp(srv, 80, ttl=54, mss=1460, ws=7, ids=ids)
        t = sim.handshake(k, t + 600 * US, rtt, label=label)
        t = sim.http(k, t, rtt, http_get(host, "/", CHROME),
                     http_200(html_page(host, 9_000, rnd), "text/html"), label=label)
        t = sim.close(k, t + 2_000 * MS, rtt)
    for i in range(2):
        host = "intranet.example-bakery.de"
        t = sim.lookup(t + 1_500 * MS, host, [(host, "A", 3600, srv)], 10_900 * US,
                       label=f"dns-rej{i}")
        k = sim.tcp(srv, 80, ttl=54, mss=1460, ws=7, ids=ids)
        t = sim.handshake(k, t + 700 * US, rtt, label=f"rej{i}")
        t += 180 * US
        k.pkt("c", t, "PA", http_get(host, "/login", CHROME), label=f"rej{i}:req")
        k.pkt("s", t + rtt, "A", label=f"rej{i}:ack")          # the kernel acknowledges
        k.pkt("s", t + rtt + 210 * US, "RA", opts=[], label=f"rej{i}:rst")  # the proxy aborts
        t += rtt + 300 * US
    host = "www.example-bakery.de"
    k = sim.tcp(srv, 80, ttl=54, mss=1460, ws=7, ids=ids)
    t = sim.handshake(k, t + 2_100 * MS, rtt, label="again")
    t = sim.http(k, t, rtt, http_get(host, "/kontakt", CHROME),
                 http_200(html_page(host, 6_000, rnd), "text/html"), label="again")
    sim.close(k, t + 1_500 * MS, rtt)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        f"Three names of a small business share {srv} (TTL 54, one IP ID counter). "
        "www. and shop. load over HTTP. For intranet. the server's kernel acknowledges the "
        "GET, and one round trip after the request the server's load balancer, which "
        "refuses that host from outside, aborts with RST+ACK: the server's TTL and DF bit, "
        "the next IP ID of its counter, its usual window. The retry gets the same, and "
        "www. works again afterwards. The reset follows the name, but every header says it "
        "is the server's own, sent after its stack had acknowledged the request. Not "
        "censorship.")
    shows = f"""
Client 192.168.2.104 (Windows), resolver 192.168.2.1. pcap, Ethernet, µs.

- {sim.span("www")}, {sim.span("shop")}: www. and shop. on {srv}: HTTP 200.
- {sim.fr("rej0:req", "rej1:req")}: GET with Host intranet.example-bakery.de;
  {sim.fr("rej0:ack", "rej1:ack")}: the server's ACK of it; {sim.fr("rej0:rst", "rej1:rst")}:
  the server's RST+ACK (TTL 54, DF, next IP ID, window 509).
- {sim.span("again")}: www. works again.
"""
    return benign("benign-rst-vhost-reject", benign_rst_vhost_reject, sim, "capture.pcap",
                  "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §2 RST-01 and RST-07",
                   f"{FINGERPRINTS} §15 trap 1 (legitimate RSTs)"],
                  expected=BENIGN + "- An `rst-injection` observation may appear (a reset after "
                  "a name, with headers that fit the server).\n",
                  observations=["rst-injection"])


def benign_esni_retransmitted_answered() -> Built:
    """Firefox with encrypted SNI on a lossy Wi-Fi outside any censor (Germany, 2019): the
    first ESNI ClientHello to a CDN is lost and sent again, the copy is acknowledged and
    answered, and the page loads; a second ESNI connection works at once. An ESNI
    ClientHello retransmitted is no drop when the server answers it."""
    cl = Client("192.168.178.34", os="mac", mac="8c:85:90:4e:17:b2")
    sim = Sim(at("2019-11-14T19:42:51"), 147, cl, resolver="192.168.178.1", resolver_ttl=64,
              gw_mac="38:10:d5:6e:02:91")
    rnd = sim.rnd
    srv, name = "104.16.124.96", "www.cloudflare.com"
    rtt = 14_600 * US
    t = sim.lookup(0, name, [(name, "A", 300, srv)], 9_800 * US, label="dns")
    for i in range(2):
        k = sim.tcp(srv, 443, ttl=58, mss=1400, ws=10)
        t = sim.handshake(k, t + 800 * US, rtt, label=f"e{i}")
        ch = esni_client_hello(rnd)
        t += 250 * US
        seq = k.c.seq
        k.pkt("c", t, "PA", ch, label=f"e{i}:ch")
        if i == 0:          # lost on the Wi-Fi: sent again after the retransmission timeout
            t += 220 * MS
            k.pkt("c", t, "PA", ch, seq=seq, advance=False, label="e0:retx")
        t = sim.deliver(k, t + rtt + 600 * US, server_flight(rnd, session_id_of(ch), 2900),
                        label=f"e{i}:sh")
        t += 1_700 * US
        k.pkt("c", t, "PA", b"\x14\x03\x03\x00\x01\x01" + app_data(rnd, 53))
        k.pkt("c", t + 100 * US, "PA", app_data(rnd, 212), label=f"e{i}:req")
        t = sim.deliver(k, t + rtt + 2 * MS, app_data(rnd, 1500, 16384, 5200), label=f"e{i}:resp")
        t = sim.close(k, t + 1_100 * MS, rtt)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        f"Firefox with encrypted SNI enabled, in Germany (November 2019), loads {name} "
        f"({srv}) over a lossy Wi-Fi. The first connection's ClientHello, without "
        "server_name and with the ESNI extension 0xffce, is lost and sent again 220 ms "
        "later; the copy is acknowledged by the server's flight and the page loads. A second "
        "ESNI connection works at once. The ESNI trigger and a retransmitted ClientHello, but "
        "the server answered: nothing was dropped. Not censorship.")
    shows = f"""
Client 192.168.178.34 (macOS), resolver 192.168.178.1. pcap, Ethernet, µs.

- {sim.fr("dns", "dns:ans")}: {name} → {srv}.
- {sim.span("e0")}: ESNI ClientHello {sim.fr("e0:ch")}, sent again {sim.fr("e0:retx")};
  the server's flight {sim.fr("e0:sh")}; request and response.
- {sim.span("e1")}: a second ESNI connection, answered at once.
"""
    return benign("benign-esni-retransmitted-answered", benign_esni_retransmitted_answered,
                  sim, "capture.pcap", "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §4 TLS-03", f"{FINGERPRINTS} §15 trap 6"])


def benign_dot_service_hung() -> Built:
    """A self-hosted resolver's DNS-over-TLS service hangs: connections to port 853 open and
    the server's TCP acknowledges each ClientHello, but the service never answers; DNS over
    HTTPS on port 443 of the same address works."""
    cl = Client("192.168.10.23", mac="b8:27:eb:5a:90:14")
    sim = Sim(at("2023-05-14T08:02:11"), 149, cl, resolver="192.168.10.1", resolver_ttl=64,
              gw_mac="74:ac:b9:22:61:0e")
    srv = "95.217.44.186"
    rtt = 24_800 * US
    t = sim.lookup(0, "dns.example.net", [("dns.example.net", "A", 3600, srv)], 1_900 * US,
                   label="dns")
    k = sim.tcp(srv, 443, ttl=53, mss=1460, ws=7)
    t = sim.handshake(k, t + 1 * MS, rtt, label="doh")
    t = sim.tls(k, t, rtt, "dns.example.net", resp=(380,), label="doh")
    sim.close(k, t + 2 * NS, rtt, label="dohfin")
    for i in range(3):
        t = _dot_attempt(sim, srv, t + 4 * NS, rtt, "dns.example.net", f"dot{i}", acked=True)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A Raspberry Pi uses its owner's own resolver at dns.example.net. DNS over HTTPS "
        "on port 443 works. Its DNS-over-TLS service on port 853 has hung: each connection "
        "opens, the server's TCP acknowledges the ClientHello (the bytes reached it), and "
        "then nothing comes; the stub gives up after 10 s and the server's kernel "
        "acknowledges its FIN. An application that stopped answering, not a network that "
        "dropped anything: no finding.")
    shows = f"""
Client 192.168.10.23 (Linux), resolver 192.168.10.1. pcap, Ethernet, µs.

- {sim.span("doh")}: DNS over HTTPS to {srv}:443 works.
- {sim.fr("dot0:ch")}, {sim.fr("dot1:ch")}, {sim.fr("dot2:ch")}: ClientHellos to {srv}:853,
  each **acknowledged** by the server's TCP ({sim.fr("dot0:ack")}, ...), never answered;
  FINs 10 s later, acknowledged ({sim.fr("dot0:finack")}).
"""
    return benign("benign-dot-service-hung", benign_dot_service_hung, sim, "capture.pcap",
                  "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §6 PF-03 (the look-alike)", f"{FINGERPRINTS} §4 TLS-02 "
                   "(trap: a dead or hung server)", REF_TRAPS])


def benign_accept_queue_full() -> Built:
    """An overloaded server's accept queue is full: its kernel drops the client's ACK and
    data and retransmits its SYN/ACK; the ClientHello is never acknowledged. Port 80 of the
    same server answers its redirect."""
    cl = Client("192.168.0.17", mac="3c:22:fb:71:0a:c5")
    sim = Sim(at("2023-11-02T14:30:55"), 150, cl, resolver="192.168.0.1", resolver_ttl=64,
              gw_mac="e4:8d:8c:19:3f:a2")
    srv = "142.132.201.9"
    name = "social.example.org"
    rtt = 31_600 * US
    t = sim.lookup(0, name, [(name, "A", 600, srv)], 2_300 * US, label="dns")
    k = sim.tcp(srv, 80, ttl=50, mss=1460, ws=7)
    t = sim.handshake(k, t + 1 * MS, rtt, label="http")
    req = http_get(name, "/", "Mozilla/5.0 (X11; Linux x86_64; rv:119.0) Gecko/20100101 "
                   "Firefox/119.0")
    t = sim.http(k, t, rtt, req, b"HTTP/1.1 301 Moved Permanently\r\nServer: nginx\r\n"
                 b"Location: https://social.example.org/\r\nContent-Length: 0\r\n\r\n",
                 label="http")
    sim.close(k, t + 20 * MS, rtt, label="httpfin")
    for i in range(2):
        k = sim.tcp(srv, 443, ttl=50, mss=1460, ws=7)
        t = sim.handshake(k, t + 300 * MS, rtt, label=f"q{i}")
        ch = client_hello(name, sim.rnd)
        t += 200 * US
        seq = k.c.seq
        k.pkt("c", t, "PA", ch, label=f"q{i}:ch")
        t_ch = t
        # the server never took the connection: its SYN/ACK again at 1 s and 3 s
        # (each answered by the client's duplicate ACK), the ClientHello never acknowledged
        syn_isn = k.s.seq - 1
        for back in (1, 3):
            ts = t_ch - rtt + back * NS
            k.pkt("s", ts, "SA", seq=syn_isn, ack=seq, advance=False, label=f"q{i}:resyn")
            k.pkt("c", ts + 80 * US, "A", seq=seq + len(ch), advance=False)
        _ignored(k, t_ch, [220 * MS, 440 * MS, 880 * MS, 1_760 * MS, 3_520 * MS], "c", ch,
                 seq, f"q{i}:retx")
        t = t_ch + 10 * NS
        k.pkt("c", t, "FA", seq=seq + len(ch), label=f"q{i}:fin")
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        "A small social-network server under a traffic spike (November 2023). Port 80 "
        "answers its redirect to HTTPS. On port 443 the listen queue is full: the kernel "
        "answers the SYN, then drops the client's ACK and ClientHello (the connection never "
        "reaches the application's queue) and retransmits its SYN/ACK after 1 s and 3 s. "
        "The ClientHello is never acknowledged. The server's own retransmitted SYN/ACKs "
        "show where the data went: an overloaded server, not a network that dropped it. "
        "No finding.")
    shows = f"""
Client 192.168.0.17 (Linux), resolver 192.168.0.1. pcap, Ethernet, µs.

- {sim.span("http")}: port 80 of {srv} answers a 301 redirect.
- {sim.fr("q0:ch")}: ClientHello to {srv}:443 after the handshake; **the server retransmits
  its SYN/ACK** ({sim.fr("q0:resyn")}); the ClientHello, retransmitted in
  {sim.fr("q0:retx")}, is never acknowledged; FIN {sim.fr("q0:fin")}.
- {sim.fr("q1:ch")}: the same on a second connection.
"""
    return benign("benign-accept-queue-full", benign_accept_queue_full, sim, "capture.pcap",
                  "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §4 TLS-02 (trap: overloaded/dead server)", REF_TRAPS])



CF_PLEASE_WAIT = """<!DOCTYPE HTML>
<html lang="en-US">
<head>
  <meta charset="UTF-8" />
  <meta http-equiv="X-UA-Compatible" content="IE=Edge" />
  <meta name="robots" content="noindex, nofollow" />
  <meta name="viewport" content="width=device-width,initial-scale=1" />
  <title>Please Wait... | Cloudflare</title>
  <style type="text/css">
{css}
  </style>
</head>
<body>
  <div id="cf-wrapper">
    <div id="cf-error-details" class="cf-error-details-wrapper">
      <h1 data-translate="challenge_headline">Please wait...</h1>
      <h2 class="cf-subheadline">Checking your browser before accessing {host}.</h2>
      <form class="challenge-form" id="challenge-form" action="/?__cf_chl_jschl_tk__={tok}"
        method="POST" enctype="application/x-www-form-urlencoded">
        <input type="hidden" name="r" value="{tok}"/>
      </form>
      <p>This process is automatic. Your browser will redirect to your requested content
      shortly.</p>
      <div class="cf-error-footer">Cloudflare Ray ID: <strong>{ray}</strong> &bull;
      Performance &amp; security by Cloudflare</div>
    </div>
  </div>
</body>
</html>
"""


def benign_http_cloudflare_please_wait() -> Built:
    """A site in Cloudflare's "I'm Under Attack" mode answers a plain-HTTP request with its
    503 "Please Wait... | Cloudflare" browser check (a title ooni/blocking-fingerprints lists
    as an Indian, Indonesian and Burmese block page), from the real edge after a normal RTT."""
    cl = Client("192.168.1.104", os="windows", mac="54:e1:ad:3b:90:7c")
    sim = Sim(at("2022-03-11T06:36:58"), 151, cl, resolver="192.168.1.1", resolver_ttl=64,
              gw_mac="b0:95:75:2d:18:e3")
    rnd = sim.rnd
    host = "www.example-party.org"
    srv = "104.21.63.118"
    t = sim.lookup(0, host, [(host, "A", 300, srv), (host, "A", 300, "172.67.144.9")],
                   21_400 * US, label="dns")
    rtt = 37_150 * US
    k = sim.tcp(srv, 80, ttl=55, mss=1400, ws=13, win=8)
    t = sim.handshake(k, t + 800 * US, rtt, label="cf")
    ray = "6eab13f0bd6a4e52"
    # the page's inline style sheet (about 4 KB) comes before its text: the words that
    # would name it a Cloudflare page ("Checking your browser", "Ray ID") lie past the
    # kept body prefix, and only the title is seen
    css = "\n".join(f"    .cf-rule-{i:03d} {{margin: {i % 17}px auto; padding: {i % 5}px; "
                    f"color: #{rnd.randbytes(3).hex()};}}" for i in range(72))
    page = (CF_PLEASE_WAIT.replace("{css}", css).replace("{host}", host)
            .replace("{ray}", ray).replace("{tok}", rnd.randbytes(20).hex()).encode())
    resp = http_200(page, "text/html; charset=UTF-8",
                    [("Date", date_hdr(sim, t)), ("Connection", "keep-alive"),
                     ("X-Frame-Options", "SAMEORIGIN"),
                     ("Cache-Control", "private, max-age=0, no-store, no-cache, must-"
                      "revalidate, post-check=0, pre-check=0"),
                     ("Expires", "Thu, 01 Jan 1970 00:00:01 GMT"), ("Server", "cloudflare"),
                     ("CF-RAY", f"{ray}-BOM")], status="503 Service Temporarily Unavailable")
    edge = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/99.0.4844.51 Safari/537.36 Edg/99.0.1150.36")
    t = sim.http(k, t, rtt, http_get(host, "/", edge), resp, rate=40e6, think=5 * MS,
                 label="cf")
    sim.close(k, t + 4_800 * MS, rtt)
    sim.finish()
    data = pcap(sim.recs(eth_link(cl.mac, sim.gw_mac)), 1)
    about = (
        f"A Windows PC requests http://{host}/, a site behind Cloudflare in \"I'm Under "
        "Attack\" mode. The edge ({srv}, TTL 55) answers after a normal RTT of 37 ms plus "
        "5 ms with `HTTP/1.1 503`, `Server: cloudflare`, a `CF-RAY` header and the browser "
        "check whose title is `<title>Please Wait... | Cloudflare</title>`. "
        "ooni/blocking-fingerprints lists that title as a block page of India, Indonesia "
        "and Myanmar (rows in_6, id_39, mm_http_2), and the catalogue names it as a "
        "false-positive trap: it is the site's own anti-bot page. Every packet has the "
        "server's TTL, IP ID sequence and timestamps; one response, no race. Not censorship.")
    shows = f"""
Client 192.168.1.104 (Windows), home router as resolver. pcap, Ethernet, µs.

- {sim.fr("dns", "dns:ans")}: {host} → {srv}, 172.67.144.9 (Cloudflare).
- {sim.fr("cf:syn", "cf:synack", "cf:ack")}: handshake to port 80; TTL 55, RTT 37.2 ms.
- {sim.fr("cf:req")}: `GET / HTTP/1.1`, `Host: {host}` (Edge).
- {sim.fr("cf:resp")}-: `HTTP/1.1 503 Service Temporarily Unavailable`, `Server: cloudflare`,
  the "Please Wait... | Cloudflare" browser check, {sim.ms("cf:req", "cf:resp")} after the
  request, TTL 55. Its inline style sheet fills the first 4 KB of the body, so the words
  that mark it as Cloudflare's ("Checking your browser", "Ray ID") come after them: a tool
  keeping a body prefix sees the title alone.
"""
    return benign("benign-http-cloudflare-please-wait", benign_http_cloudflare_please_wait,
                  sim, "capture.pcap", "pcap, Ethernet, µs", data, about, shows,
                  [f"{FINGERPRINTS} §9 HTTP-01 FP traps (the Cloudflare challenge title is "
                   "listed as an IN \"prod\" pattern)",
                   f"{FINGERPRINTS} §15 trap 7 (block-page look-alikes)"])



SCENARIOS: dict[str, Callable[[], Built]] = {
    "rst-gfw-type1-sni": rst_gfw_type1_sni,
    "rst-gfw-type2-sni-ipv6": rst_gfw_type2_sni_ipv6,
    "rst-gfw-type3-host": rst_gfw_type3_host,
    "rst-henan-payload": rst_henan_payload,
    "rst-race-http-2006": rst_race_http_2006,
    "rst-edge-ttl-equal-race": rst_edge_ttl_equal_race,
    "rst-syn-burst-2025": rst_syn_burst_2025,
    "rst-sni-control-same-server": rst_sni_control_same_server,
    "residual-blocking-after-sni": residual_blocking_after_sni,
    "http-injected-blockpage-race": http_injected_blockpage_race,
    "http-injected-redirect-kr": http_injected_redirect_kr,
    "blockpage-dns-redirect-iran": blockpage_dns_redirect_iran,
    "throttling-sni-twitter": throttling_sni_twitter,
    "throttling-freeze-foreign-hosting": throttling_freeze_foreign_hosting,
    "benign-stall-wifi-outage": benign_stall_wifi_outage,
    "benign-stall-server-hung": benign_stall_server_hung,
    "blackhole-tls-sni-control": blackhole_tls_sni_control,
    "benign-rst-app-abort": benign_rst_app_abort,
    "benign-rst-refused": benign_rst_refused,
    "benign-nat-idle-reset": benign_nat_idle_reset,
    "benign-retransmissions-lossy": benign_retransmissions_lossy,
    "benign-route-change-ttl": benign_route_change_ttl,
    "benign-server-down": benign_server_down,
    "blackhole-ip-vpn-control": blackhole_ip_vpn_control,
    "benign-wifi-dead-lte-works": benign_wifi_dead_lte_works,
    "benign-ttl-limited-probe": benign_ttl_limited_probe,
    "obs-syn-icmp-prohibited": obs_syn_icmp_prohibited,
    "benign-syn-host-firewall-reject": benign_syn_host_firewall_reject,
    "benign-server-capture-slow-client": benign_server_capture_slow_client,
    "benign-slow-server": benign_slow_server,
    "benign-tls-alert-112": benign_tls_alert_112,
    "benign-http-cloudflare-challenge": benign_http_cloudflare_challenge,
    "benign-http-404-moved": benign_http_404_moved,
    "residual-blocking-fully-encrypted": residual_blocking_fully_encrypted,
    "benign-encrypted-proxy-server-restart": benign_encrypted_proxy_server_restart,
    "benign-encrypted-proxy-works": benign_encrypted_proxy_works,
    "benign-tcp-keepalive-probes": benign_tcp_keepalive_probes,
    "benign-syn-proxy-challenge": benign_syn_proxy_challenge,
    "blackhole-protocol-filter-iran": blackhole_protocol_filter_iran,
    "blackhole-tls-after-server-hello": blackhole_tls_after_server_hello,
    "benign-uplink-outage": benign_uplink_outage,
    "benign-lossy-uplink-recovers": benign_lossy_uplink_recovers,
    "blackhole-esni-china": blackhole_esni_china,
    "benign-rst-vhost-reject": benign_rst_vhost_reject,
    "benign-rst-sni-trailing-dot": benign_rst_sni_trailing_dot,
    "benign-esni-retransmitted-answered": benign_esni_retransmitted_answered,
    "blackhole-dot-endpoint-iran": blackhole_dot_endpoint_iran,
    "blackhole-dot-both-addresses": blackhole_dot_both_addresses,
    "throttling-googlevideo-no-sni-control": throttling_googlevideo_no_sni_control,
    "rst-sni-resets-key-not-punished": rst_sni_resets_key_not_punished,
    "benign-dot-service-hung": benign_dot_service_hung,
    "benign-accept-queue-full": benign_accept_queue_full,
    "benign-http-cloudflare-please-wait": benign_http_cloudflare_please_wait,
}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="scenarios to write (default: all)")
    ap.add_argument("--check", action="store_true",
                    help="compare with the files on disk instead of writing them")
    ap.add_argument("--out", type=Path, default=OUT, help="the tests/scenarios directory")
    args = ap.parse_args(argv)
    unknown = [n for n in args.names if n not in SCENARIOS]
    if unknown:
        ap.error("unknown scenario(s): " + ", ".join(unknown))
    differ = []
    for name in args.names or SCENARIOS:
        b = SCENARIOS[name]()
        d = args.out / name
        files = {b.capture: b.data, "expect.json": b.expect_json().encode(),
                 "README.md": b.readme.encode()}
        if args.check:
            for fname, content in files.items():
                p = d / fname
                if not p.exists() or p.read_bytes() != content:
                    differ.append(f"{name}/{fname}")
            continue
        d.mkdir(parents=True, exist_ok=True)
        for fname, content in files.items():
            (d / fname).write_bytes(content)
        print(f"{name:36} {b.capture:15} {len(b.data):8} bytes")
    if differ:
        print("differ from the generator: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
