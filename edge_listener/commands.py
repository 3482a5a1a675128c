"""Commands from the COMMANDS queue, run on the meter's live socket: associate, GET/SET/ACTION, release.

A command is one job's work for one meter: `{"job", "meter", "items": [{"op": "get"|"set"|"action",
"obis", "class_id", "index", "value"?, "data_type"?}]}`. Each item gets a result (value or a reason
in words); the results travel back through the FRAMES queue like everything else the edge sees.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.dlms.client import ClientSession, SessionConfig
from chalicelib.dlms.cosem_values import plain
from chalicelib.dlms.errors import DlmsError, SecurityError
from chalicelib.dlms.outcomes import Result, data_type_of
from chalicelib.dlms.security import HES_SYSTEM_TITLE, SecurityKeys, frame_counter
from chalicelib.domain.secrets_box import SecretBox
from edge_listener.connection import Connection
from edge_listener.publisher import frame_record
from edge_listener.server import EdgeServer

log = logging.getLogger("hes.edge.commands")


@dataclass(frozen=True)
class CommandOptions:
    timeout_s: float = 15.0
    retries: int = 1
    password: bytes = b"00000000"  # low-level security of meters without a password of their own
    box: SecretBox | None = None  # opens the meters' sealed secrets that travel in commands

PUBLIC_CLIENT, MANAGEMENT_CLIENT = 16, 1
INVOCATION_COUNTER, SERIAL_NUMBER = "0.0.43.1.0.255", "0.0.96.1.0.255"


class ExchangeTimeout(Exception):
    pass


class CommandRunner:
    def __init__(self, server: EdgeServer, options: CommandOptions) -> None:
        self.server = server
        self.options = options

    async def execute(self, command: dict[str, Any]) -> dict[str, Any]:
        """Run one command and publish its result record; the record is also returned."""
        meter, items = command["meter"], command["items"]
        counters: dict[str, int] = {}  # filled by an HLS session: the frame counters to keep for the next one
        results = await self._results(meter, items, command.get("dial"), command.get("security"),
                                      command.get("counters") or {}, counters)
        record = frame_record("result", meter, "", job=command["job"], results=results)
        if counters:
            record["counters"] = counters
        self.server.publisher.publish(record)
        return record

    async def _results(self, meter: str, items: list[dict[str, Any]], dial: dict[str, Any] | None = None,
                       security: dict[str, Any] | None = None, kept: dict[str, Any] | None = None,
                       counters: dict[str, int] | None = None) -> list[dict[str, Any]]:
        if items and all(item.get("op") == "diagnostics" for item in items):  # the edge's own view, no DLMS
            info = self.server.diagnostics(meter)
            if info is None:
                return [_outcome(item, Result.failure("other", "meter offline")) for item in items]
            return [{**_outcome(item, Result.success()), "value": info} for item in items]  # plain JSON already
        for attempt in range(self.options.retries + 1):
            conn = self.server.by_meter.get(meter)
            if conn is None and (security or {}).get("system_title"):  # a secured meter, known by its title
                conn = self.server.by_meter.get(f"st:{security['system_title']}")  # type: ignore[index]
            if conn is None and dial:
                try:
                    conn = await self.server.dial(meter, dial["host"], int(dial["port"]), self.options.timeout_s)
                except (OSError, TimeoutError) as exc:
                    log.info("%s: dialling %s:%s failed: %s", meter, dial["host"], dial["port"], exc)
            if conn is None:
                reason = f"meter offline (dialling {dial['host']}:{dial['port']} failed)" if dial else "meter offline"
                return [_outcome(item, Result.failure("other", reason)) for item in items]
            try:
                return await self._session(conn, meter, items, security, kept or {},
                                           {} if counters is None else counters)
            except (ExchangeTimeout, DlmsError, ConnectionError) as exc:
                log.info("%s: attempt %d failed: %s", meter, attempt + 1, exc)
                failure = "timeout" if isinstance(exc, ExchangeTimeout) else str(exc)
                if isinstance(exc, SecurityError):  # wrong keys or a replay: trying again changes nothing
                    break
        return [_outcome(item, Result.failure("other", failure)) for item in items]

    async def _session(self, conn: Connection, meter: str, items: list[dict[str, Any]],
                       security: dict[str, Any] | None, kept: dict[str, Any], counters: dict[str, int]
                       ) -> list[dict[str, Any]]:
        async with conn.lock:
            while not conn.replies.empty():  # leftovers of an exchange that timed out
                conn.replies.get_nowait()
            session = ClientSession(await self._config(conn, meter, security or {}, kept))
            try:
                association = await self._exchange(conn, session, session.associate())
                if not association.ok:
                    return [_outcome(item, association) for item in items]
                outcomes = [_outcome(item, await self._exchange(conn, session, _request(session, item)))
                            for item in items]
                try:
                    await self._exchange(conn, session, session.release())
                except (ExchangeTimeout, DlmsError):
                    log.debug("%s: release not answered", conn.meter)
                return outcomes
            finally:
                if session.config.authentication == "hls-gmac":  # even a failed session used up counters
                    counters.update(hes=session.invocation_counter - 1, meter=session.meter_invocation_counter)

    async def _config(self, conn: Connection, meter: str, security: dict[str, Any],
                      kept: dict[str, Any] | None = None) -> SessionConfig:
        """How to associate: the meter's own password, or HLS-GMAC with its keys and frame counters. Our next
        counter is above both the one the meter says it last accepted from us and the last one we kept (`kept`,
        stored by the HES after each session), so neither a meter that lost its count nor one that misreports
        it makes us reuse a nonce; a reply at or below the meter's kept counter is refused as a replay."""
        kind = security.get("authentication") or "low"
        if kind == "none":
            return SessionConfig(client_address=PUBLIC_CLIENT)
        if kind == "low":
            password = self._open(meter, security, "password")
            return SessionConfig(client_address=MANAGEMENT_CLIENT, authentication="low",
                                 password=password.encode() if password else self.options.password)
        block_key = self._open(meter, security, "block_cipher_key")
        auth_key = self._open(meter, security, "authentication_key")
        if not block_key or not auth_key:
            raise SecurityError("HLS-GMAC meter without keys in the archive")
        ours, theirs = _counter(kept, "hes"), _counter(kept, "meter")
        try:
            counter = max(await self._meter_counter(conn), ours)
        except SecurityError as exc:
            if ours < 0:
                raise
            log.info("%s: %s; going on from the kept counter %d", meter, exc, ours)
            counter = ours
        if counter + 1 > 0xFFFFFFFF:
            raise SecurityError("our invocation counter for this meter is used up: the meter needs new keys")
        keys = SecurityKeys(bytes.fromhex(block_key), bytes.fromhex(auth_key), HES_SYSTEM_TITLE)
        return SessionConfig(client_address=MANAGEMENT_CLIENT, authentication="hls-gmac", keys=keys,
                             invocation_counter=counter + 1, meter_counter=theirs)

    def _open(self, meter: str, security: dict[str, Any], name: str) -> str | None:
        sealed = security.get(name)
        if not sealed:
            return None
        if self.options.box is None:
            raise SecurityError("the edge listener has no meter key secret to open sealed secrets")
        try:
            return self.options.box.open(sealed, f"{meter}|{name}").decode()
        except ValueError as exc:
            raise SecurityError(str(exc)) from None

    async def identify(self, conn: Connection) -> str | None:
        """Who is on a socket that has not pushed: associate as the public client and read the serial number."""
        async with conn.lock:
            public = ClientSession(SessionConfig(client_address=PUBLIC_CLIENT))
            try:
                if not (await self._exchange(conn, public, public.associate())).ok:
                    return None
                serial = await self._exchange(conn, public, public.get(SERIAL_NUMBER, 1, 2))
                with contextlib.suppress(ExchangeTimeout, DlmsError):
                    await self._exchange(conn, public, public.release())
            except (ExchangeTimeout, DlmsError, ConnectionError) as exc:
                log.info("%s: identification failed: %s", conn.peer, exc)
                return None
        value = jsonable(serial.value) if serial.ok else None
        return value if isinstance(value, str) and value else None

    async def _meter_counter(self, conn: Connection) -> int:
        """The last frame counter the meter accepted, read by the public client (no authentication)."""
        public = ClientSession(SessionConfig(client_address=PUBLIC_CLIENT))
        association = await self._exchange(conn, public, public.associate())
        if not association.ok:
            raise SecurityError(f"public association refused: {association.detail or association.reason}")
        counter = await self._exchange(conn, public, public.get(INVOCATION_COUNTER, 1, 2))
        with contextlib.suppress(ExchangeTimeout, DlmsError):
            await self._exchange(conn, public, public.release())
        if not counter.ok or not isinstance(counter.value, int):
            raise SecurityError(f"the meter's invocation counter could not be read: {counter.reason}")
        return int(counter.value)

    async def _exchange(self, conn: Connection, session: ClientSession, outgoing: bytes | None) -> Result:
        while outgoing:
            await conn.send(outgoing)
            try:
                reply = await asyncio.wait_for(conn.replies.get(), self.options.timeout_s)
            except TimeoutError:
                raise ExchangeTimeout(f"no answer in {self.options.timeout_s:.0f} s") from None
            step = session.receive(reply)
            if step.result is not None:
                return step.result
            outgoing = step.send
        return Result.failure("other", "the exchange ended without a result")


def _counter(kept: dict[str, Any] | None, name: str) -> int:
    """A kept frame counter from the command (-1 when there is none)."""
    counter = frame_counter((kept or {}).get(name))
    return -1 if counter is None else counter


def _request(session: ClientSession, item: dict[str, Any]) -> bytes:
    op, obis, class_id, index = item["op"], item["obis"], int(item["class_id"]), int(item["index"])
    if op == "get":
        return session.get(obis, class_id, index)
    if op == "get_range":  # a profile generic's buffer between two instants (event logs, load profile)
        return session.get_range(obis, datetime.fromisoformat(item["from"]), datetime.fromisoformat(item["to"]))
    type_name = item.get("data_type") or "integer"
    value = item.get("value", 0)
    if type_name == "date-time":  # COSEM date-times travel as 12-octet strings
        type_name, value = "octet-string", datetime.fromisoformat(value)
    data_type = data_type_of(type_name)
    if data_type == data_type_of("octet-string") and isinstance(value, str):
        value = value.encode("ascii")  # gurux would read a str as hex
    if op == "set":
        return session.set(obis, class_id, index, value, data_type)
    return session.action(obis, class_id, index, value, data_type)


def _outcome(item: dict[str, Any], result: Result) -> dict[str, Any]:
    out: dict[str, Any] = {k: item[k] for k in ("op", "obis", "class_id", "index", "from", "to") if k in item}
    out.update(ok=result.ok, value=jsonable(result.value) if result.ok else None,
               reason=None if result.ok else result.reason, detail=result.detail or None,
               at=datetime.now(UTC).isoformat(timespec="milliseconds"))
    return out


def jsonable(value: Any) -> Any:
    """A meter value as JSON: bytes as ASCII text when printable, else hex; times as ISO 8601."""
    try:
        value = plain(value)
    except TypeError:
        return str(value)
    if isinstance(value, bytes):
        return value.decode("ascii") if value and all(0x20 <= b < 0x7F for b in value) else value.hex()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
