"""HTTP/1.x message parser for one direction of a reassembled TCP stream: facts only.

Implemented (parsing only, no decompression, no semantics beyond message framing):

- RFC 9112 (HTTP/1.1): request-line (section 3) with origin-, absolute-, authority- and
  asterisk-form targets, status-line (section 4), field lines (section 5) including
  obsolete line folding (5.2), message body length (6.3), chunked transfer coding (7.1),
  bare LF line terminators (2.2), pipelining (9.3.2).
- RFC 9110 (HTTP semantics): responses without content (HEAD, 1xx, 204, 304, 2xx to
  CONNECT; sections 6.4.1 and 9.3.6), Content-Length (8.6), Host (7.2).
- RFC 1945 (HTTP/1.0) messages.

The parsers never raise on hostile input and do bounded work: at most ``MAX_HEADERS`` header
fields per message, header blocks of at most ``MAX_HEADER_BLOCK`` bytes, at most
``MAX_MESSAGES`` messages per stream. Problems become named :class:`ParseAnomaly` values
whose ``offset`` is a byte offset in the stream.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from analyzer.protocols.common import ParseAnomaly

__all__ = [
    "BODY_PREFIX_LENGTH",
    "MAX_HEADERS",
    "MAX_HEADER_BLOCK",
    "MAX_MESSAGES",
    "HttpRequest",
    "HttpRequests",
    "HttpResponse",
    "HttpResponses",
    "looks_like_http_request",
    "looks_like_http_response",
    "parse_http_requests",
    "parse_http_responses",
]

MAX_HEADERS: Final[int] = 100
MAX_HEADER_BLOCK: Final[int] = 32 * 1024
MAX_MESSAGES: Final[int] = 1024
BODY_PREFIX_LENGTH: Final[int] = 4096
_MAX_CHUNK_LINE: Final[int] = 1024

Headers = tuple[tuple[str, str], ...]


def _first(headers: Headers, name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One request. ``headers`` keeps order and names as sent; values are latin-1 text with
    surrounding whitespace removed.

    ``host`` comes from an absolute-form or CONNECT (authority-form) target, else from the
    first Host header, as written (a port is kept). ``content_length`` is the declared
    length (None when absent or invalid); ``body_length`` counts the body bytes present in
    the stream (after dechunking). ``header_length`` spans the request line to the end of
    the empty line (for an incomplete head: the complete lines present). ``complete``
    means head and body were entirely in the stream.
    """

    offset: int
    method: str
    target: str
    version: str
    headers: Headers
    host: str | None
    user_agent: str | None
    content_length: int | None
    chunked: bool
    header_length: int
    body_length: int
    complete: bool

    def header(self, name: str) -> str | None:
        """Value of the first header called ``name`` (case-insensitive), or None."""
        return _first(self.headers, name)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """One response.

    ``body_prefix`` holds the first ``BODY_PREFIX_LENGTH`` bytes of the body (dechunked,
    never decompressed); ``body_sha256`` is the hex SHA-256 of all body bytes present
    (dechunked) and ``body_length`` their count; ``body_complete`` means the body's end
    was seen (always False for a body delimited by connection close). ``complete`` means
    head and body were entirely in the stream.
    """

    offset: int
    version: str
    status: int
    reason: str
    headers: Headers
    location: str | None
    server: str | None
    content_type: str | None
    content_length: int | None
    chunked: bool
    header_length: int
    body_length: int
    body_prefix: bytes
    body_sha256: str
    body_complete: bool
    complete: bool

    def header(self, name: str) -> str | None:
        """Value of the first header called ``name`` (case-insensitive), or None."""
        return _first(self.headers, name)


@dataclass(frozen=True, slots=True)
class HttpRequests:
    """Requests parsed from a client-to-server stream, in order.

    ``consumed`` is the stream offset just after the last complete request: bytes from
    there on (an incomplete message) can be parsed again once more data is known.
    """

    requests: tuple[HttpRequest, ...]
    anomalies: tuple[ParseAnomaly, ...]
    consumed: int


@dataclass(frozen=True, slots=True)
class HttpResponses:
    """Responses parsed from a server-to-client stream, in order (see HttpRequests)."""

    responses: tuple[HttpResponse, ...]
    anomalies: tuple[ParseAnomaly, ...]
    consumed: int


# ---------------------------------------------------------------------------------------
# Cheap detection

_TCHAR = rb"!#$%&'*+.^_`|~0-9A-Za-z-"
_REQUEST_START = re.compile(
    rb"[A-Z][A-Z0-9_-]{0,23} (?:[/*]|[A-Za-z][A-Za-z0-9+.-]{0,15}://|[^\s/]+:[0-9])"
)
_REQUEST_PARTIAL = re.compile(rb"[A-Z][A-Z0-9_-]{0,23}(?: \S*)?\Z")
_RESPONSE_START = re.compile(rb"HTTP/1\.[0-9] [0-9]{3}")


def looks_like_http_request(prefix: bytes) -> bool:
    """True when ``prefix`` starts like an HTTP/1.x request line.

    An upper-case method token and a space, then ``/``, ``*``, ``scheme://`` or ``host:port``
    (CONNECT). Needs about 6 bytes; use on the first payload bytes of a flow on any port.
    """
    return _REQUEST_START.match(prefix) is not None


def looks_like_http_response(prefix: bytes) -> bool:
    """True when ``prefix`` starts like an HTTP/1.x status line (``HTTP/1.x NNN``)."""
    return _RESPONSE_START.match(prefix) is not None


# ---------------------------------------------------------------------------------------
# Shared pieces

_BLANK_LINE = re.compile(rb"\n\r?\n")
_TOKEN = re.compile(rb"[" + _TCHAR + rb"]+")
_REQUEST_LINE = re.compile(rb"([" + _TCHAR + rb"]+) (\S+) (HTTP/[0-9]\.[0-9])")
_VERSION = re.compile(rb"HTTP/[0-9]\.[0-9]")
_STATUS_LINE = re.compile(rb"(HTTP/[0-9]\.[0-9]) ([0-9]{3})(?: (.*))?", re.S)
_ABSOLUTE_TARGET = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_EMPTY_SHA256: Final = hashlib.sha256(b"").hexdigest()


@dataclass(slots=True)
class _Head:
    start_line: bytes
    headers: Headers
    length: int
    complete: bool


def _skip_blank_lines(stream: bytes, off: int) -> int:
    n = len(stream)
    while off < n:
        if stream.startswith(b"\r\n", off):
            off += 2
        elif stream[off] == 0x0A:
            off += 1
        else:
            break
    return off


def _short(data: bytes) -> str:
    return repr(data[:60])[2:-1]


def _read_head(stream: bytes, off: int, anomalies: list[ParseAnomaly]) -> _Head | None:
    """The start line and header fields at ``off``; None when not one full line is there."""
    n = len(stream)
    limit = off + MAX_HEADER_BLOCK
    match = _BLANK_LINE.search(stream, off, limit)
    if match is not None:
        block = stream[off : match.start() + 1]  # up to and including the last line's LF
        length = match.end() - off
        complete = True
        bare_lf = match.end() - match.start() == 2  # "\n\n": the empty line is a bare LF
    else:
        if n >= limit:
            anomalies.append(
                ParseAnomaly("http_header_too_long", f"over {MAX_HEADER_BLOCK} bytes", off)
            )
        last = stream.rfind(b"\n", off, min(n, limit))
        if last < 0:
            return None
        block = stream[off : last + 1]
        length = last + 1 - off
        complete = bare_lf = False
    crlf = block.count(b"\r\n")
    if bare_lf or block.count(b"\n") != crlf:
        anomalies.append(ParseAnomaly("http_bare_lf", "line ending without CR", off))
    bare_cr = block.count(b"\r") != crlf
    lines = block.split(b"\n")
    lines.pop()  # block ends with LF
    start_line = lines[0].removesuffix(b"\r")
    headers: list[tuple[str, str]] = []
    pos = off + len(lines[0]) + 1
    for raw in lines[1:]:
        line = raw.removesuffix(b"\r")
        where = pos
        pos += len(raw) + 1
        if bare_cr and b"\r" in line:
            anomalies.append(ParseAnomaly("http_bare_cr", _short(line), where))
        if line[:1] in (b" ", b"\t"):
            if headers:
                name, value = headers[-1]
                extra = line.strip(b" \t").decode("latin-1")
                headers[-1] = (name, f"{value} {extra}" if value else extra)
                anomalies.append(ParseAnomaly("http_obs_fold", _short(line), where))
            else:
                anomalies.append(ParseAnomaly("http_malformed_header", _short(line), where))
            continue
        colon = line.find(b":")
        if colon <= 0:
            anomalies.append(ParseAnomaly("http_malformed_header", _short(line), where))
            continue
        if len(headers) >= MAX_HEADERS:
            anomalies.append(
                ParseAnomaly("http_too_many_headers", f"more than {MAX_HEADERS}", where)
            )
            break
        name_bytes = line[:colon]
        if _TOKEN.fullmatch(name_bytes) is None:
            anomalies.append(ParseAnomaly("http_malformed_header", _short(line), where))
        headers.append(
            (name_bytes.decode("latin-1"), line[colon + 1 :].strip(b" \t").decode("latin-1"))
        )
    return _Head(start_line, tuple(headers), length, complete)


@dataclass(slots=True)
class _Framing:
    content_length: int | None
    chunked: bool
    valid: bool  # False: the body length cannot be determined from the headers


def _framing(headers: Headers, off: int, anomalies: list[ParseAnomaly]) -> _Framing:
    lengths: list[str] = []
    codings: list[str] = []
    for name, value in headers:
        lower = name.lower()
        if lower == "content-length":
            lengths.extend(part.strip() for part in value.split(","))
        elif lower == "transfer-encoding":
            codings.extend(c for c in (p.strip().lower() for p in value.split(",")) if c)
    content_length: int | None = None
    valid = True
    if lengths:
        first = lengths[0]
        if (
            not first.isascii()
            or not first.isdigit()
            or len(first) > 18
            or any(other != first for other in lengths)
        ):
            anomalies.append(
                ParseAnomaly("http_bad_content_length", ", ".join(lengths)[:80], off)
            )
            valid = False
        else:
            content_length = int(first)
    chunked = False
    if codings:
        if lengths:
            anomalies.append(
                ParseAnomaly("http_te_and_content_length", "Transfer-Encoding wins", off)
            )
        if codings[-1] == "chunked":
            chunked = True
            valid = True
        else:
            anomalies.append(
                ParseAnomaly("http_bad_transfer_encoding", ",".join(codings)[:80], off)
            )
            valid = False
    return _Framing(content_length, chunked, valid)


@dataclass(slots=True)
class _Body:
    length: int
    prefix: bytes
    sha256: str
    end: int  # stream offset after the body, -1 when its end is not in the stream


def _plain_body(stream: bytes, start: int, size: int | None) -> _Body:
    """``size`` bytes at ``start`` (None: up to the end of the stream, end unknown)."""
    stop = len(stream) if size is None else start + size
    body = stream[start:stop]
    end = stop if size is not None and stop <= len(stream) else -1
    return _Body(len(body), body[:BODY_PREFIX_LENGTH], hashlib.sha256(body).hexdigest(), end)


def _chunked_body(stream: bytes, start: int, anomalies: list[ParseAnomaly]) -> _Body:
    n = len(stream)
    digest = hashlib.sha256()
    prefix = bytearray()
    total = 0
    pos = start
    end = -1
    while True:
        eol = stream.find(b"\n", pos, pos + _MAX_CHUNK_LINE)
        if eol < 0:
            if n - pos >= _MAX_CHUNK_LINE:
                anomalies.append(ParseAnomaly("http_bad_chunk", "chunk-size line too long", pos))
            break
        size_field = stream[pos:eol].removesuffix(b"\r").split(b";", 1)[0].strip(b" \t")
        if _HEX.fullmatch(size_field) is None:
            anomalies.append(ParseAnomaly("http_bad_chunk", _short(size_field), pos))
            break
        size = int(size_field, 16)
        data = eol + 1
        if size == 0:
            trailer_end = _BLANK_LINE.search(stream, eol, eol + MAX_HEADER_BLOCK)
            if trailer_end is not None:
                end = trailer_end.end()
            break
        chunk = stream[data : data + size]
        digest.update(chunk)
        total += len(chunk)
        if len(prefix) < BODY_PREFIX_LENGTH:
            prefix += chunk[: BODY_PREFIX_LENGTH - len(prefix)]
        after = data + size
        if after > n:
            break
        if stream.startswith(b"\r\n", after):
            pos = after + 2
        elif stream.startswith(b"\n", after):
            pos = after + 1
        elif after + 2 <= n:
            anomalies.append(ParseAnomaly("http_bad_chunk", "chunk not followed by CRLF", after))
            break
        else:
            break
    return _Body(total, bytes(prefix), digest.hexdigest(), end)


def _read_body(
    stream: bytes, start: int, framing: _Framing, anomalies: list[ParseAnomaly]
) -> _Body:
    if framing.chunked:
        return _chunked_body(stream, start, anomalies)
    return _plain_body(stream, start, framing.content_length)


# ---------------------------------------------------------------------------------------
# Requests


def parse_http_requests(stream: bytes) -> HttpRequests:
    """Parse the (pipelined) requests of a client-to-server stream.

    Parsing stops after a CONNECT request (a tunnel follows), at the first message that is
    incomplete or cannot be delimited, and at a bad request line.
    """
    anomalies: list[ParseAnomaly] = []
    requests: list[HttpRequest] = []
    n = len(stream)
    off = _skip_blank_lines(stream, 0)
    if off < n and _REQUEST_START.match(stream, off) is None:
        if n - off >= 512 or _REQUEST_PARTIAL.match(stream, off) is None:
            anomalies.append(ParseAnomaly("http_not_http", _short(stream[off:]), off))
        return HttpRequests((), tuple(anomalies), 0)
    consumed = 0
    upgrade = False
    while off < n:
        if len(requests) >= MAX_MESSAGES:
            anomalies.append(ParseAnomaly("http_message_limit", f"over {MAX_MESSAGES}", off))
            break
        if upgrade and _REQUEST_START.match(stream, off) is None:
            break  # the protocol was switched (e.g. WebSocket): not HTTP any more
        head = _read_head(stream, off, anomalies)
        if head is None:
            break
        line = head.start_line
        match = _REQUEST_LINE.fullmatch(line)
        if match is not None:
            method, target, version = match.groups()
        else:
            parts = line.split(b" ")
            if (
                len(parts) < 3
                or _TOKEN.fullmatch(parts[0]) is None
                or _VERSION.fullmatch(parts[-1]) is None
            ):
                anomalies.append(ParseAnomaly("http_bad_request_line", _short(line), off))
                break
            method, target, version = parts[0], b" ".join(parts[1:-1]), parts[-1]
            anomalies.append(ParseAnomaly("http_bad_request_line", _short(line), off))
        method_s = method.decode("latin-1")
        target_s = target.decode("latin-1")
        version_s = version.decode("latin-1")
        headers = head.headers
        host = _request_host(method_s, target_s, headers, off, anomalies)
        if host is None and version_s == "HTTP/1.1" and head.complete:
            anomalies.append(ParseAnomaly("http_missing_host", "", off))
        body_start = off + head.length
        framing = _Framing(None, False, True)
        if head.complete:
            framing = _framing(headers, off, anomalies)
        body_length = 0
        complete = head.complete and framing.valid
        if complete and (framing.chunked or framing.content_length):
            body = _read_body(stream, body_start, framing, anomalies)
            body_length = body.length
            complete = body.end >= 0
            end = body.end
        else:
            end = body_start
        requests.append(
            HttpRequest(
                offset=off,
                method=method_s,
                target=target_s,
                version=version_s,
                headers=headers,
                host=host,
                user_agent=_first(headers, "user-agent"),
                content_length=framing.content_length,
                chunked=framing.chunked,
                header_length=head.length,
                body_length=body_length,
                complete=complete,
            )
        )
        if not complete:
            break
        consumed = off = end
        if method_s == "CONNECT":
            break  # a tunnel (usually TLS) follows
        upgrade = upgrade or _first(headers, "upgrade") is not None
        off = _skip_blank_lines(stream, off)
    return HttpRequests(tuple(requests), tuple(anomalies), consumed)


def _request_host(
    method: str, target: str, headers: Headers, off: int, anomalies: list[ParseAnomaly]
) -> str | None:
    hosts = [value for name, value in headers if name.lower() == "host"]
    if len(hosts) > 1:
        anomalies.append(ParseAnomaly("http_duplicate_host", " | ".join(hosts)[:80], off))
    if method == "CONNECT":
        return target
    absolute = _ABSOLUTE_TARGET.match(target)
    if absolute is not None:
        return absolute.group(1).rpartition("@")[2]
    return hosts[0] if hosts else None


# ---------------------------------------------------------------------------------------
# Responses


def parse_http_responses(stream: bytes, request_methods: Sequence[str] = ()) -> HttpResponses:
    """Parse the responses of a server-to-client stream, in order.

    ``request_methods`` are the methods of the requests on the same connection, in order;
    they tell which responses have no body (HEAD, 2xx to CONNECT). Missing ones count as
    GET. Parsing stops after a 101 or a 2xx to CONNECT (the protocol changes), at a response
    whose body runs to the end of the stream, and at the first bad or incomplete message.
    """
    anomalies: list[ParseAnomaly] = []
    responses: list[HttpResponse] = []
    n = len(stream)
    off = _skip_blank_lines(stream, 0)
    if off < n and not stream.startswith(b"HTTP/", off):
        if n - off >= 5 or not b"HTTP/".startswith(stream[off:]):
            anomalies.append(ParseAnomaly("http_not_http", _short(stream[off:]), off))
        return HttpResponses((), tuple(anomalies), 0)
    consumed = 0
    answered = 0  # final responses seen, i.e. index of the request being answered
    while off < n:
        if len(responses) >= MAX_MESSAGES:
            anomalies.append(ParseAnomaly("http_message_limit", f"over {MAX_MESSAGES}", off))
            break
        head = _read_head(stream, off, anomalies)
        if head is None:
            break
        match = _STATUS_LINE.fullmatch(head.start_line)
        if match is None:
            anomalies.append(
                ParseAnomaly("http_bad_status_line", _short(head.start_line), off)
            )
            break
        version = match.group(1).decode("latin-1")
        status = int(match.group(2))
        reason = (match.group(3) or b"").decode("latin-1")
        headers = head.headers
        method = request_methods[answered] if answered < len(request_methods) else "GET"
        method = method.upper()
        interim = 100 <= status < 200
        tunnel = status == 101 or (method == "CONNECT" and 200 <= status < 300)
        no_body = interim or status in (204, 304) or method == "HEAD" or tunnel
        body_start = off + head.length
        framing = _Framing(None, False, True)
        if head.complete:
            framing = _framing(headers, off, anomalies)
        if not head.complete:
            body = _Body(0, b"", _EMPTY_SHA256, -1)
        elif no_body:
            body = _Body(0, b"", _EMPTY_SHA256, body_start)
        elif framing.valid and (framing.chunked or framing.content_length is not None):
            body = _read_body(stream, body_start, framing, anomalies)
        else:
            body = _plain_body(stream, body_start, None)  # delimited by connection close
        complete = body.end >= 0
        responses.append(
            HttpResponse(
                offset=off,
                version=version,
                status=status,
                reason=reason,
                headers=headers,
                location=_first(headers, "location"),
                server=_first(headers, "server"),
                content_type=_first(headers, "content-type"),
                content_length=framing.content_length,
                chunked=framing.chunked,
                header_length=head.length,
                body_length=body.length,
                body_prefix=body.prefix,
                body_sha256=body.sha256,
                body_complete=complete,
                complete=complete,
            )
        )
        if not complete:
            break
        consumed = off = body.end
        if tunnel:
            break
        if not interim:
            answered += 1
        off = _skip_blank_lines(stream, off)
    return HttpResponses(tuple(responses), tuple(anomalies), consumed)
