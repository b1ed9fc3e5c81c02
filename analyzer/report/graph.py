"""The flow graph: who talked to whom, which names led where, and where the findings sit.

A finding says "this reset was forged" or "this DNS answer was forged"; a reader also wants to
see the path around it: the client asked this resolver for this name, got these addresses
(one of them forged), connected to that server with that SNI, and the connection was reset.
:func:`build` turns an :class:`~analyzer.model.Analysis` into a networkx ``MultiDiGraph``
that shows exactly that, :func:`write` saves it for Gephi or Cytoscape (GraphML or node-link
JSON) and :func:`svg` draws it as an inline ``<svg>`` element for the HTML report.

Why a *multi* graph: one pair of nodes can be joined for several reasons at once (the name
``www.example.com`` *resolves to* 192.0.2.1 and a TLS connection to 192.0.2.1 *used that SNI*;
a client reaches one server on tcp/443 and udp/443). Each reason is its own edge with a stable,
readable key (``tcp/443``, ``udp/53``, ``icmp``, ``resolves-to``, ``sni``, ``host``).

Nodes (ids are stable and readable; attribute values are only str/int/float/bool):

* ``ip:<address>`` for every address seen in a flow, a DNS answer or a finding target.
  ``kind`` is ``client``, ``resolver`` or ``server``: the role the address played in the most
  flows (client = originator; resolver = responder of a flow that carried DNS, or of a flow to
  port 53/853; server = responder of any other flow). Ties go to resolver, then server, then
  client; an address seen in no flow (only in a DNS answer or a finding) is a server, or a
  resolver when a finding names it on port 53. ``roles`` shows the counts (``client:3
  server:1``). Only TCP and UDP flows count for roles: the originator of an ICMP error is a
  router, not a client (an address seen only in ICMP flows is a server).
* ``name:<name>`` for every DNS qname, TLS/QUIC SNI and HTTP Host (lower-cased, trailing dot
  removed, port removed from Host, IP literals skipped since the address node says it all;
  at most :data:`MAX_NAME` characters). ``kind`` is ``name``; ``sources`` says where it was
  seen (``dns http quic tls``).

Every node carries ``kind``, ``label``, ``flows`` (flows it took part in), ``roles``,
``sources``, ``findings`` (space-joined ids, "" if none), ``mechanisms`` (space-joined, in
finding order) and ``observations`` (space-joined ids).

Edges (every edge carries every attribute, with 0 / "" / False when it does not apply, so that
GraphML declares one type per key):

* ``kind="flow"`` or ``kind="dns"`` (the flows carried DNS), client -> server/resolver, one
  per (transport, responder port): ``flows``, ``packets``, ``bytes`` (both directions, IP
  bytes), ``states`` (connection states by count, e.g. ``SF:2 RSTR:1``), ``queries`` (DNS
  transactions), ``transport``, ``port``.
* ``kind="resolves-to"``, name -> address, from the A/AAAA addresses of DNS responses (CNAME
  chains are collapsed onto the queried name): ``answers`` (responses that carried the
  address), ``qtypes``, ``resolvers``, and ``forged=True`` when a dns-injection or
  dns-tampering *finding* calls that address forged (its evidence ``dns.forged_addresses``;
  else ``dns.first.addresses`` minus ``dns.last.addresses``; ``dns.bogons``; and for
  dns-tampering ``dns.addresses``).
* ``kind="sni"`` (TLS and QUIC) or ``kind="host"`` (HTTP), name -> server, when a connection to
  that address used that name: ``flows``, ``transport``, ``port`` (0 when several).

Which findings an element carries: a finding's flows mark the flow, sni and host edges that
aggregate one of them and both endpoints; a finding without flows marks instead the edges
towards its target address (same port and transport when given). Its target address and
target name nodes are marked (and created if the capture never showed them), a DNS finding
also marks its forged addresses and their resolves-to edges. Observations (weaker signals)
are recorded the same way in ``observations`` but never set ``forged`` nor colour anything.

Everything is bounded: flows are aggregated per node pair and key; :func:`build` keeps at most
``max_nodes`` nodes (finding-related first, then by flows; ``g.graph["nodes_omitted"]`` counts
the rest), and :func:`svg` draws at most its own ``max_nodes`` and ``4 * max_nodes`` edges
and says how many were left out.

Every string came from a capture and is hostile: characters XML cannot carry (controls,
surrogates) and bidirectional overrides are replaced by U+FFFD when the graph is built, and
the SVG escapes every text and attribute value.

The drawing needs no layout library (numpy is not a dependency): four columns, clients |
resolvers | names | servers (empty ones left out), one box per node with its label (cut with
an ellipsis, the full text in a ``<title>`` tooltip) and a detail line (ports, flow count,
finding ids) so that the print shows what the tooltips say. Clients and names are sorted
finding-related first, then by address / alphabetically; servers follow the rows of the names
and clients that point at them. Adjacent columns are joined by S-curves; edges that skip a
column run along the lane between two rows so that they never pass behind a box. Elements
in a finding take its mechanism's colour (first finding first), dashed when a DNS answer is
forged; everything else is grey; a legend lists what is shown.

SVG hooks for the page's filter script (no ids, so several graphs can share a page):

* root ``<svg class="fg-graph" data-nodes-drawn data-nodes-omitted data-edges-omitted>``;
* each node ``<g class="fg-node fg-kind-<kind> [fg-finding fg-m-<mechanism>...]
  [fg-observation]" data-id data-kind data-label data-flows data-findings data-mechanisms
  data-observations>`` (a ``<title>`` tooltip, a ``<rect>``, two ``<text>``);
* each edge ``<g class="fg-edge fg-kind-<kind> [fg-finding fg-m-...] [fg-observation]
  [fg-forged]" data-source data-target data-key data-kind data-findings data-mechanisms
  data-observations data-forged>`` (a ``<title>``, a ``<path>``, an arrowhead ``<polygon>``);
* ``<g class="fg-legend">`` and ``<text class="fg-omitted">``.

To show one finding, keep the elements whose ``data-findings`` contains its id (split on
spaces). Client nodes carry the findings of their flows but are never coloured: the client
is the vantage point and takes part in every finding.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

import networkx as nx

from ..model import Analysis

__all__ = ["MECHANISM_COLOURS", "build", "node_link_json", "svg", "write", "write_graphml"]

MAX_NAME = 255
"""Longest name kept (characters); longer captured names are cut (DNS allows 253)."""
MAX_LIST = 16
"""Most values kept in a list-valued edge attribute (resolvers, qtypes)."""
DNS_PORTS = (53, 853)
DNS_MECHANISMS = ("dns-injection", "dns-tampering")

MECHANISM_COLOURS: dict[str, str] = {
    "dns-injection": "#d62728",
    "dns-tampering": "#ff7f0e",
    "rst-injection": "#9467bd",
    "packet-injection": "#8c564b",
    "blockpage": "#e377c2",
    "tls-mitm": "#1f77b4",
    "blackhole": "#222222",
    "throttling": "#9a9a00",
    "residual-blocking": "#17becf",
}
"""Colour of each mechanism of the contract in the SVG (nodes, edges, legend)."""
OTHER_MECHANISM_COLOUR = "#6b6b6b"
NO_FINDING_COLOUR = "#b5b5b5"
KIND_FILLS = {"client": "#e8f0fe", "resolver": "#fdf1dc", "name": "#eaf6ea",
              "server": "#f2f2f2"}

# Characters XML 1.0 cannot carry, C0/C1 controls, and bidirectional overrides that would
# let a hostile name display as something else.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_CSS_SAFE = re.compile(r"[^a-z0-9-]")


def _clean(s: str) -> str:
    return _UNSAFE.sub("\ufffd", s)


def _norm_name(raw: object, *, host: bool = False) -> str | None:
    """A name as a node: lower-case, no trailing dot, no port (Host), not an IP literal."""
    if not isinstance(raw, str):
        return None
    s = raw.strip().lower()[: MAX_NAME + 64]
    if host:
        if s.startswith("["):
            return None  # [IPv6]:port
        if s.count(":") == 1:
            s = s.split(":", 1)[0]
    s = s.rstrip(".")
    if not s:
        return None
    try:
        ipaddress.ip_address(s)
        return None
    except ValueError:
        pass
    return _clean(s[:MAX_NAME])


def _str_list(v: object) -> list[str]:
    if isinstance(v, list | tuple):
        return [x for x in v if isinstance(x, str)]
    return []


@dataclass(slots=True)
class _Claim:
    """A finding or an observation, reduced to what the graph matches on."""

    order: int
    id: str
    mechanism: str
    finding: bool
    domain: str | None
    ip: str | None
    port: int | None
    transport: str | None
    flows: list[tuple[int | None, str]]
    forged: frozenset[str]


def _claims(items: Iterable[Mapping[str, Any]], *, finding: bool, start: int) -> list[_Claim]:
    out: list[_Claim] = []
    for i, f in enumerate(items):
        if not isinstance(f, Mapping):
            continue
        tgt = f.get("target")
        tgt = tgt if isinstance(tgt, Mapping) else {}
        ip = tgt.get("ip")
        port = tgt.get("port")
        transport = tgt.get("transport")
        inp = f.get("input")
        inp = inp if isinstance(inp, int) and not isinstance(inp, bool) else None
        mech = f.get("mechanism")
        mech = _clean(mech) if isinstance(mech, str) else ""
        forged: set[str] = set()
        if mech in DNS_MECHANISMS:
            ev = {e.get("name"): e.get("value") for e in f.get("evidence") or ()
                  if isinstance(e, Mapping)}
            if "dns.forged_addresses" in ev:
                forged.update(_str_list(ev["dns.forged_addresses"]))
            else:
                forged.update(set(_str_list(ev.get("dns.first.addresses")))
                              - set(_str_list(ev.get("dns.last.addresses"))))
            forged.update(_str_list(ev.get("dns.bogons")))
            if mech == "dns-tampering":
                forged.update(_str_list(ev.get("dns.addresses")))
        out.append(_Claim(
            order=start + i,
            id=_clean(str(f.get("id", f"#{start + i}"))),
            mechanism=mech,
            finding=finding,
            domain=_norm_name(tgt.get("domain"), host=True),
            ip=ip if isinstance(ip, str) else None,
            port=port if isinstance(port, int) and not isinstance(port, bool) else None,
            transport=transport if isinstance(transport, str) else None,
            flows=[(inp, x) for x in _str_list(f.get("flows"))],
            forged=frozenset(forged),
        ))
    return out


@dataclass(slots=True)
class _Node:
    flows: int = 0
    roles: list[int] = field(default_factory=lambda: [0, 0, 0])  # client, resolver, server
    hint: str = ""
    sources: set[str] = field(default_factory=set)
    flow_keys: set[tuple[int, str]] = field(default_factory=set)
    claims: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Edge:
    kind: str
    transports: set[str] = field(default_factory=set)
    ports: set[int] = field(default_factory=set)
    flows: int = 0
    packets: int = 0
    bytes: int = 0
    states: Counter[str] = field(default_factory=Counter)
    queries: int = 0
    answers: int = 0
    qtypes: set[str] = field(default_factory=set)
    resolvers: set[str] = field(default_factory=set)
    forged: bool = False
    claims: set[int] = field(default_factory=set)


_ROLE_NAMES = ("client", "resolver", "server")


class _Builder:
    def __init__(self, a: Analysis) -> None:
        self.claims = (_claims(a.findings, finding=True, start=0)
                       + _claims(a.observations, finding=False, start=len(a.findings)))
        self.by_order = {c.order: c for c in self.claims}
        self.flow_claims: dict[tuple[int | None, str], list[_Claim]] = {}
        self.noflow_by_ip: dict[str, list[_Claim]] = {}
        self.by_domain: dict[str, list[_Claim]] = {}
        for c in self.claims:
            for k in c.flows:
                self.flow_claims.setdefault(k, []).append(c)
            if not c.flows and c.ip:
                self.noflow_by_ip.setdefault(c.ip, []).append(c)
            if c.domain:
                self.by_domain.setdefault(c.domain, []).append(c)
        self.nodes: dict[str, _Node] = {}
        self.edges: dict[tuple[str, str, str], _Edge] = {}
        self.named_seen: set[tuple[str, str, str, int, str]] = set()

    def node(self, nid: str) -> _Node:
        n = self.nodes.get(nid)
        if n is None:
            n = self.nodes[nid] = _Node()
        return n

    def edge(self, u: str, v: str, key: str, kind: str) -> _Edge:
        e = self.edges.get((u, v, key))
        if e is None:
            e = self.edges[(u, v, key)] = _Edge(kind)
        return e

    def of_flow(self, inp: int, fid: str) -> list[_Claim]:
        return self.flow_claims.get((inp, fid), []) + self.flow_claims.get((None, fid), [])

    def run(self, a: Analysis) -> None:
        dns_queries: Counter[tuple[int, str]] = Counter((t.input, t.flow) for t in a.dns)
        dns_flows = set(dns_queries)
        dns_flows.update((t.input, t.flow) for t in a.tls if t.dns_over)
        for f in a.flows:
            self.add_flow(f, dns_flows, dns_queries)
        for t in a.dns:
            self.add_dns(t)
        for s in a.tls:
            self.add_named(s.sni, "tls", "sni", "tcp", s.input, s.flow, s.server_ip,
                           s.server_port)
        for q in a.quic:
            self.add_named(q.sni, "quic", "sni", "udp", q.input, q.flow, q.server_ip,
                           q.server_port)
        for h in a.http:
            self.add_named(h.host, "http", "host", "tcp", h.input, h.flow, h.server_ip,
                           h.server_port, host=True)
        for c in self.claims:
            if c.ip:
                n = self.node("ip:" + _clean(c.ip))
                n.claims.add(c.order)
                if c.port in DNS_PORTS and not n.hint:
                    n.hint = "resolver"
            if c.domain:
                self.node("name:" + c.domain).claims.add(c.order)
            for addr in c.forged:
                self.node("ip:" + _clean(addr)).claims.add(c.order)

    def add_flow(self, f: Any, dns_flows: set[tuple[int, str]],
                 dns_queries: Counter[tuple[int, str]]) -> None:
        orig, resp = _clean(f.orig_ip), _clean(f.resp_ip)
        fkey = (f.input, f.id)
        transport = f.transport
        port = f.pb if f.proto in (6, 17) else 0
        key = f"{transport}/{port}" if f.proto in (6, 17) else transport
        is_dns = fkey in dns_flows or (f.proto in (6, 17) and port in DNS_PORTS)
        claims = [c.order for c in self.of_flow(f.input, f.id)]
        claims += [c.order for c in self.noflow_by_ip.get(resp, ())
                   if (c.port is None or c.port == port)
                   and (c.transport is None or c.transport == transport)]
        u, v = "ip:" + orig, "ip:" + resp
        nu = self.node(u)
        nu.flows += 1
        nu.claims.update(claims)
        if v != u:
            nv = self.node(v)
            nv.flows += 1
            nv.claims.update(claims)
        else:
            nv = nu
        if f.proto in (6, 17):  # an ICMP error's originator is a router, not a client
            nu.roles[0] += 1
            nv.roles[1 if is_dns else 2] += 1
        e = self.edge(u, v, key, "dns" if fkey in dns_flows else "flow")
        if fkey in dns_flows:
            e.kind = "dns"
        e.transports.add(transport)
        e.ports.add(port)
        e.flows += 1
        e.packets += f.h[0].pkts + f.h[1].pkts
        e.bytes += f.h[0].bytes + f.h[1].bytes
        if f.conn_state:
            e.states[_clean(f.conn_state)] += 1
        e.queries += dns_queries.get(fkey, 0)
        e.claims.update(claims)

    def add_dns(self, t: Any) -> None:
        q = _norm_name(t.qname)
        if q is None:
            return
        nid = "name:" + q
        n = self.node(nid)
        n.sources.update(("dns",))
        n.flow_keys.add((t.input, t.flow))
        related = self.by_domain.get(q, []) + self.of_flow(t.input, t.flow)
        resolver = _clean(t.server_ip)
        for r in t.responses:
            for addr in dict.fromkeys(r.addresses):
                a = _clean(addr)
                self.node("ip:" + a)
                e = self.edge(nid, "ip:" + a, "resolves-to", "resolves-to")
                e.answers += 1
                if t.qtype_name and len(e.qtypes) < MAX_LIST:
                    e.qtypes.add(_clean(t.qtype_name))
                if len(e.resolvers) < MAX_LIST:
                    e.resolvers.add(resolver)
                for c in related:
                    if addr in c.forged and (c.domain == q or c.domain is None):
                        e.claims.add(c.order)
                        e.forged = e.forged or c.finding

    def add_named(self, raw: str | None, source: str, kind: str, transport: str, inp: int,
                  fid: str, server: str, port: int, *, host: bool = False) -> None:
        name = _norm_name(raw, host=host)
        if name is None:
            return
        nid = "name:" + name
        n = self.node(nid)
        n.sources.add(source)
        n.flow_keys.add((inp, fid))
        srv = _clean(server)
        self.node("ip:" + srv)
        e = self.edge(nid, "ip:" + srv, kind, kind)
        seen = (nid, srv, kind, inp, fid)  # several HTTP exchanges share one connection
        if seen not in self.named_seen:
            self.named_seen.add(seen)
            e.flows += 1
        e.transports.add(transport)
        e.ports.add(port)
        claims = [c.order for c in self.of_flow(inp, fid)]
        claims += [c.order for c in self.by_domain.get(name, ())
                   if not c.flows and c.ip == server]
        e.claims.update(claims)
        n.claims.update(claims)


def _kind(n: _Node) -> str:
    c, r, s = n.roles
    if not (c or r or s):
        return n.hint or "server"
    top = max(c, r, s)
    return "resolver" if r == top else "server" if s == top else "client"


def build(analysis: Analysis, *, pseudonyms: Callable[[str], str] | None = None,
          max_nodes: int = 20_000) -> nx.MultiDiGraph:
    """The flow graph of an analysis (see the module docstring for nodes, edges, attributes).

    ``pseudonyms`` maps an IP address (text) to the text shown instead, e.g. the
    ``--anonymize`` pseudonym of a client address; it is called for every address (return
    the address itself to keep it) and never for names. Ids, labels and ``resolvers`` use its
    output, matching uses the real values. It should be one-to-one: colliding outputs get a
    ``~2``, ``~3`` suffix. At most ``max_nodes`` nodes are kept.
    """
    b = _Builder(analysis)
    b.run(analysis)
    by_order = b.by_order

    def claim_ids(orders: Iterable[int], finding: bool) -> list[_Claim]:
        return [by_order[o] for o in sorted(orders) if by_order[o].finding is finding]

    # keep the finding-related nodes first, then the busiest
    ranked = sorted(b.nodes.items(), key=lambda kv: (
        not any(by_order[o].finding for o in kv[1].claims), -kv[1].flows, kv[0]))
    limit = max(0, max_nodes)
    kept = dict(ranked[:limit])
    omitted = len(ranked) - len(kept)

    # final ids (pseudonymised, collision-free) and labels
    memo: dict[str, str] = {}

    def shown(text: str) -> str:
        """The text shown for an address."""
        if pseudonyms is None:
            return text
        out = memo.get(text)
        if out is None:
            out = memo[text] = _clean(str(pseudonyms(text)))[: MAX_NAME]
        return out

    ids: dict[str, str] = {}
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for raw in sorted(kept):
        prefix, _, text = raw.partition(":")
        label = shown(text) if prefix == "ip" else text
        nid = f"{prefix}:{label}"
        i = 2
        while nid in taken:
            nid = f"{prefix}:{label}~{i}"
            i += 1
        taken.add(nid)
        ids[raw] = nid
        labels[raw] = label

    g = nx.MultiDiGraph()
    g.graph["schema"] = "analyzer/graph/v1"
    g.graph["nodes_omitted"] = omitted
    for raw in sorted(kept, key=lambda r: ids[r]):
        n = kept[raw]
        fs = claim_ids(n.claims, True)
        obs = claim_ids(n.claims, False)
        kind = "name" if raw.startswith("name:") else _kind(n)
        flows = len(n.flow_keys) if kind == "name" else n.flows
        g.add_node(
            ids[raw],
            kind=kind,
            label=labels[raw],
            flows=flows,
            roles=" ".join(f"{nm}:{k}" for nm, k in zip(_ROLE_NAMES, n.roles, strict=True)
                           if k),
            sources=" ".join(sorted(n.sources)),
            findings=" ".join(c.id for c in fs),
            mechanisms=" ".join(dict.fromkeys(c.mechanism for c in fs)),
            observations=" ".join(c.id for c in obs),
        )
    rows = sorted(((ids[u], ids[v], key, e) for (u, v, key), e in b.edges.items()
                   if u in kept and v in kept), key=lambda r: (r[0], r[1], r[2]))
    for u, v, key, e in rows:
        fs = claim_ids(e.claims, True)
        obs = claim_ids(e.claims, False)
        g.add_edge(
            u, v, key=key,
            kind=e.kind,
            transport=" ".join(sorted(e.transports)),
            port=next(iter(e.ports)) if len(e.ports) == 1 else 0,
            flows=e.flows,
            packets=e.packets,
            bytes=e.bytes,
            states=" ".join(f"{s}:{k}" for s, k in sorted(e.states.items(),
                                                          key=lambda x: (-x[1], x[0]))),
            queries=e.queries,
            answers=e.answers,
            qtypes=" ".join(sorted(e.qtypes)),
            resolvers=" ".join(sorted(shown(r) for r in e.resolvers)),
            forged=e.forged,
            weight=max(1, e.flows or e.answers),
            findings=" ".join(c.id for c in fs),
            mechanisms=" ".join(dict.fromkeys(c.mechanism for c in fs)),
            observations=" ".join(c.id for c in obs),
        )
    return g


# ------------------------------------------------------------------------------ writers


def write_graphml(g: nx.MultiDiGraph | nx.DiGraph, path: str | Path) -> None:
    """GraphML for Gephi, Cytoscape or yEd (edge ids are the edge keys)."""
    nx.write_graphml(g, str(path))


def node_link_json(g: nx.MultiDiGraph | nx.DiGraph) -> str:
    """networkx node-link JSON (``nodes``, ``edges`` with ``key``), sorted keys, one
    trailing newline: byte-identical for the same graph. ``<``, ``>`` and ``&`` are written
    as ``\\u003c`` ... escapes (the same JSON value), so that the text can also be embedded
    in an HTML ``<script>`` element."""
    data = nx.node_link_data(g, edges="edges")
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)
    # the same JSON, but safe to paste into an HTML <script> block
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def write(g: nx.MultiDiGraph | nx.DiGraph, path: str | Path) -> None:
    """Node-link JSON when ``path`` ends in ``.json``, GraphML otherwise."""
    p = Path(path)
    if p.suffix.lower() == ".json":
        p.write_text(node_link_json(g), encoding="utf-8")
    else:
        write_graphml(g, p)


# ---------------------------------------------------------------------------------- SVG

_COLUMNS = (("client", "Clients"), ("resolver", "Resolvers"), ("name", "Names"),
            ("server", "Servers"))
LABEL_CHARS = 30
DETAIL_CHARS = 36
BOX_W = 212
BOX_H = 32
ROW = 46
GAP = 140
MARGIN = 16
TOP = 44


def _esc(value: object) -> str:
    # line breaks of our own tooltips survive; every other control character is replaced
    text = "\n".join(_clean(part) for part in str(value).split("\n"))
    return _xml_escape(text, {'"': "&quot;", "'": "&#39;"})


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "\u2026"


def _num(x: float) -> str:
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _words(v: object) -> list[str]:
    return str(v).split() if v else []


def _int(v: object) -> int:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    try:
        return int(str(v))
    except ValueError:
        return 0


def _true(v: object) -> bool:
    return v is True or str(v).lower() == "true"


def _colour(mechanisms: list[str]) -> str:
    if not mechanisms:
        return NO_FINDING_COLOUR
    return MECHANISM_COLOURS.get(mechanisms[0], OTHER_MECHANISM_COLOUR)


def _classes(base: str, kind: str, d: Mapping[str, Any]) -> str:
    cls = [base, "fg-kind-" + _CSS_SAFE.sub("-", kind.lower())]
    mechs = _words(d.get("mechanisms"))
    if _words(d.get("findings")):
        cls.append("fg-finding")
        cls += ["fg-m-" + _CSS_SAFE.sub("-", m.lower()) for m in mechs]
    if _words(d.get("observations")):
        cls.append("fg-observation")
    if _true(d.get("forged")):
        cls.append("fg-forged")
    return " ".join(cls)


def _ip_key(label: str) -> tuple[int, int, str]:
    try:
        ip = ipaddress.ip_address(label)
        return (ip.version, int(ip), "")
    except ValueError:
        return (9, 0, label)


def _attrs(**kw: object) -> str:
    return "".join(f' {k.replace("_", "-")}="{_esc(v)}"' for k, v in kw.items())


#: The words the drawing shows, by key; a report in another language passes its own
#: (``analyzer/report/locale``, keys ``graph.*``).
WORDS: dict[str, str] = {
    "client": "Clients", "resolver": "Resolvers", "name": "Names", "server": "Servers",
    "no_flows": "No flows to draw.", "nodes_omitted": "{count} more nodes not drawn",
    "edges_omitted": "{count} more edges not drawn", "no_finding": "no finding",
    "forged": "forged DNS answer", "title": "Flow graph: {nodes} nodes, {edges} edges",
}


def svg(g: nx.MultiDiGraph | nx.DiGraph, *, max_nodes: int = 120,
        words: Mapping[str, str] | None = None) -> str:
    """The graph as one inline ``<svg>`` element (no XML prolog), columns clients |
    resolvers | names | servers; at most ``max_nodes`` nodes (finding-related first, then by
    flows) and ``4 * max_nodes`` edges. Deterministic: the same graph gives the same bytes.
    ``words`` replaces entries of :data:`WORDS` (the visible text, for other languages)."""
    w = {**WORDS, **(words or {})}
    nodes: dict[str, dict[str, Any]] = {str(n): dict(d) for n, d in g.nodes(data=True)}
    ranked = sorted(nodes, key=lambda n: (not _words(nodes[n].get("findings")),
                                          -_int(nodes[n].get("flows")), n))
    drawn = set(ranked[: max(0, max_nodes)])
    nodes_omitted = len(nodes) - len(drawn) + _int(g.graph.get("nodes_omitted", 0))

    if g.is_multigraph():
        raw_edges = [(str(u), str(v), str(k), dict(d)) for u, v, k, d in
                     g.edges(keys=True, data=True)]
    else:
        raw_edges = [(str(u), str(v), str(d.get("kind", "")), dict(d)) for u, v, d in
                     g.edges(data=True)]
    edges = sorted((e for e in raw_edges if e[0] in drawn and e[1] in drawn),
                   key=lambda e: (not _words(e[3].get("findings")),
                                  -max(_int(e[3].get("flows")), _int(e[3].get("answers"))),
                                  e[0], e[1], e[2]))
    max_edges = 4 * max(0, max_nodes)
    edges_omitted = len(raw_edges) - min(len(edges), max_edges)
    edges = edges[:max_edges]

    def col_of(n: str) -> str:
        k = str(nodes[n].get("kind", ""))
        return k if k in KIND_FILLS else "server"

    cols: dict[str, list[str]] = {k: [] for k, _ in _COLUMNS}
    for n in drawn:
        cols[col_of(n)].append(n)

    def label(n: str) -> str:
        return str(nodes[n].get("label") or n)

    def has_f(n: str) -> bool:
        return bool(_words(nodes[n].get("findings")))

    cols["client"].sort(key=lambda n: (not has_f(n), _ip_key(label(n)), n))
    cols["resolver"].sort(key=lambda n: (_ip_key(label(n)), n))
    cols["name"].sort(key=lambda n: (not has_f(n), label(n), n))
    row_of = {n: i for i, n in enumerate(cols["name"])}
    for n in cols["client"]:
        row_of.setdefault(n, cols["client"].index(n))
    near: dict[str, list[int]] = {}
    for u, v, _k, _d in edges:
        if col_of(v) == "server" and u in row_of and col_of(u) != "server":
            near.setdefault(v, []).append(row_of[u])
    big = len(drawn) + 1

    def bary(n: str) -> float:
        r = near.get(n)
        return sum(r) / len(r) if r else big

    cols["server"].sort(key=lambda n: (bary(n), _ip_key(label(n)), n))

    used = [(k, w.get(k, title)) for k, title in _COLUMNS if cols[k]]
    xs = {k: MARGIN + i * (BOX_W + GAP) for i, (k, _t) in enumerate(used)}
    pos: dict[str, tuple[int, int]] = {}
    colno: dict[str, int] = {}
    colno_of: list[str] = []
    for k, _t in used:
        for i, n in enumerate(cols[k]):
            pos[n] = (xs[k], TOP + i * ROW)
            colno[n] = len(colno_of)
        colno_of.append(k)
    rows = max((len(cols[k]) for k, _t in used), default=0)
    arcs = any(colno[u] == colno[v] for u, v, _k, _d in edges)
    width = max(MARGIN * 2 + len(used) * BOX_W + max(0, len(used) - 1) * GAP
                + (GAP // 2 if arcs else 0), 560)

    out: list[str] = []
    body_end = TOP + rows * ROW
    y = body_end + 8
    notes: list[str] = []
    if not nodes:
        notes.append(w["no_flows"])
    if nodes_omitted:
        notes.append(w["nodes_omitted"].format(count=nodes_omitted))
    if edges_omitted:
        notes.append(w["edges_omitted"].format(count=edges_omitted))
    note_y = y + 12
    if notes:
        y += 20 * len(notes)

    # legend
    mechs_present: list[str] = []
    forged_present = False
    for d in [nodes[n] for n in drawn] + [e[3] for e in edges]:
        for m in _words(d.get("mechanisms")):
            if m not in mechs_present:
                mechs_present.append(m)
        forged_present = forged_present or _true(d.get("forged"))
    known = [m for m in MECHANISM_COLOURS if m in mechs_present]
    others = sorted(m for m in mechs_present if m not in MECHANISM_COLOURS)
    items: list[tuple[str, str, bool]] = [(m, MECHANISM_COLOURS[m], False) for m in known]
    items += [(m, OTHER_MECHANISM_COLOUR, False) for m in others]
    items.append((w["no_finding"], NO_FINDING_COLOUR, False))
    if forged_present:
        items.append((w["forged"], MECHANISM_COLOURS["dns-injection"], True))
    per_row = max(1, (width - 2 * MARGIN) // 190)
    legend_y = y + 10
    height = legend_y + ((len(items) + per_row - 1) // per_row) * 20 + MARGIN

    total_n, total_e = len(nodes), len(raw_edges)
    title = w["title"].format(nodes=total_n, edges=total_e)
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fg-graph" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img"'
        + _attrs(aria_label=title,
                 data_nodes_drawn=len(drawn), data_nodes_omitted=nodes_omitted,
                 data_edges_omitted=edges_omitted)
        + ' font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"'
        + ' font-size="11">'
    )
    out.append(f"<title>{_esc(title)}</title>")
    out.append('<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>')
    for k, title in used:
        out.append(f'<text class="fg-column" x="{xs[k]}" y="{TOP - 18}" font-weight="bold" '
                   f'font-size="12">{_esc(f"{title} ({len(cols[k])})")}</text>')

    # edges first (under the boxes), grey ones below coloured ones
    pair_count: Counter[tuple[str, str]] = Counter()
    pair_index: dict[tuple[str, str, str], int] = {}
    for u, v, k, _d in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        pair = (min(u, v), max(u, v))
        pair_index[(u, v, k)] = pair_count[pair]
        pair_count[pair] += 1
    lanes: Counter[int] = Counter()
    spread: dict[tuple[str, str, str], float] = {}
    for u, v, k, _d in sorted(edges, key=lambda e: (pos[e[1]][1], pos[e[0]][1], e)):
        if abs(colno[u] - colno[v]) > 1:
            lane = _lane(pos[u][1], pos[v][1], rows)
            spread[(u, v, k)] = ((lanes[lane] % 5) - 2) * 2.5
            lanes[lane] += 1
    geo = _Geo(pos, colno, rows, spread)
    for u, v, k, d in reversed(edges):
        out.append(_edge_svg(u, v, k, d, geo, nodes,
                             pair_index[(u, v, k)], pair_count[(min(u, v), max(u, v))]))
    for k, _t in used:
        for n in cols[k]:
            out.append(_node_svg(n, nodes[n], pos[n], g))
    for i, text in enumerate(notes):
        out.append(f'<text class="fg-omitted" x="{MARGIN}" y="{note_y + 20 * i}" '
                   f'font-style="italic">{_esc(text)}</text>')
    out.append('<g class="fg-legend">')
    for i, (name, colour, dashed) in enumerate(items):
        lx = MARGIN + (i % per_row) * 190
        ly = legend_y + (i // per_row) * 20
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 28}" y2="{ly}" '
                   f'stroke="{_esc(colour)}" stroke-width="3"{dash}/>'
                   f'<text x="{lx + 34}" y="{ly + 4}">{_esc(_cut(name, 22))}</text>')
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _detail(n: str, d: Mapping[str, Any], g: nx.MultiDiGraph | nx.DiGraph) -> str:
    kind = str(d.get("kind", ""))
    flows = _int(d.get("flows"))
    parts: list[str] = []
    if kind in ("server", "resolver"):
        ports: list[str] = []
        if n in g:
            for _u, _v, data in g.in_edges(n, data=True):
                if data.get("kind") in ("flow", "dns"):
                    t = str(data.get("transport", ""))
                    p = _int(data.get("port"))
                    ports.append(f"{t}/{p}" if p else t)
            for _u, _v, data in g.out_edges(n, data=True):
                if str(data.get("transport", "")).startswith("icmp"):
                    ports.append(str(data.get("transport")))  # a router's ICMP errors
        uniq = sorted(set(ports))
        if uniq:
            parts.append(" ".join(uniq[:3]) + (f" +{len(uniq) - 3}" if len(uniq) > 3 else ""))
    elif kind == "name" and d.get("sources"):
        parts.append(str(d.get("sources")))
    parts.append(f"{flows} flow" + ("" if flows == 1 else "s"))
    fs = _words(d.get("findings"))
    if fs:
        parts.append(" ".join(fs))
    return " \u00b7 ".join(parts)


def _node_svg(n: str, d: Mapping[str, Any], xy: tuple[int, int],
              g: nx.MultiDiGraph | nx.DiGraph) -> str:
    x, y = xy
    kind = str(d.get("kind", ""))
    label = str(d.get("label") or n)
    mechs = _words(d.get("mechanisms"))
    findings = _words(d.get("findings"))
    coloured = bool(findings) and kind != "client"
    stroke = _colour(mechs) if coloured else "#8a8a8a"
    sw = "2.5" if coloured else "1"
    fill = KIND_FILLS.get(kind, KIND_FILLS["server"])
    detail = _detail(n, d, g)
    tip = [label, f"{kind} \u00b7 {_int(d.get('flows'))} flows"]
    if d.get("roles"):
        tip.append(f"roles: {d.get('roles')}")
    if d.get("sources"):
        tip.append(f"seen in: {d.get('sources')}")
    if findings:
        tip.append(f"findings: {' '.join(findings)} ({' '.join(mechs)})")
    if d.get("observations"):
        tip.append(f"observations: {d.get('observations')}")
    text_fill = _colour(mechs) if coloured else "#555555"
    return (
        f'<g class="{_esc(_classes("fg-node", kind, d))}"'
        + _attrs(data_id=n, data_kind=kind, data_label=label, data_flows=_int(d.get("flows")),
                 data_findings=" ".join(findings), data_mechanisms=" ".join(mechs),
                 data_observations=d.get("observations") or "")
        + f"><title>{_esc(chr(10).join(tip))}</title>"
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{sw}"/>'
        f'<text x="{x + 6}" y="{y + 13}" fill="#111111">{_esc(_cut(label, LABEL_CHARS))}</text>'
        f'<text x="{x + 6}" y="{y + 26}" font-size="9" fill="{text_fill}">'
        f"{_esc(_cut(detail, DETAIL_CHARS))}</text></g>"
    )


def _edge_title(u: str, v: str, k: str, d: Mapping[str, Any],
                nodes: Mapping[str, Mapping[str, Any]]) -> str:
    lu = str(nodes[u].get("label") or u)
    lv = str(nodes[v].get("label") or v)
    kind = str(d.get("kind", ""))
    if kind == "resolves-to":
        s = (f"{lu} resolves to {lv} ({d.get('qtypes') or '?'}, {_int(d.get('answers'))} "
             f"answers via {d.get('resolvers') or '?'})")
        if _true(d.get("forged")):
            s += ": FORGED"
    elif kind in ("sni", "host"):
        s = f"{lu} used as {kind.upper()} towards {lv}: {_int(d.get('flows'))} flows"
    else:
        s = (f"{lu} \u2192 {lv} {k}: {_int(d.get('flows'))} flows, "
             f"{_int(d.get('packets'))} packets, {_int(d.get('bytes'))} bytes")
        if d.get("states"):
            s += f", {d.get('states')}"
        if _int(d.get("queries")):
            s += f", {_int(d.get('queries'))} DNS queries"
    if d.get("findings"):
        s += f"\nfindings: {d.get('findings')} ({d.get('mechanisms')})"
    if d.get("observations"):
        s += f"\nobservations: {d.get('observations')}"
    return s


@dataclass(frozen=True, slots=True)
class _Geo:
    pos: Mapping[str, tuple[int, int]]
    col: Mapping[str, int]
    rows: int
    spread: Mapping[tuple[str, str, str], float]
    """Extra offset of an edge within its lane, so that lanes show their edges side by side."""


def _lane(y1: float, y2: float, rows: int) -> int:
    gap = ROW - BOX_H
    lane = round(((y1 + y2) / 2 - TOP + gap / 2) / ROW)
    return min(max(lane, 0), rows)


def _edge_path(u: str, v: str, k: str, geo: _Geo, off: float
               ) -> tuple[str, int, float, int]:
    """SVG path data of an edge, and its end point and direction (1: pointing right).

    Adjacent columns: one S-curve. Edges that skip a column (client -> server) run along the
    lane between two rows, so that they never pass behind a box of the columns in between.
    """
    (xu, yu), (xv, yv) = geo.pos[u], geo.pos[v]
    y1, y2 = yu + BOX_H / 2 + off, yv + BOX_H / 2 + off
    cu, cv = geo.col[u], geo.col[v]
    if u == v or cu == cv:  # same column: an arc on the right
        x1 = x2 = xu + BOX_W
        if u == v:
            y1, y2 = yu + 8, yu + BOX_H - 8
        bulge = 24 + min(abs(y2 - y1) / 6, GAP / 2 - 24)
        return (f"M{x1} {_num(y1)} C{_num(x1 + bulge)} {_num(y1)} {_num(x2 + bulge)} "
                f"{_num(y2)} {x2} {_num(y2)}", x2, y2, -1)
    right = cu < cv
    sign = 1 if right else -1
    x1 = xu + BOX_W if right else xu
    x2 = xv if right else xv + BOX_W
    if abs(cu - cv) == 1:
        c = abs(x2 - x1) / 2
        return (f"M{x1} {_num(y1)} C{_num(x1 + sign * c)} {_num(y1)} {_num(x2 - sign * c)} "
                f"{_num(y2)} {x2} {_num(y2)}", x2, y2, sign)
    lane = _lane(yu, yv, geo.rows)
    ly = TOP + lane * ROW - (ROW - BOX_H) / 2 + geo.spread.get((u, v, k), 0.0)
    xa = x1 + sign * GAP / 2
    xb = x2 - sign * GAP / 2
    c = GAP / 4
    return (f"M{x1} {_num(y1)} C{_num(x1 + sign * c)} {_num(y1)} {_num(xa - sign * c)} "
            f"{_num(ly)} {_num(xa)} {_num(ly)} L{_num(xb)} {_num(ly)} "
            f"C{_num(xb + sign * c)} {_num(ly)} {_num(x2 - sign * c)} {_num(y2)} "
            f"{x2} {_num(y2)}", x2, y2, sign)


def _edge_svg(u: str, v: str, k: str, d: Mapping[str, Any], geo: _Geo,
              nodes: Mapping[str, Mapping[str, Any]], index: int, count: int) -> str:
    off = (index - (count - 1) / 2) * 5
    path, x2, y2, tip_dir = _edge_path(u, v, k, geo, off)
    mechs = _words(d.get("mechanisms"))
    colour = _colour(mechs)
    weight = max(_int(d.get("flows")), _int(d.get("answers")), 1)
    sw = 1.0 + min(3.0, math.log2(1 + weight) * 0.6)
    if mechs:
        sw = max(sw, 2.0)
    forged = _true(d.get("forged"))
    dash = ' stroke-dasharray="6 3"' if forged else ""
    ax = x2 - 7 * tip_dir
    arrow = f"{x2},{_num(y2)} {_num(ax)},{_num(y2 - 3.5)} {_num(ax)},{_num(y2 + 3.5)}"
    kind = str(d.get("kind", ""))
    return (
        f'<g class="{_esc(_classes("fg-edge", kind, d))}"'
        + _attrs(data_source=u, data_target=v, data_key=k, data_kind=kind,
                 data_findings=d.get("findings") or "", data_mechanisms=" ".join(mechs),
                 data_observations=d.get("observations") or "",
                 data_forged="true" if forged else "false")
        + f"><title>{_esc(_edge_title(u, v, k, d, nodes))}</title>"
        f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{_num(sw)}"'
        f' stroke-opacity="0.85"{dash}/>'
        f'<polygon points="{arrow}" fill="{colour}"/></g>'
    )
