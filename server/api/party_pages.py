"""The party's link after the call: the progress page (网办进度), its document, review and claim forms.

``/p/{token}`` chooses: while the call is still on (queued, in call, collecting, interrupted or sent
back) it is the call page of ``server/api/phone_pages.py``; once the call is over it is the
server-rendered progress page. No JavaScript at all: the forms are plain HTML posts answered with
303 back to the page (or the page again with the error, 4xx).

CSRF: the credential is the token in the URL path, never a cookie, so a cross-site form cannot act
for a party without knowing the link, and the browser sends nothing ambient. Two further checks on
every POST: a per-link form token (an HMAC of the invitation keyed by the link token itself, in a
hidden field, so a post proves the page was read through this link), and, when the browser sends an
Origin header, that it is this server's own origin (a page elsewhere that learned a link still
cannot post from the party's browser).
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from server.api import phone_pages
from server.api.deps import Id, context
from server.api.schemas import reply
from server.api.uploads import check_declared_length
from server.resource_files import package_dir
from server.services.errors import Invalid, NotFound, RateLimited, ServiceError, TooLarge, Unauthorized
from server.services.invitations import PartyLink, link_for

router = APIRouter(tags=["party pages"])

MAX_REVIEW_FILES = 5
MAX_TEXT_BYTES = 16 * 1024
#: Messages after a successful post (303 ?done=...): fixed words, nothing reflected from the request.
DONE = {"review": "复核申请已提交，结论会短信通知您。", "withdrawn": "复核申请已撤回，认定书继续有效。",
        "claim": "已向保险公司报案。"}
CSP = ("default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
HEADERS = {"Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
           "Cache-Control": "no-store", "X-Frame-Options": "DENY"}


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(package_dir("web", "templates")), autoescape=select_autoescape(["html"]))


def _clock(request: Request) -> Callable[[], datetime]:
    """The progress service's clock, handed to the review and claim services too (tests freeze it)."""
    return context(request).progress.clock


def form_token(token: str, link: PartyLink) -> str:
    return hmac.new(token.encode(), f"progress-form:{link.invitation_id}".encode(), hashlib.sha256).hexdigest()


def _message(status: int, text: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    html = _templates().get_template("progress_message.html").render(message=text)
    return HTMLResponse(html, status_code=status, headers={**HEADERS, **(headers or {})})


def _resolve(request: Request, token: str) -> PartyLink:
    link = context(request).invitations.resolve(token)
    if link.party_id is None:
        raise NotFound("这个链接不属于任何当事方，请重新拨打报警电话获取新链接。")
    return link


def _render(request: Request, token: str, link: PartyLink, *, notice: str = "", error: str = "",
            status: int = 200) -> HTMLResponse:
    ctx = context(request)
    view = ctx.progress.page(link.case_id, link.party_id, _clock(request)())
    html = _templates().get_template("progress.html").render(
        v=view, base=f"/p/{token}", form_token=form_token(token, link), notice=notice, error=error,
        max_files=MAX_REVIEW_FILES, window_days=ctx.settings.review_window_days)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


@router.get("/p/{token}", response_class=HTMLResponse, include_in_schema=False)
def party_page(token: str, request: Request, done: str = "") -> HTMLResponse:
    """The call page while the call is on; the progress page after it; a plain message for a dead link."""
    ctx = context(request)
    try:
        link = _resolve(request, token)
    except RateLimited as e:
        return _message(429, e.message, e.headers())
    except (NotFound, Unauthorized) as e:
        # A dead link of a case still in its call keeps the call page, whose script says what is wrong
        # (and offers the camera checks); after the call the page says it plainly, without script.
        if ctx.progress.link_case_state(token) in ("", "call"):
            return phone_pages.call_page(token, request)
        return _message(e.status, e.message)
    if ctx.progress.link_case_state(token) != "progress":
        return phone_pages.call_page(token, request)
    ctx.invitations.touch(link.invitation_id)
    return _render(request, token, link, notice=DONE.get(done, ""))


def _checked_post(request: Request, token: str, form: FormData) -> PartyLink:
    origin = request.headers.get("origin")
    if origin and origin != "null" and not _same_origin(request, origin):
        raise Invalid("请从短信里的链接打开页面后再提交")
    link = _resolve(request, token)
    sent = form.get("form_token")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, form_token(token, link)):
        raise Invalid("页面已过期，请刷新后再提交")
    if context(request).progress.link_case_state(token) != "progress":
        raise Invalid("通话尚未结束，暂不能办理")
    return link


def _same_origin(request: Request, origin: str) -> bool:
    public = urlsplit(context(request).settings.public_base_url)
    own = {f"{public.scheme}://{public.netloc}", f"{request.url.scheme}://{request.url.netloc}"}
    return origin.rstrip("/") in own


async def _form(request: Request, file_limit: int, files: int) -> FormData:
    content_type = request.headers.get("content-type", "").lower()
    limit = file_limit * files + 64 * 1024
    check_declared_length(request, limit)

    async def bounded():
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise TooLarge(f"上传内容过大：最多 {files} 个文件，每个不超过 {file_limit // (1024 * 1024)} MB",
                               limit_bytes=limit)
            yield chunk

    if content_type.startswith("application/x-www-form-urlencoded"):
        body = b"".join([c async for c in bounded()])
        from urllib.parse import parse_qsl

        return FormData(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if not content_type.startswith("multipart/form-data"):
        raise Invalid("表单格式不正确")
    parser = MultiPartParser(request.headers, bounded(), max_files=files, max_fields=16, max_part_size=MAX_TEXT_BYTES)
    try:
        return await parser.parse()
    except MultiPartException as e:
        raise Invalid(f"上传格式不正确：{e.message}（最多 {files} 个文件）") from e


async def _post(request: Request, token: str, action: Callable[[PartyLink, FormData], Any], done: str,
                *, file_limit: int = 0, files: int = 0) -> Response:
    try:
        form = await _form(request, file_limit or 1024, files)
    except ServiceError as e:
        return await _error_page(request, token, e)
    try:
        link = await run_in_threadpool(_checked_post, request, token, form)
        await action(link, form)
    except ServiceError as e:
        return await _error_page(request, token, e)
    finally:
        await form.close()
    return RedirectResponse(f"/p/{token}?done={done}", status_code=303, headers=HEADERS)


async def _error_page(request: Request, token: str, error: ServiceError) -> Response:
    """The page again with the error above the form; a dead link gets the plain message."""
    try:
        link = await run_in_threadpool(_resolve, request, token)
    except ServiceError as e:
        return _message(e.status, e.message, e.headers())
    return await run_in_threadpool(lambda: _render(request, token, link, error=error.message, status=error.status))


@router.post("/p/{token}/review", response_class=HTMLResponse, include_in_schema=False)
async def request_review(token: str, request: Request) -> Response:
    ctx = context(request)

    async def act(link: PartyLink, form: FormData) -> None:
        uploads: list[tuple[str, bytes]] = []
        for item in form.getlist("files"):
            if isinstance(item, UploadFile) and item.filename:
                data = await item.read(ctx.settings.max_upload_bytes + 1)
                if len(data) > ctx.settings.max_upload_bytes:
                    raise TooLarge(f"文件 {item.filename} 过大：每个不超过 "
                                   f"{ctx.settings.max_upload_bytes // (1024 * 1024)} MB",
                                   limit_bytes=ctx.settings.max_upload_bytes)
                if data:
                    uploads.append((item.filename, data))
        if len(uploads) > MAX_REVIEW_FILES:
            raise Invalid(f"最多上传 {MAX_REVIEW_FILES} 个照片或 PDF")
        await run_in_threadpool(
            ctx.reviews.request, link.case_id, link.party_id, request=_text(form, "request"),
            reasons=_text(form, "reasons"), files=uploads, link=link_for(ctx.settings.public_base_url, token),
            now=_clock(request)())

    return await _post(request, token, act, "review", file_limit=ctx.settings.max_upload_bytes,
                       files=MAX_REVIEW_FILES)


@router.post("/p/{token}/review/withdraw", response_class=HTMLResponse, include_in_schema=False)
async def withdraw_review(token: str, request: Request) -> Response:
    ctx = context(request)

    async def act(link: PartyLink, _form: FormData) -> None:
        await run_in_threadpool(ctx.reviews.withdraw, link.case_id, link.party_id,
                                link=link_for(ctx.settings.public_base_url, token), now=_clock(request)())

    return await _post(request, token, act, "withdrawn")


@router.post("/p/{token}/claim", response_class=HTMLResponse, include_in_schema=False)
async def report_claim(token: str, request: Request) -> Response:
    ctx = context(request)

    async def act(link: PartyLink, _form: FormData) -> None:
        await run_in_threadpool(ctx.claims.report, link.case_id, link.party_id,
                                link_for(ctx.settings.public_base_url, token), _clock(request)())

    return await _post(request, token, act, "claim")


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    if not isinstance(value, str):
        raise Invalid(f"{name} 必须是文字")
    return value.strip()


# --- the document and the claim pack ------------------------------------------------------------
def _party_file(request: Request, token: str) -> PartyLink:
    link = _resolve(request, token)
    if context(request).progress.link_case_state(token) != "progress":
        raise NotFound("通话结束后才能查看")
    return link


@router.get("/p/{token}/documents/{number}/{page}.png", include_in_schema=False)
def document_page(token: str, number: str, page: int, request: Request) -> Response:
    """One page of the document as an image; the first page fetched is the party opening it (送达)."""
    link = _party_file(request, token)
    if not 1 <= page <= 99:
        raise NotFound("没有这一页")
    data, _ = context(request).progress.page_image(link.case_id, link.party_id, number, page - 1, _clock(request)())
    return Response(data, media_type="image/png", headers={**HEADERS, "Cache-Control": "private, no-store"})


@router.get("/p/{token}/documents/{number}.pdf", include_in_schema=False)
def document_download(token: str, number: str, request: Request) -> Response:
    link = _party_file(request, token)
    data, _ = context(request).progress.pdf(link.case_id, link.party_id, number, _clock(request)())
    return Response(data, media_type="application/pdf", headers={
        **HEADERS, "Content-Disposition": f'attachment; filename="{number}.pdf"'})


@router.get("/p/{token}/claim-pack.zip", include_in_schema=False)
def claim_pack(token: str, request: Request) -> Response:
    link = _party_file(request, token)
    data = context(request).claims.claim_pack(link.case_id, link.party_id, _clock(request)())
    return Response(data, media_type="application/zip", headers={
        **HEADERS, "Content-Disposition": 'attachment; filename="claim-pack.zip"'})


# --- the SMS gateway's delivery reports ----------------------------------------------------------
class DeliveryReport(BaseModel):
    id: Id = Field(description="The message id the gateway was given ($id in SMS_HTTP_BODY_TEMPLATE)")
    status: str = Field(min_length=1, max_length=32, description="delivered (or DELIVRD); failed, undelivered, "
                                                                  "expired, rejected (or UNDELIV, EXPIRED, REJECTD)")


class DeliveryReportReply(BaseModel):
    id: int
    delivered: bool = Field(description="The message reached the handset (delivered_at is set)")
    document_delivered: bool = Field(description="It announced a document, now delivered to its party (送达)")


@router.post("/api/sms/delivery-reports", **reply(DeliveryReportReply, also={
    401: {"description": "令牌不正确"}, 404: {"description": "未开启，或没有这条短信"}}))
def sms_delivery_report(body: DeliveryReport, request: Request) -> dict:
    """The SMS gateway says a message reached (or finally missed) the handset; off while SMS_REPORT_TOKEN is empty."""
    ctx = context(request)
    expected = ctx.settings.sms_report_token
    if not expected:
        raise NotFound("没有这个地址")
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {expected}".encode()):
        raise Unauthorized("短信回执令牌不正确")
    outcome = ctx.deliveries.sms_report(body.id, body.status)
    return {"id": outcome.sms_id, "delivered": outcome.delivered,
            "document_delivered": outcome.document_delivery is not None}
