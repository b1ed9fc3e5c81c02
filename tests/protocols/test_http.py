"""Tests for analyzer.protocols.http: HTTP/1.x streams built byte by byte."""

from __future__ import annotations

import hashlib
import random

import pytest
from analyzer.protocols.http import (
    BODY_PREFIX_LENGTH,
    MAX_HEADERS,
    HttpRequest,
    HttpRequests,
    HttpResponse,
    HttpResponses,
    looks_like_http_request,
    looks_like_http_response,
    parse_http_requests,
    parse_http_responses,
)

KNOWN_ANOMALIES = {
    "http_not_http",
    "http_bad_request_line",
    "http_bad_status_line",
    "http_malformed_header",
    "http_too_many_headers",
    "http_header_too_long",
    "http_bare_lf",
    "http_bare_cr",
    "http_obs_fold",
    "http_bad_content_length",
    "http_bad_transfer_encoding",
    "http_te_and_content_length",
    "http_bad_chunk",
    "http_duplicate_host",
    "http_missing_host",
    "http_message_limit",
}

GET = (
    b"GET /index.html?q=1 HTTP/1.1\r\n"
    b"Host: example.com\r\n"
    b"User-Agent: Mozilla/5.0 (X11)\r\n"
    b"Accept: */*\r\n"
    b"\r\n"
)
POST = b"POST /submit HTTP/1.1\r\nHost: example.com\r\nContent-Length: 11\r\n\r\nhello=world"
CHUNKED_POST = (
    b"POST /up HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"4\r\nwiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n"
)

REDIRECT = (
    b"HTTP/1.1 302 Found\r\n"
    b"Location: http://blocked.example.net/notice\r\n"
    b"Server: nginx\r\n"
    b"Content-Length: 0\r\n"
    b"\r\n"
)
BLOCK_BODY = (
    b"<html><head><title>Access denied</title></head><body>"
    b"<script>window.location='http://warning.example/'</script>"
    b"This site is blocked.</body></html>"
)
BLOCK_403 = (
    b"HTTP/1.1 403 Forbidden\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"Content-Length: " + str(len(BLOCK_BODY)).encode() + b"\r\n"
    b"Connection: close\r\n"
    b"\r\n" + BLOCK_BODY
)
CHUNKED_200 = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
    b"7\r\nMozilla\r\n11;name=value\r\nDeveloper Network\r\n0\r\nExpires: never\r\n\r\n"
)


def anomaly_names(result: HttpRequests | HttpResponses) -> list[str]:
    return [a.name for a in result.anomalies]


# ---------------------------------------------------------------------------------------
# Requests


def test_single_request() -> None:
    result = parse_http_requests(GET)
    assert result.anomalies == ()
    assert result.consumed == len(GET)
    assert result.requests == (
        HttpRequest(
            offset=0,
            method="GET",
            target="/index.html?q=1",
            version="HTTP/1.1",
            headers=(("Host", "example.com"), ("User-Agent", "Mozilla/5.0 (X11)"),
                     ("Accept", "*/*")),
            host="example.com",
            user_agent="Mozilla/5.0 (X11)",
            content_length=None,
            chunked=False,
            header_length=len(GET),
            body_length=0,
            complete=True,
        ),
    )
    assert result.requests[0].header("ACCEPT") == "*/*"
    assert result.requests[0].header("cookie") is None


def test_pipelined_requests() -> None:
    stream = GET + POST + CHUNKED_POST + GET
    result = parse_http_requests(stream)
    assert anomaly_names(result) == []
    assert [r.method for r in result.requests] == ["GET", "POST", "POST", "GET"]
    assert [r.offset for r in result.requests] == [
        0, len(GET), len(GET) + len(POST), len(GET) + len(POST) + len(CHUNKED_POST),
    ]
    post, chunked = result.requests[1], result.requests[2]
    assert (post.content_length, post.body_length, post.complete) == (11, 11, True)
    assert post.header_length == len(POST) - 11
    assert (chunked.chunked, chunked.content_length, chunked.body_length) == (True, None, 9)
    assert result.consumed == len(stream)


def test_incomplete_last_request_is_not_consumed() -> None:
    stream = GET + POST[:-3]
    result = parse_http_requests(stream)
    assert [r.complete for r in result.requests] == [True, False]
    assert result.requests[1].body_length == 8
    assert result.requests[1].content_length == 11
    assert result.consumed == len(GET)


def test_absolute_form_and_connect() -> None:
    proxy = b"GET http://user@Example.org:8080/a HTTP/1.1\r\nHost: other.example\r\n\r\n"
    tls = bytes.fromhex("160301020001") + b"\x00" * 20
    connect = b"CONNECT blocked.example:443 HTTP/1.1\r\nHost: blocked.example:443\r\n\r\n"
    result = parse_http_requests(proxy + connect + tls)
    assert [r.host for r in result.requests] == ["Example.org:8080", "blocked.example:443"]
    assert result.requests[1].method == "CONNECT"
    assert result.requests[1].target == "blocked.example:443"
    assert anomaly_names(result) == []  # the TLS bytes after CONNECT are a tunnel
    assert result.consumed == len(proxy) + len(connect)


def test_request_header_anomalies() -> None:
    stream = (
        b"GET / HTTP/1.1\r\n"
        b"Host: a.example\r\n"
        b"Host: b.example\r\n"
        b"X-Injected\r\n"  # no colon
        b"Bad Name: x\r\n"  # space in the field name
        b"X-Split: one\rSet-Cookie: evil=1\r\n"  # bare CR
        b"X-Fold: first\r\n"
        b"\tsecond\r\n"  # obsolete line folding
        b"\r\n"
    )
    result = parse_http_requests(stream)
    assert anomaly_names(result) == [
        "http_malformed_header",
        "http_malformed_header",
        "http_bare_cr",
        "http_obs_fold",
        "http_duplicate_host",
    ]
    (req,) = result.requests
    assert req.host == "a.example"
    assert req.headers == (
        ("Host", "a.example"),
        ("Host", "b.example"),
        ("Bad Name", "x"),
        ("X-Split", "one\rSet-Cookie: evil=1"),
        ("X-Fold", "first second"),
    )
    assert result.anomalies[0].offset == stream.index(b"X-Injected")
    assert req.complete


def test_bad_request_line_lenient_and_fatal() -> None:
    spaced = b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"
    result = parse_http_requests(spaced)
    assert anomaly_names(result) == ["http_bad_request_line"]
    assert result.requests[0].target == "/a b"
    fatal = parse_http_requests(GET + b"GET /\r\n\r\n")
    assert anomaly_names(fatal) == ["http_bad_request_line"]
    assert fatal.anomalies[0].offset == len(GET)
    assert len(fatal.requests) == 1 and fatal.consumed == len(GET)


def test_missing_host_and_http10() -> None:
    assert anomaly_names(parse_http_requests(b"GET / HTTP/1.1\r\n\r\n")) == ["http_missing_host"]
    old = parse_http_requests(b"GET / HTTP/1.0\r\n\r\n")
    assert anomaly_names(old) == [] and old.requests[0].host is None


def test_bare_lf_requests() -> None:
    result = parse_http_requests(b"GET / HTTP/1.1\nHost: lf.example\n\nGET /2 HTTP/1.1\r\n"
                                 b"Host: lf.example\r\n\r\n")
    assert anomaly_names(result) == ["http_bare_lf"]
    assert [r.target for r in result.requests] == ["/", "/2"]
    assert result.requests[0].header_length == len(b"GET / HTTP/1.1\nHost: lf.example\n\n")


@pytest.mark.parametrize(
    "value", [b"5, 6", b"abc", b"-1", b"1e3", b"99999999999999999999"]
)
def test_bad_content_length(value: bytes) -> None:
    stream = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + value + b"\r\n\r\n12345" + GET
    result = parse_http_requests(stream)
    assert anomaly_names(result) == ["http_bad_content_length"]
    assert len(result.requests) == 1
    assert result.requests[0].complete is False
    assert result.consumed == 0


def test_conflicting_content_length_headers_and_te() -> None:
    two = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"
    assert anomaly_names(parse_http_requests(two)) == ["http_bad_content_length"]
    same = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"
    assert parse_http_requests(same).requests[0].body_length == 3
    smuggle = (
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"0\r\n\r\n"
    )
    result = parse_http_requests(smuggle)
    assert anomaly_names(result) == ["http_te_and_content_length"]
    assert result.requests[0].chunked and result.requests[0].complete
    assert result.consumed == len(smuggle)


def test_too_many_headers() -> None:
    lines = b"".join(b"X-H%d: %d\r\n" % (i, i) for i in range(200))
    stream = b"GET / HTTP/1.1\r\nHost: x\r\n" + lines + b"\r\n" + GET
    result = parse_http_requests(stream)
    assert anomaly_names(result) == ["http_too_many_headers"]
    first, second = result.requests
    assert len(first.headers) == MAX_HEADERS
    assert first.headers[-1] == ("X-H98", "98")
    assert first.header_length == len(stream) - len(GET)
    assert second.offset == len(stream) - len(GET) and second.complete


def test_header_too_long() -> None:
    stream = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n"
    result = parse_http_requests(stream)
    assert anomaly_names(result) == ["http_header_too_long"]
    (req,) = result.requests
    assert req.complete is False
    assert req.headers == (("Host", "x"),)
    assert result.consumed == 0


def test_not_http_and_partial_starts() -> None:
    tls = bytes.fromhex("16030100f1010000ed0303") + b"\x00" * 40
    assert anomaly_names(parse_http_requests(tls)) == ["http_not_http"]
    assert parse_http_requests(tls).requests == ()
    assert anomaly_names(parse_http_requests(b"SSH-2.0-OpenSSH_9.6\r\n")) == ["http_not_http"]
    for partial in (b"", b"G", b"GE", b"GET", b"GET ", b"CONNECT exa"):
        result = parse_http_requests(partial)
        assert (result.requests, result.anomalies, result.consumed) == ((), (), 0), partial
    assert anomaly_names(parse_http_responses(tls)) == ["http_not_http"]
    for partial in (b"", b"H", b"HTTP", b"HTTP/"):
        assert parse_http_responses(partial) == HttpResponses((), (), 0)


# ---------------------------------------------------------------------------------------
# Responses


def test_redirect() -> None:
    result = parse_http_responses(REDIRECT)
    assert result.anomalies == ()
    (resp,) = result.responses
    assert (resp.version, resp.status, resp.reason) == ("HTTP/1.1", 302, "Found")
    assert resp.location == "http://blocked.example.net/notice"
    assert resp.server == "nginx"
    assert resp.content_type is None
    assert (resp.content_length, resp.body_length, resp.body_prefix) == (0, 0, b"")
    assert resp.body_sha256 == hashlib.sha256(b"").hexdigest()
    assert resp.header_length == len(REDIRECT)
    assert resp.body_complete and resp.complete
    assert result.consumed == len(REDIRECT)


def test_block_page_403() -> None:
    result = parse_http_responses(BLOCK_403)
    (resp,) = result.responses
    assert resp.status == 403 and resp.reason == "Forbidden"
    assert resp.content_type == "text/html; charset=utf-8"
    assert resp.content_length == len(BLOCK_BODY)
    assert resp.body_prefix == BLOCK_BODY
    assert b"<script>" in resp.body_prefix
    assert resp.body_sha256 == hashlib.sha256(BLOCK_BODY).hexdigest()
    assert resp.body_complete
    assert result.consumed == len(BLOCK_403)


def test_chunked_response_with_trailer() -> None:
    result = parse_http_responses(CHUNKED_200 + REDIRECT)
    assert result.anomalies == ()
    chunked, redirect = result.responses
    body = b"MozillaDeveloper Network"
    assert chunked.chunked and chunked.content_length is None
    assert chunked.body_prefix == body
    assert chunked.body_length == len(body)
    assert chunked.body_sha256 == hashlib.sha256(body).hexdigest()
    assert chunked.complete
    assert redirect.offset == len(CHUNKED_200)
    assert result.consumed == len(CHUNKED_200) + len(REDIRECT)


def test_bad_chunk_size() -> None:
    stream = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\nzz\r\nxx\r\n"
    result = parse_http_responses(stream)
    assert anomaly_names(result) == ["http_bad_chunk"]
    (resp,) = result.responses
    assert resp.body_prefix == b"abcd" and not resp.body_complete
    assert result.consumed == 0


def test_large_body_prefix_and_hash() -> None:
    body = bytes(range(256)) * 40  # 10240 bytes
    stream = b"HTTP/1.0 200 OK\r\nContent-Length: 10240\r\n\r\n" + body
    (resp,) = parse_http_responses(stream).responses
    assert resp.body_prefix == body[:BODY_PREFIX_LENGTH]
    assert resp.body_length == 10240
    assert resp.body_sha256 == hashlib.sha256(body).hexdigest()
    cut = parse_http_responses(stream[:-100]).responses[0]
    assert (cut.body_length, cut.body_complete, cut.complete) == (10140, False, False)
    assert cut.body_sha256 == hashlib.sha256(body[:-100]).hexdigest()


def test_close_delimited_body() -> None:
    stream = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>blocked</html>"
    result = parse_http_responses(stream)
    (resp,) = result.responses
    assert resp.content_length is None and not resp.chunked
    assert resp.body_prefix == b"<html>blocked</html>"
    assert (resp.body_complete, resp.complete) == (False, False)
    assert result.consumed == 0


def test_bodiless_responses_follow_request_methods() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n"
    cont = b"HTTP/1.1 100 Continue\r\n\r\n"
    nothing = b"HTTP/1.1 204 No Content\r\n\r\n"
    unchanged = b"HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"
    stream = head + cont + REDIRECT + nothing + unchanged + BLOCK_403
    result = parse_http_responses(stream, ["head", "POST", "GET", "GET", "GET"])
    assert anomaly_names(result) == []
    assert [r.status for r in result.responses] == [200, 100, 302, 204, 304, 403]
    assert [r.body_length for r in result.responses] == [0, 0, 0, 0, 0, len(BLOCK_BODY)]
    assert result.responses[0].content_length == 500
    assert result.consumed == len(stream)
    # Without the methods, the HEAD response is read as having a 500-byte body.
    assert parse_http_responses(stream).responses[0].complete is False


def test_connect_response_ends_parsing() -> None:
    stream = b"HTTP/1.1 200 Connection established\r\n\r\n" + bytes.fromhex("160303007a02")
    result = parse_http_responses(stream, ["CONNECT"])
    assert [r.status for r in result.responses] == [200]
    assert result.anomalies == ()
    assert result.consumed == stream.index(b"\x16")


def test_bad_status_line() -> None:
    result = parse_http_responses(REDIRECT + b"HTTP/1.1 OK\r\n\r\n")
    assert anomaly_names(result) == ["http_bad_status_line"]
    assert result.anomalies[0].offset == len(REDIRECT)
    assert len(result.responses) == 1
    missing_reason = parse_http_responses(b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n")
    assert missing_reason.responses[0].reason == "" and missing_reason.anomalies == ()


# ---------------------------------------------------------------------------------------
# Robustness


def _check_prefix(
    stream: bytes,
    cut: int,
    full: tuple[HttpRequest, ...] | tuple[HttpResponse, ...],
    got: tuple[HttpRequest, ...] | tuple[HttpResponse, ...],
    result: HttpRequests | HttpResponses,
) -> None:
    assert set(anomaly_names(result)) <= KNOWN_ANOMALIES - {"http_not_http"}, cut
    done = [m for m in got if m.complete]
    # Complete messages are exactly those of the full parse; the rest is not consumed.
    assert done == list(full[: len(done)]), cut
    ends = [m.offset for m in full[1:]] + [len(stream)]
    assert result.consumed == (ends[len(done) - 1] if done else 0), cut
    assert all(not m.complete for m in got[len(done) :]), cut


def test_every_request_prefix_never_raises() -> None:
    stream = GET + POST + CHUNKED_POST + GET
    full = parse_http_requests(stream)
    assert len(full.requests) == 4 and full.consumed == len(stream)
    for cut in range(len(stream)):
        result = parse_http_requests(stream[:cut])
        _check_prefix(stream, cut, full.requests, result.requests, result)


def test_every_response_prefix_never_raises() -> None:
    stream = REDIRECT + CHUNKED_200 + BLOCK_403
    full = parse_http_responses(stream)
    assert len(full.responses) == 3 and full.consumed == len(stream)
    for cut in range(len(stream)):
        result = parse_http_responses(stream[:cut])
        _check_prefix(stream, cut, full.responses, result.responses, result)


def test_random_bytes_never_raise() -> None:
    rng = random.Random(4321)
    seeds = [GET + POST + CHUNKED_POST, REDIRECT + CHUNKED_200 + BLOCK_403]
    for i in range(2000):
        if i % 2:
            data = rng.randbytes(rng.randrange(0, 400))
        else:
            raw = bytearray(rng.choice(seeds))
            for _ in range(rng.randrange(1, 8)):
                raw[rng.randrange(len(raw))] = rng.choice(b"\r\n :0aZ\t;\x00\xff")
            data = bytes(raw)
        for result in (parse_http_requests(data), parse_http_responses(data, ["GET"])):
            assert set(anomaly_names(result)) <= KNOWN_ANOMALIES
            assert 0 <= result.consumed <= len(data)


def test_looks_like() -> None:
    for ok in (GET, POST, b"OPTIONS * HTTP/1.1\r\n", b"CONNECT host:443 HTTP/1.1",
               b"GET http://x/ HTTP/1.0", b"PROPFIND /dav HTTP/1.1"):
        assert looks_like_http_request(ok), ok
    for bad in (b"", b"GET", b"get / HTTP/1.1", b"SSH-2.0-OpenSSH_9.6 Ubuntu",
                b"\x16\x03\x01\x02\x00", REDIRECT):
        assert not looks_like_http_request(bad), bad
    assert looks_like_http_response(REDIRECT)
    assert looks_like_http_response(b"HTTP/1.0 200 OK")
    for bad in (b"HTTP/2 200", b"HTTP/1.1", GET, b"\x00" * 20):
        assert not looks_like_http_response(bad), bad
