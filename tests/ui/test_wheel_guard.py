"""A wheel turn over a lesson's panel scrolls the panel: no control under the pointer changes
unless the learner has clicked into it (every lesson, not only the one that first had it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QScrollBar,
    QWidget,
)

from calcstudio.app import LESSON_KEYS
from calcstudio.core.engine import Engine
from tests.ui.window_helpers import open_window, turn_wheel


def value(control: QWidget) -> object:
    if isinstance(control, QComboBox):
        return control.currentIndex()
    if isinstance(control, QAbstractSpinBox):
        return control.text()
    assert isinstance(control, QAbstractSlider)
    return control.value()


@pytest.mark.parametrize("key", LESSON_KEYS)
def test_the_wheel_over_a_panel_changes_none_of_its_controls(
    qtbot, engine: Engine, tmp_path: Path, key: str
) -> None:
    window = open_window(qtbot, engine, tmp_path, key)
    panel = window.lesson(key).panel
    controls = [
        control
        for control in panel.findChildren(QWidget)
        if isinstance(control, QComboBox | QAbstractSpinBox | QAbstractSlider)
        and not isinstance(control, QScrollBar)
        and control.isEnabled()
    ]
    assert controls, key
    for control in controls:
        before = value(control)
        turn_wheel(control)
        assert value(control) == before, (key, control)
