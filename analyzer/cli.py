"""The ``analyze`` command: a thin Click layer over :func:`analyzer.analyze`.

Exit codes: 0 analysis done (findings or not); 1 input or rule error, one line on standard
error and no traceback; 2 usage error (Click's default).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn, cast

import click

from . import __version__
from .analysis import analyze
from .capture import file_size
from .errors import AnalyzerError
from .model import Analysis
from .report import i18n

if TYPE_CHECKING:
    from .fingerprints import Fingerprints
    from .report.anonymize import Pseudonyms
    from .rules import RuleSet

PROGRESS_MIN_BYTES = 50 * 1024 * 1024


def _fail(msg: str) -> NoReturn:
    click.echo(f"analyze: error: {msg}", err=True)
    sys.exit(1)


@contextlib.contextmanager
def _output(path: str) -> Iterator[IO[str]]:
    """Open an output path (``-`` is standard output) with a one-line error on failure."""
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as e:
        _fail(f"{path}: cannot write: {e.strerror or e}")
    with fh:
        yield fh


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="analyze")
def main() -> None:
    """Prove, from captured packets, how a network blocked something."""


@main.command("pcap")
@click.argument("captures", nargs=-1, required=True, metavar="CAPTURE...")
@click.option("--rules", "rule_dirs", multiple=True, metavar="DIR",
              help="Directory of user rules (YAML), next to the built-in ones. Repeatable.")
@click.option("--fingerprints", "fp_files", multiple=True, metavar="FILE",
              help="Extra fingerprint list (docs/fingerprints.md), next to the built-in "
              "lists. Repeatable.")
@click.option("--json", "json_out", metavar="PATH", help="Write the JSON document (- for stdout).")
@click.option("--html", "html_out", metavar="PATH", help="Write the self-contained HTML report.")
@click.option("--md", "md_out", metavar="PATH", help="Write the Markdown report.")
@click.option("--evidence", "evidence_out", metavar="PATH.pcapng",
              help="Write the packets cited by findings, each with a comment.")
@click.option("--graph", "graph_out", metavar="PATH.graphml", help="Write the flow graph.")
@click.option("--anonymize", is_flag=True,
              help="Replace client IP and MAC addresses with consistent pseudonyms in every "
              "output (servers and resolvers kept), for sharing.")
@click.option("--lang", default="en", show_default=True, metavar="LANG",
              help="Language of the HTML and Markdown reports (" + ", ".join(i18n.available())
              + ").")
@click.option("--quiet", "-q", is_flag=True, help="No terminal summary or progress bar.")
def pcap_cmd(captures: tuple[str, ...], rule_dirs: tuple[str, ...], fp_files: tuple[str, ...],
             json_out: str | None,
             html_out: str | None, md_out: str | None, evidence_out: str | None,
             graph_out: str | None, anonymize: bool, lang: str, quiet: bool) -> None:
    """Analyse CAPTURE... (pcap, pcapng, optionally gzip-compressed; - for standard input)."""
    if captures.count("-") > 1:
        _fail("standard input (-) can be read only once")
    outs = Outputs(json_out, html_out, md_out, evidence_out, graph_out, anonymize, lang)
    if sum(1 for p in (json_out, html_out, md_out, graph_out) if p == "-") > 1:
        _fail("only one output can go to standard output")
    if evidence_out == "-":
        _fail("--evidence needs a file path (pcapng is binary)")
    if lang not in i18n.available():
        _fail(f"no report language {lang!r}; available: {', '.join(i18n.available())}")
    for d in rule_dirs:
        if not os.path.isdir(d):
            _fail(f"{d}: rules directory not found")
    for f in fp_files:
        if not os.path.isfile(f):
            _fail(f"{f}: fingerprint list not found")
    try:
        from .fingerprints import Fingerprints
        from .rules import load_rules
        rules = load_rules(rule_dirs)
        fingerprints = Fingerprints.load(fp_files)
        with _stdin_spooled(captures, outs.needs_packets) as (paths, sources):
            result = _run(paths, quiet or outs.to_stdout, rules, fingerprints)
            if sources:
                result.inputs[:] = [dataclasses.replace(i, path="-") if i.index in sources
                                    else i for i in result.inputs]
            pseudo = _pseudonyms(result, outs)
            written = _write_outputs(result, outs, rules, sources, pseudo)
    except BrokenPipeError:
        # the reader of standard output went away (e.g. `| head`): not our error
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return
    except AnalyzerError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        _fail("interrupted")
    except MemoryError:
        _fail("out of memory")
    except Exception as e:  # no traceback reaches the user; ANALYZER_DEBUG shows it
        if os.environ.get("ANALYZER_DEBUG"):
            raise
        _fail(f"internal error ({type(e).__name__}: {e}); rerun with ANALYZER_DEBUG=1 "
              "and report it")
    if not (quiet or outs.to_stdout):
        _print_summary(result, written, pseudo)


def _run(captures: tuple[str, ...], quiet: bool, rules: RuleSet,
         fingerprints: Fingerprints) -> Analysis:
    total = sum(file_size(p) or 0 for p in captures)
    if quiet or total < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
        return analyze(list(captures), rules=rules, fingerprints=fingerprints)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("reading"), BarColumn(), TextColumn("{task.fields[pk]} packets"),
                  TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("read", total=total, pk=0)
        base = 0
        last = 0

        def tick(done: int, packets: int) -> None:
            nonlocal base, last
            if done < last:  # next input
                base += last
            last = done
            bar.update(task, completed=base + done, pk=packets)

        return analyze(list(captures), progress=tick, rules=rules, fingerprints=fingerprints)


@dataclasses.dataclass(frozen=True, slots=True)
class Outputs:
    """What the user asked ``analyze pcap`` to write."""

    json: str | None
    html: str | None
    md: str | None
    evidence: str | None
    graph: str | None
    anonymize: bool
    lang: str

    @property
    def to_stdout(self) -> bool:
        return "-" in (self.json, self.html, self.md, self.graph)

    @property
    def needs_packets(self) -> bool:
        """The HTML report (ladders, hex) and the evidence file re-read packets."""
        return bool(self.html or self.evidence)


@contextlib.contextmanager
def _stdin_spooled(captures: tuple[str, ...], spool: bool
                   ) -> Iterator[tuple[tuple[str, ...], dict[int, str]]]:
    """Standard input can be read only once; when the packets must be re-read for a report,
    it is first copied to a temporary file (removed afterwards)."""
    if not spool or "-" not in captures:
        yield captures, {}
        return
    with tempfile.NamedTemporaryFile(prefix="analyze-stdin-", suffix=".cap") as tmp:
        shutil.copyfileobj(sys.stdin.buffer, tmp, 1 << 20)
        tmp.flush()
        index = captures.index("-")
        yield tuple(tmp.name if p == "-" else p for p in captures), {index: tmp.name}


class _Filtered:
    """A text stream that passes every write through ``fn`` (the pseudonyms)."""

    def __init__(self, out: IO[str], fn: Callable[[str], str]) -> None:
        self.out = out
        self.fn = fn

    def write(self, s: str) -> int:
        return self.out.write(self.fn(s))


def _write_text(path: str, text: str) -> None:
    with _output(path) as fh:
        fh.write(text)


def _pseudonyms(result: Analysis, outs: Outputs) -> Pseudonyms | None:
    """One set of pseudonyms for every output of a run (None without --anonymize)."""
    if not outs.anonymize:
        return None
    from .report.anonymize import Pseudonyms

    return Pseudonyms.from_analysis(result)


def _write_outputs(result: Analysis, outs: Outputs, rules: RuleSet,
                   sources: dict[int, str], pseudo: Pseudonyms | None) -> list[str]:
    """Write every requested output; returns the paths written. (The flow graph module
    imports networkx, a tenth of a second: only when a graph is drawn or written.)"""
    text = pseudo.text if pseudo else (lambda s: s)
    written: list[str] = []
    if outs.json:
        from .report import jsondoc

        with _output(outs.json) as fh:
            # streamed: the document of a big capture is hundreds of MB. The writer hands
            # out whole JSON values per call, so no address is ever split between calls.
            jsondoc.write(result, cast(IO[str], _Filtered(fh, pseudo.text)) if pseudo else fh)
        written.append(outs.json)
    packets = None
    if outs.needs_packets:
        from .report.packets import cited, read_packets

        frames, flow_ids = cited(result)
        packets = read_packets(result, frames, flow_ids, sources=sources, pseudonyms=pseudo)
    g = None
    if outs.html or outs.graph:
        from .report import graph as flowgraph  # bound below wherever g is not None

        g = flowgraph.build(result, pseudonyms=pseudo.ip if pseudo else None)
    if outs.md or outs.html:
        from markupsafe import Markup

        from .report import html, markdown, view

        t = i18n.Messages(outs.lang)
        drawing = ""
        if outs.html and g is not None:
            words = {k: t.raw(f"graph.{k}") for k in flowgraph.WORDS}
            drawing = Markup(flowgraph.svg(g, words=words))
        v = view.build(result, t=t, rules=rules, packets=packets, graph_svg=drawing,
                       anonymized=outs.anonymize)
        if outs.md:
            _write_text(outs.md, text(markdown.render(v)))
            written.append(outs.md)
        if outs.html:
            _write_text(outs.html, text(html.render(v)))
            written.append(outs.html)
    if outs.evidence and packets is not None:
        from .report.evidence import write_evidence

        write_evidence(result, packets, outs.evidence)
        written.append(outs.evidence)
    if outs.graph and g is not None:
        if outs.graph == "-":
            sys.stdout.write(flowgraph.node_link_json(g))
        else:
            try:
                flowgraph.write(g, outs.graph)
            except OSError as e:
                _fail(f"{outs.graph}: cannot write: {e.strerror or e}")
        written.append(outs.graph)
    return written


def _print_summary(result: Analysis, written: list[str], pseudo: Pseudonyms | None) -> None:
    from .report.terminal import print_summary

    if pseudo is None:
        print_summary(result, written=written)
        return
    from rich.console import Console

    buf = io.StringIO()
    print_summary(result, written=written, console=Console(file=buf, width=100))
    sys.stdout.write(pseudo.text(buf.getvalue()))


def _register_rules() -> None:
    from .cli_rules import rules_group

    main.add_command(rules_group)


_register_rules()

if __name__ == "__main__":
    main()
