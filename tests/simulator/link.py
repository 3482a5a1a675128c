"""A gurux client wired to a server without sockets: each request's bytes go to exchange(), each
reply's bytes back to the client, exactly as they would travel over TCP."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from gurux_dlms import GXByteBuffer, GXDLMSClient, GXReplyData
from gurux_dlms.enums import Authentication, InterfaceType, Security
from gurux_dlms.secure import GXDLMSSecureClient

from simulator.meter import MeterConfig, SimulatedMeter

START = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)  # a Monday
CLIENT_TITLE = b"HESCORE1"


class DlmsError(Exception):
    def __init__(self, error: int) -> None:
        super().__init__(f"DLMS error {error}")
        self.error = error


class Link:
    def __init__(self, exchange: Callable[[bytes], bytes | None], client: GXDLMSClient) -> None:
        self.exchange = exchange
        self.client = client
        self.frames: list[tuple[bytes, bytes | None]] = []  # (request, reply) as sent

    def run(self, requests: list[Any]) -> GXReplyData:
        """Send requests (following block transfer); the last reply's data. Raises DlmsError on an error."""
        reply = GXReplyData()
        for request in requests:
            while True:
                answer = self.exchange(bytes(request))
                self.frames.append((bytes(request), answer))
                if answer is None:
                    raise DlmsError(-1)
                self.client.getData(GXByteBuffer(answer), reply, None)
                if not reply.isMoreData():
                    break
                request = self.client.receiverReady(reply)
        if reply.error:
            raise DlmsError(reply.error)
        return reply

    def associate(self) -> None:
        self.client.parseAareResponse(self.run(self.client.aarqRequest()).data)
        if self.client.authentication > Authentication.LOW:
            self.client.parseApplicationAssociationResponse(
                self.run(self.client.getApplicationAssociationRequest()).data)

    def read(self, obj: Any, index: int) -> Any:
        reply = self.run(self.client.read(obj, index))
        self.client.updateValue(obj, index, reply.value)
        return obj.getValues()[index - 1]

    def release(self) -> None:
        self.run(self.client.releaseRequest())


def management_client(password: str = "00000000") -> GXDLMSClient:
    return GXDLMSClient(True, 1, 1, Authentication.LOW, password, InterfaceType.WRAPPER)


def public_client() -> GXDLMSClient:
    return GXDLMSClient(True, 16, 1, Authentication.NONE, None, InterfaceType.WRAPPER)


def hls_client(block_key: bytes, auth_key: bytes, invocation_counter: int = 1) -> GXDLMSSecureClient:
    client = GXDLMSSecureClient(True, 1, 1, Authentication.HIGH_GMAC, None, InterfaceType.WRAPPER)
    client.ciphering.security = Security.AUTHENTICATION_ENCRYPTION
    client.ciphering.systemTitle = bytearray(CLIENT_TITLE)
    client.ciphering.blockCipherKey = bytearray(block_key)
    client.ciphering.authenticationKey = bytearray(auth_key)
    client.ciphering.invocationCounter = invocation_counter
    return client


class FakeClock:
    """The meter's notion of now, moved by the test."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_meter(number: str = "04312000001", scenario: str = "normal", clock: FakeClock | None = None,
               **config: Any) -> SimulatedMeter:
    clock = clock or FakeClock()
    return SimulatedMeter(MeterConfig(number, scenario=scenario, seed=config.pop("seed", 11), **config),
                          epoch=clock.now, now=clock)
