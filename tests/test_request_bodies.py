"""Request bodies from clients that misbehave: a form that is not in its charset is bad input
(400, JSON), a client that hangs up midway is no server error (nothing logged as one), and a
body that stalls or trickles is answered 408 after PUBHUB_BODY_TIMEOUT seconds. Sent over raw
sockets where aiohttp's client would not misbehave this way."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from tests.support.instance import Instance

MULTIPART = "multipart/form-data; boundary=XX"


def multipart_field(name: str, value: bytes) -> bytes:
    return (b'--XX\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value
            + b"\r\n--XX--\r\n")


@pytest.fixture
async def token(instance):
    return await instance.token_for(await instance.create_account("gemeente"))


def errors_logged(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


def disconnects_logged(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("client disconnected")]


async def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the server never got to the end of the request"
        await asyncio.sleep(0.02)


async def open_request(instance, path: str, headers: dict[str, str], content_length: int):
    """A raw connection that has sent a POST's headers, promising `content_length` bytes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", instance.port)
    lines = [f"POST {path} HTTP/1.1", f"Host: {instance.domain}", f"Content-Length: {content_length}",
             *(f"{k}: {v}" for k, v in headers.items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    return reader, writer


def inbox_request(instance) -> tuple[str, dict]:
    return "/inbox", {"Content-Type": "application/activity+json"}


def form_request(token: str) -> tuple[str, dict]:
    return "/api/v1/statuses", {"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Bearer {token}"}


# ---- a form that is not in its charset --------------------------------------------------------

@pytest.mark.parametrize("content_type, body", [
    ("application/x-www-form-urlencoded", b"status=\xff\xfe\xfd"),
    ("application/x-www-form-urlencoded; charset=no-such-charset", b"status=Hallo"),
    (MULTIPART, multipart_field("status", b"\xff\xfe\xfd")),
    (MULTIPART, b"not multipart at all"),
    ("multipart/form-data", multipart_field("status", b"Hallo")),  # no boundary
], ids=["urlencoded", "unknown charset", "multipart", "broken multipart", "no boundary"])
async def test_a_form_body_that_cannot_be_decoded_is_a_400_not_a_crash(instance, token, caplog, content_type, body):
    status, answer = await instance.request("POST", "/api/v1/statuses", token=token, data=body,
                                            headers={"Content-Type": content_type})
    assert status == 400, answer
    assert isinstance(answer, dict) and "malformed form body" in answer["error"]
    assert errors_logged(caplog) == []
    _, me = await instance.request("GET", "/api/v1/accounts/verify_credentials", token=token)
    assert me["statuses_count"] == 0


async def test_a_form_body_in_its_declared_charset_is_read(instance, token):
    status, answer = await instance.request("POST", "/api/v1/statuses", token=token, data="status=Caf\xe9".encode("latin-1"),
                                            headers={"Content-Type": "application/x-www-form-urlencoded; charset=latin-1"})
    assert status == 200, answer
    assert answer["text"] == "Café"


# ---- a client that hangs up ---------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["inbox", "form"])
async def test_an_upload_the_client_aborts_is_not_logged_as_an_error(instance, token, caplog, kind):
    caplog.set_level(logging.DEBUG, logger="pubhub.http")
    path, headers = inbox_request(instance) if kind == "inbox" else form_request(token)
    for _ in range(3):
        reader, writer = await open_request(instance, path, {**headers, "Expect": "100-continue"}, content_length=5000)
        assert await reader.readuntil(b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"  # its handler runs
        writer.write(b"{" * 100 if kind == "inbox" else b"status=" + b"x" * 100)
        await writer.drain()
        writer.close()
        await writer.wait_closed()
    await wait_until(lambda: len(disconnects_logged(caplog)) + len(errors_logged(caplog)) >= 3)
    assert errors_logged(caplog) == []
    disconnects = disconnects_logged(caplog)
    assert {r.levelno for r in disconnects} == {logging.DEBUG}
    assert f"path={path}" in disconnects[0].getMessage()


# ---- a body that stalls or trickles -------------------------------------------------------------

@pytest.fixture
async def impatient(database_url):
    server = await Instance(database_url, body_timeout_seconds=0.5).start()
    yield server
    await server.stop()


async def answer_of(reader, within: float) -> tuple[bytes, bytes, bytes]:
    """(status line, headers, body) of the answer, read as soon as it is there."""
    async def read() -> tuple[bytes, bytes, bytes]:
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, _, headers = head.partition(b"\r\n")
        length = int(next(line.split(b":")[1] for line in headers.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")))
        return status_line, headers.lower(), await reader.readexactly(length)
    return await asyncio.wait_for(read(), within)


@pytest.mark.parametrize("kind", ["inbox", "form"])
async def test_a_body_that_stops_coming_is_answered_408(impatient, kind):
    token = await impatient.token_for(await impatient.create_account("gemeente"))
    path, headers = inbox_request(impatient) if kind == "inbox" else form_request(token)
    reader, writer = await open_request(impatient, path, headers, content_length=5000)
    writer.write(b"{" * 100 if kind == "inbox" else b"status=Hallo")
    await writer.drain()
    started = time.monotonic()
    status_line, headers, body = await answer_of(reader, within=10)
    assert status_line.startswith(b"HTTP/1.1 408"), status_line
    assert body == b'{"error":"request body not received within 0.5 seconds"}'
    assert b"connection: close" in headers  # the rest of the body is not waited for
    assert 0.4 < time.monotonic() - started < 5
    writer.close()


async def test_a_body_that_trickles_is_answered_408_too(impatient):
    reader, writer = await open_request(impatient, *inbox_request(impatient), content_length=5000)
    started = time.monotonic()

    async def trickle():
        try:
            while not reader.at_eof():
                writer.write(b" ")
                await writer.drain()
                await asyncio.sleep(0.05)
        except ConnectionError:
            pass  # the server hung up on us: that is the point

    trickling = asyncio.ensure_future(trickle())
    try:
        status_line, _, _ = await answer_of(reader, within=10)
    finally:
        trickling.cancel()
    assert status_line.startswith(b"HTTP/1.1 408"), status_line
    assert time.monotonic() - started < 5  # a byte every 50 ms does not keep the request alive
    writer.close()
