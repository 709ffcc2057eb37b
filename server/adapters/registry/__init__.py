"""Registry adapters: demo (server/resources/demo_registry.json) and HTTP, chosen by settings."""
from __future__ import annotations

from typing import TYPE_CHECKING

from server.adapters.registry.base import Registry, RegistryUnavailable, lookup_party

if TYPE_CHECKING:
    from server.settings import Settings

__all__ = ["Registry", "RegistryUnavailable", "lookup_party", "make_registry"]


def make_registry(settings: Settings) -> Registry:
    if settings.registry_backend == "http":
        from server.adapters.registry.http import HttpRegistry

        return HttpRegistry(settings.registry_http_url, settings.registry_timeout_seconds,
                            auth_header=settings.registry_http_auth_header)
    from server.adapters.registry.demo import DemoRegistry

    return DemoRegistry.from_file(settings.registry_demo_file)
