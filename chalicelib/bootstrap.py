"""One place that wires adapters into services; shared by the API, functions, tools and tests."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from pymongo.database import Database

from chalicelib.adapters import db as dbmod
from chalicelib.adapters.queues import CommandQueues, Queue
from chalicelib.adapters.repositories import (
    AreaRepository,
    AuditRepository,
    CustomerRepository,
    DeviceProfileRepository,
    MeterRepository,
    RefreshTokenRepository,
    SimRepository,
    UserRepository,
)
from chalicelib.domain.secrets_box import SecretBox
from chalicelib.services.alerts import AlertService
from chalicelib.services.areas import AreaService
from chalicelib.services.auth import AuthService
from chalicelib.services.cases import CaseService
from chalicelib.services.consumption import ConsumptionService
from chalicelib.services.context import SYSTEM, Auditor
from chalicelib.services.customers import CustomerService
from chalicelib.services.dashboard import DashboardService
from chalicelib.services.discovery import DiscoveryService
from chalicelib.services.energy_balance import EnergyBalanceService
from chalicelib.services.event_log import EventLogService
from chalicelib.services.events import EventService
from chalicelib.services.exports import ExportService
from chalicelib.services.import_uploads import ImportUploadService
from chalicelib.services.imports import ImportService
from chalicelib.services.ingest import IngestService
from chalicelib.services.jobs import JobService
from chalicelib.services.leakage import LeakageService
from chalicelib.services.meters import MeterService
from chalicelib.services.profiles import ProfileService
from chalicelib.services.reading_import import ReadingImportService
from chalicelib.services.self_service import SelfService
from chalicelib.services.sims import SimService
from chalicelib.services.system import SystemService
from chalicelib.services.telemetry import TelemetryService
from chalicelib.services.theft import TheftService
from chalicelib.services.users import UserService
from chalicelib.settings import Settings, get_settings


@dataclass
class Services:
    settings: Settings
    db: Database
    audit_log: AuditRepository
    auth: AuthService
    areas: AreaService
    meters: MeterService
    sims: SimService
    customers: CustomerService
    users: UserService
    imports: ImportService
    profiles: ProfileService
    system: SystemService
    ingest: IngestService
    telemetry: TelemetryService
    jobs: JobService
    discovery: DiscoveryService
    events: EventService
    alerts: AlertService
    event_log: EventLogService
    dashboard: DashboardService
    consumption: ConsumptionService
    energy_balance: EnergyBalanceService
    reading_import: ReadingImportService
    import_uploads: ImportUploadService
    exports: ExportService
    leakage: LeakageService
    theft: TheftService
    cases: CaseService
    self_service: SelfService


def database_uri(settings: Settings) -> str:
    """The configured URI, or the embedded local server the runner starts when none is set."""
    return settings.mongodb_uri or f"mongodb://127.0.0.1:{settings.db_port}/"


def bootstrap(settings: Settings | None = None, db: Database | None = None) -> Services:
    settings = settings or get_settings()
    if db is None:
        db = dbmod.client_for(database_uri(settings))[settings.db_name]
    areas, meters, sims = AreaRepository(db), MeterRepository(db), SimRepository(db)
    customers, users, tokens = CustomerRepository(db), UserRepository(db), RefreshTokenRepository(db)
    audit_repo = AuditRepository(db)
    audit = Auditor(audit_repo)
    profile_repo = DeviceProfileRepository(db)
    system = SystemService(db, audit)
    meter_svc = MeterService(meters, areas, sims, customers, profile_repo, audit,
                             lambda: int(system.get()["online_window_s"]), SecretBox(settings.meter_key_secret))
    sim_svc = SimService(sims, meters, customers, audit)
    customer_svc = CustomerService(customers, meters, sims, users, audit)
    profile_svc = ProfileService(profile_repo, meters, audit, settings.max_import_bytes)
    jobs = JobService(db, meter_svc, profile_repo, CommandQueues(settings.commands_queue).send, audit)
    events = EventService(db, meters, jobs)
    jobs.result_hooks.append(events.from_results)
    alerts = AlertService(db)
    event_log = EventLogService(db, settings.timezone)
    dashboard = DashboardService(db, alerts, event_log, settings.timezone, lambda: int(system.get()["online_window_s"]))
    consumption = ConsumptionService(db, meter_svc, settings.timezone)
    energy_balance = EnergyBalanceService(db, consumption, alerts, settings.timezone)
    leakage = LeakageService(db, consumption, settings.timezone, lambda: int(system.get()["online_window_s"]))
    jobs.result_hooks.append(leakage.from_results)  # relay history for the leakage indicators
    theft = TheftService(db, consumption, settings.timezone, Queue(settings.rules_queue).send, audit, energy_balance)
    exports = ExportService(db, consumption, event_log, dashboard, settings.timezone, settings.reports_bucket,
                            Queue(settings.exports_queue).send, audit)
    reading_import = ReadingImportService(db, settings.timezone, audit, settings.max_interval_import_bytes)
    services = Services(
        settings=settings, db=db, audit_log=audit_repo,
        auth=AuthService(settings, users, tokens, audit),
        areas=AreaService(areas, meters, audit, energy_balance.move_check_meter),
        meters=meter_svc, sims=sim_svc, customers=customer_svc,
        users=UserService(users, tokens, customers, audit),
        imports=ImportService(meter_svc, sim_svc, customer_svc, audit, settings.max_import_bytes),
        profiles=profile_svc,
        system=system,
        ingest=IngestService(db, meters, profile_repo, settings.timezone, jobs.record, meter_svc.secret),
        jobs=jobs,
        discovery=DiscoveryService(jobs, profile_svc),
        events=events,
        telemetry=TelemetryService(db, meter_svc, settings.timezone),
        alerts=alerts, event_log=event_log, energy_balance=energy_balance,
        dashboard=dashboard, consumption=consumption, leakage=leakage,
        exports=exports, self_service=SelfService(db, meter_svc, consumption, exports, jobs),
        theft=theft, cases=CaseService(db, theft, alerts, settings.timezone, audit),
        reading_import=reading_import,
        import_uploads=ImportUploadService(db, reading_import, settings.reports_bucket,
                                           Queue(settings.exports_queue).send, settings.stage == "local"),
    )
    dbmod.ensure_indexes(db)
    services.auth.ensure_admin()
    services.profiles.ensure_default(SYSTEM)
    alerts.ensure_ranks()
    return services


_lock = threading.Lock()
_services: Services | None = None


def services() -> Services:
    """The process-wide services, created on first use (lazily, once per Lambda container)."""
    global _services
    with _lock:
        if _services is None:
            _services = bootstrap()
        return _services


def reset_services(new: Services | None = None) -> None:
    """Tests point the API at their own database with this."""
    global _services
    with _lock:
        _services = new
