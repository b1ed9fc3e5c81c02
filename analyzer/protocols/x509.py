"""Facts-only X.509 certificate summaries and WebPKI chain verification.

Implemented with the ``cryptography`` library (no hand-written ASN.1 or crypto):

* RFC 5280: certificate fields (subject/issuer, validity, serial, basicConstraints,
  subjectAltName).
* RFC 4514: distinguished names rendered as strings.
* RFC 6125 §6.4: DNS-ID matching (left-most label wildcard) for ``hostname_matches``.
* CA/Browser Forum Baseline Requirements via ``cryptography.x509.verification``
  (WebPKI path building), against Mozilla's root store as shipped by ``certifi``.

Nothing here raises on hostile input: garbage yields a ``x509_unparseable`` anomaly.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store, Subject

from analyzer.protocols.common import ParseAnomaly

__all__ = [
    "MAX_CERT_BYTES",
    "MAX_CHAIN",
    "CertSummary",
    "ChainVerdict",
    "hostname_matches",
    "mozilla_roots",
    "summarize_certificate",
    "verify_chain",
]

MAX_CERT_BYTES = 64 * 1024
MAX_CHAIN = 10


@dataclass(frozen=True, slots=True)
class CertSummary:
    """What one DER certificate says about itself (no trust judgement)."""

    subject: str
    issuer: str
    subject_cn: str | None
    san_dns: tuple[str, ...]
    san_ips: tuple[str, ...]
    not_before: str  # ISO 8601 UTC, e.g. 2024-01-31T00:00:00Z
    not_after: str
    serial: str  # lowercase hex, "-" prefixed if (illegally) negative
    sha256: str  # hex SHA-256 of the DER bytes
    self_signed: bool  # issuer name == subject name
    is_ca: bool  # basicConstraints cA flag (False when the extension is absent)
    anomalies: tuple[ParseAnomaly, ...] = ()


@dataclass(frozen=True, slots=True)
class ChainVerdict:
    """Outcome of WebPKI verification of a served chain at a given time.

    ``trusted``: the chain verifies to a Mozilla root *and* is valid for ``hostname``
    (when one is given). ``chain_trusted``: the chain verifies for the leaf's own first
    SAN, i.e. independent of the requested name. ``error`` is the verifier's message.
    """

    trusted: bool
    error: str | None
    hostname_matches: bool | None
    leaf: CertSummary | None
    chain_trusted: bool = False
    chain_error: str | None = None
    anomalies: tuple[ParseAnomaly, ...] = ()


def _iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _load(der: bytes) -> x509.Certificate:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return x509.load_der_x509_certificate(der)


def summarize_certificate(der: bytes) -> CertSummary | ParseAnomaly:
    """Summarize one DER certificate, or return an ``x509_unparseable`` anomaly."""
    if len(der) > MAX_CERT_BYTES:
        return ParseAnomaly("x509_unparseable", f"{len(der)} bytes > {MAX_CERT_BYTES}")
    try:
        cert = _load(bytes(der))
        return _summarize(cert, bytes(der))
    except Exception as exc:  # cryptography raises ValueError and friends on garbage
        return ParseAnomaly("x509_unparseable", f"{type(exc).__name__}: {exc}"[:200])


def _summarize(cert: x509.Certificate, der: bytes) -> CertSummary:
    anomalies: list[ParseAnomaly] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        subject = _safe_name(cert, "subject", anomalies)
        issuer = _safe_name(cert, "issuer", anomalies)
        cn: str | None = None
        try:
            attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
            if attrs:
                raw = attrs[0].value
                cn = raw if isinstance(raw, str) else raw.decode("latin-1")
        except Exception as exc:
            anomalies.append(ParseAnomaly("x509_bad_subject", str(exc)[:200]))
        dns: tuple[str, ...] = ()
        ips: tuple[str, ...] = ()
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            dns = tuple(san.get_values_for_type(x509.DNSName))[:1000]
            ips = tuple(str(ip) for ip in san.get_values_for_type(x509.IPAddress))[:1000]
        except x509.ExtensionNotFound:
            pass
        except Exception as exc:
            anomalies.append(ParseAnomaly("x509_bad_extension", f"subjectAltName: {exc}"[:200]))
        is_ca = False
        try:
            bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
            is_ca = bool(bc.ca)
        except x509.ExtensionNotFound:
            pass
        except Exception as exc:
            anomalies.append(ParseAnomaly("x509_bad_extension", f"basicConstraints: {exc}"[:200]))
        try:
            not_before = _iso(cert.not_valid_before_utc)
            not_after = _iso(cert.not_valid_after_utc)
        except Exception as exc:
            anomalies.append(ParseAnomaly("x509_bad_validity", str(exc)[:200]))
            not_before = not_after = ""
        serial_number = cert.serial_number
    serial = ("-" if serial_number < 0 else "") + format(abs(serial_number), "x")
    return CertSummary(
        subject=subject,
        issuer=issuer,
        subject_cn=cn,
        san_dns=dns,
        san_ips=ips,
        not_before=not_before,
        not_after=not_after,
        serial=serial,
        sha256=hashlib.sha256(der).hexdigest(),
        self_signed=_names_equal(cert),
        is_ca=is_ca,
        anomalies=tuple(anomalies),
    )


def _safe_name(cert: x509.Certificate, which: str, anomalies: list[ParseAnomaly]) -> str:
    try:
        name = cert.subject if which == "subject" else cert.issuer
        return name.rfc4514_string()
    except Exception as exc:
        anomalies.append(ParseAnomaly(f"x509_bad_{which}", str(exc)[:200]))
        return ""


def _names_equal(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.issuer == cert.subject)
    except Exception:
        return False


# --------------------------------------------------------------------------- verification


@functools.lru_cache(maxsize=1)
def mozilla_roots() -> tuple[x509.Certificate, ...]:
    """Mozilla's root certificates as bundled by ``certifi`` (loaded once, cached)."""
    try:
        import certifi

        with open(certifi.where(), "rb") as fh:
            pem = fh.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return tuple(x509.load_pem_x509_certificates(pem))
    except Exception:
        return ()


@functools.lru_cache(maxsize=1)
def _mozilla_store() -> Store | None:
    roots = mozilla_roots()
    return Store(list(roots)) if roots else None


def _dns_match(pattern: str, host: str) -> bool:
    pattern = pattern.lower().rstrip(".")
    if pattern.startswith("*."):
        suffix = pattern[1:]  # ".example.com"
        if not host.endswith(suffix):
            return False
        label = host[: -len(suffix)]
        return bool(label) and "." not in label and suffix.count(".") >= 2
    return pattern == host


def hostname_matches(summary: CertSummary, hostname: str) -> bool:
    """RFC 6125 DNS-ID / iPAddress SAN match of ``hostname`` (no CN fallback)."""
    host = hostname.lower().rstrip(".")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return any(_dns_match(p, host) for p in summary.san_dns)
    return any(ipaddress.ip_address(s) == ip for s in summary.san_ips)


def _subject_for(name: str) -> Subject:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _verify(
    store: Store,
    at: dt.datetime,
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    name: str,
) -> str | None:
    """None when the chain verifies for ``name``; otherwise the verifier's message."""
    try:
        subject = _subject_for(name)
        verifier = PolicyBuilder().store(store).time(at)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            verifier.build_server_verifier(subject).verify(leaf, intermediates)
        return None
    except Exception as exc:  # VerificationError, or ValueError for a bad name
        return str(exc)[:500] or type(exc).__name__


def verify_chain(
    chain_der: Sequence[bytes],
    hostname: str | None,
    at: dt.datetime,
    *,
    roots: Sequence[x509.Certificate] | None = None,
) -> ChainVerdict:
    """Verify a served chain (leaf first) against Mozilla's roots at time ``at``.

    ``at`` should be the capture time. With ``hostname=None`` only the chain is checked
    (verified for the leaf's own first SAN). ``roots`` overrides the root store (tests).
    """
    anomalies: list[ParseAnomaly] = []
    if not chain_der:
        return ChainVerdict(False, "empty chain", None, None, False, "empty chain")
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    certs: list[x509.Certificate] = []
    for i, der in enumerate(chain_der[:MAX_CHAIN]):
        try:
            if len(der) > MAX_CERT_BYTES:
                raise ValueError(f"{len(der)} bytes")
            certs.append(_load(bytes(der)))
        except Exception as exc:
            anomalies.append(ParseAnomaly("x509_unparseable", f"chain[{i}]: {exc}"[:200], i))
            if i == 0:
                return ChainVerdict(
                    False,
                    "leaf certificate unparseable",
                    None,
                    None,
                    False,
                    "leaf certificate unparseable",
                    tuple(anomalies),
                )
    if len(chain_der) > MAX_CHAIN:
        anomalies.append(ParseAnomaly("x509_chain_too_long", f"{len(chain_der)} certificates"))
    summary = summarize_certificate(bytes(chain_der[0]))
    leaf_summary = summary if isinstance(summary, CertSummary) else None

    if roots is not None:
        store: Store | None = Store(list(roots)) if roots else None
    else:
        store = _mozilla_store()
    if store is None:
        return ChainVerdict(
            False,
            "no root store available",
            None,
            leaf_summary,
            False,
            "no root store available",
            tuple(anomalies),
        )

    leaf, intermediates = certs[0], certs[1:]
    own_name: str | None = None
    if leaf_summary is not None:
        names = leaf_summary.san_dns + leaf_summary.san_ips
        own_name = names[0] if names else None
        if own_name is not None and own_name.startswith("*."):
            own_name = "wildcard" + own_name[1:]  # a name the wildcard covers
    if own_name is None:
        chain_error: str | None = "leaf certificate has no subjectAltName"
    else:
        chain_error = _verify(store, at, leaf, intermediates, own_name)

    matches: bool | None = None
    if hostname is None:
        error = chain_error
    else:
        matches = hostname_matches(leaf_summary, hostname) if leaf_summary else False
        error = _verify(store, at, leaf, intermediates, hostname)
    return ChainVerdict(
        trusted=error is None,
        error=error,
        hostname_matches=matches,
        leaf=leaf_summary,
        chain_trusted=chain_error is None,
        chain_error=chain_error,
        anomalies=tuple(anomalies),
    )
