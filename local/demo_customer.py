"""A customer login for the demo, so the customer's own pages can be tried: user `customer`, linked to the
customer who owns the first demo meter with an ordinary scenario (online, live data, no tamper).

Its password is HES_DEMO_CUSTOMER_PASSWORD, or one generated at creation and printed once in the banner
(then changed at the first login, like the admin's local default).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from chalicelib.bootstrap import Services
from chalicelib.domain.models import UserCreate
from chalicelib.services.context import SYSTEM
from local import demo
from simulator.consumption import SHAPES
from simulator.fleet import parse_fractions, plan_fleet
from simulator.scenarios import NORMAL, SCENARIOS

USERNAME = "customer"


@dataclass(frozen=True)
class DemoCustomer:
    username: str
    customer_name: str
    meter_numbers: list[str]
    generated_password: str | None  # only on the run that created the login without a configured password


def owner_of_an_ordinary_meter(svc: Services) -> dict[str, Any] | None:
    configs = plan_fleet(demo.demo_numbers(svc), parse_fractions(demo.DEMO_SCENARIOS, SCENARIOS),
                         parse_fractions(demo.DEMO_SHAPES, SHAPES), demo.DEMO_SEED)
    ordinary = [c.meter_number for c in configs if c.scenario == NORMAL]
    meters = svc.meters.meters.get_many(ordinary)
    owner = next((meters[n]["customer_id"] for n in ordinary if meters.get(n, {}).get("customer_id")), None)
    return svc.customers.customers.get(owner) if owner else None


def ensure(svc: Services, password: str | None) -> DemoCustomer | None:
    """The demo customer login, created when missing; None when no demo meter has a customer."""
    user = svc.users.users.get(USERNAME)
    generated = None
    if user is None:
        customer = owner_of_an_ordinary_meter(svc)
        if customer is None:
            return None
        secret = password or secrets.token_urlsafe(12)
        generated = None if password else secret
        svc.users.create(SYSTEM, UserCreate(username=USERNAME, password=secret, role="customer",
                                            full_name=customer["name"], customer_id=customer["_id"]))
        if password:  # a configured password is the user's own choice: no forced change
            svc.users.users.update(USERNAME, {"must_change_password": False})
        user = svc.users.users.get(USERNAME) or {}
    customer = svc.customers.customers.get(user.get("customer_id") or "") or {}
    return DemoCustomer(USERNAME, customer.get("name", ""), list(customer.get("meter_numbers") or []), generated)
