import itertools

import pytest

from oficina.domain.plates import InvalidPlate, normalize_plate
from oficina.domain.statuses import (
    ACTIVE_STATUSES,
    ALLOWED_MOVES,
    QUEUE_RANK,
    OrderStatus,
    allowed_targets,
    can_move,
)

S = OrderStatus


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("ABC-1234", "ABC1234"),
        ("abc1234", "ABC1234"),
        ("BRA2E19", "BRA2E19"),
        (" bra 2e19 ", "BRA2E19"),
    ],
)
def test_plates_in_both_formats_are_normalized(text, plate):
    assert normalize_plate(text) == plate


@pytest.mark.parametrize("text", ["AB-1234", "ABCD123", "1BC1234", "ABC12D3", "ABC-12345", ""])
def test_bad_plates_are_refused(text):
    with pytest.raises(InvalidPlate):
        normalize_plate(text)


def test_happy_path_is_allowed_in_order():
    path = [
        S.RECEIVED,
        S.IN_DIAGNOSIS,
        S.AWAITING_APPROVAL,
        S.IN_PROGRESS,
        S.COMPLETED,
        S.DELIVERED,
    ]
    for current, target in itertools.pairwise(path):
        assert can_move(current, target)


def test_no_skipping_and_final_statuses_are_final():
    assert not can_move(S.RECEIVED, S.IN_PROGRESS)
    assert not can_move(S.IN_DIAGNOSIS, S.COMPLETED)
    assert not can_move(S.COMPLETED, S.CANCELLED)
    assert allowed_targets(S.DELIVERED) == []
    assert allowed_targets(S.CANCELLED) == []


def test_every_status_has_its_moves_and_no_self_loops():
    assert set(ALLOWED_MOVES) == set(S)
    for status, targets in ALLOWED_MOVES.items():
        assert status not in targets


def test_queue_order_is_the_contract():
    assert sorted(QUEUE_RANK, key=QUEUE_RANK.get) == [
        S.IN_PROGRESS,
        S.AWAITING_APPROVAL,
        S.IN_DIAGNOSIS,
        S.RECEIVED,
    ]
    assert ACTIVE_STATUSES.isdisjoint({S.COMPLETED, S.DELIVERED, S.CANCELLED})


def test_allowed_targets_follow_lifecycle_order():
    assert allowed_targets(S.AWAITING_APPROVAL) == [S.IN_DIAGNOSIS, S.IN_PROGRESS, S.CANCELLED]
