"""The readout that changes every frame: wrapped to its width, and no re-layout of its window
unless its number of lines changes."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from calcstudio.ui.widgets.live_text import LiveText

WORDS = (
    "Least squares (the normal equations): m = 2.01347, c = 0.987213, SSE = 2231.45. This "
    "line is at distance 0.351 from it in (m, c)."
)


class LayoutRequests(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def shown(qtbot, width: int = 220) -> tuple[QWidget, LiveText]:
    window = QWidget()
    qtbot.addWidget(window)
    text = LiveText()
    layout = QVBoxLayout(window)
    layout.addWidget(text)
    layout.addStretch(1)
    window.resize(width, 300)
    window.show()
    qtbot.waitExposed(window)
    return window, text


def test_lines_are_filled_greedily_within_the_width(qtbot) -> None:
    _, text = shown(qtbot)
    text.set_text(WORDS + "\nsecond paragraph")
    width = text.width()
    metrics = text.fontMetrics()
    lines = text._lines(width)
    assert " ".join(lines[:-1]) == WORDS and lines[-1] == "second paragraph"
    for line, following in pairwise(lines[:-1]):  # within the first paragraph
        assert metrics.horizontalAdvance(line) <= width + 2
        longer = f"{line} {following.split(' ')[0]}"
        assert metrics.horizontalAdvance(longer) > width - 2  # the next word did not fit
    assert text.heightForWidth(width) == len(lines) * metrics.lineSpacing()


def test_new_numbers_in_as_many_lines_re_lay_out_nothing(qtbot) -> None:
    window, text = shown(qtbot)
    text.set_text(WORDS)
    qtbot.wait(10)
    requests = LayoutRequests()
    window.installEventFilter(requests)
    lines = len(text._lines(text.width()))
    text.set_text(WORDS.replace("2.01347", "2.01349"))
    qtbot.wait(10)
    assert len(text._lines(text.width())) == lines and requests.count == 0
    text.set_text(WORDS + " " + WORDS)  # more lines: the window makes room
    qtbot.wait(10)
    assert requests.count >= 1


def test_a_larger_font_wraps_again(qtbot) -> None:
    _, text = shown(qtbot)
    text.set_text(WORDS)
    before = len(text._lines(text.width()))
    font = QFont(text.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    text.setFont(font)
    assert len(text._lines(text.width())) > before
