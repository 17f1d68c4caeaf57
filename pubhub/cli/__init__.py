"""The `pubhub` command: init, serve, worker, demo, accounts, tokens, follow-requests, domains, hubs,
rooms (one module per group)."""

from __future__ import annotations

import click

from .. import __version__
from .accounts import accounts
from .domains import domains
from .follow_requests import follow_requests
from .hubs import hubs
from .rooms import rooms
from .server import demo, init, serve, worker
from .tokens import tokens


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="pubhub", message="%(prog)s %(version)s")
def main() -> None:
    """PubHub: a federated ActivityPub server for public-sector hubs.

    Configured through PUBHUB_* environment variables (or a .env file); see README.md."""


for command in (init, serve, worker, demo, accounts, tokens, follow_requests, domains, hubs, rooms):
    main.add_command(command)
