"""The one guarded HTTP client for every outbound request (fetches and deliveries).

http(s) only; every host checked by the address policy and every resolved address vetted by
the resolver the connector uses; redirects followed by hand (at most 3, each re-checked);
a total deadline and a cap on the bytes read.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Mapping

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from .. import __version__
from ..clock import SYSTEM_CLOCK, Clock
from ..config import Settings
from ..errors import DisallowedAddress, FetchError, RefusedByPolicy
from ..metrics import OUTBOUND
from ..policy import Policy
from .guard import AddressPolicy, GuardedResolver
from .signatures import sign_request

MAX_REDIRECTS = 3
MAX_CONNECTIONS = 1200
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Signer:
    key_id: str
    private_key_pem: str


@dataclass
class Response:
    status: int
    url: str
    headers: CIMultiDictProxy
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


class HttpClient:
    def __init__(self, settings: Settings, seam: Policy | None = None, clock: Clock = SYSTEM_CLOCK):
        self.settings = settings
        self.clock = clock
        self.policy = AddressPolicy(settings.allow_private_networks)
        self.seam = seam or Policy()  # the policy seam: asked before every fetch (each hop)
        self.user_agent = f"PubHub/{__version__} (+{settings.base_url}/)"
        self._session: aiohttp.ClientSession | None = None
        # RSA signing is the CPU cost of delivery and OpenSSL releases the GIL while it signs:
        # signing in threads keeps it off the event loop and lets it use another core.
        self._signing = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pubhub-sign")

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                resolver=GuardedResolver(self.policy),
                # room for every delivery the workers may keep in flight, plus fetches
                limit=MAX_CONNECTIONS,
                limit_per_host=16,
                ttl_dns_cache=60,
                enable_cleanup_closed=True,
            )
            self._session = aiohttp.ClientSession(
                connector=connector, auto_decompress=True, headers={"User-Agent": self.user_agent}
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._signing.shutdown(wait=False)

    async def sign(self, method: str, url: str, signer: Signer, body: bytes | None) -> dict[str, str]:
        job = partial(sign_request, method, url, key_id=signer.key_id, private_key_pem=signer.private_key_pem, body=body,
                      now=self.clock.now())
        return await asyncio.get_running_loop().run_in_executor(self._signing, job)

    def check_url(self, url: str | URL) -> URL:
        try:
            parsed = URL(url)
            host = parsed.host
        except (ValueError, TypeError) as exc:  # UnicodeError (bad IDNA) is a ValueError too
            raise DisallowedAddress(f"{str(url)[:200]!r} is not a valid URL: {exc}") from exc
        if parsed.scheme not in ("http", "https"):
            raise DisallowedAddress(f"scheme {parsed.scheme!r} is not allowed")
        if parsed.user or parsed.password:
            raise DisallowedAddress("URLs with credentials are not allowed")
        self.policy.check_host(host)
        return parsed

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        signer: Signer | None = None,
        max_bytes: int = 1024 * 1024,
        timeout: float | None = None,
        follow_redirects: bool = True,
        truncate: bool = False,
    ) -> Response:
        """With `truncate`, a body past `max_bytes` is cut off instead of refused: for
        deliveries, where only the status counts."""
        timeout = timeout or self.settings.fetch_timeout_seconds
        try:
            async with asyncio.timeout(timeout):
                response = await self._request(method, url, headers or {}, body, signer, max_bytes,
                                               follow_redirects, truncate)
        except TimeoutError as exc:
            OUTBOUND.labels(method, "timeout").inc()
            raise FetchError(f"{method} {url} timed out after {timeout:g}s", status=504) from exc
        except Exception as exc:
            OUTBOUND.labels(method, exc.__class__.__name__).inc()
            raise
        OUTBOUND.labels(method, f"{response.status // 100}xx").inc()
        return response

    async def _request(self, method, url, headers, body, signer, max_bytes, follow_redirects, truncate) -> Response:
        for _hop in range(MAX_REDIRECTS + 1):
            target = self.check_url(url)
            if method == "GET":
                decision = await self.seam.fetch(str(target))
                if not decision.allowed:
                    raise RefusedByPolicy(f"fetch of {str(target)[:200]} refused: {decision.reason}")
            send = dict(headers)
            if signer is not None:
                send.update(await self.sign(method, str(target), signer, body))
            try:
                async with self.session.request(
                    method, target, headers=send, data=body, allow_redirects=False
                ) as response:
                    if follow_redirects and response.status in REDIRECT_STATUSES and "Location" in response.headers:
                        url = self._redirect_target(target, response.headers["Location"])
                        continue
                    content = await self._read_capped(response, max_bytes, truncate)
                    return Response(response.status, str(target), response.headers, content)
            except (DisallowedAddress, RefusedByPolicy):
                raise
            except (aiohttp.ClientError, OSError) as exc:
                raise FetchError(f"{method} {url} failed: {exc.__class__.__name__}: {exc}") from exc
        raise FetchError(f"{method} {url}: more than {MAX_REDIRECTS} redirects")

    def _redirect_target(self, current: URL, location: str) -> URL:
        """The next hop, vetted here (scheme, credentials, host) before any connection."""
        try:
            joined = current.join(URL(location))
        except (ValueError, TypeError) as exc:
            raise DisallowedAddress(f"redirect to {location[:200]!r}, not a valid URL") from exc
        return self.check_url(joined)

    @staticmethod
    async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int, truncate: bool = False) -> bytes:
        length = response.content_length
        if length is not None and length > max_bytes:
            if truncate:
                return b""  # not read: the connection is closed rather than reused
            raise FetchError(f"response is larger than {max_bytes} bytes", status=502)
        chunks = []
        size = 0
        async for chunk in response.content.iter_chunked(65536):
            size += len(chunk)
            if size > max_bytes:
                if truncate:
                    break
                raise FetchError(f"response is larger than {max_bytes} bytes", status=502)
            chunks.append(chunk)
        return b"".join(chunks)
