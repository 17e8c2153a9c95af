"""Typeset formulas: LaTeX to SVG text with matplotlib's mathtext, for the formula panel.

Runs in the symbolic worker (next to sympy, which writes the LaTeX), so the window only
draws finished SVG and never imports a typesetter. mathtext takes time in proportion to
the formula's length; ziamath, tried first, takes time exponential in the nesting depth
(measured 4x per level: 2 minutes for eight nested functions), so it was dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MAX_LATEX = 1200
"""Longer formulas are not typeset (about 0.2 ms a character, and unreadable anyway);
the window shows their text instead."""
FONT_SIZE = 20.0
"""Font size of the SVG, in points (the window scales it to fit)."""
LINE_CHARACTERS = 44
"""A formula longer than this (in visible characters) is broken into lines of about this
length at its top-level + and − signs, so it stays readable in a narrow panel."""
SHORT_LAST_LINE = 0.25
"""A last line this short (a share of :data:`LINE_CHARACTERS`) stays on the line before."""
LINE_GAP = 6.0
"""Space between the lines of a broken formula, in points."""
INDENT = 24.0
"""Indent of a broken formula's continuation lines, in points."""

_COMMAND = re.compile(r"\\(left|right|frac|operatorname|mathrm|limits)|\\|[{}]")


def visible_length(latex: str) -> int:
    """About how many characters ``latex`` shows (commands such as ``\\left`` show none)."""
    return len(_COMMAND.sub("", latex).replace(" ", ""))


UNARY_AFTER = frozenset("{([<=>:")
"""After these characters mathtext draws a + or − as a sign, without spaces around it
(matplotlib's ``Parser.symbol``); a term is never cut off there."""


def split_terms(latex: str) -> list[str]:
    """``latex`` cut before each top-level `` + `` and `` - `` (outside braces and brackets).

    The first piece holds everything before the first such sign (the ``f'(x) =`` label too).
    A sign mathtext would draw as unary (after ``=``, an opening bracket or brace) stays with
    its term, so each cut falls where the whole formula has a binary sign.
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
            if head and head[-1] not in UNARY_AFTER:
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


def line_terms(latex: str, width: int = LINE_CHARACTERS) -> list[list[str]]:
    """``latex``'s top-level terms (see :func:`split_terms`), grouped into lines of about
    ``width`` visible characters."""
    terms = split_terms(latex)
    if visible_length(latex) <= width:
        return [terms]
    lines: list[list[str]] = []
    for term in terms:
        if lines and sum(map(visible_length, lines[-1])) + visible_length(term) <= width:
            lines[-1].append(term)
        else:
            lines.append([term])
    if len(lines) > 1 and sum(map(visible_length, lines[-1])) <= width * SHORT_LAST_LINE:
        last = lines.pop()
        lines[-1] += last  # a lone "− 2" reads as a new formula, not as its end
    return lines


def break_lines(latex: str, width: int = LINE_CHARACTERS) -> list[str]:
    """``latex`` as lines of about ``width`` visible characters, broken before + and −."""
    return [" ".join(terms) for terms in line_terms(latex, width)]


@dataclass(frozen=True)
class Piece:
    """One term of a formula, typeset on its own.

    Attributes
    ----------
    width, ascent, depth
        Its advance width, and its extent above and below the baseline, in points.
    outline
        The glyphs' outlines as SVG path data, in tenths of a point, upwards from the
        baseline at the piece's left end.
    """

    width: float
    ascent: float
    depth: float
    outline: str


@lru_cache(maxsize=512)  # a keystroke often leaves f' or f'' as it was
def formula_svg(latex: str, size: float = FONT_SIZE) -> str:
    """SVG text of the LaTeX formula ``latex``, in black, or ``""`` if it cannot be typeset.

    Each top-level term is typeset on its own and kept (:func:`typeset_piece`), then the
    terms are set side by side on one baseline, in lines of about :data:`LINE_CHARACTERS`
    characters. Typing at the end of a sum changes one term of f, one of f′ and one of f″:
    only those are typeset again.

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
    lines = []
    for terms in line_terms(absolute_bars(latex)):
        # A term after the first on its line starts with a binary + or −: the empty group
        # before it makes mathtext space the sign as it does inside the whole line.
        pieces = [
            typeset_piece(term if i == 0 else "{}" + term, size) for i, term in enumerate(terms)
        ]
        if None in pieces:  # a cut mathtext cannot read apart: try the line whole
            pieces = [typeset_piece(" ".join(terms), size)]
        if None in pieces:
            return ""
        lines.append([piece for piece in pieces if piece is not None])
    return _page(lines, size / FONT_SIZE)


def _page(lines: list[list[Piece]], scale: float) -> str:
    """One SVG document with ``lines`` one under the other, the later ones indented.

    Each line is a group (``<g class="line">``) of its terms' paths on one baseline.
    """
    groups, width, top = [], 0.0, 0.0
    for index, pieces in enumerate(lines):
        ascent = max(piece.ascent for piece in pieces)
        depth = max(piece.depth for piece in pieces)
        x = INDENT * scale if index else 0.0
        paths = []
        for piece in pieces:
            if piece.outline:
                paths.append(
                    f'<path transform="translate({x:.2f} {top + ascent:.2f}) scale(0.1 -0.1)" '
                    f'd="{piece.outline}"/>'
                )
            x += piece.width
        groups.append(f'<g class="line">{"".join(paths)}</g>')
        width = max(width, x)
        top += ascent + depth + LINE_GAP * scale
    height = top - LINE_GAP * scale
    if not (width > 0 and height > 0):
        return ""
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
        '<svg xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg" '
        f'version="1.1" width="{width:.2f}pt" height="{height:.2f}pt" '
        f'viewBox="0 0 {width:.2f} {height:.2f}"><g style="fill: #000000">'
        f"{''.join(groups)}</g></svg>"
    )


@lru_cache(maxsize=4096)
def typeset_piece(latex: str, size: float = FONT_SIZE) -> Piece | None:
    """One term (or line) of maths laid out by mathtext, or None if it cannot read it.

    The glyphs' outlines come straight from mathtext's layout (``TextToPath``): a third of
    the time of drawing a matplotlib figure with the formula and saving it as SVG.
    """
    import matplotlib

    matplotlib.use("Agg")  # no window toolkit in the worker
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(size=size, math_fontfamily="stix")
    text = f"${latex}$"
    try:
        width, height, depth = text_to_path.get_text_width_height_descent(text, prop, True)
        vertices, codes = text_to_path.get_text_path(prop, text, ismath=True)
    except Exception:  # a LaTeX command mathtext lacks: the text fallback is enough
        return None
    if not np.isfinite(width * height * depth) or width < 0:
        return None
    # Outlines come at mathtext's own font size; tenths of a point keep them whole numbers.
    tenths = np.asarray(vertices, dtype=float).reshape(-1, 2) * (
        10 * size / text_to_path.FONT_SCALE
    )
    return Piece(float(width), float(height - depth), float(depth), path_data(tenths, codes))


_SVG_COMMANDS = {1: "M", 2: "L", 3: "Q", 4: "C", 79: "Z"}
"""matplotlib's path codes (MOVETO, LINETO, CURVE3, CURVE4, CLOSEPOLY) as SVG commands."""


def path_data(vertices: np.ndarray, codes: Sequence[int]) -> str:
    """The ``d`` attribute of an SVG path through ``vertices`` (rounded to whole numbers).

    ``codes`` gives each vertex's matplotlib path code. A command letter is written only
    where the command changes (SVG repeats the last command for further coordinates), and
    always for a move, whose repetition SVG would read as a line.
    """
    points = np.rint(vertices).astype(np.int64).tolist()
    words, previous = [], 0
    for (x, y), code in zip(points, codes, strict=True):
        if code == 79:
            words.append("Z")
        elif code == previous and code != 1:
            words.append(f"{x} {y}")
        else:
            words.append(f"{_SVG_COMMANDS[code]}{x} {y}")
        previous = code
    return " ".join(words)


__all__ = [
    "FONT_SIZE",
    "MAX_LATEX",
    "Piece",
    "absolute_bars",
    "break_lines",
    "formula_svg",
    "line_terms",
    "path_data",
    "split_terms",
    "typeset_piece",
]
