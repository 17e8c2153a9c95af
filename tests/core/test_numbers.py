"""One rule for significant digits, and number fields read like constants (core.numbers)."""

from __future__ import annotations

import math

import pytest

from calcstudio.core.function import parse
from calcstudio.core.numbers import format_number, parse_number
from calcstudio.core.optimize import descend


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.5625, "0.5625"),  # exact values exactly, not 0.562
        (0.1 + 0.2, "0.3"),  # float noise is not a digit
        (4.0, "4"),
        (-2.56, "-2.56"),
        (math.sqrt(2), "1.414"),  # no short exact form: four significant digits
        (1 / 3, "0.3333"),
        (1e-6, "1e-6"),
        (-1.5e-7, "-1.5e-7"),
        (2.0**30, "1.073741824e9"),
        (123456.0, "123456"),
        (0.0, "0"),
        (-0.0, "0"),
        (float("nan"), "undefined"),
        (float("inf"), "infinity"),
    ],
)
def test_one_rule_for_digits(value: float, text: str) -> None:
    assert format_number(value) == text


def test_the_seed_example_ends_at_its_exact_value() -> None:
    # x² from 5 at η = 0.1 keeps 0.8 of the distance: 5 · 0.8¹⁰ = 0.536870912 exactly.
    trace = descend(parse("x^2"), 5.0, 0.1, steps=10)
    assert format_number(trace.points[-1, 0]) == "0.536870912"
    assert trace.steps[-1].text.endswith("= 0.536870912")


def test_more_digits_on_request() -> None:
    assert format_number(math.pi, digits=8) == "3.1415927"
    assert format_number(2.5, digits=8) == "2.5"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.5", 0.5),
        ("−2", -2.0),
        ("1e-3", 1e-3),
        (".5", 0.5),
        ("pi/4", math.pi / 4),
        ("2pi", 2 * math.pi),
        ("√2", math.sqrt(2)),
        ("e^2", math.exp(2)),
        ("-π/2", -math.pi / 2),
    ],
)
def test_number_fields_read_constants_like_the_editor(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Type a number"),
        ("nan", "'nan' is not an ordinary number"),
        ("x + 1", "it has the name x in it"),
        ("abc", "it has the name abc in it"),
        ("(2", "missing ')'"),
        ("1.2.3", "only one decimal point"),
        ("sqrt(-1)", "has no real value"),
        ("1/0", "has no real value"),
    ],
)
def test_what_is_not_a_number_is_said_in_words(text: str, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_number(text)
    assert words in str(caught.value)
