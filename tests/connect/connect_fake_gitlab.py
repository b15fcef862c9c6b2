"""A local stand-in for GitLab's REST API v4 (the parts python-gitlab calls for branches,
commits, files, merge requests, notes and issues), in memory, on 127.0.0.1.

Project and file paths arrive URL-encoded (`acme%2Fshop`), as GitLab expects; the raw path is
split before decoding, as GitLab does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlencode

from connect_fake_github import _serve
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

TOKEN = "glpat-fakeTokenForTests0123456789"
CLIENT_ID = "gitlab-app-id-for-tests"
CLIENT_SECRET = "gloas-client-secret-for-tests"
PROJECT = "acme/shop"


@dataclass
class FakeGitLab:
    base: str = ""
    files: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"main": {"README.md": "# shop\n"}}
    )
    commits: list[dict] = field(default_factory=list)
    mrs: list[dict] = field(default_factory=list)
    notes: dict[int, list[dict]] = field(default_factory=dict)
    issues: list[dict] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    tokens_seen: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)  # code -> PKCE challenge
    oauth_tokens: set[str] = field(default_factory=set)

    def mr_json(self, mr: dict) -> dict:
        return mr | {"web_url": f"{self.base}/{PROJECT}/-/merge_requests/{mr['iid']}"}


def _segments(request: Request) -> list[str]:
    raw = request.scope["raw_path"].decode().split("?")[0]
    return [unquote(s) for s in raw.removeprefix("/api/v4/").split("/")]


def build_app(fake: FakeGitLab) -> FastAPI:
    app = FastAPI()

    @app.get("/oauth/authorize")
    def authorize(request: Request):
        q = request.query_params
        if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        code = secrets.token_hex(12)
        fake.codes[code] = q["code_challenge"]
        query = urlencode({"code": code, "state": q.get("state", "")})
        return RedirectResponse(f"{q['redirect_uri']}?{query}", status_code=302)

    @app.post("/oauth/token")
    async def token(request: Request):
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        challenge = fake.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
        if challenge is None or digest.decode() != challenge:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        access = secrets.token_hex(20)
        fake.oauth_tokens.add(access)
        return {"access_token": access, "token_type": "Bearer", "expires_in": 7200,
                "refresh_token": secrets.token_hex(20), "scope": "api read_user"}  # fmt: skip

    @app.api_route("/api/v4/{rest:path}", methods=["GET", "POST", "PUT"])
    async def api(rest: str, request: Request):
        fake.calls.append(f"{request.method} /api/v4/{rest}")
        token = request.headers.get("private-token") or request.headers.get("authorization", "")
        fake.tokens_seen.append(token)
        bearer = token.removeprefix("Bearer ")
        if token != TOKEN and not (token.startswith("Bearer ") and bearer in fake.oauth_tokens):
            return JSONResponse({"message": "401 Unauthorized"}, status_code=401)
        seg = _segments(request)
        if seg == ["user"]:
            return {"id": 31, "username": "ada", "email": "ada@example.com", "name": "Ada"}
        body = json.loads(await request.body() or b"{}")
        q = request.query_params
        if seg[0] != "projects" or seg[1] != PROJECT:
            return JSONResponse({"message": "404 Project Not Found"}, status_code=404)
        tail, method = seg[2:], request.method
        if not tail and method == "GET":
            return {"id": 5, "path_with_namespace": PROJECT, "default_branch": "main"}
        if tail[:2] == ["repository", "branches"]:
            if method == "POST":
                fake.files[body["branch"]] = dict(fake.files[body["ref"]])
                return JSONResponse({"name": body["branch"]}, status_code=201)
            if tail[2] in fake.files:
                return {"name": tail[2]}
            return JSONResponse({"message": "404 Branch Not Found"}, status_code=404)
        if tail[:2] == ["repository", "files"]:
            content = fake.files.get(q.get("ref", ""), {}).get(tail[2])
            if content is None:
                return JSONResponse({"message": "404 File Not Found"}, status_code=404)
            encoded = base64.b64encode(content.encode()).decode()
            name = tail[2].rsplit("/")[-1]
            return {"file_path": tail[2], "file_name": name, "encoding": "base64",
                    "content": encoded, "ref": q["ref"]}  # fmt: skip
        if tail[:2] == ["repository", "commits"] and method == "POST":
            tree = fake.files[body["branch"]]
            for action in body["actions"]:
                if action["action"] == "delete":
                    tree.pop(action["file_path"])
                elif action["action"] == "create" and action["file_path"] in tree:
                    return JSONResponse({"message": "A file with this name already exists"}, 400)
                else:
                    tree[action["file_path"]] = action["content"]
            sha = hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()
            fake.commits.append(body | {"id": sha})
            return JSONResponse({"id": sha, "message": body["commit_message"]}, status_code=201)
        if tail[:1] == ["merge_requests"]:
            if len(tail) == 1 and method == "GET":
                branch, state = q.get("source_branch"), q.get("state")
                found = [m for m in fake.mrs if branch in (None, m["source_branch"])
                         and state in (None, m["state"])]  # fmt: skip
                return [fake.mr_json(m) for m in found]
            if len(tail) == 1 and method == "POST":
                mr = body | {"iid": len(fake.mrs) + 1, "id": 100 + len(fake.mrs), "state": "opened"}
                fake.mrs.append(mr)
                return JSONResponse(fake.mr_json(mr), status_code=201)
            mr = next((m for m in fake.mrs if m["iid"] == int(tail[1])), None)
            if mr is None:
                return JSONResponse({"message": "404 Not found"}, status_code=404)
            if len(tail) == 2 and method == "PUT":
                mr.update({k: v for k, v in body.items() if k in ("title", "description")})
            if len(tail) == 3 and tail[2] == "notes":
                notes = fake.notes.setdefault(mr["iid"], [])
                if method == "POST":
                    note = {
                        "id": 900 + len(notes),
                        "body": body["body"],
                        "author": {"username": "agentops-bot"},
                    }
                    notes.append(note)
                    return JSONResponse(note, status_code=201)
                return notes
            return fake.mr_json(mr)
        if tail == ["issues"] and method == "POST":
            issue = body | {"iid": len(fake.issues) + 1, "id": 500 + len(fake.issues)}
            fake.issues.append(issue)
            return JSONResponse(issue, status_code=201)
        return JSONResponse({"message": f"not in the fake: {method} {tail}"}, status_code=404)

    return app


def running_gitlab() -> Iterator[FakeGitLab]:
    fake = FakeGitLab()
    server, thread, port = _serve(build_app(fake))
    fake.base = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=10)
