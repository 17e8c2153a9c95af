"""A formula shown as text at once and as typeset maths once the worker has typeset it.

The chain-rule panel writes its links and steps on every keystroke; their typeset pictures
come from the worker a moment later (:mod:`calcstudio.core.typeset_task`). A
:class:`TypesetLabel` shows the formula's text until then and its picture after; the
:class:`Pictures` it draws from keeps what the worker sent, by LaTeX, so a formula typeset
once (the same link at another point, a function typed again) shows typeset at once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QContextMenuEvent, QImage, QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel, QWidget

from calcstudio.ui.widgets.math_view import Formula, copy_menu, tinted

SCALE = 0.85
"""Pixels per SVG unit: the typeset maths a little larger than the panel's text."""
MIN_FIT = 0.6
"""A formula wider than the panel shrinks to fit, down to this share of its size."""
CAPACITY = 300
"""Typeset formulas kept as SVG (a few functions' links and steps)."""
IMAGE_BYTES = 32_000_000
"""At most this many bytes of drawn pictures are kept (a long step drawn is up to 1 MB); the
oldest are drawn again from their SVG when they are wanted again."""


class Pictures:
    """Typeset formulas by LaTeX: the worker's SVG, drawn once per colour."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._svgs: OrderedDict[str, str] = OrderedDict()
        self._images: OrderedDict[tuple[str, str, float], QImage] = OrderedDict()
        self._image_bytes = 0

    def __contains__(self, latex: str) -> bool:
        return latex in self._svgs

    def add(self, latex: str, svg: str) -> None:
        """Keep ``svg`` for ``latex`` (``""``: mathtext could not read it; keep the text)."""
        self._svgs[latex] = svg
        self._svgs.move_to_end(latex)
        while len(self._svgs) > self.capacity:
            dropped, _ = self._svgs.popitem(last=False)
            for key in [key for key in self._images if key[0] == dropped]:
                self._image_bytes -= self._images.pop(key).sizeInBytes()

    def image(self, latex: str, colour: str, ratio: float) -> QImage | None:
        """The typeset ``latex`` in ``colour`` at :data:`SCALE` for a screen of pixel ratio
        ``ratio``, or None if it has not been typeset (or cannot be)."""
        svg = self._svgs.get(latex)
        if not svg:
            return None
        key = (latex, colour, ratio)
        image = self._images.get(key)
        if image is None:
            image = _tinted(svg, colour, ratio)
            if image is None:
                self._svgs[latex] = ""
                return None
            self._images[key] = image
            self._image_bytes += image.sizeInBytes()
            while self._image_bytes > IMAGE_BYTES and len(self._images) > 1:
                _, oldest = self._images.popitem(last=False)
                self._image_bytes -= oldest.sizeInBytes()
        return image


def _tinted(svg: str, colour: str, ratio: float) -> QImage | None:
    """``svg`` drawn at :data:`SCALE` in ``colour``, for a screen of pixel ratio ``ratio``."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    natural = renderer.defaultSize()
    if not renderer.isValid() or natural.isEmpty():
        return None
    size = QSize(round(natural.width() * SCALE * ratio), round(natural.height() * SCALE * ratio))
    image = tinted(renderer, size, colour)
    image.setDevicePixelRatio(ratio)
    return image


class TypesetLabel(QLabel):
    """One formula: its text (rich text) until its typeset picture is set.

    Parameters
    ----------
    colour
        The colour of the typeset maths (the text keeps the label's own style).
    parent
        The parent widget.
    """

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = colour
        self.latex = ""
        """The LaTeX of the formula on show (``""``: it has none, the text stays)."""
        self.picture: QImage | None = None
        """Its typeset picture, once there is one."""
        self.plain = ""
        self._latex_of: Callable[[], str] | None = None
        self._text_heights: dict[int, int] = {}
        """The wrapped text's height per width: the derivation's layout asks each label a
        few times a pass, and a rich text is laid out afresh at each asking."""
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def set_formula(
        self, html: str, plain: str, latex: str | Callable[[], str], pictures: Pictures
    ) -> None:
        """Show the formula as ``html`` (its text ``plain``), typeset once its LaTeX is known
        and ``pictures`` has it. ``latex`` may be a function that writes it: it is called by
        :meth:`write_latex`, after the text is on screen. The same formula again keeps its
        picture."""
        if plain == self.plain and self._latex_of is None and self.latex:
            return
        self.plain = plain
        self.setToolTip(plain)
        if self.text() != html:
            self.setText(html)
        self.latex, self._latex_of = "", None
        self.set_picture(None)
        if isinstance(latex, str):
            self._take_latex(latex, pictures)
        else:
            self._latex_of = latex

    def write_latex(self, pictures: Pictures) -> None:
        """Write the LaTeX put off by :meth:`set_formula`, and show its picture if known."""
        if self._latex_of is not None:
            latex_of, self._latex_of = self._latex_of, None
            self._take_latex(latex_of(), pictures)

    def _take_latex(self, latex: str, pictures: Pictures) -> None:
        self.latex = latex
        if latex:
            self.setToolTip(f"{self.plain}\n\nRight-click to copy it as text or LaTeX.")
        self.set_picture(pictures.image(latex, self.colour, self.devicePixelRatioF()))

    def set_picture(self, picture: QImage | None) -> None:
        """Draw ``picture`` in place of the text (None: the text again)."""
        if picture is self.picture:
            return
        self.picture = picture
        self.updateGeometry()
        self.update()

    def refresh(self, pictures: Pictures) -> None:
        """Take the picture of the formula on show if ``pictures`` has it now."""
        if self.latex and self.picture is None:
            self.set_picture(pictures.image(self.latex, self.colour, self.devicePixelRatioF()))

    def _natural(self) -> QSize:
        assert self.picture is not None
        return self.picture.deviceIndependentSize().toSize()

    def _fit(self, width: int) -> float:
        natural = self._natural().width()
        return max(MIN_FIT, min(1.0, width / max(natural, 1)))

    def sizeHint(self) -> QSize:
        return self._natural() if self.picture is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        if self.picture is None:
            return super().minimumSizeHint()
        natural = self._natural()
        return QSize(round(natural.width() * MIN_FIT), round(natural.height() * MIN_FIT))

    def hasHeightForWidth(self) -> bool:
        return self.picture is not None or super().hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        if self.picture is None:
            height = self._text_heights.get(width)
            if height is None:
                height = self._text_heights[width] = super().heightForWidth(width)
            return height
        return round(self._natural().height() * self._fit(width))

    def setText(self, text: str) -> None:
        """QLabel's ``setText``; the text's heights are worked out again."""
        self._text_heights.clear()
        super().setText(text)

    def changeEvent(self, event: QEvent) -> None:
        # A new font or style wraps the text differently.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._text_heights.clear()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.picture is None:
            super().paintEvent(event)
            return
        natural = self._natural()
        scale = self._fit(self.width())
        width, height = natural.width() * scale, natural.height() * scale
        top = max(0.0, (self.height() - height) / 2)  # centred on the row, like the text
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(0, top, width, height), self.picture)
        painter.end()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.latex:
            copy_menu(self, Formula("", self.plain, self.latex, self.colour)).exec(
                event.globalPos()
            )


__all__ = ["SCALE", "Pictures", "TypesetLabel"]
