"""The landscape's own contouring (marching squares on the crossed cells only) draws the lines
contourpy draws, piece for piece, and joins them into whole pieces: closed loops closed,
saddles resolved by the cell's centre, undefined cells left out."""

from __future__ import annotations

import contourpy
import numpy as np
import pytest

from calcstudio.core.surface.fields import surface
from calcstudio.core.surface.isolines import isolines
from calcstudio.core.surface.landscape import band_indices, contour_levels, contour_lines

ROSENBROCK = "L(x, y) = (1 - x)^2 + 100(y - x^2)^2"


def canonical(piece: np.ndarray) -> np.ndarray:
    """A piece in the same order whichever end, or point of a loop, it starts from (the
    choices made on points rounded to 1e-6, far coarser than two contourers differ)."""
    keys = [tuple(point) for point in np.round(piece, 6)]
    if len(keys) > 2 and keys[0] == keys[-1]:  # a loop: start at its least point
        start = keys.index(min(keys[:-1]))
        loop = np.roll(piece[:-1], -start, axis=0)
        backwards = np.concatenate((loop[:1], loop[:0:-1]))
        forwards_first = tuple(np.round(loop[1], 6)) <= tuple(np.round(backwards[1], 6))
        loop = loop if forwards_first else backwards
        return np.concatenate((loop, loop[:1]))
    return piece if keys <= keys[::-1] else piece[::-1]


def key(piece: np.ndarray) -> tuple:
    return tuple(map(tuple, np.round(piece, 6)))


def assert_same_pieces(ours: list[np.ndarray], theirs: list[np.ndarray], atol: float) -> None:
    """The same pieces, in any order, point for point to ``atol``."""
    assert len(ours) == len(theirs)
    for mine, reference in zip(sorted(ours, key=key), sorted(theirs, key=key), strict=True):
        assert mine.shape == reference.shape
        np.testing.assert_allclose(mine, reference, rtol=0, atol=atol)


def pieces_of(curve: np.ndarray | None) -> list[np.ndarray]:
    """The pieces of a NaN-separated curve."""
    if curve is None or len(curve) == 0:
        return []
    breaks = np.flatnonzero(np.isnan(curve[:, 0]))
    return [piece for piece in np.split(curve, breaks) if len(piece[np.isfinite(piece[:, 0])])]


def by_level_ours(values: np.ndarray, levels: np.ndarray) -> list[list[np.ndarray]]:
    found = isolines(values, band_indices(values, levels), levels)
    per_level: list[list[np.ndarray]] = [[] for _ in levels]
    for start, length, level in zip(
        found.piece_starts, found.piece_lengths, found.piece_levels, strict=True
    ):
        piece = found.points[start : start + length]
        assert np.isfinite(piece).all()
        per_level[level].append(canonical(piece))
    return per_level


def by_level_contourpy(values: np.ndarray, levels: np.ndarray) -> list[list[np.ndarray]]:
    rows, columns = values.shape
    grid_columns, grid_rows = np.meshgrid(np.arange(columns, dtype=float), np.arange(rows))
    generator = contourpy.contour_generator(
        grid_columns, grid_rows, values, line_type="ChunkCombinedNan", corner_mask=False
    )
    return [
        [canonical(piece[np.isfinite(piece[:, 0])]) for piece in pieces_of(chunks[0])]
        for (chunks,) in generator.multi_lines(levels)
    ]


def assert_same_levels(values: np.ndarray, levels: np.ndarray) -> list[list[np.ndarray]]:
    ours = by_level_ours(values, levels)
    for mine, theirs in zip(ours, by_level_contourpy(values, levels), strict=True):
        assert_same_pieces(mine, theirs, atol=1e-9)
    return ours


def rosenbrock_grid() -> np.ndarray:
    w1 = np.linspace(-2.0, 2.0, 400)
    w2 = np.linspace(-1.0, 3.0, 400)
    return surface(ROSENBROCK).value(w1[np.newaxis, :], w2[:, np.newaxis])


@pytest.mark.parametrize("seed", range(12))
def test_the_pieces_are_contourpys_on_rough_fields_with_undefined_points(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # a rough field: many loops, saddles and pieces that end at the grid's edge
    values = rng.normal(size=(37, 53)).cumsum(axis=0).cumsum(axis=1)
    values += 3 * rng.normal(size=values.shape)
    if seed % 2:
        values[rng.random(values.shape) < 0.05] = np.nan
    levels = contour_levels(values)
    assert len(levels) >= 10
    assert_same_levels(values, levels)


def test_the_pieces_are_contourpys_in_a_narrow_valley() -> None:
    # Rosenbrock on the lesson's 400×400 grid: pieces of more than a thousand segments
    values = rosenbrock_grid()
    levels = contour_levels(values)
    ours = assert_same_levels(values, levels)
    assert max(len(piece) for pieces in ours for piece in pieces) > 1000


def test_a_bowl_gives_one_closed_loop_per_level_with_the_higher_values_on_its_right() -> None:
    w = np.linspace(-2.0, 2.0, 81)
    values = w[np.newaxis, :] ** 2 + 2 * w[:, np.newaxis] ** 2
    levels = np.array([0.5, 1.0, 2.0, 3.0])
    found = isolines(values, band_indices(values, levels), levels)
    assert list(found.piece_levels) == [0, 1, 2, 3]
    for start, length, level in zip(
        found.piece_starts, found.piece_lengths, found.piece_levels, strict=True
    ):
        loop = found.points[start : start + length]
        np.testing.assert_array_equal(loop[0], loop[-1])
        assert np.isnan(found.points[start + length]).all()  # a row of NaN after each piece
        x = np.interp(loop[:, 0], np.arange(81), w)
        y = np.interp(loop[:, 1], np.arange(81), w)
        # on its level, to the error of interpolating x² linearly over a 0.05 step
        assert np.abs(x**2 + 2 * y**2 - levels[level]).max() < 2e-3
        # walked counter-clockwise (a positive signed area): the inside on its left, the
        # higher values, outside, on its right
        area = 0.5 * np.sum(x[:-1] * y[1:] - x[1:] * y[:-1])
        assert area > 0
        # the ellipse x² + 2y² = c encloses πc/√2 (the polygon a little less, inside it)
        assert area == pytest.approx(np.pi * levels[level] / np.sqrt(2), rel=5e-3)


@pytest.mark.parametrize(
    ("top_right", "joined"),
    [
        (1.2, "above"),  # the centre (mean 0.55) above 0.5: the higher corners join
        (0.8, "below"),  # the centre (0.45) below: the lower corners join
    ],
)
def test_a_saddle_is_resolved_by_the_mean_of_its_corners(top_right: float, joined: str) -> None:
    # lower left 1 and upper right above the level, the other two corners at 0, below it
    values = np.array([[1.0, 0.0], [0.0, top_right]])
    levels = np.array([0.5])
    found = isolines(values, band_indices(values, levels), levels)
    assert len(found.piece_lengths) == 2 and set(found.piece_lengths) == {2}
    pieces = [found.points[s : s + 2] for s in found.piece_starts]
    # each piece cuts off one corner: the corner its two ends are nearest to
    cut_off = {tuple(np.round(piece.mean(axis=0))) for piece in pieces}
    if joined == "above":
        assert cut_off == {(1.0, 0.0), (0.0, 1.0)}  # the two lower corners cut off
    else:
        assert cut_off == {(0.0, 0.0), (1.0, 1.0)}  # the two higher corners cut off


def test_a_cell_with_an_undefined_corner_is_left_out_and_a_flat_field_has_no_lines() -> None:
    values = np.tile(np.arange(5.0), (4, 1))  # rises to the right: upright lines
    values[1, 2] = np.nan
    levels = np.array([1.5, 2.5])
    found = isolines(values, band_indices(values, levels), levels)
    # x = 1.5 and x = 2.5 cross the cells of rows 0-1 and 1-2 only where the undefined point
    # (row 1, column 2) is a corner: each is drawn in the cells of rows 2-3 alone
    columns = found.points[np.isfinite(found.points[:, 0]), 0]
    assert set(np.round(columns, 9)) == {1.5, 2.5}
    rows_drawn = found.points[np.isfinite(found.points[:, 0]), 1]
    assert rows_drawn.min() == 2.0 and rows_drawn.max() == 3.0  # only the cells of rows 2-3
    flat = np.ones((5, 5))
    empty = isolines(flat, band_indices(flat, np.array([2.0])), np.array([2.0]))
    assert empty.points.shape == (0, 2) and len(empty.piece_starts) == 0


def test_the_lines_in_view_coordinates_are_the_grids_lines_scaled_and_labelled_on_them() -> None:
    w1 = np.linspace(10.0, 10.5, 400)  # far from 0, very unequal sides
    w2 = np.linspace(-300.0, 200.0, 400)
    values = surface("x^2 - y^2").value(w1[np.newaxis, :], w2[:, np.newaxis])
    levels = contour_levels(values)
    lines, labels = contour_lines(w1, w2, values, levels)
    direct = contourpy.contour_generator(
        w1, w2, values, line_type="ChunkCombinedNan", corner_mask=False
    )
    scale = np.array([w1[-1] - w1[0], w2[-1] - w2[0]])
    ours = [canonical(piece[np.isfinite(piece[:, 0])] / scale) for piece in pieces_of(lines)]
    theirs = [
        canonical(piece[np.isfinite(piece[:, 0])] / scale)
        for (chunks,) in direct.multi_lines(levels)
        for piece in pieces_of(chunks[0])
    ]
    assert_same_pieces(ours, theirs, atol=1e-9)
    # one label per level, each at a point of the lines, on its own level, inside the view
    assert [level for _, _, level in labels] == sorted(levels)
    for x, y, level in labels:
        assert 10.0 <= x <= 10.5 and -300.0 <= y <= 200.0
        assert np.any((lines[:, 0] == x) & (lines[:, 1] == y))
        # y² interpolated linearly over a step h = 500/399 is off by at most h²/4
        assert x * x - y * y == pytest.approx(level, abs=(500 / 399) ** 2 / 4)


def test_lines_through_most_cells_are_left_to_contourpy_and_drawn_the_same() -> None:
    rng = np.random.default_rng(5)
    noise = rng.random((400, 400))  # a line in nearly every cell: a million segments
    levels = contour_levels(noise)
    assert isolines(noise, band_indices(noise, levels), levels) is None
    rough = rng.normal(size=(37, 53)).cumsum(axis=0).cumsum(axis=1)
    rough_levels = contour_levels(rough)
    assert isolines(rough, band_indices(rough, rough_levels), rough_levels, most=10) is None
    # the landscape then draws contourpy's lines, in the view, labelled on them
    w1, w2 = np.linspace(0.0, 4.0, 400), np.linspace(-1.0, 1.0, 400)
    lines, labels = contour_lines(w1, w2, noise, levels)
    direct = contourpy.contour_generator(
        w1, w2, noise, line_type="ChunkCombinedNan", corner_mask=False
    )
    expected = [
        piece[np.isfinite(piece[:, 0])]
        for (chunks,) in direct.multi_lines(levels)
        for piece in pieces_of(chunks[0])
    ]
    drawn = [piece[np.isfinite(piece[:, 0])] for piece in pieces_of(lines)]
    assert len(drawn) == len(expected)
    np.testing.assert_allclose(np.concatenate(drawn), np.concatenate(expected), atol=1e-12)
    assert len(labels) == len(levels)
    for x, y, _ in labels:
        assert np.any((lines[:, 0] == x) & (lines[:, 1] == y))
