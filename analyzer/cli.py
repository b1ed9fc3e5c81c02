"""The ``analyze`` command: a thin Click layer over :func:`analyzer.analyze`.

Exit codes: 0 analysis done (findings or not); 1 input or rule error, one line on standard
error and no traceback; 2 usage error (Click's default).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

import click

from . import __version__
from .analysis import analyze
from .capture import file_size
from .errors import AnalyzerError
from .model import Analysis

if TYPE_CHECKING:
    from .fingerprints import Fingerprints
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
@click.option("--quiet", "-q", is_flag=True, help="No terminal summary or progress bar.")
def pcap_cmd(captures: tuple[str, ...], rule_dirs: tuple[str, ...], fp_files: tuple[str, ...],
             json_out: str | None,
             html_out: str | None, md_out: str | None, evidence_out: str | None,
             graph_out: str | None, quiet: bool) -> None:
    """Analyse CAPTURE... (pcap, pcapng, optionally gzip-compressed; - for standard input)."""
    if captures.count("-") > 1:
        _fail("standard input (-) can be read only once")
    if sum(1 for p in (json_out, html_out, md_out) if p == "-") > 1:
        _fail("only one output can go to standard output")
    if evidence_out or graph_out:  # refused before any work is done
        _fail("--evidence and --graph are not available yet in this version")
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
        result = _run(captures, quiet or json_out == "-", rules, fingerprints)
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
    try:
        _write_outputs(result, json_out, html_out, md_out)
    except BrokenPipeError:
        # the reader of standard output went away (e.g. `| head`): not our error
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return
    if not (quiet or json_out == "-" or html_out == "-" or md_out == "-"):
        from .report.terminal import print_summary

        print_summary(result, written=[p for p in (json_out, html_out, md_out) if p])


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


def _write_outputs(result: Analysis, json_out: str | None, html_out: str | None,
                   md_out: str | None) -> None:
    if json_out:
        from .report import jsondoc

        with _output(json_out) as fh:
            jsondoc.write(result, fh)
    if md_out:
        from .report import markdown

        with _output(md_out) as fh:
            fh.write(markdown.render(result))
    if html_out:
        from .report import html

        with _output(html_out) as fh:
            fh.write(html.render(result))


def _register_rules() -> None:
    from .cli_rules import rules_group

    main.add_command(rules_group)


_register_rules()

if __name__ == "__main__":
    main()
