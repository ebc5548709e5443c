"""Unknown CPF, inactive staff and wrong password cost the same argon2 verification."""

from __future__ import annotations

import statistics
import time

from tests.conftest import INACTIVE_STAFF_CPF, STAFF_CPF, UNKNOWN_CPF, load_event


def _median_seconds(app, context, database, payload, runs=5):
    times = []
    for _ in range(runs):
        database.execute("TRUNCATE auth_attempts")  # stay under the throttling limit
        event = load_event("post_token_staff", body=payload)
        started = time.perf_counter()
        result = app.resolve(event, context)
        times.append(time.perf_counter() - started)
        assert result["statusCode"] == 401
    return statistics.median(times)


def test_refusals_take_comparable_time(app, context, database):
    wrong = _median_seconds(app, context, database, {"cpf": STAFF_CPF, "password": "wrong"})
    unknown = _median_seconds(app, context, database, {"cpf": UNKNOWN_CPF, "password": "wrong"})
    inactive = _median_seconds(
        app, context, database, {"cpf": INACTIVE_STAFF_CPF, "password": "wrong"}
    )
    # Each path runs one argon2id verification (tens of ms); a path that skipped it would be
    # an order of magnitude faster. Bounds are wide so a busy 2-core CI machine does not flake.
    assert wrong > 0.02
    for other in (unknown, inactive):
        assert 0.5 < other / wrong < 2.0, (wrong, unknown, inactive)
