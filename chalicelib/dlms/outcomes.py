"""Results of meter exchanges, with DLMS error codes mapped to the words operators see."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gurux_dlms import GXDLMSConfirmedServiceError, GXDLMSException, GXDLMSExceptionResponse
from gurux_dlms.enums import AssociationResult, DataType

REASONS = ("access denied", "object undefined", "hardware fault", "temporary failure", "read/write denied",
           "type unmatched", "other")
# Data-Access-Result and Action-Result share their numbers (IEC 62056-5-3).
_ACCESS_RESULT = {
    1: "hardware fault",
    2: "temporary failure",
    3: "read/write denied",
    4: "object undefined",
    9: "object undefined",  # object-class-inconsistent: no such object of that class
    11: "object undefined",  # object-unavailable
    12: "type unmatched",
    13: "access denied",  # scope-of-access-violated
}
# Service-Error choices: hardware-resource, definition, access.
_SERVICE_ERROR = {1: "hardware fault", 4: "object undefined", 5: "access denied"}
_EXCEPTION_SERVICE_ERROR = {5: "access denied", 6: "access denied"}  # deciphering error, invocation counter error
_AUTHENTICATION_DIAGNOSTICS = frozenset(range(3, 15))  # AP title / mechanism / authentication failures
DATA_TYPES = {
    "null-data": DataType.NONE, "array": DataType.ARRAY, "structure": DataType.STRUCTURE,
    "boolean": DataType.BOOLEAN, "bit-string": DataType.BITSTRING, "double-long": DataType.INT32,
    "double-long-unsigned": DataType.UINT32, "octet-string": DataType.OCTET_STRING,
    "visible-string": DataType.STRING, "utf8-string": DataType.STRING_UTF8, "bcd": DataType.BCD,
    "integer": DataType.INT8, "long": DataType.INT16, "unsigned": DataType.UINT8, "long-unsigned": DataType.UINT16,
    "compact-array": DataType.COMPACT_ARRAY, "long64": DataType.INT64, "long64-unsigned": DataType.UINT64,
    "enum": DataType.ENUM, "float32": DataType.FLOAT32, "float64": DataType.FLOAT64,
    "date-time": DataType.DATETIME, "date": DataType.DATE, "time": DataType.TIME,
}


@dataclass(frozen=True, slots=True)
class Result:
    ok: bool
    value: Any = None
    reason: str | None = None  # one of REASONS when not ok
    detail: str = ""  # what the meter said, for logs and the job's result

    @classmethod
    def success(cls, value: Any = None) -> Result:
        return cls(True, value)

    @classmethod
    def failure(cls, reason: str, detail: str = "") -> Result:
        return cls(False, None, reason if reason in REASONS else "other", detail)


def data_type_of(name: str) -> int:
    """The gurux DataType for a profile's data type name, e.g. 'double-long-unsigned'."""
    try:
        return int(DATA_TYPES[name.strip().lower()])
    except KeyError:
        raise ValueError(f"unknown DLMS data type '{name}'; one of {', '.join(DATA_TYPES)}") from None


def failure_from_code(code: int) -> Result:
    """A Data-Access-Result / Action-Result code as a failed Result."""
    return Result.failure(_ACCESS_RESULT.get(code, "other"), f"result code {code}")


def failure_from_gurux(exc: Exception) -> Result:
    """The exceptions gurux raises for rejected associations, service errors and malformed replies."""
    detail = " ".join(str(exc).split())
    if isinstance(exc, GXDLMSException) and hasattr(exc, "result"):
        if exc.result == AssociationResult.TRANSIENT_REJECTED:
            return Result.failure("temporary failure", f"association rejected: {detail}")
        denied = int(exc.diagnostic or 0) in _AUTHENTICATION_DIAGNOSTICS
        return Result.failure("access denied" if denied else "other", f"association rejected: {detail}")
    if isinstance(exc, GXDLMSExceptionResponse):
        if int(exc.exceptionStateError or 0) == 1:  # service not allowed
            return Result.failure("access denied", f"exception response: {detail}")
        reason = _EXCEPTION_SERVICE_ERROR.get(int(exc.exceptionServiceError or 0), "other")
        counter = f" (meter expects above {exc.serviceErrorValue})" if exc.serviceErrorValue else ""
        return Result.failure(reason, f"exception response: {detail}{counter}")
    if isinstance(exc, GXDLMSConfirmedServiceError):
        return Result.failure(_SERVICE_ERROR.get(int(exc.serviceError or 0), "other"), f"service error: {detail}")
    if isinstance(exc, GXDLMSException):
        return failure_from_code(int(exc.errorCode))
    if "parseApplicationAssociationResponse" in detail or "Server to Client do not match" in detail:
        return Result.failure("access denied", "the meter's HLS reply did not authenticate")
    return Result.failure("other", f"unreadable reply: {type(exc).__name__} {detail}".strip())
