"""Whatever the body, POST /auth/token answers a JSON 4xx (or 200), never a 500."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import load_event

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
bodies = (
    st.text(max_size=200)
    | json_values.map(json.dumps)
    | st.fixed_dictionaries({"cpf": st.text(max_size=20)}).map(json.dumps)
    | st.fixed_dictionaries(
        {
            "cpf": st.from_regex(r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}", fullmatch=True),
            "password": st.text(max_size=10),
        }
    ).map(json.dumps)
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_never_a_500(app, context, body):
    result = app.resolve(load_event("post_token_customer", body=body), context)
    assert result["statusCode"] in {200, 400, 401, 422, 429}, (body, result)
    payload = json.loads(result["body"])
    assert ("access_token" in payload) == (result["statusCode"] == 200)
