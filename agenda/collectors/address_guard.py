"""The SSRF guard: which web addresses a collector may reach.

Only ``http`` and ``https`` URLs that name a server, and only public addresses: a server name is
resolved once and refused if *any* of its addresses is not globally routable (loopback, private
ranges, link-local and cloud metadata, carrier-grade NAT, multicast, unspecified, documentation
ranges, and IPv6 forms that wrap such an IPv4 address).  Hex, decimal and short IPv4 forms
(``0x7f000001``, ``2130706433``, ``127.1``) resolve to the address they stand for and are judged
on it.

The fetcher calls :func:`allowed_addresses` when it opens a connection and connects to one of the
addresses it returned, so the DNS answer that was checked is the one that is used.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from agenda.errors import FetchError

ALLOWED_SCHEMES = frozenset({"http", "https"})

_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d form
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # the last 32 bits are an IPv4 address


def check_url(url: str) -> None:
    """Refuse anything but an http(s) URL naming a server (code ``fetch.scheme``)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a port like ":99999" or ":abc"
    except ValueError as error:  # also a broken IPv6 address such as "http://[::1/"
        raise _not_a_web_address(url) from error
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        raise _not_a_web_address(url)


def is_public_address(address: str) -> bool:
    """True when ``address`` (an IP address as text) is reachable by anyone on the internet."""
    ip = ipaddress.ip_address(address)
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local or ip in _IPV4_COMPATIBLE:
            return False
        wrapped = _wrapped_ipv4(ip)
        if wrapped is not None:
            return is_public_address(str(wrapped))
    return True


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order (code ``fetch.dns`` if none)."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _unknown_host(host) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise _unknown_host(host)
    return addresses


def allowed_addresses(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Resolve ``host`` once and return its addresses, refusing them all if one is not public.

    With ``allow_private`` (tests and the demo only) every address is allowed.
    """
    addresses = resolve_host(host, port)
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise _forbidden(host.strip("[]"), address)
    return addresses


def _wrapped_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4 or NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _not_a_web_address(url: str) -> FetchError:
    return FetchError(
        f"The address {url} is not a web address: it must start with http:// or https:// "
        "and name a server.",
        code="fetch.scheme", url=url,
    )


def _unknown_host(host: str) -> FetchError:
    return FetchError(f"The server name {host} could not be found.", code="fetch.dns", host=host)


def _forbidden(host: str, address: str) -> FetchError:
    if _same_address(host, address):
        return FetchError(f"The address {address} is private or local; only public addresses "
                          "can be collected.", code="fetch.forbidden_address", variant="address",
                          host=host, address=address)
    return FetchError(f"The name {host} leads to {address}, which is private or local; "
                      "only public addresses can be collected.", code="fetch.forbidden_address",
                      host=host, address=address)


def _same_address(host: str, address: str) -> bool:
    try:
        return ipaddress.ip_address(host) == ipaddress.ip_address(address)
    except ValueError:
        return False
