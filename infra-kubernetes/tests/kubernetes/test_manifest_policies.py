"""Policies on the rendered YAML: what the base promises, checked on what would be applied."""

from __future__ import annotations

import math
import re

import pytest
import validate
from conftest import ROOT

OVERLAYS = ("homolog", "production")
DIGEST = re.compile(
    r"^[a-z0-9.-]+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/oficina-flask@sha256:[0-9a-f]{64}$"
)
GATEWAY_TIMEOUT_S = 30  # HTTP API integration timeout (terraform/modules/api-gateway)
RELAY = "oficina-outbox-relay"
RELAY_COMMAND = ["python", "-m", "oficina.outbox.relay", "--interval", "1", "--heartbeat-file"]
# oficina-flask's relay opens create_engine(DATABASE_URL, pool_size=2, max_overflow=0).
RELAY_POOL = 2


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request, rendered):
    out, _ = rendered
    docs = validate.documents((out / f"{request.param}.yaml").read_text())
    return request.param, docs


def get(docs, kind, name=None):
    found = [
        d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)
    ]
    assert found, f"no {kind} {name or ''}"
    return found


def pod_specs(docs):
    for kind in ("Deployment", "Job"):
        for d in get(docs, kind):
            yield d["metadata"]["name"], d["spec"]["template"]["spec"]


def test_namespace_is_the_overlays_and_restricted(overlay):
    env, docs = overlay
    (ns,) = get(docs, "Namespace")
    assert ns["metadata"]["name"] == f"oficina-{env}"
    assert ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for d in docs:
        if d["kind"] != "Namespace":
            assert d["metadata"]["namespace"] == f"oficina-{env}", d["metadata"]["name"]


def test_images_are_pinned_by_digest_never_latest(overlay):
    _, docs = overlay
    for name, spec in pod_specs(docs):
        for c in spec["containers"] + spec.get("initContainers", []):
            assert ":latest" not in c["image"], name
            assert DIGEST.match(c["image"]), f"{name}: {c['image']} is not pinned by digest"


def test_deployment_has_no_replicas_the_hpa_owns_it(overlay):
    _, docs = overlay
    (dep,) = get(docs, "Deployment", "oficina-flask")
    assert "replicas" not in dep["spec"]
    assert dep["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    (hpa,) = get(docs, "HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "oficina-flask",
    }


def test_hpa_bounds_metrics_and_scale_down_window(overlay):
    env, docs = overlay
    (hpa,) = get(docs, "HorizontalPodAutoscaler")
    spec = hpa["spec"]
    assert 1 <= spec["minReplicas"] <= spec["maxReplicas"]
    if env == "production":
        assert spec["minReplicas"] >= 2
    resources = {m["resource"]["name"] for m in spec["metrics"] if m["type"] == "Resource"}
    assert resources == {"cpu", "memory"}
    assert spec["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 60


def test_probes_on_the_health_routes(overlay):
    _, docs = overlay
    (dep,) = get(docs, "Deployment", "oficina-flask")
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    assert c["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    assert c["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert c["startupProbe"]["httpGet"]["path"] == "/health/live"
    assert c["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        assert c[probe]["httpGet"]["port"] == "http"


def test_requests_and_limits_everywhere(overlay):
    _, docs = overlay
    for name, spec in pod_specs(docs):
        for c in spec["containers"]:
            for section in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"][section]), f"{name}/{c['name']}"


def test_security_context_as_promised(overlay):
    _, docs = overlay
    for name, spec in pod_specs(docs):
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] == 10001, name
        assert pod["seccompProfile"]["type"] == "RuntimeDefault", name
        assert spec["automountServiceAccountToken"] is False, name
        tmp_volumes = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for c in spec["containers"]:
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True, name
            assert sc["allowPrivilegeEscalation"] is False, name
            assert sc["capabilities"]["drop"] == ["ALL"], name
            assert "add" not in sc["capabilities"], name
            assert sc["runAsUser"] == 10001, name
            mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
            assert mounts.get("/tmp") in tmp_volumes, f"{name}: /tmp must be an emptyDir"


def test_graceful_shutdown_fits_under_the_gateway_timeout(overlay):
    _, docs = overlay
    (dep,) = get(docs, "Deployment", "oficina-flask")
    spec = dep["spec"]["template"]["spec"]
    (c,) = spec["containers"]
    (cm,) = get(docs, "ConfigMap", "oficina-flask")
    graceful = int(cm["data"]["GUNICORN_GRACEFUL_TIMEOUT"])
    pre_stop = c["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert graceful < GATEWAY_TIMEOUT_S
    assert spec["terminationGracePeriodSeconds"] >= pre_stop + graceful


def test_workers_follow_the_cpu_limit(overlay):
    _, docs = overlay
    (dep,) = get(docs, "Deployment", "oficina-flask")
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in c["env"]}
    ref = env["GUNICORN_WORKERS"]["valueFrom"]["resourceFieldRef"]
    assert ref["resource"] == "limits.cpu" and ref["containerName"] == c["name"]
    assert workers(c) >= 2


def test_datadog_unified_service_tagging(overlay):
    env_name, docs = overlay
    (dep,) = get(docs, "Deployment", "oficina-flask")
    for labels in (dep["metadata"]["labels"], dep["spec"]["template"]["metadata"]["labels"]):
        assert labels["tags.datadoghq.com/env"] == env_name
        assert labels["tags.datadoghq.com/service"] == "oficina-api"
        assert re.match(r"^[0-9A-Za-z._-]+$", labels["tags.datadoghq.com/version"])
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e.get("valueFrom", {}) for e in c["env"]}
    for var in ("env", "service", "version"):
        path = env[f"DD_{var.upper()}"]["fieldRef"]["fieldPath"]
        assert path == f"metadata.labels['tags.datadoghq.com/{var}']"
    assert env["DD_AGENT_HOST"]["fieldRef"]["fieldPath"] == "status.hostIP"


def test_pdb_present_and_selects_the_app(overlay):
    _, docs = overlay
    (pdb,) = get(docs, "PodDisruptionBudget")
    (dep,) = get(docs, "Deployment", "oficina-flask")
    assert pdb["spec"]["selector"]["matchLabels"] == dep["spec"]["selector"]["matchLabels"]
    assert pdb["spec"]["maxUnavailable"] == 1


def test_topology_spread_across_zones(overlay):
    _, docs = overlay
    (dep,) = get(docs, "Deployment", "oficina-flask")
    keys = {t["topologyKey"] for t in dep["spec"]["template"]["spec"]["topologySpreadConstraints"]}
    assert "topology.kubernetes.io/zone" in keys


def test_network_policy_ingress_only_on_8000_and_needed_egress(overlay):
    _, docs = overlay
    policies = {p["metadata"]["name"]: p["spec"] for p in get(docs, "NetworkPolicy")}
    assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    app = policies["oficina-flask"]
    ports = [p for rule in app["ingress"] for p in rule["ports"]]
    assert ports == [{"protocol": "TCP", "port": 8000}]
    assert all("0.0.0.0/0" not in str(rule) for rule in app["ingress"])
    egress_ports = {(p["protocol"], p["port"]) for rule in app["egress"] for p in rule["ports"]}
    assert {("UDP", 53), ("TCP", 5432), ("TCP", 8126)} <= egress_ports
    migrate = policies["oficina-flask-migrate"]
    assert "ingress" not in migrate
    assert {(p["protocol"], p["port"]) for r in migrate["egress"] for p in r["ports"]} == {
        ("UDP", 53),
        ("TCP", 53),
        ("TCP", 5432),
    }


def test_migration_job_runs_alembic_with_the_owner_url(overlay):
    _, docs = overlay
    (job,) = get(docs, "Job", "oficina-flask-migrate")
    (c,) = job["spec"]["template"]["spec"]["containers"]
    assert c["command"] == ["alembic", "upgrade", "head"] and c["workingDir"] == "/app"
    env = {e["name"]: e for e in c["env"]}
    ref = env["MIGRATIONS_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
    assert ref == {"name": "oficina-flask-db-migrations", "key": "MIGRATIONS_DATABASE_URL"}
    assert "DATABASE_URL" not in env
    (dep,) = get(docs, "Deployment", "oficina-flask")
    assert c["image"] == dep["spec"]["template"]["spec"]["containers"][0]["image"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_secrets_come_from_aws_never_from_the_repo(overlay):
    env, docs = overlay
    assert not [d for d in docs if d["kind"] == "Secret"], "no Secret may be rendered from Git"
    (store,) = get(docs, "SecretStore")
    assert store["spec"]["provider"]["aws"]["service"] == "SecretsManager"
    targets, roles = {}, {}
    for es in get(docs, "ExternalSecret"):
        ref = es["spec"]["secretStoreRef"]
        assert ref == {"kind": "SecretStore", "name": "aws-secrets-manager"}
        target = es["spec"]["target"]["name"]
        (item,) = es["spec"]["dataFrom"]
        # infra-postgres' role secrets: <name>/db/<role>-<suffix>
        match = re.search(rf":secret:oficina-{env}/db/(\w+?)-", item["extract"]["key"])
        assert match, item["extract"]["key"]
        roles[target] = match.group(1)
        targets[target] = set(es["spec"]["target"]["template"]["data"])
    assert roles == {
        "oficina-flask-db-app": "oficina_app",
        "oficina-flask-db-migrations": "oficina_owner",
    }
    assert targets == {
        "oficina-flask-db-app": {"DATABASE_URL"},
        "oficina-flask-db-migrations": {"MIGRATIONS_DATABASE_URL"},
    }


def test_no_placeholder_survives_the_build(overlay):
    _, docs = overlay
    assert "set-by-platform-values" not in str(docs)
    assert not [d for d in docs if d["metadata"]["name"] == "platform-values"]


def test_target_group_binding_points_at_the_service(overlay):
    _, docs = overlay
    (tgb,) = get(docs, "TargetGroupBinding")
    (svc,) = get(docs, "Service", "oficina-flask")
    assert svc["spec"]["type"] == "ClusterIP"
    assert tgb["spec"]["serviceRef"] == {
        "name": "oficina-flask",
        "port": svc["spec"]["ports"][0]["port"],
    }
    assert tgb["spec"]["targetType"] == "ip"


def test_learner_lab_variant_drops_irsa(rendered):
    out, _ = rendered
    docs = validate.documents((out / "homolog-learner-lab.yaml").read_text())
    (store,) = get(docs, "SecretStore")
    assert "auth" not in store["spec"]["provider"]["aws"]
    (sa,) = get(docs, "ServiceAccount", "oficina-flask")
    assert "eks.amazonaws.com/role-arn" not in sa["metadata"].get("annotations", {})


# ---- the outbox relay (issue 8): a worker of the same image publishing the outbox to SNS


def relay(docs):
    (dep,) = get(docs, "Deployment", RELAY)
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    return dep, c


def test_relay_runs_the_same_image_as_the_app_with_its_own_command(overlay):
    _, docs = overlay
    dep, c = relay(docs)
    (app,) = get(docs, "Deployment", "oficina-flask")
    assert c["image"] == app["spec"]["template"]["spec"]["containers"][0]["image"]
    assert DIGEST.match(c["image"]), c["image"]
    assert c["command"][: len(RELAY_COMMAND)] == RELAY_COMMAND
    assert c["command"][len(RELAY_COMMAND)].startswith("/tmp/"), "heartbeat on the emptyDir"
    assert "ports" not in c, "a worker listens on nothing"
    # No HPA owns it: one replica, and no Service, HPA or PDB selects its pods.
    assert dep["spec"]["replicas"] == 1
    labels = dep["spec"]["template"]["metadata"]["labels"]
    assert dep["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for kind in ("Service", "PodDisruptionBudget"):
        for obj in get(docs, kind):
            selector = obj["spec"]["selector"]
            selector = selector.get("matchLabels", selector)
            assert not selector.items() <= labels.items(), f"{kind} selects the relay"
    assert all(
        h["spec"]["scaleTargetRef"]["name"] != RELAY for h in get(docs, "HorizontalPodAutoscaler")
    )
    rolling = dep["spec"]["strategy"]["rollingUpdate"]
    assert rolling == {"maxSurge": 1, "maxUnavailable": 0}


def test_relay_liveness_checks_the_heartbeat(overlay):
    _, docs = overlay
    _, c = relay(docs)
    heartbeat = c["command"][c["command"].index("--heartbeat-file") + 1]
    for probe in ("livenessProbe", "startupProbe"):
        command = " ".join(c[probe]["exec"]["command"])
        assert f"find {heartbeat} -mmin -1" in command, probe
    liveness = c["livenessProbe"]
    # Restarted once the heartbeat is over a minute old for the whole failure window.
    assert liveness["periodSeconds"] * liveness["failureThreshold"] <= 120
    assert "readinessProbe" not in c, "no traffic to gate: the startupProbe gates the rollout"


def test_relay_environment(overlay):
    env_name, docs = overlay
    dep, c = relay(docs)
    env = {e["name"]: e for e in c["env"]}
    (app,) = get(docs, "Deployment", "oficina-flask")
    app_env = {e["name"]: e for e in app["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DATABASE_URL"] == app_env["DATABASE_URL"], "the runtime role, like the app"
    (ref,) = c["envFrom"]
    (cm,) = get(docs, "ConfigMap", ref["configMapRef"]["name"])
    data = cm["data"]
    assert data["OUTBOX_TRANSPORT"] == "sns"
    assert re.match(
        rf"^arn:aws:sns:{data['AWS_REGION']}:\d{{12}}:oficina-{env_name}-order-events\.fifo$",
        data["OUTBOX_TOPIC_ARN"],
    ), data["OUTBOX_TOPIC_ARN"]
    assert data["AWS_DEFAULT_REGION"] == data["AWS_REGION"]
    (store,) = get(docs, "SecretStore")
    assert data["AWS_REGION"] == store["spec"]["provider"]["aws"]["region"]
    assert not {"JWT_ISSUER", "DB_POOL_SIZE"} & set(data), "the app's settings are not the relay's"
    for labels in (dep["metadata"]["labels"], dep["spec"]["template"]["metadata"]["labels"]):
        assert labels["tags.datadoghq.com/env"] == env_name
        assert labels["tags.datadoghq.com/service"] == "oficina-relay"
        assert (
            labels["tags.datadoghq.com/version"]
            == app["metadata"]["labels"]["tags.datadoghq.com/version"]
        )
    refs = {k: v.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") for k, v in env.items()}
    for var in ("env", "service", "version"):
        assert refs[f"DD_{var.upper()}"] == f"metadata.labels['tags.datadoghq.com/{var}']"
    assert refs["DD_AGENT_HOST"] == "status.hostIP"


def test_relay_has_its_own_service_account_with_irsa(overlay):
    env_name, docs = overlay
    dep, _ = relay(docs)
    spec = dep["spec"]["template"]["spec"]
    assert spec["serviceAccountName"] == RELAY
    (sa,) = get(docs, "ServiceAccount", RELAY)
    assert sa["automountServiceAccountToken"] is False
    role = sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]
    assert re.match(rf"^arn:aws:iam::\d{{12}}:role/oficina-{env_name}-relay$", role), role
    (app_sa,) = get(docs, "ServiceAccount", "oficina-flask")
    assert role != app_sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]


def test_relay_network_policy_no_ingress_and_only_its_egress(overlay):
    _, docs = overlay
    dep, _ = relay(docs)
    (policy,) = get(docs, "NetworkPolicy", RELAY)
    spec = policy["spec"]
    assert spec["podSelector"]["matchLabels"] == dep["spec"]["selector"]["matchLabels"]
    assert spec["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in spec, "nothing connects to the relay"
    ports = {(p["protocol"], p["port"]) for rule in spec["egress"] for p in rule["ports"]}
    assert ports == {("UDP", 53), ("TCP", 53), ("TCP", 5432), ("UDP", 8125), ("TCP", 443)}
    for rule in spec["egress"]:
        if "0.0.0.0/0" in str(rule["to"]):
            assert rule["ports"] == [{"protocol": "TCP", "port": 443}], "only HTTPS leaves the VPC"
    (app,) = get(docs, "NetworkPolicy", "oficina-flask")

    def db_peers(p):
        return [
            r["to"] for r in p["spec"]["egress"] if {"protocol": "TCP", "port": 5432} in r["ports"]
        ]

    assert db_peers(policy) == db_peers(app), "the database is reached as the app reaches it"
    assert "169.254.169.254" not in str(spec), "IMDS only in the Learner Lab"


@pytest.mark.parametrize("env", OVERLAYS)
def test_learner_lab_relay_uses_labrole_through_imds(rendered, env):
    out, _ = rendered
    docs = validate.documents((out / f"{env}-learner-lab.yaml").read_text())
    (sa,) = get(docs, "ServiceAccount", RELAY)
    assert "eks.amazonaws.com/role-arn" not in sa["metadata"].get("annotations", {})
    (policy,) = get(docs, "NetworkPolicy", RELAY)
    imds = [r for r in policy["spec"]["egress"] if "169.254.169.254/32" in str(r["to"])]
    assert imds == [
        {
            "to": [{"ipBlock": {"cidr": "169.254.169.254/32"}}],
            "ports": [{"protocol": "TCP", "port": 80}],
        }
    ]


# ---- capacity (README, "Capacity"): the numbers there are the manifests' numbers


def cpu(value: str) -> float:
    return float(value[:-1]) / 1000 if value.endswith("m") else float(value)


def workers(container) -> int:
    env = {e["name"]: e for e in container["env"]}
    ref = env["GUNICORN_WORKERS"]["valueFrom"]["resourceFieldRef"]
    return math.ceil(cpu(container["resources"]["limits"]["cpu"]) / cpu(ref["divisor"]))


def test_readme_capacity_table_matches_the_manifests(overlay):
    env, docs = overlay
    (hpa,) = get(docs, "HorizontalPodAutoscaler")
    (dep,) = get(docs, "Deployment", "oficina-flask")
    (cm,) = get(docs, "ConfigMap", "oficina-flask")
    pods = hpa["spec"]["maxReplicas"]
    per_pod = workers(dep["spec"]["template"]["spec"]["containers"][0])
    pools = ("DB_POOL_SIZE", "DB_MAX_OVERFLOW", "DB_READ_POOL_SIZE")  # per worker
    pool = sum(int(cm["data"][key]) for key in pools)
    readme = (ROOT / "README.md").read_text()
    row = re.search(rf"^\| {env} \|(.+)\|$", readme, re.MULTILINE)
    assert row, f"README capacity table has no row for {env}"
    cells = [c.strip().strip("*") for c in row.group(1).split("|")]
    assert cells[:4] == [str(pods), str(per_pod), str(pool), str(pods * per_pod * pool)]
    relay_dep, _ = relay(docs)
    assert cells[4] == str(relay_dep["spec"]["replicas"] * RELAY_POOL)
    total, max_connections = int(cells[7]), int(cells[8].split()[0].lstrip("~"))
    assert total == pods * per_pod * pool + sum(int(c) for c in cells[4:7])
    assert total < max_connections, "the connection budget does not fit the database"
