"""405 answers that list every method the path supports in `Allow` (RFC 9110 section 15.5.6).

Starlette stops at the first route whose path matches and answers with that route's methods
only, so a path served by separate GET and PUT routes would claim `Allow: GET`. This handler
recomputes the header from every documented operation on the request path.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import compile_path

_HTTP_METHODS = {"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"}


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Methods the OpenAPI document lists for every path template matching `path`, sorted.

    Read from the app's own schema (public API) rather than the router tree, whose layout
    FastAPI changes between versions (included routers are no longer flattened into routes).
    """
    methods: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        regex, _, _ = compile_path(template)
        if regex.match(path):
            methods |= {m.upper() for m in operations if m.upper() in _HTTP_METHODS}
    return sorted(methods)


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    """Exception handler for status 405; any other exception is passed through unchanged."""
    if not isinstance(exc, HTTPException):
        raise exc
    methods = allowed_methods(request.app, request.url.path)
    if methods:
        exc = HTTPException(
            exc.status_code, exc.detail, {**(exc.headers or {}), "Allow": ", ".join(methods)}
        )
    return await http_exception_handler(request, exc)


def install(app: FastAPI) -> None:
    app.add_exception_handler(405, method_not_allowed)
