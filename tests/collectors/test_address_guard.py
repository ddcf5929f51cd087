"""The SSRF guard: only http(s) URLs, only public addresses."""

from __future__ import annotations

import socket

import pytest

from agenda.collectors import address_guard
from agenda.collectors.address_guard import (
    allowed_addresses,
    check_url,
    is_public_address,
    resolve_host,
)
from agenda.errors import FetchError


@pytest.mark.parametrize("address", [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "2001:4860:4860::8888",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",  # IPv4-mapped public address
    "2002:808:808::1",  # 6to4 around a public address
    "64:ff9b::808:808",  # NAT64 around a public address
])
def test_public_addresses_are_allowed(address):
    assert is_public_address(address)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.255.255.254",  # loopback
    "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",  # private
    "169.254.169.254",  # link-local: cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0", "0.1.2.3",  # unspecified, "this network"
    "224.0.0.1", "239.255.255.250",  # multicast
    "255.255.255.255", "240.0.0.1",  # broadcast, reserved
    "192.0.2.1", "198.51.100.1", "203.0.113.1", "198.18.0.1",  # documentation, benchmarking
    "::1", "::",  # IPv6 loopback, unspecified
    "fe80::1", "fe80::1%1",  # link-local (with a zone)
    "fc00::1", "fd00:ec2::254",  # unique local, AWS metadata over IPv6
    "fec0::1",  # deprecated site-local
    "ff02::1", "ff0e::1",  # multicast, even global-scope
    "2001:db8::1",  # documentation
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",  # IPv4-mapped
    "::127.0.0.1",  # deprecated IPv4-compatible
    "2002:7f00:1::", "2002:a9fe:a9fe::",  # 6to4 around loopback, metadata
    "64:ff9b::7f00:1", "64:ff9b::a00:1",  # NAT64 around loopback, private
    "2001::1",  # Teredo
])
def test_private_and_local_addresses_are_refused(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("url", [
    "http://example.org/agenda.ics",
    "https://example.org:8443/feed.xml?x=1",
    "HTTPS://Example.org/",
    "http://[2001:db8::1]/",  # the address itself is judged later, after resolution
])
def test_web_addresses_pass_the_url_check(url):
    check_url(url)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "ftp://example.org/agenda.ics",
    "gopher://example.org:70/_GET",
    "dict://example.org:11211/stats",
    "javascript:alert(1)",
    "example.org/agenda.ics",
    "http:///agenda.ics",
    "http://example.org:99999/",
    "http://example.org:port/",
    "http://[::1/",
    "",
])
def test_other_urls_are_refused_with_a_readable_message(url):
    with pytest.raises(FetchError) as caught:
        check_url(url)
    assert caught.value.code == "fetch.scheme"
    assert "must start with http:// or https://" in caught.value.message


def _fake_resolver(answers: dict[str, list[str]]):
    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in answers[host]]
    return getaddrinfo


@pytest.fixture
def fake_dns(monkeypatch):
    """Answer DNS from a table instead of the network."""
    def install(answers):
        monkeypatch.setattr(address_guard.socket, "getaddrinfo", _fake_resolver(answers))
    return install


def test_a_public_name_gives_all_its_addresses_once(fake_dns):
    fake_dns({"agenda.example": ["93.184.216.34", "2606:2800:220:1::", "93.184.216.34"]})
    assert allowed_addresses("agenda.example", 443, allow_private=False) == [
        "93.184.216.34", "2606:2800:220:1::"]


def test_a_name_is_refused_when_any_of_its_addresses_is_private(fake_dns):
    fake_dns({"rebind.example": ["93.184.216.34", "10.0.0.5"]})
    with pytest.raises(FetchError) as caught:
        allowed_addresses("rebind.example", 80, allow_private=False)
    assert caught.value.code == "fetch.forbidden_address"
    assert caught.value.data["address"] == "10.0.0.5"
    assert caught.value.message == ("The name rebind.example leads to 10.0.0.5, which is private "
                                    "or local; only public addresses can be collected.")


@pytest.mark.parametrize("host, address", [
    ("127.0.0.1", "127.0.0.1"),
    ("[::1]", "::1"),
])
def test_a_private_address_is_named_in_the_message(host, address):
    with pytest.raises(FetchError) as caught:
        allowed_addresses(host, 80, allow_private=False)
    assert caught.value.message == (f"The address {address} is private or local; "
                                    "only public addresses can be collected.")


@pytest.mark.parametrize("host", ["0x7f000001", "2130706433", "017700000001", "127.1"])
def test_numeric_spellings_of_loopback_are_refused(host):
    with pytest.raises(FetchError) as caught:
        allowed_addresses(host, 80, allow_private=False)
    assert caught.value.data["address"] == "127.0.0.1"


def test_private_addresses_are_allowed_when_the_policy_says_so(fake_dns):
    fake_dns({"demo.local": ["127.0.0.1"]})
    assert allowed_addresses("demo.local", 80, allow_private=True) == ["127.0.0.1"]


def test_an_unknown_name_is_a_dns_error(fake_dns):
    fake_dns({})
    with pytest.raises(FetchError) as caught:
        resolve_host("nowhere.example", 80)
    assert caught.value.code == "fetch.dns"
    assert caught.value.message == "The server name nowhere.example could not be found."
