"""Policy tests on the parsed Terraform (python-hcl2): the rules of this repository that checkov
does not know - no wildcard actions, KMS on everything that stores or carries data, the DLQ of
the contract, partial batch failures, and the Learner Lab mode creating no IAM at all."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hcl2 import SerializationOptions
from tests.conftest import ROOT

OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
TF_ROOT = ROOT / "terraform"
MODULE_DIR = TF_ROOT / "modules" / "oficina-serverless"
ENV_DIRS = {env: TF_ROOT / "environments" / env for env in ("homolog", "production")}
KMS = "${aws_kms_key.this.arn}"
# Where "*" is the only resource AWS accepts (no resource-level permissions / no ARN yet).
STAR_RESOURCE_ACTIONS = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "sns:Publish",  # SMS to phone numbers; topics are denied explicitly
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
}


@cache
def parse(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return hcl2.load(handle, serialization_options=OPTIONS)


def tf_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.tf"))


def blocks(directory: Path, kind: str) -> Iterator[tuple[str, Any]]:
    for path in tf_files(directory):
        for entry in parse(path).get(kind, []):
            yield from entry.items()


def typed(kind: str, directory: Path = MODULE_DIR) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for rtype, named in blocks(directory, kind):
        for name, body in named.items():
            found[(rtype, name)] = body
    return found


def of_type(rtype: str) -> dict[str, dict[str, Any]]:
    return {name: body for (t, name), body in typed("resource").items() if t == rtype}


def module_locals() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in tf_files(MODULE_DIR):
        for entry in parse(path).get("locals", []):
            merged.update(entry)
    return merged


def statements(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for statement in document.get("statement", []):
        yield statement
    for dynamic in document.get("dynamic", []):
        for statement in dynamic.get("statement", {}).get("content", []) or []:
            yield statement
        content = dynamic.get("statement", {}).get("content")
        if isinstance(content, dict):
            yield content


def policy_documents() -> dict[str, dict[str, Any]]:
    return {
        name: body for (t, name), body in typed("data").items() if t == "aws_iam_policy_document"
    }


def test_no_wildcard_actions_anywhere():
    seen = 0
    for name, document in policy_documents().items():
        for statement in statements(document):
            actions = statement["actions"]
            if isinstance(actions, str):  # an expression: resolved through the locals below
                continue
            for action in actions:
                seen += 1
                assert "*" not in action, f"{name}: wildcard action {action}"
    for key in ("kms_admin_actions", "kms_use_actions"):
        for action in module_locals()[key]:
            seen += 1
            assert "*" not in action, f"local.{key}: wildcard action {action}"
    assert seen >= 40


def test_star_resources_only_where_aws_offers_no_arn():
    for name in ("auth", "notify"):
        for statement in statements(policy_documents()[name]):
            if statement.get("resources") == ["*"]:
                assert set(statement["actions"]) <= STAR_RESOURCE_ACTIONS, (name, statement)


def test_sms_publish_cannot_reach_topics():
    notify = list(statements(policy_documents()["notify"]))
    deny = [s for s in notify if s.get("effect") == "Deny"]
    assert deny and deny[0]["actions"] == ["sns:Publish"]
    assert deny[0]["resources"] == ["arn:${local.partition}:sns:*:*:*"]
    (ses,) = [s for s in notify if s["actions"] == ["ses:SendEmail"]]
    assert ses["resources"] == ["${aws_sesv2_email_identity.this.arn}"]
    (dynamo,) = [s for s in notify if s.get("sid") == "IdempotencyTable"]
    assert dynamo["resources"] == ["${aws_dynamodb_table.idempotency.arn}"]
    (sqs,) = [s for s in notify if s.get("sid") == "ConsumeTheQueue"]
    assert sqs["resources"] == ["${aws_sqs_queue.notifications.arn}"]


def test_kms_everywhere():
    for name, topic in of_type("aws_sns_topic").items():
        assert topic["kms_master_key_id"] == KMS, name
    for name, queue in of_type("aws_sqs_queue").items():
        assert queue["kms_master_key_id"] == KMS, name
        assert "sqs_managed_sse_enabled" not in queue
    for name, table in of_type("aws_dynamodb_table").items():
        sse = table["server_side_encryption"]
        sse = sse[0] if isinstance(sse, list) else sse
        assert sse == {"enabled": True, "kms_key_arn": KMS}, name
    for name, group in of_type("aws_cloudwatch_log_group").items():
        assert group["kms_key_id"] == KMS, name
        assert group["retention_in_days"] == "${var.log_retention_days}"
    for name, function in of_type("aws_lambda_function").items():
        assert function["kms_key_arn"] == KMS, name
    for name, secret in of_type("aws_secretsmanager_secret").items():
        assert secret["kms_key_id"] == KMS, name
    (key,) = of_type("aws_kms_key").values()
    assert key["enable_key_rotation"] is True


def test_dlq_of_the_contract():
    queues = of_type("aws_sqs_queue")
    assert set(queues) == {"notifications", "dlq"}
    redrive = queues["notifications"]["redrive_policy"]
    assert "deadLetterTargetArn = aws_sqs_queue.dlq.arn" in redrive
    assert "maxReceiveCount = var.max_receive_count" in redrive
    variables = dict(blocks(MODULE_DIR, "variable"))
    assert variables["max_receive_count"]["default"] == 5
    assert queues["dlq"]["message_retention_seconds"] == 1209600
    assert all(q["fifo_queue"] is True for q in queues.values())
    (alarm,) = [
        a
        for a in of_type("aws_cloudwatch_metric_alarm").values()
        if a["dimensions"] == {"QueueName": "${aws_sqs_queue.dlq.name}"}
    ]
    assert alarm["metric_name"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["threshold"] == 0
    (subscription,) = of_type("aws_sns_topic_subscription").values()
    assert subscription["raw_message_delivery"] is True


def test_partial_batch_failures_and_live_aliases():
    (mapping,) = of_type("aws_lambda_event_source_mapping").values()
    assert mapping["function_response_types"] == ["ReportBatchItemFailures"]
    assert mapping["function_name"] == "${aws_lambda_alias.notify_live.arn}"
    aliases = of_type("aws_lambda_alias")
    assert {a["name"] for a in aliases.values()} == {"live"}
    for function in of_type("aws_lambda_function").values():
        assert function["publish"] is True
        assert function["reserved_concurrent_executions"].startswith("${var.")
    (permission,) = of_type("aws_lambda_permission").values()
    assert permission["qualifier"] == "${aws_lambda_alias.auth_live.name}"
    assert permission["source_arn"] == "${var.api_gateway_execution_arn}/*/*"
    auth = of_type("aws_lambda_function")["auth"]
    vpc = auth["vpc_config"][0] if isinstance(auth["vpc_config"], list) else auth["vpc_config"]
    assert vpc["security_group_ids"] == ["${var.proxy_client_security_group_id}"]


def test_learner_lab_mode_creates_no_iam():
    assert module_locals()["create_iam"] == "${var.lab_role_arn == null}"
    iam = {key: body for key, body in typed("resource").items() if key[0].startswith("aws_iam_")}
    assert len(iam) == 4
    for key, body in iam.items():
        assert body.get("count") == "${local.create_iam ? 1 : 0}", key
    for name, function in of_type("aws_lambda_function").items():
        assert function["role"] == (
            f"${{local.create_iam ? aws_iam_role.{name}[0].arn : var.lab_role_arn}}"
        )
    for directory in ENV_DIRS.values():
        (module,) = dict(blocks(directory, "module")).values()
        assert module["lab_role_arn"] == "${var.lab_role_arn}"
        assert dict(blocks(directory, "variable"))["lab_role_arn"]["default"] is None


@pytest.mark.parametrize("directory", [MODULE_DIR, *ENV_DIRS.values()], ids=lambda p: p.name)
def test_variables_and_outputs_are_documented_and_typed(directory):
    for name, variable in blocks(directory, "variable"):
        assert variable.get("description"), f"{directory.name}: variable {name}"
        assert variable.get("type"), f"{directory.name}: variable {name}"
    for name, output in blocks(directory, "output"):
        assert output.get("description"), f"{directory.name}: output {name}"


@pytest.mark.parametrize("environment", list(ENV_DIRS))
def test_environment_backend_and_outputs(environment):
    directory = ENV_DIRS[environment]
    (terraform,) = [
        b
        for path in tf_files(directory)
        for b in parse(path).get("terraform", [])
        if "backend" in b
    ]
    backend = (
        terraform["backend"][0]["s3"]
        if isinstance(terraform["backend"], list)
        else (terraform["backend"]["s3"])
    )
    assert backend["use_lockfile"] is True and backend["encrypt"] is True
    assert backend["key"] == f"lambda-cpf/{environment}/terraform.tfstate"
    outputs = dict(blocks(directory, "output"))
    for name in (
        "auth_alias_invoke_arn",
        "order_events_topic_arn",
        "notifications_queue_url",
        "notifications_dlq_url",
    ):
        assert name in outputs
    providers = {
        p
        for path in tf_files(directory)
        for entry in parse(path).get("provider", [])
        for p in entry
    }
    assert providers == {"aws"}
