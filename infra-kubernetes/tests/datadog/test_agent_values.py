"""The Datadog Agent's Helm values: well-formed, the promised features on, no secret in Git,
and the Postgres custom_queries run for real against the marts' tables (analytics contract)."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path

import catalog
import psycopg
import pytest
import yaml
from dd_fixtures import admin_url, database_url  # noqa: F401 (fixtures)
from psycopg import sql

AGENT = Path(__file__).resolve().parents[2] / "datadog" / "agent"
ENVIRONMENTS = ("homolog", "production")

# docs/contracts/analytics.md, column for column.
MARTS_DDL = """
CREATE SCHEMA analytics;
CREATE TABLE analytics.fct_daily_order_volume (
    day date NOT NULL, unit_id uuid NOT NULL, unit_code text NOT NULL,
    orders_opened integer NOT NULL, orders_completed integer NOT NULL,
    orders_delivered integer NOT NULL, orders_cancelled integer NOT NULL);
CREATE TABLE analytics.fct_status_time_daily (
    day date NOT NULL, unit_id uuid NOT NULL, unit_code text NOT NULL,
    status text NOT NULL, stage text NOT NULL, visits integer NOT NULL,
    avg_minutes numeric NOT NULL, median_minutes numeric NOT NULL, p90_minutes numeric NOT NULL);
CREATE TABLE analytics.fct_open_status_age (
    unit_id uuid, unit_code text, status text, stage text, open_orders integer,
    avg_age_minutes numeric, max_age_minutes numeric);
CREATE TABLE public.customers (id uuid PRIMARY KEY, document text NOT NULL);
"""
TODAY = "(now() AT TIME ZONE 'America/Sao_Paulo')::date"
SEED = f"""
INSERT INTO analytics.fct_daily_order_volume VALUES
  ({TODAY},     '00000000-0000-0000-0000-000000000001', 'SP-CENTRO', 7, 3, 2, 1),
  ({TODAY},     '00000000-0000-0000-0000-000000000002', 'RJ-NORTE',  4, 1, 0, 0),
  ({TODAY} - 1, '00000000-0000-0000-0000-000000000001', 'SP-CENTRO', 99, 99, 99, 99);
INSERT INTO analytics.fct_status_time_daily VALUES
  ({TODAY},      '00000000-0000-0000-0000-000000000001', 'SP-CENTRO', 'IN_DIAGNOSIS',
   'Diagnóstico', 2, 30, 30, 40),
  ({TODAY} - 1,  '00000000-0000-0000-0000-000000000001', 'SP-CENTRO', 'IN_DIAGNOSIS',
   'Diagnóstico', 6, 50, 45, 70),
  ({TODAY} - 6,  '00000000-0000-0000-0000-000000000001', 'SP-CENTRO', 'IN_PROGRESS',
   'Execução', 1, 120, 120, 120),
  ({TODAY} - 7,  '00000000-0000-0000-0000-000000000001', 'SP-CENTRO', 'IN_PROGRESS',
   'Execução', 50, 9999, 9999, 9999),
  ({TODAY} - 2,  '00000000-0000-0000-0000-000000000002', 'RJ-NORTE', 'COMPLETED',
   'Finalização', 3, 15, 10, 25);
"""


SECRET_LINE = re.compile(r"^\s*(password|api[-_]?key|app[-_]?key|token)\s*:\s*(.+)$", re.I | re.M)
SECRET_REFERENCE = re.compile(r'^(ENC\[k8s_secret@[\w/-]+\]|"\{\{ \.\w+ \}\}")$')


def _load(name: str) -> dict:
    return yaml.safe_load((AGENT / name).read_text(encoding="utf-8"))


def _merge(base: dict, overlay: dict) -> dict:
    """Helm's -f a -f b: maps merge deeply, lists and scalars are replaced."""
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def values(request) -> tuple[str, dict]:
    return request.param, _merge(_load("values.yaml"), _load(f"values-{request.param}.yaml"))


def _postgres(values: dict) -> dict:
    return yaml.safe_load(values["clusterAgent"]["confd"]["postgres.yaml"])


def test_files_are_well_formed_yaml():
    for path in sorted(AGENT.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            assert isinstance(document, dict), path


def test_agent_features(values):
    env, v = values
    dd = v["datadog"]
    assert dd["clusterName"] == f"oficina-{env}"
    assert f"env:{env}" in dd["tags"]
    assert dd["apiKeyExistingSecret"] and "apiKey" not in dd and "appKey" not in dd
    # APM on the node port the app's DD_AGENT_HOST (node IP) and NetworkPolicy use.
    assert dd["apm"]["portEnabled"] is True and dd["apm"]["port"] == 8126
    assert dd["dogstatsd"]["port"] == 8125 and dd["dogstatsd"]["useHostPort"] is True
    assert dd["dogstatsd"]["nonLocalTraffic"] is True
    assert dd["logs"] == {**dd["logs"], "enabled": True, "containerCollectAll": True}
    assert dd["kubeStateMetricsCore"]["enabled"] is True and dd["kubeStateMetricsEnabled"] is False
    assert dd["kubelet"]["tlsVerify"] is False  # EKS kubelet certificates are self-signed
    assert dd["clusterChecks"]["enabled"] is True
    assert v["clusterAgent"]["enabled"] is True
    assert v["clusterChecksRunner"]["enabled"] is True


def test_ports_match_the_app_network_policy():
    policy = (AGENT.parents[1] / "kubernetes" / "base" / "networkpolicy.yaml").read_text()
    app = next(d for d in yaml.safe_load_all(policy) if d["metadata"]["name"] == "oficina-flask")
    ports = {(p["protocol"], p["port"]) for rule in app["spec"]["egress"] for p in rule["ports"]}
    assert {("TCP", 8126), ("UDP", 8125)} <= ports


def test_no_secret_in_the_values(values):
    _, v = values
    instance = _postgres(v)["instances"][0]
    for key in ("host", "username", "password", "dbname"):
        assert instance[key] == f"ENC[k8s_secret@datadog/datadog-postgres/{key}]"
    roles = v["datadog"]["secretBackend"]["roles"]
    assert {"namespace": "datadog", "secrets": ["datadog-postgres"]} in roles
    # Any credential-looking key in any file holds a reference, never a value.
    for path in AGENT.glob("*.yaml"):
        for key, value in SECRET_LINE.findall(path.read_text()):
            assert SECRET_REFERENCE.match(value.strip()), (path.name, key)


def test_postgres_check(values):
    _, v = values
    pg = _postgres(v)
    assert pg["cluster_check"] is True
    instance = pg["instances"][0]
    assert instance["port"] == 5432 and instance["ssl"] == "require"
    assert instance["dbm"] is True


def test_custom_query_metrics_are_the_catalog_mart_metrics(values):
    _, v = values
    produced = set()
    for query in _postgres(v)["instances"][0]["custom_queries"]:
        assert query["collection_interval"] >= 60
        for column in query["columns"]:
            assert column["type"] in {"tag", "gauge"}
            if column["type"] == "gauge":
                produced.add(f"{query['metric_prefix']}.{column['name']}")
            else:
                assert column["name"] in {"unit", "status", "stage"}
    mart = {m for m in catalog.load().metrics if m.startswith("oficina.mart.")}
    assert produced == mart


@pytest.fixture(scope="module")
def marts(database_url: str):
    """The marts' tables from the contract, and a `datadog`-like role with only its grants."""
    role = "ik_datadog_test"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(MARTS_DDL)
        conn.execute(SEED)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        ident = sql.Identifier(role)
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA analytics TO {}").format(ident))
        conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO {}").format(ident))
    yield database_url, role
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA analytics CASCADE")
        conn.execute("DROP TABLE public.customers")
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def _run(marts, query: str) -> list[tuple]:
    url, role = marts
    with psycopg.connect(url) as conn:
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        conn.execute("SET statement_timeout = '10s'")  # the datadog role's (infra-postgres)
        return conn.execute(query).fetchall()


def _custom_queries() -> list[dict]:
    return _postgres(_load("values.yaml"))["instances"][0]["custom_queries"]


def test_custom_queries_run_as_a_least_privilege_role(marts):
    for query in _custom_queries():
        rows = _run(marts, query["query"])
        assert rows, query["query"]
        for row in rows:
            assert len(row) == len(query["columns"])  # the agent maps columns by position
            for value, column in zip(row, query["columns"], strict=True):
                if column["type"] == "tag":
                    assert isinstance(value, str) and value
                else:
                    assert isinstance(value, int | float | Decimal)


def test_the_role_cannot_read_operational_data(marts):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _run(marts, "SELECT document FROM public.customers")


def test_daily_volume_is_todays_row_per_unit(marts):
    rows = _run(marts, _custom_queries()[0]["query"])
    assert sorted(rows) == [("RJ-NORTE", 4, 1, 0, 0), ("SP-CENTRO", 7, 3, 2, 1)]


def test_status_time_is_the_last_seven_days_weighted_by_visits(marts):
    rows = {(r[0], r[1], r[2]): r[3:] for r in _run(marts, _custom_queries()[1]["query"])}
    # Diagnóstico: (2*30 + 6*50) / 8 = 45 min, worst daily p90 70, 8 visits.
    assert rows[("SP-CENTRO", "IN_DIAGNOSIS", "Diagnóstico")] == (45.0, 70.0, 8)
    # Execução: the day 7 days ago is outside the window.
    assert rows[("SP-CENTRO", "IN_PROGRESS", "Execução")] == (120.0, 120.0, 1)
    assert rows[("RJ-NORTE", "COMPLETED", "Finalização")] == (15.0, 25.0, 3)
    assert len(rows) == 3


# --- The Secrets the values refer to ---------------------------------------------------------


def _secret_documents() -> list[dict]:
    return [d for d in yaml.safe_load_all((AGENT / "secrets.yaml").read_text()) if d]


def test_secret_manifests_match_the_strict_schemas():
    import validate  # scripts/validate.py: the strict CR schemas of kubernetes/schemas

    custom = [d for d in _secret_documents() if validate.is_custom(d)]
    assert {d["kind"] for d in custom} == {"SecretStore", "ExternalSecret"}
    assert validate.validate_custom(custom) == []


def test_every_enc_reference_has_its_secret_key():
    """ENC[k8s_secret@ns/name/key] in the values <-> the ExternalSecret that writes that key."""
    text = (AGENT / "values.yaml").read_text()
    wanted = set(re.findall(r"ENC\[k8s_secret@([\w-]+)/([\w-]+)/([\w-]+)\]", text))
    produced = set()
    for doc in _secret_documents():
        if doc["kind"] != "ExternalSecret":
            continue
        target = doc["spec"]["target"]
        keys = set(target.get("template", {}).get("data", {})) | {
            d["secretKey"] for d in doc["spec"].get("data", [])
        }
        produced |= {(doc["metadata"]["namespace"], target["name"], k) for k in keys}
    assert wanted and wanted <= produced
    values = yaml.safe_load(text)["datadog"]
    keys_secret = values["apiKeyExistingSecret"]
    assert {("datadog", keys_secret, "api-key"), ("datadog", keys_secret, "app-key")} <= produced
    # The secret backend may read exactly the Secrets the references name.
    allowed = {(r["namespace"], s) for r in values["secretBackend"]["roles"] for s in r["secrets"]}
    assert {(ns, name) for ns, name, _ in wanted} == allowed


def test_secret_store_region_is_the_environments_region():
    store = next(d for d in _secret_documents() if d["kind"] == "SecretStore")
    for env in ENVIRONMENTS:
        tfvars = AGENT.parents[1] / "terraform" / "environments" / env / "terraform.tfvars"
        match = re.search(r'^region\s*=\s*"([^"]+)"', tfvars.read_text(), re.M)
        assert match and store["spec"]["provider"]["aws"]["region"] == match.group(1)
