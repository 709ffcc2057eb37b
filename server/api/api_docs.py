"""The API description and its Swagger UI, served only when KUAICHU_API_DOCS is on.

A police network has no CDN, so the Swagger UI files come from the fastapi-offline
package and are served by this server under /docs/assets/.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from server.services.errors import NotFound

router = APIRouter(include_in_schema=False)

ASSETS_DIR = Path(str(resources.files("fastapi_offline").joinpath("static")))
_TYPES = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8", "swagger-ui.css": "text/css; charset=utf-8",
          "favicon.png": "image/png"}


@router.get("/openapi.json")
def openapi(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title=f"{request.app.title} - API",
        swagger_js_url="/docs/assets/swagger-ui-bundle.js", swagger_css_url="/docs/assets/swagger-ui.css",
        swagger_favicon_url="/docs/assets/favicon.png",
        swagger_ui_parameters={"validatorUrl": None})  # by default Swagger UI asks validator.swagger.io


@router.get("/docs/assets/{name}")
def asset(name: str) -> FileResponse:
    if name not in _TYPES:
        raise NotFound("没有这个文件")
    return FileResponse(ASSETS_DIR / name, media_type=_TYPES[name], headers={"Cache-Control": "no-cache"})
