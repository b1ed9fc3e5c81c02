"""The flow graph (analyzer.report.graph): nodes, edges and finding marks on the demo capture
and the scenarios, GraphML and node-link JSON round trips, byte-identical output, a hostile
DNS name crafted into a capture, and the SVG's bounds on a big synthetic graph.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import analyzer
import networkx as nx
import pytest
from analyzer.report import graph

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "captures" / "demo-clubhouse-2021.pcapng"
SCENARIOS = sorted((ROOT / "tests" / "scenarios").glob("*/capture.pcap*"))
SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(\"x&y\")</script>.it's.example.com"


@pytest.fixture(scope="module")
def demo() -> analyzer.Analysis:
    return analyzer.analyze([str(DEMO)])


@pytest.fixture(scope="module")
def g(demo: analyzer.Analysis) -> nx.MultiDiGraph:
    return graph.build(demo)


def edges(g: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)}


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG_NS + "g") if cls in (e.get("class") or "").split()]


# ------------------------------------------------------------------------------- the demo


def test_demo_nodes(g: nx.MultiDiGraph) -> None:
    kinds = {n: d["kind"] for n, d in g.nodes(data=True)}
    assert kinds == {
        "ip:192.168.1.23": "client",
        "ip:114.114.114.114": "resolver",
        "ip:104.18.24.37": "server",
        "ip:104.18.25.37": "server",  # only in the genuine DNS answer
        "ip:31.13.77.33": "server",  # only in the forged DNS answer
        "ip:185.15.59.224": "server",
        "ip:93.184.215.14": "server",
        "name:www.clubhouse.com": "name",
        "name:www.wikipedia.org": "name",
        "name:example.org": "name",
        "name:www.example.com": "name",
    }
    n = g.nodes
    assert (n["ip:192.168.1.23"]["flows"], n["ip:192.168.1.23"]["roles"]) == (8, "client:8")
    assert (n["ip:114.114.114.114"]["flows"], n["ip:114.114.114.114"]["findings"]) == (3, "F1")
    assert n["ip:104.18.24.37"]["flows"] == 3
    assert n["ip:104.18.24.37"]["findings"] == "F2"
    assert n["ip:104.18.24.37"]["mechanisms"] == "rst-injection"
    assert n["ip:31.13.77.33"]["flows"] == 0
    assert n["ip:31.13.77.33"]["findings"] == "F1"
    assert n["ip:104.18.25.37"]["findings"] == ""
    ch = n["name:www.clubhouse.com"]
    assert (ch["findings"], ch["mechanisms"]) == ("F1 F2", "dns-injection rst-injection")
    assert (ch["sources"], ch["flows"], ch["label"]) == ("dns tls", 3, "www.clubhouse.com")
    assert n["name:example.org"]["sources"] == "dns http"
    assert n["name:www.example.com"]["findings"] == ""
    assert n["ip:192.168.1.23"]["findings"] == "F1 F2"  # the client takes part in both
    assert g.graph["nodes_omitted"] == 0
    for _n, d in g.nodes(data=True):  # GraphML-safe values only
        assert all(isinstance(v, str | int | float | bool) for v in d.values()), d


def test_demo_edges(g: nx.MultiDiGraph) -> None:
    e = edges(g)
    dns = e[("ip:192.168.1.23", "ip:114.114.114.114", "udp/53")]
    assert (dns["kind"], dns["flows"], dns["queries"], dns["states"]) == ("dns", 3, 3, "SF:3")
    assert (dns["findings"], dns["mechanisms"]) == ("F1", "dns-injection")
    tcp = e[("ip:192.168.1.23", "ip:104.18.24.37", "tcp/443")]
    assert (tcp["kind"], tcp["transport"], tcp["port"]) == ("flow", "tcp", 443)
    assert (tcp["flows"], tcp["states"], tcp["findings"]) == (3, "RSTR:2 SF:1", "F2")
    assert tcp["packets"] > 0 and tcp["bytes"] > tcp["packets"] * 40
    assert e[("ip:192.168.1.23", "ip:185.15.59.224", "tcp/443")]["findings"] == ""
    assert e[("ip:192.168.1.23", "ip:93.184.215.14", "tcp/80")]["states"] == "SF:1"

    forged = e[("name:www.clubhouse.com", "ip:31.13.77.33", "resolves-to")]
    assert (forged["forged"], forged["findings"], forged["mechanisms"]) == (
        True, "F1", "dns-injection")
    assert (forged["qtypes"], forged["resolvers"], forged["answers"]) == (
        "A", "114.114.114.114", 1)
    for genuine in ("104.18.24.37", "104.18.25.37"):
        d = e[("name:www.clubhouse.com", f"ip:{genuine}", "resolves-to")]
        assert (d["forged"], d["findings"]) == (False, "")
    assert [k for k, d in e.items() if d["forged"]] == [
        ("name:www.clubhouse.com", "ip:31.13.77.33", "resolves-to")]

    sni = e[("name:www.clubhouse.com", "ip:104.18.24.37", "sni")]
    assert (sni["flows"], sni["findings"], sni["port"]) == (2, "F2", 443)
    control = e[("name:www.example.com", "ip:104.18.24.37", "sni")]
    assert (control["flows"], control["findings"]) == (1, "")
    host = e[("name:example.org", "ip:93.184.215.14", "host")]
    assert (host["kind"], host["flows"], host["transport"]) == ("host", 1, "tcp")
    assert len(e) == 13


def test_demo_graphml_round_trip(g: nx.MultiDiGraph, tmp_path: Path) -> None:
    p = tmp_path / "demo.graphml"
    graph.write(g, p)
    assert p.read_bytes().startswith(b"<?xml")
    back = nx.read_graphml(p)
    assert isinstance(back, nx.MultiDiGraph)
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert edges(back) == edges(g)
    assert back.graph["nodes_omitted"] == 0
    assert graph.svg(back) == graph.svg(g)


def test_demo_node_link_json(demo: analyzer.Analysis, g: nx.MultiDiGraph,
                             tmp_path: Path) -> None:
    text = graph.node_link_json(g)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == graph.node_link_json(graph.build(demo))
    data = json.loads(text)
    assert data["directed"] and data["multigraph"]
    ids = [n["id"] for n in data["nodes"]]
    assert ids == sorted(ids) and "name:www.clubhouse.com" in ids
    forged = [e for e in data["edges"] if e["forged"]]
    assert [(e["source"], e["target"], e["key"]) for e in forged] == [
        ("name:www.clubhouse.com", "ip:31.13.77.33", "resolves-to")]
    back = nx.node_link_graph(data, edges="edges")
    assert edges(back) == edges(g)
    p = tmp_path / "demo.json"
    graph.write(g, p)
    assert p.read_text(encoding="utf-8") == text


def test_demo_svg(g: nx.MultiDiGraph) -> None:
    s = graph.svg(g)
    assert s.startswith("<svg ") and s.endswith("</svg>\n") and "<?xml" not in s
    root = ET.fromstring(s)
    assert root.tag == SVG_NS + "svg"
    w, h = int(root.get("width", "0")), int(root.get("height", "0"))
    assert w > 500 and h > 100 and root.get("viewBox") == f"0 0 {w} {h}"
    nodes = {e.get("data-id"): e for e in groups(root, "fg-node")}
    assert set(nodes) == set(g.nodes)
    texts = {t.text for t in root.iter(SVG_NS + "text")}
    for name in ("www.clubhouse.com", "www.wikipedia.org", "example.org", "www.example.com",
                 "192.168.1.23", "114.114.114.114", "31.13.77.33"):
        assert name in texts
    srv = nodes["ip:104.18.24.37"]
    assert srv.get("data-findings") == "F2" and "fg-m-rst-injection" in srv.get("class", "")
    rect = srv.find(SVG_NS + "rect")
    assert rect is not None
    assert rect.get("stroke") == graph.MECHANISM_COLOURS["rst-injection"]
    client = nodes["ip:192.168.1.23"]
    assert client.get("data-kind") == "client" and client.get("data-findings") == "F1 F2"
    forged = [e for e in groups(root, "fg-edge") if e.get("data-forged") == "true"]
    assert len(forged) == 1
    f = forged[0]
    assert (f.get("data-source"), f.get("data-target"), f.get("data-key")) == (
        "name:www.clubhouse.com", "ip:31.13.77.33", "resolves-to")
    path = f.find(SVG_NS + "path")
    assert path is not None and path.get("stroke-dasharray")
    assert path.get("stroke") == graph.MECHANISM_COLOURS["dns-injection"]
    title = f.find(SVG_NS + "title")
    assert title is not None and "FORGED" in (title.text or "")
    grey = [e for e in groups(root, "fg-edge") if not e.get("data-findings")]
    assert grey and all(e.find(SVG_NS + "path").get("stroke") == graph.NO_FINDING_COLOUR
                        for e in grey)
    legend = " ".join(t.text or "" for g_ in groups(root, "fg-legend")
                      for t in g_.iter(SVG_NS + "text"))
    assert "dns-injection" in legend and "rst-injection" in legend
    assert "forged DNS answer" in legend and "tls-mitm" not in legend
    assert not [t for t in root.iter(SVG_NS + "text") if t.get("class") == "fg-omitted"]
    assert graph.svg(g) == s


def test_byte_identical_across_processes() -> None:
    """The same capture gives the same SVG and JSON bytes whatever the hash seed."""
    code = ("import hashlib, sys, analyzer; from analyzer.report import graph; "
            "g = graph.build(analyzer.analyze([sys.argv[1]])); "
            "print(hashlib.sha256((graph.svg(g) + graph.node_link_json(g)).encode())"
            ".hexdigest())")
    digests = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", code, str(DEMO)], env=env, check=True,
                             capture_output=True, text=True, timeout=120)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_build_keeps_finding_nodes_first(demo: analyzer.Analysis) -> None:
    small = graph.build(demo, max_nodes=4)
    assert small.number_of_nodes() == 4 and small.graph["nodes_omitted"] == 7
    assert all(d["findings"] for _n, d in small.nodes(data=True))
    assert all(u in small and v in small for u, v in small.edges())


def test_pseudonyms(demo: analyzer.Analysis) -> None:
    def pseudo(text: str) -> str:
        return "h-" + hashlib.sha256(text.encode()).hexdigest()[:8]

    p = graph.build(demo, pseudonyms=pseudo)
    blob = graph.node_link_json(p) + graph.svg(p)
    for real in ("192.168.1.23", "114.114.114.114", "31.13.77.33"):
        assert real not in blob
    assert "name:www.clubhouse.com" in p  # names are not addresses: kept
    resolver = p.nodes["ip:" + pseudo("114.114.114.114")]
    assert (resolver["kind"], resolver["findings"]) == ("resolver", "F1")
    forged = [d for _u, _v, d in p.edges(data=True) if d["forged"]]
    assert len(forged) == 1 and forged[0]["resolvers"] == pseudo("114.114.114.114")


# -------------------------------------------------------------------------- scenarios


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.parent.name for p in SCENARIOS])
def test_scenarios(path: Path, tmp_path: Path) -> None:
    """Every finding lands on a node and an edge; every drawing is well-formed XML."""
    a = analyzer.analyze([str(path)])
    gg = graph.build(a)
    for f in a.findings:
        assert any(f["id"] in d["findings"].split() for _n, d in gg.nodes(data=True)), f["id"]
        assert any(f["id"] in d["findings"].split() for _u, _v, d in gg.edges(data=True)), \
            f["id"]
    ET.fromstring(graph.svg(gg))
    graph.write_graphml(gg, tmp_path / "g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_edges() == gg.number_of_edges()


def test_injection_race_marks_only_the_forged_answer() -> None:
    a = analyzer.analyze([str(ROOT / "tests/scenarios/dns-injection-race-gfw/capture.pcapng")])
    e = edges(graph.build(a))
    assert e[("name:www.facebook.com", "ip:108.160.169.178", "resolves-to")]["forged"] is True
    assert e[("name:www.facebook.com", "ip:157.240.11.35", "resolves-to")]["forged"] is False


def test_tampering_marks_the_block_page_address() -> None:
    a = analyzer.analyze(
        [str(ROOT / "tests/scenarios/dns-tampering-iran-blockpage-ip/capture.pcapng")])
    e = edges(graph.build(a))
    d = e[("name:www.bbc.com", "ip:10.10.34.34", "resolves-to")]
    assert (d["forged"], d["mechanisms"]) == (True, "dns-tampering")


# ---------------------------------------------------------------------- hostile strings


def hostile_capture(path: Path) -> None:
    """A DNS query for a name full of markup, a forged answer, then the resolver's answer."""
    from scapy.layers.dns import DNS, DNSQR, DNSRR
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.utils import wrpcap

    client, resolver = "192.0.2.10", "198.51.100.53"
    eth = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    q = eth / IP(src=client, dst=resolver, ttl=64) / UDP(sport=40000, dport=53) / DNS(
        id=0x4242, rd=1, qd=DNSQR(qname=HOSTILE, qtype="A"))

    def answer(addr: str, ttl: int) -> Any:
        return eth / IP(src=resolver, dst=client, ttl=ttl) / UDP(sport=53, dport=40000) / DNS(
            id=0x4242, qr=1, rd=1, ra=1, qd=DNSQR(qname=HOSTILE, qtype="A"),
            an=DNSRR(rrname=HOSTILE, type="A", ttl=60, rdata=addr))

    pkts = [q, answer("203.0.113.66", 99), answer("203.0.113.7", 54)]
    for i, p in enumerate(pkts):
        p.time = 1_700_000_000 + i * 0.02
    wrpcap(str(path), pkts)


def test_hostile_name_is_escaped(tmp_path: Path) -> None:
    cap = tmp_path / "hostile.pcap"
    hostile_capture(cap)
    a = analyzer.analyze([str(cap)])
    name = HOSTILE.lower()
    assert [t.qname for t in a.dns] == [HOSTILE]
    gg = graph.build(a)
    assert "name:" + name in gg
    s = graph.svg(gg)
    assert "<script" not in s and "&lt;script&gt;" in s
    assert 'alert("' not in s and "it's" not in s  # quotes escaped in attributes and text
    root = ET.fromstring(s)
    node = next(e for e in groups(root, "fg-node") if e.get("data-kind") == "name")
    assert node.get("data-id") == "name:" + name and node.get("data-label") == name
    title = node.find(SVG_NS + "title")
    assert title is not None and (title.text or "").startswith(name)
    shown = next(t.text or "" for t in node.iter(SVG_NS + "text"))
    assert shown.endswith("\u2026") and name.startswith(shown[:-1])  # cut, full in title
    graph.write(gg, tmp_path / "h.graphml")
    assert "name:" + name in nx.read_graphml(tmp_path / "h.graphml")
    text = graph.node_link_json(gg)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "name:" + name in {n["id"] for n in json.loads(text)["nodes"]}


def test_unsafe_characters_are_replaced() -> None:
    g2 = nx.MultiDiGraph()
    bad = "a\x00b\x1bc\u202ed\ud800e"
    g2.add_node("name:x", kind="name", label=bad, flows=1, findings="F9",
                mechanisms="made-up\"mech", observations="")
    g2.add_node("ip:1", kind="server", label="1", flows=1, findings="", mechanisms="",
                observations="")
    g2.add_edge("name:x", "ip:1", key="sni", kind="sni", flows=1, findings="F9",
                mechanisms="made-up\"mech")
    s = graph.svg(g2)
    root = ET.fromstring(s)
    labels = [e.get("data-label") for e in groups(root, "fg-node")]
    assert "a\ufffdb\ufffdc\ufffdd\ufffde" in labels
    node = next(e for e in groups(root, "fg-node") if e.get("data-id") == "name:x")
    assert "fg-m-made-up-mech" in (node.get("class") or "").split()
    rect = node.find(SVG_NS + "rect")
    assert rect is not None and rect.get("stroke") == graph.OTHER_MECHANISM_COLOUR


def test_norm_name() -> None:
    assert graph._norm_name("WWW.Example.COM.") == "www.example.com"
    assert graph._norm_name("Example.org:8080", host=True) == "example.org"
    assert graph._norm_name("[2001:db8::1]:80", host=True) is None
    assert graph._norm_name("192.0.2.1", host=True) is None
    assert graph._norm_name("", host=True) is None
    assert graph._norm_name("x" * 1000) == "x" * graph.MAX_NAME


# ------------------------------------------------------------------------------ bounds


def big_graph(n: int) -> nx.MultiDiGraph:
    big = nx.MultiDiGraph()
    for i in range(n):
        kind = ("client", "resolver", "name", "server")[i % 4]
        nid = f"name:n{i}.example" if kind == "name" else f"ip:10.0.{i // 256}.{i % 256}"
        finding = "F1" if i % 97 == 0 else ""
        big.add_node(nid, kind=kind, label=nid.split(":", 1)[1], flows=i % 13,
                     findings=finding, mechanisms="blackhole" if finding else "",
                     observations="")
    ids = list(big.nodes)
    for i in range(n * 3):
        u, v = ids[(i * 7) % n], ids[(i * 13 + 5) % n]
        big.add_edge(u, v, key=f"tcp/{i}", kind="flow", flows=1 + i % 5, findings="",
                     mechanisms="", forged=False)
    return big


def test_svg_is_bounded() -> None:
    big = big_graph(2000)
    s = graph.svg(big, max_nodes=50)
    root = ET.fromstring(s)
    nodes = groups(root, "fg-node")
    assert len(nodes) == 50
    drawn = {e.get("data-id") for e in nodes}
    with_findings = {n for n, d in big.nodes(data=True) if d["findings"]}
    assert len(with_findings) == 21 and with_findings <= drawn  # finding nodes first
    assert len(groups(root, "fg-edge")) <= 200
    notes = [t.text for t in root.iter(SVG_NS + "text") if t.get("class") == "fg-omitted"]
    assert "1950 more nodes not drawn" in notes
    assert root.get("data-nodes-omitted") == "1950"
    assert len(s) < 200_000
    assert graph.svg(big, max_nodes=50) == s
    assert len(groups(ET.fromstring(graph.svg(big)), "fg-node")) == 120


def test_icmp_error_sender_is_not_a_client() -> None:
    a = analyzer.analyze([str(ROOT / "captures" / "icmp-errors-quoting-tcp.pcap")])
    gg = graph.build(a)
    router = gg.nodes["ip:192.0.2.254"]
    assert (router["kind"], router["flows"], router["roles"]) == ("server", 1, "")
    assert gg.nodes["ip:192.0.2.10"]["kind"] == "client"
    assert ("ip:192.0.2.254", "ip:192.0.2.10", "icmp") in edges(gg)
    node = next(e for e in groups(ET.fromstring(graph.svg(gg)), "fg-node")
                if e.get("data-id") == "ip:192.0.2.254")
    assert "icmp" in [t.text or "" for t in node.iter(SVG_NS + "text")][1]


@pytest.mark.parametrize("outputs, imported", [
    (["--json", os.devnull], False),
    (["--md", os.devnull], False),
    (["--graph", os.devnull + ".graphml"], True),
])
def test_networkx_is_imported_only_for_a_graph(outputs: list[str], imported: bool,
                                               tmp_path: Path) -> None:
    # importing networkx is a tenth of a second: a third of a small capture's run, and
    # researchers run the tool once per capture over thousands of them
    outputs = [str(tmp_path / "g.graphml") if o.endswith(".graphml") else o for o in outputs]
    code = ("import sys\nfrom analyzer.cli import main\n"
            f"try:\n    main({['pcap', str(DEMO), '-q', *outputs]!r})\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print('networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    assert out.stdout.strip().splitlines()[-1] == str(imported)
