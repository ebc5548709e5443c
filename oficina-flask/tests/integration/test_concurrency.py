"""Concurrent requests on real PostgreSQL: one winner, consistent history, no oversold stock."""

import threading

from sqlalchemy import text


def _race(calls):
    """Run the callables at the same moment in threads; return their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def _post(app, token, path, body):
    def call():
        response = app.test_client().post(
            path, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        return response.status_code, response.get_json()

    return call


def test_concurrent_moves_exactly_one_wins(app, world, open_order, engine):
    order = open_order()
    token = world.as_("mechanic").token
    path = f"/service-orders/{order['id']}/transitions"
    results = _race([_post(app, token, path, {"status": "IN_DIAGNOSIS"}) for _ in range(6)])
    codes = sorted(code for code, _ in results)
    assert codes == [200] + [409] * 5, results
    with engine.connect() as conn:
        history = conn.execute(
            text(
                "SELECT from_status, to_status FROM service_order_status_history "
                "WHERE service_order_id = :id ORDER BY id"
            ),
            {"id": order["id"]},
        ).all()
    assert history == [(None, "RECEIVED"), ("RECEIVED", "IN_DIAGNOSIS")]


def test_concurrent_approvals_never_oversell(app, world, open_order, engine, signer):
    # Stock 3 of FLT-01; four orders each need 1: with 4 racing approvals, 3 win, 1 is short.
    orders = [
        open_order(parts=[{"part_id": str(world.parts[1].id), "quantity": 1}]) for _ in range(4)
    ]
    for order in orders:
        for status in ["IN_DIAGNOSIS", "AWAITING_APPROVAL"]:
            world.as_("mechanic").post(
                f"/service-orders/{order['id']}/transitions", json={"status": status}
            )
    token = world.as_("attendant").token
    results = _race(
        [_post(app, token, f"/service-orders/{o['id']}/budget/approve", {}) for o in orders]
    )
    codes = sorted(code for code, _ in results)
    assert codes == [200, 200, 200, 409], results
    with engine.connect() as conn:
        stock = conn.execute(
            text("SELECT stock_quantity FROM parts WHERE id = :id"), {"id": world.parts[1].id}
        ).scalar_one()
        reserved = conn.execute(
            text("SELECT count(*) FROM stock_movements WHERE reason = 'reservation'")
        ).scalar_one()
    assert stock == 0
    assert reserved == 3


def test_concurrent_retries_with_one_idempotency_key_create_one_order(app, world, engine):
    token = world.as_("attendant").token
    body = {"customer_id": str(world.customer.id), "vehicle_id": str(world.vehicle.id)}

    def call():
        response = app.test_client().post(
            "/service-orders",
            json=body,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "retry-storm"},
        )
        return response.status_code, response.get_json()["id"]

    results = _race([call for _ in range(5)])
    assert {code for code, _ in results} == {201}
    assert len({oid for _, oid in results}) == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM service_orders")).scalar_one() == 1
