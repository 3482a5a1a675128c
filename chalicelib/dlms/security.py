"""DLMS security suite 0 (AES-GCM-128) with `cryptography`, so gurux only ever sees plaintext APDUs.

Ciphered APDUs: glo-* (tag, length, SC, IC, ciphertext, 12-octet tag) and general-glo-ciphering
(tag, system title, length, SC, IC, ...). SC 0x10 authenticates the plaintext, 0x20 only encrypts,
0x30 does both. The nonce is the sender's system title and its invocation counter (IC).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from chalicelib.dlms.errors import SecurityError

TAG_SIZE = 12
AUTHENTICATION, ENCRYPTION = 0x10, 0x20
GLO_INITIATE_RESPONSE, GENERAL_GLO_CIPHERING = 0x28, 0xDB
GLOBAL_TAGS = {  # ciphered tag -> plaintext tag
    0x21: 0x01, 0x28: 0x08,  # initiate request / response
    0xC8: 0xC0, 0xC9: 0xC1, 0xCA: 0xC2, 0xCB: 0xC3,  # get, set, event-notification, action requests
    0xCC: 0xC4, 0xCD: 0xC5, 0xCF: 0xC7,  # get, set, action responses
}
DEDICATED_TAGS = frozenset({0x29, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD7, 0xDC})
CIPHERED_TAGS = frozenset(GLOBAL_TAGS) | DEDICATED_TAGS | {GENERAL_GLO_CIPHERING}


HES_SYSTEM_TITLE = b"HESCORE1"  # ours: the client system title in what the HES ciphers


def frame_counter(value: Any) -> int | None:
    """`value` as an invocation counter (a 32-bit count, as kept on a meter record), or None when it is not one."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFFFFFFFF else None


@dataclass(frozen=True, slots=True)
class SecurityKeys:
    """Suite 0 keys of one association; `system_title` is ours (the client's), 8 octets."""

    block_cipher_key: bytes
    authentication_key: bytes
    system_title: bytes

    def __post_init__(self) -> None:
        for name in ("block_cipher_key", "authentication_key"):
            if len(getattr(self, name)) != 16:
                raise ValueError(f"{name} must be 16 octets (security suite 0)")
        if len(self.system_title) != 8:
            raise ValueError("system_title must be 8 octets")

    def __repr__(self) -> str:  # never log keys
        return f"SecurityKeys(system_title={self.system_title.hex()}, keys=<redacted>)"


@dataclass(frozen=True, slots=True)
class Deciphered:
    apdu: bytes  # the plaintext APDU
    invocation_counter: int
    system_title: bytes  # the sender's, as used in the nonce


def is_ciphered(apdu: bytes) -> bool:
    return bool(apdu) and apdu[0] in CIPHERED_TAGS


def decrypt(apdu: bytes, keys: SecurityKeys, sender_title: bytes | None) -> Deciphered:
    """Check and decipher a glo-* or general-glo-ciphering APDU sent by the party whose title is `sender_title`."""
    tag = apdu[0]
    if tag in DEDICATED_TAGS:
        raise SecurityError(f"dedicated-key ciphering (tag 0x{tag:02X}) is not supported")
    pos = 1
    if tag == GENERAL_GLO_CIPHERING:
        title_length, pos = _length(apdu, pos)
        sender_title, pos = apdu[pos:pos + title_length], pos + title_length
    elif tag not in GLOBAL_TAGS:
        raise SecurityError(f"tag 0x{tag:02X} is not a ciphered APDU")
    if not sender_title or len(sender_title) != 8:
        raise SecurityError("the sender's system title is unknown, so the APDU cannot be deciphered")
    length, pos = _length(apdu, pos)
    content = apdu[pos:pos + length]
    if len(content) != length or length < 5:
        raise SecurityError("ciphered APDU is truncated")
    control, counter = content[0], int.from_bytes(content[1:5], "big")
    if control & 0x0F or control & 0xC0:
        raise SecurityError(f"security control 0x{control:02X} (suite, compression or broadcast) is not supported")
    nonce = bytes(sender_title) + content[1:5]
    body = content[5:]
    if control & AUTHENTICATION:
        if len(body) < TAG_SIZE:
            raise SecurityError("ciphered APDU is too short for its authentication tag")
        body, auth_tag = body[:-TAG_SIZE], body[-TAG_SIZE:]
    else:
        auth_tag = b""
    plaintext = _open(control, keys, nonce, body, auth_tag)
    if tag in GLOBAL_TAGS and plaintext and plaintext[0] != GLOBAL_TAGS[tag]:
        raise SecurityError(f"ciphered tag 0x{tag:02X} carries plaintext tag 0x{plaintext[0]:02X}")
    return Deciphered(plaintext, counter, bytes(sender_title))


def encrypt(plain_apdu: bytes, keys: SecurityKeys, invocation_counter: int, control: int = 0x30,
            general: bool = False) -> bytes:
    """A plaintext APDU ciphered with our system title: its glo-* form, or general-glo-ciphering when
    asked or when it has no glo-* form (a Data-Notification, for instance)."""
    ciphered_tag = next((c for c, p in GLOBAL_TAGS.items() if p == plain_apdu[0]), None)
    counter = invocation_counter.to_bytes(4, "big")
    nonce = keys.system_title + counter
    if control & ENCRYPTION:
        aad = bytes([control]) + keys.authentication_key
        encryptor = Cipher(algorithms.AES(keys.block_cipher_key), modes.GCM(nonce)).encryptor()
        if control & AUTHENTICATION:
            encryptor.authenticate_additional_data(aad)
        body = encryptor.update(plain_apdu) + encryptor.finalize()
        if control & AUTHENTICATION:
            body += encryptor.tag[:TAG_SIZE]
    else:
        body = plain_apdu + gmac(keys, nonce, bytes([control]) + keys.authentication_key + plain_apdu)
    content = bytes([control]) + counter + body
    if general or ciphered_tag is None:
        title = bytes([GENERAL_GLO_CIPHERING, len(keys.system_title)]) + keys.system_title
        return title + _encode_length(len(content)) + content
    return bytes([ciphered_tag]) + _encode_length(len(content)) + content


def gmac(keys: SecurityKeys, nonce: bytes, data: bytes) -> bytes:
    """The 12-octet GMAC over `data` (as in HLS-GMAC and authentication-only APDUs)."""
    encryptor = Cipher(algorithms.AES(keys.block_cipher_key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(data)
    encryptor.finalize()
    return encryptor.tag[:TAG_SIZE]


def _open(control: int, keys: SecurityKeys, nonce: bytes, body: bytes, auth_tag: bytes) -> bytes:
    aad = bytes([control]) + keys.authentication_key
    if not control & ENCRYPTION:  # authentication only: the tag covers SC || AK || plaintext
        if control & AUTHENTICATION and gmac(keys, nonce, aad + body) != auth_tag:
            raise SecurityError("authentication tag does not match (wrong keys or tampered APDU)")
        return body
    if not control & AUTHENTICATION:  # encryption only: GCM without the tag is CTR from counter 2
        decryptor = Cipher(algorithms.AES(keys.block_cipher_key), modes.CTR(nonce + b"\x00\x00\x00\x02")).decryptor()
        return decryptor.update(body) + decryptor.finalize()
    decryptor = Cipher(algorithms.AES(keys.block_cipher_key), modes.GCM(nonce, auth_tag, min_tag_length=TAG_SIZE)
                       ).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise SecurityError("authentication tag does not match (wrong keys or tampered APDU)") from exc


def _length(data: bytes, pos: int) -> tuple[int, int]:
    """A-XDR length at `pos`: (length, position after it)."""
    if pos >= len(data):
        raise SecurityError("ciphered APDU is truncated")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    if not 1 <= size <= 4 or pos + 1 + size > len(data):
        raise SecurityError("ciphered APDU has a malformed length")
    return int.from_bytes(data[pos + 1:pos + 1 + size], "big"), pos + 1 + size


def _encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    size = (length.bit_length() + 7) // 8
    return bytes([0x80 | size]) + length.to_bytes(size, "big")
