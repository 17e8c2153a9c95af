"""The logarithmic slider with its exact number field, on its own."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calcstudio.ui.widgets.log_slider import SLIDER_STEPS, LogSlider, format_exact, parse_number


@pytest.fixture
def slider(qtbot: QtBot) -> LogSlider:
    widget = LogSlider(1e-6, 2.0, 0.5, name="h")
    qtbot.addWidget(widget)
    return widget


def enter(qtbot: QtBot, widget: LogSlider, text: str) -> None:
    widget.field.selectAll()
    qtbot.keyClicks(widget.field, text)
    qtbot.keyClick(widget.field, Qt.Key.Key_Return)


def test_slider_positions_are_logarithmic(slider: LogSlider) -> None:
    assert slider.value_at(0) == 1e-6
    assert slider.value_at(SLIDER_STEPS) == 2.0
    # The middle of a log scale is the geometric mean of its ends, not their average.
    assert slider.value_at(SLIDER_STEPS // 2) == pytest.approx(math.sqrt(2e-6), rel=5e-3)
    assert slider.position_of(math.sqrt(2e-6)) == SLIDER_STEPS // 2


def test_moving_the_slider_emits_its_value(qtbot: QtBot, slider: LogSlider) -> None:
    with qtbot.waitSignal(slider.valueChanged) as blocker:
        slider.slider.setValue(SLIDER_STEPS // 2)
    assert blocker.args[0] == pytest.approx(math.sqrt(2e-6), rel=5e-3)
    assert slider.value() == blocker.args[0]
    assert slider.field.text() == format_exact(blocker.args[0])


def test_field_takes_an_exact_number(qtbot: QtBot, slider: LogSlider) -> None:
    with qtbot.waitSignal(slider.valueChanged) as blocker:
        enter(qtbot, slider, "1e-3")
    assert blocker.args == [0.001]
    assert slider.value() == 0.001
    assert slider.field.text() == "1e-3"
    assert slider.slider.value() == slider.position_of(0.001)
    assert slider.message() == ""


@pytest.mark.parametrize(
    ("text", "value", "words"), [("5", 2.0, "at most 2"), ("1e-9", 1e-6, "at least 1e-6")]
)
def test_field_clamps_with_a_message(
    qtbot: QtBot, slider: LogSlider, text: str, value: float, words: str
) -> None:
    with qtbot.waitSignal(slider.valueChanged) as blocker:
        enter(qtbot, slider, text)
    assert blocker.args == [value]
    assert slider.value() == value
    assert words in slider.message() and "h must be" in slider.message()
    assert slider.field.text() == format_exact(value)


def test_field_rejects_words_without_changing_the_value(qtbot: QtBot, slider: LogSlider) -> None:
    with qtbot.assertNotEmitted(slider.valueChanged):
        enter(qtbot, slider, "abc")
    assert slider.value() == 0.5
    assert "'abc' is not a number" in slider.message()
    enter(qtbot, slider, "0.25")
    assert slider.message() == ""


def test_set_value_clamps_and_emits_only_on_change(qtbot: QtBot, slider: LogSlider) -> None:
    with qtbot.waitSignal(slider.valueChanged) as blocker:
        slider.setValue(10.0)
    assert blocker.args == [2.0] and slider.value() == 2.0
    with qtbot.assertNotEmitted(slider.valueChanged):
        slider.setValue(2.0)


def test_a_range_must_be_positive_and_increasing() -> None:
    with pytest.raises(ValueError, match="0 < minimum < maximum"):
        LogSlider(0.0, 1.0, 0.5)


@pytest.mark.parametrize(
    ("text", "value"), [("−2", -2.0), (" .5 ", 0.5), ("1e-3", 1e-3), ("2×10^-3", 2e-3)]
)
def test_parse_number_reads_what_learners_type(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "words"), [("", "Type a number"), ("x", "not a number"), ("1e999", "too large")]
)
def test_parse_number_explains_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_number(text)
