"""The descent lesson's presets: the file they come from and the box that offers them.

Notes
-----
Each preset is a dict read from :data:`PRESETS_FILE`: a ``name``, the function ``text``, the
``lesson`` it teaches (the item's tooltip), and the start, optimizer, learning rate, step limit,
race and view it sets. Applying one is the panel's job; this box only offers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

PRESETS_FILE = "descent_presets.json"


class PresetCombo(QComboBox):
    """A drop-down of the presets under a "Choose a lesson preset…" prompt it returns to.

    Parameters
    ----------
    presets
        The presets, in the order they are offered.
    parent
        The parent widget.
    """

    presetPicked = Signal(int)
    """The index in ``presets`` of the one the learner picked."""

    def __init__(self, presets: Sequence[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.addItem("Choose a lesson preset…")
        for preset in presets:
            self.addItem(f"{preset['name']}:  {preset['text']}")
            self.setItemData(self.count() - 1, preset["lesson"], Qt.ItemDataRole.ToolTipRole)
        self.activated.connect(self._on_activated)

    def _on_activated(self, index: int) -> None:
        if index > 0:
            self.presetPicked.emit(index - 1)
        # Back to the prompt: picking the same preset again applies it again.
        self.setCurrentIndex(0)
