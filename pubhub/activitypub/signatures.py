"""HTTP signatures, draft-cavage form as Mastodon uses it, written on `cryptography`.

Outgoing requests sign `(request-target) host date digest`. Incoming ones must cover
`(request-target)`, `host`, `date` (or, with hs2019, the `(created)` pseudo-header instead),
and `digest` when there is a body; the Digest must match the body, the Date (or `created`)
must be within an hour of now, an `expires` must not be past, and only RSA keys (2048-4096
bits, exponent 65537) with `rsa-sha256` or `hs2019` are accepted. Each refusal says exactly why.

`(created)` and `(expires)` follow draft-cavage-12 as Mastodon (app/lib/signed_request.rb) and
Fedify read them: their values are the Signature header's `created` / `expires` parameters
(unix seconds, quoted or not), signed as `(created): <value>` / `(expires): <value>`, and they
are refused with `rsa-sha256` (the draft says an implementation MUST produce an error then).
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
from typing import Mapping
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ..errors import SignatureError

ACCEPTED_ALGORITHMS = {"rsa-sha256", "hs2019"}
CLOCK_SKEW = timedelta(hours=1)
OUTGOING_HEADERS = ("(request-target)", "host", "date", "digest")
# The only keys we verify with: what every fediverse server generates, and cheap to verify.
MIN_RSA_BITS, MAX_RSA_BITS, RSA_EXPONENT = 2048, 4096, 65537
# name="quoted value" or name=token (RFC 7235 auth-param, as Mastodon's SignatureParser reads
# it): unquoted values are how some senders write `created=1700000000`.
_PARAM = re.compile(r'\s*([a-zA-Z]+)\s*=\s*(?:"([^"]*)"|([0-9A-Za-z!#$%&\'*+.^_`|~-]+))\s*(?:,|$)')
_UNIX_SECONDS = re.compile(r"[0-9]{1,15}")
# Pseudo-headers whose value is a Signature header parameter, and which only hs2019 may sign.
_PARAMETER_PSEUDO_HEADERS = {"(created)": "created", "(expires)": "expires"}


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


def load_public_key(pem: str) -> rsa.RSAPublicKey:
    """The signer's key, if it is usable; SignatureError saying why not."""
    key = _usable_public_key(pem)
    if isinstance(key, str):
        raise SignatureError(f"the signer's key is unusable: {key}")
    return key


def _read_public_key(pem: str) -> rsa.RSAPublicKey | str:
    """The key, or why it is refused. Cached either way (below): a refused key costs one parse, ever."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        return "it is not a valid PEM public key"
    if not isinstance(key, rsa.RSAPublicKey):
        return "it is not an RSA key"
    return _rsa_key_problem(key) or key


# Caches are wrapped around the rule rather than decorating it: mutation testing (`make mutation`)
# leaves decorated functions alone, and the rule must be tried too.
_usable_public_key = lru_cache(maxsize=8192)(_read_public_key)


def _rsa_key_problem(key: rsa.RSAPublicKey) -> str | None:
    # A verify costs ~0.05 ms with RSA-2048 and ~0.1 ms with RSA-4096 (exponent 65537); a larger
    # modulus, or a huge exponent (~7 ms with a 3071-bit one), lets a forger spend our CPU.
    if key.key_size < MIN_RSA_BITS:
        return f"its RSA modulus is shorter than {MIN_RSA_BITS} bits"
    if key.key_size > MAX_RSA_BITS:
        return f"its RSA modulus is longer than {MAX_RSA_BITS} bits"
    if key.public_numbers().e != RSA_EXPONENT:
        return f"its RSA public exponent is not {RSA_EXPONENT}"
    return None


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


def _read_http_date(value: str) -> datetime | None:
    try:
        sent = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if sent is not None and sent.tzinfo is None:
        sent = sent.replace(tzinfo=timezone.utc)
    return sent


# Cached: a busy server sees the same Date value in every request of the same second.
_parse_http_date = lru_cache(maxsize=1024)(_read_http_date)


def check_date(header_value: str | None, now: datetime) -> None:
    if not header_value:
        raise SignatureError("Date header is missing")
    sent = _parse_http_date(header_value)
    if sent is None:
        raise SignatureError("Date header is not an HTTP date")
    if sent > now + CLOCK_SKEW:
        raise SignatureError("Date header is in the future")
    if sent < now - CLOCK_SKEW:
        raise SignatureError("Date header is too old (more than an hour)")


def check_created_and_expires(parsed: ParsedSignature, now: datetime) -> None:
    """The Signature header's `created` must be within an hour of now (like a Date), and its
    `expires` must not be past. Compared as integers: no datetime, so no overflow on odd
    values. Checked whenever present, signed or not (as Fedify does)."""
    now_seconds = now.timestamp()
    skew = CLOCK_SKEW.total_seconds()
    if parsed.created is not None:
        created = int(parsed.created)
        if created > now_seconds + skew:
            raise SignatureError("Signature created time is in the future")
        if created < now_seconds - skew:
            raise SignatureError("Signature created time is too old (more than an hour)")
    if parsed.expires is not None and int(parsed.expires) < now_seconds:
        raise SignatureError("Signature has expired (its expires time is past)")


# ---- the Signature header -------------------------------------------------------------------

@dataclass(frozen=True)
class ParsedSignature:
    key_id: str
    algorithm: str | None
    headers: tuple[str, ...]
    signature: bytes
    created: str | None = None  # the `created` parameter as sent (checked to be unix seconds)
    expires: str | None = None  # the `expires` parameter as sent (checked to be unix seconds)

    @property
    def signs_created(self) -> bool:
        return "(created)" in self.headers


def parse_signature_header(value: str) -> ParsedSignature:
    params: dict[str, str] = {}
    position = 0
    value = value.strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # bytes that are not UTF-8 arrive as lone surrogates
        raise SignatureError("Signature header is not valid UTF-8") from exc
    while position < len(value):
        match = _PARAM.match(value, position)
        if not match:
            raise SignatureError("Signature header is malformed")
        name = match.group(1).lower()
        if name in params:
            raise SignatureError(f"Signature header repeats {name!r}")
        params[name] = match.group(2) if match.group(2) is not None else match.group(3)
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
    for parameter in ("created", "expires"):
        if parameter in params and not _UNIX_SECONDS.fullmatch(params[parameter]):
            raise SignatureError(f"Signature {parameter} parameter is not a unix time in seconds")
    for pseudo, parameter in _PARAMETER_PSEUDO_HEADERS.items():
        if pseudo not in headers:
            continue
        # draft-cavage-12 §2.3: (created)/(expires) with an rsa-, hmac- or ecdsa- algorithm MUST be
        # an error. Like Mastodon, an absent algorithm counts as hs2019 here.
        if algorithm not in (None, "hs2019"):
            raise SignatureError(f"signed pseudo-header {pseudo} is only valid with hs2019, not {algorithm}")
        if parameter not in params:
            raise SignatureError(f"signed pseudo-header {pseudo} has no {parameter} parameter in the Signature header")
    return ParsedSignature(key_id, algorithm, headers, signature, params.get("created"), params.get("expires"))


def signature_header_of(headers: Mapping[str, str]) -> str:
    value = headers.get("Signature")
    if value:
        return value
    authorization = headers.get("Authorization", "")
    if authorization[:10].lower() == "signature ":
        return authorization[10:]
    raise SignatureError("request is not signed (no Signature header)")


def signing_string(
    method: str,
    path: str,
    headers: Mapping[str, str],
    covered: tuple[str, ...],
    *,
    parameters: Mapping[str, str | None] | None = None,
) -> str:
    """The text that was signed. `parameters` holds the Signature header's `created` and
    `expires` values, which the `(created)` and `(expires)` pseudo-headers stand for. A header
    sent more than once is signed as its values joined by ", " (a request's headers are a
    multidict with `getall`; a plain mapping has one value each)."""
    getall = getattr(headers, "getall", None)
    lines = []
    for name in covered:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
            continue
        if name in _PARAMETER_PSEUDO_HEADERS:
            parameter = _PARAMETER_PSEUDO_HEADERS[name]
            value = (parameters or {}).get(parameter)
            if value is None:
                raise SignatureError(f"signed pseudo-header {name} has no {parameter} parameter in the Signature header")
            lines.append(f"{name}: {value}")
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
    now: datetime,
) -> ParsedSignature:
    """Everything that can be refused before any key is fetched. `now` is the instance's clock."""
    parsed = parse_signature_header(signature_header_of(headers))
    for required in ("(request-target)", "host"):
        if required not in parsed.headers:
            raise SignatureError(f"{required} is not signed")
    # DESIGN.md asks for a signed `date`. A signed `(created)` (hs2019 only, checked when parsing)
    # says the same thing, when the signature was made, and is held to the same hour, so it
    # satisfies that requirement: Mastodon too accepts either a signed `date` or `(created)`.
    if "date" not in parsed.headers and not parsed.signs_created:
        raise SignatureError("date is not signed (sign date, or (created) with hs2019)")
    if (body or method.upper() == "POST") and "digest" not in parsed.headers:
        raise SignatureError("Digest header is not signed")
    if expected_host is not None and headers.get("Host", "").lower() != expected_host.lower():
        raise SignatureError("signed Host is not this server")
    if "date" in parsed.headers:
        check_date(headers.get("Date"), now)
    check_created_and_expires(parsed, now)
    if "digest" in parsed.headers or body:
        check_digest(headers.get("Digest"), body)
    return parsed


def verify_with_key(
    parsed: ParsedSignature,
    method: str,
    path: str,
    headers: Mapping[str, str],
    public_key_pem: str,
) -> VerifiedSignature:
    key = load_public_key(public_key_pem)
    text = signing_string(method, path, headers, parsed.headers, parameters={"created": parsed.created, "expires": parsed.expires})
    try:
        # surrogateescape: header bytes that are not UTF-8 reach us as lone surrogates (aiohttp);
        # this gives back the bytes that were signed instead of failing to encode.
        key.verify(parsed.signature, text.encode("utf-8", "surrogateescape"), padding.PKCS1v15(), hashes.SHA256())
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
