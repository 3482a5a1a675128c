"""DLMS security suite 0 (AES-128-GCM) with `cryptography`: glo-ciphered APDUs and HLS-GMAC.

gurux-dlms ships its own pure-Python AES-GCM, which is slow and prints to stdout on every
decrypt; the simulator uses these functions wherever it ciphers or deciphers itself.
"""
from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

AUTHENTICATION = 0x10
ENCRYPTION = 0x20
AUTHENTICATED_ENCRYPTION = 0x30
GENERAL_GLO_CIPHERING = 0xDB
TAG_LENGTH = 12


class CipherError(ValueError):
    """A ciphered APDU could not be authenticated or deciphered."""


def _nonce(system_title: bytes, invocation_counter: int) -> bytes:
    if len(system_title) != 8:
        raise CipherError("system title must be 8 bytes")
    return bytes(system_title) + invocation_counter.to_bytes(4, "big")


def _length(n: int) -> bytes:
    """A-XDR length: one byte below 0x80, else 0x81/0x82 followed by the length."""
    if n < 0x80:
        return bytes([n])
    if n <= 0xFF:
        return bytes([0x81, n])
    return bytes([0x82]) + n.to_bytes(2, "big")


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    return int.from_bytes(data[pos + 1:pos + 1 + size], "big"), pos + 1 + size


def gmac(block_key: bytes, auth_key: bytes, system_title: bytes, invocation_counter: int, challenge: bytes) -> bytes:
    """HLS-GMAC f(challenge) = SC || IC || GMAC(SC || AK || challenge), the 12-byte tag."""
    sc = bytes([AUTHENTICATION])
    tag = AESGCM(bytes(block_key)).encrypt(_nonce(system_title, invocation_counter), b"",
                                           sc + bytes(auth_key) + bytes(challenge))[:TAG_LENGTH]
    return sc + invocation_counter.to_bytes(4, "big") + tag


def protect(security: int, block_key: bytes, auth_key: bytes, system_title: bytes, invocation_counter: int,
            plaintext: bytes) -> bytes:
    """SC || IC || ciphered content || tag, the protected part of a ciphered APDU."""
    sc = bytes([security])
    aesgcm = AESGCM(bytes(block_key))
    nonce = _nonce(system_title, invocation_counter)
    if security == AUTHENTICATION:
        body = bytes(plaintext) + aesgcm.encrypt(nonce, b"", sc + bytes(auth_key) + bytes(plaintext))[:TAG_LENGTH]
    elif security == AUTHENTICATED_ENCRYPTION:
        sealed = aesgcm.encrypt(nonce, bytes(plaintext), sc + bytes(auth_key))
        body = sealed[:-16] + sealed[-16:-16 + TAG_LENGTH]
    else:
        raise CipherError(f"security control 0x{security:02x} is not supported")
    return sc + invocation_counter.to_bytes(4, "big") + body


def unprotect(block_key: bytes, auth_key: bytes, system_title: bytes, protected: bytes) -> tuple[bytes, int, int]:
    """Check and open SC || IC || content || tag; return (plaintext, security control, invocation counter)."""
    if len(protected) < 5 + TAG_LENGTH:
        raise CipherError("ciphered content too short")
    security, invocation_counter = protected[0], int.from_bytes(protected[1:5], "big")
    content, tag = bytes(protected[5:-TAG_LENGTH]), bytes(protected[-TAG_LENGTH:])
    nonce = _nonce(system_title, invocation_counter)
    if security == AUTHENTICATION:
        aad, body = bytes([security]) + bytes(auth_key) + content, b""
    elif security == AUTHENTICATED_ENCRYPTION:
        aad, body = bytes([security]) + bytes(auth_key), content
    else:
        raise CipherError(f"security control 0x{security:02x} is not supported")
    decryptor = Cipher(algorithms.AES(bytes(block_key)), modes.GCM(nonce, tag, min_tag_length=TAG_LENGTH)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        plain = decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise CipherError("authentication tag mismatch") from exc
    return (content if security == AUTHENTICATION else plain), security, invocation_counter


def cipher_apdu(tag: int, security: int, block_key: bytes, auth_key: bytes, system_title: bytes,
                invocation_counter: int, plaintext: bytes) -> bytes:
    """A glo-ciphered APDU (e.g. glo-get-response 0xCC) around a plaintext xDLMS APDU."""
    protected = protect(security, block_key, auth_key, system_title, invocation_counter, plaintext)
    return bytes([tag]) + _length(len(protected)) + protected


def general_glo_cipher(security: int, block_key: bytes, auth_key: bytes, system_title: bytes,
                       invocation_counter: int, plaintext: bytes) -> bytes:
    """general-glo-ciphering (0xDB): carries the sender's system title, used for pushes."""
    protected = protect(security, block_key, auth_key, system_title, invocation_counter, plaintext)
    return (bytes([GENERAL_GLO_CIPHERING, len(system_title)]) + bytes(system_title)
            + _length(len(protected)) + protected)


def decipher_apdu(block_key: bytes, auth_key: bytes, system_title: bytes, apdu: bytes) -> tuple[bytes, int, int]:
    """Open a glo-ciphered APDU from the holder of system_title, or a general-glo-ciphering APDU
    (which names its sender): (plaintext, security control, invocation counter)."""
    try:
        pos = 1
        if apdu[0] == GENERAL_GLO_CIPHERING:
            system_title, pos = apdu[2:2 + apdu[1]], 2 + apdu[1]
        size, pos = _read_length(apdu, pos)
    except IndexError as exc:
        raise CipherError("APDU too short") from exc
    if pos + size != len(apdu):
        raise CipherError("APDU length mismatch")
    return unprotect(block_key, auth_key, system_title, apdu[pos:])
