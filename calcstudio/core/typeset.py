"""Typeset formulas: LaTeX to SVG text with ziamath, for the formula panel.

Runs in the symbolic worker (next to sympy, which writes the LaTeX), so the window only
draws finished SVG and never imports a typesetter. ziamath is pure Python with its own
maths font, so the output looks the same on every machine.
"""

from __future__ import annotations

MAX_LATEX = 4000
"""Longer formulas are not typeset (they would be unreadable anyway); the window shows text."""
FONT_SIZE = 24.0
"""Font size of the SVG, in SVG user units (the window scales it to fit)."""


def formula_svg(latex: str, size: float = FONT_SIZE) -> str:
    """SVG text of the LaTeX formula ``latex``, in black, or ``""`` if it cannot be typeset.

    Parameters
    ----------
    latex
        A formula as sympy's ``latex`` writes it, e.g. ``f'(x) = 2 x``.
    size
        The font size.

    Returns
    -------
    str
        An SVG 1.1 document (QtSvg cannot draw SVG 2), or ``""`` when the formula is too
        long or the typesetter cannot read it; callers then show the plain text instead.
    """
    if not latex or len(latex) > MAX_LATEX:
        return ""
    import ziamath

    ziamath.config.svg2 = False
    try:
        return ziamath.Latex(latex, size=size).svg()
    except Exception:  # a LaTeX command ziamath lacks: the text fallback is enough
        return ""


__all__ = ["FONT_SIZE", "MAX_LATEX", "formula_svg"]
