"""The registry over HTTP, for deployments that reach the real 车驾管 / 交强险 services.

The REST contract (a gateway in front of the real systems implements it):

``GET {base}/drivers/{id_number}``
    200 ``{"id_number", "name", "licence_class", "valid_from", "valid_until",
    "status": "valid|expired|suspended|revoked"}``
``GET {base}/vehicles/{plate}``
    200 ``{"plate", "plate_colour": "blue|green|yellow|white|black", "vehicle_type",
    "vin", "owner", "engine_number", "registered",
    "status": "normal|stolen|scrapped|seized", "inspection_valid_until",
    "transmission": "manual|automatic" (optional)}``
``GET {base}/policies/{plate}?on=YYYY-MM-DD``
    200 ``{"policy_number", "plate", "insurer", "insurer_name", "valid_from",
    "valid_until"}``: the compulsory policy covering that date, or else the newest
    that started before it.

Path segments are percent-encoded UTF-8 (``川A5F7K2`` -> ``%E5%B7%9DA5F7K2``).
Dates are ISO ``YYYY-MM-DD``. 404 means "no such record". Anything else (a
timeout, a refused connection, a 5xx, another status, a body that is not the
record asked for) raises :class:`RegistryUnavailable`, never a pass.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

import requests

from server.adapters.registry.base import RegistryUnavailable
from server.adapters.registry.records import RecordError, parse_driver, parse_policy, parse_vehicle
from server.domain.verification import (
    DriverRecord,
    PolicyRecord,
    VehicleRecord,
    normalise_id_number,
    normalise_plate,
)

R = TypeVar("R")


class HttpRegistry:
    source = "http"

    def __init__(self, base_url: str, timeout_seconds: float, session: requests.Session | None = None,
                 auth_header: str = "") -> None:
        if not base_url:
            raise ValueError("the HTTP registry needs a base URL (REGISTRY_HTTP_URL)")
        self._base = base_url.rstrip("/")
        self._timeout = timeout_seconds
        self._session = session or requests.Session()
        if auth_header:
            self._session.headers["Authorization"] = auth_header

    def driver(self, id_number: str) -> DriverRecord | None:
        key = normalise_id_number(id_number)
        record = self._get(f"/drivers/{quote(key, safe='')}", {}, parse_driver)
        if record is not None and record.id_number != key:
            raise RegistryUnavailable("registry answered for a different ID number")
        return record

    def vehicle(self, plate: str) -> VehicleRecord | None:
        key = normalise_plate(plate)
        record = self._get(f"/vehicles/{quote(key, safe='')}", {}, parse_vehicle)
        if record is not None and record.plate != key:
            raise RegistryUnavailable("registry answered for a different plate")
        return record

    def policy(self, plate: str, on_date: date) -> PolicyRecord | None:
        key = normalise_plate(plate)
        record = self._get(f"/policies/{quote(key, safe='')}", {"on": on_date.isoformat()}, parse_policy)
        if record is not None and record.plate != key:
            raise RegistryUnavailable("registry answered for a different plate")
        return record

    def _get(self, path: str, params: dict[str, str], parse: Callable[[Any], R]) -> R | None:
        url = self._base + path
        try:
            response = self._session.get(url, params=params, timeout=self._timeout)
        except requests.Timeout as exc:
            raise RegistryUnavailable(f"registry timed out after {self._timeout}s") from exc
        except requests.RequestException as exc:
            raise RegistryUnavailable(f"registry unreachable: {type(exc).__name__}") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise RegistryUnavailable(f"registry answered HTTP {response.status_code}")
        try:
            return parse(response.json())
        except (ValueError, RecordError) as exc:  # JSONDecodeError is a ValueError
            raise RegistryUnavailable(f"registry sent a malformed record: {exc}") from exc
