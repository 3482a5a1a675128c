"""The simulator's STS-like 20-digit prepaid token: a documented, deterministic check.

    digit  1-8   token id (any digits; makes each token unique)
    digit  9-14  credit in units of 0.1 kWh (000001-999999)
    digit 15-19  the last 5 digits of the meter number (the token only works on that meter)
    digit 20     Luhn check digit over digits 1-19

Real STS tokens are encrypted with a per-meter key; this rule keeps the same failure modes
(malformed, wrong meter, reused) without the cryptography.
"""
from __future__ import annotations

from dataclasses import dataclass

TOKEN_LENGTH = 20
WH_PER_UNIT = 100  # one token unit is 0.1 kWh

# token_status.status_code of the token gateway (IC 115, attribute 6), as in the Blue Book.
FORMAT_OK, AUTHENTICATION_OK, VALIDATION_OK, EXECUTION_OK = 0, 1, 2, 3
FORMAT_FAILURE, AUTHENTICATION_FAILURE, VALIDATION_FAILURE = 4, 5, 6


def luhn_digit(digits: str) -> str:
    """The Luhn check digit that makes digits + it pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def make_token(meter_number: str, credit_wh: int, token_id: int) -> str:
    """A valid token for meter_number worth credit_wh (rounded down to 0.1 kWh)."""
    units = credit_wh // WH_PER_UNIT
    if not 1 <= units <= 999_999:
        raise ValueError("credit must be between 0.1 kWh and 99999.9 kWh")
    body = f"{token_id % 10**8:08d}{units:06d}{_binding(meter_number)}"
    return body + luhn_digit(body)


def _binding(meter_number: str) -> str:
    digits = "".join(char for char in meter_number if char.isdigit())
    return digits[-5:].rjust(5, "0")


@dataclass(frozen=True)
class TokenCheck:
    status: int  # token_status.status_code
    credit_wh: int = 0
    reason: str = ""

    @property
    def accepted(self) -> bool:
        return self.status == EXECUTION_OK


def check_token(token: str, meter_number: str, used: set[str] | frozenset[str] = frozenset()) -> TokenCheck:
    """Check a token for meter_number; used holds the tokens already accepted by the meter."""
    if len(token) != TOKEN_LENGTH or not token.isascii() or not token.isdigit():
        return TokenCheck(FORMAT_FAILURE, reason=f"a token is {TOKEN_LENGTH} digits")
    if luhn_digit(token[:-1]) != token[-1]:
        return TokenCheck(FORMAT_FAILURE, reason="check digit does not match")
    if token[14:19] != _binding(meter_number):
        return TokenCheck(AUTHENTICATION_FAILURE, reason="token is for another meter")
    if token in used:
        return TokenCheck(VALIDATION_FAILURE, reason="token already used")
    units = int(token[8:14])
    if units == 0:
        return TokenCheck(VALIDATION_FAILURE, reason="token carries no credit")
    return TokenCheck(EXECUTION_OK, credit_wh=units * WH_PER_UNIT)
