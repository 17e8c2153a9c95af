"""The formula panel: f(x), f′(x) and f″(x) as typeset maths, each in its curve's colour.

The symbolic worker typesets each equation to SVG (see :mod:`calcstudio.core.typeset`);
this widget only draws it, tinted with the colour its curve has on the plot, scaled down
to fit the panel. A formula that could not be typeset is shown as plain text instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QPoint, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QContextMenuEvent, QGuiApplication, QImage, QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from calcstudio.ui.widgets import palette

DISPLAY_SCALE = 1.5
"""Formulas are drawn at this many pixels per SVG unit when there is room: big enough to
read on a projector."""
MIN_SCALE = 0.55
"""Long formulas shrink to fit the panel down to this scale; beyond it the panel scrolls.
(Long formulas come broken into lines, see :func:`calcstudio.core.typeset.break_lines`.)"""
SLACK = 24
"""Empty pixels the panel may keep under its formulas before it gives the room back."""
MOST_OF_SPLITTER = 0.4
"""The formulas take at most this share of the splitter they sit in."""


@dataclass(frozen=True)
class Formula:
    """One equation to show.

    Attributes
    ----------
    svg
        The typeset equation (black on transparent), or ``""`` to show ``text`` instead.
    text
        The equation as plain text, e.g. ``f'(x) = 2*x`` (tooltip, copy, and fallback).
    latex
        The formula as LaTeX, for copying into notes and slides.
    colour
        The colour of its curve, from :mod:`calcstudio.ui.widgets.palette`.
    """

    svg: str
    text: str
    latex: str
    colour: str


class FormulaWidget(QWidget):
    """One typeset equation, tinted, scaled to the available width."""

    def __init__(self, formula: Formula, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.formula = formula
        self._renderer = QSvgRenderer(QByteArray(formula.svg.encode("utf-8")), self)
        self._natural = self._renderer.defaultSize()
        self._cache: QImage | None = None
        self._sized_for: int | None = None
        """The width the row's minimum height was last set for."""
        self.setToolTip(f"{formula.text}\n\nRight-click to copy it as text or LaTeX.")
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def is_valid(self) -> bool:
        """Whether the SVG could be read (else the panel shows the plain text)."""
        return self._renderer.isValid() and not self._natural.isEmpty()

    def scale_for(self, width: int) -> float:
        """Pixels per SVG unit at ``width``: as large as fits, within the two limits."""
        fit = width / max(self._natural.width(), 1)
        return max(MIN_SCALE, min(DISPLAY_SCALE, fit))

    def sizeHint(self) -> QSize:
        return self._natural * DISPLAY_SCALE

    def minimumSizeHint(self) -> QSize:
        return self._natural * MIN_SCALE

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(self._natural.height() * self.scale_for(width))

    def resizeEvent(self, event: object) -> None:
        self._cache = None
        # The panel's scroll bar narrows the row when it appears. Were the row to shrink for
        # that, the bar would no longer be needed, the row would widen again, and so on, each
        # resize inside the last until the window crashed. So a row narrower by less than a
        # scroll bar keeps the height it had.
        width = self.width()
        # Imported here, after the first frame: PySide6 creates QStyle's 14 enums (400
        # members) on import, a fiftieth of the window's start.
        from PySide6.QtWidgets import QStyle

        slack = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + 4
        if self._sized_for is None or width > self._sized_for or width < self._sized_for - slack:
            self._sized_for = width
            self.setMinimumHeight(self.heightForWidth(width))
        super().resizeEvent(event)  # type: ignore[arg-type]

    def paintEvent(self, event: QPaintEvent) -> None:
        scale = self.scale_for(self.width())
        ratio = self.devicePixelRatioF()
        size = self._natural * scale
        if self._cache is None or self._cache.size() != size * ratio:
            self._cache = self._tinted(size * ratio)
            self._cache.setDevicePixelRatio(ratio)
        painter = QPainter(self)
        painter.drawImage(QPoint(0, 0), self._cache)
        painter.end()

    def _tinted(self, size: QSize) -> QImage:
        return tinted(self._renderer, size, self.formula.colour)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        copy_menu(self, self.formula).exec(event.globalPos())


def tinted(renderer: QSvgRenderer, size: QSize, colour: str) -> QImage:
    """The typeset formula ``renderer`` holds, drawn at ``size`` in ``colour``.

    Drawn in black, then every inked pixel takes the colour (keeping its antialiased alpha):
    one SVG serves any colour.
    """
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(image.rect(), QColor(colour))
    painter.end()
    return image


def copy_menu(parent: QWidget, formula: Formula) -> QMenu:
    """A context menu that copies ``formula`` as plain text or as LaTeX."""
    menu = QMenu(parent)
    clipboard = QGuiApplication.clipboard()
    menu.addAction("Copy as text", lambda: clipboard.setText(formula.text))
    menu.addAction("Copy as LaTeX", lambda: clipboard.setText(formula.latex))
    return menu


class _TextFormula(QLabel):
    """A formula shown as plain text (when it could not be typeset)."""

    def __init__(self, formula: Formula) -> None:
        super().__init__(formula.text)
        self.formula = formula
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(f"color: {formula.colour}; font-size: 16pt;")
        self.setToolTip("Right-click to copy it as text or LaTeX.")

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        copy_menu(self, self.formula).exec(event.globalPos())


class MathView(QScrollArea):
    """The typeset formulas of f and its derivatives, or a message when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mathView")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._content = QWidget()
        self._content.setObjectName("mathViewContent")
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(10)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(f"color: {palette.MUTED};")
        self._layout.addWidget(self.message_label)
        self._layout.addStretch(1)
        self.setWidget(self._content)
        self.formulas: list[Formula] = []
        self.rows: list[QWidget] = []
        self.setMinimumHeight(60)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_to_contents)

    def set_formulas(self, formulas: Sequence[Formula]) -> None:
        """Show ``formulas`` top to bottom, replacing what was shown.

        A row whose formula is the same as before in the same place is kept, picture and
        all (a keystroke often leaves f′ or f″ as it was); the others are made anew.
        """
        self.message_label.hide()
        old_rows, old_formulas = self.rows, self.formulas
        same = [
            index < len(old_formulas) and old_formulas[index] == formula
            for index, formula in enumerate(formulas)
        ]
        for index, row in enumerate(old_rows):
            if not (index < len(same) and same[index]):
                self._layout.removeWidget(row)
                row.deleteLater()
        self.formulas = list(formulas)
        self.rows = []
        for index, formula in enumerate(self.formulas):
            if same[index]:
                row = old_rows[index]
            else:
                row = _row(formula)
                self._layout.insertWidget(index, row)
            self.rows.append(row)
        self._fit_timer.start()  # once the rows have their heights

    def set_message(self, text: str) -> None:
        """Show ``text`` in place of formulas (e.g. before the first function)."""
        self._clear_rows()
        self.message_label.setText(text)
        self.message_label.show()
        self._fit_timer.start()

    def contents_height(self) -> int:
        """The height the formulas (or the message) need at the current width."""
        width = self.viewport().width()
        margins = self._layout.contentsMargins()
        shown = list(self.rows) or [self.message_label]
        heights = [
            max(row.heightForWidth(width - margins.left() - margins.right()), row.minimumHeight())
            if row.hasHeightForWidth()
            else row.sizeHint().height()
            for row in shown
        ]
        spacing = self._layout.spacing() * max(0, len(heights) - 1)
        return sum(heights) + spacing + margins.top() + margins.bottom() + 2 * self.frameWidth()

    def fit_to_contents(self) -> None:
        """In a splitter, take the room the formulas need (up to half) and give back the rest.

        Only when they do not fit, or leave more than :data:`SLACK` pixels empty: a size the
        learner dragged to is kept while it suits the formulas.
        """
        splitter = self.parentWidget()
        if not isinstance(splitter, QSplitter) or not self.isVisible():
            return
        sizes = splitter.sizes()
        index = splitter.indexOf(self)
        total = sum(sizes)
        wanted = max(
            self.minimumHeight(), min(self.contents_height(), round(MOST_OF_SPLITTER * total))
        )
        if sizes[index] >= wanted and sizes[index] - wanted <= SLACK:
            return
        others = total - sizes[index]
        rest = total - wanted
        splitter.setSizes(
            [
                wanted if i == index else round(size * rest / others) if others else 0
                for i, size in enumerate(sizes)
            ]
        )

    def shown_texts(self) -> list[str]:
        """The plain text of each formula on show, top to bottom."""
        return [formula.text for formula in self.formulas]

    def _clear_rows(self) -> None:
        for row in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        self.formulas = []


def _row(formula: Formula) -> QWidget:
    """The typeset formula, or its plain text if it has no SVG that Qt can draw."""
    if formula.svg:
        typeset = FormulaWidget(formula)
        if typeset.is_valid():
            return typeset
        typeset.deleteLater()
    return _TextFormula(formula)


__all__ = ["DISPLAY_SCALE", "MIN_SCALE", "Formula", "FormulaWidget", "MathView", "tinted"]
