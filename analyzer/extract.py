"""Finished flows -> protocol events (:mod:`analyzer.events`): the Collector's ``on_flow`` hook.

The hook runs once per finished flow while its reassembled streams and UDP payloads are still
held, and keeps only the events (plus anomalies in the run's log), so memory stays bounded.

Which parser runs is decided cheaply from the first bytes, on any port:

* UDP: QUIC when one of the originator's first datagrams looks like a QUIC long header
  (known version, or any version on port 443 with an Initial-sized datagram); else DNS on the DNS
  ports (53, 5353, 5355) or when the first datagram looks like a DNS header.
* TCP: DNS on the DNS ports (two-byte framing, RFC 7766); TLS when a direction starts with a
  TLS record; HTTP/1.x when it starts with a request or status line; DNS when the first
  message of the originator looks like DNS.

Work is bounded per flow by the parsers' own caps; this module adds memo tables (bounded) for
the costly, highly repetitive parts: DNS messages that differ only in their ID, TLS
ClientHello / ServerHello bodies that differ only in per-connection random values and the SNI
(the parse result is a function of the remaining bytes), and certificate-chain verdicts.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import struct
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .anomalies import AnomalyLog
from .events import (
    DnsAnswer,
    DnsResponse,
    DnsTransaction,
    FirstPayload,
    HttpExchange,
    QuicHandshakeEvent,
    TlsAlertInfo,
    TlsCertificateInfo,
    TlsHandshakeEvent,
)
from .flows import TCP, UDP, Flow, Half
from .protocols import dns as dnsp
from .protocols import http as httpp
from .protocols import quic as quicp
from .protocols import tls as tlsp
from .protocols import x509 as x509p
from .protocols.common import ParseAnomaly

__all__ = ["Extractor"]

MEMO_MAX = 4096
"""Entries per memo table; a full table is cleared (bounded memory, no LRU bookkeeping)."""
BODY_TEXT_MAX = 1024
"""HTTP body prefix kept as text (bytes before decoding)."""
QUIC_FEED_MAX = 16
"""Datagrams per direction handed to the QUIC handshake assembler at most."""
QUIC_FAILED_MAX = 2
QUIC_SNIFF = 4
"""A UDP flow is QUIC when one of the originator's first datagrams looks like QUIC (a flow
may start with other bytes, as in flow-tracking probes)."""
"""Undecryptable Initials per direction after which the assembler is not fed further."""

_DNS_PORTS = dnsp.DNS_PORTS
_RST, _FIN = 0x04, 0x01
_TLS13 = 0x0304
_MAX_REC = 2**14 + 2048
#: ClientHello extensions whose content the TLS parser reads (all others: type only).
_CH_READ = frozenset((0x0010, 0x002B, 0x000A, 0x000D, 0x000B, 0x002D))
_CH_SPECIAL = _CH_READ | {0x0000, 0x0033}
_U16X2 = struct.Struct("!HH").unpack_from
_REC_HDR = struct.Struct("!BHH").unpack_from
_SNI_SAFE = bytes(b for b in range(0x21, 0x7F) if b != 0x5C)
#: bytes 0x20-0x7e (printable ASCII), and the prefixes of the catalogue's PF-01 exemption 5
_PRINTABLE = bytes(range(0x20, 0x7F))
_PRINTABLE_RUN = re.compile(rb"[\x20-\x7e]+")
_KNOWN_PREFIX = re.compile(rb"(?P<tls>[\x16\x17]\x03[\x00-\x09])|(?P<http>(?:GET|PUT|POST|HEAD) )")
_IPISH = frozenset("0123456789abcdefABCDEF.:%")


def _r6(ts: float | None) -> float | None:
    return None if ts is None else round(ts, 6)


def _ms(later: float | None, earlier: float | None) -> float | None:
    if later is None or earlier is None:
        return None
    return round((later - earlier) * 1000.0, 3)


def _names(items: Iterable[ParseAnomaly]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.name for a in items))


# ------------------------------------------------------------------------------ TLS fast path


def _first_handshake(stream: bytes, base: int) -> tuple[int, bytes, int] | None:
    """(type, body, end) when the record at ``base`` holds exactly one handshake message."""
    n = len(stream)
    if n < base + 9 or stream[base] != 22 or stream[base + 1] != 3 or stream[base + 2] > 4:
        return None
    rlen = (stream[base + 3] << 8) | stream[base + 4]
    end = base + 5 + rlen
    if end > n or rlen > _MAX_REC or rlen < 4:
        return None
    hlen = (stream[base + 6] << 16) | (stream[base + 7] << 8) | stream[base + 8]
    if hlen + 4 != rlen:
        return None
    return stream[base + 5], stream[base + 9:end], end


def _clean_sni(body: bytes, s: int, e: int) -> str | None:
    """The host name of a well-formed single-entry server_name extension, else None."""
    if e - s < 6 or ((body[s] << 8) | body[s + 1]) != e - s - 2 or body[s + 2] != 0:
        return None
    if ((body[s + 3] << 8) | body[s + 4]) != e - s - 5:
        return None
    name = body[s + 5:e]
    if name.translate(None, _SNI_SAFE):
        return None
    return name.decode("ascii")


def _sni_kind(sni: str) -> bytes:
    """JA4's SNI marker: b"i" for an IP literal, b"d" for a name (as tls._ja4_parts)."""
    if "%" in sni or all(c in _IPISH for c in sni):
        try:
            ipaddress.ip_address(sni)
            return b"i"
        except ValueError:
            return b"d"
    return b"d"


def _client_hello_key(body: bytes) -> tuple[tuple[bytes, ...], str | None] | None:
    """Memo key of a ClientHello body: every byte the parser's result depends on except the
    random, the session id, the key-share values, the SNI text and the content of extensions
    it does not read. None for anything unusual (the full parser handles those)."""
    n = len(body)
    if n < 41:
        return None
    sid = body[34]
    if sid > 32:
        return None
    p = 35 + sid
    cs_len = (body[p] << 8) | body[p + 1]
    if cs_len == 0 or cs_len & 1:
        return None
    cs_end = p + 2 + cs_len
    if cs_end >= n:
        return None
    ext = cs_end + 1 + body[cs_end]
    if ext + 2 > n or ext + 2 + ((body[ext] << 8) | body[ext + 1]) != n:
        return None
    parts = [body[:2], body[p:ext]]
    append = parts.append
    sni: str | None = None
    pos = ext + 2
    while pos < n:
        if pos + 4 > n:
            return None
        et, el = _U16X2(body, pos)
        e = pos + 4 + el
        if e > n:
            return None
        if et not in _CH_SPECIAL:
            append(body[pos:pos + 2])
        elif et in _CH_READ:
            append(body[pos:e])
        elif et == 0:
            sni = _clean_sni(body, pos + 4, e)
            if sni is None:
                return None
            append(b"\x00\x00" + _sni_kind(sni))
        elif et == 0x0033:
            s = pos + 4
            if e - s < 2 or ((body[s] << 8) | body[s + 1]) != e - s - 2:
                return None
            groups = bytearray(b"\x00\x33")
            q = s + 2
            while q < e:
                if q + 4 > e:
                    return None
                groups += body[q:q + 2]
                q += 4 + ((body[q + 2] << 8) | body[q + 3])
            if q != e:
                return None
            append(bytes(groups))
        pos = e
    return tuple(parts), sni


def _server_hello_key(body: bytes) -> tuple[bytes, ...] | None:
    """Memo key of a ServerHello body: random, session id and key-share value left out, the
    HelloRetryRequest marker and the downgrade sentinel (last 8 bytes of the random) kept."""
    n = len(body)
    if n < 38:
        return None
    sid = body[34]
    p = 35 + sid
    if p + 3 > n:
        return None
    if body[2:34] == tlsp.HRR_RANDOM:
        mark = b"R"
    elif body[26:33] == b"DOWNGRD" and body[33] < 2:
        mark = body[33:34]
    else:
        mark = b"-"
    parts = [body[:2], mark, body[p:p + 3]]
    pos = p + 3
    if pos == n:
        return tuple(parts)
    if pos + 2 > n or pos + 2 + ((body[pos] << 8) | body[pos + 1]) != n:
        return None
    pos += 2
    while pos < n:
        if pos + 4 > n:
            return None
        et = (body[pos] << 8) | body[pos + 1]
        e = pos + 4 + ((body[pos + 2] << 8) | body[pos + 3])
        if e > n:
            return None
        if et == 0x0033:
            if e - pos < 6:
                return None
            parts.append(body[pos:pos + 2] + body[pos + 4:pos + 6])
        elif et in (0x002B, 0x0010):
            parts.append(body[pos:e])
        else:
            parts.append(body[pos:pos + 2])
        pos = e
    return tuple(parts)


@dataclass(slots=True)
class _TlsSide:
    """What the TLS parser read from one direction (offsets are stream offsets)."""

    client_hello: tlsp.ClientHello | None
    server_hello: tlsp.ServerHello | None
    certificate: tlsp.TlsCertificate | None
    handshakes: list[tuple[int, str]]
    alerts: list[tuple[int, tlsp.TlsAlert]]
    anomalies: list[ParseAnomaly]
    app_data: bool
    ccs: bool
    ch_offset: int = 0
    ch_end: int = 0
    sh_offset: int = 0
    cert_offset: int = 0
    sni: str | None = None
    records: tuple[int, ...] = ()  # content types in order (for the fast-path checks)

    @property
    def encrypted_first(self) -> bool:
        """No cleartext handshake or alert record before the first CCS / application data."""
        for ct in self.records:
            if ct in (20, 23):
                return True
            if ct in (21, 22):
                return False
        return True


def _tail(stream: bytes, start: int) -> _TlsSide:
    """The direction after its first handshake record: walked here when it holds only
    ChangeCipherSpec and application-data records (the parser's result is then known: no
    handshakes, alerts or anomalies), else parsed."""
    n = len(stream)
    pos = start
    ccs = app = False
    count = 0
    while pos + 5 <= n:
        ct, ver, rlen = _REC_HDR(stream, pos)
        if ct == 23:
            app = True
        elif ct == 20:
            ccs = True
        else:
            break
        count += 1
        if ver >> 8 != 3 or rlen > _MAX_REC or count > 200:
            break
        pos += 5 + rlen
    else:
        return _TlsSide(None, None, None, [], [], [], app, ccs, records=(23,) if app else ())
    if pos >= n:
        return _TlsSide(None, None, None, [], [], [], app, ccs, records=(23,) if app else ())
    return _side(tlsp.parse_tls_stream(stream[start:]), start)


def _shifted(items: Iterable[ParseAnomaly], by: int) -> list[ParseAnomaly]:
    return [ParseAnomaly(a.name, a.detail, None if a.offset is None else a.offset + by)
            for a in items]


def _side(st: tlsp.TlsStream, by: int = 0) -> _TlsSide:
    """The facts of a parsed stream direction whose first byte is stream offset ``by``."""
    handshakes: list[tuple[int, str]] = []
    ch: tlsp.ClientHello | None = None
    sh: tlsp.ServerHello | None = None
    cert: tlsp.TlsCertificate | None = None
    ch_off = sh_off = cert_off = 0
    for hs in st.handshakes:
        off = hs.offset + by
        if isinstance(hs, tlsp.ClientHello):
            handshakes.append((off, "client_hello"))
            if ch is None:
                ch, ch_off = hs, off
        elif isinstance(hs, tlsp.ServerHello):
            hrr = hs.is_hello_retry_request
            handshakes.append((off, "hello_retry_request" if hrr else "server_hello"))
            if sh is None or (sh.is_hello_retry_request and not hrr):
                sh, sh_off = hs, off
        elif isinstance(hs, tlsp.TlsCertificate):
            handshakes.append((off, "certificate"))
            if cert is None:
                cert, cert_off = hs, off
        else:
            handshakes.append((off, hs.type_name))
    return _TlsSide(
        client_hello=ch, server_hello=sh, certificate=cert, handshakes=handshakes,
        alerts=[(a.offset + by, a) for a in st.alerts],
        anomalies=_shifted(st.anomalies, by) if by else list(st.anomalies),
        app_data=st.app_data_offset is not None, ccs=st.ccs_offset is not None,
        ch_offset=ch_off, sh_offset=sh_off, cert_offset=cert_off,
        sni=ch.sni if ch is not None else None,
        records=tuple(r.content_type for r in st.records),
    )


# ------------------------------------------------------------------------------ the extractor


class Extractor:
    """Collector hook: turns each finished flow into events, kept in the four lists."""

    def __init__(self, anomalies: AnomalyLog, *, fast: bool = True) -> None:
        """``fast=False`` turns the memo tables and shortcuts off (tests compare both)."""
        self.log = anomalies
        self.fast = fast
        self.dns: list[DnsTransaction] = []
        self.tls: list[TlsHandshakeEvent] = []
        self.http: list[HttpExchange] = []
        self.quic: list[QuicHandshakeEvent] = []
        self.payloads: list[FirstPayload] = []
        self._ch_memo: dict[tuple[bytes, ...], tlsp.ClientHello] = {}
        self._sh_memo: dict[tuple[bytes, ...], tlsp.ServerHello] = {}
        self._dns_memo: dict[bytes, _DnsParsed] = {}
        self._chain_memo: dict[tuple[tuple[bytes, ...], str | None], x509p.ChainVerdict] = {}

    # ---------------------------------------------------------------- dispatch
    def __call__(self, fl: Flow) -> None:
        if fl.proto == UDP:
            d0, d1 = fl.datagrams
            first = d0[0][2] if d0 else (d1[0][2] if d1 else b"")
            if not first:
                return
            if d0 and (_quicish(d0[0][2], fl.pb)
                       or any(_quicish(g[2], fl.pb) for g in d0[1:QUIC_SNIFF])):
                self._quic(fl)
            elif fl.pa in _DNS_PORTS or fl.pb in _DNS_PORTS or dnsp.looks_like_dns(first):
                self._dns_udp(fl)
        elif fl.proto == TCP:
            s0 = fl.h[0].stream
            s1 = fl.h[1].stream
            if not s0 and not s1:
                return
            head0 = bytes(s0[:64])
            tls0 = tlsp.looks_like_tls(head0[:5])
            http0 = httpp.looks_like_http_request(head0)
            if (fl.pa in _DNS_PORTS or fl.pb in _DNS_PORTS) and not (tls0 or http0):
                self._dns_tcp(fl)
            elif tls0 or tlsp.looks_like_tls(bytes(s1[:5])):
                self._tls(fl)
            elif (http0 or httpp.looks_like_http_response(bytes(s1[:16]))
                  or httpp.looks_like_http_request(bytes(s1[:64]))):
                self._http(fl)
            elif len(s0) >= 14 and dnsp.looks_like_dns(head0[2:]) \
                    and ((s0[0] << 8) | s0[1]) >= 12:
                self._dns_tcp(fl)
            elif s0 and fl.h[0].segs:
                self._first_payload(fl)

    def _first_payload(self, fl: Flow) -> None:
        """The byte statistics of the client's first data segment (in stream order)."""
        h = fl.h[0]
        start, ln, frame = h.segs[0]
        if start != 0 or ln <= 0:
            return
        data = bytes(h.stream[:ln])
        ts: float | None = None
        for p in fl.kept:
            if p[0] == frame:
                ts = p[1]
                break
        bits, share, run, prefix, known = payload_stats(data)
        self.payloads.append(FirstPayload(fl.id, fl.input, frame, ts, ln, bits, share, run,
                                          prefix, known))

    def _note(self, items: Iterable[ParseAnomaly], frame: int | None, flow: str) -> None:
        add = self.log.add
        for a in items:
            add(a.name, frame, flow, a.detail)

    def _note_stream(self, items: Iterable[ParseAnomaly], h: Half, flow: str) -> None:
        add = self.log.add
        for a in items:
            add(a.name, h.frame_at(a.offset) or None if a.offset is not None else None, flow,
                a.detail)

    # ---------------------------------------------------------------- DNS
    def _dns_udp(self, fl: Flow) -> None:
        d0, d1 = fl.datagrams
        # Datagram tuples are (frame, ts, payload, ttl, ip_id, df): already _DnsMsg
        self._dns_build(fl, "udp", sorted(d0 + d1) if d0 and d1 else (d0 or d1))

    def _dns_tcp(self, fl: Flow) -> None:
        ts_of = {p[0]: p[1] for p in fl.kept}
        msgs: list[_DnsMsg] = []
        for d in (0, 1):
            h = fl.h[d]
            stream = bytes(h.stream)
            if not stream:
                continue
            parts, consumed = dnsp.split_tcp_dns(stream)
            for off, payload in parts:
                frames = _frames_between(h, off, off + 2 + len(payload))
                frame = frames[-1] if frames else 0
                msgs.append((frame, ts_of.get(frame), payload, None, None, None))
            if consumed < len(stream) and len(stream) < 65536 and not h.ooo:
                self.log.add("dns_tcp_partial_message", h.frame_at(consumed) or None, fl.id,
                             f"{len(stream) - consumed} bytes after the last complete message")
        msgs.sort(key=_frame_of)
        self._dns_build(fl, "tcp", msgs)

    def _dns_parse(self, payload: bytes) -> _DnsParsed:
        """The parsed message, memoised on everything but its ID (the first two bytes): the
        parse depends on the ID only through ``msg.id``, which the events never read (they
        take the ID from the payload)."""
        if not self.fast or len(payload) < 12:  # (shorter: the length is in the result)
            return _dns_parsed(payload)
        key = payload[2:]
        memo = self._dns_memo
        got = memo.get(key)
        if got is None:
            got = _dns_parsed(payload)
            if len(memo) >= MEMO_MAX:
                memo.clear()
            memo[key] = got
        return got

    def _dns_build(self, fl: Flow, transport: str, msgs: Sequence[_DnsMsg]) -> None:
        """Parse every message and group them into transactions: a query is matched to all
        the responses with its ID, question name (case-insensitively) and type."""
        fid = fl.id
        parse = self._dns_parse
        if self.fast and len(msgs) == 2 and self._dns_pair(fl, transport, msgs):
            return
        log = self.log.add
        txs: dict[tuple[int, str | None, int | None], _Tx] = {}
        order: list[_Tx] = []
        answers: list[tuple[tuple[int, str | None, int | None], _DnsMsg, _DnsParsed]] = []
        for m in msgs:
            payload = m[2]
            parsed = parse(payload)
            msg = parsed.msg
            if msg.anomalies:
                for a in msg.anomalies:
                    log(a.name, m[0] or None, fid, a.detail)
            if len(payload) < 12:
                continue
            ident = (payload[0] << 8) | payload[1]
            qs = msg.questions
            key: tuple[int, str | None, int | None] = (
                (ident, qs[0].name.lower(), qs[0].qtype) if qs else (ident, None, None))
            if msg.flags & 0x8000:
                answers.append((key, m, parsed))
                continue
            tx = txs.get(key)
            if tx is None:
                tx = txs[key] = _Tx(ident, qs[0] if qs else None, m[1], parsed.anomaly_names)
                order.append(tx)
            if m[0]:
                tx.query_frames.append(m[0])
        for key, m, parsed in answers:
            tx = txs.get(key)
            if tx is None and key[1] is None:
                # a response without a question: matched on the ID when that is unambiguous
                same = [t for t in order if t.id == key[0] and t.query_frames]
                if len(same) == 1:
                    tx = same[0]
            if tx is None:
                qs = parsed.msg.questions
                tx = _Tx(key[0], qs[0] if qs else None, None, ())
                order.append(tx)
                if key[1] is not None:
                    txs[key] = tx
            tx.responses.append(_dns_response(m, parsed, tx.query_ts))
        if not order:
            return
        client_ip, server_ip = fl.orig_ip, fl.resp_ip
        if len(order) > 1:
            order.sort(key=_Tx.first_frame)
        out = self.dns
        for tx in order:
            rs = tx.responses
            disagree = False
            if len(rs) > 1:
                r0 = rs[0]
                a0 = set(r0.addresses)
                disagree = any(r.rcode != r0.rcode or set(r.addresses) != a0 for r in rs[1:])
            qq = tx.question
            qts = tx.query_ts
            out.append(DnsTransaction(
                fid, fl.input, transport, client_ip, fl.pa, server_ip, fl.pb, tx.id,
                qq.name if qq is not None else None, qq.qtype if qq is not None else None,
                qq.qtype_name if qq is not None else None, tuple(tx.query_frames),
                None if qts is None else round(qts, 6), tx.query_anomalies, len(rs),
                tuple([r.frame for r in rs if r.frame]), tuple(rs), disagree,
            ))

    def _dns_pair(self, fl: Flow, transport: str, msgs: Sequence[_DnsMsg]) -> bool:
        """The common shape, one query then its one response, without the grouping work;
        False (nothing done) for anything else."""
        m0, m1 = msgs
        p0, p1 = m0[2], m1[2]
        if len(p0) < 12 or len(p1) < 12 or p0[:2] != p1[:2] or p0[2] & 0x80 \
                or not p1[2] & 0x80:
            return False
        q, r = self._dns_parse(p0), self._dns_parse(p1)
        qm, rm = q.msg, r.msg
        if qm.anomalies or rm.anomalies or not qm.questions or not rm.questions:
            return False
        qq, rq = qm.questions[0], rm.questions[0]
        if qq.qtype != rq.qtype or (qq.name != rq.name and qq.name.lower() != rq.name.lower()):
            return False
        qts = m0[1]
        resp = _dns_response(m1, r, qts)
        self.dns.append(DnsTransaction(
            fl.id, fl.input, transport, fl.orig_ip, fl.pa, fl.resp_ip, fl.pb,
            (p0[0] << 8) | p0[1], qq.name, qq.qtype, qq.qtype_name,
            (m0[0],) if m0[0] else (), None if qts is None else round(qts, 6), (), 1,
            (resp.frame,) if resp.frame else (), (resp,), False,
        ))
        return True

    # ---------------------------------------------------------------- TLS
    def _tls_client(self, stream: bytes, base: int) -> _TlsSide:
        if self.fast:
            fh = _first_handshake(stream, base)
            if fh is not None and fh[0] == 1:
                body, end = fh[1], fh[2]
                k = _client_hello_key(body)
                if k is not None:
                    key, sni = k
                    ch = self._ch_memo.get(key)
                    if ch is None:
                        got, anoms = tlsp.parse_client_hello(body, offset=base)
                        if got is not None and got.complete and not anoms:
                            ch = got
                            if len(self._ch_memo) >= MEMO_MAX:
                                self._ch_memo.clear()
                            self._ch_memo[key] = ch
                    if ch is not None:
                        side = _tail(stream, end)
                        if not (_TLS13 in ch.supported_versions and _hs_after_ccs(side)):
                            side.client_hello = ch
                            side.sni = sni
                            side.ch_offset = base
                            side.ch_end = end
                            side.handshakes.insert(0, (base, "client_hello"))
                            return side
        side = _side(tlsp.parse_tls_stream(stream[base:]), base)
        if side.client_hello is not None:
            side.ch_end = _handshake_end(stream, side.ch_offset)
        return side

    def _tls_server(self, stream: bytes, base: int) -> _TlsSide:
        if self.fast:
            fh = _first_handshake(stream, base)
            if fh is not None and fh[0] == 2:
                body, end = fh[1], fh[2]
                key = _server_hello_key(body)
                if key is not None:
                    sh = self._sh_memo.get(key)
                    if sh is None:
                        got, anoms = tlsp.parse_server_hello(body, offset=base)
                        if got is not None and got.complete and not anoms:
                            sh = got
                            if len(self._sh_memo) >= MEMO_MAX:
                                self._sh_memo.clear()
                            self._sh_memo[key] = sh
                    if sh is not None and not sh.is_hello_retry_request:
                        side = _tail(stream, end)
                        if sh.selected_version != _TLS13 or side.encrypted_first:
                            side.server_hello = sh
                            side.sh_offset = base
                            side.handshakes.insert(0, (base, "server_hello"))
                            return side
        return _side(tlsp.parse_tls_stream(stream[base:]), base)

    def _verify(self, chain: tuple[bytes, ...], sni: str | None, at: float,
                summaries: Sequence[x509p.CertSummary]) -> x509p.ChainVerdict | None:
        """The chain's verdict at capture time ``at``; None when that time is not a date
        (a damaged timestamp): the validity periods cannot be checked, so no verdict."""
        try:
            when = dt.datetime.fromtimestamp(at, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        # the verdict depends on the time only through the validity periods
        cacheable = len(summaries) == len(chain) and all(
            s.not_before and s.not_before <= stamp <= s.not_after for s in summaries)
        key = (chain, sni.lower() if sni else None)
        if cacheable:
            hit = self._chain_memo.get(key)
            if hit is not None:
                return hit
        verdict = x509p.verify_chain(chain, sni, when)
        if cacheable:
            if len(self._chain_memo) >= 256:
                self._chain_memo.clear()
            self._chain_memo[key] = verdict
        return verdict

    def _tls(self, fl: Flow, bases: tuple[int, int] = (0, 0)) -> None:
        fid = fl.id
        streams = (bytes(fl.h[0].stream), bytes(fl.h[1].stream))
        cd = 0
        if _starts_client_hello(streams[1], bases[1]) \
                and not _starts_client_hello(streams[0], bases[0]):
            cd = 1
        sd = 1 - cd
        hc, hs = fl.h[cd], fl.h[sd]
        cs, ss = streams[cd], streams[sd]
        cb, sb = bases[cd], bases[sd]
        cside = self._tls_client(cs, cb) if tlsp.looks_like_tls(cs[cb:cb + 5]) else None
        server_tls = tlsp.looks_like_tls(ss[sb:sb + 5])
        sside = self._tls_server(ss, sb) if server_tls else None
        if cside is not None and cside.anomalies:
            self._note_stream(cside.anomalies, hc, fid)
        if sside is not None and sside.anomalies:
            self._note_stream(sside.anomalies, hs, fid)
        if sside is None and ss[sb:] and httpp.looks_like_http_response(ss[sb:sb + 16]):
            self._http(fl, cd, requests=False)
        kept = fl.kept
        ch = cside.client_hello if cside is not None else None
        ch_frames: tuple[int, ...] = ()
        if ch is not None and cside is not None:
            ch_frames = tuple(_frames_between(hc, cside.ch_offset, cside.ch_end))
        ch_first = ch_frames[0] if ch_frames else 0
        ch_last = ch_frames[-1] if ch_frames else 0
        sh = sside.server_hello if sside is not None else None
        sh_frame = hs.frame_at(sside.sh_offset) or None if sh is not None and sside else None
        # one pass over the packets the flow table kept: the ClientHello's time and
        # retransmissions, then the reactions after it
        ch_ts = sh_ts = None
        seq = None
        retrans = 0
        rst = fin = data = srv_rst = srv_fin = None
        for p in kept:
            f = p[0]
            if f == ch_first and p[2] == cd:
                seq = p[4]
            elif seq is not None and p[2] == cd and p[6] and p[4] == seq:
                retrans += 1
            if f <= ch_last:
                if f == ch_last:
                    ch_ts = p[1]
                continue
            if f == sh_frame:
                sh_ts = p[1]
            flags = p[3]
            if flags & _RST:
                if rst is None:
                    rst = p
                if p[2] == sd and srv_rst is None:
                    srv_rst = p
            if flags & _FIN:
                if fin is None:
                    fin = p
                if p[2] == sd and srv_fin is None:
                    srv_fin = p
            if p[2] == sd and p[6] and data is None:
                data = p
        sni = cside.sni if cside is not None else None
        alerts: list[TlsAlertInfo] = []
        for side, h, who in ((cside, hc, "client"), (sside, hs, "server")):
            if side is None:
                continue
            for off, al in side.alerts:
                fr = h.frame_at(off) or None
                ats = next((p[1] for p in kept if p[0] == fr), None) if fr else None
                alerts.append(TlsAlertInfo(fr, _r6(ats), who, al.level, al.description,
                                           al.description_name, al.encrypted))
        alerts.sort(key=lambda a: a.frame or 0)
        certs: list[TlsCertificateInfo] = []
        cert_frame = None
        trusted = chain_trusted = matches = None
        cert_error = None
        cert = sside.certificate if sside is not None else None
        if cert is not None and sside is not None and cert.chain:
            cert_frame = hs.frame_at(sside.cert_offset) or None
            summaries: list[x509p.CertSummary] = []
            for s in cert.summaries:
                if isinstance(s, ParseAnomaly):
                    self.log.add(s.name, cert_frame, fid, s.detail)
                    continue
                summaries.append(s)
                if s.anomalies:
                    self._note(s.anomalies, cert_frame, fid)
                certs.append(TlsCertificateInfo(
                    s.subject, s.issuer, s.subject_cn, s.san_dns, s.san_ips, s.not_before,
                    s.not_after, s.serial, s.sha256, s.self_signed, s.is_ca))
            at = ch_ts if ch_ts is not None else fl.first_ts
            verdict = self._verify(cert.chain, sni, at, summaries)
            if verdict is None:
                cert_error = "not verified: the capture time is not a valid date"
            else:
                trusted = verdict.trusted
                chain_trusted = verdict.chain_trusted
                matches = verdict.hostname_matches
                cert_error = verdict.error
        c_app = cside is not None and cside.app_data
        s_app = sside is not None and sside.app_data
        if ch is None:
            outcome = "incomplete"
        elif sh is not None and not sh.is_hello_retry_request and (
                c_app or (cside is not None and cside.ccs and sside is not None and sside.ccs)):
            outcome = "completed"
        elif alerts:
            outcome = "alert"
        elif sh is None:
            # the server's first reaction after the ClientHello decides
            # (by position, not identity: compiled code may re-box the tuples; the earliest
            # frame wins, ties in the order RST, FIN, data)
            first = min(((p[0], i) for i, p in enumerate((srv_rst, srv_fin, data))
                         if p is not None), default=None)
            if first is None:
                outcome = "no_answer"
            elif first[1] == 0:
                outcome = "reset_after_client_hello"
            elif first[1] == 1 and srv_fin is not None and not srv_fin[6]:
                outcome = "closed"
            else:
                outcome = "incomplete"
        else:
            outcome = "incomplete"
        dns_over = None
        if fl.pb == dnsp.DOT_PORT or fl.pa == dnsp.DOT_PORT:
            dns_over = "dot"
        elif sni and dnsp.is_doh_hint(sni):
            dns_over = "doh"
        names: list[str] = []
        if cside is not None:
            names.extend(a.name for a in cside.anomalies)
        if sside is not None:
            names.extend(a.name for a in sside.anomalies)
        self.tls.append(TlsHandshakeEvent(
            flow=fid, input=fl.input,
            client_ip=fl.orig_ip if cd == 0 else fl.resp_ip,
            client_port=fl.pa if cd == 0 else fl.pb,
            server_ip=fl.resp_ip if cd == 0 else fl.orig_ip,
            server_port=fl.pb if cd == 0 else fl.pa,
            outcome=outcome, dns_over=dns_over,
            client_hello_frames=ch_frames, client_hello_ts=_r6(ch_ts),
            client_hello_retransmissions=retrans,
            client_hello_complete=bool(ch is not None and ch.complete),
            sni=sni,
            alpn=ch.alpn if ch is not None else (),
            client_version=ch.legacy_version if ch is not None else None,
            supported_versions=ch.supported_versions if ch is not None else (),
            cipher_suites=ch.cipher_suites if ch is not None else (),
            extensions=ch.extensions if ch is not None else (),
            ech=bool(ch is not None and ch.has_ech),
            esni=bool(ch is not None and ch.has_esni),
            ja3=ch.ja3_md5 if ch is not None else None,
            ja3_string=ch.ja3 if ch is not None else None,
            ja4=ch.ja4 if ch is not None else None,
            server_hello_frame=sh_frame, server_hello_ts=_r6(sh_ts),
            server_hello_ms=_ms(sh_ts, ch_ts),
            server_version=(sh.selected_version or sh.version) if sh is not None else None,
            cipher_suite=sh.cipher_suite if sh is not None else None,
            server_alpn=sh.alpn if sh is not None else None,
            hello_retry_request=bool(sh is not None and sh.is_hello_retry_request),
            ja3s=sh.ja3s_md5 if sh is not None else None,
            client_handshake_types=tuple(n for _, n in cside.handshakes) if cside else (),
            server_handshake_types=tuple(n for _, n in sside.handshakes) if sside else (),
            certificate_frame=cert_frame, certificates=tuple(certs),
            cert_trusted=trusted, cert_chain_trusted=chain_trusted,
            cert_hostname_matches=matches, cert_error=cert_error,
            alerts=tuple(alerts),
            server_data_frame=data[0] if data else None,
            server_data_ms=_ms(data[1], ch_ts) if data else None,
            server_tls=server_tls,
            rst_frame=rst[0] if rst else None, rst_ts=_r6(rst[1]) if rst else None,
            rst_ms=_ms(rst[1], ch_ts) if rst else None,
            rst_from=("client" if rst[2] == cd else "server") if rst else None,
            fin_frame=fin[0] if fin else None, fin_ts=_r6(fin[1]) if fin else None,
            fin_ms=_ms(fin[1], ch_ts) if fin else None,
            fin_from=("client" if fin[2] == cd else "server") if fin else None,
            client_app_data=c_app, server_app_data=s_app,
            anomalies=tuple(dict.fromkeys(names)),
        ))

    # ---------------------------------------------------------------- HTTP
    def _http(self, fl: Flow, cd: int | None = None, requests: bool = True) -> None:
        fid = fl.id
        streams = (bytes(fl.h[0].stream), bytes(fl.h[1].stream))
        if cd is None:
            req0 = httpp.looks_like_http_request(streams[0][:64])
            cd = 1 if (not req0 and (httpp.looks_like_http_request(streams[1][:64])
                                     or httpp.looks_like_http_response(streams[0][:16]))) \
                else 0
        sd = 1 - cd
        hc, hs = fl.h[cd], fl.h[sd]
        cs, ss = streams[cd], streams[sd]
        reqs = (httpp.parse_http_requests(cs)
                if requests and httpp.looks_like_http_request(cs[:64]) else None)
        methods = [r.method for r in reqs.requests] if reqs is not None else []
        resps = (httpp.parse_http_responses(ss, methods)
                 if httpp.looks_like_http_response(ss[:16]) else None)
        if reqs is not None and reqs.anomalies:
            self._note_stream(reqs.anomalies, hc, fid)
        if resps is not None and resps.anomalies:
            self._note_stream(resps.anomalies, hs, fid)
        req_list = reqs.requests if reqs is not None else ()
        finals: list[tuple[httpp.HttpResponse | None, tuple[int, ...]]] = []
        interim: list[int] = []
        for r in resps.responses if resps is not None else ():
            if 100 <= r.status < 200 and r.status != 101:
                interim.append(r.status)
                continue
            finals.append((r, tuple(interim)))
            interim = []
        if interim:
            finals.append((None, tuple(interim)))
        if not req_list and not finals:
            return
        ts_of = {p[0]: p[1] for p in fl.kept}
        req_anoms = list(reqs.anomalies) if reqs is not None else []
        resp_anoms = list(resps.anomalies) if resps is not None else []
        client_ip = fl.orig_ip if cd == 0 else fl.resp_ip
        server_ip = fl.resp_ip if cd == 0 else fl.orig_ip
        cport, sport = (fl.pa, fl.pb) if cd == 0 else (fl.pb, fl.pa)
        # the server's stream is kept only up to the reassembly limit: a response missing or
        # cut short at its end lies beyond it (not unanswered, not truncated on the wire)
        cut = not hs.gap and hs.payload > len(ss)
        prev_resp_frame: int | None = None
        for i in range(max(len(req_list), len(finals))):
            rq = req_list[i] if i < len(req_list) else None
            rs, inter = finals[i] if i < len(finals) else (None, ())
            rq_frames: tuple[int, ...] = ()
            rq_ts = None
            names: list[str] = []
            if rq is not None:
                rq_frames = tuple(_frames_between(hc, rq.offset, rq.offset + max(rq.header_length,
                                                                                1)))
                rq_ts = ts_of.get(rq_frames[-1]) if rq_frames else None
                stop = req_list[i + 1].offset if i + 1 < len(req_list) else 1 << 62
                names.extend(a.name for a in req_anoms
                             if a.offset is not None and rq.offset <= a.offset < stop)
            rs_frames: tuple[int, ...] = ()
            rs_ts = None
            if rs is not None:
                rs_frames = tuple(_frames_between(hs, rs.offset, rs.offset + max(rs.header_length,
                                                                                1)))
                rs_ts = ts_of.get(rs_frames[0]) if rs_frames else None
                nxt = finals[i + 1][0] if i + 1 < len(finals) else None
                stop = nxt.offset if nxt is not None else 1 << 62
                names.extend(a.name for a in resp_anoms
                             if a.offset is not None and rs.offset <= a.offset < stop)
            if cut and rq is not None and (rs is None or (not rs.complete
                                                          and i == len(finals) - 1)):
                names.append("http_beyond_kept_stream")
                self.log.add("http_beyond_kept_stream", rq_frames[0] if rq_frames else None,
                             fid, f"{len(ss)} of {hs.payload} bytes from the server kept")
            pipelined = False
            if i and rq is not None and rq_frames:
                pipelined = prev_resp_frame is None or rq_frames[0] < prev_resp_frame
            prev_resp_frame = rs_frames[0] if rs_frames else None
            self.http.append(HttpExchange(
                flow=fid, input=fl.input, client_ip=client_ip, client_port=cport,
                server_ip=server_ip, server_port=sport, index=i,
                request_frames=rq_frames, request_ts=_r6(rq_ts),
                method=rq.method if rq else None, target=rq.target if rq else None,
                version=rq.version if rq else None, host=rq.host if rq else None,
                user_agent=rq.user_agent if rq else None,
                connect=bool(rq is not None and rq.method.upper() == "CONNECT"),
                pipelined=pipelined, request_complete=rq.complete if rq else None,
                response_frames=rs_frames, response_ts=_r6(rs_ts),
                response_ms=_ms(rs_ts, rq_ts),
                response_version=rs.version if rs else None,
                status=rs.status if rs else None, reason=rs.reason if rs else None,
                location=rs.location if rs else None, server_header=rs.server if rs else None,
                content_type=rs.content_type if rs else None,
                content_length=rs.content_length if rs else None,
                body_length=rs.body_length if rs else None,
                body_prefix=rs.body_prefix[:BODY_TEXT_MAX].decode("utf-8", "replace")
                if rs else None,
                body_sha256=rs.body_sha256 if rs else None,
                response_complete=rs.complete if rs else None,
                interim_statuses=inter, anomalies=tuple(dict.fromkeys(names)),
            ))
        # a TLS tunnel after a successful CONNECT
        if req_list and req_list[-1].method.upper() == "CONNECT" and reqs is not None \
                and resps is not None and finals and finals[-1][0] is not None:
            last = finals[-1][0]
            if 200 <= last.status < 300 and tlsp.looks_like_tls(cs[reqs.consumed:][:5]):
                bases = (reqs.consumed, resps.consumed) if cd == 0 \
                    else (resps.consumed, reqs.consumed)
                self._tls(fl, bases)

    # ---------------------------------------------------------------- QUIC
    def _quic(self, fl: Flow) -> None:
        fid = fl.id
        d0, d1 = fl.datagrams
        seq = sorted([(f, 0, ts, p) for f, ts, p, *_ in d0] + [(f, 1, ts, p) for f, ts, p, *_
                                                                 in d1])
        asm = quicp.QuicHandshakeAssembler()
        fed = [0, 0]
        failed = [0, 0]
        decrypted = [False, False]
        done = [False, False]
        cover = (_Coverage(), _Coverage())
        ch_frames: list[int] = []
        sh_frame: int | None = None
        vn_frame: int | None = None
        initials = 0
        first_init: tuple[int, float] | None = None
        noted: set[int] = set()
        add = self.log.add
        for frame, d, ts, payload in seq:
            kind = _long_kind(payload)
            if d == 0 and kind in ("initial", "unknown"):
                initials += 1
                if first_init is None:
                    first_init = (frame, ts)
            if kind is None or kind == "other" or done[d] or fed[d] >= QUIC_FEED_MAX \
                    or (failed[d] >= QUIC_FAILED_MAX and not decrypted[d]):
                continue
            fed[d] += 1
            dg = asm.feed(payload, from_client=d == 0)
            for a in dg.anomalies:
                noted.add(id(a))
                add(a.name, frame, fid, a.detail)
            for pkt in dg.packets:
                ptype = pkt.packet_type
                if ptype == "initial":
                    if pkt.decrypted:
                        decrypted[d] = True
                        if pkt.crypto:
                            for c in pkt.crypto:
                                cover[d].add(c.offset, c.data)
                            if d == 0:
                                if frame not in ch_frames:
                                    ch_frames.append(frame)
                            elif sh_frame is None:
                                sh_frame = frame
                    elif pkt.length is not None:
                        failed[d] += 1
                elif ptype == "version_negotiation" and d == 1 and vn_frame is None:
                    vn_frame = frame
                elif ptype == "retry" and d == 1:
                    # new Initial keys for the client: its next Initials are worth reading
                    failed[0] = 0
                    done[0] = False
                    decrypted[0] = False
                    if not cover[0].complete():
                        cover[0].reset()
                        ch_frames.clear()
            if cover[d].complete():
                done[d] = True
        res = asm.result()
        for a in res.anomalies:
            if id(a) not in noted:
                add(a.name, (ch_frames[0] if ch_frames else seq[0][0]) if seq else None, fid,
                    a.detail)
        first = next((g[2] for g in d0 if _long_kind(g[2]) is not None), b"")
        version, dcid, scid = _long_header(first)
        if res.version is not None:
            version = res.version
        if res.initial_dcid is not None and not res.retry:
            dcid = res.initial_dcid
        ch = res.client_hello
        c0 = first_init
        s0 = d1[0] if d1 else None
        self.quic.append(QuicHandshakeEvent(
            flow=fid, input=fl.input, client_ip=fl.orig_ip, client_port=fl.pa,
            server_ip=fl.resp_ip, server_port=fl.pb, version=version,
            version_name=_quic_version_name(version),
            dcid=dcid.hex() if dcid is not None else None,
            scid=scid.hex() if scid is not None else None,
            decrypted=res.client_initials_decrypted > 0,
            sni=ch.sni if ch is not None else None,
            alpn=ch.alpn if ch is not None else (),
            ja4=ch.ja4 if ch is not None else None,
            client_hello_complete=bool(ch is not None and ch.complete),
            client_hello_frames=tuple(ch_frames), client_initials=initials,
            first_initial_frame=c0[0] if c0 else None,
            first_initial_ts=_r6(c0[1]) if c0 else None,
            server_answered=s0 is not None,
            server_first_frame=s0[0] if s0 else None,
            server_first_ts=_r6(s0[1]) if s0 else None,
            server_first_ms=_ms(s0[1], c0[1]) if s0 and c0 else None,
            server_hello_frame=sh_frame,
            version_negotiation=res.version_negotiation, version_negotiation_frame=vn_frame,
            retry=res.retry,
            close_error_codes=tuple(c.error_code for c in res.connection_closes),
            anomalies=tuple(dict.fromkeys(a.name for a in res.anomalies)),
        ))


# ------------------------------------------------------------------------------ helpers

_DnsMsg = tuple[int, float | None, bytes, int | None, int | None, int | None]
"""(frame, ts, payload, IP TTL, IP ID, DF) of one DNS message (IP facts: UDP only)."""


def payload_stats(data: bytes) -> tuple[float, float, int, bool, str | None]:
    """(set bits per byte, printable share, longest printable run, first six bytes printable,
    ``tls``/``http``/None) of a non-empty segment: the fields of :class:`FirstPayload`."""
    n = len(data)
    known = _KNOWN_PREFIX.match(data)
    return (round(int.from_bytes(data, "big").bit_count() / n, 3),
            round((n - len(data.translate(None, _PRINTABLE))) / n, 3),
            max((len(m) for m in _PRINTABLE_RUN.findall(data)), default=0),
            data[:6].translate(None, _PRINTABLE) == b"",
            known.lastgroup if known is not None else None)


def _frames_between(h: Half, start: int, stop: int) -> list[int]:
    """The frames that delivered stream bytes [start, stop) (as ``Half.frames_between``, but
    by bisection: a stream of tiny segments with many messages stays linear)."""
    segs = h.segs
    i = max(bisect_right(segs, (start, 1 << 62, 0)) - 1, 0)
    out: list[int] = []
    n = len(segs)
    while i < n:
        s0, ln, frame = segs[i]
        if s0 >= stop:
            break
        if start < s0 + ln and frame not in out:
            out.append(frame)
        i += 1
    return out


def _frame_of(m: _DnsMsg) -> int:
    return m[0]


def _dns_answer(r: dnsp.DnsRecord) -> DnsAnswer:
    return DnsAnswer(r.name, r.rtype_name, r.ttl, r.value)


def _dns_parsed(payload: bytes) -> _DnsParsed:
    msg = dnsp.parse_dns(payload)
    answers = msg.answers
    return _DnsParsed(
        msg,
        tuple(map(_dns_answer, answers)) if answers else (),
        tuple(map(_dns_answer, msg.authority)) if msg.authority else (),
        tuple([r.value for r in answers if (r.rtype == 1 and len(r.rdata) == 4)
               or (r.rtype == 28 and len(r.rdata) == 16)]) if answers else (),
        _names(msg.anomalies) if msg.anomalies else (),
    )


def _dns_response(m: _DnsMsg, parsed: _DnsParsed, query_ts: float | None) -> DnsResponse:
    frame, ts, _payload, ttl, ipid, df = m
    flags = parsed.msg.flags
    return DnsResponse(
        frame or None, None if ts is None else round(ts, 6),
        None if ts is None or query_ts is None else round((ts - query_ts) * 1000.0, 3),
        parsed.msg.rcode, parsed.msg.rcode_name, bool(flags & 0x0400), bool(flags & 0x0200),
        bool(flags & 0x0080), parsed.answers, parsed.authority, parsed.addresses,
        parsed.msg.edns is not None, ttl, ipid, None if df is None else bool(df),
        parsed.anomaly_names,
    )


@dataclass(frozen=True, slots=True, init=False)
class _DnsParsed:
    """A parsed DNS message with the pieces of its events (shared by identical messages)."""

    msg: dnsp.DnsMessage
    answers: tuple[DnsAnswer, ...]
    authority: tuple[DnsAnswer, ...]
    addresses: tuple[str, ...]
    anomaly_names: tuple[str, ...]

    def __init__(self, msg: dnsp.DnsMessage, answers: tuple[DnsAnswer, ...],
                 authority: tuple[DnsAnswer, ...], addresses: tuple[str, ...],
                 anomaly_names: tuple[str, ...]) -> None:
        object.__setattr__(self, "msg", msg)
        object.__setattr__(self, "answers", answers)
        object.__setattr__(self, "authority", authority)
        object.__setattr__(self, "addresses", addresses)
        object.__setattr__(self, "anomaly_names", anomaly_names)


class _Tx:
    """A DNS transaction being assembled."""

    __slots__ = ("id", "query_anomalies", "query_frames", "query_ts", "question", "responses")

    def __init__(self, ident: int, question: dnsp.DnsQuestion | None, ts: float | None,
                 anomalies: tuple[str, ...]) -> None:
        self.id = ident
        self.question = question
        self.query_ts = ts
        self.query_anomalies = anomalies
        self.query_frames: list[int] = []
        self.responses: list[DnsResponse] = []

    def first_frame(self) -> int:
        frames = [*self.query_frames[:1], *(r.frame for r in self.responses[:1] if r.frame)]
        return min(frames) if frames else 0


def _hs_after_ccs(side: _TlsSide) -> bool:
    """A handshake record after ChangeCipherSpec / application data (see _tls_client)."""
    enc = False
    for ct in side.records:
        if ct in (20, 23):
            enc = True
        elif ct == 22 and enc:
            return True
    return False


def _starts_client_hello(stream: bytes, base: int) -> bool:
    return len(stream) > base + 5 and stream[base] == 22 and stream[base + 1] == 3 \
        and stream[base + 5] == 1


def _handshake_end(stream: bytes, offset: int) -> int:
    """Stream offset just after the handshake message starting in the record at
    ``offset`` (fragments in the following handshake records count)."""
    n = len(stream)
    if offset + 9 > n:
        return n
    need = 4 + ((stream[offset + 6] << 16) | (stream[offset + 7] << 8) | stream[offset + 8])
    pos = offset
    while pos + 5 <= n:
        rlen = (stream[pos + 3] << 8) | stream[pos + 4]
        take = min(need, rlen)
        need -= take
        if need <= 0:
            return min(n, pos + 5 + take)
        pos += 5 + rlen
    return n


class _Coverage:
    """Contiguous CRYPTO bytes from offset 0 and whether the first message is complete."""

    __slots__ = ("head", "spans")

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.head = b""

    def reset(self) -> None:
        self.spans = []
        self.head = b""

    def add(self, offset: int, data: bytes) -> None:
        if offset == 0 and len(data) >= 4:
            self.head = data[:4]
        spans = sorted([*self.spans, (offset, offset + len(data))])
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        self.spans = merged

    def complete(self) -> bool:
        if len(self.head) < 4 or not self.spans or self.spans[0][0] != 0:
            return False
        need = 4 + ((self.head[1] << 16) | (self.head[2] << 8) | self.head[3])
        return self.spans[0][1] >= need


def _quicish(payload: bytes, port: int) -> bool:
    """QUIC by content; versions the parser does not know are accepted on port 443 for a
    long-header datagram of Initial size (RFC 9000 14.1: at least 1200 bytes)."""
    if quicp.looks_like_quic(payload):
        return True
    return (port == 443 and len(payload) >= 1200 and payload[0] & 0xC0 == 0xC0
            and payload[5] <= 20)


def _long_kind(p: bytes) -> str | None:
    """The type of the first packet of a long-header datagram: initial, retry, negotiation,
    other (0-RTT, Handshake) or unknown (a version without known type bits, taken as a
    first flight); None for a short header. Only datagrams starting with an Initial, Retry
    or Version Negotiation packet carry anything the Initial-space assembler can read (RFC
    9000 12.2: coalesced packets go in order of increasing encryption level)."""
    if len(p) < 7 or not p[0] & 0x80:
        return None
    version = int.from_bytes(p[1:5], "big")
    if version == 0:
        return "negotiation"
    kind = quicp.long_packet_type(version, p[0])
    if kind is None:
        return "unknown"
    return kind if kind in ("initial", "retry") else "other"


def _long_header(p: bytes) -> tuple[int | None, bytes | None, bytes | None]:
    """(version, DCID, SCID) of a long-header packet (None where absent)."""
    if len(p) < 7 or not p[0] & 0x80:
        return None, None, None
    version = int.from_bytes(p[1:5], "big")
    dl = p[5]
    if dl > 20 or 6 + dl > len(p):
        return version, None, None
    dcid = p[6:6 + dl]
    if 7 + dl > len(p):
        return version, dcid, None
    sl = p[6 + dl]
    scid = p[7 + dl:7 + dl + sl] if sl <= 20 and 7 + dl + sl <= len(p) else None
    return version, dcid, scid


def _quic_version_name(version: int | None) -> str:
    """The parser's name of the version (:func:`quic.version_name`), and draft-NN for the
    drafts whose Initial keys it does not know."""
    if version is None:
        return "unknown"
    name = quicp.version_name(version)
    if name == "unknown" and version >> 8 == 0xFF0000:
        return f"draft-{version & 0xFF}"
    return name
