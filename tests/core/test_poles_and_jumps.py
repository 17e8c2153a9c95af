"""Never a line across a pole or a jump, never a break in a continuous curve (issue 7 §3).

Random views (centre, width, pixel width, with or without the window's y-range) of functions
whose poles and jumps are known by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree
from calcstudio.core.sampling import robust_y_range, sample_curve


def _f(text: str):
    return derivative_evaluators(parse_tree(text))[0]


def _odd_multiples_of_half_pi(low: float, high: float) -> list[float]:
    k = np.arange(math.floor(low / math.pi) - 1, math.ceil(high / math.pi) + 1)
    return [float(p) for p in math.pi / 2 + k * math.pi]


POLES = {
    "tan(x)": _odd_multiples_of_half_pi,
    "sec(x)": _odd_multiples_of_half_pi,
    "1/x": lambda low, high: [0.0],
    "1/(x^2-1)": lambda low, high: [-1.0, 1.0],
}
JUMPS = {
    "floor(x)": lambda low, high: [float(n) for n in range(math.floor(low), math.ceil(high) + 1)],
    "sign(x)": lambda low, high: [0.0],
}


def _crossings(xs: np.ndarray, ys: np.ndarray, where: float) -> np.ndarray:
    """Drawn segments that span ``where``, or touch it with ends of opposite sign."""
    drawn = np.flatnonzero(np.isfinite(ys[:-1]) & np.isfinite(ys[1:]))
    x0, x1, y0, y1 = xs[drawn], xs[drawn + 1], ys[drawn], ys[drawn + 1]
    across = (x0 < where) & (where < x1)
    # tan at the float nearest pi/2 is 1.6e16: a segment from there to the other side.
    touching = (
        ((x0 == where) | (x1 == where)) & (y0 * y1 < 0) & (np.maximum(abs(y0), abs(y1)) > 1e6)
    )
    return drawn[across | touching]


# The views of issue 7 §3, where a full-height segment was drawn across the pole.
@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("1/x", -2.2, 3.7), ("tan(x)", -0.629, 5.271), ("sec(x)", -11.55, 7.55)],
)
@pytest.mark.parametrize("y_range", [None, (-10.0, 10.0), (-3.0, 3.0), (-400.0, 5000.0)])
def test_the_reported_views_have_no_line_across_a_pole(
    text: str, low: float, high: float, y_range: tuple[float, float] | None
) -> None:
    xs, ys = sample_curve(_f(text), low, high, 1920, y_range, pixel_height=1080)
    for pole in POLES[text](low, high):
        if low < pole < high:
            assert _crossings(xs, ys, pole).size == 0, f"{text} drawn across {pole}"
            assert (np.isnan(ys) & (abs(xs - pole) < (high - low) / 1920)).any()


views = st.tuples(
    st.floats(-60, 60),  # centre
    st.floats(-2.5, 2.2),  # log10 of the width
    st.integers(200, 2600),  # pixels
    st.one_of(st.none(), st.tuples(st.floats(-50, 50), st.floats(-1, 3))),  # y centre, log10 height
)


def _sample(text: str, view: tuple) -> tuple[np.ndarray, np.ndarray, float, float, tuple, int]:
    """Sample as the plot does; also the y-range shown and the plot's height in pixels."""
    centre, log_width, pixels, y_view = view
    low, high = centre - 0.5 * 10**log_width, centre + 0.5 * 10**log_width
    f = _f(text)
    if y_view is None:  # the range sample_curve picks itself
        y_range = robust_y_range(f(np.unique(np.linspace(low, high, pixels + 1))))
        given_range = None
    else:
        y_centre, log_height = y_view
        y_range = given_range = (y_centre - 0.5 * 10**log_height, y_centre + 0.5 * 10**log_height)
    height = max(150, pixels // 2)
    xs, ys = sample_curve(f, low, high, pixels, given_range, pixel_height=height)
    return xs, ys, low, high, y_range, height


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(POLES)), views)
def test_never_a_line_across_a_pole(text: str, view: tuple) -> None:
    xs, ys, low, high, _, _ = _sample(text, view)
    for pole in POLES[text](low, high):
        if low < pole < high:
            assert _crossings(xs, ys, pole).size == 0, f"{text} drawn across {pole}"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(JUMPS)), views)
def test_never_a_riser_at_a_jump(text: str, view: tuple) -> None:
    _, ys, _, _, (y_low, y_high), height = _sample(text, view)
    drawn = np.flatnonzero(np.isfinite(ys[:-1]) & np.isfinite(ys[1:]))
    bottom = np.clip(np.minimum(ys[drawn], ys[drawn + 1]), y_low, y_high)
    top = np.clip(np.maximum(ys[drawn], ys[drawn + 1]), y_low, y_high)
    # Every piece of a step function is flat: a rise on screen is a false vertical line.
    # (The sampler leaves jumps under 2 px unbroken: they look like the steps' own pen.)
    rises = drawn[(top - bottom) * height / (y_high - y_low) >= 2.0]
    assert rises.size == 0


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["x^3", "exp(x)", "sin(200x)", "atan(1000x)"]), views)
def test_continuous_curves_are_never_broken(text: str, view: tuple) -> None:
    xs, ys, _, _, _, _ = _sample(text, view)
    assert np.isfinite(ys).all(), f"{text} broken at {xs[~np.isfinite(ys)][:5]}"
