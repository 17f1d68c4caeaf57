"""A fake remote fediverse server on 127.0.0.1, shaped like Mastodon: actors with real RSA
keys, WebFinger, actor documents, inboxes that verify the signatures of what we deliver,
and a client that signs activities and POSTs them to us."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from . import httpsig
from .keys import key_pair

AS = "https://www.w3.org/ns/activitystreams"
PUBLIC = AS + "#Public"
_key_numbers = itertools.count(1)


@dataclass
class PeerActor:
    username: str
    uri: str
    key_id: str
    key: object
    public_pem: str
    inbox: str
    shared_inbox: str
    followers: str
    kind: str = "Person"
    extra: dict = field(default_factory=dict)

    def document(self) -> dict:
        doc = {
            "@context": [AS, "https://w3id.org/security/v1"],
            "id": self.uri, "type": self.kind, "preferredUsername": self.username, "name": self.username.title(),
            "summary": "<p>A test account</p>", "url": self.uri.replace("/users/", "/@"),
            "inbox": self.inbox, "outbox": self.uri + "/outbox", "followers": self.followers,
            "following": self.uri + "/following", "endpoints": {"sharedInbox": self.shared_inbox},
            "manuallyApprovesFollowers": False,
            "publicKey": {"id": self.key_id, "owner": self.uri, "publicKeyPem": self.public_pem},
        }
        doc.update(self.extra)
        return doc


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    verified: bool
    reason: str = ""

    @property
    def activity(self) -> dict:
        return json.loads(self.body)


class RemotePeer:
    def __init__(self, host: str = "127.0.0.1"):
        self.host = host  # another loopback address (127.0.0.2) makes another domain
        self.actors: dict[str, PeerActor] = {}
        self.received: list[Received] = []
        self.documents: dict[str, tuple[int, str, bytes]] = {}
        self.redirects: dict[str, str] = {}  # path → Location answered with 302
        self.inbox_status = 202
        self.inbox_body = b""
        self.inbox_hang = False  # inbox POSTs get no answer until the sender gives up or the peer stops
        self._hung = asyncio.Event()  # set on stop: lets go of hanging POSTs
        self.fetches: list[str] = []
        self.stalled: set[str] = set()  # paths whose GET gets no answer until the peer stops
        self.gets_in_flight = 0
        self.most_gets_in_flight = 0  # the most GETs we were answering at once
        self.fetch_headers: dict[str, dict] = {}  # path → headers of the last GET of it
        self.actor_delay = 0.0  # seconds before an actor document is answered (benches overlap fetches)
        self._keys: dict[str, str] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.session: aiohttp.ClientSession | None = None

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def domain(self) -> str:
        return f"{self.host}:{self.port}"

    async def start(self, port: int = 0) -> "RemotePeer":
        app = web.Application(middlewares=[self._documents_first])
        app.router.add_get("/.well-known/webfinger", self._webfinger)
        app.router.add_get("/users/{name}", self._actor)
        app.router.add_post("/users/{name}/inbox", self._inbox)
        app.router.add_post("/inbox", self._inbox)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        self.session = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        self._hung.set()  # else the runner's shutdown waits a minute for each hanging handler
        if self.session:
            await self.session.close()
        if self._runner:
            await self._runner.cleanup()

    # ---- actors and documents ---------------------------------------------------------------

    def add_actor(self, username: str, *, key_index: int | None = None, kind: str = "Person", **extra) -> PeerActor:
        key, public_pem = key_pair(key_index if key_index is not None else next(_key_numbers) % 6 + 1)
        uri = f"{self.base}/users/{username}"
        actor = PeerActor(username, uri, uri + "#main-key", key, public_pem, uri + "/inbox", self.base + "/inbox",
                          uri + "/followers", kind, extra)
        self.actors[username] = actor
        return actor

    def serve(self, path: str, document, *, status: int = 200, content_type: str = "application/activity+json") -> str:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.documents[path] = (status, content_type, body)
        return self.base + path

    @web.middleware
    async def _documents_first(self, request: web.Request, handler):
        if request.method == "GET":
            self.fetches.append(request.path_qs)
            self.fetch_headers[request.path_qs] = dict(request.headers)
            self.gets_in_flight += 1
            self.most_gets_in_flight = max(self.most_gets_in_flight, self.gets_in_flight)
            try:
                return await self._answer_get(request, handler)
            finally:
                self.gets_in_flight -= 1
        return await handler(request)

    async def _answer_get(self, request: web.Request, handler):
        if request.path_qs in self.stalled:
            await self._hung.wait()
        if request.path_qs in self.redirects:
            return web.Response(status=302, headers={"Location": self.redirects[request.path_qs]})
        if request.path_qs in self.documents:
            status, content_type, body = self.documents[request.path_qs]
            return web.Response(status=status, body=body, headers={"Content-Type": content_type})
        return await handler(request)

    async def _webfinger(self, request: web.Request) -> web.Response:
        match = re.match(r"^acct:([^@]+)@(.+)$", request.query.get("resource", ""))
        actor = self.actors.get(match.group(1)) if match and match.group(2) == self.domain else None
        if actor is None:
            return web.json_response({"error": "not found"}, status=404)
        return web.json_response({
            "subject": f"acct:{actor.username}@{self.domain}",
            "links": [{"rel": "self", "type": "application/activity+json", "href": actor.uri}],
        }, content_type="application/jrd+json")

    async def _actor(self, request: web.Request) -> web.Response:
        actor = self.actors.get(request.match_info["name"])
        if actor is None:
            return web.json_response({"error": "not found"}, status=404)
        if self.actor_delay:
            await asyncio.sleep(self.actor_delay)
        return web.Response(body=json.dumps(actor.document()).encode(), content_type="application/activity+json")

    # ---- receiving: verify what PubHub signs --------------------------------------------------

    async def _inbox(self, request: web.Request) -> web.Response:
        body = await request.read()
        verified, reason = await self._verify(request, body)
        self.received.append(Received(request.path, dict(request.headers), body, verified, reason))
        if self.inbox_hang:
            await self._hung.wait()
        return web.Response(status=self.inbox_status, body=self.inbox_body)

    async def _verify(self, request: web.Request, body: bytes) -> tuple[bool, str]:
        header = request.headers.get("Signature", "")
        params = dict(re.findall(r'(\w+)="([^"]*)"', header))
        if not params:
            return False, "unsigned"
        covered = params.get("headers", "date").split()
        if not {"(request-target)", "host", "date", "digest"} <= set(covered):
            return False, "missing signed headers"
        expected = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if request.headers.get("Digest") != expected:
            return False, "digest mismatch"
        pem = self._keys.get(params["keyId"])
        if pem is None:
            async with self.session.get(params["keyId"], headers={"Accept": "application/activity+json"}) as response:
                document = await response.json(content_type=None)
            pem = document["publicKey"]["publicKeyPem"]
            self._keys[params["keyId"]] = pem
        lines = []
        for name in covered:
            if name == "(request-target)":
                lines.append(f"(request-target): {request.method.lower()} {request.raw_path}")
            else:
                lines.append(f"{name}: {request.headers.get(name, '')}")
        key = serialization.load_pem_public_key(pem.encode())
        try:
            key.verify(base64.b64decode(params["signature"]), "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return False, "bad signature"
        return True, ""

    def received_of_type(self, kind: str) -> list[Received]:
        return [r for r in self.received if r.activity.get("type") == kind]

    # ---- sending: signed activities to PubHub -----------------------------------------------

    async def post(self, url: str, activity: dict | bytes, actor: PeerActor, **signing) -> tuple[int, dict]:
        """POST `activity` signed as `actor`. `signing` bends the signature (see httpsig.sign);
        `headers=` adds or replaces request headers after signing."""
        body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
        override = signing.pop("headers", {})
        unsigned = signing.pop("unsigned", False)
        signing.setdefault("key", actor.key)
        signing.setdefault("key_id", actor.key_id)
        headers = {} if unsigned else httpsig.sign("POST", url, body, **signing)
        headers["Content-Type"] = "application/activity+json"
        headers.update(override)
        async with self.session.post(url, data=body, headers=headers) as response:
            text = await response.text()
            try:
                payload = json.loads(text) if text else {}
            except ValueError:
                payload = {"raw": text}
            return response.status, payload

    # ---- activity builders shaped like Mastodon's --------------------------------------------

    _ids = itertools.count(1)

    def new_id(self, actor: PeerActor, kind: str) -> str:
        return f"{actor.uri}#{kind.lower()}-{next(self._ids)}"

    def note(self, actor: PeerActor, content: str, *, to=None, cc=None, in_reply_to=None, note_id=None, **extra) -> dict:
        note_id = note_id or f"{actor.uri}/statuses/{next(self._ids)}"
        doc = {
            "id": note_id, "type": "Note", "attributedTo": actor.uri, "content": content,
            "published": "2026-11-23T10:00:00Z", "to": to if to is not None else [PUBLIC],
            "cc": cc if cc is not None else [actor.followers], "inReplyTo": in_reply_to, "url": note_id,
        }
        doc.update(extra)
        return doc

    def activity(self, kind: str, actor: PeerActor, obj, **extra) -> dict:
        doc = {"@context": AS, "id": self.new_id(actor, kind), "type": kind, "actor": actor.uri, "object": obj}
        doc.update(extra)
        return doc

    def create(self, actor: PeerActor, note: dict, **extra) -> dict:
        return self.activity("Create", actor, note, to=note.get("to"), cc=note.get("cc"), **extra)

    async def wait_for(self, predicate, timeout: float = 10.0) -> None:
        async def poll():
            while not predicate():
                await asyncio.sleep(0.05)
        await asyncio.wait_for(poll(), timeout)
