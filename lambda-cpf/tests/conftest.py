"""Shared fixtures: a real PostgreSQL, the contract tables, keys, events and a fake context.

PostgreSQL, in this order: ``TEST_DATABASE_URL``; else the local server on 127.0.0.1:5432 (a
database ``lambda_cpf_test`` is created there); else an embedded server (``pgserver``) under
``.pgdata/``. The tables live in the schema ``lambda_cpf_test`` and the function under test
connects as the role ``lambda_cpf_test_auth``, which has only the contract's grants.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pytest

from auth_cpf.bootstrap import build_app
from auth_cpf.logic import keys
from auth_cpf.logic.passwords import hash_password
from auth_cpf.models.config import Settings

HERE = Path(__file__).parent
ROOT = HERE.parent
SCHEMA = "lambda_cpf_test"
ROLE = "lambda_cpf_test_auth"
LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
OWN_DB = "lambda_cpf_test"
ISSUER = "http://127.0.0.1:8000"

# CPFs used by the tests (valid check digits); never real people.
CUSTOMER_CPF = "52998224725"
INACTIVE_CUSTOMER_CPF = "11144477735"
STAFF_CPF = "39053344705"
INACTIVE_STAFF_CPF = "15350946056"
UNKNOWN_CPF = "93541134780"
STAFF_PASSWORD = "correct horse battery staple"


def _answers(dsn: str) -> bool:
    try:
        psycopg2.connect(dsn, connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


def _with_db(dsn: str, dbname: str) -> str:
    params = psycopg2.extensions.parse_dsn(dsn)
    params["dbname"] = dbname
    return psycopg2.extensions.make_dsn(**params)


def _server_dsn() -> str:
    if os.environ.get("TEST_DATABASE_URL"):
        return os.environ["TEST_DATABASE_URL"]
    if not os.environ.get("LAMBDA_CPF_FORCE_PGSERVER") and _answers(LOCAL_URL):
        base = LOCAL_URL
    else:
        import pgserver

        server = pgserver.get_server(str(ROOT / ".pgdata"), cleanup_mode="stop")
        base = server.get_uri()
    conn = psycopg2.connect(base)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (OWN_DB,))
        if cur.fetchone() is None:
            cur.execute(f"CREATE DATABASE {OWN_DB}")
    conn.close()
    return _with_db(base, OWN_DB)


@dataclass(frozen=True)
class Database:
    admin_dsn: str
    auth_dsn: str

    def execute(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        conn = psycopg2.connect(self.admin_dsn, options=f"-c search_path={SCHEMA}")
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()


@pytest.fixture(scope="session")
def database() -> Database:
    admin = _server_dsn()
    password = secrets.token_urlsafe(18)
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT current_database()")
        dbname = cur.fetchone()[0]
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,))
        if cur.fetchone() is None:
            cur.execute(f"CREATE ROLE {ROLE} LOGIN")
        cur.execute(f"ALTER ROLE {ROLE} PASSWORD %s", (password,))
        cur.execute(f'ALTER ROLE {ROLE} IN DATABASE "{dbname}" SET search_path = {SCHEMA}')
        cur.execute(f'GRANT CONNECT ON DATABASE "{dbname}" TO {ROLE}')
        cur.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        cur.execute(f"SET search_path = {SCHEMA}")
        cur.execute((HERE / "schema.sql").read_text())
    conn.close()
    params = psycopg2.extensions.parse_dsn(admin)
    params.update(user=ROLE, password=password)
    return Database(admin_dsn=admin, auth_dsn=psycopg2.extensions.make_dsn(**params))


@dataclass
class Seed:
    customer_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    inactive_customer_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    staff_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    inactive_staff_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    unit_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@pytest.fixture(scope="session")
def staff_hash() -> str:
    return hash_password(STAFF_PASSWORD)


@pytest.fixture
def seed(database: Database, staff_hash: str) -> Seed:
    """Fresh rows for every test: two customers, two staff members, no attempts."""
    s = Seed()
    database.execute("TRUNCATE customers, staff_users, auth_attempts")
    database.execute(
        "INSERT INTO customers (id, name, document, document_type, status) VALUES "
        "(%s, 'Ana', %s, 'CPF', 'active'), (%s, 'Bruno', %s, 'CPF', 'inactive'), "
        "(%s, 'Oficina Parceira', '11222333000181', 'CNPJ', 'active')",
        (
            s.customer_id,
            CUSTOMER_CPF,
            s.inactive_customer_id,
            INACTIVE_CUSTOMER_CPF,
            str(uuid.uuid4()),
        ),
    )
    database.execute(
        "INSERT INTO staff_users (id, name, cpf, role, unit_id, password_hash, active) VALUES "
        "(%s, 'Carla', %s, 'mechanic', %s, %s, true), (%s, 'Davi', %s, 'manager', %s, %s, false)",
        (
            s.staff_id,
            STAFF_CPF,
            s.unit_id,
            staff_hash,
            s.inactive_staff_id,
            INACTIVE_STAFF_CPF,
            s.unit_id,
            staff_hash,
        ),
    )
    return s


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("keys")
    (directory / "current.pem").write_bytes(keys.generate_private_key_pem())
    (directory / "previous.pem").write_bytes(keys.generate_private_key_pem())
    return directory


@pytest.fixture
def settings(database: Database, key_dir: Path) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database.auth_dsn,
            "AUTH_ISSUER": ISSUER,
            "AUTH_SIGNING_KEY_FILE": str(key_dir / "current.pem"),
            "AUTH_PREVIOUS_KEY_FILE": str(key_dir / "previous.pem"),
            "AUTH_MAX_FAILED_ATTEMPTS": "3",
            "AUTH_ATTEMPT_WINDOW_SECONDS": "600",
        }
    )


@pytest.fixture
def app(settings: Settings, seed: Seed) -> Any:
    return build_app(settings)


@dataclass
class FakeContext:
    function_name: str = "auth-cpf-test"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:auth-cpf-test"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@pytest.fixture
def context() -> FakeContext:
    return FakeContext()


def load_event(name: str, **changes: Any) -> dict[str, Any]:
    """A payload-2.0 event from ``tests/events``; ``body=`` replaces the body (dict -> JSON)."""
    event = copy.deepcopy(json.loads((HERE / "events" / f"{name}.json").read_text()))
    if "body" in changes:
        body = changes.pop("body")
        event["body"] = body if isinstance(body, str) or body is None else json.dumps(body)
    if "headers" in changes:
        event["headers"].update(changes.pop("headers"))
    event.update(changes)
    return event


@pytest.fixture
def invoke(app: Any, context: FakeContext) -> Any:
    def call(event: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        result = app.resolve(event, context)
        headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
        return result["statusCode"], json.loads(result["body"]), headers

    return call


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    yield monkeypatch


# --------------------------------------------------------------------------- notification function
# moto (in-process) stands in for SNS, SQS, SES and DynamoDB; a real UDP socket receives the
# DogStatsD datagrams. Nothing here needs PostgreSQL.

NOTIFY_REGION = "us-east-1"
NOTIFY_SOURCE = "Oficina <no-reply@oficina.example>"
NOTIFY_TABLE = "oficina-test-notifications-idempotency"


def load_sqs_event(name: str) -> dict[str, Any]:
    """An SQS event (Lambda event source mapping format) from ``tests/events``."""
    return copy.deepcopy(json.loads((HERE / "events" / f"{name}.json").read_text()))


class StatsdListener:
    """A real UDP socket standing where the Datadog Extension's DogStatsD listens."""

    def __init__(self) -> None:
        import socket

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]

    def packets(self) -> list[str]:

        out: list[str] = []
        while True:
            try:
                out.append(self.sock.recv(65_535).decode())
            except TimeoutError:
                return out

    def parsed(self) -> list[tuple[str, int, str, set[str]]]:
        """``name:value|type|#tags`` -> (name, value, type, tags)."""
        rows = []
        for packet in self.packets():
            head, _, tags = packet.partition("|#")
            name_value, _, kind = head.partition("|")
            name, _, value = name_value.partition(":")
            rows.append((name, int(value), kind, set(tags.split(",")) if tags else set()))
        return rows


@pytest.fixture
def statsd() -> Iterator[StatsdListener]:
    listener = StatsdListener()
    yield listener
    listener.sock.close()


@dataclass
class NotifyAws:
    session: Any
    topic_arn: str
    queue_url: str
    dlq_url: str

    def client(self, name: str) -> Any:
        return self.session.client(name, region_name=NOTIFY_REGION)


@pytest.fixture
def notify_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[NotifyAws]:
    """The notification path as Terraform builds it: SNS FIFO -> SQS FIFO (raw) -> DLQ."""
    import boto3
    from moto import mock_aws

    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": NOTIFY_REGION,
        "AWS_REGION": NOTIFY_REGION,
    }.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        session = boto3.session.Session(region_name=NOTIFY_REGION)
        sqs = session.client("sqs")
        dlq_url = sqs.create_queue(
            QueueName="oficina-test-notifications-dlq.fifo",
            Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "false"},
        )["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        queue_url = sqs.create_queue(
            QueueName="oficina-test-notifications.fifo",
            Attributes={
                "FifoQueue": "true",
                "VisibilityTimeout": "0",
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}),
            },
        )["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        sns = session.client("sns")
        topic_arn = sns.create_topic(
            Name="oficina-test-order-events.fifo",
            Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "false"},
        )["TopicArn"]
        sns.subscribe(
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=queue_arn,
            Attributes={"RawMessageDelivery": "true"},
        )
        session.client("ses").verify_email_identity(EmailAddress="no-reply@oficina.example")
        dynamodb = session.client("dynamodb")
        dynamodb.create_table(
            TableName=NOTIFY_TABLE,
            KeySchema=[{"AttributeName": "event_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "event_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        dynamodb.update_time_to_live(
            TableName=NOTIFY_TABLE,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
        )
        yield NotifyAws(session, topic_arn, queue_url, dlq_url)


def notify_env(statsd: StatsdListener) -> dict[str, str]:
    return {
        "NOTIFY_IDEMPOTENCY_TABLE": NOTIFY_TABLE,
        "NOTIFY_EMAIL_SOURCE": NOTIFY_SOURCE,
        "DD_AGENT_HOST": "127.0.0.1",
        "DD_DOGSTATSD_PORT": str(statsd.port),
        "DD_SERVICE": "oficina-notify",
        "DD_ENV": "test",
        "DD_VERSION": "1.2.3",
    }


def ses_sent(aws: NotifyAws) -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][NOTIFY_REGION].sent_messages)


def sms_sent(aws: NotifyAws) -> list[tuple[Any, ...]]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    return list(sns_backends[DEFAULT_ACCOUNT_ID][NOTIFY_REGION].sms_messages.values())
