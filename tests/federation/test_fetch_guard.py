"""The guarded outbound client (DESIGN "Federation rules"): which addresses may be reached,
redirects, schemes, deadline, size cap, and what counts as a fetched ActivityStreams document.

Real HTTP to servers on loopback; a URL with a non-loopback address is only ever given to the
client after `check_url` (pure, no I/O) has been shown to refuse it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import ipaddress
import socket
import time

import pytest
from aiohttp.abc import AbstractResolver
from aiohttp import web

from pubhub.config import Settings
from pubhub.errors import DisallowedAddress, FetchError
from pubhub.activitypub.client import HttpClient
from pubhub.activitypub.fetch import fetch_document
from pubhub.activitypub.guard import AddressPolicy, GuardedResolver, carries_ipv4
from tests.support.instance import Instance
from tests.support.target import Target

LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"),)
AS = "https://www.w3.org/ns/activitystreams"


@pytest.fixture
async def target():
    server = await Target("127.0.0.1").start()
    yield server
    await server.stop()


@pytest.fixture
async def target6():
    server = await Target("::1").start()
    yield server
    await server.stop()


@pytest.fixture
async def client_for():
    made = []

    def make(*networks: str, timeout: float = 10.0) -> HttpClient:
        made.append(HttpClient(Settings(allow_private_networks=tuple(ipaddress.ip_network(n) for n in networks),
                                        fetch_timeout_seconds=timeout)))
        return made[-1]

    yield make
    for client in made:
        await client.close()


def refused_before_connecting(client: HttpClient, url: str) -> None:
    with pytest.raises(DisallowedAddress):
        client.check_url(url)


# ---- the address policy: Fedify's validatePublicUrl / isValidPublic*Address cases ----------

REFUSED = [
    "127.0.0.1", "127.16.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.0.1", "169.254.169.254",
    "100.64.0.1", "100.127.255.255", "0.0.0.0", "192.0.0.1", "192.0.2.1", "192.88.99.0", "192.88.99.1",
    "192.88.99.255", "198.18.0.1", "198.19.255.255", "198.51.100.1", "203.0.113.1", "224.0.0.1",
    "239.255.255.255", "240.0.0.1", "255.255.255.255",
    "::1", "::", "fc00::1", "fd00::1", "fe80::1", "fe80::1%eth0", "fec0::1", "ff00::1", "ff02::1",
    "::ffff:7f00:1", "::ffff:a00:1", "::127.0.0.1", "::a00:1",  # IPv4-mapped and IPv4-compatible
    "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::", "64:ff9b:1::a00:1", "64:ff9b:1::808:808",  # NAT64
    "2001::", "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2002:a00:1::", "2002:7f00:1::", "2002:c0a8:1::", "2002:a9fe:1::",  # 6to4
    # Fedify accepts these two; the design refuses every NAT64 form, and documentation space is no peer.
    "64:ff9b::808:808", "2001:db8::1",
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address):
    with pytest.raises(DisallowedAddress):
        AddressPolicy().check_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "172.32.0.1", "2001:4860:4860::8888", "2a00:1450:4001::1"])
def test_public_addresses_are_allowed(address):
    AddressPolicy().check_address(address)


def test_the_allow_list_opens_only_its_own_networks():
    policy = AddressPolicy(ipaddress.ip_network(n) for n in ("127.0.0.1/32", "::1/128"))
    policy.check_address("127.0.0.1")
    policy.check_address("::1")
    for address in ("127.0.0.2", "::ffff:127.0.0.1", "64:ff9b::7f00:1", "10.0.0.1"):
        with pytest.raises(DisallowedAddress):
            policy.check_address(address)


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1", "0", "127.0.0.1.", "017700000001"])
def test_numeric_ip_spellings_are_refused_even_when_allow_listed(host):
    with pytest.raises(DisallowedAddress):
        AddressPolicy(LOOPBACK).check_host(host)


# ---- nothing reaches a loopback target without an allow-list --------------------------------

LOOPBACK_SPELLINGS = [
    "http://127.0.0.1:{port}/x", "http://2130706433:{port}/x", "http://0x7f000001:{port}/x",
    "http://0177.0.0.1:{port}/x", "http://127.1:{port}/x", "http://127.0.0.1.:{port}/x", "http://0:{port}/x",
    "http://0.0.0.0:{port}/x", "http://[::ffff:127.0.0.1]:{port}/x", "http://[::1]:{port6}/x",
    "http://①②⑦.0.0.1:{port}/x", "http://localhost:{port}/x", "http://LOCALHOST:{port}/x",
]


@pytest.mark.parametrize("template", LOOPBACK_SPELLINGS)
async def test_loopback_in_any_spelling_is_refused_and_never_reached(template, target, target6, client_for):
    client = client_for()
    with pytest.raises(DisallowedAddress):
        await client.request("GET", template.format(port=target.port, port6=target6.port))
    assert target.hits == [] and target6.hits == []


NEVER_CONNECT = [
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://100.64.0.1/", "http://224.0.0.1/",
    "http://192.168.1.1/", "http://172.16.0.1/", "http://192.88.99.1/", "http://[64:ff9b::7f00:1]/",
    "http://[64:ff9b::a00:1]/", "http://[fd00::1]/", "http://[fe80::1%25eth0]/", "https://[2002:a00:1::]/",
    "http://[::a00:1]/", "http://[2001:db8::1]/",
]


@pytest.mark.parametrize("url", NEVER_CONNECT)
async def test_private_literals_are_refused_before_any_connection(url, client_for):
    client = client_for()
    refused_before_connecting(client, url)  # pure check first: this test must never send a packet
    with pytest.raises(DisallowedAddress):
        await client.request("GET", url, timeout=0.2)
    assert client._session is None  # no connection pool was ever made


async def test_a_name_resolving_to_loopback_surfaces_disallowed_address_not_a_connector_error(target, client_for):
    # The refusal is raised inside aiohttp's connector (our resolver); aiohttp wraps only OSError.
    client = client_for()
    results = await asyncio.gather(*(client.request("GET", f"http://localhost:{target.port}/{i}") for i in range(5)),
                                   return_exceptions=True)
    assert all(type(r) is DisallowedAddress for r in results), results
    assert target.hits == []
    resolver = GuardedResolver(AddressPolicy())
    with pytest.raises(DisallowedAddress):
        await resolver.resolve("localhost", 80)
    await resolver.close()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1:70/_x", "data:text/plain,hi", "javascript:alert(1)",
    "ws://127.0.0.1/", "//127.0.0.1/", "/relative", "http://user:pass@127.0.0.1/", "http://user@127.0.0.1/",
    "http://[::1/", "http://127.0.0.1:99999/", "http://xn--zz/", "http:///no-host", "http://127.0.0.1\\@evil.example/",
])
async def test_other_schemes_credentials_and_malformed_urls_are_refused(url, client_for):
    client = client_for("127.0.0.0/8")
    refused_before_connecting(client, url)
    with pytest.raises(DisallowedAddress):
        await client.request("GET", url, timeout=0.2)
    assert client._session is None


# ---- with an allow-list ----------------------------------------------------------------------

async def test_allow_listed_loopback_is_reached(target, client_for):
    client = client_for("127.0.0.0/8")
    response = await client.request("GET", target.url("/a"))
    assert (response.status, response.body, response.url) == (200, b"ok", target.url("/a"))
    response = await client.request("GET", f"http://localhost:{target.port}/b")
    assert response.status == 200
    assert target.hits == ["/a", "/b"]
    with pytest.raises(DisallowedAddress):  # the allow-list never opens odd spellings
        await client.request("GET", f"http://0x7f000001:{target.port}/c")
    assert target.hits == ["/a", "/b"]


async def test_a_narrower_allow_list_keeps_the_rest_of_loopback_closed(client_for):
    other = await Target("127.0.0.2").start()
    try:
        with pytest.raises(DisallowedAddress):
            await client_for("127.0.0.1/32").request("GET", other.url("/x"))
        assert other.hits == []
        assert (await client_for("127.0.0.2/32").request("GET", other.url("/y"))).status == 200
        assert other.hits == ["/y"]
    finally:
        await other.stop()


@pytest.mark.parametrize("location", [
    "http://[::1]:{port6}/inside", "//[::1]:{port6}/inside", "http://0x7f000001:{port}/inside",
    "http://2130706433:{port}/inside", "http://[::ffff:127.0.0.1]:{port}/inside", "http://10.0.0.1/inside",
    "http://169.254.169.254/inside", "file:///etc/passwd", "gopher://127.0.0.1:{port}/inside",
    "http://u:p@127.0.0.1:{port}/inside", "http://[::1/inside",
])
async def test_a_redirect_to_a_disallowed_address_is_refused_at_the_hop(location, target, target6, client_for):
    client = client_for("127.0.0.0/8")
    url = target.redirect("/go", location.format(port=target.port, port6=target6.port))
    with pytest.raises(DisallowedAddress):
        await client.request("GET", url, timeout=5)  # only a broken guard waits: it would connect to the address
    assert target.hits == ["/go"] and target6.hits == []


async def test_redirect_to_a_narrower_allow_lists_outside_is_refused(target, client_for):
    other = await Target("127.0.0.2").start()
    try:
        url = target.redirect("/go", other.url("/inside"))
        with pytest.raises(DisallowedAddress):
            await client_for("127.0.0.1/32").request("GET", url)
        assert other.hits == []
    finally:
        await other.stop()


async def test_at_most_three_redirects(target, client_for):
    client = client_for("127.0.0.0/8")
    for hop in range(4):
        target.redirect(f"/r{hop}", f"/r{hop + 1}")
    response = await client.request("GET", target.url("/r1"))  # r1 → r2 → r3 → r4: three redirects
    assert (response.status, response.url) == (200, target.url("/r4"))
    target.hits.clear()
    with pytest.raises(FetchError, match="more than 3 redirects"):
        await client.request("GET", target.url("/r0"))
    assert target.hits == ["/r0", "/r1", "/r2", "/r3"]  # the fifth request is never made
    response = await client.request("GET", target.url("/r0"), follow_redirects=False)
    assert response.status == 302


# ---- deadline and size cap -------------------------------------------------------------------

async def _trickle(request):
    response = web.StreamResponse(headers={"Content-Type": "application/activity+json"})
    await response.prepare(request)
    try:
        for _ in range(100):
            await response.write(b" ")
            await asyncio.sleep(0.1)
    except ConnectionError:
        pass
    return response


async def test_a_server_trickling_bytes_hits_the_total_deadline(target, client_for):
    target.routes["/slow"] = _trickle
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        await client_for("127.0.0.0/8", timeout=1).request("GET", target.url("/slow"))
    assert 0.9 < time.monotonic() - started < 3 and caught.value.status == 504


async def test_a_server_that_never_answers_hits_the_deadline(target, client_for):
    async def hang(request):
        await asyncio.wait_for(target.release.wait(), 30)
        return web.Response()
    target.routes["/hang"] = hang
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        await client_for("127.0.0.0/8").request("GET", target.url("/hang"), timeout=1)
    assert 0.9 < time.monotonic() - started < 3


async def test_responses_over_the_size_cap_are_refused(target, client_for):
    async def chunked(request):
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(20):
            await response.write(b"x" * 100)
        await response.write_eof()
        return response
    target.routes["/chunked"] = chunked
    target.serve("/sized", b"x" * 2000, content_type="text/plain")
    target.routes["/bomb"] = lambda request: web.Response(body=gzip.compress(b"\0" * (4 * 1024 * 1024)),
                                                          headers={"Content-Encoding": "gzip"})
    client = client_for("127.0.0.0/8")
    for path, cap in (("/sized", 1999), ("/chunked", 1999), ("/bomb", 1024 * 1024)):
        with pytest.raises(FetchError, match="larger than") as caught:
            await client.request("GET", target.url(path), max_bytes=cap)
        assert type(caught.value) is FetchError and caught.value.status == 502
    assert len((await client.request("GET", target.url("/chunked"), max_bytes=2000)).body) == 2000
    assert len((await client.request("GET", target.url("/sized"), max_bytes=2000)).body) == 2000


# ---- fetch_document: media type, id == final URL, JSON limits ---------------------------------

def _doc(url: str) -> dict:
    return {"@context": AS, "id": url, "type": "Note", "content": "hi"}


@pytest.mark.parametrize("content_type, counts", [
    ("application/activity+json", True),
    ("application/activity+json; charset=utf-8", True),
    (f'application/ld+json; profile="{AS}"', True),
    (f'application/ld+json;profile="https://example.com/other {AS}"', True),
    ("application/ld+json", False),
    ('application/ld+json; profile="https://example.com/other"', False),
    ("application/json", False),
    ("text/html; charset=utf-8", False),
    ("application/jrd+json", False),
    ("", False),
])
async def test_only_activitystreams_media_types_count(content_type, counts, target, client_for):
    url = target.serve("/doc", _doc(target.url("/doc")), content_type=content_type)
    client = client_for("127.0.0.0/8")
    if counts:
        assert (await fetch_document(client, url))["id"] == url
    else:
        with pytest.raises(FetchError, match="served as"):
            await fetch_document(client, url)


async def test_the_id_must_equal_the_final_url(target, client_for):
    client = client_for("127.0.0.0/8")
    with pytest.raises(FetchError, match="is not the URL"):
        await fetch_document(client, target.serve("/a", _doc("https://elsewhere.example/a")))
    with pytest.raises(FetchError, match="is not the URL"):
        await fetch_document(client, target.serve("/b", {"type": "Note"}))
    # After a redirect the id must name where the document was finally found ...
    target.redirect("/moved", "/final")
    target.serve("/final", _doc(target.url("/moved")))
    with pytest.raises(FetchError, match="is not the URL"):
        await fetch_document(client, target.url("/moved"))
    # ... and a document naming its final URL is accepted.
    target.serve("/final", _doc(target.url("/final")))
    assert (await fetch_document(client, target.url("/moved")))["id"] == target.url("/final")
    assert (await fetch_document(client, target.url("/final") + "#main-key"))["id"] == target.url("/final")


@pytest.mark.parametrize("body", [
    b"{not json", b"", b"[1, 2]", b'"a string"', b"\xff\xfe{}",
    ('{"a":' * 40 + "1" + "}" * 40).encode(),  # deeper than our limit
    ("[" * 5000 + "]" * 5000).encode(),  # deeper than the parser's own limit
    b'{"a": "' + b"x" * (1024 * 1024) + b'"}',  # over 1 MB
])
async def test_malformed_nested_or_oversized_json_is_a_fetch_error(body, target, client_for):
    url = target.serve("/bad", body)
    with pytest.raises(FetchError):
        await fetch_document(client_for("127.0.0.0/8"), url)


async def test_error_statuses_and_disallowed_urls(target, client_for):
    client = client_for("127.0.0.0/8")
    for status in (404, 410, 500):
        with pytest.raises(FetchError) as caught:
            await fetch_document(client, target.serve(f"/s{status}", _doc("x"), status=status))
        assert caught.value.status == {404: 404, 410: 410, 500: 502}[status]
    with pytest.raises(DisallowedAddress):
        await fetch_document(client, f"http://[::1]:{target.port}/doc")


# ---- end to end: a running instance refuses a signer it may not reach ------------------------

async def test_an_instance_refuses_keys_it_may_not_fetch(database_url, peer, target6):
    server = Instance(database_url)
    server.settings = dataclasses.replace(server.settings, allow_private_networks=(ipaddress.ip_network("127.0.0.1/32"),))
    await server.start()
    try:
        await server.create_account("gemeente")
        inbox = f"{server.base}/users/gemeente/inbox"
        # The same peer also listens on 127.0.0.2, which this instance's allow-list leaves out.
        await web.TCPSite(peer._runner, "127.0.0.2", peer.port).start()
        alice = peer.add_actor("alice")
        outside = peer.add_actor("mallory")
        moved = {f: getattr(outside, f).replace("127.0.0.1", "127.0.0.2") for f in
                 ("uri", "key_id", "inbox", "shared_inbox", "followers")}
        outside = peer.actors["mallory"] = dataclasses.replace(outside, **moved)
        follow = lambda actor: peer.activity("Follow", actor, f"{server.base}/users/gemeente")  # noqa: E731

        status, body = await peer.post(inbox, follow(outside), outside)
        assert status == 401 and "127.0.0.2 is not allowed" in body["error"], body
        assert peer.fetches == []

        for host in (f"0x7f000001:{peer.port}", f"[::1]:{target6.port}", f"2130706433:{peer.port}"):
            forged = dataclasses.replace(alice, uri=f"http://{host}/users/alice", key_id=f"http://{host}/users/alice#main-key")
            status, body = await peer.post(inbox, follow(forged), forged)
            assert status == 401 and "signer's key" in body["error"], body
        assert peer.fetches == [] and target6.hits == []

        status, body = await peer.post(inbox, follow(alice), alice)  # control: an allowed peer gets in
        assert status == 202, body
        assert peer.fetches == ["/users/alice"]
    finally:
        await server.stop()


async def test_the_resolver_keeps_the_family_it_was_asked_for_and_its_port():
    resolver = GuardedResolver(AddressPolicy(ipaddress.ip_network(n) for n in ("127.0.0.1/32", "::1/128")))
    try:
        six = await resolver.resolve("::1", 8443, socket.AF_INET6)
        four = await resolver.resolve("127.0.0.1", 8443, socket.AF_INET)
    finally:
        await resolver.close()
    assert six and {r["family"] for r in six} == {socket.AF_INET6} and {r["host"] for r in six} == {"::1"}
    assert four and {r["family"] for r in four} == {socket.AF_INET} and {r["host"] for r in four} == {"127.0.0.1"}
    assert {r["port"] for r in six + four} == {8443}


@pytest.mark.parametrize("address, carries", [
    ("::ffff:8.8.8.8", True), ("64:ff9b::808:808", True), ("64:ff9b:1::808:808", True), ("2002:808:808::1", True),
    ("2001:4860:4860::8888", False), ("2606:4700::1111", False),
])
def test_ipv6_forms_that_carry_an_ipv4_address_are_recognised(address, carries):
    assert carries_ipv4(ipaddress.ip_address(address)) is carries


class _NoAnswer(AbstractResolver):
    """A DNS answer without addresses (which a live resolver rarely gives)."""

    async def resolve(self, host, port=0, family=socket.AF_INET):
        return []

    async def close(self):
        pass


async def test_a_name_that_resolves_to_nothing_is_refused():
    resolver = GuardedResolver(AddressPolicy(), inner=_NoAnswer())
    with pytest.raises(DisallowedAddress, match="host 'empty.example' resolved to nothing"):
        await resolver.resolve("empty.example", 443, socket.AF_INET)


@pytest.mark.parametrize("host, message", [
    ("", "URL has no host"),
    (None, "URL has no host"),
    ("127.0.0.1", "address 127.0.0.1 is not allowed for outbound requests"),
    ("[::1]", "address ::1 is not allowed for outbound requests"),
    ("2130706433", "host '2130706433' is a numeric IP spelling"),
    ("0x7f.1", "host '0x7f.1' is a numeric IP spelling"),
])
def test_each_refused_host_says_why(host, message):
    with pytest.raises(DisallowedAddress) as refused:
        AddressPolicy().check_host(host)
    assert refused.value.message == message


def test_hosts_that_are_names_or_public_literals_pass_the_host_check():
    for host in ("example.org", "8.8.8.8", "[2606:4700::1111]", "123.example", "0x7f.example"):
        AddressPolicy().check_host(host)


def test_a_resolved_address_with_a_zone_is_checked_without_it():
    with pytest.raises(DisallowedAddress) as refused:
        AddressPolicy().check_address("fe80::1%eth0")
    assert refused.value.message == "address fe80::1 is not allowed for outbound requests"
    AddressPolicy([ipaddress.ip_network("fe80::/64")]).check_address("fe80::1%eth0")
