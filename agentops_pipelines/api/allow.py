"""405 answers that list every method the path supports in `Allow` (RFC 9110 section 15.5.6).

Starlette stops at the first route whose path matches and answers with that route's methods
only, so a path served by separate GET and PUT routes would claim `Allow: GET`. This handler
recomputes the header from every route that matches the request path.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route


def allowed_methods(routes: list[BaseRoute], request: Request) -> list[str]:
    """Methods of all plain routes whose path (not method) matches; sorted for stable output."""
    methods: set[str] = set()
    for route in routes:
        if isinstance(route, Route) and route.methods:
            match, _ = route.matches(request.scope)
            if match in (Match.FULL, Match.PARTIAL):
                methods |= route.methods
    return sorted(methods)


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    """Exception handler for status 405; any other exception is passed through unchanged."""
    if not isinstance(exc, HTTPException):
        raise exc
    methods = allowed_methods(request.app.router.routes, request)
    if methods:
        exc = HTTPException(
            exc.status_code, exc.detail, {**(exc.headers or {}), "Allow": ", ".join(methods)}
        )
    return await http_exception_handler(request, exc)


def install(app: FastAPI) -> None:
    app.add_exception_handler(405, method_not_allowed)
