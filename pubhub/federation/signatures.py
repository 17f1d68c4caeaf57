"""HTTP signatures, draft-cavage form as Mastodon uses it, written on `cryptography`.

Outgoing requests sign `(request-target) host date digest`. Incoming ones must cover
`(request-target)`, `host`, `date`, and `digest` when there is a body; the Digest must match
the body, the Date must be within an hour of now, and only RSA keys with `rsa-sha256` or
`hs2019` are accepted. Each refusal says exactly why.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from typing import Callable, Mapping
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ..errors import SignatureError

ACCEPTED_ALGORITHMS = {"rsa-sha256", "hs2019"}
CLOCK_SKEW = timedelta(hours=1)
OUTGOING_HEADERS = ("(request-target)", "host", "date", "digest")
_PARAM = re.compile(r'\s*([a-zA-Z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


# ---- keys -----------------------------------------------------------------------------------

def generate_key_pair() -> tuple[str, str]:
    """A fresh RSA-2048 key pair as (private PEM, public PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return private_pem, public_pem


@lru_cache(maxsize=1024)
def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    # Loading a PEM private key costs ~30 ms: do it once per key.
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("only RSA private keys are supported")
    return key


@lru_cache(maxsize=8192)
def load_public_key(pem: str) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise SignatureError("the signer's public key is not a valid PEM key") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("the signer's key is not an RSA key")
    if key.key_size < 2048:
        raise SignatureError("the signer's RSA key is shorter than 2048 bits")
    return key


# ---- digests and dates ----------------------------------------------------------------------

def digest_header(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(now: datetime | None = None) -> str:
    return format_datetime((now or datetime.now(timezone.utc)).astimezone(timezone.utc), usegmt=True)


def check_digest(header_value: str | None, body: bytes) -> None:
    if not header_value:
        raise SignatureError("Digest header is missing")
    expected = hashlib.sha256(body).digest()
    for part in header_value.split(","):
        algorithm, _, value = part.strip().partition("=")
        if algorithm.strip().upper() != "SHA-256":
            continue
        try:
            received = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise SignatureError("Digest header is not valid base64") from exc
        if not hmac.compare_digest(received, expected):
            raise SignatureError("Digest does not match the body")
        return
    raise SignatureError("Digest header has no SHA-256 value")


def check_date(header_value: str | None, now: datetime) -> None:
    if not header_value:
        raise SignatureError("Date header is missing")
    try:
        sent = parsedate_to_datetime(header_value)
    except (TypeError, ValueError) as exc:
        raise SignatureError("Date header is not an HTTP date") from exc
    if sent is None:
        raise SignatureError("Date header is not an HTTP date")
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=timezone.utc)
    if sent > now + CLOCK_SKEW:
        raise SignatureError("Date header is in the future")
    if sent < now - CLOCK_SKEW:
        raise SignatureError("Date header is too old (more than an hour)")


# ---- the Signature header -------------------------------------------------------------------

@dataclass(frozen=True)
class ParsedSignature:
    key_id: str
    algorithm: str | None
    headers: tuple[str, ...]
    signature: bytes


def parse_signature_header(value: str) -> ParsedSignature:
    params: dict[str, str] = {}
    position = 0
    value = value.strip()
    while position < len(value):
        match = _PARAM.match(value, position)
        if not match:
            raise SignatureError("Signature header is malformed")
        name = match.group(1).lower()
        if name in params:
            raise SignatureError(f"Signature header repeats {name!r}")
        params[name] = match.group(2)
        position = match.end()
    key_id = params.get("keyid")
    if not key_id:
        raise SignatureError("Signature header has no keyId")
    if "signature" not in params:
        raise SignatureError("Signature header has no signature")
    algorithm = params.get("algorithm")
    if algorithm is not None:
        algorithm = algorithm.lower()
        if algorithm not in ACCEPTED_ALGORITHMS:
            raise SignatureError(f"Signature algorithm {algorithm!r} is not accepted (use rsa-sha256 or hs2019)")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("Signature is not valid base64") from exc
    headers = tuple(params.get("headers", "date").lower().split())
    if not headers:
        raise SignatureError("Signature covers no headers")
    return ParsedSignature(key_id, algorithm, headers, signature)


def signature_header_of(headers: Mapping[str, str]) -> str:
    value = headers.get("Signature")
    if value:
        return value
    authorization = headers.get("Authorization", "")
    if authorization[:10].lower() == "signature ":
        return authorization[10:]
    raise SignatureError("request is not signed (no Signature header)")


def signing_string(method: str, path: str, headers: Mapping[str, str], covered: tuple[str, ...], getall=None) -> str:
    lines = []
    for name in covered:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
            continue
        if name.startswith("("):
            raise SignatureError(f"signed pseudo-header {name} is not supported")
        values = getall(name, []) if getall else ([headers[name]] if name in headers else [])
        if not values:
            raise SignatureError(f"signed header {name!r} is not in the request")
        lines.append(f"{name}: {', '.join(v.strip() for v in values)}")
    return "\n".join(lines)


# ---- verification ---------------------------------------------------------------------------

@dataclass(frozen=True)
class VerifiedSignature:
    key_id: str
    covered: tuple[str, ...]


def check_signature_preconditions(
    method: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    expected_host: str | None,
    now: datetime | None = None,
) -> ParsedSignature:
    """Everything that can be refused before any key is fetched."""
    parsed = parse_signature_header(signature_header_of(headers))
    now = now or datetime.now(timezone.utc)
    for required in ("(request-target)", "host", "date"):
        if required not in parsed.headers:
            raise SignatureError(f"{required} is not signed")
    if (body or method.upper() == "POST") and "digest" not in parsed.headers:
        raise SignatureError("Digest header is not signed")
    if expected_host is not None and headers.get("Host", "").lower() != expected_host.lower():
        raise SignatureError("signed Host is not this server")
    check_date(headers.get("Date"), now)
    if "digest" in parsed.headers or body:
        check_digest(headers.get("Digest"), body)
    return parsed


def verify_with_key(
    parsed: ParsedSignature,
    method: str,
    path: str,
    headers: Mapping[str, str],
    public_key_pem: str,
    getall: Callable[[str, list], list[str]] | None = None,
) -> VerifiedSignature:
    key = load_public_key(public_key_pem)
    text = signing_string(method, path, headers, parsed.headers, getall)
    try:
        key.verify(parsed.signature, text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise SignatureError("signature does not verify with the signer's key") from exc
    return VerifiedSignature(parsed.key_id, parsed.headers)


# ---- signing --------------------------------------------------------------------------------

def sign_request(
    method: str,
    url: str,
    *,
    key_id: str,
    private_key_pem: str,
    body: bytes | None = None,
    now: datetime | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Headers (Host, Date, Digest, Signature) for a request signed as `key_id`."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"Host": parts.netloc, "Date": http_date(now)}
    covered = ["(request-target)", "host", "date"]
    if body is not None:
        headers["Digest"] = digest_header(body)
        covered.append("digest")
    if extra_headers:
        headers.update(extra_headers)
    lowered = {k.lower(): v for k, v in headers.items()}
    text = signing_string(method, path, lowered, tuple(covered))
    signature = load_private_key(private_key_pem).sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    headers["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(covered)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return headers
