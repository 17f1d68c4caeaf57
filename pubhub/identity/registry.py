"""Verifiers are plug-ins: each is a class registered in the entry-point group `pubhub.identity`
under its name (PubHub's own: `yivi`, `static`), and PUBHUB_IDENTITY_VERIFIERS names the ones an
instance uses. A third party ships one in its own package:

    [project.entry-points."pubhub.identity"]
    eherkenning = "pubhub_eherkenning:Verifier"
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib.metadata import entry_points

from ..config import ConfigError
from .verifier import Verifier

GROUP = "pubhub.identity"
log = logging.getLogger("pubhub.identity")


def available() -> dict[str, object]:
    """Name → entry point of every verifier installed."""
    return {point.name: point for point in entry_points(group=GROUP)}


def load_verifier(name: str, config: Mapping[str, str], http) -> Verifier:
    """The configured verifier `name`; ConfigError naming what is installed if it is not."""
    installed = available()
    if name not in installed:
        raise ConfigError(f"PUBHUB_IDENTITY_VERIFIERS: no verifier {name!r} is installed "
                          f"(installed: {', '.join(sorted(installed)) or 'none'})")
    try:
        cls = installed[name].load()
    except Exception as exc:  # a broken plug-in is a configuration problem, said at start
        raise ConfigError(f"the identity verifier {name!r} could not be loaded: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Verifier)):
        raise ConfigError(f"the identity verifier {name!r} is not a pubhub.identity.verifier.Verifier")
    verifier = cls.from_config(config, http)
    log.info("identity verifier %s loaded (%s)", name, cls.__module__)
    return verifier


def load_verifiers(names: tuple[str, ...], config: Mapping[str, str], http) -> dict[str, Verifier]:
    return {name: load_verifier(name, config, http) for name in names}
