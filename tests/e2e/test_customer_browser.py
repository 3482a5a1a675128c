"""The customer's journey on a phone-sized screen (frontend/e2e/customer.test.mjs) against a `make run` stack."""
from __future__ import annotations

import json
import os
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.e2e.conftest import Stack, start_stack, stop_stack
from tests.e2e.test_browser import needs_chromium, run_journey

ADMIN_PASSWORD = "grid-operator-2026"
MINE, THEIRS = "04399100001", "04399100002"


def call(stack: Stack, method: str, path: str, token: str | None = None, body: Any = None,
         content_type: str = "application/json") -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(stack.url + "/api/v1" + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as res:
        return json.loads(res.read() or b"null")


def two_customers(stack: Stack) -> None:
    """Two customers with a meter each and hourly readings up to now; the first one gets a login (`mina`)."""
    token = call(stack, "POST", "/auth/login", body={"username": "admin", "password": ADMIN_PASSWORD})["access_token"]
    area = call(stack, "POST", "/areas", token, {"name": "Downtown"})["id"]
    for number in (MINE, THEIRS):
        call(stack, "POST", "/meters", token, {"meter_number": number, "concentrator_id": "DCU-1",
                                               "meter_type": "Single Phase", "area_id": area})
    mine = call(stack, "POST", "/customers", token, {"name": "Mina Mine", "address": "1 Road",
                                                     "phone": "+234 800000", "meter_numbers": [MINE]})
    call(stack, "POST", "/customers", token, {"name": "Theo Theirs", "address": "2 Road", "phone": "+234 800001",
                                              "meter_numbers": [THEIRS]})
    local = ZoneInfo(os.environ.get("HES_TIMEZONE", "Africa/Lagos"))
    now = datetime.now(local).replace(minute=0, second=0, microsecond=0)
    start = (now - timedelta(days=2)).replace(hour=0)
    lines = ["Meter Number,Timestamp,Import kWh,Export kWh"]
    hours = int((now - start).total_seconds() // 3600) + 1
    for number, per_hour in ((MINE, 0.6), (THEIRS, 2.5)):
        lines += [f"{number},{(start + timedelta(hours=h)).isoformat()},{100 + per_hour * h:.3f},0"
                  for h in range(hours)]
    report = call(stack, "POST", "/readings/import", token, ("\n".join(lines) + "\n").encode(), "text/csv")
    assert report["written"] == 2 * hours, report
    call(stack, "POST", "/users", token, {"username": "mina", "password": "first-password-1", "role": "customer",
                                          "customer_id": mine["id"]})


@needs_chromium
def test_a_customer_on_a_phone_sees_only_its_own_meter(tmp_path: Path) -> None:
    stack = start_stack(tmp_path, HES_ADMIN_PASSWORD=ADMIN_PASSWORD)
    try:
        two_customers(stack)
        run_journey("customer.test.mjs", stack, Path(os.environ.get("HES_SCREENSHOTS", tmp_path)) / "customer",
                    HES_CUSTOMER="mina", HES_CUSTOMER_PASSWORD="first-password-1", HES_METER=MINE,
                    HES_OTHER_METER=THEIRS)
    finally:
        assert stop_stack(stack) == 0
