"""The COSEM objects of a simulated meter, and the push layout the HES decodes pushes with.

Register values are raw integers; value x 10^scaler is the quantity in the unit. Note that
gurux's GXDLMSRegister.scaler is the multiplier (0.1), not the exponent (-1).
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from gurux_dlms.enums import DataType, Unit
from gurux_dlms.objects import (
    GXDLMSCaptureObject,
    GXDLMSClock,
    GXDLMSData,
    GXDLMSDisconnectControl,
    GXDLMSExtendedRegister,
    GXDLMSObject,
    GXDLMSPushSetup,
    GXDLMSRegister,
    GXDLMSTokenGateway,
)

from simulator.compat import ASSOCIATION_LN, CompatAssociationLogicalName, CompatProfileGeneric

CLOCK, SERIAL_NUMBER, DEVICE_NAME = "0.0.1.0.0.255", "0.0.96.1.0.255", "0.0.42.0.0.255"
ENERGY_IMPORT, ENERGY_EXPORT = "1.0.1.8.0.255", "1.0.2.8.0.255"
VOLTAGE, CURRENT, POWER = "1.0.32.7.0.255", "1.0.31.7.0.255", "1.0.1.7.0.255"
POWER_FACTOR, FREQUENCY, MAX_DEMAND = "1.0.13.7.0.255", "1.0.14.7.0.255", "1.0.1.6.0.255"
LOAD_PROFILE, STANDARD_LOG, FRAUD_LOG = "1.0.99.1.0.255", "0.0.99.98.0.255", "0.0.99.98.1.255"
STANDARD_EVENT_CODE, FRAUD_EVENT_CODE = "0.0.96.11.0.255", "0.0.96.11.1.255"
DISCONNECT_CONTROL, TOKEN_GATEWAY, CREDIT = "0.0.96.3.10.255", "0.0.19.40.0.255", "0.0.19.10.0.255"
PUSH_SETUP, INVOCATION_COUNTER = "0.0.25.9.0.255", "0.0.43.1.0.255"

# (OBIS, data type, exponent, unit) of every register (IC 3) and the maximum demand (IC 4).
REGISTERS = {
    ENERGY_IMPORT: (DataType.UINT32, 0, Unit.ACTIVE_ENERGY),  # Wh
    ENERGY_EXPORT: (DataType.UINT32, 0, Unit.ACTIVE_ENERGY),  # Wh
    VOLTAGE: (DataType.UINT16, -1, Unit.VOLTAGE),  # 0.1 V
    CURRENT: (DataType.UINT16, -2, Unit.CURRENT),  # 0.01 A
    POWER: (DataType.INT32, 0, Unit.ACTIVE_POWER),  # W
    POWER_FACTOR: (DataType.INT16, -3, Unit.NO_UNIT),  # 0.001
    FREQUENCY: (DataType.UINT16, -2, Unit.FREQUENCY),  # 0.01 Hz
    CREDIT: (DataType.INT32, 0, Unit.ACTIVE_ENERGY),  # Wh of prepaid credit left
    MAX_DEMAND: (DataType.UINT32, 0, Unit.ACTIVE_POWER),  # W, with its capture time
}

# The Data-Notification body is a structure of these attribute-2 values, in this order.
PUSH_LAYOUT = (SERIAL_NUMBER, CLOCK, ENERGY_IMPORT, ENERGY_EXPORT, VOLTAGE, CURRENT, POWER)
PUSH_CLIENT_WPORT = 0x66  # IDIS pre-established push client SAP 102


@dataclass
class MeterObjects:
    clock: GXDLMSClock
    serial_number: GXDLMSData
    device_name: GXDLMSData
    invocation_counter: GXDLMSData
    registers: dict[str, GXDLMSRegister]
    load_profile: CompatProfileGeneric
    standard_log: CompatProfileGeneric
    fraud_log: CompatProfileGeneric
    standard_event_code: GXDLMSData
    fraud_event_code: GXDLMSData
    disconnect_control: GXDLMSDisconnectControl
    token_gateway: GXDLMSTokenGateway
    push_setup: GXDLMSPushSetup
    association: CompatAssociationLogicalName

    def all(self) -> list[GXDLMSObject]:
        found: list[GXDLMSObject] = []
        for field in fields(self):
            value = getattr(self, field.name)
            found.extend(value.values() if isinstance(value, dict) else [value])
        return found


def _data(ln: str, value: object, data_type: int) -> GXDLMSData:
    obj = GXDLMSData(ln)
    obj.value = value
    obj.setDataType(2, data_type)
    return obj


def _register(ln: str) -> GXDLMSRegister:
    data_type, exponent, unit = REGISTERS[ln]
    obj = GXDLMSExtendedRegister(ln) if ln == MAX_DEMAND else GXDLMSRegister(ln)
    obj.value, obj.scaler, obj.unit = 0, 10.0 ** exponent, unit
    obj.setDataType(2, data_type)
    if ln == MAX_DEMAND:
        obj.status = 0
    return obj


def _profile(ln: str, period_s: int, entries: int, *columns: GXDLMSObject) -> CompatProfileGeneric:
    profile = CompatProfileGeneric(ln)
    for column in columns:
        profile.addCaptureObject(column, 2, 0)
    profile.capturePeriod, profile.profileEntries = period_s, entries
    return profile


def build_objects(meter_number: str, profile_entries: int, event_entries: int) -> MeterObjects:
    clock = GXDLMSClock(CLOCK)
    registers = {ln: _register(ln) for ln in REGISTERS}
    standard_code = _data(STANDARD_EVENT_CODE, 0, DataType.UINT8)
    fraud_code = _data(FRAUD_EVENT_CODE, 0, DataType.UINT8)
    serial = _data(SERIAL_NUMBER, bytearray(meter_number.encode()), DataType.OCTET_STRING)
    disconnect = GXDLMSDisconnectControl(DISCONNECT_CONTROL)
    disconnect.controlMode = 1  # remote disconnect and reconnect allowed
    gateway = GXDLMSTokenGateway(TOKEN_GATEWAY)
    gateway.token, gateway.statusCode, gateway.dataValue = bytearray(), 0, "0"
    gateway.deliveryMethod = 0  # remote
    push = GXDLMSPushSetup(PUSH_SETUP)
    push.pushClientSAP = PUSH_CLIENT_WPORT
    objects = MeterObjects(
        clock=clock,
        serial_number=serial,
        device_name=_data(DEVICE_NAME, bytearray(f"HES{meter_number[-13:]:0>13}".encode()), DataType.OCTET_STRING),
        invocation_counter=_data(INVOCATION_COUNTER, 0, DataType.UINT32),
        registers=registers,
        load_profile=_profile(LOAD_PROFILE, 900, profile_entries, clock, registers[ENERGY_IMPORT],
                              registers[ENERGY_EXPORT]),
        standard_log=_profile(STANDARD_LOG, 0, event_entries, clock, standard_code),
        fraud_log=_profile(FRAUD_LOG, 0, event_entries, clock, fraud_code),
        standard_event_code=standard_code,
        fraud_event_code=fraud_code,
        disconnect_control=disconnect,
        token_gateway=gateway,
        push_setup=push,
        association=CompatAssociationLogicalName(ASSOCIATION_LN),
    )
    by_name = {obj.logicalName: obj for obj in objects.all()}
    for ln in PUSH_LAYOUT:
        push.pushObjectList.append((by_name[ln], GXDLMSCaptureObject(2, 0)))
    return objects
