"""simulator/cipher.py (AES-GCM with `cryptography`) produces exactly gurux's bytes."""
from __future__ import annotations

import pytest
from gurux_dlms.AesGcmParameter import AesGcmParameter
from gurux_dlms.enums import Authentication
from gurux_dlms.GXCiphering import GXCiphering
from gurux_dlms.GXDLMSChippering import GXDLMSChippering
from gurux_dlms.GXDLMSSettings import GXDLMSSettings
from gurux_dlms.GXSecure import GXSecure

from simulator import cipher as aes

KEY, AUTH_KEY, TITLE = bytes(range(16)), bytes(range(0xD0, 0xE0)), b"HES00001"
GET_RESPONSE = bytes.fromhex("c401c1000906083034333132303030303031")


@pytest.mark.parametrize("security", [aes.AUTHENTICATION, aes.AUTHENTICATED_ENCRYPTION])
def test_ciphered_apdus_match_gurux(security: int) -> None:
    p = AesGcmParameter(0xCC, bytearray(TITLE), bytearray(KEY), bytearray(AUTH_KEY))
    p.security, p.invocationCounter = security, 77
    expected = bytes(GXDLMSChippering.encryptAesGcm(p, bytearray(GET_RESPONSE)))
    assert aes.cipher_apdu(0xCC, security, KEY, AUTH_KEY, TITLE, 77, GET_RESPONSE) == expected


@pytest.mark.parametrize("security", [aes.AUTHENTICATION, aes.AUTHENTICATED_ENCRYPTION])
def test_deciphering_returns_plaintext_security_and_counter(security: int) -> None:
    for apdu in (aes.cipher_apdu(0xCC, security, KEY, AUTH_KEY, TITLE, 9, GET_RESPONSE),
                 aes.general_glo_cipher(security, KEY, AUTH_KEY, TITLE, 9, GET_RESPONSE)):
        assert aes.decipher_apdu(KEY, AUTH_KEY, b"ignored!" if apdu[0] == 0xDB else TITLE, apdu) == (
            GET_RESPONSE, security, 9)


def test_general_glo_ciphering_names_the_sender() -> None:
    apdu = aes.general_glo_cipher(aes.AUTHENTICATED_ENCRYPTION, KEY, AUTH_KEY, TITLE, 1, GET_RESPONSE)
    assert apdu[:10] == bytes([0xDB, 8]) + TITLE
    assert apdu[10] == len(apdu) - 11 and apdu[11] == 0x30 and apdu[12:16] == bytes([0, 0, 0, 1])


@pytest.mark.parametrize("position", [-1, -13, 12])
def test_tampering_anywhere_is_detected(position: int) -> None:
    apdu = bytearray(aes.cipher_apdu(0xCC, aes.AUTHENTICATED_ENCRYPTION, KEY, AUTH_KEY, TITLE, 5, GET_RESPONSE))
    apdu[position] ^= 1
    with pytest.raises(aes.CipherError):
        aes.decipher_apdu(KEY, AUTH_KEY, TITLE, bytes(apdu))


def test_wrong_keys_and_truncated_apdus_are_refused() -> None:
    apdu = aes.cipher_apdu(0xCC, aes.AUTHENTICATION, KEY, AUTH_KEY, TITLE, 5, GET_RESPONSE)
    with pytest.raises(aes.CipherError, match="tag"):
        aes.decipher_apdu(KEY, bytes(16), TITLE, apdu)
    with pytest.raises(aes.CipherError, match="length"):
        aes.decipher_apdu(KEY, AUTH_KEY, TITLE, apdu[:-1])
    with pytest.raises(aes.CipherError, match="not supported"):
        aes.protect(aes.ENCRYPTION, KEY, AUTH_KEY, TITLE, 1, b"")


def test_hls_gmac_matches_gurux() -> None:
    settings = GXDLMSSettings(True, None)
    settings.authentication = Authentication.HIGH_GMAC
    keys = GXCiphering(bytearray(TITLE))
    keys.blockCipherKey, keys.authenticationKey = bytearray(KEY), bytearray(AUTH_KEY)
    challenge = b"0123456789abcdef"
    expected = bytes(GXSecure.secure(settings, keys, 7, bytearray(challenge), bytearray(TITLE)))
    assert aes.gmac(KEY, AUTH_KEY, TITLE, 7, challenge) == expected
