"""Mastodon's admin domain blocks (`/api/v1/admin/domain_blocks`, for admins and moderators
granted Mastodon's Manage Federation permission) and the public list (`/api/v1/instance/domain_blocks`)."""

from __future__ import annotations

import hashlib
from typing import Literal

from aiohttp import web

from ..accounts.principal import Principal
from ..activitypub.vocab import iso
from ..http.keys import runtime
from ..http.params import Flag, Params, Text, ok, read_params
from ..http.principal import requires
from ..moderation.domain_blocks import (COMMENT_LIMIT, all_blocks, block_domain, blocks_page, change_block, find_block,
                                        public_domain, unblock_domain)
from ..store.models import DomainBlock, parse_id
from .paging import link_header, page_bounds
from .schemas import NoParams, Page

Severity = Literal["silence", "suspend", "noop"]


class BlockFields(Params):
    severity: Severity | None = None
    reject_media: Flag = None
    reject_reports: Flag = None
    private_comment: Text(COMMENT_LIMIT) | None = None
    public_comment: Text(COMMENT_LIMIT) | None = None
    obfuscate: Flag = None


class NewBlock(BlockFields):
    domain: Text(253)


def block_json(block: DomainBlock) -> dict:
    return {
        "id": str(block.id), "domain": block.domain, "digest": _digest(block.domain), "created_at": iso(block.created_at),
        "severity": block.severity, "reject_media": block.reject_media, "reject_reports": block.reject_reports,
        "private_comment": block.private_comment or None, "public_comment": block.public_comment or None,
        "obfuscate": block.obfuscate,
    }


def _digest(domain: str) -> str:
    return hashlib.sha256(domain.encode()).hexdigest()


def _given(fields: BlockFields) -> dict:
    return fields.model_dump(exclude_none=True, exclude={"domain"})


@requires("admin:read:domain_blocks", permission="manage_federation")
async def list_blocks(request: web.Request, principal: Principal) -> web.Response:
    page = await read_params(request, Page)
    async with runtime(request).db.read() as session:
        blocks = await blocks_page(session, **page_bounds(page))
    return ok([block_json(block) for block in blocks], headers=link_header(request, [block.id for block in blocks], page.limit))


@requires("admin:read:domain_blocks", permission="manage_federation")
async def get_block(request: web.Request, principal: Principal) -> web.Response:
    await read_params(request, NoParams)
    async with runtime(request).db.read() as session:
        return ok(block_json(await find_block(session, parse_id(request.match_info["id"]))))


@requires("admin:write:domain_blocks", permission="manage_federation")
async def create_block(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    fields = await read_params(request, NewBlock)
    async with rt.db.write() as session:
        return ok(block_json(await block_domain(rt, session, fields.domain, by=principal.account, **_given(fields))))


@requires("admin:write:domain_blocks", permission="manage_federation")
async def update_block(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    fields = await read_params(request, BlockFields)
    async with rt.db.write() as session:
        return ok(block_json(await change_block(rt, session, parse_id(request.match_info["id"]), by=principal.account,
                                                   **_given(fields))))


@requires("admin:write:domain_blocks", permission="manage_federation")
async def delete_block(request: web.Request, principal: Principal) -> web.Response:
    rt = runtime(request)
    await read_params(request, NoParams)
    async with rt.db.write() as session:
        await unblock_domain(rt, session, parse_id(request.match_info["id"]), by=principal.account)
    return ok({})


async def public_blocks(request: web.Request) -> web.Response:
    """What the instance has blocked, for anyone to read (Mastodon shows it to everyone when
    its admins choose so; a public body shows it)."""
    await read_params(request, NoParams)
    async with runtime(request).db.read() as session:
        blocks = await all_blocks(session)
    return ok([{"domain": public_domain(block), "digest": _digest(block.domain), "severity": block.severity,
                "comment": block.public_comment or None} for block in blocks if block.severity != "noop"])
