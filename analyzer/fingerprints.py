"""Reference fingerprints: known block-page/poison DNS answers, bogons, HTTP block pages (with
their known false positives), injector IP pools and TLS interception CAs.

The data lives in ``analyzer/data/fingerprints/*.tsv`` (rebuilt by ``build.py`` beside it from
the upstream reference files; format and provenance in ``docs/fingerprints.md``). Users add
their own lists in the same format, or as plain one-address-per-line pool lists, through
:meth:`Fingerprints.load`.

Look-ups are built for per-answer / per-response use: an IP look-up is ``inet_pton``, a dict
hit and, for CIDR lists, one bisection; an HTTP look-up runs one RE2 set per location (body,
each header name) over the text once, in linear time, however many patterns there are.

A match is a fact about the data, not a verdict: see :class:`FingerprintMatch` for what the
scopes mean, and docs/fingerprints.md for the false-positive traps.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
import socket
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import re2

from analyzer.errors import AnalyzerError

__all__ = [
    "BUILTIN_FILES",
    "COLUMNS",
    "HEADER",
    "LISTS",
    "SCOPES",
    "FingerprintError",
    "FingerprintMatch",
    "Fingerprints",
    "escape_field",
    "format_row",
    "parse_pool",
    "parse_tsv",
    "read_file",
    "unescape_field",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
HeaderValue = str | bytes
Headers = Mapping[str, HeaderValue] | Iterable[tuple[str, HeaderValue]]

#: The columns of a fingerprint file, in order; the header line is these joined by tabs.
COLUMNS: Final[tuple[str, ...]] = (
    "list", "name", "scope", "location", "type", "pattern",
    "countries", "confidence", "benign_for", "source",
)
HEADER: Final[str] = "\t".join(COLUMNS)

#: The shipped files, in load order (the order decides ties between equally ranked matches).
BUILTIN_FILES: Final[tuple[str, ...]] = (
    "dns.tsv", "gfw-lie-ip.tsv", "bogons.tsv", "http.tsv", "tls.tsv",
)

_DNS_LISTS: Final = frozenset({"dns-blockpage", "dns-fp", "gfw-lie-ip", "injector-pool", "bogon"})
_HTTP_LISTS: Final = frozenset({"http-blockpage", "http-fp"})
_TLS_LISTS: Final = frozenset({"tls-interception-ca"})
#: Every list name a file may use.
LISTS: Final[frozenset[str]] = _DNS_LISTS | _HTTP_LISTS | _TLS_LISTS

#: Every scope a file may use (ooni/blocking-fingerprints' scopes plus ours).
SCOPES: Final[frozenset[str]] = frozenset({
    "nat", "isp", "prod", "inst", "vbw", "injb", "prov", "fp",   # ooni/blocking-fingerprints
    "trusted", "enterprise", "bogon", "pool",                     # this project
})
_BENIGN_SCOPES: Final = frozenset({"fp", "trusted"})
_FP_LISTS: Final = frozenset({"dns-fp", "http-fp"})

_TEXT_TYPES: Final = frozenset({"full", "prefix", "contains", "regexp"})
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")
_HOSTNAME = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*"
    r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\Z")
_COUNTRY = re.compile(r"[A-Z]{2}\Z")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_SUFFIX = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*(?:\.\*)?\Z")

_SECOND_LEVEL: Final = frozenset({"co", "com", "net", "org", "ac", "gov", "edu", "ne", "or"})
_DEFAULT_CONFIDENCE: Final = 5
_RE2_MAX_MEM: Final = 64 << 20   # DFA budget of one set; the cache is built lazily


class FingerprintError(AnalyzerError):
    """A fingerprint file is invalid; the message carries file:line."""


@dataclass(frozen=True, slots=True)
class FingerprintMatch:
    """One fingerprint entry; a look-up returns the entries that matched.

    ``list``: ``dns-blockpage`` (block-page/poison DNS answers, OONI and curated),
    ``gfw-lie-ip`` (classic GFW forged answers), ``injector-pool`` (user-loaded pools),
    ``bogon``, ``http-blockpage``, ``http-fp`` (known look-alikes), ``dns-fp``,
    ``tls-interception-ca``.

    ``scope``: ``nat`` national, ``isp``, ``prod`` filtering product, ``inst`` institution,
    ``vbw`` vague blocking word (weak: an observation, not proof), ``injb`` benign injection,
    ``prov`` provider-side block (not the network), ``fp`` known false positive, ``trusted``
    trusted host (benign unless a block page matched), ``enterprise`` corporate/AV TLS
    inspection product, ``bogon``, ``pool``.

    ``countries``: ISO codes where the fingerprint is expected (``ZZ``: any; empty: unknown).
    ``confidence``: upstream's 0-10 "no false positive" self-assessment (higher is safer).
    ``benign_for``: domain suffixes (``google.*`` = any TLD) for which the entry is a
    legitimate answer; :meth:`Fingerprints.dns_address` drops the entry for such names.
    """

    list: str
    name: str
    scope: str
    countries: tuple[str, ...]
    source: str
    pattern: str
    location: str
    pattern_type: str = "full"
    confidence: int = _DEFAULT_CONFIDENCE
    benign_for: tuple[str, ...] = ()

    @property
    def known_benign(self) -> bool:
        """The match says "known look-alike", not "block page" (scope fp or trusted)."""
        return self.scope in _BENIGN_SCOPES

    @property
    def weak(self) -> bool:
        """A vague blocking word: report as an observation, not as proof."""
        return self.scope == "vbw"

    def expected_in(self, country: str) -> bool:
        """Whether the fingerprint is expected in ``country`` (ISO code; ZZ entries: any)."""
        return country.upper() in self.countries or "ZZ" in self.countries

    def benign_for_name(self, qname: str) -> bool:
        """Whether ``qname`` is a name for which this entry is a legitimate answer."""
        return bool(self.benign_for) and _covered(_norm_name(qname), self.benign_for)


# ---------------------------------------------------------------------------------------------
# File format


_UNESCAPE: Final = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
_ESCAPE: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_NEEDS_DOUBLE: Final = frozenset("tnr\\\t\n\r")


def unescape_field(text: str) -> str:
    """Decode a field: ``\\t`` ``\\n`` ``\\r`` ``\\\\`` are escapes; any other backslash is
    literal (so regexps are written naturally)."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in _UNESCAPE:
            out.append(_UNESCAPE[text[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def escape_field(text: str) -> str:
    """The inverse of :func:`unescape_field` (a backslash is doubled only where needed)."""
    out: list[str] = []
    last = len(text) - 1
    for i, c in enumerate(text):
        if c in _ESCAPE:
            out.append(_ESCAPE[c])
        elif c == "\\" and (i == last or text[i + 1] in _NEEDS_DOUBLE):
            out.append("\\\\")
        else:
            out.append(c)
    return "".join(out)


def format_row(fields: Sequence[str]) -> str:
    """One file line (without the newline) from the ten column values."""
    if len(fields) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} fields, got {len(fields)}")
    return "\t".join(escape_field(f) for f in fields)


def _is_hostname(text: str) -> bool:
    name = _norm_name(text)
    return bool(_HOSTNAME.match(name)) and not name.rsplit(".", 1)[-1].isdigit()


def _norm_name(name: str) -> str:
    return name.strip().rstrip(".").lower()


def _covered(name: str, suffixes: Sequence[str]) -> bool:
    labels = name.split(".")
    for suffix in suffixes:
        if suffix.endswith(".*"):
            base = suffix[:-2].split(".")
            # base followed by a one-label TLD (google.de) or a second-level public suffix
            # such as co.uk / com.br (google.co.uk)
            for tail in (1, 2):
                start = len(labels) - tail - len(base)
                if (start >= 0 and labels[start:start + len(base)] == base
                        and (tail == 1 or labels[-2] in _SECOND_LEVEL)):
                    return True
        elif name == suffix or name.endswith("." + suffix):
            return True
    return False


def _parse_ip(value: str | IPAddress) -> IPAddress | None:
    if not isinstance(value, str):
        return value
    text = value.strip()
    pct = text.find("%")
    if pct >= 0:
        text = text[:pct]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _addr_key(value: str | IPAddress) -> tuple[int, int] | None:
    """(IP version, integer value) of an address string or object; None if not an address.
    Strings go through inet_pton (a fraction of the cost of ``ipaddress``); a zone id is
    ignored."""
    if not isinstance(value, str):
        return value.version, int(value)
    text = value.strip()
    try:
        if ":" in text:
            pct = text.find("%")
            if pct >= 0:
                text = text[:pct]
            return 6, int.from_bytes(socket.inet_pton(socket.AF_INET6, text), "big")
        return 4, int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except (OSError, ValueError):
        return None


def _unmap(version: int, value: int) -> tuple[int, int]:
    """An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address."""
    if version == 6 and value >> 32 == 0xFFFF:
        return 4, value & 0xFFFFFFFF
    return version, value


def _addr_text(addr: IPAddress) -> str:
    version, value = _unmap(addr.version, int(addr))
    return str(ipaddress.ip_address(value) if version == 4 else addr)


def _re2_options(case_sensitive: bool = True) -> Any:
    opts = re2.Options()
    opts.max_mem = _RE2_MAX_MEM
    opts.log_errors = False
    opts.case_sensitive = case_sensitive
    return opts


def _check_regexp(pattern: str, case_sensitive: bool) -> str | None:
    """An error message, or None when the RE2 pattern is usable."""
    try:
        rx = re2.compile(pattern, _re2_options(case_sensitive))
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return f"invalid RE2 regexp: {detail}"
    if rx.search("") is not None:
        return "regexp matches the empty text (it would match everything)"
    return None


def _location_kind(location: str) -> str | None:
    if location == "dns":
        return "dns"
    if location in ("body", "status") or (
            location.startswith("header.") and _HEADER_NAME.fullmatch(location[7:])):
        return "http"
    if location in ("issuer", "subject", "cert.sha256"):
        return "tls"
    return None


def _parse_row(fields: list[str]) -> FingerprintMatch:
    """Validate one row's (unescaped) fields; raises ValueError with a short message."""
    lst, name, scope, location, ptype, pattern, countries, conf, benign, source = fields
    if lst not in LISTS:
        raise ValueError(f"unknown list {lst!r} (one of {', '.join(sorted(LISTS))})")
    if not name or any(c.isspace() for c in name):
        raise ValueError(f"bad name {name!r}: non-empty, no whitespace")
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r} (one of {', '.join(sorted(SCOPES))})")
    if (lst in _FP_LISTS) != (scope in _BENIGN_SCOPES) or (lst == "dns-fp" and scope != "fp"):
        raise ValueError(f"scope {scope!r} does not fit list {lst!r} "
                         "(fp/trusted go in http-fp, fp in dns-fp, and only there)")
    kind = _location_kind(location)
    wanted = "dns" if lst in _DNS_LISTS else "http" if lst in _HTTP_LISTS else "tls"
    if kind != wanted:
        raise ValueError(f"location {location!r} does not fit list {lst!r}")
    if not pattern.strip():
        raise ValueError("empty pattern")
    if not source:
        raise ValueError("empty source: every entry needs its attribution")
    ccs = tuple(c.strip() for c in countries.split(",") if c.strip())
    for cc in ccs:
        if not _COUNTRY.match(cc):
            raise ValueError(f"bad country code {cc!r} (two upper-case letters)")
    if conf == "":
        confidence = _DEFAULT_CONFIDENCE
    elif conf.isdigit() and 0 <= int(conf) <= 10:
        confidence = int(conf)
    else:
        raise ValueError(f"bad confidence {conf!r} (an integer 0-10, or empty)")
    suffixes = tuple(s.strip().lower().rstrip(".") for s in benign.split(",") if s.strip())
    for s in suffixes:
        if not _SUFFIX.match(s):
            raise ValueError(f"bad benign_for suffix {s!r}")
    if suffixes and kind != "dns":
        raise ValueError("benign_for applies to DNS lists only")

    if kind == "dns":
        if ptype == "full":
            addr = _parse_ip(pattern)
            if addr is None and (lst == "bogon" or not _is_hostname(pattern)):
                raise ValueError(f"pattern {pattern!r} is neither an IP address nor a name"
                                 if lst != "bogon" else f"bogon {pattern!r} is not an address")
        elif ptype == "cidr":
            try:
                ipaddress.ip_network(pattern.strip(), strict=True)
            except ValueError as exc:
                raise ValueError(f"bad CIDR {pattern!r}: {exc}") from None
        else:
            raise ValueError(f"type {ptype!r} is not valid for DNS (full or cidr)")
    elif location == "cert.sha256":
        if ptype != "full":
            raise ValueError("cert.sha256 takes type full")
        if not _SHA256.match(_norm_hex(pattern)):
            raise ValueError(f"bad SHA-256 {pattern!r} (64 hex digits, colons allowed)")
    else:
        if ptype not in _TEXT_TYPES:
            raise ValueError(f"type {ptype!r} is not one of {', '.join(sorted(_TEXT_TYPES))}")
        if ptype == "regexp":
            problem = _check_regexp(pattern, case_sensitive=kind != "tls")
            if problem:
                raise ValueError(problem)
    return FingerprintMatch(
        list=lst, name=name, scope=scope, countries=ccs, source=source, pattern=pattern,
        location=location, pattern_type=ptype, confidence=confidence, benign_for=suffixes)


def parse_tsv(text: str, origin: str) -> tuple[FingerprintMatch, ...]:
    """Entries of a fingerprint file's text; ``origin`` (a path) prefixes error messages.

    Blank lines and lines starting with ``#`` are ignored; the first other line is the header.
    """
    entries: list[FingerprintMatch] = []
    names: dict[str, int] = {}
    header_seen = False
    for lineno, raw in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        line = raw.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            if line.rstrip() != HEADER:
                raise FingerprintError(
                    f"{origin}:{lineno}: bad header: expected the tab-separated columns "
                    f"{' '.join(COLUMNS)}")
            header_seen = True
            continue
        parts = line.split("\t")
        if len(parts) != len(COLUMNS):
            raise FingerprintError(
                f"{origin}:{lineno}: {len(parts)} tab-separated fields, expected {len(COLUMNS)}")
        fields = [unescape_field(p) if i == 5 else unescape_field(p).strip()
                  for i, p in enumerate(parts)]
        try:
            entry = _parse_row(fields)
        except ValueError as exc:
            raise FingerprintError(f"{origin}:{lineno}: {exc}") from None
        if entry.name in names:
            raise FingerprintError(
                f"{origin}:{lineno}: duplicate name {entry.name!r} (first on line "
                f"{names[entry.name]})")
        names[entry.name] = lineno
        entries.append(entry)
    if not header_seen:
        raise FingerprintError(f"{origin}:1: empty fingerprint file (no header line)")
    return tuple(entries)


def parse_pool(text: str, origin: str, stem: str) -> tuple[FingerprintMatch, ...]:
    """Entries of a plain pool list: one IP address per line, ``#`` comments, blank lines.

    Entry names are ``<stem>#<n>``, n the 1-based position (pools such as the Wallbleed
    injector's are ordered); the list is ``injector-pool``, scope ``pool``.
    """
    entries: list[FingerprintMatch] = []
    for lineno, raw in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        addr = _parse_ip(line)
        if addr is None:
            raise FingerprintError(f"{origin}:{lineno}: not an IP address: {line[:80]!r}")
        entries.append(FingerprintMatch(
            list="injector-pool", name=f"{stem}#{len(entries) + 1}", scope="pool",
            countries=(), source=f"pool list {origin}", pattern=_addr_text(addr),
            location="dns"))
    if not entries:
        raise FingerprintError(f"{origin}:1: the pool list holds no address")
    return tuple(entries)


def read_file(path: str | Path) -> tuple[FingerprintMatch, ...]:
    """Entries of one user file: a fingerprint file (its first content line is the header,
    recognised by its tabs) or a plain one-address-per-line pool list."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FingerprintError(f"{p}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        lineno = data.count(b"\n", 0, exc.start) + 1
        raise FingerprintError(f"{p}:{lineno}: not UTF-8 text") from None
    for raw in text.removeprefix("\ufeff").split("\n"):
        line = raw.strip()
        if line and not line.startswith("#"):
            if "\t" in line:
                return parse_tsv(text, str(p))
            break
    return parse_pool(text, str(p), p.stem)


# ---------------------------------------------------------------------------------------------
# Indexes


def _norm_hex(text: str) -> str:
    return text.replace(":", "").replace(" ", "").strip().lower()


class _IPIndex:
    """Exact addresses in a dict per IP version; CIDRs flattened into sorted elementary
    intervals, each with the ranges covering it (most specific first), found by bisection."""

    __slots__ = ("_cidrs", "_covers", "_exact", "_starts")

    def __init__(self) -> None:
        self._exact: dict[int, dict[int, list[FingerprintMatch]]] = {4: {}, 6: {}}
        self._cidrs: dict[int, list[tuple[int, int, int, FingerprintMatch]]] = {4: [], 6: []}
        self._starts: dict[int, list[int]] = {4: [], 6: []}
        self._covers: dict[int, list[tuple[FingerprintMatch, ...]]] = {4: [], 6: []}

    def add(self, entry: FingerprintMatch) -> None:
        if entry.pattern_type == "cidr":
            net = ipaddress.ip_network(entry.pattern.strip())
            first = int(net.network_address)
            self._cidrs[net.version].append(
                (first, first + net.num_addresses - 1, net.prefixlen, entry))
        else:
            addr = _parse_ip(entry.pattern)
            assert addr is not None  # validated by _parse_row
            key = _unmap(addr.version, int(addr))
            self._exact[key[0]].setdefault(key[1], []).append(entry)

    def freeze(self) -> None:
        for version, cidrs in self._cidrs.items():
            bounds = sorted({c[0] for c in cidrs} | {c[1] + 1 for c in cidrs})
            covers: list[tuple[FingerprintMatch, ...]] = []
            for start in bounds:
                inside = sorted((c for c in cidrs if c[0] <= start <= c[1]), key=lambda c: -c[2])
                covers.append(tuple(c[3] for c in inside))
            self._starts[version] = bounds
            self._covers[version] = covers

    def lookup(self, version: int, value: int) -> list[FingerprintMatch]:
        """Exact matches, then the containing CIDRs from the most specific."""
        found = list(self._exact[version].get(value, ()))
        starts = self._starts[version]
        if starts:
            i = bisect.bisect_right(starts, value) - 1
            if i >= 0:
                found.extend(self._covers[version][i])
        return found


def _regex_source(entry: FingerprintMatch) -> str:
    p, t = entry.pattern, entry.pattern_type
    if t == "contains":
        return str(re2.escape(p))
    if t == "prefix":
        return r"\A" + str(re2.escape(p))
    if t == "full":
        return r"\A" + str(re2.escape(p)) + r"\z"
    return p


class _TextMatcher:
    """All patterns of one location in one RE2 set: one linear pass over the text reports
    every pattern that matches. A ``\\z`` sentinel proves the pass reached the end: when the
    set's DFA gives up (memory budget), patterns are searched one by one instead."""

    __slots__ = ("_case_sensitive", "_entries", "_fallback", "_sentinel", "_set")

    def __init__(self, entries: Sequence[FingerprintMatch], case_sensitive: bool) -> None:
        self._entries = tuple(entries)
        self._case_sensitive = case_sensitive
        self._fallback: list[Any] | None = None
        self._set = re2.Set.SearchSet(_re2_options(case_sensitive))
        try:
            for entry in self._entries:
                self._set.Add(_regex_source(entry))
            self._sentinel = int(self._set.Add(r"\z"))
            self._set.Compile()
        except re2.error as exc:
            raise FingerprintError(
                f"cannot compile the {entries[0].location} patterns together: {exc}") from None

    def match(self, data: bytes) -> list[FingerprintMatch]:
        hits = self._set.Match(data)
        if hits and self._sentinel in hits:
            return [self._entries[i] for i in hits if i != self._sentinel]
        if self._fallback is None:
            opts = _re2_options(self._case_sensitive)
            self._fallback = [re2.compile(_regex_source(e), opts) for e in self._entries]
        return [e for e, rx in zip(self._entries, self._fallback, strict=True)
                if rx.search(data) is not None]


def _to_bytes(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _text_variants(value: str | bytes) -> tuple[bytes, ...]:
    """The bytes to match: raw bytes as given; text both as latin-1 (this project's header
    convention: latin-1 text is the raw bytes) and as UTF-8, when those differ."""
    if isinstance(value, bytes):
        return (value,)
    if value.isascii():
        return (value.encode("ascii"),)
    utf8 = _to_bytes(value)
    try:
        return (value.encode("latin-1"), utf8)
    except UnicodeEncodeError:
        return (utf8,)


_TIER_BLOCK_RANK: Final = {"vbw": 2, "injb": 1, "prov": 1}


def _http_key(entry: FingerprintMatch, order: int) -> tuple[int, int, int, int]:
    tier = 0 if entry.scope == "fp" else 2 if entry.scope == "trusted" else 1
    return (tier, _TIER_BLOCK_RANK.get(entry.scope, 0), -entry.confidence, order)


def _tls_key(entry: FingerprintMatch, order: int) -> tuple[int, int, int]:
    return (1 if entry.scope == "enterprise" else 0, -entry.confidence, order)


# ---------------------------------------------------------------------------------------------
# The API


class Fingerprints:
    """An immutable, indexed set of fingerprint entries."""

    __slots__ = ("_bogons", "_dns", "_dns_names", "_entries", "_http", "_order", "_tls",
                 "_tls_sha")

    def __init__(self, entries: Iterable[FingerprintMatch]) -> None:
        self._entries = tuple(entries)
        self._order: dict[int, int] = {}
        self._dns = _IPIndex()
        self._bogons = _IPIndex()
        self._dns_names: dict[str, list[FingerprintMatch]] = {}
        http: dict[str, list[FingerprintMatch]] = {}
        tls: dict[str, list[FingerprintMatch]] = {}
        self._tls_sha: dict[str, list[FingerprintMatch]] = {}
        for order, entry in enumerate(self._entries):
            self._order[id(entry)] = order
            if entry.location == "dns":
                index = self._bogons if entry.list == "bogon" else self._dns
                if entry.pattern_type == "full" and _parse_ip(entry.pattern) is None:
                    self._dns_names.setdefault(_norm_name(entry.pattern), []).append(entry)
                else:
                    index.add(entry)
            elif entry.location == "cert.sha256":
                self._tls_sha.setdefault(_norm_hex(entry.pattern), []).append(entry)
            elif entry.list in _TLS_LISTS:
                tls.setdefault(entry.location, []).append(entry)
            else:
                http.setdefault(entry.location, []).append(entry)
        self._dns.freeze()
        self._bogons.freeze()
        self._http = {loc: _TextMatcher(es, case_sensitive=True) for loc, es in http.items()}
        self._tls = {loc: _TextMatcher(es, case_sensitive=False) for loc, es in tls.items()}

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def builtin(cls) -> Fingerprints:
        """The shipped lists (parsed and indexed once per process)."""
        global _BUILTIN
        if _BUILTIN is None:
            _BUILTIN = cls(_builtin_entries())
        return _BUILTIN

    @classmethod
    def load(cls, paths: Sequence[str | Path], *, builtin: bool = True) -> Fingerprints:
        """The shipped lists (unless ``builtin=False``) plus user files, in order. A user file
        is a fingerprint file or a one-address-per-line pool list; errors raise
        :class:`FingerprintError` with file:line."""
        entries: list[FingerprintMatch] = list(_builtin_entries()) if builtin else []
        for path in paths:
            entries.extend(read_file(path))
        return cls(entries)

    # -- inspection ---------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[FingerprintMatch, ...]:
        return self._entries

    def counts(self) -> dict[str, int]:
        """Number of entries per list."""
        out: dict[str, int] = {}
        for entry in self._entries:
            out[entry.list] = out.get(entry.list, 0) + 1
        return out

    # -- DNS ----------------------------------------------------------------------------------

    def dns_address(self, ip: str | IPAddress,
                    qname: str | None = None) -> tuple[FingerprintMatch, ...]:
        """Entries of the block-page, lie-IP, pool and dns-fp lists for one A/AAAA answer
        (IPv4, IPv6 or IPv4-mapped IPv6). With ``qname``, entries that are a legitimate answer
        for that name (``benign_for``) are dropped. If a ``dns-fp`` entry matches, only the
        dns-fp entries are returned (known benign)."""
        key = _addr_key(ip)
        if key is None:
            return ()
        found = self._dns.lookup(*_unmap(*key))
        return self._dns_result(found, qname)

    def dns_name(self, name: str, qname: str | None = None) -> tuple[FingerprintMatch, ...]:
        """Entries for a name in an answer (a CNAME target such as an ISP's block host);
        exact, case-insensitive, trailing dot ignored."""
        return self._dns_result(self._dns_names.get(_norm_name(name), ()), qname)

    @staticmethod
    def _dns_result(found: Sequence[FingerprintMatch],
                    qname: str | None) -> tuple[FingerprintMatch, ...]:
        if not found:
            return ()
        if qname is not None:
            found = [e for e in found if not e.benign_for_name(qname)]
        fps = [e for e in found if e.scope == "fp"]
        return tuple(fps or found)

    def is_bogon(self, ip: str | IPAddress) -> FingerprintMatch | None:
        """The most specific bogon range holding ``ip`` (for an IPv4-mapped address, the
        embedded IPv4 address's range first, else ``::ffff:0:0/96``); None if not a bogon or
        not an address."""
        key = _addr_key(ip)
        if key is None:
            return None
        v4 = _unmap(*key)
        if v4 != key:
            hit = self._bogons.lookup(*v4)
            if hit:
                return hit[0]
        hit = self._bogons.lookup(*key)
        return hit[0] if hit else None

    # -- HTTP ---------------------------------------------------------------------------------

    def http_matches(self, status: int | None, headers: Headers,
                     body: str | bytes | None) -> tuple[FingerprintMatch, ...]:
        """Every HTTP entry that matches, best first: ``fp`` entries, then block-page entries
        (strong scopes, then injb/prov, then vbw; higher confidence first), then ``trusted``.

        Header names are case-insensitive, values and the body case-sensitive. Pass the body
        as the raw bytes (decompressed, dechunked); text is matched both as latin-1 and UTF-8.
        """
        found: dict[int, FingerprintMatch] = {}
        if body is not None and (m := self._http.get("body")) is not None:
            for data in _text_variants(body):
                for e in m.match(data):
                    found[id(e)] = e
        if status is not None and (m := self._http.get("status")) is not None:
            for e in m.match(str(status).encode("ascii")):
                found[id(e)] = e
        items = headers.items() if isinstance(headers, Mapping) else headers
        for hname, value in items:
            m = self._http.get("header." + hname.strip().lower())
            if m is None:
                continue
            for data in _text_variants(value):
                for e in m.match(data.strip()):
                    found[id(e)] = e
        order = self._order
        return tuple(sorted(found.values(), key=lambda e: _http_key(e, order[id(e)])))

    def http_response(self, status: int | None, headers: Headers,
                      body: str | bytes | None) -> FingerprintMatch | None:
        """The deciding HTTP match, as Censored Planet orders it: a known false positive
        (scope ``fp``: the response is known benign) wins over any block page; then the best
        block-page match (scope ``vbw`` is weak); then a ``trusted`` host marker (benign)."""
        found = self.http_matches(status, headers, body)
        return found[0] if found else None

    # -- TLS ----------------------------------------------------------------------------------

    def tls_issuer(self, issuer_dn: str, subject_dn: str = "",
                   sha256s: Sequence[str] = ()) -> FingerprintMatch | None:
        """The best interception-CA match for one certificate (call it per certificate of
        the presented chain): its DER SHA-256 (hex, any case, colons allowed), its issuer DN
        and its subject DN (case-insensitive). State interception CAs rank before
        ``enterprise`` products."""
        found: dict[int, FingerprintMatch] = {}
        for digest in sha256s:
            for e in self._tls_sha.get(_norm_hex(digest), ()):
                found[id(e)] = e
        for location, dn in (("issuer", issuer_dn), ("subject", subject_dn)):
            m = self._tls.get(location)
            if m is not None and dn:
                for e in m.match(_to_bytes(dn)):
                    found[id(e)] = e
        if not found:
            return None
        order = self._order
        return min(found.values(), key=lambda e: _tls_key(e, order[id(e)]))


_BUILTIN: Fingerprints | None = None
_BUILTIN_ENTRIES: tuple[FingerprintMatch, ...] | None = None


def _builtin_entries() -> tuple[FingerprintMatch, ...]:
    global _BUILTIN_ENTRIES
    if _BUILTIN_ENTRIES is None:
        folder = resources.files("analyzer") / "data" / "fingerprints"
        entries: list[FingerprintMatch] = []
        for name in BUILTIN_FILES:
            text = (folder / name).read_text(encoding="utf-8")
            entries.extend(parse_tsv(text, f"analyzer/data/fingerprints/{name}"))
        _BUILTIN_ENTRIES = tuple(entries)
    return _BUILTIN_ENTRIES


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analyzer.fingerprints [FILE...]``: check user files, print entry counts."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        fps = Fingerprints.load(args)
    except FingerprintError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, count in sorted(fps.counts().items()):
        print(f"{name}\t{count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
