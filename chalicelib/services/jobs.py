"""Commands on meters as jobs: validated against each meter's profile, queued for the edge, results stored.

A job survives restarts of the API (it is a document); each meter's result is its own document
(`job_results`, `_id` "<job>|<meter>"), so a result delivered twice is stored once.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from chalicelib.adapters.repositories import DeviceProfileRepository, now
from chalicelib.domain.jobs import (
    ACCESS_OF_KIND,
    CREDIT,
    JOB_TIMEOUT_S,
    OP_OF_KIND,
    RELAY,
    TOKEN_GATEWAY,
    TOKEN_STATUS,
    JobCreate,
    JobItem,
)
from chalicelib.errors import NotFound, ValidationFailed
from chalicelib.services.common import ListQuery, page_of
from chalicelib.services.context import Auditor, Principal
from chalicelib.services.meters import MeterService

Send = Callable[[dict[str, Any]], None]
ABLE = {"read": "readable", "write": "writable", "action": "executable"}
NUMERIC = {"double-long", "double-long-unsigned", "integer", "long", "unsigned", "long-unsigned", "long64",
           "long64-unsigned", "enum", "float32", "float64"}


class JobService:
    def __init__(self, db: Database, meters: MeterService, profiles: DeviceProfileRepository, send: Send,
                 audit: Auditor) -> None:
        self.jobs, self.results, self.tokens_col = db["jobs"], db["job_results"], db["tokens"]
        self.meters = meters
        self.profiles = profiles
        self.send = send
        self.audit = audit
        self.result_hooks: list[Callable[[dict[str, Any], list[dict[str, Any]]], Any]] = []

    # --- creating --------------------------------------------------------------------------------
    def create(self, who: Principal, body: JobCreate, title: str | None = None,
               extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        plans: dict[str, list[dict[str, Any]]] = {}
        problems: list[dict[str, Any]] = []
        known = self.meters.meters.get_many(body.meters)
        for number in dict.fromkeys(body.meters):
            meter = known.get(number)
            if meter is None:
                problems.append({"field": "meters", "message": f"unknown meter '{number}'"})
                continue
            objects = self._objects(meter.get("device_profile"))
            plan = []
            for i, item in enumerate(body.items):
                resolved, problem = _resolve(body.kind, item.model_dump(), objects)
                if problem:
                    problems.append({"field": f"items.{i}", "message": f"meter {number}: {problem}"})
                else:
                    plan.append(resolved)
            # read-backs the profile knows (a meter without them still gets the command itself)
            plans[number] = plan + [r for r, problem in (_resolve("read", e, objects) for e in extra or [])
                                    if not problem]
        if problems:
            raise ValidationFailed(problems[0]["message"] if len(problems) == 1 else
                                   f"{len(problems)} problems; nothing was sent", problems)
        return self.submit(who, body.kind, plans,
                           title or f"{body.kind} {len(body.items)} item(s) on {len(plans)} meter(s)")

    def submit(self, who: Principal, kind: str, plans: dict[str, list[dict[str, Any]]], title: str,
               audited: bool = True) -> dict[str, Any]:
        """Store the job and queue one command per meter (plans are already checked). Routine system polls are
        not audited (the audit log is for what people do)."""
        first = plans[next(iter(plans))]
        job: dict[str, Any] = {
            "_id": uuid.uuid4().hex[:16], "kind": kind, "meters": list(plans), "items": first, "title": title,
            "total": len(plans), "done": 0, "status": "running", "created_by": who.username,
            "created_at": now(), "finished_at": None,
        }
        self.jobs.insert_one(job)
        meters = self.meters.meters.get_many(plans)
        for number, plan in plans.items():
            meter = meters.get(number, {})
            self.send({"job": job["_id"], "meter": number, "items": plan, "dial": self._modem(meter),
                       "edge": meter.get("edge") if meter.get("online") else None,  # the edge holding its socket
                       "security": meter.get("security"),  # secrets stay sealed; the edge opens them
                       "counters": meter.get("invocation_counters")})  # HLS frame counters kept from before
        if audited:
            self.audit.record(who, f"command_{kind}", "job", job["_id"],
                              after={"meters": job["meters"], "items": first, "title": title})
        return {"id": job["_id"], "status": "running"}

    def _modem(self, meter: dict[str, Any]) -> dict[str, Any] | None:
        """Where the HES can dial the meter when it has no live socket: its SIM's IP and port."""
        sim = self.meters.sims.get(meter["sim_number"]) if meter.get("sim_number") else None
        return {"host": sim["ip_address"], "port": sim["port"]} if sim else None

    def _objects(self, profile_id: str | None) -> dict[tuple[str, str, int], dict[str, Any]]:
        profile = (self.profiles.get(profile_id) if profile_id else None) or self.profiles.default() or {}
        return {(o["obis"], o["kind"], o["index"]): o for o in profile.get("objects", [])}

    def relay(self, who: Principal, meter_number: str, action: str) -> dict[str, Any]:
        self.meters.visible(who, meter_number)
        method = 1 if action == "disconnect" else 2
        body = JobCreate(kind="action", meters=[meter_number], items=[JobItem(obis=RELAY, index=method, value=0)])
        return self.create(who, body, f"relay {action} {meter_number}",
                           extra=[{"obis": RELAY, "index": 2}, {"obis": RELAY, "index": 3}])

    def diagnose(self, who: Principal, meter_number: str) -> dict[str, Any]:
        """The edge listener's view of the meter's connection: peer, open since, last frames in hex."""
        self.meters.visible(who, meter_number)
        item = {"op": "diagnostics", "obis": "0.0.0.0.0.0", "class_id": 0, "index": 0,
                "name": "Connection diagnostics", "unit": None}
        return self.submit(who, "read", {meter_number: [item]}, f"connection diagnostics {meter_number}",
                           audited=False)

    def load_token(self, who: Principal, meter_number: str, token: str) -> dict[str, Any]:
        self.meters.visible(who, meter_number)
        body = JobCreate(kind="action", meters=[meter_number], items=[JobItem(obis=TOKEN_GATEWAY, index=1,
                                                                             value=token)])
        accepted = self.create(who, body, f"token load {meter_number}", extra=[{"obis": TOKEN_GATEWAY, "index": 6},
                                                                             {"obis": CREDIT, "index": 2}])
        self.tokens_col.insert_one({
            "_id": accepted["id"], "meter_number": meter_number, "token": "*" * 16 + token[-4:],
            "status": "pending", "detail": None, "credit_wh": None, "job": accepted["id"],
            "requested_by": who.username, "requested_at": now(), "finished_at": None})
        return accepted

    # --- results (from decode_frames) --------------------------------------------------------------
    def record(self, job_id: str, meter: str, results: list[dict[str, Any]]) -> None:
        job = self.jobs.find_one({"_id": job_id})
        if job is None:
            return
        by_key = {(i["op"], i["obis"], i["index"]): i for i in job["items"]}
        items = [{**r, **{k: by_key.get((r["op"], r["obis"], r["index"]), {}).get(k) for k in ("name", "unit",
                                                                                        "scaler")}}
                 for r in results]
        # effects first (they are idempotent), so the job is only "done" once what it changed is visible
        self._side_effects(job, meter, items)
        meter_doc = self.meters.meters.get(meter)
        if meter_doc is not None:
            for hook in self.result_hooks:
                hook(meter_doc, items)
        try:
            self.results.insert_one({"_id": f"{job_id}|{meter}", "job": job_id, "meter": meter,
                                     "items": [_storable(i) for i in items], "at": now()})
        except DuplicateKeyError:
            return  # delivered twice
        after = self.jobs.find_one_and_update({"_id": job_id}, {"$inc": {"done": 1}}, return_document=True)
        if after and after["done"] >= after["total"]:
            self.jobs.update_one({"_id": job_id}, {"$set": {"status": "done", "finished_at": now()}})

    def _side_effects(self, job: dict[str, Any], meter: str, items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["ok"] and item["op"] == "get" and item["obis"] == RELAY and item["index"] == 2:
                state = "connected" if item["value"] else "disconnected"
                at = _read_at(item)
                # results can arrive twice or out of order (SQS): only a newer read-back moves the state
                self.meters.meters.col.update_one(
                    {"_id": meter, "$or": [{"relay_state_at": {"$exists": False}}, {"relay_state_at": {"$lt": at}}]},
                    {"$set": {"relay_state": state, "relay_state_at": at}})
            if item["ok"] and item["op"] == "get" and item["obis"] == CREDIT and item["index"] == 2 \
                    and isinstance(item["value"], int | float) and not isinstance(item["value"], bool):
                at = _read_at(item)
                self.meters.meters.col.update_one(  # the customer's "current credit"; newest read-back wins
                    {"_id": meter, "$or": [{"credit_at": {"$exists": False}}, {"credit_at": {"$lt": at}}]},
                    {"$set": {"credit_value": item["value"] * (item.get("scaler") or 1),
                              "credit_unit": item.get("unit"), "credit_at": at}})
        token = self.tokens_col.find_one({"_id": job["_id"]})
        if token is None:
            return
        entered = next((i for i in items if i["op"] == "action" and i["obis"] == TOKEN_GATEWAY), None)
        credit = next((i["value"] for i in items if i["obis"] == CREDIT and i["ok"]), None)
        status_code = next((i["value"][0] for i in items if i["obis"] == TOKEN_GATEWAY and i["op"] == "get"
                            and i["ok"] and isinstance(i["value"], list) and i["value"]), None)
        if entered is None or (not entered["ok"] and entered.get("detail") == "meter offline"):
            status, detail = "failed", (entered or {}).get("detail") or "no answer"
        elif entered["ok"]:
            status, detail = "accepted", TOKEN_STATUS[3]
        else:
            status = "rejected"
            detail = TOKEN_STATUS.get(status_code) if isinstance(status_code, int) else None
            detail = detail or entered.get("detail") or "refused"
        self.tokens_col.update_one({"_id": job["_id"]}, {"$set": {
            "status": status, "detail": detail, "credit_wh": credit, "finished_at": now()}})

    # --- reading ---------------------------------------------------------------------------------
    def get(self, job_id: str) -> dict[str, Any]:
        job = self.jobs.find_one({"_id": job_id})
        if job is None:
            raise NotFound(f"job '{job_id}' does not exist")
        return self._view(job)

    def _view(self, job: dict[str, Any]) -> dict[str, Any]:
        done = {r["meter"]: {**r, "items": [_readable(i) for i in r["items"]]}
                for r in self.results.find({"job": job["_id"]})}
        expired = job["status"] == "running" and now() - job["created_at"] > timedelta(seconds=JOB_TIMEOUT_S)
        results = []
        for meter in job["meters"]:
            if meter in done:
                items = done[meter]["items"]
                results.append({"meter_number": meter, "status": "done" if all(i["ok"] for i in items) else "failed",
                                "items": items})
            else:
                results.append({"meter_number": meter, "status": "timed_out" if expired else "pending", "items": []})
        return {"id": job["_id"], "kind": job["kind"], "title": job["title"],
                "status": "timed_out" if expired else job["status"],
                "progress": {"done": job["done"], "total": job["total"]}, "items": job["items"],
                "results": results, "created_by": job["created_by"], "created_at": job["created_at"],
                "finished_at": job.get("finished_at")}

    def find(self, query: ListQuery) -> dict[str, Any]:
        filters = {"meters": query.q.strip()} if query.q else {}
        total = self.jobs.count_documents(filters)
        docs = self.jobs.find(filters).sort([("created_at", -1)]).skip((query.page - 1) * query.page_size).limit(
            query.page_size)
        return page_of([self._view(d) for d in docs], total, query)

    def token_history(self, who: Principal, meter_number: str, query: ListQuery) -> dict[str, Any]:
        self.meters.visible(who, meter_number)
        filters = {"meter_number": meter_number}
        total = self.tokens_col.count_documents(filters)
        docs = self.tokens_col.find(filters).sort([("requested_at", -1)]).skip(
            (query.page - 1) * query.page_size).limit(query.page_size)
        return page_of([{"id": d["_id"], **{k: v for k, v in d.items() if k != "_id"}} for d in docs], total, query)


def _storable(item: dict[str, Any]) -> dict[str, Any]:
    """Structured values (arrays of structures) are kept as JSON text: the shared MongoDB subset has no
    nested arrays."""
    if isinstance(item.get("value"), list | dict):
        return {**item, "value": None, "value_json": json.dumps(item["value"])}
    return item


def _readable(item: dict[str, Any]) -> dict[str, Any]:
    if "value_json" in item:
        return {**{k: v for k, v in item.items() if k != "value_json"}, "value": json.loads(item["value_json"])}
    return item


def _resolve(kind: str, item: dict[str, Any], objects: dict[tuple[str, str, int], dict[str, Any]]
             ) -> tuple[dict[str, Any], str | None]:
    """The queued form of one requested item, or why the meter's profile does not allow it."""
    object_kind = "method" if kind == "action" else "attribute"
    obj = objects.get((item["obis"], object_kind, item["index"]))
    label = f"{item['obis']} {object_kind} {item['index']}"
    if obj is None:
        return {}, f"{label} is not in the meter's device profile"
    if obj["access"] not in ACCESS_OF_KIND[kind]:
        return {}, f"{label} ({obj['name']}) is not {ABLE[kind]}"
    if item.get("class_id") and item["class_id"] != obj["class_id"]:
        return {}, f"{label} is class {obj['class_id']} in the profile, not {item['class_id']}"
    value, data_type = item.get("value"), obj.get("data_type")
    if kind == "write":
        problem = _value_problem(value, data_type)
        if problem:
            return {}, f"{label}: {problem}"
    resolved = {"op": OP_OF_KIND[kind], "obis": obj["obis"], "class_id": obj["class_id"], "index": obj["index"],
                "name": obj["name"], "unit": obj.get("unit"), "scaler": obj.get("scaler"), "data_type": data_type}
    if kind != "read":
        resolved["value"] = 0 if value is None and kind == "action" else value
    return resolved, None


def _value_problem(value: Any, data_type: str | None) -> str | None:
    if value is None:
        return "a value is required"
    if data_type in NUMERIC and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"expects a number ({data_type})"
    if data_type == "boolean" and not isinstance(value, bool):
        return "expects true or false"
    if data_type in ("octet-string", "visible-string", "utf8-string") and not isinstance(value, str):
        return f"expects text ({data_type})"
    if data_type == "date-time":
        try:
            if datetime.fromisoformat(str(value)).tzinfo is None:
                return "a date-time needs its UTC offset, e.g. 2026-11-26T10:00:00+01:00"
        except ValueError:
            return "expects an ISO 8601 date-time"
    return None


def _read_at(item: dict[str, Any]) -> datetime:
    """When the edge read an item (its ISO time), or now for results without one."""
    try:
        return datetime.fromisoformat(str(item["at"])).astimezone(UTC)
    except (KeyError, ValueError):
        return now()
