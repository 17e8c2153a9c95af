"""The window's layout: the editor above, the lesson's view beside the formulas and the tabs.

The shared function plot and the lessons' own views share one stack (the current lesson's
view is on show); widgets a lesson puts under the plot (the loss plot) share a splitter with
it. Each lesson's panel goes in its tab, scrollable, when the lesson is built (the first time
it is needed, see :mod:`calcstudio.ui.window.lesson_slots`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from calcstudio.ui.widgets.live_text import LiveText
from calcstudio.ui.widgets.wheel_guard import guard_wheel

if TYPE_CHECKING:
    from calcstudio.ui.window.host import LaidOut
    from calcstudio.ui.window.lesson import Lesson


UNDER_PLOT_SHARE = 0.27
"""The share of the plot's height a widget under it (the loss plot) gets when it is added."""
NOMINAL_PLOT_HEIGHT = 740
"""The plot's height in pixels, for sharing it out before the window is first laid out."""


def _page() -> QScrollArea:
    """A lesson's tab: a scroll area, so a small window still shows all of its panel."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def place_lesson(window: LaidOut, index: int, lesson: Lesson) -> None:
    """Put a newly built ``lesson`` into tab ``index`` and its views into ``window``."""
    area = window.tabs.widget(index)
    assert isinstance(area, QScrollArea)
    area.setWidget(lesson.panel)
    guard_wheel(lesson.panel)  # a wheel turn over the panel scrolls it, not its controls
    # As wide as the panel (and its scroll bar) needs as it starts; what it shows later
    # (the race table) may need more, and then a narrow window scrolls sideways too.
    scroll_bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(lesson.panel.minimumSizeHint().width() + scroll_bar)
    if lesson.under_plot is not None:  # e.g. the loss plot, under the curve it is of
        splitter = window.plot_splitter
        sizes = splitter.sizes()
        if not any(sizes):
            # Not laid out yet (a lesson opened before the window is shown, as on a start
            # on its tab): the plot's nominal height, or the plot would be given nothing.
            sizes = [NOMINAL_PLOT_HEIGHT, *sizes[1:]]
        splitter.addWidget(lesson.under_plot)
        splitter.setStretchFactor(splitter.count() - 1, 1)
        lesson.under_plot.hide()
        # A little over a quarter of the height, the rest kept in proportion.
        total = sum(sizes)
        under = round(total * UNDER_PLOT_SHARE)
        splitter.setSizes([round(size * (total - under) / total) for size in sizes] + [under])
    if lesson.view is not None:
        window.views.addWidget(lesson.view)


def lay_out(window: LaidOut) -> None:
    """Build ``window``'s widget tree around its editor, plot, formulas and lessons."""
    window.tabs = QTabWidget()
    window.plot_splitter = QSplitter(Qt.Orientation.Vertical)
    window.plot_splitter.addWidget(window.plot)
    window.plot_splitter.setStretchFactor(0, 3)
    window.plot_splitter.setChildrenCollapsible(False)
    window.views = QStackedWidget()
    window.views.addWidget(window.plot_splitter)
    for slot in window.slots:
        index = window.tabs.addTab(_page(), slot.card.title)
        window.tabs.setTabToolTip(index, slot.card.tooltip)

    window.side_splitter = QSplitter(Qt.Orientation.Vertical)
    window.side_splitter.addWidget(window.formulas)
    window.side_splitter.addWidget(window.tabs)
    window.side_splitter.setStretchFactor(1, 1)
    window.main_splitter = QSplitter(Qt.Orientation.Horizontal)
    window.main_splitter.addWidget(window.views)
    window.main_splitter.addWidget(window.side_splitter)
    window.main_splitter.setStretchFactor(0, 3)
    window.main_splitter.setStretchFactor(1, 2)

    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(8, 8, 8, 4)
    layout.addWidget(window.editor)
    layout.addWidget(window.main_splitter, 1)
    window.setCentralWidget(central)
    # It changes on every edit (working, done): a LiveText repaints without re-laying out
    # the whole window, as a QLabel would.
    window.engine_status = LiveText()
    window.engine_status.set_text("Starting the maths engine…")
    window.engine_status.setObjectName("engineStatus")
    window.engine_status.setToolTip(
        "The symbolic maths runs in a separate process, so the window never freezes"
    )
    window.statusBar().addWidget(window.engine_status, 1)
