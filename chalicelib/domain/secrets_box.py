"""Meter secrets (passwords, keys) sealed with AES-GCM under a master secret from the settings.

Stored values are `v1:<nonce hex>:<ciphertext hex>`; without the master secret they are useless,
and the API never returns them.
"""
from __future__ import annotations

import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class SecretBox:
    def __init__(self, master_secret: str) -> None:
        self._aead = AESGCM(hashlib.sha256(("hes-meter-keys|" + master_secret).encode()).digest())

    def seal(self, plaintext: bytes, context: str) -> str:
        nonce = os.urandom(12)
        return f"v1:{nonce.hex()}:{self._aead.encrypt(nonce, plaintext, context.encode()).hex()}"

    def open(self, sealed: str, context: str) -> bytes:
        try:
            version, nonce, body = sealed.split(":")
            if version != "v1":
                raise ValueError(version)
            return self._aead.decrypt(bytes.fromhex(nonce), bytes.fromhex(body), context.encode())
        except (ValueError, InvalidTag):
            raise ValueError("a sealed meter secret could not be opened (wrong master secret?)") from None
