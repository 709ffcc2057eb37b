"""Builds, once per app, the services behind the phone pages, party links and the signalling hub.

They are created on first use and kept in ``AppContext.extras``, so create_app
stays unaware of them; the hub binds to the event loop when the first socket connects.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select

from server.adapters.broker import make_broker
from server.adapters.orm import User
from server.services.hub import Hub
from server.services.invitations import InvitationService
from server.services.phone_report import PhoneReportService
from server.services.queue_view import QueueView
from server.services.scene import SceneService

_KEY = "phone_services"
_lock = threading.Lock()


@dataclass(frozen=True)
class PhoneServices:
    invitations: InvitationService
    reports: PhoneReportService
    scene: SceneService
    hub: Hub


def phone_services(ctx) -> PhoneServices:  # ctx: server.app.AppContext
    services = ctx.extras.get(_KEY)
    if services is None:
        with _lock:
            services = ctx.extras.get(_KEY)
            if services is None:
                services = ctx.extras[_KEY] = _build(ctx)
    return services


def _build(ctx) -> PhoneServices:
    s, factory = ctx.settings, ctx.session_factory
    invitations = InvitationService(factory, s.public_base_url, s.invitation_ttl_hours, s.party_rate_limit_per_minute)
    scene = SceneService(factory)

    def seat_name(user_id: int) -> str:
        with factory() as session:
            name = session.scalar(select(User.display_name).where(User.id == user_id))
        return name or "坐席"

    hub = Hub(cases=ctx.cases, scene=scene, queue=QueueView(factory), broker=make_broker(s.signalling_broker, s.resolved_database_url),
              seat_name=seat_name, ice_servers=s.ice_servers, max_message_bytes=s.ws_max_message_bytes)
    reports = PhoneReportService.from_settings(factory, ctx.cases, invitations, s)
    return PhoneServices(invitations, reports, scene, hub)
