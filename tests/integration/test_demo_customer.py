"""`make run`'s demo customer login: created once, linked to the owner of an ordinary demo meter."""
from __future__ import annotations

from chalicelib.bootstrap import Services
from chalicelib.services.auth import verify_password
from chalicelib.services.context import Principal
from local import demo, demo_customer
from simulator.consumption import SHAPES
from simulator.fleet import parse_fractions, plan_fleet
from simulator.scenarios import NORMAL, SCENARIOS


def test_the_demo_customer_owns_an_ordinary_meter_and_its_generated_password_is_shown_once(
        services: Services) -> None:
    assert demo.seed(services)
    first = demo_customer.ensure(services, None)
    assert first is not None and first.generated_password and len(first.generated_password) >= 10
    user = services.users.users.get("customer")
    assert user and user["role"] == "customer" and user["must_change_password"]
    assert verify_password(user["password_hash"], first.generated_password)
    scenarios = {c.meter_number: c.scenario for c in plan_fleet(
        demo.demo_numbers(services), parse_fractions(demo.DEMO_SCENARIOS, SCENARIOS),
        parse_fractions(demo.DEMO_SHAPES, SHAPES), demo.DEMO_SEED)}
    own = services.self_service.meters_of(Principal("customer", "customer", user["customer_id"]))
    assert own["customer_name"] == first.customer_name
    assert [m["meter_number"] for m in own["items"]] == first.meter_numbers
    assert any(scenarios.get(n) == NORMAL for n in first.meter_numbers)  # a simulated meter with live data

    again = demo_customer.ensure(services, None)
    assert again is not None and again.generated_password is None and again.meter_numbers == first.meter_numbers


def test_a_configured_demo_customer_password_needs_no_change(services: Services) -> None:
    assert demo.seed(services)
    made = demo_customer.ensure(services, "a-chosen-demo-password")
    user = services.users.users.get("customer")
    assert made is not None and made.generated_password is None
    assert user and not user["must_change_password"] and verify_password(user["password_hash"],
                                                                          "a-chosen-demo-password")
