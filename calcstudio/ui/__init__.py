"""The CalcStudio window: PySide6 + pyqtgraph widgets that show what calcstudio.core computes."""
