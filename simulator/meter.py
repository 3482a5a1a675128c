"""A simulated smart meter: a real DLMS/COSEM server (LN referencing, WRAPPER) over a MeterModel.

Clients: the public client (wPort 16, no authentication) may read the clock, the device
identity and the invocation counter; the management client (wPort 1) reads everything, sets
the clock and runs the relay and token methods. It authenticates with the meter password (LLS)
or, on a secured meter, with HLS-GMAC and authenticated encryption (security suite 0).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from gurux_dlms import GXDateTime
from gurux_dlms.enums import Authentication, ErrorCode, Security
from gurux_dlms.enums.AccessMode import AccessMode
from gurux_dlms.enums.MethodAccessMode import MethodAccessMode
from gurux_dlms.enums.SourceDiagnostic import SourceDiagnostic
from gurux_dlms.GXCiphering import GXCiphering
from gurux_dlms.ValueEventArgs import ValueEventArgs

from simulator import cipher as aes
from simulator import objects as ob
from simulator import wrapper
from simulator.compat import ASSOCIATION_LN, CompatServer
from simulator.consumption import SHAPES, Consumer
from simulator.feeder import Transformer, feeder_consumer
from simulator.model import EVENT_CAPACITY, PROFILE_CAPACITY, MeterModel
from simulator.scenarios import Scenario

SERVER_WPORT, MANAGEMENT_CLIENT, PUBLIC_CLIENT = 1, 1, 16
DEFAULT_PASSWORD = "00000000"
KEY_SECRET = "hes-simulator"
PUBLIC_OBJECTS = {ob.CLOCK, ob.SERIAL_NUMBER, ob.DEVICE_NAME, ob.INVOCATION_COUNTER, ASSOCIATION_LN}
WRITABLE = {(ob.CLOCK, 2), (ob.CLOCK, 3), (ob.PUSH_SETUP, 3), (ob.DISCONNECT_CONTROL, 4)}
METHODS = {(ob.DISCONNECT_CONTROL, 1), (ob.DISCONNECT_CONTROL, 2), (ob.TOKEN_GATEWAY, 1), (ASSOCIATION_LN, 1)}


def derive_key(kind: str, meter_number: str, secret: str = KEY_SECRET) -> bytes:
    """Per-meter key: the first 16 bytes of SHA-256("<kind>|<secret>|<meter number>"), kind EK or AK."""
    return hashlib.sha256(f"{kind}|{secret}|{meter_number}".encode()).digest()[:16]


def starting_counter(at: datetime) -> int:
    """A secured meter's first frame counter: a real meter keeps its counter through power cuts, and the HES
    refuses replies at or below the last one it saw, so a simulated meter that starts again must not count
    from 0. It starts from 8 per second since 2025 (below 2**32 until 2041): above any counter it could have
    used before, unless it sent more than 8 frames a second for as long as it ran."""
    return max(0, int((at - datetime(2025, 1, 1, tzinfo=UTC)).total_seconds() * 8))


def system_title(meter_number: str) -> bytes:
    """ "HES" + the meter number as a 5-byte integer (or a hash of it when it is not a number)."""
    number = int(meter_number) if meter_number.isdigit() else int.from_bytes(
        hashlib.sha256(meter_number.encode()).digest()[:5], "big")
    return b"HES" + (number % (1 << 40)).to_bytes(5, "big")


def meter_seed(meter_number: str, fleet_seed: int = 0) -> int:
    return int.from_bytes(hashlib.sha256(f"{fleet_seed}|{meter_number}".encode()).digest()[:8], "big")


@dataclass(frozen=True)
class MeterConfig:
    meter_number: str
    shape: str = "residential"
    scenario: str = "normal"
    seed: int = 0
    password: str = DEFAULT_PASSWORD
    block_cipher_key: bytes | None = None  # defaults to derive_key("EK", meter_number)
    authentication_key: bytes | None = None  # defaults to derive_key("AK", meter_number)
    utc_offset: timedelta = timedelta(0)
    feeds: tuple[MeterConfig, ...] = ()  # a check meter: the meters whose supply it measures
    transformer: Transformer | None = None  # a check meter's transformer and line losses

    @property
    def keys(self) -> tuple[bytes, bytes]:
        return (self.block_cipher_key or derive_key("EK", self.meter_number),
                self.authentication_key or derive_key("AK", self.meter_number))

    def consumer(self, epoch: datetime) -> Consumer:
        """What the meter measures: its customer's demand, or for a check meter its members' and the losses."""
        if not self.feeds:
            return Consumer(SHAPES[self.shape], self.seed, self.utc_offset)
        members = tuple((m.consumer(epoch), Scenario(m.scenario, m.seed, epoch)) for m in self.feeds)
        return feeder_consumer(self.seed, members, self.transformer or Transformer())


def utc_now() -> datetime:
    return datetime.now(UTC)


class SimulatedMeter(CompatServer):
    def __init__(self, config: MeterConfig, epoch: datetime | None = None, now: Callable[[], datetime] = utc_now,
                 history: timedelta = timedelta(days=2)) -> None:
        scenario = Scenario(config.scenario, config.seed, epoch or now())
        keys = None
        if scenario.secured:
            keys = GXCiphering(bytearray(system_title(config.meter_number)))
            keys.blockCipherKey, keys.authenticationKey = (bytearray(key) for key in config.keys)
            keys.invocationCounter = starting_counter(now())
        super().__init__(keys)
        if config.shape not in SHAPES:
            raise ValueError(f"unknown load shape {config.shape!r}; expected one of {', '.join(SHAPES)}")
        self.config, self.scenario, self._now = config, scenario, now
        self.model = MeterModel(config.meter_number, config.consumer(scenario.epoch), scenario, now(), history)
        self.objects = ob.build_objects(config.meter_number, PROFILE_CAPACITY, EVENT_CAPACITY)
        for obj in self.objects.all():
            self.items.append(obj)
        self.objects.load_profile.buffer = self.model.load_profile
        self.objects.standard_log.buffer = self.model.standard_events
        self.objects.fraud_log.buffer = self.model.fraud_events
        self.initialize()
        self.refresh()

    @property
    def meter_number(self) -> str:
        return self.config.meter_number

    def refresh(self) -> None:
        """Bring the model up to now and show it through the COSEM objects."""
        now = self._now()
        model, o = self.model, self.objects
        model.advance(now)
        m = model.measurements(now)
        o.clock.time = GXDateTime(model.meter_time(now))
        for ln, value in ((ob.ENERGY_IMPORT, model.import_wh), (ob.ENERGY_EXPORT, model.export_wh),
                          (ob.VOLTAGE, m.voltage_v * 10), (ob.CURRENT, m.current_a * 100), (ob.POWER, m.power_w),
                          (ob.POWER_FACTOR, m.power_factor * 1000), (ob.FREQUENCY, m.frequency_hz * 100),
                          (ob.CREDIT, model.credit_wh), (ob.MAX_DEMAND, model.max_demand_w)):
            o.registers[ln].value = int(value) if ln in (ob.ENERGY_IMPORT, ob.ENERGY_EXPORT) else round(value)
        o.registers[ob.MAX_DEMAND].captureTime = GXDateTime(model.max_demand_at)
        o.disconnect_control.outputState = model.relay_connected
        o.disconnect_control.controlState = 1 if model.relay_connected else 0  # connected / disconnected
        if model.last_token:
            token, at, result = model.last_token
            o.token_gateway.token, o.token_gateway.time = bytearray(token.encode()), GXDateTime(at)
            o.token_gateway.statusCode = result.status
        o.invocation_counter.value = self.client_invocation_counter
        for log in (o.load_profile, o.standard_log, o.fraud_log):
            log.entriesInUse = len(log.buffer)

    def connection_started(self) -> None:
        """A new TCP connection: whatever association the last one left is gone."""
        self.reset()

    def exchange(self, frame: bytes) -> bytes | None:
        self.refresh()
        return super().exchange(frame)

    def push_frame(self) -> bytes:
        """The push Data-Notification (PUSH_LAYOUT values) in a WRAPPER frame to the push client."""
        self.refresh()
        keys = self.settings.cipher
        negotiated = keys.security if keys else Security.NONE
        if keys:
            keys.security = Security.NONE  # gurux would cipher with the live association's settings
        try:
            apdu = bytes(self.generatePushSetupMessages(None, self.objects.push_setup)[0])[wrapper.HEADER_LENGTH:]
        finally:
            if keys:
                keys.security = negotiated
        if keys:
            apdu = aes.general_glo_cipher(aes.AUTHENTICATED_ENCRYPTION, keys.blockCipherKey, keys.authenticationKey,
                                          keys.systemTitle, keys.invocationCounter, apdu)
            keys.invocationCounter += 1
        return wrapper.frame(SERVER_WPORT, ob.PUSH_CLIENT_WPORT, apdu)

    # GXDLMSServer callbacks.
    def isTarget(self, server_address: int, client_address: int) -> bool:
        return server_address == SERVER_WPORT and client_address in (MANAGEMENT_CLIENT, PUBLIC_CLIENT)

    def onValidateAuthentication(self, authentication: int, password: Any) -> int:
        client, keys = self.settings.clientAddress, self.settings.cipher
        if client == PUBLIC_CLIENT:
            ok = authentication == Authentication.NONE
        elif keys:
            ok = authentication == Authentication.HIGH_GMAC and keys.security == Security.AUTHENTICATION_ENCRYPTION
        else:
            ok = authentication == Authentication.LOW and bytes(password or b"") == self.config.password.encode()
        return int(SourceDiagnostic.NONE if ok else SourceDiagnostic.AUTHENTICATION_FAILURE)

    def onGetAttributeAccess(self, arg: ValueEventArgs) -> int:
        ln = arg.target.logicalName
        if self.settings.clientAddress != MANAGEMENT_CLIENT:
            return int(AccessMode.READ if ln in PUBLIC_OBJECTS else AccessMode.NO_ACCESS)
        return int(AccessMode.READ_WRITE if (ln, arg.index) in WRITABLE else AccessMode.READ)

    def onGetMethodAccess(self, arg: ValueEventArgs) -> int:
        allowed = self.settings.clientAddress == MANAGEMENT_CLIENT and (arg.target.logicalName, arg.index) in METHODS
        return int(MethodAccessMode.ACCESS if allowed else MethodAccessMode.NO_ACCESS)

    def onPostWrite(self, args: list[ValueEventArgs]) -> None:
        for e in args:
            if e.target is self.objects.clock and e.index == 2 and e.error == ErrorCode.OK:
                value = self.objects.clock.time.value
                self.model.set_clock(value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC),
                                     self._now())
        self.refresh()

    def onPreAction(self, args: list[ValueEventArgs]) -> None:
        for e in args:
            if e.target is self.objects.disconnect_control:
                self.model.set_relay(e.index == 2, self._now())
                e.handled = True
            elif e.target is self.objects.token_gateway:
                raw = e.parameters or b""
                token = raw if isinstance(raw, str) else bytes(raw).decode("ascii", "replace")
                if not self.model.enter_token(token, self._now()).accepted:
                    e.error = ErrorCode.OTHER_REASON  # why: token_status (attribute 6)
                e.handled = True

    def onPostAction(self, args: list[ValueEventArgs]) -> None:
        self.refresh()
