"""Where the accident is: the service area's outline with the point drawn on it, painted with QPainter.

The outline is the server's service-area GeoJSON (Polygon or MultiPolygon,
lon/lat); without it the point is drawn alone, centred. Longitude is scaled by
cos(latitude) so the shape is not stretched.
"""
from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

Ring = list[tuple[float, float]]  # (lon, lat)


def outline_rings(geojson: dict[str, Any] | None) -> list[Ring]:
    """Every outer ring of the polygons in a GeoJSON object (Feature, FeatureCollection or geometry).

    Features marked ``"role": "exclude"`` (an area or road outside the service) are not part of the outline."""
    if not geojson:
        return []
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        return [ring for feature in geojson.get("features") or [] for ring in outline_rings(feature)]
    if kind == "Feature":
        if (geojson.get("properties") or {}).get("role") == "exclude":
            return []
        return outline_rings(geojson.get("geometry"))
    coordinates = geojson.get("coordinates") or []
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        return []
    return [[(float(x), float(y)) for x, y, *_ in polygon[0]] for polygon in polygons if polygon]


class LocationMapWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rings: list[Ring] = []
        self.point: tuple[float, float] | None = None  # (lon, lat)
        self.setMinimumSize(180, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_area(self, geojson: dict[str, Any] | None) -> None:
        self.rings = outline_rings(geojson)
        self.update()

    def set_point(self, lat: float | None, lon: float | None) -> None:
        self.point = (float(lon), float(lat)) if lat is not None and lon is not None else None
        self.update()

    def _bounds(self) -> tuple[float, float, float, float] | None:
        xs = [x for ring in self.rings for x, _ in ring] + ([self.point[0]] if self.point else [])
        ys = [y for ring in self.rings for _, y in ring] + ([self.point[1]] if self.point else [])
        if not xs:
            return None
        pad_x = max((max(xs) - min(xs)) * 0.05, 0.01)
        pad_y = max((max(ys) - min(ys)) * 0.05, 0.01)
        return min(xs) - pad_x, min(ys) - pad_y, max(xs) + pad_x, max(ys) + pad_y

    def to_screen(self, lon: float, lat: float) -> QPointF:
        """Where (lon, lat) lands in the widget (north up)."""
        bounds = self._bounds()
        if bounds is None:
            return QPointF(self.width() / 2, self.height() / 2)
        x0, y0, x1, y1 = bounds
        squash = math.cos(math.radians((y0 + y1) / 2))
        width, height = (x1 - x0) * squash, y1 - y0
        scale = min((self.width() - 12) / width, (self.height() - 12) / height)
        left = (self.width() - width * scale) / 2
        top = (self.height() - height * scale) / 2
        return QPointF(left + (lon - x0) * squash * scale, top + (y1 - lat) * scale)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#f7f9fb"))
        for ring in self.rings:
            path = QPainterPath()
            path.addPolygon(QPolygonF([self.to_screen(x, y) for x, y in ring]))
            painter.setPen(QPen(QColor("#1565c0"), 2))
            painter.setBrush(QBrush(QColor(21, 101, 192, 28)))
            painter.drawPath(path)
        if self.point is not None:
            centre = self.to_screen(*self.point)
            painter.setPen(QPen(QColor("#ffffff"), 2))
            painter.setBrush(QBrush(QColor("#c62828")))
            painter.drawEllipse(centre, 7, 7)
        elif not self.rings:
            painter.setPen(QColor("#78909c"))
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.tr("无位置信息"))
        painter.end()
