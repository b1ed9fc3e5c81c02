"""Differential test: the protocol events against Wireshark's dissection (the oracle).

For every capture in ``captures/`` and ``../shared/realworld``: DNS names and answers, TLS SNI /
ALPN / JA3 / handshake types / certificate subjects, HTTP host and status, and QUIC SNI must
agree with tshark field by field. pyshark is used for the TLS ClientHello family (SNI, ALPN,
JA3); plain ``tshark -T fields`` (faster, exact) for the rest, and PDML for certificate
subjects. Every disagreement is either fixed or listed in :data:`DIFFERENCES` with the reason;
a listed difference that no longer occurs fails the test too (the list stays honest).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import analyzer
import pytest
from analyzer.events import HttpExchange
from analyzer.model import Analysis
from analyzer.protocols.tls import HANDSHAKE_TYPES

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "captures"
REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"
TSHARK = shutil.which("tshark")

#: (capture as ``folder/file`` or ``*`` for any, check, key) -> why Wireshark and we differ.
#: ``key`` is the frame or flow the disagreement is about, as the check reports it (or the
#: name of a known cause the check recognises).
DIFFERENCES: dict[tuple[str, str, str], str] = {
    ("*", "tls.client_hello", "tls on port 80"):
        "TLS on port 80 is found by content here; Wireshark dissects port 80 as HTTP",
    ("*", "tls.handshake_types", "tls on port 80"):
        "TLS on port 80 is found by content here; Wireshark dissects port 80 as HTTP",
    ("*", "quic.sni", "repeated dcid"):
        "Wireshark tracks QUIC connections by DCID across UDP flows: an Initial repeating an "
        "earlier flow's DCID and CRYPTO data is shown as a retransmission, not dissected again; "
        "here every UDP flow is read on its own",
    ("*", "http", "cut response"):
        "a response whose head is cut by the end of the capture is reported here with what "
        "was read (response_complete false); Wireshark waits for the end of the head",
    ("captures/pcap-snaplen-80.pcap", "http",
     "tshark stream [('192.0.2.10', 40080), ('203.0.113.80', 80)] #0"):
        "the request is cut by the snap length after 14 bytes: no complete request line to "
        "report here; Wireshark shows the fragment as a request without Host",
    ("*", "dns", "icmp-quoted"):
        "Wireshark dissects the DNS message inside the datagram an ICMP error quotes (a late "
        "answer to a closed port); here ICMP errors are linked to the quoted flow, never read "
        "as DNS messages: the quoted answer was never delivered",
    ("*", "http", "icmp-quoted"):
        "Wireshark dissects the HTTP request inside the packet an ICMP error quotes; here ICMP "
        "errors are linked to the quoted flow, never parsed as HTTP",
}

FIELDS = [
    "frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "tcp.srcport", "tcp.dstport",
    "udp.srcport", "udp.dstport", "tcp.stream",
    "dns.flags.response", "dns.id", "dns.qry.name", "dns.count.answers", "dns.resp.type",
    "dns.a", "dns.aaaa",
    "tls.handshake.type", "quic.long.packet_type",
    "http.request.method", "http.host", "http.response.code", "icmp.type", "icmpv6.type",
]


def _captures() -> list[Path]:
    found = [p for p in sorted(CAPTURES.glob("*.pcap*")) if p.suffix != ".py"]
    if REALWORLD.is_dir():
        found += sorted(REALWORLD.glob("*/*.pcap*"))
    return found


def _label(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _tshark(path: Path, *args: str) -> str:
    assert TSHARK is not None
    out = subprocess.run([TSHARK, "-n", "-r", str(path), *args], capture_output=True,
                         text=True, timeout=120, check=False,
                         env={**os.environ, "LC_ALL": "C.UTF-8"})
    return out.stdout


def _rows(path: Path) -> list[dict[str, list[str]]]:
    # responses are reported at the end of their head, as here (not after the whole body)
    args: list[str] = ["-o", "http.desegment_body:FALSE", "-T", "fields", "-E", "separator=/t",
                       "-E", "occurrence=a", "-E", "aggregator=\x1f"]
    for f in FIELDS:
        args += ["-e", f]
    rows = []
    for line in _tshark(path, *args).splitlines():
        cols = line.split("\t")
        if len(cols) != len(FIELDS):
            continue
        rows.append({f: ([v for v in c.split("\x1f")] if c else []) for f, c in
                     zip(FIELDS, cols, strict=True)})
    return rows


def _endpoints(row: dict[str, list[str]], proto: str) -> frozenset[tuple[str, int]]:
    src = (row["ip.src"] or row["ipv6.src"] or [""])[0]
    dst = (row["ip.dst"] or row["ipv6.dst"] or [""])[0]
    sp = int((row[f"{proto}.srcport"] or ["0"])[0])
    dp = int((row[f"{proto}.dstport"] or ["0"])[0])
    return frozenset(((src, sp), (dst, dp)))


class Diff:
    """Collects disagreements as (check, key) -> detail."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], str] = {}
        self.compared: dict[str, int] = defaultdict(int)

    def check(self, check: str, key: str, ours: Any, theirs: Any) -> None:
        self.compared[check] += 1
        if ours != theirs:
            self.found[(check, key)] = f"ours {ours!r} != tshark {theirs!r}"


# --------------------------------------------------------------------------------- checks


def _check_dns(a: Analysis, rows: list[dict[str, list[str]]], d: Diff) -> None:
    ours: dict[int, tuple[str | None, tuple[str, ...] | None]] = {}
    for tx in a.dns:
        for f in tx.query_frames:
            ours[f] = (tx.qname, None)
        for r in tx.responses:
            if r.frame:
                ours[r.frame] = (tx.qname, r.addresses)
    theirs: dict[int, tuple[str | None, tuple[str, ...] | None]] = {}
    icmp = False
    for row in rows:
        if not row["dns.id"]:
            continue
        if row["icmp.type"] or row["icmpv6.type"]:
            icmp = True  # a DNS message inside the datagram an ICMP error quotes
            continue
        frame = int(row["frame.number"][0])
        names = row["dns.qry.name"]
        qname = names[0] if names else None
        if qname == "<Root>":
            qname = ""
        if row["dns.flags.response"][:1] in (["1"], ["True"]):
            # the A / AAAA values of the answer section only (dns.a lists every section)
            an = int((row["dns.count.answers"] or ["0"])[0])
            types = row["dns.resp.type"][:an]
            a_vals, aaaa_vals = iter(row["dns.a"]), iter(row["dns.aaaa"])
            addrs = tuple(next(a_vals, "?") if t == "1" else next(aaaa_vals, "?")
                          for t in types if t in ("1", "28"))
            theirs[frame] = (qname, addrs)
        else:
            theirs[frame] = (qname, None)
    for frame in sorted(set(ours) | set(theirs)):
        d.check("dns", f"frame {frame}", ours.get(frame), theirs.get(frame))
    if icmp:
        d.check("dns", "icmp-quoted", None, "DNS inside ICMP errors")


def _pyshark_client_hellos(path: Path) -> dict[int, tuple[str | None, tuple[str, ...], str]]:
    """frame -> (SNI, ALPN, JA3) of every ClientHello over TCP, from pyshark."""
    import pyshark

    out: dict[int, tuple[str | None, tuple[str, ...], str]] = {}
    cap = pyshark.FileCapture(str(path), display_filter="tls.handshake.type == 1 && tcp",
                              keep_packets=False, tshark_path=TSHARK)
    try:
        for pkt in cap:
            for layer in pkt.layers:
                if layer.layer_name != "tls":
                    continue
                sni = layer.get_field("handshake_extensions_server_name")
                alpn = layer.get_field("handshake_extensions_alpn_str")
                ja3 = layer.get_field("handshake_ja3")
                out[int(pkt.number)] = (
                    str(sni) if sni is not None else None,
                    tuple(str(f.showname_value) for f in alpn.all_fields) if alpn else (),
                    str(ja3) if ja3 is not None else "",
                )
    finally:
        cap.close()
    return out


def _check_tls(a: Analysis, rows: list[dict[str, list[str]]],
               hellos: dict[int, tuple[str | None, tuple[str, ...], str]], d: Diff) -> None:
    tls_streams = {r["tcp.stream"][0] for r in rows if r["tcp.stream"] and r["tls.handshake.type"]}
    tls_ends = {_endpoints(r, "tcp") for r in rows
                if r["tcp.stream"] and r["tcp.stream"][0] in tls_streams}
    matched: set[int] = set()
    for ev in a.tls:
        if not ev.client_hello_frames:
            continue
        e = frozenset(((ev.client_ip, ev.client_port), (ev.server_ip, ev.server_port)))
        hit = [f for f in ev.client_hello_frames if f in hellos]
        ours = (ev.sni, ev.alpn, ev.ja3)
        if not hit and e not in tls_ends:
            # Wireshark picks TLS by port (443, 853, ...); found by content here
            d.check("tls.client_hello", f"tls on port {ev.server_port}", ours, None)
            continue
        matched.update(hit)
        d.check("tls.client_hello", f"frame {ev.client_hello_frames[-1]}", ours,
                hellos[hit[-1]] if hit else None)
    for frame in sorted(set(hellos) - matched):
        d.check("tls.client_hello", f"frame {frame}", None, hellos[frame])
    # cleartext handshake message types per TCP connection
    streams: dict[str, list[str]] = defaultdict(list)
    ends: dict[str, frozenset[tuple[str, int]]] = {}
    for row in rows:
        if row["tcp.stream"] and row["tls.handshake.type"]:
            s = row["tcp.stream"][0]
            ends[s] = _endpoints(row, "tcp")
            streams[s] += [HANDSHAKE_TYPES.get(int(t), f"unknown_{t}")
                           for t in row["tls.handshake.type"]]
    by_ends: dict[frozenset[tuple[str, int]], list[list[str]]] = defaultdict(list)
    for s in sorted(streams, key=int):
        by_ends[ends[s]].append(sorted(streams[s]))
    seen: dict[frozenset[tuple[str, int]], int] = defaultdict(int)
    for ev in a.tls:
        e = frozenset(((ev.client_ip, ev.client_port), (ev.server_ip, ev.server_port)))
        ours = sorted(t if t != "hello_retry_request" else "server_hello"
                      for t in ev.client_handshake_types + ev.server_handshake_types)
        if e not in by_ends:
            d.check("tls.handshake_types", f"tls on port {ev.server_port}", ours, [])
            continue
        i = seen[e]
        seen[e] += 1
        theirs = by_ends[e][i] if i < len(by_ends[e]) else []
        d.check("tls.handshake_types", ev.flow, ours, theirs)


def _cert_subjects(path: Path) -> dict[frozenset[tuple[str, int]], list[list[str]]]:
    """Subject CNs of the certificates per TCP connection, from tshark's PDML."""
    xml = _tshark(path, "-Y", "tls.handshake.type == 11", "-T", "pdml")
    out: dict[frozenset[tuple[str, int]], list[list[str]]] = defaultdict(list)
    if not xml.strip():
        return out
    for pkt in ET.fromstring(xml).iter("packet"):
        vals = {f.get("name"): f.get("show") for f in pkt.iter("field")}
        ends = frozenset(((vals.get("ip.src") or vals.get("ipv6.src") or "",
                           int(vals.get("tcp.srcport") or 0)),
                          (vals.get("ip.dst") or vals.get("ipv6.dst") or "",
                           int(vals.get("tcp.dstport") or 0))))
        cns: list[str] = []
        for subj in pkt.iter("field"):
            if subj.get("name") != "x509af.subject":
                continue
            cn = None
            for rdn in subj.iter("field"):
                show = rdn.get("showname") or ""
                if rdn.get("name") == "x509if.RDNSequence_item" and "id-at-commonName=" in show:
                    cn = show.split("id-at-commonName=", 1)[1].rstrip(")")
            cns.append(cn or "")
        out[ends].append(cns)
    return out


def _check_certs(path: Path, a: Analysis, d: Diff) -> None:
    if not any(ev.certificates for ev in a.tls):
        return
    theirs = _cert_subjects(path)
    for ev in a.tls:
        if not ev.certificates:
            continue
        e = frozenset(((ev.client_ip, ev.client_port), (ev.server_ip, ev.server_port)))
        got = theirs.get(e, [])
        d.check("tls.certificates", ev.flow, [c.subject_cn or "" for c in ev.certificates],
                got[0] if got else None)


def _check_http(a: Analysis, rows: list[dict[str, list[str]]], d: Diff) -> None:
    streams: dict[frozenset[tuple[str, int]], list[tuple[list[str], list[str]]]] = \
        defaultdict(lambda: [([], [])])
    cur: dict[str, tuple[list[str], list[str]]] = {}
    icmp = False
    for row in rows:
        if not row["tcp.stream"] or not (row["http.host"] or row["http.response.code"]
                                         or row["http.request.method"]):
            continue
        if row["icmp.type"] or row["icmpv6.type"]:
            icmp = True  # an HTTP request inside the packet an ICMP error quotes
            continue
        s = row["tcp.stream"][0]
        if s not in cur:
            cur[s] = ([], [])
            lst = streams.setdefault(_endpoints(row, "tcp"), [])
            lst.append(cur[s])
        hosts, codes = cur[s]
        if row["http.request.method"]:
            hosts.extend(row["http.host"] or [""] * len(row["http.request.method"]))
        codes.extend(row["http.response.code"])
    ours: dict[str, tuple[list[str], list[str]]] = {}
    ends_of: dict[str, frozenset[tuple[str, int]]] = {}
    last_of: dict[str, HttpExchange] = {}
    for ex in a.http:
        last_of[ex.flow] = ex
        hosts, codes = ours.setdefault(ex.flow, ([], []))
        ends_of[ex.flow] = frozenset(((ex.client_ip, ex.client_port),
                                      (ex.server_ip, ex.server_port)))
        if ex.method is not None:
            hosts.append(ex.host or "")
        if ex.status is not None:
            codes.append(str(ex.status))
    seen: dict[frozenset[tuple[str, int]], int] = defaultdict(int)
    for flow in ours:
        e = ends_of[flow]
        i = seen[e]
        seen[e] += 1
        lst = streams.get(e, [])
        theirs = lst[i] if i < len(lst) else ([], [])
        last = last_of[flow]
        if (ours[flow][0], ours[flow][1][:-1]) == theirs and last.response_complete is False:
            # the last response's head may be cut: reported here, not by Wireshark
            d.check("http", "cut response", ours[flow], theirs)
            continue
        d.check("http", flow, ours[flow], theirs)
    for e, lst in streams.items():
        for i in range(seen.get(e, 0), len(lst)):
            d.check("http", f"tshark stream {sorted(e)} #{i}", None, lst[i])
    if icmp:
        d.check("http", "icmp-quoted", None, "HTTP inside ICMP errors")


def _check_quic(path: Path, a: Analysis, rows: list[dict[str, list[str]]], d: Diff) -> None:
    if not a.quic and not any(r["quic.long.packet_type"] for r in rows):
        return
    out = _tshark(path, "-Y", "quic && tls.handshake.type == 1", "-T", "fields",
                  "-E", "occurrence=f", "-e", "frame.number",
                  "-e", "tls.handshake.extensions_server_name")
    theirs: dict[int, str] = {}
    for line in out.splitlines():
        frame, _, sni = line.partition("\t")
        theirs[int(frame)] = sni
    matched: set[int] = set()
    dcids: set[str | None] = set()
    for ev in a.quic:
        hit = [f for f in ev.client_hello_frames if f in theirs]
        repeated = ev.dcid in dcids
        dcids.add(ev.dcid)
        if not hit and repeated:
            # Wireshark tracks QUIC connections by DCID across UDP flows
            d.check("quic.sni", "repeated dcid", ev.sni, None)
            continue
        matched.update(hit)
        d.check("quic.sni", f"flow {ev.flow}", ev.sni, theirs[hit[-1]] if hit else None)
    for frame in sorted(set(theirs) - matched):
        d.check("quic.sni", f"frame {frame}", None, theirs[frame])


def _prepare(path: Path) -> tuple[Analysis, list[dict[str, list[str]]]]:
    return analyzer.analyze(str(path)), _rows(path)


def _diff_one(path: Path, a: Analysis, rows: list[dict[str, list[str]]]) -> Diff:
    d = Diff()
    _check_dns(a, rows, d)
    hellos = _pyshark_client_hellos(path) if any(
        "1" in r["tls.handshake.type"] for r in rows) else {}
    _check_tls(a, rows, hellos, d)
    _check_certs(path, a, d)
    _check_http(a, rows, d)
    _check_quic(path, a, rows, d)
    return d


def _all_diffs() -> Iterator[tuple[str, Diff]]:
    caps = _captures()
    with ThreadPoolExecutor(max_workers=min(4, (os.cpu_count() or 2))) as pool:
        prepared = list(pool.map(_prepare, caps))
    # pyshark runs its own event loop: one capture at a time, in this thread
    for path, (a, rows) in zip(caps, prepared, strict=True):
        yield _label(path), _diff_one(path, a, rows)


def _documented(label: str, check: str, key: str) -> tuple[str, str, str] | None:
    for k in ((label, check, key), ("*", check, key)):
        if k in DIFFERENCES:
            return k
    return None


@pytest.mark.slow
@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (apt-get install tshark)")
def test_events_agree_with_wireshark() -> None:
    unexplained: list[str] = []
    occurred: set[tuple[str, str, str]] = set()
    labels: set[str] = set()
    compared: dict[str, int] = defaultdict(int)
    for label, diff in _all_diffs():
        labels.add(label)
        for check, n in diff.compared.items():
            compared[check] += n
        for (check, key), detail in sorted(diff.found.items()):
            k = _documented(label, check, key)
            if k is not None:
                occurred.add(k)
            else:
                unexplained.append(f"{label} {check} {key}: {detail}")
    # entries about captures that are not here (../shared/realworld absent) cannot be stale
    # (wildcard entries are judged only when every capture, real-world ones included, ran)
    stale = sorted(k for k in set(DIFFERENCES) - occurred
                   if (k[0] == "*" and REALWORLD.is_dir()) or k[0] in labels)
    assert not unexplained, "disagreements with Wireshark:\n" + "\n".join(unexplained)
    for check in ("dns", "tls.client_hello", "tls.handshake_types", "http"):
        assert compared[check] > 0, f"nothing compared for {check}"
    if REALWORLD.is_dir():
        assert compared["tls.certificates"] > 0 and compared["quic.sni"] > 0
    assert not stale, f"DIFFERENCES entries that no longer occur: {stale}"
    if not REALWORLD.is_dir():
        pytest.skip(f"only captures/ compared: {REALWORLD} is absent")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover - exploration aid
    total: dict[str, int] = defaultdict(int)
    for label, diff in _all_diffs():
        for check, n in diff.compared.items():
            total[check] += n
        for (check, key), detail in sorted(diff.found.items()):
            mark = "documented" if _documented(label, check, key) else "UNEXPLAINED"
            print(f"{mark} {label} {check} {key}: {detail}")
    print("compared:", dict(total))
