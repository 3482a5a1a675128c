"""A check meter's load: the energy into an area (feeder or distribution transformer) for the meters behind it.

What the customers really draw (a bypassed or reversed meter registers less, the supply does not), nothing
while a customer's supply is out, plus the transformer's no-load and load losses and the line loss, measured
with a check meter's small error. Pure, like consumption.py: a function of (seeds, time).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from simulator.consumption import Consumer, LoadShape, slot_index, unit_random
from simulator.scenarios import Scenario

POWER_FACTOR = 0.9  # the load's kW into the kVA the transformer is rated in (as the HES estimates it)
ACCURACY = 0.01  # the check meter reads within +-0.5 %


@dataclass(frozen=True)
class Transformer:
    rating_kva: float = 100.0
    no_load_loss_kw: float = 0.0
    load_loss_kw: float = 0.0  # at the rated load
    line_loss_pct: float = 0.0


# Distribution transformers (kVA: no-load kW, load loss kW at rating), typical of current efficiency rules.
STANDARD_SIZES = ((50.0, 0.09, 1.1), (100.0, 0.145, 1.75), (160.0, 0.21, 2.35), (250.0, 0.3, 3.25),
                  (400.0, 0.43, 4.6), (630.0, 0.6, 6.5), (1000.0, 0.77, 10.5))


def transformer_for(peak_kw: float, line_loss_pct: float = 3.0) -> Transformer:
    """The smallest standard transformer carrying peak_kw at 80 % of its rating (the largest otherwise)."""
    size = next((s for s in STANDARD_SIZES if s[0] * POWER_FACTOR * 0.8 >= peak_kw), STANDARD_SIZES[-1])
    return Transformer(*size, line_loss_pct)


def input_w(customers_w: float, transformer: Transformer) -> float:
    """What the check meter sees for the customers' demand: input = customers + no-load + load loss + line loss,
    where the load and line losses grow with the input itself (solved by a few fixed-point steps)."""
    rating_w = transformer.rating_kva * 1000 * POWER_FACTOR
    line = transformer.line_loss_pct / 100
    total = customers_w + transformer.no_load_loss_kw * 1000
    for _ in range(4):
        copper = transformer.load_loss_kw * 1000 * (total / rating_w) ** 2
        total = (customers_w + transformer.no_load_loss_kw * 1000 + copper) / (1 - line)
    return total


@dataclass(frozen=True)
class FeederConsumer(Consumer):
    """A Consumer whose demand is its members' true demand plus the losses of the supply."""

    members: tuple[tuple[Consumer, Scenario], ...] = ()
    transformer: Transformer = field(default_factory=Transformer)

    @property
    def scale(self) -> float:
        return 1.0  # the members carry their own sizes

    def expected_w(self, t: datetime) -> float:
        return sum(consumer.expected_w(t) for consumer, _ in self.members)

    def customers_w(self, t: datetime) -> float:
        return sum(consumer.demand_w(t) for consumer, scenario in self.members if not scenario.in_outage(t))

    def demand_w(self, t: datetime) -> float:
        error = 1 + ACCURACY * (unit_random(self.seed, slot_index(t), salt=50) - 0.5)
        return input_w(self.customers_w(t), self.transformer) * error


def feeder_consumer(seed: int, members: tuple[tuple[Consumer, Scenario], ...], transformer: Transformer
                    ) -> FeederConsumer:
    mean_w = sum(consumer.shape.mean_w * consumer.scale for consumer, _ in members)
    shape = LoadShape("feeder", (1.0,) * 24, weekend=1.0, mean_w=mean_w, phases=3, power_factor=POWER_FACTOR)
    return FeederConsumer(shape, seed, members=members, transformer=transformer)

