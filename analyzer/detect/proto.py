"""Evidence about DNS, TLS, HTTP and QUIC exchanges: the protocol events with the comparisons
a rule needs (race between responses, answer against fingerprint lists, natural controls).
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any

from ..events import (
    DnsResponse,
    DnsTransaction,
    HttpExchange,
    QuicHandshakeEvent,
    TlsHandshakeEvent,
)
from ..fingerprints import Fingerprints
from ..flows import ACK, SYN
from .certs import issuer_is_public
from .context import (
    InputContext,
    ServerUse,
    first_data_acked,
    is_public_ip,
    is_public_name,
    name_key,
)
from .tcp import add_controls, common, handshake_packet

Event = dict[str, Any]


#: Fingerprint scopes that stand for a state's or an ISP's blocking (not an opt-in filter
#: service, an institution's filter or a vague word).
STRONG_DNS_SCOPES = frozenset(("nat", "isp"))



def _bogon_kind(ip: str) -> str:
    """loopback, unspecified, link-local, teredo, private or other, for an answer in bogon
    space (Teredo, 2001::/32, is where the GFW's forged AAAA answers often point)."""
    try:
        a = ipaddress.ip_address(ip)
    except ValueError:
        return "other"
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    if a.is_loopback:
        return "loopback"
    if a.is_unspecified or (isinstance(a, ipaddress.IPv4Address) and a.packed[0] == 0):
        return "unspecified"
    if a.is_link_local:
        return "link-local"
    if isinstance(a, ipaddress.IPv6Address) and a.teredo is not None:
        return "teredo"
    if a.is_private:
        return "private"
    return "other"


# ---------------------------------------------------------------------------- DNS

def _base(ctx: InputContext, fid: str, transport: str, client: tuple[str, int],
          server: tuple[str, int]) -> Event:
    """The common fields of an event read from flow ``fid`` (its flow normally exists; the
    addresses of the event stand in when it does not)."""
    fl = ctx.by_id.get(fid)
    if fl is not None:
        return common(ctx, fl)
    return {"flow.id": fid, "transport": transport, "client.ip": client[0],
            "client.port": client[1], "server.ip": server[0], "server.port": server[1]}


def _answer_set(r: Any) -> frozenset[tuple[str, str]]:
    return frozenset((a.type, a.value.lower().rstrip(".")) for a in r.answers)


#: Largest step between the IP IDs of two responses that still reads as one sender's counter.
SAME_STACK_IPID_STEP = 64


def same_stack(rs: tuple[DnsResponse, ...]) -> bool:
    """Whether every response left one IPv4 stack: the same IP TTL and DF bit, and each IP ID
    1 to :data:`SAME_STACK_IPID_STEP` above the one before (modulo 2**16). An on-path injector
    sends from its own stack, with its own IP ID counter; responses that continue one counter
    came from one sender, e.g. a home router relaying what several upstreams answered."""
    if len(rs) < 2:
        return False
    prev = rs[0]
    if prev.ip_id is None or prev.ip_ttl is None:
        return False
    for r in rs[1:]:
        if r.ip_id is None or r.ip_ttl != prev.ip_ttl or r.df != prev.df:
            return False
        if not 1 <= (r.ip_id - prev.ip_id) & 0xFFFF <= SAME_STACK_IPID_STEP:
            return False
        prev = r
    return True


#: The IP TTLs / hop limits a stack starts from: a packet still carrying one crossed no router.
INITIAL_TTLS = frozenset((64, 128, 255))


def same_hops(rs: tuple[DnsResponse, ...], usual: int | None) -> bool:
    """Whether every response took the one path a single sender's would: one IP TTL (hop
    limit) and one DF bit, and that TTL either is still a stack's initial value (64, 128 or
    255: no router decremented it, so the sender is on the client's own link, where no
    on-path injector sits) or, when no IP ID tells senders apart (IPv6, or IP ID 0), is the
    resolver's usual TTL from its other answers in the capture. This is what a relay (a home
    router passing on what several upstreams answered) looks like where :func:`same_stack`'s
    IP ID test cannot apply; an injector's TTL is its own (Hold-On: 0-255 against a stable
    genuine one)."""
    if len(rs) < 2:
        return False
    ttl, df = rs[0].ip_ttl, rs[0].df
    if ttl is None or any(r.ip_ttl != ttl or r.df != df for r in rs[1:]):
        return False
    if ttl in INITIAL_TTLS:
        return True
    return ttl == usual and all(not r.ip_id for r in rs)


#: The NAT64 prefixes a DNS64 resolver synthesises AAAA answers in (RFC 6052 well-known
#: prefix, RFC 8215 local-use prefix).
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def _synthesised(addr: str) -> bool:
    try:
        a = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return a.version == 6 and any(a in n for n in NAT64_PREFIXES)


def dns64_split(rs: tuple[DnsResponse, ...]) -> bool:
    """Whether the responses split into DNS64-synthesised AAAA answers (every AAAA in a NAT64
    prefix) and native ones (none in it): one resolver path synthesises, the other does
    not, as when a router relays the answers of two upstreams."""
    synth = native = False
    for r in rs:
        aaaa = [a.value for a in r.answers if a.type == "AAAA"]
        if not aaaa:
            continue
        marks = {_synthesised(v) for v in aaaa}
        if marks == {True}:
            synth = True
        elif marks == {False}:
            native = True
        else:
            return False
    return synth and native


def dns_event(ctx: InputContext, tx: DnsTransaction, fp: Fingerprints | None) -> Event:
    name = tx.qname.rstrip(".") if tx.qname else None
    rs = tx.responses
    first = rs[0] if rs else None
    last = rs[-1] if rs else None
    differ = len(rs) > 1 and len({(_answer_set(r), r.rcode) for r in rs}) > 1
    # the resolver's usual IP TTL, from its other responses in this capture
    own: dict[int, int] = {}
    for r in rs:
        if r.ip_ttl is not None:
            own[r.ip_ttl] = own.get(r.ip_ttl, 0) + 1
    others = {t: k for t, n in ctx.resolver_ttls.get(tx.server_ip, {}).items()
              if (k := n - own.get(t, 0)) > 0}
    usual = None
    if others:
        top = max(others.values())
        usual = min(t for t, n in others.items() if n == top)
    qtype = tx.qtype_name or ""
    a_for_aaaa = a_for_other = False
    if qtype == "AAAA" or qtype not in ("A", "ANY", "CNAME", ""):
        lname = name.lower() if name else ""
        types = [{a.type for a in r.answers if name and a.name.lower().rstrip(".") == lname}
                 for r in rs]
        a_for_aaaa = qtype == "AAAA" and any("A" in t and "AAAA" not in t for t in types)
        a_for_other = qtype != "AAAA" and any("A" in t and qtype not in t for t in types)
    addresses: list[str] = []
    for r in rs:
        for a in r.addresses:
            if a not in addresses:
                addresses.append(a)
    forged_addresses = []
    if differ and last is not None:
        genuine = set(last.addresses)
        forged_addresses = [a for a in addresses if a not in genuine]
    fp_lists: list[str] = []
    fp_names: list[str] = []
    fp_scopes: list[str] = []
    strong = False
    bogons: list[str] = []
    bogon_kinds: list[str] = []
    if fp is not None:
        for a in addresses:
            for m in fp.dns_address(a, qname=name):
                if m.scope == "fp":
                    continue
                if m.list not in fp_lists:
                    fp_lists.append(m.list)
                fp_names.append(m.name)
                fp_scopes.append(m.scope)
                strong = strong or m.scope in STRONG_DNS_SCOPES
            b = fp.is_bogon(a)
            if b is not None:
                bogons.append(a)
                kind = _bogon_kind(a)
                if kind not in bogon_kinds:
                    bogon_kinds.append(kind)
    # copies of the query sent before the first response: each may draw its own (and, from
    # an anycast resolver, a different) answer, so only responses beyond them are a race
    first_frame = rs[0].frame if rs else 0
    queries = sum(1 for f in tx.query_frames if not first_frame or f < first_frame)
    nx_race = len(rs) >= 2 and len(rs) > queries and rs[0].rcode != 0 and any(
        r.rcode == 0 and r.addresses for r in rs[1:])
    stack, split, hops = same_stack(rs), dns64_split(rs), same_hops(rs, usual)
    forgery_shape = bool(first and last and not first.edns and last.edns) or any(
        x in fp_lists for x in ("gfw-lie-ip", "injector-pool"))
    frames = list(tx.query_frames[:1]) + list(tx.response_frames)
    # the natural control: the same name and type resolved through another resolver
    other_ip = None
    agrees = None
    if name:
        for ip, addrs in ctx.answers_by_name.get((name.lower(), qtype), {}).items():
            if ip != tx.server_ip:
                other_ip = ip
                agrees = bool(addrs & set(addresses))
                if agrees:
                    break
    return {
        "event": "dns.transaction",
        "frames": frames,
        "flow.id": tx.flow, "transport": tx.transport,
        "client.ip": tx.client_ip, "client.port": tx.client_port,
        "server.ip": tx.server_ip, "server.port": tx.server_port,
        "domain": name, "domain.source": "qname", "name.public": is_public_name(name),
        "trigger.kind": "dns-query", "trigger.frame": tx.query_frames[0]
        if tx.query_frames else None, "trigger.ts": tx.query_ts, "trigger.name": name,
        "dns.id": tx.id,
        "dns.qname": name,
        "dns.qtype": qtype or None,
        "dns.responses": len(rs),
        "dns.queries": queries,
        "dns.answers_differ": differ,
        "dns.rcodes": [r.rcode_name for r in rs],
        "dns.first.rcode": first.rcode_name if first else None,
        "dns.first.addresses": list(first.addresses) if first else [],
        "dns.first.ip_ttl": first.ip_ttl if first else None,
        "dns.first.delay_ms": first.delay_ms if first else None,
        "dns.first.authority": len(first.authority) if first else None,
        "dns.first.frame": first.frame if first else None,
        "dns.first.edns": first.edns if first else None,
        "dns.last.rcode": last.rcode_name if last else None,
        "dns.last.addresses": list(last.addresses) if last else [],
        "dns.last.ip_ttl": last.ip_ttl if last else None,
        "dns.last.delay_ms": last.delay_ms if last else None,
        "dns.last.edns": last.edns if last else None,
        "dns.same_stack": stack,
        "dns.dns64_split": split,
        "dns.same_hops": hops,
        "dns.race": differ and len(rs) > queries,
        "dns.relayed": stack or split or hops,
        "dns.forgery_shape": forgery_shape,
        "dns.ip_ttl_spread": (max(ttls) - min(ttls)) if (ttls := [
            r.ip_ttl for r in rs if r.ip_ttl is not None]) else None,
        "dns.resolver_ttl": usual,
        "dns.first_ttl_delta": (first.ip_ttl - usual) if first and first.ip_ttl is not None
        and usual is not None else None,
        "dns.addresses": addresses,
        "dns.forged_addresses": forged_addresses,
        "dns.nxdomain_race": nx_race,
        "dns.a_for_aaaa": a_for_aaaa,
        "dns.a_for_other_qtype": a_for_other,
        "control.other_resolver": other_ip,
        "control.other_resolver_agrees": agrees,
        "fp.dns_lists": fp_lists,
        "fp.dns_names": fp_names,
        "fp.dns_scopes": fp_scopes,
        "fp.dns_strong": strong,
        "dns.bogons": bogons,
        "dns.bogon_kinds": bogon_kinds,
    }


def dns_suspect(ev: Event) -> bool:
    """Whether a DNS event shows tampering evidence (used to corroborate other signals)."""
    # as rule dns-injection/race-different-answers
    race = ev["dns.race"] and (not ev["dns.relayed"] or ev["dns.forgery_shape"])
    return bool(race or ev["dns.a_for_aaaa"] or ev["dns.a_for_other_qtype"]
                or "dns-blockpage" in ev["fp.dns_lists"] or ev["dns.nxdomain_race"])


# ---------------------------------------------------------------------------- TLS

def expired_days(not_after: str, at: float | None) -> float | None:
    """Days from a certificate's notAfter (ISO 8601 UTC, as x509 writes it) to ``at``
    (positive: it had expired by then); None when either is unknown."""
    if not not_after or at is None:
        return None
    try:
        end = datetime.fromisoformat(not_after.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
    return round((at - end) / 86400.0, 1)


def tls_event(ctx: InputContext, t: TlsHandshakeEvent, fp: Fingerprints | None) -> Event:
    fl = ctx.by_id.get(t.flow)
    ev = _base(ctx, t.flow, "tcp", (t.client_ip, t.client_port), (t.server_ip, t.server_port))
    if t.sni:
        ev["domain"], ev["domain.source"] = t.sni, "sni"
        ev["name.public"] = is_public_name(t.sni)
    certs = t.certificates
    leaf = certs[0] if certs else None
    top = certs[-1] if certs else None
    match = None
    if fp is not None and certs:
        for c in certs:
            match = fp.tls_issuer(c.issuer, c.subject, [c.sha256])
            if match is not None:
                break
    acked = first_data_acked(fl) if fl is not None else None
    first_alert = t.alerts[0] if t.alerts else None
    frames = list(t.client_hello_frames)
    for f in (t.server_hello_frame, t.certificate_frame, t.rst_frame, t.fin_frame):
        if f:
            frames.append(f)
    if first_alert and first_alert.frame:
        frames.append(first_alert.frame)
    ev.update({
        "event": "tls.handshake",
        "frames": sorted(set(frames)),
        "trigger.kind": "tls-sni" if t.sni else "tls-client-hello",
        "trigger.frame": t.client_hello_frames[0] if t.client_hello_frames else None,
        "trigger.ts": t.client_hello_ts, "trigger.name": t.sni,
        "server.public": is_public_ip(t.server_ip),
        "tls.sni": t.sni,
        "tls.outcome": t.outcome,
        "tls.ech": t.ech, "tls.esni": t.esni,
        "tls.client_hello_retransmissions": t.client_hello_retransmissions,
        "tls.client_hello_acked": acked,
        "tls.server_hello": t.server_hello_frame is not None,
        "tls.version": t.server_version,
        "tls.alert": first_alert.name if first_alert else None,
        "tls.alert_from": first_alert.direction if first_alert else None,
        "tls.alert_encrypted": first_alert.encrypted if first_alert else None,
        "tls.rst_from": t.rst_from, "tls.rst_ms": t.rst_ms,
        "tls.fin_from": t.fin_from, "tls.fin_ms": t.fin_ms,
        "cert.count": len(certs),
        "cert.trusted": t.cert_trusted,
        "cert.chain_trusted": t.cert_chain_trusted,
        "cert.hostname_matches": t.cert_hostname_matches,
        "cert.error": t.cert_error,
        "cert.subject": leaf.subject if leaf else None,
        "cert.issuer": leaf.issuer if leaf else None,
        "cert.root_issuer": top.issuer if top else None,
        "cert.self_signed": leaf.self_signed if leaf else None,
        "cert.expired_days": expired_days(leaf.not_after, t.client_hello_ts or t.server_hello_ts)
        if leaf else None,
        "cert.sha256": leaf.sha256 if leaf else None,
        "cert.issuer_public": issuer_is_public([c.issuer for c in certs])
        if certs and t.cert_chain_trusted is False else (True if certs else None),
        "cert.issuer_names": len(ctx.untrusted_by_issuer.get(leaf.issuer, ()))
        if leaf is not None and t.cert_chain_trusted is False else 0,
        "cert.trusted_names": len(ctx.trusted_names),
        "fp.tls_ca": match.name if match else None,
        "fp.tls_scope": match.scope if match else None,
    })
    if fl is not None and t.outcome != "completed":
        add_controls(ev, ctx, fl)  # controls matter for handshakes that failed
        ok_any, _ = ctx.controls(fl, None, any_port=True)
        ev["control.same_address_ok"] = ok_any is not None
        ev["control.same_address_flow"] = ok_any.flow if ok_any else None
        ev["tls.unacked_hellos_to_server"] = ctx.unacked_hellos.get((t.server_ip,
                                                                     t.server_port), 0)
        ev["tls.unacked_hellos_for_name"] = ctx.unacked_for_name.get(
            (name_key(t.sni), t.server_port), 0) if t.sni else 0
        ev["tcp.synacks"] = sum(1 for p in fl.kept
                                if p[2] == 1 and p[3] & (SYN | ACK) == SYN | ACK)
    return ev


# ---------------------------------------------------------------------------- HTTP

def http_event(ctx: InputContext, h: HttpExchange, fp: Fingerprints | None) -> Event:
    fl = ctx.by_id.get(h.flow)
    ev = _base(ctx, h.flow, "tcp", (h.client_ip, h.client_port), (h.server_ip, h.server_port))
    host = h.host.split(":")[0] if h.host and not h.host.startswith("[") else h.host
    if host:
        ev["domain"], ev["domain.source"] = host, "host"
        ev["name.public"] = is_public_name(host)
    match = None
    if fp is not None and h.status is not None:
        headers = {k: v for k, v in (("location", h.location), ("server", h.server_header),
                                     ("content-type", h.content_type)) if v}
        match = fp.http_response(h.status, headers, h.body_prefix)
    ttl_delta = None
    resp_ttl = None
    if fl is not None and h.response_frames:
        rf = h.response_frames[0]
        hs = handshake_packet(fl, 1)
        pk = next((p for p in fl.kept if p[0] == rf and p[2] == 1), None)
        if pk is not None:
            resp_ttl = pk[7]
            if hs is not None:
                ttl_delta = pk[7] - hs[7]
    rtt = ev.get("rtt_ms")
    ev.update({
        "event": "http.exchange",
        "frames": list(h.request_frames[:1]) + list(h.response_frames[:2]),
        "trigger.kind": "http-host" if host else "http-request",
        "trigger.frame": h.request_frames[0] if h.request_frames else None,
        "trigger.ts": h.request_ts, "trigger.name": host,
        "http.host": host, "http.method": h.method, "http.target": h.target,
        "http.status": h.status, "http.reason": h.reason, "http.location": h.location,
        "http.server": h.server_header, "http.content_type": h.content_type,
        "http.body_length": h.body_length, "http.body_prefix": h.body_prefix,
        "http.response_ms": h.response_ms,
        "http.response_ttl": resp_ttl,
        "http.response_ttl_delta": ttl_delta,
        "http.faster_than_rtt": (h.response_ms < 0.5 * rtt) if h.response_ms is not None
        and rtt else None,
        "fp.http_list": match.list if match else None,
        "fp.http_name": match.name if match else None,
        "fp.http_scope": match.scope if match else None,
        "fp.http_pattern": match.pattern if match else None,
    })
    return ev


# ---------------------------------------------------------------------------- QUIC

def quic_event(ctx: InputContext, q: QuicHandshakeEvent) -> Event:
    ev = _base(ctx, q.flow, "udp", (q.client_ip, q.client_port), (q.server_ip, q.server_port))
    if q.sni:
        ev["domain"], ev["domain.source"] = q.sni, "quic-sni"
        ev["name.public"] = is_public_name(q.sni)
    # the TCP fallback: a TLS handshake for the same name, or any working TCP flow to the
    # same server address, in the same capture
    same_name = ctx.completed_by_name.get(name_key(q.sni), []) \
        if q.sni and not q.server_answered else []
    same_ip = next((u for u in ctx.uses_ip.get(q.server_ip, ()) if u.flow != q.flow
                    and u.flow.startswith("tcp:")), None) if not q.server_answered else None
    # the QUIC control: the same server endpoint answering QUIC for another name (and, to
    # rule out a passing loss, for the same name within a minute)
    other_q: ServerUse | None = None
    same_q = False
    if q.sni and not q.server_answered:
        other_q, same_q = ctx.quic_controls(q.flow, q.server_ip, q.server_port,
                                            q.first_initial_ts or 0.0, q.sni,
                                            QUIC_OTHER_NAME_WINDOW, QUIC_SAME_NAME_WINDOW)
    frames = list(q.client_hello_frames[:3])
    if q.first_initial_frame and q.first_initial_frame not in frames:
        frames.insert(0, q.first_initial_frame)
    ev.update({
        "event": "quic.handshake",
        "frames": frames,
        "trigger.kind": "quic-sni" if q.sni else "quic-initial",
        "trigger.frame": q.first_initial_frame, "trigger.ts": q.first_initial_ts,
        "trigger.name": q.sni,
        "quic.sni": q.sni, "quic.version": q.version_name, "quic.decrypted": q.decrypted,
        "quic.initials": q.client_initials, "quic.answered": q.server_answered,
        "quic.server_first_ms": q.server_first_ms,
        "quic.sport_gt_dport": q.client_port > q.server_port,
        "quic.answered_servers": len(ctx.quic_answered_ips),
        "quic.unanswered_servers": len(ctx.quic_unanswered_ips),
        "control.tcp_same_name_ok": bool(same_name),
        "control.tcp_same_server_ok": same_ip is not None,
        "control.flow": same_name[0].flow if same_name else (same_ip.flow if same_ip
                                                             else None),
        "control.quic_other_name_ok": other_q is not None,
        "control.quic_other_name": other_q.name if other_q is not None else None,
        "control.quic_flow": other_q.flow if other_q is not None else None,
        "control.quic_same_name_ok": same_q,
    })
    return ev


#: How far from a dropped QUIC attempt a QUIC handshake for another name on the same server
#: counts as its control, and one for the same name as proof the name works (s).
QUIC_OTHER_NAME_WINDOW = 600.0
QUIC_SAME_NAME_WINDOW = 60.0
