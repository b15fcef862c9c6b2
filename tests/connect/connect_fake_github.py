"""A local stand-in for GitHub's App and OAuth endpoints, spoken to by PyGithub over HTTP.

App endpoints check the App JWT (RS256, `iss` = App id) against the App's public key; an
installation token it mints is good only for its own installation's endpoints; the OAuth
endpoints implement the authorization code flow with PKCE (S256) and one-use codes.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

APP_ID = "424242"
INSTALLATION_ID = 777
OTHER_INSTALLATION_ID = 888  # someone else's installation of the same App
CLIENT_ID = "Iv1.testclientid"
CLIENT_SECRET = "test-client-secret-never-logged"


def _private_key() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return pem, public


def _repo(full_name: str, private: bool = False) -> dict:
    owner, name = full_name.split("/")
    return {
        "id": abs(hash(full_name)) % 10**8,
        "name": name,
        "full_name": full_name,
        "private": private,
        "owner": {"login": owner, "id": 9, "type": "Organization"},
        "clone_url": f"https://github.com/{full_name}.git",
        "default_branch": "main" if name != "site" else "trunk",
    }


@dataclass
class FakeGitHubApp:
    base: str = ""
    private_key: str = ""
    public_key: str = ""
    granted: dict[int, list[str]] = field(
        default_factory=lambda: {
            INSTALLATION_ID: ["acme/shop", "acme/site"],
            OTHER_INSTALLATION_ID: ["evil/corp"],
        }
    )
    user_installations: dict[str, list[int]] = field(
        default_factory=lambda: {"octocat": [INSTALLATION_ID]}
    )
    installation_tokens: dict[str, int] = field(default_factory=dict)
    codes: dict[str, dict] = field(default_factory=dict)
    user_tokens: dict[str, str] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    jwts_seen: int = 0
    next_login: str = "octocat"


def build_app(fake: FakeGitHubApp) -> FastAPI:
    app = FastAPI()

    def bearer(request: Request) -> str:
        value = request.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        return token if scheme.lower() in ("bearer", "token") else ""

    def app_jwt_ok(request: Request) -> bool:
        try:
            claims = jwt.decode(
                bearer(request),
                fake.public_key,
                algorithms=["RS256"],
                options={"require": ["exp", "iat", "iss"]},
            )
        except jwt.PyJWTError:
            return False
        fake.jwts_seen += 1
        return str(claims["iss"]) == APP_ID

    def unauthorized() -> JSONResponse:
        return JSONResponse({"message": "Bad credentials"}, status_code=401)

    @app.middleware("http")
    async def record(request: Request, call_next):
        fake.calls.append(f"{request.method} {request.url.path}")
        return await call_next(request)

    def installation_json(installation_id: int) -> dict:
        owner = fake.granted[installation_id][0].split("/")[0]
        return {
            "id": installation_id,
            "app_id": int(APP_ID),
            "account": {"login": owner, "id": 9, "type": "Organization"},
            "repository_selection": "selected",
            "target_type": "Organization",
        }

    @app.get("/app/installations/{installation_id}")
    def get_installation(installation_id: int, request: Request):
        if not app_jwt_ok(request):
            return unauthorized()
        if installation_id not in fake.granted:
            return JSONResponse({"message": "Not Found"}, status_code=404)
        return installation_json(installation_id)

    @app.post("/app/installations/{installation_id}/access_tokens", status_code=201)
    def access_token(installation_id: int, request: Request):
        if not app_jwt_ok(request):
            return unauthorized()
        if installation_id not in fake.granted:
            return JSONResponse({"message": "Not Found"}, status_code=404)
        token = "ghs_" + secrets.token_hex(18)
        fake.installation_tokens[token] = installation_id
        expires = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "token": token,
            "expires_at": expires,
            "permissions": {"contents": "write", "pull_requests": "write"},
            "repository_selection": "selected",
        }

    @app.get("/installation/repositories")
    def installation_repositories(request: Request):
        installation_id = fake.installation_tokens.get(bearer(request))
        if installation_id is None:
            return unauthorized()
        repos = [_repo(name) for name in fake.granted[installation_id]]
        return {
            "total_count": len(repos),
            "repository_selection": "selected",
            "repositories": repos,
        }

    @app.get("/login/oauth/authorize")
    def authorize(request: Request):
        q = request.query_params
        if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
            return JSONResponse({"error": "invalid request"}, status_code=400)
        code = secrets.token_hex(10)
        fake.codes[code] = {
            "challenge": q["code_challenge"],
            "redirect_uri": q.get("redirect_uri"),
            "login": fake.next_login,
        }
        target = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}"
        return RedirectResponse(target, status_code=302)

    @app.post("/login/oauth/access_token")
    async def token(request: Request):
        raw = (await request.body()).decode()
        if request.headers.get("content-type", "").startswith("application/json"):
            import json

            form = json.loads(raw or "{}")
        else:
            form = {k: v[0] for k, v in parse_qs(raw).items()}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return {"error": "incorrect_client_credentials", "error_description": "bad client"}
        grant = fake.codes.pop(str(form.get("code")), None)
        if grant is None:
            return {"error": "bad_verification_code", "error_description": "The code is wrong"}
        verifier = str(form.get("code_verifier") or "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
        if digest.decode() != grant["challenge"]:
            return {"error": "bad_verification_code", "error_description": "PKCE mismatch"}
        user_token = "gho_" + secrets.token_hex(18)
        fake.user_tokens[user_token] = grant["login"]
        return {"access_token": user_token, "token_type": "bearer", "scope": "read:user"}

    @app.get("/user")
    def user(request: Request):
        login = fake.user_tokens.get(bearer(request))
        if login is None:
            return unauthorized()
        return {
            "login": login,
            "id": 583231,
            "name": login.title(),
            "email": f"{login}@example.com",
        }

    @app.get("/user/installations")
    def user_installations(request: Request):
        login = fake.user_tokens.get(bearer(request))
        if login is None:
            return unauthorized()
        ids = fake.user_installations.get(login, [])
        found = [installation_json(i) for i in ids]
        return {"total_count": len(found), "installations": found}

    return app


@dataclass
class Running:
    fake: FakeGitHubApp
    url: str


def _serve(app: FastAPI) -> tuple[uvicorn.Server, threading.Thread, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "fake GitHub did not start"
        time.sleep(0.05)
    return server, thread, port


def running_fake() -> Iterator[Running]:
    fake = FakeGitHubApp()
    fake.private_key, fake.public_key = _private_key()
    server, thread, port = _serve(build_app(fake))
    fake.base = f"http://127.0.0.1:{port}"
    try:
        yield Running(fake=fake, url=fake.base)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
