"""The rule for digits answers long values without trying every shorter form first: the
result must be what trying each form from 1 to EXACT_DIGITS digits gives."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from calcstudio.core.numbers import EXACT_DIGITS, _format, _written


def tried_in_turn(value: float, digits: int) -> str:
    """The rule as stated: the shortest form within 4 units in the last place, else rounded."""
    for exact in range(1, EXACT_DIGITS + 1):
        text = _written(value, exact)
        if abs(float(text) - value) <= 4 * math.ulp(value):
            return text
    return _written(value, digits)


finite = st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: v != 0)
short = st.builds(
    lambda mantissa, power: mantissa * 10.0**power,
    st.integers(-(10**10), 10**10).filter(bool),
    st.integers(-14, 10),
)


@given(st.one_of(finite, short), st.sampled_from([4, 6]))
def test_any_value_is_written_as_trying_every_form_writes_it(value: float, digits: int) -> None:
    assert _format.__wrapped__(value, digits) == tried_in_turn(value, digits)


def test_a_descent_run_s_values_and_the_lesson_s_short_ones() -> None:
    run = 5.0 * (1 - 2e-4) ** np.arange(3000)  # gradient descent on x² at η = 1e-4
    for value in [*run.tolist(), 0.1 + 0.2, 0.536870912, 0.5625, 1.5e-7, -3.0, 123456.75]:
        assert _format.__wrapped__(value, 4) == tried_in_turn(value, 4)
    assert _format.__wrapped__(0.1 + 0.2, 4) == "0.3"
    assert _format.__wrapped__(5.0 * (1 - 2e-4) ** 1000, 4) == "4.094"
