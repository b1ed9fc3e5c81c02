"""Tests for analyzer.protocols.x509: summaries, garbage, WebPKI verification."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import ipaddress
import random

import pytest
from analyzer.protocols.common import ParseAnomaly
from analyzer.protocols.x509 import (
    CertSummary,
    hostname_matches,
    mozilla_roots,
    summarize_certificate,
    verify_chain,
)
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

T0 = dt.datetime(2020, 3, 1, tzinfo=dt.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Org"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def make_ca() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Root CA"))
        .issuer_name(_name("Test Root CA"))
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(T0)
        .not_valid_after(T0 + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def make_leaf(
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    dns: list[str],
    *,
    days: int = 90,
    ips: list[str] | None = None,
) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    sans: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
    sans += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips or []]
    return (
        x509.CertificateBuilder()
        .subject_name(_name(dns[0] if dns else "no-san"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(0x1234ABCD)
        .not_valid_before(T0)
        .not_valid_after(T0 + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(sans), False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def pki() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate]:
    ca, ca_key = make_ca()
    leaf = make_leaf(ca, ca_key, ["www.site.example", "*.cdn.example"], ips=["192.0.2.7"])
    return ca, ca_key, leaf


def test_summary_fields(
    pki: tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate],
) -> None:
    ca, _, leaf = pki
    s = summarize_certificate(der(leaf))
    assert isinstance(s, CertSummary)
    assert s.subject == "CN=www.site.example,O=Test Org"
    assert s.issuer == "CN=Test Root CA,O=Test Org"
    assert s.subject_cn == "www.site.example"
    assert s.san_dns == ("www.site.example", "*.cdn.example")
    assert s.san_ips == ("192.0.2.7",)
    assert s.not_before == "2020-03-01T00:00:00Z"
    assert s.not_after == "2020-05-30T00:00:00Z"
    assert s.serial == "1234abcd"
    assert s.sha256 == hashlib.sha256(der(leaf)).hexdigest()
    assert s.self_signed is False and s.is_ca is False
    assert s.anomalies == ()
    root = summarize_certificate(der(ca))
    assert isinstance(root, CertSummary)
    assert root.self_signed is True and root.is_ca is True
    assert root.san_dns == ()


def test_garbage_is_an_anomaly(
    pki: tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate],
) -> None:
    for blob in (b"", b"\x00", b"not a certificate", b"\x30\x82\xff\xff" + bytes(20)):
        s = summarize_certificate(blob)
        assert isinstance(s, ParseAnomaly)
        assert s.name == "x509_unparseable"
    good = der(pki[2])
    for n in range(0, len(good), 7):
        assert isinstance(summarize_certificate(good[:n]), ParseAnomaly)
    rng = random.Random(7)
    for _ in range(300):
        mutated = bytearray(good)
        mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
        result = summarize_certificate(bytes(mutated))
        assert isinstance(result, (CertSummary, ParseAnomaly))
    assert isinstance(summarize_certificate(bytes(70_000)), ParseAnomaly)


def test_certifi_store_loads() -> None:
    roots = mozilla_roots()
    assert len(roots) > 100
    assert mozilla_roots() is roots  # cached


def test_self_signed_chain_is_untrusted_by_mozilla(
    pki: tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate],
) -> None:
    ca, _, leaf = pki
    verdict = verify_chain([der(leaf), der(ca)], "www.site.example", T0 + dt.timedelta(days=1))
    assert verdict.trusted is False
    assert isinstance(verdict.error, str) and verdict.error
    assert verdict.chain_trusted is False
    assert verdict.hostname_matches is True
    assert verdict.leaf is not None and verdict.leaf.subject_cn == "www.site.example"


def test_trusted_with_private_root_and_name_mismatch(
    pki: tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate],
) -> None:
    ca, _, leaf = pki
    at = T0 + dt.timedelta(days=1)
    ok = verify_chain([der(leaf)], "www.site.example", at, roots=[ca])
    assert ok.trusted and ok.error is None and ok.hostname_matches is True and ok.chain_trusted
    wild = verify_chain([der(leaf)], "img.cdn.example", at, roots=[ca])
    assert wild.trusted and wild.hostname_matches is True
    bad = verify_chain([der(leaf)], "blocked.example", at, roots=[ca])
    assert bad.trusted is False
    assert bad.hostname_matches is False
    assert bad.chain_trusted is True  # the chain is fine, only the name is wrong
    assert bad.error is not None and "subjectAltName" in bad.error
    ip = verify_chain([der(leaf)], "192.0.2.7", at, roots=[ca])
    assert ip.trusted and ip.hostname_matches is True
    chain_only = verify_chain([der(leaf)], None, at, roots=[ca])
    assert chain_only.trusted and chain_only.hostname_matches is None


def test_capture_time_governs_expiry(
    pki: tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate],
) -> None:
    ca, _, leaf = pki
    # Expired today, valid at capture time.
    assert verify_chain(
        [der(leaf)], "www.site.example", T0 + dt.timedelta(days=10), roots=[ca]
    ).trusted
    late = verify_chain([der(leaf)], "www.site.example", T0 + dt.timedelta(days=400), roots=[ca])
    assert late.trusted is False and late.error
    naive = verify_chain([der(leaf)], "www.site.example", dt.datetime(2020, 3, 5), roots=[ca])
    assert naive.trusted


def test_verify_garbage_chain_does_not_raise() -> None:
    v = verify_chain([b"garbage"], "a.example", T0)
    assert v.trusted is False and v.leaf is None
    assert [a.name for a in v.anomalies] == ["x509_unparseable"]
    empty = verify_chain([], "a.example", T0)
    assert empty.trusted is False and empty.error == "empty chain"


def test_bad_hostname_does_not_raise(
    pki: tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate],
) -> None:
    ca, _, leaf = pki
    v = verify_chain([der(leaf)], "bücher.example", T0 + dt.timedelta(days=1), roots=[ca])
    assert v.trusted is False and v.error
    assert v.hostname_matches is False
    assert v.chain_trusted is True


def test_hostname_matching_rules(
    pki: tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate],
) -> None:
    s = summarize_certificate(der(pki[2]))
    assert isinstance(s, CertSummary)
    assert hostname_matches(s, "WWW.Site.Example.")
    assert hostname_matches(s, "a.cdn.example")
    assert not hostname_matches(s, "cdn.example")
    assert not hostname_matches(s, "a.b.cdn.example")
    assert not hostname_matches(s, "site.example")
    assert not hostname_matches(s, "192.0.2.8")
    assert hostname_matches(s, "192.0.2.7")
    broad = dataclasses.replace(s, san_dns=("*.example",), san_ips=())
    assert not hostname_matches(broad, "foo.example")  # no wildcard directly under a TLD
