"""Bidirectional flow reconstruction: TCP connections and UDP/ICMP flows.

The table keys every flow twice, once per direction, so one dictionary probe finds the flow
*and* the direction of a packet. Direction 0 is the originator (the sender of the SYN, or of
the first packet seen). Per direction (:class:`Half`) it keeps counters, TTL / IP ID / DF /
window summaries, the relative sequence space (retransmissions, out-of-order, overlaps and
*conflicting* overlaps with both frames), and the first ``stream_cap`` bytes of in-order data
for the protocol parsers. Packets that matter (SYN, SYN/ACK, RST, FIN, the first data
packets, anything after a RST) are kept individually as :data:`Pkt` tuples.

State is bounded: a cap on active flows (the least recently active are finished early), a
per-direction stream cap, a cap on pending out-of-order segments, a global byte budget for
reassembly, and idle expiry driven by capture time. Finished flows go to a *sink* callback.
"""

from __future__ import annotations

import socket
import sys
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from mypy_extensions import mypyc_attr

from .anomalies import AnomalyLog

# Final: compiled (mypyc), the constants are inlined instead of looked up in the module's
# globals at each use (several times per packet)
MASK: Final = 0xFFFFFFFF
TCP: Final = 6
UDP: Final = 17
ICMP: Final = 1
ICMP6: Final = 58
FIN: Final = 0x01
SYN: Final = 0x02
RST: Final = 0x04
PSH: Final = 0x08
ACK: Final = 0x10
URG: Final = 0x20

#: Kept-packet tuple layout (plain tuples on the hot path; see :data:`PKT_FIELDS`).
#: (frame, ts, dir, flags, rel_seq, rel_ack, payload_len, ttl, ip_id, df, window, tcp_opts)
Pkt = tuple[int, float, int, int, int, int, int, int, int, int, int, str]
PKT_FIELDS = ("frame", "ts", "dir", "flags", "seq", "ack", "len", "ttl", "ip_id", "df",
              "window", "options")
#: A UDP payload kept for the protocol parsers: (frame, ts, payload, ttl, ip_id, df).
Datagram = tuple[int, float, bytes, int, int, int]
MAX_KEPT: Final = 64
KEEP_DATA: Final = 6
TTL_FIRST: Final = 8
RST_PAYLOAD_MAX: Final = 64


@dataclass(slots=True)
class FlowLimits:
    """Caps and timeouts; every one of them bounds memory or work."""

    max_flows: int = 200_000
    stream_cap: int = 65_536
    max_pending_segments: int = 64
    reassembly_budget: int = 256 * 1024 * 1024
    tcp_timeout: float = 900.0
    closed_timeout: float = 60.0
    udp_timeout: float = 180.0
    sweep_every: float = 10.0
    sweep_min_flows: int = 1_000


_IP_TEXT: dict[bytes, str] = {}
"""Memo of :func:`fmt_ip`: every flow id, event and flow row formats its two addresses, and
the same few thousand addresses recur (one string each instead of one per use)."""


def fmt_ip(a: bytes) -> str:
    text = _IP_TEXT.get(a)
    if text is None:
        if len(a) == 4:
            text = socket.inet_ntop(socket.AF_INET, a)
        else:
            text = socket.inet_ntop(socket.AF_INET6, a)
        if len(_IP_TEXT) >= 65_536:
            _IP_TEXT.clear()
        _IP_TEXT[a] = text
    return text


def fmt_endpoint(a: bytes, port: int) -> str:
    if len(a) == 16:
        return f"[{fmt_ip(a)}]:{port}"
    return f"{fmt_ip(a)}:{port}"


PROTO_NAMES = {TCP: "tcp", UDP: "udp", ICMP: "icmp", ICMP6: "icmp6"}


# Shared empty containers for finished flows (see Flow.release); never mutated.
_NO_STREAM = bytearray()
_NO_SEGS: list[tuple[int, int, int]] = []
_NO_OOO: dict[int, tuple[bytes, int]] = {}
_NO_CONFLICTS: list[tuple[int, int, int, int]] = []
_NO_FRAMES: list[int] = []
NO_VALUES: list[int] = []
_NO_ICMP: list[tuple[int, float, int, int, str]] = []
_NO_DATAGRAMS: tuple[list[Datagram], list[Datagram]] = ([], [])


#: ``Half.fin_at`` before any FIN.
NO_FIN: Final = 1 << 62


class Half:
    """One direction of a flow: counters, value series and the sequence space."""

    __slots__ = (
        "acked_after_new", "base", "bytes", "conflicts", "data_pkts", "df", "fin", "fin_at",
        "first_ts", "gap", "ipid_first", "kept_data", "last_ack", "last_ts", "last_win",
        "maxend", "mss", "new_frame", "new_ts", "nxt", "ooo", "ooo_count", "overlaps",
        "past_fin", "payload", "pkts",
        "retrans", "rst", "sack_ok", "segs", "stream", "syn_seq", "ts_opt", "ttl", "ttl_first",
        "wscale", "zero_win",
    )

    def __init__(self) -> None:
        self.pkts = 0
        self.bytes = 0
        self.payload = 0
        self.data_pkts = 0
        self.ttl: dict[int, int] = {}
        self.ttl_first: list[int] = []
        self.ipid_first: list[int] = []
        self.df = 0
        self.last_win = 0
        self.zero_win = 0
        self.wscale = -1
        self.mss = 0
        self.sack_ok = False
        self.ts_opt = False
        self.syn_seq = -1
        self.base = -1
        self.nxt = 0
        self.maxend = 0
        self.last_ack = -1
        self.retrans = 0
        self.ooo_count = 0
        self.overlaps = 0
        self.conflicts: list[tuple[int, int, int, int]] = []
        self.fin: list[int] = []
        # the relative sequence number of this side's first FIN: bytes at or past it are no
        # stream data (the receiver's TCP drops them), e.g. a server's genuine response
        # arriving after an injected one that closed the stream with a FIN
        self.fin_at = NO_FIN
        self.past_fin = False
        self.rst: list[int] = []
        self.stream = bytearray()
        self.segs: list[tuple[int, int, int]] = []
        self.ooo: dict[int, tuple[bytes, int]] = {}
        self.gap = False
        self.kept_data = 0
        self.first_ts = 0.0
        self.last_ts = 0.0
        # the last segment that carried new data (the highest sequence number so far grew),
        # and whether this side sent a bare ACK after it (its stack still answering)
        self.new_ts = 0.0
        self.new_frame = 0
        self.acked_after_new = False

    def new_data(self, frame: int, ts: float) -> None:
        """A segment carried data beyond the highest sequence number seen so far."""
        self.new_ts = ts
        self.new_frame = frame
        self.acked_after_new = False

    def frame_at(self, offset: int) -> int:
        """The frame that delivered stream byte ``offset`` (0 when not held)."""
        segs = self.segs
        i = bisect_right(segs, (offset, 1 << 62, 0)) - 1
        if i >= 0:
            start, ln, frame = segs[i]
            if offset < start + ln:
                return frame
        return 0

    def frames_between(self, start: int, stop: int) -> list[int]:
        """The frames that delivered stream bytes [start, stop)."""
        segs = self.segs
        out: list[int] = []
        i = max(0, bisect_right(segs, (start, 1 << 62, 0)) - 1)
        while i < len(segs) and segs[i][0] < stop:
            s0, ln, frame = segs[i]
            if start < s0 + ln and (not out or out[-1] != frame):
                out.append(frame)
            i += 1
        return out

    def ttl_mode(self) -> int | None:
        """The most frequent TTL (hop limit) of this direction; ties go to the lowest."""
        c = self.ttl
        if len(c) == 1:
            for v in c:
                return v
        if not c:
            return None
        top = max(c.values())
        return min(v for v, n in c.items() if n == top)


class Flow:
    """A bidirectional flow under construction."""

    __slots__ = (
        "a", "ack_frame", "ack_ts", "b", "bad_synack_ack", "closed", "conn_state",
        "data_after_rst", "datagrams", "first_ts", "h", "hist", "icmp", "id", "input", "kept",
        "key", "last_ts", "pa", "pb", "proto", "resp_ack_frame", "rst_payload", "rst_seen",
        "spurious",
        "syn_frame", "syn_last_ts", "syn_ts", "synack_frame", "synack_ts",
    )

    def __init__(self, fid: str, key: tuple[bytes, int, bytes, int, int], a: bytes, pa: int,
                 b: bytes, pb: int, proto: int, ts: float) -> None:
        self.id = fid
        self.input = 0
        self.conn_state = ""
        self.key = key
        self.a = a
        self.pa = pa
        self.b = b
        self.pb = pb
        self.proto = proto
        self.first_ts = ts
        self.last_ts = ts
        self.h = (Half(), Half())
        self.hist = ""
        self.kept: list[Pkt] = []
        self.rst_seen = False
        #: (frame, first bytes) of the first RST that carried a payload (RFC 9293 allows it;
        #: some injectors sign their resets with one)
        self.rst_payload: tuple[int, bytes] | None = None
        self.closed = False
        self.data_after_rst: list[int] = []
        self.syn_frame = 0
        self.syn_ts = 0.0
        self.syn_last_ts = 0.0  # the last SYN (re)transmission before the SYN/ACK
        self.synack_frame = 0
        self.synack_ts = 0.0
        self.ack_frame = 0
        self.ack_ts = 0.0
        #: the acknowledgment number of the last SYN/ACK that did not acknowledge the SYN
        #: (-1: none), to recognise the client's RST that rejects it
        self.bad_synack_ack = -1
        self.icmp: list[tuple[int, float, int, int, str]] = []
        self.datagrams: tuple[list[Datagram], list[Datagram]] = ([], [])
        #: the responder's first bare ACK (0: none), e.g. its stack acknowledging a request
        self.resp_ack_frame = 0
        #: (count, first frame) of the responder's retransmissions of data the originator
        #: had already acknowledged at the capture point (Wireshark's "spurious
        #: retransmission"): the acknowledgments did not reach the responder. None: none.
        self.spurious: tuple[int, int] | None = None


    @property
    def orig(self) -> Half:
        return self.h[0]

    @property
    def resp(self) -> Half:
        return self.h[1]

    @property
    def transport(self) -> str:
        return PROTO_NAMES.get(self.proto, str(self.proto))

    @property
    def orig_ip(self) -> str:
        return fmt_ip(self.a)

    @property
    def resp_ip(self) -> str:
        return fmt_ip(self.b)

    @property
    def rtt(self) -> float | None:
        """SYN to SYN/ACK time as seen at the capture point, from the last transmission of
        the SYN (after a retransmitted SYN the SYN/ACK most likely answers the last copy:
        from the first, a 1 s retransmission timeout would count as round-trip time)."""
        if self.syn_frame and self.synack_frame and self.synack_ts >= self.syn_last_ts:
            return self.synack_ts - self.syn_last_ts
        return None

    def release(self) -> None:
        """Drop the reassembly buffers once the protocol parsers have read them, and share
        one empty container for every empty list (a finished flow is never appended to):
        this halves the memory of the flows an analysis keeps."""
        for h in self.h:
            h.gap = h.gap or bool(h.ooo)
            h.stream = _NO_STREAM
            h.segs = _NO_SEGS
            h.ooo = _NO_OOO
            if not h.conflicts:
                h.conflicts = _NO_CONFLICTS
            if not h.fin:
                h.fin = _NO_FRAMES
            if not h.rst:
                h.rst = _NO_FRAMES
        if not self.data_after_rst:
            self.data_after_rst = _NO_FRAMES
        if not self.icmp:
            self.icmp = _NO_ICMP
        self.datagrams = _NO_DATAGRAMS


Sink = Callable[[Flow], None]


# ---------------------------------------------------------------------- finished flows
# What the analysis's collector does with every finished flow, compiled with the rest of the
# flow table (it runs ~90k times on a 1M-packet capture).

#: TCP states of a plain exchange (see :func:`is_notable`).
QUIET_STATES: Final = frozenset(("SF", "S1"))


def conn_state(fl: Flow) -> str:
    """Zeek's conn_state vocabulary (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH,
    SHR, OTH) computed from the history letters; UDP/ICMP: S0 (no reply) or SF."""
    hist = fl.hist
    if fl.proto != TCP:
        return "SF" if fl.h[1].pkts else "S0"
    syn, synack = "S" in hist, "h" in hist
    rst_o, rst_r, fin_o, fin_r = "R" in hist, "r" in hist, "F" in hist, "f" in hist
    if syn and not synack:
        if rst_o:
            return "RSTOS0"
        if rst_r:
            return "REJ"
        if fin_o:
            return "SH"
        return "S0"
    if synack and not syn:
        if rst_r:
            return "RSTRH"
        if fin_r:
            return "SHR"
        return "OTH"
    if not syn:
        return "OTH"
    if rst_o:
        return "RSTO"
    if rst_r:
        return "RSTR"
    if fin_o and fin_r:
        return "SF"
    if fin_o:
        return "S2"
    if fin_r:
        return "S3"
    return "S1"


def is_notable(fl: Flow) -> bool:
    """Whether a flow shows anything beyond a plain, complete exchange (its per-direction
    detail and kept packets then go into the JSON flows table)."""
    o, r = fl.h
    if fl.proto == TCP:
        if fl.conn_state not in QUIET_STATES:
            return True
        if o.retrans or r.retrans or o.conflicts or r.conflicts or o.ooo_count \
                or r.ooo_count or o.overlaps or r.overlaps or o.zero_win or r.zero_win \
                or fl.bad_synack_ack >= 0:
            return True
    return bool(fl.icmp or fl.data_after_rst)


def open_record(fl: Flow, input_index: int) -> None:
    """The first step of finishing a flow, before the protocol hooks read it."""
    fl.conn_state = conn_state(fl)
    fl.input = input_index


def close_record(fl: Flow, ttls: dict[tuple[int, int], dict[int, int]],
                 hists: dict[str, str]) -> None:
    """The last step, after the hooks: drop the buffers, trim a plain exchange to what its
    JSON row reports, and share equal TTL counters and history strings (most finished flows
    have equal ones: one ``{ttl: count}`` dict costs ~250 bytes)."""
    fl.release()
    if not is_notable(fl):
        # a plain exchange keeps only its SYN, FIN and RST packets and drops the
        # per-packet series that only the detail of notable flows reports
        fl.kept = [p for p in fl.kept if p[3] & 0x07 and fl.proto == TCP]
        for h in fl.h:
            h.ttl_first = NO_VALUES
            h.ipid_first = NO_VALUES
    for h in fl.h:
        ttl = h.ttl
        if len(ttl) == 1:
            for item in ttl.items():
                h.ttl = ttls.setdefault(item, ttl)
    fl.hist = hists.setdefault(fl.hist, fl.hist)




def parse_tcp_options(buf: bytes, o: int, stop: int) -> tuple[str, int, int, bool, bool, bool]:
    """Decode TCP options between ``o`` and ``stop``.

    Returns (summary, mss, wscale, sack_ok, has_timestamps, malformed). The summary is a
    compact string such as ``MSS=1460,SACK_PERM,TS,NOP,WS=7``.
    """
    parts: list[str] = []
    mss = 0
    ws = -1
    sack = False
    tsopt = False
    bad = False
    count = 0
    while o < stop and count < 40:
        count += 1
        kind = buf[o]
        if kind == 0:
            parts.append("EOL")
            break
        if kind == 1:
            parts.append("NOP")
            o += 1
            continue
        if o + 1 >= stop:
            bad = True
            break
        ln = buf[o + 1]
        if ln < 2 or o + ln > stop:
            bad = True
            break
        if kind == 2 and ln == 4:
            mss = (buf[o + 2] << 8) | buf[o + 3]
            parts.append(f"MSS={mss}")
        elif kind == 3 and ln == 3:
            ws = buf[o + 2]
            parts.append(f"WS={ws}")
        elif kind == 4:
            sack = True
            parts.append("SACK_PERM")
        elif kind == 5:
            parts.append("SACK")
        elif kind == 8 and ln == 10:
            tsopt = True
            parts.append("TS")
        elif kind == 34:
            parts.append("TFO")
        else:
            parts.append(f"OPT{kind}")
        o += ln
    # interned: every kept SYN, FIN and RST holds a summary, and a capture has only a few
    # distinct ones (an interned string is freed with its last user)
    return sys.intern(",".join(parts)), mss, ws, sack, tsopt, bad


def _count(fl: Flow, h: Half, ts: float, iplen: int, ttl: int, ipid: int, df: int) -> None:
    """Per-packet counters of one direction (TCP has the same lines inlined: hot path)."""
    fl.last_ts = ts
    n = h.pkts = h.pkts + 1
    h.bytes += iplen
    h.last_ts = ts
    c = h.ttl
    c[ttl] = c.get(ttl, 0) + 1
    if n <= TTL_FIRST:
        if n == 1:
            h.first_ts = ts
        h.ttl_first.append(ttl)
        h.ipid_first.append(ipid)
    h.df += df


def _signed(v: int) -> int:
    v &= MASK
    return v - 0x1_0000_0000 if v & 0x8000_0000 else v


@mypyc_attr(allow_interpreted_subclasses=True)  # tests subclass it to spy on the decoder
class FlowTable:
    """Flows keyed by 5-tuple; the hot-path entry points are :meth:`tcp` and :meth:`udp`."""

    def __init__(self, sink: Sink, anomalies: AnomalyLog, limits: FlowLimits | None = None
                 ) -> None:
        self.sink = sink
        self.anomalies = anomalies
        self.limits = limits or FlowLimits()
        self.flows: dict[tuple[bytes, int, bytes, int, int], tuple[Flow, int]] = {}
        #: the flows of ``flows`` reachable by their originator's key, in table order (a
        #: sweep walks these, not both keys of every flow)
        self.live: dict[Flow, None] = {}
        self.active = 0
        self.finished = 0
        self.reuse: dict[tuple[bytes, int, bytes, int, int], int] = {}
        self.budget = self.limits.reassembly_budget
        self.budget_hit = False
        self.next_sweep = 0.0
        self.now = 0.0
        self.stream_cap = self.limits.stream_cap
        self.icmp_unmatched = 0

    # ------------------------------------------------------------------ flow life cycle
    def _new(self, src: bytes, sport: int, dst: bytes, dport: int, proto: int,
             ts: float) -> Flow:
        key = (src, sport, dst, dport, proto)
        rkey = (dst, dport, src, sport, proto)
        canon = key if key < rkey else rkey
        n = self.reuse.get(canon, 0) + 1
        self.reuse[canon] = n
        name = PROTO_NAMES.get(proto, str(proto))
        if proto in (TCP, UDP):
            fid = f"{name}:{fmt_endpoint(src, sport)}-{fmt_endpoint(dst, dport)}"
        else:
            fid = f"{name}:{fmt_ip(src)}-{fmt_ip(dst)}"
        if n > 1:
            fid += f"/{n}"
        fl = Flow(fid, key, src, sport, dst, dport, proto, ts)
        self.flows[key] = (fl, 0)
        if rkey != key:  # a flow from an endpoint to itself (a LAND packet) has one direction
            self.flows[rkey] = (fl, 1)
        self.live[fl] = None
        self.active += 1
        if self.active > self.limits.max_flows:
            self._shed()
        return fl

    def finish(self, fl: Flow) -> None:
        """Take a flow out of the table and hand it to the sink."""
        key = fl.key
        got = self.flows.get(key)
        if got is not None and got[0] is fl:
            del self.flows[key]
            rkey = (key[2], key[3], key[0], key[1], key[4])
            self.flows.pop(rkey, None)
            self.live.pop(fl, None)
            self.active -= 1
        for h in fl.h:
            self.budget += len(h.stream)
            if h.ooo:
                first = min(h.ooo)
                self.anomalies.add("tcp_reassembly_gap", h.ooo[first][1], fl.id,
                                   f"bytes {h.nxt}-{first} (relative) never seen")
            for pay, _ in h.ooo.values():
                self.budget += len(pay)
        self.finished += 1
        self.sink(fl)

    def _live(self) -> list[Flow]:
        return list(self.live)

    def sweep(self, now: float) -> None:
        """Finish flows idle for longer than their timeout (capture time).

        Sweeping only bounds memory: a packet arriving for a flow idle past its timeout
        starts a new flow whether or not a sweep ran (see :meth:`_expired`).
        """
        lim = self.limits
        self.next_sweep = now + lim.sweep_every
        if self.active < lim.sweep_min_flows:
            return
        closed_t, tcp_t, udp_t = lim.closed_timeout, lim.tcp_timeout, lim.udp_timeout
        # one pass that keeps only the flows due, in table order (finishing a flow changes
        # no other flow): this runs over tens of thousands of live flows at each sweep
        due = [fl for fl in self.live if now - fl.last_ts > (
            (closed_t if fl.closed else tcp_t) if fl.proto == TCP else udp_t)]
        for fl in due:
            self.finish(fl)

    def _expired(self, fl: Flow, ts: float) -> bool:
        lim = self.limits
        if fl.proto == TCP:
            return ts - fl.last_ts > (lim.closed_timeout if fl.closed else lim.tcp_timeout)
        return ts - fl.last_ts > lim.udp_timeout

    def _shed(self) -> None:
        live = sorted(self._live(), key=lambda f: f.last_ts)
        drop = live[: max(1, len(live) // 10)]
        self.anomalies.add("flow_table_limit", None, drop[0].id if drop else None,
                           f"{self.limits.max_flows} active flows; finished {len(drop)} early")
        for fl in drop:
            self.finish(fl)

    def close(self) -> None:
        """End of capture: finish every remaining flow, oldest first."""
        for fl in sorted(self._live(), key=lambda f: f.first_ts):
            self.finish(fl)

    # ------------------------------------------------------------------ TCP
    def tcp(self, frame: int, ts: float, buf: bytes, t: int, end: int, src: bytes, dst: bytes,
            ttl: int, ipid: int, df: int, iplen: int) -> None:
        """One TCP segment whose header starts at ``buf[t]`` and whose IP payload ends at
        ``end``."""
        if t + 20 > end:
            self.anomalies.add("tcp_header_truncated", frame)
            return
        # byte by byte: compiled, no tuple and no boxed integers (see Decoder.run)
        sport = (buf[t] << 8) | buf[t + 1]
        dport = (buf[t + 2] << 8) | buf[t + 3]
        seq = (buf[t + 4] << 24) | (buf[t + 5] << 16) | (buf[t + 6] << 8) | buf[t + 7]
        ack = (buf[t + 8] << 24) | (buf[t + 9] << 16) | (buf[t + 10] << 8) | buf[t + 11]
        hl = (buf[t + 12] >> 4) << 2
        flags = buf[t + 13]
        win = (buf[t + 14] << 8) | buf[t + 15]
        data = t + hl
        if hl < 20 or data > end:
            self.anomalies.add("tcp_bad_data_offset", frame, None, f"data offset {hl}")
            data = end
        plen = end - data
        if ts > self.now:
            self.now = ts
            if ts >= self.next_sweep:
                self.sweep(ts)
        got = self.flows.get((src, sport, dst, dport, TCP))
        if got is None:
            fl, d = self._tcp_new(src, sport, dst, dport, flags, ts)
        else:
            fl, d = got
            if ts - fl.last_ts > 60.0 and self._expired(fl, ts):
                self.finish(fl)
                fl, d = self._tcp_new(src, sport, dst, dport, flags, ts)
            elif flags & (SYN | ACK) == SYN and d == 0:
                h0 = fl.h[0]
                if (h0.syn_seq >= 0 and h0.syn_seq != seq) or (h0.syn_seq < 0 and fl.closed):
                    # a new connection on the same address/port pair
                    if fl.closed:
                        self.anomalies.add("tcp_port_reuse", frame, fl.id)
                    self.finish(fl)
                    fl = self._new(src, sport, dst, dport, TCP, ts)
        h = fl.h[d]
        # the lines of _count(), inlined: this runs for every TCP packet
        fl.last_ts = ts
        n = h.pkts = h.pkts + 1
        h.bytes += iplen
        h.last_ts = ts
        c = h.ttl
        c[ttl] = c.get(ttl, 0) + 1
        if n <= TTL_FIRST:
            if n == 1:
                h.first_ts = ts
            h.ttl_first.append(ttl)
            h.ipid_first.append(ipid)
        h.df += df
        h.last_win = win
        if flags & ACK:
            h.last_ack = ack
        base = h.base
        if flags & (SYN | FIN | RST) or base < 0 or not flags & ACK:
            if self._tcp_control(fl, d, h, frame, ts, buf, t, data, seq, ack, flags, win,
                                 ttl, ipid, df, plen):
                return  # set aside: an unacceptable SYN/ACK, or the RST rejecting it
            base = h.base
        elif win == 0:
            h.zero_win += 1
        if plen and not flags & RST:  # a RST's payload (a reset cause) is not stream data
            rel = (seq - base) & MASK
            if flags & SYN:
                rel += 1  # data on a SYN (TCP Fast Open) follows the SYN's sequence number
            pend = rel + plen
            if rel == h.nxt:
                # the next bytes in order: the common case, kept inline
                h.nxt = pend
                if pend > h.maxend:
                    h.maxend = pend
                    h.new_data(frame, ts)
                else:
                    h.ooo_count += 1  # it fills a hole below data already seen
                h.payload += plen
                h.data_pkts += 1
                stream = h.stream
                room = self.stream_cap - len(stream)
                if pend > h.fin_at:  # rare: only data reaching past this side's FIN
                    self._after_fin(fl, h, frame, rel, pend)
                    room = min(room, h.fin_at - 1 - len(stream))
                # (the stream holds sequence numbers 1.. without a hole: after a jump over
                # a hole past the cap, in-order data is no longer its continuation)
                if room > 0 and not self.budget_hit and len(stream) == rel - 1:
                    if plen > room:
                        end = data + room
                        plen_kept = room
                    else:
                        plen_kept = plen
                    if plen_kept > self.budget:
                        self.budget_hit = True
                        self.anomalies.add("reassembly_memory_limit", frame, fl.id)
                    else:
                        self.budget -= plen_kept
                        h.segs.append((len(stream), plen_kept, frame))
                        stream += buf[data:end]
                        if h.ooo:
                            self._drain(fl, h)
            else:
                self._tcp_odd(fl, d, h, frame, buf, data, end, rel, plen)
            after_rst = fl.rst_seen and not flags & RST
            if h.kept_data < KEEP_DATA or after_rst:
                h.kept_data += 1
                if after_rst:
                    fl.data_after_rst.append(frame)
                    self.anomalies.add("tcp_data_after_rst", frame, fl.id,
                                       f"{plen} bytes after the RST in frame "
                                       f"{(fl.h[0].rst or fl.h[1].rst or [0])[0]}")
                kept = fl.kept
                # (a FIN or RST carrying data is kept already, with its options)
                if len(kept) < MAX_KEPT and not (kept and kept[-1][0] == frame):
                    ob = fl.h[1 - d].base
                    kept.append((frame, ts, d, flags, _signed(rel), (ack - ob) & MASK
                                 if ob >= 0 else 0, plen, ttl, ipid, df, win, ""))
            if d:
                if "d" not in fl.hist:
                    fl.hist += "d"
            elif "D" not in fl.hist:
                fl.hist += "D"
        elif flags == ACK:
            h.acked_after_new = True
            if d:
                if not fl.resp_ack_frame:
                    fl.resp_ack_frame = frame
                if "a" not in fl.hist:
                    fl.hist += "a"
            elif "A" not in fl.hist:
                fl.hist += "A"
                if fl.synack_frame and not fl.ack_frame:
                    fl.ack_frame = frame  # the handshake's final ACK
                    fl.ack_ts = ts

    def _tcp_new(self, src: bytes, sport: int, dst: bytes, dport: int, flags: int,
                 ts: float) -> tuple[Flow, int]:
        """A packet of no known flow: decide who the originator is."""
        if flags & (SYN | ACK) == SYN | ACK or (not flags & SYN and sport < 1024 <= dport):
            fl = self._new(dst, dport, src, sport, TCP, ts)
            fl.hist = "^"
            return fl, 1
        return self._new(src, sport, dst, dport, TCP, ts), 0

    def _store(self, h: Half, buf: bytes, data: int, end: int, rel: int, frame: int) -> None:
        room = min(self.stream_cap, h.fin_at - 1) - len(h.stream)
        if room <= 0:
            return
        chunk = buf[data:min(end, data + room)]
        n = len(chunk)
        if n > self.budget:
            self.budget_hit = True
            self.anomalies.add("reassembly_memory_limit", frame)
            return
        self.budget -= n
        h.segs.append((len(h.stream), n, frame))
        h.stream += chunk

    def _after_fin(self, fl: Flow, h: Half, frame: int, rel: int, pend: int) -> None:
        """Data reaching past the side's FIN: named once per flow (the bytes are not kept)."""
        if not h.past_fin:
            h.past_fin = True
            self.anomalies.add("tcp_data_after_fin", frame, fl.id,
                               f"bytes {max(rel, h.fin_at)}-{pend - 1} past the FIN at "
                               f"{h.fin_at} (frame {h.fin[0] if h.fin else 0})")

    def _drain(self, fl: Flow, h: Half) -> None:
        """Move pending out-of-order segments that now fit onto the in-order stream."""
        while h.ooo:
            progressed = False
            for rel in sorted(h.ooo):
                if rel > h.nxt:
                    break
                pay, frame = h.ooo.pop(rel)
                self.budget += len(pay)
                pend = rel + len(pay)
                if pend > h.nxt:
                    skip = h.nxt - rel
                    if rel <= self.stream_cap:
                        self._store(h, pay, skip, len(pay), h.nxt, frame)
                    h.payload += pend - h.nxt
                    h.nxt = pend
                progressed = True
            if not progressed:
                break

    def _tcp_odd(self, fl: Flow, d: int, h: Half, frame: int, buf: bytes, data: int,
                 end: int, rel: int, plen: int) -> None:
        """A data segment that is not the next in order: retransmission, overlap, or gap."""
        pend = rel + plen
        if rel & 0x8000_0000:
            # far behind the base: a segment from before the sequence base we chose
            h.retrans += 1
            return
        if pend <= h.nxt:
            if plen == 1 and pend == h.nxt:
                # a keep-alive probe (RFC 9293 3.8.4, Wireshark's "TCP Keep-Alive"): the
                # last byte sent again to draw an ACK, its content arbitrary (Windows sends
                # a zero): neither a retransmission nor conflicting data
                return
            h.retrans += 1
            c = "T" if d == 0 else "t"
            if c not in fl.hist:
                fl.hist += c
            if d:
                acked = fl.h[0].last_ack
                if acked >= 0 and (acked - h.base) & MASK >= pend \
                        and not (acked - h.base) & 0x8000_0000:
                    sp = fl.spurious
                    fl.spurious = (1, frame) if sp is None else (sp[0] + 1, sp[1])
            self._compare(fl, h, frame, buf, data, rel, pend)
        elif rel < h.nxt:
            # partial overlap: old part compared, new part appended
            h.overlaps += 1
            if pend > h.fin_at:
                self._after_fin(fl, h, frame, rel, pend)
            self._compare(fl, h, frame, buf, data, rel, h.nxt)
            new_from = data + (h.nxt - rel)
            old_nxt = h.nxt
            h.nxt = pend
            h.payload += pend - old_nxt
            if pend > h.maxend:
                h.maxend = pend
                h.new_data(frame, h.last_ts)
            if old_nxt <= self.stream_cap and not self.budget_hit:
                self._store(h, buf, new_from, end, old_nxt, frame)
        else:
            # a hole before this segment: out of order (or data lost before the capture)
            if rel < h.maxend:
                h.ooo_count += 1
            if pend > h.maxend:
                h.maxend = pend
                h.new_data(frame, h.last_ts)
            if rel > self.stream_cap and not h.ooo:
                # past the reassembled prefix no bytes are kept, so the hole needs no
                # filling: the sequence space advances (the missing bytes count as
                # retransmissions when they are resent)
                h.payload += pend - h.nxt
                h.data_pkts += 1
                h.nxt = pend
                return
            if rel <= self.stream_cap and rel not in h.ooo:
                if len(h.ooo) >= self.limits.max_pending_segments:
                    self.anomalies.add("tcp_reassembly_limit", frame, fl.id)
                    return
                pay = buf[data:end]
                if len(pay) > self.budget:
                    return
                self.budget -= len(pay)
                h.ooo[rel] = (pay, frame)

    def _compare(self, fl: Flow, h: Half, frame: int, buf: bytes, data: int, rel: int,
                 stop: int) -> None:
        """Compare retransmitted bytes [rel, stop) with what the stream already holds."""
        # stream offset 0 holds relative sequence number 1 (the first payload byte)
        s_from = rel - 1
        s_to = stop - 1
        if s_from < 0:
            return
        have = len(h.stream)
        if s_from >= have:
            return
        s_to = min(s_to, have)
        old = h.stream[s_from:s_to]
        new = buf[data:data + (s_to - s_from)]
        if old != new and len(new) == len(old):
            first = s_from
            for i in range(len(old)):
                if old[i] != new[i]:
                    first = s_from + i
                    break
            orig = 0
            for off, ln, fr in h.segs:
                if off <= first < off + ln:
                    orig = fr
                    break
            h.conflicts.append((orig, frame, first, s_to - s_from))
            self.anomalies.add("tcp_overlap_conflict", frame, fl.id,
                               f"frames {orig} and {frame} differ at stream offset {first}")

    def _tcp_control(self, fl: Flow, d: int, h: Half, frame: int, ts: float, buf: bytes,
                     t: int, data: int, seq: int, ack: int, flags: int, win: int, ttl: int,
                     ipid: int, df: int, plen: int) -> bool:
        """SYN, FIN, RST, a first packet, or a segment without ACK: the rare path. True when
        the packet is set aside (kept as evidence, no part of the connection's state)."""
        opts = ""
        other = fl.h[1 - d]
        # a SYN/ACK that does not acknowledge the SYN (nor data on it) is unacceptable (RFC
        # 9293 3.10.7.3): the client rejects it with a RST and keeps waiting for the real
        # one. A SYN proxy's challenge does this on purpose; it is not the handshake.
        syn_ack = (ack - other.base) & MASK  # relative to the SYN: 1 acknowledges it
        bad_synack = flags & (SYN | ACK | RST) == SYN | ACK and other.syn_seq >= 0 \
            and not 1 <= syn_ack <= other.nxt
        if data > t + 20:
            opts, mss, ws, sack, tsopt, bad = parse_tcp_options(buf, t + 20, data)
            if bad:
                self.anomalies.add("tcp_bad_option", frame, fl.id)
            if flags & SYN and not bad_synack:
                h.mss = mss
                h.wscale = ws
                h.sack_ok = sack
                h.ts_opt = tsopt
        if bad_synack or (flags & RST and d == 0 and not fl.synack_frame
                          and seq == fl.bad_synack_ack):
            if bad_synack:
                fl.bad_synack_ack = ack
                self.anomalies.add("tcp_synack_bad_ack", frame, fl.id,
                                   f"acknowledges {syn_ack:#x} relative to the SYN, not 1")
            # kept as evidence; neither the handshake nor a reset of the connection
            self._keep(fl, h, frame, ts, d, flags, seq, ack, plen, ttl, ipid, df, win, opts)
            return True
        up = d == 0
        if flags & SYN:
            if flags & RST:
                self.anomalies.add("tcp_syn_with_rst", frame, fl.id)
                self._hist(fl, "I" if up else "i")
            if flags & FIN:
                self.anomalies.add("tcp_syn_with_fin", frame, fl.id)
                self._hist(fl, "Q" if up else "q")
            if h.syn_seq < 0:
                h.syn_seq = seq
                h.base = seq
                h.nxt = 1
                h.maxend = 1
            if flags & ACK:
                self._hist(fl, "H" if up else "h")
                if not fl.synack_frame:
                    fl.synack_frame = frame
                    fl.synack_ts = ts
            else:
                self._hist(fl, "S" if up else "s")
                if not fl.syn_frame:
                    fl.syn_frame = frame
                    fl.syn_ts = ts
                if up and not fl.synack_frame:
                    fl.syn_last_ts = ts
        elif h.base < 0:
            # first segment of this direction without a SYN: its sequence number anchors the
            # relative space (first payload byte = 1, as in Wireshark)
            h.base = (seq - 1) & MASK
            h.nxt = 1
            h.maxend = 1
        if (flags & (SYN | ACK | RST | FIN)) == ACK and d == 0 and fl.synack_frame \
                and not fl.ack_frame and not plen:
            fl.ack_frame = frame
            fl.ack_ts = ts
        rel_seq = (seq - h.base) & MASK
        rel_ack = (ack - other.base) & MASK if other.base >= 0 and flags & ACK else 0
        if flags & FIN:
            self._hist(fl, "F" if up else "f")
            h.fin.append(frame)
            if h.base >= 0 and not rel_seq & 0x8000_0000 and rel_seq + plen < h.fin_at:
                h.fin_at = rel_seq + plen
            if other.fin or fl.rst_seen:
                fl.closed = True
        if flags & RST:
            self._hist(fl, "R" if up else "r")
            h.rst.append(frame)
            if plen and fl.rst_payload is None:
                fl.rst_payload = (frame, bytes(buf[data:data + min(plen, RST_PAYLOAD_MAX)]))
            fl.rst_seen = True
            fl.closed = True
        if not flags:
            self.anomalies.add("tcp_no_flags", frame, fl.id)
        if win == 0 and not flags & (RST | SYN):
            h.zero_win += 1
        self._keep(fl, h, frame, ts, d, flags, seq, ack, plen, ttl, ipid, df, win, opts,
                   rel_seq, rel_ack)
        return False

    def _hist(self, fl: Flow, c: str) -> None:
        if c not in fl.hist:
            fl.hist += c

    def _keep(self, fl: Flow, h: Half, frame: int, ts: float, d: int, flags: int, seq: int,
              ack: int, plen: int, ttl: int, ipid: int, df: int, win: int, opts: str,
              rel_seq: int = -1, rel_ack: int = -1) -> None:
        if len(fl.kept) >= MAX_KEPT:
            return
        if rel_seq < 0:
            rel_seq = (seq - h.base) & MASK
            other = fl.h[1 - d]
            rel_ack = (ack - other.base) & MASK if other.base >= 0 and flags & ACK else 0
        if fl.kept and fl.kept[-1][0] == frame:
            return
        fl.kept.append((frame, ts, d, flags, _signed(rel_seq), _signed(rel_ack), plen, ttl,
                        ipid, df, win, opts))

    # ------------------------------------------------------------------ UDP and ICMP
    def udp(self, frame: int, ts: float, buf: bytes, u: int, end: int, src: bytes, dst: bytes,
            ttl: int, ipid: int, df: int, iplen: int) -> None:
        if u + 8 > end:
            self.anomalies.add("udp_header_truncated", frame)
            return
        sport = (buf[u] << 8) | buf[u + 1]
        dport = (buf[u + 2] << 8) | buf[u + 3]
        ulen = (buf[u + 4] << 8) | buf[u + 5]
        data = u + 8
        if ulen < 8:
            if ulen != 0 or len(src) == 4:
                self.anomalies.add("udp_bad_length", frame, None, f"length {ulen}")
        elif u + ulen < end:
            end = u + ulen
        if ts > self.now:
            self.now = ts
            if ts >= self.next_sweep:
                self.sweep(ts)
        got = self.flows.get((src, sport, dst, dport, UDP))
        if got is not None and ts - got[0].last_ts > self.limits.udp_timeout:
            self.finish(got[0])
            got = None
        if got is None:
            if sport < dport and sport < 1024 and dport >= 1024:
                fl = self._new(dst, dport, src, sport, UDP, ts)
                d = 1
            else:
                fl = self._new(src, sport, dst, dport, UDP, ts)
                d = 0
        else:
            fl, d = got
        h = fl.h[d]
        _count(fl, h, ts, iplen, ttl, ipid, df)
        plen = end - data
        h.payload += plen
        if plen:
            h.data_pkts += 1
        if h.nxt + plen <= self.stream_cap and plen <= self.budget:
            h.nxt += plen
            self.budget -= plen
            fl.datagrams[d].append((frame, ts, bytes(buf[data:end]), ttl, ipid, df))
        if len(fl.kept) < MAX_KEPT and (h.data_pkts <= KEEP_DATA * 4):
            fl.kept.append((frame, ts, d, 0, 0, 0, plen, ttl, ipid, df, 0, ""))

    def icmp(self, frame: int, ts: float, buf: bytes, o: int, end: int, src: bytes,
             dst: bytes, ttl: int, ipid: int, df: int, iplen: int, v6: bool) -> None:
        proto = ICMP6 if v6 else ICMP
        if o + 8 > end:
            self.anomalies.add("icmp_truncated", frame)
            return
        itype = buf[o]
        code = buf[o + 1]
        if ts > self.now:
            self.now = ts
        got = self.flows.get((src, 0, dst, 0, proto))
        if got is None:
            fl = self._new(src, 0, dst, 0, proto, ts)
            d = 0
        else:
            fl, d = got
        h = fl.h[d]
        _count(fl, h, ts, iplen, ttl, ipid, df)
        if len(fl.kept) < MAX_KEPT:
            fl.kept.append((frame, ts, d, (itype << 8) | code, 0, 0, end - o, ttl, ipid, df, 0,
                            ""))
        is_error = (itype in (1, 2, 3, 4)) if v6 else (itype in (3, 4, 5, 11, 12))
        if is_error:
            self._icmp_quote(frame, ts, buf, o + 8, end, src, itype, code)

    def _icmp_quote(self, frame: int, ts: float, buf: bytes, q: int, end: int, router: bytes,
                    itype: int, code: int) -> None:
        """Link an ICMP error to the flow of the packet it quotes."""
        if q + 20 > end:
            self.anomalies.add("icmp_truncated", frame, None, "quoted header cut")
            return
        v = buf[q] >> 4
        if v == 4:
            ihl = (buf[q] & 15) << 2
            proto = buf[q + 9]
            isrc = bytes(buf[q + 12:q + 16])
            idst = bytes(buf[q + 16:q + 20])
            l4 = q + ihl
        elif v == 6 and q + 40 <= end:
            proto = buf[q + 6]
            isrc = bytes(buf[q + 8:q + 24])
            idst = bytes(buf[q + 24:q + 40])
            l4 = q + 40
            hops = 0
            while proto in (0, 43, 60) and l4 + 8 <= end and hops < 8:
                hops += 1  # hop-by-hop, routing, destination options
                proto, l4 = buf[l4], l4 + ((buf[l4 + 1] + 1) << 3)
        else:
            self.anomalies.add("icmp_truncated", frame, None, "quoted header unreadable")
            return
        if proto not in (TCP, UDP) or l4 + 4 > end:
            return
        sport = (buf[l4] << 8) | buf[l4 + 1]
        dport = (buf[l4 + 2] << 8) | buf[l4 + 3]
        got = self.flows.get((isrc, sport, idst, dport, proto))
        if got is None:
            self.icmp_unmatched += 1
            return
        fl, _d = got
        fl.icmp.append((frame, ts, itype, code, fmt_ip(router)))
