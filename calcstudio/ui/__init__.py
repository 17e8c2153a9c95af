"""The CalcStudio window: PySide6 + pyqtgraph widgets that show what calcstudio.core computes."""

from calcstudio.ui.pyqtgraph_import import import_pyqtgraph

# Before any widget module imports pyqtgraph: it would otherwise create every Qt class.
import_pyqtgraph()
