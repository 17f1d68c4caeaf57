"""One Settings object, read from the environment (and an optional .env file)."""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .media_location import S3Location, one_of, parse_base_url, parse_s3_url


class ConfigError(ValueError):
    """A configuration value is missing or malformed."""


def _read_env_file(path: Path) -> dict[str, str]:
    """`KEY=value` lines as a shell (and systemd) writes them: an optional `export `, values
    quoted with '' or "" (or not), `#` comments. A shell-sourced .env and ours must agree."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = _unquoted(value.strip(), f"{path}:{number}")
    return values


def _unquoted(value: str, where: str) -> str:
    """The value as `sh` would assign it, for the forms people write: single-quoted (literal),
    double-quoted (backslash escapes the quote, backslash, $ and backquote), or bare; a comment
    after whitespace is dropped. A bare value is otherwise literal: a # or a backslash inside a
    password stays (sh would differ there; quote such values for both)."""
    if value[:1] in ("'", '"'):
        quote = value[0]
        pattern = r"'([^']*)'" if quote == "'" else r'"((?:[^"\\]|\\.)*)"'
        found = re.match(pattern, value)
        rest = value[found.end():].strip() if found else ""
        if found is None or (rest and not rest.startswith("#")):
            raise ConfigError(f"{where}: unclosed quote, or text after the closing quote")
        inner = found.group(1)
        return inner if quote == "'" else re.sub(r'\\(["\\$`])', r"\1", inner)
    return re.split(r"\s+#", value, maxsplit=1)[0].strip()


SQLITE_EXAMPLE = "sqlite+aiosqlite:///relative/path.db (or ////absolute/path.db)"
POSTGRES_EXAMPLE = "postgresql+asyncpg://user:password@host:5432/dbname"
# The drivers we ship; the plain forms (what other tools print) are mapped to them.
_DRIVERS = {"sqlite+aiosqlite": "sqlite+aiosqlite", "sqlite": "sqlite+aiosqlite",
            "postgresql+asyncpg": "postgresql+asyncpg", "postgresql": "postgresql+asyncpg",
            "postgres": "postgresql+asyncpg"}


def normalised_database_url(raw: str) -> str:
    """The URL for our async drivers, or ConfigError saying what a valid one looks like."""
    scheme, sep, rest = raw.strip().partition("://")
    driver = _DRIVERS.get(scheme.lower()) if sep else None
    valid = driver is not None and (rest.startswith("/") if driver.startswith("sqlite") else bool(rest))
    if not valid:
        raise ConfigError(f"PUBHUB_DATABASE_URL must look like {SQLITE_EXAMPLE} or {POSTGRES_EXAMPLE}")
    return f"{driver}://{rest}"


def masked_url(url: str) -> str:
    """The URL with its password replaced by ***, for logs and messages. Parsed as SQLAlchemy
    parses it (the password runs to the first @), not as a web URL: a # in it is no fragment."""
    return re.sub(r"^([\w+]+://[^:/@]*):[^@]*@", r"\1:***@", url)


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


# ISO 639-1, the two-letter codes Mastodon's apps show as the instance's languages.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id
ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu
lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu
rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr
ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split())
MAX_RULE_CHARS = 300  # Mastodon's limit for a rule's text (Rule::TEXT_SIZE_LIMIT)


@dataclass(frozen=True)
class Rule:
    """One of the instance's rules, as /api/v1/instance serves it."""

    text: str
    hint: str = ""


# What PubHub's own identity verifiers read (pubhub/identity/yivi.py, static.py), from the
# environment or .env like the rest; a plug-in documents its own.
VERIFIER_VARIABLES = ("PUBHUB_YIVI_SERVER_URL", "PUBHUB_YIVI_REQUESTOR_TOKEN", "PUBHUB_YIVI_JWT_PUBLIC_KEY_FILE",
                      "PUBHUB_YIVI_JWT_ISSUER", "PUBHUB_OIDC_ISSUER", "PUBHUB_OIDC_CLIENT_ID", "PUBHUB_OIDC_CLIENT_SECRET",
                      "PUBHUB_OIDC_CLAIMS", "PUBHUB_OIDC_ALGORITHMS", "PUBHUB_OIDC_SCOPES",
                      "PUBHUB_IDENTITY_STATIC_ENABLED", "PUBHUB_IDENTITY_STATIC_ATTRIBUTES")


def parse_languages(raw: str) -> tuple[str, ...]:
    """PUBHUB_LANGUAGES: comma-separated ISO 639-1 codes, the main language first; default en."""
    codes = [code.strip().lower() for code in raw.split(",") if code.strip()] or ["en"]
    for code in codes:
        if code not in ISO_639_1:
            raise ConfigError(f"PUBHUB_LANGUAGES: {code!r} is not a two-letter ISO 639-1 language code "
                              "(write e.g. nl,en)")
    return tuple(dict.fromkeys(codes))


def parse_contact_email(raw: str) -> str:
    email = raw.strip()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s.]+", email):
        raise ConfigError(f"PUBHUB_CONTACT_EMAIL: {email!r} is not an e-mail address (write e.g. info@gemeente.example)")
    return email


def read_rules(path: str) -> tuple[Rule, ...]:
    """PUBHUB_RULES_FILE: one rule a line, in the order shown; an indented line under a rule is
    its hint (the longer explanation apps show beneath it); blank lines and lines starting with
    # are skipped. Read at start, so a missing or malformed file stops every command."""
    where = f"PUBHUB_RULES_FILE {path}"
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read it ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}: not UTF-8 text") from exc
    rules: list[Rule] = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if line[0].isspace():
            if not rules:
                raise ConfigError(f"{where}:{number}: an indented line is a hint, but no rule stands above it")
            rules[-1] = Rule(rules[-1].text, f"{rules[-1].hint} {text}".strip())
            continue
        if len(text) > MAX_RULE_CHARS:
            raise ConfigError(f"{where}:{number}: a rule may have at most {MAX_RULE_CHARS} characters "
                              f"(this one has {len(text)}); put the explanation on an indented line below it")
        rules.append(Rule(text))
    return tuple(rules)


@dataclass(frozen=True)
class Settings:
    domain: str = "127.0.0.1:8080"
    scheme: str = "https"
    database_url: str = "sqlite+aiosqlite:///./var/pubhub.db"
    allow_private_networks: tuple = field(default_factory=tuple)
    instance_name: str = "PubHub"
    instance_description: str = ""  # empty: "NAME, a PubHub server."
    # What /api/v1/instance and /api/v2/instance tell apps about the instance.
    languages: tuple[str, ...] = ("en",)
    contact_email: str = ""
    rules: tuple[Rule, ...] = ()
    rules_file: str | None = None
    # Limited federation (Mastodon's allow-list mode): only servers in the domain allows.
    limited_federation: bool = False
    # Identity verifiers (pubhub/identity) by their entry-point names, and the PUBHUB_* variables
    # they read their own configuration from (VERIFIER_VARIABLES for PubHub's own).
    identity_verifiers: tuple[str, ...] = ()
    plugin_config: tuple[tuple[str, str], ...] = ()
    # Sign-in by identity attribute (identity/login.py): the verifier and the attribute that
    # names a person ("subject": the verifier's own stable id of them, e.g. OpenID Connect's sub).
    login_verifier: str | None = None
    login_attribute: str | None = None
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
    # Inbound activities waiting for the inbox worker after which the inbox answers 503 with
    # Retry-After (senders retry later) instead of taking work it cannot get through.
    inbox_backlog: int = 20_000
    # A request body not received in full within this many seconds is answered 408.
    body_timeout_seconds: float = 15.0
    # Uploaded media: the directory the files are written to (served at /media/NAME), and the
    # largest upload taken (a larger one is a 422).
    media_dir: str = "./var/media"
    media_max_bytes: int = 16 * 1024 * 1024
    # Or an S3-compatible bucket (PUBHUB_MEDIA_STORE), and where its files are public, if they
    # are (PUBHUB_MEDIA_BASE_URL: links go there; otherwise /media/NAME proxies from the bucket).
    media_store: S3Location | None = None
    media_base_url: str | None = None
    # A remote note's images fetched, re-encoded and kept in the media store (else shown by URL).
    cache_remote_media: bool = False
    log_format: str = "text"  # text | json
    # Prometheus /metrics on its own address ("host:port"), never the public port; None: off.
    # Used by `pubhub serve`; `pubhub worker` serves metrics only when given --metrics-address.
    metrics_address: str | None = "127.0.0.1:9464"

    def __post_init__(self):
        if bool(self.login_verifier) != bool(self.login_attribute):
            raise ConfigError("PUBHUB_LOGIN_VERIFIER and PUBHUB_LOGIN_ATTRIBUTE go together: set both, or neither")
        if self.login_verifier and self.login_verifier not in self.identity_verifiers:
            raise ConfigError(f"PUBHUB_LOGIN_VERIFIER: {self.login_verifier} is not one of PUBHUB_IDENTITY_VERIFIERS")
        if self.media_base_url and self.media_store is None:
            raise ConfigError("PUBHUB_MEDIA_BASE_URL is for a bucket (PUBHUB_MEDIA_STORE=s3://...); "
                              "files in PUBHUB_MEDIA_DIR are served at /media/NAME")

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.domain}"

    @property
    def language(self) -> str:
        """The main language (the first of PUBHUB_LANGUAGES): what pages declare as their `lang`."""
        return self.languages[0]

    @property
    def description(self) -> str:
        """What the front page and the instance API say the instance is."""
        return self.instance_description or f"{self.instance_name}, a PubHub server."

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def loopback_port(self) -> int | None:
        """The port in PUBHUB_DOMAIN when it names this machine (a local trial): the port to
        serve on, so the URLs we hand out reach us."""
        host, _, port = self.domain.rpartition(":")
        host = host.strip("[]")
        if not port.isdigit() or host not in ("localhost", "127.0.0.1", "::1"):
            return None
        return int(port)

    def described(self) -> dict[str, object]:
        """The effective configuration for the start-up log, secrets masked."""
        return {
            "domain": self.domain, "scheme": self.scheme, "database_url": masked_url(self.database_url),
            "allow_private_networks": [str(n) for n in self.allow_private_networks],
            "instance_name": self.instance_name, "languages": ",".join(self.languages),
            "contact_email": self.contact_email or "none",
            "rules": f"{len(self.rules)} from {self.rules_file}" if self.rules_file else "none",
            "limited_federation": self.limited_federation,
            "identity_verifiers": ",".join(self.identity_verifiers) or "none",
            "login": f"{self.login_attribute} through {self.login_verifier}" if self.login_verifier else "passwords only",
            "delivery_concurrency": self.delivery_concurrency,
            "delivery_timeout_seconds": self.delivery_timeout_seconds,
            "delivery_lease_seconds": self.delivery_lease_seconds,
            "inbox_retention_seconds": self.inbox_retention_seconds,
            "inbox_backlog": self.inbox_backlog,
            "body_timeout_seconds": self.body_timeout_seconds,
            "media_store": self.media_store.shown() if self.media_store else f"directory {self.media_dir}",
            "media_base_url": self.media_base_url or "none", "media_max_bytes": self.media_max_bytes,
            "cache_remote_media": self.cache_remote_media,
            "log_format": self.log_format, "metrics_address": self.metrics_address or "off",
        }

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
        rules_file = values.get("PUBHUB_RULES_FILE", "").strip() or None
        return cls(
            domain=domain,
            scheme=scheme,
            database_url=normalised_database_url(values.get("PUBHUB_DATABASE_URL", "") or cls.database_url),
            allow_private_networks=_parse_networks(values.get("PUBHUB_ALLOW_PRIVATE_NETWORKS", "")),
            instance_name=values.get("PUBHUB_INSTANCE_NAME", cls.instance_name),
            instance_description=values.get("PUBHUB_INSTANCE_DESCRIPTION", "").strip(),
            languages=parse_languages(values.get("PUBHUB_LANGUAGES", "")),
            contact_email=parse_contact_email(values.get("PUBHUB_CONTACT_EMAIL", "")),
            rules=read_rules(rules_file) if rules_file else (),
            rules_file=rules_file,
            limited_federation=_flag(values, "PUBHUB_LIMITED_FEDERATION"),
            identity_verifiers=tuple(dict.fromkeys(name.strip().lower() for name in
                                                   values.get("PUBHUB_IDENTITY_VERIFIERS", "").split(",") if name.strip())),
            plugin_config=tuple(sorted((name, value) for name, value in values.items() if name.startswith("PUBHUB_"))),
            login_verifier=values.get("PUBHUB_LOGIN_VERIFIER", "").strip().lower() or None,
            login_attribute=values.get("PUBHUB_LOGIN_ATTRIBUTE", "").strip() or None,
            delivery_concurrency=int(_number(values, "PUBHUB_DELIVERY_CONCURRENCY", cls.delivery_concurrency, 1, 4096)),
            delivery_timeout_seconds=_number(values, "PUBHUB_DELIVERY_TIMEOUT", cls.delivery_timeout_seconds, 1, 300),
            delivery_lease_seconds=int(_number(values, "PUBHUB_DELIVERY_LEASE", cls.delivery_lease_seconds, 10, 3600)),
            # At least a day: a signed request stays replayable for two hours (its Date may be an
            # hour either side of ours), so its id must be remembered well past that.
            inbox_retention_seconds=int(_number(values, "PUBHUB_INBOX_RETENTION_DAYS", 7, 1, 3650) * 24 * 3600),
            inbox_backlog=int(_number(values, "PUBHUB_INBOX_BACKLOG", cls.inbox_backlog, 10, 100_000_000)),
            body_timeout_seconds=_number(values, "PUBHUB_BODY_TIMEOUT", cls.body_timeout_seconds, 1, 300),
            media_dir=values.get("PUBHUB_MEDIA_DIR", "").strip() or cls.media_dir,
            **_media_store(values),
            cache_remote_media=_flag(values, "PUBHUB_CACHE_REMOTE_MEDIA"),
            media_max_bytes=int(_number(values, "PUBHUB_MEDIA_MAX_MB", 16, 1, 1024) * 1024 * 1024),
            log_format=_choice(values, "PUBHUB_LOG_FORMAT", ("text", "json")),
            metrics_address=metrics_address(values.get("PUBHUB_METRICS_ADDRESS", "")),
        )


def _media_store(values: dict[str, str]) -> dict[str, object]:
    """PUBHUB_MEDIA_STORE and PUBHUB_MEDIA_BASE_URL (pubhub/media_location.py)."""
    try:
        base_url = parse_base_url(values.get("PUBHUB_MEDIA_BASE_URL", ""))
    except ValueError as exc:
        raise ConfigError(f"PUBHUB_MEDIA_BASE_URL: {exc}") from exc
    raw = values.get("PUBHUB_MEDIA_STORE", "").strip()
    try:
        store = parse_s3_url(raw, access_key=values.get("PUBHUB_MEDIA_S3_ACCESS_KEY", ""),
                             secret_key=values.get("PUBHUB_MEDIA_S3_SECRET_KEY", ""),
                             public=base_url is not None) if raw else None
    except ValueError as exc:  # never the value itself in the message: it may hold the secret
        raise ConfigError(f"PUBHUB_MEDIA_STORE: {exc}") from exc
    return {"media_store": store, "media_base_url": base_url}


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


def _flag(values: dict[str, str], name: str) -> bool:
    raw = values.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be true or false")


def _choice(values: dict[str, str], name: str, allowed: tuple[str, ...]) -> str:
    try:
        return one_of(values, name, allowed)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def metrics_address(raw: str) -> str | None:
    """`host:port` (IPv6 as `[::1]:9464`), or `off`; empty means the loopback default."""
    raw = raw.strip().lower()
    if raw == "off":
        return None
    if not raw:
        return Settings.metrics_address
    host, _, port = raw.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError("PUBHUB_METRICS_ADDRESS must be host:port (e.g. 127.0.0.1:9464) or off")
    return raw
