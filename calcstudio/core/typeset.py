"""Typeset formulas: LaTeX to SVG text with matplotlib's mathtext, for the formula panel.

Runs in the symbolic worker (next to sympy, which writes the LaTeX), so the window only
draws finished SVG and never imports a typesetter. mathtext takes time in proportion to
the formula's length; ziamath, tried first, takes time exponential in the nesting depth
(measured 4x per level: 2 minutes for eight nested functions), so it was dropped.
"""

from __future__ import annotations

import io
from functools import lru_cache

MAX_LATEX = 1200
"""Longer formulas are not typeset (about 0.2 ms a character, and unreadable anyway);
the window shows their text instead."""
FONT_SIZE = 20.0
"""Font size of the SVG, in points (the window scales it to fit)."""


@lru_cache(maxsize=512)  # a keystroke often leaves f' or f'' as it was
def formula_svg(latex: str, size: float = FONT_SIZE) -> str:
    """SVG text of the LaTeX formula ``latex``, in black, or ``""`` if it cannot be typeset.

    Parameters
    ----------
    latex
        A formula as sympy's ``latex`` writes it, e.g. ``f'(x) = 2 x``.
    size
        The font size in points.

    Returns
    -------
    str
        An SVG 1.1 document with the glyphs as paths (QtSvg draws it without fonts), or
        ``""`` when the formula is too long or mathtext cannot read it; callers then show
        the plain text instead.
    """
    if not latex or len(latex) > MAX_LATEX:
        return ""
    import matplotlib

    matplotlib.use("Agg")  # no window toolkit in the worker
    from matplotlib import mathtext, rc_context
    from matplotlib.font_manager import FontProperties

    buffer = io.BytesIO()
    settings = {
        "svg.fonttype": "path",  # glyphs as paths: QtSvg needs no fonts to draw them
        "mathtext.fontset": "stix",
        "svg.hashsalt": "calcstudio",  # the same formula gives the same SVG every time
        "savefig.transparent": True,  # ink only: the window tints it with the curve's colour
    }
    try:
        with rc_context(settings):
            mathtext.math_to_image(
                f"${latex}$", buffer, prop=FontProperties(size=size), format="svg"
            )
    except Exception:  # a LaTeX command mathtext lacks: the text fallback is enough
        return ""
    return buffer.getvalue().decode("utf-8")


__all__ = ["FONT_SIZE", "MAX_LATEX", "formula_svg"]
