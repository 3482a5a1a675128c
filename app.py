"""HES Core REST API: a thin Chalice app that registers the blueprints under /api/v1."""
from chalice import Chalice

from chalicelib.api import (
    areas,
    auth,
    customers,
    jobs,
    leakage,
    losses,
    meters,
    my,
    operations,
    profiles,
    revenue,
    sims,
    system,
    users,
)
from chalicelib.api.framework import PREFIX

app = Chalice(app_name="hes-core")
app.api.binary_types.extend(["multipart/form-data", "application/pdf"])

for module in (system, auth, areas, meters, sims, customers, users, profiles, jobs, operations, my, revenue, leakage,
               losses):
    app.register_blueprint(module.bp, url_prefix=PREFIX)
