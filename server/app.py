"""The FastAPI application factory: builds the services from settings and registers every route."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.adapters.broker import make_broker
from server.adapters.city_config import load_city_rules, load_service_area
from server.adapters.db import DATABASE_UNAVAILABLE, RETRY_AFTER_S, make_engine, make_session_factory
from server.adapters.dispatch import make_dispatch_sender
from server.adapters.insurers import make_insurer_webhooks
from server.adapters.orm import utcnow
from server.adapters.registry import make_registry
from server.adapters.sms import make_sms_gateway
from server.adapters.storage import BlobStore, BlobStoreUnavailable, make_blob_store
from server.container import AppContext
from server.domain.insurers import InsurerTable
from server.domain.sms_templates import SmsTemplates
from server.domain.violations import parse_catalogue
from server.domain.working_days import WorkCalendar
from server.resource_files import resource
from server.services import dispatch_outbox, liveness
from server.services.audit_log import AuditLog
from server.services.auth import AuthService
from server.services.background import BackgroundJobs, PeriodicJob
from server.services.cases import CaseService
from server.services.determination import DeterminationService
from server.services.documents import DocumentService
from server.services.checks import CheckService
from server.services.claims import ClaimService
from server.services.deliveries import DeliveryService
from server.services.dispatch_review import DispatchReview
from server.services.errors import ServiceError
from server.services.escalation import EscalationService
from server.services.evidence import EvidenceService
from server.services.health import Health
from server.services.hub import Hub
from server.services.interrupted_timeout import InterruptedTimeout
from server.services.invitations import InvitationService
from server.services.metrics import MetricsService
from server.services.officer_queue import OfficerQueueView
from server.services.phone_report import PhoneReportService
from server.services.progress import PageImages, ProgressService
from server.services.queue_view import QueueView
from server.services.reviews import ReviewService
from server.services.scene import SceneService
from server.services.signed_urls import SignedFiles, UrlSigner
from server.services.sms import SmsDelivery
from server.services.users import UserAdmin
from server.settings import Settings

log = logging.getLogger("kuaichu.server")


def build_context(settings: Settings) -> AppContext:
    """Every service, once. Bad rule files stop start-up here with the file named."""
    engine = make_engine(settings.resolved_database_url)
    factory = make_session_factory(engine)
    cases, users, scene = CaseService(factory), UserAdmin(factory), SceneService(factory)
    sms = SmsDelivery(factory, make_sms_gateway(settings), settings)
    metrics = MetricsService(factory, settings.timezone)
    store = make_blob_store(settings)
    signed_files = SignedFiles(factory, store, UrlSigner.from_settings(settings))
    claims = _claims(factory, settings, store, signed_files.signer)
    invitations = InvitationService(factory, settings.public_base_url, settings.invitation_ttl_hours,
                                    settings.party_rate_limit_per_minute)
    hub = _hub(factory, settings, cases, scene, users, metrics)
    determination = _determination(factory, settings, cases, invitations, store)
    determination.on_taken(lambda _case_id: hub.publish_threadsafe("officer_queue_changed", {}))
    evidence = EvidenceService(factory, store, settings)
    reviews = _reviews(factory, settings, cases, evidence, invitations, store)
    deliveries = DeliveryService(factory)
    progress = ProgressService(factory, store, deliveries, claims, reviews,
                               PageImages(settings.data_dir / "page-images"), settings.timezone)
    return AppContext(
        settings=settings, engine=engine, session_factory=factory, health=Health(factory),
        auth=AuthService.from_settings(factory, settings), users=users, cases=cases,
        audit_log=AuditLog(factory, cases), evidence=evidence, reviews=reviews,
        checks=_checks(factory, settings), escalation=EscalationService(factory, cases),
        dispatches=DispatchReview(factory), sms=sms, invitations=invitations,
        reports=PhoneReportService.from_settings(factory, cases, invitations, settings), scene=scene,
        metrics=metrics, hub=hub, claims=claims,
        signed_files=signed_files, determination=determination,
        documents=DocumentService(factory, store, settings.issuing_unit, settings.timezone),
        progress=progress, deliveries=deliveries,
        jobs=_jobs(factory, settings, sms, claims, _interrupted_timeout(factory, settings, cases, invitations)),
    )


def _claims(factory: sessionmaker[Session], settings: Settings, store: BlobStore, signer: UrlSigner) -> ClaimService:
    insurers = InsurerTable.from_toml(resource("insurers.toml").read_text(encoding="utf-8"))
    templates = SmsTemplates.from_toml(resource("sms_templates.toml").read_text(encoding="utf-8"))
    return ClaimService(factory, insurers, make_insurer_webhooks(settings), signer, store, templates,
                        settings.timezone, link_ttl=timedelta(hours=settings.signed_url_ttl_hours))


def _determination(factory: sessionmaker[Session], settings: Settings, cases: CaseService,
                   invitations: InvitationService, store: BlobStore) -> DeterminationService:
    from server.adapters.liability_pdf import render_liability_document  # reportlab loads only here

    catalogue = parse_catalogue(resource("violations.toml").read_text(encoding="utf-8"))
    templates = SmsTemplates.from_toml(resource("sms_templates.toml").read_text(encoding="utf-8"))
    calendar = WorkCalendar.from_toml(resource("work_calendar.toml").read_text(encoding="utf-8"))
    return DeterminationService(factory, cases, invitations, store, catalogue, templates, calendar,
                                render_liability_document, settings)


def _reviews(factory: sessionmaker[Session], settings: Settings, cases: CaseService, evidence: EvidenceService,
             invitations: InvitationService, store: BlobStore) -> ReviewService:
    templates = SmsTemplates.from_toml(resource("sms_templates.toml").read_text(encoding="utf-8"))
    calendar = WorkCalendar.from_toml(resource("work_calendar.toml").read_text(encoding="utf-8"))
    return ReviewService(factory, cases, evidence, invitations, store, templates, calendar, settings)


def _checks(factory: sessionmaker[Session], settings: Settings) -> CheckService:
    rules = load_city_rules(settings.city_rules_file, settings.timezone)
    area = load_service_area(settings.service_area_file)
    return CheckService(factory, make_registry(settings), rules, area, settings.timezone)


def _hub(factory: sessionmaker[Session], settings: Settings, cases: CaseService, scene: SceneService,
         users: UserAdmin, metrics: MetricsService) -> Hub:
    broker = make_broker(settings.signalling_broker, settings.resolved_database_url, settings.redis_url,
                         settings.redis_channel)
    queue = QueueView(factory, load_service_area(settings.service_area_file))  # the area names each place
    return Hub(cases=cases, scene=scene, queue=queue, broker=broker, seat_name=users.display_name,
               ice_servers=settings.ice_servers, max_message_bytes=settings.ws_max_message_bytes,
               now_figures=metrics.now, officer_queue=OfficerQueueView(factory),
               live_cases=liveness.live_cases(factory),
               ice_transport_policy=settings.ice_transport_policy, ice_trickle=settings.ice_trickle)


def _interrupted_timeout(factory: sessionmaker[Session], settings: Settings, cases: CaseService,
                         invitations: InvitationService) -> InterruptedTimeout:
    templates = SmsTemplates.from_toml(resource("sms_templates.toml").read_text(encoding="utf-8"))
    return InterruptedTimeout(factory, cases, invitations, templates, settings.public_base_url,
                              call_timeout=timedelta(minutes=settings.interrupted_timeout_minutes),
                              sent_back_timeout=timedelta(hours=settings.sent_back_timeout_hours))


def _jobs(factory: sessionmaker[Session], settings: Settings, sms: SmsDelivery,
          claims: ClaimService, interrupted: InterruptedTimeout) -> tuple[PeriodicJob, ...]:
    """The SMS, dispatch and claim outboxes, delivered in worker threads while the app is up, and the
    interrupted cases' timeout."""
    dispatch = dispatch_outbox.delivery(factory, make_dispatch_sender(settings), dispatch_outbox.retry_policy(settings))
    found_work = bool  # each returns what it delivered (a count or a list): more may be due already
    return (PeriodicJob("sms-delivery", lambda: sms.deliver_due(utcnow()), 1.0, interrupt=sms.interrupt,
                        again=found_work),
            PeriodicJob("dispatch-delivery", lambda: dispatch.deliver_due(utcnow()), 2.0,
                        interrupt=dispatch.interrupt, again=found_work),
            PeriodicJob("claim-delivery", lambda: claims.deliver_due(utcnow()), 2.0, interrupt=claims.interrupt,
                        again=found_work),
            PeriodicJob("interrupted-timeout", lambda: interrupted.expire_due(utcnow()), 30.0))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    ctx = build_context(settings)
    # The API description and docs are routes of their own, only with KUAICHU_API_DOCS (server/api/api_docs.py).
    app = FastAPI(title="Kuaichu 视频快处", version="0.1.0", lifespan=_lifespan,
                  openapi_url=None, docs_url=None, redoc_url=None)
    app.state.ctx = ctx
    _install_error_handlers(app)
    _install_http_guards(app)
    _register_routes(app)
    _trust_proxies(app, settings)
    return app


def _trust_proxies(app: FastAPI, settings: Settings) -> None:
    """The client address comes from X-Forwarded-For only when the peer is a listed proxy; handlers then
    read request.client as usual. Added last, so it runs first and every layer sees the real client."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)


def _install_http_guards(app: FastAPI) -> None:
    """The last one added runs first: headers on every reply, then the error guard, then the JSON bounds."""
    from server.api.http_hardening import ErrorGuardMiddleware, JsonBodyGuardMiddleware, SecurityHeadersMiddleware

    app.add_middleware(JsonBodyGuardMiddleware)
    app.add_middleware(ErrorGuardMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    ctx: AppContext = app.state.ctx
    jobs = app.state.background_jobs = BackgroundJobs(list(ctx.jobs))
    jobs.start()
    hub = ctx.hub
    await hub.start()  # on this loop from the start: REST-only transitions must reach other instances' sockets
    try:
        yield
    finally:
        await hub.close()
        await jobs.stop()  # lets a delivery in progress finish, so no row is left half-sent


def _register_routes(app: FastAPI) -> None:
    from server.api import (admin, auth, cases, checks, dispatches, evidence, health, invitations, metrics, phone,
                            phone_pages, signed_files, ws)

    for module in (health, auth, cases, checks, evidence, admin, dispatches, invitations, metrics, phone, ws,
                   phone_pages, signed_files):
        app.include_router(module.router)
    from server.api import determination, documents  # the officer's decision and the issued documents (issue 12)

    app.include_router(determination.router)
    app.include_router(documents.router)
    from server.api import reviews  # the reviewer's queue and decision (issue 13)

    app.include_router(reviews.router)
    from server.api import party_pages  # the party's progress page after the call (issue 13)

    app.include_router(party_pages.router)
    if app.state.ctx.settings.api_docs:
        from server.api import api_docs

        app.include_router(api_docs.router)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(_: Request, exc: ServiceError) -> JSONResponse:
        body = {"error": exc.code, "message": exc.message, **exc.extra}
        return JSONResponse(body, status_code=exc.status, headers=exc.headers())

    async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable in %s %s: %s", request.method,
                    getattr(request.scope.get("route"), "path", "(unmatched route)"), type(exc).__name__)
        return JSONResponse({"error": "database_unavailable", "message": "数据库暂时不可用，请稍后重试"},
                            status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})

    for kind in DATABASE_UNAVAILABLE:
        app.add_exception_handler(kind, _database_unavailable)

    @app.exception_handler(BlobStoreUnavailable)
    async def _storage_unavailable(request: Request, exc: BlobStoreUnavailable) -> JSONResponse:
        """The evidence store (S3) is out of reach: the transaction that needed it was rolled back."""
        log.warning("evidence storage unavailable in %s %s: %s", request.method,
                    getattr(request.scope.get("route"), "path", "(unmatched route)"), exc)
        return JSONResponse({"error": "storage_unavailable", "message": "证据存储暂时不可用，请稍后重试"},
                            status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_describe(e) for e in exc.errors()]
        return JSONResponse({"error": "invalid", "message": "请求内容不正确: " + "; ".join(problems),
                             "problems": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = {404: "没有这个地址", 405: "不支持该请求方法"}.get(exc.status_code, str(exc.detail))
        # exc.headers carries the Allow header of a 405
        return JSONResponse({"error": "http_error", "message": message}, status_code=exc.status_code,
                            headers=exc.headers)


def _describe(error: dict) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    if error.get("type") == "json_invalid":
        return "JSON 格式错误"
    return f"{where or '请求体'}: {error.get('msg', '')}"
