"""The one permission table: which role holds which permission (DESIGN §5).

Every route names exactly one permission (or is public); the API edge checks it
against this table. Customer users additionally get their data scoped to their
own customer record by the services.
"""
from __future__ import annotations

READ = ("areas:read", "meters:read", "sims:read", "customers:read", "profiles:read", "devices:read", "jobs:read",
        "reports:read")
WRITE = ("areas:write", "meters:write", "sims:write", "customers:write", "profiles:write", "commands:execute",
         "alerts:acknowledge", "readings:import")
ADMIN_ONLY = ("users:manage", "audit:read", "settings:manage")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(("self",) + READ + WRITE + ADMIN_ONLY),
    "operator": frozenset(("self",) + READ + WRITE),
    "viewer": frozenset(("self",) + READ),
    # a customer reads only its own meters and customer record (scoped in services)
    "customer": frozenset(("self", "meters:read", "customers:read")),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())


def allows(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
