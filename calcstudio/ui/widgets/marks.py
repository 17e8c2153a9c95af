"""Fonts that draw combining marks where they belong: the hats of Adam's m̂ and v̂.

A hat is the letter followed by U+0302. The usual Linux interface font (DejaVu Sans under
the name "Sans Serif") draws that hat nowhere or over the wrong letter, so m̂ reads as m;
Liberation Sans and DejaVu Serif place it over the letter. Texts that can hold such marks
(the update rules, the step readouts) use the first of these fonts installed.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

MARK_FONTS = ("Liberation Sans", "DejaVu Serif")
"""Fonts known to place combining marks over their letter, in order of preference."""


def font_for_marks(font: QFont) -> QFont:
    """``font`` with its family replaced by the first installed one of :data:`MARK_FONTS`.

    Parameters
    ----------
    font
        The font to adapt (size and weight are kept).

    Returns
    -------
    QFont
        A copy; ``font`` itself if none of those families is installed.
    """
    installed = set(QFontDatabase.families())
    for family in MARK_FONTS:
        if family in installed:
            adapted = QFont(font)
            adapted.setFamilies([family, *font.families()])
            return adapted
    return font
