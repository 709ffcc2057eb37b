"""The one typed container of the server: every service, built once per app by ``server.app.build_context``.

It lives apart from server/app.py so that ``server.api.deps`` can name its type without
importing the application factory (which imports every router, and so deps itself).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from server.services.audit_log import AuditLog
from server.services.auth import AuthService
from server.services.background import PeriodicJob
from server.services.cases import CaseService
from server.services.determination import DeterminationService
from server.services.documents import DocumentService
from server.services.checks import CheckService
from server.services.claims import ClaimService
from server.services.deliveries import DeliveryService
from server.services.dispatch_review import DispatchReview
from server.services.escalation import EscalationService
from server.services.evidence import EvidenceService
from server.services.health import Health
from server.services.hub import Hub
from server.services.invitations import InvitationService
from server.services.metrics import MetricsService
from server.services.phone_report import PhoneReportService
from server.services.reviews import ReviewService
from server.services.progress import ProgressService
from server.services.scene import SceneService
from server.services.signed_urls import SignedFiles
from server.services.sms import SmsDelivery
from server.services.users import UserAdmin
from server.settings import Settings


@dataclass(frozen=True)
class AppContext:
    """Everything a handler needs. Handlers reach it through ``server.api.deps.context``."""

    settings: Settings
    #: For the lifespan, the CLI and tests; handlers go through the services below.
    engine: Engine
    session_factory: sessionmaker[Session]
    health: Health
    auth: AuthService
    users: UserAdmin
    cases: CaseService
    audit_log: AuditLog
    evidence: EvidenceService
    checks: CheckService
    escalation: EscalationService
    dispatches: DispatchReview
    sms: SmsDelivery
    invitations: InvitationService
    reports: PhoneReportService
    scene: SceneService
    metrics: MetricsService
    claims: ClaimService
    signed_files: SignedFiles
    determination: DeterminationService
    documents: DocumentService
    #: The review (复核): the party's request and the reviewer's decision (issue 13).
    reviews: ReviewService
    #: The party's progress page and the document's delivery (送达) (issue 13).
    progress: ProgressService
    deliveries: DeliveryService
    #: Bound to the event loop in the app's lifespan.
    hub: Hub
    #: Blocking functions run periodically in worker threads while the app is up (see the lifespan).
    jobs: tuple[PeriodicJob, ...]
