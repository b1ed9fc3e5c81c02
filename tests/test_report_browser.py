"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``) loads what
``analyze pcap CAP --html`` writes, for the demo capture and for the hostile-strings scenario
(``tests/scenarios/hostile-strings``, written by ``captures/scenarios_hostile.py``), and the
page must

* render (a PNG screenshot of real size),
* log no console warning or error (a CSP violation, a script error, a failed load),
* fetch nothing (no request other than the file itself and ``data:`` URLs),
* never run a captured string: no ``data-pwned`` attribute in the DOM after load (each
  hostile string sets one if executed), no inline event handler, no ``javascript:`` link,
* show every hostile string as text (in a text node, outside ``<script>``/``<style>``).

The harness (``tests/browser.py``) is tested first on throwaway pages that must fail each
check: a page with an external image shows a request, a page with ``console.error`` shows a
console message, a page whose script sets ``data-pwned`` shows it in the DOM, and a page
that pastes the hostile strings unescaped fails the report checks. Everything skips with
the reason when chromium is absent. One render and one browser load per capture (module
fixtures) keep the time down.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import BrowserError, PageLoad, chromium_path, load

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "captures" / "demo-clubhouse-2021.pcapng"
HOSTILE = ROOT / "tests" / "scenarios" / "hostile-strings" / "capture.pcap"

#: the hostile strings of the scenario (as in captures/scenarios_hostile.py, MARKERS), and
#: where each lives in the JSON document
MARKERS = {
    "document.body.dataset.pwned='dns'":
        "findings[mechanism=dns-injection].target.domain and .summary; dns[].qname",
    "document.body.dataset.pwned='sni'":
        "findings[mechanism=rst-injection].target.domain and .summary; tls[].sni",
    "document.body.dataset.pwned='body'":
        "http[host=www.example-video.in].body_prefix (the block page's body)",
    "\"quoted\" 'single' <b>bold</b>":
        "http[host=www.example-video.in].server_header",
    "javascript:document.body.dataset.pwned='href'":
        "findings[mechanism=blockpage, domain=www.example-torrent.kr].evidence "
        "http.location; http[].location",
}

#: attributes whose value is a URL the browser may follow or load
URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                       "background", "cite", "srcset"})

needs_chromium = pytest.mark.skipif(
    chromium_path() is None,
    reason="chromium is not installed (apt-get install chromium): the HTML report cannot "
           "be checked in a browser")
pytestmark = [pytest.mark.slow, needs_chromium]


# ---------------------------------------------------------------------------- the checks


@dataclass
class Dom:
    """What the checks need from a serialized DOM."""

    text: list[str]                                  # text nodes outside script/style
    script_text: list[str]                           # content of script/style elements
    attrs: list[tuple[str, str, str]]                # (tag, attribute, value)


class _DomParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dom = Dom([], [], [])
        self.raw: str | None = None                  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.dom.attrs.append((tag, name, value or ""))
        if tag in ("script", "style"):
            self.raw = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.dom.attrs.append((tag, name, value or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self.raw:
            self.raw = None

    def handle_data(self, data: str) -> None:
        (self.dom.script_text if self.raw else self.dom.text).append(data)


def parse_dom(html: str) -> Dom:
    p = _DomParser()
    p.feed(html)
    p.close()
    return p.dom


def executed(page: PageLoad) -> list[str]:
    """Signs that a captured string ran or became active markup."""
    dom = parse_dom(page.dom)
    bad = []
    if "data-pwned" in page.dom:
        bad.append("data-pwned is in the DOM: a captured string was executed")
    for tag, name, value in dom.attrs:
        if name.startswith("on"):
            bad.append(f"inline event handler <{tag} {name}={value!r}>")
        if name in URL_ATTRS and value.strip().lower().startswith("javascript:"):
            bad.append(f"javascript: URL in <{tag} {name}={value!r}>")
    bad += [f"captured string inside a script/style element: {s[:120]!r}"
            for s in dom.script_text if "pwned" in s]
    return bad


def missing_text(page: PageLoad, markers: dict[str, str]) -> list[str]:
    """The markers that do not appear in any text node of the DOM."""
    text = parse_dom(page.dom).text
    return [f"{m!r} (in the JSON at {where})" for m, where in markers.items()
            if not any(m in t for t in text)]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; (0, 0) when it is not a PNG."""
    head = path.read_bytes()[:24]
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return 0, 0
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


# ---------------------------------------------------------------------------- the harness


def _page(tmp_path: Path, body: str, head: str = "") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    p = tmp_path / "page.html"
    p.write_text(f"<!DOCTYPE html><html><head><meta charset=\"utf-8\">{head}<title>t</title>"
                 f"</head><body><p>harness check</p>{body}</body></html>", encoding="utf-8")
    return p


def test_harness_sees_a_request(tmp_path: Path) -> None:
    page = load(_page(tmp_path, '<img src="http://example.invalid/x.png" alt="">'), tmp_path)
    assert "http://example.invalid/x.png" in page.requests, page.requests
    assert page.screenshot.is_file() and png_size(page.screenshot)[0] == 1280


def test_harness_sees_a_console_error(tmp_path: Path) -> None:
    page = load(_page(tmp_path, '<script>console.error("harness-x")</script>'), tmp_path)
    assert "error: harness-x" in page.console, page.console
    assert page.requests == []


def test_harness_sees_what_a_script_did(tmp_path: Path) -> None:
    page = load(_page(tmp_path, "<script>document.body.dataset.pwned='t'</script>"),
                tmp_path)
    assert 'data-pwned="t"' in page.dom, page.dom
    assert executed(page)


def test_checks_catch_an_unescaped_page(tmp_path: Path) -> None:
    """The hostile strings pasted into a page without escaping (and without a CSP) fail
    the report checks; escaped, under the report's kind of CSP, they pass."""
    strings = ["<script>document.body.dataset.pwned='dns'</script>.example.com",
               "\"><img/src=\"x\"/onerror=\"document.body.dataset.pwned='sni'\">.example.com",
               "<script>document.body.dataset.pwned='body'</script>",
               "\"quoted\" 'single' <b>bold</b>"]
    href = "javascript:document.body.dataset.pwned='href'"
    raw = "".join(f'<p title="{s}">{s}</p>' for s in strings) + f'<a href="{href}">{href}</a>'
    bad = load(_page(tmp_path / "raw", raw), tmp_path / "raw")
    assert executed(bad) and missing_text(bad, MARKERS), bad.dom

    csp = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:\">")
    safe = "".join(f'<p title="{escape(s)}">{escape(s)}</p>' for s in [*strings, href])
    good = load(_page(tmp_path / "safe", safe, head=csp), tmp_path / "safe")
    assert not executed(good), executed(good)
    assert not missing_text(good, MARKERS), missing_text(good, MARKERS)
    assert not good.console and not good.requests, (good.console, good.requests)


# ---------------------------------------------------------------------------- the report


def render(capture: Path, out: Path) -> Path:
    """``analyze pcap CAPTURE --html OUT`` through the CLI."""
    p = subprocess.run([sys.executable, "-m", "analyzer", "pcap", str(capture), "--html",
                        str(out)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    if p.returncode != 0:
        raise AssertionError(f"analyze pcap {capture.name} --html exited with "
                             f"{p.returncode}: {(p.stdout + p.stderr).strip()[-2000:]}")
    assert out.is_file() and out.stat().st_size > 0
    return out


class Reports:
    """Each capture rendered and loaded once per module, on first use."""

    def __init__(self, work: pytest.TempPathFactory) -> None:
        self.work = work
        self.pages: dict[str, PageLoad | str] = {}

    def __call__(self, name: str) -> PageLoad:
        if name not in self.pages:
            capture = {"demo": DEMO, "hostile": HOSTILE}[name]
            work = self.work.mktemp(f"report-{name}")
            try:
                assert capture.is_file(), f"{capture} is missing"
                self.pages[name] = load(render(capture, work / f"{name}.html"), work)
            except (AssertionError, BrowserError, subprocess.TimeoutExpired) as e:
                self.pages[name] = f"{type(e).__name__}: {e}"   # fail once, not per test
        got = self.pages[name]
        if isinstance(got, str):
            pytest.fail(f"the {name} report could not be rendered and loaded: {got}")
        return got


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return Reports(tmp_path_factory)


CAPTURES = pytest.mark.parametrize("name", ["demo", "hostile"])


@CAPTURES
def test_report_renders_a_screenshot(reports: Reports, name: str) -> None:
    page = reports(name)
    width, height = png_size(page.screenshot)
    assert (width, height) == (1280, 2000), (width, height)
    assert page.screenshot.stat().st_size > 20_000, "the screenshot is nearly empty"


@CAPTURES
def test_report_logs_no_warning_or_error(reports: Reports, name: str) -> None:
    page = reports(name)
    assert not page.errors(), "\n".join(page.errors())


@CAPTURES
def test_report_fetches_nothing(reports: Reports, name: str) -> None:
    assert reports(name).requests == []


@CAPTURES
def test_report_runs_no_captured_string(reports: Reports, name: str) -> None:
    assert not executed(reports(name)), "\n".join(executed(reports(name)))


def test_report_shows_hostile_strings_as_text(reports: Reports) -> None:
    missing = missing_text(reports("hostile"), MARKERS)
    assert not missing, "not shown as text in the HTML report:\n" + "\n".join(missing)


def test_report_prints_to_pdf(tmp_path: Path) -> None:
    """The report prints (the print stylesheet hides navigation and keeps boxes whole)."""
    html = render(DEMO, tmp_path / "demo.html")
    pdf = tmp_path / "demo.pdf"
    exe = chromium_path()
    assert exe
    subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
                   capture_output=True, timeout=120, check=False)
    data = pdf.read_bytes() if pdf.is_file() else b""
    assert data.startswith(b"%PDF-"), "chromium wrote no PDF"
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert 2 <= pages <= 40, pages


def test_graph_filter_shows_one_finding(tmp_path: Path) -> None:
    """The report's one script: a click on a finding's button dims the rest of the graph."""
    html = render(DEMO, tmp_path / "demo.html")
    page = load(html, tmp_path, evaluate="""(function () {
        var b = document.querySelector('.graph-filter button[data-show="F1"]');
        b.click();
        var dim = document.querySelectorAll('#graph .dim').length;
        var f1 = document.querySelectorAll('#graph [data-findings~="F1"]');
        var f1dim = document.querySelectorAll('#graph [data-findings~="F1"].dim').length;
        var pressed = b.getAttribute('aria-pressed');
        document.querySelector('.graph-filter button[data-show=""]').click();
        var after = document.querySelectorAll('#graph .dim').length;
        return [dim, f1.length, f1dim, pressed, after];
    })()""")
    assert not page.errors(), page.errors()
    dim, f1, f1dim, pressed, after = page.value
    assert f1 > 0 and f1dim == 0 and dim > 0 and pressed == "true" and after == 0, page.value
