"""Work queued for after a widget's paint runs after it, once per name, and never waits long."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from calcstudio.core.engine import Engine
from calcstudio.ui.widgets.after_paint import AfterPaint
from tests.ui.window_helpers import open_window, panel_numbers, type_function


class Journal(QObject):
    """Writes down each paint of a widget, in order with the work that ran."""

    def __init__(self, widget: QWidget, entries: list[str]) -> None:
        super().__init__()
        self.entries = entries
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.entries.append("paint")
        return False


def test_work_runs_after_the_next_paint_and_only_the_newest_of_a_name(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(200, 100)
    widget.show()
    qtbot.waitExposed(widget)
    after = AfterPaint(widget, latest_ms=5000)
    entries: list[str] = []
    journal = Journal(widget, entries)
    qtbot.wait(50)
    entries.clear()
    after.call("panel", lambda: entries.append("old numbers"))
    after.call("panel", lambda: entries.append("new numbers"))
    after.call("status", lambda: entries.append("status"))
    assert after.pending
    widget.update()
    QApplication.processEvents()  # the paint: the work waits for the loop's next turn
    assert entries == ["paint"]
    qtbot.waitUntil(lambda: not after.pending, timeout=1000)
    assert entries == ["paint", "new numbers", "status"]
    assert journal.entries is entries


def test_work_does_not_wait_long_for_a_paint_that_does_not_come(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(50)
    after = AfterPaint(widget, latest_ms=20)
    ran: list[str] = []
    after.call("panel", lambda: ran.append("numbers"))  # nothing on the widget changed
    qtbot.waitUntil(lambda: ran == ["numbers"], timeout=500)


def test_work_for_a_hidden_widget_runs_at_the_next_turn(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    after = AfterPaint(widget, latest_ms=5000)
    ran: list[str] = []
    after.call("panel", lambda: ran.append("numbers"))
    assert ran == []
    QApplication.processEvents()
    assert ran == ["numbers"]
    after.call("panel", lambda: ran.append("again"))
    after.cancel()
    QApplication.processEvents()
    assert ran == ["numbers"] and not after.pending


def test_a_keystroke_paints_the_lines_before_the_panel_writes_its_numbers(
    qtbot, engine: Engine, tmp_path: Path
) -> None:
    window = open_window(qtbot, engine, tmp_path, "tangent")
    type_function(qtbot, window, "x^2")
    window.set_point(1.0)
    panel_numbers(qtbot, window)
    entries: list[str] = []
    journal = Journal(window.plot.viewport(), entries)
    panel = window.tangent_panel
    show_values = panel.show_values

    def noted_show_values(*args: object) -> None:
        entries.append("numbers")
        show_values(*args)

    panel.show_values = noted_show_values  # the real method, noted in the journal
    qtbot.keyClicks(window.editor.field, "^3")  # x^2^3 = x^8: f'(1) = 8
    xs, ys = window.plot.tangent_line.getData()
    assert window.plotted_text == "x^2^3"
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == 8  # the new tangent is on the plot at once
    assert entries == []  # the numbers wait for the paint
    qtbot.waitUntil(lambda: panel.slope_label.text() == "8", timeout=2000)
    assert entries[:2] == ["paint", "numbers"]
    assert journal.entries is entries


def test_an_older_answer_arriving_before_the_newest_text_is_asked_for_is_dropped(
    qtbot, engine: Engine, tmp_path: Path
) -> None:
    window = open_window(qtbot, engine, tmp_path, "tangent")
    type_function(qtbot, window, "x^2")
    qtbot.waitUntil(lambda: window.last_result is not None and window.last_result.text == "x^2")
    old_answer = window.last_result
    qtbot.keyClicks(window.editor.field, "+1")
    assert window.plot.after_paint.is_queued("formulas")  # asked once the frame is drawn
    window.adapter.resultReady.emit(old_answer)  # the worker's answer for x^2, just now
    assert window.plotted_text == "x^2+1"  # not put back to x^2
    qtbot.waitUntil(lambda: window.last_result.text == "x^2+1", timeout=10_000)
    assert window.plotted_text == "x^2+1"
