"""Where media files live, as the operator writes it: PUBHUB_MEDIA_STORE empty (the directory
PUBHUB_MEDIA_DIR) or an S3-compatible bucket by URL,

    s3://ACCESS_KEY:SECRET@host[:port]/bucket?region=eu-west-1&scheme=https&addressing=path&acl=public-read

the way Mastodon (S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_PERMISSION, S3_OVERRIDE_PATH_STYLE)
and GoToSocial (storage-s3-endpoint, -bucket, -use-ssl) name the same things, in one line.
The keys may instead come from PUBHUB_MEDIA_S3_ACCESS_KEY and PUBHUB_MEDIA_S3_SECRET_KEY (an
AWS secret often holds a `/` or `+`: in the URL it must be percent-encoded). Parsing only: a
malformed value is a ValueError whose text says what to write (config turns it into a
ConfigError); the secret is never part of a message or a repr.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

EXAMPLE = "s3://ACCESS_KEY:SECRET@host[:port]/bucket?region=...&scheme=https"
BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,254}")
HOST_PORT = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?::(?P<port>[0-9]{1,5}))?")
OPTIONS = {"region", "scheme", "addressing", "acl"}
DEFAULT_REGION = "us-east-1"  # what AWS SDKs assume; MinIO takes it, Garage wants its own ("garage")


@dataclass(frozen=True)
class S3Location:
    endpoint: str  # scheme://host[:port], without the bucket
    bucket: str
    region: str
    access_key: str
    secret_key: str = field(repr=False)
    addressing: str = "path"  # path (host/bucket/key: MinIO, Garage) or virtual (bucket.host/key)
    acl: str | None = None  # sent with each public object (Mastodon's S3_PERMISSION), or none

    def shown(self) -> str:
        """For logs and messages: the secret never appears."""
        return f"s3://{self.access_key}:***@{self.endpoint.partition('://')[2]}/{self.bucket}" \
               f"?region={self.region}&scheme={self.endpoint.partition('://')[0]}&addressing={self.addressing}" \
               f"&acl={self.acl or 'none'}"


def parse_s3_url(raw: str, *, access_key: str = "", secret_key: str = "", public: bool = False) -> S3Location:
    """The bucket `raw` names. `access_key`/`secret_key` (their own variables) stand in for
    keys the URL leaves out; `public` (a public base URL is set) makes `public-read` the
    default ACL."""
    parts = urlsplit(raw.strip())
    if parts.scheme.lower() != "s3" or not parts.netloc:
        raise ValueError(f"must be empty (the directory PUBHUB_MEDIA_DIR) or {EXAMPLE}")
    userinfo, at, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":") if at else ("", "", "")
    found = HOST_PORT.fullmatch(hostport)
    if found is None or (found["port"] and not 0 < int(found["port"]) < 65536):
        # Never the value: a secret with an unencoded "/" ends up here, cut in two.
        raise ValueError(f"after s3:// comes KEY:SECRET@host[:port] (write a / in the secret as %2F, a + as %2B; "
                         f"{EXAMPLE})")
    bucket = parts.path.strip("/")
    if not BUCKET.fullmatch(bucket):
        raise ValueError(f"write one bucket name after the host, without a folder ({EXAMPLE})")
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(options) - OPTIONS)
    if unknown:
        raise ValueError(f"unknown option {unknown[0]!r} (known: {', '.join(sorted(OPTIONS))})")
    scheme = one_of(options, "scheme", ("https", "http"))
    access, secret = unquote(user) or access_key.strip(), unquote(password) or secret_key.strip()
    if not access or not secret:
        raise ValueError("needs an access key and its secret: in the URL, or in PUBHUB_MEDIA_S3_ACCESS_KEY "
                         "and PUBHUB_MEDIA_S3_SECRET_KEY")
    acl = one_of(options, "acl", ("public-read", "none") if public else ("none", "public-read"))
    return S3Location(endpoint=f"{scheme}://{hostport}", bucket=bucket, access_key=access, secret_key=secret,
                      region=options.get("region", "").strip() or DEFAULT_REGION,
                      addressing=one_of(options, "addressing", ("path", "virtual")),
                      acl=None if acl == "none" else acl)


def one_of(values: dict[str, str], name: str, allowed: tuple[str, ...]) -> str:
    """values[name] in lower case, the first allowed one when it is not given; a ValueError
    naming `name` and what it may be otherwise (config's settings use it too)."""
    value = values.get(name, "").strip().lower() or allowed[0]
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}")
    return value


def parse_base_url(raw: str) -> str | None:
    """PUBHUB_MEDIA_BASE_URL: where the bucket's files are public (Mastodon's S3_ALIAS_HOST, as
    a URL), without a trailing slash; empty: none (they are served at /media/NAME)."""
    raw = raw.strip().rstrip("/")
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment \
            or "@" in parts.netloc:
        raise ValueError("must be an http(s) URL such as https://media.example.org (or a path on it)")
    return raw
