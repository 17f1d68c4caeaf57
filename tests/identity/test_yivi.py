"""The Yivi verifier against a test Yivi server over real HTTP: a valid disclosure is accepted,
and every forged, stale or mismatched result is refused with the reason."""

from __future__ import annotations

import ipaddress
import time
from datetime import datetime, timezone

import pytest

from pubhub.activitypub.client import HttpClient
from pubhub.config import ConfigError, Settings
from pubhub.identity.registry import load_verifier
from pubhub.identity.verifier import ProofRefused, VerifierUnavailable
from pubhub.identity.yivi import YiviVerifier
from tests.support.yivi import DROP

CITY = "pbdf.gemeente.address.city"
BIRTH = "pbdf.gemeente.personalData.dateofbirth"


@pytest.fixture
async def verifier(yivi, tmp_path):
    http = HttpClient(Settings(allow_private_networks=(ipaddress.ip_network("127.0.0.0/8"),)))
    yield load_verifier("yivi", yivi.config(tmp_path), http)
    await http.close()


def now() -> datetime:
    return datetime.now(timezone.utc)


async def test_a_valid_disclosure_is_accepted(yivi, verifier):
    started = await verifier.start([CITY, BIRTH])
    assert started.client["type"] == "yivi" and started.client["sessionPtr"]["irmaqr"] == "disclosing"
    assert yivi.requests[-1]["disclose"] == [[[CITY]], [[BIRTH]]]
    yivi.disclose(started.reference, {CITY: "Nijmegen", BIRTH: "01-02-2000"})
    verified = await verifier.check(started.reference, [CITY, BIRTH], None, now=now())
    assert dict(verified.attributes) == {CITY: "Nijmegen", BIRTH: "01-02-2000"}


SPOILED = {
    "signed with another key": ({"signing": "other-key"}, "signature does not verify"),
    "unsigned (alg none)": ({"signing": "none"}, "not signed with RS256"),
    "HS256 with the public key as secret": ({"signing": "hs256-public-key"}, "not signed with RS256"),
    "expired": ({"claims": {"iat": int(time.time()) - 900, "exp": int(time.time()) - 600}}, "expired"),
    "issued in the future": ({"claims": {"iat": int(time.time()) + 900}}, "future"),
    "without an expiry": ({"claims": {"exp": DROP}}, "has no exp"),
    "from another issuer": ({"claims": {"iss": "someone-else"}}, "another issuer"),
    "of another session": ({"claims": {"token": "another-session"}}, "another session"),
    "of another kind of session": ({"claims": {"sub": "signing_result", "type": "signing"}}, "not of a disclosure"),
    "with an INVALID proof": ({"claims": {"proofStatus": "INVALID"}}, "proof is not valid"),
    "with an expired proof": ({"claims": {"proofStatus": "EXPIRED"}}, "proof is not valid"),
    "cancelled": ({"claims": {"status": "CANCELLED"}}, "not done"),
    "with an error": ({"claims": {"error": {"error": "SESSION_UNKNOWN"}}}, "reports an error"),
}


@pytest.mark.parametrize("spoil", SPOILED, ids=list(SPOILED))
async def test_a_spoiled_result_is_refused(yivi, verifier, spoil):
    changes, reason = SPOILED[spoil]
    started = await verifier.start([CITY])
    yivi.disclose(started.reference, {CITY: "Nijmegen"})
    session = yivi.sessions[started.reference]
    session.signing = changes.get("signing", "server")
    session.claims = changes.get("claims", {})
    with pytest.raises(ProofRefused, match=reason):
        await verifier.check(started.reference, [CITY], None, now=now())


@pytest.mark.parametrize("values, extra, reason", [
    ({BIRTH: "01-02-2000"}, {}, "not the ones asked"),  # another attribute than asked
    ({CITY: "Nijmegen", BIRTH: "01-02-2000"}, {}, "not the ones asked"),  # more than asked
    ({CITY: "Nijmegen"}, {"status": "NULL"}, "not present"),
    ({CITY: "Nijmegen"}, {"notrevoked": False}, "revoked"),
])
async def test_the_wrong_attributes_are_refused(yivi, verifier, values, extra, reason):
    started = await verifier.start([CITY])
    yivi.disclose(started.reference, values, **extra)
    with pytest.raises(ProofRefused, match=reason):
        await verifier.check(started.reference, [CITY], None, now=now())


async def test_nothing_disclosed_yet_is_refused(yivi, verifier):
    started = await verifier.start([CITY])
    with pytest.raises(ProofRefused, match="not done"):
        await verifier.check(started.reference, [CITY], None, now=now())


async def test_a_wrong_requestor_token_or_a_dead_server_is_unavailable(yivi, tmp_path):
    http = HttpClient(Settings(allow_private_networks=(ipaddress.ip_network("127.0.0.0/8"),)))
    try:
        config = {**yivi.config(tmp_path), "PUBHUB_YIVI_REQUESTOR_TOKEN": "wrong"}
        with pytest.raises(VerifierUnavailable, match="answered 403"):
            await load_verifier("yivi", config, http).start([CITY])
        config = {**yivi.config(tmp_path), "PUBHUB_YIVI_SERVER_URL": "http://127.0.0.1:9"}
        with pytest.raises(VerifierUnavailable, match="could not be reached"):
            await load_verifier("yivi", config, http).start([CITY])
    finally:
        await http.close()


async def test_the_guard_keeps_a_private_yivi_server_out_unless_allowed(yivi, tmp_path):
    http = HttpClient(Settings())  # no private networks allowed
    try:
        with pytest.raises(VerifierUnavailable, match="could not be reached"):
            await load_verifier("yivi", yivi.config(tmp_path), http).start([CITY])
    finally:
        await http.close()


def test_the_configuration_must_be_complete(tmp_path):
    with pytest.raises(ConfigError, match="PUBHUB_YIVI_JWT_ISSUER"):
        YiviVerifier.from_config({"PUBHUB_YIVI_SERVER_URL": "https://yivi.example", "PUBHUB_YIVI_REQUESTOR_TOKEN": "x",
                                  "PUBHUB_YIVI_JWT_PUBLIC_KEY_FILE": "/nonexistent"}, None)
    (tmp_path / "bad.pem").write_text("not a key")
    with pytest.raises(ConfigError, match="not a readable PEM public key"):
        YiviVerifier.from_config({"PUBHUB_YIVI_SERVER_URL": "https://yivi.example", "PUBHUB_YIVI_REQUESTOR_TOKEN": "x",
                                  "PUBHUB_YIVI_JWT_PUBLIC_KEY_FILE": str(tmp_path / "bad.pem"),
                                  "PUBHUB_YIVI_JWT_ISSUER": "i"}, None)
