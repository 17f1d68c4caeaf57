"""Yivi (IRMA): a disclosure session at the agency's own Yivi server (its requestor API).

`start` POSTs a `disclose` request to `PUBHUB_YIVI_SERVER_URL/session` (authorised with
PUBHUB_YIVI_REQUESTOR_TOKEN) and hands the person's app the session pointer (shown as a QR code).
`check` fetches `/session/{token}/result-jwt` itself (nothing the person's browser sends is
trusted) and accepts it only when every one of these holds:

- signed with RS256 by the key in PUBHUB_YIVI_JWT_PUBLIC_KEY_FILE (no `none`, no HS256 with
  the public key as secret, no other key), issued by PUBHUB_YIVI_JWT_ISSUER;
- `sub` is `disclosing_result` and `type` is `disclosing`; issued-at and expiry fresh;
- `token` is the session PubHub started (PubHub then uses it once);
- `status` DONE, `proofStatus` VALID, no `error`;
- every disclosed attribute PRESENT and not revoked, and the ids disclosed exactly those asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import orjson
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from ..config import ConfigError
from .verifier import (BadSignature, ProofRefused, Started, Verified, Verifier, VerifierUnavailable, claim_time, fresh,
                       jwt_claims)

DISCLOSURE_CONTEXT = "https://irma.app/ld/request/disclosure/v2"
MAX_RESULT_BYTES = 64 * 1024


class YiviVerifier(Verifier):
    name = "yivi"

    def __init__(self, server_url: str, requestor_token: str, public_key_pem: bytes, issuer: str, http):
        self.server_url = server_url.rstrip("/")
        self.requestor_token = requestor_token
        self.public_key = load_pem_public_key(public_key_pem)
        self.issuer = issuer
        self.http = http

    @classmethod
    def from_config(cls, config: Mapping[str, str], http) -> "YiviVerifier":
        names = ("PUBHUB_YIVI_SERVER_URL", "PUBHUB_YIVI_REQUESTOR_TOKEN", "PUBHUB_YIVI_JWT_PUBLIC_KEY_FILE",
                 "PUBHUB_YIVI_JWT_ISSUER")
        missing = [name for name in names if not config.get(name, "").strip()]
        if missing:
            raise ConfigError(f"the yivi verifier needs {', '.join(missing)}")
        key_file = config["PUBHUB_YIVI_JWT_PUBLIC_KEY_FILE"].strip()
        try:
            pem = Path(key_file).read_bytes()
            load_pem_public_key(pem)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"PUBHUB_YIVI_JWT_PUBLIC_KEY_FILE {key_file}: not a readable PEM public key ({exc})") from exc
        return cls(config["PUBHUB_YIVI_SERVER_URL"].strip(), config["PUBHUB_YIVI_REQUESTOR_TOKEN"].strip(), pem,
                   config["PUBHUB_YIVI_JWT_ISSUER"].strip(), http)

    async def start(self, attributes: Sequence[str]) -> Started:
        # One inner conjunction per attribute: each must be disclosed, no alternatives offered.
        request = {"@context": DISCLOSURE_CONTEXT, "disclose": [[[attribute]] for attribute in attributes]}
        response = await self._call("POST", "/session", orjson.dumps(request),
                                    {"Authorization": self.requestor_token, "Content-Type": "application/json"})
        try:
            answer = orjson.loads(response)
            token, pointer = answer["token"], answer["sessionPtr"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise VerifierUnavailable("the Yivi server's answer to a new session is not one") from exc
        if not isinstance(token, str) or not token or not isinstance(pointer, dict):
            raise VerifierUnavailable("the Yivi server's answer to a new session is not one")
        return Started(reference=token, client={"type": "yivi", "sessionPtr": pointer})

    async def check(self, reference: str, attributes: Sequence[str], proof: str | None, *, now: datetime) -> Verified:
        """`proof` is not used: the result is fetched from the Yivi server by the session's token."""
        result = await self._call("GET", f"/session/{reference}/result-jwt", None, {})
        claims = self._decoded(result.decode("ascii", "replace").strip())
        fresh(claim_time(claims, "iat", "the result"), claim_time(claims, "exp", "the result"), now)
        if claims.get("sub") != "disclosing_result" or claims.get("type") != "disclosing":
            raise ProofRefused("the result is not of a disclosure session")
        if claims.get("token") != reference:
            raise ProofRefused("the result belongs to another session")
        if claims.get("error"):
            raise ProofRefused("the Yivi server reports an error for this session")
        if claims.get("status") != "DONE":
            raise ProofRefused(f"the session is not done (status {str(claims.get('status'))[:20]})")
        if claims.get("proofStatus") != "VALID":
            raise ProofRefused(f"the proof is not valid (proofStatus {str(claims.get('proofStatus'))[:20]})")
        return Verified(attributes=_disclosed(claims.get("disclosed"), attributes))

    def _decoded(self, token: str) -> dict:
        try:
            return jwt_claims(token, self.public_key, algorithms=["RS256"], issuer=self.issuer,
                              required=["iat", "exp", "iss", "sub"], what="the result")
        except BadSignature:
            raise ProofRefused("the result's signature does not verify with the Yivi server's key") from None

    async def _call(self, method: str, path: str, body: bytes | None, headers: dict) -> bytes:
        try:
            response = await self.http.request(method, self.server_url + path, body=body, headers=headers,
                                               max_bytes=MAX_RESULT_BYTES, follow_redirects=False)
        except Exception as exc:  # unreachable, refused address, too large, timed out
            raise VerifierUnavailable(f"the Yivi server could not be reached ({exc.__class__.__name__})") from exc
        if response.status != 200:
            raise VerifierUnavailable(f"the Yivi server answered {response.status} to {method} {path.split('/')[1]}")
        return response.body


def _disclosed(disclosed, asked: Sequence[str]) -> dict[str, str]:
    """The disclosed attributes, each PRESENT and not revoked, exactly those asked; else ProofRefused."""
    if not isinstance(disclosed, list) or not all(isinstance(group, list) for group in disclosed):
        raise ProofRefused("the result discloses no attributes")
    items = [item for group in disclosed for item in group]
    values: dict[str, str] = {}
    for attribute in items:
        if not isinstance(attribute, dict) or not isinstance(attribute.get("id"), str):
            raise ProofRefused("the result's disclosed attributes are malformed")
        if attribute.get("status") != "PRESENT":
            raise ProofRefused(f"attribute {attribute['id'][:100]} is not present")
        if attribute.get("notrevoked") is False:
            raise ProofRefused(f"attribute {attribute['id'][:100]} is revoked")
        raw = attribute.get("rawvalue")
        if not isinstance(raw, str):
            raise ProofRefused(f"attribute {attribute['id'][:100]} has no value")
        values[attribute["id"]] = raw
    if len(values) != len(items) or sorted(values) != sorted(set(asked)):
        raise ProofRefused("the attributes disclosed are not the ones asked for")
    return values
