"""The HTTP registry against a real local server: 200, 404, 5xx, garbage, timeouts."""
from datetime import date

import pytest

from server.adapters.registry.base import RegistryUnavailable, lookup_party
from server.adapters.registry.http import HttpRegistry
from server.domain.verification import DriverStatus, PartyFields, Unavailable, VehicleStatus
from tests.server.adapters.local_http import local_http, refused_url  # noqa: F401 - fixture

DRIVER = {"id_number": "51010719900823468X", "name": "李秀英", "licence_class": "C1",
          "valid_from": "2019-07-02", "valid_until": "2039-07-02", "status": "valid"}
VEHICLE = {"plate": "川AD35812", "plate_colour": "green", "vehicle_type": "小型轿车", "vin": "LGXCE4CB6P0658213",
           "owner": "李秀英", "engine_number": "TZ220XS3316", "registered": "2023-06-02", "status": "normal",
           "inspection_valid_until": "2033-06-30", "transmission": "automatic"}
POLICY = {"policy_number": "ACHDA0512025S000658213", "plate": "川AD35812", "insurer": "PINGAN",
          "insurer_name": "中国平安财产保险股份有限公司", "valid_from": "2025-06-03", "valid_until": "2039-06-02"}
ROUTES = {"/drivers/51010719900823468X": DRIVER, "/vehicles/川AD35812": VEHICLE, "/policies/川AD35812": POLICY}
ACCIDENT = date(2026, 5, 20)


@pytest.fixture
def registry(local_http):
    local_http.reply = lambda r: (200, ROUTES[r.path]) if r.path in ROUTES else (404, {"error": "not found"})
    return HttpRegistry(local_http.url + "/", timeout_seconds=5)


def test_records_come_back_as_domain_records(registry, local_http):
    assert registry.driver("51010719900823468x").status is DriverStatus.VALID  # lower-case x normalised
    assert registry.vehicle("川AD·35812").status is VehicleStatus.NORMAL
    policy = registry.policy("川AD35812", ACCIDENT)
    assert policy.insurer == "PINGAN" and policy.valid_until == date(2039, 6, 2)
    assert local_http.requests[-1].query == {"on": ["2026-05-20"]}
    assert local_http.requests[1].path == "/vehicles/川AD35812"


def test_404_means_no_such_record(registry):
    assert registry.driver("510104198503127714") is None
    assert registry.vehicle("川A00000") is None
    assert registry.policy("川A00000", ACCIDENT) is None


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, {"error": "boom"}),
        (503, b"Service Unavailable"),
        (401, {"error": "unauthorised"}),
        (200, b"{not json"),
        (200, b""),
        (200, ["a", "list"]),
        (200, {**DRIVER, "valid_until": "长期"}),
        (200, {**DRIVER, "status": "unknown"}),
        (200, {**DRIVER, "id_number": "510104198503127714"}),  # an answer about someone else
    ],
)
def test_anything_but_a_record_or_404_is_unavailable(local_http, status, body):
    local_http.reply = lambda r: (status, body)
    registry = HttpRegistry(local_http.url, timeout_seconds=5)
    with pytest.raises(RegistryUnavailable):
        registry.driver("51010719900823468X")


def test_a_registry_slower_than_the_timeout_is_unavailable(local_http):
    local_http.hold = True  # the handler waits until teardown
    registry = HttpRegistry(local_http.url, timeout_seconds=0.2)
    with pytest.raises(RegistryUnavailable, match="timed out"):
        registry.vehicle("川AD35812")


def test_a_registry_that_is_not_listening_is_unavailable():
    registry = HttpRegistry(refused_url(), timeout_seconds=2)
    with pytest.raises(RegistryUnavailable, match="unreachable"):
        registry.driver("51010719900823468X")


def test_after_a_timeout_the_other_lookups_are_not_tried(local_http):
    local_http.hold = True
    registry = HttpRegistry(local_http.url, timeout_seconds=0.2)
    fields = PartyFields(driver_name="李秀英", id_number="51010719900823468X", plate="川AD35812")
    lookup = lookup_party(registry, fields, ACCIDENT)
    assert all(isinstance(x, Unavailable) for x in (lookup.driver, lookup.vehicle, lookup.policy))
    assert len(local_http.requests) == 1


def test_an_empty_base_url_is_a_configuration_error():
    with pytest.raises(ValueError, match="REGISTRY_HTTP_URL"):
        HttpRegistry("", timeout_seconds=1)


def test_the_auth_header_from_settings_reaches_the_registry(local_http, tmp_path):
    from server.adapters.registry import make_registry
    from server.settings import Settings

    local_http.reply = lambda r: (200, ROUTES[r.path]) if r.path in ROUTES else (404, {"error": "not found"})
    settings = Settings(data_dir=tmp_path, registry_backend="http", registry_http_url=local_http.url,
                        registry_http_auth_header="Bearer registry-token")
    assert make_registry(settings).driver("51010719900823468X") is not None
    assert local_http.requests[0].headers["Authorization"] == "Bearer registry-token"


def test_no_auth_header_is_sent_when_none_is_set(registry, local_http):
    registry.vehicle("川AD35812")
    assert "Authorization" not in local_http.requests[0].headers
