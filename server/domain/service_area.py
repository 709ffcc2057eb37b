"""Where video processing is offered: a GeoJSON area with excluded counties and motorways.

Cities draw the area as GeoJSON features, each with ``properties.role``:

* ``include`` (the default): Polygon or MultiPolygon; a hole in a polygon is an
  excluded area (e.g. a county, an airport), optionally named by ``hole_names``;
* ``exclude``: Polygon or MultiPolygon cut out of the area, or a LineString /
  MultiLineString with ``buffer_m`` for a motorway corridor.

The boundary belongs to the service area: a point exactly on the edge of an
included polygon or of one of its holes is served, and a point exactly on the
edge of an exclusion (or exactly ``buffer_m`` from a motorway) is not excluded.
Positions are [longitude, latitude] as GeoJSON has them. Pure: the caller reads
the file and hands over the parsed JSON.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

Position = tuple[float, float]  # (lon, lat)
Ring = tuple[Position, ...]

#: Distance (degrees, about 0.1 mm) within which a point counts as on an edge.
EDGE_TOLERANCE_DEG = 1e-9
_METRES_PER_DEG_LAT = 110_574.0
_METRES_PER_DEG_LON_EQUATOR = 111_320.0


class ServiceAreaError(ValueError):
    """The GeoJSON does not describe a usable service area; the message says where."""


class Location(StrEnum):
    INSIDE = "inside"
    ON_EDGE = "on_edge"
    OUTSIDE = "outside"


def locate_in_ring(point: Position, ring: Ring) -> Location:
    """Ray casting towards +longitude, after an explicit on-edge test."""
    x, y = point
    inside = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:]):
        if _on_segment(point, (ax, ay), (bx, by)):
            return Location.ON_EDGE
        if (ay > y) != (by > y):
            crossing_x = ax + (y - ay) * (bx - ax) / (by - ay)
            if x < crossing_x:
                inside = not inside
    return Location.INSIDE if inside else Location.OUTSIDE


def _on_segment(p: Position, a: Position, b: Position) -> bool:
    (px, py), (ax, ay), (bx, by) = p, a, b
    length = math.hypot(bx - ax, by - ay)
    if length == 0:
        return math.hypot(px - ax, py - ay) <= EDGE_TOLERANCE_DEG
    cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
    if abs(cross) / length > EDGE_TOLERANCE_DEG:
        return False
    dot = (px - ax) * (bx - ax) + (py - ay) * (by - ay)
    return -EDGE_TOLERANCE_DEG * length <= dot <= length * length + EDGE_TOLERANCE_DEG * length


@dataclass(frozen=True)
class Polygon:
    outer: Ring
    holes: tuple[Ring, ...] = ()
    hole_names: tuple[str, ...] = ()

    def locate(self, point: Position) -> tuple[Location, int | None]:
        """Where the point is, and the index of the hole it fell into (if any)."""
        where = locate_in_ring(point, self.outer)
        if where is not Location.INSIDE:
            return where, None
        for index, hole in enumerate(self.holes):
            in_hole = locate_in_ring(point, hole)
            if in_hole is Location.INSIDE:
                return Location.OUTSIDE, index
            if in_hole is Location.ON_EDGE:
                return Location.ON_EDGE, None
        return Location.INSIDE, None


@dataclass(frozen=True)
class Corridor:
    """Everything closer than ``buffer_m`` metres to a polyline (a motorway)."""

    line: tuple[Position, ...]
    buffer_m: float

    def contains(self, point: Position) -> bool:
        return self.distance_m(point) < self.buffer_m

    def distance_m(self, point: Position) -> float:
        return min(_metres_to_segment(point, a, b) for a, b in zip(self.line, self.line[1:]))


def _metres_to_segment(p: Position, a: Position, b: Position) -> float:
    """Distance on a local flat projection around p; good to a metre at city scale."""
    scale_x = _METRES_PER_DEG_LON_EQUATOR * math.cos(math.radians(p[1]))

    def project(q: Position) -> tuple[float, float]:
        return (q[0] - p[0]) * scale_x, (q[1] - p[1]) * _METRES_PER_DEG_LAT

    (ax, ay), (bx, by) = project(a), project(b)
    dx, dy = bx - ax, by - ay
    length_sq = dx * dx + dy * dy
    t = 0.0 if length_sq == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length_sq))
    return math.hypot(ax + t * dx, ay + t * dy)


@dataclass(frozen=True)
class Zone:
    name: str
    polygons: tuple[Polygon, ...] = ()
    corridors: tuple[Corridor, ...] = ()


@dataclass(frozen=True)
class AreaCheck:
    served: bool
    reason_zh: str
    zone: str = ""  # the included zone, or the exclusion that applied


@dataclass(frozen=True)
class ServiceArea:
    included: tuple[Zone, ...]
    excluded: tuple[Zone, ...] = ()

    def check(self, latitude: float, longitude: float) -> AreaCheck:
        point = (longitude, latitude)
        home, hole = self._home_zone(point)
        if home is None:
            where = f"位于{hole}，" if hole else ""
            return AreaCheck(False, f"事故地点{where}不在视频快处服务范围内", hole or "")
        for zone in self.excluded:
            if _excludes(zone, point):
                return AreaCheck(False, f"事故地点位于{zone.name}，不在视频快处服务范围内", zone.name)
        return AreaCheck(True, f"事故地点在视频快处服务范围内（{home.name}）", home.name)

    def _home_zone(self, point: Position) -> tuple[Zone | None, str]:
        hole_name = ""
        for zone in self.included:
            for polygon in zone.polygons:
                where, hole = polygon.locate(point)
                if where is not Location.OUTSIDE:
                    return zone, ""
                if hole is not None and hole < len(polygon.hole_names):
                    hole_name = polygon.hole_names[hole]
        return None, hole_name


def _excludes(zone: Zone, point: Position) -> bool:
    if any(polygon.locate(point)[0] is Location.INSIDE for polygon in zone.polygons):
        return True
    return any(corridor.contains(point) for corridor in zone.corridors)


# --- parsing ------------------------------------------------------------------


def parse_service_area(geojson: Mapping[str, Any]) -> ServiceArea:
    """Builds the area from parsed GeoJSON; raises ServiceAreaError naming the bad part."""
    features = _features(geojson)
    included: list[Zone] = []
    excluded: list[Zone] = []
    for index, feature in enumerate(features):
        where = f"features[{index}]"
        zone, role = _zone(feature, where)
        (included if role == "include" else excluded).append(zone)
    if not included:
        raise ServiceAreaError("no feature with role 'include': the service area would be empty")
    return ServiceArea(tuple(included), tuple(excluded))


def _features(geojson: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if not isinstance(geojson, Mapping):
        raise ServiceAreaError("top level: expected a GeoJSON object")
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        features = geojson.get("features")
        if not isinstance(features, list):
            raise ServiceAreaError("features: expected a list")
        return features
    if kind == "Feature":
        return [geojson]
    if kind in ("Polygon", "MultiPolygon"):
        return [{"type": "Feature", "properties": {}, "geometry": geojson}]
    raise ServiceAreaError(f"top level: unsupported GeoJSON type {kind!r}")


def _zone(feature: Mapping[str, Any], where: str) -> tuple[Zone, str]:
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise ServiceAreaError(f"{where}: expected a Feature")
    props = feature.get("properties") or {}
    role = props.get("role", "include")
    if role not in ("include", "exclude"):
        raise ServiceAreaError(f"{where}.properties.role: expected 'include' or 'exclude', got {role!r}")
    name = str(props.get("name") or ("服务区域" if role == "include" else "排除区域"))
    geometry = feature.get("geometry")
    if not isinstance(geometry, Mapping):
        raise ServiceAreaError(f"{where}.geometry: missing")
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    where = f"{where}.geometry.coordinates"
    if kind == "Polygon":
        return Zone(name, polygons=(_polygon(coords, props, where),)), role
    if kind == "MultiPolygon":
        polygons = tuple(_polygon(c, props, f"{where}[{i}]") for i, c in enumerate(_list(coords, where)))
        return Zone(name, polygons=polygons), role
    if kind in ("LineString", "MultiLineString") and role == "exclude":
        lines = [coords] if kind == "LineString" else _list(coords, where)
        buffer_m = _buffer(props, where)
        corridors = tuple(Corridor(_line(line, f"{where}[{i}]"), buffer_m) for i, line in enumerate(lines))
        return Zone(name, corridors=corridors), role
    raise ServiceAreaError(f"{where}: geometry type {kind!r} is not allowed for role {role!r}")


def _polygon(coords: Any, props: Mapping[str, Any], where: str) -> Polygon:
    rings = [_ring(ring, f"{where}[{i}]") for i, ring in enumerate(_list(coords, where))]
    if not rings:
        raise ServiceAreaError(f"{where}: a polygon needs an outer ring")
    hole_names = tuple(str(n) for n in props.get("hole_names", ()))
    return Polygon(rings[0], tuple(rings[1:]), hole_names)


def _ring(coords: Any, where: str) -> Ring:
    ring = tuple(_position(p, f"{where}[{i}]") for i, p in enumerate(_list(coords, where)))
    if len(ring) < 4:
        raise ServiceAreaError(f"{where}: a ring needs at least 4 positions, got {len(ring)}")
    if ring[0] != ring[-1]:
        raise ServiceAreaError(f"{where}: ring is not closed (first and last positions differ)")
    return ring


def _line(coords: Any, where: str) -> tuple[Position, ...]:
    line = tuple(_position(p, f"{where}[{i}]") for i, p in enumerate(_list(coords, where)))
    if len(line) < 2:
        raise ServiceAreaError(f"{where}: a line needs at least 2 positions")
    return line


def _position(value: Any, where: str) -> Position:
    if not isinstance(value, Sequence) or len(value) < 2:
        raise ServiceAreaError(f"{where}: expected [longitude, latitude]")
    lon, lat = value[0], value[1]
    for number in (lon, lat):
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            raise ServiceAreaError(f"{where}: expected numbers, got {value!r}")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ServiceAreaError(f"{where}: {value!r} is not a [longitude, latitude] pair")
    return float(lon), float(lat)


def _buffer(props: Mapping[str, Any], where: str) -> float:
    value = props.get("buffer_m")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ServiceAreaError(f"{where}: an excluded line needs properties.buffer_m > 0 (metres)")
    return float(value)


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ServiceAreaError(f"{where}: expected a list")
    return value
