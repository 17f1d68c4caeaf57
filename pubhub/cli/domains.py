"""`pubhub domains`: domain blocks from the command line (the admin API's, when it is out of reach)."""

from __future__ import annotations

import click

from .common import destructive, go_ahead, one_line_errors, table, when, with_session


@click.group()
def domains() -> None:
    """Block, unblock and list servers moderated as a whole."""


@domains.command("block")
@click.argument("domain")
@click.option("--severity", type=click.Choice(["silence", "suspend", "noop"]), default="silence", show_default=True,
              help="suspend: cut the server off and remove what is stored of it; silence: limit it; noop: record only.")
@click.option("--public-comment", default=None, help="Shown in the public list of blocks.")
@click.option("--private-comment", default=None, help="For the moderators only.")
@click.option("--obfuscate", is_flag=True, help="Show the domain half hidden in the public list.")
@click.option("--reject-media", is_flag=True)
@click.option("--reject-reports", is_flag=True)
@destructive
def domains_block(domain: str, severity: str, public_comment: str | None, private_comment: str | None,
                  obfuscate: bool, reject_media: bool, reject_reports: bool, yes: bool, dry_run: bool) -> None:
    """Block DOMAIN (and its subdomains). A suspension removes the server's stored notes,
    follows and reactions at once, so it asks first."""
    from ..moderation.domain_blocks import block_domain
    from ..moderation.domain_names import normalize_domain

    with one_line_errors():
        domain = normalize_domain(domain)  # a typo is refused before the question
    if severity == "suspend" and not go_ahead(f"suspend {domain} and remove what is stored of it",
                                              f"Suspend {domain} and remove its notes, follows and reactions here?",
                                              yes=yes, dry_run=dry_run):
        return
    if dry_run:
        click.echo(f"would block {domain} ({severity}) (dry run: nothing changed)")
        return

    async def run(session, rt):
        return await block_domain(rt, session, domain, by=None, severity=severity, public_comment=public_comment,
                                  private_comment=private_comment, obfuscate=obfuscate, reject_media=reject_media,
                                  reject_reports=reject_reports)

    block = with_session(run)
    click.echo(f"blocked {block.domain} ({block.severity}), block {block.id}")


@domains.command("unblock")
@click.argument("domain")
def domains_unblock(domain: str) -> None:
    """Lift the block of DOMAIN (what a suspension removed stays removed)."""
    from ..moderation.domain_blocks import block_named, unblock_domain

    async def run(session, rt):
        return await unblock_domain(rt, session, (await block_named(session, domain)).id, by=None)

    block = with_session(run)
    click.echo(f"unblocked {block.domain}")


@domains.command("list")
def domains_list() -> None:
    """The blocks: domain, severity, public comment, created."""
    from ..moderation.domain_blocks import all_blocks

    async def run(session, rt):
        return [(block.id, block.domain, block.severity, block.public_comment or "-", when(block.created_at))
                for block in await all_blocks(session)]

    table(("ID", "DOMAIN", "SEVERITY", "PUBLIC COMMENT", "CREATED"), with_session(run))


@domains.command("allow")
@click.argument("domain")
def domains_allow(domain: str) -> None:
    """Allow DOMAIN (and its subdomains) in limited federation (PUBHUB_LIMITED_FEDERATION)."""
    from ..moderation.domain_allows import allow_domain

    async def run(session, rt):
        return await allow_domain(rt, session, domain, by=None)

    allow = with_session(run)
    click.echo(f"allowed {allow.domain}, allow {allow.id}")


@domains.command("disallow")
@click.argument("domain")
@destructive
def domains_disallow(domain: str, yes: bool, dry_run: bool) -> None:
    """Take the allow of DOMAIN away. In limited federation that cuts the server off: what is
    stored of it is removed, so it asks first."""
    from ..moderation.domain_allows import allow_named, disallow_domain
    from ..moderation.domain_names import normalize_domain

    with one_line_errors():
        domain = normalize_domain(domain)
    if not go_ahead(f"stop allowing {domain}", f"Stop allowing {domain} (in limited federation, remove what is stored of it)?",
                    yes=yes, dry_run=dry_run):
        return

    async def run(session, rt):
        return await disallow_domain(rt, session, (await allow_named(session, domain)).id, by=None)

    allow = with_session(run)
    click.echo(f"no longer allowed: {allow.domain}")


@domains.command("allows")
def domains_allows() -> None:
    """The allowed domains (used in limited federation)."""
    from ..moderation.domain_allows import allows_page

    async def run(session, rt):
        return [(allow.id, allow.domain, when(allow.created_at)) for allow in await allows_page(session, limit=10_000)]

    table(("ID", "DOMAIN", "CREATED"), with_session(run))
