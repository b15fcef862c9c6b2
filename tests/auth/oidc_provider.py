"""A small OpenID Connect provider on 127.0.0.1 for the sign-in tests, written for them.

It speaks the parts of the protocol a relying party uses: discovery, JWKS, the authorization
endpoint (a login form, code flow only, PKCE S256 required), the token endpoint (client secret,
code verifier, one-time codes) and userinfo. ID and access tokens are RS256 JWTs signed with a
key made per provider, so nothing here is a fixed secret.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from tests.browser_support import free_port

CLIENT_ID, CLIENT_SECRET = "agentops-tests", secrets.token_urlsafe(24)


@dataclass
class Provider:
    issuer: str
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def mint(self, email: str, audience: str = CLIENT_ID, lifetime: int = 300, **extra) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": hashlib.sha256(email.encode()).hexdigest()[:16],
            "aud": audience,
            "email": email,
            "email_verified": True,
            "name": email.split("@")[0].title(),
            "iat": now,
            "exp": now + lifetime,
            **extra,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [public | {"kid": self.kid, "use": "sig", "alg": "RS256"}]}


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def build_app(provider: Provider) -> FastAPI:
    app = FastAPI()
    iss = provider.issuer

    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict[str, Any]:
        return {
            "issuer": iss,
            "authorization_endpoint": f"{iss}/authorize",
            "token_endpoint": f"{iss}/token",
            "jwks_uri": f"{iss}/jwks",
            "userinfo_endpoint": f"{iss}/userinfo",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return provider.jwks()

    @app.get("/authorize", response_class=HTMLResponse)
    def authorize(request: Request) -> str:
        q = request.query_params
        if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
            raise HTTPException(400, "unknown client or response_type")
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            raise HTTPException(400, "PKCE (S256) is required")
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in q.items()
        )
        return (
            f'<html><body><h1>Test IdP</h1><form method="post" action="{iss}/authorize">'
            f'{hidden}<label>Email <input name="login" id="login"></label>'
            '<button type="submit">Continue</button></form></body></html>'
        )

    @app.post("/authorize")
    async def approve(request: Request) -> RedirectResponse:
        form = dict(await request.form())
        code = secrets.token_urlsafe(24)
        provider.codes[code] = {**form, "issued": time.time()}
        query = urlencode({"code": code, "state": form.get("state", "")})
        return RedirectResponse(f"{form['redirect_uri']}?{query}", status_code=302)

    @app.post("/token")
    def token(
        request: Request,
        grant_type: str = Form(...),
        code: str = Form(...),
        redirect_uri: str = Form(...),
        code_verifier: str = Form(""),
        client_id: str = Form(""),
        client_secret: str = Form(""),
    ) -> JSONResponse:
        auth = request.headers.get("authorization", "")
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
        provider.token_requests.append({"grant_type": grant_type, "verifier": code_verifier})
        grant = provider.codes.pop(code, None)  # one use only
        if client_id != CLIENT_ID or client_secret != CLIENT_SECRET:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if (
            grant is None
            or grant["redirect_uri"] != redirect_uri
            or grant_type != ("authorization_code")
        ):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if _s256(code_verifier) != grant["code_challenge"]:
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        extra = {"nonce": grant["nonce"]} if grant.get("nonce") else {}
        email = str(grant["login"])
        return JSONResponse(
            {
                "access_token": provider.mint(email, audience=CLIENT_ID),
                "id_token": provider.mint(email, **extra),
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": grant.get("scope", "openid"),
            }
        )

    @app.get("/userinfo")
    def userinfo(request: Request) -> dict[str, Any]:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(bearer, provider.key.public_key(), ["RS256"], audience=CLIENT_ID)
        except jwt.PyJWTError:
            raise HTTPException(401, "invalid token") from None
        return {k: claims[k] for k in ("sub", "email", "email_verified", "name")}

    return app


@contextmanager
def running_provider() -> Iterator[Provider]:
    port = free_port()
    provider = Provider(issuer=f"http://127.0.0.1:{port}")
    config = uvicorn.Config(build_app(provider), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test OIDC provider did not start")
        time.sleep(0.05)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=10)
