"""The interface every verifier implements, and what it hands back.

A verifier is asked twice:

    started = await verifier.start(["pbdf.gemeente.address.city"])
    # ... the person proves the attributes in their app (started.client says how) ...
    verified = await verifier.check(started.reference, ["pbdf.gemeente.address.city"], proof)

`start` opens a session for exactly the attributes a rule needs and returns its `reference`
(the verifier's own handle on the session, kept by PubHub) and `client`, what the person's app
needs (a Yivi session pointer, an OpenID Connect URL). `check` verifies the proof it gets back, or
fetches it itself: cryptographically, for freshness (issued-at and expiry, with CLOCK_SKEW), and
for binding to the session `reference` names. It returns the attributes it verified, or raises
ProofRefused saying precisely why not. PubHub makes each session single-use (identity/sessions.py):
a verifier only has to check that the proof belongs to the session.

A verifier is built by `Verifier.from_config(config, http)`: `config` holds the PUBHUB_*
configuration variables (a plug-in reads its own) and PUBHUB_BASE_URL (the instance's own
`https://domain`, for a verifier that needs a return address), `http` is PubHub's guarded HTTP
client.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import jwt

CLOCK_SKEW = timedelta(minutes=2)


class ProofRefused(Exception):
    """The proof is not accepted; the message says why (shown to the person, logged without
    attribute values)."""


class BadSignature(ProofRefused):
    """The signature does not verify with the key tried."""


class VerifierUnavailable(Exception):
    """The verifier cannot work right now (its server is down, its configuration is wrong)."""


@dataclass(frozen=True)
class Started:
    reference: str
    client: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verified:
    """Attribute id → value, as disclosed; `subject` a stable id of the person, where the
    scheme has one (an OIDC `sub`), else None."""

    attributes: Mapping[str, str]
    subject: str | None = None


class Verifier(ABC):
    name: str = ""

    @classmethod
    @abstractmethod
    def from_config(cls, config: Mapping[str, str], http) -> "Verifier":
        """The verifier, configured from the PUBHUB_* variables; ConfigError if they are wrong."""

    @abstractmethod
    async def start(self, attributes: Sequence[str]) -> Started:
        ...

    @abstractmethod
    async def check(self, reference: str, attributes: Sequence[str], proof: str | None, *, now: datetime) -> Verified:
        ...


def jwt_claims(token: str, key, *, algorithms: list[str], issuer: str, required: list[str],
               audience: str | None = None, what: str = "the proof") -> dict:
    """A signed JWT's claims, its signature, algorithm, issuer (and audience) checked with PyJWT;
    times are left to `fresh` (with the injected clock). ProofRefused saying what is wrong."""
    try:
        return jwt.decode(token, key, algorithms=algorithms, issuer=issuer, audience=audience,
                          options={"require": required, "verify_exp": False, "verify_iat": False,
                                   "verify_nbf": False, "verify_aud": audience is not None})
    except jwt.InvalidSignatureError:
        raise BadSignature(f"{what}'s signature does not verify") from None
    except jwt.InvalidAlgorithmError:
        raise ProofRefused(f"{what} is not signed with {' or '.join(algorithms)}") from None
    except jwt.InvalidIssuerError:
        raise ProofRefused(f"{what} was issued by another issuer") from None
    except jwt.InvalidAudienceError:
        raise ProofRefused(f"{what} is for another client") from None
    except jwt.MissingRequiredClaimError as exc:
        raise ProofRefused(f"{what} has no {exc.claim}") from None
    except jwt.PyJWTError as exc:
        raise ProofRefused(f"{what} is not a valid JWT ({exc.__class__.__name__})") from None


def claim_time(claims: dict, name: str, what: str = "the proof") -> datetime:
    """A JWT's time claim (seconds since the epoch) as a datetime; ProofRefused if it is none."""
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProofRefused(f"{what}'s {name} is not a time")
    return datetime.fromtimestamp(value, timezone.utc)


def fresh(issued_at: datetime, expires_at: datetime | None, now: datetime) -> None:
    """ProofRefused unless `now` lies between issued-at and expiry, CLOCK_SKEW either side."""
    if issued_at - CLOCK_SKEW > now:
        raise ProofRefused("the proof was issued in the future")
    if expires_at is not None and expires_at + CLOCK_SKEW < now:
        raise ProofRefused("the proof has expired")
