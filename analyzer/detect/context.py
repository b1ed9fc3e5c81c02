"""Capture-wide indexes the evidence builders share: one per input.

Everything here is computed once per input from the facts (flows and protocol events): which
name each server address was resolved for, which flows reached each server and whether they
worked (the natural controls), each resolver's usual IP TTL, and the trigger of each flow
(what the client sent that a censor could have reacted to).
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..events import DnsTransaction, HttpExchange, QuicHandshakeEvent, TlsHandshakeEvent
from ..flows import MASK, RST, SYN, TCP, Flow

#: Top-level labels that never name a public site (RFC 6761, RFC 8375, common LAN habits).
PRIVATE_TLDS = frozenset((
    "local", "lan", "home", "internal", "intranet", "corp", "localdomain", "localhost", "test",
    "invalid", "arpa", "private", "domain", "workgroup", "router", "gateway", "box",
))


def name_key(name: str) -> str:
    """The form names are compared in: DNS names are case-insensitive (RFC 4343) and a
    trailing dot only marks the name absolute ("www.example.org." is "www.example.org"), so
    an SNI, Host or qname that differs from another only so is the same name."""
    return name.rstrip(".").lower()


@lru_cache(maxsize=65536)
def is_public_name(name: str | None) -> bool:
    """Whether ``name`` looks like a public DNS name (at least two labels, a TLD of letters
    that is not a private-use one, not an address literal)."""
    if not name:
        return False
    name = name_key(name)
    labels = name.split(".")
    if len(labels) < 2:
        return False
    tld = labels[-1]
    if tld in PRIVATE_TLDS or not tld.isalpha() or name.endswith(".home.arpa"):
        return False
    return all(labels)


@lru_cache(maxsize=65536)
def is_public_ip(ip: str) -> bool:
    try:
        a = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    return a.is_global


def initial_ttl(ttl: int) -> int:
    """The usual initial TTL (32, 64, 128 or 255) a received TTL most likely started from."""
    for init in (32, 64, 128):
        if ttl <= init:
            return init
    return 255


def first_data_acked(fl: Flow) -> bool | None:
    """Whether the responder's TCP acknowledged any of the originator's data (None when the
    capture shows no acknowledgment number or no originator sequence base)."""
    if fl.h[1].last_ack < 0 or fl.h[0].base < 0:
        return None
    return ((fl.h[1].last_ack - fl.h[0].base) & MASK) > 1


@dataclass(slots=True)
class Trigger:
    """What the client sent that a censor could have reacted to, and when."""

    kind: str            # tls-sni, tls-client-hello, http-host, http-request, data, syn, none
    frame: int | None
    ts: float | None
    name: str | None     # SNI or Host


@dataclass(slots=True)
class ServerUse:
    """One flow to a server endpoint and whether it worked (a natural control)."""

    flow: str
    name: str | None
    ts: float


class _Pool:
    """The working flows to one server (in flow order), indexed by the name they asked for:
    :meth:`InputContext.controls` runs for every reset and failed handshake, and a busy
    server's pool holds thousands of flows that mostly asked for the same name."""

    __slots__ = ("by_name", "order", "uses")

    def __init__(self, uses: list[ServerUse]) -> None:
        self.uses = uses
        self.by_name: dict[str, list[int]] = {}
        for i, u in enumerate(uses):
            if u.name:
                self.by_name.setdefault(u.name, []).append(i)
        #: (index of its first use, name), in pool order
        self.order = sorted((ix[0], nm) for nm, ix in self.by_name.items())

    def controls(self, fid: str, t: float, lname: str | None, window: float
                 ) -> tuple[ServerUse | None, ServerUse | None]:
        """As a scan of the pool in order would find them: the first use in the window that
        is not flow ``fid``, and the first such use that asked for a name other than
        ``lname``."""
        uses = self.uses
        ok = None
        for u in uses:
            if u.flow != fid and abs(u.ts - t) <= window:
                ok = u
                break
        if ok is None or not lname:
            return ok, None
        best = -1
        for first, nm in self.order:
            if best >= 0 and first >= best:
                break
            if nm == lname:
                continue
            for i in self.by_name[nm]:
                if best >= 0 and i >= best:
                    break
                u = uses[i]
                if u.flow != fid and abs(u.ts - t) <= window:
                    best = i
                    break
        return ok, (uses[best] if best >= 0 else None)

    def same_name(self, fid: str, t: float, lname: str, window: float) -> bool:
        """Whether a use other than flow ``fid`` asked for ``lname`` within ``window`` s."""
        uses = self.uses
        return any(uses[i].flow != fid and abs(uses[i].ts - t) <= window
                   for i in self.by_name.get(lname, ()))


class InputContext:
    """Indexes over one input's flows and events."""

    def __init__(self, flows: list[Flow], dns: list[DnsTransaction],
                 tls: list[TlsHandshakeEvent], http: list[HttpExchange],
                 quic: list[QuicHandshakeEvent]) -> None:
        self.flows = flows
        self.by_id = {fl.id: fl for fl in flows}
        self.dns = dns
        self.tls = tls
        self.http = http
        self.quic = quic
        self.tls_by_flow = {t.flow: t for t in tls}
        self.http_by_flow: dict[str, list[HttpExchange]] = defaultdict(list)
        for h in http:
            self.http_by_flow[h.flow].append(h)
        self.quic_by_flow = {q.flow: q for q in quic}
        #: server addresses whose QUIC handshakes were answered, and those whose repeated
        #: Initials (two or more) were not
        self.quic_answered_ips = {q.server_ip for q in quic if q.server_answered}
        self.quic_unanswered_ips = {q.server_ip for q in quic
                                    if not q.server_answered and q.client_initials >= 2}
        #: DNS over TCP: the flow's first query with a name (its name and its trigger)
        self.dns_tcp_by_flow: dict[str, DnsTransaction] = {}
        for tx in dns:
            if tx.transport == "tcp" and tx.qname and tx.query_frames:
                self.dns_tcp_by_flow.setdefault(tx.flow, tx)
        #: the names whose chains a leaf issuer signed without verifying to a trusted root,
        #: and the names whose chains did verify (certificates seen: TLS 1.2 and older)
        self.untrusted_by_issuer: dict[str, set[str]] = defaultdict(set)
        self.trusted_names: set[str] = set()
        for t in tls:
            if t.sni and t.certificates:
                if t.cert_chain_trusted:
                    self.trusted_names.add(name_key(t.sni))
                elif t.cert_chain_trusted is False:
                    self.untrusted_by_issuer[t.certificates[0].issuer].add(name_key(t.sni))
        self.completed_by_name: dict[str, list[TlsHandshakeEvent]] = defaultdict(list)
        #: server endpoint -> TLS connections to it that opened (SYN/ACK seen) and whose
        #: ClientHello the server's TCP never acknowledged, with no answer
        self.unacked_hellos: Counter[tuple[str, int]] = Counter()
        #: (name, server port) -> the same, over every address the name was reached at
        self.unacked_for_name: Counter[tuple[str, int]] = Counter()
        for t in tls:
            if t.sni and t.outcome == "completed":
                self.completed_by_name[name_key(t.sni)].append(t)
            elif t.outcome == "no_answer":
                fl = self.by_id.get(t.flow)
                if fl is not None and fl.synack_frame and first_data_acked(fl) is False:
                    self.unacked_hellos[(t.server_ip, t.server_port)] += 1
                    if t.sni:
                        self.unacked_for_name[(name_key(t.sni), t.server_port)] += 1
        # address -> [(answer time, name)] from every DNS response seen
        self.names: dict[str, list[tuple[float, str]]] = defaultdict(list)
        resolver_ttls: dict[str, Counter[int]] = defaultdict(Counter)
        for tx in dns:
            if not tx.qname:
                continue
            for r in tx.responses:
                if r.ip_ttl is not None:
                    resolver_ttls[tx.server_ip][r.ip_ttl] += 1
                for a in r.addresses:
                    self.names[a].append((r.ts or 0.0, tx.qname))
        self.resolver_ttls = resolver_ttls
        # (name, qtype) -> {resolver: addresses of its last response}, for the resolver control
        self.answers_by_name: dict[tuple[str, str], dict[str, frozenset[str]]] = \
            defaultdict(dict)
        for tx in dns:
            if tx.qname and tx.responses and tx.responses[-1].addresses:
                key = (name_key(tx.qname), tx.qtype_name or "")
                self.answers_by_name[key][tx.server_ip] = frozenset(tx.responses[-1].addresses)
        # server endpoint -> the flows that worked; server address -> the same (any port)
        self.uses: dict[tuple[str, int], list[ServerUse]] = defaultdict(list)
        self.uses_ip: dict[str, list[ServerUse]] = defaultdict(list)
        #: server endpoint -> the QUIC connections to it that were answered
        self.quic_ok: dict[tuple[str, int], list[ServerUse]] = defaultdict(list)
        for fl in flows:
            if fl.proto != TCP and fl.id not in self.quic_by_flow:
                continue
            if not self.flow_ok(fl):
                continue
            name = self.flow_name(fl)
            use = ServerUse(fl.id, name_key(name) if name else None, fl.first_ts)
            self.uses[(fl.resp_ip, fl.pb)].append(use)
            self.uses_ip[fl.resp_ip].append(use)
            if fl.proto != TCP:
                self.quic_ok[(fl.resp_ip, fl.pb)].append(use)
        self._pools: dict[tuple[str, int], _Pool] = {}
        self._quic_pools: dict[tuple[str, int], _Pool] = {}
        self._by_client: dict[tuple[str, str, int], list[Flow]] | None = None
        self._handshakes: dict[str, tuple[list[float], list[str]]] | None = None
        self._answered: dict[tuple[str, int], list[Flow]] | None = None
        self._names_by_ts: dict[str, tuple[list[float], list[tuple[float, str]]]] = {}

    # ------------------------------------------------------------------ names and triggers
    def flow_name(self, fl: Flow) -> str | None:
        """The name the client asked for on this flow: SNI, Host, QUIC SNI or the qname of a
        DNS query over TCP."""
        t = self.tls_by_flow.get(fl.id)
        if t is not None and t.sni:
            return t.sni
        for h in self.http_by_flow.get(fl.id, ()):
            if h.host:
                return h.host.split(":")[0] if not h.host.startswith("[") else h.host
        q = self.quic_by_flow.get(fl.id)
        if q is not None and q.sni:
            return q.sni
        tx = self.dns_tcp_by_flow.get(fl.id)
        return tx.qname if tx is not None else None

    def dns_name(self, ip: str, before: float) -> str | None:
        """The name most recently resolved to ``ip`` before ``before`` (else the first one
        resolved to it at all)."""
        seen = self.names.get(ip)
        if not seen:
            return None
        by_ts = self._names_by_ts.get(ip)
        if by_ts is None:
            # stable: among equal times the later answer wins, as in arrival order
            ordered = sorted(seen, key=lambda x: x[0])
            by_ts = self._names_by_ts[ip] = ([ts for ts, _ in ordered], ordered)
        k = bisect_right(by_ts[0], before + 1e-6)
        return by_ts[1][k - 1][1] if k else seen[0][1]

    def domain(self, fl: Flow) -> tuple[str | None, str | None]:
        """(domain, where it came from: sni / host / quic-sni / dns) for a flow."""
        t = self.tls_by_flow.get(fl.id)
        if t is not None and t.sni:
            return t.sni, "sni"
        for h in self.http_by_flow.get(fl.id, ()):
            if h.host:
                return self.flow_name(fl), "host"
        q = self.quic_by_flow.get(fl.id)
        if q is not None and q.sni:
            return q.sni, "quic-sni"
        tx = self.dns_tcp_by_flow.get(fl.id)
        if tx is not None:
            return tx.qname, "qname"
        name = self.dns_name(fl.resp_ip, fl.first_ts)
        return (name, "dns") if name else (None, None)

    def trigger(self, fl: Flow, before: float | None = None) -> Trigger:
        """The client's last potentially censored message before ``before`` (a capture time;
        None: any time)."""
        limit = float("inf") if before is None else before + 1e-9
        t = self.tls_by_flow.get(fl.id)
        if t is not None and t.client_hello_frames and t.client_hello_ts is not None \
                and t.client_hello_ts <= limit:
            return Trigger("tls-sni" if t.sni else "tls-client-hello", t.client_hello_frames[0],
                           t.client_hello_ts, t.sni)
        for h in self.http_by_flow.get(fl.id, ()):
            if h.request_frames and h.request_ts is not None and h.request_ts <= limit:
                return Trigger("http-host" if h.host else "http-request", h.request_frames[0],
                               h.request_ts, self.flow_name(fl) if h.host else None)
        q = self.quic_by_flow.get(fl.id)
        if q is not None and q.first_initial_frame is not None and q.first_initial_ts is not None \
                and q.first_initial_ts <= limit:
            return Trigger("quic-sni" if q.sni else "quic-initial", q.first_initial_frame,
                           q.first_initial_ts, q.sni)
        tx = self.dns_tcp_by_flow.get(fl.id)
        if tx is not None and tx.query_ts is not None and tx.query_ts <= limit:
            return Trigger("dns-query", tx.query_frames[0], tx.query_ts, tx.qname)
        last_data = None
        for p in fl.kept:
            if p[1] > limit:
                break
            if p[2] == 0 and p[6] and not p[3] & RST:
                last_data = p
        if last_data is not None:
            return Trigger("data", last_data[0], last_data[1], None)
        if fl.synack_frame and fl.synack_ts <= limit:
            return Trigger("synack", fl.synack_frame, fl.synack_ts, None)
        if fl.syn_frame and fl.syn_ts <= limit:
            return Trigger("syn", fl.syn_frame, fl.syn_ts, None)
        return Trigger("none", None, None, None)

    # ------------------------------------------------------------------ controls
    def flow_ok(self, fl: Flow) -> bool:
        """Whether the flow worked: a completed TLS handshake (or, where the capture cannot
        show the end of it, e.g. cut by the snap length, a ServerHello and encrypted data from
        the server without a reset either way), an HTTP response, a QUIC answer, or (other
        TCP) data from the server and no reset."""
        t = self.tls_by_flow.get(fl.id)
        if t is not None:
            if t.outcome == "completed":
                return True
            return t.outcome == "incomplete" and t.server_hello_frame is not None \
                and not t.hello_retry_request and t.server_app_data \
                and not fl.h[0].rst and not fl.h[1].rst
        hs = self.http_by_flow.get(fl.id)
        if hs:
            return any(h.status is not None for h in hs) and not (fl.h[0].rst or fl.h[1].rst)
        q = self.quic_by_flow.get(fl.id)
        if q is not None:
            return q.server_answered
        if fl.proto == TCP:
            return fl.h[1].payload > 0 and not fl.h[1].rst and not fl.h[0].rst
        return bool(fl.h[1].pkts)

    def controls(self, fl: Flow, name: str | None, window: float = 600.0,
                 any_port: bool = False) -> tuple[ServerUse | None, ServerUse | None]:
        """(a working flow to the same server endpoint within ``window`` seconds, a working
        one there that asked for another name than ``name``), each None when there is none.
        """
        return self._pool(fl, any_port).controls(fl.id, fl.first_ts,
                                                  name_key(name) if name else None, window)

    def same_name_ok(self, fl: Flow, name: str | None, window: float = 60.0) -> bool:
        """Whether another flow to the same server endpoint asked for the same name within
        ``window`` seconds and worked."""
        return bool(name) and self._pool(fl, False).same_name(
            fl.id, fl.first_ts, name_key(str(name)), window)

    def quic_controls(self, fid: str, ip: str, port: int, t: float, name: str,
                      other_window: float, same_window: float) -> tuple[ServerUse | None, bool]:
        """For a QUIC attempt (flow ``fid``) at ``ip``:``port`` asking for ``name`` at ``t``:
        an answered QUIC connection there for another name within ``other_window`` s, and
        whether one for the same name was answered within ``same_window`` s."""
        key = (ip, port)
        pool = self._quic_pools.get(key)
        if pool is None:
            pool = self._quic_pools[key] = _Pool(self.quic_ok.get(key, []))
        lname = name_key(name)
        _ok, other = pool.controls(fid, t, lname, other_window)
        return other, pool.same_name(fid, t, lname, same_window)

    def _pool(self, fl: Flow, any_port: bool) -> _Pool:
        key = (fl.resp_ip, -1 if any_port else fl.pb)
        pool = self._pools.get(key)
        if pool is None:
            uses = self.uses_ip.get(fl.resp_ip) if any_port else \
                self.uses.get((fl.resp_ip, fl.pb))
            pool = self._pools[key] = _Pool(uses or [])
        return pool

    # ------------------------------------------------------------------ other paths
    def client_endpoint_flows(self, fl: Flow) -> list[Flow]:
        """The TCP flows from this flow's client address to its server endpoint."""
        if self._by_client is None:
            idx: dict[tuple[str, str, int], list[Flow]] = defaultdict(list)
            for f in self.flows:
                if f.proto == TCP and f.syn_frame:
                    idx[(f.orig_ip, f.resp_ip, f.pb)].append(f)
            self._by_client = idx
        return self._by_client.get((fl.orig_ip, fl.resp_ip, fl.pb), [])

    def client_path_alive(self, fl: Flow, slack: float) -> bool:
        """Whether the flow's client address completed a TCP handshake with another server
        from ``slack`` s before the flow to ``slack`` s after its last packet: the client's
        own path was working meanwhile."""
        if self._handshakes is None:
            hs: dict[str, list[tuple[float, str]]] = defaultdict(list)
            for f in self.flows:
                if f.proto == TCP and f.synack_frame:
                    hs[f.orig_ip].append((f.synack_ts, f.resp_ip))
            self._handshakes = {k: ([t for t, _ in v], [ip for _, ip in v])
                                for k, v in ((k, sorted(v)) for k, v in hs.items())}
        times, servers = self._handshakes.get(fl.orig_ip, ([], []))
        lo = bisect_left(times, fl.first_ts - slack)
        hi = bisect_right(times, fl.last_ts + slack)
        return any(servers[i] != fl.resp_ip for i in range(lo, hi))

    def other_client_answered(self, fl: Flow, window: float) -> Flow | None:
        """A flow to the same server endpoint from another client address (another path: a
        VPN tunnel's address, another vantage point) that the server answered with a
        SYN/ACK within ``window`` s of this flow."""
        if self._answered is None:
            idx: dict[tuple[str, int], list[Flow]] = defaultdict(list)
            for f in self.flows:
                if f.proto == TCP and f.synack_frame:
                    idx[(f.resp_ip, f.pb)].append(f)
            self._answered = idx
        for other in self._answered.get((fl.resp_ip, fl.pb), ()):
            if other.orig_ip != fl.orig_ip and abs(other.synack_ts - fl.first_ts) <= window:
                return other
        return None


def syn_packets(fl: Flow) -> list[tuple[int, float]]:
    """(frame, ts) of the originator's SYNs among the kept packets."""
    return [(p[0], p[1]) for p in fl.kept if p[2] == 0 and p[3] & SYN and not p[3] & 0x10]
