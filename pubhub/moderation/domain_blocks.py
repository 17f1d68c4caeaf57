"""Domain blocks (Mastodon's): an admin moderates a whole server.

- `suspend`: its inbound activities are refused, nothing is fetched from it or delivered to
  it (the policy seam, `seam.DomainBlocks`), and what is stored of it goes at once: its notes
  (emptied, kept as tombstones), its follows both ways, its reactions, its activities waiting
  in the inbox, the deliveries waiting for its inboxes.
- `silence`: its accounts are treated as silenced accounts are (social/visibility.py): their
  posts reach only their accepted followers, never public timelines, tags or strangers.
- `noop`: recorded only (for the public list and its comments).

A block covers the domain's subdomains. Lifting a suspension lets the server in again; what
was removed stays removed (as in Mastodon).
"""

from __future__ import annotations

from ..errors import BadRequest, NotFound, Unprocessable
from ..policy import covering
from ..runtime import Runtime
from ..store import domain_blocks as block_store
from ..store.db import Session
from ..store.models import Actor, DomainBlock
from ..accountability import audit
from .domain_names import host_of, normalize_domain
from .seam import forget_seam

SEVERITIES = ("silence", "suspend", "noop")
COMMENT_LIMIT = 1000


def _checked(values: dict) -> dict:
    """The fields an admin may set, validated."""
    checked = {}
    if values.get("severity") is not None:
        if values["severity"] not in SEVERITIES:
            raise BadRequest(f"severity must be one of {', '.join(SEVERITIES)}")
        checked["severity"] = values["severity"]
    for flag in ("reject_media", "reject_reports", "obfuscate"):
        if values.get(flag) is not None:
            checked[flag] = bool(values[flag])
    for comment in ("private_comment", "public_comment"):
        if values.get(comment) is not None:
            if len(values[comment]) > COMMENT_LIMIT:
                raise BadRequest(f"{comment} is longer than {COMMENT_LIMIT} characters")
            checked[comment] = values[comment]
    return checked


async def block_domain(rt: Runtime, session: Session, domain: str, *, by: Actor | None, **values) -> DomainBlock:
    """A new block; a domain blocked already is a 422 naming the existing block (Mastodon's)."""
    name = normalize_domain(domain)
    existing = await block_store.by_domain(session, name)
    if existing is not None:
        raise Unprocessable(f"{name} is blocked already (block {existing.id}): change that block instead")
    now = rt.clock.now()
    fields = {"severity": "silence", **_checked(values)}
    block = await block_store.add(session, domain=name, created_at=now, updated_at=now, **fields)
    await _take_effect(rt, session, block)
    await _audit(session, by, "create", block, now)
    return block


async def change_block(rt: Runtime, session: Session, block_id: int | None, *, by: Actor | None, **values) -> DomainBlock:
    block = await find_block(session, block_id)
    for name, value in _checked(values).items():
        setattr(block, name, value)
    block.updated_at = rt.clock.now()
    await _take_effect(rt, session, block)
    await _audit(session, by, "update", block, block.updated_at)
    return block


async def unblock_domain(rt: Runtime, session: Session, block_id: int | None, *, by: Actor | None) -> DomainBlock:
    block = await find_block(session, block_id)
    await block_store.remove(session, block)
    await _audit(session, by, "delete", block, rt.clock.now())
    forget_seam(session, rt.policy)
    return block


async def _audit(session: Session, by: Actor | None, what: str, block: DomainBlock, now) -> None:
    await audit.record(session, by=by, action=f"domain_block.{what}", target=("domain_block", block.id, block.domain),
                       now=now, reason=f"{block.severity}: {block.private_comment or block.public_comment}")


async def find_block(session: Session, block_id: int | None) -> DomainBlock:
    block = await block_store.by_id(session, block_id) if block_id is not None else None
    if block is None:
        raise NotFound("Record not found")
    return block


async def block_named(session: Session, domain: str) -> DomainBlock:
    block = await block_store.by_domain(session, normalize_domain(domain))
    if block is None:
        raise NotFound(f"{domain} is not blocked")
    return block


async def blocks_page(session: Session, *, limit: int, max_id: int | None = None, min_id: int | None = None) -> list[DomainBlock]:
    return await block_store.page(session, limit=limit, max_id=max_id, min_id=min_id)


async def all_blocks(session: Session) -> list[DomainBlock]:
    return await block_store.all_blocks(session)


async def _take_effect(rt: Runtime, session: Session, block: DomainBlock) -> None:
    """A suspension removes what is stored of the server now; every block reaches this
    process's policy seam once it commits (other processes within seam.REFRESH_SECONDS)."""
    if block.severity == "suspend":
        await cut_off_domain(session, block.domain, now=rt.clock.now(), reason="domain blocked")
    forget_seam(session, rt.policy)


async def cut_off_domain(session: Session, domain: str, *, now, reason: str, spare: list[str] = ()) -> None:
    """What is stored of the server's actors goes (not of hosts under a `spare` domain), and the
    deliveries waiting for its inboxes fail."""
    def cut(url: str) -> bool:
        host = host_of(url)
        return covering(host, [domain]) is not None and covering(host, spare) is None

    actors = [actor_id for actor_id, uri in await block_store.remote_actors_naming(session, domain) if cut(uri)]
    await block_store.cut_off(session, actors, now=now, reason=reason)
    waiting = [delivery_id for delivery_id, inbox in await block_store.pending_deliveries(session) if cut(inbox)]
    await block_store.fail_deliveries(session, waiting, reason, now=now)


def public_domain(block: DomainBlock) -> str:
    """The domain as the public list shows it: with `obfuscate`, the middle half of its
    characters (dots kept) replaced by `*`, the way Mastodon lists it; readers who know a
    domain recognise it (and its SHA-256 `digest` is listed beside it) without reading it."""
    if not block.obfuscate:
        return block.domain
    length = len(block.domain)
    shown = length // 4
    return "".join("*" if shown < index < length - shown and char != "." else char
                   for index, char in enumerate(block.domain))
