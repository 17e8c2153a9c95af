"""Contour lines by marching squares, visiting only the cells that a line crosses.

A general contourer (contourpy) scans every cell of the grid once per level: 12 levels on
400×400 is nearly two million cell visits, while the lines cross a few thousand cells. The
landscape already counts, at each grid point, how many levels lie below it (its band), so a
cell is crossed by the levels between its corners' lowest and highest band, and only those
cells are visited, all levels at once, in numpy.

Each crossing gives a segment from one edge of its cell to another, oriented with the higher
values on its right; a segment's successor is the one that starts on the edge where it ends, in
the neighbouring cell. Segments are joined into pieces by pointer doubling (each pass doubles
how far every segment knows its way along its piece), not one by one in Python.

The lines are the same as contourpy's: points interpolated linearly along the cells' edges, a
saddle cell resolved by the mean of its corners, a cell with an undefined corner left out.
Where lines cross most cells (noise), scanning every cell is the cheaper way, and
:func:`isolines` leaves it to contourpy (:data:`MOST_CROSSINGS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray


def _segment_table() -> tuple[Array, Array]:
    """For each of the 16 ways a cell's corners lie above or below a level, and two more
    rows for the saddles whose centre lies below: the edges each of its (up to two)
    segments starts and ends on, or -1.

    Corners are numbered counter-clockwise from the lower left (0 lower left, 1 lower right,
    2 upper right, 3 upper left); edge ``k`` runs from corner ``k`` to corner ``k + 1``, so
    0 is the bottom, 1 the right, 2 the top and 3 the left side. Bit ``k`` of a case is set
    when corner ``k`` is above the level.
    """
    starts = np.full((18, 2), -1, dtype=np.intp)
    ends = np.full((18, 2), -1, dtype=np.intp)
    for case in range(16):
        above = [(case >> corner) & 1 for corner in range(4)]
        # going round the cell counter-clockwise, a line begins where the corners go from
        # below to above and ends where they go back: the higher values lie on its right
        ups = [edge for edge in range(4) if not above[edge] and above[(edge + 1) % 4]]
        downs = [edge for edge in range(4) if above[edge] and not above[(edge + 1) % 4]]
        if len(ups) == 1:
            starts[case, 0], ends[case, 0] = ups[0], downs[0]
        elif len(ups) == 2:
            # a saddle whose centre is above: the two corners below are cut off
            for index, corner in enumerate(c for c in range(4) if not above[c]):
                starts[case, index], ends[case, index] = corner, (corner - 1) % 4
            # its centre below: the two corners above are cut off
            saddle_below = 16 + (case == 10)
            for index, corner in enumerate(c for c in range(4) if above[c]):
                starts[saddle_below, index], ends[saddle_below, index] = (corner - 1) % 4, corner
    return starts, ends


_STARTS, _ENDS = _segment_table()
_SADDLES = (5, 10)
"""The cases whose opposite corners are above: the centre decides how the lines pass."""


@dataclass(frozen=True)
class Isolines:
    """Contour lines in the grid's column and row numbers.

    Attributes
    ----------
    points
        ``(m, 2)`` (column, row): every piece of every level, each followed by a row of NaN,
        the levels in increasing order. A closed piece ends where it starts.
    piece_starts
        The row of ``points`` where each piece starts.
    piece_lengths
        How many points each piece has (two or more).
    piece_levels
        Each piece's level, as an index into the levels.
    """

    points: Array
    piece_starts: Array
    piece_lengths: Array
    piece_levels: Array

    def longest_pieces(self) -> Array:
        """For each level that has a piece, in order, the index of its longest piece."""
        # by level, and within a level the longest first
        order = np.lexsort((-self.piece_lengths, self.piece_levels))
        return order[np.flatnonzero(np.diff(self.piece_levels[order], prepend=-1))]


def _follow(successor: Array) -> tuple[Array, Array, Array]:
    """Pointer doubling along pieces: each segment's piece's last segment (its tail) and how
    many segments it lies before it, and the segments on closed loops (which never reach a
    last one; their tails and distances mean nothing).

    ``successor`` is -1 at a piece's last segment. Each pass doubles how far every segment
    knows its way, on whole arrays: cheaper than passes over the segments still on their way.
    """
    goes_on = successor >= 0
    count = len(successor)
    tail = np.where(goes_on, successor, np.arange(count))
    distance = goes_on.astype(np.intp)
    reached = count - np.count_nonzero(goes_on[tail])
    while reached < count:
        distance += distance[tail]
        tail = tail[tail]
        now = count - np.count_nonzero(goes_on[tail])
        if now == reached:  # no progress: what is left goes round in loops
            break
        reached = now
    return tail, distance, np.flatnonzero(goes_on[tail])


def _open_loops(successor: Array, looped: Array, tail: Array, distance: Array) -> None:
    """Open each closed loop of segments at its lowest-numbered one (which becomes its
    piece's first segment), and write where its segments lie along the piece into ``tail``
    and ``distance`` (as :func:`_follow` does for the others)."""
    position = np.full(len(successor), -1, dtype=np.intp)
    position[looped] = np.arange(len(looped))
    jump = position[successor[looped]]  # the loops on their own, numbered 0, 1, ...
    lowest_on_loop = looped.copy()
    for _ in range(len(looped).bit_length()):  # each pass sees twice as far round the loop
        np.minimum(lowest_on_loop, lowest_on_loop[jump], out=lowest_on_loop)
        jump = jump[jump]
    opened = successor[looped] == lowest_on_loop
    successor[looped[opened]] = -1
    loop_tail, loop_distance, _ = _follow(np.where(opened, -1, position[successor[looped]]))
    tail[looped] = looped[loop_tail]
    distance[looped] = loop_distance


_EDGE_X = np.array([0.0, 1.0, 0.0, 0.0])
_EDGE_Y = np.array([0.0, 0.0, 1.0, 0.0])
"""Where each edge (0 bottom, 1 right, 2 top, 3 left) begins, from its cell's lower left
grid point, in columns and rows; it runs along the row (even edges) or the column (odd
ones), from its lower or left end."""


def _crossings(
    values: Array, corner: Array, column: Array, row: Array, edge: Array, level: Array
) -> tuple[Array, Array]:
    """Where each level crosses each edge of the cells at ``corner`` (the cells' lower left
    grid points as flat indices), interpolated linearly along the edge: columns and rows.

    The interpolation runs from the edge's lower or left end, so the two cells either side
    of an edge give the same point.
    """
    columns = values.shape[1]
    flat = values.reshape(-1)
    low = corner + np.array([0, 1, columns, 0])[edge]
    high = low + np.array([1, columns, 1, columns])[edge]
    low_value = flat[low]
    fraction = (level - low_value) / (flat[high] - low_value)
    across = (edge & 1) == 0
    x = np.where(across, fraction, _EDGE_X[edge])
    x += column
    y = np.where(across, _EDGE_Y[edge], fraction)
    y += row
    return x, y


MOST_CROSSINGS = 25_000
"""Above this many (cell, level) crossings, :func:`isolines` declines. Its cost grows with
the segments (about 0.7 µs each, measured on 400×400 grids), contourpy's mostly with the grid
(about 15 ms, and 0.05 µs a segment): 12,000 segments 8 against 17 ms, 37,000 segments 21
against 20 ms, and noise, a line in nearly every cell, 1.9 s and 470 MB against 0.13 s."""


def isolines(
    values: Array, bands: Array, levels: Array, most: int = MOST_CROSSINGS
) -> Isolines | None:
    """The contour lines of ``values`` at ``levels``, in grid numbers, or None when the
    levels cross more than ``most`` cells (count each level in a cell).

    Parameters
    ----------
    values
        ``(ny, nx)`` grid of values, NaN where undefined.
    bands
        ``(ny, nx)`` uint8: how many levels lie below each value, 255 where undefined (as
        :func:`calcstudio.core.surface.landscape.band_indices` counts them).
    levels
        The levels, increasing.
    """
    rows, columns = values.shape
    cell_rows, cell_columns = rows - 1, columns - 1
    corners = (bands[:-1, :-1], bands[:-1, 1:], bands[1:, 1:], bands[1:, :-1])
    lowest = np.minimum(np.minimum(corners[0], corners[1]), np.minimum(corners[2], corners[3]))
    highest = np.maximum(np.maximum(corners[0], corners[1]), np.maximum(corners[2], corners[3]))
    crossed = highest > lowest
    crossed &= highest != 255  # a cell with an undefined corner
    cells = np.flatnonzero(crossed)
    if len(cells) == 0:
        empty = np.empty(0, dtype=np.intp)
        return Isolines(np.empty((0, 2)), empty, empty, empty)

    # one (cell, level) pair for each level between a crossed cell's lowest and highest band
    cell_lowest = lowest.reshape(-1)[cells].astype(np.intp)
    counts = highest.reshape(-1)[cells] - cell_lowest
    if counts.sum() > most:
        return None
    first_pair = np.cumsum(counts) - counts
    pair_cell_rank = np.repeat(np.arange(len(cells)), counts)
    pair_level = (
        np.arange(len(pair_cell_rank)) - first_pair[pair_cell_rank] + cell_lowest[pair_cell_rank]
    )
    cell_row, cell_column = np.divmod(cells, cell_columns)
    pair_row, pair_column = cell_row[pair_cell_rank], cell_column[pair_cell_rank]
    corner = (cells + cell_row)[pair_cell_rank]  # the lower left grid point, flat
    flat_bands = bands.reshape(-1)
    case = (flat_bands[corner] > pair_level).astype(np.intp)
    case |= (flat_bands[corner + 1] > pair_level) << 1
    case |= (flat_bands[corner + columns + 1] > pair_level) << 2
    case |= (flat_bands[corner + columns] > pair_level) << 3
    saddles = np.flatnonzero((case == _SADDLES[0]) | (case == _SADDLES[1]))
    if len(saddles):
        flat_values = values.reshape(-1)
        at = corner[saddles]
        centre = (
            flat_values[at]
            + flat_values[at + 1]
            + flat_values[at + columns]
            + flat_values[at + columns + 1]
        ) / 4
        below = saddles[centre <= levels[pair_level[saddles]]]
        case[below] = 16 + (case[below] == _SADDLES[1])

    # the segments: each pair's first, then the saddles' second ones
    pair_count = len(case)
    first_start = _STARTS[case, 0]
    segment_pair = np.concatenate((np.arange(pair_count), saddles))
    start_edge = np.concatenate((first_start, _STARTS[case[saddles], 1]))
    end_edge = np.concatenate((_ENDS[case, 0], _ENDS[case[saddles], 1]))
    second_of_pair = np.full(pair_count, -1, dtype=np.intp)
    second_of_pair[saddles] = np.arange(pair_count, pair_count + len(saddles))
    segment_level = pair_level[segment_pair]

    # a segment's successor starts on the same edge, seen from the neighbouring cell; the
    # cells are numbered on a grid with a border of no cells, so a step never leaves it
    bordered_columns = cell_columns + 2
    bordered = cells + 2 * cell_row + bordered_columns + 1  # each crossed cell's number there
    # int32: half the fresh memory to fault in (0.6 ms of a 400×400 map's 7)
    cell_rank = np.full((cell_rows + 2) * bordered_columns, -1, dtype=np.int32)
    cell_rank[bordered] = np.arange(len(cells))
    # across edge 0 (bottom) one row down, 1 (right) one column on, 2 up, 3 back
    across_edge = np.array([-bordered_columns, 1, bordered_columns, -1])
    neighbour_rank = cell_rank[bordered[pair_cell_rank][segment_pair] + across_edge[end_edge]]
    found = neighbour_rank >= 0  # not past the grid's edge nor into an undefined cell
    neighbour_rank = neighbour_rank[found]
    neighbour_pair = first_pair[neighbour_rank] + segment_level[found] - cell_lowest[neighbour_rank]
    successor = np.full(len(segment_pair), -1, dtype=np.intp)
    successor[found] = np.where(
        first_start[neighbour_pair] == (end_edge[found] + 2) % 4,
        neighbour_pair,
        second_of_pair[neighbour_pair],
    )

    # join the segments into pieces
    segment_count = len(successor)
    tail, distance, looped = _follow(successor)
    if len(looped):
        _open_loops(successor, looped, tail, distance)

    # lay the pieces out by level, each followed by its end point and a row of NaN
    last = np.flatnonzero(successor < 0)
    last = last[np.argsort(segment_level[last], kind="stable")]
    piece_of_tail = np.empty(segment_count, dtype=np.intp)
    piece_of_tail[last] = np.arange(len(last))
    piece = piece_of_tail[tail]
    piece_segments = np.bincount(piece, minlength=len(last))
    piece_rows = piece_segments + 2
    piece_starts = np.cumsum(piece_rows) - piece_rows
    points = np.full((int(piece_rows.sum()), 2), np.nan)
    segment_row = piece_starts[piece] + piece_segments[piece] - 1 - distance
    # each segment's start point, then each piece's end (where its last segment ends)
    rows_drawn = np.concatenate((segment_row, piece_starts + piece_segments))
    at = np.concatenate((segment_pair, segment_pair[last]))
    edge = np.concatenate((start_edge, end_edge[last]))
    points[rows_drawn, 0], points[rows_drawn, 1] = _crossings(
        values, corner[at], pair_column[at], pair_row[at], edge, levels[pair_level[at]]
    )
    return Isolines(points, piece_starts, piece_segments + 1, segment_level[last])


__all__ = ["MOST_CROSSINGS", "Isolines", "isolines"]
