"""CPF vectors and a property test against an independent check-digit implementation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth_cpf.logic import cpf
from auth_cpf.models.errors import InvalidCpf


def reference_is_valid(digits: str) -> bool:
    """Independent formulation: d10 = (sum i*a_i, i=1..9) mod 11 mod 10 and
    d11 = (sum (i-1)*a_i, i=1..10) mod 11 mod 10 (ascending weights, not the 10..2 / 11..2
    descending ones the implementation uses)."""
    if len(digits) != 11 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    a = [int(c) for c in digits]
    d10 = sum(i * a[i - 1] for i in range(1, 10)) % 11 % 10
    d11 = sum((i - 1) * a[i - 1] for i in range(1, 11)) % 11 % 10
    return a[9] == d10 and a[10] == d11


@pytest.mark.parametrize(
    "raw",
    [
        "52998224725",
        "529.982.247-25",
        "111.444.777-35",
        "39053344705",
        "153.509.460-56",
        "  935.411.347-80 ",
        "529982247-25",
        "529.982.24725",
    ],
)
def test_valid(raw):
    assert cpf.normalize(raw) == "".join(c for c in raw if c.isdigit())


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("52998224724", "check_digits"),
        ("52998224735", "check_digits"),
        ("111.444.777-53", "check_digits"),
        ("", "wrong_length"),
        ("123", "wrong_length"),
        ("5299822472", "wrong_length"),
        ("529982247251", "wrong_length"),
        ("1" * 40, "wrong_length"),
        ("529-982-247-25", "invalid_format"),
        ("529.982.247.25", "invalid_format"),
        ("52998224725a", "invalid_format"),
        ("٥٢٩٩٨٢٢٤٧٢٥", "wrong_length"),  # Arabic-Indic digits are not ASCII digits
        *[(str(d) * 11, "repeated_digits") for d in range(10)],
        ("111.111.111-11", "repeated_digits"),
    ],
)
def test_invalid(raw, reason):
    with pytest.raises(InvalidCpf) as raised:
        cpf.normalize(raw)
    assert raised.value.reason == reason
    assert not cpf.is_valid(raw)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_agrees_with_the_reference_on_any_11_digits(digits):
    assert cpf.is_valid(digits) == reference_is_valid(digits)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_completed_cpfs_are_valid_formatted_or_not(first_nine):
    full = first_nine + cpf.check_digits(first_nine)
    formatted = f"{full[:3]}.{full[3:6]}.{full[6:9]}-{full[9:]}"
    if len(set(full)) == 1:
        assert not cpf.is_valid(full)
        return
    assert reference_is_valid(full)
    assert cpf.normalize(full) == cpf.normalize(formatted) == full
    # Changing one check digit always breaks it.
    broken = full[:10] + str((int(full[10]) + 1) % 10)
    assert not cpf.is_valid(broken)


@given(st.text(max_size=40))
def test_never_raises_anything_but_invalid_cpf(text):
    try:
        digits = cpf.normalize(text)
    except InvalidCpf:
        return
    assert reference_is_valid(digits)


def test_mask():
    assert cpf.mask("12345678909") == "***.456.789-**"
    assert cpf.mask(None) == "***.***.***-**"
    assert cpf.mask("123") == "***.***.***-**"
