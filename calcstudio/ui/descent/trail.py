"""A descent trail reduced to what the screen's pixels can show, kept up to date step by step.

A run of 100,000 steps mostly revisits the same few pixels: a converging ball piles its last
thousands of points onto one, an oscillating one goes back and forth between two. Drawing
each point every frame cost a race of seven 141 ms a frame at 50,000 steps. So a trail keeps
only

- each distinct pixel-to-pixel segment it has walked (its line work),
- the first point to reach each square of ``dot_spacing`` pixels (its dots),
- the first point to reach each pixel column (its ticks on the w axis),

and each frame looks only at the points added since the last one. What a frame costs then
depends on how many distinct pixels the run has crossed, which the plot's size bounds, not
on the number of steps. A change of zoom (of data units per pixel) starts over once; a pan
does not.
"""

from __future__ import annotations

import math

import numpy as np

MAX_SEGMENTS = 20_000
"""Most distinct segments kept: a trail that has crossed more pixel pairs than this has long
painted its part of the plot solid, and later ones would not show."""
_FAR = 2.0**62  # pixel indices beyond this are off any screen
_SMALL = 64  # new points a frame usually brings
_FEW = 8
"""Up to this many new points are taken one by one in plain Python: numpy's per-call cost
made a one-step frame about 0.1 ms a racer, a loop costs about a tenth of that."""


def _first_rows(keys: np.ndarray) -> list[int]:
    """Where each distinct row of ``keys`` first occurs, in order.

    A frame adds a handful of points, for which a loop is ten times faster than
    ``np.unique``; a whole trail (after a zoom) is left to ``np.unique``.
    """
    if len(keys) <= _SMALL:
        seen: set[tuple[int, ...]] = set()
        firsts = []
        for index, row in enumerate(keys.tolist()):
            key = tuple(row)
            if key not in seen:
                seen.add(key)
                firsts.append(index)
        return firsts
    _, firsts = np.unique(keys, axis=0, return_index=True)
    return sorted(firsts.tolist())


def _pixel_index(position: float) -> int:
    """The pixel index of ``position`` (in pixels), rounded half to even and clipped as
    :meth:`PixelTrail.update` does with numpy for many points."""
    if not math.isfinite(position):
        return int(math.copysign(_FAR, position))
    return int(min(max(round(position), -_FAR), _FAR))


class PixelTrail:
    """The line work, dots and ticks of one run, one per pixel (see the module docstring).

    Parameters
    ----------
    dot_spacing
        At most one dot per square of this many pixels.
    """

    def __init__(self, dot_spacing: int) -> None:
        self.dot_spacing = dot_spacing
        self._pixel: tuple[float, float] | None = None
        self._w = np.empty(0)
        self.restarted = False
        """Whether the last :meth:`update` started over (a new run or a new zoom): then
        everything kept may have changed, else only what was appended."""
        self.clear()

    def clear(self) -> None:
        """Forget everything: the next :meth:`update` starts from the run's first point."""
        self._seen = 0
        self._last_cell: tuple[int, int] | None = None
        self._last_point = (math.nan, math.nan)  # the point in that cell
        self._segments: set[tuple[int, int, int, int]] = set()
        self._dots: set[tuple[int, int]] = set()
        self._columns: set[int] = set()
        self.segment_x: list[float] = []
        """Ends of each kept segment, in pairs (data coordinates)."""
        self.segment_y: list[float] = []
        self.dot_x: list[float] = []
        """Where each dot is (data coordinates)."""
        self.dot_y: list[float] = []
        self.tick_x: list[float] = []
        """Where each tick on the w axis is."""

    def update(self, w: np.ndarray, values: np.ndarray, pixel: tuple[float, float]) -> bool:
        """Take in the points added since the last call.

        Parameters
        ----------
        w, values
            The whole run so far (earlier points unchanged since the last call, or a new
            run, which is recognised by its first point or a shorter length).
        pixel
            Data units per screen pixel in x and y (both positive).

        Returns
        -------
        bool
            Whether anything drawn changed.
        """
        restart = (
            pixel != self._pixel
            or w.size < self._seen
            or (self._seen and (self._w.size == 0 or w[0] != self._w[0]))
        )
        self.restarted = restart
        if restart:
            self.clear()
            self._pixel = pixel
        self._w = w[:1]
        if w.size == self._seen:
            return restart
        if w.size - self._seen <= _FEW:
            few_x, few_y = w[self._seen :].tolist(), values[self._seen :].tolist()
            if all(map(math.isfinite, few_x + few_y)):  # else numpy's way, as for many
                changed = self._add_few(few_x, few_y, pixel)
                self._seen = w.size
                self._last_point = (few_x[-1], few_y[-1])
                return restart or changed
        new = slice(self._seen, w.size)
        xs, ys = w[new], values[new]
        with np.errstate(all="ignore"):  # clipped: a loss of 1e300 still has a whole row
            columns = np.clip(np.round(xs / pixel[0]), -_FAR, _FAR).astype(np.int64)
            rows = np.clip(np.round(ys / pixel[1]), -_FAR, _FAR).astype(np.int64)
        changed = restart
        changed |= self._add_segments(w, values, columns, rows)
        changed |= self._add_dots(xs, ys, columns, rows)
        changed |= self._add_ticks(xs, columns)
        self._seen = w.size
        self._last_cell = (int(columns[-1]), int(rows[-1]))
        self._last_point = (float(xs[-1]), float(ys[-1]))
        return changed

    def _add_few(self, xs: list[float], ys: list[float], pixel: tuple[float, float]) -> bool:
        """:meth:`update` for a few new points (finite), one at a time, with the same outcome."""
        added = False
        spacing = self.dot_spacing
        before = self._last_point
        for x, y in zip(xs, ys, strict=True):
            cell = (_pixel_index(x / pixel[0]), _pixel_index(y / pixel[1]))
            last = self._last_cell
            if last is not None and cell != last and len(self._segments) < MAX_SEGMENTS:
                key = (*last, *cell)
                if key not in self._segments:
                    self._segments.add(key)
                    self.segment_x += (before[0], x)
                    self.segment_y += (before[1], y)
                    added = True
            dot = (cell[0] // spacing, cell[1] // spacing)
            if dot not in self._dots:
                self._dots.add(dot)
                self.dot_x.append(x)
                self.dot_y.append(y)
                added = True
            if cell[0] not in self._columns:
                self._columns.add(cell[0])
                self.tick_x.append(x)
                added = True
            self._last_cell, before = cell, (x, y)
        return added

    def _add_segments(
        self, w: np.ndarray, values: np.ndarray, columns: np.ndarray, rows: np.ndarray
    ) -> bool:
        start = self._seen
        if self._last_cell is None:  # the first point: nothing to join yet
            from_columns, from_rows = columns[:-1], rows[:-1]
            to_columns, to_rows, first = columns[1:], rows[1:], start + 1
        else:
            from_columns = np.concatenate(([self._last_cell[0]], columns[:-1]))
            from_rows = np.concatenate(([self._last_cell[1]], rows[:-1]))
            to_columns, to_rows, first = columns, rows, start
        moved = np.flatnonzero((from_columns != to_columns) | (from_rows != to_rows))
        if moved.size == 0 or len(self._segments) >= MAX_SEGMENTS:
            return False
        keys = np.column_stack(
            (from_columns[moved], from_rows[moved], to_columns[moved], to_rows[moved])
        )
        added = False
        for index in _first_rows(keys):  # the first walk of each, in walking order
            key = tuple(keys[index].tolist())
            if key in self._segments:
                continue
            self._segments.add(key)
            end = first + int(moved[index])
            self.segment_x += (float(w[end - 1]), float(w[end]))
            self.segment_y += (float(values[end - 1]), float(values[end]))
            added = True
            if len(self._segments) >= MAX_SEGMENTS:
                break
        return added

    def _add_dots(
        self, xs: np.ndarray, ys: np.ndarray, columns: np.ndarray, rows: np.ndarray
    ) -> bool:
        cells = np.column_stack((columns // self.dot_spacing, rows // self.dot_spacing))
        added = False
        for index in _first_rows(cells):
            cell = (int(cells[index, 0]), int(cells[index, 1]))
            if cell not in self._dots:
                self._dots.add(cell)
                self.dot_x.append(float(xs[index]))
                self.dot_y.append(float(ys[index]))
                added = True
        return added

    def _add_ticks(self, xs: np.ndarray, columns: np.ndarray) -> bool:
        added = False
        for index in _first_rows(columns[:, None]):
            column = int(columns[index])
            if column not in self._columns:
                self._columns.add(column)
                self.tick_x.append(float(xs[index]))
                added = True
        return added


__all__ = ["MAX_SEGMENTS", "PixelTrail"]
