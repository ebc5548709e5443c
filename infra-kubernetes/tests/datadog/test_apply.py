"""apply.py against the Datadog API mocked at the HTTP layer: the real datadog-api-client
speaks HTTP to a local fake (fake_datadog.py) that keeps state between runs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import apply
import pytest
from datadog_files import API_URL, files
from fake_datadog import API_KEY, APP_KEY, FakeDatadog


@pytest.fixture
def fake(httpserver, monkeypatch) -> FakeDatadog:
    state = FakeDatadog()
    httpserver.expect_request(re.compile(r"^/api/.*")).respond_with_handler(state.handle)
    monkeypatch.setenv("DD_API_KEY", API_KEY)
    monkeypatch.setenv("DD_APP_KEY", APP_KEY)
    monkeypatch.setenv("DD_SITE", "datadoghq.eu")
    return state


@pytest.fixture
def host(httpserver) -> str:
    return httpserver.url_for("").rstrip("/")


def run(host: str, *extra: str, env: str = "production") -> int:
    return apply.main(["--env", env, "--api-url", API_URL, *extra], host=host)


def test_first_run_creates_second_updates_nothing(fake, host, capsys):
    total = len(files())
    assert run(host) == 0
    first = capsys.readouterr().out
    assert f"{total} create, 0 update, 0 unchanged" in first
    assert len(fake.dashboards) == len(files("dashboards"))
    assert len(fake.monitors) == len(files("monitors"))
    assert len(fake.tests) == 1
    writes = len(fake.writes)
    assert writes == total

    assert run(host) == 0
    assert f"0 create, 0 update, {total} unchanged" in capsys.readouterr().out
    assert len(fake.writes) == writes  # unchanged -> no write at all
    assert len(fake.dashboards) + len(fake.monitors) + len(fake.tests) == total


def test_a_changed_file_is_updated_in_place(fake, host, tmp_path, monkeypatch, capsys):
    root = tmp_path / "datadog"
    shutil.copytree(apply.HERE, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(apply, "HERE", root)
    monkeypatch.setattr(apply.load_desired, "__defaults__", (apply.KINDS, root))
    monkeypatch.setattr(apply.environment_values, "__defaults__", (root,))
    assert run(host) == 0
    ids = (set(fake.dashboards), set(fake.monitors), set(fake.tests))
    capsys.readouterr()

    monitor_file = root / "monitors" / "api-p95-latency.json"
    monitor = json.loads(monitor_file.read_text())
    monitor["query"] = monitor["query"].replace("> 1", "> 2")
    monitor["options"]["thresholds"]["critical"] = 2
    monitor_file.write_text(json.dumps(monitor, ensure_ascii=False))
    dash_file = root / "dashboards" / "kubernetes.json"
    dash = json.loads(dash_file.read_text())
    dash["widgets"][0]["definition"]["title"] = "CPU por pod (núcleos, novo título)"
    dash_file.write_text(json.dumps(dash, ensure_ascii=False))

    writes = len(fake.writes)
    assert run(host) == 0
    out = capsys.readouterr().out
    assert "0 create, 2 update" in out
    new_writes = fake.writes[writes:]
    assert sorted(m for m, _ in new_writes) == ["PUT", "PUT"]
    assert (set(fake.dashboards), set(fake.monitors), set(fake.tests)) == ids  # no duplicates
    stored = next(m for m in fake.monitors.values() if "p95" in m["name"])
    assert stored["options"]["thresholds"]["critical"] == 2 and "> 2" in stored["query"]
    stored_dash = next(d for d in fake.dashboards.values() if "Kubernetes" in d["title"])
    assert stored_dash["widgets"][0]["definition"]["title"].endswith("novo título)")

    assert run(host) == 0  # and converged again
    assert "0 update" in capsys.readouterr().out


def test_dry_run_reads_but_never_writes(fake, host, capsys):
    assert run(host, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "[dry-run] would create" in out and "(dry run)" in out
    assert fake.writes == [] and fake.requests  # it did read
    assert not fake.dashboards and not fake.monitors and not fake.tests


def test_environments_are_separate_objects(fake, host):
    assert run(host, env="homolog") == 0
    assert run(host, env="production") == 0
    names = sorted(m["name"] for m in fake.monitors.values())
    assert len(names) == 2 * len(files("monitors"))
    assert sum(n.startswith("[homolog]") for n in names) == len(files("monitors"))
    # Dashboards are shared (env template variable): created once, not duplicated.
    assert len(fake.dashboards) == len(files("dashboards"))
    urls = {t["config"]["request"]["url"] for t in fake.tests.values()}
    assert urls == {f"{API_URL}/health/ready"}
    assert {t["name"][:9] for t in fake.tests.values()} == {"[homolog]", "[producti"}


def test_unmanaged_objects_are_left_alone(fake, host):
    title = json.loads(files("dashboards")[0].read_text())["title"]
    fake.dashboards["hand-made"] = {
        "id": "hand-made",
        "title": title,
        "description": "made by hand",
        "layout_type": "ordered",
        "url": "/x",
        "widgets": [],
    }
    assert run(host, "--only", "dashboards") == 0
    assert fake.dashboards["hand-made"]["description"] == "made by hand"
    assert ("PUT", "/api/v1/dashboard/hand-made") not in fake.writes


def test_duplicates_in_datadog_stop_the_run(fake, host, capsys):
    assert run(host, "--only", "monitors") == 0
    first = next(iter(fake.monitors.values()))
    fake.monitors["999"] = {**first, "id": 999}
    assert run(host, "--only", "monitors") == 2
    assert "two managed objects are called" in capsys.readouterr().err


def test_keys_come_from_the_environment(fake, host, monkeypatch, capsys):
    monkeypatch.delenv("DD_APP_KEY")
    assert run(host) == 2
    assert "DD_API_KEY and DD_APP_KEY must be set" in capsys.readouterr().err
    assert fake.requests == []


def test_wrong_key_is_an_error_not_a_silent_pass(fake, host, monkeypatch):
    monkeypatch.setenv("DD_API_KEY", "wrong")
    with pytest.raises(Exception, match="403"):
        run(host)


def test_site_selects_the_datadog_host(monkeypatch):
    monkeypatch.setenv("DD_API_KEY", "k")
    monkeypatch.setenv("DD_APP_KEY", "a")
    monkeypatch.setenv("DD_SITE", "datadoghq.eu")
    assert apply.configuration().host == "https://api.datadoghq.eu"


def test_invalid_file_is_refused_before_any_call(fake, host, tmp_path, monkeypatch, capsys):
    root = tmp_path / "datadog"
    shutil.copytree(apply.HERE, root, ignore=shutil.ignore_patterns("__pycache__"))
    bad = root / "monitors" / "outbox-age.json"
    data = json.loads(bad.read_text())
    data["options"]["notify_no_dat"] = True
    bad.write_text(json.dumps(data))
    monkeypatch.setattr(apply, "HERE", root)
    monkeypatch.setattr(apply.load_desired, "__defaults__", (apply.KINDS, root))
    monkeypatch.setattr(apply.environment_values, "__defaults__", (root,))
    assert run(host) == 2
    assert "notify_no_dat" in capsys.readouterr().err
    assert fake.requests == []


def test_synthetics_need_the_api_url(fake, host, monkeypatch, capsys):
    monkeypatch.delenv("OFICINA_API_URL", raising=False)
    assert apply.main(["--env", "homolog"], host=host) == 2
    assert "--api-url" in capsys.readouterr().err
    assert apply.main(["--env", "homolog", "--only", "monitors"], host=host) == 0


def test_placeholders_are_all_known():
    with pytest.raises(apply.ApplyError, match=r"\$\{nope\}"):
        apply.render({"a": ["x ${nope}"]}, {"env": "homolog"})


def test_paths_stay_inside_the_folder():
    assert Path(apply.__file__).parent == apply.HERE
