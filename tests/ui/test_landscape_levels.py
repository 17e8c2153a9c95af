"""Whether a map's kept levels still draw lines in view: read off the bands, as from L."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.core.surface.fields import surface
from calcstudio.core.surface.landscape import landscape
from calcstudio.ui.surface.landscape_view import _levels_in_view


def from_values(values: np.ndarray, levels: np.ndarray) -> bool:
    low, high = np.nanmin(values), np.nanmax(values)
    return np.count_nonzero((levels > low) & (levels < high)) >= min(2, len(levels))


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("x^2 + y^2 + 1", [0.1, 0.2, 0.3, 1.5]),  # three below every value in view, one in
        ("x^2 + y^2 + 1", [0.1, 1.5, 2.5]),
        ("x^2 + y^2", [0.5, 1.0, 1.5]),  # inside
        ("x^2 + y^2", [0.7, 5.0, 9.0]),  # one inside
        ("x^2 + y^2", [3.0, 5.0]),  # above every value in view
        ("x^2 + y^2", [-1.0, 0.25, 1.75, 3.0]),  # two inside, two outside
        ("x*y", [-0.5, 0.5]),
        ("log(x) + y", [-1.0, 0.0, 0.5]),  # undefined on half the view: read from L
    ],
)
def test_levels_in_view_agree_with_the_values(text: str, levels: list[float]) -> None:
    view = landscape(surface(text), (-1.0, 1.0), (-1.0, 1.0), size=60, levels=np.array(levels))
    assert _levels_in_view(view) == from_values(view.values, view.levels)
