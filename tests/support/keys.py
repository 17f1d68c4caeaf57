"""RSA keys for test actors: a small pool, made once per run (key generation is slow)."""

from __future__ import annotations

from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@lru_cache(maxsize=None)
def key_pair(index: int) -> tuple[rsa.RSAPrivateKey, str]:
    """(private key, public PEM) number `index`; the same index gives the same key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return key, public_pem
