"""HTTP resources, one package per resource; ``BLUEPRINTS`` is the one list create_app registers."""

from oficina.resources.catalog.routes import parts_blp, services_blp
from oficina.resources.customers.routes import blp as customers_blp
from oficina.resources.health.routes import blp as health_blp
from oficina.resources.reports.routes import blp as reports_blp
from oficina.resources.service_orders.routes import blp as service_orders_blp
from oficina.resources.service_orders.routes import me_blp
from oficina.resources.vehicles.routes import blp as vehicles_blp

BLUEPRINTS = [
    health_blp,
    customers_blp,
    vehicles_blp,
    services_blp,
    parts_blp,
    service_orders_blp,
    me_blp,
    reports_blp,
]
