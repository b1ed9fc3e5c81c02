"""The library entry point: ``analyze(paths) -> Analysis``.

Reads each input in turn (inputs are analysed independently: frame numbers and flows belong
to one input), decodes every packet, rebuilds flows, and turns finished flows into
:class:`FlowRecord` facts. The CLI is a thin layer over this.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .anomalies import AnomalyLog, describe
from .capture import Batch, CaptureInfo, linktype_name, read_capture
from .decode import Decoder
from .detect import detect
from .extract import Extractor
from .flows import (
    QUIET_STATES,
    Flow,
    FlowLimits,
    FlowTable,
    close_record,
    conn_state,
    is_notable,
    open_record,
)
from .model import Analysis, AnomalySummary, InputSummary
from .rules import RuleSet, load_rules

if TYPE_CHECKING:
    from .fingerprints import Fingerprints

Progress = Callable[[int, int], None]
"""Called after each batch with (bytes of the input read so far, packets so far)."""

__all__ = ["QUIET_STATES", "Collector", "analyze", "analyze_one", "conn_state", "is_notable"]


class Collector:
    """The flow table's sink: completes each finished flow and keeps it.

    Protocol parsers hook in here (``on_flow``) while the flow's streams are still held;
    after the hooks the reassembly buffers are released.
    """

    def __init__(self, input_index: int) -> None:
        self.input_index = input_index
        self.records: list[Flow] = []
        self.on_flow: list[Callable[[Flow], None]] = []
        # one shared {ttl: count} dict per distinct single-TTL direction, and one string per
        # distinct history: most finished flows have equal ones (a dict costs ~250 bytes)
        self._ttls: dict[tuple[int, int], dict[int, int]] = {}
        self._hists: dict[str, str] = {}

    def __call__(self, fl: Flow) -> None:
        # the per-flow work is compiled (analyzer.flows); the hooks run in between
        open_record(fl, self.input_index)
        for hook in self.on_flow:
            hook(fl)
        close_record(fl, self._ttls, self._hists)
        self.records.append(fl)


def _with_progress(batches: Iterator[Batch], info: CaptureInfo,
                   progress: Progress | None) -> Iterator[Batch]:
    if progress is None:
        yield from batches
        return
    done = 0
    for buf, recs in batches:
        done += len(recs)
        progress(info.size, done)
        yield buf, recs


def analyze_one(path: str, index: int, anomalies: AnomalyLog,
                limits: FlowLimits | None = None, progress: Progress | None = None,
                events: Extractor | None = None,
                ) -> tuple[InputSummary, list[Flow], dict[str, object]]:
    """Analyse one capture. Raises CaptureError only when nothing can be read.

    ``events`` (the protocol-event hook) receives every finished flow before its buffers
    are released; by default one is made and its events are dropped.
    """
    info: CaptureInfo
    info, batches = read_capture(path, anomalies)
    collector = Collector(index)
    collector.on_flow.append(events if events is not None else Extractor(anomalies))
    table = FlowTable(collector, anomalies, limits)
    decoder = Decoder(table, anomalies)
    gc_was = gc.isenabled()
    gc.disable()  # flows hold no reference cycles; collection pauses cost 2-3x on big files
    try:
        decoder.run(_with_progress(batches, info, progress))
        decoder.close()
        table.close()
    finally:
        if gc_was:
            gc.freeze()  # the flows are long-lived: later collections need not scan them
            gc.enable()
    if info.snapped:
        anomalies.add_count("packet_truncated_by_snaplen", info.snapped, None,
                            f"{info.snapped} packets shorter than on the wire")
    eth = decoder.stats.packets - sum(decoder.stats.link_types.values()) \
        - decoder.stats.non_packet_records
    link_counts = dict(decoder.stats.link_types)
    if eth > 0:
        link_counts["EN10MB"] = eth
    st = decoder.stats
    stats: dict[str, object] = {
        "packets": st.packets, "bytes_on_wire": st.bytes, "ipv4": st.ipv4, "ipv6": st.ipv6,
        "tcp": st.tcp, "udp": st.udp, "icmp": st.icmp, "other_ip": st.other_ip,
        "non_ip": st.non_ip, "undecoded": st.undecoded,
        "non_packet_records": st.non_packet_records, "ip_fragments": st.fragments,
        "ip_reassembled": st.reassembled, "flows": table.finished,
        "icmp_errors_unmatched": table.icmp_unmatched,
        "packets_by_link_type": link_counts, "non_ip_by_type": dict(st.non_ip_types),
    }
    summary = InputSummary(
        index=index, path=path, sha256=info.sha256, format=info.format,
        compressed=info.compressed, size=info.size, packets=info.packets,
        link_types=tuple(linktype_name(lt) for lt in info.link_types),
        first_ts=info.first_ts, last_ts=info.last_ts, truncated=info.truncated,
        snapped_packets=info.snapped,
    )
    return summary, collector.records, stats


def analyze(paths: Sequence[str] | str, *, limits: FlowLimits | None = None,
            progress: Progress | None = None, rules: RuleSet | None = None,
            rule_dirs: Sequence[str | Path] = (),
            fingerprints: Sequence[str | Path] | Fingerprints | None = None) -> Analysis:
    """Analyse one or more captures (``-`` is standard input) and return the facts and the
    findings.

    ``rules``: the rules to run (default: the built-in rules plus those of ``rule_dirs``).
    ``fingerprints``: extra fingerprint list files next to the built-in lists (see
    docs/fingerprints.md), or a loaded :class:`Fingerprints`.

    Raises :class:`analyzer.errors.CaptureError` for an input that is not a capture at all
    (not a capture, empty, unreadable) and :class:`analyzer.rules.loader.RuleError` or
    :class:`analyzer.fingerprints.FingerprintError` for a bad rule or list file; a damaged
    capture is read up to the damage.
    """
    from .fingerprints import Fingerprints  # the lists load only when an analysis runs

    if rules is None:
        rules = load_rules(rule_dirs)
    if not isinstance(fingerprints, Fingerprints):
        fingerprints = Fingerprints.load(fingerprints or ())
    if isinstance(paths, str):
        paths = [paths]
    t0 = time.time()
    c0 = time.perf_counter()
    result = Analysis(tool_version=__version__, started=t0)
    totals: dict[str, object] = {}
    per_input = []
    for i, path in enumerate(paths):
        log = AnomalyLog()
        events = Extractor(log)
        summary, records, stats = analyze_one(path, i, log, limits, progress, events)
        result.inputs.append(summary)
        result.flows.extend(records)
        result.dns.extend(events.dns)
        result.tls.extend(events.tls)
        result.http.extend(events.http)
        result.quic.extend(events.quic)
        result.payloads.extend(events.payloads)
        per_input.append(stats)
        for name, count in log.counts.items():
            result.anomalies.append(AnomalySummary(
                name=name, description=describe(name), count=count,
                examples=tuple((i, fr, fid, det) for fr, fid, det in log.samples.get(name, []))))
        for k, v in stats.items():
            if isinstance(v, int):
                prev = totals.get(k, 0)
                totals[k] = (prev if isinstance(prev, int) else 0) + v
    result.anomalies.sort(key=lambda a: (a.name, a.examples[0][0] if a.examples else 0))
    gc_was = gc.isenabled()
    gc.disable()  # detection builds ~100k short-lived event dicts, no reference cycles
    try:
        detect(result, rules, fingerprints)
    finally:
        if gc_was:
            gc.enable()
    result.stats = {**totals, "per_input": per_input}
    result.elapsed = time.perf_counter() - c0
    return result
