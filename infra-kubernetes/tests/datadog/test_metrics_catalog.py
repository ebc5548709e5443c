"""Every metric a widget or monitor queries is in docs/observability.md's catalog (the code's
DogStatsD metrics or a documented Datadog/integration metric), with the catalog's tags."""

from __future__ import annotations

import catalog
import pytest
from datadog_files import files, queries, raw, rendered

# Tags every metric carries (unified service tagging, agent host tags) or the integrations add.
COMMON_TAGS = {"env", "service", "version", "host", "team"}
INTEGRATION_TAGS = {
    "resource_name",
    "kube_deployment",
    "kube_namespace",
    "pod_name",
    "horizontalpodautoscaler",
}
# Mart metrics: tags of the custom queries (docs/observability.md, "Postgres").
MART_TAGS = {"unit", "status", "stage"}


def _all_queries() -> list[tuple[str, str, str]]:
    out = []
    for kind in ("dashboards", "monitors"):
        for path in files(kind):
            for where, query in queries(kind, raw(path)):
                out.append((f"{path.name}: {where}", query, kind))
    return out


QUERIES = _all_queries()


def test_catalog_parses():
    cat = catalog.load()
    assert "oficina.orders.failures" in cat
    assert cat.metrics["oficina.orders.failures"] == {"stage", "reason"}
    assert "oficina.mart.status_time.p90_minutes" in cat  # brace expansion
    assert "trace.flask.request" in cat
    assert "kubernetes_state.hpa.max_replicas" in cat
    assert len(cat.metrics) >= 28  # 10 DogStatsD + 18 integration metrics


def test_catalog_snapshot_is_current():
    """The split repository carries a copy of the contract; in the monorepo they must agree
    (refresh it with `make datadog-catalog`)."""
    if not catalog.MONOREPO_DOC.exists():
        pytest.skip("outside the monorepo: the snapshot is the contract")
    assert catalog.SNAPSHOT.read_text() == catalog.MONOREPO_DOC.read_text()


def test_every_query_names_a_metric():
    assert len(QUERIES) > 50
    empty = [(where, q) for where, q, _ in QUERIES if not catalog.metrics_in(q)]
    assert not empty, f"queries where no metric was recognised: {empty}"


def test_every_metric_is_in_the_catalog():
    cat = catalog.load()
    unknown = sorted(
        {(m, where) for where, q, _ in QUERIES for m in catalog.metrics_in(q) if m not in cat}
    )
    assert not unknown, f"metrics missing from docs/observability.md: {unknown}"


def test_tags_are_the_catalog_tags():
    cat = catalog.load()
    bad = []
    for where, query, _ in QUERIES:
        for metric in catalog.metrics_in(query):
            allowed = cat.metrics[metric]
            if metric.startswith("oficina.mart."):
                allowed = MART_TAGS
            elif allowed is None:
                allowed = INTEGRATION_TAGS
            extra = catalog.tag_keys_in(query) - COMMON_TAGS - allowed - INTEGRATION_TAGS
            if metric.startswith("oficina.") and extra:
                bad.append((where, metric, sorted(extra)))
    assert not bad, f"tags not in the catalog: {bad}"


def test_dashboard_filters_use_template_variables():
    """One dashboard serves both environments: every query is scoped by $env."""
    for where, query, kind in QUERIES:
        if kind == "dashboards":
            assert "$env" in query, where


@pytest.mark.parametrize("env", ["homolog", "production"])
def test_monitor_queries_are_scoped_to_their_environment(env):
    for item in rendered(env):
        if item.kind == "monitors":
            scopes = catalog.METRIC_SCOPE.findall(item.data["query"])
            assert scopes, item.identity
            for scope in scopes:
                assert f"env:{env}" in scope, (item.identity, scope)


def test_the_extractor_sees_every_form():
    q = (
        "sum(last_10m):100 * sum:a.b{env:x}.as_count() / p95:c.d {x:y} by {z} "
        "- max:kubernetes_state.hpa.max_replicas{*}"
    )
    assert catalog.metrics_in(q) == ["a.b", "c.d", "kubernetes_state.hpa.max_replicas"]
    assert catalog.tag_keys_in("sum:a.b{env:x,!reason:y,$unit} by {stage,reason}") == {
        "env",
        "reason",
        "stage",
    }


def test_the_pods_service_tag_is_the_catalog_service():
    import yaml

    path = catalog.HERE.parents[1] / "kubernetes" / "base" / "deployment.yaml"
    deployments = {d["metadata"]["name"]: d for d in yaml.safe_load_all(path.read_text()) if d}
    labels = {
        name: d["spec"]["template"]["metadata"]["labels"]["tags.datadoghq.com/service"]
        for name, d in deployments.items()
    }
    # The app's traces are the APM metrics of the catalog; every pod's service is a catalog name.
    integrations = catalog._section(catalog.catalog_text(), "Metrics from Datadog integrations")
    assert f"`service:{labels['oficina-flask']}`" in integrations
    services = catalog._section(catalog.catalog_text(), "Service names")
    assert labels == {"oficina-flask": "oficina-api", "oficina-outbox-relay": "oficina-relay"}
    for label in labels.values():
        assert f"| `{label}` |" in services, label
