"""Demo data for `make run`: two units, staff of each role, customers, catalog, stock, and
orders in every status with a realistic history. Idempotent: does nothing if units exist.

Every CPF here is a syntactically valid *test* number and the password is the documented demo
password; none of it is real personal data.
"""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from argon2 import PasswordHasher
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from oficina.domain.statuses import OrderStatus
from oficina.models import (
    Customer,
    OrderPart,
    OrderService,
    Part,
    Service,
    ServiceOrder,
    StaffUser,
    StatusChange,
    StockMovement,
    Unit,
    Vehicle,
)

DEMO_PASSWORD = "oficina-demo"  # noqa: S105 - documented demo credential, demo data only

UNITS = [("SP-CENTRO", "Oficina Centro", "São Paulo"), ("SP-SUL", "Oficina Zona Sul", "São Paulo")]
STAFF = [  # (cpf, name, role, unit index)
    ("52998224725", "Ana Atendente", "attendant", 0),
    ("11144477735", "Marcos Mecânico", "mechanic", 0),
    ("39053344705", "Gabriela Gerente", "manager", 0),
    ("86288366757", "Paulo Atendente", "attendant", 1),
    ("71428793860", "Rita Mecânica", "mechanic", 1),
]
CUSTOMERS = [  # (document, name, email, status)
    ("16899535009", "Maria Oliveira", "maria@example.com", "active"),
    ("95524361503", "José Santos", "jose@example.com", "active"),
    ("52601815906", "Carla Pereira", None, "active"),
    ("45723174000110", "Frota Express Ltda", "frota@example.com", "active"),
    ("08301661305", "Antônio Inativo", None, "inactive"),
]
VEHICLES = [  # (customer index, plate, make, model, year)
    (0, "BRA2E19", "Volkswagen", "Gol", 2019),
    (1, "ABC1234", "Fiat", "Uno", 2012),
    (2, "RIO4F56", "Chevrolet", "Onix", 2021),
    (3, "FRT1A23", "Mercedes-Benz", "Sprinter", 2020),
    (3, "FRT2B34", "Renault", "Master", 2018),
    (4, "OLD9876", "Ford", "Ka", 2010),
]
SERVICES = [
    ("Diagnóstico eletrônico", "150.00", 60),
    ("Troca de óleo e filtro", "120.00", 45),
    ("Alinhamento e balanceamento", "140.00", 60),
    ("Revisão de freios", "220.00", 120),
    ("Troca de correia dentada", "380.00", 180),
    ("Higienização do ar-condicionado", "160.00", 50),
]
PARTS = [  # (sku, name, kind, price, stock, minimum)
    ("OLEO-5W30", "Óleo 5W30 (litro)", "supply", "42.90", 60, 20),
    ("FLT-OLEO", "Filtro de óleo", "part", "35.00", 25, 10),
    ("PST-FREIO", "Pastilha de freio (jogo)", "part", "189.90", 8, 6),
    ("DSC-FREIO", "Disco de freio", "part", "260.00", 4, 4),
    ("CORREIA-D", "Kit correia dentada", "part", "310.00", 3, 2),
    ("FLT-CABINE", "Filtro de cabine", "part", "48.00", 12, 5),
    ("FLUIDO-DOT4", "Fluido de freio DOT4 (500 ml)", "supply", "32.50", 30, 10),
    ("HIGIENIZ", "Higienizador de ar-condicionado", "supply", "39.00", 1, 5),
]
USED_PARTS = 3
S = OrderStatus
# Paths through the lifecycle, one per demo order (the last status is where it stays).
PATHS = [
    [S.RECEIVED],
    [S.RECEIVED, S.IN_DIAGNOSIS],
    [S.RECEIVED, S.IN_DIAGNOSIS, S.AWAITING_APPROVAL],
    [S.RECEIVED, S.IN_DIAGNOSIS, S.AWAITING_APPROVAL, S.IN_PROGRESS],
    [S.RECEIVED, S.IN_DIAGNOSIS, S.AWAITING_APPROVAL, S.IN_PROGRESS, S.COMPLETED],
    [S.RECEIVED, S.IN_DIAGNOSIS, S.AWAITING_APPROVAL, S.IN_PROGRESS, S.COMPLETED, S.DELIVERED],
    [
        S.RECEIVED,
        S.IN_DIAGNOSIS,
        S.AWAITING_APPROVAL,
        S.IN_DIAGNOSIS,
        S.AWAITING_APPROVAL,
        S.IN_PROGRESS,
        S.COMPLETED,
        S.DELIVERED,
    ],
    [S.RECEIVED, S.IN_DIAGNOSIS, S.AWAITING_APPROVAL, S.CANCELLED],
    [S.RECEIVED, S.CANCELLED],
]
MINUTES_IN = {
    S.RECEIVED: 40,
    S.IN_DIAGNOSIS: 90,
    S.AWAITING_APPROVAL: 300,
    S.IN_PROGRESS: 240,
    S.COMPLETED: 600,
}


def seed(session: Session, *, orders_per_path: int = 3, now: datetime | None = None) -> bool:
    """Fill an empty schema; return False (and change nothing) when data already exists."""
    if session.execute(select(Unit.id).limit(1)).first():
        return False
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    now = now or datetime.now(UTC)
    hasher = PasswordHasher()
    password_hash = hasher.hash(DEMO_PASSWORD)

    units = [Unit(code=c, name=n, city=city) for c, n, city in UNITS]
    session.add_all(units)
    session.flush()
    staff = [
        StaffUser(cpf=cpf, name=name, role=role, unit_id=units[u].id, password_hash=password_hash)
        for cpf, name, role, u in STAFF
    ]
    customers = [
        Customer(
            document=doc,
            document_type="CPF" if len(doc) == 11 else "CNPJ",
            name=name,
            email=email,
            status=status,
        )
        for doc, name, email, status in CUSTOMERS
    ]
    services = [Service(name=n, price=Decimal(p), estimated_minutes=m) for n, p, m in SERVICES]
    parts = [
        Part(sku=sku, name=n, kind=k, unit_price=Decimal(p), stock_quantity=q, minimum_stock=mn)
        for sku, n, k, p, q, mn in PARTS
    ]
    # Orders draw on the first parts: stock them for however many orders are seeded.
    for part in parts[:USED_PARTS]:
        part.stock_quantity += orders_per_path * len(PATHS)
    session.add_all([*staff, *customers, *services, *parts])
    session.flush()
    vehicles = [
        Vehicle(customer_id=customers[c].id, plate=pl, make=mk, model=md, year=y)
        for c, pl, mk, md, y in VEHICLES
    ]
    session.add_all(vehicles)
    session.add_all(
        StockMovement(part_id=p.id, quantity=p.stock_quantity, reason="initial") for p in parts
    )
    session.flush()

    active_vehicles = [v for v in vehicles if v.customer_id != customers[-1].id]
    for n in range(orders_per_path * len(PATHS)):
        path = PATHS[n % len(PATHS)]
        unit = units[n % 2]
        actor = next(m for m in staff if m.unit_id == unit.id)
        vehicle = active_vehicles[n % len(active_vehicles)]
        chosen = rng.sample(services, k=rng.randint(1, 2))
        chosen_parts = rng.sample(parts[:USED_PARTS], k=rng.randint(0, 2))
        opened = now - timedelta(days=rng.randint(0, 13), hours=rng.randint(1, 9))
        order = ServiceOrder(
            unit_id=unit.id,
            customer_id=vehicle.customer_id,
            vehicle_id=vehicle.id,
            status=path[-1].value,
            description="Pedido de demonstração",
            opened_at=opened,
            services=[
                OrderService(service_id=s.id, quantity=1, unit_price=s.price) for s in chosen
            ],
            parts=[
                OrderPart(part_id=p.id, quantity=1, unit_price=p.unit_price) for p in chosen_parts
            ],
            services_total=sum((s.price for s in chosen), Decimal("0")),
            parts_total=sum((p.unit_price for p in chosen_parts), Decimal("0")),
        )
        session.add(order)
        session.flush()
        at, previous = opened, None
        for status in path:
            if previous is not None:
                at += timedelta(minutes=MINUTES_IN[previous] * rng.uniform(0.5, 1.6))
            at = min(at, now - timedelta(minutes=len(path)))
            session.add(
                StatusChange(
                    service_order_id=order.id,
                    from_status=previous and previous.value,
                    to_status=status.value,
                    changed_at=at,
                    changed_by_staff_id=actor.id,
                )
            )
            if status is S.AWAITING_APPROVAL:
                order.budget_sent_at = at
            if previous is S.AWAITING_APPROVAL and status in (S.IN_PROGRESS, S.CANCELLED):
                order.budget_decision = "approved" if status is S.IN_PROGRESS else "rejected"
                order.budget_decided_at = at
            if status is S.IN_PROGRESS:
                for line in order.parts:
                    session.add(
                        StockMovement(
                            part_id=line.part_id,
                            quantity=-line.quantity,
                            reason="reservation",
                            service_order_id=order.id,
                        )
                    )
                    part = next(p for p in parts if p.id == line.part_id)
                    part.stock_quantity -= line.quantity
            previous = status
        if path[-1] in (S.DELIVERED, S.CANCELLED):
            order.closed_at = at
    session.commit()
    return True


def main() -> None:
    engine = create_engine(os.environ["DATABASE_URL"])
    with Session(engine) as session:
        created = seed(session)
    print("demo data loaded" if created else "demo data already present; left as it is")


if __name__ == "__main__":
    main()
