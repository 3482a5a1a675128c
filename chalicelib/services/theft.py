"""Theft detection runs: score every meter (rules + anomaly model, `chalicelib.domain.theft`), keep the
scores, and raise one high-priority "Investigation" alert per meter per episode.

A run is a document in `theft_runs` (queued -> running -> done | failed) worked by `functions/evaluate_rules`
(the RULES queue for on-demand runs, a daily schedule for yesterday). Scores live in `theft_scores` with
`_id = "{as_of}|{meter}"`, so a day's list and a meter's history are `_id` lookups. `theft_state` keeps each
meter's current episode: a meter flagged on consecutive runs stays one episode and one alert; the episode
ends on the first run that no longer flags it, and only a later flag opens a new one.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.database import Database

from chalicelib.adapters.repositories import ID_CHUNK, AreaRepository, CustomerRepository, find_ids, now
from chalicelib.domain.events import SEVERITY_RANK
from chalicelib.domain.periods import days, local_today
from chalicelib.domain.revenue import TheftSettings
from chalicelib.domain.theft import MeterScore, TheftConfig, evaluate
from chalicelib.errors import BadRequest, DomainError, NotFound
from chalicelib.services.common import ListQuery
from chalicelib.services.consumption import ConsumptionService
from chalicelib.services.context import Auditor, Principal
from chalicelib.services.energy_balance import EnergyBalanceService, supply_of
from chalicelib.services.theft_history import load_histories

ALERT_TYPE = "investigation"
RISK_RANK = {"low": 0, "medium": 1, "high": 2}
SETTINGS_ID = "theft"
PROFILE_DAYS, EVENT_DAYS, HISTORY_RUNS = 90, 30, 60
LOSS_DAYS = 30


def _as_of_text(value: date) -> str:
    return value.isoformat()


class TheftService:
    def __init__(self, db: Database, consumption: ConsumptionService, timezone: str,
                 enqueue: Callable[[dict[str, Any]], Any], audit: Auditor,
                 energy_balance: EnergyBalanceService | None = None) -> None:
        self.db = db
        self.energy_balance = energy_balance
        self.runs, self.scores, self.state = db["theft_runs"], db["theft_scores"], db["theft_state"]
        self.alerts, self.cases, self.meters = db["alerts"], db["cases"], db["meters"]
        self.areas, self.customers = AreaRepository(db), CustomerRepository(db)
        self.settings_col = db["settings"]
        self.consumption = consumption
        self.tz = ZoneInfo(timezone)
        self.enqueue = enqueue
        self.audit = audit

    # --- settings ----------------------------------------------------------------------------------
    def get_settings(self) -> dict[str, Any]:
        stored = self.settings_col.find_one({"_id": SETTINGS_ID}) or {}
        return TheftSettings(**{k: v for k, v in stored.items() if k in TheftSettings.model_fields}).model_dump()

    def put_settings(self, who: Principal, body: TheftSettings) -> dict[str, Any]:
        before, after = self.get_settings(), body.model_dump()
        self.settings_col.update_one({"_id": SETTINGS_ID}, {"$set": {**after, "updated_at": now()}}, upsert=True)
        self.audit.record(who, "update", "settings", SETTINGS_ID, before=before, after=after)
        return after

    def config(self) -> TheftConfig:
        s = self.get_settings()
        return TheftConfig(drop_pct=s["drop_pct"], area_ratio_pct=s["area_ratio_pct"])

    # --- runs ----------------------------------------------------------------------------------------
    def start(self, who: Principal, area: str | None, as_of: date | None, trigger: str = "on_demand"
              ) -> dict[str, Any]:
        today = local_today(self.tz)
        if area and self.areas.get(area) is None:
            raise NotFound(f"area '{area}' does not exist")
        day = as_of or today - timedelta(days=1)
        if day > today:
            raise BadRequest(f"as_of {day.isoformat()} is in the future",
                             [{"field": "as_of", "message": "must be today or earlier"}])
        doc = {"_id": uuid.uuid4().hex[:16], "area_id": area or None, "as_of": _as_of_text(day), "status": "queued",
               "trigger": trigger, "requested_by": who.username, "created_at": now(), "finished_at": None,
               "meters_scored": None, "high": None, "medium": None, "alerts_raised": None, "error": None}
        self.runs.insert_one(doc)
        if trigger == "on_demand":
            self.audit.record(who, "run", "theft_detection", str(doc["_id"]),
                              after={"area": doc["area_id"], "as_of": doc["as_of"]})
        self.enqueue({"theft_run": doc["_id"]})
        return {"id": doc["_id"], "status": "queued"}

    def scheduled(self, moment: datetime | None = None) -> dict[str, Any] | None:
        """The daily run for yesterday, unless one for every area already exists for that day."""
        today = (moment or datetime.now(UTC)).astimezone(self.tz).date()
        as_of = _as_of_text(today - timedelta(days=1))
        if self.runs.find_one({"as_of": as_of, "area_id": None, "status": {"$in": ["queued", "running", "done"]}}):
            return None
        system = Principal("system", "admin")
        return self.start(system, None, today - timedelta(days=1), trigger="schedule")

    def run(self, run_id: str) -> dict[str, Any] | None:
        """Work one queued run (the evaluate_rules function calls this for each message)."""
        doc = self.runs.find_one_and_update({"_id": run_id, "status": {"$in": ["queued", "failed"]}},
                                            {"$set": {"status": "running", "started_at": now()}},
                                            return_document=True)
        if doc is None:
            return None  # unknown, or already worked (a redelivered message)
        try:
            counts = self.score(doc["area_id"], date.fromisoformat(doc["as_of"]), doc["_id"])
        except DomainError as exc:
            self.runs.update_one({"_id": run_id}, {"$set": {"status": "failed", "error": exc.message,
                                                            "finished_at": now()}})
            return None
        except Exception as exc:  # the message is retried; the run says why it failed meanwhile
            self.runs.update_one({"_id": run_id}, {"$set": {"status": "failed", "error": f"internal error: {exc}",
                                                            "finished_at": now()}})
            raise
        self.runs.update_one({"_id": run_id}, {"$set": {"status": "done", "finished_at": now(), **counts}})
        return self.runs.find_one({"_id": run_id})

    def score(self, area: str | None, as_of: date, run_id: str | None = None) -> dict[str, int]:
        """Score the area's (or every) meter for `as_of`, store the scores, raise the alerts."""
        histories = load_histories(self.db, self.consumption, None, area, as_of, labels=self.labels(None),
                                   area_losses=self.area_losses(area, as_of))
        scored = evaluate(histories, as_of, self.config(), seed=0)
        areas = {h.meter_number: h.area_id for h in histories}
        self._store(scored, areas, as_of, run_id)
        raised = self._alerts(scored, areas, as_of)
        return {"meters_scored": len(scored), "high": sum(s.risk == "high" for s in scored),
                "medium": sum(s.risk == "medium" for s in scored), "alerts_raised": raised}

    def area_losses(self, area: str | None, as_of: date) -> dict[str, float]:
        """Each area's non-technical loss % over its reliable days of the last LOSS_DAYS (areas with a check
        meter only): theft in an area shows up in its energy balance before any single meter is caught."""
        if self.energy_balance is None:
            return {}
        areas = [a for a in self.db["areas"].find({"_id": area} if area else {}) if supply_of(a)]
        if not areas:
            return {}
        out: dict[str, float] = {}
        for item in self.energy_balance.balances(areas, as_of - timedelta(days=LOSS_DAYS - 1), as_of):
            pct = item["totals"].get("non_technical_pct")
            if pct is not None:
                out[item["area_id"]] = float(pct)
        return out

    def labels(self, meters: list[str] | None) -> dict[str, str]:
        """Each meter's latest investigation outcome (of these meters, or of all): what the model may learn from."""
        out: dict[str, tuple[datetime, str]] = {}
        criteria = {"status": "resolved"} if meters is None else {"meter_number": {"$in": meters}, "status": "resolved"}
        for case in self.cases.find(criteria, {"meter_number": 1, "outcome": 1, "resolved_at": 1}):
            at = case.get("resolved_at") or datetime.min.replace(tzinfo=UTC)
            if case.get("outcome") and (case["meter_number"] not in out or out[case["meter_number"]][0] < at):
                out[case["meter_number"]] = (at, case["outcome"])
        return {m: outcome for m, (_, outcome) in out.items()}

    def _store(self, scored: list[MeterScore], areas: dict[str, str | None], as_of: date, run_id: str | None) -> None:
        day, moment = _as_of_text(as_of), now()
        docs = [{"_id": f"{day}|{s.meter_number}", "meter_number": s.meter_number, "area_id": areas.get(s.meter_number),
                 "as_of": day, "score": round(float(s.score), 4), "risk": s.risk, "reasons": list(s.reasons),
                 "rule_hits": [_hit(h) for h in s.rule_hits],
                 "model_score": None if s.model_score is None else round(float(s.model_score), 4),
                 "data_days": int(s.data_days), "run_id": run_id, "computed_at": moment} for s in scored]
        ids = [d["_id"] for d in docs]
        for n in range(0, len(ids), ID_CHUNK):
            self.scores.delete_many({"_id": {"$in": ids[n:n + ID_CHUNK]}})
        for n in range(0, len(docs), 1000):
            self.scores.insert_many(docs[n:n + 1000], ordered=False)

    def _flagged(self, s: MeterScore, min_risk: str) -> bool:
        return bool(s.rule_hits) or RISK_RANK[s.risk] >= RISK_RANK[min_risk]

    def _alerts(self, scored: list[MeterScore], areas: dict[str, str | None], as_of: date) -> int:
        day = _as_of_text(as_of)
        min_risk = self.get_settings()["alert_min_risk"]
        meters = [s.meter_number for s in scored]
        states = {d["_id"]: d for d in find_ids(self.state, meters)}
        open_cases = {c["meter_number"] for c in self.cases.find(
            {"meter_number": {"$in": meters}, "status": {"$in": ["open", "investigating"]}}, {"meter_number": 1})}
        at = datetime.combine(as_of + timedelta(days=1), time(0), self.tz).astimezone(UTC)
        raised = 0
        for s in scored:
            state = states.get(s.meter_number) or {}
            if state.get("last_as_of", "") > day:
                continue  # a re-run of an older day does not reopen or close today's episode
            flagged = self._flagged(s, min_risk)
            if not flagged:
                self.state.update_one({"_id": s.meter_number}, {"$set": {"last_as_of": day, "episode_since": None}},
                                      upsert=True)
                continue
            if state.get("episode_since"):
                self.state.update_one({"_id": s.meter_number}, {"$set": {"last_as_of": day}})
                continue
            self.state.update_one({"_id": s.meter_number}, {"$set": {"last_as_of": day, "episode_since": day}},
                                  upsert=True)
            if s.meter_number in open_cases:
                continue  # already being investigated
            self._raise(s, areas.get(s.meter_number), at, day)
            raised += 1
        return raised

    def _raise(self, s: MeterScore, area: str | None, at: datetime, day: str) -> None:
        details = {"as_of": day, "score": round(float(s.score), 4), "risk": s.risk, "reasons": list(s.reasons)[:4],
                   "rules": [h.rule for h in s.rule_hits]}
        self.alerts.update_one(
            {"meter": s.meter_number, "type": ALERT_TYPE, "active": True},
            {"$inc": {"count": 1}, "$max": {"last_at": at}, "$min": {"first_at": at}, "$set": {"details": details},
             "$setOnInsert": {"_id": uuid.uuid4().hex, "area_id": area, "severity": "high",
                              "rank": SEVERITY_RANK["high"], "source": "theft", "created_at": now()}},
            upsert=True)

    def find_runs(self, query: ListQuery) -> dict[str, Any]:
        criteria = {"area_id": query.area} if query.area else {}
        total = self.runs.count_documents(criteria)
        docs = list(self.runs.find(criteria).sort([("created_at", -1)]).skip((query.page - 1) * query.page_size)
                    .limit(query.page_size))
        return {"items": [_run_view(d) for d in docs], "total": total, "page": query.page,
                "page_size": query.page_size}

    def get_run(self, run_id: str) -> dict[str, Any]:
        doc = self.runs.find_one({"_id": run_id})
        if doc is None:
            raise NotFound(f"theft detection run '{run_id}' does not exist")
        return _run_view(doc)

    # --- scores --------------------------------------------------------------------------------------
    def latest_as_of(self, area: str | None) -> str | None:
        """The newest day scored by a finished run covering the area (its own run or a run of every area)."""
        criteria: dict[str, Any] = {"status": "done"}
        if area:
            criteria["area_id"] = {"$in": [area, None]}
        best = None
        for doc in self.runs.find(criteria, {"as_of": 1}):
            best = doc["as_of"] if best is None or doc["as_of"] > best else best
        return best

    def _as_of_param(self, raw: str | None, area: str | None) -> str | None:
        if not raw:
            return self.latest_as_of(area)
        try:
            return date.fromisoformat(raw[:10]).isoformat()
        except ValueError:
            raise BadRequest("as_of must be a date (YYYY-MM-DD)", [{"field": "as_of", "message": "not a date"}]) \
                from None

    def find_scores(self, query: ListQuery, as_of_raw: str | None) -> dict[str, Any]:
        risk = query.filter("risk")
        if risk and risk not in RISK_RANK:
            raise BadRequest(f"unknown risk '{risk}'", [{"field": "risk", "message": "high, medium or low"}])
        if query.area and self.areas.get(query.area) is None:
            raise NotFound(f"area '{query.area}' does not exist")
        as_of = self._as_of_param(as_of_raw, query.area)
        empty = {"items": [], "total": 0, "page": query.page, "page_size": query.page_size, "as_of": as_of}
        if as_of is None:
            return empty
        meters = self.meters.find({"area_id": query.area} if query.area else {}, {"customer_id": 1, "area_id": 1})
        meter_docs = {m["_id"]: m for m in meters}
        if query.q:
            needle = query.q.strip()
            meter_docs = {k: v for k, v in meter_docs.items() if needle in k}
        docs = list(find_ids(self.scores, [f"{as_of}|{m}" for m in meter_docs]))
        if risk:
            docs = [d for d in docs if d["risk"] == risk]
        docs.sort(key=lambda d: (-d["score"], d["meter_number"]))
        page = docs[(query.page - 1) * query.page_size: query.page * query.page_size]
        return {**empty, "items": self._score_views(page, meter_docs), "total": len(docs)}

    def _score_views(self, docs: list[dict[str, Any]], meter_docs: dict[str, dict[str, Any]]
                     ) -> list[dict[str, Any]]:
        numbers = [d["meter_number"] for d in docs]
        areas = self.areas.get_many(d["area_id"] for d in docs if d.get("area_id"))
        customers = self.customers.get_many(meter_docs[n]["customer_id"] for n in numbers
                                            if meter_docs.get(n, {}).get("customer_id"))
        open_case: dict[str, str] = {}
        confirmed: dict[str, int] = {}
        if numbers:
            for case in self.cases.find({"meter_number": {"$in": numbers}}, {"meter_number": 1, "status": 1,
                                                                             "outcome": 1}):
                if case["status"] != "resolved":
                    open_case[case["meter_number"]] = case["_id"]
                elif case.get("outcome") == "theft_confirmed":
                    confirmed[case["meter_number"]] = confirmed.get(case["meter_number"], 0) + 1
        out = []
        for d in docs:
            meter = meter_docs.get(d["meter_number"]) or {}
            out.append({
                "meter_number": d["meter_number"], "area_id": d.get("area_id"),
                "area_name": areas.get(d.get("area_id") or "", {}).get("name"),
                "customer_name": customers.get(meter.get("customer_id") or "", {}).get("name"), "as_of": d["as_of"],
                "score": d["score"], "risk": d["risk"], "reasons": d.get("reasons") or [],
                "rule_hits": d.get("rule_hits") or [], "model_score": d.get("model_score"),
                "data_days": d.get("data_days", 0), "open_case": open_case.get(d["meter_number"]),
                "confirmed_thefts": confirmed.get(d["meter_number"], 0)})
        return out

    def detail(self, meter_number: str, as_of_raw: str | None) -> dict[str, Any]:
        meter = self.meters.find_one({"_id": meter_number}, {"customer_id": 1, "area_id": 1})
        if meter is None:
            raise NotFound(f"meter '{meter_number}' does not exist")
        as_of = self._as_of_param(as_of_raw, meter.get("area_id"))
        doc = self.scores.find_one({"_id": f"{as_of}|{meter_number}"}) if as_of else None
        if doc is None or as_of is None:
            raise NotFound(f"meter '{meter_number}' has no theft score" + (f" for {as_of}" if as_of else " yet"))
        view = self._score_views([doc], {meter_number: meter})[0]
        last = date.fromisoformat(as_of)
        first = last - timedelta(days=PROFILE_DAYS - 1)
        view["profile"], view["area_profile"] = self.profiles(meter_number, meter.get("area_id"), first, last)
        view["events"] = self.recent_events(meter_number, last, EVENT_DAYS)
        view["cases"] = [{"id": c["_id"], "status": c["status"], "outcome": c.get("outcome"),
                          "created_at": c["created_at"], "resolved_at": c.get("resolved_at")}
                         for c in sorted(self.cases.find({"meter_number": meter_number}),
                                         key=lambda c: c["created_at"], reverse=True)]
        ids = [f"{(last - timedelta(days=n)).isoformat()}|{meter_number}" for n in range(HISTORY_RUNS)]
        history = sorted(find_ids(self.scores, ids, {"as_of": 1, "score": 1}), key=lambda d: d["as_of"])
        view["history"] = [{"as_of": h["as_of"], "score": h["score"]} for h in history]
        return view

    def profiles(self, meter_number: str, area: str | None, first: date, last: date
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The meter's daily import and its area's average per meter with data, day by day (None = gap)."""
        own = self.consumption.values_many([meter_number], "daily", first, last)
        peers: dict[tuple[str, str], dict[str, float]] = {}
        peer_ids = [m["_id"] for m in self.meters.find({"area_id": area}, {"_id": 1}).limit(500)] if area else []
        if peer_ids:
            peers = self.consumption.values_many(peer_ids, "daily", first, last)
        per_day: dict[str, list[float]] = {}
        for (_, day), v in peers.items():
            per_day.setdefault(day, []).append(v["import_wh"])
        profile, area_profile = [], []
        for d in days(first, last):
            key = d.isoformat()
            mine = own.get((meter_number, key))
            profile.append({"day": key, "import_kwh": round(mine["import_wh"] / 1000, 3) if mine else None})
            values = per_day.get(key)
            area_profile.append({"day": key, "import_kwh": round(sum(values) / len(values) / 1000, 3)
                                 if values else None})
        return profile, area_profile

    def recent_events(self, meter_number: str, last: date, span: int) -> list[dict[str, Any]]:
        since = datetime.combine(last - timedelta(days=span - 1), time(0), self.tz).astimezone(UTC)
        until = datetime.combine(last + timedelta(days=1), time(0), self.tz).astimezone(UTC)
        docs = self.db["events"].find({"meter": meter_number, "at": {"$gte": since, "$lt": until}},
                                      {"at": 1, "type": 1, "severity": 1, "tamper": 1})
        out = [{"at": e["at"], "type": e["type"], "severity": e.get("severity", "info"),
                "tamper": bool(e.get("tamper"))} for e in docs if e.get("type") != "alert_acknowledged"]
        return sorted(out, key=lambda e: e["at"], reverse=True)[:200]


def _hit(h: Any) -> dict[str, Any]:
    since = getattr(h, "since", None)
    return {"rule": h.rule, "message": h.message, "value": round(float(h.value), 2),
            "since": since.isoformat() if since else None}


def _run_view(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "area_id": doc.get("area_id"), "as_of": doc["as_of"], "status": doc["status"],
            "trigger": doc.get("trigger", "on_demand"), "requested_by": doc.get("requested_by"),
            "created_at": doc["created_at"], "finished_at": doc.get("finished_at"),
            "meters_scored": doc.get("meters_scored"), "high": doc.get("high"), "medium": doc.get("medium"),
            "alerts_raised": doc.get("alerts_raised"), "error": doc.get("error")}
