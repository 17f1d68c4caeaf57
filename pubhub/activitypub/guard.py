"""Which addresses an outbound request may reach (the SSRF guard).

Every resolved address is checked: no private, loopback, link-local, CGNAT, multicast,
unspecified, reserved, IPv4-mapped or NAT64 forms unless the operator allow-listed the network,
and hosts spelled as integer or hex IP forms are refused outright.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import Iterable

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from ..errors import DisallowedAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
# Not publicly routable, yet missed by `is_global` in some Python releases (the special-purpose
# registries changed between 3.11 patch releases): refused whatever the interpreter thinks.
NON_PUBLIC = tuple(ipaddress.ip_network(net) for net in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24",  # 6to4 relay anycast
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
    "::/8",  # loopback, unspecified, IPv4-compatible (::a.b.c.d) and mapped forms
    "100::/64", "2001::/32",  # discard-only, Teredo (carries an IPv4 address)
    "2001:db8::/32", "3fff::/20", "fc00::/7", "fe80::/10", "fec0::/10",  # documentation, ULA, link/site-local
))
# Spellings inet_aton accepts but humans don't: 2130706433, 0x7f000001, 0177.0.0.1, 127.1
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}\.?$", re.IGNORECASE)


def carries_ipv4(address: ipaddress.IPv6Address) -> bool:
    """IPv4-mapped, NAT64 (both prefixes) and 6to4 forms: IPv6 spellings of an IPv4 address."""
    return address.ipv4_mapped is not None or address in NAT64 or address in NAT64_LOCAL \
        or address.sixtofour is not None


class AddressPolicy:
    def __init__(self, allowed_networks: Iterable = ()):
        self.allowed_networks = tuple(allowed_networks)

    def _allow_listed(self, address: IPAddress) -> bool:
        return any(address.version == net.version and address in net for net in self.allowed_networks)

    def is_allowed(self, address: IPAddress) -> bool:
        if self._allow_listed(address):
            return True
        if isinstance(address, ipaddress.IPv6Address) and carries_ipv4(address):
            # IPv4-mapped, NAT64 and 6to4 forms are how private IPv4 targets get smuggled in.
            return False
        if address.is_multicast or address.is_reserved or address.is_link_local or address.is_loopback:
            return False
        if any(address.version == net.version and address in net for net in NON_PUBLIC):
            return False
        return address.is_global

    def check_address(self, address: str | IPAddress) -> None:
        if isinstance(address, str):
            address = ipaddress.ip_address(address.split("%", 1)[0])
        if not self.is_allowed(address):
            raise DisallowedAddress(f"address {address} is not allowed for outbound requests")

    def check_host(self, host: str | None) -> None:
        """Refuse literal disallowed IPs and odd numeric spellings before any connection."""
        if not host:
            raise DisallowedAddress("URL has no host")
        bare = host.strip("[]")
        try:
            literal = ipaddress.ip_address(bare)
        except ValueError:
            literal = None
        if literal is not None:
            self.check_address(literal)
            return
        if _NUMERIC_HOST.match(bare):
            raise DisallowedAddress(f"host {host!r} is a numeric IP spelling")


class GuardedResolver(AbstractResolver):
    """Resolves through the system resolver, then keeps only allowed addresses, so the
    connector connects only to vetted addresses (no DNS rebinding between check and use)."""

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None):
        self.policy = policy
        self._inner = inner or ThreadedResolver()

    async def resolve(self, host: str, port: int, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:  # type: ignore[override]
        self.policy.check_host(host)
        results = await self._inner.resolve(host, port, family)
        for result in results:
            # One bad address poisons the name: an attacker controls which one we'd pick.
            self.policy.check_address(result["host"])
        if not results:
            raise DisallowedAddress(f"host {host!r} resolved to nothing")
        return results

    async def close(self) -> None:
        await self._inner.close()
