"""A verifier for development and demos: it "verifies" whatever attribute values its
configuration says (PUBHUB_IDENTITY_STATIC_ATTRIBUTES, `id=value` pairs separated by `;`), with
no proof at all. It refuses to load unless PUBHUB_IDENTITY_STATIC_ENABLED is `true`, and when it
loads it says so loudly in the log: an instance running it verifies nothing."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime

from ..config import ConfigError
from .verifier import ProofRefused, Started, Verified, Verifier

log = logging.getLogger("pubhub.identity")


class StaticVerifier(Verifier):
    name = "static"

    def __init__(self, values: dict[str, str]):
        self.values = values

    @classmethod
    def from_config(cls, config: Mapping[str, str], http) -> "StaticVerifier":
        if config.get("PUBHUB_IDENTITY_STATIC_ENABLED", "").strip().lower() != "true":
            raise ConfigError("the static identity verifier proves nothing and is for development only: "
                              "set PUBHUB_IDENTITY_STATIC_ENABLED=true to use it anyway")
        values = {}
        for pair in config.get("PUBHUB_IDENTITY_STATIC_ATTRIBUTES", "").split(";"):
            name, equals, value = pair.strip().partition("=")
            if pair.strip() and not (equals and name.strip()):
                raise ConfigError(f"PUBHUB_IDENTITY_STATIC_ATTRIBUTES: {pair.strip()!r} is not id=value")
            if equals:
                values[name.strip()] = value.strip()
        log.warning("THE STATIC IDENTITY VERIFIER IS ON: attributes are NOT verified, every session "
                    "'proves' %d configured attribute(s). Never run it on a public instance.", len(values))
        return cls(values)

    async def start(self, attributes: Sequence[str]) -> Started:
        return Started(reference=secrets.token_urlsafe(16), client={"type": "static"})

    async def check(self, reference: str, attributes: Sequence[str], proof: str | None, *, now: datetime) -> Verified:
        missing = [name for name in attributes if name not in self.values]
        if missing:
            raise ProofRefused(f"the static verifier has no value for {', '.join(missing)}")
        return Verified(attributes={name: self.values[name] for name in attributes})
