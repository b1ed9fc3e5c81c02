"""Rebuild the shipped fingerprint files from the upstream reference files plus the curated
lists below, so every shipped entry's provenance is reproducible.

Usage (from the repository root)::

    python analyzer/data/fingerprints/build.py REFERENCE_DIR [--out DIR] [--check]

``REFERENCE_DIR`` holds ``fingerprints_dns.csv`` and ``fingerprints_http.csv`` from
ooni/blocking-fingerprints. Only the facts are taken from them (name, scope, where the pattern
is found, pattern type, pattern, confidence, expected countries, source); the free-text
``notes``/``exp_url``/``other_names`` columns are not copied. ``--check`` compares instead
of writing and exits 1 when a shipped file differs.

The curated lists come from the project's research notes (shared/research/fingerprints.md
sections 3, 4, 9, 11); each entry names its source. The Wallbleed injector pools (GPL-3.0) are
deliberately not shipped: users load them at run time (see docs/fingerprints.md).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import ipaddress
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

try:
    from analyzer.fingerprints import BUILTIN_FILES, HEADER, format_row, parse_tsv
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from analyzer.fingerprints import BUILTIN_FILES, HEADER, format_row, parse_tsv

HERE = Path(__file__).resolve().parent
OONI = "ooni/blocking-fingerprints"
Row = tuple[str, str, str, str, str, str, str, str, str, str]

# --- curated: DNS block-page addresses not in the OONI file (fingerprints.md section 9) ----
# (The Iran, Turkey and India addresses of section 3 DNS-05 are all in the OONI file.)
ANTI_FRAUD = (
    ("curated.cn_antifraud_unicom", "39.102.194.95",
     "net4people/bbs#354 (China Unicom 'anti-fraud' block page, 2022; reached by DNS or "
     "HTTP injection)"),
    ("curated.cn_antifraud_telecom", "182.43.124.6",
     "net4people/bbs#354 (China Telecom 'anti-fraud' block page, 2022; reached by DNS or "
     "HTTP injection)"),
)

# --- curated: classic GFW lie IPs, shadowsocks/ChinaDNS iplist.txt (fingerprints.md 11.1) --
CHINADNS = (
    "4.36.66.178", "8.7.198.45", "23.89.5.60", "37.61.54.158", "46.82.174.68", "59.24.3.173",
    "64.33.88.161", "64.33.99.47", "64.66.163.251", "65.104.202.252", "65.160.219.113",
    "66.45.252.237", "72.14.205.99", "72.14.205.104", "74.125.39.102", "74.125.39.113",
    "74.125.127.102", "74.125.155.102", "78.16.49.15", "93.46.8.89", "128.121.126.139",
    "159.106.121.75", "169.132.13.103", "192.67.198.6", "202.106.1.2", "202.181.7.85",
    "203.98.7.65", "203.161.230.171", "207.12.88.98", "208.56.31.43", "209.36.73.33",
    "209.85.229.138", "209.145.54.50", "209.220.30.174", "211.94.66.147", "213.169.251.35",
    "216.221.188.182", "216.234.179.13", "243.185.187.39", "249.129.46.48",
)
CHINADNS_SOURCE = "shadowsocks/ChinaDNS iplist.txt (classic pre-2016 GFW forged answers)"
# Google addresses: forged for non-Google names, but legitimate answers for Google names.
GOOGLE_IPS = frozenset({
    "72.14.205.99", "72.14.205.104", "74.125.39.102", "74.125.39.113", "74.125.127.102",
    "74.125.155.102", "209.85.229.138",
})
GOOGLE_NAMES = (
    "google.*,googleapis.com,gstatic.com,googleusercontent.com,googlevideo.com,ggpht.com,"
    "youtube.com,ytimg.com,youtu.be,gmail.com,googlemail.com,blogspot.com,blogger.com,"
    "appspot.com,goo.gl,doubleclick.net,google-analytics.com,googlesyndication.com"
)

# --- curated: bogons, ooni/probe-cli internal/netxlite/bogon.go (fingerprints.md DNS-05) ---
BOGON_SOURCE = "ooni/probe-cli internal/netxlite/bogon.go (from ipinfo.io/bogon; IANA registries)"
BOGONS_V4 = (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "127.0.53.53/32",
    "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "255.255.255.255/32",
)
BOGONS_V6 = (
    "::/128", "::1/128", "::ffff:0:0/96", "::/96", "100::/64", "2001:10::/28", "2001:db8::/32",
    "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
)

# --- curated: HTTP "trusted host" markers (fingerprints.md sections 9 and 12) ----------------
# Censored Planet's Hyperquack outcome expected/trusted_host:akamai: checked after the
# block-page signatures, so these say "benign" only when no block page matched.
TRUSTED_HTTP = (
    ("curated.trusted_akamai_ghost", "header.server", "full", "AkamaiGHost"),
    ("curated.trusted_akamai_ghost_short", "header.server", "full", "GHost"),
)
TRUSTED_SOURCE = "censoredplanet-analysis hyperquack_outcome.py (expected/trusted_host:akamai)"

# --- curated: OONI "prod" rows that are a CDN's own pages (fingerprints.md section 9 HTTP-01
# FP traps): shipped as false-positive patterns, so a site's Cloudflare challenge is never
# called a block page (an injected copy is still caught by the race and TTL rules).
DEMOTED_HTTP = {
    "ooni.in_6": "Cloudflare's own browser-check page",
    "ooni.id_39": "Cloudflare's own browser-check page",
    "ooni.mm_http_2": "Cloudflare's own browser-check page",
}
DEMOTED_SOURCE = ("; demoted to a false-positive pattern: {why} (fingerprints.md section 9 "
                  "HTTP-01 FP traps)")

# --- curated: OONI rows not shipped, by pattern, and why. Censored Planet's `fp` row
# "cp.fp_x_<U+FFFD><U+001A>" declares benign any body with two bytes that are not UTF-8 (it
# reads bodies as UTF-8 with replacement characters, as the analyzer keeps them). Block pages
# in a legacy charset (windows-1251, windows-1256, GB2312: many national ones) would then be
# called benign before any block-page pattern is tried.
LEFT_OUT_HTTP = {
    "\ufffd.*\ufffd": "declares every body that is not UTF-8 benign, block pages in legacy "
                        "charsets included",
}

# --- curated: block-page texts and redirect targets named in fingerprints.md section 9 -------
# (the OONI rows carry some of these wrapped in markup, e.g. "<span>The URL ...</span>"; the
# plain text also matches the pages with other markup)
CURATED_HTTP = (
    ("curated.in_dot_court_order", "nat", "body", "contains",
     "The URL has been blocked as per the instructions of the DoT in compliance to the "
     "orders of Court of Law", "IN"),
    ("curated.in_airtel_court_orders", "isp", "header.location", "contains",
     "airtel.in/court-orders/", "IN"),
    ("curated.kr_warning_location", "nat", "header.location", "prefix",
     "http://warning.or.kr", "KR"),
    ("curated.ru_rkn_eais", "nat", "body", "contains", "eais.rkn.gov.ru", "RU"),
    ("curated.ru_mts_subblock", "isp", "body", "contains", "subblock.mts.ru", "RU"),
)
CURATED_HTTP_SOURCE = "fingerprints.md section 9 HTTP-01 (OONI country reports)"

# --- curated: TLS interception CAs (fingerprints.md section 4 TLS-04, section 15 trap 5) ----
KZ_DN = (
    ("curated.kz_qaznet_trust_network", "Qaznet Trust Network", "10",
     "Raman et al., IMC 2020; censoredplanet.org/kazakhstan (2019 interception root)"),
    ("curated.kz_isca", "Information Security Certification Authority", "8",
     "net4people/bbs#56 and #339; OONI 2024 Kazakhstan report (issuer "
     "C=KZ,O=ISCA,CN=Information Security Certification Authority; roots 2020-)"),
)
# SHA-256 of the DER certificates Chromium blocks under "Qaznet Trust Network".
KZ_SHA256 = (
    "00309c736dd661da6f1eb24173aa849944c168a43a15bffd192eecfdb6f8dbd2",
    "61c0fc2e38b5b6f9071b42cee54a9013d858b6697c68b460948551b3249576a1",
    "1df696f021ab1c3ace9a376b07ed7256a40214cd3396d7934087614924e2d7ef",
    "0230a604d99220e5612ee7862ab9f7a6e18e4f1ac4c9e27075788cc5220169ab",
    "06fd20629c143b9eab28d2799caefc5d23fde267d16c631e3f5b8b4bab3f68e6",
    "0bd39de4793cdc117138f47708aa4d583acf67adb059a0d91f668d1803bf6489",
    "c95c133b68319ee516b5f41e377f589878af1556567cc2834ef03b1d10830fd3",
    "c530fadc9bfa265e63b755cc6ee04c2d70d60bb916ce2f331dc7359362571b25",
    "89107c8e50e029b7b5f4ff0ccd2956bcc9d0c8ba2bfb6a58374ed63a6b034a30",
    "3472e4f16c570e0dd388aaaa4a64a34a4b939f1ca770996b5be0037c1aded9c1",
)
KZ_SHA256_SOURCE = "chromium/chromium net/data/ssl/blocklist/README.md (Qaznet Trust Network)"
KZ_SHA256_EXTRA = {
    "89107c8e50e029b7b5f4ff0ccd2956bcc9d0c8ba2bfb6a58374ed63a6b034a30":
        "; also net4people/bbs#339 (crt.sh)",
}
# Corporate / antivirus TLS inspection: the vendor or product name as it appears in the
# issuer DN of its inspection CA. A match names the product, not the operator.
ENTERPRISE = (
    ("zscaler", "Zscaler"),
    ("fortinet", "Fortinet"),
    ("fortigate", "FortiGate"),
    ("bluecoat", "Blue Coat"),
    ("bluecoat_2", "BlueCoat"),
    ("sophos", "Sophos"),
    ("kaspersky", "Kaspersky"),
    ("avast_avg", "Web/Mail Shield"),
    ("eset", "ESET SSL Filter"),
    ("paloalto", "Palo Alto Networks"),
    ("bitdefender", "Bitdefender"),
    ("netskope", "Netskope"),
    ("cisco_umbrella", "Cisco Umbrella"),
)
ENTERPRISE_SOURCE = ("curated: vendor name in the issuer DN of its TLS-inspection CA "
                     "(fingerprints.md TLS-04 FP traps, section 15 trap 5)")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _ooni_source(src: str) -> str:
    src = src.strip()
    return f"{OONI} (source: {src})" if src else OONI


def _ooni_row(r: dict[str, str], lst: str) -> Row:
    return (lst, r["name"], r["scope"], r["location_found"], r["pattern_type"], r["pattern"],
            r["expected_countries"].replace(" ", ""), r["confidence_no_fp"].strip(), "",
            _ooni_source(r["source"]))


def dns_rows(reference: Path) -> list[Row]:
    rows = [_ooni_row(r, "dns-fp" if r["scope"] == "fp" else "dns-blockpage")
            for r in _read_csv(reference / "fingerprints_dns.csv")]
    rows += [("dns-blockpage", name, "isp", "dns", "full", ip, "CN", "5", "", src)
             for name, ip, src in ANTI_FRAUD]
    return rows


def gfw_rows() -> list[Row]:
    rows: list[Row] = []
    for i, ip in enumerate(CHINADNS, 1):
        google = ip in GOOGLE_IPS
        rows.append(("gfw-lie-ip", f"chinadns.{i:02d}", "nat", "dns", "full", ip, "CN",
                     "3" if google else "5", GOOGLE_NAMES if google else "",
                     CHINADNS_SOURCE + ("; a Google address" if google else "")))
    return rows


def _6to4(net: ipaddress.IPv4Network) -> ipaddress.IPv6Network:
    base = (0x2002 << 112) | (int(net.network_address) << 80)
    return ipaddress.IPv6Network((base, 16 + net.prefixlen))


def _teredo(net: ipaddress.IPv4Network) -> ipaddress.IPv6Network:
    base = (0x20010000 << 96) | (int(net.network_address) << 64)
    return ipaddress.IPv6Network((base, 32 + net.prefixlen))


def bogon_rows() -> list[Row]:
    rows: list[Row] = []
    for cidr in BOGONS_V4 + BOGONS_V6:
        rows.append(("bogon", f"bogon.{cidr}", "bogon", "dns", "cidr", cidr, "", "10", "",
                     BOGON_SOURCE))
    for kind, encode, prefix in (("6to4", _6to4, "2002::/16"), ("teredo", _teredo, "2001::/32")):
        for cidr in BOGONS_V4:
            net = encode(ipaddress.IPv4Network(cidr))
            rows.append(("bogon", f"bogon.{kind}.{cidr}", "bogon", "dns", "cidr", str(net), "",
                         "10", "", f"derived: {kind} ({prefix}) encoding of bogon {cidr}, as "
                         "in ooni/probe-cli internal/netxlite/bogon.go"))
    return rows


def http_rows(reference: Path) -> list[Row]:
    rows = []
    for r in _read_csv(reference / "fingerprints_http.csv"):
        if r["pattern"] in LEFT_OUT_HTTP:
            continue
        why = DEMOTED_HTTP.get(r["name"])
        if why is None:
            rows.append(_ooni_row(r, "http-fp" if r["scope"] == "fp" else "http-blockpage"))
            continue
        lst, name, scope, loc, ptype, pattern, cc, conf, names, src = \
            _ooni_row({**r, "scope": "fp"}, "http-fp")
        rows.append((lst, name, scope, loc, ptype, pattern, cc, conf, names,
                     src + DEMOTED_SOURCE.format(why=why)))
    rows += [("http-blockpage", name, scope, loc, ptype, pattern, cc, "5", "",
              CURATED_HTTP_SOURCE) for name, scope, loc, ptype, pattern, cc in CURATED_HTTP]
    rows += [("http-fp", name, "trusted", loc, ptype, pattern, "", "5", "", TRUSTED_SOURCE)
             for name, loc, ptype, pattern in TRUSTED_HTTP]
    return rows


def tls_rows() -> list[Row]:
    rows: list[Row] = [
        ("tls-interception-ca", name, "nat", "issuer", "contains", dn, "KZ", conf, "", src)
        for name, dn, conf, src in KZ_DN]
    rows += [("tls-interception-ca", f"chromium.kz_blocklist_{i:02d}", "nat", "cert.sha256",
              "full", digest, "KZ", "10", "", KZ_SHA256_SOURCE + KZ_SHA256_EXTRA.get(digest, ""))
             for i, digest in enumerate(KZ_SHA256, 1)]
    rows += [("tls-interception-ca", f"curated.enterprise_{key}", "enterprise", "issuer",
              "contains", dn, "", "6", "", ENTERPRISE_SOURCE) for key, dn in ENTERPRISE]
    return rows


def render(rows: Iterable[Row]) -> str:
    return "".join(line + "\n" for line in [HEADER, *(format_row(r) for r in rows)])


def build(reference: Path) -> dict[str, str]:
    """File name -> file text for every shipped file."""
    files = {
        "dns.tsv": render(dns_rows(reference)),
        "gfw-lie-ip.tsv": render(gfw_rows()),
        "bogons.tsv": render(bogon_rows()),
        "http.tsv": render(http_rows(reference)),
        "tls.tsv": render(tls_rows()),
    }
    assert tuple(files) == BUILTIN_FILES
    for name, text in files.items():
        parse_tsv(text, name)  # every generated row must pass the loader's validation
    return files


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("reference", type=Path, help="folder with fingerprints_{dns,http}.csv")
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args(argv)
    files = build(args.reference)
    stale = 0
    for name, text in files.items():
        target = args.out / name
        if args.check:
            current = target.read_text(encoding="utf-8") if target.exists() else ""
            if current != text:
                stale += 1
                diff = difflib.unified_diff(current.splitlines(), text.splitlines(),
                                            f"shipped/{name}", f"rebuilt/{name}", lineterm="",
                                            n=0)
                print("\n".join(list(diff)[:40]))
        else:
            target.write_text(text, encoding="utf-8", newline="\n")
            print(f"{target}: {text.count(chr(10)) - 1} entries")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
