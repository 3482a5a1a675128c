"""What the edge listener saw, stored: meter presence, readings (idempotent), energy rollups, quarantine.

Readings live in one bucket per meter and hour (`_id` "<meter>|<YYYY-MM-DD>T<HH>", the utility's local
time; point lookups only); a frame delivered twice sets the same keys again, so it counts once. An hour
keeps a bucket small (60 points at one a minute): the embedded database rewrites a whole document on
each update, 35 ms for a day of 1,440 points against about 1 ms for an hour's. A marker document per meter
and day (`_id` "<meter>|<YYYY-MM-DD>", no points; where older versions kept the whole day's bucket) is
created with the day's first bucket, so the "meters seen that day" count goes up once. Energy comes from the
cumulative import/export registers: the difference to the meter's previous reading, claimed
atomically so concurrent or repeated deliveries never add it twice.
"""
from __future__ import annotations

import base64
import binascii
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo import UpdateOne
from pymongo.database import Database

from chalicelib.adapters.bulk import Change, merge
from chalicelib.adapters.repositories import DeviceProfileRepository, MeterRepository, now
from chalicelib.dlms.errors import DlmsError, SecurityError
from chalicelib.dlms.fastpath import decode_notification_fast
from chalicelib.dlms.notify import PushField, Reading, apply_push_layout
from chalicelib.dlms.security import HES_SYSTEM_TITLE, SecurityKeys, decrypt, frame_counter, is_ciphered
from chalicelib.domain.energy import energy_between
from chalicelib.domain.periods import five_minute_key

log = logging.getLogger("hes.ingest")
CLOCK, IMPORT, EXPORT = "0.0.1.0.0.255", "1.0.1.8.0.255", "1.0.2.8.0.255"
REGISTERS = {"import_wh": IMPORT, "export_wh": EXPORT}  # energy name -> its cumulative register
INTERVAL_END = timedelta(seconds=1)
DASHBOARD_SPAN = timedelta(hours=1)


def obis_key(obis: str) -> str:
    """OBIS codes hold dots, which MongoDB keys may not: 1.0.1.8.0.255 -> 1-0-1-8-0-255."""
    return obis.replace(".", "-")


class IngestService:
    def __init__(self, db: Database, meters: MeterRepository, profiles: DeviceProfileRepository, timezone: str,
                 on_result: Callable[[str, str, list[dict[str, Any]]], None],
                 secret: Callable[[dict[str, Any], str], str | None]) -> None:
        self.db = db
        self.secret = secret
        self.on_result = on_result
        self.meters = meters
        self.profiles = profiles
        self.tz = ZoneInfo(timezone)
        self._layouts: dict[str | None, list[PushField]] = {}

    # --- entry ---------------------------------------------------------------------------------
    def handle(self, body: dict[str, Any]) -> int:
        """Store every frame of one queue message; bad frames go to quarantine, the rest carry on."""
        frames = body.get("frames")
        if not isinstance(frames, list):
            self.quarantine(None, "the message has no 'frames' list", str(body)[:500])
            return 0
        pushes: list[dict[str, Any]] = []
        for frame in frames:
            if isinstance(frame, dict) and frame.get("type") == "push":
                pushes.append(frame)
                continue
            self.push_many(pushes)  # in order: a later presence change applies after the pushes before it
            pushes = []
            self.frame(frame)
        self.push_many(pushes)
        return len(frames)

    def frame(self, frame: dict[str, Any]) -> None:
        if not isinstance(frame, dict):
            self.quarantine(None, "a frame that is not an object", str(frame)[:500])
            return
        kind, meter, at = frame.get("type"), frame.get("meter"), _time(frame)
        if at is None:
            self.quarantine(meter, "frame without a valid 'at' time", str(frame)[:500])
            return
        if kind in ("online", "offline"):
            self.presence(meter, frame.get("peer"), at, kind == "online", frame.get("edge"))
        elif kind == "push":
            self.push(meter, frame.get("peer"), at, frame.get("apdu"))
        elif kind == "result" and meter and isinstance(frame.get("job"), str) and isinstance(
                frame.get("results"), list):
            self.keep_counters(meter, frame.get("counters"))
            self.on_result(frame["job"], meter, frame["results"])
        else:
            self.quarantine(meter, f"unknown frame type {kind!r}", str(frame)[:500])

    # --- presence ------------------------------------------------------------------------------
    def presence(self, meter: str | None, peer: str | None, at: datetime, online: bool, edge: Any = None) -> None:
        if not meter:
            return
        edge = edge if isinstance(edge, str) and edge else None  # the edge task whose queue takes its commands
        fields: dict[str, Any] = {"online": online, "peer": peer}
        if online:
            fields.update(connected_at=at, edge=edge)
        key = meter
        if meter.startswith("st:"):
            doc = self.meter_for(meter)
            key = doc["_id"] if doc else meter
        query: dict[str, Any] = {"_id": key}
        if not online:  # only the edge holding the meter's socket may say it is gone (it may have redialled
            query["edge"] = edge  # another edge task meanwhile)
        before = self.meters.col.find_one_and_update(
            query, {"$set": fields, "$max": {"last_seen": at}, "$min": {"first_seen": at}})
        if before is None:
            if online or self.meters.get(key) is None:
                self.unregistered(meter, peer, at)
        elif bool(before.get("online")) != online:
            self.event(before, at, "communication_restored" if online else "communication_lost",
                       {"peer": peer}, "info" if online else "warning")

    def keep_counters(self, meter: str, counters: Any) -> None:
        """The HLS frame counters an edge session ended with (ours and the meter's): only ever raised, so the
        next session neither reuses a nonce nor accepts a replayed reply or push."""
        if not isinstance(counters, dict):
            return
        kept = {f"invocation_counters.{name}": counters[name] for name in ("hes", "meter")
                if frame_counter(counters.get(name)) is not None}
        if kept:
            self.meters.col.update_one({"_id": meter}, {"$max": kept})

    def unregistered(self, meter: str, peer: str | None, at: datetime) -> None:
        self.db["unregistered_devices"].update_one(
            {"_id": meter}, {"$set": {"peer": peer}, "$min": {"first_seen": at}, "$max": {"last_seen": at},
                             "$inc": {"frames": 1}}, upsert=True)

    # --- pushes --------------------------------------------------------------------------------
    def push(self, meter: str | None, peer: str | None, at: datetime, apdu_b64: Any) -> None:
        doc = self.meter_for(meter) if meter else None
        decoded = self.decode(meter, doc, peer, at, apdu_b64)
        if decoded is not None:
            self.store(*decoded)

    def decode(self, meter: str | None, doc: dict[str, Any] | None, peer: str | None, at: datetime, apdu_b64: Any
               ) -> tuple[dict[str, Any], list[Reading], datetime, str | None, datetime] | None:
        """A push's readings and capture time, for the archived meter `doc`; None when it was quarantined or
        the meter is not in the archive (then it is recorded as an unregistered device)."""
        try:
            apdu = base64.b64decode(apdu_b64 or "", validate=True)
        except (binascii.Error, ValueError):
            self.quarantine(meter, "the APDU is not base64", str(apdu_b64)[:200])
            return None
        if not meter:
            self.quarantine(None, "a push from an unidentified meter", apdu.hex())
            return None
        if doc is None:
            self.unregistered(meter, peer, at)
            return None
        try:
            if is_ciphered(apdu):
                apdu, counter = self.decipher(doc, apdu)
                # kept as the floor for the meter's replies in the next command session. A push is not refused
                # for a counter at or below it: the queue delivers at least once and not in order, a push is
                # stored idempotently by its capture time, and its tag already proves the meter sent it.
                self.keep_counters(doc["_id"], {"meter": counter})
            values = decode_notification_fast(apdu, self.tz).values
            readings = apply_push_layout(values, self.layout(doc.get("device_profile")), self.tz)
        except DlmsError as exc:
            self.quarantine(meter, f"undecodable push: {exc}", apdu.hex())
            return None
        captured = next((r.value for r in readings if r.obis == CLOCK and isinstance(r.value, datetime)), at)
        return doc, readings, captured.astimezone(UTC), peer, at

    def push_many(self, frames: list[dict[str, Any]]) -> None:
        """Several pushes with a fixed number of database round trips (not a few per push): one read of their
        meters, one bulk write each for the day buckets, the meters' claims and the rollups."""
        if not frames:
            return
        if len(frames) == 1:
            self.frame(frames[0])
            return
        numbers = {f["meter"] for f in frames if isinstance(f.get("meter"), str) and not f["meter"].startswith("st:")}
        docs = self.meters.get_many(numbers)
        items = []
        for frame in frames:
            meter, at = frame.get("meter"), _time(frame)
            if at is None:
                self.quarantine(meter, "frame without a valid 'at' time", str(frame)[:500])
                continue
            doc = (docs.get(meter) if not meter.startswith("st:") else self.meter_for(meter)) \
                if isinstance(meter, str) and meter else None
            decoded = self.decode(meter, doc, frame.get("peer"), at, frame.get("apdu"))
            if decoded is not None:
                items.append(decoded)
        self.store_many(items)

    def store_many(self, items: list[tuple[dict[str, Any], list[Reading], datetime, str | None, datetime]]) -> None:
        if not items:
            return
        pending = [self._pending(*item) for item in items]
        # 1. the hour buckets (idempotent); a day marker created now is one more meter seen that day
        buckets = self.db["readings"].bulk_write([UpdateOne(*_bucket_update(p), upsert=True) for p in pending],
                                                 ordered=False)
        seen = seen_changes((p.doc, p.day) for p in self.first_of_day(
            [pending[index] for index in buckets.upserted_ids or {}]))
        if seen:
            self.db["rollups"].bulk_write([c.update() for c in seen], ordered=False)
        # 2. each meter's claim on its newest reading: compare-and-set against the state read with its frames
        by_meter: dict[str, list[Pending]] = {}
        for p in sorted(pending, key=lambda p: p.captured):
            by_meter.setdefault(p.doc["_id"], []).append(p)
        token = uuid.uuid4().hex
        writes = []
        for meter_id, entries in by_meter.items():
            newest, last = entries[-1], entries[0].doc.get("last_reading_at")
            received = max(e.received for e in entries)
            if last is not None and last.astimezone(UTC) >= newest.captured:
                writes.append(UpdateOne({"_id": meter_id}, {"$max": {"last_seen": received}}))
                continue
            writes.append(UpdateOne(
                {"_id": meter_id, "last_reading_at": last},
                {"$set": {"last_reading_at": newest.captured, "latest": newest.latest, "online": True,
                          "peer": newest.peer, "claim": token,
                          "registers": {"import": newest.numbers.get(IMPORT), "export": newest.numbers.get(EXPORT)}},
                 "$max": {"last_seen": received},
                 "$min": {"first_seen": received, "first_reading_at": entries[0].captured}}))
        self.meters.col.bulk_write(writes, ordered=False)
        won = {d["_id"] for d in self.meters.col.find({"_id": {"$in": list(by_meter)}, "claim": token}, {"_id": 1})}
        # 3. the energy between consecutive readings of each meter that won its claim, in one rollup write
        changes: list[Change] = []
        for meter_id, entries in by_meter.items():
            doc = entries[0].doc
            last = doc.get("last_reading_at")
            if meter_id not in won:
                if last is None or last.astimezone(UTC) < entries[-1].captured:  # lost to a concurrent delivery
                    for e in entries:
                        self.store(e.doc, e.readings, e.captured, e.peer, e.received)  # one by one, as it was
                continue
            if last is None:  # the meter's first reading ever: energy counts from it
                previous, since = entries[0].numbers, entries[0].captured
            else:
                registers = doc.get("registers") or {}
                previous, since = {IMPORT: registers.get("import"), EXPORT: registers.get("export")}, \
                    last.astimezone(UTC)
            for e in entries:
                if e.captured <= since:
                    continue
                deltas, flags = energy_between(
                    {name: previous.get(obis) for name, obis in REGISTERS.items()}, since,
                    {name: e.numbers.get(obis) for name, obis in REGISTERS.items()}, e.captured, REGISTERS)
                for kind, details in flags:
                    self.event(doc, e.captured, kind, details, "warning")
                    self.db["rollups"].bulk_write([flag_op(doc, e.captured, kind, details, self.tz)])
                if deltas:
                    changes += rollup_changes(doc, [(e.captured, deltas, 1)], self.tz,
                                              e.captured - since <= DASHBOARD_SPAN)
                previous, since = e.numbers, e.captured
        if changes:
            self.db["rollups"].bulk_write([c.update() for c in merge(changes)], ordered=False)

    def first_of_day(self, started_hour: list[Pending]) -> list[Pending]:
        """Of readings that started a new hour bucket, those that also started their meter's day (its day marker
        was created now; a day of an older version's day bucket counts as started)."""
        if not started_hour:
            return []
        marks = self.db["readings"].bulk_write([day_marker(p.doc, p.day).update() for p in started_hour],
                                               ordered=False)
        return [started_hour[index] for index in marks.upserted_ids or {}]

    def _pending(self, doc: dict[str, Any], readings: list[Reading], captured: datetime, peer: str | None,
                 received: datetime) -> Pending:
        numbers = {r.obis: r.value for r in readings if isinstance(r.value, int | float) and r.obis != CLOCK}
        local = captured.astimezone(self.tz)  # buckets are the utility's days
        return Pending(doc, readings, captured, peer, received, numbers, {obis_key(o): v for o, v in numbers.items()},
                       {obis_key(r.obis): {"value": r.value, "unit": r.unit} for r in readings if r.obis != CLOCK},
                       local.strftime("%Y-%m-%d"), "t" + local.strftime("%H%M%S"))

    def meter_for(self, identifier: str) -> dict[str, Any] | None:
        """The archived meter behind an edge identifier: its number, or "st:<system title>" for secured meters."""
        if identifier.startswith("st:"):
            return self.meters.col.find_one({"security.system_title": identifier[3:]})
        return self.meters.get(identifier)

    def decipher(self, meter: dict[str, Any], apdu: bytes) -> tuple[bytes, int]:
        """The plaintext of a ciphered push and the meter's invocation counter on it."""
        block_key, auth_key = self.secret(meter, "block_cipher_key"), self.secret(meter, "authentication_key")
        if not block_key or not auth_key:
            raise SecurityError(f"meter {meter['_id']} sends ciphered pushes but has no keys in the archive")
        keys = SecurityKeys(bytes.fromhex(block_key), bytes.fromhex(auth_key), HES_SYSTEM_TITLE)
        deciphered = decrypt(apdu, keys, None)
        return deciphered.apdu, deciphered.invocation_counter

    def layout(self, profile_id: str | None) -> list[PushField]:
        if profile_id not in self._layouts:
            profile = (self.profiles.get(profile_id) if profile_id else None) or self.profiles.default() or {}
            objects = {(o["obis"], o["index"]): o for o in profile.get("objects", []) if o["kind"] == "attribute"}
            self._layouts[profile_id] = [
                PushField(e["position"], e["obis"], e["class_id"], e["index"],
                          objects.get((e["obis"], e["index"]), {}).get("scaler"),
                          objects.get((e["obis"], e["index"]), {}).get("unit"),
                          objects.get((e["obis"], e["index"]), {}).get("data_type"))
                for e in profile.get("push_layout", [])
            ]
        return self._layouts[profile_id]

    def store(self, meter: dict[str, Any], readings: list[Reading], captured: datetime, peer: str | None,
              received: datetime) -> None:
        p = self._pending(meter, readings, captured, peer, received)
        bucket = self.db["readings"].update_one(*_bucket_update(p), upsert=True)
        if bucket.upserted_id is not None and self.first_of_day([p]):  # one more meter seen that day
            self.db["rollups"].bulk_write([c.update() for c in seen_changes([(meter, p.day)])], ordered=False)
        before = self.meters.col.find_one_and_update(
            {"_id": meter["_id"], "$or": [{"last_reading_at": None}, {"last_reading_at": {"$lt": captured}}]},
            {"$set": {"last_reading_at": captured, "latest": p.latest, "online": True, "peer": peer,
                      "registers": {"import": p.numbers.get(IMPORT), "export": p.numbers.get(EXPORT)}},
             "$max": {"last_seen": received}, "$min": {"first_seen": received, "first_reading_at": captured}})
        if before is None:
            self.meters.col.update_one({"_id": meter["_id"]}, {"$max": {"last_seen": received}})
            return  # a repeat or an older reading: already counted
        previous = {**(before.get("registers") or {}), "at": before.get("last_reading_at")}
        if before.get("last_reading_at") is not None:
            self.rollup(meter, captured, previous, p.numbers)

    # --- rollups -------------------------------------------------------------------------------
    def rollup(self, meter: dict[str, Any], captured: datetime, previous: dict[str, Any],
               numbers: dict[str, Any]) -> None:
        before_at = previous.get("at") or captured
        deltas, flags = energy_between(
            {name: previous.get(name.split("_")[0]) for name in REGISTERS}, before_at,
            {name: numbers.get(obis) for name, obis in REGISTERS.items()}, captured, REGISTERS)
        for kind, details in flags:
            self.event(meter, captured, kind, details, "warning")
            self.db["rollups"].bulk_write([flag_op(meter, captured, kind, details, self.tz)])
        if not deltas:
            return
        short = captured - before_at <= DASHBOARD_SPAN  # a delta over a long gap is not the last hour's energy
        self.db["rollups"].bulk_write(rollup_ops(meter, [(captured, deltas, 1)], self.tz, short), ordered=False)

    def event(self, meter: dict[str, Any], at: datetime, kind: str, details: dict[str, Any],
              severity: str = "info") -> None:
        self.db["events"].insert_one({"_id": uuid.uuid4().hex, "meter": meter["_id"], "area_id": meter.get("area_id"),
                                      "at": at, "type": kind, "severity": severity, "tamper": False,
                                      "details": details, "recorded_at": now()})

    def quarantine(self, meter: str | None, reason: str, raw: str) -> None:
        log.warning("quarantined a frame of %s: %s", meter, reason)
        self.db["quarantine"].insert_one({"_id": uuid.uuid4().hex, "meter": meter, "reason": reason, "raw": raw,
                                          "at": now()})


@dataclass
class Pending:
    """A decoded push waiting for its batch's writes."""
    doc: dict[str, Any]
    readings: list[Reading]
    captured: datetime
    peer: str | None
    received: datetime
    numbers: dict[str, Any]  # OBIS -> numeric value
    point: dict[str, Any]  # the bucket's point: OBIS key -> value
    latest: dict[str, Any]  # OBIS key -> {value, unit}
    day: str
    slot: str


def bucket_id(meter: str, day: str, slot: str) -> str:
    """The hour bucket holding a reading: its meter, local day and the hour of its slot ("tHHMMSS")."""
    return f"{meter}|{day}T{slot[1:3]}"


def day_marker(meter: dict[str, Any], day: str) -> Change:
    """A meter's marker for a day it sent readings on (no points; created once)."""
    return Change(f"{meter['_id']}|{day}", on_insert={"meter": meter["_id"], "area_id": meter.get("area_id"),
                                                      "day": day})


def seen_changes(meter_days: Iterable[tuple[dict[str, Any], str]]) -> list[Change]:
    """One more meter seen on that day, for the fleet and the meter's area, per (meter, day): the day rollups'
    `seen` counts (merged: one change per rollup)."""
    return merge([Change(f"{scope}|{key}|d|{day}", inc={"seen": 1},
                         on_insert={"scope": scope, "key": key, "grain": "d", "period": day})
                  for meter, day in meter_days for scope, key in group_scopes(meter)])


def _bucket_update(p: Pending) -> tuple[dict[str, Any], dict[str, Any]]:
    """Filter and update putting a reading into its meter's hour bucket (a repeat sets the same keys)."""
    return ({"_id": bucket_id(p.doc["_id"], p.day, p.slot)},
            {"$set": {f"points.{p.slot}": p.point, "meter": p.doc["_id"], "area_id": p.doc.get("area_id"),
                      "day": p.day}, "$max": {"last_at": p.captured}})


def _time(frame: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(frame["at"])
    except (KeyError, TypeError, ValueError):
        return None


def group_scopes(meter: dict[str, Any]) -> list[tuple[str, str]]:
    """The fleet, and the meter's area when it has one."""
    return [("f", "all")] + ([("a", meter["area_id"])] if meter.get("area_id") else [])


def energy_scopes(meter: dict[str, Any]) -> list[tuple[str, str]]:
    """Where the meter's energy adds up: none for an area's check meter, whose energy is the area's input,
    not consumption (it would count the area's energy twice)."""
    return [] if meter.get("check_meter_of") else group_scopes(meter)


def rollup_changes(meter: dict[str, Any], deltas: list[tuple[datetime, dict[str, float], int]],
                   tz: ZoneInfo, five_minute: bool = True, groups: list[tuple[str, str]] | None = None,
                   own: bool = True) -> list[Change]:
    """Energy (and reading counts, both may be negative to take some back) at their capture times, as $inc
    changes. A meter has one document per day (its hours inside, `h00`..`h23`) and one per month (its days
    inside, `d01`..`d31`, so a month of many meters is one document each); its area
    and the fleet have hourly, daily and monthly ones, plus 5-minute ones for the dashboard (recent hours
    only: older ones would never be shown; and none for energy that spans a long gap, which is not the last
    hour's). Several deltas for one document are summed. `groups` overrides the meter's energy scopes;
    `own=False` leaves the meter's own documents out."""
    sums: dict[tuple[str, str, str, str], dict[str, float]] = {}
    groups = energy_scopes(meter) if groups is None else groups
    recent = datetime.now(UTC) - timedelta(hours=2)

    def add(target: tuple[str, str, str, str], values: dict[str, float], prefix: str = "") -> None:
        acc = sums.setdefault(target, {})
        for name, value in values.items():
            acc[prefix + name] = acc.get(prefix + name, 0) + value

    for captured, delta, count in deltas:
        # a reading closes the interval before it: energy read at 00:00 belongs to the day that just ended
        local = (captured - INTERVAL_END).astimezone(tz)
        hour, day, month = local.strftime("%Y-%m-%dT%H"), local.strftime("%Y-%m-%d"), local.strftime("%Y-%m")
        values = {**delta, "readings": count}
        if own:
            add(("m", meter["_id"], "d", day), values)
            add(("m", meter["_id"], "d", day), values, f"hours.h{local.hour:02d}.")
            add(("m", meter["_id"], "m", month), values)
            add(("m", meter["_id"], "m", month), values, f"days.d{local.day:02d}.")
        for scope, key in groups:
            for grain, period in (("h", hour), ("d", day), ("m", month)):
                add((scope, key, grain, period), values)
            if five_minute and captured >= recent:
                add((scope, key, "q", five_minute_key(captured - INTERVAL_END, tz)), values)
    return [Change(f"{scope}|{key}|{grain}|{period}", inc=inc,
                   on_insert={"scope": scope, "key": key, "grain": grain, "period": period})
            for (scope, key, grain, period), inc in sums.items()]


def rollup_ops(meter: dict[str, Any], deltas: list[tuple[datetime, dict[str, float], int]],
               tz: ZoneInfo, five_minute: bool = True) -> list[UpdateOne]:
    return [c.update() for c in rollup_changes(meter, deltas, tz, five_minute)]


def flag_op(meter: dict[str, Any], at: datetime, kind: str, details: dict[str, Any], tz: ZoneInfo) -> UpdateOne:
    """Note a register reset or implausible jump on the meter's month rollup, where reports read it."""
    month = at.astimezone(tz).strftime("%Y-%m")
    return UpdateOne({"_id": f"m|{meter['_id']}|m|{month}"},
                     {"$push": {"flags": {"at": at, "type": kind, "details": details}},
                      "$setOnInsert": {"scope": "m", "key": meter["_id"], "grain": "m", "period": month}},
                     upsert=True)
