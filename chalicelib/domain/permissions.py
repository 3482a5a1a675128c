"""The one permission table: which role holds which permission (DESIGN §5).

Every route names exactly one permission (or is public); the API edge checks it
against this table. Customers hold no staff permission: they read only through
the /my routes (`own:read`), which scope everything to the login's customer record.
"""
from __future__ import annotations

READ = ("areas:read", "meters:read", "sims:read", "customers:read", "profiles:read", "devices:read", "jobs:read",
        "reports:read")
WRITE = ("areas:write", "meters:write", "sims:write", "customers:write", "profiles:write", "commands:execute",
         "alerts:acknowledge", "readings:import", "theft:run", "cases:write")
ADMIN_ONLY = ("users:manage", "audit:read", "settings:manage")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(("self",) + READ + WRITE + ADMIN_ONLY),
    "operator": frozenset(("self",) + READ + WRITE),
    "viewer": frozenset(("self",) + READ),
    # a customer reads only its own meters, through the /my routes; every staff route answers it 403
    "customer": frozenset(("self", "own:read")),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())


def allows(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
