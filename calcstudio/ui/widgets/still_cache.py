"""Items painted directly while they change, and kept as pixmaps once they have been still.

A map's coloured bands, contour lines (some 15,000 points) and labels lie under everything
that moves on it: the dragged point and its arrows, the racers' paths. Qt repaints what lies
under a moving item, and stroking the lines again cost 0.8 ms of a 7 ms drag. Kept as
pixmaps they are copied instead; but while they change (every step of a pan or zoom, every
move of a data point dragged under the line fit's bowl) a pixmap would be drawn, copied and
thrown away each time: 4 ms more a pan for the lines, and the bands, always kept before,
2.8 ms. So the items are drawn directly while they change, and kept as pixmaps once they
have stayed as they are for :data:`STILL_MS`. (In that quarter second a small repaint, say
under the dragged point, may draw a band's edge a pixel off from the whole repaint around
it, as :class:`~calcstudio.ui.surface.bands.BandImage` explains; once still, every repaint
copies the same pixmap.)
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QGraphicsItem

STILL_MS = 250
"""How long the items must stay unchanged before they are kept as pixmaps."""


class PixmapsWhenStill(QObject):
    """Switches ``items`` between direct painting and Qt's device-coordinate pixmap cache.

    Parameters
    ----------
    items
        The graphics items (not their children).
    parent
        Owns the timer.
    """

    def __init__(self, items: Sequence[QGraphicsItem], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items = tuple(items)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(STILL_MS)
        self._timer.timeout.connect(self._keep)

    def changed(self) -> None:
        """The items have just changed: paint them directly until they are still again."""
        for item in self.items:
            if item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self._timer.start()

    def kept(self) -> bool:
        """Whether the items are kept as pixmaps now."""
        return all(
            item.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for item in self.items
        )

    def _keep(self) -> None:
        for item in self.items:
            if shiboken6.isValid(item):  # the timer may outlive a closed window's items
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                # Repainted whole from the pixmap at once: an item drawn straight and copied
                # from its pixmap can differ by a shade at antialiased edges, and the screen
                # must not mix the two where a later repaint covers only part of it.
                item.update()
