"""Shared fixtures: a real PostgreSQL migrated by Alembic, the app, and signed test tokens.

Database: TEST_DATABASE_URL when set, else the local server on 127.0.0.1:5432, else an embedded
server (pgserver). Tokens are signed with a key generated for this run; the app verifies them
through a JWKS file exactly as it verifies the auth function's tokens (no bypass).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jwt
import pytest
from alembic import command
from alembic.config import Config
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from oficina import devdb
from oficina.app import create_app
from oficina.models import Customer, Part, Service, StaffUser, Unit, Vehicle

ROOT = Path(__file__).resolve().parents[1]
ISSUER = "https://auth.test.oficina"
AUDIENCE = "oficina-api"
# One database per checkout: two clones testing at once on one server never share tables.
CHECKOUT = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
TEST_DB = f"oficina_flask_test_{CHECKOUT}"


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["url"] = url
    cfg.attributes["skip_logging"] = True
    return cfg


@pytest.fixture(scope="session")
def server_url(tmp_path_factory) -> str:
    return devdb.admin_url(os.environ.get("TEST_DATABASE_URL"), ROOT / ".cache" / "pgdata-test")


@pytest.fixture(scope="session")
def database_url(server_url) -> str:
    sa_url = devdb.recreate_database(server_url, TEST_DB, driver="postgresql+psycopg2")
    command.upgrade(alembic_config(sa_url), "head")
    return sa_url


@pytest.fixture(scope="session")
def engine(database_url) -> Iterator[Engine]:
    eng = create_engine(database_url)
    yield eng
    eng.dispose()


@dataclass
class Signer:
    """Mints RS256 tokens the way the auth function does (docs/contracts/auth.md)."""

    key: rsa.RSAPrivateKey
    kid: str
    jwks_path: Path

    def token(
        self,
        *,
        sub: uuid.UUID | str,
        role: str,
        unit_id: uuid.UUID | None = None,
        ttl: int = 900,
        headers: dict[str, Any] | None = None,
        key: Any = None,
        algorithm: str = "RS256",
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(sub),
            "role": role,
            "scope": "customer" if role == "customer" else "staff",
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": str(uuid.uuid4()),
        }
        if unit_id is not None:
            payload["unit_id"] = str(unit_id)
        payload.update(claims)
        return jwt.encode(
            payload,
            key if key is not None else self.key,
            algorithm=algorithm,
            headers={"kid": self.kid, **(headers or {})},
        )


@pytest.fixture(scope="session")
def signer(tmp_path_factory) -> Signer:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = "test-key-1"
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
    path = tmp_path_factory.mktemp("keys") / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    return Signer(key=key, kid=kid, jwks_path=path)


@contextmanager
def recorded_statements(app) -> Iterator[list[str]]:
    """Every statement the app sends while the block runs, on both of its pools."""
    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(args[2])

    engines = [app.extensions["db_engine"], app.extensions["db_read_engine"]]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", listener)


def app_config(database_url: str, jwks_path: Path) -> dict[str, Any]:
    return {
        "DATABASE_URL": database_url,
        "DB_POOL_SIZE": 5,
        "DB_MAX_OVERFLOW": 10,
        "DB_READ_POOL_SIZE": 2,
        "JWT_ISSUER": ISSUER,
        "JWT_AUDIENCE": AUDIENCE,
        "JWT_JWKS_FILE": str(jwks_path),
        "JWT_JWKS_URL": None,
        "JWT_LEEWAY_SECONDS": 0,
        "LOG_LEVEL": "INFO",
        "TESTING": True,
    }


@pytest.fixture(scope="session")
def app(database_url, signer):
    return create_app(app_config(database_url, signer.jwks_path))


TABLES = [
    "outbox_events",
    "idempotency_keys",
    "service_order_status_history",
    "service_order_parts",
    "service_order_services",
    "stock_movements",
    "service_orders",
    "vehicles",
    "customers",
    "staff_users",
    "services",
    "parts",
    "units",
    "auth_attempts",
]


@pytest.fixture
def clean_db(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db_session(engine, clean_db) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


class ApiClient:
    """The Flask test client with a bearer token: real HTTP requests through the app."""

    def __init__(self, client, token: str | None) -> None:
        self._client, self.token = client, token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        merged = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        merged.update(headers or {})
        return merged

    def __getattr__(self, method: str):
        if method not in {"get", "post", "put", "patch", "delete"}:
            raise AttributeError(method)

        def call(path: str, headers: dict[str, str] | None = None, **kwargs: Any):
            return getattr(self._client, method)(path, headers=self._headers(headers), **kwargs)

        return call


VALID_CPFS = ["52998224725", "11144477735", "39053344705", "86288366757", "71428793860"]


@dataclass
class World:
    """A small workshop: two units, staff of each role, a customer with a car, catalog, stock."""

    session: Session
    unit: Unit
    other_unit: Unit
    staff: dict[str, StaffUser]
    customer: Customer
    other_customer: Customer
    vehicle: Vehicle
    other_vehicle: Vehicle
    services: list[Service]
    parts: list[Part]
    clients: dict[str, ApiClient] = field(default_factory=dict)

    def as_(self, who: str) -> ApiClient:
        return self.clients[who]


@pytest.fixture
def world(app, db_session, signer) -> World:
    s = db_session
    unit = Unit(code="SP-01", name="Oficina Centro", city="São Paulo")
    other_unit = Unit(code="SP-02", name="Oficina Zona Sul", city="São Paulo")
    s.add_all([unit, other_unit])
    s.flush()
    staff = {
        role: StaffUser(
            unit_id=unit.id,
            cpf=cpf,
            name=f"{role.title()} Teste",
            role=role,
            password_hash="$argon2id$v=19$m=65536,t=3,p=4$dGVzdHNhbHQ$placeholder",
        )
        for role, cpf in zip(["attendant", "mechanic", "manager"], VALID_CPFS[:3], strict=True)
    }
    staff["other_unit_mechanic"] = StaffUser(
        unit_id=other_unit.id,
        cpf=VALID_CPFS[3],
        name="Mecânico Sul",
        role="mechanic",
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$dGVzdHNhbHQ$placeholder",
    )
    customer = Customer(document_type="CPF", document="16899535009", name="Maria Cliente")
    other = Customer(document_type="CNPJ", document="11222333000181", name="Transportes Ltda")
    s.add_all([*staff.values(), customer, other])
    s.flush()
    vehicle = Vehicle(customer_id=customer.id, plate="BRA2E19", make="VW", model="Gol", year=2019)
    other_vehicle = Vehicle(
        customer_id=other.id, plate="ABC1234", make="Fiat", model="Uno", year=2012
    )
    services = [
        Service(name="Troca de óleo", price=Decimal("120.00"), estimated_minutes=45),
        Service(name="Alinhamento", price=Decimal("80.50"), estimated_minutes=30),
    ]
    parts = [
        Part(
            sku="OLEO-5W30",
            name="Óleo 5W30 (litro)",
            kind="supply",
            unit_price=Decimal("42.90"),
            stock_quantity=10,
            minimum_stock=4,
        ),
        Part(
            sku="FLT-01",
            name="Filtro de óleo",
            unit_price=Decimal("35.00"),
            stock_quantity=3,
            minimum_stock=2,
        ),
    ]
    s.add_all([vehicle, other_vehicle, *services, *parts])
    s.commit()
    w = World(s, unit, other_unit, staff, customer, other, vehicle, other_vehicle, services, parts)
    client = app.test_client()
    for name, member in staff.items():
        w.clients[name] = ApiClient(
            client, signer.token(sub=member.id, role=member.role, unit_id=member.unit_id)
        )
    w.clients["customer"] = ApiClient(client, signer.token(sub=customer.id, role="customer"))
    w.clients["other_customer"] = ApiClient(client, signer.token(sub=other.id, role="customer"))
    w.clients["anonymous"] = ApiClient(client, None)
    return w


def table_counts(engine: Engine) -> dict[str, int]:
    """Row counts of every table: a rejected request must leave them all unchanged."""
    with engine.connect() as conn:
        return {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
            for table in TABLES  # fixed names, not input
        }


@pytest.fixture
def unchanged(engine):
    """Use as ``with unchanged(): ...``: asserts that no table changed inside the block."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = table_counts(engine)
        with engine.connect() as conn:
            stock_before = conn.execute(
                text("SELECT id, stock_quantity FROM parts ORDER BY id")
            ).all()
        yield
        assert table_counts(engine) == before
        with engine.connect() as conn:
            assert (
                conn.execute(text("SELECT id, stock_quantity FROM parts ORDER BY id")).all()
                == stock_before
            )

    return check


@pytest.fixture
def open_order(world):
    """Open an order for the world's customer; returns the response JSON."""

    def _open(services=None, parts=None, who="attendant", **extra):
        body = {
            "customer_id": str(world.customer.id),
            "vehicle_id": str(world.vehicle.id),
            "services": services
            if services is not None
            else [{"service_id": str(world.services[0].id)}],
            "parts": parts
            if parts is not None
            else [{"part_id": str(world.parts[0].id), "quantity": 4}],
            **extra,
        }
        response = world.as_(who).post("/service-orders", json=body)
        assert response.status_code == 201, response.json
        return response.json

    return _open


@pytest.fixture
def statsd(monkeypatch):
    """A real UDP socket standing in for the Datadog Agent's DogStatsD port.

    Returns a function that gives the packets received since its last call.
    """
    import socket

    from oficina.observability import metrics

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    monkeypatch.setenv("DD_AGENT_HOST", "127.0.0.1")
    monkeypatch.setenv("DD_DOGSTATSD_PORT", str(sock.getsockname()[1]))
    metrics.reset()

    def received():
        packets = []
        sock.settimeout(0.3)
        try:
            while True:
                packets.extend(sock.recv(65535).decode().splitlines())
        except TimeoutError:
            pass
        return packets

    yield received
    metrics.reset()
    sock.close()


def parse_metric(packet: str):
    """'name:value|type|#tag1,tag2' -> (name, value, type, {tags})."""
    head, *rest = packet.split("|")
    name, value = head.rsplit(":", 1)
    tags = next((r[1:].split(",") for r in rest if r.startswith("#")), [])
    return name, float(value), rest[0], set(tags)


def find_metric(packets, name):
    return [parse_metric(p) for p in packets if p.startswith(name + ":")]
