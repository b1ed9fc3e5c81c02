"""The HTML and Markdown reports: content, escaping, language catalogue, determinism, golden
files, and the CLI options around them (--evidence, --graph, --anonymize, standard input).

Golden files live in tests/golden/; after an intended change of the report, rewrite them with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report.py`` and review the diff.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from analyzer.report import i18n
from analyzer.report.render import md_code, md_escape, md_link

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "captures" / "demo-clubhouse-2021.pcapng"
HOSTILE = ROOT / "tests" / "scenarios" / "hostile-strings" / "capture.pcap"
GOLDEN = ROOT / "tests" / "golden"
TEMPLATES = ROOT / "analyzer" / "templates"
CLIENT = "192.168.1.23"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "analyzer", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=300, check=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("demo")
    out = {k: d / f"demo.{k}" for k in ("json", "md", "html", "graphml")}
    out["pcapng"] = d / "evidence.pcapng"
    p = run("pcap", str(DEMO.relative_to(ROOT)), "--json", str(out["json"]),
            "--md", str(out["md"]), "--html", str(out["html"]),
            "--graph", str(out["graphml"]), "--evidence", str(out["pcapng"]), "-q")
    assert p.returncode == 0, p.stderr.decode()
    return out


# ---- the Markdown escaping ----------------------------------------------------------------

def test_md_code_cannot_be_broken_out_of() -> None:
    assert md_code("www.example.com") == "`www.example.com`"
    assert md_code("a`b") == "`` a`b ``"
    assert md_code("x|y") == "`x\\|y`"  # a table cell stays one cell
    assert md_code("line\nbreak") == "`line break`"
    assert md_code("") == ""


def test_md_escape_and_links() -> None:
    assert md_escape("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
    assert md_escape("a*b_c|d") == "a\\*b\\_c\\|d"
    assert md_link("https://example.org/a") == "<https://example.org/a>"
    assert md_link("javascript:alert(1)") == "`javascript:alert(1)`"
    assert md_link("https://x.org/a b") == "`https://x.org/a b`"


# ---- the language catalogue ---------------------------------------------------------------

def _template_keys() -> tuple[set[str], set[str]]:
    keys: set[str] = set()
    prefixes: set[str] = set()
    for p in TEMPLATES.glob("report.*.j2"):
        text = p.read_text()
        keys |= set(re.findall(r'\bt\("([a-z_.-]+)"[,)]', text))
        prefixes |= set(re.findall(r'\bt\("([a-z_.-]+\.)" ~', text))
    return keys, prefixes


def test_every_text_the_templates_use_is_in_the_english_catalogue() -> None:
    t = i18n.Messages("en")
    keys, prefixes = _template_keys()
    assert keys and prefixes
    missing = sorted(k for k in keys if not t.has(k))
    assert not missing, missing
    from analyzer.report.view import MECHANISMS
    for prefix in prefixes:
        for suffix in (*MECHANISMS, "high", "strong", "medium", "low"):
            if prefix in ("band.",) and suffix in MECHANISMS:
                continue
            if prefix != "band." and suffix in ("high", "strong", "medium", "low"):
                continue
            assert t.has(prefix + suffix), prefix + suffix


def test_the_graph_words_are_in_the_catalogue() -> None:
    from analyzer.report.graph import WORDS
    t = i18n.Messages("en")
    assert {k: t.raw(f"graph.{k}") for k in WORDS} == WORDS


def test_a_translation_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    real = i18n._catalogue

    def fake(lang: str) -> dict[str, str]:
        return {"section.verdict": "Putusan"} if lang == "id" else real(lang)

    monkeypatch.setattr(i18n, "_catalogue", fake)
    monkeypatch.setattr(i18n, "available", lambda: ["en", "id"])
    t = i18n.Messages("id")
    assert t("section.verdict") == "Putusan"
    assert t("section.findings") == "Findings"
    with pytest.raises(ValueError, match="no report language"):
        i18n.Messages("xx")
    with pytest.raises(KeyError, match="missing"):
        t("no.such.key")


# ---- content ------------------------------------------------------------------------------

class _Text(html.parser.HTMLParser):
    """Text nodes, tags and attributes of an HTML document, separately."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse(doc: str) -> _Text:
    p = _Text()
    p.feed(doc)
    return p


def test_html_report_states_the_verdict_and_the_proof(demo: dict[str, Path]) -> None:
    doc = demo["html"].read_text()
    p = parse(doc)
    text = " ".join(p.text)
    assert "www.clubhouse.com" in text
    assert "The DNS answer was forged by a device on the path" in text
    assert "frame.number in {35 36 37}" in text
    assert "frame.number in {41 42 43 44 48 49 50 51}" in text
    assert "a5a120c7e4673e0ad4a0af2e0194895756405e8bc8826ab2ef5fe718bb7ddee2" in text
    # ladders: both flows of F2, the RSTs highlighted, annotated against the server's TTL
    assert doc.count('<svg xmlns="http://www.w3.org/2000/svg" class="ladder"') == 3
    assert re.search(r'<g class="pkt cited" data-frame="42">', doc)
    assert "TTL 104 (genuine 52)" in text
    assert 'class="pkt trigger" data-frame="41"' in doc
    # hex of the key packets: frame 36 is the forged DNS answer (1f 0d 4d 21 = 31.13.77.33)
    assert "Frame 36 (" in text
    assert re.search(r"1f 0d 4d 21", doc)
    # rules with their references; the method note for the two mechanisms present
    assert "rst-injection/ttl-mismatch-after-trigger" in text
    assert "https://www.cl.cam.ac.uk/~rnc1/ignoring.pdf" in text
    assert "A device on the path sees a DNS query" in text
    # the graph is inline, and the only script is the one the CSP allows by hash
    assert 'id="graph"' in doc and "<svg" in doc.split('id="graph"', 1)[1]
    csp = re.search(r"script-src '(sha256-[^']+)'", doc)
    assert csp
    scripts = re.findall(r"<script>(.*?)</script>", doc, re.S)
    assert len(scripts) == 1
    from analyzer.report.render import script_hash
    assert script_hash(scripts[0]) == csp.group(1)
    # nothing external: no src/href to another origin except the rule references (links)
    for tag, attrs in p.tags:
        for name, value in attrs:
            if name == "src":
                raise AssertionError(f"<{tag} src={value}>")
            if name == "href" and value and not value.startswith("#"):
                assert tag == "a" and value.startswith("https://"), (tag, value)


def test_markdown_report_has_the_same_facts(demo: dict[str, Path]) -> None:
    md = demo["md"].read_text()
    assert "- **`www.clubhouse.com`**: The DNS answer was forged" in md
    assert "`frame.number in {35 36 37}`" in md
    assert "| `rst.ttl` | `104` |" in md
    assert "### F2: TCP reset injection, `www.clubhouse.com`" in md
    assert "| 36 | 2.093 | DNS | **DNS response NOERROR 31.13.77.33" in md
    assert "Analysed at" not in md  # no wall-clock time: byte-identical runs


def test_no_finding_report_says_so_plainly(tmp_path: Path) -> None:
    cap = ROOT / "captures" / "tcp-handshake-data-fin.pcap"
    p = run("pcap", str(cap), "--md", str(tmp_path / "r.md"), "--html", str(tmp_path / "r.html"),
            "-q")
    assert p.returncode == 0, p.stderr.decode()
    assert "No interference was found" in (tmp_path / "r.md").read_text()
    assert "No interference was found" in (tmp_path / "r.html").read_text()


# ---- determinism and golden files --------------------------------------------------------

VOLATILE_HTML = re.compile(r"Analysed at [^<]*? s\.")


def scrub(kind: str, text: str) -> str:
    from analyzer import __version__
    text = text.replace(f"analyzer {__version__}", "analyzer VERSION")
    if kind == "json":
        doc = json.loads(text)
        doc["tool"]["version"] = "VERSION"
        return json.dumps(doc, indent=1, sort_keys=True) + "\n"
    if kind == "html":
        return VOLATILE_HTML.sub("Analysed at TIME in SECONDS s.", text)
    return text


def test_outputs_are_deterministic(demo: dict[str, Path], tmp_path: Path) -> None:
    again = {k: tmp_path / f"again.{k}" for k in ("json", "md", "html", "graphml")}
    p = run("pcap", str(DEMO.relative_to(ROOT)), "--json", str(again["json"]),
            "--md", str(again["md"]), "--html", str(again["html"]),
            "--graph", str(again["graphml"]), "-q")
    assert p.returncode == 0, p.stderr.decode()
    for k in ("json", "md", "graphml"):
        assert demo[k].read_bytes() == again[k].read_bytes(), k
    first, second = demo["html"].read_text(), again["html"].read_text()
    assert VOLATILE_HTML.search(first)
    assert VOLATILE_HTML.sub("", first) == VOLATILE_HTML.sub("", second)


@pytest.mark.parametrize("kind", ["json", "md", "html"])
def test_golden(demo: dict[str, Path], kind: str) -> None:
    got = scrub(kind, demo[kind].read_text())
    path = GOLDEN / f"demo.{kind}"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got)
    assert path.is_file(), f"{path} missing: run with UPDATE_GOLDEN=1"
    assert got == path.read_text(), f"{kind} report changed; if intended, UPDATE_GOLDEN=1"


# ---- CLI: anonymisation, standard input, graph, evidence -------------------------------

def test_anonymize_replaces_the_client_everywhere(tmp_path: Path) -> None:
    outs = {k: tmp_path / f"a.{k}" for k in ("json", "md", "html", "graphml")}
    p = run("pcap", str(DEMO), "--anonymize", "--json", str(outs["json"]), "--md",
            str(outs["md"]), "--html", str(outs["html"]), "--graph", str(outs["graphml"]),
            "--evidence", str(tmp_path / "ev.pcapng"))
    assert p.returncode == 0, p.stderr.decode()
    for k, path in outs.items():
        text = path.read_text()
        assert CLIENT not in text, k
        assert "114.114.114.114" in text and "104.18.24.37" in text, k  # servers kept
    assert CLIENT not in p.stdout.decode()
    assert str(DEMO.parent) not in outs["html"].read_text()  # no directory names
    assert bytes([192, 168, 1, 23]) not in (tmp_path / "ev.pcapng").read_bytes()
    doc: dict[str, Any] = json.loads(outs["json"].read_text())
    assert all(f["flows"][0].startswith(("udp:198.18.", "tcp:198.18."))
               for f in doc["findings"])


def test_standard_input_with_reports_that_reread_packets(tmp_path: Path) -> None:
    p = run("pcap", "-", "--html", str(tmp_path / "r.html"), "--evidence",
            str(tmp_path / "ev.pcapng"), "-q", stdin=DEMO.read_bytes())
    assert p.returncode == 0, p.stderr.decode()
    doc = (tmp_path / "r.html").read_text()
    assert 'data-frame="42"' in doc  # the ladder was drawn from the spooled copy
    assert (tmp_path / "ev.pcapng").stat().st_size > 0


def test_graph_to_stdout_is_node_link_json() -> None:
    p = run("pcap", str(DEMO), "--graph", "-")
    assert p.returncode == 0, p.stderr.decode()
    g = json.loads(p.stdout)
    ids = {n["id"] for n in g["nodes"]}
    assert "name:www.clubhouse.com" in ids


@pytest.mark.parametrize("args,message", [
    (["--evidence", "-"], "needs a file path"),
    (["--lang", "xx", "--md", "-"], "no report language"),
    (["--json", "-", "--md", "-"], "only one output"),
])
def test_output_option_errors_are_one_line(args: list[str], message: str) -> None:
    p = run("pcap", str(DEMO), *args)
    assert p.returncode == 1
    err = p.stderr.decode()
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


# ---- hostile strings in the Markdown report --------------------------------------------

@pytest.mark.skipif(not HOSTILE.is_file(), reason="hostile-strings scenario not generated")
def test_markdown_keeps_hostile_strings_inert(tmp_path: Path) -> None:
    p = run("pcap", str(HOSTILE), "--md", str(tmp_path / "h.md"), "-q")
    assert p.returncode == 0, p.stderr.decode()
    md = (tmp_path / "h.md").read_text()
    assert "dataset.pwned" in md  # the hostile strings are there, as text
    # outside code spans, no unescaped tag can appear
    outside = re.sub(r"(`+)(?:(?!\1).)*?\1", "", md)
    assert not re.search(r"(?<!\\)<(script|img)", outside, re.I)
    assert "](javascript:" not in md and "<javascript:" not in md


def test_terminal_summary_caps_the_findings_it_lists() -> None:
    import io

    from analyzer.model import Analysis
    from analyzer.report.terminal import FINDINGS_SHOWN, print_summary
    from rich.console import Console

    def finding(i: int, mech: str) -> dict[str, Any]:
        return {"id": f"F{i}", "mechanism": mech, "rule": "r", "confidence": 0.9,
                "target": {"domain": f"n{i}.example", "ip": "192.0.2.1", "port": 443,
                           "transport": "tcp"}, "frames": [i], "summary": "s", "input": 0}

    a = Analysis(tool_version="x", findings=[finding(i, "rst-injection" if i % 2 else
                                                      "blackhole") for i in range(1, 51)])
    buf = io.StringIO()
    print_summary(a, console=Console(file=buf, width=200))
    out = buf.getvalue()
    assert f"n{FINDINGS_SHOWN}.example" in out and f"n{FINDINGS_SHOWN + 1}.example" not in out
    assert "… 20 more in the JSON or HTML report: rst-injection 10, blackhole 10" in out
