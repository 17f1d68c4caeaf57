"""One Settings object, read from the environment (and an optional .env file)."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(ValueError):
    """A configuration value is missing or malformed."""


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def _parse_networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ConfigError(f"PUBHUB_ALLOW_PRIVATE_NETWORKS: {part!r} is not a CIDR") from exc
    return tuple(networks)


@dataclass(frozen=True)
class Settings:
    domain: str = "127.0.0.1:8080"
    scheme: str = "https"
    database_url: str = "sqlite+aiosqlite:///./var/pubhub.db"
    allow_private_networks: tuple = field(default_factory=tuple)
    instance_name: str = "PubHub"
    # Delivery: give up after about two days of exponential backoff.
    delivery_max_age_seconds: int = 2 * 24 * 3600
    delivery_base_delay_seconds: float = 30.0
    delivery_concurrency: int = 64
    delivery_lease_seconds: int = 120
    fetch_timeout_seconds: float = 10.0
    delivery_timeout_seconds: float = 15.0
    max_body_bytes: int = 1024 * 1024
    # Finished inbound activities are remembered (by id, for deduplication) this long, then
    # pruned; 7 days, like other servers' dedupe windows.
    inbox_retention_seconds: int = 7 * 24 * 3600
    # A request body not received in full within this many seconds is answered 408.
    body_timeout_seconds: float = 15.0

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.domain}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, env_file: str | None = ".env") -> "Settings":
        values = _read_env_file(Path(env_file)) if env_file else {}
        values.update(os.environ if environ is None else environ)
        scheme = values.get("PUBHUB_SCHEME", "https").strip().lower()
        if scheme not in ("http", "https"):
            raise ConfigError("PUBHUB_SCHEME must be 'https' or 'http'")
        domain = values.get("PUBHUB_DOMAIN", "127.0.0.1:8080").strip().lower()
        if not domain or "/" in domain or "@" in domain:
            raise ConfigError("PUBHUB_DOMAIN must be a host name, optionally with :port")
        return cls(
            domain=domain,
            scheme=scheme,
            database_url=values.get("PUBHUB_DATABASE_URL", cls.database_url).strip(),
            allow_private_networks=_parse_networks(values.get("PUBHUB_ALLOW_PRIVATE_NETWORKS", "")),
            instance_name=values.get("PUBHUB_INSTANCE_NAME", cls.instance_name),
            delivery_concurrency=int(_number(values, "PUBHUB_DELIVERY_CONCURRENCY", cls.delivery_concurrency, 1, 4096)),
            delivery_timeout_seconds=_number(values, "PUBHUB_DELIVERY_TIMEOUT", cls.delivery_timeout_seconds, 1, 300),
            delivery_lease_seconds=int(_number(values, "PUBHUB_DELIVERY_LEASE", cls.delivery_lease_seconds, 10, 3600)),
            # At least a day: a signed request stays replayable for two hours (its Date may be an
            # hour either side of ours), so its id must be remembered well past that.
            inbox_retention_seconds=int(_number(values, "PUBHUB_INBOX_RETENTION_DAYS", 7, 1, 3650) * 24 * 3600),
            body_timeout_seconds=_number(values, "PUBHUB_BODY_TIMEOUT", cls.body_timeout_seconds, 1, 300),
        )


def _number(values: dict[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number") from exc
    if not low <= number <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g}")
    return number
