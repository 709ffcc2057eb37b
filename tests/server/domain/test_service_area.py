"""Point in polygon with holes and corridors; the boundary belongs to the service area."""
import pytest

from server.domain.service_area import (
    Location,
    ServiceAreaError,
    locate_in_ring,
    parse_service_area,
)

# A 10 x 10 square (in degrees, near the equator so metres are easy) with a 2 x 2 hole in the middle.
SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
HOLE = [[4, 4], [4, 6], [6, 6], [6, 4], [4, 4]]
CONCAVE = [[0, 0], [10, 0], [10, 10], [5, 5], [0, 10], [0, 0]]  # a notch from the top


def area(*features):
    return parse_service_area({"type": "FeatureCollection", "features": list(features)})


def feature(geometry_type, coordinates, **properties):
    return {"type": "Feature", "properties": properties, "geometry": {"type": geometry_type, "coordinates": coordinates}}


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ((5, 5), Location.INSIDE),
        ((0.000001, 5), Location.INSIDE),
        ((-0.000001, 5), Location.OUTSIDE),
        ((0, 5), Location.ON_EDGE),  # on a vertical edge
        ((5, 0), Location.ON_EDGE),  # on a horizontal edge
        ((10, 10), Location.ON_EDGE),  # on a vertex
        ((5, 10), Location.ON_EDGE),
        ((11, 5), Location.OUTSIDE),
        ((5, 11), Location.OUTSIDE),
        ((-1, 0), Location.OUTSIDE),  # level with a horizontal edge, outside
        ((-1, 10), Location.OUTSIDE),  # the ray passes through two vertices
    ],
)
def test_square_ring(point, expected):
    assert locate_in_ring(point, tuple(map(tuple, SQUARE))) is expected


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ((5, 4), Location.INSIDE),  # below the notch's tip
        ((5, 5), Location.ON_EDGE),  # the notch's tip
        ((5, 7), Location.OUTSIDE),  # inside the notch
        ((2, 7), Location.INSIDE),  # left of the notch
        ((2, 9), Location.OUTSIDE),  # in the notch, level with the left arm
        ((1, 9), Location.ON_EDGE),
        ((2.5, 7.5), Location.ON_EDGE),
        ((-1, 5), Location.OUTSIDE),  # the ray passes the notch's tip vertex
    ],
)
def test_concave_ring(point, expected):
    assert locate_in_ring(point, tuple(map(tuple, CONCAVE))) is expected


@pytest.mark.parametrize(
    ("lon", "lat", "served", "words"),
    [
        (2, 2, True, "服务范围内"),
        (5, 5, False, "排除区"),  # inside the hole (named)
        (4, 5, True, ""),  # on the hole's edge: the boundary is served
        (6, 6, True, ""),  # on a hole vertex
        (4.000001, 5, False, ""),  # just inside the hole
        (0, 0, True, ""),  # on the outer vertex
        (10, 5, True, ""),  # on the outer edge
        (10.000001, 5, False, "不在"),
    ],
)
def test_polygon_with_hole(lon, lat, served, words):
    check = area(feature("Polygon", [SQUARE, HOLE], name="城区", hole_names=["排除区"])).check(lat, lon)
    assert check.served is served, check.reason_zh
    assert words in check.reason_zh


@pytest.mark.parametrize(
    ("lon", "lat", "served"),
    [
        (8.5, 8.5, False),  # inside the excluded county
        (8, 8.5, True),  # on its edge: an exclusion does not own its boundary
        (7.999999, 8.5, True),
        (9, 9, False),
    ],
)
def test_excluded_polygon(lon, lat, served):
    county = feature("Polygon", [[[8, 8], [9.5, 8], [9.5, 9.5], [8, 9.5], [8, 8]]], role="exclude", name="某县")
    check = area(feature("Polygon", [SQUARE]), county).check(lat, lon)
    assert check.served is served
    if not served:
        assert "某县" in check.reason_zh


# One degree of latitude is 110 574 m; the motorway runs along lat 1 from lon 1 to lon 9, buffer 100 m.
@pytest.mark.parametrize(
    ("lon", "lat", "served"),
    [
        (5, 1, False),  # on the carriageway
        (5, 1 + 90 / 110_574, False),  # 90 m off
        (5, 1 + 110 / 110_574, True),  # 110 m off
        (9.0005, 1, False),  # just past its end, still within the buffer
        (9.01, 1, True),
    ],
)
def test_motorway_corridor(lon, lat, served):
    motorway = feature("LineString", [[1, 1], [9, 1]], role="exclude", name="某高速", buffer_m=100)
    check = area(feature("Polygon", [SQUARE]), motorway).check(lat, lon)
    assert check.served is served, check.reason_zh


def test_multipolygon_and_bare_geometry():
    two = parse_service_area({"type": "MultiPolygon", "coordinates": [[SQUARE], [[[20, 0], [21, 0], [21, 1], [20, 0]]]]})
    assert two.check(0.5, 20.9).served
    assert not two.check(5, 15).served


@pytest.mark.parametrize(
    ("geojson", "words"),
    [
        ({"type": "Point", "coordinates": [1, 2]}, "unsupported"),
        ({"type": "FeatureCollection", "features": []}, "include"),
        ({"type": "FeatureCollection", "features": [feature("Polygon", [SQUARE[:-1]])]}, "not closed"),
        ({"type": "FeatureCollection", "features": [feature("Polygon", [[[0, 0], [1, 1], [0, 0]]])]}, "at least 4"),
        ({"type": "FeatureCollection", "features": [feature("Polygon", [[[0, 0], [1, "a"], [1, 1], [0, 0]]])]},
         "features[0].geometry.coordinates[0][1]"),
        ({"type": "FeatureCollection", "features": [feature("Polygon", [[[0, 0], [200, 0], [1, 1], [0, 0]]])]},
         "longitude"),
        ({"type": "FeatureCollection", "features": [feature("Polygon", [SQUARE], role="maybe")]}, "role"),
        ({"type": "FeatureCollection", "features": [feature("Polygon", [SQUARE]),
                                                    feature("LineString", [[0, 0], [1, 1]], role="exclude")]},
         "buffer_m"),
        ({"type": "FeatureCollection", "features": [feature("LineString", [[0, 0], [1, 1]], buffer_m=5)]},
         "not allowed"),
    ],
)
def test_bad_geojson_is_refused_with_the_place(geojson, words):
    with pytest.raises(ServiceAreaError) as err:
        parse_service_area(geojson)
    assert words in str(err.value)
