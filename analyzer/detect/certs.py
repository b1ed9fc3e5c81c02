"""Is a certificate's issuer a public CA at all? (A chain can fail today's verification for
reasons that say nothing about interception: a root since removed from Mozilla's store, a
SHA-1 signature, an expired intermediate. A man-in-the-middle shows itself by an issuer that
no public CA uses.)"""

from __future__ import annotations

import functools
import re

from cryptography.x509.oid import NameOID

from ..protocols.x509 import mozilla_roots

#: Organisations of public CAs whose roots have left Mozilla's store since (so that old
#: captures of genuine sites are not read as interception).
HISTORIC_PUBLIC_CAS = frozenset(s.lower() for s in (
    "Equifax", "Equifax Secure Inc.", "GeoTrust Inc.", "VeriSign, Inc.", "Thawte",
    "thawte, Inc.", "Thawte Consulting cc", "Symantec Corporation", "StartCom Ltd.",
    "WoSign CA Limited", "AddTrust AB", "The USERTRUST Network", "Comodo CA Limited",
    "COMODO CA Limited", "Entrust, Inc.", "Entrust.net", "GlobalSign nv-sa", "GlobalSign",
    "DigiCert Inc", "Baltimore", "Cybertrust, Inc", "GTE Corporation",
    "The Go Daddy Group, Inc.", "Starfield Technologies, Inc.", "Network Solutions L.L.C.",
    "Digital Signature Trust Co.", "Google Inc", "Google Trust Services",
    "Google Trust Services LLC", "Let's Encrypt", "Internet Security Research Group",
    "Amazon", "Microsoft Corporation", "Apple Inc.", "Sectigo Limited", "QuoVadis Limited",
    "SwissSign AG", "Certum", "Unizeto Technologies S.A.", "Buypass AS-983163327",
    "IdenTrust", "SECOM Trust Systems CO.,LTD.", "Chunghwa Telecom Co., Ltd.",
))

_ATTR = re.compile(r"(?:^|,)(CN|O)=((?:\\.|[^,])*)")


@functools.lru_cache(maxsize=1)
def public_ca_names() -> frozenset[str]:
    """Lower-cased CN and O values of Mozilla's roots (certifi), plus historic public CAs."""
    names = set(HISTORIC_PUBLIC_CAS)
    for cert in mozilla_roots():
        for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
            for attr in cert.subject.get_attributes_for_oid(oid):
                if isinstance(attr.value, str):
                    names.add(attr.value.lower())
    return frozenset(names)


def issuer_is_public(issuers: list[str]) -> bool:
    """Whether any of the RFC 4514 issuer DNs names a public CA by organisation or CN."""
    known = public_ca_names()
    for dn in issuers:
        for _kind, value in _ATTR.findall(dn):
            if value.replace("\\", "").strip().lower() in known:
                return True
    return False
