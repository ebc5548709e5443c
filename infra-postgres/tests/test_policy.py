"""Policy tests: parse the Terraform (python-hcl2) and assert the database's safety properties.

These complement checkov with rules specific to this platform: the exact security-group
sources, per-environment backup/Multi-AZ/deletion-protection values, no password anywhere,
the Learner Lab switch, and the conventions (descriptions, types, backends, no workspaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
import pytest
from conftest import ENV_DIRS, ENVIRONMENTS, MODULE_DIR, ROOT
from hcl2 import SerializationOptions

OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False)


@cache
def parse(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return hcl2.load(handle, serialization_options=OPTIONS)


def tf_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.tf"))


def all_tf_files() -> list[Path]:
    files = tf_files(MODULE_DIR)
    for env_dir in ENV_DIRS.values():
        files += tf_files(env_dir)
    return files


def blocks(directory: Path, kind: str) -> Iterator[tuple[str, Any]]:
    """Top-level blocks of one kind (variable, output, module...) as (label, body)."""
    for path in tf_files(directory):
        for entry in parse(path).get(kind, []):
            yield from entry.items()


def resources(directory: Path = MODULE_DIR) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in tf_files(directory):
        for entry in parse(path).get("resource", []):
            for rtype, named in entry.items():
                for name, body in named.items():
                    found[(rtype, name)] = body
    return found


def of_type(rtype: str) -> dict[str, dict[str, Any]]:
    return {name: body for (t, name), body in resources().items() if t == rtype}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def tfvars(environment: str) -> dict[str, Any]:
    return parse(ENV_DIRS[environment] / "terraform.tfvars")


def module_call(environment: str) -> dict[str, Any]:
    calls = dict(blocks(ENV_DIRS[environment], "module"))
    return calls["postgres"]


def module_variable(name: str) -> dict[str, Any]:
    return dict(blocks(MODULE_DIR, "variable"))[name]


def validations(name: str) -> list[str]:
    return [v["condition"] for v in as_list(module_variable(name).get("validation", []))]


@pytest.fixture(scope="module")
def db() -> dict[str, Any]:
    instances = of_type("aws_db_instance")
    assert list(instances) == ["this"]
    return instances["this"]


# ------------------------------------------------------------------------------- network


def test_not_publicly_accessible_and_in_private_subnets(db: dict[str, Any]) -> None:
    assert db["publicly_accessible"] is False
    assert db["db_subnet_group_name"] == "${aws_db_subnet_group.this.name}"
    assert of_type("aws_db_subnet_group")["this"]["subnet_ids"] == "${var.private_subnet_ids}"
    assert of_type("aws_db_proxy")["this"]["vpc_subnet_ids"] == "${var.private_subnet_ids}"
    assert db["vpc_security_group_ids"] == ["${aws_security_group.this.id}"]
    # nothing in this repository creates subnets, routes or gateways
    assert not {
        t
        for t, _ in resources()
        if t in {"aws_subnet", "aws_internet_gateway", "aws_route", "aws_eip"}
    }


def test_security_groups_accept_only_the_given_security_groups() -> None:
    assert not of_type("aws_security_group_rule"), "use the per-rule vpc_security_group_* resources"
    for name, group in of_type("aws_security_group").items():
        assert "ingress" not in group and "egress" not in group, f"inline rules in {name}"
    rules = {
        **{("ingress", n): b for n, b in of_type("aws_vpc_security_group_ingress_rule").items()},
        **{("egress", n): b for n, b in of_type("aws_vpc_security_group_egress_rule").items()},
    }
    assert rules
    for (direction, name), rule in rules.items():
        assert rule.get("referenced_security_group_id"), f"{direction} {name} has no SG source"
        for forbidden in ("cidr_ipv4", "cidr_ipv6", "prefix_list_id"):
            assert forbidden not in rule, f"{direction} {name} uses {forbidden}"
        assert rule["ip_protocol"] == "tcp"
        assert rule["from_port"] == rule["to_port"] == "${var.port}"
    ingress = of_type("aws_vpc_security_group_ingress_rule")
    # Instance: the cluster nodes/pods given by the caller, and the proxy. Proxy: the Lambda.
    assert {
        n for n, r in ingress.items() if r["security_group_id"] == "${aws_security_group.this.id}"
    } == {"db_from_app", "db_from_proxy"}
    assert ingress["db_from_app"]["referenced_security_group_id"] == "${each.value}"
    sg_text = (MODULE_DIR / "security_groups.tf").read_text()
    assert re.search(r"app_sources\s*=\s*\{ for i, id in var\.app_security_group_ids", sg_text)
    assert re.search(
        r"lambda_sources\s*=\s*\{ for i, id in var\.auth_lambda_security_group_ids", sg_text
    )
    assert ingress["proxy_from_client"]["referenced_security_group_id"] == (
        "${aws_security_group.proxy_client[0].id}"
    )


# ------------------------------------------------------------------------------- encryption, TLS


def test_everything_at_rest_is_encrypted_with_the_key(db: dict[str, Any]) -> None:
    key = "${local.kms_key_arn}"
    assert db["storage_encrypted"] is True
    assert db["kms_key_id"] == key
    assert db["performance_insights_enabled"] is True
    assert db["performance_insights_kms_key_id"] == key
    assert db["master_user_secret_kms_key_id"] == key
    for name, group in of_type("aws_cloudwatch_log_group").items():
        assert group["kms_key_id"] == key, name
    for name, secret in of_type("aws_secretsmanager_secret").items():
        assert secret["kms_key_id"] == key, name
    kms = of_type("aws_kms_key")["this"]
    assert kms["enable_key_rotation"] is True
    assert "policy" in kms


def test_tls_is_required_everywhere() -> None:
    group = of_type("aws_db_parameter_group")["this"]
    params = {p["name"]: p["value"] for p in as_list(group["parameter"])}
    assert params["rds.force_ssl"] == "1"
    assert params["ssl_min_protocol_version"] == "TLSv1.2"
    assert params["password_encryption"] == "scram-sha-256"
    proxy = of_type("aws_db_proxy")["this"]
    assert proxy["require_tls"] is True
    (auth,) = proxy["dynamic"][0]["auth"]["content"]
    assert auth["auth_scheme"] == "SECRETS"
    assert auth["iam_auth"] == "${var.proxy_iam_auth}"
    assert module_variable("proxy_iam_auth")["default"] == "REQUIRED"
    for env in ENVIRONMENTS:  # neither environment weakens it
        assert "proxy_iam_auth" not in module_call(env)
        assert "proxy_iam_auth" not in tfvars(env)
    assert auth["client_password_auth_type"] == "POSTGRES_SCRAM_SHA_256"


def test_parameter_group_has_statements_and_slow_query_log(db: dict[str, Any]) -> None:
    group = of_type("aws_db_parameter_group")["this"]
    assert group["family"] == "postgres${local.engine_major}"
    params = {p["name"]: p for p in as_list(group["parameter"])}
    assert "pg_stat_statements" in params["shared_preload_libraries"]["value"]
    assert params["shared_preload_libraries"]["apply_method"] == "pending-reboot"
    assert params["log_min_duration_statement"]["value"] == (
        "${tostring(var.log_min_duration_statement_ms)}"
    )
    assert db["parameter_group_name"] == "${aws_db_parameter_group.this.name}"
    for env in ENVIRONMENTS:
        assert 0 < tfvars(env)["log_min_duration_statement_ms"] <= 1000


def test_postgres_16_or_newer(db: dict[str, Any]) -> None:
    assert db["engine"] == "postgres"
    assert any(">= 16" in c for c in validations("engine_version"))
    for env in ENVIRONMENTS:
        assert int(str(tfvars(env)["engine_version"]).split(".")[0]) >= 16


# ------------------------------------------------------------------------------- backups, safety


def test_backups_with_pitr(db: dict[str, Any]) -> None:
    assert db["backup_retention_period"] == "${var.backup_retention_period}"
    assert any(
        "var.backup_retention_period >= 7" in c for c in validations("backup_retention_period")
    )
    assert db["delete_automated_backups"] is False
    assert db["copy_tags_to_snapshot"] is True
    homolog = tfvars("homolog")["backup_retention_period"]
    production = tfvars("production")["backup_retention_period"]
    assert 7 <= homolog < production <= 35


@pytest.mark.parametrize("setting", ["multi_az", "deletion_protection"])
def test_production_is_multi_az_and_protected(db: dict[str, Any], setting: str) -> None:
    assert db[setting] == f"${{var.{setting}}}"
    assert tfvars("production")[setting] is True
    assert module_call("production")[setting] == f"${{var.{setting}}}"
    # and the module refuses production without it, whatever the tfvars say
    assert any(
        f'var.environment != "production" || var.{setting}' in c for c in validations(setting)
    )


def test_production_keeps_a_final_snapshot(db: dict[str, Any]) -> None:
    assert tfvars("production")["skip_final_snapshot"] is False
    assert db["final_snapshot_identifier"] == "${var.name}-final"
    assert module_call("production")["environment"] == "production"
    assert module_call("homolog")["environment"] == "homolog"


def test_monitoring_and_logs(db: dict[str, Any]) -> None:
    assert set(db["enabled_cloudwatch_logs_exports"]) == {"postgresql", "upgrade"}
    assert db["monitoring_interval"] == "${var.monitoring_interval}"
    assert not any(
        "0" in c.split("[")[1].split("]")[0].split(", ") for c in validations("monitoring_interval")
    )
    assert db["monitoring_role_arn"] == "${local.monitoring_role_arn}"
    assert db["auto_minor_version_upgrade"] is True


# ------------------------------------------------------------------------------- no passwords

ALLOWED_PASSWORD_KEYS = {"client_password_auth_type"}


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, f"{path}[{i}]")


def test_master_password_managed_by_aws(db: dict[str, Any]) -> None:
    assert db["manage_master_user_password"] is True
    for key in ("password", "password_wo", "snapshot_identifier"):
        assert key not in db


def test_no_plaintext_password_anywhere() -> None:
    files = all_tf_files() + [ENV_DIRS[e] / "terraform.tfvars" for e in ENVIRONMENTS]
    for path in files:
        for where, key, value in _walk(parse(path)):
            if "password" not in key.lower() or key in ALLOWED_PASSWORD_KEYS:
                continue
            literal = isinstance(value, str) and not value.startswith("${")
            assert not literal, f"{path.relative_to(ROOT)}{where}.{key} is a literal string"
        text = path.read_text()
        assert not re.search(r"(?i)password\s*=\s*\"[^$\"]", text), path
    # secrets only through write-only arguments: nothing lands in the plan or the state
    for name, version in of_type("aws_secretsmanager_secret_version").items():
        assert "secret_string" not in version and "secret_binary" not in version, name
        assert "ephemeral.aws_secretsmanager_random_password" in version["secret_string_wo"]
    for sql_file in ROOT.glob("bootstrap/*.sql"):
        assert not re.search(r"(?i)\bPASSWORD\s+'", sql_file.read_text()), sql_file


# ------------------------------------------------------------------------------- Learner Lab


def test_learner_lab_mode_creates_no_iam_role() -> None:
    for env in ENVIRONMENTS:
        call = module_call(env)
        assert call["existing_monitoring_role_arn"] == "${var.lab_role_arn}"
        assert call["existing_proxy_role_arn"] == "${var.lab_role_arn}"
        lab = dict(blocks(ENV_DIRS[env], "variable"))["lab_role_arn"]
        assert lab["default"] is None
    iam = {k: v for k, v in resources().items() if k[0].startswith("aws_iam_")}
    assert iam
    for (rtype, name), body in iam.items():
        assert body.get("count", "").startswith(
            ("${local.create_monitoring_role", "${local.create_proxy_role")
        ), f"{rtype}.{name} is created even when an existing role ARN is given"
    iam_text = (MODULE_DIR / "iam.tf").read_text()
    assert "create_monitoring_role = var.existing_monitoring_role_arn == null" in iam_text
    assert "var.create_proxy && var.existing_proxy_role_arn == null" in iam_text


# ------------------------------------------------------------------------------- conventions


@pytest.mark.parametrize("directory", [MODULE_DIR, *ENV_DIRS.values()], ids=lambda d: d.name)
def test_every_variable_and_output_is_documented(directory: Path) -> None:
    variables = dict(blocks(directory, "variable"))
    outputs = dict(blocks(directory, "output"))
    assert variables and outputs
    for name, body in variables.items():
        assert body.get("description"), f"variable {name} has no description"
        assert body.get("type"), f"variable {name} has no type"
    for name, body in outputs.items():
        assert body.get("description"), f"output {name} has no description"


def test_outputs_for_the_app_and_the_function() -> None:
    outputs = dict(blocks(MODULE_DIR, "output"))
    for name in (
        "endpoint",
        "port",
        "db_name",
        "master_user_secret_arn",
        "role_secret_arns",
        "proxy_endpoint",
        "proxy_auth_connect_arns",
        "proxy_client_security_group_id",
    ):
        assert name in outputs
    for env in ENVIRONMENTS:
        env_outputs = dict(blocks(ENV_DIRS[env], "output"))
        assert {"endpoint", "port", "db_name", "role_secret_arns", "proxy_endpoint"} <= set(
            env_outputs
        )


def test_single_resources_are_named_this() -> None:
    counts: dict[str, int] = {}
    for rtype, _ in resources():
        counts[rtype] = counts.get(rtype, 0) + 1
    for (rtype, name), body in resources().items():
        if counts[rtype] == 1 and "for_each" not in body:
            assert name == "this" or rtype.startswith("aws_iam_"), f"{rtype}.{name}"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_backend_is_s3_with_locking_and_no_workspaces(environment: str) -> None:
    (terraform,) = parse(ENV_DIRS[environment] / "backend.tf")["terraform"]
    s3 = terraform["backend"][0]["s3"]
    assert s3["encrypt"] is True
    assert s3.get("use_lockfile") is True or s3.get("dynamodb_table")
    assert s3["key"] == f"infra-postgres/{environment}/terraform.tfstate"
    for path in all_tf_files():
        assert "terraform.workspace" not in path.read_text(), path


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def _admits(constraint: str, version: str) -> bool:
    ops = {
        ">=": lambda a, b: a >= b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        "=": lambda a, b: a == b,
    }
    for part in constraint.split(","):
        op, ver = re.match(r"\s*(>=|<=|>|<|=)?\s*([\d.]+)", part).groups()
        if not ops[op or "="](_version_tuple(version), _version_tuple(ver)):
            return False
    return True


@pytest.mark.parametrize("directory", [MODULE_DIR, *ENV_DIRS.values()], ids=lambda d: d.name)
def test_aws_provider_constraint_admits_the_mirror(directory: Path) -> None:
    (terraform,) = parse(directory / "versions.tf")["terraform"]
    (providers,) = terraform["required_providers"]
    names = {k for k in providers if not k.startswith("__")}
    assert names == {"aws"}, "only hashicorp/aws is available offline"
    assert providers["aws"]["source"] == "hashicorp/aws"
    assert _admits(providers["aws"]["version"], "5.100.0")
    assert _admits(terraform["required_version"], "1.11.0")
