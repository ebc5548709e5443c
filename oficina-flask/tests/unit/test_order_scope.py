"""Which service orders a caller sees (oficina.access), the rule both read paths apply."""

import uuid

from oficina.access import OrderScope, order_scope, unit_order_scope
from oficina.extensions.auth import Principal

UNIT, OTHER_UNIT, PERSON = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _principal(role: str) -> Principal:
    return Principal(subject=PERSON, role=role, unit_id=None if role == "customer" else UNIT)


def test_each_role_sees_its_orders():
    assert order_scope(_principal("customer")) == OrderScope("customer", PERSON)
    assert order_scope(_principal("attendant")) == OrderScope("unit", UNIT)
    assert order_scope(_principal("mechanic")) == OrderScope("unit", UNIT)
    assert order_scope(_principal("manager")) == OrderScope("all")


def test_a_unit_asked_for_is_a_managers_choice_or_the_callers_own():
    assert unit_order_scope(_principal("manager"), OTHER_UNIT) == OrderScope("unit", OTHER_UNIT)
    assert unit_order_scope(_principal("mechanic"), UNIT) == OrderScope("unit", UNIT)
    assert unit_order_scope(_principal("mechanic"), OTHER_UNIT) is None
    assert unit_order_scope(_principal("attendant"), OTHER_UNIT) is None
    assert unit_order_scope(_principal("customer"), UNIT) is None
