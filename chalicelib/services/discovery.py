"""Discover a connected meter's objects by reading its association object list (0.0.40.0.0.255, attribute 2)."""
from __future__ import annotations

from typing import Any

from chalicelib.dlms.obis import catalogue
from chalicelib.errors import NotFound
from chalicelib.services.context import Principal
from chalicelib.services.jobs import JobService
from chalicelib.services.profiles import ProfileService

ASSOCIATION = "0.0.40.0.0.255"
ACCESS = {1: "R", 2: "W", 3: "RW"}  # attribute access modes; method access 1/2 means executable


class DiscoveryService:
    def __init__(self, jobs: JobService, profiles: ProfileService) -> None:
        self.jobs = jobs
        self.profiles = profiles

    def start(self, who: Principal, profile_id: str, meter_number: str) -> dict[str, Any]:
        self.profiles.get(profile_id)
        self.jobs.meters.visible(who, meter_number)
        plan = [{"op": "get", "obis": ASSOCIATION, "class_id": 15, "index": 2, "name": "Association object list",
                 "unit": None, "data_type": "array"}]
        return self.jobs.submit(who, "read", {meter_number: plan}, f"discover objects of {meter_number}")

    def result(self, profile_id: str, job_id: str) -> dict[str, Any]:
        profile = self.profiles.get(profile_id)
        job = self.jobs.get(job_id)
        if not job["title"].startswith("discover objects"):
            raise NotFound(f"job '{job_id}' is not an object discovery")
        items = job["results"][0]["items"] if job["results"] else []
        listing = next((i for i in items if i["obis"] == ASSOCIATION and i["ok"]), None)
        known = {(o["obis"], o["kind"], o["index"]) for o in profile["objects"]}
        objects = [{**o, "in_profile": (o["obis"], o["kind"], o["index"]) in known}
                   for o in objects_from_listing(listing["value"] if listing else [])]
        failure = next((i for i in items if not i["ok"]), None)
        return {"job": job_id, "status": job["status"], "meter_number": job["results"][0]["meter_number"],
                "error": (failure["detail"] or failure["reason"]) if failure else None, "objects": objects}


def objects_from_listing(listing: list[Any]) -> list[dict[str, Any]]:
    """Profile objects from an object list: [class_id, version, logical name (hex), [attributes, methods]]."""
    found = []
    for entry in listing:
        try:
            class_id, _, name_hex, rights = entry[0], entry[1], entry[2], entry[3]
            obis = ".".join(str(b) for b in bytes.fromhex(name_hex))
            attributes, methods = (rights[0] or []), (rights[1] or [])
        except (TypeError, ValueError, IndexError):
            continue
        name = catalogue().describe(obis, class_id) or f"Class {class_id} object {obis}"
        for attr in attributes:
            index, mode = attr[0], attr[1]
            if index >= 2 and mode in ACCESS:
                found.append({"obis": obis, "class_id": class_id, "kind": "attribute", "index": index,
                              "name": name if index == 2 else f"{name} (attribute {index})", "access": ACCESS[mode]})
        for method in methods:
            if method[1] in (1, 2):
                found.append({"obis": obis, "class_id": class_id, "kind": "method", "index": method[0],
                              "name": f"{name} (method {method[0]})", "access": "X"})
    return found
