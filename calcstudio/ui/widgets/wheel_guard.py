"""Scrolling a long panel scrolls the panel: a list, spin box or slider under the pointer takes
the wheel only once the learner has clicked into it.

Without this, a wheel turn meant to scroll a side panel changes whatever control passes under
the pointer (the optimizer, the batch size, the learning rate) without the learner noticing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)
"""The controls a wheel turn would change."""


class WheelGuard(QObject):
    """Hands a wheel event to the scroll area around the control unless the control has focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Send the wheel on an unfocused control to the scroll area it is in."""
        wheel = event.type() == QEvent.Type.Wheel
        if not (wheel and isinstance(watched, QWidget)) or watched.hasFocus():
            return False
        area = watched.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is not None:
            QApplication.sendEvent(area.viewport(), event.clone())
        return True


def guard_wheel(root: QWidget) -> WheelGuard:
    """Guard every combo box, spin box and slider in ``root`` (those it holds now)."""
    guard = WheelGuard(root)
    for control in root.findChildren(QWidget):
        # A scroll bar is there for the wheel (and a scroll area hands it the wheel back).
        if isinstance(control, GUARDED) and not isinstance(control, QScrollBar):
            control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no focus from the wheel
            control.installEventFilter(guard)
    return guard
