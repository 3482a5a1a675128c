"""The meter side of an exchange, built from gurux's server-side encoders (GXDLMSSettings(isServer=True)).

GXDLMSServer 1.0.203 cannot run these exchanges (wrong callback arguments, block transfer answered
with hardware-fault, `setUInt8()` without a value when it writes the AARE system title), so replies
are produced the way it would produce them: `_GXAPDU` parses the AARQ, `GXDLMS.getLnMessages`
frames (and ciphers) the responses, `GXSecure.secure` computes the HLS-GMAC answer. Only the
HLS-GMAC AARE envelope is written by hand, around a user-information gurux ciphers.
"""
from __future__ import annotations

import contextlib
import io
from typing import Any

from gurux_dlms import GXByteBuffer, GXCiphering, GXDLMSSettings
from gurux_dlms._GXAPDU import _GXAPDU
from gurux_dlms.AesGcmParameter import AesGcmParameter
from gurux_dlms.enums import (
    AssociationResult,
    Authentication,
    Command,
    DataType,
    InterfaceType,
    Security,
    SourceDiagnostic,
)
from gurux_dlms.GXDLMS import GXDLMS
from gurux_dlms.GXDLMSChippering import GXDLMSChippering
from gurux_dlms.GXDLMSLNParameters import GXDLMSLNParameters
from gurux_dlms.GXSecure import GXSecure
from gurux_dlms.internal._GXCommon import _GXCommon

from chalicelib.dlms import wrapper

METER_TITLE = b"GRX00001"
STOC = bytes(range(0x40, 0x50))
BLOCK_CIPHER_KEY = bytes(range(16))
AUTHENTICATION_KEY = bytes(range(0xD0, 0xE0))


class MeterReplies:
    """Replies of one meter; `keys` turns on HLS-GMAC with authenticated encryption."""

    def __init__(self, client_address: int = 16, server_address: int = 1, *, keys: bool = False,
                 invocation_counter: int = 9000, max_pdu_size: int = 0xFFFF) -> None:
        settings = self.settings = GXDLMSSettings(True, None)
        settings.interfaceType = InterfaceType.WRAPPER
        settings.setUseLogicalNameReferencing(True)
        settings.clientAddress, settings.serverAddress = client_address, server_address
        self.max_pdu_size = max_pdu_size
        if keys:
            settings.cipher = GXCiphering(METER_TITLE)
            settings.cipher.blockCipherKey = BLOCK_CIPHER_KEY
            settings.cipher.authenticationKey = AUTHENTICATION_KEY
            settings.cipher.security = Security.AUTHENTICATION_ENCRYPTION
            settings.cipher.invocationCounter = invocation_counter

    @property
    def ciphered(self) -> bool:
        return self.settings.cipher is not None

    def aare(self, aarq_frame: bytes, result: int = AssociationResult.ACCEPTED,
             diagnostic: int = SourceDiagnostic.NONE) -> bytes:
        """Parse the AARQ as a gurux server does and answer its AARE."""
        with contextlib.redirect_stdout(io.StringIO()):  # gurux prints on every decrypt
            _GXAPDU.parsePDU(self.settings, self.settings.cipher, GXByteBuffer(_apdu(aarq_frame)), None)
        self.settings.maxPduSize = min(self.settings.maxPduSize, self.max_pdu_size)
        if self.settings.authentication == Authentication.HIGH_GMAC:
            self.settings.setStoCChallenge(STOC)
            return self._frame(self._hls_aare())
        buff = GXByteBuffer()
        _GXAPDU.generateAARE(self.settings, buff, result, diagnostic, None, None, None)
        return self._frame(bytes(buff.array()))

    def _hls_aare(self) -> bytes:
        user_information = bytes(_GXAPDU.getUserInformation(self.settings, self.settings.cipher))
        self.settings.cipher.invocationCounter += 1
        fields = [
            bytes.fromhex("a109060760857405080103"),  # logical name referencing with ciphering
            bytes.fromhex("a203020100"),  # accepted
            bytes.fromhex("a305a10302010e"),  # authentication required
            bytes([0xA4, 10, 0x04, 8]) + METER_TITLE,
            bytes.fromhex("88020780"),
            bytes.fromhex("890760857405080205"),  # HIGH_GMAC
            bytes([0xAA, 2 + len(STOC), 0x80, len(STOC)]) + STOC,
            bytes([0xBE, 2 + len(user_information), 0x04, len(user_information)]) + user_information,
        ]
        body = b"".join(fields)
        return bytes([0x61, len(body)]) + body

    def hls_answer(self, action_frame: bytes) -> bytes:
        """Check the client's f(StoC) and answer f(CtoS), as the association object does."""
        request = self._plain(action_frame)
        client_answer = request[-17:]  # octet-string: SC, IC, 12-octet GMAC
        expected = GXSecure.secure(self.settings, self.settings.cipher, int.from_bytes(client_answer[1:5], "big"),
                                   self.settings.stoCChallenge, self.settings.sourceSystemTitle)
        if bytes(expected) != client_answer:
            return self.action(action_frame, result=13)
        answer = GXSecure.secure(self.settings, self.settings.cipher, self.settings.cipher.invocationCounter,
                                 self.settings.ctoSChallenge, METER_TITLE)
        self.settings.cipher.invocationCounter += 1
        return self.action(action_frame, DataType.OCTET_STRING, bytes(answer))

    def get(self, request_frame: bytes, data_type: int, value: Any) -> list[bytes]:
        """GET-Response(s) carrying `value`; several data blocks when it exceeds the PDU size."""
        body = GXByteBuffer()
        _GXCommon.setData(self.settings, body, data_type, value)
        return self._responses(request_frame, Command.GET_RESPONSE, body, 0)

    def get_error(self, request_frame: bytes, code: int) -> bytes:
        (frame,) = self._responses(request_frame, Command.GET_RESPONSE, None, code)
        return frame

    def set(self, request_frame: bytes, result: int = 0) -> bytes:
        (frame,) = self._responses(request_frame, Command.SET_RESPONSE, None, result)
        return frame

    def action(self, request_frame: bytes, data_type: int | None = None, value: Any = None, result: int = 0) -> bytes:
        body = GXByteBuffer()
        if data_type is not None:
            body.setUInt8(1)  # return parameters present
            body.setUInt8(0)  # data
            _GXCommon.setData(self.settings, body, data_type, value)
        (frame,) = self._responses(request_frame, Command.METHOD_RESPONSE, body, result)
        return frame

    def release(self) -> bytes:
        return self._frame(bytes.fromhex("6303800100"))

    def push(self, apdu: bytes) -> bytes:
        return self._frame(apdu)

    def _responses(self, request_frame: bytes, command: int, body: GXByteBuffer | None, status: int) -> list[bytes]:
        invoke_id = self._plain(request_frame)[2]
        self.settings.maxPduSize = self.max_pdu_size
        self.settings.resetBlockIndex()
        params = GXDLMSLNParameters(self.settings, invoke_id, command, 1, None, body, status)
        with contextlib.redirect_stdout(io.StringIO()):
            return [bytes(frame) for frame in GXDLMS.getLnMessages(params)]

    def _plain(self, request_frame: bytes) -> bytes:
        apdu = _apdu(request_frame)
        if apdu[0] in (0xC8, 0xC9, 0xCB, 0xDB):  # deciphered by gurux, as a meter running gurux would
            cipher = self.settings.cipher
            params = AesGcmParameter(0, self.settings.sourceSystemTitle, cipher.blockCipherKey,
                                     cipher.authenticationKey)
            with contextlib.redirect_stdout(io.StringIO()):
                apdu = bytes(GXDLMSChippering.decryptAesGcm(self.settings, params, GXByteBuffer(apdu)))
        return apdu

    def _frame(self, apdu: bytes) -> bytes:
        return wrapper.encode(self.settings.serverAddress, self.settings.clientAddress, apdu)


def _apdu(frame: bytes) -> bytes:
    _, parsed = wrapper.parse(frame, max_payload=0xFFFF)
    assert parsed is not None
    return parsed.payload
