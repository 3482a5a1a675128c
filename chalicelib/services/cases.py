"""Investigations: a case per suspicious meter, from an alert, a theft score or by hand.

open -> investigating -> resolved (resolved -> investigating reopens). Opening captures the evidence
(score and reasons, rule hits, 60 days of daily consumption, 30 days of events, the alert) so the case
still shows what was seen when the data moves on. Every change leaves a timeline entry. Resolving needs
a field-visit outcome, which becomes the meter's label for the theft model, and may acknowledge the linked
alerts. One case at a time per meter: opening a second one answers 409 naming the open one.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo import ReturnDocument
from pymongo.database import Database

from chalicelib.adapters.repositories import AreaRepository, CustomerRepository, now
from chalicelib.domain.csv_export import write_csv
from chalicelib.domain.pdf_report import Chart, build_pdf
from chalicelib.domain.periods import local_today
from chalicelib.domain.revenue import OUTCOME_LABELS, TRANSITIONS, CaseCreate, CaseUpdate
from chalicelib.errors import BadRequest, Conflict, NotFound
from chalicelib.services.alerts import AlertService
from chalicelib.services.common import ListQuery, and_
from chalicelib.services.context import Auditor, Principal
from chalicelib.services.theft import TheftService

EVIDENCE_DAYS, EVIDENCE_EVENT_DAYS = 60, 30
STATUSES = ("open", "investigating", "resolved")
ASSIGNABLE_ROLES = ("admin", "operator")
CSV_HEADERS = ["Case", "Meter Number", "Customer", "Area", "Title", "Status", "Assignee", "Outcome", "Opened",
               "Opened By", "Resolved", "Resolved By", "Score", "Reasons"]


class CaseService:
    def __init__(self, db: Database, theft: TheftService, alerts: AlertService, timezone: str, audit: Auditor) -> None:
        self.db = db
        self.cases, self.counters, self.meters = db["cases"], db["counters"], db["meters"]
        self.areas, self.customers = AreaRepository(db), CustomerRepository(db)
        self.theft, self.alert_svc = theft, alerts
        self.tz = ZoneInfo(timezone)
        self.audit = audit

    # --- opening -------------------------------------------------------------------------------------
    def _next_id(self) -> str:
        doc = self.counters.find_one_and_update({"_id": "cases"}, {"$inc": {"seq": 1}}, upsert=True,
                                                return_document=ReturnDocument.AFTER)
        return f"C-{int((doc or {}).get('seq', 1)):06d}"

    def _assignee(self, username: str | None, field: str = "assignee") -> str | None:
        if not username:
            return None
        user = self.db["users"].find_one({"_id": username}, {"role": 1, "disabled": 1})
        if user is None:
            raise BadRequest(f"unknown user '{username}'", [{"field": field, "message": "no such user"}])
        if user.get("role") not in ASSIGNABLE_ROLES or user.get("disabled"):
            raise BadRequest(f"user '{username}' cannot take cases (admins and operators can)",
                             [{"field": field, "message": "not an active admin or operator"}])
        return username

    def open(self, who: Principal, body: CaseCreate) -> dict[str, Any]:
        alert = None
        if body.alert_id:
            alert = self.db["alerts"].find_one({"_id": body.alert_id})
            if alert is None:
                raise NotFound(f"alert '{body.alert_id}' does not exist")
            if body.meter_number and body.meter_number != alert["meter"]:
                raise BadRequest(f"alert '{body.alert_id}' is on meter {alert['meter']}, not {body.meter_number}",
                                 [{"field": "meter_number", "message": "does not match the alert"}])
        meter_number = alert["meter"] if alert else body.meter_number
        if not meter_number:
            raise BadRequest("name a meter or an alert", [{"field": "meter_number", "message": "required without "
                                                           "alert_id"}])
        meter = self.meters.find_one({"_id": meter_number}, {"area_id": 1, "customer_id": 1})
        if meter is None:
            raise NotFound(f"meter '{meter_number}' does not exist")
        assignee = self._assignee(body.assignee)
        existing = self.cases.find_one({"meter_number": meter_number, "status": {"$in": ["open", "investigating"]}},
                                       {"_id": 1})
        if existing:
            raise Conflict(f"meter {meter_number} already has an open case ({existing['_id']})",
                           [{"field": "meter_number", "message": f"open case {existing['_id']}"}])
        evidence = self.evidence(meter_number, meter.get("area_id"), alert)
        moment = now()
        source = "alert" if alert else "score" if evidence["score"] is not None else "manual"
        title = body.title or _default_title(alert, evidence, meter_number)
        timeline = [{"at": moment, "by": who.username, "kind": "opened",
                     "text": f"Opened from {'alert ' + alert['type'].replace('_', ' ') if alert else source}"}]
        if assignee:
            timeline.append({"at": moment, "by": who.username, "kind": "assignment", "text": f"Assigned to {assignee}"})
        if body.note:
            timeline.append({"at": moment, "by": who.username, "kind": "note", "text": body.note})
        alert_ids = [alert["_id"]] if alert else [a["_id"] for a in self.db["alerts"].find(
            {"meter": meter_number, "active": True, "type": "investigation"}, {"_id": 1})]
        doc = {"_id": self._next_id(), "meter_number": meter_number, "area_id": meter.get("area_id"),
               "customer_id": meter.get("customer_id"), "title": title, "status": "open", "assignee": assignee,
               "outcome": None, "source": source, "alert_ids": alert_ids, "created_by": who.username,
               "created_at": moment, "updated_at": moment, "resolved_at": None, "resolved_by": None,
               "evidence": evidence, "timeline": timeline}
        self.cases.insert_one(doc)
        self.audit.record(who, "create", "case", doc["_id"], after={"meter_number": meter_number, "title": title,
                                                                    "assignee": assignee, "alert_ids": alert_ids})
        return self.get(doc["_id"])

    def evidence(self, meter_number: str, area: str | None, alert: dict[str, Any] | None) -> dict[str, Any]:
        """What the case was opened on: the latest theft score, daily consumption and events."""
        as_of = self.theft.latest_as_of(area)
        score = self.db["theft_scores"].find_one({"_id": f"{as_of}|{meter_number}"}) if as_of else None
        last = date.fromisoformat(as_of) if as_of else local_today(self.tz)
        profile, _ = self.theft.profiles(meter_number, None, last - timedelta(days=EVIDENCE_DAYS - 1), last)
        return {"captured_at": now(), "as_of": as_of if score else None,
                "score": score["score"] if score else None, "risk": score["risk"] if score else None,
                "reasons": (score or {}).get("reasons") or [], "rule_hits": (score or {}).get("rule_hits") or [],
                "consumption": profile, "events": self.theft.recent_events(meter_number, last, EVIDENCE_EVENT_DAYS),
                "alert": _alert_evidence(alert)}

    # --- reading -------------------------------------------------------------------------------------
    def _criteria(self, query: ListQuery) -> dict[str, Any]:
        status, outcome = query.filter("status"), query.filter("outcome")
        if status and status not in STATUSES + ("active",):
            raise BadRequest(f"unknown status '{status}'",
                             [{"field": "status", "message": "open, investigating, resolved or active"}])
        if outcome and outcome not in OUTCOME_LABELS:
            raise BadRequest(f"unknown outcome '{outcome}'",
                             [{"field": "outcome", "message": ", ".join(OUTCOME_LABELS)}])
        return and_(
            {"status": {"$in": ["open", "investigating"]}} if status == "active" else {"status": status} if status
            else {},
            {"outcome": outcome} if outcome else {},
            {"area_id": query.area} if query.area else {},
            {"meter_number": query.filter("meter")} if query.filter("meter") else {},
            {"assignee": query.filter("assignee")} if query.filter("assignee") else {},
        )

    def find(self, query: ListQuery) -> dict[str, Any]:
        criteria = self._criteria(query)
        total = self.cases.count_documents(criteria)
        docs = list(self.cases.find(criteria, {"evidence": 0, "timeline": 0}).sort([("created_at", -1)])
                    .skip((query.page - 1) * query.page_size).limit(query.page_size))
        return {"items": self._views(docs), "total": total, "page": query.page, "page_size": query.page_size}

    def _views(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        areas = self.areas.get_many(d["area_id"] for d in docs if d.get("area_id"))
        customers = self.customers.get_many(d["customer_id"] for d in docs if d.get("customer_id"))
        return [{"id": d["_id"], "meter_number": d["meter_number"], "area_id": d.get("area_id"),
                 "area_name": areas.get(d.get("area_id") or "", {}).get("name"),
                 "customer_name": customers.get(d.get("customer_id") or "", {}).get("name"), "title": d["title"],
                 "status": d["status"], "assignee": d.get("assignee"), "outcome": d.get("outcome"),
                 "source": d.get("source", "manual"), "alert_ids": d.get("alert_ids") or [],
                 "created_by": d["created_by"], "created_at": d["created_at"], "updated_at": d["updated_at"],
                 "resolved_at": d.get("resolved_at"), "resolved_by": d.get("resolved_by")} for d in docs]

    def assignees(self) -> list[dict[str, Any]]:
        docs = self.db["users"].find({"role": {"$in": list(ASSIGNABLE_ROLES)}, "disabled": False},
                                     {"full_name": 1, "role": 1})
        return sorted(({"username": d["_id"], "full_name": d.get("full_name"), "role": d["role"]} for d in docs),
                      key=lambda u: u["username"])

    def _doc(self, case_id: str) -> dict[str, Any]:
        doc = self.cases.find_one({"_id": case_id})
        if doc is None:
            raise NotFound(f"case '{case_id}' does not exist")
        return doc

    def get(self, case_id: str) -> dict[str, Any]:
        doc = self._doc(case_id)
        return {**self._views([doc])[0], "evidence": doc["evidence"], "timeline": doc.get("timeline") or []}

    # --- changing ------------------------------------------------------------------------------------
    def update(self, who: Principal, case_id: str, body: CaseUpdate) -> dict[str, Any]:
        doc = self._doc(case_id)
        moment = now()
        fields: dict[str, Any] = {}
        entries: list[dict[str, Any]] = []
        status = body.status or doc["status"]
        if body.status and body.status != doc["status"]:
            if body.status not in TRANSITIONS[doc["status"]]:
                raise BadRequest(f"a case that is {doc['status']} cannot become {body.status}",
                                 [{"field": "status", "message": "allowed: " + ", ".join(TRANSITIONS[doc["status"]])}])
            fields["status"] = body.status
            entries.append({"at": moment, "by": who.username, "kind": "status",
                            "text": "Reopened" if doc["status"] == "resolved" else f"Status: {body.status}"})
        if status == "resolved" and doc["status"] != "resolved":
            if body.outcome is None:
                raise BadRequest("resolving a case needs the field visit's outcome",
                                 [{"field": "outcome", "message": "required to resolve: "
                                   + ", ".join(OUTCOME_LABELS)}])
            fields.update(outcome=body.outcome, resolved_at=moment, resolved_by=who.username)
            entries.append({"at": moment, "by": who.username, "kind": "outcome",
                            "text": f"Outcome: {OUTCOME_LABELS[body.outcome]}"})
        elif body.outcome is not None:
            if status != "resolved":
                raise BadRequest("an outcome is given when resolving",
                                 [{"field": "outcome", "message": "only with status resolved"}])
            if body.outcome != doc.get("outcome"):
                fields["outcome"] = body.outcome
                entries.append({"at": moment, "by": who.username, "kind": "outcome",
                                "text": f"Outcome corrected: {OUTCOME_LABELS[body.outcome]}"})
        if status != "resolved" and doc["status"] == "resolved":
            fields.update(resolved_at=None, resolved_by=None, outcome=None)
        if body.assignee is not None and (body.assignee or None) != doc.get("assignee"):
            fields["assignee"] = self._assignee(body.assignee or None)
            entries.append({"at": moment, "by": who.username, "kind": "assignment",
                            "text": f"Assigned to {body.assignee}" if body.assignee else "Unassigned"})
        if body.note:
            entries.append({"at": moment, "by": who.username, "kind": "note", "text": body.note})
        if body.acknowledge_alerts and fields.get("status") != "resolved":
            raise BadRequest("alerts are acknowledged when resolving",
                             [{"field": "acknowledge_alerts", "message": "only together with status resolved"}])
        if not fields and not entries:
            return self.get(case_id)
        fields["updated_at"] = moment
        self.cases.update_one({"_id": case_id}, {"$set": fields, "$push": {"timeline": {"$each": entries}}})
        if body.acknowledge_alerts:
            active = [a["_id"] for a in self.db["alerts"].find(
                {"_id": {"$in": doc.get("alert_ids") or []}, "active": True}, {"_id": 1})]
            if active:
                outcome = OUTCOME_LABELS[fields.get("outcome") or doc.get("outcome") or "no_theft"]
                self.alert_svc.acknowledge(who, active, f"Case {case_id} resolved: {outcome}")
                self.cases.update_one({"_id": case_id}, {"$push": {"timeline": {
                    "at": now(), "by": who.username, "kind": "status",
                    "text": f"Acknowledged {len(active)} linked alert{'s' if len(active) != 1 else ''}"}}})
        self.audit.record(who, "update", "case", case_id,
                          before={k: doc.get(k) for k in fields if k != "updated_at"},
                          after={k: v for k, v in fields.items() if k != "updated_at"})
        return self.get(case_id)

    def add_note(self, who: Principal, case_id: str, text: str) -> dict[str, Any]:
        self._doc(case_id)
        moment = now()
        self.cases.update_one({"_id": case_id}, {"$set": {"updated_at": moment}, "$push": {"timeline": {
            "at": moment, "by": who.username, "kind": "note", "text": text}}})
        return self.get(case_id)

    # --- files ---------------------------------------------------------------------------------------
    def csv(self, query: ListQuery) -> str:
        return write_csv(CSV_HEADERS, self._rows(query))

    def _rows(self, query: ListQuery) -> Iterator[list[Any]]:
        docs = list(self.cases.find(self._criteria(query), {"timeline": 0}).sort([("created_at", -1)]))
        views = self._views(docs)
        for doc, v in zip(docs, views, strict=True):
            ev = doc.get("evidence") or {}
            yield [v["id"], v["meter_number"], v["customer_name"], v["area_name"], v["title"], v["status"],
                   v["assignee"], OUTCOME_LABELS.get(v["outcome"] or "", ""), _local(v["created_at"], self.tz),
                   v["created_by"], _local(v["resolved_at"], self.tz), v["resolved_by"], ev.get("score"),
                   " | ".join(ev.get("reasons") or [])]

    def pdf(self, case_id: str) -> tuple[bytes, str]:
        case = self.get(case_id)
        ev = case["evidence"]
        filters = [("Meter", case["meter_number"]), ("Customer", case["customer_name"] or "-"),
                   ("Area", case["area_name"] or "-"), ("Status", case["status"]),
                   ("Assignee", case["assignee"] or "-"),
                   ("Outcome", OUTCOME_LABELS.get(case["outcome"] or "", "-")),
                   ("Opened", f"{_local(case['created_at'], self.tz)} by {case['created_by']}"),
                   ("Score", f"{ev['score']:.2f} ({ev['risk']}) as of {ev['as_of']}" if ev.get("score") is not None
                    else "not scored")]
        filters += [("Reason", r) for r in ev.get("reasons") or []]
        filters += [("Rule", h["message"]) for h in ev.get("rule_hits") or []]
        chart = Chart("bar", [p["day"] for p in ev["consumption"]],
                      {"Import": [p["import_kwh"] for p in ev["consumption"]]}, "kWh") if ev["consumption"] else None
        rows = [[_local(t["at"], self.tz), t["by"], t["kind"], t["text"]] for t in case["timeline"]]
        rows += [[_local(e["at"], self.tz), "meter", e["type"], e["severity"] + (" (tamper)" if e["tamper"] else "")]
                 for e in ev.get("events") or []]
        body = build_pdf(f"Investigation {case['id']}: {case['title']}", filters, ["When", "Who", "What", "Detail"],
                         rows, datetime.now(UTC).astimezone(self.tz), chart,
                         subtitle="Evidence captured when the case was opened, then the case timeline and the "
                                  "meter's events")
        return body, f"case-{case['id']}.pdf"


def _default_title(alert: dict[str, Any] | None, evidence: dict[str, Any], meter: str) -> str:
    if evidence.get("reasons"):
        return f"{meter}: {evidence['reasons'][0]}"[:200]
    if alert:
        return f"{meter}: {alert['type'].replace('_', ' ')}"
    return f"{meter}: investigation"


def _alert_evidence(alert: dict[str, Any] | None) -> dict[str, Any] | None:
    if alert is None:
        return None
    return {"id": alert["_id"], "type": alert["type"], "severity": alert.get("severity"),
            "count": alert.get("count", 1), "first_at": alert.get("first_at"), "last_at": alert.get("last_at"),
            "details": alert.get("details")}


def _local(value: datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
    return stamp.astimezone(tz).strftime("%Y-%m-%d %H:%M")
