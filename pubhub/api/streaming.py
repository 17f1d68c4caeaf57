"""The streaming API, as Mastodon's streaming server speaks it: a WebSocket at
GET /api/v1/streaming (streams chosen by `?stream=user` or `{"type": "subscribe", "stream":
"user"}` messages; each event `{"stream": [...], "event": ..., "payload": "..."}`) and server-sent
events at /api/v1/streaming/user, /user/notification, /public and /public/local. Events:
`update` (a status or a boost, its JSON as a string), `status.update` (an edited one), `notification`
(the same), `delete` (a status or boost id).
GET /api/v1/streaming/health answers `OK`.

Events come from the runtime's pub/sub (store/streams.py), fed once their transaction commits;
each is read for each listener through the visibility rule (social/live.py)."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import WSMsgType, web

from ..accounts.principal import Principal
from ..errors import BadRequest
from ..http.keys import runtime
from ..http.principal import requires_stream
from ..jsonutil import dumps_str, loads_untrusted
from ..social import notifications
from ..social.live import STREAMS, boost_streams, status_streams
from ..store.streams import StreamEvent
from .notifications import notification_json
from .serializers import statuses_json

log = logging.getLogger(__name__)
HEARTBEAT = 15.0  # seconds between keep-alives (SSE comments, WebSocket pings), as Mastodon's
# The scope each stream needs (Mastodon's: `read` covers both).
STREAM_SCOPES = {"user": "read:statuses", "public": "read:statuses", "public:local": "read:statuses",
                 "user:notification": "read:notifications"}
Message = tuple[str, str, str]  # (stream, event, payload)


class Listener:
    """One connection: its streams, and what each live event shows it."""

    def __init__(self, request: web.Request, principal: Principal):
        self.rt = runtime(request)
        self.principal = principal
        self.streams: set[str] = set()

    def subscribe(self, stream: str) -> str | None:
        """Add a stream; the reason it cannot be, if so."""
        if stream not in STREAMS:
            return "Unknown stream type"
        if not self.principal.allows(STREAM_SCOPES[stream]):
            return "Access token does not have the required scopes"
        self.streams.add(stream)
        return None

    async def messages(self, event: StreamEvent) -> list[Message]:
        account = self.principal.account
        if event.event == "notification":
            wanted = sorted(self.streams & {"user", "user:notification"})
            if not wanted or event.account_id != account.id or not self.principal.allows("read:notifications"):
                return []
            view = await notifications.for_stream(self.rt.db, account, event.id)
            payload = dumps_str(notification_json(view, self.rt.domain)) if view else None
            return [(stream, "notification", payload) for stream in wanted] if payload else []
        if event.event in ("update", "status.update", "boost"):  # a new status; an edited one; a boost
            read = boost_streams if event.event == "boost" else status_streams
            view, streams = await read(self.rt.db, account, event.id)
            kind = "update" if event.event == "boost" else event.event
            wanted = sorted(self.streams & streams)
            payload = dumps_str(statuses_json([view], self.rt.domain)[0]) if view and wanted else None
            return [(stream, kind, payload) for stream in wanted] if payload else []
        if event.event == "delete":
            return [(stream, "delete", str(event.id)) for stream in sorted(self.streams - {"user:notification"})]
        return []


async def _next(queue: asyncio.Queue, *others: asyncio.Future) -> StreamEvent | None | bool:
    """The next event; None when the stream is closing; False after HEARTBEAT seconds or when
    one of `others` finished first."""
    getter = asyncio.ensure_future(queue.get())
    done, _ = await asyncio.wait({getter, *others}, timeout=HEARTBEAT, return_when=asyncio.FIRST_COMPLETED)
    if getter in done:
        return getter.result()
    getter.cancel()
    return False


@requires_stream("read:statuses", "read:notifications")
async def websocket(request: web.Request, principal: Principal, protocol: str | None) -> web.StreamResponse:
    ws = web.WebSocketResponse(protocols=(protocol,) if protocol else (), heartbeat=HEARTBEAT)
    if not ws.can_prepare(request).ok:
        raise BadRequest("a WebSocket upgrade is expected here (or use /api/v1/streaming/user)", status=400)
    await ws.prepare(request)
    listener = Listener(request, principal)
    streams = listener.rt.streams
    queue = streams.subscribe()
    commands = asyncio.create_task(_read_commands(ws, listener))
    try:
        if request.query.get("stream"):
            await _subscribe(ws, listener, request.query["stream"])
        while not ws.closed and not commands.done():
            event = await _next(queue, commands)
            if event is None:
                break
            for stream, kind, payload in await listener.messages(event) if event else []:
                await ws.send_str(dumps_str({"stream": [stream], "event": kind, "payload": payload}))
    except ConnectionResetError:
        pass
    finally:
        streams.unsubscribe(queue)
        commands.cancel()
        await ws.close()
    return ws


async def _subscribe(ws: web.WebSocketResponse, listener: Listener, stream: str) -> None:
    refused = listener.subscribe(stream)
    if refused:
        await ws.send_str(dumps_str({"error": refused, "status": 401 if "scopes" in refused else 400}))


async def _read_commands(ws: web.WebSocketResponse, listener: Listener) -> None:
    """`{"type": "subscribe" | "unsubscribe", "stream": ...}` messages, until the socket closes."""
    async for message in ws:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            command = loads_untrusted(message.data.encode(), max_bytes=4096)
        except BadRequest:
            command = None
        if not isinstance(command, dict) or not isinstance(command.get("stream"), str):
            await ws.send_str(dumps_str({"error": "Bad request", "status": 400}))
        elif command.get("type") == "subscribe":
            await _subscribe(ws, listener, command["stream"])
        elif command.get("type") == "unsubscribe":
            listener.streams.discard(command["stream"])


async def _server_sent(request: web.Request, principal: Principal, stream: str) -> web.StreamResponse:
    listener = Listener(request, principal)
    listener.subscribe(stream)  # the scope was checked by the endpoint
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store",
                                           "X-Accel-Buffering": "no"})
    await response.prepare(request)
    queue = listener.rt.streams.subscribe()
    try:
        await response.write(b":)\n")
        while True:
            event = await _next(queue)
            if event is None:
                break
            if event is False:
                await response.write(b":thump\n")
                continue
            for _, kind, payload in await listener.messages(event):
                await response.write(f"event: {kind}\ndata: {payload}\n\n".encode())
    except ConnectionResetError:
        pass
    finally:
        listener.rt.streams.unsubscribe(queue)
    return response


@requires_stream("read:statuses")
async def user(request: web.Request, principal: Principal, _protocol) -> web.StreamResponse:
    return await _server_sent(request, principal, "user")


@requires_stream("read:notifications")
async def user_notification(request: web.Request, principal: Principal, _protocol) -> web.StreamResponse:
    return await _server_sent(request, principal, "user:notification")


@requires_stream("read:statuses")
async def public(request: web.Request, principal: Principal, _protocol) -> web.StreamResponse:
    local = request.query.get("local") in ("1", "true")
    return await _server_sent(request, principal, "public:local" if local else "public")


@requires_stream("read:statuses")
async def public_local(request: web.Request, principal: Principal, _protocol) -> web.StreamResponse:
    return await _server_sent(request, principal, "public:local")


async def health(request: web.Request) -> web.Response:
    return web.Response(text="OK")
