"""The fingerprint data and its loader: real look-ups on real shipped entries, the file format,
user lists and pool lists, and (when the reference files are present) reproducibility of the
shipped files from them."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
from pathlib import Path

import pytest
import re2
from analyzer import fingerprints as fpmod
from analyzer.errors import AnalyzerError
from analyzer.fingerprints import (
    HEADER,
    FingerprintError,
    FingerprintMatch,
    Fingerprints,
    escape_field,
    format_row,
    unescape_field,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "analyzer" / "data" / "fingerprints"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "reference"
needs_reference = pytest.mark.skipif(
    not (REFERENCE / "fingerprints_http.csv").exists(),
    reason=f"reference files not present at {REFERENCE} (shared/realworld/reference)")


@pytest.fixture(scope="module")
def fp() -> Fingerprints:
    return Fingerprints.builtin()


def names(matches: tuple[FingerprintMatch, ...]) -> list[str]:
    return [m.name for m in matches]


def write_tsv(path: Path, *rows: tuple[str, ...]) -> Path:
    path.write_text(HEADER + "\n" + "".join(format_row(r) + "\n" for r in rows),
                    encoding="utf-8")
    return path


# --------------------------------------------------------------------------- shipped data


def test_builtin_counts_and_provenance(fp: Fingerprints) -> None:
    assert fp.counts() == {
        "dns-blockpage": 228, "gfw-lie-ip": 40, "bogon": 59,
        "http-blockpage": 1256, "http-fp": 479, "tls-interception-ca": 25,
    }
    ooni_dns = [e for e in fp.entries if e.location == "dns" and
                e.source.startswith("ooni/blocking-fingerprints")]
    ooni_http = [e for e in fp.entries if e.list.startswith("http") and
                 e.source.startswith("ooni/blocking-fingerprints")]
    assert len(ooni_dns) == 226
    assert len(ooni_http) == 1728  # one row left out (test_non_utf8_block_page)
    assert sum(e.scope == "fp" for e in ooni_http) == 474 + 3  # 3 demoted "prod" rows
    demoted = [e.name for e in ooni_http if "demoted" in e.source]
    assert demoted == ["ooni.in_6", "ooni.id_39", "ooni.mm_http_2"]
    assert all(e.source for e in fp.entries)
    assert Fingerprints.builtin() is fp


def test_shipped_files_have_one_header_and_no_notes_columns() -> None:
    for name in fpmod.BUILTIN_FILES:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        assert lines[0] == HEADER
        assert all(line.count("\t") == 9 for line in lines)
        # upstream's free-text notes are not shipped (a notes phrase of ooni.ae_3 and cn_0)
        text = "\n".join(lines)
        assert "customized Websense" not in text and "(ARIN)" not in text, name


def test_iran_national_block_page(fp: Fingerprints) -> None:
    (m,) = fp.dns_address("10.10.34.34")
    assert (m.list, m.name, m.scope, m.countries) == ("dns-blockpage", "ooni.ir_4", "nat", ("IR",))
    assert m.expected_in("ir") and not m.expected_in("CN")
    assert names(fp.dns_address("d0:0::11")) == ["ooni.ir_ipv6_1"]
    assert names(fp.dns_address(ipaddress.ip_address("10.10.34.36"))) == [
        "ooni.ir_10dot10_ipv4_1"]


def test_gfw_lie_ip(fp: Fingerprints) -> None:
    found = fp.dns_address("8.7.198.45")
    assert {(m.list, m.name) for m in found} == {
        ("dns-blockpage", "ooni.cn_0"), ("gfw-lie-ip", "chinadns.02")}
    assert fp.dns_address("::ffff:8.7.198.45") == found
    assert all(m.countries == ("CN",) for m in found)


def test_google_lie_ips_are_benign_for_google_names(fp: Fingerprints) -> None:
    (m,) = fp.dns_address("74.125.39.102")
    assert m.list == "gfw-lie-ip" and m.benign_for
    assert fp.dns_address("74.125.39.102", qname="www.google.com.") == ()
    assert fp.dns_address("74.125.39.102", qname="mail.google.co.uk") == ()
    assert fp.dns_address("74.125.39.102", qname="i.ytimg.com") == ()
    assert names(fp.dns_address("74.125.39.102", qname="twitter.com")) == ["chinadns.15"]
    assert names(fp.dns_address("74.125.39.102", qname="google.evil.example")) == ["chinadns.15"]
    # a non-Google lie IP stays a match for Google names
    assert "chinadns.02" in names(fp.dns_address("8.7.198.45", qname="www.google.com"))


def test_nothing_for_ordinary_addresses(fp: Fingerprints) -> None:
    for ip in ("8.8.8.8", "2001:4860:4860::8888", "93.184.216.34"):
        assert fp.dns_address(ip) == ()
        assert fp.is_bogon(ip) is None
    assert fp.dns_address("not-an-address") == ()
    assert fp.is_bogon("300.1.1.1") is None


def test_vague_dns_answers(fp: Fingerprints) -> None:
    (m,) = fp.dns_address("127.0.0.1")
    assert m.scope == "vbw" and m.weak


def test_dns_name_answers(fp: Fingerprints) -> None:
    (m,) = fp.dns_name("Internet-Positif.ORG.")
    assert (m.name, m.countries) == ("ooni.id_44", ("ID",))
    assert fp.dns_name("example.org") == ()


@pytest.mark.parametrize(("ip", "name"), [
    ("127.0.0.1", "bogon.127.0.0.0/8"),
    ("127.0.53.53", "bogon.127.0.53.53/32"),
    ("100.64.1.1", "bogon.100.64.0.0/10"),
    ("10.10.34.34", "bogon.10.0.0.0/8"),
    ("255.255.255.255", "bogon.255.255.255.255/32"),
    ("fe80::1", "bogon.fe80::/10"),
    ("fe80::1%eth0", "bogon.fe80::/10"),
    ("::", "bogon.::/128"),
    ("::1", "bogon.::1/128"),
    ("fd00::53", "bogon.fc00::/7"),
    ("::ffff:192.168.1.1", "bogon.192.168.0.0/16"),
    ("::ffff:8.8.8.8", "bogon.::ffff:0:0/96"),
    ("2002:a00:1::1", "bogon.6to4.10.0.0.0/8"),
    ("2002:6440::1", "bogon.6to4.100.64.0.0/10"),
    ("2001:0:7f00:1::1", "bogon.teredo.127.0.0.0/8"),
])
def test_bogons(fp: Fingerprints, ip: str, name: str) -> None:
    m = fp.is_bogon(ip)
    assert m is not None and (m.list, m.name, m.scope) == ("bogon", name, "bogon")


# --------------------------------------------------------------------------- HTTP

AIRTEL_DOT = (b"<html><body><span>The URL has been blocked as per the instructions of the DoT "
              b"in compliance to the orders of Court of Law</span></body></html>")


def test_airtel_dot_block_page(fp: Fingerprints) -> None:
    m = fp.http_response(200, {"Content-Type": "text/html"}, AIRTEL_DOT)
    assert m is not None
    assert (m.list, m.name, m.scope, m.countries) == ("http-blockpage", "ooni.in_7", "nat", ("IN",))
    assert not m.known_benign
    # Airtel's Netsweeper redirect: the product pattern (confidence 6) ranks before the
    # Airtel-specific one (5); both are reported by http_matches
    found = fp.http_matches(200, {}, b'<iframe src="http://www.airtel.in/dot/?dpid=1&dpruleid=3">')
    assert names(found) == ["cl.prod_netsweeper_inject_3", "ooni.in_4"]
    assert found[1].countries == ("IN",)


def test_false_positive_patterns_win(fp: Fingerprints) -> None:
    challenge = (b"<html><head><title>Please Wait... | Cloudflare</title></head><body>"
                 b"Checking your browser before accessing example.com.</body></html>")
    found = fp.http_matches(200, {}, challenge)
    assert [m.list for m in found] == ["http-fp"] * 4
    assert found[0].name == "cp.fp_x_cloudflare_check"
    m = fp.http_response(200, {}, challenge)
    assert m is not None and m.scope == "fp" and m.known_benign
    # the title alone (Cloudflare's own markers past the kept body prefix): OONI lists it as
    # an IN, ID and MM "prod" block page; it ships as a false-positive pattern
    m = fp.http_response(503, {}, challenge[:challenge.index(b"<body>")])
    assert m is not None and m.name == "ooni.in_6" and m.known_benign
    # an fp pattern masks even a strong national block-page pattern (Censored Planet order)
    m = fp.http_response(503, {}, b"<!-- AKAMAI ERROR PAGE -->" + AIRTEL_DOT)
    assert m is not None and m.name == "cp.fp_x_akamai_errorpage"


def test_non_utf8_block_page(fp: Fingerprints) -> None:
    """A block page in a legacy charset, kept as UTF-8 text with replacement characters (as
    the HTTP table keeps bodies): still a block page. Censored Planet's row that declares any
    such body benign (pattern U+FFFD .* U+FFFD) is not shipped."""
    page = ("<html><head><meta charset=windows-1251><title>\ufffd\ufffd\ufffd\ufffd</title>"
            "</head><body>\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd\ufffd "
            "<a href=\"https://eais.rkn.gov.ru/\">eais.rkn.gov.ru</a></body></html>")
    m = fp.http_response(200, {}, page)
    assert m is not None and m.list == "http-blockpage" and m.name == "curated.ru_rkn_eais"
    assert not any("\ufffd" in e.pattern for e in fp.entries)


def test_trusted_host_only_after_block_pages(fp: Fingerprints) -> None:
    m = fp.http_response(200, {"Server": "AkamaiGHost"}, b"<html>hello</html>")
    assert m is not None and (m.list, m.scope) == ("http-fp", "trusted") and m.known_benign
    m = fp.http_response(200, {"Server": "AkamaiGHost"}, AIRTEL_DOT)
    assert m is not None and m.name == "ooni.in_7"


def test_vague_blocking_word(fp: Fingerprints) -> None:
    m = fp.http_response(200, {}, b"<p>Blocked URL</p>")
    assert m is not None and m.scope == "vbw" and m.weak and m.list == "http-blockpage"
    # a strong pattern outranks a vague word in the same body
    m = fp.http_response(200, {}, b"<p>Blocked URL</p>" + AIRTEL_DOT)
    assert m is not None and m.name == "ooni.in_7"


def test_location_header(fp: Fingerprints) -> None:
    m = fp.http_response(302, {"LOCATION": "http://www.bluecoat.com/notify-NotifyUser1?c=1"}, b"")
    assert m is not None
    assert (m.name, m.location, m.pattern_type) == ("ooni.ae_1", "header.location", "prefix")
    assert fp.http_response(302, {"Location": "https://example.org/?http://www.bluecoat.com/"
                                              "notify-NotifyUser1"}, None) is None
    # two entries match: the higher confidence (contains, 10) ranks before the prefix (5)
    found = fp.http_matches(302, {"location": "http://lighthouse.du.ae/blocked?x=1"}, None)
    assert names(found) == ["cl.isp_ae_du_surfsafely_forward_2", "ooni.ae_2"]
    m = fp.http_response(302, [("location", "http://www.warning.or.kr")], None)
    assert m is not None and (m.name, m.pattern_type) == ("ooni.kr_2", "full")


def test_server_header_full_match(fp: Fingerprints) -> None:
    m = fp.http_response(200, {"server": "SonicWALL"}, None)
    assert m is not None and m.name == "ooni.br_1"
    assert fp.http_response(200, {"server": "SonicWALL 2"}, None) is None


def test_regexp_rows_compile_and_match(fp: Fingerprints) -> None:
    regexps = [e for e in fp.entries if e.pattern_type == "regexp"]
    assert len(regexps) == 13
    for e in regexps:
        re2.compile(e.pattern)
    body = (b"If you believe the requested page should not be blocked please click here "
            b"http://www.internet.gov.sa/")
    m = fp.http_response(200, {}, body)
    assert m is not None and m.name == "cp.b_nat_sa_national_2" and m.pattern_type == "regexp"


def test_body_bytes_and_text(fp: Fingerprints) -> None:
    # invalid UTF-8 before the pattern does not hide it
    m = fp.http_response(200, {}, b"\xff\xfe\x80garbage" + AIRTEL_DOT)
    assert m is not None and m.name == "ooni.in_7"
    assert fp.http_response(200, {}, AIRTEL_DOT.decode()) == fp.http_response(200, {}, AIRTEL_DOT)
    # a non-ASCII pattern matches UTF-8 bytes, and latin-1-decoded text of those bytes
    turkish = "<title>Telekomünikasyon İletişim Başkanlığı</title>"
    raw = turkish.encode()
    for body in (raw, turkish, raw.decode("latin-1")):
        m = fp.http_response(200, {}, body)
        assert m is not None and m.name == "ooni.tr_0"
    assert fp.http_response(200, {}, turkish.encode("iso-8859-9", "replace")) is None


def test_set_fallback_when_dfa_gives_up(fp: Fingerprints) -> None:
    """When the RE2 set cannot finish (no sentinel), patterns are searched one by one."""
    matcher = fpmod._TextMatcher(
        [e for e in fp.entries if e.location == "body"], case_sensitive=True)

    class GaveUp:
        def Match(self, data: bytes) -> None:  # RE2's method name
            return None

    matcher._set = GaveUp()
    assert {e.name for e in matcher.match(AIRTEL_DOT)} == {"ooni.in_7",
                                                           "curated.in_dot_court_order"}


# --------------------------------------------------------------------------- TLS


def test_tls_interception_cas(fp: Fingerprints) -> None:
    m = fp.tls_issuer("C=KZ, CN=Qaznet Trust Network", "CN=www.google.com", [])
    assert m is not None
    assert (m.list, m.scope, m.countries) == ("tls-interception-ca", "nat", ("KZ",))
    m = fp.tls_issuer("CN=Information Security Certification Authority,O=ISCA,C=KZ", "", [])
    assert m is not None and m.name == "curated.kz_isca"
    digest = ("89:10:7C:8E:50:E0:29:B7:B5:F4:FF:0C:CD:29:56:BC:"
              "C9:D0:C8:BA:2B:FB:6A:58:37:4E:D6:3A:6B:03:4A:30")
    m = fp.tls_issuer("CN=whatever", "CN=whatever", [digest])
    assert m is not None and m.location == "cert.sha256" and m.countries == ("KZ",)
    m = fp.tls_issuer("CN=Zscaler Intermediate Root CA (zscaler.net), O=Zscaler Inc.", "", [])
    assert m is not None and m.scope == "enterprise"
    # a state CA outranks a corporate product
    m = fp.tls_issuer("CN=Qaznet Trust Network, OU=fortigate", "", [])
    assert m is not None and m.scope == "nat"
    assert fp.tls_issuer("C=US, O=Let's Encrypt, CN=R11", "CN=example.org",
                         ["00" * 32]) is None
    # vendor names in the subject (the vendor's own site) are not interception
    assert fp.tls_issuer("C=US, O=DigiCert Inc, CN=DigiCert TLS RSA SHA256 2020 CA1",
                         "CN=www.zscaler.com, O=Zscaler Inc.", []) is None


# --------------------------------------------------------------------------- format and user files


@pytest.mark.parametrize("text", [
    "", "plain", "a\tb", "line1\r\nline2", "\\", "a\\", "\\t", "\\\\", "x\\.y\\d+",
    "\\\t", "\\\n", "\\n\n", "tab\\\\\tend", "<title>Page Restricted</title>\r\n",
])
def test_escape_round_trip(text: str) -> None:
    encoded = escape_field(text)
    assert "\t" not in encoded and "\n" not in encoded and "\r" not in encoded
    assert unescape_field(encoded) == text


def test_regexps_are_written_naturally() -> None:
    assert escape_field(r"http://www\.internet\.gov\.sa") == r"http://www\.internet\.gov\.sa"


def test_user_tsv(tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "mine.tsv",
        ("dns-blockpage", "me.blk", "isp", "dns", "full", "192.0.2.55", "XX", "", "",
         "my own measurement"),
        ("dns-fp", "me.cdn", "fp", "dns", "full", "10.10.34.35", "", "8", "", "lab"),
        ("http-blockpage", "me.page", "isp", "body", "contains", "line1\r\n\tBLOCKED\\d",
         "", "", "", "lab"),
        ("http-blockpage", "me.status", "isp", "status", "full", "451", "", "", "", "lab"),
        ("tls-interception-ca", "me.ca", "nat", "issuer", "regexp", r"CN=Lab CA \d+", "",
         "", "", "lab"),
        ("dns-blockpage", "me.cidr", "isp", "dns", "cidr", "198.51.100.0/25", "", "", "",
         "lab"),
    )
    fp = Fingerprints.load([path])
    assert fp.counts()["dns-blockpage"] == 230
    (blk,) = fp.dns_address("192.0.2.55")
    assert (blk.name, blk.countries, blk.confidence, blk.source) == (
        "me.blk", ("XX",), 5, "my own measurement")
    # a dns-fp entry makes the answer known-benign: only the fp entry is returned
    assert names(fp.dns_address("10.10.34.35")) == ["me.cdn"]
    m = fp.http_response(200, {}, b"xx line1\r\n\tBLOCKED\\d yy")
    assert m is not None and m.name == "me.page"
    m = fp.http_response(451, {}, None)
    assert m is not None and m.name == "me.status"
    m = fp.tls_issuer("cn=lab ca 7", "", [])
    assert m is not None and m.name == "me.ca"
    assert names(fp.dns_address("198.51.100.7")) == ["me.cidr"]
    assert fp.dns_address("198.51.100.200") == ()
    # without the builtin lists
    alone = Fingerprints.load([path], builtin=False)
    assert sum(alone.counts().values()) == 6
    assert alone.dns_address("10.10.34.34") == ()


@pytest.mark.parametrize(("row", "message"), [
    (("dns-blockpage", "x", "isp", "dns", "full", "10.0.0.300", "", "", "", "s"),
     "neither an IP address nor a name"),
    (("dns-blocklist", "x", "isp", "dns", "full", "10.0.0.1", "", "", "", "s"), "unknown list"),
    (("http-blockpage", "x", "national", "body", "contains", "a", "", "", "", "s"),
     "unknown scope"),
    (("http-blockpage", "x", "fp", "body", "contains", "a", "", "", "", "s"), "does not fit"),
    (("http-fp", "x", "isp", "body", "contains", "a", "", "", "", "s"), "does not fit"),
    (("http-blockpage", "x", "isp", "dns", "contains", "a", "", "", "", "s"), "location"),
    (("http-blockpage", "x", "isp", "body", "regexp", "(unclosed", "", "", "", "s"),
     "invalid RE2 regexp"),
    (("http-blockpage", "x", "isp", "body", "regexp", "a*", "", "", "", "s"), "empty text"),
    (("http-blockpage", "x", "isp", "body", "contains", "  ", "", "", "", "s"), "empty pattern"),
    (("http-blockpage", "x", "isp", "body", "glob", "a", "", "", "", "s"), "type"),
    (("http-blockpage", "x", "isp", "body", "contains", "a", "india", "", "", "s"),
     "country code"),
    (("http-blockpage", "x", "isp", "body", "contains", "a", "", "11", "", "s"), "confidence"),
    (("http-blockpage", "x", "isp", "body", "contains", "a", "", "", "", ""), "empty source"),
    (("bogon", "x", "bogon", "dns", "cidr", "10.0.0.1/8", "", "", "", "s"), "bad CIDR"),
    (("tls-interception-ca", "x", "nat", "cert.sha256", "full", "abcd", "", "", "", "s"),
     "SHA-256"),
])
def test_user_tsv_errors_name_file_and_line(tmp_path: Path, row: tuple[str, ...],
                                             message: str) -> None:
    good = ("http-blockpage", "ok", "isp", "body", "contains", "fine", "", "", "", "s")
    path = write_tsv(tmp_path / "bad.tsv", good, row)
    with pytest.raises(FingerprintError, match=message) as info:
        Fingerprints.load([path])
    assert str(info.value).startswith(f"{path}:3: ")
    assert isinstance(info.value, AnalyzerError)


def test_user_tsv_structural_errors(tmp_path: Path) -> None:
    path = tmp_path / "cols.tsv"
    path.write_text(HEADER + "\n# a comment\n\nhttp-blockpage\tx\tisp\tbody\n", encoding="utf-8")
    with pytest.raises(FingerprintError, match=rf"^{path}:4: 4 tab-separated fields"):
        Fingerprints.load([path])
    path.write_text("list\tname\n", encoding="utf-8")
    with pytest.raises(FingerprintError, match=rf"^{path}:1: bad header"):
        Fingerprints.load([path])
    dup = ("http-blockpage", "same", "isp", "body", "contains", "a", "", "", "", "s")
    write_tsv(path, dup, dup)
    with pytest.raises(FingerprintError, match=rf"^{path}:3: duplicate name 'same'"):
        Fingerprints.load([path])
    path.write_bytes(HEADER.encode() + b"\nhttp-blockpage\tx\tisp\tbody\tcontains\t\xff\n")
    with pytest.raises(FingerprintError, match=rf"^{path}:2: not UTF-8"):
        Fingerprints.load([path])
    with pytest.raises(FingerprintError, match="cannot read"):
        Fingerprints.load([tmp_path / "missing.tsv"])


def test_user_pool_list(tmp_path: Path) -> None:
    path = tmp_path / "my-pool.txt"
    path.write_text("# injector pool seen 2025-06\n203.0.113.9\n\n2001:db8::25de  # v6\n"
                    "::ffff:198.51.100.4\n", encoding="utf-8")
    fp = Fingerprints.load([path])
    assert fp.counts()["injector-pool"] == 3
    (m,) = fp.dns_address("203.0.113.9")
    assert (m.list, m.name, m.scope, m.location) == ("injector-pool", "my-pool#1", "pool", "dns")
    assert names(fp.dns_address("2001:DB8::25DE")) == ["my-pool#2"]
    assert names(fp.dns_address("198.51.100.4")) == ["my-pool#3"]
    path.write_text("203.0.113.9\nnot an address\n", encoding="utf-8")
    with pytest.raises(FingerprintError, match=rf"^{path}:2: not an IP address"):
        Fingerprints.load([path])
    path.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(FingerprintError, match="no address"):
        Fingerprints.load([path])


def test_cli_checks_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_tsv(tmp_path / "good.tsv",
                     ("http-fp", "me.fp", "fp", "body", "contains", "hello", "", "", "", "s"))
    assert fpmod.main([str(good)]) == 0
    assert "http-fp\t480" in capsys.readouterr().out
    bad = tmp_path / "bad.tsv"
    bad.write_text("nonsense\tline\n", encoding="utf-8")
    assert fpmod.main([str(bad)]) == 1
    assert f"{bad}:1: bad header" in capsys.readouterr().err


# --------------------------------------------------------------------------- reference files


@needs_reference
def test_shipped_files_match_a_rebuild_from_the_reference() -> None:
    proc = subprocess.run(
        [sys.executable, "-B", str(DATA / "build.py"), str(REFERENCE), "--check"],
        capture_output=True, text=True, check=False, cwd=ROOT)
    assert proc.returncode == 0, (
        "analyzer/data/fingerprints/*.tsv differ from a rebuild; run "
        "`python analyzer/data/fingerprints/build.py <reference dir>`\n"
        + proc.stdout + proc.stderr)


@needs_reference
def test_wallbleed_pools_load() -> None:
    a = REFERENCE / "ordered-ip-pool-injector-3-a.txt"
    aaaa = REFERENCE / "ordered-ip-pool-injector-3-aaaa.txt"
    fp = Fingerprints.load([a, aaaa], builtin=False)
    assert fp.counts() == {"injector-pool": 592 + 30}
    first_v4 = a.read_text().split()[0]
    assert names(fp.dns_address(first_v4)) == ["ordered-ip-pool-injector-3-a#1"]
    first_v6 = aaaa.read_text().split()[0]
    assert names(fp.dns_address(first_v6.upper())) == ["ordered-ip-pool-injector-3-aaaa#1"]
    both = Fingerprints.load([a, aaaa])
    assert both.counts()["injector-pool"] == 622 and both.counts()["gfw-lie-ip"] == 40
