"""The demo registry file: valid check digits, and one scenario per verification outcome."""
import json
from datetime import date
from pathlib import Path

import pytest

from server.adapters.registry.base import lookup_party
from server.adapters.registry.demo import DemoRegistry, DemoRegistryError
from server.domain.verification import PartyFields, verify_party
from server.resource_files import resource

DEMO_FILE = resource("demo_registry.json")
RAW = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
ACCIDENT = date(2026, 5, 20)


# Written out here rather than imported, so the data is checked against the standards themselves.
def gb11643_check_char(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def iso3779_check_char(vin: str) -> str:
    values = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9)))
    values.update({str(d): d for d in range(10)})
    weights = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
    remainder = sum(values[c] * w for c, w in zip(vin, weights)) % 11
    return "X" if remainder == 10 else str(remainder)


def test_the_check_digit_functions_agree_with_published_examples():
    assert gb11643_check_char("11010519491231002") == "X"  # the standard's own example
    assert iso3779_check_char("1M8GDM9AXKP042788") == "X"  # the textbook example VIN


@pytest.mark.parametrize("driver", RAW["drivers"], ids=lambda d: d["name"])
def test_every_id_number_has_a_correct_check_digit(driver):
    number = driver["id_number"]
    assert len(number) == 18 and number[:17].isdigit()
    assert number[17] == gb11643_check_char(number[:17])
    assert date(int(number[6:10]), int(number[10:12]), int(number[12:14])) < date(2008, 1, 1)  # old enough to drive


@pytest.mark.parametrize("vehicle", RAW["vehicles"], ids=lambda v: v["plate"])
def test_every_vin_has_a_correct_check_digit(vehicle):
    vin = vehicle["vin"]
    assert len(vin) == 17 and not set(vin) & set("IOQ")
    assert vin[8] == iso3779_check_char(vin)


def test_plates_are_chengdu_plates():
    for vehicle in RAW["vehicles"]:
        plate = vehicle["plate"]
        assert plate.startswith("川A")
        assert len(plate) == (8 if vehicle["plate_colour"] == "green" else 7)


def test_the_file_keeps_exactly_the_agreed_top_level_keys():
    assert list(RAW) == ["drivers", "vehicles", "policies", "scenarios"]


def verify_scenario(registry, name):
    outcomes = []
    for party in registry.scenarios[name]:
        driver, vehicle = registry.driver(party["driver"]), registry.vehicle(party["plate"])
        fields = PartyFields(driver_name=driver.name, id_number=driver.id_number, plate=vehicle.plate,
                             plate_colour=vehicle.plate_colour, vehicle_type=vehicle.vehicle_type, vin=vehicle.vin)
        outcomes.append(verify_party(fields, lookup_party(registry, fields, ACCIDENT), ACCIDENT))
    return outcomes


SCENARIOS = {
    # scenario: (number of parties, the last party's problem codes; the others all pass)
    "standard": (2, set()),
    "single_vehicle": (1, set()),
    "three_vehicles": (3, set()),
    "uninsured": (2, {"uninsured"}),
    "policy_expired": (2, {"policy_expired"}),
    "licence_expired": (2, {"licence_expired"}),
    "licence_suspended": (2, {"licence_suspended"}),
    "licence_revoked": (2, {"licence_revoked"}),
    "wrong_licence_class": (2, {"licence_class_mismatch"}),
    "vehicle_stolen": (2, {"vehicle_stolen"}),
    "vehicle_scrapped": (2, {"vehicle_scrapped"}),
    "vehicle_seized": (2, {"vehicle_seized"}),
    "inspection_lapsed": (2, {"inspection_lapsed"}),
}


def test_every_scenario_is_listed_here():
    assert set(RAW["scenarios"]) == set(SCENARIOS)


@pytest.mark.parametrize(("name", "expected"), SCENARIOS.items(), ids=list(SCENARIOS))
def test_scenario_outcome(name, expected):
    count, problems = expected
    outcomes = verify_scenario(DemoRegistry.from_file(DEMO_FILE), name)
    assert len(outcomes) == count
    assert all(o.passed for o in outcomes[:-1])
    assert {p for c in outcomes[-1].checks for p in c.problems} == problems
    assert outcomes[-1].passed is (not problems)


def test_the_insurer_and_policy_come_back_for_the_claim():
    outcome = verify_scenario(DemoRegistry.from_file(DEMO_FILE), "standard")[1]
    assert outcome.insurance.details["insurer"] == "PINGAN"
    assert outcome.insurance.details["policy_number"] == "ACHDA0512025S000658213"


def test_an_expired_policy_is_found_so_the_seat_can_say_when_it_ended():
    registry = DemoRegistry.from_file(DEMO_FILE)
    assert registry.policy("川A1C9E3", ACCIDENT).valid_until == date(2024, 2, 24)
    assert registry.policy("川A1C9E3", date(2023, 1, 1)) is None  # before it ever started
    assert registry.policy("川A4B6N8", ACCIDENT) is None  # never insured


def bad(**changes):
    data = json.loads(json.dumps(RAW))
    for path, value in changes.items():
        section, index, key = path.split("__")
        data[section][int(index)][key] = value
    return data


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (bad(drivers__2__valid_until="长期"), "drivers[2]: valid_until"),
        (bad(vehicles__0__status="lost"), "vehicles[0]: status"),
        (bad(vehicles__1__plate_colour="red"), "vehicles[1]: plate_colour"),
        (bad(drivers__0__licence_class="Z9"), "drivers[0]: licence_class"),
        (bad(policies__0__insurer=None), "policies[0]: insurer"),
        (bad(drivers__1__id_number=RAW["drivers"][0]["id_number"]), "duplicate"),
        ({**RAW, "extra": []}, "top-level keys"),
        ({**RAW, "scenarios": {"broken": [{"driver": "110105194912310029", "plate": "川A5F7K2"}]}}, "scenarios.broken[0]"),
        ({**RAW, "scenarios": {"broken": [{"driver": RAW["drivers"][0]["id_number"], "plate": "川A00000"}]}}, "plate"),
    ],
)
def test_a_bad_demo_file_names_the_record(data, words):
    with pytest.raises(DemoRegistryError) as err:
        DemoRegistry(data)
    assert words in str(err.value)


def test_an_unreadable_file_names_the_file(tmp_path: Path):
    path = tmp_path / "registry.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(DemoRegistryError, match="registry.json"):
        DemoRegistry.from_file(path)
