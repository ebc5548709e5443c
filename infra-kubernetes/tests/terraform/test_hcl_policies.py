"""Policies on the parsed HCL (python-hcl2): what the gateway, the load balancer and the cluster
promise, checked on the code itself."""

from __future__ import annotations

import json

import pytest
from conftest import ENVIRONMENTS, ROOT
from hcl import for_each_keys, load, load_tfvars, one

MODULES = ROOT / "terraform" / "modules"
ENVS = ROOT / "terraform" / "environments"

# docs/contracts/runtime.md, "Gateway routes" (this folder stands alone, so the list is pinned
# here; a change of the contract changes this test).
CONTRACT_PUBLIC_LAMBDA = {"POST /auth/token", "GET /.well-known/{proxy+}"}
CONTRACT_PUBLIC_APP = {
    "GET /health/live",
    "GET /health/ready",
    "GET /docs",
    "GET /docs/{proxy+}",
    "GET /openapi.json",
}


@pytest.fixture(scope="module")
def api():
    return load(MODULES / "api-gateway")


def _routes(api):
    """(route key, resource name, body) for every route of the HTTP API."""
    out = []
    for name, body in api.resource("aws_apigatewayv2_route").items():
        keys = for_each_keys(api, body) if "for_each" in body else [body["route_key"]]
        out.extend((key, name, body) for key in keys)
    return out


def test_public_routes_are_exactly_the_contracts(api):
    public = {key for key, _, body in _routes(api) if body["authorization_type"] == "NONE"}
    assert public == CONTRACT_PUBLIC_LAMBDA | CONTRACT_PUBLIC_APP


def test_every_other_route_has_the_jwt_authorizer(api):
    protected = [(k, b) for k, _, b in _routes(api) if b["authorization_type"] != "NONE"]
    assert protected, "the catch-all route must exist"
    assert {k for k, _ in protected} == {"ANY /{proxy+}"}
    for key, body in protected:
        assert body["authorization_type"] == "JWT", key
        assert body["authorizer_id"] == "${aws_apigatewayv2_authorizer.jwt.id}", key


def test_public_routes_reach_the_right_backend(api):
    for key, _, body in _routes(api):
        target = body["target"]
        if key in CONTRACT_PUBLIC_LAMBDA:
            assert target == "integrations/${aws_apigatewayv2_integration.auth_lambda.id}", key
        else:
            assert target == "integrations/${aws_apigatewayv2_integration.app.id}", key


def test_jwt_authorizer_issuer_and_audience_come_from_variables(api):
    (authorizer,) = api.resource("aws_apigatewayv2_authorizer").values()
    assert authorizer["authorizer_type"] == "JWT"
    assert authorizer["identity_sources"] == ["$request.header.Authorization"]
    jwt = one(authorizer["jwt_configuration"])
    assert jwt["issuer"] == "${local.jwt_issuer}"
    assert "var.jwt_issuer" in api.locals["jwt_issuer"]
    assert jwt["audience"] == ["${var.jwt_audience}"]
    assert api.variables["jwt_audience"]["default"] == "oficina-api"  # docs/contracts/auth.md


def test_app_integration_is_the_vpc_link_with_the_request_id(api):
    app = api.resource("aws_apigatewayv2_integration")["app"]
    assert app["connection_type"] == "VPC_LINK"
    assert app["integration_uri"] == "${var.nlb_listener_arn}"
    assert app["request_parameters"] == {"overwrite:header.X-Request-ID": "$context.requestId"}


def test_access_log_is_json_with_the_promised_fields(api):
    stage = api.resource("aws_apigatewayv2_stage")["default"]
    fmt = one(stage["access_log_settings"])["format"]
    for needle in (
        "$context.requestId",
        "$context.status",
        "$context.responseLatency",
        "$context.integration.latency",
        "$context.authorizer.error",
    ):
        assert needle in fmt, needle
    assert "header" not in fmt.lower(), "no header (Authorization) may be logged"
    group = api.resource("aws_cloudwatch_log_group")["access"]
    assert group["kms_key_id"] == "${var.logs_kms_key_arn}"


def test_auth_token_route_has_its_own_throttling(api):
    stage = api.resource("aws_apigatewayv2_stage")["default"]
    assert one(stage["route_settings"])["route_key"] == "POST /auth/token"
    assert "throttling_rate_limit" in one(stage["default_route_settings"])


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_auth_token_throttling_is_stricter_in_every_environment(environment):
    tfvars = load_tfvars(ENVS / environment / "terraform.tfvars")
    default, token = tfvars["api_throttling"], tfvars["auth_token_throttling"]
    assert token["rate_limit"] < default["rate_limit"]
    assert token["burst_limit"] < default["burst_limit"]


def test_the_load_balancer_is_internal():
    lb = load(MODULES / "internal-lb")
    balancers = lb.resource("aws_lb")
    assert list(balancers) == ["this"]
    assert balancers["this"]["internal"] is True
    assert balancers["this"]["load_balancer_type"] == "network"
    # No other module creates a load balancer (so none can be public).
    for module in MODULES.iterdir():
        if module.name != "internal-lb":
            cfg = load(module)
            assert not cfg.resource("aws_lb") and not cfg.resource("aws_alb"), module.name


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_gateway_targets_the_internal_lb_listener(environment):
    root = load(ENVS / environment)
    assert root.modules["api_gateway"]["nlb_listener_arn"] == "${module.internal_lb.listener_arn}"


def test_cluster_endpoint_is_private_and_public_only_by_variable():
    eks = load(MODULES / "eks")
    vpc = one(eks.resource("aws_eks_cluster")["this"]["vpc_config"])
    assert vpc["endpoint_private_access"] is True
    assert vpc["endpoint_public_access"] == "${var.public_endpoint.enabled}"
    default = eks.variables["public_endpoint"]["default"]
    assert default["enabled"] is False
    condition = one(eks.variables["public_endpoint"]["validation"])["condition"]
    assert "0.0.0.0/0" in condition and "reason" in condition


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_no_environment_opens_the_cluster_to_the_world_without_a_reason(environment):
    endpoint = load_tfvars(ENVS / environment / "terraform.tfvars")["cluster_public_endpoint"]
    if endpoint["enabled"]:
        assert endpoint["cidrs"], "an enabled public endpoint lists its CIDRs"
        assert not {"0.0.0.0/0", "::/0"} & set(endpoint["cidrs"])
        assert len(endpoint["reason"].strip()) >= 10
    if environment == "production":
        assert endpoint["enabled"] is False, "production's API endpoint is private"


def test_secrets_are_envelope_encrypted_with_kms():
    eks = load(MODULES / "eks")
    enc = one(eks.resource("aws_eks_cluster")["this"]["encryption_config"])
    assert enc["resources"] == ["secrets"]
    assert one(enc["provider"])["key_arn"] == "${module.secrets_key.key_arn}"
    key = load(MODULES / "kms").resource("aws_kms_key")["this"]
    assert key["enable_key_rotation"] is True


def test_control_plane_logs_and_addons():
    eks = load(MODULES / "eks")
    assert eks.locals["log_types"] == [
        "api",
        "audit",
        "authenticator",
        "controllerManager",
        "scheduler",
    ]
    addons = set(eks.locals["addons_before_nodes"]) | set(eks.locals["addons_after_nodes"])
    assert addons == {
        "vpc-cni",
        "coredns",
        "kube-proxy",
        "metrics-server",
        "eks-pod-identity-agent",
    }


def test_ecr_is_immutable_scanned_and_kms_encrypted():
    repo = load(MODULES / "ecr").resource("aws_ecr_repository")["this"]
    assert repo["image_tag_mutability"] == "IMMUTABLE"
    assert one(repo["image_scanning_configuration"])["scan_on_push"] is True
    assert one(repo["encryption_configuration"])["encryption_type"] == "KMS"


def test_vpc_has_flow_logs_and_private_subnets_across_zones():
    net = load(MODULES / "network")
    assert net.resource("aws_flow_log")["this"]["traffic_type"] == "ALL"
    assert net.resource("aws_subnet")["public"]["map_public_ip_on_launch"] is False
    assert one(net.variables["azs"]["validation"])["condition"].startswith("${length(var.azs) >= 2")


def test_learner_lab_creates_no_iam_when_a_role_is_given():
    """Every IAM role/policy/OIDC provider is conditional (count on the LabRole variable)."""
    iam_types = (
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_iam_openid_connect_provider",
        "aws_eks_pod_identity_association",
    )
    found = 0
    for module in MODULES.iterdir():
        cfg = load(module)
        for rtype in iam_types:
            for name, body in cfg.resource(rtype).items():
                found += 1
                guard = str(body.get("count", body.get("for_each", "")))
                conditional = "create" in guard or "existing_iam_role_arn == null" in guard
                assert conditional, f"{module.name}: {rtype}.{name} is not conditional"
    assert found >= 8


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_state_is_in_s3_with_locking_and_no_workspaces(environment):
    root = load(ENVS / environment)
    backends = [one(block["backend"]) for block in root.terraform if "backend" in block]
    (backend,) = backends
    s3 = one(backend["s3"])
    assert s3["use_lockfile"] is True and s3["encrypt"] is True
    assert s3["key"] == f"infra-kubernetes/{environment}/terraform.tfstate"
    assert not any("terraform.workspace" in text for text in root.sources.values())


def test_both_environments_share_the_same_code():
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf"):
        texts = {(ENVS / e / name).read_text() for e in ENVIRONMENTS}
        assert len(texts) == 1, f"{name} differs between environments (only tfvars/backend may)"


def test_lbc_policy_is_scoped_to_the_target_group():
    iam = load(MODULES / "workload-iam")
    (doc,) = [d for n, d in _data(iam, "aws_iam_policy_document") if n == "lbc"]
    statements = {s["sid"]: s for s in doc["statement"]}
    register = statements["RegisterPodsInTheAppTargetGroup"]
    assert register["resources"] == "${var.lbc_target_group_arns}"
    wildcard = statements["DiscoverNetworkAndLoadBalancers"]
    assert all(":Describe" in action for action in wildcard["actions"])
    assert json.dumps(doc).count('"*"') == 1


def _data(cfg, dtype):
    import hcl2
    from hcl import OPTIONS

    out = []
    for text in cfg.sources.values():
        for block in hcl2.loads(text, serialization_options=OPTIONS).get("data", []):
            out.extend(block.get(dtype, {}).items())
    return out


def test_relay_role_publishes_only_to_the_topic_with_its_key():
    """The outbox relay's IRSA role: sns:Publish on the order-events topic, the topic's key
    only through SNS, trusted only by the relay's service account; nothing else."""
    iam = load(MODULES / "workload-iam")
    docs = dict(_data(iam, "aws_iam_policy_document"))
    statements = {s["sid"]: s for s in docs["relay"]["statement"]}
    assert set(statements) == {"PublishToTheOrderEventsTopic", "EncryptThroughSnsWithTheTopicsKey"}
    publish = statements["PublishToTheOrderEventsTopic"]
    assert publish["actions"] == ["sns:Publish"]
    assert publish["resources"] == ["${var.relay_topic_arn}"]
    kms = statements["EncryptThroughSnsWithTheTopicsKey"]
    assert kms["actions"] == ["kms:GenerateDataKey", "kms:Decrypt"]
    assert kms["resources"] == ["${var.relay_topic_kms_key_arn}"]
    (via,) = kms["condition"]
    assert via["variable"] == "kms:ViaService"
    assert via["values"] == ["sns.${data.aws_region.current.name}.amazonaws.com"]
    assert '"*"' not in json.dumps(docs["relay"])
    (trust,) = docs["relay_assume"]["statement"]
    subjects = [c["values"] for c in trust["condition"] if c["variable"].endswith(":sub")]
    assert subjects == [["system:serviceaccount:${var.app_namespace}:${var.relay_service_account}"]]
    assert iam.variables["relay_service_account"]["default"] == "oficina-outbox-relay"
    role = iam.resource("aws_iam_role")["relay"]
    assert role["assume_role_policy"] == "${data.aws_iam_policy_document.relay_assume[0].json}"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_relay_topic_comes_from_lambda_cpf_and_reaches_the_manifests(environment):
    root = load(ENVS / environment)
    wiring = root.modules["workload_iam"]
    assert wiring["relay_topic_arn"] == "${var.order_events_topic_arn}"
    assert wiring["relay_topic_kms_key_arn"] == "${var.order_events_kms_key_arn}"
    tfvars = load_tfvars(ENVS / environment / "terraform.tfvars")
    assert tfvars["order_events_topic_arn"].endswith(f":oficina-{environment}-order-events.fifo")
    # platform-values.py reads these two outputs (OUTBOX_TOPIC_ARN, RELAY_ROLE_ARN).
    outputs = (ENVS / environment / "outputs.tf").read_text()
    assert 'output "order_events_topic_arn"' in outputs
    assert 'output "relay_irsa_role_arn"' in outputs
