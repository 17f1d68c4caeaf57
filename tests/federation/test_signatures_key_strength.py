"""Only keys that are cheap and sound to verify with are usable: RSA with a 2048-4096 bit
modulus and the public exponent 65537. Any other key in an actor document makes the actor's
signatures unusable, refused with the reason (401), before any RSA arithmetic is done.

The attack from the review: an actor whose RSA-3072 key has a ~3072-bit public exponent made
every forged request cost ~10 ms of CPU on the event loop (a normal verify: 0.03 ms)."""

from __future__ import annotations

import secrets
from functools import lru_cache

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from pubhub.activitypub.signatures import load_public_key
from pubhub.errors import SignatureError
from tests.support.inbox import assert_refused


@pytest.fixture
def inbox(instance, gemeente):
    return f"{instance.base}/users/gemeente/inbox"


def pem_of(public_key) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def rsa_pem(modulus: int, exponent: int) -> str:
    """An RSA public key with these numbers (no private key needed: the attacker forges)."""
    return pem_of(rsa.RSAPublicNumbers(exponent, modulus).public_key())


def odd_number(bits: int) -> int:
    return (1 << (bits - 1)) | secrets.randbits(bits - 1) | 1


def alice_modulus(alice) -> int:
    return alice.key.public_key().public_numbers().n


@lru_cache(maxsize=None)
def rsa_4096():
    return rsa.generate_private_key(public_exponent=65537, key_size=4096)


def follow_of(peer, actor, instance) -> dict:
    return peer.activity("Follow", actor, f"{instance.base}/users/gemeente")


@pytest.mark.parametrize("make_pem, reason", [
    (lambda alice: rsa_pem(alice_modulus(alice), odd_number(2047)), "public exponent is not 65537"),
    (lambda alice: rsa_pem(alice_modulus(alice), 3), "public exponent is not 65537"),
    (lambda alice: rsa_pem(odd_number(8192), 65537), "longer than 4096 bits"),
    (lambda alice: rsa_pem(odd_number(4097), 65537), "longer than 4096 bits"),
    (lambda alice: pem_of(ed25519.Ed25519PrivateKey.generate().public_key()), "not an RSA key"),
], ids=["2047-bit exponent", "exponent 3", "RSA-8192", "RSA-4097", "Ed25519"])
async def test_an_actor_with_a_costly_or_unsound_key_cannot_sign(instance, peer, alice, inbox, make_pem, reason):
    alice.public_pem = make_pem(alice)  # what alice's document now lists; the forger signs with anything
    result = await peer.post(inbox, follow_of(peer, alice, instance), alice)
    await assert_refused(instance, peer, result, reason)
    assert "the signer's key is unusable" in result[1]["error"]


async def test_a_refused_key_is_refused_again_from_the_cache_with_the_same_reason(instance, peer, alice, inbox):
    alice.public_pem = rsa_pem(alice_modulus(alice), odd_number(2047))
    for _ in range(3):
        status, payload = await peer.post(inbox, follow_of(peer, alice, instance), alice)
        assert (status, "public exponent is not 65537" in payload["error"]) == (401, True)


async def test_rsa_4096_with_exponent_65537_is_accepted(instance, peer, alice, inbox):
    alice.key = rsa_4096()
    alice.public_pem = pem_of(alice.key.public_key())
    status, payload = await peer.post(inbox, follow_of(peer, alice, instance), alice)
    assert status == 202, payload


# ---- the rule on its own --------------------------------------------------------------------

def _public_pem(exponent: int, modulus_bits: int) -> str:
    return rsa_pem((1 << (modulus_bits - 1)) | (2**64 + 1), exponent)  # odd, exactly modulus_bits long


@pytest.mark.parametrize("bits", [2048, 3072, 4096])
def test_rsa_keys_of_2048_to_4096_bits_with_exponent_65537_are_usable(bits):
    assert load_public_key(_public_pem(65537, bits)).key_size == bits


@pytest.mark.parametrize("exponent, bits, reason", [
    (65537, 2047, "shorter than 2048 bits"),
    (65537, 4097, "longer than 4096 bits"),
    (3, 2048, "exponent is not 65537"),
    (65539, 2048, "exponent is not 65537"),
    ((1 << 2046) | 1, 2048, "exponent is not 65537"),
], ids=["2047 bits", "4097 bits", "exponent 3", "exponent 65539", "2047-bit exponent"])
def test_costly_or_weak_rsa_keys_are_unusable_with_the_reason(exponent, bits, reason):
    pem = _public_pem(exponent, bits)
    for _ in range(2):  # the refusal is cached, and says the same the second time
        with pytest.raises(SignatureError, match=f"^the signer's key is unusable: its RSA .*{reason}"):
            load_public_key(pem)
