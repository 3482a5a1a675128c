"""AES-GCM with `cryptography` against gurux's own AES-GCM, both ways, in the three security modes."""
from __future__ import annotations

import contextlib
import io

import pytest
from gurux_dlms import GXByteBuffer, GXCiphering, GXDLMSNotify, GXDLMSSettings
from gurux_dlms.AesGcmParameter import AesGcmParameter
from gurux_dlms.enums import DataType, InterfaceType, Security
from gurux_dlms.GXDLMSChippering import GXDLMSChippering
from gurux_dlms.internal._GXCommon import _GXCommon

from chalicelib.dlms.errors import SecurityError
from chalicelib.dlms.security import SecurityKeys, decrypt, encrypt, is_ciphered
from tests.dlms.meter_replies import AUTHENTICATION_KEY, BLOCK_CIPHER_KEY, METER_TITLE

HES = SecurityKeys(BLOCK_CIPHER_KEY, AUTHENTICATION_KEY, b"HES00001")
METER = SecurityKeys(BLOCK_CIPHER_KEY, AUTHENTICATION_KEY, METER_TITLE)
GET_RESPONSE = bytes.fromhex("c401c100060000007b")
MODES = [Security.AUTHENTICATION_ENCRYPTION, Security.AUTHENTICATION, Security.ENCRYPTION]


def gurux_encrypt(plain: bytes, security: int, counter: int, tag: int = 0xCC) -> bytes:
    params = AesGcmParameter(tag, METER_TITLE, BLOCK_CIPHER_KEY, AUTHENTICATION_KEY)
    params.security, params.invocationCounter = security, counter
    return bytes(GXDLMSChippering.encryptAesGcm(params, plain))


@pytest.mark.parametrize("security", MODES, ids=["auth+enc", "auth", "enc"])
def test_we_decipher_what_gurux_ciphers(security: int) -> None:
    deciphered = decrypt(gurux_encrypt(GET_RESPONSE, security, 77), HES, METER_TITLE)
    assert (deciphered.apdu, deciphered.invocation_counter, deciphered.system_title) == (GET_RESPONSE, 77, METER_TITLE)


@pytest.mark.parametrize("security", MODES, ids=["auth+enc", "auth", "enc"])
def test_gurux_deciphers_what_we_cipher(security: int) -> None:
    ours = encrypt(GET_RESPONSE, METER, 78, control=int(security))
    settings = GXDLMSSettings(False, None)
    settings.cipher = GXCiphering(b"HES00001")
    params = AesGcmParameter(0, METER_TITLE, BLOCK_CIPHER_KEY, AUTHENTICATION_KEY)
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        plain = GXDLMSChippering.decryptAesGcm(settings, params, GXByteBuffer(ours))
    assert bytes(plain) == GET_RESPONSE
    assert "applied" in printed.getvalue()  # the chatter we avoid by deciphering ourselves


def test_a_ciphered_push_in_general_glo_ciphering_carries_its_own_system_title() -> None:
    notify = GXDLMSNotify(True, 1, 16, InterfaceType.PDU)
    cipher = notify.settings.cipher = GXCiphering(METER_TITLE)
    cipher.blockCipherKey, cipher.authenticationKey = BLOCK_CIPHER_KEY, AUTHENTICATION_KEY
    cipher.security, cipher.invocationCounter = Security.AUTHENTICATION_ENCRYPTION, 42
    body = GXByteBuffer()
    body.setUInt8(DataType.STRUCTURE)
    body.setUInt8(1)
    _GXCommon.setData(notify.settings, body, DataType.UINT32, 5)
    (apdu,) = notify.generateDataNotificationMessages(None, body)
    assert is_ciphered(bytes(apdu)) and bytes(apdu)[0] == 0xDB
    deciphered = decrypt(bytes(apdu), HES, None)
    assert deciphered.apdu == bytes.fromhex("0fc000000100020106 00000005".replace(" ", ""))
    assert (deciphered.invocation_counter, deciphered.system_title) == (42, METER_TITLE)


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda a: a[:-1] + bytes([a[-1] ^ 1]), "authentication tag does not match"),
        (lambda a: a[:8] + bytes([a[8] ^ 1]) + a[9:], "authentication tag does not match"),
        (lambda a: a[:10], "truncated"),
        (lambda a: bytes([0xD4]) + a[1:], "dedicated-key"),
        (lambda a: bytes([0xC4]) + a[1:], "not a ciphered APDU"),
        (lambda a: a[:2] + bytes([0x33]) + a[3:], "security control 0x33"),
    ],
    ids=["tag", "ciphertext", "cut", "dedicated", "plaintext tag", "suite 3"],
)
def test_bad_ciphered_apdus_raise_security_error(mangle, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SecurityError, match=message):
        decrypt(mangle(gurux_encrypt(GET_RESPONSE, Security.AUTHENTICATION_ENCRYPTION, 5)), HES, METER_TITLE)


def test_other_keys_or_an_unknown_sender_cannot_decipher() -> None:
    apdu = gurux_encrypt(GET_RESPONSE, Security.AUTHENTICATION_ENCRYPTION, 5)
    with pytest.raises(SecurityError, match="tag does not match"):
        decrypt(apdu, SecurityKeys(bytes(16), AUTHENTICATION_KEY, b"HES00001"), METER_TITLE)
    with pytest.raises(SecurityError, match="tag does not match"):
        decrypt(apdu, HES, b"OTHER001")
    with pytest.raises(SecurityError, match="system title is unknown"):
        decrypt(apdu, HES, None)


def test_a_tag_that_does_not_match_its_plaintext_is_refused() -> None:
    with pytest.raises(SecurityError, match="carries plaintext tag 0xC5"):
        decrypt(gurux_encrypt(bytes.fromhex("c501c100"), Security.AUTHENTICATION_ENCRYPTION, 5), HES, METER_TITLE)


def test_long_apdus_use_long_form_lengths_both_ways() -> None:
    plain = bytes.fromhex("c401c10009820200") + bytes(512)
    assert decrypt(gurux_encrypt(plain, Security.AUTHENTICATION_ENCRYPTION, 9), HES, METER_TITLE).apdu == plain
    assert decrypt(encrypt(plain, METER, 10), HES, METER_TITLE).apdu == plain
