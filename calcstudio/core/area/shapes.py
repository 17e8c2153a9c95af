"""The outlines that draw a Riemann sum: one polygon above the axis, one below, the dividers.

Thousands of rectangles drawn one by one cost milliseconds each frame; their union is a
single polygon along their tops and back along the axis, split by sign so area above the
axis and area below it get their own colours. A trapezoid that crosses the axis is cut
where its top does.
"""

from __future__ import annotations

import numpy as np

from calcstudio.core.area.riemann import RiemannSum


def top_outline(riemann: RiemannSum) -> tuple[np.ndarray, np.ndarray]:
    """The tops of all pieces from a to b, with a vertex where a sloped top crosses 0.

    Undefined heights are drawn as 0 (nothing), and the sum says it is undefined.
    """
    edges = riemann.edges
    left = np.where(np.isfinite(riemann.left_heights), riemann.left_heights, 0.0)
    if riemann.rule != "trapezoid":  # flat tops: two corners a piece
        return np.repeat(edges, 2)[1:-1], np.repeat(left, 2)
    right = np.where(np.isfinite(riemann.right_heights), riemann.right_heights, 0.0)
    crosses = left * right < 0
    with np.errstate(all="ignore"):
        t = np.where(crosses, left / (left - right), 0.5)
    middle_x = edges[:-1] + t * (edges[1:] - edges[:-1])
    middle_y = np.where(crosses, 0.0, 0.5 * (left + right))
    xs = np.column_stack((edges[:-1], middle_x, edges[1:])).ravel()
    ys = np.column_stack((left, middle_y, right)).ravel()
    return xs, ys


def signed_polygons(riemann: RiemannSum) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """The area above the axis and the area below it, each one closed polygon.

    Returns
    -------
    (xs, ys) above, (xs, ys) below
        Each runs along the tops (clipped at 0) from a to b and back along the axis.
    """
    xs, ys = top_outline(riemann)
    a, b = float(riemann.edges[0]), float(riemann.edges[-1])
    closed_x = np.concatenate(([a], xs, [b, a]))
    polygons = []
    for part in (np.maximum(ys, 0.0), np.minimum(ys, 0.0)):
        if not part.any():  # nothing on this side of the axis
            polygons.append((np.empty(0), np.empty(0)))
            continue
        polygons.append((closed_x, np.concatenate(([0.0], part, [0.0, 0.0]))))
    return tuple(polygons)


def dividers(riemann: RiemannSum) -> tuple[np.ndarray, np.ndarray]:
    """Vertical lines between neighbouring pieces, from the axis to the taller side.

    Returns xs and ys of segments in pairs (for a pen path with breaks between pairs).
    """
    edges = riemann.edges
    left = np.nan_to_num(riemann.left_heights, nan=0.0)
    right = np.nan_to_num(riemann.right_heights, nan=0.0)
    # At each cut the piece on either side may reach a different height: draw the longer.
    before = np.concatenate(([0.0], right))
    after = np.concatenate((left, [0.0]))
    reach = np.where(np.abs(before) > np.abs(after), before, after)
    xs = np.repeat(edges, 2)
    ys = np.column_stack((np.zeros_like(reach), reach)).ravel()
    return xs, ys


__all__ = ["dividers", "signed_polygons", "top_outline"]
