"""Load a local HTML file in headless Chromium and report what the page did.

The HTML report promises three things a reader cannot check by looking at it: it runs no
script that came from a capture, it fetches nothing from the network, and it renders without
console errors. Only a real browser can check them, so the tests load the report in Debian's
``chromium`` and ask it over the DevTools protocol (CDP): every console message with its
level, every uncaught exception, every browser log entry (CSP violations land there), every
request the page made, the DOM after the scripts ran, and a screenshot.

Only the ``chromium`` binary and the standard library are used (no Playwright, no Selenium):
Chromium is started with ``--remote-debugging-pipe``, which speaks CDP as JSON messages ended
by a NUL byte, reading commands on file descriptor 3 and writing replies and events on file
descriptor 4. Command-line flags alone are not enough: ``--enable-logging=stderr`` prints
console messages without their level on current versions, and ``--dump-dom`` and
``--screenshot`` each need their own browser start.

The browser is treated as untrusted and slow: a fresh profile directory per load, networking
features that phone home turned off, every read bounded by a deadline (headless Chromium can
take many seconds to start on a busy two-core machine), and the whole process group killed
when the deadline passes or the load is done.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: flags for a quiet, self-contained headless browser
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",                  # tests may run as root (CI), where the sandbox refuses
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pings",
    "--mute-audio",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--hide-scrollbars",
    "--window-size=1280,2000",
    "--remote-debugging-pipe",
)

#: how long the page may keep doing things after its load event before we look
SETTLE_SECONDS = 0.75
#: the largest CDP message accepted (a 1280x2000 PNG screenshot is far below this)
MAX_MESSAGE = 64 << 20


class BrowserError(RuntimeError):
    """Chromium did not start, died, broke the protocol or ran out of time."""


def chromium_path() -> str | None:
    """The ``chromium`` executable on PATH (Debian's package), or None."""
    return shutil.which("chromium")


@dataclass
class PageLoad:
    """What one page load did."""

    screenshot: Path
    """The PNG screenshot written: the top 1280x2000 pixels of the page."""
    console: list[str] = field(default_factory=list)
    """Console messages (all levels), uncaught exceptions and browser log entries, each as
    ``"<level>: <text>"`` with level one of verbose, debug, info, log, warning, error."""
    requests: list[str] = field(default_factory=list)
    """Every URL the page tried to fetch, except the page itself and ``data:`` URLs."""
    dom: str = ""
    """The serialized DOM (``document.documentElement.outerHTML``) after the scripts ran."""
    value: Any = None
    """What the ``evaluate`` expression given to :func:`load` returned (by value)."""

    def errors(self) -> list[str]:
        """The console entries at level warning or error."""
        return [c for c in self.console if c.startswith(("warning:", "error:"))]


# ---------------------------------------------------------------------------- the pipe


class _Cdp:
    """A CDP connection over the two pipes, with one deadline for everything."""

    def __init__(self, proc: subprocess.Popen[bytes], to_browser: int, from_browser: int,
                 deadline: float) -> None:
        self.proc = proc
        self.wfd = to_browser
        self.rfd = from_browser
        self.deadline = deadline
        self.buf = bytearray()
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise BrowserError("timed out waiting for chromium")
        return left

    def _read_message(self) -> dict[str, Any]:
        while True:
            end = self.buf.find(b"\0")
            if end >= 0:
                raw = bytes(self.buf[:end])
                del self.buf[: end + 1]
                msg = json.loads(raw)
                if not isinstance(msg, dict):
                    raise BrowserError("chromium sent a CDP message that is not an object")
                return msg
            if len(self.buf) > MAX_MESSAGE:
                raise BrowserError("chromium sent an oversized CDP message")
            ready, _, _ = select.select([self.rfd], [], [], min(self._left(), 1.0))
            if not ready:
                if self.proc.poll() is not None:
                    raise BrowserError(f"chromium exited with status {self.proc.returncode}")
                continue
            chunk = os.read(self.rfd, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the DevTools pipe")
            self.buf += chunk

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        """Send one command and wait for its reply; events that arrive meanwhile are kept."""
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session is not None:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            _, ready, _ = select.select([], [self.wfd], [], self._left())
            if ready:
                data = data[os.write(self.wfd, data):]
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result = reply.get("result", {})
                return result if isinstance(result, dict) else {}
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method: str, session: str | None = None,
                   since: int = 0) -> dict[str, Any]:
        """Wait for an event; one already received (from ``events[since]`` on) counts."""
        for ev in self.events[since:]:
            if ev.get("method") == method and ev.get("sessionId") == session:
                return ev
        while True:
            ev = self._read_message()
            if "method" in ev:
                self.events.append(ev)
                if ev["method"] == method and ev.get("sessionId") == session:
                    return ev

    def drain(self, seconds: float) -> None:
        """Collect the events of the next ``seconds`` (bounded by the deadline)."""
        until = min(time.monotonic() + seconds, self.deadline)
        while True:
            end = self.buf.find(b"\0")
            if end >= 0:
                ev = self._read_message()
                if "method" in ev:
                    self.events.append(ev)
                continue
            left = until - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([self.rfd], [], [], left)
            if ready:
                chunk = os.read(self.rfd, 1 << 20)
                if not chunk:
                    return
                self.buf += chunk


# ---------------------------------------------------------------------------- events


def _remote_text(obj: dict[str, Any]) -> str:
    """A console argument (a CDP RemoteObject) as text."""
    if "value" in obj:
        v = obj["value"]
        return v if isinstance(v, str) else json.dumps(v)
    return str(obj.get("description") or obj.get("unserializableValue") or obj.get("type", ""))


_CONSOLE_LEVEL = {"warning": "warning", "error": "error", "assert": "error", "debug": "debug",
                  "info": "info"}


def _console(events: list[dict[str, Any]], session: str) -> list[str]:
    out: list[str] = []
    for ev in events:
        if ev.get("sessionId") != session:
            continue
        p = ev.get("params", {})
        method = ev.get("method")
        if method == "Runtime.consoleAPICalled":
            level = _CONSOLE_LEVEL.get(p.get("type", "log"), "log")
            text = " ".join(_remote_text(a) for a in p.get("args", []))
            out.append(f"{level}: {text}")
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            exc = d.get("exception") or {}
            out.append(f"error: {d.get('text', 'exception')} {exc.get('description', '')}"
                       .rstrip())
        elif method == "Log.entryAdded":
            e = p.get("entry", {})
            where = f" ({e['url']})" if e.get("url") else ""
            out.append(f"{e.get('level', 'info')}: [{e.get('source', 'other')}] "
                       f"{e.get('text', '')}{where}")
    return out


def _requests(events: list[dict[str, Any]], session: str, page_url: str) -> list[str]:
    out: list[str] = []
    for ev in events:
        if ev.get("sessionId") != session:
            continue
        if ev.get("method") != "Network.requestWillBeSent":
            continue
        url = ev.get("params", {}).get("request", {}).get("url", "")
        if url == page_url or url.startswith("data:"):
            continue
        if url not in out:
            out.append(url)
    return out


# ---------------------------------------------------------------------------- load


def _high_fd(fd: int) -> int:
    """A close-on-exec duplicate of ``fd`` numbered 10 or above (so the shell below can
    move it to 3 or 4 without clobbering the other), the original closed."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return new


def _stop(proc: subprocess.Popen[bytes], grace: float) -> None:
    """Give the browser ``grace`` seconds to exit by itself (it reaps its own helper
    processes), then kill its process group (it was started in a session of its own)."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def load(html: Path, workdir: Path, *, timeout: float = 60,
         evaluate: str | None = None) -> PageLoad:
    """Open ``html`` (a local file) in headless Chromium, wait for its load event and a short
    settle time, then take a screenshot (``workdir/<stem>.png``), the DOM, the console
    messages and the requests; then runs ``evaluate`` (a JavaScript expression), if given,
    and keeps its value. Raises :class:`BrowserError` when chromium is missing, fails
    or exceeds ``timeout`` seconds."""
    exe = chromium_path()
    if exe is None:
        raise BrowserError("chromium is not installed (apt-get install chromium)")
    html = html.resolve()
    page_url = html.as_uri()
    workdir.mkdir(parents=True, exist_ok=True)
    shot = workdir / f"{html.stem}.png"
    deadline = time.monotonic() + timeout
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=workdir)
    cmd_r, cmd_w = os.pipe()        # we write commands, chromium reads them on fd 3
    ev_r, ev_w = os.pipe()          # chromium writes on fd 4, we read
    cmd_r, cmd_w, ev_r, ev_w = map(_high_fd, (cmd_r, cmd_w, ev_r, ev_w))
    argv = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"]
    # bash (dash takes one-digit descriptors only) puts the pipe ends on fds 3 and 4,
    # closes the originals and execs chromium
    script = f'exec "$@" 3<&{cmd_r} 4>&{ev_w} {cmd_r}<&- {ev_w}>&-'
    proc = subprocess.Popen(["/bin/bash", "-c", script, "bash", *argv], pass_fds=(cmd_r, ev_w),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    os.close(cmd_r)
    os.close(ev_w)
    grace = 0.0
    try:
        cdp = _Cdp(proc, cmd_w, ev_r, deadline)
        target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = cdp.send("Target.attachToTarget",
                           {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            cdp.send(f"{domain}.enable", session=session)
        cdp.send("Emulation.setDeviceMetricsOverride",
                 {"width": 1280, "height": 2000, "deviceScaleFactor": 1, "mobile": False},
                 session=session)
        before = len(cdp.events)      # a load event of about:blank must not count
        nav = cdp.send("Page.navigate", {"url": page_url}, session=session)
        if nav.get("errorText"):
            raise BrowserError(f"navigation to {page_url} failed: {nav['errorText']}")
        cdp.wait_event("Page.loadEventFired", session, since=before)
        cdp.drain(SETTLE_SECONDS)
        png = cdp.send("Page.captureScreenshot", {"format": "png"}, session=session)
        shot.write_bytes(base64.b64decode(png.get("data", "")))
        dom = cdp.send("Runtime.evaluate",
                       {"expression": "document.documentElement.outerHTML",
                        "returnByValue": True}, session=session)
        value = None
        if evaluate is not None:
            value = cdp.send("Runtime.evaluate", {"expression": evaluate,
                                                  "returnByValue": True},
                             session=session).get("result", {}).get("value")
        cdp.drain(0.05)
        result = PageLoad(shot, _console(cdp.events, session),
                          _requests(cdp.events, session, page_url),
                          str(dom.get("result", {}).get("value", "")), value)
        with contextlib.suppress(BrowserError, OSError):
            cdp.deadline = min(cdp.deadline, time.monotonic() + 5)
            cdp.send("Browser.close")
        grace = 5.0
        return result
    finally:
        os.close(cmd_w)             # chromium also exits when its command pipe closes
        os.close(ev_r)
        _stop(proc, grace)
        shutil.rmtree(profile, ignore_errors=True)
