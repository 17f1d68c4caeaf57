"""An independent draft-cavage signer for test peers, written to be bent: it can leave
headers unsigned, claim other algorithms, forge dates and digests, and sign the `(created)`
and `(expires)` pseudo-headers (with `created=` / `expires=` parameters, quoted or not).
Deliberately separate from pubhub's own implementation, so the two check each other."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

DEFAULT_COVERED = ("(request-target)", "host", "date", "digest")


def sign(method: str, url: str, body: bytes | None, *, key, key_id: str,
         covered=DEFAULT_COVERED, algorithm: str | None = "rsa-sha256", date: datetime | None = None,
         digest: str | None = None, host: str | None = None, extra: dict | None = None,
         signature_override: bytes | None = None, created: int | str | None = None,
         expires: int | str | None = None, unquoted: bool = False, send_date: bool = True) -> dict[str, str]:
    """`created`/`expires` add those Signature parameters (as given, so odd values can be sent);
    `unquoted` writes them as bare tokens (`created=1700000000`); `send_date=False` leaves the
    Date header out of the request."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": host or parts.netloc}
    if send_date:
        headers["Date"] = format_datetime(date or datetime.now(timezone.utc), usegmt=True)
    if body is not None:
        headers["Digest"] = digest or "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    headers.update(extra or {})
    lowered = {k.lower(): v for k, v in headers.items()}
    lines = []
    for name in covered:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        elif name == "(created)":
            lines.append(f"(created): {created}")
        elif name == "(expires)":
            lines.append(f"(expires): {expires}")
        else:
            lines.append(f"{name}: {lowered.get(name, '')}")
    text = "\n".join(lines).encode("utf-8", "surrogateescape")  # lone surrogates stand for raw bytes
    signature = signature_override or key.sign(text, padding.PKCS1v15(), hashes.SHA256())
    params = [f'keyId="{key_id}"']
    if algorithm:
        params.append(f'algorithm="{algorithm}"')
    for name, value in (("created", created), ("expires", expires)):
        if value is not None:
            params.append(f"{name}={value}" if unquoted else f'{name}="{value}"')
    params.append(f'headers="{" ".join(covered)}"')
    params.append(f'signature="{base64.b64encode(signature).decode()}"')
    headers["Signature"] = ",".join(params)
    return headers
