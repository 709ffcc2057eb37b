"""Serves the phone pages: the public report page, the call page behind a party link, and their assets.

Plain HTML, CSS and ES modules from server/web, no build step and nothing from a
CDN. The token sits in the call page's URL, so every page says
``Referrer-Policy: no-referrer``; the call page is never cached.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from server.api.deps import context
from server.resource_files import package_dir
from server.services.errors import NotFound

router = APIRouter(tags=["phone pages"], include_in_schema=False)

WEB_DIR = package_dir("web")
STATIC_DIR = WEB_DIR / "static"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
_SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(self), microphone=(self), geolocation=(self)",
}
_CSP = ("default-src 'self'; connect-src {connect}; img-src 'self' blob: data:; "
        "media-src 'self' blob: mediastream:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")


@lru_cache(maxsize=8)
def content_security_policy(public_base_url: str) -> str:
    """The pages may open sockets to this server only: its own wss:// origin (and ws:// without TLS).

    'self' covers same-origin sockets in current browsers; the explicit URL is for the others."""
    base = urlsplit(public_base_url)
    origins = [f"wss://{base.netloc}"] if base.scheme == "https" else [f"ws://{base.netloc}", f"wss://{base.netloc}"]
    return _CSP.format(connect=" ".join(["'self'", *origins]))


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(WEB_DIR / "templates"), autoescape=select_autoescape(["html"]))


def _page(request: Request, name: str) -> HTMLResponse:
    html = _templates().get_template(name).render()
    csp = content_security_policy(context(request).settings.public_base_url)
    return HTMLResponse(html, headers={**_SECURITY_HEADERS, "Content-Security-Policy": csp,
                                       "Cache-Control": "no-store"})


@router.get("/", response_class=HTMLResponse)
def report_page(request: Request) -> HTMLResponse:
    return _page(request, "report.html")


def call_page(token: str, request: Request) -> HTMLResponse:
    """The call page; ``/p/{token}`` (server/api/party_pages.py) serves it while the call is on. The token is
    checked by the page's first API call, so an expired link shows its own plain message."""
    return _page(request, "call.html")


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    path = (STATIC_DIR / name).resolve()
    if path.parent != STATIC_DIR.resolve() or path.suffix not in _TYPES or not path.is_file():
        raise NotFound("没有这个文件")
    return FileResponse(path, media_type=_TYPES[path.suffix],
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
