"""Strict loading of Datadog dashboard, monitor and synthetics JSON with datadog-api-client.

The client's typed models are lenient by design (an API response from a newer Datadog must not
crash an old client): an unknown key becomes an "additional property", a value outside an enum
or a widget of an unknown type only marks its node ``_unparsed`` (an ``UnparsedObject`` takes the
place of an unmatched ``oneOf``). Loading a file and catching exceptions therefore proves
nothing. ``load`` deserializes the JSON exactly as the client deserializes an API body, then
walks the model tree and rejects:

- any key that is not a declared property of its model (additional properties), except in
  the few models whose schema is a map (e.g. request headers);
- any ``UnparsedObject`` and any node flagged ``_unparsed``;
- a ``oneOf`` (e.g. a widget definition) matching no branch, or more than one;
- an enum value outside its allowed values;
- a model that does not serialize back to the exact JSON it came from (nothing dropped or
  coerced on the way).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datadog_api_client import Configuration
from datadog_api_client.model_utils import (
    ModelComposed,
    ModelNormal,
    ModelSimple,
    OpenApiModel,
    UnparsedObject,
    model_to_dict,
    validate_and_convert_types,
)
from datadog_api_client.v1.model.dashboard import Dashboard
from datadog_api_client.v1.model.monitor import Monitor
from datadog_api_client.v1.model.synthetics_api_test import SyntheticsAPITest

KINDS: dict[str, type[OpenApiModel]] = {
    "dashboards": Dashboard,
    "monitors": Monitor,
    "synthetics": SyntheticsAPITest,
}

_CONFIGURATION = Configuration()


class StrictError(ValueError):
    """The JSON does not match the typed model exactly; ``problems`` lists every path."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def _deserialize(data: Any, cls: type[OpenApiModel], path: list[str | int]) -> Any:
    # What ApiClient.deserialize does with a response body: JSON (spec) property names,
    # type checking on, the client's configuration.
    return validate_and_convert_types(data, (cls,), list(path), True, True, _CONFIGURATION)


def _fmt(path: list[str | int]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _json_name(model: OpenApiModel, attr: str) -> str:
    return model.attribute_map.get(attr, attr)


def _types(cls: type[OpenApiModel]) -> dict[str, Any]:
    types = cls.openapi_types
    return types() if callable(types) else types


def _explain_unmatched(
    owner: type[ModelComposed] | None, data: dict, path: list[str | int]
) -> list[str]:
    """Why a oneOf matched nothing: name the discriminator, or walk the branch it selects."""
    branches = [b for b in (owner._composed_schemas.get("oneOf", ()) if owner else ()) if b]
    type_value = data.get("type")
    candidates = []
    for branch in branches:
        if not isinstance(branch, type) or not issubclass(branch, ModelNormal):
            continue
        type_cls = _types(branch).get("type", (None,))[0]
        allowed = getattr(type_cls, "allowed_values", None)
        if allowed and type_value in allowed:
            candidates.append(branch)
    name = owner.__name__ if owner else "a oneOf"
    if type_value is not None and branches and not candidates:
        known = sorted(
            v
            for b in branches
            if isinstance(b, type) and issubclass(b, ModelNormal)
            for v in getattr(_types(b).get("type", (None,))[0], "allowed_values", ()) or ()
        )
        return [f"{_fmt(path)}: unknown type {type_value!r} for {name} (known: {', '.join(known)})"]
    problems = []
    for branch in candidates:
        try:
            inner = _deserialize(data, branch, path)
        except Exception as exc:  # the branch rejects the data outright
            problems.append(f"{_fmt(path)}: as {branch.__name__}: {exc}")
            continue
        problems.extend(_walk(inner, path))
    return problems or [f"{_fmt(path)}: matches no oneOf branch of {name}"]


def _walk(node: Any, path: list[str | int], owner: type[ModelComposed] | None = None) -> list[str]:
    problems: list[str] = []
    if isinstance(node, UnparsedObject):
        return _explain_unmatched(owner, dict(node._data_store), path)
    if isinstance(node, ModelComposed):
        instances = node._composed_instances
        if len(instances) != 1:
            return [f"{_fmt(path)}: {len(instances)} oneOf branches of {type(node).__name__} match"]
        return _walk(instances[0], path, type(node))
    if isinstance(node, ModelSimple):
        value = node._data_store.get("value")
        if node._unparsed or (node.allowed_values and value not in node.allowed_values):
            allowed = ", ".join(sorted(map(str, node.allowed_values)))
            problems.append(f"{_fmt(path)}: {value!r} is not one of {allowed}")
        return problems
    if isinstance(node, ModelNormal):
        declared = _types(type(node))
        # A model whose schema is a map (headers, variables) declares its own
        # additionalProperties; every other model only inherits the lenient default.
        is_map = "additional_properties_type" in type(node).__dict__ and bool(
            node.additional_properties_type
        )
        for attr, value in node._data_store.items():
            child = [*path, _json_name(node, attr)]
            if attr not in declared and not is_map:
                problems.append(f"{_fmt(child)}: unknown property of {type(node).__name__}")
                continue
            problems.extend(_walk(value, child))
        if node._unparsed and not problems:
            problems.append(f"{_fmt(path)}: {type(node).__name__} is marked unparsed")
        return problems
    if isinstance(node, list):
        for index, item in enumerate(node):
            problems.extend(_walk(item, [*path, index]))
    elif isinstance(node, dict):
        for key, item in node.items():
            problems.extend(_walk(item, [*path, key]))
    return problems


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def load(data: dict, cls: type[OpenApiModel], source: str = "<json>") -> OpenApiModel:
    """Deserialize ``data`` into ``cls`` and reject anything the lenient client would let by."""
    if not isinstance(data, dict):
        raise StrictError(source, ["$: not a JSON object"])
    try:
        model = _deserialize(data, cls, [])
    except Exception as exc:  # type errors, missing required properties
        raise StrictError(source, [f"$: {exc}"]) from exc
    problems = _walk(model, [])
    if not problems:
        back = _plain(model_to_dict(model, serialize=True))
        if back != _plain(data):
            problems.append("$: the model does not serialize back to the same JSON")
    if problems:
        raise StrictError(source, problems)
    return model


def load_file(path: Path, kind: str | None = None) -> OpenApiModel:
    kind = kind or path.parent.name
    return load(json.loads(path.read_text(encoding="utf-8")), KINDS[kind], str(path))
