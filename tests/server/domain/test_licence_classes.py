import pytest

from server.domain.licence_classes import parse_classes, permits


@pytest.mark.parametrize(
    ("licence", "vehicle_type", "transmission", "expected"),
    [
        ("C1", "小型轿车", "manual", True),
        ("C1", "小型轿车", "automatic", True),
        ("C1", "轻型普通货车", "", True),
        ("C2", "小型轿车", "automatic", True),
        ("C2", "小型轿车", "manual", False),  # the demo's wrong_licence_class
        ("C2", "小型轿车", "", None),  # cannot tell without the gearbox
        ("C2", "轻型普通货车", "automatic", True),
        ("C5", "小型轿车", "automatic", True),
        ("C5", "轻型普通货车", "automatic", False),  # C5 is passenger cars only
        ("C1", "中型普通货车", "manual", False),
        ("B2", "中型普通货车", "manual", True),
        ("B2", "小型轿车", "manual", True),  # B2 covers C1
        ("A1", "城市公交车", "", True),  # A1 covers A3
        ("A2", "大型普通客车", "", False),
        ("C1", "普通二轮摩托车", "", False),
        ("C1E", "普通二轮摩托车", "", True),
        ("D", "轻便二轮摩托车", "", True),
        ("E", "普通三轮摩托车", "", False),
        ("C1", "气垫船", "", None),  # unknown type: a person must look
    ],
)
def test_licence_class_permits_vehicle_type(licence, vehicle_type, transmission, expected):
    assert permits(licence, vehicle_type, transmission) is expected


@pytest.mark.parametrize(("text", "classes"), [("C1", {"C1"}), ("c1e", {"C1", "E"}), ("A2D", {"A2", "D"})])
def test_parse_classes(text, classes):
    assert parse_classes(text) == classes


@pytest.mark.parametrize("text", ["", "C7", "X", "C1 驾照", "CC"])
def test_parse_classes_refuses_what_is_not_a_class(text):
    with pytest.raises(ValueError):
        parse_classes(text)
