"""CPF/CNPJ validation against known vectors and an independent implementation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oficina.domain.documents import (
    DocumentType,
    InvalidDocument,
    is_valid_cnpj,
    is_valid_cpf,
    mask,
    parse_cpf,
    parse_document,
)


@pytest.mark.parametrize("text", ["529.982.247-25", "52998224725", " 529 982 247 25 "])
def test_cpf_accepted_with_or_without_punctuation(text):
    assert parse_document(text) == (DocumentType.CPF, "52998224725")


@pytest.mark.parametrize("text", ["11.222.333/0001-81", "11222333000181"])
def test_cnpj_accepted_with_or_without_punctuation(text):
    assert parse_document(text) == (DocumentType.CNPJ, "11222333000181")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("529.982.247-24", "check digits"),
        ("111.111.111-11", "check digits"),
        ("00000000000", "check digits"),
        ("5299822472", "11 digits"),
        ("529982247250", "11 digits"),
        ("11.222.333/0001-80", "check digits"),
        ("11111111111111", "check digits"),
        ("52998224725a", "only digits"),
        ("", "11 digits"),
        ("٥٢٩٩٨٢٢٤٧٢٥", "only digits"),
    ],
)
def test_invalid_documents_say_why(text, reason):
    with pytest.raises(InvalidDocument, match=reason):
        parse_document(text)


def test_parse_cpf_refuses_a_cnpj():
    with pytest.raises(InvalidDocument, match="must be a CPF"):
        parse_cpf("11222333000181")


def test_mask_keeps_no_identifying_prefix_or_suffix():
    assert mask("52998224725") == "***.982.247-**"
    assert mask("11222333000181") == "**.***.333/0001-**"
    assert mask("123") == "***"


def _reference_cpf_digits(base: str) -> str:
    """Independent implementation (sum over reversed weights, the textbook formula)."""
    digits = [int(c) for c in base]
    for _ in range(2):
        total = sum(d * w for d, w in zip(reversed(digits), range(2, 12), strict=False))
        digits.append((total * 10) % 11 % 10)
    return "".join(map(str, digits))


def _reference_cnpj_digits(base: str) -> str:
    digits = [int(c) for c in base]
    for _ in range(2):
        weights = [2, 3, 4, 5, 6, 7, 8, 9] * 2
        total = sum(d * w for d, w in zip(reversed(digits), weights, strict=False))
        remainder = total % 11
        digits.append(0 if remainder < 2 else 11 - remainder)
    return "".join(map(str, digits))


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@given(nine_digits)
def test_cpf_agrees_with_reference(base):
    full = _reference_cpf_digits(base)
    assert is_valid_cpf(full) == (len(set(full)) > 1)
    wrong = full[:10] + str((int(full[10]) + 1) % 10)
    assert not is_valid_cpf(wrong)


@given(twelve_digits)
def test_cnpj_agrees_with_reference(base):
    full = _reference_cnpj_digits(base)
    assert is_valid_cnpj(full) == (len(set(full)) > 1)
    wrong = full[:13] + str((int(full[13]) + 1) % 10)
    assert not is_valid_cnpj(wrong)
