"""A lean HTTP/1.1 load generator on raw asyncio streams (aiohttp's client tops out near
1,500 requests/s here, below the servers it measures). Closed loop: N keep-alive connections,
each sending its next request as soon as the previous one is answered. Requests are prepared
(and signed) before the clock starts; each is sent once."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    sent: int = 0
    ok: int = 0
    statuses: dict = field(default_factory=dict)
    latencies: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def encode_request(url: str, body: bytes, headers: dict, method: str = "POST") -> bytes:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1"]
    given = {name.lower() for name in headers}
    if "host" not in given:
        lines.append(f"Host: {parts.netloc}")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def run_load(url: str, requests: list[tuple[bytes, dict]], *, concurrency: int, ok_status=(202,),
                   pace: float | None = None) -> LoadResult:
    """POST every (body, headers) to `url`. With `pace` (requests/s): an open loop at that rate."""
    parts = urlsplit(url)
    encoded = [encode_request(url, body, headers) for body, headers in requests]
    result = LoadResult()
    position = 0
    interval = 1.0 / pace if pace else 0.0
    start = time.perf_counter()

    async def connection() -> None:
        nonlocal position
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while position < len(encoded):
                index = position
                position += 1
                if interval:
                    delay = start + index * interval - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                began = time.perf_counter()
                writer.write(encoded[index])
                try:
                    status = await _read_response(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    status = "connection lost"
                    result.statuses[status] = result.statuses.get(status, 0) + 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
                    continue
                result.latencies.append(time.perf_counter() - began)
                result.sent += 1
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status in ok_status:
                    result.ok += 1
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - start
    return result
