"""lookup_party: what is asked, what is skipped, and how a failing registry is reported."""
from datetime import date

import pytest

from server.adapters.registry import make_registry
from server.adapters.registry.demo import DemoRegistry
from server.adapters.registry.base import lookup_party
from server.adapters.registry.fake import FakeRegistry
from server.adapters.registry.http import HttpRegistry
from server.domain.verification import (
    CheckStatus,
    DriverRecord,
    DriverStatus,
    PartyFields,
    PolicyRecord,
    Unavailable,
    verify_party,
)
from server.settings import Settings

ACCIDENT = date(2026, 5, 20)
DRIVER = DriverRecord("510104198503127714", "王建国", "C1", date(2016, 3, 20), date(2036, 3, 20), DriverStatus.VALID)
POLICY = PolicyRecord("P1", "川A5F7K2", "PICC", "中国人民财产保险股份有限公司", date(2025, 1, 1), date(2039, 1, 1))
FIELDS = PartyFields(driver_name="王建国", id_number="510104198503127714", plate="川A5F7K2", vehicle_type="小型轿车",
                     vin="LSVAU2187N2123456")


def test_asks_all_three_for_a_complete_party():
    fake = FakeRegistry([DRIVER], [], [POLICY])
    lookup = lookup_party(fake, FIELDS, ACCIDENT)
    assert [name for name, _ in fake.calls] == ["driver", "vehicle", "policy"]
    assert lookup.driver == DRIVER and lookup.vehicle is None and lookup.policy == POLICY


def test_skips_lookups_whose_key_is_missing():
    fake = FakeRegistry([DRIVER])
    lookup_party(fake, PartyFields(id_number=FIELDS.id_number), ACCIDENT)
    assert [name for name, _ in fake.calls] == ["driver"]


@pytest.mark.parametrize(("failing", "asked"), [
    ("driver", ["driver"]),
    ("vehicle", ["driver", "vehicle"]),
    ("policy", ["driver", "vehicle", "policy"]),
])
def test_after_a_failure_nothing_more_is_asked_and_the_rest_is_unavailable(failing, asked):
    fake = FakeRegistry([DRIVER], [], [POLICY])
    fake.fail(failing)
    lookup = lookup_party(fake, FIELDS, ACCIDENT)
    assert [name for name, _ in fake.calls] == asked
    order = ["driver", "vehicle", "policy"]
    for name in order[order.index(failing):]:
        assert isinstance(getattr(lookup, name), Unavailable)


def test_a_registry_that_is_down_never_passes_anyone():
    fake = FakeRegistry([DRIVER], [], [POLICY])
    fake.fail()
    result = verify_party(FIELDS, lookup_party(fake, FIELDS, ACCIDENT), ACCIDENT)
    assert {c.status for c in result.checks} == {CheckStatus.UNAVAILABLE}
    assert not result.passed
    assert {c.reason_zh for c in result.checks} == {"核验系统暂不可用，请重试"}


def test_the_factory_follows_the_settings(tmp_path):
    assert isinstance(make_registry(Settings(data_dir=tmp_path)), DemoRegistry)
    http = make_registry(Settings(data_dir=tmp_path, registry_backend="http", registry_http_url="http://127.0.0.1:1"))
    assert isinstance(http, HttpRegistry) and http.source == "http"
