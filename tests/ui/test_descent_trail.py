"""A descent trail keeps what the pixels can show, whatever the number of steps."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.ui.descent.trail import MAX_SEGMENTS, PixelTrail

PIXEL = (0.01, 0.1)  # data units per pixel, as a 1000 px wide view of 10 units gives


def _segments(trail: PixelTrail) -> set[tuple[float, float, float, float]]:
    xs, ys = trail.segment_x, trail.segment_y
    return {(xs[i], ys[i], xs[i + 1], ys[i + 1]) for i in range(0, len(xs), 2)}


def test_an_oscillating_run_of_100000_steps_keeps_two_segments() -> None:
    w = np.where(np.arange(100_000) % 2 == 0, -1.0, 1.0)  # back and forth, as at η = 1 on x²
    trail = PixelTrail(4)
    assert trail.update(w, w**2, PIXEL)
    assert _segments(trail) == {(-1.0, 1.0, 1.0, 1.0), (1.0, 1.0, -1.0, 1.0)}
    assert trail.dot_x == [-1.0, 1.0] and sorted(trail.tick_x) == [-1.0, 1.0]


def test_step_by_step_equals_all_at_once() -> None:
    rng = np.random.default_rng(3)
    w = np.cumsum(rng.normal(0, 0.02, 3000))  # a wandering run crossing many pixels
    values = np.sin(3 * w)
    whole, stepwise = PixelTrail(4), PixelTrail(4)
    whole.update(w, values, PIXEL)
    for end in range(1, w.size + 1, 7):
        stepwise.update(w[:end], values[:end], PIXEL)
    stepwise.update(w, values, PIXEL)
    assert _segments(stepwise) == _segments(whole)
    assert sorted(stepwise.dot_x) == sorted(whole.dot_x)
    assert sorted(stepwise.tick_x) == sorted(whole.tick_x)
    # Every walked pixel pair is there: no segment between two pixels is lost.
    cells = np.column_stack((np.round(w / PIXEL[0]), np.round(values / PIXEL[1])))
    moved = np.any(cells[1:] != cells[:-1], axis=1)
    pairs = {tuple(p) for p in np.column_stack((cells[:-1], cells[1:]))[moved].tolist()}
    assert len(whole.segment_x) // 2 == len(pairs)


def _kept(trail: PixelTrail) -> tuple[list[float], ...]:
    return trail.segment_x, trail.segment_y, trail.dot_x, trail.dot_y, trail.tick_x


@pytest.mark.parametrize("chunk", [1, 2, 5, 8, 9, 64, 65])
def test_a_few_points_at_a_time_give_the_same_lists_in_the_same_order(chunk: int) -> None:
    # A few points a frame go through a plain loop, many through numpy: the same outcome,
    # also for a run that leaves the screen by far (a diverging loss past 1e300).
    rng = np.random.default_rng(7)
    w = np.cumsum(rng.normal(0, 0.02, 1500))
    w[::37] = np.round(w[::37] / PIXEL[0]) * PIXEL[0] + PIXEL[0] / 2  # ties: half to even
    values = np.concatenate((np.sin(3 * w[:1400]), 10.0 ** np.linspace(2, 307.5, 100)))
    values[1450:1460] *= -1
    whole, stepwise = PixelTrail(4), PixelTrail(4)
    whole.update(w, values, PIXEL)
    for end in range(1, w.size + 1, chunk):
        stepwise.update(w[:end], values[:end], PIXEL)
    stepwise.update(w, values, PIXEL)
    assert _kept(stepwise) == _kept(whole)


def test_new_points_alone_are_looked_at_and_a_zoom_starts_over() -> None:
    w = np.linspace(0.0, 1.0, 101)
    trail = PixelTrail(4)
    trail.update(w[:50], w[:50], PIXEL)
    kept = len(trail.segment_x)
    assert not trail.update(w[:50], w[:50], PIXEL)  # nothing new: nothing to redraw
    assert trail.update(w, w, PIXEL) and len(trail.segment_x) > kept
    assert trail.update(w, w, (0.1, 10.0))  # another zoom: pixels are other pixels
    assert len(trail.segment_x) // 2 == 10  # 0..1 crosses ten columns of 0.1, one row


def test_a_trail_keeps_at_most_the_segment_limit() -> None:
    w = np.arange(3 * MAX_SEGMENTS, dtype=float)  # a new pixel at every step
    trail = PixelTrail(4)
    trail.update(w, w, (0.5, 0.5))
    assert len(trail.segment_x) // 2 == MAX_SEGMENTS
