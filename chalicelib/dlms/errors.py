"""Errors raised by the DLMS codec; callers translate them at their own boundary."""
from __future__ import annotations


class DlmsError(Exception):
    """Base class of every error the codec raises on bad bytes or bad configuration."""


class FramingError(DlmsError):
    """The byte stream is not IEC 62056-47 WRAPPER framing; the caller should close the session."""


class DecodeError(DlmsError):
    """An APDU (or a value inside it) could not be decoded; `reason` says why in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SecurityError(DlmsError):
    """A ciphered APDU failed authentication, used an old invocation counter or needs keys we lack."""
