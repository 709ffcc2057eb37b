"""The shipped city rules and service area load, and mean what their comments say."""
from pathlib import Path

import pytest

from server.adapters.city_config import load_city_rules, load_service_area
from server.domain.city_rules import CityRulesError
from server.domain.service_area import ServiceAreaError
from server.settings import Settings

SETTINGS = Settings()


def test_chengdu_defaults():
    rules = load_city_rules(SETTINGS.city_rules_file, SETTINGS.timezone)
    assert rules.city == "成都市"
    assert rules.service_hours_zh == "07:00至19:00"
    assert (rules.min_vehicles, rules.max_vehicles) == (1, 3)
    assert rules.allow_non_motor and not rules.minor_injury_allowed and rules.service_area_required


@pytest.mark.parametrize(
    ("place", "lat", "lon", "served"),
    [
        ("天府广场", 30.6598, 104.0657, True),
        ("春熙路", 30.6574, 104.0803, True),
        ("双流国际机场 (a hole)", 30.5785, 103.9471, False),
        ("绕城高速 east carriageway", 30.657, 104.191, False),
        ("机场高速", 30.6017, 104.0130, False),
        ("150 m beside the 机场高速", 30.6031, 104.0130, True),
        ("金堂县 (excluded county)", 30.80, 104.30, False),
        ("重庆 (far outside)", 29.5630, 106.5516, False),
        ("on the area's south-west vertex", 30.45, 103.80, True),
    ],
)
def test_shipped_service_area(place, lat, lon, served):
    area = load_service_area(SETTINGS.service_area_file)
    assert area.check(lat, lon).served is served, place


def test_a_bad_rules_file_names_the_file_and_key(tmp_path: Path):
    path = tmp_path / "rules.toml"
    path.write_text(SETTINGS.city_rules_file.read_text(encoding="utf-8").replace("max = 3", "maximum = 3"), "utf-8")
    with pytest.raises(CityRulesError) as err:
        load_city_rules(path, "Asia/Shanghai")
    assert "rules.toml" in str(err.value) and "vehicles.maximum" in str(err.value)


def test_a_rules_file_that_is_not_toml(tmp_path: Path):
    path = tmp_path / "rules.toml"
    path.write_text("city = ", encoding="utf-8")
    with pytest.raises(CityRulesError, match="rules.toml"):
        load_city_rules(path, "Asia/Shanghai")


def test_an_unknown_time_zone():
    with pytest.raises(CityRulesError, match="Mars/Olympus"):
        load_city_rules(SETTINGS.city_rules_file, "Mars/Olympus")


def test_a_missing_area_file(tmp_path: Path):
    with pytest.raises(ServiceAreaError, match="nowhere.geojson"):
        load_service_area(tmp_path / "nowhere.geojson")
