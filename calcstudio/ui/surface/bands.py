"""The filled contours as one opaque image: each grid point painted in the colour of its band.

Qt draws an opaque 32-bit RGB image straight into the window; a palette (8-bit indexed)
image, or one with alpha, is converted and blended on every paint, which cost 1.5 to 2 ms of
each pan of a 400×400 landscape against 0.5 ms for this one (measured here, see README). So the
band indices are coloured once per change, by Qt's own conversion of the indexed image. The
see-through look of the bands is kept by mixing their colours with the white background once,
when the colour table is made.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

UNDEFINED = 255
"""The band index of points where L is undefined (drawn light grey)."""
OPACITY = 200 / 255
"""How much of a band's colour covers the white background under it."""


@lru_cache(maxsize=32)
def band_colours(levels: int) -> np.ndarray:
    """Colours for ``levels`` contour levels as 256 opaque ``0xffRRGGBB`` words: viridis bands
    a little lightened by the white background, light grey for undefined points."""
    rgb = pg.colormap.get("viridis").getLookupTable(nPts=levels + 1, alpha=False).astype(float)
    mixed = np.rint(rgb * OPACITY + 255 * (1 - OPACITY)).astype(np.uint32)
    table = np.full(256, 0xFFFFFFFF, dtype=np.uint32)
    table[: levels + 1] = 0xFF000000 | (mixed[:, 0] << 16) | (mixed[:, 1] << 8) | mixed[:, 2]
    table[UNDEFINED] = 0xFFE1E1E1
    table.flags.writeable = False  # one table serves every landscape with this many levels
    return table


class BandImage(pg.GraphicsObject):
    """An image of band indices over a rectangle of the plot, drawn with a colour table.

    Attributes
    ----------
    bands
        The ``(rows, columns)`` band indices shown (row ``j`` at the ``j``-th height from
        the bottom), or None.
    """

    def __init__(self) -> None:
        super().__init__()
        self.bands: np.ndarray | None = None
        self._image: QImage | None = None
        self._rect = QRectF()
        # Painted once per change into a pixmap at screen size: a race's partial repaints then
        # copy from it (cheaper than scaling the image again, and the same pixels a whole
        # repaint draws; a scaled drawImage clipped to a small region samples band edges
        # a pixel differently).
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_bands(self, bands: np.ndarray, rect: QRectF, colours: np.ndarray) -> None:
        """Show ``bands`` (uint8) over ``rect`` (its outer edges, in plot units), each band in
        its colour of ``colours`` (from :func:`band_colours`)."""
        self.prepareGeometryChange()
        self.bands = bands = np.ascontiguousarray(bands, dtype=np.uint8)
        rows, columns = bands.shape
        # Coloured by Qt's conversion of an indexed image (0.17 ms for 310×542 against 0.4
        # for numpy's take): the result is the opaque image drawn, and owns its pixels.
        indexed = QImage(bands.data, columns, rows, columns, QImage.Format.Format_Indexed8)
        indexed.setColorTable(colours.tolist())
        self._image = indexed.convertToFormat(QImage.Format.Format_RGB32)
        self._rect = QRectF(rect)
        self.update()

    def clear(self) -> None:
        """Show nothing."""
        self.prepareGeometryChange()
        self.bands = self._image = None
        self._rect = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:
        """The rectangle the image covers."""
        return QRectF(self._rect)

    def paint(self, painter: QPainter, *_args: object) -> None:
        """Draw the image stretched over its rectangle (row 0 at the bottom of the plot)."""
        if self._image is not None:
            painter.drawImage(self._rect, self._image)
