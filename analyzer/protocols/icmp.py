"""Names of ICMP and ICMPv6 destination-unreachable codes (RFC 792, RFC 1812 §5.2.7.1,
RFC 4443 §3.1), shared by the packet views and detection."""

from __future__ import annotations

#: ICMPv4 type 3 codes. Code 4 (fragmentation needed) is path MTU discovery, not a refusal.
UNREACH4: dict[int, str] = {
    0: "network unreachable", 1: "host unreachable", 2: "protocol unreachable",
    3: "port unreachable", 4: "fragmentation needed", 5: "source route failed",
    6: "network unknown", 7: "host unknown", 9: "network prohibited", 10: "host prohibited",
    11: "network unreachable for TOS", 12: "host unreachable for TOS",
    13: "administratively prohibited", 14: "host precedence violation",
    15: "precedence cutoff"}

#: ICMPv6 type 1 codes.
UNREACH6: dict[int, str] = {
    0: "no route", 1: "administratively prohibited", 2: "beyond scope of source address",
    3: "address unreachable", 4: "port unreachable", 5: "source address failed policy",
    6: "reject route"}


def refusal(itype: int, code: int, v6: bool) -> str | None:
    """The name of an ICMP error that refuses a packet outright (destination unreachable,
    any code but fragmentation needed), else None."""
    if v6:
        return UNREACH6.get(code, f"code {code}") if itype == 1 else None
    if itype != 3 or code == 4:
        return None
    return UNREACH4.get(code, f"code {code}")
