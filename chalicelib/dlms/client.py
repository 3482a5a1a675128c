"""A sans-IO DLMS/COSEM client session: logical name referencing over the WRAPPER, built on gurux's client.

Methods that start an exchange return the WRAPPER frame to send; `receive` takes each frame that
comes back and answers a Step: another frame to send (the next block, the HLS pass 3 request),
a push that arrived meanwhile, or the final Result. Nothing here touches a socket or a clock:

    session = ClientSession(config)
    outgoing = session.associate()
    while outgoing:
        step = session.receive(await transport.exchange(outgoing))
        outgoing = step.send
    assert step.result.ok

Ciphered replies are checked and deciphered with `cryptography` (security.py) and handed to gurux
as plaintext; requests are still ciphered by gurux, whose invocation counter is `invocation_counter`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, Literal

from gurux_dlms import GXByteBuffer, GXDateTime, GXDLMSClient, GXReplyData
from gurux_dlms.enums import Authentication, DataType, InterfaceType, Security
from gurux_dlms.objects import GXDLMSProfileGeneric
from gurux_dlms.secure import GXDLMSSecureClient

from chalicelib.dlms import acse, security, wrapper
from chalicelib.dlms.cosem_values import plain
from chalicelib.dlms.errors import DecodeError, DlmsError, SecurityError
from chalicelib.dlms.obis import normalise_obis
from chalicelib.dlms.outcomes import Result, failure_from_code, failure_from_gurux
from chalicelib.dlms.security import SecurityKeys

AuthenticationName = Literal["none", "low", "hls-gmac"]
_AUTHENTICATION = {"none": Authentication.NONE, "low": Authentication.LOW, "hls-gmac": Authentication.HIGH_GMAC}
_PUSH_TAGS = frozenset({0x0F, 0xC2})  # data-notification, event-notification
_PHASES = Literal["aare", "hls", "get", "set", "action", "release"]


@dataclass(frozen=True)
class SessionConfig:
    client_address: int = 16
    server_address: int = 1
    authentication: AuthenticationName = "none"
    password: bytes | None = field(default=None, repr=False)  # low-level security
    keys: SecurityKeys | None = None  # HLS-GMAC: authenticated and encrypted xDLMS APDUs
    invocation_counter: int = 0  # the next frame counter to use; persist `ClientSession.invocation_counter`
    meter_counter: int = -1  # the last frame counter accepted from the meter (a reply at or below it is a replay)
    max_pdu_size: int = 0xFFFF

    def __post_init__(self) -> None:
        if self.authentication not in _AUTHENTICATION:
            raise ValueError(f"authentication must be one of {', '.join(_AUTHENTICATION)}")
        if self.authentication == "low" and not self.password:
            raise ValueError("low-level security needs a password")
        if self.authentication == "hls-gmac" and self.keys is None:
            raise ValueError("HLS-GMAC needs the block cipher key, authentication key and client system title")
        if not 0 <= self.invocation_counter <= 0xFFFFFFFF:
            raise ValueError("invocation counter must fit in 32 bits")
        if not -1 <= self.meter_counter <= 0xFFFFFFFF:
            raise ValueError("the meter's invocation counter must fit in 32 bits (-1: none seen yet)")


@dataclass(frozen=True, slots=True)
class Step:
    send: bytes | None = None  # the next frame to send in this exchange
    result: Result | None = None  # set when the exchange is over
    push: bytes | None = None  # a (plaintext) push APDU that arrived during the exchange


class ClientSession:
    """One association with one meter; not thread-safe, one exchange at a time."""

    def __init__(self, config: SessionConfig, local_tz: tzinfo = UTC) -> None:
        self.config, self._local_tz = config, local_tz
        self._client = _gurux_client(config)
        self._phase: _PHASES | None = None
        self._reply = GXReplyData()
        self._meter_title: bytes | None = None
        self._meter_counter = config.meter_counter
        self.associated = False

    @property
    def invocation_counter(self) -> int:
        """The next frame counter this client will use; store it, a meter refuses a reused one."""
        return int(self._client.ciphering.invocationCounter)

    @property
    def meter_invocation_counter(self) -> int:
        """The last frame counter accepted from the meter (-1 before any); store it, a lower one is a replay."""
        return self._meter_counter

    @property
    def meter_system_title(self) -> bytes | None:
        return self._meter_title

    def associate(self) -> bytes:
        """The AARQ; answer its AARE (and, with HLS, the reply to pass 3) to `receive`."""
        self._meter_counter = max(self._meter_counter, self.config.meter_counter)
        self.associated, self._phase = False, None
        return self._start("aare", self._client.aarqRequest())

    def get(self, obis: str, class_id: int, attribute: int, access: bytes | None = None) -> bytes:
        """GET-Request-Normal; `access` is an encoded access selector and parameters (selective access).

        Any class id goes (vendor classes too); OBIS codes may be in any form normalise_obis accepts.
        """
        return self._start("get", self._client._read(normalise_obis(obis), class_id, attribute, access))

    def get_range(self, obis: str, start: datetime, end: datetime) -> bytes:
        """GET a profile generic's buffer (attribute 2) restricted by the clock column to [start, end]."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be aware datetimes (gurux would assume the host's zone)")
        profile = GXDLMSProfileGeneric(normalise_obis(obis))
        return self._start("get", self._client.readRowsByRange(profile, start, end))

    def set(self, obis: str, class_id: int, attribute: int, value: Any, data_type: int) -> bytes:
        """SET-Request-Normal of `value` encoded as the gurux DataType `data_type` (see data_type_of)."""
        encoded = _encodable(value, data_type)
        # GXDLMSClient.write wants a COSEM object; its private twin takes the parts.
        return self._start("set", self._client._GXDLMSClient__write(normalise_obis(obis), encoded, data_type,
                                                                    class_id, attribute))

    def action(self, obis: str, class_id: int, method: int, value: Any = 0, data_type: int = DataType.INT8) -> bytes:
        """ACTION-Request-Normal with one parameter (disconnect/reconnect take integer 0)."""
        encoded = _encodable(value, data_type)
        # GXDLMSClient.method is declared a classmethod in 1.0.203 and cannot run; call what it wraps.
        return self._start("action", self._client._GXDLMSClient__method(normalise_obis(obis), class_id, method,
                                                                       encoded, data_type))

    def release(self) -> bytes:
        """The RLRQ closing the association."""
        if not self.associated:
            raise DlmsError("no association to release")
        return self._start("release", self._client.releaseRequest())

    def receive(self, frame: bytes) -> Step:
        """Take one complete WRAPPER frame from the meter; answer what to do next.

        What the meter answered, errors included, comes back as a Result. A DlmsError (a frame that
        is not one WRAPPER frame, a reply that fails authentication or replays a counter) means the
        stream cannot be trusted: close the connection.
        """
        if self._phase is None:
            raise DlmsError("received a frame while no exchange is in progress")
        consumed, parsed = wrapper.parse(frame, max_payload=wrapper.MAX_PAYLOAD)
        if parsed is None or consumed != len(frame):
            raise DecodeError("receive() takes exactly one complete WRAPPER frame")
        apdu = parsed.payload
        if security.is_ciphered(apdu):
            apdu = self._decipher(apdu)
        if apdu and apdu[0] in _PUSH_TAGS:
            return Step(push=apdu)
        if apdu and apdu[0] == acse.AARE:
            apdu = self._plain_aare(apdu)
        try:
            self._client.getData(GXByteBuffer(wrapper.encode(parsed.source, parsed.destination, apdu)), self._reply)
        except Exception as exc:  # noqa: BLE001 - gurux reports meter errors and malformed replies as exceptions
            return self._finish(failure_from_gurux(exc))
        if self._reply.isMoreData():
            return Step(send=bytes(self._client.receiverReady(self._reply)))
        return self._complete()

    def _start(self, phase: _PHASES, frames: list[Any] | None) -> bytes:
        if self._phase is not None and (self._phase, phase) != ("aare", "hls"):
            raise DlmsError(f"a {self._phase} exchange is still in progress")
        if not frames or len(frames) != 1:
            raise DlmsError("the request does not fit one PDU (SET/ACTION with block transfer is not supported)")
        self._phase, self._reply = phase, GXReplyData()
        return bytes(frames[0])

    def _complete(self) -> Step:
        reply, phase = self._reply, self._phase
        try:
            if phase == "aare":
                self._client.parseAareResponse(reply.data)
                if self._client.getIsAuthenticationRequired():
                    return Step(send=self._start("hls", self._client.getApplicationAssociationRequest()))
                self.associated = True
                return self._finish(Result.success())
            if phase == "hls":
                if reply.error:  # the meter did not accept our f(StoC)
                    return self._finish(Result.failure("access denied", "the meter refused our HLS answer"))
                self._client.parseApplicationAssociationResponse(reply.data)
                self.associated = True
                return self._finish(Result.success())
        except Exception as exc:  # noqa: BLE001 - rejected associations and failed HLS come as exceptions
            return self._finish(failure_from_gurux(exc))
        if phase == "release":
            self.associated = False
            return self._finish(Result.success())
        if reply.error:
            return self._finish(failure_from_code(int(reply.error)))
        value = None if phase == "set" else plain(reply.value, self._local_tz)
        return self._finish(Result.success(value))

    def _finish(self, result: Result) -> Step:
        if self._phase in ("aare", "hls") and not result.ok:
            self.associated = False
        self._phase, self._reply = None, GXReplyData()
        return Step(result=result)

    def _decipher(self, apdu: bytes) -> bytes:
        if self.config.keys is None:
            raise SecurityError(f"ciphered APDU (tag 0x{apdu[0]:02X}) but the session has no keys")
        deciphered = security.decrypt(apdu, self.config.keys, self._meter_title)
        if deciphered.system_title == self._meter_title or self._meter_title is None:
            if deciphered.invocation_counter <= self._meter_counter:
                raise SecurityError(f"meter invocation counter {deciphered.invocation_counter} is not above "
                                    f"{self._meter_counter}: replayed APDU")
            self._meter_counter = deciphered.invocation_counter
        return deciphered.apdu

    def _plain_aare(self, aare: bytes) -> bytes:
        self._meter_title = acse.responding_system_title(aare) or self._meter_title
        inner = acse.user_information(aare)
        if inner and security.is_ciphered(inner):
            return acse.replace_user_information(aare, self._decipher)
        return aare


def _gurux_client(config: SessionConfig) -> GXDLMSClient:
    client = GXDLMSSecureClient(True, config.client_address, config.server_address,
                                _AUTHENTICATION[config.authentication], config.password, InterfaceType.WRAPPER)
    client.maxReceivePDUSize = config.max_pdu_size
    if config.keys is not None:
        client.ciphering.security = Security.AUTHENTICATION_ENCRYPTION
        client.ciphering.systemTitle = bytes(config.keys.system_title)
        client.ciphering.blockCipherKey = bytes(config.keys.block_cipher_key)
        client.ciphering.authenticationKey = bytes(config.keys.authentication_key)
    client.ciphering.invocationCounter = config.invocation_counter
    return client


def _encodable(value: Any, data_type: int) -> Any:
    if data_type == DataType.OCTET_STRING:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("a date-time to write must be aware (gurux would assume the host's zone)")
            return GXDateTime(value)
        if isinstance(value, str):  # gurux would parse the text as hex
            raise TypeError("octet-string values must be bytes, not str")
    return value
