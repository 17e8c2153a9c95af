"""Typeset formulas: LaTeX to SVG text with matplotlib's mathtext, for the formula panel.

Runs in the symbolic worker (next to sympy, which writes the LaTeX), so the window only
draws finished SVG and never imports a typesetter. mathtext takes time in proportion to
the formula's length; ziamath, tried first, takes time exponential in the nesting depth
(measured 4x per level: 2 minutes for eight nested functions), so it was dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np

MAX_LATEX = 1200
"""Longer formulas are not typeset (about 0.2 ms a character, and unreadable anyway);
the window shows their text instead."""
FONT_SIZE = 20.0
"""Font size of the SVG, in points (the window scales it to fit)."""
LINE_CHARACTERS = 44
"""A formula longer than this (in visible characters) is broken into lines of about this
length at its top-level + and − signs, so it stays readable in a narrow panel."""
LINE_GAP = 6.0
"""Space between the lines of a broken formula, in points."""
INDENT = 24.0
"""Indent of a broken formula's continuation lines, in points."""

_COMMAND = re.compile(r"\\(left|right|frac|operatorname|mathrm|limits)|\\|[{}]")
_SVG_SIZE = re.compile(r'width="([\d.]+)pt" height="([\d.]+)pt"')


def visible_length(latex: str) -> int:
    """About how many characters ``latex`` shows (commands such as ``\\left`` show none)."""
    return len(_COMMAND.sub("", latex).replace(" ", ""))


def split_terms(latex: str) -> list[str]:
    """``latex`` cut before each top-level `` + `` and `` - `` (outside braces and brackets).

    The first piece holds everything before the first such sign (the ``f'(x) =`` label too).
    """
    pieces, depth, start, i = [], 0, 0, 0
    while i < len(latex):
        if latex.startswith("\\left", i):
            depth += 1
            i += 5
        elif latex.startswith("\\right", i):
            depth -= 1
            i += 6
        elif latex[i] == "{":
            depth += 1
        elif latex[i] == "}":
            depth -= 1
        elif depth == 0 and latex[i] in "+-" and latex[i - 1 : i] == " " and i > 0:
            head = latex[start:i].rstrip()
            if head and not head.endswith("="):  # a leading minus stays with its term
                pieces.append(head)
                start = i
        i += 1
    pieces.append(latex[start:].strip())
    return [piece for piece in pieces if piece]


def absolute_bars(latex: str) -> str:
    """``latex`` with |…| drawn as full-height bars clear of their contents.

    mathtext sizes ``\\left| … \\right|`` to the contents, so ``|x|`` gets short bars that
    touch the x; plain bars with thin spaces read as a textbook writes them. Contents with a
    fraction keep the growing bars, with the spaces.
    """
    out, i = [], 0
    while True:
        start = latex.find("\\left|", i)
        if start < 0:
            out.append(latex[i:])
            return "".join(out)
        depth, j = 1, start + 6
        while j < len(latex) and depth:
            if latex.startswith("\\left", j):
                depth += 1
            elif latex.startswith("\\right", j):
                depth -= 1
                if not depth:
                    break
            j += 1
        if depth:  # unbalanced: leave the rest as it is
            out.append(latex[i:])
            return "".join(out)
        inner = absolute_bars(latex[start + 6 : j])
        opening, closing = ("\\left|", "\\right|") if "\\frac" in inner else ("|", "|")
        out.append(f"{latex[i:start]}{opening}\\,{inner}\\,{closing}")
        i = j + 7


def break_lines(latex: str, width: int = LINE_CHARACTERS) -> list[str]:
    """``latex`` as lines of about ``width`` visible characters, broken before + and −."""
    if visible_length(latex) <= width:
        return [latex]
    lines: list[str] = []
    for term in split_terms(latex):
        if lines and visible_length(lines[-1]) + visible_length(term) <= width:
            lines[-1] = f"{lines[-1]} {term}"
        else:
            lines.append(term)
    return lines


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
    lines = break_lines(absolute_bars(latex))
    svgs = [_line_svg(line, size) for line in lines]
    if not all(svgs):
        return ""
    return svgs[0] if len(svgs) == 1 else _stack(svgs, size / FONT_SIZE)


def _stack(svgs: list[str], scale: float) -> str:
    """One SVG document with the lines ``svgs`` one under the other, the later ones indented."""
    parts, width, height = [], 0.0, 0.0
    for index, svg in enumerate(svgs):
        size = _SVG_SIZE.search(svg)
        body_start = svg.find('<g id="figure_1">')
        if size is None or body_start < 0:
            return ""
        line_width, line_height = float(size.group(1)), float(size.group(2))
        indent = INDENT * scale if index else 0.0
        body = svg[body_start : svg.rindex("</svg>")]
        parts.append(f'<g transform="translate({indent} {height})">{body}</g>')
        width = max(width, indent + line_width)
        height += line_height + LINE_GAP * scale
    height -= LINE_GAP * scale
    return (
        '<svg xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg" '
        f'version="1.1" width="{width}pt" height="{height}pt" viewBox="0 0 {width} {height}">'
        f"{''.join(parts)}</svg>"
    )


def _line_svg(latex: str, size: float) -> str:
    """One line of maths as SVG text, or ``""`` if mathtext cannot read it.

    The glyphs' outlines come straight from mathtext's layout (``TextToPath``) and are written
    as one SVG path: a third of the time of drawing a matplotlib figure with the formula and
    saving it as SVG, which also lays the formula out twice.
    """
    import matplotlib

    matplotlib.use("Agg")  # no window toolkit in the worker
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path
    from matplotlib.textpath import text_to_path

    prop = FontProperties(size=size, math_fontfamily="stix")
    text = f"${latex}$"
    try:
        width, height, depth = text_to_path.get_text_width_height_descent(text, prop, True)
        vertices, codes = text_to_path.get_text_path(prop, text, ismath=True)
    except Exception:  # a LaTeX command mathtext lacks: the text fallback is enough
        return ""
    if not np.isfinite(width * height) or width <= 0 or height <= 0:
        return ""
    # Outlines come at mathtext's own font size, upwards from the baseline; the page is in
    # points, downwards from its top, with the baseline ``depth`` above the bottom.
    scale = size / text_to_path.FONT_SCALE
    outline = Path(np.asarray(vertices, dtype=float) * scale, codes)
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
        '<svg xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg" '
        f'version="1.1" width="{width:.3f}pt" height="{height:.3f}pt" '
        f'viewBox="0 0 {width:.3f} {height:.3f}"><g id="figure_1">'
        f'<path transform="translate(0 {height - depth:.3f}) scale(1 -1)" '
        f'style="fill: #000000" d="{_path_data(outline)}"/></g></svg>'
    )


_SVG_COMMANDS = {1: "M", 2: "L", 3: "Q", 4: "C", 79: "Z"}
"""matplotlib's path codes (MOVETO, LINETO, CURVE3, CURVE4, CLOSEPOLY) as SVG commands."""


def _path_data(outline: Any) -> str:
    """The ``d`` attribute of an SVG path for a matplotlib ``Path``."""
    parts = []
    for points, code in outline.iter_segments(simplify=False, curves=True):
        parts.append(_SVG_COMMANDS[int(code)])
        if code != 79:
            parts.append(" ".join(f"{value:.1f}" for value in points))
    return " ".join(parts)


__all__ = ["FONT_SIZE", "MAX_LATEX", "absolute_bars", "break_lines", "formula_svg", "split_terms"]
