"""Every dashboard, monitor and synthetics test loads into datadog-api-client's typed models in
strict mode (ddstrict.py), raw and rendered per environment; and strict mode really is strict."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import ddstrict
import pytest
from datadog_api_client.v1.model.dashboard import Dashboard
from datadog_api_client.v1.model.monitor import Monitor
from datadog_api_client.v1.model.synthetics_api_test import SyntheticsAPITest
from datadog_files import ENVIRONMENTS, files, raw, rendered

ALL = files()


def test_there_is_something_to_check():
    kinds = {p.parent.name for p in ALL}
    assert kinds == {"dashboards", "monitors", "synthetics"}
    assert len(files("dashboards")) >= 5
    assert len(files("monitors")) >= 10


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_file_loads_strictly(path: Path):
    model = ddstrict.load_file(path)
    assert type(model) is ddstrict.KINDS[path.parent.name]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_rendered_objects_load_strictly(env: str):
    desired = rendered(env)  # load_desired renders ${...} and loads strictly
    assert len(desired) == len(ALL)
    text = json.dumps([d.data for d in desired], ensure_ascii=False)
    assert "${" not in text
    assert f"env:{env}" in text


# --- The strict mode rejects what the lenient client lets through ------------------------------


def _dashboard() -> dict:
    return raw(files("dashboards")[0])


def _first_timeseries(data: dict) -> dict:
    stack = list(data["widgets"])
    while stack:
        definition = stack.pop(0)["definition"]
        if definition["type"] == "timeseries":
            return definition
        stack[:0] = definition.get("widgets", [])
    raise AssertionError("no timeseries widget")


def _rejected(data: dict, cls: type) -> list[str]:
    with pytest.raises(ddstrict.StrictError) as info:
        ddstrict.load(data, cls, "mutant")
    return info.value.problems


def test_the_client_alone_is_lenient():
    """The premise: the plain client accepts a misspelt key and an unknown widget type."""
    from datadog_api_client.model_utils import validate_and_convert_types

    data = _dashboard()
    data["titel"] = "typo"
    _first_timeseries(data)["type"] = "timeseriez"
    model = validate_and_convert_types(data, (Dashboard,), [], True, True, None)
    assert isinstance(model, Dashboard)  # no exception: only flags and extra properties


def test_misspelt_key_is_rejected():
    data = _dashboard()
    _first_timeseries(data)["titel"] = data.pop("title")
    data["title"] = "x"
    problems = _rejected(data, Dashboard)
    assert any(
        p.endswith(".titel: unknown property of TimeseriesWidgetDefinition") for p in problems
    )


def test_misspelt_top_level_key_is_rejected():
    data = _dashboard()
    data["layout"] = data.pop("layout_type")
    problems = _rejected(data, Dashboard)
    assert any("layout_type" in p or "layout" in p for p in problems)


def test_bad_enum_is_rejected():
    data = _dashboard()
    _first_timeseries(data)["requests"][0]["display_type"] = "lines"
    problems = _rejected(data, Dashboard)
    assert any(
        ".display_type: 'lines' is not one of area, bars, line, overlay" in p for p in problems
    )


def test_bad_top_level_enum_is_rejected():
    data = _dashboard()
    data["layout_type"] = "orderd"
    assert _rejected(data, Dashboard) == ["$.layout_type: 'orderd' is not one of free, ordered"]


def test_wrong_widget_type_is_rejected():
    data = _dashboard()
    _first_timeseries(data)["type"] = "timeseriez"
    problems = _rejected(data, Dashboard)
    assert any("unknown type 'timeseriez' for WidgetDefinition" in p for p in problems)


def test_widget_with_fields_of_another_type_is_rejected():
    """A valid type name with a body that fits no branch: an unmatched oneOf."""
    data = _dashboard()
    definition = _first_timeseries(data)
    definition["type"] = "note"  # a note has `content`, not `requests`
    problems = _rejected(data, Dashboard)
    assert any("content" in p or "requests" in p for p in problems), problems


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda m: m.__setitem__("type", "metric alrt"), "$.type: 'metric alrt' is not one of"),
        (lambda m: m["options"].__setitem__("renotify_intervall", 60), "renotify_intervall"),
        (lambda m: m["options"].__setitem__("on_missing_data", "maybe"), "on_missing_data"),
    ],
    ids=["bad-monitor-type", "misspelt-option", "bad-option-enum"],
)
def test_monitor_mutants_are_rejected(mutate, expected):
    data = raw(files("monitors")[0])
    mutate(data)
    assert any(expected in p for p in _rejected(data, Monitor))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda t: t.__setitem__("subtype", "htp"), "subtype"),
        (lambda t: t["config"]["assertions"][0].__setitem__("operator", "equals"), "assertions"),
        (lambda t: t["options"].__setitem__("tick_evry", 60), "tick_evry"),
    ],
    ids=["bad-subtype", "bad-assertion-operator", "misspelt-option"],
)
def test_synthetics_mutants_are_rejected(mutate, expected):
    data = raw(files("synthetics")[0])
    mutate(data)
    assert any(expected in p for p in _rejected(data, SyntheticsAPITest))


def test_every_mutant_of_every_dashboard_is_caught():
    """A misspelt key planted in each widget of each dashboard is found, at the right path."""
    for path in files("dashboards"):
        data = raw(path)
        stack = [(w, f"$.widgets[{i}]") for i, w in enumerate(data["widgets"])]
        while stack:
            widget, where = stack.pop()
            mutant = copy.deepcopy(data)
            node = mutant
            for part in where[2:].replace("]", "").replace("[", ".").split("."):
                node = node[int(part)] if part.isdigit() else node[part]
            node["definition"]["descripton"] = "typo"
            problems = _rejected(mutant, Dashboard)
            assert any(p.startswith(f"{where}.definition.descripton") for p in problems), (
                path.name,
                where,
                problems,
            )
            for j, inner in enumerate(widget["definition"].get("widgets", [])):
                stack.append((inner, f"{where}.definition.widgets[{j}]"))
