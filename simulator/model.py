"""A meter's measuring state, advanced in time: registers, relay, clock, credit, profile and logs.

No DLMS here: meter.py shows this state through COSEM objects. Time is always passed in
(real UTC time); the meter's own clock is real time + an offset that a clock SET changes.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from simulator import scenarios as sc
from simulator.consumption import SLOT, Consumer, unit_random
from simulator.prepaid import TokenCheck, check_token
from simulator.scenarios import Scenario

PROFILE_CAPACITY = 4 * 24 * 4  # four days of 15-minute rows
EVENT_CAPACITY = 100


@dataclass(frozen=True)
class Measurements:
    voltage_v: float
    current_a: float
    power_w: float
    power_factor: float
    frequency_hz: float


class MeterModel:
    def __init__(self, meter_number: str, consumer: Consumer, scenario: Scenario, now: datetime,
                 history: timedelta = timedelta(days=2)) -> None:
        self.meter_number = meter_number
        self.consumer = consumer
        self.scenario = scenario
        seed = consumer.seed
        self.import_wh = consumer.shape.mean_w * 24 * (200 + 600 * unit_random(seed, 0, salt=30))  # 200-800 days
        self.export_wh = 0.0
        self.credit_wh = 50_000.0 + 10_000 * int(10 * unit_random(seed, 0, salt=31))
        self.relay_connected = True
        self.clock_offset = timedelta(0)
        self.load_profile: deque[tuple[datetime, int, int]] = deque(maxlen=PROFILE_CAPACITY)
        self.standard_events: deque[tuple[datetime, int]] = deque(maxlen=EVENT_CAPACITY)
        self.fraud_events: deque[tuple[datetime, int]] = deque(maxlen=EVENT_CAPACITY)
        self.max_demand_w, self.max_demand_at = 0, now  # highest 15-minute demand this month, and when
        self.used_tokens: set[str] = set()
        self.last_token: tuple[str, datetime, TokenCheck] | None = None
        self._t = now - history
        self._powered = not scenario.in_outage(self._t)
        self.advance(now)

    def meter_time(self, now: datetime) -> datetime:
        return now + self.clock_offset

    def _next_capture(self, t: datetime) -> datetime:
        """Real time of the first capture boundary of the meter clock after t."""
        meter = self.meter_time(t)
        elapsed = (meter - meter.replace(hour=0, minute=0, second=0, microsecond=0)) // SLOT + 1
        return meter.replace(hour=0, minute=0, second=0, microsecond=0) + SLOT * elapsed - self.clock_offset

    def advance(self, now: datetime) -> None:
        """Integrate energy up to now, capturing profile rows and logging events on the way."""
        if now <= self._t:
            return
        for at, code in self.scenario.fraud_events(self._t, now):
            self.fraud_events.append((self.meter_time(at), code))
        while self._t < now:
            capture = self._next_capture(self._t)
            change = self.scenario.next_change(self._t)
            end = min(now, capture, change or now)
            powered = not self.scenario.in_outage(self._t)
            if powered != self._powered:
                self.standard_events.append((self.meter_time(self._t), sc.POWER_UP if powered else sc.POWER_DOWN))
                self._powered = powered
            if powered and self.relay_connected:
                hours = (end - self._t).total_seconds() / 3600
                demand = self.consumer.demand_w(self._t)
                imported, exported = self.scenario.registered(self._t)
                self.import_wh += demand * imported * hours
                self.export_wh += demand * exported * hours
                self.credit_wh = max(0.0, self.credit_wh - demand * imported * hours)
            if end == capture:
                self._capture(end, powered)
            self._t = end

    def _capture(self, at: datetime, powered: bool) -> None:
        if not powered:
            return  # a meter without supply records nothing; the HES sees the gap
        stamp = self.meter_time(at)
        if self.load_profile:
            previous_stamp, previous_import, _ = self.load_profile[-1]
            demand = (int(self.import_wh) - previous_import) / ((stamp - previous_stamp).total_seconds() / 3600)
            if (stamp.year, stamp.month) != (self.max_demand_at.year, self.max_demand_at.month):
                self.max_demand_w, self.max_demand_at = 0, stamp  # maximum demand restarts every month
            if demand > self.max_demand_w and stamp - previous_stamp == SLOT:
                self.max_demand_w, self.max_demand_at = round(demand), stamp
        self.load_profile.append((stamp, int(self.import_wh), int(self.export_wh)))

    def measurements(self, now: datetime) -> Measurements:
        voltage = self.consumer.voltage_v(now)
        power_factor, frequency = self.consumer.power_factor(now), self.consumer.frequency_hz(now)
        if not self.relay_connected or self.scenario.in_outage(now):
            return Measurements(voltage, 0.0, 0.0, power_factor, frequency)
        power = self.consumer.demand_w(now) * self.scenario.registered(now)[0]
        current = power / (self.consumer.shape.phases * voltage * power_factor)
        return Measurements(voltage, current, power, power_factor, frequency)

    def set_relay(self, connected: bool, now: datetime) -> None:
        self.advance(now)
        if connected != self.relay_connected:
            self.relay_connected = connected
            self.standard_events.append((self.meter_time(now), sc.REMOTE_RECONNECT if connected
                                         else sc.REMOTE_DISCONNECT))

    def set_clock(self, meter_time: datetime, now: datetime) -> None:
        self.advance(now)
        self.standard_events.append((self.meter_time(now), sc.CLOCK_ADJUSTED_OLD))
        self.clock_offset = meter_time - now
        self.standard_events.append((meter_time, sc.CLOCK_ADJUSTED_NEW))

    def enter_token(self, token: str, now: datetime) -> TokenCheck:
        self.advance(now)
        result = check_token(token, self.meter_number, self.used_tokens)
        if result.accepted:
            self.used_tokens.add(token)
            self.credit_wh += result.credit_wh
        self.last_token = (token, self.meter_time(now), result)
        self.standard_events.append((self.meter_time(now), sc.TOKEN_ACCEPTED if result.accepted
                                     else sc.TOKEN_REJECTED))
        return result
