"""One colour per meaning, used by every widget, legend and readout."""

from __future__ import annotations

FUNCTION = "#1f77b4"
"""f: blue."""
DERIVATIVE = "#d62728"
"""f': red."""
SECOND_DERIVATIVE = "#9467bd"
"""f'': purple."""
TANGENT = "#ff7f0e"
"""The tangent line and the point a: orange."""
SECANT = "#2ca02c"
"""The secant line, its rise and run, and the point a+h: green."""
DESCENT = "#cc79a7"
"""The descent ball and its trail: Okabe–Ito's reddish purple (pink)."""
ERROR = "#c0392b"
"""Error text and highlights."""
MUTED = "#666666"
"""Secondary text."""
GRID_MAJOR = "#d9d9d9"
"""Grid lines at labelled ticks."""
GRID_MINOR = "#efefef"
"""Grid lines between labelled ticks."""
GRID_ZERO = "#9a9a9a"
"""The lines x = 0 and y = 0."""

RACE_COLOURS = (DESCENT, "#e69f00", "#009e73", "#56b4e9", "#999933", "#882255", "#000000")
"""One colour per optimizer in race mode (gradient descent first, in the descent pink).

Colour-blind safe: Okabe and Ito's palette (pink, orange, bluish green, sky blue, black), with
Paul Tol's olive and wine where Okabe–Ito's blue and vermillion would be f's blue and f′'s red;
none is f's, f′'s or f″'s colour. (The tangent's orange and the secant's green are not shown on
the descent tab.)"""


def swatch(colour: str, text: str) -> str:
    """Rich text that shows ``text`` in bold in ``colour``."""
    return f'<b style="color:{colour}">{text}</b>'
