"""Adaptive curve sampling: breaks exactly at poles and jumps, none on continuous curves."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calcstudio.core.function import parse
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree
from calcstudio.core.sampling import (
    default_max_points,
    interesting_x_range,
    robust_y_range,
    sample_curve,
)

# Ranges both symmetric (the grid lands exactly on 0 and on x = 2) and lopsided.
RANGES = [(-5.0, 5.0), (-4.3, 6.1)]
WIDTHS = [300, 2000]


def _finite_segments(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Indices i where the pen draws from point i to point i + 1."""
    return np.flatnonzero(np.isfinite(ys[:-1]) & np.isfinite(ys[1:]))


def _poles(text: str, x_min: float, x_max: float) -> list[float]:
    if text == "tan(x)":
        k = np.arange(math.floor(x_min / math.pi) - 1, math.ceil(x_max / math.pi) + 1)
        return [p for p in math.pi / 2 + k * math.pi if x_min < p < x_max]
    return {"1/x": [0.0], "1/(x-2)^2": [2.0], "exp(1/x)": [0.0]}[text]


@pytest.mark.parametrize("text", ["tan(x)", "1/x", "1/(x-2)^2", "exp(1/x)"])
@pytest.mark.parametrize(("x_min", "x_max"), RANGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_drawn_across_a_pole(text: str, x_min: float, x_max: float, width: int) -> None:
    xs, ys = sample_curve(parse(text), x_min, x_max, width)
    drawn = _finite_segments(xs, ys)
    poles = _poles(text, x_min, x_max)
    assert poles
    for pole in poles:
        crossing = (xs[drawn] < pole) & (xs[drawn + 1] > pole)
        assert not crossing.any(), f"a segment of {text} crosses the pole at {pole}"
        # The break is right at the pole, not somewhere else.
        gap = np.isnan(ys) & (np.abs(xs - pole) < (x_max - x_min) / width)
        assert gap.any()


@pytest.mark.parametrize("text", ["floor(x)", "sign(x)"])
@pytest.mark.parametrize(("x_min", "x_max"), RANGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_steps_have_no_risers(text: str, x_min: float, x_max: float, width: int) -> None:
    xs, ys = sample_curve(parse(text), x_min, x_max, width)
    drawn = _finite_segments(xs, ys)
    # On a step function a drawn segment is flat, or it is a false vertical line.
    assert np.array_equal(ys[drawn], ys[drawn + 1])
    jumps = [0.0] if text == "sign(x)" else range(math.floor(x_min) + 1, math.ceil(x_max))
    for jump in jumps:
        assert (np.isnan(ys) & (np.abs(xs - jump) < (x_max - x_min) / width)).any()


def test_pieces_reach_close_to_the_jump() -> None:
    xs, ys = sample_curve(parse("floor(x)"), -3.0, 3.0, 500)
    step = 6.0 / 500
    below = xs[np.isfinite(ys) & (xs < 1.0)].max()
    assert 1.0 - below < 1e-3 * step


CONTINUOUS = [
    ("x^3", -10.0, 10.0),
    ("exp(x)", -10.0, 10.0),
    ("exp(x)", -50.0, 50.0),
    ("sin(200x)", -10.0, 10.0),
    ("atan(1000x)", -10.0, 10.0),
    ("atan(1000x)", -1.3, 0.9),
    ("x*sin(1/x)", -1.0, 1.0),
    ("x*sin(1/x)", -0.7, 1.1),
    ("sin(x)/x", -10.0, 10.0),
    ("abs(x)", -1.0, 1.0),
    ("x^(1/3)", -1.0, 1.0),
    ("sin(16x^2)", -5.0, 5.0),
]


@pytest.mark.parametrize(("text", "x_min", "x_max"), CONTINUOUS)
@pytest.mark.parametrize("width", WIDTHS)
def test_continuous_curves_are_not_broken(
    text: str, x_min: float, x_max: float, width: int
) -> None:
    _, ys = sample_curve(parse(text), x_min, x_max, width)
    assert np.isfinite(ys).all()


def _worst_pixel_error(text: str, x_min: float, x_max: float, width: int) -> float:
    """Largest distance, in pixels, from the true curve to the drawn segment."""
    f = parse(text)
    xs, ys = sample_curve(f, x_min, x_max, width)
    low, high = robust_y_range(f(np.linspace(x_min, x_max, width + 1)))
    sx, sy = width / (x_max - x_min), width / (high - low)
    worst = 0.0
    for t in (0.25, 0.5, 0.75):
        xm = xs[:-1] + t * np.diff(xs)
        run, rise = np.diff(xs) * sx, np.diff(ys) * sy
        off = (xm - xs[:-1]) * sx * rise - (f(xm) - ys[:-1]) * sy * run
        worst = max(worst, float(np.max(np.abs(off) / np.hypot(run, rise))))
    return worst


@pytest.mark.parametrize(
    ("text", "x_min", "x_max"),
    [
        ("sin(16x^2)", -5.0, 5.0),
        ("x^3", -10.0, 10.0),
        ("exp(x)", -50.0, 50.0),
        ("atan(1000x)", -10, 10),
    ],
)
def test_drawn_curve_stays_within_a_pixel_of_the_function(
    text: str, x_min: float, x_max: float
) -> None:
    assert _worst_pixel_error(text, x_min, x_max, 2000) < 1.0


def test_fast_oscillation_is_refined_beyond_the_pixel_grid() -> None:
    xs, _ = sample_curve(parse("sin(16x^2)"), -5.0, 5.0, 2000)
    # sin(16x^2) turns every few pixels near |x| = 5: one sample per pixel misses its
    # peaks (tested above), so refinement has to add many samples there.
    assert xs.size > 3000
    outer = np.count_nonzero(np.abs(xs) > 4.0)
    inner = np.count_nonzero(np.abs(xs) < 1.0)
    assert outer > 2 * inner


@pytest.mark.parametrize(
    "text", ["tan(x)", "floor(x)", "sign(x)", "1/(x-2)^2", "sin(16x^2)", "x*sin(1/x)", "sqrt(x)"]
)
def test_samples_are_values_of_the_function(text: str) -> None:
    f = parse(text)
    xs, ys = sample_curve(f, -4.3, 6.1, 800)
    assert np.all(np.diff(xs) > 0)
    assert xs[0] == -4.3 and xs[-1] == 6.1
    finite = np.isfinite(ys)
    assert np.array_equal(ys[finite], f(xs[finite]))


def test_sqrt_starts_at_its_domain_edge() -> None:
    xs, ys = sample_curve(parse("sqrt(x)"), -5.0, 5.0, 1000)
    assert np.isnan(ys[xs < 0]).all()
    assert np.isfinite(ys[xs > 0]).all()
    first = np.flatnonzero(np.isfinite(ys))[0]
    # The pixel grid's first defined sample is at x = 0.01; refinement reaches 0.
    assert 0 <= xs[first] < 1e-6
    assert ys[first] < 1e-3


def test_point_count_scales_with_width_and_respects_the_limit() -> None:
    square = parse("x^2")
    counts = [sample_curve(square, -3.0, 3.0, width)[0].size for width in (200, 800, 3200)]
    assert all(width <= n <= 2 * width for n, width in zip(counts, (200, 800, 3200), strict=True))
    fast = parse("sin(200x)")
    assert sample_curve(fast, -10.0, 10.0, 2000)[0].size <= default_max_points(2000)
    assert sample_curve(fast, -10.0, 10.0, 2000, max_points=3000)[0].size <= 3000
    assert sample_curve(parse("tan(x)"), -30.0, 30.0, 400, max_points=600)[0].size <= 600


def test_any_vectorised_callable_works() -> None:
    xs, ys = sample_curve(np.tan, -3.0, 3.0, 400)
    drawn = _finite_segments(xs, ys)
    for pole in (-math.pi / 2, math.pi / 2):
        assert not ((xs[drawn] < pole) & (xs[drawn + 1] > pole)).any()
    xs, ys = sample_curve(lambda x: 3.0, 0.0, 1.0, 100)
    assert xs.size == ys.size and np.all(ys == 3.0)
    xs, ys = sample_curve(lambda x: x, 0.0, 1.0, 100)
    assert np.array_equal(xs, ys)


def test_explicit_y_range_is_used_to_judge_jumps() -> None:
    # Seen from far away a 0.001 step is invisible: no break is worth drawing.
    f = lambda x: 0.001 * np.floor(x)  # noqa: E731
    _, ys = sample_curve(f, -3.0, 3.0, 400, y_range=(-1000.0, 1000.0))
    assert np.isfinite(ys).all()
    _, ys = sample_curve(f, -3.0, 3.0, 400, y_range=(-0.004, 0.004))
    assert np.isnan(ys).sum() >= 5


def test_bad_ranges_are_rejected() -> None:
    with pytest.raises(ValueError):
        sample_curve(np.sin, 1.0, 1.0, 100)
    with pytest.raises(ValueError):
        sample_curve(np.sin, 0.0, float("inf"), 100)


def test_robust_y_range_ignores_pole_spikes_but_keeps_steep_ends() -> None:
    x = np.linspace(-5, 5, 2001)
    low, high = robust_y_range(np.tan(x))
    assert -40 < low < -3 and 3 < high < 40
    low, high = robust_y_range(x**3)
    assert low <= -125 and high >= 125
    low, high = robust_y_range(np.exp(np.linspace(-10, 10, 2001)))
    assert high > 0.7 * math.exp(10)


def test_robust_y_range_degenerate_input() -> None:
    assert robust_y_range([np.nan, np.nan]) == (-1.0, 1.0)
    low, high = robust_y_range(np.full(10, 5.0))
    assert low < 5.0 < high


def test_a_range_wider_than_float64_can_measure_is_rejected() -> None:
    # 1e308 - (-1e308) overflows: the grid used to be all NaN and not increasing.
    with pytest.raises(ValueError, match="too wide"):
        sample_curve(np.sin, -1e308, 1e308, 800)


@pytest.mark.parametrize("text", ["x", "sin(x)", "floor(1e15 x)"])
def test_a_range_narrower_than_the_pixels_still_gives_increasing_samples(text: str) -> None:
    # Only a few floats lie in [1, 1 + 1e-15]: more pixels than that used to give repeats.
    xs, ys = sample_curve(parse(text), 1.0, 1.0 + 1e-15, 800)
    assert np.all(np.diff(xs) > 0)
    assert xs[0] == 1.0 and xs[-1] == 1.0 + 1e-15
    finite = np.isfinite(ys)
    assert finite.sum() >= 2
    assert np.array_equal(ys[finite], parse(text)(xs[finite]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^3 - 3x", (-3.0, 3.0)),  # a hump at -1, a dip at 1, a bend at 0
        ("(x-7)^2", (4.0, 10.0)),  # the bottom is framed, not the origin
        ("sin(x)", (-5.0, 5.0)),  # turns everywhere: the usual view
        ("2x + 1", (-5.0, 5.0)),  # no turn at all
    ],
)
def test_interesting_range_frames_the_turns_and_bends(text: str, expected: tuple) -> None:
    _, df, d2f = derivative_evaluators(parse_tree(text))
    assert interesting_x_range([df, d2f]) == pytest.approx(expected, abs=0.01)


def test_each_refinement_pass_is_one_evaluation_with_the_next_midpoints() -> None:
    # An evaluation costs mostly per call, so the grid comes with its midpoints, and each
    # pass's new samples with the midpoints the next pass compares.
    from calcstudio.core.curve import marked_smooth_everywhere
    from calcstudio.core.sampling import _REFINE_PASSES

    calls: list[int] = []

    def counted(body):
        def f(x: np.ndarray) -> np.ndarray:
            calls.append(x.size)
            return body(x)

        return marked_smooth_everywhere(f, True)  # no search for jumps: refinement alone

    sample_curve(counted(lambda x: x * x), -5.0, 5.0, 700, (-5.0, 30.0), pixel_height=500)
    assert calls == [701 + 700]  # no segment bent enough to split: one call in all
    calls.clear()
    xs, ys = sample_curve(
        counted(lambda x: np.sin(40 * x)), -5.0, 5.0, 700, (-1.5, 1.5), pixel_height=500
    )
    assert xs.size > 1000  # refined well beyond the grid
    assert 2 <= len(calls) <= 1 + _REFINE_PASSES
    np.testing.assert_array_equal(ys, np.sin(40 * xs))


def test_drawable_values_stop_ten_thousand_view_heights_away() -> None:
    from calcstudio.core.sampling import drawable

    ys = np.array([1.1e15, -3e9, 0.5, np.nan, 2.0e4, -1.9e4])
    shown = drawable(ys, (-1.0, 1.0))  # a view 2 high: at most 20,000 beyond each edge
    np.testing.assert_array_equal(shown, [20001.0, -20001.0, 0.5, np.nan, 2.0e4, -1.9e4])
